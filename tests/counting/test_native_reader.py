"""The compiled reader's parts against what they stand for, and ``read_pb`` of a file's bytes on both engines.

Its tokenizer (``Rows``, with its fast path for rows without quotes) against ``csv.reader``, row by row and line by
line; its UTF-8 check against Python's decoder; its read of META and PROJECTS in the common layout (read_head)
against the Python reader's; then files as bytes (BOM, CR/LF and lone CR, in quoted cells too, invalid UTF-8,
non-ASCII ids, ids written as numbers, fields at the field limit, META and PROJECTS errors, layouts the reader's loop
reads row by row): the same election or the same one-line error from both engines.
"""

from __future__ import annotations

import codecs
import csv
import io

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pbtools.counting.native import _pbnative
from pbtools.counting.pabulib import PabulibError, read_pb
from pbtools.counting.pabulib.head import add_meta, present_cells
from pbtools.counting.pabulib.reader import _lines
from tests.counting.test_pabulib_io import good
from tests.counting.test_reader_engines import mutated, outcome, same_on_both
from tests.shared_data import pabulib_file, pabulib_names

pytestmark = pytest.mark.usefixtures("native_built")  # the compiled reader's parts

LIMIT = csv.field_size_limit()


def csv_rows(text: str, limit: int) -> list:
    """What csv.reader makes of a text: each row with line_num after it, and the error (with its line) if any."""
    old = csv.field_size_limit(limit)
    try:
        return _rows_of(csv.reader(iter(io.StringIO(text, newline="").readline, ""), delimiter=";"))
    finally:
        csv.field_size_limit(old)


def native_rows(data: bytes, limit: int, universal: bool, start: int = 0) -> list:
    return _rows_of(_pbnative.Rows(data, start, limit, universal))


def _rows_of(rows) -> list:
    """Each row with line_num after it, and the error (with its line) if any."""
    got = []
    try:
        for row in rows:
            got.append((row, rows.line_num))
    except csv.Error as exc:
        got.append(("error", str(exc), rows.line_num))
    return got


PIECES = st.sampled_from(list(';;,"\r\n a1\u00e9\u0436\u00a0\x00') + ["None", "\r\n", '""', "\U0001f600", "abcdefgh"])
TEXTS = st.lists(PIECES, max_size=60).map("".join)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from([LIMIT, 1, 2, 3, 8]))
def test_rows_read_a_str_as_csv_reader_does(text, limit):
    assert native_rows(text.encode(), limit, universal=False) == csv_rows(text, limit)


@settings(max_examples=400, deadline=None)
@given(TEXTS, st.sampled_from([LIMIT, 1, 3, 8]))
def test_rows_read_a_files_bytes_as_universal_newlines_then_csv_do(text, limit):
    data = text.encode()
    assert native_rows(data, limit, universal=True) == csv_rows(_lines(data).decode(), limit)


def test_rows_of_every_kind_mixed():
    text = ('a;b;c\r\n"q;1";"2""x";3\n\nplain;;\r"multi\r\nline";x\n;\n'
            + "\u0436" * 5 + ";tail")
    for universal in (False, True):
        expected = csv_rows(_lines(text.encode()).decode() if universal else text, LIMIT)
        assert native_rows(text.encode(), LIMIT, universal) == expected
    assert [r for r, _ in native_rows(text.encode(), LIMIT, True)][1:6] == [
        ["q;1", '2"x', "3"], [], ["plain", "", ""], ["multi\nline", "x"], ["", ""]]


@pytest.mark.parametrize("quoted", [False, True])
def test_a_field_of_exactly_the_limit_is_read_and_one_more_character_is_refused(quoted):
    def text(n):  # multibyte characters: a field of n characters is 2n bytes
        cell = "\u0436" * n
        return f'x;{chr(34) + cell + chr(34) if quoted else cell}\ny\n'

    for universal in (False, True):
        assert native_rows(text(5).encode(), 5, universal) == csv_rows(text(5), 5) == [(["x", "\u0436" * 5], 1), (["y"], 2)]
        assert native_rows(text(6).encode(), 5, universal) == csv_rows(text(6), 5) == [("error", "field larger than field limit (5)", 1)]


@settings(max_examples=500, deadline=None)
@given(st.lists(st.one_of(st.binary(max_size=12), st.sampled_from([
    b"\xc0\x80", b"\xc1\xbf", b"\xc2\x80", b"\xdf\xbf", b"\xe0\x9f\xbf", b"\xe0\xa0\x80", b"\xed\x9f\xbf", b"\xed\xa0\x80",
    b"\xef\xbf\xbf", b"\xf0\x8f\xbf\xbf", b"\xf0\x90\x80\x80", b"\xf4\x8f\xbf\xbf", b"\xf4\x90\x80\x80", b"\xf5\x80\x80\x80",
    b"\xff", b"\x80", b"\xc2", b"\xe2\x82", b"\xf0\x9f\x98", "\u0436\u04e9".encode(), b"plain ascii text, 32 bytes long."])),
    max_size=12).map(b"".join))
def test_the_utf8_check_agrees_with_pythons_decoder(data):
    try:
        data.decode("utf-8")
        valid = True
    except UnicodeDecodeError:
        valid = False
    assert _pbnative.utf8_valid(data) is valid



BOM = codecs.BOM_UTF8
APPROVAL = good()
FILES = {
    "crlf": APPROVAL.replace("\n", "\r\n").encode(),
    "lone cr": APPROVAL.replace("\n", "\r").encode(),
    "bom and crlf": BOM + APPROVAL.replace("\n", "\r\n").encode(),
    "two boms": BOM + BOM + APPROVAL.encode(),
    "line ends inside quoted cells": APPROVAL.replace('"Road; big"', '"Road;\r\nbig\rroad\n"').replace("\n", "\r\n").encode(),
    "quoted and plain rows mixed": APPROVAL.replace("b;3;None;M", 'b;"3";None;M\nc;2,3;"4""0";F\r\nd;1;;"x"').encode(),
    "non-ascii ids": APPROVAL.replace("1;40;Park", "\u0436\u04e9;40;Park").replace("a;1,2", "\u04af\u04a3;\u0436\u04e9,2").encode(),
    "nbsp around a numbered id": APPROVAL.replace("a;1,2", "a;\u00a01,2").encode(),
    "ids with leading zeros are other ids": APPROVAL.replace("3;50;School", "03;50;School").replace("b;3;", "b;03,1;").encode(),
    "a leading zero is not a project": APPROVAL.replace("b;3;", "b;01;").encode(),
    "numbered voters 7 and 007 differ": APPROVAL.replace("a;1,2", "7;1,2").replace("b;3;", "007;3;").encode(),
    "numbered voter voted twice": APPROVAL.replace("a;1,2", "7;1,2").replace("b;3;", "7;3;").encode(),
    "numbered voter voted twice after strip": APPROVAL.replace("a;1,2", "7;1,2").replace("b;3;", " 7 ;3;").encode(),
    "huge numbered ids": APPROVAL.replace("1;40;Park", "999999999;40;Park").replace("a;1,2", "123456789;999999999,2")
    .replace("b;3;", "99999999;3;").encode(),
    "invalid utf-8 in votes": APPROVAL.encode().replace(b"b;3;None;M", b"b;3;N\xffne;M"),
    "invalid utf-8 after a bom": BOM + APPROVAL.encode().replace(b"Park", b"P\xc3(rk"),
    "a surrogate's bytes": APPROVAL.encode().replace(b"Park", b"P\xed\xa0\x80rk"),
    "a cut bom": b"\xef\xbb" + APPROVAL.encode(),
    "field over the limit in projects": APPROVAL.replace("Park", "\u0436" * (LIMIT + 1)).encode(),
    "field at the limit in projects": APPROVAL.replace("Park", "\u0436" * LIMIT).encode(),
    "field over the limit in votes, quoted": APPROVAL.replace("b;3;None;M", 'b;3;None;"' + "M" * (LIMIT + 1) + '"').encode(),
    "project listed twice": APPROVAL.replace("3;50;School", "1;50;School").encode(),
    "project without cost": APPROVAL.replace("3;50;School", "3;None;School").encode(),
    "project without id": APPROVAL.replace("3;50;School", " ;50;School").encode(),
    "cost not an amount": APPROVAL.replace("3;50;School", "3;5O;School").encode(),
    "cost with spaces and a comma": APPROVAL.replace("3;50;School", "3; 50,25 ;School").encode(),
    "meta row of the wrong width": APPROVAL.replace("currency;EUR", "currency;EUR;x").encode(),
    "projects row of the wrong width": APPROVAL.replace("3;50;School;;North", "3;50;School;;North;x").encode(),
    "blank rows in meta and projects": APPROVAL.replace("budget;", "\n;\n \t; \nbudget;").replace(
        "2;60.5", ";;;;\n ;\u00a0;;\u2003;\n\n2;60.5").encode(),
    "rows of non-ascii spaces of the header's width": APPROVAL.replace("currency;", "\u00a0;\u3000\ncurrency;")
    .replace("3;50", "\u2028;\u00a0;\u00a0;\u00a0;\u00a0\n3;50").encode(),
    "a meta key of non-ascii spaces": APPROVAL.replace("currency;", "\u00a0;x\ncurrency;").encode(),
    "quoted meta and project rows": APPROVAL.replace("currency;EUR", '"currency";"E""UR"').replace("3;50;", '"3";"5,0";').encode(),
    "a section name among the projects": APPROVAL.replace("3;50;School;;North", " meta \nkey;value\nx;y").encode(),
    "a section name among the meta rows": APPROVAL.replace("currency;EUR", "currency;EUR\n Projects\nproject_id;cost\n7;1").encode(),
    "meta row of one field": APPROVAL.replace("currency;EUR", "currency").encode(),
    "bad cost before a field over the limit": APPROVAL.replace("1;40;Park", "1;4O;Park")
    .replace("School", "\u0436" * (LIMIT + 1)).encode(),
    "project listed twice before a row of the wrong width": APPROVAL.replace("2;60.5", "1;60.5")
    .replace("3;50;School;;North", "3;50;School;;North;x").encode(),
    "field over the limit in meta": APPROVAL.replace("EUR", "\u0436" * (LIMIT + 1)).encode(),
    "no votes section": APPROVAL[: APPROVAL.index("VOTES")].encode(),
    "empty file": b"",
    # the common layout (META and PROJECTS read by read_head) with what the reader's loop then judges
    "meta header without value": APPROVAL.replace("key;value", "key;val").encode(),
    "projects header without cost": APPROVAL.replace("project_id;cost;", "project_id;costs;").encode(),
    "votes header without vote": APPROVAL.replace("voter_id;vote;", "voter_id;votes;").encode(),
    "votes header blank then the header": APPROVAL.replace("VOTES\n", "VOTES\n;;\n").encode(),
    "the file ends after VOTES": APPROVAL[: APPROVAL.index("VOTES") + 5].encode(),
    "votes twice in the common layout": (APPROVAL + "VOTES\nvoter_id;vote\nz;1\n").encode(),
    "projects before meta": APPROVAL.replace("META\nkey;value\nbudget;100,5\nvote_type;approval\ncurrency;EUR\n", "")
    .replace("VOTES", "META\nkey;value\nbudget;100,5\nvote_type;approval\nVOTES").encode(),
    "section names in lower case": APPROVAL.replace("META", "meta").replace("PROJECTS", "Projects").encode(),
    "a header with spaces around a column": APPROVAL.replace("project_id;cost;", " project_id ;cost;").encode(),
    # ids found by value in a table spanning their values (37815..37817), or by their bytes (spread too wide)
    "ids from a large base": APPROVAL.replace("1;40", "37815;40").replace("2;60.5", "37816;60.5").replace("3;50", "37817;50")
    .replace("a;1,2", "a;37815,37816").replace("b;3;", "b;37817,37815;").encode(),
    "an id just below the base": APPROVAL.replace("1;40", "37815;40").replace("2;60.5", "37816;60.5")
    .replace("3;50", "37817;50").replace("a;1,2", "a;37814").encode(),
    "an id just above the top": APPROVAL.replace("1;40", "37815;40").replace("2;60.5", "37816;60.5")
    .replace("3;50", "37817;50").replace("a;1,2", "a;37818").encode(),
    "ids spread wide": APPROVAL.replace("1;40", "200000;40").replace("a;1,2", "a;200000,2,199999").encode(),
    "a bad cost and a bad budget": APPROVAL.replace("1;40;Park", "1;4O;Park").replace("budget;100,5", "budget;x").encode(),
    "a meta header of three columns": APPROVAL.replace("key;value", "key;value;note").replace("budget;100,5", "budget;100,5;x")
    .replace("vote_type;approval", "vote_type;approval;").replace("currency;EUR", "currency;EUR;y").encode(),
}
# Layouts read_head leaves to the reader's loop (test_odd_layouts_are_read_by_the_loop): read row by row from the
# compiled reader's Rows as from csv's, with the same election or the same error at the same line
HEAD, PROJECT_ROWS, VOTES_PART = (APPROVAL[:APPROVAL.index("PROJECTS")], APPROVAL[APPROVAL.index("PROJECTS"):APPROVAL.index("VOTES")],
                                  APPROVAL[APPROVAL.index("VOTES"):])
ODD_LAYOUTS = {
    "blank rows between projects, crlf": APPROVAL.replace("2;60.5", "\n;;\n2;60.5").replace("3;50", "\n\n3;50")
    .replace("\n", "\r\n").encode(),
    "blank rows between projects, lone cr, then a bad cost": APPROVAL.replace("2;60.5", ";;;;\n2;60.5")
    .replace("3;50", "\n3;5O").replace("\n", "\r").encode(),
    "blank rows and a quoted name over three lines, then a project listed twice": APPROVAL.replace("2;60.5", "\n\n2;60.5")
    .replace('"Road; big"', '"Road;\r\nbig\nroad"').replace("3;50", "1;50").encode(),
    "blank rows then a projects row of the wrong width": APPROVAL.replace("2;60.5", "\n2;60.5")
    .replace("3;50;School;;North", "3;50;School;North").encode(),
    "blank rows then a project without cost": APPROVAL.replace("2;60.5", " ; \n2;60.5")
    .replace("3;50;School", "3;None;School").encode(),
    "blank rows then a field over the limit in projects": APPROVAL.replace("2;60.5", "\n2;60.5")
    .replace("School", "\u0436" * (LIMIT + 1)).encode(),
    "meta after projects": (PROJECT_ROWS + HEAD + VOTES_PART).encode(),
    "meta after projects, a meta row of the wrong width": (PROJECT_ROWS + HEAD.replace("currency;EUR", "currency;EUR;x")
                                                           + VOTES_PART).encode(),
    "meta after votes": (PROJECT_ROWS + VOTES_PART + HEAD).encode(),
    "meta after votes without a budget": (PROJECT_ROWS + VOTES_PART + HEAD.replace("budget;100,5\n", "")).encode(),
    "votes before projects": (HEAD + VOTES_PART + PROJECT_ROWS).encode(),
    "projects twice, apart": (HEAD + PROJECT_ROWS + "\n" + PROJECT_ROWS + VOTES_PART).encode(),
    "no meta": (PROJECT_ROWS + VOTES_PART).encode(),
    "a row before meta": ("x;y\n" + APPROVAL).encode(),
    "blank rows before meta, crlf": ("\n;\n" + APPROVAL).replace("\n", "\r\n").encode(),
    "quoted section names and cells, blank rows": APPROVAL.replace("PROJECTS", '"PROJECTS"').replace("META", '"META"')
    .replace("2;60.5", '\n"2";"60,5"').replace("budget;", '\n"budget";').encode(),
    "section names with spaces, quoted meta": APPROVAL.replace("PROJECTS", " Projects ").replace("budget;100,5", 'budget;"100,5"')
    .encode(),
    "a header with a blank column": APPROVAL.replace("project_id;cost;name;", "project_id;cost;name; ;").replace(";North", ";;North")
    .replace(";South", ";;South").encode(),
    "a meta header of one column": APPROVAL.replace("key;value", "key").encode(),
    "a blank meta value then a meta key twice": APPROVAL.replace("currency;EUR", "\ncurrency;\ncurrency;KGS").encode(),
    "a section name among the projects after a blank row": APPROVAL.replace("3;50;School;;North", "\nVOTES\nvoter_id;vote\nq;1")
    .encode(),
    "non-ascii blank rows in projects, then a bad cost": APPROVAL.replace("2;60.5", "\u00a0;\u2003;;;\n2;60.5")
    .replace("3;50", "3;-5").encode(),
    "projects only blank rows": (HEAD + "PROJECTS\nproject_id;cost\n\n;\n" + VOTES_PART.replace("1,2", "").replace(";3;", ";;"))
    .encode(),
}
FILES.update({f"odd layout: {case}": data for case, data in ODD_LAYOUTS.items()})


@pytest.mark.parametrize("case", sorted(FILES))
def test_files_read_the_same_on_both_engines(case, tmp_path):
    path = tmp_path / "x.pb"
    path.write_bytes(FILES[case])
    got = same_on_both(path)
    if got[0] == "error":
        assert "\n" not in got[1] and got[1].startswith("x.pb")


def test_what_the_bytes_say_reaches_the_election(tmp_path):
    path = tmp_path / "x.pb"
    path.write_bytes(FILES["line ends inside quoted cells"])
    # "\r\r\n", "\r", "\r\n" in the quoted name: each a line end, read as universal newlines read them
    assert read_pb(path, "native").projects[1].name() == "Road;\n\nbig\nroad\n"
    path.write_bytes(FILES["numbered voters 7 and 007 differ"])
    assert [b.voter_id for b in read_pb(path, "native").ballots] == ["7", "007"]
    data = FILES["invalid utf-8 after a bom"]
    path.write_bytes(data)
    at = data.index(b"\xc3(") - len(BOM)  # counted after the BOM, as the Python reader always has
    line = data[:data.index(b"\xc3(")].count(b"\n") + 1
    for engine in ("native", "python"):
        with pytest.raises(PabulibError, match=rf"^x.pb, line {line}: not UTF-8 text \(byte {at}\)\. Save the file as UTF-8"):
            read_pb(path, engine)
    path.write_bytes(FILES["numbered voter voted twice after strip"])
    with pytest.raises(PabulibError, match="^x.pb, line 14: voter 7 voted twice$"):
        read_pb(path, "native")


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.integers(0, 400), st.integers(0, 3), st.lists(st.sampled_from(
    [";", ",", '"', "\r", "\n", "\r\n", " ", "0", "1", "07", "None", "VOTES", "\u00e9", "\xff", "\xef\xbb\xbf", "\x00"]),
    max_size=4)), max_size=4))
def test_mutated_files_read_the_same_on_both_engines(tmp_path, edits):
    pieces = [(at, cut, "".join(insert).encode("latin-1" if "\xff" in insert else "utf-8")) for at, cut, insert in edits]
    path = tmp_path / "m.pb"
    path.write_bytes(mutated(FILES["quoted and plain rows mixed"], pieces))
    same_on_both(path)


HEAD_EDITS = st.lists(st.tuples(st.integers(0, 230), st.integers(0, 3), st.lists(st.sampled_from(
    [";", ";;", '"', "\r\n", "\n", " ", "\u00a0", "\u2003", "None", "META", "PROJECTS", "VOTES", "votes", "1", "\u0436",
     "\x1c", "key", "project_id", "cost", "voter_id"]), max_size=4)), max_size=4)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(HEAD_EDITS, st.sampled_from(["blank rows in meta and projects", "common layout"]))
def test_files_with_their_meta_and_projects_mutated_read_the_same_on_both_engines(tmp_path, edits, seed):
    """The META and PROJECTS rows (read in one call by the compiled reader's read_head for a file in the common
    layout, else row by row by the reader's loop): blank, odd, quoted and section rows in them, headers missing a
    column, VOTES' header."""
    pieces = [(at, cut, "".join(insert).encode()) for at, cut, insert in edits]
    path = tmp_path / "h.pb"
    path.write_bytes(mutated(FILES[seed] if seed in FILES else APPROVAL.encode(), pieces))
    same_on_both(path)


def _head_of(data: bytes):
    return _pbnative.read_head(_pbnative.Rows(data, 0, LIMIT, True))


@pytest.mark.parametrize("case", sorted(ODD_LAYOUTS))
def test_odd_layouts_are_read_by_the_loop(case):
    """The cases of ODD_LAYOUTS (read on both engines by test_files_read_the_same_on_both_engines) are the ones the
    compiled reader reads row by row in the reader's loop, not in read_head."""
    data = ODD_LAYOUTS[case]
    assert _head_of(data) is None


@settings(max_examples=400, deadline=None)
@given(HEAD_EDITS)
def test_read_head_takes_only_the_common_layout_and_reads_it_as_the_loop_does(edits):
    """read_head against csv's rows and the Python reader's functions: META, its header, its data rows, PROJECTS, its
    header, its data rows, VOTES, then the row after it handed back; or None with the rows where they were."""
    _check_head(mutated(APPROVAL, [(at, cut, "".join(insert)) for at, cut, insert in edits]).encode())  # UTF-8, as Rows reads


CELLS = st.sampled_from(["", " ", "None", "none", " nOnE ", "\u00a0None\u00a0", "\u0130", "None\u2028", "x", "\tY ",
                         "\u017f", "NONE\u0301", "N\u043ene", "\u2003", "1,5", "\u0436", "\x1c", "\x85"])


@settings(max_examples=300, deadline=None)
@given(st.lists(st.lists(CELLS, min_size=2, max_size=2), max_size=4), st.lists(st.lists(CELLS, min_size=5, max_size=5), max_size=6))
def test_read_head_reads_meta_keys_and_project_cells_as_the_python_reader_does(meta_rows, project_rows):
    """Cells blank or None in every spelling (non-ASCII spaces, U+0130, other cases, characters that lower or strip
    unlike ASCII) in META and PROJECTS rows (a header with a column twice): read_head's cells are present_cells', its
    META add_meta's; a row of nothing but whitespace and non-ASCII is left to the loop; the file reads the same on
    both engines."""
    def lines(rows):
        return "".join(";".join(row) + "\n" for row in rows)

    text = (f"META\nkey;value\nbudget;9\nvote_type;approval\n{lines(meta_rows)}PROJECTS\nproject_id;cost;name;x;x\n"
            f"{lines(project_rows)}VOTES\nvoter_id;vote\n")
    head = _check_head(text.encode())
    if all(any(ch.isascii() and not ch.isspace() for ch in "".join(row)) for row in meta_rows + project_rows):
        assert head is not None  # the common layout: the cells were read by read_head
    same_on_both(text)


def _check_head(data: bytes):
    """read_head of data against csv's rows and the Python reader's functions (see above); what it gave."""
    rows = _pbnative.Rows(data, 0, LIMIT, True)
    head = _pbnative.read_head(rows)
    expected = csv_rows(_lines(data).decode(), LIMIT)
    if head is None:  # the loop reads the file from its first row
        assert _rows_of(rows) == expected
        return head
    meta, meta_lines, meta_header, meta_line, p_header, p_line, p_rows, p_lines, votes_row, votes_line = head
    got = [row for row, _ in expected]
    m = got.index(["PROJECTS"])  # (no META row is one field)
    p = m + 2 + len(p_rows)
    assert got[:2] == [["META"], meta_header] and got[m:m + 2] == [["PROJECTS"], p_header] and got[p] == ["VOTES"]
    assert all(c == c.strip() for c in meta_header + p_header)  # the loop's header: its cells stripped
    assert (expected[1][1], expected[m + 1][1]) == (meta_line, p_line)
    data_rows = got[2:m] + got[m + 2:p]
    assert all(len(row) == len(header) and "".join(row).strip()
               for row, header in zip(data_rows, [meta_header] * (m - 2) + [p_header] * len(p_rows)))
    expected_meta, expected_lines = {}, {}
    add_meta(got[2:m], [line for _, line in expected[2:m]], expected_meta, expected_lines)
    assert list(meta.items()) == list(expected_meta.items()) and list(meta_lines.items()) == list(expected_lines.items())
    assert p_rows == [present_cells(p_header, row) for row in got[m + 2:p]]
    assert [list(cells) for cells in p_rows] == [list(present_cells(p_header, row)) for row in got[m + 2:p]]
    assert p_lines == [line for _, line in expected[m + 2:p]]
    after = expected[p + 1:]
    if votes_row is None:
        assert after == []
    else:
        assert (votes_row, votes_line) == after[0]
        assert _rows_of(rows) == after[1:]  # the loop reads on from the row after it
    return head


def test_read_head_takes_the_common_layout_of_real_files():
    """Every real file (and the test files' layout) is read by read_head: the fast path the tests above check is the
    one real files take."""
    assert _head_of(APPROVAL.encode()) is not None and _head_of(FILES["crlf"]) is not None
    for name in pabulib_names(10**12):
        data = pabulib_file(name).read_bytes()
        assert _head_of(data[3:] if data.startswith(BOM) else data) is not None, name


@pytest.mark.parametrize("name", pabulib_names(1_300_000))
def test_real_files_read_the_same_on_both_engines(name):
    same_on_both(pabulib_file(name))


def test_a_str_and_a_files_bytes_read_alike():
    path = pabulib_file("France_Toulouse_2019.pb")
    assert outcome(path.read_text(encoding="utf-8-sig"), "native")[1:] == outcome(path, "native")[1:]


def test_large_numbered_voter_ids_are_told_apart_and_repeats_found(tmp_path):
    """Voter ids of 8 to 18 digits (kept by value, not by their bytes): thousands read, a repeat named at its line."""
    ids = [str(10**17 + 7919 * i) for i in range(3000)] + ["16777215", "16777216", "999999999999999999", "1" + "0" * 18]
    rows = "".join(f"{v};{1 + i % 3}\n" for i, v in enumerate(ids))
    text = APPROVAL[: APPROVAL.index("VOTES")] + "VOTES\nvoter_id;vote\n" + rows
    path = tmp_path / "x.pb"
    path.write_text(text)
    assert [b.voter_id for b in read_pb(path, "native").ballots] == ids
    same_on_both(path)
    path.write_text(text + f"{ids[1234]};2\n")
    line = text.count("\n") + 1
    with pytest.raises(PabulibError, match=f"^x.pb, line {line}: voter {ids[1234]} voted twice$"):
        read_pb(path, "native")
    same_on_both(path)


def test_a_str_with_a_lone_surrogate_reads_the_same_on_both_engines():
    """No file decodes to one, but a str can hold it: the native engine hands it to the Python reader (it used to
    raise UnicodeEncodeError)."""
    text = APPROVAL.replace("b;3;None;M", "b;3;None;\udc80")
    got = outcome(text, "native")
    assert got == outcome(text, "python") and got[2][1][2] == {"sex": "\udc80"}


@pytest.mark.parametrize("reader", ["native", "python"])
@pytest.mark.parametrize("name", ["Worldwide_Mechanical_Turk_Ranking_value_7.pb", "Switzerland_Zurich_S5.pb",
                                  "Poland_Gdynia_2023_Kamienna_Gora__small.pb"])
def test_the_projects_read_are_what_project_makes(name, reader):
    """The reader fills a Project's fields without its frozen __init__ (frozen.maker): the same instances."""
    from dataclasses import FrozenInstanceError

    from pbtools.counting.model import Project
    from pbtools.counting.pabulib.head import _make_project

    assert _make_project is not Project  # Project is still the plain frozen dataclass the fill is made for
    for got in read_pb(pabulib_file(name), reader).projects:
        made = Project(got.id, got.cost, got.names, got.area, got.sector, got.attributes)
        assert type(got) is Project and got == made and repr(got) == repr(made)
        assert list(vars(got).items()) == list(vars(made).items())
        with pytest.raises(FrozenInstanceError):
            got.cost = 1


@pytest.mark.parametrize("case", ["crlf", "nbsp around a numbered id", "ids from a large base"])
def test_the_vote_cells_of_a_compact_read_are_left_to_reference_counting(case, tmp_path):
    """The (choice, points) pairs hold str and int only: off the cyclic collector's lists, both those made in C and
    those the Python reader's choice hook made (a large file's pairs would make every later collection scan them)."""
    import gc

    path = tmp_path / "x.pb"
    path.write_bytes(FILES[case] + b"c;;;\n")  # an empty choice too
    cells = read_pb(path, "native").ballots.compact.cells
    assert len(cells) >= 3 and any(cell[0] == () for cell in cells)
    for cell in cells:
        assert not gc.is_tracked(cell) and not gc.is_tracked(cell[0]), cell
    path.write_bytes(good("cumulative").encode())
    for cell in read_pb(path, "native").ballots.compact.cells:
        assert isinstance(cell[1], tuple) and not any(gc.is_tracked(part) for part in (cell, *cell)), cell
