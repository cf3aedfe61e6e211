"""From a hearing's question to the election the counting rules count.

Every ballot kind maps onto a counting vote type: single -> choose-1; approval and knapsack -> approval; points ->
cumulative (the points given); ranking -> ordinal (best first). Project ids are the option ids, so tallies, results
and charts speak of the same options; the tie rule's lot draws from them too.

Voter attributes (sex, age, village, category) come from the participant a ballot is linked to, else from the group
stored with the ballot: paper ballots are secret, but a pile sorted by group (women's ballots, one village's) says
which group each came from (``CastBallot.voter``). A ballot with neither has an empty ``voter`` (not known). Show-of-hands counts are not individual ballots: for
tallies and greedy they become weighted one-option ballots (``show_of_hands_ballots``); MES and Phragmén need each
voter's whole ballot, so they count paper and code ballots only (see ``count.count_question``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pbtools.counting.model import APPROVAL as APPROVAL_VOTE
from pbtools.counting.model import CHOOSE_1, CUMULATIVE, ORDINAL, Ballot, Election, Project
from pbtools.hearings.fold import CastBallot, HearingState
from pbtools.hearings.model import APPROVAL, KNAPSACK, MOTION, POINTS, RANKING, SINGLE, Question, default_score
from pbtools.hearings.voters import UNKNOWN, VOTER_FIELDS  # VOTER_FIELDS also importable from here, as before
from pbtools.i18n import N_, Msg

VOTE_TYPES = {SINGLE: CHOOSE_1, APPROVAL: APPROVAL_VOTE, KNAPSACK: APPROVAL_VOTE, POINTS: CUMULATIVE, RANKING: ORDINAL}


class ResultsError(ValueError):
    """A question that cannot be counted as asked; ``message`` says why in any language."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.render("en"))


def question_of(state: HearingState, question_id: str) -> Question:
    question = state.questions.get(question_id)
    if question is None:
        raise ResultsError(Msg(N_("There is no question {id}"), id=question_id))
    return question


def rule_of(question: Question) -> str:
    return question.rule or "greedy"


def score_of(question: Question) -> str:
    return question.score or default_score(question.kind)


def tie_rule_of(question: Question) -> tuple[str, int]:
    """(kind, seed) of the question's tie rule: by default the field's order (cheaper, more votes, lot)."""
    return question.tie_rule or "field", int(question.seed or 0)


def budget_of(state: HearingState, question: Question) -> Decimal:
    return question.budget if question.budget is not None else state.hearing.budget


def voter_of(state: HearingState, cast: CastBallot) -> dict[str, str]:
    """What is known of who cast ``cast``: the linked participant's attributes, else the group stored with the
    ballot (its pile's), only the known fields; empty when nothing is known."""
    participant = state.participants.get(getattr(cast, "participant", None) or 0)
    known = {name: v for name, v in getattr(cast, "voter", {}).items() if name in VOTER_FIELDS and v}
    if participant is None:
        return known
    return {**known, **{name: getattr(participant, name) for name in VOTER_FIELDS if getattr(participant, name) not in ("", UNKNOWN)}}


def to_ballot(question: Question, cast: CastBallot, voter: dict[str, str]) -> Ballot:
    marks = cast.ballot.marks
    if question.kind == RANKING:
        marks = tuple(sorted(marks, key=lambda m: m[1]))  # best first
    choice = tuple(option for option, _ in marks)
    points = tuple(value for _, value in marks) if question.kind == POINTS else None
    return Ballot(choice, points, voter, voter_id=str(cast.seq))


def show_of_hands_ballots(state: HearingState, question: Question) -> list[Ballot]:
    """Each show-of-hands figure as one weighted one-option ballot (group "sex" or "village" kept as the voter)."""
    ballots = []
    for count in state.counts_for(question.id):
        for group, per_option in count.counts.items():
            voter = {count.group_by: group} if count.group_by else {}
            for option, n in per_option.items():
                if n and option in question.options:
                    ballots.append(Ballot((option,), None, voter, voter_id=f"{count.seq}:{group}:{option}", weight=n))
    return ballots


def election_for(state: HearingState, question_id: str, *, hands: bool = False) -> Election:
    """The election of one question: its options as projects, its counted ballots (voided ones left out).

    ``hands``: add the show-of-hands counts as weighted one-option ballots (right for tallies and greedy only)."""
    question = question_of(state, question_id)
    if question.kind == MOTION:
        raise ResultsError(Msg(N_("A motion is decided by yes and no, not counted within a budget")))
    projects = [
        Project(o.id, o.cost, dict(o.titles), area=o.village or None, sector=o.sector, attributes={"number": str(o.number)})
        for o in state.options_of(question_id)
    ]
    ballots: list[Any] = [to_ballot(question, cast, voter_of(state, cast)) for cast in state.ballots_for(question_id)]
    if hands:
        ballots += show_of_hands_ballots(state, question)
    meta = {"description": question.title("en"), "max_length": str(question.max_choices) if question.kind == RANKING else ""}
    return Election(projects, ballots, budget_of(state, question), VOTE_TYPES[question.kind], meta=meta)
