"""Every ballot kind checks a ballot completely and names what is wrong, in ky, ru and en."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from hypothesis import given, strategies as st

from pbtools.hearings.ballots import check_question, validate
from pbtools.hearings.model import Ballot
from tests.hearings.helpers import agenda, question

OPTIONS = agenda()
IDS = list(OPTIONS)


def marks(*pairs):
    return Ballot(tuple(pairs))


def one(*ids):
    return Ballot(tuple((i, 1) for i in ids))


def rendered(problems, lang="en"):
    return [p.render(lang) for p in problems]


CASES = [
    # kind, question options, ballot, expected fragment of the English message ("" = valid)
    ("single", {}, one("P2"), ""),
    ("single", {}, one("P2", "P3"), "Choose one option; this ballot chooses 2"),
    ("single", {}, one(), "No option is chosen"),
    ("single", {}, one("P9"), "Option P9 is not on this ballot"),
    ("single", {}, marks(("P1", 3)), "a number is not expected"),
    ("approval", {"max_choices": 3}, one("P1", "P3", "P5"), ""),
    ("approval", {"max_choices": 3}, one("P1", "P2", "P3", "P4"), "Too many choices: 4, at most 3"),
    ("approval", {"max_choices": 3}, one("P1", "P1"), "Option №1 is marked more than once"),
    ("approval", {"max_choices": 3}, one(), "No option is chosen"),
    ("approval", {"max_choices": 3}, Ballot(answer="yes"), "not yes/no/abstain"),
    ("points", {"points": 5}, marks(("P1", 3), ("P4", 2)), ""),
    ("points", {"points": 5}, marks(("P1", 3), ("P4", 3)), "Points add up to 6, more than 5"),
    ("points", {"points": 5}, marks(("P1", 3)), "Points add up to 3; all 5 must be used"),
    ("points", {"points": 5, "exact_points": False}, marks(("P1", 3)), ""),
    ("points", {"points": 5}, marks(("P1", 0), ("P2", 5)), "Option №1: points must be a whole number of at least 1, not 0"),
    ("points", {"points": 3, "stacking": False}, marks(("P1", 2), ("P2", 1)), "Option №1: at most one point per option, not 2"),
    ("points", {"points": 3, "stacking": False}, marks(("P1", 1), ("P2", 1), ("P5", 1)), ""),
    ("points", {"points": 5}, marks(("P1", 3), ("P1", 2)), "Option №1 is marked more than once"),
    ("ranking", {"max_choices": 3}, marks(("P3", 1), ("P1", 2), ("P2", 3)), ""),
    ("ranking", {"max_choices": 3}, marks(("P3", 1), ("P1", 1)), "Rank 1 is given to more than one option: №3, №1"),
    ("ranking", {"max_choices": 3}, marks(("P3", 1), ("P1", 3)), "Rank 2 is missing"),
    ("ranking", {"max_choices": 3}, marks(("P3", 4)), "Option №3: rank 4 is outside 1–3"),
    ("ranking", {"max_choices": 2}, marks(("P3", 1), ("P1", 2), ("P2", 3)), "Too many ranked: 3, at most 2"),
    ("ranking", {"max_choices": 3}, marks(("P3", 1), ("P3", 2)), "Option №3 is marked more than once"),
    ("knapsack", {}, one("P1", "P2", "P4"), ""),  # 800 000 of 1 000 000
    ("knapsack", {}, one("P1", "P3", "P4"), "Over budget: the chosen options cost 1,150,000\xa0som, the budget is 1,000,000\xa0som"),
    ("knapsack", {"budget": Decimal(300_000)}, one("P2"), ""),
    ("knapsack", {"budget": Decimal(300_000)}, one("P1"), "the budget is 300,000\xa0som"),
    ("motion", {}, Ballot(answer="abstain"), ""),
    ("motion", {}, Ballot(answer="maybe"), "Answer yes, no or abstain"),
    ("motion", {}, one("P1"), "not options"),
]


@pytest.mark.parametrize("kind, settings, ballot, expected", CASES)
def test_each_kind_accepts_valid_and_names_each_problem(kind, settings, ballot, expected):
    problems = rendered(validate(question(kind, **settings), OPTIONS, ballot, budget=Decimal(1_000_000)))
    if expected:
        assert any(expected in p for p in problems), problems
    else:
        assert problems == []


@pytest.mark.parametrize("kind, settings, ballot, expected", [c for c in CASES if c[3]])
def test_problems_are_translated(kind, settings, ballot, expected):
    problems = validate(question(kind, **settings), OPTIONS, ballot, budget=Decimal(1_000_000))
    en, ru, ky = (rendered(problems, lang) for lang in ("en", "ru", "ky"))
    assert en != ru and ru != ky and en != ky
    # the option numbers named in English are named in every language
    for lang_text in (ru, ky):
        for e, t in zip(en, lang_text):
            assert re.findall(r"№\d+", e) == re.findall(r"№\d+", t)


def test_knapsack_money_is_written_per_language():
    problems = validate(question("knapsack"), OPTIONS, one("P1", "P3", "P4"), budget=Decimal(1_000_000))
    assert "1\xa0150\xa0000" in problems[0].render("ru") and "1,150,000" in problems[0].render("en")


@given(st.lists(st.sampled_from(IDS + ["X"]), max_size=7), st.integers(1, 5))
def test_approval_agrees_with_its_definition(chosen, k):
    ok = 1 <= len(chosen) <= k and len(set(chosen)) == len(chosen) and "X" not in chosen
    assert (validate(question("approval", max_choices=k), OPTIONS, one(*chosen)) == []) == ok


@given(st.lists(st.tuples(st.sampled_from(IDS), st.integers(-1, 6)), max_size=6), st.integers(1, 8), st.booleans(), st.booleans())
def test_points_agree_with_their_definition(pairs, total, stacking, exact):
    ids = [o for o, _ in pairs]
    points = [v for _, v in pairs]
    ok = (
        pairs != [] and len(set(ids)) == len(ids) and all(v >= 1 for v in points)
        and (stacking or all(v <= 1 for v in points))
        and (sum(points) == total if exact else sum(points) <= total)
    )
    q = question("points", points=total, stacking=stacking, exact_points=exact)
    assert (validate(q, OPTIONS, marks(*pairs)) == []) == ok


@given(st.lists(st.tuples(st.sampled_from(IDS), st.integers(0, 6)), max_size=6), st.integers(1, 5))
def test_ranking_agrees_with_its_definition(pairs, k):
    ids = [o for o, _ in pairs]
    ranks = sorted(r for _, r in pairs)
    ok = pairs != [] and len(set(ids)) == len(ids) and len(pairs) <= k and ranks == list(range(1, len(ranks) + 1))
    assert (validate(question("ranking", max_choices=k), OPTIONS, marks(*pairs)) == []) == ok


@given(st.sets(st.sampled_from(IDS)), st.integers(0, 2_000_000))
def test_knapsack_agrees_with_its_definition(chosen, budget):
    cost = sum(OPTIONS[o].cost for o in chosen)
    ok = bool(chosen) and cost <= budget
    assert (validate(question("knapsack"), OPTIONS, one(*sorted(chosen)), budget=Decimal(budget)) == []) == ok


def test_question_definitions_are_checked():
    assert check_question(question("approval", max_choices=3), OPTIONS) == []
    assert check_question(question("approval", max_choices=9), OPTIONS)
    assert check_question(question("points", points=0), OPTIONS)
    assert check_question(question("points", points=9, stacking=False), OPTIONS)
    assert check_question(question("motion"), OPTIONS) == []
    bad = question("single")
    assert "Option P7 is not on the agenda" in rendered(check_question(bad.__class__(**{**bad.__dict__, "options": ("P1", "P7")}), OPTIONS))


def test_a_question_without_options_is_told_so_once():
    """No option selected: one problem, saying where to select them (not also "choices between 1 and 0")."""
    import dataclasses

    empty = dataclasses.replace(question("approval", max_choices=2), options=())
    problems = check_question(empty, OPTIONS)
    assert [p.render("en") for p in problems] == ["The question has no options: select them in the list of options"]
    assert problems[0].render("ky") == "Суроодо варианттар жок: аларды варианттардын тизмесинен тандаңыз"
