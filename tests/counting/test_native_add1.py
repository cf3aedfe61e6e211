"""The compiled engine's Add1 shortcuts change no outcome: a run restarted from a saved round (the next step of a
completion) selects what a fresh run at the same budget selects, the t* it reports is one (no step below it counts
differently), and with every float screen forced on every price (rough lower bounds, guessed peels, the peel's order
sorted an entry at a time) both engines explain every count the same.

Elections here are larger than test_native_engine.py's (tens of voters, many equal costs and identical ballots), so
that projects have many budget classes and Add1 has many steps.
"""

import os
import random
from decimal import Decimal
from fractions import Fraction

import pytest
from gmpy2 import mpq

from pbtools.counting import native as native_core
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import read_pb
from pbtools.counting.profile import compile_election
from pbtools.counting.ties import TieRule
from tests.counting.test_native_engine import both
from tests.shared_data import pabulib_file

pytestmark = pytest.mark.skipif(not native_core.BUILT and os.environ.get("PBTOOLS_NO_NATIVE") == "1",
                                reason="PBTOOLS_NO_NATIVE=1: the compiled core is not built on this machine")

SEEDS = range(40)


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves."""
    return "both"


@pytest.fixture
def screens_forced():
    from pbtools.counting.native import _mesnative

    was = _mesnative.force_screens(True)
    yield
    _mesnative.force_screens(was)


def tied_election(seed: int) -> Election:
    """Many ties: few distinct costs, ballots drawn from a few favourite sets, weights, empty ballots, points."""
    rng = random.Random(seed)
    m = rng.randint(4, 12)
    ids = [str(i) for i in rng.sample(range(1, 40), m)]
    costs = [rng.choice([2, 3, 3, 5, 8]) * 1000 for _ in ids]
    projects = tuple(Project(pid, Decimal(c)) for pid, c in zip(ids, costs))
    favourites = [tuple(rng.sample(ids, rng.randint(1, min(5, m)))) for _ in range(rng.randint(2, 6))]
    points = rng.random() < 0.5
    ballots = []
    for i in range(rng.randint(20, 120)):
        r = rng.random()
        choice = () if r < 0.05 else rng.choice(favourites) if r < 0.6 else tuple(rng.sample(ids, rng.randint(1, m)))
        pts = tuple(rng.choice([1, 2, 3, Fraction(5, 2)]) for _ in choice) if points else None
        ballots.append(Ballot(choice, pts, {}, f"v{i}", rng.choice([1, 1, 1, 2])))
    budget = Decimal(rng.randint(1, 4) * sum(costs) // 5)
    return Election(projects, tuple(ballots), budget, "cumulative" if points else "approval")


def _engine(c):
    from pbtools.counting.native.engine import NativeMES

    return NativeMES(c, TieRule("lexicographic"), None)


@pytest.mark.parametrize("seed", SEEDS)
def test_a_restarted_run_selects_what_a_fresh_run_selects(seed):
    e = tied_election(seed)
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        c = compile_election(e, score, engine="native")
        if c.n == 0:
            continue
        kept = _engine(c)  # one engine for the whole completion: each run restarts from the last one's rounds
        base, step = mpq(c.budget, c.n), mpq(c.scale)
        t, k = base, 0
        for _ in range(60):
            selected, tstar = kept.run(t, track=True)
            fresh, fresh_tstar = _engine(c).run(t, track=True)
            assert selected == fresh, (seed, score, t)
            if tstar is None:
                break
            assert tstar > t
            below = tstar - mpq(1, 10**6) if tstar - mpq(1, 10**6) > t else (t + tstar) / 2
            assert _engine(c).run(below)[0] == selected, (seed, score, t, tstar)  # nothing changes before t*
            # the next step that may change, and sometimes a step further (a restart over several rounds' bounds)
            k = max(k + 1, -((base - tstar) // step)) + (1 if k % 3 == 2 else 0)
            t = base + k * step
            if sum(c.costs[p] for p in selected) > 4 * c.budget:
                break


@pytest.mark.parametrize("seed", SEEDS)
def test_every_screen_forced_explains_as_python_does(seed, screens_forced):
    e = tied_election(seed)
    for rule in ("mes", "mes-add1", "mes-add1-ens", "mes-add1-greedy"):
        for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
            both(e, rule, score=score)


@pytest.mark.parametrize("seed", SEEDS[:15])
def test_generated_elections_explain_as_python_does(seed):
    e = tied_election(seed)
    for rule in ("mes-add1", "mes-add1-ens", "mes-add1-greedy"):
        for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
            both(e, rule, score=score)


@pytest.mark.parametrize("name", ["Poland_Swiecie_2023.pb", "Poland_Czestochowa_2024.pb", "Worldwide_Mechanical_Turk_Utilities_7.pb"])
def test_real_elections_with_every_screen_forced(name, screens_forced):
    e = read_pb(pabulib_file(name))
    both(e, "mes-add1")
    if e.vote_type == "cumulative":
        both(e, "mes-add1", score="points")
