/*
 * workload.c — the workload of `lightfab sim`: parse it, place the job on
 * the plan's GPUs, and time its collectives.
 *
 * Format (docs/sim.md has the full reference; same error rules as the spec:
 * every mistake is reported as file:line:col with what was expected, unknown
 * keys get a did-you-mean):
 *
 *   name: allreduce-sweep
 *   job: {gpus: all | N, placement: packed | scattered, per_domain: N}
 *   sim: {routing: ecmp | spray | adaptive, seed: 1, efficiency: 0.96,
 *         latency: 5us, hop_latency: 0.3us, chunk: 4MiB,
 *         failed_links: 3 | [{level, plane, lower, upper}]}
 *   collectives:                       # either this ...
 *     - {type: all-reduce, algorithm: auto, communicator: all | rail | node,
 *        bytes: 1GiB | sweep: {from: 8B, to: 8GiB, factor: 2}, dtype: float}
 *   training: {...}                    # ... or this (src/sim/training.c)
 *
 * Placement.  Ranks fill servers in order, G per server (G = GPUs per
 * server), local index innermost: rank r sits on the (r / G)-th server of
 * the job at local GPU r % G.  `packed` takes servers 0, 1, 2, ... (SU
 * order: the fewest SUs, the least spine traffic); `scattered` takes the
 * first server of every SU, then the second of every SU, ... (the most SUs
 * a job of that size can touch: the worst case a scheduler can produce).
 * `per_domain` P (multi-server NVLink domains, e.g. GB200 NVL72): the job
 * uses the first P/G servers of every domain and leaves the others, so an
 * EP or TP group of P ranks stays on NVLink (64 of an NVL72's 72 GPUs is
 * the usual layout); the placement then orders the domains.
 *
 * Communicators.  `all`: every rank in rank order, one collective.  `rail`:
 * the ranks with the same local index, one collective per rail, all at
 * once (what a rail-aligned DP all-reduce does).  `node`: the ranks of one
 * server, one collective per server, all at once (NVLink only).  The time
 * of a size is when the slowest communicator finished; algBW = S / t and
 * busBW = algBW x the nccl-tests factor of one communicator's rank count.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "workload.h"
#include "sim.h"

/* ------------------------------------------------------------------ parsing */

typedef struct wl_impl {
	lf_workload pub;
	lfi_arena arena;
	lfi_vec coll;              /* lf_wl_coll */
	lfi_vec failed;            /* lf_failed_link */
	lfi_vec traffic;           /* lf_traffic_flow: a traffic list or file */
} wl_impl;

/* Defaults, each an assumption stated in docs/sim.md. */
static void wl_defaults(lf_workload *w)
{
	w->placement = LF_PLACE_PACKED;
	w->sim.route = LF_ROUTE_DEFAULT;  /* the fabric's own: ftree on IB, ECMP on Ethernet */
	w->sim.seed = 1;
	w->sim.efficiency = 0.96;         /* NCCL over IB: ~24/25 of line rate (nccl-busbw.md) */
	w->sim.latency_us = -1;           /* NCCL's latency model per link kind (src/sim/nccl.c) */
	w->sim.chunk_bytes = 0;           /* no pipelining of a step into chunks */
}

void lf_workload_free(lf_workload *wl)
{
	if (!wl)
		return;
	wl_impl *wi = (wl_impl *)wl;
	lfi_vec_release(&wi->coll);
	lfi_vec_release(&wi->failed);
	lfi_vec_release(&wi->traffic);
	lfi_arena_release(&wi->arena);
	free(wi);
}

/* ------------------------------------------------------------------ schema */

/* The workload's keys as a tree: the one list the parsers check and that
 * sweep's workload paths (workload.training.parallel.tp) are checked
 * against.  failed_links is a count or a list of links: a single value to
 * a sweep. */
#define K(name) { name, NULL, 0 }
static const lfi_schema_key job_keys[] = { K("gpus"), K("placement"), K("per_domain") };
static const lfi_schema job_s = { "job", LF_ARRAY_LEN(job_keys), job_keys };
static const lfi_schema_key sim_keys[] = {
	K("routing"), K("seed"), K("efficiency"), K("latency"), K("hop_latency"), K("chunk"),
	K("failed_links"), K("protocol"), K("channels"), K("sharp"), K("max_flow_rate"),
	K("spray_efficiency"),
};
static const lfi_schema sim_s = { "sim", LF_ARRAY_LEN(sim_keys), sim_keys };
static const lfi_schema_key coll_sweep_keys[] = { K("from"), K("to"), K("factor") };
static const lfi_schema coll_sweep_s = { "sweep", LF_ARRAY_LEN(coll_sweep_keys),
	                                     coll_sweep_keys };
static const lfi_schema_key coll_keys[] = {
	K("type"), K("algorithm"), K("bytes"), { "sweep", &coll_sweep_s, 0 }, K("communicator"),
	K("dtype"), K("protocol"),
};
static const lfi_schema coll_s = { "collective", LF_ARRAY_LEN(coll_keys), coll_keys };
static const lfi_schema_key workload_keys[] = {
	K("name"), { "job", &job_s, 0 }, { "sim", &sim_s, 0 }, { "collectives", &coll_s, 1 },
	{ "training", &lfi_training_schema, 0 }, { "traffic", &lfi_traffic_schema, 0 },
};
#undef K
const lfi_schema lfi_workload_schema = { "workload", LF_ARRAY_LEN(workload_keys),
	                                     workload_keys };

static lf_status parse_job(wl_impl *wi, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &job_s, NULL, err));
	yaml_node_t *n;
	if ((n = lfi_yget(d, m, "gpus"))) {
		wi->pub.pos_gpus = lfi_ypos(d, n);
		const char *s = lfi_yscalar(n);
		if (s && strcmp(s, "all") == 0)
			wi->pub.gpus = 0;
		else {
			const char *v = lfi_yscalar(n);
			int64_t g;
			if (v && !strpbrk(v, "0123456789"))
				return lfi_yfail(err, d, n, "job gpus must be \"all\" or a whole number of "
				                 "GPUs, got \"%.60s\"", v);
			LF_TRY(lfi_yint(d, n, "job gpus", 1, INT64_C(1) << 40, &g, err));
			wi->pub.gpus = g;
		}
	}
	if ((n = lfi_yget(d, m, "placement"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "job placement", lfi_place_names.v, lfi_place_names.n, &i,
		                 err));
		wi->pub.placement = (lf_placement)i;
	}
	if ((n = lfi_yget(d, m, "per_domain"))) {
		wi->pub.pos_per_domain = lfi_ypos(d, n);
		LF_TRY(lfi_yint(d, n, "job per_domain", 1, INT64_C(1) << 30, &wi->pub.per_domain,
		                err));
	}
	return LF_OK;
}

static lf_status parse_failed(wl_impl *wi, lfi_ydoc *d, yaml_node_t *n, lf_error *err)
{
	wi->pub.pos_failed = lfi_ypos(d, n);
	if (n->type != YAML_SEQUENCE_NODE) {
		const char *s = lfi_yscalar(n);
		if (!s || !strpbrk(s, "0123456789") || n->type != YAML_SCALAR_NODE)
			return lfi_yfail(err, d, n, "sim failed_links must be a number of random links "
			                 "to fail or a list of {level, plane, lower, upper}, got %s",
			                 lfi_ykind(n));
		int64_t v;
		LF_TRY(lfi_yint(d, n, "sim failed_links", 0, 1000000, &v, err));
		wi->pub.sim.failed_count = (int)v;
		return LF_OK;
	}
	static const char *const keys[] = { "level", "plane", "lower", "upper" };
	static const char *const levels[] = { "server-leaf", "leaf-spine", "spine-core" };
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = lfi_ynode(d, *it), *v;
		LF_TRY(lfi_ycheck_keys(d, e, "failed link", keys, LF_ARRAY_LEN(keys), err));
		lf_failed_link *f = lfi_vec_push(&wi->failed);
		if (!f)
			return lfi_oom(err);
		int lv;
		int64_t x;
		LF_TRY(lfi_yrequire(d, e, "level", "failed link", &v, err));
		LF_TRY(lfi_yenum(d, v, "failed link level", levels, LF_ARRAY_LEN(levels), &lv, err));
		f->level = lv + 1;
		if ((v = lfi_yget(d, e, "plane"))) {
			LF_TRY(lfi_yint(d, v, "failed link plane", 0, 63, &x, err));
			f->plane = (int)x;
		}
		LF_TRY(lfi_yrequire(d, e, "lower", "failed link", &v, err));
		LF_TRY(lfi_yint(d, v, "failed link lower", 0, UINT32_MAX, &x, err));
		f->lower = (uint32_t)x;
		LF_TRY(lfi_yrequire(d, e, "upper", "failed link", &v, err));
		LF_TRY(lfi_yint(d, v, "failed link upper", 0, UINT32_MAX, &x, err));
		f->upper = (uint32_t)x;
	}
	return LF_OK;
}

static lf_status parse_sim(wl_impl *wi, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &sim_s, NULL, err));
	lf_sim_config *c = &wi->pub.sim;
	yaml_node_t *n;
	if ((n = lfi_yget(d, m, "routing"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "sim routing", lfi_route_names.v, lfi_route_names.n, &i, err));
		c->route = (lf_route)i;
	}
	if ((n = lfi_yget(d, m, "seed"))) {
		int64_t v;
		LF_TRY(lfi_yint(d, n, "sim seed", 0, INT64_MAX, &v, err));
		c->seed = (uint64_t)v;
	}
	if ((n = lfi_yget(d, m, "efficiency"))) {
		LF_TRY(lfi_ydouble(d, n, "sim efficiency", 0.01, 1, &c->efficiency, err));
	}
	if ((n = lfi_yget(d, m, "latency"))) {
		double s;
		LF_TRY(lfi_yseconds(d, n, "sim latency", 0, 1, &s, err));
		c->latency_us = s * 1e6;
	}
	if ((n = lfi_yget(d, m, "hop_latency"))) {
		double s;
		LF_TRY(lfi_yseconds(d, n, "sim hop_latency", 0, 1e-3, &s, err));
		c->hop_latency_us = s * 1e6;
	}
	if ((n = lfi_yget(d, m, "chunk"))) {
		const char *s = lfi_yscalar(n);
		if (s && (strcmp(s, "none") == 0 || strcmp(s, "0") == 0))
			c->chunk_bytes = 0;
		else
			LF_TRY(lfi_ybytes(d, n, "sim chunk", 1024, 1e12, &c->chunk_bytes, err));
	}
	if ((n = lfi_yget(d, m, "failed_links")))
		LF_TRY(parse_failed(wi, d, n, err));
	if ((n = lfi_yget(d, m, "protocol"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "sim protocol", lfi_proto_names.v, lfi_proto_names.n, &i, err));
		c->proto = (lf_nccl_proto)i;
	}
	if ((n = lfi_yget(d, m, "channels"))) {
		int64_t v;
		LF_TRY(lfi_yint(d, n, "sim channels (NCCL channels, 1..64)", 1, 64, &v, err));
		c->channels = (int)v;
	}
	if ((n = lfi_yget(d, m, "sharp"))) {
		bool b;
		LF_TRY(lfi_ybool(d, n, "sim sharp", &b, err));
		c->sharp = b;
	}
	if ((n = lfi_yget(d, m, "max_flow_rate"))) {
		const char *s = lfi_yscalar(n);
		double gbps;
		if (!s || !lfi_parse_gbps(s, &gbps) || !(gbps > 0) || gbps > 1e6)
			return lfi_yfail(err, d, n, "sim max_flow_rate must be a rate such as 200G or "
			                 "1.6T (bits per second), got %s%s%s", s ? "\"" : "",
			                 s ? s : lfi_ykind(n), s ? "\"" : "");
		c->max_flow_rate = gbps * 1e9 / 8;
	}
	if ((n = lfi_yget(d, m, "spray_efficiency")))
		LF_TRY(lfi_ydouble(d, n, "sim spray_efficiency", 0.01, 1, &c->spray_efficiency, err));
	return LF_OK;
}

static const struct dtype { const char *name; int bytes; } dtypes[] = {
	{ "float", 4 }, { "bfloat16", 2 }, { "half", 2 }, { "double", 8 }, { "int8", 1 },
	{ "uint8", 1 }, { "int32", 4 }, { "int64", 8 }, { "fp8", 1 },
};

static lf_status parse_coll(wl_impl *wi, lfi_ydoc *d, yaml_node_t *e, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, e, &coll_s, NULL, err));
	lf_wl_coll *c = lfi_vec_push(&wi->coll);
	if (!c)
		return lfi_oom(err);
	c->pos = lfi_ypos(d, e);
	yaml_node_t *n;
	int i;
	LF_TRY(lfi_yrequire(d, e, "type", "collective", &n, err));
	LF_TRY(lfi_yenum(d, n, "collective type", lfi_coll_names.v, lfi_coll_names.n, &i, err));
	c->coll = (lf_coll)i;
	c->algo = LF_ALGO_AUTO;
	if ((n = lfi_yget(d, e, "algorithm"))) {
		LF_TRY(lfi_yenum(d, n, "collective algorithm", lfi_algo_names.v, lfi_algo_names.n, &i,
		                 err));
		c->algo = (lf_algo)i;
		bool ok;
		lf_coll t = c->coll;
		bool agrs = t == LF_COLL_ALLGATHER || t == LF_COLL_REDUCESCATTER;
		switch (c->algo) {
		case LF_ALGO_AUTO: ok = true; break;
		case LF_ALGO_RING: ok = t != LF_COLL_ALLTOALL; break;
		case LF_ALGO_TREE: case LF_ALGO_HIER: case LF_ALGO_NVLS_TREE:
		case LF_ALGO_COLLNET_CHAIN: ok = t == LF_COLL_ALLREDUCE; break;
		case LF_ALGO_NVLS: case LF_ALGO_COLLNET_DIRECT: ok = t == LF_COLL_ALLREDUCE || agrs;
			break;
		case LF_ALGO_PAT: ok = agrs; break;
		case LF_ALGO_DIRECT: case LF_ALGO_PAIRWISE: ok = t == LF_COLL_ALLTOALL; break;
		default: ok = false;
		}
		if (!ok)
			return lfi_yfail(err, d, n, "algorithm %s does not apply to %s (ring: every type "
			                 "but all-to-all; tree, nvls-tree, collnet-chain, hierarchical: "
			                 "all-reduce; nvls, collnet-direct: all-reduce, all-gather, "
			                 "reduce-scatter; pat: all-gather, reduce-scatter; direct, "
			                 "pairwise: all-to-all)", lf_algo_name(c->algo), lf_coll_name(c->coll));
	}
	if ((n = lfi_yget(d, e, "protocol"))) {
		LF_TRY(lfi_yenum(d, n, "collective protocol", lfi_proto_names.v, lfi_proto_names.n, &i,
		                 err));
		c->proto = (lf_nccl_proto)i;
	}
	c->comm = LF_COMM_ALL;
	if ((n = lfi_yget(d, e, "communicator"))) {
		LF_TRY(lfi_yenum(d, n, "collective communicator", lfi_comm_names.v, lfi_comm_names.n,
		                 &i, err));
		c->comm = (lf_comm)i;
	}
	c->dtype = "float";
	c->dtype_bytes = 4;
	if ((n = lfi_yget(d, e, "dtype"))) {
		const char *names[LF_ARRAY_LEN(dtypes)];
		for (size_t k = 0; k < LF_ARRAY_LEN(dtypes); k++)
			names[k] = dtypes[k].name;
		LF_TRY(lfi_yenum(d, n, "collective dtype", names, LF_ARRAY_LEN(names), &i, err));
		c->dtype = dtypes[i].name;
		c->dtype_bytes = dtypes[i].bytes;
	}
	yaml_node_t *b = lfi_yget(d, e, "bytes"), *sw = lfi_yget(d, e, "sweep");
	if (b && sw)
		return lfi_yfail(err, d, sw, "collective: give either bytes or sweep, not both");
	if (!b && !sw)
		return lfi_yfail(err, d, e, "collective needs \"bytes\" (e.g. 1GiB) or \"sweep\" "
		                 "(e.g. {from: 8B, to: 8GiB, factor: 2})");
	const double max_bytes = 1e15;
	if (b) {
		double *v = lfi_arena_alloc(&wi->arena, sizeof *v);
		if (!v)
			return lfi_oom(err);
		LF_TRY(lfi_ybytes(d, b, "collective bytes", 1, max_bytes, v, err));
		c->sizes = v;
		c->n_sizes = 1;
		return LF_OK;
	}
	LF_TRY(lfi_ycheck_schema(d, sw, &coll_sweep_s, NULL, err));
	double from, to, factor = 2;
	LF_TRY(lfi_yrequire(d, sw, "from", "sweep", &n, err));
	LF_TRY(lfi_ybytes(d, n, "sweep from", 1, max_bytes, &from, err));
	yaml_node_t *tn;
	LF_TRY(lfi_yrequire(d, sw, "to", "sweep", &tn, err));
	LF_TRY(lfi_ybytes(d, tn, "sweep to", 1, max_bytes, &to, err));
	if (to < from)
		return lfi_yfail(err, d, tn, "sweep to must be at least sweep from");
	if ((n = lfi_yget(d, sw, "factor")))
		LF_TRY(lfi_ydouble(d, n, "sweep factor", 1.01, 1024, &factor, err));
	size_t k = 0;
	for (double x = from; x <= to * (1 + 1e-9); x *= factor)
		k++;
	if (k > 256)
		return lfi_yfail(err, d, sw, "sweep has %zu sizes; at most 256 (raise factor or narrow "
		                 "from..to)", k);
	double *v = lfi_arena_alloc(&wi->arena, k * sizeof *v);
	if (!v)
		return lfi_oom(err);
	double x = from;
	for (size_t j = 0; j < k; j++, x *= factor)
		v[j] = round(x);
	c->sizes = v;
	c->n_sizes = k;
	return LF_OK;
}

static lf_status parse_workload(wl_impl *wi, lfi_ydoc *d, lf_error *err)
{
	yaml_node_t *root = lfi_ydoc_root(d), *n;
	LF_TRY(lfi_ycheck_schema(d, root, &lfi_workload_schema, NULL, err));
	if ((n = lfi_yget(d, root, "name"))) {
		const char *s;
		LF_TRY(lfi_ystr(d, n, "name", &s, err));
		if (!(wi->pub.name = lfi_arena_strdup(&wi->arena, s)))
			return lfi_oom(err);
	}
	if ((n = lfi_yget(d, root, "job")))
		LF_TRY(parse_job(wi, d, n, err));
	if ((n = lfi_yget(d, root, "sim")))
		LF_TRY(parse_sim(wi, d, n, err));
	yaml_node_t *c = lfi_yget(d, root, "collectives"), *t = lfi_yget(d, root, "training");
	yaml_node_t *tr = lfi_yget(d, root, "traffic");
	yaml_node_t *parts[] = { c, t, tr };
	static const char *const part_names[] = { "collectives", "training", "traffic" };
	for (int a = 0; a < 3; a++)
		for (int b = a + 1; b < 3; b++)
			if (parts[a] && parts[b])
				return lfi_yfail(err, d, parts[b], "a workload has one of collectives, "
				                 "training or traffic; found %s and %s (%s at line %d)",
				                 part_names[a], part_names[b], part_names[a],
				                 lfi_ypos(d, parts[a]).line);
	if (!c && !t && !tr)
		return lfi_yfail(err, d, root, "workload needs \"collectives\" (a list of collectives "
		                 "to time), \"training\" (a training step) or \"traffic\" (flows: a "
		                 "list, a CSV file or a generator)");
	if (tr) {
		wi->pub.has_traffic = 1;
		LF_TRY(lfi_traffic_parse(&wi->pub.traffic, d, tr, &wi->arena, &wi->traffic, err));
	}
	if (c) {
		LF_TRY(lfi_yexpect(d, c, YAML_SEQUENCE_NODE, "collectives", err));
		if (c->data.sequence.items.start == c->data.sequence.items.top)
			return lfi_yfail(err, d, c, "collectives is empty: list at least one");
		for (yaml_node_item_t *it = c->data.sequence.items.start;
		     it < c->data.sequence.items.top; it++)
			LF_TRY(parse_coll(wi, d, lfi_ynode(d, *it), err));
	}
	if (t) {
		wi->pub.has_training = 1;
		LF_TRY(lfi_training_parse(&wi->pub.training, d, t, &wi->arena, err));
	}
	return LF_OK;
}

lf_status lf_workload_load_buffer(const char *name, const char *data, size_t len,
                                  lf_workload **out, lf_error *err)
{
	*out = NULL;
	wl_impl *wi = calloc(1, sizeof *wi);
	if (!wi)
		return lfi_oom(err);
	lfi_vec_init(&wi->coll, sizeof(lf_wl_coll));
	lfi_vec_init(&wi->failed, sizeof(lf_failed_link));
	lfi_vec_init(&wi->traffic, sizeof(lf_traffic_flow));
	wi->pub.impl_ = wi;
	wl_defaults(&wi->pub);
	const char *file = lfi_arena_strdup(&wi->arena, name ? name : "workload");
	if (!file) {
		lf_workload_free(&wi->pub);
		return lfi_oom(err);
	}
	wi->pub.file = file;
	lfi_ydoc d;
	lf_status st = lfi_ydoc_load(&d, file, data, len, err);
	if (st == LF_OK) {
		st = parse_workload(wi, &d, err);
		lfi_ydoc_release(&d);
	}
	if (st != LF_OK) {
		lf_workload_free(&wi->pub);
		return st;
	}
	wi->pub.coll = wi->coll.data;
	wi->pub.n_coll = wi->coll.len;
	wi->pub.sim.failed = wi->failed.data;
	wi->pub.sim.n_failed = wi->failed.len;
	wi->pub.traffic.flows = wi->traffic.data;
	wi->pub.traffic.n_flows = wi->traffic.len;
	*out = &wi->pub;
	return LF_OK;
}

lf_status lf_workload_load(const char *path, lf_workload **out, lf_error *err)
{
	size_t len;
	char *data = lfi_read_file(path, &len, err);
	if (!data) {
		*out = NULL;
		return LF_EIO;
	}
	lf_status st = lf_workload_load_buffer(path, data, len, out, err);
	free(data);
	return st;
}

/* ---------------------------------------------------------------- placement */

lf_status lf_workload_gpus(const lf_plan *pl, const lf_workload *wl, int64_t **out, size_t *n,
                           lf_error *err)
{
	*out = NULL;
	*n = 0;
	int64_t G = pl->spec->server->gpus, total = pl->servers * G;
	int64_t want = wl->gpus ? wl->gpus : total;
	if (want > total)
		return lfi_fail(err, LF_EINPUT, wl->file, wl->pos_gpus.line, wl->pos_gpus.col,
		                "job gpus is %lld but the plan \"%s\" has %lld GPUs (%lld servers of "
		                "%lld)", (long long)want, pl->name, (long long)total,
		                (long long)pl->servers, (long long)G);
	int64_t servers = (want + G - 1) / G;
	int64_t dom = lfi_servers_per_domain(pl->spec->server);
	int64_t use = dom;                                          /* of them, used */
	if (wl->per_domain > 0) {
		if (dom <= 1)
			return lfi_fail(err, LF_EINPUT, wl->file, wl->pos_per_domain.line,
			                wl->pos_per_domain.col,
			                "job per_domain needs NVLink domains of several servers; a "
			                "\"%s\" server is its own domain of %lld GPUs",
			                pl->spec->server->id, (long long)G);
		if (wl->per_domain % G != 0 || wl->per_domain > dom * G)
			return lfi_fail(err, LF_EINPUT, wl->file, wl->pos_per_domain.line,
			                wl->pos_per_domain.col,
			                "job per_domain must be a multiple of the %lld GPUs of a server "
			                "and at most the %lld GPUs of an NVLink domain, got %lld",
			                (long long)G, (long long)(dom * G), (long long)wl->per_domain);
		use = wl->per_domain / G;
		int64_t cap = pl->servers / dom * use + (pl->servers % dom < use ? pl->servers % dom : use);
		if (servers > cap)
			return lfi_fail(err, LF_EINPUT, wl->file, wl->pos_per_domain.line,
			                wl->pos_per_domain.col,
			                "job per_domain %lld leaves %lld GPUs of the plan \"%s\", fewer "
			                "than the job's %lld", (long long)wl->per_domain,
			                (long long)(cap * G), pl->name, (long long)want);
	}
	int64_t *g = malloc((size_t)want * sizeof *g);
	if (!g)
		return lfi_oom(err);
	int64_t su = pl->su_servers > 0 ? pl->su_servers : pl->servers;
	int64_t sus = (pl->servers + su - 1) / su;
	size_t k = 0;
	int64_t taken = 0;
	for (int64_t i = 0; taken < servers; i++) {
		int64_t s;
		if (wl->placement == LF_PLACE_PACKED) {
			s = i;
			if (s >= pl->servers)
				break;                      /* cannot happen: the checks above */
		} else {
			s = (i % sus) * su + i / sus;   /* slot i/sus of SU i%sus */
			if (i / sus >= su)
				break;                      /* cannot happen: servers <= pl->servers */
			if (s >= pl->servers)
				continue;
		}
		if (s % dom >= use)
			continue;                       /* a server per_domain leaves */
		taken++;
		for (int64_t l = 0; l < G && (int64_t)k < want; l++)
			g[k++] = s * G + l;
	}
	*out = g;
	*n = k;
	return LF_OK;
}

/* --------------------------------------------------------------------- runs */

typedef struct report_impl {
	lf_sim_report pub;
	lfi_vec rows;              /* lf_sim_row */
	lfi_vec records;           /* lf_flow_record */
	lfi_buf paths;
} report_impl;

void lf_sim_report_free(lf_sim_report *r)
{
	if (!r)
		return;
	report_impl *ri = (report_impl *)r;
	lfi_vec_release(&ri->rows);
	lfi_vec_release(&ri->records);
	lfi_buf_release(&ri->paths);
	free(ri);
}

/* Split the job's ranks into the communicator's groups (each in rank order). */
static lf_status split_groups(const lf_plan *pl, lf_comm comm, const int64_t *g, size_t n,
                              int64_t **order, size_t **first, size_t *n_groups, lf_error *err)
{
	int64_t G = pl->spec->server->gpus;
	*order = malloc((n ? n : 1) * sizeof **order);
	*first = malloc((n + 2) * sizeof **first);
	if (!*order || !*first)
		return lfi_oom(err);
	size_t k = 0, ng = 0;
	if (comm == LF_COMM_ALL) {
		memcpy(*order, g, n * sizeof *g);
		(*first)[ng++] = 0;
		k = n;
	} else if (comm == LF_COMM_RAIL) {
		for (int64_t l = 0; l < G; l++) {
			size_t start = k;
			for (size_t i = 0; i < n; i++)
				if (g[i] % G == l)
					(*order)[k++] = g[i];
			if (k > start)
				(*first)[ng++] = start;
		}
	} else {
		/* ranks fill servers in order, so a server's ranks are contiguous */
		for (size_t i = 0; i < n; i++) {
			if (i == 0 || g[i] / G != g[i - 1] / G)
				(*first)[ng++] = k;
			(*order)[k++] = g[i];
		}
	}
	(*first)[ng] = k;
	*n_groups = ng;
	return LF_OK;
}

static void human_bytes(double b, char *buf, size_t n)
{
	lfi_format_bytes(b, buf, n);
}

static lf_status run_row(const lf_plan *pl, const lf_sim_config *cfg, const lf_wl_coll *c,
                         const int64_t *order, const size_t *first, size_t ng, double bytes,
                         lf_sim_row *row, lf_error *err)
{
	size_t maxr = 0;
	for (size_t k = 0; k < ng; k++)
		if (first[k + 1] - first[k] > maxr)
			maxr = first[k + 1] - first[k];
	row->comm = c->comm;
	row->groups = ng;
	double t0 = lf_wall_now();
	lf_sim_config cf = *cfg;
	if (c->proto != LF_NCCL_AUTO)
		cf.proto = c->proto;
	cfg = &cf;
	if (ng == 1)
		return lf_sim_collective(pl, cfg, c->coll, c->algo, order, first[1], bytes, &row->r,
		                         err);
	lf_sim *s = NULL;
	LF_TRY(lf_sim_new(pl, cfg, &s, err));
	lf_status st = LF_OK;
	for (size_t k = 0; k < ng && st == LF_OK; k++) {
		uint32_t ph;
		if (first[k + 1] - first[k] > 1)
			st = lf_sim_add_collective(s, c->coll, c->algo, order + first[k],
			                           first[k + 1] - first[k], bytes, NULL, 0, &ph, err);
	}
	double t = 0;
	if (st == LF_OK)
		st = lf_sim_run(s, &t, err);
	if (st == LF_OK) {
		lf_coll_result *r = &row->r;
		memset(r, 0, sizeof *r);
		lfi_coll_choice ch = lfi_sim_last_choice(s);
		r->coll = c->coll;
		r->algo = ch.algo;
		r->proto = ch.proto;
		r->latency_us = ch.latency_us;
		r->channels = ch.channels;
		snprintf(r->note, sizeof r->note, "%s", lfi_sim_notes(s));
		r->ranks = maxr;
		r->bytes = bytes;
		r->time_us = t * 1e6;
		r->algbw_gbs = t > 0 ? bytes / t / 1e9 : 0;
		r->busbw_gbs = r->algbw_gbs * lf_busbw_factor(c->coll, maxr);
		r->flows = lf_sim_flows(s);
		r->events = lf_sim_events(s);
		r->n_top = lf_sim_top_links(s, r->top, LF_ARRAY_LEN(r->top));
		r->wall_s = lf_wall_now() - t0;
	}
	lf_sim_free(s);
	return st;
}

static lf_status run_collectives(const lf_plan *pl, const lf_workload *wl,
                                 const lf_sim_config *cfg0, const int64_t *g, size_t n,
                                 lf_sim_progress_fn progress, void *ctx, report_impl *ri,
                                 lf_error *err)
{
	size_t total = 0, item = 0;
	for (size_t e = 0; e < wl->n_coll; e++)
		total += wl->coll[e].n_sizes;
	lf_sim_config cfg = *cfg0;
	lfi_sim_prog pc = { 0 };
	lfi_sim_progress_setup(&cfg, progress, ctx, &pc);
	pc.p.n_items = total;
	for (size_t e = 0; e < wl->n_coll; e++) {
		const lf_wl_coll *c = &wl->coll[e];
		int64_t *order = NULL;
		size_t *first = NULL, ng = 0;
		lf_status st = split_groups(pl, c->comm, g, n, &order, &first, &ng, err);
		size_t maxr = 0;
		for (size_t k = 0; st == LF_OK && k < ng; k++)
			if (first[k + 1] - first[k] > maxr)
				maxr = first[k + 1] - first[k];
		if (st == LF_OK && maxr < 2)
			st = lfi_fail(err, LF_EINPUT, wl->file, c->pos.line, c->pos.col,
			              "communicator %s of a %zu-GPU job has one rank per group: nothing "
			              "to communicate", lfi_comm_name(c->comm), n);
		for (size_t j = 0; st == LF_OK && j < c->n_sizes; j++, item++) {
			char what[96], b[32];
			human_bytes(c->sizes[j], b, sizeof b);
			snprintf(what, sizeof what, "%s %s (%s)", lf_coll_name(c->coll), b,
			         lfi_comm_name(c->comm));
			pc.p.item = item;
			pc.p.what = what;
			lf_sim_row *row = lfi_vec_push(&ri->rows);
			if (!row) {
				st = lfi_oom(err);
				break;
			}
			row->entry = e;
			row->dtype = c->dtype;
			row->dtype_bytes = c->dtype_bytes;
			st = run_row(pl, &cfg, c, order, first, ng, c->sizes[j], row, err);
			/* what the hardware cannot run: point at the collective entry */
			if (st == LF_EINPUT && err && !err->file[0]) {
				char msg[sizeof err->msg];
				snprintf(msg, sizeof msg, "%s", err->msg);
				st = lfi_fail(err, st, wl->file, c->pos.line, c->pos.col, "%s", msg);
			}
			if (st == LF_OK) {
				ri->pub.events += row->r.events;
				ri->pub.flows += row->r.flows;
			}
		}
		free(order);
		free(first);
		if (st != LF_OK)
			return st;
	}
	return LF_OK;
}

lf_status lf_workload_simulate(const lf_plan *pl, const lf_workload *wl,
                               const lf_sim_config *cfg, lf_sim_progress_fn progress, void *ctx,
                               lf_sim_report **out, lf_error *err)
{
	*out = NULL;
	if (!cfg)
		cfg = &wl->sim;
	report_impl *ri = calloc(1, sizeof *ri);
	if (!ri)
		return lfi_oom(err);
	lfi_vec_init(&ri->rows, sizeof(lf_sim_row));
	lfi_vec_init(&ri->records, sizeof(lf_flow_record));
	lfi_buf_init(&ri->paths);
	lf_sim_report *r = &ri->pub;
	r->impl_ = ri;
	r->plan = pl;
	r->name = pl->name;
	r->workload = wl->file;
	r->cfg = *cfg;
	r->cfg.route = lfi_sim_resolve_route(pl, cfg->route);
	r->cfg.progress = NULL;
	r->cfg.progress_ctx = NULL;
	r->placement = wl->placement;
	r->per_domain = wl->per_domain;
	double t0 = lf_wall_now();
	int64_t *g = NULL;
	size_t n = 0;
	r->training = wl->has_training ? &wl->training : NULL;
	lf_status st = lf_workload_gpus(pl, wl, &g, &n, err);
	if (st == LF_OK)
		st = lfi_workload_budget(pl, wl, cfg, n, err);
	if (st == LF_OK) {
		int64_t G = pl->spec->server->gpus;
		int64_t su = pl->su_servers > 0 ? pl->su_servers : pl->servers;
		r->job_gpus = (int64_t)n;
		/* servers and SUs touched */
		int64_t prev = -1, sus = 0;
		uint8_t *su_seen = calloc((size_t)(pl->servers / su + 2), 1);
		if (!su_seen)
			st = lfi_oom(err);
		for (size_t i = 0; st == LF_OK && i < n; i++) {
			int64_t s = g[i] / G;
			if (s != prev)
				r->job_servers++;
			prev = s;
			if (!su_seen[s / su]) {
				su_seen[s / su] = 1;
				sus++;
			}
		}
		free(su_seen);
		r->job_sus = (int)sus;
	}
	if (st == LF_OK && wl->has_training)
		st = lfi_training_run(pl, wl, cfg, g, n, progress, ctx, r, err);
	else if (st == LF_OK && wl->has_traffic)
		st = lfi_traffic_run(pl, wl, cfg, g, n, progress, ctx, r, &ri->records, &ri->paths,
		                     err);
	else if (st == LF_OK)
		st = run_collectives(pl, wl, cfg, g, n, progress, ctx, ri, err);
	free(g);
	/* the engine's "cannot fail N links" (given the collective entry's place
	 * above, or none): the place is the file's failed_links */
	if (st == LF_EINPUT && err && !strncmp(err->msg, "cannot fail ", 12) &&
	    wl->pos_failed.line && cfg->failed_count == wl->sim.failed_count) {
		snprintf(err->file, sizeof err->file, "%s", wl->file);
		err->line = wl->pos_failed.line;
		err->col = wl->pos_failed.col;
	}
	if (st != LF_OK) {
		lf_sim_report_free(r);
		return st;
	}
	r->rows = ri->rows.data;
	r->n_rows = ri->rows.len;
	r->flow_records = ri->records.data;
	r->n_flow_records = ri->records.len;
	r->paths = ri->paths.data;
	r->wall_s = lf_wall_now() - t0;
	if (cfg->failed_count || cfg->n_failed) {
		size_t len = strlen(r->notes);
		snprintf(r->notes + len, sizeof r->notes - len,
		         "%sfailed links: %d random (seed %llu) + %zu listed", len ? "; " : "",
		         cfg->failed_count, (unsigned long long)cfg->seed, cfg->n_failed);
	}
	*out = r;
	return LF_OK;
}
