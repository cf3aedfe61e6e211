"""Who paid which purchase, by budget class, for exact sums over many classes at once (Cost_Sat only).

Under Cost_Sat every voter who pays ρ·u for a purchase pays the same amount a_j (u is the cost), so a class's value
is t0 - Σ a_j over the purchases it paid for. The sum of w·value over many classes is then W·t0 - Σ_j a_j·(weight
that paid j): one exact term per purchase instead of one per class. Which classes paid which purchase is a 0/1
matrix; its products with integer weights are exact in floats (below 2**53).
"""

from __future__ import annotations

import numpy as np
from gmpy2 import mpq

POOR = 1  # the class of those who paid all they had: holds nothing


class Paid:
    def __init__(self, purchases: int) -> None:
        self.rows = np.zeros((64, max(purchases, 1)), dtype=np.float32)
        self.rates: list[tuple] = []  # per purchase: (a_j at t0, its slope in t)

    def add(self, first: int, parents: np.ndarray, a_v, a_s) -> None:
        """Classes first, first+1, ... were made from ``parents``, each paying a_v (slope a_s) for a new purchase."""
        j, end = len(self.rates), first + len(parents)
        self.rates.append((a_v, a_s))
        if end > len(self.rows):
            grown = np.zeros((max(end, 2 * len(self.rows)), self.rows.shape[1]), dtype=np.float32)
            grown[:first] = self.rows[:first]
            self.rows = grown
        self.rows[first:end] = self.rows[parents]
        self.rows[first:end, j] = 1

    def restore(self, purchases: int, shift) -> None:
        """Back to the first ``purchases`` purchases, their amounts moved to t0 + shift (rows past them are rewritten)."""
        self.rates = [(v + s * shift, s) for v, s in self.rates[:purchases]]

    def worth_it(self, entries: int) -> bool:
        return entries > max(16, 2 * len(self.rates))

    def dot(self, ks: np.ndarray, wf: np.ndarray, t0, slopes: bool = False):
        """Σ w·(value or slope) over the classes ks with weights wf, exact (class 0 is worth t0, slope 1)."""
        live = ks != POOR
        w = wf[live]
        per_purchase = (w @ self.rows[ks[live], : len(self.rates)]).tolist()
        which = 1 if slopes else 0
        paid = sum(int(n) * self.rates[j][which] for j, n in enumerate(per_purchase) if n)
        return int(w.sum()) * (mpq(1) if slopes else mpq(t0)) - paid
