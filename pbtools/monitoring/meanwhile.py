"""Two members with one project open: a save carries the record its form was loaded from (``based_on``), and only
what that member changed is written. When someone else changed the same fields since, the save is refused
(``ChangedMeanwhile``, naming who, when and what) rather than undoing their change without a word; changes to other
fields are kept as they are. The service checks this and writes in one step (the ledger's check ``head_is``, run under the project's write lock)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any, Iterable, Mapping

from pbtools.dates import Day
from pbtools.fmt import Money, Percent
from pbtools.i18n import N_, Joined, Msg
from pbtools.moments import Moment
from pbtools.monitoring import fold as F, records as R
from pbtools.monitoring.checks import FIELD_NAMES
from pbtools.monitoring.errors import MonitoringError
from pbtools.monitoring.model import LABELS, HistoryEntry, Project
from pbtools.monitoring.plan_columns import DATES

# a status comes with its date and reason: a change of any of them is a change of the status
STATUS_PARTS = ("status", "status_date", "status_reason")


def _part(name: str) -> str:
    return "status" if name in STATUS_PARTS else name


def _value(name: str, value: Any) -> Msg | str:
    """A field's value as the record keeps it (plain JSON), in words of any language."""
    if value in (None, "", {}):
        return "—"
    if name == "status" and value in LABELS:
        return Msg(LABELS[value])
    if name in ("planned", "actual") and isinstance(value, Mapping):
        return Money(Decimal(str(value.get("total", "0"))))
    if name == "percent":
        return Percent(Decimal(value) / 100)
    if name in DATES:  # as the screen writes days («Абалынын күнү: 01.11.2026 → 07.12.2026»): it was ISO
        return Day(value)
    if name == "titles" and isinstance(value, Mapping):
        return " / ".join(str(v) for v in value.values())
    return str(value)


def _what(entry: HistoryEntry, fields: set[str]) -> Msg:
    parts = tuple(Msg(N_("{field}: {before} → {after}"), field=Msg(FIELD_NAMES.get(k, k)),
                      before=_value(k, entry.before.get(k)), after=_value(k, entry.after.get(k)))
                  for k in entry.after if _part(k) in fields and k != "status_reason")
    return Joined(parts)


class ChangedMeanwhile(MonitoringError):
    """Someone else changed these fields of the project after the form was loaded: nothing was written.
    ``changes``: their records (who, when, before, after)."""

    def __init__(self, project_id: str, changes: list[HistoryEntry], fields: set[str], zone: Any = None) -> None:
        self.project_id, self.changes = project_id, changes
        # when, in the workspace's zone (``zone``; None: the machine's), saying it: in UTC it read six hours off
        said = [Msg(N_("{who} changed this project at {when}, after your form was opened: {what}"),
                    who=e.actor or "—", when=Moment(e.at, zone), what=_what(e, fields)) for e in changes]
        super().__init__(said + [Msg(N_("Nothing of yours was saved, so that their change is not undone. The form now "
                                        "shows the current values: check them and save again."))])


def same(name: str, a: Any, b: Any) -> bool:
    """Values compared as values: 10000.50 som typed again as 10000.5 is the same amount."""
    return (dict(a) if name == "titles" and isinstance(a, Mapping) else a) == (dict(b) if name == "titles" and isinstance(b, Mapping) else b)


def rebased(project_id: str, records: Iterable, based_on: int, changes: Mapping[str, Any], zone: Any = None) -> dict[str, Any]:
    """Of ``changes`` (a form's values, loaded at record ``based_on``), those the user changed; ``ChangedMeanwhile``
    (its times in ``zone``) when a later record changed any of them. A status left as it was shown drops its date and
    reason too."""
    records = list(records)
    base: Project | None = F.fold_project(project_id, [r for r in records if r.seq <= based_on])
    if base is None:
        raise ValueError(f"{project_id} did not exist at record {based_on}")
    mine = {k: v for k, v in changes.items() if not same(k, getattr(base, k), v)}
    if "status" in changes and "status" not in mine:
        for k in ("status_date", "status_reason"):
            mine.pop(k, None)
    touched = {_part(k) for k in mine}
    later = [e for e in F.history(r for r in records if r.seq > based_on) if e.kind == R.PROJECT_CHANGED]
    clashing = [e for e in later if touched & {_part(k) for k in e.after}]
    if clashing:
        raise ChangedMeanwhile(project_id, clashing, touched, zone)
    return mine
