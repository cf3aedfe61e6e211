/* The compiled MES engine's shared declarations: the election as compiled for MES (Engine), one run's state (Run),
 * and what the files call of each other (_mesnative.c: the Python type and module; mes_run.c: a run's rounds;
 * mes_state.c: a run's memory; mes_track.c: Add1's tracking and restarts; mes_price.c: pricing a project;
 * mes_classes.c: the classes' exact values and sums, declared in mes_classes.h; mes_order.c: the peel's order,
 * mes_order.h; mes_merge.c: merging identical ballots). */
#ifndef PBTOOLS_MES_H
/* A float sum of n non-negative terms (each a product of at most two exact or rounded values, then rounded) is
 * within n·2^-53 of its exact value, relatively, to first order: widened by (n + 2)·2^-52, it is a proven upper
 * (SUM_UP) or lower (SUM_DOWN) bound, whatever n (a fixed 1e-12 is not, past ~9,000 terms). */
#define SUM_UP(s, n) ((s) * (1 + ((double)(n) + 2) * 0x1p-52))
#define SUM_DOWN(s, n) ((s) * (1 - ((double)(n) + 2) * 0x1p-52))
#define PBTOOLS_MES_H
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <gmp.h>
#include "gmp_py.h"
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define POOR 1

typedef struct {
    int n, cap;
    int *k, *ui;     /* class, utility index of each entry (sorted by key = k·width + ui) */
    int64_t *W;      /* weight of the entry (voters) */
    char *poor;      /* pays all it has */
    mpq_t rv, rs;    /* price ρ at t0 and its slope in t */
    mpq_t T, TS;     /* Σ budgets of the supporters and its slope */
    int have_T;      /* T computed (not when floats showed the supporters can pay the cost) */
    double ulo;      /* a lower bound of Σ W·u over the entries that do not pay all they have (rv's split) */
    double wcs;      /* Σ W·c over the entries that pay all they have (rv's split; c: Run.dcc) */
} Price;

/* Cost_Sat: the amounts paid per purchase (or their slopes) as integers over one common denominator D, with the
 * start value (t0, or the slope 1) over D too: a sum over many classes is then integer arithmetic and one division,
 * not a rational addition (a gcd) per purchase. */
typedef struct {
    mpz_t D, base, g;
    mpz_t *N;
    int n;
} Common;

typedef struct {
    PyObject_HEAD
    int ready;  /* Engine_init finished: a failed one leaves arrays missing */
    int G, m, width, by_cost;
    int64_t *w;             /* group weights */
    int *sup_off, *sup_g, *sup_u;  /* per project: supporter groups and utility indices (candidates only) */
    int64_t *sup_w;         /* the weight of each supporter group, beside it (read in one sweep) */
    int64_t *sup_sum;       /* per candidate: its supporters' total weight (Σ W over its entries, whatever their classes) */
    int *tch_off, *tch;     /* per project: the candidates sharing a supporter with it */
    mpz_t *cost;
    double *dcost;          /* the costs in floats (mpz_get_d: rounded toward zero) */
    double nw;              /* the voters' total weight, Σ w summed in floats in group order (outcome_reach, add_gap, certify) */
    mpq_t *uval;            /* utility values (points); under Cost_Sat u = cost */
    double *duval;          /* their float copies */
    int nu;
    int *rank;
    int *cand, ncand;
    int *initial, ninitial;
    struct Run *last;       /* Add1: the last tracked run, kept to restart from (run_restart) */
    struct Certifier *cert; /* Add1: what certify keeps between calls (mes_certify.c), made when first asked */
} Engine;

struct Run;

/* Add1, outcome_reach (mes_track.c): how far t may move from t before a gap between a round's winner and a rival (or
 * what an unaffordable project misses) may close: at least A + B·(t - t0) */
typedef struct {
    double t0, A, B;
} Gap;

/* Add1: where each round of a tracked run started (the lengths of the undo logs, how many classes, picks and gaps
 * there were), the first t above t0 where one of its decisions could change (b, when has); blocked: a gap of the
 * round is not surely positive (outcome_reach) */
typedef struct {
    size_t ncls_log, nlb_log, nalive_log, ngap;
    double ub;  /* the smallest upper bound of the round's gaps between its t0 and its t* (outcome_reach) */
    double cpoor;  /* dcc[POOR] when the round started */
    int blocked;
    int nclass, nsel, has;
    mpq_t b;
    mpq_t t0;   /* the start budget the round was counted at (its logged bounds are at that budget) */
} Round;

/* one run's state */
typedef struct Run {
    Engine *E;
    int nclass, ccap;
    mpq_t *cv, *cs;         /* class value at t0, slope: exact, computed when first read (have) */
    char *have;
    int *par, *pj, *pui;    /* a class was made from class par paying ρ_pj·u (utility index pui) */
    double *dv, *ds, *ev, *es;  /* every class's value and slope in floats, with bounds on their absolute errors */
    mpq_t *rvj, *rsj;       /* per purchase: ρ at t0 and its slope */
    double *drvj, *drsj;    /* their floats (run_restart's scratch) */
    int *pproj;             /* per purchase: the project bought */
    int *cls;               /* group -> class */
    mpq_t *lbv, *lbs;       /* per project: lower bound of its price (affine in t) */
    char *alive, *exact;    /* exact: 1 the price is exact, 2 a float lower bound, for the current budgets; 0 stale */
    Price *pr;
    int *heap, *hpos, hn;   /* the candidates by lower bound (mes_run.c), each one's place in it (-1: out) */
    int *tied;              /* explained runs: scratch for the projects tied with a round's winner (tied_with) */
    int *twin;              /* explained Cost_Sat runs: per candidate, the first candidate with the same supporters */
    int64_t *acc;           /* key -> weight, scratch (zero between uses) */
    size_t acap;
    int *keys, kcap;
    mpq_t t0, tstar, tmp, tmp2, tmp3, ftmp, ftmp2;  /* ftmp*: fill's own */
    mpq_t pq[5], tq[6];     /* scratch kept from call to call: price's (and pay's), track_winner's */
    mpz_t zv, zs, zu, zr, zx, zy, zw, za, zb;  /* integer scratch (Cost_Sat): price's, entry_before's (za, zb) */
    int has_tstar, track;
    double dtstar;          /* t* - t0 in floats, never below the exact value */
    int *selected, nsel;
    int words;              /* Cost_Sat: per class, a bitset of the purchases it paid for (words of 64 bits) */
    uint64_t *bits;
    mpq_t *av, *as;         /* Cost_Sat: per purchase j, what each payer of ρ·u paid (ρ_j·cost_j) and its slope */
    int64_t *paidw;         /* scratch: weight that paid each purchase */
    Common cav, cas;        /* av and as over common denominators */
    int nround;
    double *dkey, *ekey;    /* scratch: the sort keys (budget/utility) in floats and bounds on their errors */
    int *order;             /* scratch for sorting entries */
    int *near;              /* scratch: the entries the float peel's passes read (price) */
    int *sidx;              /* scratch: the entries those passes guessed pay all they have (price) */
    int nsorted;            /* order[0..nsorted) is in the exact peel order (see order_entries) */
    mpq_t *sortkey;         /* scratch keys (b/u) */
    int sortcap;
    /* Add1, a tracked run: a record per round, and undo logs of what rounds change (a group's class, a project's
     * lower bound, a project leaving the candidates), so that a run at a larger t restarts from the first round whose
     * decisions may change there (run_restart) instead of from the first round */
    Round *rounds;
    int nrec, rcap, init_rounds;  /* init_rounds: records whose mpq_t are initialised (new_round) */
    int *log_g, *log_c;     /* group, its class before */
    size_t nlog_cls, cap_cls;
    int *lb_p;              /* project, its lower bound before (lb_v, lb_s: a pool of mpq_t kept initialised) */
    mpq_t *lb_v, *lb_s;
    size_t nlog_lb, cap_lb, init_lb;  /* init_lb: lb_v, lb_s initialised so far (log_bound) */
    int *log_alive;         /* project that left the candidates */
    size_t nlog_alive, cap_alive;
    /* Add1, how far past t* the outcome stays (outcome_reach): float copies of the lower bounds (dlbv, dlbs) and of
     * the Σ W·u they divide by (dlbu, logged with them in lb_u), and each round's gaps */
    double *dlbv, *dlbs, *dlbu, *lb_u, *dlbc, *lb_c;  /* dlbc: the wcs of the lower bound (Price) */
    double dt0;             /* t0 in floats */
    double *dcc;            /* per class: c, its budget grows by at most c·(t - t*) past t* (outcome_reach) */
    Gap *gaps;              /* the gaps that may be the smallest (outcome_reach), per round from rounds[i].ngap */
    size_t ngap, cap_gap;
    double ubmin;           /* the smallest ub of the rounds */
} Run;


static inline void *xcalloc(size_t n, size_t size) { return calloc(n ? n : 1, size); }

/* p = xcalloc(n, sizeof *p) (the size from p's own type), ok cleared if it failed: a list of these, then one test of
 * ok; what was made stays in place for the caller's cleanup to free (it frees NULL as well) */
#define CALLOC_INTO(ok, p, n) ((ok) &= ((p) = xcalloc((n), sizeof *(p))) != NULL)

/* *p grown to n items of size bytes; -1 (and *p as it was, still to be freed) if the memory is not there: a plain
 * p = realloc(p, ...) would lose the old block and leave NULL where the cleanup reads */
static inline int xgrow(void *p, size_t n, size_t size) {
    void **a = (void **)p;
    if (n && size > SIZE_MAX / n) return -1;
    void *q = realloc(*a, n ? n * size : 1);
    if (!q) return -1;
    *a = q;
    return 0;
}


/* the utility of entry (project p, utility index ui): the cost under Cost_Sat, else the points */
static inline void util(Engine *E, int p, int ui, mpq_t out) {
    if (E->by_cost) mpq_set_z(out, E->cost[p]);
    else mpq_set(out, E->uval[ui]);
}

static inline void addmul_si(mpq_t acc, const mpq_t x, int64_t w, mpq_t tmp) {  /* acc += w·x */
    mpz_set_si(mpq_numref(tmp), w);
    mpz_set_ui(mpq_denref(tmp), 1);
    mpq_mul(tmp, tmp, x);
    mpq_add(acc, acc, tmp);
}

/* mes_price.c */
extern int mes_force_screens;
int price(Run *R, int p, int rough);  /* 1: affordable, its exact price in R->pr[p]; 2 (rough): a float lower bound there; 0: not affordable; -1: error */

/* mes_state.c */
int class_room(Run *R, int n);  /* room for n more classes (each then made as new_class makes one) */
int new_class(Run *R);
int run_init(Run *R, Engine *E, const mpq_t t0, int track);
void run_free(Run *R);

/* mes_run.c */
int run_count(Run *R, PyObject *purchases, int resume);  /* purchases: a list to fill with each purchase's record, or NULL */

/* mes_track.c (Add1: a tracked run; each log_* and drop does nothing but its own change in an untracked run) */
int log_room(Run *R, size_t n);  /* room in the class log for n more groups (then log_class each) */
static inline void log_class(Run *R, int g) {  /* before group g moves to another class (after log_room) */
    if (!R->track) return;
    R->log_g[R->nlog_cls] = g;
    R->log_c[R->nlog_cls++] = R->cls[g];
}
int log_bound(Run *R, int p);  /* before p's lower bound changes */
int drop(Run *R, int p);  /* p leaves the candidates */
int new_round(Run *R);  /* the record of a round starting */
void track_winner(Run *R, int best);  /* t*: where the winner may stop being affordable or a payer change side */
void outcome_reach(Run *R);  /* t* moved up to where the outcome may change */
int add_gap(Run *R, double a, double b, double ea, double eb, double u, double wc);  /* a gap of the round (outcome_reach) */
int run_restart(Run *R, const mpq_t t0);  /* a tracked run moved to a larger t0, from the first round that may change */

/* mes_certify.c */
struct Certifier;
void certifier_free(struct Certifier *S);
PyObject *Engine_certify(Engine *E, PyObject *args);
PyObject *Engine_certify_hint(Engine *E, PyObject *ignored);
PyObject *mes_cert_peel_test(PyObject *self, PyObject *args);  /* _mesnative.cert_peel: a test hook (mes_cert_peel.c) */

/* mes_merge.c */
PyObject *mes_merge(PyObject *self, PyObject *args);

#endif
