"""Refusals of the training tools: what was refused and why, said in the user's language (``render``)."""

from __future__ import annotations

from pbtools.i18n import Msg


class TrainingError(Exception):
    """A sandbox or simulation request that was refused; nothing was changed."""

    def __init__(self, message: Msg) -> None:
        self.message = message
        super().__init__(message.render("en"))

    def render(self, lang: str) -> str:
        return self.message.render(lang)


class SandboxError(TrainingError):
    """A sandbox that cannot be created, reset, removed or opened as asked (bad name, not a sandbox...)."""


class SimulationError(TrainingError):
    """A hall that cannot be simulated into this hearing (closed, a draft, no questions...)."""
