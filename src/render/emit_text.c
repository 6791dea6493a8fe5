/*
 * emit_text.c — the plan as a readable table (the default) and its BOM as
 * CSV (RFC 4180 quoting), plus lf_plan_render, which picks the renderer.
 * The CSV has one row per BOM line: scope "total" for the whole cluster,
 * "stage:<name>" for what each stage adds; length_m is the orderable
 * length of a cable or patch cord counted on a layout (empty otherwise).
 */
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "render.h"

static const char *end_str(lf_end e)
{
	return e == LF_END_SERVER ? "server" : e == LF_END_SWITCH ? "switch" : "";
}


/* `lengths`: the plan has a layout, cables and patch cords per length */
static void bom_table(lfi_buf *b, const lf_bom *bom, bool lengths)
{
	char c1[32];
	lfi_buf_printf(b, "  %-12s %-24s %-7s%s %5s %12s %14s %12s\n", "category", "sku", "end",
	               lengths ? "  length" : "", "lpm", "count", "capex_usd", "power_typ_w");
	for (size_t i = 0; i < bom->n_lines; i++) {
		const lf_bom_line *l = &bom->lines[i];
		char len[16] = "";
		if (lengths && l->length_m > 0)
			snprintf(len, sizeof len, "%g m", l->length_m);
		lfi_buf_printf(b, "  %-12s %-24s %-7s", lfi_bom_cat_name(l->cat), l->sku, end_str(l->end));
		if (lengths)
			lfi_buf_printf(b, " %7s", len);
		lfi_buf_printf(b, " %5d %12s %14.0f %12.1f\n", l->links_per_module,
		               lfi_fmt_count(l->count, c1, sizeof c1),
		               (double)l->count * l->unit_price_usd,
		               (double)l->count * l->unit_power_typ_w);
	}
}

lf_status lfi_emit_table(const lf_plan *pl, char **out, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	const lf_bom *bom = &pl->bom;
	lfi_buf b;
	char c1[32], c2[32], c3[32], c4[32], g[16];
	lfi_buf_init(&b);
	lfi_buf_printf(&b, "lightfab plan: %s\n", pl->name);
	lfi_buf_printf(&b, "  %s GPUs in %s x %s (%s slots), %s, %d tiers, %d plane%s\n",
	               lfi_fmt_count((uint64_t)pl->gpus, c1, sizeof c1), lfi_fmt_count((uint64_t)pl->servers, c2, sizeof c2),
	               sp->server->id, lfi_fmt_count((uint64_t)pl->slots, c3, sizeof c3),
	               sp->kind == LF_FABRIC_RAIL ? "rail-optimized" : "fat-tree", pl->tiers,
	               pl->planes, pl->planes == 1 ? "" : "s");
	lfi_buf_printf(&b, "  %d SU(s) of %d slots, %d leaves per SU per plane", pl->sus,
	               pl->su_servers, pl->leaves_per_su);
	if (pl->tiers == 3)
		lfi_buf_printf(&b, ", %d pod(s) of %d SUs", pl->pods, pl->pod_sus);
	lfi_buf_puts(&b, "\n\n");
	lfi_buf_printf(&b, "  %-8s %5s %-14s %9s %9s %9s %6s %6s %7s\n", "tier", "plane", "switch",
	               "switches", "down", "up", "speed", "ports", "ratio");
	for (size_t i = 0; i < pl->n_tier_results; i++) {
		const lf_tier_result *t = &pl->tier_results[i];
		lfi_format_gbps(t->link_gbps, g, sizeof g);
		char ports[32];
		snprintf(ports, sizeof ports, "%u/%u", t->ports_down, t->ports_up);
		lfi_buf_printf(&b, "  %-8s %5d %-14s %9s %9s %9s %6s %6s %6.2f:1\n", t->name, t->plane,
		               t->switch_model, lfi_fmt_count(t->switches, c1, sizeof c1),
		               lfi_fmt_count(t->links_down, c2, sizeof c2), lfi_fmt_count(t->links_up, c3, sizeof c3), g,
		               ports, t->oversubscription);
	}
	lfi_buf_puts(&b, pl->layout ? "\n  media (per level; each link's on the floor: below)\n"
	                            : "\n  media\n");
	for (int lv = 1; lv <= pl->tiers; lv++) {
		const lf_media *m = &pl->media[lv];
		if (!m->gbps)
			continue;
		if (m->cable)
			lfi_buf_printf(&b, "  %-12s %s (%s)  [%s]\n", lfi_level_name(lv), m->cable->id,
			               lfi_optic_kind_name(m->cable->kind), m->why);
		else
			lfi_buf_printf(&b, "  %-12s %s <-> %s (%s, %s)  [%s]\n", lfi_level_name(lv),
			               m->lower->id, m->upper->id, m->lower->standard,
			               lfi_laser_name(m->lower->laser), m->why);
	}
	lfi_buf_printf(&b, "\n  links %s   cables %s   fibres %s", lfi_fmt_count(bom->links, c1, sizeof c1),
	               lfi_fmt_count(bom->cables, c2, sizeof c2), lfi_fmt_count(bom->fibres, c3, sizeof c3));
	lfi_buf_printf(&b, "   modules %s (switch end %s, server end %s)\n",
	               lfi_fmt_count(bom->modules, c1, sizeof c1), lfi_fmt_count(bom->modules_switch_end, c2, sizeof c2),
	               lfi_fmt_count(bom->modules_server_end, c3, sizeof c3));
	lfi_buf_printf(&b, "  GPU : transceiver  %lld : %llu (%.3f modules per GPU)\n",
	               (long long)pl->gpus, (unsigned long long)bom->modules,
	               pl->gpus ? (double)bom->modules / (double)pl->gpus : 0.0);
	lfi_buf_printf(&b, "  power  %.1f kW typ, %.1f kW max (switches %.1f / optics %.1f / "
	               "cables %.1f kW typ)\n", bom->power_typ_w / 1e3, bom->power_max_w / 1e3,
	               bom->power_typ_cat_w[LF_BOM_SWITCH] / 1e3,
	               bom->power_typ_cat_w[LF_BOM_TRANSCEIVER] / 1e3,
	               bom->power_typ_cat_w[LF_BOM_CABLE] / 1e3);
	uint64_t els = 0;
	for (size_t i = 0; i < bom->n_lines; i++)
		els += bom->lines[i].cat == LF_BOM_LASER_SOURCE ? bom->lines[i].count : 0;
	if (els)
		lfi_buf_printf(&b, "  co-packaged optics: no modules at the switch ports; %s external "
		               "laser source modules (%.1f kW typ, $%s) feed them\n",
		               lfi_fmt_count(els, c1, sizeof c1),
		               bom->power_typ_cat_w[LF_BOM_LASER_SOURCE] / 1e3,
		               lfi_fmt_count((uint64_t)(bom->capex_cat_usd[LF_BOM_LASER_SOURCE] + 0.5), c2,
		                             sizeof c2));
	lfi_buf_printf(&b, "  capex  $%s (switches $%s, optics $%s, cables+fibre $%s)\n\n",
	               lfi_fmt_count((uint64_t)(bom->capex_usd + 0.5), c1, sizeof c1),
	               lfi_fmt_count((uint64_t)(bom->capex_cat_usd[LF_BOM_SWITCH] + 0.5), c2, sizeof c2),
	               lfi_fmt_count((uint64_t)(bom->capex_cat_usd[LF_BOM_TRANSCEIVER] + 0.5), c3, sizeof c3),
	               lfi_fmt_count((uint64_t)(bom->capex_cat_usd[LF_BOM_CABLE] +
	                             bom->capex_cat_usd[LF_BOM_FIBRE] + 0.5), c4, sizeof c4));
	bom_table(&b, bom, pl->layout != NULL);
	for (size_t k = 0; k < pl->n_stages; k++) {
		const lf_stage_result *s = &pl->stages[k];
		char month[16];
		lfi_format_month(s->need_by, month, sizeof month);
		lfi_buf_printf(&b, "\n  stage %s (need by %s): %lld servers, %lld GPUs in all; adds "
		               "%s links, %s modules, $%s\n", s->name, month, (long long)s->servers,
		               (long long)s->gpus, lfi_fmt_count(s->delta.links, c1, sizeof c1),
		               lfi_fmt_count(s->delta.modules, c2, sizeof c2),
		               lfi_fmt_count((uint64_t)(s->delta.capex_usd + 0.5), c3, sizeof c3));
		bom_table(&b, &s->delta, pl->layout != NULL);
	}
	if (pl->notes[0])
		lfi_buf_printf(&b, "\n  notes: %s\n", pl->notes);
	return lfi_buf_finish(&b, out, err);
}

static void csv_rows(lfi_buf *b, const char *scope, const lf_bom *bom)
{
	for (size_t i = 0; i < bom->n_lines; i++) {
		const lf_bom_line *l = &bom->lines[i];
		lfi_emit_csv_field(b, scope);
		lfi_buf_printf(b, ",%s,", lfi_bom_cat_name(l->cat));
		lfi_emit_csv_field(b, l->sku);
		lfi_buf_puts(b, ",");
		lfi_emit_csv_field(b, l->name);
		lfi_buf_printf(b, ",%s,%d,%d,%llu,%.2f,%.3f,%.3f,%.2f,%.3f,%.3f,", end_str(l->end),
		               l->level, l->links_per_module, (unsigned long long)l->count,
		               l->unit_price_usd, l->unit_power_typ_w, l->unit_power_max_w,
		               (double)l->count * l->unit_price_usd,
		               (double)l->count * l->unit_power_typ_w,
		               (double)l->count * l->unit_power_max_w);
		if (l->length_m > 0)
			lfi_buf_printf(b, "%g", l->length_m);
		lfi_buf_puts(b, "\n");
	}
}

lf_status lfi_emit_csv(const lf_plan *pl, char **out, lf_error *err)
{
	lfi_buf b;
	lfi_buf_init(&b);
	lfi_buf_puts(&b, "scope,category,sku,name,end,level,links_per_module,count,unit_price_usd,"
	                "unit_power_typ_w,unit_power_max_w,price_usd,power_typ_w,power_max_w,length_m\n");
	csv_rows(&b, "total", &pl->bom);
	for (size_t k = 0; k < pl->n_stages; k++) {
		lfi_buf sc;
		lfi_buf_init(&sc);
		lfi_buf_printf(&sc, "stage:%s", pl->stages[k].name);
		csv_rows(&b, sc.data ? sc.data : "stage", &pl->stages[k].delta);
		lfi_buf_release(&sc);
	}
	return lfi_buf_finish(&b, out, err);
}

lf_status lf_plan_render(const lf_plan *pl, lf_format fmt, char **out, lf_error *err)
{
	switch (fmt) {
	case LF_FMT_TABLE: return lfi_emit_table(pl, out, err);
	case LF_FMT_JSON: return lfi_emit_json(pl, out, err);
	case LF_FMT_CSV: return lfi_emit_csv(pl, out, err);
	case LF_FMT_DOT: return lfi_emit_dot(pl, out, err);
	}
	return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "unknown format %d", (int)fmt);
}
