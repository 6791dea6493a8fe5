/*
 * sweep.c — compare and sweep: many designs, the same key figures, and the
 * Pareto front over them.
 *
 * Model.  A sweep is B base specs (compare: several files; sweep: one) times
 * the cartesian product of A axes.  Axis a sets one spec value, named by a
 * path, to each of its n_a values.  Point i (0 <= i < B * prod n_a) takes
 * base spec i / prod(n_a) and, on axis a, value (i / stride_a) % n_a with the
 * last axis varying fastest (stride_{A-1} = 1): the order of nested loops.
 *
 * Paths.  `a.b[1].c`: mapping keys separated by dots, list indices in
 * brackets, 0-based (`fabric.tiers[1]` is the spine tier).  A path is checked
 * against the spec's schema (the keys spec.c accepts) and against each base
 * document, when the axis is added:
 *   - a key the spec does not know                  -> error, with the keys
 *     that exist there and a did-you-mean (unknown path);
 *   - an index past the end of a list               -> error (the list's length);
 *   - a path ending at a mapping or list            -> error (values are scalars);
 *   - a known key missing from the document         -> added by the point
 *     (e.g. `fabric.planes` when the spec relies on the default), and a
 *     missing `optics:` mapping on the way is created.
 * A path that exists but whose value the spec rejects (`link_speed=1.6T` on a
 * switch without 1.6T ports, `planes=0`) is not an error of the sweep: that
 * point's row is "invalid" with the parser's message.  A valid spec whose
 * plan, simulation or sourcing fails (too many GPUs for the radix, a workload
 * bigger than the cluster) gives an "infeasible" row.  Both keep their row.
 *
 * Workload paths.  `workload.X` names value X of the sweep's workload
 * (workload.training.parallel.tp), checked the same way against the
 * workload format's schema (lfi_workload_schema) and the workload's
 * document when it is set (before or after the axis).  Each point then
 * edits the workload as it edits the spec and parses it with the workload
 * parser: a value it rejects makes the point invalid ("workload: ..."), a
 * layout the step cannot run makes it infeasible ("sim: ...").  Workload
 * axes without a workload are an error when a point is evaluated.
 *
 * Points.  Each point re-reads the base YAML with libyaml, edits the
 * document in place (replace a scalar, or add a key), emits it with libyaml's
 * emitter and feeds the text to lf_spec_load_buffer under the base spec's
 * name (so relative catalog paths still resolve).  A fresh catalog per point
 * (the spec may name catalog files) keeps points independent: lf_sweep_eval
 * only reads the sweep, so points can run in any order, in threads or in MPI
 * ranks, and give the same bits.  The parser's line:column refer to the
 * emitted text, not the file, so reasons for invalid points carry the
 * message only.
 *
 * Pareto.  Over objectives (column, min|max): a row is on the front when it
 * is ok, no objective is NaN, and no other such row is at least as good in
 * every objective and strictly better in one.  Equal rows are all on it.
 * O(n^2 k), fine for the thousands of points a sweep has.
 */
#include <jansson.h>
#include <libgen.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "plan.h"
#include "render.h"

static const char *const col_names[LF_COL_COUNT] = {
	"gpus", "servers", "switches", "links", "modules", "power_typ_w", "power_max_w",
	"capex_usd", "xcvr_per_gpu", "busbw_gbs", "time_us", "step_s", "tokens_per_s",
	"memory_gib", "interrupts_per_day", "job_mttf_h", "goodput", "ready", "max_slip", "supply_usd",
};

const char *lf_col_name(lf_col c)
{
	return (unsigned)c < LF_COL_COUNT ? col_names[c] : "?";
}

static lf_status list_fail(lf_error *err, const char *what, const char *got,
                           const char *const *names, size_t n)
{
	lfi_buf b;
	lfi_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		lfi_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	const char *dym = lf_did_you_mean(got, names, n);
	for (size_t i = 0; i < n && !dym && *got; i++)
		if (strncmp(names[i], got, strlen(got)) == 0)
			dym = names[i];   /* "capex" -> "capex_usd" */
	lf_status st = lfi_fail(err, LF_EINPUT, NULL, 0, 0, "%s \"%s\"%s%s%s; expected one of: %s",
	                        what, got, dym ? " (did you mean \"" : "", dym ? dym : "",
	                        dym ? "\"?)" : "", b.data ? b.data : "");
	lfi_buf_release(&b);
	return st;
}

lf_status lf_col_parse(const char *name, lf_col *out, lf_error *err)
{
	for (int c = 0; c < LF_COL_COUNT; c++)
		if (strcmp(name, col_names[c]) == 0) {
			*out = (lf_col)c;
			return LF_OK;
		}
	return list_fail(err, "unknown column", name, col_names, LF_COL_COUNT);
}

/* The direction a bare objective takes. */
static int natural_max(lf_col c)
{
	return c == LF_COL_BUSBW_GBS || c == LF_COL_TOKENS_PER_S || c == LF_COL_JOB_MTTF_H ||
	       c == LF_COL_GOODPUT;
}

lf_status lf_sweep_new(lf_sweep **out, lf_error *err)
{
	lf_sweep *sw = calloc(1, sizeof *sw);
	if (!sw)
		return lfi_oom(err);
	lfi_vec_init(&sw->specs, sizeof(base_spec));
	lfi_vec_init(&sw->axes, sizeof(axis));
	lfi_vec_init(&sw->catalogs, sizeof(const char *));
	*out = sw;
	return LF_OK;
}

void lf_sweep_free(lf_sweep *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; i < sw->specs.len; i++)
		free(LF_VEC_AT(&sw->specs, base_spec, i)->data);
	lfi_vec_release(&sw->specs);
	lfi_vec_release(&sw->axes);
	lfi_vec_release(&sw->catalogs);
	lf_workload_free(sw->wl);
	free(sw->wl_text.data);
	lf_supply_scenario_free(sw->sc);
	lf_reliability_params_free(sw->rp);
	lfi_arena_release(&sw->arena);
	free(sw);
}

lf_status lf_sweep_add_catalog(lf_sweep *sw, const char *path, lf_error *err)
{
	/* checked once here, so that a bad catalog file stops the sweep rather
	 * than making every point invalid */
	lf_catalog *cat = NULL;
	lf_status st = lf_catalog_new(&cat, err);
	if (st == LF_OK)
		st = lf_catalog_load_path(cat, path, err);
	lf_catalog_free(cat);
	LF_TRY(st);
	const char **p = lfi_vec_push(&sw->catalogs);
	if (!p || !(*p = lfi_arena_strdup(&sw->arena, path)))
		return lfi_oom(err);
	return LF_OK;
}

/* -------------------------------------------------------- building a sweep */

lf_status lf_sweep_add_spec_buffer(lf_sweep *sw, const char *name, const char *data,
                                   size_t len, lf_error *err)
{
	base_spec b = { lfi_arena_strdup(&sw->arena, name), malloc(len + 1), len };
	if (!b.name || !b.data) {
		free(b.data);
		return lfi_oom(err);
	}
	memcpy(b.data, data, len);
	b.data[len] = 0;
	lf_status st = LF_OK;
	lfi_ydoc d;
	/* a base spec must at least be YAML; the rest is the parser's, per point */
	st = lfi_ydoc_load(&d, b.name, b.data, b.len, err);
	if (st == LF_OK)
		lfi_ydoc_release(&d);
	for (size_t i = 0; st == LF_OK && i < sw->axes.len; i++)
		if (!LF_VEC_AT(&sw->axes, axis, i)->wl)
			st = sweep_check_axis(LF_VEC_AT(&sw->axes, axis, i), &b, err);
	base_spec *slot = st == LF_OK ? lfi_vec_push(&sw->specs) : NULL;
	if (st == LF_OK && !slot)
		st = lfi_oom(err);
	if (st != LF_OK) {
		free(b.data);
		return st;
	}
	*slot = b;
	return LF_OK;
}

/* An input from its file: read, given to its _buffer function under its path. */
typedef lf_status (*buffer_fn)(lf_sweep *, const char *, const char *, size_t, lf_error *);

static lf_status from_file(lf_sweep *sw, const char *path, buffer_fn fn, lf_error *err)
{
	size_t len;
	char *data = lfi_read_file(path, &len, err);
	if (!data)
		return LF_EIO;
	lf_status st = fn(sw, path, data, len, err);
	free(data);
	return st;
}

lf_status lf_sweep_add_spec(lf_sweep *sw, const char *path, lf_error *err)
{
	return from_file(sw, path, lf_sweep_add_spec_buffer, err);
}

static lf_status add_axis(lf_sweep *sw, const char *path, const char *const *values,
                          size_t n, lf_error *err)
{
	axis ax = { .path = lfi_arena_strdup(&sw->arena, path) };
	if (!ax.path)
		return lfi_oom(err);
	LF_TRY(sweep_parse_path(sw, path, &ax, err));
	for (size_t i = 0; i < sw->axes.len; i++)
		if (strcmp(LF_VEC_AT(&sw->axes, axis, i)->path, path) == 0)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			                "--vary path \"%s\" is varied twice; give all its values once",
			                path);
	if (n == 0)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
		                "--vary %s: no values (expected PATH=V1,V2,...)", path);
	ax.values = lfi_arena_alloc(&sw->arena, n * sizeof(char *));
	if (!ax.values)
		return lfi_oom(err);
	for (size_t i = 0; i < n; i++) {
		const char *v = values[i];
		if (!*v)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			                "--vary %s: value %zu is empty (expected PATH=V1,V2,... without "
			                "empty entries)", path, i + 1);
		for (const char *c = v; *c; c++)
			if ((unsigned char)*c < 32)
				return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				                "--vary %s: value %zu has a control character", path, i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(ax.values[j], v) == 0)
				return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				                "--vary %s: value \"%s\" is given twice", path, v);
		if (!(ax.values[i] = lfi_arena_strdup(&sw->arena, v)))
			return lfi_oom(err);
	}
	ax.n_values = n;
	/* a workload axis is checked against the workload, now or when it is set */
	if (ax.wl && sw->wl_text.data)
		LF_TRY(sweep_check_axis(&ax, &sw->wl_text, err));
	for (size_t i = 0; i < sw->specs.len && !ax.wl; i++)
		LF_TRY(sweep_check_axis(&ax, LF_VEC_AT(&sw->specs, base_spec, i), err));
	axis *slot = lfi_vec_push(&sw->axes);
	if (!slot)
		return lfi_oom(err);
	*slot = ax;
	sw->n_wl_axes += (size_t)ax.wl;
	return LF_OK;
}

lf_status lf_sweep_add_vary(lf_sweep *sw, const char *expr, lf_error *err)
{
	const char *eq = strchr(expr, '=');
	if (!eq)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
		                "--vary \"%s\": expected PATH=V1,V2,... (e.g. "
		                "fabric.tiers[1].link_speed=800G,1.6T)", expr);
	char *path = strndup(expr, (size_t)(eq - expr));
	char *vals = strdup(eq + 1);
	const char **list = calloc(strlen(eq + 1) + 2, sizeof(char *));
	lf_status st = LF_OK;
	if (!path || !vals || !list) {
		st = lfi_oom(err);
	} else {
		size_t n = 0;
		if (*vals) {
			char *p = vals;
			for (;;) {
				char *c = strchr(p, ',');
				if (c)
					*c = 0;
				/* trim blanks: "800G, 1.6T" */
				while (*p == ' ')
					p++;
				size_t l = strlen(p);
				while (l && p[l - 1] == ' ')
					p[--l] = 0;
				list[n++] = p;
				if (!c)
					break;
				p = c + 1;
			}
		}
		st = add_axis(sw, path, list, n, err);
	}
	free(path);
	free(vals);
	free(list);
	return st;
}

lf_status lf_sweep_add_objective(lf_sweep *sw, const char *expr, lf_error *err)
{
	char name[64];
	const char *colon = strchr(expr, ':');
	size_t k = colon ? (size_t)(colon - expr) : strlen(expr);
	if (k == 0 || k >= sizeof name)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
		                "--objective \"%s\": expected COLUMN[:min|:max], e.g. capex_usd:min",
		                expr);
	memcpy(name, expr, k);
	name[k] = 0;
	lf_col c = LF_COL_GPUS;
	lf_status st = lf_col_parse(name, &c, err);
	if (st != LF_OK) {
		char m[sizeof err->msg];
		snprintf(m, sizeof m, "%s", err ? err->msg : "");
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "--objective: %s", m);
	}
	int max = natural_max(c);
	if (colon) {
		if (strcmp(colon + 1, "min") == 0)
			max = 0;
		else if (strcmp(colon + 1, "max") == 0)
			max = 1;
		else
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			                "--objective \"%s\": the direction must be min or max, got \"%s\"",
			                expr, colon + 1);
	}
	for (size_t i = 0; i < sw->n_obj; i++)
		if (sw->obj[i].col == c)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "--objective %s is given twice", name);
	sw->obj[sw->n_obj++] = (lf_objective){ c, max };
	return LF_OK;
}

lf_status lf_sweep_set_workload(lf_sweep *sw, const char *path, lf_error *err)
{
	return from_file(sw, path, lf_sweep_set_workload_buffer, err);
}

lf_status lf_sweep_set_workload_buffer(lf_sweep *sw, const char *name, const char *data,
                                       size_t len, lf_error *err)
{
	lf_workload_free(sw->wl);
	sw->wl = NULL;
	free(sw->wl_text.data);
	sw->wl_text = (base_spec){ 0 };
	const char *n = lfi_arena_strdup(&sw->arena, name ? name : "workload");
	char *copy = malloc(len + 1);
	lf_status st = n && copy ? lf_workload_load_buffer(n, data, len, &sw->wl, err)
	                         : lfi_oom(err);
	if (st != LF_OK) {
		free(copy);
		return st;
	}
	memcpy(copy, data, len);
	copy[len] = 0;
	sw->wl_text = (base_spec){ n, copy, len };
	/* the workload's axes given before it */
	for (size_t i = 0; i < sw->axes.len; i++)
		if (LF_VEC_AT(&sw->axes, axis, i)->wl)
			LF_TRY(sweep_check_axis(LF_VEC_AT(&sw->axes, axis, i), &sw->wl_text, err));
	return LF_OK;
}

lf_status lf_sweep_set_supply(lf_sweep *sw, const char *path, lf_error *err)
{
	lf_supply_scenario_free(sw->sc);
	sw->sc = NULL;
	return lf_supply_scenario_load(path, &sw->sc, err);
}

lf_status lf_sweep_set_reliability(lf_sweep *sw, const char *params_path, int64_t job_gpus,
                                   lf_error *err)
{
	lf_reliability_params_free(sw->rp);
	sw->rp = NULL;
	sw->want_rel = 1;
	sw->job_gpus = job_gpus;
	return lf_reliability_params_load(params_path, &sw->rp, err);
}

/* A path in a sweep file, relative to the file's directory. */
static const char *rel_path(lf_sweep *sw, const char *file, const char *p)
{
	if (p[0] == '/')
		return p;
	char dir[4096], full[8192];
	snprintf(dir, sizeof dir, "%s", file);
	snprintf(full, sizeof full, "%s/%s", dirname(dir), p);
	return lfi_arena_strdup(&sw->arena, full);
}

static lf_status load_sweep_file(lf_sweep *sw, lfi_ydoc *d, lf_error *err)
{
	static const char *const keys[] = { "spec", "vary", "objectives", "workload", "supply",
	                                    "reliability", "job_gpus" };
	yaml_node_t *root = lfi_ydoc_root(d), *n;
	LF_TRY(lfi_ycheck_keys(d, root, "sweep", keys, LF_ARRAY_LEN(keys), err));
	const char *s, *p;
	if ((n = lfi_yget(d, root, "spec"))) {
		LF_TRY(lfi_ystr(d, n, "sweep spec", &s, err));
		if (sw->specs.len == 0) {
			if (!(p = rel_path(sw, d->file, s)))
				return lfi_oom(err);
			LF_TRY(lf_sweep_add_spec(sw, p, err));
		}
	}
	if ((n = lfi_yget(d, root, "vary"))) {
		LF_TRY(lfi_yexpect(d, n, YAML_MAPPING_NODE, "sweep vary", err));
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
		     pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = lfi_ynode(d, pr->key), *v = lfi_ynode(d, pr->value);
			const char *path;
			LF_TRY(lfi_ystr(d, k, "sweep vary path", &path, err));
			const char *vals[256];
			size_t nv = 0;
			if (v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++) {
					if (nv == LF_ARRAY_LEN(vals))
						return lfi_yfail(err, d, v, "sweep vary %s: at most %zu values", path,
						                 LF_ARRAY_LEN(vals));
					LF_TRY(lfi_ystr(d, lfi_ynode(d, *it), "sweep vary value", &vals[nv], err));
					nv++;
				}
			} else {
				LF_TRY(lfi_ystr(d, v, "sweep vary value", &vals[0], err));
				nv = 1;
			}
			lf_status st = add_axis(sw, path, vals, nv, err);
			if (st == LF_EINPUT && err && err->line == 0) {
				char m[sizeof err->msg];
				snprintf(m, sizeof m, "%s", err->msg);
				return lfi_yfail(err, d, k, "%s", m);
			}
			LF_TRY(st);
		}
	}
	if ((n = lfi_yget(d, root, "objectives"))) {
		LF_TRY(lfi_yexpect(d, n, YAML_SEQUENCE_NODE, "sweep objectives", err));
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *o = lfi_ynode(d, *it);
			LF_TRY(lfi_ystr(d, o, "sweep objective", &s, err));
			if (lf_sweep_add_objective(sw, s, err) != LF_OK) {
				char m[sizeof err->msg];
				snprintf(m, sizeof m, "%s", err->msg);
				return lfi_yfail(err, d, o, "%s", m);
			}
		}
	}
	if ((n = lfi_yget(d, root, "workload"))) {
		LF_TRY(lfi_ystr(d, n, "sweep workload", &s, err));
		if (!(p = rel_path(sw, d->file, s)))
			return lfi_oom(err);
		LF_TRY(lf_sweep_set_workload(sw, p, err));
	}
	if ((n = lfi_yget(d, root, "supply"))) {
		LF_TRY(lfi_ystr(d, n, "sweep supply", &s, err));
		if (!(p = rel_path(sw, d->file, s)))
			return lfi_oom(err);
		LF_TRY(lf_sweep_set_supply(sw, p, err));
	}
	int64_t job = 0;
	if ((n = lfi_yget(d, root, "job_gpus")))
		LF_TRY(lfi_yint(d, n, "sweep job_gpus", 1, INT64_MAX, &job, err));
	if ((n = lfi_yget(d, root, "reliability"))) {
		LF_TRY(lfi_ystr(d, n, "sweep reliability", &s, err));
		if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
			LF_TRY(lf_sweep_set_reliability(sw, NULL, job, err));
		} else if (strcmp(s, "false") && strcmp(s, "no")) {
			if (!(p = rel_path(sw, d->file, s)))
				return lfi_oom(err);
			LF_TRY(lf_sweep_set_reliability(sw, p, job, err));
		}
	}
	return LF_OK;
}

lf_status lf_sweep_load_buffer(lf_sweep *sw, const char *name, const char *data, size_t len,
                               lf_error *err)
{
	const char *file = lfi_arena_strdup(&sw->arena, name ? name : "sweep");
	lfi_ydoc d;
	lf_status st = file ? lfi_ydoc_load(&d, file, data, len, err) : lfi_oom(err);
	if (st == LF_OK) {
		st = load_sweep_file(sw, &d, err);
		lfi_ydoc_release(&d);
	}
	return st;
}

lf_status lf_sweep_load_file(lf_sweep *sw, const char *path, lf_error *err)
{
	return from_file(sw, path, lf_sweep_load_buffer, err);
}

/* ----------------------------------------------------------------- points */

static size_t per_spec(const lf_sweep *sw)
{
	size_t n = 1;
	for (size_t a = 0; a < sw->axes.len; a++) {
		size_t v = LF_VEC_AT(&sw->axes, axis, a)->n_values;
		n = v && n > SIZE_MAX / v ? SIZE_MAX : n * v;   /* saturate: refused by the budget */
	}
	return n;
}

size_t lf_sweep_n_points(const lf_sweep *sw)
{
	size_t p = per_spec(sw);
	return sw->specs.len && p > SIZE_MAX / sw->specs.len ? SIZE_MAX : sw->specs.len * p;
}

const char *lf_sweep_workload(const lf_sweep *sw)
{
	return sw->wl ? sw->wl_text.name : NULL;
}

size_t lf_sweep_n_axes(const lf_sweep *sw)
{
	return sw->axes.len;
}

const char *lf_sweep_axis_path(const lf_sweep *sw, size_t a)
{
	return a < sw->axes.len ? LF_VEC_AT(&sw->axes, axis, a)->path : NULL;
}

static size_t value_index(const lf_sweep *sw, size_t point, size_t a)
{
	size_t stride = 1;
	for (size_t b = sw->axes.len; b-- > a + 1;)
		stride *= LF_VEC_AT(&sw->axes, axis, b)->n_values;
	return (point / stride) % LF_VEC_AT(&sw->axes, axis, a)->n_values;
}

const char *lf_sweep_point_value(const lf_sweep *sw, size_t point, size_t a)
{
	if (a >= sw->axes.len || point >= lf_sweep_n_points(sw))
		return NULL;
	return LF_VEC_AT(&sw->axes, axis, a)->values[value_index(sw, point, a)];
}

static const base_spec *point_base(const lf_sweep *sw, size_t point)
{
	return LF_VEC_AT(&sw->specs, base_spec, point / per_spec(sw));
}

const char *lf_sweep_point_spec(const lf_sweep *sw, size_t point)
{
	return point < lf_sweep_n_points(sw) ? point_base(sw, point)->name : NULL;
}

int lf_sweep_has_column(const lf_sweep *sw, lf_col c)
{
	if (c <= LF_COL_XCVR_PER_GPU)
		return 1;
	if (c <= LF_COL_MEMORY_GIB) {
		if (!sw->wl)
			return 0;
		int step = sw->wl->has_training;
		return c >= LF_COL_STEP_S ? step : !step;
	}
	if (c <= LF_COL_GOODPUT)
		return sw->want_rel;
	return sw->sc != NULL;
}

static int emit_write(void *ctx, unsigned char *buf, size_t n)
{
	lfi_buf_add(ctx, (const char *)buf, n);
	return !((lfi_buf *)ctx)->failed;
}

/* The text of the point's spec, or of the workload (wl), with the point's
 * values of their axes set. */
static lf_status point_text(const lf_sweep *sw, size_t point, int wl, char **out, size_t *len,
                            lf_error *err)
{
	*out = NULL;
	if (point >= lf_sweep_n_points(sw))
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "point %zu out of range", point);
	const base_spec *b = wl ? &sw->wl_text : point_base(sw, point);
	lfi_ydoc d;
	LF_TRY(lfi_ydoc_load(&d, b->name, b->data, b->len, err));
	lf_status st = LF_OK;
	for (size_t a = 0; st == LF_OK && a < sw->axes.len; a++)
		if (LF_VEC_AT(&sw->axes, axis, a)->wl == wl)
			st = sweep_walk(LF_VEC_AT(&sw->axes, axis, a), &d.doc, b->name,
			                lf_sweep_point_value(sw, point, a), err);
	if (st != LF_OK) {
		lfi_ydoc_release(&d);
		return st;
	}
	lfi_buf buf;
	lfi_buf_init(&buf);
	yaml_emitter_t em;
	if (!yaml_emitter_initialize(&em)) {
		lfi_ydoc_release(&d);
		return lfi_oom(err);
	}
	yaml_emitter_set_output(&em, emit_write, &buf);
	yaml_emitter_set_unicode(&em, 1);
	yaml_emitter_set_width(&em, -1);
	int ok = yaml_emitter_open(&em);
	/* dump consumes the document, whatever happens */
	ok = ok && yaml_emitter_dump(&em, &d.doc);
	d.loaded = false;
	ok = ok && yaml_emitter_close(&em);
	yaml_emitter_delete(&em);
	lfi_ydoc_release(&d);
	if (!ok || buf.failed) {
		lfi_buf_release(&buf);
		return buf.failed ? lfi_oom(err)
		                  : lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "YAML emitter failed");
	}
	*len = buf.len;
	return lfi_buf_finish(&buf, out, err);
}

lf_status lf_sweep_point_yaml(const lf_sweep *sw, size_t point, char **out, size_t *len,
                              lf_error *err)
{
	return point_text(sw, point, 0, out, len, err);
}

/* A sweep whose axes vary the workload needs one. */
static lf_status need_workload(const lf_sweep *sw, lf_error *err)
{
	for (size_t a = 0; a < sw->axes.len && !sw->wl; a++)
		if (LF_VEC_AT(&sw->axes, axis, a)->wl)
			return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "--vary %s varies the workload, but "
			                "the sweep has none: give --workload W (or workload: in the sweep "
			                "file)", LF_VEC_AT(&sw->axes, axis, a)->path);
	return LF_OK;
}

lf_status lf_sweep_point_workload_yaml(const lf_sweep *sw, size_t point, char **out,
                                       size_t *len, lf_error *err)
{
	*out = NULL;
	LF_TRY(need_workload(sw, err));
	if (!sw->wl)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "the sweep has no workload");
	return point_text(sw, point, 1, out, len, err);
}

/* A point's reason: positions in an edited document (the spec; the
 * workload, when axes vary it) mean nothing to the user, positions in other
 * files (workload, catalog) do. */
static void set_reason(lf_sweep_row *row, lf_point_status st, const char *stage,
                       const lf_error *e, const char *spec_name, const char *wl_name)
{
	row->status = st;
	char buf[2048];
	if (e->file[0] && strcmp(e->file, spec_name) != 0 &&
	    !(wl_name && strcmp(e->file, wl_name) == 0))
		lf_error_format(e, buf, sizeof buf);
	else
		snprintf(buf, sizeof buf, "%s", e->msg);
	snprintf(row->reason, sizeof row->reason, "%.32s%.700s", stage, buf);
}

static int fatal(lf_status st)
{
	return st != LF_OK && st != LF_EINPUT && st != LF_ESOLVER;
}

lf_status lf_sweep_eval(const lf_sweep *sw, size_t point, lf_sweep_row *row, lf_error *err)
{
	memset(row, 0, sizeof *row);
	row->index = point;
	for (int c = 0; c < LF_COL_COUNT; c++)
		row->v[c] = NAN;
	const base_spec *b = point_base(sw, point);
	lf_error e = { 0 };
	char *text = NULL;
	size_t len = 0;
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	lf_sim_report *rep = NULL;
	lf_reliability *rel = NULL;
	lf_supply_result *sup = NULL;
	lf_workload *pwl = NULL;   /* the point's workload, when axes edit it */
	char *wtext = NULL;
	const lf_workload *wl = sw->wl;
	const char *edited_wl = sw->n_wl_axes ? sw->wl_text.name : NULL;
	lf_status st = need_workload(sw, &e);
	if (st == LF_OK)
		st = lf_sweep_point_yaml(sw, point, &text, &len, &e);
	if (st != LF_OK)
		goto done;
	/* the spec: its parser and resolver judge the point's values (the
	 * catalog files were checked when they were added) */
	lf_load_opts lo = { .catalogs = sw->catalogs.data, .n_catalogs = sw->catalogs.len,
	                    .spec_text = text, .spec_len = len, .spec_name = b->name };
	st = lf_load(&lo, &cat, &spec, &e);
	if (st == LF_EINPUT) {
		set_reason(row, LF_POINT_INVALID, "", &e, b->name, edited_wl);
		st = LF_OK;
		goto done;
	}
	if (st != LF_OK)
		goto done;
	if (edited_wl) {
		/* the point's workload: its parser judges the point's values */
		size_t wlen = 0;
		st = lf_sweep_point_workload_yaml(sw, point, &wtext, &wlen, &e);
		if (st == LF_OK)
			st = lf_workload_load_buffer(edited_wl, wtext, wlen, &pwl, &e);
		if (st == LF_EINPUT) {
			set_reason(row, LF_POINT_INVALID, "workload: ", &e, b->name, edited_wl);
			st = LF_OK;
			goto done;
		}
		if (st != LF_OK)
			goto done;
		wl = pwl;
	}
	st = lf_plan_build(spec, cat, &plan, &e);
	if (st == LF_EINPUT) {
		set_reason(row, LF_POINT_INFEASIBLE, "plan: ", &e, b->name, edited_wl);
		st = LF_OK;
		goto done;
	}
	if (st != LF_OK)
		goto done;
	const lf_bom *bom = &plan->bom;
	row->v[LF_COL_GPUS] = (double)plan->gpus;
	row->v[LF_COL_SERVERS] = (double)plan->servers;
	row->v[LF_COL_SWITCHES] = (double)bom->switches;
	row->v[LF_COL_LINKS] = (double)bom->links;
	row->v[LF_COL_MODULES] = (double)bom->modules;
	row->v[LF_COL_POWER_TYP_W] = bom->power_typ_w;
	row->v[LF_COL_POWER_MAX_W] = bom->power_max_w;
	row->v[LF_COL_CAPEX_USD] = bom->capex_usd;
	row->v[LF_COL_XCVR_PER_GPU] = plan->gpus ? (double)bom->modules / (double)plan->gpus : NAN;
	if (wl) {
		lf_sim_config cfg = wl->sim;
		st = lf_workload_simulate(plan, wl, &cfg, NULL, NULL, &rep, &e);
		if (!fatal(st) && st != LF_OK) {
			set_reason(row, LF_POINT_INFEASIBLE, "sim: ", &e, b->name, edited_wl);
			st = LF_OK;
			goto done;
		}
		if (st != LF_OK)
			goto done;
		if (rep->has_step) {
			const lf_step *s = &rep->step;
			row->v[LF_COL_STEP_S] = s->step_s;
			row->v[LF_COL_TOKENS_PER_S] = s->tokens_per_s;
			row->v[LF_COL_MEMORY_GIB] = s->mem.total_b / (1 << 30);
			if (s->mem.capacity_b > 0 && s->mem.total_b > s->mem.capacity_b) {
				/* simulated, but it would not run: off the front */
				row->status = LF_POINT_INFEASIBLE;
				snprintf(row->reason, sizeof row->reason, "sim: the step needs %.1f GiB "
				         "per GPU, more than the GPU's %.0f GiB", s->mem.total_b / (1 << 30),
				         s->mem.capacity_b / (1 << 30));
			}
		} else if (rep->has_traffic) {
			row->v[LF_COL_TIME_US] = rep->traffic.last_s * 1e6;   /* the last flow */
		} else {
			/* the largest size of the first collective entry */
			const lf_sim_row *best = NULL;
			for (size_t i = 0; i < rep->n_rows; i++)
				if (rep->rows[i].entry == 0 && (!best || rep->rows[i].r.bytes > best->r.bytes))
					best = &rep->rows[i];
			if (best) {
				row->v[LF_COL_BUSBW_GBS] = best->r.busbw_gbs;
				row->v[LF_COL_TIME_US] = best->r.time_us;
			}
		}
	}
	if (sw->want_rel) {
		st = lf_reliability_compute(plan, sw->rp, sw->job_gpus, &rel, &e);
		if (!fatal(st) && st != LF_OK) {
			set_reason(row, LF_POINT_INFEASIBLE, "reliability: ", &e, b->name, edited_wl);
			st = LF_OK;
			goto done;
		}
		if (st != LF_OK)
			goto done;
		row->v[LF_COL_INTERRUPTS_PER_DAY] = rel->job_interrupts_per_day;
		row->v[LF_COL_JOB_MTTF_H] = rel->job_mttf_h > 0 ? rel->job_mttf_h : INFINITY;
		row->v[LF_COL_GOODPUT] = rel->goodput_daly;
	}
	if (sw->sc) {
		const lf_plan *plans[1] = { plan };
		st = lf_supply_solve(sw->sc, plans, NULL, 1, &sup, &e);
		if (!fatal(st) && st != LF_OK) {
			set_reason(row, LF_POINT_INFEASIBLE, "source: ", &e, b->name, edited_wl);
			st = LF_OK;
			goto done;
		}
		if (st != LF_OK)
			goto done;
		const lf_supply_answer *a = &sup->answers[0];
		int slip = 0;
		for (size_t i = 0; i < a->n_stages; i++)
			if (a->stages[i].slip > slip)
				slip = a->stages[i].slip;
		row->v[LF_COL_READY] = a->ready >= 0 ? (double)a->ready : INFINITY;
		row->v[LF_COL_MAX_SLIP] = slip;
		row->v[LF_COL_SUPPLY_USD] = a->spend_usd;
	}
done:
	lf_supply_result_free(sup);
	lf_reliability_free(rel);
	lf_sim_report_free(rep);
	lf_plan_free(plan);
	lf_spec_free(spec);
	lf_catalog_free(cat);
	free(text);
	lf_workload_free(pwl);
	free(wtext);
	if (st != LF_OK && err)
		*err = e;
	return st;
}

lf_status lf_sweep_run(const lf_sweep *sw, lf_sweep_row *rows,
                       void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                       lf_error *err)
{
	size_t n = lf_sweep_n_points(sw);
	for (size_t i = 0; i < n; i++) {
		LF_TRY(lf_sweep_eval(sw, i, &rows[i], err));
		if (progress)
			progress(ctx, i + 1, n);
	}
	return LF_OK;
}

/* ----------------------------------------------------------------- Pareto */

void lf_pareto_mark(lf_sweep_row *rows, size_t n, const lf_objective *obj, size_t n_obj)
{
	for (size_t i = 0; i < n; i++) {
		lf_sweep_row *r = &rows[i];
		r->pareto = r->status == LF_POINT_OK && n_obj > 0;
		for (size_t k = 0; k < n_obj && r->pareto; k++)
			r->pareto = !isnan(r->v[obj[k].col]);
	}
	for (size_t i = 0; i < n; i++) {
		if (!rows[i].pareto)
			continue;
		for (size_t j = 0; j < n; j++) {
			if (j == i || rows[j].status != LF_POINT_OK)
				continue;
			int no_worse = 1, better = 0;
			for (size_t k = 0; k < n_obj && no_worse; k++) {
				double a = rows[i].v[obj[k].col], b = rows[j].v[obj[k].col];
				if (isnan(b)) {
					no_worse = 0;
					break;
				}
				if (obj[k].maximize) {
					a = -a;
					b = -b;
				}
				if (b > a)
					no_worse = 0;
				else if (b < a)
					better = 1;
			}
			if (no_worse && better) {
				rows[i].pareto = 0;
				break;
			}
		}
	}
}

size_t lf_sweep_objectives(const lf_sweep *sw, lf_objective *out, size_t max)
{
	lf_objective def[8];
	const lf_objective *src = sw->obj;
	size_t n = sw->n_obj;
	if (!n) {
		def[n++] = (lf_objective){ LF_COL_CAPEX_USD, 0 };
		def[n++] = (lf_objective){ LF_COL_POWER_TYP_W, 0 };
		if (lf_sweep_has_column(sw, LF_COL_BUSBW_GBS))
			def[n++] = (lf_objective){ LF_COL_BUSBW_GBS, 1 };
		if (lf_sweep_has_column(sw, LF_COL_STEP_S))
			def[n++] = (lf_objective){ LF_COL_STEP_S, 0 };
		if (sw->want_rel)
			def[n++] = (lf_objective){ LF_COL_INTERRUPTS_PER_DAY, 0 };
		if (sw->sc)
			def[n++] = (lf_objective){ LF_COL_READY, 0 };
		src = def;
	}
	size_t k = n < max ? n : max;
	memcpy(out, src, k * sizeof *out);
	return n;
}

void lf_sweep_pareto(const lf_sweep *sw, lf_sweep_row *rows, size_t n)
{
	lf_objective obj[LF_COL_COUNT];
	size_t k = lf_sweep_objectives(sw, obj, LF_COL_COUNT);
	lf_pareto_mark(rows, n, obj, k);
}
