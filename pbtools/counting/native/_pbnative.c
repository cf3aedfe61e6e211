/* The VOTES section of a Pabulib .pb file, read in C: the hot loop of pbtools.counting.pabulib.reader.
 *
 * It tokenizes exactly as Python's csv module does for the reader's dialect (delimiter ';', quote '"', doubled
 * quotes, non-strict, lines split at \n, \r\n and a lone \r as io.StringIO(newline="") does), counts lines as
 * csv.reader.line_num does, and builds the same Ballot objects. Only the common case is decided here: every row
 * the reader would refuse, and every unusual cell (whitespace or non-ASCII at a cell's ends, duplicates, points
 * that are not plain digits), is handed to the Python reader's own functions (the hooks), so that the messages,
 * and what is accepted, are defined once, in Python.
 *
 * Plain C on the CPython API: no build requirement beyond a C compiler, so the optional build is simple to keep.
 */
#include "pb_scan.h"

PyObject *compile_cells(PyObject *self, PyObject *args);  /* compile_cells.c */

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

static void untrack_cell(PyObject *got) {
    if (!PyTuple_CheckExact(got) || PyTuple_GET_SIZE(got) != 2) return;
    PyObject *choice = PyTuple_GET_ITEM(got, 0), *points = PyTuple_GET_ITEM(got, 1);
    if (!atomic_tuple(choice) || !atomic_tuple(points)) return;
    if (PyObject_GC_IsTracked(choice)) PyObject_GC_UnTrack(choice);
    if (points != Py_None && PyObject_GC_IsTracked(points)) PyObject_GC_UnTrack(points);
    if (PyObject_GC_IsTracked(got)) PyObject_GC_UnTrack(got);
}

/* (choice, points) for a vote cell in the common case; NULL without an error set = let Python decide. */
static PyObject *fast_choice(const char *v, Py_ssize_t n, const char *p, Py_ssize_t pn, int mode, Map *pids) {
    if (mode == POINTS && (n == 0 || is_none(v, n) || pn == 0)) return NULL;
    struct { const char *at; Py_ssize_t len; } items[64];
    Py_ssize_t n_items = 0;
    PyObject *ids = PyList_New(0);
    if (!ids) return NULL;
    if (n != 0 && !is_none(v, n)) {
        Py_ssize_t a = 0;
        for (Py_ssize_t i = 0; i <= n; i++) {
            if (i < n && v[i] != ',') continue;
            Py_ssize_t len = i - a;
            const char *item = v + a;
            a = i + 1;
            if (len == 0) continue;
            if (!plain_ends(item, len)) goto python;
            int seen = 0; /* equal ids have equal bytes: compared before any string is made */
            for (Py_ssize_t j = 0; j < n_items && !seen; j++)
                seen = items[j].len == len && memcmp(items[j].at, item, len) == 0;
            if (seen) {
                if (mode != APPROVAL) goto python; /* a ranking naming a project twice; points merged */
                continue;                          /* approval: dict.fromkeys keeps the first */
            }
            if (n_items == 64) goto python; /* a very long ballot: the Python reader's way */
            items[n_items].at = item;
            items[n_items++].len = len;
            Py_ssize_t at;
            PyObject *id = map_get(pids, item, len, hash_bytes(item, len), &at);  /* PROJECTS' own id string */
            if (!id) goto python;  /* not a project: the Python reader says so */
            if (PyList_Append(ids, id) < 0) goto error;
        }
    }
    PyObject *choice = PyList_AsTuple(ids);
    Py_DECREF(ids);
    if (!choice) return NULL;
    PyObject *points = NULL;
    if (mode == POINTS) {
        Py_ssize_t k = PyTuple_GET_SIZE(choice), count = 0, a = 0;
        points = PyTuple_New(k);
        if (!points) { Py_DECREF(choice); return NULL; }
        for (Py_ssize_t i = 0; i <= pn; i++) {
            if (i < pn && p[i] != ',') continue;
            Py_ssize_t len = i - a;
            if (len == 0 || len > 18 || count >= k) goto python_points;
            long long value = 0;
            for (Py_ssize_t j = a; j < i; j++) {
                if (p[j] < '0' || p[j] > '9') goto python_points;
                value = value * 10 + (p[j] - '0');
            }
            PyObject *number = PyLong_FromLongLong(value);
            if (!number) { Py_DECREF(choice); Py_DECREF(points); return NULL; }
            PyTuple_SET_ITEM(points, count++, number);
            a = i + 1;
        }
        if (count != k) goto python_points;
    } else {
        points = Py_None;
        Py_INCREF(points);
    }
    PyObject *got = PyTuple_Pack(2, choice, points);
    Py_DECREF(choice);
    Py_DECREF(points);
    if (got) untrack_cell(got);
    return got;
python_points:
    Py_DECREF(choice);
    Py_DECREF(points);
    return NULL;
python:
    Py_DECREF(ids);
    return NULL;
error:
    Py_DECREF(ids);
    return NULL;
}


static PyObject *call_hook(PyObject *hook, PyObject *arg, long line) {
    return PyObject_CallFunction(hook, "Ol", arg, line);
}

/* Growable arrays of what a compact read keeps per voter (no Python object per voter). */
typedef struct { char *data; Py_ssize_t len, cap; } Buf;

static int buf_add(Buf *b, const void *src, Py_ssize_t n) {
    if (b->len + n > b->cap) {
        Py_ssize_t cap = b->cap ? b->cap : 4096;
        while (b->len + n > cap) cap *= 2;
        char *grown = realloc(b->data, cap);
        if (!grown) return -1;
        b->data = grown;
        b->cap = cap;
    }
    memcpy(b->data + b->len, src, n);
    b->len += n;
    return 0;
}

/* The voter ids seen (a compact read): voter i's stripped id is ids[off[i] : off[i + 1]]; the set holds voter
 * indices, keyed by the id's bytes with CPython's randomized hash (equal str <=> equal UTF-8 bytes). */
typedef struct { Py_hash_t *hash; int32_t *voter; Py_ssize_t cap, used; } IdSet;

/* 1 if the id (bytes s, n) was seen, else adds voter v and returns 0; -1 out of memory */
static int idset_add(IdSet *set, Buf *ids, Buf *off, const char *s, Py_ssize_t n, int32_t v) {
    if ((set->used + 1) * 2 > set->cap) {
        Py_ssize_t cap = set->cap ? set->cap * 2 : 4096, old_cap = set->cap;
        Py_hash_t *hash = malloc(cap * sizeof(Py_hash_t));
        int32_t *voter = malloc(cap * sizeof(int32_t));
        if (!hash || !voter) { free(hash); free(voter); return -1; }
        for (Py_ssize_t i = 0; i < cap; i++) voter[i] = -1;
        for (Py_ssize_t i = 0; i < old_cap; i++) {
            if (set->voter[i] < 0) continue;
            size_t j = (size_t)set->hash[i] & (size_t)(cap - 1);
            while (voter[j] >= 0) j = (j + 1) & (size_t)(cap - 1);
            hash[j] = set->hash[i];
            voter[j] = set->voter[i];
        }
        free(set->hash);
        free(set->voter);
        set->hash = hash;
        set->voter = voter;
        set->cap = cap;
    }
    Py_hash_t h = hash_bytes(s, n);
    const int64_t *offs = (const int64_t *)off->data;
    size_t j = (size_t)h & (size_t)(set->cap - 1);
    while (set->voter[j] >= 0) {
        int32_t w = set->voter[j];
        if (set->hash[j] == h && offs[w + 1] - offs[w] == n && memcmp(ids->data + offs[w], s, n) == 0) return 1;
        j = (j + 1) & (size_t)(set->cap - 1);
    }
    set->hash[j] = h;
    set->voter[j] = v;
    set->used++;
    return 0;
}

/* The VOTES loop shared by read_votes (a Ballot per voter) and read_votes_compact (arrays). */
typedef struct {
    PyObject *text, *other_at, *projects, *ballot_type, *ballots, *hooks;
    Py_ssize_t start, width, i_id, i_vote, i_points;
    long line, field_limit;
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

static PyObject *votes_loop(Args *a, Compact *cp) {
    PyObject *odd_row = PyTuple_GET_ITEM(a->hooks, 0), *duplicate = PyTuple_GET_ITEM(a->hooks, 1),
             *make_voter = PyTuple_GET_ITEM(a->hooks, 2), *python_choice = PyTuple_GET_ITEM(a->hooks, 3),
             *csv_error = PyTuple_GET_ITEM(a->hooks, 4);
    Py_ssize_t width = a->width, i_id = a->i_id, i_vote = a->i_vote, i_points = a->i_points;
    long field_limit = a->field_limit;
    int mode = a->mode;
    Py_ssize_t n_others = PyTuple_GET_SIZE(a->other_at);
    Py_ssize_t *others = PyMem_Malloc((n_others + 1) * sizeof(Py_ssize_t));
    if (!others) return PyErr_NoMemory();
    for (Py_ssize_t i = 0; i < n_others; i++) {
        others[i] = PyLong_AsSsize_t(PyTuple_GET_ITEM(a->other_at, i));
        if (others[i] < 0 || others[i] >= width) {
            PyMem_Free(others);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "column out of range");
            return NULL;
        }
    }
    if (i_id < 0 || i_id >= width || i_vote < 0 || i_vote >= width || i_points >= width) {
        PyMem_Free(others);
        PyErr_SetString(PyExc_ValueError, "column out of range");
        return NULL;
    }
    Py_ssize_t len;
    const char *buf = PyUnicode_AsUTF8AndSize(a->text, &len);
    if (!buf) { PyMem_Free(others); return NULL; }
    /* character offset -> byte offset */
    Py_ssize_t pos = 0;
    if (PyUnicode_IS_ASCII(a->text)) {
        pos = a->start;
    } else {
        for (Py_ssize_t chars = 0; pos < len && chars < a->start; chars++) {
            unsigned char c = buf[pos];
            pos += c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
        }
    }
    if (pos > len) pos = len;
    if (pos < 0) pos = 0;

    /* the project ids by their bytes: a vote's ids are PROJECTS' own strings, found without making one */
    Map pids = {NULL, 0, 0};
    {
        PyObject *pid, *value;
        Py_ssize_t i = 0;
        while (PyDict_Next(a->projects, &i, &pid, &value)) {
            Py_ssize_t n;
            const char *s = PyUnicode_Check(pid) ? PyUnicode_AsUTF8AndSize(pid, &n) : NULL;
            if (!s || map_put(&pids, s, n, hash_bytes(s, n), pid) < 0) {
                map_free(&pids);
                PyMem_Free(others);
                if (!PyErr_Occurred()) PyErr_NoMemory();
                return NULL;
            }
        }
    }
    Tokenizer t = {buf, len, pos, a->line, field_limit, NULL, 0, 0, NULL, 0, 0, 0, 0, START_RECORD};
    t.starts = malloc(16 * sizeof(Py_ssize_t));
    t.fields_cap = 16;
    PyObject *voter_ids = cp ? NULL : PySet_New(NULL);
    Map voters = {NULL, 0, 0}, cells = {NULL, 0, 0};
    char *key = NULL;
    Py_ssize_t key_len = 0, key_cap = 0;
    PyObject *result = NULL, *section = NULL;
    if (!t.starts || (!cp && !voter_ids)) { PyErr_NoMemory(); goto done; }
    if (cp) {
        int64_t zero = 0;
        if (buf_add(&cp->ids_off, &zero, 8) < 0 || buf_add(&cp->vkeys_off, &zero, 8) < 0) { PyErr_NoMemory(); goto done; }
    }

    for (;;) {
        int r = next_row(&t);
        if (r == 0) break;
        if (r == -1) { PyErr_NoMemory(); goto done; }
        if (r == -2) {
            PyObject *message = PyUnicode_FromFormat("field larger than field limit (%ld)", field_limit);
            PyObject *raised = message ? call_hook(csv_error, message, t.line) : NULL;
            Py_XDECREF(message);
            Py_XDECREF(raised);
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "csv_error hook returned");
            goto done;
        }
        if (t.nfields != width) {
            if (t.nfields == 0) continue;
            PyObject *row = row_list(&t);
            if (!row) goto done;
            PyObject *verdict = call_hook(odd_row, row, t.line);
            Py_DECREF(row);
            if (!verdict) goto done;
            if (verdict == Py_None) { Py_DECREF(verdict); continue; }
            section = verdict;
            break;
        }
        Py_ssize_t n;
        const char *raw = field(&t, i_id, &n);
        PyObject *voter_id = NULL;
        if (cp) {
            /* the id's stripped bytes: as they are in the common case, else through str.strip */
            PyObject *clean = NULL;
            const char *s = raw;
            Py_ssize_t sn = n;
            if (!plain_ends(raw, n)) {
                PyObject *cell = field_str(&t, i_id);
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
                    PyObject *raised = vid ? call_hook(duplicate, vid, t.line) : NULL;
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
        } else {
            PyObject *cell = field_str(&t, i_id);
            if (!cell) goto done;
            voter_id = stripped(cell, raw, n);
            Py_DECREF(cell);
            if (!voter_id) goto done;
            int dup = PySet_Contains(voter_ids, voter_id);
            if (dup != 0 || PySet_Add(voter_ids, voter_id) < 0) {
                if (dup == 1) {
                    PyObject *raised = call_hook(duplicate, voter_id, t.line);
                    Py_XDECREF(raised);
                    if (!PyErr_Occurred()) PyErr_SetString(PyExc_RuntimeError, "duplicate hook returned");
                }
                Py_DECREF(voter_id);
                goto done;
            }
        }
        /* the voter's other columns: voters with the same cells share one mapping */
        key_len = 0;
        for (Py_ssize_t i = 0; i < n_others; i++) {
            Py_ssize_t fn;
            const char *f = field(&t, others[i], &fn);
            if (key_add(&key, &key_len, &key_cap, f, fn) < 0) { PyErr_NoMemory(); Py_XDECREF(voter_id); goto done; }
        }
        Py_hash_t h = hash_bytes(key, key_len);
        Py_ssize_t voter_idx = 0, cell_idx = 0;
        PyObject *voter = map_get(&voters, key, key_len, h, &voter_idx);
        if (voter) {
            Py_INCREF(voter);
        } else if (cp) {  /* a compact read keeps the cells' bytes: the mapping is made when a ballot is asked for */
            int64_t end = (int64_t)(cp->vkeys.len + key_len);
            voter_idx = voters.used;
            voter = Py_None;
            Py_INCREF(voter);
            if (map_put(&voters, key, key_len, h, voter) < 0 || buf_add(&cp->vkeys, key, key_len) < 0 ||
                buf_add(&cp->vkeys_off, &end, 8) < 0) { Py_CLEAR(voter); PyErr_NoMemory(); }
        } else {
            PyObject *cells_v = PyTuple_New(n_others);
            for (Py_ssize_t i = 0; cells_v && i < n_others; i++) {
                PyObject *s = field_str(&t, others[i]);
                if (!s) Py_CLEAR(cells_v);
                else PyTuple_SET_ITEM(cells_v, i, s);
            }
            voter = cells_v ? PyObject_CallOneArg(make_voter, cells_v) : NULL;
            Py_XDECREF(cells_v);
            voter_idx = voters.used;
            if (voter && map_put(&voters, key, key_len, h, voter) < 0) { Py_CLEAR(voter); PyErr_NoMemory(); }
        }
        if (!voter) { Py_XDECREF(voter_id); goto done; }
        /* (choice, points) of the vote (and points) cells, shared by equal cells */
        Py_ssize_t vn, pn = 0;
        const char *v = field(&t, i_vote, &vn), *p = "";
        if (i_points >= 0) p = field(&t, i_points, &pn);
        key_len = 0;
        if (key_add(&key, &key_len, &key_cap, v, vn) < 0 || (mode == POINTS && key_add(&key, &key_len, &key_cap, p, pn) < 0)) {
            PyErr_NoMemory(); Py_DECREF(voter); Py_XDECREF(voter_id); goto done;
        }
        h = hash_bytes(key, key_len);
        PyObject *got = map_get(&cells, key, key_len, h, &cell_idx);
        if (got) {
            Py_INCREF(got);
        } else {
            got = fast_choice(v, vn, p, pn, mode, &pids);
            if (!got && !PyErr_Occurred()) {
                PyObject *pair = Py_BuildValue("(s#s#)", v, vn, p, pn);
                got = pair ? call_hook(python_choice, pair, t.line) : NULL;
                Py_XDECREF(pair);
            }
            if (got && (!PyTuple_Check(got) || PyTuple_GET_SIZE(got) != 2)) {
                PyErr_SetString(PyExc_TypeError, "choice hook: a (choice, points) pair");
                Py_CLEAR(got);
            }
            if (got) untrack_cell(got);
            cell_idx = cells.used;
            if (got && map_put(&cells, key, key_len, h, got) < 0) { Py_CLEAR(got); PyErr_NoMemory(); }
            if (got && cp && PyList_Append(cp->cells, got) < 0) Py_CLEAR(got);
        }
        if (!got) { Py_DECREF(voter); Py_XDECREF(voter_id); goto done; }
        if (cp) {
            int32_t ci = (int32_t)cell_idx, vi = (int32_t)voter_idx;
            Py_DECREF(got);
            Py_DECREF(voter);
            if (buf_add(&cp->cell_of, &ci, 4) < 0 || buf_add(&cp->voter_of, &vi, 4) < 0) { PyErr_NoMemory(); goto done; }
            if (cp->n == INT32_MAX - 1) { PyErr_SetString(PyExc_OverflowError, "too many voters"); goto done; }
            cp->n++;
            continue;
        }
        PyObject *argv[4] = {PyTuple_GET_ITEM(got, 0), PyTuple_GET_ITEM(got, 1), voter, voter_id};
        PyObject *b = PyObject_Vectorcall(a->ballot_type, argv, 4, NULL);
        Py_DECREF(got);
        Py_DECREF(voter);
        Py_DECREF(voter_id);
        if (!b) goto done;
        int appended = PyList_Append(a->ballots, b);
        Py_DECREF(b);
        if (appended < 0) goto done;
    }
    if (section) {
        PyObject *rest = PyUnicode_DecodeUTF8(buf + t.pos, len - t.pos, "strict");
        if (rest) result = Py_BuildValue("(NNl)", section, rest, t.line);
        else Py_DECREF(section);
        section = NULL;
    } else {
        result = Py_BuildValue("(OOl)", Py_None, Py_None, t.line);
    }
done:
    Py_XDECREF(section);
    Py_XDECREF(voter_ids);
    map_free(&voters);
    map_free(&cells);
    map_free(&pids);
    free(key);
    free(t.scratch);
    free(t.starts);
    PyMem_Free(others);
    return result;
}

/* read_votes(text, start, line, width, i_id, i_vote, i_points, other_at, mode, projects, ballot, ballots, hooks,
 *            field_limit) -> (section row or None, rest of the text or None, line)
 * hooks = (odd_row, duplicate, make_voter, choice, csv_error), the reader's Python functions. */
static PyObject *read_votes(PyObject *self, PyObject *args) {
    Args a;
    if (!PyArg_ParseTuple(args, "UnlnnnnO!iO!OO!O!l", &a.text, &a.start, &a.line, &a.width, &a.i_id, &a.i_vote,
                          &a.i_points, &PyTuple_Type, &a.other_at, &a.mode, &PyDict_Type, &a.projects, &a.ballot_type,
                          &PyList_Type, &a.ballots, &PyTuple_Type, &a.hooks, &a.field_limit))
        return NULL;
    if (PyTuple_GET_SIZE(a.hooks) != 5) { PyErr_SetString(PyExc_TypeError, "five hooks"); return NULL; }
    return votes_loop(&a, NULL);
}

static PyObject *buf_bytes(Buf *b) { return PyBytes_FromStringAndSize(b->data ? b->data : "", b->len); }

/* read_votes_compact(text, start, line, width, i_id, i_vote, i_points, other_at, mode, projects, hooks,
 *                    field_limit) -> (section row or None, rest or None, line,
 *                                     (cells, cell_of, voter_cells, voter_cells_off, voter_of, ids, ids_off))
 * The same rows, checks and messages as read_votes, but no Ballot: per voter only the index of its (choice, points)
 * pair in cells and of its other cells in voter_cells (int32 bytes; each distinct combination as key_add writes it:
 * per cell an 8-byte length and the bytes), and its stripped id (UTF-8 in ids, int64 offsets). */
static PyObject *read_votes_compact(PyObject *self, PyObject *args) {
    Args a = {0};
    if (!PyArg_ParseTuple(args, "UnlnnnnO!iO!O!l", &a.text, &a.start, &a.line, &a.width, &a.i_id, &a.i_vote,
                          &a.i_points, &PyTuple_Type, &a.other_at, &a.mode, &PyDict_Type, &a.projects,
                          &PyTuple_Type, &a.hooks, &a.field_limit))
        return NULL;
    if (PyTuple_GET_SIZE(a.hooks) != 5) { PyErr_SetString(PyExc_TypeError, "five hooks"); return NULL; }
    Compact cp;
    memset(&cp, 0, sizeof cp);
    cp.cells = PyList_New(0);
    PyObject *result = NULL, *read = NULL;
    if (cp.cells) read = votes_loop(&a, &cp);
    if (read) {
        PyObject *data = Py_BuildValue("(ONNNNNN)", cp.cells, buf_bytes(&cp.cell_of), buf_bytes(&cp.vkeys),
                                       buf_bytes(&cp.vkeys_off), buf_bytes(&cp.voter_of), buf_bytes(&cp.ids),
                                       buf_bytes(&cp.ids_off));
        if (data) result = Py_BuildValue("(OOON)", PyTuple_GET_ITEM(read, 0), PyTuple_GET_ITEM(read, 1),
                                         PyTuple_GET_ITEM(read, 2), data);
    }
    Py_XDECREF(read);
    Py_XDECREF(cp.cells);
    free(cp.vkeys.data); free(cp.vkeys_off.data);
    free(cp.cell_of.data); free(cp.voter_of.data); free(cp.ids.data); free(cp.ids_off.data);
    free(cp.seen.hash); free(cp.seen.voter);
    return result;
}

static PyMethodDef methods[] = {
    {"read_votes", read_votes, METH_VARARGS, "The VOTES rows of a .pb text from a character offset (see reader.py)."},
    {"read_votes_compact", read_votes_compact, METH_VARARGS, "The same rows as arrays, no Ballot per voter (see reader.py)."},
    {"compile_cells", compile_cells, METH_VARARGS, "Identical ballots of a compact read merged (see profile.py)."},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {PyModuleDef_HEAD_INIT, "_pbnative", "pbtools' compiled counting core", -1, methods};

PyMODINIT_FUNC PyInit__pbnative(void) { return PyModule_Create(&module); }
