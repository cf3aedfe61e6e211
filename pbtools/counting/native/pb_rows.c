/* Rows: the .pb tokenizer (pb_scan.c) as a Python iterator, the native reader's csv.reader.
 *
 * Rows(data, pos, field_limit, universal) iterates the rows of data[pos:] (valid UTF-8 bytes) as lists of str, the
 * same lists csv.reader(delimiter=";") gives for the text; line_num counts physical lines as csv.reader's does; a
 * field over field_limit characters raises csv.Error with csv's message. The VOTES loop (_pbnative.c) reads on
 * from where it stands, with the same tokenizer. */
#include "pb_scan.h"
#include <structmember.h>

PyObject *CsvError;

void field_limit_error(long limit) { PyErr_Format(CsvError, "field larger than field limit (%ld)", limit); }

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
    if (r == -1) return PyErr_NoMemory();
    if (r == -2) field_limit_error(self->t.field_limit);
    return NULL;  /* 0: the end (StopIteration) */
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
