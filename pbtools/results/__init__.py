"""Results of a hearing: the bridge from its ledger state to the counting core, and the figures the board shows.

Pure functions over a ``HearingState`` (nothing here reads the database):

- ``election.election_for(state, question_id, hands=False) -> Election``: the question's options and ballots.
- ``count.count_question(state, question_id, rule=None, score=None, tie_rule=None) -> Result``: counted by the
  question's rule (or another); notes about the count in ``result.options["notes"]``.
- ``count.compare_rules(state, question_id) -> Comparison``: greedy, MES and Phragmén side by side, with why
  they differ.
- ``groups.participation(state) -> Participation``; ``groups.breakdown(state, question_id, by) -> [GroupTally]``.
- ``board.snapshot(state, question_id, ...) -> Board``: what the projector shows, computed once per change.
"""

from pbtools.results.count import Comparison, Difference, compare_rules, count_question
from pbtools.results.election import ResultsError, election_for
from pbtools.results.groups import GroupTally, Participation, breakdown, participation

__all__ = [
    "Comparison", "Difference", "GroupTally", "Participation", "ResultsError", "breakdown", "compare_rules",
    "count_question", "election_for", "participation",
]
