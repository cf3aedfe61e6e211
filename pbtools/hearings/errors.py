"""The errors a hearing's store raises for refused input (shown to the user in their language).

``HearingError`` is every refusal; the subclasses below are refusals a caller may want to tell apart (a phone
page answers "code used" with 409): catch them by type, never by matching the message text. Each keeps its one
``Msg`` in ``problems``, so what the user reads is the same whichever class is raised.
"""

from __future__ import annotations

from pbtools.i18n import N_, Msg


class HearingError(Exception):
    """Refused input; ``problems`` say why, in any language."""

    def __init__(self, problems: list[Msg] | Msg) -> None:
        self.problems = problems if isinstance(problems, list) else [problems]
        super().__init__("; ".join(m.render("en") for m in self.problems))

    def render(self, lang: str) -> str:
        return "; ".join(m.render(lang) for m in self.problems)


class NoSuchHearing(HearingError):
    """The workspace holds no hearing ``hearing_id``: never made, or gone from the copy of the database put in
    place (a backup restored, a sandbox reset)."""

    def __init__(self, hearing_id: str) -> None:
        self.hearing_id = hearing_id
        super().__init__(Msg(N_("There is no hearing {id}"), id=hearing_id))


class HearingGone(NoSuchHearing):
    """The hearing a screen was showing is not in the database now on disk: the screen goes back to the list."""

    def __init__(self, hearing_id: str) -> None:  # noqa: D107 - says more than NoSuchHearing
        self.hearing_id = hearing_id
        HearingError.__init__(self, Msg(N_("The hearing {id} is no longer in this workspace: the database was put back from a copy that does not hold it (a backup restored). Choose a hearing from the list again."), id=hearing_id))


class HearingClosed(HearingError):
    """The hearing is closed (its stream sealed): nothing more can be recorded, voided or changed."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("The hearing is closed; nothing can be changed")))


class PilesDisputed(HearingError):
    """Closing refused: a double-entry pile's two entries still differ (``double_entry.close_problems``: what to do,
    then each question, pile and ballot)."""


class VotingNotOpen(HearingError):
    """The hearing is still a draft: ballots and counts wait until voting is opened."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("Voting has not been opened yet")))


class AgendaFixed(HearingError):
    """Voting is open: the agenda (options, their numbers and costs) can no longer change."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("The agenda cannot change once voting is open")))


class CodeUsed(HearingError):
    """The voting code was already used for this question (by this or another process)."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("This voting code has already been used for this question")))


class AlreadyRecorded(HearingError):
    """A record with the same ledger key exists (e.g. a phone that already voted on this question)."""

    def __init__(self) -> None:
        super().__init__(Msg(N_("This was already recorded, perhaps from another screen")))


class AlreadyVoided(HearingError):
    """The record to void is voided already (perhaps by another screen a moment ago)."""

    def __init__(self, seq: int | None) -> None:
        super().__init__(Msg(N_("Record {seq} is already voided"), seq=seq))
        self.seq = seq
