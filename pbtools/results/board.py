"""What the results board shows for one question at one moment, and whether results are hidden.

``snapshot`` is computed once per change of the ledger (the board polls ``ledger.head``): participation always; the
tally and the count only when results are shown, so hidden results are not even computed in the kernel that
draws the projector. Hidden is the facilitator's choice, stored in the workspace per hearing; until they choose,
results are hidden while the hearing is open and shown once it is closed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pbtools.counting.result import Result
from pbtools.hearings.double_entry import dispute_note, disputes
from pbtools.hearings.fold import HearingState
from pbtools.hearings.model import CLOSED, MOTION
from pbtools.hearings.records import stream_of
from pbtools.hearings.turnout import turnout
from pbtools.i18n import Msg
from pbtools.results.count import count_question, unspent_note
from pbtools.results.election import question_of
from pbtools.results.groups import Participation, participation
from pbtools.results.votes import option_votes
from pbtools.storage.chain import ChainBroken, check_chain


def chain_problem(ws: Any, hearing_id: str) -> Msg | None:
    """Why the hearing's results must not be shown: its record does not verify (a row changed in the database
    behind pbtools' back), or None. Checked when a hearing is opened for results."""
    try:
        check_chain(ws.ledger, stream_of(hearing_id))
    except ChainBroken as e:
        return e.message
    return None


def hidden_key(hearing_id: str) -> str:
    return f"results_hidden:{hearing_id}"


def results_hidden(ws: Any, state: HearingState) -> bool:
    stored = ws.get_setting(hidden_key(state.id), None)
    return state.status != CLOSED if stored is None else bool(stored)


def set_results_hidden(ws: Any, hearing_id: str, hidden: bool) -> None:
    ws.set_setting(hidden_key(hearing_id), bool(hidden))


def tally(state: HearingState, question_id: str, with_hands: bool = True) -> dict[str, int]:
    """Votes (points, answers) per option as the question's count takes them (``votes.option_votes``): ballots,
    plus show-of-hands figures where the rule counts them (never when not ``with_hands``)."""
    votes = option_votes(state, question_id)
    return votes.total if with_hands else dict(votes.ballots)


@dataclass(frozen=True)
class Board:
    hearing_id: str
    question_id: str
    seq: int  # the last ledger record this board reflects
    status: str
    hidden: bool
    participation: Participation
    ballots: int  # ballots counted for the question
    hands: bool  # show-of-hands figures were entered for the question
    tally: dict[str, int] | None  # None while hidden
    result: Result | None  # None while hidden, and for a motion
    notes: tuple[Msg, ...] = ()
    invalid: int = 0  # spoiled and blank paper ballots (never counted for an option)
    hand_votes: int = 0  # votes by show of hands that the count takes (beside the ballots: the chart's total is both)


def snapshot(state: HearingState, question_id: str, hidden: bool) -> Board:
    question = question_of(state, question_id)
    ballots = len(state.ballots_for(question_id))
    hands = bool(state.counts_for(question_id))
    votes, result = None, None
    if not hidden:
        if question.kind != MOTION:
            result = count_question(state, question_id)
        votes = tally(state, question_id)
    notes = tuple(result.options.get("notes", ())) if result is not None else ()
    unspent = unspent_note(state, question_id, result) if result is not None else None
    notes += (unspent,) if unspent is not None else ()
    if not hidden:  # figures shown while a double-entry pile is disputed count its entry 1: the board says so
        notes += tuple(dispute_note(state, d) for d in disputes(state, question_id))
    by_hands = option_votes(state, question_id) if hands else None
    hand_votes = sum(by_hands.hands.values()) if by_hands is not None and by_hands.hands_counted else 0
    return Board(state.id, question_id, state.seq, state.status, hidden, participation(state), ballots, hands, votes,
                 result, notes, turnout(state, question_id).invalid, hand_votes)
