"""The exact MES engine behind ``pbtools.counting.rules.mes``: one run, or the runs of an Add1 completion.

Voters with identical ballots are already one weighted group (``Compiled.groups``). Groups are further put in
*budget classes*: all groups of a class hold the same amount, an affine function of the per-voter start budget t
(``mes_budgets``). A group's class is a numpy array entry, so summing a project's supporters by class is one
``bincount``; prices and payments are then computed exactly (``gmpy2.mpq``) over the classes. Where a project has
many classes, float screens (``mes_screen``) pick the few whose exact values a decision depends on, and a project is
first priced as a float lower bound (exactly only if it comes back to the top). Pricing a project is
``mes_prices.Prices``; this module runs the rounds (the lazy choice, Add1's tracking, the payments).

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
from pbtools.counting.rules import Limits, NoRoomLeft, mes_candidates
from pbtools.counting.rules.mes_budgets import POOR, Budgets
from pbtools.counting.rules import mes_prices
from pbtools.counting.rules.mes_prices import ROUGH, ZERO, Prices
from pbtools.counting.rules.mes_screen import ERR, first_crossings
from pbtools.counting.ties import TieRule


class Engine(Prices):
    def __init__(self, c: Compiled, tie: TieRule, eligible: set[int] | None, limits: Limits | None) -> None:
        self.c, self.tie, self.limits = c, tie, limits
        self.ranks = tie.ranks(c.ids, c.costs, c.support)
        m = len(c.ids)
        self.initial, self.candidates = mes_candidates(c, eligible)
        self._no_room_left = NoRoomLeft(c, self.candidates)  # (exhaustive)
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
        self.budgets: Budgets | None = None

    def exhaustive(self, selected: list[int]) -> bool:
        return self._no_room_left(selected)

    @property
    def shape(self) -> "Engine":
        """What the explanation reads of the election's groups (the compiled engine keeps it apart)."""
        return self

    def explained(self, t, on_buy, selected: list[int] | None = None) -> list[int]:
        """The final count at ``t``, each purchase told to ``on_buy``; what it selected (``selected``: what the Add1
        search found there, checked)."""
        got = self.run(t, on_buy=on_buy)[0]
        if selected is not None and got != selected:
            raise RuntimeError(f"the final run selected {got}, the Add1 search {selected}")
        return got

    def run(self, t0, track: bool = False, on_buy=None) -> tuple[list[int], object]:
        """One MES count at start budget t0 per voter: (selected, t*); t* is None when no later t changes it.

        With ``track`` the rounds of the previous tracked run that are still valid at t0 are not counted again.
        ``on_buy(p, round, payments, poor, rho, cls, ties, highest)`` is called at each purchase (explanations):
        ``payments()`` lists (class, utility, amount paid) and reads the classes' exact values, which later
        purchases of the run do not change (a class is never rewritten) but a later run may: call it before that.
        ``poor`` holds the (class, utility) pairs that pay all they have, ``highest`` the highest amount paid.
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
            self.budgets = Budgets(t0, len(self.candidates) if self.by_cost else None)
            cls = np.zeros(self.n_groups, dtype=np.int64)
            lb_v, lb_s = [ZERO] * m, [ZERO] * m
            alive, selected, spent = set(self.candidates), list(self.initial), {}
        else:
            mark, cls, lb_v, lb_s, alive, selected, spent, t_then = state
            self.budgets.restore(mark, t0)
            shift = t0 - t_then
            lb_v = [v + s * shift for v, s in zip(lb_v, lb_s)]
            cls, lb_s, alive, selected, spent = cls.copy(), list(lb_s), set(alive), list(selected), dict(spent)
        B = self.budgets
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
                ok, data = self._price(p, sup or self._classes(p, cls), t0, rough=sup is None)
                if not ok:
                    alive.discard(p)
                    if track and data is not None:  # unaffordable until Σ budgets reaches the cost
                        bound(data - t0, mpq(-1))
                    continue
                if ok is ROUGH:  # a lower bound only: priced exactly if it comes back to the top
                    rough[p] = data[2]
                else:
                    exact[p] = data
                lb_v[p], lb_s[p] = data[0], data[1]
                version[p] += 1
                heapq.heappush(heap, (data[0], ranks[p], p, version[p]))
            return None

        while True:
            if track:
                history.append([(B.mark(), cls.copy(), list(lb_v), list(lb_s), set(alive), list(selected), dict(spent), t0), None])
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
                kl, pl = ks.tolist(), poor.tolist()
                us = self._exact_utils(best, ui, len(kl))
                poor_keys = {(k, u) for k, u, p in zip(kl, us, pl) if p}
                rich = [u for u, p in zip(us, pl) if not p]
                highest = rho_v * max(rich) if rich else max(B.values([k for k, p in zip(kl, pl) if p]))

                def payments(kl=kl, us=us, pl=pl, rho_v=rho_v, B=B) -> list:
                    return [(k, u, v if pays_all else rho_v * u) for k, u, v, pays_all in zip(kl, us, B.values(kl), pl)]

                on_buy(best, len(selected) + 1, payments, poor_keys, rho_v, cls, ties, highest)
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

    def _track(self, best: int, rho_v, rho_s, poor, sup, tv, bound) -> None:
        """Records where the winner may stop being affordable and where one of its payers may change side."""
        B = self.budgets
        _, ks, ui, wf = sup
        cost = self.c.costs[best]
        if len(ks) < mes_prices.FLOAT_SCREEN:  # one setting for both halves (a test lowers it)
            slope, maybe = B.dot(ks, wf, slopes=True), list(range(len(ks)))
        else:  # floats pick the entries that can matter
            B.floats()
            csk, cvk = B.sf[ks], B.vf[ks]
            slope_f = float(wf @ csk)
            slope_e = float(wf @ B.se[ks]) + 1e-10 * float(wf @ np.abs(csk))
            slope = B.dot(ks, wf, slopes=True) if slope_f <= slope_e else 1  # 1: surely positive
            uf = float(cost) if ui is None else self.uvalue[ui]
            pay_v, pay_s = float(rho_v) * uf, float(rho_s) * uf
            # a payer of ρ·u becomes poor when its budget falls to ρ·u; one who paid all when ρ·u falls to its budget
            num = np.where(poor, pay_v - cvk, cvk - pay_v)
            den = np.where(poor, csk - pay_s, pay_s - csk)
            num_e = ERR * (np.abs(cvk) + np.abs(pay_v)) + B.ve[ks]
            den_e = ERR * (np.abs(csk) + np.abs(pay_s)) + B.se[ks]
            maybe = first_crossings(num, den, num_e, den_e).tolist()
        if slope < 0:
            bound((B.dot(ks, wf) if tv is None else tv) - cost, slope)
        if not maybe:
            return
        every = len(maybe) == len(ks)
        kl = ks.tolist() if every else ks[maybe].tolist()
        values, slopes = B.values(kl), B.slopes(kl)
        us = self._exact_utils(best, ui if every or ui is None else ui[maybe], len(maybe))
        for i, v, s, u in zip(maybe, values, slopes, us):
            pay = rho_s * u
            if poor[i]:
                if pay < s:
                    bound(rho_v * u - v, pay - s)
            elif s < pay:
                bound(v - rho_v * u, s - pay)

    def _pay(self, best: int, rho_v, rho_s, poor, sup, cls) -> None:
        """The winner's supporters pay: those who pay all they have join class POOR, each other entry a new class."""
        keys, ks, ui, _ = sup
        rich = ~poor
        used = None if ui is None else ui[rich]
        utils = self._exact_utils(best, used, int(rich.sum()))
        uf = float(self.c.costs[best]) if ui is None else self.uvalue[used]
        new = np.full(len(keys), POOR, dtype=np.int64)
        new[rich] = self.budgets.add(rho_v, rho_s, ks[rich], utils, uf)
        sg = self.sg[best]
        at = cls[sg] * self.width + self.su[best] if self.width > 1 else cls[sg]
        cls[sg] = new[np.searchsorted(keys, at)]

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
