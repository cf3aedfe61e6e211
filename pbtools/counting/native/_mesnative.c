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
#include "mes.h"

GMP_OOM_DEFINE

/* ---------- helpers ---------- */

static int mpq_from_str(mpq_t q, const char *c) {
    int bad = gmp_py_set_q(q, c);
    if (bad > 0) PyErr_Format(PyExc_ValueError, "not a rational: %s", c);
    return bad ? -1 : 0;
}

static int mpq_from_py(mpq_t q, PyObject *o) {
    PyObject *s = PyObject_Str(o);
    if (!s) return -1;
    const char *c = PyUnicode_AsUTF8(s);
    int r = c ? mpq_from_str(q, c) : -1;
    Py_DECREF(s);
    return r;
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
        if (v < INT_MIN || v > INT_MAX) {  /* not narrowed to another int (2^32 would read as 0) */
            free(a); Py_DECREF(f); PyErr_SetString(PyExc_OverflowError, "expected ints"); return -1;
        }
        a[i] = (int)v;
    }
    Py_DECREF(f);
    *out = a;
    *n = (int)len;
    return 0;
}

/* ---------- the engine (what every run shares) ---------- */

/* A freed run's block, kept for the next run of any engine (every count makes an engine): 1.5 KB, which malloc
 * finds only after sweeping its small free lists (all calls hold the GIL: one at a time; a build for interpreters
 * with a GIL each, or none, would need it per engine or per thread). Still reachable at exit, never freed. */
static Run *spare_run;

static void run_release(Run *R) {
    run_free(R);
    if (spare_run) free(R);
    else spare_run = R;
}

static void Engine_dealloc(Engine *E) {
    free(E->w); free(E->sup_off); free(E->sup_g); free(E->sup_u); free(E->sup_w); free(E->sup_sum); free(E->tch_off); free(E->tch);
    if (E->cost) { for (int i = 0; i < E->m; i++) mpz_clear(E->cost[i]); free(E->cost); }
    free(E->dcost);
    if (E->uval) { for (int i = 0; i < E->nu; i++) mpq_clear(E->uval[i]); free(E->uval); }
    free(E->duval);
    free(E->rank); free(E->cand); free(E->initial);
    if (E->last) run_release(E->last);
    certifier_free(E->cert);
    Py_TYPE(E)->tp_free((PyObject *)E);
}

/* The candidates sharing a supporter with each candidate p (p itself included), as CSR. With bitsets (m/64 words
 * each): every group's set of projects, in one sweep of the supporters, then each project's row as the OR of its
 * groups' sets, in a second (the lists kept before were Σ over groups of their length squared: Mokotów ~3 ms). When
 * the groups' sets would pass MAX_BITSETS bytes, those lists. */
#define MAX_BITSETS ((size_t)64 << 20)
static int force_lists;  /* tests: the lists whatever the size (test_flag("touching_lists", True)) */

static int tch_add(Engine *E, size_t *tn, size_t *tcap, size_t k) {
    if (*tn + k <= *tcap) return 0;
    while (*tn + k > *tcap) *tcap *= 2;
    return *tcap > INT_MAX || xgrow(&E->tch, *tcap, sizeof(int)) < 0 ? -1 : 0;
}

static int touching_lists(Engine *E, size_t *tn, size_t *tcap) {
    int m = E->m, G = E->G, total = E->sup_off[m];
    int *goff = xcalloc(G + 1, sizeof(int)), *gp = xcalloc(total, sizeof(int)), *fill = xcalloc(G, sizeof(int));
    int *mark = xcalloc(m, sizeof(int)), *buf = xcalloc(m, sizeof(int));
    int ok = goff && gp && fill && mark && buf;
    if (ok) {  /* group -> projects */
        for (int i = 0; i < total; i++) goff[E->sup_g[i] + 1]++;
        for (int g = 0; g < G; g++) goff[g + 1] += goff[g];
        for (int p = 0; p < m; p++)
            for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++) { int g = E->sup_g[i]; gp[goff[g] + fill[g]++] = p; }
    }
    for (int p = 0; ok && p < m; p++) mark[p] = -1;
    for (int p = 0; ok && p < m; p++) {
        int k = 0;
        for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++) {
            int g = E->sup_g[i];
            for (int j = goff[g]; j < goff[g + 1]; j++)
                if (mark[gp[j]] != p) { mark[gp[j]] = p; buf[k++] = gp[j]; }
        }
        if (tch_add(E, tn, tcap, k) < 0) { ok = 0; break; }
        memcpy(E->tch + *tn, buf, k * sizeof(int));
        *tn += k;
        E->tch_off[p + 1] = (int)*tn;
    }
    free(goff); free(gp); free(fill); free(mark); free(buf);
    return ok ? 0 : -1;
}

static int touching(Engine *E) {
    int m = E->m;
    size_t tcap = 64, tn = 0, words = ((size_t)m + 63) / 64;
    E->tch_off = xcalloc(m + 1, sizeof(int));
    E->tch = malloc(tcap * sizeof(int));
    if (!E->tch_off || !E->tch) return -1;
    if (force_lists || (size_t)E->G > MAX_BITSETS / 8 / (words ? words : 1)) return touching_lists(E, &tn, &tcap);
    uint64_t *gbits = xcalloc((size_t)E->G * words, sizeof(uint64_t)), *row = xcalloc(words, sizeof(uint64_t));
    int ok = gbits && row;
    for (int p = 0; ok && p < m; p++)
        for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++)
            gbits[(size_t)E->sup_g[i] * words + (p >> 6)] |= (uint64_t)1 << (p & 63);
    for (int p = 0; ok && p < m; p++) {
        memset(row, 0, words * sizeof(uint64_t));
        for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++) {
            const uint64_t *gb = gbits + (size_t)E->sup_g[i] * words;
            for (size_t j = 0; j < words; j++) row[j] |= gb[j];
        }
        size_t k = 0;
        for (size_t j = 0; j < words; j++) k += __builtin_popcountll(row[j]);
        if (tch_add(E, &tn, &tcap, k) < 0) { ok = 0; break; }
        for (size_t j = 0; j < words; j++)
            for (uint64_t b = row[j]; b; b &= b - 1) E->tch[tn++] = (int)(j * 64 + __builtin_ctzll(b));
        E->tch_off[p + 1] = (int)tn;
    }
    free(gbits); free(row);
    return ok ? 0 : -1;
}

/* the integer o (a Python int, or its text) in z: small ints without going through text */
static int mpz_from_obj(mpz_t z, PyObject *o) {
    if (PyLong_CheckExact(o)) {
        int over = 0;
        long v = PyLong_AsLongAndOverflow(o, &over);
        if (!over) {
            if (v == -1 && PyErr_Occurred()) return -1;
            gmp_oom_frame oom = {.live = 0};  /* setting a number allocates its limb */
            gmp_oom_enter(&oom, 0);
            if (setjmp(oom.env)) { gmp_oom_failed(&oom); return -1; }
            mpz_set_si(z, v);
            gmp_oom_leave(&oom);
            return 0;
        }
    }
    return mpz_from_py(z, o);
}

/* Engine(weights, s_off, s_grp, s_ui or None, utility_values or None, costs, ranks, candidates, initial)
 * The compiled election's arrays as buffers (bytes or numpy, native byte order): weights int64[G]; every project's
 * supporting groups, CSR s_off int64[m+1] and s_grp int32[S]; under points each entry's utility index s_ui int64[S]
 * into utility_values (rationals as text), None under Cost_Sat. Only the candidates' supporters are kept. */
static int Engine_init(Engine *E, PyObject *args, PyObject *kw) {
    Py_buffer wb = {0}, ob = {0}, gb = {0}, ub = {0};
    PyObject *supu, *uvals, *costs, *ranks, *cands, *init;
    if (!PyArg_ParseTuple(args, "y*y*y*OOOOOO", &wb, &ob, &gb, &supu, &uvals, &costs, &ranks, &cands, &init)) return -1;
    int r = -1;
    char *is_cand = NULL;
    int *met_for = NULL;  /* per group: the project (+ 1) it was last met as a supporter of */
    if (E->w) { PyErr_SetString(PyExc_RuntimeError, "engine already initialised"); goto out; }
    E->by_cost = supu == Py_None;
    if (!E->by_cost && PyObject_GetBuffer(supu, &ub, PyBUF_SIMPLE) < 0) goto out;
    if (wb.len % 8 || ob.len % 8 || gb.len % 4 || (!E->by_cost && ub.len != gb.len * 2)) {
        PyErr_SetString(PyExc_ValueError, "supporters: array sizes");
        goto out;
    }
    if (wb.len / 8 > INT_MAX || gb.len / 4 > INT_MAX) { PyErr_SetString(PyExc_MemoryError, "too many supporters"); goto out; }
    E->G = (int)(wb.len / 8);
    E->w = xcalloc(E->G, sizeof(int64_t));
    if (!E->w) { PyErr_NoMemory(); goto out; }
    memcpy(E->w, wb.buf, wb.len);
    {  /* weights are voter counts: at least 1 each, and their total far below 2^63 (the pricing sums them in int64) */
        int64_t total = 0;
        for (int g = 0; g < E->G; g++) {
            if (E->w[g] < 1 || E->w[g] > ((int64_t)1 << 62) - total) { PyErr_SetString(PyExc_ValueError, "weights"); goto out; }
            total += E->w[g];
            E->nw += (double)E->w[g];  /* in floats as the runs and the certifier read it */
        }
    }
    if (int_list(ranks, &E->rank, &E->m) < 0) goto out;
    if (int_list(cands, &E->cand, &E->ncand) < 0) goto out;
    if (int_list(init, &E->initial, &E->ninitial) < 0) goto out;
    int m = E->m;
    for (int i = 0; i < E->ninitial; i++)
        if (E->initial[i] < 0 || E->initial[i] >= m) { PyErr_SetString(PyExc_ValueError, "initial projects"); goto out; }
    {  /* the tie order: a permutation of 0..m-1 (the heap and the sorts by rank take equal ranks never to meet) */
        char *seen = xcalloc(m, 1);
        if (!seen) { PyErr_NoMemory(); goto out; }
        int bad = 0;
        for (int p = 0; p < m && !bad; p++) {
            bad = E->rank[p] < 0 || E->rank[p] >= m || seen[E->rank[p]];
            if (!bad) seen[E->rank[p]] = 1;
        }
        free(seen);
        if (bad) { PyErr_SetString(PyExc_ValueError, "ranks: not a permutation of the projects"); goto out; }
    }
    E->cost = xcalloc(m, sizeof(mpz_t));
    if (!E->cost) { PyErr_NoMemory(); goto out; }
    for (int p = 0; p < m; p++) mpz_init(E->cost[p]);  /* at once: Engine_dealloc clears m of them */
    PyObject *cf = PySequence_Fast(costs, "costs");
    if (!cf) goto out;
    if (PySequence_Fast_GET_SIZE(cf) != m) { Py_DECREF(cf); PyErr_SetString(PyExc_ValueError, "costs"); goto out; }
    for (int p = 0; p < m; p++)
        if (mpz_from_obj(E->cost[p], PySequence_Fast_GET_ITEM(cf, p)) < 0) { Py_DECREF(cf); goto out; }
    Py_DECREF(cf);
    E->dcost = xcalloc(m, sizeof(double));
    if (!E->dcost) { PyErr_NoMemory(); goto out; }
    for (int p = 0; p < m; p++) E->dcost[p] = mpz_get_d(E->cost[p]);  /* allocates nothing in GMP */
    if (!E->by_cost) {
        PyObject *uf = PySequence_Fast(uvals, "utility values");
        if (!uf) goto out;
        E->nu = (int)PySequence_Fast_GET_SIZE(uf);
        E->uval = xcalloc(E->nu, sizeof(mpq_t));
        if (!E->uval) { Py_DECREF(uf); PyErr_NoMemory(); goto out; }
        if (gmp_py_q_inits(E->uval[0], E->nu) < 0) { Py_DECREF(uf); goto out; }  /* zeroed: cleared whole */
        for (int i = 0; i < E->nu; i++)
            if (mpq_from_py(E->uval[i], PySequence_Fast_GET_ITEM(uf, i)) < 0) { Py_DECREF(uf); goto out; }
        Py_DECREF(uf);
        E->duval = xcalloc(E->nu, sizeof(double));
        if (!E->duval) { PyErr_NoMemory(); goto out; }
        gmp_oom_frame oom;  /* mpq_get_d of a huge value takes GMP memory */
        gmp_oom_enter(&oom, 0);
        if (setjmp(oom.env)) { gmp_oom_failed(&oom); goto out; }  /* not ready: Engine_dealloc frees it */
        for (int i = 0; i < E->nu; i++) E->duval[i] = mpq_get_d(E->uval[i]);
        gmp_oom_leave(&oom);
        E->width = E->nu > 0 ? E->nu : 1;
    } else {
        E->width = 1;
    }
    /* supporters, CSR, the candidates' only */
    if (ob.len != ((Py_ssize_t)m + 1) * 8) { PyErr_SetString(PyExc_ValueError, "supporters: offsets"); goto out; }
    const char *offs = ob.buf;
    Py_ssize_t S = gb.len / 4;
    int64_t prev = 0;
    for (int p = 0; p <= m; p++) {
        int64_t o;
        memcpy(&o, offs + (size_t)p * 8, 8);
        if (o < prev || o > S || (p == 0 && o != 0)) { PyErr_SetString(PyExc_ValueError, "supporters: offsets"); goto out; }
        prev = o;
    }
    is_cand = xcalloc(m, 1);
    E->sup_off = xcalloc(m + 1, sizeof(int));
    if (!is_cand || !E->sup_off) { PyErr_NoMemory(); goto out; }
    for (int i = 0; i < E->ncand; i++) {
        if (E->cand[i] < 0 || E->cand[i] >= m) { PyErr_SetString(PyExc_ValueError, "candidate out of range"); goto out; }
        /* a candidate costs something (rules.mes_candidates): a free one has no price (under Cost_Sat GMP would
         * divide by its zero utility and abort the process) */
        if (mpz_sgn(E->cost[E->cand[i]]) <= 0) { PyErr_SetString(PyExc_ValueError, "candidate without a cost"); goto out; }
        is_cand[E->cand[i]] = 1;
    }
    size_t total = 0;
    for (int p = 0; p < m; p++) {
        int64_t lo, hi;
        memcpy(&lo, offs + (size_t)p * 8, 8);
        memcpy(&hi, offs + (size_t)(p + 1) * 8, 8);
        if (is_cand[p]) total += (size_t)(hi - lo);
        E->sup_off[p + 1] = (int)total;
    }
    E->sup_g = xcalloc(total, sizeof(int));
    E->sup_u = xcalloc(total, sizeof(int));
    E->sup_w = xcalloc(total, sizeof(int64_t));
    E->sup_sum = xcalloc(m, sizeof(int64_t));
    if (!E->sup_g || !E->sup_u || !E->sup_w || !E->sup_sum) { PyErr_NoMemory(); goto out; }
    for (int p = 0; p < m; p++) {
        if (!is_cand[p]) continue;
        int64_t lo;
        memcpy(&lo, offs + (size_t)p * 8, 8);
        int n = E->sup_off[p + 1] - E->sup_off[p];
        memcpy(E->sup_g + E->sup_off[p], (const char *)gb.buf + lo * 4, (size_t)n * 4);
        if (!E->by_cost)
            for (int i = 0; i < n; i++) {
                int64_t u;
                memcpy(&u, (const char *)ub.buf + (lo + i) * 8, 8);
                if (u < 0 || u >= E->nu) { PyErr_SetString(PyExc_ValueError, "utility index out of range"); goto out; }
                E->sup_u[E->sup_off[p] + i] = (int)u;
            }
    }
    met_for = xcalloc(E->G, sizeof(int));
    if (!met_for) { PyErr_NoMemory(); goto out; }
    for (int p = 0; p < m; p++) {
        int64_t sum = 0;  /* (a local: E->sup_sum[p] would be read and written again at each supporter) */
        for (int i = E->sup_off[p]; i < E->sup_off[p + 1]; i++) {
            int g = E->sup_g[i];
            if (g < 0 || g >= E->G) { PyErr_SetString(PyExc_ValueError, "supporter out of range"); goto out; }
            /* each group once per project: so a project's supporters weigh at most the weights' total (< 2^62) */
            if (met_for[g] == p + 1) { PyErr_SetString(PyExc_ValueError, "supporters: a group twice for one project"); goto out; }
            met_for[g] = p + 1;
            E->sup_w[i] = E->w[g];
            sum += E->w[g];
        }
        E->sup_sum[p] = sum;
    }
    if (touching(E) < 0) { PyErr_NoMemory(); goto out; }
    E->ready = 1;
    r = 0;
out:
    free(is_cand);
    free(met_for);
    PyBuffer_Release(&wb); PyBuffer_Release(&ob); PyBuffer_Release(&gb);
    if (ub.obj) PyBuffer_Release(&ub);
    return r;
}


/* run(t, track=False, explain=False) -> (selected, t* as "n/d" or None, purchases or None)
 * GMP running out of memory in the run: MemoryError, the run freed (a kept Add1 run is taken out of the engine
 * before it changes: the next step starts afresh) and the engine as it was. In an explained run, a failure while a
 * purchase's record is being built leaves that record's lists unfreed (a leak bounded by one purchase). */
static PyObject *Engine_run(Engine *E, PyObject *args, PyObject *kw) {
    static char *kwlist[] = {"t", "track", "explain", NULL};
    const char *ts;
    int track = 0, explain = 0;
    if (!PyArg_ParseTupleAndKeywords(args, kw, "s|pp", kwlist, &ts, &track, &explain)) return NULL;
    if (!E->ready) { PyErr_SetString(PyExc_RuntimeError, "engine not initialised"); return NULL; }
    mpq_t t0;
    memset(t0, 0, sizeof(mpq_t));  /* safe to clear as it is */
    if (gmp_py_q_inits(t0, 1) < 0 || mpq_from_str(t0, ts) < 0) { mpq_clear(t0); return NULL; }
    PyObject *purchases = explain ? PyList_New(0) : NULL, *result = NULL;
    if (explain && !purchases) { mpq_clear(t0); return NULL; }
    Run *R = NULL;
    int ok = 0, resume = track && !explain && E->last && mpq_cmp(t0, E->last->t0) > 0;
    gmp_oom_frame oom = {.live = 0};
    if (resume) {  /* Add1's next step: from the first round of the last run that may change */
        R = E->last;
        E->last = NULL;
    } else if ((R = spare_run)) {
        spare_run = NULL;
        memset(R, 0, sizeof(Run));  /* zeroed: run_free reads nothing half-made */
    } else if (!(R = calloc(1, sizeof(Run)))) {  /* zeroed: run_free reads nothing half-made */
        PyErr_NoMemory();
        goto out;
    }
    /* R, t0, purchases and result are all set before the jump can come: run_free(R) after it is safe (see the
     * rules in gmp_oom.h); an explanation also builds Python lists in the run: python=1 */
    gmp_oom_enter(&oom, explain);
    if (setjmp(oom.env)) { gmp_oom_failed(&oom); goto out; }
    if (resume) ok = run_restart(R, t0) == 0 && run_count(R, NULL, 1) == 0;
    else ok = run_init(R, E, t0, track) == 0 && run_count(R, purchases, 0) == 0;
    gmp_oom_leave(&oom);
    if (!ok) { if (!PyErr_Occurred()) PyErr_NoMemory(); goto out; }
    PyObject *sel = PyList_New(R->nsel);
    if (!sel) goto out;
    for (int i = 0; i < R->nsel; i++) {
        PyObject *p = PyLong_FromLong(R->selected[i]);
        if (!p) { Py_DECREF(sel); goto out; }  /* items still NULL: the list's dealloc skips them */
        PyList_SET_ITEM(sel, i, p);
    }
    PyObject *tstar = R->has_tstar ? mpq_to_py(R->tstar) : (Py_INCREF(Py_None), Py_None);
    if (tstar) result = Py_BuildValue("(OOO)", sel, tstar, purchases ? purchases : Py_None);
    Py_DECREF(sel);
    Py_XDECREF(tstar);
out:
    gmp_oom_leave(&oom);
    if (R && result && track && !explain) {  /* kept for the next step */
        if (E->last) run_release(E->last);
        E->last = R;
    } else if (R) {
        run_release(R);
    }
    mpq_clear(t0);
    Py_XDECREF(purchases);
    return result;
}

/* release() -> whether there was any: lets go of what only the Add1 search reads (the last tracked run, kept to
 * restart from, and the certifier's state), the engine still counting: a count whose final run waits for its
 * explanation to be read keeps the engine, not those (Budapest 2024: ~68 MB of them) */
static PyObject *Engine_release(Engine *E, PyObject *Py_UNUSED(ignored)) {
    int held = E->last != NULL || E->cert != NULL;
    if (E->last) { run_release(E->last); E->last = NULL; }
    certifier_free(E->cert);
    E->cert = NULL;
    return PyBool_FromLong(held);
}

/* touching() -> per project, the candidates sharing a supporter with it (in the order kept; for tests) */
static PyObject *Engine_touching(Engine *E, PyObject *unused) {
    if (!E->ready) { PyErr_SetString(PyExc_RuntimeError, "engine not initialised"); return NULL; }
    PyObject *out = PyList_New(E->m);
    for (int p = 0; out && p < E->m; p++) {
        PyObject *l = PyList_New(E->tch_off[p + 1] - E->tch_off[p]);
        if (!l) { Py_CLEAR(out); break; }
        PyList_SET_ITEM(out, p, l);
        for (int i = E->tch_off[p]; i < E->tch_off[p + 1]; i++) {
            PyObject *q = PyLong_FromLong(E->tch[i]);
            if (!q) { Py_CLEAR(out); break; }
            PyList_SET_ITEM(l, i - E->tch_off[p], q);
        }
    }
    return out;
}

static PyMethodDef Engine_methods[] = {
    {"release", (PyCFunction)Engine_release, METH_NOARGS,
     "release() -> bool: lets go of the last tracked run and the certifier's state (what only the Add1 search reads); whether there was any."},
    {"touching", (PyCFunction)Engine_touching, METH_NOARGS,
     "touching() -> per project, the candidates sharing a supporter with it (for tests)."},
    {"run", (PyCFunction)(void (*)(void))Engine_run, METH_VARARGS | METH_KEYWORDS,
     "run(t, track=False, explain=False) -> (selected, t*, purchases): one exact MES count at start budget t per voter."},
    {"certify", (PyCFunction)(void (*)(void))Engine_certify, METH_VARARGS,
     "certify(ta, tb) -> selection or None: the outcome every start budget in [ta, tb] surely gives (mes_certify.c)."},
    {"certify_hint", (PyCFunction)Engine_certify_hint, METH_NOARGS,
     "certify_hint() -> float or None: after a certify that gave None, the share of its interval that may hold (a guess)."},
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


/* The switches tests turn on to reach paths that real sizes take only past a size: "force_screens" every float
 * screen on every price (mes_price.c), "touching_lists" the projects sharing a supporter found by lists, not bitsets. */
static const struct { const char *name; int *flag; } TEST_FLAGS[] = {
    {"force_screens", &mes_force_screens},
    {"touching_lists", &force_lists},
};

/* test_flag(name, on) -> what it was */
static PyObject *test_flag(PyObject *self, PyObject *args) {
    const char *name;
    int on;
    if (!PyArg_ParseTuple(args, "sp", &name, &on)) return NULL;
    for (size_t i = 0; i < sizeof TEST_FLAGS / sizeof TEST_FLAGS[0]; i++)
        if (strcmp(name, TEST_FLAGS[i].name) == 0) {
            int was = *TEST_FLAGS[i].flag;
            *TEST_FLAGS[i].flag = on;
            return PyBool_FromLong(was);
        }
    PyErr_Format(PyExc_ValueError, "no test flag %s", name);
    return NULL;
}

static PyMethodDef module_methods[] = {
    {"test_flag", test_flag, METH_VARARGS, "test_flag(name, on) -> bool, what it was: a switch for tests (force_screens, touching_lists)."},
    {"cert_peel", mes_cert_peel_test, METH_VARARGS, "cert_peel(items, cost, kind, r) -> float or None: tests check one float bound of Add1's certification."},
    {"merge", mes_merge, METH_VARARGS, "merge(ballots, index, score, k) -> (key -> weight, key -> voter ids, voters): identical ballots merged."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_mesnative", "pbtools' exact MES in C (GMP)", -1, module_methods};

PyMODINIT_FUNC PyInit__mesnative(void) {
    if (gmp_oom_import() < 0) return NULL;  /* GMP out of memory as MemoryError (gmp_oom.h) */
    if (PyType_Ready(&EngineType) < 0) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&EngineType);
    if (PyModule_AddObject(m, "Engine", (PyObject *)&EngineType) < 0) { Py_DECREF(&EngineType); Py_DECREF(m); return NULL; }
    return m;
}

