"""The counting core: counts per option and budget allocation rules for hearings and Pabulib elections.

Public API (see docs/counting.md):

* model: ``Election``, ``Project``, ``Ballot`` (``pbtools.counting.model``), vote types ``VOTE_TYPES``;
* ``count(election, rule, score=..., tie_rule=..., min_votes=..., min_points=..., min_share=..., area_budgets=..., sector_caps=...)``
  -> ``Result`` (``pbtools.counting.count``); rules in ``RULES``, scores in ``SCORES``;
* ``TieRule("lexicographic")`` / ``TieRule("field", seed=N)`` (``pbtools.counting.ties``);
* ``read_pb``, ``parse_pb``, ``write_pb``, ``format_pb``, ``PabulibError`` (``pbtools.counting.pabulib``).

A hearing adapter builds an ``Election`` from its ballots: single choice -> ``choose-1``; approval "up to k",
knapsack and the "yes" answers of yes/no/abstain -> ``approval``; points / dot voting -> ``cumulative`` with
``points``; ranking top-k -> ``ordinal`` (best first); voter attributes go into ``Ballot.voter``.
"""

from pbtools.counting.count import RULES, CountError, count
from pbtools.counting.model import VOTE_TYPES, Ballot, Election, Project
from pbtools.counting.pabulib import PabulibError, format_pb, parse_pb, read_pb, write_pb
from pbtools.counting.profile import SCORES
from pbtools.counting.result import Result, Tie
from pbtools.counting.steps import Step
from pbtools.counting.ties import TieRule

__all__ = [
    "RULES", "SCORES", "VOTE_TYPES", "Ballot", "CountError", "Election", "PabulibError", "Project", "Result", "Step",
    "Tie", "TieRule", "count", "format_pb", "parse_pb", "read_pb", "write_pb",
]
