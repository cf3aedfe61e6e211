"""What every tab of the Training app shares: the app (its service, language, refusal line)."""

from __future__ import annotations

from pbtools.html import render as html_from
from pbtools_widgets.tab import AppTab


class Tab(AppTab):
    def said(self, sentences, classes: str = "") -> str:
        return html_from("training/said.html", said=list(sentences), classes=classes)

    def ok(self, text: str) -> str:
        return html_from("status.html", kind="pb-ok", text=text, problems=[])

    def refused(self, error) -> str:
        return html_from("status.html", kind="pb-error", text=error.render(self.lang), problems=[])
