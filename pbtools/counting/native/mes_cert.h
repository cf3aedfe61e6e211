/* Add1 certification: a project's price bounds from its supporters as items, in floats (mes_cert_peel.c, used by
 * mes_certify.c). */
#ifndef PBTOOLS_MES_CERT_H
#define PBTOOLS_MES_CERT_H
#include <math.h>

typedef struct {
    double b, u, w;  /* budget, utility, weight: a budget class's supporters of one utility (or one group) */
} Item;

/* Each bound below is of the price ρ of a project whose supporters are the items: the least ρ with
 * f(ρ) = Σ W·min(b, ρ·u) ≥ C. err: a bound of the relative rounding error of any float sum of the n items' terms
 * (the caller's (n + 8)·2^-52). r: where to start, a lower bound of the price (or ≤ 0: C/U). uni: every item has
 * the same u (faster sums). */
int peel_upper(const Item *it, int n, int uni, double C, double U, double err, double r, double *out);  /* 1: *out ≥ price */
int peel_lower(const Item *it, int n, int uni, double C, double U, double err, double r, double *out);  /* 1: *out < price */
/* one pass: 1: price > *out ≥ y (the tangent of f at y); 0: f never reaches C (*out INFINITY); -1: f(y) may reach C */
int tangent_lower(const Item *it, int n, double C, double err, double y, double *out);

#endif
