"""The budget classes of the MES engine: what each class of voters holds, as an affine function of the start budget t.

Class 0 is everyone at the start (t, slope 1), class ``POOR`` those who paid all they had (0). Every other class was
made at one purchase from a parent class that paid ρ·u there: value = parent's value - ρ·u, slope = parent's slope -
ρ'·u, where (ρ, ρ') is the round's rate at t0 and its slope in t. The classes of a purchase with many payers are
mostly never looked at exactly, so their exact values are computed on demand; those of a purchase with few payers
are computed at once (they are read soon, by projects with few classes). Floats are kept for every class with a
bound on their absolute error, so the float screens stay rigorous however long the chain of payments behind a class.
"""

from __future__ import annotations

import numpy as np
from gmpy2 import mpq

from pbtools.counting.rules.mes_screen import ERR

ZERO = mpq(0)
POOR = 1
EAGER = 64  # a purchase with fewer payers gets its classes' exact values at once


class Budgets:
    def __init__(self, t0, purchases: int | None = None) -> None:
        """``purchases``: how many purchases a run can make, when every payer of a purchase pays the same (Cost_Sat)."""
        self.t0 = mpq(t0)
        self.paid = np.zeros((64, purchases), dtype=np.float32) if purchases else None  # class x purchase: paid it
        self.unit: list = []  # per purchase: the utility every payer had (the cost, under Cost_Sat)
        self.made: dict[int, tuple] = {}  # class -> (parent, purchase, utility), for classes valued on demand
        self.rates: list[tuple] = []  # per purchase of this run: (ρ at t0, its slope)
        self.vals, self.slps = [self.t0, ZERO], [mpq(1), ZERO]
        self.lazy = False  # some classes' exact values are not computed yet
        self.n = self.n_float = 2
        self.pending: list = []  # purchases whose rows of ``paid`` are not written yet
        self.vf, self.sf = np.zeros(64), np.zeros(64)  # float values and slopes
        self.ve, self.se = np.zeros(64), np.zeros(64)  # bounds on their absolute errors
        self.vf[0], self.sf[0], self.ve[0] = float(self.t0), 1.0, ERR * float(self.t0)

    # exact, on demand
    def _fill(self, ks: list[int], memo: list, rate: int) -> None:
        """Computes the missing exact values (rate 0) or slopes (rate 1) of ks, their missing ancestors first."""
        need, stack = set(), [k for k in ks if memo[k] is None]
        made = self.made
        while stack:
            k = stack.pop()
            if k not in need:
                need.add(k)
                if memo[made[k][0]] is None:
                    stack.append(made[k][0])
        rates = self.rates
        for k in sorted(need):  # a parent is older than its children
            parent, j, u = made[k]
            memo[k] = memo[parent] - rates[j][rate] * u

    def values(self, ks: list[int]) -> list:
        return self._read(ks, self.vals, 0)

    def slopes(self, ks: list[int]) -> list:
        return self._read(ks, self.slps, 1)

    def _read(self, ks: list[int], memo: list, rate: int) -> list:
        got = [memo[k] for k in ks]
        if self.lazy and any(v is None for v in got):
            self._fill(ks, memo, rate)
            got = [memo[k] for k in ks]
        return got

    def worth_it(self, entries: int) -> bool:
        """Sum by purchase rather than by class (one exact term per purchase instead of per class)."""
        return entries > (16 if self.lazy else max(16, 2 * len(self.rates)))  # lazy classes would be filled first

    def dot(self, ks: np.ndarray, wf: np.ndarray, slopes: bool = False):
        """Σ weight·value (or slope) over supporter entries, exact.

        Under Cost_Sat every payer of a purchase pays the same amount a_j, so a class's value is t0 - Σ a_j over
        the purchases it paid for: Σ w·value = W·t0 - Σ_j a_j·(weight that paid j), one exact term per purchase
        instead of one per class (the weights that paid come from the 0/1 matrix ``paid`` in floats, exact for
        integers below 2**53).
        """
        if self.paid is not None and self.worth_it(len(ks)):
            self._paid_rows()
            live = ks != POOR
            w = wf[live]
            per_round = (w @ self.paid[ks[live], : len(self.rates)]).tolist()
            total = int(w.sum()) * (mpq(1) if slopes else self.t0)
            return total - sum(int(n) * self.rates[j][1 if slopes else 0] * self.unit[j] for j, n in enumerate(per_round) if n)
        kl = ks.tolist()
        if self.lazy:
            got = self.slopes(kl) if slopes else self.values(kl)
            return sum(w * v for w, v in zip(wf.astype(np.int64).tolist(), got))
        memo = self.slps if slopes else self.vals
        return sum(w * memo[k] for k, w in zip(kl, wf.astype(np.int64).tolist()))

    # changes
    def add(self, rho_v, rho_s, parents: np.ndarray, utils: list, uf) -> np.ndarray:
        """A purchase: each parent class pays ρ·u (its utility u) and becomes a new class; returns the new classes."""
        j = len(self.rates)
        self.rates.append((rho_v, rho_s))
        self.unit.append(utils[0] if utils else None)
        first, count = self.n, len(parents)
        if self.paid is not None:
            self.pending.append((first, parents, j))
        eager = count < EAGER and (not self.lazy or all(self.vals[k] is not None and self.slps[k] is not None for k in parents.tolist()))
        if not eager:
            self.floats()  # the floats of everything before, from exact values; the new ones from their parents'
        self.n += count
        if eager:  # their floats are made when a screen needs them
            pl = parents.tolist()
            self.vals.extend([self.vals[k] - rho_v * u for k, u in zip(pl, utils)])
            self.slps.extend([self.slps[k] - rho_s * u for k, u in zip(pl, utils)])
            return np.arange(first, self.n, dtype=np.int64)
        self.vals.extend([None] * count)
        self.slps.extend([None] * count)
        self.made.update(zip(range(first, self.n), zip(parents.tolist(), [j] * count, utils)))  # stale keys are rewritten
        self.lazy = True
        self._room(self.n)
        pay_v, pay_s = float(rho_v) * uf, float(rho_s) * uf
        new = slice(first, self.n)
        pv, ps = self.vf[parents], self.sf[parents]
        self.vf[new], self.sf[new] = pv - pay_v, ps - pay_s
        self.ve[new] = self.ve[parents] + ERR * (np.abs(pv) + np.abs(pay_v))
        self.se[new] = self.se[parents] + ERR * (np.abs(ps) + np.abs(pay_s))
        self.n_float = self.n
        return np.arange(first, self.n, dtype=np.int64)

    def _room(self, n: int) -> None:
        if n > len(self.vf):
            size, kept = max(n, 2 * len(self.vf)), self.n_float
            self.vf, self.sf, self.ve, self.se = (np.concatenate([a[:kept], np.zeros(size - kept)]) for a in (self.vf, self.sf, self.ve, self.se))

    def floats(self) -> None:
        """Brings the float copies up to date: the classes made since are eager ones, copied from exact values."""
        start, n = self.n_float, self.n
        if start == n:
            return
        self._room(n)
        self.vf[start:n] = list(map(float, self.vals[start:n]))
        self.sf[start:n] = list(map(float, self.slps[start:n]))
        self.ve[start:n] = ERR * np.abs(self.vf[start:n])
        self.se[start:n] = ERR * np.abs(self.sf[start:n])
        self.n_float = n

    def _paid_rows(self) -> None:
        """Writes the rows of ``paid`` for the purchases made since it was last read."""
        for first, parents, j in self.pending:
            end = first + len(parents)
            if end > len(self.paid):
                grown = np.zeros((max(end, 2 * len(self.paid)), self.paid.shape[1]), dtype=np.float32)
                grown[:first] = self.paid[:first]
                self.paid = grown
            self.paid[first:end] = self.paid[parents]
            self.paid[first:end, j] = 1
        self.pending = []

    def mark(self) -> tuple[int, int]:
        return self.n, len(self.rates)

    def restore(self, mark: tuple[int, int], t0) -> None:
        """Back to the classes and purchases at ``mark``, evaluated at a new t0 (no decision changes in between)."""
        n, rounds = mark
        shift = mpq(t0) - self.t0
        self.t0 = mpq(t0)
        del self.slps[n:]
        self.rates = [(v + s * shift, s) for v, s in self.rates[:rounds]]
        del self.unit[rounds:]
        self.vals = [None if v is None or s is None else v + s * shift for v, s in zip(self.vals[:n], self.slps)]
        self.vals[0], self.vals[POOR] = self.t0, ZERO
        self.lazy = self.lazy and any(v is None for v in self.vals)
        self.n = n
        self.pending = [batch for batch in self.pending if batch[0] < n]
        nf = self.n_float = min(self.n_float, n)
        sh = float(shift)
        vf, sf = self.vf[:nf], self.sf[:nf]
        moved = vf + sf * sh
        self.ve[:nf] += self.se[:nf] * abs(sh) + ERR * (np.abs(vf) + np.abs(sf * sh) + np.abs(moved))
        self.vf[:nf] = moved
