"""A copy (`sync pull`) is written whole or not at all: a record changed on the server refused it only after the
municipality, the budgets and the hearings before it were written to the laptop (s27 note). Now everything is read
and checked first, then written in one transaction of the laptop's workspace; the refusal names what changed, in
the user's language. The second writers here are real: another connection to the server's database, another
workspace open on the laptop's folder."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import text

from pbtools.hearings import records as R
from pbtools.hearings.model import PB_VOTE, Hearing
from pbtools.hearings.store import create_hearing
from pbtools.monitoring import records as M
from pbtools.monitoring.service import MonitoringService
from pbtools.roles import LOCAL
from pbtools.storage import open_workspace
from pbtools.storage.chain import check_chain
from pbtools.sync.pull import PullRefused, check_copy, take_copy, write_copy
from tests.sync.conftest import CODE
from tests.sync.test_pull_monitoring import served, streams  # noqa: F401 (a fixture)

pytestmark = pytest.mark.postgres
LANGS = ("ky", "ru", "en")
FIRST, LAST = "2026-09-01-a1a1", "2026-09-02-b2b2"


@pytest.fixture
def server(central, served, laptop):
    """The server of ``served`` with a budget and two open hearings' drafts."""
    ws, _water = served
    ws.save_budget(laptop.load_budget())
    for hid, day in ((FIRST, "2026-09-01"), (LAST, "2026-09-02")):
        create_hearing(ws, Hearing(hid, ws.municipality().name("ky"), PB_VOTE, day, budget=Decimal(500_000)), actor="aida")
    return ws


def second_writer(central, statement: str, **params) -> None:
    """Another connection to the server's database changes it (what pbtools never does: a record is never edited)."""
    with central.workspace(CODE) as other, other.engine.begin() as conn:
        conn.execute(text(statement), params)


def change(central, stream: str, seq: int = 1) -> None:
    second_writer(central, "UPDATE ledger_records SET actor = 'someone else' WHERE stream = :s AND seq = :n",
                  s=stream, n=seq)


def nothing_on(laptop) -> None:
    assert laptop.ledger.streams() == [] and laptop.municipality() is None and laptop.list_budgets() == []


def test_a_record_changed_on_the_server_refuses_the_whole_copy(central, server, tmp_path):
    change(central, M.project_stream(MonitoringService(server).projects()[0].id))  # checked after the hearings
    with open_workspace(tmp_path / "hall") as laptop:
        with pytest.raises(PullRefused) as refused:
            take_copy(server, laptop, central.actor("aida", CODE))
        nothing_on(laptop)  # was: the municipality, the budget, both hearings, the acts and the group written
        said = {lang: refused.value.message.render(lang) for lang in LANGS}
        assert all("monitoring:project:" in s and " 1" in s for s in said.values()), said
        assert "Nothing was copied" in said["en"] and "Ничего не скопировано" in said["ru"]
        assert "Эч нерсе көчүрүлгөн жок" in said["ky"] and "администратору" in said["ru"]


def test_a_refused_pull_from_the_command_leaves_no_workspace_behind(central, server, tmp_path):
    import os
    import subprocess
    import sys

    change(central, R.stream_of(FIRST))
    env = {**os.environ, "PBTOOLS_CENTRAL_DIR": str(tmp_path / "central")}
    done = subprocess.run([sys.executable, "-m", "pbtools", "sync", "pull", "--db", central.url, "--municipality", CODE,
                           "--workspace", str(tmp_path / "hall"), "--user", "aida", "--lang", "ru"],
                          capture_output=True, text=True, env=env, cwd=Path(__file__).resolve().parents[2])
    assert done.returncode == 2 and "Ничего не скопировано" in done.stderr, done.stderr
    assert not (tmp_path / "hall").exists()  # was: an empty workspace, which a second pull then filled as a fresh one


def test_a_server_changed_between_the_check_and_the_write_never_reaches_the_laptop(central, server, tmp_path):
    with open_workspace(tmp_path / "hall") as laptop:
        plan = check_copy(server, laptop, central.actor("aida", CODE))
        photo = list(plan.files.values())[-1].attachment  # the files before it were read and found right
        where = Path(server.path) / photo.stored
        kept = where.read_bytes()
        where.write_bytes(b"not the photo")  # replaced on the server's disk after the check
        with pytest.raises(PullRefused) as refused:
            write_copy(laptop, plan)
        nothing_on(laptop)
        assert [f for f in Path(laptop.path).rglob("monitoring-files/**/*") if f.is_file()] == []  # none kept either
        said = {lang: refused.value.message.render(lang) for lang in LANGS}
        assert all(photo.name in s for s in said.values()) and "изменён или удалён" in said["ru"]
        assert "өзгөртүлгөн же өчүрүлгөн" in said["ky"] and "changed or removed on the server" in said["en"]
        where.write_bytes(kept)
        # a record edited on the server after the check: the laptop gets the records as they were checked
        plan = check_copy(server, laptop, central.actor("aida", CODE))
        checked = plan.batches[R.stream_of(LAST)]
        change(central, R.stream_of(LAST))
        write_copy(laptop, plan)
        assert laptop.ledger.records(R.stream_of(LAST)) == checked and checked[0].actor == "aida"
        check_chain(laptop.ledger, R.stream_of(LAST))
        assert streams(laptop) == streams(server)
    with open_workspace(tmp_path / "later") as later:  # the next copy sees the change and takes nothing
        with pytest.raises(PullRefused) as refused:
            take_copy(server, later, central.actor("aida", CODE))
        nothing_on(later)
        assert R.stream_of(LAST) in refused.value.message.render("en")


def test_a_laptop_written_to_between_the_check_and_the_write_gets_nothing(central, server, tmp_path):
    with open_workspace(tmp_path / "hall") as laptop:
        plan = check_copy(server, laptop, central.actor("aida", CODE))
        with open_workspace(tmp_path / "hall") as other:  # an app open on the same folder adds a group member
            MonitoringService(other).add_member(LOCAL, "Асель Ж.", "monitor")
            own = other.ledger.records(M.GROUP)
        with pytest.raises(PullRefused) as refused:
            write_copy(laptop, plan)
        assert laptop.ledger.streams() == [M.GROUP] and laptop.ledger.records(M.GROUP) == own
        assert laptop.municipality() is None and laptop.list_budgets() == []
        said = {lang: refused.value.message.render(lang) for lang in LANGS}
        assert all(M.GROUP in s for s in said.values()) and "take the copy again" in said["en"]
        assert "рабочую папку" in said["ru"] and "иш папкасына" in said["ky"]


@pytest.mark.parametrize("stream", ["hearing", "project"])
def test_a_record_the_laptop_already_holds_changed_on_the_server_refuses_the_next_copy(central, server, tmp_path, stream):
    """Nothing new to copy from that stream: it is verified all the same (a laptop would carry on from a record the
    server no longer holds as made)."""
    name = R.stream_of(FIRST) if stream == "hearing" else M.project_stream(MonitoringService(server).projects()[0].id)
    with open_workspace(tmp_path / "hall") as laptop:
        take_copy(server, laptop, central.actor("aida", CODE))
        before = {s: laptop.ledger.head(s) for s in laptop.ledger.streams()}
        change(central, name)
        with pytest.raises(PullRefused) as refused:
            take_copy(server, laptop, central.actor("aida", CODE))
        assert name in refused.value.message.render("en")
        assert {s: laptop.ledger.head(s) for s in laptop.ledger.streams()} == before
