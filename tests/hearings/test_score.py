"""A question counts what its ballots say: points by the points given, rankings by Borda points, unless the
facilitator chose otherwise when defining it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from pbtools.hearings import records as R
from pbtools.hearings.model import BALLOT_KINDS, PB_VOTE, POINTS, RANKING, Ballot, Hearing, Option, Question, default_score
from pbtools.hearings.store import create_hearing
from pbtools.results.count import count_question


@pytest.mark.parametrize("kind", BALLOT_KINDS)
def test_score_defaults_by_kind(kind):
    q = Question("q", kind, {"en": "q"})
    assert q.score == {POINTS: "points", RANKING: "borda"}.get(kind, "support") == default_score(kind)
    assert Question("q", kind, {"en": "q"}, score="support").score == "support"  # a chosen score is kept


def test_stored_questions_keep_their_score_and_old_records_get_the_kinds():
    chosen = Question("q", POINTS, {"en": "q"}, points=5, score="support")
    assert R.from_json(Question, R.to_json(chosen)).score == "support"
    old = {k: v for k, v in R.to_json(Question("q", POINTS, {"en": "q"}, points=5)).items() if k != "score"}
    assert R.from_json(Question, old).score == "points"


def _hearing(ws, score: str = ""):
    """A (600 000), B (600 000), C (450 000) som, 1 000 000 to spend: only one of A and B fits, and C fits beside
    neither. A gets the most points (10) from two voters; B (9 points) and C (6) have three supporters each."""
    store = create_hearing(ws, Hearing("h", "Ак-Суу айыл аймагы", PB_VOTE, "2026-05-14", villages=("Ак-Суу",),
                                       budget=Decimal(1_000_000)), actor="t")
    costs = {"A": 600_000, "B": 600_000, "C": 450_000}
    store.add_options([Option(o, n, {"en": o}, Decimal(c)) for n, (o, c) in enumerate(costs.items(), 1)], actor="t")
    store.define_question(Question("dots", POINTS, {"en": "5 dots"}, tuple(costs), points=5, score=score), actor="t")
    store.open(actor="t")
    for marks in ([("A", 5)], [("A", 5)], [("B", 3), ("C", 2)], [("B", 3), ("C", 2)], [("B", 3), ("C", 2)]):
        store.cast("dots", Ballot(tuple(marks)), actor="clerk")
    return store.refresh()


def test_points_question_is_funded_by_points_not_by_supporters(tmp_path):
    from pbtools.storage import open_workspace

    with open_workspace(tmp_path / "ws") as ws:
        st = _hearing(ws)
        assert st.questions["dots"].score == "points"
        result = count_question(st, "dots")
        assert result.score == "points" and result.selected == ("A",)
    with open_workspace(tmp_path / "ws2") as ws:  # counted by supporters, A (two voters) would lose to C
        result = count_question(_hearing(ws, score="support"), "dots")
        assert "A" not in result.selected and "C" in result.selected


def test_equal_shares_cannot_count_borda_points_whoever_defines_the_question():
    # the store refuses it, so the console, the command line and any script agree
    from pbtools.hearings.checks import check_counting
    from pbtools.hearings.model import RANKING, Question

    for rule in ("mes", "mes-add1", "mes-add1-greedy"):
        problems = check_counting(Question("q", RANKING, {"en": "Rank"}, ("a", "b"), max_choices=2, rule=rule, score="borda"))
        assert [p.msgid for p in problems] == ["The Method of Equal Shares counts supporters or points, not Borda scores."]
    assert check_counting(Question("q", RANKING, {"en": "Rank"}, ("a", "b"), max_choices=2, rule="greedy", score="borda")) == []
