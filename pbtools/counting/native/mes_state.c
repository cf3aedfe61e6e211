/* A run's memory: its state made (run_init), grown by a class (new_class) and freed (run_free). */
#include "mes.h"
#include "mes_classes.h"

/* ---------- a run ---------- */

void run_free(Run *R) {
    Engine *E = R->E;
    for (int k = 0; k < R->nclass; k++) if (R->have[k]) { mpq_clear(R->cv[k]); mpq_clear(R->cs[k]); }
    free(R->cv); free(R->cs); free(R->cls);
    free(R->have); free(R->par); free(R->pj); free(R->pui); free(R->dv); free(R->ds); free(R->ev); free(R->es);
    if (R->rvj) for (int j = 0; j < E->m + 1; j++) { mpq_clear(R->rvj[j]); mpq_clear(R->rsj[j]); }
    free(R->rvj); free(R->rsj); free(R->pproj); free(R->drvj); free(R->drsj);
    if (R->lbv) for (int p = 0; p < E->m; p++) { mpq_clear(R->lbv[p]); mpq_clear(R->lbs[p]); }
    free(R->lbv); free(R->lbs); free(R->alive); free(R->exact); free(R->hpos);
    if (R->pr) for (int p = 0; p < E->m; p++) {
        Price *P = &R->pr[p];
        free(P->k); free(P->ui); free(P->W); free(P->poor);
        mpq_clear(P->rv); mpq_clear(P->rs); mpq_clear(P->T); mpq_clear(P->TS);
    }
    free(R->pr);
    free(R->heap); free(R->tied); free(R->twin); free(R->acc); free(R->keys); free(R->selected); free(R->order); free(R->near); free(R->sidx); free(R->dkey); free(R->ekey);
    free(R->bits); free(R->paidw);
    if (R->av) for (int j = 0; j < E->m + 1; j++) { mpq_clear(R->av[j]); mpq_clear(R->as[j]); }
    free(R->av); free(R->as);
    common_free(&R->cav); common_free(&R->cas);
    if (R->sortkey) for (int i = 0; i < R->sortcap; i++) mpq_clear(R->sortkey[i]);
    free(R->sortkey);
    if (R->rounds) for (int i = 0; i < R->init_rounds; i++) { mpq_clear(R->rounds[i].b); mpq_clear(R->rounds[i].t0); }
    free(R->rounds); free(R->log_g); free(R->log_c); free(R->log_alive); free(R->lb_p);
    if (R->lb_v) for (size_t i = 0; i < R->init_lb; i++) { mpq_clear(R->lb_v[i]); mpq_clear(R->lb_s[i]); }
    free(R->lb_v); free(R->lb_s);
    free(R->dlbv); free(R->dlbs); free(R->dlbu); free(R->lb_u); free(R->gaps); free(R->dlbc); free(R->lb_c); free(R->dcc);
    mpq_clear(R->t0); mpq_clear(R->tstar); mpq_clear(R->tmp); mpq_clear(R->tmp2); mpq_clear(R->tmp3);
    mpq_clear(R->ftmp); mpq_clear(R->ftmp2);
    for (int i = 0; i < 5; i++) mpq_clear(R->pq[i]);
    for (int i = 0; i < 6; i++) mpq_clear(R->tq[i]);
    mpz_clears(R->zv, R->zs, R->zu, R->zr, R->zx, R->zy, R->zw, R->za, R->zb, NULL);
}

/* room for n more classes (pay makes a purchase's classes itself, after one call): the arrays doubled as needed */
int class_room(Run *R, int n) {
    if (n > R->ccap - R->nclass) {
        int cap = R->ccap;
        while (n > cap - R->nclass) {
            if (cap > INT_MAX / 2) return -1;
            cap *= 2;
        }
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
    return 0;
}

int new_class(Run *R) {
    if (class_room(R, 1) < 0) return -1;
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
    /* zeroed until then: safe to clear. Their numerators get limbs of their own at once (mpq_init gives them GMP's
     * shared dummy limb; see the mpz scratch below) */
    for (int i = 0; i < 5; i++) { mpq_init(R->pq[i]); mpz_realloc2(mpq_numref(R->pq[i]), 64); }
    for (int i = 0; i < 6; i++) { mpq_init(R->tq[i]); mpz_realloc2(mpq_numref(R->tq[i]), 64); }
    /* with limbs of their own: an mpz_init'd number points at GMP's shared dummy limb, and an operation refused while
     * growing it leaves it counting limbs it does not own, which run_free would then free (gmp_oom.h) */
    mpz_ptr z[] = {R->zv, R->zs, R->zu, R->zr, R->zx, R->zy, R->zw, R->za, R->zb};
    for (size_t i = 0; i < sizeof(z) / sizeof(z[0]); i++) mpz_init2(z[i], 64);
    mpq_set(R->t0, t0);
    int m = E->m, ok = 1;
    /* the plain arrays, then one test (run_free frees what was made) */
    R->ccap = 16;  /* doubled as classes come (new_class): past 1 KB an allocation first sweeps malloc's small free lists */
    CALLOC_INTO(ok, R->cv, R->ccap); CALLOC_INTO(ok, R->cs, R->ccap); CALLOC_INTO(ok, R->have, R->ccap);
    CALLOC_INTO(ok, R->par, R->ccap); CALLOC_INTO(ok, R->pj, R->ccap); CALLOC_INTO(ok, R->pui, R->ccap);
    CALLOC_INTO(ok, R->dv, R->ccap); CALLOC_INTO(ok, R->ds, R->ccap); CALLOC_INTO(ok, R->ev, R->ccap);
    CALLOC_INTO(ok, R->es, R->ccap); CALLOC_INTO(ok, R->dcc, R->ccap);
    CALLOC_INTO(ok, R->pproj, m + 1); CALLOC_INTO(ok, R->drvj, m + 1); CALLOC_INTO(ok, R->drsj, m + 1);
    CALLOC_INTO(ok, R->alive, m); CALLOC_INTO(ok, R->exact, m); CALLOC_INTO(ok, R->heap, m);
    CALLOC_INTO(ok, R->hpos, m); CALLOC_INTO(ok, R->dlbv, m); CALLOC_INTO(ok, R->dlbs, m);
    CALLOC_INTO(ok, R->dlbu, m); CALLOC_INTO(ok, R->dlbc, m);
    CALLOC_INTO(ok, R->selected, m + E->ninitial + 1);
    CALLOC_INTO(ok, R->cls, E->G);
    if (!ok) return -1;
    for (int p = 0; p < m; p++) R->hpos[p] = -1;
    R->ubmin = INFINITY;
    R->dt0 = mpq_get_d(t0);
    /* run_free clears the mpq_t of every array it finds: one is kept only once its mpq_t are initialised */
    R->rvj = xcalloc(m + 1, sizeof(mpq_t));
    R->rsj = xcalloc(m + 1, sizeof(mpq_t));
    if (!R->rvj || !R->rsj) { free(R->rvj); free(R->rsj); R->rvj = R->rsj = NULL; return -1; }
    for (int j = 0; j < m + 1; j++) { mpq_init(R->rvj[j]); mpq_init(R->rsj[j]); }
    R->lbv = xcalloc(m, sizeof(mpq_t));
    R->lbs = xcalloc(m, sizeof(mpq_t));
    R->pr = xcalloc(m, sizeof(Price));
    if (!R->lbv || !R->lbs || !R->pr) {
        free(R->lbv); free(R->lbs); free(R->pr);
        R->lbv = R->lbs = NULL;
        R->pr = NULL;
        return -1;
    }
    for (int p = 0; p < m; p++) {
        mpq_init(R->lbv[p]); mpq_init(R->lbs[p]);
        Price *P = &R->pr[p];
        mpq_init(P->rv); mpq_init(P->rs); mpq_init(P->T); mpq_init(P->TS);
    }
    if (E->by_cost) {
        R->words = (m + 63) / 64 + 1;
        CALLOC_INTO(ok, R->bits, (size_t)R->ccap * R->words);
        CALLOC_INTO(ok, R->paidw, m + 1);
        if (!ok) return -1;
        R->av = xcalloc(m + 1, sizeof(mpq_t));
        R->as = xcalloc(m + 1, sizeof(mpq_t));
        if (!R->av || !R->as) { free(R->av); free(R->as); R->av = R->as = NULL; return -1; }
        for (int j = 0; j < m + 1; j++) { mpq_init(R->av[j]); mpq_init(R->as[j]); }
        mpq_set_ui(R->tmp, 1, 1);
        if (common_init(&R->cav, m + 1, t0) < 0 || common_init(&R->cas, m + 1, R->tmp) < 0) return -1;
    }
    if (new_class(R) < 0 || new_class(R) < 0) return -1;  /* never grows (ccap 16) but checked all the same */
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
