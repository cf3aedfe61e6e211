"""Free loopback ports for the servers the tests start, safe when pytest-xdist runs several workers at once.

A port found free is closed again before the server binds it, so two callers must never be handed the same one in
that gap. Each worker therefore takes ports from its own block, below Linux's ephemeral range (where bind(0), the
kernels' ports and outgoing connections come from), walking it from a random start (another test run on the same
machine walks elsewhere) and never handing out a port twice. ``count`` > 1 asks for consecutive free ports (the
hub's proxy listens on the port after the hub's).
"""

from __future__ import annotations

import itertools
import os
import random
import socket

LOWEST = 15000  # above the usual fixed ports of local services (PostgreSQL 5432, 8000-8888...)


def _ephemeral_start() -> int:
    try:
        with open("/proc/sys/net/ipv4/ip_local_port_range") as f:
            return int(f.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768  # Linux's default; elsewhere ephemeral ports start higher still (49152)


def _block() -> range:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0")
    index = int(worker[2:]) if worker[2:].isdigit() else 0
    workers = max(int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1), index + 1)
    top = max(_ephemeral_start(), LOWEST + 1000 * workers)
    size = (top - LOWEST) // workers
    return range(LOWEST + index * size, LOWEST + (index + 1) * size)


_BLOCK = _block()
_start = random.randrange(len(_BLOCK))
_candidates = itertools.cycle([*_BLOCK[_start:], *_BLOCK[:_start]])


def _is_free(port: int) -> bool:
    with socket.socket() as s:
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def free_port(count: int = 1) -> int:
    """A port free on 127.0.0.1 (with the ``count - 1`` after it) that this worker has not handed out before."""
    for _ in range(len(_BLOCK)):
        port = next(_candidates)
        if port + count - 1 in _BLOCK and all(_is_free(p) for p in range(port, port + count)):
            for _ in range(count - 1):  # the others are taken too: never handed out alone later
                next(_candidates)
            return port
    raise RuntimeError(f"no {count} free consecutive port(s) in {_BLOCK}")
