"""Making and following a service's improvement plan (КЖАП / ПУУ) from the app and the command:

- ``weakest(results)``: the problems a plan starts from, the survey's weakest-rated items: for each satisfaction
  (scale) question, overall and each village, sex and age group with enough answers (``Shares.small`` is the one
  rule), those where fewer than half are satisfied, weakest first (at least the weakest one), each with its baseline;
- ``start_plan``: a new plan of those problems (or of none, to type them); a service has one plan;
- ``add_activity``: one activity typed (title, plan cost and who pays, planned start and finish, responsible,
  village, the problem it answers), every wrong field named, nothing stored;
- ``record_progress``: how a followed activity stands (status, percent, actual cost, actual start and finish), written
  to its monitored project by ``pbtools.monitoring`` itself: one model of following, shared with the group.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from fractions import Fraction
from typing import Any, Callable

from pbtools.dates import Day, not_a_date, parse_date
from pbtools.fmt import percent
from pbtools.i18n import LANGS, N_, Msg, field_namer, gettext
from pbtools.monitoring.checks import parse_money
from pbtools.monitoring.forms import read_progress
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import SERVICES, Actor
from pbtools.services.errors import ServiceError
from pbtools.services.follow import project_id
from pbtools.services.places import group_name
from pbtools.services.plan import FUNDERS, Activity, Plan, Problem, load_plan, plan_read, save_plan
from pbtools.storage import StreamMoved
from pbtools.services.register import service
from pbtools.services.survey_results import SurveyResults, dec

WEAK = Fraction(1, 2)  # fewer than half satisfied: a problem for the plan
MOST = 5  # problems taken from one survey at most

FIELDS = {"title": N_("Activity"), "cost": N_("Plan cost, som"), "paid_by": N_("Paid by"), "start": N_("Planned start"),
          "deadline": N_("Planned finish"), "village": N_("Village"), "problem": N_("Problem it answers"),
          "activity": N_("Activity")}
FUNDER_NAMES = {"budget": N_("the local budget"), "grant": N_("a grant"), "community_money": N_("the community, in money"),
                "community_in_kind": N_("the community, in kind")}


in_field = field_namer(FIELDS)


def weakest(results: SurveyResults, municipality: Any = None) -> tuple[Problem, ...]:
    """The survey's weakest-rated items as plan problems (ids p1, p2...), weakest first."""
    found = []
    for q in results.questions:
        if q.overall.satisfied is None:
            continue
        rows = [("all", q.overall)] + [(grouping, g) for grouping, groups in q.groups.items() for g in groups]
        rows = [(grouping, s) for grouping, s in rows if not s.small and s.satisfied is not None]
        found += [(s.satisfied, q, grouping, s) for grouping, s in rows]
    found.sort(key=lambda item: item[0])
    chosen = [item for item in found if item[0] < WEAK][:MOST] or found[:1]
    problems = []
    for i, (share, q, grouping, s) in enumerate(chosen, start=1):
        titles = {}
        for lang in LANGS:
            where = gettext(lang, N_("everyone")) if grouping == "all" else group_name(grouping, s.key, municipality, lang)
            titles[lang] = gettext(lang, N_("{question}: {share} satisfied ({group}, {n} answers)")).format(
                question=q.question.title(lang), share=percent(dec(share), lang, 0), group=where, n=s.n)
        problems.append(Problem(f"p{i}", titles, "survey", f"{round(float(share) * 100)} % (n={s.n}), {results.survey.id}"))
    return tuple(problems)


def start_plan(ws: Any, service_id: str, actor: Actor, results: SurveyResults | None, municipality: Any = None) -> Plan:
    """A new plan for the service, its problems the survey's weakest items (none without a survey). A service has
    one plan: refused when it has one."""
    actor.require(SERVICES)
    service(ws, service_id)
    problems = weakest(results, municipality) if results is not None else ()
    return _decided_afresh(lambda: _start(ws, service_id, problems, actor))


def _start(ws: Any, service_id: str, problems: tuple[Problem, ...], actor: Actor) -> Plan:
    plan, seen = plan_read(ws, service_id)
    if plan is not None:
        raise ServiceError(Msg(N_("Service {id} has an improvement plan already: add activities to it"), id=service_id))
    return save_plan(ws, Plan(service_id, problems), actor, based_on=seen)


def _decided_afresh(write: Callable[[], Any]) -> Any:
    """A write of the whole plan made from the plan as read: when another screen stored one first, it is made
    again from the plan as it is now (both screens' activities kept, not the second's alone)."""
    for _attempt in range(5):
        try:
            return write()
        except StreamMoved:
            continue
    raise ServiceError(Msg(N_("The improvement plan is being changed by others right now; try again")))


@dataclass
class ActivityForm:
    """An activity as typed (text), in the language ``lang`` of the title."""

    title: str = ""
    cost: str = ""
    paid_by: str = "budget"  # one of FUNDERS
    start: str = ""
    deadline: str = ""
    responsible: str = ""
    village: str = ""
    problem: str = ""
    lang: str = "en"


def add_activity(ws: Any, service_id: str, form: ActivityForm, actor: Actor) -> Activity:
    """Add the activity typed to the service's plan (a plan of no problems is made when there is none)."""
    actor.require(SERVICES)
    s = service(ws, service_id)
    return _decided_afresh(lambda: _add(ws, s, form, actor))


def _add(ws: Any, s: Any, form: ActivityForm, actor: Actor) -> Activity:
    service_id = s.id
    plan, seen = plan_read(ws, service_id)
    plan = plan or Plan(service_id)
    problems: list[Msg] = []
    if not form.title.strip():
        problems.append(in_field("title", Msg(N_("not given"))))
    cost = parse_money(form.cost) if form.cost.strip() else None
    if cost is None or cost < 0:
        problems.append(in_field("cost", Msg(N_("{value} is not an amount in som"), value=form.cost.strip())))
    if form.paid_by not in FUNDERS:
        problems.append(in_field("paid_by", Msg(N_("not given"))))
    start, deadline = parse_date(form.start), parse_date(form.deadline)
    if start is None:
        problems.append(not_a_date(form.start, FIELDS["start"]))
    if not deadline:
        problems.append(not_a_date(form.deadline, FIELDS["deadline"]))
    elif start and deadline < start:
        problems.append(in_field("deadline", Msg(N_("the finish {finish} is before the start {start}"), finish=Day(deadline), start=Day(start))))
    if form.village and form.village not in s.villages:
        problems.append(in_field("village", Msg(N_("{value} is not a village of this service"), value=form.village)))
    if form.problem and form.problem not in {p.id for p in plan.problems}:
        problems.append(in_field("problem", Msg(N_("{value} is not a problem of the plan"), value=form.problem)))
    if problems:
        raise ServiceError(problems)
    taken = {a.id for a in plan.activities}
    number = len(plan.activities) + 1
    while f"a{number}" in taken:
        number += 1
    activity = Activity(f"a{number}", {form.lang: form.title.strip()}, {form.paid_by: cost}, deadline, form.responsible.strip(),
                        form.problem, start or "", form.village)
    save_plan(ws, replace(plan, activities=plan.activities + (activity,)), actor, based_on=seen)
    return activity


@dataclass
class ProgressForm:
    """How a followed activity stands, as typed; an empty field (a status too) is left as it is."""

    status: str = ""
    percent: str = ""
    actual_cost: str = ""
    actual_start: str = ""
    actual_finish: str = ""
    reason: str = ""


def record_progress(ws: Any, service_id: str, activity_id: str, form: ProgressForm, actor: Actor):
    """Write an activity's progress to its monitored project by monitoring's own progress rules
    (``MonitoringService.set_status``: a day that happened, in order; completed is 100 %; an actual cost far beyond
    the plan questioned), one record with who, when, before and after. An empty field is left as it is."""
    plan = load_plan(ws, service_id)
    activity = next((a for a in plan.activities if a.id == activity_id), None) if plan else None
    if activity is None:
        raise ServiceError(in_field("activity", Msg(N_("{value} is not an activity of the plan"), value=activity_id)))
    monitoring = MonitoringService(ws)
    pid = project_id(service_id, activity)
    if pid not in set(monitoring.project_ids()):
        raise ServiceError(Msg(N_("Activity {id} is not followed yet: follow the plan first"), id=activity_id))
    current = monitoring.project(pid)
    progress = read_progress(form.status or current.status, form.percent, form.actual_cost, form.reason, current,
                             actual_start=form.actual_start or None, actual_finish=form.actual_finish or None)
    return monitoring.set_status(actor, pid, progress.status, reason=form.reason.strip(), percent=progress.percent,
                                 actual_cost=progress.actual_cost, actual_start=progress.actual_start,
                                 actual_finish=progress.actual_finish, based_on=current.seq,
                                 based_hash=current.hash)
