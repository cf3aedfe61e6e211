"""A workspace with the closed sample hearing, and one with a small open hearing."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings.model import APPROVAL, MOTION, PB_VOTE, POINTS, RANKING, Hearing, Option, Question
from pbtools.hearings.sample import create_sample_hearing
from pbtools.hearings.store import create_hearing, state
from pbtools.storage import open_workspace

COSTS = {"a": 500_000, "b": 300_000, "c": 250_000, "d": 400_000}


@pytest.fixture(scope="session")
def sample(tmp_path_factory):
    with open_workspace(tmp_path_factory.mktemp("sample") / "ws") as ws:
        yield state(ws, create_sample_hearing(ws))


@pytest.fixture
def ws(tmp_path):
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


@pytest.fixture
def store(ws):
    """Open; budget 1,000,000 som; options a-d; an approval, a points, a ranking question and a motion."""
    s = create_hearing(ws, Hearing("h1", "Ак-Суу айыл аймагы", PB_VOTE, "2026-05-14", villages=("Ак-Суу", "Кара-Булак"),
                                   budget=Decimal(1_000_000)), actor="secretary")
    s.add_options([Option(o, n, {"ky": f"Долбоор {o}", "ru": f"Проект {o}", "en": f"Project {o}"}, Decimal(c))
                   for n, (o, c) in enumerate(COSTS.items(), start=1)], actor="secretary")
    ids = tuple(COSTS)
    s.define_question(Question("ap", APPROVAL, {"en": "Up to 2"}, ids, max_choices=2), actor="f")
    s.define_question(Question("pt", POINTS, {"en": "3 points"}, ids, points=3, score="points"), actor="f")
    s.define_question(Question("rk", RANKING, {"en": "Top 2"}, ids, max_choices=2, score="borda"), actor="f")
    s.define_question(Question("mo", MOTION, {"en": "Send to the council"}), actor="f")
    s.open(actor="chair")
    return s
