"""The hearing's priorities against the adopted budget (pure functions over plain data).

A priority is matched to one expenditure line of the adopted budget: by a person (kept in the ledger, which wins),
else by its budget code (a monitored project may carry one), else by the line's name (an adopted budget often lists
a capital project by its name). The line's planned amount for the year, against the cost of every priority matched
to it, says funded / partly funded / not funded. A priority with no line is compared with its sector only (the
function code its sector maps to, ``SECTOR_FUNCTIONS``, a default a workspace setting can replace): whether the
sector's money grew, from the year before, by the cost of the unmatched priorities in it. That is a hint, never a
finding: such priorities are listed for a person to match.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Iterable, Mapping

from pbtools.budget.model import EXPENDITURE, REVENUE, Budget, BudgetLine, pick_name
from pbtools.budget.text import fold
from pbtools.monitoring.follow.priorities import Priority

ZERO = Decimal(0)

FUNDED, PARTLY, NOT_FUNDED = "funded", "partly", "not_funded"  # a line is matched
SECTOR_GROWS, NOT_SEEN = "sector_grows", "not_seen"  # only the sector: to be matched by a person
NO_BUDGET = "no_budget"  # the adopted budget of the year is not in the workspace
STATUSES = (FUNDED, PARTLY, NOT_FUNDED, SECTOR_GROWS, NOT_SEEN, NO_BUDGET)
PROMISED_NOT_FUNDED = (NOT_FUNDED, PARTLY, NOT_SEEN)

BY_PERSON, BY_CODE, BY_NAME, BY_SECTOR, UNMATCHED = "person", "code", "name", "sector", "none"
NOTHING = ""  # a person's match that says: no line of the adopted budget gives money to this priority

# The hearing's sectors and the expenditure function (COFOG-based code) whose money they would come from.
SECTOR_FUNCTIONS: Mapping[str, str] = {
    "water": "706", "lighting": "706", "waste": "705", "roads": "704", "health": "707",
    "education": "709", "culture_sport": "708",
}


@dataclass(frozen=True)
class Followed:
    """One priority and what the adopted budget gives it."""

    priority: Priority
    status: str  # one of STATUSES
    how: str  # BY_PERSON, BY_CODE, BY_NAME (a line), BY_SECTOR (only the sector), UNMATCHED
    line: BudgetLine | None = None  # the matched line
    amount: Decimal = ZERO  # the line's planned amount in the year; by sector: the sector's growth
    shared: Decimal = ZERO  # the cost of every priority on the same line (or unmatched in the same sector)
    function: str = ""  # the sector's function code, when the sector is known
    sector_amount: Decimal | None = None  # the function's planned amount in the year (by sector)

    @property
    def cost(self) -> Decimal:
        return self.priority.option.cost

    @property
    def missing(self) -> Decimal:
        """What the adopted budget lacks for this priority (its share when several priorities share a line)."""
        if self.status in (NOT_FUNDED, NOT_SEEN):
            return self.cost
        if self.status == PARTLY and self.shared:
            return ((self.shared - self.amount) * self.cost / self.shared).quantize(Decimal(1), ROUND_HALF_UP)
        return ZERO

    @property
    def matched(self) -> bool:
        return self.how in (BY_PERSON, BY_CODE, BY_NAME)


@dataclass(frozen=True)
class ExecutionLine:
    """One budget line's plan and what was actually received or spent in the execution year."""

    side: str
    code: str
    names: Mapping[str, str]
    planned: Decimal
    executed: Decimal

    @property
    def shortfall(self) -> Decimal:
        return self.planned - self.executed

    @property
    def rate(self) -> Decimal | None:
        return self.executed / self.planned if self.planned else None

    def name(self, lang: str) -> str:
        return pick_name(self.names, lang)


@dataclass
class FollowUp:
    """The whole comparison for one budget year."""

    year: int
    adopted: Budget | None
    rows: list[Followed] = field(default_factory=list)
    execution_year: int | None = None
    execution: list[ExecutionLine] = field(default_factory=list)  # biggest shortfall first

    @property
    def to_match(self) -> list[Followed]:
        """Priorities no line is matched to: a person should match them (or say no line gives them money)."""
        return [r for r in self.rows if not r.matched and r.status != NO_BUDGET]

    @property
    def not_funded(self) -> list[Followed]:
        """Promised by the hearing and not (or not wholly) funded by the adopted budget."""
        return [r for r in self.rows if r.status in PROMISED_NOT_FUNDED]

    def total(self, status: str) -> Decimal:
        return sum((r.cost for r in self.rows if r.status == status), ZERO)


def _names(names: Mapping[str, str]) -> set[str]:
    return {fold(text) for text in names.values() if text and fold(text)}


def name_match(priority: Priority, lines: Iterable[BudgetLine]) -> BudgetLine | None:
    """The one expenditure line named as the priority (any language, ө/о alike, one name inside the other)."""
    titles = _names(priority.option.titles)
    found = [line for line in lines if any(t == n or (len(t) > 8 and t in n) or (len(n) > 8 and n in t)
                                           for t in titles for n in _names(line.names))]
    return found[0] if len(found) == 1 else None


def _line_amount(line: BudgetLine, year: int) -> Decimal:
    return line.planned.get(year, ZERO)


def follow_budget(priorities: list[Priority], adopted: Budget | None, year: int, matches: Mapping[str, str],
                  codes: Mapping[str, str] | None = None, sector_functions: Mapping[str, str] = SECTOR_FUNCTIONS,
                  previous: Budget | None = None) -> list[Followed]:
    """Each priority of ``year`` against ``adopted`` (None: not imported). ``matches``: priority key -> a line's
    code or ``NOTHING`` (a person's); ``codes``: priority key -> a budget code it carries (a monitored project's);
    ``previous``: a stored budget of the year before, for the sector's growth when ``adopted`` lacks that year."""
    if adopted is None:
        return [Followed(p, NO_BUDGET, UNMATCHED) for p in priorities]
    codes = codes or {}
    lines = adopted.expenditure()
    by_code = {line.code: line for line in lines}
    chosen: dict[str, tuple[str, BudgetLine | None]] = {}
    for p in priorities:
        kept = matches.get(p.key)
        if kept is not None and (kept == NOTHING or kept in by_code):
            chosen[p.key] = (BY_PERSON, by_code.get(kept))
        elif codes.get(p.key) in by_code:
            chosen[p.key] = (BY_CODE, by_code[codes[p.key]])
        elif (line := name_match(p, lines)) is not None:
            chosen[p.key] = (BY_NAME, line)
    on_line: dict[str, Decimal] = {}
    for p in priorities:
        how, line = chosen.get(p.key, (UNMATCHED, None))
        if line is not None:
            on_line[line.code] = on_line.get(line.code, ZERO) + p.option.cost
    matched_codes = {line.code for _how, line in chosen.values() if line is not None}
    unmatched = [p for p in priorities if p.key not in chosen]
    sector_cost: dict[str, Decimal] = {}
    for p in unmatched:
        function = sector_functions.get(p.option.sector, "")
        sector_cost[function] = sector_cost.get(function, ZERO) + p.option.cost
    rows = []
    for p in priorities:
        how, line = chosen.get(p.key, (UNMATCHED, None))
        function = sector_functions.get(p.option.sector, "")
        if how == BY_PERSON and line is None:
            rows.append(Followed(p, NOT_FUNDED, how, function=function))
        elif line is not None:
            amount, shared = _line_amount(line, year), on_line[line.code]
            status = FUNDED if amount >= shared else PARTLY if amount > 0 else NOT_FUNDED
            rows.append(Followed(p, status, how, line, amount, shared, line.group))
        else:
            rows.append(_by_sector(p, function, lines, matched_codes, year, sector_cost.get(function, ZERO), adopted, previous))
    return rows


def _by_sector(p: Priority, function: str, lines: tuple[BudgetLine, ...], matched: set[str], year: int,
               cost: Decimal, adopted: Budget, previous: Budget | None) -> Followed:
    """The sector's growth (lines no priority is matched to) against the cost of its unmatched priorities."""
    in_sector = [line for line in lines if function and line.group == function and line.code not in matched]
    if not in_sector:
        return Followed(p, NOT_SEEN, UNMATCHED, function=function, shared=cost)
    now = sum((_line_amount(line, year) for line in in_sector), ZERO)
    before_lines = in_sector if any(year - 1 in line.planned for line in in_sector) or previous is None else [
        line for line in previous.expenditure() if line.group == function and line.code not in matched]
    before = sum((line.planned.get(year - 1, ZERO) for line in before_lines), ZERO)
    growth = now - before
    status = SECTOR_GROWS if cost and growth >= cost else NOT_SEEN
    return Followed(p, status, BY_SECTOR, None, growth, cost, function, now)


def execution_lines(budgets: list[Budget], year: int) -> tuple[int | None, list[ExecutionLine]]:
    """(the execution year, its lines biggest shortfall first): ``year`` - 1 from the first of ``budgets`` (the
    adopted one first, then the others, newest first) that has executed amounts for it, else the latest executed
    year of the first budget that has any."""
    wanted = year - 1
    source = next((b for b in budgets if any(wanted in line.executed for line in b.lines)), None)
    if source is None:
        source = next((b for b in budgets if any(line.executed for line in b.lines)), None)
        if source is None:
            return None, []
        wanted = max(y for line in source.lines for y in line.executed)
    rows = [ExecutionLine(line.side, line.code, line.names, line.planned.get(wanted, ZERO), line.executed.get(wanted, ZERO))
            for line in source.lines if wanted in line.planned or wanted in line.executed]
    side_order = {REVENUE: 0, EXPENDITURE: 1}
    rows.sort(key=lambda r: (-r.shortfall, side_order.get(r.side, 2), r.code))
    return wanted, rows
