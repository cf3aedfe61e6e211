/* The .pb reader's scanning parts (pb_scan.c): csv's tokenizer for the reader's dialect, and tables of cells keyed by
 * their bytes. Used by _pbnative.c's VOTES loops. */
#ifndef PBTOOLS_PB_SCAN_H
#define PBTOOLS_PB_SCAN_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

enum state { START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED_FIELD, QUOTE_IN_QUOTED_FIELD, EAT_CRNL };

typedef struct {
    const char *buf;
    Py_ssize_t len, pos;
    long line;           /* csv.reader.line_num: physical lines read so far */
    long field_limit;    /* csv.field_size_limit(), in characters */
    char *scratch;       /* the row's fields, unquoted, one after another */
    Py_ssize_t scratch_len, scratch_cap;
    Py_ssize_t *starts;  /* field i = scratch[starts[i] : starts[i + 1]] */
    Py_ssize_t nfields, fields_cap;
    long field_chars;
    int field_open;
    enum state st;
} Tokenizer;

static inline const char *field(Tokenizer *t, Py_ssize_t i, Py_ssize_t *n) {
    *n = t->starts[i + 1] - t->starts[i];
    return t->scratch + t->starts[i];
}

static inline int is_space(unsigned char c) { return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20); }

/* str.strip() would change nothing: empty, or ASCII non-space at both ends (non-ASCII ends go to Python) */
static inline int plain_ends(const char *s, Py_ssize_t n) {
    if (n == 0) return 1;
    unsigned char a = s[0], b = s[n - 1];
    return a < 0x80 && b < 0x80 && !is_space(a) && !is_space(b);
}

static inline int is_none(const char *s, Py_ssize_t n) {
    return n == 4 && (s[0] | 0x20) == 'n' && (s[1] | 0x20) == 'o' && (s[2] | 0x20) == 'n' && (s[3] | 0x20) == 'e';
}

typedef struct { Py_hash_t hash; char *key; Py_ssize_t len; PyObject *value; Py_ssize_t idx; } Entry;

typedef struct { Entry *entries; Py_ssize_t cap, used; } Map;

/* The next row: 1 a row, 0 end of text, -1 out of memory, -2 field over the limit. */
int next_row(Tokenizer *t);
PyObject *field_str(Tokenizer *t, Py_ssize_t i);
PyObject *row_list(Tokenizer *t);
/* s stripped as str.strip() would (s itself when nothing changes) */
PyObject *stripped(PyObject *s, const char *raw, Py_ssize_t n);
Py_hash_t hash_bytes(const char *s, Py_ssize_t n);
/* the value for key, or NULL (no error); *idx its insertion index */
PyObject *map_get(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, Py_ssize_t *idx);
/* stores a new reference to value; -1 out of memory */
int map_put(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, PyObject *value);
void map_free(Map *m);
/* key = each cell's length (8 bytes) then its bytes, in a growing buffer; -1 out of memory */
int key_add(char **buf, Py_ssize_t *len, Py_ssize_t *cap, const char *s, Py_ssize_t n);

#endif
