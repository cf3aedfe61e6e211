"""The municipality's action plan (БАП/ПДМС) and the projects' spreadsheet, read and written in the same columns.

Reading is as forgiving as the budget import, and through its readers (``pbtools.budget.table``: CSV in UTF-8 or
Windows-1251 with any separator, or the first sheet of an XLSX; ``pbtools.budget.numbers``: decimal comma, thousands
with spaces, «тыс. сом» in a header or a title row above the table): title rows above the header are skipped, the
header is found by its words in ky/ru/en (``plan_columns``), section rows (a title alone) and total rows are
skipped. And as strict: every problem is a ``pbtools.budget.problems.Problem`` naming file, row and column, and a
file with any error imports nothing.

A row whose id is a project's updates it (only the fields that differ, one history record; an empty cell leaves
its field as it is); a row without an id updates the project with the same action-plan item, title and village (the same plan
imported twice adds nothing), else becomes a new project.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, Sequence

from pbtools.budget.headers import unit_of
from pbtools.budget.numbers import NotANumber, TooLarge, checked, decimal_mark_evidence, parse_som
from pbtools.budget.problems import Problem, errors
from pbtools.budget.table import Table, load_table
from pbtools.budget.text import fold, script_language
from pbtools.i18n import LANGS, N_, Msg
from pbtools.monitoring import plan_columns as C
from pbtools.dates import NOT_A_DATE, parse_date
from pbtools.monitoring.checks import PROJECT_ID, check_fields, check_order, sector_of, status_of
from pbtools.monitoring.errors import PlanRefused
from pbtools.monitoring.model import FROM_PLAN, Funding, HistoryEntry, Project
from pbtools.monitoring.plan_milestones import milestone_entries, read_milestones, unknown_projects, write_sheet

_TOTAL_WORDS = ("итого", "всего", "жыйынтык", "бардыгы", "баары", "total")


@dataclass
class PlanRow:
    row: int  # the row number in the file
    id: str
    titles: dict[str, str]
    values: dict[str, Any] = field(default_factory=dict)  # model.EDITABLE fields, parsed
    where: dict[str, str] = field(default_factory=dict)  # field -> the header of its column, as written
    file: str = ""


def _header(table: Table) -> int | None:
    return next((i for i, (_, cells) in enumerate(table.rows[:40]) if C.is_header(cells)), None)


def _text(cell: Any) -> str:
    if isinstance(cell, Decimal):
        return str(int(cell)) if cell == cell.to_integral_value() else str(cell)
    return str(cell or "").strip()


def _mark(table: Table, first: int, money: list[int]) -> str | None:
    seen = {decimal_mark_evidence(cells[i]) for _, cells in table.rows[first:] for i in money
            if i < len(cells) and isinstance(cells[i], str)} - {None}
    return seen.pop() if len(seen) == 1 else None


def read_plan(path: str | Path) -> tuple[list[PlanRow], list[Problem]]:
    """The rows of an action plan or projects' file: (rows, problems); rows are only usable without errors."""
    table, problems = load_table(path)
    if table is None:
        return [], problems
    file = table.file
    at = _header(table)
    if at is None:
        expected = " / ".join(C.HEADERS["title_ky"].values())
        return [], [Problem(file, None, None, "no_header", Msg(N_("No header row with a project title column was found (e.g. {expected}, Наименование, Аталышы)."), expected=expected))]
    header_row, header = table.rows[at]
    columns: dict[int, str] = {}
    seen: dict[str, int] = {}
    for i, cell in enumerate(header):
        name = C.column_of(cell) if isinstance(cell, str) else None
        if name is None or name in C.LINK_COLUMNS:
            continue
        if name in seen:
            problems.append(Problem(file, header_row, str(cell), "duplicate_column", Msg(N_("This column means the same as the column «{other}»."), other=str(header[seen[name]]))))
            continue
        seen[name], columns[i] = i, name
    titles_text = " ".join(c for _, cells in table.rows[:at] for c in cells if isinstance(c, str))
    plan_unit = unit_of(titles_text) or Decimal(1)
    units = {i: (unit_of(str(header[i])) or plan_unit) for i, n in columns.items() if n in C.MONEY}
    mark = _mark(table, at + 1, list(units))
    title_lang = {i: script_language([_text(cells[i]) for _, cells in table.rows[at + 1:] if i < len(cells)])
                  for i, n in columns.items() if n == C.TITLE}
    rows: list[PlanRow] = []
    ids: dict[str, int] = {}
    for number, cells in table.rows[at + 1:]:
        row, found = _row(file, number, cells, header, columns, units, mark, title_lang)
        problems += found
        if row is None:
            continue
        if row.id and row.id in ids:
            problems.append(Problem(file, number, str(header[seen["id"]]), "duplicate_id", Msg(N_("The id {id} is already used in row {other}."), id=row.id, other=ids[row.id])))
        ids.setdefault(row.id, number) if row.id else None
        rows.append(row)
    if not rows and not errors(problems):
        problems.append(Problem(file, None, None, "no_rows", Msg(N_("The table has no projects (rows with a title)."))))
    return rows, problems


def _row(file: str, number: int, cells: tuple, header: tuple, columns: dict[int, str], units: dict[int, Decimal],
         mark: str | None, title_lang: dict[int, str]) -> tuple[PlanRow | None, list[Problem]]:
    raw = {name: (cells[i] if i < len(cells) else "") for i, name in columns.items()}
    where = {name: str(header[i]) for i, name in columns.items()}
    filled = {n for n, v in raw.items() if _text(v)}
    titles = {lang: _text(raw[f"title_{lang}"]) for lang in LANGS if _text(raw.get(f"title_{lang}", ""))}
    for i, name in columns.items():
        if name == C.TITLE and _text(raw[name]):
            titles.setdefault(title_lang[i], _text(raw[name]))
    if not filled:
        return None, []
    first_title = next(iter(titles.values()), "")
    if first_title and fold(first_title).split()[:1] and fold(first_title).split()[0].startswith(_TOTAL_WORDS):
        return None, []  # a total row
    if filled <= {C.TITLE, "title_ky", "title_ru", "title_en", "plan_ref"} and not filled & {"title_ky", "title_ru", "title_en"} - {C.TITLE}:
        return None, []  # a section heading ("1. Суу менен камсыз кылуу"): a title alone
    problems: list[Problem] = []

    def problem(name: str, kind: str, msg: Msg) -> None:
        problems.append(Problem(file, number, where.get(name), kind, msg))

    if not titles and not _text(raw.get("id", "")):  # with an id it may be a project's update: checked on import
        problem(_title_column(where), "no_title", Msg(N_("The project has no title.")))
    values: dict[str, Any] = {}
    money: dict[str, Decimal] = {}
    for i, name in columns.items():
        cell = raw[name]
        if name not in filled:
            continue  # an empty cell gives nothing: on an update the field stays as it is
        if name in C.MONEY:
            amount = _money(cell, mark)
            if amount is None:
                problem(name, "not_amount", Msg(N_("{value} is not an amount in som."), value=_text(cell)))
            elif amount < 0:
                problem(name, "negative", Msg(N_("An amount cannot be negative ({value})."), value=_text(cell)))
            else:
                money[name] = _in_som(amount, units[i])
        elif name in READ:
            read, kind, msgid = READ[name]
            value = read(cell)
            if value is None:
                problem(name, kind, Msg(msgid, value=_text(cell)))
            else:
                values[name] = value
        elif name in ("village", "responsible", "contractor", "status_reason", "plan_ref", "budget_code", "notes"):
            values[name] = _text(cell)
    for side in ("planned", "actual"):
        parts = {p: money.get(f"{side}_{p}", Decimal(0)) for p in C.MONEY_PARTS}
        if any(f"{side}_{p}" in filled for p in C.MONEY_PARTS):
            f = Funding(parts["cost"], parts["local_budget"], parts["grant"], parts["community_money"], parts["community_in_kind"])
            if not f.total and f.is_split:
                f = Funding(f.split, *(getattr(f, p) for p in Funding.PARTS))  # only the parts given: the cost is their sum
            values[side] = f
    for name, value in values.items():  # the same rules as a form (funding parts adding up...), on what was read
        col = f"{name}_cost" if name in ("planned", "actual") else name
        for msg in check_fields({name: value}):
            problem(col, "invalid", msg)
    dates = [values.get(n, "") for n in ("planned_start", "planned_finish", "actual_start", "actual_finish")]
    for msg in check_order(*dates):
        problem("planned_finish" if msg.params.get("field").msgid == "Planned finish" else "actual_finish", "order", msg)
    return PlanRow(number, _text(raw.get("id", "")), titles, values, where, file), problems


def _title_column(where: dict[str, str]) -> str | None:
    name = next((n for n in (C.TITLE, "title_ky", "title_ru", "title_en") if n in where), None)
    return where.get(name) if name else None


def _money(cell: Any, mark: str | None) -> Decimal | None:
    try:
        if isinstance(cell, Decimal):
            return checked(cell)
        amount = parse_som(_text(cell), mark)
    except TooLarge as e:
        return e.value  # an amount: ``check_funding`` refuses it by row and column, saying the most a project may cost
    except NotANumber:
        return None
    return Decimal(0) if amount is None else amount


def _in_som(amount: Decimal, unit: Decimal) -> Decimal:
    value = amount * unit
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value


def _percent(cell: Any) -> int | None:
    text = _text(cell).replace("%", "").strip()
    if not text:
        return 0
    try:
        value = Decimal(text.replace(",", "."))
    except ArithmeticError:
        return None
    return int(value) if value == value.to_integral_value() and 0 <= value <= 100 else None



_DATE = (parse_date, "not_date", NOT_A_DATE)
READ = {  # a field read from its cell: how, and what is said when it cannot be
    **{name: _DATE for name in C.DATES},
    "percent": (_percent, "not_percent", N_("{value} is not a whole number from 0 to 100.")),
    "status": (lambda cell: status_of(_text(cell)), "unknown_status",
               N_("Unknown status {value}: write planned, in progress, completed, stalled or cancelled (in any language).")),
    "sector": (lambda cell: sector_of(_text(cell)), "unknown_sector", N_("Unknown sector {value}.")),
}

def _against(row: PlanRow, match: Project | None) -> list[Problem]:
    """What a row cannot do to what is stored: a new project needs a title and a usable id; an update must keep
    the finish after the start."""
    found = []
    if match is None:
        if not row.titles:
            found.append(Problem(row.file, row.row, _title_column(row.where), "no_title", Msg(N_("The project has no title."))))
        if row.id and not PROJECT_ID.match(row.id):
            found.append(Problem(row.file, row.row, row.where.get("id"), "bad_id", Msg(N_("{value} is not a usable id (letters, digits, . _ -)"), value=row.id)))
        return found
    names = ("planned_start", "planned_finish", "actual_start", "actual_finish")
    dates = [row.values.get(n, getattr(match, n)) for n in names]
    for msg in check_order(*dates):
        side = "planned" if msg.params.get("field").msgid == "Planned finish" else "actual"
        col = row.where.get(f"{side}_finish") or row.where.get(f"{side}_start")  # the one of the two in the file
        found.append(Problem(row.file, row.row, col, "order", msg))
    return found


def _same(plan_ref: str, titles: dict, village: str) -> tuple:
    """What makes a row without an id the same project: its plan item, titles and village (spelling aside)."""
    return fold(plan_ref), tuple(sorted((k, fold(v)) for k, v in titles.items())), fold(village)


def import_plan(service: Any, actor: Any, path: str | Path) -> list[Project]:
    rows, problems = read_plan(path)
    if errors(problems):
        raise PlanRefused(errors(problems))
    milestones, milestone_problems = read_milestones(path)
    problems += milestone_problems
    existing = {p.id: p for p in service.projects()}
    same = {_same(p.plan_ref, p.titles, p.village): p for p in existing.values()}
    municipality = service.ws.municipality()  # once: it names every row's village
    matches = []
    for row in rows:  # every row checked against what is stored before anything is written
        # its village as the project stores it: "Kok-Talaa" in an English file is the stored «Көк-Талаа»
        village = service._stored({"village": row.values.get("village", "")}, municipality)["village"]
        key = _same(row.values.get("plan_ref", ""), row.titles, village)
        match = existing.get(row.id) or (None if row.id else same.get(key))
        problems += _against(row, match)
        matches.append(match)
    problems += unknown_projects(milestones, set(existing) | {row.id for row in rows if row.id})
    if errors(problems):
        raise PlanRefused(errors(problems))
    by_project: dict[str, list] = {}
    for m in milestones:
        by_project.setdefault(m.project, []).append(m)
    writes = []  # (project id, its records): all built and checked before the first is written
    for row, match in zip(rows, matches):
        if match is None:
            pid = row.id or service._new_id(pid for pid, _ in writes)
            pid, created = service._created_entry(actor, row.titles, pid, FROM_PLAN, None, "", dict(row.values), municipality)
            writes.append((pid, [created, *milestone_entries(actor.name, (), by_project.pop(pid, []))]))
        else:
            changed = service._changed_entry(actor, match, "", {**row.values, "titles": {**match.titles, **row.titles}}, municipality)
            writes.append((match.id, [e for e in (changed,) if e] + milestone_entries(actor.name, match.milestones, by_project.pop(match.id, []))))
    for pid, rest in by_project.items():  # milestones of stored projects the file has no row for
        writes.append((pid, milestone_entries(actor.name, existing[pid].milestones, rest)))
    for pid, entries in writes:  # one transaction per project (the ledger has none across streams)
        if entries:
            service._append(pid, entries)
    return [service.project(pid) for pid, _ in writes[:len(rows)]]


def _row_of(p: Project) -> list[Any]:
    cells: dict[str, Any] = {"id": p.id, "village": p.village, "sector": p.sector, "responsible": p.responsible,
                             "contractor": p.contractor, "status": p.status, "status_date": p.status_date,
                             "status_reason": p.status_reason, "percent": p.percent, "plan_ref": p.plan_ref,
                             "budget_code": p.budget_code,
                             "notes": p.notes}
    cells |= {f"title_{lang}": p.titles.get(lang, "") for lang in LANGS}
    for side in ("planned", "actual"):
        f = getattr(p, side)
        cells[f"{side}_cost"] = f.total
        cells |= {f"{side}_{part}": getattr(f, part) for part in Funding.PARTS}
    cells |= {n: getattr(p, n) for n in ("planned_start", "planned_finish", "actual_start", "actual_finish")}
    link = p.link
    cells |= {"hearing": link.hearing_id if link else "", "question": link.question_id if link else "",
              "option": link.option_id if link else "", "votes": link.votes if link else ""}
    return [cells[c] for c in C.COLUMNS + C.LINK_COLUMNS]


def write_projects(projects: Sequence[Project], path: str | Path, lang: str = "en") -> Path:
    """The projects to .xlsx (or .csv) with headers in ``lang``, in the columns ``read_plan`` reads back; the
    hearing link columns are for the reader (the ledger keeps the link). XLSX: money as numbers, dates as ISO text."""
    path = Path(path)
    header = [C.HEADERS[c][lang] for c in C.COLUMNS + C.LINK_COLUMNS]
    rows = [_row_of(p) for p in projects]
    if path.suffix.lower() == ".csv":
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header] + [[str(v) for v in r] for r in rows])
        return path
    from openpyxl import Workbook  # here, not at the top: ~0.2-0.4 s to import, and only an .xlsx needs it

    book = Workbook()
    sheet = book.active
    sheet.title = "projects"
    sheet.append(header)
    for r in rows:
        sheet.append([v if not isinstance(v, Decimal) else (int(v) if v == v.to_integral_value() else v) for v in r])
    write_sheet(book, projects, lang)
    book.save(path)
    return path


def write_history(entries: Sequence[HistoryEntry], path: str | Path) -> Path:
    """A project's history as .csv or .xlsx: record, time (UTC), who, kind, before, after (JSON), reason, hash."""
    path = Path(path)
    header = ["seq", "at_utc", "actor", "kind", "before", "after", "reason", "hash"]
    rows = [[e.seq, e.at.isoformat(), e.actor, e.kind, json.dumps(e.before, ensure_ascii=False, sort_keys=True),
             json.dumps(e.after, ensure_ascii=False, sort_keys=True), e.reason, e.hash] for e in entries]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # here, not at the top: ~0.2-0.4 s to import, and only an .xlsx needs it

        book = Workbook()
        book.active.title = "history"
        for r in [header] + rows:
            book.active.append(r)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows([header] + rows)
    return path
