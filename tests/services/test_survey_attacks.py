"""Attacks on the phone survey from the hall network (docs/security.md): a form that breaks the reading must fail
only itself, and the form's page must not cost more as answers pile up."""

from __future__ import annotations

import pytest

from pbtools.roles import LOCAL
from pbtools.server.survey_pages import SurveyDesk
from pbtools.services.phone_survey import answer_from_form, phone_survey
from pbtools.services.service import ServicesService
from pbtools.services.survey_entry import parse_answer
from pbtools.storage import open_workspace
from tests.server.client import Browser
from tests.server.inprocess import InProcessServer
from tests.services.helpers import SAMPLE

GOOD = {"village": ["1"], "sex": ["f"], "age": ["30_44"], "q-satisfaction": ["4"]}
# str.isdigit() takes these; int() refuses the first two and reads the others as 2 and 3
ODD_DIGITS = ["²", "①", "٣", "１"]


@pytest.fixture
def workspace(tmp_path):
    path = tmp_path / "workspace"
    with open_workspace(path) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
    return path


@pytest.mark.parametrize("digit", ODD_DIGITS)
@pytest.mark.parametrize("field", ["village", "q-satisfaction"])
def test_a_digit_that_is_not_ascii_is_refused_not_a_crash(workspace, field, digit):
    with open_workspace(workspace, create=False) as ws:
        survey = phone_survey(ws, "water")
        answer, problems = answer_from_form(survey, {**GOOD, field: [digit]})
        assert answer is None and len(problems) == 1
        assert digit in problems[0].render("en") or field == "village"


@pytest.mark.parametrize("digit", ODD_DIGITS)
def test_a_typed_answer_with_an_odd_digit_is_refused(workspace, digit):
    with open_workspace(workspace, create=False) as ws:
        survey = phone_survey(ws, "water")
        answer, problems = parse_answer(f"{digit} 1 3 " + " ".join("1" for _ in survey.questions), survey.villages, survey.questions)
        assert answer is None and f"{digit} is not a number" in problems[0].render("en")


def test_one_bad_form_does_not_fail_the_answers_stored_with_it(workspace):
    desk = SurveyDesk(workspace, None, b"k" * 32)
    outcomes = desk.submit_many([("water", GOOD, "phone-1"), ("water", {**GOOD, "village": ["²"]}, "phone-2"),
                                 ("water", GOOD, "phone-3")])
    assert [bool(o.receipt) for o in outcomes] == [True, False, True]
    with open_workspace(workspace, create=False) as ws:
        assert len(ServicesService(ws).surveys("water")[-1].answers) == 2


def test_the_odd_digit_over_http_is_a_422_and_what_was_typed_comes_back_escaped(workspace):
    server = InProcessServer(workspace)
    try:
        phone = Browser(server.url)
        phone.request("/survey/water?lang=ru")
        status, _, _ = phone.post("/survey/water?lang=ru", {"village": "²", "sex": "f", "age": "30_44", "q-satisfaction": "4"})
        assert status == 422
        # what a phone typed comes back escaped (the page names the value that is no answer)
        status, page, _ = phone.post("/survey/water?lang=en", {"village": "1", "sex": "f", "age": "30_44", "q-satisfaction": "<b>x"})
        assert status == 422 and "&lt;b&gt;x is not an answer" in page and "<b>x" not in page
        # a form from another site (no XSRF token of this server) stores nothing
        status, _, _ = Browser(server.url).post("/survey/water", {"village": "1", "sex": "f", "age": "30_44", "q-satisfaction": "4"},
                                                xsrf=False)
        assert status == 403
    finally:
        server.stop()


def test_the_form_does_not_read_every_answer(workspace):
    """Every GET and every batch looked up the open survey by reading the whole stream, answers included: a flood
    of answers made each page slower (12.8 ms with none, 89 ms after 1,000; benchmarks/survey_attack.py)."""
    desk = SurveyDesk(workspace, None, b"k" * 32)
    desk.submit_many([("water", GOOD, f"phone-{i}") for i in range(200)])
    desk.view("water")  # what came since the last look is read once
    read = []
    ledger = desk._ws.ledger
    records, read_on = ledger.records, ledger.read_on

    def counting(stream, after_seq=0, after_hash=None):
        found = records(stream, after_seq, after_hash)
        read.extend(found)
        return found

    def counting_fold(stream, seq, last_hash):  # a fold's read (SurveyFold)
        found, anew = read_on(stream, seq, last_hash)
        read.extend(found)
        return found, anew

    ledger.records, ledger.read_on = counting, counting_fold
    service, survey = desk.view("water")
    assert survey is not None and survey.id == "2026"
    assert len(read) < 20, f"one look at the form read {len(read)} records"
    # and it still sees the facilitator close the survey, and open it again
    with open_workspace(workspace, create=False) as ws:
        ServicesService(ws).open_to_phones("water", "2026", LOCAL, open=False)
    assert desk.view("water")[1] is None
    with open_workspace(workspace, create=False) as ws:
        ServicesService(ws).open_to_phones("water", "2026", LOCAL)
    assert desk.view("water")[1].id == "2026"
