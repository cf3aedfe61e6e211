"""The cells of a budget file, row by row with the row numbers a person sees: CSV (UTF-8 with or without BOM,
or Windows-1251; comma, semicolon or tab separated) or the first sheet of an XLSX workbook."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from pbtools.budget.problems import Problem
from pbtools.i18n import N_, Msg

Cell = str | Decimal  # text as typed, or a number an XLSX cell holds


@dataclass(frozen=True)
class Table:
    file: str
    rows: tuple[tuple[int, tuple[Cell, ...]], ...]  # (row number in the file, cells); blank rows left out


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        # Windows-1251 is what Excel writes for Cyrillic CSV on Russian/Kyrgyz Windows; it decodes any byte
        return data.decode("cp1251")


def _delimiter(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:30]
    counts = {d: sum(line.count(d) for line in lines) for d in (";", "\t", ",")}
    # decimal commas make "," counts unreliable, so ";" or tab win whenever they are used at all
    for d in (";", "\t"):
        if counts[d]:
            return d
    return ","


def _read_csv(path: Path) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    text = _decode(path.read_bytes())
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    rows = []
    start = 1
    for record in reader:
        cells = tuple(c.strip() for c in record)
        if any(cells):
            rows.append((start, cells))
        start = reader.line_num + 1
    return tuple(rows)


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))  # shortest repr: 1234.1, not 1234.0999999999999
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(path: Path) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    from openpyxl import load_workbook

    # data_only: the values Excel saved for formulas (a file saved by Excel has them)
    workbook = load_workbook(path, read_only=True, data_only=True)
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells = tuple(_xlsx_cell(v) for v in values)
            if any(c != "" for c in cells):
                rows.append((number, cells))
        return tuple(rows)
    finally:
        workbook.close()


def load_table(path: str | Path) -> tuple[Table | None, list[Problem]]:
    path = Path(path)
    name = path.name
    if not path.is_file():
        return None, [Problem(name, None, None, "file_not_found", Msg(N_("The file was not found.")))]
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".txt", ".tsv"):
            rows = _read_csv(path)
        elif suffix in (".xlsx", ".xlsm"):
            rows = _read_xlsx(path)
        else:
            return None, [Problem(name, None, None, "file_type", Msg(N_("Unsupported file type {suffix}: save the table as .csv or .xlsx."), suffix=suffix or "?"))]
    except Exception as e:  # a damaged or mislabelled file: say so, never crash the hearing laptop
        return None, [Problem(name, None, None, "unreadable", Msg(N_("The file cannot be read as {kind}: {detail}"), kind=suffix.lstrip(".").upper(), detail=str(e) or type(e).__name__))]
    if not rows:
        return None, [Problem(name, None, None, "empty", Msg(N_("The file is empty.")))]
    return Table(name, rows), []
