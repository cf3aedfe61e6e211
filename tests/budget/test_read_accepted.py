"""Budget files as municipalities keep them are read into the same budget, whatever the spelling."""

from __future__ import annotations

from decimal import Decimal as D
from functools import partial

import pytest

from pbtools.budget.read import read_budget
from tests.budget.builders import ACT25, LINES, PLAN25, PLAN26, Variant, plain, rows, spaced, write_csv, write_xlsx


def assert_reference(budget, problems, lang: str = "en", names: bool = True) -> None:
    assert budget is not None, [p.render("en") for p in problems]
    assert not [p for p in problems if p.is_error]
    assert budget.year == 2026
    got = {(l.side, l.code): l for l in budget.lines}
    assert set(got) == {(l.side, l.code) for l in LINES}
    for ref in LINES:
        line = got[(ref.side, ref.code)]
        assert line.group == ref.group, ref.code
        assert line.planned == {2025: ref.amounts[PLAN25], 2026: ref.amounts[PLAN26]}, ref.code
        assert line.executed == {2025: ref.amounts[ACT25]}, ref.code
        if names:
            assert line.names == {lang: ref.names[lang]}


@pytest.mark.parametrize("lang", ["en", "ru", "ky"])
def test_headers_in_each_language(tmp_path, lang):
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", rows(Variant(lang=lang))))
    assert_reference(budget, problems, lang)


def test_kyrgyz_without_special_letters(tmp_path):
    table = rows(Variant(lang="ky", ascii_ky=True, subtotals=True))
    assert not any(ch in "өүңӨҮҢ" for r in table for c in r for ch in str(c))
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table))
    assert_reference(budget, problems, names=False)
    # the heading "Жергиликтуу кирешелер" (без ү) is still recognised as own revenues, with its subtotal checked
    assert {l.group for l in budget.revenue()} == {"own", "grant"}


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1251"])
@pytest.mark.parametrize("lang", ["ru", "ky"])
def test_encodings(tmp_path, encoding, lang):
    if encoding == "cp1251" and lang == "ky":
        table = rows(Variant(lang="ky", ascii_ky=True))  # Windows-1251 has no ө ү ң: such files are typed without them
    else:
        table = rows(Variant(lang=lang))
    path = write_csv(tmp_path / "b.csv", table, encoding=encoding)
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") == (encoding == "utf-8-sig")
    budget, problems = read_budget(path)
    assert_reference(budget, problems, names=encoding != "cp1251" or lang == "ru", lang=lang)


STYLES = {
    "plain point": plain,
    "decimal comma": lambda x: plain(x).replace(".", ","),
    "space thousands": spaced,
    "nbsp thousands": partial(spaced, sep="\u00a0"),
    "narrow nbsp thousands": partial(spaced, sep="\u202f"),
    "dot thousands": partial(spaced, sep=".", mark=","),
    "comma thousands, point decimal": partial(spaced, sep=",", mark="."),
}


@pytest.mark.parametrize("unit", [D(1), D(1000)], ids=["som", "thousand som"])
@pytest.mark.parametrize("style", list(STYLES), ids=list(STYLES))
def test_number_styles_and_units(tmp_path, style, unit):
    table = rows(Variant(lang="ru", style=STYLES[style], unit=unit))
    delimiter = "," if style == "plain point" else ";"
    if "," in style:
        delimiter = "\t"
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table, delimiter=delimiter))
    assert_reference(budget, problems, "ru")


def test_title_rows_blank_lines_and_subtotals(tmp_path):
    table = [["Отчёт"], [], ["Составлено бухгалтером"], *rows(Variant(lang="ru", subtotals=True, unit=D(1000)))]
    table.insert(len(table) - 3, [])  # a blank line inside the table
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table))
    assert_reference(budget, problems, "ru")
    # 709 is a subtotal of 7091 and 7092: it is checked, not stored as a line of its own
    assert "709" not in {l.code for l in budget.lines}


def test_no_totals_at_all(tmp_path):
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", rows(Variant(lang="en", totals=False))))
    assert_reference(budget, problems)


@pytest.mark.parametrize("numbers", ["numbers", "text"])
def test_xlsx(tmp_path, numbers):
    variant = Variant(lang="ky", unit=D(1000), subtotals=True, style=None if numbers == "numbers" else spaced)
    budget, problems = read_budget(write_xlsx(tmp_path / "b.xlsx", rows(variant)))
    assert_reference(budget, problems, "ky")


def test_several_name_columns_and_a_group_column(tmp_path):
    header = ["Код", "Аталышы (ky)", "Наименование (ru)", "Name (en)", "Тобу / Группа / Group", "План 2025", "Аткарылышы / Исполнение / Actual 2025", "План 2026"]
    table = [["миң сом / тыс. сом / thousand som"], header, ["", "КИРЕШЕЛЕР", "ДОХОДЫ", "REVENUE"]]
    for side, heading in (("revenue", None), ("expenditure", ["", "ЧЫГАШАЛАР", "РАСХОДЫ", "EXPENDITURE"])):
        if heading:
            table.append(heading)
        for l in (l for l in LINES if l.side == side):
            group = l.group if side == "revenue" else ""
            table.append([l.code, l.names["ky"], l.names["ru"], l.names["en"], group, *[plain(l.amounts[c] / 1000) for c in (PLAN25, ACT25, PLAN26)]])
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table))
    assert_reference(budget, problems, names=False)
    for ref in LINES:
        line = next(l for l in budget.lines if l.code == ref.code)
        assert dict(line.names) == ref.names


def test_side_column_instead_of_sections(tmp_path):
    table = [["Code", "Revenue / expenditure", "Item", "Plan 2025", "Actual 2025", "Plan 2026"]]
    side_words = {"revenue": "Доходы", "expenditure": "Чыгашалар"}
    table += [[l.code, side_words[l.side], l.names["en"], *[plain(l.amounts[c]) for c in (PLAN25, ACT25, PLAN26)]] for l in LINES]
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table, delimiter=","))
    assert_reference(budget, problems, "en")
    # no unit was stated anywhere: read as som, with a warning
    assert [p.kind for p in problems] == ["no_unit"] and not problems[0].is_error


def test_years_from_the_title(tmp_path):
    table = [["Бюджет на 2026 год, тыс. сом"], ["Код", "Статья", "План", "Прогноз", "Прогноз"],
             ["", "Доходы"], ["1311", "Выравнивающий грант", "100,5", "110", "120"],
             ["", "Расходы"], ["709", "Образование", "100,5", "110", "120"]]
    budget, problems = read_budget(write_csv(tmp_path / "b.csv", table))
    assert budget is not None, [p.render("en") for p in problems]
    assert budget.year == 2026
    grant = budget.revenue()[0]
    assert grant.planned == {2026: D("100500"), 2027: D("110000"), 2028: D("120000")}
    assert grant.group == "grant" and budget.expenditure()[0].group == "709"


def test_function_codes_are_configurable(tmp_path):
    table = [["Code", "Item", "Plan 2026, som"], ["", "Revenue"], ["1311", "Grant", "100"], ["", "Expenditure"], ["0912", "Schools", "100"]]
    path = write_csv(tmp_path / "b.csv", table, delimiter=",")
    assert read_budget(path)[0] is None  # 0912 is not under 701-710
    budget, problems = read_budget(path, functions={"09": {"en": "Education"}})
    assert budget is not None and budget.expenditure()[0].group == "09"
