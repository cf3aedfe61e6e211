"""The Survey board: what a service's users said, for the projector: every answer's share with the number of answers
beside it, overall and by village, sex or age group (a group too small to say anything is flagged and its shares
not shown), the trend against the previous survey, and the address (and QR code) where phones in the hall answer.
It follows new answers as they arrive: the app's timer asks the core whether the survey's records moved on."""

from __future__ import annotations

import ipywidgets as w

from pbtools.dates import shown_day
from pbtools.fmt import number, percent
from pbtools.html import render as html_from
from pbtools.i18n import N_, gettext

TOO_FEW = N_("too few answers (n={n})")
from pbtools.central.hub import app_actor
from pbtools.services.chart import satisfaction_chart
from pbtools.services.places import group_name
from pbtools.services.survey_results import MIN_GROUP, dec, shown
from pbtools_widgets.base import figure_png, set_options
from pbtools_widgets.phone_address import no_address, phone_urls, qr_data, served_at
from pbtools_widgets.services.tab import Tab


class SurveyTab(Tab):
    title = N_("Survey board")

    def build(self) -> None:
        self.survey = w.Dropdown(layout=w.Layout(width="20rem"))
        self.grouping = w.ToggleButtons(style={"button_width": "9rem"})
        self.phones = w.ToggleButton(layout=w.Layout(width="auto"))
        self.phones.add_class("pb-svc-phones")
        self.address = w.Text(layout=w.Layout(width="30rem"))
        self.projector = w.HTML()
        self.board = w.HTML()
        self.board.add_class("pb-svc-board")
        self.chart = w.Image(format="png", layout=w.Layout(max_width="min(100%, 60rem)", height="auto"))  # a projector-sized picture, never blown up
        self._drawn = None  # (service, survey, ledger head, grouping, language) last drawn: redraw only on a change
        self._quiet = False
        self.survey.observe(lambda _c: self._quiet or self.draw(), "value")
        self.grouping.observe(lambda _c: self._quiet or self.draw(), "value")
        self.address.observe(lambda _c: self._quiet or self.draw_address(), "value")
        self.phones.observe(self._on_phones, "value")
        self.box = w.VBox([w.HBox([self.survey, self.grouping, self.phones]), self.status, self.board, self.chart,
                           self.address, self.projector])

    def render(self) -> None:
        _ = self._
        self._quiet = True
        try:
            self.survey.description, self.address.description = _("Survey"), _("Address")
            set_options(self.grouping, [(_("Villages"), "village"), (_("Women and men"), "sex"), (_("Age groups"), "age")])
            surveys = self.service.surveys(self.service_id) if self.service_id else []
            set_options(self.survey, [(f"{s.id} · {shown_day(s.date, self.lang)}", s.id) for s in surveys], last=True)
            if not self.address.value:
                self.address.value = served_at()[0]
        finally:
            self._quiet = False
        self._drawn = None
        self.draw()

    def poll(self) -> None:
        """Redraw when the survey's records moved on (an answer from a phone, one typed in another window)."""
        if self.service_id is not None and self._drawn is not None and self.service.survey_head(self.service_id) != self._drawn[2]:
            self.draw()

    def draw(self) -> None:
        _, lang = self._, self.lang
        if self.service_id is None or self.survey.value is None:
            self.board.value = html_from("text.html", text=_("No survey of this service yet."))
            self.chart.layout.display = "none"
            self.projector.value = ""
            return
        head = self.service.survey_head(self.service_id)
        key = (self.service_id, self.survey.value, head, self.grouping.value, lang)
        if key == self._drawn:
            return
        found = self.service.results(self.service_id, self.survey.value)
        self.board.value = self.board_html(found)
        scale = next((q for q in found.questions if q.overall.mean is not None), None)
        if scale is not None and self.grouping.value:
            self.chart.value = figure_png(satisfaction_chart(scale, self.grouping.value, lang, self.service.municipality()))
            self.chart.layout.display = None
        else:
            self.chart.layout.display = "none"
        self.draw_address()
        self._drawn = key

    def board_html(self, found) -> str:
        _, lang = self._, self.lang
        grouping = self.grouping.value or "village"
        municipality = self.service.municipality()
        questions = []
        for q in found.questions:
            choices = [q.question.choice(i + 1, lang) for i in range(len(q.question.choices))]
            cells = self.cells
            groups = [{"name": group_name(grouping, g.key, municipality, lang), "n": number(g.n, lang), "small": g.small,
                       "cells": cells(g)} for g in q.groups[grouping]]
            summary = ""
            if q.overall.mean is not None and not shown(q.overall):
                summary = gettext(lang, TOO_FEW).format(n=q.overall.n)
            elif q.overall.mean is not None:
                summary = _("{share} satisfied, mean {mean} of 5", share=percent(dec(q.overall.satisfied), lang, digits=0),
                            mean=number(dec(q.overall.mean), lang, digits=1))
            questions.append({"id": q.question.id, "title": q.question.title(lang), "choices": choices, "summary": summary,
                              "overall": {"name": _("All"), "n": number(q.overall.n, lang), "small": q.overall.small, "cells": cells(q.overall)},
                              "groups": groups})
        trends = []
        titles = {q.question.id: q.question.title(lang) for q in found.questions}
        for t in found.trends:
            if t.change is None:
                continue
            trends.append({"title": titles.get(t.question, t.question),
                           "before": f"{percent(dec(t.before.satisfied), lang, digits=0)} (n={number(t.before.n, lang)})",
                           "now": f"{percent(dec(t.now.satisfied), lang, digits=0)} (n={number(t.now.n, lang)})",
                           "change": _("{sign}{points} points since {survey}", sign="+" if t.change >= 0 else "−",
                                       points=number(abs(dec(t.change)) * 100, lang, digits=0), survey=t.previous_survey)})
        small = any(g["small"] for q in questions for g in q["groups"])
        return html_from(
            "services/survey.html", questions=questions, trends=trends, respondents=found.respondents,
            answers=_("Answers: {n}", n=number(found.respondents, lang)),
            survey=_("Survey {id} of {date}", id=found.survey.id, date=shown_day(found.survey.date, lang)),
            group_head={"village": _("Village"), "sex": _("Sex"), "age": _("Age group")}[grouping], n_head=_("Answers"),
            too_few=_("too few answers"),
            small_note=_("A group with fewer than {n} answers is too small to say anything: its share is not shown.", n=MIN_GROUP) if small else "",
            trend_head=[_("Question"), _("Before"), _("Now"), _("Trend")], trend_title=_("Satisfied (4 or 5) since the previous survey"))

    def cells(self, s) -> list[dict]:
        """Each answer's share with its count beside it; a group too small shows its counts only."""
        return [{"share": "—" if s.small else percent(dec(s.share(i + 1)), self.lang, digits=0), "n": number(c, self.lang)}
                for i, c in enumerate(s.counts)]

    def draw_address(self) -> None:
        _ = self._
        open_survey = self.service.phone_survey(self.service_id) if self.service_id else None
        chosen_open = open_survey is not None and open_survey == self.survey.value
        self._quiet = True  # showing the stored state: no record written for it
        try:
            self.phones.value = chosen_open
        finally:
            self._quiet = False
        self.phones.description = _("Stop answers from phones") if chosen_open else _("Open to phones")
        urls = phone_urls(self.address.value)
        if not chosen_open:
            self.projector.value = html_from("text.html", text=_("Phones cannot answer this survey now."))
        elif urls is None:
            self.projector.value = html_from("status.html", kind="pb-error", problems=[], text=_(no_address(can_type=True)))
        else:
            url = urls.survey(self.service_id)
            self.projector.value = html_from("services/phone.html", url=url, qr=qr_data(url),
                                             text=_("Answer the survey on your phone:"))

    def _on_phones(self, change) -> None:
        if self._quiet or self.service_id is None or self.survey.value is None:
            return
        self.act(lambda: self.service.open_to_phones(self.service_id, self.survey.value, app_actor(), open=change["new"]))
        self.draw_address()
