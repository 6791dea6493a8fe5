/*
 * collective.c — collectives as flows with dependencies (NCCL's algorithms
 * at flow level; over 800 lines because every algorithm NCCL's tuner can
 * pick is here, on the same ring/tree/chain helpers).  S is the nccl-tests size: the whole array for
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
	double c = lfi_sim_chunk_bytes(s);
	if (c <= 0 || block <= c)
		return 1;
	double m = ceil(block / c);
	return m > 1e6 ? 1000000 : (size_t)m;
}

static lf_status push_id(lfi_vec *ids, uint32_t id, lf_error *err)
{
	uint32_t *p = lfi_vec_push(ids);
	if (!p)
		return lfi_oom(err);
	*p = id;
	return LF_OK;
}

/* Flow with up to two dependencies (either may be absent: UINT32_MAX) on
 * top of the collective's root dependencies when it has none. */
static lf_status flow2(lf_sim *s, int64_t a, int64_t b, double bytes, uint32_t d1, uint32_t d2,
                       const uint32_t *deps, size_t n_deps, lfi_vec *ids, uint32_t *id,
                       lf_error *err)
{
	uint32_t d[2];
	size_t n = 0;
	if (d1 != UINT32_MAX)
		d[n++] = d1;
	if (d2 != UINT32_MAX)
		d[n++] = d2;
	if (n)
		LF_TRY(lfi_sim_add_flow(s, a, b, bytes, d, n, id, err));
	else
		LF_TRY(lfi_sim_add_flow(s, a, b, bytes, deps, n_deps, id, err));
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
/* The flow ids of a pipeline's previous step and of this one, k each. */
typedef struct steps2 {
	uint32_t *prev, *cur;
} steps2;

static lf_status steps2_new(steps2 *r, size_t k, lf_error *err)
{
	r->prev = malloc(k * sizeof *r->prev);
	r->cur = malloc(k * sizeof *r->cur);
	if (r->prev && r->cur)
		return LF_OK;
	free(r->prev);
	free(r->cur);
	return lfi_oom(err);
}

static void steps2_next(steps2 *r)
{
	uint32_t *t = r->prev;
	r->prev = r->cur;
	r->cur = t;
}

static lf_status steps2_free(steps2 *r, lf_status st)
{
	free(r->prev);
	free(r->cur);
	return st;
}

static lf_status ring_m(lf_sim *s, const int64_t *g, size_t n, size_t steps, double block,
                        double lat_s, const uint32_t *deps, size_t n_deps, lfi_vec *ids,
                        lf_error *err)
{
	if (lat_s >= 0) {   /* NCCL latency model: folded, after the whole latency */
		for (size_t i = 0; i < n; i++) {
			uint32_t id;
			LF_TRY(lfi_sim_add_flow_lat(s, g[i], g[(i + 1) % n], block * (double)steps, lat_s,
			                            deps, n_deps, &id, err));
			LF_TRY(push_id(ids, id, err));
		}
		return LF_OK;
	}
	if (n > RING_FOLD && !lfi_sim_exact_rings(s)) {
		for (size_t i = 0; i < n; i++) {
			uint32_t id;
			LF_TRY(lfi_sim_add_flow_steps(s, g[i], g[(i + 1) % n], block * (double)steps,
			                              (double)steps, deps, n_deps, &id, err));
			LF_TRY(push_id(ids, id, err));
		}
		return LF_OK;
	}
	size_t m = pieces(s, block);
	steps2 r;
	LF_TRY(steps2_new(&r, n * m, err));
	uint32_t *prev = r.prev, *cur = r.cur;
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
		steps2_next(&r);
		prev = r.prev;
		cur = r.cur;
	}
	return steps2_free(&r, st);
}

static lf_status ring(lf_sim *s, const int64_t *g, size_t n, size_t steps, double block,
                      const uint32_t *deps, size_t n_deps, lfi_vec *ids, lf_error *err)
{
	return ring_m(s, g, n, steps, block, -1, deps, n_deps, ids, err);
}

static lf_status chain_broadcast(lf_sim *s, const int64_t *g, size_t n, double bytes,
                                 const uint32_t *deps, size_t n_deps, lfi_vec *ids, lf_error *err)
{
	size_t m = pieces(s, bytes);
	steps2 r;
	LF_TRY(steps2_new(&r, m, err));
	lf_status st = LF_OK;
	for (size_t h = 0; h + 1 < n && st == LF_OK; h++) {
		for (size_t j = 0; j < m && st == LF_OK; j++)
			st = flow2(s, g[h], g[h + 1], bytes / (double)m, h ? r.prev[j] : UINT32_MAX,
			           j ? r.cur[j - 1] : UINT32_MAX, deps, n_deps, ids, &r.cur[j], err);
		steps2_next(&r);
	}
	return steps2_free(&r, st);
}

static lf_status all_to_all(lf_sim *s, const int64_t *g, size_t n, double bytes, bool pairwise,
                            const uint32_t *deps, size_t n_deps, lfi_vec *ids, lf_error *err)
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
	if (lfi_sim_a2a_phases(s, n)) {
		uint32_t done;
		LF_TRY(lfi_sim_add_pairwise_phases(s, g, n, each, deps, n_deps, &done, err));
		lfi_sim_note(s, "pairwise all-to-all of %zu ranks: rounds without events, each "
		             "flow timed by its round's load (sim exact_a2a: event by event)", n);
		return push_id(ids, done, err);
	}
	if (lfi_sim_streaming(s)) {
		/* the same rounds, created as they become ready (sim.c) */
		uint32_t done;
		LF_TRY(lfi_sim_add_pairwise_stream(s, g, n, each, deps, n_deps, &done, err));
		return push_id(ids, done, err);
	}
	uint32_t *prev = malloc(n * sizeof *prev), *cur = malloc(n * sizeof *cur);
	if (!prev || !cur) {
		free(prev);
		free(cur);
		return lfi_oom(err);
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

/* The ranks are whole units of G GPUs (servers, or NVLink domains), each
 * with all its GPUs in local order, and at least two units. */
static bool whole_units(const int64_t *g, size_t n, int64_t G)
{
	if (G < 2 || n % (size_t)G || n / (size_t)G < 2)
		return false;
	for (size_t i = 0; i < n; i++)
		if (g[i] % G != (int64_t)(i % (size_t)G) || g[i] / G != g[i - i % (size_t)G] / G)
			return false;
	return true;
}

static bool whole_servers(const lf_sim *s, const int64_t *g, size_t n)
{
	return whole_units(g, n, lfi_sim_gpus_per_server(s));
}

/* k > 1 when the ranks are runs of k GPUs (k < a server's G), each run on a
 * server of its own, at least two servers, and each GPU has a NIC of its
 * own: a data-parallel group beside tensor parallelism (TP 2 leaves 4 of a
 * server's 8 GPUs in each DP group).  NCCL then runs a channel per NIC of
 * those GPUs (its topology search finds one ring per NIC close to the
 * communicator's GPUs), so rings cross servers on all k rails, not one. */
static size_t server_runs(const lf_sim *s, const int64_t *g, size_t n)
{
	const lf_server *sv = lfi_sim_plan(s)->spec->server;
	int64_t G = lfi_sim_gpus_per_server(s);
	if (n < 4 || sv->nic_ports < sv->gpus)
		return 0;
	size_t k = 1;
	while (k < n && g[k] / G == g[0] / G)
		k++;
	if (k < 2 || (int64_t)k >= G || n % k || n / k < 2)
		return 0;
	for (size_t i = 0; i < n; i++) {
		size_t first = i - i % k;
		if (g[i] / G != g[first] / G || (i >= k && i == first && g[i] / G == g[i - 1] / G))
			return 0;
	}
	return k;
}

/* The unit rings are laid over: whole NVLink domains (NVL72 racks) when the
 * ranks are, else whole servers, else equal runs of a server's GPUs; 0
 * when none. */
static size_t ring_unit(const lf_sim *s, const int64_t *g, size_t n)
{
	int64_t D = lfi_sim_domain_gpus(s);
	if (D > lfi_sim_gpus_per_server(s) && whole_units(g, n, D))
		return (size_t)D;
	if (whole_servers(s, g, n))
		return (size_t)lfi_sim_gpus_per_server(s);
	return server_runs(s, g, n);
}

/* The hierarchical all-reduce's traffic at once: NVLink reduce-scatter and
 * all-gather rings inside each server (S/G per step) and one ring per rail
 * across servers (2(n-1)/n x S/G). */
static lf_status rail_rings_hier(lf_sim *s, const int64_t *g, size_t n, double bytes, double lat_s,
                                 const uint32_t *deps, size_t n_deps, lfi_vec *ids, lf_error *err)
{
	size_t G = (size_t)lfi_sim_gpus_per_server(s), servers = n / G;
	int64_t *rail = malloc(servers * sizeof *rail);
	if (!rail)
		return lfi_oom(err);
	lf_status st = LF_OK;
	for (size_t r = 0; r < G && st == LF_OK; r++) {
		for (size_t k = 0; k < servers; k++)
			rail[k] = g[k * G + r];
		st = ring_m(s, rail, servers, 2 * (servers - 1), bytes / (double)G / (double)servers,
		            lat_s, deps, n_deps, ids, err);
	}
	for (size_t k = 0; k < servers && st == LF_OK; k++)
		st = ring_m(s, g + k * G, G, 2 * (G - 1), bytes / (double)G, lat_s, deps, n_deps, ids,
		            err);
	free(rail);
	return st;
}

static lf_status hierarchical(lf_sim *s, const int64_t *g, size_t n, double bytes, double lat_s,
                              const uint32_t *deps, size_t n_deps, lfi_vec *ids, lf_error *err)
{
	size_t G = (size_t)lfi_sim_gpus_per_server(s), servers = n / G;
	if (lat_s >= 0) {
		/* pipelined, as NCCL's hierarchical algorithms run: the three
		 * phases' traffic at once, after the latency */
		LF_TRY(rail_rings_hier(s, g, n, bytes, lat_s, deps, n_deps, ids, err));
		return LF_OK;
	}
	lfi_vec phase;
	lfi_vec_init(&phase, sizeof(uint32_t));
	int64_t *rail = malloc(servers * sizeof *rail);
	if (!rail)
		return lfi_oom(err);
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
			st = lfi_sim_add_barrier(s, phase.data, phase.len, &bar, err);
		if (st == LF_OK && step < 2)
			st = push_id(ids, bar, err);
	}
	free(rail);
	lfi_vec_release(&phase);
	return st;
}

/* NCCL's rings on units (servers, or NVLink domains) of G GPUs with one NIC
 * per GPU: G rings (channels), each carrying 1/G of the data through every
 * GPU.  Ring r enters even-numbered units at local GPU r and leaves them
 * from GPU r' (its partner), and odd-numbered units the other way round, so
 * every unit-to-unit hop stays on one rail (r' -> r' or r -> r) and each NIC
 * carries one ring's hop each way; the other hops run over NVLink.
 * Large-message busBW then approaches G x NIC rate (nccl-busbw.md).  Fewer
 * channels than GPUs (`channels:`) run fewer rings and leave NICs idle. */
static lf_status rail_rings(lf_sim *s, const int64_t *g, size_t n, size_t G, size_t rings,
                            size_t steps_per_rank, double bytes, double lat_s,
                            const uint32_t *deps, size_t n_deps, lfi_vec *ids, lf_error *err)
{
	size_t servers = n / G;
	int64_t *ord = malloc(n * sizeof *ord);
	if (!ord)
		return lfi_oom(err);
	lf_status st = LF_OK;
	for (size_t r = 0; r < rings && st == LF_OK; r++) {
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
		/* 2: all-reduce, 1: reduce-scatter / all-gather, 0: a pipelined
		 * chain (broadcast, reduce), every hop carrying the ring's share */
		size_t steps = steps_per_rank == 2 ? 2 * (n - 1) : steps_per_rank ? n - 1 : n;
		st = ring_m(s, ord, n, steps, bytes / (double)rings / (double)n, lat_s, deps, n_deps,
		            ids, err);
	}
	free(ord);
	return st;
}


/* ------------------------------------------------------ NCCL's algorithms
 *
 * Every algorithm below runs as its steady-state traffic: the flows carry
 * all the bytes each connection moves, all at once, from `lat_s` after the
 * collective's dependencies (the latency model, nccl.c), at link rate x
 * efficiency x the algorithm's and protocol's share (`scale` = 1 / share,
 * applied to the bytes).  With a flat alpha (lat_s < 0) a flow starts
 * `steps` alphas late instead. */

typedef struct cbuild {
	lf_sim *s;
	const int64_t *g;         /* ranks */
	size_t n, nodes, ppn;     /* ranks, NVLink domains, ranks per domain */
	int nics;                 /* NICs per node the ranks use = channels' endpoints */
	double lat_s, scale, steps;
	const uint32_t *deps;
	size_t n_deps;
	lfi_vec *ids;
	lf_error *err;
} cbuild;

static lf_status cflow(cbuild *c, int64_t a, int64_t b, double bytes)
{
	uint32_t id;
	double v = bytes * c->scale;
	if (c->lat_s >= 0)
		LF_TRY(lfi_sim_add_flow_lat(c->s, a, b, v, c->lat_s, c->deps, c->n_deps, &id, c->err));
	else
		LF_TRY(lfi_sim_add_flow_steps(c->s, a, b, v, c->steps, c->deps, c->n_deps, &id, c->err));
	return push_id(c->ids, id, c->err);
}

/* rank of node k that holds NIC channel ch (one NIC per GPU: local rank ch) */
static int64_t endpoint(const cbuild *c, size_t k, int ch)
{
	size_t j = (size_t)ch * c->ppn / (size_t)c->nics;
	return c->g[k * c->ppn + j];
}

/* Double binary tree over nodes (NCCL 2.4; Sanders et al. 2009), on every
 * NIC channel: tree 0 in heap order over the nodes, tree 1 over the nodes
 * mirrored, so the leaves of one are inner nodes of the other; each
 * carries half a channel's data up (reduce) and down (broadcast). */
static lf_status node_trees(cbuild *c, double bytes)
{
	double each = bytes / 2 / c->nics;
	/* NCCL's tree reaches the ring's bus bandwidth, not more (tuning.cc:
	 * busBw = channels x bwInter for both; measured NVLS-tree scans level
	 * at the NIC-bound figure from 4 nodes up): a node's NICs carry the
	 * ring's 2(n-1)/n x S.  With few nodes a double binary tree's busiest
	 * node sends less than that, so its flows carry the difference too.  Two
	 * nodes are the exception NCCL's model makes too (NVLS tree at twice the
	 * inter-node bandwidth): each sends the other half the data per tree. */
	size_t K = c->nodes, maxout = 0;
	for (size_t k = 0; k < K; k++) {
		size_t out = 0;
		for (int t = 0; t < 2; t++) {
			size_t v = t ? K - 1 - k : k;
			out += (v > 0) + (2 * v + 1 < K) + (2 * v + 2 < K);
		}
		if (out > maxout)
			maxout = out;
	}
	double ring = 2.0 * ((double)c->n - 1) / (double)c->n * bytes / c->nics;
	if (K > 2 && maxout && ring > (double)maxout * each)
		each = ring / (double)maxout;
	for (int ch = 0; ch < c->nics; ch++)
		for (int t = 0; t < 2; t++)
			for (size_t v = 1; v < c->nodes; v++) {
				size_t p = (v - 1) / 2;
				size_t kv = t ? c->nodes - 1 - v : v, kp = t ? c->nodes - 1 - p : p;
				int64_t a = endpoint(c, kv, ch), b = endpoint(c, kp, ch);
				LF_TRY(cflow(c, a, b, each));
				LF_TRY(cflow(c, b, a, each));
			}
	return LF_OK;
}

/* NCCL's intra-node chain per channel, from the channel's NIC GPU through
 * the node's other GPUs: each hop carries the channel's data up and down. */
static lf_status node_chains(cbuild *c, double bytes)
{
	double each = bytes / c->nics;
	for (size_t k = 0; k < c->nodes; k++)
		for (int ch = 0; ch < c->nics; ch++) {
			size_t j0 = (size_t)ch * c->ppn / (size_t)c->nics;
			for (size_t i = 0; i + 1 < c->ppn; i++) {
				int64_t a = c->g[k * c->ppn + (j0 + i) % c->ppn];
				int64_t b = c->g[k * c->ppn + (j0 + i + 1) % c->ppn];
				LF_TRY(cflow(c, b, a, each));
				LF_TRY(cflow(c, a, b, each));
			}
		}
	return LF_OK;
}

/* NVLink SHARP inside each node: every GPU sends `per_gpu` bytes into the
 * NVSwitch and takes as many out (a shift over the node's GPUs loads each
 * GPU's NVLink send and receive once). */
static lf_status nvls_intra(cbuild *c, double per_gpu)
{
	for (size_t k = 0; k < c->nodes; k++)
		for (size_t i = 0; i < c->ppn; i++)
			LF_TRY(cflow(c, c->g[k * c->ppn + i], c->g[k * c->ppn + (i + 1) % c->ppn],
			             per_gpu));
	return LF_OK;
}

/* In-network reduction (SHARP): each NIC sends its share up once and takes
 * the result down once; the switches reduce, so no link above carries more
 * than one stream.  Modelled as a shift along each rail, which loads every
 * NIC's link up and down with exactly that share. */
static lf_status sharp_net(cbuild *c, double bytes)
{
	double each = bytes / c->nics;
	for (size_t k = 0; k < c->nodes; k++)
		for (int ch = 0; ch < c->nics; ch++)
			LF_TRY(cflow(c, endpoint(c, k, ch), endpoint(c, (k + 1) % c->nodes, ch), each));
	return LF_OK;
}

/* PAT (Parallel Aggregated Trees), one GPU per node: in step k rank i
 * exchanges with rank i + 2^k the blocks it holds (Bruck-like); all steps
 * pipelined. */
static lf_status pat(cbuild *c, double bytes)
{
	double block = bytes / (double)c->n;
	for (size_t d = 1; d < c->n; d *= 2) {
		double blocks = (double)(d < c->n - d ? d : c->n - d);
		for (size_t i = 0; i < c->n; i++)
			LF_TRY(cflow(c, c->g[i], c->g[(i + d) % c->n], block * blocks));
	}
	return LF_OK;
}

/* ------------------------------------------------------------ the shape */

static lf_algo from_nc(int a)
{
	static const lf_algo m[NC_NALGO] = { LF_ALGO_TREE, LF_ALGO_RING, LF_ALGO_COLLNET_DIRECT,
	                                     LF_ALGO_COLLNET_CHAIN, LF_ALGO_NVLS,
	                                     LF_ALGO_NVLS_TREE, LF_ALGO_PAT };
	return m[a];
}

static int to_nc(lf_algo a)
{
	for (int i = 0; i < NC_NALGO; i++)
		if (from_nc(i) == a)
			return i;
	return -1;
}

static bool sharp_fabric(const lf_plan *pl)
{
	for (int t = 0; t < pl->tiers && t < LF_MAX_TIERS; t++) {
		const lf_switch *sw = pl->spec->tier[t < pl->spec->n_tier_specs ? t : 0].sw;
		if (!sw || !sw->sharp)
			return false;
	}
	return true;
}

/* What NCCL sees of this communicator: nodes (NVLink domains), ranks per
 * node, the GPU generation, NVLink and NIC bandwidth, channels. */
static void coll_shape(lf_sim *s, const int64_t *g, size_t n, nccl_shape *c, size_t *ppn_out)
{
	const lf_plan *pl = lfi_sim_plan(s);
	const lf_sim_config *cfg = lfi_sim_cfg(s);
	const lf_server *sv = pl->spec->server;
	int64_t D = lfi_sim_domain_gpus(s);
	memset(c, 0, sizeof *c);
	size_t nodes = 0, run = 0, ppn = 0;
	bool uniform = true;
	for (size_t i = 0; i < n; i++) {
		bool same = i && g[i] / D == g[i - 1] / D;
		if (!same) {
			if (i) {
				if (ppn && run != ppn)
					uniform = false;
				ppn = run;
			}
			nodes++;
			run = 0;
		}
		run++;
	}
	if (ppn && run != ppn)
		uniform = false;
	ppn = run;
	/* a node seen twice (ranks not grouped by node) is not uniform */
	for (size_t i = 1; i < n && uniform; i++)
		if (g[i] / D != g[i - 1] / D && i % ppn)
			uniform = false;
	c->n_ranks = (int)n;
	c->n_nodes = (int)(nodes ? nodes : 1);
	c->ppn = (double)n / c->n_nodes;
	c->uniform = uniform && nodes * ppn == n;
	c->arch = sv->gpu_arch;
	c->amd_cpu = sv->cpu_amd;
	c->nvlink = sv->nvlink_gbps > 0;
	c->nvswitch = sv->nvswitch;
	c->nvls = sv->nvswitch && sv->gpu_arch >= LF_ARCH_HOPPER;
	c->collnet = cfg->sharp && sharp_fabric(pl);
	c->nvlink_gbs = sv->nvlink_gbps > 0 ? sv->nvlink_gbps / 8 * nccl_nvlink_share(sv->gpu_arch)
	                                    : 32;   /* PCIe Gen5 x16 */
	double nic_per_gpu = (double)sv->port_gbps * sv->nic_ports / sv->gpus / 8;
	int nics = (int)ceil(c->ppn * sv->nic_ports / sv->gpus);
	if (nics < 1)
		nics = 1;
	if (nics > (int)c->ppn && c->uniform)
		nics = (int)c->ppn;
	c->nics = nics;
	c->net_gbs = nic_per_gpu * c->ppn;
	c->net_eff_gbs = c->net_gbs * (cfg->efficiency > 0 ? cfg->efficiency : 1);
	int ch = cfg->channels;
	if (ch <= 0)
		ch = c->n_nodes == 1 ? 16 : 2 * nics;
	c->channels = ch < 2 ? 2 : ch > 64 ? 64 : ch;
	c->nvls_channels = sv->gpu_arch >= LF_ARCH_BLACKWELL ? (c->n_nodes > 1 ? 32 : 24) : 16;
	c->domain_ranks = c->ppn;
	*ppn_out = c->uniform ? ppn : 0;
}

static const char *hw_why(const lf_plan *pl, lf_algo a)
{
	const lf_server *sv = pl->spec->server;
	if ((a == LF_ALGO_NVLS || a == LF_ALGO_NVLS_TREE) && !sv->nvswitch)
		return "its GPUs do not meet through NVSwitch (catalog nvswitch)";
	if ((a == LF_ALGO_NVLS || a == LF_ALGO_NVLS_TREE) && sv->gpu_arch < LF_ARCH_HOPPER)
		return "NVLink SHARP needs Hopper or later (catalog gpu_arch)";
	return NULL;
}

lf_status lfi_coll_build(lf_sim *s, lf_coll coll, lf_algo algo, const int64_t *g, size_t n,
                         double bytes, const uint32_t *deps, size_t n_deps, lfi_vec *ids,
                         lfi_coll_choice *used, lf_error *err)
{
	const lf_plan *pl = lfi_sim_plan(s);
	const lf_sim_config *cfg = lfi_sim_cfg(s);
	const lf_server *sv = pl->spec->server;
	bool model = cfg->latency_us < 0;
	memset(used, 0, sizeof *used);
	used->algo = algo;
	used->proto = model ? (cfg->proto ? cfg->proto : LF_NCCL_SIMPLE) : cfg->proto;
	if (n < 2)
		return LF_OK;
	nccl_shape c;
	size_t ppn;
	coll_shape(s, g, n, &c, &ppn);
	used->channels = c.channels;
	/* the hardware must run what is forced */
	const char *why = hw_why(pl, algo);
	if (why)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s cannot run on server %s: %s",
		                lf_algo_name(algo), sv->id, why);
	if ((algo == LF_ALGO_COLLNET_DIRECT || algo == LF_ALGO_COLLNET_CHAIN) && !sharp_fabric(pl))
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s needs in-network reduction, "
		                "and switch %s has no SHARP (catalog sharp)", lf_algo_name(algo),
		                pl->spec->tier[0].sw ? pl->spec->tier[0].sw->id : "?");
	if (cfg->sharp && !sharp_fabric(pl))
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "sharp: true, but switch %s has no "
		                "SHARP in-network reduction (catalog sharp)",
		                pl->spec->tier[0].sw ? pl->spec->tier[0].sw->id : "?");
	if ((algo == LF_ALGO_COLLNET_DIRECT || algo == LF_ALGO_COLLNET_CHAIN) && !cfg->sharp)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s uses SHARP: enable it with "
		                "`sharp: true` in the workload's sim section", lf_algo_name(algo));
	/* all-to-all, send/recv and lightfab's hierarchical are not NCCL
	 * tuner choices */
	if (coll == LF_COLL_ALLTOALL) {
		if (algo == LF_ALGO_AUTO)
			algo = n <= 128 ? LF_ALGO_DIRECT : LF_ALGO_PAIRWISE;
		if (algo != LF_ALGO_DIRECT && algo != LF_ALGO_PAIRWISE)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s does not apply to "
			                "all-to-all (direct, pairwise)", lf_algo_name(algo));
	} else if (algo == LF_ALGO_DIRECT || algo == LF_ALGO_PAIRWISE) {
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s applies to all-to-all only",
		                lf_algo_name(algo));
	} else if (algo == LF_ALGO_HIER) {
		if (coll != LF_COLL_ALLREDUCE)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm hierarchical applies to "
			                "all-reduce only");
		if (!whole_servers(s, g, n))
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "hierarchical all-reduce needs whole "
			                "servers (all %d GPUs of each, in order) and at least two of them",
			                lfi_sim_gpus_per_server(s));
	} else if (coll == LF_COLL_SENDRECV) {
		algo = LF_ALGO_RING;
	} else {
		int fa = algo == LF_ALGO_AUTO ? -1 : to_nc(algo);
		int fp = cfg->proto == LF_NCCL_AUTO ? -1 : (int)cfg->proto - 1;
		int p = NC_SIMPLE;
		int a = nccl_pick(&c, coll, bytes, fa, fp, &p);
		if (a < 0 && fp >= 0 && fa >= 0) {
			/* the forced protocol is not one this algorithm runs */
			a = nccl_pick(&c, coll, bytes, fa, -1, &p);
			if (a >= 0)
				lfi_sim_note(s, "protocol %s is not used by %s (it runs %s)",
				             lf_nccl_proto_name(cfg->proto), lf_algo_name(algo),
				             lf_nccl_proto_name((lf_nccl_proto)(p + 1)));
		}
		if (a < 0 && fa >= 0)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "algorithm %s does not run %s over "
			                "these %zu ranks (%d nodes of %g ranks%s%s)", lf_algo_name(algo),
			                lf_coll_name(coll), n, c.n_nodes, c.ppn,
			                c.uniform ? "" : ", not the same number per node",
			                algo == LF_ALGO_PAT ? "; PAT needs one GPU per node" :
			                algo == LF_ALGO_NVLS && c.n_nodes > 1 ?
			                "; NVLS across nodes needs SHARP (`sharp: true` on SHARP switches), "
			                "or use nvls-tree" :
			                algo == LF_ALGO_NVLS_TREE && c.n_nodes < 2 ?
			                "; NVLS tree needs two nodes or more, nvls runs inside one" : "");
		if (a < 0) {
			a = NC_RING;
			p = NC_SIMPLE;
		}
		algo = from_nc(a);
		used->proto = model || fp >= 0 ? (lf_nccl_proto)(p + 1) : LF_NCCL_AUTO;
	}
	used->algo = algo;
	if (cfg->chunk_bytes > 0 && (model || algo != LF_ALGO_RING || n > RING_FOLD) &&
	    algo != LF_ALGO_HIER && coll != LF_COLL_BROADCAST && coll != LF_COLL_REDUCE)
		lfi_sim_note(s, "chunk is not used by %s%s: NCCL's own chunking is in the latency "
		             "model", lf_algo_name(algo), model ? "" : " at this scale");
	if (cfg->channels > 0 && (algo == LF_ALGO_NVLS || algo == LF_ALGO_NVLS_TREE))
		lfi_sim_note(s, "channels is not used by %s: NVLS runs on its own %d channels",
		             lf_algo_name(algo), c.nvls_channels);
	int a = to_nc(algo);
	int p = used->proto ? (int)used->proto - 1 : NC_SIMPLE;
	/* fewer channels than NICs leave NICs idle (NVLS runs its own channels
	 * and reaches every NIC of the node) */
	bool own = algo == LF_ALGO_NVLS || algo == LF_ALGO_NVLS_TREE;
	int nics = !own && cfg->channels > 0 && cfg->channels < c.nics ? cfg->channels : c.nics;
	cbuild b = { s, g, n, (size_t)c.n_nodes, ppn ? ppn : 1, nics, -1, 1, 1,
	             deps, n_deps, ids, err };
	if (model) {
		double lat = a >= 0 ? nccl_latency_us(&c, coll, a, p, bytes) : 0;
		if (coll == LF_COLL_ALLTOALL || coll == LF_COLL_SENDRECV || algo == LF_ALGO_HIER)
			lat = 8.4 + (c.n_nodes > 1 ? 14.0 : 3.4);   /* NCCL Simple p2p: base + hw */
		used->latency_us = lat;
		b.lat_s = lat * 1e-6;
		if (a >= 0 && used->proto)
			b.scale = 1 / nccl_bw_factor(&c, coll, a, p);
	} else if (used->proto && a >= 0) {
		b.scale = 1 / nccl_bw_factor(&c, coll, a, p);
	}
	double depth = nccl_tree_depth(c.n_nodes);
	double G = (double)b.ppn;
	switch (algo) {
	case LF_ALGO_TREE:
		b.steps = 2 * depth + 2 * (G - 1);
		LF_TRY(node_trees(&b, bytes));
		return b.ppn > 1 ? node_chains(&b, bytes) : LF_OK;
	case LF_ALGO_NVLS:
	case LF_ALGO_NVLS_TREE: {
		b.steps = 2 + (algo == LF_ALGO_NVLS_TREE ? 2 * depth : c.n_nodes > 1 ? 2 : 0);
		double intra = coll == LF_COLL_ALLREDUCE ? bytes * (G + 1) / G : bytes;
		double keep = b.scale;
		b.scale = keep / nccl_nvls_eff(c.arch);
		LF_TRY(nvls_intra(&b, intra));
		b.scale = keep;
		if (c.n_nodes == 1)
			return LF_OK;
		return algo == LF_ALGO_NVLS ? sharp_net(&b, bytes) : node_trees(&b, bytes);
	}
	case LF_ALGO_COLLNET_DIRECT:
	case LF_ALGO_COLLNET_CHAIN:
		b.steps = 2 + 2 * (G - 1);
		if (algo == LF_ALGO_COLLNET_DIRECT)
			LF_TRY(nvls_intra(&b, 2 * bytes * (G - 1) / G));
		else if (b.ppn > 1)
			LF_TRY(node_chains(&b, bytes));
		return sharp_net(&b, bytes);
	case LF_ALGO_PAT:
		b.steps = depth;
		return pat(&b, bytes);
	case LF_ALGO_HIER:
		return hierarchical(s, g, n, bytes, model ? b.lat_s : -1, deps, n_deps, ids, err);
	case LF_ALGO_DIRECT:
	case LF_ALGO_PAIRWISE:
		/* NCCL's, across NVLink domains: at its measured all-to-all share
		 * of the links' rate (nccl_a2a_net_eff); the NVLink flows, given
		 * the same share, still finish before the network's */
		return all_to_all(s, g, n, model && c.n_nodes > 1 ? bytes / nccl_a2a_net_eff() : bytes,
		                  algo == LF_ALGO_PAIRWISE, deps, n_deps, ids, err);
	default:
		break;
	}
	/* ring */
	double lat_s = model ? b.lat_s : -1;
	double sc = b.scale;
	size_t unit = ring_unit(s, g, n);
	size_t rings = cfg->channels > 0 && (size_t)cfg->channels < unit ? (size_t)cfg->channels :
	                                                                    unit;
	switch (coll) {
	case LF_COLL_ALLREDUCE:
		if (unit)
			return rail_rings(s, g, n, unit, rings, 2, bytes * sc, lat_s, deps, n_deps, ids,
			                  err);
		return ring_m(s, g, n, 2 * (n - 1), bytes * sc / (double)n, lat_s, deps, n_deps, ids,
		              err);
	case LF_COLL_REDUCESCATTER:
	case LF_COLL_ALLGATHER:
		if (unit)
			return rail_rings(s, g, n, unit, rings, 1, bytes * sc, lat_s, deps, n_deps, ids,
			                  err);
		return ring_m(s, g, n, n - 1, bytes * sc / (double)n, lat_s, deps, n_deps, ids, err);
	case LF_COLL_BROADCAST:
	case LF_COLL_REDUCE:
		if (model && unit)   /* one pipelined chain per channel, as NCCL's rings */
			return rail_rings(s, g, n, unit, rings, 0, bytes * sc, lat_s, deps, n_deps, ids,
			                  err);
		if (model) {   /* a pipelined chain: every hop carries the message */
			b.scale = sc;
			for (size_t i = 0; i + 1 < n; i++)
				LF_TRY(cflow(&b, g[i], g[i + 1], bytes));
			return LF_OK;
		}
		return chain_broadcast(s, g, n, bytes * sc, deps, n_deps, ids, err);
	case LF_COLL_SENDRECV:
		return ring_m(s, g, n, 1, bytes, lat_s, deps, n_deps, ids, err);
	default:
		return LF_OK;
	}
}

/* One collective as a phase of the simulation: its flows after the phases
 * `after`, then a barrier (sim.c keeps the phases). */
lf_status lf_sim_add_collective(lf_sim *s, lf_coll coll, lf_algo algo, const int64_t *gpus,
                                size_t n, double bytes, const uint32_t *after, size_t n_after,
                                uint32_t *out, lf_error *err)
{
	lfi_vec deps, ids;
	lfi_vec_init(&deps, sizeof(uint32_t));
	lfi_vec_init(&ids, sizeof(uint32_t));
	uint32_t first = (uint32_t)lfi_sim_n_flow_ids(s);
	lfi_coll_choice used;
	lf_status st = lfi_sim_phase_deps(s, after, n_after, &deps, err);
	if (st == LF_OK)
		st = lfi_coll_build(s, coll, algo, gpus, n, bytes, deps.data, deps.len, &ids, &used, err);
	if (st == LF_OK)
		lfi_sim_set_last_choice(s, used);
	/* nothing to move (one rank): the barrier still orders the phases */
	if (st == LF_OK && ids.len == 0) {
		lfi_vec t = ids;
		ids = deps;
		deps = t;
	}
	if (st == LF_OK)
		st = lfi_sim_close_phase(s, first, &ids, out, err);
	lfi_vec_release(&deps);
	lfi_vec_release(&ids);
	return st;
}

/* ---------------------------------------------------------- one collective */

double lf_busbw_factor(lf_coll coll, size_t n)
{
	double N = (double)n;
	if (n < 2)
		return 1;
	switch (coll) {
	case LF_COLL_ALLREDUCE: return 2 * (N - 1) / N;
	case LF_COLL_REDUCESCATTER:
	case LF_COLL_ALLGATHER:
	case LF_COLL_ALLTOALL: return (N - 1) / N;
	case LF_COLL_BROADCAST:
	case LF_COLL_REDUCE:
	case LF_COLL_SENDRECV: return 1;
	}
	return 1;
}

lf_status lf_sim_collective(const lf_plan *plan, const lf_sim_config *cfg, lf_coll coll,
                            lf_algo algo, const int64_t *gpus, size_t n, double bytes,
                            lf_coll_result *out, lf_error *err)
{
	memset(out, 0, sizeof *out);
	lf_sim *s;
	LF_TRY(lf_sim_new(plan, cfg, &s, err));
	lfi_vec ids;
	lfi_vec_init(&ids, sizeof(uint32_t));
	double t = 0;
	lfi_coll_choice used = { algo, cfg->proto, 0, 0 };
	double t0 = lf_wall_now();
	lf_status st = lfi_coll_build(s, coll, algo, gpus, n, bytes, NULL, 0, &ids, &used, err);
	if (st == LF_OK)
		st = lf_sim_run(s, &t, err);
	if (st == LF_OK) {
		out->coll = coll;
		out->algo = used.algo;
		out->proto = used.proto;
		out->latency_us = used.latency_us;
		out->channels = used.channels;
		snprintf(out->note, sizeof out->note, "%s", lfi_sim_notes(s));
		out->wall_s = lf_wall_now() - t0;
		out->ranks = n;
		out->bytes = bytes;
		out->time_us = t * 1e6;
		out->algbw_gbs = t > 0 ? bytes / t / 1e9 : 0;
		out->busbw_gbs = out->algbw_gbs * lf_busbw_factor(coll, n);
		out->flows = lf_sim_flows(s);
		out->events = lf_sim_events(s);
		out->n_top = lf_sim_top_links(s, out->top, LF_ARRAY_LEN(out->top));
	}
	lfi_vec_release(&ids);
	lf_sim_free(s);
	return st;
}
