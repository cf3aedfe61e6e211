"""The citizens' budget: the few figures a hearing shows, computed from a ``Budget`` (pure functions).

Shares are fractions (0.665), amounts are som (Decimal). Figures that cannot be computed (no population, no
previous year in the file) are None, never a guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Mapping

from pbtools.budget.codes import FUNCTIONS, REVENUE_GROUP_NAMES
from pbtools.budget.model import EXPENDITURE, REVENUE, REVENUE_GROUPS, Budget, Municipality, pick_name
from pbtools.budget.place import same_place

ZERO = Decimal(0)


@dataclass(frozen=True)
class Part:
    """One revenue source or one spending function in a year."""

    key: str  # revenue group ("own", "grant", ...) or function code ("709")
    names: Mapping[str, str]
    amount: Decimal
    share: Decimal  # of the side's total
    previous: Decimal | None = None  # planned amount of the year before, when the file has it

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)


@dataclass(frozen=True)
class PlanActual:
    side: str
    key: str
    names: Mapping[str, str]
    planned: Decimal
    executed: Decimal

    @property
    def rate(self) -> Decimal | None:
        return self.executed / self.planned if self.planned else None

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)


@dataclass(frozen=True)
class CitizensBudget:
    year: int
    municipality: Mapping[str, str]
    population: int | None
    revenue: Decimal
    expenditure: Decimal
    own_revenue: Decimal
    grant: Decimal
    revenue_by_source: tuple[Part, ...]  # in REVENUE_GROUPS order, groups with no money left out
    spending_by_function: tuple[Part, ...]  # largest first
    previous_year: int | None  # the year before, when the file plans it
    previous_revenue: Decimal | None
    previous_expenditure: Decimal | None
    execution_year: int | None  # the latest year with executed amounts (usually last year)
    plan_vs_actual: tuple[PlanActual, ...]  # revenue sources then functions of execution_year
    forecast: tuple[tuple[int, Decimal, Decimal], ...]  # (year, revenue, expenditure) after the budget year

    @property
    def balance(self) -> Decimal:
        return self.revenue - self.expenditure

    @property
    def own_share(self) -> Decimal | None:
        return self.own_revenue / self.revenue if self.revenue else None

    @property
    def grant_share(self) -> Decimal | None:
        return self.grant / self.revenue if self.revenue else None

    @property
    def spending_per_resident(self) -> Decimal | None:
        if not self.population:
            return None
        return (self.expenditure / self.population).quantize(Decimal(1), rounding=ROUND_HALF_UP)

    @property
    def revenue_change(self) -> Decimal | None:
        return _change(self.revenue, self.previous_revenue)

    @property
    def expenditure_change(self) -> Decimal | None:
        return _change(self.expenditure, self.previous_expenditure)

    def execution_totals(self, side: str) -> tuple[Decimal, Decimal]:
        """(planned, executed) of ``side`` in the execution year."""
        items = [p for p in self.plan_vs_actual if p.side == side]
        return sum((p.planned for p in items), ZERO), sum((p.executed for p in items), ZERO)


def _change(now: Decimal, before: Decimal | None) -> Decimal | None:
    return (now - before) / before if before else None


def _function_names(code: str, budget: Budget, functions: Mapping[str, Mapping[str, str]]) -> Mapping[str, str]:
    if code in functions:
        return functions[code]
    line = next((l for l in budget.expenditure() if l.code == code), None)  # a code outside the list: its own name
    return line.names if line else {"en": code}


def _by_key(budget: Budget, side: str, year: int, executed: bool = False) -> dict[str, Decimal]:
    totals: dict[str, Decimal] = {}
    for line in budget.lines:
        if line.side == side:
            amount = (line.executed if executed else line.planned).get(year)
            if amount is not None:
                totals[line.group] = totals.get(line.group, ZERO) + amount
    return totals


def citizens_budget(budget: Budget, municipality: Municipality | None = None,
                    functions: Mapping[str, Mapping[str, str]] | None = None) -> CitizensBudget:
    functions = FUNCTIONS if functions is None else functions
    year = budget.year
    years = budget.years()
    revenue = budget.total(REVENUE, year)
    expenditure = budget.total(EXPENDITURE, year)
    planned_years = {y for line in budget.lines for y in line.planned}
    previous = year - 1 if year - 1 in planned_years else None

    rev_now, rev_before = _by_key(budget, REVENUE, year), _by_key(budget, REVENUE, year - 1)
    exp_now, exp_before = _by_key(budget, EXPENDITURE, year), _by_key(budget, EXPENDITURE, year - 1)
    order = [g for g in REVENUE_GROUPS if g in rev_now] + sorted(set(rev_now) - set(REVENUE_GROUPS))
    sources = tuple(
        Part(g, REVENUE_GROUP_NAMES.get(g, {"en": g}), rev_now[g], rev_now[g] / revenue if revenue else ZERO,
             rev_before.get(g) if previous else None)
        for g in order if rev_now[g]
    )
    spending = tuple(sorted(
        (Part(code, _function_names(code, budget, functions), amount, amount / expenditure if expenditure else ZERO,
              exp_before.get(code) if previous else None)
         for code, amount in exp_now.items() if amount),
        key=lambda p: (-p.amount, p.key),
    ))

    executed_years = sorted({y for line in budget.lines for y in line.executed if y <= year})
    execution_year = executed_years[-1] if executed_years else None
    plan_vs_actual: list[PlanActual] = []
    if execution_year is not None:
        for side, names_of in ((REVENUE, lambda k: REVENUE_GROUP_NAMES.get(k, {"en": k})),
                               (EXPENDITURE, lambda k: _function_names(k, budget, functions))):
            planned = _by_key(budget, side, execution_year)
            done = _by_key(budget, side, execution_year, executed=True)
            keys = sorted(set(planned) | set(done), key=lambda k: (REVENUE_GROUPS.index(k) if k in REVENUE_GROUPS else 99, k))
            plan_vs_actual += [PlanActual(side, k, names_of(k), planned.get(k, ZERO), done.get(k, ZERO)) for k in keys]

    # the workspace's population belongs to the workspace's municipality: a budget of another place gets none
    ours = municipality is not None and same_place(budget.municipality, municipality.names)
    municipality_names = municipality.names if ours else budget.municipality
    return CitizensBudget(
        year=year,
        municipality=dict(municipality_names),
        population=municipality.population if ours and municipality.population else None,
        revenue=revenue,
        expenditure=expenditure,
        own_revenue=rev_now.get("own", ZERO),
        grant=rev_now.get("grant", ZERO),
        revenue_by_source=sources,
        spending_by_function=spending,
        previous_year=previous,
        previous_revenue=budget.total(REVENUE, previous) if previous else None,
        previous_expenditure=budget.total(EXPENDITURE, previous) if previous else None,
        execution_year=execution_year,
        plan_vs_actual=tuple(plan_vs_actual),
        forecast=tuple((y, budget.total(REVENUE, y), budget.total(EXPENDITURE, y)) for y in years if y > year),
    )
