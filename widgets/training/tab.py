"""What every tab of the Training app shares: the app (its service, language), and sentences read aloud to the room.
Its status lines are ``pbtools_widgets.status_line.StatusLine``s (said again in a new language)."""

from __future__ import annotations

from pbtools.html import render as html_from
from pbtools_widgets.tab import AppTab


class Tab(AppTab):
    def said(self, sentences, classes: str = "") -> str:
        return html_from("training/said.html", said=list(sentences), classes=classes)
