"""A central server (a throwaway PostgreSQL) with the demo municipality registered, and laptops (SQLite)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.budget.model import Municipality
from pbtools.central.registry import Central
from pbtools.hearings.model import APPROVAL, PB_VOTE, Ballot, Hearing, Participant, Question
from pbtools.hearings.store import create_hearing
from pbtools.roles import ADMIN, FACILITATOR, MONITOR, OBSERVER, TRAINER, Actor
from pbtools.storage import open_workspace
from tests.fixtures.demo import copy_demo, laptop_template
from tests.hearings.helpers import agenda

CODE = "ak_suu"
OPERATOR = Actor("operator", ADMIN)
USERS = {"aida": FACILITATOR, "meder": MONITOR, "saule": TRAINER, "olga": OBSERVER}


@pytest.fixture
def laptop(tmp_path_factory, tmp_path):
    """A hall laptop's workspace: the demo municipality, its budget and its closed sample hearing, as a
    municipality's own (not a practice hearing, no demo mark): a copy of the session's ``laptop_template`` (building
    one for each of some 40 tests took a minute)."""
    path = copy_demo(laptop_template(tmp_path_factory), tmp_path / "laptop")
    with open_workspace(path) as ws:
        yield ws


@pytest.fixture
def central(pg_fresh_url, tmp_path, laptop):
    with Central(pg_fresh_url, tmp_path / "central") as c:
        c.add_municipality(CODE, laptop.municipality(), OPERATOR)
        c.add_municipality("kara_too", Municipality({"ky": "Кара-Тоо айыл аймагы", "ru": "Кара-Тоо", "en": "Kara-Too"}), OPERATOR)
        for user, role in USERS.items():
            c.grant(user, CODE, role, OPERATOR)
        c.grant("bakyt", "kara_too", FACILITATOR, OPERATOR)  # another municipality's facilitator
        c.grant("root", "*", ADMIN, OPERATOR)
        yield c


def open_hearing(ws, hearing_id: str = "2026-05-14-a1b2") -> object:
    """An open hearing on the laptop with a few participants and ballots; returns its store."""
    m = ws.municipality()
    store = create_hearing(ws, Hearing(hearing_id, m.name("ky"), PB_VOTE, "2026-05-14", budget=Decimal(900_000),
                                       villages=("Көк-Талаа",)), actor="Айпери")  # one of the demo's villages
    store.add_options(list(agenda().values()), actor="Айпери")
    store.define_question(Question("q1", APPROVAL, {"en": "Choose"}, tuple(agenda()), max_choices=2), actor="Айпери")
    store.open(actor="Айпери")
    for sex in "fmf":
        store.register(Participant(sex, "30_44", "Көк-Талаа"), actor="door")
    store.cast("q1", Ballot((("P1", 1), ("P2", 1))), actor="clerk 1")
    return store


def more_ballots(store, n: int = 3) -> None:
    for i in range(n):
        store.cast("q1", Ballot(((f"P{1 + i % 5}", 1),)), actor="clerk 2")
