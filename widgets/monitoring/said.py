"""The refusal of a write without a name (a panel's message line is ``pbtools_widgets.status_line.StatusLine``)."""

from __future__ import annotations

from pbtools.i18n import N_, Msg


class NoName(Exception):
    """A write without a name in "Your name": the history must say who."""

    message = Msg(N_("Write your name in «Your name» first: every change records who made it."))

    def render(self, lang: str) -> str:
        return self.message.render(lang)
