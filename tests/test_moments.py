"""Stored moments (UTC) shown in the workspace's time zone, else the machine's, saying the zone (pbtools.moments)."""

from __future__ import annotations

import time
from datetime import datetime, timezone

import pytest

from pbtools.moments import ZONE_SETTING, Moment, local_moment, moment_text, zone_label, zone_named
from pbtools.storage import open_workspace

STORED = datetime(2026, 12, 7, 9, 38, tzinfo=timezone.utc)  # the trial's conflict, 15:38 in Bishkek


@pytest.fixture
def machine_zone(monkeypatch):
    """The machine's own zone, as a laptop's clock is set (TZ), for one test."""
    def set_zone(name: str) -> None:
        monkeypatch.setenv("TZ", name)
        time.tzset()

    yield set_zone
    monkeypatch.undo()
    time.tzset()


def test_a_stored_moment_is_shown_in_the_zone_asked_and_says_it():
    bishkek = zone_named("Asia/Bishkek")
    assert local_moment(STORED, bishkek).strftime("%Y-%m-%d %H:%M") == "2026-12-07 15:38"
    assert moment_text(STORED, bishkek) == "2026-12-07 15:38 (UTC+6)"
    assert moment_text(STORED.replace(tzinfo=None), bishkek) == "2026-12-07 15:38 (UTC+6)"  # as SQLite gives it back
    assert moment_text(STORED, zone_named("Asia/Kolkata")) == "2026-12-07 15:08 (UTC+5:30)"
    assert moment_text(STORED, zone_named("America/Sao_Paulo")) == "2026-12-07 06:38 (UTC-3)"
    assert moment_text(STORED, zone_named("UTC")) == "2026-12-07 09:38 (UTC)"
    assert Moment(STORED, bishkek).render("ru") == "07.12.2026 15:38 (UTC+6)"  # its day as a Russian screen writes it
    assert Moment(STORED, bishkek).render("en") == "2026-12-07 15:38 (UTC+6)"


def test_without_a_zone_the_machines_own_is_used(machine_zone):
    machine_zone("Asia/Bishkek")
    assert moment_text(STORED) == "2026-12-07 15:38 (UTC+6)"
    machine_zone("UTC")
    assert moment_text(STORED) == "2026-12-07 09:38 (UTC)"


@pytest.mark.parametrize("name", [None, "", "  ", "Asia/Bishkk", "../../etc/passwd", 6])
def test_what_is_no_zone_name_gives_none(name):
    assert zone_named(name) is None


def test_the_workspace_setting_names_the_zone(tmp_path, machine_zone):
    machine_zone("UTC")  # a central server often runs in UTC
    with open_workspace(tmp_path / "ws") as ws:
        assert ws.time_zone() is None and moment_text(STORED, ws.time_zone()) == "2026-12-07 09:38 (UTC)"
        ws.set_setting(ZONE_SETTING, "Asia/Bishkek")
        assert moment_text(STORED, ws.time_zone()) == "2026-12-07 15:38 (UTC+6)"
        assert zone_label(local_moment(STORED, ws.time_zone())) == "UTC+6"
