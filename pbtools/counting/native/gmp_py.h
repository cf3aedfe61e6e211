/* GMP numbers to and from Python, shared by the MES engine and the rules: each one a frame of its own (gmp_oom.h),
 * so that GMP running out of memory in it is a MemoryError returned the ordinary way, inside a caller's frame too. */
#ifndef PBTOOLS_GMP_PY_H
#define PBTOOLS_GMP_PY_H

#include <Python.h>
#include <gmp.h>
#include <string.h>
#include "gmp_oom.h"

/* a GMP rational as its exact decimal text ("p/q"); NULL with an exception set */
static inline PyObject *mpq_to_py(const mpq_t q) {
    gmp_oom_frame oom;  /* entered at once: nothing to set first */
    char *s;
    gmp_oom_enter(&oom, 0);
    if (setjmp(oom.env)) { gmp_oom_failed(&oom); return NULL; }
    s = mpq_get_str(NULL, 10, q);
    gmp_oom_leave(&oom);
    PyObject *r = PyUnicode_FromString(s);
    void (*freefunc)(void *, size_t);
    mp_get_memory_functions(NULL, NULL, &freefunc);
    freefunc(s, strlen(s) + 1);  /* GMP's own allocator made it */
    return r;
}

/* a[0..n) initialised (mpq_init allocates): 0, or -1 with MemoryError set. a zeroed beforehand (calloc) is safe to
 * mpq_clear whole either way. */
static inline int gmp_py_q_inits(mpq_ptr a, size_t n) {
    gmp_oom_frame oom;  /* entered at once: nothing to set first */
    gmp_oom_enter(&oom, 0);
    if (setjmp(oom.env)) { gmp_oom_failed(&oom); return -1; }
    for (size_t i = 0; i < n; i++) mpq_init(a + i);
    gmp_oom_leave(&oom);
    return 0;
}

/* z (or q, made canonical) set from decimal text: 0; 1 not a number (no exception set); -1 MemoryError set */
static inline int gmp_py_set_z(mpz_ptr z, const char *s) {
    gmp_oom_frame oom;  /* entered at once: nothing to set first */
    int bad;
    gmp_oom_enter(&oom, 0);
    if (setjmp(oom.env)) { gmp_oom_failed(&oom); return -1; }
    bad = mpz_set_str(z, s, 10) != 0;
    gmp_oom_leave(&oom);
    return bad;
}

static inline int gmp_py_set_q(mpq_ptr q, const char *s) {
    gmp_oom_frame oom;  /* entered at once: nothing to set first */
    int bad;
    gmp_oom_enter(&oom, 0);
    if (setjmp(oom.env)) { gmp_oom_failed(&oom); return -1; }
    bad = mpq_set_str(q, s, 10) != 0 || mpz_sgn(mpq_denref(q)) == 0;
    if (!bad) mpq_canonicalize(q);
    gmp_oom_leave(&oom);
    return bad;
}

/* z from a Python int (its decimal text): 0, or -1 with an exception set (ValueError: not an integer) */
static inline int mpz_from_py(mpz_t z, PyObject *o) {
    PyObject *s = PyObject_Str(o);
    if (!s) return -1;
    const char *t = PyUnicode_AsUTF8(s);
    int bad = !t || gmp_py_set_z(z, t) != 0;
    Py_DECREF(s);
    if (bad) { if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "not an integer"); return -1; }
    return 0;
}

#endif
