"""The database's own check of who writes what in a municipality's workspace: the rights of ``roles.ALLOWED``, again
in PostgreSQL.

A user's server connects with the rights of its role in the connection's options (``pbtools.writes``, e.g.
``monitoring``; ``none`` for a role that writes nothing in the workspace, whose transactions are also read-only).
Triggers on every table of the municipality's schema refuse a row whose kind of data that list does not allow: a
ledger stream by its prefix (``hearing:``, ``monitoring:``, ...), any other table by what it holds (the budgets are
``BUDGET``; the municipality, its villages and the schema's version are the central operator's). So a monitoring
group member's server can record progress and acts, and the database itself refuses it a ballot or a budget
whatever an app tries. A connection without the setting (the central operator's: ``pbtools hub``, backups,
``sync push --db``) is not limited by it.

The function and its triggers live in the municipality's own schema, so ``pg_dump --schema`` takes them along.
They are (re)made before each server of the municipality starts (``install``), so an older workspace gets them.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.engine import Connection

from pbtools.hearings.records import DELETIONS, STREAM_PREFIX as HEARING_PREFIX
from pbtools.monitoring.follow.service import STREAM as BUDGET_FOLLOW
from pbtools.monitoring.records import PREFIX as MONITORING_PREFIX
from pbtools.needs.records import STREAM_PREFIX as NEEDS_PREFIX
from pbtools.roles import ACCESS, BUDGET, HEARING, MONITORING, NEEDS, SERVICES, SYNC, Actor
from pbtools.storage import schema
from pbtools.sync.push import SYNC_LOG

SETTING = "pbtools.writes"  # the connection's rights, a comma-separated list of kinds of write
NONE = "none"
SERVICES_PREFIX = "services:"  # the register, and each service's surveys and plan (services.records)

# The rights that may write a stream whose name starts so (a hand-in writes a hearing's records too). A stream of
# no line here is the operator's alone: a new kind of stream needs its line (tests/hub/test_database_rights.py).
STREAMS = {HEARING_PREFIX: (HEARING, SYNC), DELETIONS: (HEARING,), SYNC_LOG: (SYNC,), MONITORING_PREFIX: (MONITORING,),
           BUDGET_FOLLOW: (MONITORING,), SERVICES_PREFIX: (SERVICES,), NEEDS_PREFIX: (NEEDS,)}
# The rights that may write each other table of a workspace (a new table needs a line here: a test checks it).
TABLES = {
    "ledger_streams": "name", "ledger_records": "stream",  # a column naming the stream: judged by STREAMS
    "budgets": (BUDGET,), "budget_lines": (BUDGET,), "budget_amounts": (BUDGET,),
    "settings": (HEARING,),  # a hearing's results shown or hidden (results.board)
    "municipality": (ACCESS,), "villages": (ACCESS,), "pbtools_meta": (ACCESS,),
}
WORKSPACE_WRITES = frozenset(r for rights in [*STREAMS.values(), *(v for v in TABLES.values() if isinstance(v, tuple))]
                             for r in rights)
FUNCTION = "pbtools_check_write"


def writes_of(actor: Actor) -> str:
    """The ``pbtools.writes`` of ``actor``'s server: the rights of its role that write the workspace, or ``none``."""
    rights = sorted(r for r in WORKSPACE_WRITES if actor.may(r))
    return ",".join(rights) or NONE


def _array(rights: tuple[str, ...]) -> str:
    return "ARRAY[" + ", ".join(f"'{r}'" for r in rights) + "]::text[]"


def _function_sql(schema_name: str) -> str:
    streams = "\n".join(f"        WHEN name LIKE '{prefix}%' THEN {_array(rights)}" for prefix, rights in STREAMS.items())
    return f"""
CREATE OR REPLACE FUNCTION {schema_name}.{FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    setting text := current_setting('{SETTING}', true);
    held text[];
    needed text[];
    name text;
    r record;
BEGIN
    IF setting IS NOT NULL AND setting <> '' THEN  -- else the central operator's connection
        held := string_to_array(setting, ',');
        IF TG_LEVEL = 'STATEMENT' THEN  -- TRUNCATE: the whole table
            name := TG_TABLE_NAME;
            needed := CASE WHEN TG_ARGV[0] = 'stream' THEN ARRAY['{ACCESS}']::text[] ELSE TG_ARGV END;
        ELSIF TG_ARGV[0] = 'stream' THEN
            IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
            name := to_jsonb(r) ->> TG_ARGV[1];
            needed := CASE
    {streams}
            ELSE ARRAY['{ACCESS}']::text[] END;
        ELSE
            name := TG_TABLE_NAME;
            needed := TG_ARGV;
        END IF;
        IF NOT (held && needed) THEN
            RAISE EXCEPTION 'pbtools: this connection may not write % (it may write: %)', name, setting
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$fn$;
"""


def install(conn: Connection, schema_name: str) -> None:
    """(Re)make the check and its triggers in the municipality's schema ``schema_name`` (in ``conn``'s transaction)."""
    conn.execute(text("SELECT pg_advisory_xact_lock(7062746302)"))  # two servers starting at once make them once
    conn.execute(text(_function_sql(schema_name)))
    for table, rule in TABLES.items():
        args = f"'stream', '{rule}'" if isinstance(rule, str) else ", ".join(f"'{r}'" for r in rule)
        for name, when in (("pbtools_rights", "INSERT OR UPDATE OR DELETE ON {t} FOR EACH ROW"),
                           ("pbtools_rights_truncate", "TRUNCATE ON {t} FOR EACH STATEMENT")):
            conn.execute(text(f"CREATE OR REPLACE TRIGGER {name} BEFORE {when.format(t=f'{schema_name}.{table}')} "
                              f"EXECUTE FUNCTION {schema_name}.{FUNCTION}({args})"))


def limited_url(url, actor: Actor):
    """``url`` (a sqlalchemy URL) with ``actor``'s rights in the connection's options; read-only when it has none."""
    rights = writes_of(actor)
    extra = [f"-c{SETTING}={rights}"] + (["-cdefault_transaction_read_only=on"] if rights == NONE else [])
    options = " ".join(filter(None, [url.query.get("options", ""), *extra]))
    return url.update_query_dict({"options": options})


def missing_tables() -> list[str]:
    """The workspace's tables without a rule here (a new table must say who may write it)."""
    return sorted(set(schema.metadata.tables) - set(TABLES))
