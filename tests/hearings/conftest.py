"""A workspace with an open hearing (five projects, one question of each ballot kind)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import APPROVAL, KNAPSACK, MOTION, PB_VOTE, POINTS, RANKING, SINGLE, Hearing, Question
from pbtools.hearings.store import create_hearing
from tests.hearings.helpers import agenda

VILLAGES = ("Ак-Суу", "Кара-Булак", "Жаңы-Жол")


def new_hearing(**kw) -> Hearing:
    fields = dict(id="h1", municipality="Ак-Суу айыл аймагы", type=PB_VOTE, date="2026-05-14", villages=VILLAGES,
                  budget=Decimal(1_000_000))
    return Hearing(**{**fields, **kw})


def build(ws, open_it: bool = True, **kw):
    store = create_hearing(ws, new_hearing(**kw), actor="secretary")
    store.add_options(list(agenda().values()), actor="secretary")
    ids = tuple(agenda())
    for q in (
        Question("single", SINGLE, {"en": "One"}, ids),
        Question("approval", APPROVAL, {"en": "Up to 3"}, ids, max_choices=3),
        Question("points", POINTS, {"en": "5 points"}, ids, points=5),
        Question("ranking", RANKING, {"en": "Top 3"}, ids, max_choices=3),
        Question("knapsack", KNAPSACK, {"en": "Fit"}, ids),
        Question("motion", MOTION, {"en": "Send to the council"}),
    ):
        store.define_question(q, actor="facilitator")
    if open_it:
        store.open(actor="chair")
    return store


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def db_url(request):
    if request.param == "sqlite":
        return None
    try:
        return request.getfixturevalue("pg_fresh_url")
    except pytest.FixtureLookupError:  # the PostgreSQL fixture is not in this checkout
        pytest.skip("no pg_fresh_url fixture")


@pytest.fixture
def ws(tmp_path, db_url):
    from pbtools.storage import open_workspace

    with open_workspace(tmp_path / "ws", db_url=db_url) as workspace:
        yield workspace


@pytest.fixture
def store(ws):
    return build(ws)
