"""Reading a municipality's budget file (CSV or XLSX, see docs/budget-format.md) into a ``Budget``.

``read_budget(path)`` returns ``(budget, problems)``: the budget only when no problem is an error (warnings, such
as "no unit stated", do not stop it). Every problem names the file, row and column and says what was expected.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Mapping

from pbtools.budget.checks import check_entries
from pbtools.budget.codes import FUNCTIONS
from pbtools.budget.entries import read_entries
from pbtools.budget.layout import DONE, find_layout
from pbtools.budget.model import EXPENDITURE, REVENUE, Budget, BudgetLine
from pbtools.budget.municipality import read_municipality
from pbtools.budget.problems import WARNING, Problem, errors
from pbtools.budget.table import load_table
from pbtools.i18n import N_, Msg

__all__ = ["read_budget", "read_municipality", "Problem"]


def read_budget(path: str | Path, functions: Mapping[str, Mapping[str, str]] | None = None) -> tuple[Budget | None, list[Problem]]:
    """Read and validate a budget file. ``functions``: the expenditure function codes (default: 701-710)."""
    functions = FUNCTIONS if functions is None else functions
    table, problems = load_table(path)
    if table is None:
        return None, problems
    layout, found = find_layout(table)
    problems += found
    if layout is None:
        return None, problems
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
            (executed if a.kind == DONE else planned)[a.year] = value
        lines.append(BudgetLine(e.side, e.code, dict(e.names), e.group, planned, executed))
    if not lines:
        problems.append(Problem(table.file, None, None, "no_lines", Msg(N_("The table has no budget lines (rows with a code and amounts)."))))
    for side, msg in ((REVENUE, N_("The table has no revenue lines.")), (EXPENDITURE, N_("The table has no expenditure lines."))):
        if lines and not any(line.side == side for line in lines):
            problems.append(Problem(table.file, None, None, "no_" + side, Msg(msg), WARNING))
    problems.sort(key=lambda p: (p.row or 0))
    if errors(problems):
        return None, problems
    return Budget(layout.year, tuple(lines), {}, table.file), problems
