"""Reading ``.pb`` files into an ``Election``, with a clear error (file and line) for anything malformed.

Parsing follows what pabutools does where it changes outcomes (see ../shared/pabutools-semantics.md): ids are
stripped, ``,`` is a decimal point in ``cost`` and ``budget``, a cell ``None`` is missing, approval votes drop
empty items and duplicates, a cumulative/scoring row without points is an empty ballot. Known columns become model
fields: ``name`` -> ``names[""]``, ``name_ky``/``name_ru``/``name_en`` (a hearing's export) -> ``names["ky"]``..., ``district``/``subunit`` -> ``area``, ``category`` -> ``sector``.
"""

from __future__ import annotations

import codecs
import csv
import io
from fractions import Fraction
from operator import itemgetter
from os import fspath
from os.path import basename
from pathlib import Path, PurePath

from pbtools.counting.gc_pause import gc_paused
from pbtools.counting.model import ORDINAL, POINT_TYPES, VOTE_TYPES, Ballot, Election, Project
from pbtools.counting.pabulib.compact import CompactVotes, LazyBallots
from pbtools.counting.pabulib.head import BUDGET_ERROR, PabulibError, add_meta, add_projects, amount, present_cells
from pbtools.counting.native import _pbnative as native_reader
from pbtools.counting.native import resolve
from pbtools.i18n import Msg, N_, NMsg

SECTIONS = ("META", "PROJECTS", "VOTES")
BOM = codecs.BOM_UTF8
_CsvReader = type(csv.reader(()))
MAX_POINT_CHARS = 60  # a points cell longer than this is refused (no vote gives 10**60 points)


def _points(text: str, where: dict):
    if text.isdigit() and text.isascii() and len(text) <= MAX_POINT_CHARS:
        return int(text)
    clean = text.strip()
    exponent = clean.lower().rpartition("e")[2] if "e" in clean.lower() else "0"
    try:
        if len(clean) > MAX_POINT_CHARS or not exponent.lstrip("+-").isdigit() or abs(int(exponent)) > MAX_POINT_CHARS:
            raise ValueError(text)
        value = Fraction(clean)
    except (ValueError, ZeroDivisionError):
        raise PabulibError(Msg(N_("{file}, line {line}: points {value!r} is not a number"), value=text, **where)) from None
    return int(value) if value.denominator == 1 else value


def _lines(data: bytes) -> bytes:
    """"\r\n" and a lone "\r" made "\n", as universal newlines read them."""
    if b"\r" in data:
        data = data.replace(b"\r\n", b"\n")
        if b"\r" in data:
            data = data.replace(b"\r", b"\n")
    return data


def _read(path: str | Path) -> tuple[bytes, str]:
    """The file's bytes and its name, as ``Path(path).read_bytes()`` and ``.name`` give them, without making a Path
    (half of that read's time on a tiny file). A path that does not open as it is goes through Path (which may
    normalise it: ``"x.pb/"``), for the same bytes or the same error as before."""
    if isinstance(path, PurePath):
        path = fspath(path)
    if type(path) is str and path:
        try:
            with open(path, "rb", buffering=0) as file:
                # It opened as a file, so its last component is its name (not "", "." or ".."): Path's name.
                return file.readall(), basename(path)
        except OSError:  # no such file, or a directory (it opens but does not read): Path says so
            pass
    path = Path(path)
    return path.read_bytes(), path.name


def read_pb(path: str | Path, engine: str | None = None) -> Election:
    data, name = _read(path)
    if resolve(engine) == "native" and (data.isascii() or native_reader.utf8_valid(data)):
        # The compiled reader reads the bytes as they are (no str of the whole file is made): the BOM skipped, the
        # line ends read as universal newlines read them. A file that is not UTF-8 goes on below, to be named.
        return _parse(native_reader.Rows(data, 3 if data.startswith(BOM) else 0, csv.field_size_limit(), True), name)
    # What path.read_text(encoding="utf-8-sig") gives (universal newlines), a third faster: the line ends are made
    # "\n" in the bytes (ASCII: a byte sequence is valid UTF-8 with them as without), then decoded in one go.
    try:
        text = _lines(data).decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            data.decode("utf-8-sig")  # the position in the file as it is
        except UnicodeDecodeError as exc:
            raise not_utf8(data, name, exc) from None
        raise
    return parse_pb(text, name, "python")


def not_utf8(data: bytes, name: str, exc: UnicodeDecodeError) -> PabulibError:
    """The refusal of a file that is not UTF-8, with the line a person finds it on (a byte position was all it
    said: new-user trial s27 L10) and what to do."""
    line = data.count(b"\n", 0, exc.start + (len(BOM) if data.startswith(BOM) else 0)) + 1  # (start: after a BOM)
    return PabulibError(Msg(N_("{file}, line {line}: not UTF-8 text (byte {position}). Save the file as UTF-8 (a text "
                               "editor's «Save as», encoding UTF-8) and open it again."),
                            file=name, line=line, position=exc.start))


def decode_pb(data: bytes, name: str) -> str:
    """An uploaded file's text (a BOM dropped), or the refusal ``not_utf8``."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise not_utf8(data, name, exc) from None


def parse_pb(text: str, name: str = "<text>", engine: str | None = None) -> Election:
    """``engine``: ``auto`` (the compiled reader when built), ``native`` or ``python``: the same Election."""
    if resolve(engine) == "native":
        try:
            data = text.encode("utf-8")
        except UnicodeEncodeError:  # a lone surrogate (no file decodes to one): the Python reader reads it
            pass
        else:  # a str keeps "\r" in quoted cells, as csv reads it (not universal)
            return _parse(native_reader.Rows(data, 0, csv.field_size_limit(), False), name)
    source = io.StringIO(text, newline="")
    return _parse(csv.reader(iter(source.readline, ""), delimiter=";"), name)


@gc_paused
def _parse(rows, name: str) -> Election:
    """The sections of ``rows`` (a ``csv.reader``, or the compiled reader's ``Rows``, which reads META and PROJECTS
    of the common layout and VOTES in C; any other layout row by row below, as csv's rows)."""
    native = not isinstance(rows, _CsvReader)
    pending_line = 0
    meta: dict[str, str] = {}
    meta_lines: dict[str, int] = {}
    projects: dict[str, Project] = {}
    ballots: list[Ballot] = []
    compact: CompactVotes | None = None  # the compiled reader's VOTES: arrays, ballots made when asked
    seen: list[str] = []
    section = header = pending = None
    head = native_reader.read_head(rows) if native else None
    if head is not None:  # META and PROJECTS in the common layout, read in one call (any other: the loop reads it)
        meta, meta_lines, meta_header, meta_line, header, line, project_rows, project_lines, pending, pending_line = head
        _check_header("META", meta_header, name, meta_line)
        _check_header("PROJECTS", header, name, line)
        add_projects(project_rows, project_lines, projects, name)
        seen, section, header = list(SECTIONS), "VOTES", None  # VOTES' header is the loop's first row
    try:
        while True:
            row = pending if pending is not None else next(rows, None)
            if row is None:
                break
            line = rows.line_num if pending is None else pending_line
            pending = None
            if not row or not "".join(row).strip():  # blank: every cell whitespace
                continue
            if len(row) == 1 and row[0].strip().upper() in SECTIONS:
                section, header = row[0].strip().upper(), None
                if section in seen:
                    raise PabulibError(Msg(N_("{file}, line {line}: section {section} appears twice"), section=section, file=name, line=line))
                seen.append(section)
                continue
            if section is None:
                if _section_like(row):
                    raise _not_a_section(row, {"file": name, "line": line})
                raise PabulibError(Msg(N_("{file}, line {line}: expected a section name (META, PROJECTS or VOTES)"), file=name, line=line))
            if header is None:
                header = [c.strip() for c in row]
                _check_header(section, header, name, line)
                if section == "VOTES":
                    where = {"file": name, "line": line}
                    if "PROJECTS" not in seen:
                        raise PabulibError(Msg(N_("{file}, line {line}: VOTES come before PROJECTS"), **where))
                    vote_type = meta.get("vote_type", "").strip()
                    if vote_type in POINT_TYPES and "points" not in header:
                        raise PabulibError(Msg(N_("{file}, line {line}: {vote_type} votes need a points column"), vote_type=vote_type, **where))
                    votes = Votes(name, header, vote_type, projects, ballots)
                    if native:
                        pending = votes.read_native(rows)
                        compact = votes.compact
                    else:
                        pending = votes.read(rows)
                    pending_line = rows.line_num
                    votes.check_points(where)
                continue
            if len(row) != len(header):
                raise _width(row, len(header), {"file": name, "line": line})
            if section == "META":
                add_meta((row,), (line,), meta, meta_lines)
            else:
                add_projects((present_cells(header, row),), (line,), projects, name)
    except csv.Error as exc:
        raise PabulibError(Msg(N_("{file}, line {line}: {problem}"), file=name, line=rows.line_num, problem=str(exc))) from None
    for needed in SECTIONS:
        if needed not in seen:
            raise PabulibError(Msg(N_("{file}: the section {section} is missing"), file=name, section=needed))
    vote_type = meta.get("vote_type", "").strip()
    if vote_type not in VOTE_TYPES:
        raise PabulibError(Msg(N_("{file}: unknown vote_type {value!r} in META"), file=name, value=vote_type))
    if "budget" not in meta:
        raise PabulibError(Msg(N_("{file}: META has no budget"), file=name))
    budget = amount(meta["budget"], BUDGET_ERROR, name, meta_lines["budget"])
    return Election(tuple(projects.values()), ballots if compact is None else LazyBallots(compact), budget, vote_type, meta,
                    meta.get("currency", "").strip() or "KGS")


def _section_like(row: list[str]) -> bool:
    """One cell of capital letters only ("PROJEKTY", "VOTE"): a misspelt section name, not a row cut short."""
    return len(row) == 1 and row[0].strip().isalpha() and row[0].strip().isupper()


def _not_a_section(row: list[str], where: dict) -> PabulibError:
    return PabulibError(Msg(N_("{file}, line {line}: '{name}' is not a section name (META, PROJECTS, VOTES)"), name=row[0].strip(), **where))


def _width(row: list[str], expected: int, where: dict) -> PabulibError:
    """A row of the wrong width (both readers' message: the compiled one calls ``Votes.odd_row``)."""
    if _section_like(row):
        return _not_a_section(row, where)
    return PabulibError(NMsg("{file}, line {line}: {n} field where the header has {expected}",
                             "{file}, line {line}: {n} fields where the header has {expected}", len(row), expected=expected, **where))


class Votes:
    """The VOTES rows up to the next section: read in Python (``read``) or by the compiled reader (``read_native``).

    Both decide the common rows themselves and call the same methods below for everything else (odd rows, a voter
    voting twice, a new voter mapping, a vote cell to check): every message is made here, once.
    """

    def __init__(self, name: str, header: list[str], vote_type: str, projects: dict, ballots: list) -> None:
        self.name, self.header, self.projects, self.ballots = name, header, projects, ballots
        self.width = len(header)
        self.i_id, self.i_vote = header.index("voter_id"), header.index("vote")
        self.i_points = header.index("points") if "points" in header else None
        self.other_at, self.other_names = (), []  # the voter's other columns (a loop: most headers are short)
        for i, h in enumerate(header):
            if h not in ("voter_id", "vote", "points"):
                self.other_at += (i,)
                self.other_names.append(h)
        self.point_type, self.ordinal = vote_type in POINT_TYPES, vote_type == ORDINAL
        self.unpointed: int | None = None  # line of a vote without points (a point-type file)
        self.compact: CompactVotes | None = None  # what read_native read

    def where(self, line: int) -> dict:
        return {"file": self.name, "line": line}

    def odd_row(self, row: list[str], line: int) -> list[str] | None:
        """A row of the wrong width: the next section's name (returned), blank (None), or an error."""
        if len(row) == 1 and row[0].strip().upper() in SECTIONS:
            return row
        if not row or all(not c.strip() for c in row):
            return None
        raise _width(row, self.width, self.where(line))

    def duplicate(self, voter_id: str, line: int):
        raise PabulibError(Msg(N_("{file}, line {line}: voter {voter} voted twice"), voter=voter_id, **self.where(line)))

    def make_voter(self, cells: tuple) -> dict:
        return {h: v for h, v in zip(self.other_names, cells) if v and v.lower() != "none"}

    def choice(self, cells: tuple[str, str], line: int) -> tuple:
        got = _choice(cells, self.projects, self.point_type, self.ordinal, self.where(line))
        if self.point_type and self.unpointed is None and got == ((), ()) and cells[0].strip() and cells[0].lower() != "none":
            self.unpointed = line
        return got

    def check_points(self, where: dict) -> None:
        """A cumulative or scoring file whose votes carry no points at all is refused (it would count 0 votes)."""
        if self.unpointed is None:
            return
        choices = (cell[0] for cell in self.compact.cells) if self.compact else (b.choice for b in self.ballots)
        if not any(choices):
            raise PabulibError(Msg(N_("{file}, line {line}: the vote names projects but gives no points"), **self.where(self.unpointed)))

    def read(self, rows) -> list[str] | None:
        """Reads rows up to the next section (returned) or the end; the hot loop of the Python reader, kept lean."""
        width, i_id, i_vote, i_points = self.width, self.i_id, self.i_vote, self.i_points
        voter_ids: set[str] = set()
        append = self.ballots.append
        parsed: dict[tuple[str, str], tuple] = {}  # (vote, points) cell -> (choice, points): most ballots repeat others
        voters: dict[tuple, dict] = {}
        other_at = self.other_at
        fields = itemgetter(*other_at) if len(other_at) > 1 else (lambda row: tuple(row[i] for i in other_at))
        for row in rows:
            if len(row) != width:
                if self.odd_row(row, rows.line_num) is not None:
                    return row
                continue
            voter_id = row[i_id].strip()
            if voter_id in voter_ids:
                self.duplicate(voter_id, rows.line_num)
            voter_ids.add(voter_id)
            cells_v = fields(row)
            voter = voters.get(cells_v)
            if voter is None:  # voters with the same fields share one (read-only) mapping
                voter = voters[cells_v] = self.make_voter(cells_v)
            cells = (row[i_vote], row[i_points] if i_points is not None else "")
            got = parsed.get(cells)
            if got is None:
                got = parsed[cells] = self.choice(cells, rows.line_num)
            append(Ballot(got[0], got[1], voter, voter_id))
        return None

    def read_native(self, rows) -> list[str] | None:
        """Reads rows up to the next section (returned) or the end with the compiled reader (``rows`` a ``Rows``),
        into arrays (``self.compact``: no Ballot per voter; the same rows, checks and messages as ``read``)."""
        mode = 2 if self.point_type else 1 if self.ordinal else 0
        i_points = -1 if self.i_points is None else self.i_points
        section, data = native_reader.read_votes_compact(
            rows, self.width, self.i_id, self.i_vote, i_points, self.other_at, mode, self.projects,
            (self.odd_row, self.duplicate, self.choice))
        self.compact = CompactVotes(self.make_voter, *data)
        return section


def _choice(cells: tuple[str, str], projects: dict, point_type: bool, ordinal: bool, where: dict) -> tuple:
    """(choice, points) of a ballot's vote and points cells, checked against PROJECTS."""
    vote, points = cells
    choice = [v.strip() for v in vote.split(",")] if vote and vote.lower() != "none" else []
    if "" in choice:
        choice = [v for v in choice if v]
    for pid in choice:
        if pid not in projects:
            raise PabulibError(Msg(N_("{file}, line {line}: the vote names project {project}, which is not in PROJECTS"), project=pid, **where))
    if point_type:
        return _point_choice(choice, points, where)
    if ordinal:
        if len(set(choice)) != len(choice):
            raise PabulibError(Msg(N_("{file}, line {line}: a ranking names the same project twice"), **where))
        return tuple(choice), None
    return tuple(dict.fromkeys(choice)), None


NEEDED_COLUMNS = {"META": ("key", "value"), "PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}


def _check_header(section: str, header: list[str], file: str, line: int) -> None:
    for column in NEEDED_COLUMNS[section]:
        if column not in header:
            raise PabulibError(Msg(N_("{file}, line {line}: the {section} header has no column {column}"), section=section, column=column, file=file, line=line))


def _point_choice(choice: list[str], points: str, where: dict) -> tuple:
    if not points.strip() or points.strip().lower() == "none":
        return (), ()  # pabutools: a row without points is an empty ballot
    values = [_points(p, where) for p in points.split(",")]
    if len(values) != len(choice):
        raise PabulibError(Msg(N_("{file}, line {line}: {votes} projects but {points} points"), votes=len(choice), points=len(values), **where))
    merged = dict(zip(choice, values))  # a repeated project keeps its last points
    return tuple(merged), tuple(merged.values())
