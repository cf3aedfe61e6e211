"""The compiled greedy and Phragmén, and the compact read they count from, give what the Python engine gives.

Field by field (selected, ties, every step's kind, project, data and message in en/ky/ru), on generated elections
(ties, equal costs, zero-cost options, weights, empty ballots, 10^15 budgets, fractional points) both as built in
memory and as read back from their .pb text (the compact read: no Ballot per voter), against pabutools, and on the
real elections of ../shared/pabulib. The lazy ``ballots`` of a compact read equal the Python reader's list.
"""

from decimal import Decimal

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import format_pb, parse_pb, read_pb
from pbtools.counting.pabulib.compact import LazyBallots
from pbtools.counting.profile import compile_election
from tests.counting.reference import reference
from tests.counting.test_native_engine import elections, explained
from tests.shared_data import pabulib_file, pabulib_names

pytestmark = pytest.mark.usefixtures("native_built")

RULES = ("greedy", "greedy-no-skip", "phragmen", "mes-add1-greedy")


@pytest.fixture
def counting_engine() -> str:
    """These tests name both engines themselves (without PBTOOLS_NO_NATIVE=1, a missing native engine fails them)."""
    return "both"


def same(native_election: Election, python_election: Election, rule: str, **kw):
    native = count(native_election, rule, engine="native", **kw)
    python = count(python_election, rule, engine="python", **kw)
    assert explained(native) == explained(python), rule
    return native


@st.composite
def with_zero_costs(draw):
    e = draw(elections())
    if draw(st.booleans()):  # an option costing nothing (greedy gives it the score 0, as pabutools does)
        p = e.projects[0]
        e = Election((Project(p.id, Decimal(0)),) + tuple(e.projects[1:]), e.ballots, e.budget, e.vote_type)
    return e


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_zero_costs())
def test_native_greedy_and_phragmen_explain_as_python_does(e):
    for rule in RULES:
        for score in ("support", "points", "borda") if rule.startswith("greedy") else ("support",):
            same(e, e, rule, score=score)
    same(e, e, "greedy", min_votes=2)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(with_zero_costs())
def test_a_compact_read_counts_as_the_python_reader(e):
    text = format_pb(e)
    native, python = parse_pb(text, "x.pb", "native"), parse_pb(text, "x.pb", "python")
    assert isinstance(native.ballots, LazyBallots)
    for score in ("support", "points", "borda"):
        assert compile_election(native, score, engine="native") == compile_election(python, score, engine="python")
    for rule in RULES + ("mes",):
        for score in ("support", "points") if rule != "phragmen" else ("support",):
            same(native, python, rule, score=score)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections())
def test_native_greedy_and_phragmen_match_pabutools(e):
    text = format_pb(e)
    read = parse_pb(text, "x.pb", "native")
    for rule in ("greedy", "phragmen") if e.vote_type == "approval" else ("greedy",):  # pabutools' Phragmén: approval only
        got = list(count(read, rule, engine="native").selected)
        theirs = reference(text, rule, "support")
        assert (sorted(got) if rule == "phragmen" else got) == theirs, (rule, text)


def test_lazy_ballots_are_made_when_asked_and_equal_the_python_readers():
    e = Election((Project("1", Decimal(5)), Project("2", Decimal(3))),
                 [Ballot(("1", "2"), None, {"sex": "F"}, "a"), Ballot((), None, {}, "b"), Ballot(("2",), None, {"sex": "M"}, "ć")],
                 Decimal(6), "approval")
    text = format_pb(e)
    native, python = parse_pb(text, "x.pb", "native"), parse_pb(text, "x.pb", "python")
    assert len(native.ballots) == 3 and native.ballots._list is None  # the length needs no ballot
    assert count(native, "greedy", engine="native").selected == ("2",) and native.ballots._list is None
    assert native.ballots == python.ballots and python.ballots == native.ballots
    assert [b.voter_id for b in native.ballots] == ["a", "b", "ć"]
    assert native.ballots[2].voter == {"sex": "M"} and native.participants == 3
    assert native == python


@pytest.mark.parametrize("name", pabulib_names())
def test_real_elections_greedy_and_phragmen_on_both_engines(name):
    path = pabulib_file(name)
    native, python = read_pb(path, "native"), read_pb(path, "python")
    for rule in ("greedy", "greedy-no-skip") + (("phragmen",) if python.vote_type in ("approval", "choose-1") else ()):
        same(native, python, rule)
    if python.vote_type in ("cumulative", "scoring"):
        same(native, python, "greedy", score="points")
    same(native, python, "mes")


@pytest.mark.parametrize("raw", [b"\xef\xbb\xbfMETA\r\nkey;value\r\n", b"META\rkey;value\r\r\n\n", b"A;\"x\r\ny\"\r\n", b"\r", b"plain\n"])
def test_read_pb_reads_the_text_read_text_reads(tmp_path, raw):
    from pbtools.counting.pabulib.reader import _lines

    path = tmp_path / "x.pb"
    path.write_bytes(raw)
    assert _lines(raw).decode("utf-8-sig") == path.read_text(encoding="utf-8-sig")


def test_a_file_that_is_not_utf8_names_the_byte_as_before(tmp_path):
    from pbtools.counting.pabulib import PabulibError

    path = tmp_path / "x.pb"
    path.write_bytes(b"META\r\nkey;value\r\nbudget;1\xc3\x28\r\n")
    with pytest.raises(UnicodeDecodeError) as before:
        path.read_text(encoding="utf-8-sig")
    with pytest.raises(PabulibError, match=f"byte {before.value.start}"):
        read_pb(path)
