/*
 * sim.h — internals shared by the simulator's modules: sim.c (engine,
 * routing, events) and collective.c (collective algorithms as flows with
 * dependencies).  The public API is the "sim" section of lightfab.h.
 */
#ifndef LF_SIM_H
#define LF_SIM_H

#include "internal.h"

/* A flow of `bytes` from GPU a to GPU b that starts once all of `deps`
 * have finished, plus the start latency (none for a zero-byte barrier).
 * Returns its id. */
lf_status lf_sim_add_flow(lf_sim *s, int64_t a, int64_t b, double bytes, const uint32_t *deps,
                          size_t n_deps, uint32_t *id, lf_error *err);
/* A zero-byte flow that finishes as soon as all of `deps` have: joins
 * phases together without latency. */
lf_status lf_sim_add_barrier(lf_sim *s, const uint32_t *deps, size_t n_deps, uint32_t *id,
                             lf_error *err);
/* The same, standing for `steps` steps between a and b: it starts after
 * steps x (alpha + switches x hop latency). */
lf_status lf_sim_add_flow_steps(lf_sim *s, int64_t a, int64_t b, double bytes, double steps,
                                const uint32_t *deps, size_t n_deps, uint32_t *id, lf_error *err);
bool lf_sim_exact_rings(const lf_sim *s);
size_t lf_sim_n_flow_ids(const lf_sim *s);
double lf_sim_flow_finish(const lf_sim *s, uint32_t id);
double lf_sim_flow_start(const lf_sim *s, uint32_t id);
int lf_sim_gpus_per_server(const lf_sim *s);
double lf_sim_chunk_bytes(const lf_sim *s);

/* collective.c: add the flows of one collective.  Root flows depend on
 * `deps`; every flow id is appended to `ids`. */
lf_status lf_coll_build(lf_sim *s, lf_coll coll, lf_algo algo, const int64_t *gpus, size_t n,
                        double bytes, const uint32_t *deps, size_t n_deps, lf_vec *ids,
                        lf_algo *used, lf_error *err);

#endif
