"""What one device on the hall network may take from the server, so that no one of them can stop the vote.

- Connections: at most ``PER_ADDRESS`` open at once per client address (loopback addresses included); more are
  closed as they arrive, so one device cannot use up the server's open files for everyone else.
- Slow or idle connections: the headers must arrive within ``HEADER_TIMEOUT`` seconds (tornado's
  ``idle_connection_timeout``, which also closes a kept-alive connection idle that long), a body within
  ``BODY_TIMEOUT``.
- Responses nobody reads: a connection whose response makes no progress for ``WRITE_TIMEOUT`` seconds is closed
  (``_WriteWatch``); a phone that reads slowly but steadily is never cut off, as every byte it takes resets the clock.
  Until then each connection holds at most ``SEND_BUFFER`` (twice that, as Linux counts it) of the kernel's memory
  for what it has not read, not the megabytes the kernel's autotuning gives a socket (a client pipelining requests
  it never reads pinned 3.8 MB a connection, and a few addresses could take all the TCP memory Linux has, stalling
  every phone).
- Bodies: refused by the declared ``Content-Length`` before anything is read, and while a chunked body streams,
  at a limit per route (``body_limit``): a phone's ballot or a login is a few KB; no request of the apps carries
  more than ``DEFAULT_BODY`` (the apps talk to their kernels over websockets). A refused body gets
  "400 Bad Request" and the connection is closed, so memory stays flat whatever is posted.
- An address that declared a body over its route's limit is refused for ``COOL_DOWN`` seconds: its connections
  are closed as they arrive, the cheapest refusal there is (no phone ever sends such a body).
- Many addresses at once: once ``busy_at`` connections are open in all, an address that already holds
  ``FAIR_SHARE`` is refused more (a phone's browser opens at most 6), so fifty attacking addresses cannot use up
  the open files between them while each phone still gets in; and nothing is accepted past the open-file limit less
  a reserve (``open_cap``), which the kernels, the database and the log need.
- Open files: raised at start to the most the system allows (``raise_open_files``).
- Behind a trusted proxy (the central server's hub, ``forwarded``): the proxy's connections carry everyone, so they
  are not limited per address; each request is counted against its client's own address instead (from
  ``X-Forwarded-For``, only on those connections): at most ``PER_ADDRESS`` requests still arriving (headers read,
  body not yet) per client, and a
  client that declared a body over the limit is cooled down alone. Such a request is refused by closing the
  connection it came on (the proxy answers that client with an error). The client's address is also the request's
  ``remote_ip`` (logs, login lockouts).
"""

from __future__ import annotations

import collections
import contextlib
import logging
import resource
import socket
import struct
import time
from typing import Any

from tornado import httputil
from tornado.httpserver import HTTPServer
from tornado.ioloop import PeriodicCallback
from tornado.iostream import IOStream

try:  # Linux's count of what a socket still holds to send (SIOCOUTQ); not on Windows
    from fcntl import ioctl
    from termios import TIOCOUTQ
except ImportError:  # pragma: no cover - Windows
    ioctl = TIOCOUTQ = None

from pbtools.server.forwarded import Network, client_address, is_trusted
from pbtools.phones.urls import Urls

# a hall's phones each have their own address; tests and benchmarks run 300 voters from one. 400 that never read
# hold ~100 MB of kernel memory (send and receive queues) for WRITE_TIMEOUT, not 1.5 GB for as long as they like
PER_ADDRESS = 400
HEADER_TIMEOUT = 10.0  # s: a phone on weak Wi-Fi sends its headers in one or two packets
BODY_TIMEOUT = 30.0  # s: a ballot is under 2 KB
# s: a response not a byte of which was taken this long is not being read; as patient as BODY_TIMEOUT the other
# way. A phone's page (~5 KB) fits the send buffer whole and is never waited on; where the kernel does not say what
# it still holds (not Linux), a larger response moves a third of the buffer (43 KB) at a time: 1.4 KB/s, below GPRS
WRITE_TIMEOUT = 30.0
# bytes of SO_SNDBUF per accepted socket (Linux doubles it for its bookkeeping). Measured over loopback
# (benchmarks/slow_readers.py --send-buffer KB): a 64 MB page or websocket message goes as fast as with the kernel's
# own sizing from 40 KB up, at 2 MB/s from 32 KB down (loopback's 64 KB segments no longer fit twice); 64 KB keeps
# a margin, and on Wi-Fi 128 KB in flight is 100 Mbit/s at a 10 ms round trip, more than a phone gets. Held by a
# client that never reads: 128 KB a connection instead of 3.8 MB.
SEND_BUFFER = 64 * 1024
MAX_HEADER = 32 * 1024
DEFAULT_BODY = 1024 * 1024
VOTE_BODY = 32 * 1024  # a ballot form is well under 2 KB
LOGIN_BODY = 16 * 1024
# one message a logged-in page sends its app's kernel (a file chosen in an upload travels as one): room for a
# monitoring photo or document of the largest size the store takes (monitoring.files.MAX_BYTES, 100 MB) and a
# hand-in zip of that size; tornado's own default, 10 MB, dropped a larger upload with no word on the screen
WEBSOCKET_MESSAGE = 128 * 1024 * 1024
# the largest file a page sends its app (monitoring.files.MAX_BYTES, 100 MB): a bigger one is stopped in the page
# (static/uploads.js) with a message, never sent; past WEBSOCKET_MESSAGE it would drop the page's connection unsaid
UPLOAD_MOST = 100 * 1024 * 1024
# a hand-in behind the hub (hub_mode.HandIn): a hearing's audit file (~1 KB a record) or the zip of a laptop's
# hand-in folder with its monitoring photos: several times the largest single file the monitoring store takes
# (monitoring.files.MAX_BYTES, 100 MB); a bigger year is handed in with `pbtools sync push` from the USB stick
SYNC_BODY = 512 * 1024 * 1024
COOL_DOWN = 10.0  # s
FAIR_SHARE = 16  # connections per address once the server is busy: more than a phone's browser ever opens
BUSY_AT = 1000  # connections in all (at most a quarter of the open-file limit) past which FAIR_SHARE applies

log = logging.getLogger(__name__)


def body_limit(path: str, base_url: str = "/") -> int:
    """The most a request to ``path`` may send; ``base_url``: the server's (behind JupyterHub every route is under the
    user's prefix, /user/aida/ or /user/aida/ak_suu/, and a path outside it reaches no route of ours)."""
    if base_url != "/":
        if not path.startswith(base_url):
            return DEFAULT_BODY
        path = "/" + path[len(base_url):]
        if path.startswith("/pbtools/sync"):  # the hand-in route exists only behind the hub
            return SYNC_BODY
    if path.startswith(("/vote/", "/survey/", "/practice/")):  # a survey's answers, a mock ballot: as small as a ballot
        return VOTE_BODY
    if path.startswith("/login"):
        return LOGIN_BODY
    return DEFAULT_BODY


def raise_open_files() -> tuple[int, int]:
    """Raise this process's open-file limit to the hard limit (each connection is an open file); (soft, hard)."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if hard == resource.RLIM_INFINITY or soft < hard:
        target = hard if hard != resource.RLIM_INFINITY else max(soft, 1 << 20)
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (ValueError, OSError):  # some systems refuse values above their own maximum: keep what we have
            pass
    return soft, hard


def busy_at(open_files: int) -> int:
    return min(BUSY_AT, open_files // 4)


def open_cap(open_files: int) -> int:
    """Connections accepted at most, leaving files for the kernels, the database and the log."""
    return open_files - max(256, open_files // 8)


class _BodyLimit(httputil.HTTPMessageDelegate):
    """Sets the request's body limit from its route once its headers are read, before any of its body is; behind a
    trusted proxy, also counts the request against its client's address (``HallServer.admit``)."""

    def __init__(self, delegate: httputil.HTTPMessageDelegate, request_conn: Any, server: "HallServer", ip: str) -> None:
        self.delegate, self.request_conn, self.server, self.ip = delegate, request_conn, server, ip
        self.client: str | None = None  # set while a proxied request is counted

    def headers_received(self, start_line: Any, headers: httputil.HTTPHeaders) -> Any:
        ip = self.ip
        if self.server.behind_proxy(self.ip):
            ip = client_address(self.ip, ",".join(headers.get_list("X-Forwarded-For")), self.server.trusted_proxies)
            if not self.server.admit(ip):
                self.request_conn.close()  # only this request's connection: the proxy tells this client
                return None
            self.client = ip
            context = getattr(self.request_conn, "context", None)
            if context is not None:  # the request's remote_ip, as tornado's xheaders would set it (read from here)
                context.remote_ip = ip
        path = getattr(start_line, "path", "") or ""
        limit = body_limit(path.split("?", 1)[0], self.server.base_url)
        self.request_conn.set_max_body_size(limit)
        try:
            declared = int(headers.get("Content-Length", "0"))
        except ValueError:
            declared = 0  # tornado refuses it as malformed
        if declared > limit:  # tornado refuses it without reading it; the sender waits before its next try
            self.server.cool_down(ip)
        return self.delegate.headers_received(start_line, headers)

    def data_received(self, chunk: bytes) -> Any:
        return self.delegate.data_received(chunk)

    def _done(self) -> None:
        if self.client is not None:
            self.server.release(self.client)
            self.client = None
            context = getattr(self.request_conn, "context", None)
            if context is not None:  # the next request on this connection may be another client's
                context.remote_ip = self.ip

    def finish(self) -> None:
        self._done()
        self.delegate.finish()

    def on_connection_close(self) -> None:
        self._done()
        self.delegate.on_connection_close()


def delivered(stream: IOStream) -> int:
    """Bytes of ``stream``'s responses that have left the server: what tornado handed the kernel
    (``IOStream._total_write_done_index``, private: tests/server/test_slow_readers.py fails if tornado renames it),
    less what the kernel still holds unsent or unacknowledged (Linux; elsewhere progress shows only when the kernel
    takes more, a third of its buffer at a time)."""
    done = stream._total_write_done_index
    if ioctl is not None:
        try:
            done -= struct.unpack("i", ioctl(stream.socket.fileno(), TIOCOUTQ, b"\0\0\0\0"))[0]
        except OSError:  # closed meanwhile
            pass
    return done


class _WriteWatch:
    """Closes the connections whose pending response has not moved for ``timeout`` seconds (looked at every tenth
    of it); nothing is looked at while no connection is open."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.streams: dict[IOStream, tuple[str, int, float]] = {}  # a watched stream: (address, delivered, since)
        self.timer = PeriodicCallback(self.check, max(0.25, timeout / 10) * 1000)

    def add(self, stream: IOStream, ip: str) -> None:
        self.streams[stream] = (ip, 0, time.monotonic())
        if not self.timer.is_running():
            self.timer.start()

    def check(self) -> None:
        now, stalled = time.monotonic(), collections.Counter()
        for stream, (ip, seen, since) in list(self.streams.items()):
            if stream.closed():
                del self.streams[stream]
                continue
            progress = delivered(stream)
            if not stream.writing() or progress != seen:
                self.streams[stream] = (ip, progress, now)
            elif now - since >= self.timeout:
                stalled[ip] += 1
                with contextlib.suppress(OSError):  # reset, not FIN: the kernel would keep the unread rest a while
                    stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                stream.close()
                del self.streams[stream]
        if stalled:  # one line per look, however many
            log.warning("closed %d connections whose responses were not read for %d s (%s)", sum(stalled.values()),
                        self.timeout, ", ".join(f"{ip}: {n}" for ip, n in stalled.most_common(5)))
        if not self.streams:
            self.timer.stop()


class HallServer(HTTPServer):
    """tornado's HTTP server with the limits above."""

    per_address = PER_ADDRESS
    write_timeout = WRITE_TIMEOUT
    trusted_proxies: tuple[Network, ...] = ()  # none on a hall laptop: phones connect to it directly
    base_url = "/"  # the user's prefix behind the hub (``body_limit``)

    def behind_proxy(self, ip: str) -> bool:
        return is_trusted(ip, self.trusted_proxies)

    def admit(self, client: str) -> bool:
        """A proxied request of ``client``: counted, or refused (cooling down, or too many in flight)."""
        self._counts()
        until = self._cooling.get(client)
        if until is not None:
            if time.monotonic() < until:
                return False
            del self._cooling[client]
        if self._in_flight[client] >= self.per_address:
            if client not in self._warned:
                self._warned.add(client)
                log.warning("%s has %d requests in flight through the proxy; refusing more from it", client,
                            self._in_flight[client])
            return False
        self._in_flight[client] += 1
        return True

    def release(self, client: str) -> None:
        self._in_flight[client] -= 1
        if self._in_flight[client] <= 0:
            del self._in_flight[client]
            self._warned.discard(client)

    def _counts(self) -> collections.Counter:
        if not hasattr(self, "_open_by_address"):
            self._in_flight: collections.Counter = collections.Counter()  # proxied requests per client address
            self._open_by_address: collections.Counter = collections.Counter()
            self._warned: set[str] = set()
            self._cooling: dict[str, float] = {}
            self._open = 0
        return self._open_by_address

    def cool_down(self, ip: str) -> None:
        if ip not in self._cooling:
            log.warning("%s sent a body over the limit; refusing it for %d s", ip, COOL_DOWN)
        self._cooling[ip] = time.monotonic() + COOL_DOWN

    def _handle_connection(self, connection: Any, address: Any) -> None:
        """Refused connections are closed here, before tornado wraps them: a crowd of them costs little."""
        ip = address[0] if isinstance(address, tuple) and address else ""
        counts = self._counts()
        open_files = resource.getrlimit(resource.RLIMIT_NOFILE)[0]  # read each time: it may be changed while we run
        if self.behind_proxy(ip):  # the proxy's connections carry everyone: counted per client and request instead
            if self._open < open_cap(open_files):
                return super()._handle_connection(connection, address)
            connection.close()
            return
        until = self._cooling.get(ip)
        if until is not None:
            if time.monotonic() < until:
                connection.close()
                return
            del self._cooling[ip]
        busy = self._open >= busy_at(open_files)
        if counts[ip] >= self.per_address or (busy and counts[ip] >= FAIR_SHARE) or self._open >= open_cap(open_files):
            if ip not in self._warned:  # once per crowd, not once per refused connection
                self._warned.add(ip)
                log.warning("%s has %d connections open (%d in all); refusing more from it", ip, counts[ip], self._open)
            connection.close()
            return
        super()._handle_connection(connection, address)

    def handle_stream(self, stream: Any, address: Any) -> None:
        ip = address[0] if isinstance(address, tuple) and address else ""
        self._counts()[ip] += 1
        self._open += 1
        with contextlib.suppress(OSError):  # reset before we got to it: tornado finds out on its first read
            stream.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, SEND_BUFFER)
        if not hasattr(self, "_write_watch"):
            self._write_watch = _WriteWatch(self.write_timeout)
        self._write_watch.add(stream, ip)
        super().handle_stream(stream, address)

    def on_close(self, server_conn: Any) -> None:
        address = getattr(getattr(server_conn, "context", None), "address", None)
        ip = address[0] if isinstance(address, tuple) and address else ""
        counts = self._counts()
        counts[ip] -= 1
        self._open -= 1
        if counts[ip] <= 0:
            del counts[ip]
            self._warned.discard(ip)
        super().on_close(server_conn)

    def start_request(self, server_conn: object, request_conn: httputil.HTTPConnection) -> httputil.HTTPMessageDelegate:
        address = getattr(getattr(server_conn, "context", None), "address", None)
        ip = address[0] if isinstance(address, tuple) and address else ""
        return _BodyLimit(super().start_request(server_conn, request_conn), request_conn, self, ip)


def listen(app: Any, port: int, address: str, backlog: int, trusted_proxies: tuple[Network, ...] = (),
           base_url: str = "/") -> HallServer:
    """What ``Application.listen`` does, with ``HallServer`` and its timeouts; ``trusted_proxies`` only behind the
    central server's hub (``forwarded``), where ``base_url`` is the user's prefix."""
    server = HallServer(app, idle_connection_timeout=HEADER_TIMEOUT, body_timeout=BODY_TIMEOUT,
                        max_header_size=MAX_HEADER, max_body_size=DEFAULT_BODY)
    server.trusted_proxies = tuple(trusted_proxies)
    server.base_url = Urls(base_url).base
    server.listen(port, address, backlog=backlog)
    return server
