/* Rows: the .pb tokenizer (pb_scan.c) as a Python iterator, the native reader's csv.reader.
 *
 * Rows(data, pos, field_limit, universal) iterates the rows of data[pos:] (valid UTF-8 bytes) as lists of str, the
 * same lists csv.reader(delimiter=";") gives for the text; line_num counts physical lines as csv.reader's does; a
 * field over field_limit characters raises csv.Error with csv's message. The VOTES loop (_pbnative.c) reads on
 * from where it stands, with the same tokenizer. */
#include "pb_scan.h"
#include <structmember.h>

PyObject *CsvError;

void row_error(const Tokenizer *t, int r) {
    if (r == -1) PyErr_NoMemory();
    else PyErr_Format(CsvError, "field larger than field limit (%ld)", t->field_limit);  /* csv.reader's words */
}

static PyObject *rows_new(PyTypeObject *type, PyObject *args, PyObject *kwds) {
    PyObject *data;
    Py_ssize_t pos;
    long field_limit;
    int universal;
    if (!PyArg_ParseTuple(args, "O!nlp", &PyBytes_Type, &data, &pos, &field_limit, &universal)) return NULL;
    RowsObject *self = (RowsObject *)type->tp_alloc(type, 0);
    if (!self) return NULL;
    Py_INCREF(data);
    self->data = data;
    if (tokenizer_init(&self->t, PyBytes_AS_STRING(data), PyBytes_GET_SIZE(data), pos, field_limit, universal) < 0) {
        Py_DECREF(self);
        return PyErr_NoMemory();
    }
    return (PyObject *)self;
}

static void rows_dealloc(RowsObject *self) {
    tokenizer_free(&self->t);
    Py_XDECREF(self->data);
    Py_TYPE(self)->tp_free((PyObject *)self);
}

static PyObject *rows_next(RowsObject *self) {
    int r = next_row(&self->t);
    if (r == 1) return row_list(&self->t);
    if (r < 0) row_error(&self->t, r);
    return NULL;  /* 0 (no error set): the end, StopIteration */
}

static PyObject *rows_line_num(RowsObject *self, void *closure) { return PyLong_FromLong(self->t.line); }

static PyGetSetDef rows_getset[] = {
    {"line_num", (getter)rows_line_num, NULL, "physical lines read so far (as csv.reader.line_num)", NULL},
    {NULL},
};

PyTypeObject RowsType = {
    PyVarObject_HEAD_INIT(NULL, 0)
    .tp_name = "pbtools.counting.native._pbnative.Rows",
    .tp_basicsize = sizeof(RowsObject),
    .tp_dealloc = (destructor)rows_dealloc,
    .tp_flags = Py_TPFLAGS_DEFAULT,
    .tp_doc = "Rows(data, pos, field_limit, universal): the rows of UTF-8 bytes as csv.reader(delimiter=';') reads them",
    .tp_iter = PyObject_SelfIter,
    .tp_iternext = (iternextfunc)rows_next,
    .tp_getset = rows_getset,
    .tp_new = rows_new,
};

/* 1 if a cell with whitespace or non-ASCII at an end (not plain_ends) is blank or None once stripped, as the Python
 * reader's present_cells decides (str.strip(), then str.lower() == "none"), 0 if not, -1 on an error */
static int missing(PyObject *c) {
    PyObject *s = PyObject_CallMethod(c, "strip", NULL);
    if (!s) return -1;
    Py_ssize_t n = PyUnicode_GET_LENGTH(s);
    int got = n == 0;
    /* only a 4-character str lowers to "none" (lower() lengthens only U+0130, which has no place in it) */
    if (n == 4) {
        PyObject *low = PyObject_CallMethod(s, "lower", NULL);
        got = low ? PyUnicode_CompareWithASCIIString(low, "none") == 0 : -1;
        Py_XDECREF(low);
    }
    Py_DECREF(s);
    return got;
}

/* 1 if the row is surely not blank (some cell holds an ASCII byte that is not whitespace: str.strip() keeps it),
 * 0 if Python must decide (every byte whitespace or non-ASCII) */
static int surely_not_blank(Tokenizer *t) {
    for (Py_ssize_t i = 0; i < t->nfields; i++) {
        const unsigned char *s = (const unsigned char *)t->fp[i];
        for (Py_ssize_t j = 0; j < t->fl[i]; j++)
            if (s[j] < 0x80 && !is_space(s[j])) return 1;
    }
    return 0;
}

/* For read_head: the rows of a META or PROJECTS section that the reader's loop (reader.py, _parse) would take as
 * data rows: from where t stands, every row of exactly len(header) fields that is surely not blank, up to the first
 * other row (a section name, a blank or odd row, a field over the limit, the end), which is left unread (read_head
 * reads it next). PROJECTS (meta NULL): each row's cells as head.present_cells(header, row) gives them appended to
 * items, the line_num after it to lines. META: each row added as head.add_meta adds it (meta[row[0].strip()] =
 * row[1], meta_lines[that key] = its line). 0, or -1 on an error. */
static int take_rows(Tokenizer *t, PyObject *header, PyObject *meta, PyObject *meta_lines, PyObject *items, PyObject *lines) {
    Py_ssize_t width = PyList_GET_SIZE(header);
    if (width < 2) return 0;  /* a header is at least two columns */
    PyObject *item = NULL, *line = NULL, *value = NULL;
    for (;;) {
        Py_ssize_t pos = t->pos;
        long at = t->line;
        int r = next_row(t);
        if (r == -1) { PyErr_NoMemory(); goto fail; }
        if (r != 1 || t->nfields != width || !surely_not_blank(t)) {
            t->pos = pos;  /* left unread: the loop reads it again (next_row starts afresh at pos) */
            t->line = at;
            return 0;
        }
        if (!(line = PyLong_FromLong(t->line))) goto fail;
        if (meta) {
            Py_ssize_t n;
            const char *k = field(t, 0, &n);
            if (!(item = field_str(t, 0)) || !(value = field_str(t, 1))) goto fail;
            if (!plain_ends(k, n)) {  /* str.strip() would change it, or may: Python's own */
                PyObject *key = PyObject_CallMethod(item, "strip", NULL);
                Py_SETREF(item, key);
                if (!item) goto fail;
            }
            if (PyDict_SetItem(meta, item, value) < 0 || PyDict_SetItem(meta_lines, item, line) < 0) goto fail;
            Py_CLEAR(value);
        } else {
            item = PyDict_New();
            for (Py_ssize_t i = 0; item && i < width; i++) {
                Py_ssize_t n;
                const char *s = field(t, i, &n);
                /* plain ends: strip() keeps it as it is, and only ASCII "none" lowers to "none" (no other character
                 * lowers to n, o or e), so the bytes decide; else missing() on the str */
                if (plain_ends(s, n) && (n == 0 || is_none(s, n))) continue;
                PyObject *c = field_str(t, i);
                int m = c ? (plain_ends(s, n) ? 0 : missing(c)) : -1;
                if (m < 0 || (m == 0 && PyDict_SetItem(item, PyList_GET_ITEM(header, i), c) < 0)) Py_CLEAR(item);
                Py_XDECREF(c);
            }
            if (!item || PyList_Append(items, item) < 0 || PyList_Append(lines, line) < 0) goto fail;
        }
        Py_CLEAR(item);
        Py_CLEAR(line);
    }
fail:
    Py_XDECREF(item);
    Py_XDECREF(line);
    Py_XDECREF(value);
    return -1;
}

/* The head of a file in the common layout, for read_head: 1 if the next row is exactly the section name (one field,
 * those bytes), 0 if not, -1 on an error */
static int name_row(Tokenizer *t, const char *name) {
    int r = next_row(t);
    if (r == -1) { PyErr_NoMemory(); return -1; }
    Py_ssize_t n;
    return r == 1 && t->nfields == 1 && (field(t, 0, &n), n == (Py_ssize_t)strlen(name)) && memcmp(t->fp[0], name, n) == 0;
}

/* the next row as a header if the loop would take it as one and its cells as they are (two or more cells, not blank,
 * none that str.strip() would change); NULL without an error if not */
static PyObject *header_row(Tokenizer *t) {
    int r = next_row(t);
    if (r == -1) return PyErr_NoMemory();
    if (r != 1 || t->nfields < 2 || !surely_not_blank(t)) return NULL;
    for (Py_ssize_t i = 0; i < t->nfields; i++) {
        Py_ssize_t n;
        const char *s = field(t, i, &n);
        if (!plain_ends(s, n)) return NULL;
    }
    return row_list(t);
}

/* read_head(rows) -> (meta, meta_lines, meta_header, meta_header_line, projects_header, projects_header_line,
 *                     project_rows, project_lines, votes_header_row, its line) or None
 * The rows up to VOTES' header in one call, in the common layout only: "META", its header, its data rows (as
 * take_rows takes them), then at once "PROJECTS", its header, its data rows, then at once "VOTES"; the row after
 * it (VOTES' header, or None at the end) is handed back unjudged. Nothing here is judged that the reader's loop
 * judges: headers are handed back unchecked, project rows as cells. Anything else (a blank or odd row, another
 * spelling of a section name, a header with cells to strip, a field over the limit) gives None with rows as it was,
 * for the reader's loop to read from the start and judge. */
PyObject *read_head(PyObject *self, PyObject *arg) {
    if (!PyObject_TypeCheck(arg, &RowsType)) { PyErr_SetString(PyExc_TypeError, "a Rows"); return NULL; }
    Tokenizer *t = &((RowsObject *)arg)->t;
    Py_ssize_t pos = t->pos;
    long at = t->line;
    PyObject *meta = PyDict_New(), *meta_lines = PyDict_New(), *items = PyList_New(0), *lines = PyList_New(0);
    PyObject *m_header = NULL, *p_header = NULL, *v_row = NULL, *result = NULL;
    long m_line = 0, p_line = 0;
    if (!meta || !meta_lines || !items || !lines) goto done;
    int r = name_row(t, "META");
    if (r <= 0) goto done;
    if (!(m_header = header_row(t))) goto done;
    m_line = t->line;
    if (take_rows(t, m_header, meta, meta_lines, NULL, NULL) < 0 || (r = name_row(t, "PROJECTS")) <= 0) goto done;
    if (!(p_header = header_row(t))) goto done;
    p_line = t->line;
    if (take_rows(t, p_header, NULL, NULL, items, lines) < 0 || (r = name_row(t, "VOTES")) <= 0) goto done;
    r = next_row(t);
    if (r == -1) { PyErr_NoMemory(); goto done; }
    if (r < 0) goto done;  /* a field over the limit: the loop raises it */
    if (r == 1 && !(v_row = row_list(t))) goto done;
    result = Py_BuildValue("(OOOlOlOOOl)", meta, meta_lines, m_header, m_line, p_header, p_line, items, lines,
                           v_row ? v_row : Py_None, t->line);
done:
    Py_XDECREF(meta);
    Py_XDECREF(meta_lines);
    Py_XDECREF(items);
    Py_XDECREF(lines);
    Py_XDECREF(m_header);
    Py_XDECREF(p_header);
    Py_XDECREF(v_row);
    if (result || PyErr_Occurred()) return result;
    t->pos = pos;  /* not the common layout: rows as it was */
    t->line = at;
    Py_RETURN_NONE;
}
