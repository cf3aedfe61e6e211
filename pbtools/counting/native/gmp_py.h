/* A GMP rational handed to Python as its exact decimal text ("p/q"): shared by the MES engine and the rules. */
#ifndef PBTOOLS_GMP_PY_H
#define PBTOOLS_GMP_PY_H

#include <Python.h>
#include <gmp.h>
#include <string.h>

static inline PyObject *mpq_to_py(const mpq_t q) {
    char *s = mpq_get_str(NULL, 10, q);
    if (!s) return PyErr_NoMemory();
    PyObject *r = PyUnicode_FromString(s);
    void (*freefunc)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(s, strlen(s) + 1);  /* GMP's own allocator made it */
    return r;
}

#endif
