/*
 * svg.h — HTML escaping and the inline SVG charts of the report (svg.c).
 * Internal: report.c is the only user.  Every chart is self-contained SVG
 * text (no scripts, no external references) appended to an lfi_buf.
 */
#ifndef LF_SVG_H
#define LF_SVG_H

#include "core.h"

/* Append `s` with &, <, >, " and ' escaped: safe in text and in attributes. */
void lfi_html_esc(lfi_buf *b, const char *s);

/* One bar: a label (user text, escaped) and a value >= 0. */
typedef struct lfi_svg_bar {
	const char *label;
	double value;
} lfi_svg_bar;

/* Horizontal bar chart, one row per bar, the value printed after the bar
 * with printf format `vfmt` (one double, e.g. "%.1f kW", "%.4f"), or "#"
 * for a grouped count (1,536), "$" for money ($1,440,000). */
void lfi_svg_hbars(lfi_buf *b, const char *title, const lfi_svg_bar *bars, size_t n,
                   const char *vfmt);

/* One horizontal bar split into parts (a breakdown: power, capex), with a
 * legend giving each part's value (`vfmt`) and share. */
void lfi_svg_stack(lfi_buf *b, const char *title, const lfi_svg_bar *parts, size_t n,
                   const char *vfmt);

/* A line of a line chart: n points (x > 0 on a log2 axis, y >= 0 linear). */
typedef struct lfi_svg_series {
	const char *label;        /* user text, escaped */
	size_t n;
	const double *x, *y;
} lfi_svg_series;

/* A horizontal reference line (a hardware bound), drawn dashed. */
typedef struct lfi_svg_hline {
	const char *label;
	double y;
} lfi_svg_hline;

/* Line chart with a log2 x axis labelled in bytes (8 B, 1 KiB, ... 8 GiB)
 * and a linear y axis from 0 labelled `ylabel`.  Each series is one
 * <polyline class="series" data-points="n"> (n points, in order) with a
 * marker per point whose tooltip gives the value; each bound a dashed
 * <line class="bound">.  A legend names both. */
void lfi_svg_lines(lfi_buf *b, const char *title, const char *ylabel,
                   const lfi_svg_series *series, size_t n, const lfi_svg_hline *bounds,
                   size_t n_bounds);

/* A vertical mark of a break-even chart: a choice flips at x (data-x),
 * drawn at `at` (between two sampled points). */
typedef struct lfi_svg_vmark {
	const char *label;        /* user text, escaped */
	double x, at;
} lfi_svg_vmark;

/* Break-even chart: cost y[k] (USD) against x[k] (a capacity, linear axis
 * labelled `xlabel`; points in increasing x) as <polyline class="series">,
 * the y axis spanning the values; each mark a dashed <line class="flip"
 * data-x>; below it one band per row (`band[g]`: a stage) of cells <rect
 * class="choice" data-x data-class> (point k's cell spans halfway to its
 * neighbours) coloured by cls[k * n_band + g], an
 * index into cls_name (an option); a legend names the classes. */
void lfi_svg_breakeven(lfi_buf *b, const char *title, const char *xlabel, const char *ylabel,
                       size_t n, const double *x, const double *y, const char *const *band,
                       size_t n_band, const int *cls, const char *const *cls_name,
                       size_t n_cls, const lfi_svg_vmark *marks, size_t n_marks);

/* One row of a Gantt chart over periods 0..periods-1: a bar from `start` to
 * `end` (cells, inclusive), the part after `due` drawn as slip, `due`
 * marked; `open` (never finished within the axis) draws the bar to the
 * axis' end with an open end. */
typedef struct lfi_svg_task {
	const char *label;        /* user text, escaped */
	int start, end, due;      /* periods; due < 0: no mark */
	int open;
} lfi_svg_task;

/* `period_label[p]` labels period p (ticks are thinned to fit). */
void lfi_svg_gantt(lfi_buf *b, const char *title, const lfi_svg_task *tasks, size_t n,
                   int periods, const char *const *period_label);

/* The report's stylesheet (report.c), shared with the web UI's page so the
 * results panel looks like the report. */
const char *lfi_report_css(void);

/* The report's floor section for a spec with a layout: (report_floor.c). */
lf_status lfi_report_floor(lfi_buf *b, const lf_plan *pl, lf_error *err);

#endif
