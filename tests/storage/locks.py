"""Whether a transaction holds a stream's write lock, asked of the real database from a connection of its own; and
a hook that makes something happen just as a workspace's transaction starts (the races' "meanwhile")."""

from __future__ import annotations

from typing import Any, Callable

from sqlalchemy import event, text
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


def on_begin(ws: Any, action: Callable[[], None], *, writes_only: bool) -> None:
    """Call ``action`` each time ``ws``'s database starts a transaction (only its write transactions, if
    ``writes_only``), before the database is asked for anything: before SQLite's BEGIN (BEGIN IMMEDIATE takes the
    write lock), before the first statement of a PostgreSQL transaction."""
    sqlite = make_url(ws.url).get_backend_name() == "sqlite"

    def before(conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        if writes_only and not conn.get_execution_options().get("pbtools_write"):
            return
        if sqlite:
            starts = statement.startswith("BEGIN")
        else:
            starts = conn.info.get("hooked") is not conn.get_transaction()
            conn.info["hooked"] = conn.get_transaction()
        if starts:
            action()

    event.listen(ws.engine, "before_cursor_execute", before)
