/* The compiled .pb reader's module: the VOTES section read in C (the hot loop of pbtools.counting.pabulib.reader),
 * and the module's functions (the META and PROJECTS rows: pb_rows.c).
 *
 * The rows come from the reader's own Rows (pb_rows.c: csv's tokenizer for the reader's dialect over the file's
 * bytes, lines counted as csv.reader.line_num counts them), and the voters are kept as arrays (CompactVotes), no
 * Python object per voter. Only the common case is decided here: every row the reader would refuse, and every
 * unusual cell (whitespace or non-ASCII at a cell's ends, duplicates, points that are not plain digits), is handed
 * to the Python reader's own functions (the hooks), so that the messages, and what is accepted, are defined once,
 * in Python.
 *
 * Plain C on the CPython API: no build requirement beyond a C compiler, so the optional build is simple to keep.
 */
#include "compile_cells.h"
#include "pb_ids.h"

enum mode { APPROVAL = 0, ORDINAL = 1, POINTS = 2 };

/* A (choice, points) pair holding only str and int (and None) can be in no reference cycle: taken off the cyclic
 * collector's lists (as CPython's own collector does with such tuples when it meets them), so that the many pairs
 * of a large file do not make every later collection scan them. */
static int atomic_tuple(PyObject *t) {
    if (t == Py_None) return 1;
    if (!PyTuple_CheckExact(t)) return 0;
    for (Py_ssize_t i = 0; i < PyTuple_GET_SIZE(t); i++) {
        PyObject *o = PyTuple_GET_ITEM(t, i);
        if (!PyUnicode_CheckExact(o) && !PyLong_CheckExact(o)) return 0;
    }
    return 1;
}

static void untrack_pair(PyObject *got, PyObject *choice, PyObject *points) {
    if (PyObject_GC_IsTracked(choice)) PyObject_GC_UnTrack(choice);
    if (points != Py_None && PyObject_GC_IsTracked(points)) PyObject_GC_UnTrack(points);
    if (PyObject_GC_IsTracked(got)) PyObject_GC_UnTrack(got);
}

/* a pair the Python reader made (the choice hook) */
static void untrack_cell(PyObject *got) {
    if (!PyTuple_CheckExact(got) || PyTuple_GET_SIZE(got) != 2) return;
    PyObject *choice = PyTuple_GET_ITEM(got, 0), *points = PyTuple_GET_ITEM(got, 1);
    if (atomic_tuple(choice) && atomic_tuple(points)) untrack_pair(got, choice, points);
}


/* (choice, points) for a vote cell in the common case; NULL without an error set = let Python decide. */
static PyObject *fast_choice(const char *v, Py_ssize_t n, const char *p, Py_ssize_t pn, int mode, Pids *pids) {
    if (mode == POINTS && (n == 0 || is_none(v, n) || pn == 0)) return NULL;
    PyObject *items[64];
    Py_ssize_t n_items = 0;
    pids_new_ballot(pids);
    if (n != 0 && !is_none(v, n)) {
        for (Py_ssize_t i = 0; i <= n; i++) {
            /* the item up to the next comma, its value read on the way in case it is a plain number */
            const char *item = v + i;
            uint64_t value = 0;
            int digits = 1;
            for (; i < n && v[i] != ','; i++) {
                unsigned d = (unsigned char)v[i] - '0';
                digits &= d <= 9;
                value = value * 10 + d;  /* unsigned: wraps harmlessly where not used (not digits, or too long) */
            }
            Py_ssize_t len = v + i - item, k;
            if (len == 0) continue;
            if (digits && pids->by_number && len <= 9 && (item[0] != '0' || len == 1)) {  /* plain_number's case */
                value -= (uint64_t)pids->base;  /* below base: wraps past size */
                k = value < (uint64_t)pids->size ? (Py_ssize_t)pids->by_number[value] - 1 : -1;
            } else {
                if (!plain_ends(item, len)) return NULL;
                k = pid_index(pids, item, len);
            }
            if (k < 0) return NULL;  /* not a project: the Python reader says so */
            if (pids->mark[k] == pids->round) {  /* equal ids have equal bytes, so the same project */
                if (mode != APPROVAL) return NULL; /* a ranking naming a project twice; points merged */
                continue;                          /* approval: dict.fromkeys keeps the first */
            }
            if (n_items == 64) return NULL; /* a very long ballot: the Python reader's way */
            pids->mark[k] = pids->round;
            items[n_items++] = pids->ids[k];  /* PROJECTS' own id string */
        }
    }
    PyObject *points = NULL;
    if (mode == POINTS) {
        Py_ssize_t count = 0, a = 0;
        long long values[64];
        for (Py_ssize_t i = 0; i <= pn; i++) {
            if (i < pn && p[i] != ',') continue;
            Py_ssize_t len = i - a;
            if (len == 0 || len > 18 || count >= n_items) return NULL;
            long long value = 0;
            for (Py_ssize_t j = a; j < i; j++) {
                if (p[j] < '0' || p[j] > '9') return NULL;
                value = value * 10 + (p[j] - '0');
            }
            values[count++] = value;
            a = i + 1;
        }
        if (count != n_items) return NULL;
        points = PyTuple_New(count);
        for (Py_ssize_t i = 0; points && i < count; i++) {
            PyObject *number = PyLong_FromLongLong(values[i]);
            if (!number) Py_CLEAR(points);
            else PyTuple_SET_ITEM(points, i, number);
        }
        if (!points) return NULL;
    } else {
        points = Py_None;
        Py_INCREF(points);
    }
    PyObject *choice = PyTuple_New(n_items);
    if (!choice) { Py_DECREF(points); return NULL; }
    for (Py_ssize_t i = 0; i < n_items; i++) {
        Py_INCREF(items[i]);
        PyTuple_SET_ITEM(choice, i, items[i]);
    }
    PyObject *got = PyTuple_Pack(2, choice, points);
    /* of str and int only, by construction: untracked without untrack_cell's look at each item */
    if (got) untrack_pair(got, choice, points);
    Py_DECREF(choice);
    Py_DECREF(points);
    return got;
}


static PyObject *call_hook(PyObject *hook, PyObject *arg, long line) {
    return PyObject_CallFunction(hook, "Ol", arg, line);
}


/* The VOTES loop: reads rows from where rows stands, up to the next section or the end. */
typedef struct {
    RowsObject *rows;
    PyObject *other_at, *projects, *hooks;
    Py_ssize_t width, i_id, i_vote, i_points;
    int mode;
} Args;

typedef struct {
    PyObject *cells;            /* the distinct (choice, points) pairs, in order of first use */
    Buf vkeys, vkeys_off;       /* the distinct voter cells (key_add's format), int64 offsets */
    Buf cell_of, voter_of;      /* int32 per voter */
    Buf ids, ids_off;           /* the stripped ids (UTF-8), int64 offsets (voters + 1) */
    IdSet seen;
    int32_t n;
} Compact;

/* the section row that ended VOTES (a new reference), Py_None at the end, NULL on an error */
static PyObject *votes_loop(Args *a, Compact *cp) {
    PyObject *odd_row = PyTuple_GET_ITEM(a->hooks, 0), *duplicate = PyTuple_GET_ITEM(a->hooks, 1),
             *python_choice = PyTuple_GET_ITEM(a->hooks, 2);
    Py_ssize_t width = a->width, i_id = a->i_id, i_vote = a->i_vote, i_points = a->i_points;
    int mode = a->mode;
    Py_ssize_t n_others = PyTuple_GET_SIZE(a->other_at);
    Py_ssize_t *others = PyMem_Malloc((n_others + 1) * sizeof(Py_ssize_t));
    if (!others) return PyErr_NoMemory();
    int bad = i_id < 0 || i_id >= width || i_vote < 0 || i_vote >= width || i_points >= width;  /* i_points -1: none */
    for (Py_ssize_t i = 0; i < n_others && !bad; i++) {
        others[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(a->other_at, i));
        bad = others[i] < 0 || others[i] >= width;
    }
    if (bad) {
        PyMem_Free(others);
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "column out of range");
        return NULL;
    }

    /* the project ids by their bytes: a vote's ids are PROJECTS' own strings, found without making one */
    Pids pids;
    cp->seen.rest = a->rows->t.len - a->rows->t.pos;
    if (pids_init(&pids, a->projects, cp->seen.rest) < 0) {
        pids_free(&pids);
        PyMem_Free(others);
        if (!PyErr_Occurred()) PyErr_NoMemory();
        return NULL;
    }
    Tokenizer *t = &a->rows->t;
    Map voters = {0}, cells = {0};
    Buf key = {0}, last = {0};  /* last: the voter cells of the row before, voter last_voter */
    Py_ssize_t last_voter = -1;
    PyObject *section = NULL;
    int failed = 1;
    int64_t zero = 0;
    if (buf_reserve(&key, 0) < 0 || buf_add(&cp->ids_off, &zero, 8) < 0 || buf_add(&cp->vkeys_off, &zero, 8) < 0) {
        PyErr_NoMemory();  /* (key.data is never NULL from here: a row of no other cell has an empty key) */
        goto done;
    }

    for (;;) {
        int r = next_row(t);
        if (r == 0) break;
        if (r < 0) { row_error(t, r); goto done; }
        if (t->nfields != width) {
            if (t->nfields == 0) continue;
            PyObject *row = row_list(t);
            if (!row) goto done;
            PyObject *verdict = call_hook(odd_row, row, t->line);
            Py_DECREF(row);
            if (!verdict) goto done;
            if (verdict == Py_None) { Py_DECREF(verdict); continue; }
            section = verdict;
            break;
        }
        /* the id's stripped bytes: as they are in the common case, else through str.strip */
        Py_ssize_t n;
        const char *raw = field(t, i_id, &n);
        PyObject *clean = NULL;
        const char *s = raw;
        Py_ssize_t sn = n;
        if (!plain_ends(raw, n)) {
            PyObject *cell = field_str(t, i_id);
            clean = cell ? PyObject_CallMethod(cell, "strip", NULL) : NULL;
            Py_XDECREF(cell);
            s = clean ? PyUnicode_AsUTF8AndSize(clean, &sn) : NULL;
            if (!s) { Py_XDECREF(clean); goto done; }
        }
        int dup = idset_add(&cp->seen, &cp->ids, &cp->ids_off, s, sn, cp->n);
        if (dup == 0) {
            int64_t end = (int64_t)(cp->ids.len + sn);
            if (buf_add(&cp->ids, s, sn) < 0 || buf_add(&cp->ids_off, &end, 8) < 0) dup = -1;
        }
        if (dup != 0) {
            if (dup == 1) {
                PyObject *vid = PyUnicode_DecodeUTF8(s, sn, "strict");
                PyObject *raised = vid ? call_hook(duplicate, vid, t->line) : NULL;
                Py_XDECREF(vid);
                Py_XDECREF(raised);
                if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "duplicate hook returned");
            } else {
                PyErr_NoMemory();
            }
            Py_XDECREF(clean);
            goto done;
        }
        Py_XDECREF(clean);
        /* the voter's other columns: voters with the same cells share one mapping, made when a ballot is asked for */
        key.len = 0;
        for (Py_ssize_t i = 0; i < n_others; i++) {
            Py_ssize_t fn;
            const char *f = field(t, others[i], &fn);
            if (key_add(&key, f, fn) < 0) { PyErr_NoMemory(); goto done; }
        }
        Py_ssize_t voter_idx = last_voter, cell_idx = 0;
        if (last_voter < 0 || key.len != last.len || memcmp(key.data, last.data, key.len) != 0) {  /* not as the row before */
            Py_hash_t h = hash_bytes(key.data, key.len);
            if (!map_get(&voters, key.data, key.len, h, &voter_idx)) {
                int64_t end = (int64_t)(cp->vkeys.len + key.len);
                voter_idx = voters.used;
                if (map_put(&voters, key.data, key.len, h, Py_None) < 0 || buf_add(&cp->vkeys, key.data, key.len) < 0 ||
                    buf_add(&cp->vkeys_off, &end, 8) < 0) { PyErr_NoMemory(); goto done; }
            }
            last.len = 0;
            if (buf_add(&last, key.data, key.len) < 0) { PyErr_NoMemory(); goto done; }
            last_voter = voter_idx;
        }
        /* (choice, points) of the vote (and points) cells, shared by equal cells: keyed by the vote cell's bytes
         * (an approval or ordinal file), or by both cells in key_add's format */
        Py_ssize_t vn, pn = 0, kn;
        const char *v = field(t, i_vote, &vn), *p = "", *k;
        if (i_points >= 0) p = field(t, i_points, &pn);
        if (mode == POINTS) {
            key.len = 0;
            if (key_add(&key, v, vn) < 0 || key_add(&key, p, pn) < 0) { PyErr_NoMemory(); goto done; }
            k = key.data, kn = key.len;
        } else {
            k = v, kn = vn;
        }
        Py_hash_t h = hash_bytes(k, kn);
        if (!map_get(&cells, k, kn, h, &cell_idx)) {
            PyObject *got = fast_choice(v, vn, p, pn, mode, &pids);
            if (!got && !PyErr_Occurred()) {
                PyObject *pair = Py_BuildValue("(s#s#)", v, vn, p, pn);
                got = pair ? call_hook(python_choice, pair, t->line) : NULL;
                Py_XDECREF(pair);
                if (got && (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 2)) {
                    PyErr_SetString(PyExc_TypeError, "choice hook: a (choice, points) pair");
                    Py_CLEAR(got);
                }
                if (got) untrack_cell(got);
            }
            if (!got) goto done;
            cell_idx = cells.used;
            int stored = map_put(&cells, k, kn, h, got) == 0 && PyList_Append(cp->cells, got) == 0;
            Py_DECREF(got);
            if (!stored) { if (!PyErr_Occurred()) PyErr_NoMemory(); goto done; }
        }
        int32_t ci = (int32_t)cell_idx, vi = (int32_t)voter_idx;
        if (buf_add(&cp->cell_of, &ci, 4) < 0 || buf_add(&cp->voter_of, &vi, 4) < 0) { PyErr_NoMemory(); goto done; }
        if (cp->n == INT32_MAX - 1) { PyErr_SetString(PyExc_OverflowError, "too many voters"); goto done; }
        cp->n++;
    }
    failed = 0;
done:
    map_free(&voters);
    map_free(&cells);
    pids_free(&pids);
    free(key.data);
    free(last.data);
    PyMem_Free(others);
    if (failed) { Py_XDECREF(section); return NULL; }
    if (!section) { section = Py_None; Py_INCREF(section); }
    return section;
}

/* read_votes_compact(rows, width, i_id, i_vote, i_points, other_at, mode, projects, hooks)
 *     -> (section row or None, (cells, cell_of, voter_cells, voter_cells_off, voter_of, ids, ids_off))
 * The VOTES rows from where rows (a Rows) stands, up to the next section's name (returned; rows stands after it) or
 * the end. hooks = (odd_row, duplicate, choice), the reader's Python functions. No Ballot: per voter only the index
 * of its (choice, points) pair in cells and of its other cells in voter_cells (int32 bytes; each distinct
 * combination as key_add writes it: per cell its length in LEB128 and its bytes), and its stripped id (UTF-8 in ids,
 * int64 offsets). */
static PyObject *read_votes_compact(PyObject *self, PyObject *args) {
    Args a = {0};
    if (!PyArg_ParseTuple(args, "O!nnnnO!iO!O!", &RowsType, &a.rows, &a.width, &a.i_id, &a.i_vote, &a.i_points,
                          &PyTuple_Type, &a.other_at, &a.mode, &PyDict_Type, &a.projects, &PyTuple_Type, &a.hooks))
        return NULL;
    if (PyTuple_GET_SIZE(a.hooks) != 3) { PyErr_SetString(PyExc_TypeError, "three hooks"); return NULL; }
    Compact cp;
    memset(&cp, 0, sizeof cp);
    cp.cells = PyList_New(0);
    PyObject *result = NULL, *section = NULL;
    if (cp.cells) section = votes_loop(&a, &cp);
    if (section) {
        PyObject *data = Py_BuildValue("(ONNNNNN)", cp.cells, bytes_of(cp.cell_of.data, cp.cell_of.len),
                                       bytes_of(cp.vkeys.data, cp.vkeys.len), bytes_of(cp.vkeys_off.data, cp.vkeys_off.len),
                                       bytes_of(cp.voter_of.data, cp.voter_of.len), bytes_of(cp.ids.data, cp.ids.len),
                                       bytes_of(cp.ids_off.data, cp.ids_off.len));
        if (data) result = Py_BuildValue("(NN)", section, data);
        else Py_DECREF(section);
    }
    Py_XDECREF(cp.cells);
    Buf *arrays[] = {&cp.vkeys, &cp.vkeys_off, &cp.cell_of, &cp.voter_of, &cp.ids, &cp.ids_off};
    for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) free(arrays[i]->data);
    idset_free(&cp.seen);
    return result;
}

/* utf8_valid(data) -> whether Python's strict UTF-8 decoder takes the bytes (the reader then says where not) */
static PyObject *utf8_valid_py(PyObject *self, PyObject *arg) {
    if (!PyBytes_Check(arg)) { PyErr_SetString(PyExc_TypeError, "bytes"); return NULL; }
    return PyBool_FromLong(utf8_valid((const unsigned char *)PyBytes_AS_STRING(arg), PyBytes_GET_SIZE(arg)));
}

static PyMethodDef methods[] = {
    {"read_votes_compact", read_votes_compact, METH_VARARGS, "The VOTES rows as arrays, no Ballot per voter (see reader.py)."},
    {"utf8_valid", utf8_valid_py, METH_O, "Whether bytes are valid UTF-8 as Python's strict decoder reads it."},
    {"read_head", read_head, METH_O, "META and PROJECTS in the common layout in one call (see reader.py)."},
    {"compile_cells", compile_cells, METH_VARARGS, "Identical ballots of a compact read merged (see profile.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pbnative", "pbtools' compiled counting core", -1, methods};

PyMODINIT_FUNC PyInit__pbnative(void) {
    if (PyType_Ready(&RowsType) < 0) return NULL;
    PyObject *csv = PyImport_ImportModule("_csv");
    if (!csv) return NULL;
    CsvError = PyObject_GetAttrString(csv, "Error");
    Py_DECREF(csv);
    if (!CsvError) return NULL;
    PyObject *m = PyModule_Create(&module);
    if (!m) return NULL;
    Py_INCREF(&RowsType);
    if (PyModule_AddObject(m, "Rows", (PyObject *)&RowsType) < 0) { Py_DECREF(&RowsType); Py_DECREF(m); return NULL; }
    return m;
}
