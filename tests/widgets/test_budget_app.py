"""The Budget app driven from Python, as a user would: traitlets set, uploads given, screens read."""

from __future__ import annotations

from datetime import datetime, timezone
from decimal import Decimal as D

import pytest

from pbtools.budget.read import read_budget
from pbtools.budget.summary import citizens_budget
from pbtools.demo import SAMPLE_DIR
from pbtools.fmt import money
from pbtools.storage import open_workspace
from tests.budget.builders import LINES, PLAN26, export_rows, write_csv
from pbtools_widgets.budget_app import BudgetApp


@pytest.fixture
def ws(demo_copy):
    with open_workspace(demo_copy) as workspace:  # a copy of the sample workspace
        yield workspace


def upload(app, name: str, content: bytes) -> None:
    app.upload.value = ({"name": name, "type": "text/csv", "size": len(content), "content": memoryview(content), "last_modified": datetime.now(timezone.utc)},)


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
    upload(app, "bad.csv", bad.encode())
    assert "pb-error" in app.preview.value and "bad.csv" in app.preview.value and "План 2026" in app.preview.value
    assert app.store_button.disabled and app.store() is None
    assert ws.list_budgets() == before
    app.lang_switch.value = "ru"  # the problems stay on screen, now in Russian
    assert "строка" in app.preview.value and "bad.csv" in app.preview.value and "катар" not in app.preview.value
    app.cancel_button.click()
    assert "ничего не изменилось" in app.status.value.lower() and ws.list_budgets() == before


def test_an_export_without_year_and_unit_is_previewed_and_asked_before_it_is_stored(ws, tmp_path):
    """The facilitator's own file: no title, "Вид" column, "План"/"Исполнение" without a year, thousand som."""
    content = write_csv(tmp_path / "export.csv", export_rows("ru", "Вид")).read_bytes()
    app = BudgetApp(ws, lang="ru")
    before = ws.list_budgets()
    upload(app, "export.csv", content)
    # nothing stored yet; the year and the unit are asked for, the columns shown as read
    assert ws.list_budgets() == before and app.store_button.disabled
    assert app.ask_year.layout.display != "none" and app.ask_unit.layout.display != "none"
    assert [c.value for c in app.column_choices] == ["code", "side", "name", "plan", "executed"]
    assert "«План»" in app.preview.value  # the no_year problem names the column
    app.ask_year.value = 2026
    assert app.store_button.disabled  # the unit is still not known: som would be a thousand times too small
    app.ask_unit.value = "thousand"
    assert not app.store_button.disabled
    expected = sum((l.amounts[PLAN26] for l in LINES if l.side == "revenue"), D(0))
    assert money(expected, "ru") in app.preview.value  # the preview's revenue total, in som
    assert "2026" in app.preview.value and "тыс. сом" in app.preview.value
    budget_id = app.store()
    assert budget_id is not None and app.choice.value == budget_id and "pb-ok" in app.status.value
    stored = ws.load_budget(budget_id)
    assert stored.year == 2026 and stored.total("revenue", 2026) == expected
    # the same file again: one budget, and the screen says it is already there
    upload(app, "export-copy.csv", content)
    app.ask_year.value, app.ask_unit.value = 2026, "thousand"
    assert app.store() is None and "уже" in app.status.value
    assert len(ws.list_budgets()) == len(before) + 1


def test_a_budget_already_stored_is_shown_and_found_by_its_number(ws, tmp_path):
    """The same budget stored earlier, another one opened since, then the first file again: the message said
    "already stored (№2)" while the list showed "2026 · budget.csv" open and no numbers. Now the list gives each
    budget's number and the one already stored is the one shown."""
    content = write_csv(tmp_path / "смета.csv", export_rows("ru", "Вид"), encoding="cp1251").read_bytes()
    app = BudgetApp(ws, lang="ru")
    sample_id = app.choice.value
    upload(app, "смета.csv", content)
    app.ask_year.value, app.ask_unit.value = 2026, "thousand"
    first = app.store()
    assert first is not None and first != sample_id
    app.choice.value = sample_id  # the facilitator looks at the sample again
    upload(app, "смета-копия.csv", content)
    app.ask_year.value, app.ask_unit.value = 2026, "thousand"
    assert app.store() is None
    assert f"номер {first}" in app.status.value  # the message names it
    assert app.choice.value == first  # and it is the budget on screen
    labels = dict((value, label) for label, value in app.choice.options)
    assert labels[first].startswith(f"№{first} · 2026 · ") and labels[first].endswith("смета.csv")
    assert app.asking.layout.display == "none" and len(ws.list_budgets()) == 2


def test_which_column_is_which_can_be_told(ws, tmp_path):
    table = export_rows("en", "Kind")
    table[0][3] = "Amount"  # a header pbtools does not know: no plan column
    content = write_csv(tmp_path / "odd.csv", table).read_bytes()
    app = BudgetApp(ws, lang="en")
    upload(app, "odd.csv", content)
    assert app.store_button.disabled and app.column_choices[3].value == "ignore"
    app.column_choices[3].value = "plan"
    app.ask_year.value, app.ask_unit.value = 2026, "thousand"
    assert not app.store_button.disabled, app.preview.value
    assert ws.load_budget(app.store()).total("expenditure", 2026) == sum((l.amounts[PLAN26] for l in LINES if l.side == "expenditure"), D(0))


def test_another_municipalitys_budget_gets_no_population(ws, tmp_path):
    table = [["Бюджет Ак-Суйского айылного аймака, 2026 год, тыс. сом"], *export_rows("ru", "Вид")]
    app = BudgetApp(ws, lang="ru")
    upload(app, "ak-suu.csv", write_csv(tmp_path / "ak-suu.csv", table).read_bytes())
    assert "Ак-Суйского" in app.preview.value and "не вычисляются" in app.preview.value
    budget_id = app.store()
    assert budget_id is not None and "pb-per-resident" not in app.tiles.value
    assert citizens_budget(ws.load_budget(budget_id), ws.municipality()).population is None
    app.choice.value = ws.list_budgets()[0][0]  # the sample, of this municipality: per resident shown
    assert "pb-per-resident" in app.tiles.value


def test_the_sample_again_is_refused_as_already_there(ws):
    app = BudgetApp(ws, lang="en")
    before = ws.list_budgets()
    upload(app, "copy.csv", (SAMPLE_DIR / "budget.csv").read_bytes())
    assert not app.store_button.disabled  # the sample states its year and unit
    assert app.store() is None and "already stored" in app.status.value
    assert ws.list_budgets() == before
    assert read_budget(SAMPLE_DIR / "budget.csv")[0] is not None
