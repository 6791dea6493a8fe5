/*
 * bom.c — the bill of materials of a plan, or of what one stage deploys.
 *
 * Counts are taken from the topology, never from formulas, so they cannot
 * drift from the graph:
 *   - switches: nodes of tier >= 1 deployed by the stage;
 *   - links: links deployed by the stage (both ends deployed);
 *   - transceivers: one module per cage that holds at least one deployed
 *     link of an optical level, at each end (a twin-port module serves a
 *     cage's two links; a half-used cage still needs its module);
 *   - cables: one fibre patch cord per optical link, plus one assembly per
 *     single-connector end cage of a DAC/ACC/AEC/AOC level;
 *   - fibres: strands, fibres_per_link for each optical link;
 *   - co-packaged switches: no module at their ports (the port is an optical
 *     engine in the switch package: its power, port_power_w for each of the
 *     switch's ports, is in the switch line), and `laser_sources` external
 *     laser source modules per switch, a line of their own whose lasers
 *     count in the BOM's laser demand.
 * Power (typ, max) and capex are per category: switches, transceivers,
 * cables (active copper and AOC), fibres, laser sources.  Lines are kept
 * per (category, SKU, end, length) and sorted, so output order is stable.
 *
 * On a floor layout (lf_plan.layout, src/plan/layout.c) each link has its own
 * medium and orderable length: modules are counted per cage of each
 * medium, a cable assembly once per physical cable (lf_layout.cable_of),
 * a patch cord per optical link, and cables and patch cords are lines per
 * (SKU, length), priced per length from the catalog's price_by_length (the
 * part's price_usd for a length it does not list).  These are the cables of
 * the cabling schedule (emit_cabling.c), row for row.  A co-packaged
 * switch port is part of its switch: no module there.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void lfi_bom_release(lf_bom *bom)
{
	free(bom->lines);
	memset(bom, 0, sizeof *bom);
}

static bool same_line(const lf_bom_line *l, lf_bom_cat cat, const char *sku, lf_end end,
                      double len)
{
	return l->cat == cat && l->end == end && fabs(l->length_m - len) < 1e-6 &&
	       strcmp(l->sku, sku) == 0;
}

static lf_bom_line *line_for(lfi_vec *v, lf_bom_cat cat, const char *sku, const char *name,
                             lf_end end, double len, int level, int lpm, double price,
                             double ptyp, double pmax)
{
	for (size_t i = 0; i < v->len; i++) {
		lf_bom_line *l = LF_VEC_AT(v, lf_bom_line, i);
		if (same_line(l, cat, sku, end, len)) {
			if (l->level != level)
				l->level = 0;   /* serves several levels */
			return l;
		}
	}
	lf_bom_line *l = lfi_vec_push(v);
	if (!l)
		return NULL;
	l->cat = cat;
	l->sku = sku;
	l->name = name;
	l->end = end;
	l->length_m = len;
	l->level = level;
	l->links_per_module = lpm;
	l->unit_price_usd = price;
	l->unit_power_typ_w = ptyp;
	l->unit_power_max_w = pmax;
	return l;
}

static int cmp_line(const void *a, const void *b)
{
	const lf_bom_line *x = a, *y = b;
	if (x->cat != y->cat)
		return (int)x->cat - (int)y->cat;
	int c = strcmp(x->sku, y->sku);
	if (c)
		return c;
	if (x->end != y->end)
		return (int)x->end - (int)y->end;
	return (x->length_m > y->length_m) - (x->length_m < y->length_m);
}

static void totals(lf_bom *bom)
{
	bom->power_typ_w = bom->power_max_w = bom->capex_usd = 0;
	memset(bom->power_typ_cat_w, 0, sizeof bom->power_typ_cat_w);   /* LF_BOM_CATS each */
	memset(bom->power_max_cat_w, 0, sizeof bom->power_max_cat_w);
	memset(bom->capex_cat_usd, 0, sizeof bom->capex_cat_usd);
	bom->modules = bom->modules_switch_end = bom->modules_server_end = bom->switches = 0;
	bom->lasers = 0;
	for (size_t i = 0; i < bom->n_lines; i++) {
		const lf_bom_line *l = &bom->lines[i];
		double n = (double)l->count;
		bom->lasers += l->count * (uint64_t)l->unit_lasers;
		bom->power_typ_cat_w[l->cat] += n * l->unit_power_typ_w;
		bom->power_max_cat_w[l->cat] += n * l->unit_power_max_w;
		bom->capex_cat_usd[l->cat] += n * l->unit_price_usd;
		if (l->cat == LF_BOM_TRANSCEIVER) {
			bom->modules += l->count;
			if (l->end == LF_END_SERVER)
				bom->modules_server_end += l->count;
			else
				bom->modules_switch_end += l->count;
		}
		if (l->cat == LF_BOM_SWITCH)
			bom->switches += l->count;
	}
	for (int c = 0; c < LF_BOM_CATS; c++) {
		bom->power_typ_w += bom->power_typ_cat_w[c];
		bom->power_max_w += bom->power_max_cat_w[c];
		bom->capex_usd += bom->capex_cat_usd[c];
	}
}

static lf_status finish_lines(lfi_vec *v, lf_bom *bom, lf_error *err)
{
	(void)err;
	qsort(v->data, v->len, sizeof(lf_bom_line), cmp_line);
	bom->lines = v->data;
	bom->n_lines = v->len;
	totals(bom);
	return LF_OK;
}

static lf_status add_module(lfi_vec *v, const lf_optic *o, lf_end end, int level, uint64_t n,
                            lf_error *err)
{
	if (!n || o->co_packaged)   /* a co-packaged port is part of its switch */
		return LF_OK;
	lf_bom_line *l = line_for(v, LF_BOM_TRANSCEIVER, o->id, o->name, end, 0, level, o->links,
	                          o->price_usd, o->power_typ_w, o->power_max_w);
	if (!l)
		return lfi_oom(err);
	l->count += n;
	l->unit_lasers = o->lasers;
	return LF_OK;
}

/* (medium variant, length) -> count, for the cables and patch cords of a
 * layout: a handful of keys, the last one hit checked first */
typedef struct len_count {
	uint32_t var;
	float len;
	uint64_t n;
} len_count;

static lf_status bump(lfi_vec *c, size_t *last, uint32_t var, float len, lf_error *err)
{
	len_count *x = c->len ? LF_VEC_AT(c, len_count, *last) : NULL;
	if (x && x->var == var && x->len == len) {
		x->n++;
		return LF_OK;
	}
	for (size_t k = 0; k < c->len; k++) {
		x = LF_VEC_AT(c, len_count, k);
		if (x->var == var && x->len == len) {
			x->n++;
			*last = k;
			return LF_OK;
		}
	}
	x = lfi_vec_push(c);
	if (!x)
		return lfi_oom(err);
	*x = (len_count){ var, len, 1 };
	*last = c->len - 1;
	return LF_OK;
}

/* The lines of the links deployed by `stage` on the plan's layout. */
static lf_status layout_lines(const lf_plan *pl, int stage, lfi_vec *v, lf_bom *bom,
                              lf_error *err)
{
	const lf_layout *ly = pl->layout;
	uint8_t *cage = calloc(pl->n_cages ? pl->n_cages : 1, 1);
	uint8_t *cable = calloc(pl->n_links ? pl->n_links : 1, 1);
	lfi_vec cnt;
	lfi_vec_init(&cnt, sizeof(len_count));
	size_t last = 0;
	lf_status st = cage && cable ? LF_OK : lfi_oom(err);
	for (size_t i = 0; i < pl->n_links && st == LF_OK; i++) {
		const lf_link *l = &pl->links[i];
		if (l->stage > stage)
			continue;
		uint32_t var = ly->link_var[i];
		const lf_media *m = &ly->var[var];
		const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
		uint32_t ca = a->cage_base + lf_node_cage(a, l->a_port);
		uint32_t cb = b->cage_base + lf_node_cage(b, l->b_port);
		bom->links_var[var]++;
		if (!cage[ca]) {
			cage[ca] = 1;
			bom->cages_var[var][0]++;
		}
		if (!cage[cb]) {
			cage[cb] = 1;
			bom->cages_var[var][1]++;
		}
		if (m->cable) {
			if (cable[ly->cable_of[i]])
				continue;
			cable[ly->cable_of[i]] = 1;
			bom->cables++;
			st = bump(&cnt, &last, var, ly->length_m[i], err);
			continue;
		}
		bom->cables++;
		bom->fibres += (uint64_t)m->lower->fibres_per_link;
		if (m->fibre)
			st = bump(&cnt, &last, var, ly->length_m[i], err);
	}
	free(cage);
	free(cable);
	for (size_t k = 0; k < cnt.len && st == LF_OK; k++) {
		const len_count *x = LF_VEC_AT(&cnt, len_count, k);
		const lf_media *m = &ly->var[x->var];
		double len = x->len;
		lf_bom_line *l;
		if (m->cable)
			l = line_for(v, LF_BOM_CABLE, m->cable->id, m->cable->name, LF_END_NONE, len,
			             m->level, m->cable->links,
			             lf_length_price(&m->cable->prices, m->cable->price_usd, len),
			             m->cable->power_typ_w, m->cable->power_max_w);
		else
			l = line_for(v, LF_BOM_FIBRE, m->fibre->id, m->fibre->name, LF_END_NONE, len,
			             m->level, 1, lf_length_price(&m->fibre->prices, m->fibre->price_usd, len),
			             0, 0);
		if (!l) {
			st = lfi_oom(err);
			break;
		}
		l->count += x->n;
		if (m->cable)
			l->unit_lasers = m->cable->lasers;
	}
	lfi_vec_release(&cnt);
	for (size_t k = 0; k < ly->n_var && st == LF_OK; k++) {
		const lf_media *m = &ly->var[k];
		if (m->cable)
			continue;
		st = add_module(v, m->lower, m->level == 1 ? LF_END_SERVER : LF_END_SWITCH, m->level,
		                bom->cages_var[k][0], err);
		if (st == LF_OK)
			st = add_module(v, m->upper, LF_END_SWITCH, m->level, bom->cages_var[k][1], err);
	}
	return st;
}

lf_status lfi_bom_build(const lf_plan *pl, int stage, lf_bom *bom, lf_error *err)
{
	memset(bom, 0, sizeof *bom);
	if (stage < 0)
		stage = 0xffff;
	lfi_vec v;
	lfi_vec_init(&v, sizeof(lf_bom_line));
	uint8_t *mark = calloc(pl->n_cages ? pl->n_cages : 1, 1);
	if (!mark)
		return lfi_oom(err);
	lf_status st = LF_OK;

	/* switches per tier */
	for (size_t i = 0; i < pl->n_nodes && st == LF_OK; i++) {
		const lf_node *n = &pl->nodes[i];
		if (n->kind != LF_NODE_SWITCH || n->stage > stage)
			continue;
		const lf_switch *sw = lfi_tier_spec(pl->spec, n->tier)->sw;
		/* a co-packaged switch's optical engines, one per port, are powered
		 * whether a port is cabled or not */
		const lf_optic *cp = sw->cpo_port;
		double ptyp = sw->power_typ_w + (cp ? sw->cages * cp->power_typ_w : 0);
		double pmax = sw->power_max_w + (cp ? sw->cages * cp->power_max_w : 0);
		lf_bom_line *l = line_for(&v, LF_BOM_SWITCH, sw->id, sw->name, LF_END_NONE, 0, 0, 0,
		                          sw->price_usd, ptyp, pmax);
		if (!l) {
			st = lfi_oom(err);
			break;
		}
		l->count++;
		if (cp && sw->els) {
			const lf_optic *e = sw->els;
			l = line_for(&v, LF_BOM_LASER_SOURCE, e->id, e->name, LF_END_SWITCH, 0, n->tier, 0,
			             e->price_usd, e->power_typ_w, e->power_max_w);
			if (!l) {
				st = lfi_oom(err);
				break;
			}
			l->count += (uint64_t)sw->els_per_switch;
			l->unit_lasers = e->lasers;
			bom->els_level[n->tier] += (uint64_t)sw->els_per_switch;
		}
	}
	/* links and the cages they occupy, per level and end */
	uint64_t *cages_lower = bom->cages_lower, *cages_upper = bom->cages_upper;
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		if (l->stage > stage)
			continue;
		bom->links++;
		bom->links_level[l->level]++;
		const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
		uint32_t ca = a->cage_base + lf_node_cage(a, l->a_port);
		uint32_t cb = b->cage_base + lf_node_cage(b, l->b_port);
		if (!mark[ca]) {
			mark[ca] = 1;
			cages_lower[l->level]++;
		}
		if (!mark[cb]) {
			mark[cb] = 1;
			cages_upper[l->level]++;
		}
	}
	free(mark);
	if (pl->layout && st == LF_OK)
		st = layout_lines(pl, stage, &v, bom, err);
	for (int lv = 1; lv <= pl->tiers && st == LF_OK && !pl->layout; lv++) {
		const lf_media *m = &pl->media[lv];
		uint64_t nl = bom->links_level[lv];
		if (!nl)
			continue;
		if (m->cable) {
			uint64_t n = m->cable_reversed ? cages_upper[lv] : cages_lower[lv];
			lf_bom_line *l = line_for(&v, LF_BOM_CABLE, m->cable->id, m->cable->name,
			                          LF_END_NONE, 0, lv, m->cable->links, m->cable->price_usd,
			                          m->cable->power_typ_w, m->cable->power_max_w);
			if (!l) {
				st = lfi_oom(err);
				break;
			}
			l->count += n;
			l->unit_lasers = m->cable->lasers;
			bom->cables += n;
			continue;
		}
		lf_end lower_end = lv == 1 ? LF_END_SERVER : LF_END_SWITCH;
		st = add_module(&v, m->lower, lower_end, lv, cages_lower[lv], err);   /* none if CPO */
		if (st == LF_OK)
			st = add_module(&v, m->upper, LF_END_SWITCH, lv, cages_upper[lv], err);
		bom->cables += nl;
		bom->fibres += nl * (uint64_t)m->lower->fibres_per_link;
		if (st == LF_OK && m->fibre) {
			lf_bom_line *l = line_for(&v, LF_BOM_FIBRE, m->fibre->id, m->fibre->name,
			                          LF_END_NONE, 0, lv, 1, m->fibre->price_usd, 0, 0);
			if (!l)
				st = lfi_oom(err);
			else
				l->count += nl;
		}
	}
	if (st != LF_OK) {
		lfi_vec_release(&v);
		return st;
	}
	return finish_lines(&v, bom, err);
}

lf_status lfi_bom_diff(const lf_bom *now, const lf_bom *before, lf_bom *delta, lf_error *err)
{
	memset(delta, 0, sizeof *delta);
	lfi_vec v;
	lfi_vec_init(&v, sizeof(lf_bom_line));
	for (size_t i = 0; i < now->n_lines; i++) {
		const lf_bom_line *x = &now->lines[i];
		uint64_t prev = 0;
		for (size_t j = 0; before && j < before->n_lines; j++) {
			const lf_bom_line *y = &before->lines[j];
			if (same_line(y, x->cat, x->sku, x->end, x->length_m))
				prev = y->count;
		}
		if (x->count < prev) {
			lfi_vec_release(&v);
			return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "stage BOM shrinks for %s", x->sku);
		}
		if (x->count == prev)
			continue;
		lf_bom_line *l = lfi_vec_push(&v);
		if (!l) {
			lfi_vec_release(&v);
			return lfi_oom(err);
		}
		*l = *x;
		l->count = x->count - prev;
	}
	delta->links = now->links - (before ? before->links : 0);
	delta->cables = now->cables - (before ? before->cables : 0);
	delta->fibres = now->fibres - (before ? before->fibres : 0);
	for (int k = 0; k <= LF_MAX_TIERS; k++) {
		delta->links_level[k] = now->links_level[k] - (before ? before->links_level[k] : 0);
		delta->cages_lower[k] = now->cages_lower[k] - (before ? before->cages_lower[k] : 0);
		delta->cages_upper[k] = now->cages_upper[k] - (before ? before->cages_upper[k] : 0);
		delta->els_level[k] = now->els_level[k] - (before ? before->els_level[k] : 0);
	}
	for (int k = 0; k < LF_LAYOUT_MAX_VAR; k++) {
		delta->links_var[k] = now->links_var[k] - (before ? before->links_var[k] : 0);
		for (int e = 0; e < 2; e++)
			delta->cages_var[k][e] = now->cages_var[k][e] -
			                         (before ? before->cages_var[k][e] : 0);
	}
	return finish_lines(&v, delta, err);
}
