"""The roles: which write each may make, and the refusal said in the user's language."""

import pytest

from pbtools.roles import (
    ADMIN, ALLOWED, FACILITATOR, HEARING, LOCAL, MONITOR, MONITORING, OBSERVER, ROLES, SANDBOX, TRAINER, WRITES,
    Actor, NotAllowed, as_actor,
)


def test_monitoring_group_writes_progress_and_acts_never_hearings():
    member = Actor("Айгүл", MONITOR)
    member.require(MONITORING)
    with pytest.raises(NotAllowed) as e:
        member.require(HEARING)
    assert e.value.render("ru") == "Айгүл (член группы мониторинга) не может изменять слушания"
    assert "Айгүл" in e.value.render("ky") and "мониторинг тобунун мүчөсү" in e.value.render("ky")


def test_each_role_may_exactly_its_writes():
    for role in ROLES:
        actor = Actor("x", role)
        assert {w for w in WRITES if actor.may(w)} == ALLOWED[role]
    assert not any(Actor("x", OBSERVER).may(w) for w in WRITES)
    assert {w for w in WRITES if Actor("x", TRAINER).may(w)} == {SANDBOX}
    assert all(LOCAL.may(w) for w in WRITES) and LOCAL.role == ADMIN


def test_unknown_role_or_write_is_a_programming_error():
    with pytest.raises(ValueError):
        Actor("x", "mayor")
    with pytest.raises(ValueError):
        Actor("x").may("ballots")


def test_a_plain_name_is_the_laptops_facilitator():
    assert as_actor("Бакыт") == Actor("Бакыт", FACILITATOR)
    assert as_actor(LOCAL) is LOCAL
