"""Writing a project's records: its creation and its changes, each checked whole (``InvalidValue`` names every bad
field) before its one record is written, and written only over the record it was checked against (the ledger's
``head_is`` check). ``ProjectWriter`` is this half of ``MonitoringService`` (``service.py``); an import (``plan_io``)
and a handover (``handover``) make their records with it too."""

from __future__ import annotations

import secrets
from datetime import datetime, timezone
from typing import Any, Callable, Iterable, Mapping, Union

from pbtools.i18n import N_, Msg
from pbtools.monitoring import fold as F, records as R
from pbtools.monitoring.checks import PROJECT_ID, check_fields, check_order, in_field, typed_days
from pbtools.monitoring.errors import InvalidValue, NoSuchProject, ProjectExists, ProjectReplaced
from pbtools.monitoring.meanwhile import rebased
from pbtools.monitoring.model import EDITABLE, Project
from pbtools.monitoring.places import stored_values
from pbtools.monitoring.reading import MonitoringReader
from pbtools.roles import Actor
from pbtools.storage.errors import KeyTaken, LedgerError, StreamMoved, StreamRewound
from pbtools.storage.record import Entry, Record
from pbtools.storage.write_check import Check, decided_on, head_is

DATES = ("planned_start", "planned_finish", "actual_start", "actual_finish")
# what a change asks: the fields and their values, or what makes them from the project (as it is, as the form showed it)
Changes = Union[Mapping[str, Any], Callable[[Project, Project], Mapping[str, Any]]]
Rules = Callable[[Project, dict], list]
UNREAD = object()  # the municipality not read yet: read when a village is to be stored


def today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


class ProjectWriter(MonitoringReader):
    def _create(self, actor: Actor, titles: dict[str, str], project_id: str, origin: str, link: Any, reason: str,
                values: dict[str, Any]) -> Project:
        project_id, entry = self._created_entry(actor, titles, project_id, origin, link, reason, values)
        written = self._append(project_id, [entry])
        # the stream's first record (its key is taken once): the project is what was just written
        return F.fold_project(project_id, written) if written[0].seq == 1 else self.project(project_id)  # type: ignore[return-value]

    def _created_entry(self, actor: Actor, titles: dict[str, str], project_id: str, origin: str, link: Any,
                       reason: str, values: dict[str, Any], municipality: Any = UNREAD) -> tuple[str, Entry]:
        """(the project's id, its creation record), checked (``InvalidValue``) but not written; ``municipality``:
        as ``_stored``."""
        values = {**typed_days(self._stored(values, municipality)), "titles": {k: v.strip() for k, v in titles.items() if v and v.strip()}}
        project_id = project_id or self._new_id()
        problems = self._problems(project_id, values, new=True)
        if not problems:
            problems = check_order(*(values.get(n, "") for n in DATES))
        if problems:
            raise InvalidValue(problems)
        base = Project(id=project_id, titles={})
        payload = {name: R.plain(values.get(name, getattr(base, name))) for name in EDITABLE}
        payload["status_date"] = payload["status_date"] or today()
        payload.update(origin=origin, link=R.plain(link))
        return project_id, Entry(R.PROJECT_CREATED, payload, actor.name, R.CREATED_KEY, reason=reason)

    def _stored(self, values: Mapping[str, Any], municipality: Any = UNREAD) -> dict[str, Any]:
        """``values`` with the village as a project stores it (``places.stored_values``); the municipality is read
        only when a village is given, unless the caller read it (an import of many rows reads it once)."""
        if not values.get("village"):
            return dict(values)
        return stored_values(values, self.ws.municipality() if municipality is UNREAD else municipality)

    def _append(self, project_id: str, entries: list[Entry], based_on: Project | None = None,
                check: Check | None = None) -> list[Record]:
        """Write a project's records in one transaction: all of them, or (a refusal) none; with ``based_on`` (the
        project as read), only if its last record is still that very one (``StreamMoved`` otherwise; another
        history in its place, a backup put back: ``ProjectReplaced``). ``check``: the ledger's, instead. Returns
        the records written."""
        if based_on is not None:
            check = decided_on(based_on.seq, based_on.hash, also=head_is(based_on.seq, based_on.hash))
        results = self.ws.ledger.append_many(R.project_stream(project_id), entries, all_or_nothing=True, check=check)
        refused = next((r for r in results if isinstance(r, LedgerError)), None)
        if isinstance(refused, KeyTaken) and entries[0].key == R.CREATED_KEY:
            raise ProjectExists(project_id) from None
        if isinstance(refused, StreamRewound):
            raise ProjectReplaced(project_id) from None
        if refused is not None:
            raise refused
        return results  # type: ignore[return-value]

    def _new_id(self, also_taken: Iterable[str] = ()) -> str:
        taken = set(self.project_ids()) | set(also_taken)
        while True:
            candidate = "p-" + secrets.token_hex(3)
            if candidate not in taken:
                return candidate

    def _problems(self, project_id: str, values: dict[str, Any], new: bool) -> list[Msg]:
        problems = []
        if new and not PROJECT_ID.match(project_id or ""):
            problems.append(in_field("id", Msg(N_("{value} is not a usable id (letters, digits, . _ -)"), value=project_id)))
        unknown = set(values) - set(EDITABLE)
        if unknown:
            raise TypeError(f"not a project field: {', '.join(sorted(unknown))}")
        return problems + check_fields(values)

    def _update(self, actor: Actor, project_id: str, reason: str, based_on: int | None, changes: Changes,
                rules: Rules | None = None, based_hash: str | None = None) -> Project:
        """``update``; ``changes``: the fields to change, or a function making them from the project as it is and as
        the form showed it (``based_on``, and the hash of that record: ``based_hash``); ``rules``: more checks of
        what is to change on the project as it is (``InvalidValue``). The project's records are read once per
        attempt: the project as it is, as the form showed it, what changed since, and the project after the write
        are all folded from them. A form whose record is no longer on disk (a backup put back since it was
        opened): ``ProjectReplaced``, nothing written."""
        for _attempt in range(5):
            current, records = self._project_records(project_id)
            if based_on is not None and based_hash is not None and not any(
                    r.seq == based_on and r.hash == based_hash for r in records):
                raise ProjectReplaced(project_id)
            if based_on is None or based_on == current.seq:
                shown, earlier = current, None
            else:
                shown, earlier = F.fold_project(project_id, [r for r in records if r.seq <= based_on]), based_on
                if shown is None:
                    raise NoSuchProject(project_id)
            asked = typed_days(self._stored(changes(current, shown) if callable(changes) else changes))
            wanted = asked if earlier is None else rebased(project_id, records, earlier, asked, self.ws.time_zone())
            entry = self._changed_entry(actor, current, reason, wanted)  # each field's own checks first
            if entry is None:
                return current
            problems = rules(current, wanted) if rules is not None else []
            if problems:
                raise InvalidValue(problems)
            try:
                written = self._append(project_id, [entry], based_on=current)
            except StreamMoved:  # a record added since the project was read: read it again, check again
                continue
            return F.fold_project(project_id, records + written) or current
        raise InvalidValue([Msg(N_("The project {id} is being changed by others right now; try again"), id=project_id)])

    def _changed_entry(self, actor: Actor, current: Project, reason: str, changes: dict[str, Any],
                       municipality: Any = UNREAD) -> Entry | None:
        """The record changing ``current`` (None: nothing changes), checked (``InvalidValue``) but not written;
        ``municipality``: as ``_stored``."""
        changes = self._stored(changes, municipality)
        problems = self._problems(current.id, changes, new=False)
        merged = {n: changes.get(n, getattr(current, n)) for n in DATES}
        problems += check_order(*merged.values()) if not problems else []
        if problems:
            raise InvalidValue(problems)
        changes = dict(changes)
        if "status" in changes and changes["status"] != current.status:
            changes.setdefault("status_date", today())
            changes.setdefault("status_reason", reason)
        before = {k: R.plain(getattr(current, k)) for k in changes}
        after = {k: R.plain(v) for k, v in changes.items()}
        # compared as values: 10000.50 som typed again as 10000.5 is no change
        changed = [k for k in changes if getattr(current, k) != (dict(changes[k]) if k == "titles" else changes[k])]
        if not changed:
            return None
        return Entry(R.PROJECT_CHANGED, {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}},
                     actor.name, reason=reason)
