"""The laptop's address on the hall network, for the URL and QR code that phones open; and whether a client's address
is the laptop's own (``is_this_machine``: the facilitator's token is taken only there).

Nothing here sends a packet: a UDP socket's ``connect`` only asks the kernel which interface would route to an
address, and the interfaces are listed locally. The facilitator can always override with ``--public-address``.
"""

from __future__ import annotations

import ipaddress
import re
import socket
import time

from pbtools.i18n import N_, Msg

DEFAULT_PORT = 8866  # where `pbtools serve` listens unless told (`make run`, the phones' addresses)

# Private addresses typical of hotspots and hall routers; "connecting" a UDP socket to them picks the interface
# that routes there (the default route first), without sending anything.
_PROBES = ("10.255.255.254", "192.168.255.254", "172.31.255.254")
OWN_FRESH_FOR = 2.0  # s: this machine's addresses, as ``is_this_machine`` reads them, are at most this old


def _usable(address: str) -> bool:
    try:
        ip = ipaddress.IPv4Address(address)
    except ValueError:
        return False
    return not (ip.is_loopback or ip.is_link_local or ip.is_multicast or ip.is_unspecified)


def _routed() -> list[str]:
    found = []
    for probe in _PROBES:
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            try:
                s.connect((probe, 9))
            except OSError:  # no route there (e.g. a laptop that is itself the hotspot, without a default route)
                continue
            found.append(s.getsockname()[0])
    return found


def candidate_addresses() -> list[str]:
    """Non-loopback IPv4 addresses of this machine, the routed one first, private ones before public ones."""
    seen: dict[str, None] = {}
    for address in _routed() + sorted(str(ip) for ip in own_addresses() if ip.version == 4):
        if _usable(address):
            seen.setdefault(address, None)
    return sorted(seen, key=lambda a: not ipaddress.IPv4Address(a).is_private)


def hall_address(override: str | None = None) -> str | None:
    """The address phones should use: ``override`` when given, else the first candidate (None: no network)."""
    if override:
        return parse_public_address(override)
    candidates = candidate_addresses()
    return candidates[0] if candidates else None


_LABEL = re.compile(r"[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?")


class AddressError(ValueError):
    def __init__(self, msg: Msg) -> None:
        super().__init__(msg.render("en"))
        self.msg = msg


def parse_public_address(text: str) -> str:
    """The host phones should use, from ``--public-address``: an IPv4 or IPv6 address or a host name, nothing more
    (the scheme and port are the server's own). Raises ``AddressError`` naming what is wrong."""
    value = text.strip()
    if "://" in value or value.lower().startswith(("http:", "https:")):
        raise AddressError(Msg(N_("--public-address {value}: give only the address (like 192.168.1.5), without http://"),
                               value=value))
    bare = value[1:-1] if value.startswith("[") and value.endswith("]") else value
    try:
        ip = ipaddress.ip_address(bare)
    except ValueError:
        ip = None
    if ip is not None:
        if ip.is_unspecified or ip.is_loopback or ip.is_multicast:
            raise AddressError(Msg(N_("--public-address {value}: phones cannot reach this address; give the laptop's "
                                      "address on the hall network (like 192.168.1.5)"), value=value))
        return str(ip)
    if re.fullmatch(r"[^:/]+:\d*", value) or re.fullmatch(r"\[[^\]]*\]:\d*", value):
        raise AddressError(Msg(N_("--public-address {value}: give the address without a port; the port is set with --port"),
                               value=value))
    labels = value.rstrip(".").split(".")
    if not value or len(value) > 253 or not all(_LABEL.fullmatch(label) for label in labels) or labels[-1].isdigit():
        raise AddressError(Msg(N_("--public-address {value} is not an IP address or a host name (like 192.168.1.5)"),
                               value=value[:80]))
    return value.rstrip(".")


def is_loopback(host: str) -> bool:
    """Whether a server listening on ``host`` is reachable only from this machine."""
    if host in ("localhost", ""):
        return host == "localhost"
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _ip(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        ip = ipaddress.ip_address(text.split("%", 1)[0])  # without an IPv6 zone (fe80::1%wlan0)
    except ValueError:
        return None
    return getattr(ip, "ipv4_mapped", None) or ip  # ::ffff:192.168.1.5, as a dual-stack socket names an IPv4 peer


def own_addresses(fresh_for: float = 0.0) -> frozenset[ipaddress.IPv4Address | ipaddress.IPv6Address]:
    """Every address of this machine's interfaces: read now, or within the last ``fresh_for`` seconds (reading them
    takes ~0.3 ms; the hotspot may come up while the server runs)."""
    global _own
    if fresh_for <= 0 or time.monotonic() - _own[0] > fresh_for:
        import psutil  # here: ``import pbtools`` stays light

        _own = (time.monotonic(), frozenset(ip for addrs in psutil.net_if_addrs().values() for a in addrs
                                            if a.family in (socket.AF_INET, socket.AF_INET6)
                                            and (ip := _ip(a.address)) is not None))
    return _own[1]


_own: tuple[float, frozenset] = (-1e9, frozenset())


def is_this_machine(peer: str) -> bool:
    """Whether a connection whose other end is ``peer`` comes from this machine: a loopback address, or one of this
    machine's own (the laptop's browser opening the server on its hall address connects from that address). No other
    device can connect from one: Linux drops a packet from outside that claims one of its addresses as the source,
    and the answer to a TCP handshake would go to this machine, not to the device."""
    ip = _ip(peer)
    return ip is not None and (ip.is_loopback or ip in own_addresses(fresh_for=OWN_FRESH_FOR))


def local_host(host: str) -> str:
    """The address this machine opens a server listening on ``host`` at: the host itself, or loopback when it listens
    on every address (``::`` listens on IPv6 only, as tornado binds it)."""
    return {"0.0.0.0": "127.0.0.1", "": "127.0.0.1", "::": "::1"}.get(host, host)


def base_url(host: str, port: int) -> str:
    return f"http://{host}:{port}" if ":" not in host else f"http://[{host}]:{port}"
