"""Surveys of a service in the ledger: one stream per service; a survey is started with its questions, then each
respondent's answers are one record (durable before the call returns). A mistyped answer is voided, never deleted.

Answers are written with the check ``stays_open``, run under the stream's write lock: a survey closed while answers
were on their way (a clerk typing, phones sending) takes none of them after its closing record."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Sequence

from pbtools.dates import not_a_date, parse_date
from pbtools.i18n import N_, Msg
from pbtools.roles import SERVICES, Actor
from pbtools.services import records as R
from pbtools.services.errors import ServiceError, ServiceReplaced
from pbtools.services.register import service
from pbtools.services.survey import SURVEY_AGE_GROUPS, Answer, Respondent, SurveyQuestion
from pbtools.hearings.model import SEXES
from pbtools.storage import Check, Entry, LedgerError, Locked, StreamRewound, decided_on

CHANNELS = ("paper", "door", "phone")
CLOSED = N_("Survey {id} is closed: no answer can be added (reopen it first)")
NOT_TO_PHONES = N_("This survey is not open to phones")


class SurveyClosed(LedgerError):
    """The survey was closed (or, for phones, closed to them) after the answers were checked: none is stored."""


@dataclass
class Survey:
    id: str
    service: str
    date: str
    questions: tuple[SurveyQuestion, ...]
    villages: tuple[str, ...]
    answers: list[Answer] = field(default_factory=list)
    closed: bool = False  # closed: no answer is taken (typed or from a phone) until it is reopened


def _question_json(q: SurveyQuestion) -> dict:
    return {"id": q.id, "titles": dict(q.titles), "choices": [dict(c) for c in q.choices], "kind": q.kind}


def _question(d: dict) -> SurveyQuestion:
    return SurveyQuestion(d["id"], dict(d["titles"]), tuple(dict(c) for c in d["choices"]), d.get("kind", "choice"))


def check_questions(questions: Sequence[SurveyQuestion]) -> list[Msg]:
    problems = []
    ids = [q.id for q in questions]
    if not questions:
        problems.append(Msg(N_("A survey needs at least one question")))
    for q in questions:
        if not re.fullmatch(r"[A-Za-z0-9_-]{1,40}", q.id) or ids.count(q.id) > 1:
            problems.append(Msg(N_("{value} is not a question id, or it is used twice"), value=q.id))
        if not any(t.strip() for t in q.titles.values()):
            problems.append(Msg(N_("Question {id} has no text"), id=q.id))
        if not 2 <= len(q.choices) <= 9 or not all(any(t.strip() for t in c.values()) for c in q.choices):
            problems.append(Msg(N_("Question {id} needs between 2 and 9 answers to choose from, each with a text"), id=q.id))
    return problems


def start_survey(ws: Any, service_id: str, survey_id: str, date: str, questions: Sequence[SurveyQuestion], actor: Actor,
                 villages: Sequence[str] = ()) -> Survey:
    """Start a survey of a service with its questions; ``villages``: where respondents live (default: the service's)."""
    actor.require(SERVICES)
    s = service(ws, service_id)
    villages = tuple(villages) or s.villages
    problems = check_questions(questions)
    iso = parse_date(date)  # 2026-05-14 or 14.05.2026, as every date typed
    if not iso:
        problems.append(not_a_date(date, N_("Date")))
    date = iso or date
    if not re.fullmatch(r"[A-Za-z0-9_.-]{1,40}", survey_id) or survey_id in {x.id for x in surveys(ws, service_id)}:
        problems.append(Msg(N_("{value} is not a new survey id"), value=survey_id))
    if not villages:
        problems.append(Msg(N_("Say which villages the respondents live in")))
    if problems:
        raise ServiceError(problems)
    payload = {"survey": survey_id, "date": date, "questions": [_question_json(q) for q in questions], "villages": list(villages)}
    ws.ledger.append(R.survey_stream(service_id), R.SURVEY_STARTED, payload, actor=actor.name, key=f"survey:{survey_id}")
    return next(x for x in surveys(ws, service_id) if x.id == survey_id)


def _check_answer(survey: Survey, answer: Answer) -> list[Msg]:
    r = answer.respondent
    problems = []
    if r.village not in survey.villages:
        problems.append(Msg(N_("{value} is not a village of this survey"), value=r.village))
    if r.sex not in SEXES or r.age not in SURVEY_AGE_GROUPS:
        problems.append(Msg(N_("Choose the respondent's sex and age group")))
    if answer.channel not in CHANNELS:
        problems.append(Msg(N_("Unknown channel {value}"), value=answer.channel))
    questions = {q.id: q for q in survey.questions}
    for qid, n in answer.answers.items():
        if qid not in questions or not 1 <= n <= len(questions[qid].choices):
            problems.append(Msg(N_("{value} is not an answer to question {id}"), value=n, id=qid))
    return problems


def store_answers(ws: Any, service_id: str, survey: Survey | None, survey_id: str, answers: Iterable[Answer], actor: Actor,
                  *, seen: tuple[int, str]) -> list[Any]:
    """Store respondents' answers to ``survey`` as the caller has just read it from the records up to ``seen`` (seq,
    hash; ``survey`` None: there is no such survey), all or none (one transaction); the records written. A close
    after ``seen``, or ``seen`` no longer on disk, refuses them (``stays_open``)."""
    actor.require(SERVICES)
    if survey is None:
        raise ServiceError(Msg(N_("There is no survey {id} of this service"), id=survey_id))
    if survey.closed:
        raise ServiceError(Msg(CLOSED, id=survey_id))
    answers = list(answers)
    problems = [p for a in answers for p in _check_answer(survey, a)]
    if problems:
        raise ServiceError(problems)
    entries = [Entry(R.ANSWER_RECORDED, {"survey": survey_id, "village": a.respondent.village, "sex": a.respondent.sex,
                                         "age": a.respondent.age, "answers": dict(a.answers), "channel": a.channel}, actor.name)
               for a in answers]
    results = ws.ledger.append_many(R.survey_stream(service_id), entries, all_or_nothing=True,
                                    check=stays_open(survey_id, seen))
    for result in results:
        if isinstance(result, LedgerError):
            raise ServiceError(result.message)
    return results


def close_survey(ws: Any, service_id: str, survey_id: str, actor: Actor, closed: bool = True) -> Survey:
    """Close a survey (no more answers, typed or from phones), or reopen it (``closed=False``); one ledger record."""
    actor.require(SERVICES)
    fold = SurveyFold(service_id)
    survey = next((x for x in fold.read(ws) if x.id == survey_id), None)
    if survey is None:
        raise ServiceError(Msg(N_("There is no survey {id} of this service"), id=survey_id))
    if survey.closed != closed:
        try:  # decided on the survey as read: not written into another history put in its place meanwhile
            ws.ledger.append(R.survey_stream(service_id), R.SURVEY_CLOSED, {"survey": survey_id, "closed": closed},
                             actor=actor.name, check=decided_on(*fold.point))
        except StreamRewound as e:
            raise ServiceReplaced(e.message) from None
    return next(x for x in surveys(ws, service_id) if x.id == survey_id)


def void_answer(ws: Any, service_id: str, seq: int, actor: Actor, reason: str = "typed wrong") -> None:
    actor.require(SERVICES)
    try:
        ws.ledger.append(R.survey_stream(service_id), "record.voided", {}, actor=actor.name, voids=seq, reason=reason)
    except LedgerError as e:
        raise ServiceError(e.message) from None


class SurveyFold:
    """A service's surveys folded from its stream, kept up to date by reading only the records added since the last
    read (``ledger.records(after_seq=...)``). A screen holds one, so that typing a line or redrawing reads the new
    records only: re-reading the whole stream for every check made each typed line slower as answers piled up."""

    def __init__(self, service_id: str) -> None:
        self.service_id = service_id
        self._clear()

    def _clear(self) -> None:
        self.seq = 0  # read up to this record
        self.hash = ""  # that record's hash: the stream is read on from it only while it is still the stream's
        self._found: dict[str, Survey] = {}
        self.phones: str | None = None  # the survey last opened to phones (None: closed to them)

    def apply(self, records: Sequence[Any]) -> None:
        """Fold records that follow ``seq`` (a stream's records are numbered 1, 2, 3..., each chained to the one
        before): ones already folded are skipped, and after a gap (records another window wrote), or a record that
        does not follow the last one folded (another history), the rest waits for the next read."""
        for r in records:
            if r.seq <= self.seq:
                continue
            if r.seq != self.seq + 1 or r.prev_hash != self.hash:
                return
            self.seq, self.hash = r.seq, r.hash
            p = r.payload
            if r.voids:  # a voided answer leaves its survey; the void record itself is not an answer
                for survey in self._found.values():
                    survey.answers[:] = [a for a in survey.answers if a.seq != r.voids]
            elif r.kind == R.SURVEY_STARTED:
                self._found[p["survey"]] = Survey(p["survey"], self.service_id, p["date"], tuple(_question(q) for q in p["questions"]),
                                                  tuple(p["villages"]))
            elif r.kind == R.SURVEY_PHONES:
                self.phones = p["survey"] if p.get("open") else None
            elif r.kind == R.SURVEY_CLOSED and p.get("survey") in self._found:
                self._found[p["survey"]].closed = bool(p.get("closed"))
            elif r.kind == R.ANSWER_RECORDED and p.get("survey") in self._found:
                self._found[p["survey"]].answers.append(Answer(Respondent(p["village"], p["sex"], p["age"]),
                                                               {k: int(v) for k, v in p["answers"].items()}, p.get("channel", "paper"), r.seq))

    def read(self, ws: Any) -> list[Survey]:
        """The surveys as they stand now (one query: the records since the last read; all of them again when the
        stream is no longer the one read, ``StreamRewound``: a backup restored, a sandbox reset)."""
        new, anew = ws.ledger.read_on(R.survey_stream(self.service_id), self.seq, self.hash)
        if anew:
            self._clear()
        self.apply(new)
        return self.surveys()

    @property
    def point(self) -> tuple[int, str]:
        """(seq, hash) of the last record read: what a write's check ``stays_open`` is given."""
        return self.seq, self.hash

    def phone_survey(self) -> Survey | None:
        """The survey phones may answer (opened to them and not closed since), as last read; else None."""
        found = self._found.get(self.phones) if self.phones is not None else None
        return None if found is None or found.closed else replace(found, answers=list(found.answers))

    def surveys(self) -> list[Survey]:
        """The surveys as last read, oldest first; copies (the next read folds into this object's own)."""
        return sorted((replace(x, answers=list(x.answers)) for x in self._found.values()), key=lambda x: (x.date, x.id))


def stays_open(survey_id: str, seen: tuple[int, str], phones: bool = False) -> Check:
    """A check for the ledger's write of answers to ``survey_id``, which the writer saw open (and open to phones,
    if ``phones``) in the records up to ``seen`` (seq, hash of that record): refused (``SurveyClosed``) when a record
    after it closed the survey (or closed it to phones, or opened another survey to them), and (``StreamRewound``)
    when that record is no longer the stream's (a backup restored: the answers were checked against a survey no
    longer on disk). Run under the stream's write lock, so no close comes between the check and the answers."""
    def check(locked: Locked) -> LedgerError | None:
        closed = not_to_phones = False
        try:
            since = locked.records(*seen)  # only what came since the writer's look: a few records
        except StreamRewound as e:
            return e
        for r in since:
            if r.kind == R.SURVEY_CLOSED and r.payload.get("survey") == survey_id:
                closed = bool(r.payload.get("closed"))
            elif r.kind == R.SURVEY_PHONES:
                not_to_phones = not (r.payload.get("open") and r.payload.get("survey") == survey_id)
        if closed:
            return SurveyClosed(Msg(CLOSED, id=survey_id))
        return SurveyClosed(Msg(NOT_TO_PHONES)) if phones and not_to_phones else None
    return check


def surveys(ws: Any, service_id: str) -> list[Survey]:
    """The service's surveys, oldest first, each with its answers (voided ones left out)."""
    return SurveyFold(service_id).read(ws)
