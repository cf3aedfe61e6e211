"""The Phone voting tab: how citizens vote from their phones (with codes, open, or off), and the address and QR code
to put on the projector. This tab never shows a voting code: the projector is seen by the whole hall."""

from __future__ import annotations

import os
from collections import Counter
from functools import lru_cache
from urllib.parse import urlsplit

import ipywidgets as w
import segno

from pbtools.central.hub import hub_actor
from pbtools.html import render as html_from
from pbtools.i18n import N_, gettext
from pbtools.phones.address import base_url, hall_address, is_loopback
from pbtools.phones.mode import LABELS, MODES, OPEN, phone_mode, set_phone_mode
from pbtools_widgets.base import block, hearing_action
from pbtools_widgets.console.panel import Panel

DEFAULT_PORT = 8866
# behind the central server's hub: the address phones get is the hub's public one, which its operator sets
HUB_NO_ADDRESS = N_("The central server has no public address set, so phones cannot be told where to vote: ask its "
                    "operator to set one (pbtools hub init --public-url), or type here the address phones open.")
HUB_OWN_ADDRESS = N_("Phones cannot open this address: it is this server's own. The central server's operator sets "
                     "the address phones use (pbtools hub init --public-url).")


def served_at() -> tuple[str, bool]:
    """The base URL phones use (from ``pbtools serve``, else detected now: the hotspot may have come up since the
    server started; "" when there is no hall network), and whether the server can be reached from the hall.
    Behind the hub: the hub's public URL of this server (``ServeSettings.public_url``), never a hall address found
    here (this server listens on an internal address only the hub's proxy reaches), "" when the hub has none."""
    url = os.environ.get("PBTOOLS_PUBLIC_URL")
    if on_hub():
        return url or "", bool(url) and not is_loopback(urlsplit(url).hostname or "")
    host = os.environ.get("PBTOOLS_SERVE_HOST", "0.0.0.0")
    if not url:
        address = hall_address()
        url = base_url(address, int(os.environ.get("PBTOOLS_SERVE_PORT") or DEFAULT_PORT)) if address else ""
    return url, not is_loopback(host)


def on_hub() -> bool:
    return hub_actor() is not None  # the hub gave this server its user and role


def vote_url(base: str, hearing_id: str) -> str:
    return f"{base.rstrip('/')}/vote/{hearing_id}"


def hall_vote_url(app) -> str:
    """The voting address of the app's hearing, as the phone tab shows it (what the facilitator typed there, else
    what the server found); "" without a hall network or a hearing."""
    if app.store is None:
        return ""
    base = app.panels["phones"].address.value.strip() or served_at()[0]
    return vote_url(base, app.store.id) if base else ""


@lru_cache(maxsize=8)
def qr_data(url: str) -> str:
    """The QR code as an inline SVG image's data: no file, no internet. Cached: the tab redraws on every new ballot."""
    return segno.make_qr(url, error="m").svg_data_uri(scale=10, border=2)


class PhonesPanel(Panel):
    title = N_("Phone voting")

    def build(self) -> None:
        self.mode = w.RadioButtons(layout=w.Layout(width="auto"))
        self.apply = w.Button(button_style="primary")
        self.apply.on_click(lambda _: self.apply_mode())
        self.address = w.Text(layout=w.Layout(width="30rem"))
        self.address.observe(lambda _: self._address_changed(), "value")
        self.projector = w.HTML()
        self.counts = w.HTML()
        self.cards = w.HTML()
        self.box.children = [self.mode, self.apply, self.message, self.address, self.projector, self.counts, self.cards]

    def _address_changed(self) -> None:
        self.render()
        self.app.mark_stale("registration")  # its code cards carry this address (and warn when no phone can open it)

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.apply.description = _("Apply")
        self.address.description = _("Address")
        base, reachable = served_at()
        if not self.address.value and base:
            self.address.value = base  # renders again through the observer
            return
        st = self.state
        if st is None:
            self.mode.options, self.projector.value, self.counts.value, self.cards.value = [], "", "", ""
            return
        current = phone_mode(self.app.ws, st.id)
        self.mode.options = [(gettext(lang, LABELS[m]), m) for m in MODES]
        self.mode.value = current
        if not self.address.value:
            note = _(HUB_NO_ADDRESS) if on_hub() else \
                _("No address on a hall network was found: join the hall's Wi-Fi or start the hotspot, or type "
                  "the laptop's address here.")
            self.projector.value = block(note, tag="p", cls="pb-error", id="pb-phone-no-address")
            self.counts.value = self.cards.value = ""
            return
        url = vote_url(self.address.value, st.id)
        notes = []
        if on_hub():  # the hub's proxy listens for this server: only the address itself can be wrong
            if is_loopback(urlsplit(url).hostname or ""):
                notes.append(_(HUB_OWN_ADDRESS))
        elif not reachable:
            notes.append(_("The server listens on this laptop only; phones cannot reach it. Restart it with: make run HOST=0.0.0.0 (or pbtools serve --host 0.0.0.0)"))
        if current == OPEN:
            notes.append(_("Open mode: anyone in reach of the network can vote once per phone. Use it for informal polls only."))
        self.projector.value = html_from("console/phone_address.html", warnings=notes, url=url, qr=qr_data(url))
        per_question = Counter(b.question for b in st.ballots.values() if b.channel == "phone")
        self.counts.value = block(bold=_("Ballots from phones"), list_id="pb-phone-counts", items=[
            f"{q.title(lang)} — {per_question.get(q.id, 0)}" for q in st.questions.values()])  # a title's "?" then no ":"
        # a facilitator prints cards from the Registration tab (the command line, `pbtools hearing codes`, is in the README)
        self.cards.value = block(_("Code cards printed in the Registration tab carry this address in their QR code."), tag="p")

    @hearing_action()
    def apply_mode(self) -> None:
        if self.mode.value is None:
            return
        set_phone_mode(self.app.ws, self.store.id, self.mode.value, actor=self.app.actor)
        self.ok(self._("Saved: {mode}", mode=gettext(self.app.lang, LABELS[self.mode.value])))
        self.render()
