"""The Equal Shares tab: each round as a picture (every voter's share as a bar, who pays for the option bought),
stepped with Next and Back. The rounds come from the core's exact replay of the count."""

from __future__ import annotations

import ipywidgets as w

from pbtools.i18n import N_
from pbtools.training.texts import MES_BAR, MES_INTRO
from pbtools_widgets.base import figure_png
from pbtools_widgets.training.tab import Tab


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
        # at its own size, never stretched to the tab's width: stretched on a 1366 px screen it grew a third taller
        # and its foot went below a 768 px screen (it is drawn low to fit under the caption)
        self.picture = w.Image(format="png", layout=w.Layout(max_width="100%", height="auto", align_self="flex-start"))
        self.caption = w.HTML()
        self.caption.add_class("pb-train-caption")
        self.back.on_click(lambda _b: self.step(-1))
        self.next.on_click(lambda _b: self.step(+1))
        self.box = w.VBox([self.intro, w.HBox([self.back, self.where, self.next]), self.caption, self.picture])

    def reset(self) -> None:
        self.k = 0

    def render(self) -> None:
        _ = self._
        self.intro.value = self.said([_(MES_INTRO), _(MES_BAR)])
        self.back.description, self.next.description = _("Back"), _("Next")
        self.draw()

    def step(self, by: int) -> None:
        self.k = max(0, self.k + by)
        self.draw()

    def draw(self) -> None:
        service = self.app.service
        if service.sandbox is None or not service.ballots():
            self.where.value = self.said([self._("Simulate voters first (Mock hearing tab).")])
            self.back.disabled = self.next.disabled = True
            return
        total = len(service.rounds().rounds)
        self.k = min(self.k, total)
        picture = service.round_picture(self.k, self.lang)
        self.where.value = self.said([self._("Round {round} of {total}", round=self.k, total=total)])
        self.caption.value = self.said([picture.caption])
        self.picture.value = figure_png(service.round_chart(self.k, self.lang))
        self.back.disabled, self.next.disabled = self.k == 0, picture.last
