"""Reading ``.pb`` files into an ``Election``, with a clear error (file and line) for anything malformed.

Parsing follows what pabutools does where it changes outcomes (see ../shared/pabutools-semantics.md): ids are
stripped, ``,`` is a decimal point in ``cost`` and ``budget``, a cell ``None`` is missing, approval votes drop
empty items and duplicates, a cumulative/scoring row without points is an empty ballot. Known columns become model
fields: ``name`` -> ``names[""]``, ``district``/``subunit`` -> ``area``, ``category`` -> ``sector``.
"""

from __future__ import annotations

import csv
import io
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from operator import itemgetter
from pathlib import Path

from pbtools.counting.gc_pause import gc_paused
from pbtools.counting.model import ORDINAL, POINT_TYPES, VOTE_TYPES, Ballot, Election, Project
from pbtools.i18n import Msg, N_

SECTIONS = ("META", "PROJECTS", "VOTES")


class PabulibError(ValueError):
    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


def _missing(cell: str) -> bool:
    return cell == "" or cell.lower() == "none"


COST_ERROR = N_("{file}, line {line}: the cost {value!r} is not an amount")
BUDGET_ERROR = N_("{file}: the budget {value!r} in META is not an amount")


def _amount(text: str, where: dict, error: str) -> Decimal:
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise PabulibError(Msg(error, value=text, **where))
    return value


def _points(text: str, where: dict):
    if text.isdigit():
        return int(text)
    try:
        value = Fraction(text.strip())
    except (ValueError, ZeroDivisionError):
        raise PabulibError(Msg(N_("{file}, line {line}: points {value!r} is not a number"), value=text, **where)) from None
    return int(value) if value.denominator == 1 else value


def read_pb(path: str | Path) -> Election:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise PabulibError(Msg(N_("{file}: not a UTF-8 text file (byte {position})"), file=path.name, position=exc.start)) from None
    return parse_pb(text, path.name)


@gc_paused
def parse_pb(text: str, name: str = "<text>") -> Election:
    rows = csv.reader(io.StringIO(text, newline=""), delimiter=";")
    meta: dict[str, str] = {}
    projects: dict[str, Project] = {}
    ballots: list[Ballot] = []
    seen: list[str] = []
    section = header = None
    try:
        pending = None
        while True:
            row = pending if pending is not None else next(rows, None)
            pending = None
            if row is None:
                break
            where = {"file": name, "line": rows.line_num}
            if not row or all(not c.strip() for c in row):
                continue
            if len(row) == 1 and row[0].strip().upper() in SECTIONS:
                section, header = row[0].strip().upper(), None
                if section in seen:
                    raise PabulibError(Msg(N_("{file}, line {line}: section {section} appears twice"), section=section, **where))
                seen.append(section)
                continue
            if section is None:
                raise PabulibError(Msg(N_("{file}, line {line}: expected a section name (META, PROJECTS or VOTES)"), **where))
            if header is None:
                header = [c.strip() for c in row]
                _check_header(section, header, where)
                if section == "VOTES":
                    if "PROJECTS" not in seen:
                        raise PabulibError(Msg(N_("{file}, line {line}: VOTES come before PROJECTS"), **where))
                    pending = _votes(rows, header, name, meta.get("vote_type", "").strip(), projects, ballots)
                continue
            if len(row) != len(header):
                raise _width(len(row), len(header), where)
            if section == "META":
                meta[row[0].strip()] = row[1]
            else:
                project = _project(header, row, where)
                if project.id in projects:
                    raise PabulibError(Msg(N_("{file}, line {line}: project {project} is listed twice"), project=project.id, **where))
                projects[project.id] = project
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
    budget = _amount(meta["budget"], {"file": name}, BUDGET_ERROR)
    return Election(tuple(projects.values()), ballots, budget, vote_type, meta, meta.get("currency", "").strip() or "KGS")


def _width(found: int, expected: int, where: dict) -> PabulibError:
    return PabulibError(Msg(N_("{file}, line {line}: {found} fields where the header has {expected}"), found=found, expected=expected, **where))


def _votes(rows, header: list[str], name: str, vote_type: str, projects: dict, ballots: list) -> list[str] | None:
    """Reads VOTES rows up to the next section (returned) or the end; the hot loop of the reader, kept lean."""
    width = len(header)
    i_id, i_vote = header.index("voter_id"), header.index("vote")
    i_points = header.index("points") if "points" in header else None
    others = [(i, h) for i, h in enumerate(header) if h not in ("voter_id", "vote", "points")]
    point_type, ordinal = vote_type in POINT_TYPES, vote_type == ORDINAL
    voter_ids: set[str] = set()
    append = ballots.append
    parsed: dict[tuple[str, str], tuple] = {}  # (vote, points) cell -> (choice, points): most ballots repeat others
    voters: dict[tuple, dict] = {}
    other_at, other_names = [i for i, _ in others], [h for _, h in others]
    fields = itemgetter(*other_at) if len(other_at) > 1 else (lambda row: tuple(row[i] for i in other_at))
    for row in rows:
        if len(row) != width:
            if len(row) == 1 and row[0].strip().upper() in SECTIONS:
                return row
            if not row or all(not c.strip() for c in row):
                continue
            raise _width(len(row), width, {"file": name, "line": rows.line_num})
        voter_id = row[i_id].strip()
        if voter_id in voter_ids:
            raise PabulibError(Msg(N_("{file}, line {line}: voter {voter} voted twice"), file=name, line=rows.line_num, voter=voter_id))
        voter_ids.add(voter_id)
        cells_v = fields(row)
        voter = voters.get(cells_v)
        if voter is None:  # voters with the same fields share one (read-only) mapping
            voter = voters[cells_v] = {h: v for h, v in zip(other_names, cells_v) if v and v.lower() != "none"}
        cells = (row[i_vote], row[i_points] if i_points is not None else "")
        got = parsed.get(cells)
        if got is None:
            got = parsed[cells] = _choice(cells, projects, point_type, ordinal, {"file": name, "line": rows.line_num})
        append(Ballot(got[0], got[1], voter, voter_id))
    return None


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


def _check_header(section: str, header: list[str], where: dict) -> None:
    needed = {"META": ("key", "value"), "PROJECTS": ("project_id", "cost"), "VOTES": ("voter_id", "vote")}[section]
    for column in needed:
        if column not in header:
            raise PabulibError(Msg(N_("{file}, line {line}: the {section} header has no column {column}"), section=section, column=column, **where))


def _project(header: list[str], row: list[str], where: dict) -> Project:
    cells = {h: c for h, c in zip(header, row) if not _missing(c.strip())}
    pid = cells.pop("project_id", "").strip()
    if not pid:
        raise PabulibError(Msg(N_("{file}, line {line}: a project without project_id"), **where))
    if "cost" not in cells:
        raise PabulibError(Msg(N_("{file}, line {line}: project {project} has no cost"), project=pid, **where))
    cost = _amount(cells.pop("cost"), where, COST_ERROR)
    name = cells.pop("name", "")
    area = cells.get("district") or cells.get("subunit") or None
    return Project(pid, cost, {"": name} if name else {}, area, cells.get("category") or None, cells)


def _point_choice(choice: list[str], points: str, where: dict) -> tuple:
    if not points.strip() or points.strip().lower() == "none":
        return (), ()  # pabutools: a row without points is an empty ballot
    values = [_points(p, where) for p in points.split(",")]
    if len(values) != len(choice):
        raise PabulibError(Msg(N_("{file}, line {line}: {votes} projects but {points} points"), votes=len(choice), points=len(values), **where))
    merged = dict(zip(choice, values))  # a repeated project keeps its last points
    return tuple(merged), tuple(merged.values())
