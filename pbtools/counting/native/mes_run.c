/* One exact MES run: the rounds (the cheapest project from a heap of lower bounds), the purchases, Add1's t*,
 * and the records the Python explanation reads. Pricing is in mes_price.c. */
#include "mes.h"

/* ---------- a run ---------- */

void run_free(Run *R) {
    Engine *E = R->E;
    for (int k = 0; k < R->nclass; k++) if (R->have[k]) { mpq_clear(R->cv[k]); mpq_clear(R->cs[k]); }
    free(R->cv); free(R->cs); free(R->cls);
    free(R->have); free(R->par); free(R->pj); free(R->pui); free(R->dv); free(R->ds); free(R->ev); free(R->es);
    if (R->rvj) for (int j = 0; j < E->m + 1; j++) { mpq_clear(R->rvj[j]); mpq_clear(R->rsj[j]); }
    free(R->rvj); free(R->rsj); free(R->pproj);
    if (R->lbv) for (int p = 0; p < E->m; p++) { mpq_clear(R->lbv[p]); mpq_clear(R->lbs[p]); }
    free(R->lbv); free(R->lbs); free(R->alive); free(R->exact); free(R->version);
    if (R->pr) for (int p = 0; p < E->m; p++) {
        Price *P = &R->pr[p];
        free(P->k); free(P->ui); free(P->W); free(P->poor);
        mpq_clear(P->rv); mpq_clear(P->rs); mpq_clear(P->T); mpq_clear(P->TS);
    }
    free(R->pr);
    for (int i = 0; i < R->hn; i++) mpq_clear(&R->heap[i].key);
    free(R->heap); free(R->acc); free(R->keys); free(R->selected); free(R->order); free(R->near); free(R->dkey); free(R->ekey);
    free(R->bits); free(R->paidw);
    if (R->av) for (int j = 0; j < E->m + 1; j++) { mpq_clear(R->av[j]); mpq_clear(R->as[j]); }
    free(R->av); free(R->as);
    common_free(&R->cav); common_free(&R->cas);
    if (R->sortkey) for (int i = 0; i < R->sortcap; i++) mpq_clear(R->sortkey[i]);
    free(R->sortkey);
    if (R->rounds) for (int i = 0; i < R->rcap; i++) mpq_clear(R->rounds[i].b);
    free(R->rounds); free(R->log_g); free(R->log_c); free(R->log_alive); free(R->lb_p);
    if (R->lb_v) for (size_t i = 0; i < R->cap_lb; i++) { mpq_clear(R->lb_v[i]); mpq_clear(R->lb_s[i]); }
    free(R->lb_v); free(R->lb_s);
    free(R->dlbv); free(R->dlbs); free(R->dlbu); free(R->lb_u); free(R->gaps); free(R->dlbc); free(R->lb_c); free(R->dcost); free(R->dcc);
    mpq_clear(R->t0); mpq_clear(R->tstar); mpq_clear(R->tmp); mpq_clear(R->tmp2); mpq_clear(R->tmp3);
    mpq_clear(R->ftmp); mpq_clear(R->ftmp2);
}

int new_class(Run *R) {
    if (R->nclass == R->ccap) {
        if (R->ccap > INT_MAX / 2) return -1;
        int cap = R->ccap * 2;
        /* each block kept (at its old size at least) if another fails: run_free still reads have[0..nclass) */
        if (xgrow(&R->cv, cap, sizeof(mpq_t)) < 0 || xgrow(&R->cs, cap, sizeof(mpq_t)) < 0 || xgrow(&R->have, cap, 1) < 0 ||
            xgrow(&R->par, cap, sizeof(int)) < 0 || xgrow(&R->pj, cap, sizeof(int)) < 0 || xgrow(&R->pui, cap, sizeof(int)) < 0 ||
            xgrow(&R->dv, cap, sizeof(double)) < 0 || xgrow(&R->ds, cap, sizeof(double)) < 0 ||
            xgrow(&R->ev, cap, sizeof(double)) < 0 || xgrow(&R->es, cap, sizeof(double)) < 0 ||
            xgrow(&R->dcc, cap, sizeof(double)) < 0)
            return -1;
        if (R->bits && xgrow(&R->bits, (size_t)cap * R->words, sizeof(uint64_t)) < 0) return -1;  /* words <= m / 64 + 1 */
        R->ccap = cap;
    }
    if (R->bits) memset(R->bits + (size_t)R->nclass * R->words, 0, R->words * sizeof(uint64_t));
    R->have[R->nclass] = 0;  /* its exact value (and the mpq_t holding it) made when first read: fill */
    R->par[R->nclass] = R->pj[R->nclass] = R->pui[R->nclass] = 0;
    R->dv[R->nclass] = R->ds[R->nclass] = R->ev[R->nclass] = R->es[R->nclass] = R->dcc[R->nclass] = 0;
    return R->nclass++;
}

int run_init(Run *R, Engine *E, const mpq_t t0, int track) {
    memset(R, 0, sizeof(*R));
    R->E = E;
    R->track = track;
    mpq_init(R->t0); mpq_init(R->tstar); mpq_init(R->tmp); mpq_init(R->tmp2); mpq_init(R->tmp3);
    mpq_init(R->ftmp); mpq_init(R->ftmp2);
    mpq_set(R->t0, t0);
    int m = E->m;
    R->ccap = 64;
    R->cv = malloc(R->ccap * sizeof(mpq_t));
    R->cs = malloc(R->ccap * sizeof(mpq_t));
    R->have = malloc(R->ccap);
    R->par = malloc(R->ccap * sizeof(int));
    R->pj = malloc(R->ccap * sizeof(int));
    R->pui = malloc(R->ccap * sizeof(int));
    R->dv = malloc(R->ccap * sizeof(double));
    R->ds = malloc(R->ccap * sizeof(double));
    R->ev = malloc(R->ccap * sizeof(double));
    R->es = malloc(R->ccap * sizeof(double));
    R->dcc = malloc(R->ccap * sizeof(double));
    R->rvj = xcalloc(m + 1, sizeof(mpq_t));
    R->rsj = xcalloc(m + 1, sizeof(mpq_t));
    R->pproj = xcalloc(m + 1, sizeof(int));
    /* run_free clears the mpq_t of every array it finds: one is kept only once its mpq_t are initialised */
    if (!R->rvj || !R->rsj) { free(R->rvj); free(R->rsj); R->rvj = R->rsj = NULL; return -1; }
    for (int j = 0; j < m + 1; j++) { mpq_init(R->rvj[j]); mpq_init(R->rsj[j]); }
    if (!R->have || !R->par || !R->pj || !R->pui || !R->dv || !R->ds || !R->ev || !R->es || !R->pproj || !R->dcc) return -1;
    R->cls = xcalloc(E->G, sizeof(int));
    R->lbv = xcalloc(m, sizeof(mpq_t));
    R->lbs = xcalloc(m, sizeof(mpq_t));
    R->alive = xcalloc(m, 1);
    R->exact = xcalloc(m, 1);
    R->version = xcalloc(m, sizeof(int));
    R->pr = xcalloc(m, sizeof(Price));
    R->hcap = m + 16;
    R->heap = malloc(R->hcap * sizeof(HeapItem));
    R->selected = xcalloc(m + E->ninitial + 1, sizeof(int));
    R->dlbv = xcalloc(m, sizeof(double));
    R->dlbs = xcalloc(m, sizeof(double));
    R->dlbu = xcalloc(m, sizeof(double));
    R->dlbc = xcalloc(m, sizeof(double));
    R->dcost = xcalloc(m, sizeof(double));
    if (R->dcost) for (int p = 0; p < m; p++) R->dcost[p] = mpz_get_d(E->cost[p]);
    for (int g = 0; g < E->G; g++) R->nw += (double)E->w[g];
    R->ubmin = INFINITY;
    R->dt0 = mpq_get_d(t0);
    if (!R->lbv || !R->lbs || !R->pr) {
        free(R->lbv); free(R->lbs); free(R->pr);
        R->lbv = R->lbs = NULL;
        R->pr = NULL;
        return -1;
    }
    if (!R->cv || !R->cs || !R->cls || !R->alive || !R->exact || !R->version || !R->heap || !R->selected || !R->dlbv ||
        !R->dlbs || !R->dlbu || !R->dlbc || !R->dcost) {
        for (int p = 0; p < m; p++) {  /* what run_free will clear */
            mpq_init(R->lbv[p]); mpq_init(R->lbs[p]);
            Price *P = &R->pr[p];
            mpq_init(P->rv); mpq_init(P->rs); mpq_init(P->T); mpq_init(P->TS);
        }
        return -1;
    }
    for (int p = 0; p < m; p++) {
        mpq_init(R->lbv[p]); mpq_init(R->lbs[p]);
        Price *P = &R->pr[p];
        mpq_init(P->rv); mpq_init(P->rs); mpq_init(P->T); mpq_init(P->TS);
    }
    if (E->by_cost) {
        R->words = (m + 63) / 64 + 1;
        R->bits = xcalloc((size_t)R->ccap * R->words, sizeof(uint64_t));
        R->av = xcalloc(m + 1, sizeof(mpq_t));
        R->as = xcalloc(m + 1, sizeof(mpq_t));
        R->paidw = xcalloc(m + 1, sizeof(int64_t));
        if (!R->av || !R->as) { free(R->av); free(R->as); R->av = R->as = NULL; return -1; }
        for (int j = 0; j < m + 1; j++) { mpq_init(R->av[j]); mpq_init(R->as[j]); }
        if (!R->bits || !R->paidw) return -1;
        mpq_set_ui(R->tmp, 1, 1);
        if (common_init(&R->cav, m + 1, t0) < 0 || common_init(&R->cas, m + 1, R->tmp) < 0) return -1;
    }
    if (new_class(R) < 0 || new_class(R) < 0) return -1;  /* never grows (ccap 64) but checked all the same */
    for (int k = 0; k < 2; k++) { mpq_init(R->cv[k]); mpq_init(R->cs[k]); R->have[k] = 1; }
    mpq_set(R->cv[0], t0);
    mpq_set_ui(R->cs[0], 1, 1);
    R->dv[0] = mpq_get_d(t0);
    R->ev[0] = fabs(R->dv[0]) * 0x1p-51;
    R->ds[0] = 1;
    R->dcc[0] = 1;  /* at the start everyone holds t: it grows by exactly t - t* */
    for (int i = 0; i < E->ninitial; i++) R->selected[R->nsel++] = E->initial[i];
    return 0;
}

/* ---------- the undo logs of a tracked run (see Run) ---------- */

static int grow(void **a, size_t *cap, size_t need, size_t size) {
    if (need <= *cap) return 0;
    size_t c = *cap ? *cap : 256;
    while (c < need) c *= 2;
    void *n = realloc(*a, c * size);
    if (!n) return -1;
    *a = n;
    *cap = c;
    return 0;
}

static int log_class(Run *R, int g) {  /* before g moves to another class */
    if (!R->track) return 0;
    size_t cap = R->cap_cls;
    if (grow((void **)&R->log_g, &cap, R->nlog_cls + 1, sizeof(int)) < 0) return -1;
    cap = R->cap_cls;
    if (grow((void **)&R->log_c, &cap, R->nlog_cls + 1, sizeof(int)) < 0) return -1;
    R->cap_cls = cap;
    R->log_g[R->nlog_cls] = g;
    R->log_c[R->nlog_cls++] = R->cls[g];
    return 0;
}

static int log_bound(Run *R, int p) {  /* before p's lower bound changes */
    if (!R->track) return 0;
    if (R->nlog_lb == R->cap_lb) {
        size_t c = R->cap_lb ? R->cap_lb * 2 : 256;
        int *np = realloc(R->lb_p, c * sizeof(int));
        if (!np) return -1;
        R->lb_p = np;
        double *nu = realloc(R->lb_u, c * sizeof(double));
        if (!nu) return -1;
        R->lb_u = nu;
        nu = realloc(R->lb_c, c * sizeof(double));
        if (!nu) return -1;
        R->lb_c = nu;
        mpq_t *nv = realloc(R->lb_v, c * sizeof(mpq_t));
        if (!nv) return -1;
        R->lb_v = nv;
        mpq_t *ns = realloc(R->lb_s, c * sizeof(mpq_t));
        if (!ns) return -1;
        R->lb_s = ns;
        /* counted one by one: mpq_init allocates, and GMP running out jumps away (gmp_oom.h) */
        for (size_t i = R->cap_lb; i < c; i++) { mpq_init(R->lb_v[i]); mpq_init(R->lb_s[i]); R->cap_lb = i + 1; }
    }
    R->lb_p[R->nlog_lb] = p;
    R->lb_u[R->nlog_lb] = R->dlbu[p];
    R->lb_c[R->nlog_lb] = R->dlbc[p];
    mpq_set(R->lb_v[R->nlog_lb], R->lbv[p]);
    mpq_set(R->lb_s[R->nlog_lb++], R->lbs[p]);
    return 0;
}

static int drop(Run *R, int p) {  /* p leaves the candidates */
    R->alive[p] = 0;
    if (!R->track) return 0;
    if (grow((void **)&R->log_alive, &R->cap_alive, R->nlog_alive + 1, sizeof(int)) < 0) return -1;
    R->log_alive[R->nlog_alive++] = p;
    return 0;
}

static int new_round(Run *R) {  /* a tracked run's record of the round starting */
    if (R->nrec == R->rcap) {
        int c = R->rcap ? R->rcap * 2 : 64;
        Round *n = realloc(R->rounds, c * sizeof(Round));
        if (!n) return -1;
        R->rounds = n;
        for (int i = R->rcap; i < c; i++) { mpq_init(R->rounds[i].b); R->rcap = i + 1; }  /* as in log_bound */
    }
    Round *rd = &R->rounds[R->nrec++];
    rd->ncls_log = R->nlog_cls;
    rd->nlb_log = R->nlog_lb;
    rd->nalive_log = R->nlog_alive;
    rd->ngap = R->ngap;
    rd->ub = INFINITY;
    rd->blocked = 0;
    rd->cpoor = R->dcc[POOR];
    rd->nclass = R->nclass;
    rd->nsel = R->nsel;
    rd->has = 0;
    return 0;
}

/* ---------- heap of (lower bound, tie rank) ---------- */

static inline int hless(const HeapItem *a, const HeapItem *b) {
    int c = mpq_cmp(&a->key, &b->key);
    return c < 0 || (c == 0 && a->rank < b->rank);
}

static void hswap(HeapItem *a, HeapItem *b) { HeapItem t = *a; *a = *b; *b = t; }

static int hpush(Run *R, const mpq_t key, int p) {
    if (R->hn == R->hcap) {
        if (R->hcap > INT_MAX / 2 || xgrow(&R->heap, (size_t)R->hcap * 2, sizeof(HeapItem)) < 0) return -1;
        R->hcap *= 2;
    }
    HeapItem *h = R->heap;
    int i = R->hn;
    mpq_init(&h[i].key);  /* before hn counts it: mpq_init allocates, and GMP running out jumps (gmp_oom.h) */
    R->hn++;
    mpq_set(&h[i].key, key);
    h[i].rank = R->E->rank[p];
    h[i].p = p;
    h[i].ver = R->version[p];
    while (i > 0) {
        int up = (i - 1) / 2;
        if (!hless(&h[i], &h[up])) break;
        hswap(&h[i], &h[up]);
        i = up;
    }
    return 0;
}

static void hpop(Run *R) {
    HeapItem *h = R->heap;
    mpq_clear(&h[0].key);
    R->hn--;
    if (R->hn == 0) return;
    h[0] = h[R->hn];
    int i = 0, n = R->hn;
    for (;;) {
        int l = 2 * i + 1, r = l + 1, s = i;
        if (l < n && hless(&h[l], &h[s])) s = l;
        if (r < n && hless(&h[r], &h[s])) s = r;
        if (s == i) break;
        hswap(&h[i], &h[s]);
        i = s;
    }
}

static int top(Run *R) {
    while (R->hn) {
        HeapItem *h = &R->heap[0];
        int p = h->p;
        if (!R->alive[p] || h->ver != R->version[p]) { hpop(R); continue; }
        if (R->exact[p] == 1) return p;
        hpop(R);
        /* first a float lower bound (most projects priced in a round are not bought in it); exactly when it comes
         * back to the top */
        int ok = price(R, p, R->exact[p] == 0);
        if (ok < 0) return -2;
        if (!ok) { if (drop(R, p) < 0) return -2; continue; }
        R->exact[p] = ok == 2 ? 2 : 1;
        if (log_bound(R, p) < 0) return -2;
        mpq_set(R->lbv[p], R->pr[p].rv);
        mpq_set(R->lbs[p], R->pr[p].rs);
        R->dlbv[p] = mpq_get_d(R->lbv[p]);
        R->dlbs[p] = mpq_get_d(R->lbs[p]);
        R->dlbu[p] = R->pr[p].ulo;
        R->dlbc[p] = R->pr[p].wcs;
        R->version[p]++;
        if (hpush(R, R->lbv[p], p) < 0) return -2;
    }
    return -1;
}

/* where the winner may stop being affordable and where one of its payers may change side */
static void track_winner(Run *R, int best) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    mpq_t cost, u, pay, pu, a, b;
    mpq_inits(cost, u, pay, pu, a, b, NULL);
    mpq_set_z(cost, E->cost[best]);
    /* Σ budgets is read only when it falls with t (its slope, computed by price when it had to read the sum, else
     * exactly only when the floats, with the classes' error bounds, cannot tell it is positive) */
    double sf = 0, se = 0;
    if (!P->have_T)
        for (int i = 0; i < P->n; i++) {
            int k = P->k[i];
            sf += (double)P->W[i] * R->ds[k];
            se += (double)P->W[i] * (R->es[k] + fabs(R->ds[k]) * 1e-10);
        }
    if (!P->have_T && !(sf - se > 0)) entry_sums(R, P, NULL, P->TS);
    if ((P->have_T || !(sf - se > 0)) && mpq_sgn(P->TS) < 0) {
        if (!P->have_T) entry_sums(R, P, P->T, NULL);
        P->have_T = 1;
        mpq_sub(a, P->T, cost);
        bound(R, a, P->TS);
    }
    /* Each entry's crossing t0 + A/B is first bounded from below in floats: an entry whose crossing is surely after
     * the smallest found so far cannot make t* (only the smallest matters), and is not computed exactly. A class's
     * float comes with a bound on its error (ev, es); ρ and u are copies of exact values, and FERR (1e-13) bounds
     * the relative error of one or two operations on them generously. */
    const double FERR = 1e-13;
    double drv = mpq_get_d(P->rv), drs = mpq_get_d(P->rs);
    int last_u = -1;
    double du = 0;
    for (int i = 0; i < P->n; i++) {
        if (E->by_cost ? last_u < 0 : P->ui[i] != last_u) {  /* ρ·u and ρ'·u for this utility, exact and in floats */
            util(E, best, P->ui[i], u);
            mpq_mul(pay, P->rs, u);
            mpq_mul(pu, P->rv, u);
            du = mpq_get_d(u);
            last_u = P->ui[i];
        }
        int k = P->k[i];
        if (R->has_tstar) {
            double dv = R->dv[k], ds = R->ds[k];
            double A = P->poor[i] ? drv * du - dv : dv - drv * du;
            double B = P->poor[i] ? ds - drs * du : drs * du - ds;
            double eA = FERR * (fabs(drv * du) + fabs(dv)) + R->ev[k], eB = FERR * (fabs(ds) + fabs(drs * du)) + R->es[k];
            if (B < -eB) continue;  /* surely no crossing: the side does not change as t grows */
            if (B > eB && A - eA > 0) {
                double lo = (A - eA) / (B + eB) * (1 - FERR);
                if (lo > R->dtstar) continue;  /* surely after t* */
            }
        }
        mpq_ptr v = CV(R, k), s = CS(R, k);
        if (P->poor[i]) {
            if (mpq_cmp(pay, s) < 0) {
                mpq_sub(a, pu, v);
                mpq_sub(b, pay, s);
                bound(R, a, b);
            }
        } else if (mpq_cmp(s, pay) < 0) {
            mpq_sub(a, v, pu);
            mpq_sub(b, s, pay);
            bound(R, a, b);
        }
    }
    mpq_clears(cost, u, pay, pu, a, b, NULL);
}

/* class nc's value and slope in floats, from its parent's and the rate it paid (ρ, ρ' in floats), with bounds on
 * their absolute errors */
static void class_floats(Run *R, int nc, double drv, double drs) {
    Engine *E = R->E;
    int k = R->par[nc];
    double du = E->by_cost ? R->dcost[R->pproj[R->pj[nc]]] : E->duval[R->pui[nc]];
    double pv = drv * du, ps = drs * du;
    R->dv[nc] = R->dv[k] - pv;
    R->ds[nc] = R->ds[k] - ps;
    R->ev[nc] = R->ev[k] + (fabs(pv) + fabs(R->dv[k]) + fabs(R->dv[nc])) * 0x1p-50;
    R->es[nc] = R->es[k] + (fabs(ps) + fabs(R->ds[k]) + fabs(R->ds[nc])) * 0x1p-50;
}

/* the winner's supporters pay: those who pay all they have join POOR, each other entry becomes a new class */
static int pay(Run *R, int best) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    mpq_t u;
    mpq_init(u);
    int j = R->nround++;
    mpq_set(R->rvj[j], P->rv);
    mpq_set(R->rsj[j], P->rs);
    R->pproj[j] = best;
    double drv = mpq_get_d(P->rv), drs = mpq_get_d(P->rs);
    /* outcome_reach: past t*, the price falls by at most Σ W·c·(t - t*) / Σ W·u over those who pay ρ·u (they still
     * do), so every payer's budget grows by at most (c + u·that / (t - t*))·(t - t*) */
    double wc = 0, urich = 0, dcost = R->dcost[best];
    for (int i = 0; i < P->n; i++) {
        wc += (double)P->W[i] * R->dcc[P->k[i]];
        if (!P->poor[i]) urich += (double)P->W[i] * (E->by_cost ? dcost : E->duval[P->ui[i]]);
    }
    double relief = urich > 0 ? wc / urich * (1 + 1e-12) : INFINITY;
    if (R->bits) {
        mpz_set(mpq_numref(u), E->cost[best]);
        mpz_set_ui(mpq_denref(u), 1);
        mpq_mul(R->av[j], P->rv, u);
        mpq_mul(R->as[j], P->rs, u);
        common_add(&R->cav, j, R->av[j]);
        common_add(&R->cas, j, R->as[j]);
    }
    /* acc (zero between uses) maps each key to its new class + 1 for the moment */
    for (int i = 0; i < P->n; i++) {
        int nc = POOR;
        if (!P->poor[i]) {
            nc = new_class(R);
            if (nc < 0) { mpq_clear(u); return -1; }
            int k = P->k[i];
            R->par[nc] = k;
            R->pj[nc] = j;
            R->pui[nc] = P->ui[i];
            class_floats(R, nc, drv, drs);
            R->dcc[nc] = (R->dcc[k] + relief * (E->by_cost ? dcost : E->duval[P->ui[i]])) * (1 + 1e-12);
            if (R->bits) {
                uint64_t *nb = R->bits + (size_t)nc * R->words;
                memcpy(nb, R->bits + (size_t)k * R->words, R->words * sizeof(uint64_t));
                nb[j / 64] |= (uint64_t)1 << (j % 64);
            }
        }
        else {
            double c = (R->dcc[P->k[i]] + relief * (E->by_cost ? dcost : E->duval[P->ui[i]])) * (1 + 1e-12);
            if (!(c <= R->dcc[POOR])) R->dcc[POOR] = c;
        }
        R->acc[(size_t)P->k[i] * E->width + P->ui[i]] = nc + 1;
    }
    for (int i = E->sup_off[best]; i < E->sup_off[best + 1]; i++) {
        int g = E->sup_g[i];
        if (log_class(R, g) < 0) { mpq_clear(u); return -1; }
        size_t key = (size_t)R->cls[g] * E->width + E->sup_u[i];
        R->cls[g] = (int)R->acc[key] - 1;
    }
    for (int i = 0; i < P->n; i++) R->acc[(size_t)P->k[i] * E->width + P->ui[i]] = 0;
    mpq_clear(u);
    return 0;
}

/* explain: what the Python explanation reads of each purchase (native/engine.py, NativeMES.explained):
 * (project, tied, ρ, highest amount paid, the class of each supporter group before it paid (int32 bytes, in
 * supporter order), each entry's class and utility index (int32 pairs), whether it paid all it had (bytes), and the
 * classes made by the purchase before: (the first's number, int32 triples (parent, purchase, utility index))), and
 * the weight of its supporters, of those with nothing left and of those who paid all else they had.
 * Arrays, not a Python object per group or entry, and no amounts: a payer of ρ·u pays that, one who pays all it has
 * pays its class's value, which Python works out from the classes' parents when the payments are first read
 * (Mokotów: its 43 purchases' 15,000 amounts as text took 21 ms, four times the count itself). */
static PyObject *purchase_record(Run *R, int best, PyObject *tied) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    int lo = E->sup_off[best], hi = E->sup_off[best + 1], n = P->n;
    int first = R->nclass;  /* the classes the purchase before made (numbered last, each with its purchase) */
    while (first > 2 && R->nround > 0 && R->pj[first - 1] == R->nround - 1) first--;
    PyObject *classes = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(hi - lo) * 4);
    PyObject *keys = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)n * 8);
    PyObject *poor = PyBytes_FromStringAndSize(NULL, n);
    PyObject *made = PyBytes_FromStringAndSize(NULL, (Py_ssize_t)(R->nclass - first) * 12);
    PyObject *rec = NULL;
    mpq_t u, highest;
    mpq_inits(u, highest, NULL);
    int have_rich = 0;
    long long w_all = 0, w_empty = 0, w_poor = 0;
    if (!classes || !keys || !poor || !made) goto out;
    int32_t *cl = (int32_t *)PyBytes_AS_STRING(classes), *kv = (int32_t *)PyBytes_AS_STRING(keys);
    int32_t *mv = (int32_t *)PyBytes_AS_STRING(made);
    char *pv = PyBytes_AS_STRING(poor);
    for (int i = lo; i < hi; i++) cl[i - lo] = R->cls[E->sup_g[i]];
    for (int k = first; k < R->nclass; k++) {
        mv[3 * (k - first)] = R->par[k];
        mv[3 * (k - first) + 1] = R->pj[k];
        mv[3 * (k - first) + 2] = R->pui[k];
    }
    for (int i = 0; i < n; i++) {
        kv[2 * i] = P->k[i];
        kv[2 * i + 1] = P->ui[i];
        pv[i] = P->poor[i] ? 1 : 0;
        w_all += P->W[i];
        if (P->poor[i]) *(P->k[i] == POOR ? &w_empty : &w_poor) += P->W[i];
        else {
            util(E, best, P->ui[i], u);
            if (!have_rich || mpq_cmp(u, highest) > 0) { mpq_set(highest, u); have_rich = 1; }
        }
    }
    if (have_rich) mpq_mul(highest, highest, P->rv);
    else {  /* everyone paid all they had: the highest budget among them */
        int one = 1;
        for (int i = 0; i < n; i++)
            if (one || mpq_cmp(CV(R, P->k[i]), highest) > 0) { mpq_set(highest, CV(R, P->k[i])); one = 0; }
    }
    PyObject *rv = mpq_to_py(P->rv), *hv = mpq_to_py(highest);
    if (rv && hv) rec = Py_BuildValue("(iOOOOOO(iO)(LLL))", best, tied, rv, hv, classes, keys, poor, first, made, w_all, w_empty, w_poor);
    Py_XDECREF(rv);
    Py_XDECREF(hv);
out:
    Py_XDECREF(classes); Py_XDECREF(keys); Py_XDECREF(poor); Py_XDECREF(made);
    mpq_clears(u, highest, NULL);
    return rec;
}

/* the heap's smallest live lower bound is above rho: no project left can cost rho (popping stale entries) */
static int all_above(Run *R, const mpq_t rho) {
    while (R->hn) {
        HeapItem *h = &R->heap[0];
        if (!R->alive[h->p] || h->ver != R->version[h->p]) { hpop(R); continue; }
        return mpq_cmp(&h->key, rho) > 0;
    }
    return 1;
}

/* every live project whose exact price equals the winner's, in tie order (the winner first) */
static PyObject *tied_with(Run *R, int best) {
    PyObject *tied = PyList_New(0);
    if (!tied) return NULL;
    HeapItem *held = NULL;
    int nh = 0;
    mpq_t rho;
    mpq_init(rho);
    mpq_set(rho, R->pr[best].rv);
    for (;;) {
        if (all_above(R, rho)) break;  /* a lower bound above ρ: not priced (exactly) for nothing */
        int p = top(R);
        if (p == -2) { Py_CLEAR(tied); break; }
        if (p < 0 || mpq_cmp(R->pr[p].rv, rho) != 0) break;
        PyObject *o = PyLong_FromLong(p);
        if (!o || PyList_Append(tied, o) < 0) { Py_XDECREF(o); Py_CLEAR(tied); break; }
        Py_DECREF(o);
        if (xgrow(&held, nh + 1, sizeof(HeapItem)) < 0) { PyErr_NoMemory(); Py_CLEAR(tied); break; }
        held[nh] = R->heap[0];
        mpq_init(&held[nh].key);
        mpq_set(&held[nh].key, &R->heap[0].key);
        nh++;
        hpop(R);
    }
    for (int i = 0; i < nh; i++) {  /* back in the heap, with the versions they had */
        int p = held[i].p, ver = R->version[p];
        R->version[p] = held[i].ver;
        hpush(R, &held[i].key, p);  /* cannot fail: the heap had room for these before they were popped */
        R->version[p] = ver;
        mpq_clear(&held[i].key);
    }
    free(held);
    mpq_clear(rho);
    return tied;
}

/* ---------- Add1: how far past t* the outcome stays ---------- */

/* A gap that must stay positive for the round's winner to stay the winner, a + b·(t - t0) in floats (ea, eb:
 * bounds on the absolute errors of a and b); f·gap: how far t may move past the t where it is read (outcome_reach).
 * Kept only if it may be the smallest when read: every later t* is at most the t* known now, so a gap whose lower
 * bound on [t0, t*] is above another's upper bound there never is. */
int add_gap(Run *R, double a, double b, double ea, double eb, double u, double wc) {
    if (!R->track || R->nrec == 0) return 0;
    Round *rd = &R->rounds[R->nrec - 1];
    if (rd->blocked) return 0;
    /* what the split's voters can gain in all: at most Σ W·c·(t - t*), and at most n·(t - t*) */
    if (!(wc < R->nw)) wc = R->nw;
    if (wc == 0) return 0;  /* the gap cannot close: the bound does not depend on budgets */
    double f = u / wc;
    double alo = a - 2 * ea - 1e-15 * fabs(a), blo = b - 2 * eb - 1e-15 * fabs(b);
    if (!(alo > 0) || !(f > 0) || !isfinite(f) || !isfinite(blo)) { rd->blocked = 1; return 0; }
    double A = alo * f * (1 - 1e-14), B = blo * f * (blo < 0 ? 1 + 1e-14 : 1 - 1e-14);
    double t0 = R->dt0;
    if (R->has_tstar) {
        double tau = R->dtstar * (1 + 1e-12);  /* at least t* - t0 */
        double lo = B < 0 ? A + B * tau : A, hi = B < 0 ? A : A + B * tau * (1 + 1e-12) + 1e-300;
        if (lo * (1 - 1e-9) > R->ubmin) return 0;  /* never the smallest */
        if (hi < rd->ub) rd->ub = hi;
        if (hi < R->ubmin) R->ubmin = hi;
    }
    if (grow((void **)&R->gaps, &R->cap_gap, R->ngap + 1, sizeof(Gap)) < 0) return -1;
    Gap *g = &R->gaps[R->ngap++];
    g->t0 = t0;
    g->A = A;
    g->B = B;
    return 0;
}

/* t* is the first t where one of the run's decisions may change, and most are a payer of a winner changing side
 * (pays ρ·u / pays all it has), which changes no winner. The outcome (the winners, in order) changes later, if at
 * all, and outcome_reach moves t* up to a t it surely does not change below, without counting again:
 *  - with the same winners in the rounds before, every budget in a round is non-decreasing in t (the price ρ of any
 *    project is non-increasing in its supporters' budgets, and a budget b becomes max(0, b - ρ·u)), so every
 *    price is non-increasing in t; and the budgets of all voters in a round add up to n·t minus the costs bought
 *    before, so from t_a to t_b they grow by n·(t_b - t_a) in all;
 *  - a rival's lower bound (cost - Σ_S W·b) / Σ_{not S} W·u (any split S; U = Σ_{not S} W·u) thus drops by at
 *    most n·(t_b - t_a) / U, while the winner's price does not grow: the rival cannot overtake the winner while
 *    n·(t_b - t_a) / U stays below the gap between them at t_a; a project that could not be paid (its supporters'
 *    budgets add up to less than the cost) cannot be paid while n·(t_b - t_a) stays below what is missing;
 *  - so if at every round every rival's gap, and every unaffordable project's shortfall, hold at t* (the run's
 *    affine values there: the limit from below, where they are exact), no round's winner changes before
 *    t* + min(gap·U/n, shortfall/n), by induction over the rounds.
 * The gaps are recorded in floats with bounds on their errors, and the reach is rounded down: it only moves the
 * next step to count, never decides an outcome. A restarted run keeps the gaps of the rounds it keeps. */
#include <stdio.h>
static void outcome_reach(Run *R) {
    if (!R->has_tstar || !(R->nw > 0)) return;
    for (int i = 0; i < R->nrec; i++) if (R->rounds[i].blocked) return;
    double T = mpq_get_d(R->tstar), reach = INFINITY;
    for (size_t i = 0; i < R->ngap; i++) {
        const Gap *g = &R->gaps[i];
        double tau = T - g->t0, e = 1e-15 * (fabs(T) + fabs(g->t0)) + 1e-15 * fabs(tau);
        tau = g->B < 0 ? tau + e : tau - e;  /* what makes A + B·tau smallest */
        double x = (g->A + g->B * (tau > 0 ? tau : 0)) * (1 - 1e-14) - 1e-300;
        if (!(x > 0)) return;
        if (x < reach) reach = x;
    }
    if (!(reach > 0) || !isfinite(reach)) return;
    mpq_set_d(R->tmp, reach * (1 - 1e-12));
    mpq_add(R->tstar, R->tstar, R->tmp);
}

/* the run itself; purchases: a list to fill (explain) or NULL; resume: after run_restart */
int run_count(Run *R, PyObject *purchases, int resume) {
    Engine *E = R->E;
    for (int i = 0; i < E->ncand; i++) {
        int p = E->cand[i];
        if (!resume) R->alive[p] = 1;
        if (R->alive[p] && hpush(R, R->lbv[p], p) < 0) return -1;
    }
    mpq_t a, b;
    mpq_inits(a, b, NULL);
    int rc = 0;
    for (;;) {
        if (R->track && new_round(R) < 0) { rc = -1; break; }
        int best = top(R);
        if (best == -2) { rc = -1; break; }
        if (best < 0) break;
        Price *P = &R->pr[best];
        /* the Python engine's class numbers (key order) are only read by the explanation: elsewhere any order counts the same */
        if (purchases && sort_entries(R, P) < 0) { rc = -1; break; }
        if (R->track) {
            track_winner(R, best);
            double drv = mpq_get_d(P->rv), drs = mpq_get_d(P->rs);
            for (int i = 0; i < E->ncand; i++) {
                int q = E->cand[i];
                if (q == best || !R->alive[q]) continue;
                if (mpq_cmp(R->lbs[q], P->rs) < 0) {
                    mpq_sub(a, R->lbv[q], P->rv);
                    mpq_sub(b, R->lbs[q], P->rs);
                    bound(R, a, b);
                }
                /* the rival's lower bound stays above the winner's price (outcome_reach) */
                double lv = R->dlbv[q], ls = R->dlbs[q];
                if (add_gap(R, lv - drv, ls - drs, 1e-15 * (fabs(lv) + fabs(drv)), 1e-15 * (fabs(ls) + fabs(drs)),
                            R->dlbu[q], R->dlbc[q]) < 0) { rc = -1; break; }
            }
            if (rc < 0) break;
        }
        if (purchases) {
            PyObject *tied = tied_with(R, best);
            if (!tied) { rc = -1; break; }
            PyObject *rec = purchase_record(R, best, tied);
            Py_DECREF(tied);
            if (!rec || PyList_Append(purchases, rec) < 0) { Py_XDECREF(rec); rc = -1; break; }
            Py_DECREF(rec);
        }
        if (pay(R, best) < 0 || drop(R, best) < 0) { rc = -1; break; }
        for (int i = E->tch_off[best]; i < E->tch_off[best + 1]; i++) R->exact[E->tch[i]] = 0;
        R->selected[R->nsel++] = best;
    }
    mpq_clears(a, b, NULL);
    if (rc == 0 && R->track && !purchases) outcome_reach(R);
    return rc;
}


/* A tracked run moved to a larger start budget t0 (Add1's next step). Every class value, price and bound of a run
 * is affine in t, and each round's record says from which t on one of its decisions may change: the rounds before
 * the first round whose t is ≤ the new t0 take the same decisions at the new t0, with the same classes (their values
 * moved along their slopes). The run goes back to the start of that round (undoing what the later rounds changed),
 * and run_count(R, NULL, 1) counts on from there. The heap and the price caches start afresh from the lower
 * bounds, as a run at its first round does. */
int run_restart(Run *R, const mpq_t t0) {
    Engine *E = R->E;
    int r = R->nrec - 1;
    for (int i = 0; i < R->nrec; i++)
        if (R->rounds[i].has && mpq_cmp(R->rounds[i].b, t0) <= 0) { r = i; break; }
    Round *rd = &R->rounds[r];
    mpq_t d;
    mpq_init(d);
    mpq_sub(d, t0, R->t0);  /* how far t moves */
    mpq_set(R->t0, t0);
    /* undo what rounds r, r+1, ... changed, the latest first */
    while (R->nlog_cls > rd->ncls_log) { R->nlog_cls--; R->cls[R->log_g[R->nlog_cls]] = R->log_c[R->nlog_cls]; }
    while (R->nlog_lb > rd->nlb_log) {
        R->nlog_lb--;
        int p = R->lb_p[R->nlog_lb];
        mpq_swap(R->lbv[p], R->lb_v[R->nlog_lb]);
        mpq_swap(R->lbs[p], R->lb_s[R->nlog_lb]);
        R->dlbu[p] = R->lb_u[R->nlog_lb];
        R->dlbc[p] = R->lb_c[R->nlog_lb];
    }

    while (R->nlog_alive > rd->nalive_log) R->alive[R->log_alive[--R->nlog_alive]] = 1;
    for (int k = 2; k < R->nclass; k++)  /* exact values: made again from the moved rates when read */
        if (R->have[k]) { mpq_clear(R->cv[k]); mpq_clear(R->cs[k]); R->have[k] = 0; }
    R->nclass = rd->nclass;
    R->nsel = rd->nsel;
    R->nround = r;
    R->nrec = r;  /* round r's record is made again when it starts */
    R->ngap = rd->ngap;
    R->dcc[POOR] = rd->cpoor;
    R->ubmin = INFINITY;
    for (int i = 0; i < r; i++) if (R->rounds[i].ub < R->ubmin) R->ubmin = R->rounds[i].ub;
    /* the purchases kept: their rates (and amounts) at the new t0 */
    for (int j = 0; j < r; j++) {
        mpq_mul(R->tmp, R->rsj[j], d);
        mpq_add(R->rvj[j], R->rvj[j], R->tmp);
        if (R->bits) {
            mpq_mul(R->tmp, R->as[j], d);
            mpq_add(R->av[j], R->av[j], R->tmp);
        }
    }
    if (R->bits) {
        common_rebuild(&R->cav, t0, R->av, r);
        mpq_set_ui(R->tmp, 1, 1);
        common_rebuild(&R->cas, R->tmp, R->as, r);
    }
    mpq_set(R->cv[0], t0);
    R->dv[0] = mpq_get_d(t0);
    R->dt0 = R->dv[0];
    R->ev[0] = fabs(R->dv[0]) * 0x1p-51;
    for (int k = 2; k < R->nclass; k++) {  /* a parent is older than its children */
        int j = R->pj[k];
        class_floats(R, k, mpq_get_d(R->rvj[j]), mpq_get_d(R->rsj[j]));
    }
    /* lower bounds at the new t0, the price caches and the heap afresh */
    for (int p = 0; p < E->m; p++) {
        if (mpq_sgn(R->lbs[p]) != 0) {
            mpq_mul(R->tmp, R->lbs[p], d);
            mpq_add(R->lbv[p], R->lbv[p], R->tmp);
        }
        R->dlbv[p] = mpq_get_d(R->lbv[p]);
        R->dlbs[p] = mpq_get_d(R->lbs[p]);
        R->exact[p] = 0;
    }
    for (int i = 0; i < R->hn; i++) mpq_clear(&R->heap[i].key);
    R->hn = 0;
    /* t*: the earliest change among the rounds kept (all after the new t0) */
    R->has_tstar = 0;
    for (int i = 0; i < r; i++)
        if (R->rounds[i].has && (!R->has_tstar || mpq_cmp(R->rounds[i].b, R->tstar) < 0)) {
            mpq_set(R->tstar, R->rounds[i].b);
            R->has_tstar = 1;
        }
    if (R->has_tstar) {
        mpq_sub(R->tmp3, R->tstar, R->t0);
        double x = mpq_get_d(R->tmp3);
        R->dtstar = x + fabs(x) * 1e-12 + 1e-300;
    }
    mpq_clear(d);
    return 0;
}
