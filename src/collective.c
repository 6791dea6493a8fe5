/*
 * collective.c — collectives as flows with dependencies (NCCL's algorithms
 * at flow level).  S is the nccl-tests size: the whole array for
 * all-reduce, reduce-scatter and all-gather; the per-rank buffer for
 * all-to-all; the message for broadcast and send/recv.
 *
 *  ring all-reduce   2(N-1) steps; in step k rank i sends S/N to rank i+1
 *                    once it has step k-1's block from rank i-1.
 *                    T = 2(N-1)·alpha + 2(N-1)/N · S/B.
 *  ring RS / AG      N-1 such steps: T = (N-1)·alpha + (N-1)/N · S/B.
 *  broadcast (ring)  a chain from rank 0; pipelined when chunked.
 *  double binary     two binary trees over the ranks (the second over the
 *   tree all-reduce  ranks reversed, so leaves of one are inner nodes of
 *                    the other), each reducing S/2 up to its root and
 *                    broadcasting it down (Sanders et al. 2009; NCCL 2.4).
 *  rail rings        on whole servers, ring AR/RS/AG run as G rings of S/G
 *                    whose server-to-server hops stay on one rail (below).
 *  hierarchical      reduce-scatter over NVLink inside each server, ring
 *   all-reduce       all-reduce of S/G per rail across servers, all-gather
 *                    over NVLink, as three phases that do not overlap (an
 *                    upper bound on NCCL, which pipelines them).
 *  all-to-all        direct: every pair at once, S/N each; pairwise: N-1
 *                    rounds, in round k rank i sends to i+k.
 *
 * A rank's sends on one connection go out one at a time: step k waits for
 * step k-1's block from the previous rank and for the rank's own step k-1
 * send.  Chunking (lf_sim_config.chunk_bytes): a step's block is cut into
 * pieces of at most that size; piece j waits for piece j of the step before
 * (from the previous rank) and for the rank's previous piece, so steps
 * pipeline as in NCCL.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sim.h"

static size_t pieces(const lf_sim *s, double block)
{
	double c = lf_sim_chunk_bytes(s);
	if (c <= 0 || block <= c)
		return 1;
	double m = ceil(block / c);
	return m > 1e6 ? 1000000 : (size_t)m;
}

static lf_status push_id(lf_vec *ids, uint32_t id, lf_error *err)
{
	uint32_t *p = lf_vec_push(ids);
	if (!p)
		return lf_oom(err);
	*p = id;
	return LF_OK;
}

/* Flow with up to two dependencies (either may be absent: UINT32_MAX) on
 * top of the collective's root dependencies when it has none. */
static lf_status flow2(lf_sim *s, int64_t a, int64_t b, double bytes, uint32_t d1, uint32_t d2,
                       const uint32_t *deps, size_t n_deps, lf_vec *ids, uint32_t *id,
                       lf_error *err)
{
	uint32_t d[2];
	size_t n = 0;
	if (d1 != UINT32_MAX)
		d[n++] = d1;
	if (d2 != UINT32_MAX)
		d[n++] = d2;
	if (n)
		LF_TRY(lf_sim_add_flow(s, a, b, bytes, d, n, id, err));
	else
		LF_TRY(lf_sim_add_flow(s, a, b, bytes, deps, n_deps, id, err));
	return push_id(ids, *id, err);
}

/* Rings of more than this many ranks are folded (see ring()). */
#define RING_FOLD 64

/* `steps` ring steps of `block` bytes per rank.
 *
 * Folded form, for rings of more than RING_FOLD ranks (unless exact rings
 * are asked for): one flow per rank carrying all its steps' bytes, started
 * after all its steps' latency.  In a ring every step is the same
 * permutation between the same connections (same paths), so when steps
 * run in lockstep the folded flows see the same rates and finish at the
 * same time as the 2(N-1) x N step flows would, with N flows instead. */
static lf_status ring(lf_sim *s, const int64_t *g, size_t n, size_t steps, double block,
                      const uint32_t *deps, size_t n_deps, lf_vec *ids, lf_error *err)
{
	if (n > RING_FOLD && !lf_sim_exact_rings(s)) {
		for (size_t i = 0; i < n; i++) {
			uint32_t id;
			LF_TRY(lf_sim_add_flow_steps(s, g[i], g[(i + 1) % n], block * (double)steps,
			                             (double)steps, deps, n_deps, &id, err));
			LF_TRY(push_id(ids, id, err));
		}
		return LF_OK;
	}
	size_t m = pieces(s, block);
	uint32_t *prev = malloc(n * m * sizeof *prev), *cur = malloc(n * m * sizeof *cur);
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return lf_oom(err);
	}
	lf_status st = LF_OK;
	for (size_t k = 0; k < steps && st == LF_OK; k++) {
		for (size_t i = 0; i < n && st == LF_OK; i++)
			for (size_t j = 0; j < m && st == LF_OK; j++) {
				/* the block from the previous rank, and this rank's previous
				 * send on the same connection (sends go out one at a time) */
				uint32_t d1 = k ? prev[((i + n - 1) % n) * m + j] : UINT32_MAX;
				uint32_t d2 = j ? cur[i * m + j - 1] : k ? prev[i * m + m - 1] : UINT32_MAX;
				st = flow2(s, g[i], g[(i + 1) % n], block / (double)m, d1, d2, deps, n_deps,
				           ids, &cur[i * m + j], err);
			}
		uint32_t *t = prev;
		prev = cur;
		cur = t;
	}
	free(prev);
	free(cur);
	return st;
}

static lf_status chain_broadcast(lf_sim *s, const int64_t *g, size_t n, double bytes,
                                 const uint32_t *deps, size_t n_deps, lf_vec *ids, lf_error *err)
{
	size_t m = pieces(s, bytes);
	uint32_t *prev = malloc(m * sizeof *prev), *cur = malloc(m * sizeof *cur);
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return lf_oom(err);
	}
	lf_status st = LF_OK;
	for (size_t h = 0; h + 1 < n && st == LF_OK; h++) {
		for (size_t j = 0; j < m && st == LF_OK; j++)
			st = flow2(s, g[h], g[h + 1], bytes / (double)m, h ? prev[j] : UINT32_MAX,
			           j ? cur[j - 1] : UINT32_MAX, deps, n_deps, ids, &cur[j], err);
		uint32_t *t = prev;
		prev = cur;
		cur = t;
	}
	free(prev);
	free(cur);
	return st;
}

/* One binary tree over ranks ord[0..n): node v's parent is (v-1)/2.
 * Reduce `bytes` up, then broadcast down, in m pieces. */
static lf_status tree(lf_sim *s, const int64_t *g, const size_t *ord, size_t n, double bytes,
                      const uint32_t *deps, size_t n_deps, lf_vec *ids, lf_error *err)
{
	size_t m = pieces(s, bytes);
	double piece = bytes / (double)m;
	/* up[v*m+j]: v -> parent, piece j; down[v*m+j]: parent -> v, piece j */
	uint32_t *up = malloc(n * m * sizeof *up), *down = malloc(n * m * sizeof *down);
	if (!up || !down) {
		free(up);
		free(down);
		return lf_oom(err);
	}
	lf_status st = LF_OK;
	uint32_t dv[4];
	/* children finish before parents: visit nodes from the last */
	for (size_t v = n; v-- > 1 && st == LF_OK;)
		for (size_t j = 0; j < m && st == LF_OK; j++) {
			size_t nd = 0;
			for (size_t c = 2 * v + 1; c <= 2 * v + 2 && c < n; c++)
				dv[nd++] = up[c * m + j];
			if (j)
				dv[nd++] = up[v * m + j - 1];
			if (nd)
				st = lf_sim_add_flow(s, g[ord[v]], g[ord[(v - 1) / 2]], piece, dv, nd,
				                     &up[v * m + j], err);
			else
				st = lf_sim_add_flow(s, g[ord[v]], g[ord[(v - 1) / 2]], piece, deps, n_deps,
				                     &up[v * m + j], err);
			if (st == LF_OK)
				st = push_id(ids, up[v * m + j], err);
		}
	/* down: root's piece j after both children's up piece j */
	for (size_t v = 1; v < n && st == LF_OK; v++)
		for (size_t j = 0; j < m && st == LF_OK; j++) {
			size_t p = (v - 1) / 2, nd = 0;
			if (p == 0) {
				for (size_t c = 1; c <= 2 && c < n; c++)
					dv[nd++] = up[c * m + j];
			} else {
				dv[nd++] = down[p * m + j];
			}
			if (j)
				dv[nd++] = down[v * m + j - 1];
			st = lf_sim_add_flow(s, g[ord[p]], g[ord[v]], piece, dv, nd, &down[v * m + j], err);
			if (st == LF_OK)
				st = push_id(ids, down[v * m + j], err);
		}
	free(up);
	free(down);
	return st;
}

static lf_status double_tree(lf_sim *s, const int64_t *g, size_t n, double bytes,
                             const uint32_t *deps, size_t n_deps, lf_vec *ids, lf_error *err)
{
	size_t *ord = malloc(n * sizeof *ord);
	if (!ord)
		return lf_oom(err);
	for (size_t i = 0; i < n; i++)
		ord[i] = i;
	lf_status st = tree(s, g, ord, n, bytes / 2, deps, n_deps, ids, err);
	for (size_t i = 0; i < n; i++)
		ord[i] = n - 1 - i;
	if (st == LF_OK)
		st = tree(s, g, ord, n, bytes / 2, deps, n_deps, ids, err);
	free(ord);
	return st;
}

static lf_status all_to_all(lf_sim *s, const int64_t *g, size_t n, double bytes, bool pairwise,
                            const uint32_t *deps, size_t n_deps, lf_vec *ids, lf_error *err)
{
	double each = bytes / (double)n;
	if (!pairwise) {
		for (size_t i = 0; i < n; i++)
			for (size_t k = 1; k < n; k++) {
				uint32_t id;
				LF_TRY(flow2(s, g[i], g[(i + k) % n], each, UINT32_MAX, UINT32_MAX, deps,
				             n_deps, ids, &id, err));
			}
		return LF_OK;
	}
	uint32_t *prev = malloc(n * sizeof *prev), *cur = malloc(n * sizeof *cur);
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return lf_oom(err);
	}
	lf_status st = LF_OK;
	for (size_t k = 1; k < n && st == LF_OK; k++) {
		/* round k: i -> i+k, after i's own send and its receive of round k-1 */
		for (size_t i = 0; i < n && st == LF_OK; i++)
			st = flow2(s, g[i], g[(i + k) % n], each, k > 1 ? prev[i] : UINT32_MAX,
			           k > 1 ? prev[(i + n - (k - 1)) % n] : UINT32_MAX, deps, n_deps, ids,
			           &cur[i], err);
		uint32_t *t = prev;
		prev = cur;
		cur = t;
	}
	free(prev);
	free(cur);
	return st;
}

/* The ranks are whole servers, each with all its GPUs in local order. */
static bool whole_servers(const lf_sim *s, const int64_t *g, size_t n)
{
	int G = lf_sim_gpus_per_server(s);
	if (G < 2 || n % (size_t)G || n / (size_t)G < 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (g[i] % G != (int64_t)(i % (size_t)G) || g[i] / G != g[i - i % (size_t)G] / G)
			return false;
	return true;
}

static lf_status hierarchical(lf_sim *s, const int64_t *g, size_t n, double bytes,
                              const uint32_t *deps, size_t n_deps, lf_vec *ids, lf_error *err)
{
	size_t G = (size_t)lf_sim_gpus_per_server(s), servers = n / G;
	lf_vec phase;
	lf_vec_init(&phase, sizeof(uint32_t));
	int64_t *rail = malloc(servers * sizeof *rail);
	if (!rail)
		return lf_oom(err);
	lf_status st = LF_OK;
	uint32_t bar = UINT32_MAX;
	for (int step = 0; step < 3 && st == LF_OK; step++) {
		const uint32_t *d = step ? &bar : deps;
		size_t nd = step ? 1 : n_deps;
		phase.len = 0;
		if (step == 1) {       /* per rail: all-reduce of S/G across servers */
			for (size_t r = 0; r < G && st == LF_OK; r++) {
				for (size_t k = 0; k < servers; k++)
					rail[k] = g[k * G + r];
				st = ring(s, rail, servers, 2 * (servers - 1), bytes / (double)G / (double)servers,
				          d, nd, &phase, err);
			}
		} else {               /* NVLink reduce-scatter (0) / all-gather (2) */
			for (size_t k = 0; k < servers && st == LF_OK; k++)
				st = ring(s, g + k * G, G, G - 1, bytes / (double)G, d, nd, &phase, err);
		}
		for (size_t i = 0; i < phase.len && st == LF_OK; i++)
			st = push_id(ids, ((uint32_t *)phase.data)[i], err);
		if (st == LF_OK && step < 2)
			st = lf_sim_add_barrier(s, phase.data, phase.len, &bar, err);
		if (st == LF_OK && step < 2)
			st = push_id(ids, bar, err);
	}
	free(rail);
	lf_vec_release(&phase);
	return st;
}

/* NCCL's rings on servers with one NIC per GPU: G rings (channels), each
 * carrying 1/G of the data through every GPU.  Ring r enters even-numbered
 * servers at local GPU r and leaves them from GPU r' (its partner), and
 * odd-numbered servers the other way round, so every server-to-server hop
 * stays on one rail (r' -> r' or r -> r) and each NIC carries one ring's
 * hop each way; the other hops run over NVLink.  Large-message busBW then
 * approaches G x NIC rate (nccl-busbw.md). */
static lf_status rail_rings(lf_sim *s, const int64_t *g, size_t n, size_t steps_per_rank,
                            double bytes, const uint32_t *deps, size_t n_deps, lf_vec *ids,
                            lf_error *err)
{
	size_t G = (size_t)lf_sim_gpus_per_server(s), servers = n / G;
	int64_t *ord = malloc(n * sizeof *ord);
	if (!ord)
		return lf_oom(err);
	lf_status st = LF_OK;
	for (size_t r = 0; r < G && st == LF_OK; r++) {
		size_t partner = r ^ 1;
		if (partner >= G)
			partner = (r + 1) % G;
		size_t k = 0;
		for (size_t sv = 0; sv < servers; sv++) {
			size_t first = sv % 2 ? partner : r, last = sv % 2 ? r : partner;
			const int64_t *node = g + sv * G;
			ord[k++] = node[first];
			for (size_t j = 0; j < G; j++)
				if (j != first && j != last)
					ord[k++] = node[j];
			ord[k++] = node[last];
		}
		size_t steps = steps_per_rank == 2 ? 2 * (n - 1) : n - 1;
		st = ring(s, ord, n, steps, bytes / (double)G / (double)n, deps, n_deps, ids, err);
	}
	free(ord);
	return st;
}

static const char *coll_name(lf_coll c)
{
	static const char *const n[] = { "all-reduce", "reduce-scatter", "all-gather",
	                                 "all-to-all", "broadcast", "send/recv" };
	return n[c];
}

lf_status lf_coll_build(lf_sim *s, lf_coll coll, lf_algo algo, const int64_t *g, size_t n,
                        double bytes, const uint32_t *deps, size_t n_deps, lf_vec *ids,
                        lf_algo *used, lf_error *err)
{
	if (algo == LF_ALGO_AUTO) {
		if (coll == LF_COLL_ALLTOALL)
			algo = n <= 128 ? LF_ALGO_DIRECT : LF_ALGO_PAIRWISE;
		else
			algo = LF_ALGO_RING;
	}
	*used = algo;
	bool ok = false;
	switch (coll) {
	case LF_COLL_ALLREDUCE:
		ok = algo == LF_ALGO_RING || algo == LF_ALGO_TREE || algo == LF_ALGO_HIER;
		break;
	case LF_COLL_REDUCESCATTER:
	case LF_COLL_ALLGATHER:
	case LF_COLL_BROADCAST:
	case LF_COLL_SENDRECV:
		ok = algo == LF_ALGO_RING;
		break;
	case LF_COLL_ALLTOALL:
		ok = algo == LF_ALGO_DIRECT || algo == LF_ALGO_PAIRWISE;
		break;
	}
	static const char *const an[] = { "auto", "ring", "tree", "hierarchical", "direct",
	                                  "pairwise" };
	if (!ok)
		return lf_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s does not apply to %s",
		               an[algo], coll_name(coll));
	if (algo == LF_ALGO_HIER && !whole_servers(s, g, n))
		return lf_fail(err, LF_EINPUT, NULL, 0, 0, "hierarchical all-reduce needs whole "
		               "servers (all %d GPUs of each, in order) and at least two of them",
		               lf_sim_gpus_per_server(s));
	if (n < 2)
		return LF_OK;
	switch (coll) {
	case LF_COLL_ALLREDUCE:
		if (algo == LF_ALGO_TREE)
			return double_tree(s, g, n, bytes, deps, n_deps, ids, err);
		if (algo == LF_ALGO_HIER)
			return hierarchical(s, g, n, bytes, deps, n_deps, ids, err);
		if (whole_servers(s, g, n))
			return rail_rings(s, g, n, 2, bytes, deps, n_deps, ids, err);
		return ring(s, g, n, 2 * (n - 1), bytes / (double)n, deps, n_deps, ids, err);
	case LF_COLL_REDUCESCATTER:
	case LF_COLL_ALLGATHER:
		if (whole_servers(s, g, n))
			return rail_rings(s, g, n, 1, bytes, deps, n_deps, ids, err);
		return ring(s, g, n, n - 1, bytes / (double)n, deps, n_deps, ids, err);
	case LF_COLL_ALLTOALL:
		return all_to_all(s, g, n, bytes, algo == LF_ALGO_PAIRWISE, deps, n_deps, ids, err);
	case LF_COLL_BROADCAST:
		return chain_broadcast(s, g, n, bytes, deps, n_deps, ids, err);
	case LF_COLL_SENDRECV:
		return ring(s, g, n, 1, bytes, deps, n_deps, ids, err);
	}
	return LF_OK;
}
