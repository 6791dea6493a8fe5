/*
 * budget.c — the work budget (lf_limits.work), checked before the work is
 * done, so that a small input cannot ask for hours or gigabytes.
 *
 * Work units estimate what the engine allocates and steps through:
 *   - a plan: 3 units per GPU of the build-out (a link per tier and plane is
 *     the order of what topo.c creates);
 *   - a collective of r ranks: the flows collective.c creates for it:
 *       all-to-all (direct or pairwise)   r(r-1); r(r-1)/16 in rounds
 *                                         (pairwise over 256 ranks, sim.c)
 *       ring all-reduce                   r · 2(r-1) · pieces
 *       ring reduce-scatter, all-gather   r · (r-1) · pieces
 *       broadcast, reduce (chain)         r · pieces
 *       send/recv                         r
 *       double binary tree                4r · pieces
 *     where pieces = the step's block / sim.chunk_bytes (1 without chunks)
 *     and rings of more than 64 ranks are folded to one flow per rank
 *     unless sim.exact_rings (collective.c, RING_FOLD); every form but
 *     all-to-all and send/recv counts at least r · G, G the GPUs of a
 *     server (NCCL's channels: a ring or tree per rail; a folded ring of
 *     1,016 H100s is 8,128 flows, nvls-tree 5,048);
 *     times the communicator's groups, summed over every size of every
 *     entry;
 *   - a training step: one operation of each kind, every group at once
 *     (training.c): TP all-reduce (or reduce-scatter + all-gather), PP
 *     transfers, CP ring steps, EP all-to-all, one DP bucket;
 *   - a YAML document: a unit a node, aliases expanded (yamldoc.c);
 *   - a sweep: 1,000 units a point (tools/cli_sweep.c).
 * The 4,096-GPU all-to-all of the hardening report is 16.8 M units (2 GB,
 * 43 s); the default 8 M admits every bundled example and workload pair
 * (the largest, the 31-size all-reduce sweep on the 16,384-GPU spec, is
 * 4.06 M: 16,384 ranks x 8 channels x 31 sizes).
 */
#include <math.h>

#include "sim.h"
#include "workload.h"

#define RING_FOLD 64   /* collective.c */

static double pieces(double block, double chunk)
{
	if (chunk <= 0 || block <= chunk)
		return 1;
	double m = ceil(block / chunk);
	return m > 1e6 ? 1e6 : m;
}

/* Flows of one collective of r ranks over `bytes` (the nccl-tests size);
 * `chan`: NCCL's channels, about one per GPU of a server (a ring or tree
 * per rail): folded and tree forms make at least r flows per channel. */
static double coll_flows(lf_coll coll, lf_algo algo, double r, double bytes, double chan,
                         const lf_sim_config *cfg)
{
	if (r < 2)
		return 0;
	bool fold = r > RING_FOLD && !cfg->exact_rings;
	double c = cfg->chunk_bytes, per_chan = r * chan, w = per_chan;
	switch (coll) {
	case LF_COLL_ALLTOALL:
		/* in rounds (sim.c, lfi_sim_a2a_phases) a flow is one route and a few
		 * sums, held by nothing: 1/16 of an event-driven flow (0.1-0.3 us
		 * against 2.6 us measured, bench/README.md) */
		if ((algo == LF_ALGO_PAIRWISE || (algo == LF_ALGO_AUTO && r > 128)) &&
		    (cfg->exact_a2a < 0 ||
		     (cfg->exact_a2a == 0 && r > LF_A2A_PHASES && cfg->route != LF_ROUTE_ADAPTIVE)))
			return r * (r - 1) / 16;
		return r * (r - 1);
	case LF_COLL_ALLREDUCE:
		w = algo == LF_ALGO_TREE ? 4 * r * pieces(bytes / 2, c)
		  : fold ? per_chan : r * 2 * (r - 1) * pieces(bytes / r, c);
		break;
	case LF_COLL_REDUCESCATTER:
	case LF_COLL_ALLGATHER:
		w = fold ? per_chan : r * (r - 1) * pieces(bytes / r, c);
		break;
	case LF_COLL_BROADCAST:
	case LF_COLL_REDUCE:
		w = r * pieces(bytes, c);
		break;
	case LF_COLL_SENDRECV:
		return r;
	}
	return w > per_chan ? w : per_chan;
}

lf_status lfi_workload_budget(const lf_plan *pl, const lf_workload *wl, const lf_sim_config *cfg,
                              size_t n, lf_error *err)
{
	double G = (double)pl->spec->server->gpus, total = 0, worst = 0;
	const lf_wl_coll *big = NULL;
	if (wl->has_training) {
		lf_step s;
		lf_error ignore;
		/* a model the derivation refuses is reported by the run itself */
		if (lf_training_derive(&wl->training, wl->file, (int64_t)n, pl->spec->server, &s,
		                       &ignore) != LF_OK)
			return LF_OK;
		const lf_training *t = &wl->training;
		/* one op of every kind at once (training.c): TP all-reduce or
		 * reduce-scatter + all-gather, PP transfers, CP ring steps, EP
		 * all-to-all, one DP bucket (ZeRO-3: one layer's gather) */
		double bucket = s.dp_buckets > 0 ? s.dp_bytes / s.dp_buckets : 0;
		lf_coll dc = t->zero == LF_ZERO_0 ? LF_COLL_ALLREDUCE
		           : t->zero == LF_ZERO_3 ? LF_COLL_ALLGATHER : LF_COLL_REDUCESCATTER;
		double tp = t->sequence_parallel
		                    ? 2 * coll_flows(LF_COLL_REDUCESCATTER, LF_ALGO_RING, (double)s.tp,
		                                     s.tp_bytes, G, cfg)
		                    : coll_flows(LF_COLL_ALLREDUCE, LF_ALGO_RING, (double)s.tp,
		                                 s.tp_bytes, G, cfg);
		total = (double)s.tp_groups * tp + (double)s.pp_pairs +
		        (double)s.cp_groups *
		                (t->cp_allgather ? coll_flows(LF_COLL_ALLGATHER, LF_ALGO_RING,
		                                              (double)s.cp, s.cp_bytes, G, cfg)
		                                 : (double)s.cp) +
		        (double)s.ep_groups * coll_flows(LF_COLL_ALLTOALL, LF_ALGO_AUTO,
		                                         (double)s.ep, s.ep_bytes, G, cfg) +
		        (double)s.dp_groups * coll_flows(dc, LF_ALGO_RING, (double)s.dp, bucket, G, cfg);
		char what[160];
		snprintf(what, sizeof what, "the training step (TP %lld, PP %lld, DP %lld, EP %lld on "
		         "%zu GPUs)", (long long)s.tp, (long long)s.pp, (long long)s.dp,
		         (long long)s.ep, n);
		return lfi_work_check(total, what, wl->file, t->pos.line, t->pos.col, err);
	}
	for (size_t e = 0; e < wl->n_coll; e++) {
		const lf_wl_coll *c = &wl->coll[e];
		double ranks = (double)n, groups = 1;
		if (c->comm == LF_COMM_RAIL) {
			ranks = ceil((double)n / G);
			groups = G;
		} else if (c->comm == LF_COMM_NODE) {
			ranks = G < (double)n ? G : (double)n;
			groups = ceil((double)n / G);
		}
		double w = 0;
		for (size_t j = 0; j < c->n_sizes; j++)
			w += groups * coll_flows(c->coll, c->algo, ranks, c->sizes[j], G, cfg);
		total += w;
		if (w > worst) {
			worst = w;
			big = c;
		}
	}
	if (!big)
		return LF_OK;
	char what[200], f[32], g[32];
	snprintf(what, sizeof what, "this workload (%zu collective entries; largest: %s over %s "
	         "GPUs at %zu sizes, %s units)", wl->n_coll, lf_coll_name(big->coll),
	         lfi_fmt_count(n, g, sizeof g), big->n_sizes, lfi_fmt_count(lfi_sat_u64(worst), f, sizeof f));
	return lfi_work_check(total, what, wl->file, big->pos.line, big->pos.col, err);
}
