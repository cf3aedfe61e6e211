"""The hearing's store checks the writer's role on every kind of write (the central server passes each user's role;
a hall laptop passes a plain name: its facilitator): refused writes store nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.casting import CastItem
from pbtools.hearings.deletion import delete_hearing
from pbtools.hearings.model import APPROVAL, PB_VOTE, Ballot, Hearing, Option, Participant, Question
from pbtools.hearings.store import create_hearing
from pbtools.phones.mode import OPEN as OPEN_MODE, set_phone_mode
from pbtools.roles import ADMIN, FACILITATOR, MONITOR, OBSERVER, TRAINER, Actor, NotAllowed
from pbtools.storage import open_workspace


@pytest.fixture
def store(tmp_path):
    with open_workspace(tmp_path / "ws") as ws:
        s = create_hearing(ws, Hearing("h1", "Ак-Суу", PB_VOTE, "2026-05-14", villages=("Ак-Суу",),
                                       budget=Decimal(100)), actor=Actor("Айгүл", FACILITATOR))
        s.add_option(Option("a", 1, {"en": "A"}, Decimal(50)), actor="Айгүл")
        s.define_question(Question("q", APPROVAL, {"en": "Q"}, ("a",)), actor="Айгүл")
        s.open(actor="Айгүл")
        yield s


WRITES = {
    "create": lambda s, who: create_hearing(s.ws, Hearing("h2", "Ак-Суу", PB_VOTE, "2026-06-01", budget=Decimal(1)), who),
    "register": lambda s, who: s.register(Participant("f", "30_44", "Ак-Суу"), actor=who),
    "cast": lambda s, who: s.cast("q", Ballot((("a", 1),)), actor=who),
    "typed": lambda s, who: s.cast_typed("q", "1", actor=who),
    "many": lambda s, who: s.cast_many([CastItem("q", Ballot((("a", 1),)), who, "phone")]),
    "count": lambda s, who: s.enter_count("q", {"all": {"a": 3}}, actor=who),
    "codes": lambda s, who: s.issue_codes(2, actor=who),
    "phones": lambda s, who: set_phone_mode(s.ws, s.id, OPEN_MODE, actor=who),
    "close": lambda s, who: s.close(actor=who),
    "delete": lambda s, who: delete_hearing(s.ws, s.id, actor=who),
}


@pytest.mark.parametrize("role", [MONITOR, TRAINER, OBSERVER])
@pytest.mark.parametrize("write", list(WRITES))
def test_a_role_that_may_not_change_hearings_stores_nothing(store, role, write):
    streams = {name: store.ws.ledger.head(name) for name in store.ws.ledger.streams()}
    with pytest.raises(NotAllowed) as refused:
        WRITES[write](store, Actor("Бакыт", role))
    assert "Бакыт" in refused.value.render("ru")
    assert {name: store.ws.ledger.head(name) for name in store.ws.ledger.streams()} == streams


def test_a_facilitator_an_administrator_and_a_plain_name_write_under_their_names(store):
    store.cast("q", Ballot((("a", 1),)), actor=Actor("Айгүл", FACILITATOR))
    store.cast("q", Ballot((("a", 1),)), actor=Actor("Root", ADMIN))
    store.cast("q", Ballot((("a", 1),)), actor="tablet")  # the hall laptop's screens pass a name
    actors = [r.actor for r in store.ws.ledger.records(store.stream)][-3:]
    assert actors == ["Айгүл", "Root", "tablet"]
