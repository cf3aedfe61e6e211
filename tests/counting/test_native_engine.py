"""The compiled MES engine counts what the Python engine counts, and explains it the same, step for step.

Outcomes are compared with pabutools in test_against_pabutools.py (every test there runs on both engines, through
the autouse ``counting_engine`` fixture); here the two engines are compared field by field (selected, ties, every
step's kind, project, data, payments and message), on generated elections and on the real ones.
"""

import random
import resource
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import format_pb, read_pb
from tests.counting.reference import reference
from tests.shared_data import pabulib_file, pabulib_names

pytestmark = pytest.mark.usefixtures("native_built")


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves (without PBTOOLS_NO_NATIVE=1, a missing native engine fails them)."""
    return "both"


# Add1 on these takes seconds to minutes on the Python engine: they are compared in the benchmark
SLOW_ADD1 = {"France_Toulouse_2022.pb", "France_Toulouse_2024.pb", "Hungary_Budapest_2024.pb", "Poland_Warszawa_2021_Mokotow.pb",
             "Poland_Warszawa_2020_Praga-Poludnie.pb", "Poland_Warszawa_2020_Wawer.pb", "Poland_Warszawa_2021_Bielany.pb",
             "Poland_Warszawa_2026.pb", "poland_warszawa_2019_ursynow.pb", "Poland_Lodz_2024.pb", "Poland_Krakow_2024.pb",
             "Poland_Lodz_2022.pb", "Poland_Krakow_2021.pb"}


def explained(result) -> tuple:
    """Everything a Result says, in a comparable form (``runs`` aside: how many runs Add1 needed is the engine's)."""
    steps = []
    for s in result.steps:
        data = {k: (list(v) if k == "payments" else v) for k, v in s.data.items()}
        steps.append((s.kind, s.project, data, s.message.render("en"), s.message.render("ky")))
    ties = [(t.step, t.tied, t.chosen, t.criterion, t.message.render("ru")) for t in result.ties]
    options = {k: v for k, v in result.options.items() if k != "runs"}
    return result.selected, result.total_cost, ties, steps, options


def both(e: Election, rule: str, **kw):
    native, python = count(e, rule, engine="native", **kw), count(e, rule, engine="python", **kw)
    assert explained(native) == explained(python), rule
    return native


@st.composite
def elections(draw):
    m = draw(st.integers(1, 7))
    ids = draw(st.lists(st.sampled_from(["1", "2", "10", "11", "3", "20", "b", "a", "P07"]), min_size=m, max_size=m, unique=True))
    huge = draw(st.booleans())  # 10^15-som budgets and costs
    unit = 10**14 if huge else 1
    costs = draw(st.lists(st.sampled_from([1, 2, 3, 5]), min_size=m, max_size=m))  # equal costs: ties
    budget = draw(st.integers(0, 16)) * unit  # may be below every cost
    fractional = draw(st.booleans())
    n = draw(st.integers(1, 9))  # one voter upwards; empty ballots too
    ballots = []
    for i in range(n):
        chosen = draw(st.lists(st.sampled_from(ids), max_size=m, unique=True))
        points = None
        if draw(st.booleans()):
            points = tuple((Fraction(draw(st.integers(1, 9)), 4) if fractional else draw(st.integers(1, 4))) for _ in chosen)
        ballots.append(Ballot(tuple(chosen), points, {}, f"v{i}", draw(st.integers(1, 3))))
    projects = tuple(Project(pid, Decimal(c * unit) + (Decimal("0.5") if fractional and c == 5 else 0)) for pid, c in zip(ids, costs))
    vote_type = "cumulative" if any(b.points is not None for b in ballots) else "approval"
    if vote_type == "cumulative":
        ballots = [b if b.points is not None else Ballot(b.choice, (1,) * len(b.choice), b.voter, b.voter_id, b.weight) for b in ballots]
    return Election(projects, ballots, Decimal(budget), vote_type)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_native_explains_as_python_does(e):
    for rule in ("mes", "mes-add1", "mes-add1-ens", "mes-add1-greedy"):
        for score in ("support", "points"):
            both(e, rule, score=score)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_native_matches_pabutools_with_fractional_points_and_huge_budgets(e):
    text = format_pb(e)
    for rule in ("mes", "mes-add1"):
        for score in ("support", "points") if e.vote_type == "cumulative" else ("support",):
            if rule == "mes-add1" and e.budget > 10**6:
                continue  # pabutools would rerun MES once per unit of the per-voter budget
            assert list(count(e, rule, score=score, engine="native").selected) == reference(text, rule, score), (rule, score, text)


@pytest.mark.parametrize("name", pabulib_names())
def test_real_elections_mes_on_both_engines(name):
    e = read_pb(pabulib_file(name))
    both(e, "mes")
    if name not in SLOW_ADD1:
        both(e, "mes-add1")


def test_a_hundred_thousand_voters():
    rng = random.Random(20)
    ids = [str(i) for i in range(1, 9)]
    projects = tuple(Project(pid, Decimal(rng.choice([100, 150, 200, 250]) * 1000)) for pid in ids)
    ballots = [Ballot(tuple(rng.sample(ids, rng.randint(0, 4))), None, {}, f"v{i}") for i in range(100_000)]
    e = Election(projects, ballots, Decimal(600_000), "approval")
    native = both(e, "mes")
    assert list(native.selected) == reference(format_pb(e), "mes")


def test_no_leak_over_a_thousand_counts():
    rng = random.Random(7)
    ids = [str(i) for i in range(12)]
    projects = tuple(Project(pid, Decimal(rng.randint(1, 9) * 1000)) for pid in ids)
    ballots = [Ballot(tuple(rng.sample(ids, rng.randint(1, 5))), None, {}, f"v{i}") for i in range(300)]
    e = Election(projects, ballots, Decimal(20_000), "approval")
    for _ in range(50):  # warm up: caches, allocator pools
        count(e, "mes-add1", engine="native")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for _ in range(1000):
        result = count(e, "mes-add1", engine="native")
        assert result.steps and list(result.steps[0].data["payments"])
    grown_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
    # a leak of one purchase's rationals per count would be megabytes; allocator noise is far below
    assert grown_kb < 20_000, grown_kb


@pytest.mark.parametrize("name", pabulib_names(max_bytes=2_000_000))
def test_ballots_merge_the_same_on_both_engines(name):
    from pbtools.counting.profile import compile_election

    e = read_pb(pabulib_file(name))
    for score in ("support", "points", "borda"):
        assert compile_election(e, score, engine="native") == compile_election(e, score, engine="python"), score


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_generated_ballots_merge_the_same_on_both_engines(e):
    from pbtools.counting.profile import compile_election

    for score in ("support", "points", "borda"):
        assert compile_election(e, score, engine="native") == compile_election(e, score, engine="python"), score


def _cli(args: list[str], hide: str | None = None):
    import subprocess
    import sys

    code = ("import sys\n"
            + (f"sys.modules[{hide!r}] = None  # as where it was not built (no GMP, no compiler)\n" if hide else "")
            + "from pbtools.cli import main\nsys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=300)


def test_tally_counts_the_same_on_each_engine_and_without_gmp():
    path = str(pabulib_file("Poland_Swiecie_2023.pb"))
    outputs = [_cli(["tally", path, "--rule", "mes-add1", "--json", "--engine", engine]) for engine in ("native", "python")]
    outputs.append(_cli(["tally", path, "--rule", "mes-add1", "--json"], hide="pbtools.counting.native._mesnative"))
    for out in outputs:
        assert out.returncode == 0, out.stderr
    assert outputs[0].stdout == outputs[1].stdout == outputs[2].stdout
    refused = _cli(["tally", path, "--engine", "native", "--lang", "ky"], hide="pbtools.counting.native._mesnative")
    assert refused.returncode == 2 and "--engine auto" in refused.stderr
    assert "native" in _cli(["--version"]).stdout
    assert "python" in _cli(["--version"], hide="pbtools.counting.native._mesnative").stdout


def _mes_engine_args(**changes):
    """A good _mesnative.Engine call (2 groups, 3 projects, points), with some arguments replaced."""
    import struct

    args = dict(weights=struct.pack("<2q", 3, 4), s_off=struct.pack("<4q", 0, 2, 3, 3), s_grp=struct.pack("<3i", 0, 1, 1),
                s_ui=struct.pack("<3q", 0, 1, 1), uvals=["1", "5/2"], costs=[10, 20, 30], ranks=[0, 1, 2],
                candidates=[0, 1], initial=[])
    args.update(changes)
    return list(args.values())


@pytest.mark.parametrize("changes, error", [
    ({"weights": b"\0" * 12}, ValueError),  # not whole int64s
    ({"s_off": b"\0" * 24}, ValueError),  # offsets for 2 projects, 3 ranked
    ({"s_off": __import__("struct").pack("<4q", 0, 2, 1, 3)}, ValueError),  # going down
    ({"s_off": __import__("struct").pack("<4q", 1, 2, 3, 3)}, ValueError),  # not from 0
    ({"s_off": __import__("struct").pack("<4q", 0, 2, 3, 9)}, ValueError),  # past the groups given
    ({"s_grp": __import__("struct").pack("<3i", 0, 2, 1)}, ValueError),  # group 2 of 2
    ({"s_grp": __import__("struct").pack("<3i", 0, -1, 1)}, ValueError),
    ({"s_ui": __import__("struct").pack("<3q", 0, 2, 1)}, ValueError),  # utility 2 of 2
    ({"s_ui": __import__("struct").pack("<2q", 0, 1)}, ValueError),  # one per supporter
    ({"uvals": []}, ValueError),  # indices into no values
    ({"candidates": [0, 3]}, ValueError),
    ({"costs": [10, 20]}, ValueError),
    ({"s_grp": [0, 1, 1]}, TypeError),  # not a buffer
    ({"weights": __import__("struct").pack("<2q", 3, 0)}, ValueError),  # a group of no voters
    ({"weights": __import__("struct").pack("<2q", 2**62, 2**62)}, ValueError),  # voters past what int64 sums hold
    ({"initial": [-3]}, ValueError),  # a project out of range
    ({"initial": [3]}, ValueError),
    ({"ranks": [0, 0, 1]}, ValueError),  # two projects in one place of the tie order
    ({"ranks": [0, 1, 3]}, ValueError),  # a place past the projects
    ({"ranks": [0, 1, 2**32 + 2]}, OverflowError),  # not narrowed to 2
    ({"candidates": [0, 2**32 + 1]}, OverflowError),
    ({"costs": [10, 0, 30]}, ValueError),  # a candidate costing nothing
    ({"costs": [10, -20, 30]}, ValueError),
    ({"s_grp": __import__("struct").pack("<3i", 0, 1, 1), "s_off": __import__("struct").pack("<4q", 0, 1, 3, 3)},
     ValueError),  # group 1 twice among project 1's supporters
])
def test_the_compiled_engine_refuses_malformed_arrays(changes, error):
    """Arrays that do not fit together are an exception, never a read past them (the engine is a public module)."""
    from pbtools.counting.native import _mesnative

    good = _mes_engine_args()
    # the good call counts: at 5 each, project 0 at ρ = 10/13 (3·ρ·1 + 4·ρ·5/2 = 10); project 1 then needs 20 of
    # the 4 voters' 40/13 each; at 10 each both
    assert _mesnative.Engine(*good).run("5")[0] == [0]
    assert sorted(_mesnative.Engine(*good).run("10")[0]) == [0, 1]
    with pytest.raises(error):
        _mesnative.Engine(*_mes_engine_args(**changes))
