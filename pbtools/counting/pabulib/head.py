"""The META and PROJECTS rows of a ``.pb`` file as the reader takes them (``reader.py`` reads the sections): META
entries, Projects with exact costs, and the reader's error type.

The compiled reader hands a file in the common layout here in one go (``_pbnative.read_head``: META added as
``add_meta`` adds it, PROJECTS rows as ``present_cells`` gives them); any other layout, and every file the Python
reader reads, comes row by row: one definition of each. These are the reader's (``reader.py``) names, public to it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from pbtools.counting.frozen import maker
from pbtools.counting.model import NAME_LANGS, Project
from pbtools.i18n import Msg, N_


class PabulibError(ValueError):
    def __init__(self, message: Msg) -> None:
        super().__init__(str(message))
        self.message = message


COST_ERROR = N_("{file}, line {line}: the cost {value!r} is not an amount")
BUDGET_ERROR = N_("{file}: the budget {value!r} in META is not an amount")
TOO_LARGE = N_("{file}, line {line}: the amount {value!r} is too large (at most {digits} digits before the decimal point and {decimals} after it)")
# Bounds that keep every count exact and every float screen finite (scaled amounts stay far below 1e308).
MAX_DIGITS, MAX_DECIMALS = 40, 20


def amount(text: str, error: str, file: str, line: int) -> Decimal:
    if len(text) <= MAX_DECIMALS and text.isascii() and text.replace(".", "", 1).isdigit():
        return Decimal(text)  # at most 20 ASCII digits and a point: nothing below can refuse it, nor strip it
    where = {"file": file, "line": line}
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        value = Decimal("NaN")
    if not value.is_finite() or value < 0:
        raise PabulibError(Msg(error, value=text, **where))
    digits, exponent = value.as_tuple()[1:]
    while len(digits) > 1 and digits[-1] == 0 and exponent < 0:  # 12.50 has 1 decimal
        digits, exponent = digits[:-1], exponent + 1
    if len(digits) + exponent > MAX_DIGITS or -exponent > MAX_DECIMALS:
        raise PabulibError(Msg(TOO_LARGE, value=text, digits=MAX_DIGITS, decimals=MAX_DECIMALS, **where))
    return value


def present_cells(header: list[str], row: list[str]) -> dict[str, str]:
    """A PROJECTS row's cells neither blank nor None, as they are (not stripped); ``_pbnative.read_head`` gives the
    same for the rows it reads."""
    cells = {}
    for h, c in zip(header, row):
        s = c.strip()
        if s and s.lower() != "none":
            cells[h] = c
    return cells


def add_meta(rows, lines, meta: dict, meta_lines: dict) -> None:
    """META rows (each ``key;value``, at its line): a section's rows at once, without a call per row."""
    for row, line in zip(rows, lines):
        key = row[0].strip()
        meta[key] = row[1]
        meta_lines[key] = line


def add_projects(rows, lines, projects: dict, name: str) -> None:
    """PROJECTS rows (each a row's cells neither blank nor None, as ``present_cells`` gives them, at its line) made
    Projects, in order: a section's rows at once, without a call per row. The first problem is raised."""
    make, costs = _make_project, {}  # costs: each text's Decimal (exact, immutable: shared by equal costs)
    for cells, line in zip(rows, lines):
        pid = cells.pop("project_id", "").strip()
        if not pid:
            raise PabulibError(Msg(N_("{file}, line {line}: a project without project_id"), file=name, line=line))
        text = cells.pop("cost", None)
        if text is None:
            raise PabulibError(Msg(N_("{file}, line {line}: project {project} has no cost"), project=pid, file=name, line=line))
        cost = costs.get(text)
        if cost is None:
            cost = costs[text] = amount(text, COST_ERROR, name, line)
        project_name = cells.pop("name", "")
        names = {"": project_name} if project_name else {}
        for lang, column in NAME_COLUMNS:  # a hearing's export names its projects in ru and en beside ``name`` (ky)
            other = cells.pop(column, None)
            if other is not None:
                names[lang] = other
        area = cells.get("district") or cells.get("subunit") or None
        sector = cells.get("category") or None
        project = make(pid, cost, names, area, sector, cells)
        if projects.setdefault(pid, project) is not project:  # one look-up: most ids are new
            raise PabulibError(Msg(N_("{file}, line {line}: project {project} is listed twice"), project=pid, file=name, line=line))


NAME_COLUMNS = tuple((lang, f"name_{lang}") for lang in NAME_LANGS)  # -> names[lang]; ``name`` -> names[""]
_make_project = maker(Project)  # Project(...) without its frozen __init__ (frozen.py)
