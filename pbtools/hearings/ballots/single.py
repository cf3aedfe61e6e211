"""Single choice: exactly one option."""

from __future__ import annotations

from typing import Mapping

from pbtools.hearings.ballots.common import check_not_empty, check_options, check_plain_marks
from pbtools.hearings.model import Ballot, Option, Question
from pbtools.i18n import N_, Msg


def validate(question: Question, options: Mapping[str, Option], ballot: Ballot, budget=None) -> list[Msg]:
    problems = check_options(question, options, ballot) + check_not_empty(ballot) + check_plain_marks(ballot, options)
    if len(ballot.marks) > 1:
        problems.append(Msg(N_("Choose one option; this ballot chooses {n}"), n=len(ballot.marks)))
    return problems
