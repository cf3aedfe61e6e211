"""The rules a change of a hearing must keep, each once: the store applies them before it writes, and a hand-in's check
(``adopted``) applies the very same ones to each record a laptop wrote, so the two cannot drift apart. Pure: a
folded state and what is asked in, no reading or writing. (The removal of an option: ``agenda_changes.removal_problems``.)

``*_problems`` return the problems (``Msg``; none: the change keeps the rule); ``require_*`` raise the refusal a
caller tells apart by type (``AlreadyVoided``, ``AgendaFixed``), as ``writes.allowed`` does for the status.
"""

from __future__ import annotations

from typing import AbstractSet, Iterable

from pbtools.hearings import records as R
from pbtools.hearings.ballots import check_question
from pbtools.hearings.checks import check_counting
from pbtools.hearings.errors import AgendaFixed, AlreadyVoided, HearingError
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import OPEN, Option, Question
from pbtools.i18n import N_, Msg

# what ``HearingStore.void`` may void; a proposal or a decision of the minutes is struck (``decisions.strike``)
VOIDABLE = (R.BALLOT_CAST, R.BALLOT_INVALID, R.COUNT_ENTERED, R.PARTICIPANT_REGISTERED)


def update_problems(changed: Iterable[str]) -> list[Msg]:
    """A change of the hearing's fields ``changed``: every field but its id may change."""
    return [Msg(N_("The id of a hearing cannot change"))] if "id" in changed else []


def opening_problems(st: HearingState) -> list[Msg]:
    """Voting opens on a hearing with a question to vote on."""
    return [] if st.questions else [Msg(N_("Define at least one question before opening the vote"))]


def question_problems(st: HearingState, question: Question) -> list[Msg]:
    """A question defined, or replaced while nothing was voted or counted on it yet."""
    problems = check_question(question, st.options) + check_counting(question)
    if question.id in st.questions and (st.ballots_for(question.id) or st.counts_for(question.id)):
        problems.append(Msg(N_("Question {id} already has ballots; it cannot change"), id=question.id))
    return problems


def require_same_terms(st: HearingState, option: Option) -> None:
    """Once voting is open only an option's texts may change: its number, cost, village and sector are what the
    ballots and the count read (``AgendaFixed``)."""
    old = st.options.get(option.id)
    if st.status == OPEN and old is not None and \
            (old.number, old.cost, old.village, old.sector) != (option.number, option.cost, option.village, option.sector):
        raise AgendaFixed()


def require_voidable(st: HearingState, seq: int, reason: str, minutes: AbstractSet[int] | None = None) -> None:
    """Record ``seq`` may be voided, and why is said: a ballot, a count or a registration (``HearingStore.void``),
    or, given ``minutes`` (the proposals and decisions standing: ``decisions.strikable``), one of them
    (``decisions.strike``); each is voided once (``AlreadyVoided``)."""
    if not reason.strip():
        raise HearingError(Msg(N_("Say why the record is voided")))
    if seq in st.voids:
        raise AlreadyVoided(seq)
    if minutes is not None and seq not in minutes:
        raise HearingError(Msg(N_("Record {seq} is not a proposal or a decision of this hearing"), seq=seq))
    if minutes is None and st.kinds.get(seq) not in VOIDABLE:
        raise HearingError(Msg(N_("Record {seq} is not a ballot, a count or a registration"), seq=seq))
