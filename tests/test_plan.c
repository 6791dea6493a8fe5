/*
 * test_plan.c — the planner against published designs, closed forms and
 * invariants over many generated specs.
 *
 *  - DGX H100 SuperPOD (NVIDIA RA-11333-001, ../shared/validation/):
 *    1 SU: 8 leaves, 4 spines, 256 + 256 links, 384 switch-side twin-port
 *    modules; 4 SUs: 32 / 16, 1,024 + 1,024 links, 1,536 switch-side and
 *    512 server-side modules with the 128th slot cabled.
 *  - k-ary fat tree (Al-Fares et al., SIGCOMM 2008): k^3/4 hosts, k^2/2
 *    leaves (edge), k^2/2 spines (aggregation), k^2/4 cores.
 *  - Invariants on every generated plan: no port used twice, ports used =
 *    2 x links, cages within each box, bandwidth ratio per tier equal to
 *    the requested oversubscription (when ports divide evenly, else the
 *    smallest uplink count that does not exceed it), even striping of
 *    every leaf over its spines and every spine over its core group, and
 *    stage increments adding up to the whole.
 */
#include <jansson.h>
#include <math.h>
#include <stdbool.h>

#include "testutil.h"

static const char *const test_catalog =
	"nics:\n"
	"  - {id: nic, max_speed: 800G, source: test}\n"
	"servers:\n"
	"  - {id: s8x400, gpus: 8, nic: nic, nic_ports: 8, port_speed: 400G, cages: 4,\n"
	"     cage_speed: 800G, form_factor: osfp, source: test}\n"
	"  - {id: s8x800, gpus: 8, nic: nic, nic_ports: 8, port_speed: 800G, cages: 8,\n"
	"     cage_speed: 800G, form_factor: osfp, source: test}\n"
	"  - {id: s4x400, gpus: 4, nic: nic, nic_ports: 4, port_speed: 400G, cages: 4,\n"
	"     cage_speed: 400G, form_factor: osfp, source: test}\n"
	/* NIC ports over several cages: 400G over 2 x 200G, 800G over 2 x 400G */
	"  - {id: s8x400c2, gpus: 8, nic: nic, nic_ports: 8, port_speed: 400G, cages: 16,\n"
	"     cage_speed: 200G, form_factor: osfp, source: test}\n"
	"  - {id: s4x800c2, gpus: 4, nic: nic, nic_ports: 4, port_speed: 800G, cages: 8,\n"
	"     cage_speed: 400G, form_factor: osfp, source: test}\n"
	"switches:\n"
	"  - {id: sw16, cages: 16, cage_speed: 800G, form_factor: osfp,\n"
	"     port_speeds: [800G, 400G, 200G], power_w: 300, price_usd: 5000, source: test}\n"
	"  - {id: sw32, cages: 32, cage_speed: 800G, form_factor: osfp,\n"
	"     port_speeds: [800G, 400G, 200G], power_w: 500, price_usd: 10000, source: test}\n"
	"  - {id: sw64, cages: 64, cage_speed: 800G, form_factor: osfp,\n"
	"     port_speeds: [800G, 400G, 200G], power_w: {typ: 900, max: 1400}, price_usd: 20000,\n"
	"     source: test}\n"
	"  - {id: sw20, cages: 20, cage_speed: 800G, form_factor: osfp,\n"
	"     port_speeds: [800G, 400G, 200G], power_w: 400, price_usd: 8000, source: test}\n"
	"  - {id: swcpo, cages: 48, cage_speed: 400G, port_speeds: [400G], power_w: 400,\n"
	"     price_usd: 30000, source: test, co_packaged: {standard: S400, connector: MPO,\n"
	"     medium: smf, fibres_per_link: 8, reach: 500m, port_power_w: 2, laser_source: els4,\n"
	"     laser_sources: 12}}\n"
	"laser_sources:\n"
	"  - {id: els4, lasers: 4, power_w: 5, price_usd: 900, source: test}\n"
	"transceivers:\n"
	"  - {id: t1x800, form_factor: osfp, standard: S800, link_speed: 800G, links: 1, lanes: 8,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 16, reach: 500m,\n"
	"     laser: eml, lasers: 8, power_w: 16, price_usd: 800, source: test}\n"
	"  - {id: t2x400, form_factor: osfp, standard: S400, link_speed: 400G, links: 2, lanes: 8,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 8, reach: 500m,\n"
	"     laser: eml, lasers: 8, power_w: 16, price_usd: 800, source: test}\n"
	"  - {id: t1x400, form_factor: osfp, standard: S400, link_speed: 400G, links: 1, lanes: 4,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 8, reach: 500m,\n"
	"     laser: eml, lasers: 4, power_w: 9, price_usd: 500, source: test}\n"
	"  - {id: t4x200, form_factor: osfp, standard: S200, link_speed: 200G, links: 4, lanes: 8,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 4, reach: 500m,\n"
	"     laser: eml, lasers: 8, power_w: 16, price_usd: 800, source: test}\n"
	"  - {id: t2x200, form_factor: osfp, standard: S200, link_speed: 200G, links: 2, lanes: 4,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 4, reach: 500m,\n"
	"     laser: eml, lasers: 4, power_w: 9, price_usd: 500, source: test}\n"
	"  - {id: t1x200, form_factor: osfp, standard: S200, link_speed: 200G, links: 1, lanes: 2,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 4, reach: 500m,\n"
	"     laser: eml, lasers: 2, power_w: 5, price_usd: 300, source: test}\n"
	"cables:\n"
	"  - {id: dac2x400, kind: dac, form_factor: osfp, link_speed: 400G, links: 2, legs: 1,\n"
	"     lanes: 8, lane_speed: 100G, reach: 3m, price_usd: 100, source: test}\n"
	"  - {id: split800, kind: dac, form_factor: osfp, link_speed: 400G, links: 2, legs: 2,\n"
	"     lanes: 8, lane_speed: 100G, reach: 3m, price_usd: 150, source: test}\n"
	"fibres:\n"
	"  - {id: fib, medium: smf, connector: MPO, price_usd: 20, source: test}\n";

/* ------------------------------------------------------------ invariants */

typedef struct inv_stats { int plans, tiers3, planes2, staged, breakouts, partial, dual, cpo, stuck; } inv_stats;

static void check_invariants(const lf_plan *pl, const char *label)
{
	const lf_spec *sp = pl->spec;
	/* ports: each used once, within the node */
	size_t nports = 0;
	size_t *base = calloc(pl->n_nodes + 1, sizeof *base);
	assert_non_null(base);
	for (size_t i = 0; i < pl->n_nodes; i++) {
		base[i] = nports;
		nports += pl->nodes[i].n_ports;
	}
	unsigned char *used = calloc(nports + 1, 1);
	assert_non_null(used);
	uint64_t ports_used = 0;
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
		if (l->a_port >= a->n_ports || l->b_port >= b->n_ports)
			fail_msg("%s: link %zu uses a port beyond its node", label, i);
		if (used[base[l->a] + l->a_port] || used[base[l->b] + l->b_port])
			fail_msg("%s: link %zu reuses a port", label, i);
		used[base[l->a] + l->a_port] = used[base[l->b] + l->b_port] = 1;
		if (b->tier != a->tier + 1 && !(a->tier == 0 && b->tier == 1))
			fail_msg("%s: link %zu joins tiers %d and %d", label, i, a->tier, b->tier);
		if (a->kind == LF_NODE_SWITCH && a->plane != b->plane)
			fail_msg("%s: link %zu crosses planes", label, i);
	}
	for (size_t i = 0; i < pl->n_nodes; i++) {
		const lf_node *n = &pl->nodes[i];
		ports_used += n->ports_used;
		if (n->kind == LF_NODE_SWITCH) {
			int ti = n->tier - 1 < sp->n_tier_specs ? n->tier - 1 : sp->n_tier_specs - 1;
			if ((int)n->n_cages > sp->tier[ti].sw->cages)
				fail_msg("%s: switch %zu uses %u cages of %d", label, i, n->n_cages,
				         sp->tier[ti].sw->cages);
		} else if ((int)n->n_cages > sp->server->cages) {
			fail_msg("%s: server %zu uses %u cages", label, i, n->n_cages);
		}
		assert_true(n->ports_used <= n->n_ports);
	}
	assert_int_equal(ports_used, 2 * pl->n_links);
	free(used);
	free(base);

	/* bandwidth ratio per tier */
	for (size_t i = 0; i < pl->n_tier_results; i++) {
		const lf_tier_result *t = &pl->tier_results[i];
		if (t->tier == pl->tiers)
			continue;
		double want = sp->tier[t->tier - 1 < sp->n_tier_specs ? t->tier - 1
		                                                      : sp->n_tier_specs - 1]
		                      .oversubscription;
		double down = (double)t->ports_down * t->link_gbps;
		double up = (double)t->ports_up * t->up_link_gbps;
		if (down / up > want + 1e-9)
			fail_msg("%s: tier %d ratio %g exceeds %g", label, t->tier, down / up, want);
		/* uplinks stripe evenly over the upper switches a node reaches: the
		 * smallest count is a multiple of those (1 for whole pods, whose
		 * counts divide; a partial only pod's spines may round up) */
		uint32_t step = 1;
		for (size_t q = 0; q < pl->n_links && pl->pods == 1 && t->tier == 2 && pl->tiers == 3;
		     q++) {
			const lf_link *l = &pl->links[q];
			if (l->level != 3 || l->plane != t->plane)
				continue;
			uint32_t far = 0;
			for (size_t r = q; r < pl->n_links && pl->links[r].a == l->a; r++) {
				bool seen = false;
				for (size_t u = q; u < r && !seen; u++)
					seen = pl->links[u].b == pl->links[r].b;
				far += !seen;
			}
			step = far;
			break;
		}
		if (t->ports_up > step && down / (up - step * t->up_link_gbps) <= want + 1e-9)
			fail_msg("%s: tier %d has more uplinks than %g:1 needs", label, t->tier, want);
		double exact = down / want / t->up_link_gbps;
		if (exact == (double)(uint64_t)exact && (uint64_t)exact % step == 0)
			assert_true(fabs(t->oversubscription - want) < 1e-9);
		/* links_up of this tier = links_down of the next */
		assert_int_equal(t->links_up, pl->tier_results[i + (size_t)pl->planes].links_down);
	}

	/* striping: a leaf's uplinks split evenly over the spines of its pod, a
	 * spine's over the cores of its group */
	uint32_t *cnt = calloc(pl->n_nodes, sizeof *cnt);
	assert_non_null(cnt);
	/* spines per pod and the first spine index of each pod (a partial last
	 * pod may have fewer: its spines are sized by its own leaves) */
	uint32_t *pod_n = calloc((size_t)pl->pods + 1, sizeof *pod_n);
	uint32_t *pod_first = calloc((size_t)pl->pods + 1, sizeof *pod_first);
	assert_true(pod_n && pod_first);
	for (size_t n = 0; n < pl->n_nodes && pl->tiers == 3; n++) {
		const lf_node *x = &pl->nodes[n];
		if (x->kind != LF_NODE_SWITCH || x->tier != 2 || x->plane != 0)
			continue;
		assert_true(x->group < (uint32_t)pl->pods);
		if (!pod_n[x->group]++)
			pod_first[x->group] = x->index;
	}
	size_t i = 0;
	while (i < pl->n_links) {
		const lf_link *l = &pl->links[i];
		if (l->level < 2) {
			i++;
			continue;
		}
		size_t j = i;
		while (j < pl->n_links && pl->links[j].a == l->a)
			cnt[pl->links[j++].b]++;
		uint32_t m = 0, far = 0;
		for (size_t k = i; k < j; k++) {
			uint32_t c = cnt[pl->links[k].b];
			if (!c)
				continue;
			if (m && c != m)
				fail_msg("%s: node %u stripes unevenly (%u vs %u links)", label, l->a, c, m);
			m = c;
			cnt[pl->links[k].b] = 0;
			far++;
		}
		/* every spine of the pod (or core of the group) is reached */
		uint32_t want_far = 0;
		for (size_t n = 0; n < pl->n_nodes; n++) {
			const lf_node *x = &pl->nodes[n], *me = &pl->nodes[l->a];
			if (x->kind != LF_NODE_SWITCH || x->tier != me->tier + 1 || x->plane != me->plane)
				continue;
			if (me->tier == 1 && pl->tiers == 3 &&
			    x->group != (uint32_t)(me->group / (uint32_t)pl->pod_sus))
				continue;
			if (me->tier == 2 && x->group % pod_n[me->group] != me->index - pod_first[me->group])
				continue;
			want_far++;
		}
		if (far != want_far)
			fail_msg("%s: node %u reaches %u of %u upper switches", label, l->a, far, want_far);
		i = j;
	}
	free(cnt);
	free(pod_n);
	free(pod_first);

	/* stage increments add up to the whole */
	if (pl->n_stages) {
		uint64_t links = 0;
		for (size_t s = 0; s < pl->n_stages; s++)
			links += pl->stages[s].delta.links;
		assert_int_equal(links, pl->bom.links);
		for (size_t k = 0; k < pl->bom.n_lines; k++) {
			const lf_bom_line *bl = &pl->bom.lines[k];
			uint64_t sum = 0;
			for (size_t s = 0; s < pl->n_stages; s++)
				sum += bom_count(&pl->stages[s].delta, bl->cat, bl->sku, bl->end);
			if (sum != bl->count)
				fail_msg("%s: stages add %llu of %s, total %llu", label,
				         (unsigned long long)sum, bl->sku, (unsigned long long)bl->count);
		}
		const lf_bom *last = &pl->stages[pl->n_stages - 1].bom;
		assert_int_equal(last->modules, pl->bom.modules);
		assert_true(fabs(last->capex_usd - pl->bom.capex_usd) < 1e-6 * (1 + pl->bom.capex_usd));
	}
	/* BOM bookkeeping */
	assert_int_equal(pl->bom.links, pl->n_links);
	/* modules: one per used cage at each end, none at a co-packaged port;
	 * laser sources: laser_sources per co-packaged switch */
	uint64_t sw_end = 0, srv_end = 0, els = 0, els_lines = 0, lasers = 0;
	for (int lv = 1; lv <= pl->tiers; lv++) {
		const lf_media *m = &pl->media[lv];
		if (m->cable || !m->lower)
			continue;
		if (!m->lower->co_packaged)
			*(lv == 1 ? &srv_end : &sw_end) += pl->bom.cages_lower[lv];
		if (!m->upper->co_packaged)
			sw_end += pl->bom.cages_upper[lv];
		assert_true(!m->upper->co_packaged || m->upper == sp->tier[lv - 1].sw->cpo_port);
	}
	for (size_t q = 0; q < pl->n_nodes; q++) {
		const lf_node *n = &pl->nodes[q];
		if (n->kind != LF_NODE_SWITCH)
			continue;
		const lf_switch *s = sp->tier[n->tier - 1 < sp->n_tier_specs ? n->tier - 1
		                                                               : sp->n_tier_specs - 1].sw;
		els += s->cpo_port ? (uint64_t)s->els_per_switch : 0;
	}
	for (size_t k = 0; k < pl->bom.n_lines; k++) {
		const lf_bom_line *bl = &pl->bom.lines[k];
		els_lines += bl->cat == LF_BOM_LASER_SOURCE ? bl->count : 0;
		lasers += bl->count * (uint64_t)bl->unit_lasers;
	}
	assert_int_equal(pl->bom.modules_switch_end, sw_end);
	assert_int_equal(pl->bom.modules_server_end, srv_end);
	assert_int_equal(els_lines, els);
	assert_int_equal(pl->bom.lasers, lasers);
	assert_int_equal(pl->bom.modules, pl->bom.modules_switch_end + pl->bom.modules_server_end);
}

static void test_generated_invariants(void **state)
{
	(void)state;
	static const char *const servers[] = { "s8x400", "s8x800", "s4x400" };
	static const char *const sws[] = { "sw16", "sw32", "sw64" };
	static const char *const ratios[] = { "1:1", "2:1", "3:1", "5:1", "7:1" };
	static const int counts[] = { 1, 37, 300, 1500 };
	inv_stats st = { 0 };
	int tried = 0;
	for (size_t sv = 0; sv < 3; sv++)
	for (size_t sw = 0; sw < 3; sw++)
	for (int tiers = 2; tiers <= 3; tiers++)
	for (int planes = 1; planes <= 2; planes++)
	for (size_t r = 0; r < 5; r++)
	for (size_t c = 0; c < 4; c++)
	for (int up800 = 0; up800 <= 1; up800++)
	for (int kind = 0; kind <= 1; kind++) {
		char spec[2048];
		int n = counts[c];
		int staged = (c + r) % 2;
		snprintf(spec, sizeof spec,
		         "name: gen\n"
		         "cluster: {server: %s, servers: %d}\n"
		         "fabric:\n"
		         "  kind: %s\n"
		         "  tier_count: %d\n"
		         "  planes: %d\n"
		         "  dual_homed: %s\n"
		         "  tiers:\n"
		         "    - {switch: %s, oversubscription: \"%s\", distance: 100m}\n"
		         "    - {switch: %s, oversubscription: \"%s\", distance: 100m%s}\n"
		         "    - {switch: %s, distance: 100m}\n"
		         "%s%d%s%d%s%d%s",
		         servers[sv], n, kind ? "fat-tree" : "rail-optimized", tiers, planes,
		         (r + c + (size_t)kind) % 3 == 0 ? "true" : "false", sws[sw],
		         ratios[r], sws[sw], ratios[(r + c) % 2 ? 0 : 2], up800 ? ", link_speed: 800G" : "",
		         sws[sw],
		         staged ? "stages:\n  - {name: a, need_by: 2026-01, servers: " : "#",
		         n / 3 ? n / 3 : 1,
		         staged ? "}\n  - {name: b, need_by: 2026-06, servers: " : "\n#",
		         (2 * n) / 3 > n / 3 ? (2 * n) / 3 : n,
		         staged ? "}\n  - {name: c, need_by: 2026-09, servers: " : "\n#", n,
		         staged ? "}\n" : "\n");
		if (staged && (n / 3 ? n / 3 : 1) >= ((2 * n) / 3 > n / 3 ? (2 * n) / 3 : n))
			continue;   /* too few servers for three stages */
		if (staged && ((2 * n) / 3 > n / 3 ? (2 * n) / 3 : n) >= n)
			continue;
		tried++;
		tplan t = tplan_make(test_catalog, 0, spec);
		if (t.st != LF_OK) {
			/* only "does not fit" and unsupported-speed answers are acceptable */
			if (t.st != LF_EINPUT ||
			    (!strstr(t.err.msg, "do not fit") && !strstr(t.err.msg, "cannot run") &&
			     !strstr(t.err.msg, "cannot serve") && !strstr(t.err.msg, "fewer than") &&
			     !strstr(t.err.msg, "cannot be split") && !strstr(t.err.msg, "no catalog medium")))
				fail_msg("unexpected error %s:%d:%d: %s\n%s", t.err.file, t.err.line, t.err.col,
				         t.err.msg, spec);
			tplan_free(&t);
			continue;
		}
		char label[256];
		snprintf(label, sizeof label, "%s/%s/%dT/%dP/%s/%d/%s/%s", servers[sv], sws[sw], tiers,
		         planes, ratios[r], n, up800 ? "800up" : "same", kind ? "ft" : "rail");
		check_invariants(t.plan, label);
		st.plans++;
		st.tiers3 += t.plan->tiers == 3;
		st.planes2 += t.plan->planes == 2;
		st.staged += t.plan->n_stages > 0;
		st.partial += strstr(t.plan->notes, "sized by its own leaves") != NULL;
		st.stuck += strstr(t.plan->notes, "keeps a full pod's") != NULL;
		st.dual += t.plan->spec->dual_homed;
		st.breakouts += t.plan->media[1].lower_ppc != t.plan->media[1].upper_ppc ||
		                t.plan->media[2].lower_ppc != t.plan->media[2].upper_ppc;
		tplan_free(&t);
	}
	/* co-packaged switches at some tiers: 400G links only (the CPO port
	 * speed), so the 4 x 400G servers and 400G uplinks */
	static const char *const mix[][3] = { { "swcpo", "swcpo", "swcpo" }, { "sw32", "swcpo", "swcpo" },
	                                     { "swcpo", "sw32", "swcpo" }, { "swcpo", "swcpo", "sw64" } };
	for (size_t x = 0; x < sizeof mix / sizeof mix[0]; x++)
	for (int tiers = 2; tiers <= 3; tiers++)
	for (size_t sv = 0; sv < 2; sv++)
	for (size_t r = 0; r < 3; r++)
	for (size_t c = 0; c < 4; c++) {
		static const char *const srv[] = { "s4x400", "s8x400" };
		char spec[1024];
		int n = counts[c];
		snprintf(spec, sizeof spec,
		         "cluster: {server: %s, servers: %d%s}\n"
		         "fabric: {kind: %s, tier_count: %d, tiers: [{switch: %s, oversubscription: \"%s\","
		         " distance: 50m}, {switch: %s, distance: 100m}, {switch: %s, distance: 200m}]}\n",
		         srv[sv], n, c == 2 && r == 0 && sv == 0 ? ", su_size: 6" : "", r == 1 ? "fat-tree" : "rail-optimized",
		         tiers, mix[x][0], ratios[r], mix[x][1], mix[x][2]);
		tried++;
		tplan t = tplan_make(test_catalog, 0, spec);
		if (t.st != LF_OK) {
			if (t.st != LF_EINPUT ||
			    (!strstr(t.err.msg, "do not fit") && !strstr(t.err.msg, "cannot run") &&
			     !strstr(t.err.msg, "cannot be split") && !strstr(t.err.msg, "fewer than")))
				fail_msg("unexpected error %s:%d:%d: %s\n%s", t.err.file, t.err.line, t.err.col,
				         t.err.msg, spec);
			tplan_free(&t);
			continue;
		}
		char label[256];
		snprintf(label, sizeof label, "cpo/%s/%s/%s/%dT/%s/%d", mix[x][0], mix[x][1], mix[x][2],
		         tiers, ratios[r], n);
		check_invariants(t.plan, label);
		st.plans++;
		st.cpo++;
		st.partial += strstr(t.plan->notes, "sized by its own leaves") != NULL;
		tplan_free(&t);
	}
	/* NIC ports over two cages: planes x homes must be a multiple of 2 */
	int multicage = 0;
	for (size_t sv = 0; sv < 2; sv++)
	for (int tiers = 2; tiers <= 3; tiers++)
	for (int planes = 1; planes <= 2; planes++)
	for (int dual = 0; dual <= 1; dual++)
	for (size_t r = 0; r < 3; r++)
	for (size_t c = 0; c < 4; c++) {
		static const char *const srv[] = { "s8x400c2", "s4x800c2" };
		char spec[1024];
		snprintf(spec, sizeof spec,
		         "cluster: {server: %s, servers: %d}\n"
		         "fabric: {kind: %s, tier_count: %d, planes: %d, dual_homed: %s, tiers: [{switch:"
		         " sw32, oversubscription: \"%s\", distance: 50m}, {switch: sw64, distance: 100m},"
		         " {switch: sw64, distance: 200m}]}\n",
		         srv[sv], counts[c], r == 1 ? "fat-tree" : "rail-optimized", tiers, planes,
		         dual ? "true" : "false", ratios[r]);
		tried++;
		tplan t = tplan_make(test_catalog, 0, spec);
		if (t.st != LF_OK) {
			int odd = planes * (dual + 1) % 2 != 0;
			if (t.st != LF_EINPUT ||
			    (odd ? !strstr(t.err.msg, "spans 2 cages")
			         : !strstr(t.err.msg, "do not fit") && !strstr(t.err.msg, "cannot run") &&
			           !strstr(t.err.msg, "fewer than") && !strstr(t.err.msg, "cannot serve")))
				fail_msg("unexpected error %s:%d:%d: %s\n%s", t.err.file, t.err.line, t.err.col,
				         t.err.msg, spec);
			tplan_free(&t);
			continue;
		}
		assert_true(planes * (dual + 1) % 2 == 0);
		char label[256];
		snprintf(label, sizeof label, "multicage/%s/%dT/%dP/%s/%s/%d", srv[sv], tiers, planes,
		         dual ? "dual" : "single", ratios[r], counts[c]);
		check_invariants(t.plan, label);
		/* one module per cage, one link per cage: a port's links in two cages */
		assert_int_equal(t.plan->media[1].lower_ppc, planes * (dual + 1) / 2);
		st.plans++;
		st.dual += dual;
		multicage++;
		tplan_free(&t);
	}
	print_message("generated: %d tried, %d planned (%d 3-tier, %d 2-plane, %d staged, "
	              "%d with breakouts, %d with a partial last pod, %d dual-homed, %d with "
	              "co-packaged switches; %d short last pods keep full-pod spines)\n", tried,
	              st.plans, st.tiers3, st.planes2, st.staged, st.breakouts, st.partial, st.dual,
	              st.cpo, st.stuck);
	/* the sweep must exercise every feature, or it proves nothing */
	assert_true(st.plans >= 300);
	assert_true(st.tiers3 >= 50);
	assert_true(st.planes2 >= 50);
	assert_true(st.staged >= 50);
	assert_true(st.breakouts >= 50);
	assert_true(st.partial >= 50);
	assert_true(st.dual >= 50);
	assert_true(st.cpo >= 40);
	assert_true(multicage >= 40);
}

/* ---------------------------------------------------------- closed forms */

static const lf_tier_result *tier(const lf_plan *pl, int t, int plane)
{
	return &pl->tier_results[(size_t)((t - 1) * pl->planes + plane)];
}

static void test_fat_tree_k64(void **state)
{
	(void)state;
	/* sw32 at 400G: k = 64 ports.  3 tiers hold k^3/4 = 65,536 ports =
	 * 8,192 servers of 8 ports. */
	tplan t = tplan_make(test_catalog, 0,
	                     "cluster: {server: s8x400, servers: 8192}\n"
	                     "fabric: {kind: fat-tree, tier_count: 3, tiers: [{switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	const int k = 64;
	assert_int_equal(tier(t.plan, 1, 0)->switches, k * k / 2);
	assert_int_equal(tier(t.plan, 2, 0)->switches, k * k / 2);
	assert_int_equal(tier(t.plan, 3, 0)->switches, k * k / 4);
	assert_int_equal(t.plan->pods, k);
	assert_int_equal(t.plan->n_links, 3 * k * k * k / 4);
	for (int i = 1; i <= 3; i++)
		assert_true(fabs(tier(t.plan, i, 0)->oversubscription - 1.0) < 1e-12);
	check_invariants(t.plan, "k64");
	tplan_free(&t);

	/* one more server does not fit 3 tiers of k = 64 */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x400, servers: 8193}\n"
	               "fabric: {kind: fat-tree, tier_count: 3, tiers: [{switch: sw32, distance: 100m}]}\n");
	assert_int_equal(t.st, LF_EINPUT);
	assert_non_null(strstr(t.err.msg, "3 tiers do not fit"));
	tplan_free(&t);

	/* 2 tiers: k^2/2 = 2,048 ports = 256 servers; 64 leaves, 32 spines */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x400, servers: 256}\n"
	               "fabric: {kind: fat-tree, tier_count: auto, tiers: [{switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(t.plan->tiers, 2);
	assert_int_equal(tier(t.plan, 1, 0)->switches, k);
	assert_int_equal(tier(t.plan, 2, 0)->switches, k / 2);
	tplan_free(&t);
	/* auto: one server more needs a third tier */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x400, servers: 257}\n"
	               "fabric: {kind: fat-tree, tier_count: auto, tiers: [{switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(t.plan->tiers, 3);
	tplan_free(&t);
}

static void test_oversubscription_3_to_1(void **state)
{
	(void)state;
	/* 64 ports at 3:1: 48 down, 16 up; SU of 48 servers, rail-optimized */
	tplan t = tplan_make(test_catalog, 0,
	                     "cluster: {server: s8x400, servers: 96}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw32, oversubscription: 3:1,"
	                     " distance: 100m}, {switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	const lf_tier_result *leaf = tier(t.plan, 1, 0);
	assert_int_equal(t.plan->su_servers, 48);
	assert_int_equal(leaf->ports_down, 48);
	assert_int_equal(leaf->ports_up, 16);
	assert_int_equal(leaf->switches, 16);
	assert_true(fabs(leaf->oversubscription - 3.0) < 1e-12);
	/* 16 leaves x 16 uplinks = 256 = 4 spines of 64 */
	assert_int_equal(tier(t.plan, 2, 0)->switches, 4);
	check_invariants(t.plan, "3:1");
	tplan_free(&t);
}

static void test_breakout_and_planes(void **state)
{
	(void)state;
	/* 800G server ports as 2 planes of 400G: the server cage (800G) holds a
	 * twin-port 2x400G module whose links go to different planes; leaves
	 * run 400G down and 800G up (ppc 2 down, 1 up). */
	tplan t = tplan_make(test_catalog, 0,
	                     "cluster: {server: s8x800, servers: 64}\n"
	                     "fabric: {planes: 2, tier_count: 2, tiers: [{switch: sw32, distance: 100m},"
	                     " {switch: sw32, link_speed: 800G, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(t.plan->planes, 2);
	assert_int_equal(t.plan->media[1].lower_ppc, 2);
	assert_int_equal(t.plan->media[1].upper_ppc, 2);
	assert_string_equal(t.plan->media[1].lower->id, "t2x400");
	assert_int_equal(t.plan->media[2].lower_ppc, 1);
	assert_string_equal(t.plan->media[2].lower->id, "t1x800");
	/* 64 servers x 8 ports x 2 planes = 1,024 links at 400G */
	assert_int_equal(t.plan->bom.links_level[1], 1024);
	/* leaf: 32 down at 400G (16 cages) and 16 up at 800G (16 cages) */
	assert_int_equal(tier(t.plan, 1, 1)->ports_down, 32);
	assert_int_equal(tier(t.plan, 1, 1)->ports_up, 16);
	assert_int_equal(tier(t.plan, 1, 1)->up_link_gbps, 800);
	/* server-end modules: one per cage = 8 per server */
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "t2x400", LF_END_SERVER), 512);
	check_invariants(t.plan, "planes");
	tplan_free(&t);
}

/* Dual-homed (Alibaba HPN, SIGCOMM 2024: each NIC's two ports on two ToRs):
 * 64 servers of 8 x 400G ports, each port as 2 x 200G to the two leaves of
 * its rail's pair.  sw32 runs 128 x 200G, 64 down at 1:1, so one SU of 64
 * servers has 8 rails x 2 = 16 leaves, each with 64 servers below; 64 x 8 x 2
 * = 1,024 server-leaf links, and no port reaches one leaf twice. */
static void test_dual_homed(void **state)
{
	(void)state;
	tplan t = tplan_make(test_catalog, 0,
	                     "cluster: {server: s8x400, servers: 64}\n"
	                     "fabric: {dual_homed: true, tier_count: 2, tiers: [{switch: sw32,"
	                     " distance: 100m}, {switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_int_equal(pl->su_servers, 64);
	assert_int_equal(pl->leaves_per_su, 16);
	assert_int_equal(tier(pl, 1, 0)->switches, 16);
	assert_int_equal(tier(pl, 1, 0)->link_gbps, 200);
	assert_int_equal(tier(pl, 1, 0)->ports_down, 64);
	assert_int_equal(pl->bom.links_level[1], 1024);
	/* every port's two links reach two different leaves */
	for (size_t i = 0; i + 1 < pl->n_links; i += 2) {
		const lf_link *a = &pl->links[i], *b = &pl->links[i + 1];
		if (a->level != 1)
			break;
		assert_int_equal(a->a, b->a);
		assert_true(a->b != b->b);
		assert_int_equal(pl->nodes[a->b].index / 2, pl->nodes[b->b].index / 2);
	}
	/* an 800G server cage holds 2 ports = 4 links to 4 different leaves */
	assert_int_equal(pl->media[1].lower_ppc, 4);
	check_invariants(pl, "dual-homed");
	tplan_free(&t);

	/* HPN as built: each 400G NIC port in two 200G cages, one per ToR.  The
	 * same 16 leaves and 1,024 links; 16 cages per server, each one link
	 * and one 200G module: 64 x 16 = 1,024 server modules, and the two
	 * links of a port leave from two different cages. */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x400c2, servers: 64}\n"
	               "fabric: {dual_homed: true, tier_count: 2, tiers: [{switch: sw32,"
	               " distance: 100m}, {switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	pl = t.plan;
	assert_int_equal(tier(pl, 1, 0)->switches, 16);
	assert_int_equal(pl->bom.links_level[1], 1024);
	assert_int_equal(pl->media[1].lower_ppc, 1);
	assert_string_equal(pl->media[1].lower->id, "t1x200");
	assert_int_equal(pl->bom.modules_server_end, 64 * 16);
	for (size_t i = 0; i + 1 < pl->n_links && pl->links[i].level == 1; i += 2) {
		const lf_link *a = &pl->links[i], *b = &pl->links[i + 1];
		const lf_node *s = &pl->nodes[a->a];
		assert_true(lf_node_cage(s, a->a_port) != lf_node_cage(s, b->a_port));
		assert_true(a->b != b->b);
	}
	check_invariants(pl, "dual-homed-two-cages");
	tplan_free(&t);

	/* dual-homed with 2 planes: each 800G port as 4 x 200G, one to each
	 * leaf of its pair in each plane: 16 leaves per plane, 32 in all, and
	 * 64 x 8 x 4 = 2,048 server links; a plane's two homes of a port are
	 * different leaves of that plane */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x800, servers: 64}\n"
	               "fabric: {dual_homed: true, planes: 2, tier_count: 2, tiers: [{switch: sw64,"
	               " distance: 100m}, {switch: sw64, distance: 100m}]}\n");
	if (t.st == LF_OK) {
		pl = t.plan;
		assert_int_equal(pl->planes, 2);
		assert_int_equal(tier(pl, 1, 0)->switches + tier(pl, 1, 1)->switches, 32);
		assert_int_equal(pl->bom.links_level[1], 64 * 8 * 4);
		for (size_t i = 0; i + 1 < pl->n_links && pl->links[i].level == 1; i += 2) {
			const lf_link *a = &pl->links[i], *b = &pl->links[i + 1];
			assert_int_equal(a->plane, b->plane);
			assert_true(a->b != b->b);
			assert_int_equal(pl->nodes[a->b].plane, a->plane);
			assert_int_equal(pl->nodes[a->b].index / 2, pl->nodes[b->b].index / 2);
		}
		check_invariants(pl, "dual-homed-2-planes");
	} else {
		fail_msg("dual-homed, 2 planes: %s", t.err.msg);
	}
	tplan_free(&t);
}

/* NVIDIA DGX SuperPOD B300 XDR RA (scalable-infrastructure-b300-xdr, [P] as
 * summarised in shared/reference/layout-cabling.md): an SU of 72 DGX B300
 * on Quantum-X800 Q3400 has 8 leaves and 4 spines, 576 + 576 links
 * (ConnectX-8 in its 1 x 800G XDR mode).  And the NVL72 examples: 9,216
 * GPUs (128 racks of 18 trays, the GB200 SuperPOD's largest size), one link
 * per GPU at each non-blocking tier. */
static void test_b300_xdr_and_nvl72(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-b300, servers: 72, su_size: 72}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: q3400, distance: 30m},"
	                     " {switch: q3400, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(tier(t.plan, 1, 0)->switches, 8);
	assert_int_equal(tier(t.plan, 2, 0)->switches, 4);
	assert_int_equal(t.plan->bom.links_level[1], 576);
	assert_int_equal(t.plan->bom.links_level[2], 576);
	assert_int_equal(tier(t.plan, 1, 0)->link_gbps, 800);
	tplan_free(&t);

	static const char *const files[] = { "examples/gb200-nvl72-superpod.yaml",
	                                     "examples/gb300-nvl72-xdr.yaml" };
	static const int gbps[] = { 400, 800 };
	for (int k = 0; k < 2; k++) {
		lf_catalog *cat = NULL;
		lf_spec *spec = NULL;
		lf_plan *pl = NULL;
		lf_error err;
		memset(&err, 0, sizeof err);
		lf_status st = lf_load_plan(&(lf_load_opts){ .default_catalog = LF_DATADIR,
	                                                 .spec_path = files[k] }, &cat, &spec, &pl, &err);
		if (st != LF_OK)
			fail_msg("%s: %s", files[k], err.msg);
		assert_int_equal(pl->gpus, 9216);
		assert_int_equal(pl->servers, 2304);            /* 128 racks x 18 trays */
		for (int lv = 1; lv <= pl->tiers; lv++)
			assert_int_equal(pl->bom.links_level[lv], 9216);
		assert_int_equal(tier(pl, 1, 0)->link_gbps, gbps[k]);
		assert_int_equal(pl->bom.modules_server_end, 9216);   /* one cage per NIC */
		check_invariants(pl, files[k]);
		lf_plan_free(pl);
		lf_spec_free(spec);
		lf_catalog_free(cat);
	}
}

/* docs/json.md is the output contract: every field its tables name (first
 * cell of each row, in backticks) is in the JSON of a staged plan, at the
 * top level, in tiers[0] and in each stage's cumulative / increment BOM. */
static void check_doc_fields(const char *doc, const char *section, json_t *const *objs,
                             size_t n_objs)
{
	const char *p = strstr(doc, section);
	if (!p)
		fail_msg("docs/json.md has no section \"%s\"", section);
	const char *end = strstr(p + strlen(section), "\n#");   /* the next heading */
	int found = 0;
	for (const char *line = p; line && (!end || line < end); line = strchr(line + 1, '\n')) {
		if (strncmp(line, "\n| `", 4) != 0)
			continue;
		const char *cell_end = strchr(line + 2, '|');
		for (const char *q = strchr(line + 1, '`'); q && q < cell_end; q = strchr(q + 1, '`')) {
			const char *r = strchr(q + 1, '`');
			char name[64];
			size_t len = (size_t)(r - q - 1);
			if (len >= sizeof name)
				fail_msg("field name too long in %s", section);
			memcpy(name, q + 1, len);
			name[len] = '\0';
			if (len > 2 && strcmp(name + len - 2, "[]") == 0)
				name[len - 2] = '\0';
			for (size_t k = 0; k < n_objs; k++)
				if (!json_object_get(objs[k], name))
					fail_msg("docs/json.md %s names \"%s\", which the JSON lacks", section, name);
			found++;
			q = r;
		}
	}
	assert_true(found >= 4);
}

static void test_json_contract(void **state)
{
	(void)state;
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *pl = NULL;
	lf_error err;
	memset(&err, 0, sizeof err);
	if (lf_load_plan(&(lf_load_opts){ .default_catalog = LF_DATADIR,
	                                                 .spec_path = "examples/b300-q3400-staged.yaml" }, &cat, &spec, &pl,
	                       &err) != LF_OK)
		fail_msg("%s", err.msg);
	char *out = NULL;
	assert_int_equal(lf_plan_render(pl, LF_FMT_JSON, &out, &err), LF_OK);
	json_error_t je;
	json_t *root = json_loads(out, 0, &je);
	assert_non_null(root);
	FILE *f = fopen("docs/json.md", "r");
	assert_non_null(f);
	static char doc[65536];
	size_t n = fread(doc, 1, sizeof doc - 1, f);
	fclose(f);
	doc[n] = '\0';
	json_t *stage = json_array_get(json_object_get(root, "stages"), 0);
	assert_non_null(stage);
	json_t *top[] = { root };
	json_t *tier0[] = { json_array_get(json_object_get(root, "tiers"), 0) };
	json_t *boms[] = { root, json_object_get(stage, "cumulative"),
	                   json_object_get(stage, "increment") };
	check_doc_fields(doc, "## Top level", top, 1);
	check_doc_fields(doc, "### `tiers[]`", tier0, 1);
	check_doc_fields(doc, "## BOM fields", boms, 3);
	assert_null(json_object_get(root, "layout"));   /* no floor, no layout */
	json_decref(root);
	free(out);
	lf_plan_free(pl);
	lf_spec_free(spec);
	lf_catalog_free(cat);

	/* a plan on a floor: its layout object, a rack, a device */
	if (lf_load_plan(&(lf_load_opts){ .default_catalog = LF_DATADIR,
	                                  .spec_path = "examples/dgx-h100-4su-layout.yaml" },
	                 &cat, &spec, &pl, &err) != LF_OK)
		fail_msg("%s", err.msg);
	assert_int_equal(lf_plan_render(pl, LF_FMT_JSON, &out, &err), LF_OK);
	root = json_loads(out, 0, &je);
	assert_non_null(root);
	json_t *ly = json_object_get(root, "layout");
	assert_non_null(ly);
	json_t *lyo[] = { ly };
	json_t *rack0[] = { json_array_get(json_object_get(ly, "racks"), 0) };
	json_t *dev0[] = { json_array_get(json_object_get(ly, "devices"), 0) };
	check_doc_fields(doc, "## `layout`", lyo, 1);
	check_doc_fields(doc, "### `layout.racks[]`", rack0, 1);
	check_doc_fields(doc, "### `layout.devices[]`", dev0, 1);
	/* 37 racks; 128 server slots + 32 leaves + 16 spines placed */
	assert_int_equal(json_array_size(json_object_get(ly, "racks")), 37);
	assert_int_equal(json_array_size(json_object_get(ly, "devices")), 128 + 32 + 16);
	json_t *line = json_array_get(json_object_get(root, "bom"), 3);
	assert_string_equal(json_string_value(json_object_get(line, "category")), "fibre");
	assert_true(json_real_value(json_object_get(line, "length_m")) == 5.0);
	json_decref(root);
	free(out);
	lf_plan_free(pl);
	lf_spec_free(spec);
	lf_catalog_free(cat);
}

/* Co-packaged optics: the B300 XDR SU (72 DGX B300, ConnectX-8 as 1 x 800G
 * XDR) on Quantum-X Photonics Q3450-LD instead of the Q3400.  The switch
 * counts are the RA's (8 leaves, 4 spines, 576 + 576 links: 144 ports of
 * 800G per switch, as the Q3400's 72 twin cages).  No module at any switch
 * port; one 800G DR4 module per server port (576); fibre only between
 * switches (8 strands per DR4 link: 1,152 x 8 = 9,216); 18 external laser
 * source modules of 8 CW lasers per switch ([S] Lambda/NVIDIA; 8 derived
 * from 1 laser per 800G port): 12 x 18 = 216, 1,728 lasers.  Power: the
 * engines, 3.5 W per 800G port ([S] 7 W per 1.6T), in each switch line:
 * 12 x (3,000 + 144 x 3.5) = 42,048 W; ELS 216 x 8 W = 1,728 W, i.e. 4.5 W
 * per 800G switch port against 12 W for half a 24 W 1.6T twin-port module
 * of the Q3400 plan. */
static void test_cpo(void **state)
{
	(void)state;
	static const char *const spec =
		"cluster: {server: dgx-b300, servers: 72, su_size: 72}\n"
		"fabric: {tier_count: 2, tiers: [{switch: %s, distance: 30m}, {switch: %s,"
		" distance: 100m}]}\n";
	char buf[512];
	snprintf(buf, sizeof buf, spec, "q3450-ld", "q3450-ld");
	tplan t = tplan_make(NULL, 1, buf);
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_int_equal(tier(pl, 1, 0)->switches, 8);
	assert_int_equal(tier(pl, 2, 0)->switches, 4);
	assert_int_equal(pl->bom.links_level[1], 576);
	assert_int_equal(pl->bom.links_level[2], 576);
	assert_int_equal(pl->bom.modules_switch_end, 0);
	assert_int_equal(pl->bom.modules_server_end, 576);
	assert_int_equal(pl->bom.fibres, 1152 * 8);
	assert_true(pl->media[1].upper->co_packaged && !pl->media[1].lower->co_packaged);
	assert_true(pl->media[2].lower->co_packaged && pl->media[2].upper->co_packaged);
	assert_null(pl->media[2].cable);
	assert_string_equal(pl->media[2].fibre->id, "MPO12APC-SMF");
	assert_int_equal(bom_count(&pl->bom, LF_BOM_LASER_SOURCE, "NVIDIA-ELS-8CW", LF_END_SWITCH), 216);
	assert_int_equal(pl->bom.els_level[1], 8 * 18);
	assert_int_equal(pl->bom.els_level[2], 4 * 18);
	uint64_t server_lasers = 576 * (uint64_t)pl->media[1].lower->lasers;
	assert_int_equal(pl->bom.lasers, 216 * 8 + server_lasers);
	assert_true(fabs(pl->bom.power_typ_cat_w[LF_BOM_SWITCH] - 12 * (3000 + 144 * 3.5)) < 1e-6);
	assert_true(fabs(pl->bom.power_typ_cat_w[LF_BOM_LASER_SOURCE] - 216 * 8.0) < 1e-6);
	assert_true(fabs(pl->bom.capex_cat_usd[LF_BOM_LASER_SOURCE] - 216 * 1500.0) < 1e-6);
	double cpo_port_w = (12 * 144 * 3.5 + 216 * 8.0) / (12 * 144);
	assert_true(fabs(cpo_port_w - 4.5) < 1e-9);
	check_invariants(pl, "cpo");

	/* the same SU on the Q3400: the same graph, pluggables at every switch port */
	snprintf(buf, sizeof buf, spec, "q3400", "q3400");
	tplan q = tplan_make(NULL, 1, buf);
	assert_lf_ok(q);
	assert_int_equal(q.plan->bom.links, pl->bom.links);
	assert_int_equal(q.plan->bom.modules_switch_end, (576 + 576 + 576) / 2);   /* twin-port */
	double pluggable_port_w = q.plan->media[2].upper->power_typ_w / 2;
	assert_true(cpo_port_w < pluggable_port_w);
	assert_true(pl->bom.power_typ_w < q.plan->bom.power_typ_w);
	assert_true(pl->bom.lasers < q.plan->bom.lasers);
	tplan_free(&q);
	tplan_free(&t);

	/* a CPO leaf under pluggable spines: the leaf's uplink end is its port */
	snprintf(buf, sizeof buf, spec, "q3450-ld", "q3400");
	t = tplan_make(NULL, 1, buf);
	assert_lf_ok(t);
	assert_true(t.plan->media[2].lower->co_packaged && !t.plan->media[2].upper->co_packaged);
	assert_int_equal(t.plan->bom.modules_switch_end, 576 / 2);
	assert_int_equal(t.plan->bom.els_level[1], 8 * 18);
	assert_int_equal(t.plan->bom.els_level[2], 0);
	check_invariants(t.plan, "cpo-leaf");
	tplan_free(&t);
}

/* A partial last pod.  160 DGX H100 in SUs of 32, pods of 4 SUs, 3 tiers of
 * QM9700 (32 down / 32 up at 1:1): pod 1 has 32 leaves, so 32 spines of 32
 * down ports; pod 2 holds one SU, 8 leaves x 32 uplinks = 256 links, which
 * 8 spines of 32 down ports carry.  With the build-out final the last pod
 * gets 8 spines (40 in all), each fully used; with final_servers: 256 it
 * keeps 32 for the SUs to come (64 in all). */
static void test_partial_pod(void **state)
{
	(void)state;
	static const char *const spec =
		"cluster: {server: dgx-h100, servers: 160, su_size: 32%s}\n"
		"fabric: {tier_count: 3, pod_size: 4, tiers: [{switch: qm9700, distance: 30m},"
		" {switch: qm9700, distance: 50m}, {switch: qm9700, distance: 100m}]}\n";
	char buf[512];
	snprintf(buf, sizeof buf, spec, "");
	tplan t = tplan_make(NULL, 1, buf);
	assert_lf_ok(t);
	assert_int_equal(t.plan->pods, 2);
	assert_int_equal(tier(t.plan, 2, 0)->switches, 32 + 8);
	assert_int_equal(tier(t.plan, 2, 0)->links_down, 160 * 8);
	assert_int_equal(tier(t.plan, 2, 0)->links_up, 160 * 8);   /* 1:1, no idle uplinks */
	uint32_t last_pod_spines = 0;
	for (size_t i = 0; i < t.plan->n_nodes; i++) {
		const lf_node *n = &t.plan->nodes[i];
		if (n->kind != LF_NODE_SWITCH || n->tier != 2 || n->group != 1)
			continue;
		last_pod_spines++;
		assert_int_equal(n->ports_used, 64);          /* 32 down + 32 up */
	}
	assert_int_equal(last_pod_spines, 8);
	assert_non_null(strstr(t.plan->notes, "spines are sized by its own leaves (8 per plane, not 32;"));
	check_invariants(t.plan, "partial-pod");
	tplan_free(&t);

	snprintf(buf, sizeof buf, spec, ", final_servers: 256");
	t = tplan_make(NULL, 1, buf);
	assert_lf_ok(t);
	assert_int_equal(tier(t.plan, 2, 0)->switches, 64);
	assert_int_equal(tier(t.plan, 2, 0)->links_up, 2 * 32 * 32);
	check_invariants(t.plan, "partial-pod-final");
	tplan_free(&t);

	/* A last pod of 3 of 4 SUs: 24 leaves x 32 uplinks = 768 need all 32
	 * spines (768 / 32 down ports = 24 -> the divisor 32), each with 24
	 * down ports and so 24 up, not 32 (1:1 kept: 1,792 links down and up,
	 * where full-pod spines had 2,048 up); every core takes 32 from the
	 * full pod and 24 from the last: 56 ports. */
	snprintf(buf, sizeof buf, spec, "");
	memcpy(strstr(buf, "160"), "224", 3);   /* 7 SUs: pods of 4 and 3 */
	t = tplan_make(NULL, 1, buf);
	assert_lf_ok(t);
	assert_int_equal(t.plan->pods, 2);
	assert_int_equal(tier(t.plan, 2, 0)->switches, 64);
	assert_int_equal(tier(t.plan, 2, 0)->links_down, 224 * 8);
	assert_int_equal(tier(t.plan, 2, 0)->links_up, 224 * 8);
	assert_int_equal(tier(t.plan, 3, 0)->switches, 32);
	assert_int_equal(tier(t.plan, 3, 0)->ports_down, 56);
	for (size_t i = 0; i < t.plan->n_nodes; i++) {
		const lf_node *n = &t.plan->nodes[i];
		if (n->kind == LF_NODE_SWITCH && n->tier == 2 && n->group == 1)
			assert_int_equal(n->ports_used, 48);
		if (n->kind == LF_NODE_SWITCH && n->tier == 3)
			assert_int_equal(n->ports_used, 56);
	}
	check_invariants(t.plan, "partial-pod-trimmed");
	tplan_free(&t);

	/* Cores for a partial pod.  72 servers of 8 x 400G on sw16 (32 x 400G:
	 * 16 down, 16 up): SUs of 16, 8 leaves each, 5 SUs; pods of 2 SUs have
	 * 16 spines (16 down, 16 up), so pods of 2, 2 and 1 SU; the last gets
	 * 8 spines (its 8 x 16 = 128 uplinks).  Cores sw20 (40 x 400G): sized
	 * for 3 whole pods, a core group of 2 (3 x 16 / 40 -> 2), 32 cores with
	 * 24 ports each.  With the short pod, spine j of a full pod sends its
	 * 16 uplinks to core j and spine s of the last pod its 16 to cores s and
	 * s + 8, 8 each: 2 x 16 + 8 = 40 ports, so 16 cores, every port used:
	 * 640 spine-core links = 16 x 40. */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x400, servers: 72}\n"
	               "fabric: {tier_count: 3, tiers: [{switch: sw16, distance: 30m}, {switch: sw16,"
	               " distance: 50m}, {switch: sw20, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(t.plan->pods, 3);
	assert_int_equal(tier(t.plan, 2, 0)->switches, 16 + 16 + 8);
	assert_int_equal(tier(t.plan, 3, 0)->switches, 16);
	assert_int_equal(tier(t.plan, 3, 0)->ports_down, 40);
	assert_int_equal(tier(t.plan, 3, 0)->links_down, 640);
	for (size_t i = 0; i < t.plan->n_nodes; i++) {
		const lf_node *n = &t.plan->nodes[i];
		if (n->kind == LF_NODE_SWITCH && n->tier == 3)
			assert_int_equal(n->ports_used, 40);
	}
	check_invariants(t.plan, "partial-pod-cores");
	tplan_free(&t);
}

/* DGX B300 on Spectrum-X (SN5600), two planes, bundled parts only.  NVIDIA's
 * DGX SuperPOD B300 RA (Ethernet, scalable-infrastructure-b300, "1 SU: 16
 * leaf / 8 spine, 512 + 512" cables; shared/reference/layout-cabling.md):
 * a 64-node SU has 16 leaves and 8 spines, and 64 x 8 ConnectX-8 ports x 2
 * planes = 1,024 server-leaf and 1,024 leaf-spine 400G links.  ConnectX-8
 * runs 2 x 400G per port only as Ethernet, so the planner must pick that
 * mode from the switch. */
static void test_b300_spectrum_x(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-b300, servers: 64, su_size: 64}\n"
	                     "fabric: {kind: rail-optimized, planes: 2, tier_count: 2,"
	                     " tiers: [{switch: sn5600, distance: 30m}, {switch: sn5600, distance: 50m}]}\n");
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_int_equal(pl->planes, 2);
	assert_int_equal(tier(pl, 1, 0)->switches + tier(pl, 1, 1)->switches, 16);
	assert_int_equal(tier(pl, 2, 0)->switches + tier(pl, 2, 1)->switches, 8);
	assert_int_equal(pl->bom.links_level[1], 1024);
	assert_int_equal(pl->bom.links_level[2], 1024);
	assert_int_equal(tier(pl, 1, 0)->link_gbps, 400);
	assert_int_equal(tier(pl, 2, 0)->link_gbps, 400);
	/* every part runs Ethernet: the mode the switch runs */
	for (int lv = 1; lv <= 2; lv++) {
		const lf_media *m = &pl->media[lv];
		assert_non_null(m->lower);
		assert_true(m->lower->protocols == 0 || (m->lower->protocols & LF_PROTO_ETH));
		assert_true(m->upper->protocols == 0 || (m->upper->protocols & LF_PROTO_ETH));
	}
	assert_non_null(strstr(pl->media[1].why, "runs eth (nic connectx-8 as 2 x 400G)"));
	/* one twin-port 2 x 400G module per ConnectX-8 cage: 8 per server */
	assert_int_equal(pl->media[1].lower_ppc, 2);
	assert_int_equal(pl->bom.modules_server_end, 64 * 8);
	check_invariants(pl, "b300-spectrum-x");
	tplan_free(&t);
}

static void test_copper_when_shape_fits(void **state)
{
	(void)state;
	/* fat-tree ToR: a server cage's two ports go to the same leaf cage, so
	 * a straight twin DAC fits and is cheapest at 2 m.  Rail-optimized: the
	 * two ports go to different rail leaves, so no straight cable fits. */
	tplan t = tplan_make(test_catalog, 0,
	                     "cluster: {server: s8x400, servers: 16}\n"
	                     "fabric: {kind: fat-tree, tier_count: 2, tiers: [{switch: sw32, distance: 2m},"
	                     " {switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_non_null(t.plan->media[1].cable);
	assert_string_equal(t.plan->media[1].cable->id, "dac2x400");
	assert_int_equal(t.plan->bom.cables, 16 * 4 + t.plan->bom.links_level[2]);
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_CABLE, "dac2x400", LF_END_NONE), 64);
	tplan_free(&t);
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s8x400, servers: 16}\n"
	               "fabric: {kind: rail-optimized, tier_count: 2, tiers: [{switch: sw32, distance: 2m},"
	               " {switch: sw32, distance: 100m}]}\n");
	assert_lf_ok(t);
	assert_null(t.plan->media[1].cable);
	tplan_free(&t);
}

/* ------------------------------------------------ published designs (bundled) */

static const char *const h100_4su =
	"name: superpod-4su\n"
	"cluster: {server: dgx-h100, servers: 127, su_size: 32, spare_slots: %s}\n"
	"fabric:\n"
	"  tier_count: 2\n"
	"  tiers: [{switch: qm9700, distance: 30m}, {switch: qm9700, distance: 50m}]\n"
	"optics: {allow: [MMA4Z00-NS, MMA4Z00-NS-FLT]}\n";

static void test_superpod_1su(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-h100, servers: 32, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: qm9700, distance: 30m},"
	                     " {switch: qm9700, distance: 50m}]}\n"
	                     "optics: {allow: [MMA4Z00-NS, MMA4Z00-NS-FLT]}\n");
	assert_lf_ok(t);
	assert_int_equal(tier(t.plan, 1, 0)->switches, 8);
	assert_int_equal(tier(t.plan, 2, 0)->switches, 4);
	assert_int_equal(t.plan->bom.links_level[1], 256);
	assert_int_equal(t.plan->bom.links_level[2], 256);
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS", LF_END_SWITCH),
	                 384);
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS-FLT", LF_END_SERVER),
	                 128);
	/* 2 x SR4 twin-port VCSEL modules: 8 lasers each, 512 modules */
	assert_int_equal(t.plan->bom.lasers, 512 * 8);
	check_invariants(t.plan, "1su");
	tplan_free(&t);
}

static void test_superpod_4su(void **state)
{
	(void)state;
	char spec[1024];
	snprintf(spec, sizeof spec, h100_4su, "cabled");
	tplan t = tplan_make(NULL, 1, spec);
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_int_equal(pl->gpus, 1016);
	assert_int_equal(tier(pl, 1, 0)->switches, 32);
	assert_int_equal(tier(pl, 2, 0)->switches, 16);
	assert_int_equal(tier(pl, 1, 0)->ports_down, 32);
	assert_int_equal(tier(pl, 1, 0)->ports_up, 32);
	assert_int_equal(tier(pl, 2, 0)->ports_down, 64);
	assert_int_equal(pl->bom.links_level[1], 1024);
	assert_int_equal(pl->bom.links_level[2], 1024);
	assert_int_equal(bom_count(&pl->bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS", LF_END_SWITCH), 1536);
	assert_int_equal(bom_count(&pl->bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS-FLT", LF_END_SERVER), 512);
	/* one MPO cable per link; SR4 uses 8 fibres */
	assert_int_equal(pl->bom.cables, 2048);
	assert_int_equal(pl->bom.fibres, 2048 * 8);
	assert_int_equal(pl->bom.modules, 2048);   /* 1,016 GPUs : 2,048 modules */
	/* each leaf sends 2 links to each of the 16 spines */
	check_invariants(pl, "4su");
	tplan_free(&t);

	/* the spare slot left empty: 1,016 server links, the leaves keep their
	 * (half-used) twin-port modules */
	snprintf(spec, sizeof spec, h100_4su, "empty");
	t = tplan_make(NULL, 1, spec);
	assert_lf_ok(t);
	assert_int_equal(t.plan->bom.links_level[1], 1016);
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS", LF_END_SWITCH),
	                 1536);
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS-FLT", LF_END_SERVER),
	                 508);
	tplan_free(&t);
}

static void test_stages_and_final_buildout(void **state)
{
	(void)state;
	/* deploy 2 of a final 4 SUs in two stages: spines are sized for the
	 * final build-out (16), all deployed with the first stage */
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-h100, servers: 64, final_servers: 128, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: qm9700, distance: 30m},"
	                     " {switch: qm9700, distance: 50m}]}\n"
	                     "optics: {allow: [MMA4Z00-NS, MMA4Z00-NS-FLT]}\n"
	                     "stages:\n"
	                     "  - {name: first, need_by: 2026-03, servers: 32}\n"
	                     "  - {name: second, need_by: 2026-09, gpus: 512}\n");
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_int_equal(tier(pl, 2, 0)->switches, 16);
	assert_int_equal(tier(pl, 1, 0)->switches, 16);
	assert_int_equal(pl->n_stages, 2);
	/* stage 1: 8 leaves + 16 spines, 256 + 256 links */
	assert_int_equal(pl->stages[0].bom.switches, 24);
	assert_int_equal(pl->stages[0].bom.links, 512);
	/* stage 2 adds 8 leaves and their links, no spines */
	assert_int_equal(pl->stages[1].delta.switches, 8);
	assert_int_equal(pl->stages[1].delta.links, 512);
	/* spine-side modules: 16 spines x 8 cages each per 8 leaves deployed */
	assert_int_equal(bom_count(&pl->stages[0].bom, LF_BOM_TRANSCEIVER, "MMA4Z00-NS", LF_END_SWITCH),
	                 8 * 32 + 16 * 8);
	check_invariants(pl, "stages");
	tplan_free(&t);
}

static void test_policies(void **state)
{
	(void)state;
	/* 400G single-port module (9 W, $500) vs twin at half a module per link
	 * (16 W, $800 => 8 W, $400 per link): both policies pick the twin on the
	 * leaf; the server end of s4x400 (400G cages) can only take t1x400 */
	tplan t = tplan_make(test_catalog, 0,
	                     "cluster: {server: s4x400, servers: 16}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw32, distance: 100m}]}\n"
	                     "optics: {policy: lowest-power}\n");
	assert_lf_ok(t);
	assert_string_equal(t.plan->media[1].lower->id, "t1x400");
	assert_string_equal(t.plan->media[1].upper->id, "t2x400");
	tplan_free(&t);
	/* deny wins over allow: no medium left */
	t = tplan_make(test_catalog, 0,
	               "cluster: {server: s4x400, servers: 16}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: sw32, distance: 100m}]}\n"
	               "optics: {allow: [\"t*\"], deny: [t1x400]}\n");
	assert_int_equal(t.st, LF_EINPUT);
	assert_non_null(strstr(t.err.msg, "no catalog medium fits the server-leaf links"));
	assert_int_equal(t.err.line, 2);
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_superpod_1su),
		cmocka_unit_test(test_superpod_4su),
		cmocka_unit_test(test_stages_and_final_buildout),
		cmocka_unit_test(test_fat_tree_k64),
		cmocka_unit_test(test_oversubscription_3_to_1),
		cmocka_unit_test(test_breakout_and_planes),
		cmocka_unit_test(test_b300_spectrum_x),
		cmocka_unit_test(test_partial_pod),
		cmocka_unit_test(test_dual_homed),
		cmocka_unit_test(test_cpo),
		cmocka_unit_test(test_b300_xdr_and_nvl72),
		cmocka_unit_test(test_json_contract),
		cmocka_unit_test(test_copper_when_shape_fits),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_generated_invariants),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
