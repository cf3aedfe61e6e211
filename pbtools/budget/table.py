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


class Unreadable(Exception):
    """The file cannot be read as a table; ``message`` says what it looks like and what to do."""

    def __init__(self, message: Msg) -> None:
        super().__init__(message.msgid)
        self.message = message


_SAVE_AS = N_("open it in Excel or LibreOffice and save the table as .xlsx (Excel workbook) or as CSV.")


def is_binary(text: str) -> bool:
    # control characters other than tab and line ends do not occur in a typed table
    controls = sum(1 for ch in text[:20000] if ord(ch) < 32 and ch not in "\t\r\n")
    return controls > max(2, len(text[:20000]) // 200)


def decode_text(data: bytes) -> str:
    for bom, encoding in ((b"\xef\xbb\xbf", "utf-8"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be")):
        if data.startswith(bom):  # Excel's "Unicode text" is UTF-16 with a byte order mark
            try:
                return data[len(bom):].decode(encoding)
            except UnicodeDecodeError:
                break
    else:
        if b"\x00" in data[:4096]:
            raise Unreadable(Msg(N_("The file does not look like a text table (CSV): it holds binary data, perhaps a document or a workbook renamed. Please {what}"), what=Msg(_SAVE_AS)))
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
        try:
            # Windows-1251 is what Excel writes for Cyrillic CSV on Russian/Kyrgyz Windows
            return data.decode("cp1251")
        except UnicodeDecodeError:
            pass
    raise Unreadable(Msg(N_("The text of the file is in an encoding pbtools does not know (it reads UTF-8 and Windows-1251). In Excel choose «Save as» → «CSV UTF-8», or {what}"), what=Msg(_SAVE_AS)))


def delimiter_of(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip()][:30]
    counts = {d: sum(line.count(d) for line in lines) for d in (";", "\t", ",")}
    # decimal commas make "," counts unreliable, so ";" or tab win whenever they are used at all
    for d in (";", "\t"):
        if counts[d]:
            return d
    return ","


def _read_csv(data: bytes) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    text = decode_text(data)
    if is_binary(text):
        raise Unreadable(Msg(N_("The file does not look like a text table (CSV): it holds binary data, perhaps a document or a workbook renamed. Please {what}"), what=Msg(_SAVE_AS)))
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter_of(text))
    rows = []
    # Excel and LibreOffice show a record as one row even when a quoted cell spans lines ("План<Alt+Enter>2026"
    # in a header), and a blank line as an empty row: the row a message names is the record's number, not its line.
    start = 1  # the row being read
    try:
        for record in reader:
            cells = tuple(c.strip() for c in record)
            if any(cells):
                rows.append((start, cells))
            start += 1
    except csv.Error:  # a runaway quote made one cell of the rest of the file
        raise Unreadable(Msg(N_("From row {row} on the file cannot be split into cells: a quote mark («\"») is not closed, or a cell is far too long. Check that row, or {what}"), row=start, what=Msg(_SAVE_AS))) from None
    return tuple(rows)


def _xlsx_cell(value: object) -> Cell:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if value != value or value in (float("inf"), float("-inf")):
            return str(value)  # text, so that it is reported as no amount
        return Decimal(repr(value))  # shortest repr: 1234.1, not 1234.0999999999999
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    return str(value).strip()


def _read_xlsx(data: bytes) -> tuple[tuple[int, tuple[Cell, ...]], ...]:
    rows = ((n, tuple(_xlsx_cell(v) for v in values)) for n, values in xlsx_rows(data))
    return tuple((n, cells) for n, cells in rows if any(c != "" for c in cells))


def xlsx_rows(data: bytes) -> list[tuple[int, tuple[object, ...]]]:
    """(row number, values as openpyxl gives them) of the first sheet; raises Unreadable."""
    from openpyxl import load_workbook  # here, not at the top: ~0.2-0.4 s to import; a .csv does not need it

    damaged = Msg(N_("The file looks like an Excel workbook (.xlsx) but it is damaged or incomplete, or it is another kind of zip archive: {what}"), what=Msg(_SAVE_AS))
    try:
        # data_only: the values Excel saved for formulas (a file saved by Excel has them)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds (BadZipFile, KeyError, InvalidFileException...) for one cause
        raise Unreadable(damaged) from None
    try:
        if not workbook.worksheets:
            raise Unreadable(damaged)
        return list(enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1))
    except Unreadable:
        raise
    except Exception:  # a sheet whose XML is broken fails only while it is read
        raise Unreadable(damaged) from None
    finally:
        workbook.close()


def looks_like(data: bytes, suffix: str) -> str:
    """What the file's content is, whatever its name says: "xlsx", "csv", or raises Unreadable."""
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise Unreadable(Msg(N_("The file is in the old Excel format (.xls) or another old Office format, which pbtools does not read: {what}"), what=Msg(_SAVE_AS)))
    if head.startswith(b"%PDF"):
        raise Unreadable(Msg(N_("The file is a PDF document: pbtools cannot take a table out of a PDF. Ask for the table as .xlsx or CSV, or copy it into a spreadsheet and {what}"), what=Msg(_SAVE_AS)))
    lowered = head.lower().replace(b"\x00", b"")
    if b"<html" in lowered or b"<table" in lowered or b"<!doctype" in lowered:
        raise Unreadable(Msg(N_("The file is a web page (HTML), not a table, although its name ends in {suffix}: {what}"), suffix=suffix, what=Msg(_SAVE_AS)))
    if suffix in (".xlsx", ".xlsm"):
        if _is_text(data):  # read as CSV it could be taken for a different table than the one the user meant
            raise Unreadable(Msg(N_("The file's name ends in {suffix}, but it is plain text, not an Excel workbook: if it is a CSV table, rename it to .csv; otherwise {what}"), suffix=suffix, what=Msg(_SAVE_AS)))
        raise Unreadable(Msg(N_("The file is not an Excel workbook (.xlsx), although its name says so, nor a text table: perhaps it was damaged while copied. {what}"), what=Msg(_SAVE_AS)))
    return "csv"


def _is_text(data: bytes) -> bool:
    try:
        return not is_binary(decode_text(data))
    except Unreadable:
        return False


def load_table(path: str | Path) -> tuple[Table | None, list[Problem]]:
    path = Path(path)
    name = path.name
    if not path.is_file():
        return None, [Problem(name, None, None, "file_not_found", Msg(N_("The file was not found.")))]
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".txt", ".tsv", ".xlsx", ".xlsm", ".xls"):
        return None, [Problem(name, None, None, "file_type", Msg(N_("Unsupported file type {suffix}: save the table as .csv or .xlsx."), suffix=suffix or "?"))]
    try:
        data = path.read_bytes()
    except OSError:
        return None, [Problem(name, None, None, "unreadable", Msg(N_("The file cannot be opened (it may be in use by another program, or access is denied): close it in other programs and try again.")))]
    try:
        # the content decides, not the name: a workbook saved as "budget.csv" is still read as a workbook
        # (an ".xls" that is really text, as some accounting programs export, is read as the table it is)
        kind = looks_like(data, suffix)
        rows = _read_xlsx(data) if kind == "xlsx" else _read_csv(data)
    except Unreadable as e:
        return None, [Problem(name, None, None, "file_type" if suffix == ".xls" else "unreadable", e.message)]
    if not rows:
        return None, [Problem(name, None, None, "empty", Msg(N_("The file is empty.")))]
    return Table(name, rows), []
