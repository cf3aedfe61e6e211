"""A municipal service as plain data: what the register holds for each one."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from pbtools.budget.model import pick_name
from pbtools.i18n import N_

# who delivers a service
MUNICIPALITY, ENTERPRISE, CONTRACTOR = "municipality", "enterprise", "contractor"
PROVIDERS = (MUNICIPALITY, ENTERPRISE, CONTRACTOR)
PROVIDER_NAMES = {
    MUNICIPALITY: N_("the municipality (ayil okmotu)"),
    ENTERPRISE: N_("a municipal enterprise"),
    CONTRACTOR: N_("a contractor"),
}

# whom a tariff is charged to, and for what time
HOUSEHOLD, PERSON = "household", "person"
YEAR, MONTH = "year", "month"
PAYERS = (HOUSEHOLD, PERSON)
PERIODS = (YEAR, MONTH)


@dataclass(frozen=True)
class Tariff:
    """One tariff in force: e.g. 1 800 som per household per year with a connection in the house."""

    names: Mapping[str, str]  # language -> what it is for ("in-house connection", "standpipe")
    amount: Decimal  # som
    payer: str = HOUSEHOLD  # one of PAYERS
    period: str = YEAR  # one of PERIODS

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)

    def yearly(self) -> Decimal:
        return self.amount * 12 if self.period == MONTH else self.amount


@dataclass(frozen=True)
class CostItem:
    names: Mapping[str, str]  # salaries, electricity for pumps, chlorine, repairs, depreciation...
    amount: Decimal  # som per year

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)


@dataclass(frozen=True)
class Service:
    id: str  # short key: "water", "waste", "S1"
    names: Mapping[str, str]  # ky / ru / en
    villages: tuple[str, ...] = ()
    households: int = 0  # households served (0: not counted)
    people: int = 0  # people served (0: not counted)
    provider: str = MUNICIPALITY  # one of PROVIDERS
    costs: tuple[CostItem, ...] = ()
    tariffs: tuple[Tariff, ...] = ()
    collection_rate: Decimal = Decimal(1)  # the share of what is billed that is paid, 0 < rate <= 1
    budget_lines: tuple[str, ...] = ()  # budget codes it is paid from
    notes: Mapping[str, str] = field(default_factory=dict)

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang) or self.id

    @property
    def yearly_cost(self) -> Decimal:
        return sum((c.amount for c in self.costs), Decimal(0))

    @property
    def payers(self) -> tuple[str, int]:
        """Whom a covering tariff is charged to: households when counted, else people."""
        return (HOUSEHOLD, self.households) if self.households else (PERSON, self.people)
