/* The classes' exact values (made on demand from their parents'), sums of them over a project's entries (under
 * Cost_Sat over a common denominator: one term per purchase), and t*'s bound from an affine value. */
#include "mes.h"
#include "mes_classes.h"

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

/* z = live·base - Σ_j paid_j·N_j: a sum times D */
static void common_num(Common *C, int64_t live, const int64_t *paid, int n, mpz_t z) {
    mpz_mul_si(z, C->base, live);
    for (int j = 0; j < n; j++)
        if (paid[j]) mpz_submul_ui(z, C->N[j], (unsigned long)paid[j]);
}

/* out = (live·base - Σ_j paid_j·N_j) / D */
void common_sum(Common *C, int64_t live, const int64_t *paid, int n, mpq_t out) {
    common_num(C, live, paid, n, mpq_numref(out));
    mpz_set(mpq_denref(out), C->D);
    mpq_canonicalize(out);
}

/* z = base - Σ_{j in bits} N_j: under Cost_Sat a class's value (or slope) times D, from the purchases it paid for */
static void common_value_num(Common *C, const uint64_t *bits, int words, mpz_t z) {
    mpz_set(z, C->base);
    for (int wd = 0; wd < words; wd++)
        for (uint64_t x = bits[wd]; x; x &= x - 1) mpz_sub(z, z, C->N[wd * 64 + __builtin_ctzll(x)]);
}

static void common_value(Common *C, const uint64_t *bits, int words, mpq_t out) {
    common_value_num(C, bits, words, mpq_numref(out));
    mpz_set(mpq_denref(out), C->D);
    mpq_canonicalize(out);
}

/* Cost_Sat: class k's value times R->cav.D into z, and its slope times R->cas.D into zs (unless NULL): integers,
 * no gcd (comparisons and sums need no canonical fraction) */
void class_num(Run *R, int k, mpz_ptr z, mpz_ptr zs) {
    if (k == POOR) {
        mpz_set_ui(z, 0);
        if (zs) mpz_set_ui(zs, 0);
        return;
    }
    common_value_num(&R->cav, R->bits + (size_t)k * R->words, R->words, z);
    if (zs) common_value_num(&R->cas, R->bits + (size_t)k * R->words, R->words, zs);
}

/* a class's exact value and slope when first read: under Cost_Sat at once from the purchases it paid for (one
 * canonicalisation each; a chain of rational subtractions from its ancestors cost a gcd or more per ancestor, and
 * after a restart most ancestors are unread), else from its parent's (the missing ancestors first) */
void fill(Run *R, int k) {
    Engine *E = R->E;
    if (R->bits) {
        const uint64_t *b = R->bits + (size_t)k * R->words;
        mpq_init(R->cv[k]);
        mpq_init(R->cs[k]);
        R->have[k] = 1;  /* after both inits: run_free clears what have says (mpq_init allocates, see gmp_oom.h) */
        common_value(&R->cav, b, R->words, R->cv[k]);
        common_value(&R->cas, b, R->words, R->cs[k]);
        return;
    }
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


/* Cost_Sat: the weight of P's entries idx[0..n) that paid each purchase (R->paidw) and the weight of those with
 * something left (returned): the same for values and slopes */
static int64_t paid_weights(Run *R, Price *P, const int *idx, int n) {
    int64_t live = 0;
    memset(R->paidw, 0, R->nround * sizeof(int64_t));
    for (int j = 0; j < n; j++) {
        int i = idx ? idx[j] : j;
        if (P->k[i] == POOR) continue;
        live += P->W[i];
        const uint64_t *b = R->bits + (size_t)P->k[i] * R->words;
        for (int wd = 0; wd < R->words; wd++)
            for (uint64_t x = b[wd]; x; x &= x - 1) R->paidw[wd * 64 + __builtin_ctzll(x)] += P->W[i];
    }
    return live;
}

/* Σ W·value into vout and Σ W·slope into sout (either may be NULL) over p's entries idx[0..n). Under Cost_Sat a
 * class's value is t0 - Σ a_j over the purchases it paid (slope 1 - Σ a'_j), so the sum is one exact term per
 * purchase, not one per class, and the weights that paid each purchase serve both sums. */
void entries_sums(Run *R, Price *P, const int *idx, int n, mpq_ptr vout, mpq_ptr sout) {
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
    int64_t live = paid_weights(R, P, idx, n);
    if (vout) common_sum(&R->cav, live, R->paidw, R->nround, vout);
    if (sout) common_sum(&R->cas, live, R->paidw, R->nround, sout);
}

/* Cost_Sat: Σ W·value times R->cav.D into vnum and Σ W·slope times R->cas.D into snum, over idx[0..n) */
void entries_nums(Run *R, Price *P, const int *idx, int n, mpz_t vnum, mpz_t snum) {
    int64_t live = paid_weights(R, P, idx, n);
    common_num(&R->cav, live, R->paidw, R->nround, vnum);
    common_num(&R->cas, live, R->paidw, R->nround, snum);
}

void entry_sums(Run *R, Price *P, mpq_ptr vout, mpq_ptr sout) { entries_sums(R, P, NULL, P->n, vout, sout); }
