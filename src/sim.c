/*
 * sim.c — event-driven, flow-level simulation on a planned fabric.
 *
 * Network: every topology link is two directed channels (up, down) of
 * link rate x efficiency; every GPU has an NVLink send and receive channel
 * of its server's per-GPU NVLink bandwidth.  A GPU uses the NIC port of its
 * rail (GPU g of G on a server with G ports: port g).
 *
 * Routing between servers, per plane (spraying: 1/P of the flow on each
 * plane; ECMP: one plane by hash):
 *   server -> leaf A -> [spine -> [core -> spine] ->] leaf B -> server.
 *   Spraying splits the flow evenly over every equal-cost path; because
 *   leaves stripe their uplinks evenly (topo.c), that is an even share on
 *   each uplink of A, of each spine of A's pod towards the cores, and the
 *   mirror shares on the way down to B.  ECMP hashes (seed, flow, hop)
 *   onto one uplink at each hop and one of the parallel links going down.
 *
 * Events: a flow starts when its dependencies have finished, plus the start
 * latency; rates are max-min fair (maxmin.c), recomputed only for the flows
 * connected to what changed; a flow's finish time is projected from its
 * rate and kept in a heap with lazy invalidation (a version per flow).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "maxmin.h"
#include "sim.h"

typedef struct sflow {
	int64_t a, b;
	double bytes, remaining, rate, t_last, finish;
	uint32_t deps_left, mmf_id, version;
	uint32_t child_first, n_children;
	bool active, done;
} sflow;

typedef struct edge { uint32_t parent, child; } edge;
typedef struct event { double t; uint32_t flow, version; uint8_t start; } event;

struct lf_sim {
	const lf_plan *pl;
	lf_sim_config cfg;
	lf_mmf *mmf;
	size_t n_chan;
	uint32_t *up_first, *up_n;  /* per node: range of its uplinks in pl->links */
	uint32_t spines_per_pod;
	int gpus_per_server, G, P;
	lf_vec flows, edges, events, path, coeff;
	lf_vec owner;               /* mmf flow id -> sim flow */
	uint32_t *children;
	uint64_t n_events;
	double now;
};

static double chan_cap(const lf_link *l, double eff)
{
	return (double)l->gbps * 1e9 / 8 * eff;
}

lf_status lf_sim_new(const lf_plan *pl, const lf_sim_config *cfg, lf_sim **out, lf_error *err)
{
	lf_sim *s = calloc(1, sizeof *s);
	if (!s)
		return lf_oom(err);
	s->pl = pl;
	s->cfg = *cfg;
	if (s->cfg.efficiency <= 0)
		s->cfg.efficiency = 1;
	s->gpus_per_server = pl->spec->server->gpus;
	s->G = pl->spec->server->nic_ports;
	s->P = pl->planes;
	lf_vec_init(&s->flows, sizeof(sflow));
	lf_vec_init(&s->edges, sizeof(edge));
	lf_vec_init(&s->events, sizeof(event));
	lf_vec_init(&s->path, sizeof(uint32_t));
	lf_vec_init(&s->coeff, sizeof(double));
	lf_vec_init(&s->owner, sizeof(uint32_t));
	int64_t n_gpus = pl->servers * s->gpus_per_server;
	s->n_chan = 2 * pl->n_links + 2 * (size_t)n_gpus;
	double *cap = malloc(s->n_chan * sizeof *cap);
	s->up_first = calloc(pl->n_nodes, sizeof *s->up_first);
	s->up_n = calloc(pl->n_nodes, sizeof *s->up_n);
	if (!cap || !s->up_first || !s->up_n) {
		free(cap);
		lf_sim_free(s);
		return lf_oom(err);
	}
	for (size_t i = 0; i < pl->n_links; i++) {
		cap[2 * i] = cap[2 * i + 1] = chan_cap(&pl->links[i], s->cfg.efficiency);
		const lf_link *l = &pl->links[i];
		if (!s->up_n[l->a])
			s->up_first[l->a] = (uint32_t)i;
		s->up_n[l->a]++;
	}
	double nvl = pl->spec->server->nvlink_gbps > 0 ? pl->spec->server->nvlink_gbps : 1e6;
	for (int64_t g = 0; g < 2 * n_gpus; g++)
		cap[2 * pl->n_links + (size_t)g] = nvl * 1e9 / 8 * s->cfg.efficiency;
	if (pl->tiers == 3)
		s->spines_per_pod = (uint32_t)(pl->tier_results[pl->planes].switches / (uint64_t)pl->pods);
	lf_status st = lf_mmf_new(s->n_chan, cap, &s->mmf, err);
	free(cap);
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
	lf_mmf_free(s->mmf);
	free(s->up_first);
	free(s->up_n);
	free(s->children);
	lf_vec_release(&s->flows);
	lf_vec_release(&s->edges);
	lf_vec_release(&s->events);
	lf_vec_release(&s->path);
	lf_vec_release(&s->coeff);
	lf_vec_release(&s->owner);
	free(s);
}

int64_t lf_sim_gpu(const lf_sim *s, int64_t server, int gpu)
{
	return server * s->gpus_per_server + gpu;
}

lf_status lf_sim_add_flow(lf_sim *s, int64_t a, int64_t b, double bytes, const uint32_t *deps,
                          size_t n_deps, uint32_t *id, lf_error *err)
{
	sflow *f = lf_vec_push(&s->flows);
	if (!f)
		return lf_oom(err);
	uint32_t fid = (uint32_t)(s->flows.len - 1);
	f->a = a;
	f->b = b;
	f->bytes = f->remaining = bytes;
	f->deps_left = (uint32_t)n_deps;
	for (size_t i = 0; i < n_deps; i++) {
		edge *e = lf_vec_push(&s->edges);
		if (!e)
			return lf_oom(err);
		*e = (edge){ deps[i], fid };
	}
	*id = fid;
	return LF_OK;
}

/* ---- routing */

static bool push_hop(lf_sim *s, uint32_t chan, double w)
{
	uint32_t *c = lf_vec_push(&s->path);
	double *k = lf_vec_push(&s->coeff);
	if (!c || !k)
		return false;
	*c = chan;
	*k = w;
	return true;
}

static uint32_t pick(const lf_sim *s, uint32_t flow, uint32_t hop, uint32_t n)
{
	return (uint32_t)(lf_hash64(s->cfg.seed ^ ((uint64_t)flow << 8) ^ hop) % n);
}

/* The k-th (by hash) of node x's uplinks that lead to node `to`. */
static uint32_t link_between(const lf_sim *s, uint32_t x, uint32_t to, uint32_t flow, uint32_t hop)
{
	uint32_t n = 0, first = s->up_first[x];
	for (uint32_t i = 0; i < s->up_n[x]; i++)
		n += s->pl->links[first + i].b == to;
	uint32_t k = pick(s, flow, hop, n ? n : 1);
	for (uint32_t i = 0; i < s->up_n[x]; i++)
		if (s->pl->links[first + i].b == to && k-- == 0)
			return first + i;
	return first;
}

/* Spine of B's pod with the same index in its pod as spine `sp`. */
static uint32_t mirror_spine(const lf_sim *s, uint32_t leaf_b, uint32_t sp)
{
	uint32_t j = s->pl->nodes[sp].index % s->spines_per_pod;
	for (uint32_t i = 0; i < s->up_n[leaf_b]; i++) {
		uint32_t b = s->pl->links[s->up_first[leaf_b] + i].b;
		if (s->pl->nodes[b].index % s->spines_per_pod == j)
			return b;
	}
	return sp;
}

static bool route_plane(lf_sim *s, uint32_t fid, uint32_t src_link, uint32_t dst_link, double w)
{
	const lf_plan *pl = s->pl;
	uint32_t A = pl->links[src_link].b, B = pl->links[dst_link].b;
	if (!push_hop(s, 2 * src_link, w) || !push_hop(s, 2 * dst_link + 1, w))
		return false;
	if (A == B)
		return true;
	bool same_pod = pl->tiers == 2 || pl->nodes[A].group / (uint32_t)pl->pod_sus ==
	                                      pl->nodes[B].group / (uint32_t)pl->pod_sus;
	if (s->cfg.route == LF_ROUTE_SPRAY) {
		double wu = w / s->up_n[A];
		for (uint32_t i = 0; i < s->up_n[A]; i++) {
			if (!push_hop(s, 2 * (s->up_first[A] + i), wu) ||
			    !push_hop(s, 2 * (s->up_first[B] + i) + 1, wu))
				return false;
		}
		if (same_pod)
			return true;
		/* each spine of A's pod carries w / spines_per_pod up, spread over
		 * its uplinks; the mirror spine in B's pod receives the same */
		for (uint32_t i = 0; i < s->up_n[A]; i += s->up_n[A] / s->spines_per_pod) {
			uint32_t sa = pl->links[s->up_first[A] + i].b, sb = mirror_spine(s, B, sa);
			double wc = w / s->spines_per_pod / s->up_n[sa];
			for (uint32_t k = 0; k < s->up_n[sa]; k++)
				if (!push_hop(s, 2 * (s->up_first[sa] + k), wc) ||
				    !push_hop(s, 2 * (s->up_first[sb] + k) + 1, wc))
					return false;
		}
		return true;
	}
	uint32_t up = s->up_first[A] + pick(s, fid, 1, s->up_n[A]);
	uint32_t sa = pl->links[up].b;
	if (!push_hop(s, 2 * up, w))
		return false;
	if (same_pod)
		return push_hop(s, 2 * link_between(s, B, sa, fid, 2) + 1, w);
	uint32_t up2 = s->up_first[sa] + pick(s, fid, 3, s->up_n[sa]);
	uint32_t core = pl->links[up2].b, sb = mirror_spine(s, B, sa);
	return push_hop(s, 2 * up2, w) &&
	       push_hop(s, 2 * link_between(s, sb, core, fid, 4) + 1, w) &&
	       push_hop(s, 2 * link_between(s, B, sb, fid, 5) + 1, w);
}

static bool route(lf_sim *s, uint32_t fid)
{
	const sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	s->path.len = s->coeff.len = 0;
	int64_t sa = f->a / s->gpus_per_server, sb = f->b / s->gpus_per_server;
	int ga = (int)(f->a % s->gpus_per_server), gb = (int)(f->b % s->gpus_per_server);
	size_t nvl = 2 * s->pl->n_links;
	if (sa == sb)
		return push_hop(s, (uint32_t)(nvl + 2 * (size_t)f->a), 1) &&
		       push_hop(s, (uint32_t)(nvl + 2 * (size_t)f->b + 1), 1);
	int ra = ga * s->G / s->gpus_per_server, rb = gb * s->G / s->gpus_per_server;
	int p0 = 0, p1 = s->P;
	if (s->cfg.route == LF_ROUTE_ECMP) {
		p0 = (int)pick(s, fid, 0, (uint32_t)s->P);
		p1 = p0 + 1;
	}
	for (int p = p0; p < p1; p++) {
		uint32_t la = (uint32_t)((sa * s->G + ra) * s->P + p);
		uint32_t lb = (uint32_t)((sb * s->G + rb) * s->P + p);
		if (!route_plane(s, fid, la, lb, 1.0 / (p1 - p0)))
			return false;
	}
	return true;
}

/* ---- events: binary min-heap on time */

static bool ev_push(lf_vec *h, event e)
{
	if (!lf_vec_push(h))
		return false;
	event *a = h->data;
	size_t i = h->len - 1;
	while (i > 0 && a[(i - 1) / 2].t > e.t) {
		a[i] = a[(i - 1) / 2];
		i = (i - 1) / 2;
	}
	a[i] = e;
	return true;
}

static event ev_pop(lf_vec *h)
{
	event *a = h->data, top = a[0], last = a[--h->len];
	size_t i = 0, n = h->len;
	for (;;) {
		size_t c = 2 * i + 1;
		if (c >= n)
			break;
		if (c + 1 < n && a[c + 1].t < a[c].t)
			c++;
		if (a[c].t >= last.t)
			break;
		a[i] = a[c];
		i = c;
	}
	if (n)
		a[i] = last;
	return top;
}

static int cmp_edge(const void *x, const void *y)
{
	const edge *a = x, *b = y;
	return a->parent < b->parent ? -1 : a->parent > b->parent;
}

static lf_status start_flow(lf_sim *s, uint32_t fid, lf_error *err)
{
	sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	if (f->bytes <= 0)
		return ev_push(&s->events, (event){ s->now, fid, ++f->version, 0 }) ? LF_OK : lf_oom(err);
	if (!route(s, fid))
		return lf_oom(err);
	LF_TRY(lf_mmf_add(s->mmf, s->path.data, s->coeff.data, s->path.len, &f->mmf_id, err));
	while (s->owner.len <= f->mmf_id)
		if (!lf_vec_push(&s->owner))
			return lf_oom(err);
	*LF_VEC_AT(&s->owner, uint32_t, f->mmf_id) = fid;
	f->active = true;
	f->t_last = s->now;
	f->rate = 0;
	return LF_OK;
}

static lf_status finish_flow(lf_sim *s, uint32_t fid, lf_error *err)
{
	sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	if (f->active)
		lf_mmf_remove(s->mmf, f->mmf_id);
	f->active = false;
	f->done = true;
	f->finish = s->now;
	f->remaining = 0;
	for (uint32_t k = 0; k < f->n_children; k++) {
		uint32_t c = s->children[f->child_first + k];
		sflow *cf = LF_VEC_AT(&s->flows, sflow, c);
		if (--cf->deps_left == 0 &&
		    !ev_push(&s->events, (event){ s->now + s->cfg.latency_us * 1e-6, c, 0, 1 }))
			return lf_oom(err);
	}
	return LF_OK;
}

lf_status lf_sim_run(lf_sim *s, double *time_s, lf_error *err)
{
	size_t nf = s->flows.len;
	/* children in CSR order */
	qsort(s->edges.data, s->edges.len, sizeof(edge), cmp_edge);
	s->children = malloc((s->edges.len ? s->edges.len : 1) * sizeof *s->children);
	if (!s->children)
		return lf_oom(err);
	edge *e = s->edges.data;
	for (size_t i = 0; i < s->edges.len; i++) {
		sflow *p = LF_VEC_AT(&s->flows, sflow, e[i].parent);
		if (!p->n_children)
			p->child_first = (uint32_t)i;
		p->n_children++;
		s->children[i] = e[i].child;
	}
	for (size_t i = 0; i < nf; i++)
		if (LF_VEC_AT(&s->flows, sflow, i)->deps_left == 0 &&
		    !ev_push(&s->events, (event){ s->cfg.latency_us * 1e-6, (uint32_t)i, 0, 1 }))
			return lf_oom(err);
	size_t finished = 0;
	s->now = 0;
	while (s->events.len) {
		double t = ((event *)s->events.data)[0].t;
		s->now = t;
		/* every event at this instant, then one rate update */
		while (s->events.len && ((event *)s->events.data)[0].t <= t) {
			event ev = ev_pop(&s->events);
			sflow *f = LF_VEC_AT(&s->flows, sflow, ev.flow);
			s->n_events++;
			if (ev.start) {
				LF_TRY(start_flow(s, ev.flow, err));
			} else if (ev.version == f->version && !f->done) {
				LF_TRY(finish_flow(s, ev.flow, err));
				finished++;
			}
		}
		lf_mmf_solve(s->mmf);
		size_t nc;
		const uint32_t *ch = lf_mmf_changed(s->mmf, &nc);
		for (size_t i = 0; i < nc; i++) {
			uint32_t fid = *LF_VEC_AT(&s->owner, uint32_t, ch[i]);
			sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
			if (!f->active || f->mmf_id != ch[i])
				continue;
			double r = lf_mmf_rate(s->mmf, f->mmf_id);
			f->remaining -= f->rate * (t - f->t_last);
			if (f->remaining < 0)
				f->remaining = 0;
			f->t_last = t;
			f->rate = r;
			f->version++;
			if (r > 0 && !ev_push(&s->events, (event){ t + f->remaining / r, fid,
			                                           f->version, 0 }))
				return lf_oom(err);
		}
	}
	if (finished != nf)
		return lf_fail(err, LF_EINPUT, NULL, 0, 0,
		               "%zu of %zu flows never finished (a dependency cycle, or a failed "
		               "link with no other path)", nf - finished, nf);
	*time_s = s->now;
	return LF_OK;
}

double lf_sim_flow_finish(const lf_sim *s, uint32_t id)
{
	return LF_VEC_AT(&s->flows, sflow, id)->finish;
}

uint64_t lf_sim_events(const lf_sim *s)
{
	return s->n_events;
}

lf_status lf_sim_ring_allreduce(lf_sim *s, const int64_t *gpus, size_t n, double bytes,
                                lf_error *err)
{
	if (n < 2)
		return LF_OK;
	double chunk = bytes / (double)n;
	size_t base = s->flows.len;
	for (size_t k = 0; k < 2 * (n - 1); k++)
		for (size_t i = 0; i < n; i++) {
			uint32_t id, dep = (uint32_t)(base + (k - 1) * n + (i + n - 1) % n);
			LF_TRY(lf_sim_add_flow(s, gpus[i], gpus[(i + 1) % n], chunk, &dep, k ? 1 : 0, &id,
			                       err));
		}
	return LF_OK;
}
