"""SQLite set-up on every connection, and how an append behaves while another process holds the write lock."""

from __future__ import annotations

import sqlite3
import threading
import time

import pytest

from pbtools.storage import DatabaseUnavailable, open_workspace
from pbtools.storage.engine import SQLITE_FILE, make_engine, sqlite_url
from pbtools.storage.ledger import Ledger


@pytest.fixture
def folder(tmp_path):
    open_workspace(tmp_path).close()
    return tmp_path


def test_every_connection_is_set_up(folder):
    engine = make_engine(sqlite_url(folder))
    connections = [engine.connect() for _ in range(3)]  # three separate DBAPI connections from the pool
    for conn in connections:
        pragmas = {p: conn.exec_driver_sql(f"PRAGMA {p}").scalar() for p in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")}
        assert pragmas == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 60000}
        conn.close()
    engine.dispose()


def test_foreign_keys_are_enforced(folder):
    engine = make_engine(sqlite_url(folder))
    with pytest.raises(Exception, match="FOREIGN KEY"):
        with engine.begin() as conn:
            conn.exec_driver_sql("INSERT INTO ledger_records (stream, seq, kind, payload, actor, created_at, reason, "
                                 "prev_hash, hash) VALUES ('nostream', 1, 'k', '{}', '', '', '', '', '')")
    engine.dispose()


def hold_write_lock(folder, seconds):
    """Another connection (as another process would) holding the write lock for ``seconds``."""
    other = sqlite3.connect(folder / SQLITE_FILE, isolation_level=None, check_same_thread=False)
    other.execute("BEGIN IMMEDIATE")
    timer = threading.Timer(seconds, lambda: (other.execute("COMMIT"), other.close()))
    timer.start()
    return timer


def test_an_append_waits_for_the_write_lock(folder):
    ledger = Ledger(make_engine(sqlite_url(folder)))
    timer = hold_write_lock(folder, 0.5)
    start = time.monotonic()
    record = ledger.append("s", "k", {})
    waited = time.monotonic() - start
    timer.join()
    assert record.seq == 1 and waited >= 0.4
    ledger.engine.dispose()


def test_an_append_that_cannot_get_the_lock_says_so_and_writes_nothing(folder):
    ledger = Ledger(make_engine(sqlite_url(folder), busy_timeout_s=0.2))
    timer = hold_write_lock(folder, 1.0)
    with pytest.raises(DatabaseUnavailable) as e:
        ledger.append("s", "k", {})
    assert "s" in e.value.render("ky")
    timer.join()
    assert ledger.head("s") == 0
    assert ledger.append("s", "k", {}).seq == 1
    ledger.engine.dispose()
