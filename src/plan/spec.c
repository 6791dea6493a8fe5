/*
 * spec.c — the cluster spec: what a user wants built.
 *
 *   name: my-cluster
 *   catalog: [my-parts.yaml]          # extra catalog files, relative to the spec
 *   cluster:
 *     server: dgx-h100                # catalog id
 *     servers: 127                    # or gpus: 1016 (deployed by this plan)
 *     final_servers: 256              # or final_gpus: build-out the spines are sized for
 *     su_size: 32                     # server slots per scalable unit
 *     spare_slots: cabled             # empty slots of the last SU: cabled | empty
 *   fabric:
 *     kind: rail-optimized            # or fat-tree
 *     tier_count: auto                # 2, 3 or auto (the fewest that fit)
 *     planes: 1
 *     rails_per_leaf: 1
 *     dual_homed: false               # each NIC port to two leaves (ToR pair) per plane
 *     pod_size: 4                     # SUs per pod (3 tiers)
 *     tiers:                          # leaf, spine, core; the last entry repeats
 *       - switch: qm9700
 *         link_speed: 400G            # links into this tier from below
 *         oversubscription: 1:1       # down:up bandwidth of this tier
 *         distance: 30m               # or reach: copper|aec|sr|dr|fr|lr
 *   optics:
 *     policy: cheapest                # or lowest-power, most-available
 *     prefer_copper: true
 *     allow: ["MMA4Z00-*"]            # SKU globs; deny wins over allow
 *     deny: []
 *   stages:                           # cumulative; the last equals cluster size
 *     - {name: phase-1, need_by: 2026-03, servers: 64}   # or gpus:, sus:
 *   layout: {...}                     # racks, rows, routing: src/plan/layout.c
 *
 * Parsing checks types, units and ranges with file:line:column errors;
 * lf_spec_resolve() then checks the references into the catalog.
 */
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

typedef struct spec_impl {
	lf_spec pub;              /* first: lf_spec * and spec_impl * convert */
	lfi_arena arena;
	/* positions of references, checked in lf_spec_resolve */
	lf_pos pos_server, pos_tier_switch[LF_MAX_TIERS], pos_allow[LF_MAX_LIST];
	lf_pos pos_deny[LF_MAX_LIST], pos_gpus;
	int64_t gpus, final_gpus;         /* when given in GPUs; checked on resolve */
	int64_t stage_gpus[LF_MAX_STAGES], stage_sus[LF_MAX_STAGES];
	lf_pos pos_stage_amount[LF_MAX_STAGES];
	lf_pos pos_final;
	lf_pos pos_link_speed[LF_MAX_TIERS];
} spec_impl;

static const char *const reach_names[] = { "copper", "aec", "sr", "dr", "fr", "lr" };
static const double reach_m[] = { 2, 7, 50, 500, 2000, 10000 };

static lf_status dup_str(spec_impl *s, const char *in, const char **out, lf_error *err)
{
	*out = lfi_arena_strdup(&s->arena, in);
	return *out ? LF_OK : lfi_oom(err);
}

static lf_status get_str(spec_impl *s, lfi_ydoc *d, yaml_node_t *n, const char *what,
                         const char **out, lf_error *err)
{
	const char *v;
	LF_TRY(lfi_ystr(d, n, what, &v, err));
	return dup_str(s, v, out, err);
}

static lf_status parse_list(spec_impl *s, lfi_ydoc *d, yaml_node_t *n, const char *what,
                            const char **items, lf_pos *pos, int *count, lf_error *err)
{
	LF_TRY(lfi_yexpect(d, n, YAML_SEQUENCE_NODE, what, err));
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = lfi_ynode(d, *it);
		if (*count >= LF_MAX_LIST)
			return lfi_yfail(err, d, e, "%s: at most %d entries", what, LF_MAX_LIST);
		if (pos)
			pos[*count] = lfi_ypos(d, e);
		LF_TRY(get_str(s, d, e, what, &items[*count], err));
		(*count)++;
	}
	return LF_OK;
}

/* ------------------------------------------------------------------ schema */

/* The spec's keys as a tree: the one list the parser below checks and that
 * sweep's --vary paths are checked against (src/explore/sweep.c). */
static const lfi_schema_key cluster_keys[] = {
	{ "server", NULL, 0 }, { "servers", NULL, 0 }, { "gpus", NULL, 0 },
	{ "final_servers", NULL, 0 }, { "final_gpus", NULL, 0 }, { "su_size", NULL, 0 },
	{ "spare_slots", NULL, 0 },
};
static const lfi_schema cluster_s = { "cluster", LF_ARRAY_LEN(cluster_keys), cluster_keys };
static const lfi_schema_key tier_keys[] = {
	{ "name", NULL, 0 }, { "switch", NULL, 0 }, { "link_speed", NULL, 0 },
	{ "oversubscription", NULL, 0 }, { "distance", NULL, 0 }, { "reach", NULL, 0 },
};
static const lfi_schema tier_s = { "fabric tier", LF_ARRAY_LEN(tier_keys), tier_keys };
static const lfi_schema_key fabric_keys[] = {
	{ "kind", NULL, 0 }, { "tier_count", NULL, 0 }, { "planes", NULL, 0 },
	{ "rails_per_leaf", NULL, 0 }, { "pod_size", NULL, 0 }, { "tiers", &tier_s, 1 },
	{ "dual_homed", NULL, 0 },
};
static const lfi_schema fabric_s = { "fabric", LF_ARRAY_LEN(fabric_keys), fabric_keys };
static const lfi_schema_key optics_keys[] = {
	{ "policy", NULL, 0 }, { "prefer_copper", NULL, 0 }, { "allow", NULL, 1 },
	{ "deny", NULL, 1 },
};
static const lfi_schema optics_s = { "optics", LF_ARRAY_LEN(optics_keys), optics_keys };
static const lfi_schema_key stage_keys[] = {
	{ "name", NULL, 0 }, { "need_by", NULL, 0 }, { "servers", NULL, 0 },
	{ "gpus", NULL, 0 }, { "sus", NULL, 0 },
};
static const lfi_schema stage_s = { "stage", LF_ARRAY_LEN(stage_keys), stage_keys };
static const lfi_schema_key root_keys[] = {
	{ "name", NULL, 0 }, { "catalog", NULL, 1 }, { "cluster", &cluster_s, 0 },
	{ "fabric", &fabric_s, 0 }, { "optics", &optics_s, 0 }, { "stages", &stage_s, 1 },
	{ "layout", &lfi_layout_schema, 0 },
};
const lfi_schema lfi_spec_schema = { "spec", LF_ARRAY_LEN(root_keys), root_keys };

static lf_status parse_cluster(spec_impl *s, lfi_ydoc *d, yaml_node_t *c, lf_error *err)
{
	lf_spec *p = &s->pub;
	LF_TRY(lfi_ycheck_schema(d, c, &cluster_s, NULL, err));
	yaml_node_t *n;
	LF_TRY(lfi_yrequire(d, c, "server", "cluster", &n, err));
	s->pos_server = lfi_ypos(d, n);
	LF_TRY(get_str(s, d, n, "cluster server", &p->server_id, err));

	yaml_node_t *sv = lfi_yget(d, c, "servers"), *gp = lfi_yget(d, c, "gpus");
	if (sv && gp)
		return lfi_yfail(err, d, gp, "cluster: give either servers or gpus, not both");
	if (!sv && !gp)
		return lfi_yfail(err, d, c, "cluster needs \"servers\" or \"gpus\"");
	if (sv) {
		LF_TRY(lfi_yint(d, sv, "cluster servers", 1, 100000000, &p->servers, err));
		p->pos_servers = lfi_ypos(d, sv);
	} else {
		LF_TRY(lfi_yint(d, gp, "cluster gpus", 1, 1000000000, &s->gpus, err));
		p->pos_servers = lfi_ypos(d, gp);
	}
	sv = lfi_yget(d, c, "final_servers");
	gp = lfi_yget(d, c, "final_gpus");
	if (sv && gp)
		return lfi_yfail(err, d, gp, "cluster: give either final_servers or final_gpus, not both");
	if (sv) {
		LF_TRY(lfi_yint(d, sv, "cluster final_servers", 1, 100000000, &p->final_servers, err));
		s->pos_final = lfi_ypos(d, sv);
	} else if (gp) {
		LF_TRY(lfi_yint(d, gp, "cluster final_gpus", 1, 1000000000, &s->final_gpus, err));
		s->pos_final = lfi_ypos(d, gp);
	}
	if ((n = lfi_yget(d, c, "su_size"))) {
		int64_t v;
		LF_TRY(lfi_yint(d, n, "cluster su_size", 1, 1 << 20, &v, err));
		p->su_servers = (int)v;
		p->pos_su = lfi_ypos(d, n);
	}
	if ((n = lfi_yget(d, c, "spare_slots"))) {
		static const char *const names[] = { "empty", "cabled" };
		int v;
		LF_TRY(lfi_yenum(d, n, "cluster spare_slots", names, 2, &v, err));
		p->spare_slots = (lf_spare)v;
	}
	return LF_OK;
}

static lf_status parse_tier(spec_impl *s, lfi_ydoc *d, yaml_node_t *t, int i, lf_error *err)
{
	lf_tier_spec *ts = &s->pub.tier[i];
	char what[64];
	snprintf(what, sizeof what, "fabric tier %d", i + 1);
	LF_TRY(lfi_ycheck_schema(d, t, &tier_s, what, err));
	ts->pos = lfi_ypos(d, t);
	yaml_node_t *n;
	if ((n = lfi_yget(d, t, "name")))
		LF_TRY(get_str(s, d, n, "tier name", &ts->name, err));
	LF_TRY(lfi_yrequire(d, t, "switch", what, &n, err));
	s->pos_tier_switch[i] = lfi_ypos(d, n);
	LF_TRY(get_str(s, d, n, "tier switch", &ts->switch_id, err));
	if ((n = lfi_yget(d, t, "link_speed"))) {
		LF_TRY(lfi_ygbps(d, n, "tier link_speed", &ts->link_gbps, err));
		s->pos_link_speed[i] = lfi_ypos(d, n);
	}
	ts->oversubscription = 1;
	if ((n = lfi_yget(d, t, "oversubscription")))
		LF_TRY(lfi_yratio(d, n, "tier oversubscription", &ts->oversubscription, err));
	yaml_node_t *dist = lfi_yget(d, t, "distance"), *reach = lfi_yget(d, t, "reach");
	if (dist && reach)
		return lfi_yfail(err, d, reach, "%s: give either distance or reach, not both", what);
	if (dist)
		LF_TRY(lfi_ylength(d, dist, "tier distance", &ts->distance_m, err));
	if (reach) {
		int v;
		LF_TRY(lfi_yenum(d, reach, "tier reach", reach_names, LF_ARRAY_LEN(reach_names), &v,
		                 err));
		ts->distance_m = reach_m[v];
	}
	return LF_OK;
}

static lf_status parse_fabric(spec_impl *s, lfi_ydoc *d, yaml_node_t *f, lf_error *err)
{
	lf_spec *p = &s->pub;
	LF_TRY(lfi_ycheck_schema(d, f, &fabric_s, NULL, err));
	p->pos_fabric = lfi_ypos(d, f);
	yaml_node_t *n;
	if ((n = lfi_yget(d, f, "kind"))) {
		static const char *const names[] = { "rail-optimized", "fat-tree" };
		int v;
		LF_TRY(lfi_yenum(d, n, "fabric kind", names, 2, &v, err));
		p->kind = (lf_fabric_kind)v;
	}
	if ((n = lfi_yget(d, f, "tier_count"))) {
		const char *v = lfi_yscalar(n);
		if (v && strcmp(v, "auto") == 0) {
			p->tiers = 0;
		} else {
			int64_t t;
			if (!v || !lfi_parse_int(v, &t) || t < 2 || t > 3)
				return lfi_yfail(err, d, n, "fabric tier_count must be 2, 3 or auto, got %s%s%s",
				                 v ? "\"" : "", v ? v : lfi_ykind(n), v ? "\"" : "");
			p->tiers = (int)t;
		}
	}
	p->planes = 1;
	if ((n = lfi_yget(d, f, "planes"))) {
		int64_t v;
		LF_TRY(lfi_yint(d, n, "fabric planes", 1, 16, &v, err));
		p->planes = (int)v;
	}
	if ((n = lfi_yget(d, f, "dual_homed"))) {
		bool b;
		LF_TRY(lfi_ybool(d, n, "fabric dual_homed", &b, err));
		p->dual_homed = b;
	}
	if ((n = lfi_yget(d, f, "rails_per_leaf"))) {
		int64_t v;
		LF_TRY(lfi_yint(d, n, "fabric rails_per_leaf", 1, 1024, &v, err));
		p->rails_per_leaf = (int)v;
	}
	if ((n = lfi_yget(d, f, "pod_size"))) {
		int64_t v;
		LF_TRY(lfi_yint(d, n, "fabric pod_size", 1, 1 << 20, &v, err));
		p->pod_sus = (int)v;
	}
	LF_TRY(lfi_yrequire(d, f, "tiers", "fabric", &n, err));
	LF_TRY(lfi_yexpect(d, n, YAML_SEQUENCE_NODE, "fabric tiers", err));
	int count = (int)(n->data.sequence.items.top - n->data.sequence.items.start);
	if (count < 1)
		return lfi_yfail(err, d, n, "fabric tiers must list at least the leaf tier");
	if (count > LF_MAX_TIERS)
		return lfi_yfail(err, d, n, "fabric tiers: at most %d tiers (leaf, spine, core), got %d",
		                 LF_MAX_TIERS, count);
	for (int i = 0; i < count; i++) {
		yaml_node_t *t = lfi_ynode(d, n->data.sequence.items.start[i]);
		LF_TRY(lfi_yexpect(d, t, YAML_MAPPING_NODE, "fabric tier", err));
		LF_TRY(parse_tier(s, d, t, i, err));
	}
	p->n_tier_specs = count;
	return LF_OK;
}

static lf_status parse_optics(spec_impl *s, lfi_ydoc *d, yaml_node_t *o, lf_error *err)
{
	lf_spec *p = &s->pub;
	LF_TRY(lfi_ycheck_schema(d, o, &optics_s, NULL, err));
	yaml_node_t *n;
	if ((n = lfi_yget(d, o, "policy"))) {
		static const char *const names[] = { "cheapest", "lowest-power", "most-available" };
		int v;
		LF_TRY(lfi_yenum(d, n, "optics policy", names, 3, &v, err));
		p->policy = (lf_policy)v;
		p->pos_policy = lfi_ypos(d, n);
	}
	if ((n = lfi_yget(d, o, "prefer_copper"))) {
		bool b;
		LF_TRY(lfi_ybool(d, n, "optics prefer_copper", &b, err));
		p->prefer_copper = b;
	}
	if ((n = lfi_yget(d, o, "allow")))
		LF_TRY(parse_list(s, d, n, "optics allow", p->allow, s->pos_allow, &p->n_allow, err));
	if ((n = lfi_yget(d, o, "deny")))
		LF_TRY(parse_list(s, d, n, "optics deny", p->deny, s->pos_deny, &p->n_deny, err));
	return LF_OK;
}

static lf_status parse_stages(spec_impl *s, lfi_ydoc *d, yaml_node_t *l, lf_error *err)
{
	lf_spec *p = &s->pub;
	LF_TRY(lfi_yexpect(d, l, YAML_SEQUENCE_NODE, "stages", err));
	for (yaml_node_item_t *it = l->data.sequence.items.start; it < l->data.sequence.items.top;
	     it++) {
		yaml_node_t *t = lfi_ynode(d, *it), *n;
		if (p->n_stages >= LF_MAX_STAGES)
			return lfi_yfail(err, d, t, "stages: at most %d stages", LF_MAX_STAGES);
		int i = p->n_stages;
		lf_stage_spec *st = &p->stage[i];
		LF_TRY(lfi_ycheck_schema(d, t, &stage_s, NULL, err));
		st->pos = lfi_ypos(d, t);
		LF_TRY(lfi_yrequire(d, t, "name", "stage", &n, err));
		LF_TRY(get_str(s, d, n, "stage name", &st->name, err));
		for (int k = 0; k < i; k++)
			if (strcmp(p->stage[k].name, st->name) == 0)
				return lfi_yfail(err, d, n, "duplicate stage name \"%s\" (first at line %d)",
				                 st->name, p->stage[k].pos.line);
		LF_TRY(lfi_yrequire(d, t, "need_by", "stage", &n, err));
		LF_TRY(lfi_ymonth(d, n, "stage need_by", &st->need_by, err));
		if (i > 0 && st->need_by < p->stage[i - 1].need_by)
			return lfi_yfail(err, d, n, "stage need_by must not be earlier than the stage before "
			                 "(\"%s\")", p->stage[i - 1].name);
		yaml_node_t *a[3] = { lfi_yget(d, t, "servers"), lfi_yget(d, t, "gpus"),
		                      lfi_yget(d, t, "sus") };
		int given = !!a[0] + !!a[1] + !!a[2];
		if (given != 1)
			return lfi_yfail(err, d, t, "stage \"%s\" needs exactly one of servers, gpus or sus "
			                 "(cumulative), got %d", st->name, given);
		int64_t v;
		for (int k = 0; k < 3; k++)
			if (a[k]) {
				static const char *const w[] = { "stage servers", "stage gpus", "stage sus" };
				LF_TRY(lfi_yint(d, a[k], w[k], 1, 1000000000, &v, err));
				s->pos_stage_amount[i] = lfi_ypos(d, a[k]);
				if (k == 0)
					st->servers = v;
				else if (k == 1)
					s->stage_gpus[i] = v;
				else
					s->stage_sus[i] = v;
			}
		p->n_stages++;
	}
	if (p->n_stages == 0)
		return lfi_yfail(err, d, l, "stages must list at least one stage (or be left out)");
	return LF_OK;
}

static lf_status parse(spec_impl *s, lfi_ydoc *d, const char *path, lf_catalog *cat,
                       lf_error *err)
{
	lf_spec *p = &s->pub;
	yaml_node_t *root = lfi_ydoc_root(d), *n;
	LF_TRY(lfi_ycheck_schema(d, root, &lfi_spec_schema, NULL, err));
	if ((n = lfi_yget(d, root, "name")))
		LF_TRY(get_str(s, d, n, "name", &p->name, err));
	else
		p->name = "cluster";
	if ((n = lfi_yget(d, root, "catalog"))) {
		lf_pos pos[LF_MAX_LIST];
		p->pos_catalog = lfi_ypos(d, n);
		LF_TRY(parse_list(s, d, n, "catalog", p->catalog, pos, &p->n_catalogs, err));
		for (int i = 0; i < p->n_catalogs; i++) {
			const char *c = p->catalog[i];
			char full[4096];
			if (c[0] == '/' || !path) {
				snprintf(full, sizeof full, "%s", c);
			} else {
				char dirbuf[4096];
				snprintf(dirbuf, sizeof dirbuf, "%s", path);
				snprintf(full, sizeof full, "%s/%s", dirname(dirbuf), c);
			}
			if (!cat)
				continue;
			lf_status st = lf_catalog_load_path(cat, full, err);
			if ((st == LF_EIO || st == LF_EINPUT) && err && err->line == 0) {
				/* no position in the catalog: point at the spec's entry */
				char why[sizeof err->msg];
				snprintf(why, sizeof why, "%s", err->msg);
				return lfi_fail(err, LF_EINPUT, d->file, pos[i].line, pos[i].col,
				                "catalog \"%s\" cannot be loaded: %s: %s", c, full, why);
			}
			LF_TRY(st);
		}
	}
	LF_TRY(lfi_yrequire(d, root, "cluster", "spec", &n, err));
	LF_TRY(parse_cluster(s, d, n, err));
	LF_TRY(lfi_yrequire(d, root, "fabric", "spec", &n, err));
	LF_TRY(parse_fabric(s, d, n, err));
	if ((n = lfi_yget(d, root, "optics")))
		LF_TRY(parse_optics(s, d, n, err));
	if ((n = lfi_yget(d, root, "stages")))
		LF_TRY(parse_stages(s, d, n, err));
	if ((n = lfi_yget(d, root, "layout")))
		LF_TRY(lfi_layout_parse(d, n, &p->layout, err));
	return LF_OK;
}

lf_status lf_spec_load_buffer(const char *name, const char *data, size_t len,
                              lf_catalog *cat, lf_spec **out, lf_error *err)
{
	*out = NULL;
	spec_impl *s = calloc(1, sizeof *s);
	if (!s)
		return lfi_oom(err);
	const char *file = lfi_arena_strdup(&s->arena, name);
	if (!file) {
		free(s);
		return lfi_oom(err);
	}
	s->pub.file = file;
	lfi_ydoc d;
	lf_status st = lfi_ydoc_load(&d, file, data, len, err);
	if (st == LF_OK) {
		st = parse(s, &d, name, cat, err);
		lfi_ydoc_release(&d);
	}
	if (st != LF_OK) {
		lf_spec_free(&s->pub);
		return st;
	}
	*out = &s->pub;
	return LF_OK;
}

lf_status lf_spec_load(const char *path, lf_catalog *cat, lf_spec **out, lf_error *err)
{
	size_t len;
	char *data = lfi_read_file(path, &len, err);
	if (!data)
		return LF_EIO;
	lf_status st = lf_spec_load_buffer(path, data, len, cat, out, err);
	free(data);
	return st;
}

void lf_spec_free(lf_spec *spec)
{
	if (!spec)
		return;
	spec_impl *s = (spec_impl *)spec;
	lfi_arena_release(&s->arena);
	free(s);
}

static lf_status ref_fail(lf_error *err, const lf_pos *pos, const char *file, const char *what,
                          const char *id, const char *const *cands, size_t n)
{
	const char *dym = lf_did_you_mean(id, cands, n);
	return lfi_fail(err, LF_EINPUT, file, pos->line, pos->col,
	                "%s \"%s\" is not in the catalog%s%s%s; a %s of your own goes in a catalog "
	                "file named by the spec's catalog: list or by --catalog", what, id,
	                dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "", what);
}

/* A tier's link_speed must be a port speed of its switch (down links) and of
 * the switch of the tier below (up links).  Tier 1's speed is set by the
 * server's ports; the planner checks it against them. */
static lf_status check_link_speed(const spec_impl *s, int i, lf_error *err)
{
	const lf_spec *p = &s->pub;
	int g = p->tier[i].link_gbps;
	const lf_pos *pos = &s->pos_link_speed[i];
	for (int k = i; k >= i - 1; k--) {
		const lf_switch *sw = p->tier[k].sw;
		bool ok = false;
		char have[128] = "", gs[16];
		for (int j = 0; j < sw->n_port_speeds; j++) {
			ok = ok || sw->port_speeds[j] == g;
			lfi_format_gbps(sw->port_speeds[j], gs, sizeof gs);
			snprintf(have + strlen(have), sizeof have - strlen(have), "%s%s", j ? ", " : "", gs);
		}
		if (ok)
			continue;
		lfi_format_gbps(g, gs, sizeof gs);
		return lfi_fail(err, LF_EINPUT, p->file, pos->line, pos->col,
		                "tier %d link_speed must be a port speed of switch \"%s\" (tier %d, %s "
		                "links): %s, got %s", i + 1, sw->id, k + 1, k == i ? "down" : "up", have,
		                gs);
	}
	return LF_OK;
}

static lf_status gpus_to_servers(const lf_spec *p, int64_t gpus, const lf_pos *pos,
                                 const char *what, int64_t *servers, lf_error *err)
{
	int g = p->server->gpus;
	if (gpus % g != 0)
		return lfi_fail(err, LF_EINPUT, p->file, pos->line, pos->col,
		                "%s must be a multiple of %d (GPUs per %s), got %lld", what, g,
		                p->server->id, (long long)gpus);
	*servers = gpus / g;
	return LF_OK;
}

lf_status lf_spec_resolve(lf_spec *spec, const lf_catalog *cat, lf_error *err)
{
	spec_impl *s = (spec_impl *)spec;
	lf_spec *p = spec;
	const char *cands[512];
	size_t n = 0;
	p->server = lf_catalog_server(cat, p->server_id);
	if (!p->server) {
		for (size_t i = 0; i < lf_catalog_n_servers(cat) && n < 512; i++)
			cands[n++] = lf_catalog_server_at(cat, i)->id;
		return ref_fail(err, &s->pos_server, p->file, "server", p->server_id, cands, n);
	}
	n = 0;
	for (size_t i = 0; i < lf_catalog_n_switches(cat) && n < 512; i++)
		cands[n++] = lf_catalog_switch_at(cat, i)->id;
	for (int i = 0; i < p->n_tier_specs; i++) {
		p->tier[i].sw = lf_catalog_switch(cat, p->tier[i].switch_id);
		if (!p->tier[i].sw)
			return ref_fail(err, &s->pos_tier_switch[i], p->file, "switch",
			                p->tier[i].switch_id, cands, n);
	}
	for (int i = 1; i < p->n_tier_specs; i++)
		if (p->tier[i].link_gbps)
			LF_TRY(check_link_speed(s, i, err));
	n = 0;
	for (size_t i = 0; i < lf_catalog_n_optics(cat) && n < 512; i++)
		cands[n++] = lf_catalog_optic_at(cat, i)->id;
	for (int pass = 0; pass < 2; pass++) {
		int cnt = pass ? p->n_deny : p->n_allow;
		const char **list = pass ? p->deny : p->allow;
		const lf_pos *pos = pass ? s->pos_deny : s->pos_allow;
		for (int i = 0; i < cnt; i++) {
			bool hit = false;
			for (size_t k = 0; k < lf_catalog_n_optics(cat) && !hit; k++)
				hit = lfi_glob_match(list[i], lf_catalog_optic_at(cat, k)->id);
			if (!hit) {
				const char *dym = lf_did_you_mean(list[i], cands, n);
				return lfi_fail(err, LF_EINPUT, p->file, pos[i].line, pos[i].col,
				                "optics %s pattern \"%s\" matches no transceiver or cable in "
				                "the catalog%s%s%s", pass ? "deny" : "allow", list[i],
				                dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
			}
		}
	}
	if (s->gpus)
		LF_TRY(gpus_to_servers(p, s->gpus, &p->pos_servers, "cluster gpus", &p->servers, err));
	if (s->final_gpus)
		LF_TRY(gpus_to_servers(p, s->final_gpus, &s->pos_final, "cluster final_gpus",
		                       &p->final_servers, err));
	if (!p->final_servers)
		p->final_servers = p->servers;
	if (p->final_servers < p->servers)
		return lfi_fail(err, LF_EINPUT, p->file, s->pos_final.line, s->pos_final.col,
		                "final build-out (%lld servers) is smaller than the cluster (%lld servers)",
		                (long long)p->final_servers, (long long)p->servers);
	for (int i = 0; i < p->n_stages; i++) {
		lf_stage_spec *st = &p->stage[i];
		const lf_pos *pos = &s->pos_stage_amount[i];
		if (s->stage_gpus[i])
			LF_TRY(gpus_to_servers(p, s->stage_gpus[i], pos, "stage gpus", &st->servers, err));
		if (s->stage_sus[i]) {
			if (!p->su_servers)
				return lfi_fail(err, LF_EINPUT, p->file, pos->line, pos->col,
				                "stage sus needs cluster su_size to be set");
			st->servers = s->stage_sus[i] * p->su_servers;
			if (st->servers > p->servers)
				st->servers = p->servers;   /* the last SU may be partly filled */
		}
		if (i > 0 && st->servers <= p->stage[i - 1].servers)
			return lfi_fail(err, LF_EINPUT, p->file, pos->line, pos->col,
			                "stage \"%s\" deploys %lld servers in all, not more than stage \"%s\" "
			                "(%lld); stage amounts are cumulative", st->name,
			                (long long)st->servers, p->stage[i - 1].name,
			                (long long)p->stage[i - 1].servers);
		if (st->servers > p->servers)
			return lfi_fail(err, LF_EINPUT, p->file, pos->line, pos->col,
			                "stage \"%s\" deploys %lld servers, more than the cluster's %lld",
			                st->name, (long long)st->servers, (long long)p->servers);
	}
	if (p->n_stages && p->stage[p->n_stages - 1].servers != p->servers) {
		const lf_stage_spec *st = &p->stage[p->n_stages - 1];
		return lfi_fail(err, LF_EINPUT, p->file, s->pos_stage_amount[p->n_stages - 1].line,
		                s->pos_stage_amount[p->n_stages - 1].col,
		                "the last stage (\"%s\") deploys %lld servers but the cluster has %lld; "
		                "the last stage must complete the cluster", st->name,
		                (long long)st->servers, (long long)p->servers);
	}
	return LF_OK;
}
