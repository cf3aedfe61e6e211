/* Identical ballots merged in C: the loop of pbtools.counting.profile.compile_election (its Python twin, _merge,
 * is the reference; tests compare the two on every real election). */
#include "mes.h"
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
PyObject *mes_merge(PyObject *self, PyObject *args) {
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

