/*
 * emit_json.c — the plan as JSON (jansson), following the output contract
 * of docs/json.md: the contract's fields stay, others may be added.  Numbers
 * come from the same lf_plan the table, CSV and DOT renderers read.
 */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "render.h"

static const char *end_name(lf_end e)
{
	return e == LF_END_SERVER ? "server" : e == LF_END_SWITCH ? "switch" : "none";
}


static json_t *power_obj(double typ, double max)
{
	return json_pack("{s:f, s:f}", "typ", typ, "max", max);
}

/* The BOM's lists and totals, added to `o` (top level or a stage). */
static int add_bom(json_t *o, const lf_bom *b, int64_t gpus)
{
	json_t *tx = json_array(), *cables = json_array(), *sw = json_array();
	json_t *lines = json_array();
	if (!tx || !cables || !sw || !lines)
		return -1;
	for (size_t i = 0; i < b->n_lines; i++) {
		const lf_bom_line *l = &b->lines[i];
		json_t *line = json_pack("{s:s, s:s, s:s, s:s, s:I, s:i, s:i, s:f, s:f, s:f}",
		                         "category", lfi_bom_cat_name(l->cat), "sku", l->sku, "name", l->name,
		                         "end", end_name(l->end), "count", (json_int_t)l->count,
		                         "level", l->level, "links_per_module", l->links_per_module,
		                         "unit_price_usd", l->unit_price_usd, "unit_power_typ_w",
		                         l->unit_power_typ_w, "unit_power_max_w", l->unit_power_max_w);
		json_object_set_new(line, "unit_lasers", json_integer(l->unit_lasers));
		json_object_set_new(line, "length_m", json_real(l->length_m));
		json_array_append_new(lines, line);
		if (l->cat == LF_BOM_TRANSCEIVER)
			json_array_append_new(tx, json_pack("{s:s, s:s, s:I, s:i}", "sku", l->sku, "end",
			                                    end_name(l->end), "count", (json_int_t)l->count,
			                                    "links_per_module", l->links_per_module));
		else if (l->cat == LF_BOM_SWITCH)
			json_array_append_new(sw, json_pack("{s:s, s:I}", "sku", l->sku, "count",
			                                    (json_int_t)l->count));
		else
			json_array_append_new(cables, json_pack("{s:s, s:s, s:I, s:f}", "sku", l->sku,
			                                        "kind", lfi_bom_cat_name(l->cat), "count",
			                                        (json_int_t)l->count, "length_m",
			                                        l->length_m));
	}
	json_object_set_new(o, "links_total", json_integer((json_int_t)b->links));
	json_object_set_new(o, "cables_total", json_integer((json_int_t)b->cables));
	json_object_set_new(o, "fibres_total", json_integer((json_int_t)b->fibres));
	json_object_set_new(o, "modules_total", json_integer((json_int_t)b->modules));
	json_object_set_new(o, "modules_switch_end", json_integer((json_int_t)b->modules_switch_end));
	json_object_set_new(o, "modules_server_end", json_integer((json_int_t)b->modules_server_end));
	json_object_set_new(o, "switches_total", json_integer((json_int_t)b->switches));
	json_object_set_new(o, "lasers_total", json_integer((json_int_t)b->lasers));
	json_object_set_new(o, "switches", sw);
	json_object_set_new(o, "transceivers", tx);
	json_object_set_new(o, "cables", cables);
	json_object_set_new(o, "bom", lines);
	json_t *pw = power_obj(b->power_typ_w, b->power_max_w);
	json_t *capex = json_object();
	for (int c = 0; c < LF_BOM_CATS; c++) {
		static const char *const k[] = { "switches", "transceivers", "cables", "fibres",
		                                 "laser_sources" };
		json_object_set_new(pw, k[c], power_obj(b->power_typ_cat_w[c], b->power_max_cat_w[c]));
		json_object_set_new(capex, k[c], json_real(b->capex_cat_usd[c]));
	}
	json_object_set_new(o, "power_w", pw);
	json_object_set_new(o, "capex_usd", json_real(b->capex_usd));
	json_object_set_new(o, "capex_by_category_usd", capex);
	json_object_set_new(o, "transceivers_per_gpu",
	                    json_real(gpus ? (double)b->modules / (double)gpus : 0));
	return 0;
}

/* The parts of a medium, added to `o`. */
static void media_parts(json_t *o, const lf_media *m)
{
		if (m->cable) {
			json_object_set_new(o, "cable", json_string(m->cable->id));
			json_object_set_new(o, "cable_kind", json_string(lfi_optic_kind_name(m->cable->kind)));
		} else {
			json_object_set_new(o, "lower", json_string(m->lower->id));
			json_object_set_new(o, "upper", json_string(m->upper->id));
			json_object_set_new(o, "standard", json_string(m->lower->standard));
			json_object_set_new(o, "laser", json_string(lfi_laser_name(m->lower->laser)));
			if (m->fibre)
				json_object_set_new(o, "fibre", json_string(m->fibre->id));
		}
}

static json_t *media_json(const lf_plan *pl)
{
	json_t *a = json_array();
	for (int lv = 1; lv <= pl->tiers; lv++) {
		const lf_media *m = &pl->media[lv];
		if (!m->gbps)
			continue;
		json_t *o = json_pack("{s:i, s:s, s:i, s:f, s:i, s:i, s:s}", "level", lv, "name",
		                      lfi_level_name(lv), "link_gbps", m->gbps, "distance_m",
		                      m->distance_m, "lower_links_per_cage", m->lower_ppc,
		                      "upper_links_per_cage", m->upper_ppc, "why", m->why);
		media_parts(o, m);
		json_array_append_new(a, o);
	}
	return a;
}

/* The floor (docs/json.md "layout"): settings, racks, every device's place,
 * the media mix and the length histogram per level.  Per-cable rows are
 * the cabling schedule's (plan --cabling, streamed), not here. */
static json_t *layout_json(const lf_plan *pl)
{
	static const char *const pos[] = { "middle", "end", "shared" };
	static const char *const role[] = { "compute", "network", "spine" };
	static const char *const kind[] = { "server", "leaf", "spine", "core" };
	const lf_layout *ly = pl->layout;
	const lf_layout_spec *e = &ly->eff;
	json_t *o = json_object();
	json_object_set_new(o, "derived", json_boolean(!e->given));
	json_object_set_new(o, "site", json_string(pl->name));
	json_t *set = json_pack("{s:i, s:f, s:f, s:f, s:s, s:i, s:i, s:i, s:i, s:f, s:f, s:s, s:s,"
	                        " s:f, s:f, s:f}",
	                        "rack_units", e->rack_units, "rack_width_m", e->rack_width_m,
	                        "rack_depth_m", e->rack_depth_m, "power_budget_w", e->power_budget_w,
	                        "over_budget", e->over_budget_warn ? "warn" : "error",
	                        "servers_per_rack", e->servers_per_rack, "server_units",
	                        e->server_units, "switch_units", e->switch_units, "racks_per_row",
	                        e->racks_per_row, "aisle_m", e->aisle_m, "row_pitch_m",
	                        e->row_pitch_m, "network_racks", pos[e->network_racks], "spine_row",
	                        pos[e->spine_row], "tray_height_m", e->tray_height_m, "slack_m",
	                        e->slack_m, "bend_m", e->bend_m);
	json_object_set_new(o, "settings", set);
	json_object_set_new(o, "rows", json_integer(ly->rows));
	json_object_set_new(o, "racks_total", json_integer((json_int_t)ly->n_racks));
	json_t *racks = json_array();
	double sum = 0, max = 0;
	size_t over = 0;
	for (size_t r = 0; r < ly->n_racks; r++) {
		const lf_rack *k = &ly->racks[r];
		char id[16];
		lf_layout_rack_id(ly, (uint32_t)r, id, sizeof id);
		json_t *x = json_pack("{s:s, s:i, s:i, s:s, s:i, s:f}", "id", id, "row",
		                      (int)k->row + 1, "position", (int)k->col + 1, "role",
		                      role[k->role], "devices", (int)k->devices, "power_w", k->power_w);
		if (k->role != LF_RACK_SPINE)
			json_object_set_new(x, "su", json_integer(k->su + 1));
		json_array_append_new(racks, x);
		sum += k->power_w;
		max = k->power_w > max ? k->power_w : max;
		over += k->power_w > e->power_budget_w + 1e-6;
	}
	json_object_set_new(o, "rack_power_w",
	                    json_pack("{s:f, s:f, s:f, s:I}", "max", max, "mean",
	                              ly->n_racks ? sum / (double)ly->n_racks : 0, "budget",
	                              e->power_budget_w, "racks_over_budget", (json_int_t)over));
	json_object_set_new(o, "racks", racks);
	json_t *dev = json_array();
	for (size_t i = 0; i < pl->n_nodes; i++) {
		const lf_node *n = &pl->nodes[i];
		char name[64], rack[16];
		lf_layout_node_name(pl, (uint32_t)i, name, sizeof name);
		lf_layout_rack_id(ly, ly->node_rack[i], rack, sizeof rack);
		json_array_append_new(dev, json_pack("{s:s, s:s, s:s, s:i, s:i, s:i}", "name", name,
		                                     "kind", n->kind == LF_NODE_SLOT ? "slot" : kind[n->tier < 4 ? n->tier : 3], "rack",
		                                     rack, "row", (int)ly->racks[ly->node_rack[i]].row + 1,
		                                     "u", (int)ly->node_u[i], "units",
		                                     ly->units[n->tier < 4 ? n->tier : 3]));
	}
	json_object_set_new(o, "devices", dev);
	json_t *mix = json_array();
	for (size_t v = 0; v < ly->n_var; v++) {
		const lf_media *m = &ly->var[v];
		json_t *x = json_pack("{s:i, s:s, s:I}", "level", m->level, "name",
		                      lfi_level_name(m->level), "links", (json_int_t)ly->var_links[v]);
		media_parts(x, m);
		json_array_append_new(mix, x);
	}
	json_object_set_new(o, "media", mix);
	json_t *lens = json_array();
	for (int lv = 1; lv <= pl->tiers; lv++) {
		double len[64];
		uint64_t cnt[64];
		size_t n = lf_layout_lengths(pl, ly, lv, len, cnt, 64);
		json_t *h = json_array();
		for (size_t k = 0; k < n; k++)
			json_array_append_new(h, json_pack("{s:f, s:I}", "length_m", len[k], "links",
			                                   (json_int_t)cnt[k]));
		json_array_append_new(lens, json_pack("{s:i, s:s, s:f, s:o}", "level", lv, "name",
		                                      lfi_level_name(lv), "routed_max_m",
		                                      ly->max_routed_m[lv], "histogram", h));
	}
	json_object_set_new(o, "lengths", lens);
	json_object_set_new(o, "notes", json_string(ly->notes));
	return o;
}

lf_status lfi_emit_json(const lf_plan *pl, char **out, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	json_t *o = json_object();
	if (!o)
		return lfi_oom(err);
	json_object_set_new(o, "name", json_string(pl->name));
	json_object_set_new(o, "gpus", json_integer(pl->gpus));
	json_object_set_new(o, "servers", json_integer(pl->servers));
	json_object_set_new(o, "server_model", json_string(sp->server->id));
	json_object_set_new(o, "server_slots", json_integer(pl->slots));
	json_object_set_new(o, "final_servers", json_integer(sp->final_servers));
	json_object_set_new(o, "fabric",
	                    json_pack("{s:s, s:i, s:i, s:i, s:i, s:i, s:i, s:i, s:i}", "kind",
	                              sp->kind == LF_FABRIC_RAIL ? "rail-optimized" : "fat-tree",
	                              "tiers", pl->tiers, "planes", pl->planes, "su_servers",
	                              pl->su_servers, "sus", pl->sus, "pod_sus", pl->pod_sus, "pods",
	                              pl->pods, "rails_per_leaf", pl->rails_per_leaf,
	                              "leaves_per_su", pl->leaves_per_su));
	json_t *tiers = json_array();
	for (size_t i = 0; i < pl->n_tier_results; i++) {
		const lf_tier_result *t = &pl->tier_results[i];
		json_array_append_new(tiers,
		    json_pack("{s:s, s:i, s:i, s:I, s:s, s:I, s:I, s:i, s:i, s:i, s:i, s:f}", "name",
		              t->name, "tier", t->tier, "plane", t->plane, "switches",
		              (json_int_t)t->switches, "switch_model", t->switch_model, "links_down",
		              (json_int_t)t->links_down, "links_up", (json_int_t)t->links_up,
		              "link_gbps", t->link_gbps, "up_link_gbps", t->up_link_gbps,
		              "ports_down", (int)t->ports_down, "ports_up", (int)t->ports_up,
		              "oversubscription", t->oversubscription));
	}
	json_object_set_new(o, "tiers", tiers);
	json_object_set_new(o, "media", media_json(pl));
	add_bom(o, &pl->bom, pl->gpus);
	char ratio[64];
	snprintf(ratio, sizeof ratio, "%lld:%llu", (long long)pl->gpus,
	         (unsigned long long)pl->bom.modules);
	json_object_set_new(o, "gpu_transceiver_ratio", json_string(ratio));
	json_t *stages = json_array();
	for (size_t k = 0; k < pl->n_stages; k++) {
		const lf_stage_result *s = &pl->stages[k];
		char month[16];
		lfi_format_month(s->need_by, month, sizeof month);
		json_t *so = json_pack("{s:s, s:s, s:I, s:I}", "name", s->name, "need_by", month,
		                       "servers", (json_int_t)s->servers, "gpus", (json_int_t)s->gpus);
		json_t *cum = json_object(), *inc = json_object();
		add_bom(cum, &s->bom, s->gpus);
		add_bom(inc, &s->delta, s->gpus - (k ? pl->stages[k - 1].gpus : 0));
		json_object_set_new(so, "cumulative", cum);
		json_object_set_new(so, "increment", inc);
		json_array_append_new(stages, so);
	}
	json_object_set_new(o, "stages", stages);
	if (pl->layout)
		json_object_set_new(o, "layout", layout_json(pl));
	json_object_set_new(o, "notes", json_string(pl->notes));
	return lfi_emit_json_dump(o, 0, out, err);
}
