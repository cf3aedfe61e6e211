"""The compiled MES run's ties (mes_run.c, tied_with): each round's tied options are found in one pass over the
candidates, each priced exactly once, not popped from the heap one by one; under Cost_Sat an option with the
winner's supporters is not priced at all when the winner's price is the even one and every supporter can pay it
(twin_tied). Checked against a plain MES written here from the definition (every voter's budget, every affordable
option priced from scratch each round, all those at the lowest price tied), on elections where most or all options
tie in every round, against the Python engine, and with every screen forced (each twin then priced too, its exact
price checked against the shortcut's answer in C).
"""

import random
from decimal import Decimal
from fractions import Fraction

import pytest

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import read_pb
from tests.counting.test_native_add1 import engine_switch
from tests.counting.test_native_engine import both
from tests.shared_data import pabulib_file

pytestmark = pytest.mark.usefixtures("native_built")


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves."""
    return "both"


def wide_tie_election(seed: int) -> Election:
    """Most voters approve every option (so every affordable option has one price: ties of all that is left), a few
    approve a subset (so some rounds tie only part of them), weights, an empty ballot."""
    rng = random.Random(seed)
    m = rng.randint(3, 14)
    ids = [str(i) for i in rng.sample(range(1, 60), m)]
    costs = [rng.choice([1, 2, 3, 5, 8, 13]) * 100 for _ in ids]
    projects = tuple(Project(pid, Decimal(c)) for pid, c in zip(ids, costs))
    everyone = rng.random() < 0.5
    ballots = []
    for i in range(rng.randint(5, 60)):
        r = rng.random()
        if everyone or r < 0.7:
            choice = tuple(ids)
        elif r < 0.75:
            choice = ()
        else:
            choice = tuple(rng.sample(ids, rng.randint(1, m)))
        ballots.append(Ballot(choice, None, {}, f"v{i}", rng.choice([1, 1, 2, 3])))
    budget = Decimal(rng.randint(1, 5) * sum(costs) // 4)
    return Election(projects, tuple(ballots), budget, "approval")


def plain_rounds(e: Election, selected: tuple[str, ...]) -> list[tuple[frozenset, str]]:
    """Cost_Sat MES from its definition, buying what the engine bought: per round, the options at the lowest price
    and the one bought (None once nothing is affordable). A bought option not at the lowest price fails."""
    voters = [(b.choice, b.weight) for b in e.ballots]
    n = sum(w for _, w in voters)
    budgets = [Fraction(e.budget) / n] * len(voters)
    cost = {p.id: Fraction(p.cost) for p in e.projects}
    left = {p.id for p in e.projects}
    rounds = []
    for step in range(len(selected) + 1):
        prices = {}
        for p in left:
            sup = sorted((budgets[i], w) for i, (choice, w) in enumerate(voters) if p in choice)
            if sum(b * w for b, w in sup) < cost[p]:
                continue
            need, share = cost[p], sum(w for _, w in sup) * cost[p]  # the rest pay ρ·cost each: ρ = need / share
            for b, w in sup:  # the poorest who cannot pay ρ·cost pay all they have
                if b * share < need * cost[p]:
                    need -= b * w
                    share -= w * cost[p]
                else:
                    break
            prices[p] = need / share
        if not prices:
            rounds.append((frozenset(), None))
            break
        rho = min(prices.values())
        chosen = selected[step] if step < len(selected) else None
        rounds.append((frozenset(p for p, r in prices.items() if r == rho), chosen))
        if chosen is None:
            break
        assert prices.get(chosen) == rho, (step, chosen)
        for i, (choice, w) in enumerate(voters):
            if chosen in choice:
                budgets[i] -= min(budgets[i], rho * cost[chosen])
        left.discard(chosen)
    return rounds


@pytest.mark.parametrize("seed", range(30))
def test_tied_options_are_those_at_the_winners_exact_price(seed):
    e = wide_tie_election(seed)
    r = count(e, "mes", engine="native")
    ties = {t.step: t for t in r.ties}
    expected = plain_rounds(e, r.selected)
    assert expected[-1] == (frozenset(), None), seed  # the engine stopped where nothing more is affordable
    expected = expected[:-1]
    assert len(expected) == len(r.selected)
    for step, (tied, chosen) in enumerate(expected, 1):
        if len(tied) > 1:
            assert set(ties[step].tied) == tied and ties[step].chosen == chosen, (seed, step)
        else:
            assert step not in ties, (seed, step)
    assert len(ties) == sum(len(t) > 1 for t, _ in expected)


@pytest.mark.parametrize("seed", range(30))
def test_wide_ties_explained_as_python_does(seed):
    e = wide_tie_election(seed)
    for rule in ("mes", "mes-add1", "mes-add1-greedy"):
        both(e, rule)


@pytest.mark.parametrize("seed", range(30))
def test_twins_priced_agree_with_the_shortcut(seed):
    """force_screens: every twin the shortcut says tied is priced as well; a different price raises in C."""
    e = wide_tie_election(seed)
    with engine_switch("force_screens", True):
        for rule in ("mes", "mes-add1"):
            both(e, rule)


def test_twin_shortcut_taken_where_supporters_are_shared():
    """Everyone approves everything (every option the winner's twin, every payer able to pay the even price until the
    end): each round ties every affordable option (the plain MES here), and the compiled engine lists them all."""
    ids = [str(i) for i in range(1, 9)]
    e = Election(tuple(Project(p, Decimal(100 * int(p))) for p in ids),
                 tuple(Ballot(tuple(ids), None, {}, f"v{i}", 1) for i in range(10)), Decimal(1500), "approval")
    r = count(e, "mes", engine="native")
    expected = plain_rounds(e, r.selected)[:-1]
    assert [set(t.tied) for t in r.ties] == [set(t) for t, _ in expected if len(t) > 1]
    assert len(r.ties) >= 3


def test_turk_ranking_every_option_tied_every_round():
    e = read_pb(pabulib_file("Worldwide_Mechanical_Turk_Ranking_value_7.pb"))
    r = both(e, "mes-add1")
    assert len(r.ties) >= len(r.selected) - 1  # the file this path was made for: a tie in (nearly) every round
    with engine_switch("force_screens", True):
        assert both(e, "mes-add1").ties == r.ties


@pytest.mark.parametrize("seed", range(3))
def test_ties_wider_than_the_insertion_sort(seed):
    """Past 16 tied options the compiled run sorts them by rank with qsort (mes_run.c, sort_by_rank): 60 options in
    shuffled id order, everyone approving all, few distinct costs; the tie order the Python engine gives, and the
    options tied those at the lowest price."""
    rng = random.Random(seed)
    ids = [str(i) for i in rng.sample(range(100, 999), 60)]
    e = Election(tuple(Project(p, Decimal(rng.choice([100, 200, 300]))) for p in ids),
                 tuple(Ballot(tuple(ids), None, {}, f"v{i}", 1) for i in range(25)), Decimal(4000), "approval")
    r = both(e, "mes")
    assert max(len(t.tied) for t in r.ties) > 16
    expected = plain_rounds(e, r.selected)[:-1]
    assert [set(t.tied) for t in r.ties] == [set(t) for t, _ in expected if len(t) > 1]
