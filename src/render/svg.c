/*
 * svg.c — small inline SVG charts for the HTML report, and HTML escaping.
 *
 * The charts are plain SVG 1.1 elements written as text: no scripts, no
 * fonts or images fetched, so a report renders the same offline, in a mail
 * client's viewer and on paper.  Every label is user text (SKU ids, names)
 * and goes through lfi_html_esc.  Geometry is fixed-width (a viewBox, scaled
 * by CSS to the page), values are drawn to scale from zero.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "svg.h"

#define W 720        /* viewBox width */
#define LABEL_W 210  /* label column */
#define VALUE_W 130  /* value column after the longest bar */
#define ROW_H 22

static const char *const palette[] = {
	"#2f6db5", "#e07b26", "#3a9a5b", "#c23b3b", "#7d5bb5",
	"#8c6239", "#d063a8", "#6b6b6b", "#a8a630", "#2aa5b8",
};

void lfi_html_esc(lfi_buf *b, const char *s)
{
	if (!s)
		return;
	const char *run = s;
	for (; *s; s++) {
		const char *rep = NULL;
		switch (*s) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		default: continue;
		}
		lfi_buf_add(b, run, (size_t)(s - run));
		lfi_buf_puts(b, rep);
		run = s + 1;
	}
	lfi_buf_add(b, run, (size_t)(s - run));
}

/* A value through a caller's printf format of one double; "#" groups a
 * count (1,536), "$" a sum of money ($1,440,000). */
static void fmt_value(char *buf, size_t n, const char *vfmt, double v)
{
	if (!strcmp(vfmt, "#") || !strcmp(vfmt, "$")) {
		char c[32];
		lfi_fmt_count((uint64_t)llround(isfinite(v) && v > 0 ? v : 0), c, sizeof c);
		snprintf(buf, n, "%s%s", vfmt[0] == '$' ? "$" : "", c);
		return;
	}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, n, vfmt, v);
#pragma GCC diagnostic pop
}

static void chart_open(lfi_buf *b, const char *title, int h)
{
	lfi_buf_printf(b, "<figure class=\"chart\"><figcaption>");
	lfi_html_esc(b, title);
	lfi_buf_printf(b, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	               "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", W, h, W, h);
	lfi_html_esc(b, title);
	lfi_buf_puts(b, "\" font-family=\"sans-serif\" font-size=\"12\">\n");
}

static void chart_close(lfi_buf *b)
{
	lfi_buf_puts(b, "</svg></figure>\n");
}

void lfi_svg_hbars(lfi_buf *b, const char *title, const lfi_svg_bar *bars, size_t n,
                   const char *vfmt)
{
	double max = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(bars[i].value) && bars[i].value > max)
			max = bars[i].value;
	int h = (int)n * ROW_H + 10;
	chart_open(b, title, h);
	double span = W - LABEL_W - VALUE_W;
	for (size_t i = 0; i < n; i++) {
		double v = isfinite(bars[i].value) && bars[i].value > 0 ? bars[i].value : 0;
		double len = max > 0 ? span * v / max : 0;
		int y = 5 + (int)i * ROW_H;
		char val[64];
		fmt_value(val, sizeof val, vfmt, bars[i].value);
		lfi_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 6, y + 15);
		lfi_html_esc(b, bars[i].label);
		lfi_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		               "fill=\"%s\"><title>", LABEL_W, y + 3, len, ROW_H - 6,
		               palette[i % LF_ARRAY_LEN(palette)]);
		lfi_html_esc(b, bars[i].label);
		lfi_buf_printf(b, ": %s</title></rect><text x=\"%.1f\" y=\"%d\">%s</text>\n",
		               val, LABEL_W + len + 6, y + 15, val);
	}
	chart_close(b);
}

void lfi_svg_stack(lfi_buf *b, const char *title, const lfi_svg_bar *parts, size_t n,
                   const char *vfmt)
{
	double total = 0;
	for (size_t i = 0; i < n; i++)
		if (isfinite(parts[i].value) && parts[i].value > 0)
			total += parts[i].value;
	int h = 40 + (int)n * ROW_H;
	chart_open(b, title, h);
	double x = 10, span = W - 20;
	for (size_t i = 0; i < n; i++) {
		double v = isfinite(parts[i].value) && parts[i].value > 0 ? parts[i].value : 0;
		double len = total > 0 ? span * v / total : 0;
		if (len > 0) {
			lfi_buf_printf(b, "<rect x=\"%.1f\" y=\"6\" width=\"%.1f\" height=\"22\" fill=\"%s\">"
			               "<title>", x, len, palette[i % LF_ARRAY_LEN(palette)]);
			lfi_html_esc(b, parts[i].label);
			lfi_buf_puts(b, "</title></rect>\n");
		}
		x += len;
	}
	for (size_t i = 0; i < n; i++) {
		int y = 40 + (int)i * ROW_H;
		char val[64];
		fmt_value(val, sizeof val, vfmt, parts[i].value);
		double v = isfinite(parts[i].value) && parts[i].value > 0 ? parts[i].value : 0;
		lfi_buf_printf(b, "<rect x=\"10\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		               "<text x=\"30\" y=\"%d\">", y, palette[i % LF_ARRAY_LEN(palette)], y + 11);
		lfi_html_esc(b, parts[i].label);
		lfi_buf_printf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
		               "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f%%</text>\n",
		               LABEL_W + 200, y + 11, val, LABEL_W + 270, y + 11,
		               total > 0 ? 100 * v / total : 0.0);
	}
	chart_close(b);
}

/* ------------------------------------------------------------ line chart */

#define PLOT_L 70    /* left margin: y tick labels */
#define PLOT_R 20
#define PLOT_T 12
#define PLOT_H 260
#define AXIS_H 40    /* x tick labels and the axis title */

/* A "nice" step (1, 2 or 5 x 10^k) giving about `ticks` ticks up to max. */
static double nice_step(double max, int ticks)
{
	double raw = max / ticks;
	double p = pow(10, floor(log10(raw)));
	double m = raw / p;
	return (m <= 1 ? 1 : m <= 2 ? 2 : m <= 5 ? 5 : 10) * p;
}

/* the y axis' title, rotated, left of the tick labels */
static void y_title(lfi_buf *b, const char *ylabel)
{
	lfi_buf_printf(b, "<text x=\"14\" y=\"%d\" text-anchor=\"middle\" transform=\"rotate(-90 14 %d)"
	               "\">", PLOT_T + PLOT_H / 2, PLOT_T + PLOT_H / 2);
	lfi_html_esc(b, ylabel);
	lfi_buf_puts(b, "</text>\n");
}

void lfi_svg_lines(lfi_buf *b, const char *title, const char *ylabel,
                   const lfi_svg_series *series, size_t n, const lfi_svg_hline *bounds,
                   size_t n_bounds)
{
	double xmin = INFINITY, xmax = -INFINITY, ymax = 0;
	for (size_t i = 0; i < n; i++)
		for (size_t k = 0; k < series[i].n; k++) {
			double x = series[i].x[k], y = series[i].y[k];
			if (isfinite(x) && x > 0) {
				xmin = fmin(xmin, log2(x));
				xmax = fmax(xmax, log2(x));
			}
			if (isfinite(y) && y > ymax)
				ymax = y;
		}
	for (size_t i = 0; i < n_bounds; i++)
		if (isfinite(bounds[i].y) && bounds[i].y > ymax)
			ymax = bounds[i].y;
	if (!isfinite(xmin)) {
		xmin = 0;
		xmax = 1;
	}
	xmin = floor(xmin);
	xmax = ceil(xmax);
	if (xmax <= xmin)
		xmax = xmin + 1;
	double step = nice_step(ymax > 0 ? ymax * 1.05 : 1, 5);
	double ytop = step * ceil((ymax > 0 ? ymax * 1.05 : 1) / step);
	size_t n_legend = n + n_bounds;
	int legend_h = (int)n_legend * 18 + 6;
	int h = PLOT_T + PLOT_H + AXIS_H + legend_h;
	double pw = W - PLOT_L - PLOT_R;
	chart_open(b, title, h);
#define PX(lx) (PLOT_L + pw * ((lx) - xmin) / (xmax - xmin))
#define PY(v) (PLOT_T + PLOT_H - PLOT_H * (v) / ytop)
	/* y grid and ticks */
	for (double v = 0; v <= ytop * (1 + 1e-9); v += step) {
		lfi_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e2e6ec\"/>"
		               "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%g</text>\n", PLOT_L,
		               PY(v), W - PLOT_R, PY(v), PLOT_L - 6, PY(v) + 4, v);
	}
	y_title(b, ylabel);
	/* x ticks at powers of two, thinned to at most ~12 labels */
	int span = (int)(xmax - xmin);
	/* a step that divides the span labels both ends */
	int every = span <= 12 ? 1 : (span + 11) / 12;
	for (int e = every; e <= every + 3; e++)
		if (span % e == 0) {
			every = e;
			break;
		}
	for (int e = (int)xmin; e <= (int)xmax; e++) {
		double x = PX(e);
		lfi_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"%s\"/>",
		               x, PLOT_T, x, PLOT_T + PLOT_H, (e - (int)xmin) % every ? "#f3f5f8"
		                                                                   : "#e2e6ec");
		if ((e - (int)xmin) % every == 0) {
			char lab[32];
			lfi_format_bytes(ldexp(1, e), lab, sizeof lab);
			lfi_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>", x,
			               PLOT_T + PLOT_H + 16, lab);
		}
		lfi_buf_puts(b, "\n");
	}
	lfi_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">message size (log2)"
	               "</text>\n", PLOT_L + pw / 2, PLOT_T + PLOT_H + 34);
	lfi_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"none\" "
	               "stroke=\"#8a94a6\"/>\n", PLOT_L, PLOT_T, pw, PLOT_H);
	/* bounds: dashed horizontal lines */
	for (size_t i = 0; i < n_bounds; i++) {
		if (!isfinite(bounds[i].y) || bounds[i].y <= 0)
			continue;
		lfi_buf_printf(b, "<line class=\"bound\" data-value=\"%.10g\" x1=\"%d\" y1=\"%.1f\" "
		               "x2=\"%d\" y2=\"%.1f\" stroke=\"#c23b3b\" stroke-width=\"1.5\" "
		               "stroke-dasharray=\"6 4\"><title>", bounds[i].y, PLOT_L, PY(bounds[i].y),
		               W - PLOT_R, PY(bounds[i].y));
		lfi_html_esc(b, bounds[i].label);
		lfi_buf_puts(b, "</title></line>\n");
	}
	/* series: one polyline each, a marker per point */
	for (size_t i = 0; i < n; i++) {
		const char *col = palette[i % LF_ARRAY_LEN(palette)];
		lfi_buf_printf(b, "<polyline class=\"series\" data-points=\"%zu\" data-series=\"",
		               series[i].n);
		lfi_html_esc(b, series[i].label);
		lfi_buf_printf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"", col);
		for (size_t k = 0; k < series[i].n; k++) {
			double x = series[i].x[k] > 0 ? log2(series[i].x[k]) : xmin;
			double y = isfinite(series[i].y[k]) && series[i].y[k] > 0 ? series[i].y[k] : 0;
			lfi_buf_printf(b, "%s%.1f,%.1f", k ? " " : "", PX(x), PY(y));
		}
		lfi_buf_puts(b, "\"/>\n");
		for (size_t k = 0; k < series[i].n; k++) {
			double x = series[i].x[k] > 0 ? log2(series[i].x[k]) : xmin;
			double y = isfinite(series[i].y[k]) && series[i].y[k] > 0 ? series[i].y[k] : 0;
			char sz[32];
			lfi_format_bytes(series[i].x[k], sz, sizeof sz);
			lfi_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\"><title>",
			               PX(x), PY(y), col);
			lfi_html_esc(b, series[i].label);
			lfi_buf_printf(b, ", %s: %.2f</title></circle>", sz, series[i].y[k]);
		}
		lfi_buf_puts(b, "\n");
	}
	/* legend */
	int ly = PLOT_T + PLOT_H + AXIS_H + 6;
	for (size_t i = 0; i < n; i++, ly += 18) {
		lfi_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"%s\" "
		               "stroke-width=\"2\"/><text x=\"%d\" y=\"%d\">", PLOT_L, ly + 6,
		               PLOT_L + 24, ly + 6, palette[i % LF_ARRAY_LEN(palette)], PLOT_L + 30,
		               ly + 10);
		lfi_html_esc(b, series[i].label);
		lfi_buf_puts(b, "</text>\n");
	}
	for (size_t i = 0; i < n_bounds; i++, ly += 18) {
		lfi_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c23b3b\" "
		               "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%d\">",
		               PLOT_L, ly + 6, PLOT_L + 24, ly + 6, PLOT_L + 30, ly + 10);
		lfi_html_esc(b, bounds[i].label);
		lfi_buf_puts(b, "</text>\n");
	}
#undef PX
#undef PY
	chart_close(b);
}

/* ------------------------------------------------------- break-even chart */

void lfi_svg_breakeven(lfi_buf *b, const char *title, const char *xlabel, const char *ylabel,
                       size_t n, const double *x, const double *y, const char *const *band,
                       size_t n_band, const int *cls, const char *const *cls_name,
                       size_t n_cls, const lfi_svg_vmark *marks, size_t n_marks)
{
	double xmin = INFINITY, xmax = -INFINITY, ymin = INFINITY, ymax = -INFINITY;
	for (size_t k = 0; k < n; k++) {
		xmin = fmin(xmin, x[k]);
		xmax = fmax(xmax, x[k]);
		if (isfinite(y[k])) {
			ymin = fmin(ymin, y[k]);
			ymax = fmax(ymax, y[k]);
		}
	}
	if (!(xmax > xmin)) {
		xmin = isfinite(xmin) ? xmin : 0;
		xmax = xmin + 1;
	}
	if (!isfinite(ymin)) {
		ymin = 0;
		ymax = 1;
	}
	/* the y axis spans the values (a cost curve varies by a few per cent) */
	double pad = ymax > ymin ? 0.08 * (ymax - ymin) : (ymax > 0 ? 0.05 * ymax : 1);
	double step = nice_step(ymax - ymin + 2 * pad, 5);
	double ybot = step * floor((ymin - pad) / step), ytop = step * ceil((ymax + pad) / step);
	if (ymin >= 0 && ybot < 0)
		ybot = 0;
	int band_t = PLOT_T + PLOT_H + AXIS_H + 4;
	int legend_t = band_t + (int)n_band * 20 + 8;
	int h = legend_t + 24;
	double pw = W - PLOT_L - PLOT_R;
	chart_open(b, title, h);
#define PX(v) (PLOT_L + pw * ((v) - xmin) / (xmax - xmin))
#define PY(v) (PLOT_T + PLOT_H - PLOT_H * ((v) - ybot) / (ytop - ybot))
	for (double v = ybot; v <= ytop * (1 + 1e-9) + 1e-9; v += step) {
		char lab[32];
		if (fabs(ytop) >= 1e6)
			snprintf(lab, sizeof lab, "$%.4gM", v / 1e6);
		else
			fmt_value(lab, sizeof lab, "$", v);
		lfi_buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#e2e6ec\"/>"
		               "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n", PLOT_L,
		               PY(v), W - PLOT_R, PY(v), PLOT_L - 6, PY(v) + 4, lab);
	}
	y_title(b, ylabel);
	double xstep = nice_step(xmax - xmin, 8);
	for (double v = xstep * ceil(xmin / xstep); v <= xmax * (1 + 1e-9) + 1e-9; v += xstep) {
		char lab[32];
		fmt_value(lab, sizeof lab, "#", v);
		lfi_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#e2e6ec\"/>"
		               "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n", PX(v),
		               PLOT_T, PX(v), PLOT_T + PLOT_H, PX(v), PLOT_T + PLOT_H + 16, lab);
	}
	lfi_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">", PLOT_L + pw / 2,
	               PLOT_T + PLOT_H + 34);
	lfi_html_esc(b, xlabel);
	lfi_buf_printf(b, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
	               "fill=\"none\" stroke=\"#8a94a6\"/>\n", PLOT_L, PLOT_T, pw, PLOT_H);
	/* flip points: dashed vertical lines down through the bands */
	for (size_t i = 0; i < n_marks; i++) {
		lfi_buf_printf(b, "<line class=\"flip\" data-x=\"%.10g\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		               "y2=\"%d\" stroke=\"#c23b3b\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\">"
		               "<title>", marks[i].x, PX(marks[i].at), PLOT_T, PX(marks[i].at),
		               band_t + (int)n_band * 20);
		lfi_html_esc(b, marks[i].label);
		lfi_buf_puts(b, "</title></line>\n");
	}
	lfi_buf_printf(b, "<polyline class=\"series\" data-points=\"%zu\" fill=\"none\" stroke=\"%s\" "
	               "stroke-width=\"2\" points=\"", n, palette[0]);
	for (size_t k = 0; k < n; k++)
		lfi_buf_printf(b, "%s%.1f,%.1f", k ? " " : "", PX(x[k]), PY(isfinite(y[k]) ? y[k] : ybot));
	lfi_buf_puts(b, "\"/>\n");
	for (size_t k = 0; k < n; k++) {
		char xv[32], yv[32];
		fmt_value(xv, sizeof xv, "#", x[k]);
		fmt_value(yv, sizeof yv, "$", y[k]);
		lfi_buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"><title>%s: %s"
		               "</title></circle>", PX(x[k]), PY(isfinite(y[k]) ? y[k] : ybot),
		               palette[0], xv, yv);
	}
	lfi_buf_puts(b, "\n");
	/* one band per row of classes: point k's cell spans halfway to its
	 * neighbours, coloured by its class */
	for (size_t g = 0; g < n_band; g++) {
		int by = band_t + (int)g * 20;
		lfi_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", PLOT_L - 6, by + 13);
		lfi_html_esc(b, band[g]);
		lfi_buf_puts(b, "</text>");
		for (size_t k = 0; k < n; k++) {
			double l = k ? (PX(x[k - 1]) + PX(x[k])) / 2 : PLOT_L;
			double r = k + 1 < n ? (PX(x[k]) + PX(x[k + 1])) / 2 : PLOT_L + pw;
			int c = cls[k * n_band + g];
			lfi_buf_printf(b, "<rect class=\"choice\" data-x=\"%.10g\" data-class=\"", x[k]);
			lfi_html_esc(b, c >= 0 && (size_t)c < n_cls ? cls_name[c] : "");
			lfi_buf_printf(b, "\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"16\" fill=\"%s\" "
			               "fill-opacity=\"0.75\"><title>", l, by, r - l,
			               c >= 0 ? palette[(size_t)c % LF_ARRAY_LEN(palette)] : "#ffffff");
			lfi_html_esc(b, band[g]);
			lfi_buf_puts(b, ": ");
			lfi_html_esc(b, c >= 0 && (size_t)c < n_cls ? cls_name[c] : "");
			lfi_buf_puts(b, "</title></rect>");
		}
		lfi_buf_puts(b, "\n");
	}
	int lx = PLOT_L;
	for (size_t c = 0; c < n_cls; c++) {
		lfi_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\" "
		               "fill-opacity=\"0.75\"/><text x=\"%d\" y=\"%d\">", lx, legend_t,
		               palette[c % LF_ARRAY_LEN(palette)], lx + 16, legend_t + 11);
		lfi_html_esc(b, cls_name[c]);
		lfi_buf_puts(b, "</text>");
		lx += 30 + 8 * (int)strlen(cls_name[c]);
	}
	if (n_marks)
		lfi_buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#c23b3b\" "
		               "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/><text x=\"%d\" y=\"%d\">"
		               "choice flips</text>", lx, legend_t + 6, lx + 24, legend_t + 6, lx + 30,
		               legend_t + 11);
	lfi_buf_puts(b, "\n");
#undef PX
#undef PY
	chart_close(b);
}

/* ----------------------------------------------------------------- Gantt */

#define GANTT_L 150  /* label column */
#define GANTT_ROW 26

void lfi_svg_gantt(lfi_buf *b, const char *title, const lfi_svg_task *tasks, size_t n,
                   int periods, const char *const *period_label)
{
	if (periods < 1)
		periods = 1;
	int top = 22;   /* period labels above the rows */
	int h = top + (int)n * GANTT_ROW + 34;
	double cw = (double)(W - GANTT_L - 20) / periods;
	chart_open(b, title, h);
	int every = 1;
	while (cw * every < 56)
		every++;
	for (int p = 0; p <= periods; p++) {
		double x = GANTT_L + cw * p;
		lfi_buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#eef1f5\"/>",
		               x, top, x, top + (int)n * GANTT_ROW);
		if (p < periods && p % every == 0) {
			lfi_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\">", x + 2, top - 6);
			lfi_html_esc(b, period_label ? period_label[p] : "");
			lfi_buf_puts(b, "</text>");
		}
		lfi_buf_puts(b, "\n");
	}
	for (size_t i = 0; i < n; i++) {
		const lfi_svg_task *t = &tasks[i];
		int y = top + (int)i * GANTT_ROW;
		int s = t->start < 0 ? 0 : t->start >= periods ? periods - 1 : t->start;
		int e = t->open ? periods - 1 : t->end < s ? s : t->end >= periods ? periods - 1 : t->end;
		/* on time up to the due period, slip after it */
		int ok_end = t->due >= 0 && t->due < e ? t->due : e;
		int late = t->open || (t->due >= 0 && e > t->due);
		lfi_buf_printf(b, "<g class=\"task\" data-start=\"%d\" data-end=\"%d\" data-due=\"%d\" "
		               "data-late=\"%d\" data-open=\"%d\"><text x=\"%d\" y=\"%d\" "
		               "text-anchor=\"end\">", t->start, t->open ? -1 : t->end, t->due, late,
		               t->open, GANTT_L - 6, y + 17);
		lfi_html_esc(b, t->label);
		lfi_buf_puts(b, "</text>");
		if (ok_end >= s && !(t->due >= 0 && s > t->due))
			lfi_buf_printf(b, "<rect class=\"ontime\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			               "height=\"14\" fill=\"#3a9a5b\"/>", GANTT_L + cw * s, y + 6,
			               cw * (ok_end - s + 1));
		if (late) {
			int ls = t->due >= 0 && t->due + 1 > s ? t->due + 1 : s;
			if (ls <= e)
				lfi_buf_printf(b, "<rect class=\"slip\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
				               "height=\"14\" fill=\"#c23b3b\"%s/>", GANTT_L + cw * ls, y + 6,
				               cw * (e - ls + 1), t->open ? " fill-opacity=\"0.55\"" : "");
			if (t->open)
				lfi_buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"end\" "
				               "fill=\"#fff\" font-size=\"10\">never &#8594;</text>",
				               GANTT_L + cw * (e + 1) - 3, y + 17);
		}
		if (t->due >= 0 && t->due < periods) {
			double x = GANTT_L + cw * (t->due + 1);
			lfi_buf_printf(b, "<line class=\"due\" x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
			               "stroke=\"#1d2430\" stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
			               "<path d=\"M%.1f %d l5 -5 l-5 -5 l-5 5 z\" fill=\"#1d2430\"/>",
			               x, y + 2, x, y + GANTT_ROW - 2, x, y + GANTT_ROW - 1);
		}
		lfi_buf_puts(b, "</g>\n");
	}
	int ly = top + (int)n * GANTT_ROW + 12;
	lfi_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"#3a9a5b\"/>"
	               "<text x=\"%d\" y=\"%d\">first order to ready, on time</text>"
	               "<rect x=\"%d\" y=\"%d\" width=\"12\" height=\"10\" fill=\"#c23b3b\"/>"
	               "<text x=\"%d\" y=\"%d\">slip past need-by</text>"
	               "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#1d2430\" "
	               "stroke-width=\"2\" stroke-dasharray=\"3 2\"/>"
	               "<text x=\"%d\" y=\"%d\">need-by (end of period)</text>\n",
	               GANTT_L, ly, GANTT_L + 16, ly + 9, GANTT_L + 220, ly, GANTT_L + 236, ly + 9,
	               GANTT_L + 370, ly - 2, GANTT_L + 370, ly + 12, GANTT_L + 378, ly + 9);
	chart_close(b);
}
