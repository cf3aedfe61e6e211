/* Add1 certification (mes_certify.c): bounds of a project's price from its supporters as items (budget b, utility u,
 * weight W), in floats, each proven by a check with a bound on its rounding errors.
 *
 * f(ρ) = Σ W·min(b, ρ·u) is continuous, non-decreasing, concave and piecewise linear; the price is the least ρ with
 * f(ρ) ≥ C. The error argument of every check: a float sum of n non-negative terms, each a product of at most two
 * exact or rounded values then rounded, is within (n + 4)·2^-53 of its exact value, relatively, to first order; a
 * term's min(b, fl(ρ·u)) is within 2^-52 of min(b, ρ·u); the caller's err = (n + 8)·2^-52 covers both, twice. So
 * F·(1 - err) ≥ C proves f(ρ) ≥ C, and F·(1 + err) < C proves f(ρ) < C. */
#include "mes_cert.h"
#ifdef CERT_STATS  /* counts of passes and items, printed at exit: build with CFLAGS=-DCERT_STATS */
#include <stdio.h>
#include <stdlib.h>
static long st_sums, st_sumsn, st_paid, st_paidn, st_tan, st_tann, st_up, st_lo;
static void st_print(void) {
    fprintf(stderr, "sums %ld (%ld items) paid %ld (%ld) tangent %ld (%ld) upper %ld lower %ld\n", st_sums, st_sumsn,
            st_paid, st_paidn, st_tan, st_tann, st_up, st_lo);
}
static int st_on;
#define ST(x) do { if (!st_on) { st_on = 1; atexit(st_print); } x; } while (0)
#else
#define ST(x) do { } while (0)
#endif

/* The sums of one pass at r: B = Σ W·b over the items paying all they have (b < fl(r·u)), A = Σ W·u over the others
 * (so f(r) ≈ B + r·A, within err: the same terms as Σ W·min(b, fl(r·u)), r·A one more rounding); cnt how many pay
 * all they have; km the largest b/u among them (0 if none), kn the least among the others (INFINITY if none), both
 * rounded (each within 2^-52 of the true largest and least: the comparisons b > km·u round once). */
typedef struct {
    double B, A, km, kn;
    int cnt;
} Sums;

#define KN_NONE 0x1p900  /* kn when no item is on that side: finite, so that kn·u (u < 2^53) stays finite */

/* one item into the sums, without a branch on its side (half of them would be mispredicted): pm is 1 or 0, so the
 * products by pm and 1 - pm are exact */
#define SUM_ITEM(I, Bacc, Aacc)                                                    \
    do {                                                                           \
        double b = it[I].b, u = it[I].u, w = it[I].w, pm = (double)(b < r * u);   \
        Bacc += pm * (w * b);                                                      \
        Aacc += (1 - pm) * (w * u);                                                \
        c += (int)pm;                                                              \
        if (pm * (b - km * u) + (1 - pm) * (kn * u - b) > 0) { /* rare */          \
            if (pm != 0) km = b / u;                                               \
            else kn = b / u;                                                       \
        }                                                                          \
    } while (0)

static void sums_at(const Item *it, int n, int uni, double r, Sums *s) {
    double B0 = 0, B1 = 0, A0 = 0, A1 = 0, km = 0, kn = KN_NONE;  /* two sums each: any order has the same bound */
    int c = 0, i = 0;
    ST((st_sums++, st_sumsn += n));
    if (uni && n > 0) {  /* every item's u is the same (Cost_Sat: the cost) */
        /* one u: b < fl(r·u) against one threshold; A = u·Σ W (the weights' sum is an exact integer: one rounding) */
        double u = it[0].u, v = r * u, W0 = 0, W1 = 0, bm = 0, bn = KN_NONE;
        for (; i + 1 < n; i += 2) {
            double b = it[i].b, pm = (double)(b < v), b1 = it[i + 1].b, pm1 = (double)(b1 < v);
            B0 += pm * (it[i].w * b);
            B1 += pm1 * (it[i + 1].w * b1);
            W0 += (1 - pm) * it[i].w;
            W1 += (1 - pm1) * it[i + 1].w;
            c += (int)pm + (int)pm1;
            double m0 = pm * b, m1 = pm1 * b1, n0 = b + pm * KN_NONE, n1 = b1 + pm1 * KN_NONE;
            bm = bm > m0 ? bm : m0;
            bm = bm > m1 ? bm : m1;
            bn = bn < n0 ? bn : n0;
            bn = bn < n1 ? bn : n1;
        }
        if (i < n) {
            double b = it[i].b, pm = (double)(b < v), m0 = pm * b, n0 = b + pm * KN_NONE;
            B0 += pm * (it[i].w * b);
            W0 += (1 - pm) * it[i].w;
            c += (int)pm;
            bm = bm > m0 ? bm : m0;
            bn = bn < n0 ? bn : n0;
        }
        s->B = B0 + B1;
        s->A = (W0 + W1) * u;
        s->cnt = c;
        s->km = bm / u;
        s->kn = bn < KN_NONE ? bn / u : KN_NONE;
        return;
    }
    for (; i + 1 < n; i += 2) {
        SUM_ITEM(i, B0, A0);
        SUM_ITEM(i + 1, B1, A1);
    }
    if (i < n) SUM_ITEM(i, B0, A0);
    s->B = B0 + B1;
    s->A = A0 + A1;
    s->cnt = c;
    s->km = km;
    s->kn = kn;
}

/* f(x), rounded (within err): from the sums at another point when the same items pay all they have at x (every
 * b/u of those below x, of the others above: km and kn being within 2^-52 of the true largest and least,
 * km·(1 + 2^-48) < x gives b < x·u·(1 - 2^-49) < fl(x·u), and x·(1 + 2^-48) < kn gives b > x·u·(1 + 2^-49) ≥
 * fl(x·u)), else by a pass */
static double paid_at(const Item *it, int n, const Sums *s, double x) {
    if (s && s->km * (1 + 0x1p-48) < x && x * (1 + 0x1p-48) < s->kn) return s->B + x * s->A;
    double s0 = 0, s1 = 0;
    int i = 0;
    ST((st_paid++, st_paidn += n));
    for (; i + 1 < n; i += 2) {
        double v0 = x * it[i].u, v1 = x * it[i + 1].u;
        s0 += it[i].w * (it[i].b < v0 ? it[i].b : v0);
        s1 += it[i + 1].w * (it[i + 1].b < v1 ? it[i + 1].b : v1);
    }
    if (i < n) {
        double v = x * it[i].u;
        s0 += it[i].w * (it[i].b < v ? it[i].b : v);
    }
    return s0 + s1;
}

/* The peel as a fixed-point iteration: for r below the price, g(r) = (C - B(r)) / A(r) lies in (r, price] (those
 * paying all they have at r pay b at the price too, the others at most price·u: C = f(price) ≤ B + price·A), and g
 * is the price once the payers of all they have stop changing (no other b/u between r and g(r): kn). From a lower
 * bound r it only climbs: one pass when r is close (a stale bound of the same project, or the price at the other
 * end of the interval). */

/* y ≥ price, proven (f(y) ≥ C): y = r·(1 + d) checked, r moved to g(y) */
int peel_upper(const Item *it, int n, int uni, double C, double U, double err, double r, double *out) {
    double d = err * 4;
    Sums s;
    int have = 0, widen = 0;
    ST(st_up++);
    if (!(r > 0) || !isfinite(r)) r = C / U;
    if (!(r > 0) || !isfinite(r)) return -1;
    for (int pass = 0; pass < n + 8; pass++) {
        double y = r * (1 + d);
        if (!(have && s.km * (1 + 0x1p-48) < y && y * (1 + 0x1p-48) < s.kn)) { sums_at(it, n, uni, y, &s); have = 1; }
        if ((s.B + y * s.A) * (1 - err) >= C) { *out = y; return 1; }
        if (!(s.A > 0)) return -1;  /* every item pays all it has, and the floats cannot show that it is enough */
        double nr = (C - s.B) / s.A;
        if (nr > y) r = nr;
        else if (++widen > 3) return -1;  /* f(y) too close to C to tell: y moved further up */
        else d *= 1024;
    }
    return -1;
}

/* x < price, proven (f(x) < C): the iteration to its fixed point ρ, then x = ρ·(1 - d) checked */
int peel_lower(const Item *it, int n, int uni, double C, double U, double err, double r, double *out) {
    double d = err * 4;
    Sums s = {0, 0, INFINITY, 0, 0};  /* (km infinite: no sums to reuse) */
    int prev = -1;
    ST(st_lo++);
    if (!(r > 0) || !isfinite(r)) r = C / U;
    if (!(r > 0) || !isfinite(r)) return -1;
    for (int pass = 0; pass < n + 2; pass++) {
        sums_at(it, n, uni, r, &s);
        if (!(s.A > 0)) return -1;  /* every item pays all it has at a bound of the price: the floats cannot tell */
        double nr = (C - s.B) / s.A;
        if (!(nr > r) || s.cnt == prev) break;  /* the same payers as at the last r: r = g(r) is the price */
        prev = s.cnt;
        r = nr;
        if (nr * (1 + 0x1p-48) < s.kn) break;  /* no b/u between r and g(r): the same payers at g(r) */
    }
    for (int tries = 0; tries < 3; tries++, d *= 1024) {
        double x = r * (1 - d);
        if (paid_at(it, n, &s, x) * (1 + err) < C) { *out = x; return 1; }
    }
    return -1;
}

/* One pass at y: F ≈ f(y) and D ≥ f's slope right of y (Σ W·u over the items with b ≥ fl(y·u)·(1 - 2^-48), a
 * superset of those with b ≥ y·u, whose payments still grow past y). f is concave: f(ρ) ≤ f(y) + D·(ρ - y) for
 * ρ ≥ y, so with F_up = F·(1 + err) < C the price is at least y + (C - F_up) / (D·(1 + err)); the division and the
 * addition rounded (relative errors of 2^-53 each), shrunk by 2^-49 twice. D = 0: no payment grows past y and
 * f(y) < C: never affordable. */
int tangent_lower(const Item *it, int n, double C, double err, double y, double *out) {
    double F0 = 0, F1 = 0, D0 = 0, D1 = 0;
    int i = 0;
    ST((st_tan++, st_tann += n));
    for (; i + 1 < n; i += 2) {
        double v0 = y * it[i].u, v1 = y * it[i + 1].u;
        F0 += it[i].w * (it[i].b < v0 ? it[i].b : v0);
        F1 += it[i + 1].w * (it[i + 1].b < v1 ? it[i + 1].b : v1);
        if (it[i].b >= v0 * (1 - 0x1p-48)) D0 += it[i].w * it[i].u;
        if (it[i + 1].b >= v1 * (1 - 0x1p-48)) D1 += it[i + 1].w * it[i + 1].u;
    }
    if (i < n) {
        double v = y * it[i].u;
        F0 += it[i].w * (it[i].b < v ? it[i].b : v);
        if (it[i].b >= v * (1 - 0x1p-48)) D0 += it[i].w * it[i].u;
    }
    double Fu = (F0 + F1) * (1 + err), D = D0 + D1;
    if (!(Fu < C)) return -1;
    if (D == 0) { *out = INFINITY; return 0; }
    double x = (y + (C - Fu) / (D * (1 + err)) * (1 - 0x1p-49)) * (1 - 0x1p-49);
    *out = x > y ? x : y;  /* y itself is below the price (f(y) < C) */
    return 1;
}

/* cert_peel(items, cost, kind, r) -> float or None: a test hook, one bound of mes_cert_peel.c over the items
 * [(b, u, w), ...] with the checks price_bound makes first; kind "upper" (≥ the price), "lower" (< it), from r (a
 * lower bound of the price, or 0), or "tangent" (< the price and ≥ r, one pass at r). None: the floats cannot tell;
 * inf: never affordable. */
PyObject *mes_cert_peel_test(PyObject *self, PyObject *args) {
    PyObject *list;
    double C, r;
    const char *kind;
    if (!PyArg_ParseTuple(args, "Odsd", &list, &C, &kind, &r)) return NULL;
    int k = !strcmp(kind, "upper") ? 1 : !strcmp(kind, "lower") ? 0 : !strcmp(kind, "tangent") ? 2 : -1;
    if (k < 0) { PyErr_SetString(PyExc_ValueError, "kind: upper, lower or tangent"); return NULL; }
    PyObject *seq = PySequence_Fast(list, "items: a list of (b, u, w)");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Item *it = xcalloc(n, sizeof(Item));
    if (!it) { Py_DECREF(seq); return PyErr_NoMemory(); }
    double U = 0, tot = 0;
    int uni = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "ddd", &it[i].b, &it[i].u, &it[i].w)) {
            free(it);
            Py_DECREF(seq);
            return NULL;
        }
        U += it[i].w * it[i].u;
        tot += it[i].w * it[i].b;
        if (it[i].u != it[0].u) uni = 0;
    }
    Py_DECREF(seq);
    double err = (n + 8) * 0x1p-52, out = 0;
    int res = -1;
    if (k != 1 && tot * (1 + err) < C) { out = INFINITY; res = 0; }
    else if (k == 2) res = tangent_lower(it, (int)n, C, err, r, &out);
    else if (tot >= C && tot * (1 - err) >= C && n > 0)
        res = k ? peel_upper(it, (int)n, uni, C, U, err, r, &out) : peel_lower(it, (int)n, uni, C, U, err, r, &out);
    free(it);
    if (res < 0) Py_RETURN_NONE;
    return PyFloat_FromDouble(out);
}
