/*
 * sim.c — event-driven, flow-level simulation on a planned fabric.
 * The engine is four files sharing engine.h: this one (the network, flows,
 * phases, the event loop; over 800 lines because its model comment below
 * is the engine's, and the loop's parts share the hot state), route.c
 * (paths), a2a_rounds.c (the all-to-all in rounds), links.c (paths in
 * words, busiest links).
 *
 * Network.  Every topology link is two directed channels (up, down) of
 * link rate x efficiency; every GPU has an NVLink send and receive channel
 * of its server's per-GPU NVLink bandwidth at NCCL's per-link figure
 * (nccl_nvlink_share: 20.6 of 25 GB/s on Hopper).  GPUs of one NVLink domain (a
 * server, or the trays of an NVL72 rack: nvlink_domain_gpus in the
 * catalog, filled in SU order) talk over NVLink, the others over the
 * fabric.  GPU g of a server with G GPUs
 * and R NIC ports uses port g*R/G (its rail).
 *
 * Routing between servers, per plane (spray: 1/P of the flow on each plane;
 * ECMP and adaptive: one plane):
 *     server -> leaf A -> [spine -> [core -> spine] ->] leaf B -> server
 *  - spray: an even split over every equal-cost path.  Leaves stripe their
 *    uplinks evenly over the spines of their pod and spines over their core
 *    group (topo.c), so with no failed link an even split puts the same
 *    share of every flow on each uplink of A: A's uplinks act as one trunk
 *    of their summed capacity, and so do B's (downwards), the spine
 *    uplinks of A's pod and those of B's pod.  The engine then routes a
 *    sprayed flow over at most 6 trunk channels instead of thousands of
 *    links, with identical rates.  With failed links it splits per link:
 *    exactly over the surviving paths within a pod; across pods, by the
 *    surviving paths through each spine (an approximation at the core).
 *  - ECMP: a seeded hash of the flow picks one live uplink at each hop
 *    and one of the live parallel links going down.
 *  - adaptive: the candidate with the fewest active flows at flow start.
 *
 * Events.  A flow starts when its dependencies have finished (or at its
 * release time, lf_sim_add_flow_at: traffic matrices), plus the start
 * latency (alpha; none for zero-byte barriers).  Rates are max-min
 * fair (maxmin.c), recomputed at each instant only for the flows connected
 * to what changed; a flow's finish time is projected from its rate into a
 * heap with lazy invalidation (a version per flow), and re-projected only
 * when its rate actually changed.
 *
 * Speed (issue 12: 65,536-host permutations, 1,024- to 8,192-GPU
 * all-to-alls, chunked pipelines of 500k flows).  What was chosen, and why:
 *  - Re-fill only what can change (maxmin.c): a finishing flow can only
 *    raise flows at least as fast as it, and a new flow only touches flows
 *    at least as fast as cap/W on its narrowest link; slower flows keep
 *    their rates exactly.  In contended ECMP traffic most finishing flows
 *    are fast and most flows slow, so a finish re-solves tens of flows, not
 *    the whole connected component.  Exact (same allocation), unlike
 *    tolerance-based batching of near-simultaneous finishes, which was
 *    rejected: events in a contended all-to-all are spread evenly in time,
 *    so a batching window small enough to keep errors under 1% along a
 *    1,023-round dependency chain merges only a few events.
 *  - One heap entry per link in the filling (a link's level only rises as
 *    flows freeze), instead of one per change.
 *  - Streamed pairwise all-to-all (lfi_sim_add_pairwise_stream): rank i's
 *    flow lives in one slot re-armed round after round as its own send and
 *    its receive finish, so memory grows with the n flows active at once,
 *    not with n(n-1) (8,192 GPUs: 67 M flows in ~20 MiB).  Same
 *    dependencies, same results as building every flow up front (tested).
 *  - Pairwise all-to-all above 256 ranks (LF_A2A_PHASES; exact_a2a = 1
 *    keeps the events, -1 forces rounds; adaptive routing keeps the
 *    events): its rounds without events (lfi_sim_add_pairwise_phases).  The
 *    workload's meaning is kept: rank i starts round k when its own round
 *    k-1 send and its round k-1 receive are done (the dependencies above),
 *    not at a global barrier per round (measured too: it adds up every
 *    round's worst collision, -29 % to +49 % on the cases below, +49 % at
 *    256 ECMP ranks; NCCL posts every peer at once, no barrier).  What is
 *    approximated is contention, seen two ways from the load W of round
 *    k's flows on each channel:
 *      together: a flow takes each x max over its channels of W/cap, the
 *        round's time if its flows started at once (then exact: every
 *        flow runs at least at min cap/W, since it is the fastest on its
 *        bottleneck, and the most loaded channel cannot finish sooner);
 *        but colliding flows that do not overlap in time are charged as
 *        if they did: high for ECMP (+8 % at 256 ranks, +13 % at 512);
 *      queued: each channel works through its rounds one after the other
 *        from the round's first start there; a late round's flows now wait
 *        for an earlier round's (the incast the engine sees) but collide
 *        with none of their own round at the same moment: low (-16 %,
 *        -13 %).
 *    The all-to-all takes the mean of the two (an empirical midpoint: the
 *    two are not proven bounds, but bracketed the event result from 128
 *    ranks on).  Against the event-driven engine (bench specs,
 *    efficiency 0.96, alpha 2 us unless said; tests/test_sim.c checks 256
 *    ranks on its own fabric: ECMP -2.5 %, spray -3.8 %, within 8 % / 5 %):
 *        ranks  route  2 tiers   3 tiers
 *           16  ECMP   -25 %
 *           64  ECMP   -19 %
 *          128  ECMP             -7.3 % (NCCL latency model)
 *          256  ECMP   -3.8 %    -2.8 %
 *          512  ECMP             +0.0 %
 *           16  spray  -29 %
 *           64  spray  -15 %
 *          256  spray  -3.8 %    (264-320 ranks: -3.0 .. -3.7 %)
 *        1,024  spray  -0.6 %
 *    Small all-to-alls lose most (ranks race ahead and collide with late
 *    rounds more than either view counts), hence events up to 256 ranks,
 *    where they cost under a second.  Where the events are far slower,
 *    the rounds are nearer the hardware: 300 ranks (GPUs 0-299, a partial
 *    last server) take 58.5 ms event by event against 23.7 at 296 and 304,
 *    and 22.9 in rounds.  Cause (measured): with the rank count not a
 *    multiple of the server's 8 GPUs, the fast NVLink pairs fall at
 *    uneven places in each round, ranks drift apart, a receiver gets the
 *    next round's flow while it still takes this one, and with one round
 *    in flight per rank the incast cascades: every round then takes 2.6x
 *    its NIC time (~0.19 ms instead of 0.075).  The same 300 ranks on one
 *    rail (GPU 0 of 300 servers, no NVLink pair) stay in lock step: 22.9
 *    ms event by event, equal to the rounds.  NCCL keeps several peers in
 *    flight per batch of its grouped send/receive, which absorbs such
 *    drift; the event form's one round in flight does not.  Adaptive
 *    routing chooses by the flows active at each flow's start, which the
 *    rounds do not know (-58 % at 256): it keeps the events.  Contention-free rounds (a permutation on distinct ports)
 *    are exact in both views (tested).  Tried and rejected: each channel
 *    a processor-sharing queue of its own round's flows at their own
 *    start times (-30 % at 256 ECMP ranks: most of the contention is with
 *    neighbouring rounds).  Cost: one route per flow, no heap, no
 *    max-min; memory O(n + channels).  Link byte counts (top links,
 *    utilisation) are exact.  The all-to-all is one delay after its
 *    dependencies: flows of other phases running at the same time
 *    neither slow it nor are slowed by it.
 *  - ECMP routing with no failed link skips the per-link callbacks (the
 *    65,536-host permutation's hot spot): the hash salts 0-3 are the only
 *    distinct ones (hsh keeps 8 bits of hop + 64 x salt), and a core's
 *    down link is picked within the spine's run of links to that core;
 *    the picks are the same as before.
 *  - The all-to-all in rounds is a two-stage pipeline (a2a_rounds.c):
 *    one thread routes up to 4 rounds ahead while the caller's thread
 *    times them, the same arithmetic in the same order as one thread
 *    (tested bit for bit); lf_sim_config.threads = 1 keeps it on the
 *    caller's thread.  It pays only when the second core is free
 *    (bench/README.md: 7-8 s -> 4.7-5.5 s sprayed at 8,192 GPUs).  Its
 *    per-channel state is one 16-byte record (the 8,192-GPU fabric's 66k
 *    channels fit a core's 1 MiB L2), routing reads a packed array of
 *    link ends instead of lf_link records, and the max-min allocator's
 *    per-flow and per-link lists come from a size-class pool.
 *  - Not done: symmetry (ECMP breaks it); more than two threads (the
 *    timer's pass is one chain of rounds).  The event form keeps one
 *    round in flight per rank; NCCL's grouped send/receive keeps a batch
 *    of 8 rounds (NCCL_MAX_DEV_WORK_P2P_PER_BATCH, src/enqueue.cc), which
 *    the 300-rank case above shows matters when rounds are uneven.
 *
 * Numerics: results are deterministic, but heavily contended traffic with
 * many dependencies (ECMP pairwise all-to-all over hundreds of GPUs) is
 * sensitive to how floating-point near-ties of finish times fall into
 * event instants: equally valid orderings differ by ~0.5-2% in the
 * collective's time (measured; closed-form cases are unaffected).
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "heap.h"
#include "maxmin.h"
#include "engine.h"


/* -------------------------------------------------------------- failures */

static lf_status fail_links(lf_sim *s, lf_error *err)
{
	const lf_plan *pl = s->pl;
	for (size_t i = 0; i < s->cfg.n_failed; i++) {
		const lf_failed_link *f = &s->cfg.failed[i];
		bool hit = false;
		for (size_t k = 0; k < pl->n_links && !hit; k++) {
			const lf_link *l = &pl->links[k];
			const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
			if (l->level == f->level && l->plane == f->plane && a->index == f->lower &&
			    b->index == f->upper && !s->failed[k]) {
				s->failed[k] = 1;
				hit = true;
			}
		}
		if (!hit)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			                "failed link %s plane %d lower %u upper %u: no such live link",
			                lfi_level_name(f->level), f->plane, f->lower, f->upper);
	}
	/* random failures among switch-to-switch links (a server link failure
	 * only cuts one GPU off: not what the option is for) */
	size_t pool = 0;
	for (size_t k = 0; k < pl->n_links; k++)
		pool += pl->links[k].level >= 2 && !s->failed[k];
	if ((size_t)s->cfg.failed_count > pool)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "cannot fail %d links: the fabric has %zu "
		                "switch-to-switch links", s->cfg.failed_count, pool);
	uint64_t h = s->cfg.seed ^ 0x5eedf00dULL;
	for (int n = 0; n < s->cfg.failed_count;) {
		h = lfi_hash64(h);
		size_t k = (size_t)(h % pl->n_links);
		if (pl->links[k].level >= 2 && !s->failed[k]) {
			s->failed[k] = 1;
			n++;
		}
	}
	for (size_t k = 0; k < pl->n_links; k++)
		if (s->failed[k]) {
			s->cap[2 * k] = s->cap[2 * k + 1] = 0;
			s->any_failed = true;
		}
	return LF_OK;
}

/* -------------------------------------------------------------- lifecycle */

/* Runs of a spine's uplinks to one core (choose_to): kept only when each
 * spine reaches each of its cores through one run of adjacent links. */
static lf_status core_runs(lf_sim *s, lf_error *err)
{
	const lf_plan *pl = s->pl;
	size_t nl = pl->n_links ? pl->n_links : 1;
	uint32_t *stamp = calloc(pl->n_nodes ? pl->n_nodes : 1, sizeof *stamp);
	s->run_first = malloc(nl * sizeof *s->run_first);
	s->run_len = malloc(nl * sizeof *s->run_len);
	if (!stamp || !s->run_first || !s->run_len) {
		free(stamp);
		return lfi_oom(err);
	}
	bool ok = true;
	for (size_t i = 0; i < pl->n_nodes && ok; i++) {
		const lf_node *nd = &pl->nodes[i];
		if (nd->kind != LF_NODE_SWITCH || nd->tier != 2)
			continue;
		uint32_t f = s->up_first[i], n = s->up_n[i];
		for (uint32_t k = 0; k < n && ok;) {
			uint32_t core = pl->links[f + k].b, e = k;
			while (e < n && pl->links[f + e].b == core)
				e++;
			ok = stamp[core] != (uint32_t)i + 1;   /* a second run to this core */
			stamp[core] = (uint32_t)i + 1;
			for (uint32_t j = k; j < e; j++) {
				s->run_first[f + j] = f + k;
				s->run_len[f + j] = e - k;
			}
			k = e;
		}
	}
	free(stamp);
	if (!ok) {
		free(s->run_first);
		free(s->run_len);
		s->run_first = s->run_len = NULL;
	}
	return LF_OK;
}

static lf_route default_route(const lf_plan *pl);

/* The fabric's own routing (docs/sim.md, "Routing"): InfiniBand Quantum
 * switches with adaptive routing choose the output port per packet among
 * the equal-cost ones, whose fluid limit is an even split (spray);
 * Spectrum-X (Spectrum switches with SuperNICs) sprays packets too; other
 * Ethernet fabrics hash each flow (ECMP). */
lf_route lfi_sim_resolve_route(const lf_plan *pl, lf_route r)
{
	return r == LF_ROUTE_DEFAULT ? default_route(pl) : r;
}

static lf_route default_route(const lf_plan *pl)
{
	const lf_switch *sw = pl->spec->tier[0].sw;
	const lf_nic *nic = pl->spec->server->nic;
	if (sw && sw->protocols == LF_PROTO_IB)
		return LF_ROUTE_SPRAY;
	if (sw && sw->asic && strstr(sw->asic, "Spectrum") && nic &&
	    (strstr(nic->id, "connectx-8") || strstr(nic->id, "bluefield-3")))
		return LF_ROUTE_SPRAY;
	return LF_ROUTE_ECMP;
}

lf_status lf_sim_new(const lf_plan *pl, const lf_sim_config *cfg, lf_sim **out, lf_error *err)
{
	*out = NULL;
	lf_sim *s = calloc(1, sizeof *s);
	if (!s)
		return lfi_oom(err);
	s->pl = pl;
	s->cfg = *cfg;
	if (s->cfg.route == LF_ROUTE_DEFAULT)
		s->cfg.route = default_route(pl);
	lfi_buf_init(&s->notes);
	if (s->cfg.efficiency <= 0)
		s->cfg.efficiency = 1;
	s->gpus_per_server = pl->spec->server->gpus;
	s->servers_per_domain = lfi_servers_per_domain(pl->spec->server);
	s->G = pl->spec->server->nic_ports;
	s->P = pl->planes;
	lfi_vec_init(&s->flows, sizeof(sflow));
	lfi_vec_init(&s->edges, sizeof(edge));
	lfi_heap_init(&s->events);
	lfi_vec_init(&s->path, sizeof(uint32_t));
	lfi_vec_init(&s->coeff, sizeof(double));
	lfi_vec_init(&s->owner, sizeof(uint32_t));
	lfi_vec_init(&s->phases, sizeof(phase));
	lfi_vec_init(&s->paths, sizeof(uint32_t));
	lfi_vec_init(&s->streams, sizeof(stream));
	int64_t n_gpus = pl->servers * s->gpus_per_server;
	size_t n_pod_trunks = pl->tiers == 3 ? (size_t)pl->planes * (size_t)pl->pods : 0;
	s->nvl_base = 2 * pl->n_links;
	s->trunk_base = s->nvl_base + 2 * (size_t)n_gpus;
	size_t n_leaves = 0;
	for (size_t i = 0; i < pl->n_nodes; i++)
		n_leaves += pl->nodes[i].kind == LF_NODE_SWITCH && pl->nodes[i].tier == 1;
	s->pod_trunk_base = s->trunk_base + 2 * n_leaves;
	s->nowhere = s->pod_trunk_base + 2 * n_pod_trunks;
	s->n_chan = s->nowhere + 1;
	s->cap = lfi_calloc_big(s->n_chan, sizeof *s->cap);
	s->up_first = calloc(pl->n_nodes, sizeof *s->up_first);
	s->up_n = calloc(pl->n_nodes, sizeof *s->up_n);
	s->leaf_trunk = calloc(pl->n_nodes, sizeof *s->leaf_trunk);
	s->failed = calloc(pl->n_links ? pl->n_links : 1, 1);
	s->down_idx = calloc(pl->n_links ? pl->n_links : 1, sizeof *s->down_idx);
	s->link_b = calloc(pl->n_links ? pl->n_links : 1, sizeof *s->link_b);
	s->chan_active = lfi_calloc_big(s->n_chan, sizeof *s->chan_active);
	s->chan_bytes = lfi_calloc_big(s->n_chan, sizeof *s->chan_bytes);
	s->trunk_leaf = calloc(n_leaves ? n_leaves : 1, sizeof *s->trunk_leaf);
	if (!s->cap || !s->up_first || !s->up_n || !s->leaf_trunk || !s->failed || !s->down_idx || !s->link_b ||
	    !s->chan_active || !s->chan_bytes || !s->trunk_leaf) {
		lf_sim_free(s);
		return lfi_oom(err);
	}
	uint32_t *downs = calloc(pl->n_nodes ? pl->n_nodes : 1, sizeof *downs);
	if (!downs) {
		lf_sim_free(s);
		return lfi_oom(err);
	}
	for (size_t i = 0; i < pl->n_links; i++)
		if (pl->links[i].level == 1)
			s->down_idx[i] = downs[pl->links[i].b]++;
	free(downs);
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		s->cap[2 * i] = s->cap[2 * i + 1] = link_bytes_per_s(l, s->cfg.efficiency);
		s->link_b[i] = l->b;
		if (!s->up_n[l->a])
			s->up_first[l->a] = (uint32_t)i;
		s->up_n[l->a]++;
	}
	double nvl = pl->spec->server->nvlink_gbps > 0 ? pl->spec->server->nvlink_gbps : 1e6;
	/* NVLink at NCCL's own per-link figure (not the network's efficiency) */
	double nvl_share = pl->spec->server->nvlink_gbps > 0
	                           ? nccl_nvlink_share(pl->spec->server->gpu_arch) : 1;
	for (int64_t g = 0; g < 2 * n_gpus; g++)
		s->cap[s->nvl_base + (size_t)g] = nvl * 1e9 / 8 * nvl_share;
	if (pl->tiers == 3) {
		/* a partial last pod whose spines topo.c sized by its own leaves
		 * has fewer, each taking the core groups g with g % its count = its
		 * index */
		uint32_t first = 0, last = 0;
		for (size_t i = 0; i < pl->n_nodes; i++) {
			const lf_node *n = &pl->nodes[i];
			if (n->kind == LF_NODE_SWITCH && n->tier == 2 && n->plane == 0) {
				first += n->group == 0;
				last += n->group == (uint32_t)pl->pods - 1;
			}
		}
		s->spines_per_pod = first;
		s->spines_last_pod = last;
	} else if (pl->tiers == 2) {
		s->spines_per_pod = s->spines_last_pod =
		        (uint32_t)pl->tier_results[pl->planes].switches;
	}
	lf_status st = fail_links(s, err);
	if (st != LF_OK) {
		lf_sim_free(s);
		return st;
	}
	if (s->spines_last_pod != s->spines_per_pod && s->any_failed) {
		/* a path through the spines follows the core group to the other
		 * pod's spine (route.c); around failed links it checks the same
		 * spine index in both pods, which a partial pod does not have */
		uint32_t last = s->spines_last_pod, full = s->spines_per_pod;
		lf_sim_free(s);
		return lfi_fail(err, LF_EINPUT, pl->spec->file, pl->spec->pos_servers.line,
		                pl->spec->pos_servers.col,
		                "sim: the last pod has %u spines per plane and the others %u (its "
		                "spines are sized by its own leaves); routing around failed links "
		                "needs equal pods: simulate without failed links, or set cluster "
		                "final_servers to whole pods", last, full);
	}
	/* trunks: a leaf's uplinks, and the spine uplinks of a pod (per plane) */
	size_t t = 0;
	for (size_t i = 0; i < pl->n_nodes; i++) {
		const lf_node *n = &pl->nodes[i];
		if (n->kind != LF_NODE_SWITCH || n->tier != 1)
			continue;
		s->trunk_leaf[t] = (uint32_t)i;
		s->leaf_trunk[i] = (uint32_t)(s->trunk_base + 2 * t++);
		for (uint32_t k = 0; k < s->up_n[i]; k++) {
			size_t li = s->up_first[i] + k;
			s->cap[s->leaf_trunk[i]] += s->cap[2 * li];
			s->cap[s->leaf_trunk[i] + 1] += s->cap[2 * li + 1];
		}
	}
	for (size_t i = 0; i < pl->n_nodes && n_pod_trunks; i++) {
		const lf_node *n = &pl->nodes[i];
		if (n->kind != LF_NODE_SWITCH || n->tier != 2)
			continue;
		size_t pt = s->pod_trunk_base + 2 * ((size_t)n->plane * (size_t)pl->pods + n->group);
		for (uint32_t k = 0; k < s->up_n[i]; k++) {
			size_t li = s->up_first[i] + k;
			s->cap[pt] += s->cap[2 * li];
			s->cap[pt + 1] += s->cap[2 * li + 1];
		}
	}
	if (pl->tiers == 3) {
		st = core_runs(s, err);
		if (st != LF_OK) {
			lf_sim_free(s);
			return st;
		}
	}
	st = lfi_mmf_new(s->n_chan, s->cap, &s->mmf, err);
	if (st != LF_OK) {
		lf_sim_free(s);
		return st;
	}
	*out = s;
	return LF_OK;
}

void lf_sim_free(lf_sim *s)
{
	if (!s)
		return;
	lfi_mmf_free(s->mmf);
	free(s->cap);
	free(s->up_first);
	free(s->up_n);
	free(s->leaf_trunk);
	free(s->failed);
	free(s->down_idx);
	free(s->link_b);
	free(s->chan_active);
	free(s->chan_bytes);
	free(s->children);
	free(s->trunk_leaf);
	free(s->run_first);
	free(s->run_len);
	for (size_t i = 0; i < s->streams.len; i++) {
		stream *st = LF_VEC_AT(&s->streams, stream, i);
		free(st->g);
		free(st->sent);
	}
	lfi_vec_release(&s->streams);
	lfi_vec_release(&s->paths);
	lfi_vec_release(&s->flows);
	lfi_vec_release(&s->edges);
	lfi_vec_release(&s->events);
	lfi_vec_release(&s->path);
	lfi_vec_release(&s->coeff);
	lfi_vec_release(&s->owner);
	lfi_vec_release(&s->phases);
	lfi_buf_release(&s->notes);
	free(s);
}

const lf_plan *lfi_sim_plan(const lf_sim *s) { return s->pl; }
const lf_sim_config *lfi_sim_cfg(const lf_sim *s) { return &s->cfg; }
/* an NVL72 rack is 18 trays of 4 GPUs in one NVLink domain; a DGX is its
 * own */
int64_t lfi_servers_per_domain(const lf_server *sv)
{
	return sv->nvlink_domain_gpus > sv->gpus ? sv->nvlink_domain_gpus / sv->gpus : 1;
}

int64_t lfi_sim_domain_gpus(const lf_sim *s)
{
	return s->servers_per_domain * s->gpus_per_server;
}

void lfi_sim_note(lf_sim *s, const char *fmt, ...)
{
	char line[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(line, sizeof line, fmt, ap);
	va_end(ap);
	/* once per distinct note */
	if (s->notes.data && strstr(s->notes.data, line))
		return;
	if (s->notes.len)
		lfi_buf_puts(&s->notes, "; ");
	lfi_buf_puts(&s->notes, line);
}

void lfi_sim_set_last_choice(lf_sim *s, lfi_coll_choice c)
{
	s->last_choice = c;
}

lfi_coll_choice lfi_sim_last_choice(const lf_sim *s)
{
	return s->last_choice;
}

const char *lfi_sim_notes(const lf_sim *s)
{
	return s->notes.data && !s->notes.failed ? s->notes.data : "";
}

int64_t lf_sim_gpu(const lf_sim *s, int64_t server, int gpu)
{
	return server * s->gpus_per_server + gpu;
}

int lfi_sim_gpus_per_server(const lf_sim *s) { return s->gpus_per_server; }
double lfi_sim_chunk_bytes(const lf_sim *s) { return s->cfg.chunk_bytes; }
size_t lfi_sim_n_flow_ids(const lf_sim *s) { return s->flows.len; }
uint64_t lf_sim_events(const lf_sim *s) { return s->n_events; }
/* streams' done barriers are not flows of the collective */
uint64_t lf_sim_flows(const lf_sim *s)
{
	return s->flows.len + s->extra_flows - s->streams.len;
}

/* Switches a flow from GPU a to GPU b crosses: 0 inside an NVLink domain,
 * 1 under one leaf, 3 through a spine, 5 through a core. */
static int switches_between(const lf_sim *s, int64_t a, int64_t b)
{
	const lf_plan *pl = s->pl;
	int64_t sa = a / s->gpus_per_server, sb = b / s->gpus_per_server;
	if (sa / s->servers_per_domain == sb / s->servers_per_domain)
		return 0;
	int ra = (int)(a % s->gpus_per_server) * s->G / s->gpus_per_server;
	int rb = (int)(b % s->gpus_per_server) * s->G / s->gpus_per_server;
	uint32_t A = pl->links[(size_t)((sa * s->G + ra) * s->P)].b;
	uint32_t B = pl->links[(size_t)((sb * s->G + rb) * s->P)].b;
	if (A == B)
		return 1;
	if (pl->tiers == 2 || pl->nodes[A].group / (uint32_t)pl->pod_sus ==
	                          pl->nodes[B].group / (uint32_t)pl->pod_sus)
		return 3;
	return 5;
}

/* A flow's start latency: a flat alpha, or NCCL's Simple latency by link
 * kind (NVLink or network, tuning.cc's Ring row), plus switches x hop
 * latency (the switch count only when it matters). */
double lfi_sim_latency_s(const lf_sim *s, int64_t a, int64_t b)
{
	double alpha = s->cfg.latency_us;
	int sw = 0;
	if (alpha < 0 || s->cfg.hop_latency_us != 0)
		sw = switches_between(s, a, b);
	if (alpha < 0)
		alpha = sw ? 14.0 : 3.4;
	return (alpha + sw * s->cfg.hop_latency_us) * 1e-6;
}

/* GPUs a and b exist */
lf_status lfi_sim_gpu_pair(const lf_sim *s, int64_t a, int64_t b, lf_error *err)
{
	int64_t n_gpus = s->pl->servers * s->gpus_per_server;
	if (a < 0 || b < 0 || a >= n_gpus || b >= n_gpus)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "flow between GPUs %lld and %lld: the "
		                "cluster has GPUs 0..%lld", (long long)a, (long long)b,
		                (long long)n_gpus - 1);
	return LF_OK;
}

/* an all-to-all's n(n-1) flows fit flow ids */
lf_status lfi_sim_a2a_size(size_t n, lf_error *err)
{
	if ((double)n * (double)(n - 1) >= (double)UINT32_MAX)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "all-to-all over %zu ranks: too many "
		                "flows", n);
	return LF_OK;
}

lf_status lfi_sim_add_flow_raw(lf_sim *s, int64_t a, int64_t b, double bytes, bool barrier,
                               const uint32_t *deps, size_t n_deps, uint32_t *id, lf_error *err)
{
	if (s->ran)
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "flows added after lf_sim_run");
	if (!barrier)
		LF_TRY(lfi_sim_gpu_pair(s, a, b, err));
	if (s->flows.len >= UINT32_MAX - 1)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "too many flows");
	sflow *f = lfi_vec_push(&s->flows);
	if (!f)
		return lfi_oom(err);
	uint32_t fid = (uint32_t)(s->flows.len - 1);
	f->a = a;
	f->b = b;
	f->bytes = f->remaining = bytes > 0 ? bytes : 0;
	f->barrier = barrier;
	f->latency_s = barrier ? 0 : lfi_sim_latency_s(s, a, b);
	f->deps_left = (uint32_t)n_deps;
	f->stream = UINT32_MAX;
	for (size_t i = 0; i < n_deps; i++) {
		edge *e = lfi_vec_push(&s->edges);
		if (!e)
			return lfi_oom(err);
		*e = (edge){ deps[i], fid };
	}
	*id = fid;
	return LF_OK;
}

lf_status lfi_sim_add_flow(lf_sim *s, int64_t a, int64_t b, double bytes, const uint32_t *deps,
                           size_t n_deps, uint32_t *id, lf_error *err)
{
	return lfi_sim_add_flow_raw(s, a, b, bytes, false, deps, n_deps, id, err);
}

lf_status lf_sim_add_flow_at(lf_sim *s, int64_t a, int64_t b, double bytes, double start_s,
                             uint32_t *id, lf_error *err)
{
	LF_TRY(lfi_sim_add_flow_raw(s, a, b, bytes, false, NULL, 0, id, err));
	sflow *f = LF_VEC_AT(&s->flows, sflow, *id);
	f->release_s = start_s > 0 ? start_s : 0;
	f->latency_s += f->release_s;
	return LF_OK;
}

lf_status lfi_sim_add_pairwise_stream(lf_sim *s, const int64_t *g, size_t n, double each,
                                      const uint32_t *deps, size_t n_deps, uint32_t *done,
                                      lf_error *err)
{
	if (n < 2)
		return lfi_sim_add_barrier(s, deps, n_deps, done, err);
	LF_TRY(lfi_sim_a2a_size(n, err));
	stream st = { .n = n, .each = each };
	st.g = malloc(n * sizeof *st.g);
	st.sent = calloc(n, sizeof *st.sent);
	if (!st.g || !st.sent || !lfi_vec_reserve(&s->streams, s->streams.len + 1)) {
		free(st.g);
		free(st.sent);
		return lfi_oom(err);
	}
	memcpy(st.g, g, n * sizeof *g);
	uint32_t sid = (uint32_t)s->streams.len;
	*(stream *)lfi_vec_push(&s->streams) = st;   /* reserved above: cannot fail */
	stream *sp = LF_VEC_AT(&s->streams, stream, sid);
	sp->first = (uint32_t)s->flows.len;
	for (size_t i = 0; i < n; i++) {
		uint32_t id;
		LF_TRY(lfi_sim_add_flow_raw(s, g[i], g[(i + 1) % n], each, false, deps, n_deps, &id, err));
		sflow *f = LF_VEC_AT(&s->flows, sflow, id);
		f->stream = sid;
		f->round = 1;
	}
	LF_TRY(lfi_sim_add_flow_raw(s, 0, 0, 0, true, NULL, 0, done, err));
	/* released by the stream itself once all n(n-1) flows have finished */
	LF_VEC_AT(&s->flows, sflow, *done)->deps_left = (uint32_t)(n * (n - 1));
	sp = LF_VEC_AT(&s->streams, stream, sid);
	sp->done_bar = *done;
	s->extra_flows += (uint64_t)n * (n - 1) - n;
	return LF_OK;
}

lf_status lfi_sim_add_flow_steps(lf_sim *s, int64_t a, int64_t b, double bytes, double steps,
                                 const uint32_t *deps, size_t n_deps, uint32_t *id, lf_error *err)
{
	LF_TRY(lfi_sim_add_flow_raw(s, a, b, bytes, false, deps, n_deps, id, err));
	LF_VEC_AT(&s->flows, sflow, *id)->latency_s *= steps;
	return LF_OK;
}

lf_status lfi_sim_add_flow_lat(lf_sim *s, int64_t a, int64_t b, double bytes, double latency_s,
                               const uint32_t *deps, size_t n_deps, uint32_t *id, lf_error *err)
{
	LF_TRY(lfi_sim_add_flow_raw(s, a, b, bytes, false, deps, n_deps, id, err));
	LF_VEC_AT(&s->flows, sflow, *id)->latency_s = latency_s;
	return LF_OK;
}

bool lfi_sim_a2a_phases(const lf_sim *s, size_t n)
{
	/* adaptive routing picks by the flows active at a flow's start, which
	 * the rounds do not know (-58 % at 256 ranks): events unless forced */
	return s->cfg.exact_a2a < 0 || (s->cfg.exact_a2a == 0 && n > LF_A2A_PHASES &&
	                                s->cfg.route != LF_ROUTE_ADAPTIVE);
}

bool lfi_sim_exact_rings(const lf_sim *s)
{
	return s->cfg.exact_rings;
}

bool lfi_sim_streaming(const lf_sim *s)
{
	return !s->cfg.no_stream;
}

lf_status lfi_sim_add_barrier(lf_sim *s, const uint32_t *deps, size_t n_deps, uint32_t *id,
                              lf_error *err)
{
	return lfi_sim_add_flow_raw(s, 0, 0, 0, true, deps, n_deps, id, err);
}

/* ------------------------------------------------------------------ phases */

lf_status lfi_sim_phase_deps(lf_sim *s, const uint32_t *after, size_t n_after, lfi_vec *deps,
                             lf_error *err)
{
	for (size_t i = 0; i < n_after; i++) {
		if (after[i] >= s->phases.len)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "no phase %u", after[i]);
		uint32_t *d = lfi_vec_push(deps);
		if (!d)
			return lfi_oom(err);
		*d = LF_VEC_AT(&s->phases, phase, after[i])->barrier;
	}
	return LF_OK;
}

lf_status lfi_sim_close_phase(lf_sim *s, uint32_t first, lfi_vec *ids, uint32_t *out,
                              lf_error *err)
{
	uint32_t bar;
	LF_TRY(lfi_sim_add_barrier(s, ids->data, ids->len, &bar, err));
	phase *p = lfi_vec_push(&s->phases);
	if (!p)
		return lfi_oom(err);
	p->first = first;
	p->barrier = bar;
	*out = (uint32_t)(s->phases.len - 1);
	return LF_OK;
}

lf_status lf_sim_add_transfer(lf_sim *s, int64_t from, int64_t to, double bytes,
                              const uint32_t *after, size_t n_after, uint32_t *out, lf_error *err)
{
	lfi_vec deps, ids;
	lfi_vec_init(&deps, sizeof(uint32_t));
	lfi_vec_init(&ids, sizeof(uint32_t));
	uint32_t first = (uint32_t)s->flows.len, id;
	lf_status st = lfi_sim_phase_deps(s, after, n_after, &deps, err);
	if (st == LF_OK)
		st = lfi_sim_add_flow(s, from, to, bytes, deps.data, deps.len, &id, err);
	uint32_t *p = st == LF_OK ? lfi_vec_push(&ids) : NULL;
	if (st == LF_OK && !p)
		st = lfi_oom(err);
	if (p)
		*p = id;
	if (st == LF_OK)
		st = lfi_sim_close_phase(s, first, &ids, out, err);
	lfi_vec_release(&deps);
	lfi_vec_release(&ids);
	return st;
}

void lf_sim_phase_times(const lf_sim *s, uint32_t ph, double *start_s, double *end_s)
{
	const phase *p = LF_VEC_AT(&s->phases, phase, ph);
	double st = INFINITY;
	for (uint32_t i = p->first; i < p->barrier; i++) {
		const sflow *f = LF_VEC_AT(&s->flows, sflow, i);
		if ((!f->barrier || f->delay) && f->start < st)
			st = f->start;
	}
	const sflow *b = LF_VEC_AT(&s->flows, sflow, p->barrier);
	*end_s = b->finish;
	*start_s = isfinite(st) ? st : b->finish;
}

/* ------------------------------------------------------------------ events */

/* Events on the shared heap (heap.h): a = flow, b = version << 1 | start. */
LF_MUST static bool ev_push(lfi_vec *h, event e)
{
	return lfi_heap_push(h, (lfi_heap_item){ e.t, e.flow, e.version << 1 | e.start });
}

static event ev_pop(lfi_vec *h)
{
	lfi_heap_item it = lfi_heap_pop(h);
	return (event){ it.key, it.a, it.b >> 1, (uint8_t)(it.b & 1) };
}

static int cmp_edge(const void *x, const void *y)
{
	const edge *a = x, *b = y;
	if (a->parent != b->parent)
		return a->parent < b->parent ? -1 : 1;
	return a->child < b->child ? -1 : a->child > b->child;
}

static lf_status schedule_start(lf_sim *s, uint32_t fid, lf_error *err)
{
	const sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	double t = s->now + f->latency_s;
	return ev_push(&s->events, (event){ t, fid, 0, 1 }) ? LF_OK : lfi_oom(err);
}

bool lfi_sim_spray_loses(const lf_sim *s)
{
	const uint32_t *p = s->path.data;
	double eff = s->cfg.spray_efficiency;
	bool nvlink = s->path.len && p[0] >= s->nvl_base && p[0] < s->trunk_base;
	return s->cfg.route == LF_ROUTE_SPRAY && !nvlink && eff > 0 && eff < 1;
}

static lf_status start_flow(lf_sim *s, uint32_t fid, lf_error *err)
{
	sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	if (f->delay)
		f->start = s->now - f->latency_s + f->lead_s;   /* when its first flows started */
	else if (f->stream == UINT32_MAX || f->round <= 1)
		f->start = s->now;   /* a streamed slot keeps its first round's start */
	if (f->bytes <= 0)
		return ev_push(&s->events, (event){ s->now, fid, ++f->version, 0 }) ? LF_OK : lfi_oom(err);
	if (!lfi_sim_route(s, fid))
		return lfi_oom(err);
	const uint32_t *p = s->path.data;
	double *k = s->coeff.data;
	if (lfi_sim_spray_loses(s))
		for (size_t i = 0; i < s->coeff.len; i++)
			k[i] /= s->cfg.spray_efficiency;
	double alone = INFINITY;
	for (size_t i = 0; i < s->path.len; i++)
		if (k[i] > 0 && s->cap[p[i]] / k[i] < alone)
			alone = s->cap[p[i]] / k[i];
	if (s->cfg.max_flow_rate > 0 && s->cfg.max_flow_rate < alone)
		alone = s->cfg.max_flow_rate;
	f->alone_rate = alone;
	LF_TRY(lfi_mmf_add(s->mmf, s->path.data, s->coeff.data, s->path.len, &f->mmf_id, err));
	if (s->cfg.max_flow_rate > 0)
		lfi_mmf_set_max_rate(s->mmf, f->mmf_id, s->cfg.max_flow_rate);
	while (s->owner.len <= f->mmf_id)
		if (!lfi_vec_push(&s->owner))
			return lfi_oom(err);
	*LF_VEC_AT(&s->owner, uint32_t, f->mmf_id) = fid;
	for (size_t i = 0; i < s->path.len; i++)
		s->chan_active[p[i]]++;
	if (s->cfg.record_paths) {
		if (!lfi_vec_reserve(&s->paths, s->paths.len + s->path.len) ||
		    s->paths.len + s->path.len > UINT32_MAX)
			return lfi_oom(err);
		f->path_off = (uint32_t)s->paths.len;
		f->path_len = (uint32_t)s->path.len;
		memcpy((uint32_t *)s->paths.data + s->paths.len, p, s->path.len * sizeof *p);
		s->paths.len += s->path.len;
	}
	f->active = true;
	f->t_last = s->now;
	f->rate = 0;
	return LF_OK;
}

/* Re-arm rank i's slot for its next round if it is ready: its own send of
 * round k finished, and so did its receive of round k (from rank i-k, whose
 * sends go out in round order). */
static lf_status stream_next(lf_sim *s, uint32_t sid, size_t i, lf_error *err)
{
	stream *st = LF_VEC_AT(&s->streams, stream, sid);
	uint32_t fid = st->first + (uint32_t)i;
	sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	uint32_t k = f->round;
	if (!f->done || st->sent[i] != k || k + 1 >= st->n)
		return LF_OK;
	if (st->sent[(i + st->n - k) % st->n] < k)
		return LF_OK;
	f->b = st->g[(i + k + 1) % st->n];
	f->bytes = f->remaining = st->each;
	f->round = k + 1;
	f->done = f->active = false;
	f->rate = 0;
	f->version++;
	f->latency_s = lfi_sim_latency_s(s, f->a, f->b);
	return schedule_start(s, fid, err);
}

static lf_status stream_finished(lf_sim *s, uint32_t fid, lf_error *err)
{
	sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	uint32_t sid = f->stream, k = f->round;
	stream *st = LF_VEC_AT(&s->streams, stream, sid);
	size_t i = fid - st->first;
	st->sent[i] = k;
	sflow *bar = LF_VEC_AT(&s->flows, sflow, st->done_bar);
	if (--bar->deps_left == 0)
		LF_TRY(schedule_start(s, st->done_bar, err));
	LF_TRY(stream_next(s, sid, i, err));
	return stream_next(s, sid, (i + k) % st->n, err);
}

static lf_status finish_flow(lf_sim *s, uint32_t fid, lf_error *err)
{
	sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	if (f->active) {
		uint32_t n = lfi_mmf_flow_len(s->mmf, f->mmf_id);
		for (uint32_t k = 0; k < n; k++) {
			uint32_t ch;
			double c;
			lfi_mmf_flow_entry(s->mmf, f->mmf_id, k, &ch, &c);
			s->chan_bytes[ch] += f->bytes * c;
			s->chan_active[ch]--;
		}
		lfi_mmf_remove(s->mmf, f->mmf_id);
	}
	f->active = false;
	f->done = true;
	f->finish = s->now;
	if (s->now > s->last_finish)
		s->last_finish = s->now;
	f->remaining = 0;
	s->n_done++;
	for (uint32_t k = 0; k < f->n_children; k++) {
		uint32_t c = s->children[f->child_first + k];
		sflow *cf = LF_VEC_AT(&s->flows, sflow, c);
		if (--cf->deps_left == 0)
			LF_TRY(schedule_start(s, c, err));
	}
	if (f->stream != UINT32_MAX)
		LF_TRY(stream_finished(s, fid, err));
	return LF_OK;
}

lf_status lf_sim_run(lf_sim *s, double *time_s, lf_error *err)
{
	if (s->ran)
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "lf_sim_run called twice");
	s->ran = true;
	size_t nf = s->flows.len;
	uint64_t n_total = nf + s->extra_flows;
	if (s->edges.len)
		qsort(s->edges.data, s->edges.len, sizeof(edge), cmp_edge);
	s->children = malloc((s->edges.len ? s->edges.len : 1) * sizeof *s->children);
	if (!s->children)
		return lfi_oom(err);
	const edge *e = s->edges.data;
	for (size_t i = 0; i < s->edges.len; i++) {
		if (e[i].parent >= nf)
			return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "dependency on unknown flow %u",
			                e[i].parent);
		sflow *p = LF_VEC_AT(&s->flows, sflow, e[i].parent);
		if (!p->n_children)
			p->child_first = (uint32_t)i;
		p->n_children++;
		s->children[i] = e[i].child;
	}
	s->now = 0;
	for (size_t i = 0; i < nf; i++)
		if (LF_VEC_AT(&s->flows, sflow, i)->deps_left == 0)
			LF_TRY(schedule_start(s, (uint32_t)i, err));
	uint64_t next_progress = 1 << 16, polls = 0;
	while (s->events.len) {
		double t = lfi_heap_top(&s->events)->key;
		s->now = t;
		/* every event at this instant, then one rate update */
		while (s->events.len && lfi_heap_top(&s->events)->key <= t) {
			event ev = ev_pop(&s->events);
			sflow *f = LF_VEC_AT(&s->flows, sflow, ev.flow);
			s->n_events++;
			if (ev.start)
				LF_TRY(start_flow(s, ev.flow, err));
			else if (ev.version == (f->version & 0x7fffffffu) && !f->done)
				LF_TRY(finish_flow(s, ev.flow, err));
		}
		LF_TRY(s->cfg.full_recompute ? lfi_mmf_solve_all(s->mmf, NULL, err)
		                             : lfi_mmf_solve(s->mmf, NULL, err));
		size_t nc;
		const uint32_t *ch = lfi_mmf_changed(s->mmf, &nc);
		for (size_t i = 0; i < nc; i++) {
			uint32_t fid = *LF_VEC_AT(&s->owner, uint32_t, ch[i]);
			sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
			if (!f->active || f->mmf_id != ch[i])
				continue;
			double r = lfi_mmf_rate(s->mmf, f->mmf_id);
			if (r == f->rate && f->version)
				continue;   /* same rate: its projected finish still holds */
			f->remaining -= f->rate * (t - f->t_last);
			if (f->remaining < 0)
				f->remaining = 0;
			f->t_last = t;
			f->rate = r;
			f->version++;
			if (r > 0 && !ev_push(&s->events, (event){ t + f->remaining / r, fid, f->version,
			                                           0 }))
				return lfi_oom(err);
		}
		if (s->cfg.cancel && (++polls & 255) == 0 && s->cfg.cancel(s->cfg.cancel_ctx))
			return lfi_fail(err, LF_ELIMIT, NULL, 0, 0, "simulation cancelled");
		if (s->cfg.progress && s->n_events >= next_progress) {
			s->cfg.progress(s->cfg.progress_ctx, t, s->n_events, s->n_done, n_total);
			next_progress = s->n_events + (1 << 16);
		}
	}
	/* the last finish, not the last event: a stale projection (a flow whose
	 * rate rose after it was projected) can sit in the heap past it */
	s->end = s->last_finish;
	if (s->n_done != n_total)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
		                "%llu of %llu flows never finished: a failed link left them no path",
		                (unsigned long long)(n_total - s->n_done), (unsigned long long)n_total);
	if (s->cfg.progress)
		s->cfg.progress(s->cfg.progress_ctx, s->now, s->n_events, s->n_done, n_total);
	*time_s = s->end;
	return LF_OK;
}

double lfi_sim_flow_finish(const lf_sim *s, uint32_t id)
{
	return LF_VEC_AT(&s->flows, sflow, id)->finish;
}

double lfi_sim_flow_start(const lf_sim *s, uint32_t id)
{
	return LF_VEC_AT(&s->flows, sflow, id)->start;
}

double lf_sim_flow_finish_s(const lf_sim *s, uint32_t id)
{
	return LF_VEC_AT(&s->flows, sflow, id)->finish;
}

double lf_sim_flow_alone_rate(const lf_sim *s, uint32_t id)
{
	return LF_VEC_AT(&s->flows, sflow, id)->alone_rate;
}

double lf_sim_flow_latency_s(const lf_sim *s, uint32_t id)
{
	const sflow *f = LF_VEC_AT(&s->flows, sflow, id);
	return f->latency_s - f->release_s;
}
