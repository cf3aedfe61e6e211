"""The Paper ballots tab: a clerk types each ballot and presses Enter; it is stored before the screen says so.

Double entry: two clerks type the same pile (entry 1 is counted, entry 2 only checks it); "Compare" lists every
ballot on which they differ.
"""

from __future__ import annotations

import html

import ipywidgets as w

from pbtools.hearings.model import MOTION, POINTS, RANKING
from pbtools.hearings.store import HearingError
from pbtools.i18n import N_
from widgets.base import set_options
from widgets.console.panel import Panel

HINTS = {
    MOTION: N_("Type y (yes), n (no) or a (abstain), then Enter."),
    POINTS: N_("Type option:points, e.g. 2:3 4:2, then Enter."),
    RANKING: N_("Type option numbers from first to last, e.g. 3 1 2, then Enter."),
}
DEFAULT_HINT = N_("Type the option numbers marked on the ballot, e.g. 1 3 5, then Enter.")


class PaperPanel(Panel):
    title = N_("Paper ballots")

    def build(self) -> None:
        self.question = w.Dropdown(layout=w.Layout(width="34rem"))
        self.double = w.Checkbox(value=False)
        self.pile = w.Text(value="1", layout=w.Layout(width="12rem"))
        self.entry = w.ToggleButtons(options=[("1", 1), ("2", 2)], value=1)
        self.hint = w.HTML()
        # continuous_update=False: the value arrives when the clerk presses Enter
        self.typed = w.Text(continuous_update=False, layout=w.Layout(width="34rem"))
        self.typed.add_class("pb-ballot-entry")
        self.count = w.HTML()
        self.undo = w.Button()
        self.undo.on_click(lambda _: self.undo_last())
        self.compare = w.Button()
        self.compare.on_click(lambda _: self.show_differences())
        self.differences = w.HTML()
        self.typed.observe(self._on_typed, "value")
        self.question.observe(lambda _: self.render(), "value")
        self.double.observe(lambda _: self.render(), "value")
        self.box.children = [self.question, w.HBox([self.double, self.pile, self.entry]), self.hint, self.typed,
                             self.message, self.count, w.HBox([self.undo, self.compare]), self.differences]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.question.description = _("Question")
        self.double.description = _("Double entry")
        self.pile.description = _("Pile")
        self.undo.description = _("Undo last")
        self.compare.description = _("Compare the two entries")
        for widget in (self.pile, self.entry, self.compare):
            widget.layout.display = None if self.double.value else "none"
        st = self.state
        if st is None:
            self.question.options, self.count.value = [], ""
            return
        set_options(self.question, [(q.title(lang), q.id) for q in st.questions.values()])
        q = st.questions.get(self.question.value)
        if q is None:
            self.hint.value, self.count.value = "", ""
            return
        self.hint.value = f"<p>{html.escape(_(HINTS.get(q.kind, DEFAULT_HINT)))}</p>"
        if self.double.value:
            n = len(st.pile(self.pile.value.strip(), self.entry.value))
            text = _("Pile {pile}, entry {entry}: {n} ballots typed", pile=self.pile.value.strip(), entry=self.entry.value, n=n)
        else:
            text = _("Ballots counted: {n}", n=len(st.ballots_for(q.id)))
        self.count.value = f'<div class="pb-figure" id="pb-ballot-count">{html.escape(text)}</div>'

    def _kw(self) -> dict:
        return {"pile": self.pile.value.strip(), "entry": self.entry.value} if self.double.value else {}

    def _on_typed(self, change) -> None:
        text = change["new"].strip()
        if text:
            self.enter(text)

    def enter(self, text: str) -> bool:
        """Store one typed ballot. On success the box is cleared for the next one; on error it keeps the text."""
        if self.store is None or self.question.value is None:
            return False
        try:
            receipt = self.store.cast_typed(self.question.value, text, actor=self.app.actor, **self._kw())
        except HearingError as e:
            self.fail(e)
            return False
        self.ok(self._("Ballot {n} stored ({text}).", n=receipt.number, text=text))
        self.typed.value = ""
        self.app.changed()
        return True

    def undo_last(self) -> None:
        if self.store is None or self.question.value is None:
            return
        try:
            seq = self.store.undo_last(self.question.value, actor=self.app.actor, reason="undo last", **self._kw())
        except HearingError as e:
            self.fail(e)
            return
        self.ok(self._("Record {seq} voided.", seq=seq))
        self.app.changed()

    def show_differences(self) -> None:
        if self.store is None:
            return
        pile = self.pile.value.strip()
        found = self.store.differences(pile)
        if not found:
            agree = self._("The two entries of pile {pile} agree.", pile=pile)
            self.differences.value = f'<p class="pb-ok">{html.escape(agree)}</p>'
            return
        lines = [self._("Ballot {position}", position=d.position) for d in found]
        items = "".join(f"<li>{html.escape(line)}</li>" for line in lines)
        title = self._("The two entries of pile {pile} differ on {n} ballots:", pile=pile, n=len(found))
        self.differences.value = f'<div class="pb-error" id="pb-differences">{html.escape(title)}<ul>{items}</ul></div>'
