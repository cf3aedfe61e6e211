/* The peel's order of a price's entries (mes_order.c): sorted only as far as the peel reads (see_entry). */
#ifndef MES_ORDER_H
#define MES_ORDER_H
#include "mes.h"

int sort_entries(Run *R, Price *P);  /* a winner's entries in key order */
int ensure_sort(Run *R, int n);  /* the sort scratch (order, keys) for n entries */
void order_entries(Run *R, int p, Price *P, double thr);  /* order: those whose key may lie below thr sorted first */
void sort_from(Run *R, int p, Price *P, int from);  /* order[from..n) sorted */
int entry_before(Run *R, int p, const Price *P, int i, int j);  /* entry i before entry j in the peel's order */
void sort_by_rank(const Engine *E, int *projects, int n);  /* projects[0..n) in tie order (tied_with) */
static inline int see_entry(Run *R, int p, Price *P, int j) {  /* order[j], in its exact place */
    if (j >= R->nsorted) {
        sort_from(R, p, P, R->nsorted);
        R->nsorted = P->n;
    }
    return R->order[j];
}

#endif
