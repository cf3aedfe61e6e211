"""Files that are not what their name says, or cannot be read: a sentence in the user's language saying what the
file looks like and what to do, never a Python message ("'charmap' codec can't decode...", "File is not a zip
file"). Files that are readable whatever their name or encoding are read."""

from __future__ import annotations

import io
import re
from decimal import Decimal as D

import pytest

from pbtools.budget.read import read_budget
from tests.budget.builders import Variant, row_of, rows, write_csv, write_xlsx

PYTHON_WORDS = re.compile(r"codec|decode|zip file|Errno|Traceback|[A-Za-z]+Error\b|Exception|byte 0x")


def reference(tmp_path):
    return read_budget(write_csv(tmp_path / "ref.csv", rows(Variant(lang="ru"))))[0]


def sample_xlsx(tmp_path) -> bytes:
    return write_xlsx(tmp_path / "ref.xlsx", rows(Variant(lang="ru"))).read_bytes()


def cases(tmp_path):
    text = write_csv(tmp_path / "t.csv", rows(Variant(lang="ru")), encoding="cp1251").read_bytes()
    xlsx = sample_xlsx(tmp_path)
    return {
        # byte 0x98 is the one byte Windows-1251 leaves undefined: once "'charmap' codec can't decode byte 0x98"
        "undefined_byte": ("b.csv", text.replace("ДОХОДЫ".encode("cp1251"), b"\x98\x98") + b"\x98", "UTF-8"),
        "truncated_xlsx": ("b.xlsx", xlsx[: len(xlsx) // 2], "Excel"),  # once "File is not a zip file"
        "zip_not_workbook": ("b.xlsx", _zip(), "Excel"),
        "binary_named_csv": ("b.csv", bytes(range(256)) * 40, "CSV"),
        "binary_named_xlsx": ("b.xlsx", b"\x01\x02\x03" * 500, "Excel"),
        "old_xls": ("b.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, ".xls"),
        "html_named_xls": ("b.xls", b"<html><body><table><tr><td>1</td></tr></table></body></html>", "HTML"),
        "pdf_named_csv": ("b.csv", b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj", "PDF"),
    }


def _zip() -> bytes:
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        z.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


@pytest.mark.parametrize("case", ["undefined_byte", "truncated_xlsx", "zip_not_workbook", "binary_named_csv",
                                  "binary_named_xlsx", "old_xls", "html_named_xls", "pdf_named_csv"])
def test_unreadable_file_is_explained_in_each_language(tmp_path, case):
    name, content, word = cases(tmp_path)[case]
    path = tmp_path / name
    path.write_bytes(content)
    budget, problems = read_budget(path)
    assert budget is None and len(problems) == 1 and problems[0].is_error
    texts = {lang: problems[0].render(lang) for lang in ("ky", "ru", "en")}
    for lang, text in texts.items():
        assert not PYTHON_WORDS.search(text), (lang, text)
        assert name in text and word in text and ("xlsx" in text or "PDF" in text)  # what to do: save as .xlsx / CSV
    assert len(set(texts.values())) == 3  # translated, not the English three times
    assert re.search("[өүң]", texts["ky"])


@pytest.mark.parametrize("encoding", ["cp1251", "utf-8", "utf-8-sig", "utf-16"])
def test_csv_in_every_encoding_excel_writes_is_read(tmp_path, encoding):
    # utf-16 with a byte order mark and tabs is Excel's "Unicode text"
    delimiter = "\t" if encoding == "utf-16" else ";"
    path = write_csv(tmp_path / "b.csv", rows(Variant(lang="ru")), encoding=encoding, delimiter=delimiter)
    budget, problems = read_budget(path)
    assert budget is not None, [p.render("en") for p in problems]
    assert budget.lines == reference(tmp_path).lines


def test_a_workbook_named_csv_is_read_as_the_workbook(tmp_path):
    path = tmp_path / "budget.csv"
    path.write_bytes(sample_xlsx(tmp_path))
    budget, _ = read_budget(path)
    assert budget is not None and budget.lines == reference(tmp_path).lines


def test_a_text_table_named_xls_is_read(tmp_path):
    # accounting programs export text tables under an .xls name
    path = tmp_path / "budget.xls"
    path.write_bytes(write_csv(tmp_path / "t.csv", rows(Variant(lang="ru")), encoding="cp1251").read_bytes())
    budget, _ = read_budget(path)
    assert budget is not None and budget.lines == reference(tmp_path).lines


@pytest.mark.parametrize("kind, value", [("csv", "9" * 400), ("csv", "1 000 000 000 000 000"), ("xlsx", D("1e300")), ("xlsx", D("1e15")),
                                         ("csv", "10 000 000 000 001"), ("xlsx", D("10000000000000.01"))])
def test_absurd_amounts_are_refused_saying_the_most_taken(tmp_path, kind, value):
    """Found by benchmarks/fuzz_readers.py: a 400-digit amount crashed the message that quoted it. A budget file
    takes what a hearing's form takes, at most ``MAX_SOM`` (it took up to 10^15 while a hearing took 10^13)."""
    from pbtools.budget.numbers import MAX_SOM
    from tests.budget.builders import row_of

    table = rows(Variant(lang="en", style=None if kind == "xlsx" else str))
    r = row_of(table, "1121") - 1
    table[r][2] = value
    path = write_xlsx(tmp_path / "b.xlsx", table) if kind == "xlsx" else write_csv(tmp_path / "b.csv", table)
    budget, problems = read_budget(path)
    assert budget is None
    found = [p for p in problems if (p.kind, p.row, p.column) == ("too_large", r + 1, "Plan 2025")]
    assert found, [(p.kind, p.row, p.column) for p in problems]
    for lang in ("ky", "ru", "en"):
        assert "10 000 000 000 000" in found[0].render(lang) and f"{MAX_SOM:,.0f}".replace(",", " ") == "10 000 000 000 000"
    for p in problems:
        for lang in ("ky", "ru", "en"):
            p.render(lang)  # every message can be shown



@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_problem_names_the_row_a_spreadsheet_shows(tmp_path, kind):
    """Excel and LibreOffice show a CSV record as one row even when a quoted cell spans lines (a header or a name
    typed with Alt+Enter), and a blank line as an empty row: a message once named the text line (one too many per
    line break above the cell), so the user looked at the wrong row."""
    from openpyxl import load_workbook

    table = rows(Variant(lang="en"))
    table[row_of(table, "Code") - 1][2] = "Plan\n2025"  # a header cell on two lines
    table[row_of(table, "1111") - 1][1] = "Income\ntax"  # and a name
    table.insert(row_of(table, "1121") - 1, [])  # a blank line between two lines
    table[row_of(table, "1121") - 1][3] = "abc"
    path = write_xlsx(tmp_path / "b.xlsx", table) if kind == "xlsx" else write_csv(tmp_path / "b.csv", table)
    # the row a spreadsheet shows: the workbook's own row of the cell (openpyxl reads it as Excel wrote it)
    sheet = load_workbook(write_xlsx(tmp_path / "shown.xlsx", table)).active
    shown = next(c.row for r in sheet.iter_rows() for c in r if c.value == "abc")
    _, problems = read_budget(path)
    assert [(p.kind, p.row, p.column) for p in problems if p.is_error] == [("not_a_number", shown, "Actual 2025")]
    assert [p.row for p in problems if p.kind == "not_a_number"] == [row_of(table, "1121")]


def test_a_quote_left_open_names_the_row_a_spreadsheet_shows(tmp_path):
    table = rows(Variant(lang="en"))
    table[row_of(table, "1111") - 1][1] = "Income\ntax"  # one record on two lines above the open quote
    path = write_csv(tmp_path / "b.csv", table)
    path.write_text(path.read_text(encoding="utf-8").replace("Land tax", '"Land tax' + "x" * 200_000), encoding="utf-8")
    _, problems = read_budget(path)
    (problem,) = problems
    assert f" {row_of(table, '1121')} " in problem.render("en"), problem.render("en")
