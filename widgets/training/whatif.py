"""The "What if" tab: the mock hearing's ballots counted by greedy, Equal Shares and Phragmén side by side, and the
same preferences asked with other kinds of ballot; each difference in one sentence (from the core)."""

from __future__ import annotations

import ipywidgets as w

from pbtools.html import render as html_from
from pbtools.i18n import N_
from pbtools.training.texts import WHATIF_INTRO
from pbtools_widgets.clicks import on_press
from pbtools_widgets.training.tab import Tab


class WhatIfTab(Tab):
    title = N_("What if")

    def build(self) -> None:
        self.intro = w.HTML()
        self.count_button = w.Button(button_style="primary", layout=w.Layout(width="auto"))
        self.count_button.add_class("pb-train-whatif")
        self.rules = w.HTML()
        self.kinds = w.HTML()
        self.rules.add_class("pb-train-rules")
        on_press(self.count_button, lambda: self.show())
        self.box = w.VBox([self.intro, self.count_button, self.rules, self.kinds])

    def render(self) -> None:
        self.intro.value = self.said([self._(WHATIF_INTRO)])
        self.count_button.description = self._("Count the same ballots three ways")
        if self.rules.value:
            self.show()

    def show(self) -> None:
        _ = self._
        if self.app.service.sandbox is None:
            self.rules.value = self.said([_("Open a sandbox first (Mock hearing tab).")])
            return
        result = self.app.service.what_if(self.lang)
        yes, no = _("funded"), "—"
        # each option's cost and votes, and what each rule spends of the budget: the room sees why, not only what
        self.rules.value = self.said([result.counted], "pb-train-counted") + html_from(
            "table.html", classes="pb-table pb-train pb-train-whatif", head=[_("Option"), _("Cost"), _("Votes"), *result.rules],
            rows=[[name, cost, str(votes), *[yes if m else no for m in marks]]
                  for (name, marks), (cost, votes) in zip(result.rows, result.figures)],
            total=dict(span=3, legend=_("Spent by the rule"), cells=list(result.spent))) + self.said(
            result.rule_sentences, "pb-train-sentences")
        if result.kinds:
            self.kinds.value = html_from("table.html", classes="pb-table pb-train", head=[_("Option"), *result.kinds],
                                         rows=[[name, *[yes if m else no for m in marks]] for name, marks in result.kind_rows],
                                         total=None) + self.said(result.kind_sentences, "pb-train-sentences")
        else:
            self.kinds.value = self.said([_("Simulate voters to compare the kinds of ballot.")])
