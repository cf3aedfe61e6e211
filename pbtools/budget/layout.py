"""Where the table starts and what its columns mean: the header row, the name columns and their languages, the
amount columns with their year and unit, the budget year. Title rows above the header may state the year
("2026-жылдын бюджети") and the unit ("миң сом")."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from pbtools.budget.headers import AMOUNT_ROLES, CODE, EXECUTED, FORECAST, GROUP, NAME, SIDE, Column, classify, header_score, unit_of, year_of
from pbtools.budget.problems import ERROR, WARNING, Problem
from pbtools.budget.table import Table
from pbtools.budget.text import script_language
from pbtools.i18n import N_, Msg

PLANNED, DONE = "planned", "executed"
_EXPECTED = {
    CODE: "Код / Code",
    NAME: "Берене / Статья / Item (Аталышы / Наименование / Name)",
    "amount": "План 2026 / Аткарылышы / Исполнение / Actual",
}


@dataclass(frozen=True)
class AmountColumn:
    column: Column
    kind: str  # PLANNED or DONE
    year: int
    unit: Decimal  # som per unit of the cells


@dataclass(frozen=True)
class Layout:
    header_row: int
    first_data: int  # index into table.rows of the first row after the header
    code: Column
    names: tuple[tuple[Column, str], ...]  # (column, language)
    side: Column | None
    group: Column | None
    amounts: tuple[AmountColumn, ...]
    year: int


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header(index: int, text: object) -> Column:
    column = classify(index, text if isinstance(text, str) else "")
    return column if column.header else Column(index, _letter(index), None)


def find_layout(table: Table) -> tuple[Layout | None, list[Problem]]:
    f = table.file
    position = next((i for i, (_, cells) in enumerate(table.rows[:40]) if header_score(cells)[0]), None)
    if position is None:
        best = max(range(min(len(table.rows), 40)), key=lambda i: header_score(table.rows[i][1])[1])
        row, cells = table.rows[best]
        if header_score(cells)[1] < 2:
            return None, [Problem(f, None, None, "no_header", Msg(N_("No header row was found: expected columns such as {expected}."), expected="; ".join(_EXPECTED.values())))]
        roles = {classify(i, c).role for i, c in enumerate(cells) if isinstance(c, str)}
        missing = [key for key in (CODE, NAME) if key not in roles] + ([] if roles & set(AMOUNT_ROLES) else ["amount"])
        return None, [
            Problem(f, row, None, "missing_column", Msg(N_("A required column is missing: expected a header such as {expected}."), expected=_EXPECTED[key]))
            for key in missing
        ]

    header_row, cells = table.rows[position]
    columns = [_header(i, c) for i, c in enumerate(cells)]
    problems: list[Problem] = []
    data = [cells for _, cells in table.rows[position + 1 :]]

    def single(role: str) -> Column | None:
        found = [c for c in columns if c.role == role]
        for extra in found[1:]:
            problems.append(Problem(f, header_row, extra.header, "duplicate_column", Msg(N_("This column repeats column «{other}»."), other=found[0].header)))
        return found[0] if found else None

    code, side, group = single(CODE), single(SIDE), single(GROUP)

    names: list[tuple[Column, str]] = []
    for column in (c for c in columns if c.role == NAME):
        values = [str(r[column.index]) for r in data if column.index < len(r) and isinstance(r[column.index], str)]
        lang = column.lang or script_language(values)
        other = next((c for c, l in names if l == lang), None)
        if other is not None:
            problems.append(Problem(f, header_row, column.header, "duplicate_column", Msg(N_("This column repeats column «{other}»."), other=other.header)))
        else:
            names.append((column, lang))

    titles = [c for _, row in table.rows[:position] for c in row if isinstance(c, str) and c]
    title_year = next((y for y in map(year_of, titles) if y), None)
    title_unit = next((u for u in map(unit_of, titles) if u), None)

    amount_columns = [c for c in columns if c.role in AMOUNT_ROLES]
    units = ([("", title_unit)] if title_unit else []) + [(c.header, c.unit) for c in amount_columns if c.unit]
    for header, unit in units[1:]:
        if unit != units[0][1]:
            problems.append(Problem(f, header_row, header or None, "mixed_units", Msg(
                N_("Mixed units: this column is in {unit} while {other} is in {first}; use one unit for the whole table."),
                unit=Msg(_unit_name(unit)), other=units[0][0] or Msg(N_("the title")), first=Msg(_unit_name(units[0][1])))))
    if not units:
        problems.append(Problem(f, header_row, None, "no_unit", Msg(N_("No unit is stated (such as «тыс. сом» or «сом»); the amounts were read as som.")), WARNING))

    amounts: list[AmountColumn] = []
    forecast_next = 1
    for c in amount_columns:
        year = c.year
        if year is None and title_year is not None:
            year = title_year + forecast_next if c.role == FORECAST else title_year
            forecast_next += c.role == FORECAST
        if year is None:
            problems.append(Problem(f, header_row, c.header, "no_year", Msg(N_("The year of this column is not known: write it in the header (e.g. «План 2026») or in a title row above the table."))))
            continue
        kind = DONE if c.role == EXECUTED else PLANNED
        clash = next((a for a in amounts if a.kind == kind and a.year == year), None)
        if clash:
            problems.append(Problem(f, header_row, c.header, "duplicate_column", Msg(N_("This column repeats column «{other}»."), other=clash.column.header)))
            continue
        amounts.append(AmountColumn(c, kind, year, c.unit or title_unit or Decimal(1)))

    # The budget year is a plan column's year, never a forecast's: a file whose plan for the year is missing must not
    # pass its first forecast year off as the budget.
    planned = sorted({a.year for a in amounts if a.kind == PLANNED and a.column.role != FORECAST})
    forecasts = [a for a in amounts if a.column.role == FORECAST]
    executed = {a.year for a in amounts if a.kind == DONE}
    if title_year in planned:
        year = title_year
    elif planned:
        year = next((y for y in planned if y not in executed), planned[-1])
    else:
        year = max(executed, default=title_year or 0)
        if forecasts:
            problems.append(Problem(f, header_row, forecasts[0].column.header, "no_plan_year", Msg(N_("There is no plan column for the budget year, only forecasts: add the plan (e.g. «План 2026») before the forecast years."))))
    for a in forecasts:
        if planned and a.year <= year:
            problems.append(Problem(f, header_row, a.column.header, "forecast_not_after", Msg(N_("A forecast for {year} must come after the budget year {budget_year}."), year=a.year, budget_year=year)))
    for a in amounts:
        if a.kind == PLANNED and a.year > year + 2:
            problems.append(Problem(f, header_row, a.column.header, "too_many_years", Msg(N_("Year {year} is more than two years after the budget year {budget_year}."), year=a.year, budget_year=year)))
        if a.kind == DONE and a.year > year:
            problems.append(Problem(f, header_row, a.column.header, "future_execution", Msg(N_("Execution for {year} cannot come after the budget year {budget_year}."), year=a.year, budget_year=year)))
    if any(p.severity == ERROR for p in problems) or code is None or not names or not amounts:
        return None, problems
    return Layout(header_row, position + 1, code, tuple(names), side, group, tuple(amounts), year), problems


def _unit_name(unit: Decimal) -> str:
    return {Decimal(1): N_("som"), Decimal(1000): N_("thousand som"), Decimal(1000000): N_("million som")}[unit]
