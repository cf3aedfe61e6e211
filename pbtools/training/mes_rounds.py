"""Equal Shares round by round, for a picture: every voter's share before each round, who paid how much for the
option bought, and what is left. A replay of the exact count with ``Fraction`` (one voter per ballot, as small halls
are), kept simple enough to read: each round, for every option its supporters can still pay for, the lowest price
ρ per unit of utility at which they can (each pays ρ·u, or all they have left when that is less); the option with
the lowest ρ is bought, ties going to the tie rule's order. ``tests/training/test_mes_rounds.py`` checks that it
buys the same options in the same order with the same payments as ``pbtools.counting`` (the real count).

Utilities: the option's cost for every supporter (score ``support``, as hearings count Equal Shares) or the points
a voter gave (``points``).
"""

from __future__ import annotations

from dataclasses import dataclass
from fractions import Fraction
from typing import Mapping

from pbtools.counting import count
from pbtools.counting.model import Election
from pbtools.counting.ties import TieRule


@dataclass(frozen=True)
class Round:
    number: int  # 1, 2, ...
    option: str  # the option bought
    cost: Fraction
    rho: Fraction  # price per unit of utility
    before: tuple[Fraction, ...]  # each voter's share before the round (voters in ``Rounds.voters`` order)
    paid: tuple[Fraction, ...]  # what each voter paid for the option (0: not a supporter, or nothing left)
    all_they_had: tuple[bool, ...]  # paid everything they had left

    @property
    def after(self) -> tuple[Fraction, ...]:
        return tuple(b - p for b, p in zip(self.before, self.paid))

    @property
    def payers(self) -> int:
        return sum(1 for p in self.paid if p > 0)


@dataclass(frozen=True)
class Rounds:
    voters: tuple[str, ...]  # voter ids, in ballot order
    share: Fraction  # each voter's share at the start (budget ÷ voters, or the completion's raised share)
    rounds: tuple[Round, ...]
    left: tuple[Fraction, ...]  # each voter's share after the last round
    even: Fraction = Fraction(0)  # budget ÷ voters: ``share`` before any raising

    @property
    def selected(self) -> tuple[str, ...]:
        return tuple(r.option for r in self.rounds)


def _price(cost: Fraction, supporters: list[tuple[int, Fraction]], budgets: list[Fraction]) -> Fraction | None:
    """The least ρ with Σ min(budget_i, ρ·u_i) = cost over ``supporters`` (voter, u_i > 0); None if they cannot pay."""
    if sum(budgets[i] for i, _ in supporters) < cost:
        return None
    order = sorted(supporters, key=lambda s: budgets[s[0]] / s[1])  # who runs out first as ρ grows
    paid_all, rest = Fraction(0), sum((u for _, u in order), Fraction(0))
    for i, u in order:
        rho = (cost - paid_all) / rest
        if rho * u <= budgets[i]:
            return rho
        paid_all += budgets[i]
        rest -= u
    return None  # unreachable: the sum covers the cost


def replay(election: Election, score: str = "support", tie_rule: TieRule = TieRule(),
           share: Fraction | None = None) -> Rounds:
    """Equal Shares on ``election``, round by round (``share``: each voter's start, default budget ÷ voters)."""
    voters: list[str] = []
    utilities: list[Mapping[str, Fraction]] = []
    costs = {p.id: Fraction(p.cost) for p in election.projects}
    for k, ballot in enumerate(election.ballots):
        points = ballot.points_for()
        u = {p: (costs[p] if score == "support" else Fraction(v)) for p, v in points.items() if p in costs}
        for copy in range(ballot.weight):
            voters.append(ballot.voter_id or str(k + 1) if ballot.weight == 1 else f"{ballot.voter_id or k + 1}.{copy + 1}")
            utilities.append({p: x for p, x in u.items() if x > 0})
    n = len(voters)
    even = Fraction(election.budget) / n if n else Fraction(0)
    start = share if share is not None else even
    budgets = [start] * n
    ids = [p.id for p in election.projects]
    support = [sum(1 for u in utilities if pid in u) for pid in ids]
    # the tie rule orders by its keys over whole costs: the same order whatever unit the costs are scaled to
    keys = tie_rule.keys(ids, [costs[pid] for pid in ids], support)
    tie_key = dict(zip(ids, keys))
    supporters = {pid: [(i, u[pid]) for i, u in enumerate(utilities) if pid in u] for pid in ids}
    left = set(pid for pid in ids if supporters[pid])
    rounds: list[Round] = []
    while True:
        best = None
        for pid in left:
            rho = _price(costs[pid], supporters[pid], budgets)
            if rho is not None and (best is None or (rho, tie_key[pid]) < (best[0], tie_key[best[1]])):
                best = (rho, pid)
        if best is None:
            break
        rho, pid = best
        paid = [Fraction(0)] * n
        everything = [False] * n
        for i, u in supporters[pid]:
            paid[i] = min(budgets[i], rho * u)
            everything[i] = paid[i] == budgets[i] and paid[i] > 0
        before = tuple(budgets)
        budgets = [b - p for b, p in zip(budgets, paid)]
        rounds.append(Round(len(rounds) + 1, pid, costs[pid], rho, before, tuple(paid), tuple(everything)))
        left.discard(pid)
    return Rounds(tuple(voters), start, tuple(rounds), tuple(budgets), even)


def add1_share(election: Election, per_voter_budget) -> Fraction:
    """The exact share the Add1 completion reached: budget ÷ voters plus a whole number of currency units (what
    ``Result.options["per_voter_budget"]`` gives, rounded to 28 digits when budget ÷ voters does not end)."""
    n = sum(b.weight for b in election.ballots)
    base = Fraction(election.budget) / n
    return base + round(Fraction(per_voter_budget) - base)


def replay_add1(election: Election, score: str = "support", tie_rule: TieRule = TieRule()) -> Rounds:
    """The rounds of Equal Shares with the Add1 completion (``mes-add1``): the count's last share, replayed."""
    result = count(election, "mes-add1", score=score, tie_rule=tie_rule)
    share = result.options.get("per_voter_budget")
    return replay(election, score, tie_rule, add1_share(election, share) if share is not None else None)
