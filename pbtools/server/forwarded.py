"""The client's own address behind a proxy we trust (the central server's JupyterHub proxy), and only there.

Behind JupyterHub every request reaches a user's server from the proxy, so the limits per client address
(``limits``: connections, cool-downs; the logins' lockouts) would see one address for every phone. The proxy says
whom it forwards in ``X-Forwarded-For``, appending the address it was reached from to what the client sent. So:

- the header counts only when the connection itself comes from a trusted proxy (``PBTOOLS_TRUSTED_PROXIES``, the
  hub's own machine by default; none on a hall laptop, where phones connect directly and could write any header);
- of its addresses, the rightmost that is not itself a trusted proxy is the client: everything to its left is what
  the client wrote, and a client can write anything (tornado's ``xheaders`` takes the header, or ``X-Real-Ip``,
  from anyone, which is why it is not used).
"""

from __future__ import annotations

import ipaddress
from typing import Iterable

TRUSTED_ENV = "PBTOOLS_TRUSTED_PROXIES"
LOOPBACK = ("127.0.0.0/8", "::1/128")  # the hub's proxy on the same machine as the users' servers
MAX_HEADER_ADDRESSES = 32  # a forwarding chain is one or two proxies long; a longer header is a client's invention

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def trusted_networks(spec: Iterable[str]) -> tuple[Network, ...]:
    """Networks from addresses or CIDR blocks (``127.0.0.1``, ``10.0.0.0/8``, ``::1``); ValueError names a bad one."""
    found = []
    for item in spec:
        item = item.strip()
        if item:
            try:
                found.append(ipaddress.ip_network(item, strict=False))
            except ValueError:
                raise ValueError(f"{TRUSTED_ENV}: {item!r} is not an address or a network") from None
    return tuple(found)


def _address(text: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [::1]:port, as some proxies write it
        text = text[1:text.index("]")]
    elif text.count(":") == 1:  # 1.2.3.4:port
        text = text.split(":", 1)[0]
    try:
        address = ipaddress.ip_address(text)
    except ValueError:
        return None
    mapped = getattr(address, "ipv4_mapped", None)  # ::ffff:1.2.3.4, as node writes an IPv4 client on a dual socket
    return mapped or address


def is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    ip = _address(address) if trusted else None
    return ip is not None and any(ip.version == n.version and ip in n for n in trusted)


def client_address(peer: str, forwarded_for: str | None, trusted: tuple[Network, ...]) -> str:
    """The address to count a request against: ``peer`` (the connection's), unless ``peer`` is a trusted proxy and
    ``forwarded_for`` names whom it forwards; then the rightmost address there that is not a trusted proxy (the
    leftmost one when all are). An entry that is not an address ends the walk at the hop that reported it."""
    if not forwarded_for or not is_trusted(peer, trusted):
        return peer
    hops = [h for h in forwarded_for.split(",") if h.strip()][-MAX_HEADER_ADDRESSES:]
    client = peer
    for hop in reversed(hops):
        ip = _address(hop)
        if ip is None:
            return client
        client = str(ip)
        if not is_trusted(client, trusted):
            return client
    return client
