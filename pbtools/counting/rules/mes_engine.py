"""The exact MES engine behind ``pbtools.counting.rules.mes``: one run, or the runs of an Add1 completion.

Voters with identical ballots are already one weighted group (``Compiled.groups``). Groups are further put in
*budget classes*: all groups of a class hold the same amount, kept as an exact affine function v + s·(t - t0) of the
per-voter start budget t (``cv``: values at t0, ``cs``: slopes). A group's class is a numpy array entry, so summing
a project's supporters by class is one ``bincount``; prices and payments are then computed exactly (``gmpy2.mpq``)
over the classes. Where a project has many classes, float screens (``mes_screen``) pick the few whose exact values a
decision depends on, a project is first priced as a float lower bound (exactly only if it comes back to the top),
and sums over many classes go by purchase (``mes_paid``).

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
from pbtools.counting.rules.mes_paid import Paid
from pbtools.counting.rules.mes_screen import first_crossings, poor_guess, price_lower_bound, sure_sides
from pbtools.counting.ties import TieRule

ZERO = mpq(0)
FLOAT_SCREEN = 64  # projects with this many supporter classes or more are screened in floats first
ROUGH = "rough"  # _price's answer when it gives a float lower bound instead of the exact price
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
        self.uvalue = uvalue  # float copies of the utilities (screens)
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
        self.paid: Paid | None = None

    def exhaustive(self, selected: list[int]) -> bool:
        """No MES candidate left that fits in what the outcome leaves of the real budget (pabutools' test)."""
        left = self.c.budget - sum(self.c.costs[p] for p in selected)
        chosen = set(selected)
        return not any(p not in chosen and self.c.costs[p] <= left for p in self.candidates)

    def _classes(self, p: int, cls):
        """p's supporters summed by (class, utility): (keys, classes, utility indices or None, weights as floats).

        ``keys`` (class·width + utility index) come out sorted, which ``run`` uses to move the payers to new classes.
        """
        keys = cls[self.sg[p]] * self.width + self.su[p] if self.width > 1 else cls[self.sg[p]]
        counts = np.bincount(keys, weights=self.sw[p])
        keys = np.flatnonzero(counts)
        wf = counts[keys]
        if self.by_cost:
            return keys, keys, None, wf
        return keys, keys // self.width, keys % self.width, wf

    def utilities(self, p: int) -> list:
        """The utility of each of p's supporter groups (in the order of ``sg[p]``)."""
        if self.by_cost:
            return [self.c.costs[p]] * len(self.sg[p])
        return [self.uvals[i] for i in self.su[p].tolist()]

    def _exact_utils(self, p: int, ui, n: int) -> list:
        """Exact utilities of n supporter entries (utility indices ``ui``; None under Cost_Sat)."""
        return [self.c.costs[p]] * n if ui is None else [self.uvals[i] for i in ui.tolist()]

    def _dot(self, values, ks, wf, idx=None):
        """Σ weight·value over supporter entries (all, or those at ``idx``), exact; ``values`` is cv or cs."""
        if idx is not None:
            ks, wf = ks[idx], wf[idx]
        if self.paid is not None and self.paid.worth_it(len(ks)):
            return self.paid.dot(ks, wf, self.t, slopes=values is self.cs)
        return sum(w * values[k] for k, w in zip(ks.tolist(), wf.astype(np.int64).tolist()))

    def _price(self, p: int, sup, cv, cs, t0, rough: bool = False):
        """(True, (ρ at t0, slope of ρ, poor mask, supporters, Σ budgets or None)) or (False, t where p may become affordable).

        With ``rough``, a project with many supporter classes that some pay all they have gets (ROUGH, (lower bound
        of ρ, of its slope, supporters)) from floats instead: the exact sums over those who pay all are the costly
        part, and most projects priced in a round are not bought in it.

        Σ budgets is summed in floats first (``self.cvf``; budgets are >= 0, so the float sum is within 1e-10 of
        it): it is summed exactly only when within 1e-9 of the cost. The t where an unaffordable project may become
        affordable again is taken from floats only where the numbers are far from cancelling, shrunk by 1e-4 (the
        float errors are below 1e-5 of it there), so it never comes after the exact one.
        """
        keys, ks, ui, wf = sup
        cost = self.c.costs[p]
        small = len(ks) < FLOAT_SCREEN
        if small:
            tv = self._dot(cv, ks, wf)
            if tv < cost:
                ts = self._dot(cs, ks, wf)
                return False, (t0 + (cost - tv) / ts if ts > 0 else None)
        else:
            self._floats()
            tv_f = float(wf @ self.cvf[ks])
            tv = None
            if cost * (1 - 1e-9) <= tv_f <= cost * (1 + 1e-9):
                tv = self._dot(cv, ks, wf)
            if (tv is None and tv_f < cost) or (tv is not None and tv < cost):
                slopes = self.csf[ks]
                ts_f, spread = float(wf @ slopes), float(wf @ np.abs(slopes))
                if ts_f < -1e-6 * spread:
                    return False, None  # their budgets shrink as t grows: not affordable at any larger t either
                if ts_f > 1e-6 * spread and cost - tv_f >= 1e-4 * cost:
                    return False, t0 + mpq((cost - tv_f) / ts_f * (1 - 1e-4))
                tv = self._dot(cv, ks, wf) if tv is None else tv
                ts = self._dot(cs, ks, wf)
                return False, (t0 + (cost - tv) / ts if ts > 0 else None)
        split = None if small else self._split_screened(p, sup, cv, cs, rough)
        if split is not None and split[0] is ROUGH:
            return ROUGH, split[1:]
        if split is None:
            split = self._split_exact(p, sup, cv, cs)
        r_v, r_s, big_u, poor = split
        return True, (r_v / big_u, r_s / big_u, poor, sup, tv)

    def _total_utility(self, p: int, ui, wf) -> object:
        if self.by_cost:
            return int(wf.sum()) * self.c.costs[p]
        per_u = np.bincount(ui, weights=wf, minlength=self.width)  # exact: integer weights below 2**53
        return sum(int(w) * self.uvals[i] for i, w in enumerate(per_u.tolist()) if w)

    def _split_exact(self, p: int, sup, cv, cs):
        """pabutools' peel in exact arithmetic: (cost left to the payers of ρ·u, its slope, their utility, poor mask)."""
        _, ks, ui, wf = sup
        kl, wl, ul = ks.tolist(), wf.astype(np.int64).tolist(), self._exact_utils(p, ui, len(ks))
        cost = self.c.costs[p]
        r_v, r_s, big_u = mpq(cost), ZERO, self._total_utility(p, ui, wf)
        poor = np.zeros(len(kl), dtype=bool)
        # Nobody pays all they have if the poorest can pay the even price: no sort needed then.
        if ui is None:  # every u is the cost: order by budget alone
            needed = min(cv[k] for k in kl) * big_u < cost * cost
            order = sorted(range(len(kl)), key=lambda i: cv[kl[i]]) if needed else ()
        else:
            needed = min(cv[k] * big_u - cost * u for k, u in zip(kl, ul)) < 0
            order = sorted(range(len(kl)), key=lambda i: cv[kl[i]] / ul[i]) if needed else ()
        if needed:
            for i in order:
                k, u, w = kl[i], ul[i], wl[i]
                if cv[k] * big_u < r_v * u:
                    poor[i] = True
                    r_v -= w * cv[k]
                    r_s -= w * cs[k]
                    big_u -= w * u
                else:
                    break
        return r_v, r_s, big_u, poor

    def _split_screened(self, p: int, sup, cv, cs, rough: bool = False):
        """The same split guessed in floats and checked exactly (None when the check fails: then peel exactly).

        With ``rough`` and someone paying all: (ROUGH, ρ_lo, s_lo, sup), a lower bound ρ_lo + s_lo·(t - t0) of ρ for
        t >= t0 from the guessed split (``price_lower_bound``).
        """
        _, ks, ui, wf = sup
        cost = self.c.costs[p]
        b = self.cvf[ks]
        uf = float(cost) if self.by_cost else self.uvalue[ui]
        key = b / uf
        wu = wf * uf
        if key.min() > cost / wu.sum() * (1 + 1e-9):  # the poorest can pay the even price
            poor = np.zeros(len(ks), dtype=bool)
        else:
            poor = poor_guess(key, wu, wf * b, float(cost))
        idx = np.flatnonzero(poor)
        if rough and len(idx):
            lo = price_lower_bound(cost, wf[idx], b[idx], self.csf[ks[idx]], float(wu.sum() - wu[idx].sum()))
            return None if lo is None else (ROUGH, mpq(lo[0]), mpq(lo[1]), sup)
        r_v, r_s, big_u = mpq(cost), ZERO, self._total_utility(p, ui, wf)
        if len(idx):
            r_v -= self._dot(cv, ks, wf, idx)
            r_s -= self._dot(cs, ks, wf, idx)
            big_u -= self._total_utility(p, None if ui is None else ui[idx], wf[idx])
        if big_u <= 0:
            return None
        rho = r_v / big_u
        for i in sure_sides(key, poor, float(rho)).tolist():
            u = cost if self.by_cost else self.uvals[ui[i]]
            if (cv[ks[i]] < rho * u) != poor[i]:
                return None
        return r_v, r_s, big_u, poor

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
            m = len(c.ids)
            self.cv, self.cs = [mpq(t0), ZERO], [mpq(1), ZERO]
            self.cvf, self.csf, self.n_float = np.zeros(64), np.zeros(64), 0  # float copies (screening)
            self.paid = Paid(len(self.candidates)) if self.by_cost else None
            cls = np.zeros(self.n_groups, dtype=np.int64)
            lb_v, lb_s = [ZERO] * m, [ZERO] * m
            alive, selected, spent = set(self.candidates), list(self.initial), {}
        else:
            n_cls, cls, lb_v, lb_s, alive, selected, spent, t_then = state
            shift = t0 - self.t
            del self.cv[n_cls:], self.cs[n_cls:]
            self.cv = [v + s * shift for v, s in zip(self.cv, self.cs)]
            self.n_float = 0  # the float copies are made again when needed
            if self.paid is not None:
                self.paid.restore(len(selected) - len(self.initial), shift)
            shift = t0 - t_then
            lb_v = [v + s * shift for v, s in zip(lb_v, lb_s)]
            cls, lb_s, alive, selected, spent = cls.copy(), list(lb_s), set(alive), list(selected), dict(spent)
        self.t = t0
        cv, cs = self.cv, self.cs
        exact: dict[int, tuple] = {}  # project -> price data valid for the current budgets
        rough: dict[int, tuple] = {}  # project -> its supporters, for those whose lb is a float bound for the current budgets
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
                sup = rough.pop(p, None)
                ok, data = self._price(p, sup or self._classes(p, cls), cv, cs, t0, rough=sup is None)
                if not ok:
                    alive.discard(p)
                    if track and data is not None:  # unaffordable until Σ budgets reaches the cost
                        bound(data - t0, mpq(-1))
                    continue
                if ok is ROUGH:  # a lower bound only: priced exactly if it comes back to the top
                    rough[p] = data[2]
                    lb_v[p], lb_s[p] = data[0], data[1]
                    version[p] += 1
                    heapq.heappush(heap, (data[0], ranks[p], p, version[p]))
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
            rho_v, rho_s, poor, sup, tv = exact[best]
            if track:
                self._track(best, rho_v, rho_s, poor, sup, tv, bound)
                for q in alive:
                    if q != best and lb_s[q] < rho_s:
                        bound(lb_v[q] - rho_v, lb_s[q] - rho_s)
            ties = self._tied(best, rho_v, heap, top, exact) if on_buy else None
            keys, ks, ui, _ = sup
            if on_buy:
                us = self._exact_utils(best, ui, len(ks))
                payments = [(k, u, cv[k] if pays_all else rho_v * u) for k, u, pays_all in zip(ks.tolist(), us, poor.tolist())]
                on_buy(best, len(selected) + 1, payments, self._poor_pairs(ks, us, poor), rho_v, cls, ties)
            self._pay(best, rho_v, rho_s, poor, sup, cls)
            alive.discard(best)
            for q in self.touched[best]:
                exact.pop(q, None)
                rough.pop(q, None)
            selected.append(best)
            if limits:
                limits.spend(best, costs[best], spent)
        bounds = [b for _, b in history if b is not None]
        return selected, (min(bounds) if track and bounds else None)

    @staticmethod
    def _poor_pairs(ks, us, poor) -> set:
        return {(k, u) for k, u, pays_all in zip(ks.tolist(), us, poor.tolist()) if pays_all}

    def _track(self, best: int, rho_v, rho_s, poor, sup, tv, bound) -> None:
        """Records where the winner may stop being affordable and where one of its payers may change side."""
        _, ks, ui, wf = sup
        cost, cv, cs = self.c.costs[best], self.cv, self.cs
        if len(ks) < FLOAT_SCREEN:
            slope, maybe = self._dot(cs, ks, wf), range(len(ks))
        else:  # floats pick the entries that can matter
            self._floats()
            csk, cvk = self.csf[ks], self.cvf[ks]
            slope_f, spread = float(wf @ csk), float(wf @ np.abs(csk))
            slope = self._dot(cs, ks, wf) if slope_f <= 1e-9 * spread else 1  # 1: surely positive
            uf = float(cost) if ui is None else self.uvalue[ui]
            pay_v, pay_s = float(rho_v) * uf, float(rho_s) * uf
            # a payer of ρ·u becomes poor when its budget falls to ρ·u; one who paid all when ρ·u falls to its budget
            num = np.where(poor, pay_v - cvk, cvk - pay_v)
            den = np.where(poor, csk - pay_s, pay_s - csk)
            maybe = first_crossings(num, den, np.abs(cvk) + np.abs(pay_v), np.abs(csk) + np.abs(pay_s)).tolist()
        if slope < 0:
            bound((self._dot(cv, ks, wf) if tv is None else tv) - cost, slope)
        kl, pl = ks.tolist(), poor.tolist()
        ul = self._exact_utils(best, ui, len(kl)) if len(maybe) == len(kl) else None
        for i in maybe:
            k, u = kl[i], (ul[i] if ul is not None else cost if ui is None else self.uvals[ui[i]])
            pay = rho_s * u
            if pl[i]:
                if pay < cs[k]:
                    bound(rho_v * u - cv[k], pay - cs[k])
            elif cs[k] < pay:
                bound(cv[k] - rho_v * u, cs[k] - pay)


    def _pay(self, best: int, rho_v, rho_s, poor, sup, cls) -> None:
        """The winner's supporters pay: those who pay all they have join class POOR, each other entry a new class."""
        keys, ks, ui, _ = sup
        cv, cs = self.cv, self.cs
        rich = ~poor
        first = len(cv)
        payers = ks[rich].tolist()
        if ui is None:
            a_v, a_s = rho_v * self.c.costs[best], rho_s * self.c.costs[best]
            cv.extend([cv[k] - a_v for k in payers])
            cs.extend([cs[k] - a_s for k in payers])
            self.paid.add(first, ks[rich], a_v, a_s)
        else:
            used = ui[rich].tolist()
            pay = {i: (rho_v * self.uvals[i], rho_s * self.uvals[i]) for i in set(used)}
            cv.extend([cv[k] - pay[i][0] for k, i in zip(payers, used)])
            cs.extend([cs[k] - pay[i][1] for k, i in zip(payers, used)])
        new = np.full(len(keys), POOR, dtype=np.int64)
        new[rich] = np.arange(first, len(cv), dtype=np.int64)
        sg = self.sg[best]
        at = cls[sg] * self.width + self.su[best] if self.width > 1 else cls[sg]
        cls[sg] = new[np.searchsorted(keys, at)]

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
