"""One number per option: the votes (points, answers) a question's own count takes, the same on the board, the
charts, the protocol, the exports and ``pbtools verify``.

Show-of-hands figures are votes only where the count can take them (``hands_counted_by``): a motion's answers and
greedy, where each raised hand is one vote for that option. Equal Shares and Phragmén need each voter's whole
ballot, so a show of hands is refused for their questions before anything is stored; figures already in an older
ledger are listed apart (as "not counted") and never added.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from pbtools.hearings.fold import HearingState
from pbtools.hearings.hand_counts import hands_counted_by
from pbtools.hearings.tally import tally_ballots, tally_counts
from pbtools.results.election import question_of


@dataclass(frozen=True)
class OptionVotes:
    ballots: dict[str, int]  # option id (or yes/no/abstain) -> votes or points from ballots
    hands: dict[str, int] = field(default_factory=dict)  # show-of-hands figures entered, over every group
    hands_counted: bool = True  # the figures are votes of this question's count

    @property
    def total(self) -> dict[str, int]:
        """The one number per option: ballots, plus the hands where the count takes them."""
        if not self.hands_counted or not self.hands:
            return dict(self.ballots)
        total = Counter(self.ballots)
        total.update(self.hands)
        return {k: total[k] for k in dict.fromkeys([*self.ballots, *self.hands])}


def option_votes(state: HearingState, question_id: str) -> OptionVotes:
    question = question_of(state, question_id)
    ballots = tally_ballots(question, state.ballots_for(question_id))
    counts = state.counts_for(question_id)
    hands = tally_counts(question, counts)["total"] if counts else {}
    return OptionVotes(ballots, hands, hands_counted_by(question))
