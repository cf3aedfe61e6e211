"""Budgets and the municipality in the database, round-tripping ``pbtools.budget.model`` exactly.

Amounts are stored as the Decimal's text, so 1234.50 comes back as Decimal("1234.50") on SQLite and PostgreSQL.
Each save is one transaction: a budget is stored whole or not at all.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from decimal import Decimal
from contextlib import contextmanager, nullcontext
from typing import Any, Iterator, Mapping

from sqlalchemy import Connection, Engine, delete, func, select

from pbtools.budget.model import Budget, BudgetLine, Municipality, Village
from pbtools.storage import schema as s
from pbtools.i18n import N_, Msg
from pbtools.storage.engine import writer
from pbtools.storage.errors import StorageError
from pbtools.storage.record import canonical_json, time_text

PLANNED, EXECUTED = "planned", "executed"


def _names(names: Mapping[str, str]) -> str:
    return canonical_json(dict(names))


def _amount(value: Any, where: str) -> str:
    # exactness is the point of storing text: a float here would already be inexact, so it is refused
    if isinstance(value, bool) or not isinstance(value, (Decimal, int)):
        raise TypeError(f"{where}: amount {value!r} is not a Decimal")
    value = Decimal(value)
    if not value.is_finite():
        raise ValueError(f"{where}: amount {value} is not a number")
    return str(value)


class BudgetAlreadyStored(StorageError):
    """The same budget (year, municipality, every line and amount) is stored already; ``budget_id`` is its number."""

    def __init__(self, budget_id: int, year: int) -> None:
        self.budget_id = budget_id
        super().__init__(Msg(N_("This budget for {year} is already stored (number {id}): it was not stored a second time."), year=year, id=budget_id))


def _reading(engine: Engine, conn: Connection | None) -> Any:
    """``conn`` when given (a transaction writing this workspace, which reads what it wrote), else a connection."""
    return nullcontext(conn) if conn is not None else engine.connect()


@contextmanager
def _writing(engine: Engine, conn: Connection | None) -> Iterator[Connection]:
    """A transaction of its own, or ``conn``'s (committed or rolled back by its owner)."""
    if conn is not None:
        yield conn
    else:
        with writer(engine).begin() as own:
            yield own


def stored_copy(engine: Engine, budget: Budget, conn: Connection | None = None) -> int | None:
    """The number of a stored budget with the same year, municipality, lines and amounts (whatever the file's
    name), else None."""
    with _reading(engine, conn) as c:
        same_year = c.execute(select(s.budgets.c.id).where(s.budgets.c.year == budget.year).order_by(s.budgets.c.id)).scalars().all()
    for budget_id in same_year:
        stored = load_budget(engine, budget_id, conn)
        if stored is not None and stored.lines == budget.lines and dict(stored.municipality) == dict(budget.municipality):
            return budget_id
    return None


def save_budget(engine: Engine, budget: Budget, conn: Connection | None = None) -> int:
    """Store ``budget``; raises BudgetAlreadyStored when the same budget is there (importing a file twice gives one
    budget, so figures are never counted from two copies). ``conn``: in that transaction (with more writes)."""
    lines, amounts = [], []
    s.check_text(source=budget.source)
    for position, line in enumerate(budget.lines):
        s.check_text(side=line.side, code=line.code, group=line.group)
        lines.append(dict(position=position, side=line.side, code=line.code, line_group=line.group, names=_names(line.names)))
        for kind, column in ((PLANNED, line.planned), (EXECUTED, line.executed)):
            amounts += [dict(position=position, kind=kind, year=int(year), amount=_amount(v, f"line {line.code} {kind} {year}"))
                        for year, v in column.items()]
    with _writing(engine, conn) as conn:
        # checked under the write lock: two imports of one file at the same moment still give one budget
        existing = stored_copy(engine, budget, conn)
        if existing is not None:
            raise BudgetAlreadyStored(existing, budget.year)
        budget_id = conn.execute(s.budgets.insert().values(
            year=budget.year, source=budget.source, municipality=_names(budget.municipality),
            imported_at=time_text(datetime.now(timezone.utc)),
        )).inserted_primary_key[0]
        if lines:
            conn.execute(s.budget_lines.insert(), [{**row, "budget_id": budget_id} for row in lines])
        if amounts:
            conn.execute(s.budget_amounts.insert(), [{**row, "budget_id": budget_id} for row in amounts])
    return budget_id


def load_budget(engine: Engine, budget_id: int | None = None, conn: Connection | None = None) -> Budget | None:
    """The budget ``budget_id``, or the latest stored one when None; None when there is no such budget."""
    with _reading(engine, conn) as conn:
        if budget_id is None:
            budget_id = conn.execute(select(func.max(s.budgets.c.id))).scalar()
        head = conn.execute(select(s.budgets).where(s.budgets.c.id == budget_id)).first() if budget_id is not None else None
        if head is None:
            return None
        rows = conn.execute(select(s.budget_lines).where(s.budget_lines.c.budget_id == budget_id)
                            .order_by(s.budget_lines.c.position)).all()
        amounts: dict[tuple[int, str], dict[int, Decimal]] = {}
        for a in conn.execute(select(s.budget_amounts).where(s.budget_amounts.c.budget_id == budget_id)
                              .order_by(s.budget_amounts.c.position, s.budget_amounts.c.kind, s.budget_amounts.c.year)):
            amounts.setdefault((a.position, a.kind), {})[a.year] = Decimal(a.amount)
    lines = tuple(
        BudgetLine(side=r.side, code=r.code, names=json.loads(r.names), group=r.line_group,
                   planned=amounts.get((r.position, PLANNED), {}), executed=amounts.get((r.position, EXECUTED), {}))
        for r in rows
    )
    return Budget(year=head.year, lines=lines, municipality=json.loads(head.municipality), source=head.source)


def list_budgets(engine: Engine) -> list[tuple[int, int, str, datetime]]:
    """(id, year, source, imported_at) of every stored budget, oldest first."""
    b = s.budgets
    with engine.connect() as conn:
        rows = conn.execute(select(b.c.id, b.c.year, b.c.source, b.c.imported_at).order_by(b.c.id)).all()
    return [(r.id, r.year, r.source, datetime.fromisoformat(r.imported_at)) for r in rows]


def save_municipality(engine: Engine, m: Municipality, conn: Connection | None = None) -> None:
    """Store ``m`` as the workspace's municipality, replacing the one stored before (``conn``: in that transaction)."""
    for v in m.villages:
        s.check_text(village=v.id)
    villages = [dict(position=i, village_id=v.id, names=_names(v.names), population=int(v.population))
                for i, v in enumerate(m.villages)]
    with _writing(engine, conn) as conn:
        conn.execute(delete(s.villages))
        conn.execute(delete(s.municipality))
        conn.execute(s.municipality.insert().values(id=1, names=_names(m.names), oblast=_names(m.oblast), rayon=_names(m.rayon)))
        if villages:
            conn.execute(s.villages.insert(), villages)


def load_municipality(engine: Engine) -> Municipality | None:
    with engine.connect() as conn:
        row = conn.execute(select(s.municipality).where(s.municipality.c.id == 1)).first()
        if row is None:
            return None
        villages = conn.execute(select(s.villages).order_by(s.villages.c.position)).all()
    return Municipality(
        names=json.loads(row.names), oblast=json.loads(row.oblast), rayon=json.loads(row.rayon),
        villages=tuple(Village(names=json.loads(v.names), population=v.population, id=v.village_id) for v in villages),
    )
