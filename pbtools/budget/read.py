"""Reading a municipality's budget file (CSV or XLSX, see docs/budget-format.md) into a ``Budget``.

``read_budget(path)`` returns ``(budget, problems)``: the budget only when no problem is an error (warnings, such
as "no unit stated", do not stop it). Every problem names the file, row and column and says what was expected.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Mapping

from pbtools.budget.checks import check_entries
from pbtools.budget.codes import FUNCTIONS
from pbtools.budget.entries import read_entries
from pbtools.budget.layout import ASSUMED, DONE, Reading, find_layout
from pbtools.budget.model import EXPENDITURE, REVENUE, Budget, BudgetLine
from pbtools.budget.municipality import read_municipality
from pbtools.budget.place import place_in_titles
from pbtools.budget.problems import WARNING, Problem, errors
from pbtools.budget.table import load_table
from pbtools.i18n import N_, Msg

__all__ = ["read_budget", "inspect_budget", "Inspection", "read_municipality", "Problem"]


@dataclass(frozen=True)
class Inspection:
    """A file read for a preview: the budget (None when there is an error), every problem, and what was read of the
    table's shape (None when the file could not be opened as a table)."""

    budget: Budget | None
    problems: list[Problem]
    reading: Reading | None

    @property
    def needs(self) -> tuple[str, ...]:
        """What the user must say because the file does not: "year", "unit", "columns"."""
        kinds = {p.kind for p in self.problems}
        needs = []
        if kinds & {"no_year", "year_not_in_file"}:
            needs.append("year")
        if kinds & {"no_unit", "unit_conflict"} or (self.reading is not None and self.reading.unit_source == ASSUMED):
            needs.append("unit")
        if kinds & {"no_header", "missing_column", "duplicate_column", "no_plan_column", "no_plan_year"}:
            needs.append("columns")
        return tuple(needs)


def read_budget(path: str | Path, functions: Mapping[str, Mapping[str, str]] | None = None, *, year: int | None = None,
                unit: Decimal | int | None = None, roles: Mapping[int, str] | None = None) -> tuple[Budget | None, list[Problem]]:
    """Read and validate a budget file. ``functions``: the expenditure function codes (default: 701-710). ``year``,
    ``unit`` (som per unit of the cells: 1 or 1000) and ``roles`` (column index -> role, see ``headers.ROLES``) are what
    the user says when the file does not."""
    found = inspect_budget(path, functions, year=year, unit=unit, roles=roles)
    return found.budget, found.problems


def inspect_budget(path: str | Path, functions: Mapping[str, Mapping[str, str]] | None = None, *, year: int | None = None,
                   unit: Decimal | int | None = None, roles: Mapping[int, str] | None = None) -> Inspection:
    functions = FUNCTIONS if functions is None else functions
    table, problems = load_table(path)
    if table is None:
        return Inspection(None, problems, None)
    layout, reading, found = find_layout(table, year, None if unit is None else Decimal(unit), dict(roles or {}))
    problems += found
    if layout is None:
        return Inspection(None, problems, reading)
    entries, found = read_entries(table, layout, functions)
    problems += found
    leaves, found = check_entries(table.file, layout, entries)
    problems += found

    lines = []
    for e in leaves:
        planned: dict[int, Decimal] = {}
        executed: dict[int, Decimal] = {}
        for i, value in e.amounts.items():
            a = layout.amounts[i]
            if a.year is not None:
                (executed if a.kind == DONE else planned)[a.year] = value
        lines.append(BudgetLine(e.side, e.code, dict(e.names), e.group, planned, executed))
    if not lines:
        problems.append(Problem(table.file, None, None, "no_lines", Msg(N_("The table has no budget lines (rows with a code and amounts)."))))
    for side, msg in ((REVENUE, N_("The table has no revenue lines.")), (EXPENDITURE, N_("The table has no expenditure lines."))):
        if lines and not any(line.side == side for line in lines):
            problems.append(Problem(table.file, None, None, "no_" + side, Msg(msg), WARNING))
    problems.sort(key=lambda p: (p.row or 0))
    if errors(problems) or layout.year is None:
        return Inspection(None, problems, reading)
    return Inspection(Budget(layout.year, tuple(lines), place_in_titles([c for _, row in table.rows[: layout.first_data - 1] for c in row if isinstance(c, str)]), table.file), problems, reading)
