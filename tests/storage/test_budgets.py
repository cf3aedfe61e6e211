"""Budgets, the municipality and settings round-trip exactly through the database."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from pbtools.budget.model import EXPENDITURE, REVENUE, Budget, BudgetLine, Municipality, Village
from pbtools.budget.read import read_budget, read_municipality

SAMPLE = Path(__file__).resolve().parents[2] / "data" / "sample"


def exact(budget: Budget) -> list:
    """Everything in a budget, amounts as their exact text (so 1.50 and 1.5 differ)."""
    return [budget.year, dict(budget.municipality), budget.source] + [
        (l.side, l.code, dict(l.names), l.group, {y: str(v) for y, v in l.planned.items()},
         {y: str(v) for y, v in l.executed.items()}) for l in budget.lines
    ]


def test_the_sample_budget_round_trips(ws):
    budget, problems = read_budget(SAMPLE / "budget.csv")
    assert budget is not None and budget.lines, problems
    budget_id = ws.save_budget(budget)
    loaded = ws.load_budget(budget_id)
    assert loaded == budget and exact(loaded) == exact(budget)
    for side in (REVENUE, EXPENDITURE):
        for year in budget.years():
            assert loaded.total(side, year) == budget.total(side, year)


def test_budgets_are_listed_and_the_latest_is_loaded_by_default(ws, target):
    assert ws.load_budget() is None and ws.list_budgets() == []
    line = BudgetLine(REVENUE, "1121", {"ky": "Жер салыгы", "ru": "Земельный налог", "en": "Land tax"}, "own",
                      {2025: Decimal("100.50")}, {2024: Decimal("99")})
    first = ws.save_budget(Budget(2025, (line,), {"ky": "Ак-Суу"}, "a.csv"))
    second = ws.save_budget(Budget(2026, (), {}, "b.xlsx"))
    listed = ws.list_budgets()
    assert [(i, y, s) for i, y, s, _ in listed] == [(first, 2025, "a.csv"), (second, 2026, "b.xlsx")]
    assert listed[0][3] <= listed[1][3] and listed[0][3].tzinfo is not None
    assert ws.load_budget() == Budget(2026, (), {}, "b.xlsx")
    assert ws.load_budget(first).lines == (line,)
    assert ws.load_budget(second + 1) is None
    ws.close()
    with target.open(create=False) as again:
        assert again.load_budget(first).lines == (line,)


def test_an_inexact_amount_is_refused_and_nothing_stored(ws):
    bad = BudgetLine(EXPENDITURE, "709", {"en": "Schools"}, "709", {2026: 0.1})
    good = BudgetLine(EXPENDITURE, "701", {"en": "Roads"}, "701", {2026: Decimal("5")})
    with pytest.raises(TypeError, match="709"):
        ws.save_budget(Budget(2026, (good, bad)))
    with pytest.raises(ValueError, match="NUL"):  # PostgreSQL cannot store it; refused on SQLite too
        ws.save_budget(Budget(2026, (good, BudgetLine(EXPENDITURE, "70\x009", {"en": "x"}, "709"))))
    assert ws.list_budgets() == []


amounts = st.decimals(allow_nan=False, allow_infinity=False, min_value=-10**15, max_value=10**15, places=None)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from((REVENUE, EXPENDITURE)), st.text(st.characters(codec="utf-8", exclude_characters="\x00"), min_size=1, max_size=8),
                          st.dictionaries(st.sampled_from(("ky", "ru", "en")), st.text(max_size=30), min_size=1),
                          st.dictionaries(st.integers(2000, 2040), amounts, max_size=3),
                          st.dictionaries(st.integers(2000, 2040), amounts, max_size=3)), max_size=6))
def test_any_budget_round_trips_exactly(ws, rows):
    # one workspace serves every example: each budget names its own place, or two examples drawing the same lines
    # would be one budget stored twice (refused, as it should be: tests/budget/test_budget_service.py)
    place = f"Ак-Суу {len(ws.list_budgets())}"
    budget = Budget(2026, tuple(BudgetLine(side, code, names, "g", planned, executed)
                                for side, code, names, planned, executed in rows), {"ru": place}, "x.csv")
    assert exact(ws.load_budget(ws.save_budget(budget))) == exact(budget)


def test_the_municipality_round_trips_and_is_replaced(ws, target):
    assert ws.municipality() is None
    sample = read_municipality(SAMPLE)
    ws.save_municipality(sample)
    assert ws.municipality() == sample
    other = Municipality({"ky": "Өзгөн", "ru": "Узген"}, (Village({"ky": "Үч-Коргон"}, 1250, "uch-korgon"),), {"ru": "Ошская"}, {})
    ws.save_municipality(other)
    ws.close()
    with target.open(create=False) as again:
        assert again.municipality() == other
        assert again.municipality().population == 1250


def test_settings_hold_json_values(ws, target):
    assert ws.get_setting("lang") is None and ws.get_setting("lang", "en") == "en"
    ws.set_setting("lang", "ky")
    ws.set_setting("lang", "ru")
    ws.set_setting("screens", {"projector": [1, 2], "dark": False, "title": "Угуу"})
    with pytest.raises(TypeError):
        ws.set_setting("budget", Decimal("1"))
    ws.close()
    with target.open(create=False) as again:
        assert again.get_setting("lang") == "ru"
        assert again.get_setting("screens") == {"projector": [1, 2], "dark": False, "title": "Угуу"}
        assert again.get_setting("budget", "none") == "none"
