/* Add1: one MES outcome certified for a whole interval of start budgets [ta, tb], without an exact run.
 *
 * Interval reasoning, no monotonicity in t needed: keep, per budget class (the groups that paid for the same
 * purchases), a lower bound lo and an upper bound hi of its members' budget at every t in [ta, tb] (at the start: ta
 * and tb), all decisions of the rounds before being the same.
 * A project's price ρ (the least ρ with Σ W·min(b, ρ·u) ≥ cost) is non-increasing in the budgets, so at every t it
 * lies between its price at hi and its price at lo. In a round:
 *  - a project whose supporters' hi budgets add up to less than its cost is unaffordable at every t (dropped; budgets
 *    only go down, so for good);
 *  - if the winner w's price at lo is at most y (so at every t it is ≤ y, and w is affordable), and every other
 *    project's price at hi is above x_q ≥ y, w is the round's only winner at every t;
 *  - after w is bought a payer's budget max(0, b − ρ·u) lies between max(0, lo − y·u) and max(0, hi − x_w·u).
 * When every project left is unaffordable at hi, the run ends with the same winners, in the same order, at every
 * t in [ta, tb]. Prices are only screened in floats: every bound is checked (Σ W·min(b, ρ·u) against the cost) with
 * a bound on its rounding errors, and anything the floats cannot tell fails the certification (the caller then
 * splits the interval, down to single steps counted exactly). A stale bound x_q (from higher budgets earlier in the
 * run) stays a lower bound, so, as in the exact run, rivals are priced again only when their old bound is below y.
 *
 * Only with exact floats: every weight, cost and utility an integer below 2^53 (else no certification, ever).
 * The classes, and each project's weights per class, depend only on the winners before: they are kept from one
 * certification to the next along the path last taken (struct Certifier, mes_cert_state.c); so are the projects a
 * certification reaching a higher t found unaffordable (see certify). A certification that fails at a rival leaves
 * a guess of the share of [ta, tb] that holds (certify_hint), which the search (rules/mes.py) narrows to. */
#include "mes_cert.h"
#ifdef __SSE2__
#include <emmintrin.h>
#endif

/* p's supporters at round j as items (budget, utility, weight), the budgets from lo or hi: under Cost_Sat one item
 * per class (every supporter's utility is the cost; the weights per class kept for the next certification), else
 * one per group; those with no budget left are left out (they pay nothing at any price: 40 % of Budapest's). *tot =
 * Σ W·b, *U = Σ W·u over the items (rounded, within err; a bound C/U of the price holds without the others). */
static int items(struct Certifier *S, Engine *E, int p, int upper, int j, double *tot, double *U) {
    const double *b = upper ? S->lo : S->hi;
    double *restrict ib = S->it.b, *restrict iw = S->it.w, *restrict iu = S->it.u;
    int n = 0, off = E->sup_off[p], end = E->sup_off[p + 1];
    double t0 = 0, U0 = 0;
    if (!E->by_cost) {
        classes_at(S, E, j);
        for (int e = off; e < end; e++) {
            double v = b[S->cls[E->sup_g[e]]];
            if (v > 0) {
                ib[n] = v;
                iu[n] = S->u[e];
                iw[n++] = S->w[e];
                t0 += S->w[e] * v;
                U0 += S->w[e] * S->u[e];
            }
        }
        *tot = t0;
        *U = U0;
        return n;
    }
    double u = E->dcost[p], sw = 0;  /* Σ W: an exact integer (all weights add up below 2^53) */
    iu[0] = u;  /* uni: every item's utility */
    size_t at = j < S->ic_rows ? (size_t)j * E->m + p : 0;
    if (j < S->ic_rows && S->ic_at[at] >= 0) {
        const int *ks = S->ic_k + S->ic_at[at];
        const double *ws = S->ic_w + S->ic_at[at];
        int len = S->ic_len[at];
        /* One sweep, the budgets gathered once (Budapest: 30 % of the time went to gathering them twice, the total
         * alone first): every item written, the next one written over it when it has no budget (no branch). Two
         * partial sums of the total: any order has the same bound; items of no budget add exact zeros, so the
         * caller's err from the n kept holds (the unaffordable are told there, by the same test as before). */
        double t1 = 0, s1 = 0;
        int i = 0;
        for (; i + 1 < len; i += 2) {
            double v = b[ks[i]], w = ws[i], v1 = b[ks[i + 1]], w1 = ws[i + 1];
            ib[n] = v;
            iw[n] = w;
            t0 += w * v;
            sw += v > 0 ? w : 0;
            n += v > 0;
            ib[n] = v1;
            iw[n] = w1;
            t1 += w1 * v1;
            s1 += v1 > 0 ? w1 : 0;
            n += v1 > 0;
        }
        if (i < len) {
            double v = b[ks[i]], w = ws[i];
            ib[n] = v;
            iw[n] = w;
            t0 += w * v;
            sw += v > 0 ? w : 0;
            n += v > 0;
        }
        *tot = t0 + t1;
        *U = (sw + s1) * u;
        return n;
    }
    classes_at(S, E, j);
    for (int e = off; e < end; e++) {
        int k = S->cls[E->sup_g[e]];
        if (S->acc[k] == 0) S->touched[n++] = k;
        S->acc[k] += S->w[e];  /* integers below 2^53 in all (checked): exact */
    }
    if (j < S->ic_rows && S->ic_n + n > S->ic_cap) {  /* the pool is full: grown, else started again */
        size_t cap = S->ic_cap;
        while (cap < S->ic_n + n && cap < POOL_MAX) cap *= 2;
        if (cap < S->ic_n + n || xgrow(&S->ic_k, cap, sizeof(int)) < 0 || xgrow(&S->ic_w, cap, sizeof(double)) < 0) {
            forget_after(S, E, -1);
            S->ic_n = 0;
        } else {
            S->ic_cap = cap;
        }
    }
    int keep = j < S->ic_rows && S->ic_n + n <= S->ic_cap;
    if (keep) { S->ic_at[at] = (int64_t)S->ic_n; S->ic_len[at] = n; }
    int kept = 0;
    for (int i = 0; i < n; i++) {
        int k = S->touched[i];
        if (b[k] > 0) {
            ib[kept] = b[k];
            iw[kept++] = S->acc[k];
            t0 += S->acc[k] * b[k];
            sw += S->acc[k];
        }
        if (keep) { S->ic_k[S->ic_n + i] = k; S->ic_w[S->ic_n + i] = S->acc[k]; }
        S->acc[k] = 0;
    }
    if (keep) S->ic_n += n;
    *tot = t0;
    *U = sw * u;
    return kept;
}

/* A bound of p's price at round j: upper (at lo: a y with price ≤ y, which also says p is affordable) or lower (at
 * hi: an x with price > x), from r, a lower bound of the price at these budgets (≤ 0: none); tangent (a lower one,
 * at hi): one pass at r, x ≥ r if p is dearer than r, else -1 (see tangent_lower). 1: found (*out); 0: surely
 * unaffordable at hi (lower and tangent; *out INFINITY); -1: the floats cannot tell. */
static int price_bound(struct Certifier *S, Engine *E, int p, BoundKind kind, int j, double r, double *out) {
    double tot, U;
    int n = items(S, E, p, kind == BOUND_UPPER, j, &tot, &U);
    return items_bound(&S->it, n, E->by_cost, E->dcost[p], U, tot, kind, r, out);
}

/* the heap of alive projects by x: sift the entry at i up or down */
static void heap_up(struct Certifier *S, int i) {
    double k = S->hk[i];
    int q = S->hq[i];
    while (i > 0 && S->hk[(i - 1) / 2] > k) { S->hk[i] = S->hk[(i - 1) / 2]; S->hq[i] = S->hq[(i - 1) / 2]; i = (i - 1) / 2; }
    S->hk[i] = k;
    S->hq[i] = q;
}
static void heap_down(struct Certifier *S, int i) {
    double k = S->hk[i];
    int q = S->hq[i];
    for (;;) {
        int c = 2 * i + 1;
        if (c >= S->hn) break;
        if (c + 1 < S->hn && S->hk[c + 1] < S->hk[c]) c++;
        if (!(S->hk[c] < k)) break;
        S->hk[i] = S->hk[c]; S->hq[i] = S->hq[c]; i = c;
    }
    S->hk[i] = k;
    S->hq[i] = q;
}
static void heap_pop(struct Certifier *S) {
    if (--S->hn > 0) { S->hk[0] = S->hk[S->hn]; S->hq[0] = S->hq[S->hn]; heap_down(S, 0); }
}
static void heap_push(struct Certifier *S, int q) {
    S->hk[S->hn] = S->x[q];
    S->hq[S->hn] = q;
    heap_up(S, S->hn++);
}

/* the heap's least project (its entry taken out) refreshed at hi: its peel (BOUND_LOWER, from its x), or one pass
 * at y (BOUND_TANGENT); put back while it stays affordable. -1: cannot tell */
static int refresh_top(struct Certifier *S, Engine *E, int j, BoundKind kind, double y) {
    int q = S->hq[0], tangent = kind == BOUND_TANGENT;
    heap_pop(S);
    int r = price_bound(S, E, q, kind, j, tangent ? y : S->x[q], &S->x[q]);
    if (r < 0) return -1;
    S->fresh[q] = tangent ? 1 : 2;
    if (r == 0) {
        S->alive[q] = 0;
        S->dead[S->ndead] = q;
        S->dead_r[S->ndead++] = j;
    } else {
        heap_push(S, q);
    }
    return 0;
}

/* new classes [c0, c1)'s bounds from their parents': between max(0, lo - y·u) and max(0, hi - x_w·u) (each
 * subtraction's rounding covered by the 2^-50 of both terms; both bound the same value, so lo is kept ≤ hi).
 * Local pointers: a store through S->lo would make every load through S again. */
static void child_bounds(struct Certifier *S, int c0, int c1, double y, double xw) {
    double *lo = S->lo, *hi = S->hi;
    const int *par = S->cpar;
    const double *cu = S->cu;
    int c = c0;
#ifdef __SSE2__
    /* two classes at a time, the same operations in the same order as below (the same doubles); no class made in
     * this purchase is a parent of another (parents come before kat[j]) */
    const __m128d Y = _mm_set1_pd(y), X = _mm_set1_pd(xw), e = _mm_set1_pd(0x1p-50), z = _mm_setzero_pd();
    for (; c + 2 <= c1; c += 2) {
        int k0 = par[c], k1 = par[c + 1];
        __m128d u = _mm_loadu_pd(cu + c), a = _mm_set_pd(lo[k1], lo[k0]), h = _mm_set_pd(hi[k1], hi[k0]);
        __m128d pa = _mm_mul_pd(Y, u), ph = _mm_mul_pd(X, u);
        __m128d l = _mm_sub_pd(_mm_sub_pd(a, pa), _mm_mul_pd(e, _mm_add_pd(a, pa)));
        __m128d v = _mm_add_pd(_mm_sub_pd(h, ph), _mm_mul_pd(e, _mm_add_pd(h, ph)));
        v = _mm_max_pd(v, z);
        l = _mm_max_pd(l, z);
        _mm_storeu_pd(lo + c, _mm_min_pd(l, v));
        _mm_storeu_pd(hi + c, v);
    }
#endif
    for (; c < c1; c++) {
        int k = par[c];
        double u = cu[c], a = lo[k], pa = y * u, l = a - pa - 0x1p-50 * (a + pa);
        double h = hi[k], ph = xw * u, v = h - ph + 0x1p-50 * (h + ph);
        v = v > 0 ? v : 0;
        l = l > 0 ? l : 0;
        lo[c] = l < v ? l : v;
        hi[c] = v;
    }
}

/* winner w bought at round j: its supporters move to child classes, one per (class, utility). The path's classes
 * when it bought w at round j too, else made from the groups (and the path changed from round j on). */
static int buy(struct Certifier *S, Engine *E, int w, int j, double y) {
    double xw = S->x[w];
    if (j < S->npath && S->path[j] == w) {
        child_bounds(S, S->kat[j], S->kat[j + 1], y, xw);
        S->K = S->kat[j + 1];
        return 0;
    }
    if (j < S->npath) {  /* another winner than the path's: what came after round j is no longer its */
        forget_after(S, E, j);
        if (S->cls_round > j) { memset(S->cls, 0, E->G * sizeof(int)); S->cls_round = 0; }
    }
    classes_at(S, E, j);
    int nm = S->mv_off[j], st = ++S->builds;
    for (int e = E->sup_off[w]; e < E->sup_off[w + 1]; e++) {
        int g = E->sup_g[e], k = S->cls[g], ui = E->by_cost ? 0 : E->sup_u[e];
        int c = S->stamp[k] == st ? S->first[k] : -1;
        while (c >= 0 && S->cui[c] != ui) c = S->next[c];
        if (c < 0) {
            if (grow_classes(S, S->K + 1) < 0) {  /* cls half moved: made again from the logs next time */
                forget_after(S, E, j);  /* and the weights kept for the rounds after j are no longer the path's */
                S->npath = j;
                memset(S->cls, 0, E->G * sizeof(int));
                S->cls_round = 0;
                return -1;
            }
            c = S->K++;
            S->cui[c] = ui;
            S->next[c] = S->stamp[k] == st ? S->first[k] : -1;
            S->stamp[k] = st;
            S->first[k] = c;
            S->stamp[c] = -1;
            S->cpar[c] = k;
            S->cu[c] = S->u[e];
            child_bounds(S, c, c + 1, y, xw);
        }
        S->cls[g] = c;
        S->mv_g[nm] = g;
        S->mv_c[nm++] = c;
    }
    S->path[j] = w;
    S->npath = j + 1;
    S->kat[j + 1] = S->K;
    S->mv_off[j + 1] = nm;
    S->cls_round = j + 1;
    return 0;
}

/* Where a failed round's winner w and rival q may part: the share φ of [ta, tb] over which the one cheaper at lo
 * (ta: lo does not depend on tb) stays cheaper at lo than the other at hi, taking the other's price at hi to move
 * linearly from its price at lo (tb = ta) to its price at hi now. Only a guess for the search (rules/mes.py):
 * nothing is decided by it. */
static void failure_hint(struct Certifier *S, Engine *E, int w, int q, int j, double y) {
    double xq, pq;
    if (price_bound(S, E, q, BOUND_LOWER, j, S->x[q], &xq) != 1) return;
    if (price_bound(S, E, q, BOUND_UPPER, j, xq, &pq) != 1) return;
    double phi;
    if (pq > y) phi = pq > xq ? (pq - y) / (pq - xq) : 0;  /* w cheaper at ta */
    else phi = y > S->x[w] ? (y - pq) / (y - S->x[w]) : 0;  /* q cheaper at ta: w's price at hi moves */
    S->hint = phi > 0 ? (phi < 1 ? phi : 1) : 0;
}

/* The winners, in order (initial projects first), if they are the same at every t in [ta, tb] (0 < ta ≤ tb < ∞, each
 * the double nearest to the exact value or next to it: widened here; S usable: both checked by Engine_certify); 0 and
 * *nsel the count if certified, -1 if not, -2 out of memory. */
static int certify(struct Certifier *S, Engine *E, double ta, double tb, int *sel, int *nsel) {
    *nsel = 0;
    S->K = 1;
    S->lo[0] = ta * (1 - 0x1p-50);
    S->hi[0] = tb * (1 + 0x1p-50);
    S->stamp[0] = -1;
    for (int i = 0; i < E->ninitial; i++) sel[(*nsel)++] = E->initial[i];
    memset(S->alive, 0, E->m);
    memset(S->fresh, 0, E->m);
    S->hn = 0;
    S->ndead = 0;
    /* The reference's deaths hold here while this certification's winners are the reference's: along one sequence
     * of winners every class's budget is non-decreasing in t (by rounds: budgets non-decreasing in t make each price
     * non-increasing, so each max(0, b - ρ·u) non-decreasing), so a project whose supporters could not pay at round
     * d for any t up to the reference's tb cannot at round d or later for any t ≤ tb here. (More simply: the
     * reference's hi bounds hold for every t ≤ its tb along that path, below its ta too, since each winner's x_w is
     * below its price at the true budgets; so its deaths hold wherever the winners so far are its winners.) */
    int ref = S->hi[0] <= S->ref_hi0, rpos = 0;
    for (int i = 0; i < E->ncand; i++) {
        int q = E->cand[i];
        S->alive[q] = 1;
        /* price > C/U: Σ W·min(b, ρ·u) ≤ ρ·U (U rounded: relative error below n·2^-53) */
        int n = E->sup_off[q + 1] - E->sup_off[q];
        S->x[q] = S->U0[q] > 0 ? E->dcost[q] / S->U0[q] * (1 - (n + 8) * 0x1p-51) : -INFINITY;
        heap_push(S, q);
    }
    for (int j = 0;; j++) {
        for (; ref && rpos < S->ref_ndead && S->ref_dead_r[rpos] <= j; rpos++) {
            int q = S->ref_dead[rpos];
            if (S->alive[q]) {  /* out of the heap when it comes up */
                S->alive[q] = 0;
                S->dead[S->ndead] = q;
                S->dead_r[S->ndead++] = j;
            }
        }
        /* the project with the least lower bound, that bound its peel at this round's budgets (a stale or a
         * tangent one is lower) */
        while (S->hn > 0 && (!S->alive[S->hq[0]] || S->fresh[S->hq[0]] != 2)) {
            if (!S->alive[S->hq[0]]) heap_pop(S);
            else if (refresh_top(S, E, j, BOUND_LOWER, 0) < 0) return -1;
        }
        if (S->hn == 0) return 0;  /* nothing affordable at any t: the same end everywhere */
        int w = S->hq[0];
        heap_pop(S);
        double y;
        if (price_bound(S, E, w, BOUND_UPPER, j, S->x[w], &y) < 0) return -1;
        /* every rival surely dearer than y: one pass at y tells it for a rival not priced at these budgets (or only
         * by a tangent), with a tangent bound ≥ y; a rival peeled at these budgets and below y may be as cheap
         * somewhere in the interval */
        while (S->hn > 0 && S->hk[0] < y) {
            int q = S->hq[0];
            if (!S->alive[q]) { heap_pop(S); continue; }
            if (S->fresh[q] == 2 || refresh_top(S, E, j, BOUND_TANGENT, y) < 0) {
                failure_hint(S, E, w, q, j, y);
                return -1;
            }
        }
        sel[(*nsel)++] = w;
        S->alive[w] = 0;
        ref = ref && j < S->ref_n && S->ref_path[j] == w;
        if (buy(S, E, w, j, y) < 0) return -2;
        for (int i = E->tch_off[w]; i < E->tch_off[w + 1]; i++) S->fresh[E->tch[i]] = 0;
    }
}

/* Engine.certify_hint() -> after certify(ta, tb) returned None: the share of [ta, tb] over which the round that
 * failed may hold (0 to 1, a float guess), or None */
PyObject *Engine_certify_hint(Engine *E, PyObject *Py_UNUSED(ignored)) {
    if (!E->cert || isnan(E->cert->hint)) Py_RETURN_NONE;
    return PyFloat_FromDouble(E->cert->hint);
}

/* Engine.certify(ta, tb) -> the selection (initial projects, then winners in order) that every start budget in
 * [ta, tb] gives, or None if the float screen cannot show it. ta, tb: floats (the exact budgets rounded). */
PyObject *Engine_certify(Engine *E, PyObject *args) {
    double ta, tb;
    if (!PyArg_ParseTuple(args, "dd", &ta, &tb)) return NULL;
    if (!E->ready) { PyErr_SetString(PyExc_RuntimeError, "engine not initialised"); return NULL; }
    if (!E->cert && !(E->cert = certifier_new(E))) return PyErr_NoMemory();
    struct Certifier *S = E->cert;
    S->hint = NAN;
    if (!S->usable || !(ta > 0) || !(tb >= ta) || !isfinite(tb)) Py_RETURN_NONE;  /* never certified */
    /* the selection's buffer, taken for this call: a certify reached while this one makes its list (a finalizer the
     * collector runs, another thread) makes its own */
    int *sel = S->sel, n;
    S->sel = NULL;
    if (!sel && !(sel = xcalloc((size_t)E->m + E->ninitial + 1, sizeof(int)))) return PyErr_NoMemory();
    int r = certify(S, E, ta, tb, sel, &n);
    if (r != -2 && !(S->hi[0] <= S->ref_hi0)) {
        /* a higher tb than the reference's: this one's deaths (of the rounds it went through) become it */
        int *t = S->ref_dead; S->ref_dead = S->dead; S->dead = t;
        t = S->ref_dead_r; S->ref_dead_r = S->dead_r; S->dead_r = t;
        S->ref_ndead = S->ndead;
        S->ref_n = n - E->ninitial;
        for (int i = 0; i < S->ref_n; i++) S->ref_path[i] = sel[E->ninitial + i];
        S->ref_hi0 = S->hi[0];
    }
    PyObject *out = r == -2 ? PyErr_NoMemory() : r < 0 ? Py_NewRef(Py_None) : PyList_New(n);
    for (int i = 0; r == 0 && out && i < n; i++) {
        PyObject *p = PyLong_FromLong(sel[i]);
        if (!p) { Py_CLEAR(out); break; }
        PyList_SET_ITEM(out, i, p);
    }
    if (S->sel) free(sel);
    else S->sel = sel;
    return out;
}
