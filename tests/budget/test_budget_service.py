"""The Budget app's service, without widgets: a file previewed as the workspace would keep it, stored once, and
its citizens' budget; the role check of every store."""

from __future__ import annotations

import pytest

from pbtools.budget.service import BudgetService
from pbtools.resources import data_dir
from pbtools.roles import MONITOR, Actor, NotAllowed
from pbtools.storage import open_workspace
from pbtools.storage.budgets import BudgetAlreadyStored


def test_a_previewed_budget_is_stored_once_and_summarised(tmp_path):
    sample = data_dir("sample") / "budget.csv"
    with open_workspace(tmp_path / "ws") as ws:
        service = BudgetService(ws)
        assert service.budgets() == [] and service.citizens_budget() is None
        preview = service.preview(sample)
        assert preview.budget is not None and preview.summary().revenue > 0
        with pytest.raises(NotAllowed):
            service.store(preview, Actor("Айгүл", MONITOR))
        assert service.budgets() == []  # refused: nothing stored
        budget_id = service.store(preview)
        (stored,) = service.budgets()
        assert stored.id == budget_id and stored.label.startswith(f"№{budget_id} · {preview.budget.year}")
        assert service.citizens_budget(budget_id).revenue == preview.summary().revenue
        with pytest.raises(BudgetAlreadyStored) as again:
            service.store(service.preview(sample))
        assert again.value.budget_id == budget_id and len(service.budgets()) == 1
