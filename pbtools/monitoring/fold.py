"""From monitoring records to what they mean: a project from its stream, the group's members, the acts with their
corrections and responses. Pure functions over ``pbtools.storage.record.Record``s."""

from __future__ import annotations

from dataclasses import replace
from typing import Iterable

from pbtools.monitoring import records as R
from pbtools.monitoring.model import EDITABLE, Act, HistoryEntry, Member, Project, Response, StatusChange


def fold_project(project_id: str, records: Iterable) -> Project | None:
    """The project as its records leave it; None when the stream has no creation record."""
    project: Project | None = None
    milestones: dict[str, object] = {}
    attachments: list = []
    statuses: list[StatusChange] = []
    for r in records:
        if r.kind == R.PROJECT_CREATED:
            values = {k: R.field_value(k, v) for k, v in r.payload.items() if k in EDITABLE or k in ("origin", "link")}
            project = Project(id=project_id, **values, created_at=r.created_at)
            statuses.append(StatusChange(project.status, project.status_date or r.created_at.date().isoformat(),
                                         project.status_reason, r.actor, r.seq))
        elif project is None:
            continue
        elif r.kind == R.PROJECT_CHANGED:
            after = {k: R.field_value(k, v) for k, v in r.payload.get("after", {}).items() if k in EDITABLE}
            before_status = project.status
            project = replace(project, **after)
            if "status" in after:
                statuses.append(StatusChange(project.status, project.status_date or r.created_at.date().isoformat(),
                                             project.status_reason, r.actor, r.seq, before_status))
        elif r.kind == R.MILESTONE_ADDED:
            m = R.milestone(r.payload)
            milestones[m.id] = m
        elif r.kind == R.MILESTONE_DONE and r.payload.get("id") in milestones:
            milestones[r.payload["id"]] = replace(milestones[r.payload["id"]], done=r.payload.get("done", ""))
        elif r.kind == R.FILE_ADDED:
            attachments.append(R.attachment(r.payload))
        project = replace(project, seq=r.seq, hash=r.hash, updated_at=r.created_at)
    if project is None:
        return None
    return replace(project, milestones=tuple(milestones.values()), attachments=tuple(attachments), statuses=tuple(statuses))


def history(records: Iterable) -> list[HistoryEntry]:
    """Every record of a project's stream as who/when/before/after."""
    out = []
    for r in records:
        if r.kind == R.PROJECT_CHANGED:
            before, after = r.payload.get("before", {}), r.payload.get("after", {})
        elif r.kind == R.MILESTONE_DONE:
            before, after = {"milestone": r.payload.get("id"), "done": ""}, dict(r.payload)
        else:
            before, after = {}, dict(r.payload)
        out.append(HistoryEntry(r.seq, r.kind, r.created_at, r.actor, before, after, r.reason, r.hash))
    return out


def fold_members(records: Iterable) -> dict[str, Member]:
    members: dict[str, Member] = {}
    for r in records:
        if r.kind == R.MEMBER_ADDED:
            m = Member(**{k: v for k, v in r.payload.items() if k in ("id", "name", "position", "added")})
            members[m.id] = m
        elif r.kind == R.MEMBER_REMOVED and r.payload.get("id") in members:
            members[r.payload["id"]] = replace(members[r.payload["id"]], active=False, removed=r.payload.get("date", ""))
    return members


def fold_acts(records: Iterable) -> dict[str, Act]:
    """Acts by id, in the order filed, each with the act correcting it and its responses."""
    acts: dict[str, Act] = {}
    for r in records:
        if r.kind == R.ACT_FILED:
            p = dict(r.payload)
            photos = tuple(R.attachment(a) for a in p.pop("photos", ()))
            p["members"] = tuple(p.get("members", ()))
            known = {"id", "number", "date", "project_id", "members", "findings", "recommendations", "response_due",
                     "place", "corrects"}
            act = Act(**{k: v for k, v in p.items() if k in known}, photos=photos, filed_by=r.actor,
                      filed_at=r.created_at, seq=r.seq)
            acts[act.id] = act
            if act.corrects in acts:
                acts[act.corrects] = replace(acts[act.corrects], corrected_by=act.id)
        elif r.kind == R.RESPONSE_RECORDED and r.payload.get("act") in acts:
            act = acts[r.payload["act"]]
            response = Response(act.id, r.payload.get("text", ""), r.payload.get("date", ""), r.actor, r.seq)
            acts[act.id] = replace(act, responses=act.responses + (response,))
    return acts
