"""The Services app in Chromium: a phone (its own browser context) answers the water survey at /survey/water, and the
survey board on the facilitator's screen counts it without a reload; the tariff tab shows the figures
`pbtools services tariff --json` gives, at today's collection rate and with a target rate and a subsidy."""

from __future__ import annotations

import json
import subprocess
import sys

from pbtools.fmt import money
from pbtools.i18n import LANG_NAMES, translator
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.browser.test_phone_vote import PHONE
from tests.fixtures.browser import local_page


def _open_survey_to_phones(workspace):
    with open_workspace(workspace, create=False) as ws:
        svc = ServicesService(ws)
        svc.open_to_phones("water", "2026", LOCAL)
        return svc.results("water").respondents


def _tariff_json(workspace, *args) -> dict:
    done = subprocess.run([sys.executable, "-m", "pbtools", "services", "tariff", "water", "--json", "--workspace", str(workspace), *args],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def test_a_phone_answer_is_counted_on_the_board_and_the_tariffs_match_the_command(shared_server, chromium, page):
    server, before = shared_server, _open_survey_to_phones(shared_server.workspace)
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


def test_staff_register_a_service_start_a_survey_and_type_its_papers_in_the_browser(shared_server, page):
    """Finding s23-2: the app had no way to register a service, start a survey or type paper answers."""
    server = shared_server
    page.set_viewport_size({"width": 1366, "height": 768})
    page.goto(server.url + "/voila/render/services.ipynb?lang=en")
    page.locator(".pb-app .pb-title", has_text="Municipal services").wait_for(timeout=90_000)
    form = page.locator(".pb-svc-register-form")
    form.get_by_label("Code").fill("lights")
    form.get_by_label("Service name (English)").fill("Street lights")
    form.get_by_label("Villages").fill("Kok-Talaa")
    form.get_by_label("Households served").fill("300")
    form.get_by_label("Delivered by").select_option(label="the municipality (ayil okmotu)")
    form.get_by_label("Collection rate").fill("90 %")
    form.get_by_label("Yearly cost").fill("electricity: 240 000")
    page.locator(".pb-svc-register-save").click()
    page.locator(".pb-ok", has_text="Registered: Street lights (lights).").wait_for()
    with open_workspace(server.workspace, create=False) as ws:  # on disk when the screen said so
        assert ServicesService(ws).service("lights").yearly_cost == 240_000

    page.locator(".pb-svc-chosen select").select_option(label="Street lights")  # chosen already: the new one
    page.get_by_role("tab", name="Survey entry").click()
    page.get_by_label("Survey id").fill("2027")
    page.get_by_label("Date", exact=True).fill("15.03.2027")
    page.locator(".pb-svc-start").click()
    page.locator(".pb-ok", has_text="Survey 2027 started").wait_for()
    box = page.locator(".pb-svc-typed input")
    box.click()
    for line in ("1 1 2 4 2 1", "1 2 3 5 - 3", "1 1 2 9 2 1"):  # as fast as a clerk types: no wait between
        box.type(line)
        box.press("Enter")
    page.locator(".pb-error", has_text="9").wait_for()
    page.wait_for_function("document.querySelector('.pb-svc-typed input').value === '1 1 2 9 2 1'")  # handed back
    page.locator("#pb-svc-entry-count", has_text="Answers stored: 2").wait_for()
    box.fill("1 1 2 5 2 1")
    box.press("Enter")
    page.locator("#pb-svc-entry-count", has_text="Answers stored: 3").wait_for()
    page.locator(".pb-svc-close").click()
    page.locator("#pb-svc-survey-state", has_text="closed").wait_for()
    with open_workspace(server.workspace, create=False) as ws:
        (survey,) = ServicesService(ws).surveys("lights")
        assert survey.closed and [a.answers.get("satisfaction") for a in survey.answers] == [4, 5, 5]

    # s23 finding 11: with no hearing in preparation or open (the sample's is closed) the tab says why the buttons
    # are greyed and where a hearing is made; at 1366x768 their labels are whole (they were cut: "как в…")
    page.get_by_role("tab", name="Tariffs").click()
    for lang, words in (("en", "Hearing console"), ("ru", "пульте ведущего слушаний"),
                        ("ky", "Угууну алып баруучунун панелинде")):
        page.get_by_role("button", name=LANG_NAMES[lang], exact=True).click()
        page.locator("#pb-svc-no-hearing", has_text=words).wait_for()
        _ = translator(lang)
        for button in (page.locator(".pb-svc-put-choice", has_text=_("Put to the hearing as a choice")),
                       page.locator(".pb-svc-put-motion", has_text=_("Put the first to the hearing as a motion"))):
            assert button.is_disabled()
            cut = button.evaluate("b => b.scrollWidth > b.clientWidth + 1 || b.getBoundingClientRect().right > window.innerWidth")
            assert not cut, (lang, button.inner_text())
