"""The compiled .pb reader gives exactly the Python reader's election, and the same one-line error for a broken file.

Also the reader's own robustness: huge amounts are counted exactly or refused naming the line, odd points are refused,
a cumulative file without points is refused; no input gives anything but an Election or a PabulibError.
"""

from __future__ import annotations

import gc
import os
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import psutil
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbtools.counting.count import count
from pbtools.counting.pabulib import PabulibError, parse_pb, read_pb
from tests.shared_data import pabulib_file, pabulib_names
from tests.counting.reference import reference
from tests.counting.test_pabulib_io import NAMED, good

native_only = pytest.mark.usefixtures("native_built")


def outcome(source: str | Path, engine: str):
    """What a reader makes of a text (named x.pb), or of a file's bytes (a Path): the election as plain values, or the
    error's one line."""
    try:
        e = read_pb(source, engine) if isinstance(source, Path) else parse_pb(source, "x.pb", engine)
    except PabulibError as exc:
        return ("error", str(exc))
    return ("election", [(p.id, p.cost, dict(p.names), p.area, p.sector, dict(p.attributes)) for p in e.projects],
            [(b.choice, b.points, dict(b.voter), b.voter_id, b.weight) for b in e.ballots], e.budget, e.vote_type,
            dict(e.meta), e.currency)


def same_on_both(source: str | Path):
    python = outcome(source, "python")
    assert outcome(source, "native") == python
    return python


def mutated(seed, edits):
    """seed (a str or bytes) with each edit (at, cut, insert) in turn: `cut` items from `at` replaced by `insert`."""
    for at, cut, insert in edits:
        at = min(at, len(seed))
        seed = seed[:at] + insert + seed[at + cut:]
    return seed


APPROVAL, CUMULATIVE = good(), good("cumulative")
BROKEN = {
    "short row": APPROVAL.replace("b;3;None;M", "b;3;None"),
    "long row": APPROVAL.replace("b;3;None;M", "b;3;None;M;x"),
    "unknown project": APPROVAL.replace("a;1,2;30;F", "a;1,9;30;F"),
    "voted twice": APPROVAL.replace("b;3;None;M", "a;3;None;M"),
    "voted twice after strip": APPROVAL.replace("b;3;None;M", " a ;3;None;M"),
    "points not a number": CUMULATIVE.replace("2,1;30", "2,x;30"),
    "points count": CUMULATIVE.replace("2,1;30", "2;30"),
    "points superscript digit": CUMULATIVE.replace("2,1;30", "2,\u00b2;30"),
    "points huge exponent": CUMULATIVE.replace("2,1;30", "2,1e999999999;30"),
    "points 5000 digits": CUMULATIVE.replace("2,1;30", "2," + "9" * 5000 + ";30"),
    "cumulative without points column": CUMULATIVE.replace("voter_id;vote;points;", "voter_id;vote;").replace("2,1;30", "30").replace("4;None", "None"),
    "cumulative with empty points": CUMULATIVE.replace("2,1;30", ";30").replace("4;None", ";None"),
    "ranking twice": good("ordinal").replace("a;1,2;30", "a;1,1;30"),
    "field over the csv limit": APPROVAL.replace("b;3;None;M", "b;3;None;" + "M" * 140000),
    "quoted newline in a vote": APPROVAL.replace("b;3;None;M", 'b;"3\n,7";None;M'),
    "section after votes": APPROVAL + "PROJECTS\nproject_id;cost\n9;1\n",
    "a section name with a long s": APPROVAL + "PROJECT\u017f\nproject_id;cost\n",  # "ſ".upper() == "S"
    "a section name with a cyrillic letter": APPROVAL + "MET\u0410\n",
    "votes twice": APPROVAL + "VOTES\nvoter_id;vote\nz;1\n",
    "meta after votes then bad": APPROVAL + "META\nkey;value\nx;y;z\n",
    "cost with 41 digits": APPROVAL.replace("1;40;Park", "1;" + "9" * 41 + ";Park"),
    "budget with 400 digits": APPROVAL.replace("budget;100,5", "budget;" + "9" * 400),
    "budget 1e400": APPROVAL.replace("budget;100,5", "budget;1e400"),
    "budget 21 decimals": APPROVAL.replace("budget;100,5", "budget;1." + "1" * 21),
    "budget infinite": APPROVAL.replace("budget;100,5", "budget;Infinity"),
    # s27 L2: a misspelt section name was said as "1 fields where the header has 2"
    "a misspelt section in META": APPROVAL.replace("PROJECTS\n", "PROJEKTY\n"),
    "a misspelt section in PROJECTS": APPROVAL.replace("VOTES\n", "VOTE\n"),
    "a misspelt first section": APPROVAL.replace("META\n", "METADATA\n", 1),
    "a misspelt section after VOTES": APPROVAL + "METADATA\n",
    "a row of one field": APPROVAL.replace("b;3;None;M", "b"),
}
ODD_BUT_READABLE = {
    "unterminated quote at the end": APPROVAL.replace("b;3;None;M\n", 'b;3;None;"M'),
    "crlf": APPROVAL.replace("\n", "\r\n"),
    "lone cr": APPROVAL.replace("\n", "\r"),
    "blank lines in votes": APPROVAL.replace("b;3;", "\n\n  \nb;3;"),
    "blank row of the header's width": APPROVAL.replace("b;3;None;M", ";;;"),
    "quoted cells": APPROVAL.replace("b;3;None;M", '"b";"3";"No""ne";"M"x'),
    "spaces around ids": APPROVAL.replace("a;1,2;30;F", " a ; 1 , 2 ,,;30;F"),
    "non-ascii ids and attributes": APPROVAL.replace("b;3;None;M", "\u00e9\u00e8;3;\u0416;\u04e9"),
    "nbsp around an id": APPROVAL.replace("a;1,2", "a;\u00a01,2\u00a0"),
    "none in any case": APPROVAL.replace("b;3;None;M", "b;NoNe;none;M"),
    "repeated approval": APPROVAL.replace("a;1,2;30", "a;1,2,1;30"),
    "repeated points keep the last": CUMULATIVE.replace("a;1,2;2,1", "a;1,2,1;2,1,5"),
    "fraction and decimal points": CUMULATIVE.replace("2,1;30", "1/2,0.25;30"),
    "lowercase section": APPROVAL.replace("VOTES", "votes"),
    "nul in a cell": APPROVAL.replace("b;3;None;M", "b;3;N\x00;M"),
    "cost with 40 digits": APPROVAL.replace("1;40;Park", "1;" + "9" * 40 + ";Park"),
    "budget with 20 decimals": APPROVAL.replace("budget;100,5", "budget;100." + "1" * 20),
    "names per language": NAMED,
    "names per language with name_ky, quoted and spaced": NAMED.replace("Park;Парк", '" Park ";"Пар""к"').replace(";name_ru;", ";name_ky;name_ru;", 1)
    .replace(";1\n", ";;1\n", 1).replace(";2\n", ";Жол;2\n", 1).replace(";3\n", ";;3\n", 1),
}


@native_only
@pytest.mark.parametrize("case", sorted(BROKEN))
def test_broken_files_give_the_same_one_line_error(case):
    got = same_on_both(BROKEN[case])
    assert got[0] == "error" and "\n" not in got[1] and got[1].startswith("x.pb")


@native_only
@pytest.mark.parametrize("case", sorted(ODD_BUT_READABLE))
def test_odd_but_readable_files_give_the_same_election(case):
    got = same_on_both(ODD_BUT_READABLE[case])
    assert got[0] == "election", got


@native_only
def test_names_per_language_are_the_same_on_both_engines():
    """Both readers give a project's name_ky/name_ru/name_en as its names in those languages (head.add_projects)."""
    got = same_on_both(NAMED)
    assert got[1][0][2] == {"": "Сейил бак", "ru": "Парк", "en": "Park"}


@pytest.mark.parametrize("case, line", [("cost with 41 digits", 8), ("budget with 400 digits", 3), ("budget 1e400", 3),
                                        ("budget 21 decimals", 3), ("points huge exponent", 13),
                                        ("points 5000 digits", 13), ("points superscript digit", 13),
                                        ("cumulative without points column", 12), ("cumulative with empty points", 13)])
def test_unreadable_amounts_and_points_name_their_line(case, line, engine):
    with pytest.raises(PabulibError, match=f"^x.pb, line {line}: "):
        parse_pb(BROKEN[case], "x.pb", engine)


@pytest.mark.parametrize("case, said", [
    ("a misspelt section in META", "x.pb, line 6: 'PROJEKTY' is not a section name (META, PROJECTS, VOTES)"),
    ("a misspelt section in PROJECTS", "x.pb, line 11: 'VOTE' is not a section name (META, PROJECTS, VOTES)"),
    ("a misspelt first section", "x.pb, line 1: 'METADATA' is not a section name (META, PROJECTS, VOTES)"),
    ("a misspelt section after VOTES", "x.pb, line 15: 'METADATA' is not a section name (META, PROJECTS, VOTES)"),
    ("a row of one field", "x.pb, line 14: 1 field where the header has 4"),
    ("short row", "x.pb, line 14: 3 fields where the header has 4")])
def test_a_wrong_section_name_is_named_and_a_row_width_counted_in_words(case, said, engine):
    with pytest.raises(PabulibError) as got:
        parse_pb(BROKEN[case], "x.pb", engine)
    assert got.value.message.render("en") == said
    if case == "a misspelt section in META":
        assert got.value.message.render("ru") == "x.pb, строка 6: «PROJEKTY» — не название раздела (META, PROJECTS, VOTES)"
    if case == "a row of one field":
        assert got.value.message.render("ru") == "x.pb, строка 14: 1 поле, а в заголовке 4"


def test_a_40_digit_cost_is_counted_exactly(engine):
    big = "9" * 39 + "1"
    text = APPROVAL.replace("1;40;Park", f"1;{big};Park").replace("budget;100,5", f"budget;{big}.5")
    e = parse_pb(text, "x.pb", engine)
    assert e.projects[0].cost == Decimal(big)
    for rule in ("greedy", "mes", "phragmen"):
        selected = list(count(e, rule).selected)
        assert (sorted(selected) if rule == "phragmen" else selected) == [str(p) for p in reference(text, rule)]  # pabutools sorts Phragmén by id
    # the budget is 1's cost + 0.5: 2 (60.5) and 3 (50) do not fit beside it, which a rounding would hide
    result = count(e, "greedy")
    assert list(result.selected) == ["1"] and result.total_cost == Decimal(big)


SEED = good().replace("b;3;None;M", 'b;"3";None;M\r\nc;2,3;40;F\rd;;;')
ALPHABET = st.sampled_from(list(';,"\r\n 0123abxNoneVOTES\u00e9\u00a0\x00\t.') + ["None", "VOTES", "PROJECTS", ";;", "1,2", "\r\n"])


@native_only
@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(st.integers(0, len(SEED)), st.integers(0, 3), st.lists(ALPHABET, max_size=4).map("".join)), max_size=4),
       st.sampled_from(["approval", "cumulative", "ordinal", "choose-1"]))
def test_mutated_files_read_the_same_on_both_engines(edits, vote_type):
    same_on_both(mutated(SEED.replace("vote_type;approval", f"vote_type;{vote_type}"), edits))




@native_only
@pytest.mark.parametrize("name", pabulib_names(400_000))  # the larger files: benchmarks/counting_vs_pabutools.py
def test_real_elections_read_the_same_on_both_engines(name):
    text = pabulib_file(name).read_text(encoding="utf-8-sig")
    assert outcome(text, "native") == outcome(text, "python")


@native_only
def test_no_leak_over_1000_native_reads():
    text = good("cumulative") + "".join(f"v{i};{1 + i % 3},{1 + (i + 1) % 3};{i % 5},1;{i % 90};F\n" for i in range(200))
    process = psutil.Process(os.getpid())
    for _ in range(50):
        parse_pb(text, "x.pb", "native")
    gc.collect()
    before = process.memory_info().rss
    for _ in range(1000):
        parse_pb(text, "x.pb", "native")
        try:
            parse_pb(text.replace("v7;", "v6;"), "x.pb", "native")  # the error path too
        except PabulibError:
            pass
    gc.collect()
    grown = process.memory_info().rss - before
    assert grown < 8 * 2**20, f"RSS grew {grown / 2**20:.1f} MiB over 1,000 reads"


def _tally(args: list[str], without_native: bool):
    import subprocess
    import sys

    code = ("import sys\n"
            + ("sys.modules['pbtools.counting.native._pbnative'] = None  # as where no compiler built it\n" if without_native else "")
            + "from pbtools.cli import main\nsys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, "tally", *args], capture_output=True, text=True, timeout=120)


def test_without_the_compiled_core_tally_counts_the_same_and_refuses_native(tmp_path):
    path = tmp_path / "e.pb"
    path.write_text(good("cumulative"), encoding="utf-8")
    alone = _tally([str(path), "--rule", "mes", "--score", "points", "--json"], without_native=True)
    assert alone.returncode == 0, alone.stderr
    assert alone.stdout == _tally([str(path), "--rule", "mes", "--score", "points", "--json"], without_native=False).stdout
    refused = _tally([str(path), "--engine", "native", "--lang", "ru"], without_native=True)
    assert refused.returncode == 2 and "--engine auto" in refused.stderr and "компилятор" in refused.stderr


@st.composite
def written_elections(draw):
    """A .pb text full of edge cases: ties (few costs, ids sorting differently as text and number), one voter, empty
    ballots, budgets below every cost or of 10**15, fractional points."""
    from pbtools.counting.model import Ballot, Election, Project
    from pbtools.counting.pabulib import format_pb

    vote_type = draw(st.sampled_from(["approval", "cumulative"]))
    m = draw(st.integers(1, 5))
    ids = draw(st.lists(st.sampled_from(["1", "2", "10", "3", "b", "a"]), min_size=m, max_size=m, unique=True))
    huge = draw(st.booleans())
    unit = 10**14 if huge else 1
    costs = [Decimal(draw(st.integers(1, 5)) * unit) for _ in ids]
    budget = Decimal(draw(st.integers(0, 12)) * unit) if not huge else Decimal(10**15)
    ballots = []
    for i in range(draw(st.integers(1, 6))):
        chosen = tuple(draw(st.lists(st.sampled_from(ids), max_size=m, unique=True)))
        points = None
        if vote_type == "cumulative":
            points = tuple(draw(st.sampled_from([1, 2, 3, Fraction(1, 2), Fraction(5, 2)])) for _ in chosen)
        ballots.append(Ballot(chosen, points, {}, f"v{i}"))
    return format_pb(Election(tuple(Project(p, c) for p, c in zip(ids, costs)), ballots, budget, vote_type))


def _steps(result) -> list:
    """Steps as plain values (who paid is a lazy sequence)."""
    return [(s.kind, s.project, {k: list(v) if k == "payments" else v for k, v in s.data.items()}) for s in result.steps]


@native_only
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(written_elections())
def test_generated_elections_count_the_same_on_both_engines_and_in_pabutools(text):
    python, native = parse_pb(text, "g.pb", "python"), parse_pb(text, "g.pb", "native")
    scores = ("support", "points") if python.vote_type == "cumulative" else ("support",)
    for rule in ("greedy", "mes", "mes-add1", "phragmen"):
        if rule == "phragmen" and python.vote_type != "approval":
            continue
        for score in scores:
            a, b = count(python, rule, score=score), count(native, rule, score=score)
            assert list(a.selected) == list(b.selected) and a.explain("en") == b.explain("en")
            assert _steps(a) == _steps(b) and a.ties == b.ties
            if rule == "mes-add1" and python.budget >= 10**15:
                continue  # pabutools' Add1 raises each voter's budget 1 unit at a time: 10**14 counts
            ref = reference(text, rule, score)
            assert (sorted(a.selected) if rule == "phragmen" else list(a.selected)) == ref, (rule, score, text)


def test_no_leak_over_1000_reads_and_counts():
    text = good("cumulative") + "".join(f"v{i};{1 + i % 3},{1 + (i + 1) % 3};{i % 5 + 1},1;{i % 90};F\n" for i in range(20))
    process = psutil.Process(os.getpid())

    def once():
        e = parse_pb(text, "x.pb")  # the native reader where built
        for rule in ("greedy", "mes", "phragmen"):
            result = count(e, rule, score="points" if rule != "phragmen" else "support")
            [list(s.data.get("payments", ())) for s in result.steps]  # who paid is made when read

    for _ in range(50):
        once()
    gc.collect()
    before = process.memory_info().rss
    for _ in range(1000):
        once()
    gc.collect()
    grown = process.memory_info().rss - before
    assert grown < 16 * 2**20, f"RSS grew {grown / 2**20:.1f} MiB over 1,000 reads and counts"
