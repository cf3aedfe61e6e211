"""The database's own barrier to who writes what in a municipality's workspace: the rights of ``roles.ALLOWED``,
again in PostgreSQL, decided by who the connection is logged in as.

Each pbtools role of a municipality has its own PostgreSQL login role, ``m_<code>_<role>`` (``login``), made by the
central operator's connection (which owns the schemas) before a user's server starts; its password is random,
kept in the registry's schema (``pbtools_central.db_logins``, which no login may read) and handed only to the
server the hub starts. A user's server never connects as the owner. What the login may do:

1. GRANTs: SELECT on every table of its municipality's schema (no other schema: ``USAGE`` only on its own);
   INSERT only on the tables its role writes, UPDATE only on the columns the core moves (a stream's head, a
   setting's value), DELETE only where the core replaces rows (the municipality, the operator's); never TRUNCATE,
   never DDL (it owns nothing, so it cannot DROP or ALTER a trigger). A role that writes nothing gets SELECT alone,
   and read-only transactions besides (a clearer message, not the barrier).
2. Triggers on every table check each row by ``current_user`` (which a session cannot change to a role it is not a
   member of; a custom setting could be SET by anyone): a ledger stream by its prefix (``left(name, n) =
   prefix``; a stream of one exact name by equality), any other table by what it holds. UPDATE is checked on the
   old row and the new one, DELETE on the old one: a row cannot be moved out of, or into, a stream the role may
   not write. The owner (and whoever is a member of it: ``pbtools hub``, backups, ``sync push --db``) is not
   limited; any other login is refused every row.

The function and its triggers live in the municipality's own schema, so ``pg_dump --schema`` takes them along (the
backups leave out the GRANTs; ``install`` gives them again). ``install`` runs before each server of the
municipality starts, so an older workspace, or a table added since, gets them.
"""

from __future__ import annotations

import secrets

from sqlalchemy import text
from sqlalchemy.engine import Connection

from pbtools.central.errors import CentralError
from pbtools.hearings.records import DELETIONS, STREAM_PREFIX as HEARING_PREFIX
from pbtools.i18n import N_, Msg
from pbtools.monitoring.follow.service import STREAM as BUDGET_FOLLOW
from pbtools.monitoring.records import PREFIX as MONITORING_PREFIX
from pbtools.needs.records import STREAM_PREFIX as NEEDS_PREFIX
from pbtools.roles import ACCESS, BUDGET, HEARING, MONITORING, NEEDS, ROLES, SERVICES, SYNC, Actor
from pbtools.storage import schema
from pbtools.hearings.hand_in_log import SYNC_LOG

LOGINS = "db_logins"  # the role logins' passwords, in the registry's schema; never in a backup (central.backup)

NONE = "none"
SERVICES_PREFIX = "services:"  # the register, and each service's surveys and plan (services.records)

# The rights that may write a stream whose name starts so (a prefix ends with ':'), or is exactly so (the other
# names; a hand-in writes a hearing's records too). A stream of no line here is the operator's alone: a new kind
# of stream needs its line (tests/hub/test_database_rights.py).
STREAMS = {HEARING_PREFIX: (HEARING, SYNC), DELETIONS: (HEARING,), SYNC_LOG: (SYNC,), MONITORING_PREFIX: (MONITORING,),
           BUDGET_FOLLOW: (MONITORING,), SERVICES_PREFIX: (SERVICES,), NEEDS_PREFIX: (NEEDS,)}
STREAM_TABLES = {"ledger_streams": "name", "ledger_records": "stream"}  # the column naming the stream
# The rights that may write each other table of a workspace (a new table needs a line here: a test checks it).
TABLES = {
    "budgets": (BUDGET,), "budget_lines": (BUDGET,), "budget_amounts": (BUDGET,),
    "settings": (HEARING,),  # a hearing's results shown or hidden (results.board)
    "municipality": (ACCESS,), "villages": (ACCESS,), "pbtools_meta": (ACCESS,),
}
# What the core does to each table beyond INSERT (the rest is never granted): the columns it UPDATEs, and whether
# it DELETEs (save_municipality replaces the municipality and its villages).
UPDATES = {"ledger_streams": ("head_seq", "head_hash", "sealed_seq"), "settings": ("value",), "pbtools_meta": ("value",)}
DELETES = ("municipality", "villages")
STREAM_WRITES = frozenset(r for rights in STREAMS.values() for r in rights)
WORKSPACE_WRITES = STREAM_WRITES | frozenset(r for rights in TABLES.values() for r in rights)
FUNCTION = "pbtools_check_write"


def writes_of(actor: Actor) -> str:
    """The rights of ``actor``'s role that write the workspace, comma-separated, or ``none``."""
    rights = sorted(r for r in WORKSPACE_WRITES if actor.may(r))
    return ",".join(rights) or NONE


def login(schema_name: str, role: str) -> str:
    """The PostgreSQL login of ``role`` in the municipality whose schema is ``schema_name`` (``m_<code>``)."""
    return f"{schema_name}_{role}"


def _rights(role: str) -> frozenset[str]:
    return frozenset(r for r in WORKSPACE_WRITES if Actor("", role).may(r))


def _array(rights) -> str:
    return "ARRAY[" + ", ".join(f"'{r}'" for r in sorted(rights)) + "]::text[]"


def _stream_case(var: str) -> str:
    """SQL: the rights that may write the stream named ``var``: a prefix compared with left(), a name with =."""
    whens = []
    for name, rights in STREAMS.items():
        test = f"left({var}, {len(name)}) = '{name}'" if name.endswith(":") else f"{var} = '{name}'"
        whens.append(f"WHEN {test} THEN {_array(rights)}")
    return "CASE " + " ".join(whens) + f" ELSE ARRAY['{ACCESS}']::text[] END"


def _function_sql(schema_name: str) -> str:
    held = " ".join(f"WHEN '{login(schema_name, role)}' THEN {_array(_rights(role))}" for role in ROLES)
    return f"""
CREATE OR REPLACE FUNCTION {schema_name}.{FUNCTION}() RETURNS trigger LANGUAGE plpgsql
SET search_path = pg_catalog, pg_temp AS $fn$
DECLARE
    held text[];
    names text[];
    name text;
    needed text[];
BEGIN
    held := CASE current_user {held} ELSE NULL END;
    IF held IS NULL THEN  -- not a role's login: the owner (or a member of it), the central operator, is not limited
        IF pg_has_role(current_user, (SELECT nspowner FROM pg_namespace WHERE nspname = TG_TABLE_SCHEMA), 'MEMBER') THEN
            IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
            RETURN NEW;
        END IF;
        held := ARRAY[]::text[];  -- any other login: nothing
    END IF;
    IF TG_LEVEL = 'STATEMENT' THEN  -- TRUNCATE: the whole table, the operator's
        names := ARRAY[TG_TABLE_NAME];
    ELSIF TG_ARGV[0] = 'stream' THEN  -- each row's stream: the old one and the new one
        IF TG_OP IN ('UPDATE', 'DELETE') THEN names := names || (to_jsonb(OLD) ->> TG_ARGV[1]); END IF;
        IF TG_OP IN ('UPDATE', 'INSERT') THEN names := names || (to_jsonb(NEW) ->> TG_ARGV[1]); END IF;
    ELSE
        names := ARRAY[TG_TABLE_NAME];
    END IF;
    FOREACH name IN ARRAY names LOOP
        needed := CASE
            WHEN TG_LEVEL = 'STATEMENT' THEN ARRAY['{ACCESS}']::text[]
            WHEN TG_ARGV[0] = 'stream' THEN {_stream_case('name')}
            ELSE TG_ARGV END;
        IF name IS NULL OR NOT (held && needed) THEN
            RAISE EXCEPTION 'pbtools: % may not write % (it may write: %)', current_user, name,
                coalesce(nullif(array_to_string(held, ','), ''), '{NONE}')
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    END LOOP;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$fn$;
"""


def _grants(schema_name: str, role: str) -> list[str]:
    """The GRANTs of ``role``'s login on the schema: SELECT everywhere, the rest only where the role writes."""
    who, rights = login(schema_name, role), _rights(role)
    sql = [f"REVOKE ALL ON ALL TABLES IN SCHEMA {schema_name} FROM {who}",
           f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA {schema_name} FROM {who}",
           f"GRANT USAGE ON SCHEMA {schema_name} TO {who}",
           f"GRANT SELECT ON ALL TABLES IN SCHEMA {schema_name} TO {who}"]
    writes = [t for t in STREAM_TABLES if rights & STREAM_WRITES] + [t for t, need in TABLES.items() if rights & set(need)]
    for table in writes:
        sql.append(f"GRANT INSERT ON {schema_name}.{table} TO {who}")
        if table in UPDATES:
            sql.append(f"GRANT UPDATE ({', '.join(UPDATES[table])}) ON {schema_name}.{table} TO {who}")
        if table in DELETES:
            sql.append(f"GRANT DELETE ON {schema_name}.{table} TO {who}")
    if writes:
        sql.append(f"GRANT USAGE ON ALL SEQUENCES IN SCHEMA {schema_name} TO {who}")  # the budgets' ids
    return sql


# what a login must not hold, as pg_roles says (in _ensure_login's query order); nor be a member of a role
_DANGEROUS = ("SUPERUSER", "CREATEROLE", "CREATEDB", "REPLICATION", "BYPASSRLS")


def _ensure_login(conn: Connection, registry_schema: str, who: str) -> None:
    """Make login ``who`` (or set its password again) with the password the registry keeps for it."""
    conn.execute(text(f"CREATE TABLE IF NOT EXISTS {registry_schema}.{LOGINS} (login text PRIMARY KEY, password text NOT NULL)"))
    password = conn.execute(text(f"SELECT password FROM {registry_schema}.{LOGINS} WHERE login = :w"), {"w": who}).scalar()
    if password is None:
        password = secrets.token_urlsafe(32)  # letters, digits, - and _: safe inside the quotes below
        conn.execute(text(f"INSERT INTO {registry_schema}.{LOGINS} VALUES (:w, :p)"), {"w": who, "p": password})
    found = conn.execute(text(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, array(SELECT b.rolname FROM "
        "pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid WHERE m.member = r.oid ORDER BY 1) "
        "FROM pg_roles r WHERE rolname = :w"), {"w": who}).first()
    if found is None:
        # NOINHERIT and no membership of anything: SET ROLE finds nothing to become
        conn.execute(text(f"CREATE ROLE {who} WITH LOGIN NOINHERIT NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION "
                          f"NOBYPASSRLS PASSWORD '{password}'"))
        return
    # Made before (by CREATE above, which took every other right away): only what the operator, who has
    # CREATEROLE and is no superuser (docs/deployment.md), may set on it. PostgreSQL refuses such a user any
    # ALTER naming SUPERUSER, REPLICATION or BYPASSRLS, even to turn them off (and from 16 on CREATEDB without
    # CREATEDB of its own), so those are checked instead: a login holding one was changed by a superuser, and
    # is refused rather than handed to a user's server.
    held = [name for name, on in zip(_DANGEROUS, found) if on] + ([f"IN ROLE {', '.join(found[-1])}"] if found[-1] else [])
    if held:
        raise CentralError(Msg(N_("The PostgreSQL role {login} has rights no login of a municipality may have ({rights}): "
                                  "a superuser of the database must take them away or drop the role; no server was "
                                  "given it"), login=who, rights=", ".join(held)))
    # the password and the session defaults back to what pbtools set: a server broken into may have changed its
    # login's password (locking out the role's other servers) or given it defaults (statement_timeout = 1ms) that
    # every new session of the login takes. A CREATEROLE operator may reset both for a non-superuser role.
    conn.execute(text(f"ALTER ROLE {who} WITH LOGIN NOINHERIT PASSWORD '{password}'"))
    conn.execute(text(f"ALTER ROLE {who} RESET ALL"))
    database = conn.execute(text("SELECT quote_ident(current_database())")).scalar()
    conn.execute(text(f"ALTER ROLE {who} IN DATABASE {database} RESET ALL"))


def _no_temporary_tables(conn: Connection) -> None:
    """No temporary tables for the logins (nothing of pbtools makes them; a server broken into could fill the disk
    with them): TEMPORARY is PUBLIC's by default, so it is taken from PUBLIC, which only the database's owner may do
    (the operator, as docs/deployment.md sets it up; otherwise it is left to the database's owner). The owner keeps it."""
    database, owner = conn.execute(text("SELECT quote_ident(datname), pg_get_userbyid(datdba) = current_user "
                                        "FROM pg_database WHERE datname = current_database()")).one()
    if owner:
        conn.execute(text(f"REVOKE TEMPORARY ON DATABASE {database} FROM PUBLIC"))


def install(conn: Connection, schema_name: str, registry_schema: str) -> dict[str, str]:
    """(Re)make, in ``conn``'s transaction (the schema owner's), the logins of every role of the municipality whose
    schema is ``schema_name``, their GRANTs, and the check and its triggers. Returns each role's password."""
    conn.execute(text("SELECT pg_advisory_xact_lock(7062746302)"))  # two servers starting at once make them once
    for role in ROLES:
        _ensure_login(conn, registry_schema, login(schema_name, role))
    conn.execute(text(f"REVOKE ALL ON SCHEMA {schema_name} FROM PUBLIC"))
    _no_temporary_tables(conn)
    conn.execute(text(_function_sql(schema_name)))
    rules = {**{t: f"'stream', '{column}'" for t, column in STREAM_TABLES.items()},
             **{t: ", ".join(f"'{r}'" for r in rights) for t, rights in TABLES.items()}}
    for table, args in rules.items():
        for name, when in (("pbtools_rights", "INSERT OR UPDATE OR DELETE ON {t} FOR EACH ROW"),
                           ("pbtools_rights_truncate", "TRUNCATE ON {t} FOR EACH STATEMENT")):
            conn.execute(text(f"CREATE OR REPLACE TRIGGER {name} BEFORE {when.format(t=f'{schema_name}.{table}')} "
                              f"EXECUTE FUNCTION {schema_name}.{FUNCTION}({args})"))
    for role in ROLES:
        for sql in _grants(schema_name, role):
            conn.execute(text(sql))
    rows = conn.execute(text(f"SELECT login, password FROM {registry_schema}.{LOGINS} WHERE left(login, :n) = :p"),
                        {"n": len(schema_name) + 1, "p": schema_name + "_"})
    return {who: password for who, password in rows}


def limited_url(url, schema_name: str, actor: Actor, password: str):
    """``url`` (a sqlalchemy URL, the owner's) logged in as ``actor``'s role's login instead; read-only
    transactions when the role writes nothing in the workspace (a clear message; the GRANTs are the barrier)."""
    extra = ["-cdefault_transaction_read_only=on"] if writes_of(actor) == NONE else []
    options = " ".join(filter(None, [url.query.get("options", ""), *extra]))
    return url.set(username=login(schema_name, actor.role), password=password).update_query_dict({"options": options})


def missing_tables() -> list[str]:
    """The workspace's tables without a rule here (a new table must say who may write it)."""
    return sorted(set(schema.metadata.tables) - set(TABLES) - set(STREAM_TABLES))
