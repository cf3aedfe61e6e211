"""Every change is a record (who, when, before, after); the history verifies, and a tampered record stops reads."""

from __future__ import annotations

import csv
import json
from decimal import Decimal

import pytest
from sqlalchemy import text

from pbtools.cli import main
from pbtools.monitoring import ChainBrokenError, Funding, InvalidValue, MonitoringService
from pbtools.monitoring.records import project_stream
from tests.monitoring.conftest import MEMBER, STAFF


def sql(ws, statement, **params):
    with ws.engine.begin() as conn:
        conn.execute(text(statement), params)


def test_each_change_is_recorded_with_who_when_before_and_after(svc):
    p = svc.add_project(STAFF, {"ky": "Жол"}, planned=Funding(Decimal(500000)))
    svc.update(MEMBER, p.id, contractor="«Жол-Курулуш»", reason="келишим")
    svc.set_status(MEMBER, p.id, "stalled", reason="жабдуу жок", on="2026-07-01", percent=30)
    svc.update(MEMBER, p.id, contractor="«Жол-Курулуш»")  # no change: no record
    entries = svc.history(p.id)
    assert [e.kind for e in entries] == ["project.created", "project.changed", "project.changed"]
    assert entries[0].actor == STAFF.name and entries[1].actor == MEMBER.name
    assert entries[1].before == {"contractor": ""} and entries[1].after == {"contractor": "«Жол-Курулуш»"}
    assert entries[1].reason == "келишим"
    assert entries[2].before == {"status": "planned", "percent": 0, "status_date": entries[0].after["status_date"], "status_reason": ""}
    assert entries[2].after == {"status": "stalled", "percent": 30, "status_date": "2026-07-01", "status_reason": "жабдуу жок"}
    assert all(e.at.tzinfo is not None for e in entries) and entries[0].at <= entries[2].at
    now = svc.project(p.id)
    assert [(s.status, s.date, s.reason) for s in now.statuses][-1] == ("stalled", "2026-07-01", "жабдуу жок")
    assert now.statuses[-1].before == "planned"


def test_the_history_is_exported_with_its_hashes(svc, tmp_path):
    p = svc.add_project(STAFF, {"ky": "Жол"})
    svc.set_status(MEMBER, p.id, "in_progress", percent=10)
    out = svc.export_history(p.id, tmp_path / "h.csv")
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    records = svc.ws.ledger.records(project_stream(p.id))
    assert [r["hash"] for r in rows] == [r.hash for r in records]
    assert json.loads(rows[1]["after"])["status"] == "in_progress" and rows[1]["actor"] == MEMBER.name


def test_bad_values_are_refused_naming_the_field_and_nothing_is_written(svc):
    p = svc.add_project(STAFF, {"ky": "Жол"}, planned_start="2026-05-01")
    head = svc.ws.ledger.head(project_stream(p.id))
    cases = [dict(percent=101), dict(status="done"), dict(planned_finish="2026-04-01"), dict(actual_start="вчера"),
             dict(planned=Funding(Decimal(100), Decimal(60), Decimal(60))), dict(actual=Funding(Decimal(-5))),
             dict(titles={"ky": " "}), dict(sector="space")]
    for change in cases:
        with pytest.raises(InvalidValue) as e:
            svc.update(MEMBER, p.id, **change)
        assert e.value.problems and ": " in e.value.render("ru")
    assert svc.ws.ledger.head(project_stream(p.id)) == head


def test_a_tampered_record_is_detected_and_nothing_is_shown_from_it(svc, tmp_path):
    p = svc.add_project(STAFF, {"ky": "Жол"})
    svc.set_status(MEMBER, p.id, "in_progress", percent=10)
    assert svc.verify() == []
    sql(svc.ws, "UPDATE ledger_records SET payload = replace(payload, :a, :b) WHERE stream = :s AND seq = 2",
        a='"percent":10', b='"percent":90', s=project_stream(p.id))
    assert [(x.stream, x.seq) for x in svc.verify()] == [(project_stream(p.id), 2)]
    for read in (lambda: svc.project(p.id), svc.projects, lambda: svc.history(p.id)):
        with pytest.raises(ChainBrokenError) as e:
            read()
        assert "2" in e.value.render("ky")
    with pytest.raises(ChainBrokenError):  # nor is anything written on top of it
        svc.set_status(MEMBER, p.id, "completed")
    assert main(["verify", "--workspace", str(svc.ws.path)]) == 1


def test_a_removed_record_is_detected(svc):
    p = svc.add_project(STAFF, {"ky": "Жол"})
    svc.set_status(MEMBER, p.id, "in_progress")
    sql(svc.ws, "DELETE FROM ledger_records WHERE stream = :s AND seq = 2", s=project_stream(p.id))
    assert svc.verify() and main(["verify", "--workspace", str(svc.ws.path)]) == 1


def test_verify_covers_hearings_and_monitoring_together(closed, capsys):
    ws, hearing_id = closed
    svc = MonitoringService(ws)
    svc.from_hearing(STAFF, hearing_id)
    assert main(["verify", "--workspace", str(ws.path), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    streams = {s["stream"] for s in report["streams"]}
    assert f"hearing:{hearing_id}" in streams and any(s.startswith("monitoring:project:") for s in streams)
    sql(ws, "UPDATE ledger_records SET actor = 'someone else' WHERE stream LIKE 'monitoring:project:%' AND seq = 1")
    assert main(["verify", "--workspace", str(ws.path)]) == 1
    assert "monitoring:project:" in capsys.readouterr().err


def test_milestones_are_added_and_done_in_the_projects_history(svc):
    p = svc.add_project(STAFF, {"ky": "Мектеп"})
    m1 = svc.add_milestone(MEMBER, p.id, "Смета", "2026-05-01")
    m2 = svc.add_milestone(MEMBER, p.id, "Чатыр", "2026-08-01")
    svc.milestone_done(MEMBER, p.id, m1.id, "2026-05-03")
    got = svc.project(p.id).milestones
    assert [(m.id, m.title, m.planned, m.done) for m in got] == [(m1.id, "Смета", "2026-05-01", "2026-05-03"),
                                                                 (m2.id, "Чатыр", "2026-08-01", "")]
    assert [e.kind for e in svc.history(p.id)][-3:] == ["milestone.added", "milestone.added", "milestone.done"]
    with pytest.raises(InvalidValue):
        svc.milestone_done(MEMBER, p.id, "m9")
    with pytest.raises(InvalidValue):
        svc.add_milestone(MEMBER, p.id, "x", "someday")


def test_a_new_project_finishing_before_it_starts_is_refused(svc):
    with pytest.raises(InvalidValue) as e:
        svc.add_project(STAFF, {"ky": "Жол"}, planned_start="2026-06-01", planned_finish="2026-05-01")
    assert "Пландалган бүтүшү" in e.value.render("ky") and svc.projects() == []


def test_a_project_from_a_plan_says_so_and_needs_the_plans_item(svc):
    from pbtools.monitoring import InvalidValue
    from pbtools.monitoring.model import BY_HAND, FROM_PLAN

    p = svc.add_from_plan(MEMBER, {"ky": "Көпүрө"}, " БАП 2.3 ", village="Көк-Талаа", percent=5)
    assert (p.origin, p.plan_ref, p.village, p.percent) == (FROM_PLAN, "БАП 2.3", "Көк-Талаа", 5)
    assert svc.add_project(MEMBER, {"ky": "Жол"}, plan_ref="БАП 2.4").origin == BY_HAND
    with pytest.raises(InvalidValue) as e:
        svc.add_from_plan(MEMBER, {"ky": "Мектеп"}, "  ")
    assert "Action plan item" in e.value.render("en") and len(svc.projects()) == 2
