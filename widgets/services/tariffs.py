"""The Tariffs tab: the tariff that covers the chosen service's cost, at today's collection rate, at a target rate
and with a subsidy from the budget; what each means for a household a month and for the budget a year, as a table
and a chart for the projector; and a button that puts them to a hearing as a question (a choice, or a motion on the
first), through the core's ``ServicesService`` (which goes through the console's service)."""

from __future__ import annotations

from decimal import Decimal

import ipywidgets as w

from pbtools.fmt import money, number, percent
from pbtools.html import render as html_from
from pbtools.i18n import N_, gettext
from pbtools.central.hub import app_actor
from pbtools.services.model import HOUSEHOLD
from pbtools.services.tariffs import FIGURE_FIELDS, OPTION_NAMES, rounding_note, tariff_figures
from pbtools_widgets.base import block, figure_png, set_options
from pbtools_widgets.services.tab import REFUSALS, Tab
from pbtools_widgets.status_line import Told


def signed(amount, lang: str) -> str:
    return "—" if amount is None else ("+" if amount > 0 else "−" if amount < 0 else "") + money(abs(amount), lang)


class TariffsTab(Tab):
    title = N_("Tariffs")

    def build(self) -> None:
        self.target = w.Text(layout=w.Layout(width="20rem"), continuous_update=False)
        self.subsidy = w.Text(layout=w.Layout(width="24rem"), continuous_update=False)
        self.show = w.Button(layout=w.Layout(width="auto"))
        self.table = w.HTML()
        self.chart = w.Image(format="png", layout=w.Layout(max_width="min(100%, 60rem)", height="auto"))  # a projector-sized picture, never blown up
        self.chart.add_class("pb-svc-chart")
        self.hearing = w.Dropdown(layout=w.Layout(width="34rem", max_width="100%"))
        self.as_choice = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.as_motion = w.Button(layout=w.Layout(width="auto"))
        for control, cls in ((self.show, "pb-svc-show"), (self.as_choice, "pb-svc-put-choice"), (self.as_motion, "pb-svc-put-motion")):
            control.add_class(cls)
        self.show.on_click(lambda _b: self.redraw())
        for field in (self.target, self.subsidy):
            field.observe(lambda _c: self.redraw(), "value")
        self.as_choice.on_click(lambda _b: self.put(motion=False))
        self.as_motion.on_click(lambda _b: self.put(motion=True))
        self.no_hearing = w.HTML()
        self.box = w.VBox([w.HBox([self.target, self.subsidy, self.show]), self.table, self.chart,
                           w.HBox([self.hearing, self.as_choice, self.as_motion]),  # wraps, labels whole (widgets.css)
                           self.no_hearing, self.status])

    def figures(self):
        """(target rate, subsidy) as typed; ServiceError naming the field that cannot be read."""
        return tariff_figures(self.target.value, self.subsidy.value)

    def render(self) -> None:
        _, lang = self._, self.lang
        self.target.description, self.subsidy.description = _(FIGURE_FIELDS["target"]), _(FIGURE_FIELDS["subsidy"])
        self.target.placeholder, self.subsidy.placeholder = percent(Decimal("0.95"), lang, 0), number(Decimal(300_000), lang)
        self.show.description = _("Show")
        self.as_choice.description = _("Put to the hearing as a choice")
        self.as_motion.description = _("Put the first to the hearing as a motion")
        self.hearing.description = _("Hearing")
        set_options(self.hearing, self.service.tariff_hearings(lang), last=True)
        for button in (self.as_choice, self.as_motion):
            button.disabled = self.hearing.value is None or self.service_id is None
        # greyed buttons with an empty list said nothing: say why, and where a hearing is made
        self.no_hearing.value = "" if self.hearing.value is not None else block(_(
            "No hearing is in preparation or open, so the tariffs cannot be put to one. Create a hearing in the Hearing "
            "console (the Hearing tab, «New hearing»), then come back here and choose it."), cls="pb-note", id="pb-svc-no-hearing")
        if self.service_id is None:
            self.table.value, self.chart.layout.display = "", "none"
            return
        try:  # the status line is left as it is: a language switch redraws, and says the last message again
            self._draw()
        except REFUSALS as e:
            self.refused(e)

    def redraw(self) -> None:
        """New figures typed: what was said about the old ones goes."""
        self.status.clear()
        self.render()

    def _draw(self) -> None:
        _, lang = self._, self.lang
        target, subsidy = self.figures()
        options = self.service.tariff_options(self.service_id, target, subsidy)
        per_household = options[0].payer == HOUSEHOLD
        rows = [{"option": t.option, "name": gettext(lang, OPTION_NAMES[t.option]),
                 "rate": percent(t.collection_rate, lang, digits=0), "subsidy": money(t.subsidy, lang),
                 "monthly": money(t.monthly, lang), "change": signed(t.change_monthly, lang), "yearly": money(t.yearly, lang)}
                for t in options]
        head = [_("Option"), _("Collection rate"), _("The budget pays a year"),
                _("A household pays a month") if per_household else _("A person pays a month"), _("Change from today"),
                _("A year")]
        today = options[0].current_monthly
        note = _("Today's tariff: {amount} a month.", amount=money(today, lang)) if today is not None else ""
        rounding = rounding_note(options)
        self.table.value = html_from("services/tariffs.html", head=head, rows=rows, note=note, rounding=rounding.render(lang) if rounding else "",
                                     rule=_("The tariff covers the yearly cost less the subsidy, over the households (or people) "
                                            "times the share of bills paid; rounded up to the tyiyn."))
        self.chart.value = figure_png(self.service.tariff_chart(self.service_id, lang, target, subsidy))
        self.chart.layout.display = None

    def put(self, motion: bool) -> None:
        if self.hearing.value is None or self.service_id is None:
            return

        def action() -> None:
            target, subsidy = self.figures()
            question = self.service.put_tariffs_to_hearing(self.hearing.value, self.service_id, app_actor(), target, subsidy, motion)
            self.ok(Told(N_("Question {id} is on the hearing's agenda; open the Hearing console to put it to the vote."), id=question))

        self.act(action)
