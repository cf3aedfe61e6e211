"""The agenda (options) to and from CSV or XLSX. A file with any bad row imports nothing; every problem is named
by file, row and column.

Columns (header row, any order): id, number, title_ky, title_ru, title_en, description_ky, description_ru,
description_en, cost (or cost_som), village, sector, proposer. Required: a title in at least one language and cost. ``number``
defaults to the row's place, ``id`` to the number. ``sector`` and ``proposer`` take a code (``water``) or its label
in any language (``Суу``, ``Вода``, ``Water``).
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any, Iterable, Sequence

from pbtools.budget.numbers import DASHES, NotANumber, TooLarge, parse_som
from pbtools.budget.table import Unreadable, decode_text, is_binary, looks_like, xlsx_rows
from pbtools.hearings.model import LABELS, PROPOSERS, SECTORS, Option
from pbtools.i18n import LANGS, N_, Msg, field_namer, gettext

COLUMNS = (
    "id", "number", "title_ky", "title_ru", "title_en", "description_ky", "description_ru", "description_en",
    "cost", "village", "sector", "proposer",
)

ALIASES = {"cost_som": "cost"}  # a header that names its unit
CODE_ALIASES = {"sport": "culture_sport", "culture": "culture_sport", "street_lighting": "lighting", "road": "roads"}


def _where(file: str, row: int, column: str, problem: Msg) -> Msg:
    return Msg(N_("{file}, row {row}, column {column}: {problem}"), file=file, row=row, column=column, problem=problem)


def parse_money(text: Any) -> Decimal | None:
    """Som written as people write them: "1 200 000", "1200000.50", "1 200 000,50", "1.200.000", a workbook's number;
    None if it is not an amount (empty or a dash too: an option's cost must be given). Text is read by the one money
    parser, ``pbtools.budget.numbers.parse_som``."""
    if isinstance(text, bool):
        return None  # an Excel TRUE/FALSE is no amount
    if isinstance(text, (int, Decimal, float)):
        value = Decimal(text) if not isinstance(text, float) else Decimal(str(text))
        return value if value.is_finite() else None  # NaN or infinity from a workbook cell
    text = str(text or "")
    if text.strip() in DASHES:
        return None
    try:
        return parse_som(text)
    except TooLarge as e:
        return e.value  # an amount: its range is the agenda's check (``checks.amount_problems``), saying the limit
    except NotANumber:
        return None


def _whole(value: Any) -> int | None:
    if isinstance(value, float) and value.is_integer():  # Excel keeps every number as a float
        return int(value)
    if isinstance(value, int):
        return value
    text = str(value).strip()
    # isdigit() also takes "²" or "١", which int() refuses: only ASCII digits are a number
    return int(text) if re.fullmatch(r"[0-9]+", text) else None


def _code(value: str, codes: Sequence[str]) -> str | None:
    wanted = value.strip().casefold()
    wanted = CODE_ALIASES.get(wanted, wanted)
    for code in codes:
        if wanted == code.casefold() or any(wanted == gettext(lang, LABELS[code]).casefold() for lang in LANGS):
            return code
    return None


def options_from_rows(rows: Iterable[Sequence[Any]], file: str = "") -> tuple[list[Option], list[Msg]]:
    """Options from a header row and data rows. Returns (options, []) or ([], problems)."""
    rows = iter(rows)
    header = [ALIASES.get(h, h) for h in (str(h or "").strip().lower() for h in next(rows, []))]
    problems: list[Msg] = []
    unknown = [h for h in header if h and h not in COLUMNS]
    for h in unknown:
        problems.append(Msg(N_("{file}: unknown column {column}"), file=file, column=h))
    if "cost" not in header:
        problems.append(Msg(N_("{file}: the column {column} is missing"), file=file, column="cost"))
    if not any(f"title_{lang}" in header for lang in LANGS):
        problems.append(Msg(N_("{file}: the column {column} is missing"), file=file, column="title_ky / title_ru / title_en"))
    if problems:
        return [], problems
    options: list[Option] = []
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[int, int] = {}
    place = 0
    for row_no, raw in enumerate(rows, start=2):
        cells = {h: ("" if v is None else v) for h, v in zip(header, raw) if h}
        if not any(str(v).strip() for v in cells.values()):
            continue  # blank line
        place += 1
        text = {h: str(v).strip() for h, v in cells.items()}
        titles = {lang: text[f"title_{lang}"] for lang in LANGS if text.get(f"title_{lang}")}
        if not titles:
            problems.append(_where(file, row_no, "title_ky", Msg(N_("no title in any language"))))
        number = place
        if text.get("number"):
            number = _whole(cells["number"])
            if number is None:
                problems.append(_where(file, row_no, "number", Msg(N_("{value} is not a whole number"), value=text["number"])))
        if number in seen_numbers:
            problems.append(_where(file, row_no, "number", Msg(N_("number {value} is already used in row {other}"), value=number, other=seen_numbers[number])))
        seen_numbers.setdefault(number, row_no)
        option_id = text.get("id") or str(number)
        if option_id in seen_ids:
            problems.append(_where(file, row_no, "id", Msg(N_("id {value} is already used in row {other}"), value=option_id, other=seen_ids[option_id])))
        seen_ids.setdefault(option_id, row_no)
        cost = parse_money(cells.get("cost", ""))
        if cost is None:
            problems.append(_where(file, row_no, "cost", Msg(N_("{value} is not an amount in som"), value=text.get("cost", ""))))
        elif cost < 0:
            problems.append(_where(file, row_no, "cost", Msg(N_("the cost cannot be negative ({value})"), value=text["cost"])))
        sector = _code(text.get("sector") or "other", SECTORS)
        if sector is None:
            problems.append(_where(file, row_no, "sector", Msg(N_("unknown sector {value}"), value=text["sector"])))
        proposer = _code(text.get("proposer") or "citizens", PROPOSERS)
        if proposer is None:
            problems.append(_where(file, row_no, "proposer", Msg(N_("unknown proposer {value}"), value=text["proposer"])))
        if titles and cost is not None and cost >= 0 and sector and proposer:
            descriptions = {lang: text[f"description_{lang}"] for lang in LANGS if text.get(f"description_{lang}")}
            options.append(Option(option_id, number, titles, cost, descriptions, text.get("village", ""), sector, proposer))
    return ([], problems) if problems else (options, [])


FORM_FIELDS = {"number": N_("Number"), "title": N_("Title"), "cost": N_("Cost, som")}


_in_field = field_namer(FORM_FIELDS)


def option_from_form(number: Any, titles: dict[str, str], cost: Any, village: str = "", sector: str = "other",
                     proposer: str = "citizens", taken_ids: Iterable[str] = ()) -> tuple[Option | None, list[Msg]]:
    """One option typed by hand (number, titles by language, cost in som as people write it): (option, []) or
    (None, problems naming the field). Its id is the number, or a free one after it when ``taken_ids`` has it
    (an imported file may use ids that are numbers); numbers already on the agenda are the store's check."""
    problems: list[Msg] = []
    whole = _whole(number)
    if whole is None or whole < 1:
        problems.append(_in_field("number", Msg(N_("{value} is not a whole number"), value=str(number).strip())))
    titles = {lang: t.strip() for lang, t in titles.items() if lang in LANGS and t and t.strip()}
    if not titles:
        problems.append(_in_field("title", Msg(N_("no title in any language"))))
    amount = parse_money(cost)
    if amount is None:
        problems.append(_in_field("cost", Msg(N_("{value} is not an amount in som"), value=str(cost).strip())))
    elif amount < 0:
        problems.append(_in_field("cost", Msg(N_("the cost cannot be negative ({value})"), value=str(cost).strip())))
    if problems:
        return None, problems
    taken = set(taken_ids)
    option_id = next(i for i in (str(whole), *(f"{whole}-{k}" for k in range(1, len(taken) + 2))) if i not in taken)
    return Option(option_id, whole, titles, amount, {}, village.strip(), sector, proposer), []


def _delimiter(text: str) -> str:
    # the header row comes first and holds no free text: the separator it uses most is the file's
    header = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=header.count)


def read_agenda(path: Path | str) -> tuple[list[Option], list[Msg]]:
    """Options from a .csv (UTF-8 or Windows-1251; comma, semicolon or tab) or .xlsx file: (options, []) or
    ([], problems). The content decides, not the name; a file that is no table gets a sentence saying what it looks
    like and what to do, never a Python message."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError:
        return [], [Msg(N_("{file} cannot be read: {error}"), file=path.name, error=Msg(N_("The file cannot be opened (it may be in use by another program, or access is denied): close it in other programs and try again.")))]
    try:
        if looks_like(data, path.suffix.lower()) == "xlsx":
            rows: list[Sequence[Any]] = [values for _, values in xlsx_rows(data)]
        else:
            text = decode_text(data)
            if is_binary(text):
                raise Unreadable(Msg(N_("The file does not look like a text table (CSV): it holds binary data, perhaps a document or a workbook renamed. Please {what}"),
                                     what=Msg(N_("open it in Excel or LibreOffice and save the table as .xlsx (Excel workbook) or as CSV."))))
            rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    except Unreadable as exc:
        return [], [Msg(N_("{file} cannot be read: {error}"), file=path.name, error=exc.message)]
    except csv.Error:  # a quote never closed swallowed the rest of the file into one cell
        return [], [Msg(N_("{file} cannot be read: {error}"), file=path.name, error=Msg(N_("A quote mark («\"») is not closed, or a cell is far too long: check the file, or save it again from Excel or LibreOffice.")))]
    return options_from_rows(rows, path.name)


def _row(option: Option) -> list[Any]:
    return [
        option.id, option.number,
        *(option.titles.get(lang, "") for lang in LANGS),
        *(option.descriptions.get(lang, "") for lang in LANGS),
        str(option.cost), option.village, option.sector, option.proposer,
    ]


def write_agenda(options: Sequence[Option], path: Path | str) -> Path:
    """Write the options to .csv (UTF-8) or .xlsx, in the columns ``read_agenda`` reads back."""
    path = Path(path)
    rows = [list(COLUMNS)] + [_row(o) for o in sorted(options, key=lambda o: o.number)]
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook  # measured: +0.26 s on import; only an .xlsx needs it

        book = Workbook()
        sheet = book.active
        sheet.title = "agenda"
        for row in rows:
            sheet.append(row)
        book.save(path)
    else:
        with path.open("w", encoding="utf-8", newline="") as f:
            csv.writer(f).writerows(rows)
    return path
