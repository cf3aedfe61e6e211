/* Greedy and sequential Phragmén counted in C over a compiled election's arrays: the decisions of
 * pbtools/counting/rules/greedy.py and phragmen.py (their Python twins are the reference), handed back to the same
 * Python explanation builders, so the steps and ties are the same whichever engine counted.
 *
 * Greedy: integers (64-bit; anything larger, or points that are fractions, is left to Python: None).
 * Phragmén: loads are GMP rationals (mpq_t), exact as the Python engine's gmpy2 ones. */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <gmp.h>
#include "gmp_py.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

GMP_OOM_DEFINE

static int ll_list(PyObject *seq, long long **out, Py_ssize_t *n, int *fits) {
    PyObject *f = PySequence_Fast(seq, "expected a sequence of ints");
    if (!f) return -1;
    Py_ssize_t len = PySequence_Fast_GET_SIZE(f);
    long long *a = malloc((len ? len : 1) * sizeof(long long));
    if (!a) { Py_DECREF(f); PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < len; i++) {
        PyObject *o = PySequence_Fast_GET_ITEM(f, i);
        int overflow = 0;
        if (!PyLong_Check(o)) { *fits = 0; a[i] = 0; continue; }
        a[i] = PyLong_AsLongLongAndOverflow(o, &overflow);
        if (a[i] == -1 && PyErr_Occurred()) { free(a); Py_DECREF(f); return -1; }
        if (overflow) *fits = 0;
    }
    Py_DECREF(f);
    *out = a;
    *n = len;
    return 0;
}

/* ---------- greedy ---------- */

static const long long *g_value, *g_rank;

static int greedy_cmp(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    if (g_value[x] != g_value[y]) return g_value[x] > g_value[y] ? -1 : 1;  /* higher score first */
    return g_rank[x] < g_rank[y] ? -1 : g_rank[x] > g_rank[y];
}

enum { TAKE = 0, SKIP = 1, STOP = 2 };

/* greedy(values, ranks, costs, budget, candidates, skip, spent) -> (order, verdicts) or None (not 64-bit integers)
 * candidates: the projects to consider (eligible, not already chosen); spent: the cost of those already chosen. */
static PyObject *greedy(PyObject *self, PyObject *args) {
    PyObject *values, *ranks, *costs, *cands, *budget_o, *spent_o;
    int skip;
    if (!PyArg_ParseTuple(args, "OOOOOpO", &values, &ranks, &costs, &budget_o, &cands, &skip, &spent_o)) return NULL;
    long long *v = NULL, *r = NULL, *c = NULL, *cand = NULL;
    Py_ssize_t m, mr, mc, nc;
    int fits = 1, fits_ranks = 1, fits_cands = 1;
    PyObject *result = NULL;
    int32_t *order = NULL;
    if (ll_list(values, &v, &m, &fits) < 0 || ll_list(ranks, &r, &mr, &fits_ranks) < 0 || ll_list(costs, &c, &mc, &fits) < 0 ||
        ll_list(cands, &cand, &nc, &fits_cands) < 0)
        goto out;
    if (mr != m || mc != m || !fits_ranks || !fits_cands) { PyErr_SetString(PyExc_ValueError, "greedy: bad arguments"); goto out; }
    int overflow = 0;
    long long budget = PyLong_AsLongLongAndOverflow(budget_o, &overflow);
    if (budget == -1 && PyErr_Occurred()) goto out;
    long long spent = overflow ? 0 : PyLong_AsLongLongAndOverflow(spent_o, &overflow);
    if (spent == -1 && PyErr_Occurred()) goto out;
    if (!fits || overflow) { Py_INCREF(Py_None); result = Py_None; goto out; }
    for (Py_ssize_t p = 0; p < m; p++)  /* sums stay far from overflow */
        if (c[p] < 0 || c[p] > (long long)(INT64_MAX / 4)) { Py_INCREF(Py_None); result = Py_None; goto out; }
    if (budget < 0 || budget > INT64_MAX / 4 || spent < 0 || spent > INT64_MAX / 4) { Py_INCREF(Py_None); result = Py_None; goto out; }
    order = malloc((nc ? nc : 1) * sizeof(int32_t));
    if (!order) { PyErr_NoMemory(); goto out; }
    for (Py_ssize_t i = 0; i < nc; i++) {
        if (cand[i] < 0 || cand[i] >= m) { PyErr_SetString(PyExc_ValueError, "greedy: candidate out of range"); goto out; }
        order[i] = (int32_t)cand[i];
    }
    g_value = v;
    g_rank = r;
    qsort(order, nc, sizeof(int32_t), greedy_cmp);  /* ranks are distinct: the order is total */
    PyObject *o = PyList_New(0), *verdicts = PyList_New(0);
    if (!o || !verdicts) { Py_XDECREF(o); Py_XDECREF(verdicts); goto out; }
    long long total = spent;
    int stopped = 0;  /* the order goes on past a stop (its ties are reported), the verdicts do not */
    for (Py_ssize_t i = 0; i < nc; i++) {
        int32_t p = order[i];
        int verdict = c[p] > budget - total ? (skip ? SKIP : STOP) : TAKE;
        if (verdict == TAKE) total += c[p];
        PyObject *pi = PyLong_FromLong(p), *vi = stopped ? NULL : PyLong_FromLong(verdict);
        int bad = !pi || (!stopped && !vi) || PyList_Append(o, pi) < 0 || (!stopped && PyList_Append(verdicts, vi) < 0);
        Py_XDECREF(pi);
        Py_XDECREF(vi);
        if (bad) { Py_DECREF(o); Py_DECREF(verdicts); goto out; }
        if (verdict == STOP) stopped = 1;
    }
    result = Py_BuildValue("(NN)", o, verdicts);
out:
    free(v); free(r); free(c); free(cand); free(order);
    return result;
}

/* ---------- sequential Phragmén ---------- */


static const long long *ph_rank;
static int rank_cmp(const void *a, const void *b) {
    int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
    return ph_rank[x] < ph_rank[y] ? -1 : ph_rank[x] > ph_rank[y];
}

/* phragmen(weights, g_off, g_proj, support, costs, budget, alive, ranks)
 *   -> (rounds [(project, tied tuple, load "n/d" or None)], stopped project or None)
 * weights int64[G], g_off int64[G+1], g_proj int32[E] as bytes (each group's projects); alive: the projects that
 * compete (eligible, cost within the budget). As rules/phragmen.py without sector caps. */
static PyObject *phragmen(PyObject *self, PyObject *args) {
    Py_buffer wb, ob, pb;
    PyObject *support_o, *costs_o, *budget_o, *alive_o, *ranks_o;
    if (!PyArg_ParseTuple(args, "y*y*y*OOOOO", &wb, &ob, &pb, &support_o, &costs_o, &budget_o, &alive_o, &ranks_o))
        return NULL;
    const int64_t *w = wb.buf, *goff = ob.buf;
    const int32_t *gproj = pb.buf;
    Py_ssize_t G = wb.len / 8, E = pb.len / 4, m = 0, mr = 0, na = 0;
    long long *support = NULL, *ranks = NULL, *alive_list = NULL;
    int fits = 1, fits2 = 1, fits3 = 1;
    PyObject *result = NULL, *rounds = NULL;
    mpz_t *cost = NULL;
    mpq_t *nl = NULL, *loads = NULL;
    Py_ssize_t n_nl = 0, n_loads = 0;  /* how many of nl, loads are mpq_init'ed: only those are cleared */
    int nloads = 0;
    mpz_t budget, total, D, f;
    mpz_t *N = NULL;  /* each load class's load over the common denominator D (see below) */
    Py_ssize_t n_N = 0;
    mpq_t tmp, low;
    mpz_inits(budget, total, D, f, NULL);  /* (they allocate nothing: D is set inside the frame below) */
    memset(tmp, 0, sizeof(mpq_t));  /* zeroed: safe to clear before gmp_py_q_inits, and after it failed */
    memset(low, 0, sizeof(mpq_t));
    gmp_oom_frame oom = {.live = 0};
    char *alive = NULL, *dirty = NULL, *exact = NULL;
    int32_t *cls = NULL, *eoff = NULL, *ent = NULL, *soff = NULL, *sg = NULL, *tied = NULL, *fill = NULL, *elen = NULL;
    int64_t *mv = NULL;
    int32_t *nz = NULL, *nzn = NULL;
    double *loadf = NULL, *nlf = NULL, *nle = NULL;
    if (gmp_py_q_inits(tmp, 1) < 0 || gmp_py_q_inits(low, 1) < 0) goto out;
    if (ob.len != (G + 1) * 8) { PyErr_SetString(PyExc_ValueError, "phragmen: offsets"); goto out; }
    if (ll_list(support_o, &support, &m, &fits) < 0 || ll_list(ranks_o, &ranks, &mr, &fits2) < 0 ||
        ll_list(alive_o, &alive_list, &na, &fits3) < 0)
        goto out;
    if (!fits || !fits2 || !fits3 || mr != m || PySequence_Size(costs_o) != m) { PyErr_SetString(PyExc_ValueError, "phragmen: bad arguments"); goto out; }
    /* indices below are int32 and the pw table is m x (m + 2) int64: refuse sizes past them before allocating */
    if (m > INT32_MAX - 2 || G > INT32_MAX - 1 || E > INT32_MAX ||
        (size_t)(m + 2) > SIZE_MAX / sizeof(int64_t) / (size_t)(m ? m : 1)) {
        PyErr_Format(PyExc_MemoryError, "phragmen: %zd projects need a %zd x %zd load table, too large", m, m, m + 2);
        goto out;
    }
    if (goff[0] != 0 || goff[G] != E) { PyErr_SetString(PyExc_ValueError, "phragmen: offsets"); goto out; }
    for (Py_ssize_t g = 0; g < G; g++)
        if (goff[g + 1] < goff[g]) { PyErr_SetString(PyExc_ValueError, "phragmen: offsets"); goto out; }
    cost = malloc((m ? m : 1) * sizeof(mpz_t));
    if (!cost) { PyErr_NoMemory(); goto out; }
    for (Py_ssize_t p = 0; p < m; p++) mpz_init(cost[p]);
    for (Py_ssize_t p = 0; p < m; p++) {
        PyObject *o = PySequence_GetItem(costs_o, p);
        int bad = !o || mpz_from_py(cost[p], o) < 0;
        Py_XDECREF(o);
        if (bad) goto out;
    }
    if (mpz_from_py(budget, budget_o) < 0) goto out;
    alive = calloc(m ? m : 1, 1);
    dirty = calloc(m ? m : 1, 1);
    tied = malloc((m ? m : 1) * sizeof(int32_t));
    nl = calloc(m ? m : 1, sizeof(mpq_t));
    loads = calloc(m + 2, sizeof(mpq_t));
    N = calloc(m + 2, sizeof(mpz_t));  /* zeroed: safe to clear whole; mpz_init allocates nothing */
    cls = calloc(G ? G : 1, sizeof(int32_t));
    if (!alive || !dirty || !tied || !nl || !loads || !N || !cls) { PyErr_NoMemory(); goto out; }
    n_N = m + 2;
    for (Py_ssize_t k = 0; k < n_N; k++) mpz_init(N[k]);
    n_nl = m;  /* calloc'ed: safe to clear whole, initialised or not */
    n_loads = m + 2;
    if (gmp_py_q_inits(nl[0], m) < 0 || gmp_py_q_inits(loads[0], m + 2) < 0) goto out;
    for (Py_ssize_t i = 0; i < na; i++) {
        if (alive_list[i] < 0 || alive_list[i] >= m) { PyErr_SetString(PyExc_ValueError, "phragmen: project out of range"); goto out; }
        alive[alive_list[i]] = dirty[alive_list[i]] = 1;
    }
    for (Py_ssize_t e = 0; e < E; e++)
        if (gproj[e] < 0 || gproj[e] >= m) { PyErr_SetString(PyExc_ValueError, "phragmen: project out of range"); goto out; }
    /* entries: each group's alive projects; supporters: each alive project's groups */
    eoff = calloc(G + 1, sizeof(int32_t));
    soff = calloc(m + 1, sizeof(int32_t));
    if (!eoff || !soff) { PyErr_NoMemory(); goto out; }
    Py_ssize_t n_ent = 0;
    for (Py_ssize_t g = 0; g < G; g++) {
        for (int64_t e = goff[g]; e < goff[g + 1]; e++)
            if (alive[gproj[e]]) { n_ent++; soff[gproj[e] + 1]++; }
        eoff[g + 1] = (int32_t)n_ent;
    }
    for (Py_ssize_t p = 0; p < m; p++) soff[p + 1] += soff[p];
    ent = malloc((n_ent ? n_ent : 1) * sizeof(int32_t));
    sg = malloc((n_ent ? n_ent : 1) * sizeof(int32_t));
    fill = calloc(m ? m : 1, sizeof(int32_t));
    if (!ent || !sg || !fill) { PyErr_NoMemory(); goto out; }
    n_ent = 0;
    for (Py_ssize_t g = 0; g < G; g++)
        for (int64_t e = goff[g]; e < goff[g + 1]; e++)
            if (alive[gproj[e]]) {
                int32_t p = gproj[e];
                ent[n_ent++] = p;
                sg[soff[p] + fill[p]++] = (int32_t)g;
            }
    free(fill);
    fill = NULL;
    elen = malloc((G ? G : 1) * sizeof(int32_t));
    if (!elen) { PyErr_NoMemory(); goto out; }
    for (Py_ssize_t g = 0; g < G; g++) elen[g] = eoff[g + 1];
    /* pw[q][k]: the weight of q's supporters in load class k (as rules/phragmen.py's pw); loads in floats screen
     * the minimum: a project whose float new load, widened by a bound on its rounding errors, cannot reach the
     * smallest one is not the minimum; only the others get their exact (mpq) new load. */
    Py_ssize_t width = m + 2;
    mv = calloc((size_t)(m ? m : 1) * width, sizeof(int64_t));  /* size checked above */
    /* per project, the load classes (from 1) where it may have supporters: the screen reads those, not every class */
    nz = malloc((size_t)(m ? m : 1) * width * sizeof(int32_t));
    nzn = calloc(m ? m : 1, sizeof(int32_t));
    loadf = calloc(width, sizeof(double));
    nlf = calloc(m ? m : 1, sizeof(double));
    nle = calloc(m ? m : 1, sizeof(double));
    exact = calloc(m ? m : 1, 1);
    rounds = PyList_New(0);
    if (!mv || !nz || !nzn || !loadf || !nlf || !nle || !exact || !rounds) {
        if (!PyErr_Occurred()) PyErr_NoMemory();
        goto out;
    }
    for (Py_ssize_t p = 0; p < m; p++)
        if (alive[p]) mv[(size_t)p * width] = support[p];
    nloads = 1;  /* class 0: load 0 */
    PyObject *stopped = NULL;
    ph_rank = ranks;
    const double EPS = 1.1102230246251565e-16;  /* 2^-53 */
    /* GMP running out of memory in the rounds: MemoryError; all that out: frees was set before this */
    gmp_oom_enter(&oom, 1);  /* the rounds build Python tuples: python=1 */
    if (setjmp(oom.env)) { gmp_oom_failed(&oom); goto out; }
    mpz_set_ui(D, 1);
    for (;;) {
        int any_alive = 0, any_finite = 0;
        double best_hi = 0;
        for (Py_ssize_t p = 0; p < m; p++) {
            if (!alive[p]) continue;
            any_alive = 1;
            if (support[p] <= 0) continue;
            if (dirty[p]) {  /* Σ_k pw·load_k + cost, / support: every term ≥ 0, each rounded once per operation */
                double sum = 0;
                int terms = 0;
                const int64_t *row = mv + (size_t)p * width;
                int32_t *z = nz + (size_t)p * width, kept = 0;
                for (int32_t i = 0; i < nzn[p]; i++) {  /* its classes in order; one emptied stays empty */
                    int k = z[i];
                    if (row[k]) { z[kept++] = k; sum += (double)row[k] * loadf[k]; terms++; }
                }
                nzn[p] = kept;
                sum += mpz_get_d(cost[p]);
                nlf[p] = sum / (double)support[p];
                nle[p] = nlf[p] * EPS * (6.0 * terms + 12.0) + 1e-300;  /* per term: its load rounded (2 eps), the product, the sum */
                exact[p] = 0;
                dirty[p] = 0;
            }
            double hi = nlf[p] + nle[p];
            if (!any_finite || hi < best_hi) best_hi = hi;
            any_finite = 1;
        }
        if (!any_alive) break;
        int nt = 0;
        if (any_finite) {
            int have_low = 0;
            for (Py_ssize_t p = 0; p < m; p++) {
                if (!alive[p] || support[p] <= 0 || nlf[p] - nle[p] > best_hi) continue;
                if (!exact[p]) {  /* (cost·D + Σ pw·N_k) / (D·support): integer terms, one gcd at the end */
                    const int64_t *row = mv + (size_t)p * width;
                    const int32_t *z = nz + (size_t)p * width;
                    mpz_ptr num = mpq_numref(nl[p]);
                    mpz_mul(num, cost[p], D);
                    for (int32_t i = 0; i < nzn[p]; i++) {
                        int64_t r = row[z[i]];
                        if (r > 0) mpz_addmul_ui(num, N[z[i]], (unsigned long)r);
                        else if (r < 0) mpz_submul_ui(num, N[z[i]], -(unsigned long)r);
                    }
                    mpz_mul_si(mpq_denref(nl[p]), D, (long)support[p]);
                    mpq_canonicalize(nl[p]);
                    exact[p] = 1;
                }
                int c = have_low ? mpq_cmp(nl[p], low) : -1;
                if (c < 0) { mpq_set(low, nl[p]); have_low = 1; nt = 0; }
                if (c <= 0) tied[nt++] = (int32_t)p;
            }
        } else {
            for (Py_ssize_t p = 0; p < m; p++)
                if (alive[p]) tied[nt++] = (int32_t)p;
        }
        qsort(tied, nt, sizeof(int32_t), rank_cmp);
        mpz_sub(total, budget, total);  /* total <- what is left, for the comparisons */
        int stop = -1;
        for (int i = 0; i < nt && stop < 0; i++)
            if (mpz_cmp(cost[tied[i]], total) > 0) stop = tied[i];
        mpz_sub(total, budget, total);  /* back to what was spent */
        if (stop >= 0) {
            stopped = PyLong_FromLong(stop);
            if (!stopped) goto out;
            break;
        }
        int best = tied[0];
        PyObject *t = PyTuple_New(nt);
        if (!t) goto out;
        for (int i = 0; i < nt; i++) {
            PyObject *pi = PyLong_FromLong(tied[i]);
            if (!pi) { Py_DECREF(t); goto out; }  /* a tuple's unset items are NULL: its dealloc skips them */
            PyTuple_SET_ITEM(t, i, pi);
        }
        PyObject *load = any_finite ? mpq_to_py(low) : (Py_INCREF(Py_None), Py_None);
        PyObject *round = load ? Py_BuildValue("(iNN)", best, t, load) : NULL;
        if (!load) Py_DECREF(t);
        if (!round || PyList_Append(rounds, round) < 0) { Py_XDECREF(round); goto out; }
        Py_DECREF(round);
        alive[best] = 0;
        mpz_add(total, total, cost[best]);
        if (!any_finite) continue;
        int nk = nloads++;
        mpq_set(loads[nk], low);
        loadf[nk] = mpq_get_d(low);
        /* the new load over D: D grows by what the load's denominator lacks (every N_k with it), as mes_price.c's
         * Common; the exact loads are then sums of integers, not a rational addition (a gcd) per term */
        mpz_gcd(f, D, mpq_denref(low));
        mpz_divexact(f, mpq_denref(low), f);
        if (mpz_cmp_ui(f, 1) != 0) {
            mpz_mul(D, D, f);
            for (int k = 1; k < nk; k++) mpz_mul(N[k], N[k], f);
        }
        mpz_divexact(f, D, mpq_denref(low));
        mpz_mul(N[nk], mpq_numref(low), f);
        /* best's supporters move to the new class; the projects they also support see it (and best, and any
         * project taken before, leaves their lists for good: later rounds do not walk past them) */
        for (int32_t i = soff[best]; i < soff[best + 1]; i++) {
            int32_t g = sg[i], old = cls[g], kept = eoff[g];
            int64_t wg = w[g];
            cls[g] = nk;
            for (int32_t j = eoff[g]; j < elen[g]; j++) {
                int32_t q = ent[j];
                if (!alive[q]) continue;
                ent[kept++] = q;
                int64_t *row = mv + (size_t)q * width;
                int32_t *z = nz + (size_t)q * width;  /* classes are made in order: nk is last if there */
                if (nzn[q] == 0 || z[nzn[q] - 1] != nk) z[nzn[q]++] = nk;
                row[old] -= wg;
                row[nk] += wg;
                dirty[q] = 1;
            }
            elen[g] = kept;
        }
    }
    result = Py_BuildValue("(ON)", rounds, stopped ? stopped : (Py_INCREF(Py_None), Py_None));
out:
    gmp_oom_leave(&oom);
    PyBuffer_Release(&wb); PyBuffer_Release(&ob); PyBuffer_Release(&pb);
    Py_XDECREF(rounds);
    if (cost) { for (Py_ssize_t p = 0; p < m; p++) mpz_clear(cost[p]); free(cost); }
    for (Py_ssize_t p = 0; p < n_nl; p++) mpq_clear(nl[p]);
    for (Py_ssize_t k = 0; k < n_loads; k++) mpq_clear(loads[k]);
    for (Py_ssize_t k = 0; k < n_N; k++) mpz_clear(N[k]);
    free(nl); free(loads); free(N);
    mpz_clears(budget, total, D, f, NULL);
    mpq_clear(tmp);
    mpq_clear(low);
    free(support); free(ranks); free(alive_list); free(alive); free(dirty); free(exact); free(cls); free(eoff);
    free(ent); free(soff); free(sg); free(tied); free(fill); free(elen); free(mv); free(nz); free(nzn); free(loadf); free(nlf); free(nle);
    return result;
}

static PyMethodDef methods[] = {
    {"greedy", greedy, METH_VARARGS, "greedy(values, ranks, costs, budget, candidates, skip, spent) -> (order, verdicts) or None."},
    {"phragmen", phragmen, METH_VARARGS, "phragmen(weights, g_off, g_proj, support, costs, budget, alive, ranks) -> (rounds, stopped)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_rulesnative", "pbtools' greedy and Phragmén in C", -1, methods};

PyMODINIT_FUNC PyInit__rulesnative(void) {
    if (gmp_oom_import() < 0) return NULL;  /* GMP out of memory as MemoryError (gmp_oom.h) */
    return PyModule_Create(&module);
}
