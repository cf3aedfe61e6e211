"""What a count returns: the outcome, every tie met, and an explanation a facilitator can read aloud.

``Result.selected`` lists project ids in the order they were selected. ``steps`` are ``Step(kind, project, data,
message)``: ``data`` is structured (for drawing; amounts are exact ``Decimal``/``Fraction`` in currency units) and
``message`` is a ``pbtools.i18n.Msg`` that renders in ky/ru/en. ``ties`` are ``Tie(step, tied, chosen, criterion,
message)``: at which step, which options had the same score, which one went first and by which criterion
(``id``, ``cost``, ``votes``, ``lot``; see ``pbtools.counting.ties``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any, Mapping

from pbtools.counting.ties import TieRule
from pbtools.i18n import Msg


class Amount(Msg):
    """A number inside a message, written the way the listener's language writes it (rounded to 2 digits)."""

    def __init__(self, value: Decimal | int | Fraction) -> None:
        if isinstance(value, Fraction):
            value = Decimal(value.numerator) / Decimal(value.denominator)
        super().__init__("{value}", value=Decimal(value))

    def render(self, lang: str) -> str:
        from pbtools.fmt import number

        value = self.params["value"].quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        return number(value, lang, digits=0 if value == value.to_integral_value() else 2)


@dataclass(frozen=True)
class Step:
    kind: str  # greedy: take, skip, stop; mes: buy, done; phragmen: select, stop; any: ineligible, area
    project: str | None
    data: Mapping[str, Any]
    message: Msg


@dataclass(frozen=True)
class Tie:
    step: int  # 1-based position in the selection (greedy: in the order of score) where the tie was met
    tied: tuple[str, ...]  # the tied options, in the order the tie rule puts them
    chosen: str
    criterion: str
    message: Msg


@dataclass(frozen=True)
class Result:
    rule: str
    score: str
    tie_rule: TieRule
    selected: tuple[str, ...]
    total_cost: Decimal
    budget: Decimal
    ties: tuple[Tie, ...] = ()
    steps: tuple[Step, ...] = ()
    currency: str = "KGS"
    options: Mapping[str, Any] = field(default_factory=dict)  # per-voter budget reached by a completion, areas, caps...

    def explain(self, lang: str = "en") -> list[str]:
        return [step.message.render(lang) for step in self.steps]

    def to_json(self) -> dict:
        """The ``pbtools tally --json`` object: rule, selected (in order of selection), total_cost, ties."""
        return {
            "rule": self.rule,
            "score": self.score,
            "tie_rule": self.tie_rule.as_dict(),
            "selected": list(self.selected),
            "total_cost": _plain(self.total_cost),
            "budget": _plain(self.budget),
            "ties": [{"step": t.step, "tied": list(t.tied), "chosen": t.chosen, "criterion": t.criterion} for t in self.ties],
        }


def _plain(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)
