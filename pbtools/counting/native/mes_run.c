/* One exact MES run: the rounds (the cheapest project from a heap of lower bounds), the purchases, and the records
 * the Python explanation reads. Pricing is in mes_price.c, a run's memory in mes_state.c, Add1's tracking and
 * restarts in mes_track.c. */
#include "mes.h"
#include "mes_classes.h"
#include "mes_order.h"

/* ---------- heap of (lower bound, tie rank) ---------- */
/* One place per project (hpos: its place, -1 when out), keyed by its lower bound lbv as it is now: no copy of a
 * bound per push (an mpq_t made and freed each time, and stale copies to pop). The floats decide first: dlbv is
 * mpq_get_d(lbv), which rounds toward zero, a non-decreasing map, so dlbv[a] < dlbv[b] implies lbv[a] < lbv[b]; equal
 * floats are compared exactly. Ties go by rank (distinct), so the top is the same whatever the heap's shape. */

static inline int hless(Run *R, int a, int b) {
    double x = R->dlbv[a], y = R->dlbv[b];
    if (x < y) return 1;
    if (x > y) return 0;
    /* equal bounds (ties: every option of a round at one price) are told by their canonical parts, cheaper than
     * mpq_cmp's cross products */
    if (mpq_equal(R->lbv[a], R->lbv[b])) return R->E->rank[a] < R->E->rank[b];
    return mpq_cmp(R->lbv[a], R->lbv[b]) < 0;
}

static inline void hplace(Run *R, int i, int p) { R->heap[i] = p; R->hpos[p] = i; }

static void hsift(Run *R, int i) {  /* the project at i moved to its place, up or down */
    int *h = R->heap, p = h[i];
    while (i > 0) {
        int up = (i - 1) / 2;
        if (!hless(R, p, h[up])) break;
        hplace(R, i, h[up]);
        i = up;
    }
    for (int n = R->hn;;) {
        int l = 2 * i + 1, r = l + 1, s = l;
        if (l >= n) break;
        if (r < n && hless(R, h[r], h[l])) s = r;
        if (!hless(R, h[s], p)) break;
        hplace(R, i, h[s]);
        i = s;
    }
    hplace(R, i, p);
}

static void hset(Run *R, int p) {  /* p in the heap at its bound's place (put in, or its bound changed) */
    if (R->hpos[p] < 0) hplace(R, R->hn++, p);  /* hcap >= m: every project fits */
    hsift(R, R->hpos[p]);
}

static void hremove(Run *R, int p) {
    int i = R->hpos[p];
    R->hpos[p] = -1;
    if (--R->hn == i) return;
    hplace(R, i, R->heap[R->hn]);
    hsift(R, i);
}

/* p priced (rough: a float lower bound first) and its heap key moved to what was found: 1 an exact price, 2 a float
 * lower bound, 0 not affordable (out of the heap and the candidates), -2 error */
static int reprice(Run *R, int p, int rough) {
    int ok = price(R, p, rough);
    if (ok < 0) return -2;
    if (!ok) { hremove(R, p); return drop(R, p) < 0 ? -2 : 0; }
    R->exact[p] = ok == 2 ? 2 : 1;
    if (mes_force_screens && ok == 1 && mpq_cmp(R->pr[p].rv, R->lbv[p]) < 0) {
        /* tests: a lower bound above the exact price would let a dearer project win */
        PyErr_SetString(PyExc_AssertionError, "a project's lower bound is above its exact price");
        return -2;
    }
    if (log_bound(R, p) < 0) return -2;
    mpq_set(R->lbv[p], R->pr[p].rv);
    mpq_set(R->lbs[p], R->pr[p].rs);
    R->dlbv[p] = mpq_get_d(R->lbv[p]);
    R->dlbs[p] = mpq_get_d(R->lbs[p]);
    R->dlbu[p] = R->pr[p].ulo;
    R->dlbc[p] = R->pr[p].wcs;
    hsift(R, R->hpos[p]);
    return ok;
}

static int top(Run *R) {
    while (R->hn) {
        int p = R->heap[0];
        if (!R->alive[p]) { hremove(R, p); continue; }
        if (R->exact[p] == 1) return p;
        /* first a float lower bound (most projects priced in a round are not bought in it); exactly when it comes
         * back to the top */
        if (reprice(R, p, R->exact[p] == 0) == -2) return -2;
    }
    return -1;
}

/* the winner's supporters pay: those who pay all they have join POOR, each other entry becomes a new class */
static int pay(Run *R, int best) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    mpq_ptr u = R->pq[2];  /* price's scratch (not pricing now) */
    int j = R->nround++;
    mpq_set(R->rvj[j], P->rv);
    mpq_set(R->rsj[j], P->rs);
    R->pproj[j] = best;
    double drv = mpq_get_d(P->rv), drs = mpq_get_d(P->rs);
    /* outcome_reach: past t*, the price falls by at most Σ W·c·(t - t*) / Σ W·u over those who pay ρ·u (they still
     * do), so every payer's budget grows by at most (c + u·that / (t - t*))·(t - t*) */
    double wc = 0, urich = 0, dcost = E->dcost[best];
    for (int i = 0; i < P->n; i++) {
        wc += (double)P->W[i] * R->dcc[P->k[i]];
        if (!P->poor[i]) urich += (double)P->W[i] * (E->by_cost ? dcost : E->duval[P->ui[i]]);
    }
    wc = SUM_UP(wc, P->n);
    urich = SUM_DOWN(urich, P->n);
    double relief = urich > 0 ? wc / urich * (1 + 1e-12) : INFINITY;
    if (R->bits) {
        mpz_set(mpq_numref(u), E->cost[best]);
        mpz_set_ui(mpq_denref(u), 1);
        mpq_mul(R->av[j], P->rv, u);
        mpq_mul(R->as[j], P->rs, u);
        common_add(&R->cav, j, R->av[j]);
        common_add(&R->cas, j, R->as[j]);
    }
    /* acc (zero between uses) maps each key to its new class + 1 for the moment. The classes are made here, as
     * new_class makes them (every field it clears is set below; a class's bits are its parent's and this purchase's),
     * after room for all of them (the payers of ρ·u: the arrays grow as a class at a time would make them grow):
     * a call per class was a tenth of a purchase (Mokotów) */
    int made = 0;
    for (int i = 0; i < P->n; i++) made += !P->poor[i];
    if (class_room(R, made) < 0) return -1;
    for (int i = 0; i < P->n; i++) {
        int nc = POOR;
        if (!P->poor[i]) {
            nc = R->nclass++;
            R->have[nc] = 0;  /* its exact value (and the mpq_t holding it) made when first read: fill */
            int k = P->k[i];
            R->par[nc] = k;
            R->pj[nc] = j;
            R->pui[nc] = P->ui[i];
            class_floats(R, nc, drv, drs);
            R->dcc[nc] = (R->dcc[k] + relief * (E->by_cost ? dcost : E->duval[P->ui[i]])) * (1 + 1e-12);
            if (R->bits) {
                uint64_t *nb = R->bits + (size_t)nc * R->words;
                const uint64_t *pb = R->bits + (size_t)k * R->words;
                for (int wd = 0; wd < R->words; wd++) nb[wd] = pb[wd];  /* a few words: no call to memcpy */
                nb[j / 64] |= (uint64_t)1 << (j % 64);
            }
        }
        else {
            double c = (R->dcc[P->k[i]] + relief * (E->by_cost ? dcost : E->duval[P->ui[i]])) * (1 + 1e-12);
            if (!(c <= R->dcc[POOR])) R->dcc[POOR] = c;
        }
        R->acc[(size_t)P->k[i] * E->width + P->ui[i]] = nc + 1;
    }
    if (log_room(R, (size_t)(E->sup_off[best + 1] - E->sup_off[best])) < 0) return -1;
    for (int i = E->sup_off[best]; i < E->sup_off[best + 1]; i++) {
        int g = E->sup_g[i];
        log_class(R, g);
        size_t key = (size_t)R->cls[g] * E->width + E->sup_u[i];
        R->cls[g] = (int)R->acc[key] - 1;
    }
    for (int i = 0; i < P->n; i++) R->acc[(size_t)P->k[i] * E->width + P->ui[i]] = 0;
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

/* Cost_Sat, explained runs: R->twin[p], the first candidate whose supporter groups are p's, in the same order (a
 * hash of each list, then compared in full): twins always share their entries (tied_with). -1: memory. */
static int find_twins(Run *R) {
    Engine *E = R->E;
    int m = E->m, size = 1;
    while (size < 2 * E->ncand) size *= 2;
    int *slot = malloc(size * sizeof(int));  /* open addressing: a candidate per slot, -1 empty */
    uint64_t *h = malloc((size_t)m * sizeof(uint64_t));
    R->twin = malloc((size_t)m * sizeof(int));
    if (!slot || !h || !R->twin) { free(slot); free(h); return -1; }
    for (int i = 0; i < size; i++) slot[i] = -1;
    for (int p = 0; p < m; p++) R->twin[p] = -1;
    for (int i = 0; i < E->ncand; i++) {
        int p = E->cand[i], lo = E->sup_off[p], n = E->sup_off[p + 1] - lo;
        uint64_t x = 1469598103934665603ULL ^ (uint64_t)n;
        for (int j = lo; j < lo + n; j++) x = (x ^ (uint64_t)(uint32_t)E->sup_g[j]) * 1099511628211ULL;
        h[p] = x;
        R->twin[p] = p;
        for (int s = (int)(x & (size - 1));; s = (s + 1) & (size - 1)) {
            int q = slot[s];
            if (q < 0) { slot[s] = p; break; }
            if (h[q] == x && E->sup_off[q + 1] - E->sup_off[q] == n &&
                !memcmp(E->sup_g + E->sup_off[q], E->sup_g + lo, (size_t)n * sizeof(int))) { R->twin[p] = q; break; }
        }
    }
    free(slot);
    free(h);
    return 0;
}

/* Cost_Sat: twin q of the winner (the same supporters, so the same entries) has the winner's price when nobody paid
 * all they had for the winner (ρ = cost/(cost·ΣW) = 1/ΣW) and every entry's budget b is at least cost_q/ΣW: then
 * every supporter can pay ρ·cost_q, Σ W·min(b, ρ·cost_q) = cost_q at ρ = 1/ΣW and is below it for any smaller ρ,
 * so q's price is 1/ΣW too, without pricing q. In floats, surely: dv within ev of b (class_floats); dcost is cost
 * rounded toward zero (within 2^-52 of it); each of the few operations below rounds by at most 2^-53 relatively,
 * far inside the 1e-12 margins, so the test passing means b·ΣW > cost_q exactly. Otherwise q is priced. */
static int twin_tied(const Run *R, double low, double dw, int q) {
    /* low: the least dv - ev over the winner's entries, as each entry's own test: a product by positive constants
     * rounds monotonically, so every entry passes exactly when the least one does. A winner has entries (one with no
     * supporters is never affordable, so never bought), so low is one of theirs, never the +inf it starts at; a
     * +inf bound (a budget past a float's range) passes the test below as it is. */
    return low * dw * (1 - 1e-12) >= R->E->dcost[q] * (1 + 1e-12);
}

/* every live project whose exact price equals the winner's, in tie order (the winner first). A project is priced
 * only if its lower bound is not above ρ (the floats first: mpq_get_d rounds toward zero, a non-decreasing map, so
 * a float bound above ρ's means an exact one above ρ), and then exactly at once (never a float bound first: it is
 * read now), in one pass over the candidates: no heap pops and pushes for each tied project; a twin of the winner
 * not at all when twin_tied says so. The tied are then put in rank order, the order the heap would give them (equal
 * keys go by rank): the winner, the top, is the first. */
static PyObject *tied_with(Run *R, int best) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    mpq_ptr rho = P->rv;  /* pr[best] is not priced again here */
    double drho = mpq_get_d(rho), dw = 0;
    int *tied = R->tied, nt = 0, even = R->twin != NULL;
    double low = INFINITY;  /* the least budget's lower bound among the winner's entries (twin_tied), once a round */
    for (int i = 0; even && i < P->n; i++) {
        double b = R->dv[P->k[i]] - R->ev[P->k[i]];
        dw += (double)P->W[i];
        even = !P->poor[i] && !isnan(b);  /* a NaN bound ties no twin (as its own test failed) */
        if (b < low) low = b;
    }
    for (int i = 0; i < E->ncand; i++) {
        int q = E->cand[i];
        if (q == best || !R->alive[q]) continue;
        int twin = even && R->twin[q] == R->twin[best] && twin_tied(R, low, dw, q);
        if (twin && !mes_force_screens) { tied[nt++] = q; continue; }  /* tests: priced, and checked below */
        /* a twin said tied is not skipped by its bounds here: each way of not being at the winner's price is refused */
        if (R->dlbv[q] > drho && !twin) continue;
        if (R->exact[q] != 1) {
            if (mpq_cmp(R->lbv[q], rho) > 0 && !twin) continue;
            int ok = reprice(R, q, 0);
            if (ok == -2) return NULL;
            if (ok != 1 && !twin) continue;
            if (ok != 1) {
                PyErr_SetString(PyExc_AssertionError, "a twin of the winner said tied is not affordable");
                return NULL;
            }
        }
        int eq = mpq_equal(R->pr[q].rv, rho);
        if (twin && !eq) {
            PyErr_SetString(PyExc_AssertionError, "a twin of the winner said tied is not at its price");
            return NULL;
        }
        if (eq) tied[nt++] = q;
    }
    sort_by_rank(E, tied, nt);
    PyObject *list = PyList_New(nt + 1);
    if (!list) return NULL;
    for (int i = 0; i <= nt; i++) {
        PyObject *o = PyLong_FromLong(i ? tied[i - 1] : best);
        if (!o) { Py_DECREF(list); return NULL; }
        PyList_SET_ITEM(list, i, o);
    }
    return list;
}

/* the run itself; purchases: a list to fill (explain) or NULL; resume: after run_restart */
int run_count(Run *R, PyObject *purchases, int resume) {
    Engine *E = R->E;
    for (int i = 0; i < E->ncand; i++) {
        int p = E->cand[i];
        if (!resume) R->alive[p] = 1;
        if (R->alive[p]) hset(R, p);
    }
    if (purchases) {  /* what only the explanation reads (run_free frees them, made or not) */
        if (!R->tied && !(R->tied = xcalloc(E->m, sizeof(int)))) { PyErr_NoMemory(); return -1; }
        if (E->by_cost && !R->twin && find_twins(R) < 0) { PyErr_NoMemory(); return -1; }
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
                double lv = R->dlbv[q], ls = R->dlbs[q];
                /* the floats first: mpq_get_d rounds toward zero, a non-decreasing map, so unequal floats order the
                 * exact values alike (dlbs is lbs's, kept with it); equal slopes (ties) by their canonical parts */
                if (ls < drs || (ls == drs && !mpq_equal(R->lbs[q], P->rs) && mpq_cmp(R->lbs[q], P->rs) < 0)) {
                    /* a crossing surely past t* is not recorded by bound: its exact differences are not made (they
                     * were 5 % of Mokotów's count). lv, drv, ls, drs are mpq_get_d of the exact values, within 2^-52 of
                     * each (1e-300 below the normal range): the differences' bounds below (a = lbv - ρ, -b = ρ' - lbs) */
                    double ea = 1e-15 * (fabs(lv) + fabs(drv)) + 1e-300, eb = 1e-15 * (fabs(ls) + fabs(drs)) + 1e-300;
                    int later = surely_after_tstar(R, lv - drv - ea, drs - ls - eb, drs - ls + eb);
                    if (!later || mes_force_screens) {
                        mpq_sub(a, R->lbv[q], P->rv);
                        mpq_sub(b, R->lbs[q], P->rs);
                        if (later && !(mpq_get_d(a) / -mpq_get_d(b) * (1 - 1e-12) > R->dtstar)) {
                            /* tests: a crossing said after t* that bound's own float test would record */
                            PyErr_SetString(PyExc_AssertionError, "a rival's crossing said after t* is not");
                            rc = -1;
                            break;
                        }
                        if (!later) bound(R, a, b);
                    }
                }
                /* the rival's lower bound stays above the winner's price (outcome_reach) */
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
