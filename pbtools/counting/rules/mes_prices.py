"""Pricing one project for the exact MES engine (``mes_engine.Engine`` is a ``Prices``): its supporters summed by
budget class, and the price ρ per unit of utility that they pay (pabutools' peel: those who cannot pay ρ·u pay all
they have), exactly in ``gmpy2.mpq``, or, for a project with many classes, screened in floats first and checked
exactly, or given as a float lower bound (``ROUGH``) when it only has to wait in the heap."""

from __future__ import annotations

import numpy as np
from gmpy2 import mpq

from pbtools.counting.rules.mes_screen import poor_guess, price_lower_bound, sure_sides

ZERO = mpq(0)
FLOAT_SCREEN = 64  # projects with this many supporter classes or more are screened in floats first
ROUGH = "rough"  # _price's answer when it gives a float lower bound instead of the exact price


class Prices:
    """The pricing half of the engine: reads the engine's election (``c``, ``sg``, ``su``, ``sw``, ``uvals``,
    ``uvalue``, ``width``, ``by_cost``) and its current ``budgets``, set by ``Engine``."""

    def _classes(self, p: int, cls):
        """p's supporters summed by (class, utility): (keys, classes, utility indices or None, weights as floats).

        ``keys`` (class·width + utility index) come out sorted, which ``_pay`` uses to move the payers to new classes.
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

    def _price(self, p: int, sup, t0, rough: bool = False):
        """(True, (ρ at t0, slope of ρ, poor mask, supporters, Σ budgets or None)) or (False, t where p may become affordable).

        Σ budgets is summed in floats first: exactly only when the floats cannot tell it from the cost. The t where an
        unaffordable project may become affordable again is taken from floats only where their errors are below
        1e-5 of it, shrunk by 1e-4, so it never comes after the exact one.

        With ``rough``, a project with many supporter classes that some pay all they have gets (ROUGH, (lower bound
        of ρ, of its slope, supporters)) from floats instead: the exact sums over those who pay all are the costly
        part, and most projects priced in a round are not bought in it.
        """
        B = self.budgets
        keys, ks, ui, wf = sup
        cost = self.c.costs[p]
        small = len(ks) < FLOAT_SCREEN
        if small:
            tv = B.dot(ks, wf)
            if tv < cost:
                ts = B.dot(ks, wf, slopes=True)
                return False, (t0 + (cost - tv) / ts if ts > 0 else None)
        else:
            B.floats()
            tv_f = float(wf @ B.vf[ks])
            tv_e = float(wf @ B.ve[ks]) + 1e-10 * abs(tv_f)  # summation error: 10**6 terms at most
            tv = B.dot(ks, wf) if abs(tv_f - cost) <= tv_e else None
            if (tv is None and tv_f < cost) or (tv is not None and tv < cost):
                slopes = B.sf[ks]
                ts_f = float(wf @ slopes)
                ts_e = float(wf @ B.se[ks]) + 1e-10 * float(wf @ np.abs(slopes))
                if ts_f < -ts_e:
                    return False, None  # their budgets shrink as t grows: not affordable at any larger t either
                gap = cost - tv_f
                if ts_f > 1e5 * ts_e and gap > 1e5 * tv_e:
                    return False, t0 + mpq(gap / ts_f * (1 - 1e-4))
                tv = B.dot(ks, wf) if tv is None else tv
                ts = B.dot(ks, wf, slopes=True)
                return False, (t0 + (cost - tv) / ts if ts > 0 else None)
        split = None if small else self._split_screened(p, sup, rough)
        if split is not None and split[0] is ROUGH:
            return ROUGH, split[1:]
        if split is None:
            split = self._split_exact(p, sup)
        r_v, r_s, big_u, poor = split
        return True, (r_v / big_u, r_s / big_u, poor, sup, tv)

    def _total_utility(self, p: int, ui, wf) -> object:
        if self.by_cost:
            return int(wf.sum()) * self.c.costs[p]
        per_u = np.bincount(ui, weights=wf, minlength=self.width)  # exact: integer weights below 2**53
        return sum(int(w) * self.uvals[i] for i, w in enumerate(per_u.tolist()) if w)

    def _split_exact(self, p: int, sup):
        """pabutools' peel in exact arithmetic: (cost left to the payers of ρ·u, its slope, their utility, poor mask)."""
        _, ks, ui, wf = sup
        kl, wl, ul = ks.tolist(), wf.astype(np.int64).tolist(), self._exact_utils(p, ui, len(ks))
        cv = self.budgets.values(kl)  # aligned with kl
        cost = self.c.costs[p]
        r_v, r_s, big_u = mpq(cost), ZERO, self._total_utility(p, ui, wf)
        poor = np.zeros(len(kl), dtype=bool)
        # Nobody pays all they have if the poorest can pay the even price: no sort needed then.
        if ui is None:  # every u is the cost: order by budget alone
            needed = min(cv) * big_u < cost * cost
            order = sorted(range(len(kl)), key=cv.__getitem__) if needed else ()
        else:
            needed = min(v * big_u - cost * u for v, u in zip(cv, ul)) < 0
            order = sorted(range(len(kl)), key=lambda i: cv[i] / ul[i]) if needed else ()
        if needed:
            cs = self.budgets.slopes(kl)
            for i in order:
                v, u, w = cv[i], ul[i], wl[i]
                if v * big_u < r_v * u:
                    poor[i] = True
                    r_v -= w * v
                    r_s -= w * cs[i]
                    big_u -= w * u
                else:
                    break
        return r_v, r_s, big_u, poor

    def _split_screened(self, p: int, sup, rough: bool = False):
        """The same split guessed in floats and checked exactly (None when the check fails: then peel exactly).

        With ``rough`` and someone paying all: (ROUGH, ρ_lo, s_lo, sup), a lower bound ρ_lo + s_lo·(t - t0) of ρ for
        t >= t0 from the guessed split (``price_lower_bound``).
        """
        B = self.budgets
        _, ks, ui, wf = sup
        cost = self.c.costs[p]
        b, be = B.vf[ks], B.ve[ks]
        uf = float(cost) if self.by_cost else self.uvalue[ui]
        key, key_e = b / uf, be / uf
        wu = wf * uf
        if (key - key_e).min() > cost / wu.sum() * (1 + 1e-9):  # the poorest can pay the even price
            poor = np.zeros(len(ks), dtype=bool)
        else:
            poor = poor_guess(key, wu, wf * b, float(cost))
        idx = np.flatnonzero(poor)
        if rough and len(idx):
            sel = ks[idx]
            lo = price_lower_bound(cost, wf[idx], b[idx], B.ve[sel], B.sf[sel], B.se[sel], float(wu.sum() - wu[idx].sum()))
            return None if lo is None else (ROUGH, mpq(lo[0]), mpq(lo[1]), sup)
        r_v, r_s, big_u = mpq(cost), ZERO, self._total_utility(p, ui, wf)
        if len(idx):
            r_v -= B.dot(ks[idx], wf[idx])
            r_s -= B.dot(ks[idx], wf[idx], slopes=True)
            big_u -= self._total_utility(p, None if ui is None else ui[idx], wf[idx])
        if big_u <= 0:
            return None
        rho = r_v / big_u
        check = sure_sides(key, key_e, poor, float(rho)).tolist()
        if check:
            values = B.values(ks[check].tolist())
            us = self._exact_utils(p, None if ui is None else ui[check], len(check))
            for i, v, u in zip(check, values, us):
                if (v < rho * u) != poor[i]:
                    return None
        return r_v, r_s, big_u, poor
