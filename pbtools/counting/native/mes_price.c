/* Pricing a project exactly in one MES run: its supporters summed by budget class, who pays all they have (the
 * peel), its price ρ and the slope of ρ in the start budget t; and the classes' exact values, made on demand. */
#include "mes.h"

int common_init(Common *C, int cap, const mpq_t base) {
    C->N = xcalloc(cap, sizeof(mpz_t));
    if (!C->N) return -1;  /* common_free does nothing then */
    mpz_inits(C->D, C->base, C->g, NULL);
    mpz_set(C->D, mpq_denref(base));
    mpz_set(C->base, mpq_numref(base));
    for (int j = 0; j < cap; j++) mpz_init(C->N[j]);
    C->n = cap;
    return 0;
}

void common_free(Common *C) {
    if (!C->N) return;
    for (int j = 0; j < C->n; j++) mpz_clear(C->N[j]);
    free(C->N);
    mpz_clears(C->D, C->base, C->g, NULL);
}

/* N[j] = q·D, D grown to a multiple of q's denominator (the earlier numerators scaled with it) */
void common_add(Common *C, int j, const mpq_t q) {
    mpz_gcd(C->g, C->D, mpq_denref(q));
    mpz_divexact(C->g, mpq_denref(q), C->g);  /* the factor D must grow by */
    if (mpz_cmp_ui(C->g, 1) != 0) {
        for (int i = 0; i < j; i++) mpz_mul(C->N[i], C->N[i], C->g);
        mpz_mul(C->base, C->base, C->g);
        mpz_mul(C->D, C->D, C->g);
    }
    mpz_divexact(C->g, C->D, mpq_denref(q));
    mpz_mul(C->N[j], mpq_numref(q), C->g);
}

/* the first n numerators made again over the smallest common denominator of base and q[0..n) (a restart: the
 * purchases after n are gone, and common_add one at a time would rescale every earlier numerator at each) */
void common_rebuild(Common *C, const mpq_t base, mpq_t *q, int n) {
    mpz_set(C->D, mpq_denref(base));
    for (int j = 0; j < n; j++) mpz_lcm(C->D, C->D, mpq_denref(q[j]));
    mpz_divexact(C->g, C->D, mpq_denref(base));
    mpz_mul(C->base, mpq_numref(base), C->g);
    for (int j = 0; j < n; j++) {
        mpz_divexact(C->g, C->D, mpq_denref(q[j]));
        mpz_mul(C->N[j], mpq_numref(q[j]), C->g);
    }
}

/* out = (live·base - Σ_j paid_j·N_j) / D */
void common_sum(Common *C, int64_t live, const int64_t *paid, int n, mpq_t out) {
    mpz_ptr z = mpq_numref(out);
    mpz_mul_si(z, C->base, live);
    for (int j = 0; j < n; j++)
        if (paid[j]) mpz_submul_ui(z, C->N[j], (unsigned long)paid[j]);
    mpz_set(mpq_denref(out), C->D);
    mpq_canonicalize(out);
}

/* a class's exact value and slope, computed from its parent's (the missing ancestors first) when first read */
void fill(Run *R, int k) {
    Engine *E = R->E;
    int chain[64], n = 0;
    while (!R->have[k]) {
        if (n == 64) { fill(R, k); break; }  /* a long chain: its older part first */
        chain[n++] = k;
        k = R->par[k];
    }
    while (n--) {
        int c = chain[n], j = R->pj[c];
        mpq_init(R->cv[c]);
        mpq_init(R->cs[c]);
        if (R->bits) {
            mpq_sub(R->cv[c], R->cv[R->par[c]], R->av[j]);
            mpq_sub(R->cs[c], R->cs[R->par[c]], R->as[j]);
        } else {
            util(E, R->pproj[j], R->pui[c], R->ftmp2);
            mpq_mul(R->ftmp, R->rvj[j], R->ftmp2);
            mpq_sub(R->cv[c], R->cv[R->par[c]], R->ftmp);
            mpq_mul(R->ftmp, R->rsj[j], R->ftmp2);
            mpq_sub(R->cs[c], R->cs[R->par[c]], R->ftmp);
        }
        R->have[c] = 1;
    }
}


/* bound(v, s): v + s·(t - t0) >= 0 holds up to t0 + v/(-s); t* is the smallest such t (only when s < 0) */
void bound(Run *R, const mpq_t v, const mpq_t s) {
    if (!R->track || mpq_sgn(s) >= 0) return;
    if (R->has_tstar) {
        /* Surely after t* (floats: mpq_get_d is within 2^-52 of each, the ratio within 1e-15): not recorded. Safe
         * for restarts too: t* is the earliest change of this round and the rounds before it, so a restart past this
         * crossing restarts from this round or an earlier one anyway. */
        double x = mpq_get_d(v) / -mpq_get_d(s);
        if (x * (1 - 1e-12) > R->dtstar) return;
    }
    mpq_neg(R->tmp3, s);
    mpq_div(R->tmp3, v, R->tmp3);
    mpq_add(R->tmp3, R->tmp3, R->t0);
    Round *rd = &R->rounds[R->nrec - 1];  /* the round's own first crossing (a restart keeps those of earlier rounds) */
    if (!rd->has || mpq_cmp(R->tmp3, rd->b) < 0) { mpq_set(rd->b, R->tmp3); rd->has = 1; }
    if (!R->has_tstar || mpq_cmp(R->tmp3, R->tstar) < 0) {
        mpq_set(R->tstar, R->tmp3);
        R->has_tstar = 1;
        mpq_sub(R->tmp3, R->tstar, R->t0);
        double d = mpq_get_d(R->tmp3);
        R->dtstar = d + fabs(d) * 1e-12 + 1e-300;
    }
}


/* ---------- pricing ---------- */

/* In-place sorts of int arrays with the comparison inlined (qsort's callback was a fifth of an Add1 count's time):
 * quicksort on the median of three, insertion sort below 16 elements, the smaller side first (log n stack). */
#define DEFINE_SORT(NAME, T, LESS, ...)                                                           \
    static void NAME(T *a, int n, __VA_ARGS__) {                                                  \
        while (n > 16) {                                                                          \
            int m = n / 2;                                                                        \
            T x, y, t;                                                                            \
            x = a[0], y = a[m];                                                                   \
            if (LESS(y, x)) { a[0] = y; a[m] = x; }                                               \
            x = a[m], y = a[n - 1];                                                               \
            if (LESS(y, x)) { a[m] = y; a[n - 1] = x; x = a[0]; y = a[m];                         \
                              if (LESS(y, x)) { a[0] = y; a[m] = x; } }                           \
            T pv = a[m];                                                                          \
            int i = 0, j = n - 1;                                                                 \
            for (;;) {                                                                            \
                while (LESS(a[i], pv)) i++;                                                       \
                while (LESS(pv, a[j])) j--;                                                       \
                if (i >= j) break;                                                                \
                t = a[i]; a[i] = a[j]; a[j] = t; i++; j--;                                        \
            }                                                                                     \
            /* a[0..j] <= pv <= a[j+1..n-1] */                                                    \
            if (j + 1 < n - j - 1) { NAME(a, j + 1, ARGS_##NAME); a += j + 1; n -= j + 1; }       \
            else { NAME(a + j + 1, n - j - 1, ARGS_##NAME); n = j + 1; }                          \
        }                                                                                         \
        for (int i = 1; i < n; i++) {                                                             \
            T x = a[i];                                                                           \
            int j = i - 1;                                                                        \
            while (j >= 0 && LESS(x, a[j])) { a[j + 1] = a[j]; j--; }                             \
            a[j + 1] = x;                                                                         \
        }                                                                                         \
    }

/* plain 64-bit integers */
#define U64_LESS(x, y) ((x) < (y))
#define ARGS_sort_u64 dummy
DEFINE_SORT(sort_u64, uint64_t, U64_LESS, int dummy)
/* entries by their float key, then by index (the order qsort with cmp_dkey gave) */
#define KEY_LESS(x, y) (key[x] < key[y] || (key[x] == key[y] && (x) < (y)))
#define ARGS_sort_by_key key
DEFINE_SORT(sort_by_key, int, KEY_LESS, const double *key)


/* p's supporters summed by key (class·width + utility index), in the order first met: pricing needs no order, and
 * only a winner's entries are put in key order (sort_entries), which numbers the classes its payers move to */
static int collect(Run *R, int p) {
    Engine *E = R->E;
    size_t need = (size_t)R->nclass * E->width;
    if (need > R->acap) {
        size_t cap = need * 2;
        int64_t *a = realloc(R->acc, cap * sizeof(int64_t));
        if (!a) return -1;
        memset(a + R->acap, 0, (cap - R->acap) * sizeof(int64_t));
        R->acc = a;
        R->acap = cap;
    }
    int nk = 0, lo = E->sup_off[p], hi = E->sup_off[p + 1];
    if (hi - lo > R->kcap) {
        if (xgrow(&R->keys, hi - lo, sizeof(int)) < 0) return -1;
        R->kcap = hi - lo;
    }
    const int *sg = E->sup_g, *cls = R->cls;
    const int64_t *sw = E->sup_w;
    int64_t *acc = R->acc;
    int *keys = R->keys;
    /* a key is written at keys[nk] every time and kept (nk + 1) when first met: no branch to mispredict (weights are
     * positive, so acc is 0 only for a key not met yet) */
    if (E->width == 1) {  /* Cost_Sat: the key is the class */
        for (int i = lo; i < hi; i++) {
            int key = cls[sg[i]];
            keys[nk] = key;
            nk += acc[key] == 0;
            acc[key] += sw[i];
        }
    } else {
        for (int i = lo; i < hi; i++) {
            size_t key = (size_t)cls[sg[i]] * E->width + E->sup_u[i];
            keys[nk] = (int)key;
            nk += acc[key] == 0;
            acc[key] += sw[i];
        }
    }
    Price *P = &R->pr[p];
    if (nk > P->cap) {
        int cap = nk;
        if (xgrow(&P->k, cap, sizeof(int)) < 0 || xgrow(&P->ui, cap, sizeof(int)) < 0 ||
            xgrow(&P->W, cap, sizeof(int64_t)) < 0 || xgrow(&P->poor, cap, 1) < 0)
            return -1;
        P->cap = cap;
        if (E->width == 1) memset(P->ui, 0, cap * sizeof(int));  /* and never written again: every entry's is 0 */
    }
    if (E->width == 1)
        for (int i = 0; i < nk; i++) {
            int key = keys[i];
            P->k[i] = key;
            P->W[i] = acc[key];
            acc[key] = 0;
        }
    else
        for (int i = 0; i < nk; i++) {
            int key = keys[i];
            P->k[i] = key / E->width;
            P->ui[i] = key % E->width;
            P->W[i] = acc[key];
            acc[key] = 0;
        }
    memset(P->poor, 0, nk);
    P->n = nk;
    return 0;
}


/* a winner's entries in key order (the Python engine's order: it numbers the new classes and lists the payments) */
int sort_entries(Run *R, Price *P) {
    int n = P->n, w = R->E->width;
    uint64_t *kv = xcalloc(n, sizeof(uint64_t));  /* key << 32 | entry: distinct keys, so the key order */
    int *ti = xcalloc(n, sizeof(int));
    int64_t *tw = xcalloc(n, sizeof(int64_t));
    char *tp = xcalloc(n, 1);
    int rc = 0;
    if (!kv || !ti || !tw || !tp) { rc = -1; goto out; }
    for (int i = 0; i < n; i++) kv[i] = (uint64_t)(P->k[i] * w + P->ui[i]) << 32 | (uint32_t)i;
    sort_u64(kv, n, 0);
#define PERMUTE(arr, tmp, size) \
    for (int i = 0; i < n; i++) tmp[i] = arr[(uint32_t)kv[i]]; \
    memcpy(arr, tmp, n * size);
    PERMUTE(P->k, ti, sizeof(int))
    PERMUTE(P->ui, ti, sizeof(int))
    PERMUTE(P->W, tw, sizeof(int64_t))
    PERMUTE(P->poor, tp, 1)
#undef PERMUTE
out:
    free(kv); free(ti); free(tw); free(tp);
    return rc;
}

/* Σ W·value into vout and Σ W·slope into sout (either may be NULL) over p's entries idx[0..n). Under Cost_Sat a
 * class's value is t0 - Σ a_j over the purchases it paid (slope 1 - Σ a'_j), so the sum is one exact term per
 * purchase, not one per class, and the weights that paid each purchase serve both sums. */
static void entries_sums(Run *R, Price *P, const int *idx, int n, mpq_ptr vout, mpq_ptr sout) {
    if (!R->bits || n <= 1) {
        for (int slopes = 0; slopes < 2; slopes++) {
            mpq_ptr out = slopes ? sout : vout;
            if (!out) continue;
            mpq_set_ui(out, 0, 1);
            for (int j = 0; j < n; j++) {
                int i = idx ? idx[j] : j;
                if (P->k[i] != POOR) addmul_si(out, slopes ? CS(R, P->k[i]) : CV(R, P->k[i]), P->W[i], R->tmp3);
            }
        }
        return;
    }
    int64_t live = 0;  /* the weight that paid each purchase: the same for values and slopes */
    memset(R->paidw, 0, R->nround * sizeof(int64_t));
    for (int j = 0; j < n; j++) {
        int i = idx ? idx[j] : j;
        if (P->k[i] == POOR) continue;
        live += P->W[i];
        const uint64_t *b = R->bits + (size_t)P->k[i] * R->words;
        for (int wd = 0; wd < R->words; wd++)
            for (uint64_t x = b[wd]; x; x &= x - 1) R->paidw[wd * 64 + __builtin_ctzll(x)] += P->W[i];
    }
    if (vout) common_sum(&R->cav, live, R->paidw, R->nround, vout);
    if (sout) common_sum(&R->cas, live, R->paidw, R->nround, sout);
}

void entry_sums(Run *R, Price *P, mpq_ptr vout, mpq_ptr sout) { entries_sums(R, P, NULL, P->n, vout, sout); }


static void poor_wc(Run *R, Price *P) {  /* P->wcs for the exact split */
    double wc = 0;
    for (int i = 0; i < P->n; i++) if (P->poor[i]) wc += (double)P->W[i] * R->dcc[P->k[i]];
    P->wcs = wc * (1 + 1e-12);
}

/* Cost_Sat: the peel's outcome guessed in floats (the first L entries in budget order pay all they have) and
 * checked exactly. The peel's poor set is a threshold (those with budget/u below the price), so the guess is the
 * peel's iff the last of the L cannot pay the price the L leave and the next can. 1: right (price in P), 0: not. */
static inline int see_entry(Run *R, int p, Price *P, int j);

static int guessed_peel(Run *R, int p, Price *P, const mpq_t cost, const mpq_t big_u) {
    Engine *E = R->E;
    int n = P->n, L = 0;
    double dc = mpq_get_d(cost), dr = dc, dU = mpq_get_d(big_u);
    for (int j = 0; j < n; j++) {
        int i = see_entry(R, p, P, j);
        if (R->dkey[i] * dU < dr * dc) { dr -= (double)P->W[i] * R->dkey[i]; dU -= (double)P->W[i] * dc; L++; }
        else break;
    }
    if (L == 0 || L == n) return 0;
    mpq_t sv, ss, U, a, b;
    mpq_inits(sv, ss, U, a, b, NULL);
    int64_t wall = 0;
    for (int j = 0; j < L; j++) wall += P->W[R->order[j]];
    entries_sums(R, P, R->order, L, sv, ss);
    mpz_mul_si(mpq_numref(a), E->cost[p], wall);
    mpz_set_ui(mpq_denref(a), 1);
    mpq_sub(U, big_u, a);
    int ok = mpq_sgn(U) > 0;
    if (ok) {
        mpq_sub(sv, cost, sv);  /* r: the cost left to those who pay ρ·u */
        mpq_mul(b, sv, cost);   /* r·u */
        int last = R->order[L - 1], next = see_entry(R, p, P, L);
        mpq_mul(a, CV(R, P->k[last]), U);
        ok = mpq_cmp(a, b) < 0;
        mpq_mul(a, CV(R, P->k[next]), U);
        ok = ok && mpq_cmp(a, b) >= 0;
    }
    if (ok) {
        for (int j = 0; j < L; j++) P->poor[R->order[j]] = 1;
        P->ulo = mpq_get_d(U) * (1 - 1e-14);
        poor_wc(R, P);
        mpq_div(P->rv, sv, U);
        mpq_neg(ss, ss);
        mpq_div(P->rs, ss, U);
    }
    mpq_clears(sv, ss, U, a, b, NULL);
    return ok;
}

/* entry i before entry j in the peel: budget/utility ascending, then entry order */
static int entry_before(Run *R, int p, const Price *P, int i, int j) {
    Engine *E = R->E;
    int c;
    if (R->dkey[i] + R->ekey[i] < R->dkey[j] - R->ekey[j]) return 1;  /* the floats tell them apart */
    if (R->dkey[i] - R->ekey[i] > R->dkey[j] + R->ekey[j]) return 0;
    mpq_ptr vi = CV(R, P->k[i]), vj = CV(R, P->k[j]);
    if (E->by_cost) c = mpq_cmp(vi, vj);
    else {
        mpq_mul(R->tmp, vi, E->uval[P->ui[j]]);
        mpq_mul(R->tmp2, vj, E->uval[P->ui[i]]);
        c = mpq_cmp(R->tmp, R->tmp2);
    }
    return c < 0 || (c == 0 && i < j);
}

static int ensure_sort(Run *R, int n) {
    if (n <= R->sortcap) return 0;
    if (n > INT_MAX / 2) return -1;
    int cap = n * 2;
    /* only sortcap of them initialised until all four have grown (what run_free clears) */
    if (xgrow(&R->sortkey, cap, sizeof(mpq_t)) < 0 || xgrow(&R->order, cap, sizeof(int)) < 0 ||
        xgrow(&R->dkey, cap, sizeof(double)) < 0 || xgrow(&R->ekey, cap, sizeof(double)) < 0 ||
        xgrow(&R->near, cap, sizeof(int)) < 0)
        return -1;
    for (int i = R->sortcap; i < cap; i++) { mpq_init(R->sortkey[i]); R->sortcap = i + 1; }  /* see log_bound */
    return 0;
}

/* order[from..n) sorted: by float key, then exact comparisons where the floats cannot tell (an insertion pass) */
static void sort_from(Run *R, int p, Price *P, int from) {
    int *o = R->order + from, n = P->n - from;
    sort_by_key(o, n, R->dkey);
    for (int j = 1; j < n; j++) {
        int x = o[j], i = j - 1;
        while (i >= 0 && entry_before(R, p, P, x, o[i])) { o[i + 1] = o[i]; i--; }
        o[i + 1] = x;
    }
}

/* The peel reads the entries in budget/utility order only until the first one who can pay the price, usually a few
 * of thousands: only the entries whose float key may lie below thr (an estimate of where that is) are sorted. The
 * first R->nsorted entries of order are then in their exact place; see_entry(j) sorts the rest when the peel reads
 * past them. */
static void order_entries(Run *R, int p, Price *P, double thr) {
    int n = P->n, nf = 0;
    double min_back = INFINITY, first_above = INFINITY;
    /* the front also holds the entry above thr surely first (the smallest upper bound): the peel reads it last */
    for (int i = 0; i < n; i++)
        if (!(R->dkey[i] - R->ekey[i] <= thr) && R->dkey[i] + R->ekey[i] < first_above) first_above = R->dkey[i] + R->ekey[i];
    if (first_above < INFINITY) thr = first_above;
    for (int i = 0; i < n; i++) {  /* the front first (in order), then the back (in reverse order); no branches */
        R->order[nf] = i;
        nf += R->dkey[i] - R->ekey[i] <= thr;
    }
    for (int i = n - 1, b = nf; i >= 0; i--) {
        double lo = R->dkey[i] - R->ekey[i];
        int back = !(lo <= thr);
        R->order[b] = i;  /* b < n while a back entry is still to come; past the last one, a write at n: order has room */
        b += back;
        min_back = back && lo < min_back ? lo : min_back;
    }
    int save = P->n;
    P->n = nf;  /* sort_from reads P->n as the end */
    sort_from(R, p, P, 0);
    P->n = save;
    /* a front entry surely below every back entry is in its place, and so is every entry before it */
    int v = 0;
    if (nf == n) v = n;
    else
        for (int j = nf - 1; j >= 0; j--)
            if (R->dkey[R->order[j]] + R->ekey[R->order[j]] < min_back) { v = j + 1; break; }
    R->nsorted = v;
}

static inline int see_entry(Run *R, int p, Price *P, int j) {  /* order[j], in its exact place */
    if (j >= R->nsorted) {
        sort_from(R, p, P, R->nsorted);
        R->nsorted = P->n;
    }
    return R->order[j];
}

typedef struct {  /* sums in floats over a set of entries: budgets, their error bounds, slopes, utilities */
    double paid, perr, sl, slerr, slabs, su, wc;
    int cnt;
} Split;

#define ROUGH_MIN 8  /* projects with fewer entries are priced exactly at once */
#define GUESS_MIN 16  /* the peel of fewer entries is not guessed */

/* tests: every screen on every price (rough bounds and guessed peels for any size, the peel's order sorted one entry
 * at a time), as the Python engine's tests force its screens */
int mes_force_screens = 0;

/* A float lower bound of the price, affine in t, into P->rv, P->rs (1; 0: too close to call). Any split S of the
 * supporters into "pays all" and the rest bounds the price from below: ρ >= (cost - Σ_S W·b) / Σ_{not S} W·u, since
 * Σ min(b, ρu) <= Σ_S b + ρ·Σ_{not S} u; b is affine in t, so the bound is too, at every t. S: the entries the float
 * peel guessed pay all they have, summed in floats (price). Every float sum is widened by the classes' error bounds
 * and by 1e-10 of its magnitude (summation and rounding errors), so the bound is below the exact one. */
static int rough_bound(Price *P, const Split *S, double dc, double dU) {
    if (S->cnt == 0 || S->cnt == P->n) return 0;
    double paid = S->paid, perr = S->perr, sl = S->sl, slerr = S->slerr, slabs = S->slabs, su = S->su;
    double left = dU - su, lerr = 1e-10 * (dU + su);
    double num = dc - paid - perr - 1e-10 * (dc + fabs(paid));
    if (!(num > 0) || !(left > 2 * lerr)) return 0;
    double s_num = -sl - slerr - 1e-10 * slabs;
    double rlo = num / (left + lerr) * (1 - 1e-12);
    double slo = s_num >= 0 ? s_num / (left + lerr) * (1 - 1e-12) : s_num / (left - lerr) * (1 + 1e-12);
    if (!isfinite(rlo) || !isfinite(slo)) return 0;
    mpq_set_d(P->rv, rlo);
    mpq_set_d(P->rs, slo);
    P->ulo = (left - lerr) * (1 - 1e-12);
    P->wcs = S->wc * (1 + 1e-12);
    return 1;
}

/* 1: affordable, its price in pr[p]; 0: not affordable (t* updated); -1: error */
int price(Run *R, int p, int rough) {
    Engine *E = R->E;
    Price *P = &R->pr[p];
    if (R->exact[p] == 2) memset(P->poor, 0, P->n);  /* its entries are those of its rough price: no purchase since */
    else if (collect(R, p) < 0) return -1;
    mpq_t cost, big_u, u, a, b;
    mpq_inits(cost, big_u, u, a, b, NULL);
    mpq_set_z(cost, E->cost[p]);
    int ok = 1;
    /* One pass over the entries in floats: Σ budgets (can its supporters pay the cost: exactly only when the floats
     * cannot tell), each entry's key budget/utility for the peel with a bound on its error, the lowest key. */
    if (ensure_sort(R, P->n + 1) < 0) { ok = -1; goto done; }  /* + 1: order_entries writes one past the end */
    double tf = 0, te = 0, sf = 0, se = 0, dc = mpz_get_d(E->cost[p]), minlo = INFINITY;
    for (int i = 0; i < P->n; i++) {
        int k = P->k[i];
        double w = (double)P->W[i], v = R->dv[k];
        tf += w * v;
        te += w * (R->ev[k] + fabs(v) * 1e-10);
        sf += w * R->ds[k];
        se += w * (R->es[k] + fabs(R->ds[k]) * 1e-10);
        double du = E->by_cost ? 1.0 : E->duval[P->ui[i]];
        double key = v / du, ek = R->ev[k] / du + fabs(key) * 0x1p-50 + 1e-300;
        R->dkey[i] = key;
        R->ekey[i] = ek;
        if (key - ek < minlo) minlo = key - ek;
    }
    P->have_T = !(tf - te >= dc * (1 + 1e-12));
    mpq_set_ui(P->TS, 0, 1);
    /* Surely not affordable (T <= tf + te, dc <= cost): what is missing and its slope, for outcome_reach, in floats
     * with those bounds; exactly only if it may become affordable before t* (the exact sums were a tenth of a
     * count). dc is cost rounded toward zero, so cost - T >= dc - tf - te. */
    if (P->have_T && tf + te < dc * (1 - 1e-12)) {
        if (R->track) {
            double wc = 0;
            for (int i = 0; i < P->n; i++) wc += (double)P->W[i] * R->dcc[P->k[i]];
            if (add_gap(R, dc - tf, -sf, te + 1e-15 * (dc + fabs(tf)), se + 1e-15 * fabs(sf), 1, wc) < 0) { ok = -1; goto done; }
            double lo = (dc - tf - te) / (sf + se) * (1 - 1e-12);  /* the crossing t - t0, when the slope is surely > 0 */
            int later = sf - se > 0 && R->has_tstar && dc - tf - te > 0 && lo > R->dtstar;
            if (sf + se > 0 && !later) {  /* the slope may be > 0 and the crossing before t*: exactly */
                entry_sums(R, P, P->T, P->TS);
                if (mpq_sgn(P->TS) > 0) {  /* affordable from t0 + (cost - T)/TS on */
                    mpq_sub(a, cost, P->T);
                    mpq_div(a, a, P->TS);
                    mpq_set_si(b, -1, 1);
                    bound(R, a, b);
                }
            }
        }
        ok = 0;
        goto done;
    }
    if (P->have_T) entry_sums(R, P, P->T, R->track ? P->TS : NULL);  /* the slope is read when it cannot pay */
    mpq_set_ui(big_u, 0, 1);
    if (E->by_cost) {
        int64_t wsum = 0;
        for (int i = 0; i < P->n; i++) wsum += P->W[i];
        mpz_mul_si(mpq_numref(big_u), E->cost[p], wsum);
    } else {
        int64_t *per_u = R->acc;  /* scratch, zero between uses (at least width long once collected) */
        for (int i = 0; i < P->n; i++) per_u[P->ui[i]] += P->W[i];
        for (int ui = 0; ui < E->width; ui++)
            if (per_u[ui]) { addmul_si(big_u, E->uval[ui], per_u[ui], R->tmp); per_u[ui] = 0; }
    }
    if (P->have_T && mpq_cmp(P->T, cost) < 0) {
        if (R->track) {  /* what is missing, for outcome_reach */
            mpq_sub(a, cost, P->T);
            double da = mpq_get_d(a), ds = -mpq_get_d(P->TS);
            double wc = 0;
            for (int i = 0; i < P->n; i++) wc += (double)P->W[i] * R->dcc[P->k[i]];
            if (add_gap(R, da, ds, 1e-15 * fabs(da), 1e-15 * fabs(ds), 1, wc) < 0) { ok = -1; goto done; }
        }
        if (R->track && mpq_sgn(P->TS) > 0) {  /* affordable from t0 + (cost - T)/TS on */
            mpq_sub(a, cost, P->T);
            mpq_div(a, a, P->TS);
            mpq_set_si(b, -1, 1);
            bound(R, a, b);
        }
        ok = 0;
        goto done;
    }
    /* the peel: supporters by budget/utility ascending; those who cannot pay ρ·u pay all they have */
    mpq_set(P->rv, cost);
    mpq_set_ui(P->rs, 0, 1);
    double dU = mpq_get_d(big_u), scale = E->by_cost ? dc : 1.0;
    /* nobody pays all they have if the poorest can pay the even price: in floats (with their errors and a wide
     * margin for those of the threshold) when they can tell, else exactly */
    double thr = dc / dU * scale;
    if (minlo > thr * (1 + 1e-9)) goto divide;
    /* where the peel stops, guessed in floats (the price only grows as entries join those who pay all); the sums
     * over the last set S guessed to pay all give the rough lower bound */
    /* the sums grow with thr: each pass adds the entries between the last threshold and the new one */
    /* Each pass reads only the entries not yet summed below a cap (R->near, in entry order: the sums are those of a
     * pass over all entries), gathered again when the threshold passes the cap: passes over every entry (4 a price on
     * average, Mokotów) were a third of pricing. */
    Split S = {0};
    double last = -INFINITY, cap = -INFINITY;
    int nnear = 0, *near = R->near;
    for (int it = 0, below = -1; it < 16; it++) {
        Split x = S;
        if (!(thr <= cap)) {
            cap = thr > 0 ? thr * 4 : thr;  /* at least thr */
            nnear = 0;
            for (int i = 0; i < P->n; i++) {  /* without a branch: most entries are read by no pass */
                near[nnear] = i;
                nnear += R->dkey[i] < cap && !(R->dkey[i] < last);
            }
        }
        int kept = 0;  /* the entries read in this pass leave the list (in order: the next pass's are those above thr) */
        for (int ni = 0; ni < nnear; ni++) {
            int i = near[ni];
            if (!(R->dkey[i] < thr)) near[kept++] = i;
            else {
                int k = P->k[i];
                double w = (double)P->W[i];
                x.paid += w * R->dv[k];
                x.perr += w * R->ev[k];
                x.sl += w * R->ds[k];
                x.slerr += w * R->es[k];
                x.slabs += w * fabs(R->ds[k]);
                x.su += w * (E->by_cost ? dc : E->duval[P->ui[i]]);
                x.wc += w * R->dcc[k];
                x.cnt++;
            }
        }
        nnear = kept;
        S = x;
        if (x.cnt == below || x.cnt == P->n || !(dU - x.su > 0)) break;
        below = x.cnt;
        double next = (dc - x.paid) / (dU - x.su) * scale;
        if (!(next > thr)) break;
        last = thr;
        thr = next;
    }
    if (rough && (P->n >= ROUGH_MIN || mes_force_screens) && rough_bound(P, &S, dc, dU)) { ok = 2; goto done; }
    order_entries(R, p, P, mes_force_screens ? -INFINITY : thr * (1 + 1e-6) + 1e-300);
    int lowest = see_entry(R, p, P, 0);
    util(E, p, P->ui[lowest], u);
    mpq_mul(a, CV(R, P->k[lowest]), big_u);
    mpq_mul(b, cost, u);
    if (mpq_cmp(a, b) < 0) {
        if (R->bits && (P->n > GUESS_MIN || mes_force_screens) && guessed_peel(R, p, P, cost, big_u)) goto priced;
        for (int j = 0; j < P->n; j++) {
            int i = see_entry(R, p, P, j);
            util(E, p, P->ui[i], u);
            mpq_mul(a, CV(R, P->k[i]), big_u);
            mpq_mul(b, P->rv, u);
            if (mpq_cmp(a, b) < 0) {
                P->poor[i] = 1;
                mpz_set_si(mpq_numref(R->tmp), -P->W[i]);
                mpz_set_ui(mpq_denref(R->tmp), 1);
                mpq_mul(a, R->tmp, CV(R, P->k[i]));
                mpq_add(P->rv, P->rv, a);
                mpq_mul(a, R->tmp, CS(R, P->k[i]));
                mpq_add(P->rs, P->rs, a);
                mpq_mul(a, R->tmp, u);
                mpq_add(big_u, big_u, a);
            } else {
                break;
            }
        }
    }
divide:
    P->ulo = mpq_get_d(big_u) * (1 - 1e-14);
    poor_wc(R, P);
    mpq_div(P->rv, P->rv, big_u);
    mpq_div(P->rs, P->rs, big_u);
priced:
done:
    mpq_clears(cost, big_u, u, a, b, NULL);
    return ok;
}

/* the heap's first live project with an exact price; -1 none; -2 error */
