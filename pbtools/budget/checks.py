"""Checks across rows: duplicate codes, parent lines against their parts, headings and total rows against the
lines they sum. A table that does not add up is reported with the difference; nothing is corrected."""

from __future__ import annotations

from decimal import Decimal

from pbtools.budget.entries import HEADING, LINE, TOTAL, Entry
from pbtools.budget.layout import Layout
from pbtools.budget.model import EXPENDITURE
from pbtools.budget.problems import Number, Problem
from pbtools.i18n import N_, Msg


def _dup_key(e: Entry) -> tuple[str | None, str, str]:
    # economic codes (2111 wages ...) repeat under each function, so a code is unique within its function
    return (e.side, e.group if e.side == EXPENDITURE else "", e.key)


def parents(lines: list[Entry]) -> dict[int, Entry]:
    """Line row -> its parent line: the nearest line above with a code that starts this one's ("11" for "1111"),
    else the function line whose block it is in."""
    by_row = {e.row: e for e in lines}
    found: dict[int, Entry] = {}
    for i, e in enumerate(lines):
        candidates = [p for p in lines[:i] if p.side == e.side and p.key and e.key.startswith(p.key) and len(p.key) < len(e.key)
                      and (e.side != EXPENDITURE or p.group == e.group)]
        if candidates:
            found[e.row] = max(candidates, key=lambda p: len(p.key))
        elif e.owner is not None:
            found[e.row] = by_row[e.owner]
    return found


def _compare(file: str, layout: Layout, total: Entry, parts: list[Entry], what: Msg) -> list[Problem]:
    problems = []
    for i, a in enumerate(layout.amounts):
        if i not in total.amounts or i in total.bad or any(i in p.bad for p in parts):
            continue
        stated = total.amounts[i]
        computed = sum((p.amounts.get(i, Decimal(0)) for p in parts), Decimal(0))
        if stated != computed:
            problems.append(Problem(file, total.row, a.column.header, "total_mismatch", Msg(
                N_("{what}: {stated} is written, but the lines add up to {computed} (difference {difference})."),
                what=what, stated=Number(stated / a.unit), computed=Number(computed / a.unit), difference=Number((stated - computed) / a.unit))))
    return problems


def check_entries(file: str, layout: Layout, entries: list[Entry]) -> tuple[list[Entry], list[Problem]]:
    """The budget lines (leaves) and the problems found in sums and codes."""
    problems: list[Problem] = []
    lines = [e for e in entries if e.kind == LINE]

    first: dict[tuple, Entry] = {}
    for e in lines:
        key = _dup_key(e)
        if key in first:
            problems.append(Problem(file, e.row, layout.code.header, "duplicate_code", Msg(N_("Code {code} already appears in row {first_row}."), code=e.code, first_row=first[key].row)))
        else:
            first[key] = e

    parent_of = parents(lines)
    children: dict[int, list[Entry]] = {}
    for row, parent in parent_of.items():
        children.setdefault(parent.row, []).append(next(e for e in lines if e.row == row))
    leaves = [e for e in lines if e.row not in children]

    plan = layout.budget_plan()
    for e in leaves:
        if plan is not None and plan not in e.amounts and plan not in e.bad:
            # an empty cell would count the line as nothing and the totals would silently not add up
            header = layout.amounts[plan].column.header
            problems.append(Problem(file, e.row, header, "missing_amount", Msg(
                N_("Line {code} has no amount for the budget year: write it, or 0 (or a dash) if nothing is planned."), code=e.code)))
    for e in lines:
        if e.row in children:
            problems += _compare(file, layout, e, children[e.row], Msg(N_("amount of line {code}"), code=e.code))
    for e in entries:
        if e.kind not in (HEADING, TOTAL) or not e.amounts:
            continue
        if e.kind == HEADING and e.scope == "group":
            parts = [x for x in leaves if x.block == e.row]
        elif e.scope == "group":
            parts = [x for x in leaves if x.side == e.side and x.group == e.group]
        else:
            parts = [x for x in leaves if x.side == e.side]
        label = next(iter(e.names.values()), "")
        problems += _compare(file, layout, e, parts, Msg(N_("total «{name}»"), name=label))
    return leaves, problems
