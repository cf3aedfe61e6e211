"""Where phones open this server's pages, and what stops them: one reading for every screen that shows phones an
address (the console's Phone voting tab and its code cards, a workshop's mock hearing, the survey board). Each
address is built by ``pbtools.phones.urls.Urls`` from the server's public base URL, so it is the one the server
answers at: behind a prefix, and behind the hub at the hub's public URL (``pbtools hub init --public-url``), never the
internal address only the hub's proxy reaches. The server tells its kernels where it listens through the environment
(``server.app.make_app``); ``hub``: whether the central server's hub started this server (``central.hub.hub_actor``,
asked by the caller). The widgets (``pbtools_widgets.phone_address``) only draw what this says."""

from __future__ import annotations

import os
from urllib.parse import urlsplit

from pbtools.i18n import N_
from pbtools.phones.address import DEFAULT_PORT, base_url, hall_address, is_loopback
from pbtools.phones.urls import Urls

# behind the central server's hub: the address phones get is the hub's public one, which its operator sets
HUB_NO_ADDRESS = N_("The central server has no public address set, so phones cannot be told where to vote: ask its "
                    "operator to set one (pbtools hub init --public-url), or type here the address phones open.")
HUB_OWN_ADDRESS = N_("Phones cannot open this address: it is this server's own. The central server's operator sets "
                     "the address phones use (pbtools hub init --public-url).")
NO_ADDRESS_TYPE = N_("No address on a hall network was found: join the hall's Wi-Fi or start the hotspot, or type "
                     "the laptop's address here.")
NO_ADDRESS_RELOAD = N_("No address on a hall network was found: join the hall's Wi-Fi or start the hotspot, then "
                       "reload this page.")
LAPTOP_OWN_ADDRESS = N_("Phones cannot open this address: it is this laptop's own. Type the laptop's address on the "
                        "hall network (like 192.168.1.5) in the Phone voting tab.")
HERE_ONLY = N_("The server listens on this laptop only; phones cannot reach it. Restart it with: make run HOST=0.0.0.0 "
               "(or pbtools serve --host 0.0.0.0)")


def served_at(hub: bool) -> tuple[str, bool]:
    """The base URL phones use, its prefix in it (from ``pbtools serve``, else detected now: the hotspot may have
    come up since the server started; "" when there is no hall network), and whether the server can be reached from
    the hall. Behind the hub: the hub's public URL of this server (``ServeSettings.public_url``), never a hall
    address found here (this server listens on an internal address only the hub's proxy reaches), "" when the hub
    has none. The server tells its kernels through the environment (``server.app.make_app``)."""
    url = os.environ.get("PBTOOLS_PUBLIC_URL")
    if hub:
        return url or "", bool(url) and not is_loopback(urlsplit(url).hostname or "")
    host = os.environ.get("PBTOOLS_SERVE_HOST", "0.0.0.0")
    if not url:
        address = hall_address()
        prefix = Urls(os.environ.get("PBTOOLS_BASE_URL", "/")).base.rstrip("/")
        url = base_url(address, int(os.environ.get("PBTOOLS_SERVE_PORT") or DEFAULT_PORT)) + prefix if address else ""
    return url, not is_loopback(host)


def phone_urls(hub: bool, typed: str = "") -> Urls | None:
    """The addresses phones open: under ``typed`` (the server's address as the facilitator typed it on the screen),
    else under the one the server was found at; None without any."""
    base = typed.strip() or served_at(hub)[0]
    return Urls.public(base) if base else None


def unreachable(url: str, hub: bool) -> list[str]:
    """What stops phones opening ``url`` (message ids, to be said in the screen's language; none when they can): the
    one rule for the projector and the code cards. An address of this machine's own (127.0.0.1, localhost) no phone
    opens, whether it is projected or printed; a projected one is only quicker to correct, so both are told."""
    own = is_loopback(urlsplit(url).hostname or "")
    if hub:  # the hub's proxy listens for this server: only the address itself can be wrong
        return [HUB_OWN_ADDRESS] if own else []
    if not served_at(hub)[1]:  # restarted on the hall network, the server finds the hall's address itself
        return [HERE_ONLY]
    return [LAPTOP_OWN_ADDRESS] if own else []


def no_address(can_type: bool, hub: bool) -> str:
    """Why no address is shown (a message id): behind the hub its operator sets it; on a laptop there is no hall
    network (yet)."""
    return HUB_NO_ADDRESS if hub else NO_ADDRESS_TYPE if can_type else NO_ADDRESS_RELOAD
