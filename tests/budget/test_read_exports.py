"""Budget files as accounting programs export them: no title (so no year, no unit), a kind column named in many
ways, headers without a year. The user says what the file does not (``year=``, ``unit=``, ``roles=``)."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pbtools.budget.read import inspect_budget, read_budget
from tests.budget.builders import ACT25, LINES, PLAN26, export_rows, row_of, write_csv, write_xlsx


def expected_lines(executed: bool = True):
    return {(l.side, l.code, l.group, l.amounts[PLAN26], l.amounts[ACT25] if executed else None) for l in LINES}


def read_lines(budget, executed: bool = True):
    return {(l.side, l.code, l.group, l.planned[budget.year], l.executed.get(budget.year) if executed else None) for l in budget.lines}


@pytest.mark.parametrize("lang, kind", [("ru", "Вид"), ("ru", "Вид дохода/расхода"), ("ru", "Тип"), ("ru", "Раздел"),
                                        ("en", "Kind"), ("en", "Type"), ("en", "Section"), ("ky", "Түрү"), ("ky", "Туру"), ("ky", "Бөлүм")])
def test_kind_column_is_recognised_and_the_year_and_unit_are_asked(tmp_path, lang, kind):
    path = write_csv(tmp_path / "export.csv", export_rows(lang, kind))
    found = inspect_budget(path)
    assert found.budget is None
    assert found.needs == ("year", "unit")
    assert {(p.kind, p.column) for p in found.problems if p.is_error} == {("no_year", c) for c in export_rows(lang, kind)[0][3:]}
    assert found.reading.columns[1].role == "side"  # the kind column was understood: no side problem
    budget, problems = read_budget(path, year=2026, unit=1000)
    assert budget is not None, [p.render("en") for p in problems]
    assert not problems  # with the unit given, nothing to warn about
    assert budget.year == 2026 and read_lines(budget) == expected_lines()


def test_xlsx_export_with_the_year_given(tmp_path):
    path = write_xlsx(tmp_path / "export.xlsx", export_rows("en", "Kind"))
    budget, _ = read_budget(path, year=2026, unit=D(1000))
    assert budget is not None and read_lines(budget) == expected_lines()


def test_a_row_with_missing_amount_is_an_error_naming_the_row(tmp_path):
    table = export_rows("ru", "Вид")
    r = row_of(table, "1422") - 1
    table[r][3] = ""  # the plan of the pasture fee is missing: it used to count as nothing
    path = write_csv(tmp_path / "export.csv", table)
    budget, problems = read_budget(path, year=2026, unit=1000)
    assert budget is None
    assert [(p.kind, p.row, p.column) for p in problems if p.is_error] == [("missing_amount", r + 1, "План")]
    text = next(p for p in problems if p.kind == "missing_amount").render("ky")
    assert "1422" in text and str(r + 1) in text and "План" in text


def test_a_dash_is_a_planned_zero_not_a_missing_amount(tmp_path):
    table = export_rows("ru", "Вид")
    table[row_of(table, "1422") - 1][3] = "-"
    budget, problems = read_budget(write_csv(tmp_path / "e.csv", table), year=2026, unit=1000)
    assert budget is not None and next(l for l in budget.lines if l.code == "1422").planned == {2026: D(0)}


def test_a_table_without_plan_column_is_an_error_naming_the_columns(tmp_path):
    path = write_csv(tmp_path / "export.csv", export_rows("ru", "Вид", plan=False))
    budget, problems = read_budget(path, year=2026, unit=1000)
    assert budget is None
    (problem,) = [p for p in problems if p.is_error]
    assert (problem.kind, problem.row) == ("no_plan_column", 1)
    assert "«Исполнение»" in problem.render("ru") and "План" in problem.render("ru")
    assert "columns" in inspect_budget(path, year=2026, unit=1000).needs
    # the user says the column is the plan: then it reads
    roles = {0: "code", 1: "side", 2: "name", 3: "plan"}
    budget, _ = read_budget(path, year=2026, unit=1000, roles=roles)
    assert budget is not None and budget.total("revenue", 2026) == sum((l.amounts[ACT25] for l in LINES if l.side == "revenue"), D(0))


def test_every_problem_of_a_file_is_reported_at_once(tmp_path):
    table = export_rows("ru", "Вид")
    table[row_of(table, "1111") - 1][3] = "12a5"  # a cell that is no number
    table.insert(row_of(table, "1121"), list(table[row_of(table, "1121") - 1]))  # a duplicate code
    table[row_of(table, "710") - 1][3] = ""  # a missing amount (checked once the year is known)
    path = write_csv(tmp_path / "export.csv", table)
    kinds = {p.kind for p in read_budget(path)[1] if p.is_error}
    assert kinds == {"no_year", "not_a_number", "duplicate_code"}  # no year: the header and the rows, together
    kinds = {p.kind for p in read_budget(path, year=2026, unit=1000)[1] if p.is_error}
    assert kinds == {"not_a_number", "duplicate_code", "missing_amount"}


def test_a_given_unit_that_contradicts_the_file_is_an_error(tmp_path):
    table = [["тыс. сом"], *export_rows("ru", "Вид")]
    path = write_csv(tmp_path / "export.csv", table)
    assert read_budget(path, year=2026, unit=1000)[0] is not None
    budget, problems = read_budget(path, year=2026, unit=1)
    assert budget is None and "unit_conflict" in {p.kind for p in problems}


def test_a_given_year_the_file_does_not_plan_is_an_error(tmp_path):
    table = export_rows("ru", "Вид")
    table[0][3:5] = ["План 2026", "Исполнение 2025"]
    path = write_csv(tmp_path / "export.csv", table)
    assert read_budget(path, unit=1000)[0].year == 2026
    assert read_budget(path, year=2026, unit=1000)[0].year == 2026
    budget, problems = read_budget(path, year=2027, unit=1000)
    assert budget is None and [p.kind for p in problems if p.is_error] == ["year_not_in_file"]
    assert "2026" in problems[0].render("ru")


def test_the_reading_says_where_year_and_unit_came_from(tmp_path):
    table = [["Бюджет на 2026 год, тыс. сом"], *export_rows("ru", "Вид")]
    reading = inspect_budget(write_csv(tmp_path / "e.csv", table)).reading
    assert (reading.year, reading.year_source, reading.unit, reading.unit_source) == (2026, "title", 1000, "stated")
    reading = inspect_budget(write_csv(tmp_path / "f.csv", export_rows("ru", "Вид")), year=2026, unit=1000).reading
    assert (reading.year_source, reading.unit_source) == ("given", "given")
