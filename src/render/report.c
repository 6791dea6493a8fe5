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

static void card(lfi_buf *b, const char *key, const char *label, const char *shown,
                 const char *raw)
{
	lfi_buf_printf(b, "<div class=\"card\" data-key=\"%s\" data-value=\"%s\"><div class=\"k\">",
	               key, raw);
	lfi_html_esc(b, label);
	lfi_buf_puts(b, "</div><div class=\"v\">");
	lfi_html_esc(b, shown);
	lfi_buf_puts(b, "</div></div>\n");
}

static void card_count(lfi_buf *b, const char *key, const char *label, uint64_t v)
{
	char shown[32], raw[32];
	snprintf(raw, sizeof raw, "%llu", (unsigned long long)v);
	card(b, key, label, lfi_fmt_count(v, shown, sizeof shown), raw);
}

static void card_real(lfi_buf *b, const char *key, const char *label, const char *shown, double v)
{
	char raw[40];
	snprintf(raw, sizeof raw, "%.10g", v);
	card(b, key, label, shown, raw);
}

static void money(char *buf, size_t n, double usd)
{
	char c[32];
	snprintf(buf, n, "$%s", lfi_fmt_count((uint64_t)llround(usd > 0 ? usd : 0), c, sizeof c));
}


static const char *end_str(lf_end e)
{
	return e == LF_END_SERVER ? "server" : e == LF_END_SWITCH ? "switch" : "";
}

static void td_text(lfi_buf *b, const char *s)
{
	lfi_buf_puts(b, "<td>");
	lfi_html_esc(b, s);
	lfi_buf_puts(b, "</td>");
}

static void td_count(lfi_buf *b, uint64_t v)
{
	char c[32];
	lfi_buf_printf(b, "<td class=\"n\">%s</td>", lfi_fmt_count(v, c, sizeof c));
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
	card_real(b, "power_typ_w", "power typ", s, bom->power_typ_w);
	snprintf(s, sizeof s, "%.1f kW", bom->power_max_w / 1e3);
	card_real(b, "power_max_w", "power max", s, bom->power_max_w);
	money(s, sizeof s, bom->capex_usd);
	card_real(b, "capex_usd", "capex", s, bom->capex_usd);
	/* the same string as the JSON's gpu_transceiver_ratio */
	snprintf(s, sizeof s, "%lld:%llu", (long long)pl->gpus, (unsigned long long)bom->modules);
	card(b, "ratio", "GPU : transceiver", s, s);
	lfi_buf_puts(b, "</div></section>\n");
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
		td_text(b, t->name);
		lfi_buf_printf(b, "<td class=\"n\">%d</td>", t->plane);
		td_text(b, t->switch_model);
		td_count(b, t->switches);
		td_count(b, t->links_down);
		td_count(b, t->links_up);
		td_text(b, g);
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
		td_text(b, lfi_level_name(lv));
		td_text(b, g);
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
		td_text(b, m->why);
		lfi_buf_puts(b, "</tr>\n");
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
		td_text(b, lfi_bom_cat_name(l->cat));
		td_text(b, l->sku);
		td_text(b, l->name);
		td_text(b, end_str(l->end));
		if (lengths && l->length_m > 0)
			lfi_buf_printf(b, "<td class=\"n\">%g m</td>", l->length_m);
		else if (lengths)
			lfi_buf_puts(b, "<td></td>");
		lfi_buf_printf(b, "<td class=\"n\">%d</td>", l->links_per_module);
		td_count(b, l->count);
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
		money(money_s, sizeof money_s, s->delta.capex_usd);
		lfi_buf_puts(b, "<tr data-stage=\"");
		lfi_html_esc(b, s->name);
		lfi_buf_puts(b, "\">");
		td_text(b, s->name);
		td_text(b, month);
		td_count(b, (uint64_t)s->servers);
		td_count(b, (uint64_t)s->gpus);
		td_count(b, s->delta.links);
		td_count(b, s->delta.modules);
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
	card_real(b, "network_failures_per_day", "network failures / day", s,
	          r->network_failures_per_day);
	snprintf(s, sizeof s, "%.4f", r->job_interrupts_per_day);
	card_real(b, "job_interrupts_per_day", "job interruptions / day", s,
	          r->job_interrupts_per_day);
	card_real(b, "job_mttf_h", "job MTTF", lfi_format_hours(r->job_mttf_h, s, sizeof s), r->job_mttf_h);
	snprintf(s, sizeof s, "%.2f%%", 100 * r->goodput_daly);
	card_real(b, "goodput_daly", "goodput (Daly)", s, r->goodput_daly);
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
		td_text(b, lf_rel_class_name(it->cls));
		td_text(b, it->sku);
		td_count(b, it->count);
		lfi_buf_printf(b, "<td class=\"n\">%.0f</td>", it->fit);
		td_text(b, it->fit_from);
		lfi_buf_printf(b, "<td class=\"n\">%.4f</td><td class=\"n\">%.3f</td>",
		               it->failures_per_day, it->failures_per_month);
		td_count(b, it->job_count);
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

/* ------------------------------------------------------------ simulation */

static const char *tier_str(int tier)
{
	static const char *const n[] = { "server", "leaf", "spine", "core" };
	return tier >= 0 && tier < 4 ? n[tier] : "?";
}

/* Busiest links, named as `lightfab sim` names them ("leaf 3", "spine 1"). */
static void links_table(lfi_buf *b, const lf_plan *pl, const lf_link_use *top, size_t n,
                        const char *const *during, const char *id)
{
	if (!n)
		return;
	lfi_buf_printf(b, "<table class=\"t\" id=\"%s\"><tr><th>level</th><th class=\"n\">plane</th>"
	               "<th>lower</th><th>upper</th><th>direction</th><th class=\"n\">utilization</th>"
	               "<th class=\"n\">bytes</th>%s</tr>\n", id, during ? "<th>during</th>" : "");
	for (size_t i = 0; i < n; i++) {
		char lo[48] = "?", up[48] = "?", bb[32];
		const char *level = "?";
		int plane = 0;
		if (top[i].link < pl->n_links) {
			const lf_link *l = &pl->links[top[i].link];
			const lf_node *a = &pl->nodes[l->a], *c = &pl->nodes[l->b];
			level = lfi_level_name(l->level);
			plane = l->plane;
			snprintf(lo, sizeof lo, "%s %u", tier_str(a->tier), a->index);
			snprintf(up, sizeof up, "%s %u", tier_str(c->tier), c->index);
		}
		lfi_format_bytes(top[i].bytes, bb, sizeof bb);
		lfi_buf_printf(b, "<tr data-utilization=\"%.10g\" data-bytes=\"%.10g\">",
		               top[i].utilization, top[i].bytes);
		td_text(b, level);
		lfi_buf_printf(b, "<td class=\"n\">%d</td>", plane);
		td_text(b, lo);
		td_text(b, up);
		td_text(b, top[i].up ? "up" : "down");
		lfi_buf_printf(b, "<td class=\"n\">%.1f%%</td><td class=\"n\">%s</td>",
		               100 * top[i].utilization, bb);
		if (during)
			td_text(b, during[i] ? during[i] : "");
		lfi_buf_puts(b, "</tr>\n");
	}
	lfi_buf_puts(b, "</table>\n");
}

/* The bus bandwidth the hardware allows a communicator, GB/s (nccl-tests:
 * busBW approaches the bottleneck's speed whatever the rank count).  Inside
 * one server: a GPU's NVLink; across servers: the scale-out NICs of the
 * communicator's ranks on one server (G x b for whole servers, b for one
 * GPU per server), times the efficiency the simulator applies. */
static double busbw_bound(const lf_plan *pl, const lf_sim_row *w, double eff, char *label,
                          size_t n)
{
	const lf_server *sv = pl->spec->server;
	int g = sv->gpus > 0 ? sv->gpus : 1;
	size_t per_server = w->comm == LF_COMM_RAIL ? 1 : w->r.ranks < (size_t)g ? w->r.ranks
	                                                                         : (size_t)g;
	int spans = w->comm == LF_COMM_RAIL ? w->r.ranks > 1
	            : w->comm == LF_COMM_ALL ? w->r.ranks > (size_t)g : 0;
	char rate[16];
	if (!spans) {
		if (sv->nvlink_gbps <= 0)
			return 0;
		lfi_format_gbps(sv->nvlink_gbps, rate, sizeof rate);
		double v = sv->nvlink_gbps / 8 * eff;
		snprintf(label, n, "NVLink bound: %s per GPU x %.3g = %.1f GB/s", rate, eff, v);
		return v;
	}
	double nic_gbps = (double)sv->nic_ports * sv->port_gbps / g;
	lfi_format_gbps(nic_gbps, rate, sizeof rate);
	double v = (double)per_server * nic_gbps / 8 * eff;
	snprintf(label, n, "link-rate bound: %zu x %s x %.3g = %.1f GB/s", per_server, rate, eff, v);
	return v;
}

static const char *redop_str(lf_coll c)
{
	return c == LF_COLL_ALLREDUCE || c == LF_COLL_REDUCESCATTER ? "sum" : "none";
}

static lf_status sim_collectives(lfi_buf *b, const lf_sim_report *r, lf_error *err)
{
	const lf_plan *pl = r->plan;
	double eff = r->cfg.efficiency > 0 ? r->cfg.efficiency : 1.0;
	/* entries are consecutive runs of rows */
	size_t n_series = 0;
	for (size_t i = 0; i < r->n_rows; i++)
		if (!i || r->rows[i].entry != r->rows[i - 1].entry)
			n_series++;
	lfi_svg_series *ser = calloc(n_series + 1, sizeof *ser);
	lfi_svg_hline *bnd = calloc(n_series + 1, sizeof *bnd);
	char (*labels)[160] = calloc(n_series + 1, sizeof *labels);
	char (*blabels)[160] = calloc(n_series + 1, sizeof *blabels);
	double *xs = calloc(r->n_rows + 1, sizeof *xs), *ys = calloc(r->n_rows + 1, sizeof *ys);
	if (!ser || !bnd || !labels || !blabels || !xs || !ys) {
		free(ser), free(bnd), free(labels), free(blabels), free(xs), free(ys);
		return lfi_oom(err);
	}
	size_t k = 0, n_bnd = 0;
	for (size_t i = 0; i < r->n_rows; k++) {
		size_t j = i;
		while (j < r->n_rows && r->rows[j].entry == r->rows[i].entry) {
			xs[j] = r->rows[j].r.bytes;
			ys[j] = r->rows[j].r.busbw_gbs;
			j++;
		}
		const lf_sim_row *f = &r->rows[i];
		snprintf(labels[k], sizeof labels[k], "%s (%s), %s: %zu x %zu ranks",
		         lf_coll_name(f->r.coll), lf_algo_name(f->r.algo), lfi_comm_name(f->comm),
		         f->groups, f->r.ranks);
		ser[k] = (lfi_svg_series){ labels[k], j - i, xs + i, ys + i };
		char bl[160];
		double v = busbw_bound(pl, f, eff, bl, sizeof bl);
		int seen = v <= 0;
		for (size_t q = 0; q < n_bnd && !seen; q++)
			seen = fabs(bnd[q].y - v) < 1e-9 * v;
		if (!seen) {
			snprintf(blabels[n_bnd], sizeof blabels[n_bnd], "%s", bl);
			bnd[n_bnd] = (lfi_svg_hline){ blabels[n_bnd], v };
			n_bnd++;
		}
		i = j;
	}
	lfi_svg_lines(b, "Bus bandwidth versus message size (GB/s)", "busBW (GB/s)", ser, n_series,
	              bnd, n_bnd);
	free(ser), free(bnd), free(labels), free(blabels), free(xs), free(ys);

	/* the nccl-tests table, one per entry */
	for (size_t i = 0; i < r->n_rows;) {
		size_t j = i;
		while (j < r->n_rows && r->rows[j].entry == r->rows[i].entry)
			j++;
		const lf_sim_row *f = &r->rows[i];
		lfi_buf_printf(b, "<h3>%s, algorithm %s, communicator %s: %zu group(s) of %zu ranks</h3>\n",
		               lf_coll_name(f->r.coll), lf_algo_name(f->r.algo), lfi_comm_name(f->comm),
		               f->groups, f->r.ranks);
		lfi_buf_printf(b, "<table class=\"t sim-coll\" data-entry=\"%zu\"><tr>"
		               "<th class=\"n\">size (B)</th><th class=\"n\">count (elements)</th>"
		               "<th>type</th><th>redop</th><th class=\"n\">root</th>"
		               "<th class=\"n\">time (us)</th><th class=\"n\">algbw (GB/s)</th>"
		               "<th class=\"n\">busbw (GB/s)</th></tr>\n", f->entry);
		double sum = 0;
		for (size_t q = i; q < j; q++) {
			const lf_sim_row *w = &r->rows[q];
			int tb = w->dtype_bytes > 0 ? w->dtype_bytes : 4;
			const char *dt = w->dtype ? w->dtype : "float";
			lfi_buf_printf(b, "<tr data-size=\"%.10g\" data-time-us=\"%.10g\" data-algbw=\"%.10g\" "
			               "data-busbw=\"%.10g\"><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td>",
			               w->r.bytes, w->r.time_us, w->r.algbw_gbs, w->r.busbw_gbs, w->r.bytes,
			               floor(w->r.bytes / tb));
			td_text(b, dt);
			lfi_buf_printf(b, "<td>%s</td><td class=\"n\">%d</td><td class=\"n\">%.2f</td>"
			               "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td></tr>\n",
			               redop_str(w->r.coll), w->r.coll == LF_COLL_BROADCAST ? 0 : -1,
			               w->r.time_us, w->r.algbw_gbs, w->r.busbw_gbs);
			sum += w->r.busbw_gbs;
		}
		lfi_buf_printf(b, "</table>\n<p class=\"notes\">Average bus bandwidth: %g GB/s.",
		               sum / (double)(j - i));
		const lf_sim_row *last = &r->rows[j - 1];
		if (last->r.n_top) {
			char sz[32];
			lfi_format_bytes(last->r.bytes, sz, sizeof sz);
			lfi_buf_printf(b, " Busiest links at %s:</p>\n", sz);
			char id[48];
			snprintf(id, sizeof id, "sim-links-%zu", f->entry);
			links_table(b, pl, last->r.top, last->r.n_top, NULL, id);
		} else {
			lfi_buf_puts(b, "</p>\n");
		}
		i = j;
	}
	return LF_OK;
}

static void sim_step(lfi_buf *b, const lf_sim_report *r)
{
	const lf_step *s = &r->step;
	char v[64];
	lfi_buf_printf(b, "<p class=\"sub\">Training step: TP %lld &times; PP %lld &times; DP %lld "
	               "(EP %lld) = %lld GPUs, %lld micro-batches, %.4g tokens per step.</p>\n"
	               "<div class=\"cards\">\n", (long long)s->tp, (long long)s->pp,
	               (long long)s->dp, (long long)s->ep, (long long)s->gpus,
	               (long long)s->micro_batches, s->tokens);
	card_real(b, "step_s", "step time", lfi_format_seconds(s->step_s, v, sizeof v), s->step_s);
	card_real(b, "pipeline_compute_s", "compute (with bubble)",
	          lfi_format_seconds(s->pipeline_compute_s, v, sizeof v), s->pipeline_compute_s);
	card_real(b, "comm_exposed_s", "communication exposed",
	          lfi_format_seconds(s->comm_exposed_s, v, sizeof v), s->comm_exposed_s);
	snprintf(v, sizeof v, "%.0f", s->tokens_per_s);
	card_real(b, "tokens_per_s", "tokens / s", v, s->tokens_per_s);
	snprintf(v, sizeof v, "%.1f%%", 100 * s->mfu);
	card_real(b, "mfu", "MFU", v, s->mfu);
	snprintf(v, sizeof v, "%.1f%%", 100 * s->hfu);
	card_real(b, "hfu", "HFU (recomputation counted)", v, s->hfu);
	lfi_buf_puts(b, "</div>\n");

	/* the step is compute, the bubble and each kind's exposed time */
	lfi_svg_bar parts[7] = { { "compute", s->compute_s }, { "pipeline bubble", s->bubble_s } };
	size_t np = 2;
	if (s->tp_groups)
		parts[np++] = (lfi_svg_bar){ "TP, exposed", s->tp_exposed_s };
	if (s->pp_pairs)
		parts[np++] = (lfi_svg_bar){ "PP send/recv, exposed", s->pp_exposed_s };
	if (s->cp_groups)
		parts[np++] = (lfi_svg_bar){ "CP ring attention, exposed", s->cp_exposed_s };
	if (s->ep_groups)
		parts[np++] = (lfi_svg_bar){ "EP all-to-all, exposed", s->ep_exposed_s };
	if (s->dp_groups)
		parts[np++] = (lfi_svg_bar){ "DP gradients, exposed", s->dp_exposed_s };
	lfi_svg_stack(b, "Step time breakdown, seconds", parts, np, "%.4f s");

	lfi_comm_row k[5];
	size_t nk = lfi_step_comm_rows(r, k);
	lfi_svg_bar comm[5];
	for (size_t i = 0; i < nk; i++)
		comm[i] = (lfi_svg_bar){ k[i].name, k[i].exposed_s };
	if (nk)
		lfi_svg_hbars(b, "Exposed communication per kind, seconds", comm, nk, "%.4f s");
	lfi_buf_puts(b, "<table class=\"t\" id=\"sim-step-comm\"><tr><th>communication</th>"
	               "<th class=\"n\">size</th><th class=\"n\">count</th>"
	               "<th class=\"n\">groups</th><th class=\"n\">one operation</th>"
	               "<th class=\"n\">exposed per step</th></tr>\n");
	for (size_t i = 0; i < nk; i++) {
		char sz[32], a[32], c[32];
		lfi_format_bytes(k[i].bytes, sz, sizeof sz);
		lfi_buf_printf(b, "<tr data-kind=\"%s\" data-time-s=\"%.10g\" data-exposed-s=\"%.10g\">"
		               "<td>%s</td><td class=\"n\">%s</td><td class=\"n\">%lld%s</td>"
		               "<td class=\"n\">%lld</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		               "</tr>\n", k[i].key, k[i].one_s, k[i].exposed_s, k[i].name, sz,
		               (long long)k[i].count, k[i].per, (long long)k[i].groups,
		               lfi_format_seconds(k[i].one_s, a, sizeof a),
		               lfi_format_seconds(k[i].exposed_s, c, sizeof c));
	}
	lfi_buf_puts(b, "</table>\n");
	if (s->dp_hidden_s > 0)
		lfi_buf_printf(b, "<p class=\"notes\">%s of the DP traffic is hidden behind compute "
		               "(gradient buckets reduced as the backward frees them).</p>\n",
		               lfi_format_seconds(s->dp_hidden_s, v, sizeof v));
	if (r->n_top) {
		lfi_buf_puts(b, "<p class=\"notes\">Busiest links over the step (busy time / step):</p>\n");
		links_table(b, r->plan, r->top, r->n_top, r->top_during, "sim-step-links");
	}
}

/* A traffic matrix: last flow, FCT percentiles, slowdown (docs/sim.md). */
static void sim_traffic(lfi_buf *b, const lf_sim_report *r)
{
	const lf_traffic_result *t = &r->traffic;
	char v[64];
	lfi_buf_printf(b, "<p class=\"sub\">Traffic: %s, %llu flows.%s</p>\n<div class=\"cards\">\n",
	               t->kind == LF_TRAFFIC_LIST ? (t->source ? "a CSV file" : "a list")
	                                         : lf_traffic_kind_name(t->kind),
	              (unsigned long long)t->flows,
	              r->cfg.route == LF_ROUTE_SPRAY && !(r->cfg.max_flow_rate > 0) &&
	              !(r->cfg.spray_efficiency > 0 && r->cfg.spray_efficiency < 1)
	              ? " Spray here is the fluid ideal (no reordering or loss)." : "");
	card_real(b, "last_s", "last flow finished", lfi_format_seconds(t->last_s, v, sizeof v),
	          t->last_s);
	card_real(b, "ideal_last_s", "every flow alone",
	          lfi_format_seconds(t->ideal_last_s, v, sizeof v), t->ideal_last_s);
	card_real(b, "fct_p50_s", "FCT p50", lfi_format_seconds(t->fct_p50_s, v, sizeof v),
	          t->fct_p50_s);
	card_real(b, "fct_p99_s", "FCT p99", lfi_format_seconds(t->fct_p99_s, v, sizeof v),
	          t->fct_p99_s);
	snprintf(v, sizeof v, "%.3f", t->slowdown_p99);
	card_real(b, "slowdown_p99", "slowdown p99", v, t->slowdown_p99);
	lfi_buf_puts(b, "</div>\n");
	links_table(b, r->plan, t->top, t->n_top, NULL, "sim-traffic-links");
}

static lf_status sim_section(lfi_buf *b, const lf_sim_report *r, lf_error *err)
{
	const lf_sim_config *c = &r->cfg;
	lfi_buf_puts(b, "<section id=\"simulation\"><h2>Simulation</h2>\n<p class=\"sub\">Workload ");
	lfi_html_esc(b, r->workload ? r->workload : "");
	lfi_buf_printf(b, ": job of %lld GPUs on %lld servers in %d SU(s), %s; routing %s, seed %llu, "
	               "efficiency %.3g, latency %g us, failed links %d random + %zu listed.</p>\n",
	               (long long)r->job_gpus, (long long)r->job_servers, r->job_sus,
	               lfi_placement_name(r->placement), lf_route_name(c->route),
	               (unsigned long long)c->seed, c->efficiency > 0 ? c->efficiency : 1.0,
	               c->latency_us, c->failed_count, c->n_failed);
	lf_status st = LF_OK;
	if (r->has_step)
		sim_step(b, r);
	else if (r->has_traffic)
		sim_traffic(b, r);
	else if (r->n_rows)
		st = sim_collectives(b, r, err);
	if (st != LF_OK)
		return st;
	lfi_buf_printf(b, "<p class=\"notes\">%llu flows, %llu events.", (unsigned long long)r->flows,
	               (unsigned long long)r->events);
	if (r->notes[0]) {
		lfi_buf_puts(b, " ");
		lfi_html_esc(b, r->notes);
	}
	lfi_buf_puts(b, " The same numbers as <code>lightfab sim --json</code>.</p></section>\n");
	return LF_OK;
}

/* -------------------------------------------------------------- sourcing */

/* Orders pivoted: one row per supplier and SKU, one column per period in
 * which anything is ordered (call-offs of a reservation count at arrival). */
static lf_status orders_table(lfi_buf *b, const lf_supply_result *r, const lf_supply_answer *a,
                              size_t idx, lf_error *err)
{
	if (!a->n_orders)
		return LF_OK;
	int np = r->periods > 0 ? r->periods : 1;
	char *used = calloc((size_t)np, 1);
	double *cell = calloc((size_t)np, sizeof *cell);
	if (!used || !cell) {
		free(used), free(cell);
		return lfi_oom(err);
	}
	for (size_t i = 0; i < a->n_orders; i++) {
		int p = a->orders[i].placed >= 0 ? a->orders[i].placed : a->orders[i].arrives;
		if (p >= 0 && p < np)
			used[p] = 1;
	}
	lfi_buf_printf(b, "<div class=\"wide\"><table class=\"t\" id=\"supply-orders-%zu\"><tr>"
	               "<th>supplier</th><th>SKU</th>", idx);
	for (int p = 0; p < np; p++)
		if (used[p]) {
			char l[32];
			lfi_buf_printf(b, "<th class=\"n\">%s</th>", lfi_emit_period(r, p, l, sizeof l));
		}
	lfi_buf_puts(b, "<th class=\"n\">modules</th><th class=\"n\">cost</th></tr>\n");
	/* orders come sorted by supplier, then SKU */
	for (size_t i = 0; i < a->n_orders;) {
		size_t j = i;
		double qty = 0, usd = 0;
		memset(cell, 0, (size_t)np * sizeof *cell);
		while (j < a->n_orders && !strcmp(a->orders[j].supplier, a->orders[i].supplier) &&
		       !strcmp(a->orders[j].sku, a->orders[i].sku)) {
			const lf_supply_order *o = &a->orders[j];
			int p = o->placed >= 0 ? o->placed : o->arrives;
			if (p >= 0 && p < np)
				cell[p] += o->quantity;
			qty += o->quantity;
			usd += o->quantity * o->unit_usd;
			j++;
		}
		char q[32], m[32];
		lfi_buf_puts(b, "<tr data-supplier=\"");
		lfi_html_esc(b, a->orders[i].supplier);
		lfi_buf_puts(b, "\" data-sku=\"");
		lfi_html_esc(b, a->orders[i].sku);
		lfi_buf_printf(b, "\" data-quantity=\"%.10g\">", qty);
		td_text(b, a->orders[i].supplier);
		td_text(b, a->orders[i].sku);
		for (int p = 0; p < np; p++)
			if (used[p]) {
				if (cell[p] > 0)
					td_count(b, (uint64_t)llround(cell[p]));
				else
					lfi_buf_puts(b, "<td class=\"n\"></td>");
			}
		money(m, sizeof m, usd);
		lfi_buf_printf(b, "<td class=\"n\">%s</td><td class=\"n\">%s</td></tr>\n",
		               lfi_fmt_count((uint64_t)llround(qty), q, sizeof q), m);
		i = j;
	}
	lfi_buf_puts(b, "</table></div>\n<p class=\"notes\">Modules ordered per period (placed; "
	               "reservation call-offs at arrival).</p>\n");
	free(used);
	free(cell);
	return LF_OK;
}

static lf_status supply_answer(lfi_buf *b, const lf_supply_result *r, const lf_supply_answer *a,
                               size_t idx, lf_error *err)
{
	char s[64], l1[32], l2[32];
	lfi_buf_puts(b, "<div class=\"supply-answer\" data-option=\"");
	lfi_html_esc(b, a->name);
	lfi_buf_puts(b, "\">");
	if (r->n_answers > 1) {
		lfi_buf_puts(b, "<h3>");
		lfi_html_esc(b, a->name);
		lfi_buf_puts(b, "</h3>\n");
	}
	lfi_buf_puts(b, "<div class=\"cards\">\n");
	lfi_emit_period(r, a->ready, s, sizeof s);
	card(b, "supply_ready", "last stage ready", s, s);
	money(s, sizeof s, a->spend_usd);
	card_real(b, "spend_usd", "spend", s, a->spend_usd);
	money(s, sizeof s, a->lateness_usd + a->unmet_usd);
	card_real(b, "penalty_usd", "lateness + unmet", s, a->lateness_usd + a->unmet_usd);
	money(s, sizeof s, a->objective_usd);
	card_real(b, "objective_usd", "objective", s, a->objective_usd);
	lfi_buf_puts(b, "</div>\n");

	/* the Gantt: every stage draws on the same orders (stock is shared), so
	 * each bar starts at the first order and ends when the stage is ready */
	int first = -1;
	for (size_t i = 0; i < a->n_orders; i++) {
		int p = a->orders[i].placed >= 0 ? a->orders[i].placed : a->orders[i].arrives;
		if (p >= 0 && (first < 0 || p < first))
			first = p;
	}
	int np = r->periods > 0 ? r->periods : 1;
	lfi_svg_task *tasks = calloc(a->n_stages + 1, sizeof *tasks);
	char (*labs)[32] = calloc((size_t)np, sizeof *labs);
	const char **lp = calloc((size_t)np, sizeof *lp);
	if (!tasks || !labs || !lp) {
		free(tasks), free(labs), free(lp);
		return lfi_oom(err);
	}
	for (int p = 0; p < np; p++) {
		lfi_emit_period(r, p, labs[p], sizeof labs[p]);
		lp[p] = labs[p];
	}
	for (size_t k = 0; k < a->n_stages; k++) {
		const lf_supply_stage *st = &a->stages[k];
		int start = first >= 0 ? first : 0;
		if (st->ready >= 0 && st->ready < start)
			start = st->ready;   /* served from stock on hand */
		tasks[k] = (lfi_svg_task){ st->name, start, st->ready, st->need_by, st->ready < 0 };
	}
	lfi_svg_gantt(b, "Stage readiness: first order to ready, need-by marked", tasks,
	              a->n_stages, np, lp);
	free(tasks), free(labs), free(lp);

	lfi_buf_printf(b, "<table class=\"t\" id=\"supply-stages-%zu\"><tr><th>stage</th>"
	               "<th class=\"n\">GPUs</th><th>need by</th><th>ready</th>"
	               "<th class=\"n\">slip</th><th class=\"n\">links</th>"
	               "<th class=\"n\">short at need-by</th><th class=\"n\">unmet</th>"
	               "<th class=\"n\">penalty</th></tr>\n", idx);
	for (size_t k = 0; k < a->n_stages; k++) {
		const lf_supply_stage *st = &a->stages[k];
		lfi_buf_puts(b, "<tr data-stage=\"");
		lfi_html_esc(b, st->name);
		lfi_buf_printf(b, "\" data-ready=\"%d\" data-slip=\"%d\"%s>", st->ready, st->slip,
		               st->slip ? " class=\"late\"" : "");
		td_text(b, st->name);
		td_count(b, (uint64_t)(st->gpus > 0 ? st->gpus : 0));
		td_text(b, lfi_emit_period(r, st->need_by, l1, sizeof l1));
		td_text(b, lfi_emit_period(r, st->ready, l2, sizeof l2));
		lfi_buf_printf(b, "<td class=\"n\">%+d</td>", st->slip);
		td_count(b, (uint64_t)llround(st->links));
		td_count(b, (uint64_t)llround(st->short_at_need_by));
		td_count(b, (uint64_t)llround(st->unmet));
		money(s, sizeof s, st->penalty_usd);
		lfi_buf_printf(b, "<td class=\"n\">%s</td></tr>\n", s);
	}
	lfi_buf_puts(b, "</table>\n");
	for (size_t k = 0; k < a->n_stages; k++)
		if (a->stages[k].why[0]) {
			lfi_buf_puts(b, "<p class=\"notes\"><b>");
			lfi_html_esc(b, a->stages[k].name);
			lfi_buf_puts(b, ":</b> ");
			lfi_html_esc(b, a->stages[k].why);
			lfi_buf_puts(b, "</p>\n");
		}

	lf_status st = orders_table(b, r, a, idx, err);
	if (st != LF_OK)
		return st;

	lfi_svg_bar cost[] = {
		{ "purchase", a->purchase_usd }, { "reservations", a->reservation_usd },
		{ "holding", a->holding_usd }, { "lateness", a->lateness_usd },
		{ "unmet", a->unmet_usd },
	};
	lfi_svg_stack(b, "Cost: spend and penalties, USD", cost, LF_ARRAY_LEN(cost), "$");
	char m1[32], m2[32], m3[32], m4[32];
	money(m1, sizeof m1, a->purchase_usd);
	money(m2, sizeof m2, a->expedite_premium_usd);
	money(m3, sizeof m3, a->reservation_usd);
	money(m4, sizeof m4, a->holding_usd);
	lfi_buf_printf(b, "<p class=\"notes\">Purchase %s (expedite premium %s), reservations %s, "
	               "holding %s: spend ", m1, m2, m3, m4);
	money(m1, sizeof m1, a->spend_usd);
	money(m2, sizeof m2, a->lateness_usd);
	money(m3, sizeof m3, a->unmet_usd);
	money(m4, sizeof m4, a->objective_usd);
	lfi_buf_printf(b, "%s; + lateness %s + unmet %s = objective %s.</p>\n", m1, m2, m3, m4);

	if (a->n_bindings) {
		lfi_buf_printf(b, "<table class=\"t\" id=\"supply-binding-%zu\"><tr><th>binding</th>"
		               "<th>constraint</th><th>period</th><th class=\"n\">used</th>"
		               "<th class=\"n\">capacity</th><th class=\"n\">shadow price</th></tr>\n",
		               idx);
		for (size_t i = 0; i < a->n_bindings; i++) {
			const lf_supply_binding *bd = &a->bindings[i];
			lfi_buf_printf(b, "<tr data-kind=\"%s\" data-shadow=\"%.10g\">", bd->kind,
			               bd->shadow_usd);
			td_text(b, bd->kind);
			td_text(b, bd->name);
			td_text(b, lfi_emit_period(r, bd->period, l1, sizeof l1));
			td_count(b, (uint64_t)llround(bd->used > 0 ? bd->used : 0));
			td_count(b, (uint64_t)llround(bd->capacity > 0 ? bd->capacity : 0));
			lfi_buf_printf(b, "<td class=\"n\">$%.2f</td></tr>\n", bd->shadow_usd);
		}
		lfi_buf_puts(b, "</table>\n<p class=\"notes\">Shadow price: objective saved by one "
		               "more unit of the constraint in that period.</p>\n");
	} else {
		lfi_buf_puts(b, "<p class=\"notes\">No constraint binds.</p>\n");
	}
	if (a->notes[0]) {
		lfi_buf_puts(b, "<p class=\"notes\">");
		lfi_html_esc(b, a->notes);
		lfi_buf_puts(b, "</p>\n");
	}
	lfi_buf_puts(b, "</div>\n");
	return LF_OK;
}

static lf_status supply_section(lfi_buf *b, const lf_supply_result *r, lf_error *err)
{
	char l1[32], l2[32];
	lfi_buf_puts(b, "<section id=\"sourcing\"><h2>Sourcing</h2>\n<p class=\"sub\">Scenario ");
	lfi_html_esc(b, r->scenario ? r->scenario : "");
	lfi_buf_printf(b, ": %d %s%s from %s to %s.</p>\n", r->periods,
	               r->period == LF_PERIOD_WEEK ? "week" : "month", r->periods == 1 ? "" : "s",
	               lfi_emit_period(r, 0, l1, sizeof l1), lfi_emit_period(r, r->periods - 1, l2, sizeof l2));
	for (size_t i = 0; i < r->n_answers; i++) {
		lf_status st = supply_answer(b, r, &r->answers[i], i, err);
		if (st != LF_OK)
			return st;
	}
	lfi_buf_puts(b, "<p class=\"notes\">The same numbers as <code>lightfab source --json</code>."
	               "</p></section>\n");
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
		st = sim_section(&b, in->sim, err);
	if (st == LF_OK && in->supply)
		st = supply_section(&b, in->supply, err);
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
