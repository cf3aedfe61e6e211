"""Database URLs and engines: SQLite in the workspace folder by default, PostgreSQL when a URL says so.

SQLite is set up on every connection for several writing processes (Voila runs one kernel per open page, the
phone-ballot server writes too): WAL so readers never wait for a writer, a busy timeout so writers queue instead of
failing, synchronous=FULL so a committed ballot survives a power cut (NORMAL would survive a killed process but may
lose the last commits when the power goes, which happens in village school halls), foreign keys on.

Write transactions start with ``BEGIN IMMEDIATE`` on SQLite (``writer(engine)``): the write lock is taken at the
start, so two appenders never both read the same head of a stream, and no transaction has to upgrade a read lock
(which SQLite refuses at once, without waiting, in WAL mode).
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url

SQLITE_FILE = "pbtools.sqlite"
BUSY_TIMEOUT_S = 60  # a queue of writers at a busy hearing clears in well under a second; 60 s is a safe ceiling
_WRITE = "pbtools_write"


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


def writer(engine: Engine) -> Engine:
    """The same engine, whose transactions take the write lock at BEGIN (SQLite); ``with writer(e).begin() as c``."""
    return engine.execution_options(**{_WRITE: True})
