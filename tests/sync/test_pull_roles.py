"""Who takes which copy (`sync pull`): a monitor takes the monitoring (projects, group, acts, their photos), the
closed hearings its projects come from and the budgets, never an open hearing's draft; a facilitator takes that and
the open hearings; a trainer or an observer takes nothing, told so in one line in her language, naming her role."""

from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.model import PB_VOTE, Hearing
from pbtools.hearings.store import create_hearing, hearing_ids
from pbtools.monitoring.follow.priorities import hearing_priorities
from pbtools.monitoring.service import MonitoringService
from pbtools.reports.audit import write_audit
from pbtools.roles import NoCopy
from pbtools.storage import open_workspace
from pbtools.sync.pull import take_copy
from pbtools.sync.push import hand_in
from tests.sync.conftest import CODE
from tests.sync.test_pull_monitoring import MEDER, served, streams  # noqa: F401 (a fixture)

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")
ROOT = Path(__file__).resolve().parents[2]
DRAFT = "2026-09-01-d7e8"


@pytest.fixture
def server(central, served, laptop, tmp_path):
    """The server of ``served`` with the laptop's closed hearing handed in and handed over (its funded options are
    monitored projects), its budget, and an open hearing's draft."""
    ws, _water = served
    closed = hearing_ids(laptop)[0]
    hand_in(ws, write_audit(laptop, closed, tmp_path / "closed.jsonl"), central.actor("aida", CODE))
    assert MonitoringService(ws).from_hearing(MEDER, closed).created
    ws.save_budget(laptop.load_budget())
    create_hearing(ws, Hearing(DRAFT, ws.municipality().name("ky"), PB_VOTE, "2026-09-01", budget=Decimal(500_000)),
                   actor="aida")
    return ws, closed


def test_a_monitor_takes_the_monitoring_and_the_hearings_its_projects_come_from(central, server, tmp_path):
    ws, closed = server
    with open_workspace(tmp_path / "group") as laptop:
        copied = take_copy(ws, laptop, central.actor("meder", CODE))
        assert not copied.problems, [p.render("en") for p in copied.problems]
        assert streams(laptop) == streams(ws) and copied.files == 3
        assert copied.hearings == [closed] and R.stream_of(DRAFT) not in laptop.ledger.streams()  # not her write
        assert laptop.ledger.records(R.stream_of(closed)) == ws.ledger.records(R.stream_of(closed))
        assert laptop.municipality() == ws.municipality() and copied.budgets == 1
        # what monitoring shows from them: the projects' hearing, "did the budget follow the hearing?"
        linked = [p for p in MonitoringService(laptop).projects() if p.link]
        assert linked and {p.link.hearing_id for p in linked} == {closed}
        assert [p.key for p in hearing_priorities(laptop)] == [p.key for p in hearing_priorities(ws)] != []
        assert MonitoringService(laptop).from_hearing(MEDER, closed).created == ()  # handed over on the server already
    with open_workspace(tmp_path / "hall") as hall:  # the facilitator's: the open draft too
        copied = take_copy(ws, hall, central.actor("aida", CODE))
        assert sorted(copied.hearings) == sorted([closed, DRAFT]) and streams(hall) == streams(ws)


def test_a_trainer_or_an_observer_takes_no_copy_and_is_told_why_in_one_line(central, server, tmp_path):
    ws, _closed = server
    for user, role in (("saule", {"en": "trainer", "ru": "тренер"}), ("olga", {"en": "observer", "ru": "наблюдатель"})):
        with open_workspace(tmp_path / user) as laptop, pytest.raises(NoCopy) as refused:
            take_copy(ws, laptop, central.actor(user, CODE))
        said = {lang: refused.value.render(lang) for lang in LANGS}
        assert all(user in s for s in said.values()) and role["en"] in said["en"] and role["ru"] in said["ru"]
        assert "may not take a copy" in said["en"] and "копию" in said["ru"] and "көчүрмө" in said["ky"]
    env = {**os.environ, "PBTOOLS_CENTRAL_DIR": str(tmp_path / "central")}
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "pull", "--db", central.url, "--municipality", CODE,
                           "--workspace", str(tmp_path / "saule-cli"), "--user", "saule", "--lang", "ru"],
                          capture_output=True, text=True, cwd=ROOT, env=env)
    assert done.returncode == 2 and done.stdout == "" and not (tmp_path / "saule-cli").exists()
    assert done.stderr.strip().count("\n") == 0 and "saule (тренер)" in done.stderr, done.stderr
