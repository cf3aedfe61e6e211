"""Whether a transaction holds a stream's write lock, asked of the real database from a connection of its own."""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from pbtools.storage.engine import make_engine, writer


def stream_locked(url: str, stream: str) -> bool:
    """Whether some transaction holds ``stream``'s write lock at this moment, tried without waiting: SQLite's write
    lock (BEGIN IMMEDIATE, busy timeout 0), PostgreSQL's lock on the stream's row (FOR UPDATE NOWAIT)."""
    engine = make_engine(url, busy_timeout_s=0)
    try:
        if make_url(engine.url).get_backend_name() == "sqlite":
            with writer(engine).begin():
                return False
        with engine.begin() as conn:
            conn.execute(text("SELECT 1 FROM ledger_streams WHERE name = :name FOR UPDATE NOWAIT"), {"name": stream})
            return False
    except OperationalError:
        return True
    finally:
        engine.dispose()
