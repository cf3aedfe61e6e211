"""A clerk at the console in a real browser: registers people at the door, then types 20 paper ballots by keyboard."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import Hearing, Option, Question
from pbtools.hearings.store import HearingStore, create_hearing
from pbtools.storage import open_workspace
from playwright.sync_api import expect

from pbtools.fmt import number
from pbtools.hearings.model import UNKNOWN
from pbtools.reports.document import Fields
from pbtools.reports.protocol import build_protocol
from tests.fixtures.browser import Server, demo_server_with, local_page
from tests.fixtures.shared_server import own_hearing

BALLOTS = ["1 2", "3", "2 4", "1", "4 1"] * 4  # 20 ballots


def open_hearing(workspace) -> str:
    """An open hearing with four options and one approval question (up to 2)."""
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="pb_vote", date="2026-05-14",
                                           villages=("Көк-Талаа", "Ак-Жар"), budget=Decimal(3_000_000)), actor="test")
        store.add_options([Option(id=f"p{i}", number=i, titles={"ky": f"Долбоор {i}"}, cost=Decimal(400_000 * i))
                           for i in range(1, 5)], actor="test")
        store.define_question(Question(id="q1", kind="approval", titles={"ky": "Эки долбоорду тандаңыз"},
                                       options=("p1", "p2", "p3", "p4"), max_choices=2), actor="test")
        store.open(actor="test")
        return store.id


def stored(server, hearing_id: str):
    with open_workspace(server.workspace) as ws:
        return HearingStore(ws, hearing_id).state


@pytest.fixture(scope="module")
def console_server(shared_server):
    """The shared server and a hearing of the module's own (each module importing this fixture gets one)."""
    return shared_server, own_hearing(shared_server, open_hearing)


def test_register_and_type_twenty_ballots(console_server, page):
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()

    page.get_by_role("tab", name="Каттоо").click()
    for sex in ("Аял", "Аял", "Эркек"):
        page.get_by_role("radio", name=sex, exact=True).click()
        page.get_by_role("button", name="Каттоо", exact=True).click()
    page.locator("#pb-registered", has_text="Катталды: 3").wait_for()

    page.get_by_role("tab", name="Кагаз бюллетендер").click()
    box = page.locator(".pb-ballot-entry input")
    box.click()
    for i, text in enumerate(BALLOTS, 1):
        page.keyboard.type(text)
        page.keyboard.press("Enter")
        page.locator("#pb-ballot-count", has_text=f": {i}").wait_for()
    # an invalid ballot: refused on screen, the count does not move
    page.keyboard.type("1 2 3")
    page.keyboard.press("Enter")
    page.locator(".pb-error:visible").first.wait_for()  # (the Registration tab, hidden, has a warning too)
    page.locator("#pb-refused-hint").wait_for()  # it says how to record the paper as invalid
    assert page.locator("#pb-ballot-count").inner_text().endswith(f": {len(BALLOTS)}")
    # a number that is no option: the message names the ballot's options
    page.keyboard.press("Control+a")  # the refused line came back into the box: type over it
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.locator(".pb-error", has_text="анын варианттары: 1-4").first.wait_for()
    # a spoiled paper, by its button: counted apart, never as a vote
    page.get_by_role("button", name="Бузулган бюллетень").click()
    page.locator("#pb-invalid-count", has_text="1").wait_for()
    assert page.locator("#pb-ballot-count").inner_text().endswith(f": {len(BALLOTS)}")

    with open_workspace(server.workspace) as ws:
        st = HearingStore(ws, hearing_id).state
    assert st.counters.total == 3 and st.counters.women == 2
    assert [b.ballot.answer for b in st.invalid_for("q1")] == ["spoiled"]
    typed = sorted(" ".join(str(st.options[o].number) for o in b.ballot.option_ids()) for b in st.ballots_for("q1"))
    assert typed == sorted(BALLOTS)


def test_a_fast_clerk_loses_no_key(console_server, page):
    # 30 ms a key and no pause after Enter: keys typed before the last ballot is stored belong to the next one
    # (when the kernel cleared the box, "3 4" was stored as "4")
    server, hearing_id = console_server
    with open_workspace(server.workspace) as ws:
        before = len(HearingStore(ws, hearing_id).state.ballots_for("q1"))
    page.goto(server.url + "/voila/render/console.ipynb?lang=en")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Paper ballots").click()
    page.locator(".pb-ballot-entry input").click()
    fast = ["3 4", "1 2", "2", "4 1", "3", "1 3", "2 4", "4"] * 2
    for text in fast:
        page.keyboard.type(text, delay=30)
        page.keyboard.press("Enter")
    page.locator("#pb-ballot-count", has_text=f": {before + len(fast)}").wait_for()
    with open_workspace(server.workspace) as ws:
        st = HearingStore(ws, hearing_id).state
    typed = [" ".join(str(st.options[o].number) for o in b.ballot.option_ids()) for b in st.ballots_for("q1")][before:]
    assert typed == fast


def test_the_name_at_the_laptop_is_kept_for_the_next_visit(console_server, page):
    """Who is at this laptop goes with every entry; after a reload (a new kernel) the box has it again."""
    server, hearing_id = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()
    name = page.get_by_label("Сиздин атыңыз")
    name.fill("Айгүл")
    page.wait_for_function("() => window.localStorage.getItem('pbtools.operator') === 'Айгүл'")
    page.reload()
    page.locator("#pb-console-summary").wait_for()
    page.wait_for_function("() => [...document.querySelectorAll('input')].some(i => i.value === 'Айгүл')")
    # and the kernel has it: a registration is recorded under that name
    def records():
        with open_workspace(server.workspace) as ws:
            return list(ws.ledger.records(HearingStore(ws, hearing_id).stream))

    before = len(records())
    page.get_by_role("tab", name="Каттоо").click()
    page.get_by_role("radio", name="Аял", exact=True).click()
    page.get_by_role("button", name="Каттоо", exact=True).click()
    page.wait_for_function("() => document.querySelector('#pb-registered') !== null")
    for _ in range(100):  # stored before the screen says so; give the click its round trip
        if len(records()) > before:
            break
        page.wait_for_timeout(100)
    records = records()
    assert records[-1].kind == "participant.registered" and records[-1].actor == "Айгүл"
    assert "Айгүл" in page.locator("#pb-operator-note").inner_text()  # the screen says under which name


def test_the_name_survives_a_server_restart_and_a_browser_without_it_is_asked_for(tmp_path_factory, chromium):
    """The name is kept by this laptop's browser: after the server is restarted (on the same address) the console
    has it again and records under it; a browser that never had it says every action goes in as «Ведущий»."""
    # a server of its own: it is restarted
    with demo_server_with(tmp_path_factory, "console-restart", open_hearing) as (server, hearing_id):
        with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
            page.set_default_timeout(90_000)  # kernels start again after the restart on a loaded machine
            page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
            page.locator("#pb-operator-note.pb-warning", has_text="«Ведущий»").wait_for()  # nothing kept yet: asked
            page.get_by_label("Ваше имя").fill("Бакыт Жумабаев")
            page.locator("#pb-operator-note", has_text="Бакыт Жумабаев").wait_for()
            page.wait_for_function("() => window.localStorage.getItem('pbtools.operator') === 'Бакыт Жумабаев'")
            server.stop()
            restarted = Server(server.workspace, server.port, tmp_path_factory.mktemp("logs") / "again.log")
            try:
                page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
                page.locator("#pb-operator-note", has_text="Бакыт Жумабаев").wait_for()
                page.get_by_role("tab", name="Регистрация").click()
                page.get_by_role("button", name="Зарегистрировать", exact=True).click()
                page.locator(".pb-ok", has_text="Зарегистрировано: 1").wait_for()
                with open_workspace(server.workspace) as ws:
                    last = list(ws.ledger.records(HearingStore(ws, hearing_id).stream))[-1]
                assert last.kind == "participant.registered" and last.actor == "Бакыт Жумабаев"
            finally:
                restarted.stop()


def test_a_person_registered_without_choosing_is_stored_as_not_given(console_server, page):
    """The door's answers start at "—" and go back to it after each person: pressing Register without choosing
    records "not given", which the protocol counts apart (never as women, an age group or the first village)."""
    server, hearing_id = console_server

    before = stored(server, hearing_id).counters.total
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Каттоо").click()
    not_chosen = page.locator(".widget-toggle-buttons button.mod-active:visible", has_text="—")
    expect(not_chosen).to_have_count(4)  # sex, age group, village, category: nothing chosen
    page.get_by_role("radio", name="Аял", exact=True).click()
    expect(not_chosen).to_have_count(3)
    page.get_by_role("button", name="Каттоо", exact=True).click()
    page.locator(".pb-ok", has_text=f"Катталды: {before + 1}").wait_for()
    expect(not_chosen).to_have_count(4)  # the next person starts with nothing chosen
    page.get_by_role("button", name="Каттоо", exact=True).click()  # and says nothing
    page.locator(".pb-ok", has_text=f"Катталды: {before + 2}").wait_for()

    st = stored(server, hearing_id)
    people = [st.participants[seq] for seq in sorted(st.participants)][-2:]
    assert [(p.sex, p.age, p.village, p.category) for p in people] == [("f", UNKNOWN, UNKNOWN, UNKNOWN), (UNKNOWN,) * 4]
    everyone = list(st.participants.values())
    not_said = sum(p.sex == UNKNOWN for p in everyone)
    assert st.counters.women == sum(p.sex == "f" for p in everyone) and st.counters.by_village[UNKNOWN] >= 2
    fields = dict(next(b for b in build_protocol(st, "ky", charts=False).blocks
                       if isinstance(b, Fields) and any(k == "Аялдар" for k, _ in b.rows)).rows)
    assert fields["Жынысы көрсөтүлгөн эмес"].startswith(f"{number(not_said, 'ky')} (")
    assert fields["Аялдар"].startswith(f"{number(st.counters.women, 'ky')} (")


def test_a_preheated_console_never_shows_another_language_than_the_address_asks(console_server, page):
    """The console's kernel was built (in Kyrgyz) before the page asked for Russian: the screen stays hidden until
    it is in Russian, so the first title anyone can see is the Russian one."""
    server, _ = console_server
    page.goto(server.url + "/voila/render/console.ipynb?lang=ru")
    title = page.locator(".pb-app .pb-title")
    title.wait_for(state="visible")
    assert title.inner_text() == "Пульт ведущего слушаний"
    assert "lang=ru" in page.url


def test_a_preheated_console_shows_a_hearing_made_after_it_was_built(console_server, page):
    """The pool's kernel drew its console before this hearing existed: the page is shown only once it is drawn
    again from the ledger, so the first screen anyone sees already lists the new hearing."""
    server, _ = console_server
    with open_workspace(server.workspace) as ws:
        create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="pb_vote", date="2026-12-24",
                                   villages=("Көк-Талаа",), budget=Decimal(1_000_000)), actor="test")
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    chooser = page.locator(".pb-app select").first
    chooser.wait_for(state="visible")
    assert any("24.12.2026" in text for text in chooser.locator("option").all_inner_texts())  # as Kyrgyz writes it


def test_a_fast_door_loses_no_answer(console_server, page):
    """Woman, Register, Woman, Register... with no pause: the next person's "Woman" is clicked before the kernel has
    stored the previous one. The browser sets the answers back to "—" itself when Register is pressed, so that
    click is never lost to a reset arriving later (each was then recorded as "not given")."""
    server, hearing_id = console_server

    before = stored(server, hearing_id)
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Каттоо").click()
    woman, man = page.get_by_role("radio", name="Аял", exact=True), page.get_by_role("radio", name="Эркек", exact=True)
    register = page.get_by_role("button", name="Каттоо", exact=True)
    people = ["Аял"] * 6 + ["Эркек"] * 2 + ["Аял"] * 2
    for sex in people:
        (woman if sex == "Аял" else man).click()
        register.click()
    page.locator("#pb-registered", has_text=f"Катталды: {before.counters.total + len(people)}").wait_for()
    st = stored(server, hearing_id)
    assert st.counters.women - before.counters.women == people.count("Аял")
    assert st.counters.men - before.counters.men == people.count("Эркек")


def test_the_door_by_keyboard_alone(console_server, page):
    """Each row of answers is one Tab stop whose choice the arrow keys move; Enter registers from anywhere in the
    form and puts the cursor back on the first row for the next person."""
    server, hearing_id = console_server

    before = stored(server, hearing_id).counters.total
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Каттоо").click()
    page.get_by_role("radiogroup").first.get_by_role("radio", name="—").focus()
    for key in ("ArrowRight", "Tab", "ArrowRight", "ArrowRight", "Tab", "ArrowRight", "Enter"):  # woman, 30–44, first village
        page.keyboard.press(key)
    for key in ("ArrowRight", "ArrowRight", "Enter"):  # the next person, from the first row again: a man
        page.keyboard.press(key)
    page.locator("#pb-registered", has_text=f"Катталды: {before + 2}").wait_for()
    people = [p for _, p in sorted(stored(server, hearing_id).participants.items())][-2:]
    assert [(p.sex, p.age, p.village, p.category) for p in people] == [
        ("f", "30_44", "Көк-Талаа", UNKNOWN), ("m", UNKNOWN, UNKNOWN, UNKNOWN)]


def test_a_double_click_on_register_registers_one_person(console_server, page):
    """The first click sends the person and clears the form; the second meets the cleared form: not a second
    person with nothing given (each such click inflated "registered")."""
    server, hearing_id = console_server
    before = stored(server, hearing_id).counters.total
    page.goto(server.url + "/voila/render/console.ipynb?lang=ky")
    page.locator("#pb-console-summary").wait_for()
    page.get_by_role("tab", name="Каттоо").click()
    page.get_by_role("radio", name="Аял", exact=True).click()
    page.get_by_role("button", name="Каттоо", exact=True).dblclick()
    page.locator("#pb-registered", has_text=f"Катталды: {before + 1}").wait_for()
    page.wait_for_timeout(1500)  # a second person would be stored by now
    st = stored(server, hearing_id)
    assert st.counters.total == before + 1 and st.counters.women >= 1
