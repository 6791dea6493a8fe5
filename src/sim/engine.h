/*
 * engine.h — the flow-level engine's state, shared by sim.c (flows,
 * phases, events), route.c (paths) and a2a_rounds.c (the all-to-all in
 * rounds).  Nothing outside those three files sees it.
 */
#ifndef LF_ENGINE_H
#define LF_ENGINE_H

#include "core.h"
#include "heap.h"
#include "maxmin.h"
#include "sim.h"

typedef struct sflow {
	int64_t a, b;
	double bytes, remaining, rate, t_last, start, finish;
	double latency_s;            /* start delay after the dependencies */
	double release_s;            /* lf_sim_add_flow_at: not before this */
	double alone_rate;           /* its rate alone on the fabric */
	uint32_t deps_left, mmf_id, version;
	uint32_t child_first, n_children;
	uint32_t path_off, path_len; /* record_paths: its channels in s->paths */
	uint32_t stream, round;      /* a streamed all-to-all's slot (stream: UINT32_MAX none) */
	double lead_s;               /* a phases all-to-all: its first flows' start latency */
	bool active, done, barrier;
	bool delay;                  /* a phases all-to-all: a delay of latency_s, no bytes */
} sflow;

/* A pairwise all-to-all streamed round by round (lfi_sim_add_pairwise_stream):
 * rank i's flow always lives in slot first + i, re-armed for each round. */
typedef struct stream {
	uint32_t first, done_bar;
	size_t n;
	double each;
	int64_t *g;                  /* the ranks' GPUs (owned) */
	uint32_t *sent;              /* per rank: its last finished round (0: none) */
} stream;

typedef struct edge { uint32_t parent, child; } edge;
typedef struct event { double t; uint32_t flow, version; uint8_t start; } event;
typedef struct phase { uint32_t first, barrier; } phase;

struct lf_sim {
	const lf_plan *pl;
	lf_sim_config cfg;
	lfi_mmf *mmf;
	double *cap;
	size_t n_chan, nvl_base, trunk_base, pod_trunk_base, nowhere;
	uint32_t *up_first, *up_n;   /* per node: its uplinks in pl->links */
	uint32_t *link_b;            /* per link: its upper end (pl->links[i].b, packed for routing) */
	uint32_t *leaf_trunk;        /* per node: first of its 2 trunk channels */
	uint8_t *failed;             /* per link */
	uint32_t *down_idx;          /* per server link: its port among the leaf's downlinks */
	uint64_t dkey;               /* ftree: the destination port of the flow being routed */
	uint64_t dkey_div;           /* ... divided by this one level up (the leaf's uplinks) */
	uint64_t pair_key;           /* ECMP: the seed and the pair of the flow being routed */
	/* per spine uplink: the run of its spine's uplinks to the same core
	 * (NULL unless 3 tiers and every spine's links to a core are one run) */
	uint32_t *run_first, *run_len;
	bool any_failed;
	uint32_t spines_per_pod;      /* per plane, in every pod but a partial last one */
	uint32_t spines_last_pod;     /* per plane, in the last pod (= spines_per_pod unless
	                               * topo.c sized a partial last pod by its own leaves) */
	int gpus_per_server, G, P;
	int64_t servers_per_domain;  /* servers (trays) sharing one NVLink domain */
	lfi_vec flows, edges, events, path, coeff, owner, phases;
	lfi_vec paths;                /* record_paths: channels of every flow */
	lfi_vec streams;              /* stream */
	uint32_t *trunk_leaf;        /* per leaf trunk: its leaf node */
	uint64_t extra_flows;        /* streamed rounds beyond each slot's first */
	uint32_t *children;
	uint32_t *chan_active;       /* adaptive: active flows per channel */
	double *chan_bytes;
	uint64_t n_events, n_done;
	double now, end;
	bool ran;
	lfi_buf notes;                /* options an algorithm did not use, and why */
	lfi_coll_choice last_choice;  /* of the last collective added */
	double last_finish;          /* when the last flow finished */
};

static inline double link_bytes_per_s(const lf_link *l, double eff)
{
	return (double)l->gbps * 1e9 / 8 * eff;
}

/* spines per plane in pod `pod` (a partial last pod has fewer) */
static inline uint32_t pod_spines(const lf_sim *s, uint32_t pod)
{
	return pod + 1 == (uint32_t)s->pl->pods ? s->spines_last_pod : s->spines_per_pod;
}

/* sim.c */
lf_status lfi_sim_add_flow_raw(lf_sim *s, int64_t a, int64_t b, double bytes, bool barrier,
                               const uint32_t *deps, size_t n_deps, uint32_t *id,
                               lf_error *err) LF_MUST;
lf_status lfi_sim_gpu_pair(const lf_sim *s, int64_t a, int64_t b, lf_error *err) LF_MUST;
lf_status lfi_sim_a2a_size(size_t n, lf_error *err) LF_MUST;
double lfi_sim_latency_s(const lf_sim *s, int64_t a, int64_t b);
/* what spraying loses: the routed path (s->path) is sprayed over the
 * network and spray_efficiency < 1, so it uses 1/efficiency of its goodput
 * on every link it crosses (NVLink is not sprayed) */
bool lfi_sim_spray_loses(const lf_sim *s);
/* route.c: fid's path into s->path / s->coeff; false when out of memory */
bool lfi_sim_route(lf_sim *s, uint32_t fid);

#endif
