"""``MonitoringService``: the one object the Monitoring app, the ``pbtools projects`` command and the server call.

Plain dataclasses out (``pbtools.monitoring.model``), typed errors (``errors.MonitoringError`` and its subclasses;
``pbtools.roles.NotAllowed`` for a role's refusal). Every write names its ``Actor`` and needs the MONITORING write
(a monitoring group member, the facilitator or an administrator); a refused write writes nothing. Every read checks
the hash chain of the streams it reads first: a record changed behind pbtools' back stops it (``ChainBrokenError``).
"""

from __future__ import annotations

import secrets
from dataclasses import replace
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any, Callable, Iterable, Sequence

from pbtools.dates import as_typed, is_iso_day, not_a_date
from pbtools.i18n import N_, Msg
from pbtools.monitoring import fold as F, records as R
from pbtools.monitoring.acts import file_act, record_response
from pbtools.monitoring.checks import FIELD_NAMES, PROJECT_ID, check_fields, check_order, in_field, typed_days
from pbtools.monitoring.errors import (
    ChainBrokenError, CostQuestioned, FileRefused, InvalidValue, ProjectExists, MonitoringError, NoSuchAct, NoSuchMember, NoSuchProject,
)
from pbtools.monitoring.files import FOLDER, check_files, store_file
from pbtools.monitoring.model import (
    BY_HAND, EDITABLE, FROM_PLAN, Act, Attachment, Funding, Handover, HistoryEntry, Member, Milestone, Project,
    is_overdue,
)
from pbtools.monitoring.plan_io import import_plan, write_history, write_projects
from pbtools.monitoring.progress import cost_questioned, progress_problems, status_changes
from pbtools.roles import MONITORING, Actor
from pbtools.monitoring.meanwhile import rebased
from pbtools.storage.errors import KeyTaken, LedgerError, StreamMoved
from pbtools.storage.ledger import Entry, head_is


def _today() -> str:
    return datetime.now(timezone.utc).date().isoformat()


class MonitoringService:
    """Monitoring of one workspace (``pbtools.storage.open_workspace``)."""

    def __init__(self, ws: Any) -> None:
        self.ws = ws

    # ------------------------------------------------------------------ reading
    def verify(self) -> list:
        """Every monitoring stream's chain recomputed: the ledger's ``Problem``s (empty: all intact)."""
        problems = []
        for stream in self._streams():
            problems += self.ws.ledger.verify(stream)
        return problems + check_files(self.ws, self._all_attachments())

    def _streams(self) -> list[str]:
        return [s for s in self.ws.ledger.streams() if R.is_monitoring(s)]

    def _read(self, stream: str) -> list:
        """The records of ``stream``, after its chain verified."""
        problems = self.ws.ledger.verify(stream)
        if problems:
            raise ChainBrokenError(Msg(N_("The monitoring records in {stream} do not verify at record {seq}: {problem}. "
                                          "Nothing is shown from them, because it cannot be trusted: restore the "
                                          "workspace from its latest backup, and report the change."),
                                       stream=stream, seq=problems[0].seq, problem=problems[0].message), problems)
        return self.ws.ledger.records(stream)

    def project_ids(self) -> list[str]:
        return [s[len(R.PROJECT_PREFIX):] for s in self._streams() if s.startswith(R.PROJECT_PREFIX)]

    def projects(self) -> list[Project]:
        """Every monitored project, in the order created."""
        found = [p for p in (F.fold_project(pid, self._read(R.project_stream(pid))) for pid in self.project_ids()) if p]
        return sorted(found, key=lambda p: (p.created_at, p.id))

    def project(self, project_id: str) -> Project:
        if project_id not in self.project_ids():
            raise NoSuchProject(project_id)
        project = F.fold_project(project_id, self._read(R.project_stream(project_id)))
        if project is None:
            raise NoSuchProject(project_id)
        return project

    def history(self, project_id: str) -> list[HistoryEntry]:
        """Every record of the project: who, when, what before and after (its hash too, for an audit)."""
        self.project(project_id)
        return F.history(self._read(R.project_stream(project_id)))

    def members(self, include_removed: bool = False) -> list[Member]:
        members = F.fold_members(self._read(R.GROUP)) if R.GROUP in self.ws.ledger.streams() else {}
        return [m for m in members.values() if include_removed or m.active]

    def acts(self, project_id: str | None = None) -> list[Act]:
        """Acts in the order filed (of one project when given), each with its correction and responses."""
        acts = F.fold_acts(self._read(R.ACTS)) if R.ACTS in self.ws.ledger.streams() else {}
        return [a for a in acts.values() if project_id is None or a.project_id == project_id]

    def act(self, act_id: str) -> Act:
        for a in self.acts():
            if a.id == act_id:
                return a
        raise NoSuchAct(act_id)

    def overdue(self, today: date) -> list[Act]:
        """Acts whose response deadline passed before ``today`` with no response recorded (and not corrected)."""
        return [a for a in self.acts() if is_overdue(a, today)]

    def file_path(self, attachment: Attachment, thumbnail: bool = False) -> Path:
        """Where a stored photo or document (or its thumbnail; a document has none: the document) is on disk. Always
        inside the workspace's ``monitoring-files`` folder: a record naming anything else is refused."""
        root = (Path(self.ws.path) / FOLDER).resolve()
        path = (Path(self.ws.path) / (attachment.thumbnail if thumbnail and attachment.thumbnail else attachment.stored)).resolve()
        if not path.is_relative_to(root):
            raise FileRefused(Msg(N_("The file {file} is recorded outside the workspace's folder of photos and documents"),
                                  file=attachment.name))
        return path

    # ------------------------------------------------------------------ projects
    def add_project(self, actor: Actor, titles: dict[str, str], *, project_id: str = "", reason: str = "",
                    **values: Any) -> Project:
        """A project added by hand (or by an import): ``values`` are ``model.EDITABLE`` fields (money as Decimal,
        ``planned``/``actual`` as ``Funding``, dates ISO). Raises ``InvalidValue`` naming each bad field."""
        actor.require(MONITORING)
        return self._create(actor, titles, project_id, BY_HAND, None, reason, values)

    def add_from_plan(self, actor: Actor, titles: dict[str, str], plan_ref: str, *, project_id: str = "",
                      reason: str = "", **values: Any) -> Project:
        """A project carrying out an item of a plan (the municipality's action plan, a service's improvement plan):
        its origin says it came from a plan, ``plan_ref`` which plan and item. As ``add_project`` otherwise."""
        actor.require(MONITORING)
        if not plan_ref.strip():
            raise InvalidValue([in_field("plan_ref", Msg(N_("a project from a plan needs the plan's item")))])
        return self._create(actor, titles, project_id, FROM_PLAN, None, reason, {**values, "plan_ref": plan_ref.strip()})

    def _create(self, actor: Actor, titles: dict[str, str], project_id: str, origin: str, link: Any, reason: str,
                values: dict[str, Any]) -> Project:
        project_id, entry = self._created_entry(actor, titles, project_id, origin, link, reason, values)
        self._append(project_id, [entry])
        return self.project(project_id)

    def _created_entry(self, actor: Actor, titles: dict[str, str], project_id: str, origin: str, link: Any,
                       reason: str, values: dict[str, Any]) -> tuple[str, Entry]:
        """(the project's id, its creation record), checked (``InvalidValue``) but not written."""
        values = {**typed_days(values), "titles": {k: v.strip() for k, v in titles.items() if v and v.strip()}}
        project_id = project_id or self._new_id()
        problems = self._problems(project_id, values, new=True)
        if not problems:
            problems = check_order(*(values.get(n, "") for n in ("planned_start", "planned_finish", "actual_start", "actual_finish")))
        if problems:
            raise InvalidValue(problems)
        base = Project(id=project_id, titles={})
        payload = {name: R.plain(values.get(name, getattr(base, name))) for name in EDITABLE}
        payload["status_date"] = payload["status_date"] or _today()
        payload.update(origin=origin, link=R.plain(link))
        return project_id, Entry(R.PROJECT_CREATED, payload, actor.name, R.CREATED_KEY, reason=reason)

    def _append(self, project_id: str, entries: list[Entry], expect_head: int | None = None) -> None:
        """Write a project's records in one transaction: all of them, or (a refusal) none; with ``expect_head``, only
        if the project's last record is still that one (``StreamMoved`` otherwise)."""
        results = self.ws.ledger.append_many(R.project_stream(project_id), entries, all_or_nothing=True,
                                             check=None if expect_head is None else head_is(expect_head))
        refused = next((r for r in results if isinstance(r, LedgerError)), None)
        if isinstance(refused, KeyTaken) and entries[0].key == R.CREATED_KEY:
            raise ProjectExists(project_id) from None
        if refused is not None:
            raise refused

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

    def update(self, actor: Actor, project_id: str, reason: str = "", *, based_on: int | None = None,
               **changes: Any) -> Project:
        """Change fields of a project (``model.EDITABLE``): one record with the fields before and after. A status
        change gets the day (``status_date``, default today) and the ``reason``. Nothing changed: nothing written.

        ``based_on``: the record (``Project.seq``) a form was loaded at. Only the fields that differ from the project
        as it was then are written; when someone changed any of them since, ``ChangedMeanwhile`` says who, when and
        what, and nothing is written (``meanwhile.py``). The check and the write are one step: if another record is
        added between them, the project is read and checked again."""
        actor.require(MONITORING)
        return self._update(actor, project_id, reason, based_on, changes)

    def _update(self, actor: Actor, project_id: str, reason: str, based_on: int | None, changes: dict[str, Any],
                rules: Callable[[Project, dict[str, Any]], list[Msg]] | None = None) -> Project:
        """``update``; ``rules``: more checks of what is to change on the project as it is (``InvalidValue``)."""
        changes = typed_days(changes)
        for _attempt in range(5):
            records = self._read(R.project_stream(project_id)) if project_id in self.project_ids() else []
            current = F.fold_project(project_id, records)
            if current is None:
                raise NoSuchProject(project_id)
            wanted = changes if based_on is None or based_on == current.seq else rebased(project_id, records, based_on, changes)
            entry = self._changed_entry(actor, current, reason, wanted)  # each field's own checks first
            if entry is None:
                return current
            problems = rules(current, wanted) if rules is not None else []
            if problems:
                raise InvalidValue(problems)
            try:
                self._append(project_id, [entry], expect_head=current.seq)
            except StreamMoved:  # a record added since the project was read: read it again, check again
                continue
            return self.project(project_id)
        raise InvalidValue([Msg(N_("The project {id} is being changed by others right now; try again"), id=project_id)])

    def _project_at(self, project_id: str, seq: int) -> Project:
        """The project as it was after its record ``seq`` (what a form loaded then showed)."""
        project = F.fold_project(project_id, [r for r in self._read(R.project_stream(project_id)) if r.seq <= seq])
        if project is None:
            raise NoSuchProject(project_id)
        return project

    def _changed_entry(self, actor: Actor, current: Project, reason: str, changes: dict[str, Any]) -> Entry | None:
        """The record changing ``current`` (None: nothing changes), checked (``InvalidValue``) but not written."""
        problems = self._problems(current.id, changes, new=False)
        merged = {n: changes.get(n, getattr(current, n)) for n in ("planned_start", "planned_finish", "actual_start", "actual_finish")}
        problems += check_order(*merged.values()) if not problems else []
        if problems:
            raise InvalidValue(problems)
        changes = dict(changes)
        if "status" in changes and changes["status"] != current.status:
            changes.setdefault("status_date", _today())
            changes.setdefault("status_reason", reason)
        before = {k: R.plain(getattr(current, k)) for k in changes}
        after = {k: R.plain(v) for k, v in changes.items()}
        # compared as values: 10000.50 som typed again as 10000.5 is no change
        changed = [k for k in changes if getattr(current, k) != (dict(changes[k]) if k == "titles" else changes[k])]
        if not changed:
            return None
        return Entry(R.PROJECT_CHANGED, {"before": {k: before[k] for k in changed}, "after": {k: after[k] for k in changed}},
                     actor.name, reason=reason)

    def set_status(self, actor: Actor, project_id: str, status: str, *, reason: str = "", on: str = "",
                   percent: int | None = None, actual_cost: Any = None, budget_code: str | None = None,
                   actual_start: str | None = None, actual_finish: str | None = None,
                   based_on: int | None = None, confirmed: bool = False) -> Project:
        """The status (with the day ``on`` it was seen, default today, and the reason), and optionally the percent
        complete, the actual cost (the total; its split kept when it still adds up, else cleared), the budget code
        and the actual start and finish, in one record, by the rules of ``progress.py`` (a day that happened, in
        order; completed is 100 %; a start or finish not known yet is the day of the status saying so).
        ``based_on``: the record the form was loaded at (see ``update``). An actual cost far beyond the plan raises
        ``CostQuestioned`` unless ``confirmed``."""
        actor.require(MONITORING)
        current = self.project(project_id)
        shown = current if based_on is None or based_on == current.seq else self._project_at(project_id, based_on)
        changes = status_changes(shown, status, as_typed(on) or _today(), reason, *(as_typed(d) for d in (actual_start, actual_finish)))
        if percent is not None:
            changes["percent"] = percent
        if actual_cost is not None:
            actual = current.actual if current.actual.split == actual_cost else Funding(total=actual_cost)
            changes["actual"] = replace(actual, total=actual_cost)
        if budget_code is not None:
            changes["budget_code"] = budget_code

        def rules(now: Project, wanted: dict[str, Any]) -> list[Msg]:
            problems = progress_problems(now, wanted)
            question = None if problems or confirmed else cost_questioned(now, wanted)
            if question is not None:
                raise CostQuestioned([question])
            return problems

        return self._update(actor, project_id, reason, based_on, changes, rules=rules)

    def add_milestone(self, actor: Actor, project_id: str, title: str, planned: str = "") -> Milestone:
        actor.require(MONITORING)
        project = self.project(project_id)
        problems = [] if title.strip() else [in_field("titles", Msg(N_("no title in any language")))]
        planned = as_typed(planned)
        if planned and not is_iso_day(planned):
            problems.append(not_a_date(planned, FIELD_NAMES["date"]))
        if problems:
            raise InvalidValue(problems)
        for n in range(len(project.milestones) + 1, len(project.milestones) + 20):
            milestone = Milestone(f"m{n}", title.strip(), planned)
            try:  # the id is the record's key: two screens adding one at the same moment get m3 and m4
                self.ws.ledger.append(R.project_stream(project_id), R.MILESTONE_ADDED, R.plain(milestone),
                                      actor=actor.name, key=milestone.id)
            except KeyTaken:
                continue
            return milestone
        raise InvalidValue([Msg(N_("The milestone could not be numbered; try again"))])

    def milestone_done(self, actor: Actor, project_id: str, milestone_id: str, done: str = "") -> Milestone:
        actor.require(MONITORING)
        project = self.project(project_id)
        found = {m.id: m for m in project.milestones}
        if milestone_id not in found:
            raise InvalidValue([Msg(N_("The project {id} has no milestone {milestone}"), id=project_id, milestone=milestone_id)])
        done = as_typed(done) or _today()
        if not is_iso_day(done):
            raise InvalidValue([not_a_date(done, FIELD_NAMES["date"])])
        self.ws.ledger.append(R.project_stream(project_id), R.MILESTONE_DONE, {"id": milestone_id, "done": done}, actor=actor.name)
        return Milestone(milestone_id, found[milestone_id].title, found[milestone_id].planned, done)

    def from_hearing(self, actor: Actor, hearing_id: str, planned_on: str = "") -> Handover:
        """The funded options of a closed hearing become projects, each keeping its link (hearing, question,
        option, votes). A second handover creates nothing again (``Handover.existing``). ``planned_on``: the date
        of their first status, "planned" (ISO; default today)."""
        actor.require(MONITORING)
        # here, not at the top: it loads the counting core and the hearings (numpy, gmpy2, Babel: +0.3 s on
        # importing the service), which only a handover needs
        from pbtools.monitoring.handover import hand_over

        return hand_over(self, actor, hearing_id, planned_on)

    def import_plan(self, actor: Actor, path: str | Path) -> list[Project]:
        """The municipality's action plan (БАП/ПДМС) from XLSX/CSV (headers in ky/ru/en, see ``plan_io``). A file
        with any problem raises ``PlanRefused`` naming file, row and column for each, and imports nothing. A row
        whose id exists already updates that project (only the fields that differ)."""
        actor.require(MONITORING)
        return import_plan(self, actor, path)

    def export_xlsx(self, path: str | Path, project_ids: Sequence[str] | None = None, lang: str = "en") -> Path:
        """The projects (.xlsx, or .csv by the name) in the columns ``import_plan`` reads back (every field
        round-trips), headers in ``lang``."""
        projects = [p for p in self.projects() if project_ids is None or p.id in project_ids]
        return write_projects(projects, path, lang)

    def export_history(self, project_id: str, path: str | Path) -> Path:
        """The project's history (every record with who, when, before, after and its hash) as CSV or XLSX."""
        return write_history(self.history(project_id), path)

    # ------------------------------------------------------------------ photos and documents
    def add_file(self, actor: Actor, project_id: str, path: str | Path, caption: str = "") -> Attachment:
        """Store a photo or document with the project (content-addressed: the same file again is stored once and
        recorded once; a large photo is reduced, a thumbnail made, its EXIF location kept)."""
        actor.require(MONITORING)
        self.project(project_id)
        attachment = store_file(self.ws, path, caption)
        existing = self.ws.ledger.keyed(R.project_stream(project_id), attachment.original_sha256)
        if existing is not None:
            return R.attachment(existing.payload)
        try:
            self.ws.ledger.append(R.project_stream(project_id), R.FILE_ADDED, R.plain(attachment), actor=actor.name,
                                  key=attachment.original_sha256)
        except KeyTaken:  # another screen added the same file a moment before
            return R.attachment(self.ws.ledger.keyed(R.project_stream(project_id), attachment.original_sha256).payload)
        return attachment

    def _all_attachments(self) -> list[tuple[str, int, Attachment]]:
        """(stream, seq, attachment) of every file recorded, for ``verify``."""
        found = []
        for stream in self._streams():
            for r in self.ws.ledger.records(stream):
                if r.kind == R.FILE_ADDED:
                    found.append((stream, r.seq, R.attachment(r.payload)))
                elif r.kind == R.ACT_FILED:
                    found += [(stream, r.seq, R.attachment(a)) for a in r.payload.get("photos", ())]
        return found

    # ------------------------------------------------------------------ the group and its acts
    def add_member(self, actor: Actor, name: str, position: str = "", on: str = "") -> Member:
        actor.require(MONITORING)
        if not name.strip():
            raise InvalidValue([Msg(N_("A member needs a name"))])
        member = Member(f"g{len(self.members(include_removed=True)) + 1}", name.strip(), position.strip(), True, on or _today())
        try:
            self.ws.ledger.append(R.GROUP, R.MEMBER_ADDED, R.plain(member), actor=actor.name, key=member.id)
        except KeyTaken:  # two screens added a member at the same moment: take the next number
            return self.add_member(actor, name, position, on)
        return member

    def remove_member(self, actor: Actor, member_id: str, reason: str = "", on: str = "") -> Member:
        """The member leaves the group (their past acts keep them); the reason is kept."""
        actor.require(MONITORING)
        members = {m.id: m for m in self.members()}
        if member_id not in members:
            raise NoSuchMember(member_id)
        self.ws.ledger.append(R.GROUP, R.MEMBER_REMOVED, {"id": member_id, "date": on or _today()}, actor=actor.name, reason=reason)
        return {m.id: m for m in self.members(include_removed=True)}[member_id]

    def file_act(self, actor: Actor, project_id: str, *, date: str, members: Iterable[str], findings: str,
                 recommendations: str = "", response_due: str = "", place: str = "",
                 photos: Iterable[str | Path] = (), corrects: str = "") -> Act:
        """File a monitoring act on a visit to ``project_id``. ``members``: ids (or names) of the group's members
        present. ``corrects``: the id of an earlier act this one corrects (never edited; shown as corrected)."""
        actor.require(MONITORING)
        return file_act(self, actor, project_id, date=date, members=members, findings=findings,
                        recommendations=recommendations, response_due=response_due, place=place, photos=photos,
                        corrects=corrects)

    def record_response(self, actor: Actor, act_id: str, text: str, on: str = "") -> Act:
        """The municipality's response to an act, its own record (the act is never edited)."""
        actor.require(MONITORING)
        return record_response(self, actor, act_id, text, as_typed(on) or _today())


__all__ = ["MonitoringService", "MonitoringError"]
