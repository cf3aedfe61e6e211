/* The .pb reader's scanning parts (pb_scan.c): csv's tokenizer for the reader's dialect over a file's UTF-8 bytes,
 * its Python face (Rows, pb_rows.c), and tables of cells keyed by their bytes. Used by _pbnative.c's VOTES loop and
 * by pb_rows.c's reads of META and PROJECTS (read_head). */
#ifndef PBTOOLS_PB_SCAN_H
#define PBTOOLS_PB_SCAN_H
#include "pb_buf.h"

enum state { START_RECORD, START_FIELD, IN_FIELD, IN_QUOTED_FIELD, QUOTE_IN_QUOTED_FIELD, EAT_CRNL };

typedef struct {
    const char *buf;     /* valid UTF-8 (checked before) */
    Py_ssize_t len, pos;
    long line;           /* csv.reader.line_num: physical lines read so far */
    long field_limit;    /* csv.field_size_limit(), in characters */
    int universal;       /* a file's bytes: "\r\n" and a lone "\r" read as "\n" in quoted fields too (universal
                            newlines); 0 for a str's bytes, where csv keeps them */
    /* the row: field i = fp[i][0 : fl[i]], pointing into buf (a row without quotes) or into scratch */
    const char **fp;
    Py_ssize_t *fl;
    Py_ssize_t nfields, fields_cap;
    /* the slow path (a row with quotes, a lone \r, or a field over the limit): unquoted fields in scratch,
     * field i = scratch[starts[i] : starts[i + 1]] */
    Buf scratch;
    Py_ssize_t *starts;
    long field_chars;
    enum state st;
} Tokenizer;

static inline const char *field(Tokenizer *t, Py_ssize_t i, Py_ssize_t *n) {
    *n = t->fl[i];
    return t->fp[i];
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

/* A table of byte keys (open addressing; a slot is free while its value is NULL), the keys kept in one arena. */
typedef struct { Py_hash_t hash; Py_ssize_t off, len; PyObject *value; Py_ssize_t idx; } Entry;

typedef struct { Entry *entries; Py_ssize_t cap, used; Buf arena; } Map;

/* A tokenizer over buf[pos:len]; -1 out of memory. tokenizer_free frees what it holds (not buf). */
int tokenizer_init(Tokenizer *t, const char *buf, Py_ssize_t len, Py_ssize_t pos, long field_limit, int universal);
void tokenizer_free(Tokenizer *t);
/* The next row: 1 a row, 0 end of text, -1 out of memory, -2 field over the limit. */
int next_row(Tokenizer *t);
PyObject *field_str(Tokenizer *t, Py_ssize_t i);
PyObject *row_list(Tokenizer *t);
/* 1 if buf[0:n] is what Python's strict UTF-8 decoder takes, else 0 */
int utf8_valid(const unsigned char *s, Py_ssize_t n);
Py_hash_t hash_bytes(const char *s, Py_ssize_t n);
/* the value for key, or NULL (no error); *idx its insertion index */
PyObject *map_get(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, Py_ssize_t *idx);
/* stores a new reference to value (key not in the map); -1 out of memory */
int map_put(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, PyObject *value);
void map_free(Map *m);
/* key = each cell's length (LEB128) then its bytes: one cell added; -1 out of memory */
int key_add(Buf *key, const char *s, Py_ssize_t n);

/* Rows (pb_rows.c): the tokenizer as a Python iterator of rows (lists of str), like csv.reader */
typedef struct {
    PyObject_HEAD
    PyObject *data;  /* the bytes read */
    Tokenizer t;
} RowsObject;
extern PyTypeObject RowsType;
extern PyObject *CsvError;  /* csv.Error: what csv.reader raises for a field over the limit */
/* sets the error of next_row's r < 0: MemoryError (-1), or csv.Error as csv.reader words it (-2) */
void row_error(const Tokenizer *t, int r);
PyObject *read_head(PyObject *self, PyObject *arg);  /* the module function of pb_rows.c */

#endif
