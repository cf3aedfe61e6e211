"""Milestones in the projects' workbook: the sheet ``export_xlsx`` writes after the projects' sheet, and
``import_plan`` reads back (so a file exported and imported gives the same milestones, done or not).

One row per milestone: the project's id, the milestone's id ("m1"; empty: numbered on import), its title, its
planned date and the day it was done. Headers in ky/ru/en (the sheet is found by them, whatever its name). A CSV has
one table only: it carries no milestones. On import a milestone the project has already (same id) is left as it is,
except that a done date is recorded when the project's milestone is not done yet; milestones are never edited.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Mapping, Sequence

from pbtools.budget.problems import Problem
from pbtools.budget.text import fold
from pbtools.i18n import N_, Msg
from pbtools.monitoring import records as R
from pbtools.dates import not_a_date, parse_date
from pbtools.monitoring.model import Milestone, Project
from pbtools.storage.record import Entry

COLUMNS = ("project", "id", "title", "planned", "done")
SHEET_NAMES: Mapping[str, str] = {"en": "Milestones", "ru": "Этапы", "ky": "Этаптар"}
HEADERS: Mapping[str, Mapping[str, str]] = {
    "project": {"en": "Project id", "ru": "Код проекта", "ky": "Долбоордун коду"},
    "id": {"en": "Milestone id", "ru": "Код этапа", "ky": "Этаптын коду"},
    "title": {"en": "Milestone", "ru": "Этап", "ky": "Этап"},
    "planned": {"en": "Planned date", "ru": "Плановая дата", "ky": "Пландалган күнү"},
    "done": {"en": "Done on", "ru": "Дата выполнения", "ky": "Аткарылган күнү"},
}
_EXACT = {fold(h): c for c, names in HEADERS.items() for h in names.values()} | {c: c for c in COLUMNS}
_MILESTONE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")


@dataclass
class MilestoneRow:
    row: int
    project: str
    id: str  # "" : numbered on import
    title: str
    planned: str
    done: str
    file: str = ""
    where: dict[str, str] = field(default_factory=dict)  # column -> its header as written


def write_sheet(book: Any, projects: Sequence[Project], lang: str) -> None:
    """Add the milestones' sheet to an openpyxl workbook, headers in ``lang``."""
    sheet = book.create_sheet(SHEET_NAMES[lang])
    sheet.append([HEADERS[c][lang] for c in COLUMNS])
    for p in projects:
        for m in p.milestones:
            sheet.append([p.id, m.id, m.title, m.planned, m.done])


def _columns(cells: tuple) -> dict[int, str]:
    found = {i: _EXACT.get(fold(str(c))) for i, c in enumerate(cells) if isinstance(c, str) and c.strip()}
    return {i: c for i, c in found.items() if c}


def read_milestones(path: str | Path) -> tuple[list[MilestoneRow], list[Problem]]:
    """The milestones of a workbook (any sheet after the first whose first row has a project id and a milestone
    column); none from a CSV. Each problem names the file and sheet, row and column."""
    path = Path(path)
    if path.suffix.lower() != ".xlsx":
        return [], []
    from openpyxl import load_workbook  # openpyxl is slow to import: only when a workbook is read

    book = load_workbook(path, read_only=True, data_only=True)
    try:
        rows: list[MilestoneRow] = []
        problems: list[Problem] = []
        for sheet in book.worksheets[1:]:
            table = list(enumerate(sheet.iter_rows(values_only=True), start=1))
            if not table:
                continue
            columns = _columns(table[0][1])
            if not {"project", "title"} <= set(columns.values()):
                continue
            found, wrong = _read_sheet(f"{path.name}, {sheet.title}", table, columns)
            rows += found
            problems += wrong
        return rows, problems
    finally:
        book.close()


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _read_sheet(file: str, table: list, columns: dict[int, str]) -> tuple[list[MilestoneRow], list[Problem]]:
    header = table[0][1]
    where = {name: str(header[i]) for i, name in columns.items()}
    rows, problems, seen = [], [], {}
    for number, cells in table[1:]:
        raw = {name: (cells[i] if i < len(cells) else None) for i, name in columns.items()}
        if not any(_text(v) for v in raw.values()):
            continue

        def problem(name: str, kind: str, msg: Msg) -> None:
            problems.append(Problem(file, number, where.get(name), kind, msg))

        values = {name: _text(raw.get(name)) for name in ("project", "id", "title")}
        if not values["project"]:
            problem("project", "no_project", Msg(N_("The milestone names no project.")))
        if not values["title"]:
            problem("title", "no_title", Msg(N_("The milestone has no title.")))
        if values["id"] and not _MILESTONE_ID.match(values["id"]):
            problem("id", "bad_id", Msg(N_("{value} is not a usable id (letters, digits, . _ -)"), value=values["id"]))
        elif values["id"] and (values["project"], values["id"]) in seen:
            problem("id", "duplicate_id", Msg(N_("The id {id} is already used in row {other}."), id=values["id"],
                                              other=seen[(values["project"], values["id"])]))
        seen.setdefault((values["project"], values["id"]), number) if values["id"] else None
        days = {}
        for name in ("planned", "done"):
            day = parse_date(raw.get(name))
            if day is None:
                problem(name, "not_date", not_a_date(_text(raw.get(name))))
            days[name] = day or ""
        rows.append(MilestoneRow(number, values["project"], values["id"], values["title"], days["planned"],
                                 days["done"], file, where))
    return rows, problems


def unknown_projects(rows: Sequence[MilestoneRow], known: set[str]) -> list[Problem]:
    """A milestone whose project is neither in the file nor in the workspace."""
    return [Problem(r.file, r.row, r.where.get("project"), "unknown_project",
                    Msg(N_("There is no project {id} in the file or in the workspace."), id=r.project))
            for r in rows if r.project and r.project not in known]


def milestone_entries(actor: str, have: Sequence[Milestone], rows: Sequence[MilestoneRow]) -> list[Entry]:
    """The records that add the file's milestones a project does not have (``have``), and record the done date of
    those it has but are not done yet. Milestones without an id take the next free number."""
    stored = {m.id: m for m in have}
    taken = set(stored) | {r.id for r in rows if r.id}
    entries: list[Entry] = []
    n = len(have)
    for r in rows:
        milestone_id = r.id
        if not milestone_id:
            n += 1
            while f"m{n}" in taken:
                n += 1
            milestone_id = f"m{n}"
            taken.add(milestone_id)
        if milestone_id not in stored:
            entries.append(Entry(R.MILESTONE_ADDED, R.plain(Milestone(milestone_id, r.title, r.planned)), actor,
                                 key=milestone_id))
        if r.done and not (milestone_id in stored and stored[milestone_id].done):
            entries.append(Entry(R.MILESTONE_DONE, {"id": milestone_id, "done": r.done}, actor))
    return entries
