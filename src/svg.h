/*
 * svg.h — HTML escaping and the inline SVG charts of the report (svg.c).
 * Internal: report.c is the only user.  Every chart is self-contained SVG
 * text (no scripts, no external references) appended to an lf_buf.
 */
#ifndef LF_SVG_H
#define LF_SVG_H

#include "internal.h"

/* Append `s` with &, <, >, " and ' escaped: safe in text and in attributes. */
void lf_html_esc(lf_buf *b, const char *s);
/* 1234567 -> "1,234,567" */
const char *lf_fmt_count(uint64_t v, char *buf, size_t n);

/* One bar: a label (user text, escaped) and a value >= 0. */
typedef struct lf_svg_bar {
	const char *label;
	double value;
} lf_svg_bar;

/* Horizontal bar chart, one row per bar, the value printed after the bar
 * with printf format `vfmt` (one double, e.g. "%.1f kW", "%.4f"), or "#"
 * for a grouped count (1,536), "$" for money ($1,440,000). */
void lf_svg_hbars(lf_buf *b, const char *title, const lf_svg_bar *bars, size_t n,
                  const char *vfmt);

/* One horizontal bar split into parts (a breakdown: power, capex), with a
 * legend giving each part's value (`vfmt`) and share. */
void lf_svg_stack(lf_buf *b, const char *title, const lf_svg_bar *parts, size_t n,
                  const char *vfmt);

/* The report's stylesheet (report.c), shared with the web UI's page so the
 * results panel looks like the report. */
const char *lf_report_css(void);

#endif
