/* Project ids and voter ids by value where they are plain numbers, by their bytes otherwise (see pb_ids.h). */
#include "pb_ids.h"

int pids_init(Pids *pids, PyObject *projects, Py_ssize_t rest) {
    memset(pids, 0, sizeof *pids);
    PyObject *pid, *value;
    Py_ssize_t i = 0, top = -1, low = -1, count = PyDict_GET_SIZE(projects);
    pids->ids = malloc((count + 1) * sizeof(PyObject *));
    pids->mark = calloc(count + 1, sizeof(uint32_t));
    if (!pids->ids || !pids->mark) return -1;
    while (PyDict_Next(projects, &i, &pid, &value)) {
        Py_ssize_t n, index = pids->map.used;
        const char *s = PyUnicode_Check(pid) ? PyUnicode_AsUTF8AndSize(pid, &n) : NULL;
        if (!s || index >= count || map_put(&pids->map, s, n, hash_bytes(s, n), pid) < 0) return -1;
        pids->ids[index] = pid;  /* the map's idx of this entry (insertion order) */
        Py_ssize_t number = plain_number(s, n);
        if (number > top) top = number;
        if (number >= 0 && (low < 0 || number < low)) low = number;
    }
    /* the table spans the ids' values (37815..37873: 59 entries) and is cleared on every read (calloc): only where
     * clearing it costs no more than reading the rest of the file */
    Py_ssize_t size = top - low + 1;
    if (top >= 0 && size <= NUMBERED_MAX && size * (Py_ssize_t)sizeof(int32_t) <= rest + 4096) {
        pids->base = low;
        pids->size = size;
        pids->by_number = calloc(pids->size, sizeof(int32_t));
        if (!pids->by_number) return -1;
        for (Py_ssize_t k = 0; k < pids->map.used; k++) {
            Py_ssize_t n;
            const char *s = PyUnicode_AsUTF8AndSize(pids->ids[k], &n);
            Py_ssize_t number = plain_number(s, n);
            if (number >= 0) pids->by_number[number - low] = (int32_t)(k + 1);
        }
    }
    return 0;
}

void pids_free(Pids *pids) {
    map_free(&pids->map);
    free(pids->by_number);
    free(pids->ids);
    free(pids->mark);
    pids->by_number = NULL;
    pids->ids = NULL;
    pids->mark = NULL;
}

#define NUMBERED_IDS (1 << 24)

/* Multiply-shift hashing with a random odd multiplier is universal: however the numbers were chosen, two of them
 * share a slot with probability about 2 / capacity, so a file made to collide cannot make reading quadratic. */
static inline size_t big_slot(const IdSet *set, uint64_t key) { return (size_t)((key * set->big_mult) >> (64 - set->big_bits)); }

/* a table's first capacity (a power of two): from the voters the rest of the file may hold (a row takes at least a
 * few bytes), so that a tiny file clears a small table and a large one is not rehashed again and again */
static Py_ssize_t first_cap(const IdSet *set) {
    Py_ssize_t cap = 64;
    while (cap < 4096 && cap * 8 < set->rest) cap *= 2;
    return cap;
}

/* 1 if the number was seen, else adds it and returns 0; -1 out of memory */
static int big_add(IdSet *set, uint64_t number) {
    uint64_t key = number + 1;
    if ((set->big_used + 1) * 2 > set->big_cap) {
        Py_ssize_t old_cap = set->big_cap;
        Py_ssize_t cap = old_cap ? old_cap * 2 : first_cap(set);
        uint64_t *old = set->big, *grown = calloc(cap, sizeof(uint64_t));
        if (!grown) return -1;
        if (!set->big_mult) set->big_mult = (uint64_t)hash_bytes("pbtools voter ids", 17) | 1;
        set->big = grown;
        set->big_cap = cap;
        for (set->big_bits = 0; ((Py_ssize_t)1 << set->big_bits) < cap; set->big_bits++) {}  /* cap == 1 << big_bits */
        for (Py_ssize_t i = 0; i < old_cap; i++) {
            if (!old[i]) continue;
            size_t j = big_slot(set, old[i]);
            while (grown[j]) j = (j + 1) & (size_t)(set->big_cap - 1);
            grown[j] = old[i];
        }
        free(old);
    }
    size_t j = big_slot(set, key);
    while (set->big[j]) {
        if (set->big[j] == key) return 1;
        j = (j + 1) & (size_t)(set->big_cap - 1);
    }
    set->big[j] = key;
    set->big_used++;
    return 0;
}

/* 1 if the id (bytes s, n) was seen, else adds voter v and returns 0; -1 out of memory */
int idset_add(IdSet *set, Buf *ids, Buf *off, const char *s, Py_ssize_t n, int32_t v) {
    int64_t number = plain_number64(s, n);
    if (number >= NUMBERED_IDS) return big_add(set, (uint64_t)number);
    if (number >= 0) {
        Py_ssize_t word = number >> 6;
        if (word >= set->numbers_cap) {
            Py_ssize_t cap = set->numbers_cap ? set->numbers_cap : 64;
            while (cap <= word) cap *= 2;
            uint64_t *grown = realloc(set->numbers, cap * sizeof(uint64_t));
            if (!grown) return -1;
            memset(grown + set->numbers_cap, 0, (cap - set->numbers_cap) * sizeof(uint64_t));
            set->numbers = grown;
            set->numbers_cap = cap;
        }
        uint64_t bit = (uint64_t)1 << (number & 63);
        if (set->numbers[word] & bit) return 1;
        set->numbers[word] |= bit;
        return 0;
    }
    if ((set->used + 1) * 2 > set->cap) {
        Py_ssize_t cap = set->cap ? set->cap * 2 : first_cap(set), old_cap = set->cap;
        Py_hash_t *hash = malloc(cap * sizeof(Py_hash_t));
        int32_t *voter = malloc(cap * sizeof(int32_t));
        if (!hash || !voter) { free(hash); free(voter); return -1; }
        for (Py_ssize_t i = 0; i < cap; i++) voter[i] = -1;
        for (Py_ssize_t i = 0; i < old_cap; i++) {
            if (set->voter[i] < 0) continue;
            size_t j = (size_t)set->hash[i] & (size_t)(cap - 1);
            while (voter[j] >= 0) j = (j + 1) & (size_t)(cap - 1);
            hash[j] = set->hash[i];
            voter[j] = set->voter[i];
        }
        free(set->hash);
        free(set->voter);
        set->hash = hash;
        set->voter = voter;
        set->cap = cap;
    }
    Py_hash_t h = hash_bytes(s, n);
    const int64_t *offs = (const int64_t *)off->data;
    size_t j = (size_t)h & (size_t)(set->cap - 1);
    while (set->voter[j] >= 0) {
        int32_t w = set->voter[j];
        if (set->hash[j] == h && offs[w + 1] - offs[w] == n && memcmp(ids->data + offs[w], s, n) == 0) return 1;
        j = (j + 1) & (size_t)(set->cap - 1);
    }
    set->hash[j] = h;
    set->voter[j] = v;
    set->used++;
    return 0;
}

void idset_free(IdSet *set) {
    free(set->hash);
    free(set->voter);
    free(set->numbers);
    free(set->big);
    memset(set, 0, sizeof *set);
}
