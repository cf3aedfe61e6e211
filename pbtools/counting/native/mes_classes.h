/* The classes' exact values and sums (mes_classes.c): a class's value and slope made when first read (CV, CS),
 * sums over a price's entries, the common denominators of Cost_Sat. Apart from mes.h so that the run's types do not
 * depend on the files that read them. */
#ifndef MES_CLASSES_H
#define MES_CLASSES_H
#include "mes.h"

int common_init(Common *C, int cap, const mpq_t base);
void common_free(Common *C);
void common_add(Common *C, int j, const mpq_t q);
void common_rebuild(Common *C, const mpq_t base, mpq_t *q, int n);
void common_sum(Common *C, int64_t live, const int64_t *paid, int n, mpq_t out);
void fill(Run *R, int k);  /* a class's exact value and slope, from its parent's */
static inline mpq_ptr CV(Run *R, int k) { if (!R->have[k]) fill(R, k); return R->cv[k]; }
static inline mpq_ptr CS(Run *R, int k) { if (!R->have[k]) fill(R, k); return R->cs[k]; }
void bound(Run *R, const mpq_t v, const mpq_t s);  /* t* = min(t*, t0 + v/(-s)) when s < 0 */
/* 1: the crossing t0 + a/(-b) is surely past the t* known so far, where bound returns without recording it, so a and
 * b need not be made exactly. Given floats with alo <= a and blo <= -b <= bhi: alo, blo above 1e-290 keep a and -b in
 * a double's normal range, where bound's floats of them (mpq_get_d, toward zero) are within 2^-52 (below it -b would
 * read as 0 and bound's x as -inf: recorded), so bound's x is at least c·(1 - 4e-16) (c = a/(-b) >= alo/bhi, the
 * division's rounding inside 1e-15); past dtstar + 2e-12·|dtstar| (c > 0), x·(1 - 1e-12) is past dtstar. */
static inline int surely_after_tstar(const Run *R, double alo, double blo, double bhi) {
    return R->has_tstar && alo > 1e-290 && blo > 1e-290 && alo / bhi * (1 - 1e-15) > R->dtstar + fabs(R->dtstar) * 2e-12;
}
/* Σ W·value and Σ W·slope (either may be NULL) over P's entries idx[0..n) (idx NULL: the first n) */
void entries_sums(Run *R, Price *P, const int *idx, int n, mpq_ptr vout, mpq_ptr sout);
void entry_sums(Run *R, Price *P, mpq_ptr vout, mpq_ptr sout);  /* the same over all of P's entries */
/* Cost_Sat, integers without a gcd: Σ W·value times cav.D and Σ W·slope times cas.D over idx[0..n); a class's
 * value times cav.D */
void entries_nums(Run *R, Price *P, const int *idx, int n, mpz_t vnum, mpz_t snum);
void class_num(Run *R, int k, mpz_ptr z, mpz_ptr zs);  /* and its slope times cas.D (zs, unless NULL) */
/* class nc's value and slope in floats, from its parent's and the rate it paid (ρ, ρ' in floats), with bounds on
 * their absolute errors (inline: a purchase makes hundreds, Mokotów's Add1 3.9 million) */
static inline void class_floats(Run *R, int nc, double drv, double drs) {
    Engine *E = R->E;
    int k = R->par[nc];
    double du = E->by_cost ? E->dcost[R->pproj[R->pj[nc]]] : E->duval[R->pui[nc]];
    double pv = drv * du, ps = drs * du;
    R->dv[nc] = R->dv[k] - pv;
    R->ds[nc] = R->ds[k] - ps;
    R->ev[nc] = R->ev[k] + (fabs(pv) + fabs(R->dv[k]) + fabs(R->dv[nc])) * 0x1p-50;
    R->es[nc] = R->es[k] + (fabs(ps) + fabs(R->ds[k]) + fabs(R->ds[nc])) * 0x1p-50;
}

#endif
