"""Building a workspace database and upgrading older ones, one ordered step per schema version.

Each step brings the database from version n-1 to n inside the same transaction as the version update, so an
upgrade either completes or changes nothing. Steps create tables from ``schema.py``; when a later step alters a
table, freeze the older definition in the step that created it, so old databases are rebuilt as they were.
"""

from __future__ import annotations

from typing import Callable

from sqlalchemy import Connection, Engine, inspect, select, text

from pbtools.i18n import N_, Msg
from pbtools.storage import schema as s
from pbtools.storage.engine import writer
from pbtools.storage.errors import WorkspaceError

VERSION_KEY = "schema_version"
_PG_MIGRATION_LOCK = 0x70627430  # any constant: one migration at a time per PostgreSQL database


def _to_1(conn: Connection) -> None:
    """The ledger: streams and their records."""
    for table in (s.pbtools_meta, s.ledger_streams, s.ledger_records):
        table.create(conn)


def _to_2(conn: Connection) -> None:
    """Settings, the municipality and its villages, budgets with their lines and amounts."""
    for table in (s.settings, s.municipality, s.villages, s.budgets, s.budget_lines, s.budget_amounts):
        table.create(conn)


STEPS: tuple[tuple[int, Callable[[Connection], None]], ...] = (
    (1, _to_1),
    (2, _to_2),
)
assert [v for v, _ in STEPS] == list(range(1, s.SCHEMA_VERSION + 1)), "one step per version, in order"


def read_version(conn: Connection, where: str) -> int:
    """The schema version of the database: 0 when it has no pbtools tables (other tables are left alone).
    Refused: pbtools tables without a version, or a version that is not a number."""
    tables = set(inspect(conn).get_table_names())
    if s.pbtools_meta.name not in tables:
        ours = tables & set(s.metadata.tables)
        if ours:
            raise WorkspaceError(Msg(N_("The database {where} has tables of pbtools ({tables}) but no schema version; it was not changed"),
                                     where=where, tables=", ".join(sorted(ours))))
        return 0
    value = conn.execute(select(s.pbtools_meta.c.value).where(s.pbtools_meta.c.key == VERSION_KEY)).scalar()
    if value is None or not value.isdigit():
        raise WorkspaceError(Msg(N_("The database {where} has no valid schema version; it was not changed"), where=where))
    return int(value)


def _check(version: int, create: bool, where: str) -> None:
    if version > s.SCHEMA_VERSION:
        raise WorkspaceError(Msg(
            N_("The workspace {where} was written by a newer pbtools (schema version {found}; this one knows up to {known}). Update pbtools; nothing was changed."),
            where=where, found=version, known=s.SCHEMA_VERSION))
    if version == 0 and not create:
        raise WorkspaceError(Msg(N_("There is no workspace in {where}"), where=where))


def upgrade(engine: Engine, *, create: bool, where: str) -> int:
    """Create or upgrade the database to ``SCHEMA_VERSION``; returns the version it had before."""
    with engine.connect() as conn:  # the common case: already current, checked without taking the write lock
        found = read_version(conn, where)
    _check(found, create, where)
    if found == s.SCHEMA_VERSION:
        return found
    with writer(engine).begin() as conn:
        if conn.dialect.name == "postgresql":
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_MIGRATION_LOCK})
        found = read_version(conn, where)  # another process may have upgraded it meanwhile
        _check(found, create, where)
        for version, step in STEPS:
            if version > found:
                step(conn)
                _set_version(conn, version)
    return found


def _set_version(conn: Connection, version: int) -> None:
    t = s.pbtools_meta
    if conn.execute(select(t.c.value).where(t.c.key == VERSION_KEY)).first():
        conn.execute(t.update().where(t.c.key == VERSION_KEY).values(value=str(version)))
    else:
        conn.execute(t.insert().values(key=VERSION_KEY, value=str(version)))
