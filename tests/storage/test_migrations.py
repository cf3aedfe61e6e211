"""Creating, upgrading and refusing databases by schema version."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest
from sqlalchemy import create_engine, inspect, text

from pbtools.budget.model import REVENUE, Budget, BudgetLine
from pbtools.storage import WorkspaceError, open_workspace, save_db_url
from pbtools.storage.engine import normalize_url, sqlite_url
from pbtools.storage.record import record_hash
from pbtools.storage.migrations import read_version
from pbtools.storage.schema import SCHEMA_VERSION, metadata

from tests.fixtures.postgres import free_port
from tests.storage.test_processes import ROOT

# Version 1 as the first pbtools with a ledger wrote it (the same text on SQLite and PostgreSQL).
V1 = [
    "CREATE TABLE pbtools_meta (key VARCHAR NOT NULL PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE ledger_streams (name VARCHAR NOT NULL PRIMARY KEY, head_seq INTEGER NOT NULL, "
    "head_hash VARCHAR NOT NULL, sealed_seq INTEGER)",
    "CREATE TABLE ledger_records (stream VARCHAR NOT NULL, seq INTEGER NOT NULL, kind VARCHAR NOT NULL, "
    "payload TEXT NOT NULL, actor VARCHAR NOT NULL, created_at VARCHAR NOT NULL, key VARCHAR, voids INTEGER, "
    "reason TEXT NOT NULL, prev_hash VARCHAR NOT NULL, hash VARCHAR NOT NULL, PRIMARY KEY (stream, seq), "
    "CONSTRAINT fk_ledger_records_stream FOREIGN KEY (stream) REFERENCES ledger_streams (name), "
    "CONSTRAINT fk_ledger_records_voids FOREIGN KEY (stream, voids) REFERENCES ledger_records (stream, seq), "
    "CONSTRAINT uq_ledger_records_key UNIQUE (stream, key), CONSTRAINT uq_ledger_records_voids UNIQUE (stream, voids))",
    "INSERT INTO pbtools_meta (key, value) VALUES ('schema_version', '1')",
]


def raw_engine(target):
    if target.db_url is None:
        target.folder.mkdir(parents=True, exist_ok=True)
        return create_engine(sqlite_url(target.folder))
    return create_engine(normalize_url(target.db_url))


def run_sql(target, statements, params=()):
    engine = raw_engine(target)
    with engine.begin() as conn:
        for statement in statements:
            conn.exec_driver_sql(statement, *params)
    engine.dispose()


def structure(target):
    """Tables, columns, keys and constraints as the database reports them (order-free)."""
    engine = raw_engine(target)
    with engine.connect() as conn:
        i = inspect(conn)
        result = {
            t: (sorted((c["name"], str(c["type"]), c["nullable"]) for c in i.get_columns(t)),
                sorted(i.get_pk_constraint(t)["constrained_columns"]),
                sorted((tuple(u["column_names"])) for u in i.get_unique_constraints(t)),
                sorted((tuple(f["constrained_columns"]), f["referred_table"], tuple(f["referred_columns"]))
                       for f in i.get_foreign_keys(t)))
            for t in i.get_table_names()
        }
    engine.dispose()
    return result


def version(target):
    engine = raw_engine(target)
    with engine.connect() as conn:
        found = read_version(conn, "test")
    engine.dispose()
    return found


def test_a_new_workspace_has_every_table_at_the_current_version(target):
    with target.open():
        pass
    assert version(target) == SCHEMA_VERSION
    assert set(structure(target)) == set(metadata.tables)


def test_version_1_is_upgraded_and_its_ledger_kept(target, tmp_path, request):
    run_sql(target, V1)
    created, prev, rows = "2025-05-01T09:00:00.000001Z", "", []
    for seq in (1, 2, 3):
        payload = {"ballot": seq, "name": "Бүбүсара"}
        voids = 1 if seq == 3 else None
        h = record_hash("hearing:old", seq, "ballot.cast", payload, "clerk", created, f"k{seq}", voids, "", prev)
        rows.append(("hearing:old", seq, "ballot.cast", json.dumps(payload, ensure_ascii=False), "clerk", created,
                     f"k{seq}", voids, "", prev, h))
        prev = h
    names = ("stream", "seq", "kind", "payload", "actor", "created_at", "key", "voids", "reason", "prev_hash", "hash")
    engine = raw_engine(target)
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO ledger_streams (name, head_seq, head_hash) VALUES ('hearing:old', 3, :h)"), {"h": prev})
        conn.execute(text(f"INSERT INTO ledger_records ({', '.join(names)}) VALUES ({', '.join(':' + n for n in names)})"),
                     [dict(zip(names, row)) for row in rows])
    engine.dispose()

    with target.open(create=False) as ws:  # upgrading is not creating: allowed with create=False
        assert version(target) == SCHEMA_VERSION
        records = ws.ledger.records("hearing:old")
        assert [(r.seq, r.payload, r.key, r.voids, r.hash) for r in records] == \
               [(seq, json.loads(row[3]), row[6], row[7], row[10]) for seq, row in zip((1, 2, 3), rows)]
        assert ws.ledger.verify("hearing:old") == []
        assert ws.ledger.append("hearing:old", "ballot.cast", {}, key="k4").prev_hash == prev
        line = BudgetLine(REVENUE, "1121", {"ky": "Жер салыгы"}, "own", {2026: Decimal("10.10")})
        assert ws.load_budget(ws.save_budget(Budget(2026, (line,)))).lines == (line,)
    fresh = type(target)(tmp_path / "fresh", request.getfixturevalue("pg_fresh_url") if target.db_url else None)
    with fresh.open():
        pass
    assert structure(target) == structure(fresh)  # the upgraded database is built like a new one


def test_a_newer_database_is_refused_and_left_unchanged(target):
    with target.open() as ws:
        ws.ledger.append("s", "k", {"a": 1})
    newer = SCHEMA_VERSION + 1
    run_sql(target, [f"UPDATE pbtools_meta SET value = '{newer}' WHERE key = 'schema_version'"])
    before = structure(target)
    for create in (True, False):
        with pytest.raises(WorkspaceError) as e:
            target.open(create=create)
        assert str(newer) in e.value.render("ky") and str(SCHEMA_VERSION) in e.value.render("ru")
    assert version(target) == newer and structure(target) == before


def test_a_database_with_pbtools_tables_but_no_version_is_refused(target):
    run_sql(target, V1[1:2])
    with pytest.raises(WorkspaceError, match="ledger_streams"):
        target.open()
    assert set(structure(target)) == {"ledger_streams"}


def test_no_workspace_is_created_when_create_is_false(target):
    with pytest.raises(WorkspaceError) as e:
        target.open(create=False)
    assert e.value.render("ky") != e.value.render("en")
    if target.db_url is None:
        assert not target.folder.exists()
    else:
        assert structure(target) == {}


def test_several_processes_create_one_workspace_at_once(target):
    procs = [subprocess.Popen([sys.executable, "-m", "tests.storage.appender", str(target.folder), target.arg, "s",
                               str(w), "5", "0"], cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for w in range(4)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode == 0, err
    with target.open(create=False) as ws:
        assert ws.ledger.head("s") == 20 and ws.ledger.verify("s") == []
    assert version(target) == SCHEMA_VERSION


def test_the_folder_can_name_a_postgresql_database(pg_fresh_url, tmp_path):
    save_db_url(tmp_path, pg_fresh_url)
    with open_workspace(tmp_path) as ws:
        assert ws.engine.dialect.name == "postgresql"
        ws.set_setting("lang", "ky")
    with open_workspace(tmp_path, create=False) as ws:
        assert ws.get_setting("lang") == "ky"
    assert not (tmp_path / "pbtools.sqlite").exists()
    (tmp_path / "workspace.json").write_text("{not json", encoding="utf-8")
    with pytest.raises(WorkspaceError, match="workspace.json"):
        open_workspace(tmp_path)


# {port}: a free port, found when the test runs (at collection, each pytest-xdist worker would find another one)
@pytest.mark.parametrize("url", ["postgresql://nobody@127.0.0.1:{port}/none", "mysql://u:secret@127.0.0.1/db", "not a url"])
def test_a_database_that_cannot_be_opened_gives_a_clear_message(tmp_path, url):
    url = url.replace("{port}", str(free_port()))
    with pytest.raises(WorkspaceError) as e:
        open_workspace(tmp_path, db_url=url)
    text = e.value.render("ru")
    assert text.startswith("Не удаётся открыть базу данных") and "secret" not in text
    assert list(tmp_path.iterdir()) == []


def test_opening_waits_while_another_process_sets_up_the_sqlite_file(tmp_path, monkeypatch):
    # SQLite answers "locked" at once (no busy timeout) to a connection that meets another one turning a new file to
    # WAL; opening tries again instead of failing (seen on a loaded CI machine with several processes creating one).
    import sqlite3

    from sqlalchemy.exc import OperationalError

    from pbtools.storage import workspace

    real, calls = workspace.upgrade, []

    def busy_twice(engine, **kw):
        calls.append(1)
        if len(calls) <= 2:
            raise OperationalError("PRAGMA journal_mode = WAL", {}, sqlite3.OperationalError("database is locked"))
        return real(engine, **kw)

    monkeypatch.setattr(workspace, "upgrade", busy_twice)
    with open_workspace(tmp_path / "ws") as ws:
        assert ws.ledger.head("s") == 0
    assert len(calls) == 3

    def broken(engine, **kw):
        raise OperationalError("SELECT 1", {}, sqlite3.OperationalError("disk I/O error"))

    monkeypatch.setattr(workspace, "upgrade", broken)
    with pytest.raises(WorkspaceError, match="disk I/O error"):
        open_workspace(tmp_path / "other")
