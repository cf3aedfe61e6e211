"""What makes a count cheap changes nothing it says: a compile of the totals alone (greedy's) equals the merged one
once read, a step's message made when first read is the message an eager one would be (and copies, relabelled or
rounded to the whole som, as before), and the compiled MES hands over payments (worked out from its classes when
first read) equal to the Python engine's, who paid all they had included.
"""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import format_pb, parse_pb, read_pb
from pbtools.counting.profile import compile_election
from pbtools.counting.steps import LazyMsg, Take
from pbtools.i18n import Msg
from pbtools.results.count import in_whole_som, relabel
from tests.counting.test_native_engine import elections, explained
from tests.shared_data import pabulib_file

pytestmark = pytest.mark.usefixtures("native_built")


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves."""
    return "both"


def _same_compiled(read: Election, python: Election) -> None:
    for score in ("support", "points", "borda"):
        totals = compile_election(read, score, engine="native", merge=False)
        merged = compile_election(read, score, engine="native")
        reference = compile_election(python, score, engine="python")
        assert (totals.support, totals.score, totals.n) == (reference.support, reference.score, reference.n), score
        assert totals == merged == reference, score  # the groups, merged when first read


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_a_compile_of_the_totals_alone_is_the_merged_compile(e):
    text = format_pb(e)
    _same_compiled(parse_pb(text, "x.pb", "native"), parse_pb(text, "x.pb", "python"))


@pytest.mark.parametrize("name", ["Poland_Warszawa_2020_Wawer.pb", "Worldwide_Mechanical_Turk_Utilities_7.pb",
                                  "US_Stanford_Dataset_PB_Dieppe_2015_vote_rankings.pb"])
def test_a_compile_of_the_totals_alone_is_the_merged_compile_on_real_files(name):
    _same_compiled(read_pb(pabulib_file(name), engine="native"), read_pb(pabulib_file(name), engine="python"))


def test_the_totals_fall_back_where_the_merge_does():
    """Points that are fractions: the compiled merge hands over, and so does the totals pass (the same Compiled)."""
    projects = (Project("1", Decimal(100)), Project("2", Decimal(50)))
    e = Election(projects, [Ballot(("1", "2"), (Decimal("1.5"), 2)), Ballot(("2",), (3,))], Decimal(120), "cumulative")
    text = format_pb(e)
    totals = compile_election(parse_pb(text, "x.pb", "native"), "points", engine="native", merge=False)
    assert totals.arrays is None and totals == compile_election(parse_pb(text, "x.pb", "python"), "points", engine="python")


def test_a_message_made_when_read_is_the_eager_message():
    eager = Msg("{project} costs {cost}.", project="7", cost="10")
    lazy = LazyMsg(lambda p, c: Msg("{project} costs {cost}.", project=p, cost=c), "7", "10")
    assert "_make" in lazy.__dict__  # not made yet
    assert (lazy.msgid, lazy.params) == (eager.msgid, eager.params)
    assert [lazy.render(lang) for lang in ("en", "ky", "ru")] == [eager.render(lang) for lang in ("en", "ky", "ru")]
    assert "_make" not in lazy.__dict__
    with pytest.raises(AttributeError):
        lazy.colour


def test_lazy_step_messages_survive_the_hearing_copies():
    """A hearing's result is relabelled (option names) and rounded to the whole som: from messages made when read,
    exactly as from eager ones."""
    e = Election((Project("a", Decimal("100.40")), Project("b", Decimal("60.50"))),
                 [Ballot(("a",)), Ballot(("a", "b")), Ballot(("b",))], Decimal("200"), currency="KGS")
    result = count(e, "greedy", engine="native")
    take = result.steps[0]
    assert isinstance(take, Take) and isinstance(take.message, LazyMsg)
    named = relabel(take.message, {"a": Msg("School roof")})
    assert named.render("en") == take.message.render("en").replace("a (", "School roof (", 1)
    whole = in_whole_som(result)
    assert "стоит 100\xa0сом" in whole.steps[0].message.render("ru")
    assert take.message.render("ru") != whole.steps[0].message.render("ru")  # the exact one kept its decimals


@pytest.mark.parametrize("name", ["Poland_Krakow_2025_Biezanow-Prokocim.pb", "Switzerland_Zurich_S5.pb"])
def test_payments_from_the_compiled_classes_are_the_python_engines(name):
    native = count(read_pb(pabulib_file(name), engine="native"), "mes", engine="native")
    python = count(read_pb(pabulib_file(name), engine="python"), "mes", engine="python")
    assert explained(native) == explained(python)  # payments listed in full: every voter id and exact amount
    assert any(p["all_they_had"] for s in native.steps for p in s.data["payments"])


def test_payments_read_after_another_count_are_unchanged():
    e = read_pb(pabulib_file("Switzerland_Zurich_S5.pb"), engine="native")
    first = count(e, "mes", engine="native")
    again = count(replace(e, budget=e.budget * 2), "mes", engine="native")  # a second run of the engine in between
    python = count(read_pb(pabulib_file("Switzerland_Zurich_S5.pb"), engine="python"), "mes", engine="python")
    assert [list(s.data["payments"]) for s in first.steps] == [list(s.data["payments"]) for s in python.steps]
    assert again.steps
