"""A locked-out address's login posts against a real server: refused at once, each connection closed with its answer.
They used to wait 5 s each, one at a time, holding their connections: 400 posts sent together filled the address's
400 connections for half an hour, and every other device behind that address (a NAT, the laptop itself) was
refused, ballot pages included. The laptop's own address can be locked by a page its browser opens (a site that
points its name at 127.0.0.1): the facilitator there still logs in with the token."""

from __future__ import annotations

import http.client
import time
import urllib.parse

import pytest

from pbtools.i18n import N_, Msg
from pbtools.server import auth, limits, logins
from tests.server.hall import make_hall
from tests.server.inprocess import InProcessServer
from tests.server.source import Device, raw_socket

PASSWORD = "hall-secret-42"
# every wrong password's wait before the lock, and time for the hashes: all of a flood is answered by then
ANSWERED_WITHIN = sum(logins.FIRST_DELAY * 2 ** i for i in range(logins.LOCK_AFTER - logins.FREE_TRIES)) + 10


@pytest.fixture(scope="module")
def hall(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("lockouts") / "workspace"
    hearing, _ = make_hall(workspace, codes=1)
    server = InProcessServer(workspace, password=PASSWORD)
    yield server, hearing
    server.stop()


def login_post(device: Device, password: str) -> bytes:
    """A login form as the device's browser posts it (its XSRF cookie and field)."""
    body = urllib.parse.urlencode({"password": password, "_xsrf": device.xsrf}).encode()
    return (f"POST /login?next=%2F HTTP/1.1\r\nHost: hall\r\nContent-Type: application/x-www-form-urlencoded\r\n"
            f"Cookie: _xsrf={device.cookies['_xsrf']}\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body


def test_a_flood_of_login_posts_is_refused_at_once_once_locked_and_frees_its_connections(hall):
    server, hearing = hall
    source = "127.0.0.2"  # a guesser; a phone behind the same NAT would have the same address
    guesser = Device(server.port, source)
    guesser.get("/login")
    post = login_post(guesser, "guess")
    flood, t0 = [], time.monotonic()
    for _ in range(limits.PER_ADDRESS):  # as many as the address may open: all its connections
        s = raw_socket(server.port, source)
        s.sendall(post)
        flood.append(s)
    statuses, left_open = [], 0
    for s in flood:
        s.settimeout(max(0.1, t0 + ANSWERED_WITHIN - time.monotonic()))
        response = http.client.HTTPResponse(s)
        try:
            response.begin()
            response.read()
        except OSError:
            pytest.fail(f"{len(statuses)} of {len(flood)} posts answered within {ANSWERED_WITHIN} s")
        statuses.append(response.status)
        if response.status == 429:
            s.settimeout(2)
            try:  # the server closed it with the answer, freeing the address's connection
                left_open += s.recv(1) != b""
            except TimeoutError:
                left_open += 1
            except ConnectionResetError:
                pass
    for s in flood:
        s.close()
    assert statuses.count(401) == logins.LOCK_AFTER - 1, statuses[:20]
    assert statuses.count(429) == len(flood) - logins.LOCK_AFTER + 1
    assert left_open == 0
    # the address's connections are free again: a phone behind it opens its ballot at once
    t0 = time.monotonic()
    assert Device(server.port, source).get(f"/vote/{hearing}/motion", timeout=5)[0] == 200
    assert time.monotonic() - t0 < 2
    # and a locked address's next post is refused at once too
    t0 = time.monotonic()
    status, page, headers = guesser.post("/login?next=%2F", {"password": PASSWORD})
    assert status == 429 and f"pbtools logins --lift {source}" in page
    assert time.monotonic() - t0 < 1 and dict(headers).get("Connection") == "close"
    logins.lift(server.workspace, source)


def test_the_laptop_locked_by_a_page_in_its_browser_still_logs_in_with_the_token(hall):
    server, _ = hall
    # a site the laptop's browser opens points its own name at 127.0.0.1 (DNS rebinding): same origin under its
    # name, it reads the login form's XSRF field and posts guesses from the laptop's own address
    name = f"evil.example:{server.port}"
    page = Device(server.port)
    page.get("/login", headers={"Host": name})
    for _ in range(logins.LOCK_AFTER):
        status = page.post("/login?next=%2F", {"password": "guess"}, headers={"Host": name})[0]
    assert status == 429 and "127.0.0.1" in logins.lockouts(server.workspace)
    try:
        facilitator = Device(server.port)
        facilitator.get("/login?lang=ru")
        # the password is refused from a locked address, the facilitator's too; the page says how to get in
        status, text, _ = facilitator.post("/login?next=%2F&lang=ru", {"password": PASSWORD})
        link_file = server.workspace / auth.LINK_FILE
        said = Msg(N_("Too many wrong passwords from this laptop. Log in with the link saved in {path}; the lock is "
                      "lifted with pbtools logins --lift {address}."), path=str(link_file), address="127.0.0.1")
        assert status == 429 and said.render("ru") in text
        # the token, pasted as the password on the laptop, logs in whatever the lock (it cannot be guessed)
        status, _, headers = facilitator.post("/login?next=%2F", {"password": server.voila.access.token})
        assert status == 302 and dict(headers)["Location"] == "/"
        status, text, _ = facilitator.get("/")
        assert status == 200 and 'id="app-console"' in text
        # the link too
        laptop = Device(server.port)
        assert laptop.get(f"/?token={server.voila.access.token}")[0] == 302 and laptop.get("/")[0] == 200
    finally:
        logins.lift(server.workspace, "127.0.0.1")
