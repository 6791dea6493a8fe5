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

#include "core.h"
#include "plan.h"
#include "render.h"

/* ------------------------------------------------------------------- types */

typedef struct seg {
	const char *key;          /* NULL: an index */
	long index;
} seg;

typedef struct axis {
	const char *path;
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
	lf_arena arena;
	lf_vec specs;             /* base_spec */
	lf_vec axes;              /* axis */
	lf_vec catalogs;          /* const char * */
	lf_objective obj[LF_COL_COUNT];
	size_t n_obj;
	lf_workload *wl;
	lf_supply_scenario *sc;
	lf_reliability_params *rp;
	int want_rel;
	int64_t job_gpus;
};

static const char *const col_names[LF_COL_COUNT] = {
	"gpus", "servers", "switches", "links", "modules", "power_typ_w", "power_max_w",
	"capex_usd", "xcvr_per_gpu", "busbw_gbs", "time_us", "step_s", "tokens_per_s",
	"interrupts_per_day", "job_mttf_h", "goodput", "ready", "max_slip", "supply_usd",
};

const char *lf_col_name(lf_col c)
{
	return (unsigned)c < LF_COL_COUNT ? col_names[c] : "?";
}

static lf_status list_fail(lf_error *err, const char *what, const char *got,
                           const char *const *names, size_t n)
{
	lf_buf b;
	lf_buf_init(&b);
	for (size_t i = 0; i < n; i++)
		lf_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	const char *dym = lf_did_you_mean(got, names, n);
	for (size_t i = 0; i < n && !dym && *got; i++)
		if (strncmp(names[i], got, strlen(got)) == 0)
			dym = names[i];   /* "capex" -> "capex_usd" */
	lf_status st = lf_fail(err, LF_EINPUT, NULL, 0, 0, "%s \"%s\"%s%s%s; expected one of: %s",
	                       what, got, dym ? " (did you mean \"" : "", dym ? dym : "",
	                       dym ? "\"?)" : "", b.data ? b.data : "");
	lf_buf_release(&b);
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
		return lf_oom(err);
	lf_vec_init(&sw->specs, sizeof(base_spec));
	lf_vec_init(&sw->axes, sizeof(axis));
	lf_vec_init(&sw->catalogs, sizeof(const char *));
	*out = sw;
	return LF_OK;
}

void lf_sweep_free(lf_sweep *sw)
{
	if (!sw)
		return;
	for (size_t i = 0; i < sw->specs.len; i++)
		free(LF_VEC_AT(&sw->specs, base_spec, i)->data);
	lf_vec_release(&sw->specs);
	lf_vec_release(&sw->axes);
	lf_vec_release(&sw->catalogs);
	lf_workload_free(sw->wl);
	lf_supply_scenario_free(sw->sc);
	lf_reliability_params_free(sw->rp);
	lf_arena_release(&sw->arena);
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
	const char **p = lf_vec_push(&sw->catalogs);
	if (!p || !(*p = lf_arena_strdup(&sw->arena, path)))
		return lf_oom(err);
	return LF_OK;
}

/* ----------------------------------------------------------- path parsing */

static lf_status parse_path(lf_sweep *sw, const char *path, axis *ax, lf_error *err)
{
	lf_vec v;
	lf_vec_init(&v, sizeof(seg));
	const char *p = path;
	lf_status st = LF_OK;
	if (!*p)
		st = lf_fail(err, LF_EINPUT, NULL, 0, 0, "--vary: empty path before '='");
	while (st == LF_OK && *p) {
		size_t k = strcspn(p, ".[");
		if (k == 0) {
			st = lf_fail(err, LF_EINPUT, NULL, 0, 0,
			             "--vary path \"%s\": expected a key at character %d (paths look like "
			             "fabric.tiers[1].link_speed)", path, (int)(p - path) + 1);
			break;
		}
		for (size_t j = 0; j < k && st == LF_OK; j++)
			if (!(p[j] == '_' || p[j] == '-' || (p[j] >= 'a' && p[j] <= 'z') ||
			      (p[j] >= 'A' && p[j] <= 'Z') || (p[j] >= '0' && p[j] <= '9')))
				st = lf_fail(err, LF_EINPUT, NULL, 0, 0,
				             "--vary path \"%s\": unexpected '%c' at character %d", path, p[j],
				             (int)(p - path + (long)j) + 1);
		if (st != LF_OK)
			break;
		seg *s = lf_vec_push(&v);
		char *key = s ? lf_arena_alloc(&sw->arena, k + 1) : NULL;
		if (!key) {
			st = lf_oom(err);
			break;
		}
		memcpy(key, p, k);
		s->key = key;
		p += k;
		while (*p == '[') {
			char *e;
			long idx = strtol(p + 1, &e, 10);
			if (e == p + 1 || *e != ']' || idx < 0 || p[1] == '+' || p[1] == '-') {
				st = lf_fail(err, LF_EINPUT, NULL, 0, 0,
				             "--vary path \"%s\": expected a list index such as [0] at "
				             "character %d", path, (int)(p - path) + 1);
				break;
			}
			s = lf_vec_push(&v);
			if (!s) {
				st = lf_oom(err);
				break;
			}
			s->key = NULL;
			s->index = idx;
			p = e + 1;
		}
		if (st != LF_OK)
			break;
		if (*p == '.') {
			p++;
			if (!*p)
				st = lf_fail(err, LF_EINPUT, NULL, 0, 0,
				             "--vary path \"%s\": ends with '.'", path);
		} else if (*p) {
			st = lf_fail(err, LF_EINPUT, NULL, 0, 0,
			             "--vary path \"%s\": expected '.' or '[' at character %d", path,
			             (int)(p - path) + 1);
		}
	}
	if (st == LF_OK) {
		ax->n_segs = v.len;
		ax->segs = lf_arena_alloc(&sw->arena, v.len * sizeof(seg) + 1);
		if (!ax->segs)
			st = lf_oom(err);
		else if (v.len)
			memcpy(ax->segs, v.data, v.len * sizeof(seg));
	}
	lf_vec_release(&v);
	return st;
}

/* ------------------------------------------------- walking the document */

static void path_prefix(const axis *ax, size_t upto, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	for (size_t i = 0; i < upto && k + 1 < n; i++) {
		if (ax->segs[i].key)
			k += (size_t)snprintf(buf + k, n - k, "%s%s", i ? "." : "", ax->segs[i].key);
		else
			k += (size_t)snprintf(buf + k, n - k, "[%ld]", ax->segs[i].index);
		if (k >= n)
			k = n - 1;
	}
}

static int add_scalar(yaml_document_t *doc, const char *s)
{
	return yaml_document_add_scalar(doc, NULL, (yaml_char_t *)s, (int)strlen(s),
	                                YAML_ANY_SCALAR_STYLE);
}

/* Walk `ax` in `doc`; when `value` is given set the scalar at its end
 * (adding missing keys).  Errors name the spec file and the path. */
static lf_status walk(const axis *ax, yaml_document_t *doc, const char *file,
                      const char *value, lf_error *err)
{
	const lf_schema *sc = &lf_spec_schema;
	int id = 1;               /* root node id */
	const lf_schema_key *cur = NULL;
	char where[256];
	for (size_t i = 0; i < ax->n_segs; i++) {
		const seg *s = &ax->segs[i];
		yaml_node_t *n = yaml_document_get_node(doc, id);
		path_prefix(ax, i, where, sizeof where);
		if (s->key) {
			if (!sc)
				return lf_fail(err, LF_EINPUT, NULL, 0, 0,
				               "--vary path \"%s\": %s%s is %s, it has no key \"%s\"",
				               ax->path, *where ? "" : "the spec", where,
				               cur && cur->list ? "a list (use [N])" : "a single value",
				               s->key);
			const lf_schema_key *k = NULL;
			for (size_t j = 0; j < sc->n && !k; j++)
				if (strcmp(sc->keys[j].key, s->key) == 0)
					k = &sc->keys[j];
			if (!k) {
				const char *names[16];
				for (size_t j = 0; j < sc->n; j++)
					names[j] = sc->keys[j].key;
				const char *dym = lf_did_you_mean(s->key, names, sc->n);
				lf_buf kb;
				lf_buf_init(&kb);
				for (size_t j = 0; j < sc->n; j++)
					lf_buf_printf(&kb, "%s%s", j ? ", " : "", names[j]);
				lf_fail(err, LF_EINPUT, NULL, 0, 0,
				        "--vary path \"%s\": unknown path: %s has no key \"%s\"%s%s%s; keys "
				        "there: %s", ax->path, *where ? where : "the spec", s->key,
				        dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "",
				        kb.data ? kb.data : "");
				lf_buf_release(&kb);
				return LF_EINPUT;
			}
			if (!n || n->type != YAML_MAPPING_NODE)
				return lf_fail(err, LF_EINPUT, file, n ? (int)n->start_mark.line + 1 : 0,
				               n ? (int)n->start_mark.column + 1 : 0,
				               "--vary path \"%s\": %s must be a mapping", ax->path,
				               *where ? where : "the spec");
			int child = 0;
			for (yaml_node_pair_t *p = n->data.mapping.pairs.start;
			     p < n->data.mapping.pairs.top; p++) {
				yaml_node_t *kn = yaml_document_get_node(doc, p->key);
				if (kn && kn->type == YAML_SCALAR_NODE &&
				    strcmp((const char *)kn->data.scalar.value, s->key) == 0)
					child = p->value;
			}
			int last = i + 1 == ax->n_segs;
			if (!child) {
				/* a known key the document leaves out: add it */
				if (k->list)
					return lf_fail(err, LF_EINPUT, file, 0, 0,
					               "--vary path \"%s\": the spec has no \"%s\" list to index; "
					               "add it to the spec first", ax->path, s->key);
				if (!last && !k->child)
					return lf_fail(err, LF_EINPUT, NULL, 0, 0,
					               "--vary path \"%s\": \"%s\" is a single value, nothing "
					               "lies below it", ax->path, s->key);
				if (!value && last)
					return LF_OK;
				int key_id = add_scalar(doc, s->key);
				int val_id = last ? add_scalar(doc, value)
				                  : yaml_document_add_mapping(doc, NULL,
				                                              YAML_BLOCK_MAPPING_STYLE);
				if (!key_id || !val_id ||
				    !yaml_document_append_mapping_pair(doc, id, key_id, val_id))
					return lf_oom(err);
				if (last)
					return LF_OK;
				child = val_id;
			}
			id = child;
			cur = k;
			sc = k->list ? NULL : k->child;
			if (k->list && i + 1 < ax->n_segs && !ax->segs[i + 1].key)
				sc = k->child;  /* indexed below */
		} else {
			path_prefix(ax, i, where, sizeof where);
			if (!cur || !cur->list || !n || n->type != YAML_SEQUENCE_NODE)
				return lf_fail(err, LF_EINPUT, NULL, 0, 0,
				               "--vary path \"%s\": %s is not a list, [%ld] cannot index it",
				               ax->path, *where ? where : "the spec", s->index);
			long len = (long)(n->data.sequence.items.top - n->data.sequence.items.start);
			if (s->index >= len)
				return lf_fail(err, LF_EINPUT, file, (int)n->start_mark.line + 1,
				               (int)n->start_mark.column + 1,
				               "--vary path \"%s\": index %ld is past the end of %s, which has "
				               "%ld entr%s (indices are 0-based)", ax->path, s->index, where,
				               len, len == 1 ? "y" : "ies");
			id = n->data.sequence.items.start[s->index];
			cur = NULL;
			/* entries of a list of scalars have no keys */
		}
	}
	yaml_node_t *n = yaml_document_get_node(doc, id);
	if (!n || n->type != YAML_SCALAR_NODE || (cur && cur->child) || (cur && cur->list))
		return lf_fail(err, LF_EINPUT, n && file ? file : NULL,
		               n ? (int)n->start_mark.line + 1 : 0, n ? (int)n->start_mark.column + 1 : 0,
		               "--vary path \"%s\" names %s; a sweep sets single values (e.g. "
		               "fabric.tiers[1].link_speed)", ax->path,
		               !n ? "nothing" : n->type == YAML_SEQUENCE_NODE ? "a list"
		               : n->type == YAML_MAPPING_NODE ? "a mapping" : "a section");
	if (!value)
		return LF_OK;
	char *v = strdup(value);
	if (!v)
		return lf_oom(err);
	free(n->data.scalar.value);
	n->data.scalar.value = (yaml_char_t *)v;
	n->data.scalar.length = strlen(v);
	n->data.scalar.style = YAML_ANY_SCALAR_STYLE;
	return LF_OK;
}

/* Check one axis against one base document (nothing is changed). */
static lf_status check_axis(const axis *ax, const base_spec *b, lf_error *err)
{
	lf_ydoc d;
	LF_TRY(lf_ydoc_load(&d, b->name, b->data, b->len, err));
	lf_status st = walk(ax, &d.doc, b->name, NULL, err);
	lf_ydoc_release(&d);
	return st;
}

/* -------------------------------------------------------- building a sweep */

lf_status lf_sweep_add_spec_buffer(lf_sweep *sw, const char *name, const char *data,
                                   size_t len, lf_error *err)
{
	base_spec b = { lf_arena_strdup(&sw->arena, name), malloc(len + 1), len };
	if (!b.name || !b.data) {
		free(b.data);
		return lf_oom(err);
	}
	memcpy(b.data, data, len);
	b.data[len] = 0;
	lf_status st = LF_OK;
	lf_ydoc d;
	/* a base spec must at least be YAML; the rest is the parser's, per point */
	st = lf_ydoc_load(&d, b.name, b.data, b.len, err);
	if (st == LF_OK)
		lf_ydoc_release(&d);
	for (size_t i = 0; st == LF_OK && i < sw->axes.len; i++)
		st = check_axis(LF_VEC_AT(&sw->axes, axis, i), &b, err);
	base_spec *slot = st == LF_OK ? lf_vec_push(&sw->specs) : NULL;
	if (st == LF_OK && !slot)
		st = lf_oom(err);
	if (st != LF_OK) {
		free(b.data);
		return st;
	}
	*slot = b;
	return LF_OK;
}

lf_status lf_sweep_add_spec(lf_sweep *sw, const char *path, lf_error *err)
{
	size_t len;
	char *data = lf_read_file(path, &len, err);
	if (!data)
		return LF_EIO;
	lf_status st = lf_sweep_add_spec_buffer(sw, path, data, len, err);
	free(data);
	return st;
}

static lf_status add_axis(lf_sweep *sw, const char *path, const char *const *values,
                          size_t n, lf_error *err)
{
	axis ax = { .path = lf_arena_strdup(&sw->arena, path) };
	if (!ax.path)
		return lf_oom(err);
	LF_TRY(parse_path(sw, path, &ax, err));
	for (size_t i = 0; i < sw->axes.len; i++)
		if (strcmp(LF_VEC_AT(&sw->axes, axis, i)->path, path) == 0)
			return lf_fail(err, LF_EINPUT, NULL, 0, 0,
			               "--vary path \"%s\" is varied twice; give all its values once",
			               path);
	if (n == 0)
		return lf_fail(err, LF_EINPUT, NULL, 0, 0,
		               "--vary %s: no values (expected PATH=V1,V2,...)", path);
	ax.values = lf_arena_alloc(&sw->arena, n * sizeof(char *));
	if (!ax.values)
		return lf_oom(err);
	for (size_t i = 0; i < n; i++) {
		const char *v = values[i];
		if (!*v)
			return lf_fail(err, LF_EINPUT, NULL, 0, 0,
			               "--vary %s: value %zu is empty (expected PATH=V1,V2,... without "
			               "empty entries)", path, i + 1);
		for (const char *c = v; *c; c++)
			if ((unsigned char)*c < 32)
				return lf_fail(err, LF_EINPUT, NULL, 0, 0,
				               "--vary %s: value %zu has a control character", path, i + 1);
		for (size_t j = 0; j < i; j++)
			if (strcmp(ax.values[j], v) == 0)
				return lf_fail(err, LF_EINPUT, NULL, 0, 0,
				               "--vary %s: value \"%s\" is given twice", path, v);
		if (!(ax.values[i] = lf_arena_strdup(&sw->arena, v)))
			return lf_oom(err);
	}
	ax.n_values = n;
	for (size_t i = 0; i < sw->specs.len; i++)
		LF_TRY(check_axis(&ax, LF_VEC_AT(&sw->specs, base_spec, i), err));
	axis *slot = lf_vec_push(&sw->axes);
	if (!slot)
		return lf_oom(err);
	*slot = ax;
	return LF_OK;
}

lf_status lf_sweep_add_vary(lf_sweep *sw, const char *expr, lf_error *err)
{
	const char *eq = strchr(expr, '=');
	if (!eq)
		return lf_fail(err, LF_EINPUT, NULL, 0, 0,
		               "--vary \"%s\": expected PATH=V1,V2,... (e.g. "
		               "fabric.tiers[1].link_speed=800G,1.6T)", expr);
	char *path = strndup(expr, (size_t)(eq - expr));
	char *vals = strdup(eq + 1);
	const char **list = calloc(strlen(eq + 1) + 2, sizeof(char *));
	lf_status st = LF_OK;
	if (!path || !vals || !list) {
		st = lf_oom(err);
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
		return lf_fail(err, LF_EINPUT, NULL, 0, 0,
		               "--objective \"%s\": expected COLUMN[:min|:max], e.g. capex_usd:min",
		               expr);
	memcpy(name, expr, k);
	name[k] = 0;
	lf_col c = LF_COL_GPUS;
	lf_status st = lf_col_parse(name, &c, err);
	if (st != LF_OK) {
		char m[sizeof err->msg];
		snprintf(m, sizeof m, "%s", err ? err->msg : "");
		return lf_fail(err, LF_EINPUT, NULL, 0, 0, "--objective: %s", m);
	}
	int max = natural_max(c);
	if (colon) {
		if (strcmp(colon + 1, "min") == 0)
			max = 0;
		else if (strcmp(colon + 1, "max") == 0)
			max = 1;
		else
			return lf_fail(err, LF_EINPUT, NULL, 0, 0,
			               "--objective \"%s\": the direction must be min or max, got \"%s\"",
			               expr, colon + 1);
	}
	for (size_t i = 0; i < sw->n_obj; i++)
		if (sw->obj[i].col == c)
			return lf_fail(err, LF_EINPUT, NULL, 0, 0, "--objective %s is given twice", name);
	sw->obj[sw->n_obj++] = (lf_objective){ c, max };
	return LF_OK;
}

lf_status lf_sweep_set_workload(lf_sweep *sw, const char *path, lf_error *err)
{
	lf_workload_free(sw->wl);
	sw->wl = NULL;
	return lf_workload_load(path, &sw->wl, err);
}

lf_status lf_sweep_set_supply(lf_sweep *sw, const char *path, lf_error *err)
{
	lf_supply_scenario_free(sw->sc);
	sw->sc = NULL;
	return lf_supply_load(path, &sw->sc, err);
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
	return lf_arena_strdup(&sw->arena, full);
}

static lf_status load_sweep_file(lf_sweep *sw, lf_ydoc *d, lf_error *err)
{
	static const char *const keys[] = { "spec", "vary", "objectives", "workload", "supply",
	                                    "reliability", "job_gpus" };
	yaml_node_t *root = lf_ydoc_root(d), *n;
	LF_TRY(lf_ycheck_keys(d, root, "sweep", keys, LF_ARRAY_LEN(keys), err));
	const char *s, *p;
	if ((n = lf_yget(d, root, "spec"))) {
		LF_TRY(lf_ystr(d, n, "sweep spec", &s, err));
		if (sw->specs.len == 0) {
			if (!(p = rel_path(sw, d->file, s)))
				return lf_oom(err);
			LF_TRY(lf_sweep_add_spec(sw, p, err));
		}
	}
	if ((n = lf_yget(d, root, "vary"))) {
		LF_TRY(lf_yexpect(d, n, YAML_MAPPING_NODE, "sweep vary", err));
		for (yaml_node_pair_t *pr = n->data.mapping.pairs.start;
		     pr < n->data.mapping.pairs.top; pr++) {
			yaml_node_t *k = lf_ynode(d, pr->key), *v = lf_ynode(d, pr->value);
			const char *path;
			LF_TRY(lf_ystr(d, k, "sweep vary path", &path, err));
			const char *vals[256];
			size_t nv = 0;
			if (v->type == YAML_SEQUENCE_NODE) {
				for (yaml_node_item_t *it = v->data.sequence.items.start;
				     it < v->data.sequence.items.top; it++) {
					if (nv == LF_ARRAY_LEN(vals))
						return lf_yfail(err, d, v, "sweep vary %s: at most %zu values", path,
						                LF_ARRAY_LEN(vals));
					LF_TRY(lf_ystr(d, lf_ynode(d, *it), "sweep vary value", &vals[nv], err));
					nv++;
				}
			} else {
				LF_TRY(lf_ystr(d, v, "sweep vary value", &vals[0], err));
				nv = 1;
			}
			lf_status st = add_axis(sw, path, vals, nv, err);
			if (st == LF_EINPUT && err && err->line == 0) {
				char m[sizeof err->msg];
				snprintf(m, sizeof m, "%s", err->msg);
				return lf_yfail(err, d, k, "%s", m);
			}
			LF_TRY(st);
		}
	}
	if ((n = lf_yget(d, root, "objectives"))) {
		LF_TRY(lf_yexpect(d, n, YAML_SEQUENCE_NODE, "sweep objectives", err));
		for (yaml_node_item_t *it = n->data.sequence.items.start;
		     it < n->data.sequence.items.top; it++) {
			yaml_node_t *o = lf_ynode(d, *it);
			LF_TRY(lf_ystr(d, o, "sweep objective", &s, err));
			if (lf_sweep_add_objective(sw, s, err) != LF_OK) {
				char m[sizeof err->msg];
				snprintf(m, sizeof m, "%s", err->msg);
				return lf_yfail(err, d, o, "%s", m);
			}
		}
	}
	if ((n = lf_yget(d, root, "workload"))) {
		LF_TRY(lf_ystr(d, n, "sweep workload", &s, err));
		if (!(p = rel_path(sw, d->file, s)))
			return lf_oom(err);
		LF_TRY(lf_sweep_set_workload(sw, p, err));
	}
	if ((n = lf_yget(d, root, "supply"))) {
		LF_TRY(lf_ystr(d, n, "sweep supply", &s, err));
		if (!(p = rel_path(sw, d->file, s)))
			return lf_oom(err);
		LF_TRY(lf_sweep_set_supply(sw, p, err));
	}
	int64_t job = 0;
	if ((n = lf_yget(d, root, "job_gpus")))
		LF_TRY(lf_yint(d, n, "sweep job_gpus", 1, INT64_MAX, &job, err));
	if ((n = lf_yget(d, root, "reliability"))) {
		LF_TRY(lf_ystr(d, n, "sweep reliability", &s, err));
		if (strcmp(s, "true") == 0 || strcmp(s, "yes") == 0) {
			LF_TRY(lf_sweep_set_reliability(sw, NULL, job, err));
		} else if (strcmp(s, "false") && strcmp(s, "no")) {
			if (!(p = rel_path(sw, d->file, s)))
				return lf_oom(err);
			LF_TRY(lf_sweep_set_reliability(sw, p, job, err));
		}
	}
	return LF_OK;
}

lf_status lf_sweep_load_file(lf_sweep *sw, const char *path, lf_error *err)
{
	size_t len;
	char *data = lf_read_file(path, &len, err);
	if (!data)
		return LF_EIO;
	const char *file = lf_arena_strdup(&sw->arena, path);
	lf_ydoc d;
	lf_status st = file ? lf_ydoc_load(&d, file, data, len, err) : lf_oom(err);
	if (st == LF_OK) {
		st = load_sweep_file(sw, &d, err);
		lf_ydoc_release(&d);
	}
	free(data);
	return st;
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
	if (c <= LF_COL_TOKENS_PER_S) {
		if (!sw->wl)
			return 0;
		int step = sw->wl->has_training;
		return (c == LF_COL_STEP_S || c == LF_COL_TOKENS_PER_S) ? step : !step;
	}
	if (c <= LF_COL_GOODPUT)
		return sw->want_rel;
	return sw->sc != NULL;
}

static int emit_write(void *ctx, unsigned char *buf, size_t n)
{
	lf_buf_add(ctx, (const char *)buf, n);
	return !((lf_buf *)ctx)->failed;
}

lf_status lf_sweep_point_yaml(const lf_sweep *sw, size_t point, char **out, size_t *len,
                              lf_error *err)
{
	*out = NULL;
	if (point >= lf_sweep_n_points(sw))
		return lf_fail(err, LF_EINTERNAL, NULL, 0, 0, "point %zu out of range", point);
	const base_spec *b = point_base(sw, point);
	lf_ydoc d;
	LF_TRY(lf_ydoc_load(&d, b->name, b->data, b->len, err));
	lf_status st = LF_OK;
	for (size_t a = 0; st == LF_OK && a < sw->axes.len; a++)
		st = walk(LF_VEC_AT(&sw->axes, axis, a), &d.doc, b->name,
		          lf_sweep_point_value(sw, point, a), err);
	if (st != LF_OK) {
		lf_ydoc_release(&d);
		return st;
	}
	lf_buf buf;
	lf_buf_init(&buf);
	yaml_emitter_t em;
	if (!yaml_emitter_initialize(&em)) {
		lf_ydoc_release(&d);
		return lf_oom(err);
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
	lf_ydoc_release(&d);
	if (!ok || buf.failed) {
		lf_buf_release(&buf);
		return buf.failed ? lf_oom(err)
		                  : lf_fail(err, LF_EINTERNAL, NULL, 0, 0, "YAML emitter failed");
	}
	*len = buf.len;
	return lf_buf_finish(&buf, out, err);
}

/* A point's reason: positions in the edited spec mean nothing to the user,
 * positions in other files (workload, catalog) do. */
static void set_reason(lf_sweep_row *row, lf_point_status st, const char *stage,
                       const lf_error *e, const char *spec_name)
{
	row->status = st;
	char buf[2048];
	if (e->file[0] && strcmp(e->file, spec_name) != 0)
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
	lf_status st = lf_sweep_point_yaml(sw, point, &text, &len, &e);
	if (st != LF_OK)
		goto done;
	/* the spec: its parser and resolver judge the point's values (the
	 * catalog files were checked when they were added) */
	lf_load_opts lo = { .catalogs = sw->catalogs.data, .n_catalogs = sw->catalogs.len,
	                    .spec_text = text, .spec_len = len, .spec_name = b->name };
	st = lf_load(&lo, &cat, &spec, &e);
	if (st == LF_EINPUT) {
		set_reason(row, LF_POINT_INVALID, "", &e, b->name);
		st = LF_OK;
		goto done;
	}
	if (st != LF_OK)
		goto done;
	st = lf_plan_build(spec, cat, &plan, &e);
	if (st == LF_EINPUT) {
		set_reason(row, LF_POINT_INFEASIBLE, "plan: ", &e, b->name);
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
	if (sw->wl) {
		lf_sim_config cfg = sw->wl->sim;
		st = lf_workload_simulate(plan, sw->wl, &cfg, NULL, NULL, &rep, &e);
		if (!fatal(st) && st != LF_OK) {
			set_reason(row, LF_POINT_INFEASIBLE, "sim: ", &e, b->name);
			st = LF_OK;
			goto done;
		}
		if (st != LF_OK)
			goto done;
		if (rep->has_step) {
			row->v[LF_COL_STEP_S] = rep->step.step_s;
			row->v[LF_COL_TOKENS_PER_S] = rep->step.tokens_per_s;
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
			set_reason(row, LF_POINT_INFEASIBLE, "reliability: ", &e, b->name);
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
			set_reason(row, LF_POINT_INFEASIBLE, "source: ", &e, b->name);
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
	lf_supply_free(sup);
	lf_reliability_free(rel);
	lf_sim_report_free(rep);
	lf_plan_free(plan);
	lf_spec_free(spec);
	lf_catalog_free(cat);
	free(text);
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

static void render_csv(const lf_sweep *sw, const lf_sweep_row *rows, size_t n, lf_buf *b)
{
	lf_buf_puts(b, "point,spec");
	for (size_t a = 0; a < sw->axes.len; a++) {
		lf_buf_puts(b, ",");
		lf_emit_csv_field(b, LF_VEC_AT(&sw->axes, axis, a)->path);
	}
	lf_buf_puts(b, ",status,reason");
	for (int c = 0; c < LF_COL_COUNT; c++)
		if (lf_sweep_has_column(sw, (lf_col)c))
			lf_buf_printf(b, ",%s", col_names[c]);
	lf_buf_puts(b, ",pareto\n");
	for (size_t i = 0; i < n; i++) {
		const lf_sweep_row *r = &rows[i];
		lf_buf_printf(b, "%llu,", (unsigned long long)r->index);
		lf_emit_csv_field(b, lf_sweep_point_spec(sw, r->index));
		for (size_t a = 0; a < sw->axes.len; a++) {
			lf_buf_puts(b, ",");
			lf_emit_csv_field(b, lf_sweep_point_value(sw, r->index, a));
		}
		lf_buf_printf(b, ",%s,", status_name(r->status));
		lf_emit_csv_field(b, r->reason);
		for (int c = 0; c < LF_COL_COUNT; c++) {
			if (!lf_sweep_has_column(sw, (lf_col)c))
				continue;
			char v[64];
			lf_sweep_format(sw, (lf_col)c, r->v[c], v, sizeof v);
			lf_buf_printf(b, ",%s", v);
		}
		lf_buf_printf(b, ",%d\n", r->pareto ? 1 : 0);
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
		json_array_append_new(a, json_pack("{s:s, s:s}", "column", col_names[obj[i].col],
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
			json_object_set_new(o, col_names[c], value_json(sw, (lf_col)c, r->v[c]));
	json_object_set_new(o, "pareto", json_boolean(r->pareto));
	return o;
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
	json_object_set_new(root, "objectives", objectives_json(sw));
	size_t front = 0;
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(pts, row_json(sw, &rows[i]));
		front += rows[i].pareto ? 1 : 0;
	}
	json_object_set_new(root, "pareto_points", json_integer((json_int_t)front));
	json_object_set_new(root, "points", pts);
	return lf_emit_json_dump(root, JSON_PRESERVE_ORDER, out, err);
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

static void render_table(const lf_sweep *sw, const lf_sweep_row *rows, size_t n, lf_buf *b)
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
						snprintf(cell, sizeof cell, "%s", col_names[c]);
				}
				if (pass == 0) {
					if (strlen(cell) > w[col])
						w[col] = strlen(cell);
				} else {
					int left = col >= 1 && col <= sw->axes.len + 1;
					lf_buf_printf(b, "%s%*s%s", k++ ? "  " : "", left ? 0 : (int)w[col],
					              left ? "" : cell, "");
					if (left)
						lf_buf_printf(b, "%-*s", (int)w[col], cell);
				}
			}
			if (pass == 1)
				lf_buf_puts(b, "\n");
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
	lf_buf_printf(b, "\n%zu points, %zu on the Pareto front (*) over", n, front);
	for (size_t i = 0; i < k; i++)
		lf_buf_printf(b, "%s %s:%s", i ? "," : "", col_names[obj[i].col],
		              obj[i].maximize ? "max" : "min");
	lf_buf_puts(b, "\n");
	if (bad) {
		lf_buf_printf(b, "%zu invalid or infeasible:\n", bad);
		for (size_t i = 0; i < n; i++)
			if (rows[i].status != LF_POINT_OK)
				lf_buf_printf(b, "  #%llu %s: %s\n", (unsigned long long)rows[i].index,
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
		return lf_fail(err, LF_EINPUT, NULL, 0, 0, "a sweep renders as a table, JSON or CSV");
	lf_buf b;
	lf_buf_init(&b);
	if (fmt == LF_FMT_CSV)
		render_csv(sw, rows, n, &b);
	else
		render_table(sw, rows, n, &b);
	return lf_buf_finish(&b, out, err);
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
				json_object_set_new(d, col_names[c], json_null());
				continue;
			}
			json_object_set_new(d, col_names[c],
			                    json_pack("{s:f, s:o}", "delta", b - a, "percent",
			                              a != 0 ? json_real(100 * (b - a) / fabs(a))
			                                     : json_null()));
		}
		json_array_append_new(deltas, d);
	}
	json_object_set_new(root, "objectives", objectives_json(sw));
	json_object_set_new(root, "specs", specs);
	json_object_set_new(root, "deltas", deltas);
	return lf_emit_json_dump(root, JSON_PRESERVE_ORDER, out, err);
}

lf_status lf_compare_render(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                            lf_format fmt, char **out, lf_error *err)
{
	*out = NULL;
	if (fmt == LF_FMT_JSON)
		return compare_json(sw, rows, n, out, err);
	if (fmt != LF_FMT_CSV && fmt != LF_FMT_TABLE)
		return lf_fail(err, LF_EINPUT, NULL, 0, 0, "compare renders as a table, JSON or CSV");
	lf_buf b;
	lf_buf_init(&b);
	int csv = fmt == LF_FMT_CSV;
	char cell[256];
	/* header: metric, one column per spec, then the deltas */
	if (csv) {
		lf_buf_puts(&b, "metric");
		for (size_t i = 0; i < n; i++) {
			lf_buf_puts(&b, ",");
			lf_emit_csv_field(&b, lf_sweep_point_spec(sw, rows[i].index));
		}
		for (size_t i = 1; i < n; i++) {
			snprintf(cell, sizeof cell, "delta %s", lf_sweep_point_spec(sw, rows[i].index));
			lf_buf_puts(&b, ",");
			lf_emit_csv_field(&b, cell);
		}
		lf_buf_puts(&b, "\n");
	} else {
		lf_buf_printf(&b, "%-20s", "metric");
		for (size_t i = 0; i < n; i++) {
			/* the end of a long path says more than its start */
			const char *nm = lf_sweep_point_spec(sw, rows[i].index);
			size_t l = strlen(nm);
			lf_buf_printf(&b, "  %22s", l > 22 ? nm + l - 22 : nm);
		}
		lf_buf_puts(&b, "\n");
	}
	/* rows: status, the figures, pareto */
	for (int c = -1; c <= LF_COL_COUNT; c++) {
		if (c >= 0 && c < LF_COL_COUNT && !lf_sweep_has_column(sw, (lf_col)c))
			continue;
		const char *name = c < 0 ? "status" : c == LF_COL_COUNT ? "pareto" : col_names[c];
		if (csv)
			lf_buf_puts(&b, name);
		else
			lf_buf_printf(&b, "%-20s", name);
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
				lf_buf_puts(&b, ",");
				lf_emit_csv_field(&b, cell);
			} else {
				lf_buf_printf(&b, "  %22s", cell);
			}
		}
		if (csv) {
			for (size_t i = 1; i < n; i++) {
				double a = rows[0].v[c < 0 || c == LF_COL_COUNT ? 0 : c];
				double v = rows[i].v[c < 0 || c == LF_COL_COUNT ? 0 : c];
				cell[0] = 0;
				if (c >= 0 && c < LF_COL_COUNT && isfinite(a) && isfinite(v))
					snprintf(cell, sizeof cell, "%.10g", v - a);
				lf_buf_printf(&b, ",%s", cell);
			}
		}
		lf_buf_puts(&b, "\n");
	}
	if (!csv) {
		lf_buf_puts(&b, "\nspecs:");
		for (size_t i = 0; i < n; i++)
			lf_buf_printf(&b, "%s %s", i ? "," : "", lf_sweep_point_spec(sw, rows[i].index));
		lf_buf_puts(&b, "; deltas in % against the first\n");
		for (size_t i = 0; i < n; i++)
			if (rows[i].status != LF_POINT_OK)
				lf_buf_printf(&b, "%s: %s: %s\n", lf_sweep_point_spec(sw, rows[i].index),
				              status_name(rows[i].status), rows[i].reason);
	}
	return lf_buf_finish(&b, out, err);
}
