"""The service improvement action plan: who pays, the community's share against the 10 % minimum."""

from __future__ import annotations

from decimal import Decimal as D
from fractions import Fraction

import pytest

from pbtools.fmt import percent
from pbtools.roles import LOCAL
from pbtools.services.errors import ServiceError
from pbtools.services.plan import MIN_COMMUNITY_SHARE, Activity, Plan, Problem
from pbtools.services.service import ServicesService
from tests.services.helpers import village_water, workspace_with


def _plan(community: D) -> Plan:
    return Plan("water", (Problem("p1", {"en": "Cuts every day"}),), (
        Activity("a1", {"en": "Replace the pump"}, {"budget": D(100_000), "grant": D(300_000), "community_money": community}, "2026-09-30", "enterprise", "p1"),
        Activity("a2", {"en": "Replace pipes"}, {"grant": D(500_000), "community_in_kind": D(50_000)}, "2027-06-30")))


def test_community_share_checked_against_ten_per_cent(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        plan = svc.save_plan(_plan(D(50_000)), LOCAL)
        assert plan.cost == D(1_000_000)
        assert plan.community_share == Fraction(100_000, 1_000_000) == MIN_COMMUNITY_SHARE and plan.community_share_met
        low = _plan(D(40_000))
        assert low.community_share == Fraction(90_000, 990_000) and not low.community_share_met
        assert svc.plan("water") == plan


def test_a_wrong_plan_is_refused(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        bad = Plan("water", (), (Activity("a1", {}, {"bank": D(5)}, "soon", problem="p9"),))
        with pytest.raises(ServiceError) as e:
            svc.save_plan(bad, LOCAL)
        assert len(e.value.problems) == 4
        assert svc.plan("water") is None


def test_activities_are_followed_as_monitored_projects(tmp_path):
    from pbtools.monitoring.model import COMPLETED, IN_PROGRESS
    from pbtools.monitoring.service import MonitoringService
    from pbtools.roles import Actor, NotAllowed

    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        plan = svc.save_plan(_plan(D(50_000)), LOCAL)
        assert [f.project for f in svc.followed("water")] == [None, None]
        with pytest.raises(NotAllowed):  # a monitoring group member follows projects but does not change the plan
            svc.follow_plan("water", Actor("Bakyt", "monitor"))
        made = svc.follow_plan("water", LOCAL)
        assert [p.id for p in made] == ["water-a1", "water-a2"]
        a1 = made[0]
        assert (a1.planned.total, a1.planned.local_budget, a1.planned.grant, a1.planned.community_money) == (
            plan.activities[0].cost, D(100_000), D(300_000), D(50_000))
        assert (a1.planned_finish, a1.sector, a1.responsible) == ("2026-09-30", "water", "enterprise")
        # its origin says it came from a plan, and its plan item names the service's plan and the activity
        from pbtools.monitoring.model import FROM_PLAN, status_label
        from pbtools.services.follow import plan_ref

        assert [(p.origin, p.plan_ref) for p in made] == [(FROM_PLAN, plan_ref("water", a)) for a in plan.activities]
        assert "water" in a1.plan_ref and "a1" in a1.plan_ref and a1.link is None
        assert status_label(a1.origin, "ru") == "Из плана действий"
        assert svc.follow_plan("water", LOCAL) == []  # twice = once
        # the monitoring group records progress in its own app; the plan shows it
        member = Actor("Bakyt", "monitor")
        MonitoringService(ws).set_status(member, "water-a1", IN_PROGRESS, reason="pump delivered", percent=40)
        MonitoringService(ws).set_status(member, "water-a2", COMPLETED, reason="done", percent=100)
        progress = {f.activity.id: (f.project.status, f.project.percent) for f in svc.followed("water")}
        assert progress == {"a1": (IN_PROGRESS, 40), "a2": (COMPLETED, 100)}


def test_following_needs_a_plan(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        with pytest.raises(ServiceError):
            ServicesService(ws).follow_plan("water", LOCAL)


def _surveyed(ws):
    """Water surveyed: village Көк-Талаа 6 answers, 2 satisfied; Жаңы-Айыл 5 answers, 4 satisfied; a lone man."""
    svc = ServicesService(ws)
    svc.start_survey("water", "2026", "2026-05-14", LOCAL)
    for line in ["1 1 2 2 1 1"] * 4 + ["1 1 2 5 1 1"] * 2 + ["2 1 3 4 1 1"] * 4 + ["2 1 3 1 1 1"] + ["2 2 3 1 1 1"]:
        svc.enter_answer("water", "2026", line, LOCAL)
    return svc


def test_a_plan_is_made_from_the_survey_s_weakest_items(tmp_path):
    with workspace_with(tmp_path, village_water()) as ws:
        svc = _surveyed(ws)
        plan = svc.start_plan("water", LOCAL)
        first = plan.problems[0]
        assert first.id == "p1" and "Көк-Талаа" in first.title("ky") and percent(D(1) / 3, "en", 0) in first.title("en") and first.baseline == "33 % (n=6), 2026"
        assert all(int(p.baseline.split("n=")[1].split(")")[0]) >= 5 for p in plan.problems)  # one man: too few to say
        shares = [int(p.baseline.split(" %")[0]) for p in plan.problems]
        assert shares == sorted(shares) and all(s < 50 for s in shares)
        assert svc.plan("water") == plan  # stored
        with pytest.raises(ServiceError):  # one plan per service: never replaced by a second click
            svc.start_plan("water", LOCAL)


@pytest.mark.parametrize("lang, words", [("ru", ["Плановая стоимость", "Плановое окончание", "Село"]),
                                         ("ky", ["Пландалган наркы", "Пландалган бүтүшү", "Айыл"]),
                                         ("en", ["Plan cost", "Planned finish", "Village"])])
def test_a_wrong_activity_names_each_field_and_stores_nothing(tmp_path, lang, words):
    from pbtools.services.plan_edit import ActivityForm

    with workspace_with(tmp_path, village_water()) as ws:
        svc = ServicesService(ws)
        with pytest.raises(ServiceError) as e:
            svc.add_activity("water", ActivityForm("Replace the pump", "-5", deadline="31.02.2027", village="Бишкек"), LOCAL)
        text = e.value.render(lang)
        assert len(e.value.problems) == 3 and all(w in text for w in words), text
        assert svc.plan("water") is None


def test_typed_activities_are_followed_with_their_dates_village_and_actual_cost(tmp_path):
    from pbtools.monitoring.model import COMPLETED, IN_PROGRESS, STALLED
    from pbtools.monitoring.service import MonitoringService
    from pbtools.roles import Actor
    from pbtools.services.plan_edit import ActivityForm, ProgressForm

    with workspace_with(tmp_path, village_water()) as ws:
        svc = _surveyed(ws)
        svc.start_plan("water", LOCAL)
        a = svc.add_activity("water", ActivityForm("Replace the pump", "450 000", "grant", "01.04.2027", "30.09.2027", "МП Суу",
                                                   "Жаңы-Айыл", "p1"), LOCAL)
        assert (a.id, a.cost, a.start, a.deadline, a.village, a.problem) == ("a1", D(450_000), "2027-04-01", "2027-09-30", "Жаңы-Айыл", "p1")
        (project,) = svc.follow_plan("water", LOCAL)
        assert (project.planned.total, project.planned.grant, project.planned_start, project.planned_finish, project.village) == (
            D(450_000), D(450_000), "2027-04-01", "2027-09-30", "Жаңы-Айыл")
        done = svc.record_progress("water", "a1", ProgressForm(IN_PROGRESS, "30", "120 000", "05.04.2026", "", "pump bought"), LOCAL)
        assert (done.status, done.percent, done.actual.total, done.actual_start) == (IN_PROGRESS, 30, D(120_000), "2026-04-05")
        # a member of the monitoring group stalls it meanwhile; a form that did not touch the status keeps theirs
        MonitoringService(ws).set_status(Actor("Bakyt", "monitor"), project.id, STALLED, reason="no pipes")
        later = svc.record_progress("water", "a1", ProgressForm("", "40"), LOCAL)
        assert (later.status, later.percent) == (STALLED, 40)
        with pytest.raises(Exception) as e:  # the monitoring's own checks, by field
            svc.record_progress("water", "a1", ProgressForm(COMPLETED, "150", "", "", "02.04.2027"), LOCAL)
        assert "150" in e.value.render("en")
        assert svc.followed("water")[0].project.percent == 40
        # monitoring's progress rules hold here too: completed means 100 %, a cost far past the plan is questioned
        with pytest.raises(Exception) as e:
            svc.record_progress("water", "a1", ProgressForm(COMPLETED, "80", "", "", "", "done"), LOCAL)
        assert "80" in e.value.render("en")
        with pytest.raises(Exception) as e:
            svc.record_progress("water", "a1", ProgressForm("", "", "9 000 000"), LOCAL)
        assert type(e.value).__name__ == "CostQuestioned"
        assert (svc.followed("water")[0].project.status, svc.followed("water")[0].project.actual.total) == (STALLED, D(120_000))
