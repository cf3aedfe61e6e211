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
from pbtools.demo import create_demo
from pbtools.roles import ACCESS, ADMIN, BUDGET, FACILITATOR, HEARING, MONITOR, MONITORING, NEEDS, OBSERVER, SERVICES, SYNC, TRAINER, Actor
from pbtools.storage import open_workspace

pytestmark = pytest.mark.postgres
CODE = "ak_suu"
USERS = {"root": ADMIN, "aida": FACILITATOR, "meder": MONITOR, "saule": TRAINER, "olga": OBSERVER}
OPERATOR = Actor("operator", ADMIN)
REFUSED = "may not write|read-only|permission denied"  # the trigger, the read-only option, the GRANTs


@pytest.fixture(scope="module")
def central(pg_server, tmp_path_factory):
    demo = tmp_path_factory.mktemp("demo") / "ws"
    create_demo(demo)
    with open_workspace(demo) as d, Central(pg_server.new_database(), tmp_path_factory.mktemp("central")) as c:
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
    demo = tmp_path_factory.mktemp("laptop") / "ws"
    create_demo(demo)
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
