"""Behind the hub's proxy every request comes from the proxy: the user's server counts each one against the client
the proxy names in X-Forwarded-For, and only when the connection comes from a proxy it trusts. Real requests from
two loopback addresses (127.0.0.2 and .3) through Debian's configurable-http-proxy (what JupyterHub runs) to
``limits.HallServer``, the server every pbtools server listens with."""

from __future__ import annotations

import asyncio
import http.client
import os
import subprocess
import threading
import time

import pytest
from tornado import web

from pbtools.server import limits
from pbtools.server.forwarded import LOOPBACK, client_address, trusted_networks
from pbtools.server.hub_config import CHP
from tests.fixtures.browser import free_port

A, B = "127.0.0.2", "127.0.0.3"  # two phones
PROXY_ONLY = trusted_networks(["127.0.0.1"])  # the proxy's own address: the phones (.2, .3) are not trusted


def test_the_client_is_the_rightmost_address_not_a_trusted_proxy():
    loopback = trusted_networks(LOOPBACK)
    # an untrusted peer's header counts for nothing, whatever it says
    assert client_address("10.0.0.7", "1.2.3.4", loopback) == "10.0.0.7"
    assert client_address("127.0.0.1", "1.2.3.4", ()) == "127.0.0.1"  # a hall laptop trusts no one
    # through the proxy: what the client wrote stays to the left of what the proxy appended
    assert client_address("127.0.0.1", "6.6.6.6, 10.0.0.7", loopback) == "10.0.0.7"
    assert client_address("127.0.0.1", "6.6.6.6", loopback) == "6.6.6.6"
    assert client_address("127.0.0.1", "10.0.0.7, 127.0.0.1", loopback) == "10.0.0.7"  # two trusted hops
    assert client_address("127.0.0.1", "::ffff:10.0.0.7", loopback) == "10.0.0.7"  # node's IPv4 on a dual socket
    assert client_address("127.0.0.1", "junk, 127.0.0.5", loopback) == "127.0.0.5"  # all trusted but junk: last good hop
    assert client_address("127.0.0.1", "", loopback) == "127.0.0.1"
    with pytest.raises(ValueError, match="nope"):
        trusted_networks(["127.0.0.1", "nope"])


class Echo(web.RequestHandler):
    def get(self, _path: str) -> None:
        self.finish(self.request.remote_ip)

    def post(self, _path: str) -> None:
        self.finish(self.request.remote_ip)


class Served:
    """``limits.listen`` (HallServer) in a thread of its own, serving ``Echo``."""

    def __init__(self, trusted) -> None:
        self.port, self._ready = free_port(), threading.Event()
        self._thread = threading.Thread(target=asyncio.run, args=(self._serve(trusted),), daemon=True)
        self._thread.start()
        assert self._ready.wait(10)

    async def _serve(self, trusted) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        server = limits.listen(web.Application([(r"/(.*)", Echo)]), self.port, "127.0.0.1", 128, trusted)
        self._ready.set()
        await self._stop.wait()
        server.stop()

    def stop(self) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)


def request(port: int, source: str, path: str, method: str = "GET", body: bytes = b"",
            headers: dict | None = None) -> tuple[int, str]:
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15, source_address=(source, 0))
    try:
        conn.request(method, path, body=body or None, headers=headers or {})
        answer = conn.getresponse()
        return answer.status, answer.read().decode(errors="replace")
    except (ConnectionError, http.client.HTTPException):
        return 0, ""  # the server closed the connection: refused
    finally:
        conn.close()


@pytest.fixture
def proxy():
    """Debian's configurable-http-proxy, as JupyterHub starts it (X-Forwarded-For on), in front of ``target``."""
    if not os.path.exists(CHP):
        pytest.fail(f"{CHP} is missing: run `sh scripts/system-deps.sh` (Debian's node-configurable-http-proxy)")
    started = []

    def start(target: int) -> int:
        port = free_port()
        env = {**os.environ, "NODE_PATH": "/usr/share/nodejs:/usr/lib/nodejs"}
        p = subprocess.Popen([CHP, "--ip", "127.0.0.1", "--port", str(port), "--api-ip", "127.0.0.1", "--api-port",
                              str(free_port()), "--default-target", f"http://127.0.0.1:{target}", "--log-level", "error"],
                             env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        started.append(p)
        deadline = time.monotonic() + 30
        while request(port, "127.0.0.1", "/ping")[0] != 200:
            assert p.poll() is None and time.monotonic() < deadline, "the proxy did not start"
            time.sleep(0.1)
        return port

    yield start
    for p in started:
        p.terminate()
        p.wait(10)


def over_the_limit(port: int, source: str) -> int:
    """A ballot post far over a ballot's size: the sender is cooled down."""
    return request(port, source, "/vote/h1/q1", "POST", b"x" * (limits.VOTE_BODY + 1))[0]


def test_a_forged_header_from_a_peer_not_trusted_changes_nothing():
    hall = Served(trusted=())  # a hall laptop: phones connect directly
    try:
        assert request(hall.port, A, "/who", headers={"X-Forwarded-For": B}) == (200, A)
        assert request(hall.port, A, "/who", headers={"X-Real-Ip": B, "X-Forwarded-For": B}) == (200, A)
        assert over_the_limit(hall.port, A) != 200
        # A, pretending to be B, is still A: refused while cooling down; B itself is served
        assert request(hall.port, A, "/who", headers={"X-Forwarded-For": B})[0] == 0
        assert request(hall.port, B, "/who") == (200, B)
    finally:
        hall.stop()
    hub = Served(trusted=PROXY_ONLY)  # a user's server behind the hub, reached directly by a phone: no trust either
    try:
        assert request(hub.port, A, "/who", headers={"X-Forwarded-For": B}) == (200, A)
    finally:
        hub.stop()


def test_behind_the_real_proxy_two_clients_are_counted_apart(proxy):
    server = Served(trusted=PROXY_ONLY)
    try:
        port = proxy(server.port)
        assert request(port, A, "/who") == (200, A)
        assert request(port, B, "/who") == (200, B)
        # what A writes in the header stays left of what the proxy appends: A is A
        assert request(port, A, "/who", headers={"X-Forwarded-For": "203.0.113.9"}) == (200, A)
        # A sends a body over its route's limit: A alone is cooled down, B goes on voting through the same proxy
        assert over_the_limit(port, A) != 200
        refused = request(port, A, "/who")
        assert refused[0] != 200 and A not in refused[1]
        assert request(port, B, "/vote/h1/q1", "POST", b"ballot=1") == (200, B)
        assert request(port, A, "/who", headers={"X-Forwarded-For": B})[0] != 200  # nor can A pass itself off as B
    finally:
        server.stop()


def test_without_trusting_the_proxy_one_client_would_stop_everyone(proxy):
    """The control: the same proxy, the server not trusting it (as before): A's refusal is everyone's."""
    server = Served(trusted=())
    try:
        port = proxy(server.port)
        assert request(port, B, "/who") == (200, "127.0.0.1")  # the proxy's address, for everyone
        assert over_the_limit(port, A) != 200
        assert request(port, B, "/who")[0] != 200
    finally:
        server.stop()


def test_requests_still_arriving_are_counted_per_forwarded_client(monkeypatch):
    """Through the proxy (here: its address, 127.0.0.1, writing the header), a client's half-sent requests count
    against that client only: past its share it is refused, another client is not."""
    import socket

    monkeypatch.setattr(limits.HallServer, "per_address", 2)
    server = Served(trusted=PROXY_ONLY)
    held = []
    try:
        def half_sent(client: str) -> socket.socket:
            s = socket.create_connection(("127.0.0.1", server.port), timeout=10)
            s.sendall(f"POST /vote/h1/q1 HTTP/1.1\r\nHost: x\r\nX-Forwarded-For: {client}\r\n"
                      "Content-Length: 8\r\n\r\n".encode())
            held.append(s)
            return s

        first, _second = half_sent("10.0.0.1"), half_sent("10.0.0.1")
        time.sleep(0.3)  # the server has read both requests' headers
        third = half_sent("10.0.0.1")
        assert third.recv(100) == b""  # refused: closed
        assert request(server.port, "127.0.0.1", "/who", headers={"X-Forwarded-For": "10.0.0.2"}) == (200, "10.0.0.2")
        first.sendall(b"ballot=1")  # one arrives whole: the client may send another
        assert b"200 OK" in first.recv(1000)
        assert request(server.port, "127.0.0.1", "/who", headers={"X-Forwarded-For": "10.0.0.1"}) == (200, "10.0.0.1")
    finally:
        for s in held:
            s.close()
        server.stop()
