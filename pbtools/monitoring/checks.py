"""The rules a project's fields follow, checked before any write: each problem names the field, in any language.
The same checks serve a form, the command line and the action plan import (which adds file, row and column)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from typing import Any, Mapping

from pbtools.budget.numbers import NotANumber, TooLarge, parse_som
from pbtools.budget.problems import Number
from pbtools.budget.text import fold
from pbtools.dates import Day, as_typed, not_a_date, parse_date
from pbtools.hearings.model import LABELS as HEARING_LABELS, SECTORS
from pbtools.i18n import LANGS, N_, Msg, field_namer, gettext
from pbtools.monitoring.model import LABELS, STATUSES, Funding

# a project id that is a usable key and file name (the service and the action plan import both check it)
PROJECT_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,79}$")

FIELD_NAMES: Mapping[str, str] = {
    "id": N_("Project id"),
    "titles": N_("Title"),
    "village": N_("Village"),
    "sector": N_("Sector"),
    "responsible": N_("Responsible person"),
    "contractor": N_("Contractor"),
    "planned": N_("Planned cost"),
    "actual": N_("Actual cost"),
    "planned_start": N_("Planned start"),
    "planned_finish": N_("Planned finish"),
    "actual_start": N_("Actual start"),
    "actual_finish": N_("Actual finish"),
    "status": N_("Status"),
    "status_date": N_("Date of the status"),
    "status_reason": N_("Reason of the status"),
    "percent": N_("Percent complete"),
    "plan_ref": N_("Action plan item"),
    "budget_code": N_("Budget code"),
    "notes": N_("Remarks"),
    "date": N_("Date"),
    "visit_date": N_("Date of the visit"),
    "response_date": N_("Date of the response"),
    "response": N_("Response"),
    "period_start": N_("From"),
    "period_end": N_("To"),
    "response_due": N_("Response deadline"),
    "members": N_("Members present"),
    "findings": N_("Findings"),
}


in_field = field_namer(FIELD_NAMES)


def typed_days(values: Mapping[str, Any]) -> dict[str, Any]:
    """``values`` with each date field as ``as_typed`` reads it."""
    return {k: as_typed(v) if k in DATE_FIELDS else v for k, v in values.items()}


def parse_money(value: Any) -> Decimal | None:
    """Som as typed ("1 200 000", "1 200 000,50 сом", a workbook's number); 0 for empty or a dash; None when it is
    not an amount. Negative amounts are refused by the checks."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, Decimal)):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if value == value and abs(value) != float("inf") else None
    text = str(value or "").strip()
    if not text:
        return Decimal(0)
    try:
        amount = parse_som(text)
    except TooLarge as e:
        return e.value  # an amount: ``check_funding`` refuses it, saying the most a project may cost
    except NotANumber:
        return None
    return Decimal(0) if amount is None else amount


def code_of(value: str, codes: tuple[str, ...], labels: Mapping[str, str]) -> str | None:
    """A code from itself or its label in any language (case and ө ү ң spelling aside)."""
    wanted = fold(value).replace(" ", "_")
    for code in codes:
        if wanted == code or any(fold(gettext(lang, labels[code])).replace(" ", "_") == wanted for lang in LANGS if code in labels):
            return code
    return None


def sector_of(value: str) -> str | None:
    return code_of(value or "other", SECTORS, HEARING_LABELS)


# How plans and people write a status besides its label (folded: ө ү ң as о у н, ё as е)
STATUS_WORDS = {
    "planned": ("пландалган", "пландалды", "запланирован", "запланировано", "план", "plan"),
    "in_progress": ("иштелуудо", "аткарылууда", "курулууда", "в процессе", "выполняется", "в работе", "идет",
                    "реализуется", "ongoing", "in progress", "started"),
    "completed": ("аяктады", "аякталды", "бутту", "аткарылды", "завершен", "завершено", "выполнен",
                  "выполнено", "done", "finished", "complete"),
    "stalled": ("токтоп турат", "токтотулган", "токтоду", "приостановлен", "приостановлено", "заморожен",
                "stopped", "on hold", "suspended"),
    "cancelled": ("жокко чыгарылды", "жокко чыгарылган", "отменен", "отменено", "canceled", "dropped"),
}


def status_of(value: str) -> str | None:
    found = code_of(value, STATUSES, LABELS)
    if found is None:
        wanted = fold(value)
        found = next((code for code, ways in STATUS_WORDS.items() if wanted in ways), None)
    return found


# No project a municipality monitors costs more (10 billion som: several times a rural municipality's budget for
# many years, a few per cent of the republic's): a figure past it is a typo or a wrong unit, refused by name
MOST_COST = Decimal(10_000_000_000)


def check_funding(name: str, f: Funding) -> list[Msg]:
    problems = []
    for part in ("total",) + Funding.PARTS:
        if getattr(f, part) < 0:
            problems.append(in_field(name, Msg(N_("an amount cannot be negative ({value})"), value=str(getattr(f, part)))))
        elif getattr(f, part) > MOST_COST:
            problems.append(in_field(name, Msg(N_("{value} som is more than any project of a municipality costs (pbtools takes at most {most} som): check the figure and its unit"),
                                               value=Number(getattr(f, part)), most=Number(MOST_COST))))
    if f.is_split and f.split != f.total:
        problems.append(in_field(name, Msg(N_("the funding parts add up to {split} som, not to the cost {total} som"),
                                           split=Number(f.split), total=Number(f.total))))
    return problems


DATE_FIELDS = ("planned_start", "planned_finish", "actual_start", "actual_finish", "status_date")
# days of what happened (a start, a finish, a status seen): never in the future
HAPPENED = ("actual_start", "actual_finish", "status_date")


def latest_day() -> str:
    """The latest day (ISO) a record of something that happened may carry: today where it is latest on earth (a
    day after UTC's), so that a visit written down in Bishkek after midnight is not refused; a year or a month typed
    wrong is."""
    return (datetime.now(timezone.utc).date() + timedelta(days=1)).isoformat()


def not_future(name: str, day: str) -> list[Msg]:
    """``day`` (ISO) of something that happened: refused when it is still to come."""
    if day and day > latest_day():
        return [in_field(name, Msg(N_("{value} is in the future: write the day it happened"), value=Day(day)))]
    return []


def check_fields(values: Mapping[str, Any]) -> list[Msg]:
    """Problems of a project's (new) field values, already parsed: titles dict, Funding, ISO dates, int percent."""
    problems: list[Msg] = []
    if "titles" in values and not isinstance(values["titles"], Mapping):
        raise TypeError(f"titles must map a language to a title, not {values['titles']!r}")
    if "titles" in values and not any(str(t).strip() for t in (values["titles"] or {}).values()):
        problems.append(in_field("titles", Msg(N_("no title in any language"))))
    if "titles" in values and set(values["titles"] or {}) - set(LANGS):
        problems.append(in_field("titles", Msg(N_("a title's language must be ky, ru or en"))))
    if "status" in values and values["status"] not in STATUSES:
        problems.append(in_field("status", Msg(N_("unknown status {value}"), value=values["status"])))
    if "sector" in values and values["sector"] not in SECTORS:
        problems.append(in_field("sector", Msg(N_("unknown sector {value}"), value=values["sector"])))
    if "percent" in values:
        p = values["percent"]
        if isinstance(p, bool) or not isinstance(p, int) or not 0 <= p <= 100:
            problems.append(in_field("percent", Msg(N_("{value} is not a whole number from 0 to 100"), value=str(p))))
    for name in ("planned", "actual"):
        if name in values and not isinstance(values[name], Funding):
            raise TypeError(f"{name} must be a Funding, not {values[name]!r}")  # a caller's mistake, not a user's
        if name in values:
            problems += check_funding(name, values[name])
    for name in DATE_FIELDS:
        if name in values and values[name] and parse_date(values[name]) != values[name]:
            problems.append(not_a_date(values[name], FIELD_NAMES[name]))
        elif name in values and name in HAPPENED:
            problems += not_future(name, values[name])
    for name in set(values) & {"village", "responsible", "contractor", "plan_ref", "budget_code", "notes", "status_reason"}:
        if not isinstance(values[name], str):
            problems.append(in_field(name, Msg(N_("{value} is not text"), value=str(values[name]))))
    code = values.get("budget_code")
    if isinstance(code, str) and any(c.isspace() for c in code):
        problems.append(in_field("budget_code", Msg(N_("«{value}» is not a budget code (no spaces, e.g. 7061)"), value=code)))
    return problems


def check_order(planned_start: str, planned_finish: str, actual_start: str, actual_finish: str) -> list[Msg]:
    problems = []
    if planned_start and planned_finish and planned_finish < planned_start:
        problems.append(in_field("planned_finish", Msg(N_("the finish {finish} is before the start {start}"), finish=Day(planned_finish), start=Day(planned_start))))
    if actual_start and actual_finish and actual_finish < actual_start:
        problems.append(in_field("actual_finish", Msg(N_("the finish {finish} is before the start {start}"), finish=Day(actual_finish), start=Day(actual_start))))
    return problems
