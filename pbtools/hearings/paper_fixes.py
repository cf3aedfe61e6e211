"""Paper ballots as they are: a paper against its question's rules is recorded as invalid, and any earlier ballot
can be voided by the number the screen gave it.

    record_refused(store, "q1", "1 3 5", actor="clerk")      # "choose up to 2": stored as a spoiled ballot
    void_numbered(store, "q1", 4, actor="clerk", reason="typed from the wrong pile")  # ballot 4, a new record

Neither deletes anything: an invalid paper is its own ``ballot.invalid`` record, and a void is a new
``record.voided`` record naming the voided one, which stays in the chain.
"""

from __future__ import annotations

from typing import Any

from pbtools.hearings.casting import Receipt
from pbtools.hearings.entry import parse_entry
from pbtools.hearings.errors import HearingError
from pbtools.hearings.fold import CastBallot
from pbtools.hearings.ballots import validate
from pbtools.hearings.model import INVALID, SPOILED
from pbtools.i18n import N_, Msg


def rule_problems(store: Any, question_id: str, text: str) -> list[Msg]:
    """What is wrong with a typed line that can be read but breaks its question's rules (too many choices, over
    budget): such a paper is an invalid ballot. Empty when the line cannot be read (a typing slip to correct) or
    is a valid ballot."""
    st = store.refresh()
    question = st.questions.get(question_id)
    if question is None or st.hearing is None:
        return []
    ballot, problems = parse_entry(question, st.options, text)
    if ballot is None or problems or ballot.answer in INVALID:
        return []
    return validate(question, st.options, ballot, st.hearing.budget)


def record_refused(store: Any, question_id: str, text: str, actor: str, **kw: Any) -> Receipt:
    """Record a typed paper that breaks its question's rules as a spoiled ballot (counted among the invalid
    ballots, never for an option). Refused, storing nothing, when the line cannot be read or is a valid ballot."""
    if not rule_problems(store, question_id, text):
        raise HearingError(Msg(N_("Only a ballot that breaks the question's rules is recorded as invalid this way: "
                                  "{text} is not one (correct it, or type 0 for a spoiled ballot)"), text=text.strip()))
    return store.record_invalid(question_id, actor=actor, why=SPOILED, **kw)


def void_numbered(store: Any, question_id: str, number: int, actor: str, reason: str, *, invalid: bool = False,
                  pile: str = "", entry: int = 1) -> CastBallot:
    """Void the standing ballot the screen numbered ``number`` (an invalid one if ``invalid``; of the pile's
    entry in double entry), with the reason the clerk gives. Returns the voided ballot."""
    if not reason.strip():
        raise HearingError(Msg(N_("Say why the ballot is voided")))
    st = store.refresh()
    cast = st.ballot_numbered(question_id, number, invalid=invalid, pile=pile, entry=entry)
    if cast is None or cast.question != question_id:
        if invalid:
            raise HearingError(Msg(N_("There is no invalid ballot {n} of this question standing"), n=number))
        raise HearingError(Msg(N_("There is no ballot {n} of this question standing"), n=number))
    store.void(cast.seq, actor, reason.strip())
    return cast
