"""The aggregation rules on examples checked by hand (ties included), per group and per village."""

from __future__ import annotations

import pytest

from pbtools.needs import aggregate as A
from pbtools.needs.model import NeedsState, Problem, Session


def state(sessions: list[tuple[str, str, str]], n_problems: int = 5) -> NeedsState:
    """``sessions``: (village, group, ranking as problem numbers "1 3 2")."""
    st = NeedsState("t")
    for i in range(1, n_problems + 1):
        st.problems[f"p{i}"] = Problem(f"p{i}", i, {"en": f"Problem {i}"}, f"problem {i}")
    for i, (village, group, ranking) in enumerate(sessions, start=1):
        st.sessions[f"s{i}"] = Session(f"s{i}", i, village, group)
        st.rankings[f"s{i}"] = tuple(f"p{n}" for n in ranking.split())
    return st


# Worked on paper: women 1 3 2, men 2 1, youth 4 1
EXAMPLE = [("A", "women", "1 3 2"), ("A", "men", "2 1"), ("B", "youth", "4 1")]


def table(outcome: A.Outcome) -> list[tuple[str, int, int, bool]]:
    return [(s.problem, s.score, s.place, s.tied) for s in outcome.standings]


def test_borda_by_hand_with_a_tie():
    # p1: 3 (women) + 1 (men) + 1 (youth) = 5; p2: 1 + 2 = 3; p3: 2; p4: 2 -> p3 and p4 share place 3
    out = A.aggregate(state(EXAMPLE), A.BORDA)
    assert table(out) == [("p1", 5, 1, False), ("p2", 3, 2, False), ("p3", 2, 3, True), ("p4", 2, 3, True)]
    assert [tuple(s.problem for s in t) for t in out.ties()] == [("p3", "p4")]


def test_top_n_counts_groups():
    # top 1: p1 (women), p2 (men), p4 (youth): a three-way tie for first
    out = A.aggregate(state(EXAMPLE), A.TOPN, top_n=1)
    assert table(out)[:3] == [("p1", 1, 1, True), ("p2", 1, 1, True), ("p4", 1, 1, True)]
    assert ("p3", 0, 4, False) in table(out)
    # top 2: p1 in all three lists' first two
    out = A.aggregate(state(EXAMPLE), A.TOPN, top_n=2)
    assert table(out)[0] == ("p1", 3, 1, False)
    assert {s.problem for s in out.standings if s.place == 2} == {"p2", "p3", "p4"}


def test_copeland_pairwise_by_hand():
    # p1 beats p2 (2:1), p3 (3:0), p4 (2:1); p2 beats p4 (2:1); p2-p3 1:1 and p3-p4 1:1 are draws
    out = A.aggregate(state(EXAMPLE), A.COPELAND)
    assert table(out) == [("p1", 3, 1, False), ("p2", 0, 2, False), ("p3", -1, 3, False), ("p4", -2, 4, False)]


def test_copeland_condorcet_cycle_is_a_tie():
    # the classic cycle: 1>2>3, 2>3>1, 3>1>2: every pair 2:1 one way, every score 0
    out = A.aggregate(state([("A", "w", "1 2 3"), ("A", "m", "2 3 1"), ("A", "y", "3 1 2")]), A.COPELAND)
    assert {(s.score, s.place, s.tied) for s in out.standings} == {(0, 1, True)}


def test_per_group_and_per_village_keep_minorities_visible():
    st = state([("A", "women", "3 1"), ("A", "men", "1 2"), ("B", "men", "1 2"), ("B", "women", "3 2")])
    overall = A.aggregate(st, A.BORDA)  # p1: 1+2+2 = 5, p3: 2+2 = 4, p2: 1+1+1 = 3
    assert [s.problem for s in overall.standings] == ["p1", "p3", "p2"]
    groups = A.by(st, A.BY_GROUP, A.BORDA)
    assert groups["women"].standings[0].problem == "p3"  # what women put first, though it lost overall
    assert groups["men"].standings[0].problem == "p1"
    villages = A.by(st, A.BY_VILLAGE, A.BORDA)
    assert table(villages["B"]) == [("p1", 2, 1, True), ("p2", 2, 1, True), ("p3", 2, 1, True)]  # a tie, listed by number
    assert A.places(st)["p3"] == {"s1": 1, "s4": 1}


def test_top_k_keeps_a_tie_at_the_cut_whole():
    out = A.aggregate(state(EXAMPLE), A.BORDA)
    assert out.top(3) == ["p1", "p2", "p3", "p4"]
    assert out.top(2) == ["p1", "p2"]


def test_ties_are_said_in_every_language():
    st = state(EXAMPLE)
    said = A.explanation(A.aggregate(st, A.BORDA), st)
    assert "3, 4" in said[-1].render("en") and "3" in said[-1].render("ky")
    assert said[-1].render("ru") != said[-1].render("en") != said[-1].render("ky")


def test_unknown_rule_is_refused():
    with pytest.raises(A.NeedsError):
        A.aggregate(state(EXAMPLE), "majority")
