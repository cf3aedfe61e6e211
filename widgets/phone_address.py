"""Where phones open this server's pages, and the address with its QR code on the projector: one reading for every
screen that shows phones an address (the console's Phone voting tab and its code cards, a workshop's mock hearing,
the survey board). Each address is built by ``pbtools.phones.urls.Urls`` from the server's public base URL, so it is
the one the server answers at: behind a prefix, and behind the hub at the hub's public URL
(``pbtools hub init --public-url``), never the internal address only the hub's proxy reaches."""

from __future__ import annotations

import os
from functools import lru_cache
from urllib.parse import unquote, urlsplit

import ipywidgets as w
import segno

from pbtools.central.hub import hub_actor
from pbtools.html import render as html_from
from pbtools.i18n import N_
from pbtools.phones.address import base_url, hall_address, is_loopback
from pbtools.phones.urls import Urls
from pbtools_widgets.base import block

DEFAULT_PORT = 8866
# behind the central server's hub: the address phones get is the hub's public one, which its operator sets
HUB_NO_ADDRESS = N_("The central server has no public address set, so phones cannot be told where to vote: ask its "
                    "operator to set one (pbtools hub init --public-url), or type here the address phones open.")
HUB_OWN_ADDRESS = N_("Phones cannot open this address: it is this server's own. The central server's operator sets "
                     "the address phones use (pbtools hub init --public-url).")
NO_ADDRESS_TYPE = N_("No address on a hall network was found: join the hall's Wi-Fi or start the hotspot, or type "
                     "the laptop's address here.")
NO_ADDRESS_RELOAD = N_("No address on a hall network was found: join the hall's Wi-Fi or start the hotspot, then "
                       "reload this page.")
HERE_ONLY = N_("The server listens on this laptop only; phones cannot reach it. Restart it with: make run HOST=0.0.0.0 "
               "(or pbtools serve --host 0.0.0.0)")


def on_hub() -> bool:
    return hub_actor() is not None  # the hub gave this server its user and role


def served_at() -> tuple[str, bool]:
    """The base URL phones use, its prefix in it (from ``pbtools serve``, else detected now: the hotspot may have
    come up since the server started; "" when there is no hall network), and whether the server can be reached from
    the hall. Behind the hub: the hub's public URL of this server (``ServeSettings.public_url``), never a hall
    address found here (this server listens on an internal address only the hub's proxy reaches), "" when the hub
    has none. The server tells its kernels through the environment (``server.app.make_app``)."""
    url = os.environ.get("PBTOOLS_PUBLIC_URL")
    if on_hub():
        return url or "", bool(url) and not is_loopback(urlsplit(url).hostname or "")
    host = os.environ.get("PBTOOLS_SERVE_HOST", "0.0.0.0")
    if not url:
        address = hall_address()
        prefix = Urls(os.environ.get("PBTOOLS_BASE_URL", "/")).base.rstrip("/")
        url = base_url(address, int(os.environ.get("PBTOOLS_SERVE_PORT") or DEFAULT_PORT)) + prefix if address else ""
    return url, not is_loopback(host)


def phone_urls(typed: str = "") -> Urls | None:
    """The addresses phones open: under ``typed`` (the server's address as the facilitator typed it on the screen),
    else under the one the server was found at; None without any."""
    base = typed.strip() or served_at()[0]
    return Urls.public(base) if base else None


def unreachable(_, url: str) -> list[str]:
    """What stops phones opening ``url``, said for the projector (nothing when they can)."""
    if on_hub():  # the hub's proxy listens for this server: only the address itself can be wrong
        return [_(HUB_OWN_ADDRESS)] if is_loopback(urlsplit(url).hostname or "") else []
    return [] if served_at()[1] else [_(HERE_ONLY)]


def no_address(_, can_type: bool) -> str:
    """Why no address is shown: behind the hub its operator sets it; on a laptop there is no hall network (yet)."""
    return _(HUB_NO_ADDRESS) if on_hub() else _(NO_ADDRESS_TYPE if can_type else NO_ADDRESS_RELOAD)


@lru_cache(maxsize=8)
def qr_data(url: str) -> str:
    """The QR code as an inline SVG image's data: no file, no internet. Cached: the tab redraws on every new ballot."""
    return segno.make_qr(url, error="m").svg_data_uri(scale=10, border=2)


class PhoneAddress(w.HTML):
    """The projector's address and QR code for phones (the console's Phone voting tab, a workshop's mock hearing),
    with what stops phones opening it; without an address, why there is none."""

    def show(self, _, url: str, *, can_type: bool, notes=(), before: str = "") -> None:
        """Show ``url`` (built by ``Urls``; "" when there is none) after the HTML ``before``; ``notes``: more to say
        above it; ``can_type``: the screen has a box to type the address in (the message without one says so)."""
        if not url:
            self.value = before + block(no_address(_, can_type), tag="p", cls="pb-error", id="pb-phone-no-address")
            return
        # shown as typed (a sandbox named in Cyrillic reads as itself; a phone's browser encodes it), the QR code
        # carries the encoded address
        self.value = before + html_from("console/phone_address.html", warnings=[*unreachable(_, url), *notes],
                                        url=unquote(url), qr=qr_data(url))
