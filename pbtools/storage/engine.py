"""Database URLs and engines: SQLite in the workspace folder by default, PostgreSQL when a URL says so.

SQLite is set up on every connection for several writing processes (Voila runs one kernel per open page, the
phone-ballot server writes too): WAL so readers never wait for a writer, a busy timeout so writers queue instead of
failing, synchronous=FULL so a committed ballot survives a power cut (NORMAL would survive a killed process but may
lose the last commits when the power goes, which happens in village school halls), foreign keys on.

A connection follows the file at its path: a database file put in place of the one it opened (a sandbox reset or
restored, a workspace's file replaced by a copy) is opened anew at the next use, instead of the pool serving the
replaced file for as long as the process runs (one ``stat`` per use).

Write transactions start with ``BEGIN IMMEDIATE`` on SQLite (``writer(engine)``): the write lock is taken at the
start, so two appenders never both read the same head of a stream, and no transaction has to upgrade a read lock
(which SQLite refuses at once, without waiting, in WAL mode).
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError

SQLITE_FILE = "pbtools.sqlite"
BUSY_TIMEOUT_S = 60  # a queue of writers at a busy hearing clears in well under a second; 60 s is a safe ceiling
_WRITE = "pbtools_write"
_FILE = "pbtools_file"  # a connection's info: the file (device, inode) at its path when it was opened


def sqlite_url(folder: Path) -> str:
    return f"sqlite:///{Path(folder).resolve() / SQLITE_FILE}"


def normalize_url(url: str) -> str:
    """``postgresql://`` and ``postgres://`` go through psycopg 3 (the driver pbtools installs)."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def make_engine(url: str, busy_timeout_s: float = BUSY_TIMEOUT_S, synced: bool = True) -> Engine:
    """``synced=False`` (SQLite): commits are not synced to disk, for a workspace built in a hidden folder that is
    synced as a whole before anyone uses it (a sandbox template); never for a workspace in use."""
    url = normalize_url(url)
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": busy_timeout_s})
    _follow_file(engine, make_url(url).database or "")

    @event.listens_for(engine, "connect")
    def _setup(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
        dbapi_connection.isolation_level = None  # the driver must not BEGIN on its own: we emit BEGIN below
        # (the busy timeout is the driver's ``timeout``, already set when these pragmas run)
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = FULL" if synced else "PRAGMA synchronous = OFF")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn) -> None:  # type: ignore[no-untyped-def]
        conn.exec_driver_sql("BEGIN IMMEDIATE" if conn.get_execution_options().get(_WRITE) else "BEGIN")

    return engine


def file_id(path: str | Path) -> tuple[int, int] | None:
    """Which file is at ``path`` now (device, inode): another after a replace or a move; None when there is none."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def _follow_file(engine: Engine, path: str) -> None:
    """Reopen a pooled connection whose file is no longer the one at ``path``. A missing file (a folder being
    swapped) keeps the connection: it is looked at again at the next use."""
    if not path or path == ":memory:":
        return

    @event.listens_for(engine, "do_connect")
    def _opening(_dialect, record, _cargs, _cparams) -> None:  # type: ignore[no-untyped-def]
        # looked at before the file is opened: if it is replaced in between, the next use reopens it once more
        record.info[_FILE] = file_id(path)

    @event.listens_for(engine, "checkout")
    def _using(_dbapi_connection, record, _proxy) -> None:  # type: ignore[no-untyped-def]
        now = file_id(path)
        if now is not None and now != record.info.get(_FILE):
            raise DisconnectionError("the database file was replaced")  # the pool opens the one now at the path


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take the write lock at BEGIN (SQLite); ``with writer(e).begin() as c``."""
    return engine.execution_options(**{_WRITE: True})
