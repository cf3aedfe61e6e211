"""The Pabulib screens (facts, option counts, voter fields, votes by group) from the compiled reader's arrays equal
those from the ballots: the same election read by the Python reader, and the compiled read with its ballots made.
And they make no Ballot per voter on the way (what made opening a large file cost several times its reading)."""

from __future__ import annotations

from dataclasses import replace
from fractions import Fraction

import pytest

from pbtools.counting.count import count
from pbtools.counting.pabulib import parse_pb, read_pb
from pbtools.counting.tallies import option_counts, quorum_met
from pbtools.results import pabulib as pb
from tests.counting.test_pabulib_io import good
from tests.native_built import require_native
from tests.results.test_pabulib_view import FILE, GROUPED
from tests.shared_data import pabulib_file


@pytest.fixture(autouse=True)
def compiled_reader():
    require_native()


def screens(election) -> dict:
    """Everything the app shows of an opened election before any count."""
    fields = pb.voter_fields(election)
    return {"facts": pb.facts(election), "counts": option_counts(election, by=()), "fields": fields,
            "groups": {f: pb.groups(election, f) for f in fields}, "limits": pb.file_limits(election),
            "rows": pb.rows(election, {}, "en"), "quorum": [quorum_met(election, n) for n in (0, pb.facts(election).voters, pb.facts(election).voters + 1)]}


def ballots_made(election) -> bool:
    return election.ballots._list is not None  # LazyBallots: the list it makes on first use


def assert_same_screens(native, python) -> None:
    assert hasattr(native.ballots, "compact") and not hasattr(python.ballots, "compact")  # the two paths under test
    from_arrays = screens(native)
    assert not ballots_made(native)
    assert from_arrays == screens(python)
    assert from_arrays == screens(replace(native, ballots=list(native.ballots)))  # the same read, from its ballots


# ordinal with sex/age/neighbourhood; approval with four fields; choose-1; cumulative (points) with fields
REAL = ["Poland_Krakow_2024.pb", "Poland_Warszawa_2026.pb", "Poland_Wroclaw_2020.pb", "Poland_Katowice_2023.pb",
        "Poland_Czestochowa_2024.pb", "Poland_Zabrze_2020.pb"]


@pytest.mark.parametrize("name", REAL)
def test_real_elections_show_the_same_from_arrays_as_from_ballots(name):
    path = pabulib_file(name)
    native, python = read_pb(path, engine="native"), read_pb(path, engine="python")
    assert pb.voter_fields(native) or name == "Poland_Katowice_2023.pb"  # most of them can be grouped
    result = pb.count_file(native, "greedy")  # the app's count also says which funded projects had no vote
    assert pb.unsupported_funded(native, result) == pb.unsupported_funded(python, result)
    assert not ballots_made(native)
    assert_same_screens(native, python)


SCORED = FILE.replace("vote_type;approval", "vote_type;scoring").replace("voter_id;vote\n", "voter_id;vote;points;sex\n").replace(
    "a;1\nb;1\nc;1,3\nd;1,2\ne;2,3\nf;2,3\ng;2,4\n",
    "a;1;0.5;F\nb;1;2;M\nc;1,3;1.25,3;F\nd;1,2;7,1;\ne;2,3;;M\nf;2,3;1,1;f\ng;2,4;100000000000000000000001,2;F\n")


@pytest.mark.parametrize("text", [FILE, GROUPED, SCORED, good("approval"), good("choose-1"), good("cumulative"),
                                  good("scoring"), good("ordinal")],
                         ids=["threshold", "grouped", "fractions-and-huge-points", "approval", "choose-1", "cumulative", "scoring", "ordinal"])
def test_small_files_of_every_kind_show_the_same(text):
    assert_same_screens(parse_pb(text, "x.pb", engine="native"), parse_pb(text, "x.pb", engine="python"))


def test_points_stay_exact_and_empty_ballots_are_participants():
    e = parse_pb(SCORED, "x.pb", engine="native")
    counts = option_counts(e, by=())
    assert counts["1"].points == Fraction(1, 2) + 2 + Fraction(5, 4) + 7  # Fractions, summed exactly
    assert counts["4"].points == 2 and counts["2"].points == 100000000000000000000001 + 1 + 1
    assert pb.facts(e).voters == 7  # e gave no points: an empty ballot, still a participant
    assert [(g.value, g.voters) for g in pb.groups(e, "sex")] == [("f", 4), ("m", 2), ("", 1)]
    assert not ballots_made(e)


def test_an_election_without_voters_opens():
    empty = FILE.split("VOTES")[0] + "VOTES\nvoter_id;vote\n"
    native, python = parse_pb(empty, "x.pb", engine="native"), parse_pb(empty, "x.pb", engine="python")
    assert_same_screens(native, python)
    assert pb.facts(native).voters == 0 and all(c.votes == 0 for c in option_counts(native, by=()).values())
    assert count(native, "greedy").selected == count(python, "greedy").selected


def test_borda_points_shown_are_the_ones_the_rule_counts():
    """A file whose META allows longer rankings than anyone gave: the first of k gets k with k = max_length, in the
    table's points as in the count (they were k = the longest ranking given, an order other than the rule's)."""
    from pbtools.counting.profile import compile_election

    ranked = good("ordinal")
    longer = ranked.replace("vote_type;ordinal", "vote_type;ordinal\nmax_length;5") if "max_length" not in ranked else ranked
    for text in (ranked, longer):
        for engine in ("native", "python"):
            e = parse_pb(text, "x.pb", engine=engine)
            counted = compile_election(e, "borda", engine=engine)
            shown = option_counts(e, by=())
            assert [shown[pid].borda for pid in counted.ids] == counted.score
    assert option_counts(parse_pb(longer, "x.pb"), by=()) != option_counts(parse_pb(ranked, "x.pb"), by=())
    huge = ranked.replace("vote_type;ordinal", "vote_type;ordinal\nmax_length;" + "9" * 30)  # exact, not int64
    assert_same_screens(parse_pb(huge, "x.pb", engine="native"), parse_pb(huge, "x.pb", engine="python"))
    assert option_counts(parse_pb(huge, "x.pb"), by=())["1"].borda == 10**30 - 1  # first of the one ranking naming it


@pytest.mark.parametrize("name", ["Poland_Krakow_2024.pb", "Worldwide_Mechanical_Turk_Ranking_value_7.pb"])
def test_borda_points_of_real_rankings_are_the_counts(name):
    from pbtools.counting.profile import compile_election

    e = read_pb(pabulib_file(name), engine="native")
    counted = compile_election(e, "borda")
    assert [option_counts(e, by=())[pid].borda for pid in counted.ids] == counted.score
