/*
 * explore.h — the explore layer (src/explore): a sweep's insides, shared by
 * sweep.c (building, points, evaluation, Pareto), sweep_path.c (paths in the
 * spec's and the workload's schemas and documents), sweep_render.c (table,
 * CSV, JSON, compare) and report_sweep.c (the HTML page).
 */
#ifndef LF_EXPLORE_H
#define LF_EXPLORE_H

#include "core.h"


typedef struct seg {
	const char *key;          /* NULL: an index */
	long index;
} seg;

typedef struct axis {
	const char *path;         /* as given: workload.training.parallel.tp */
	int wl;                   /* a workload value (segs without "workload") */
	size_t n_segs;
	seg *segs;
	size_t n_values;
	const char **values;
} axis;

typedef struct base_spec {
	const char *name;
	char *data;
	size_t len;
} base_spec;

struct lf_sweep {
	lfi_arena arena;
	lfi_vec specs;             /* base_spec */
	lfi_vec axes;              /* axis */
	lfi_vec catalogs;          /* const char * */
	lf_objective obj[LF_COL_COUNT];
	size_t n_obj;
	lf_workload *wl;
	base_spec wl_text;         /* the workload's file: its axes edit it per point */
	size_t n_wl_axes;
	lf_supply_scenario *sc;
	lf_reliability_params *rp;
	int want_rel;
	int64_t job_gpus;
};

/* Parse `path` (a.b[1].c) into ax's segments; workload.X: X in the workload. */
lf_status sweep_parse_path(lf_sweep *sw, const char *path, axis *ax, lf_error *err) LF_MUST;
/* Walk ax's path in the document: check it (value NULL) or set the value,
 * adding a known key the document lacks. */
lf_status sweep_walk(const axis *ax, yaml_document_t *doc, const char *file,
                      const char *value, lf_error *err) LF_MUST;
/* The path against one base document (a spec's, or the workload's). */
lf_status sweep_check_axis(const axis *ax, const base_spec *b, lf_error *err) LF_MUST;

#endif
