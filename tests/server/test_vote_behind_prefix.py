"""The voters' pages under a base URL, as behind JupyterHub (``/user/NAME/SERVER/``): every address they name (the
redirect of a one-question hearing, the question links, the form, the receipt's own address, the back link, the
stylesheet and script, the device cookie) stays under the prefix. One written as ``/vote/...`` leaves the user's
server: behind the hub's proxy that is the hub, whose answer on the phone is a 404. The real hub: tests/hub."""

from __future__ import annotations

import re

import pytest

from pbtools.hearings.store import HearingStore
from pbtools.phones.mode import OPEN, set_phone_mode
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.server.client import Browser
from tests.server.hall import QUESTIONS, make_hall
from tests.server.inprocess import InProcessServer
from tests.services.helpers import SAMPLE

PREFIX = "/user/aida/ak_suu/"
ADDRESSES = re.compile(r'(?:href|src|action|data-url)="([^"]*)"')


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("prefix") / "workspace"
    one, codes = make_hall(workspace, codes=3, questions=[QUESTIONS[0]])
    many, many_codes = make_hall(workspace, codes=3)
    with open_workspace(workspace) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
    server = InProcessServer(workspace, password="hall-secret-42", base_url=PREFIX)
    yield {"server": server, "workspace": workspace, "one": one, "codes": codes, "many": many, "many_codes": many_codes}
    server.stop()


def addresses(page: str) -> list[str]:
    """Every address a page names but its language links (``?lang=..``: this very page)."""
    return [a for a in ADDRESSES.findall(page) if not a.startswith("?")]


def assert_under_prefix(page: str) -> None:
    found = addresses(page)
    assert found and all(a.startswith(PREFIX) for a in found), found


def test_a_one_question_hearing_sends_the_phone_to_its_ballot_under_the_prefix_and_the_vote_stays_there(hall):
    still = Browser(hall["server"].url, follow_redirects=False)
    status, _, headers = still.get(f"{PREFIX}vote/{hall['one']}?lang=ru")
    assert status == 302 and headers["Location"] == f"{PREFIX}vote/{hall['one']}/single?lang=ru"

    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{PREFIX}vote/{hall['one']}?lang=ru")
    assert status == 200 and 'name="_xsrf"' in page
    assert_under_prefix(page)  # the form's action, vote.css, vote.js
    for address in addresses(page):
        assert phone.get(address.split("?")[0])[0] == 200, address
    status, page, _ = phone.post(f"{PREFIX}vote/{hall['one']}/single?lang=ru", {"choice": "P1", "code": hall["codes"][0]})
    assert status == 200 and 'id="receipt"' in page
    assert_under_prefix(page)
    receipt_url = re.search(r'data-url="([^"]+)"', page).group(1)
    assert receipt_url.startswith(f"{PREFIX}vote/{hall['one']}/single/receipt/")
    status, again, _ = phone.get(receipt_url)  # a reload of the receipt (keep-receipt.js put it in the address bar)
    assert status == 200 and re.search(r'id="receipt">([^<]+)<', again).group(1) in page
    with open_workspace(hall["workspace"], create=False) as ws:
        assert len(HearingStore(ws, hall["one"]).state.ballots_for("single")) == 1


def test_the_question_list_the_back_links_and_the_receipt_name_the_prefix(hall):
    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{PREFIX}vote/{hall['many']}?lang=ky")
    assert status == 200
    assert_under_prefix(page)
    for q in QUESTIONS:
        assert f'href="{PREFIX}vote/{hall["many"]}/{q.id}?lang=ky"' in page
    status, page, _ = phone.get(f"{PREFIX}vote/{hall['many']}/motion?lang=ky")
    assert status == 200 and f'href="{PREFIX}vote/{hall["many"]}?lang=ky"' in page  # back to the questions
    status, page, _ = phone.post(f"{PREFIX}vote/{hall['many']}/motion?lang=ky", {"answer": "yes", "code": hall["many_codes"][0]})
    assert status == 200 and 'id="receipt"' in page
    assert_under_prefix(page)
    assert f'href="{PREFIX}vote/{hall["many"]}?lang=ky"' in page
    status, page, _ = phone.get(f"{PREFIX}vote/no-such-hearing")  # a notice page too
    assert status == 404
    assert_under_prefix(page)


def test_the_phones_device_cookie_belongs_to_this_server_only(hall):
    with open_workspace(hall["workspace"], create=False) as ws:
        set_phone_mode(ws, hall["many"], OPEN, actor="test")
    phone = Browser(hall["server"].url)
    assert phone.get(f"{PREFIX}vote/{hall['many']}/single")[0] == 200
    cookie = next(c for c in phone.cookies if c.name == "pbtools_device")
    # behind the hub other users' servers share the host name: each keeps its own phones' ids (its own key signs them)
    assert cookie.path == PREFIX.rstrip("/") or cookie.path == PREFIX


def test_the_survey_page_names_the_prefix(hall):
    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{PREFIX}survey/water?lang=ky")
    assert status == 200
    assert_under_prefix(page)
    form = {"_xsrf": phone.xsrf, "village": "2", "sex": "f", "age": "30_44", "q-satisfaction": "4", "q-priority": "1"}
    status, page, _ = phone.request(f"{PREFIX}survey/water?lang=ky", form)
    assert status == 200 and 'id="receipt"' in page
    assert_under_prefix(page)


def test_a_workshops_practice_ballot_names_the_prefix_and_its_stylesheet_and_script_load(hall, tmp_path, monkeypatch):
    """A sandbox's practice pages (/practice/<sandbox>/vote/...) under the prefix: every address they name, vote.css
    and vote.js included (they were /practice/<sandbox>/pbtools/static/..., a 404), answers."""
    from pbtools.training.service import TrainingService

    monkeypatch.setenv("PBTOOLS_SANDBOXES", str(tmp_path / "sandboxes"))  # where the server looks, as the app's kernels
    training = TrainingService(tmp_path / "sandboxes")
    try:
        training.open("workshop")
        path = PREFIX.rstrip("/") + training.open_phones()
    finally:
        training.close()
    phone = Browser(hall["server"].url)
    status, page, _ = phone.get(f"{path}/q1?lang=ru")
    assert status == 200 and 'id="practice"' in page
    assert_under_prefix(page)
    assert f'href="{PREFIX}pbtools/static/vote.css"' in page and f'src="{PREFIX}pbtools/static/vote.js"' in page
    for address in addresses(page):
        assert phone.get(address.split("?")[0])[0] == 200, address
