"""An election compiled for counting: integer costs, identical ballots merged, utilities per score.

Money is scaled to integers (``scale`` = 10**decimals of the most precise cost or budget), so rules compare exact
integers and ``gmpy2.mpq`` rationals only. Scores:

* ``support``: every project on a ballot counts 1 for that voter, whatever the vote type (pabutools' Cost_Sat:
  greedy orders by supporters; MES utility = cost);
* ``points``: the points given (cumulative, scoring; 1 on approval ballots); MES utility = points;
* ``borda``: on a ranking of top-k, the first gets k points, the last possible place 1 (k = the longest ballot or
  META ``max_length``).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal
from operator import attrgetter

import numpy as np

from pbtools.budget.numbers import whole_number
from pbtools.counting.lazy import LazyList
from pbtools.counting.model import Election
from pbtools.counting.native import _mesnative, _pbnative, resolve
from pbtools.counting.pabulib.compact import I32, I64

SCORES = ("support", "points", "borda")


@dataclass
class Compiled:
    ids: list[str]
    costs: list[int]  # scaled to integers
    budget: int  # scaled
    scale: int
    n: int  # voters, empty ballots included
    groups: Sequence[tuple[int, tuple[int, ...], tuple]]  # (weight, project indices, utilities), identical ballots merged
    supporters: Sequence[list[int]]  # project -> indices of groups with a positive utility for it
    support: list[int]  # project -> number of voters with the project on their ballot
    score: list  # project -> total utility under the score (support count, points or Borda)
    score_kind: str
    members: Sequence[list[str]]  # group -> voter ids of its ballots (to say who paid)
    currency: str = "KGS"  # ISO code, for the amounts of the explanation
    # the same groups as arrays (``Arrays``) when compiled from a compact read; groups, supporters and members are
    # then made from them when first read
    arrays: "Arrays | None" = field(default=None, compare=False, repr=False)

    def member_counts(self) -> np.ndarray:
        """group -> how many voter ids it holds (without making them, when compiled from a compact read: there each
        voter counts once, so a group's weight is its number of voters)."""
        if self.arrays is not None:
            return self.arrays.weights
        return np.fromiter((len(m) for m in self.members), dtype=np.int64, count=len(self.members))

    def money(self, value) -> Decimal:
        """A scaled amount (int or rational) back in currency units (exact for integers, 28 digits beyond them)."""
        if type(value) is int:
            if self.scale == 1:  # the common case, as the division below gives it (exponent 0)
                return Decimal(value)
            num, den = value, 1
        else:
            num, den = int(getattr(value, "numerator", value)), int(getattr(value, "denominator", 1))
        # a 40-digit amount comes back whole; a context per precision, kept (entering a local one cost more than
        # the division: greedy's explanation makes three amounts a step)
        prec = 28 if -_DIGITS_26 < num < _DIGITS_26 else max(28, len(str(abs(num))) + 2)
        return _context(prec).divide(Decimal(num), Decimal(den * self.scale))


_DIGITS_26 = 10**26  # a numerator below it has at most 26 digits: the precision is 28
_CONTEXTS: dict[int, Context] = {}


def _context(prec: int) -> Context:
    """The default arithmetic context at precision ``prec``."""
    ctx = _CONTEXTS.get(prec)
    if ctx is None:
        ctx = _CONTEXTS[prec] = Context(prec=prec)
    return ctx


class Arrays:
    """A compiled election's groups as arrays (``_pbnative.compile_cells``): weights; each group's projects and
    utilities (CSR: ``g_off``, ``g_proj``, ``g_util``); each project's supporting groups and their utilities (CSR:
    ``s_off``, ``s_grp``, ``s_util``); each voter's group (``voter_group``) and its id (``voter_ids()``). Each numpy
    array is made from ``compile_cells``' bytes when first read (``buffers``: those bytes, which the compiled rules
    read as they are: a small count reads no array)."""

    def __init__(self, got, compact) -> None:
        """``got``: ``compile_cells``' arrays, or a function giving them, called when an array is first read
        (greedy reads none: it counts from the totals alone)."""
        self.compact = compact
        self._voter_group = None
        if callable(got):
            self._make = got
        else:
            self._load(got)

    def __getattr__(self, name: str):  # (only for what is not set yet)
        fields = self.__dict__
        make = fields.pop("_make", None)
        if make is not None:
            self._load(make())
            return getattr(self, name)
        view = _VIEWS.get(name)
        if view is None or "buffers" not in fields:
            raise AttributeError(name)
        fields[name] = array = np.frombuffer(fields["buffers"][view[0]], view[1])
        return array

    def _load(self, got: tuple) -> None:
        self.buffers = got
        self.raw = got[:3]  # weights, g_off, g_proj as bytes, for the compiled rules

    @property
    def voter_group(self) -> np.ndarray:
        """voter -> its group (made when first asked: greedy and Phragmén never ask)."""
        if self._voter_group is None:
            self._voter_group = self._cell_group[self.compact.cell_of]
        return self._voter_group

    def groups(self, score: str) -> list:
        weights, off = self.weights.tolist(), self.g_off.tolist()
        projects = self.g_proj.tolist()
        if score == "support":
            return [(w, tuple(projects[a:b]), (1,) * (b - a)) for w, a, b in zip(weights, off, off[1:])]
        utils = self.g_util.tolist()
        return [(w, tuple(projects[a:b]), tuple(utils[a:b])) for w, a, b in zip(weights, off, off[1:])]

    def supporters(self) -> list[list[int]]:
        off, grp = self.s_off.tolist(), self.s_grp.tolist()
        return [grp[a:b] for a, b in zip(off, off[1:])]

    def members(self) -> list[list[str]]:
        ids = self.compact.voter_ids()
        order = np.argsort(self.voter_group, kind="stable").tolist()
        bounds = np.cumsum(np.bincount(self.voter_group, minlength=len(self.weights))).tolist()
        out, a = [], 0
        for b in bounds:
            out.append([ids[i] for i in order[a:b]])
            a = b
        return out


_ID, _COST = attrgetter("id"), attrgetter("cost")

# Arrays' numpy arrays: name -> (its bytes' place in compile_cells' answer, dtype (made once: pabulib/compact.py))
_VIEWS = {"weights": (0, I64), "g_off": (1, I64), "g_proj": (2, I32), "g_util": (3, I64), "_cell_group": (4, I32),
          "s_off": (7, I64), "s_grp": (8, I32), "s_util": (9, I64)}


def decimals(value: Decimal) -> int:
    """Digits after the point, trailing zeros aside (read from the digits: normalize() would round past 28)."""
    if value.is_finite() and value:  # from the exact ratio n/d, d = 2^a·5^b: max(a, b) digits (twice as fast)
        return _decimals(value, value.as_integer_ratio())
    digits, exponent = value.as_tuple()[1:]
    if not isinstance(exponent, int):
        return 0
    while len(digits) > 1 and digits[-1] == 0 and exponent < 0:
        digits, exponent = digits[:-1], exponent + 1
    return max(0, -exponent)


def scaled(value: Decimal, scale: int) -> int:
    """value * scale as an exact integer (scale a power of ten with at least the value's decimals)."""
    if value.is_finite():  # |value|·scale rounded toward zero, as below
        n, d = value.as_integer_ratio()
        return -(-n * scale // d) if n < 0 else n * scale // d
    sign, digits, exponent = value.as_tuple()
    number = int("".join(map(str, digits)) or "0") * scale
    number = number * 10**exponent if exponent >= 0 else number // 10**-exponent
    return -number if sign else number


def _scaled_costs(budget: Decimal, costs: list[Decimal]) -> tuple[int, list[int]]:
    """The scale (10**decimals of the most precise amount) and the costs scaled by it."""
    if budget.is_finite() and budget and budget.as_integer_ratio()[1] == 1:
        whole = []  # whole amounts (most files): decimals() and scaled() would say the same (one loop: a small
        for c in costs:  # count's set-up is most of it)
            if not (c.is_finite() and c):
                break
            n, d = c.as_integer_ratio()
            if d != 1:
                break
            whole.append(n)
        else:
            return 1, whole
    ratios = [c.as_integer_ratio() if c.is_finite() and c else None for c in costs]
    scale = 10 ** max([decimals(budget)] + [_decimals(c, r) for c, r in zip(costs, ratios)])
    return scale, [scaled(c, scale) if r is None else (-(-r[0] * scale // r[1]) if r[0] < 0 else r[0] * scale // r[1]) for c, r in zip(costs, ratios)]


def _decimals(value: Decimal, ratio: tuple[int, int] | None) -> int:
    """``decimals(value)`` from the value's exact ratio when it has one (see ``decimals``)."""
    if ratio is None:
        return decimals(value)
    d = ratio[1]
    a = (d & -d).bit_length() - 1
    d >>= a
    b = 0
    while d > 1:
        d //= 5
        b += 1
    return max(a, b)


def compile_election(election: Election, score: str = "support", budget: Decimal | None = None, engine: str | None = None,
                     merge: bool = True) -> Compiled:
    """``merge=False``: from a compact read, only the totals now (all greedy reads); identical ballots are merged
    when the arrays are first read."""
    if score not in SCORES:
        raise ValueError(f"unknown score {score!r}; expected one of {', '.join(SCORES)}")
    budget = election.budget if budget is None else budget
    projects = election.projects
    ids = list(map(_ID, projects))
    index = dict(zip(ids, range(len(ids))))
    scale, costs = _scaled_costs(budget, list(map(_COST, projects)))
    compact = getattr(election.ballots, "compact", None)  # read by the compiled reader: no Ballot made yet
    native = resolve(engine) == "native"
    k = 0
    if score == "borda":
        lengths = [len(cell[0]) for cell in compact.cells] if compact is not None else [len(b.choice) for b in election.ballots]
        k = max(lengths + [whole_number(str(election.meta.get("max_length", "")).strip()) or 0])  # "abc": ignored, as tallies do
    native = native and k < 1 << 62  # a META max_length past 64 bits: Borda points summed in Python (exact)
    if native and compact is not None:
        # None: points that are fractions, or sums past 64 bits: merged below, the same (compile_cells' totals and
        # its merge say None in the same cases).
        cells = compact.cells, compact.cell_of_bytes, index, score, k, len(ids)
        got = _pbnative.compile_cells(*cells) if merge else _pbnative.compile_cells(*cells, True)
        if got is not None:
            if merge:
                arrays, totals = Arrays(got, compact), (got[5], got[6], got[10])
            else:
                def merged() -> tuple:
                    merged = _pbnative.compile_cells(*cells)
                    if merged is None:
                        raise RuntimeError("compile_cells merged no ballots where it had summed them")
                    return merged

                arrays, totals = Arrays(merged, compact), got
            support = memoryview(totals[0]).cast("q").tolist()  # int64 (native order), without an array made
            total = memoryview(totals[1]).cast("q").tolist()
            n_groups = lambda: len(arrays.weights)  # noqa: E731
            return Compiled(ids, costs, scaled(budget, scale), scale, totals[2], LazyList(lambda: arrays.groups(score), n_groups),
                            LazyList(arrays.supporters, len(ids)), support, total, score,
                            LazyList(arrays.members, n_groups), election.currency, arrays)
    if native:  # the same loop in C
        merged, voters, n = _mesnative.merge(election.ballots, index, score, k)
    else:
        merged, voters, n = _merge(election.ballots, index, score, k)
    m = len(ids)
    groups = []
    members = []
    supporters: list[list[int]] = [[] for _ in range(m)]
    support = [0] * m
    total = [0] * m
    for key, weight in merged.items():
        if score == "support":
            projects, utils = key, (1,) * len(key)
        else:
            projects = tuple(p for p, _ in key)
            utils = tuple(u for _, u in key)
        g = len(groups)
        groups.append((weight, projects, utils))
        members.append(voters[key])
        for p, u in zip(projects, utils):
            support[p] += weight
            if u > 0:
                supporters[p].append(g)
                total[p] += weight * u
    return Compiled(ids, costs, scaled(budget, scale), scale, n, groups, supporters, support, total, score, members, election.currency)


def _merge(ballots, index: dict[str, int], score: str, k: int) -> tuple[dict, dict, int]:
    """Identical ballots merged: (key -> weight, key -> voter ids, voters). The compiled core has the same loop."""
    merged: dict[tuple, int] = {}
    voters: dict[tuple, list[str]] = {}
    n = 0
    seen: dict[tuple[int, int], tuple] = {}  # (id of choice, id of points) -> key: the reader shares equal cells
    for ballot in ballots:
        n += ballot.weight
        cell = (id(ballot.choice), id(ballot.points))  # the ballots are alive: ids stay theirs
        key = seen.get(cell)
        if key is not None:
            pass
        elif score == "support":
            key = tuple(sorted(index[pid] for pid in ballot.choice))
        elif score == "points":
            pts = ballot.points if ballot.points is not None else (1,) * len(ballot.choice)
            key = tuple(sorted((index[pid], v) for pid, v in zip(ballot.choice, pts)))
        else:
            key = tuple(sorted((index[pid], k - pos) for pos, pid in enumerate(ballot.choice)))
        seen[cell] = key
        if key in merged:
            merged[key] += ballot.weight
            voters[key].append(ballot.voter_id)
        else:
            merged[key] = ballot.weight
            voters[key] = [ballot.voter_id]
    return merged, voters, n
