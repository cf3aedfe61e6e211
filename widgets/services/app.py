"""The Services app: the municipality's services for the hall and the council, on a projector, in ky/ru/en. One tab
per module of this folder, all talking to the core's ``pbtools.services.service.ServicesService``: the register, the
tariff options (a chart, and put to a hearing as a question), the survey board (following answers from phones as
they arrive) and the scorecards."""

from __future__ import annotations

import ipywidgets as w

from pbtools.i18n import N_
from pbtools.services.service import ServicesService
from pbtools_widgets.base import AppView, poll_timer, set_options
from pbtools_widgets.services.entry import EntryTab
from pbtools_widgets.services.plan import PlanTab
from pbtools_widgets.services.register import RegisterTab
from pbtools_widgets.services.scorecards import ScorecardsTab
from pbtools_widgets.services.survey import SurveyTab
from pbtools_widgets.services.tariffs import TariffsTab

POLL_MS = 1000


class ServicesApp(AppView):
    title = N_("Municipal services")

    def build(self) -> None:
        self.service = ServicesService(self.ws)
        self.chosen = w.Dropdown(layout=w.Layout(width="32rem", max_width="100%"))
        self.chosen.add_class("pb-svc-chosen")
        self.register, self.tariffs, self.entry, self.survey, self.plan, self.scorecards = (
            RegisterTab(self), TariffsTab(self), EntryTab(self), SurveyTab(self), PlanTab(self), ScorecardsTab(self))
        self.tabs = [self.register, self.tariffs, self.entry, self.survey, self.plan, self.scorecards]
        self.tab = w.Tab(children=[t.box for t in self.tabs])
        self.timer = poll_timer(POLL_MS, self.poll)
        self.body = w.VBox([self.chosen, self.tab, self.timer])
        self.body.add_class("pb-svc")
        self.chosen.observe(lambda _c: self.draw(), "value")
        self.tab.observe(lambda _c: self.draw(), "selected_index")

    def render(self) -> None:
        super().render()
        self.chosen.description = self._("Service")
        set_options(self.chosen, [(s.name(self.lang), s.id) for s in self.service.services()])
        for i, t in enumerate(self.tabs):
            self.tab.set_title(i, self._(t.title))
        self.draw()

    def services_changed(self, chosen: str | None = None) -> None:
        """A service was registered or imported: the chooser lists it (and shows ``chosen``), the open tab redraws."""
        set_options(self.chosen, [(s.name(self.lang), s.id) for s in self.service.services()], prefer=chosen)
        self.draw()

    def draw(self) -> None:
        """Draw the open tab only (the others when opened): a chart or a survey's results take a moment."""
        self.tabs[self.tab.selected_index or 0].render()

    def poll(self) -> None:
        """One tick of the page's timer: the survey board follows new answers (from phones, or typed elsewhere)."""
        if (self.tab.selected_index or 0) == self.tabs.index(self.survey):
            self.survey.poll()
