"""Ballot kinds and their complete check. ``validate(question, options, ballot, budget)`` returns the problems
(``Msg``, naming the option numbers); an empty list means the ballot may be stored.

One module per kind: single, approval, points, ranking, knapsack, motion.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from pbtools.hearings.ballots import approval, knapsack, motion, points, ranking, single
from pbtools.hearings.model import APPROVAL, KNAPSACK, MOTION, POINTS, RANKING, SINGLE, Ballot, Option, Question
from pbtools.i18n import N_, Msg

KINDS = {SINGLE: single, APPROVAL: approval, POINTS: points, RANKING: ranking, KNAPSACK: knapsack, MOTION: motion}


def validate(question: Question, options: Mapping[str, Option], ballot: Ballot, budget: Decimal | None = None) -> list[Msg]:
    """Everything wrong with ``ballot`` for ``question``; ``budget`` is the hearing's (used by knapsack)."""
    module = KINDS.get(question.kind)
    if module is None:
        return [Msg(N_("Unknown ballot kind {kind}"), kind=question.kind)]
    return module.validate(question, options, ballot, budget)


def check_question(question: Question, options: Mapping[str, Option]) -> list[Msg]:
    """Whether a question can be put to the vote as defined (before any ballot is cast)."""
    problems: list[Msg] = []
    if question.kind not in KINDS:
        return [Msg(N_("Unknown ballot kind {kind}"), kind=question.kind)]
    for option_id in question.options:
        if option_id not in options:
            problems.append(Msg(N_("Option {option} is not on the agenda"), option=option_id))
    if not any(t.strip() for t in question.titles.values()):
        problems.append(Msg(N_("The question has no title: write it in at least one language")))
    if len(set(question.options)) != len(question.options):
        problems.append(Msg(N_("An option is listed twice on this question")))
    if question.choose_one and question.kind != SINGLE:
        problems.append(Msg(N_("A choice of one alternative is a single-choice question")))
    if question.kind == MOTION:
        if question.options:
            problems.append(Msg(N_("A motion takes yes, no or abstain, not options")))
        return problems
    if not question.options:  # said once: "choices between 1 and 0" would only confuse
        problems.append(Msg(N_("The question has no options: select them in the list of options")))
        return problems
    if question.kind in (APPROVAL, RANKING) and not 1 <= question.max_choices <= len(question.options):
        problems.append(Msg(N_("The number of choices must be between 1 and {n}"), n=len(question.options)))
    if question.kind == POINTS and question.points < 1:
        problems.append(Msg(N_("Each voter needs at least 1 point")))
    if question.kind == POINTS and not question.stacking and question.exact_points and question.points > len(question.options):
        problems.append(Msg(N_("Without stacking, {points} points cannot all be used on {n} options"), points=question.points, n=len(question.options)))
    if question.kind == KNAPSACK and question.budget is not None and question.budget <= 0:
        problems.append(Msg(N_("The budget must be more than zero")))
    return problems
