/*
 * sim.h — internals shared by the simulator's modules: sim.c (engine,
 * routing, events) and collective.c (collective algorithms as flows with
 * dependencies).  The public API is the "sim" section of lightfab.h.
 */
#ifndef LF_SIM_H
#define LF_SIM_H

#include "core.h"

/* A flow of `bytes` from GPU a to GPU b that starts once all of `deps`
 * have finished, plus the start latency (none for a zero-byte barrier).
 * Returns its id. */
lf_status lfi_sim_add_flow(lf_sim *s, int64_t a, int64_t b, double bytes, const uint32_t *deps,
                           size_t n_deps, uint32_t *id, lf_error *err);
/* A zero-byte flow that finishes as soon as all of `deps` have: joins
 * phases together without latency. */
lf_status lfi_sim_add_barrier(lf_sim *s, const uint32_t *deps, size_t n_deps, uint32_t *id,
                              lf_error *err);
/* The same, standing for `steps` steps between a and b: it starts after
 * steps x (alpha + switches x hop latency). */
lf_status lfi_sim_add_flow_steps(lf_sim *s, int64_t a, int64_t b, double bytes, double steps,
                                 const uint32_t *deps, size_t n_deps, uint32_t *id, lf_error *err);
bool lfi_sim_exact_rings(const lf_sim *s);
bool lfi_sim_streaming(const lf_sim *s);   /* stream pairwise all-to-all rounds */
size_t lfi_sim_n_flow_ids(const lf_sim *s);
double lfi_sim_flow_finish(const lf_sim *s, uint32_t id);
double lfi_sim_flow_start(const lf_sim *s, uint32_t id);
int lfi_sim_gpus_per_server(const lf_sim *s);
double lfi_sim_chunk_bytes(const lf_sim *s);

/* LF_ROUTE_DEFAULT made concrete for the plan's fabric. */
lf_route lfi_sim_resolve_route(const lf_plan *pl, lf_route r);
/* A flow that starts `latency_s` after its dependencies (no per-hop term). */
lf_status lfi_sim_add_flow_lat(lf_sim *s, int64_t a, int64_t b, double bytes, double latency_s,
                               const uint32_t *deps, size_t n_deps, uint32_t *id, lf_error *err);
const lf_plan *lfi_sim_plan(const lf_sim *s);
const lf_sim_config *lfi_sim_cfg(const lf_sim *s);
/* GPUs sharing one NVLink domain (a server, or an NVL72 rack) */
int64_t lfi_sim_domain_gpus(const lf_sim *s);
/* servers (trays) sharing one NVLink domain */
int64_t lfi_servers_per_domain(const lf_server *sv);
/* Append a note on the run (options an algorithm did not use, and why). */
void lfi_sim_note(lf_sim *s, const char *fmt, ...) LF_PRINTF(2, 3);
const char *lfi_sim_notes(const lf_sim *s);

/* nccl.c: NCCL's tuner and latency model (header comment there).  Algorithm
 * and protocol indices in NCCL's order. */
enum { NC_TREE, NC_RING, NC_COLLNET_DIRECT, NC_COLLNET_CHAIN, NC_NVLS, NC_NVLS_TREE, NC_PAT,
       NC_NALGO };
enum { NC_LL, NC_LL128, NC_SIMPLE, NC_NPROTO };

typedef struct nccl_shape {
	int n_ranks, n_nodes;     /* nodes = NVLink domains the ranks span */
	double ppn;               /* ranks per node */
	bool uniform;             /* every node holds ppn consecutive ranks */
	lf_gpu_arch arch;
	bool amd_cpu;
	bool nvlink;              /* GPUs of a node meet over NVLink (else PCI) */
	bool nvswitch;            /* ... through NVSwitch */
	bool nvls;                /* NVLS can run (NVSwitch, Hopper or later) */
	bool collnet;             /* SHARP switches and sharp enabled */
	double nvlink_gbs;        /* per GPU, each direction (GB/s, line rate) */
	double net_gbs;           /* a node's NICs used by the ranks (GB/s, line rate) */
	double net_eff_gbs;       /* the same at the simulated efficiency */
	int nics;                 /* NICs per node the ranks use */
	int channels, nvls_channels;
	double domain_ranks;      /* ranks of one NVLink domain in the communicator */
} nccl_shape;

typedef struct nccl_table {
	double bw[NC_NALGO][NC_NPROTO];    /* algorithm bandwidth GB/s; 0 = not run */
	double lat[NC_NALGO][NC_NPROTO];   /* us */
} nccl_table;

bool nccl_supported(const nccl_shape *c, int algo, int proto, lf_coll coll);
void nccl_tune(const nccl_shape *c, lf_coll coll, nccl_table *t);
double nccl_tuner_time_us(const nccl_shape *c, const nccl_table *t, lf_coll coll, int algo,
                          int proto, double bytes);
/* The (algorithm, protocol) of least tuner time; force_* < 0: free.
 * Returns the algorithm, or -1 when none runs. */
int nccl_pick(const nccl_shape *c, lf_coll coll, double bytes, int force_algo, int force_proto,
              int *proto);
double nccl_latency_us(const nccl_shape *c, lf_coll coll, int algo, int proto, double bytes);
/* Share of the simulated link rate the (algorithm, protocol) reaches. */
double nccl_bw_factor(const nccl_shape *c, lf_coll coll, int algo, int proto);
double nccl_nvls_eff(lf_gpu_arch arch);
double nccl_nvlink_share(lf_gpu_arch arch);
double nccl_a2a_net_eff(void);
/* Levels of a binary tree over x nodes: ceil(log2 x). */
int nccl_tree_depth(double x);

/* The links flow `id` used, in hop order ("server 3>leaf 0;leaf 0>spine 2;
 * ..."), appended to out; needs cfg.record_paths. */
void lf_sim_flow_path(const lf_sim *s, uint32_t id, lfi_buf *out);

/* A pairwise all-to-all whose rounds are created as they become ready
 * (memory grows with the n flows active at once, not n^2): round k, rank i
 * sends `each` bytes to rank i+k once its own round k-1 send and its round
 * k-1 receive have finished.  Round 1 depends on `deps`; *done is a barrier
 * that finishes with the last round. */
lf_status lfi_sim_add_pairwise_stream(lf_sim *s, const int64_t *g, size_t n, double each,
                                      const uint32_t *deps, size_t n_deps, uint32_t *done,
                                      lf_error *err);

/* The same all-to-all in rounds without events (src/sim/sim.c's header:
 * why, and how far from the event-by-event result): the same dependencies,
 * each flow timed from its round's load on its channels, on a fabric
 * otherwise idle; the whole is one delay after `deps`.  *done finishes
 * with the last round.  The byte counts of every link are kept. */
LF_MUST lf_status lfi_sim_add_pairwise_phases(lf_sim *s, const int64_t *g, size_t n, double each,
                                              const uint32_t *deps, size_t n_deps, uint32_t *done,
                                              lf_error *err);
/* above this many ranks a pairwise all-to-all runs in rounds unless
 * lf_sim_config.exact_a2a says otherwise */
#define LF_A2A_PHASES 256
/* run a pairwise all-to-all of n ranks as phases */
bool lfi_sim_a2a_phases(const lf_sim *s, size_t n);

/* collective.c: add the flows of one collective.  Root flows depend on
 * `deps`; every flow id is appended to `ids`. */
typedef struct lfi_coll_choice {
	lf_algo algo;
	lf_nccl_proto proto;
	double latency_us;
	int channels;
} lfi_coll_choice;
/* what the last lf_sim_add_collective chose */
lfi_coll_choice lfi_sim_last_choice(const lf_sim *s);
void lfi_sim_set_last_choice(lf_sim *s, lfi_coll_choice c);
/* Phases (lf_sim_add_collective, lf_sim_add_transfer): the barriers of the
 * phases `after` into deps; the flows `ids` from flow `first` on closed by
 * a barrier into a new phase, its index in *out. */
lf_status lfi_sim_phase_deps(lf_sim *s, const uint32_t *after, size_t n_after, lfi_vec *deps,
                             lf_error *err) LF_MUST;
lf_status lfi_sim_close_phase(lf_sim *s, uint32_t first, lfi_vec *ids, uint32_t *out,
                              lf_error *err) LF_MUST;
lf_status lfi_coll_build(lf_sim *s, lf_coll coll, lf_algo algo, const int64_t *gpus, size_t n,
                         double bytes, const uint32_t *deps, size_t n_deps, lfi_vec *ids,
                         lfi_coll_choice *used, lf_error *err);

#endif
