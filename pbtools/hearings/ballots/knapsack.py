"""Knapsack: any options whose total cost fits the budget (``question.budget``, else the hearing's)."""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from pbtools.hearings.ballots.common import Money, check_not_empty, check_options, check_plain_marks
from pbtools.hearings.model import Ballot, Option, Question
from pbtools.i18n import N_, Msg


def validate(question: Question, options: Mapping[str, Option], ballot: Ballot, budget: Decimal | None = None) -> list[Msg]:
    problems = check_options(question, options, ballot) + check_not_empty(ballot) + check_plain_marks(ballot, options)
    limit = question.budget if question.budget is not None else budget
    chosen = {o for o in ballot.option_ids() if o in options and o in question.options}
    cost = sum((options[o].cost for o in chosen), Decimal(0))
    if limit is not None and cost > limit:
        problems.append(Msg(N_("Over budget: the chosen options cost {cost}, the budget is {budget}"), cost=Money(cost), budget=Money(limit)))
    return problems
