"""A project's progress as the group records it (``MonitoringService.set_status``): the status with the day it was
seen and why, the percent complete, the actual cost and the actual start and finish.

The rules a monitoring group expects of it:
- the day of a status is a day that happened, and not before the day of the status change it follows (statuses in
  order; the status a project was created with is dated the day it was recorded, so it does not count);
- a project that starts (in progress, or completed) without an actual start gets the day of that status as its
  start, and one completed without an actual finish gets it as its finish (both can be typed instead);
- a completed project is 100 % complete: "completed" with less is refused, naming the percent (set 100 %, or keep
  the status "in progress" while the work is not finished);
- an actual cost more than ``FAR`` times the planned cost is questioned (``CostQuestioned``): stored only once
  confirmed, since a typed zero too many is likelier than such an overrun.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Mapping

from pbtools.budget.problems import Number
from pbtools.dates import Day
from pbtools.fmt import Percent
from pbtools.i18n import N_, Msg
from pbtools.monitoring.checks import in_field
from pbtools.monitoring.model import COMPLETED, IN_PROGRESS, Project


def status_changes(reference: Project, status: str, on: str, reason: str, actual_start: str | None,
                   actual_finish: str | None) -> dict[str, Any]:
    """The fields a status ``status`` seen on ``on`` sets, from the project as the form showed it (``reference``)."""
    changes: dict[str, Any] = {"status": status}
    if actual_start is not None:
        changes["actual_start"] = actual_start
    if actual_finish is not None:
        changes["actual_finish"] = actual_finish
    if status == reference.status:
        return changes
    changes.update(status_date=on, status_reason=reason)
    if status in (IN_PROGRESS, COMPLETED) and not changes.get("actual_start", reference.actual_start):
        changes["actual_start"] = on
    if status == COMPLETED and not changes.get("actual_finish", reference.actual_finish):
        changes["actual_finish"] = on
    return changes


def progress_problems(current: Project, wanted: Mapping[str, Any]) -> list[Msg]:
    """What is wrong with recording ``wanted`` (the fields that change) on ``current``."""
    problems: list[Msg] = []
    day = wanted.get("status_date")
    # the status a project was created with is dated the day it was recorded, often after the history typed later
    changed_before = len(current.statuses) > 1
    if "status" in wanted and day and changed_before and current.status_date and day < current.status_date:
        problems.append(in_field("status_date", Msg(N_("{date} is before {since}, the day of the current status: a status follows the one before it"),
                                                    date=Day(day), since=Day(current.status_date))))
    status, percent = wanted.get("status", current.status), wanted.get("percent", current.percent)
    # said when either changes (a project stored so earlier, e.g. by an import, can still get its budget code)
    changing = any(name in wanted and wanted[name] != getattr(current, name) for name in ("status", "percent"))
    if status == COMPLETED and isinstance(percent, int) and percent < 100 and changing:
        problems.append(in_field("percent", Msg(N_("a completed project is {whole} complete, not {value}: write 100, or keep the status «In progress» until the work is finished"),
                                                whole=Percent(1), value=Percent(Decimal(percent) / 100))))
    return problems


FAR = 3  # an actual cost this many times the plan is questioned


def cost_questioned(current: Project, wanted: Mapping[str, Any]) -> Msg | None:
    """The question to confirm an actual cost far beyond the plan, when ``wanted`` sets one; None otherwise."""
    actual, planned = wanted.get("actual"), current.planned.total
    if actual is None or actual.total == current.actual.total or not planned or actual.total <= FAR * planned:
        return None
    times = (actual.total / planned).quantize(Decimal(1) if actual.total >= 10 * planned else Decimal("0.1"))
    return in_field("actual", Msg(N_("{actual} som is {times} times the planned cost of {planned} som: check the figure; if it is right, confirm it"),
                                  actual=Number(actual.total), times=Number(times), planned=Number(planned)))
