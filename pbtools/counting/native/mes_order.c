/* The peel's order: a project's entries by budget/utility (floats, then exact comparisons where they cannot tell),
 * sorted only as far as the peel reads; and a winner's entries in key order (sort_entries). */
#include "mes.h"
#include "mes_classes.h"
#include "mes_order.h"

/* In-place sorts of int arrays with the comparison inlined (qsort's callback was a fifth of an Add1 count's time):
 * quicksort on the median of three, insertion sort below 16 elements, the smaller side first (log n stack). */
#define DEFINE_SORT(NAME, T, LESS, ...)                                                           \
    static void NAME(T *a, int n, __VA_ARGS__) {                                                  \
        while (n > 16) {                                                                          \
            int m = n / 2;                                                                        \
            T x, y, t;                                                                            \
            x = a[0], y = a[m];                                                                   \
            if (LESS(y, x)) { a[0] = y; a[m] = x; }                                               \
            x = a[m], y = a[n - 1];                                                               \
            if (LESS(y, x)) { a[m] = y; a[n - 1] = x; x = a[0]; y = a[m];                         \
                              if (LESS(y, x)) { a[0] = y; a[m] = x; } }                           \
            T pv = a[m];                                                                          \
            int i = 0, j = n - 1;                                                                 \
            for (;;) {                                                                            \
                while (LESS(a[i], pv)) i++;                                                       \
                while (LESS(pv, a[j])) j--;                                                       \
                if (i >= j) break;                                                                \
                t = a[i]; a[i] = a[j]; a[j] = t; i++; j--;                                        \
            }                                                                                     \
            /* a[0..j] <= pv <= a[j+1..n-1] */                                                    \
            if (j + 1 < n - j - 1) { NAME(a, j + 1, ARGS_##NAME); a += j + 1; n -= j + 1; }       \
            else { NAME(a + j + 1, n - j - 1, ARGS_##NAME); n = j + 1; }                          \
        }                                                                                         \
        for (int i = 1; i < n; i++) {                                                             \
            T x = a[i];                                                                           \
            int j = i - 1;                                                                        \
            while (j >= 0 && LESS(x, a[j])) { a[j + 1] = a[j]; j--; }                             \
            a[j + 1] = x;                                                                         \
        }                                                                                         \
    }

/* plain 64-bit integers */
#define U64_LESS(x, y) ((x) < (y))
#define ARGS_sort_u64 dummy
DEFINE_SORT(sort_u64, uint64_t, U64_LESS, int dummy)
/* projects by tie rank alone: ranks are distinct (TieRule.ranks numbers the projects 0..m-1 in tie order; Engine_init
 * refuses any other), as the run's heap (mes_run.c) takes them too, and tied_with sorts distinct projects */
#define RANK_LESS(x, y) (rank[x] < rank[y])
#define ARGS_sort_ranked rank
DEFINE_SORT(sort_ranked, int, RANK_LESS, const int *rank)

void sort_by_rank(const Engine *E, int *projects, int n) { sort_ranked(projects, n, E->rank); }

/* entries by their float key, then by index (the order qsort with cmp_dkey gave) */
#define KEY_LESS(x, y) (key[x] < key[y] || (key[x] == key[y] && (x) < (y)))
#define ARGS_sort_by_key key
DEFINE_SORT(sort_by_key, int, KEY_LESS, const double *key)

/* a winner's entries in key order (the Python engine's order: it numbers the new classes and lists the payments) */
int sort_entries(Run *R, Price *P) {
    int n = P->n, w = R->E->width;
    uint64_t *kv = xcalloc(n, sizeof(uint64_t));  /* key << 32 | entry: distinct keys, so the key order */
    int *ti = xcalloc(n, sizeof(int));
    int64_t *tw = xcalloc(n, sizeof(int64_t));
    char *tp = xcalloc(n, 1);
    int rc = 0;
    if (!kv || !ti || !tw || !tp) { rc = -1; goto out; }
    for (int i = 0; i < n; i++) kv[i] = (uint64_t)(P->k[i] * w + P->ui[i]) << 32 | (uint32_t)i;
    sort_u64(kv, n, 0);
#define PERMUTE(arr, tmp, size) \
    for (int i = 0; i < n; i++) tmp[i] = arr[(uint32_t)kv[i]]; \
    memcpy(arr, tmp, n * size);
    PERMUTE(P->k, ti, sizeof(int))
    PERMUTE(P->ui, ti, sizeof(int))
    PERMUTE(P->W, tw, sizeof(int64_t))
    PERMUTE(P->poor, tp, 1)
#undef PERMUTE
out:
    free(kv); free(ti); free(tw); free(tp);
    return rc;
}

/* entry i before entry j in the peel: budget/utility ascending, then entry order */
int entry_before(Run *R, int p, const Price *P, int i, int j) {
    Engine *E = R->E;
    int c;
    if (R->dkey[i] + R->ekey[i] < R->dkey[j] - R->ekey[j]) return 1;  /* the floats tell them apart */
    if (R->dkey[i] - R->ekey[i] > R->dkey[j] + R->ekey[j]) return 0;
    if (R->bits) {  /* Cost_Sat: the budgets times one common denominator, no fraction made */
        class_num(R, P->k[i], R->za, NULL);
        class_num(R, P->k[j], R->zb, NULL);
        c = mpz_cmp(R->za, R->zb);
        return c < 0 || (c == 0 && i < j);
    }
    mpq_ptr vi = CV(R, P->k[i]), vj = CV(R, P->k[j]);
    if (E->by_cost) c = mpq_cmp(vi, vj);
    else {
        mpq_mul(R->tmp, vi, E->uval[P->ui[j]]);
        mpq_mul(R->tmp2, vj, E->uval[P->ui[i]]);
        c = mpq_cmp(R->tmp, R->tmp2);
    }
    return c < 0 || (c == 0 && i < j);
}

int ensure_sort(Run *R, int n) {
    if (n <= R->sortcap) return 0;
    if (n > INT_MAX / 2) return -1;
    int cap = n * 2;
    /* only sortcap of them initialised until all four have grown (what run_free clears) */
    if (xgrow(&R->sortkey, cap, sizeof(mpq_t)) < 0 || xgrow(&R->order, cap, sizeof(int)) < 0 ||
        xgrow(&R->dkey, cap, sizeof(double)) < 0 || xgrow(&R->ekey, cap, sizeof(double)) < 0 ||
        xgrow(&R->near, cap, sizeof(int)) < 0 || xgrow(&R->sidx, cap, sizeof(int)) < 0)
        return -1;
    for (int i = R->sortcap; i < cap; i++) { mpq_init(R->sortkey[i]); R->sortcap = i + 1; }  /* see log_bound */
    return 0;
}

/* order[from..n) sorted: by float key, then exact comparisons where the floats cannot tell (an insertion pass) */
void sort_from(Run *R, int p, Price *P, int from) {
    int *o = R->order + from, n = P->n - from;
    sort_by_key(o, n, R->dkey);
    for (int j = 1; j < n; j++) {
        int x = o[j], i = j - 1;
        while (i >= 0 && entry_before(R, p, P, x, o[i])) { o[i + 1] = o[i]; i--; }
        o[i + 1] = x;
    }
}

/* The peel reads the entries in budget/utility order only until the first one who can pay the price, usually a few
 * of thousands: only the entries whose float key may lie below thr (an estimate of where that is) are sorted. The
 * first R->nsorted entries of order are then in their exact place; see_entry(j) sorts the rest when the peel reads
 * past them. */
void order_entries(Run *R, int p, Price *P, double thr) {
    int n = P->n, nf = 0;
    double min_back = INFINITY, first_above = INFINITY;
    /* the front also holds the entry above thr surely first (the smallest upper bound): the peel reads it last */
    for (int i = 0; i < n; i++)
        if (!(R->dkey[i] - R->ekey[i] <= thr) && R->dkey[i] + R->ekey[i] < first_above) first_above = R->dkey[i] + R->ekey[i];
    if (first_above < INFINITY) thr = first_above;
    for (int i = 0; i < n; i++) {  /* the front first (in order), then the back (in reverse order); no branches */
        R->order[nf] = i;
        nf += R->dkey[i] - R->ekey[i] <= thr;
    }
    for (int i = n - 1, b = nf; i >= 0; i--) {
        double lo = R->dkey[i] - R->ekey[i];
        int back = !(lo <= thr);
        R->order[b] = i;  /* b < n while a back entry is still to come; past the last one, a write at n: order has room */
        b += back;
        min_back = back && lo < min_back ? lo : min_back;
    }
    int save = P->n;
    P->n = nf;  /* sort_from reads P->n as the end */
    sort_from(R, p, P, 0);
    P->n = save;
    /* a front entry surely below every back entry is in its place, and so is every entry before it */
    int v = 0;
    if (nf == n) v = n;
    else
        for (int j = nf - 1; j >= 0; j--)
            if (R->dkey[R->order[j]] + R->ekey[R->order[j]] < min_back) { v = j + 1; break; }
    R->nsorted = v;
}
