"""Two members of the group with one project open, each in a session of their own (the workspace opened twice, as two
kernels do): a save carries the record its form was loaded at, writes only what that member changed, and is
refused, naming who changed what and when, rather than silently undoing the other member's change."""

from __future__ import annotations

from contextlib import contextmanager
from decimal import Decimal

import pytest

from pbtools import fmt
from pbtools.monitoring import Funding, MonitoringService
from pbtools.monitoring.meanwhile import ChangedMeanwhile
from pbtools.roles import MONITOR, Actor
from pbtools.storage import open_workspace

AIGUL = Actor("Айгүл Сыдыкова", MONITOR)
CHYNARA = Actor("Чынара Абдыкадырова", MONITOR)


@contextmanager
def two_sessions(folder, db_url=None):
    with open_workspace(folder, db_url=db_url) as a, open_workspace(folder, db_url=db_url) as b:
        assert a.engine is not b.engine
        yield MonitoringService(a), MonitoringService(b)


def stalled_project(svc):
    p = svc.add_project(AIGUL, {"ru": "Уличное освещение в Кок-Талаа"}, planned=Funding(Decimal(480000)))
    return svc.set_status(AIGUL, p.id, "stalled", reason="Нет опор", percent=20, on="2026-11-01")


def test_a_stale_form_that_changed_only_the_percent_keeps_the_other_members_status(tmp_path):
    """The trial's steps: B sets the status; A, whose page still shows the old status, changes only the percent."""
    with two_sessions(tmp_path / "ws") as (a, b):
        seen_by_a = stalled_project(a)
        b.set_status(CHYNARA, seen_by_a.id, "in_progress", reason="Подрядчик вернулся на объект", percent=20,
                     based_on=b.project(seen_by_a.id).seq)
        # A's form sends what it shows: the old status, the new percent
        saved = a.set_status(AIGUL, seen_by_a.id, seen_by_a.status, reason="Проверили опоры", percent=40,
                             on="2026-12-07", based_on=seen_by_a.seq)
        assert (saved.status, saved.status_reason, saved.percent) == ("in_progress", "Подрядчик вернулся на объект", 40)
        last = a.history(seen_by_a.id)[-1]
        assert (last.actor, dict(last.before), dict(last.after), last.reason) == (AIGUL.name, {"percent": 20}, {"percent": 40},
                                                                                 "Проверили опоры")
        assert [s.actor for s in saved.statuses][-1] == CHYNARA.name


@pytest.mark.parametrize("db", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def test_a_save_over_a_field_another_member_changed_is_refused_naming_who_what_and_when(db, request, tmp_path):
    db_url = request.getfixturevalue("pg_url") if db == "postgresql" else None
    with two_sessions(tmp_path / "ws", db_url) as (a, b):
        seen_by_a = stalled_project(a)
        b.set_status(CHYNARA, seen_by_a.id, "in_progress", reason="Подрядчик вернулся на объект", based_on=seen_by_a.seq)
        head = a.project(seen_by_a.id).seq
        for status, percent in (("completed", 100), ("cancelled", 20)):  # A sets the status too
            with pytest.raises(ChangedMeanwhile) as refused:
                a.set_status(AIGUL, seen_by_a.id, status, reason="Проверили", percent=percent, based_on=seen_by_a.seq)
            said = {lang: refused.value.render(lang) for lang in ("ky", "ru", "en")}
            assert all(CHYNARA.name in text for text in said.values())
            assert "Приостановлен → Выполняется" in said["ru"] and "Stalled → In progress" in said["en"]
            assert "Токтоп турат → Аткарылууда" in said["ky"]
            assert "форма" in said["ru"] and "form now shows the current values" in said["en"]
            assert a.project(seen_by_a.id).seq == head  # nothing written
        # the percent B never touched is A's to change, even from the old page
        assert a.set_status(AIGUL, seen_by_a.id, "stalled", percent=40, based_on=seen_by_a.seq).percent == 40
        # both changed the percent: the second is refused, the first kept
        b_seen = b.project(seen_by_a.id)
        a.update(AIGUL, seen_by_a.id, percent=45, based_on=b_seen.seq)
        with pytest.raises(ChangedMeanwhile) as refused:
            b.set_status(CHYNARA, seen_by_a.id, b_seen.status, percent=50, based_on=b_seen.seq)
        assert f"{fmt.percent(Decimal('0.4'), 'ru', 0)} → {fmt.percent(Decimal('0.45'), 'ru', 0)}" in refused.value.render("ru") and b.project(seen_by_a.id).percent == 45


def test_a_photo_or_milestone_added_meanwhile_does_not_stop_a_save(tmp_path):
    from pbtools.monitoring.demo_year import draw_photo

    with two_sessions(tmp_path / "ws") as (a, b):
        seen = stalled_project(a)
        b.add_file(CHYNARA, seen.id, draw_photo(tmp_path / "site.jpg", 1))
        b.add_milestone(CHYNARA, seen.id, "Опоры", "2026-12-20")
        saved = a.set_status(AIGUL, seen.id, "in_progress", reason="Опоры привезли", percent=30, based_on=seen.seq)
        assert (saved.status, saved.percent, len(saved.photos), len(saved.milestones)) == ("in_progress", 30, 1, 1)


def test_a_record_written_between_the_check_and_the_write_is_seen(tmp_path):
    """The check and the write are one step: another member's status lands after A's save read the project but
    before it wrote; A's save is then checked again and refused, never written over it."""
    with two_sessions(tmp_path / "ws") as (a, b):
        seen = stalled_project(a)
        ledger = a.ws.ledger
        append_many = ledger.append_many

        def b_first(*args, **kwargs):  # B's save commits just before A's write reaches the database
            ledger.append_many = append_many
            b.set_status(CHYNARA, seen.id, "cancelled", reason="Финансирование снято", based_on=seen.seq)
            return append_many(*args, **kwargs)

        ledger.append_many = b_first
        with pytest.raises(ChangedMeanwhile):
            a.set_status(AIGUL, seen.id, "completed", reason="Приняли", percent=100, based_on=seen.seq)
        now = a.project(seen.id)
        assert (now.status, now.percent) == ("cancelled", 20) and a.history(seen.id)[-1].actor == CHYNARA.name


def test_the_refusal_says_when_in_the_workspaces_time_zone_naming_it(tmp_path):
    """The trial: «… изменил(а) этот проект в 2026-12-07 09:38 (UTC)» read six hours off in Kyrgyzstan (UTC+6)."""
    from datetime import timedelta, timezone

    from pbtools.moments import ZONE_SETTING

    with two_sessions(tmp_path / "ws") as (a, b):
        a.ws.set_setting(ZONE_SETTING, "Asia/Bishkek")
        seen_by_a = stalled_project(a)
        b.set_status(CHYNARA, seen_by_a.id, "in_progress", reason="Подрядчик вернулся на объект", based_on=seen_by_a.seq)
        at = b.history(seen_by_a.id)[-1].at
        in_bishkek = at.astimezone(timezone.utc).replace(tzinfo=None) + timedelta(hours=6)
        with pytest.raises(ChangedMeanwhile) as refused:
            a.set_status(AIGUL, seen_by_a.id, "cancelled", reason="Проверили", based_on=seen_by_a.seq)
        for lang in ("ky", "ru", "en"):
            said = refused.value.render(lang)
            day = {"en": f"{in_bishkek:%Y-%m-%d}"}.get(lang, f"{in_bishkek:%d.%m.%Y}")  # as the screen writes days
            assert f"{day} {in_bishkek:%H:%M} (UTC+6)" in said and "(UTC)" not in said, said


def test_the_refusal_lists_changed_days_as_the_screen_writes_them(tmp_path):
    """The trial: «Абалынын күнү: 2026-11-01 → 2026-12-07» on a Kyrgyz screen that writes every other day 07.12.2026."""
    with two_sessions(tmp_path / "ws") as (a, b):
        seen_by_a = stalled_project(a)  # its status of 2026-11-01
        b.set_status(CHYNARA, seen_by_a.id, "in_progress", reason="Подрядчик вернулся на объект", on="2026-11-20",
                     actual_start="2026-11-20", based_on=seen_by_a.seq)
        with pytest.raises(ChangedMeanwhile) as refused:
            a.set_status(AIGUL, seen_by_a.id, "cancelled", reason="Проверили", on="2026-11-25", actual_start="2026-11-10",
                         based_on=seen_by_a.seq)
        said = {lang: refused.value.render(lang) for lang in ("ky", "ru", "en")}
        assert "Абалынын күнү: 01.11.2026 → 20.11.2026" in said["ky"] and "01.11.2026 → 20.11.2026" in said["ru"]
        assert "— → 20.11.2026" in said["ru"]  # the actual start B typed, none before
        assert "2026-11-01 → 2026-11-20" in said["en"]
        assert "2026-" not in said["ky"] + said["ru"]
