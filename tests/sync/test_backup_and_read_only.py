"""The central database's backup (pg_dump) restored into an empty database verifies as before, and a restore is all
or nothing; a read-only role's database URL refuses every write in the database itself."""

from __future__ import annotations

import subprocess
import sys

import pytest
from sqlalchemy.exc import DBAPIError

from pbtools.central.backup import dump, restore
from pbtools.central.hub import spawn_environment
from pbtools.central.registry import Central, CentralError
from pbtools.hearings import records as R
from pbtools.hearings.store import hearing_ids
from pbtools.i18n import Msg, N_
from pbtools.reports.audit import write_audit
from pbtools.storage import open_workspace
from pbtools.storage.engine import normalize_url
from pbtools.sync.push import hand_in
from tests.sync.conftest import CODE

pytestmark = pytest.mark.postgres


def test_a_backup_restores_every_municipality_and_its_hearings_verify(central, laptop, pg_server, tmp_path):
    hid = hearing_ids(laptop)[0]
    stream = R.stream_of(hid)
    with central.workspace(CODE) as ws:
        hand_in(ws, write_audit(laptop, hid, tmp_path / "a.jsonl"), central.actor("aida", CODE))
        before = ws.ledger.records(stream)
    backup = tmp_path / "central.dump"
    done = subprocess.run([sys.executable, "-m", "pbtools", "central", "backup", "--db", central.url, "--out", str(backup)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    empty = pg_server.new_database()
    done = subprocess.run([sys.executable, "-m", "pbtools", "central", "restore", str(backup), "--db", empty],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    with Central(empty, tmp_path / "restored") as restored:
        assert restored.codes() == central.codes() and restored.grants() == central.grants()
        with restored.workspace(CODE) as ws:
            assert ws.ledger.records(stream) == before and ws.ledger.verify(stream) == []
            assert write_audit(ws, hid, tmp_path / "b.jsonl").read_text() == (tmp_path / "a.jsonl").read_text()
    # restoring into a database that holds its schemas already is refused and says so
    done = subprocess.run([sys.executable, "-m", "pbtools", "central", "restore", str(backup), "--db", empty],
                          capture_output=True, text=True)
    assert done.returncode == 2 and "Nothing was restored" in done.stderr


def schemas(url: str) -> set[str]:
    from sqlalchemy import create_engine, text

    engine = create_engine(normalize_url(url))
    try:
        with engine.connect() as conn:
            return {r[0] for r in conn.execute(text("SELECT schema_name FROM information_schema.schemata"))}
    finally:
        engine.dispose()


def test_a_restore_is_all_or_nothing(central, pg_server, tmp_path):
    """s23 F15: all.dump restored into a database holding m_kara_too stopped at the clash but left what it had made
    before it (an empty m_ak_suu): now refused before anything is made, in the user's language."""
    from sqlalchemy import create_engine, text

    backup = dump(central.url, tmp_path / "all.dump")
    target = pg_server.new_database()
    engine = create_engine(normalize_url(target))
    with engine.begin() as conn:
        conn.execute(text("CREATE SCHEMA m_kara_too"))
    engine.dispose()
    before = schemas(target)
    with pytest.raises(CentralError) as refused:
        restore(backup, target)
    assert schemas(target) == before  # no m_ak_suu, no pbtools_central
    said = Msg(N_("The database already holds {schemas}: a backup is restored only into a database without them. "
                  "Nothing was restored."), schemas="m_kara_too")
    assert refused.value.message == said and said.render("ky") != said.render("en")
    # and into an empty one, all of it
    empty = pg_server.new_database()
    restore(backup, empty)
    assert {"pbtools_central", "m_ak_suu", "m_kara_too"} <= schemas(empty)


def test_the_observers_database_refuses_writes_the_facilitators_does_not(central, tmp_path):
    observer = spawn_environment(central, "olga", CODE)
    facilitator = spawn_environment(central, "aida", CODE)
    assert observer["PBTOOLS_ROLE"] == "observer" and "read_only" in observer["PBTOOLS_DB"]
    assert "read_only" not in facilitator["PBTOOLS_DB"]
    with open_workspace(tmp_path / "o", db_url=observer["PBTOOLS_DB"], create=False) as ws:
        assert ws.municipality() is not None  # it reads
        with pytest.raises(DBAPIError, match="read-only"):
            ws.ledger.append("hearing:x", "note", {}, actor="olga")
        with pytest.raises(DBAPIError, match="read-only"):
            ws.set_setting("lang", "ru")
    with open_workspace(tmp_path / "f", db_url=facilitator["PBTOOLS_DB"], create=False) as ws:
        ws.ledger.append("hearing:x", "note", {}, actor="aida")
        assert ws.ledger.head("hearing:x") == 1
