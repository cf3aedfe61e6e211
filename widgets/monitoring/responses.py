"""The municipality's response to an act of the open project: its text and day, recorded as its own record (the act
itself is never edited); an overdue act stops being flagged once its response is recorded."""

from __future__ import annotations

import ipywidgets as w

from pbtools.dates import shown_day
from pbtools.html import render as html_from
from pbtools.i18n import N_, translator
from pbtools.monitoring.errors import ActsReplaced, NoSuchAct
from pbtools_widgets.base import set_options
from pbtools_widgets.status_line import StatusLine


class ResponseForm:
    def __init__(self, app) -> None:
        self.app = app
        self.heading = w.HTML()
        self.act = w.Dropdown(layout=w.Layout(width="40rem"))
        self.act.add_class("pb-response-act")
        self.day = w.Text(layout=w.Layout(width="24rem"))
        self.day.add_class("pb-response-date")
        self.text = w.Textarea(layout=w.Layout(width="46rem", height="4rem"))
        self.text.add_class("pb-response-text")
        self.save = w.Button(button_style="primary", layout=w.Layout(width="auto", min_width="18rem", align_self="flex-start"))
        self.save.add_class("pb-response-save")
        self.save.on_click(lambda _: self.store())
        self.said = StatusLine(app)
        self._listed: tuple = ()  # the acts offered last time, with whether each was answered
        self._draft_for: str | None = None  # the project whose act the typed response is for
        self._drafts: dict[str, tuple[str, str]] = {}  # (day, text) typed for another project's act
        self.box = w.VBox([self.heading, w.HBox([self.act, self.day]), self.text, self.save, self.said])
        self.box.add_class("pb-response-form")

    def render(self) -> None:
        app = self.app
        _ = app._
        project = app.page.project
        if project is not None and project.id != self._draft_for:
            # a response typed for another project's act stays with it: never recorded on this project's act
            if self._draft_for is not None:
                self._drafts[self._draft_for] = (self.day.value, self.text.value)
            self.day.value, self.text.value = self._drafts.pop(project.id, ("", ""))
            self.said.clear()
            self._draft_for = project.id
        acts = [a for a in app.acts if project is not None and a.project_id == project.id and not a.corrected]
        self.box.layout.display = "" if acts else "none"
        self.heading.value = html_from("monitoring/heading.html", text=_("The municipality's response to an act"))
        # the acts still waiting for a response first: that is what the form is mostly for
        ordered = sorted(acts, key=lambda a: (bool(a.responses), a.number))
        # when the acts change (another project, an act filed or answered) the first waiting one is chosen again, not the
        # one still selected: else a response typed after filing an act went to the older, answered act
        listed = tuple((a.id, bool(a.responses)) for a in ordered)
        prefer = ordered[0].id if ordered and listed != self._listed else None
        self._listed = listed
        set_options(self.act, [(_("Act {id} of {date}", id=a.id, date=shown_day(a.date, app.lang)) + ("" if a.responses else " · " + _("no response yet")), a.id)
                               for a in ordered], prefer=prefer)
        self.act.description, self.day.description, self.text.description = _("Act"), _("Date"), _("Response")
        self.day.placeholder = _("e.g. {date}", date=shown_day(app.today, app.lang))
        if not self.day.value:
            self.day.value = shown_day(app.today, app.lang)
        self.save.description = _("Record the response")

    def store(self) -> None:
        app, act_id = self.app, self.act.value
        if act_id is None:
            return
        project_id = app.page.choice.value
        act = app.attempt(lambda: app.service.record_response(app.actor(), act_id, self.text.value, on=self.day.value.strip()), self.said)
        if act is None:
            if isinstance(self.said.refusal, (ActsReplaced, NoSuchAct)):
                app.reload(select=project_id)  # the acts on disk now (a copy put back): what was typed stays
            return
        self.text.value = self.day.value = ""
        app.reload(select=project_id)
        self.said.ok(lambda lang: translator(lang)(N_("The response to act {id} is recorded."), id=act.id))
