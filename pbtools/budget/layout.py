"""Where the table starts and what its columns mean: the header row, the name columns and their languages, the
amount columns with their year and unit, the budget year. Title rows above the header may state the year
("2026-жылдын бюджети") and the unit ("миң сом")."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

from pbtools.budget.headers import AMOUNT_ROLES, CODE, EXECUTED, FORECAST, GROUP, NAME, SIDE, Column, classify, header_score, unit_of, year_of
from pbtools.budget.problems import WARNING, Problem
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
    year: int | None  # None: not known (reported as ``no_year``); the cells are still checked
    unit: Decimal  # som per unit of the cells


# where the budget year and the unit came from, for the preview ("assumed" = nobody said: read as som)
HEADER, TITLE, GIVEN, STATED, ASSUMED = "header", "title", "given", "stated", "assumed"


@dataclass(frozen=True)
class Reading:
    """What the reader made of the table's shape, found even when the file has errors: the columns of the header
    row (or of the row most like one), the budget year and unit and where they came from."""

    header_row: int | None
    columns: tuple[Column, ...]
    year: int | None
    year_source: str | None  # HEADER, TITLE or GIVEN; None when not known
    unit: Decimal
    unit_source: str  # STATED, GIVEN or ASSUMED


@dataclass(frozen=True)
class Layout:
    header_row: int
    first_data: int  # index into table.rows of the first row after the header
    code: Column
    names: tuple[tuple[Column, str], ...]  # (column, language)
    side: Column | None
    group: Column | None
    amounts: tuple[AmountColumn, ...]
    year: int | None

    def budget_plan(self) -> int | None:
        """Index into ``amounts`` of the budget year's plan column."""
        return next((i for i, a in enumerate(self.amounts) if a.kind == PLANNED and a.column.role != FORECAST
                     and a.year is not None and a.year == self.year), None)


def _letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _header(index: int, text: object, role: str | None = None) -> Column:
    column = classify(index, text if isinstance(text, str) else "", role)
    return column if column.header else Column(index, _letter(index), column.role, column.year, column.unit, column.lang)


def find_layout(table: Table, year: int | None = None, unit: Decimal | None = None,
                roles: dict[int, str] | None = None) -> tuple[Layout | None, Reading, list[Problem]]:
    """The table's layout (None when it cannot be read: no header, a required column missing), what was read of its
    shape, and the problems found. ``year``, ``unit`` and ``roles`` (column index -> role) are what the user said
    when the file does not say it."""
    f = table.file
    roles = roles or {}
    position = next((i for i, (_, cells) in enumerate(table.rows[:40]) if header_score(cells, roles)[0]), None)
    if position is None:
        best = max(range(min(len(table.rows), 40)), key=lambda i: header_score(table.rows[i][1], roles)[1])
        row, cells = table.rows[best]
        columns = tuple(_header(i, c, roles.get(i)) for i, c in enumerate(cells))
        reading = Reading(row, columns, year, GIVEN if year else None, unit or Decimal(1), GIVEN if unit else ASSUMED)
        if header_score(cells, roles)[1] < 2:
            first_row, first = table.rows[0]
            reading = replace(reading, header_row=first_row, columns=tuple(_header(i, c, roles.get(i)) for i, c in enumerate(first)))
            return None, reading, [Problem(f, None, None, "no_header", Msg(N_("No header row was found: expected columns such as {expected}."), expected="; ".join(_EXPECTED.values())))]
        found = {c.role for c in columns}
        missing = [key for key in (CODE, NAME) if key not in found] + ([] if found & set(AMOUNT_ROLES) else ["amount"])
        return None, reading, [
            Problem(f, row, None, "missing_column", Msg(N_("A required column is missing: expected a header such as {expected}."), expected=_EXPECTED[key]))
            for key in missing
        ]

    header_row, cells = table.rows[position]
    columns = [_header(i, c, roles.get(i)) for i, c in enumerate(cells)]
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
    for header, stated in units[1:]:
        if stated != units[0][1]:
            problems.append(Problem(f, header_row, header or None, "mixed_units", Msg(
                N_("Mixed units: this column is in {unit} while {other} is in {first}; use one unit for the whole table."),
                unit=Msg(_unit_name(stated)), other=units[0][0] or Msg(N_("the title")), first=Msg(_unit_name(units[0][1])))))
    if units and unit is not None and unit != units[0][1]:
        problems.append(Problem(f, header_row, units[0][0] or None, "unit_conflict", Msg(
            N_("The file states {stated}, but {given} was given: leave the unit to the file, or correct the file."),
            stated=Msg(_unit_name(units[0][1])), given=Msg(_unit_name(unit)))))
    if units:
        default_unit, unit_source = units[0][1], STATED
    elif unit is not None:
        default_unit, unit_source = unit, GIVEN
    else:
        default_unit, unit_source = Decimal(1), ASSUMED
        problems.append(Problem(f, header_row, None, "no_unit", Msg(N_("No unit is stated (such as «тыс. сом» or «сом»); the amounts were read as som.")), WARNING))

    # a year the user gives stands for the title's: it dates the columns whose header has no year
    base_year = year if year is not None else title_year
    amounts: list[AmountColumn] = []
    forecast_next = 1
    for c in amount_columns:
        column_year = c.year
        if column_year is None and base_year is not None:
            column_year = base_year + forecast_next if c.role == FORECAST else base_year
            forecast_next += c.role == FORECAST
        if column_year is None:
            problems.append(Problem(f, header_row, c.header, "no_year", Msg(N_("The year of this column is not known: write it in the header (e.g. «План 2026») or in a title row above the table."))))
        kind = DONE if c.role == EXECUTED else PLANNED
        clash = next((a for a in amounts if column_year is not None and a.kind == kind and a.year == column_year), None)
        if clash:
            problems.append(Problem(f, header_row, c.header, "duplicate_column", Msg(N_("This column repeats column «{other}»."), other=clash.column.header)))
            continue
        amounts.append(AmountColumn(c, kind, column_year, c.unit or default_unit))

    # The budget year is a plan column's year, never a forecast's: a file whose plan for the year is missing must not
    # pass its first forecast year off as the budget.
    dated = [a for a in amounts if a.year is not None]
    planned = sorted({a.year for a in dated if a.kind == PLANNED and a.column.role != FORECAST})
    forecasts = [a for a in dated if a.column.role == FORECAST]
    executed = {a.year for a in dated if a.kind == DONE}
    year_source = None
    if year is not None and year in planned:
        budget_year, year_source = year, GIVEN
    elif year is not None and planned:
        budget_year = None
        problems.append(Problem(f, header_row, None, "year_not_in_file", Msg(
            N_("The budget year {year} was given, but the file plans {years}: give one of these years, or none."),
            year=year, years=", ".join(map(str, planned)))))
    elif title_year in planned:
        budget_year, year_source = title_year, TITLE
    elif planned:
        budget_year, year_source = next((y for y in planned if y not in executed), planned[-1]), HEADER
    else:
        budget_year = None
        if forecasts:
            problems.append(Problem(f, header_row, forecasts[0].column.header, "no_plan_year", Msg(N_("There is no plan column for the budget year, only forecasts: add the plan (e.g. «План 2026») before the forecast years."))))
        elif amounts and all(a.column.role == EXECUTED for a in amounts):
            # an execution-only table would show "Revenue: 0 som" for the budget: say which column is missing
            problems.append(Problem(f, header_row, None, "no_plan_column", Msg(
                N_("There is no plan column: the amount columns ({columns}) are all execution. Add the plan (e.g. «План {year}»), or say which column holds the plan."),
                columns=", ".join(f"«{a.column.header}»" for a in amounts), year=max(executed, default=year or title_year or date.today().year))))
    for a in forecasts:
        if planned and budget_year is not None and a.year <= budget_year:
            problems.append(Problem(f, header_row, a.column.header, "forecast_not_after", Msg(N_("A forecast for {year} must come after the budget year {budget_year}."), year=a.year, budget_year=budget_year)))
    for a in dated:
        if budget_year is None:
            break
        if a.kind == PLANNED and a.year > budget_year + 2:
            problems.append(Problem(f, header_row, a.column.header, "too_many_years", Msg(N_("Year {year} is more than two years after the budget year {budget_year}."), year=a.year, budget_year=budget_year)))
        if a.kind == DONE and a.year > budget_year:
            problems.append(Problem(f, header_row, a.column.header, "future_execution", Msg(N_("Execution for {year} cannot come after the budget year {budget_year}."), year=a.year, budget_year=budget_year)))
    reading = Reading(header_row, tuple(columns), budget_year, year_source, default_unit, unit_source)
    if code is None or not names or not amounts:
        missing = [key for key, col in ((CODE, code), (NAME, names)) if not col] + ([] if amounts else ["amount"])
        problems += [Problem(f, header_row, None, "missing_column", Msg(N_("A required column is missing: expected a header such as {expected}."), expected=_EXPECTED[key]))
                     for key in missing]
        return None, reading, problems
    # with errors in the header the rows are still read, so that the check reports every problem of the file at once
    return Layout(header_row, position + 1, code, tuple(names), side, group, tuple(amounts), budget_year), reading, problems


def _unit_name(unit: Decimal) -> str:
    return {Decimal(1): N_("som"), Decimal(1000): N_("thousand som"), Decimal(1000000): N_("million som")}[unit]
