/*
 * maxmin.h — incremental max-min fair rate allocation (the core of `sim`).
 *
 * Links have capacities; a flow crosses links with a coefficient each: 1
 * for a flow on one path (ECMP), 1/K on each link of K equal-cost paths
 * when the flow is sprayed evenly (its rate r puts r/K on each path).
 * lfi_mmf_solve() gives every flow its max-min fair rate by progressive
 * filling, recomputing only the flows connected (through shared links) to
 * what changed since the last solve.
 */
#ifndef LF_MAXMIN_H
#define LF_MAXMIN_H

#include <stddef.h>
#include <stdint.h>

#include "core.h"

typedef struct lfi_mmf lfi_mmf;

LF_MUST lf_status lfi_mmf_new(size_t n_links, const double *capacity, lfi_mmf **out,
                              lf_error *err);
void lfi_mmf_free(lfi_mmf *m);
/* Add a flow over `n` links with coefficients (NULL: all 1).  Its id is
 * written to *id; ids of removed flows are reused. */
LF_MUST lf_status lfi_mmf_add(lfi_mmf *m, const uint32_t *links, const double *coeff,
                              size_t n, uint32_t *id, lf_error *err);
void lfi_mmf_remove(lfi_mmf *m, uint32_t id);
/* Cap a flow's rate (0 or INFINITY: no cap); the cap freezes it like a
 * link of its own. */
void lfi_mmf_set_max_rate(lfi_mmf *m, uint32_t id, double max_rate);
/* Change a link's capacity (e.g. a failed link: 0). */
void lfi_mmf_set_capacity(lfi_mmf *m, uint32_t link, double capacity);
/* Recompute the rates of the flows affected since the last solve; the
 * number of flows recomputed goes to *n_solved (may be NULL).  LF_ENOMEM
 * leaves rates stale: the allocator is then only fit to be freed. */
LF_MUST lf_status lfi_mmf_solve(lfi_mmf *m, size_t *n_solved, lf_error *err);
/* Recompute every flow from scratch (the naive baseline). */
LF_MUST lf_status lfi_mmf_solve_all(lfi_mmf *m, size_t *n_solved, lf_error *err);
double lfi_mmf_rate(const lfi_mmf *m, uint32_t id);
/* The flows whose rates the last solve recomputed. */
const uint32_t *lfi_mmf_changed(const lfi_mmf *m, size_t *n);
/* Load of a link under the current rates. */
double lfi_mmf_link_load(const lfi_mmf *m, uint32_t link);
size_t lfi_mmf_n_flows(const lfi_mmf *m);
/* The links of a live flow: n entries of (link, coefficient). */
uint32_t lfi_mmf_flow_len(const lfi_mmf *m, uint32_t id);
void lfi_mmf_flow_entry(const lfi_mmf *m, uint32_t id, uint32_t k, uint32_t *link, double *coeff);

#endif
