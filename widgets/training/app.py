"""The Training app: needs assessment, a mock hearing in a sandbox with simulated voters, "what if" counts, and
Equal Shares step by step; ky/ru/en, for a projector. Each tab is a module of this folder; all of them talk to
one ``pbtools.training.service.TrainingService``."""

from __future__ import annotations

import ipywidgets as w

from pbtools.i18n import N_
from pbtools.training.service import TrainingService
from pbtools_widgets.base import AppView
from pbtools_widgets.training.mes_steps import MesStepsTab
from pbtools_widgets.training.mock import MockTab
from pbtools_widgets.training.needs import NeedsTab
from pbtools_widgets.training.whatif import WhatIfTab


class TrainingApp(AppView):
    title = N_("Training")

    def __init__(self, ws=None, lang: str | None = None, root=None) -> None:
        self.service = TrainingService(root)
        super().__init__(ws, lang)

    def build(self) -> None:
        self.tabs = [MockTab(self), NeedsTab(self), WhatIfTab(self), MesStepsTab(self)]
        self.tab = w.Tab(children=[t.box for t in self.tabs])
        self.tab.add_class("pb-train-tabs")
        # a tab opened shows the ballots stored now (phones vote while another tab is shown)
        self.tab.observe(lambda c: getattr(self.tabs[c["new"]], "shown", lambda: None)() if c["new"] is not None else None,
                         "selected_index")
        self.body = w.VBox([self.tab])
        self.body.add_class("pb-train")

    def render(self) -> None:
        super().render()
        for i, t in enumerate(self.tabs):
            self.tab.set_title(i, self._(t.title))
            t.render()

    def changed(self) -> None:
        """The sandbox or its ballots changed: the other tabs show the new state."""
        self.tabs[3].reset()
        for t in self.tabs[1:]:
            t.render()
