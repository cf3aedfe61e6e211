"""The Services app in Chromium: a phone (its own browser context) answers the water survey at /survey/water, and the
survey board on the facilitator's screen counts it without a reload; the tariff tab shows the figures
`pbtools services tariff --json` gives, at today's collection rate and with a target rate and a subsidy."""

from __future__ import annotations

import json
import subprocess
import sys

from pbtools.fmt import money
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.browser.test_phone_vote import PHONE
from tests.fixtures.browser import demo_server_with, local_page


def _open_survey_to_phones(workspace):
    with open_workspace(workspace, create=False) as ws:
        svc = ServicesService(ws)
        svc.open_to_phones("water", "2026", LOCAL)
        return svc.results("water").respondents


def _tariff_json(workspace, *args) -> dict:
    done = subprocess.run([sys.executable, "-m", "pbtools", "services", "tariff", "water", "--json", "--workspace", str(workspace), *args],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def test_a_phone_answer_is_counted_on_the_board_and_the_tariffs_match_the_command(tmp_path_factory, chromium, page):
    with demo_server_with(tmp_path_factory, "services", _open_survey_to_phones) as (server, before):
        page.goto(server.url + "/voila/render/services.ipynb?lang=en")
        page.locator(".pb-app .pb-title", has_text="Municipal services").wait_for(timeout=90_000)
        page.locator(".pb-svc-card#pb-svc-water").wait_for()  # the register, first
        page.get_by_role("tab", name="Survey board").click()
        respondents = page.locator("#pb-svc-respondents")
        respondents.get_by_text(f"Answers: {before}").wait_for()
        assert before == 150
        page.locator(".pb-svc-phones", has_text="Stop answers from phones").wait_for()  # opened before the app
        url = page.locator("#pb-svc-survey-url").inner_text()
        assert url.endswith("/survey/water")
        assert page.locator("#pb-svc-survey-qr").get_attribute("src").startswith("data:image/svg+xml")

        with local_page(chromium, **PHONE) as phone:  # a phone in the hall: another browser, no kernel
            phone.goto(f"{server.url}/survey/water?lang=en")
            phone.wait_for_selector("#survey")
            phone.select_option("#village", "2")
            phone.select_option("#sex", "m")
            phone.select_option("#age", "18_29")
            phone.check("input[name=q-satisfaction][value='5']")
            phone.click("#submit")
            phone.wait_for_selector("#receipt")

        respondents.get_by_text(f"Answers: {before + 1}").wait_for(timeout=30_000)  # followed, no reload
        with open_workspace(server.workspace, create=False) as ws:
            found = ServicesService(ws).results("water")
        satisfaction = found.questions[0]
        assert found.respondents == before + 1
        shown = page.locator("#pb-svc-q-satisfaction tr.pb-svc-all .pb-svc-n").inner_text()
        assert shown == str(satisfaction.overall.n)  # the answers beside the shares: the count of the stored answers
        very = page.locator("#pb-svc-q-satisfaction tr.pb-svc-all td").nth(6).inner_text()
        assert f"({satisfaction.overall.counts[4]})" in very

        page.get_by_role("tab", name="Tariffs").click()
        table = page.locator("#pb-svc-options")
        table.wait_for()
        today = _tariff_json(server.workspace)
        row = table.locator("tr[data-option=today]")
        assert row.locator(".pb-svc-monthly").inner_text() == money(today["monthly"], "en")
        assert row.locator(".pb-svc-yearly").inner_text() == money(today["yearly"], "en")
        target = page.get_by_label("Target collection rate")
        target.fill("95 %")
        target.press("Enter")
        subsidy = page.get_by_label("Subsidy from the budget, som a year")
        subsidy.fill("300 000")
        subsidy.press("Enter")
        both = table.locator("tr[data-option=target_subsidy]")
        both.wait_for()
        expected = _tariff_json(server.workspace, "--collection-rate", "95%", "--subsidy", "300 000")
        assert both.locator(".pb-svc-monthly").inner_text() == money(expected["monthly"], "en")
        assert both.locator(".pb-svc-yearly").inner_text() == money(expected["yearly"], "en")
        assert both.locator(".pb-svc-subsidy").inner_text() == money(expected["subsidy"], "en")
        assert page.locator(".pb-svc-chart img, img.pb-svc-chart").first.is_visible()
