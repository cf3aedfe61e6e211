"""The Equal Shares tab: each round as a picture (every voter's share as a bar, who pays for the option bought),
stepped with Next and Back. The rounds come from the core's exact replay of the count.

A walkthrough keeps the ballots it started with: Next never recounts in the middle of it (it did, silently, when
phones voted meanwhile). Opened at its start, the tab counts the ballots stored now; past its start, it says when
newer ballots are stored and offers to start over with them."""

from __future__ import annotations

import ipywidgets as w

from pbtools.i18n import N_
from pbtools.training.sandbox_contents import question_ballots
from pbtools.training.texts import MES_BAR, MES_INTRO
from pbtools_widgets.base import block, figure_png
from pbtools_widgets.clicks import on_press
from pbtools_widgets.training.tab import Tab

NEWER = N_("This walkthrough counts the ballots as they were when it started ({then}); the mock hearing now holds {now}. "
           "Start over to count them.")


class MesStepsTab(Tab):
    title = N_("Equal Shares step by step")

    def build(self) -> None:
        self.k = 0
        self.intro = w.HTML()
        self.back = w.Button(icon="arrow-left", layout=w.Layout(width="auto"))
        self.next = w.Button(icon="arrow-right", button_style="primary", layout=w.Layout(width="auto"))
        self.where = w.HTML()
        self.where.add_class("pb-train-round")
        self.back.add_class("pb-train-back")
        self.next.add_class("pb-train-next")
        # newer ballots than the walkthrough's: said, with a button to start over on them (never switched midway)
        self.newer = w.HTML()
        self.newer.add_class("pb-train-newer")
        self.again = w.Button(icon="refresh", layout=w.Layout(width="auto", display="none"))
        self.again.add_class("pb-train-start-over")
        # at its own size, never stretched to the tab's width: stretched on a 1366 px screen it grew a third taller
        # and its foot went below a 768 px screen (it is drawn low to fit under the caption)
        self.picture = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto", align_self="flex-start"))
        self.caption = w.HTML()
        self.caption.add_class("pb-train-caption")
        self.back.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))
        on_press(self.again, lambda: self.start_over())
        self.box = w.VBox([self.intro, w.HBox([self.back, self.where, self.next, self.again]), self.newer,
                           self.caption, self.picture])

    def reset(self) -> None:
        self.k = 0

    def render(self) -> None:
        _ = self._
        self.intro.value = self.said([_(MES_INTRO), _(MES_BAR)])
        self.back.description, self.next.description = _("Back"), _("Next")
        self.again.description = _("Start over with the new ballots")
        self.draw()

    def shown(self) -> None:
        """The tab was opened: at the walkthrough's start it counts the ballots stored now; past it, it keeps its
        own and says whether newer ones are stored."""
        service = self.app.service
        if self.k == 0 and service.sandbox is not None and service.rounds_behind() is not None:
            service.rounds(refresh=True)
        self.draw()

    def start_over(self) -> None:
        if self.app.service.sandbox is not None:
            self.app.service.rounds(refresh=True)
        self.k = 0
        self.draw()

    def step(self, by: int) -> None:
        self.k = max(0, self.k + by)
        self.draw()

    def draw(self) -> None:
        service = self.app.service
        if service.sandbox is None or not service.ballots():
            self.where.value = self.said([self._("Simulate voters first (Mock hearing tab).")])
            self.back.disabled = self.next.disabled = True
            self.newer.value, self.again.layout.display = "", "none"
            return
        total = len(service.rounds().rounds)
        self.k = min(self.k, total)
        picture = service.round_picture(self.k, self.lang)
        self.where.value = self.said([self._("Round {round} of {total}", round=self.k, total=total)])
        self.caption.value = self.said([picture.caption])
        self.picture.value = figure_png(service.round_chart(self.k, self.lang))
        self.back.disabled, self.next.disabled = self.k == 0, picture.last
        behind = service.rounds_behind()
        if behind is None:
            self.newer.value, self.again.layout.display = "", "none"
        else:
            then, now = (question_ballots(n).render(self.lang) for n in behind)  # as the Mock tab says them
            self.newer.value = block(self._(NEWER, then=then, now=now), cls="pb-warning")
            self.again.layout.display = None
