"""The one error a hearing's store raises for refused input (shown to the user in their language)."""

from __future__ import annotations

from pbtools.i18n import Msg


class HearingError(Exception):
    """Refused input; ``problems`` say why, in any language."""

    def __init__(self, problems: list[Msg] | Msg) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("; ".join(m.render("en") for m in self.problems))

    def render(self, lang: str) -> str:
        return "; ".join(m.render(lang) for m in self.problems)
