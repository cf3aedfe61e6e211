"""The one error a report or export raises for bad input: its ``message`` renders in any language."""

from __future__ import annotations

from pbtools.i18n import Msg


class ReportError(Exception):
    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)
