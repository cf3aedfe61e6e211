"""Refusals of a needs assessment: ``NeedsError`` with its problems as ``Msg`` (said in the user's language).

A ``HearingError`` subclass, so the screens' one refusal handler (``hearing_action``) shows it too; ``LooksLike``
is a new problem refused because an existing one looks the same (``suggestions`` name them)."""

from __future__ import annotations

from pbtools.hearings.errors import HearingError


class NeedsError(HearingError):
    """Refused input of a needs assessment; nothing was stored."""


class LooksLike(NeedsError):
    """A new problem looks like existing ones (``suggestions``: their ids, the closest first)."""

    def __init__(self, problems, suggestions: list[str]) -> None:
        super().__init__(problems)
        self.suggestions = suggestions


class Replaced(NeedsError):
    """A write typed on a screen that showed records replaced since (a sandbox reset, a backup put back): nothing
    was written; the screen shows the records as they are now."""
