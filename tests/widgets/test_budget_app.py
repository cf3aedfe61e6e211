"""The Budget app driven from Python, as a user would: traitlets set, uploads given, screens read."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from pbtools.demo import SAMPLE_DIR, create_demo
from pbtools.storage import open_workspace
from widgets.budget_app import BudgetApp


@pytest.fixture
def ws(tmp_path):
    create_demo(tmp_path / "ws")
    with open_workspace(tmp_path / "ws") as workspace:
        yield workspace


def test_shows_the_stored_budget_in_the_chosen_language(ws):
    app = BudgetApp(ws, lang="ru")
    assert "Доходы" in app.tiles.value and "сом" in app.tiles.value
    assert bytes(app.charts["sources"].value).startswith(b"\x89PNG")
    app.lang_switch.value = "ky"
    assert "Кирешелер" in app.tiles.value
    assert app.heading.value.count("Жарандар үчүн бюджет") == 1


def test_other_charts_are_drawn_when_their_tab_opens(ws):
    app = BudgetApp(ws, lang="en")
    assert not app.charts["functions"].value
    app.tabs.selected_index = 1
    assert bytes(app.charts["functions"].value).startswith(b"\x89PNG")


def test_a_bad_file_is_refused_in_the_users_language_and_nothing_is_stored(ws):
    app = BudgetApp(ws, lang="ky")
    before = ws.list_budgets()
    # the income tax planned for 2026 is no number: the file must be refused, naming the row and column
    bad = (SAMPLE_DIR / "budget.csv").read_text(encoding="utf-8").replace("Income tax;own;483,6;473,2;520,0", "Income tax;own;483,6;473,2;abc")
    app.upload.value = ({"name": "bad.csv", "type": "text/csv", "size": len(bad), "content": memoryview(bad.encode()), "last_modified": datetime.now(timezone.utc)},)
    assert "pb-error" in app.status.value and "bad.csv" in app.status.value and "План 2026" in app.status.value
    assert "өзгөргөн жок" in app.status.value  # "nothing changed", in Kyrgyz
    assert ws.list_budgets() == before
    app.lang_switch.value = "ru"  # the problems stay on screen, now in Russian
    assert "ничего не изменилось" in app.status.value.lower() and "bad.csv" in app.status.value
    assert "өзгөргөн жок" not in app.status.value


def test_a_good_file_is_stored_and_shown(ws):
    app = BudgetApp(ws, lang="en")
    content = (SAMPLE_DIR / "budget.csv").read_bytes()
    budget_id = app.import_file("copy.csv", content)
    assert budget_id is not None and app.choice.value == budget_id
    assert [b[0] for b in ws.list_budgets()].count(budget_id) == 1
    assert "pb-ok" in app.status.value
