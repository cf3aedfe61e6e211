"""The table's rows read into entries: budget lines (with a code), headings (sides, revenue groups, functions;
they may carry a subtotal) and total rows. Problems in single cells are reported here; sums are checked in
``checks``."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Mapping

from pbtools.budget.codes import function_of, function_prefix, is_balance, is_total, revenue_group_of, side_of
from pbtools.budget.layout import DONE, Layout
from pbtools.budget.model import EXPENDITURE, REVENUE
from pbtools.budget.numbers import NotANumber, TooLarge, checked, decimal_mark_evidence, parse_amount, too_large
from pbtools.budget.problems import WARNING, Number, Problem
from pbtools.budget.table import Cell, Table
from pbtools.i18n import N_, Msg

LINE, HEADING, TOTAL = "line", "heading", "total"


@dataclass
class Entry:
    row: int
    kind: str  # LINE, HEADING or TOTAL
    side: str | None
    names: dict[str, str]
    amounts: dict[int, Decimal] = field(default_factory=dict)  # index into layout.amounts -> som
    code: str = ""
    key: str = ""  # the code without spaces and dots, for matching parents: "709.1" -> "7091"
    group: str = ""  # revenue group or function code
    scope: str = ""  # headings and totals: "side", "group"
    block: int | None = None  # lines: row of the heading above them (revenue group or function heading)
    owner: int | None = None  # lines: row of the function line ("709 ...") whose block they are in
    bad: frozenset[int] = frozenset()  # amount columns whose cell could not be read: sums over them are not checked


def _text(cell: Cell) -> str:
    if isinstance(cell, Decimal):
        return format(cell.normalize(), "f") if cell == cell.to_integral_value() else str(cell)
    return cell.strip()


def _cell(cells: tuple[Cell, ...], index: int) -> Cell:
    return cells[index] if index < len(cells) else ""


def _decimal_mark(table: Table, layout: Layout) -> tuple[str | None, list[Problem]]:
    mark, first, problems = None, None, []
    for row, cells in table.rows[layout.first_data :]:
        for a in layout.amounts:
            cell = _cell(cells, a.column.index)
            seen = decimal_mark_evidence(cell) if isinstance(cell, str) else None
            if seen and mark is None:
                mark, first = seen, (row, a.column.header)
            elif seen and seen != mark:
                problems.append(Problem(table.file, row, a.column.header, "mixed_decimal_marks", Msg(
                    N_("{value} uses a different decimal mark from row {first_row}, column «{first_column}»; use one style in the whole table."),
                    value=cell, first_row=first[0], first_column=first[1])))
    return mark, problems


def read_entries(table: Table, layout: Layout, functions: Mapping[str, Mapping[str, str]]) -> tuple[list[Entry], list[Problem]]:
    f = table.file
    mark, problems = _decimal_mark(table, layout)
    entries: list[Entry] = []
    side: str | None = None
    heading: Entry | None = None  # the revenue group or function heading the rows below belong to
    owner: Entry | None = None  # the function line ("709 Билим берүү") whose block the rows below are in

    def problem(row: int, column: str | None, kind: str, msg: Msg, severity: str = "error") -> None:
        problems.append(Problem(f, row, column, kind, msg, severity))

    for row, cells in table.rows[layout.first_data :]:
        code = _text(_cell(cells, layout.code.index))
        names = {lang: _text(_cell(cells, c.index)) for c, lang in layout.names if _text(_cell(cells, c.index))}
        amounts: dict[int, Decimal] = {}
        bad: set[int] = set()
        for i, a in enumerate(layout.amounts):
            cell = _cell(cells, a.column.index)
            try:
                value = checked(cell) if isinstance(cell, Decimal) else parse_amount(cell, mark)
                value = None if value is None else checked(value * a.unit)  # in som: a column in thousands too
            except TooLarge:
                problem(row, a.column.header, "too_large", too_large(cell))
                bad.add(i)
                continue
            except NotANumber:
                problem(row, a.column.header, "not_a_number", Msg(N_("{value} is not an amount: expected a number such as 12 345,6."), value=cell))
                bad.add(i)
                continue
            if value is not None:
                amounts[i] = value
        label = " ".join(names.values())

        if not code:
            if not label and (bad or not amounts):
                continue  # a blank row, or one whose unreadable cell is already reported
            # names are matched one by one: a heading may be written in three name columns
            function = next((f for f in (function_of(n, functions) for n in names.values()) if f), None)
            exact_function = function is not None and any(n.strip() in functions[function].values() for n in names.values())
            named_side, group = side_of(label), revenue_group_of(label)
            if is_total(label) and not exact_function:
                target = named_side or side
                if target is None:
                    problem(row, layout.names[0][0].header, "no_side", Msg(N_("This total comes before any «Кирешелер / Доходы / Revenue» or «Чыгашалар / Расходы / Expenditure» section.")))
                    continue
                if target == REVENUE and group:
                    entries.append(Entry(row, TOTAL, target, names, amounts, bad=frozenset(bad), group=group, scope="group"))
                elif target == EXPENDITURE and function:
                    entries.append(Entry(row, TOTAL, target, names, amounts, bad=frozenset(bad), group=function, scope="group"))
                else:
                    entries.append(Entry(row, TOTAL, target, names, amounts, bad=frozenset(bad), scope="side"))
                heading = owner = None
            elif named_side and not (named_side == REVENUE and group):
                side, heading, owner = named_side, None, None
                entries.append(Entry(row, HEADING, side, names, amounts, bad=frozenset(bad), scope="side"))
            elif group and (side == REVENUE or named_side == REVENUE):
                side, owner = REVENUE, None
                heading = Entry(row, HEADING, side, names, amounts, bad=frozenset(bad), group=group, scope="group")
                entries.append(heading)
            elif function and side == EXPENDITURE:
                owner = None
                heading = Entry(row, HEADING, side, names, amounts, bad=frozenset(bad), group=function, scope="group")
                entries.append(heading)
            elif is_balance(label) or not amounts:
                continue  # a balance line or a note: not part of the budget, not checked
            else:
                problem(row, layout.code.header, "missing_code", Msg(N_("This row has amounts but no code, and it is not a recognised total or heading.")))
            continue

        line_side = side
        if layout.side is not None and _text(_cell(cells, layout.side.index)):
            value = _text(_cell(cells, layout.side.index))
            line_side = side_of(value)
            if line_side is None:
                problem(row, layout.side.header, "bad_side", Msg(N_("{value} is neither revenue nor expenditure: expected «Киреше / Доход / Revenue» or «Чыгаша / Расход / Expenditure»."), value=value))
                continue
            if line_side != side:
                heading = owner = None
                side = line_side
        if line_side is None:
            problem(row, layout.code.header, "no_side", Msg(N_("It is not known whether line {code} is revenue or expenditure: put it under a «Кирешелер / Доходы / Revenue» or «Чыгашалар / Расходы / Expenditure» row, or add a side column."), code=code))
            continue
        if not names:
            problem(row, layout.names[0][0].header, "missing_name", Msg(N_("Line {code} has no name."), code=code))
        key = re.sub(r"[^0-9a-z]", "", code.lower())
        group_cell = _text(_cell(cells, layout.group.index)) if layout.group is not None else ""
        entry = Entry(row, LINE, line_side, names, amounts, code=code, key=key, block=heading.row if heading else None)

        if line_side == REVENUE:
            if group_cell:
                entry.group = revenue_group_of(group_cell) or ""
                if not entry.group:
                    problem(row, layout.group.header, "bad_group", Msg(N_("{value} is not a revenue group: expected own revenues, equalisation grant, special account, other transfers or other revenues."), value=group_cell))
            else:
                named = revenue_group_of(label)
                # a grant or transfer line right after the own-revenue lines is not one of them
                if heading is None or named in ("grant", "special", "transfers"):
                    entry.group = named or ""
                else:
                    entry.group = heading.group
            if heading is not None and entry.group and entry.group != heading.group:
                heading, entry.block = None, None  # a line of another group ends the heading's block
            if not entry.group:
                entry.group = "other"
                problem(row, layout.code.header, "unknown_group", Msg(N_("The revenue group of line {code} is not known; it is counted as other revenues."), code=code), WARNING)
        else:
            if group_cell:
                entry.group = function_of(group_cell, functions) or ""
                if not entry.group:
                    problem(row, layout.group.header, "bad_group", Msg(N_("{value} is not a function code from the list ({codes})."), value=group_cell, codes=", ".join(functions)))
            else:
                by_code = function_prefix(key, functions)
                if key in functions:
                    owner = entry  # "709 Education": the rows below, until the next function, are its parts
                    entry.group = key
                elif by_code:
                    entry.group = by_code
                elif owner is not None:
                    entry.group, entry.owner = owner.group, owner.row
                elif heading is not None:
                    entry.group = heading.group
                else:
                    problem(row, layout.code.header, "no_function", Msg(N_("The function of expenditure line {code} is not known: use a code starting with a function code ({codes}), put it under a function row, or fill the group column."), code=code, codes=", ".join(functions)))

            if heading is not None and entry.group != heading.group:
                heading, entry.block = None, None
        for i, value in amounts.items():
            if value < 0:
                a = layout.amounts[i]
                allowed = a.kind == DONE and line_side == REVENUE  # refunds can make received revenue negative
                problem(row, a.column.header, "negative_amount", Msg(N_("{value} is negative; a planned amount or spending cannot be below zero."), value=Number(value / a.unit))
                        if not allowed else Msg(N_("{value} is negative (refunds exceed receipts)."), value=Number(value / a.unit)), WARNING if allowed else "error")
        entry.bad = frozenset(bad)
        entries.append(entry)
    return entries, problems

