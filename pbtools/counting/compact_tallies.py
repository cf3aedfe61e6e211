"""Tallies of an election read by the compiled reader, from its arrays (``CompactVotes``) without a Ballot per voter.

The compiled reader keeps VOTES as distinct vote cells (choice, points) and distinct voter mappings, with per voter
the index of each (``cell_of``, ``voter_of``). Every tally the screens need is a sum over the voters, so it is a sum
over the distinct cells weighted by how many voters cast each: done here with numpy over the cells' items, in exact
integers. ``compact_votes(election)`` is None for any other election (a hearing's, the Python reader's): the callers
then walk ``election.ballots`` as before, with the same results.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from itertools import chain
from typing import Sequence

import numpy as np

from pbtools.counting.model import Election


def compact_votes(election: Election):
    """The election's ``CompactVotes`` when the compiled reader read it (every ballot of weight 1); else None."""
    return getattr(election.ballots, "compact", None)


def participants(election: Election) -> int:
    """``election.participants`` without making the ballots of a compact read (each of its voters weighs 1)."""
    compact = compact_votes(election)
    return compact.n if compact is not None else election.participants


@dataclass(frozen=True)
class Items:
    """The distinct cells' items flattened: item i is project ``project[i]`` at place ``place[i]`` of cell
    ``cell[i]``; cell c's items start at ``start[c]`` and are ``length[c]``; ``cast[c]`` is how many voters cast it."""

    ids: tuple[str, ...]  # project index -> id
    project: np.ndarray
    place: np.ndarray
    cell: np.ndarray
    cast: np.ndarray
    start: np.ndarray
    length: np.ndarray
    longest: int  # the longest choice (k of the Borda points)


_items: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()  # CompactVotes -> Items (made once per read)


def items(compact, project_ids: Sequence[str]) -> Items:
    ids = tuple(project_ids)
    made = _items.get(compact)
    if made is not None and made.ids == ids:
        return made
    index = {pid: i for i, pid in enumerate(ids)}
    choices = [cell[0] for cell in compact.cells]
    lengths = np.fromiter(map(len, choices), dtype=np.int64, count=len(choices))
    total = int(lengths.sum())
    project = np.fromiter(map(index.__getitem__, chain.from_iterable(choices)), dtype=np.int64, count=total)
    cell = np.repeat(np.arange(len(choices), dtype=np.int64), lengths)
    starts = np.cumsum(lengths) - lengths
    place = np.arange(total, dtype=np.int64) - np.repeat(starts, lengths)
    cast = np.bincount(compact.cell_of, minlength=len(choices)).astype(np.int64)
    made = Items(ids, project, place, cell, cast, starts, lengths, int(lengths.max()) if len(choices) else 0)
    _items[compact] = made
    return made


def _sums(at: np.ndarray, weights: np.ndarray, size: int) -> np.ndarray:
    """Exact integer sums of ``weights`` per index ``at`` (int64: the weights are counts of voters, far from 2**63)."""
    out = np.zeros(size, dtype=np.int64)
    np.add.at(out, at, weights)
    return out


def supporters(compact, project_ids: Sequence[str]) -> list[int]:
    """Per project (in ``project_ids`` order): the voters with it on their ballot."""
    it = items(compact, project_ids)
    return _sums(it.project, it.cast[it.cell], len(it.ids)).tolist()


def longest(compact, project_ids: Sequence[str]) -> int:
    """The longest choice on any ballot."""
    return items(compact, project_ids).longest


def borda(compact, project_ids: Sequence[str], k: int) -> list[int]:
    """Per project: its Borda points over the rankings (first of k gets k; k at least the longest ranking)."""
    it = items(compact, project_ids)
    if k < 2**62 and k * compact.n < 2**62:  # every partial sum fits in int64 (and k itself: no voters at all)
        return _sums(it.project, it.cast[it.cell] * (k - it.place), len(it.ids)).tolist()
    out = [0] * len(it.ids)  # a META max_length past 10**13: exact in Python, over the distinct cells
    for p, place, n in zip(it.project.tolist(), it.place.tolist(), it.cast[it.cell].tolist()):
        out[p] += (k - place) * n
    return out


def points(compact, project_ids: Sequence[str]) -> list:
    """Per project: the points given (exact: points may be any size, or fractions), 1 per approval."""
    if all(cell[1] is None for cell in compact.cells):
        return supporters(compact, project_ids)
    index = {pid: i for i, pid in enumerate(project_ids)}
    out = [0] * len(index)
    for (choice, given), n in zip(compact.cells, items(compact, project_ids).cast.tolist()):
        for pid, pts in zip(choice, given if given is not None else (1,) * len(choice)):
            out[index[pid]] += pts * n
    return out


def supported(compact) -> set[str]:
    """The projects on at least one ballot (every distinct cell is some voter's)."""
    return set(chain.from_iterable(cell[0] for cell in compact.cells))


def by_group(compact, project_ids: Sequence[str], group_of_voter: Sequence[int], groups: int) -> tuple[list[int], list[list[int]]]:
    """Voters per group, and per group the voters with each project on their ballot. ``group_of_voter[v]``: the
    group of distinct voter mapping v (``compact.voters[v]``), in 0..groups-1. The sums walk the distinct (group,
    cell) pairs (at most one per voter); the table returned is groups x projects (the app asks for 30 groups at most)."""
    it = items(compact, project_ids)
    group = np.asarray(group_of_voter, dtype=np.int64)[compact.voter_of]  # per voter
    voters = np.bincount(group, minlength=groups).tolist()
    # the distinct (group, cell) pairs and how many voters cast each: at most one per voter, however many groups
    n_cells, n_projects = max(len(it.cast), 1), len(it.ids)
    pairs, cast = np.unique(group * n_cells + compact.cell_of, return_counts=True)
    pair_group, pair_cell = np.divmod(pairs, n_cells)
    length = it.length[pair_cell]
    of_pair = np.repeat(np.arange(len(pairs)), length)  # each pair's items, in turn
    place = np.arange(len(of_pair)) - np.repeat(np.cumsum(length) - length, length)
    project = it.project[it.start[pair_cell][of_pair] + place]
    sums = _sums(pair_group[of_pair] * n_projects + project, cast[of_pair].astype(np.int64), groups * n_projects)
    return voters, sums.reshape(groups, n_projects).tolist()
