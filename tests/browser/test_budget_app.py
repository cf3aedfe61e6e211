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
