"""A service typed into a form (the Services app's "Register a service", ``pbtools services add``): the fields as
text, read into a ``Service`` with every problem naming its field, in any language; nothing is stored when one is
wrong. The register file (``read.py``) stays the way to register many at once; this is one service by hand.

    costs and tariffs: one a line, "what for: amount" ("electricity: 105 000", "standpipe: 600")
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from pbtools.budget.numbers import NotANumber, TooLarge, parse_som, too_large, whole_number
from pbtools.i18n import N_, Msg, field_namer
from pbtools.services.columns import split_list
from pbtools.services.errors import ServiceError
from pbtools.services.model import HOUSEHOLD, MONTH, PERSON, PROVIDERS, YEAR, CostItem, Service, Tariff
from pbtools.services.register import check_service
from pbtools.services.tariffs import parse_rate

# the form's fields, by the label the screen shows (the problems name them)
FIELDS = {
    "id": N_("Code"), "name": N_("Service name"), "villages": N_("Villages"), "households": N_("Households served"),
    "people": N_("People served"), "provider": N_("Delivered by"), "rate": N_("Collection rate"),
    "lines": N_("Budget lines"), "costs": N_("Yearly cost"), "tariffs": N_("Tariffs in force"),
}
# how the tariffs typed are charged
BASES = {f"{payer}-{period}": (payer, period) for payer in (HOUSEHOLD, PERSON) for period in (YEAR, MONTH)}
BASIS_NAMES = {
    "household-year": N_("per household a year"), "household-month": N_("per household a month"),
    "person-year": N_("per person a year"), "person-month": N_("per person a month"),
}


in_field = field_namer(FIELDS)


@dataclass
class ServiceForm:
    """The form as typed: every value text, as the screen or the command has it."""

    id: str = ""
    names: Mapping[str, str] = field(default_factory=dict)  # language -> name (one is enough)
    villages: str = ""
    households: str = ""
    people: str = ""
    provider: str = ""
    rate: str = ""
    lines: str = ""
    costs: str = ""
    tariffs: str = ""
    basis: str = "household-year"  # one of BASES
    lang: str = "en"  # the language the cost and tariff items are typed in


def _count(form: ServiceForm, name: str, problems: list[Msg]) -> int:
    text = getattr(form, name).strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return 0
    value = whole_number(text)
    if value is None:
        problems.append(in_field(name, Msg(N_("{value} is not a whole number"), value=getattr(form, name).strip())))
        return 0
    return value


def _items(form: ServiceForm, name: str, problems: list[Msg]) -> list[tuple[str, Decimal]]:
    """The lines "what for: amount" of the costs or tariffs box; each bad line named by its number."""
    items = []
    for number, line in enumerate(getattr(form, name).splitlines(), start=1):
        if not line.strip():
            continue
        what, sep, amount_text = line.rpartition(":")
        if not sep:  # "electricity 105 000": the amount is what follows the last letter
            found = re.match(r"^(.*?[^\d\s.,])\s+([\d\s.,]+(?:\s*(?:сом|som))?)\s*$", line.strip(), flags=re.I)
            what, amount_text = (found.group(1), found.group(2)) if found else ("", line)
        try:
            amount = parse_som(amount_text)
        except TooLarge:
            problems.append(in_field(name, Msg(N_("line {n}: {problem}"), n=number, problem=too_large(amount_text))))
            continue
        except NotANumber:
            amount = None
        if not what.strip() or amount is None or amount < 0:
            problems.append(in_field(name, Msg(N_("line {n}: «{text}» is not «what for: amount in som»"), n=number, text=line.strip()[:80])))
            continue
        items.append((what.strip(), amount))
    return items


def service_from_form(form: ServiceForm, taken: set[str] = frozenset()) -> Service:
    """The service the form describes; ``ServiceError`` with every problem (by field) otherwise. ``taken``: the ids
    already in the register (a form registers a new service: it never replaces one by mistake)."""
    problems: list[Msg] = []
    sid = form.id.strip()
    if not sid or len(sid) > 40 or not all(ch.isalnum() or ch in "-_." for ch in sid):
        problems.append(in_field("id", Msg(N_("{value} is not a service id: use letters, digits, - or _ (e.g. water, S1)"), value=sid)))
    elif sid in taken:
        problems.append(in_field("id", Msg(N_("{value} is already in the register"), value=sid)))
    names = {lang: n.strip() for lang, n in form.names.items() if n and n.strip()}
    if not names:
        problems.append(in_field("name", Msg(N_("not given"))))
    villages = split_list(form.villages)
    if not villages:
        problems.append(in_field("villages", Msg(N_("say which villages it serves"))))
    before = len(problems)
    households, people = _count(form, "households", problems), _count(form, "people", problems)
    if not (households or people) and len(problems) == before:
        problems.append(in_field("households", Msg(N_("give the number of households or people it serves"))))
    if form.provider not in PROVIDERS:
        problems.append(in_field("provider", Msg(N_("choose who delivers it"))))
    rate = Decimal(1)
    if not form.rate.strip():
        problems.append(in_field("rate", Msg(N_("not given"))))
    else:
        try:
            rate = parse_rate(form.rate)
        except ServiceError as e:
            problems.extend(in_field("rate", p) for p in e.problems)
    costs = _items(form, "costs", problems)
    tariffs = _items(form, "tariffs", problems)
    payer, period = BASES.get(form.basis, (HOUSEHOLD, YEAR))
    if problems:
        raise ServiceError(problems)
    service = Service(sid, names, villages, households, people, form.provider,
                      tuple(CostItem({form.lang: what}, amount) for what, amount in costs),
                      tuple(Tariff({form.lang: what}, amount, payer, period) for what, amount in tariffs),
                      rate, split_list(form.lines))
    problems = check_service(service)  # the register's own rule, as for a file
    if problems:
        raise ServiceError(problems)
    return service
