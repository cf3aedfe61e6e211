"""Budget allocation rules working on a ``Compiled`` election (see ``pbtools.counting.count`` for the public call).

Each rule returns an ``Outcome``: selected project indices in order of selection, ties met and explanation steps.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from pbtools.counting.profile import Compiled
from pbtools.counting.result import Amount, Tie, new_tie
from pbtools.counting.steps import LazyMsg, Step
from pbtools.counting.ties import CRITERIA, TieRule
from pbtools.i18n import Msg, N_


@dataclass
class Outcome:
    selected: list[int]
    ties: list[Tie] = field(default_factory=list)
    steps: list[Step] = field(default_factory=list)
    options: dict = field(default_factory=dict)


@dataclass
class Limits:
    """Per-sector caps (scaled money): a project may be selected only while its sector stays within its cap."""

    sectors: list[str | None]
    caps: dict[str, int]

    def allows(self, p: int, cost: int, spent: dict[str, int]) -> bool:
        sector = self.sectors[p]
        return sector not in self.caps or spent.get(sector, 0) + cost <= self.caps[sector]

    def spend(self, p: int, cost: int, spent: dict[str, int]) -> None:
        sector = self.sectors[p]
        if sector is not None:
            spent[sector] = spent.get(sector, 0) + cost


_TIE = N_("Tie at step {step} between {projects}: {chosen} goes first ({criterion}).")
_CRITERIA = {k: Msg(v) for k, v in CRITERIA.items()}  # made once (a Msg is never changed once made)


def tie_record(c: Compiled, tie: TieRule, step: int, tied: list[int]) -> Tie:
    """``tied`` is already in the tie rule's order; the first is chosen. Its message is made when first read: a
    result says each tie's outcome in a message of its own (``result.settled``), and a count of identical ballots
    meets a tie of every option left each round."""
    ids = c.ids
    names = tuple([ids[p] for p in tied])
    criterion = tie.criterion(tied[0], tied[1], c.costs, c.support)
    return new_tie(step, names, names[0], criterion, LazyMsg(_tie_message, step, names, criterion))


def _tie_message(step: int, names: tuple[str, ...], criterion: str) -> Msg:
    return Msg(_TIE, step=step, projects=", ".join(names), chosen=names[0], criterion=_CRITERIA[criterion])


def money(c: Compiled, value) -> Amount:
    return Amount(c.money(value), c.currency)


def mes_candidates(c: Compiled, eligible: set[int] | None) -> tuple[list[int], list[int]]:
    """(initial, candidates) of an MES count, for either engine: the projects with a score (and eligible) bought
    before the first round because they cost nothing (not under Cost_Sat, where a free project has no utility), and
    those the rounds may buy."""
    initial: list[int] = []
    candidates: list[int] = []
    free = None if c.score_kind == "support" else initial  # (one loop: a small count's set-up is most of it)
    for p, (cost, score) in enumerate(zip(c.costs, c.score)):
        if score > 0 and (eligible is None or p in eligible):
            if cost > 0:
                candidates.append(p)
            elif cost == 0 and free is not None:
                free.append(p)
    return initial, candidates


class NoRoomLeft:
    """Whether an outcome leaves no MES candidate that fits in what it leaves of the real budget (pabutools' test,
    asked by the Add1 search of either engine): the candidates taken cheapest first (sorted when first asked), the
    scan stopping at the first one too dear (at most steps, the first few)."""

    def __init__(self, c: Compiled, candidates: list[int]) -> None:
        self.c, self.candidates, self._by_cost = c, candidates, None

    def __call__(self, selected: list[int]) -> bool:
        c = self.c
        if self._by_cost is None:
            self._by_cost = sorted(zip(map(c.costs.__getitem__, self.candidates), self.candidates))
        left = c.budget - sum(map(c.costs.__getitem__, selected))
        chosen = set(selected)
        for cost, p in self._by_cost:
            if cost > left:
                return True
            if p not in chosen:
                return False
        return True
