/* compile_cells.c: identical ballots merged from the compact read's arrays (the module function). */
#ifndef PBTOOLS_COMPILE_CELLS_H
#define PBTOOLS_COMPILE_CELLS_H
#include "pb_buf.h"

PyObject *compile_cells(PyObject *self, PyObject *args);

#endif
