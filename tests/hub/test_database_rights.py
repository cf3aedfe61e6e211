"""The database's own check (``central.rights``): a user's server connects with its role's rights, and PostgreSQL
refuses every row the role may not write, kind by kind, as ``roles.ALLOWED`` says; what a role may write goes in.
A monitoring group member's server records progress; it cannot touch a hearing or a budget."""

from __future__ import annotations

from dataclasses import replace

import pytest
from sqlalchemy.exc import DBAPIError

from pbtools.central import rights
from pbtools.central.hub import spawn_environment
from pbtools.central.registry import Central
from pbtools.roles import ACCESS, ADMIN, BUDGET, FACILITATOR, HEARING, MONITOR, MONITORING, NEEDS, OBSERVER, SERVICES, SYNC, TRAINER, Actor
from pbtools.storage import open_workspace
from tests.fixtures.demo import copy_demo, laptop_template

pytestmark = pytest.mark.postgres
CODE = "ak_suu"
USERS = {"root": ADMIN, "aida": FACILITATOR, "meder": MONITOR, "saule": TRAINER, "olga": OBSERVER}
OPERATOR = Actor("operator", ADMIN)
REFUSED = "may not write|read-only|permission denied"  # the trigger, the read-only option, the GRANTs


@pytest.fixture(scope="module")
def central(pg_server, tmp_path_factory, demo_template):
    demo = copy_demo(demo_template, tmp_path_factory.mktemp("demo") / "ws")
    # the operator docs/deployment.md describes (CREATEROLE, not a superuser), as in production
    with open_workspace(demo) as d, Central(pg_server.new_central_database(), tmp_path_factory.mktemp("central")) as c:
        c.add_municipality(CODE, d.municipality(), OPERATOR)
        for user, role in USERS.items():
            c.grant(user, "*" if role == ADMIN else CODE, role, OPERATOR)
        budget = d.load_budget()
        yield c, budget


def writes(budget):
    """Each kind of row a workspace holds, written as the core writes it, with the right ``roles`` gives it."""
    return {
        "hearing": (HEARING, lambda ws, who: ws.ledger.append("hearing:h1", "note", {}, actor=who)),
        "results shown": (HEARING, lambda ws, who: ws.set_setting("results_hidden:h1", False)),
        "monitoring": (MONITORING, lambda ws, who: ws.ledger.append("monitoring:project:p1", "note", {}, actor=who)),
        "services": (SERVICES, lambda ws, who: ws.ledger.append("services:register", "note", {}, actor=who)),
        "needs": (NEEDS, lambda ws, who: ws.ledger.append("needs:main", "note", {}, actor=who)),
        # another year for each user: the same budget twice is (rightly) refused by the core
        "budget": (BUDGET, lambda ws, who: ws.save_budget(replace(budget, year=budget.year + list(USERS).index(who)))),
        "municipality": (ACCESS, lambda ws, who: ws.save_municipality(ws.municipality())),
        "hearing deleted": (HEARING, lambda ws, who: ws.ledger.append("workspace:deleted-hearings", "note", {}, actor=who)),
        "hand-in log": (SYNC, lambda ws, who: ws.ledger.append("workspace:sync", "note", {}, actor=who)),
        "budget followed": (MONITORING, lambda ws, who: ws.ledger.append("budget-follow", "note", {}, actor=who)),
        "unknown stream": (ACCESS, lambda ws, who: ws.ledger.append("other:x", "note", {}, actor=who)),
    }


def count_rows(ws) -> dict[str, int]:
    from sqlalchemy import func, select

    from pbtools.storage import schema

    with ws.engine.connect() as conn:
        return {t: conn.execute(select(func.count()).select_from(schema.metadata.tables[t])).scalar()
                for t in sorted(schema.metadata.tables)}


@pytest.mark.parametrize("user", list(USERS))
def test_each_roles_database_takes_what_the_role_may_write_and_refuses_the_rest(central, tmp_path, user):
    reg, budget = central
    env = spawn_environment(reg, user, CODE)
    actor = Actor(user, USERS[user])
    with open_workspace(tmp_path / user, db_url=env["PBTOOLS_DB"], create=False) as ws:
        assert ws.municipality() is not None  # every role reads
        for what, (right, write) in writes(budget).items():
            before = count_rows(ws)
            if actor.may(right):
                write(ws, user)
                assert count_rows(ws) != before or what in ("results shown", "municipality"), what
            else:
                with pytest.raises(DBAPIError, match=REFUSED):
                    write(ws, user)
                assert count_rows(ws) == before, what  # nothing of it stored


def test_the_monitors_server_may_record_monitoring_but_not_a_hearing():
    """The bug this fixes: a monitor's server had a read-only connection (it writes neither hearings nor budgets)."""
    assert rights.writes_of(Actor("meder", MONITOR)) == MONITORING
    assert rights.writes_of(Actor("olga", OBSERVER)) == rights.writes_of(Actor("saule", TRAINER)) == rights.NONE
    assert set(rights.writes_of(Actor("aida", FACILITATOR)).split(",")) == {BUDGET, HEARING, MONITORING, SERVICES, NEEDS, "sync"}


def test_every_table_of_a_workspace_says_who_may_write_it():
    assert rights.missing_tables() == []


def test_the_operators_own_connection_is_not_limited(central, tmp_path):
    reg, budget = central
    with reg.workspace(CODE) as ws:  # the central operator: `pbtools central`, backups, `sync push --db`
        ws.ledger.append("monitoring:project:op", "note", {}, actor="operator")
        ws.save_municipality(ws.municipality())


def test_a_facilitators_server_takes_a_hand_in_and_a_monitors_does_not(central, tmp_path, tmp_path_factory):
    """A hand-in writes a hearing's records (and whatever adopting them needs) through the server's connection."""
    from pbtools.hearings.store import hearing_ids
    from pbtools.reports.audit import write_audit
    from pbtools.sync.push import hand_in

    reg, _budget = central
    demo = copy_demo(laptop_template(tmp_path_factory), tmp_path_factory.mktemp("laptop") / "ws")
    with open_workspace(demo) as d:
        audit = write_audit(d, hearing_ids(d)[0], tmp_path / "hand-in.jsonl")
    env = spawn_environment(reg, "meder", CODE)
    with open_workspace(tmp_path / "m", db_url=env["PBTOOLS_DB"], create=False) as ws:
        with pytest.raises(DBAPIError, match="may not write"):
            hand_in(ws, audit, Actor("meder", ADMIN))  # the core's check left out: the database refuses
    env = spawn_environment(reg, "aida", CODE)
    with open_workspace(tmp_path / "f", db_url=env["PBTOOLS_DB"], create=False) as ws:
        handed = hand_in(ws, audit, Actor("aida", FACILITATOR))
        assert handed.appended == len(audit.read_text(encoding="utf-8").splitlines()) - 1


def snapshot(reg) -> dict:
    """Every row of the municipality's workspace, as the operator reads them."""
    from sqlalchemy import select

    from pbtools.storage import schema

    with reg.workspace(CODE) as ws, ws.engine.connect() as conn:
        return {t: sorted(map(tuple, conn.execute(select(schema.metadata.tables[t])).all()))
                for t in sorted(schema.metadata.tables)}


RECORD = ("INSERT INTO ledger_records (stream, seq, kind, payload, actor, created_at, reason, prev_hash, hash) "
          "VALUES ('{stream}', 99, 'note', '{{}}', 'x', 'now', '', '', '')")
# The reviewer's attacks: SQL a server's connection could send whatever the apps do (a kernel taken over, a bug).
ATTACKS = {
    "meder": [  # the monitor: writes monitoring streams, nothing else
        ["SET pbtools.writes = 'hearing,monitoring'", RECORD.format(stream="hearing:attack")],
        ["SET SESSION pbtools.writes = ''", RECORD.format(stream="hearing:attack")],
        ["UPDATE ledger_records SET stream = 'monitoring:x', payload = 'gone' WHERE stream = 'hearing:attack'"],
        ["UPDATE ledger_streams SET head_seq = 0 WHERE name = 'hearing:attack'"],  # its own columns, a hearing's row
        ["UPDATE ledger_streams SET name = 'monitoring:x' WHERE name = 'hearing:attack'"],
        ["DELETE FROM ledger_records WHERE stream = 'hearing:attack'"],
        ["TRUNCATE ledger_records CASCADE"],
        ["DROP TRIGGER pbtools_rights ON ledger_records"],
        ["ALTER TABLE ledger_records DISABLE TRIGGER pbtools_rights"],
        ["CREATE OR REPLACE FUNCTION pbtools_check_write() RETURNS trigger LANGUAGE plpgsql AS $$BEGIN RETURN NEW; END$$"],
        ["SET ROLE pbtools", RECORD.format(stream="hearing:attack")],  # the schema's owner (the tests' superuser)
        ["SET ROLE m_ak_suu_facilitator", RECORD.format(stream="hearing:attack")],  # another role's login
        ["SET SESSION AUTHORIZATION pbtools"],
        # a name that only starts like a stream the role writes (LIKE 'budget-follow%' took it)
        ["INSERT INTO ledger_streams (name, head_seq, head_hash) VALUES ('budget-follow-x', 0, '')"],
        ["INSERT INTO ledger_streams (name, head_seq, head_hash) VALUES ('monitoring', 0, '')"],
        ["INSERT INTO budgets (year, municipality, source, imported_at) VALUES (1, '{}', 'x', 'now')"],
    ],
    "olga": [  # the observer: writes nothing
        ["SET default_transaction_read_only = off", "SET pbtools.writes = 'monitoring'",
         RECORD.format(stream="monitoring:project:attack")],
        ["BEGIN READ WRITE", "INSERT INTO settings (key, value) VALUES ('lang', '\"ru\"')"],
        ["SET default_transaction_read_only = off", "UPDATE settings SET value = 'x'"],
    ],
}


@pytest.mark.parametrize("user,attack", [(u, a) for u, attacks in ATTACKS.items() for a in attacks],
                         ids=lambda v: v if isinstance(v, str) else v[-1][:60])
def test_a_roles_connection_cannot_get_past_the_database_whatever_sql_it_sends(central, user, attack):
    from sqlalchemy import create_engine, text

    reg, _budget = central
    with reg.workspace(CODE) as ws:  # a hearing's stream to attack, written by the operator
        if ws.ledger.head("hearing:attack") == 0:
            ws.ledger.append("hearing:attack", "note", {}, actor="operator")
    before = snapshot(reg)
    engine = create_engine(spawn_environment(reg, user, CODE)["PBTOOLS_DB"])
    try:
        # each statement its own transaction, so a SET reaches the transactions after it
        with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            with pytest.raises(DBAPIError, match=REFUSED + "|must be owner|not permitted") as refused:
                for sql in attack:
                    conn.execute(text(sql))
                conn.execute(text("COMMIT"))
            print(user, attack[-1][:50], "->", str(refused.value.orig).splitlines()[0])
            conn.execute(text("ROLLBACK"))
            assert conn.execute(text("SELECT current_user")).scalar() == rights.login("m_" + CODE, USERS[user])
    finally:
        engine.dispose()
    assert snapshot(reg) == before


def test_a_roles_login_writes_what_the_role_may_by_plain_sql(central):
    """The control for the attacks above: the monitor's login does write a monitoring stream with the same SQL."""
    from sqlalchemy import create_engine, text

    reg, _budget = central
    engine = create_engine(spawn_environment(reg, "meder", CODE)["PBTOOLS_DB"])
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO ledger_streams (name, head_seq, head_hash) VALUES ('monitoring:sql', 0, '')"))
            conn.execute(text("UPDATE ledger_streams SET head_seq = 0 WHERE name = 'monitoring:sql'"))
    finally:
        engine.dispose()
    assert "monitoring:sql" in {row[0] for row in snapshot(reg)["ledger_streams"]}


def test_a_login_reads_its_own_municipality_only(central, tmp_path):
    from sqlalchemy import create_engine, text

    from pbtools.budget.model import Municipality

    reg, _budget = central
    reg.add_municipality("kara_too", Municipality({"ky": "Кара-Тоо", "ru": "Кара-Тоо", "en": "Kara-Too"}), OPERATOR)
    reg.grant("bakyt", "kara_too", FACILITATOR, OPERATOR)
    spawn_environment(reg, "bakyt", "kara_too")  # kara_too's logins and checks made
    engine = create_engine(spawn_environment(reg, "aida", CODE)["PBTOOLS_DB"])
    try:
        with engine.connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM municipality")).scalar() == 1
            with pytest.raises(DBAPIError, match="permission denied for schema"):
                conn.execute(text("SELECT count(*) FROM m_kara_too.municipality"))
            conn.rollback()
            with pytest.raises(DBAPIError, match="permission denied for schema"):
                conn.execute(text("SELECT count(*) FROM pbtools_central.db_logins"))  # the passwords
    finally:
        engine.dispose()


def test_an_operator_without_createrole_is_told_so_when_adding_a_municipality(pg_server, tmp_path):
    """The logins are made when a municipality is added: a database user that may not create roles is told which
    user and what it lacks, in the user's language, before anything is stored (no municipality without its logins)."""
    import psycopg

    from pbtools.budget.model import Municipality
    from pbtools.central.registry import CentralError

    url = pg_server.new_database()
    database = url.rsplit("/", 1)[1]
    with psycopg.connect(f"host=127.0.0.1 port={pg_server.port} user=pbtools dbname={database}", autocommit=True) as conn:
        conn.execute("CREATE ROLE plain_operator LOGIN PASSWORD 'plain-pw-2026'")
        conn.execute(f'GRANT CREATE ON DATABASE "{database}" TO plain_operator')
    with Central(url.replace("//pbtools@", "//plain_operator:plain-pw-2026@"), tmp_path) as c:
        with pytest.raises(CentralError) as refused:
            c.add_municipality("kok_jar", Municipality({"ky": "Көк-Жар", "ru": "Кок-Жар", "en": "Kok-Jar"}), OPERATOR)
        assert "kok_jar" not in c.codes()  # refused before anything was stored
    with psycopg.connect(f"host=127.0.0.1 port={pg_server.port} user=pbtools dbname={database}") as conn:
        assert conn.execute("SELECT count(*) FROM information_schema.schemata WHERE schema_name = 'm_kok_jar'").fetchone()[0] == 0
    for lang in ("en", "ru", "ky"):
        assert "plain_operator" in refused.value.render(lang) and "CREATEROLE" in refused.value.render(lang)
    assert "логин" in refused.value.render("ru") and "логиндерин" in refused.value.render("ky")
