"""The projector's address for phones with its QR code, drawn from ``pbtools.phones.reach`` (where phones open this
server's pages, and what stops them)."""

from __future__ import annotations

from functools import lru_cache
from urllib.parse import unquote

import ipywidgets as w
import segno

from pbtools.central.hub import hub_actor
from pbtools.html import render as html_from
from pbtools.phones import reach
from pbtools.phones.urls import Urls
from pbtools_widgets.base import block


def on_hub() -> bool:
    return hub_actor() is not None  # the hub gave this server its user and role


def served_at() -> tuple[str, bool]:
    """``reach.served_at`` here: behind the hub when it started this server."""
    return reach.served_at(on_hub())


def phone_urls(typed: str = "") -> Urls | None:
    return reach.phone_urls(on_hub(), typed)


def unreachable(url: str) -> list[str]:
    """``reach.unreachable`` here: what stops phones opening ``url``, for the projector and the code cards alike."""
    return reach.unreachable(url, on_hub())


def no_address(can_type: bool) -> str:
    return reach.no_address(can_type, on_hub())


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
            self.value = before + block(_(no_address(can_type)), tag="p", cls="pb-error", id="pb-phone-no-address")
            return
        # shown as typed (a sandbox named in Cyrillic reads as itself; a phone's browser encodes it), the QR code
        # carries the encoded address
        self.value = before + html_from("console/phone_address.html", warnings=[*(_(m) for m in unreachable(url)), *notes],
                                        url=unquote(url), qr=qr_data(url))
