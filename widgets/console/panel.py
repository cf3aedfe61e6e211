"""A part of the console: owns its widgets, reads the app's current hearing, reports results in the app's language."""

from __future__ import annotations

import ipywidgets as w

from pbtools_widgets.status_line import StatusLine, Told
from pbtools_widgets.tab import AppTab


class Panel(AppTab):
    def __init__(self, app) -> None:
        self.message = StatusLine(app)  # the panel's message line, as every app's: said again in a new language
        self.box = w.VBox()
        super().__init__(app)

    @property
    def store(self):
        return self.app.store

    @property
    def state(self):
        return self.app.state

    def ok(self, message) -> None:
        """What was done: a ``Told`` (or a function of the language), said again when the language changes."""
        self.message.ok(message)

    def fail(self, error) -> None:
        """Show a refused action: a HearingError's problems in the user's language, one per line."""
        self.message.fail(error)

    def refuse(self, msgid: str) -> None:
        """A refusal of the screen's own (a box left unticked): nothing was tried."""
        self.message.error(Told(msgid))
