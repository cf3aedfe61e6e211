"""Closing a survey while answers are on their way (phones sending, a clerk typing), each writer its own workspace
(engine, connections) on the same real database (an SQLite file, a PostgreSQL server): an answer checked against
the open survey, whose write starts once the close is committed, is refused; never an answer after the closing
record. The moment the close comes is fixed by a listener on the answering workspace's engine, called as its write
transaction starts and before it asks for the lock (as in tests/hearings/test_close_race.py): no sleep decides.
"""

from __future__ import annotations

from typing import Callable

import pytest

from pbtools.roles import LOCAL
from pbtools.server.survey_pages import SurveyDesk
from pbtools.services import records as R
from pbtools.services.errors import ServiceError
from pbtools.services.service import ServicesService
from pbtools.services.survey import Answer, Respondent
from pbtools.storage import open_workspace
from tests.services.helpers import SAMPLE
from tests.storage.locks import on_begin

FORM = {"village": ["2"], "sex": ["f"], "age": ["30_44"], "q-satisfaction": ["4"]}
CLOSES = {
    "survey closed": lambda svc: svc.close_survey("water", "2026", LOCAL),
    "closed to phones": lambda svc: svc.open_to_phones("water", "2026", LOCAL, open=False),
}


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request):
    return None if request.param == "sqlite" else request.getfixturevalue("pg_fresh_url")


@pytest.fixture
def facilitator(tmp_path, db_url):
    """The facilitator's screen: the sample services, the water survey open to phones."""
    with open_workspace(tmp_path / "ws", db_url=db_url) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
        yield svc


def after_closing(svc: ServicesService) -> list[str]:
    kinds = [r.kind for r in svc.ws.ledger.records(R.survey_stream("water"))]
    last_close = max(i for i, k in enumerate(kinds) if k in (R.SURVEY_CLOSED, R.SURVEY_PHONES))
    return kinds[last_close + 1:]


def close_once(svc: ServicesService, how: str) -> tuple[list, Callable[[], None]]:
    done: list = []

    def close() -> None:
        if not done:  # the answers were checked; their transaction has not asked for the lock yet
            done.append(CLOSES[how](svc))
    return done, close


@pytest.mark.parametrize("how", list(CLOSES))
def test_a_phone_answer_checked_before_the_close_and_written_after_it_is_refused(facilitator, tmp_path, db_url, how):
    desk = SurveyDesk(tmp_path / "ws", db_url, b"k" * 32)
    try:
        assert desk.view("water")[1] is not None  # the phone's form was shown: the survey is open to phones
        done, close = close_once(facilitator, how)
        on_begin(desk._ws, close, writes_only=True)
        [outcome] = desk.submit_many([("water", FORM, "phone-1")])
        assert done, "the close did not come between the check and the write"
        assert after_closing(facilitator) == [], "an answer stored after the survey was closed"
        assert outcome.status == 404 and not outcome.receipt and outcome.survey is None  # said: not open to phones
        assert facilitator.surveys("water")[0].answers == []
        [later] = desk.submit_many([("water", FORM, "phone-2")])  # the next phone is told at once
        assert later.status == 404 and after_closing(facilitator) == []
    finally:
        if desk._ws is not None:
            desk._ws.close()
        desk._executor.shutdown()


def test_a_phone_answer_goes_in_when_the_survey_is_closed_and_reopened_meanwhile(facilitator, tmp_path, db_url):
    """What counts is the survey as it is under the lock: closed and reopened to phones since the look, it takes
    the answer."""
    desk = SurveyDesk(tmp_path / "ws", db_url, b"k" * 32)
    try:
        assert desk.view("water")[1] is not None
        done: list = []

        def close_and_reopen() -> None:
            if not done:
                done.append(facilitator.close_survey("water", "2026", LOCAL))
                facilitator.close_survey("water", "2026", LOCAL, closed=False)
                facilitator.open_to_phones("water", "2026", LOCAL)

        on_begin(desk._ws, close_and_reopen, writes_only=True)
        [outcome] = desk.submit_many([("water", FORM, "phone-1")])
        assert done and outcome.status == 200 and outcome.receipt
        assert len(facilitator.surveys("water")[0].answers) == 1
    finally:
        desk._ws.close()
        desk._executor.shutdown()


def test_typed_answers_checked_before_the_close_and_written_after_it_are_refused(facilitator, tmp_path, db_url):
    with open_workspace(tmp_path / "ws", db_url=db_url, create=False) as ws:
        clerk = ServicesService(ws)
        done, close = close_once(facilitator, "survey closed")
        on_begin(ws, close, writes_only=True)
        answer = Answer(Respondent(facilitator.surveys("water")[0].villages[0], "m", "45_59"), {"satisfaction": 3})
        with pytest.raises(ServiceError) as refused:
            clerk.record_answers("water", "2026", [answer, answer], LOCAL)
        assert done and after_closing(facilitator) == [], "answers stored after the survey was closed"
        assert "2026" in refused.value.render("en") and refused.value.render("ky") != refused.value.render("en")
        assert facilitator.surveys("water")[0].answers == []
