"""The Phone voting tab: how citizens vote from their phones (with codes, open, or off), and the address and QR code
to put on the projector. This tab never shows a voting code: the projector is seen by the whole hall."""

from __future__ import annotations

from collections import Counter

import ipywidgets as w

from pbtools.i18n import N_, gettext
from pbtools.phones.mode import LABELS, MODES, OPEN, mode_read, set_phone_mode
from pbtools_widgets.base import block, hearing_action
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.phone_address import PhoneAddress, phone_urls, served_at
from pbtools_widgets.status_line import Told


def hall_vote_url(app) -> str:
    """The voting address of the app's hearing, as the phone tab shows it (under what the facilitator typed there,
    else what the server found); "" without a hall network or a hearing."""
    if app.store is None:
        return ""
    urls = phone_urls(app.panels["phones"].address.value)
    return app.vote_urls(urls).vote(app.store.id) if urls else ""


class PhonesPanel(Panel):
    title = N_("Phone voting")

    def build(self) -> None:
        self.mode = w.RadioButtons(layout=w.Layout(width="auto"))
        self.apply = w.Button(button_style="primary")
        self.apply.on_click(lambda _: self.apply_mode())
        self.address = w.Text(layout=w.Layout(width="30rem"))
        self.address.observe(lambda _: self._address_changed(), "value")
        self.projector = PhoneAddress()
        self.counts = w.HTML()
        self.seen: tuple[str, tuple[int, str]] | None = None  # the hearing and point of the mode the radios show
        self.cards = w.HTML()
        self.box.children = [self.mode, self.apply, self.message, self.address, self.projector, self.counts, self.cards]

    def _address_changed(self) -> None:
        self.render()
        self.app.mark_stale("registration")  # its code cards carry this address (and warn when no phone can open it)

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.apply.description = _("Apply")
        self.address.description = _("Address")
        base = served_at()[0]
        if not self.address.value and base:
            self.address.value = base  # renders again through the observer
            return
        st = self.state
        if st is None:
            self.mode.options, self.projector.value, self.counts.value, self.cards.value = [], "", "", ""
            return
        current, point = mode_read(self.app.ws, st.id)
        self.seen = (st.id, point)  # a change from this tab is decided on what it shows
        self.mode.options = [(gettext(lang, LABELS[m]), m) for m in MODES]
        self.mode.value = current
        url = hall_vote_url(self.app)
        notes = [_("Open mode: anyone in reach of the network can vote once per phone. Use it for informal polls only.")] \
            if current == OPEN else []
        self.projector.show(_, url, can_type=True, notes=notes)
        if not url:
            self.counts.value = self.cards.value = ""
            return
        per_question = Counter(b.question for b in st.ballots.values() if b.channel == "phone")
        self.counts.value = block(bold=_("Ballots from phones"), list_id="pb-phone-counts", items=[
            f"{q.title(lang)} — {per_question.get(q.id, 0)}" for q in st.questions.values()])  # a title's "?" then no ":"
        # a facilitator prints cards from the Registration tab (the command line, `pbtools hearing codes`, is in the README)
        self.cards.value = block(_("Code cards printed in the Registration tab carry this address in their QR code."), tag="p")

    @hearing_action(after=lambda self: self.render())  # refused: the tab shows the way on record now
    def apply_mode(self) -> None:
        if self.mode.value is None or self.seen is None or self.seen[0] != self.store.id:
            return self.render()  # the radios showed no mode of this hearing: shown now, nothing chosen on it yet
        written = set_phone_mode(self.app.ws, self.store.id, self.mode.value, actor=self.app.actor, based_on=self.seen[1])
        mode = LABELS[self.mode.value]
        said = N_("Saved: {mode}") if written else N_("Already on record (set in another window): {mode}")
        self.ok(Told(said, mode=lambda lang: gettext(lang, mode)))
        self.render()
