"""A service improvement action plan (КЖАП / ПУУ): for one service, the problems found (from its survey and the
needs assessment), the activities with their cost, who pays (budget, grant, the community in money or in kind),
who is responsible and the deadline. The community's share (money and in kind) of the plan's cost is checked
against the programmes' minimum of 10 %.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction
from typing import Any, Mapping

from pbtools.budget.model import pick_name
from pbtools.dates import as_typed, is_iso_day, not_a_date
from pbtools.i18n import N_, Msg
from pbtools.roles import SERVICES, Actor
from pbtools.services import records as R
from pbtools.services.errors import ServiceError, ServiceReplaced
from pbtools.services.register import service
from pbtools.storage import StreamRewound, decided_on, head_is
from pbtools.storage.write_check import read_point

FUNDERS = ("budget", "grant", "community_money", "community_in_kind")
COMMUNITY = ("community_money", "community_in_kind")
MIN_COMMUNITY_SHARE = Fraction(1, 10)  # the co-financing the grant programmes require (at least 10 %)


@dataclass(frozen=True)
class Activity:
    id: str
    titles: Mapping[str, str]
    funding: Mapping[str, Decimal]  # funder (one of FUNDERS) -> som
    deadline: str  # ISO date
    responsible: str = ""
    problem: str = ""  # the id of the problem it answers
    start: str = ""  # planned start, ISO date ("" not said)
    village: str = ""  # where ("" the whole service)

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)

    @property
    def cost(self) -> Decimal:
        return sum(self.funding.values(), Decimal(0))


@dataclass(frozen=True)
class Problem:
    id: str
    titles: Mapping[str, str]
    source: str = "survey"  # survey, needs (assessment), other
    baseline: str = ""  # e.g. "satisfied 38 % (survey 2026-03)"

    def title(self, lang: str) -> str:
        return pick_name(self.titles, lang)


@dataclass(frozen=True)
class Plan:
    service: str
    problems: tuple[Problem, ...] = ()
    activities: tuple[Activity, ...] = ()
    approved: str = ""  # the council decision, as written

    @property
    def cost(self) -> Decimal:
        return sum((a.cost for a in self.activities), Decimal(0))

    def by_funder(self) -> dict[str, Decimal]:
        return {f: sum((a.funding.get(f, Decimal(0)) for a in self.activities), Decimal(0)) for f in FUNDERS}

    @property
    def community_share(self) -> Fraction | None:
        """Money and in kind from the community over the whole cost (None: nothing costed)."""
        if not self.cost:
            return None
        funds = self.by_funder()
        return Fraction(sum(funds[f] for f in COMMUNITY)) / Fraction(self.cost)

    @property
    def community_share_met(self) -> bool:
        return self.community_share is not None and self.community_share >= MIN_COMMUNITY_SHARE


def check_plan(plan: Plan) -> list[Msg]:
    problems = []
    problem_ids = [p.id for p in plan.problems]
    activity_ids = [a.id for a in plan.activities]
    for ids in (problem_ids, activity_ids):
        for i in sorted({i for i in ids if ids.count(i) > 1 or not i.strip()}):
            problems.append(Msg(N_("{value} is used twice or empty as an id in the plan"), value=i))
    for a in plan.activities:
        if not any(t.strip() for t in a.titles.values()):
            problems.append(Msg(N_("Activity {id} has no title"), id=a.id))
        if any(f not in FUNDERS or v < 0 for f, v in a.funding.items()):
            problems.append(Msg(N_("Activity {id}: each amount is paid by the budget, a grant, or the community in money or in kind, and cannot be negative"), id=a.id))
        for value, field in ((a.deadline, N_("Planned finish")), (a.start, N_("Planned start"))):
            if (value or field == N_("Planned finish")) and not is_iso_day(value):
                problems.append(Msg(N_("Activity {id}: {problem}"), id=a.id, problem=not_a_date(value, field)))
        if a.problem and a.problem not in problem_ids:
            problems.append(Msg(N_("Activity {id} answers problem {problem}, which the plan does not list"), id=a.id, problem=a.problem))
    return problems


def _to_json(plan: Plan) -> dict:
    return {"service": plan.service, "approved": plan.approved,
            "problems": [{"id": p.id, "titles": dict(p.titles), "source": p.source, "baseline": p.baseline} for p in plan.problems],
            "activities": [{"id": a.id, "titles": dict(a.titles), "funding": {f: str(v) for f, v in a.funding.items()},
                            "deadline": a.deadline, "responsible": a.responsible, "problem": a.problem, "start": a.start,
                            "village": a.village} for a in plan.activities]}


def _from_json(d: Mapping[str, Any]) -> Plan:
    return Plan(d["service"], tuple(Problem(p["id"], dict(p["titles"]), p.get("source", "survey"), p.get("baseline", "")) for p in d["problems"]),
                tuple(Activity(a["id"], dict(a["titles"]), {f: Decimal(v) for f, v in a["funding"].items()}, a["deadline"],
                               a.get("responsible", ""), a.get("problem", ""), a.get("start", ""), a.get("village", ""))
                      for a in d["activities"]), d.get("approved", ""))


def save_plan(ws: Any, plan: Plan, actor: Actor, based_on: tuple[int, str] | None = None) -> Plan:
    """Store the service's plan (a later one replaces it); refused, nothing stored, when it has a problem.
    ``based_on``: (seq, hash) of the plan's last record as read (``plan_read``), when the plan stored was made from
    it: stored only right after it (``StreamMoved`` when another screen wrote first: decide again; ``ServiceError``
    when the plan's records were replaced on disk since, a backup put back: nothing stored)."""
    actor.require(SERVICES)
    service(ws, plan.service)
    # days as people write them (14.05.2026) are kept in ISO, as every day of the core
    plan = replace(plan, activities=tuple(replace(a, deadline=as_typed(a.deadline), start=as_typed(a.start)) for a in plan.activities))
    problems = check_plan(plan)
    if problems:
        raise ServiceError(problems)
    check = None if based_on is None else decided_on(*based_on, also=head_is(*based_on))
    try:
        ws.ledger.append(R.plan_stream(plan.service), R.PLAN_DEFINED, _to_json(plan), actor=actor.name, check=check)
    except StreamRewound as e:
        raise ServiceReplaced(e.message) from None
    return plan


def load_plan(ws: Any, service_id: str) -> Plan | None:
    return plan_read(ws, service_id)[0]


def plan_read(ws: Any, service_id: str) -> tuple[Plan | None, tuple[int, str]]:
    """The service's plan (None: no plan yet) and (seq, hash) of the last record read ((0, ""): none)."""
    records = ws.ledger.records(R.plan_stream(service_id))
    last = [r for r in records if r.kind == R.PLAN_DEFINED]
    return (_from_json(last[-1].payload) if last else None), read_point(records)
