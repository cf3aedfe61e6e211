"""A server nobody logs in to (loopback, no password: `make run`) answers only this machine's names. Otherwise a site
the laptop's browser opens could point its own name at 127.0.0.1 (DNS rebinding) and, with the Host header of that
name, read the apps' pages, open a kernel's websocket and press the console's buttons. A server with a login keeps
answering the hall's names (phones use the laptop's address on the Wi-Fi); its login cookie is never sent to
another site's name."""

from __future__ import annotations

import asyncio
import http.client
from concurrent.futures import ThreadPoolExecutor

import pytest
from tornado.httpclient import HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from tests.fixtures.browser import Server, free_port
from tests.server.hall import make_hall

KERNEL = "00000000-0000-4000-8000-000000000000"
PAGES = ("/", "/voila/render/console.ipynb", "/pbtools/logins", "/voila/files/logo.png")


def status(port: int, path: str, host: str) -> int:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        conn.request("GET", path, headers={"Host": host})
        return conn.getresponse().status
    finally:
        conn.close()


def ws_status(port: int, path: str, host: str) -> int:
    """101 when the websocket opens, else the HTTP status that refused it."""

    async def attempt() -> int:
        origin = f"http://{host}"  # the page's own origin: what a rebinding page sends
        request = HTTPRequest(f"ws://127.0.0.1:{port}{path}", headers={"Host": host, "Origin": origin}, follow_redirects=False)
        try:
            conn = await websocket_connect(request)
        except HTTPClientError as e:
            return e.code
        conn.close()
        return 101

    with ThreadPoolExecutor(1) as pool:  # a loop of its own: the browser tests keep one running in this thread
        return pool.submit(asyncio.run, attempt()).result()


@pytest.fixture(scope="module")
def open_server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("hosts") / "workspace"
    hearing, _ = make_hall(workspace, codes=1)
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log", ("--no-preheat",))
    yield server, hearing
    server.stop()


@pytest.fixture(scope="module")
def login_server(tmp_path_factory):
    workspace = tmp_path_factory.mktemp("hosts-login") / "workspace"
    hearing, _ = make_hall(workspace, codes=1)
    server = Server(workspace, free_port(), tmp_path_factory.mktemp("logs") / "serve.log",
                    ("--no-preheat", "--password", "hall-secret-42"))
    yield server, hearing
    server.stop()


def test_without_a_login_another_name_is_refused_everywhere(open_server):
    server, hearing = open_server
    port = server.port
    for path in (*PAGES, f"/vote/{hearing}", f"/vote/{hearing}/single"):
        assert status(port, path, f"evil.example:{port}") == 403, path
        assert status(port, path, f"127.0.0.1.evil.example:{port}") == 403, path
    assert ws_status(port, f"/api/kernels/{KERNEL}/channels", f"evil.example:{port}") == 403
    # this machine's own names answer as before
    for host in (f"127.0.0.1:{port}", f"localhost:{port}", "127.0.0.1"):
        assert status(port, "/", host) == 200, host
        assert status(port, f"/vote/{hearing}", host) == 200, host
    # the kernel's channels are reached (refused only for the unknown kernel)
    assert ws_status(port, f"/api/kernels/{KERNEL}/channels", f"127.0.0.1:{port}") == 404


def test_with_a_login_the_hall_address_is_answered(login_server):
    server, hearing = login_server
    port = server.port
    # a phone names the laptop by its address on the hall's Wi-Fi: the voters' pages and the login answer it
    assert status(port, f"/vote/{hearing}", f"192.168.8.10:{port}") == 200
    assert status(port, "/login", f"192.168.8.10:{port}") == 200
    assert status(port, "/", f"192.168.8.10:{port}") in (302, 303)  # to the login, not refused
