"""A part of the console: owns its widgets, reads the app's current hearing, reports results in the app's language."""

from __future__ import annotations

import ipywidgets as w

from pbtools_widgets.base import block


class Panel:
    title = ""  # the tab's title (a message id)

    def __init__(self, app) -> None:
        self.app = app
        self.message = w.HTML()
        self.box = w.VBox()
        self.build()

    @property
    def _(self):
        return self.app._

    @property
    def _n(self):
        return self.app._n

    @property
    def store(self):
        return self.app.store

    @property
    def state(self):
        return self.app.state

    def build(self) -> None:  # pragma: no cover - every panel defines it
        raise NotImplementedError

    def render(self) -> None:
        """Labels and contents in the current language, from the current state."""

    def ok(self, text: str) -> None:
        self.message.value = block(text, cls="pb-ok")

    def fail(self, error) -> None:
        """Show a refused action: a HearingError's problems in the user's language, one per line."""
        problems = getattr(error, "problems", None)
        lines = [p.render(self.app.lang) for p in problems] if problems else [str(error)]
        self.message.value = block(cls="pb-error", items=lines, list_cls="pb-problems")
