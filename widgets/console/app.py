"""ConsoleApp: choose a hearing, then run it from the tabs (hearing, agenda, registration, paper ballots, counts).

Ballots may also arrive from another process (phones): a hidden timer in the page asks the kernel once a second to
fold any new records, so counters stay current without reloading.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from pbtools.central.hub import hub_actor
from pbtools.hearings.console_service import ConsoleService
from pbtools.hearings.errors import HearingGone
from pbtools.hearings.model import label
from pbtools.i18n import N_
from pbtools.paths import reports_folder
from pbtools.roles import HALL_ACTOR, Actor, actor_shown
from pbtools_widgets.base import AppView, block, poll_timer, set_options
from pbtools_widgets.console.agenda import AgendaPanel
from pbtools_widgets.console.counts import CountsPanel
from pbtools_widgets.console.decisions import DecisionsPanel
from pbtools_widgets.console.hearing import HearingPanel
from pbtools_widgets.console.paper import PaperPanel
from pbtools_widgets.console.phones import PhonesPanel
from pbtools_widgets.console.registration import RegistrationPanel
from pbtools_widgets.console.reports import ReportsPanel
from pbtools_widgets.remembered import remember_text
from pbtools_widgets.status_line import StatusLine

POLL_MS = 1000
DEFAULT_ACTOR = HALL_ACTOR  # the ledger's writer while nobody typed a name
class ConsoleApp(AppView):
    title = N_("Hearing console")

    def build(self) -> None:
        self.service = ConsoleService(self.ws)  # the rules; this class wires the screen to it
        self.choice = w.Dropdown(layout=w.Layout(width="34rem"))
        self._chosen: str | None = None  # the hearing the facilitator chose in this console
        self._filling = False
        self.operator = w.Text(layout=w.Layout(width="18rem"))  # who is at this laptop: recorded with every entry
        self.operator_kept = remember_text(self.operator, "operator")  # this browser keeps it for the next visit
        self.operator_note = w.HTML()  # under which name actions are recorded (a warning while there is none)
        self.operator.observe(lambda _: self.show_operator(), "value")
        self.summary = w.HTML()
        self.notice = StatusLine(self)  # the console's own word: the hearing shown gone from the database on disk
        self.panels = {
            "hearing": HearingPanel(self),
            "agenda": AgendaPanel(self),
            "registration": RegistrationPanel(self),
            "paper": PaperPanel(self),
            "counts": CountsPanel(self),
            "decisions": DecisionsPanel(self),
            "reports": ReportsPanel(self),
            "phones": PhonesPanel(self),
        }
        self.tabs = w.Tab(children=[p.box for p in self.panels.values()])
        self._stale: set[str] = set()  # panels whose screen is behind the state
        self.tabs.observe(lambda _: self.moved_on(), "selected_index")
        self.timer = poll_timer(POLL_MS, self.poll)  # each tick asks the kernel to look for new records
        self.body = w.VBox([w.HBox([self.choice, self.operator, self.operator_kept]), self.operator_note, self.summary, self.notice, self.tabs,
                            self.timer])
        self.choice.observe(self._on_choice, "value")

    def render(self) -> None:
        super().render()
        _ = self._
        self.choice.description = _("Hearing")
        self.operator.description = _("Your name")
        self.operator.placeholder = _("Type your name")
        self.show_operator()
        for i, panel in enumerate(self.panels.values()):
            self.tabs.set_title(i, _(panel.title))
        self.reload_choices(redraw=False)
        self.refresh_panels()

    @property
    def store(self):
        """The chosen hearing's store (None: no hearing yet)."""
        return self.service.store

    @property
    def state(self):
        """The chosen hearing as last folded."""
        return self.service.state

    @property
    def actor(self) -> Actor | str:
        """Who writes: the name typed here; behind the central server's hub, with the role the hub gave (the core
        refuses what the role may not write), on a hall laptop the facilitator."""
        name = self.operator.value.strip() or DEFAULT_ACTOR
        on_hub = hub_actor()
        return Actor(name, on_hub.role) if on_hub is not None else name

    def show_operator(self) -> None:
        """Say under which name this laptop's actions go into the ledger; without a name, ask for one."""
        _ = self._
        name = self.operator.value.strip()
        if name:
            said = _("Actions are recorded under the name {name}.", name=name)
            said = said[:-1] if said.endswith("..") else said  # «Айгуль Т.» ends the sentence with its own period
            self.operator_note.value = block(said, tag="p", cls="pb-note", id="pb-operator-note")
        else:
            text = _("No name typed: every action is recorded as \"{name}\". Type your name in \"Your name\".",
                     name=actor_shown(DEFAULT_ACTOR, self.lang))
            self.operator_note.value = block(text, tag="p", cls="pb-warning", id="pb-operator-note")

    def vote_urls(self, urls):
        """Where phones vote in this console's hearings, under the server's ``urls`` (a sandbox's are elsewhere)."""
        return urls

    def files_folder(self) -> Path:
        """Where the console writes the files it offers for download (reports, agendas, code cards)."""
        return reports_folder(self.ws.path)

    def reload_choices(self, select: str | None = None, redraw: bool = True) -> None:
        """Fill the hearing chooser: on ``select`` if given, else on the hearing the facilitator chose, else on the
        hearing under way (``hearing_under_way``; a preheated kernel filled it before anyone chose, so that is redone).
        The panels are drawn again when it is another hearing now, unless the caller draws them (``redraw``)."""
        listed = self.service.hearings(self.lang)
        options = [(h.label, h.id) for h in listed.items]
        if select:
            self._chosen = select
        prefer = self._chosen if self._chosen in listed.ids else listed.under_way
        shown = self.service.store.id if self.service.store is not None else None
        # a value set here is not the facilitator's choice, nor one the chooser passes by: replacing the options
        # (their labels change with the language) moves the value off the hearing and back
        self._filling = True
        try:
            set_options(self.choice, options, prefer=prefer, last=True)
        finally:
            self._filling = False
        self.select(self.choice.value)
        if redraw and self.choice.value != shown:  # another hearing now (the one shown is gone, or the first came)
            self.refresh_panels()

    def _on_choice(self, change) -> None:
        if self._filling:
            return  # ``reload_choices`` chooses once it is filled
        self._chosen = change["new"]
        self.select(change["new"])
        self.clear_messages()  # what was said belongs to the hearing left
        self.refresh_panels()

    def clear_messages(self) -> None:
        """A confirmation belongs to the action just done: gone once the facilitator moves to another tab or hearing."""
        self.notice.clear()
        for panel in self.panels.values():
            panel.message.clear()

    def moved_on(self) -> None:
        self.clear_messages()
        self.render_open_tab()
        if list(self.panels)[self.tabs.selected_index or 0] == "paper":
            self.panels["paper"].typed.focus()  # the clerk opened the tab to type: the cursor waits in the box

    def select(self, hearing_id: str | None) -> None:
        self.service.choose(hearing_id)

    def changed(self) -> None:
        """Called by a panel after it stored something, and by the timer when records came: fold the new records
        and redraw. A hearing gone from the database on disk (a copy without it put back) is said, and the chooser
        lists the hearings there again."""
        try:
            self.service.refresh()
        except HearingGone as gone:
            self._chosen = None
            self.reload_choices(redraw=False)
            self.clear_messages()
            self.notice.fail(gone)
        self.refresh_panels()

    def poll(self) -> None:
        if self.service.has_news():
            self.changed()

    def refresh_panels(self) -> None:
        _ = self._
        if self.state is None:
            empty = _("No hearing yet: create one in the Hearing tab.")
            self.summary.value = block(empty, tag="p")
        else:
            c = self.state.counters
            figures = " · ".join((label(self.state.status, self.lang), _("participants: {n}, women: {women}", n=c.total, women=c.women)))
            self.summary.value = block(figures, cls="pb-figure", id="pb-console-summary")
        # Only the open tab is redrawn now (a typed ballot must come back fast); the others when they are opened.
        self._stale = set(self.panels)
        self.render_open_tab()

    def mark_stale(self, name: str) -> None:
        """Draw panel ``name`` again when it is next opened (something it shows was changed in another tab)."""
        self._stale.add(name)

    def render_open_tab(self) -> None:
        name = list(self.panels)[self.tabs.selected_index or 0]
        if name in self._stale:
            self._stale.discard(name)
            self.panels[name].render()
