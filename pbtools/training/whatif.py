"""What if the ballot kind changed: the same simulated preferences cast as approval, points, ranking or knapsack
ballots, each counted by every rule, through the hearing's own counting (``pbtools.results.count``). Nothing is
written: the ballots live in a hearing state made in memory.

    hall = simulate_preferences(state, 150, seed=7)
    table = compare_kinds(state, hall, "q1")          # {kind: Comparison}: greedy, Equal Shares, Phragmén each
    table["points"].results["greedy"].selected
"""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from typing import Any, Mapping, Sequence

from pbtools.hearings.fold import CastBallot, HearingState
from pbtools.hearings.model import (
    APPROVAL, KNAPSACK, MOTION, OPEN, POINTS, RANKING, SINGLE, Ballot, Question, default_score,
)
from pbtools.i18n import N_, Msg
from pbtools.results.count import COMPARED, Comparison, compare_rules
from pbtools.training.errors import SimulationError
from pbtools.training.preferences import SimulatedHall, hall_ballots

KINDS = (APPROVAL, POINTS, RANKING, KNAPSACK)  # the kinds a "what if" compares (single choice is approval of 1)
POINTS_EACH = 5  # points each voter has when a question becomes a points ballot
CHOICES = 3  # approval: up to 3; ranking: the top 3


def question_as(question: Question, kind: str) -> Question:
    """``question`` asked with another ballot kind: the same options, rule and tie rule, and what that kind needs
    (approval: up to 3 choices; ranking: the top 3; points: 5 each, stacking; knapsack: the hearing's budget); the
    score is the new kind's own (votes, points or Borda points)."""
    if kind == MOTION or question.kind == MOTION:
        raise SimulationError(Msg(N_("A motion is decided by yes and no, not counted within a budget")))
    if kind == question.kind:
        return question
    k = max(1, min(CHOICES, len(question.options)))
    return replace(question, kind=kind, max_choices=1 if kind == SINGLE else k if kind in (APPROVAL, RANKING) else question.max_choices,
                   points=POINTS_EACH if kind == POINTS else 0, stacking=True, exact_points=True,
                   score=default_score(kind))


def state_with_ballots(state: Any, question: Question, ballots: Sequence[Ballot],
                       voters: Sequence[Mapping[str, str]] = ()) -> HearingState:
    """A hearing state held in memory only: ``state``'s hearing and options, the one ``question``, and ``ballots``
    (with each voter's group, when given), so the hearing's counting and tallies read it as they read a real one."""
    groups = list(voters) + [{}] * (len(ballots) - len(voters))
    cast = {seq: CastBallot(seq, question.id, ballot, "simulated", "", None, voter=dict(group))
            for seq, (ballot, group) in enumerate(zip(ballots, groups), start=1)}
    return HearingState(state.id, hearing=state.hearing, status=OPEN, options=dict(state.options),
                        questions={question.id: question}, ballots=cast, seq=len(cast))


def count_ballots(state: Any, question: Question, ballots: Sequence[Ballot], voters: Sequence[Mapping[str, str]] = (),
                  rules: tuple[str, ...] = COMPARED) -> Comparison:
    """``ballots`` of ``question`` counted by each of ``rules`` (``results.count.compare_rules``: the results,
    the options every rule funds, and why they differ on the others). Writes nothing."""
    return compare_rules(state_with_ballots(state, question, ballots, voters), question.id, rules)


def compare_kinds(state: Any, hall: SimulatedHall, question_id: str, kinds: Sequence[str] = KINDS,
                  rules: tuple[str, ...] = COMPARED, budget: Decimal | None = None) -> dict[str, Comparison]:
    """For each ballot kind: the hall's ballots on question ``question_id`` asked that way, counted by every rule.
    ``budget``: the hearing's unless given (a knapsack ballot fits it; every rule spends it)."""
    base = state.questions.get(question_id)
    if base is None:
        raise SimulationError(Msg(N_("There is no question {id}"), id=question_id))
    if budget is not None:
        state = replace(state, hearing=replace(state.hearing, budget=budget))
    groups = [v.voter.about() for v in hall.voters]
    table = {}
    for kind in kinds:
        question = question_as(base, kind)
        table[kind] = count_ballots(state, question, hall_ballots(hall, question, state.hearing.budget), groups, rules)
    return table
