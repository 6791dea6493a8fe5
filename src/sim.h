/*
 * sim.h — the flow-level simulator's engine (internal for now; the public
 * `lf_sim_*` API, workloads and the CLI verb build on it).
 */
#ifndef LF_SIM_H
#define LF_SIM_H

#include "lightfab.h"

typedef enum lf_route { LF_ROUTE_ECMP, LF_ROUTE_SPRAY } lf_route;

typedef struct lf_sim_config {
	lf_route route;
	uint64_t seed;            /* ECMP hash seed */
	double efficiency;        /* share of link rate a flow can use (NCCL: ~0.96) */
	double latency_us;        /* per flow start (alpha) */
} lf_sim_config;

typedef struct lf_sim lf_sim;

/* A GPU is (server index, gpu index in the server). */
lf_status lf_sim_new(const lf_plan *plan, const lf_sim_config *cfg, lf_sim **out,
                     lf_error *err);
void lf_sim_free(lf_sim *s);
/* A flow of `bytes` from GPU a to GPU b that starts once all of `deps`
 * have finished (plus the start latency).  Returns its id. */
lf_status lf_sim_add_flow(lf_sim *s, int64_t a, int64_t b, double bytes, const uint32_t *deps,
                          size_t n_deps, uint32_t *id, lf_error *err);
/* Run to completion; *time_s is when the last flow finished. */
lf_status lf_sim_run(lf_sim *s, double *time_s, lf_error *err);
double lf_sim_flow_finish(const lf_sim *s, uint32_t id);
uint64_t lf_sim_events(const lf_sim *s);
/* GPU id from (server, local gpu) */
int64_t lf_sim_gpu(const lf_sim *s, int64_t server, int gpu);

/* Ring all-reduce of `bytes` over `n` GPUs (ids in ring order): 2(n-1)
 * steps of bytes/n per rank, step k of rank i after step k-1 of rank i-1. */
lf_status lf_sim_ring_allreduce(lf_sim *s, const int64_t *gpus, size_t n, double bytes,
                                lf_error *err);

#endif
