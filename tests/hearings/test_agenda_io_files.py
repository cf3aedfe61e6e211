"""Agenda files that are not clean tables (found by benchmarks/fuzz_readers.py): the reader answers with a sentence
in each language, never a traceback ("Could not determine delimiter") or a Python message ("File is not a zip
file"); agenda files in Windows-1251 or with tabs are read."""

from __future__ import annotations

import re

import pytest

from pbtools.demo import SAMPLE_DIR
from pbtools.hearings.agenda_io import read_agenda, write_agenda

PYTHON_WORDS = re.compile(r"codec|decode|zip file|Errno|Traceback|[A-Za-z]+Error\b|Exception|delimiter|byte 0x")
SAMPLE = SAMPLE_DIR / "projects.csv"


@pytest.mark.parametrize("name, content", [
    ("a.txt", b")"),  # once: csv.Error "Could not determine delimiter"
    ("a.csv", b""),
    ("a.xlsx", b""),  # once: "a.xlsx cannot be read: File is not a zip file"
    ("a.xlsx", b"PK\x03\x04" + b"\x00" * 50),
    ("a.csv", bytes(range(256)) * 20),
    ("a.csv", "title_ru,cost\nВода,100\n".encode("cp1251") + b"\x98"),
    ("a.csv", b"%PDF-1.4\n1 0 obj"),
])
def test_unreadable_agenda_is_explained(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    options, problems = read_agenda(path)
    assert options == [] and problems
    for lang in ("ky", "ru", "en"):
        text = " ".join(p.render(lang) for p in problems)
        assert name in text and not PYTHON_WORDS.search(text), text


@pytest.mark.parametrize("encoding, delimiter", [("cp1251", ";"), ("utf-8", "\t"), ("utf-16", "\t")])
def test_agenda_in_the_encodings_excel_writes(tmp_path, encoding, delimiter):
    import csv
    import io

    expected, _ = read_agenda(SAMPLE)
    text = SAMPLE.read_text(encoding="utf-8").translate(str.maketrans("өүңӨҮҢ", "оунОУН"))  # cp1251 has no ө ү ң
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(csv.reader(io.StringIO(text)))
    path = tmp_path / "agenda.csv"
    path.write_bytes(buffer.getvalue().encode(encoding))
    options, problems = read_agenda(path)
    assert not problems and [(o.id, o.cost) for o in options] == [(o.id, o.cost) for o in expected]


def test_workbook_named_csv_is_read(tmp_path):
    expected, _ = read_agenda(SAMPLE)
    book = write_agenda(expected, tmp_path / "agenda.xlsx")
    path = tmp_path / "agenda.csv"
    path.write_bytes(book.read_bytes())
    options, problems = read_agenda(path)
    assert not problems and options == expected


def test_odd_cells_from_a_workbook_are_problems_not_crashes():
    """Found by benchmarks/fuzz_readers.py: a NaN cost (a workbook cell) and a number written "²"."""
    from pbtools.hearings.agenda_io import options_from_rows

    options, problems = options_from_rows([["title_en", "cost", "number"], ["Water", float("nan"), "1"], ["Road", "100", "²"]], "a.xlsx")
    assert options == []
    texts = [p.render("en") for p in problems]
    assert any("row 2" in t and "cost" in t for t in texts) and any("row 3" in t and "number" in t for t in texts)
