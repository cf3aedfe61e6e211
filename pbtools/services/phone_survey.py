"""Survey answers from phones (no web server here): which survey of a service phones may answer, how a submitted
form becomes an ``Answer``, and storing a batch of them with one commit, one answer per phone and survey.

The facilitator opens a survey to phones (``set_phones``, a ledger record); the voters' server
(``pbtools.server.survey_pages``) shows the form and stores what phones send through ``store_phone_answers``. A
phone is known by the same signed device cookie as in open phone voting: the ledger key
``device:<survey>:<device>`` is taken once, so a phone answers a survey once, even across processes.

Form fields: ``village`` (the village's number in the survey's list), ``sex`` (f/m), ``age`` (an age group), and
``q-<question id>`` (the number of the answer chosen; a question left out is not answered).
"""

from __future__ import annotations

from typing import Any, Mapping, Sequence

from pbtools.hearings.model import SEXES
from pbtools.i18n import N_, Msg
from pbtools.roles import SERVICES, Actor
from pbtools.services import records as R
from pbtools.services.errors import ServiceError, ServiceReplaced
from pbtools.services.survey import SURVEY_AGE_GROUPS, Answer, Respondent
from pbtools.services.survey_store import Survey, SurveyFold, stays_open, surveys
from pbtools.storage import Entry, LedgerError, StreamRewound, decided_on

PHONES = R.SURVEY_PHONES
Form = Mapping[str, Sequence[str]]


def set_phones(ws: Any, service_id: str, survey_id: str, open: bool, actor: Actor) -> None:
    """Open (or close) a survey of the service to answers from phones; only one survey of a service is open."""
    actor.require(SERVICES)
    fold = SurveyFold(service_id)
    survey = next((s for s in fold.read(ws) if s.id == survey_id), None)
    if survey is None:
        raise ServiceError(Msg(N_("There is no survey {id} of this service"), id=survey_id))
    if open and survey.closed:
        raise ServiceError(Msg(N_("Survey {id} is closed: no answer can be added (reopen it first)"), id=survey_id))
    # decided on the survey as read (opened: still open, not closed since; ``stays_open``)
    check = stays_open(survey_id, fold.point) if open else decided_on(*fold.point)
    try:
        ws.ledger.append(R.survey_stream(service_id), PHONES, {"survey": survey_id, "open": bool(open)},
                         actor=actor.name, check=check)
    except StreamRewound as e:
        raise ServiceReplaced(e.message) from None
    except LedgerError as e:  # closed since it was read (``stays_open``), the database not confirming...
        raise ServiceError(e.message) from None


def phone_survey(ws: Any, service_id: str) -> Survey | None:
    """The survey of the service phones may answer now (the last opened and not closed since), else None."""
    fold = SurveyFold(service_id)
    fold.read(ws)
    return fold.phone_survey()


def _number(text: str, count: int) -> int | None:
    """``text`` as a number from 1 to ``count``, else None. ASCII digits only: str.isdigit() also takes "²" (which
    int() refuses: one such form failed every answer committed with it) or "٣"."""
    return int(text) if text.isascii() and text.isdigit() and 1 <= int(text) <= count else None


def _one(form: Form, name: str) -> str:
    values = form.get(name) or [""]
    return values[0].strip() if len(values) == 1 else ""


def answer_from_form(survey: Survey, form: Form) -> tuple[Answer | None, list[Msg]]:
    """The answer a phone's form describes, or (None, what is missing or wrong)."""
    problems = []
    village = _one(form, "village")
    sex, age = _one(form, "sex"), _one(form, "age")
    if _number(village, len(survey.villages)) is None:
        problems.append(Msg(N_("Choose your village")))
    if sex not in SEXES:
        problems.append(Msg(N_("Choose woman or man")))
    if age not in SURVEY_AGE_GROUPS:
        problems.append(Msg(N_("Choose an age group")))
    answers = {}
    for q in survey.questions:
        value = _one(form, f"q-{q.id}")
        if not value:
            continue
        if _number(value, len(q.choices)) is not None:
            answers[q.id] = int(value)
        else:
            problems.append(Msg(N_("{value} is not an answer to question {id}"), value=value[:20], id=q.id))
    if not answers and not problems:
        problems.append(Msg(N_("Answer at least one question")))
    if problems:
        return None, problems
    return Answer(Respondent(survey.villages[int(village) - 1], sex, age), answers, "phone"), []


def store_phone_answers(ws: Any, service_id: str, survey_id: str, items: Sequence[tuple[Answer, str]],
                        actor: Actor, seen: tuple[int, str] = (0, "")) -> list[Any]:
    """Store phones' answers (answer, device) in one commit; per item its record, or the ``LedgerError`` that
    refused it (``KeyTaken``: this phone answered this survey already; ``SurveyClosed``, for all: the survey was
    closed, or closed to phones, after the record ``seen`` (seq, hash) up to which the caller saw it open to them;
    ``StreamRewound``, for all: that record is no longer the stream's)."""
    actor.require(SERVICES)
    entries = [Entry(R.ANSWER_RECORDED, {"survey": survey_id, "village": a.respondent.village, "sex": a.respondent.sex,
                                         "age": a.respondent.age, "answers": dict(a.answers), "channel": "phone"},
                     actor.name, key=f"device:{survey_id}:{device}") for a, device in items]
    return ws.ledger.append_many(R.survey_stream(service_id), entries, check=stays_open(survey_id, seen, phones=True))


__all__ = ["PHONES", "set_phones", "phone_survey", "answer_from_form", "store_phone_answers", "LedgerError"]
