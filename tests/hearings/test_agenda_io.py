"""Agenda import and export: CSV and XLSX round trips; a bad file is refused whole, each problem named."""

from __future__ import annotations

from decimal import Decimal

import pytest
from openpyxl import Workbook

from pbtools.hearings.agenda_io import read_agenda, write_agenda
from tests.hearings.helpers import agenda


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_round_trip(tmp_path, suffix):
    options = list(agenda().values())
    path = write_agenda(options, tmp_path / f"agenda{suffix}")
    read, problems = read_agenda(path)
    assert problems == []
    assert read == options


def test_people_write_money_and_labels_their_way(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text(
        "title_ky;title_ru;cost;sector;proposer\n"
        "Суу түтүгү;Водопровод;1 450 000;Суу;Демилгелүү топ\n"
        "Жарык;Освещение;620000,50 сом;Уличное освещение;council\n",
        encoding="utf-8",
    )
    options, problems = read_agenda(path)
    assert problems == []
    assert [(o.id, o.number, o.cost, o.sector, o.proposer) for o in options] == [
        ("1", 1, Decimal("1450000"), "water", "initiative_group"),
        ("2", 2, Decimal("620000.50"), "lighting", "council"),
    ]


def test_bad_rows_import_nothing_and_are_named(tmp_path):
    book = Workbook()
    sheet = book.active
    for row in (
        ["id", "number", "title_en", "cost", "sector"],
        ["A", 1, "Water pipe", 1000, "water"],
        ["B", 2, "", 500, "roads"],
        ["C", 2, "Lamps", "a lot", "lighting"],
        ["A", 4, "Bins", -5, "rubbish"],
    ):
        sheet.append(row)
    path = tmp_path / "agenda.xlsx"
    book.save(path)
    options, problems = read_agenda(path)
    assert options == []
    text = [p.render("en") for p in problems]
    for expected in (
        "agenda.xlsx, row 3, column title_ky: no title in any language",
        "agenda.xlsx, row 4, column number: number 2 is already used in row 3",
        "agenda.xlsx, row 4, column cost: a lot is not an amount in som",
        "agenda.xlsx, row 5, column id: id A is already used in row 2",
        "agenda.xlsx, row 5, column cost: the cost cannot be negative (-5)",
        "agenda.xlsx, row 5, column sector: unknown sector rubbish",
    ):
        assert expected in text, text
    assert "строка 5, столбец sector" in problems[-1].render("ru")


def test_missing_columns_and_unreadable_files(tmp_path):
    path = tmp_path / "a.csv"
    path.write_text("name,price\nx,1\n", encoding="utf-8")
    _, problems = read_agenda(path)
    text = " | ".join(p.render("en") for p in problems)
    assert "unknown column name" in text and "the column cost is missing" in text
    bad = tmp_path / "b.xlsx"
    bad.write_bytes(b"not a workbook")
    options, problems = read_agenda(bad)
    assert options == [] and "b.xlsx cannot be read" in problems[0].render("en")


def test_one_bad_row_is_named_alone(tmp_path):
    # numbers default to the row's place, so a bad row does not shift the numbers of the rows after it
    path = tmp_path / "a.csv"
    path.write_text("id,title_en,cost_som,sector\nA,Pipe,100,water\nB,Gym,200,gym\nC,Lamps,300,sport\n", encoding="utf-8")
    _, problems = read_agenda(path)
    assert [p.render("en") for p in problems] == ["a.csv, row 3, column sector: unknown sector gym"]
    path.write_text("id,title_en,cost_som,sector\nA,Pipe,100,water\nB,Gym,200,sport\n", encoding="utf-8")
    options, problems = read_agenda(path)
    assert problems == [] and [(o.number, o.sector, o.cost) for o in options] == [(1, "water", 100), (2, "culture_sport", 200)]
