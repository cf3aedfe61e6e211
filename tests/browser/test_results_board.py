"""The results board in a real browser: ballots typed at the console in one tab appear on the board in another
without reloading; the facilitator reveals the results, goes full screen and exports the charts."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from matplotlib.image import imread

from pbtools.hearings.model import Hearing, Option, Question
from pbtools.hearings.store import create_hearing, state
from pbtools.results.board import set_results_hidden
from pbtools.storage import open_workspace
from tests.fixtures.browser import Server, free_port

BALLOTS = ["1 2", "2", "3 1"]


@pytest.fixture(scope="module")
def board_server(tmp_path_factory):
    from tests.fixtures.demo import copy_demo, template

    workspace = copy_demo(template(tmp_path_factory), tmp_path_factory.mktemp("board") / "ws")
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Көк-Талаа", type="pb_vote", date="2026-05-14",
                                           villages=("Көк-Талаа", "Ак-Жар"), budget=Decimal(1_000_000)), actor="test")
        store.add_options([Option(id=f"p{i}", number=i, titles={"en": f"Project {i}", "ky": f"Долбоор {i}"},
                                  cost=Decimal(300_000 * i)) for i in range(1, 4)], actor="test")
        store.define_question(Question(id="q1", kind="approval", titles={"en": "Choose up to two"},
                                       options=("p1", "p2", "p3"), max_choices=2), actor="test")
        store.open(actor="test")
        hearing_id = store.id
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log")
    yield server, hearing_id
    server.stop()


def ready(page) -> None:
    """Wait until the page's kernel answers: switch to English and see the board's title change.

    The page is hidden until its kernel has drawn it for this page (widgets.url_lang); on a loaded machine that can
    take long; the 2-second promise of the board starts once the page is live."""
    page.locator("#pb-board-ballots").wait_for()
    page.get_by_role("button", name="English").click()
    page.locator(".pb-app .pb-title", has_text="Results").wait_for(timeout=90_000)


def test_board_follows_the_console_without_reloading(board_server, page):
    server, hearing_id = board_server
    board = page
    board.goto(server.url + "/voila/render/results.ipynb?lang=en")
    ready(board)
    board.locator("#pb-board-ballots", has_text="0").wait_for()
    board.locator(".pb-hidden-note", has_text="hidden").wait_for()  # an open hearing: hidden until revealed

    console = board.context.new_page()
    console.goto(server.url + "/voila/render/console.ipynb?lang=en")
    console.locator("#pb-console-summary").wait_for()
    console.get_by_role("tab", name="Paper ballots").click()
    box = console.locator(".pb-ballot-entry input")
    board.bring_to_front()  # the projector shows the board; the clerk's tab types in the background
    for i, text in enumerate(BALLOTS, 1):
        box.fill(text)
        box.press("Enter")
        console.locator("#pb-ballot-count", has_text=f": {i}").wait_for()
        # the other tab is never reloaded: its own timer brings each ballot within a couple of seconds
        board.locator("#pb-board-ballots", has_text=str(i)).wait_for(timeout=5_000)  # 2 s promised, 3 s margin

    board.locator(".pb-reveal").click()
    board.locator(".pb-results img").first.wait_for(state="visible")
    with open_workspace(server.workspace) as ws:
        assert ws.get_setting(f"results_hidden:{hearing_id}") is False
        assert len(state(ws, hearing_id).ballots_for("q1")) == len(BALLOTS)

    board.locator(".pb-fullscreen-button").click()
    board.wait_for_function("document.fullscreenElement !== null || document.querySelector('.pb-results.pb-full') !== null")
    full = board.evaluate("(document.fullscreenElement || document.querySelector('.pb-full')).classList.contains('pb-results')")
    assert full
    assert not board.locator(".pb-controls").is_visible()  # only the board is on the screen


def test_export_writes_png_and_svg(board_server, page):
    server, hearing_id = board_server
    with open_workspace(server.workspace) as ws:
        set_results_hidden(ws, hearing_id, False)
    page.goto(server.url + "/voila/render/results.ipynb?lang=ru")
    ready(page)
    page.locator(".pb-export").click()
    page.locator("#pb-exported").wait_for()
    folder = server.workspace / "exports"
    pngs = sorted(folder.glob(f"results-{hearing_id}-q1-*.png"))
    svgs = sorted(folder.glob(f"results-{hearing_id}-q1-*.svg"))
    names = {p.stem.rsplit("-", 1)[-1] for p in pngs}
    assert {"votes", "budget", "participation", "rules", "rounds"} <= names
    assert [p.with_suffix("") for p in pngs] == [s.with_suffix("") for s in svgs]
    for png in pngs:
        assert imread(png).shape[0] > 100  # opens as an image
    for svg in svgs:
        assert ET.parse(svg).getroot().tag.endswith("svg")
    links = page.locator("#pb-exported ~ ul a[download]")
    assert links.count() == len(pngs) + len(svgs)


def test_full_screen_keeps_show_hide_and_escape_leaves_the_fallback(board_server, page):
    """Without the Fullscreen API the board is pinned over the page; Show/Hide results stays on the screen there,
    and Escape leaves it as it leaves the real full screen."""
    server, hearing_id = board_server
    with open_workspace(server.workspace) as ws:
        set_results_hidden(ws, hearing_id, False)
    page.goto(server.url + "/voila/render/results.ipynb?lang=en")
    ready(page)
    page.locator(".pb-results img").first.wait_for(state="visible")
    page.evaluate("Element.prototype.requestFullscreen = undefined")  # an old browser
    page.locator(".pb-fullscreen-button").click()
    page.locator(".pb-results.pb-full").wait_for()
    assert not page.locator(".pb-controls").is_visible()
    reveal = page.locator(".pb-reveal")
    assert reveal.is_visible()
    reveal.click()  # hide the results without leaving full screen
    page.locator(".pb-hidden-note").wait_for()
    with open_workspace(server.workspace) as ws:
        assert ws.get_setting(f"results_hidden:{hearing_id}") is True
    page.keyboard.press("Escape")
    page.wait_for_function("document.querySelector('.pb-results.pb-full') === null")
    page.locator(".pb-controls").first.wait_for(state="visible")


@pytest.mark.parametrize("mode", ["api", "fallback"])
def test_full_screen_says_how_to_leave_and_its_button_leaves(board_server, page, mode):
    """Full screen hides the hearing and question choosers; its one button still read «Во весь экран», so a
    facilitator saw no way back to them but Escape, which they may not know. In full screen the button says how to
    leave, in the board's language, and a click leaves (the real full screen, and the pinned board of an old browser)."""
    from pbtools.i18n import gettext

    server, _hearing = board_server
    page.goto(server.url + "/voila/render/results.ipynb?lang=ru")
    ready(page)
    page.get_by_role("button", name="Русский").click()
    button = page.locator(".pb-fullscreen-button")
    enter, leave = gettext("ru", "Full screen"), gettext("ru", "Exit full screen (Esc)")
    page.locator(".pb-fullscreen-button", has_text=enter).wait_for()
    assert button.inner_text() == enter  # on the page: only the way in
    if mode == "fallback":
        page.evaluate("Element.prototype.requestFullscreen = undefined")  # an old browser: the pinned board
    button.click()
    page.wait_for_function("document.fullscreenElement !== null || document.querySelector('.pb-results.pb-full') !== null")
    assert not page.locator(".pb-controls").is_visible()
    assert button.is_visible() and button.inner_text() == leave and "Esc" in leave
    button.click()  # no keyboard
    page.wait_for_function("document.fullscreenElement === null && document.querySelector('.pb-results.pb-full') === null")
    page.locator(".pb-controls").first.wait_for(state="visible")  # the question can be changed again
    assert button.inner_text() == enter


# A hearing like the first trial's: six options with long Kyrgyz names, and a tie (№3 and №4, 2 votes each) whose
# note runs over two lines under the chart.
NAMES = ["Жаңы-Айылга ичүүчү суу", "Таштанды чогултуу", "Көк-Талаада көчө жарыгы", "Бел-Саздагы бала бакчаны оңдоо",
         "Кара-Суудагы спорт аянтчасы", "Таш-Булакка суу түтүгү"]
COSTS = [400_000, 1_150_000, 300_000, 300_000, 200_000, 500_000]
PROJECTOR_BALLOTS = ["1 2", "2 6", "2 3", "1 4", "2 6", "1 6", "4 5", "1 2", "3 2", "1"]


@pytest.fixture(scope="module")
def projector_server(tmp_path_factory):
    from pbtools.hearings.model import Ballot
    from tests.fixtures.demo import copy_demo, template

    workspace = copy_demo(template(tmp_path_factory), tmp_path_factory.mktemp("projector") / "ws")
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Жаңы-Айыл", type="pb_vote", date="2026-12-01",
                                           title="Жаңы-Айыл: 2027-жылдын долбоорлору", budget=Decimal(1_500_000)), actor="test")
        store.add_options([Option(id=f"p{i}", number=i, titles={"ky": n, "ru": n, "en": n}, cost=Decimal(c))
                           for i, (n, c) in enumerate(zip(NAMES, COSTS), 1)], actor="test")
        store.define_question(Question(id="q1", kind="approval", max_choices=2, options=tuple(f"p{i}" for i in range(1, 7)),
                                       titles={"ky": "Кайсы долбоорлорду колдойсуз? (эң көп 2)", "en": "Which projects do you support? (up to 2)",
                                               "ru": "Какие проекты вы поддерживаете? (не больше 2)"}), actor="test")
        store.open(actor="test")
        for text in PROJECTOR_BALLOTS:
            store.cast("q1", Ballot(tuple((f"p{x}", 1) for x in text.split())), actor="test")
        set_results_hidden(ws, store.id, False)
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log")
    yield server
    server.stop()


BOXES = """() => {
  const box = e => { const r = e.getBoundingClientRect(); return {x0: r.left, y0: r.top, x1: r.right, y1: r.bottom}; };
  const one = s => { const e = document.querySelector(s); return e ? box(e) : null; };
  const img = document.querySelector('.pb-board-image');
  const pane = document.querySelector('.pb-board-pane');
  return {
    langs: [...document.querySelectorAll('.pb-app .widget-toggle-buttons')].slice(0, 1).flatMap(t => [...t.querySelectorAll('button')].map(box)),
    reveal: one('.pb-reveal'), full: one('.pb-fullscreen-button'), tabbar: one('.pb-results .lm-TabBar'),
    head: one('.pb-board-head'), small: one('.pb-board-small'), question: one('.pb-question'), image: box(img), notes: one('.pb-notes'),
    natural: [img.naturalWidth, img.naturalHeight], pane: [pane.scrollHeight, pane.clientHeight],
    viewport: [window.innerWidth, window.innerHeight],
  };
}"""


def overlap(a, b) -> bool:
    return min(a["x1"], b["x1"]) - max(a["x0"], b["x0"]) > 0.5 and min(a["y1"], b["y1"]) - max(a["y0"], b["y0"]) > 0.5


@pytest.mark.parametrize("lang", ["ky", "ru"])
@pytest.mark.parametrize("mode", ["api", "fallback"])
def test_full_screen_fits_a_1024x768_projector(projector_server, chromium, lang, mode):
    from pbtools.charts import style
    from tests.fixtures.browser import local_page

    with local_page(chromium, viewport={"width": 1024, "height": 768}) as page:
        page.goto(projector_server.url + f"/voila/render/results.ipynb?lang={lang}")
        page.locator(".pb-notes li").first.wait_for()  # revealed: the chart and its notes are drawn
        page.locator(".pb-board-image").wait_for(state="visible")
        if mode == "fallback":
            page.evaluate("Element.prototype.requestFullscreen = undefined")  # an old browser: the pinned board
        page.locator(".pb-fullscreen-button").click()
        page.wait_for_function("document.fullscreenElement !== null || document.querySelector('.pb-results.pb-full') !== null")
        page.wait_for_function("document.querySelector('.pb-board-image').complete")
        b = page.evaluate(BOXES)

    width, height = b["viewport"]
    assert (width, height) == (1024, 768)
    shown = [b[k] for k in ("reveal", "full", "tabbar", "head", "small", "question", "image", "notes")] + b["langs"]
    assert all(box is not None for box in shown) and len(b["langs"]) == 3
    for box in shown:  # nothing outside the screen
        assert box["x0"] >= -0.5 and box["y0"] >= -0.5 and box["x1"] <= width + 0.5 and box["y1"] <= height + 0.5, box
    corner = [b["reveal"], b["full"]]
    for button in corner:  # the corner's buttons clear the language buttons and the board
        for other in b["langs"] + [b["tabbar"], b["head"]]:
            assert not overlap(button, other), (button, other)
    column = [b[k] for k in ("tabbar", "head", "small", "question", "image", "notes")]
    for upper, lower in zip(column, column[1:]):  # one column, top to bottom, nothing over anything
        assert upper["y1"] <= lower["y0"] + 0.5, (upper, lower)
    scroll, client = b["pane"]
    assert scroll <= client + 1  # nothing of the board is cut off inside its pane either
    # the chart is drawn whole inside its box (object-fit: contain), at this scale:
    natural_w, natural_h = b["natural"]
    scale = min((b["image"]["x1"] - b["image"]["x0"]) / natural_w, (b["image"]["y1"] - b["image"]["y0"]) / natural_h)
    name_px = style.BOARD_NAME_SIZE * style.BOARD_DPI / 72 * scale  # points to the PNG's pixels, then as shown
    assert name_px >= 24, f"option names are {name_px:.1f} px high on the projector"


def test_the_console_phone_count_follows_phone_ballots(tmp_path, chromium):
    """The Phone voting tab's count of phone ballots moves on as phones vote, without reloading the console (it
    stayed at 0 while the board showed the phone votes)."""
    import os
    from unittest import mock

    from pbtools.hearings.model import Ballot
    from pbtools.hearings.store import HearingStore
    from tests.fixtures.browser import local_page

    workspace = tmp_path / "ws"
    with open_workspace(workspace) as ws:
        store = create_hearing(ws, Hearing(id="", municipality="Жаңы-Айыл", type="pb_vote", date="2026-12-01",
                                           budget=Decimal(1_000_000)), actor="test")
        store.add_options([Option(id="p1", number=1, titles={"en": "Well"}, cost=Decimal(100_000))], actor="test")
        store.define_question(Question(id="q1", kind="approval", titles={"en": "Choose"}, options=("p1",)), actor="test")
        store.open(actor="test")
        hearing_id = store.id
    with mock.patch.dict(os.environ, {"PBTOOLS_PUBLIC_URL": "http://192.168.4.1:8866"}):  # a hall address for the tab
        server = Server(workspace, free_port(), tmp_path / "serve.log")
    try:
        with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
            page.goto(server.url + "/voila/render/console.ipynb?lang=en")
            page.locator("#pb-console-summary").wait_for(timeout=90_000)
            page.get_by_role("tab", name="Phone voting").click()
            page.locator("#pb-phone-counts", has_text="Choose — 0").wait_for()
            with open_workspace(workspace, create=False) as ws:  # a phone votes (the server's process, in effect)
                HearingStore(ws, hearing_id).cast("q1", Ballot((("p1", 1),)), actor="phone:a", channel="phone")
            page.locator("#pb-phone-counts", has_text="Choose — 1").wait_for(timeout=10_000)  # the console polls each second
    finally:
        server.stop()
