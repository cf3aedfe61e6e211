"""What the Budget app and ``pbtools budget import`` ask of a workspace, in one place: the budgets stored, a file read
for a preview (with the place it names matched to the workspace's municipality), storing it, and the citizens'
budget of a stored one. Plain data out; refusals are ``StorageError``s (``BudgetAlreadyStored`` names the budget
already there) or ``NotAllowed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, Mapping

from pbtools.budget.model import Budget
from pbtools.budget.place import for_workspace
from pbtools.budget.read import Inspection, inspect_budget
from pbtools.budget.summary import CitizensBudget, citizens_budget
from pbtools.i18n import Msg
from pbtools.roles import BUDGET, LOCAL, Actor


@dataclass(frozen=True)
class StoredBudget:
    id: int
    year: int
    source: str  # the file it was imported from

    @property
    def label(self) -> str:  # the number first: "already stored (number 2)" must point at one entry of a list
        return f"№{self.id} · {self.year} · {self.source}"


@dataclass(frozen=True)
class Preview:
    """A file as it would be stored: the inspection (problems, what was read of the table) and, when it can be
    stored, the budget as this workspace would keep it, and why its place is not the workspace's (or None)."""

    inspection: Inspection
    budget: Budget | None
    other_place: Msg | None

    def summary(self) -> CitizensBudget | None:
        """The file's totals by kind, as read (no per-resident figures: the place may not be the workspace's)."""
        return citizens_budget(self.budget) if self.budget is not None else None


class BudgetService:
    def __init__(self, ws: Any) -> None:
        self.ws = ws

    def budgets(self) -> list[StoredBudget]:
        """Every stored budget, oldest first."""
        return [StoredBudget(i, year, source) for i, year, source, _imported in self.ws.list_budgets()]

    def citizens_budget(self, budget_id: int | None = None) -> CitizensBudget | None:
        """The citizens' budget of a stored budget (the latest when None), per resident where the population is
        known; None when there is no such budget."""
        budget = self.ws.load_budget(budget_id)
        return citizens_budget(budget, self.ws.municipality()) if budget is not None else None

    def preview(self, path: str | Path, *, year: int | None = None, unit: Decimal | int | None = None,
                roles: Mapping[int, str] | None = None) -> Preview:
        found = inspect_budget(path, year=year, unit=unit, roles=roles)
        if found.budget is None:
            return Preview(found, None, None)
        budget, other = for_workspace(found.budget, self.ws.municipality())
        return Preview(found, budget, other)

    def store(self, preview: Preview, actor: Actor = LOCAL) -> int:
        """Store a previewed budget in one transaction (on disk before anyone is told); its number."""
        actor.require(BUDGET)
        if preview.budget is None:
            raise ValueError("a budget with errors cannot be stored")
        return self.ws.save_budget(preview.budget)
