/* Add1 certification, shared by its files: mes_certify.c (the rounds over an interval of start budgets),
 * mes_cert_state.c (what a certifier keeps between certifications), mes_cert_peel.c (a project's price bounds from
 * its supporters as items, in floats). */
#ifndef PBTOOLS_MES_CERT_H
#define PBTOOLS_MES_CERT_H
#include "mes.h"

/* a project's supporters as items, arrays by field (so that a pass over them runs on vectors): budget, utility,
 * weight of a budget class's supporters of one utility (or of one group). uni: u[0] is every item's utility (u[i]
 * for i > 0 not written). */
typedef struct {
    double *b, *u, *w;
} Items;

#define EXACT_MAX 9007199254740992.0 /* 2^53 */
#define POOL_MAX ((size_t)1 << 22)  /* weights per class kept: 48 MB at most */

/* what a certification keeps (mes_certify.c; made and freed in mes_cert_state.c) */
struct Certifier {
    int usable;
    double *w, *u;       /* per supporter entry: weight and utility (exact) */
    double *U0;          /* per project: Σ W·u over its supporters (rounded); its cost: E->dcost (exact when usable) */
    int *cls;            /* per group: its class (groups that paid for the same purchases, at the same utility) */
    double *lo, *hi;     /* per class: bounds of its members' budget */
    int *cui, *next, *first, *stamp;  /* per class: utility index it paid at, next child of its parent, first child
                                         made in this purchase (stamp: which purchase) */
    int K, kcap;
    double *acc;         /* per class: scratch weights (zero between uses) */
    int *touched;
    double *x;           /* per project: a lower bound of its price at hi (INFINITY: unaffordable) */
    char *fresh, *alive; /* fresh: x is for the budgets of this round, 2 its peel (tight), 1 a tangent (≥ some y) */
    double hint;         /* after a certification that failed at a rival: the share of [ta, tb] it may hold (NAN) */
    /* Projects found unaffordable, in order (dead, at rounds dead_r), in this certification and in the reference:
     * the last one with the highest hi[0] (ref_hi0), its winners by round (ref_path, ref_n known) */
    int *dead, *dead_r, ndead, *ref_dead, *ref_dead_r, ref_ndead, *ref_path, ref_n;
    double ref_hi0;
    double *hk;          /* a min-heap of the alive projects by x (hk key, hq project; one entry each, key = x) */
    int *hq, hn;
    Items it;            /* scratch: the items of the project priced (each array as long as the most supporters) */
    /* Kept from one certification to the next: which groups form a class, and so each project's weights per class,
     * depend only on the winners before, not on t (classes are numbered in order of making). The winners of the
     * path last taken (path), the classes before each round (kat), each class's parent and utility (cpar, cu), each
     * round's moves of groups to new classes (mv_*), and, under Cost_Sat, each project's weights per class as
     * priced at a round (ic_*: row j holds what was priced before round j's purchase, valid while the winners of
     * rounds 0..j-1 are the path's). */
    int *path, npath, *kat, *cpar;
    double *cu;
    int *mv_off, *mv_g, *mv_c;
    int builds;          /* how many rounds' classes were made (the stamp of the last: first, next)*/
    int cls_round;       /* cls holds the moves of rounds [0, cls_round) of the path */
    int64_t *ic_at;      /* (round · m + project) -> offset in the pool, -1: not kept */
    int *ic_len, *ic_k, ic_rows;
    double *ic_w;
    size_t ic_n, ic_cap;
    int *sel;            /* the selection certify writes (Engine_certify takes it for the call) */
};

/* mes_cert_state.c */
struct Certifier *certifier_new(Engine *E);
int grow_classes(struct Certifier *S, int need);
void classes_at(struct Certifier *S, Engine *E, int j);  /* cls made to hold the moves of rounds [0, j) of the path */
void forget_after(struct Certifier *S, Engine *E, int j);  /* rows of kept weights after round j forgotten */

/* mes_cert_peel.c: Each bound below is of the price ρ of a project whose supporters are the items: the least ρ with
 * f(ρ) = Σ W·min(b, ρ·u) ≥ C. err: a bound of the relative rounding error of any float sum of the n items' terms
 * (the caller's (n + 8)·2^-52). r: where to start, a lower bound of the price (or ≤ 0: C/U). uni: every item has
 * the same u (faster sums). */
int peel_upper(const Items *it, int n, int uni, double C, double U, double err, double r, double *out);  /* 1: *out ≥ price */
int peel_lower(const Items *it, int n, int uni, double C, double U, double err, double r, double *out);  /* 1: *out < price */
/* one pass: 1: price > *out ≥ y (the tangent of f at y); 0: f never reaches C (*out INFINITY); -1: f(y) may reach C */
int tangent_lower(const Items *it, int n, int uni, double C, double err, double y, double *out);
/* which bound of a price: upper (≥ it, peel_upper), lower (< it, peel_lower), or a tangent at r (tangent_lower) */
typedef enum { BOUND_LOWER, BOUND_UPPER, BOUND_TANGENT } BoundKind;
/* the screens, then one of the three: what certification prices with */
int items_bound(const Items *it, int n, int uni, double C, double U, double tot, BoundKind kind, double r, double *out);

#endif
