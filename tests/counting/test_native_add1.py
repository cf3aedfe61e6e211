"""The compiled engine's Add1 shortcuts change no outcome: a run restarted from a saved round (the next step of a
completion) selects what a fresh run at the same budget selects, the t* it reports is one (no step below it counts
differently), and with every float screen forced on every price (rough lower bounds, guessed peels, the peel's order
sorted an entry at a time) both engines explain every count the same.

Elections here are larger than test_native_engine.py's (tens of voters, many equal costs and identical ballots), so
that projects have many budget classes and Add1 has many steps.
"""

import math
import random
from contextlib import contextmanager
from decimal import Decimal
from fractions import Fraction

import pytest
from gmpy2 import mpq

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import read_pb
from pbtools.counting.profile import compile_election
from pbtools.counting.ties import TieRule
from tests.counting.test_native_engine import both
from tests.shared_data import pabulib_file

pytestmark = pytest.mark.usefixtures("native_built")

SEEDS = range(40)


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves."""
    return "both"


@contextmanager
def engine_switch(name: str, on: bool):
    """One of the compiled engine's switches for tests (_mesnative.test_flag) turned on or off, then back."""
    from pbtools.counting.native import _mesnative

    was = _mesnative.test_flag(name, on)
    try:
        yield
    finally:
        _mesnative.test_flag(name, was)


@pytest.fixture
def screens_forced():
    with engine_switch("force_screens", True):
        yield


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


def near_tie_election(seed: int) -> Election:
    """Near ties that move with the budget: costs a few units apart, projects backed by nearly the same voters, so
    that rivals come close to the winner's price and supporters change side at many steps of a completion."""
    rng = random.Random(1000 + seed)
    m = rng.randint(5, 10)
    ids = [f"p{i}" for i in range(m)]
    base = rng.choice([900, 1000, 1200])
    costs = [base + rng.randint(0, 4) for _ in ids]
    projects = tuple(Project(pid, Decimal(c)) for pid, c in zip(ids, costs))
    points = rng.random() < 0.3
    ballots = []
    for i in range(rng.randint(25, 70)):
        core = rng.sample(ids, rng.randint(2, min(5, m)))
        choice = tuple(core) if rng.random() < 0.8 else tuple(rng.sample(ids, rng.randint(1, m)))
        pts = tuple(rng.choice([1, 2, 2, 3]) for _ in choice) if points else None
        ballots.append(Ballot(choice, pts, {}, f"v{i}", 1))
    budget = Decimal(sum(costs) * rng.randint(3, 6) // 10)
    return Election(projects, tuple(ballots), budget, "cumulative" if points else "approval")


@pytest.mark.parametrize("seed", range(30))
def test_no_step_below_the_reported_t_star_counts_differently(seed):
    """A run's t* may lie past the next decision change (the outcome's reach, outcome_reach in mes_track.c): every
    step below it, not only the one just below, must select what a fresh run there selects."""
    e = near_tie_election(seed) if seed % 2 else tied_election(seed)
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        c = compile_election(e, score, engine="native")
        if c.n == 0:
            continue
        kept = _engine(c)
        base, step = mpq(c.budget, c.n), mpq(c.scale)
        k = 0
        for _ in range(40):
            t = base + k * step
            selected, tstar = kept.run(t, track=True)
            if tstar is None:
                break
            assert tstar > t
            nxt = max(k + 1, -((base - tstar) // step))
            fresh = _engine(c)
            for j in range(k + 1, min(nxt, k + 25)):  # the steps this run's t* skips
                assert fresh.run(base + j * step)[0] == selected, (seed, score, k, j)
            if nxt - k > 25:
                assert fresh.run(base + (nxt - 1) * step)[0] == selected, (seed, score, k, nxt - 1)
            k = nxt
            if sum(c.costs[p] for p in selected) > 2 * c.budget:
                break


@pytest.mark.parametrize("seed", range(12))
def test_near_ties_add1_equals_counting_every_step(seed):
    """The whole completion (skipping steps by t* and its reach) against pabutools' definition written out step by
    step with plain MES: the same outcome, per-voter budget and payments."""
    from tests.counting.test_mes_fast import add1_step_by_step, payments_by_voter

    e = near_tie_election(seed)
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        fast = count(e, "mes-add1", score=score, engine="native")
        slow, k = add1_step_by_step(e, score)
        if slow is None:
            assert fast.selected == ()
            continue
        assert fast.selected == slow.selected, (seed, score)
        assert payments_by_voter(fast) == payments_by_voter(slow), (seed, score)
        exact = Fraction(e.budget) / len(e.ballots) + k  # per_voter_budget is a Decimal of 28 digits
        assert abs(Fraction(fast.options["per_voter_budget"]) - exact) < Fraction(1, 10**20), (seed, score)


@pytest.mark.parametrize("name", ["Poland_Zabrze_2020.pb", "Poland_Gdansk_2020_Piecki_Migowo.pb", "Netherlands_Assen_2024.pb"])
def test_real_add1_equals_counting_every_step(name):
    """Real elections where pabutools finishes its Add1: the compiled completion against plain MES at every step."""
    from tests.counting.test_mes_fast import add1_step_by_step

    e = read_pb(pabulib_file(name))
    assert all(b.weight == 1 for b in e.ballots)  # add1_step_by_step raises the budget by one unit per ballot
    fast = count(e, "mes-add1", engine="native")
    slow, k = add1_step_by_step(e, "support")
    assert fast.selected == slow.selected
    assert abs(Fraction(fast.options["per_voter_budget"]) - (Fraction(e.budget) / len(e.ballots) + k)) < Fraction(1, 10**20)


@pytest.fixture(params=[False, True], ids=["bitsets", "lists"])
def touching_by(request):
    """The engine finds the projects sharing a supporter by bitsets, or (past a size, or forced) by lists."""
    with engine_switch("touching_lists", request.param):
        yield request.param


def _touching_by_python(c, candidates) -> list[set[int]]:
    """Each candidate's projects sharing a positive-utility supporter group with it (candidates only)."""
    cand = set(candidates)
    by_group: dict[int, set[int]] = {}
    for p in candidates:
        for g in c.supporters[p]:
            by_group.setdefault(g, set()).add(p)
    out = [set() for _ in c.ids]
    for ps in by_group.values():
        for p in ps:
            out[p] |= ps
    return [out[p] if p in cand else set() for p in range(len(c.ids))]


@pytest.mark.parametrize("seed", range(12))
def test_the_projects_sharing_a_supporter_are_found_by_either_way(seed, touching_by):
    """The sets the engine re-prices after a purchase: those the supporters say, whichever way they are found, and
    the counts the same both ways (on the Python engine's figures)."""
    e = tied_election(seed)
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        c = compile_election(e, score, engine="native")
        engine = _engine(c)
        got = [set(ps) for ps in engine.engine.touching()]
        assert all(len(set(ps)) == len(ps) for ps in engine.engine.touching())
        assert got == _touching_by_python(c, engine.candidates)
        if c.n:
            both(e, "mes-add1", score=score)


@pytest.mark.parametrize("name", ["Poland_Krakow_2025_Biezanow-Prokocim.pb", "France_Toulouse_2024.pb"])
def test_the_projects_sharing_a_supporter_in_real_files(name, touching_by):
    e = read_pb(pabulib_file(name), engine="native")
    c = compile_election(e, "support", engine="native")
    engine = _engine(c)
    assert [set(ps) for ps in engine.engine.touching()] == _touching_by_python(c, engine.candidates)


def _certified_intervals(seed: int, descending: bool = False) -> int:
    """``certify(ta, tb)`` (mes_certify.c) says one outcome for every budget in [ta, tb] without counting: a fresh
    exact run at every step of the interval (its ends, and up to 30 steps between) selects it. Intervals of 1 to 64
    steps from random places of the completion, and single budgets; near ties and many ties. ``descending``: the
    intervals tried from the highest down (what a certification keeps from one at a higher budget, on another path
    of winners, must not be used)."""
    e = near_tie_election(seed) if seed % 2 else tied_election(seed)
    rng = random.Random(seed)
    certified = 0
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        c = compile_election(e, score, engine="native")
        if c.n == 0:
            continue
        engine, fresh = _engine(c), _engine(c)
        base, step = mpq(c.budget, c.n), mpq(c.scale)
        tries = [(rng.randrange(0, 400), rng.choice([1, 1, 2, 3, 8, 20, 64])) for _ in range(25)]
        for a, width in sorted(tries, key=lambda aw: -(aw[0] + aw[1])) if descending else tries:
            selected = engine.certify(base + a * step, base + (a + width - 1) * step)
            if selected is None:
                continue
            certified += 1
            steps = sorted({a, a + width - 1} | set(rng.sample(range(a, a + width), min(width, 30))))
            for j in steps:
                assert fresh.run(base + j * step)[0] == selected, (seed, score, a, width, j)
    return certified


@pytest.mark.parametrize("descending", [False, True], ids=["random", "descending"])
@pytest.mark.parametrize("seed", range(40))
def test_a_certified_interval_gives_its_outcome_at_every_step(seed, descending):
    _certified_intervals(seed, descending)


def test_certification_happens_on_generated_elections():
    """Exact ties (twin projects) are never certified, and points with halves never (not exact in floats); the
    others are: the test above is not empty."""
    assert sum(_certified_intervals(seed) > 0 for seed in range(1, 40, 2)) >= 10


def test_certification_is_tried_and_agrees_on_budapest_steps():
    """Budapest 2024 (HUF, a step is 1 forint): intervals certified at several places, each checked at its ends and
    inside by exact runs; and the interval that holds a change of outcome is not certified."""
    e = read_pb(pabulib_file("Hungary_Budapest_2024.pb"))
    c = compile_election(e, "support", engine="native")
    engine, fresh = _engine(c), _engine(c)
    base = mpq(c.budget, c.n)
    changed = 0
    for a in (0, 3000, 9000, 15000, 21000):
        for width in (1, 16):
            selected = engine.certify(base + a, base + a + width - 1)
            ends = [fresh.run(base + a + j)[0] for j in (0, width // 2, width - 1)]
            if selected is not None:
                assert all(s == selected for s in ends), (a, width)
        # an interval across a change of outcome: found by exact runs, never certified
        lo, hi = a, a + 4096
        if fresh.run(base + lo)[0] != fresh.run(base + hi)[0]:
            changed += 1
            assert engine.certify(base + lo, base + hi) is None, a
    assert changed


def test_budgets_past_a_float_are_counted_not_certified():
    """A start budget too large for a float (or too small to be above 0 in one) is never certified: the count runs."""
    e = near_tie_election(3)
    c = compile_election(e, "support", engine="native")
    engine = _engine(c)
    huge = mpq(10) ** 400
    assert engine.certify(huge, huge + 1) is None
    assert engine.certify(mpq(1, 10**400), mpq(2, 10**400)) is None
    base = mpq(c.budget, c.n)
    assert engine.certify(base, base) is not None  # the same engine certifies an ordinary budget


def test_an_interval_never_tried_leaves_no_guess_and_changes_no_later_certification():
    """Engine.certify on an interval it never tries (start at or below 0, end below the start, not finite) answers None
    and leaves no guess of the certification before it (certify_hint None); the certifications after it answer as on
    an engine that never saw it."""
    c = compile_election(tied_election(0), "support", engine="native")
    base = mpq(c.budget, c.n)
    engine, clean = _engine(c).engine, _engine(c).engine
    ta, tb = float(base), float(base + 49 * c.scale)
    assert engine.certify(ta, tb) is None and engine.certify_hint() is not None  # failed, with a guess
    assert clean.certify(ta, tb) is None
    for bad in ((0.0, tb), (-ta, tb), (tb, ta), (ta, math.inf), (math.nan, tb), (ta, math.nan)):
        assert engine.certify(*bad) is None, bad
        assert engine.certify_hint() is None, bad
    answers = []
    for a in (0, 3, 30, 299, 120, 7):  # references made and read along the way
        t = float(base + a * c.scale)
        answers.append(engine.certify(t, t))
        assert answers[-1] == clean.certify(t, t), a
        assert engine.certify_hint() == clean.certify_hint(), a
    assert None in answers and any(answers)  # both kinds of answer compared


@pytest.mark.parametrize("seed", range(30))
def test_restarted_runs_keep_every_lower_bound_below_the_exact_price(seed, screens_forced):
    """With the screens forced, the engine refuses a count where a project priced exactly costs less than the lower
    bound it was kept at (AssertionError): such a bound would let a dearer project win. Completions restarted over
    several rounds at once (steps skipped) restore bounds logged in rounds counted at earlier start budgets, moved
    along their slopes to the new one."""
    for e in (tied_election(seed), near_tie_election(seed)):
        for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
            c = compile_election(e, score, engine="native")
            if c.n == 0:
                continue
            base, step = mpq(c.budget, c.n), mpq(c.scale)
            for skip in (1, 3, 5):
                kept, k = _engine(c), 0
                for i in range(60):
                    t = base + k * step
                    selected, tstar = kept.run(t, track=True)
                    assert selected == _engine(c).run(t, track=True)[0], (seed, score, skip, t)
                    if tstar is None or sum(c.costs[p] for p in selected) > 4 * c.budget:
                        break
                    k = max(k + 1, -((base - tstar) // step)) + i % skip


def _exact_price(items, cost) -> Fraction | None:
    """The least ρ with Σ W·min(b, ρ·u) ≥ cost, in exact arithmetic (None: never): the peel over the items sorted by
    b/u."""
    its = sorted((Fraction(b) / Fraction(u), Fraction(b), Fraction(u), Fraction(w)) for b, u, w in items)
    paid_all, rest, C = Fraction(0), sum(w * u for _, _, u, w in its), Fraction(cost)
    for key, b, u, w in its:
        if rest and (C - paid_all) / rest <= key:  # the others all pay ρ·u at that ρ
            return (C - paid_all) / rest
        paid_all, rest = paid_all + w * b, rest - w * u
    return None


def _paid(items, rho) -> Fraction:
    rho = Fraction(rho)
    return sum(Fraction(w) * min(Fraction(b), rho * Fraction(u)) for b, u, w in items)


def _peel_cases(seed: int):
    """Items as the certifier makes them: one utility for all (Cost_Sat) or several (points); budgets with exact
    zeros, near ties of b/u and spread values; costs near what the items can pay."""
    rng = random.Random(seed)
    for _ in range(60):
        n = rng.randint(1, 40)
        uni = rng.random() < 0.6
        cost = float(rng.randint(1000, 10**6))
        us = [cost if uni else float(rng.randint(1, 6)) for _ in range(n)]
        base = rng.uniform(0.5, 3.0) * cost / n / (us[0] if uni else 3)
        bs = []
        for u in us:
            r = rng.random()
            scale = u if uni else 1.0
            bs.append(0.0 if r < 0.15 else base * scale * (1 + rng.choice([0, 1e-15, 1e-12, 1e-6])) if r < 0.4
                      else rng.uniform(0, 3 * base * scale))
        items = [(b, u, float(rng.randint(1, 5))) for b, u in zip(bs, us)]
        tot = sum(Fraction(w) * Fraction(b) for b, _, w in items)
        c = float(int(tot * Fraction(rng.choice([0.3, 0.7, 0.95, 0.999999, 1.0, 1.2])))) or 1.0
        yield items, c


@pytest.mark.parametrize("seed", range(20))
def test_the_float_price_bounds_hold_exactly(seed):
    """mes_cert_peel.c's bounds (through the test hook ``cert_peel``), against the exact price: the upper one is
    paid in full at it, the lower one is not, from any lower bound as a start; a tangent at y is at least y and
    below the price, and none is claimed where y already pays for it. Most affordable cases get their bounds."""
    from pbtools.counting.native import _mesnative

    found = tried = 0
    for items, cost in _peel_cases(seed):
        price = _exact_price(items, cost)
        starts = [0.0] if price is None else [0.0, float(price * Fraction(1, 2)), float(price * (1 - Fraction(1, 10**9)))]
        for r in starts:
            if price is not None and Fraction(r) >= price:
                continue
            y = _mesnative.cert_peel(items, cost, "upper", r)
            x = _mesnative.cert_peel(items, cost, "lower", r)
            if price is None:
                assert y is None and x in (None, math.inf)
                continue
            tried += 1
            if y is not None:
                assert _paid(items, y) >= cost, (seed, r)
            if x is not None:
                assert x < price and _paid(items, x) < cost, (seed, r)
            found += y is not None and x is not None
        for at in ([] if price is None else [price * Fraction(1, 3), price * Fraction(999, 1000), price, price * 2]):
            t = _mesnative.cert_peel(items, cost, "tangent", float(at))
            if t is None:
                continue
            assert Fraction(float(at)) < price, (seed, at)  # claimed dearer than y: it is
            assert t >= float(at) and Fraction(t) < price and _paid(items, t) < cost, (seed, at)
        if price is None:
            assert _mesnative.cert_peel(items, cost, "tangent", cost / sum(w * u for _, u, w in items)) in (None, math.inf)
    assert found >= 0.8 * tried


class _WithoutHint:
    """The compiled counter, its failed certifications giving no guess (the search halves instead)."""

    def __init__(self, counter) -> None:
        self._counter = counter
        self.engine = None

    def __getattr__(self, name):
        return getattr(self._counter, name)


@pytest.mark.parametrize("seed", range(16))
def test_the_search_guesses_choose_only_intervals(seed):
    """The Add1 completion is the same with the failed certifications' guesses, without them, and with no
    certification at all (a run at every step that may differ): only which intervals are tried changes. The guess
    is a share of the interval, or None, and is given only after a certification that failed."""
    from pbtools.counting.rules.mes import completion_budget

    e = near_tie_election(seed) if seed % 2 else tied_election(seed)
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        c = compile_election(e, score, engine="native")
        if c.n == 0:
            continue
        for exhaustive in (True, False):
            guided = completion_budget(_engine(c), c, 1, False, exhaustive)
            halving = completion_budget(_WithoutHint(_engine(c)), c, 1, False, exhaustive)
            plain = _engine(c)
            plain.certify = None
            assert guided[0] == halving[0] == completion_budget(plain, c, 1, False, exhaustive)[0], (seed, score)
        engine = _engine(c)
        base = mpq(c.budget, c.n)
        for a, width in ((0, 1), (0, 50), (7, 300), (40, 1000)):
            selected = engine.certify(base + a * c.scale, base + (a + width - 1) * c.scale)
            share = engine.engine.certify_hint()
            assert share is None if selected is not None else share is None or 0 <= share <= 1


def test_a_certification_reuses_nothing_from_a_higher_budget_on_another_path():
    """A certification at a higher budget whose winners differ (here [2, 1, 4, 3, 5]) leaves nothing the one below
    may use: at step 262 the winners are those of an exact run ([2, 1, 4, 6, 7]); a build that reused what it found
    unaffordable up there whatever the winners said [2, 1, 4, 6]."""
    c = compile_election(tied_election(80), "support", engine="native")
    base, step = mpq(c.budget, c.n), mpq(c.scale)
    engine, fresh = _engine(c), _engine(c)
    for high, low in ((299, 262), (299, 200), (350, 262)):
        for a in (high, low):
            selected = engine.certify(base + a * step, base + a * step)
            assert selected is None or selected == fresh.run(base + a * step)[0], (high, low, a)


class _FaultyCertifier:
    """An engine whose certifications are ``answer(engine, ta, tb)`` (a fault that must not make the completion run
    on), its calls counted."""

    def __init__(self, engine, answer) -> None:
        self.inner, self.answer, self.calls = engine, answer, 0

    def __getattr__(self, name):
        return getattr(self.inner, name)

    def certify(self, ta, tb, den=1):
        self.calls += 1
        assert self.calls < 10_000, "the completion does not end"
        return self.answer(self.inner, mpq(ta, den), mpq(tb, den))


def _stuck():
    """Certifications stuck at the first outcome given."""
    first = []

    def answer(engine, ta, tb):
        if not first:
            first.append(engine.run(ta)[0])
        return first[0]

    return answer


def _single_steps(engine, ta, tb):
    """Certifications of single steps only (an interval of two or more fails)."""
    return engine.certify(ta, tb) if ta == tb else None


def test_the_completion_ends_even_under_a_wrong_certification():
    """Past the step where one voter alone could pay for everything, steps are counted, not certified: a
    certification that keeps answering an outcome that fits (here stuck at the first step's, without Z, which in truth
    is bought from some step on and leaves nothing to buy) cannot keep the completion going (on a reviewer's wrong certifier it ran 492,000
    certifications in 15 s)."""
    from pbtools.counting.rules.mes import completion_budget

    projects = (Project("A", Decimal(100)), Project("B", Decimal(3000)), Project("Z", Decimal(2000)))
    ballots = [Ballot(("A",), None, {}, f"a{i}", 1) for i in range(10)]
    ballots += [Ballot(("B",), None, {}, f"b{i}", 1) for i in range(2)] + [Ballot(("Z",), None, {}, f"z{i}", 1) for i in range(2)]
    c = compile_election(Election(projects, tuple(ballots), Decimal(5200), "approval"), "support", engine="native")
    right = completion_budget(_engine(c), c, 1, False, True)
    for exhaustive in (True, False):
        stuck = _FaultyCertifier(_engine(c), _stuck())
        completion_budget(stuck, c, 1, False, exhaustive)
        assert 0 < stuck.calls < 100, exhaustive  # 12 here; without the counted steps it would run on
    assert right[0] is not None


def test_a_completion_where_only_single_steps_certify_runs_ahead():
    """Budgets of 10^12 per voter and near-equal costs (a reviewer's generated election, found hanging on an earlier
    search): where an interval of two steps fails while each step certifies, certifications alone would walk 10^11
    steps one at a time; a run after 32 such intervals jumps to where the outcome may change. The count is pabutools'
    (the Python engine's)."""
    from pbtools.counting.rules.mes import completion_budget

    costs = {"24": 2000000000000, "39": 4999999999999, "34": 2999999999999, "4": 7999999999999, "10": 5000000000002,
             "28": 5000000000000, "37": 5000000000000, "27": 1999999999999, "32": 5000000000001, "23": 5000000000001}
    everything = ("24", "39", "34", "4", "10", "28", "37", "27", "32")
    votes = [(("4", "32", "34", "10"), 3), (("23",), 2), (everything, 2), (("39", "34", "4", "10"), 2), (("10",), 7),
             (("39", "34", "4", "10", "23"), 3), (everything + ("23",), 2), (("23",), 3), (("24", "28", "37", "27", "32"), 2),
             (everything, 3), ((), 2), (("39", "34", "4", "10", "23"), 2), ((), 1), (everything, 1), ((), 1)]
    projects = tuple(Project(pid, Decimal(cost)) for pid, cost in costs.items())
    ballots = tuple(Ballot(choice, None, {}, f"v{i}", weight) for i, (choice, weight) in enumerate(votes))
    e = Election(projects, ballots, Decimal(15000000000000), "approval")
    c = compile_election(e, "support", engine="native")
    single = _FaultyCertifier(_engine(c), _single_steps)
    final_t, _ = completion_budget(single, c, 1, False, True)
    assert single.calls < 1_000
    native, python = count(e, "mes-add1", engine="native"), count(e, "mes-add1", engine="python")
    assert native.selected == python.selected and native.options["per_voter_budget"] == python.options["per_voter_budget"]
    assert c.money(final_t) == python.options["per_voter_budget"]
