"""The Decisions tab: the secretary records proposals from the floor (who, what, estimated cost, accepted /
rejected / deferred) and the decisions and recommendations to the local council; the protocol prints them.

Each one is a ledger record, stored before the screen says so; a mistake is struck (a void record), never deleted.
"""

from __future__ import annotations


import ipywidgets as w

from pbtools.fmt import money
from pbtools.hearings.decisions import DECISION_KINDS, LABELS, OUTCOMES
from pbtools.html import render as html_from
from pbtools.i18n import N_
from pbtools_widgets.base import block, hearing_action, set_options
from pbtools_widgets.console.panel import Panel
from pbtools_widgets.status_line import Told


class DecisionsPanel(Panel):
    title = N_("Decisions")

    def build(self) -> None:
        wide = w.Layout(width="40rem")
        self.who = w.Text(layout=wide)
        self.text = w.Textarea(layout=w.Layout(width="40rem", height="5rem"))
        self.cost = w.Text(layout=w.Layout(width="20rem"))
        self.outcome = w.ToggleButtons(style={"button_width": "9rem"})
        self.add_proposal = w.Button(button_style="primary", layout=w.Layout(width="20rem"))
        self.add_proposal.add_class("pb-add-proposal")
        self.decision = w.Textarea(layout=w.Layout(width="40rem", height="5rem"))
        self.kind = w.ToggleButtons(style={"button_width": "12rem"})
        self.add_decision = w.Button(button_style="primary", layout=w.Layout(width="20rem"))
        self.add_decision.add_class("pb-add-decision")
        self.strike_seq = w.IntText(layout=w.Layout(width="14rem"))
        self.strike_reason = w.Text(layout=w.Layout(width="26rem"))
        self.strike = w.Button(layout=w.Layout(width="14rem"))
        self.listing = w.HTML()
        self.listing.add_class("pb-minutes")
        self.closed_note = w.HTML()  # why nothing can be recorded (the buttons greyed out said nothing)
        self.headings = [w.HTML() for _ in range(3)]
        self.add_proposal.on_click(lambda _: self.store_proposal())
        self.add_decision.on_click(lambda _: self.store_decision())
        self.strike.on_click(lambda _: self.store_strike())
        self.box.children = [
            self.closed_note, self.headings[0], self.who, self.text, self.cost, self.outcome, self.add_proposal,
            self.headings[1], self.decision, self.kind, self.add_decision,
            self.message, self.listing,
            self.headings[2], w.HBox([self.strike_seq, self.strike_reason, self.strike]),
        ]

    def render(self) -> None:
        _ = self._
        for heading, text in zip(self.headings, (_("Proposals from the floor"), _("Decisions and recommendations to the local council"),
                                                 _("Strike a record made by mistake"))):
            heading.value = block(text, tag="h3")
        self.who.description, self.text.description = _("Proposed by"), _("Proposal")
        self.cost.description = _("Estimated cost")
        self.cost.placeholder = _("in som; empty if not known")
        set_options(self.outcome, [(_(LABELS[o]), o) for o in OUTCOMES])  # keeps the choice when ballots arrive
        self.add_proposal.description = _("Record the proposal")
        self.decision.description = _("Text")
        set_options(self.kind, [(_(LABELS[k]), k) for k in DECISION_KINDS])
        self.add_decision.description = _("Record the decision")
        self.strike_seq.description, self.strike_reason.description = _("Record"), _("Why")
        self.strike.description = _("Strike")
        closed = self.state is None or self.state.status == "closed"
        for widget in (self.add_proposal, self.add_decision, self.strike):
            widget.disabled = closed
        note = _("The hearing is closed: proposals and decisions can no longer be recorded. Record them before closing.")
        self.closed_note.value = block(note, cls="pb-warning", id="pb-decisions-closed") if closed and self.state is not None else ""
        self.listing.value = self.listing_html()

    def listing_html(self) -> str:
        if self.store is None:
            return ""
        _, lang = self._, self.app.lang
        m = self.app.service.minutes()
        proposals = [{"seq": p.seq, "who": p.who, "text": p.text, "outcome": _(LABELS[p.outcome]),
                      "cost": money(p.cost, lang) if p.cost is not None else "—"} for p in m.proposals]
        decisions = [{"seq": d.seq, "kind": _(LABELS[d.kind]), "text": d.text} for d in m.decisions]
        return html_from("console/minutes.html", proposals=proposals, decisions=decisions)

    def _done(self, done: Told) -> None:
        self.app.changed()  # fold the new record; the panels show it
        self.ok(done)

    @hearing_action()
    def store_proposal(self) -> int | None:
        seq = self.app.service.add_proposal(self.who.value, self.text.value, self.cost.value, self.outcome.value, self.app.actor)
        self.who.value = self.text.value = self.cost.value = ""
        self._done(Told(N_("Proposal recorded (record {seq})"), seq=seq))
        return seq

    @hearing_action()
    def store_decision(self) -> int | None:
        seq = self.app.service.add_decision(self.decision.value, self.kind.value, self.app.actor)
        self.decision.value = ""
        self._done(Told(N_("Decision recorded (record {seq})"), seq=seq))
        return seq

    @hearing_action()
    def store_strike(self) -> int | None:
        seq = self.app.service.strike(self.strike_seq.value, self.strike_reason.value, self.app.actor)
        self.strike_reason.value = ""
        self._done(Told(N_("Record {seq} struck"), seq=self.strike_seq.value))
        return seq
