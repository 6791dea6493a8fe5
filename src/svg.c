/*
 * svg.c — small inline SVG charts for the HTML report, and HTML escaping.
 *
 * The charts are plain SVG 1.1 elements written as text: no scripts, no
 * fonts or images fetched, so a report renders the same offline, in a mail
 * client's viewer and on paper.  Every label is user text (SKU ids, names)
 * and goes through lf_html_esc.  Geometry is fixed-width (a viewBox, scaled
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

void lf_html_esc(lf_buf *b, const char *s)
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
		lf_buf_add(b, run, (size_t)(s - run));
		lf_buf_puts(b, rep);
		run = s + 1;
	}
	lf_buf_add(b, run, (size_t)(s - run));
}

const char *lf_fmt_count(uint64_t v, char *buf, size_t n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	size_t k = 0;
	for (int i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = 0;
	return buf;
}

/* A value through a caller's printf format of one double; "#" groups a
 * count (1,536), "$" a sum of money ($1,440,000). */
static void fmt_value(char *buf, size_t n, const char *vfmt, double v)
{
	if (!strcmp(vfmt, "#") || !strcmp(vfmt, "$")) {
		char c[32];
		lf_fmt_count((uint64_t)llround(isfinite(v) && v > 0 ? v : 0), c, sizeof c);
		snprintf(buf, n, "%s%s", vfmt[0] == '$' ? "$" : "", c);
		return;
	}
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	snprintf(buf, n, vfmt, v);
#pragma GCC diagnostic pop
}

static void chart_open(lf_buf *b, const char *title, int h)
{
	lf_buf_printf(b, "<figure class=\"chart\"><figcaption>");
	lf_html_esc(b, title);
	lf_buf_printf(b, "</figcaption>\n<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
	              "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"", W, h, W, h);
	lf_html_esc(b, title);
	lf_buf_puts(b, "\" font-family=\"sans-serif\" font-size=\"12\">\n");
}

static void chart_close(lf_buf *b)
{
	lf_buf_puts(b, "</svg></figure>\n");
}

void lf_svg_hbars(lf_buf *b, const char *title, const lf_svg_bar *bars, size_t n,
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
		lf_buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">", LABEL_W - 6, y + 15);
		lf_html_esc(b, bars[i].label);
		lf_buf_printf(b, "</text><rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" "
		              "fill=\"%s\"><title>", LABEL_W, y + 3, len, ROW_H - 6,
		              palette[i % LF_ARRAY_LEN(palette)]);
		lf_html_esc(b, bars[i].label);
		lf_buf_printf(b, ": %s</title></rect><text x=\"%.1f\" y=\"%d\">%s</text>\n",
		              val, LABEL_W + len + 6, y + 15, val);
	}
	chart_close(b);
}

void lf_svg_stack(lf_buf *b, const char *title, const lf_svg_bar *parts, size_t n,
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
			lf_buf_printf(b, "<rect x=\"%.1f\" y=\"6\" width=\"%.1f\" height=\"22\" fill=\"%s\">"
			              "<title>", x, len, palette[i % LF_ARRAY_LEN(palette)]);
			lf_html_esc(b, parts[i].label);
			lf_buf_puts(b, "</title></rect>\n");
		}
		x += len;
	}
	for (size_t i = 0; i < n; i++) {
		int y = 40 + (int)i * ROW_H;
		char val[64];
		fmt_value(val, sizeof val, vfmt, parts[i].value);
		double v = isfinite(parts[i].value) && parts[i].value > 0 ? parts[i].value : 0;
		lf_buf_printf(b, "<rect x=\"10\" y=\"%d\" width=\"12\" height=\"12\" fill=\"%s\"/>"
		              "<text x=\"30\" y=\"%d\">", y, palette[i % LF_ARRAY_LEN(palette)], y + 11);
		lf_html_esc(b, parts[i].label);
		lf_buf_printf(b, "</text><text x=\"%d\" y=\"%d\" text-anchor=\"end\">%s</text>"
		              "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">%.1f%%</text>\n",
		              LABEL_W + 200, y + 11, val, LABEL_W + 270, y + 11,
		              total > 0 ? 100 * v / total : 0.0);
	}
	chart_close(b);
}
