/* Project ids and voter ids by value where they are plain numbers, by their bytes otherwise (pb_ids.c). Used by
 * _pbnative.c's VOTES loop. */
#ifndef PBTOOLS_PB_IDS_H
#define PBTOOLS_PB_IDS_H
#include "pb_scan.h"

/* PROJECTS' ids by their bytes. Ids written as plain numbers (digits, no leading zero: most files) are also found
 * by their value in a table spanning their values (base .. base + size - 1, at most NUMBERED_MAX), without hashing:
 * an item written that way is a project exactly when the table has it. */
#define NUMBERED_MAX (1 << 18)

typedef struct {
    Map map;              /* id bytes -> the id; an entry's idx is the project's index (PROJECTS' order) */
    PyObject **ids;       /* index -> the id (borrowed from projects) */
    int32_t *by_number;   /* value - base -> index + 1 (0: no project) of ids written as plain numbers, or NULL */
    Py_ssize_t base, size;
    uint32_t *mark, round; /* mark[index] == round: the project is on the ballot being read (fast_choice) */
} Pids;

/* the value of a plain number of up to 18 digits (no leading zero), or -1 */
static inline int64_t plain_number64(const char *s, Py_ssize_t n) {
    if (n < 1 || n > 18 || (s[0] == '0' && n > 1)) return -1;
    int64_t value = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9') return -1;
        value = value * 10 + (s[i] - '0');
    }
    return value;
}

/* the value of a plain number of 1-9 digits (a project id), or -1 */
static inline Py_ssize_t plain_number(const char *s, Py_ssize_t n) { return n > 9 ? -1 : (Py_ssize_t)plain_number64(s, n); }

/* the index of the project with these bytes as its id, or -1 (none; no error). By the bytes only: the map holds
 * every id, and fast_choice looks a plain number up in by_number (where there is one) before it comes here. */
static inline Py_ssize_t pid_index(Pids *pids, const char *s, Py_ssize_t n) {
    Py_ssize_t at;
    return map_get(&pids->map, s, n, hash_bytes(s, n), &at) ? at : -1;
}

/* a new ballot: no project marked on it */
static inline void pids_new_ballot(Pids *pids) {
    if (++pids->round == 0) {  /* wrapped (after 4 billion ballots): every mark cleared */
        memset(pids->mark, 0, pids->map.used * sizeof(uint32_t));
        pids->round = 1;
    }
}

/* rest: the bytes left to read (the table is made only where clearing it costs less); -1 out of memory or an id
 * that is not a str (an error set); pids_free after either outcome */
int pids_init(Pids *pids, PyObject *projects, Py_ssize_t rest);
void pids_free(Pids *pids);

/* The voter ids seen (a compact read): voter i's stripped id is ids[off[i] : off[i + 1]]; the set holds voter
 * indices, keyed by the id's bytes with CPython's randomized hash (equal str <=> equal UTF-8 bytes). */
typedef struct {
    Py_hash_t *hash;
    int32_t *voter;
    Py_ssize_t cap, used;
    /* ids written as plain numbers (digits, no leading zero; most files number their voters) are kept by value,
     * without hashing their bytes: below NUMBERED_IDS a bit each, larger ones (up to 18 digits) in a table of
     * numbers. Such an id equals no other id as text unless it is the same number, so the kinds never meet. */
    uint64_t *numbers;
    Py_ssize_t numbers_cap;  /* in 64-bit words */
    uint64_t *big;           /* number + 1 (0: a free slot), open addressing */
    Py_ssize_t big_cap, big_used;
    uint64_t big_mult;       /* the slot of x: the high big_bits bits of x * big_mult (odd, from the process's hash key) */
    int big_bits;            /* big_cap == 1 << big_bits */
    Py_ssize_t rest;         /* the bytes left to read when the set was made: its tables' first size */
} IdSet;

/* 1 if the id (bytes s, n) was seen, else adds voter v (its bytes are ids[off[v] : off[v + 1]] once added) and
 * returns 0; -1 out of memory */
int idset_add(IdSet *set, Buf *ids, Buf *off, const char *s, Py_ssize_t n, int32_t v);
void idset_free(IdSet *set);

#endif
