"""The hearing console driven from Python as a facilitator would: clicks, typed ballots, counts."""

from __future__ import annotations

import pytest

from pbtools.hearings.agenda_io import write_agenda
from decimal import Decimal

from pbtools.hearings.model import Option
from pbtools.hearings.store import HearingError, HearingStore
from pbtools.i18n import translator
from pbtools.storage import open_workspace
from pbtools_widgets.console import ConsoleApp


def agenda_options() -> list[Option]:
    titles = ("Суу түтүгү", "Таштанды", "Көчө жарыгы", "Бала бакча")
    return [Option(id=f"p{i}", number=i, titles={"ky": t}, cost=Decimal(500_000 * i), sector="other") for i, t in enumerate(titles, 1)]


def choices(reg, row: str, text: bool = False) -> list[str]:
    """The values (or the texts on screen) of one row of the door form's answers, "—" first."""
    (found,) = [r for r in reg.form.rows if r["name"] == row]
    return [c[0] if text else c[1] for c in found["choices"]]


def open_tab(app, name: str):
    """Click a tab, as the facilitator does before using it; returns its panel."""
    app.tabs.selected_index = list(app.panels).index(name)
    return app.panels[name]


@pytest.fixture
def ws(demo_copy):
    with open_workspace(demo_copy) as workspace:  # a copy of the sample workspace
        yield workspace


@pytest.fixture
def app(ws, tmp_path):
    """A console with a new open hearing: agenda imported, one approval question (up to 2 of the options)."""
    app = ConsoleApp(ws, lang="ky")
    app.operator.value = "Aida"
    hp = app.panels["hearing"]
    hp.type.value = "pb_vote"
    hp.venues["ky"].value = "Мектеп"
    hp.villages.value = tuple(value for _, value in hp.villages.options[:2])
    hp.budget.value = "3 000 000"
    hp.create.click()
    assert "pb-ok" in hp.message.value
    agenda = write_agenda(agenda_options(), tmp_path / "agenda.xlsx")
    assert open_tab(app, "agenda").import_file("agenda.xlsx", agenda.read_bytes())
    hp = open_tab(app, "hearing")
    hp.q_kind.value = "approval"
    hp.q_titles["ky"].value = "Эки долбоорду тандаңыз"
    hp.q_options.value = tuple(v for _, v in hp.q_options.options)
    hp.q_max.value = 2
    hp.q_add.click()
    hp.open_button.click()
    assert app.state.status == "open", hp.message.value
    return app


def test_new_hearing_is_selected_with_its_agenda(app):
    assert app.choice.value == app.store.id
    assert app.state.hearing.venue == "Мектеп"
    assert open_tab(app, "agenda").table.value.count("<tr>") == len(agenda_options()) + 1


def test_registration_counts_women_and_villages(app):
    from pbtools.hearings.model import label

    reg = open_tab(app, "registration")
    village = choices(reg, "village")[1]
    for sex in ("f", "f", "m"):
        reg.form.submit(sex=sex, age="30_44", village=village)
    assert (app.state.counters.total, app.state.counters.women) == (3, 2)
    assert app.state.counters.by_village[village] == 3
    assert "Катталды: 3" in reg.counters.value and "аялдар: 2" in reg.counters.value
    assert f"{label('30_44', 'ky')}: 3" in reg.counters.value  # by age group too


def test_nothing_is_recorded_for_a_person_that_was_not_chosen_for_them(app):
    """Every row of answers offers "—" (not given) first; what the browser sends for a person is recorded, and an
    answer it does not send is "not given", never the previous person's answer nor a first option. (The browser
    starts each person at "—": tests/browser/test_console_keyboard.py.)"""
    from pbtools.hearings.model import UNKNOWN, label

    reg = open_tab(app, "registration")
    assert [row["name"] for row in reg.form.rows] == ["sex", "age", "village", "category"]
    assert all(row["choices"][0][:2] == ["—", UNKNOWN] for row in reg.form.rows)
    village = choices(reg, "village")[1]
    reg.form.submit(sex="f", age="18_29", village=village, category="deputy")
    assert label("deputy", "ky") in reg.message.value  # the clerk sees what was recorded
    reg.form.submit()  # the next person said nothing
    store = HearingStore(app.ws, app.store.id)  # on disk
    first, second = (store.state.participants[seq] for seq in sorted(store.state.participants))
    assert (first.sex, first.age, first.village, first.category) == ("f", "18_29", village, "deputy")
    assert (second.sex, second.age, second.village, second.category) == (UNKNOWN,) * 4
    c = store.state.counters
    assert (c.total, c.women, c.men, c.by_age[UNKNOWN], c.by_village[UNKNOWN]) == (2, 1, 0, 1, 1)
    assert "жынысы көрсөтүлгөн эмес: 1" in reg.counters.value
    assert "көрсөтүлгөн эмес: Жынысы, Жаш курагы, Айыл, Категория" in reg.message.value  # not given: sex, age...


def test_the_console_says_under_which_name_actions_are_recorded(ws):
    app = ConsoleApp(ws, lang="ru")
    # the unnamed writer said in the screen's language, as the counts' list says it (not the English id)
    assert "pb-warning" in app.operator_note.value and "«Ведущий»" in app.operator_note.value
    assert "facilitator" not in app.operator_note.value
    app.lang_switch.value = "ky"
    assert "«Алып баруучу»" in app.operator_note.value and "facilitator" not in app.operator_note.value
    app.lang_switch.value = "ru"
    app.operator.value = "Айгүл Токтогулова"
    assert "pb-warning" not in app.operator_note.value and "Айгүл Токтогулова" in app.operator_note.value
    assert app.actor == "Айгүл Токтогулова"
    app.operator.value = "Айгуль Т."  # one period ends the sentence (a trial saw «Айгуль Т..»)
    assert "Айгуль Т.</p>" in app.operator_note.value and app.actor == "Айгуль Т."


def test_typed_ballots_are_stored_and_counted(app):
    paper = open_tab(app, "paper")
    for text in ("1 2", "3", "2 4"):
        paper.typed.submit(text)
        assert paper.typed.value == ""  # cleared for the next ballot once stored
    store = HearingStore(app.ws, app.store.id)  # what another process reads: it is on disk
    assert len(store.state.ballots_for(paper.question.value)) == 3
    assert "Эсептелген бюллетендер: 3" in paper.count.value


def test_invalid_ballot_is_refused_in_the_users_language_and_not_stored(app):
    paper = open_tab(app, "paper")
    paper.typed.submit("1 2 3")  # three choices where two are allowed
    assert "pb-error" in paper.message.value
    assert paper.typed.value == "1 2 3"  # kept, so the clerk can correct it
    assert len(app.state.ballots_for(paper.question.value)) == 0
    app.lang_switch.value = "ru"
    paper.typed.submit("1 99")
    assert "99" in paper.message.value and "pb-error" in paper.message.value
    assert len(HearingStore(app.ws, app.store.id).state.ballots_for(paper.question.value)) == 0


def test_undo_last_voids_but_never_deletes(app):
    paper = open_tab(app, "paper")
    paper.typed.submit("1")
    paper.typed.submit("2")
    paper.undo.click()
    st = HearingStore(app.ws, app.store.id).state
    assert [b.ballot.option_ids() for b in st.ballots_for(paper.question.value)] == [["p1"]]
    assert len(st.voids) == 1 and len(st.voided) == 1
    assert not HearingStore(app.ws, app.store.id).verify()


def test_double_entry_lists_the_ballots_that_differ(app):
    paper = open_tab(app, "paper")
    paper.double.value = True
    paper.pile.value = "A"
    for entry, texts in ((1, ("1", "2", "3")), (2, ("1", "4", "3"))):
        paper.entry.value = entry
        for text in texts:
            paper.typed.submit(text)
            assert paper.typed.value == "", paper.message.value
    paper.compare.click()
    assert "pb-differences" in paper.differences.value
    assert "2-бюллетень" in paper.differences.value and "1-бюллетень" not in paper.differences.value


def test_closing_needs_confirmation_then_freezes(app):
    hp = open_tab(app, "hearing")
    hp.close_button.click()
    assert app.state.status == "open" and "pb-error" in hp.message.value
    hp.confirm_close.value = True
    hp.close_button.click()
    assert app.state.status == "closed"
    paper = open_tab(app, "paper")
    paper.typed.submit("1")
    assert "pb-error" in paper.message.value
    assert len(app.state.ballots) == 0


def test_ballots_from_another_process_appear_on_poll(app):
    paper = open_tab(app, "paper")
    other = HearingStore(app.ws, app.store.id)
    other.cast_typed(paper.question.value, "1 2", actor="phone server", channel="phone")
    app.timer.value += 1  # what the browser's timer does every second
    assert "Эсептелген бюллетендер: 1" in paper.count.value


def widget_texts(widget) -> list[str]:
    """Every string a widget and its children hold (values, descriptions, options): what the screen can show."""
    import ipywidgets as w

    found, seen, todo = [], set(), [widget]
    while todo:
        item = todo.pop()
        if id(item) in seen:
            continue
        seen.add(id(item))
        for name in item.keys:
            value = getattr(item, name, None)
            values = value if isinstance(value, (tuple, list)) else [value]
            for v in values:
                if isinstance(v, w.Widget):
                    todo.append(v)
                elif isinstance(v, str):
                    found.append(v)
                elif isinstance(v, tuple):
                    found += [x for x in v if isinstance(x, str)]
    return found


def test_hearing_details_are_saved_and_registration_follows_them(app):
    hp = open_tab(app, "hearing")
    hp.h_titles["ky"].value = "Жарандардын бюджети 2027"
    hp.h_chair.value, hp.h_secretary.value, hp.h_facilitator.value = "Гүлнара Осмонова", "Бакыт Жумабаев", "Айпери"
    hp.h_commission.value = "Нурлан Асанов\nЖылдыз Кадырова\n\n"
    hp.h_record_names.value = hp.h_under_18.value = True
    hp.save.click()
    assert "pb-ok" in hp.message.value, hp.message.value
    h = HearingStore(app.ws, app.store.id).state.hearing  # on disk before the screen said saved
    assert (h.title, h.chair, h.secretary, h.facilitator) == ("Жарандардын бюджети 2027", "Гүлнара Осмонова", "Бакыт Жумабаев", "Айпери")
    assert h.commission == ("Нурлан Асанов", "Жылдыз Кадырова") and h.record_names and h.allow_under_18
    assert dict((v, k) for k, v in app.choice.options)[app.store.id].endswith("Жарандардын бюджети 2027")
    reg = open_tab(app, "registration")
    assert reg.form.ask_name and "under_18" in choices(reg, "age")
    reg.form.submit(sex="f", age="under_18", name="Айжан")
    (person,) = HearingStore(app.ws, app.store.id).state.participants.values()
    assert (person.name, person.age) == ("Айжан", "under_18")
    hp = open_tab(app, "hearing")  # under-18s registered: they cannot be disallowed any more
    hp.h_under_18.value = False
    hp.save.click()
    assert "pb-error" in hp.message.value and "18" in hp.message.value
    assert HearingStore(app.ws, app.store.id).state.hearing.allow_under_18


def test_by_default_names_are_not_asked_nor_under_18s_offered(app):
    reg = open_tab(app, "registration")
    assert not reg.form.ask_name and "under_18" not in choices(reg, "age")
    assert not app.state.hearing.record_names and not app.state.hearing.allow_under_18


def test_a_bad_detail_is_named_in_the_screens_language_and_changes_nothing(app):
    hp = open_tab(app, "hearing")
    head = app.ws.ledger.head(app.store.stream)
    app.lang_switch.value = "ru"
    hp.h_chair.value = "Гүлнара Осмонова"
    hp.h_commission.value = "Нурлан Асанов\nНурлан Асанов"
    hp.save.click()
    assert "pb-error" in hp.message.value and "Счётная комиссия: Нурлан Асанов" in hp.message.value
    assert app.ws.ledger.head(app.store.stream) == head and HearingStore(app.ws, app.store.id).state.hearing.chair == ""
    hp.h_commission.value = "Нурлан Асанов"
    hp.h_chair.value = "x" * 200
    hp.save.click()
    assert "Председатель" in hp.message.value and "200" in hp.message.value
    assert app.ws.ledger.head(app.store.stream) == head


def test_a_closed_hearing_cannot_be_edited(app):
    hp = open_tab(app, "hearing")
    hp.confirm_close.value = True
    hp.close_button.click()
    assert app.state.status == "closed" and hp.save.disabled and hp.h_chair.disabled
    hp.h_chair.value = "Someone"
    assert not hp.save_hearing()  # what the button would do if the browser still sent a click
    assert "pb-error" in hp.message.value
    assert HearingStore(app.ws, app.store.id).state.hearing.chair == ""


def test_question_counting_rule_score_and_tie_rule_are_chosen_and_stored(app):
    hp = open_tab(app, "hearing")
    # a new hearing: questions can be added while it is a draft
    hp.type.value, hp.budget.value = "pb_vote", "1 000 000"
    hp.create.click()
    assert open_tab(app, "agenda").import_file("a.csv", b"title_ky,cost\nA,100\nB,200\n")
    hp = open_tab(app, "hearing")
    hp.q_kind.value = "points"
    assert hp.q_score.value == "points"  # what a dot vote counts unless chosen otherwise
    hp.q_kind.value = "ranking"
    assert hp.q_score.value == "borda"
    hp.q_kind.value = "points"
    hp.q_titles["ky"].value, hp.q_points.value = "5 упай", 5
    hp.q_options.value = tuple(v for _, v in hp.q_options.options)
    hp.q_rule.value, hp.q_tie.value = "mes-add1-greedy", "lexicographic"
    assert {v for _, v in hp.q_rule.options} >= {"greedy", "mes", "phragmen"}
    hp.q_add.click()
    assert "pb-ok" in hp.message.value, hp.message.value
    (q,) = HearingStore(app.ws, app.store.id).state.questions.values()
    assert (q.kind, q.rule, q.score, q.tie_rule) == ("points", "mes-add1-greedy", "points", "lexicographic")
    hp.q_kind.value, hp.q_titles["ky"].value = "ranking", "Иреттеңиз"
    hp.q_rule.value = "mes"  # Equal Shares cannot count Borda points: refused, nothing stored
    hp.q_add.click()
    assert "pb-error" in hp.message.value and len(HearingStore(app.ws, app.store.id).state.questions) == 1


def test_a_question_is_written_in_each_language_and_needs_one(app):
    hp = open_tab(app, "hearing")
    hp.q_kind.value = "approval"
    assert hp.q_points.layout.display == "none" and hp.q_max.layout.display is None  # only what the kind uses
    hp.q_kind.value = "motion"
    assert hp.q_options.layout.display == "none" and hp.q_tie.layout.display == "none"
    hp.q_kind.value = "approval"
    hp.q_options.value = tuple(v for _, v in hp.q_options.options)[:3]
    hp.q_add.click()  # no title in any language: refused
    assert "pb-error" in hp.message.value and "аталышы жок" in hp.message.value
    before = len(app.state.questions)
    hp.q_titles["ky"].value, hp.q_titles["ru"].value = "Бир долбоорду тандаңыз", "Выберите один проект"
    hp.q_add.click()
    assert "pb-ok" in hp.message.value and len(app.state.questions) == before + 1
    q = app.state.questions[f"q{before + 1}"]
    assert (q.title("ky"), q.title("ru")) == ("Бир долбоорду тандаңыз", "Выберите один проект")
    assert all(text.value == "" for text in hp.q_titles.values())  # ready for the next question


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_agenda_export_downloads_and_imports_back_the_same(app, fmt):
    import base64
    import re

    agenda = open_tab(app, "agenda")
    agenda.exports[fmt].click()
    assert "pb-ok" in agenda.message.value
    # the file made, never the server's folder (meaningless on the tablet that downloads it)
    assert translator("ky")("Made: {file}", file=f"agenda-{app.store.id}.{fmt}") in agenda.message.value
    assert str(app.ws.path) not in agenda.message.value + agenda.link.value
    link = re.search(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', agenda.link.value)
    assert link and link.group(1) == f"agenda-{app.store.id}.{fmt}"
    content = base64.b64decode(link.group(2))  # what the browser saves
    exported, first = dict(app.state.options), app.store.id
    hp = open_tab(app, "hearing")
    hp.type.value = "pb_vote"
    hp.create.click()
    assert app.store.id != first and not app.state.options  # the new, empty hearing is the one selected
    assert open_tab(app, "agenda").import_file(link.group(1), content)
    assert HearingStore(app.ws, app.store.id).state.options == exported


def test_a_report_says_which_file_was_made_never_where_the_server_keeps_it(app):
    """The trial (monitoring, and the same here): «Записано: /tmp/…/workspace/reports/…», the server's path with its
    home folder, meaningless on the tablet that downloads the file by the link under it."""
    reports = open_tab(app, "reports")
    out = reports.write("xlsx")
    assert out is not None and out.is_file()
    assert translator("ky")("Made: {file}", file=out.name) in reports.message.value
    assert f'download="{out.name}"' in reports.result.value
    assert str(app.ws.path) not in reports.message.value + reports.result.value


def test_code_cards_are_issued_offered_and_never_shown(app):
    import base64
    import csv as csvlib
    import io
    import re

    reg = open_tab(app, "registration")
    for _ in range(3):
        reg.form.submit()
    assert reg.n_cards.value == 3  # everyone registered without a card
    reg.print_cards.click()
    assert "pb-ok" in reg.cards_message.value, reg.cards_message.value
    assert len(HearingStore(app.ws, app.store.id).state.codes) == 3  # recorded as issued
    links = dict(re.findall(r'download="([^"]+)" href="data:[^;]+;base64,([^"]+)"', reg.cards_links.value))
    pdf = next(base64.b64decode(v) for k, v in links.items() if k.endswith(".pdf"))
    table = next(base64.b64decode(v) for k, v in links.items() if k.endswith(".csv"))
    assert pdf.startswith(b"%PDF")
    codes = [row["code"] for row in csvlib.DictReader(io.StringIO(table.decode("utf-8")))]
    assert len(set(codes)) == 3
    texts = "\n".join(widget_texts(app.view))  # the screen (maybe the projector) holds no code
    assert "Катталды: 3" in texts  # the walk reaches the panel's texts (in Kyrgyz)
    assert not any(c in texts or c.replace("-", "") in texts for c in codes)
    assert reg.n_cards.value == 0
    reg.form.submit()
    reg.form.submit()
    assert reg.n_cards.value == 2
    paper = open_tab(app, "paper")  # a printed code votes, once
    store = HearingStore(app.ws, app.store.id)
    store.cast_typed(paper.question.value, "1", actor="tablet", channel="code", code=codes[0])
    with pytest.raises(HearingError):
        store.cast_typed(paper.question.value, "2", actor="tablet", channel="code", code=codes[0])


def test_a_hearing_made_in_russian_names_its_places_in_each_language(ws, tmp_path):
    from pbtools.reports.protocol import build_protocol

    app = ConsoleApp(ws, lang="ru")
    hp = app.panels["hearing"]
    hp.type.value = "pb_vote"
    hp.villages.value = tuple(value for _, value in hp.villages.options[:2])
    hp.budget.value = "1 000 000"
    hp.create.click()
    m = ws.municipality()
    first, second = m.villages[0], m.villages[1]
    h = app.state.hearing
    assert (h.municipality, h.villages) == (m.name("ky"), (first.name("ky"), second.name("ky")))  # stored in Kyrgyz
    hp.open_button.click()
    reg = open_tab(app, "registration")
    assert choices(reg, "village", text=True) == ["—", first.name("ru"), second.name("ru")]
    reg.form.submit(village=second.name("ky"))
    assert app.state.participants[max(app.state.participants)].village == second.name("ky")
    assert second.name("ru") in reg.counters.value
    app.lang_switch.value = "ky"
    assert choices(reg, "village", text=True) == ["—", first.name("ky"), second.name("ky")]
    for lang in ("ru", "ky"):
        text = str([getattr(b, "fields", None) or getattr(b, "rows", None) for b in build_protocol(app.state, lang, charts=False, municipality=m).blocks])
        assert m.name(lang) in text and second.name(lang) in text
    assert first.name("ru") != first.name("ky")  # the sample's names differ by language: the test can tell them apart


def test_a_wrong_registration_is_cancelled_at_the_door(app):
    reg = open_tab(app, "registration")
    assert reg.undo.disabled  # nothing registered from this door yet
    reg.form.submit(sex="m")  # she was registered as a man by mistake...
    reg.undo.click()
    assert app.state.counters.total == 0 and "pb-ok" in reg.message.value and reg.undo.disabled
    (void,) = app.state.voids.values()
    assert void.reason == "registration-undone"
    reg.form.submit(sex="f")  # ...and again, rightly
    assert (app.state.counters.total, app.state.counters.women) == (1, 1)


def test_the_heading_names_the_municipality_in_the_screens_language(ws):
    """A hub user granted two municipalities could not see which one a console was on (new-user trial s26 M7)."""
    app = ConsoleApp(ws, lang="ru")
    m = ws.municipality()
    assert f'<div class="pb-place">{m.name("ru")}</div>' in app.heading.value and "Пульт ведущего слушаний" in app.heading.value
    app.lang_switch.value = "ky"
    assert f'<div class="pb-place">{m.name("ky")}</div>' in app.heading.value


def test_a_hearing_gone_from_a_copy_put_back_is_said_and_the_console_goes_back_to_the_list(ws, tmp_path):
    """The database is put back from a copy taken before the hearing shown was made: at the timer's next tick the
    console says so in the screen's language and lists the hearings on disk (the tick raised HearingError)."""
    from tests.fixtures.db_copies import copy_db, restore_db

    backup = copy_db(ws.path, tmp_path / "backup.sqlite")
    app = ConsoleApp(ws, lang="ru")
    before = [value for _, value in app.choice.options]
    hp = app.panels["hearing"]
    hp.type.value = "pb_vote"
    hp.venues["ky"].value = "Мектеп"
    hp.villages.value = tuple(value for _, value in hp.villages.options[:1])
    hp.budget.value = "1 000 000"
    hp.create.click()
    made = app.store.id
    assert made not in before and app.choice.value == made
    restore_db(ws.path, backup)
    app.timer.value += 1  # what the browser's timer does every second
    assert "pb-error" in app.notice.value and made in app.notice.value and "Выберите слушание из списка" in app.notice.value
    assert [value for _, value in app.choice.options] == before and app.choice.value != made
    assert app.store is None or app.store.id in before
    app.lang_switch.value = "ky"
    assert "тизмеден угууну кайра тандаңыз" in app.notice.value.lower()
    app.timer.value += 1  # the next tick: nothing more to say, nothing raised
    assert made in app.notice.value
