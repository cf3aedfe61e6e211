"""Method of Equal Shares, exact, with the Add1 completion computed without re-running MES at every step.

Every voter starts with an equal share t of the budget (t = B/n, empty ballots included). Each round buys the
project whose cost its supporters can cover at the lowest price ρ per unit of utility, each supporter paying
min(budget, ρ·u); ties go to the tie rule. Utility u is the cost (score ``support``: pabutools' ``Cost_Sat``, the
equalshares.net rule) or the points given (score ``points``: ``Additive_Cardinal_Sat``).

Add1 (``increment=d``) re-counts with t = B/n + k·d for k = 0, 1, 2, ... and keeps the last outcome that fits
(pabutools' ``voter_budget_increment``). Why it is fast and still identical: voters are grouped by budget class
(all voters of a class hold the same amount), and each class budget, each price ρ and each comparison the run
makes is an affine function of t. A run at t0 therefore also yields t* = the smallest t > t0 at which any of
those comparisons (affordable or not, who pays all they have, which ρ is lowest) could change. For every t in
[t0, t*) the run takes the same decisions and returns the same outcome, so the steps k with t < t* are skipped.
The comparison tests check this against pabutools on real and generated elections.
"""

from __future__ import annotations

from fractions import Fraction

from gmpy2 import mpq

from pbtools.counting.profile import Compiled
from pbtools.counting.result import Amount, Step
from pbtools.counting.rules import Limits, Outcome, money, tie_record
from pbtools.counting.ties import TieRule
from pbtools.i18n import Msg, N_

ZERO = mpq(0)


class _Mes:
    def __init__(self, c: Compiled, tie: TieRule, eligible: set[int] | None, limits: Limits | None) -> None:
        self.c, self.tie, self.limits = c, tie, limits
        self.ranks = tie.ranks(c.ids, c.costs, c.support)
        m = len(c.ids)
        ok = [eligible is None or p in eligible for p in range(m)]
        self.initial = [p for p in range(m) if ok[p] and c.costs[p] == 0 and c.score[p] > 0 and c.score_kind != "support"]
        self.candidates = [p for p in range(m) if ok[p] and c.costs[p] > 0 and c.score[p] > 0]
        cand = set(self.candidates)
        cost_util = c.score_kind == "support"
        # group -> [(project, utility)] over candidates; project -> [(group, utility)]
        self.entries = [[(p, c.costs[p] if cost_util else mpq(u)) for p, u in zip(projects, utils) if p in cand and u > 0] for _, projects, utils in c.groups]
        self.supp: list[list] = [[] for _ in range(m)]
        for g, entry in enumerate(self.entries):
            for p, u in entry:
                self.supp[p].append((g, u))

    def exhaustive(self, selected: list[int]) -> bool:
        """No MES candidate left that fits in what the outcome leaves of the real budget (pabutools' test)."""
        left = self.c.budget - sum(self.c.costs[p] for p in selected)
        chosen = set(selected)
        return not any(p not in chosen and self.c.costs[p] <= left for p in self.candidates)

    def run(self, t0, track: bool = False, explain: Outcome | None = None, history: list | None = None):
        """One MES count with start budget t0 per voter; returns (selected, t*) (t* is None: no change ahead).

        ``history`` (Add1): a list of [state at the start of each round, t where that round's decisions may
        change] left by the previous call; rounds still valid at t0 are not counted again, and the list is updated.
        """
        c, ranks, costs = self.c, self.ranks, self.c.costs
        weights = [g[0] for g in c.groups]
        restored = None
        if history:
            j = next((i for i, (_, b) in enumerate(history) if b is not None and b <= t0), len(history) - 1)
            restored = history[j][0]
            del history[j:]
        if restored is None:
            cv, cs = [mpq(t0), ZERO], [mpq(1), ZERO]  # class values at t0 and slopes in t; class 1 holds nothing
            cls = [0] * len(c.groups)
            pw: dict[int, dict] = {p: {} for p in self.candidates}
            for p in self.candidates:
                d = pw[p]
                for g, u in self.supp[p]:
                    d[(0, u)] = d.get((0, u), 0) + weights[g]
            alive = set(self.candidates)
            selected = list(self.initial)
            spent: dict[str, int] = {}
        else:
            t_then, cv, cs, cls, pw, alive, selected, spent = restored
            shift = t0 - t_then
            cv = [v + s * shift for v, s in zip(cv, cs)]
            cls, alive, selected, spent = list(cls), set(alive), list(selected), dict(spent)
            pw = {p: dict(d) for p, d in pw.items()}
        dirty = set(alive)
        cache: dict[int, tuple] = {}

        def bound(v, s):  # the condition v + s·(t - t0) >= 0 holds up to t0 + v/(-s)
            if s < 0:
                x = t0 + v / (-s)
                b = history[-1][1]
                if b is None or x < b:
                    history[-1][1] = x

        if track and history is None:
            history = []
        while alive:
            if track:
                history.append([(t0, list(cv), list(cs), list(cls), {p: dict(pw[p]) for p in alive}, set(alive), list(selected), dict(spent)), None])
            for p in dirty & alive:
                cost, keys = costs[p], pw[p]
                tv = sum(w * cv[k] for (k, _), w in keys.items())
                if tv < cost:
                    alive.discard(p)
                    if track:
                        bound(cost - tv, -sum(w * cs[k] for (k, _), w in keys.items()))
                    continue
                order = sorted(keys.items(), key=lambda kw: cv[kw[0][0]] / kw[0][1])
                r_v, r_s, big_u = mpq(cost), ZERO, sum(w * u for (_, u), w in order)
                poor = set()
                for (k, u), w in order:
                    if cv[k] * big_u < r_v * u:
                        poor.add((k, u))
                        r_v -= w * cv[k]
                        r_s -= w * cs[k]
                        big_u -= w * u
                    else:
                        break
                # With the poor set frozen, this affine ρ is a lower bound of the true ρ at every t (the payment
                # function is concave), and exact while the poor set stays the same: only the project bought
                # needs its poor set checked (below); the others only need to stay above the price bought.
                cache[p] = (r_v / big_u, r_s / big_u, poor, tv)
            dirty.clear()
            best = None
            while alive:
                best = min(alive, key=lambda p: (cache[p][0], ranks[p]))
                if self.limits and not self.limits.allows(best, costs[best], spent):
                    alive.discard(best)  # its sector is full: spending only grows, so for good
                    best = None
                    continue
                break
            if best is None:
                break
            rho_v, rho_s, poor, tv = cache[best]
            if track:
                keys = pw[best]
                bound(tv - costs[best], sum(w * cs[k] for (k, _), w in keys.items()))
                for (k, u) in keys:
                    if (k, u) in poor:
                        bound(rho_v * u - cv[k], rho_s * u - cs[k])
                    else:
                        bound(cv[k] - rho_v * u, cs[k] - rho_s * u)
                for q in alive:
                    if q != best:
                        bound(cache[q][0] - rho_v, cache[q][1] - rho_s)
            if explain is not None:
                tied = sorted((q for q in alive if cache[q][0] == rho_v), key=ranks.__getitem__)
                if len(tied) > 1:
                    explain.ties.append(tie_record(c, self.tie, len(selected) + 1, tied))
            new: dict = {}
            payments = []
            for (k, u), w in pw[best].items():
                if (k, u) in poor:
                    new[(k, u)] = 1
                    payments.append((k, u, cv[k]))
                else:
                    new[(k, u)] = len(cv)
                    cv.append(cv[k] - rho_v * u)
                    cs.append(cs[k] - rho_s * u)
                    payments.append((k, u, rho_v * u))
            if explain is not None:
                self._explain(explain, best, len(selected) + 1, payments, poor, rho_v, cls)
            alive.discard(best)
            entries = self.entries
            for g, u in self.supp[best]:
                old = cls[g]
                nk = new[(old, u)]
                cls[g] = nk
                w = weights[g]
                for q, uq in entries[g]:
                    if q in alive:
                        d = pw[q]
                        key = (old, uq)
                        left = d[key] - w
                        if left:
                            d[key] = left
                        else:
                            del d[key]
                        key = (nk, uq)
                        d[key] = d.get(key, 0) + w
                        dirty.add(q)
            selected.append(best)
            if self.limits:
                self.limits.spend(best, costs[best], spent)
        if not track:
            return selected, None
        bounds = [b for _, b in history if b is not None]
        return selected, (min(bounds) if bounds else None)

    def _explain(self, out: Outcome, p: int, round_no: int, payments, poor, rho, cls) -> None:
        c = self.c
        by_key: dict = {}
        for g, u in self.supp[p]:
            by_key.setdefault((cls[g], u), []).extend(c.members[g])
        paid = []
        for k, u, amount in payments:
            voters = by_key.get((k, u), [])
            each = Fraction(int(amount.numerator), int(amount.denominator) * c.scale)  # exact: payments add up to the cost
            paid.append({"voters": len(voters), "each": each, "all_they_had": (k, u) in poor, "voter_ids": voters})
        n_poor = sum(x["voters"] for x in paid if x["all_they_had"])
        n_all = sum(x["voters"] for x in paid)
        rich = [x["each"] for x in paid if not x["all_they_had"]]
        price = max(rich) if rich else max(x["each"] for x in paid)
        data = {"round": round_no, "cost": Fraction(c.costs[p], c.scale), "rho": rho, "payments": paid, "price": price}
        common = {"round": round_no, "project": c.ids[p], "cost": money(c, c.costs[p]), "voters": n_all, "price": Amount(price)}
        if n_poor:
            msg = Msg(
                N_("Round {round}: {project} is bought for {cost}. Its {voters} supporters pay up to {price} each; {poor} of them pay all they have left."),
                poor=n_poor,
                **common,
            )
        else:
            msg = Msg(N_("Round {round}: {project} is bought for {cost}. Its {voters} supporters pay up to {price} each."), **common)
        out.steps.append(Step("buy", c.ids[p], data, msg))


def mes(
    c: Compiled,
    tie: TieRule,
    *,
    increment: int | None = None,
    eligible: set[int] | None = None,
    limits: Limits | None = None,
    integral_start: bool = False,
    stop_when_exhaustive: bool = True,
) -> Outcome:
    """MES; with ``increment`` d, the Add1 completion (per-voter budget raised by d currency units at a time).

    Defaults match pabutools' ``voter_budget_increment``. The equalshares.net tool instead starts from the
    per-voter share rounded down to a whole unit (``integral_start``) and goes on until the next step overspends
    (``stop_when_exhaustive=False``).
    """
    counter = _Mes(c, tie, eligible, limits)
    out = Outcome([])
    if c.n == 0:
        out.selected = list(counter.initial)
        return out
    base = mpq(c.budget, c.n)
    if integral_start:
        base = mpq((c.budget // c.n) // c.scale * c.scale)
    final_t, runs, k = base, 0, 0
    if increment is not None:
        step = mpq(increment * c.scale)
        final_t = None  # the outcome before the first run: nothing bought
        history: list = []
        while True:
            t = base + k * step
            selected, tstar = counter.run(t, track=True, history=history)
            runs += 1
            if sum(c.costs[p] for p in selected) > c.budget:
                break
            final_t = t
            if (stop_when_exhaustive and counter.exhaustive(selected)) or tstar is None:
                break
            k = max(k + 1, -((base - tstar) // step))  # ceil((t* - base) / step): the next step that may differ
    if final_t is None:
        out.selected = list(counter.initial)
    else:
        out.selected, _ = counter.run(final_t, explain=out)
        out.options["per_voter_budget"] = c.money(final_t)
    out.options["runs"] = runs
    return out
