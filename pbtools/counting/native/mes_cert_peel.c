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
        double b = ib[I], u = iu[I], w = iw[I], pm = (double)(b < r * u);          \
        Bacc += pm * (w * b);                                                      \
        Aacc += (1 - pm) * (w * u);                                                \
        c += (int)pm;                                                              \
        if (pm * (b - km * u) + (1 - pm) * (kn * u - b) > 0) { /* rare */          \
            if (pm != 0) km = b / u;                                               \
            else kn = b / u;                                                       \
        }                                                                          \
    } while (0)

/* two lanes of doubles (an SSE2 register, x86-64's baseline; NEON on ARM), two of them for four partial sums: the
 * sums below as four partial sums each, added at the end. Only the order of the float additions changes, and the
 * error bound of mes_cert_peel.c holds for any order of the same terms (each partial sum's error within its own
 * (n_lane + 4)·2^-53, the final additions within the same total (n + 4)·2^-53); the weights' sums stay exact
 * integers, and max/min are exact. */
typedef double v2d __attribute__((vector_size(16)));
typedef long long v2l __attribute__((vector_size(16)));

/* max and min of lanes (no NaN here: any operand order is the same) */
#ifdef __SSE2__
#include <emmintrin.h>
#define VMAX(a, b) ((v2d)_mm_max_pd((__m128d)(a), (__m128d)(b)))
#define VMIN(a, b) ((v2d)_mm_min_pd((__m128d)(a), (__m128d)(b)))
#else
static inline v2d vsel(v2l g, v2d a, v2d b) { return (v2d)(((v2l)a & g) | ((v2l)b & ~g)); }
#define VMAX(a, b) vsel((a) > (b), (a), (b))
#define VMIN(a, b) vsel((a) < (b), (a), (b))
#endif

/* items [i, i + 2) into one set of lanes: m = -1 where the item pays all it has (b < v) */
#define SUM2(B, W, C, BM, BN)                                                                  \
    do {                                                                                      \
        v2d b, w;                                                                             \
        memcpy(&b, ib + i, sizeof b);                                                         \
        memcpy(&w, iw + i, sizeof w);                                                         \
        v2l m = b < vv;                                                                       \
        v2d wb = w * b;                                                                       \
        B += (v2d)((v2l)wb & m);                                                              \
        W += (v2d)((v2l)w & ~m);                                                              \
        C += m;                                                                               \
        /* b or 0; b or KN_NONE (0 ≤ b, a budget, far below KN_NONE: a max picks it) */          \
        v2d mb = (v2d)((v2l)b & m), nb = VMAX(b, (v2d)((v2l)kn2 & m));                        \
        BM = VMAX(BM, mb);                                                                    \
        BN = VMIN(BN, nb);                                                                    \
    } while (0)

/* the sums at r when every item has utility u (Cost_Sat: the cost): b < fl(r·u) against one threshold; A = u·Σ W
 * (the weights' sum an exact integer: one rounding) */
static void sums_uni(const double *restrict ib, const double *restrict iw, int n, double u, double r, Sums *s) {
    double v = r * u;
    v2d vv = {v, v}, kn2 = {KN_NONE, KN_NONE}, B0 = {0, 0}, B1 = B0, W0 = B0, W1 = B0, BM0 = B0, BM1 = B0, BN0 = kn2,
        BN1 = kn2;
    v2l C0 = {0, 0}, C1 = C0;
    int i = 0;
    for (; i + 4 <= n;) {
        SUM2(B0, W0, C0, BM0, BN0);
        i += 2;
        SUM2(B1, W1, C1, BM1, BN1);
        i += 2;
    }
    if (i + 2 <= n) {
        SUM2(B0, W0, C0, BM0, BN0);
        i += 2;
    }
    double Bs = (B0[0] + B0[1]) + (B1[0] + B1[1]), Ws = (W0[0] + W0[1]) + (W1[0] + W1[1]);
    double bm = BM0[0], bn = BN0[0];
    double ms[3] = {BM0[1], BM1[0], BM1[1]}, ns[3] = {BN0[1], BN1[0], BN1[1]};
    for (int k = 0; k < 3; k++) {
        bm = bm > ms[k] ? bm : ms[k];
        bn = bn < ns[k] ? bn : ns[k];
    }
    int c = (int)-(C0[0] + C0[1] + C1[0] + C1[1]);
    for (; i < n; i++) {
        double b = ib[i], pm = (double)(b < v), m0 = pm * b, n0 = b + pm * KN_NONE;
        Bs += pm * (iw[i] * b);
        Ws += (1 - pm) * iw[i];
        c += (int)pm;
        bm = bm > m0 ? bm : m0;
        bn = bn < n0 ? bn : n0;
    }
    s->B = Bs;
    s->A = Ws * u;
    s->cnt = c;
    s->km = bm / u;
    s->kn = bn < KN_NONE ? bn / u : KN_NONE;
}

static void sums_at(const Items *it, int n, int uni, double r, Sums *s) {
    ST((st_sums++, st_sumsn += n));
    if (uni) { sums_uni(it->b, it->w, n, n > 0 ? it->u[0] : 1, r, s); return; }
    const double *ib = it->b, *iu = it->u, *iw = it->w;
    double B0 = 0, B1 = 0, A0 = 0, A1 = 0, km = 0, kn = KN_NONE;  /* two sums each: any order has the same bound */
    int c = 0, i = 0;
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
#define UOF(i) (uni ? iu[0] : iu[i])  /* the utility of item i (uni: every item's is u[0]) */
static double paid_at(const Items *it, int n, int uni, const Sums *s, double x) {
    if (s && s->km * (1 + 0x1p-48) < x && x * (1 + 0x1p-48) < s->kn) return s->B + x * s->A;
    const double *ib = it->b, *iu = it->u, *iw = it->w;
    double s0 = 0, s1 = 0;
    int i = 0;
    ST((st_paid++, st_paidn += n));
    for (; i + 1 < n; i += 2) {
        double v0 = x * UOF(i), v1 = x * UOF(i + 1);
        s0 += iw[i] * (ib[i] < v0 ? ib[i] : v0);
        s1 += iw[i + 1] * (ib[i + 1] < v1 ? ib[i + 1] : v1);
    }
    if (i < n) {
        double v = x * UOF(i);
        s0 += iw[i] * (ib[i] < v ? ib[i] : v);
    }
    return s0 + s1;
}

/* The peel as a fixed-point iteration: for r below the price, g(r) = (C - B(r)) / A(r) lies in (r, price] (those
 * paying all they have at r pay b at the price too, the others at most price·u: C = f(price) ≤ B + price·A), and g
 * is the price once the payers of all they have stop changing (no other b/u between r and g(r): kn). From a lower
 * bound r it only climbs: one pass when r is close (a stale bound of the same project, or the price at the other
 * end of the interval). */

/* y ≥ price, proven (f(y) ≥ C): y = r·(1 + d) checked, r moved to g(y) */
int peel_upper(const Items *it, int n, int uni, double C, double U, double err, double r, double *out) {
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
int peel_lower(const Items *it, int n, int uni, double C, double U, double err, double r, double *out) {
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
        if (paid_at(it, n, uni, &s, x) * (1 + err) < C) { *out = x; return 1; }
    }
    return -1;
}

/* One pass at y: F ≈ f(y) and D ≥ f's slope right of y (Σ W·u over the items with b ≥ fl(y·u)·(1 - 2^-48), a
 * superset of those with b ≥ y·u, whose payments still grow past y). f is concave: f(ρ) ≤ f(y) + D·(ρ - y) for
 * ρ ≥ y, so with F_up = F·(1 + err) < C the price is at least y + (C - F_up) / (D·(1 + err)); the division and the
 * addition rounded (relative errors of 2^-53 each), shrunk by 2^-49 twice. D = 0: no payment grows past y and
 * f(y) < C: never affordable. */
int tangent_lower(const Items *it, int n, int uni, double C, double err, double y, double *out) {
    const double *ib = it->b, *iu = it->u, *iw = it->w;
    double F0 = 0, F1 = 0, D0 = 0, D1 = 0;
    int i = 0;
    ST((st_tan++, st_tann += n));
    for (; i + 1 < n; i += 2) {
        double u0 = UOF(i), u1 = UOF(i + 1), v0 = y * u0, v1 = y * u1;
        F0 += iw[i] * (ib[i] < v0 ? ib[i] : v0);
        F1 += iw[i + 1] * (ib[i + 1] < v1 ? ib[i + 1] : v1);
        if (ib[i] >= v0 * (1 - 0x1p-48)) D0 += iw[i] * u0;
        if (ib[i + 1] >= v1 * (1 - 0x1p-48)) D1 += iw[i + 1] * u1;
    }
    if (i < n) {
        double u0 = UOF(i), v = y * u0;
        F0 += iw[i] * (ib[i] < v ? ib[i] : v);
        if (ib[i] >= v * (1 - 0x1p-48)) D0 += iw[i] * u0;
    }
    double Fu = (F0 + F1) * (1 + err), D = D0 + D1;
    if (!(Fu < C)) return -1;
    if (D == 0) { *out = INFINITY; return 0; }
    double x = (y + (C - Fu) / (D * (1 + err)) * (1 - 0x1p-49)) * (1 - 0x1p-49);
    *out = x > y ? x : y;  /* y itself is below the price (f(y) < C) */
    return 1;
}

/* One bound of the price over n items (tot: Σ W·b, U: Σ W·u, both in floats), as certification takes it (kind:
 * upper, lower, or a tangent at r): 1: found (*out, finite and > 0); 0: surely unaffordable (lower kinds; *out
 * INFINITY); -1: the floats cannot tell. The screens first: a total within its rounding error of the cost tells
 * nothing. */
int items_bound(const Items *it, int n, int uni, double C, double U, double tot, BoundKind kind, double r, double *out) {
    double err = (n + 8) * 0x1p-52;  /* see above */
    if (kind != BOUND_UPPER && tot * (1 + err) < C) { *out = INFINITY; return 0; }
    if (kind == BOUND_UPPER && !(tot * (1 - err) >= C)) return -1;
    if (!(tot >= C) || n == 0) return -1;  /* lower, but too close to the cost to tell */
    if (kind == BOUND_TANGENT) return tangent_lower(it, n, uni, C, err, r, out);
    int ok = kind == BOUND_UPPER ? peel_upper(it, n, uni, C, U, err, r, out) : peel_lower(it, n, uni, C, U, err, r, out);
    return ok == 1 && *out > 0 && isfinite(*out) ? 1 : -1;
}

/* cert_peel(items, cost, kind, r) -> float or None: a test hook, one bound of mes_cert_peel.c over the items
 * [(b, u, w), ...] through items_bound, as certification takes it; kind "upper" (≥ the price), "lower" (< it),
 * from r (a lower bound of the price, or 0), or "tangent" (< the price and ≥ r, one pass at r). None: the floats
 * cannot tell; inf: never affordable. */
PyObject *mes_cert_peel_test(PyObject *self, PyObject *args) {
    PyObject *list;
    double C, r;
    const char *kind;
    if (!PyArg_ParseTuple(args, "Odsd", &list, &C, &kind, &r)) return NULL;
    BoundKind k;
    if (!strcmp(kind, "upper")) k = BOUND_UPPER;
    else if (!strcmp(kind, "lower")) k = BOUND_LOWER;
    else if (!strcmp(kind, "tangent")) k = BOUND_TANGENT;
    else { PyErr_SetString(PyExc_ValueError, "kind: upper, lower or tangent"); return NULL; }
    PyObject *seq = PySequence_Fast(list, "items: a list of (b, u, w)");
    if (!seq) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(seq);
    Items it = {xcalloc(n + 1, sizeof(double)), xcalloc(n + 1, sizeof(double)), xcalloc(n + 1, sizeof(double))};
    if (!it.b || !it.u || !it.w) { free(it.b); free(it.u); free(it.w); Py_DECREF(seq); return PyErr_NoMemory(); }
    double U = 0, tot = 0;
    int uni = 1;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (!PyArg_ParseTuple(PySequence_Fast_GET_ITEM(seq, i), "ddd", &it.b[i], &it.u[i], &it.w[i])) {
            free(it.b); free(it.u); free(it.w);
            Py_DECREF(seq);
            return NULL;
        }
        U += it.w[i] * it.u[i];
        tot += it.w[i] * it.b[i];
        if (it.u[i] != it.u[0]) uni = 0;
    }
    Py_DECREF(seq);
    double out = 0;
    int res = items_bound(&it, (int)n, uni, C, U, tot, k, r, &out);  /* the screen certification prices with */
    free(it.b); free(it.u); free(it.w);
    if (res < 0) Py_RETURN_NONE;
    return PyFloat_FromDouble(out);
}
