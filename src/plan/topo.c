/*
 * topo.c — sizes the Clos fabric and builds its graph: nodes, ports, links.
 *
 * Model (docs/design.md, "Clos arithmetic"):
 *
 *  - A server has G scale-out NIC ports (rails).  With P planes each port is
 *    split into P links of port_speed/P, one to each independent plane.
 *    Link (rail i, plane p) is server port i * P + p, and cage c holds ports
 *    [c*ppc, (c+1)*ppc) with ppc = cage_speed / link speed: a cage holds
 *    cage_speed/port_speed NIC ports, or (a NIC port spread over several
 *    cages) a port's links fill port_speed/cage_speed cages in turn.
 *    Dual-homed (H = 2): each port splits into P x 2 links, and link (rail
 *    i, plane p, home h) goes to leaf h of the rail group's leaf pair in
 *    plane p, at server port (i * P + p) * 2 + h; an SU then has 2 G/R
 *    leaves per plane (with a NIC port over two cages, one home per cage:
 *    Alibaba HPN's two ToRs).
 *  - Leaves: a scalable unit (SU) holds `su` server slots.  Each leaf serves
 *    R rails of one SU (rail-optimized: R = 1; fat-tree/ToR: R = G), so an
 *    SU has G/R leaves per plane and a leaf has d1 = su*R down ports.  Its
 *    up ports follow from the tier's oversubscription r (down:up bandwidth):
 *    u = ceil(d * S_down / (r * S_up)).  Down and up ports start on cage
 *    boundaries, so a cage never mixes the two.
 *  - Spines are sized for the final build-out, not for what is deployed:
 *    a pod (2 tiers: the whole fabric) of Lp leaves has N spines, the
 *    smallest divisor of u1 with N >= ceil(Lp*u1 / spine_down_ports), so
 *    every leaf sends exactly m = u1/N links to every spine of its pod
 *    ("striping").  3 tiers: spine j of every pod connects to core group j,
 *    whose size Cg is the smallest divisor of u2 with Cg >= ceil(pods*u2 / k3).
 *    A partial last pod, when the build-out is final (final_servers =
 *    servers), gets spines sized by its own leaves (size_partial_pod), and
 *    the cores are sized for what they then carry: a core takes m3 links
 *    from every full pod and m3_last from the last, which may allow a
 *    smaller core group, and has those ports, no more; while more is coming
 *    the pod keeps a full pod's spines and the cores their full-pod ports.
 *    When the last pod's uplinks do not stripe over fewer spines it keeps
 *    a full pod's spines, and a plan note gives their real ratio.
 *  - Tier count "auto" takes 2 tiers when the final build-out fits, else 3.
 *
 * Port numbering of a switch: down ports [0, down_cages*down_ppc), then up
 * ports.  Invariants (checked by tests): every port is used at most once,
 * ports used = 2 x links, cages in use <= the switch's cages.
 *
 * Stages: node and link `stage` is the first deployment stage that needs
 * them.  Servers fill SUs in order; a leaf comes with its SU, a spine with
 * the first SU of its pod (2 tiers: the first stage), cores with the first
 * stage; a link with the later of its two ends.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media.h"

typedef struct sizing {
	int tiers, P, G, R, lps;      /* tiers, planes, rails, rails per leaf, leaves per SU */
	int H;                        /* leaves each port reaches per plane: 2 dual-homed, else 1 */
	int S[LF_MAX_TIERS + 2];      /* link speed per level, S[1..tiers] */
	int d[LF_MAX_TIERS + 1], u[LF_MAX_TIERS + 1];       /* provisioned ports per switch */
	int ppc_d[LF_MAX_TIERS + 1], ppc_u[LF_MAX_TIERS + 1];
	const lf_switch *sw[LF_MAX_TIERS + 1];
	const lf_tier_spec *ts[LF_MAX_TIERS + 1];
	int su;                       /* slots per SU */
	int64_t sus_final, sus;       /* SUs in the build-out, SUs deployed */
	int pod_sus;
	int64_t pods_final, pods;
	int n_sp, m2;                 /* spines per pod, links per leaf-spine pair */
	int cg, m3;                   /* cores per group, links per spine-core pair */
	/* the last pod when it is partial and the build-out final: its own
	 * spine count, links per leaf-spine pair, spine ports, links per
	 * spine-core pair, and core groups per spine (= the full pod's) */
	bool partial;
	bool stuck;                   /* the last pod is short but keeps full-pod spines */
	int n_sp_last, m2_last, d2_last, u2_last, m3_last, gps_last;
	int srv_ppc, srv_cages;       /* server: links per cage, cages */
} sizing;

static int ceil_div(int64_t a, int64_t b)
{
	return (int)((a + b - 1) / b);
}

static int up_ports(int d, int s_down, int s_up, double r)
{
	double u = (double)d * s_down / (r * s_up);
	return (int)ceil(u - 1e-9);
}

/* Largest number of down ports whose up ports (for ratio r) still fit. */
static int max_down(const lf_switch *sw, int ppc_d, int ppc_u, int s_down, int s_up,
                    double r, bool has_up)
{
	for (int d = sw->cages * ppc_d; d > 0; d--) {
		int u = has_up ? up_ports(d, s_down, s_up, r) : 0;
		int cages = ceil_div(d, ppc_d) + (u ? ceil_div(u, ppc_u) : 0);
		if (cages <= sw->cages)
			return d;
	}
	return 0;
}

static int smallest_divisor_ge(int n, int lo)
{
	if (lo < 1)
		lo = 1;
	for (int x = lo; x <= n; x++)
		if (n % x == 0)
			return x;
	return 0;
}

static bool has_speed(const lf_switch *sw, int gbps)
{
	for (int i = 0; i < sw->n_port_speeds; i++)
		if (sw->port_speeds[i] == gbps)
			return true;
	return false;
}

static lf_status speed_fail(const lf_spec *sp, const sizing *z, int t, int gbps,
                            const char *dir, lf_error *err)
{
	char have[128] = "", g[16];
	for (int i = 0; i < z->sw[t]->n_port_speeds; i++) {
		lfi_format_gbps(z->sw[t]->port_speeds[i], g, sizeof g);
		snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", i ? ", " : "", g);
	}
	lfi_format_gbps(gbps, g, sizeof g);
	return lfi_fail(err, LF_EINPUT, sp->file, z->ts[t]->pos.line, z->ts[t]->pos.col,
	                "tier %d: switch \"%s\" cannot run its %s links at %s (its ports run at %s)",
	                t, z->sw[t]->id, dir, g, have);
}

/* 3 tiers, build-out final, last pod short of pod_sus SUs: size its spines
 * by its own leaves, as a pod of that many SUs would be (the smallest
 * divisor of u1 whose spines hold its leaves' uplinks).  Spine s of that
 * pod takes the core groups g with g % n_sp_last == s, so its uplinks
 * stripe evenly over gps_last x cg cores, inside the m3 core ports each
 * core keeps per pod.  When the counts do not divide that way the pod
 * keeps full-pod spines.  With final_servers above servers the full-pod
 * rule stays: the pod fills up later. */
static void size_partial_pod(const lf_spec *sp, sizing *z, int d2max, double r2, int k3)
{
	int64_t last_sus = z->sus_final - (z->pods_final - 1) * z->pod_sus;
	if (sp->final_servers != sp->servers || last_sus >= z->pod_sus)
		return;
	int lpl = (int)last_sus * z->lps;
	int nsl = smallest_divisor_ge(z->u[1], ceil_div((int64_t)lpl * z->u[1], d2max));
	if (!nsl || nsl > z->n_sp || z->n_sp % nsl != 0) {
		z->stuck = true;
		return;
	}
	int m2l = z->u[1] / nsl, d2l = lpl * m2l;
	int u2l = up_ports(d2l, z->S[2], z->S[3], r2);
	int gps = z->n_sp / nsl, cores = gps * z->cg;
	/* uplinks stripe evenly over the cores a spine reaches: round up */
	u2l = ceil_div(u2l, cores) * cores;
	bool fits = u2l / cores <= z->m3 &&
	            ceil_div(d2l, z->ppc_d[2]) + ceil_div(u2l, z->ppc_u[2]) <= z->sw[2]->cages;
	if (!fits || (nsl == z->n_sp && u2l == z->u[2])) {
		z->stuck = nsl < z->n_sp || !fits;
		return;
	}
	z->partial = true;
	z->n_sp_last = nsl;
	z->m2_last = m2l;
	z->d2_last = d2l;
	z->u2_last = u2l;
	z->m3_last = u2l / cores;
	z->gps_last = gps;
	/* cores: each takes m3 links from a spine of every full pod and m3_last
	 * from the last pod's; a smaller core group may now hold that (cg is
	 * sized for whole pods), and a core's ports are what it uses */
	for (int x = 1; x < z->cg; x++) {
		if (z->u[2] % x != 0 || u2l % (gps * x) != 0)
			continue;
		int m3x = z->u[2] / x, m3lx = u2l / (gps * x);
		if (m3lx <= m3x && (z->pods_final - 1) * m3x + m3lx <= k3) {
			z->cg = x;
			z->m3 = m3x;
			z->m3_last = m3lx;
			break;
		}
	}
	z->d[3] = (int)((z->pods_final - 1) * z->m3 + z->m3_last);
}

/* Size the fabric for `tiers` tiers.  Returns LF_OK, or LF_EINPUT with a
 * message when it does not fit (*fits = false) or the spec is inconsistent. */
static lf_status size_fabric(const lf_spec *sp, int tiers, sizing *z, bool *fits,
                             lf_error *err)
{
	const lf_server *srv = sp->server;
	memset(z, 0, sizeof *z);
	*fits = false;
	z->tiers = tiers;
	z->P = sp->planes;
	z->H = sp->dual_homed ? 2 : 1;
	z->G = srv->nic_ports;
	for (int t = 1; t <= tiers; t++) {
		z->ts[t] = lfi_tier_spec(sp, t);
		z->sw[t] = z->ts[t]->sw;
	}
	/* link speeds: a port splits into P x H links */
	int lpp = z->P * z->H;
	if (srv->port_gbps % lpp != 0)
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_fabric.line, sp->pos_fabric.col,
		                "a %dG server port cannot be split evenly over %d planes%s",
		                srv->port_gbps, z->P, z->H > 1 ? " x 2 leaves (dual-homed)" : "");
	z->S[1] = srv->port_gbps / lpp;
	if (z->ts[1]->link_gbps && z->ts[1]->link_gbps != z->S[1])
		return lfi_fail(err, LF_EINPUT, sp->file, z->ts[1]->pos.line, z->ts[1]->pos.col,
		                "tier 1 link_speed is %dG but %s ports are %dG over %d plane(s), i.e. "
		                "%dG links", z->ts[1]->link_gbps, srv->id, srv->port_gbps, z->P, z->S[1]);
	if (srv->nic && !lfi_media_nic_proto(srv->nic, z->S[1], lpp)) {
		char modes[256], g[16];
		lfi_media_nic_modes(srv->nic, modes, sizeof modes);
		lfi_format_gbps(z->S[1], g, sizeof g);
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_fabric.line, sp->pos_fabric.col,
		                "%d plane(s)%s split each %dG port of %s into %d x %s, which nic \"%s\" "
		                "does not run (its modes per port: %s); choose planes to match a mode",
		                z->P, z->H > 1 ? ", dual-homed," : "", srv->port_gbps, srv->id, lpp, g,
		                srv->nic->id, modes);
	}
	for (int t = 2; t <= tiers; t++)
		z->S[t] = z->ts[t]->link_gbps ? z->ts[t]->link_gbps : z->S[t - 1];
	/* server cages: a cage holds whole ports, or a port spans whole cages
	 * (a NIC whose port sits in several cages, each one link or more) */
	if (srv->cage_gbps % z->S[1] != 0) {
		if (srv->port_gbps > srv->cage_gbps)
			return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_fabric.line, sp->pos_fabric.col,
			                "each %dG port of %s spans %d cages of %dG, so it runs as at least "
			                "%d links of %dG, but %d plane(s)%s make %d link(s) of %dG per port; "
			                "set planes (x 2 when dual_homed) to a multiple of %d",
			                srv->port_gbps, srv->id, srv->port_gbps / srv->cage_gbps,
			                srv->cage_gbps, srv->port_gbps / srv->cage_gbps, srv->cage_gbps,
			                z->P, z->H > 1 ? ", dual-homed," : "", lpp, z->S[1],
			                srv->port_gbps / srv->cage_gbps);
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_fabric.line, sp->pos_fabric.col,
		                "%s cages (%dG) cannot be split into %dG links", srv->id,
		                srv->cage_gbps, z->S[1]);
	}
	z->srv_ppc = srv->cage_gbps / z->S[1];
	z->srv_cages = ceil_div((int64_t)z->G * srv->port_gbps, srv->cage_gbps);
	/* per-tier port speeds */
	for (int t = 1; t <= tiers; t++) {
		if (!has_speed(z->sw[t], z->S[t]))
			return speed_fail(sp, z, t, z->S[t], "down", err);
		z->ppc_d[t] = z->sw[t]->cage_gbps / z->S[t];
		if (t < tiers) {
			if (!has_speed(z->sw[t], z->S[t + 1]))
				return speed_fail(sp, z, t, z->S[t + 1], "up", err);
			z->ppc_u[t] = z->sw[t]->cage_gbps / z->S[t + 1];
		}
	}
	/* leaves */
	z->R = sp->rails_per_leaf ? sp->rails_per_leaf : (sp->kind == LF_FABRIC_FATTREE ? z->G : 1);
	if (z->G % z->R != 0)
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_fabric.line, sp->pos_fabric.col,
		                "rails_per_leaf (%d) must divide the %d rails of %s", z->R, z->G, srv->id);
	z->lps = z->G / z->R * z->H;   /* dual-homed: a leaf pair per group of R rails */
	double r1 = z->ts[1]->oversubscription;
	int d1max = max_down(z->sw[1], z->ppc_d[1], z->ppc_u[1], z->S[1], z->S[2], r1, true);
	int su_max = d1max / z->R;
	if (su_max < 1)
		return lfi_fail(err, LF_EINPUT, sp->file, z->ts[1]->pos.line, z->ts[1]->pos.col,
		                "leaf \"%s\" cannot serve %d rails of even one server at %g:1",
		                z->sw[1]->id, z->R, r1);
	z->su = sp->su_servers ? sp->su_servers : su_max;
	if (z->su > su_max)
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_su.line, sp->pos_su.col,
		                "an SU of %d servers needs %d down ports per leaf, but \"%s\" at %g:1 "
		                "offers at most %d (an SU of at most %d servers)", z->su, z->su * z->R,
		                z->sw[1]->id, r1, d1max, su_max);
	z->d[1] = z->su * z->R;
	z->u[1] = up_ports(z->d[1], z->S[1], z->S[2], r1);
	z->sus_final = (sp->final_servers + z->su - 1) / z->su;
	z->sus = (sp->servers + z->su - 1) / z->su;
	int64_t leaves_final = z->sus_final * z->lps;

	if (tiers == 2) {
		int k2 = z->sw[2]->cages * z->ppc_d[2];
		int64_t need = (leaves_final * z->u[1] + k2 - 1) / k2;
		z->n_sp = need <= z->u[1] ? smallest_divisor_ge(z->u[1], (int)need) : 0;
		if (!z->n_sp)
			return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_servers.line, sp->pos_servers.col,
			                "2 tiers do not fit: %lld leaves per plane with %d uplinks each need "
			                "more than %d spines of %d ports; use 3 tiers or tier_count: auto",
			                (long long)leaves_final, z->u[1], z->u[1], k2);
		z->m2 = z->u[1] / z->n_sp;
		z->pod_sus = (int)z->sus_final;
		z->pods_final = z->pods = 1;
		z->d[2] = (int)(leaves_final * z->m2);
		z->u[2] = 0;
		*fits = true;
		return LF_OK;
	}
	/* 3 tiers: spine down ports at ratio r2, pods, core groups */
	double r2 = z->ts[2]->oversubscription;
	int d2max = max_down(z->sw[2], z->ppc_d[2], z->ppc_u[2], z->S[2], z->S[3], r2, true);
	int pod_max = d2max / z->lps;
	if (pod_max < 1)
		return lfi_fail(err, LF_EINPUT, sp->file, z->ts[2]->pos.line, z->ts[2]->pos.col,
		                "spine \"%s\" at %g:1 has %d down ports, fewer than the %d leaves of one SU",
		                z->sw[2]->id, r2, d2max, z->lps);
	z->pod_sus = sp->pod_sus ? sp->pod_sus : pod_max;
	if (z->pod_sus > pod_max)
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_fabric.line, sp->pos_fabric.col,
		                "a pod of %d SUs has %d leaves, more than the %d down ports of spine \"%s\" "
		                "at %g:1 (at most %d SUs per pod)", z->pod_sus, z->pod_sus * z->lps,
		                d2max, z->sw[2]->id, r2, pod_max);
	int lp = z->pod_sus * z->lps;
	z->n_sp = smallest_divisor_ge(z->u[1], ceil_div((int64_t)lp * z->u[1], d2max));
	if (!z->n_sp)
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "no spine count for pod of %d leaves", lp);
	z->m2 = z->u[1] / z->n_sp;
	z->d[2] = lp * z->m2;
	z->u[2] = up_ports(z->d[2], z->S[2], z->S[3], r2);
	z->pods_final = (z->sus_final + z->pod_sus - 1) / z->pod_sus;
	z->pods = (z->sus + z->pod_sus - 1) / z->pod_sus;
	int k3 = z->sw[3]->cages * z->ppc_d[3];
	int64_t need = (z->pods_final * z->u[2] + k3 - 1) / k3;
	z->cg = need <= z->u[2] ? smallest_divisor_ge(z->u[2], (int)need) : 0;
	if (!z->cg)
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_servers.line, sp->pos_servers.col,
		                "3 tiers do not fit: %lld pods need more than %d core ports each; at most "
		                "%lld servers fit (%d pods of %d SUs of %d servers)",
		                (long long)z->pods_final, k3, (long long)k3 * z->pod_sus * z->su, k3,
		                z->pod_sus, z->su);
	z->m3 = z->u[2] / z->cg;
	z->d[3] = (int)(z->pods_final * z->m3);
	z->u[3] = 0;
	size_partial_pod(sp, z, d2max, r2, k3);
	*fits = true;
	return LF_OK;
}

static void set_switch(lf_node *n, int tier, int plane, uint32_t group, uint32_t index,
                       const sizing *z, int d, int u)
{
	n->kind = LF_NODE_SWITCH;
	n->tier = (uint8_t)tier;
	n->plane = (uint16_t)plane;
	n->group = group;
	n->index = index;
	n->down_ppc = (uint16_t)z->ppc_d[tier];
	n->up_ppc = (uint16_t)(z->ppc_u[tier] ? z->ppc_u[tier] : 1);
	n->down_cages = (uint32_t)ceil_div(d, z->ppc_d[tier]);
	uint32_t up_cages = u ? (uint32_t)ceil_div(u, z->ppc_u[tier]) : 0;
	n->n_cages = n->down_cages + up_cages;
	n->n_ports = n->down_cages * n->down_ppc + up_cages * n->up_ppc;
}

uint32_t lf_node_cage(const lf_node *n, uint32_t port)
{
	uint32_t dp = n->down_cages * n->down_ppc;
	if (port < dp)
		return port / n->down_ppc;
	return n->down_cages + (port - dp) / n->up_ppc;
}

static void add_link(lf_plan *pl, size_t *k, uint32_t a, uint32_t ap, uint32_t b, uint32_t bp,
                     int level, int plane, int gbps)
{
	lf_link *l = &pl->links[(*k)++];
	l->a = a;
	l->b = b;
	l->a_port = ap;
	l->b_port = bp;
	l->level = (uint16_t)level;
	l->plane = (uint16_t)plane;
	l->gbps = (uint32_t)gbps;
	uint16_t sa = pl->nodes[a].stage, sb = pl->nodes[b].stage;
	l->stage = sa > sb ? sa : sb;
	pl->nodes[a].ports_used++;
	pl->nodes[b].ports_used++;
}

static uint16_t stage_of_server(const lf_spec *sp, int64_t s)
{
	for (int k = 0; k < sp->n_stages; k++)
		if (s < sp->stage[k].servers)
			return (uint16_t)k;
	return (uint16_t)(sp->n_stages ? sp->n_stages - 1 : 0);
}

static const char *tier_name(const lf_spec *sp, const sizing *z, int t)
{
	static const char *const def[] = { "server", "leaf", "spine", "core" };
	if (t - 1 < sp->n_tier_specs && sp->tier[t - 1].name)
		return sp->tier[t - 1].name;
	(void)z;
	return def[t];
}

lf_status lfi_topo_build(lf_plan *pl, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	sizing z;
	bool fits = false;
	lf_status st;
	if (sp->tiers) {
		LF_TRY(size_fabric(sp, sp->tiers, &z, &fits, err));
	} else {
		st = size_fabric(sp, 2, &z, &fits, err);
		if (!fits && st == LF_EINPUT) {
			lf_error e2;
			st = size_fabric(sp, 3, &z, &fits, &e2);
			if (st != LF_OK && err)
				*err = e2;
		}
		LF_TRY(st);
	}
	/* counts */
	int64_t slots = z.sus * z.su;
	int64_t n_slot_nodes = sp->spare_slots == LF_SPARE_CABLED ? slots : sp->servers;
	int64_t leaves = z.sus * z.lps;
	int64_t spines = z.tiers == 2 ? z.n_sp : z.pods * z.n_sp;
	int64_t full_spines = spines;      /* spines of full-size pods */
	if (z.partial) {
		full_spines = (z.pods - 1) * z.n_sp;
		spines = full_spines + z.n_sp_last;
	}
	int64_t cores = z.tiers == 3 ? (int64_t)z.n_sp * z.cg : 0;
	int64_t per_plane = leaves + spines + cores;
	int64_t n_nodes = n_slot_nodes + z.P * per_plane;
	int64_t spine_up = full_spines * z.u[2] + (spines - full_spines) * z.u2_last;
	int64_t n_links = n_slot_nodes * z.G * z.P * z.H + z.P * (leaves * z.u[1] + spine_up);
	if (n_nodes > UINT32_MAX / 2 || n_links > UINT32_MAX / 2)
		return lfi_fail(err, LF_EINPUT, sp->file, sp->pos_servers.line, sp->pos_servers.col,
		                "fabric too large (%lld nodes, %lld links)", (long long)n_nodes,
		                (long long)n_links);
	pl->nodes = calloc((size_t)n_nodes, sizeof *pl->nodes);
	pl->links = calloc((size_t)(n_links ? n_links : 1), sizeof *pl->links);
	if (!pl->nodes || !pl->links)
		return lfi_oom(err);
	pl->n_nodes = (size_t)n_nodes;
	pl->n_links = (size_t)n_links;
	pl->tiers = z.tiers;
	pl->planes = z.P;
	pl->su_servers = z.su;
	pl->sus = (int)z.sus;
	pl->pod_sus = z.pod_sus;
	pl->pods = (int)z.pods;
	pl->rails_per_leaf = z.R;
	pl->leaves_per_su = z.lps;
	pl->servers = sp->servers;
	pl->slots = slots;
	pl->gpus = sp->servers * sp->server->gpus;

	/* servers and cabled spare slots */
	for (int64_t s = 0; s < n_slot_nodes; s++) {
		lf_node *n = &pl->nodes[s];
		n->kind = s < sp->servers ? LF_NODE_SERVER : LF_NODE_SLOT;
		n->tier = 0;
		n->group = (uint32_t)(s / z.su);
		n->index = (uint32_t)s;
		n->stage = stage_of_server(sp, n->kind == LF_NODE_SERVER ? s : (s / z.su) * z.su);
		n->down_cages = 0;
		n->down_ppc = 1;
		n->up_ppc = (uint16_t)z.srv_ppc;
		n->n_cages = (uint32_t)z.srv_cages;
		n->n_ports = n->n_cages * n->up_ppc;
	}
	/* switches, plane by plane */
	size_t base = (size_t)n_slot_nodes;
	for (int p = 0; p < z.P; p++) {
		size_t lb = base, sb = lb + (size_t)leaves, cb = sb + (size_t)spines;
		for (int64_t j = 0; j < leaves; j++) {
			lf_node *n = &pl->nodes[lb + j];
			set_switch(n, 1, p, (uint32_t)(j / z.lps), (uint32_t)j, &z, z.d[1], z.u[1]);
			n->stage = stage_of_server(sp, (j / z.lps) * z.su);
		}
		for (int64_t j = 0; j < spines; j++) {
			lf_node *n = &pl->nodes[sb + j];
			bool last = j >= full_spines;
			int64_t pod = last ? z.pods - 1 : j / z.n_sp;
			set_switch(n, 2, p, (uint32_t)pod, (uint32_t)j, &z, last ? z.d2_last : z.d[2],
			           last ? z.u2_last : z.u[2]);
			n->stage = z.tiers == 2 ? 0 : stage_of_server(sp, pod * z.pod_sus * z.su);
		}
		for (int64_t j = 0; j < cores; j++)
			set_switch(&pl->nodes[cb + j], 3, p, (uint32_t)(j / z.cg), (uint32_t)j, &z, z.d[3],
			           0);
		base = cb + (size_t)cores;
	}
	/* cage numbering */
	uint64_t cage = 0;
	for (size_t i = 0; i < pl->n_nodes; i++) {
		pl->nodes[i].cage_base = (uint32_t)cage;
		cage += pl->nodes[i].n_cages;
	}
	if (cage > UINT32_MAX)
		return lfi_fail(err, LF_EINPUT, sp->file, 0, 0, "fabric too large (%llu cages)",
		                (unsigned long long)cage);
	pl->n_cages = (uint32_t)cage;

	/* links */
	size_t k = 0;
	for (int64_t s = 0; s < n_slot_nodes; s++) {
		int64_t su = s / z.su, q = s % z.su;
		for (int i = 0; i < z.G; i++)
			for (int p = 0; p < z.P; p++)
				for (int h = 0; h < z.H; h++) {
					/* dual-homed: leaves 2g and 2g+1 of a rail group are its pair */
					size_t lb = (size_t)n_slot_nodes + (size_t)p * (size_t)per_plane;
					uint32_t leaf = (uint32_t)(lb + (size_t)(su * z.lps + (i / z.R) * z.H + h));
					/* link j = p * H + h of port i: port i's links are
					 * consecutive, cage c holds ports c*ppc .. (c+1)*ppc-1 */
					uint32_t sport = (uint32_t)(i * z.P * z.H + p * z.H + h);
					uint32_t lport = (uint32_t)(q * z.R + i % z.R);
					add_link(pl, &k, (uint32_t)s, sport, leaf, lport, 1, p, z.S[1]);
				}
	}
	for (int p = 0; p < z.P; p++) {
		size_t lb = (size_t)n_slot_nodes + (size_t)p * (size_t)per_plane;
		size_t sb = lb + (size_t)leaves, cb = sb + (size_t)spines;
		int64_t lp = (int64_t)z.pod_sus * z.lps;
		for (int64_t j = 0; j < leaves; j++) {
			int64_t pod = z.tiers == 2 ? 0 : j / lp, jp = j - pod * lp;
			int m2 = z.partial && pod == z.pods - 1 ? z.m2_last : z.m2;
			const lf_node *ln = &pl->nodes[lb + j];
			uint32_t up0 = ln->down_cages * ln->down_ppc;
			for (int i = 0; i < z.u[1]; i++) {
				uint32_t spine = (uint32_t)(sb + (size_t)(pod * z.n_sp + i / m2));
				add_link(pl, &k, (uint32_t)(lb + j), up0 + (uint32_t)i, spine,
				         (uint32_t)(jp * m2 + i % m2), 2, p, z.S[2]);
			}
		}
		for (int64_t j = 0; j < spines && z.tiers == 3; j++) {
			bool last = j >= full_spines;
			int64_t pod = last ? z.pods - 1 : j / z.n_sp, s = j - pod * z.n_sp;
			const lf_node *sn = &pl->nodes[sb + j];
			uint32_t up0 = sn->down_cages * sn->down_ppc;
			int u2 = last ? z.u2_last : z.u[2], m3 = last ? z.m3_last : z.m3;
			for (int i = 0; i < u2; i++) {
				/* i / m3: the k-th core this spine reaches; a partial pod's
				 * spine s reaches groups s, s + n_sp_last, ... */
				int64_t kc = i / m3;
				int64_t g = last ? s + (kc / z.cg) * z.n_sp_last : s;
				uint32_t core = (uint32_t)(cb + (size_t)(g * z.cg + kc % z.cg));
				add_link(pl, &k, (uint32_t)(sb + j), up0 + (uint32_t)i, core,
				         (uint32_t)(pod * z.m3 + i % m3), 3, p, z.S[3]);
			}
		}
	}
	if (k != pl->n_links)
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "built %zu links, expected %zu", k,
		                pl->n_links);

	/* per (tier, plane) summaries */
	pl->n_tier_results = (size_t)(z.tiers * z.P);
	pl->tier_results = calloc(pl->n_tier_results, sizeof *pl->tier_results);
	if (!pl->tier_results)
		return lfi_oom(err);
	int64_t count[LF_MAX_TIERS + 1] = { 0, leaves, spines, cores };
	int64_t links_at[LF_MAX_TIERS + 2] = { 0, n_slot_nodes * z.G * z.H, leaves * z.u[1],
	                                       spine_up, 0 };
	/* per-switch ports of a tier: a full pod's spine, unless the only pod is partial */
	int pd[LF_MAX_TIERS + 1], pu[LF_MAX_TIERS + 1];
	memcpy(pd, z.d, sizeof pd);
	memcpy(pu, z.u, sizeof pu);
	if (z.partial && z.pods == 1) {
		pd[2] = z.d2_last;
		pu[2] = z.u2_last;
	}
	for (int t = 1; t <= z.tiers; t++)
		for (int p = 0; p < z.P; p++) {
			lf_tier_result *r = &pl->tier_results[(t - 1) * z.P + p];
			r->name = tier_name(sp, &z, t);
			r->tier = t;
			r->plane = p;
			r->switches = (uint64_t)count[t];
			r->switch_model = z.sw[t]->id;
			r->links_down = (uint64_t)links_at[t];
			r->links_up = t < z.tiers ? (uint64_t)links_at[t + 1] : 0;
			r->link_gbps = z.S[t];
			r->up_link_gbps = t < z.tiers ? z.S[t + 1] : 0;
			r->ports_down = (uint32_t)pd[t];
			r->ports_up = (uint32_t)pu[t];
			r->oversubscription = pu[t] ? (double)pd[t] * z.S[t] / ((double)pu[t] * z.S[t + 1])
			                            : 1.0;
		}
	/* what a user should know */
	size_t nl = strlen(pl->notes);
	if (!sp->tiers)
		nl += (size_t)snprintf(pl->notes + nl, sizeof pl->notes - nl,
		                       "tier_count auto: %d tiers fit the build-out of %lld servers. ",
		                       z.tiers, (long long)sp->final_servers);
	if (slots > sp->servers && nl < sizeof pl->notes)
		nl += (size_t)snprintf(pl->notes + nl, sizeof pl->notes - nl,
		                       "%lld spare slot(s) in the last SU are %s. ",
		                       (long long)(slots - sp->servers),
		                       sp->spare_slots == LF_SPARE_CABLED
		                               ? "cabled (links and optics at both ends counted)"
		                               : "left empty (no links)");
	if (z.partial && nl < sizeof pl->notes) {
		char cnt[64];
		if (z.n_sp_last < z.n_sp)
			snprintf(cnt, sizeof cnt, "%d per plane, not %d", z.n_sp_last, z.n_sp);
		else
			snprintf(cnt, sizeof cnt, "%d per plane, as a full pod", z.n_sp);
		nl += (size_t)snprintf(pl->notes + nl, sizeof pl->notes - nl,
		                       "the last pod holds %lld SU(s): its spines are sized by its own "
		                       "leaves (%s; %d down and %d up ports each, not %d and %d), and "
		                       "the cores by what they carry (%lld per plane, %d ports each). ",
		                       (long long)(z.sus - (z.pods - 1) * z.pod_sus), cnt, z.d2_last,
		                       z.u2_last, z.d[2], z.u[2], (long long)cores, z.d[3]);
	}
	if (z.stuck && nl < sizeof pl->notes) {
		/* the last pod's spines keep a full pod's uplinks: say what they carry */
		int64_t lsus = z.sus - (z.pods - 1) * z.pod_sus;
		nl += (size_t)snprintf(pl->notes + nl, sizeof pl->notes - nl,
		                       "the last pod holds %lld of %d SUs but keeps a full pod's %d "
		                       "spines per plane (its leaves' uplinks do not stripe over fewer): "
		                       "each has %lld of %d down ports cabled and all %d up, %.2f:1. ",
		                       (long long)lsus, z.pod_sus, z.n_sp,
		                       (long long)(lsus * z.lps * z.m2), z.d[2], z.u[2],
		                       (double)(lsus * z.lps * z.m2) * z.S[2] / ((double)z.u[2] * z.S[3]));
	}
	if (sp->final_servers > sp->servers && nl < sizeof pl->notes)
		snprintf(pl->notes + nl, sizeof pl->notes - nl,
		         "spines%s sized for the final build-out of %lld servers. ",
		         z.tiers == 3 ? " and cores" : "", (long long)sp->final_servers);
	return LF_OK;
}
