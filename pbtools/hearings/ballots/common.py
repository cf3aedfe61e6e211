"""Checks shared by the ballot kinds, and how a message names an option."""

from __future__ import annotations

from decimal import Decimal
from typing import Mapping

from pbtools.fmt import money
from pbtools.hearings.model import Ballot, Option, Question
from pbtools.i18n import N_, Msg


class Money(Msg):
    """An amount in som inside a message, written the way the reader's language writes money."""

    def __init__(self, amount: Decimal) -> None:
        super().__init__("{amount}", amount=amount)

    def render(self, lang: str) -> str:
        return money(self.params["amount"], lang)


def option_ref(option_id: str, options: Mapping[str, Option]) -> str:
    """How people know an option: its number on the ballot, else its id."""
    option = options.get(option_id)
    return f"№{option.number}" if option else option_id


def check_options(question: Question, options: Mapping[str, Option], ballot: Ballot) -> list[Msg]:
    """Every marked option is on this question's ballot, and none is marked twice."""
    problems: list[Msg] = []
    seen: set[str] = set()
    for option_id in ballot.option_ids():
        ref = option_ref(option_id, options)
        if option_id not in question.options or option_id not in options:
            problems.append(Msg(N_("Option {option} is not on this ballot"), option=ref))
        elif option_id in seen:
            problems.append(Msg(N_("Option {option} is marked more than once"), option=ref))
        seen.add(option_id)
    if ballot.answer:
        problems.append(Msg(N_("This ballot takes options, not yes/no/abstain")))
    return problems


def check_not_empty(ballot: Ballot) -> list[Msg]:
    return [] if ballot.marks else [Msg(N_("No option is chosen"))]


def check_plain_marks(ballot: Ballot, options: Mapping[str, Option]) -> list[Msg]:
    """Single, approval and knapsack ballots mark an option, without a number."""
    return [
        Msg(N_("Option {option}: a number is not expected on this ballot ({value})"), option=option_ref(o, options), value=v)
        for o, v in ballot.marks
        if v != 1
    ]
