/*
 * report_sweep.c — a sweep as one self-contained HTML page: the Pareto
 * chart and the table of every point (`lightfab sweep --html F`).
 *
 * The chart is a scatter of the sweep's first two objectives (x, y): every
 * ok point a grey dot, the Pareto front (over all the objectives, so a
 * front point may look dominated in two dimensions) drawn in colour and
 * joined in x order when there are exactly two objectives.  Inline SVG, the
 * report's stylesheet (svg.h), no scripts, nothing fetched; user text (spec
 * names, values, reasons) is escaped.  The numbers are the rows', rendered
 * the same way as the CSV.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "svg.h"

typedef struct pt {
	double x, y;
	size_t row;
	int front;
} pt;

static int by_x(const void *a, const void *b)
{
	const pt *p = a, *q = b;
	return (p->x > q->x) - (p->x < q->x);
}

static void scatter(lfi_buf *b, const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                    const lf_objective *obj, size_t n_obj)
{
	if (n_obj < 2) {
		lfi_buf_puts(b, "<p>One objective: no chart.</p>\n");
		return;
	}
	lf_col cx = obj[0].col, cy = obj[1].col;
	pt *p = calloc(n ? n : 1, sizeof *p);
	if (!p) {
		b->failed = true;
		return;
	}
	size_t m = 0;
	double x0 = INFINITY, x1 = -INFINITY, y0 = INFINITY, y1 = -INFINITY;
	for (size_t i = 0; i < n; i++) {
		double x = rows[i].v[cx], y = rows[i].v[cy];
		if (rows[i].status != LF_POINT_OK || !isfinite(x) || !isfinite(y))
			continue;
		p[m++] = (pt){ x, y, i, rows[i].pareto };
		x0 = fmin(x0, x);
		x1 = fmax(x1, x);
		y0 = fmin(y0, y);
		y1 = fmax(y1, y);
	}
	if (!m) {
		lfi_buf_puts(b, "<p>No feasible point to chart.</p>\n");
		free(p);
		return;
	}
	if (x1 == x0) {
		x0 -= fabs(x0) * 0.05 + 1;
		x1 += fabs(x1) * 0.05 + 1;
	}
	if (y1 == y0) {
		y0 -= fabs(y0) * 0.05 + 1;
		y1 += fabs(y1) * 0.05 + 1;
	}
	const double W = 640, H = 400, L = 80, R = 20, T = 20, B = 50;
	lfi_buf_printf(b, "<svg class=\"chart pareto\" xmlns=\"http://www.w3.org/2000/svg\" "
	               "width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\" role=\"img\">\n",
	               W, H, W, H);
	lfi_buf_printf(b, "<title>Pareto front: %s (%s) vs %s (%s)</title>\n",
	               lf_col_name(cx), obj[0].maximize ? "max" : "min", lf_col_name(cy),
	               obj[1].maximize ? "max" : "min");
#define SX(v) (L + ((v) - x0) / (x1 - x0) * (W - L - R))
#define SY(v) (H - B - ((v) - y0) / (y1 - y0) * (H - T - B))
	lfi_buf_printf(b, "<rect x=\"%.0f\" y=\"%.0f\" width=\"%.0f\" height=\"%.0f\" "
	               "fill=\"none\" stroke=\"#999\"/>\n", L, T, W - L - R, H - T - B);
	for (int k = 0; k <= 4; k++) {
		double xv = x0 + (x1 - x0) * k / 4, yv = y0 + (y1 - y0) * k / 4;
		lfi_buf_printf(b, "<text x=\"%.1f\" y=\"%.0f\" font-size=\"11\" "
		               "text-anchor=\"middle\">%.4g</text>\n", SX(xv), H - B + 16, xv);
		lfi_buf_printf(b, "<text x=\"%.0f\" y=\"%.1f\" font-size=\"11\" "
		               "text-anchor=\"end\">%.4g</text>\n", L - 6, SY(yv) + 4, yv);
	}
	lfi_buf_printf(b, "<text x=\"%.0f\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\">"
	               "%s (%s)</text>\n", (L + W - R) / 2, H - 10, lf_col_name(cx),
	               obj[0].maximize ? "higher is better" : "lower is better");
	lfi_buf_printf(b, "<text x=\"14\" y=\"%.0f\" font-size=\"12\" text-anchor=\"middle\" "
	               "transform=\"rotate(-90 14 %.0f)\">%s (%s)</text>\n", (T + H - B) / 2,
	               (T + H - B) / 2, lf_col_name(cy),
	               obj[1].maximize ? "higher is better" : "lower is better");
	qsort(p, m, sizeof *p, by_x);
	if (n_obj == 2) {
		lfi_buf_puts(b, "<polyline class=\"front\" fill=\"none\" stroke=\"#c0392b\" "
		               "stroke-width=\"1.5\" points=\"");
		for (size_t i = 0; i < m; i++)
			if (p[i].front)
				lfi_buf_printf(b, "%.1f,%.1f ", SX(p[i].x), SY(p[i].y));
		lfi_buf_puts(b, "\"/>\n");
	}
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < m; i++) {
			if (p[i].front != pass)
				continue;
			const lf_sweep_row *r = &rows[p[i].row];
			lfi_buf_printf(b, "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"%d\" "
			               "fill=\"%s\"><title>#%llu", pass ? "front" : "point", SX(p[i].x),
			               SY(p[i].y), pass ? 5 : 3, pass ? "#c0392b" : "#9aa5b1",
			               (unsigned long long)r->index);
			for (size_t a = 0; a < lf_sweep_n_axes(sw); a++) {
				lfi_buf_puts(b, " ");
				lfi_html_esc(b, lf_sweep_axis_path(sw, a));
				lfi_buf_puts(b, "=");
				lfi_html_esc(b, lf_sweep_point_value(sw, r->index, a));
			}
			lfi_buf_printf(b, ": %s %.6g, %s %.6g</title></circle>\n", lf_col_name(cx), p[i].x,
			               lf_col_name(cy), p[i].y);
		}
#undef SX
#undef SY
	lfi_buf_puts(b, "</svg>\n");
	free(p);
}

lf_status lf_sweep_render_html(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                               char **out, lf_error *err)
{
	*out = NULL;
	lf_objective obj[LF_COL_COUNT];
	size_t n_obj = lf_sweep_objectives(sw, obj, LF_COL_COUNT);
	size_t front = 0;
	for (size_t i = 0; i < n; i++)
		front += rows[i].pareto ? 1 : 0;
	lfi_buf b;
	lfi_buf_init(&b);
	lfi_buf_puts(&b, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n"
	                "<title>lightfab sweep</title>\n<style>");
	lfi_buf_puts(&b, lfi_report_css());
	lfi_buf_puts(&b, "\ntr.front td{font-weight:bold} td.bad{color:#a00}</style></head>\n"
	                "<body><div class=\"report sweep\">\n<h1>Sweep: ");
	lfi_html_esc(&b, n ? lf_sweep_point_spec(sw, 0) : "");
	lfi_buf_puts(&b, "</h1>\n<p>");
	if (lf_sweep_workload(sw)) {
		/* the workload each point simulates (its values set by the axes) */
		lfi_buf_puts(&b, "Workload: ");
		lfi_html_esc(&b, lf_sweep_workload(sw));
		lfi_buf_puts(&b, sw->n_wl_axes ? ", its values varied by the workload.* axes. "
		                                : ". ");
	}
	lfi_buf_printf(&b, "%zu points, %zu on the Pareto front over", n, front);
	for (size_t i = 0; i < n_obj; i++)
		lfi_buf_printf(&b, "%s %s (%s)", i ? "," : "", lf_col_name(obj[i].col),
		               obj[i].maximize ? "max" : "min");
	lfi_buf_puts(&b, ".</p>\n<h2>Pareto front</h2>\n");
	scatter(&b, sw, rows, n, obj, n_obj);
	/* the table: the CSV's columns */
	lfi_buf_puts(&b, "<h2>Points</h2>\n<table class=\"sweep\"><thead><tr><th>#</th>");
	for (size_t a = 0; a < lf_sweep_n_axes(sw); a++) {
		lfi_buf_puts(&b, "<th>");
		lfi_html_esc(&b, lf_sweep_axis_path(sw, a));
		lfi_buf_puts(&b, "</th>");
	}
	lfi_buf_puts(&b, "<th>status</th>");
	for (int c = 0; c < LF_COL_COUNT; c++)
		if (lf_sweep_has_column(sw, (lf_col)c))
			lfi_buf_printf(&b, "<th>%s</th>", lf_col_name((lf_col)c));
	lfi_buf_puts(&b, "<th>pareto</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < n; i++) {
		const lf_sweep_row *r = &rows[i];
		lfi_buf_printf(&b, "<tr%s><td>%llu</td>", r->pareto ? " class=\"front\"" : "",
		               (unsigned long long)r->index);
		for (size_t a = 0; a < lf_sweep_n_axes(sw); a++) {
			lfi_buf_puts(&b, "<td>");
			lfi_html_esc(&b, lf_sweep_point_value(sw, r->index, a));
			lfi_buf_puts(&b, "</td>");
		}
		if (r->status == LF_POINT_OK) {
			lfi_buf_puts(&b, "<td>ok</td>");
		} else {
			lfi_buf_printf(&b, "<td class=\"bad\" title=\"");
			lfi_html_esc(&b, r->reason);
			lfi_buf_printf(&b, "\">%s</td>",
			               r->status == LF_POINT_INVALID ? "invalid" : "infeasible");
		}
		for (int c = 0; c < LF_COL_COUNT; c++) {
			if (!lf_sweep_has_column(sw, (lf_col)c))
				continue;
			double v = r->v[c];
			if (isnan(v))
				lfi_buf_puts(&b, "<td></td>");
			else if (c <= LF_COL_MODULES) {
				char g[48];
				lfi_buf_printf(&b, "<td>%s</td>", lfi_fmt_count((uint64_t)v, g, sizeof g));
			} else if (c == LF_COL_READY || isinf(v)) {
				/* the CSV's text for it: a period label or "never" */
				char t[64];
				lf_sweep_format(sw, (lf_col)c, v, t, sizeof t);
				lfi_buf_puts(&b, "<td>");
				lfi_html_esc(&b, t);
				lfi_buf_puts(&b, "</td>");
			} else {
				lfi_buf_printf(&b, "<td>%.6g</td>", v);
			}
		}
		lfi_buf_printf(&b, "<td>%s</td></tr>\n", r->pareto ? "&#9733;" : "");
	}
	lfi_buf_puts(&b, "</tbody></table>\n");
	size_t bad = 0;
	for (size_t i = 0; i < n; i++)
		bad += rows[i].status != LF_POINT_OK;
	if (bad) {
		lfi_buf_puts(&b, "<h2>Invalid and infeasible points</h2>\n<ul>\n");
		for (size_t i = 0; i < n; i++)
			if (rows[i].status != LF_POINT_OK) {
				lfi_buf_printf(&b, "<li>#%llu: ", (unsigned long long)rows[i].index);
				lfi_html_esc(&b, rows[i].reason);
				lfi_buf_puts(&b, "</li>\n");
			}
		lfi_buf_puts(&b, "</ul>\n");
	}
	lfi_buf_puts(&b, "</div></body></html>\n");
	return lfi_buf_finish(&b, out, err);
}
