"""The same monitoring on PostgreSQL, and the demo workspace's monitoring year."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from pbtools.monitoring import COMPLETED, STATUSES, Funding, MonitoringService
from pbtools.monitoring.demo_year import draw_photo
from pbtools.storage import open_workspace
from tests.monitoring.conftest import MEMBER, STAFF


@pytest.mark.postgres
def test_projects_acts_and_photos_on_postgresql(pg_url, tmp_path):
    with open_workspace(tmp_path / "ws", db_url=pg_url) as ws:
        svc = MonitoringService(ws)
        p = svc.add_project(STAFF, {"ky": "Суу"}, planned=Funding(Decimal("150000.50"), Decimal("100000.50"), Decimal(50000)))
        svc.set_status(MEMBER, p.id, COMPLETED, percent=100, actual_cost=Decimal(149000), on="2026-09-30")
        photo = draw_photo(tmp_path / "a.jpg", 1, gps=(42.5, 74.6))
        a = svc.add_file(MEMBER, p.id, photo)
        assert svc.add_file(MEMBER, p.id, photo) == a
        g = svc.add_member(STAFF, "Айгүл")
        act = svc.file_act(MEMBER, p.id, date="2026-09-01", members=[g.id], findings="ok", response_due="2026-09-10",
                           photos=[photo])
        assert [x.id for x in svc.overdue(date(2026, 9, 11))] == [act.id]
        svc.record_response(STAFF, act.id, "Кабыл алынды", on="2026-09-12")
    with open_workspace(tmp_path / "ws", db_url=pg_url) as ws:  # all of it committed and read back
        svc = MonitoringService(ws)
        got = svc.project(p.id)
        assert got.planned.total == Decimal("150000.50") and got.status == COMPLETED and got.actual.total == 149000
        assert got.attachments == (a,) and svc.act(act.id).response.text == "Кабыл алынды"
        assert svc.verify() == [] and svc.overdue(date(2027, 1, 1)) == []


def test_the_demo_has_a_monitoring_year(tmp_path):
    from pbtools.demo import create_demo

    summary = create_demo(tmp_path / "demo")
    with open_workspace(tmp_path / "demo") as ws:
        svc = MonitoringService(ws)
        projects = svc.projects()
        assert summary["projects"] == len(projects) and {p.status for p in projects} == set(STATUSES)
        from_hearing = [p for p in projects if p.link is not None]
        assert from_hearing and len({p.link.option_id for p in from_hearing}) == len(from_hearing)  # one per option
        assert len(projects) - len(from_hearing) == 2  # the action plan's, typed by hand
        acts = svc.acts()
        assert len(acts) == summary["acts"] and any(a.corrected for a in acts) and any(a.responses for a in acts)
        assert all(a.photos for a in acts)
        assert len(svc.overdue(date.today())) == 1
        photos = [a for p in projects for a in p.photos]
        assert any(a.reduced for a in photos) and any(a.has_location for a in photos)
        assert all(svc.file_path(a, thumbnail=True).is_file() for a in photos)
        assert len(svc.members()) == 5 and svc.verify() == []
        # every project's statuses in date order, the first "planned" one dated before the later ones
        for p in projects:
            days = [s.date for s in p.statuses]
            assert days == sorted(days) and p.statuses[0].status == "planned", (p.id, p.statuses)
        hearing_day = from_hearing[0].link.hearing_date
        assert hearing_day and all(p.statuses[0].date == hearing_day for p in projects)


def test_the_demo_projects_are_in_the_sample_municipality_s_villages(tmp_path):
    """A hand-typed project of the demo was set in «Ак-Суу», which is no village of data/sample (Kok-Talaa's are
    Көк-Талаа, Жаңы-Айыл, Бел-Саз, Кара-Суу, Таш-Булак): the Russian and English screens showed it in Kyrgyz, the
    village filter offered a village the municipality does not have."""
    from pbtools.demo import create_demo
    from pbtools.hearings.model import ALL_VILLAGES, stored_village

    create_demo(tmp_path / "demo")
    with open_workspace(tmp_path / "demo") as ws:
        municipality = ws.municipality()
        kyrgyz = {v.names["ky"] for v in municipality.villages}
        projects = MonitoringService(ws).projects()
        for p in projects:
            assert p.village in kyrgyz | {ALL_VILLAGES, ""}, (p.id, p.village)
            assert stored_village(p.village, municipality) == p.village  # spelt as a hearing stores it
        assert sum(p.village in kyrgyz for p in projects if p.link is None) == 2  # the two typed by hand too
