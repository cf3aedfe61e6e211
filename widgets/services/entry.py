"""The Survey entry tab: start a survey of the chosen service, close it (or reopen it), and type its paper or
door-to-door answers as the console's paper ballots are typed: one line per respondent and Enter, each stored before
the screen says so (``survey_entry``: village, sex, age group, then one answer per question). A refused line is
named in the screen's language, stored nothing, and goes back into the box to be corrected."""

from __future__ import annotations

from datetime import date

import ipywidgets as w

from pbtools.central.hub import app_actor
from pbtools.dates import shown_day
from pbtools.i18n import N_
from pbtools.services.survey_entry import entry_hint
from pbtools_widgets.ballot_box import BallotBox
from pbtools_widgets.base import block, set_options
from pbtools_widgets.services.tab import Tab
from pbtools_widgets.status_line import Told


class EntryTab(Tab):
    title = N_("Survey entry")

    def build(self) -> None:
        self.new_title = w.HTML()
        self.new_id = w.Text(layout=w.Layout(width="18rem"))
        self.new_date = w.Text(layout=w.Layout(width="18rem"))
        self.start = w.Button(layout=w.Layout(width="auto"))
        self.start.add_class("pb-svc-start")
        self.start.on_click(lambda _b: self.start_survey())
        self.survey = w.Dropdown(layout=w.Layout(width="22rem"))
        self.state = w.HTML()
        self.close = w.Button(layout=w.Layout(width="auto"))
        self.close.add_class("pb-svc-close")
        self.close.on_click(lambda _b: self.toggle_closed())
        self.channel = w.ToggleButtons(style={"button_width": "12rem"})
        self.hint = w.HTML()
        self.typed = BallotBox(layout=w.Layout(width="34rem"))
        self.typed.add_class("pb-svc-typed")
        self.typed.on_submit(self.enter)
        self.count = w.HTML()
        self.undo = w.Button(layout=w.Layout(width="auto"))
        self.undo.on_click(lambda _b: self.undo_last())
        self.stored: list[tuple[str, int, str]] = []  # (survey, record, text) typed here, for "undo last"
        self._quiet = False
        self.survey.observe(lambda _c: self._quiet or self.draw(), "value")
        self.box = w.VBox([self.new_title, w.HBox([self.new_id, self.new_date, self.start]),
                           w.HBox([self.survey, self.state, self.close]), self.channel, self.hint, self.typed, self.status,
                           self.count, self.undo])

    def render(self) -> None:
        _ = self._
        self.new_title.value = block(_("Start a survey"), tag="h3")
        self.new_id.description, self.new_id.placeholder = _("Survey id"), "2027"
        self.new_date.description, self.new_date.placeholder = _("Date"), shown_day(date(2027, 3, 15), self.lang)
        self.start.description = _("Start the survey (standard questions)")
        self.survey.description = _("Survey")
        self.undo.description = _("Undo last")
        set_options(self.channel, [(_("Paper forms"), "paper"), (_("Door to door"), "door")])
        self.typed.unconfirmed = _("Not confirmed as stored yet: {lines}. If the app does not answer, reload the page, "
                                   "check the count and type them again.", lines="{lines}")
        self._quiet = True
        try:
            surveys = self.service.surveys(self.service_id) if self.service_id else []
            set_options(self.survey, [(f"{s.id} · {shown_day(s.date, self.lang)}", s.id) for s in surveys], last=True)
        finally:
            self._quiet = False
        self.draw()

    def chosen(self):
        if self.service_id is None or self.survey.value is None:
            return None
        return next((s for s in self.service.surveys(self.service_id) if s.id == self.survey.value), None)

    def draw(self) -> None:
        _ = self._
        survey = self.chosen()
        for widget in (self.close, self.typed, self.undo, self.channel):
            widget.disabled = survey is None or (survey.closed and widget is not self.close)
        if survey is None:
            self.state.value = self.hint.value = self.count.value = ""
            self.close.description = _("Close the survey")
            return
        self.state.value = block(_("closed: no answers are taken") if survey.closed else _("open"),
                                 cls="pb-warning" if survey.closed else "pb-ok", id="pb-svc-survey-state")
        self.close.description = _("Reopen the survey") if survey.closed else _("Close the survey")
        self.hint.value = block(entry_hint(survey.villages, self.lang, self.service.municipality()), cls="pb-note", id="pb-svc-entry-hint")
        self.show_count(survey)

    def show_count(self, survey) -> None:
        if survey is not None:
            self.count.value = block(self._("Answers stored: {n}", n=len(survey.answers)), cls="pb-figure", id="pb-svc-entry-count")

    def start_survey(self):
        if self.service_id is None:
            return None
        survey = self.act(lambda: self.service.start_survey(self.service_id, self.new_id.value.strip(), self.new_date.value.strip(), app_actor()))
        if survey is None:
            return None
        self.new_id.value = self.new_date.value = ""
        self.render()
        self.survey.value = survey.id
        self.ok(Told(N_("Survey {id} started: {n} questions."), id=survey.id, n=len(survey.questions)))
        return survey

    def toggle_closed(self):
        survey = self.chosen()
        if survey is None:
            return None
        done = self.act(lambda: self.service.close_survey(self.service_id, survey.id, app_actor(), closed=not survey.closed))
        if done is None:
            return None
        self.draw()
        self.ok(Told(N_("Survey {id} is closed.") if done.closed else N_("Survey {id} is open again."), id=done.id))
        return done

    def enter(self, text: str) -> None:
        """One respondent's line: stored, or refused with the line handed back for correction. The survey is read
        once for it (by the core, to check the line); the count shown after is that read plus the line stored."""
        if not text.strip():
            return
        survey_id = self.survey.value
        if self.service_id is None or survey_id is None:
            self.typed.restore(text)
            return
        seq = self.act(lambda: self.service.enter_answer(self.service_id, survey_id, text, app_actor(), self.channel.value or "paper"))
        if seq is None:
            self.typed.restore(text)
            return
        self.stored.append((survey_id, seq, text.strip()))
        self.show_count(self.service.last_read(self.service_id, survey_id))
        self.ok(Told(N_("Answer stored: {text}"), text=text.strip()))

    def undo_last(self) -> None:
        """Void the last answer typed on this screen (a new record; the typed one stays in the chain)."""
        mine = [s for s in self.stored if s[0] == self.survey.value]
        if not mine:
            self.refused_text(Told(N_("Nothing typed here to undo.")))
            return
        survey_id, seq, text = mine[-1]
        if self.act(lambda: self.service.void_answer(self.service_id, seq, app_actor()) or True) is None:
            return
        self.stored.remove(mine[-1])
        self.draw()
        self.ok(Told(N_("Answer voided: {text}"), text=text))
