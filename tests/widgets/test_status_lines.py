"""One status line for the Monitoring, Training and Services apps and the console's panels (``status_line.StatusLine``):
what was done, or why it was refused with each problem on its own line, said again in the new language when the user
switches, in every tab (the open one and the others). The Services app's line and the console's stayed in the
language they were said in."""

from __future__ import annotations

import html

import pytest

from pbtools.i18n import translator
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE
from pbtools_widgets.console.paper import REFUSED_HINT
from pbtools_widgets.services.app import ServicesApp


@pytest.fixture
def app(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        ServicesService(ws).import_file(SAMPLE, LOCAL)
        app = ServicesApp(ws, lang="ru")
        app.chosen.value = "water"
        app.tab.selected_index = app.tabs.index(app.entry)
        yield app


def test_a_services_outcome_is_said_again_in_the_new_language_in_every_tab(app):
    entry = app.entry
    entry.new_id.value, entry.new_date.value = "2027", "2027-05-14"
    survey = entry.start_survey()
    said = translator("ru")("Survey {id} started: {n} questions.", id="2027", n=len(survey.questions))
    assert said in entry.status.value and "pb-ok" in entry.status.value
    app.tab.selected_index = app.tabs.index(app.survey)  # another tab open: the entry tab is not drawn again
    app.lang_switch.value = "ky"
    said = translator("ky")("Survey {id} started: {n} questions.", id="2027", n=len(survey.questions))
    assert said in entry.status.value and "pb-ok" in entry.status.value


def test_a_services_refusal_keeps_its_problems_on_their_lines_in_the_new_language(app):
    entry = app.entry
    entry.new_id.value, entry.new_date.value = "2027", "2027-05-14"
    entry.start_survey()
    entry.enter("9 9 9 9 9 9")  # no such village, sex, age group or answer: refused, nothing stored
    before = entry.status.value
    assert "pb-error" in before and before.count("<li>") >= 1  # the first problem on the line, the others under it
    assert not ServicesService(app.ws).surveys("water")[-1].answers
    app.lang_switch.value = "en"
    after = entry.status.value
    assert "pb-error" in after and after != before and after.count("<li>") == before.count("<li>")
    assert not any("а" <= ch <= "я" for ch in after.lower())  # nothing Russian left on an English screen
    app.lang_switch.value = "ru"
    assert entry.status.value == before


def test_the_line_is_cleared_by_the_next_action_and_stays_so_after_a_switch(app):
    entry = app.entry
    entry.new_id.value, entry.new_date.value = "2027", "not a date"
    entry.start_survey()
    assert "pb-error" in entry.status.value
    entry.status.clear()
    app.lang_switch.value = "ky"
    assert entry.status.value == ""


# ---- the console's panels: the same line (``Panel.message`` is a ``StatusLine``), said again in a new language

@pytest.fixture
def console(tmp_path):
    from pbtools.hearings.store import create_hearing
    from pbtools_widgets.console import ConsoleApp
    from tests.hearings.conftest import build, new_hearing

    with open_workspace(tmp_path / "ws") as ws:
        build(ws)  # open hearing h1: options 1-5, one question of each kind, villages Ак-Суу, Кара-Булак, Жаңы-Жол
        # an older draft listed first: the chooser's labels (the hearings' types, untitled) change with the language,
        # and replacing its options moved its value off h1 and back, which the console took for a new choice
        create_hearing(ws, new_hearing(id="h0", date="2026-04-01"), actor="secretary")
        app = ConsoleApp(ws, lang="ru")
        app.operator.value = "Aida"
        assert app.store.id == "h1" and app.choice.index == 1
        yield app


def open_panel(app, name: str):
    app.tabs.selected_index = list(app.panels).index(name)
    return app.panels[name]


def test_a_registration_is_said_again_in_the_new_language_with_its_answers(console):
    """The console's message line kept the language it was said in: «Зарегистрировано» on a Kyrgyz screen."""
    from pbtools.hearings.model import label

    reg = open_panel(console, "registration")
    reg.register_one({"sex": "f", "age": "18_29", "village": "", "category": ""})
    for lang in ("ru", "ky", "en"):
        console.lang_switch.value = lang
        _ = translator(lang)
        who = "; ".join([label("f", lang), label("18_29", lang),
                         _("not given: {what}", what=", ".join((_("Village"), _("Category"))))])
        assert _("Registered: {n} ({who})", n=1, who=who) in reg.message.value and "pb-ok" in reg.message.value


def test_a_refused_paper_ballot_and_its_hint_are_said_again_in_the_new_language(console):
    paper = open_panel(console, "paper")
    paper.question.value = "approval"  # choose up to 3
    paper.typed.submit("1 2 3 4")
    ru = paper.message.value
    assert "pb-error" in ru and 'id="pb-refused-hint"' in ru and translator("ru")(REFUSED_HINT) in html.unescape(ru)
    console.lang_switch.value = "ky"
    ky = html.unescape(paper.message.value)
    assert "pb-error" in ky and 'id="pb-refused-hint"' in ky and translator("ky")(REFUSED_HINT) in ky
    assert ky.count("<li>") == ru.count("<li>") and translator("ru")(REFUSED_HINT) not in ky
    paper.typed.submit("1 2")  # stored: the hint goes with the refusal
    assert "pb-ok" in paper.message.value and "pb-refused-hint" not in paper.message.value


def test_the_consoles_own_refusal_and_the_code_cards_are_said_again_in_the_new_language(console):
    hp = open_panel(console, "hearing")
    hp.close()  # the box to confirm closing not ticked: nothing tried
    assert translator("ru")("Tick the box to confirm closing.") in hp.message.value and "pb-error" in hp.message.value
    console.lang_switch.value = "en"
    assert "Tick the box to confirm closing." in hp.message.value
    reg = open_panel(console, "registration")
    reg.n_cards.value = 2
    reg.print_cards.click()
    assert "pb-ok" in reg.cards_message.value and "voting codes issued" in reg.cards_message.value
    console.lang_switch.value = "ru"
    assert "pb-ok" in reg.cards_message.value and "voting codes issued" not in reg.cards_message.value
