/*
 * route.c — the engine's routing (sim.c's header has the model): a flow's
 * path as channels with coefficients, per plane; ECMP hashes the
 * connection, spray splits over every surviving equal-cost path (trunks
 * folded while nothing has failed), adaptive takes the least-loaded,
 * ftree is the subnet manager's D-mod-K.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"


LF_MUST static bool push_hop(lf_sim *s, size_t chan, double w)
{
	if (s->path.len < s->path.cap && s->coeff.len < s->coeff.cap) {   /* the usual case */
		((uint32_t *)s->path.data)[s->path.len++] = (uint32_t)chan;
		((double *)s->coeff.data)[s->coeff.len++] = w;
		return true;
	}
	uint32_t *c = lfi_vec_push(&s->path);
	double *k = lfi_vec_push(&s->coeff);
	if (!c || !k)
		return false;
	*c = (uint32_t)chan;
	*k = w;
	return true;
}

/* ECMP hashes the connection (source GPU, destination GPU), not the flow:
 * every step of a collective between the same pair takes the same path, as
 * NCCL's connections (queue pairs) do. */
static uint64_t hsh(const lf_sim *s, uint32_t flow, uint32_t hop)
{
	(void)flow;   /* lfi_sim_route() hashed its pair into s->pair_key */
	return lfi_hash64(s->pair_key ^ ((uint64_t)hop << 56));
}

/* Choose one of the links first..first+n-1 (live ones, and those `ok`
 * accepts): by hash (ECMP) or fewest active flows on channel 2i+dir. */
typedef bool (*link_ok)(const lf_sim *s, uint32_t link, const void *ctx);
static bool spine_reaches(const lf_sim *s, uint32_t li, const void *ctx);

static int64_t choose(const lf_sim *s, uint32_t first, uint32_t n, int dir, uint32_t flow,
                      uint32_t hop, link_ok ok, const void *ctx)
{
	uint32_t live = 0;
	if (!s->any_failed && (!ok || ok == spine_reaches))
		live = n;   /* every link is live and spine_reaches accepts all */
	else
		for (uint32_t i = 0; i < n; i++)
			live += !s->failed[first + i] && (!ok || ok(s, first + i, ctx));
	if (!live)
		return -1;
	if (s->cfg.route == LF_ROUTE_ECMP) {
		/* resilient hashing: the hash picks among all n links; only a
		 * flow whose pick is dead or leads nowhere is hashed again, so a
		 * failure moves no other flow.  hsh keeps 8 bits of hop + 64 x
		 * salt: salts 0-3 are the distinct ones (later salts repeat them) */
		for (uint32_t salt = 0; salt < 4; salt++) {
			uint32_t li = first + (uint32_t)(hsh(s, flow, hop + 64 * salt) % n);
			if (!s->failed[li] && (live == n || !ok || ok(s, li, ctx)))
				return (int64_t)li;   /* live == n: every link accepted */
		}
	}
	/* ftree: D-mod-K, the destination port d picks the leaf's uplink
	 * (d mod uplinks), the parallel link down to the destination's leaf (d
	 * mod links), and d / the leaf's uplinks picks the spine's uplink */
	uint32_t k = s->cfg.route == LF_ROUTE_FTREE ?
	             (uint32_t)((hop == 3 ? s->dkey / s->dkey_div : s->dkey) % live) :
	             (uint32_t)(hsh(s, flow, hop) % live);
	int64_t best = -1;
	uint32_t best_active = UINT32_MAX;
	for (uint32_t i = 0, j = 0; i < n; i++) {
		uint32_t li = first + i;
		if (s->failed[li] || (ok && !ok(s, li, ctx)))
			continue;
		if (s->cfg.route == LF_ROUTE_ADAPTIVE) {
			/* fewest active flows; ties go to the hashed rotation */
			uint32_t act = s->chan_active[2 * li + (uint32_t)dir];
			uint32_t rot = (j + live - k) % live;
			if (best < 0 || act < best_active ||
			    (act == best_active && rot < (uint32_t)((best + live - k) % live))) {
				best = (int64_t)li;
				best_active = act;
			}
		} else if (j == k) {
			return (int64_t)li;
		}
		j++;
	}
	return best;
}

/* spines per plane in the pod of `leaf` */
static uint32_t spines_of(const lf_sim *s, uint32_t leaf)
{
	const lf_plan *pl = s->pl;
	return pod_spines(s, pl->tiers == 3 ? pl->nodes[leaf].group / (uint32_t)pl->pod_sus : 0);
}

/* B's uplinks towards spine `to` */
static uint32_t block_of(const lf_sim *s, uint32_t leaf, uint32_t k, uint32_t *first)
{
	uint32_t m = s->up_n[leaf] / spines_of(s, leaf);
	*first = s->up_first[leaf] + k * m;
	return m;
}

static uint32_t alive_in(const lf_sim *s, uint32_t first, uint32_t n)
{
	uint32_t a = 0;
	for (uint32_t i = 0; i < n; i++)
		a += !s->failed[first + i];
	return a;
}

typedef struct to_node { uint32_t node; } to_node;
static bool leads_to(const lf_sim *s, uint32_t li, const void *ctx)
{
	return s->link_b[li] == ((const to_node *)ctx)->node;
}

/* choose(s, first, n, 1, flow, hop, leads_to, &{node}) under ECMP with no
 * failed link, the same pick without the callbacks (the hot path of
 * cross-pod routing); `guess`: where `node`'s links likely are (the core
 * sits at the same place among every spine's uplinks of its group). */
static int64_t choose_to(const lf_sim *s, uint32_t first, uint32_t n, uint32_t hop,
                         uint32_t node, uint32_t guess)
{
	const uint32_t *L = s->link_b;
	uint32_t live = 0;
	uint64_t h0 = hsh(s, 0, hop);
	if (s->run_first && guess < n && L[first + guess] == node) {
		/* the links to `node` are the run of first + guess */
		uint32_t r0 = s->run_first[first + guess], rn = s->run_len[first + guess];
		for (uint32_t salt = 0; salt < 4; salt++) {
			uint32_t li = first + (uint32_t)((salt ? hsh(s, 0, hop + 64 * salt) : h0) % n);
			if (li - r0 < rn)
				return (int64_t)li;
		}
		return (int64_t)(r0 + h0 % rn);
	}
	for (uint32_t i = 0; i < n; i++)
		live += L[first + i] == node;
	if (!live)
		return -1;
	for (uint32_t salt = 0; salt < 4; salt++) {
		uint32_t li = first + (uint32_t)((salt ? hsh(s, 0, hop + 64 * salt) : h0) % n);
		if (L[li] == node)
			return (int64_t)li;
	}
	uint32_t k = (uint32_t)(h0 % live);
	for (uint32_t i = 0, j = 0; i < n; i++)
		if (L[first + i] == node && j++ == k)
			return (int64_t)(first + i);
	return -1;
}

static bool spray_per_link(lf_sim *s, uint32_t A, uint32_t B, bool same_pod, double w)
{
	uint32_t nsp = s->spines_per_pod;
	double total = 0;
	double *wk = calloc(nsp, sizeof *wk);
	if (!wk)
		return false;
	for (uint32_t k = 0; k < nsp; k++) {
		uint32_t fa, fb;
		uint32_t m = block_of(s, A, k, &fa);
		block_of(s, B, k, &fb);
		double paths = (double)alive_in(s, fa, m) * alive_in(s, fb, m);
		if (!same_pod) {
			uint32_t sa = s->link_b[fa], sb = s->link_b[fb];
			if (!alive_in(s, s->up_first[sa], s->up_n[sa]) ||
			    !alive_in(s, s->up_first[sb], s->up_n[sb]))
				paths = 0;
		}
		wk[k] = paths;
		total += paths;
	}
	bool ok = true;
	if (total <= 0) {
		ok = push_hop(s, s->nowhere, w);   /* no path: the flow cannot move */
		free(wk);
		return ok;
	}
	for (uint32_t k = 0; k < nsp && ok; k++) {
		if (wk[k] <= 0)
			continue;
		double share = w * wk[k] / total;
		uint32_t fa, fb;
		uint32_t m = block_of(s, A, k, &fa);
		block_of(s, B, k, &fb);
		uint32_t aa = alive_in(s, fa, m), ab = alive_in(s, fb, m);
		for (uint32_t i = 0; i < m && ok; i++) {
			if (!s->failed[fa + i])
				ok = push_hop(s, 2 * (size_t)(fa + i), share / aa);
			if (ok && !s->failed[fb + i])
				ok = push_hop(s, 2 * (size_t)(fb + i) + 1, share / ab);
		}
		if (same_pod)
			continue;
		uint32_t sa = s->link_b[fa], sb = s->link_b[fb];
		uint32_t ca = alive_in(s, s->up_first[sa], s->up_n[sa]);
		uint32_t cb = alive_in(s, s->up_first[sb], s->up_n[sb]);
		for (uint32_t i = 0; i < s->up_n[sa] && ok; i++)
			if (!s->failed[s->up_first[sa] + i])
				ok = push_hop(s, 2 * (size_t)(s->up_first[sa] + i), share / ca);
		for (uint32_t i = 0; i < s->up_n[sb] && ok; i++)
			if (!s->failed[s->up_first[sb] + i])
				ok = push_hop(s, 2 * (size_t)(s->up_first[sb] + i) + 1, share / cb);
	}
	free(wk);
	return ok;
}

typedef struct spine_ctx { uint32_t B; bool same_pod; } spine_ctx;

/* an uplink of A is usable if B can be reached below its spine */
static bool spine_reaches(const lf_sim *s, uint32_t li, const void *ctx)
{
	const spine_ctx *c = ctx;
	if (!s->any_failed)
		return true;   /* every spine reaches every leaf of its pod, and the cores */
	uint32_t A = s->pl->links[li].a;
	uint32_t k = (li - s->up_first[A]) / (s->up_n[A] / s->spines_per_pod), fb;
	uint32_t m = block_of(s, c->B, k, &fb);
	if (!alive_in(s, fb, m))
		return false;
	if (c->same_pod)
		return true;
	uint32_t sa = s->link_b[li], sb = s->link_b[fb];
	return alive_in(s, s->up_first[sa], s->up_n[sa]) && alive_in(s, s->up_first[sb], s->up_n[sb]);
}

static bool route_plane(lf_sim *s, uint32_t fid, uint32_t src_link, uint32_t dst_link, double w)
{
	const lf_plan *pl = s->pl;
	uint32_t A = s->link_b[src_link], B = s->link_b[dst_link];
	if (s->failed[src_link] || s->failed[dst_link])
		return push_hop(s, s->nowhere, w);
	if (!push_hop(s, 2 * (size_t)src_link, w) || !push_hop(s, 2 * (size_t)dst_link + 1, w))
		return false;
	if (A == B)
		return true;
	bool same_pod = pl->tiers == 2 || pl->nodes[A].group / (uint32_t)pl->pod_sus ==
	                                      pl->nodes[B].group / (uint32_t)pl->pod_sus;
	if (s->cfg.route == LF_ROUTE_SPRAY) {
		if (s->any_failed)
			return spray_per_link(s, A, B, same_pod, w);
		if (!push_hop(s, s->leaf_trunk[A], w) || !push_hop(s, s->leaf_trunk[B] + 1, w))
			return false;
		if (same_pod)
			return true;
		size_t pa = s->pod_trunk_base + 2 * ((size_t)pl->nodes[A].plane * (size_t)pl->pods +
		                                     pl->nodes[A].group / (uint32_t)pl->pod_sus);
		size_t pb = s->pod_trunk_base + 2 * ((size_t)pl->nodes[B].plane * (size_t)pl->pods +
		                                     pl->nodes[B].group / (uint32_t)pl->pod_sus);
		return push_hop(s, pa, w) && push_hop(s, pb + 1, w);
	}
	spine_ctx sc = { B, same_pod };
	s->dkey_div = s->up_n[A] ? s->up_n[A] : 1;
	int64_t up = choose(s, s->up_first[A], s->up_n[A], 0, fid, 1, spine_reaches, &sc);
	if (up < 0)
		return push_hop(s, s->nowhere, w);
	uint32_t k = ((uint32_t)up - s->up_first[A]) / (s->up_n[A] / spines_of(s, A)), fb;
	uint32_t sa = s->link_b[up];
	if (!push_hop(s, 2 * (size_t)up, w))
		return false;
	uint32_t m;
	if (same_pod) {
		m = block_of(s, B, k, &fb);
	} else {
		int64_t up2 = choose(s, s->up_first[sa], s->up_n[sa], 0, fid, 3, NULL, NULL);
		to_node core = { up2 >= 0 ? s->link_b[up2] : 0 };
		/* core group g meets spine g of a full pod and spine g mod its
		 * spine count of a partial last one (topo.c): the spine of B's
		 * pod under this core (A's own index k with equal pods) */
		uint32_t kb = up2 >= 0 ? pl->nodes[core.node].group % spines_of(s, B) : k;
		m = block_of(s, B, kb, &fb);
		uint32_t sb = s->link_b[fb];
		int64_t dn2 = up2 < 0 ? -1 :
		              s->cfg.route == LF_ROUTE_ECMP && !s->any_failed ?
		              choose_to(s, s->up_first[sb], s->up_n[sb], 4, core.node,
		                        (uint32_t)up2 - s->up_first[sa]) :
		              choose(s, s->up_first[sb], s->up_n[sb], 1, fid, 4, leads_to, &core);
		if (dn2 < 0)
			return push_hop(s, s->nowhere, w);
		if (!push_hop(s, 2 * (size_t)up2, w) || !push_hop(s, 2 * (size_t)dn2 + 1, w))
			return false;
	}
	int64_t dn = choose(s, fb, m, 1, fid, 2, NULL, NULL);
	if (dn < 0)
		return push_hop(s, s->nowhere, w);
	return push_hop(s, 2 * (size_t)dn + 1, w);
}

bool lfi_sim_route(lf_sim *s, uint32_t fid)
{
	const sflow *f = LF_VEC_AT(&s->flows, sflow, fid);
	s->path.len = s->coeff.len = 0;
	if (!lfi_vec_reserve(&s->path, 16) || !lfi_vec_reserve(&s->coeff, 16))
		return false;
	s->pair_key = s->cfg.seed * 0x9e3779b97f4a7c15ULL ^
	              lfi_hash64((uint64_t)f->a * 0x100000001b3ULL ^ (uint64_t)f->b);
	int64_t sa = f->a / s->gpus_per_server, sb = f->b / s->gpus_per_server;
	int ga = (int)(f->a % s->gpus_per_server), gb = (int)(f->b % s->gpus_per_server);
	if (sa / s->servers_per_domain == sb / s->servers_per_domain)   /* one NVLink domain */
		return push_hop(s, s->nvl_base + 2 * (size_t)f->a, 1) &&
		       push_hop(s, s->nvl_base + 2 * (size_t)f->b + 1, 1);
	int ra = ga * s->G / s->gpus_per_server, rb = gb * s->G / s->gpus_per_server;
	int p0 = 0, p1 = s->P;
	if (s->cfg.route != LF_ROUTE_SPRAY) {
		p0 = s->cfg.route == LF_ROUTE_FTREE ? (int)((uint64_t)(sb * s->G + rb) % (uint64_t)s->P) :
		     (int)(hsh(s, fid, 0) % (uint64_t)s->P);
		p1 = p0 + 1;
	}
	for (int p = p0; p < p1; p++) {
		uint32_t la = (uint32_t)((sa * s->G + ra) * s->P + p);
		uint32_t lb = (uint32_t)((sb * s->G + rb) * s->P + p);
		s->dkey = s->down_idx[lb];
		if (!route_plane(s, fid, la, lb, 1.0 / (p1 - p0)))
			return false;
	}
	return true;
}
