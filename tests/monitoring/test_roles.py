"""Who may write: a monitoring group member writes projects' progress and acts, never hearings; an observer writes
nothing. Refusals are typed (``NotAllowed``) and said in ky/ru/en."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.records import stream_of
from pbtools.monitoring import MonitoringService
from pbtools.monitoring.demo_year import draw_photo
from pbtools.roles import HEARING, MONITORING, NotAllowed
from tests.monitoring.conftest import MEMBER, STAFF, WATCHER


def test_an_observer_writes_no_monitoring_and_nothing_is_stored(closed, tmp_path):
    ws, hearing_id = closed
    svc = MonitoringService(ws)
    p = svc.add_project(STAFF, {"ky": "Жол"})
    g = svc.add_member(STAFF, "Айгүл")
    act = svc.file_act(MEMBER, p.id, date="2026-06-01", members=[g.id], findings="ok")
    (tmp_path / "plan.csv").write_text("Аталышы;Наркы\nКөпүрө;100\n", encoding="utf-8")
    photo = draw_photo(tmp_path / "a.jpg", 1)
    heads = {s: ws.ledger.head(s) for s in ws.ledger.streams()}
    writes = [
        lambda: svc.from_hearing(WATCHER, hearing_id),
        lambda: svc.add_project(WATCHER, {"ky": "x"}),
        lambda: svc.add_from_plan(WATCHER, {"ky": "x"}, "БАП 1.1"),
        lambda: svc.import_plan(WATCHER, tmp_path / "plan.csv"),
        lambda: svc.update(WATCHER, p.id, contractor="x"),
        lambda: svc.set_status(WATCHER, p.id, "completed", percent=100, actual_cost=Decimal(5)),
        lambda: svc.add_milestone(WATCHER, p.id, "m"),
        lambda: svc.milestone_done(WATCHER, p.id, "m1"),
        lambda: svc.add_file(WATCHER, p.id, photo),
        lambda: svc.add_member(WATCHER, "x"),
        lambda: svc.remove_member(WATCHER, g.id),
        lambda: svc.file_act(WATCHER, p.id, date="2026-06-01", members=[g.id], findings="x"),
        lambda: svc.record_response(WATCHER, act.id, "x"),
    ]
    for write in writes:
        with pytest.raises(NotAllowed) as e:
            write()
        assert e.value.write == MONITORING
        assert "Сабина" in e.value.render("ru") and "байкоочу" in e.value.render("ky")
    assert {s: ws.ledger.head(s) for s in ws.ledger.streams()} == heads
    assert not (ws.path / "monitoring-files").exists()  # not even the photo's file


def test_a_member_writes_progress_and_acts(svc, tmp_path):
    p = svc.add_project(MEMBER, {"ky": "Жол"})
    svc.set_status(MEMBER, p.id, "in_progress", percent=40, reason="башталды")
    svc.add_file(MEMBER, p.id, draw_photo(tmp_path / "a.jpg", 1))
    g = svc.add_member(MEMBER, "Айгүл")
    act = svc.file_act(MEMBER, p.id, date="2026-06-01", members=[g.id], findings="ok")
    assert svc.project(p.id).percent == 40 and svc.act(act.id).filed_by == MEMBER.name


def test_a_member_cannot_write_hearings_through_monitoring(closed):
    """The service never writes a hearing's stream: a handover by a member reads the closed hearing and writes
    only monitoring streams; the hearing write itself is refused to the member's role."""
    ws, hearing_id = closed
    before = ws.ledger.records(stream_of(hearing_id))
    MonitoringService(ws).from_hearing(MEMBER, hearing_id)
    assert ws.ledger.records(stream_of(hearing_id)) == before
    with pytest.raises(NotAllowed) as e:
        MEMBER.require(HEARING)
    assert e.value.write == HEARING
    written = {s for s in ws.ledger.streams() if ws.ledger.records(s)[-1].actor == MEMBER.name}
    assert written and all(s.startswith("monitoring:") for s in written)
