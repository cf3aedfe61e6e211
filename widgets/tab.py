"""What a part of an app (a tab, a console panel) shares: the app it belongs to, and its language."""

from __future__ import annotations


class AppTab:
    """Owns its widgets (made in ``build``) and draws them in the app's language (``render``)."""

    title = ""  # the tab's title (a message id)

    def __init__(self, app) -> None:
        self.app = app
        self.build()

    @property
    def _(self):
        return self.app._

    @property
    def _n(self):
        return self.app._n

    @property
    def lang(self) -> str:
        return self.app.lang

    def build(self) -> None:  # pragma: no cover - every tab defines it
        raise NotImplementedError

    def render(self) -> None:
        """Labels and contents in the current language, from the current state."""
