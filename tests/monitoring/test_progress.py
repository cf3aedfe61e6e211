"""A project's progress as a monitoring group records it (``pbtools.monitoring.progress``): the day a status was seen,
the actual start and finish, never a day still to come, statuses in order, and "completed" meaning 100 %."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from pbtools import fmt
from pbtools.dates import shown_day
from pbtools.monitoring import COMPLETED, Funding, InvalidValue
from tests.monitoring.conftest import MEMBER, STAFF

AHEAD = (date.today() + timedelta(days=40)).isoformat()  # a day still to come, whatever the clock says


@pytest.fixture
def project(svc):
    p = svc.add_project(STAFF, {"ru": "Водопровод"}, planned=Funding(Decimal(2400000)), planned_start="2026-05-01")
    return svc.set_status(MEMBER, p.id, "in_progress", reason="Начали", percent=10, on="2026-06-01")


def test_a_status_is_dated_the_day_it_was_seen_and_starts_and_finishes_follow_it(svc, project):
    assert project.status_date == "2026-06-01" and project.actual_start == "2026-06-01"  # started the day it was seen
    stalled = svc.set_status(MEMBER, project.id, "stalled", reason="Нет труб", on="2026-11-20")
    assert (stalled.status_date, stalled.statuses[-1].date, stalled.actual_finish) == ("2026-11-20", "2026-11-20", "")
    done = svc.set_status(MEMBER, project.id, COMPLETED, reason="Приняли", percent=100, on="2026-11-28")
    assert (done.actual_start, done.actual_finish) == ("2026-06-01", "2026-11-28")  # the start kept, the finish that day
    typed = svc.set_status(MEMBER, project.id, COMPLETED, actual_start="2026-05-20", actual_finish="2026-11-25")
    assert (typed.actual_start, typed.actual_finish, typed.status_date) == ("2026-05-20", "2026-11-25", "2026-11-28")


@pytest.mark.parametrize("changes, field", [
    (dict(status="stalled", on=AHEAD), {"en": "Date of the status", "ru": "Дата статуса"}),
    (dict(status="in_progress", actual_start=AHEAD), {"en": "Actual start", "ru": "Фактическое начало"}),
    (dict(status="in_progress", actual_finish=AHEAD), {"en": "Actual finish", "ru": "Фактическое окончание"}),
])
def test_a_day_still_to_come_is_refused_by_name(svc, project, changes, field):
    head = svc.project(project.id).seq
    with pytest.raises(InvalidValue) as refused:
        svc.set_status(MEMBER, project.id, changes.pop("status"), reason="Проверка", **changes)
    for lang in ("en", "ru"):  # the day as the screen writes days
        assert field[lang] in refused.value.render(lang) and shown_day(AHEAD, lang) in refused.value.render(lang)
    assert "future" in refused.value.render("en") and "будущ" in refused.value.render("ru") and refused.value.render("ky")
    assert svc.project(project.id).seq == head


def test_a_status_change_is_not_dated_before_the_one_it_follows(svc, project):
    with pytest.raises(InvalidValue) as refused:
        svc.set_status(MEMBER, project.id, "stalled", reason="Нет труб", on="2026-05-15")
    assert "15.05.2026" in refused.value.render("ru") and "01.06.2026" in refused.value.render("ru")
    assert svc.project(project.id).status == "in_progress"


def test_completed_means_100_percent(svc, project):
    for percent in (80, None):  # typed 80, or left at 10
        with pytest.raises(InvalidValue) as refused:
            svc.set_status(MEMBER, project.id, COMPLETED, reason="Приняли", percent=percent, on="2026-11-28")
        shown = Decimal(percent or 10) / 100  # written as every percentage is (pbtools.fmt): "80%", "80 %"
        assert f"not {fmt.percent(shown, 'en', 0)}" in refused.value.render("en")
        assert f"не на {fmt.percent(shown, 'ru', 0)}" in refused.value.render("ru")
        assert "Аткарылууда" in refused.value.render("ky")
    assert svc.project(project.id).status == "in_progress"
    done = svc.set_status(MEMBER, project.id, COMPLETED, reason="Приняли", percent=100, on="2026-11-28")
    with pytest.raises(InvalidValue):  # nor lowered once completed
        svc.set_status(MEMBER, project.id, COMPLETED, percent=90)
    assert svc.project(project.id).percent == done.percent == 100


def test_a_save_reads_the_project_once(svc, project, monkeypatch):
    """A status save read the project's records 3 times (4 from a form loaded before another member's save): to
    build the change, to check it, and to return what was stored. Each read verifies the whole chain, so a project
    with a long history cost as much again each time. Now the one read gives all three; what it returns is what the
    ledger holds."""
    stream = f"monitoring:project:{project.id}"
    reads = {"records": 0, "verify": 0}
    for name in reads:
        real = getattr(svc.ws.ledger, name)

        def counted(s, *args, _real=real, _name=name, **kw):
            reads[_name] += s == stream
            return _real(s, *args, **kw)

        monkeypatch.setattr(svc.ws.ledger, name, counted)
    loaded = project.seq
    svc.update(STAFF, project.id, contractor="ОсОО Курулуш")  # another member's save since the form was loaded
    reads.update(records=0, verify=0)
    saved = svc.set_status(MEMBER, project.id, "in_progress", reason="Трубы уложены", percent=40, on="2026-07-01",
                           actual_cost=Decimal(300000), based_on=loaded)
    assert reads == {"records": 1, "verify": 1}
    monkeypatch.undo()
    assert saved == svc.project(project.id) and (saved.percent, saved.contractor, saved.actual.total) == (40, "ОсОО Курулуш", 300000)
