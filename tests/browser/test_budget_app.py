"""The first screen a new user sees: the home page, then the citizens' budget in Kyrgyz, in a real browser."""

from __future__ import annotations

import html
import re
import urllib.request

from pbtools.budget.summary import citizens_budget
from pbtools.fmt import money
from pbtools.storage import open_workspace


def expected_total(workspace, lang: str) -> str:
    with open_workspace(workspace) as ws:
        return money(citizens_budget(ws.load_budget(), ws.municipality()).revenue, lang)


def test_home_page_links_the_apps_in_each_language(app_server):
    for lang, title in (("ky", "Жарандар үчүн бюджет"), ("ru", "Бюджет для граждан"), ("en", "Citizens' budget")):
        with urllib.request.urlopen(f"{app_server.url}/?lang={lang}") as r:
            body = html.unescape(r.read().decode())
        assert title in body and 'href="voila/render/budget.ipynb?lang=' + lang in body


def test_budget_in_kyrgyz_from_the_home_page(app_server, page):
    page.goto(app_server.url + "/?lang=en")
    page.click("a[hreflang=ky]")
    page.click("#app-budget")
    total = page.locator(".pb-budget-total .value")
    total.wait_for()
    # the page was preheated before anyone asked for Kyrgyz: it switches once shown
    page.locator(".pb-app .pb-title", has_text="Жарандар үчүн бюджет").wait_for()
    assert total.inner_text().replace("\u00a0", " ") == expected_total(app_server.workspace, "ky").replace("\u00a0", " ")
    chart = page.locator(".pb-app img").first
    chart.wait_for()
    assert chart.evaluate("img => img.naturalWidth") > 300  # a real chart was drawn
    assert re.search("[өүң]", page.locator(".pb-app").inner_text())
    assert page.title().startswith("Жарандар үчүн бюджет")  # the tab's name is not the notebook's file name


def test_language_switch_redraws_the_screen(app_server, page):
    page.goto(app_server.url + "/voila/render/budget.ipynb?lang=ky")
    page.locator(".pb-app .pb-title", has_text="Жарандар үчүн бюджет").wait_for()
    page.get_by_role("button", name="Русский").click()
    page.locator(".pb-app .pb-title", has_text="Бюджет для граждан").wait_for()
    page.locator(".pb-budget-total .label", has_text="Доходы").wait_for()
    # the address follows the switch, so a reload (or a copied link) opens in Russian too
    page.wait_for_function("() => new URL(window.location.href).searchParams.get('lang') === 'ru'")
    page.reload()
    page.locator(".pb-app .pb-title", has_text="Бюджет для граждан").wait_for()


def test_own_export_is_previewed_and_asked_before_it_is_stored(demo_copy, chromium, tmp_path):
    """A facilitator's own export (no title: no year, no unit; a "Вид" column) uploaded in Russian: the preview
    shows what was read, the year and the unit are asked, and only "Сохранить этот бюджет" stores it."""
    from decimal import Decimal as D

    from tests.budget.builders import LINES, PLAN26, export_rows, write_csv
    from tests.fixtures.browser import Server, free_port, local_page

    # a workspace and a server of their own: the 2026 budget it stores would be the year's budget for every app
    # (the Monitoring app, the reports) of the modules sharing a server
    workspace = demo_copy
    export = write_csv(tmp_path / "смета.csv", export_rows("ru", "Вид"), encoding="cp1251")
    revenue = sum((l.amounts[PLAN26] for l in LINES if l.side == "revenue"), D(0))
    server = Server(workspace, free_port(), tmp_path / "serve.log")
    try:
        with local_page(chromium, viewport={"width": 1366, "height": 900}) as page, open_workspace(workspace) as ws:
            before = ws.list_budgets()
            page.goto(server.url + "/voila/render/budget.ipynb?lang=ru")
            page.locator(".pb-app .pb-title", has_text="Бюджет для граждан").wait_for()
            page.locator(".pb-budget-total .value").wait_for()
            with page.expect_file_chooser() as chooser:
                page.locator(".pb-upload").click()
            chooser.value.set_files(str(export))
            preview = page.locator(".pb-preview")
            preview.get_by_text("Что прочитано из смета.csv").wait_for()
            store = page.get_by_role("button", name="Сохранить этот бюджет")
            assert store.is_disabled()
            assert "«План»" in preview.inner_text()  # the year of this column is not known
            page.get_by_label("Год").select_option(label="2026")
            page.locator(".pb-preview", has_text="Бюджетный год: 2026 (как вы выбрали)").wait_for()
            assert store.is_disabled()  # som or thousand som: still to be said
            page.get_by_label("Единица").select_option(label="тыс. сом")
            page.locator(".pb-preview", has_text="Единица: тыс. сом (как вы выбрали)").wait_for()
            row = page.locator(".pb-preview tr.pb-side", has_text="Доходы")
            assert money(revenue, "ru").replace("\u00a0", " ") in row.inner_text().replace("\u00a0", " ")
            assert ws.list_budgets() == before  # nothing stored by the preview
            store.click()
            page.locator(".pb-ok", has_text="смета.csv").wait_for()
            page.locator(".pb-budget-total .value", has_text=money(revenue, "ru").split("\u00a0")[0]).wait_for()
            after = ws.list_budgets()
            assert len(after) == len(before) + 1 and ws.load_budget(after[-1][0]).total("revenue", 2026) == revenue
            # the same file again, with the sample open: refused, and the budget already stored is the one shown
            stored = after[-1][0]
            chosen = "s => s.options[s.selectedIndex].text.replace(/\\s/g, ' ')"
            page.get_by_label("Бюджет", exact=True).select_option(index=0)
            sample = money(citizens_budget(ws.load_budget(before[0][0]), ws.municipality()).revenue, "ru")
            page.locator(".pb-budget-total .value", has_text=sample.split("\u00a0")[0]).wait_for()
            with page.expect_file_chooser() as chooser:
                page.locator(".pb-upload").click()
            chooser.value.set_files(str(export))
            page.get_by_label("Год").select_option(label="2026")
            page.locator(".pb-preview", has_text="Бюджетный год: 2026 (как вы выбрали)").wait_for()
            page.get_by_label("Единица").select_option(label="тыс. сом")
            page.locator(".pb-preview", has_text="Единица: тыс. сом (как вы выбрали)").wait_for()
            store.click()
            page.locator(".pb-error", has_text=f"уже сохранён (номер {stored})").wait_for()
            page.wait_for_function(f"() => [...document.querySelectorAll('.pb-app select')].map({chosen}).some(t => t.startsWith('№{stored} · 2026 · смета.csv'))")
            assert ws.list_budgets() == after
    finally:
        server.stop()
