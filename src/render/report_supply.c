/*
 * report_supply.c — the report's sourcing section: stage readiness, orders
 * by supplier and period, cost, what binds (report.c assembles the
 * document).
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
		lfi_report_td_text(b, a->orders[i].supplier);
		lfi_report_td_text(b, a->orders[i].sku);
		for (int p = 0; p < np; p++)
			if (used[p]) {
				if (cell[p] > 0)
					lfi_report_td_count(b, (uint64_t)llround(cell[p]));
				else
					lfi_buf_puts(b, "<td class=\"n\"></td>");
			}
		lfi_report_money(m, sizeof m, usd);
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
	lfi_report_card(b, "supply_ready", "last stage ready", s, s);
	lfi_report_money(s, sizeof s, a->spend_usd);
	lfi_report_card_real(b, "spend_usd", "spend", s, a->spend_usd);
	lfi_report_money(s, sizeof s, a->lateness_usd + a->unmet_usd);
	lfi_report_card_real(b, "penalty_usd", "lateness + unmet", s, a->lateness_usd + a->unmet_usd);
	lfi_report_money(s, sizeof s, a->objective_usd);
	lfi_report_card_real(b, "objective_usd", "objective", s, a->objective_usd);
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
		lfi_report_td_text(b, st->name);
		lfi_report_td_count(b, (uint64_t)(st->gpus > 0 ? st->gpus : 0));
		lfi_report_td_text(b, lfi_emit_period(r, st->need_by, l1, sizeof l1));
		lfi_report_td_text(b, lfi_emit_period(r, st->ready, l2, sizeof l2));
		lfi_buf_printf(b, "<td class=\"n\">%+d</td>", st->slip);
		lfi_report_td_count(b, (uint64_t)llround(st->links));
		lfi_report_td_count(b, (uint64_t)llround(st->short_at_need_by));
		lfi_report_td_count(b, (uint64_t)llround(st->unmet));
		lfi_report_money(s, sizeof s, st->penalty_usd);
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
	lfi_report_money(m1, sizeof m1, a->purchase_usd);
	lfi_report_money(m2, sizeof m2, a->expedite_premium_usd);
	lfi_report_money(m3, sizeof m3, a->reservation_usd);
	lfi_report_money(m4, sizeof m4, a->holding_usd);
	lfi_buf_printf(b, "<p class=\"notes\">Purchase %s (expedite premium %s), reservations %s, "
	               "holding %s: spend ", m1, m2, m3, m4);
	lfi_report_money(m1, sizeof m1, a->spend_usd);
	lfi_report_money(m2, sizeof m2, a->lateness_usd);
	lfi_report_money(m3, sizeof m3, a->unmet_usd);
	lfi_report_money(m4, sizeof m4, a->objective_usd);
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
			lfi_report_td_text(b, bd->kind);
			lfi_report_td_text(b, bd->name);
			lfi_report_td_text(b, lfi_emit_period(r, bd->period, l1, sizeof l1));
			lfi_report_td_count(b, (uint64_t)llround(bd->used > 0 ? bd->used : 0));
			lfi_report_td_count(b, (uint64_t)llround(bd->capacity > 0 ? bd->capacity : 0));
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

lf_status lfi_report_supply_section(lfi_buf *b, const lf_supply_result *r, lf_error *err)
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
