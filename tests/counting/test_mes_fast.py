"""The fast MES (merged identical ballots, budget classes, lazy prices, Add1 steps skipped) against references.

* pabutools on generated elections made of a few ballots repeated many times (so voters merge), with costs and
  budgets that make Add1 go through many steps and meet exact ties;
* a plain re-count at every Add1 step through the public API (no step skipped), which must give the same outcome
  and the same payments (explained at the last step that fits);
* the explanation: each buy step lists every supporter of the option once, merged voters included, and the
  payments add up to the cost exactly.
"""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import format_pb
from pbtools.counting.rules import mes_budgets, mes_prices
from pbtools.counting.rules.mes_budgets import Budgets
from tests.counting.reference import reference

IDS = ["1", "2", "10", "11", "3", "20", "b", "a"]


@st.composite
def repeated_ballots(draw, vote_type="approval", max_patterns=4, max_copies=9):
    """Few distinct ballots, each cast by 1-``max_copies`` voters; costs and budget large enough for several Add1 steps."""
    m = draw(st.integers(2, 6))
    ids = draw(st.lists(st.sampled_from(IDS), min_size=m, max_size=m, unique=True))
    scale = draw(st.sampled_from([1, 10]))  # x10: dozens of Add1 steps
    costs = [c * scale for c in draw(st.lists(st.sampled_from([6, 10, 12, 15, 20, 30, 36]), min_size=m, max_size=m))]
    patterns = draw(st.lists(st.lists(st.sampled_from(ids), max_size=m, unique=True), min_size=1, max_size=max_patterns))
    ballots = []
    for pattern in patterns:
        points = tuple(draw(st.integers(1, 3)) for _ in pattern) if vote_type == "cumulative" else None
        for _ in range(draw(st.integers(1, max_copies))):
            ballots.append(Ballot(tuple(pattern), points, {}, f"v{len(ballots)}"))
    budget = draw(st.integers(0, sum(costs)))
    return Election(tuple(Project(pid, Decimal(c)) for pid, c in zip(ids, costs)), ballots, Decimal(budget), vote_type)


SETTINGS = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@SETTINGS
@given(repeated_ballots("approval"))
def test_merged_voters_match_pabutools(e):
    text = format_pb(e)
    for rule in ("mes", "mes-add1", "mes-add1-greedy"):
        assert list(count(e, rule).selected) == reference(text, rule), (rule, text)


@SETTINGS
@given(repeated_ballots("cumulative"))
def test_merged_voters_with_points_match_pabutools(e):
    text = format_pb(e)
    for rule in ("mes", "mes-add1"):
        assert list(count(e, rule, score="points").selected) == reference(text, rule, "points"), (rule, text)


def payments_by_voter(result):
    """Per buy step: the project and {voter id: (amount, paid all)}; each voter id must appear once."""
    steps = []
    for step in result.steps:
        if step.kind != "buy":
            continue
        paid = {}
        for group in step.payments:
            for voter in group["voter_ids"]:
                assert voter not in paid, (step.project, voter)
                paid[voter] = (group["each"], group["all_they_had"])
        steps.append((step.project, paid))
    return steps


def add1_step_by_step(e, score):
    """pabutools' Add1 written out with plain MES through the public API: per-voter budget B/n + k, k = 0, 1, ...

    Returns (the plain MES result at the last step that fits, its k), or (None, None) when nothing fits."""
    n = len(e.ballots)
    supported = {p.id for p in e.projects if p.cost > 0 and any(p.id in b.choice for b in e.ballots)}
    previous = None, None
    for k in range(10_000):
        result = count(replace(e, budget=e.budget + k * n), "mes", score=score)  # B' / n = B/n + k
        chosen = set(result.selected)
        spent = sum(p.cost for p in e.projects if p.id in chosen)
        if spent > e.budget:
            return previous
        left = e.budget - spent
        if not any(p.id in supported and p.id not in chosen and p.cost <= left for p in e.projects):
            return result, k
        previous = result, k
    raise AssertionError("Add1 did not stop")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repeated_ballots("cumulative", max_patterns=7, max_copies=3), st.sampled_from(["support", "points"]))
def test_add1_skipping_steps_equals_counting_every_step(e, score):
    fast = count(e, "mes-add1", score=score)
    slow, k = add1_step_by_step(e, score)
    if slow is None:
        assert fast.selected == () and not [s for s in fast.steps if s.kind == "buy"]
        return
    assert fast.selected == slow.selected
    assert payments_by_voter(fast) == payments_by_voter(slow)  # explained at the same (last fitting) step
    exact = Fraction(e.budget) / len(e.ballots) + k
    assert abs(Fraction(fast.options["per_voter_budget"]) - exact) < Fraction(1, 10**20)


@SETTINGS
@given(repeated_ballots("approval", max_patterns=3))
def test_every_supporter_pays_once_and_payments_add_up(e):
    for rule in ("mes", "mes-add1"):
        result = count(e, rule)
        costs = {p.id: Fraction(p.cost) for p in e.projects}
        for project, paid in payments_by_voter(result):
            supporters = {b.voter_id for b in e.ballots if project in b.choice}
            assert set(paid) == supporters
            assert sum(amount for amount, _ in paid.values()) == costs[project]
        for tie in result.ties:  # a tie names the option chosen first, and it is the one bought at that round
            assert tie.chosen == tie.tied[0] and result.selected[tie.step - 1] == tie.chosen


def test_tie_between_merged_voters_goes_by_the_tie_rule_and_is_explained():
    # 3 identical ballots for "2" and 3 for "10": equal prices; lexicographic order takes "10" first.
    projects = (Project("2", Decimal(30)), Project("10", Decimal(30)))
    ballots = [Ballot(("2",), voter_id=f"a{i}") for i in range(3)] + [Ballot(("10",), voter_id=f"b{i}") for i in range(3)]
    e = Election(projects, ballots, Decimal(60), "approval")
    r = count(e, "mes")
    assert list(r.selected) == reference(format_pb(e), "mes") == ["10", "2"]
    assert r.ties[0].tied == ("10", "2") and r.ties[0].chosen == "10"
    first = payments_by_voter(r)[0][1]
    assert first == {f"b{i}": (Fraction(10), False) for i in range(3)}


def test_add1_where_a_rival_overtakes_the_winner_as_budgets_grow():
    # Found by random search: dropping the bound "a rival's price reaches the winner's" changes this outcome.
    costs = {"0": 200, "1": 360, "2": 150, "3": 200, "4": 300}
    patterns = [(("4", "1", "3"), 3), (("1",), 2), (("1", "0", "2", "3", "4"), 2), (("3", "0"), 3), (("2", "4", "3"), 2), (("0",), 1), (("1", "3", "0"), 2)]
    ballots = [Ballot(choice, voter_id=f"v{i}-{j}") for i, (choice, copies) in enumerate(patterns) for j in range(copies)]
    e = Election(tuple(Project(pid, Decimal(c)) for pid, c in costs.items()), ballots, Decimal(647), "approval")
    assert list(count(e, "mes-add1").selected) == reference(format_pb(e), "mes-add1")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(repeated_ballots("cumulative", max_patterns=7, max_copies=3), st.sampled_from(["support", "points"]))
def test_float_screens_decide_as_exact_arithmetic(e, score):
    # Screens start at FLOAT_SCREEN supporter classes, sums by purchase (Cost_Sat) past a few dozen classes, exact
    # values on demand past EAGER payers; forced here, every price, split, breakpoint and sum goes through them.
    exact = count(e, "mes-add1", score=score)
    saved = mes_prices.FLOAT_SCREEN, Budgets.worth_it, mes_budgets.EAGER
    mes_prices.FLOAT_SCREEN, Budgets.worth_it, mes_budgets.EAGER = 1, lambda self, entries: True, 0
    try:
        screened = count(e, "mes-add1", score=score)
    finally:
        mes_prices.FLOAT_SCREEN, Budgets.worth_it, mes_budgets.EAGER = saved
    assert screened.selected == exact.selected
    # the same last step (the screens may stop at more, earlier breakpoints: they never pass one)
    assert screened.options.get("per_voter_budget") == exact.options.get("per_voter_budget")
    assert payments_by_voter(screened) == payments_by_voter(exact)
