"""Phones voting on a facilitator's server through a real JupyterHub (Debian's proxy, PostgreSQL behind it): the
voters' pages answer under the user's prefix, every address they lead to stays there (a one-question hearing's
redirect to its ballot, the receipt's own address, the stylesheet), and a ballot sent through the proxy is stored
in the municipality's database. A phone is a client of its own, with no hub login."""

from __future__ import annotations

import re
from urllib.parse import quote

import pytest

from pbtools.central.registry import Central
from pbtools.hearings.store import HearingStore
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from tests.fixtures.browser import local_page
from tests.hub.conftest import CODE, log_in, with_services
from tests.server.client import Browser
from tests.server.hall import QUESTIONS, open_hall

pytestmark = [pytest.mark.browser, pytest.mark.postgres, pytest.mark.hub]
RECEIPT = re.compile(r'id="receipt">([^<]+)<')


@pytest.fixture(scope="module")
def hall(hub):
    """An open hearing of one question in aida's municipality, with voting codes (the key in its folder, which
    aida's server is given as its workspace)."""
    with Central(hub.db_url, hub.folder / "municipalities") as central, central.workspace(CODE) as ws:
        hearing, codes = open_hall(ws, codes=3, questions=[QUESTIONS[0]])
    return {"hearing": hearing, "codes": codes}


@pytest.fixture(scope="module")
def aida_server(hub, chromium, accounts):
    """aida logged in: her server (ak_suu, facilitator) is running behind the hub from here on."""
    with local_page(chromium) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, "aida")
        page.wait_for_url("**/user/aida/**")
        page.locator("#app-results").wait_for()
    return f"{hub.url}/user/aida"


@pytest.fixture(scope="module")
def survey_open(hub):
    """The municipality's services, the water survey open to phones (open already when another module left it so)."""
    with_services(hub)
    with Central(hub.db_url, hub.folder / "municipalities") as central, central.workspace(CODE) as ws:
        ServicesService(ws).open_to_phones("water", "2026", LOCAL)


def stored_ballots(hub, hearing: str) -> int:
    with Central(hub.db_url, hub.folder / "municipalities") as central, central.workspace(CODE, create=False) as ws:
        return len(HearingStore(ws, hearing).state.ballots_for("single"))


def test_a_phone_votes_through_the_hub_at_the_users_prefix(hub, hall, aida_server):
    hearing = hall["hearing"]
    still = Browser(hub.url, follow_redirects=False)
    status, _, headers = still.get(f"/user/aida/vote/{hearing}?lang=ru")
    location = {k.lower(): v for k, v in headers.items()}.get("location")  # the proxy writes header names in lower case
    # a one-question hearing sends the phone on to its ballot, on aida's server (not /vote/..., the hub's 404)
    assert status == 302 and location == f"/user/aida/vote/{hearing}/single?lang=ru", (status, headers)

    phone = Browser(hub.url)
    status, page, _ = phone.get(f"/user/aida/vote/{hearing}?lang=ru")
    assert status == 200 and 'name="_xsrf"' in page and "Выберите один проект" in page
    assert 'href="/user/aida/pbtools/static/vote.css"' in page
    assert phone.get("/user/aida/pbtools/static/vote.css")[0] == 200
    assert 'action="/user/aida/vote/' in page
    status, page, _ = phone.post(f"/user/aida/vote/{hearing}/single?lang=ru", {"choice": "P2", "code": hall["codes"][0]})
    assert status == 200 and RECEIPT.search(page), page[-2000:]
    receipt_url = re.search(r'data-url="([^"]+)"', page).group(1)
    assert receipt_url.startswith(f"/user/aida/vote/{hearing}/single/receipt/")
    status, again, _ = phone.get(receipt_url)  # the receipt reloaded, through the proxy
    assert status == 200 and RECEIPT.search(again).group(1) == RECEIPT.search(page).group(1)
    assert stored_ballots(hub, hearing) == 1


def test_the_console_shows_phones_the_hubs_public_address_which_opens_the_ballot(hub, chromium, hall, aida_server):
    """The hub's public URL (``pbtools hub init --public-url``, here the proxy's own) + aida's prefix + the voting
    path: not aida's server's internal 127.0.0.1:<port>, which only the proxy reaches."""
    with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, "aida")
        page.wait_for_url("**/user/aida/**")
        page.goto(f"{aida_server}/voila/render/console.ipynb?lang=en")
        page.locator("#pb-console-summary").wait_for()
        page.get_by_role("tab", name="Phone voting").click()
        shown = page.locator("#pb-phone-url").inner_text().strip()
        projector = page.locator(".pb-error").all_inner_texts()
        page.get_by_role("tab", name="Registration").click()
        cards = page.locator("#pb-cards-unreachable").inner_text()
    assert shown == f"{hub.url}/user/aida/vote/{hall['hearing']}", shown
    # the address is this machine's own here (the test's hub listens on loopback): said in the hub's terms
    assert any("--public-url" in note for note in projector) and not any("HOST=0.0.0.0" in n for n in projector)
    assert shown in cards and "--public-url" in cards and "HOST=0.0.0.0" not in cards

    phone = Browser("")  # a phone with no hub login, through the proxy, at the address shown
    status, ballot, _ = phone.get(shown + "?lang=ky")
    assert status == 200 and "Бир долбоорду тандаңыз" in ballot and 'name="_xsrf"' in ballot
    action = re.search(r'<form method="post" action="([^"]+)"', ballot).group(1)
    before = stored_ballots(hub, hall["hearing"])
    status, receipt, _ = phone.post(hub.url + action, {"choice": "P3", "code": hall["codes"][1]})
    assert status == 200 and RECEIPT.search(receipt)
    assert stored_ballots(hub, hall["hearing"]) == before + 1


def test_the_survey_board_and_the_mock_hearing_show_phones_the_hubs_public_address(hub, chromium, survey_open, aida_server):
    """As the console's: the hub's public URL + aida's prefix, which a phone opens through the proxy (the mock
    hearing's tab did not know the hub: it told a hub user to join the hall's Wi-Fi or `make run HOST=0.0.0.0`)."""
    with local_page(chromium, viewport={"width": 1366, "height": 900}) as page:
        page.set_default_timeout(120_000)
        log_in(page, hub, "aida")
        page.wait_for_url("**/user/aida/**")
        page.goto(f"{aida_server}/voila/render/services.ipynb?lang=en")
        page.locator(".pb-app .pb-title", has_text="Municipal services").wait_for()
        page.get_by_role("tab", name="Survey board").click()
        survey = page.locator("#pb-svc-survey-url").inner_text().strip()
        page.goto(f"{aida_server}/voila/render/training.ipynb?lang=en")
        page.locator(".pb-app .pb-title", has_text="Training").wait_for()
        page.locator(".pb-train-open button, button.pb-train-open").first.click()
        page.locator(".pb-train-phones button, button.pb-train-phones").first.click()
        practice = page.locator("#pb-phone-url").inner_text().strip()
        said = page.locator(".pb-train-phone-address").inner_text()
    assert survey == f"{hub.url}/user/aida/survey/water", survey
    assert practice.startswith(f"{hub.url}/user/aida/practice/") and "/vote/" in practice, practice
    # the address is this machine's own here (the test's hub listens on loopback): said in the hub's terms
    assert "--public-url" in said and "HOST=0.0.0.0" not in said

    phone = Browser("")  # a phone with no hub login, through the proxy, at the addresses shown
    status, page, _ = phone.get(survey + "?lang=ky")
    assert status == 200 and 'name="q-satisfaction"' in page
    status, page, _ = phone.get(quote(practice, safe=":/") + "?lang=ky")  # its browser encodes a Cyrillic name
    assert status == 200 and 'id="practice"' in page
