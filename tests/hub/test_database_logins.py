"""The role logins of a municipality (``central.rights``) as the documented operator makes them: a database user
with CREATEROLE that is no superuser (docs/deployment.md), on a PostgreSQL that asks every login for its password.
The logins are made again before each of the municipality's servers starts."""

from __future__ import annotations

import pytest
from sqlalchemy import create_engine, text

from pbtools.budget.model import Municipality
from pbtools.central import rights
from pbtools.central.hub import spawn_environment
from pbtools.central.registry import SCHEMA_PREFIX, Central, CentralError
from pbtools.roles import ADMIN, FACILITATOR, MONITOR, OBSERVER, Actor

pytestmark = pytest.mark.postgres
CODE = "tash_kol"
OPERATOR = Actor("operator", ADMIN)
USERS = {"aida": FACILITATOR, "meder": MONITOR, "olga": OBSERVER}
ATTRIBUTES = "SELECT rolsuper, rolcreaterole, rolcreatedb, rolreplication, rolbypassrls, rolinherit, rolcanlogin " \
             "FROM pg_roles WHERE rolname = :w"


@pytest.fixture(scope="module")
def central(pg_server, tmp_path_factory):
    url = pg_server.new_central_database()
    with Central(url, tmp_path_factory.mktemp("central")) as c:
        c.add_municipality(CODE, Municipality({"ky": "Таш-Көл", "ru": "Таш-Кёль", "en": "Tash-Kol"}), OPERATOR)
        for user, role in USERS.items():
            c.grant(user, CODE, role, OPERATOR)
        c.superuser = pg_server.url(url.rsplit("/", 1)[1])  # the tests' own superuser, to change a login behind the operator's back
        yield c


def run_as_superuser(central, *sql: str) -> None:
    engine = create_engine(central.superuser)
    try:
        with engine.begin() as conn:
            for statement in sql:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def current_user(url: str) -> str:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT current_user")).scalar()
    finally:
        engine.dispose()


def test_the_documented_operator_makes_the_logins_before_each_server_starts(central):
    with central.engine.connect() as conn:
        assert conn.execute(text("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")).one() == (False, True)
    for start in range(2):  # a server's start, and the next one: the logins exist then, and are made again
        for user, role in USERS.items():
            env = spawn_environment(central, user, CODE)
            assert current_user(env["PBTOOLS_DB"]) == rights.login(SCHEMA_PREFIX + CODE, role), (start, user)
    with central.engine.connect() as conn:
        for role in USERS.values():
            who = rights.login(SCHEMA_PREFIX + CODE, role)
            # no right beyond logging in, none inherited
            assert conn.execute(text(ATTRIBUTES), {"w": who}).one() == (False, False, False, False, False, False, True)


@pytest.mark.parametrize("change, named", [("CREATEDB", "CREATEDB"), ("REPLICATION", "REPLICATION"),
                                           ("BYPASSRLS", "BYPASSRLS"), ("SUPERUSER", "SUPERUSER")])
def test_a_login_given_more_rights_behind_the_operators_back_is_refused_not_handed_out(central, change, named):
    who = rights.login(SCHEMA_PREFIX + CODE, OBSERVER)
    run_as_superuser(central, f"ALTER ROLE {who} {change}")
    try:
        with pytest.raises(CentralError) as refused:
            spawn_environment(central, "olga", CODE)
        for lang in ("en", "ru", "ky"):
            said = refused.value.render(lang)
            assert who in said and named in said, said
        assert "CREATEROLE" not in refused.value.render("en")  # the operator has it: not what is wrong
    finally:
        run_as_superuser(central, f"ALTER ROLE {who} NO{change}")
    spawn_environment(central, "olga", CODE)  # taken away again: the server starts


def test_a_login_made_a_member_of_another_role_is_refused(central):
    who = rights.login(SCHEMA_PREFIX + CODE, MONITOR)
    run_as_superuser(central, f"GRANT pg_read_all_data TO {who}")
    try:
        with pytest.raises(CentralError, match=f"{who}.*IN ROLE pg_read_all_data"):
            spawn_environment(central, "meder", CODE)
    finally:
        run_as_superuser(central, f"REVOKE pg_read_all_data FROM {who}")
    spawn_environment(central, "meder", CODE)


def test_another_database_problem_is_said_as_it_is_not_as_a_missing_createrole(central):
    """The operator has CREATEROLE: a refusal while making the logins is shown as PostgreSQL gave it, never as
    "it needs CREATEROLE" (which led operators to make the hub's database user a superuser)."""
    schema = SCHEMA_PREFIX + CODE
    run_as_superuser(central, f"ALTER TABLE {schema}.budgets OWNER TO pbtools")  # its trigger can no longer be made
    try:
        with pytest.raises(CentralError) as refused:
            spawn_environment(central, "aida", CODE)
        said = refused.value.render("ru")
        assert "CREATEROLE" not in said and "не смог создать логины" in said and "central_operator" in said, said
    finally:
        run_as_superuser(central, f"ALTER TABLE {schema}.budgets OWNER TO central_operator")
    spawn_environment(central, "aida", CODE)


def test_a_full_backup_holds_no_login_password_and_a_restore_makes_new_ones(central, pg_server, tmp_path):
    """A backup is copied off the machine and kept for weeks: with the passwords in it, any old copy would log in as
    every role of every municipality (s23 F9). Left out, they are made anew when a restored municipality's first
    server starts."""
    import subprocess

    from pbtools.central.backup import dump, pg_tool, restore

    passwords = central.make_logins(CODE)
    backup = dump(central.url, tmp_path / "all.dump")
    listed = subprocess.run([pg_tool("pg_restore"), "--file", "-", str(backup)], capture_output=True, text=True, check=True).stdout
    assert "CREATE TABLE pbtools_central.db_logins" in listed and "CREATE TABLE m_tash_kol.budgets" in listed
    assert passwords and not any(p in listed for p in passwords.values())
    assert "COPY pbtools_central.grants" in listed and "COPY pbtools_central.db_logins" not in listed

    restored_url = pg_server.new_central_database()
    restore(backup, restored_url)
    with Central(restored_url, tmp_path / "restored") as restored:
        env = spawn_environment(restored, "aida", CODE)
        assert current_user(env["PBTOOLS_DB"]) == rights.login(SCHEMA_PREFIX + CODE, FACILITATOR)
        fresh = restored.make_logins(CODE)
        assert fresh.keys() == passwords.keys() and not set(fresh.values()) & set(passwords.values())
    spawn_environment(central, "aida", CODE)  # this database's servers get their own passwords set back at start


def run_as_login(url: str, *sql: str) -> None:
    engine = create_engine(url)
    try:
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            for statement in sql:
                conn.execute(text(statement))
    finally:
        engine.dispose()


def test_what_a_broken_into_server_changes_on_its_login_is_undone_at_the_next_start(central):
    """s23 F14: a server broken into changed its shared login's password (the role's other servers could not
    connect) and gave it defaults every new session takes (statement_timeout = 1ms: none could work). Both are
    PostgreSQL's to allow a login on itself; the next server start of the municipality sets them back."""
    from sqlalchemy.exc import OperationalError

    who = rights.login(SCHEMA_PREFIX + CODE, FACILITATOR)
    url = spawn_environment(central, "aida", CODE)["PBTOOLS_DB"]
    database = url.rsplit("/", 1)[1].split("?")[0]
    run_as_login(url, f"ALTER ROLE {who} SET statement_timeout = '1ms'",
                 f'ALTER ROLE {who} IN DATABASE "{database}" SET work_mem = \'64kB\'',
                 f"ALTER ROLE {who} PASSWORD 'taken-over-2026'")
    with pytest.raises(OperationalError, match="password authentication failed"):
        current_user(url)  # the role's other servers are locked out until then

    url = spawn_environment(central, "aida", CODE)["PBTOOLS_DB"]  # the next start
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            conn.execute(text("SELECT pg_sleep(0.05)"))  # past 1 ms: no statement timeout
            assert conn.execute(text("SELECT current_setting('statement_timeout'), current_setting('work_mem')")).one() \
                == ("0", "4MB")
    finally:
        engine.dispose()
    with central.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM pg_db_role_setting s JOIN pg_roles r ON r.oid = s.setrole "
                                 "WHERE r.rolname = :w"), {"w": who}).scalar() == 0


def test_a_login_makes_no_temporary_tables(central):
    from sqlalchemy.exc import ProgrammingError

    url = spawn_environment(central, "aida", CODE)["PBTOOLS_DB"]
    with pytest.raises(ProgrammingError, match="permission denied to create temporary tables"):
        run_as_login(url, "CREATE TEMPORARY TABLE filler (x text)")
    run_as_login(central.url, "CREATE TEMPORARY TABLE mine (x text)")  # the operator, the database's owner, still may


def test_the_documented_large_object_revoke_stops_a_login_storing_them(central):
    """docs/deployment.md asks the database's superuser to take large objects from PUBLIC (pbtools never uses them;
    a server broken into stored 50 MB, with no quota). This checks that the SQL given there does it."""
    from sqlalchemy.exc import ProgrammingError

    url = spawn_environment(central, "aida", CODE)["PBTOOLS_DB"]
    run_as_login(url, "SELECT lo_unlink(lo_create(0))")  # allowed by PostgreSQL's defaults
    run_as_superuser(central, "REVOKE EXECUTE ON FUNCTION lo_create(oid), lo_creat(integer), lo_from_bytea(oid, bytea), "
                              "lo_import(text), lo_import(text, oid) FROM PUBLIC")
    for sql in ("SELECT lo_create(0)", "SELECT lo_creat(-1)", "SELECT lo_from_bytea(0, 'x')"):
        with pytest.raises(ProgrammingError, match="permission denied for function"):
            run_as_login(url, sql)
