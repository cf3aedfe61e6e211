"""Yes / no / abstain on a motion."""

from __future__ import annotations

from typing import Mapping

from pbtools.hearings.model import ANSWERS, Ballot, Option, Question
from pbtools.i18n import N_, Msg


def validate(question: Question, options: Mapping[str, Option], ballot: Ballot, budget=None) -> list[Msg]:
    problems = []
    if ballot.marks:
        problems.append(Msg(N_("A motion takes yes, no or abstain, not options")))
    if ballot.answer not in ANSWERS:
        problems.append(Msg(N_("Answer yes, no or abstain")))
    return problems
