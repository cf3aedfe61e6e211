"""What the Monitoring app's forms and filters need from the core: typed text turned into the service's values (each
problem naming its field, in any language), the photo check of an upload, the filters of the project list, and
which projects and acts are late. The screen (``widgets/monitoring/``) only wires these to its widgets."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Iterable, Sequence

from pbtools.budget.numbers import whole_number
from pbtools.i18n import N_, Msg
from pbtools.dates import Day, not_a_date, parse_date
from pbtools.monitoring.checks import FIELD_NAMES, in_field, parse_money
from pbtools.monitoring.errors import FileRefused, InvalidValue
from pbtools.monitoring.model import Act, Project, is_overdue
from pbtools.hearings.model import stored_village
from pbtools.monitoring.period_report import is_late  # the report's rule: one rule for screen and paper

ANY = ""  # a filter that keeps every project


@dataclass(frozen=True)
class Progress:
    """The progress form's values, as the service takes them (``MonitoringService.set_status``)."""

    status: str
    percent: int | None  # None: not given (kept as it is)
    actual_cost: Decimal | None  # None: not given
    on: str = ""  # the day the status was seen (ISO; "": today)
    actual_start: str | None = None  # ISO, "" for none; None: not given
    actual_finish: str | None = None


def read_progress(status: str, percent: str, actual_cost: str, reason: str, current: Project, on: str = "",
                  actual_start: str | None = None, actual_finish: str | None = None) -> Progress:
    """The progress form as typed. A change of status needs a reason (the group must be able to say why a project
    stalled); the percent is a whole number 0-100, the cost an amount in som ("1 200 000", "1 200 000,50"), the
    days dates as people write them ("2026-05-14", "14.05.2026"). The service checks the rest (``progress.py``)."""
    problems: list[Msg] = []
    days: dict[str, str | None] = {}
    for name, typed in (("status_date", on), ("actual_start", actual_start), ("actual_finish", actual_finish)):
        days[name] = None if typed is None else parse_date(typed)
        if typed is not None and days[name] is None:
            problems.append(not_a_date(typed, FIELD_NAMES[name]))
    pct: int | None = None
    text = percent.strip().rstrip("%").strip()
    if text:
        number = whole_number(text)
        if number is not None and number <= 100:
            pct = number
        else:
            problems.append(in_field("percent", Msg(N_("{value} is not a whole number from 0 to 100"), value=percent.strip())))
    cost: Decimal | None = None
    if actual_cost.strip():
        cost = parse_money(actual_cost)
        if cost is None or cost < 0:
            problems.append(in_field("actual", Msg(N_("{value} is not an amount in som"), value=actual_cost.strip())))
            cost = None
    if status != current.status and not reason.strip():
        problems.append(in_field("status_reason", Msg(N_("say why the status changes"))))
    if problems:
        raise InvalidValue(problems)
    return Progress(status, pct, cost, days["status_date"] or "", days["actual_start"], days["actual_finish"])


def read_period(start: str, end: str) -> tuple[date | None, date | None]:
    """The report's period as typed ("From", "To"; empty: open-ended), each bad day named by its field, both at
    once; a period that ends before it starts is refused too."""
    days, problems = [], []
    for name, typed in (("period_start", start), ("period_end", end)):
        day = parse_date(typed)
        if day is None:
            problems.append(not_a_date(typed, FIELD_NAMES[name]))
        days.append(date.fromisoformat(day) if day else None)
    if not problems and days[0] and days[1] and days[0] > days[1]:
        problems.append(in_field("period_end", Msg(N_("the period ends ({end}) before it starts ({start})"),
                                                   end=Day(days[1]), start=Day(days[0]))))
    if problems:
        raise InvalidValue(problems)
    return days[0], days[1]


def check_photo(name: str, content: bytes) -> None:
    """An act's photo must be a picture (JPEG, PNG...): anything else is refused by name, before anything is stored."""
    from PIL import Image, UnidentifiedImageError

    if not content:
        raise FileRefused(Msg(N_("The file {file} is empty"), file=name))
    try:
        with Image.open(io.BytesIO(content)) as image:
            image.verify()
    except Image.DecompressionBombError:
        raise FileRefused(Msg(N_("The picture {file} is far too large to be a photo"), file=name)) from None
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise FileRefused(Msg(N_("The file {file} is not a photo (a JPEG or PNG picture is expected)"), file=name)) from None


def filtered(projects: Sequence[Project], village: str = ANY, status: str = ANY, sector: str = ANY,
             municipality: Any = None) -> list[Project]:
    """The projects of the filters' choices (``village`` as ``places.village_choices`` gives it)."""
    return [p for p in projects if (village == ANY or stored_village(p.village, municipality) == village)
            and (status == ANY or p.status == status) and (sector == ANY or p.sector == sector)]


def late_acts(acts: Iterable[Act], today: date) -> list[Act]:
    return [a for a in acts if is_overdue(a, today)]


__all__ = ["ANY", "Progress", "read_progress", "read_period", "check_photo", "is_late", "filtered", "late_acts"]
