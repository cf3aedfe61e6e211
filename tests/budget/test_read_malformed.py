"""Malformed budget files: each gives a clear error naming the row and column, and no budget."""

from __future__ import annotations

import hashlib
from decimal import Decimal as D
from pathlib import Path

import pytest

from pbtools.budget.read import read_budget
from pbtools.cli import main
from tests.budget.builders import Variant, plain, row_of, rows, write_csv, write_xlsx

HEADER_ROW_EN = 3  # title, blank line, header (Variant(lang="en") with a title)


def base(**kw) -> list[list[object]]:
    return rows(Variant(lang="en", **kw))


def replace(table, first_cell: str, column: int, value: object, column_of_key: int = 0):
    r = row_of(table, first_cell, column_of_key) - 1
    table[r] = list(table[r])
    table[r][column] = value
    return table


def _wrong_revenue_total(t):
    r = row_of(t, "Total revenue", 1) - 1
    t[r] = [*t[r][:4], plain(D(t[r][4]) + 100)]
    return t


def case_total_mismatch_csv():
    t = _wrong_revenue_total(base())
    return t, "csv", "total_mismatch", row_of(t, "Total revenue", 1), "Plan 2026"


def case_total_mismatch_xlsx():
    t = _wrong_revenue_total(base())
    return t, "xlsx", "total_mismatch", row_of(t, "Total revenue", 1), "Plan 2026"


def case_subtotal_heading_mismatch():
    t = base(subtotals=True)
    r = row_of(t, "Own revenues", 1) - 1
    t[r] = [*t[r][:2], plain(D(t[r][2]) - 1), *t[r][3:]]
    return t, "csv", "total_mismatch", r + 1, "Plan 2025"


def case_parent_code_mismatch():
    t = base(subtotals=True)
    r = row_of(t, "709") - 1
    t[r] = [*t[r][:3], plain(D(t[r][3]) + 5), t[r][4]]
    return t, "csv", "total_mismatch", r + 1, "Actual 2025"


def case_not_a_number():
    t = replace(base(), "1121", 2, "12a5")
    return t, "csv", "not_a_number", row_of(t, "1121"), "Plan 2025"


def case_not_a_number_xlsx():
    t = replace(base(), "1111", 4, "n/a")
    return t, "xlsx", "not_a_number", row_of(t, "1111"), "Plan 2026"


def case_bad_digit_grouping():
    t = replace(base(), "701", 4, "2 29 000")
    return t, "csv", "not_a_number", row_of(t, "701"), "Plan 2026"


def case_negative_plan():
    t = base(totals=False)
    t = replace(t, "1422", 4, "-405500")
    return t, "csv", "negative_amount", row_of(t, "1422"), "Plan 2026"


def case_negative_spending():
    t = replace(base(totals=False), "710", 3, "(496900)")
    return t, "csv", "negative_amount", row_of(t, "710"), "Actual 2025"


def case_duplicate_code():
    t = base(totals=False)
    r = row_of(t, "1121")
    t.insert(r, list(t[r - 1]))
    return t, "csv", "duplicate_code", r + 1, "Code"


def _drop_column(t, header: str):
    i = t[HEADER_ROW_EN - 1].index(header)
    return [[c for j, c in enumerate(r) if j != i] for r in t]


def case_missing_code_column():
    t = _drop_column(base(), "Code")
    return t, "csv", "missing_column", HEADER_ROW_EN, None


def case_missing_name_column():
    t = _drop_column(base(), "Name")
    return t, "csv", "missing_column", HEADER_ROW_EN, None


def case_missing_amount_columns():
    t = [r[:2] for r in base()]
    return t, "csv", "missing_column", HEADER_ROW_EN, None


def case_mixed_units_title_and_column():
    t = base(unit=D(1000))  # title says thousand som
    header = row_of(t, "Code")
    t[header - 1] = [*t[header - 1][:4], "Plan 2026, som"]
    return t, "csv", "mixed_units", header, "Plan 2026, som"


def case_mixed_units_between_columns():
    t = base(title=False)
    t[0] = ["Code", "Name", "Plan 2025 (thousand som)", "Actual 2025", "Plan 2026 (som)"]
    return t, "csv", "mixed_units", 1, "Plan 2026 (som)"


def case_mixed_decimal_marks():
    t = base(unit=D(1000), style=lambda x: plain(x).replace(".", ","))
    t = replace(t, "701", 2, "2150.8")
    return t, "csv", "mixed_decimal_marks", row_of(t, "701"), "Plan 2025"


def case_no_year():
    t = base(title=False)
    t[0] = ["Code", "Name", "Plan", "Actual", "Forecast"]
    return t, "csv", "no_year", 1, "Plan"


def case_duplicate_column():
    t = base(title=False)
    t[0] = ["Code", "Name", "Plan 2025", "Actual 2025", "Plan 2025"]
    return t, "csv", "duplicate_column", 1, "Plan 2025"


def case_too_many_years():
    t = base(title=False)
    t[0] = ["Code", "Name", "Plan 2026", "Actual 2025", "Plan 2029"]
    return t, "csv", "too_many_years", 1, "Plan 2029"


def case_only_forecasts_no_plan_for_the_year():
    t = base(title=False)
    t[0] = ["Code", "Name", "Actual 2025", "Forecast 2027", "Forecast 2028"]
    return t, "csv", "no_plan_year", 1, "Forecast 2027"


def case_forecast_before_the_budget_year():
    t = base(title=False)
    t[0] = ["Code", "Name", "Plan 2026", "Actual 2025", "Forecast 2025"]
    return t, "csv", "forecast_not_after", 1, "Forecast 2025"


def case_future_execution():
    t = base(title=False)
    t[0] = ["Code", "Name", "Plan 2025", "Actual 2027", "Plan 2026"]
    return t, "csv", "future_execution", 1, "Actual 2027"


def case_line_before_any_section():
    t = base(title=False, totals=False)
    del t[1]  # the REVENUE heading
    return t, "csv", "no_side", 2, "Code"


def case_total_before_any_section():
    # the total's cell is its name: the message names that column, not only the row
    t = [["Code", "Name", "Plan 2026, som"], ["", "Total", "100"], ["", "Revenue"], ["1311", "Equalisation grant", "100"]]
    return t, "csv", "no_side", 2, "Name"


def case_bad_side_value():
    t = [["Code", "Side", "Name", "Plan 2026, som"], ["1311", "Grant", "Equalisation grant", "100"]]
    return t, "csv", "bad_side", 2, "Side"


def case_bad_group_value():
    t = [["Code", "Group", "Name", "Plan 2026, som"], ["", "", "Revenue"], ["1311", "zzz", "Equalisation grant", "100"]]
    return t, "csv", "bad_group", 3, "Group"


def case_expenditure_without_function():
    t = base(totals=False)
    r = row_of(t, "EXPENDITURE", 1)
    t.insert(r, ["2111", "Wages", "1", "1", "1"])
    return t, "csv", "no_function", r + 1, "Code"


def case_amounts_without_code():
    t = base(totals=False)
    r = row_of(t, "1121")
    t.insert(r, ["", "Something", "10", "10", "10"])
    return t, "csv", "missing_code", r + 1, "Code"


def case_line_without_name():
    t = replace(base(totals=False), "1422", 1, "")
    return t, "csv", "missing_name", row_of(t, "1422"), "Name"


CASES = {name[5:]: fn for name, fn in sorted(globals().items()) if name.startswith("case_")}


def build(tmp_path: Path, case: str):
    table, kind, expected_kind, row, column = CASES[case]()
    path = write_xlsx(tmp_path / "budget.xlsx", table) if kind == "xlsx" else write_csv(tmp_path / "budget.csv", table)
    return path, expected_kind, row, column


def test_there_are_enough_cases():
    assert len(CASES) >= 20


@pytest.mark.parametrize("case", sorted(CASES))
def test_malformed_file_is_rejected_with_where(tmp_path, case):
    path, kind, row, column = build(tmp_path, case)
    budget, problems = read_budget(path)
    assert budget is None
    found = [(p.kind, p.row, p.column) for p in problems if p.is_error]
    assert (kind, row, column) in found, found
    match = next(p for p in problems if (p.kind, p.row, p.column) == (kind, row, column))
    for lang in ("ky", "ru", "en"):
        text = match.render(lang)
        assert path.name in text and (column is None or column in text) and str(row) in text


def test_total_mismatch_reports_the_difference(tmp_path):
    path, *_ = build(tmp_path, "total_mismatch_csv")
    problem = next(p for p in read_budget(path)[1] if p.kind == "total_mismatch")
    assert "(difference 100)" in problem.render("en")
    assert "разница 100" in problem.render("ru")


@pytest.mark.parametrize("content, suffix, kind", [
    (b"", ".csv", "empty"),
    (b"PK\x03\x04 not really a workbook", ".xlsx", "unreadable"),
    (b"\xd0\xcf\x11\xe0", ".xls", "file_type"),
    ("Просто текст\nбез таблицы\n".encode(), ".csv", "no_header"),
])
def test_unreadable_files(tmp_path, content, suffix, kind):
    path = tmp_path / f"budget{suffix}"
    path.write_bytes(content)
    budget, problems = read_budget(path)
    assert budget is None and [p.kind for p in problems] == [kind]


def test_missing_file(tmp_path):
    budget, problems = read_budget(tmp_path / "nope.csv")
    assert budget is None and problems[0].kind == "file_not_found"


def snapshot(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("case", sorted(CASES))
def test_import_of_malformed_file_changes_nothing(tmp_path, case, capsys):
    path, *_ = build(tmp_path, case)
    workspace = tmp_path / "ws"
    workspace.mkdir()
    (workspace / "keep.txt").write_text("already here")
    before = snapshot(workspace)
    assert main(["budget", "import", str(path), "--workspace", str(workspace), "--lang", "ru"]) == 1
    assert snapshot(workspace) == before
    assert "ничего не сохранено" in capsys.readouterr().err
