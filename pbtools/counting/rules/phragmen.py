"""Sequential Phragmén (approval; on other ballots every project on a ballot counts as approved), exact.

Each round gives the next project to the voters whose maximal load after paying for it together would be lowest:
new load = (sum of its approvers' loads + cost) / number of approvers. Like pabutools' ``sequential_phragmen``:
projects costing more than the budget never compete; counting stops when one of the lowest-load projects does not
fit in what is left (no skipping); projects nobody approves come last. A project whose sector cap would be exceeded
is set aside (pabutools has no caps). Voters are grouped by load class, so a round costs the size of one project's
supporters, not the whole electorate.
"""

from __future__ import annotations

from itertools import chain

import numpy as np
from gmpy2 import mpq

from pbtools.counting.native import _rulesnative
from pbtools.counting.profile import Compiled
from pbtools.counting.result import Amount
from pbtools.counting.steps import LazyMsg, Select, Stop
from pbtools.counting.rules import Limits, Outcome, tie_record
from pbtools.counting.ties import TieRule
from pbtools.i18n import Msg, N_


def phragmen(c: Compiled, tie: TieRule, *, eligible: set[int] | None = None, limits: Limits | None = None,
             engine: str = "python") -> Outcome:
    """``engine="native"``: the rounds counted in C (``_rulesnative.phragmen``, GMP rationals) unless there are
    sector caps; the explanation is made here from the rounds either way, so it is the same."""
    ranks = tie.ranks(c.ids, c.costs, c.support)
    alive = [p for p in range(len(c.ids)) if c.costs[p] <= c.budget and (eligible is None or p in eligible)]
    if engine == "native" and not limits and _rulesnative is not None:
        weights, g_off, g_proj = group_arrays(c)
        rounds, stopped = _rulesnative.phragmen(weights, g_off, g_proj, c.support, c.costs, c.budget, alive, ranks)
        rounds = [(p, tied, None if low is None else mpq(low)) for p, tied, low in rounds]
    else:
        rounds, stopped = _decide(c, ranks, set(alive), limits)
    return _explain(c, tie, rounds, stopped)


def group_arrays(c: Compiled) -> tuple[bytes, bytes, bytes]:
    """Each group's weight and projects as the compiled rules take them (int64, int64 offsets, int32 projects)."""
    if c.arrays is not None:
        return c.arrays.raw
    lengths = np.fromiter((len(ps) for _, ps, _ in c.groups), dtype=np.int64, count=len(c.groups))
    off = np.zeros(len(lengths) + 1, dtype=np.int64)
    np.cumsum(lengths, out=off[1:])
    projects = np.fromiter(chain.from_iterable(ps for _, ps, _ in c.groups), dtype=np.int32, count=int(off[-1]))
    weights = np.fromiter((w for w, _, _ in c.groups), dtype=np.int64, count=len(c.groups))
    return weights.tobytes(), off.tobytes(), projects.tobytes()


def _decide(c: Compiled, ranks: list[int], alive: set[int], limits: Limits | None) -> tuple[list, int | None]:
    """The Python engine: the rounds [(project, tied in tie order, new load or None)] and the project that stopped
    the count (None: every project was taken or set aside)."""
    m = len(c.ids)
    entries = [[p for p in projects if p in alive] for _, projects, _ in c.groups]
    supp: list[list[int]] = [[] for _ in range(m)]
    for g, entry in enumerate(entries):
        for p in entry:
            supp[p].append(g)
    weights = [g[0] for g in c.groups]
    loads = [mpq(0)]  # load classes; every voter starts in class 0
    cls = [0] * len(c.groups)
    pw = {p: {0: c.support[p]} if c.support[p] else {} for p in alive}
    rounds = []
    spent: dict[str, int] = {}
    total = 0
    new_load: dict[int, object] = {}
    dirty = set(alive)
    while alive:
        for p in dirty & alive:
            if c.support[p]:
                new_load[p] = (sum(w * loads[k] for k, w in pw[p].items()) + c.costs[p]) / c.support[p]
            else:
                new_load[p] = None  # infinite
        dirty.clear()
        finite = [p for p in alive if new_load[p] is not None]
        if finite:
            low = min(new_load[p] for p in finite)
            tied = sorted((p for p in finite if new_load[p] == low), key=ranks.__getitem__)
        else:
            low, tied = None, sorted(alive, key=ranks.__getitem__)
        if any(c.costs[p] > c.budget - total for p in tied):
            return rounds, next(p for p in tied if c.costs[p] > c.budget - total)
        if limits and not limits.allows(tied[0], c.costs[tied[0]], spent):
            alive.discard(tied[0])  # its sector is full
            continue
        best = tied[0]
        alive.discard(best)
        rounds.append((best, tuple(tied), low))
        total += c.costs[best]
        if limits:
            limits.spend(best, c.costs[best], spent)
        if low is None:
            continue
        loads.append(low)
        nk = len(loads) - 1
        for g in supp[best]:
            old, w = cls[g], weights[g]
            cls[g] = nk
            for q in entries[g]:
                if q in alive:
                    d = pw[q]
                    left = d[old] - w
                    if left:
                        d[old] = left
                    else:
                        del d[old]
                    d[nk] = d.get(nk, 0) + w
                    dirty.add(q)
    return rounds, None


SELECTED = N_("Round {round}: {project} ({voters} votes) is selected for {cost}; its voters now carry at most {load} each.")
STOPS = N_("{project} costs {cost}, only {left} is left: counting stops here.")


def _selected(round_no: int, project: str, voters: int, cost, load, currency: str) -> Msg:
    return Msg(SELECTED, round=round_no, project=project, voters=voters, cost=Amount(cost, currency), load=Amount(load, currency))


def _stops(project: str, cost, left, currency: str) -> Msg:
    return Msg(STOPS, project=project, cost=Amount(cost, currency), left=Amount(left, currency))


def _explain(c: Compiled, tie: TieRule, rounds: list, stopped: int | None) -> Outcome:
    """The steps and ties of a Phragmén count from its rounds (both engines); each message made when first read."""
    out = Outcome([])
    out_selected = out.selected
    total = 0
    money, currency = c.money, c.currency
    zero = money(0)
    for best, tied, low in rounds:
        if len(tied) > 1:
            out.ties.append(tie_record(c, tie, len(out_selected) + 1, list(tied)))
        out_selected.append(best)
        total += c.costs[best]
        n = len(out_selected)
        cost, load = money(c.costs[best]), None if low is None else money(low)
        msg = LazyMsg(_selected, n, c.ids[best], c.support[best], cost, zero if load is None else load, currency)
        out.steps.append(Select(c.ids[best], msg, n, cost, c.support[best], load))
    if stopped is not None:
        p = stopped
        cost, left = money(c.costs[p]), money(c.budget - total)
        out.steps.append(Stop(c.ids[p], LazyMsg(_stops, c.ids[p], cost, left, currency), cost=cost, left=left))
    return out
