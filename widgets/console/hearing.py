"""The Hearing tab: create a hearing, define the questions put to the vote, open voting, close the hearing."""

from __future__ import annotations

import datetime
import html
from decimal import Decimal, InvalidOperation

import ipywidgets as w

from pbtools import fmt
from pbtools.hearings.model import BALLOT_KINDS, HEARING_TYPES, MOTION, POINTS, Hearing, Question, label
from pbtools.hearings.store import HearingError, create_hearing
from pbtools.i18n import N_
from widgets.console.panel import Panel


class HearingPanel(Panel):
    title = N_("Hearing")

    def build(self) -> None:
        self.details = w.HTML()
        # a new hearing
        self.type = w.Dropdown()
        self.date = w.Text(value=datetime.date.today().isoformat())
        self.venue = w.Text()
        self.villages = w.SelectMultiple(rows=5)
        self.budget = w.Text(value="0")
        self.create = w.Button(button_style="primary")
        self.create.on_click(lambda _: self.create_hearing())
        self.new_box = w.VBox([self.type, self.date, self.venue, self.villages, self.budget, self.create])
        # a question
        self.q_kind = w.Dropdown()
        self.q_title = w.Text()
        self.q_options = w.SelectMultiple(rows=6)
        self.q_max = w.BoundedIntText(value=3, min=1, max=100)
        self.q_points = w.BoundedIntText(value=5, min=1, max=1000)
        self.q_stacking = w.Checkbox(value=True)
        self.q_add = w.Button()
        self.q_add.on_click(lambda _: self.define_question())
        self.question_box = w.VBox([self.q_kind, self.q_title, self.q_options, self.q_max, self.q_points, self.q_stacking, self.q_add])
        self.open_button = w.Button(button_style="success")
        self.open_button.on_click(lambda _: self.act(self.store.open))
        self.confirm_close = w.Checkbox(value=False)
        self.close_button = w.Button(button_style="danger")
        self.close_button.on_click(lambda _: self.close())
        self.accordion = w.Accordion(children=[self.new_box, self.question_box])
        self.box.children = [self.details, w.HBox([self.open_button, self.confirm_close, self.close_button]),
                             self.message, self.accordion]

    def render(self) -> None:
        _, lang = self._, self.app.lang
        self.accordion.set_title(0, _("New hearing"))
        self.accordion.set_title(1, _("New question"))
        self.type.description, self.date.description, self.venue.description = _("Type"), _("Date"), _("Venue")
        self.villages.description, self.budget.description = _("Villages"), _("Budget, som")
        self.create.description = _("Create hearing")
        self.type.options = [(label(t, lang), t) for t in HEARING_TYPES]
        municipality = self.app.ws.municipality()
        self.villages.options = [v.name(lang) for v in municipality.villages] if municipality else []
        self.q_kind.description, self.q_title.description = _("Ballot"), _("Question")
        self.q_options.description, self.q_max.description = _("Options"), _("Up to")
        self.q_points.description, self.q_stacking.description = _("Points"), _("Several points on one option")
        self.q_add.description = _("Add question")
        self.q_kind.options = [(label(k, lang), k) for k in BALLOT_KINDS]
        self.open_button.description = _("Open voting")
        self.close_button.description = _("Close hearing")
        self.confirm_close.description = _("Yes, close it: nothing can be added afterwards")
        st = self.state
        if st is None:
            self.details.value = ""
            self.q_options.options = []
            return
        h = st.hearing
        self.q_options.options = [(f"{o.number}. {o.title(lang)}", o.id) for o in st.sorted_options()]
        questions = "".join(
            f"<li>{html.escape(q.title(lang))} — {html.escape(label(q.kind, lang))}</li>" for q in st.questions.values()
        )
        figures = " · ".join((_("Budget for projects: {amount}", amount=fmt.money(h.budget, lang)),
                              _("Status: {status}", status=label(st.status, lang))))
        self.details.value = (f"<p><b>{html.escape(label(h.type, lang))}</b>, {html.escape(h.date)}, {html.escape(h.venue)}<br>"
                              f"{html.escape(figures)}</p><ul>{questions}</ul>")

    def act(self, action, **kw) -> bool:
        try:
            action(actor=self.app.actor, **kw)
        except HearingError as e:
            self.fail(e)
            return False
        self.app.changed()
        return True

    def create_hearing(self) -> None:
        _ = self._
        try:
            budget = Decimal(self.budget.value.replace(" ", "").replace("\u00a0", "").replace(",", "."))
        except InvalidOperation:
            self.fail(ValueError(_("{value} is not an amount in som", value=self.budget.value)))
            return
        municipality = self.app.ws.municipality()
        hearing = Hearing(
            id="", municipality=municipality.name(self.app.lang) if municipality else "", type=self.type.value,
            date=self.date.value.strip(), venue=self.venue.value.strip(), villages=tuple(self.villages.value), budget=budget,
        )
        try:
            store = create_hearing(self.app.ws, hearing, actor=self.app.actor)
        except HearingError as e:
            self.fail(e)
            return
        self.ok(_("Hearing created."))
        self.app.reload_choices(select=store.id)
        self.app.refresh_panels()

    def define_question(self) -> None:
        if self.store is None:
            return
        kind = self.q_kind.value
        title = self.q_title.value.strip()
        question = Question(
            id=f"q{len(self.state.questions) + 1}", kind=kind, titles={self.app.lang: title},
            options=() if kind == MOTION else tuple(self.q_options.value),
            max_choices=self.q_max.value, points=self.q_points.value if kind == POINTS else 0,
            stacking=self.q_stacking.value,
        )
        if self.act(self.store.define_question, question=question):
            self.ok(self._("Question added."))

    def close(self) -> None:
        if not self.confirm_close.value:
            self.fail(ValueError(self._("Tick the box to confirm closing.")))
            return
        if self.act(self.store.close):
            self.confirm_close.value = False
            self.ok(self._("The hearing is closed."))
