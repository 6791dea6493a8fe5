/*
 * sweep_render.c — a sweep's rows as a table, CSV or JSON, and compare's
 * specs side by side (metrics down, specs across); report_sweep.c draws the
 * HTML Pareto page.
 */
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "render.h"

/* -------------------------------------------------------------- rendering */

static const char *status_name(int st)
{
	return st == LF_POINT_OK ? "ok" : st == LF_POINT_INVALID ? "invalid" : "infeasible";
}

static int integer_col(lf_col c)
{
	return c <= LF_COL_MODULES || c == LF_COL_MAX_SLIP;
}

/* A value as text: "" when not computed; the ready period as a month. */
void lf_sweep_format(const lf_sweep *sw, lf_col c, double v, char *buf, size_t n)
{
	if (isnan(v))
		snprintf(buf, n, "%s", "");
	else if (c == LF_COL_READY && isinf(v))
		snprintf(buf, n, "never");
	else if (c == LF_COL_READY && sw->sc)
		lf_supply_period_label(sw->sc->period, sw->sc->start_month, (int)v, buf, n);
	else if (isinf(v))
		snprintf(buf, n, "%s", v > 0 ? "inf" : "-inf");
	else if (integer_col(c))
		snprintf(buf, n, "%.0f", v);
	else
		snprintf(buf, n, "%.10g", v);
}

static void render_csv(const lf_sweep *sw, const lf_sweep_row *rows, size_t n, lfi_buf *b)
{
	lfi_buf_puts(b, "point,spec");
	for (size_t a = 0; a < sw->axes.len; a++) {
		lfi_buf_puts(b, ",");
		lfi_emit_csv_field(b, LF_VEC_AT(&sw->axes, axis, a)->path);
	}
	lfi_buf_puts(b, ",status,reason");
	for (int c = 0; c < LF_COL_COUNT; c++)
		if (lf_sweep_has_column(sw, (lf_col)c))
			lfi_buf_printf(b, ",%s", lf_col_name((lf_col)c));
	lfi_buf_puts(b, ",pareto\n");
	for (size_t i = 0; i < n; i++) {
		const lf_sweep_row *r = &rows[i];
		lfi_buf_printf(b, "%llu,", (unsigned long long)r->index);
		lfi_emit_csv_field(b, lf_sweep_point_spec(sw, r->index));
		for (size_t a = 0; a < sw->axes.len; a++) {
			lfi_buf_puts(b, ",");
			lfi_emit_csv_field(b, lf_sweep_point_value(sw, r->index, a));
		}
		lfi_buf_printf(b, ",%s,", status_name(r->status));
		lfi_emit_csv_field(b, r->reason);
		for (int c = 0; c < LF_COL_COUNT; c++) {
			if (!lf_sweep_has_column(sw, (lf_col)c))
				continue;
			char v[64];
			lf_sweep_format(sw, (lf_col)c, r->v[c], v, sizeof v);
			lfi_buf_printf(b, ",%s", v);
		}
		lfi_buf_printf(b, ",%d\n", r->pareto ? 1 : 0);
	}
}

static json_t *value_json(const lf_sweep *sw, lf_col c, double v)
{
	if (isnan(v))
		return json_null();
	if (c == LF_COL_READY || isinf(v)) {
		char buf[64];
		lf_sweep_format(sw, c, v, buf, sizeof buf);
		return json_string(buf);
	}
	if (integer_col(c))
		return json_integer((json_int_t)v);
	return json_real(v);
}

static json_t *objectives_json(const lf_sweep *sw)
{
	lf_objective obj[LF_COL_COUNT];
	size_t k = lf_sweep_objectives(sw, obj, LF_COL_COUNT);
	json_t *a = json_array();
	for (size_t i = 0; i < k; i++)
		json_array_append_new(a, json_pack("{s:s, s:s}", "column", lf_col_name(obj[i].col),
		                                   "direction", obj[i].maximize ? "max" : "min"));
	return a;
}

static json_t *row_json(const lf_sweep *sw, const lf_sweep_row *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "point", json_integer((json_int_t)r->index));
	json_object_set_new(o, "spec", json_string(lf_sweep_point_spec(sw, r->index)));
	json_t *vals = json_object();
	for (size_t a = 0; a < sw->axes.len; a++)
		json_object_set_new(vals, LF_VEC_AT(&sw->axes, axis, a)->path,
		                    json_string(lf_sweep_point_value(sw, r->index, a)));
	json_object_set_new(o, "values", vals);
	json_object_set_new(o, "status", json_string(status_name(r->status)));
	json_object_set_new(o, "reason", json_string(r->reason));
	for (int c = 0; c < LF_COL_COUNT; c++)
		if (lf_sweep_has_column(sw, (lf_col)c))
			json_object_set_new(o, lf_col_name((lf_col)c), value_json(sw, (lf_col)c, r->v[c]));
	json_object_set_new(o, "pareto", json_boolean(r->pareto));
	return o;
}

/* The workload's file, or null. */
static json_t *workload_json(const lf_sweep *sw)
{
	const char *w = lf_sweep_workload(sw);
	return w ? json_string(w) : json_null();
}

static lf_status render_json(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                             char **out, lf_error *err)
{
	json_t *root = json_object(), *axes = json_array(), *pts = json_array();
	for (size_t a = 0; a < sw->axes.len; a++) {
		const axis *ax = LF_VEC_AT(&sw->axes, axis, a);
		json_t *vals = json_array();
		for (size_t v = 0; v < ax->n_values; v++)
			json_array_append_new(vals, json_string(ax->values[v]));
		json_array_append_new(axes, json_pack("{s:s, s:o}", "path", ax->path, "values", vals));
	}
	json_object_set_new(root, "points_total", json_integer((json_int_t)lf_sweep_n_points(sw)));
	json_object_set_new(root, "axes", axes);
	json_object_set_new(root, "workload", workload_json(sw));
	json_object_set_new(root, "objectives", objectives_json(sw));
	size_t front = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(pts, row_json(sw, &rows[i]));
		front += rows[i].pareto ? 1 : 0;
	}
	json_object_set_new(root, "pareto_points", json_integer((json_int_t)front));
	json_object_set_new(root, "points", pts);
	return lfi_emit_json_dump(root, JSON_PRESERVE_ORDER, out, err);
}

/* Table cells: numbers for humans (grouped, fewer digits). */
static void human(const lf_sweep *sw, lf_col c, double v, char *buf, size_t n)
{
	if (isnan(v) || isinf(v) || c == LF_COL_READY || integer_col(c)) {
		lf_sweep_format(sw, c, v, buf, n);
		return;
	}
	if (c == LF_COL_CAPEX_USD || c == LF_COL_SUPPLY_USD)
		snprintf(buf, n, "%.2fM", v / 1e6);
	else if (c == LF_COL_POWER_TYP_W || c == LF_COL_POWER_MAX_W)
		snprintf(buf, n, "%.1fk", v / 1e3);
	else
		snprintf(buf, n, "%.4g", v);
}

static void render_table(const lf_sweep *sw, const lf_sweep_row *rows, size_t n, lfi_buf *b)
{
	/* columns: point, axis values, status, figures, pareto */
	size_t ncol = 1 + sw->axes.len + 1, nfig = 0;
	lf_col figs[LF_COL_COUNT];
	for (int c = 0; c < LF_COL_COUNT; c++)
		if (lf_sweep_has_column(sw, (lf_col)c) && c != LF_COL_SERVERS &&
		    c != LF_COL_POWER_MAX_W)
			figs[nfig++] = (lf_col)c;
	ncol += nfig + 1;
	size_t *w = calloc(ncol, sizeof *w);
	char cell[256];
	if (!w) {
		b->failed = true;
		return;
	}
	/* two passes: widths, then text */
	for (int pass = 0; pass < 2; pass++) {
		for (size_t i = 0; i <= n; i++) {
			const lf_sweep_row *r = i ? &rows[i - 1] : NULL;
			size_t k = 0;
			for (size_t col = 0; col < ncol; col++) {
				if (col == 0)
					snprintf(cell, sizeof cell, "%s", r ? "" : "#");
				if (col == 0 && r)
					snprintf(cell, sizeof cell, "%llu", (unsigned long long)r->index);
				else if (col >= 1 && col <= sw->axes.len)
					snprintf(cell, sizeof cell, "%s",
					         r ? lf_sweep_point_value(sw, r->index, col - 1)
					           : LF_VEC_AT(&sw->axes, axis, col - 1)->path);
				else if (col == sw->axes.len + 1)
					snprintf(cell, sizeof cell, "%s", r ? status_name(r->status) : "status");
				else if (col == ncol - 1)
					snprintf(cell, sizeof cell, "%s", r ? (r->pareto ? "*" : "") : "pareto");
				else if (col > 0) {
					lf_col c = figs[col - sw->axes.len - 2];
					if (r)
						human(sw, c, r->v[c], cell, sizeof cell);
					else
						snprintf(cell, sizeof cell, "%s", lf_col_name((lf_col)c));
				}
				if (pass == 0) {
					if (strlen(cell) > w[col])
						w[col] = strlen(cell);
				} else {
					int left = col >= 1 && col <= sw->axes.len + 1;
					lfi_buf_printf(b, "%s%*s%s", k++ ? "  " : "", left ? 0 : (int)w[col],
					               left ? "" : cell, "");
					if (left)
						lfi_buf_printf(b, "%-*s", (int)w[col], cell);
				}
			}
			if (pass == 1)
				lfi_buf_puts(b, "\n");
		}
	}
	free(w);
	size_t front = 0, bad = 0;
	for (size_t i = 0; i < n; i++) {
		front += rows[i].pareto ? 1 : 0;
		bad += rows[i].status != LF_POINT_OK;
	}
	lf_objective obj[LF_COL_COUNT];
	size_t k = lf_sweep_objectives(sw, obj, LF_COL_COUNT);
	lfi_buf_printf(b, "\n%zu points, %zu on the Pareto front (*) over", n, front);
	for (size_t i = 0; i < k; i++)
		lfi_buf_printf(b, "%s %s:%s", i ? "," : "", lf_col_name(obj[i].col),
		               obj[i].maximize ? "max" : "min");
	lfi_buf_puts(b, "\n");
	if (bad) {
		lfi_buf_printf(b, "%zu invalid or infeasible:\n", bad);
		for (size_t i = 0; i < n; i++)
			if (rows[i].status != LF_POINT_OK)
				lfi_buf_printf(b, "  #%llu %s: %s\n", (unsigned long long)rows[i].index,
				               status_name(rows[i].status), rows[i].reason);
	}
}

lf_status lf_sweep_render(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                          lf_format fmt, char **out, lf_error *err)
{
	*out = NULL;
	if (fmt == LF_FMT_JSON)
		return render_json(sw, rows, n, out, err);
	if (fmt != LF_FMT_CSV && fmt != LF_FMT_TABLE)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "a sweep renders as a table, JSON or CSV");
	lfi_buf b;
	lfi_buf_init(&b);
	if (fmt == LF_FMT_CSV)
		render_csv(sw, rows, n, &b);
	else
		render_table(sw, rows, n, &b);
	return lfi_buf_finish(&b, out, err);
}

/* --------------------------------------------------------------- compare */

/* The columns a compare shows: the sweep's, plus the status. */
static lf_status compare_json(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                              char **out, lf_error *err)
{
	json_t *root = json_object(), *specs = json_array(), *deltas = json_array();
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(specs, row_json(sw, &rows[i]));
		if (i == 0)
			continue;
		json_t *d = json_object();
		json_object_set_new(d, "spec", json_string(lf_sweep_point_spec(sw, rows[i].index)));
		json_object_set_new(d, "against", json_string(lf_sweep_point_spec(sw, rows[0].index)));
		for (int c = 0; c < LF_COL_COUNT; c++) {
			if (!lf_sweep_has_column(sw, (lf_col)c))
				continue;
			double a = rows[0].v[c], b = rows[i].v[c];
			if (isnan(a) || isnan(b) || isinf(a) || isinf(b)) {
				json_object_set_new(d, lf_col_name((lf_col)c), json_null());
				continue;
			}
			json_object_set_new(d, lf_col_name((lf_col)c),
			                    json_pack("{s:f, s:o}", "delta", b - a, "percent",
			                              a != 0 ? json_real(100 * (b - a) / fabs(a))
			                                     : json_null()));
		}
		json_array_append_new(deltas, d);
	}
	json_object_set_new(root, "workload", workload_json(sw));
	json_object_set_new(root, "objectives", objectives_json(sw));
	json_object_set_new(root, "specs", specs);
	json_object_set_new(root, "deltas", deltas);
	return lfi_emit_json_dump(root, JSON_PRESERVE_ORDER, out, err);
}

lf_status lf_compare_render(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                            lf_format fmt, char **out, lf_error *err)
{
	*out = NULL;
	if (fmt == LF_FMT_JSON)
		return compare_json(sw, rows, n, out, err);
	if (fmt != LF_FMT_CSV && fmt != LF_FMT_TABLE)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "compare renders as a table, JSON or CSV");
	lfi_buf b;
	lfi_buf_init(&b);
	int csv = fmt == LF_FMT_CSV;
	char cell[256];
	/* header: metric, one column per spec, then the deltas */
	if (csv) {
		lfi_buf_puts(&b, "metric");
		for (size_t i = 0; i < n; i++) {
			lfi_buf_puts(&b, ",");
			lfi_emit_csv_field(&b, lf_sweep_point_spec(sw, rows[i].index));
		}
		for (size_t i = 1; i < n; i++) {
			snprintf(cell, sizeof cell, "delta %s", lf_sweep_point_spec(sw, rows[i].index));
			lfi_buf_puts(&b, ",");
			lfi_emit_csv_field(&b, cell);
		}
		lfi_buf_puts(&b, "\n");
	} else {
		lfi_buf_printf(&b, "%-20s", "metric");
		for (size_t i = 0; i < n; i++) {
			/* the end of a long path says more than its start */
			const char *nm = lf_sweep_point_spec(sw, rows[i].index);
			size_t l = strlen(nm);
			lfi_buf_printf(&b, "  %22s", l > 22 ? nm + l - 22 : nm);
		}
		lfi_buf_puts(&b, "\n");
	}
	/* rows: status, the figures, pareto */
	for (int c = -1; c <= LF_COL_COUNT; c++) {
		if (c >= 0 && c < LF_COL_COUNT && !lf_sweep_has_column(sw, (lf_col)c))
			continue;
		const char *name = c < 0 ? "status" : c == LF_COL_COUNT ? "pareto" : lf_col_name((lf_col)c);
		if (csv)
			lfi_buf_puts(&b, name);
		else
			lfi_buf_printf(&b, "%-20s", name);
		for (size_t i = 0; i < n; i++) {
			const lf_sweep_row *r = &rows[i];
			if (c < 0)
				snprintf(cell, sizeof cell, "%s", status_name(r->status));
			else if (c == LF_COL_COUNT)
				snprintf(cell, sizeof cell, "%d", r->pareto ? 1 : 0);
			else if (csv)
				lf_sweep_format(sw, (lf_col)c, r->v[c], cell, sizeof cell);
			else
				human(sw, (lf_col)c, r->v[c], cell, sizeof cell);
			if (!csv && c >= 0 && c < LF_COL_COUNT && i > 0 && !isnan(r->v[c]) &&
			    !isnan(rows[0].v[c]) && isfinite(r->v[c]) && isfinite(rows[0].v[c]) &&
			    rows[0].v[c] != 0 && c != LF_COL_READY) {
				size_t l = strlen(cell);
				snprintf(cell + l, sizeof cell - l, " (%+.1f%%)",
				         100 * (r->v[c] - rows[0].v[c]) / fabs(rows[0].v[c]));
			}
			if (csv) {
				lfi_buf_puts(&b, ",");
				lfi_emit_csv_field(&b, cell);
			} else {
				lfi_buf_printf(&b, "  %22s", cell);
			}
		}
		if (csv) {
			for (size_t i = 1; i < n; i++) {
				double a = rows[0].v[c < 0 || c == LF_COL_COUNT ? 0 : c];
				double v = rows[i].v[c < 0 || c == LF_COL_COUNT ? 0 : c];
				cell[0] = 0;
				if (c >= 0 && c < LF_COL_COUNT && isfinite(a) && isfinite(v))
					snprintf(cell, sizeof cell, "%.10g", v - a);
				lfi_buf_printf(&b, ",%s", cell);
			}
		}
		lfi_buf_puts(&b, "\n");
	}
	if (!csv) {
		lfi_buf_puts(&b, "\nspecs:");
		for (size_t i = 0; i < n; i++)
			lfi_buf_printf(&b, "%s %s", i ? "," : "", lf_sweep_point_spec(sw, rows[i].index));
		lfi_buf_puts(&b, "; deltas in % against the first\n");
		for (size_t i = 0; i < n; i++)
			if (rows[i].status != LF_POINT_OK)
				lfi_buf_printf(&b, "%s: %s: %s\n", lf_sweep_point_spec(sw, rows[i].index),
				               status_name(rows[i].status), rows[i].reason);
	}
	return lfi_buf_finish(&b, out, err);
}
