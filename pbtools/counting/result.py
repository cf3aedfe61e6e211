"""What a count returns: the outcome, every tie met, and an explanation a facilitator can read aloud.

``Result.selected`` lists project ids in the order they were selected. ``steps`` are the explanation, one
``pbtools.counting.steps.Step`` subclass per kind of step (``Take``, ``Buy``, ``Select``...): typed, exact figures for
drawing and a ``message`` (a ``pbtools.i18n.Msg``) that renders in ky/ru/en; a compiled MES count makes them when they
are first read (a ``LazyTuple``, read as the tuple of the same steps; a failure while making them, such as running
out of memory, is raised where they are first read, not by ``count``). ``ties`` are ``Tie(step, tied, chosen, criterion,
message)``: at which step, which options had the same score, which one went first and by which criterion
(``id``, ``cost``, ``votes``, ``lot``; see ``pbtools.counting.ties``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping, Sequence

from pbtools.counting.frozen import maker
from pbtools.counting.lazy import LazyTuple
from pbtools.counting.steps import LazyMsg, Skip, Step, Stop
from pbtools.counting.ties import CRITERIA, TieRule
from pbtools.i18n import N_, Msg

# What became of each tied option, said once the count is done: "goes first" alone read as "is funded" on the
# projector, even where the option then did not fit the budget.
TIE = N_("Tie at step {step} ({criterion}): {outcomes}.")
# Greedy takes tied options one after the other: when all of them are funded, or none, their order changed nothing.
TIE_NO_MATTER = N_("Tie at step {step} ({criterion}), the order changed nothing: {outcomes}.")
SETTLED = (TIE, TIE_NO_MATTER)
FUNDED = N_("{project} — funded")
NOT_FUNDED = N_("{project} — not funded")
NO_ROOM = N_("{project} — not funded: it did not fit the budget left")
OVER_CAP = N_("{project} — not funded: its sector's cap was reached")


class Amount(Msg):
    """A number inside a message, written the way the listener's language writes it (rounded to 2 digits); with a
    ``currency`` (ISO code) it is an amount of money and says its unit ("1 950 000 сом", "12,5 zł")."""

    def __init__(self, value: Decimal | int | Fraction, currency: str | None = None) -> None:
        # Msg's fields set as Msg.__init__ would, without its keywords (explanations make thousands of amounts)
        kind = type(value)
        if kind is not Decimal:
            if kind is not int and isinstance(value, Fraction):  # (an ABC check is slow)
                value = Decimal(value.numerator) / Decimal(value.denominator)
            else:
                value = Decimal(value)
        fields = self.__dict__
        fields["msgid"] = "{value}"
        fields["params"] = {"value": value} if currency is None else {"value": value, "currency": currency}

    def render(self, lang: str) -> str:
        from pbtools.fmt import money, number, rounded

        value = rounded(self.params["value"], 2)
        if "currency" in self.params:
            return money(value, lang, currency=self.params["currency"])
        return number(value, lang, digits=0 if value == value.to_integral_value() else 2)


@dataclass(frozen=True)
class Tie:
    step: int  # 1-based position in the selection (greedy: in the order of score) where the tie was met
    tied: tuple[str, ...]  # the tied options, in the order the tie rule puts them
    chosen: str
    criterion: str
    message: Msg


new_tie = maker(Tie)  # Tie(...) without its frozen __init__ (frozen.py): a count of identical ballots meets a tie per round


@dataclass(frozen=True)
class Result:
    rule: str
    score: str
    tie_rule: TieRule
    selected: tuple[str, ...]
    total_cost: Decimal
    budget: Decimal
    ties: tuple[Tie, ...] = ()
    steps: Sequence[Step] = ()  # a tuple, or (a compiled MES count's) a LazyTuple made when first read
    currency: str = "KGS"
    options: Mapping[str, Any] = field(default_factory=dict)  # per-voter budget reached by a completion, areas, caps...

    def __post_init__(self) -> None:
        # The rules record a tie where they meet it, before they know the outcome; say the outcome here. Only
        # once: a copy (``dataclasses.replace``, e.g. with option names put in) keeps the messages it is given.
        ties, selected, steps = self.ties, self.selected, self.steps
        greedy = self.rule == "greedy"  # no-skip: the first tied option that does not fit stops the count
        if type(ties) is LazyTuple and ties._list is None:  # made when first read (a compiled Add1 count's)
            object.__setattr__(self, "ties", LazyTuple(lambda: _all_settled(ties, selected, steps, greedy)))
        elif ties and not all(map(_is_settled, ties)):
            object.__setattr__(self, "ties", _all_settled(ties, selected, steps, greedy))

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


def _all_settled(ties, selected, steps, greedy: bool) -> tuple[Tie, ...]:
    selected, stops = frozenset(selected), _StopsOf(steps)  # steps read only when a tie's message is
    return tuple(settled(t, selected, steps, greedy, stops) for t in ties)


class _Outcomes(Msg):
    """Outcomes joined by "; ", each kept a ``Msg`` whose ``project`` parameter is the option's id (so that the
    results bridge can put in the option's name)."""

    def __init__(self, first: Msg, rest: Msg | None = None) -> None:
        super().__init__("{first}; {rest}" if rest is not None else "{first}", first=first, **({"rest": rest} if rest is not None else {}))


def _stops(steps: tuple[Step, ...]) -> dict[str, Step]:
    """Each option's first skip or stop (why it was not funded)."""
    stops: dict[str, Step] = {}
    for step in steps:
        if isinstance(step, (Skip, Stop)) and step.project not in stops:
            stops[step.project] = step
    return stops


class _StopsOf:
    """``_stops(steps)`` made when first asked (by a tie's message, itself made when first read)."""

    def __init__(self, steps) -> None:
        self._steps, self._stops = steps, None

    def get(self, project: str) -> Step | None:
        if self._stops is None:
            self._stops = _stops(self._steps)
        return self._stops.get(project)


def outcome(project: str, selected, steps: tuple[Step, ...], stops: dict[str, Step] | None = None) -> Msg:
    """Funded, or why not: skipped or stopped at for lack of money, or over a sector cap (``stops``: ``_stops(steps)``,
    made once for many options)."""
    if project in selected:
        return Msg(FUNDED, project=project)
    step = (stops if stops is not None else _stops(steps)).get(project)
    if step is not None:
        why = OVER_CAP if isinstance(step, Skip) and step.reason == "cap" else NO_ROOM
        return Msg(why, project=project)
    return Msg(NOT_FUNDED, project=project)


def settled(tie: Tie, selected, steps: tuple[Step, ...], greedy: bool = False, stops: dict[str, Step] | None = None) -> Tie:
    """``tie`` with a message naming each tied option's outcome, in the order the tie rule put them. Under greedy,
    says so where all or none of them were funded (MES and Phragmén price later rounds by who paid first, so
    there the order may matter even then)."""
    if _is_settled(tie):
        return tie

    def message() -> Msg:  # made when first read: a count with many ties shows few of them
        outcomes = None
        known = stops if stops is not None else _stops(steps)
        for project in reversed(tie.tied):
            outcomes = _Outcomes(outcome(project, selected, steps, known), outcomes)
        funded = {project in selected for project in tie.tied}
        msgid = TIE_NO_MATTER if greedy and len(funded) == 1 else TIE
        return Msg(msgid, step=tie.step, criterion=Msg(CRITERIA.get(tie.criterion, tie.criterion)), outcomes=outcomes)

    return new_tie(tie.step, tie.tied, tie.chosen, tie.criterion, _Settled(message))


class _Settled(LazyMsg):
    """A tie's message saying the outcome, made when first read (``settled``)."""


def _is_settled(tie: Tie) -> bool:
    """Its message says the outcome: ``settled`` made it (whether or not it is made yet), or its text is one of those
    (a ``tie_record``'s message not yet made is not: it says who went first, not the outcome)."""
    message = tie.message
    return isinstance(message, _Settled) or (not isinstance(message, LazyMsg) and message.msgid in SETTLED)


def _plain(value: Decimal) -> int | str:
    return int(value) if value == value.to_integral_value() else str(value)
