/* csv's tokenizer for the .pb reader's dialect, and tables of cells keyed by their bytes (see pb_scan.h). */
#include "pb_scan.h"

static const char EMPTY[1] = "";

/* room for one more field (and the slow path's end offset); -1 out of memory */
static int grow_fields(Tokenizer *t) {
    Py_ssize_t cap = t->fields_cap * 2;
    const char **fp = realloc((void *)t->fp, cap * sizeof(char *));
    if (fp) t->fp = fp;
    Py_ssize_t *fl = realloc(t->fl, cap * sizeof(Py_ssize_t));
    if (fl) t->fl = fl;
    Py_ssize_t *starts = realloc(t->starts, (cap + 1) * sizeof(Py_ssize_t));
    if (starts) t->starts = starts;
    if (!fp || !fl || !starts) return -1;
    t->fields_cap = cap;
    return 0;
}

int tokenizer_init(Tokenizer *t, const char *buf, Py_ssize_t len, Py_ssize_t pos, long field_limit, int universal) {
    memset(t, 0, sizeof *t);
    t->buf = buf;
    t->len = len;
    t->pos = pos < 0 ? 0 : pos > len ? len : pos;
    t->field_limit = field_limit;
    t->universal = universal;
    t->fields_cap = 16;
    t->fp = malloc(16 * sizeof(char *));
    t->fl = malloc(16 * sizeof(Py_ssize_t));
    t->starts = malloc(17 * sizeof(Py_ssize_t));
    t->st = START_RECORD;
    return t->fp && t->fl && t->starts ? 0 : -1;
}

void tokenizer_free(Tokenizer *t) {
    free((void *)t->fp);
    free(t->fl);
    free(t->starts);
    free(t->scratch.data);
    t->fp = NULL;
    t->fl = t->starts = NULL;
    t->scratch = (Buf){0};
}

/* The fast path: a line without a quote or a lone \r (nearly every row of a real file) is split at ';' in place,
 * its fields pointing into the buffer. csv gives the same fields for such a line: no state but "in a field". */

enum { PLAIN, SEMI, HALT, NEWLINE };
static const unsigned char SPECIAL[256] = {[';'] = SEMI, ['"'] = HALT, ['\r'] = HALT, ['\n'] = NEWLINE};

/* the first of c[0:stop - c] that is ';', '"', '\r' or '\n', or stop: eight bytes at a time (a byte b of a word w
 * is one of them when (w ^ b * ONES) has a zero byte there; the classic test below finds the lowest such byte
 * exactly, the bytes above it may be misread, which the ctz ignores), then one at a time */
static inline const char *skip_plain(const char *c, const char *stop) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
    while (stop - c >= 8) {
        uint64_t w, found = 0;
        memcpy(&w, c, 8);
        uint64_t x = w ^ (ones * ';'), y = w ^ (ones * '"'), z = w ^ (ones * '\r'), v = w ^ (ones * '\n');
        found = ((x - ones) & ~x) | ((y - ones) & ~y) | ((z - ones) & ~z) | ((v - ones) & ~v);
        found &= high;
        if (found) return c + (__builtin_ctzll(found) >> 3);
        c += 8;
    }
#endif
    while (c < stop && !SPECIAL[(unsigned char)*c]) c++;
    return c;
}

/* a character of valid UTF-8 starts at this byte (ASCII or a lead byte, not a continuation byte) */
static inline int char_starts(char c) { return ((unsigned char)c & 0xC0) != 0x80; }

/* the characters of valid UTF-8 bytes */
static Py_ssize_t n_chars(const char *s, Py_ssize_t n) {
    Py_ssize_t count = 0;
    for (Py_ssize_t i = 0; i < n; i++) count += char_starts(s[i]);
    return count;
}

/* 1 added, 0 over the field limit (the slow path raises it where csv does), -1 out of memory */
static inline int push(Tokenizer *t, const char *s, Py_ssize_t n) {
    if (t->nfields == t->fields_cap && grow_fields(t) < 0) return -1;
    if (n > t->field_limit && n_chars(s, n) > t->field_limit) return 0;  /* n bytes hold at most n characters */
    t->fp[t->nfields] = s;
    t->fl[t->nfields++] = n;
    return 1;
}

/* 1 a row, 0 the slow path must read it, -1 out of memory; nothing moves unless 1. The row is scanned once, up to
 * its line end (not the line end searched first: in a file of lone \r line ends that search ran to the end of the
 * file from every row, quadratic). */
static int fast_row(Tokenizer *t) {
    const char *b = t->buf + t->pos, *end = t->buf + t->len;
    const char *f = b, *c = b, *next = end;  /* next: where the following row starts */
    t->nfields = 0;
    for (;; c++) {
        c = skip_plain(c, end);  /* to the next ';', '"', '\r' or '\n' (or the end) */
        if (c == end) break;
        unsigned char k = SPECIAL[(unsigned char)*c];
        if (k == NEWLINE) { next = c + 1; break; }
        if (k == HALT) {
            if (*c == '\r' && c + 1 < end && c[1] == '\n') { next = c + 2; break; }  /* \r\n */
            return 0;  /* a quote or a lone \r */
        }
        int r = push(t, f, c - f);
        if (r <= 0) return r;
        f = c + 1;
    }
    if (c > b) {  /* an empty line is a row of no field, as in csv */
        int r = push(t, f, c - f);
        if (r <= 0) return r;
    }
    t->pos = next - t->buf;
    t->line++;
    return 1;
}

/* The slow path: csv's state machine (CPython Modules/_csv.c, parse_process_char), one character at a time, the
 * unquoted fields copied into scratch. */

/* 0 ok, -1 out of memory, -2 field over the limit */
static int add_char(Tokenizer *t, char c) {
    if (char_starts(c)) {
        if (t->field_chars >= t->field_limit) return -2;
        t->field_chars++;
    }
    return buf_add(&t->scratch, &c, 1);
}

static int save_field(Tokenizer *t) {
    if (t->nfields == t->fields_cap && grow_fields(t) < 0) return -1;
    t->nfields++;
    t->starts[t->nfields] = t->scratch.len;
    t->field_chars = 0;
    return 0;
}

#define EOL (-1)

/* One character (or EOL) through csv's state machine. A field that starts unquoted, and the rest of a quoted field
 * after its closing quote (csv, not strict, reads it on as unquoted text), are read by IN_FIELD's steps: START_FIELD
 * and QUOTE_IN_QUOTED_FIELD handle their own quote, then fall through to them. */
static int process(Tokenizer *t, int c) {
    switch (t->st) {
    case START_RECORD:
        if (c == EOL) return 0;
        if (c == '\n' || c == '\r') { t->st = EAT_CRNL; return 0; }
        t->st = START_FIELD;
        /* fallthrough */
    case START_FIELD:
        if (c == '"') { t->st = IN_QUOTED_FIELD; return 0; }
        /* not a quote: the next case only sets IN_FIELD */
        /* fallthrough */
    case QUOTE_IN_QUOTED_FIELD:
        if (c == '"') { t->st = IN_QUOTED_FIELD; return add_char(t, (char)c); }  /* "" inside quotes: one quote */
        t->st = IN_FIELD;
        /* fallthrough */
    case IN_FIELD:
        if (c == '\n' || c == '\r' || c == EOL) {
            if (save_field(t) < 0) return -1;
            t->st = c == EOL ? START_RECORD : EAT_CRNL;
        } else if (c == ';') {
            if (save_field(t) < 0) return -1;
            t->st = START_FIELD;
        } else {
            return add_char(t, (char)c);
        }
        return 0;
    case IN_QUOTED_FIELD:
        if (c == EOL) return 0;
        if (c == '"') { t->st = QUOTE_IN_QUOTED_FIELD; return 0; }
        return add_char(t, (char)c);
    case EAT_CRNL:
        /* a line always ends at \r or \n, so nothing else can follow one before EOL */
        if (c == EOL) t->st = START_RECORD;
        return 0;
    }
    return 0;
}

/* the row's fields (in scratch) as pointers */
static int slow_done(Tokenizer *t) {
    const char *s = t->scratch.data ? t->scratch.data : EMPTY;
    for (Py_ssize_t i = 0; i < t->nfields; i++) {
        t->fp[i] = s + t->starts[i];
        t->fl[i] = t->starts[i + 1] - t->starts[i];
    }
    return 1;
}

static int slow_row(Tokenizer *t) {
    t->nfields = 0;
    t->starts[0] = 0;
    t->scratch.len = 0;
    t->field_chars = 0;
    t->st = START_RECORD;
    int started = 0;
    for (;;) {
        if (t->pos >= t->len) {
            if (!started) return 0;
            /* end of text inside a quoted field: csv (non-strict) keeps what it has */
            if (t->st == IN_QUOTED_FIELD || t->scratch.len > t->starts[t->nfields]) {
                if (save_field(t) < 0) return -1;
            }
            return slow_done(t);
        }
        started = 1;
        t->line++;
        while (t->pos < t->len) {
            char c = t->buf[t->pos++];
            int r;
            if (c == '\r') {  /* a line ends at \r\n or a lone \r */
                int crlf = t->pos < t->len && t->buf[t->pos] == '\n';
                if (crlf) t->pos++;
                if (t->universal) {
                    r = process(t, '\n');
                } else {
                    r = process(t, '\r');
                    if (r == 0 && crlf) r = process(t, '\n');
                }
                if (r < 0) return r;
                break;
            }
            if ((r = process(t, (unsigned char)c)) < 0) return r;
            if (c == '\n') break;
        }
        int r = process(t, EOL);
        if (r < 0) return r;
        if (t->st == START_RECORD) return slow_done(t);
    }
}

/* The next row: 1 a row, 0 end of text, -1 out of memory, -2 field over the limit. */
int next_row(Tokenizer *t) {
    if (t->pos >= t->len) return 0;
    int r = fast_row(t);
    return r != 0 ? r : slow_row(t);
}

/* What Python's strict UTF-8 decoder accepts (Unicode's table of well-formed sequences: no overlong form, no
 * surrogate, nothing past U+10FFFF). ASCII runs are skipped eight bytes at a time, up to their first other byte. */
int utf8_valid(const unsigned char *s, Py_ssize_t n) {
    const uint64_t high = 0x8080808080808080ULL;
    Py_ssize_t i = 0;
    while (i < n) {
        unsigned char c = s[i];
        if (c < 0x80) {
            i++;
            while (i + 8 <= n) {
                uint64_t w;
                memcpy(&w, s + i, 8);
                if (w & high) {
#if defined(__GNUC__) && defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
                    i += __builtin_ctzll(w & high) >> 3;  /* the first byte with its high bit set */
#endif
                    break;
                }
                i += 8;
            }
            continue;
        }
        int more;
        unsigned char lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) more = 1;
        else if (c >= 0xE0 && c <= 0xEF) { more = 2; if (c == 0xE0) lo = 0xA0; if (c == 0xED) hi = 0x9F; }
        else if (c >= 0xF0 && c <= 0xF4) { more = 3; if (c == 0xF0) lo = 0x90; if (c == 0xF4) hi = 0x8F; }
        else return 0;
        if (i + more >= n) return 0;  /* cut short by the end */
        if (s[i + 1] < lo || s[i + 1] > hi) return 0;
        for (int k = 2; k <= more; k++)
            if ((s[i + k] & 0xC0) != 0x80) return 0;
        i += more + 1;
    }
    return 1;
}


PyObject *field_str(Tokenizer *t, Py_ssize_t i) {
    Py_ssize_t n;
    const char *s = field(t, i, &n);
    return PyUnicode_DecodeUTF8(s, n, "strict");
}


/* Cells seen before -> the object made for them, keyed by their bytes: most ballots repeat a vote and a voter's
 * attributes, and looking them up without making Python strings first is most of the reader's speed. Hashed with
 * CPython's keyed (randomized) hash, so a file made to collide cannot make reading quadratic. */

Py_hash_t hash_bytes(const char *s, Py_ssize_t n) {
#if PY_VERSION_HEX >= 0x030E0000
    return Py_HashBuffer(s, n);
#else
    return _Py_HashBytes(s, n);
#endif
}

static Entry *map_find(Map *m, const char *key, Py_ssize_t len, Py_hash_t h) {
    if (!m->cap) return NULL;
    size_t mask = (size_t)m->cap - 1, i = (size_t)h & mask;
    for (;;) {
        Entry *e = &m->entries[i];
        if (!e->value || (e->hash == h && e->len == len && memcmp(m->arena.data + e->off, key, len) == 0)) return e;
        i = (i + 1) & mask;
    }
}

/* the value for key, or NULL (no error); *idx its insertion index */
PyObject *map_get(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, Py_ssize_t *idx) {
    Entry *e = map_find(m, key, len, h);
    if (e && e->value) { *idx = e->idx; return e->value; }
    return NULL;
}

/* stores a new reference to value (key not in the map); -1 out of memory */
int map_put(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, PyObject *value) {
    if ((m->used + 1) * 2 > m->cap) {
        Py_ssize_t cap = m->cap ? m->cap * 2 : 32;  /* small: a tiny file clears and frees little */
        Entry *grown = calloc(cap, sizeof(Entry)), *old = m->entries;
        if (!grown) return -1;
        Py_ssize_t old_cap = m->cap;
        m->entries = grown;
        m->cap = cap;
        for (Py_ssize_t i = 0; i < old_cap; i++)
            if (old[i].value) {
                size_t mask = (size_t)cap - 1, j = (size_t)old[i].hash & mask;
                while (grown[j].value) j = (j + 1) & mask;  /* the keys are distinct: the first free slot */
                grown[j] = old[i];
            }
        free(old);
    }
    Py_ssize_t off = m->arena.len;
    if (buf_add(&m->arena, key, len) < 0) return -1;  /* the keys one after another in one buffer: no allocation per key */
    Entry *e = map_find(m, key, len, h);
    e->hash = h;
    e->idx = m->used;  /* insertion order */
    e->off = off;
    e->len = len;
    Py_INCREF(value);
    e->value = value;
    m->used++;
    return 0;
}

void map_free(Map *m) {
    for (Py_ssize_t i = 0; i < m->cap; i++) Py_XDECREF(m->entries[i].value);
    free(m->entries);
    free(m->arena.data);
    memset(m, 0, sizeof *m);
}

/* key = each cell's length (LEB128: 7 bits a byte, low first, the high bit set on all but the last) then its
 * bytes, added to key; -1 out of memory. Short lengths take one byte: less to hash per row. */
int key_add(Buf *key, const char *s, Py_ssize_t n) {
    if (buf_reserve(key, n + 10) < 0) return -1;  /* a length takes at most 10 bytes */
    char *out = key->data + key->len;
    size_t rest = (size_t)n;
    while (rest >= 0x80) {
        *out++ = (char)(0x80 | (rest & 0x7F));
        rest >>= 7;
    }
    *out++ = (char)rest;
    memcpy(out, s, n);
    key->len = out + n - key->data;
    return 0;
}


PyObject *row_list(Tokenizer *t) {
    PyObject *row = PyList_New(t->nfields);
    if (!row) return NULL;
    for (Py_ssize_t i = 0; i < t->nfields; i++) {
        PyObject *s = field_str(t, i);
        if (!s) { Py_DECREF(row); return NULL; }
        PyList_SET_ITEM(row, i, s);
    }
    return row;
}