"""Where projects come from, in the Monitoring app: a closed hearing's funded options handed over in one step (the
link to the hearing, question and votes kept; a second handover creates nothing again), or the municipality's action
plan (XLSX/CSV) imported, refused whole with every problem's file, row and column when it has any."""

from __future__ import annotations

import ipywidgets as w

from pbtools.hearings.console_service import list_hearings
from pbtools.hearings.model import CLOSED
from pbtools.html import render as html_from
from pbtools.i18n import N_, translator
from pbtools.monitoring.errors import PlanRefused
from pbtools_widgets.base import label_upload, saved_upload, set_options
from pbtools_widgets.status_line import StatusLine


class IntakePanel:
    def __init__(self, app) -> None:
        self.app = app
        self.headings = [w.HTML(), w.HTML()]
        self.hearing = w.Dropdown(layout=w.Layout(width="40rem"))
        self.hearing.add_class("pb-handover-hearing")
        self.hand_over = w.Button(button_style="primary", layout=w.Layout(width="auto", min_width="18rem"))
        self.hand_over.add_class("pb-handover")
        self.hand_over.on_click(lambda _: self.store_handover())
        self.upload = w.FileUpload(accept=".xlsx,.csv,.txt", multiple=False)
        self.upload.add_class("pb-plan-upload")
        self.upload.observe(self._chosen, "value")
        self.said = StatusLine(app)
        self.problems = w.HTML()
        self.problems.add_class("pb-plan-problems")
        self._problems: PlanRefused | None = None
        self.box = w.VBox([self.headings[0], w.HBox([self.hearing, self.hand_over]), self.headings[1], self.upload,
                           self.said, self.problems])

    def render(self) -> None:
        app = self.app
        _ = app._
        self.headings[0].value = html_from("monitoring/heading.html", text=_("Projects from a closed hearing"))
        self.headings[1].value = html_from("monitoring/heading.html", text=_("Projects from the action plan (XLSX or CSV)"))
        self.hearing.description = _("Hearing")
        self.hand_over.description = _("Hand over its funded projects")
        label_upload(self.upload, _("Import the action plan"))
        self._show_problems()

    def fill_hearings(self) -> None:
        """The closed hearings (each folded from the ledger: done when the tab is opened, not on every redraw)."""
        closed = [h for h in list_hearings(self.app.ws, self.app.lang).items if h.status == CLOSED]
        set_options(self.hearing, [(h.label, h.id) for h in closed], last=True)
        self.hand_over.disabled = not closed

    def store_handover(self) -> None:
        app, hearing_id = self.app, self.hearing.value
        if hearing_id is None:
            return
        done = app.attempt(lambda: app.service.from_hearing(app.actor(), hearing_id), self.said)
        if done is None:
            return
        self._problems = None
        app.reload()
        created, existing = len(done.created), len(done.existing)
        self.said.ok(lambda lang: translator(lang)(N_("Handed over: {created} new projects; {existing} were already under monitoring."),
                                                   created=created, existing=existing))

    def _chosen(self, change) -> None:
        if change["new"]:
            item = change["new"][0]
            self.upload.value = ()
            self.import_plan(item["name"], bytes(item["content"]))

    def import_plan(self, name: str, content: bytes) -> None:
        """Import the plan; a refused file lists every problem (file, row, column), one a line, and stores nothing."""
        app = self.app

        def write():
            actor = app.actor()
            with saved_upload(name, content) as path:
                try:
                    return app.service.import_plan(actor, path)
                except PlanRefused as refused:
                    self._problems = refused
                    return None

        self._problems = None
        self.said.clear()
        projects = app.attempt(write, self.said)
        self._show_problems()
        if projects is None:
            return
        app.reload()
        count = len(projects)
        self.said.ok(lambda lang: translator(lang)(N_("Imported from {file}: {n} projects."), file=name, n=count))

    def _show_problems(self) -> None:
        refused = self._problems
        self.problems.value = "" if refused is None else html_from(
            "status.html", kind="pb-error", text=self._("Nothing was imported from the file:"), problems=[p.render(self.app.lang) for p in refused.problems])

    @property
    def _(self):
        return self.app._
