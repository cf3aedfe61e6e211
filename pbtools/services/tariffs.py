"""The tariff that covers a service's yearly cost: (cost − subsidy) / (payers × collection rate).

Exact (``Fraction``) until the end; then rounded UP to the tyiyn (0.01 som), yearly and monthly each from the exact
figure, so that the tariff collected always covers the cost (rounding half up could leave it short by up to half a
tyiyn per payer, and a council's tariff must rest on the full justified cost). See docs/services.md.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal
from fractions import Fraction
from typing import Sequence

from pbtools.budget.problems import Number
from pbtools.budget.numbers import DASHES, NotANumber, TooLarge, parse_amount, parse_som, too_large
from pbtools.fmt import Money, Percent
from pbtools.i18n import N_, Msg
from pbtools.services.errors import ServiceError
from pbtools.services.model import Service

TYIYN = Decimal("0.01")

# the options a tariff hearing compares
TODAY, TARGET, SUBSIDISED, TARGET_SUBSIDISED = "today", "target", "subsidy", "target_subsidy"
OPTION_NAMES = {
    TODAY: N_("Covers the cost at today's collection rate"),
    TARGET: N_("Covers the cost at the target collection rate"),
    SUBSIDISED: N_("With a subsidy from the budget, at today's collection rate"),
    TARGET_SUBSIDISED: N_("With a subsidy from the budget, at the target collection rate"),
}


def up_to_tyiyn(value: Fraction) -> Decimal:
    """``value`` som rounded up to the tyiyn: 66.6666… -> 66.67, 66.661 -> 66.67, 66.66 -> 66.66."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)  # only to find the ceiling: checked exactly below
    rounded = exact.quantize(TYIYN, rounding=ROUND_CEILING)
    while Fraction(rounded) < value:  # Decimal division is correct to 28 digits; make sure, exactly
        rounded += TYIYN
    while Fraction(rounded - TYIYN) >= value:
        rounded -= TYIYN
    return rounded


@dataclass(frozen=True)
class CoveringTariff:
    """The tariff per payer (a household, or a person when the service counts only people) that covers the cost."""

    option: str  # TODAY, TARGET, SUBSIDISED, TARGET_SUBSIDISED, or "" for one asked for directly
    yearly_cost: Decimal
    subsidy: Decimal  # som a year from the budget
    payer: str  # HOUSEHOLD or PERSON
    payers: int
    collection_rate: Decimal
    exact_yearly: Fraction
    yearly: Decimal  # rounded up to the tyiyn
    monthly: Decimal  # exact_yearly / 12, rounded up to the tyiyn
    current_monthly: Decimal | None  # today's tariff for the same payer, per month (None: none in the register)

    @property
    def change_monthly(self) -> Decimal | None:
        """How much more (or less) a payer pays a month than under today's tariff."""
        return None if self.current_monthly is None else self.monthly - self.current_monthly

    @property
    def billed(self) -> Decimal:
        """What is billed a year (to every payer) at the rounded tariff."""
        return self.yearly * self.payers

    @property
    def collected(self) -> Decimal:
        """What is expected to be paid a year: billed × collection rate (never less than cost − subsidy)."""
        return self.billed * self.collection_rate


EXAMPLE_RATE = Decimal("0.85")


def not_a_rate(value: object) -> Msg:
    """The one refusal of a collection rate, its examples written as the screen writes numbers and percentages
    ("0,85" and "85 %" in ky/ru, "0.85" and "85%" in en: the reader takes each)."""
    return Msg(N_("{value} is not a collection rate: give a share of the bills that is paid, from 0 to 1 ({share}) or in per cent ({percent})"),
               value=str(value), share=Number(EXAMPLE_RATE), percent=Percent(EXAMPLE_RATE))


def parse_rate(text: str | Decimal) -> Decimal:
    """A collection rate as typed: "0,85", "0.85", "85 %", "85" (a number above 1 is a percentage). Raises
    ServiceError unless 0 < rate <= 1."""
    if isinstance(text, Decimal):
        value = text
    else:
        s = str(text).strip()
        percent = s.endswith("%")
        try:
            value = parse_amount(s.rstrip("%").strip(), None)
        except NotANumber:
            value = None
        if value is not None and (percent or value > 1):
            value = value / 100
    if value is None or not (0 < value <= 1):
        raise ServiceError(not_a_rate(text))
    return value


def parse_subsidy(text: str | Decimal) -> Decimal:
    if isinstance(text, Decimal):
        value: Decimal | None = text
    else:
        try:
            value = parse_som(text) if str(text).strip() not in DASHES else Decimal(0)
        except TooLarge:
            raise ServiceError(too_large(text)) from None
        except NotANumber:
            value = None
    if value is None or value < 0:
        raise ServiceError(Msg(N_("{value} is not an amount in som"), value=str(text)))
    return value


# The Tariffs tab's two fields, named in a refusal: "-100 is not an amount in som" alone did not say which box.
FIGURE_FIELDS = {"target": N_("Target collection rate"), "subsidy": N_("Subsidy from the budget, som a year")}


def tariff_figures(target: str, subsidy: str) -> tuple[Decimal | None, Decimal | None]:
    """(target collection rate, subsidy) as typed in the Tariffs tab's fields, None for an empty one. Raises
    ServiceError naming each field that cannot be read (both, when both are wrong)."""
    found: dict[str, Decimal | None] = {}
    problems = []
    for name, text, parse in (("target", target, parse_rate), ("subsidy", subsidy, parse_subsidy)):
        found[name] = None
        if not str(text).strip():
            continue
        try:
            found[name] = parse(text)
        except ServiceError as e:
            problems += [Msg(N_("{field}: {problem}"), field=Msg(FIGURE_FIELDS[name]), problem=p) for p in e.problems]
    if problems:
        raise ServiceError(problems)
    return found["target"], found["subsidy"]


def current_monthly(service: Service, payer: str) -> Decimal | None:
    """Today's tariff per month for ``payer`` (the first of the register's tariffs charged to that payer)."""
    tariff = next((t for t in service.tariffs if t.payer == payer), None)
    return None if tariff is None else up_to_tyiyn(Fraction(tariff.yearly()) / 12)


def covering_tariff(service: Service, collection_rate: Decimal | None = None, subsidy: Decimal = Decimal(0),
                    option: str = "") -> CoveringTariff:
    """The tariff that covers ``service``'s yearly cost, at ``collection_rate`` (default: the register's), with
    ``subsidy`` som a year from the budget. Raises ServiceError when it cannot be computed."""
    rate = service.collection_rate if collection_rate is None else collection_rate
    payer, payers = service.payers
    cost = service.yearly_cost
    problems = []
    if payers <= 0:
        problems.append(Msg(N_("Service {id}: the number of households or people served is not known"), id=service.id))
    if not (0 < rate <= 1):
        problems.append(not_a_rate(rate))
    if subsidy < 0:
        problems.append(Msg(N_("{value} is not an amount in som"), value=str(subsidy)))
    elif subsidy > cost:
        problems.append(Msg(N_("The subsidy ({subsidy} som) is more than the yearly cost ({cost} som)"), subsidy=Number(subsidy), cost=Number(cost)))
    if problems:
        raise ServiceError(problems)
    exact = (Fraction(cost) - Fraction(subsidy)) / (payers * Fraction(rate))
    return CoveringTariff(option, cost, subsidy, payer, payers, rate, exact, up_to_tyiyn(exact), up_to_tyiyn(exact / 12),
                          current_monthly(service, payer))


def tariff_options(service: Service, target_rate: Decimal | None = None, subsidy: Decimal | None = None) -> list[CoveringTariff]:
    """What a tariff hearing compares: the covering tariff at today's rate, at a target rate, with a subsidy, and
    with both (the ones the figures given allow)."""
    options = [covering_tariff(service, option=TODAY)]
    if target_rate is not None and target_rate != service.collection_rate:
        options.append(covering_tariff(service, target_rate, option=TARGET))
    if subsidy:
        options.append(covering_tariff(service, subsidy=subsidy, option=SUBSIDISED))
        if target_rate is not None and target_rate != service.collection_rate:
            options.append(covering_tariff(service, target_rate, subsidy, option=TARGET_SUBSIDISED))
    return options


# Where a month and a year are shown side by side, a reader multiplies: each is rounded up from the exact tariff
# (docs/services.md), so 12 months can come to a few tyiyn more than the year.
ROUNDED_APART = N_("The monthly and yearly figures are each rounded up to the tyiyn from the exact tariff, so the yearly one is not exactly 12 × the monthly: 12 × {monthly} = {twelve}, a year {yearly}.")


def rounding_note(options: Sequence[CoveringTariff]) -> Msg | None:
    """Why a year is not 12 months, with the figures of the first option where it is not; None when every one is."""
    t = next((t for t in options if t.monthly * 12 != t.yearly), None)
    return None if t is None else Msg(ROUNDED_APART, monthly=Money(t.monthly), twelve=Money(t.monthly * 12), yearly=Money(t.yearly))
