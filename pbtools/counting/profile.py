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

from dataclasses import dataclass
from decimal import Decimal, localcontext

from pbtools.counting.model import Election
from pbtools.counting.native import _mesnative, resolve

SCORES = ("support", "points", "borda")


@dataclass
class Compiled:
    ids: list[str]
    costs: list[int]  # scaled to integers
    budget: int  # scaled
    scale: int
    n: int  # voters, empty ballots included
    groups: list[tuple[int, tuple[int, ...], tuple]]  # (weight, project indices, utilities), identical ballots merged
    supporters: list[list[int]]  # project -> indices of groups with a positive utility for it
    support: list[int]  # project -> number of voters with the project on their ballot
    score: list  # project -> total utility under the score (support count, points or Borda)
    score_kind: str
    members: list[list[str]]  # group -> voter ids of its ballots (to say who paid)
    currency: str = "KGS"  # ISO code, for the amounts of the explanation

    def money(self, value) -> Decimal:
        """A scaled amount (int or rational) back in currency units (exact for integers, 28 digits beyond them)."""
        num, den = int(getattr(value, "numerator", value)), int(getattr(value, "denominator", 1))
        with localcontext() as ctx:
            ctx.prec = max(28, len(str(abs(num))) + 2)  # a 40-digit amount comes back whole
            return Decimal(num) / Decimal(den * self.scale)


def decimals(value: Decimal) -> int:
    """Digits after the point, trailing zeros aside (read from the digits: normalize() would round past 28)."""
    digits, exponent = value.as_tuple()[1:]
    if not isinstance(exponent, int):
        return 0
    while len(digits) > 1 and digits[-1] == 0 and exponent < 0:
        digits, exponent = digits[:-1], exponent + 1
    return max(0, -exponent)


def scaled(value: Decimal, scale: int) -> int:
    """value * scale as an exact integer (scale a power of ten with at least the value's decimals)."""
    sign, digits, exponent = value.as_tuple()
    number = int("".join(map(str, digits)) or "0") * scale
    number = number * 10**exponent if exponent >= 0 else number // 10**-exponent
    return -number if sign else number


def compile_election(election: Election, score: str = "support", budget: Decimal | None = None, engine: str | None = None) -> Compiled:
    if score not in SCORES:
        raise ValueError(f"unknown score {score!r}; expected one of {', '.join(SCORES)}")
    budget = election.budget if budget is None else budget
    ids = [p.id for p in election.projects]
    index = {pid: i for i, pid in enumerate(ids)}
    scale = 10 ** max([decimals(budget)] + [decimals(p.cost) for p in election.projects])
    costs = [scaled(p.cost, scale) for p in election.projects]
    k = 0
    if score == "borda":
        k = max([len(b.choice) for b in election.ballots] + [int(election.meta.get("max_length", 0) or 0)])
    if resolve(engine) == "native":  # the same loop in C
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
