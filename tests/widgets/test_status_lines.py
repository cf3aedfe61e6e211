"""One status line for the Monitoring, Training and Services apps (``status_line.StatusLine``): what was done, or why
it was refused with each problem on its own line, said again in the new language when the user switches, in every
tab (the open one and the others). The Services app's line stayed in the language it was said in."""

from __future__ import annotations

import pytest

from pbtools.i18n import translator
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE
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
