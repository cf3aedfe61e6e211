"""Counts per option for every ballot kind, broken down by voter attribute, and the quorum check.

``option_counts(election, by=("sex", "age_group", "village", "category"))`` -> {project id: OptionCount}, where
``votes`` = voters with the option on their ballot, ``points`` = points given (1 per approval), ``borda`` = Borda
score on rankings (first of k gets k, ``borda_length``), and ``breakdown[attribute][value]`` = votes from voters with that value
(voters without the attribute are counted under "").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable

from pbtools.budget.numbers import whole_number
from pbtools.counting import compact_tallies
from pbtools.counting.model import ORDINAL, Election


@dataclass
class OptionCount:
    votes: int = 0
    points: int = 0
    borda: int = 0
    breakdown: dict[str, dict[str, int]] = field(default_factory=dict)


def option_counts(election: Election, by: Iterable[str] = ("sex", "age_group", "village", "category")) -> dict[str, OptionCount]:
    by = tuple(by)
    compact = compact_tallies.compact_votes(election)
    if compact is not None and not by:  # read by the compiled reader: from its arrays, no Ballot made
        return _compact_counts(election, compact)
    counts = {p.id: OptionCount(breakdown={a: {} for a in by}) for p in election.projects}
    k = borda_length(election) if election.vote_type == ORDINAL else 0
    for ballot in election.ballots:
        w = ballot.weight
        points = ballot.points if ballot.points is not None else (1,) * len(ballot.choice)
        for pos, (pid, pts) in enumerate(zip(ballot.choice, points)):
            oc = counts[pid]
            oc.votes += w
            oc.points += pts * w
            if k:
                oc.borda += (k - pos) * w
            for a in by:
                value = ballot.voter.get(a, "")
                oc.breakdown[a][value] = oc.breakdown[a].get(value, 0) + w
    return counts


def borda_length(election: Election) -> int:
    """k of the Borda points (the first of a ranking gets k): the longest ranking, or the file's META ``max_length``
    when it is longer, as the count takes it (``profile.compile_election``), so that the points shown are the ones
    the rule ordered by."""
    compact = compact_tallies.compact_votes(election)
    if compact is not None:
        longest = compact_tallies.longest(compact, [p.id for p in election.projects])
    else:
        longest = max((len(b.choice) for b in election.ballots), default=0)
    return max(longest, whole_number(str(election.meta.get("max_length", "")).strip()) or 0)


def _compact_counts(election: Election, compact) -> dict[str, OptionCount]:
    ids = [p.id for p in election.projects]
    votes = compact_tallies.supporters(compact, ids)
    points = compact_tallies.points(compact, ids)
    borda = compact_tallies.borda(compact, ids, borda_length(election)) if election.vote_type == ORDINAL else [0] * len(ids)
    return {pid: OptionCount(v, p, b, {}) for pid, v, p, b in zip(ids, votes, points, borda)}


def quorum_met(election: Election, min_participants: int) -> bool:
    """Whether enough people took part (empty ballots count: they came and voted for nothing)."""
    return compact_tallies.participants(election) >= min_participants
