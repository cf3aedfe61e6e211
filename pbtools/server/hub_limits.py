"""How often the hub's login (and sign-up) may be tried, by whom: counted per client address, as a hall laptop's
logins are (``server.logins``), never per user name alone.

NativeAuthenticator blocks a *name* after 5 wrong passwords, whoever sent them, and then refuses the right
password too: one request a minute from anywhere kept a facilitator out on a hearing day (the s23 trial, F7). Here:

- each (user, address) may fail ``allowed`` times, then tries once per ``wait`` seconds (NativeAuthenticator's
  rule, for that address only): the right password from another address still gets in;
- every user has a bounded total besides: past ``total`` failures within ``window`` from all addresses together,
  an address that failed for that user in the window is refused outright, and a new one has a single try. So a
  crowd of addresses guesses little more than one password per address an hour, and the user, from an address that
  did not fail, still logs in;
- what is kept is bounded (``MAX_ENTRIES``): forgotten after ``window``, the oldest dropped first.

Failed sign-ups are limited per address too (``SignUps``): an invitation code is not to be guessed (60 bits), but
each try costs a look in the registry, and a flood of them is nobody's business.

The client's address behind the hub's proxy is the rightmost of its ``X-Forwarded-For`` that is not a trusted
proxy (``forwarded.client_address``; tornado's own ``remote_ip`` would take a client's ``X-Real-Ip``). The trusted
proxies are JupyterHub's own proxy on this machine (``PROXY``) and what the operator adds (``hub init
--trusted-proxies``: a front proxy on another machine). A front proxy that does not pass the client's address
(no ``X-Forwarded-For``, a TLS pass-through) makes every client one address: the lockouts above are then one
for everybody. ``unknown_client`` tells that case, and the authenticator says it loudly in the hub's log (s26 H4).
"""

from __future__ import annotations

import time
from collections import deque
from typing import Any, Callable

from pbtools.server.forwarded import client_address, is_trusted, trusted_networks

ALLOWED, WAIT = 5, 60  # NativeAuthenticator's allowed_failed_logins and seconds_before_next_try, as configured
TOTAL, WINDOW = 30, 3600  # failures of one user from all addresses within the window, before the bound
SIGNUPS, SIGNUP_WINDOW = 10, 600  # failed sign-ups of one address within the window
MAX_ENTRIES = 20_000
PROXY = trusted_networks(["127.0.0.1", "::1"])  # the hub listens there, reached only through its proxy on this machine


def proxies(extra: str = "") -> tuple:
    """The hub's trusted proxies: its own (``PROXY``) and ``extra`` (comma-separated addresses or networks)."""
    return PROXY + trusted_networks(extra.split(","))


def client_of(handler: Any, trusted: tuple = PROXY) -> str:
    """The address a request to the hub came from, as its proxies say."""
    request = handler.request
    address = getattr(request.connection.context, "address", None)  # the socket's peer (xheaders leave it)
    peer = address[0] if isinstance(address, tuple) and address else request.remote_ip
    return client_address(peer, request.headers.get("X-Forwarded-For"), trusted)


def unknown_client(address: str, trusted: tuple = PROXY) -> bool:
    """Whether ``client_of`` could only find a proxy: no proxy named the client (a front proxy without
    ``X-Forwarded-For``), so every client behind it counts as this one address."""
    return is_trusted(address, trusted)


class Window:
    """A sliding window per key: the times of its latest events within ``window`` seconds, at most ``most`` of them
    (enough to say "``most`` within the window"). What is kept is bounded (``MAX_ENTRIES`` keys): past that, keys
    with nothing in the window are forgotten, then those whose last event is oldest, until half the room is free."""

    def __init__(self, most: int, window: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.most, self.window, self.clock = most, window, clock
        self.times: dict[Any, deque[float]] = {}

    def _recent(self, key: Any, now: float) -> deque[float]:
        times = self.times.get(key) or deque(maxlen=self.most)
        while times and now - times[0] > self.window:
            times.popleft()
        return times

    def count(self, key: Any, now: float | None = None) -> int:
        """Events of ``key`` within the window (at most ``most``); ``now``: the clock's, by default."""
        return len(self._recent(key, self.clock() if now is None else now))

    def full(self, key: Any, now: float | None = None) -> bool:
        return self.count(key, now) >= self.most

    def add(self, key: Any, now: float | None = None) -> None:
        now = self.clock() if now is None else now
        times = self.times[key] = self._recent(key, now)
        times.append(now)
        if len(self.times) > MAX_ENTRIES:
            self.times = {k: t for k, t in self.times.items() if t and now - t[-1] <= self.window}
            if len(self.times) > MAX_ENTRIES // 2:
                self.times = dict(sorted(self.times.items(), key=lambda kv: kv[1][-1])[-(MAX_ENTRIES // 2):])


class Attempts:
    """Failed logins per (user, address) and per user."""

    def __init__(self, allowed: int = ALLOWED, wait: float = WAIT, total: int = TOTAL, window: float = WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.allowed, self.wait, self.total, self.window, self.clock = allowed, wait, total, window, clock
        self.pairs: dict[tuple[str, str], tuple[int, float]] = {}  # (user, address) -> failures, time of the last
        self.recent = Window(total, window, clock)  # user -> times of the latest failures

    def _pair(self, key: tuple[str, str], now: float) -> tuple[int, float]:
        count, last = self.pairs.get(key, (0, 0.0))
        return (0, 0.0) if count and now - last > self.window else (count, last)

    def blocked(self, user: str, address: str) -> bool:
        """Whether a login of ``user`` from ``address`` is refused now, unchecked."""
        now = self.clock()
        count, last = self._pair((user, address), now)
        if count >= self.allowed and now - last < self.wait:
            return True
        return count > 0 and self.recent.full(user, now)

    def failed(self, user: str, address: str) -> None:
        now = self.clock()
        count, _last = self._pair((user, address), now)
        self.pairs[(user, address)] = (count + 1, now)
        self.recent.add(user, now)
        if len(self.pairs) > MAX_ENTRIES:
            self._forget(now)

    def succeeded(self, user: str, address: str) -> None:
        self.pairs.pop((user, address), None)

    def _forget(self, now: float) -> None:
        """Entries older than the window, then the oldest, until half the room is free."""
        self.pairs = {k: v for k, v in self.pairs.items() if now - v[1] <= self.window}
        if len(self.pairs) > MAX_ENTRIES // 2:
            self.pairs = dict(sorted(self.pairs.items(), key=lambda kv: kv[1][1])[-(MAX_ENTRIES // 2):])


class SignUps:
    """Failed sign-ups per address: ``per_address`` within ``window`` seconds, then none tried until the oldest is
    out. A sign-up that makes an account (a valid code) is not counted: a training room behind one address signs
    up together."""

    def __init__(self, per_address: int = SIGNUPS, window: float = SIGNUP_WINDOW,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.tries = Window(per_address, window, clock)

    def blocked(self, address: str) -> bool:
        return self.tries.full(address)

    def failed(self, address: str) -> None:
        self.tries.add(address)
