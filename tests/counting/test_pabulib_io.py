"""Reading and writing .pb files: real elections round-trip, and malformed files name the line."""

from decimal import Decimal

import pytest

from pbtools.counting.count import count
from pbtools.counting.model import Ballot, Election, Project
from pbtools.counting.pabulib import PabulibError, format_pb, parse_pb, read_pb
from tests.shared_data import pabulib_file
from tests.counting.reference import reference

GOOD = """META
key;value
budget;100,5
vote_type;{vote_type}
currency;EUR
PROJECTS
project_id;cost;name;category;district
1;40;Park;green;North
2;60.5;"Road; big";roads;South
3;50;School;;North
VOTES
voter_id;vote;{points}age;sex
a;1,2;{p1}30;F
b;3;{p2}None;M
"""


def good(vote_type="approval"):
    if vote_type in ("cumulative", "scoring"):
        return GOOD.format(vote_type=vote_type, points="points;", p1="2,1;", p2="4;")
    return GOOD.format(vote_type=vote_type, points="", p1="", p2="")


def test_reads_fields_exactly(engine):
    e = parse_pb(good("cumulative"), engine=engine)
    assert e.budget == Decimal("100.5")
    assert [p.id for p in e.projects] == ["1", "2", "3"]
    assert e.projects[1].cost == Decimal("60.5") and e.projects[1].name() == "Road; big"
    assert e.projects[0].area == "North" and e.projects[0].sector == "green" and e.projects[2].sector is None
    assert e.ballots[0].choice == ("1", "2") and e.ballots[0].points == (2, 1)
    assert e.ballots[0].voter == {"age": "30", "sex": "F"} and e.ballots[1].voter == {"sex": "M"}


@pytest.mark.parametrize("vote_type", ["approval", "choose-1", "cumulative", "scoring", "ordinal"])
def test_written_file_reads_back_the_same(vote_type, engine):
    e = parse_pb(good(vote_type), engine=engine)
    again = parse_pb(format_pb(e), engine=engine)
    assert again.budget == e.budget and again.vote_type == e.vote_type
    assert [(p.id, p.cost, p.name(), p.area, p.sector) for p in again.projects] == [(p.id, p.cost, p.name(), p.area, p.sector) for p in e.projects]
    assert [(b.voter_id, b.choice, b.points, dict(b.voter)) for b in again.ballots] == [(b.voter_id, b.choice, b.points, dict(b.voter)) for b in e.ballots]


# A hearing's export (reports/pb.py): the Kyrgyz name as ``name``, the others as name_ru, name_en; a blank cell or
# None falls back to ``name``, a project without ``name`` to the languages it has.
NAMED = good().replace("""project_id;cost;name;category;district
1;40;Park;green;North
2;60.5;"Road; big";roads;South
3;50;School;;North""", """project_id;cost;name;category;district;name_en;name_ru;number
1;40;Сейил бак;green;North;Park;Парк;1
2;60.5;"Жол; чоң";roads;South;;None;2
3;50;;;North;School;;3""")


def test_name_columns_per_language_are_the_projects_names_in_those_languages(engine):
    """The reader kept name_ru and name_en as attributes only: a hearing's export showed its Kyrgyz names on a
    Russian or English screen (s27 note)."""
    e = parse_pb(NAMED, engine=engine)
    assert [[p.name(lang) for lang in ("ky", "ru", "en")] for p in e.projects] == [
        ["Сейил бак", "Парк", "Park"], ["Жол; чоң"] * 3, ["School"] * 3]
    assert [dict(p.attributes) for p in e.projects] == [{"category": "green", "district": "North", "number": "1"},
                                                        {"category": "roads", "district": "South", "number": "2"},
                                                        {"district": "North", "number": "3"}]
    again = parse_pb(format_pb(e), engine=engine)  # written back: the same name in every language
    assert [[p.name(lang) for lang in ("ky", "ru", "en")] for p in again.projects] == [
        [p.name(lang) for lang in ("ky", "ru", "en")] for p in e.projects]
    assert "name;category;district;name_en;name_ru;number" in format_pb(e)
    real = parse_pb(good(), engine=engine)  # a Pabulib file: its one name on every screen
    assert {p.name(lang) for lang in ("ky", "ru", "en") for p in real.projects[:1]} == {"Park"}


def test_weighted_ballots_are_written_one_row_per_voter(engine):
    e = Election([Project("x", Decimal(3)), Project("y", Decimal(4))], [Ballot(("x",), weight=3), Ballot(("y",))], Decimal(5))
    again = parse_pb(format_pb(e), engine=engine)
    assert [b.choice for b in again.ballots] == [("x",)] * 3 + [("y",)]
    assert count(again, "mes").selected == count(e, "mes").selected


@pytest.mark.parametrize(
    "name", ["Poland_Gdansk_2020_Piecki_Migowo.pb", "Switzerland_Zurich_S5R.pb", "Netherlands_Assen_2024.pb"]
)
def test_real_election_written_by_pbtools_counts_the_same_in_pabutools(name):
    path = pabulib_file(name)
    text = format_pb(read_pb(path))
    for rule in ("greedy", "mes"):
        assert reference(text, rule) == reference(path, rule)
    assert parse_pb(text).ballots[5].voter == read_pb(path).ballots[5].voter


@pytest.mark.parametrize(
    "mutate, line, words",
    [
        (lambda t: t.replace("1;40;Park", "1;forty;Park"), 8, "forty"),
        (lambda t: t.replace("a;1,2;30;F", "a;1,7;30;F"), 13, "7"),
        (lambda t: t.replace("b;3;None;M", "b;3;None"), 14, "3"),
        (lambda t: t.replace("3;50;School", "1;50;School"), 10, "1"),
        (lambda t: t.replace("b;3;None;M", "a;3;None;M"), 14, "a"),
        (lambda t: "oops\n" + t, 1, "META"),
        (lambda t: t.replace("VOTES\nvoter_id;vote", "VOTES\nvoter;vote"), 12, "voter_id"),
    ],
)
def test_malformed_file_names_the_line(mutate, line, words, engine):
    with pytest.raises(PabulibError) as err:
        parse_pb(mutate(good()), "x.pb", engine)
    text = str(err.value)
    assert f"x.pb, line {line}" in text and words in text
    for lang in ("ky", "ru"):
        rendered = err.value.message.render(lang)
        assert str(line) in rendered and rendered != text


@pytest.mark.parametrize(
    "mutate, words",
    [
        (lambda t: t.replace("vote_type;approval\n", "vote_type;plurality\n"), "plurality"),
        (lambda t: t.replace("budget;100,5\n", ""), "budget"),
        (lambda t: t[: t.index("VOTES")], "VOTES"),
    ],
)
def test_malformed_meta_is_named(mutate, words, engine):
    with pytest.raises(PabulibError, match=words):
        parse_pb(mutate(good()), "x.pb", engine)


def test_points_must_match_the_vote(engine):
    text = good("cumulative").replace("a;1,2;2,1;30;F", "a;1,2;2;30;F")
    with pytest.raises(PabulibError, match="line 13"):
        parse_pb(text, "x.pb", engine)


def test_a_files_bytes_and_name_are_what_path_gives(tmp_path):
    """reader._read (os.open/os.read, no file object) against Path.read_bytes and Path.name: a file, an empty file, a
    FIFO (no size: read to its end), and the paths that do not open as they are (the same error as Path's)."""
    import os
    import threading
    from pathlib import Path

    from pbtools.counting.pabulib.reader import _read

    def both(path):
        try:
            expected = (Path(path).read_bytes(), Path(path).name)
        except OSError as exc:
            with pytest.raises(type(exc)):
                _read(path)
            return None
        assert _read(path) == expected and _read(Path(path)) == expected
        return expected

    (tmp_path / "x.pb").write_bytes(b"META\r\nkey;value\n" * 5000)
    (tmp_path / "empty.pb").write_bytes(b"")
    (tmp_path / "eof.pb").write_bytes(b"META\r\nkey;value\r\nbudget;1\x1a\r\nrest\r\n")  # text mode would cut or change it
    assert both(str(tmp_path / "eof.pb"))[0] == b"META\r\nkey;value\r\nbudget;1\x1a\r\nrest\r\n"
    assert both(str(tmp_path / "x.pb"))[0] == b"META\r\nkey;value\n" * 5000
    assert both(str(tmp_path / "empty.pb")) == (b"", "empty.pb")
    assert both(f"{tmp_path}/x.pb/") == both(str(tmp_path / "x.pb"))  # does not open as it is; Path drops the "/"
    assert both(str(tmp_path / "missing.pb")) is None and both(str(tmp_path)) is None  # no file; a directory
    fifo = str(tmp_path / "fifo.pb")
    os.mkfifo(fifo)
    data = b"VOTES\n" + b"1;2\n" * 100_000  # more than a pipe holds: read in several reads

    def feed():
        with open(fifo, "wb") as f:
            f.write(data)

    writer = threading.Thread(target=feed)
    writer.start()
    assert _read(fifo) == (data, "fifo.pb")
    writer.join()
