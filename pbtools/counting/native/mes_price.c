/* Pricing a project exactly in one MES run: its supporters summed by budget class, who pays all they have (the
 * peel, in floats first and checked exactly), its price ρ and the slope of ρ in the start budget t. */
#include "mes.h"
#include "mes_classes.h"
#include "mes_order.h"


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
     * positive, so acc is 0 only for a key not met yet). Past 8,192 groups (cls past 32 KB) a group's class is fetched
     * 16 supporters ahead: cls[g] is read through sup_g, which the processor cannot prefetch, and waiting for it was a
     * third of collecting (Mokotów, 10,258 groups); where cls stays in the first cache the fetch only costs
     * (Cambridge 2019, 3,518 groups: MES 10 % slower). */
    if (E->width == 1) {  /* Cost_Sat: the key is the class */
        int i = lo;
        if (E->G > 8192)
            for (; i < hi - 16; i++) {
                __builtin_prefetch(cls + sg[i + 16]);
                int key = cls[sg[i]];
                keys[nk] = key;
                nk += acc[key] == 0;
                acc[key] += sw[i];
            }
        for (; i < hi; i++) {  /* (the last 16: nothing ahead to fetch) */
            int key = cls[sg[i]];
            keys[nk] = key;
            nk += acc[key] == 0;
            acc[key] += sw[i];
        }
    } else {
        for (int i = lo; i < hi; i++) {
            if (E->G > 8192 && i + 16 < hi) __builtin_prefetch(cls + sg[i + 16]);
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



static void poor_wc(Run *R, Price *P) {  /* P->wcs for the exact split */
    double wc = 0;
    for (int i = 0; i < P->n; i++) if (P->poor[i]) wc += (double)P->W[i] * R->dcc[P->k[i]];
    P->wcs = SUM_UP(wc, P->n);
}

/* Cost_Sat: the peel's outcome guessed in floats (the first L entries in budget order pay all they have) and
 * checked exactly. The peel's poor set is a threshold (those with budget/u below the price), so the guess is the
 * peel's iff the last of the L cannot pay the price the L leave and the next can. 1: right (price in P), 0: not. */

/* The guess "idx[0..L) pay all they have" checked in integers: the sums and the classes' values times the common
 * denominators D (cav) and D' (cas), with U (Σ W·u of those who pay ρ·u; big_u is cost·Σ W, an integer) and r·D
 * (the cost they are left with, times D); a gcd only for the price itself. last: the entry of idx with the largest
 * key (budget/utility, then entry order), next: the smallest of the others. Right iff last cannot pay the price the
 * L leave and next can: every key of idx is then at most last's, below ρ, and every other at least next's, not
 * below ρ, so idx is the peel's set {key < ρ} and ρ solves Σ min(b, ρ·u) = cost. 1: right (price in P), 0: not. */
static int peel_check(Run *R, int p, Price *P, const int *idx, int L, int last, int next, const mpq_t big_u) {
    Engine *E = R->E;
    mpz_ptr sv = R->zv, ss = R->zs, U = R->zu, rn = R->zr, x = R->zx, y = R->zy;
    int64_t wall = 0;
    for (int j = 0; j < L; j++) wall += P->W[idx[j]];
    entries_nums(R, P, idx, L, sv, ss);
    mpz_mul_si(U, E->cost[p], wall);
    mpz_sub(U, mpq_numref(big_u), U);
    int ok = mpz_sgn(U) > 0;
    if (ok) {
        mpz_mul(rn, E->cost[p], R->cav.D);
        mpz_sub(rn, rn, sv);
        mpz_mul(y, rn, E->cost[p]);  /* r·u·D */
        class_num(R, P->k[last], x, NULL);  /* the last of the L cannot pay ρ·u: b·U < r·u */
        mpz_mul(x, x, U);
        ok = mpz_cmp(x, y) < 0;
        if (ok) {  /* the next can */
            class_num(R, P->k[next], x, NULL);
            mpz_mul(x, x, U);
            ok = mpz_cmp(x, y) >= 0;
        }
    }
    if (ok) {
        for (int j = 0; j < L; j++) P->poor[idx[j]] = 1;
        P->ulo = mpz_get_d(U) * (1 - 1e-14);
        poor_wc(R, P);
        mpz_set(mpq_numref(P->rv), rn);  /* ρ = r / U */
        mpz_mul(mpq_denref(P->rv), R->cav.D, U);
        mpq_canonicalize(P->rv);
        mpz_neg(mpq_numref(P->rs), ss);  /* ρ' = -Σ W·slope / U */
        mpz_mul(mpq_denref(P->rs), R->cas.D, U);
        mpq_canonicalize(P->rs);
    }
    return ok;
}

/* the guess L made walking the entries in their exact order (the first L pay all they have) */
static int guessed_peel(Run *R, int p, Price *P, const mpq_t big_u) {
    int n = P->n, L = 0;
    double dc = R->E->dcost[p], dr = dc, dU = mpq_get_d(big_u);  /* dcost: mpz_get_d(cost), as mpq_get_d of it */
    for (int j = 0; j < n; j++) {
        int i = see_entry(R, p, P, j);
        if (R->dkey[i] * dU < dr * dc) { dr -= (double)P->W[i] * R->dkey[i]; dU -= (double)P->W[i] * dc; L++; }
        else break;
    }
    if (L == 0 || L == n) return 0;
    int last = R->order[L - 1], next = see_entry(R, p, P, L);
    return peel_check(R, p, P, R->order, L, last, next, big_u);
}

/* The guess the float passes made (S: the entries whose float key is below their last threshold), checked without
 * sorting: only its boundary entries are found, the largest key of S and the smallest of the rest, exactly among
 * those the floats cannot tell from the extreme (a key lies within ekey of dkey: the true largest has an upper bound
 * at least the largest lower bound, so it is among them). Sorting the entries below the threshold was a tenth of a
 * Warsaw count. */
static int split_peel(Run *R, int p, Price *P, const int *S, int L, const mpq_t big_u) {
    int n = P->n, last = -1, next = -1;
    double lo_max = -INFINITY, hi_min = INFINITY;
    for (int j = 0; j < L; j++) {
        int i = S[j];
        P->poor[i] = 1;  /* marks S for the pass over the rest (reset below) */
        if (R->dkey[i] - R->ekey[i] > lo_max) lo_max = R->dkey[i] - R->ekey[i];
    }
    for (int j = 0; j < L; j++) {
        int i = S[j];
        if (R->dkey[i] + R->ekey[i] >= lo_max && (last < 0 || entry_before(R, p, P, last, i))) last = i;
    }
    for (int i = 0; i < n; i++)
        if (!P->poor[i] && R->dkey[i] + R->ekey[i] < hi_min) hi_min = R->dkey[i] + R->ekey[i];
    for (int i = 0; i < n; i++)
        if (!P->poor[i] && R->dkey[i] - R->ekey[i] <= hi_min && (next < 0 || entry_before(R, p, P, i, next))) next = i;
    for (int j = 0; j < L; j++) P->poor[S[j]] = 0;
    if (last < 0 || next < 0) return 0;
    return peel_check(R, p, P, S, L, last, next, big_u);
}

/* Cost_Sat: the exact peel in integers, as guessed_peel checks it: in budget order, an entry pays all it has while
 * b·U < r·u (r: the cost left to the rest, U: their Σ W·u, an integer), all times the common denominator D */
static void exact_peel_int(Run *R, int p, Price *P, const mpq_t big_u) {
    Engine *E = R->E;
    mpz_ptr rn = R->zr, sn = R->zs, U = R->zu, v = R->zv, s = R->zw, x = R->zx, y = R->zy;
    mpz_mul(rn, E->cost[p], R->cav.D);
    mpz_set_ui(sn, 0);
    mpz_set(U, mpq_numref(big_u));
    for (int j = 0; j < P->n; j++) {
        int i = see_entry(R, p, P, j);
        class_num(R, P->k[i], v, NULL);
        mpz_mul(x, v, U);
        mpz_mul(y, rn, E->cost[p]);
        if (mpz_cmp(x, y) >= 0) break;
        P->poor[i] = 1;
        unsigned long w = (unsigned long)P->W[i];
        class_num(R, P->k[i], v, s);
        mpz_submul_ui(rn, v, w);
        mpz_submul_ui(sn, s, w);
        mpz_submul_ui(U, E->cost[p], w);
    }
    P->ulo = mpz_get_d(U) * (1 - 1e-14);
    poor_wc(R, P);
    mpz_set(mpq_numref(P->rv), rn);  /* ρ = r / U */
    mpz_mul(mpq_denref(P->rv), R->cav.D, U);
    mpq_canonicalize(P->rv);
    mpz_set(mpq_numref(P->rs), sn);  /* ρ' = r' / U */
    mpz_mul(mpq_denref(P->rs), R->cas.D, U);
    mpq_canonicalize(P->rs);
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
 * and by 1e-10 + (n + 2)·2^-52 of its magnitude (summation and rounding errors, for any n), so the bound is below
 * the exact one. */
static int rough_bound(Price *P, const Split *S, double dc, double dU) {
    if (S->cnt == 0 || S->cnt == P->n) return 0;
    double paid = S->paid, perr = S->perr, sl = S->sl, slerr = S->slerr, slabs = S->slabs, su = S->su;
    double wid = 1e-10 + (P->n + 2) * 0x1p-52;  /* summation errors: proven past any n (SUM_UP) */
    double left = dU - su, lerr = wid * (dU + su);
    double num = dc - paid - perr - wid * (dc + fabs(paid));
    if (!(num > 0) || !(left > 2 * lerr)) return 0;
    double s_num = -sl - slerr - wid * slabs;
    double rlo = num / (left + lerr) * (1 - 1e-12);
    double slo = s_num >= 0 ? s_num / (left + lerr) * (1 - 1e-12) : s_num / (left - lerr) * (1 + 1e-12);
    if (!isfinite(rlo) || !isfinite(slo)) return 0;
    mpq_set_d(P->rv, rlo);
    mpq_set_d(P->rs, slo);
    P->ulo = (left - lerr) * (1 - 1e-12);
    P->wcs = SUM_UP(S->wc, P->n);
    return 1;
}

/* an unaffordable project whose supporters' budgets grow (TS > 0) is affordable from t0 + (cost - T)/TS on: a t*
 * bound (a, b: scratch) */
static void affordable_from(Run *R, Price *P, const mpq_t cost, mpq_t a, mpq_t b) {
    mpq_sub(a, cost, P->T);
    mpq_div(a, a, P->TS);
    mpq_set_si(b, -1, 1);
    bound(R, a, b);
}

/* 1: affordable, its price in pr[p]; 0: not affordable (t* updated); -1: error */
int price(Run *R, int p, int rough) {
    Engine *E = R->E;
    Price *P = &R->pr[p];
    if (R->exact[p] == 2) memset(P->poor, 0, P->n);  /* its entries are those of its rough price: no purchase since */
    else if (collect(R, p) < 0) return -1;
    mpq_ptr cost = R->pq[0], big_u = R->pq[1], u = R->pq[2], a = R->pq[3], b = R->pq[4];
    mpq_set_z(cost, E->cost[p]);
    int ok = 1;
    /* One pass over the entries in floats: Σ budgets (can its supporters pay the cost: exactly only when the floats
     * cannot tell), each entry's key budget/utility for the peel with a bound on its error, the lowest key. */
    if (ensure_sort(R, P->n + 1) < 0) { ok = -1; goto done; }  /* + 1: order_entries writes one past the end */
    double tf = 0, te = 0, sf = 0, se = 0, dc = E->dcost[p], minlo = INFINITY;
    double wid = 1e-10 + (P->n + 2) * 0x1p-52;  /* the sums' rounding, per term's magnitude: proven for any n (SUM_UP) */
    /* Cost_Sat: the even price's threshold is known now (Σ W·u is cost·Σ W), so this pass also gathers the entries
     * the float peel's first pass reads (below 4 times it: see the passes), as that pass would, in the same order */
    double thr0 = NAN, cap0 = -INFINITY;
    int npre = 0, *near = R->near;
    if (E->by_cost) {
        int64_t wsum = E->sup_sum[p];  /* Σ W of the supporters (the same over its entries): Σ W·u is cost·Σ W */
        mpq_set_ui(big_u, 0, 1);  /* Σ W·u = cost·Σ W, an integer: kept for the peel below */
        mpz_mul_si(mpq_numref(big_u), E->cost[p], wsum);
        thr0 = dc / mpz_get_d(mpq_numref(big_u)) * dc;  /* as below from big_u: the same roundings */
        cap0 = thr0 > 0 ? thr0 * 4 : thr0;
    }
    for (int i = 0; i < P->n; i++) {
        int k = P->k[i];
        double w = (double)P->W[i], v = R->dv[k];
        tf += w * v;
        te += w * (R->ev[k] + fabs(v) * wid);
        sf += w * R->ds[k];
        se += w * (R->es[k] + fabs(R->ds[k]) * wid);
        double du = E->by_cost ? 1.0 : E->duval[P->ui[i]];
        double key = v / du, ek = R->ev[k] / du + fabs(key) * 0x1p-50 + 1e-300;
        R->dkey[i] = key;
        R->ekey[i] = ek;
        if (key - ek < minlo) minlo = key - ek;
        near[npre] = i;
        npre += key < cap0;
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
            if (add_gap(R, dc - tf, -sf, te + 1e-15 * (dc + fabs(tf)), se + 1e-15 * fabs(sf), 1, SUM_UP(wc, P->n)) < 0) { ok = -1; goto done; }
            double lo = (dc - tf - te) / (sf + se) * (1 - 1e-12);  /* the crossing t - t0, when the slope is surely > 0 */
            int later = sf - se > 0 && R->has_tstar && dc - tf - te > 0 && lo > R->dtstar;
            if (sf + se > 0 && !later) {  /* the slope may be > 0 and the crossing before t*: exactly */
                entry_sums(R, P, P->T, P->TS);
                if (mpq_sgn(P->TS) > 0) affordable_from(R, P, cost, a, b);
            }
        }
        ok = 0;
        goto done;
    }
    if (P->have_T) entry_sums(R, P, P->T, R->track ? P->TS : NULL);  /* the slope is read when it cannot pay */
    if (!E->by_cost) {  /* (Cost_Sat's is made above) */
        mpq_set_ui(big_u, 0, 1);
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
            if (add_gap(R, da, ds, 1e-15 * fabs(da), 1e-15 * fabs(ds), 1, SUM_UP(wc, P->n)) < 0) { ok = -1; goto done; }
        }
        if (R->track && mpq_sgn(P->TS) > 0) affordable_from(R, P, cost, a, b);
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
    int nnear = 0, *sidx = R->sidx;
    if (thr == thr0) { cap = cap0; nnear = npre; }  /* gathered already (the first pass would gather the same) */
    for (int it = 0, below = -1; it < 16; it++) {
        Split x = S;
        if (!(thr <= cap)) {
            cap = thr > 0 ? thr * 4 : thr;  /* at least thr */
            nnear = 0;
            for (int i = 0; i < P->n; i++) {  /* without a branch: most entries are read by no pass */
                near[nnear] = i;
                nnear += (R->dkey[i] < cap) & !(R->dkey[i] < last);
            }
        }
        /* the entries below thr leave the list for S (in order: the next pass's are those above thr), split without
         * a branch (which side an entry goes was a mispredicted branch), then summed in the same order as before */
        int kept = 0, from = x.cnt;
        for (int ni = 0; ni < nnear; ni++) {
            int i = near[ni], in = R->dkey[i] < thr;
            near[kept] = i;
            sidx[x.cnt] = i;  /* x.cnt < n here: entry i is not in S yet */
            kept += !in;
            x.cnt += in;
        }
        for (int j = from; j < x.cnt; j++) {
            int i = sidx[j], k = P->k[i];
            double w = (double)P->W[i];
            x.paid += w * R->dv[k];
            x.perr += w * R->ev[k];
            x.sl += w * R->ds[k];
            x.slerr += w * R->es[k];
            x.slabs += w * fabs(R->ds[k]);
            x.su += w * (E->by_cost ? dc : E->duval[P->ui[i]]);
            x.wc += w * R->dcc[k];
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
    if (R->bits && (P->n > GUESS_MIN || mes_force_screens) && S.cnt > 0 && S.cnt < P->n) {
        /* tests: a guess one entry short first, which the check must refuse (or prove right), and what it leaves */
        if (mes_force_screens && S.cnt > 1 && split_peel(R, p, P, sidx, S.cnt - 1, big_u)) goto priced;
        if (split_peel(R, p, P, sidx, S.cnt, big_u)) goto priced;
    }
    order_entries(R, p, P, mes_force_screens ? -INFINITY : thr * (1 + 1e-6) + 1e-300);
    int lowest = see_entry(R, p, P, 0), below;  /* the poorest cannot pay the even price */
    if (R->bits) {  /* b·U < cost·u in integers, times D (big_u: an integer, cost·Σ W) */
        class_num(R, P->k[lowest], R->zx, NULL);
        mpz_mul(R->zx, R->zx, mpq_numref(big_u));
        mpz_mul(R->zy, E->cost[p], E->cost[p]);
        mpz_mul(R->zy, R->zy, R->cav.D);
        below = mpz_cmp(R->zx, R->zy) < 0;
    } else {
        util(E, p, P->ui[lowest], u);
        mpq_mul(a, CV(R, P->k[lowest]), big_u);
        mpq_mul(b, cost, u);
        below = mpq_cmp(a, b) < 0;
    }
    if (below) {
        if (R->bits && (P->n > GUESS_MIN || mes_force_screens) && guessed_peel(R, p, P, big_u)) goto priced;
        if (R->bits) { exact_peel_int(R, p, P, big_u); goto priced; }
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
    return ok;
}
