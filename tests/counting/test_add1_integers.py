"""The Add1 search works on integers: step k's budget is (num + k·d) / den, certified from int / int floats.

* int / int rounds to the nearest float exactly as float(mpq) does (the certification's input is the same), also
  past 2^64, with 20 decimals, and where a float overflows (both refuse) or underflows;
* ``NativeMES.certify(ta, tb, den)`` on integers answers what ``certify`` on the rationals answers, call for call
  (where amounts are whole below 2^53: scaled 20-decimal amounts are never certified, only counted);
* on elections with 20-decimal amounts and with budgets past 2^64 the search ends where pabutools' definition
  (a fresh exact run at every step) ends, on both engines, and both engines count the same.
"""

import os
import random
from decimal import Decimal

import pytest
from gmpy2 import mpq

from pbtools.counting import native as native_core
from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.profile import compile_election
from pbtools.counting.rules.mes import completion_budget
from pbtools.counting.rules.mes_engine import Engine
from pbtools.counting.ties import TieRule
from tests.counting.test_count_fixed_cost import _step_by_step
from tests.counting.test_native_add1 import near_tie_election, tied_election

pytestmark = pytest.mark.skipif(not native_core.BUILT and os.environ.get("PBTOOLS_NO_NATIVE") == "1",
                                reason="PBTOOLS_NO_NATIVE=1: the compiled core is not built on this machine")


@pytest.fixture
def counting_engine() -> str:
    return "both"


def _decimals_election(seed: int, decimals: int = 20, big: bool = False) -> Election:
    """Costs and budget with ``decimals`` digits after the point (scaled: past 2^64 from 20 decimals on); ``big``:
    amounts of about 10^22 units besides. Few voters and a share close to the costs: a few Add1 steps change the
    outcome."""
    rng = random.Random(seed)

    def amount(units: int) -> Decimal:  # exact from its text (arithmetic would round past 28 digits)
        whole, frac = divmod(units, 10**decimals)
        return Decimal(f"{whole}.{frac:0{decimals}d}")

    m = rng.randint(3, 7)
    ids = [f"p{i}" for i in range(m)]
    size = (10**22 if big else 1000) * 10**decimals
    units = [rng.randint(size, 3 * size) + rng.randint(1, 10**decimals - 1) for _ in ids]
    costs = [amount(u) for u in units]
    ballots = []
    for i in range(rng.randint(3, 9)):
        choice = tuple(rng.sample(ids, rng.randint(1, m)))
        ballots.append(Ballot(choice, None, {}, f"v{i}", 1))
    budget = amount(sum(units) * rng.choice([35, 50, 65]) // 100 + 1)  # +1: a share with a denominator, mostly
    return Election(tuple(Project(pid, c) for pid, c in zip(ids, costs)), tuple(ballots), budget, "approval")


def test_int_over_int_is_rounded_as_float_of_the_rational():
    # A guard on what the search assumes of CPython and gmpy2 (it certifies from int / int where it used float(mpq)),
    # not a test of pbtools' own code.
    rng = random.Random(7)
    for _ in range(20_000):
        den = rng.choice([1, 3, 7, 66, 10**20, 3 * 10**20 + 1, rng.getrandbits(rng.randint(1, 140)) + 1])
        num = rng.getrandbits(rng.randint(1, 200)) + 1
        assert num / den == float(mpq(num, den)), (num, den)
    for num, den in ((10**400, 3), (1, 10**400)):  # past a float: both refuse; below the smallest: both give 0
        try:
            exact = float(mpq(num, den))
        except OverflowError:
            with pytest.raises(OverflowError):
                num / den
        else:
            assert num / den == exact


def _native(c):
    from pbtools.counting.native.engine import NativeMES

    return NativeMES(c, TieRule(), None)


def _certify_both_ways(e: Election, seed: int) -> int:
    """Certifications on integers and on rationals, call for call on two engines (each keeps what it found); how
    many certified."""
    c = compile_election(e, "support", engine="native")
    if c.n == 0:
        return 0
    base = mpq(c.budget, c.n)
    num, den = int(base.numerator), int(base.denominator)
    d = c.scale * den
    on_rationals, on_integers = _native(c), _native(c)
    rng = random.Random(seed)
    certified = 0
    for _ in range(40):
        a, width = rng.randrange(0, 300), rng.choice([1, 2, 5, 16, 64])
        ta, tb = num + a * d, num + (a + width - 1) * d
        expected = on_rationals.certify(mpq(ta, den), mpq(tb, den))
        assert on_integers.certify(ta, tb, den) == expected, (seed, a, width)
        assert on_integers.engine.certify_hint() == on_rationals.engine.certify_hint()
        certified += expected is not None
    huge = 10**400 * den
    assert on_integers.certify(huge, huge + d, den) is None  # past a float: counted, never certified
    return certified


MAKERS = {"near-ties": near_tie_election, "ties": tied_election, "20-decimals": _decimals_election,
          "past-2^64": lambda seed: _decimals_election(seed, big=True)}


@pytest.mark.parametrize("kind", MAKERS)
@pytest.mark.parametrize("seed", range(6))
def test_certify_on_integers_answers_as_on_rationals(kind, seed):
    _certify_both_ways(MAKERS[kind](seed), seed)


def test_certifications_happen_where_amounts_are_exact_floats():
    """Whole amounts below 2^53 certify (with shares of denominators 1 to 67 here), so the comparison above is not
    of None with None alone; amounts scaled past 2^53 (20 decimals) never certify: they are counted."""
    assert sum(_certify_both_ways(near_tie_election(s), s) for s in range(6)) > 0
    assert sum(_certify_both_ways(tied_election(s), s) for s in range(6)) > 0
    assert sum(_certify_both_ways(_decimals_election(s), s) for s in range(6)) == 0


@pytest.mark.parametrize("big", [False, True], ids=["20-decimals", "past-2^64"])
@pytest.mark.parametrize("seed", range(12))
def test_add1_on_integers_ends_where_pabutools_does(seed, big):
    e = _decimals_election(seed, big=big)
    c = compile_election(e, "support", engine="native")
    assert c.scale == 10**20 and c.budget > 2**64
    final_native, _ = completion_budget(_native(c), c, 1, False, True)
    final_python, _ = completion_budget(Engine(c, TieRule(), None, None), c, 1, False, True)
    if not big:  # a few steps: pabutools' definition, step by step (10^22 units a voter would take too many)
        assert final_native == _step_by_step(_native(c), c), seed
    assert final_native == final_python, seed
    native, python = count(e, "mes-add1", engine="native"), count(e, "mes-add1", engine="python")
    assert native.selected == python.selected
    assert native.options["per_voter_budget"] == python.options["per_voter_budget"] == c.money(final_native)
    assert [s.message.render("en") for s in native.steps] == [s.message.render("en") for s in python.steps]
