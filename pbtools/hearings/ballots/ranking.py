"""Ranking: the top k options (``question.max_choices``) in order, ranks 1, 2, ... with no repeat and no gap."""

from __future__ import annotations

from collections import defaultdict
from typing import Mapping

from pbtools.hearings.ballots.common import check_not_empty, check_options, option_ref
from pbtools.hearings.model import Ballot, Option, Question
from pbtools.i18n import N_, Msg


def validate(question: Question, options: Mapping[str, Option], ballot: Ballot, budget=None) -> list[Msg]:
    problems = check_options(question, options, ballot) + check_not_empty(ballot)
    k = question.max_choices
    if len(ballot.marks) > k:
        problems.append(Msg(N_("Too many ranked: {n}, at most {k}"), n=len(ballot.marks), k=k))
    by_rank: dict[int, list[str]] = defaultdict(list)
    for option_id, rank in ballot.marks:
        if not 1 <= rank <= k:
            problems.append(Msg(N_("Option {option}: rank {rank} is outside 1–{k}"), option=option_ref(option_id, options), rank=rank, k=k))
        else:
            by_rank[rank].append(option_ref(option_id, options))
    for rank in sorted(by_rank):
        if len(by_rank[rank]) > 1:
            problems.append(Msg(N_("Rank {rank} is given to more than one option: {options}"), rank=rank, options=", ".join(by_rank[rank])))
    if by_rank:
        missing = [r for r in range(1, max(by_rank) + 1) if r not in by_rank]
        if missing:
            problems.append(Msg(N_("Rank {rank} is missing"), rank=", ".join(map(str, missing))))
    return problems
