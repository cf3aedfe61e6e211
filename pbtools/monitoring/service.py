"""``MonitoringService``: the one object the Monitoring app, the ``pbtools projects`` command and the server call.

Plain dataclasses out (``pbtools.monitoring.model``), typed errors (``errors.MonitoringError`` and its subclasses;
``pbtools.roles.NotAllowed`` for a role's refusal). Every write names its ``Actor`` and needs the MONITORING write
(a monitoring group member, the facilitator or an administrator); a refused write writes nothing. Every read checks
the hash chain of the streams it reads first: a record changed behind pbtools' back stops it (``ChainBrokenError``).

By job: reading (``reading.MonitoringReader``), a project's creation and changes (``writing.ProjectWriter``), acts
and responses (``acts``), photos and documents (``files``), a handover (``handover``), the action plan (``plan_io``).
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping, Sequence

from pbtools.dates import as_typed, is_iso_day, not_a_date
from pbtools.i18n import LANGS, N_, Msg
from pbtools.monitoring import records as R
from pbtools.monitoring.acts import file_act, record_response
from pbtools.monitoring.checks import FIELD_NAMES, in_field
from pbtools.monitoring.errors import CostQuestioned, GroupReplaced, InvalidValue, MonitoringError, NoSuchMember
from pbtools.monitoring.files import store_file
from pbtools.monitoring.model import BY_HAND, FROM_PLAN, Act, Attachment, Funding, Handover, Member, Milestone, Project
from pbtools.monitoring.plan_io import import_plan, write_history, write_projects
from pbtools.monitoring.progress import cost_questioned, progress_problems, status_changes
from pbtools.monitoring.writing import ProjectWriter, today as _today
from pbtools.roles import MONITORING, Actor
from pbtools.storage.errors import KeyTaken, StreamRewound
from pbtools.storage.record import Entry
from pbtools.storage.write_check import decided_on


class MonitoringService(ProjectWriter):
    """Monitoring of one workspace (``pbtools.storage.open_workspace``)."""

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

    def update(self, actor: Actor, project_id: str, reason: str = "", *, based_on: int | None = None,
               based_hash: str | None = None, **changes: Any) -> Project:
        """Change fields of a project (``model.EDITABLE``): one record with the fields before and after. A status
        change gets the day (``status_date``, default today) and the ``reason``. Nothing changed: nothing written.

        ``based_on``: the record (``Project.seq``) a form was loaded at. Only the fields that differ from the project
        as it was then are written; when someone changed any of them since, ``ChangedMeanwhile`` says who, when and
        what, and nothing is written (``meanwhile.py``). The check and the write are one step: if another record is
        added between them, the project is read and checked again. ``based_hash``: that record's hash
        (``Project.hash``): when it is no longer the project's record (a backup put back since the form was
        opened), ``ProjectReplaced``, nothing written."""
        actor.require(MONITORING)
        return self._update(actor, project_id, reason, based_on, changes, based_hash=based_hash)

    def set_status(self, actor: Actor, project_id: str, status: str, *, reason: str = "", on: str = "",
                   percent: int | None = None, actual_cost: Any = None, budget_code: str | None = None,
                   actual_start: str | None = None, actual_finish: str | None = None,
                   based_on: int | None = None, based_hash: str | None = None, confirmed: bool = False) -> Project:
        """The status (with the day ``on`` it was seen, default today, and the reason), and optionally the percent
        complete, the actual cost (the total; its split kept when it still adds up, else cleared), the budget code
        and the actual start and finish, in one record, by the rules of ``progress.py`` (a day that happened, in
        order; completed is 100 %; a start or finish not known yet is the day of the status saying so).
        ``based_on``, ``based_hash``: the record the form was loaded at (see ``update``). An actual cost far beyond the plan raises
        ``CostQuestioned`` unless ``confirmed``."""
        actor.require(MONITORING)

        def changes(current: Project, shown: Project) -> dict[str, Any]:  # from the one read of the project
            asked = status_changes(shown, status, as_typed(on) or _today(), reason,
                                   *(as_typed(d) for d in (actual_start, actual_finish)))
            if percent is not None:
                asked["percent"] = percent
            if actual_cost is not None:
                # the split as the form showed it: a cost left as shown is then no change of this member's (the form
                # starts from the cost recorded), even when another member has recorded a new cost since
                actual = shown.actual if shown.actual.split == actual_cost else Funding(total=actual_cost)
                asked["actual"] = replace(actual, total=actual_cost)
            if budget_code is not None:
                asked["budget_code"] = budget_code
            return asked

        def rules(now: Project, wanted: dict[str, Any]) -> list[Msg]:
            problems = progress_problems(now, wanted)
            question = None if problems or confirmed else cost_questioned(now, wanted)
            if question is not None:
                raise CostQuestioned([question])
            return problems

        return self._update(actor, project_id, reason, based_on, changes, rules=rules, based_hash=based_hash)

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
        # decided on the project as read: not written into another history put in its place meanwhile
        self._append(project_id, [Entry(R.MILESTONE_DONE, {"id": milestone_id, "done": done}, actor.name)],
                     check=decided_on(project.seq, project.hash))
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

    # ------------------------------------------------------------------ the group and its acts
    def add_member(self, actor: Actor, name: str, position: str | Mapping[str, str] = "", on: str = "") -> Member:
        """``position``: as typed, or {lang: text} in several of ky, ru, en (shown in the screen's language)."""
        actor.require(MONITORING)
        if not name.strip():
            raise InvalidValue([Msg(N_("A member needs a name"))])
        if isinstance(position, Mapping):  # ky, ru, en, each as typed; none given: no position
            position = {lang: position[lang].strip() for lang in LANGS if (position.get(lang) or "").strip()} or ""
        else:
            position = position.strip()
        members, seen = self.members_read()
        member = Member(f"g{len(members) + 1}", name.strip(), position, True, on or _today())
        try:  # numbered on the group as read: not written into another history put in its place meanwhile
            self.ws.ledger.append(R.GROUP, R.MEMBER_ADDED, R.plain(member), actor=actor.name, key=member.id,
                                  check=decided_on(*seen))
        except KeyTaken:  # two screens added a member at the same moment: take the next number
            return self.add_member(actor, name, position, on)
        except StreamRewound:
            raise GroupReplaced() from None
        return member

    def remove_member(self, actor: Actor, member_id: str, reason: str = "", on: str = "") -> Member:
        """The member leaves the group (their past acts keep them); the reason is kept."""
        actor.require(MONITORING)
        read, seen = self.members_read()
        if member_id not in {m.id for m in read if m.active}:
            raise NoSuchMember(member_id)
        try:  # the member as read: a copy put back meanwhile may hold another person under that id, or none
            self.ws.ledger.append(R.GROUP, R.MEMBER_REMOVED, {"id": member_id, "date": on or _today()},
                                  actor=actor.name, reason=reason, check=decided_on(*seen))
        except StreamRewound:
            raise GroupReplaced() from None
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
