"""A compiled MES count makes its explanation's steps when they are first read, not before it returns: the steps read
later (after other counts, after its ties were read) are those of a count whose steps are read at once, and those
the Python engine makes at once (field by field, and as a ``Result`` compares them: a LazyList equals its tuple).
An Add1 count's final run (the one its ties and steps are read from) is made when they are first read, once, and
selects what the search found; greedy's steps are made when first read, on both engines."""

from dataclasses import replace
from types import SimpleNamespace

import pytest
from gmpy2 import mpq

from pbtools.counting.count import count
from pbtools.counting.lazy import LazyList, LazyTuple, joined
from pbtools.counting.native import engine as native_engine
from pbtools.counting.profile import compile_election
from pbtools.counting.result import Tie, new_tie
from pbtools.counting.pabulib import read_pb
from pbtools.counting.rules import greedy as greedy_rule
from pbtools.counting.rules import mes as mes_rule
from pbtools.counting.rules.mes_engine import Engine
from pbtools.counting.ties import TieRule
from tests.counting.test_native_engine import explained
from tests.shared_data import pabulib_file

pytestmark = pytest.mark.usefixtures("native_built")


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves."""
    return "both"


# real files whose MES counts meet ties (Mechanical Turk: a tie of every option left in each of 11 rounds)
WITH_TIES = [
    ("Worldwide_Mechanical_Turk_Ranking_value_7.pb", "support", {}),
    ("Netherlands_Assen_2024.pb", "support", {}),
    ("Switzerland_Zurich_S5.pb", "support", {"min_votes": 60}),  # options left out first: eager steps, then lazy ones
    ("Switzerland_Zurich_S5R.pb", "points", {}),
    ("Poland_Gdansk_2020_Piecki_Migowo.pb", "support", {}),
]


@pytest.fixture
def steps_made(monkeypatch) -> list:
    """Each Buy step as it is made (the explanation's one maker of them, wrapped: it still makes them)."""
    made = []
    make = mes_rule._BuyStep.__call__

    def counted(self, *args):
        step = make(self, *args)
        made.append(step)
        return step

    monkeypatch.setattr(mes_rule._BuyStep, "__call__", counted)
    return made


@pytest.mark.parametrize("rule", ["mes", "mes-add1", "mes-add1-greedy"])
@pytest.mark.parametrize("name, score, options", WITH_TIES)
def test_steps_read_after_the_count_are_those_read_at_once(name, score, options, rule, steps_made):
    e = read_pb(pabulib_file(name))
    later = count(e, rule, score=score, engine="native", **options)
    assert steps_made == [] and isinstance(later.steps, LazyList)  # nothing of the explanation made yet
    n_steps = len(later.steps)  # known without making them
    assert steps_made == []
    at_once = count(e, rule, score=score, engine="native", **options)
    at_once_steps = list(at_once.steps)
    assert len(steps_made) == sum(s.kind == "buy" for s in at_once_steps) > 0
    for other in ("mes", "mes-add1", "mes-add1-greedy"):  # other counts of the same election in between
        count(e, other, score=score, engine="native")
    # the ties first (they say each option's outcome), then the steps
    ties = [(t.step, t.tied, t.chosen, t.message.render("ru")) for t in later.ties]
    assert later.to_json() == at_once.to_json()
    assert explained(later) == explained(at_once) and len(at_once_steps) == n_steps
    assert ties == [(t.step, t.tied, t.chosen, t.message.render("ru")) for t in at_once.ties]
    python = count(e, rule, score=score, engine="python", **options)
    assert explained(later) == explained(python)
    assert later.steps == python.steps and python.steps == later.steps
    assert isinstance(python.steps, tuple) or rule == "mes-add1-greedy"  # (greedy's steps: made when first read)
    assert replace(later, options={}) == replace(python, options={})  # as Results (how many Add1 runs aside)


def test_ties_are_met_where_every_round_is_a_tie(steps_made):
    """Mechanical Turk ranking: 78 identical ballots, so each round ties every option left; the ties are there
    (Result.ties, to_json) while the steps are not yet made."""
    e = read_pb(pabulib_file("Worldwide_Mechanical_Turk_Ranking_value_7.pb"))
    result = count(e, "mes-add1", engine="native")
    assert [len(t.tied) for t in result.ties][:3] == [20, 19, 18] and steps_made == []
    assert len(result.to_json()["ties"]) == len(result.ties) == len(result.steps) == 11 and steps_made == []
    assert "funded" in result.ties[0].message.render("en")  # settled: says the outcome (reads the steps)


def test_joined_reads_no_part_before_it_is_read():
    made = []
    lazy = LazyTuple(lambda: made.append(1) or ["b", "c"], 2)
    first = ["a"]
    both = joined(first, lazy, ("d",))
    first.append("x")  # a list the caller still holds is copied
    assert isinstance(both, LazyTuple) and len(both) == 4 and made == []
    assert joined([], lazy) is lazy  # the one lazy part itself
    assert both == ("a", "b", "c", "d") and list(both) == ["a", "b", "c", "d"] and made == [1]
    assert joined(["a"], lazy) == ("a", "b", "c") and isinstance(joined(["a"], lazy), tuple)  # made: a tuple at once
    assert joined(["a"], ("b",)) == ("a", "b")


def test_lazy_steps_read_as_a_tuple():
    """Result.steps was a tuple: made later it still reads as one (slices, adding a tuple, repr)."""
    result = count(read_pb(pabulib_file("Worldwide_Mechanical_Turk_Ranking_value_7.pb")), "mes", engine="native")
    steps = result.steps
    assert isinstance(steps, LazyTuple)
    made = tuple(steps)
    assert steps[:2] == made[:2] and isinstance(steps[:2], tuple)
    assert steps + () == made and () + steps == made and isinstance(steps + (), tuple)
    assert repr(steps) == repr(made)


@pytest.mark.parametrize("name", ["Worldwide_Mechanical_Turk_Ranking_value_7.pb", "Poland_Gdansk_2020_Piecki_Migowo.pb"])
def test_steps_made_later_from_ballots_read_in_python(name, steps_made):
    """Ballots read by the Python reader (no compiled arrays: who paid counted per group from the ballots, as a
    hearing's are): the steps made later are those of the Python engine."""
    e = read_pb(pabulib_file(name), engine="python")
    later = count(e, "mes-add1", engine="native")
    assert steps_made == []
    python = count(e, "mes-add1", engine="python")
    assert explained(later) == explained(python) and later.steps == python.steps


def test_new_tie_is_the_dataclass_made_faster():
    """new_tie fills the frozen dataclass's fields without its __init__ (frozen.maker): the same Tie, while Tie has
    those fields."""
    args = (3, ("a", "b"), "a", "id", None)
    assert [f for f in Tie.__dataclass_fields__] == ["step", "tied", "chosen", "criterion", "message"]
    assert new_tie is not Tie  # the fast path is taken
    assert new_tie(*args) == Tie(*args) and vars(new_tie(*args)) == vars(Tie(*args))


@pytest.fixture
def explained_runs(monkeypatch) -> list:
    """The start budget of each explained run of the compiled engine, as it is made (every engine wrapped: it still
    counts)."""
    made, real = [], native_engine._mesnative

    class Recording:
        def __init__(self, *args) -> None:
            self._engine = real.Engine(*args)

        def __getattr__(self, name):
            return getattr(self._engine, name)

        def run(self, t, track=False, explain=False):
            if explain:
                made.append(t)
            return self._engine.run(t, track, explain)

    monkeypatch.setattr(native_engine, "_mesnative", SimpleNamespace(Engine=Recording))
    return made


@pytest.mark.parametrize("rule", ["mes-add1", "mes-add1-greedy", "mes-add1-ens"])
@pytest.mark.parametrize("name, score, options", WITH_TIES)
def test_an_add1_count_makes_its_final_run_when_its_explanation_is_first_read(name, score, options, rule, explained_runs, steps_made):
    """The outcome, its cost and the per-voter budget are there at once (the search found them); the final run is
    made by the first read of the ties (or steps), once, and gives the Python engine's ties and steps."""
    e = read_pb(pabulib_file(name))
    python = count(e, rule, score=score, engine="python", **options)
    steps_made.clear()  # (the Python engine's, made at once)
    later = count(e, rule, score=score, engine="native", **options)
    assert explained_runs == [] and steps_made == []
    assert (later.selected, later.total_cost) == (python.selected, python.total_cost)
    assert {k: v for k, v in later.options.items() if k != "runs"} == {k: v for k, v in python.options.items() if k != "runs"}
    ties = [(t.step, t.tied, t.chosen, t.criterion) for t in later.ties]
    assert len(explained_runs) == 1 and steps_made == []  # the ties read: the run made, no step yet
    assert ties == [(t.step, t.tied, t.chosen, t.criterion) for t in python.ties]
    # (a tie's message says each tied option's outcome: it reads the steps)
    assert [t.message.render("ky") for t in later.ties] == [t.message.render("ky") for t in python.ties]
    assert explained(later) == explained(python) and len(explained_runs) == 1  # the steps: from that same run


def test_a_count_waiting_for_its_final_run_keeps_no_search_state(monkeypatch):
    """The engine kept for the final run has let go of the search's last tracked run and certifier (on Budapest 2024
    ~68 MB, held as long as the explanation is unread); released, an engine still counts and certifies as a new one."""
    engines, real = [], native_engine._mesnative

    def made(*args):
        engines.append(real.Engine(*args))
        return engines[-1]

    monkeypatch.setattr(native_engine, "_mesnative", SimpleNamespace(Engine=made))
    e = read_pb(pabulib_file("Switzerland_Zurich_S5.pb"))
    result = count(e, "mes-add1", engine="native")
    assert len(engines) == 1 and result.options["runs"] >= 1 and engines[0].release() is False
    c = compile_election(e, "support", engine="native")
    kept, fresh = native_engine.NativeMES(c, TieRule(), None), native_engine.NativeMES(c, TieRule(), None)
    t = mpq(c.budget, c.n)
    assert kept.run(t, True) == fresh.run(t, True) and kept.certify(t, t + 10) == fresh.certify(t, t + 10)
    assert kept.engine.release() is True and kept.engine.release() is False
    # (released, its next run starts from the first round, as a new engine's does: not resumed from the one before)
    new = native_engine.NativeMES(c, TieRule(), None)
    assert kept.run(t + 7, True) == new.run(t + 7, True) and kept.certify(t + 3, t + 20) == fresh.certify(t + 3, t + 20)


def test_a_plain_mes_count_makes_its_one_run_at_once(explained_runs):
    """Plain MES has no search before its run: the run is the count, made by count()."""
    result = count(read_pb(pabulib_file("Worldwide_Mechanical_Turk_Ranking_value_7.pb")), "mes", engine="native")
    assert len(explained_runs) == 1 and len(result.ties) == 11 and len(explained_runs) == 1


def test_the_final_run_must_select_what_the_search_found():
    """A final run selecting other than the search found there is refused, not explained (both engines)."""
    wrong = SimpleNamespace(run=lambda t, track, explain: ([2, 1], None, []))
    with pytest.raises(RuntimeError, match="the Add1 search"):
        native_engine._FinalRun(wrong, mpq(7), [1, 2]).purchases()
    c = compile_election(read_pb(pabulib_file("Worldwide_Mechanical_Turk_Ranking_value_7.pb")), "support", engine="python")
    t = mpq(c.budget, c.n)
    right = Engine(c, TieRule(), None, None).explained(t, lambda *args: None)
    assert Engine(c, TieRule(), None, None).explained(t, lambda *args: None, right) == right
    with pytest.raises(RuntimeError, match="the Add1 search"):
        Engine(c, TieRule(), None, None).explained(t, lambda *args: None, right[::-1])


@pytest.mark.parametrize("engine", ["native", "python"])
@pytest.mark.parametrize("rule", ["greedy", "greedy-no-skip", "mes-add1-greedy"])
def test_greedy_steps_are_made_when_first_read(rule, engine, monkeypatch):
    """Greedy's outcome and ties at once, its steps (their number known) when first read; a tie's message, saying
    each option's outcome, reads them."""
    made, real = [], greedy_rule._steps
    monkeypatch.setattr(greedy_rule, "_steps", lambda *args: made.append(1) or real(*args))
    e = read_pb(pabulib_file("Worldwide_Mechanical_Turk_Ranking_value_7.pb"))
    result = count(e, rule, engine=engine)
    assert made == [] and isinstance(result.steps, LazyTuple) and result.ties
    n = len(result.steps)
    assert made == [] and result.ties[-1].tied[0] == result.ties[-1].chosen
    result.ties[-1].message.render("ru")
    assert made == [1] and len(list(result.steps)) == n and made == [1]
    assert [s.kind for s in result.steps].count("take") == len(result.selected) - (11 if rule == "mes-add1-greedy" else 0)
