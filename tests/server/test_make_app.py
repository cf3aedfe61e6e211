"""``make_app(settings)``: the server is built from its settings object alone, so two servers in one process keep
apart (each its own workspace, password, login sessions and lockouts); the settings refuse a bad address before
anything starts."""

from __future__ import annotations

import json

import pytest

from pbtools.phones.address import AddressError
from pbtools.server.logins import LOCKOUT_FILE, SESSIONS_FILE
from pbtools.server.settings import ServeSettings
from tests.server.client import Browser
from tests.server.hall import make_hall
from tests.server.inprocess import InProcessServer


@pytest.fixture
def two_servers(tmp_path):
    servers = []
    for name in ("a", "b"):
        make_hall(tmp_path / name, codes=1)
        servers.append(InProcessServer(tmp_path / name, password=f"{name}-password-123"))
    yield servers
    for server in servers:
        server.stop()


def login(server: InProcessServer, password: str) -> tuple[int, str]:
    b = Browser(server.url)
    b.get("/login")
    status, page, _ = b.post("/login?next=%2F", {"password": password})
    return status, page


def sessions(server: InProcessServer) -> dict:
    path = server.workspace / SESSIONS_FILE
    return json.loads(path.read_text()) if path.exists() else {}


def test_two_servers_in_one_process_keep_their_own_passwords_and_sessions(two_servers):
    a, b = two_servers
    assert login(b, "a-password-123")[0] == 401  # a's password does not open b
    status, page = login(a, "a-password-123")
    assert status == 200 and 'id="app-console"' in page
    assert len(sessions(a)) == 1 and sessions(b) == {}  # the session is a's, kept in a's workspace


def test_each_servers_lockouts_page_lists_its_own_workspace(two_servers):
    a, b = two_servers
    (b.workspace / LOCKOUT_FILE).write_text(json.dumps({"10.9.8.7": {"since": "09:00", "failures": 10}}))
    facilitator = Browser(a.url)
    facilitator.get("/login")
    facilitator.post("/login?next=%2Fpbtools%2Flogins%3Flang%3Den", {"password": "a-password-123"})
    status, page, _ = facilitator.get("/pbtools/logins?lang=en")
    assert status == 200 and "No device is locked out" in page and "10.9.8.7" not in page
    facilitator = Browser(b.url)
    facilitator.get("/login")
    facilitator.post("/login?next=%2F", {"password": "b-password-123"})
    assert "10.9.8.7" in facilitator.get("/pbtools/logins?lang=en")[1]


@pytest.mark.parametrize("address", ["http://192.168.1.5", "192.168.1.5:8866", "127.0.0.1"])
def test_a_bad_public_address_is_refused_by_the_settings(address):
    with pytest.raises(AddressError):
        ServeSettings(workspace="unused", public_address=address)


def test_the_kernels_idle_time_comes_from_the_settings(tmp_path):
    make_hall(tmp_path / "ws", codes=1)
    server = InProcessServer(tmp_path / "ws", cull_idle_seconds=8)
    try:
        kernels = server.voila.kernel_manager
        assert (kernels.cull_idle_timeout, kernels.cull_interval) == (8, 2)
    finally:
        server.stop()
