"""Ballots against registrations: more ballots for a question than people registered means ballots were typed
twice, or people voted without registering. One pure function, used by the console, the results board and the
protocol, so all three warn alike.

    t = turnout(state, "q1")
    if t.warning is not None: show(t.warning.render(lang))
"""

from __future__ import annotations

from dataclasses import dataclass

from pbtools.hearings.fold import HearingState
from pbtools.i18n import N_, Msg

PHONE_CHANNELS = ("code", "phone")


@dataclass(frozen=True)
class Turnout:
    question: str
    paper: int  # counted paper ballots (entry 1 of double entry)
    phone: int  # ballots sent from phones (with or without a code)
    invalid: int  # spoiled and blank paper ballots
    registered: int  # participants registered at the door (voided registrations left out)

    @property
    def ballots(self) -> int:
        return self.paper + self.phone + self.invalid

    @property
    def excess(self) -> int:
        """Ballots beyond the number registered; 0 when there are no registrations to compare with."""
        return max(0, self.ballots - self.registered) if self.registered else 0

    @property
    def warning(self) -> Msg | None:
        if not self.excess:
            return None
        return Msg(N_("Warning: {ballots} ballots for this question (paper {paper}, phone {phone}, invalid {invalid}), "
                      "more than the participants registered ({registered}) by {excess}. Check for ballots typed "
                      "twice and for people who voted without registering."),
                   ballots=self.ballots, paper=self.paper, phone=self.phone, invalid=self.invalid,
                   registered=self.registered, excess=self.excess)


def turnout(state: HearingState, question_id: str) -> Turnout:
    """The ballots of ``question_id`` by channel, and the registrations they are compared with."""
    casts = state.ballots_for(question_id)
    phone = sum(1 for c in casts if c.channel in PHONE_CHANNELS)
    return Turnout(question_id, len(casts) - phone, phone, len(state.invalid_for(question_id)), state.counters.total)
