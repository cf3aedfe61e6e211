/* Add1 certification (mes_certify.c): what a certifier keeps between certifications, made from the engine (exact
 * floats of the weights, costs and utilities, or unusable) and grown and freed here; the path's classes made again
 * from its logged moves (classes_at), and the kept rows of weights forgotten where the path changes. */
#include "mes_cert.h"

void certifier_free(struct Certifier *S) {
    if (!S) return;
    free(S->w); free(S->u); free(S->U0); free(S->cls); free(S->lo); free(S->hi); free(S->cui);
    free(S->next); free(S->first); free(S->stamp); free(S->acc); free(S->touched); free(S->x); free(S->fresh);
    free(S->alive); free(S->it.b); free(S->it.u); free(S->it.w); free(S->hk); free(S->hq); free(S->dead); free(S->dead_r); free(S->ref_dead); free(S->ref_dead_r);
    free(S->ref_path); free(S->path); free(S->kat); free(S->cpar); free(S->cu); free(S->mv_off);
    free(S->mv_g); free(S->mv_c); free(S->ic_at); free(S->ic_len); free(S->ic_k); free(S->ic_w); free(S->sel);
    free(S);
}

/* an integer below 2^53 as an exact double (no GMP allocation), else -1 */
static double exact_z(const mpz_t z) {
    if (mpz_sgn(z) < 0 || mpz_sizeinbase(z, 2) > 53) return -1;
    return mpz_get_d(z);
}

int grow_classes(struct Certifier *S, int need) {
    if (need <= S->kcap) return 0;
    int cap = S->kcap ? S->kcap : 64;
    while (cap < need) cap *= 2;
    if (xgrow(&S->lo, cap, sizeof(double)) < 0 || xgrow(&S->hi, cap, sizeof(double)) < 0 ||
        xgrow(&S->cui, cap, sizeof(int)) < 0 || xgrow(&S->next, cap, sizeof(int)) < 0 ||
        xgrow(&S->first, cap, sizeof(int)) < 0 || xgrow(&S->stamp, cap, sizeof(int)) < 0 ||
        xgrow(&S->acc, cap, sizeof(double)) < 0 || xgrow(&S->touched, cap, sizeof(int)) < 0 ||
        xgrow(&S->cpar, cap, sizeof(int)) < 0 || xgrow(&S->cu, cap, sizeof(double)) < 0)
        return -1;
    for (int k = S->kcap; k < cap; k++) { S->acc[k] = 0; S->stamp[k] = -1; }
    S->kcap = cap;
    return 0;
}

struct Certifier *certifier_new(Engine *E) {
    struct Certifier *S = calloc(1, sizeof(struct Certifier));
    if (!S) return NULL;
    int m = E->m, total = E->sup_off[m], maxn = 0, ok = 1;
    for (int p = 0; p < m; p++) if (E->sup_off[p + 1] - E->sup_off[p] > maxn) maxn = E->sup_off[p + 1] - E->sup_off[p];
    double *uval;
    CALLOC_INTO(ok, S->w, total); CALLOC_INTO(ok, S->u, total); CALLOC_INTO(ok, S->mv_g, total);
    CALLOC_INTO(ok, S->mv_c, total);
    CALLOC_INTO(ok, S->U0, m); CALLOC_INTO(ok, S->x, m); CALLOC_INTO(ok, S->fresh, m); CALLOC_INTO(ok, S->alive, m);
    CALLOC_INTO(ok, S->dead, m); CALLOC_INTO(ok, S->dead_r, m); CALLOC_INTO(ok, S->ref_dead, m);
    CALLOC_INTO(ok, S->ref_dead_r, m); CALLOC_INTO(ok, S->hk, m); CALLOC_INTO(ok, S->hq, m);
    CALLOC_INTO(ok, S->ref_path, m + 1); CALLOC_INTO(ok, S->path, m + 1);
    CALLOC_INTO(ok, S->kat, m + 2); CALLOC_INTO(ok, S->mv_off, m + 2);
    CALLOC_INTO(ok, S->sel, (size_t)m + E->ninitial + 1);
    CALLOC_INTO(ok, S->cls, E->G);
    CALLOC_INTO(ok, S->it.b, maxn + 1); CALLOC_INTO(ok, S->it.u, maxn + 1); CALLOC_INTO(ok, S->it.w, maxn + 1);
    CALLOC_INTO(ok, uval, E->nu);
    if (ok && E->by_cost && (size_t)(E->ncand + 1) * m <= ((size_t)1 << 22)) {  /* the pool of weights per class */
        S->ic_rows = E->ncand + 1;
        CALLOC_INTO(ok, S->ic_at, (size_t)S->ic_rows * m);
        CALLOC_INTO(ok, S->ic_len, (size_t)S->ic_rows * m);
        /* small at first, doubled as needed up to POOL_MAX: a tiny election's first certification took longer
         * zeroing 192 KB than certifying (Amsterdam 643: 5.7 us of its 6) */
        S->ic_cap = 256;
        CALLOC_INTO(ok, S->ic_k, S->ic_cap);
        CALLOC_INTO(ok, S->ic_w, S->ic_cap);
        if (ok) for (size_t i = 0; i < (size_t)S->ic_rows * m; i++) S->ic_at[i] = -1;
    }
    if (!ok || grow_classes(S, 64) < 0) {
        free(uval);
        certifier_free(S);
        return NULL;
    }
    S->kat[0] = 1;
    S->usable = 1;
    for (int i = 0; i < E->nu; i++) {
        if (mpz_cmp_ui(mpq_denref(E->uval[i]), 1) != 0) S->usable = 0;
        else uval[i] = exact_z(mpq_numref(E->uval[i]));
        if (!(uval[i] > 0)) S->usable = 0;  /* utilities on ballots are positive */
    }
    /* the engine's float costs (mpz_get_d, toward zero) are exact below 2^53; a cost from 2^53 up (dcost ≥ 2^53 then,
     * or infinite) or below zero leaves the certifier unusable, as exact_z would */
    for (int p = 0; p < m; p++)
        if (!(E->dcost[p] >= 0 && E->dcost[p] < EXACT_MAX)) S->usable = 0;
    for (int p = 0; S->usable && p < m; p++)
        for (int e = E->sup_off[p]; e < E->sup_off[p + 1]; e++) {
            if (E->sup_w[e] < 0 || (double)E->sup_w[e] >= EXACT_MAX) S->usable = 0;
            S->w[e] = (double)E->sup_w[e];
            S->u[e] = E->by_cost ? E->dcost[p] : uval[E->sup_u[e]];
            S->U0[p] += S->w[e] * S->u[e];
        }
    free(uval);
    if (!(E->nw < EXACT_MAX)) S->usable = 0;  /* a sum of weights per class stays an exact integer */
    return S;
}

/* cls made to hold the moves of rounds [0, j) of the path */
void classes_at(struct Certifier *S, Engine *E, int j) {
    if (S->cls_round > j) { memset(S->cls, 0, E->G * sizeof(int)); S->cls_round = 0; }
    for (; S->cls_round < j; S->cls_round++)
        for (int i = S->mv_off[S->cls_round]; i < S->mv_off[S->cls_round + 1]; i++) S->cls[S->mv_g[i]] = S->mv_c[i];
}

/* rows of kept weights after round j forgotten (the path changed at round j) */
void forget_after(struct Certifier *S, Engine *E, int j) {
    for (int r = j + 1; r < S->ic_rows; r++)
        for (int p = 0; p < E->m; p++) S->ic_at[(size_t)r * E->m + p] = -1;
}
