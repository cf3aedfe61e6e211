"""The paper-ballot hint's example is a ballot the question accepts ("choose up to 2": "1 3", never "1 3 5")."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from pbtools.hearings.entry import paper_hint, read_entry
from pbtools.hearings.model import Option, Question


def options(n: int) -> dict[str, Option]:
    return {f"p{i}": Option(f"p{i}", i, {"ky": f"Долбоор {i}"}, Decimal(100)) for i in range(1, n + 1)}


def example(hint: str) -> str:
    return re.search(r"(?:e\.g\.|мисалы|например) (.*?), ", hint).group(1)


@pytest.mark.parametrize("n", [1, 2, 3, 6])
@pytest.mark.parametrize("kind, limits", [
    ("single", {}), ("approval", {"max_choices": 1}), ("approval", {"max_choices": 2}), ("approval", {"max_choices": 5}),
    ("ranking", {"max_choices": 2}), ("ranking", {"max_choices": 3}),
    ("points", {"points": 1}), ("points", {"points": 5}), ("points", {"points": 2, "stacking": False}),
    ("knapsack", {}), ("motion", {}),
])
def test_the_example_is_a_valid_ballot_of_the_question(kind, limits, n):
    opts = options(n)
    if kind == "points" and not limits.get("stacking", True) and limits["points"] > n:
        pytest.skip("no valid ballot: more points than options, one point each")
    q = Question("q1", kind, {"ky": "?"}, options=() if kind == "motion" else tuple(opts), **limits)
    for lang in ("ky", "ru", "en"):
        typed = example(paper_hint(q, opts, lang)) if kind != "motion" else "1"
        ballot, problems = read_entry(q, opts, typed, budget=Decimal(1000))
        assert ballot is not None and not problems, (typed, [p.render("en") for p in problems])


def test_choose_up_to_two_shows_two_numbers_in_every_language():
    opts = options(6)
    q = Question("q1", "approval", {"ky": "?"}, options=tuple(opts), max_choices=2)
    assert "мисалы 1 3," in paper_hint(q, opts, "ky")
    assert "например 1 3," in paper_hint(q, opts, "ru")
    assert "e.g. 1 3," in paper_hint(q, opts, "en")
    ranking = Question("q2", "ranking", {"ky": "?"}, options=tuple(opts), max_choices=3)
    assert example(paper_hint(ranking, opts, "en")) == "3 1 2"
