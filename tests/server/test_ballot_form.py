"""A submitted form becomes the ballot the voter marked; what cannot be read is named; the rest is validate()'s job."""

from __future__ import annotations

import json
import re

import pytest

from pbtools.hearings.ballots import validate
from pbtools.hearings.model import Ballot
from pbtools.i18n import LANGS, Msg, N_, gettext
from pbtools.phones.form import CLIENT_MESSAGES, client_settings, parse_ballot
from pbtools.server.ballot_form import ballot_fields
from tests.server.hall import OPTIONS, QUESTIONS

OPTS = {o.id: o for o in OPTIONS}
Q = {q.id: q for q in QUESTIONS}


@pytest.mark.parametrize("question_id, form, marks, answer", [
    ("single", {"choice": ["P2"]}, (("P2", 1),), ""),
    ("approval", {"choice": ["P1", "P4"]}, (("P1", 1), ("P4", 1)), ""),
    ("knapsack", {"choice": ["P3"]}, (("P3", 1),), ""),
    ("points", {"points-P1": ["2"], "points-P2": [" 3 "], "points-P3": ["0"], "points-P4": [""]}, (("P1", 2), ("P2", 3)), ""),
    ("ranking", {"rank-P4": ["1"], "rank-P2": ["2"], "rank-P1": [""]}, (("P4", 1), ("P2", 2)), ""),
    ("motion", {"answer": ["abstain"]}, (), "abstain"),
])
def test_forms_become_ballots_that_validate(question_id, form, marks, answer):
    ballot, problems = parse_ballot(Q[question_id], OPTS, form)
    assert not problems and ballot == Ballot(marks, answer)
    assert validate(Q[question_id], OPTS, ballot, None) == []


def test_numbers_that_are_not_numbers_are_named_with_the_option_number():
    ballot, problems = parse_ballot(Q["points"], OPTS, {"points-P3": ["two"], "points-P1": ["5"]})
    assert problems == [Msg(N_("Option {option}: {value} is not a whole number"), option="№3", value="two")]


def test_negative_points_and_forged_options_reach_validate():
    ballot, problems = parse_ballot(Q["points"], OPTS, {"points-P1": ["-1"], "points-PX": ["6"]})
    assert not problems and ballot.marks == (("P1", -1), ("PX", 6))
    assert validate(Q["points"], OPTS, ballot, None)  # refused there, by the same rules as paper ballots


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_a_refused_form_comes_back_as_it_was_left(question):
    form = {"choice": ["P2"], "points-P2": ["3"], "rank-P2": ["2"], "answer": ["no"]}
    html = ballot_fields(question, OPTIONS, form, "ru")
    if question.kind in ("single", "approval", "knapsack"):
        assert re.search(r'value="P2"[^>]*checked', html) and not re.search(r'value="P1"[^>]*checked', html)
    elif question.kind == "points":
        assert 'name="points-P2" min="0" max="5" step="1" inputmode="numeric" value="3"' in html
    elif question.kind == "ranking":
        assert re.search(r'name="rank-P2".*?<option value="2" selected>', html)
    else:
        assert re.search(r'value="no" checked', html)


@pytest.mark.parametrize("lang", LANGS)
def test_client_messages_are_the_servers_in_the_voters_language(lang):
    data = json.loads(client_settings(Q["knapsack"], OPTIONS[0].cost, lang, needs_code=True))
    assert data["budget"] == int(Q["knapsack"].budget * 100) and data["code"] is True
    assert data["msgs"] == {k: gettext(lang, v) for k, v in CLIENT_MESSAGES.items()}


def test_the_settings_cannot_close_their_script_block():
    from dataclasses import replace

    q = replace(Q["single"], kind="single</script><script>alert(1)")
    assert "</script>" not in client_settings(q, OPTIONS[0].cost, "en", needs_code=False)


@pytest.mark.parametrize("typed", ["²", "٣", "３", "+3", "1e3", "3.0", "--1", "1234567890"])
def test_only_ascii_digits_are_whole_numbers(typed):
    ballot, problems = parse_ballot(Q["points"], OPTS, {"points-P2": [typed]})
    assert problems == [Msg(N_("Option {option}: {value} is not a whole number"), option="№2", value=typed)]


def test_repeated_fields_are_named_except_choices():
    from pbtools.phones.form import repeated_fields

    form = {"choice": ["P1", "P2"], "answer": ["yes", "no"], "code": ["A"], "rank-P1": ["1", "2"]}
    assert repeated_fields(form) == [
        Msg(N_("The form sent the field {field} more than once; open the ballot again"), field="answer"),
        Msg(N_("The form sent the field {field} more than once; open the ballot again"), field="rank-P1"),
    ]
