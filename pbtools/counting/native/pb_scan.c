/* csv's tokenizer for the .pb reader's dialect, and tables of cells keyed by their bytes (see pb_scan.h). */
#include "pb_scan.h"



/* 0 ok, -1 out of memory, -2 field over the limit */
static int add_char(Tokenizer *t, char c) {
    if (((unsigned char)c & 0xC0) != 0x80) { /* a character starts here (UTF-8 lead byte or ASCII) */
        if (t->field_chars >= t->field_limit) return -2;
        t->field_chars++;
    }
    if (t->scratch_len == t->scratch_cap) {
        Py_ssize_t cap = t->scratch_cap ? t->scratch_cap * 2 : 256;
        char *grown = realloc(t->scratch, cap);
        if (!grown) return -1;
        t->scratch = grown;
        t->scratch_cap = cap;
    }
    t->scratch[t->scratch_len++] = c;
    return 0;
}

static int save_field(Tokenizer *t) {
    if (t->nfields + 2 > t->fields_cap) {
        Py_ssize_t cap = t->fields_cap ? t->fields_cap * 2 : 16;
        Py_ssize_t *grown = realloc(t->starts, cap * sizeof(Py_ssize_t));
        if (!grown) return -1;
        t->starts = grown;
        t->fields_cap = cap;
    }
    t->nfields++;
    t->starts[t->nfields] = t->scratch_len;
    t->field_chars = 0;
    return 0;
}

#define EOL (-1)

/* One character (or EOL) through csv's state machine (CPython Modules/_csv.c, parse_process_char). */
static int process(Tokenizer *t, int c) {
    switch (t->st) {
    case START_RECORD:
        if (c == EOL) return 0;
        if (c == '\n' || c == '\r') { t->st = EAT_CRNL; return 0; }
        t->st = START_FIELD;
        /* fallthrough */
    case START_FIELD:
        if (c == '\n' || c == '\r' || c == EOL) {
            if (save_field(t) < 0) return -1;
            t->st = c == EOL ? START_RECORD : EAT_CRNL;
        } else if (c == '"') {
            t->st = IN_QUOTED_FIELD;
        } else if (c == ';') {
            if (save_field(t) < 0) return -1;
        } else {
            int r = add_char(t, (char)c);
            if (r < 0) return r;
            t->st = IN_FIELD;
        }
        return 0;
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
    case QUOTE_IN_QUOTED_FIELD:
        if (c == '"') {
            t->st = IN_QUOTED_FIELD;
            return add_char(t, (char)c);
        }
        if (c == ';') {
            if (save_field(t) < 0) return -1;
            t->st = START_FIELD;
        } else if (c == '\n' || c == '\r' || c == EOL) {
            if (save_field(t) < 0) return -1;
            t->st = c == EOL ? START_RECORD : EAT_CRNL;
        } else {
            int r = add_char(t, (char)c);
            if (r < 0) return r;
            t->st = IN_FIELD;
        }
        return 0;
    case EAT_CRNL:
        /* a line always ends at \r or \n, so nothing else can follow one before EOL */
        if (c == EOL) t->st = START_RECORD;
        return 0;
    }
    return 0;
}

/* The next row: 1 a row, 0 end of text, -1 out of memory, -2 field over the limit. */
int next_row(Tokenizer *t) {
    t->nfields = 0;
    t->starts[0] = 0;
    t->scratch_len = 0;
    t->field_chars = 0;
    t->st = START_RECORD;
    int started = 0;
    for (;;) {
        if (t->pos >= t->len) {
            if (!started) return 0;
            /* end of text inside a quoted field: csv (non-strict) keeps what it has */
            if (t->st == IN_QUOTED_FIELD || t->scratch_len > t->starts[t->nfields]) {
                if (save_field(t) < 0) return -1;
            }
            return 1;
        }
        started = 1;
        t->line++;
        while (t->pos < t->len) {
            char c = t->buf[t->pos++];
            int r = process(t, (unsigned char)c);
            if (r < 0) return r;
            if (c == '\n') break;
            if (c == '\r') {
                if (t->pos < t->len && t->buf[t->pos] == '\n') {
                    t->pos++;
                    if ((r = process(t, '\n')) < 0) return r;
                }
                break;
            }
        }
        int r = process(t, EOL);
        if (r < 0) return r;
        if (t->st == START_RECORD) return 1;
    }
}


PyObject *field_str(Tokenizer *t, Py_ssize_t i) {
    Py_ssize_t n;
    const char *s = field(t, i, &n);
    return PyUnicode_DecodeUTF8(s, n, "strict");
}




PyObject *stripped(PyObject *s, const char *raw, Py_ssize_t n) {
    if (plain_ends(raw, n)) { Py_INCREF(s); return s; }
    return PyObject_CallMethod(s, "strip", NULL);
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
        if (!e->key || (e->hash == h && e->len == len && memcmp(e->key, key, len) == 0)) return e;
        i = (i + 1) & mask;
    }
}

/* the value for key, or NULL (no error); *idx its insertion index */
PyObject *map_get(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, Py_ssize_t *idx) {
    Entry *e = map_find(m, key, len, h);
    if (e && e->key) { *idx = e->idx; return e->value; }
    return NULL;
}

/* stores a new reference to value; -1 out of memory */
int map_put(Map *m, const char *key, Py_ssize_t len, Py_hash_t h, PyObject *value) {
    if ((m->used + 1) * 2 > m->cap) {
        Py_ssize_t cap = m->cap ? m->cap * 2 : 1024;
        Entry *grown = calloc(cap, sizeof(Entry)), *old = m->entries;
        if (!grown) return -1;
        Py_ssize_t old_cap = m->cap;
        m->entries = grown;
        m->cap = cap;
        for (Py_ssize_t i = 0; i < old_cap; i++)
            if (old[i].key) *map_find(m, old[i].key, old[i].len, old[i].hash) = old[i];
        free(old);
    }
    Entry *e = map_find(m, key, len, h);
    char *copy = malloc(len ? len : 1);
    if (!copy) return -1;
    memcpy(copy, key, len);
    e->hash = h;
    e->idx = m->used;  /* insertion order */
    e->key = copy;
    e->len = len;
    Py_INCREF(value);
    e->value = value;
    m->used++;
    return 0;
}

void map_free(Map *m) {
    for (Py_ssize_t i = 0; i < m->cap; i++) {
        if (m->entries[i].key) {
            free(m->entries[i].key);
            Py_DECREF(m->entries[i].value);
        }
    }
    free(m->entries);
    m->entries = NULL;
    m->cap = m->used = 0;
}

/* key = each cell's length (8 bytes) then its bytes, in a growing buffer; -1 out of memory */
int key_add(char **buf, Py_ssize_t *len, Py_ssize_t *cap, const char *s, Py_ssize_t n) {
    if (*len + n + 8 > *cap) {
        Py_ssize_t c = (*len + n + 8) * 2;
        char *grown = realloc(*buf, c);
        if (!grown) return -1;
        *buf = grown;
        *cap = c;
    }
    memcpy(*buf + *len, &n, 8);
    memcpy(*buf + *len + 8, s, n);
    *len += n + 8;
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