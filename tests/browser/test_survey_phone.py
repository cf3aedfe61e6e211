"""A resident's phone in headless Chromium answers a service survey: the form in Kyrgyz, a missing village said,
then the answer stored with a receipt and counted in the survey's results; a second answer from the same phone is
refused."""

from __future__ import annotations

import re

import pytest

from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.browser.test_phone_vote import PHONE
from tests.fixtures.browser import Server, free_port, local_page
from tests.services.helpers import SAMPLE

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    # a workspace and a server of its own: the water survey it answers is the one test_services_app.py counts in
    # the shared workspace (150 answers, then one more)
    workspace = tmp_path_factory.mktemp("survey") / "workspace"
    with open_workspace(workspace) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log", ("--no-preheat",))
    yield {"server": server, "workspace": workspace}
    server.stop()


def test_a_phone_answers_the_survey_once(hall, chromium):
    with local_page(chromium, **PHONE) as phone:
        phone.goto(f"{hall['server'].url}/survey/water?lang=ky")
        phone.wait_for_selector("#survey")
        assert "Ичүүчү суу" in phone.inner_text("#service")
        # s23 finding 28: the three "about you" selects were 19 px high beside 50 px answer cards
        card = phone.locator("#q-satisfaction label.opt").first.bounding_box()["height"]
        for name in ("village", "sex", "age"):
            assert phone.locator(f"#{name}").bounding_box()["height"] >= min(44, card), name
        # a second page of the same phone, opened before the answer is sent: it is refused at submit
        later = phone.context.new_page()
        later.goto(f"{hall['server'].url}/survey/water?lang=ru")
        later.wait_for_selector("#survey")
        phone.select_option("#sex", "f")
        phone.select_option("#age", "45_59")
        phone.check("input[name=q-satisfaction][value='2']")
        phone.click("#submit")
        problems = phone.wait_for_selector("#problems").inner_text()
        assert "Айылыңызды тандаңыз" in problems  # the village was not chosen: said, nothing stored
        assert phone.is_checked("input[name=q-satisfaction][value='2']")  # what was chosen is kept
        phone.select_option("#village", "2")
        phone.click("#submit")
        receipt = phone.wait_for_selector("#receipt").inner_text()
        assert re.fullmatch(r"[2-9a-z]{4}-[2-9a-z]{4}", receipt)
        # s23 finding 29: opened again, the page says at once that this phone has answered (no form to fill in)
        phone.goto(f"{hall['server'].url}/survey/water?lang=ru")
        assert "Этот телефон уже ответил на этот опрос" in phone.wait_for_selector("#notice").inner_text()
        assert phone.locator("#survey").count() == 0
        later.select_option("#village", "1")
        later.select_option("#sex", "f")
        later.select_option("#age", "45_59")
        later.check("input[name=q-satisfaction][value='5']")
        later.click("#submit")
        assert "Этот телефон уже ответил на этот опрос" in later.wait_for_selector("#notice").inner_text()
    with open_workspace(hall["workspace"], create=False) as ws:
        found = ServicesService(ws).results("water")
    assert found.respondents == 1
    assert found.questions[0].overall.counts == (0, 1, 0, 0, 0)
    assert {g.key: g.n for g in found.questions[0].groups["village"]}["Жаңы-Айыл"] == 1
