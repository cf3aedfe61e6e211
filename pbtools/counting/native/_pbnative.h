/* What the files of the _pbnative extension (_pbnative.c, pb_scan.c, pb_rows.c, pb_ids.c, compile_cells.c) share:
 * the headers, bytes_of, and the module's functions defined outside _pbnative.c. */
#ifndef PBTOOLS_PBNATIVE_H
#define PBTOOLS_PBNATIVE_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* data[0:n] as a new bytes object (data may be NULL when n is 0: an array never grown) */
static inline PyObject *bytes_of(const void *data, Py_ssize_t n) { return PyBytes_FromStringAndSize(data ? data : "", n); }

PyObject *compile_cells(PyObject *self, PyObject *args);  /* compile_cells.c */
PyObject *project_cells(PyObject *self, PyObject *args);  /* pb_rows.c */

#endif
