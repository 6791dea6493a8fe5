/*
 * emit_supply.c — a supply result as a table, JSON (jansson) or CSV.  With
 * several answers (fabric options), the table opens with a side-by-side
 * comparison: ready date, slip and cost per option.  Every number comes
 * from the lf_supply_result; nothing is recomputed here.
 *
 * JSON (fields may be added, these stay):
 *   { "scenario", "period": "month"|"week", "start", "periods",
 *     "options": [ {
 *        "name", "spec", "ready" (label or null), "optimal", "integer", "mip_gap",
 *        "cost": { "purchase_usd", "expedite_premium_usd", "reservation_usd",
 *                  "holding_usd", "spend_usd", "lateness_usd", "unmet_usd",
 *                  "objective_usd" },
 *        "stages": [ { "name", "gpus", "need_by", "ready" (null: never), "slip_periods",
 *                      "links", "short_at_need_by", "unmet", "penalty_usd", "why" } ],
 *        "orders": [ { "supplier", "sku", "mode", "placed" (null: reservation),
 *                      "arrives", "quantity", "unit_usd" } ],
 *        "deliveries": [ { "sku", "period", "delivered", "used", "stock" } ],
 *        "use": [ { "level", "end", "at", "sku", "modules", "planned" } ],
 *        "reservations": [ { "name", "supplier", "sku", "signed", "reserved", "taken",
 *                            "cost_usd", "value_usd" (null: not computed), "effect" } ],
 *        "binding": [ { "kind", "name", "period", "used", "capacity", "shadow_usd" } ],
 *        "spares": [ { "sku", "quantity", "need_by", "ready" (null: never),
 *                      "short_at_need_by", "unmet", "penalty_usd" } ]  (from lightfab
 *                      reliability; empty without it),
 *        "projects": [ { "name", "gpus", "ready", "late_stages", "gpu_periods_late",
 *                        "lateness_usd", "unmet_usd" } ]  (projects:; else empty; stages
 *                        then carry "project"),
 *        "laser_shares": [ { "laser", "project", "period", "lasers" } ]  (projects:
 *                        lasers of each type in the modules each project deploys),
 *        "choices": [ { "stage", "option", "option_usd",
 *                       "force_usd": { option: $ (null: infeasible, or not priced:
 *                       solver.price_choices false) }, "why" } ]
 *                   (choose: per-stage; empty otherwise; cost.option_usd is then
 *                    part of objective_usd),
 *        "probability" (1 unless uncertainty:),
 *        "model": { "rows", "cols", "integer_cols", "solve_s" }, "notes" } ],
 *   "stochastic": { "commit", "expected_usd", "wait_and_see_usd", "eev_usd" (null:
 *                   infeasible), "vss_usd" (null: unbounded), "evpi_usd" }
 *                   (uncertainty: only; "options" are then its scenarios) }
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "render.h"

/* A period's label ("2026-03", "Q2 2026"), or "never" for -1: also the
 * report's (render.h). */
const char *lfi_emit_period(const lf_supply_result *r, int period, char *buf, size_t n)
{
	if (period < 0)
		snprintf(buf, n, "never");
	else
		lf_supply_period_label(r->period, r->start_month, period, buf, n);
	return buf;
}

static const char *money(double v, char *buf, size_t n)
{
	/* $12,345,678 */
	char raw[64];
	snprintf(raw, sizeof raw, "%.0f", fabs(v) < 0.5 ? 0 : v);
	const char *d = raw;
	size_t o = 0;
	if (*d == '-' && o + 1 < n)
		buf[o++] = *d++;
	if (o + 1 < n)
		buf[o++] = '$';
	size_t len = strlen(d);
	for (size_t i = 0; i < len && o + 2 < n; i++) {
		buf[o++] = d[i];
		if ((len - i - 1) % 3 == 0 && i + 1 < len)
			buf[o++] = ',';
	}
	buf[o] = 0;
	return buf;
}

static const char *end_name(lf_end e)
{
	return e == LF_END_SERVER ? "server" : e == LF_END_SWITCH ? "switch" : "-";
}

/* ------------------------------------------------------------------ table */

static void table_answer(lfi_buf *b, const lf_supply_result *r, const lf_supply_answer *a)
{
	char l1[32], l2[32], m1[48], m2[48];
	if (a->n_projects) {
		lfi_buf_printf(b, "\n%s of %zu projects:", a->name, a->n_projects);
		for (size_t j = 0; j < a->n_projects; j++)
			lfi_buf_printf(b, "%s %s", j ? "," : "", a->projects[j].name);
		lfi_buf_puts(b, "\n");
	} else if (a->n_choices) {
		lfi_buf_printf(b, "\noption %s (one of", a->name);
		for (size_t j = 0; j < a->n_option_names; j++)
			lfi_buf_printf(b, "%s %s", j ? "," : "", a->option_names[j]);
		lfi_buf_puts(b, " per stage: see the choices below)\n");
	} else {
		lfi_buf_printf(b, "\noption %s (spec %s)\n", a->name, a->spec_name);
	}
	lfi_buf_printf(b, "  stage          gpus  need-by     ready       slip      links   "
	               "short@need   unmet      penalty\n");
	for (size_t i = 0; i < a->n_stages; i++) {
		const lf_supply_stage *s = &a->stages[i];
		char nm[64];
		snprintf(nm, sizeof nm, "%s%s%s", s->project ? s->project : "", s->project ? "/" : "",
		         s->name);
		lfi_buf_printf(b, "  %-12s %6lld  %-10s  %-10s  %+4d  %9.0f  %11.0f  %6.0f  %11s\n",
		               nm, (long long)s->gpus, lfi_emit_period(r, s->need_by, l1, sizeof l1),
		               lfi_emit_period(r, s->ready, l2, sizeof l2), s->slip, s->links,
		               s->short_at_need_by, s->unmet, money(s->penalty_usd, m1, sizeof m1));
	}
	for (size_t i = 0; i < a->n_stages; i++)
		if (a->stages[i].why[0])
			lfi_buf_printf(b, "  why %s%s%s: %s\n", a->stages[i].project ? a->stages[i].project
			                                                              : "",
			              a->stages[i].project ? "/" : "", a->stages[i].name,
			              a->stages[i].why);
	if (a->n_projects) {
		lfi_buf_puts(b, "\n  projects (sourced together)\n  project        gpus  ready       "
		             "late stages  GPU-periods late     lateness        unmet\n");
		for (size_t i = 0; i < a->n_projects; i++) {
			const lf_supply_project *x = &a->projects[i];
			lfi_buf_printf(b, "  %-12s %6lld  %-10s  %11d  %16.0f  %11s  %11s\n", x->name,
			               (long long)x->gpus, lfi_emit_period(r, x->ready, l1, sizeof l1),
			               x->late_stages, x->gpu_periods_late,
			               money(x->lateness_usd, m1, sizeof m1),
			               money(x->unmet_usd, m2, sizeof m2));
		}
		lfi_buf_puts(b, "\n  lasers in the modules each project deploys, per period\n");
		for (size_t i = 0; i < a->n_laser_shares;) {
			const lf_supply_laser_share *x = &a->laser_shares[i];
			lfi_buf_printf(b, "  %-8s %-10s", x->laser, lfi_emit_period(r, x->period, l1, sizeof l1));
			size_t j = i;
			for (; j < a->n_laser_shares && a->laser_shares[j].period == x->period &&
			       !strcmp(a->laser_shares[j].laser, x->laser); j++)
				lfi_buf_printf(b, "  %s %.0f", a->laser_shares[j].project,
				               a->laser_shares[j].lasers);
			lfi_buf_puts(b, "\n");
			i = j;
		}
	}
	if (a->n_choices) {
		lfi_buf_puts(b, "\n  option per stage (choose: per-stage); cost of forcing another "
		             "option at that stage, the rest re-optimised\n  stage        option      "
		             "equipment+energy");
		for (size_t j = 0; j < a->n_option_names; j++)
			lfi_buf_printf(b, "  %14.14s", a->option_names[j]);
		lfi_buf_puts(b, "\n");
		for (size_t i = 0; i < a->n_choices; i++) {
			const lf_supply_choice *c = &a->choices[i];
			lfi_buf_printf(b, "  %-12s %-10s  %16s", c->stage, a->option_names[c->option],
			               money(c->option_usd, m1, sizeof m1));
			for (size_t j = 0; j < a->n_option_names; j++)
				lfi_buf_printf(b, "  %14s", (int)j == c->option ? "chosen"
				               : isnan(c->force_usd[j]) ? "-"
				               : isfinite(c->force_usd[j]) ? money(c->force_usd[j], m2,
				                                                   sizeof m2) : "infeasible");
			lfi_buf_puts(b, "\n");
		}
		for (size_t i = 0; i < a->n_choices; i++)
			lfi_buf_printf(b, "  why %s on %s: %s\n", a->choices[i].stage,
			               a->option_names[a->choices[i].option], a->choices[i].why);
	}
	if (a->n_spares) {
		lfi_buf_puts(b, "\n  spares (lightfab reliability)\n  sku                          "
		             "quantity  need-by     ready       short@need   unmet      penalty\n");
		for (size_t i = 0; i < a->n_spares; i++) {
			const lf_supply_spare *sp = &a->spares[i];
			lfi_buf_printf(b, "  %-28s %8.0f  %-10s  %-10s  %11.0f  %6.0f  %11s\n", sp->sku,
			               sp->quantity, lfi_emit_period(r, sp->need_by, l1, sizeof l1),
			               lfi_emit_period(r, sp->ready, l2, sizeof l2), sp->short_at_need_by,
			               sp->unmet, money(sp->penalty_usd, m1, sizeof m1));
		}
	}

	lfi_buf_printf(b, "\n  orders\n  supplier       sku                          mode         "
	               "placed      arrives       quantity   unit_usd\n");
	for (size_t i = 0; i < a->n_orders; i++) {
		const lf_supply_order *o = &a->orders[i];
		lfi_buf_printf(b, "  %-14s %-28s %-11s  %-10s  %-10s  %10.0f  %9.2f\n", o->supplier,
		               o->sku, o->mode, o->placed < 0 ? "reserved" : lfi_emit_period(r, o->placed, l1,
		               sizeof l1), lfi_emit_period(r, o->arrives, l2, sizeof l2), o->quantity,
		               o->unit_usd);
	}
	if (!a->n_orders)
		lfi_buf_puts(b, "  (none)\n");

	lfi_buf_puts(b, "\n  modules deployed per link level and end\n");
	for (size_t i = 0; i < a->n_uses; i++) {
		const lf_supply_use *u = &a->uses[i];
		lfi_buf_printf(b, "  %-12s %-7s %-28s %10.0f%s\n", lfi_level_name(u->level),
		               u->at, u->sku, u->modules, u->planned ? "  (planned)"
		                                                               : "  (substitute)");
	}

	lfi_buf_puts(b, "\n  deliveries per SKU and period (delivered / deployed / in stock)\n");
	const char *cur = NULL;
	for (size_t i = 0; i < a->n_flows; i++) {
		const lf_supply_flow *f = &a->flows[i];
		if (!cur || strcmp(cur, f->sku)) {
			lfi_buf_printf(b, "  %s\n", f->sku);
			cur = f->sku;
		}
		lfi_buf_printf(b, "    %-10s %10.0f %10.0f %10.0f\n", lfi_emit_period(r, f->period, l1, sizeof l1),
		               f->delivered, f->used, f->stock);
	}

	if (a->n_resv) {
		lfi_buf_puts(b, "\n  reservations\n");
		for (size_t i = 0; i < a->n_resv; i++) {
			const lf_supply_resv_use *u = &a->resv[i];
			lfi_buf_printf(b, "  %-16s %s %s: signed %.0f%%, reserved %.0f, taken %.0f, cost %s",
			               u->name, u->supplier, u->sku, 100 * u->fraction, u->reserved,
			               u->taken, money(u->cost_usd, m1, sizeof m1));
			if (u->valued)
				lfi_buf_printf(b, "; worth %s (%s)", money(u->value_usd, m2, sizeof m2),
				               u->effect);
			lfi_buf_puts(b, "\n");
		}
	}

	lfi_buf_puts(b, "\n  binding constraints (shadow price: $ saved per extra unit)\n");
	size_t i = 0;
	while (i < a->n_bindings) {
		/* one line per constraint and run of consecutive periods */
		size_t j = i;
		double lo = a->bindings[i].shadow_usd, hi = lo;
		while (j + 1 < a->n_bindings && !strcmp(a->bindings[j + 1].name, a->bindings[i].name) &&
		       !strcmp(a->bindings[j + 1].kind, a->bindings[i].kind) &&
		       a->bindings[j + 1].period == a->bindings[j].period + 1) {
			j++;
			lo = fmin(lo, a->bindings[j].shadow_usd);
			hi = fmax(hi, a->bindings[j].shadow_usd);
		}
		lfi_buf_printf(b, "  %-13s %-36s %s..%s  cap %.0f  shadow $%.2f..$%.2f\n",
		               a->bindings[i].kind, a->bindings[i].name,
		               lfi_emit_period(r, a->bindings[i].period, l1, sizeof l1),
		               lfi_emit_period(r, a->bindings[j].period, l2, sizeof l2), a->bindings[i].capacity,
		               lo, hi);
		i = j + 1;
	}
	if (!a->n_bindings)
		lfi_buf_puts(b, "  (none)\n");

	lfi_buf_printf(b, "\n  cost  purchase %s (expedite premium %s)", money(a->purchase_usd, m1,
	              sizeof m1), money(a->expedite_premium_usd, m2, sizeof m2));
	lfi_buf_printf(b, ", reservations %s", money(a->reservation_usd, m1, sizeof m1));
	lfi_buf_printf(b, ", holding %s\n", money(a->holding_usd, m1, sizeof m1));
	lfi_buf_printf(b, "        spend %s + lateness %s", money(a->spend_usd, m1, sizeof m1),
	               money(a->lateness_usd, m2, sizeof m2));
	lfi_buf_printf(b, " + unmet %s", money(a->unmet_usd, m1, sizeof m1));
	if (a->n_choices)
		lfi_buf_printf(b, " + equipment and energy %s", money(a->option_usd, m1, sizeof m1));
	lfi_buf_printf(b, " = objective %s\n", money(a->objective_usd, m1, sizeof m1));
	lfi_buf_printf(b, "  model %d rows, %d columns (%d integer), %s, solved in %.3f s\n",
	               a->rows, a->cols, a->int_cols, a->optimal ? "optimal" : "not proven optimal",
	               a->solve_s);
	if (a->notes[0])
		lfi_buf_printf(b, "  notes: %s\n", a->notes);
}

static void table(lfi_buf *b, const lf_supply_result *r)
{
	char l1[32], l2[32], m1[48], m2[48], m3[48];
	lfi_buf_printf(b, "lightfab source: %s, %d %ss from %s to %s\n", r->scenario, r->periods,
	               r->period == LF_PERIOD_MONTH ? "month" : "week",
	               lfi_emit_period(r, 0, l1, sizeof l1), lfi_emit_period(r, r->periods - 1, l2, sizeof l2));
	if (r->stochastic) {
		if (r->commit > 0)
			lfi_buf_printf(b, "\n  two-stage stochastic plan: orders and call-offs placed "
			               "before %s and reservation signatures shared by %zu scenarios\n",
			               lfi_emit_period(r, r->commit < r->periods ? r->commit : r->periods - 1, l1,
			                      sizeof l1), r->n_answers);
		else
			lfi_buf_printf(b, "\n  two-stage stochastic plan: reservation signatures shared "
			               "by %zu scenarios (commit: 0: every order adapts)\n", r->n_answers);
		for (size_t i = 0; i < r->n_answers; i++)
			lfi_buf_printf(b, "    %-16s p = %.3f  objective %s\n", r->answers[i].name,
			               r->answers[i].probability,
			               money(r->answers[i].objective_usd, m1, sizeof m1));
		lfi_buf_printf(b, "  expected cost %s; wait-and-see %s: EVPI %s\n",
		               money(r->expected_usd, m1, sizeof m1),
		               money(r->wait_and_see_usd, m2, sizeof m2),
		               money(r->evpi_usd, m3, sizeof m3));
		if (r->stochastic_note[0])
			lfi_buf_printf(b, "  reservations: %s\n", r->stochastic_note);
		if (isfinite(r->eev_usd))
			lfi_buf_printf(b, "  mean-value plan's first stage in every scenario %s: VSS %s\n",
			               money(r->eev_usd, m1, sizeof m1), money(r->vss_usd, m2, sizeof m2));
		else
			lfi_buf_puts(b, "  the mean-value plan's first stage is infeasible in some "
			             "scenario: VSS unbounded\n");
	}
	if (r->n_answers > 1) {
		lfi_buf_puts(b, "\n  option                ready       max slip          spend     "
		             "lateness+unmet       objective\n");
		for (size_t i = 0; i < r->n_answers; i++) {
			const lf_supply_answer *a = &r->answers[i];
			int slip = 0;
			for (size_t k = 0; k < a->n_stages; k++)
				slip = a->stages[k].slip > slip ? a->stages[k].slip : slip;
			lfi_buf_printf(b, "  %-20s  %-10s  %+8d  %13s  %19s  %14s\n", a->name,
			               lfi_emit_period(r, a->ready, l1, sizeof l1), slip,
			               money(a->spend_usd, m1, sizeof m1),
			               money(a->lateness_usd + a->unmet_usd, m2, sizeof m2),
			               money(a->objective_usd, m3, sizeof m3));
		}
		lfi_buf_puts(b, "\n  stage ready dates per option\n");
		for (size_t k = 0; k < r->answers[0].n_stages; k++) {
			lfi_buf_printf(b, "  %-12s", r->answers[0].stages[k].name);
			for (size_t i = 0; i < r->n_answers; i++) {
				const lf_supply_answer *a = &r->answers[i];
				if (k < a->n_stages)
					lfi_buf_printf(b, "  %s: %s (%+d)", a->name,
					               lfi_emit_period(r, a->stages[k].ready, l1, sizeof l1),
					               a->stages[k].slip);
			}
			lfi_buf_puts(b, "\n");
		}
	}
	for (size_t i = 0; i < r->n_answers; i++)
		table_answer(b, r, &r->answers[i]);
}

/* ------------------------------------------------------------------- JSON */

static json_t *jlabel(const lf_supply_result *r, int period)
{
	char l[32];
	return period < 0 ? json_null() : json_string(lfi_emit_period(r, period, l, sizeof l));
}

static json_t *json_answer(const lf_supply_result *r, const lf_supply_answer *a)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", json_string(a->name));
	json_object_set_new(o, "spec", json_string(a->spec_name));
	json_object_set_new(o, "ready", jlabel(r, a->ready));
	json_object_set_new(o, "optimal", json_boolean(a->optimal));
	json_object_set_new(o, "integer", json_boolean(a->integer));
	json_object_set_new(o, "mip_gap", json_real(a->mip_gap));
	json_object_set_new(o, "cost", json_pack("{s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f,s:f}",
	                    "purchase_usd", a->purchase_usd, "expedite_premium_usd",
	                    a->expedite_premium_usd, "reservation_usd", a->reservation_usd,
	                    "holding_usd", a->holding_usd, "spend_usd", a->spend_usd,
	                    "lateness_usd", a->lateness_usd, "unmet_usd", a->unmet_usd,
	                    "option_usd", a->option_usd, "objective_usd", a->objective_usd));
	json_t *st = json_array();
	for (size_t i = 0; i < a->n_stages; i++) {
		const lf_supply_stage *s = &a->stages[i];
		json_t *x = json_pack("{s:s,s:I,s:o,s:o,s:i,s:f,s:f,s:f,s:f,s:s}", "name", s->name,
		                      "gpus", (json_int_t)s->gpus, "need_by", jlabel(r, s->need_by),
		                      "ready", jlabel(r, s->ready), "slip_periods", s->slip,
		                      "links", s->links, "short_at_need_by", s->short_at_need_by,
		                      "unmet", s->unmet, "penalty_usd", s->penalty_usd, "why", s->why);
		if (s->project)
			json_object_set_new(x, "project", json_string(s->project));
		json_array_append_new(st, x);
	}
	json_object_set_new(o, "stages", st);
	json_t *pj = json_array();
	for (size_t i = 0; i < a->n_projects; i++) {
		const lf_supply_project *x = &a->projects[i];
		json_array_append_new(pj, json_pack("{s:s,s:I,s:o,s:i,s:f,s:f,s:f}", "name", x->name,
		                      "gpus", (json_int_t)x->gpus, "ready", jlabel(r, x->ready),
		                      "late_stages", x->late_stages, "gpu_periods_late",
		                      x->gpu_periods_late, "lateness_usd", x->lateness_usd,
		                      "unmet_usd", x->unmet_usd));
	}
	json_object_set_new(o, "projects", pj);
	json_t *ls = json_array();
	for (size_t i = 0; i < a->n_laser_shares; i++) {
		const lf_supply_laser_share *x = &a->laser_shares[i];
		json_array_append_new(ls, json_pack("{s:s,s:s,s:o,s:f}", "laser", x->laser, "project",
		                      x->project, "period", jlabel(r, x->period), "lasers",
		                      x->lasers));
	}
	json_object_set_new(o, "laser_shares", ls);
	json_t *or = json_array();
	for (size_t i = 0; i < a->n_orders; i++) {
		const lf_supply_order *x = &a->orders[i];
		json_array_append_new(or, json_pack("{s:s,s:s,s:s,s:o,s:o,s:f,s:f}", "supplier",
		                      x->supplier, "sku", x->sku, "mode", x->mode, "placed",
		                      jlabel(r, x->placed), "arrives", jlabel(r, x->arrives),
		                      "quantity", x->quantity, "unit_usd", x->unit_usd));
	}
	json_object_set_new(o, "orders", or);
	json_t *fl = json_array();
	for (size_t i = 0; i < a->n_flows; i++) {
		const lf_supply_flow *f = &a->flows[i];
		json_array_append_new(fl, json_pack("{s:s,s:o,s:f,s:f,s:f}", "sku", f->sku, "period",
		                      jlabel(r, f->period), "delivered", f->delivered, "used", f->used,
		                      "stock", f->stock));
	}
	json_object_set_new(o, "deliveries", fl);
	json_t *us = json_array();
	for (size_t i = 0; i < a->n_uses; i++) {
		const lf_supply_use *u = &a->uses[i];
		json_array_append_new(us, json_pack("{s:s,s:s,s:s,s:s,s:f,s:b}", "level",
		                      lfi_level_name(u->level), "end", end_name(u->end), "at", u->at,
		                      "sku", u->sku,
		                      "modules", u->modules, "planned", u->planned));
	}
	json_object_set_new(o, "use", us);
	json_t *rv = json_array();
	for (size_t i = 0; i < a->n_resv; i++) {
		const lf_supply_resv_use *u = &a->resv[i];
		json_array_append_new(rv, json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:f,s:o,s:s}", "name",
		                      u->name, "supplier", u->supplier, "sku", u->sku, "signed",
		                      u->fraction, "reserved", u->reserved, "taken", u->taken,
		                      "cost_usd", u->cost_usd, "value_usd",
		                      u->valued ? json_real(u->value_usd) : json_null(), "effect",
		                      u->effect));
	}
	json_object_set_new(o, "reservations", rv);
	json_t *bd = json_array();
	for (size_t i = 0; i < a->n_bindings; i++) {
		const lf_supply_binding *x = &a->bindings[i];
		json_array_append_new(bd, json_pack("{s:s,s:s,s:o,s:f,s:f,s:f}", "kind", x->kind,
		                      "name", x->name, "period", jlabel(r, x->period), "used", x->used,
		                      "capacity", x->capacity, "shadow_usd", x->shadow_usd));
	}
	json_object_set_new(o, "binding", bd);
	json_t *sp = json_array();
	for (size_t i = 0; i < a->n_spares; i++) {
		const lf_supply_spare *x = &a->spares[i];
		json_array_append_new(sp, json_pack("{s:s,s:f,s:o,s:o,s:f,s:f,s:f}", "sku", x->sku,
		                      "quantity", x->quantity, "need_by", jlabel(r, x->need_by),
		                      "ready", jlabel(r, x->ready), "short_at_need_by",
		                      x->short_at_need_by, "unmet", x->unmet, "penalty_usd",
		                      x->penalty_usd));
	}
	json_object_set_new(o, "spares", sp);
	json_t *ch = json_array();
	for (size_t i = 0; i < a->n_choices; i++) {
		const lf_supply_choice *c = &a->choices[i];
		json_t *f = json_object();
		for (size_t j = 0; j < a->n_option_names; j++)
			json_object_set_new(f, a->option_names[j], isfinite(c->force_usd[j])
			                    ? json_real(c->force_usd[j]) : json_null());
		json_array_append_new(ch, json_pack("{s:s,s:s,s:f,s:o,s:s}", "stage", c->stage,
		                      "option", a->option_names[c->option], "option_usd",
		                      c->option_usd, "force_usd", f, "why", c->why));
	}
	json_object_set_new(o, "choices", ch);
	json_object_set_new(o, "model", json_pack("{s:i,s:i,s:i,s:f}", "rows", a->rows, "cols",
	                    a->cols, "integer_cols", a->int_cols, "solve_s", a->solve_s));
	json_object_set_new(o, "probability", json_real(a->probability));
	json_object_set_new(o, "notes", json_string(a->notes));
	return o;
}

/* -------------------------------------------------------------------- CSV */

static void csv(lfi_buf *b, const lf_supply_result *r)
{
	char l1[32], l2[32], l3[32];
	lfi_buf_puts(b, "record,option,supplier,sku,mode,placed,arrives,quantity,unit_usd,"
	             "stage,need_by,ready,slip_periods,links,unmet,usd\n");
	for (size_t i = 0; i < r->n_answers; i++) {
		const lf_supply_answer *a = &r->answers[i];
		for (size_t k = 0; k < a->n_orders; k++) {
			const lf_supply_order *o = &a->orders[k];
			lfi_buf_puts(b, "order,");
			lfi_emit_csv_field(b, a->name);
			lfi_buf_puts(b, ",");
			lfi_emit_csv_field(b, o->supplier);
			lfi_buf_printf(b, ",%s,%s,%s,%s,%.6g,%.2f,,,,,,,%.2f\n", o->sku, o->mode,
			               o->placed < 0 ? "" : lfi_emit_period(r, o->placed, l1, sizeof l1),
			               lfi_emit_period(r, o->arrives, l2, sizeof l2), o->quantity, o->unit_usd,
			               o->quantity * o->unit_usd);
		}
		for (size_t k = 0; k < a->n_stages; k++) {
			const lf_supply_stage *s = &a->stages[k];
			lfi_buf_puts(b, "stage,");
			lfi_emit_csv_field(b, s->project ? s->project : a->name);
			lfi_buf_puts(b, ",,,,,,,,");
			lfi_emit_csv_field(b, s->name);
			lfi_buf_printf(b, ",%s,%s,%d,%.6g,%.6g,%.2f\n", lfi_emit_period(r, s->need_by, l1, sizeof l1),
			               s->ready < 0 ? "" : lfi_emit_period(r, s->ready, l3, sizeof l3), s->slip,
			               s->links, s->unmet, s->penalty_usd);
		}
		for (size_t k = 0; k < a->n_spares; k++) {
			const lf_supply_spare *sp = &a->spares[k];
			lfi_buf_puts(b, "spare,");
			lfi_emit_csv_field(b, a->name);
			lfi_buf_printf(b, ",,%s,,,,%.6g,,,%s,%s,,,%.6g,%.2f\n", sp->sku, sp->quantity,
			               lfi_emit_period(r, sp->need_by, l1, sizeof l1),
			               sp->ready < 0 ? "" : lfi_emit_period(r, sp->ready, l3, sizeof l3), sp->unmet,
			               sp->penalty_usd);
		}
		static const char *const parts[] = { "purchase", "expedite_premium", "reservation",
		                                     "holding", "spend", "lateness", "unmet",
		                                     "option", "objective" };
		double v[] = { a->purchase_usd, a->expedite_premium_usd, a->reservation_usd,
		               a->holding_usd, a->spend_usd, a->lateness_usd, a->unmet_usd,
		               a->option_usd, a->objective_usd };
		for (size_t k = 0; k < a->n_choices; k++) {
			/* choose: per-stage: the option in `mode`, its equipment+energy in usd */
			lfi_buf_puts(b, "choice,");
			lfi_emit_csv_field(b, a->name);
			lfi_buf_puts(b, ",,,");
			lfi_emit_csv_field(b, a->option_names[a->choices[k].option]);
			lfi_buf_puts(b, ",,,,,");
			lfi_emit_csv_field(b, a->choices[k].stage);
			lfi_buf_printf(b, ",,,,,,%.2f\n", a->choices[k].option_usd);
		}
		for (size_t k = 0; k < LF_ARRAY_LEN(parts); k++) {
			lfi_buf_puts(b, "cost,");
			lfi_emit_csv_field(b, a->name);
			lfi_buf_printf(b, ",,,%s,,,,,,,,,,,%.2f\n", parts[k], v[k]);
		}
	}
}

lf_status lf_supply_result_render(const lf_supply_result *r, lf_format fmt, char **out,
                                  lf_error *err)
{
	*out = NULL;
	if (fmt == LF_FMT_JSON) {
		json_t *o = json_object(), *opts = json_array();
		char l[32];
		json_object_set_new(o, "scenario", json_string(r->scenario));
		json_object_set_new(o, "period", json_string(r->period == LF_PERIOD_MONTH ? "month"
		                                                                          : "week"));
		json_object_set_new(o, "start", json_string(lfi_emit_period(r, 0, l, sizeof l)));
		json_object_set_new(o, "periods", json_integer(r->periods));
		if (r->stochastic) {
			json_t *x = json_pack("{s:i,s:f,s:f,s:o,s:o,s:f}", "commit", r->commit,
			                      "expected_usd", r->expected_usd, "wait_and_see_usd",
			                      r->wait_and_see_usd, "eev_usd", isfinite(r->eev_usd)
			                      ? json_real(r->eev_usd) : json_null(), "vss_usd",
			                      isfinite(r->vss_usd) ? json_real(r->vss_usd) : json_null(),
			                      "evpi_usd", r->evpi_usd);
			json_object_set_new(x, "note", json_string(r->stochastic_note));
			json_object_set_new(o, "stochastic", x);
		}
		for (size_t i = 0; i < r->n_answers; i++)
			json_array_append_new(opts, json_answer(r, &r->answers[i]));
		json_object_set_new(o, "options", opts);
		return lfi_emit_json_dump(o, 0, out, err);
	}
	lfi_buf b;
	lfi_buf_init(&b);
	if (fmt == LF_FMT_TABLE)
		table(&b, r);
	else if (fmt == LF_FMT_CSV)
		csv(&b, r);
	else
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "lightfab source renders table, JSON or "
		                "CSV, not DOT");
	return lfi_buf_finish(&b, out, err);
}

/* ------------------------------------------------- break-even sweep */

lf_status lf_supply_sweep_render(const lf_supply_sweep *sw, lf_format fmt, char **out,
                                 lf_error *err)
{
	*out = NULL;
	lf_supply_result r0 = { 0 };
	r0.period = sw->period;
	r0.start_month = sw->start_month;
	char l[32], m1[48];
	if (fmt == LF_FMT_JSON) {
		json_t *o = json_object(), *pts = json_array();
		json_object_set_new(o, "scenario", json_string(sw->scenario));
		json_object_set_new(o, "pool", json_string(sw->pool));
		for (size_t k = 0; k < sw->n_points; k++) {
			json_t *p = json_pack("{s:f,s:f,s:f,s:o}", "capacity", sw->capacity[k],
			                      "objective_usd", sw->objective_usd[k], "mip_gap",
			                      sw->mip_gap[k], "ready", sw->ready[k] < 0 ? json_null()
			                      : json_string(lfi_emit_period(&r0, sw->ready[k], l, sizeof l)));
			if (sw->n_stages) {
				json_t *c = json_object();
				for (size_t g = 0; g < sw->n_stages; g++)
					json_object_set_new(c, sw->stage[g], json_string(
					    sw->option_names[sw->choice[k * sw->n_stages + g]]));
				json_object_set_new(p, "choices", c);
			}
			json_array_append_new(pts, p);
		}
		json_object_set_new(o, "points", pts);
		json_t *fl = json_array();
		for (size_t i = 0; i < sw->n_flips; i++) {
			const lf_supply_flip *f = &sw->flip[i];
			json_array_append_new(fl, json_pack("{s:s,s:s,s:s,s:f,s:f,s:f,s:b}", "stage",
			                                    sw->stage[f->stage], "from",
			                                    sw->option_names[f->from], "to",
			                                    sw->option_names[f->to], "capacity",
			                                    f->capacity, "last_old", f->last_old,
			                                    "first_new", f->first_new, "exact",
			                                    f->exact));
		}
		json_object_set_new(o, "flip_points", fl);
		json_object_set_new(o, "flips", json_string(sw->flips));
		return lfi_emit_json_dump(o, 0, out, err);
	}
	lfi_buf b;
	lfi_buf_init(&b);
	if (fmt == LF_FMT_CSV) {
		lfi_buf_puts(&b, "capacity,objective_usd,ready,mip_gap");
		for (size_t g = 0; g < sw->n_stages; g++) {
			lfi_buf_puts(&b, ",");
			lfi_emit_csv_field(&b, sw->stage[g]);
		}
		lfi_buf_puts(&b, "\n");
		for (size_t k = 0; k < sw->n_points; k++) {
			lfi_buf_printf(&b, "%.6g,%.2f,%s,%.6g", sw->capacity[k], sw->objective_usd[k],
			               sw->ready[k] < 0 ? "" : lfi_emit_period(&r0, sw->ready[k], l, sizeof l),
			               sw->mip_gap[k]);
			for (size_t g = 0; g < sw->n_stages; g++) {
				lfi_buf_puts(&b, ",");
				lfi_emit_csv_field(&b, sw->option_names[sw->choice[k * sw->n_stages + g]]);
			}
			lfi_buf_puts(&b, "\n");
		}
	} else if (fmt == LF_FMT_TABLE) {
		lfi_buf_printf(&b, "lightfab source --sweep-capacity: %s, laser pool %s at a constant "
		               "capacity per period\n\n  %12s  %16s  %-10s  %8s", sw->scenario, sw->pool,
		               "capacity", "objective", "ready", "MIP gap");
		for (size_t g = 0; g < sw->n_stages; g++)
			lfi_buf_printf(&b, "  %-10.10s", sw->stage[g]);
		lfi_buf_puts(&b, "\n");
		for (size_t k = 0; k < sw->n_points; k++) {
			lfi_buf_printf(&b, "  %12.0f  %16s  %-10s  %7.4g%%", sw->capacity[k],
			               money(sw->objective_usd[k], m1, sizeof m1),
			               lfi_emit_period(&r0, sw->ready[k], l, sizeof l), 100 * sw->mip_gap[k]);
			for (size_t g = 0; g < sw->n_stages; g++)
				lfi_buf_printf(&b, "  %-10.10s",
				               sw->option_names[sw->choice[k * sw->n_stages + g]]);
			lfi_buf_puts(&b, "\n");
		}
		if (sw->flips[0])
			lfi_buf_printf(&b, "\n  %s\n", sw->flips);
	} else {
		lfi_buf_release(&b);
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "lightfab source --sweep-capacity renders "
		                "table, JSON or CSV");
	}
	return lfi_buf_finish(&b, out, err);
}
