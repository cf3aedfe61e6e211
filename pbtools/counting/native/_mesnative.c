/* The exact Method of Equal Shares in C with GMP rationals: one run at a start budget t per voter, the same
 * decisions as pbtools/counting/rules/mes_engine.py (and pabutools), and for the Add1 completion the first t above
 * the run's where one of its decisions could change (t*).
 *
 * Everything is exact (mpq_t); nothing is decided in floats. Voters with identical ballots are one weighted group;
 * groups are put in budget classes (all members hold the same amount, an affine function v + s·(t - t0) of the
 * start budget), numbered as the Python engine numbers them (0: everyone at the start, 1: those who paid all they
 * had, then one class per (class, utility) of a purchase's payers, in key order), so the explanation built from a
 * native run is the Python one, payment for payment.
 *
 * The cheapest project is found lazily, as in Python: budgets only go down in a run, so an earlier price is a lower
 * bound; projects sit in a heap by (bound, tie rank) and the top is re-priced until an exact price is on top.
 * A purchase makes only the prices of projects sharing a supporter with it stale.
 *
 * Add1 (track): each decision's first crossing above t0 is recorded (the winner stops being affordable, one of its
 * supporters changes side, a rival's affine lower bound reaches its price, a dropped project becomes affordable);
 * t* is the smallest. The run's outcome is the same for every t in [t0, t*).
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <gmp.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POOR 1

typedef struct {
    int n, cap;
    int *k, *ui;     /* class, utility index of each entry (sorted by key = k·width + ui) */
    int64_t *W;      /* weight of the entry (voters) */
    char *poor;      /* pays all it has */
    mpq_t rv, rs;    /* price ρ at t0 and its slope in t */
    mpq_t T, TS;     /* Σ budgets of the supporters and its slope */
} Price;

/* Cost_Sat: the amounts paid per purchase (or their slopes) as integers over one common denominator D, with the
 * start value (t0, or the slope 1) over D too: a sum over many classes is then integer arithmetic and one division,
 * not a rational addition (a gcd) per purchase. */
typedef struct {
    mpz_t D, base, g;
    mpz_t *N;
    int n;
} Common;

typedef struct {
    __mpq_struct key;
    int rank, p, ver;
} HeapItem;

typedef struct {
    PyObject_HEAD
    int G, m, width, by_cost;
    int64_t *w;             /* group weights */
    int *sup_off, *sup_g, *sup_u;  /* per project: supporter groups and utility indices (candidates only) */
    int *tch_off, *tch;     /* per project: the candidates sharing a supporter with it */
    mpz_t *cost;
    mpq_t *uval;            /* utility values (points); under Cost_Sat u = cost */
    int nu;
    int *rank;
    int *cand, ncand;
    int *initial, ninitial;
} Engine;

/* one run's state */
typedef struct {
    Engine *E;
    int nclass, ccap;
    mpq_t *cv, *cs;         /* class value at t0, slope: exact, computed when first read (have) */
    char *have;
    int *par, *pj, *pui;    /* a class was made from class par paying ρ_pj·u (utility index pui) */
    double *dv, *ds, *ev, *es;  /* every class's value and slope in floats, with bounds on their absolute errors */
    mpq_t *rvj, *rsj;       /* per purchase: ρ at t0 and its slope */
    int *pproj;             /* per purchase: the project bought */
    int *cls;               /* group -> class */
    mpq_t *lbv, *lbs;       /* per project: lower bound of its price (affine in t) */
    char *alive, *exact;
    int *version;
    Price *pr;
    HeapItem *heap;
    int hn, hcap;
    int64_t *acc;           /* key -> weight, scratch (zero between uses) */
    size_t acap;
    int *keys, kcap;
    mpq_t t0, tstar, tmp, tmp2, tmp3, ftmp, ftmp2;  /* ftmp*: fill's own */
    int has_tstar, track;
    double dtstar;          /* t* - t0 in floats, never below the exact value */
    int *selected, nsel;
    int words;              /* Cost_Sat: per class, a bitset of the purchases it paid for (words of 64 bits) */
    uint64_t *bits;
    mpq_t *av, *as;         /* Cost_Sat: per purchase j, what each payer of ρ·u paid (ρ_j·cost_j) and its slope */
    int64_t *paidw;         /* scratch: weight that paid each purchase */
    Common cav, cas;        /* av and as over common denominators */
    int nround;
    double *dkey, *ekey;    /* scratch: the sort keys (budget/utility) in floats and bounds on their errors */
    int *order;             /* scratch for sorting entries */
    mpq_t *sortkey;         /* scratch keys (b/u) */
    int sortcap;
} Run;

/* ---------- helpers ---------- */

static int mpz_from_py(mpz_t z, PyObject *o) {
    PyObject *s = PyObject_Str(o);
    if (!s) return -1;
    const char *c = PyUnicode_AsUTF8(s);
    int bad = !c || mpz_set_str(z, c, 10) != 0;
    Py_DECREF(s);
    if (bad) { if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "not an integer"); return -1; }
    return 0;
}

static int mpq_from_str(mpq_t q, const char *c) {
    if (mpq_set_str(q, c, 10) != 0 || mpz_sgn(mpq_denref(q)) == 0) {
        PyErr_Format(PyExc_ValueError, "not a rational: %s", c);
        return -1;
    }
    mpq_canonicalize(q);
    return 0;
}

static int mpq_from_py(mpq_t q, PyObject *o) {
    PyObject *s = PyObject_Str(o);
    if (!s) return -1;
    const char *c = PyUnicode_AsUTF8(s);
    int r = c ? mpq_from_str(q, c) : -1;
    Py_DECREF(s);
    return r;
}

static PyObject *mpq_to_py(const mpq_t q) {
    char *s = mpq_get_str(NULL, 10, q);
    if (!s) return PyErr_NoMemory();
    PyObject *r = PyUnicode_FromString(s);
    void (*freefunc)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(s, strlen(s) + 1);
    return r;
}

static void *xcalloc(size_t n, size_t size) { return calloc(n ? n : 1, size); }

static int common_init(Common *C, int cap, const mpq_t base) {
    mpz_inits(C->D, C->base, C->g, NULL);
    mpz_set(C->D, mpq_denref(base));
    mpz_set(C->base, mpq_numref(base));
    C->N = xcalloc(cap, sizeof(mpz_t));
    if (!C->N) return -1;
    for (int j = 0; j < cap; j++) mpz_init(C->N[j]);
    C->n = cap;
    return 0;
}

static void common_free(Common *C) {
    if (!C->N) return;
    for (int j = 0; j < C->n; j++) mpz_clear(C->N[j]);
    free(C->N);
    mpz_clears(C->D, C->base, C->g, NULL);
}

/* N[j] = q·D, D grown to a multiple of q's denominator (the earlier numerators scaled with it) */
static void common_add(Common *C, int j, const mpq_t q) {
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

/* out = (live·base - Σ_j paid_j·N_j) / D */
static void common_sum(Common *C, int64_t live, const int64_t *paid, int n, mpq_t out) {
    mpz_ptr z = mpq_numref(out);
    mpz_mul_si(z, C->base, live);
    for (int j = 0; j < n; j++)
        if (paid[j]) mpz_submul_ui(z, C->N[j], (unsigned long)paid[j]);
    mpz_set(mpq_denref(out), C->D);
    mpq_canonicalize(out);
}

/* the int list obj[i] as a C array of n ints; -1 on error */
static int int_list(PyObject *seq, int **out, int *n) {
    PyObject *f = PySequence_Fast(seq, "expected a sequence of ints");
    if (!f) return -1;
    Py_ssize_t len = PySequence_Fast_GET_SIZE(f);
    int *a = xcalloc(len, sizeof(int));
    if (!a) { Py_DECREF(f); PyErr_NoMemory(); return -1; }
    for (Py_ssize_t i = 0; i < len; i++) {
        long v = PyLong_AsLong(PySequence_Fast_GET_ITEM(f, i));
        if (v == -1 && PyErr_Occurred()) { free(a); Py_DECREF(f); return -1; }
        a[i] = (int)v;
    }
    Py_DECREF(f);
    *out = a;
    *n = (int)len;
    return 0;
}

/* ---------- the engine (what every run shares) ---------- */

static void Engine_dealloc(Engine *E) {
    free(E->w); free(E->sup_off); free(E->sup_g); free(E->sup_u); free(E->tch_off); free(E->tch);
    if (E->cost) { for (int i = 0; i < E->m; i++) mpz_clear(E->cost[i]); free(E->cost); }
    if (E->uval) { for (int i = 0; i < E->nu; i++) mpq_clear(E->uval[i]); free(E->uval); }
    free(E->rank); free(E->cand); free(E->initial);
    Py_TYPE(E)->tp_free((PyObject *)E);
}

/* Engine(weights, supporters, utility_indices or None, utility_values or None, costs, ranks, candidates, initial) */
static int Engine_init(Engine *E, PyObject *args, PyObject *kw) {
    PyObject *weights, *sup, *supu, *uvals, *costs, *ranks, *cands, *init;
    if (!PyArg_ParseTuple(args, "OOOOOOOO", &weights, &sup, &supu, &uvals, &costs, &ranks, &cands, &init)) return -1;
    if (E->w) { PyErr_SetString(PyExc_RuntimeError, "engine already initialised"); return -1; }
    int n;
    PyObject *wf = PySequence_Fast(weights, "weights");
    if (!wf) return -1;
    E->G = (int)PySequence_Fast_GET_SIZE(wf);
    E->w = xcalloc(E->G, sizeof(int64_t));
    for (int g = 0; g < E->G; g++) {
        long long v = PyLong_AsLongLong(PySequence_Fast_GET_ITEM(wf, g));
        if (v == -1 && PyErr_Occurred()) { Py_DECREF(wf); return -1; }
        E->w[g] = v;
    }
    Py_DECREF(wf);
    E->by_cost = supu == Py_None;
    if (int_list(ranks, &E->rank, &E->m) < 0) return -1;
    if (int_list(cands, &E->cand, &E->ncand) < 0) return -1;
    if (int_list(init, &E->initial, &E->ninitial) < 0) return -1;
    int m = E->m;
    E->cost = xcalloc(m, sizeof(mpz_t));
    PyObject *cf = PySequence_Fast(costs, "costs");
    if (!cf) return -1;
    if (PySequence_Fast_GET_SIZE(cf) != m) { Py_DECREF(cf); PyErr_SetString(PyExc_ValueError, "costs"); return -1; }
    for (int p = 0; p < m; p++) mpz_init(E->cost[p]);
    for (int p = 0; p < m; p++)
        if (mpz_from_py(E->cost[p], PySequence_Fast_GET_ITEM(cf, p)) < 0) { Py_DECREF(cf); return -1; }
    Py_DECREF(cf);
    if (!E->by_cost) {
        PyObject *uf = PySequence_Fast(uvals, "utility values");
        if (!uf) return -1;
        E->nu = (int)PySequence_Fast_GET_SIZE(uf);
        E->uval = xcalloc(E->nu, sizeof(mpq_t));
        for (int i = 0; i < E->nu; i++) mpq_init(E->uval[i]);
        for (int i = 0; i < E->nu; i++)
            if (mpq_from_py(E->uval[i], PySequence_Fast_GET_ITEM(uf, i)) < 0) { Py_DECREF(uf); return -1; }
        Py_DECREF(uf);
        E->width = E->nu > 0 ? E->nu : 1;
    } else {
        E->width = 1;
    }
    /* supporters, CSR */
    PyObject *sf = PySequence_Fast(sup, "supporters");
    if (!sf) return -1;
    if (PySequence_Fast_GET_SIZE(sf) != m) { Py_DECREF(sf); PyErr_SetString(PyExc_ValueError, "supporters"); return -1; }
    PyObject *suf = E->by_cost ? NULL : PySequence_Fast(supu, "utility indices");
    if (!E->by_cost && !suf) { Py_DECREF(sf); return -1; }
    E->sup_off = xcalloc(m + 1, sizeof(int));
    size_t total = 0;
    for (int p = 0; p < m; p++) {
        Py_ssize_t len = PySequence_Size(PySequence_Fast_GET_ITEM(sf, p));
        if (len < 0) { Py_DECREF(sf); Py_XDECREF(suf); return -1; }
        total += (size_t)len;
        E->sup_off[p + 1] = (int)total;
    }
    E->sup_g = xcalloc(total, sizeof(int));
    E->sup_u = xcalloc(total, sizeof(int));
    for (int p = 0; p < m; p++) {
        int *a, *b = NULL;
        if (int_list(PySequence_Fast_GET_ITEM(sf, p), &a, &n) < 0) { Py_DECREF(sf); Py_XDECREF(suf); return -1; }
        memcpy(E->sup_g + E->sup_off[p], a, n * sizeof(int));
        free(a);
        if (suf) {
            if (int_list(PySequence_Fast_GET_ITEM(suf, p), &b, &n) < 0) { Py_DECREF(sf); Py_XDECREF(suf); return -1; }
            memcpy(E->sup_u + E->sup_off[p], b, n * sizeof(int));
            free(b);
        }
    }
    Py_DECREF(sf);
    Py_XDECREF(suf);
    for (size_t i = 0; i < total; i++)
        if (E->sup_g[i] < 0 || E->sup_g[i] >= E->G || E->sup_u[i] < 0 || E->sup_u[i] >= E->width) {
            PyErr_SetString(PyExc_ValueError, "supporter out of range");
            return -1;
        }
    for (int i = 0; i < E->ncand; i++)
        if (E->cand[i] < 0 || E->cand[i] >= m) { PyErr_SetString(PyExc_ValueError, "candidate out of range"); return -1; }
    /* group -> projects, then the projects sharing a supporter with each project */
    int *goff = xcalloc(E->G + 1, sizeof(int)), *gp = xcalloc(total, sizeof(int)), *fill = xcalloc(E->G, sizeof(int));
    for (size_t i = 0; i < total; i++) goff[E->sup_g[i] + 1]++;
    for (int g = 0; g < E->G; g++) goff[g + 1] += goff[g];
    for (int p = 0; p < m; p++)
        for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++) { int g = E->sup_g[i]; gp[goff[g] + fill[g]++] = p; }
    int *mark = xcalloc(m, sizeof(int)), *buf = xcalloc(m, sizeof(int));
    for (int p = 0; p < m; p++) mark[p] = -1;
    E->tch_off = xcalloc(m + 1, sizeof(int));
    size_t tcap = 1024, tn = 0;
    E->tch = malloc(tcap * sizeof(int));
    for (int p = 0; p < m; p++) {
        int k = 0;
        for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++) {
            int g = E->sup_g[i];
            for (int j = goff[g]; j < goff[g + 1]; j++)
                if (mark[gp[j]] != p) { mark[gp[j]] = p; buf[k++] = gp[j]; }
        }
        if (tn + k > tcap) { while (tn + k > tcap) tcap *= 2; E->tch = realloc(E->tch, tcap * sizeof(int)); }
        memcpy(E->tch + tn, buf, k * sizeof(int));
        tn += k;
        E->tch_off[p + 1] = (int)tn;
    }
    free(goff); free(gp); free(fill); free(mark); free(buf);
    return 0;
}

/* ---------- a run ---------- */

static void run_free(Run *R) {
    Engine *E = R->E;
    for (int k = 0; k < R->nclass; k++) { mpq_clear(R->cv[k]); mpq_clear(R->cs[k]); }
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
    free(R->heap); free(R->acc); free(R->keys); free(R->selected); free(R->order); free(R->dkey); free(R->ekey);
    free(R->bits); free(R->paidw);
    if (R->av) for (int j = 0; j < E->m + 1; j++) { mpq_clear(R->av[j]); mpq_clear(R->as[j]); }
    free(R->av); free(R->as);
    common_free(&R->cav); common_free(&R->cas);
    if (R->sortkey) for (int i = 0; i < R->sortcap; i++) mpq_clear(R->sortkey[i]);
    free(R->sortkey);
    mpq_clear(R->t0); mpq_clear(R->tstar); mpq_clear(R->tmp); mpq_clear(R->tmp2); mpq_clear(R->tmp3);
    mpq_clear(R->ftmp); mpq_clear(R->ftmp2);
}

static int new_class(Run *R) {
    if (R->nclass == R->ccap) {
        int cap = R->ccap * 2;
        R->cv = realloc(R->cv, cap * sizeof(mpq_t));
        R->cs = realloc(R->cs, cap * sizeof(mpq_t));
        R->have = realloc(R->have, cap);
        R->par = realloc(R->par, cap * sizeof(int));
        R->pj = realloc(R->pj, cap * sizeof(int));
        R->pui = realloc(R->pui, cap * sizeof(int));
        R->dv = realloc(R->dv, cap * sizeof(double));
        R->ds = realloc(R->ds, cap * sizeof(double));
        R->ev = realloc(R->ev, cap * sizeof(double));
        R->es = realloc(R->es, cap * sizeof(double));
        if (!R->cv || !R->cs || !R->have || !R->par || !R->pj || !R->pui || !R->dv || !R->ds || !R->ev || !R->es) return -1;
        if (R->bits) {
            R->bits = realloc(R->bits, (size_t)cap * R->words * sizeof(uint64_t));
            if (!R->bits) return -1;
        }
        R->ccap = cap;
    }
    if (R->bits) memset(R->bits + (size_t)R->nclass * R->words, 0, R->words * sizeof(uint64_t));
    mpq_init(R->cv[R->nclass]);
    mpq_init(R->cs[R->nclass]);
    R->have[R->nclass] = 1;
    R->par[R->nclass] = R->pj[R->nclass] = R->pui[R->nclass] = 0;
    R->dv[R->nclass] = R->ds[R->nclass] = R->ev[R->nclass] = R->es[R->nclass] = 0;
    return R->nclass++;
}

static int run_init(Run *R, Engine *E, const mpq_t t0, int track) {
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
    R->rvj = xcalloc(m + 1, sizeof(mpq_t));
    R->rsj = xcalloc(m + 1, sizeof(mpq_t));
    R->pproj = xcalloc(m + 1, sizeof(int));
    if (!R->have || !R->par || !R->pj || !R->pui || !R->dv || !R->ds || !R->ev || !R->es || !R->rvj || !R->rsj || !R->pproj) return -1;
    for (int j = 0; j < m + 1; j++) { mpq_init(R->rvj[j]); mpq_init(R->rsj[j]); }
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
    if (!R->cv || !R->cs || !R->cls || !R->lbv || !R->lbs || !R->alive || !R->exact || !R->version || !R->pr || !R->heap || !R->selected)
        return -1;
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
        if (!R->bits || !R->av || !R->as || !R->paidw) return -1;
        for (int j = 0; j < m + 1; j++) { mpq_init(R->av[j]); mpq_init(R->as[j]); }
        mpq_set_ui(R->tmp, 1, 1);
        if (common_init(&R->cav, m + 1, t0) < 0 || common_init(&R->cas, m + 1, R->tmp) < 0) return -1;
    }
    new_class(R); new_class(R);
    mpq_set(R->cv[0], t0);
    mpq_set_ui(R->cs[0], 1, 1);
    R->dv[0] = mpq_get_d(t0);
    R->ev[0] = fabs(R->dv[0]) * 0x1p-51;
    R->ds[0] = 1;
    for (int i = 0; i < E->ninitial; i++) R->selected[R->nsel++] = E->initial[i];
    return 0;
}

static inline void util(Engine *E, int p, int ui, mpq_t out);

/* a class's exact value and slope, computed from its parent's (the missing ancestors first) when first read */
static void fill(Run *R, int k) {
    Engine *E = R->E;
    int chain[64], n = 0;
    while (!R->have[k]) {
        if (n == 64) { fill(R, k); break; }  /* a long chain: its older part first */
        chain[n++] = k;
        k = R->par[k];
    }
    while (n--) {
        int c = chain[n], j = R->pj[c];
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

static inline mpq_ptr CV(Run *R, int k) { if (!R->have[k]) fill(R, k); return R->cv[k]; }
static inline mpq_ptr CS(Run *R, int k) { if (!R->have[k]) fill(R, k); return R->cs[k]; }

/* bound(v, s): v + s·(t - t0) >= 0 holds up to t0 + v/(-s); t* is the smallest such t (only when s < 0) */
static void bound(Run *R, const mpq_t v, const mpq_t s) {
    if (!R->track || mpq_sgn(s) >= 0) return;
    mpq_neg(R->tmp3, s);
    mpq_div(R->tmp3, v, R->tmp3);
    mpq_add(R->tmp3, R->tmp3, R->t0);
    if (!R->has_tstar || mpq_cmp(R->tmp3, R->tstar) < 0) {
        mpq_set(R->tstar, R->tmp3);
        R->has_tstar = 1;
        mpq_sub(R->tmp3, R->tstar, R->t0);
        double d = mpq_get_d(R->tmp3);
        R->dtstar = d + fabs(d) * 1e-12 + 1e-300;
    }
}

/* the utility of entry (project p, utility index ui) */
static inline void util(Engine *E, int p, int ui, mpq_t out) {
    if (E->by_cost) mpq_set_z(out, E->cost[p]);
    else mpq_set(out, E->uval[ui]);
}

/* ---------- heap of (lower bound, tie rank) ---------- */

static inline int hless(const HeapItem *a, const HeapItem *b) {
    int c = mpq_cmp(&a->key, &b->key);
    return c < 0 || (c == 0 && a->rank < b->rank);
}

static void hswap(HeapItem *a, HeapItem *b) { HeapItem t = *a; *a = *b; *b = t; }

static int hpush(Run *R, const mpq_t key, int p) {
    if (R->hn == R->hcap) {
        R->hcap *= 2;
        R->heap = realloc(R->heap, R->hcap * sizeof(HeapItem));
        if (!R->heap) return -1;
    }
    HeapItem *h = R->heap;
    int i = R->hn++;
    mpq_init(&h[i].key);
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

/* ---------- pricing ---------- */

static int cmp_int(const void *a, const void *b) { int x = *(const int *)a, y = *(const int *)b; return (x > y) - (x < y); }


/* p's supporters summed by key (class·width + utility index), in key order */
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
        R->kcap = hi - lo;
        R->keys = realloc(R->keys, R->kcap * sizeof(int));
        if (!R->keys) return -1;
    }
    for (int i = lo; i < hi; i++) {
        int g = E->sup_g[i];
        size_t key = (size_t)R->cls[g] * E->width + E->sup_u[i];
        if (R->acc[key] == 0) R->keys[nk++] = (int)key;
        R->acc[key] += E->w[g];
    }
    qsort(R->keys, nk, sizeof(int), cmp_int);
    Price *P = &R->pr[p];
    if (nk > P->cap) {
        int cap = nk;
        P->k = realloc(P->k, cap * sizeof(int));
        P->ui = realloc(P->ui, cap * sizeof(int));
        P->W = realloc(P->W, cap * sizeof(int64_t));
        P->poor = realloc(P->poor, cap);
        if (!P->k || !P->ui || !P->W || !P->poor) return -1;
        P->cap = cap;
    }
    for (int i = 0; i < nk; i++) {
        int key = R->keys[i];
        P->k[i] = key / E->width;
        P->ui[i] = key % E->width;
        P->W[i] = R->acc[key];
        R->acc[key] = 0;
        P->poor[i] = 0;
    }
    P->n = nk;
    return 0;
}

static inline void addmul_si(mpq_t acc, const mpq_t x, int64_t w, mpq_t tmp) {
    mpz_set_si(mpq_numref(tmp), w);
    mpz_set_ui(mpq_denref(tmp), 1);
    mpq_mul(tmp, tmp, x);
    mpq_add(acc, acc, tmp);
}

/* Σ W·value (slopes: Σ W·slope) over p's entries. Under Cost_Sat a class's value is t0 - Σ a_j over the purchases
 * it paid (slope 1 - Σ a'_j), so with many entries the sum is one exact term per purchase, not one per class. */
static void entries_sum(Run *R, Price *P, const int *idx, int n, int slopes, mpq_t out) {
    mpq_set_ui(out, 0, 1);
    if (!R->bits || n <= 2 * R->nround + 8) {
        for (int j = 0; j < n; j++) {
            int i = idx ? idx[j] : j;
            if (P->k[i] != POOR) addmul_si(out, slopes ? CS(R, P->k[i]) : CV(R, P->k[i]), P->W[i], R->tmp3);
        }
        return;
    }
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
    common_sum(slopes ? &R->cas : &R->cav, live, R->paidw, R->nround, out);
}

static void entry_sum(Run *R, Price *P, int slopes, mpq_t out) { entries_sum(R, P, NULL, P->n, slopes, out); }

/* Cost_Sat: the peel's outcome guessed in floats (the first L entries in budget order pay all they have) and
 * checked exactly. The peel's poor set is a threshold (those with budget/u below the price), so the guess is the
 * peel's iff the last of the L cannot pay the price the L leave and the next can. 1: right (price in P), 0: not. */
static int guessed_peel(Run *R, int p, Price *P, const mpq_t cost, const mpq_t big_u) {
    Engine *E = R->E;
    int n = P->n, L = 0;
    double dc = mpq_get_d(cost), dr = dc, dU = mpq_get_d(big_u);
    for (int j = 0; j < n; j++) {
        int i = R->order[j];
        if (R->dkey[i] * dU < dr * dc) { dr -= (double)P->W[i] * R->dkey[i]; dU -= (double)P->W[i] * dc; L++; }
        else break;
    }
    if (L == 0 || L == n) return 0;
    mpq_t sv, ss, U, a, b;
    mpq_inits(sv, ss, U, a, b, NULL);
    int64_t wall = 0;
    for (int j = 0; j < L; j++) wall += P->W[R->order[j]];
    entries_sum(R, P, R->order, L, 0, sv);
    mpz_mul_si(mpq_numref(a), E->cost[p], wall);
    mpz_set_ui(mpq_denref(a), 1);
    mpq_sub(U, big_u, a);
    int ok = mpq_sgn(U) > 0;
    if (ok) {
        mpq_sub(sv, cost, sv);  /* r: the cost left to those who pay ρ·u */
        mpq_mul(b, sv, cost);   /* r·u */
        int last = R->order[L - 1], next = R->order[L];
        mpq_mul(a, CV(R, P->k[last]), U);
        ok = mpq_cmp(a, b) < 0;
        mpq_mul(a, CV(R, P->k[next]), U);
        ok = ok && mpq_cmp(a, b) >= 0;
    }
    if (ok) {
        entries_sum(R, P, R->order, L, 1, ss);
        for (int j = 0; j < L; j++) P->poor[R->order[j]] = 1;
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

static double *sort_dkey;
static int cmp_dkey(const void *a, const void *b) {
    int i = *(const int *)a, j = *(const int *)b;
    double x = sort_dkey[i], y = sort_dkey[j];
    return x < y ? -1 : x > y ? 1 : (i > j) - (i < j);
}

static int ensure_sort(Run *R, int n) {
    if (n <= R->sortcap) return 0;
    int cap = n * 2;
    R->sortkey = realloc(R->sortkey, cap * sizeof(mpq_t));
    R->order = realloc(R->order, cap * sizeof(int));
    R->dkey = realloc(R->dkey, cap * sizeof(double));
    R->ekey = realloc(R->ekey, cap * sizeof(double));
    if (!R->sortkey || !R->order || !R->dkey || !R->ekey) return -1;
    for (int i = R->sortcap; i < cap; i++) mpq_init(R->sortkey[i]);
    R->sortcap = cap;
    return 0;
}

/* 1: affordable, its price in pr[p]; 0: not affordable (t* updated); -1: error */
static int price(Run *R, int p) {
    Engine *E = R->E;
    if (collect(R, p) < 0) return -1;
    Price *P = &R->pr[p];
    mpq_t cost, big_u, u, a, b;
    mpq_inits(cost, big_u, u, a, b, NULL);
    mpq_set_z(cost, E->cost[p]);
    entry_sum(R, P, 0, P->T);
    mpq_set_ui(P->TS, 0, 1);
    mpq_set_ui(big_u, 0, 1);
    if (E->by_cost) {
        int64_t wsum = 0;
        for (int i = 0; i < P->n; i++) wsum += P->W[i];
        mpz_mul_si(mpq_numref(big_u), E->cost[p], wsum);
    } else {
        for (int i = 0; i < P->n; i++) addmul_si(big_u, E->uval[P->ui[i]], P->W[i], R->tmp);
    }
    int ok = 1;
    if (mpq_cmp(P->T, cost) < 0) {
        entry_sum(R, P, 1, P->TS);
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
    /* the entries in budget/utility order: floats sort them, exact comparisons settle what floats cannot tell */
    if (ensure_sort(R, P->n) < 0) { ok = -1; goto done; }
    for (int i = 0; i < P->n; i++) {
        int k = P->k[i];
        double du = E->by_cost ? 1.0 : mpq_get_d(E->uval[P->ui[i]]);
        R->order[i] = i;
        R->dkey[i] = R->dv[k] / du;
        R->ekey[i] = R->ev[k] / du + fabs(R->dkey[i]) * 0x1p-50 + 1e-300;
    }
    sort_dkey = R->dkey;
    qsort(R->order, P->n, sizeof(int), cmp_dkey);
    for (int j = 1; j < P->n; j++) {
        int x = R->order[j], i = j - 1;
        while (i >= 0 && entry_before(R, p, P, x, R->order[i])) { R->order[i + 1] = R->order[i]; i--; }
        R->order[i + 1] = x;
    }
    int lowest = R->order[0];  /* nobody pays all if the poorest can pay the even price */
    util(E, p, P->ui[lowest], u);
    mpq_mul(a, CV(R, P->k[lowest]), big_u);
    mpq_mul(b, cost, u);
    if (mpq_cmp(a, b) < 0) {
        if (R->bits && P->n > 16 && guessed_peel(R, p, P, cost, big_u)) goto priced;
        for (int j = 0; j < P->n; j++) {
            int i = R->order[j];
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
    mpq_div(P->rv, P->rv, big_u);
    mpq_div(P->rs, P->rs, big_u);
priced:
done:
    mpq_clears(cost, big_u, u, a, b, NULL);
    return ok;
}

/* the heap's first live project with an exact price; -1 none; -2 error */
static int top(Run *R) {
    while (R->hn) {
        HeapItem *h = &R->heap[0];
        int p = h->p;
        if (!R->alive[p] || h->ver != R->version[p]) { hpop(R); continue; }
        if (R->exact[p]) return p;
        hpop(R);
        int ok = price(R, p);
        if (ok < 0) return -2;
        if (!ok) { R->alive[p] = 0; continue; }
        R->exact[p] = 1;
        mpq_set(R->lbv[p], R->pr[p].rv);
        mpq_set(R->lbs[p], R->pr[p].rs);
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
    entry_sum(R, P, 1, P->TS);
    if (mpq_sgn(P->TS) < 0) {
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
            R->have[nc] = 0;  /* its exact value when first read */
            R->par[nc] = k;
            R->pj[nc] = j;
            R->pui[nc] = P->ui[i];
            double du = E->by_cost ? mpz_get_d(E->cost[best]) : mpq_get_d(E->uval[P->ui[i]]);
            double pv = drv * du, ps = drs * du;
            R->dv[nc] = R->dv[k] - pv;
            R->ds[nc] = R->ds[k] - ps;
            R->ev[nc] = R->ev[k] + (fabs(pv) + fabs(R->dv[k]) + fabs(R->dv[nc])) * 0x1p-50;
            R->es[nc] = R->es[k] + (fabs(ps) + fabs(R->ds[k]) + fabs(R->ds[nc])) * 0x1p-50;
            if (R->bits) {
                uint64_t *nb = R->bits + (size_t)nc * R->words;
                memcpy(nb, R->bits + (size_t)k * R->words, R->words * sizeof(uint64_t));
                nb[j / 64] |= (uint64_t)1 << (j % 64);
            }
        }
        R->acc[(size_t)P->k[i] * E->width + P->ui[i]] = nc + 1;
    }
    for (int i = E->sup_off[best]; i < E->sup_off[best + 1]; i++) {
        int g = E->sup_g[i];
        size_t key = (size_t)R->cls[g] * E->width + E->sup_u[i];
        R->cls[g] = (int)R->acc[key] - 1;
    }
    for (int i = 0; i < P->n; i++) R->acc[(size_t)P->k[i] * E->width + P->ui[i]] = 0;
    mpq_clear(u);
    return 0;
}

/* explain: the list the Python explanation reads for each purchase */
static PyObject *purchase_record(Run *R, int best, PyObject *tied) {
    Engine *E = R->E;
    Price *P = &R->pr[best];
    int lo = E->sup_off[best], hi = E->sup_off[best + 1];
    PyObject *classes = PyList_New(hi - lo), *keys = PyList_New(P->n), *poor = PyList_New(P->n), *amounts = PyList_New(P->n);
    PyObject *rec = NULL;
    mpq_t u, a, highest;
    mpq_inits(u, a, highest, NULL);
    int have_rich = 0;
    if (!classes || !keys || !poor || !amounts) goto out;
    for (int i = lo; i < hi; i++) PyList_SET_ITEM(classes, i - lo, PyLong_FromLong(R->cls[E->sup_g[i]]));
    for (int i = 0; i < P->n; i++) {
        PyList_SET_ITEM(keys, i, Py_BuildValue("(ii)", P->k[i], P->ui[i]));
        PyList_SET_ITEM(poor, i, PyBool_FromLong(P->poor[i]));
        util(E, best, P->ui[i], u);
        if (P->poor[i]) mpq_set(a, CV(R, P->k[i]));
        else mpq_mul(a, P->rv, u);
        PyList_SET_ITEM(amounts, i, mpq_to_py(a));
        if (!P->poor[i] && (!have_rich || mpq_cmp(u, highest) > 0)) { mpq_set(highest, u); have_rich = 1; }
    }
    if (have_rich) mpq_mul(highest, highest, P->rv);
    else {  /* everyone paid all they had: the highest budget among them */
        int first = 1;
        for (int i = 0; i < P->n; i++)
            if (first || mpq_cmp(CV(R, P->k[i]), highest) > 0) { mpq_set(highest, CV(R, P->k[i])); first = 0; }
    }
    PyObject *rv = mpq_to_py(P->rv), *hv = mpq_to_py(highest);
    if (rv && hv) rec = Py_BuildValue("(iOOOOOOO)", best, tied, rv, hv, classes, keys, poor, amounts);
    Py_XDECREF(rv);
    Py_XDECREF(hv);
out:
    Py_XDECREF(classes); Py_XDECREF(keys); Py_XDECREF(poor); Py_XDECREF(amounts);
    mpq_clears(u, a, highest, NULL);
    return rec;
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
        int p = top(R);
        if (p == -2) { Py_CLEAR(tied); break; }
        if (p < 0 || mpq_cmp(R->pr[p].rv, rho) != 0) break;
        PyObject *o = PyLong_FromLong(p);
        if (!o || PyList_Append(tied, o) < 0) { Py_XDECREF(o); Py_CLEAR(tied); break; }
        Py_DECREF(o);
        held = realloc(held, (nh + 1) * sizeof(HeapItem));
        held[nh] = R->heap[0];
        mpq_init(&held[nh].key);
        mpq_set(&held[nh].key, &R->heap[0].key);
        nh++;
        hpop(R);
    }
    for (int i = 0; i < nh; i++) {  /* back in the heap, with the versions they had */
        int p = held[i].p, ver = R->version[p];
        R->version[p] = held[i].ver;
        hpush(R, &held[i].key, p);
        R->version[p] = ver;
        mpq_clear(&held[i].key);
    }
    free(held);
    mpq_clear(rho);
    return tied;
}

/* the run itself; purchases: a list to fill (explain) or NULL */
static int run_count(Run *R, PyObject *purchases) {
    Engine *E = R->E;
    for (int i = 0; i < E->ncand; i++) {
        int p = E->cand[i];
        R->alive[p] = 1;
        if (hpush(R, R->lbv[p], p) < 0) return -1;
    }
    mpq_t a, b;
    mpq_inits(a, b, NULL);
    int rc = 0;
    for (;;) {
        int best = top(R);
        if (best == -2) { rc = -1; break; }
        if (best < 0) break;
        Price *P = &R->pr[best];
        if (R->track) {
            track_winner(R, best);
            for (int i = 0; i < E->ncand; i++) {
                int q = E->cand[i];
                if (q != best && R->alive[q] && mpq_cmp(R->lbs[q], P->rs) < 0) {
                    mpq_sub(a, R->lbv[q], P->rv);
                    mpq_sub(b, R->lbs[q], P->rs);
                    bound(R, a, b);
                }
            }
        }
        if (purchases) {
            PyObject *tied = tied_with(R, best);
            if (!tied) { rc = -1; break; }
            PyObject *rec = purchase_record(R, best, tied);
            Py_DECREF(tied);
            if (!rec || PyList_Append(purchases, rec) < 0) { Py_XDECREF(rec); rc = -1; break; }
            Py_DECREF(rec);
        }
        if (pay(R, best) < 0) { rc = -1; break; }
        R->alive[best] = 0;
        for (int i = E->tch_off[best]; i < E->tch_off[best + 1]; i++) R->exact[E->tch[i]] = 0;
        R->selected[R->nsel++] = best;
    }
    mpq_clears(a, b, NULL);
    return rc;
}

/* run(t, track=False, explain=False) -> (selected, t* as "n/d" or None, purchases or None) */
static PyObject *Engine_run(Engine *E, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"t", "track", "explain", NULL};
    const char *ts;
    int track = 0, explain = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|pp", kwlist, &ts, &track, &explain)) return NULL;
    if (!E->w) { PyErr_SetString(PyExc_RuntimeError, "engine not initialised"); return NULL; }
    mpq_t t0;
    mpq_init(t0);
    if (mpq_from_str(t0, ts) < 0) { mpq_clear(t0); return NULL; }
    Run R;
    PyObject *purchases = explain ? PyList_New(0) : NULL, *result = NULL;
    if (explain && !purchases) { mpq_clear(t0); return NULL; }
    if (run_init(&R, E, t0, track) < 0) { PyErr_NoMemory(); goto out; }
    if (run_count(&R, purchases) < 0) { if (!PyErr_Occurred()) PyErr_NoMemory(); goto out; }
    PyObject *sel = PyList_New(R.nsel);
    if (!sel) goto out;
    for (int i = 0; i < R.nsel; i++) PyList_SET_ITEM(sel, i, PyLong_FromLong(R.selected[i]));
    PyObject *tstar = R.has_tstar ? mpq_to_py(R.tstar) : (Py_INCREF(Py_None), Py_None);
    if (tstar) result = Py_BuildValue("(OOO)", sel, tstar, purchases ? purchases : Py_None);
    Py_DECREF(sel);
    Py_XDECREF(tstar);
out:
    run_free(&R);
    mpq_clear(t0);
    Py_XDECREF(purchases);
    return result;
}

static PyMethodDef Engine_methods[] = {
    {"run", (PyCFunction)(void (*)(void))Engine_run, METH_VARARGS | METH_KEYWORDS,
     "run(t, track=False, explain=False) -> (selected, t*, purchases): one exact MES count at start budget t per voter."},
    {NULL, NULL, 0, NULL},
};

static PyTypeObject EngineType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "pbtools.counting.native._mesnative.Engine",
    .tp_basicsize = sizeof(Engine),
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "An election compiled for MES: groups, supporters, costs, tie ranks.",
    .tp_new = PyType_GenericNew,
    .tp_init = (initproc)Engine_init,
    .tp_dealloc = (destructor)Engine_dealloc,
    .tp_methods = Engine_methods,
};


/* ---------- merging identical ballots (pbtools.counting.profile.compile_election's loop) ---------- */

typedef struct { PyObject *a, *b, *key; } Seen;

/* a ballot's key: sorted project indices (support), (index, points) pairs (points), (index, k - position) (borda) */
static PyObject *ballot_key(PyObject *choice, PyObject *points, PyObject *index, int kind, long k) {
    PyObject *cf = PySequence_Fast(choice, "choice"), *pf = NULL, *list = NULL, *key = NULL;
    if (!cf) return NULL;
    Py_ssize_t n = PySequence_Fast_GET_SIZE(cf);
    if (kind == 1 && points != Py_None) {
        if (!(pf = PySequence_Fast(points, "points"))) goto out;
        if (PySequence_Fast_GET_SIZE(pf) < n) n = PySequence_Fast_GET_SIZE(pf);  /* zip stops at the shorter */
    }
    if (!(list = PyList_New(n))) goto out;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *pid = PySequence_Fast_GET_ITEM(cf, i);
        PyObject *idx = PyDict_GetItemWithError(index, pid);
        if (!idx) { if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, pid); goto out; }
        PyObject *item;
        if (kind == 0) { Py_INCREF(idx); item = idx; }
        else {
            PyObject *v = kind == 1 ? (pf ? (Py_INCREF(PySequence_Fast_GET_ITEM(pf, i)), PySequence_Fast_GET_ITEM(pf, i)) : PyLong_FromLong(1))
                                    : PyLong_FromLong(k - (long)i);
            if (!v) goto out;
            item = PyTuple_Pack(2, idx, v);
            Py_DECREF(v);
            if (!item) goto out;
        }
        PyList_SET_ITEM(list, i, item);
    }
    if (PyList_Sort(list) < 0) goto out;
    key = PyList_AsTuple(list);
out:
    Py_DECREF(cf);
    Py_XDECREF(pf);
    Py_XDECREF(list);
    return key;
}

/* merge(ballots, index, score, k) -> (merged: key -> weight, voters: key -> [voter ids], n): as compile_election's loop */
static PyObject *merge(PyObject *self, PyObject *args) {
    PyObject *ballots, *index;
    const char *score;
    long k;
    if (!PyArg_ParseTuple(args, "OO!sl", &ballots, &PyDict_Type, &index, &score, &k)) return NULL;
    int kind = strcmp(score, "support") == 0 ? 0 : strcmp(score, "points") == 0 ? 1 : 2;
    PyObject *bf = PySequence_Fast(ballots, "ballots");
    if (!bf) return NULL;
    Py_ssize_t nb = PySequence_Fast_GET_SIZE(bf);
    size_t cap = 16;
    while (cap < (size_t)nb * 2) cap *= 2;
    Seen *seen = calloc(cap, sizeof(Seen));
    PyObject *merged = PyDict_New(), *voters = PyDict_New(), *n = PyLong_FromLong(0), *result = NULL;
    PyObject *s_choice = PyUnicode_InternFromString("choice"), *s_points = PyUnicode_InternFromString("points");
    PyObject *s_weight = PyUnicode_InternFromString("weight"), *s_vid = PyUnicode_InternFromString("voter_id");
    if (!seen || !merged || !voters || !n || !s_choice || !s_points || !s_weight || !s_vid) { PyErr_NoMemory(); goto out; }
    for (Py_ssize_t i = 0; i < nb; i++) {
        PyObject *b = PySequence_Fast_GET_ITEM(bf, i);
        PyObject *choice = PyObject_GetAttr(b, s_choice), *points = choice ? PyObject_GetAttr(b, s_points) : NULL;
        PyObject *weight = points ? PyObject_GetAttr(b, s_weight) : NULL, *vid = weight ? PyObject_GetAttr(b, s_vid) : NULL;
        PyObject *key = NULL;
        int bad = !vid;
        if (!bad) {
            PyObject *sum = PyNumber_Add(n, weight);
            bad = !sum;
            if (sum) { Py_DECREF(n); n = sum; }
        }
        if (!bad) {  /* equal cells are one object (the reader shares them): their key is made once */
            size_t h = (((size_t)choice >> 4) * 1000003u) ^ ((size_t)points >> 4), j = h & (cap - 1);
            while (seen[j].a && !(seen[j].a == choice && seen[j].b == points)) j = (j + 1) & (cap - 1);
            if (seen[j].a) { key = seen[j].key; Py_INCREF(key); }
            else if ((key = ballot_key(choice, points, index, kind, k))) {
                seen[j].a = choice; seen[j].b = points; seen[j].key = key;
                Py_INCREF(key);
            }
            bad = !key;
        }
        if (!bad) {
            PyObject *w = PyDict_GetItemWithError(merged, key);
            if (w) {
                PyObject *sum = PyNumber_Add(w, weight);
                bad = !sum || PyDict_SetItem(merged, key, sum) < 0 || PyList_Append(PyDict_GetItem(voters, key), vid) < 0;
                Py_XDECREF(sum);
            } else if (PyErr_Occurred()) bad = 1;
            else {
                PyObject *lst = PyList_New(1);
                if (lst) { Py_INCREF(vid); PyList_SET_ITEM(lst, 0, vid); }
                bad = !lst || PyDict_SetItem(merged, key, weight) < 0 || PyDict_SetItem(voters, key, lst) < 0;
                Py_XDECREF(lst);
            }
        }
        Py_XDECREF(key);
        Py_XDECREF(choice); Py_XDECREF(points); Py_XDECREF(weight); Py_XDECREF(vid);
        if (bad) goto out;
    }
    result = PyTuple_Pack(3, merged, voters, n);
out:
    if (seen) for (size_t j = 0; j < cap; j++) Py_XDECREF(seen[j].key);
    free(seen);
    Py_XDECREF(merged); Py_XDECREF(voters); Py_XDECREF(n);
    Py_XDECREF(s_choice); Py_XDECREF(s_points); Py_XDECREF(s_weight); Py_XDECREF(s_vid);
    Py_DECREF(bf);
    return result;
}

static PyMethodDef module_methods[] = {
    {"merge", merge, METH_VARARGS, "merge(ballots, index, score, k) -> (key -> weight, key -> voter ids, voters): identical ballots merged."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_mesnative", "pbtools' exact MES in C (GMP)", -1, module_methods};

PyMODINIT_FUNC PyInit__mesnative(void) {
    if (PyType_Ready(&EngineType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&EngineType);
    if (PyModule_AddObject(m, "Engine", (PyObject *)&EngineType) < 0) { Py_DECREF(&EngineType); Py_DECREF(m); return NULL; }
    return m;
}
