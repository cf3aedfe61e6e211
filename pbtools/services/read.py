"""Reading a services register from a CSV or XLSX file: one row per service (see docs/services.md).

The file is opened and its numbers read exactly as a budget file's (``pbtools.budget``: UTF-8 or Windows-1251,
``;``/tab/``,``, decimal comma or point, thousands with spaces, title rows with "тыс. сом"). ``read_services(path)``
returns ``(services, problems)``: the services only when no problem is an error; every problem names the file, the
row and the column.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from pbtools.budget.headers import unit_of
from pbtools.budget.numbers import NotANumber, TooLarge, checked, decimal_mark_evidence, parse_amount, too_large
from pbtools.budget.problems import ERROR, WARNING, Problem, errors
from pbtools.budget.table import Cell, Table, load_table
from pbtools.budget.text import script_language
from pbtools.fmt import Percent
from pbtools.i18n import N_, Msg
from pbtools.services.columns import (
    COST, HOUSEHOLDS, ID, LINES, NAME, PEOPLE, PROVIDER, RATE, TARIFF, VILLAGES, ServiceColumn, column_of, provider_of,
    split_list,
)
from pbtools.services.errors import ServiceError
from pbtools.services.model import MUNICIPALITY, CostItem, Service, Tariff
from pbtools.services.tariffs import parse_rate


def _header_row(table: Table) -> tuple[int, list[ServiceColumn]] | None:
    """(index into table.rows, columns) of the first row with an id, a name, and households, people or a cost."""
    for i, (_, cells) in enumerate(table.rows[:30]):
        columns = [column_of(c, cell) if isinstance(cell, str) else ServiceColumn(c, "", None) for c, cell in enumerate(cells)]
        roles = {col.role for col in columns}
        if ID in roles and NAME in roles and roles & {HOUSEHOLDS, PEOPLE, COST}:
            return i, columns
    return None


def _text(cell: Cell) -> str:
    return cell if isinstance(cell, str) else format(cell, "f")


def _mark(table: Table, first: int, columns: list[ServiceColumn]) -> tuple[str | None, bool]:
    """The file's decimal mark (None: no evidence) and whether it uses both."""
    numeric = {c.index for c in columns if c.role in (COST, TARIFF, HOUSEHOLDS, PEOPLE, RATE)}
    seen = {decimal_mark_evidence(cell) for _, cells in table.rows[first:] for i, cell in enumerate(cells)
            if i in numeric and isinstance(cell, str)} - {None}
    return (seen.pop() if len(seen) == 1 else None), len(seen) > 1


def read_services(path: str | Path) -> tuple[list[Service], list[Problem]]:
    table, problems = load_table(path)
    if table is None:
        return [], problems
    found = _header_row(table)
    if found is None:
        problems.append(Problem(table.file, None, None, "no_header", Msg(N_("No header row found: the table needs an id column (Код / Code), a name column (Аталышы / Наименование / Name) and households (Үй-бүлөлөр / Домохозяйства / Households), people or a cost column (Чыгым / Расходы / Cost)."))))
        return [], problems
    start, columns = found
    header_row = table.rows[start][0]
    titles = [c for _, cells in table.rows[:start] for c in cells if isinstance(c, str)]
    title_unit = next((u for u in map(unit_of, titles) if u is not None), None)
    mark, mixed = _mark(table, start + 1, columns)
    if mixed:
        problems.append(Problem(table.file, None, None, "mixed_decimal_marks", Msg(N_("The file writes some amounts with a decimal comma and others with a decimal point: use one mark."))))
    for role in (ID,):
        if sum(c.role == role for c in columns) > 1:
            problems.append(Problem(table.file, header_row, None, "duplicate_column", Msg(N_("More than one id column."))))
    services: list[Service] = []
    seen: dict[str, int] = {}
    for row, cells in table.rows[start + 1:]:
        service = _service(table.file, row, cells, columns, mark, title_unit, problems)
        id_column = next(c for c in columns if c.role == ID)
        service_id = _text(cells[id_column.index]).strip() if id_column.index < len(cells) else ""
        if service_id in seen:  # also when either row has other errors: every problem at once
            problems.append(Problem(table.file, row, id_column.header, "duplicate_id", Msg(N_("Service id {id} already appears in row {first_row}."), id=service_id, first_row=seen[service_id])))
        elif service_id:
            seen[service_id] = row
        if service is not None:
            services.append(service)
    if not services and not errors(problems):
        problems.append(Problem(table.file, None, None, "no_services", Msg(N_("The table has no services (rows with an id and a name)."))))
    problems.sort(key=lambda p: p.row or 0)
    return ([] if errors(problems) else services), problems


def _service(file: str, row: int, cells: tuple[Cell, ...], columns: list[ServiceColumn], mark: str | None,
             title_unit: Decimal | None, problems: list[Problem]) -> Service | None:
    def cell(col: ServiceColumn) -> Cell:
        return cells[col.index] if col.index < len(cells) else ""

    def problem(col: ServiceColumn | None, kind: str, message: Msg, severity: str = ERROR) -> None:
        problems.append(Problem(file, row, col.header if col else None, kind, message, severity))

    def amount(col: ServiceColumn) -> Decimal | None:
        value = cell(col)
        try:  # a workbook's number is held to the same bound as typed text
            return checked(value) if isinstance(value, Decimal) else parse_amount(value, mark)
        except TooLarge:
            problem(col, "too_large", too_large(value))
            return None
        except NotANumber:
            problem(col, "not_a_number", Msg(N_("{value} is not a number"), value=value))
            return None

    values = {c.role: _text(cell(c)).strip() for c in columns if c.role in (ID, VILLAGES, PROVIDER, LINES, RATE)}
    names = {}
    for col in columns:
        if col.role == NAME and _text(cell(col)).strip():
            text = _text(cell(col)).strip()
            names[col.lang or script_language([text])] = text
    if not values.get(ID) and not names:
        if any(amount(c) for c in columns if c.role in (COST, TARIFF) and _text(cell(c)).strip()):
            problem(None, "missing_id", Msg(N_("A row with amounts has no service id and no name.")))
        return None  # a blank or a note row
    before = len(errors(problems))
    id_column = next(c for c in columns if c.role == ID)
    if not values.get(ID):
        problem(id_column, "missing_id", Msg(N_("The service has no id.")))
    if not names:
        problem(next((c for c in columns if c.role == NAME), None), "missing_name", Msg(N_("The service has no name.")))
    counts = {}
    unreadable = len(problems)
    for role in (HOUSEHOLDS, PEOPLE):
        col = next((c for c in columns if c.role == role), None)
        value = amount(col) if col is not None else None
        if value is not None and (value < 0 or value != value.to_integral_value()):
            problem(col, "bad_count", Msg(N_("{value} is not a whole number of households or people"), value=_text(cell(col))))
            value = None
        counts[role] = int(value or 0)
    if not counts[HOUSEHOLDS] and not counts[PEOPLE] and len(problems) == unreadable:  # not when a count was unreadable
        problem(next((c for c in columns if c.role in (HOUSEHOLDS, PEOPLE)), None), "no_payers",
                Msg(N_("Give the number of households or people the service serves.")))
    provider = MUNICIPALITY
    provider_col = next((c for c in columns if c.role == PROVIDER), None)
    if values.get(PROVIDER):
        provider = provider_of(values[PROVIDER]) or ""
        if not provider:
            problem(provider_col, "bad_provider", Msg(N_("{value}: say who delivers the service: the municipality (айыл өкмөтү), a municipal enterprise (муниципалдык ишкана / МП) or a contractor (подрядчик)"), value=values[PROVIDER]))
    rate = Decimal(1)
    rate_col = next((c for c in columns if c.role == RATE), None)
    if values.get(RATE):
        try:
            rate = parse_rate(values[RATE])
        except ServiceError as e:
            problem(rate_col, "bad_rate", e.problems[0])
    else:
        problem(rate_col, "no_rate", Msg(N_("No collection rate: everything billed is assumed to be paid ({all})."), all=Percent(1)), WARNING)
    costs, tariffs = [], []
    for col in columns:
        if col.role not in (COST, TARIFF) or not _text(cell(col)).strip():
            continue
        value = amount(col)
        if value is None:
            continue
        if value < 0:
            problem(col, "negative_amount", Msg(N_("{value} is negative: costs and tariffs are amounts of som"), value=_text(cell(col))))
            continue
        item = {col.lang: col.item or col.header}
        if col.role == COST:
            costs.append(CostItem(item, value * (col.unit or title_unit or 1)))
        else:
            tariffs.append(Tariff(item, value, col.payer, col.period))
    if not costs:
        problem(None, "no_cost", Msg(N_("The service has no yearly cost: a tariff that covers it cannot be computed.")), WARNING)
    if len(errors(problems)) > before:
        return None
    return Service(values.get(ID, ""), names, split_list(values.get(VILLAGES, "")), counts[HOUSEHOLDS], counts[PEOPLE],
                   provider, tuple(costs), tuple(tariffs), rate, tuple(split_list(values.get(LINES, "").replace(" ", ","))))
