"""Survey answers from phones over HTTP, against the server `pbtools serve` runs (in-process): no login, XSRF,
one answer per phone, every problem said, answers counted with the paper ones."""

from __future__ import annotations

import html
import re

import pytest

from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.storage import open_workspace
from tests.server.client import Browser
from tests.server.inprocess import InProcessServer
from tests.services.helpers import SAMPLE

RECEIPT = re.compile(r'id="receipt">([^<]+)<')


def text_of(page: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("survey") / "workspace"
    with open_workspace(workspace) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
        svc.start_survey("waste", "2026", "2026-05-14", LOCAL)  # not open to phones
    server = InProcessServer(workspace, password="hall-secret-42")
    yield {"server": server, "workspace": workspace}
    server.stop()


def answers(hall, service="water"):
    with open_workspace(hall["workspace"], create=False) as ws:
        return ServicesService(ws).surveys(service)[-1].answers


def test_a_phone_answers_once(hall):
    phone = Browser(hall["server"].url)
    status, page, headers = phone.request("/survey/water?lang=ky")
    assert status == 200 and "Ичүүчү суу" in page and "Бул кызматка канчалык канааттанасыз?" in page
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    form = {"_xsrf": phone.xsrf, "village": "2", "sex": "f", "age": "30_44", "q-satisfaction": "4", "q-priority": "1"}
    status, page, _ = phone.request("/survey/water?lang=ky", form)
    assert status == 200 and RECEIPT.search(page)
    (stored,) = answers(hall)
    assert (stored.respondent.village, stored.respondent.sex, stored.respondent.age) == ("Жаңы-Айыл", "f", "30_44")
    assert dict(stored.answers) == {"satisfaction": 4, "priority": 1} and stored.channel == "phone"
    status, page, _ = phone.request("/survey/water?lang=ru", {**form, "_xsrf": phone.xsrf, "q-satisfaction": "5"})
    assert status == 409 and "Этот телефон уже ответил на этот опрос" in text_of(page)
    assert len(answers(hall)) == 1


def test_problems_are_said_and_nothing_stored(hall):
    phone = Browser(hall["server"].url)
    phone.request("/survey/water?lang=ru")
    before = len(answers(hall))
    status, page, _ = phone.request("/survey/water?lang=ru", {"_xsrf": phone.xsrf, "village": "9", "q-failures": "7"})
    assert status == 422
    text = text_of(page)
    assert "Выберите ваше село" in text and "7 — не ответ на вопрос failures" in text
    status, _, _ = Browser(hall["server"].url).request("/survey/water", {"village": "1", "sex": "m", "age": "18_29", "q-satisfaction": "3"})
    assert status == 403  # no XSRF token
    assert len(answers(hall)) == before


def test_a_survey_not_open_to_phones(hall):
    phone = Browser(hall["server"].url)
    assert phone.request("/survey/waste")[0] == 404
    assert phone.request("/survey/nothing")[0] == 404


def test_many_phones_are_counted_with_the_results(hall):
    before = len(answers(hall))
    for i in range(12):
        phone = Browser(hall["server"].url)
        phone.request("/survey/water")
        status, _, _ = phone.request("/survey/water", {"_xsrf": phone.xsrf, "village": "1", "sex": "mf"[i % 2], "age": "18_29", "q-satisfaction": "5"})
        assert status == 200
    with open_workspace(hall["workspace"], create=False) as ws:
        found = ServicesService(ws).results("water")
    assert found.respondents == before + 12
    assert found.questions[0].overall.counts[4] >= 12
