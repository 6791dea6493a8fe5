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

/* choose: per-stage: the option of each stage and the cost of forcing each
 * other one there (the rest re-optimised), with why. */
static void choices_table(lfi_buf *b, const lf_supply_answer *a, size_t idx)
{
	if (!a->n_choices)
		return;
	char m[48];
	lfi_buf_printf(b, "<table class=\"t\" id=\"supply-choices-%zu\"><tr><th>stage</th>"
	               "<th>option</th><th class=\"n\">equipment + energy</th>", idx);
	for (size_t j = 0; j < a->n_option_names; j++) {
		lfi_buf_puts(b, "<th class=\"n\">forcing ");
		lfi_html_esc(b, a->option_names[j]);
		lfi_buf_puts(b, "</th>");
	}
	lfi_buf_puts(b, "</tr>\n");
	for (size_t g = 0; g < a->n_choices; g++) {
		const lf_supply_choice *ch = &a->choices[g];
		lfi_buf_puts(b, "<tr data-stage=\"");
		lfi_html_esc(b, ch->stage);
		lfi_buf_puts(b, "\" data-option=\"");
		lfi_html_esc(b, a->option_names[ch->option]);
		lfi_buf_puts(b, "\">");
		lfi_report_td_text(b, ch->stage);
		lfi_report_td_text(b, a->option_names[ch->option]);
		lfi_report_money(m, sizeof m, ch->option_usd);
		lfi_buf_printf(b, "<td class=\"n\">%s</td>", m);
		for (size_t j = 0; j < a->n_option_names; j++) {
			double f = ch->force_usd[j];
			if ((int)j == ch->option)
				lfi_buf_puts(b, "<td class=\"n\">chosen</td>");
			else if (isnan(f))
				lfi_buf_puts(b, "<td class=\"n\">not priced</td>");
			else if (isinf(f))
				lfi_buf_puts(b, "<td class=\"n\">infeasible</td>");
			else {
				lfi_report_money(m, sizeof m, f);
				lfi_buf_printf(b, "<td class=\"n\" data-force=\"%.10g\">+%s</td>", f, m);
			}
		}
		lfi_buf_puts(b, "</tr>\n");
	}
	lfi_buf_puts(b, "</table>\n<p class=\"notes\">Option per stage (choose: per-stage), chosen "
	               "jointly with the orders; forcing: what the objective rises by with that "
	               "option at that stage and the rest re-optimised.</p>\n");
	for (size_t g = 0; g < a->n_choices; g++) {
		lfi_buf_puts(b, "<p class=\"notes\"><b>");
		lfi_html_esc(b, a->choices[g].stage);
		lfi_buf_puts(b, ":</b> ");
		lfi_html_esc(b, a->choices[g].why);
		lfi_buf_puts(b, "</p>\n");
	}
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

	choices_table(b, a, idx);
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

/* The break-even sweep (lightfab report --sweep-capacity): the chart of the
 * objective against the pool's capacity with each stage's option in a band
 * below and the flips marked, the table of points, the flips in words. */
static lf_status breakeven(lfi_buf *b, const lf_supply_sweep *sw, lf_error *err)
{
	lf_supply_result r0 = { 0 };
	r0.period = sw->period;
	r0.start_month = sw->start_month;
	const char *per = sw->period == LF_PERIOD_MONTH ? "month" : "week";
	char title[256], xl[192], m[48], l[32];
	lfi_buf_puts(b, "<div id=\"breakeven\" data-pool=\"");
	lfi_html_esc(b, sw->pool);
	lfi_buf_puts(b, "\"><h3>Break-even: laser pool ");
	lfi_html_esc(b, sw->pool);
	lfi_buf_puts(b, "</h3>\n<p class=\"notes\">The scenario re-solved with the pool at a "
	               "constant capacity every period (its ramp replaced), at each point below; "
	               "reservation values and forcing costs are not computed in the sweep.</p>\n");
	lfi_svg_vmark *marks = calloc(sw->n_flips + 1, sizeof *marks);
	char (*mlab)[160] = calloc(sw->n_flips + 1, sizeof *mlab);
	if (!marks || !mlab) {
		free(marks), free(mlab);
		return lfi_oom(err);
	}
	for (size_t i = 0; i < sw->n_flips; i++) {
		const lf_supply_flip *f = &sw->flip[i];
		/* the flip lies between the last point on the old option and the
		 * first on the new one: drawn halfway, where the bands change */
		size_t k = 1;
		while (k + 1 < sw->n_points && sw->capacity[k] < f->capacity)
			k++;
		if (f->exact)
			snprintf(mlab[i], sizeof mlab[i], "%s goes %s (from %s) at %.0f lasers/%s",
			         sw->stage[f->stage], sw->option_names[f->to],
			         sw->option_names[f->from], f->first_new, per);
		else
			snprintf(mlab[i], sizeof mlab[i], "%s goes %s (from %s) between %.0f and %.0f "
			         "lasers/%s", sw->stage[f->stage], sw->option_names[f->to],
			         sw->option_names[f->from], f->last_old, f->first_new, per);
		/* drawn at the break-even when bisected, else halfway */
		marks[i] = (lfi_svg_vmark){ mlab[i], f->capacity,
		                            f->exact ? f->first_new
		                                     : (sw->capacity[k - 1] + f->capacity) / 2 };
	}
	snprintf(title, sizeof title, "Objective against %s capacity%s", sw->pool,
	         sw->n_stages ? "; option per stage below, flips dashed" : "");
	snprintf(xl, sizeof xl, "%s capacity, lasers per %s", sw->pool, per);
	lfi_svg_breakeven(b, title, xl, "objective, USD", sw->n_points, sw->capacity,
	                  sw->objective_usd, sw->stage, sw->n_stages, sw->choice,
	                  sw->option_names, sw->n_option_names, marks, sw->n_flips);
	free(marks);
	free(mlab);
	lfi_buf_puts(b, "<table class=\"t\" id=\"breakeven-points\"><tr><th class=\"n\">"
	               "capacity</th><th class=\"n\">objective</th><th>ready</th>"
	               "<th class=\"n\">MIP gap</th>");
	for (size_t g = 0; g < sw->n_stages; g++) {
		lfi_buf_puts(b, "<th>");
		lfi_html_esc(b, sw->stage[g]);
		lfi_buf_puts(b, "</th>");
	}
	lfi_buf_puts(b, "</tr>\n");
	for (size_t k = 0; k < sw->n_points; k++) {
		lfi_buf_printf(b, "<tr data-capacity=\"%.10g\" data-objective=\"%.10g\" "
		               "data-gap=\"%.10g\">", sw->capacity[k], sw->objective_usd[k],
		               sw->mip_gap[k]);
		lfi_report_td_count(b, (uint64_t)llround(sw->capacity[k]));
		lfi_report_money(m, sizeof m, sw->objective_usd[k]);
		lfi_buf_printf(b, "<td class=\"n\">%s</td>", m);
		lfi_report_td_text(b, lfi_emit_period(&r0, sw->ready[k], l, sizeof l));
		lfi_buf_printf(b, "<td class=\"n\">%.4g%%</td>", 100 * sw->mip_gap[k]);
		for (size_t g = 0; g < sw->n_stages; g++) {
			const char *o = sw->option_names[sw->choice[k * sw->n_stages + g]];
			lfi_buf_puts(b, "<td data-stage=\"");
			lfi_html_esc(b, sw->stage[g]);
			lfi_buf_puts(b, "\">");
			lfi_html_esc(b, o);
			lfi_buf_puts(b, "</td>");
		}
		lfi_buf_puts(b, "</tr>\n");
	}
	lfi_buf_puts(b, "</table>\n");
	if (sw->n_flips) {
		lfi_buf_puts(b, "<ul id=\"breakeven-flips\">\n");
		for (size_t i = 0; i < sw->n_flips; i++) {
			const lf_supply_flip *f = &sw->flip[i];
			char c[32];
			lfi_buf_printf(b, "<li data-stage=\"");
			lfi_html_esc(b, sw->stage[f->stage]);
			lfi_buf_puts(b, "\" data-to=\"");
			lfi_html_esc(b, sw->option_names[f->to]);
			lfi_buf_printf(b, "\" data-capacity=\"%.10g\">", f->capacity);
			lfi_html_esc(b, sw->stage[f->stage]);
			lfi_buf_puts(b, " goes ");
			lfi_html_esc(b, sw->option_names[f->to]);
			lfi_buf_puts(b, " (from ");
			lfi_html_esc(b, sw->option_names[f->from]);
			lfi_buf_puts(b, ") once ");
			lfi_html_esc(b, sw->pool);
			lfi_buf_printf(b, " capacity &ge; %s lasers/%s", lfi_fmt_count(
			               (uint64_t)llround(f->first_new), c, sizeof c), per);
			lfi_buf_puts(b, " (still ");
			lfi_html_esc(b, sw->option_names[f->from]);
			lfi_buf_printf(b, " at %s", lfi_fmt_count((uint64_t)llround(f->last_old), c,
			                                           sizeof c));
			lfi_buf_puts(b, f->exact ? "; bisected to a laser)" : "; a MIP between not proven)");
			lfi_buf_puts(b, ".</li>\n");
		}
		lfi_buf_puts(b, "</ul>\n");
	} else {
		lfi_buf_puts(b, "<p class=\"notes\">");
		lfi_html_esc(b, sw->flips);
		lfi_buf_puts(b, ".</p>\n");
	}
	lfi_buf_puts(b, "<p class=\"notes\">The same numbers as <code>lightfab source "
	               "--sweep-capacity --json</code>.</p></div>\n");
	return LF_OK;
}

lf_status lfi_report_supply_section(lfi_buf *b, const lf_supply_result *r,
                                    const lf_supply_sweep *sw, lf_error *err)
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
	               "</p>\n");
	if (sw) {
		lf_status st = breakeven(b, sw, err);
		if (st != LF_OK)
			return st;
	}
	lfi_buf_puts(b, "</section>\n");
	return LF_OK;
}
