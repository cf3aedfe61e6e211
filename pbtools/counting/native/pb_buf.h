/* What every file of the .pb reader (pb_scan.c, pb_rows.c, pb_ids.c, _pbnative.c, compile_cells.c) builds on: the
 * headers, the growable byte array Buf and bytes_of. */
#ifndef PBTOOLS_PB_BUF_H
#define PBTOOLS_PB_BUF_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* A growable array of bytes ({0}: empty): what a compact read keeps per voter (no Python object per voter), the
 * keys of a Map, a row's cells copied by the tokenizer's slow path. */
typedef struct { char *data; Py_ssize_t len, cap; } Buf;

/* room for n more bytes, doubling; -1 out of memory (nothing changed). The first call allocates, even for n = 0:
 * data is then never NULL. */
static inline int buf_reserve(Buf *b, Py_ssize_t n) {
    if (b->data && b->len + n <= b->cap) return 0;
    Py_ssize_t cap = b->cap ? b->cap : 256;  /* a tiny file's arrays stay small */
    while (b->len + n > cap) cap *= 2;
    char *grown = realloc(b->data, cap);
    if (!grown) return -1;
    b->data = grown;
    b->cap = cap;
    return 0;
}

static inline int buf_add(Buf *b, const void *src, Py_ssize_t n) {
    if (buf_reserve(b, n) < 0) return -1;
    memcpy(b->data + b->len, src, n);
    b->len += n;
    return 0;
}

/* data[0:n] as a new bytes object (data may be NULL when n is 0: an array never grown) */
static inline PyObject *bytes_of(const void *data, Py_ssize_t n) { return PyBytes_FromStringAndSize(data ? data : "", n); }

#endif
