"""Points (dot voting): ``question.points`` points spread over options.

With ``stacking`` off an option takes at most one point. With ``exact_points`` every point must be used,
otherwise fewer are allowed.
"""

from __future__ import annotations

from typing import Mapping

from pbtools.hearings.ballots.common import check_not_empty, check_options, option_ref
from pbtools.hearings.model import Ballot, Option, Question
from pbtools.i18n import N_, Msg


def validate(question: Question, options: Mapping[str, Option], ballot: Ballot, budget=None) -> list[Msg]:
    problems = check_options(question, options, ballot) + check_not_empty(ballot)
    for option_id, value in ballot.marks:
        ref = option_ref(option_id, options)
        if value < 1:
            problems.append(Msg(N_("Option {option}: points must be a whole number of at least 1, not {value}"), option=ref, value=value))
        elif value > 1 and not question.stacking:
            problems.append(Msg(N_("Option {option}: at most one point per option, not {value}"), option=ref, value=value))
    total = sum(value for _, value in ballot.marks)
    if total > question.points:
        problems.append(Msg(N_("Points add up to {total}, more than {points}"), total=total, points=question.points))
    elif question.exact_points and total < question.points and ballot.marks:
        problems.append(Msg(N_("Points add up to {total}; all {points} must be used"), total=total, points=question.points))
    return problems
