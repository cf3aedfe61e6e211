"""Setting up a hearing in the console: which hearing it opens on, the agenda (village names, an option by hand),
the hearing tab's buttons and forms, as a facilitator would use them from the browser (clicks and values)."""

from __future__ import annotations

import shutil
from datetime import date
from decimal import Decimal

import pytest

from pbtools.dates import shown_day
from pbtools.hearings.model import Hearing, Option, Question, village_name
from pbtools.hearings.sample import SAMPLE_DIR
from pbtools.hearings.store import HearingStore, create_hearing, hearing_ids, state
from pbtools.storage import open_workspace
from pbtools_widgets.console import ConsoleApp
from pbtools.hearings.store import hearing_under_way


def open_tab(app, name: str):
    app.tabs.selected_index = list(app.panels).index(name)
    return app.panels[name]


@pytest.fixture
def ws(demo_copy):
    with open_workspace(demo_copy) as workspace:  # a copy of the sample workspace (its closed sample hearing)
        yield workspace


def new_hearing(ws, date: str, venue: str = "") -> HearingStore:
    m = ws.municipality()
    return create_hearing(ws, Hearing(id="", municipality=m.name("ky"), type="pb_vote", date=date, venue=venue), actor="t")


def one_question() -> Question:
    return Question("q1", "single", {"ky": "Кайсы?"}, options=("1",))


def test_a_new_console_opens_on_the_open_hearing_then_the_newest_draft(ws):
    closed = [h for h in hearing_ids(ws) if state(ws, h).status == "closed"]
    assert closed, "the demo has a closed sample hearing"
    assert ConsoleApp(ws, lang="ky").choice.value == closed[0]  # nothing else to run
    new_hearing(ws, "2026-11-01")
    newer = new_hearing(ws, "2026-11-20")
    assert ConsoleApp(ws, lang="ky").choice.value == newer.id  # the newest draft, not the closed one
    older = new_hearing(ws, "2026-10-01")
    older.add_option(Option("1", 1, {"ky": "Суу"}, Decimal(100)), actor="t")
    older.define_question(one_question(), actor="t")
    older.open(actor="t")
    assert ConsoleApp(ws, lang="ky").choice.value == older.id  # voting under way beats any draft
    assert hearing_under_way([]) is None


def test_the_facilitators_choice_is_kept_but_a_choice_made_for_nobody_is_redone(ws):
    app = ConsoleApp(ws, lang="ky")  # e.g. a preheated kernel: built before the hearing of the day existed
    sample = app.choice.value
    draft = new_hearing(ws, "2026-11-20")
    app.render()  # the page is shown
    assert app.choice.value == draft.id and app.store.id == draft.id
    app.choice.value = sample  # the facilitator looks at last year's hearing
    app.lang_switch.value = "ru"
    app.render()
    assert app.choice.value == sample and app.store.id == sample


def test_option_villages_are_shown_by_name_in_the_screens_language(ws, tmp_path):
    agenda = tmp_path / "projects.csv"
    shutil.copy(SAMPLE_DIR / "projects.csv", agenda)  # villages as ids: zhany-aiyl, all, kok-talaa, ...
    app = ConsoleApp(ws, lang="ky")
    app.reload_choices(select=new_hearing(ws, "2026-11-20").id)
    panel = open_tab(app, "agenda")
    assert panel.import_file("projects.csv", agenda.read_bytes()), panel.message.value
    m = ws.municipality()
    for lang, everyone in (("ky", "Бардык айылдар"), ("ru", "Все сёла"), ("en", "All villages")):
        app.lang_switch.value = lang
        table = panel.table.value
        for v in m.villages:
            assert v.name(lang) in table
        assert everyone in table
        assert "zhany-aiyl" not in table and "kok-talaa" not in table and ">all<" not in table
    # by id, by a name in any language, "all"; an unknown village as written
    assert village_name("Жаны-Айыл", m, "en") == "Zhany-Aiyl"
    assert village_name("KOK-TALAA", m, "ky") == "Көк-Талаа"
    assert village_name("Somewhere", m, "ru") == "Somewhere" and village_name("", m, "ru") == ""


@pytest.fixture
def draft_app(ws):
    app = ConsoleApp(ws, lang="ky")
    app.operator.value = "Aida"
    app.reload_choices(select=new_hearing(ws, "2026-11-20").id)
    return app


def fill(panel, number="", ky="", ru="", cost=""):
    panel.f_number.value, panel.f_cost.value = number, cost
    panel.f_titles["ky"].value, panel.f_titles["ru"].value = ky, ru


def test_an_option_is_added_by_hand_and_stored_before_the_screen_says_so(draft_app, ws):
    panel = open_tab(draft_app, "agenda")
    assert panel.form.layout.display is None and panel.f_number.placeholder == "1"
    fill(panel, "", "Мектепке чатыр", "Крыша школы", "1 250 000")
    panel.f_village.value, panel.f_sector.value, panel.f_proposer.value = "Бел-Саз", "education", "council"  # stored by its Kyrgyz name
    panel.f_add.click()
    assert "pb-ok" in panel.message.value, panel.message.value
    stored = state(ws, draft_app.store.id).options  # read back from the database, not the screen
    option = next(iter(stored.values()))
    assert (option.number, option.cost, option.village, option.sector, option.proposer) == (
        1, Decimal(1_250_000), "Бел-Саз", "education", "council")
    assert option.titles == {"ky": "Мектепке чатыр", "ru": "Крыша школы"}
    assert "Бел-Саз" in panel.table.value and "Мектепке чатыр" in panel.table.value
    assert panel.f_titles["ky"].value == "" and panel.f_number.placeholder == "2"  # ready for the next one


@pytest.mark.parametrize("number, ky, cost, lang, said", [
    ("x", "Суу", "100", "ky", "Номери: x бүтүн сан эмес"),
    ("2", "", "100", "ru", "Название: "),
    ("2", "Суу", "жүз", "ky", "Наркы, сом: жүз"),
    ("2", "Суу", "-5", "en", "Cost, som: "),
    ("1", "Суу", "100", "en", "Option number 1"),  # the number of the option already there
])
def test_a_bad_option_is_named_in_the_screens_language_and_stores_nothing(draft_app, ws, number, ky, cost, lang, said):
    panel = open_tab(draft_app, "agenda")
    fill(panel, "1", "Биринчи", "", "10")
    panel.f_add.click()
    draft_app.lang_switch.value = lang
    before = draft_app.ws.ledger.head(draft_app.store.stream)
    fill(panel, number, ky, "", cost)
    panel.f_add.click()
    assert "pb-error" in panel.message.value and said in panel.message.value, panel.message.value
    assert draft_app.ws.ledger.head(draft_app.store.stream) == before
    assert len(state(ws, draft_app.store.id).options) == 1
    assert panel.f_titles["ky"].value == ky  # what was typed stays, to be corrected


def test_open_voting_goes_away_once_voting_is_open_and_the_agenda_form_too(draft_app):
    panel = open_tab(draft_app, "agenda")
    fill(panel, "1", "Суу", "", "100")
    panel.f_add.click()
    draft_app.store.define_question(one_question(), actor="t")
    hp = open_tab(draft_app, "hearing")
    assert hp.open_button.layout.display is None
    hp.open_button.click()
    assert draft_app.state.status == "open" and "Добуш берүү ачылды" in hp.message.value
    assert hp.open_button.layout.display == "none" and hp.close_button.layout.display is None
    panel = open_tab(draft_app, "agenda")
    assert panel.upload.disabled and panel.f_add.layout.display == "none"  # nothing new on the agenda once voting is open
    assert "аталыштарын гана" in panel.f_locked.value  # why the rest is locked
    assert [label for label, _ in panel.f_pick.options] == ["—", "№1 Суу"]  # only a correction of what is there


def test_a_draft_option_is_picked_corrected_and_taken_off(draft_app, ws):
    panel = open_tab(draft_app, "agenda")
    fill(panel, "1", "Суу тутугу", "", "100 000")
    panel.f_village.value, panel.f_sector.value = "Бел-Саз", "water"
    panel.f_add.click()
    assert (panel.f_village.value, panel.f_sector.value) == ("", "other")  # the next option starts afresh
    fill(panel, "2", "Мектеп", "", "200 000")
    panel.f_add.click()
    (first, _), (second, _) = sorted(state(ws, draft_app.store.id).options.items())
    panel.f_pick.value = first
    assert (panel.f_number.value, panel.f_titles["ky"].value, panel.f_cost.value) == ("1", "Суу тутугу", "100 000")
    assert panel.f_add.description == "Өзгөртүүлөрдү сактоо" and panel.f_remove.layout.display is None
    assert (panel.f_village.value, panel.f_sector.value) == ("Бел-Саз", "water")
    panel.f_titles["ky"].value, panel.f_titles["ru"].value, panel.f_cost.value = "Суу түтүгү", "Водопровод", "120 000"
    panel.f_add.click()
    assert "pb-ok" in panel.message.value, panel.message.value
    stored = state(ws, draft_app.store.id).options  # read back from the database
    assert len(stored) == 2 and stored[first].titles == {"ky": "Суу түтүгү", "ru": "Водопровод"}
    assert stored[first].cost == Decimal(120_000) and stored[first].number == 1 and stored[first].village == "Бел-Саз"
    assert panel.f_pick.value == "" and panel.f_titles["ky"].value == ""  # back to a new option
    draft_app.store.define_question(Question("q", "approval", {"ky": "Кайсынысы?"}, (first,), max_choices=1), actor="t")
    panel.f_pick.value = first
    before = ws.ledger.head(draft_app.store.stream)
    panel.f_remove.click()
    assert "pb-error" in panel.message.value and "Кайсынысы?" in panel.message.value, panel.message.value
    assert ws.ledger.head(draft_app.store.stream) == before and panel.f_pick.value == first
    panel.f_pick.value = second
    panel.f_remove.click()
    assert "pb-ok" in panel.message.value, panel.message.value
    assert set(state(ws, draft_app.store.id).options) == {first} and "Мектеп" not in panel.table.value


def test_the_village_list_offers_the_hearings_villages(ws):
    m = ws.municipality()
    two = tuple(v.name("ky") for v in m.villages[:2])
    store = create_hearing(ws, Hearing(id="", municipality=m.name("ky"), type="pb_vote", date="2026-11-21", villages=two), actor="t")
    app = ConsoleApp(ws, lang="ky")
    app.reload_choices(select=store.id)
    values = [v for _, v in open_tab(app, "agenda").f_village.options]
    assert values == ["", "all", *two] and len(m.villages) > 2


def test_once_voting_is_open_a_title_is_corrected_but_not_the_cost(draft_app, ws):
    panel = open_tab(draft_app, "agenda")
    fill(panel, "1", "Суу тутугу", "", "100 000")
    panel.f_add.click()
    draft_app.store.define_question(one_question(), actor="t")
    open_tab(draft_app, "hearing").open_button.click()
    panel = open_tab(draft_app, "agenda")
    (only,) = state(ws, draft_app.store.id).options
    panel.f_pick.value = only
    assert panel.f_cost.disabled and panel.f_number.disabled and not panel.f_titles["ru"].disabled
    assert panel.f_remove.layout.display == "none"
    panel.f_titles["ky"].value = "Суу түтүгү"
    panel.f_add.click()
    assert "pb-ok" in panel.message.value, panel.message.value
    option = state(ws, draft_app.store.id).options[only]
    assert option.title("ky") == "Суу түтүгү" and option.cost == Decimal(100_000)


def test_the_new_hearing_form_is_cleared_once_created_and_messages_do_not_linger(ws):
    app = ConsoleApp(ws, lang="ky")
    hp = app.panels["hearing"]
    hp.venues["ky"].value, hp.budget.value = "Мектеп", "2 000 000"
    hp.villages.value = tuple(value for _, value in hp.villages.options[:2])
    hp.create.click()
    assert "pb-ok" in hp.message.value and app.state.hearing.venue == "Мектеп"
    assert (hp.venues["ky"].value, hp.budget.value, hp.villages.value) == ("", "0", ())
    n = len(hearing_ids(ws))
    open_tab(app, "agenda")
    assert hp.message.value == ""  # the confirmation is gone once the facilitator moved on
    hp = open_tab(app, "hearing")
    hp.h_chair.value = "Асан"
    hp.save.click()
    assert "pb-ok" in hp.message.value
    app.choice.value = next(h for h in hearing_ids(ws) if h != app.store.id)
    assert hp.message.value == ""
    assert len(hearing_ids(ws)) == n


def test_the_new_hearing_s_day_is_filled_in_as_the_screen_writes_days_and_read_back(ws):
    """It was filled in ISO (2026-12-07) on a ky/ru screen that writes every other day 07.12.2026."""
    today = date.today()
    app = ConsoleApp(ws, lang="ru")
    hp = open_tab(app, "hearing")
    assert hp.date.value == today.strftime("%d.%m.%Y")
    app.lang_switch.value = "en"
    assert hp.date.value == today.isoformat()  # left as filled in: it follows the language
    app.lang_switch.value = "ky"
    assert hp.date.value == shown_day(today, "ky")
    hp.create.click()  # as filled in: read back as today
    assert "pb-ok" in hp.message.value and app.state.hearing.date == today.isoformat()
    hp.date.value = "21.11.2026"  # a day typed is kept through a language switch, and read as typed
    app.lang_switch.value = "ru"
    assert hp.date.value == "21.11.2026"
    hp.create.click()
    assert "pb-ok" in hp.message.value and app.state.hearing.date == "2026-11-21"
    assert hp.date.value == shown_day(today, "ru")  # the form starts again from today


def test_labels_fit_their_buttons_and_question_options_show_whole_titles(draft_app):
    hp = draft_app.panels["hearing"]
    for widget in (hp.open_button, hp.close_button, hp.confirm_close, hp.create, hp.save, hp.q_add,
                   hp.h_record_names, hp.h_under_18, hp.q_stacking):
        assert widget.layout.width == "max-content", widget.description
    agenda = draft_app.panels["agenda"]
    for widget in (agenda.upload, *agenda.exports.values(), agenda.f_add):
        assert widget.layout.width == "max-content", widget.description
    assert hp.q_options.layout.width == "56rem"


def test_opening_the_paper_ballots_tab_puts_the_cursor_in_the_box(draft_app):
    typed = draft_app.panels["paper"].typed
    sent, send = [], typed.send  # the custom messages to the browser: focus() is {"do": "focus"}
    typed.send = lambda content, buffers=None: (sent.append(content), send(content, buffers))
    open_tab(draft_app, "agenda")
    assert {"do": "focus"} not in sent
    open_tab(draft_app, "paper")
    assert {"do": "focus"} in sent


def test_the_hearing_tab_names_each_questions_limit(ws):
    # the sample's approval question: choose up to 3 (the protocol says so too)
    assert "; up to 3 options" in open_tab(ConsoleApp(ws, lang="en"), "hearing").details.value
    assert "3 вариантка чейин" in open_tab(ConsoleApp(ws, lang="ky"), "hearing").details.value


def test_the_hearing_tab_and_chooser_give_the_day_as_the_screen_s_language_writes_it(ws):
    day = state(ws, hearing_ids(ws)[0]).hearing.date  # the sample's one hearing, kept in ISO
    for lang, shown in (("ru", shown_day(day, "ru")), ("ky", shown_day(day, "ky")), ("en", day)):
        app = ConsoleApp(ws, lang=lang)
        assert f", {shown}, " in open_tab(app, "hearing").details.value
        assert app.choice.label.startswith(f"{shown} · ")
    assert shown_day(day, "ru") != day


def test_a_motion_is_listed_without_budget_rules(ws):
    app = ConsoleApp(ws, lang="en")  # the sample hearing: three budget questions and a motion
    items = open_tab(app, "hearing").details.value.split("<li>")[1:]
    motion = next(i for i in items if "Yes / no / abstain" in i)
    others = [i for i in items if i is not motion]
    assert others and all("Greedy" in i for i in others)
    assert "Greedy" not in motion and "cheaper" not in motion


def test_a_question_without_ballots_is_picked_and_changed(draft_app, ws):
    """The agenda refuses to drop an option a question lists; the question is then picked, the option taken off
    it, and the option can go. The lot drawn for ties stays the same."""
    assert "Күн тартиби" in open_tab(draft_app, "hearing").q_no_options.value  # where the options come from
    panel = open_tab(draft_app, "agenda")
    for number, title in (("1", "Суу"), ("2", "Жол")):
        fill(panel, number, title, "", "100")
        panel.f_add.click()
    hp = open_tab(draft_app, "hearing")
    assert hp.q_no_options.value == ""
    hp.q_kind.value, hp.q_titles["ky"].value, hp.q_max.value = "approval", "Кайсылары?", 2
    hp.q_options.value = tuple(v for _, v in hp.q_options.options)
    hp.q_add.click()
    (question,) = state(ws, draft_app.store.id).questions.values()
    hp.q_pick.value = question.id
    assert hp.q_titles["ky"].value == "Кайсылары?" and set(hp.q_options.value) == set(question.options)
    assert hp.q_add.description == "Өзгөртүүлөрдү сактоо"
    hp.q_options.value = question.options[:1]
    hp.q_add.click()  # up to 2 of 1 option: refused, nothing changed
    assert "pb-error" in hp.message.value and state(ws, draft_app.store.id).questions[question.id] == question
    hp.q_max.value = 1
    hp.q_titles["ru"].value = "Какие?"
    hp.q_add.click()
    assert "pb-ok" in hp.message.value, hp.message.value
    (changed,) = state(ws, draft_app.store.id).questions.values()  # the same question, not a second one
    assert changed.id == question.id and changed.options == question.options[:1] and changed.seed == question.seed
    assert changed.titles == {"ky": "Кайсылары?", "ru": "Какие?"} and hp.q_pick.value == ""
    agenda = open_tab(draft_app, "agenda")
    agenda.f_pick.value = question.options[1]
    agenda.f_remove.click()
    assert "pb-ok" in agenda.message.value, agenda.message.value


def test_an_option_without_a_title_in_the_screens_language_is_marked(draft_app, ws):
    panel = open_tab(draft_app, "agenda")
    fill(panel, "1", "", "Водопровод", "100")  # typed in Russian only; the screen is Kyrgyz
    panel.f_add.click()
    fill(panel, "2", "Жол", "", "100")
    panel.f_add.click()
    assert "Водопровод <small" in panel.table.value and "(Русский)" in panel.table.value
    assert "Жол <small" not in panel.table.value and 'id="pb-untitled"' in panel.table.value
    (first, _), _second = sorted(state(ws, draft_app.store.id).options.items())
    panel.f_pick.value = first
    panel.f_titles["ky"].value = "Суу түтүгү"
    panel.f_add.click()
    assert "<small" not in panel.table.value and 'id="pb-untitled"' not in panel.table.value
