"""Method of Equal Shares, exact, with the Add1 completion computed without re-running MES at every step.

Every voter starts with an equal share t of the budget (t = B/n, empty ballots included). Each round buys the
project whose cost its supporters can cover at the lowest price ρ per unit of utility, each supporter paying
min(budget, ρ·u); ties go to the tie rule. Utility u is the cost (score ``support``: pabutools' ``Cost_Sat``, the
equalshares.net rule) or the points given (score ``points``: ``Additive_Cardinal_Sat``).

Add1 (``increment=d``) re-counts with t = B/n + k·d for k = 0, 1, 2, ... and keeps the last outcome that fits
(pabutools' ``voter_budget_increment``). The counting itself, and why steps can be skipped without changing the
outcome, is in ``mes_engine``; this module drives the steps and explains the final count (who paid what).
"""

from __future__ import annotations

from fractions import Fraction

import numpy as np
from gmpy2 import mpq

from pbtools.counting.lazy import LazyList, LazyTuple
from pbtools.counting.profile import Compiled
from pbtools.counting.result import Amount
from pbtools.counting.steps import Buy, LazyMsg
from pbtools.counting.rules import Limits, Outcome, tie_record
from pbtools.counting.rules.mes_budgets import POOR
from pbtools.counting.rules.mes_engine import Engine
from pbtools.counting.ties import TieRule
from pbtools.i18n import Msg, N_


class _Sentences(Msg):
    """Two messages read one after the other (each stays a ``Msg``, so option names can be put in)."""

    def __init__(self, first: Msg, then: Msg) -> None:
        super().__init__("{first} {then}", first=first, then=then)


BOUGHT = N_("Round {round}: {project} is bought for {cost}. Supporters who pay: {voters}, each at most {price}.")
BOUGHT_POOR = N_("Round {round}: {project} is bought for {cost}. Supporters who pay: {voters}, each at most {price}; of them, paying all they had left: {poor}.")
NOTHING_LEFT = N_("Supporters with nothing left, who pay nothing: {n}.")


def _bought(round_no: int, project: str, cost, n_all: int, price: Fraction, n_poor: int, n_empty: int, currency: str) -> Msg:
    """A ``buy`` step's message (made when first read): the price, who pays, who pays all they had, who had nothing."""
    common = {"round": round_no, "project": project, "cost": Amount(cost, currency), "voters": Amount(n_all), "price": Amount(price, currency)}
    msg = Msg(BOUGHT_POOR, poor=Amount(n_poor), **common) if n_poor else Msg(BOUGHT, **common)
    if n_empty:
        msg = _Sentences(msg, Msg(NOTHING_LEFT, n=Amount(n_empty)))
    return msg


class _Explainer:
    """The final run's explanation: the tie met at each purchase, if any, and a ``buy`` step saying who paid what.

    The Python engine calls it at each purchase (``on_buy``: the tie and the step at once). The compiled engine tells
    it the ties at once (``tie``: a result's ties say the outcome, to_json lists them) and hands it its purchases'
    steps to make when first read (``later``, each made by ``buy``): most counts are never explained (a benchmark, a
    tally without its explanation, rules compared), and the steps cost more than the count of a small file."""

    def __init__(self, engine: Engine, c: Compiled, tie: TieRule, out: Outcome) -> None:
        self.c, self.tie_rule, self.out = c, tie, out
        self.buy = _BuyStep(engine, c)  # apart: steps made later hold it, not the outcome that holds them

    def __call__(self, p: int, round_no: int, payments, poor, rho, cls, tied, highest) -> None:
        self.tie(round_no, tied)
        self.out.steps.append(self.buy(p, round_no, payments, poor, rho, cls, highest))

    def tie(self, round_no: int, tied) -> None:
        if len(tied) > 1:
            self.out.ties.append(tie_record(self.c, self.tie_rule, round_no, tied))

    def later(self, make, n: int) -> None:
        """The steps: ``n`` of them, made by ``make()`` when first read."""
        self.out.steps = LazyTuple(make, n)

    def later_ties(self, rounds) -> None:
        """The ties, made when first read from ``rounds()``: each purchase's (round, options tied) (the compiled
        engine's final Add1 run, counted then)."""
        c, tie_rule = self.c, self.tie_rule
        self.out.ties = LazyTuple(lambda: [tie_record(c, tie_rule, r, tied) for r, tied in rounds() if len(tied) > 1])


class _BuyStep:
    """A purchase's ``buy`` step: its price, how many supporters pay, pay all they had or had nothing left, and who
    paid what (made when first read)."""

    def __init__(self, engine: Engine, c: Compiled) -> None:
        self.engine, self.c = engine, c
        self._ballots = None  # voter ids per group (asked once, when a step first needs them)

    def _counts(self, p: int, groups: np.ndarray, ks: np.ndarray, poor_keys: np.ndarray, empty: np.ndarray) -> tuple[int, int, int]:
        """Voter ids of p's supporters who pay, of those with nothing left, and of those who pay all they had
        (``ks``: its supporter groups' classes; ``poor_keys``: the keys of the entries paying all they had)."""
        engine = self.engine
        keys = ks * engine.width + engine.su[p] if engine.width > 1 else ks
        if self._ballots is None:
            self._ballots = self.c.member_counts()
        weights = self._ballots[groups]
        per_key = np.bincount(keys, weights=weights)
        # those who had nothing left before this round are supporters but pay nothing: said apart
        n_empty, n_poor = int(per_key[poor_keys[empty]].sum()), int(per_key[poor_keys[~empty]].sum())
        return int(weights.sum()) - n_empty, n_empty, n_poor

    def __call__(self, p: int, round_no: int, payments, poor, rho, cls, highest) -> Buy:
        engine, c = self.engine, self.c
        ks = None  # each supporter group's class before it paid (the compiled engine's: read when payments are)
        if cls is None:  # the compiled engine: its entries (native.engine.Entries) as arrays, their weights summed
            if c.arrays is not None:  # compiled from a .pb read: one voter per unit of weight
                n_all, n_empty, n_poor = poor.weights
                n_all -= n_empty
            else:
                n_all, n_empty, n_poor = self._counts(p, engine.sg[p], poor.classes, poor.key()[poor.poor], poor.k[poor.poor] == POOR)
        else:
            groups = engine.sg[p]
            ks = cls[groups]  # a copy: later purchases move voters to other classes
            width, uindex = engine.width, engine.uindex
            pairs = [(k * width + uindex[mpq(u)] if width > 1 else k, k == POOR) for k, u in poor]
            n_all, n_empty, n_poor = self._counts(p, groups, ks, np.array([k for k, _ in pairs], dtype=np.int64), np.array([e for _, e in pairs], dtype=bool))
        price = Fraction(int(highest.numerator), int(highest.denominator) * c.scale)

        # made when first read: listing every voter id with an exact amount took three times as long as the count
        # itself on Warsaw's large ballots (Ursynów 2019: 73 ms against 29 ms), and most counts are shown without them
        def who_paid() -> list:
            by_key: dict = {}
            classes = poor.classes if ks is None else ks
            for g, k, u in zip(engine.sg[p].tolist(), classes.tolist(), engine.utilities(p)):
                by_key.setdefault((k, u), []).extend(c.members[g])
            paid = []
            for k, u, amount in payments():
                voters = by_key.get((k, u), [])
                each = Fraction(int(amount.numerator), int(amount.denominator) * c.scale)  # exact: payments add up to the cost
                paid.append({"voters": len(voters), "each": each, "all_they_had": (k, u) in poor, "voter_ids": voters})
            return paid

        cost = c.costs[p]
        msg = LazyMsg(_bought, round_no, c.ids[p], c.money(cost), n_all, price, n_poor, n_empty, c.currency)
        return Buy(c.ids[p], msg, round_no, Fraction(cost, c.scale), rho, LazyList(who_paid), price)


def mes(
    c: Compiled,
    tie: TieRule,
    *,
    increment: int | None = None,
    eligible: set[int] | None = None,
    limits: Limits | None = None,
    integral_start: bool = False,
    stop_when_exhaustive: bool = True,
    progress=None,
    counter=None,
) -> Outcome:
    """MES; with ``increment`` d, the Add1 completion (per-voter budget raised by d currency units at a time).

    Defaults match pabutools' ``voter_budget_increment``. The equalshares.net tool instead starts from the
    per-voter share rounded down to a whole unit (``integral_start``) and goes on until the next step overspends
    (``stop_when_exhaustive=False``). ``progress(per-voter budget, runs)`` is called after each Add1 run (a long
    count can say how far it is). ``counter``: the engine that counts (the compiled one, ``native.engine``); by
    default this module's.
    """
    counter = counter if counter is not None else Engine(c, tie, eligible, limits)
    out = Outcome([])
    if c.n == 0:
        out.selected = list(counter.initial)
        return out
    final_t, runs, reached = _search(counter, c, increment, integral_start, stop_when_exhaustive, progress)
    if final_t is None:
        out.selected = list(counter.initial)
    else:  # (the Add1 search knows the outcome at final_t: the compiled engine's explained run may wait until read)
        out.selected = counter.explained(final_t, _Explainer(counter.shape, c, tie, out), reached)
        out.options["per_voter_budget"] = c.money(final_t)
    out.options["runs"] = runs
    return out


def completion_budget(counter, c: Compiled, increment: int | None, integral_start: bool, stop_when_exhaustive: bool,
                      progress=None) -> tuple:
    """(the per-voter budget MES is finally counted with, the runs it took): see ``_search``."""
    return _search(counter, c, increment, integral_start, stop_when_exhaustive, progress)[:2]


def _search(counter, c: Compiled, increment: int | None, integral_start: bool, stop_when_exhaustive: bool,
            progress=None) -> tuple:
    """The per-voter budget MES is finally counted with, and how many runs it took to find it: the equal share (or
    the share rounded down, ``integral_start``) and, with the Add1 ``increment``, the last step whose outcome still
    fits the budget. ``counter`` is either engine: it ``run``s MES at a budget and says when nothing is left to buy
    (``exhaustive``). None: not even the first step fits (nothing is bought).

    What decides the answer is the first step whose outcome is over budget (the answer is the step before) or
    exhausts the budget, and the first step of the final outcome (the explanation's). A counter that can
    ``certify(ta, tb, den)`` (the compiled one: the outcome every budget in [ta/den, tb/den] surely gives, or None) lets a stretch
    of steps with one outcome go without a run: where a run reaches past the next step, the next steps are taken in
    intervals that double while they certify; one that does not is narrowed to the share its failed round guesses
    holds (``certify_hint``; halved without a guess), down to single steps, and the width that then certifies is kept
    for the next interval; a step is counted only where it does not certify. Every step is certified or counted: the
    guesses only choose the intervals. Also the outcome at that budget (as the run there selects it; None
    without ``increment``: no run was made)."""
    base = mpq(c.budget, c.n)
    if integral_start:
        base = mpq((c.budget // c.n) // c.scale * c.scale)
    if increment is None:
        return base, 0, None
    # Step k's budget is (num + k·d) / den: the search adds, compares and screens integers (a rational made per
    # step and its float cost more than a small election's certifications); a rational only for a run.
    num, den = int(base.numerator), int(base.denominator)
    d = increment * c.scale * den
    costs = c.costs
    runs, k = 0, 0
    final = None  # the step counted with at the end; None: the outcome before the first run, nothing bought
    reached = (None, None)  # (outcome, the first step that gave it): within budget
    exhausted = False  # that outcome leaves no candidate room (with stop_when_exhaustive)
    certify = getattr(counter, "certify", None)
    # after an interval that did not certify: the share of it the failed round guesses holds (mes_certify.c)
    hint = getattr(getattr(counter, "engine", None), "certify_hint", None) if certify is not None else None
    width = 0  # >= 1: the next steps are tried as one interval
    # From the step where one voter alone could pay for every project (budgets never below t - Σ costs) a run
    # buys everything and the loop ends there: steps from it on are counted, never certified, so the search
    # ends even if a certification were wrong (a test wraps a wrong one).
    uncertified = max(0, -((num - sum(costs) * den) // d))
    short = 0  # certified intervals in a row of at most 2 steps
    while True:
        tk = num + k * d
        selected = None
        narrowed = False
        if width > uncertified - k:  # (not min(): its keyword parsing cost more than the comparison, per step)
            width = uncertified - k
        while certify is not None and width >= 1:
            selected = certify(tk, tk + (width - 1) * d, den)
            if selected is not None:
                break
            narrowed = True
            share = hint() if hint is not None else None
            if share is None or width <= 2:
                width //= 2
            else:  # the guess, a little short, and at least a quarter off (a wrong guess still converges)
                width = max(1, min(int(0.97 * share * (width - 1)) + 1, 3 * width // 4))
        counted = selected is None
        if counted:
            selected, tstar = counter.run(mpq(tk, den), track=True)
            runs += 1
        if progress:
            progress(c.money(mpq(tk, den)), runs)
        if selected != reached[0]:  # the first step with this outcome: every engine counts it (see below)
            # Its cost and whether it leaves room are asked once per outcome (a certified stretch repeats the
            # outcome before: Częstochowa 2025 Północ, 85 steps, 9 outcomes).
            if sum(map(costs.__getitem__, selected)) > c.budget:
                # The outcome of the step before (skipped, certified or counted: the same decisions) is the
                # answer; its payments are those at that step's budget, as pabutools' last run would give them.
                final = k - 1 if k else None
                break
            reached = (selected, k)
            exhausted = stop_when_exhaustive and counter.exhaustive(selected)
        final = k
        if exhausted or (counted and tstar is None):
            # No later step changes anything (t* None): say the step where this outcome was first reached, not
            # the step the engine happened to stop at (engines skip differently, all count the first step of
            # each new outcome).
            final = reached[1] if counted and tstar is None else k
            break
        if counted:
            # ceil((t* - base) / step): the next step that may differ
            tn, td = int(tstar.numerator), int(tstar.denominator)
            nxt = max(k + 1, -((num * td - tn * den) // (td * d)))
            # the steps after are tried in intervals where the run reaches past the next step (not where the
            # outcome changes at nearly every step, the Warsaw files: there every interval failed, 10 % slower)
            width = 2 if nxt > k + 1 else 0
            k = nxt
        else:
            k += width
            # Where only single steps certify (an interval of two fails while each of its steps certifies: a
            # tie the interval's bounds cannot tell apart) the search would walk step by step, 10^11 steps with
            # budgets of 10^12; after 32 such intervals a run says how far the outcome holds (t*) instead
            # (Budapest 2024: 7 such runs among 2,700 certifications).
            short = short + 1 if width <= 2 else 0
            if short >= 32:
                width, short = 0, 0
                continue
            # the width that certified after a failure is kept (what makes an interval fail is mostly how far
            # its ends' bounds drift apart, not a change of outcome, and that drift changes slowly along the
            # steps: the next interval fails at about the same width), else doubled
            if not narrowed:
                width = 2 * width if width < 1 << 29 else 1 << 30
    # The outcome at the final step is the last one reached: the step before the first over budget (skipped,
    # certified or counted, the same decisions), or the step where the search stopped.
    return (None if final is None else mpq(num + final * d, den)), runs, reached[0]
