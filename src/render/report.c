/*
 * report.c — `lightfab report`: the plan (and, when given, its reliability,
 * a simulated workload and a sourcing answer) as one self-contained HTML
 * document, and the same sections as a fragment for the web UI's results
 * panel (serve.c).
 *
 * Self-contained: inline CSS, inline SVG charts (svg.c), the topology laid
 * out by Graphviz (libgvc, "dot" layout, rendered to SVG in memory) and
 * inlined; no scripts, no fonts, no images, nothing fetched.  Print CSS
 * keeps cards, tables and charts from splitting across pages.
 *
 * Every number is read from the lf_plan / lf_reliability / lf_sim_report /
 * lf_supply_result the JSON renderers read, so the report cannot disagree
 * with `lightfab plan|reliability|sim|source --json`.  Cards, BOM rows and
 * table rows carry the raw value in data-* attributes (the tests compare
 * them with the JSON; a reader sees the grouped figure).  All user text
 * (names, SKUs, notes) is escaped.
 *
 * Simulation: collective sweeps as a busBW-versus-size line chart (log2
 * sizes, one line per collective entry, the hardware bound dashed: NVLink
 * inside a server, the communicator's NICs per server across servers, times
 * the efficiency) and the nccl-tests table; a training step as a stacked
 * bar (compute with the bubble + each kind's exposed time = the step), the
 * per-kind table and the busiest links.  Sourcing: per answer a Gantt of
 * the stages (first order to ready; need-by marked, slip in red; every
 * stage draws on the same orders, as stock is shared), stages, orders by
 * supplier and period, cost, binding constraints with shadow prices.
 *
 * Sections whose inputs were not given are left out, not shown empty.
 * Graphviz keeps global state (error level, plugin registry), so the
 * layout runs under one process-wide lock: the only static mutable state of
 * the library, guarding a library that is not ours.
 */
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "workload.h"
#include "svg.h"

/* The report draws every switch up to this many, else aggregates per SU /
 * pod / core group (one box per group with link counts on the edges). */
#define REPORT_EACH_MAX 24

static pthread_mutex_t gv_lock = PTHREAD_MUTEX_INITIALIZER;

/* Graphviz with only the plugins the drawing needs, linked in: the dot
 * layout and the core renderers (SVG).  No plugin config is read and no
 * text-layout plugin (pango, fontconfig) is loaded, so label widths come
 * from Graphviz's built-in font metrics: the same SVG on every machine,
 * whatever fonts are installed. */
extern gvplugin_library_t gvplugin_dot_layout_LTX_library;
extern gvplugin_library_t gvplugin_core_LTX_library;
static const lt_symlist_t gv_builtins[] = {
	{ "gvplugin_dot_layout_LTX_library", &gvplugin_dot_layout_LTX_library },
	{ "gvplugin_core_LTX_library", &gvplugin_core_LTX_library },
	{ NULL, NULL },
};

static const char css[] =
	"body{font-family:system-ui,-apple-system,'Segoe UI',sans-serif;margin:0;color:#1d2430;"
	"background:#fff}\n"
	".lf-report{max-width:1100px;margin:0 auto;padding:16px 24px}\n"
	".lf-report h1{font-size:1.6em;margin:.2em 0}.lf-report h2{font-size:1.2em;"
	"border-bottom:2px solid #2f6db5;padding-bottom:2px;margin-top:1.6em}\n"
	".lf-report .sub{color:#556;margin:0 0 1em}\n"
	".cards{display:flex;flex-wrap:wrap;gap:10px}\n"
	".card{border:1px solid #cdd5e0;border-radius:6px;padding:8px 12px;min-width:120px;"
	"break-inside:avoid}\n"
	".card .k{font-size:.8em;color:#556;text-transform:uppercase;letter-spacing:.04em}\n"
	".card .v{font-size:1.35em;font-weight:600}\n"
	"table.t{border-collapse:collapse;font-size:.9em;margin:.5em 0}\n"
	"table.t th,table.t td{border-bottom:1px solid #e2e6ec;padding:3px 8px;text-align:left}\n"
	"table.t th{white-space:nowrap}.wide{overflow-x:auto}\n"
	"table.t td.n,table.t th.n{text-align:right;font-variant-numeric:tabular-nums}\n"
	"table.t tr{break-inside:avoid}\n"
	"figure.chart{margin:.8em 0;break-inside:avoid}figure.chart figcaption{font-weight:600;"
	"margin-bottom:4px}\n"
	"figure.chart svg,.topo svg{max-width:100%;height:auto}\n"
	".topo{overflow:auto;break-inside:avoid}\n"
	".notes{color:#445;font-size:.9em}\n"
	".lf-report h3{font-size:1em;margin:1.2em 0 .3em}tr.late td{color:#c23b3b}\n"
	"footer.lf{color:#889;font-size:.8em;margin-top:2em}\n"
	"@media print{.lf-report{max-width:none;padding:0}h2{break-after:avoid}"
	"section{break-inside:auto}}\n";

const char *lfi_report_css(void)
{
	return css;
}

static void card_count(lfi_buf *b, const char *key, const char *label, uint64_t v)
{
	char shown[32], raw[32];
	snprintf(raw, sizeof raw, "%llu", (unsigned long long)v);
	lfi_report_card(b, key, label, lfi_fmt_count(v, shown, sizeof shown), raw);
}


static const char *end_str(lf_end e)
{
	return e == LF_END_SERVER ? "server" : e == LF_END_SWITCH ? "switch" : "";
}

/* ------------------------------------------------------------ plan parts */

static void summary(lfi_buf *b, const lf_plan *pl)
{
	const lf_bom *bom = &pl->bom;
	char s[64];
	lfi_buf_puts(b, "<section id=\"summary\"><h2>Summary</h2><div class=\"cards\">\n");
	card_count(b, "gpus", "GPUs", (uint64_t)pl->gpus);
	card_count(b, "servers", "servers", (uint64_t)pl->servers);
	card_count(b, "switches", "switches", bom->switches);
	card_count(b, "links", "links", bom->links);
	card_count(b, "cables", "cables", bom->cables);
	card_count(b, "fibres", "fibre strands", bom->fibres);
	card_count(b, "modules", "transceiver modules", bom->modules);
	snprintf(s, sizeof s, "%.1f kW", bom->power_typ_w / 1e3);
	lfi_report_card_real(b, "power_typ_w", "power typ", s, bom->power_typ_w);
	snprintf(s, sizeof s, "%.1f kW", bom->power_max_w / 1e3);
	lfi_report_card_real(b, "power_max_w", "power max", s, bom->power_max_w);
	lfi_report_money(s, sizeof s, bom->capex_usd);
	lfi_report_card_real(b, "capex_usd", "capex", s, bom->capex_usd);
	/* the same string as the JSON's gpu_transceiver_ratio */
	snprintf(s, sizeof s, "%lld:%llu", (long long)pl->gpus, (unsigned long long)bom->modules);
	lfi_report_card(b, "ratio", "GPU : transceiver", s, s);
	lfi_buf_puts(b, "</div></section>\n");
}

/* A medium as a table cell: the cable and its kind, or the modules at both
 * ends with their standard and laser. */
static void medium_td(lfi_buf *b, const lf_media *m)
{
	lfi_buf_puts(b, "<td>");
	if (m->cable) {
		lfi_html_esc(b, m->cable->id);
		lfi_buf_printf(b, " (%s)", lfi_optic_kind_name(m->cable->kind));
	} else {
		lfi_html_esc(b, m->lower->id);
		lfi_buf_puts(b, " &#8596; ");
		lfi_html_esc(b, m->upper->id);
		lfi_buf_puts(b, " (");
		lfi_html_esc(b, m->lower->standard);
		lfi_buf_printf(b, ", %s)", lfi_laser_name(m->lower->laser));
	}
	lfi_buf_puts(b, "</td>");
}

static void fabric(lfi_buf *b, const lf_plan *pl)
{
	char g[16];
	lfi_buf_puts(b, "<section id=\"fabric\"><h2>Fabric</h2>\n<table class=\"t\"><tr><th>tier</th>"
	               "<th class=\"n\">plane</th><th>switch</th><th class=\"n\">switches</th>"
	               "<th class=\"n\">links down</th><th class=\"n\">links up</th><th>speed</th>"
	               "<th class=\"n\">ports down/up</th><th class=\"n\">down:up</th></tr>\n");
	for (size_t i = 0; i < pl->n_tier_results; i++) {
		const lf_tier_result *t = &pl->tier_results[i];
		lfi_format_gbps(t->link_gbps, g, sizeof g);
		lfi_buf_printf(b, "<tr data-tier=\"%d\" data-plane=\"%d\" data-switches=\"%llu\">",
		               t->tier, t->plane, (unsigned long long)t->switches);
		lfi_report_td_text(b, t->name);
		lfi_buf_printf(b, "<td class=\"n\">%d</td>", t->plane);
		lfi_report_td_text(b, t->switch_model);
		lfi_report_td_count(b, t->switches);
		lfi_report_td_count(b, t->links_down);
		lfi_report_td_count(b, t->links_up);
		lfi_report_td_text(b, g);
		lfi_buf_printf(b, "<td class=\"n\">%u/%u</td><td class=\"n\">%.2f:1</td></tr>\n",
		               t->ports_down, t->ports_up, t->oversubscription);
	}
	lfi_buf_puts(b, "</table>\n<table class=\"t\"><tr><th>link level</th><th>speed</th>"
	               "<th>medium</th><th>why</th></tr>\n");
	for (int lv = 1; lv <= pl->tiers; lv++) {
		const lf_media *m = &pl->media[lv];
		if (!m->gbps)
			continue;
		lfi_format_gbps(m->gbps, g, sizeof g);
		lfi_buf_puts(b, "<tr>");
		lfi_report_td_text(b, lfi_level_name(lv));
		lfi_report_td_text(b, g);
		medium_td(b, m);
		lfi_report_td_text(b, m->why);
		lfi_buf_puts(b, "</tr>\n");
	}
	const lf_layout *ly = pl->layout;
	if (ly) {
		/* on the floor each link runs on the medium of its route */
		lfi_buf_puts(b, "</table>\n<table class=\"t\"><caption>on the floor: the medium of each "
		                "link's route</caption><tr><th>link level</th><th>links</th>"
		                "<th>medium</th></tr>\n");
		for (size_t k = 0; k < ly->n_var; k++) {
			const lf_media *m = &ly->var[k];
			if (!ly->var_links[k])
				continue;
			lfi_buf_puts(b, "<tr>");
			lfi_report_td_text(b, lfi_level_name(m->level));
			lfi_report_td_count(b, ly->var_links[k]);
			medium_td(b, m);
			lfi_buf_puts(b, "</tr>\n");
		}
	}
	lfi_buf_puts(b, "</table></section>\n");
}

/* `lengths`: the plan has a layout, cables and patch cords per length */
static void bom_table(lfi_buf *b, const lf_bom *bom, const char *id, bool lengths)
{
	lfi_buf_printf(b, "<table class=\"t\" id=\"%s\"><tr><th>category</th><th>SKU</th><th>name</th>"
	               "<th>end</th>%s<th class=\"n\">links/module</th><th class=\"n\">count</th>"
	               "<th class=\"n\">unit $</th><th class=\"n\">capex $</th>"
	               "<th class=\"n\">power typ W</th></tr>\n", id,
	               lengths ? "<th class=\"n\">length</th>" : "");
	for (size_t i = 0; i < bom->n_lines; i++) {
		const lf_bom_line *l = &bom->lines[i];
		char c[32];
		lfi_buf_printf(b, "<tr data-category=\"%s\" data-sku=\"", lfi_bom_cat_name(l->cat));
		lfi_html_esc(b, l->sku);
		lfi_buf_printf(b, "\" data-end=\"%s\" data-count=\"%llu\">", end_str(l->end),
		               (unsigned long long)l->count);
		lfi_report_td_text(b, lfi_bom_cat_name(l->cat));
		lfi_report_td_text(b, l->sku);
		lfi_report_td_text(b, l->name);
		lfi_report_td_text(b, end_str(l->end));
		if (lengths && l->length_m > 0)
			lfi_buf_printf(b, "<td class=\"n\">%g m</td>", l->length_m);
		else if (lengths)
			lfi_buf_puts(b, "<td></td>");
		lfi_buf_printf(b, "<td class=\"n\">%d</td>", l->links_per_module);
		lfi_report_td_count(b, l->count);
		lfi_buf_printf(b, "<td class=\"n\">%s</td>",
		               lfi_fmt_count((uint64_t)llround(l->unit_price_usd), c, sizeof c));
		lfi_buf_printf(b, "<td class=\"n\">%s</td>",
		               lfi_fmt_count((uint64_t)llround((double)l->count * l->unit_price_usd), c,
		                             sizeof c));
		lfi_buf_printf(b, "<td class=\"n\">%.1f</td></tr>\n",
		               (double)l->count * l->unit_power_typ_w);
	}
	lfi_buf_puts(b, "</table>\n");
}

static lf_status bom_section(lfi_buf *b, const lf_plan *pl, lf_error *err)
{
	const lf_bom *bom = &pl->bom;
	lfi_buf_puts(b, "<section id=\"bom\"><h2>Bill of materials</h2>\n");
	bom_table(b, bom, "bom-total", pl->layout != NULL);

	/* modules by SKU and end */
	lfi_svg_bar *bars = calloc(bom->n_lines + 1, sizeof *bars);
	char (*labels)[160] = calloc(bom->n_lines + 1, sizeof *labels);
	if (!bars || !labels) {
		free(bars);
		free(labels);
		return lfi_oom(err);
	}
	size_t n = 0;
	for (size_t i = 0; i < bom->n_lines; i++) {
		const lf_bom_line *l = &bom->lines[i];
		if (l->cat != LF_BOM_TRANSCEIVER && l->cat != LF_BOM_CABLE)
			continue;
		char len[24] = "";
		if (l->length_m > 0)
			snprintf(len, sizeof len, " %g m", l->length_m);
		snprintf(labels[n], sizeof labels[n], "%s%s%s%s", l->sku, len, l->end ? " @" : "",
		         end_str(l->end));
		bars[n].label = labels[n];
		bars[n].value = (double)l->count;
		n++;
	}
	if (n)
		lfi_svg_hbars(b, "Modules and cables by SKU", bars, n, "#");
	free(bars);
	free(labels);

	static const char *const cats[] = { "switches", "transceivers", "cables", "fibres",
	                                    "laser sources" };
	lfi_svg_bar parts[LF_BOM_CATS];
	/* laser sources only where there are any (co-packaged switches) */
	int nc = bom->capex_cat_usd[LF_BOM_LASER_SOURCE] > 0 ||
	         bom->power_typ_cat_w[LF_BOM_LASER_SOURCE] > 0 ? LF_BOM_CATS : LF_BOM_CATS - 1;
	for (int c = 0; c < nc; c++)
		parts[c] = (lfi_svg_bar){ cats[c], bom->power_typ_cat_w[c] / 1e3 };
	lfi_svg_stack(b, "Power (typical) by category, kW", parts, (size_t)nc, "%.1f kW");
	for (int c = 0; c < nc; c++)
		parts[c] = (lfi_svg_bar){ cats[c], bom->capex_cat_usd[c] };
	lfi_svg_stack(b, "Capex by category, USD", parts, (size_t)nc, "$");
	lfi_buf_puts(b, "</section>\n");
	return LF_OK;
}

static lf_status stages_section(lfi_buf *b, const lf_plan *pl, lf_error *err)
{
	if (!pl->n_stages)
		return LF_OK;
	lfi_buf_puts(b, "<section id=\"stages\"><h2>Deployment stages</h2>\n<table class=\"t\">"
	               "<tr><th>stage</th><th>need by</th><th class=\"n\">servers</th>"
	               "<th class=\"n\">GPUs</th><th class=\"n\">links added</th>"
	               "<th class=\"n\">modules added</th><th class=\"n\">capex added</th></tr>\n");
	lfi_svg_bar *bars = calloc(pl->n_stages, sizeof *bars);
	if (!bars)
		return lfi_oom(err);
	for (size_t k = 0; k < pl->n_stages; k++) {
		const lf_stage_result *s = &pl->stages[k];
		char month[16], money_s[32];
		lfi_format_month(s->need_by, month, sizeof month);
		lfi_report_money(money_s, sizeof money_s, s->delta.capex_usd);
		lfi_buf_puts(b, "<tr data-stage=\"");
		lfi_html_esc(b, s->name);
		lfi_buf_puts(b, "\">");
		lfi_report_td_text(b, s->name);
		lfi_report_td_text(b, month);
		lfi_report_td_count(b, (uint64_t)s->servers);
		lfi_report_td_count(b, (uint64_t)s->gpus);
		lfi_report_td_count(b, s->delta.links);
		lfi_report_td_count(b, s->delta.modules);
		lfi_buf_printf(b, "<td class=\"n\">%s</td></tr>\n", money_s);
		bars[k] = (lfi_svg_bar){ s->name, s->delta.capex_usd };
	}
	lfi_buf_puts(b, "</table>\n");
	lfi_svg_hbars(b, "Capex added per stage, USD", bars, pl->n_stages, "$");
	free(bars);
	lfi_buf_puts(b, "</section>\n");
	return LF_OK;
}

/* The aggregated topology, laid out by dot and rendered to SVG in memory. */
static lf_status topology_section(lfi_buf *b, const lf_plan *pl, lf_error *err)
{
	pthread_mutex_lock(&gv_lock);
	int old_level = agseterr(AGMAX);   /* the library never prints */
	lf_status st = LF_OK;
	GVC_t *gvc = gvContextPlugins(gv_builtins, 0);
	Agraph_t *g = NULL;
	char *data = NULL;
	unsigned int len = 0;
	bool laid = false;
	if (!gvc)
		st = lfi_oom(err);
	if (st == LF_OK)
		st = lfi_topo_graph(pl, REPORT_EACH_MAX, NULL, &g, err);
	if (st == LF_OK) {
		agattr(g, AGRAPH, "fontname", "Helvetica");
		agattr(g, AGRAPH, "nodesep", "0.3");
		agattr(g, AGRAPH, "ranksep", "1.0");
		agattr(g, AGNODE, "fontname", "Helvetica");
		agattr(g, AGNODE, "fontsize", "11");
		agattr(g, AGEDGE, "fontname", "Helvetica");
		agattr(g, AGEDGE, "fontsize", "9");
		agattr(g, AGEDGE, "color", "#7f8da3");
		if (gvLayout(gvc, g, "dot") != 0)
			st = lfi_fail(err, LF_EINTERNAL, NULL, 0, 0,
			              "graphviz could not lay out the topology (is the dot plugin installed?)");
		else
			laid = true;
	}
	if (st == LF_OK && (gvRenderData(gvc, g, "svg", &data, &len) != 0 || !data))
		st = lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "graphviz could not render SVG");
	if (st == LF_OK) {
		/* inline the <svg> element alone: drop the XML prolog, the DOCTYPE
		 * and the comments (which carry the unescaped graph name) */
		const char *p = strstr(data, "<svg");
		lfi_buf_puts(b, "<section id=\"topology\"><h2>Topology</h2><div class=\"topo\">\n");
		while (p && *p) {
			const char *c = strstr(p, "<!--");
			if (!c) {
				lfi_buf_puts(b, p);
				break;
			}
			lfi_buf_add(b, p, (size_t)(c - p));
			const char *e = strstr(c + 4, "-->");
			p = e ? e + 3 : NULL;
		}
		lfi_buf_puts(b, "</div><p class=\"notes\">Boxes are servers per SU and switches (one "
		               "per switch in small fabrics, else one per SU, pod or core group and "
		               "plane); edges are labelled with their links and speed.</p></section>\n");
	}
	if (data)
		gvFreeRenderData(data);
	if (laid)
		gvFreeLayout(gvc, g);
	if (g)
		agclose(g);
	if (gvc)
		gvFreeContext(gvc);
	agseterr((agerrlevel_t)old_level);
	pthread_mutex_unlock(&gv_lock);
	return st;
}

/* ---------------------------------------------------------- reliability */

static lf_status reliability_section(lfi_buf *b, const lf_reliability *r, lf_error *err)
{
	char s[64];
	lfi_buf_puts(b, "<section id=\"reliability\"><h2>Failures and spares</h2>\n<p class=\"sub\">");
	lfi_buf_printf(b, "Job of %lld GPUs on %lld servers, %d plane%s; rates in FIT "
	               "(failures per 10<sup>9</sup> device-hours), params: ",
	               (long long)r->job_gpus, (long long)r->job_servers, r->planes,
	               r->planes == 1 ? "" : "s");
	lfi_html_esc(b, r->params_file ? r->params_file : "built-in defaults");
	lfi_buf_puts(b, ".</p><div class=\"cards\">\n");
	snprintf(s, sizeof s, "%.4f", r->network_failures_per_day);
	lfi_report_card_real(b, "network_failures_per_day", "network failures / day", s,
	          r->network_failures_per_day);
	snprintf(s, sizeof s, "%.4f", r->job_interrupts_per_day);
	lfi_report_card_real(b, "job_interrupts_per_day", "job interruptions / day", s,
	          r->job_interrupts_per_day);
	lfi_report_card_real(b, "job_mttf_h", "job MTTF", lfi_format_hours(r->job_mttf_h, s, sizeof s), r->job_mttf_h);
	snprintf(s, sizeof s, "%.2f%%", 100 * r->goodput_daly);
	lfi_report_card_real(b, "goodput_daly", "goodput (Daly)", s, r->goodput_daly);
	card_count(b, "spares_total", "spares", (uint64_t)(r->spares_total > 0 ? r->spares_total : 0));
	lfi_buf_puts(b, "</div>\n");

	lfi_svg_bar bars[LF_RC_COUNT];
	size_t n = 0;
	for (int c = 0; c < LF_RC_COUNT; c++)
		if (r->class_count[c])
			bars[n++] = (lfi_svg_bar){ lf_rel_class_name((lf_rel_class)c),
			                          r->class_failures_per_day[c] };
	if (n)
		lfi_svg_hbars(b, "Expected failures per day by component class", bars, n, "%.4f");

	lfi_svg_bar *sp = calloc(r->n_items + 1, sizeof *sp);
	if (!sp)
		return lfi_oom(err);
	n = 0;
	for (size_t i = 0; i < r->n_items; i++)
		if (r->items[i].count)
			sp[n++] = (lfi_svg_bar){ r->items[i].sku, (double)r->items[i].spares };
	if (n)
		lfi_svg_hbars(b, "Spares per SKU (Poisson quantile over the lead time)", sp, n, "#");
	free(sp);

	lfi_buf_puts(b, "<table class=\"t\" id=\"rel-items\"><tr><th>class</th><th>SKU</th>"
	               "<th class=\"n\">count</th><th class=\"n\">FIT</th><th>from</th>"
	               "<th class=\"n\">failures/day</th><th class=\"n\">failures/month</th>"
	               "<th class=\"n\">on job</th><th class=\"n\">spares</th></tr>\n");
	for (size_t i = 0; i < r->n_items; i++) {
		const lf_rel_item *it = &r->items[i];
		lfi_buf_puts(b, "<tr data-sku=\"");
		lfi_html_esc(b, it->sku);
		lfi_buf_printf(b, "\" data-spares=\"%lld\">", (long long)it->spares);
		lfi_report_td_text(b, lf_rel_class_name(it->cls));
		lfi_report_td_text(b, it->sku);
		lfi_report_td_count(b, it->count);
		lfi_buf_printf(b, "<td class=\"n\">%.0f</td>", it->fit);
		lfi_report_td_text(b, it->fit_from);
		lfi_buf_printf(b, "<td class=\"n\">%.4f</td><td class=\"n\">%.3f</td>",
		               it->failures_per_day, it->failures_per_month);
		lfi_report_td_count(b, it->job_count);
		lfi_buf_printf(b, "<td class=\"n\">%lld</td></tr>\n", (long long)it->spares);
	}
	lfi_buf_puts(b, "</table>\n");
	lfi_buf_printf(b, "<p class=\"notes\">Checkpointing: checkpoint %s, restart %s; Young "
	               "interval %s, Daly interval %s.", lfi_format_hours(r->checkpoint_h, s, sizeof s),
	               lfi_format_hours(r->restart_h, (char[32]){ 0 }, 32), lfi_format_hours(r->ckpt_young_h,
	               (char[32]){ 0 }, 32), lfi_format_hours(r->ckpt_daly_h, (char[32]){ 0 }, 32));
	if (r->notes[0]) {
		lfi_buf_puts(b, " ");
		lfi_html_esc(b, r->notes);
	}
	lfi_buf_puts(b, "</p></section>\n");
	return LF_OK;
}

/* ----------------------------------------------------------------- entry */

lf_status lf_report_render(const lf_report_input *in, char **out, lf_error *err)
{
	*out = NULL;
	if (!in || !in->plan)
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "lf_report_render: no plan");
	const lf_plan *pl = in->plan;
	const lf_spec *sp = pl->spec;
	lfi_buf b;
	lfi_buf_init(&b);
	if (!in->fragment) {
		lfi_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
		                "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
		                "<title>lightfab report: ");
		lfi_html_esc(&b, pl->name);
		lfi_buf_printf(&b, "</title>\n<style>\n%s</style></head><body>\n", css);
	}
	lfi_buf_puts(&b, "<div class=\"lf-report\" data-name=\"");
	lfi_html_esc(&b, pl->name);
	lfi_buf_puts(&b, "\">\n<h1>");
	lfi_html_esc(&b, pl->name);
	lfi_buf_puts(&b, "</h1>\n<p class=\"sub\">");
	char c1[32], c2[32];
	lfi_buf_printf(&b, "%s GPUs in %s &times; ", lfi_fmt_count((uint64_t)pl->gpus, c1, sizeof c1),
	               lfi_fmt_count((uint64_t)pl->servers, c2, sizeof c2));
	lfi_html_esc(&b, sp->server->id);
	lfi_buf_printf(&b, ", %s, %d tiers, %d plane%s, %d SU(s) of %d slots</p>\n",
	               sp->kind == LF_FABRIC_RAIL ? "rail-optimized" : "fat-tree", pl->tiers,
	               pl->planes, pl->planes == 1 ? "" : "s", pl->sus, pl->su_servers);
	summary(&b, pl);
	fabric(&b, pl);
	lf_status st = LF_OK;
	if (!in->no_topology)
		st = topology_section(&b, pl, err);
	if (st == LF_OK)
		st = bom_section(&b, pl, err);
	if (st == LF_OK)
		st = stages_section(&b, pl, err);
	if (st == LF_OK && pl->layout)
		st = lfi_report_floor(&b, pl, err);
	if (st == LF_OK && in->reliability)
		st = reliability_section(&b, in->reliability, err);
	if (st == LF_OK && in->sim)
		st = lfi_report_sim_section(&b, in->sim, err);
	if (st == LF_OK && in->supply)
		st = lfi_report_supply_section(&b, in->supply, in->supply_sweep, err);
	if (st == LF_OK && pl->notes[0]) {
		lfi_buf_puts(&b, "<section id=\"notes\"><h2>Notes</h2><p class=\"notes\">");
		lfi_html_esc(&b, pl->notes);
		lfi_buf_puts(&b, "</p></section>\n");
	}
	if (st != LF_OK) {
		lfi_buf_release(&b);
		return st;
	}
	lfi_buf_puts(&b, "<footer class=\"lf\">lightfab " LF_VERSION
	                " &middot; the same numbers as <code>lightfab plan --json</code></footer>\n"
	                "</div>\n");
	if (!in->fragment)
		lfi_buf_puts(&b, "</body></html>\n");
	return lfi_buf_finish(&b, out, err);
}
