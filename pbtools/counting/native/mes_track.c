/* Add1, a tracked run: the undo logs of what each round changes, where the winner's decisions may change (t*,
 * track_winner), how far past t* the outcome stays (add_gap, outcome_reach), and the restart of a run at a larger t
 * from the first round that may change (run_restart). */
#include "mes.h"
#include "mes_classes.h"

/* ---------- the undo logs of a tracked run (see Run) ---------- */

/* a log's next capacity for need items: doubled from 16 (each of its arrays then grown by xgrow; small at first, as
 * a tiny election needs: an allocation past 1 KB first sweeps malloc's small free lists) */
static size_t log_cap(size_t cap, size_t need) {
    size_t c = cap ? cap : 16;
    while (c < need) c *= 2;
    return c;
}

int log_room(Run *R, size_t n) {  /* room for n more groups' classes (log_class) */
    if (!R->track || R->nlog_cls + n <= R->cap_cls) return 0;
    size_t c = log_cap(R->cap_cls, R->nlog_cls + n);
    /* cap_cls only once both have grown: a failure leaves both at least their old size */
    if (xgrow(&R->log_g, c, sizeof(int)) < 0 || xgrow(&R->log_c, c, sizeof(int)) < 0) return -1;
    R->cap_cls = c;
    return 0;
}

int log_bound(Run *R, int p) {  /* before p's lower bound changes */
    if (!R->track) return 0;
    if (R->nlog_lb == R->cap_lb) {
        size_t c = log_cap(R->cap_lb, R->nlog_lb + 1);
        if (xgrow(&R->lb_p, c, sizeof(int)) < 0 || xgrow(&R->lb_u, c, sizeof(double)) < 0 ||
            xgrow(&R->lb_c, c, sizeof(double)) < 0 || xgrow(&R->lb_v, c, sizeof(mpq_t)) < 0 ||
            xgrow(&R->lb_s, c, sizeof(mpq_t)) < 0)
            return -1;
        R->cap_lb = c;
    }
    if (R->nlog_lb == R->init_lb) {
        /* made when first used, not the whole pool at once (256 pairs, a malloc each, made and freed by every fresh
         * tracked run, were a tenth of a small count's C time); counted one by one: mpq_init allocates, and GMP
         * running out jumps away (gmp_oom.h) */
        mpq_init(R->lb_v[R->init_lb]);
        mpq_init(R->lb_s[R->init_lb]);
        R->init_lb++;
    }
    R->lb_p[R->nlog_lb] = p;
    R->lb_u[R->nlog_lb] = R->dlbu[p];
    R->lb_c[R->nlog_lb] = R->dlbc[p];
    mpq_set(R->lb_v[R->nlog_lb], R->lbv[p]);
    mpq_set(R->lb_s[R->nlog_lb++], R->lbs[p]);
    return 0;
}

int drop(Run *R, int p) {  /* p leaves the candidates */
    R->alive[p] = 0;
    if (!R->track) return 0;
    if (R->nlog_alive == R->cap_alive) {
        size_t c = log_cap(R->cap_alive, R->nlog_alive + 1);
        if (xgrow(&R->log_alive, c, sizeof(int)) < 0) return -1;
        R->cap_alive = c;
    }
    R->log_alive[R->nlog_alive++] = p;
    return 0;
}

int new_round(Run *R) {  /* a tracked run's record of the round starting */
    if (R->nrec == R->rcap) {
        if (R->rcap > INT_MAX / 2) return -1;
        int c = R->rcap ? R->rcap * 2 : 8;
        if (xgrow(&R->rounds, c, sizeof(Round)) < 0) return -1;
        R->rcap = c;
    }
    if (R->nrec == R->init_rounds) {  /* as in log_bound: made when first used */
        mpq_init(R->rounds[R->nrec].b);
        mpq_init(R->rounds[R->nrec].t0);
        R->init_rounds++;
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
    mpq_set(rd->t0, R->t0);
    return 0;
}

/* where the winner may stop being affordable and where one of its payers may change side */
void track_winner(Run *R, int best) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    mpq_ptr cost = R->tq[0], u = R->tq[1], pay = R->tq[2], pu = R->tq[3], a = R->tq[4], b = R->tq[5];
    mpq_set_z(cost, E->cost[best]);
    /* Σ budgets is read only when it falls with t (its slope, computed by price when it had to read the sum, else
     * exactly only when the floats, with the classes' error bounds, cannot tell it is positive) */
    double sf = 0, se = 0;
    if (!P->have_T)
        for (int i = 0; i < P->n; i++) {
            int k = P->k[i];
            sf += (double)P->W[i] * R->ds[k];
            se += (double)P->W[i] * (R->es[k] + fabs(R->ds[k]) * (1e-10 + (P->n + 2) * 0x1p-52));  /* any n */
        }
    if (!P->have_T && !(sf - se > 0)) entry_sums(R, P, NULL, P->TS);
    if ((P->have_T || !(sf - se > 0)) && mpq_sgn(P->TS) < 0) {
        if (!P->have_T) entry_sums(R, P, P->T, NULL);
        P->have_T = 1;
        mpq_sub(a, P->T, cost);
        bound(R, a, P->TS);
    }
    /* Each entry's crossing t0 + A/B is first bounded in floats: an entry whose crossing is surely after the smallest
     * found so far cannot make t* (bound would not record it: surely_after_tstar), and is not computed exactly. A class's
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
            if (surely_after_tstar(R, A - eA, B - eB, B + eB)) continue;
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
    if (!(wc < R->E->nw)) wc = R->E->nw;
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
    if (R->ngap == R->cap_gap) {
        size_t c = log_cap(R->cap_gap, R->ngap + 1);
        if (xgrow(&R->gaps, c, sizeof(Gap)) < 0) return -1;
        R->cap_gap = c;
    }
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
 *    t* + min(gap·U/n, shortfall/n), by induction over the rounds;
 *  - sharper, as add_gap takes it: each class also carries c, a bound on how fast its budget can grow past t*
 *    whatever side its members take (1 at the start; a purchase adds u·(Σ W·c over its supporters) / (Σ W·u over
 *    those who pay ρ·u)), so the voters of a split S gain at most min(Σ_S W·c, n)·(t_b - t_a), and n above
 *    becomes that (wc in add_gap).
 * The gaps are recorded in floats with bounds on their errors, and the reach is rounded down: it only moves the
 * next step to count, never decides an outcome. A restarted run keeps the gaps of the rounds it keeps. */
void outcome_reach(Run *R) {
    if (!R->has_tstar || !(R->E->nw > 0)) return;
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
    /* undo what rounds r, r+1, ... changed, the latest first */
    while (R->nlog_cls > rd->ncls_log) { R->nlog_cls--; R->cls[R->log_g[R->nlog_cls]] = R->log_c[R->nlog_cls]; }
    for (int i = R->nrec - 1; i >= r; i--) {
        /* a bound logged in a round counted at an earlier start budget (a round an earlier restart kept) is that
         * budget's: moved to the run's along its slope first, as every current bound was at each restart since */
        int moved = !mpq_equal(R->rounds[i].t0, R->t0);
        if (moved) mpq_sub(R->tmp2, R->t0, R->rounds[i].t0);
        while (R->nlog_lb > R->rounds[i].nlb_log) {
            R->nlog_lb--;
            int p = R->lb_p[R->nlog_lb];
            mpq_swap(R->lbv[p], R->lb_v[R->nlog_lb]);
            mpq_swap(R->lbs[p], R->lb_s[R->nlog_lb]);
            R->dlbu[p] = R->lb_u[R->nlog_lb];
            R->dlbc[p] = R->lb_c[R->nlog_lb];
            if (moved && mpq_sgn(R->lbs[p]) != 0) {
                mpq_mul(R->tmp, R->lbs[p], R->tmp2);
                mpq_add(R->lbv[p], R->lbv[p], R->tmp);
            }
        }
    }
    mpq_set(R->t0, t0);

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
    for (int j = 0; j < r; j++) {  /* the kept rates in floats, once per purchase (not once per class) */
        R->drvj[j] = mpq_get_d(R->rvj[j]);
        R->drsj[j] = mpq_get_d(R->rsj[j]);
    }
    for (int k = 2; k < R->nclass; k++) {  /* a parent is older than its children */
        int j = R->pj[k];
        class_floats(R, k, R->drvj[j], R->drsj[j]);
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
    for (int i = 0; i < R->hn; i++) R->hpos[R->heap[i]] = -1;
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
