"""Rules of docs/budget-format.md not covered by the variant tests: group totals, balance rows, function
headings, economic codes repeated under functions, refunds, and the municipality files."""

from __future__ import annotations

from decimal import Decimal as D

import pytest

from pbtools.budget.municipality import MunicipalityError, read_municipality
from pbtools.budget.read import read_budget
from tests.budget.builders import write_csv

HEADER = ["Код", "Статья", "План 2026, сом", "Исполнение 2025, сом", "План 2025, сом"]


def read(tmp_path, body):
    return read_budget(write_csv(tmp_path / "b.csv", [HEADER, *body]))


def test_group_total_balance_row_function_headings_and_repeated_economic_codes(tmp_path):
    budget, problems = read(tmp_path, [
        ["", "Доходы"],
        ["1121", "Земельный налог", "300", "250", "260"],
        ["1141", "Единый налог", "100", "90", "95"],
        ["", "Итого собственных доходов", "400", "340", "355"],
        ["1311", "Выравнивающий грант", "600", "600", "600"],
        ["", "Всего доходов", "1000", "940", "955"],
        ["", "Расходы"],
        ["", "Образование"],  # a function heading without code: the lines below are education
        ["2111", "Заработная плата", "500", "480", "470"],
        ["2212", "Коммунальные услуги", "200", "190", "200"],
        ["710", "Социальная защита", "300", "280", "285"],
        ["2111", "Заработная плата", "300", "280", "285"],  # the same economic code, under 710
        ["", "Итого расходов", "1000", "950", "955"],
        ["", "Профицит (дефицит)", "0", "-10", "0"],
    ])
    assert budget is not None, [p.render("ru") for p in problems]
    groups = {(l.code, l.group) for l in budget.expenditure()}
    assert groups == {("2111", "709"), ("2212", "709"), ("2111", "710")}
    assert budget.total("expenditure", 2026) == D(1000)


def test_wrong_group_total_is_reported(tmp_path):
    _, problems = read(tmp_path, [
        ["", "Доходы"], ["1121", "Земельный налог", "300"], ["1311", "Выравнивающий грант", "600"],
        ["", "Итого собственных доходов", "900"],
    ])
    mismatch = [p for p in problems if p.kind == "total_mismatch"]
    assert [(p.row, p.column) for p in mismatch] == [(5, "План 2026, сом")]
    assert "600" in mismatch[0].render("en")  # the difference: the grant is not an own revenue


def test_refund_is_a_warning_on_revenue_only(tmp_path):
    budget, problems = read(tmp_path, [["", "Доходы"], ["1121", "Земельный налог", "300", "(20)"], ["", "Расходы"], ["709", "Образование", "300"]])
    assert budget is not None and [p.kind for p in problems] == ["negative_amount"] and not problems[0].is_error
    assert budget.revenue()[0].executed == {2025: D(-20)}


def test_municipality_problems_are_named(tmp_path):
    (tmp_path / "municipality.csv").write_text("field,ky,ru,en\nrayon,Ысык-Ата району,,\n", encoding="utf-8")
    (tmp_path / "villages.csv").write_text("id,name_ky,name_ru,name_en,population\nx,Айыл,Село,Village,много\n", encoding="utf-8")
    with pytest.raises(MunicipalityError) as raised:
        read_municipality(tmp_path)
    assert {(p.file, p.row, p.kind) for p in raised.value.problems} == {("municipality.csv", None, "missing_name"), ("villages.csv", 2, "not_a_number")}
    assert "много" in raised.value.problems[1].render("ky")


def test_a_village_problem_names_the_row_a_spreadsheet_shows(tmp_path):
    """A quoted name on two lines is one row in Excel and LibreOffice, a blank line an empty row: the message once
    named the text line where the record ended (row 5 here, shown as row 4)."""
    (tmp_path / "municipality.csv").write_text("field,ky,ru,en\nname,Айыл өкмөтү,Айыл окмоту,Municipality\n", encoding="utf-8")
    (tmp_path / "villages.csv").write_text('id,name_ky,name_ru,name_en,population\n"x","Жаңы\nАйыл",Село,Village,1200\n\n'
                                           "y,Айыл,Село,Village,много\n", encoding="utf-8")
    with pytest.raises(MunicipalityError) as raised:
        read_municipality(tmp_path)
    assert [(p.file, p.row, p.column, p.kind) for p in raised.value.problems] == [("villages.csv", 4, "population", "not_a_number")]


@pytest.mark.parametrize("population", ["1²", "١٢٠٠", "１２００"])
def test_a_population_in_digits_that_are_not_ascii_is_refused_naming_it(tmp_path, population):
    (tmp_path / "municipality.csv").write_text("field,ky,ru,en\nname,Айыл өкмөтү,Айыл окмоту,Municipality\n", encoding="utf-8")
    (tmp_path / "villages.csv").write_text(f"id,name_ky,name_ru,name_en,population\nx,Айыл,Село,Village,{population}\n", encoding="utf-8")
    with pytest.raises(MunicipalityError) as raised:
        read_municipality(tmp_path)
    (problem,) = raised.value.problems
    assert (problem.file, problem.row, problem.kind) == ("villages.csv", 2, "not_a_number")
    assert all(population in problem.render(lang) for lang in ("ky", "ru", "en"))


def test_function_heading_in_three_name_columns_is_not_a_total(tmp_path):
    # "Жалпы ..." starts like a Kyrgyz total ("Жалпы кирешелер"), but it is the name of function 701
    header = ["Код", "Аталышы (ky)", "Наименование (ru)", "Name (en)", "План 2026, сом"]
    table = [header, ["", "Кирешелер", "Доходы", "Revenue"], ["1311", "Теңдештирүүчү грант", "Выравнивающий грант", "Equalisation grant", "100"],
             ["", "Чыгашалар", "Расходы", "Expenditure"],
             ["", "Жалпы мамлекеттик кызматтар", "Общегосударственные услуги", "General public services", "100"],
             ["2111", "Эмгек акы", "Заработная плата", "Wages", "100"]]
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table))
    assert budget is not None, [p.render("en") for p in problems]
    assert [(l.code, l.group) for l in budget.expenditure()] == [("2111", "701")]


def test_only_the_equalisation_grant_counts_as_the_grant(tmp_path):
    # Without a group column the line name decides: an incentive grant is another transfer, so the share of the
    # equalisation grant (what the citizens' budget shows) is not inflated by it.
    budget, problems = read(tmp_path, [
        ["", "Доходы"],
        ["1121", "Земельный налог", "300"],
        ["1311", "Выравнивающий грант", "600"],
        ["1321", "Стимулирующий грант", "100"],
        ["", "Всего доходов", "1000"],
        ["", "Расходы"], ["709", "Образование", "1000"],
    ])
    assert budget is not None, [p.render("ru") for p in problems]
    assert {l.code: l.group for l in budget.revenue()} == {"1121": "own", "1311": "grant", "1321": "transfers"}
