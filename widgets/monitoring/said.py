"""A panel's message line, and the refusal of a write without a name."""

from __future__ import annotations

from typing import Callable

import ipywidgets as w

from pbtools.html import render as html_from
from pbtools.i18n import N_, Msg


class NoName(Exception):
    """A write without a name in "Your name": the history must say who."""

    message = Msg(N_("Write your name in «Your name» first: every change records who made it."))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


class Said:
    """A message line that keeps what it said, so that a language switch says it again in the new language."""

    def __init__(self, app) -> None:
        self.app = app
        self.html = w.HTML()
        self._last: tuple[str, Callable[[str], str]] | None = None
        self.refusal = None  # the last refusal said (None after a success)

    def ok(self, say: Callable[[str], str]) -> None:
        self._last, self.refusal = ("pb-ok", say), None
        self.render()

    def fail(self, refusal) -> None:
        self._last, self.refusal = ("pb-error", refusal.render), refusal
        self.render()

    def clear(self) -> None:
        self._last = self.refusal = None
        self.html.value = ""

    def render(self) -> None:
        if self._last is not None:
            kind, say = self._last
            self.html.value = html_from("status.html", kind=kind, text=say(self.app.lang), problems=[])
