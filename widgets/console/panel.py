"""A part of the console: owns its widgets, reads the app's current hearing, reports results in the app's language."""

from __future__ import annotations

import ipywidgets as w

from pbtools_widgets.base import block
from pbtools_widgets.tab import AppTab


class Panel(AppTab):
    def __init__(self, app) -> None:
        self.message = w.HTML()
        self.box = w.VBox()
        super().__init__(app)

    @property
    def store(self):
        return self.app.store

    @property
    def state(self):
        return self.app.state

    def ok(self, text: str) -> None:
        self.message.value = block(text, cls="pb-ok")

    def fail(self, error) -> None:
        """Show a refused action: a HearingError's problems in the user's language, one per line."""
        problems = getattr(error, "problems", None)
        lines = ([p.render(self.app.lang) for p in problems] if problems else
                 [error.render(self.app.lang)] if hasattr(error, "render") else [str(error)])
        self.message.value = block(cls="pb-error", items=lines, list_cls="pb-problems")
