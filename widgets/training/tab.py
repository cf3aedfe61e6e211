"""What every tab of the Training app shares: the app (its service, language), and sentences read aloud to the room.
Its status lines are ``pbtools_widgets.status_line.StatusLine``s (said again in a new language)."""

from __future__ import annotations

from pbtools.html import render as html_from
from pbtools.i18n import N_
from pbtools.training.practice import practice_link
from pbtools_widgets.tab import AppTab

CONSOLE_LINK = N_("Type paper ballots and counts, set the costs: open this sandbox's console")


class Tab(AppTab):
    def said(self, sentences, classes: str = "") -> str:
        return html_from("training/said.html", said=list(sentences), classes=classes)

    def console_link(self, id: str) -> str:
        """The link to the open sandbox's practice console, in a new tab ("" while none is open): paper ballots,
        show-of-hands counts and agenda costs are typed there (trial s28 H1: only a second server could)."""
        sandbox = self.app.service.sandbox
        if sandbox is None:
            return ""
        return html_from("training/link.html", id=id, href=practice_link(sandbox.name, self.lang),
                         text=self._(CONSOLE_LINK), classes="pb-train-console-link", new_tab=True)
