"""Float screens of the MES engine: numpy finds the few entries an exact (``mpq``) decision depends on.

Every float here is either an exactly rounded copy of an exact value (``float(mpq)``: relative error at most 2**-53)
or one product, quotient or difference of such copies. ``ERR`` bounds the relative error of such an expression
with room to spare, so an entry the screen calls certain is certain in exact arithmetic; the others are decided
exactly by the caller. The screens never decide an outcome alone.
"""

from __future__ import annotations

import numpy as np

ERR = 1e-15  # > 4 roundings of 2**-53 each


def poor_guess(key: np.ndarray, wu: np.ndarray, wb: np.ndarray, cost: float) -> np.ndarray:
    """A float guess of who pays all they have: peel the supporters off in order of budget per unit of utility
    (``key``) while one cannot pay the even price of those left. ``wu``/``wb``: weight x utility, weight x budget.

    The exact rule is a threshold (poor iff budget < ρ·u at the final ρ), so the guess is checked exactly after.
    """
    order = np.argsort(key, kind="stable")
    k, wuo, wbo = key[order], wu[order], wb[order]
    left_u = wu.sum() - (np.cumsum(wuo) - wuo)  # utility of those not yet peeled, before each one
    left_c = cost - (np.cumsum(wbo) - wbo)
    peel = k * left_u < left_c
    n = int(np.argmin(peel)) if not peel.all() else len(k)
    poor = np.zeros(len(key), dtype=bool)
    poor[order[:n]] = True
    return poor


def sure_sides(key: np.ndarray, key_err: np.ndarray, poor: np.ndarray, rho: float) -> np.ndarray:
    """Entries whose side (key < ρ for the poor, key ≥ ρ for the others) the floats cannot vouch for.

    ``key_err`` bounds the absolute error of each key; ρ is a rounded copy of the exact rate."""
    margin = ERR * np.maximum(np.abs(key), abs(rho)) + key_err
    return np.flatnonzero(np.where(poor, key >= rho - margin, key <= rho + margin))


def first_crossings(num: np.ndarray, den: np.ndarray, num_err: np.ndarray, den_err: np.ndarray) -> np.ndarray:
    """Entries whose exact crossing num/den (den > 0; entries with den ≤ 0 never cross) may be the earliest one.

    ``num_err``/``den_err`` bound the absolute errors of the float num and den. Returns the indices to decide
    exactly: every entry whose crossing may be the minimum, and every entry whose denominator's sign the floats
    cannot tell.
    """
    ne, de = num_err, den_err
    sure = den > de
    unsure = np.flatnonzero((den > -de) & ~sure)
    if not sure.any():
        return unsure
    idx = np.flatnonzero(sure)
    n, d = num[idx], den[idx]
    hi = (np.maximum(n, 0) + ne[idx]) / (d - de[idx])
    lo = np.maximum(n - ne[idx], 0) / (d + de[idx])
    return np.concatenate([idx[lo <= hi.min()], unsure])


def price_lower_bound(cost: float, w, b, b_err, slopes, slopes_err, left_u: float):
    """(ρ_lo, s_lo) with ρ_lo + s_lo·(t - t0) below a project's price for t >= t0, or None when too close to call.

    Any split S into "pays all" (weights w, float budgets b and their slopes in t, with their absolute errors) and
    the rest (utility left_u) bounds the price from below: (cost - Σ_S w·b) / left_u, since Σ min(b, ρu) <= Σ_S b +
    ρ·Σ_{not S} u. The float sums (at most 10**6 terms) are widened by 1e-10 of their magnitude and by the errors.
    """
    paid = float(w @ b)
    num = cost - paid - float(w @ b_err) - 1e-10 * (cost + paid)
    if num <= 0 or left_u <= 0:
        return None
    s_num = -float(w @ slopes) - float(w @ slopes_err) - 1e-10 * float(w @ np.abs(slopes))
    s_lo = s_num / (left_u * (1 + 1e-10)) if s_num >= 0 else s_num / (left_u * (1 - 1e-10))
    return num / (left_u * (1 + 1e-10)), s_lo
