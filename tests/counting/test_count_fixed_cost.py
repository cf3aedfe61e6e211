"""The shortcuts that keep a small count cheap give what the plain code gives.

* ``NativeMES.exhaustive`` (candidates walked cheapest first, stopping at the first too dear) answers as the Python
  engine's test (every candidate checked) on every selection, of generated elections and of real ones.
* The Add1 completion asks an outcome's cost and whether it leaves room once per outcome, not once per step: the
  per-voter budget it ends on is the one pabutools' definition gives, step by step with a fresh exact run at each
  step, and ``exhaustive`` is asked no more often than the outcome changes.
* ``tie_record`` (names listed once, the criterion's message made once per process) makes the message the rules
  made before, field for field and rendered in every language, for each criterion of both tie rules.
"""

import os
import random
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbtools.counting import native as native_core
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import read_pb
from pbtools.counting.profile import compile_election
from pbtools.counting.rules import tie_record
from pbtools.counting.rules.mes_engine import Engine
from pbtools.counting.ties import CRITERIA, TieRule
from pbtools.i18n import Msg
from tests.shared_data import pabulib_file

pytestmark = pytest.mark.skipif(not native_core.BUILT and os.environ.get("PBTOOLS_NO_NATIVE") == "1",
                                reason="PBTOOLS_NO_NATIVE=1: the compiled core is not built on this machine")


@pytest.fixture
def counting_engine() -> str:
    return "both"


def _selections(rng: random.Random, m: int, count: int) -> list[list[int]]:
    """Every subset for a few projects, random ones (in random order, as MES buys them) beyond."""
    if m <= 8:
        subsets = [[p for p in range(m) if mask >> p & 1] for mask in range(1 << m)]
    else:
        subsets = [rng.sample(range(m), rng.randint(0, m)) for _ in range(count)]
    for s in subsets:
        rng.shuffle(s)
    return subsets


def _same_exhaustive(e: Election, score: str, seed: int, count: int = 200) -> int:
    from pbtools.counting.native.engine import NativeMES

    c = compile_election(e, score, engine="native")
    native, python = NativeMES(c, TieRule(), None), Engine(c, TieRule(), None, None)
    checked = 0
    for selected in _selections(random.Random(seed), len(c.ids), count):
        assert native.exhaustive(selected) == python.exhaustive(selected), (selected, c.costs, c.budget)
        checked += 1
    return checked


@st.composite
def elections(draw):
    m = draw(st.integers(1, 7))
    costs = draw(st.lists(st.integers(0, 6), min_size=m, max_size=m))  # equal costs, free projects
    ids = [str(i) for i in range(m)]
    ballots = [Ballot(tuple(draw(st.lists(st.sampled_from(ids), max_size=m, unique=True))), None, {}, f"v{i}")
               for i in range(draw(st.integers(1, 6)))]
    return Election(tuple(Project(i, Decimal(c)) for i, c in zip(ids, costs)), ballots, Decimal(draw(st.integers(0, 20))), "approval")


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(), st.integers(0, 1000))
def test_exhaustive_answers_as_the_python_engine_on_generated_elections(e, seed):
    assert _same_exhaustive(e, "support", seed) > 0


@pytest.mark.parametrize("name", ["Switzerland_Zurich_S5.pb", "Worldwide_Mechanical_Turk_Ranking_value_7.pb",
                                  "Poland_Gdynia_2023_Kamienna_Gora__small.pb", "Netherlands_Assen_2024.pb"])
def test_exhaustive_answers_as_the_python_engine_on_real_elections(name):
    e = read_pb(pabulib_file(name))
    assert _same_exhaustive(e, "support", 1, 300) >= 255


def _tie_message_as_before(c, tie: TieRule, step: int, tied: list[int]) -> Msg:
    """The message as ``tie_record`` made it before (a Msg of its own per tie)."""
    criterion = tie.criterion(tied[0], tied[1], c.costs, c.support)
    return Msg("Tie at step {step} between {projects}: {chosen} goes first ({criterion}).", step=step,
               projects=", ".join(c.ids[p] for p in tied), chosen=c.ids[tied[0]], criterion=Msg(CRITERIA[criterion]))


def test_tie_record_says_what_it_said_for_every_criterion():
    # a, b: same cost and votes (lot); c: cheaper; d: same cost as a, more votes
    projects = tuple(Project(pid, Decimal(cost)) for pid, cost in (("a", 5), ("b", 5), ("c", 3), ("d", 5)))
    ballots = [Ballot(("a", "b", "d"), None, {}, "v1"), Ballot(("d", "c"), None, {}, "v2")]
    c = compile_election(Election(projects, ballots, Decimal(10), "approval"), "support")
    seen = set()
    for tie in (TieRule(), TieRule("field", seed=3)):
        for tied in ([0, 1], [1, 0, 3], [2, 0], [3, 0], [3, 0, 1, 2]):
            got = tie_record(c, tie, 4, tied)
            expected = _tie_message_as_before(c, tie, 4, tied)
            assert (got.message.msgid, got.message.params) == (expected.msgid, expected.params)  # (made when first read)
            for lang in ("en", "ky", "ru"):
                assert got.message.render(lang) == expected.render(lang)
            assert (got.step, got.tied, got.chosen) == (4, tuple(c.ids[p] for p in tied), c.ids[tied[0]])
            assert got.criterion == tie.criterion(tied[0], tied[1], c.costs, c.support)
            seen.add(got.criterion)
    assert seen == set(CRITERIA)  # every criterion met (id, cost, votes, lot)


def _step_by_step(counter, c):
    """pabutools' Add1 with a fresh exact run at every step: the last step within budget, stopping at the first whose
    outcome leaves no room."""
    from gmpy2 import mpq

    base, step = mpq(c.budget, c.n), mpq(c.scale)
    final = None
    for k in range(5000):
        t = base + k * step
        selected, _ = counter.run(t, track=False)
        if sum(c.costs[p] for p in selected) > c.budget:
            return final
        final = t
        if counter.exhaustive(selected):
            return t
    raise AssertionError("Add1 did not stop")


class _Asked:
    """A counter that says how often ``exhaustive`` was asked, and how many different outcomes it handed out."""

    def __init__(self, counter) -> None:
        self.counter, self.asked, self.outcomes = counter, 0, []

    def __getattr__(self, name):
        return getattr(self.counter, name)

    def _seen(self, selected):
        if selected is not None and (not self.outcomes or self.outcomes[-1] != selected):
            self.outcomes.append(selected)
        return selected

    def run(self, t, track=False):
        selected, tstar = self.counter.run(t, track)
        return self._seen(selected), tstar

    def certify(self, ta, tb, den=1):
        return self._seen(self.counter.certify(ta, tb, den))

    def exhaustive(self, selected):
        self.asked += 1
        return self.counter.exhaustive(selected)


def _completion_as_defined(e: Election, score: str) -> int:
    from pbtools.counting.native.engine import NativeMES
    from pbtools.counting.rules.mes import completion_budget

    c = compile_election(e, score, engine="native")
    if c.n == 0:
        return 0
    asked = _Asked(NativeMES(c, TieRule(), None))
    final_t, _ = completion_budget(asked, c, 1, False, True)
    assert final_t == _step_by_step(NativeMES(c, TieRule(), None), c)
    assert 1 <= asked.asked <= len(asked.outcomes)
    return len(asked.outcomes)


@pytest.mark.parametrize("seed", range(16))
def test_add1_asks_once_per_outcome_and_ends_where_pabutools_does(seed):
    from tests.counting.test_native_add1 import near_tie_election

    e = near_tie_election(seed)
    for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
        _completion_as_defined(e, score)


@pytest.mark.parametrize("name", ["Poland_Czestochowa_2025_Polnoc.pb", "Switzerland_Zurich_S5.pb", "Poland_Gdansk_2020.pb",
                                  "Worldwide_Mechanical_Turk_Ranking_value_7.pb"])
def test_add1_asks_once_per_outcome_on_real_elections(name):
    assert _completion_as_defined(read_pb(pabulib_file(name)), "support") >= 1
