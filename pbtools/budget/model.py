"""The budget as pbtools holds it, whatever file it came from. Amounts are in som, exact (Decimal)."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

REVENUE = "revenue"
EXPENDITURE = "expenditure"
SIDES = (REVENUE, EXPENDITURE)

# Revenue groups as Kyrgyz local budgets report them (see shared/domain.md).
REVENUE_GROUPS = ("own", "grant", "special", "transfers", "other")


def pick_name(names: Mapping[str, str], lang: str) -> str:
    """The name in ``lang``, else in the other languages (ky, ru, en order), else ''."""
    for candidate in (lang, "ky", "ru", "en"):
        if names.get(candidate):
            return names[candidate]
    return ""


@dataclass(frozen=True)
class BudgetLine:
    side: str  # REVENUE or EXPENDITURE
    code: str  # budget classification code as written in the file, e.g. "1121" or "709"
    names: Mapping[str, str]  # language -> name; at least one language
    group: str  # revenue: one of REVENUE_GROUPS; expenditure: the function code from the code list, e.g. "709"
    planned: Mapping[int, Decimal] = field(default_factory=dict)  # year -> som (budget year and forecast years)
    executed: Mapping[int, Decimal] = field(default_factory=dict)  # year -> som actually received or spent

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)


@dataclass(frozen=True)
class Budget:
    year: int  # the budget year; planned amounts may also cover year+1, year+2 (forecast)
    lines: tuple[BudgetLine, ...]
    municipality: Mapping[str, str] = field(default_factory=dict)  # language -> name
    source: str = ""  # file name it was read from

    def revenue(self) -> tuple[BudgetLine, ...]:
        return tuple(line for line in self.lines if line.side == REVENUE)

    def expenditure(self) -> tuple[BudgetLine, ...]:
        return tuple(line for line in self.lines if line.side == EXPENDITURE)

    def years(self) -> list[int]:
        found = {y for line in self.lines for y in (*line.planned, *line.executed)}
        return sorted(found)

    def total(self, side: str, year: int, executed: bool = False) -> Decimal:
        column = "executed" if executed else "planned"
        return sum((getattr(line, column).get(year, Decimal(0)) for line in self.lines if line.side == side), Decimal(0))


@dataclass(frozen=True)
class Village:
    names: Mapping[str, str]
    population: int
    id: str = ""  # short key used by other files (projects.csv "village"), e.g. "bel-saz"

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)


@dataclass(frozen=True)
class Municipality:
    names: Mapping[str, str]  # e.g. {"ky": "Ак-Суу айыл аймагы", ...}
    villages: tuple[Village, ...] = ()
    oblast: Mapping[str, str] = field(default_factory=dict)
    rayon: Mapping[str, str] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)

    @property
    def population(self) -> int:
        return sum(v.population for v in self.villages)
