"""An improvement plan's activities followed exactly like monitored projects: each activity becomes one project of
``pbtools.monitoring`` (through its ``MonitoringService``), so the joint monitoring group follows one list, and the
plan shows each activity's status and progress from it.

A project's id is ``<service>-<activity>`` ("water-a1"): following a plan twice adds only the activities not yet
followed. Its planned cost and split come from the activity (budget, grant, community money, in kind), its planned
finish is the activity's deadline, its ``plan_ref`` names the plan and the activity.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pbtools.i18n import N_, Msg
from pbtools.monitoring.model import Funding, Project
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import SERVICES, Actor
from pbtools.services.errors import ServiceError
from pbtools.services.plan import Activity, Plan, load_plan
from pbtools.services.register import service

SECTORS = {"water": "water", "waste": "waste"}  # the monitoring sector of a service, by its id; others "other"


def project_id(service_id: str, activity: Activity) -> str:
    return f"{service_id}-{activity.id}"


def plan_ref(service_id: str, activity: Activity) -> str:
    return f"КЖАП/ПУУ {service_id}: {activity.id}"


def funding(activity: Activity) -> Funding:
    f = activity.funding
    zero = Funding().total
    return Funding(total=activity.cost, local_budget=f.get("budget", zero), grant=f.get("grant", zero),
                   community_money=f.get("community_money", zero), community_in_kind=f.get("community_in_kind", zero))


@dataclass(frozen=True)
class FollowedActivity:
    activity: Activity
    project: Project | None  # None: not followed yet


def follow_plan(ws: Any, service_id: str, actor: Actor) -> list[Project]:
    """Make every activity of the service's plan a monitored project (those not yet made); the projects made.
    The actor needs both the services and the monitoring writes."""
    actor.require(SERVICES)
    plan = load_plan(ws, service_id)
    if plan is None:
        raise ServiceError(Msg(N_("Service {id} has no improvement plan yet"), id=service_id))
    s = service(ws, service_id)
    monitoring = MonitoringService(ws)
    existing = set(monitoring.project_ids())
    made = []
    for a in plan.activities:
        if project_id(service_id, a) in existing:
            continue
        made.append(monitoring.add_from_plan(
            actor, dict(a.titles), plan_ref(service_id, a), project_id=project_id(service_id, a),
            reason=plan_ref(service_id, a), sector=SECTORS.get(service_id, "other"), responsible=a.responsible,
            planned=funding(a), planned_start=a.start, planned_finish=a.deadline,
            village=a.village or (s.villages[0] if len(s.villages) == 1 else "")))
    return made


def followed(ws: Any, service_id: str) -> list[FollowedActivity]:
    """The plan's activities, each with its monitored project as it stands (status, percent, acts...)."""
    return followed_in(ws, service_id, load_plan(ws, service_id))


def followed_in(ws: Any, service_id: str, plan: Plan | None) -> list[FollowedActivity]:
    """``followed`` for the service's plan as the caller has just read it (not read again)."""
    if plan is None:
        return []
    monitoring = MonitoringService(ws)
    ids = set(monitoring.project_ids())
    return [FollowedActivity(a, monitoring.project(project_id(service_id, a)) if project_id(service_id, a) in ids else None)
            for a in plan.activities]
