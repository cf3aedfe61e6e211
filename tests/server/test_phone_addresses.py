"""Every address a screen shows phones is one the server answers at: the console's (projector and code cards), the
survey board's and a workshop's mock hearing's, under the server's prefix (as behind JupyterHub,
``/user/NAME/SERVER/``) and, behind the hub, at the hub's public URL. Each screen is built as a kernel of the server
builds it (from the environment ``make_app`` gives its kernels), its address read off the screen and opened by a
phone. They were written by hand as ``<address>/vote/...`` beside ``Urls``: behind a prefix every one was a 404."""

from __future__ import annotations

import os
import re
from urllib.parse import quote

import pytest

from pbtools.central.hub import ROLE_ENV, USER_ENV
from pbtools.phones import reach
from pbtools.phones.urls import Urls
from pbtools.roles import LOCAL
from pbtools.services.service import ServicesService
from pbtools.server.settings import ServeSettings
from pbtools.storage import open_workspace
from tests.server.client import Browser
from tests.server.hall import QUESTIONS, make_hall
from tests.server.inprocess import InProcessServer
from tests.services.helpers import SAMPLE

PREFIX = "/user/aida/ak_suu/"
SANDBOX = "семинар-1"
PHONE_URL = re.compile(r'id="pb-phone-url">([^<]+)<')
SURVEY_URL = re.compile(r'id="pb-svc-survey-url">([^<]+)<')


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    base = tmp_path_factory.mktemp("addresses")
    workspace, root = base / "workspace", base / "sandboxes"
    hearing, codes = make_hall(workspace, codes=2, questions=[QUESTIONS[0]])
    with open_workspace(workspace) as ws:
        svc = ServicesService(ws)
        svc.import_file(SAMPLE, LOCAL)
        svc.start_survey("water", "2026", "2026-05-14", LOCAL)
        svc.open_to_phones("water", "2026", LOCAL)
    os.environ["PBTOOLS_SANDBOXES"] = str(root)  # where the server looks, as the Training app's kernels do
    server = InProcessServer(workspace, base_url=PREFIX)
    yield {"server": server, "workspace": workspace, "root": root, "hearing": hearing}
    server.stop()
    os.environ.pop("PBTOOLS_SANDBOXES", None)


@pytest.fixture
def ws(hall):
    with open_workspace(hall["workspace"], create=False) as workspace:
        yield workspace


def on_the_hub(monkeypatch, public_url: str | None) -> None:
    """This kernel as the hub starts it: a user and a role, and the hub's public URL of the server (or none)."""
    monkeypatch.setenv(ROLE_ENV, "facilitator")
    monkeypatch.setenv(USER_ENV, "aida")
    if public_url is None:
        monkeypatch.delenv("PBTOOLS_PUBLIC_URL", raising=False)
    else:
        monkeypatch.setenv("PBTOOLS_PUBLIC_URL", public_url)


def console_address(ws) -> tuple[str, str, object]:
    from pbtools_widgets.console.app import ConsoleApp
    from pbtools_widgets.console.phones import hall_vote_url

    app = ConsoleApp(ws, lang="en")
    app.tabs.selected_index = list(app.panels).index("phones")  # the facilitator opens the tab
    projector = app.panels["phones"].projector.value
    found = PHONE_URL.search(projector)
    return (found.group(1) if found else ""), hall_vote_url(app), projector


def survey_address(ws) -> tuple[str, str]:
    from pbtools_widgets.services.app import ServicesApp

    app = ServicesApp(ws, lang="en")
    app.chosen.value = "water"
    app.tab.selected_index = app.tabs.index(app.survey)
    projector = app.survey.projector.value
    found = SURVEY_URL.search(projector)
    return (found.group(1) if found else ""), projector


@pytest.fixture
def training(hall, ws):
    from pbtools_widgets.training.app import TrainingApp

    app = TrainingApp(ws, lang="en", root=hall["root"])
    mock = app.tabs[0]
    mock.name.value = SANDBOX
    mock.open_button.click()
    mock.phones_button.click()  # the trainer lets phones in
    yield app
    app.service.close()


def practice_address(app) -> tuple[str, str]:
    shown = app.tabs[0].phones.value
    found = PHONE_URL.search(shown)
    return (found.group(1) if found else ""), shown


def opens(url: str) -> str:
    """The page a phone gets at ``url`` (typed or scanned: its browser encodes a Cyrillic name), refused unless 200."""
    status, page, _ = Browser("").get(quote(url, safe=":/?=&%"))
    assert status == 200, (url, status, page[-500:])
    return page


def test_the_consoles_address_and_its_code_cards_open_the_ballot_under_the_prefix(hall, ws):
    shown, cards, _ = console_address(ws)
    assert shown == f"{hall['server'].url}{PREFIX}vote/{hall['hearing']}" and cards == shown
    assert 'name="_xsrf"' in opens(shown)  # the one question's ballot (the hearing's page sends the phone on)


def test_the_survey_boards_address_opens_the_survey_under_the_prefix(hall, ws):
    shown, _ = survey_address(ws)
    assert shown == f"{hall['server'].url}{PREFIX}survey/water"
    assert 'name="q-satisfaction"' in opens(shown)


def test_the_mock_hearings_address_opens_its_practice_pages_under_the_prefix(hall, training):
    shown, _ = practice_address(training)
    hearing = training.service.sandbox.open_hearing
    assert shown == f"{hall['server'].url}{PREFIX}practice/{SANDBOX}/vote/{hearing}"  # as a person types it
    assert 'id="practice"' in opens(shown)


def test_an_address_found_after_the_server_started_keeps_the_prefix(hall, ws, training, monkeypatch):
    """No hall network when the server started: the screens look again when they draw (the hotspot is up now)."""
    monkeypatch.delenv("PBTOOLS_PUBLIC_URL")
    monkeypatch.setattr("pbtools.phones.reach.hall_address", lambda: "127.0.0.1")
    base = f"{hall['server'].url}{PREFIX}"
    assert console_address(ws)[0] == f"{base}vote/{hall['hearing']}"
    assert survey_address(ws)[0] == f"{base}survey/water"
    training.render()
    shown = practice_address(training)[0]
    assert shown == f"{base}practice/{SANDBOX}/vote/{training.service.sandbox.open_hearing}"
    for url in (console_address(ws)[0], survey_address(ws)[0], shown):
        opens(url)


def test_behind_the_hub_every_screen_shows_the_hubs_public_address(hall, ws, training, monkeypatch):
    """The hub's public URL of this server (``pbtools hub init --public-url`` + the user's prefix), not the internal
    address the proxy reaches it at. Here the public one names the server as ``localhost``."""
    public = f"http://localhost:{hall['server'].port}{PREFIX}"
    on_the_hub(monkeypatch, public)
    shown, cards, _ = console_address(ws)
    assert shown == f"{public}vote/{hall['hearing']}" and cards == shown
    assert survey_address(ws)[0] == f"{public}survey/water"
    training.render()
    practice, said = practice_address(training)
    assert practice == f"{public}practice/{SANDBOX}/vote/{training.service.sandbox.open_hearing}"
    for url in (shown, survey_address(ws)[0], practice):
        opens(url)
    # the address is this machine's own (the test's): said in the hub's terms, not as a laptop's `make run HOST=`
    assert "--public-url" in said and "HOST=0.0.0.0" not in said


def test_behind_a_hub_with_no_public_address_every_screen_says_its_operator_sets_one(ws, training, monkeypatch):
    on_the_hub(monkeypatch, None)
    monkeypatch.setattr("pbtools.phones.reach.hall_address", lambda: "192.168.4.1")  # never used on the hub
    shown, cards, projector = console_address(ws)
    training.render()
    practice, said = practice_address(training)
    survey, board = survey_address(ws)
    assert shown == cards == practice == survey == ""
    for screen in (projector, said, board):
        assert "pbtools hub init --public-url" in screen and "192.168.4.1" not in screen and "Wi-Fi" not in screen


def test_the_servers_address_for_phones_names_its_prefix():
    settings = ServeSettings(workspace="/nowhere", base_url=PREFIX, public_address="192.168.4.1", port=8870)
    assert settings.phones_url() == "http://192.168.4.1:8870/user/aida/ak_suu"
    assert Urls.public(settings.phones_url()).vote("h1") == "http://192.168.4.1:8870/user/aida/ak_suu/vote/h1"
    hub = ServeSettings(workspace="/nowhere", hub=True, base_url=PREFIX, public_url=f"https://pb.example.kg{PREFIX}")
    assert Urls.public(hub.phones_url()).survey("water") == f"https://pb.example.kg{PREFIX}survey/water"


@pytest.mark.parametrize("typed, expected", [
    ("http://192.168.4.1:8866", "http://192.168.4.1:8866/vote/h1"),
    ("http://192.168.4.1:8866/", "http://192.168.4.1:8866/vote/h1"),
    ("192.168.4.1:8866", "http://192.168.4.1:8866/vote/h1"),  # typed without http://: a QR code of a page still
    ("https://pb.example.kg/user/aida/", "https://pb.example.kg/user/aida/vote/h1"),
    ("  http://[fd00::1]:8866/user/aida  ", "http://[fd00::1]:8866/user/aida/vote/h1"),
])
def test_a_typed_address_is_the_servers_base(typed, expected):
    assert Urls.public(typed).vote("h1") == expected


def test_a_sandboxs_pages_are_one_encoded_part_under_the_base():
    urls = Urls.public("http://192.168.4.1:8866/user/aida/")
    assert urls.practice("семинар/1").vote("mock-1") == \
        "http://192.168.4.1:8866/user/aida/practice/%D1%81%D0%B5%D0%BC%D0%B8%D0%BD%D0%B0%D1%80%2F1/vote/mock-1"
    assert Urls(PREFIX).practice("a b").vote("h1", "q5") == f"{PREFIX}practice/a%20b/vote/h1/q5"


@pytest.mark.parametrize("hub, host, url, said", [
    (False, "0.0.0.0", "http://192.168.4.1:8866/vote/h1", []),
    (False, "0.0.0.0", "http://localhost:8866/vote/h1", [reach.LAPTOP_OWN_ADDRESS]),  # typed by the facilitator
    (False, "0.0.0.0", "http://127.0.0.1:8866/vote/h1", [reach.LAPTOP_OWN_ADDRESS]),
    (False, "127.0.0.1", "http://127.0.0.1:8866/vote/h1", [reach.HERE_ONLY]),  # `make run`: restarting mends both
    (False, "127.0.0.1", "http://192.168.4.1:8866/vote/h1", [reach.HERE_ONLY]),
    (True, "127.0.0.1", "https://pb.example.kg/user/aida/vote/h1", []),  # the hub's proxy listens for it
    (True, "127.0.0.1", "http://127.0.0.1:8000/user/aida/vote/h1", [reach.HUB_OWN_ADDRESS]),
])
def test_what_stops_phones_is_one_rule_for_the_projector_and_the_cards(monkeypatch, hub, host, url, said):
    monkeypatch.setenv("PBTOOLS_SERVE_HOST", host)
    assert reach.unreachable(url, hub) == said
