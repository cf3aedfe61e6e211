"""The exact MES engine behind ``pbtools.counting.rules.mes``: one run, or the runs of an Add1 completion.

Voters with identical ballots are already one weighted group (``Compiled.groups``). Groups are further put in
*budget classes*: all groups of a class hold the same amount, kept as an exact affine function v + s·(t - t0) of the
per-voter start budget t (``cv``: values at t0, ``cs``: slopes). A group's class is a numpy array entry, so summing
a project's supporters by class is one ``bincount``; prices and payments are then computed exactly (``gmpy2.mpq``)
over the few classes only.

Lazy choice of the cheapest project. Budgets only go down during a run, so a project's price ρ only goes up: a price
computed in an earlier round is a lower bound now. Projects sit in a heap by (bound, tie rank); the top is
recomputed until a project whose price is exact for the current budgets is on top. Its key is then ≤ every other
project's lower bound, hence ≤ every other true key: it is the one pabutools picks (exact ties included, the tie
rank being part of the key). A project none of whose supporters paid keeps its exact price.

Add1 (``track``): every price is kept as an affine lower bound in t too (its set of voters who pay all they have
frozen; Σ min(b, ρu) ≤ Σ_poor b + ρ Σ_rich u for any split, so this is a lower bound at any t). Each round records
the first t above t0 where one of its decisions could change: the winner stops being affordable, a voter of the
winner changes side (pays all / pays ρu), a rival's lower bound reaches the winner's price, or a dropped project
becomes affordable. Until the smallest such t (t*) the run takes the same decisions. A later run at t restarts from
the first round whose recorded bound is ≤ t, from a snapshot of that round's state.
"""

from __future__ import annotations

import heapq
from itertools import chain

import numpy as np
from gmpy2 import mpq

from pbtools.counting.profile import Compiled
from pbtools.counting.rules import Limits
from pbtools.counting.ties import TieRule

ZERO = mpq(0)
FLOAT_SCREEN = 64  # projects with this many supporter classes or more are screened in floats first
POOR = 1  # class 1 holds nothing (voters who paid all they had); class 0 is everyone at the start


class Engine:
    def __init__(self, c: Compiled, tie: TieRule, eligible: set[int] | None, limits: Limits | None) -> None:
        self.c, self.tie, self.limits = c, tie, limits
        self.ranks = tie.ranks(c.ids, c.costs, c.support)
        m = len(c.ids)
        ok = [eligible is None or p in eligible for p in range(m)]
        self.initial = [p for p in range(m) if ok[p] and c.costs[p] == 0 and c.score[p] > 0 and c.score_kind != "support"]
        self.candidates = [p for p in range(m) if ok[p] and c.costs[p] > 0 and c.score[p] > 0]
        self.by_cost = c.score_kind == "support"  # utility = cost for every supporter (Cost_Sat)
        # Supporters per candidate, built in numpy: (group, project, utility) of every ballot entry.
        lengths = np.fromiter((len(ps) for _, ps, _ in c.groups), dtype=np.int64, count=len(c.groups))
        flat_p = np.fromiter(chain.from_iterable(ps for _, ps, _ in c.groups), dtype=np.int64, count=int(lengths.sum()))
        flat_g = np.repeat(np.arange(len(c.groups), dtype=np.int64), lengths)
        # Utilities as indices into ``uvals`` (points may be fractions; a supporter's key is class·width + index).
        self.uvals = sorted({mpq(u) for _, _, us in c.groups for u in us}) if not self.by_cost else [1]
        self.uindex = {u: i for i, u in enumerate(self.uvals)}
        if self.by_cost:
            flat_u = np.zeros(len(flat_p), dtype=np.int64)
            uvalue = np.ones(1)
        else:
            flat_u = np.fromiter((self.uindex[mpq(u)] for _, _, us in c.groups for u in us), dtype=np.int64, count=len(flat_p))
            uvalue = np.array([float(u) for u in self.uvals])
        is_cand = np.zeros(m, dtype=bool)
        is_cand[self.candidates] = True
        keep = is_cand[flat_p] & (uvalue[flat_u] > 0) if len(flat_p) else np.zeros(0, dtype=bool)
        flat_p, flat_g, flat_u = flat_p[keep], flat_g[keep], flat_u[keep]
        order = np.argsort(flat_p, kind="stable")
        cuts = np.cumsum(np.bincount(flat_p, minlength=m))[:-1]
        self.sg = np.split(flat_g[order], cuts)
        self.su = np.split(flat_u[order], cuts)
        self.width = 1 if self.by_cost else len(self.uvals)
        weights = np.array([g[0] for g in c.groups], dtype=np.int64)
        self.sw = [weights[gs].astype(np.float64) for gs in self.sg]  # bincount weights (exact below 2**53)
        # Projects sharing a supporter with p: only their prices move when p is bought.
        incidence = np.zeros((len(c.groups), m), dtype=bool)
        incidence[flat_g, flat_p] = True
        self.touched = [set(np.flatnonzero(incidence[self.sg[p]].any(axis=0)).tolist()) if len(self.sg[p]) else set() for p in range(m)]
        self.n_groups = len(c.groups)
        self.history: list = []
        self.t = None  # the t0 at which cv and the stored bounds are evaluated

    def exhaustive(self, selected: list[int]) -> bool:
        """No MES candidate left that fits in what the outcome leaves of the real budget (pabutools' test)."""
        left = self.c.budget - sum(self.c.costs[p] for p in selected)
        chosen = set(selected)
        return not any(p not in chosen and self.c.costs[p] <= left for p in self.candidates)

    def _classes(self, p: int, cls):
        """[(class, utility, weight)] of p's supporters, with the class indices and weights as numpy arrays."""
        keys = cls[self.sg[p]] * self.width + self.su[p] if self.width > 1 else cls[self.sg[p]]
        counts = np.bincount(keys, weights=self.sw[p])
        ks = np.flatnonzero(counts)
        wf = counts[ks]
        ws = wf.astype(np.int64).tolist()
        if self.by_cost:
            u = self.c.costs[p]
            return [(k, u, w) for k, w in zip(ks.tolist(), ws)], ks, wf
        uvals, width = self.uvals, self.width
        return [(k // width, uvals[k % width], w) for k, w in zip(ks.tolist(), ws)], ks // width, wf

    def utilities(self, p: int) -> list:
        """The utility of each of p's supporter groups (in the order of ``sg[p]``)."""
        if self.by_cost:
            return [self.c.costs[p]] * len(self.sg[p])
        return [self.uvals[i] for i in self.su[p].tolist()]

    def _price(self, p: int, supporters, cv, cs, t0):
        """(True, (ρ at t0, slope of ρ, poor keys, items, Σ budgets or None)) or (False, t where p may become affordable).

        Σ budgets is summed in floats first (``self.cvf``; budgets are >= 0, so the float sum is within 1e-10 of
        it): it is summed exactly only when within 1e-9 of the cost. The t where an unaffordable project may become
        affordable again is taken from floats only where the numbers are far from cancelling, shrunk by 1e-4 (the
        float errors are below 1e-5 of it there), so it never comes after the exact one.
        """
        items, ks, wf = supporters
        cost = self.c.costs[p]
        if len(items) < FLOAT_SCREEN:
            tv = sum(w * cv[k] for k, _, w in items)
            if tv < cost:
                ts = sum(w * cs[k] for k, _, w in items)
                return False, (t0 + (cost - tv) / ts if ts > 0 else None)
            tv_f = float(tv)
        else:
            self._floats()
            tv_f = float(wf @ self.cvf[ks])
            tv = None
            if cost * (1 - 1e-9) <= tv_f <= cost * (1 + 1e-9):
                tv = sum(w * cv[k] for k, _, w in items)
        if (tv is None and tv_f < cost) or (tv is not None and tv < cost):
            slopes = self.csf[ks]
            ts_f, spread = float(wf @ slopes), float(wf @ np.abs(slopes))
            if ts_f < -1e-6 * spread:
                return False, None  # their budgets shrink as t grows: not affordable at any larger t either
            if ts_f > 1e-6 * spread and cost - tv_f >= 1e-4 * cost:
                return False, t0 + mpq((cost - tv_f) / ts_f * (1 - 1e-4))
            tv = sum(w * cv[k] for k, _, w in items) if tv is None else tv
            ts = sum(w * cs[k] for k, _, w in items)
            return False, (t0 + (cost - tv) / ts if ts > 0 else None)
        r_v, r_s = mpq(cost), ZERO
        poor = set()
        if self.by_cost:  # u = cost for all: the payment α = ρ·cost is even, a voter pays all iff budget < α
            big_w = int(wf.sum())
            # the poorest can pay the even share (surely, in floats, or exactly): nobody pays all they have
            if len(items) >= FLOAT_SCREEN and float(self.cvf[ks].min()) * big_w > cost * (1 + 1e-9):
                pass
            elif min(cv[k] for k, _, _ in items) * big_w < cost:
                for k, u, w in sorted(items, key=lambda it: cv[it[0]]):
                    if cv[k] * big_w < r_v:
                        poor.add((k, u))
                        r_v -= w * cv[k]
                        r_s -= w * cs[k]
                        big_w -= w
                    else:
                        break
            big_u = big_w * cost
        else:
            big_u = sum(w * u for _, u, w in items)
            # Nobody pays all they have if the poorest can pay the even price: no sort needed then.
            if min(cv[k] * big_u - cost * u for k, u, _ in items) < 0:
                for k, u, w in sorted(items, key=lambda it: cv[it[0]] / it[1]):
                    if cv[k] * big_u < r_v * u:
                        poor.add((k, u))
                        r_v -= w * cv[k]
                        r_s -= w * cs[k]
                        big_u -= w * u
                    else:
                        break
        return True, (r_v / big_u, r_s / big_u, poor, items, tv)

    def run(self, t0, track: bool = False, on_buy=None) -> tuple[list[int], object]:
        """One MES count at start budget t0 per voter: (selected, t*); t* is None when no later t changes it.

        With ``track`` the rounds of the previous tracked run that are still valid at t0 are not counted again.
        ``on_buy(p, round, payments, poor, rho, cls, ties)`` is called at each purchase (explanations).
        """
        c, ranks, costs, limits = self.c, self.ranks, self.c.costs, self.limits
        history = self.history if track else []
        state = None
        if history:
            j = next((i for i, (_, b) in enumerate(history) if b is not None and b <= t0), len(history) - 1)
            state = history[j][0]
            del history[j:]
        if state is None:
            self.cv, self.cs = [mpq(t0), ZERO], [mpq(1), ZERO]
            self.cvf, self.csf, self.n_float = np.zeros(64), np.zeros(64), 0  # float copies (screening)
            cls = np.zeros(self.n_groups, dtype=np.int64)
            m = len(c.ids)
            lb_v, lb_s = [ZERO] * m, [ZERO] * m
            alive, selected, spent = set(self.candidates), list(self.initial), {}
        else:
            n_cls, cls, lb_v, lb_s, alive, selected, spent, t_then = state
            shift = t0 - self.t
            del self.cv[n_cls:], self.cs[n_cls:]
            self.cv = [v + s * shift for v, s in zip(self.cv, self.cs)]
            self.n_float = 0  # the float copies are made again when needed
            shift = t0 - t_then
            lb_v = [v + s * shift for v, s in zip(lb_v, lb_s)]
            cls, lb_s, alive, selected, spent = cls.copy(), list(lb_s), set(alive), list(selected), dict(spent)
        self.t = t0
        cv, cs = self.cv, self.cs
        exact: dict[int, tuple] = {}  # project -> price data valid for the current budgets
        version = dict.fromkeys(alive, 0)
        heap = [(lb_v[p], ranks[p], p, 0) for p in alive]
        heapq.heapify(heap)

        def bound(v, s):  # v + s·(t - t0) >= 0 holds up to t0 + v/(-s)
            if track and s < 0:
                x = t0 + v / (-s)
                if history[-1][1] is None or x < history[-1][1]:
                    history[-1][1] = x

        def top():  # the heap's first live entry, with an exact price (None: nothing affordable left)
            while heap:
                _, _, p, ver = heap[0]
                if p not in alive or ver != version[p]:
                    heapq.heappop(heap)
                    continue
                if p in exact:
                    return p
                heapq.heappop(heap)
                ok, data = self._price(p, self._classes(p, cls), cv, cs, t0)
                if not ok:
                    alive.discard(p)
                    if track and data is not None:  # unaffordable until Σ budgets reaches the cost
                        bound(data - t0, mpq(-1))
                    continue
                exact[p] = data
                lb_v[p], lb_s[p] = data[0], data[1]
                version[p] += 1
                heapq.heappush(heap, (data[0], ranks[p], p, version[p]))
            return None

        while True:
            if track:
                history.append([(len(cv), cls.copy(), list(lb_v), list(lb_s), set(alive), list(selected), dict(spent), t0), None])
            best = top()
            while best is not None and limits and not limits.allows(best, costs[best], spent):
                alive.discard(best)  # its sector is full: spending only grows, so for good
                best = top()
            if best is None:
                break
            rho_v, rho_s, poor, items, tv = exact[best]
            if track:
                slope = sum(w * cs[k] for k, _, w in items)
                if slope < 0:
                    tv = sum(w * cv[k] for k, _, w in items) if tv is None else tv
                    bound(tv - costs[best], slope)
                for k, u, _ in items:
                    pay_s = rho_s * u
                    if (k, u) in poor:
                        if pay_s < cs[k]:
                            bound(rho_v * u - cv[k], pay_s - cs[k])
                    elif cs[k] < pay_s:
                        bound(cv[k] - rho_v * u, cs[k] - pay_s)
                for q in alive:
                    if q != best and lb_s[q] < rho_s:
                        bound(lb_v[q] - rho_v, lb_s[q] - rho_s)
            ties = self._tied(best, rho_v, heap, top, exact) if on_buy else None
            new_key: dict[int, int] = {}
            payments = []
            for k, u, _ in items:
                if (k, u) in poor:
                    new_key[k * self.width + (0 if self.by_cost else self.uindex[u])] = POOR
                    payments.append((k, u, cv[k]))
                else:
                    new_key[k * self.width + (0 if self.by_cost else self.uindex[u])] = len(cv)
                    cv.append(cv[k] - rho_v * u)
                    cs.append(cs[k] - rho_s * u)
                    payments.append((k, u, rho_v * u))
            if on_buy:
                on_buy(best, len(selected) + 1, payments, poor, rho_v, cls, ties)
            sg = self.sg[best]
            keys = cls[sg] * self.width + self.su[best] if self.width > 1 else cls[sg]
            order = sorted(new_key)
            cls[sg] = np.array([new_key[k] for k in order], dtype=np.int64)[np.searchsorted(order, keys)]
            alive.discard(best)
            for q in self.touched[best]:
                exact.pop(q, None)
            selected.append(best)
            if limits:
                limits.spend(best, costs[best], spent)
        bounds = [b for _, b in history if b is not None]
        return selected, (min(bounds) if track and bounds else None)

    def _floats(self) -> None:
        """Brings the float copies of the class values and slopes up to date (the arrays grow by doubling)."""
        n, old = len(self.cv), self.n_float
        if n == old:
            return
        if n > len(self.cvf):
            size = max(n, 2 * len(self.cvf))
            self.cvf = np.concatenate([self.cvf[:old], np.zeros(size - old)])
            self.csf = np.concatenate([self.csf[:old], np.zeros(size - old)])
        self.cvf[old:n] = list(map(float, self.cv[old:n]))
        self.csf[old:n] = list(map(float, self.cs[old:n]))
        self.n_float = n

    def _tied(self, best: int, rho_v, heap, top, exact) -> list[int]:
        """Every live project whose exact price equals the winner's, in tie order (the winner first)."""
        tied, held = [], []
        while True:
            p = top()
            if p is None or exact[p][0] != rho_v:
                break
            tied.append(p)
            held.append(heapq.heappop(heap))
        for entry in held:
            heapq.heappush(heap, entry)
        return tied
