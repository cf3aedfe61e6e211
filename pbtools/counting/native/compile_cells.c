/* Identical ballots of a compact read merged in C: pbtools.counting.profile.compile_election without a Python object
 * per voter or per group.
 *
 * A compact read (_pbnative.read_votes_compact) gives the distinct (choice, points) cells and, per voter, the index
 * of its cell. Each cell's key is made as profile._merge makes a ballot's (sorted (project index, utility) pairs:
 * utility 1 under "support", the points under "points", k - position under "borda"); cells with equal keys are one
 * group, numbered in order of first use (the voters' order, as _merge's dict). Everything comes back as arrays:
 *
 *   weights int64[G]; g_off int64[G+1], g_proj int32[E], g_util int64[E] (each group's key);
 *   cell_group int32[cells]; support int64[m] (voters with the project on their ballot);
 *   total int64[m] (Σ weight·utility over positive utilities); s_off int64[m+1], s_grp int32[S], s_util int64[S]
 *   (each project's groups with a positive utility, in group order), n (voters).
 *
 * None when a case is not this code's to decide (points that are not 64-bit integers, a project twice in one cell,
 * a sum over 2^63): the caller then merges the ballots in Python, with the same result. */
#include "compile_cells.h"

typedef struct { int32_t p; int64_t u; } Item;

static int item_cmp(const void *a, const void *b) {
    const Item *x = a, *y = b;
    if (x->p != y->p) return x->p < y->p ? -1 : 1;
    return x->u < y->u ? -1 : x->u > y->u;
}

typedef struct { Item *data; Py_ssize_t len, cap; } Items;

static int items_reserve(Items *v, Py_ssize_t n) {
    if (v->len + n <= v->cap) return 0;
    Py_ssize_t cap = v->cap ? v->cap : 1024;
    while (v->len + n > cap) cap *= 2;
    Item *grown = realloc(v->data, cap * sizeof(Item));
    if (!grown) return -1;
    v->data = grown;
    v->cap = cap;
    return 0;
}

static uint64_t key_hash(const Item *it, Py_ssize_t n) {
    uint64_t h = 1469598103934665603ull ^ (uint64_t)n;
    for (Py_ssize_t i = 0; i < n; i++) {
        h = (h ^ (uint64_t)(uint32_t)it[i].p) * 1099511628211ull;
        h = (h ^ (uint64_t)it[i].u) * 1099511628211ull;
        h ^= h >> 29;
    }
    return h;
}

static int same_key(const Item *a, const Item *b, Py_ssize_t n) {  /* field by field: Item has padding */
    for (Py_ssize_t i = 0; i < n; i++)
        if (a[i].p != b[i].p || a[i].u != b[i].u) return 0;
    return 1;
}

#define FALLBACK 1

/* The index dict's keys by address: a compact read's cells hold PROJECTS' own id strings (the same objects), so
 * most ids are found without a dict lookup; any other string is looked up in the dict. */
typedef struct { PyObject **key; int32_t *value; size_t cap; int shift; } PtrMap;

static size_t ptr_slot(const PtrMap *pm, PyObject *o) {
    /* the product's high bits (its low ones repeat those of the address: strings of one size sit at a fixed stride,
     * and most of them fell on a quarter of the slots) */
    size_t j = (size_t)((((uintptr_t)o >> 4) * 11400714819323198485ull) >> pm->shift);
    while (pm->key[j] && pm->key[j] != o) j = (j + 1) & (pm->cap - 1);
    return j;
}

static long project_index(PtrMap *pm, PyObject *index, PyObject *pid) {
    size_t j = ptr_slot(pm, pid);
    if (pm->key[j]) return pm->value[j];
    PyObject *idx = PyDict_GetItemWithError(index, pid);
    if (!idx) { if (!PyErr_Occurred()) PyErr_SetObject(PyExc_KeyError, pid); return -1; }
    return PyLong_AsLong(idx);
}

static void sort_items(Item *it, Py_ssize_t n) {  /* ballots are short: insertion sort, qsort past 32 */
    if (n > 32) { qsort(it, n, sizeof(Item), item_cmp); return; }
    for (Py_ssize_t i = 1; i < n; i++) {
        Item x = it[i];
        Py_ssize_t j = i;
        while (j > 0 && item_cmp(&it[j - 1], &x) > 0) { it[j] = it[j - 1]; j--; }
        it[j] = x;
    }
}

/* Items put in project order through a bitset of the m projects (each project's bit, its utility beside it): a
 * ballot holds distinct projects, so this is the sort by (project, utility), without comparisons (Warsaw's ballots
 * of 10-15 projects in ballot order spent a third of the merge in the insertion sort). 1: a project twice (not
 * from the reader: the caller falls back), 0: sorted. */
typedef struct { uint64_t *bits; int64_t *u; Py_ssize_t m; } Order;

static int order_items(Order *o, Item *it, Py_ssize_t n) {
    Py_ssize_t wlo = PY_SSIZE_T_MAX, whi = -1;
    int twice = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        Py_ssize_t w = it[i].p >> 6;
        uint64_t bit = (uint64_t)1 << (it[i].p & 63);
        if (o->bits[w] & bit) twice = 1;
        o->bits[w] |= bit;
        o->u[it[i].p] = it[i].u;
        if (w < wlo) wlo = w;
        if (w > whi) whi = w;
    }
    Py_ssize_t j = 0;
    for (Py_ssize_t w = wlo; w <= whi; w++) {
        for (uint64_t x = o->bits[w]; x; x &= x - 1) {
            int32_t p = (int32_t)(w * 64 + __builtin_ctzll(x));
            it[j].p = p;
            it[j++].u = o->u[p];
        }
        o->bits[w] = 0;
    }
    return twice;
}

/* the sorted key of one cell into keys (appended); FALLBACK when not ours to decide, -1 on error */
static int cell_key(PyObject *cell, PyObject *index, PtrMap *pm, Order *order, int kind, long k, Items *keys, Py_ssize_t *n_out) {
    if (!PyTuple_Check(cell) || PyTuple_GET_SIZE(cell) != 2) { PyErr_SetString(PyExc_TypeError, "cell"); return -1; }
    PyObject *choice = PyTuple_GET_ITEM(cell, 0), *points = PyTuple_GET_ITEM(cell, 1);
    if (!PyTuple_Check(choice)) { PyErr_SetString(PyExc_TypeError, "choice"); return -1; }
    Py_ssize_t n = PyTuple_GET_SIZE(choice);
    if (kind == 1 && points != Py_None) {
        if (!PyTuple_Check(points)) { PyErr_SetString(PyExc_TypeError, "points"); return -1; }
        if (PyTuple_GET_SIZE(points) < n) n = PyTuple_GET_SIZE(points);  /* zip stops at the shorter */
    }
    if (items_reserve(keys, n) < 0) { PyErr_NoMemory(); return -1; }
    Item *it = keys->data + keys->len;
    for (Py_ssize_t i = 0; i < n; i++) {
        long p = project_index(pm, index, PyTuple_GET_ITEM(choice, i));
        if (p == -1 && PyErr_Occurred()) return -1;
        it[i].p = (int32_t)p;
        if (kind == 0) it[i].u = 1;
        else if (kind == 2) it[i].u = (int64_t)k - (int64_t)i;
        else if (points == Py_None) it[i].u = 1;
        else {
            PyObject *v = PyTuple_GET_ITEM(points, i);
            if (!PyLong_CheckExact(v)) return FALLBACK;  /* a Fraction: the Python merge */
            int overflow = 0;
            long long u = PyLong_AsLongLongAndOverflow(v, &overflow);
            if (overflow || (u == -1 && PyErr_Occurred())) { PyErr_Clear(); return FALLBACK; }
            it[i].u = u;
        }
    }
    int in_range = 1;
    for (Py_ssize_t i = 0; i < n; i++)
        if (it[i].p < 0 || it[i].p >= order->m) in_range = 0;
    if (in_range) {
        if (order_items(order, it, n)) return FALLBACK;  /* a project twice: not from the reader */
    } else {  /* the caller says which project is out of range */
        sort_items(it, n);
        for (Py_ssize_t i = 1; i < n; i++)
            if (it[i].p == it[i - 1].p) return FALLBACK;
    }
    *n_out = n;
    return 0;
}

static int add_over(int64_t *acc, int64_t x) { return __builtin_add_overflow(*acc, x, acc); }

/* a bytes object of n bytes to be filled (the arrays returned are written in place, not copied: on Cambridge the
 * copies and their fresh pages were a fifth of the call); *at its buffer */
static PyObject *bytes_new(Py_ssize_t n, void *at) {
    PyObject *b = PyBytes_FromStringAndSize(NULL, n);
    if (b) *(char **)at = PyBytes_AS_STRING(b);
    return b;
}

/* compile_cells(cells, cell_of, index, score, k, m, totals=False) -> the arrays above, or None.
 * totals: only (support, total, n), without merging (what greedy reads; None in the same cases, the same errors). */
PyObject *compile_cells(PyObject *self, PyObject *args) {
    PyObject *cells, *index;
    Py_buffer cell_of;
    const char *score;
    long k;
    Py_ssize_t m;
    int totals_only = 0, over = 0;
    if (!PyArg_ParseTuple(args, "O!y*O!sln|p", &PyList_Type, &cells, &cell_of, &PyDict_Type, &index, &score, &k, &m, &totals_only))
        return NULL;
    int kind = strcmp(score, "support") == 0 ? 0 : strcmp(score, "points") == 0 ? 1 : 2;
    Py_ssize_t nc = PyList_GET_SIZE(cells), nv = cell_of.len / 4;
    const int32_t *voter_cell = cell_of.buf;
    PyObject *result = NULL;
    Items keys = {0};
    PtrMap pm = {NULL, NULL, 16, 60};  /* 16 slots (a product's top 4 bits), grown below to 4x the projects */
    Py_ssize_t *koff = malloc((nc + 1) * sizeof(Py_ssize_t));   /* each cell's key in keys */
    int32_t *cell_group = malloc((nc ? nc : 1) * sizeof(int32_t));
    int64_t *cell_n = calloc(nc ? nc : 1, sizeof(int64_t));
    int32_t *group_cell = malloc((nc ? nc : 1) * sizeof(int32_t));  /* a group's first cell (its key) */
    int64_t *weights = calloc(nc ? nc : 1, sizeof(int64_t));
    size_t cap = 16;
    while (cap < (size_t)nc * 2) cap *= 2;
    int32_t *table = malloc(cap * sizeof(int32_t));  /* open addressing: group indices */
    uint64_t *ghash = malloc((nc ? nc : 1) * sizeof(uint64_t));
    int64_t *support = calloc(m ? m : 1, sizeof(int64_t)), *total = calloc(m ? m : 1, sizeof(int64_t));
    Order order = {calloc(m / 64 + 1, sizeof(uint64_t)), malloc((m ? m : 1) * sizeof(int64_t)), m};
    int64_t *g_off = NULL, *s_off = NULL, *g_util = NULL, *s_util = NULL;
    int32_t *g_proj = NULL, *s_grp = NULL, *fill = NULL;
    PyObject *b_off = NULL, *b_proj = NULL, *b_util = NULL, *b_soff = NULL, *b_grp = NULL, *b_sutil = NULL;
    if (!koff || !cell_group || !cell_n || !group_cell || !weights || !table || !ghash || !support || !total || !order.bits || !order.u) {
        PyErr_NoMemory();
        goto out;
    }
    for (size_t j = 0; j < cap; j++) table[j] = -1;
    if (!totals_only) {  /* every cell's items at once: no copy of them as the array grows */
        Py_ssize_t all = 0;
        for (Py_ssize_t c = 0; c < nc; c++) {
            PyObject *cell = PyList_GET_ITEM(cells, c);
            if (PyTuple_Check(cell) && PyTuple_GET_SIZE(cell) == 2 && PyTuple_Check(PyTuple_GET_ITEM(cell, 0)))
                all += PyTuple_GET_SIZE(PyTuple_GET_ITEM(cell, 0));
        }
        if (items_reserve(&keys, all) < 0) { PyErr_NoMemory(); goto out; }
    }
    while (pm.cap < (size_t)PyDict_GET_SIZE(index) * 4) { pm.cap *= 2; pm.shift--; }
    pm.key = calloc(pm.cap, sizeof(PyObject *));
    pm.value = calloc(pm.cap, sizeof(int32_t));
    if (!pm.key || !pm.value) { PyErr_NoMemory(); goto out; }
    {
        PyObject *pid, *idx;
        Py_ssize_t i = 0;
        while (PyDict_Next(index, &i, &pid, &idx)) {
            long v = PyLong_AsLong(idx);
            if (v == -1 && PyErr_Occurred()) goto out;
            size_t j = ptr_slot(&pm, pid);
            pm.key[j] = pid;  /* borrowed: the dict holds it for the call */
            pm.value[j] = (int32_t)v;
        }
    }
    for (Py_ssize_t v = 0; v < nv; v++) {
        if (voter_cell[v] < 0 || voter_cell[v] >= nc) { PyErr_SetString(PyExc_ValueError, "cell out of range"); goto out; }
        cell_n[voter_cell[v]]++;
    }
    int32_t G = 0;
    koff[0] = 0;
    for (Py_ssize_t c = 0; c < nc; c++) {
        Py_ssize_t n = 0;
        int r = cell_key(PyList_GET_ITEM(cells, c), index, &pm, &order, kind, k, &keys, &n);
        if (r < 0) goto out;
        if (r == FALLBACK) goto python_merge;
        Item *it = keys.data + keys.len;
        for (Py_ssize_t i = 0; i < n; i++)
            if (it[i].p < 0 || it[i].p >= m) { PyErr_SetString(PyExc_ValueError, "project out of range"); goto out; }
        if (totals_only) {  /* the sums of the groups below, cell by cell (all terms positive: the same overflows) */
            for (Py_ssize_t i = 0; i < n; i++) {
                int64_t wu;
                over |= add_over(&support[it[i].p], cell_n[c]);
                if (it[i].u > 0) over |= __builtin_mul_overflow(cell_n[c], it[i].u, &wu) || add_over(&total[it[i].p], wu);
            }
            continue;  /* its items not kept */
        }
        uint64_t h = key_hash(it, n);
        size_t j = (size_t)h & (cap - 1);
        int32_t g = -1;
        while (table[j] >= 0) {
            int32_t cand = table[j];
            int32_t c0 = group_cell[cand];
            if (ghash[cand] == h && koff[c0 + 1] - koff[c0] == n && same_key(keys.data + koff[c0], it, n)) {
                g = cand;
                break;
            }
            j = (j + 1) & (cap - 1);
        }
        if (g < 0) {
            g = G++;
            table[j] = g;
            group_cell[g] = (int32_t)c;
            ghash[g] = h;
        }
        cell_group[c] = g;
        keys.len += n;
        koff[c + 1] = keys.len;
        if (add_over(&weights[g], cell_n[c])) goto python_merge;
    }
    if (totals_only) {
        if (over) goto python_merge;
        result = Py_BuildValue("(NNn)", bytes_of(support, m * 8), bytes_of(total, m * 8), nv);
        goto out;
    }
    /* the groups' keys, CSR; support and totals */
    Py_ssize_t E = 0;
    for (int32_t g = 0; g < G; g++) E += koff[group_cell[g] + 1] - koff[group_cell[g]];
    b_off = bytes_new(((Py_ssize_t)G + 1) * 8, &g_off);
    b_proj = bytes_new(E * 4, &g_proj);
    b_util = bytes_new(E * 8, &g_util);
    b_soff = bytes_new((m + 1) * 8, &s_off);
    if (!b_off || !b_proj || !b_util || !b_soff) goto out;
    memset(s_off, 0, (m + 1) * 8);
    Py_ssize_t e = 0, S = 0;
    g_off[0] = 0;
    for (int32_t g = 0; g < G; g++) {
        int32_t c0 = group_cell[g];
        for (Py_ssize_t i = koff[c0]; i < koff[c0 + 1]; i++, e++) {
            Item it = keys.data[i];
            g_proj[e] = it.p;
            g_util[e] = it.u;
            if (add_over(&support[it.p], weights[g])) goto python_merge;
            if (it.u > 0) {
                int64_t wu;
                if (__builtin_mul_overflow(weights[g], it.u, &wu) || add_over(&total[it.p], wu)) goto python_merge;
                s_off[it.p + 1]++;
                S++;
            }
        }
        g_off[g + 1] = e;
    }
    for (Py_ssize_t p = 0; p < m; p++) s_off[p + 1] += s_off[p];
    b_grp = bytes_new(S * 4, &s_grp);
    b_sutil = bytes_new(S * 8, &s_util);
    fill = calloc(m ? m : 1, sizeof(int32_t));
    if (!b_grp || !b_sutil) goto out;
    if (!fill) { PyErr_NoMemory(); goto out; }
    for (int32_t g = 0; g < G; g++)
        for (int64_t i = g_off[g]; i < g_off[g + 1]; i++) {
            if (g_util[i] <= 0) continue;
            int32_t p = g_proj[i];
            int64_t at = s_off[p] + fill[p]++;
            s_grp[at] = g;
            s_util[at] = g_util[i];
        }
    result = Py_BuildValue("(NOOONNNOOOn)", bytes_of(weights, (Py_ssize_t)G * 8), b_off, b_proj, b_util, bytes_of(cell_group, nc * 4),
                           bytes_of(support, m * 8), bytes_of(total, m * 8), b_soff, b_grp, b_sutil, nv);
    goto out;
python_merge:  /* not this code's to decide (see the top): None */
    Py_INCREF(Py_None);
    result = Py_None;
out:
    Py_XDECREF(b_off); Py_XDECREF(b_proj); Py_XDECREF(b_util); Py_XDECREF(b_soff); Py_XDECREF(b_grp); Py_XDECREF(b_sutil);
    PyBuffer_Release(&cell_of);
    free(keys.data); free(koff); free(cell_group); free(cell_n); free(group_cell); free(weights); free(table);
    free(ghash); free(support); free(total); free(fill); free(pm.key); free(pm.value); free(order.bits); free(order.u);
    return result;
}
