/*
 * yamldoc.c — YAML input with positions, for every parser in lightfab.
 *
 * libyaml's document API builds the node graph; this file adds typed,
 * checked access to it.  Every accessor reports errors the same way:
 *
 *     file:line:col: <what> must be <expected>, got <found>
 *
 * Lines and columns are 1-based (libyaml's marks are 0-based).  Unknown
 * mapping keys and duplicate keys are errors; unknown keys get a
 * did-you-mean suggestion.  Schema walkers only descend into known keys, so
 * alias cycles cannot make them loop.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core.h"

/* What libyaml stopped at, for "expected ..., found ..." messages. */
static void found_at(const char *data, size_t len, size_t i, char *buf, size_t n)
{
	unsigned char c = i < len ? (unsigned char)data[i] : 0;
	if (i >= len)
		snprintf(buf, n, "the end of the file");
	else if (c == '\t')
		snprintf(buf, n, "a tab");
	else if (c == '\n' || c == '\r')
		snprintf(buf, n, "the end of the line");
	else if (c >= 32 && c < 127)
		snprintf(buf, n, "'%c'", c);
	else
		snprintf(buf, n, "byte 0x%02x", c);
}

/* libyaml's reason, with where the construct began and what was found. */
static lf_status yaml_fail(lf_error *err, const char *file, const yaml_parser_t *p,
                           const char *data, size_t len)
{
	if (p->error == YAML_MEMORY_ERROR)
		return lfi_oom(err);
	const char *what = p->problem ? p->problem : "malformed YAML";
	int line = (int)p->problem_mark.line + 1, col = (int)p->problem_mark.column + 1;
	char f[64], ctx[160] = "";
	if (p->error == YAML_READER_ERROR) {
		/* encoding errors carry a byte offset, not a mark */
		size_t off = p->problem_offset < len ? p->problem_offset : len;
		line = col = 1;
		for (size_t k = 0; k < off; k++, col++)
			if (data[k] == '\n') {
				line++;
				col = 0;
			}
		found_at(data, len, off, f, sizeof f);
		return lfi_fail(err, LF_EINPUT, file, line, col,
		                "invalid YAML: %s: expected UTF-8 text, found %s", what, f);
	}
	found_at(data, len, p->problem_mark.index, f, sizeof f);
	if (p->context && (p->context_mark.line != p->problem_mark.line ||
	                   p->context_mark.column != p->problem_mark.column))
		snprintf(ctx, sizeof ctx, " %s that began at line %d, column %d", p->context,
		         (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
	else if (p->context)
		snprintf(ctx, sizeof ctx, " %s", p->context);
	size_t i = p->problem_mark.index;
	if (i < len && data[i] == '\t' && strstr(what, "cannot start any token"))
		return lfi_fail(err, LF_EINPUT, file, line, col,
		                "invalid YAML: found a tab; indent with spaces, tabs are not allowed");
	if (p->context && strstr(p->context, "quoted scalar") && strstr(what, "end of stream"))
		return lfi_fail(err, LF_EINPUT, file, line, col,
		                "invalid YAML: expected the closing quote of the string that began at "
		                "line %d, column %d, found the end of the file",
		                (int)p->context_mark.line + 1, (int)p->context_mark.column + 1);
	if (strstr(what, "mapping values are not allowed"))
		return lfi_fail(err, LF_EINPUT, file, line, col,
		                "invalid YAML: found ':' where no mapping can start%s (check the "
		                "indentation of this line, or quote a value that contains \": \")", ctx);
	if (strstr(what, "did not find expected") || strstr(what, "cannot start any token"))
		return lfi_fail(err, LF_EINPUT, file, line, col, "invalid YAML: %s%s, found %s", what,
		                ctx, f);
	return lfi_fail(err, LF_EINPUT, file, line, col, "invalid YAML: %s%s", what, ctx);
}

/* ------------------------------------------------------------ the pre-pass
 *
 * Before the document is built, one pass over libyaml's events checks two
 * things the document API cannot bound by itself:
 *   - nesting depth: libyaml is quadratic in the depth of nested flow
 *     collections (60,000 '[' took 9-17 s), so the pass stops at the first
 *     collection deeper than lf_limits.depth, a few hundred bytes in;
 *   - size: every node counts a work unit (lfi_work_check), and an alias
 *     the nodes of what it names, so "- *big" repeated (or aliases of
 *     aliases: billion laughs) counts as the copies the parsers would
 *     walk.  The document API costs ~180 bytes a node (a 10 MB list of
 *     1.6 M nodes took 280 MB), so the default 8 M units bound a document
 *     to ~1.4 GB however large the file cap.
 * Anchors are found through a small open-addressing table, so many anchors
 * and aliases stay linear.  A syntax error stops the pass; the loader below
 * then reports it with its position. */
typedef struct anchor { char *name; uint64_t size; } anchor;
typedef struct open_coll { uint64_t start; char *anchor; } open_coll;

static uint64_t sat_add(uint64_t a, uint64_t b)
{
	return a > UINT64_MAX - b ? UINT64_MAX : a + b;
}

static size_t anchor_slot(const lfi_vec *tab, const lfi_vec *anchors, const char *name)
{
	uint64_t h = 1469598103934665603ull;
	for (const unsigned char *c = (const unsigned char *)name; *c; c++)
		h = (h ^ *c) * 1099511628211ull;
	size_t mask = tab->len - 1, i = (size_t)h & mask;
	for (;;) {
		uint32_t k = *LF_VEC_AT(tab, uint32_t, i);
		if (!k || !strcmp(LF_VEC_AT(anchors, anchor, k - 1)->name, name))
			return i;
		i = (i + 1) & mask;
	}
}

/* Record (or redefine) an anchor, taking `name`; false when out of memory
 * (the caller then frees `name`). */
static bool anchor_put(lfi_vec *tab, lfi_vec *anchors, char *name, uint64_t size)
{
	if ((anchors->len + 1) * 2 > tab->len) {
		size_t n = tab->len ? tab->len * 2 : 64;
		lfi_vec t2;
		lfi_vec_init(&t2, sizeof(uint32_t));
		if (!lfi_vec_reserve(&t2, n))
			return false;
		memset(t2.data, 0, n * sizeof(uint32_t));
		t2.len = n;
		for (size_t k = 0; k < anchors->len; k++)
			*LF_VEC_AT(&t2, uint32_t, anchor_slot(&t2, anchors,
			           LF_VEC_AT(anchors, anchor, k)->name)) = (uint32_t)k + 1;
		lfi_vec_release(tab);
		*tab = t2;
	}
	size_t i = anchor_slot(tab, anchors, name);
	uint32_t k = *LF_VEC_AT(tab, uint32_t, i);
	if (k) {   /* redefined: the later one counts, the name is already held */
		LF_VEC_AT(anchors, anchor, k - 1)->size = size;
		free(name);
		return true;
	}
	anchor *a = lfi_vec_push(anchors);
	if (!a)
		return false;
	a->name = name;
	a->size = size;
	*LF_VEC_AT(tab, uint32_t, i) = (uint32_t)anchors->len;
	return true;
}

static lf_status prepass(const char *file, const char *data, size_t len, lf_error *err)
{
	lf_limits lim = lf_limits_get();
	yaml_parser_t p;
	if (!yaml_parser_initialize(&p))
		return lfi_oom(err);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	lfi_vec stack, anchors, tab;
	lfi_vec_init(&stack, sizeof(open_coll));
	lfi_vec_init(&anchors, sizeof(anchor));
	lfi_vec_init(&tab, sizeof(uint32_t));
	uint64_t nodes = 0;   /* with aliases expanded */
	lf_status st = LF_OK;
	bool done = false, oom = false;
	yaml_mark_t deep = { 0 };
	while (st == LF_OK && !done && !oom) {
		yaml_event_t ev;
		if (!yaml_parser_parse(&p, &ev))
			break;   /* the loader reports the syntax error */
		char *name = NULL;
		uint64_t size = 0;
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_SCALAR_EVENT:
			nodes = sat_add(nodes, 1);
			name = (char *)ev.data.scalar.anchor;
			size = 1;
			ev.data.scalar.anchor = NULL;
			break;
		case YAML_ALIAS_EVENT: {
			size_t i = tab.len ? anchor_slot(&tab, &anchors, (char *)ev.data.alias.anchor) : 0;
			uint32_t k = tab.len ? *LF_VEC_AT(&tab, uint32_t, i) : 0;
			nodes = sat_add(nodes, k ? LF_VEC_AT(&anchors, anchor, k - 1)->size : 1);
			break;
		}
		case YAML_SEQUENCE_START_EVENT:
		case YAML_MAPPING_START_EVENT: {
			nodes = sat_add(nodes, 1);
			if (stack.len >= lim.depth) {
				deep = ev.start_mark;
				st = LF_EINPUT;
				break;
			}
			open_coll *o = lfi_vec_push(&stack);
			if (!o) {
				oom = true;
				break;
			}
			o->start = nodes - 1;
			o->anchor = (char *)(ev.type == YAML_SEQUENCE_START_EVENT
			                     ? ev.data.sequence_start.anchor
			                     : ev.data.mapping_start.anchor);
			if (ev.type == YAML_SEQUENCE_START_EVENT)
				ev.data.sequence_start.anchor = NULL;
			else
				ev.data.mapping_start.anchor = NULL;
			break;
		}
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			if (stack.len) {
				open_coll *o = LF_VEC_AT(&stack, open_coll, --stack.len);
				name = o->anchor;
				size = nodes - o->start;
			}
			break;
		default:
			break;
		}
		if (name && !anchor_put(&tab, &anchors, name, size)) {
			free(name);
			oom = true;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&p);
	for (size_t i = 0; i < stack.len; i++)
		free(LF_VEC_AT(&stack, open_coll, i)->anchor);
	for (size_t i = 0; i < anchors.len; i++)
		free(LF_VEC_AT(&anchors, anchor, i)->name);
	lfi_vec_release(&stack);
	lfi_vec_release(&anchors);
	lfi_vec_release(&tab);
	if (oom)
		return lfi_oom(err);
	if (st != LF_OK)
		return lfi_fail(err, LF_EINPUT, file, (int)deep.line + 1, (int)deep.column + 1,
		                "invalid YAML: lists and mappings nested more than %u deep; expected "
		                "at most %u levels", lim.depth, lim.depth);
	return lfi_work_check(nodes, "the YAML document (a unit a node, aliases expanded)", file,
	                      0, 0, err);
}

lf_status lfi_ydoc_load(lfi_ydoc *d, const char *file, const char *data, size_t len,
                        lf_error *err)
{
	memset(d, 0, sizeof *d);
	d->file = file;
	yaml_parser_t p;
	LF_TRY(prepass(file, data, len, err));
	if (!yaml_parser_initialize(&p))
		return lfi_oom(err);
	yaml_parser_set_input_string(&p, (const unsigned char *)data, len);
	if (!yaml_parser_load(&p, &d->doc)) {
		lf_status st = yaml_fail(err, file, &p, data, len);
		yaml_parser_delete(&p);
		return st;
	}
	d->loaded = true;
	if (!yaml_document_get_root_node(&d->doc)) {
		yaml_parser_delete(&p);
		lfi_ydoc_release(d);
		return lfi_fail(err, LF_EINPUT, file, 1, 1,
		                "document is empty: expected a mapping of settings");
	}
	/* one document per file: a second one would be silently ignored */
	yaml_document_t next;
	lf_status st = LF_OK;
	if (!yaml_parser_load(&p, &next)) {
		st = yaml_fail(err, file, &p, data, len);
	} else {
		yaml_node_t *root = yaml_document_get_root_node(&next);
		if (root)
			st = lfi_fail(err, LF_EINPUT, file, (int)next.start_mark.line + 1,
			              (int)next.start_mark.column + 1,
			              "expected one YAML document, found a second one starting "
			              "here; put all the settings in one document");
		yaml_document_delete(&next);
	}
	yaml_parser_delete(&p);
	if (st != LF_OK)
		lfi_ydoc_release(d);
	return st;
}

void lfi_ydoc_release(lfi_ydoc *d)
{
	if (d->loaded)
		yaml_document_delete(&d->doc);
	d->loaded = false;
}

yaml_node_t *lfi_ydoc_root(lfi_ydoc *d)
{
	return yaml_document_get_root_node(&d->doc);
}

yaml_node_t *lfi_ynode(lfi_ydoc *d, int id)
{
	return yaml_document_get_node(&d->doc, id);
}

lf_pos lfi_ypos(const lfi_ydoc *d, const yaml_node_t *n)
{
	lf_pos p = { d->file, 0, 0 };
	if (n) {
		p.line = (int)n->start_mark.line + 1;
		p.col = (int)n->start_mark.column + 1;
	}
	return p;
}

const char *lfi_ykind(const yaml_node_t *n)
{
	if (!n)
		return "nothing";
	switch (n->type) {
	case YAML_SCALAR_NODE:
		return n->data.scalar.length ? "a scalar" : "an empty value";
	case YAML_SEQUENCE_NODE: return "a list";
	case YAML_MAPPING_NODE: return "a mapping";
	default: return "nothing";
	}
}

lf_status lfi_yfail(lf_error *err, const lfi_ydoc *d, const yaml_node_t *n,
                    const char *fmt, ...)
{
	lf_pos p = lfi_ypos(d, n);
	va_list ap;
	va_start(ap, fmt);
	lfi_failv(err, LF_EINPUT, p.file, p.line, p.col, fmt, ap);
	va_end(ap);
	return LF_EINPUT;
}

const char *lfi_yscalar(const yaml_node_t *n)
{
	if (!n || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* A short, printable rendering of what the user wrote, for messages. */
static void found(const yaml_node_t *n, char *buf, size_t len)
{
	const char *s = lfi_yscalar(n);
	if (!s || !*s) {
		snprintf(buf, len, "%s", lfi_ykind(n));
		return;
	}
	size_t k = 0;
	buf[k++] = '"';
	for (; *s && k + 5 < len; s++)
		buf[k++] = (*s >= 32 && *s < 127) ? *s : '?';
	if (*s && k + 4 < len) {
		memcpy(buf + k, "...", 3);
		k += 3;
	}
	buf[k++] = '"';
	buf[k] = 0;
}

lf_status lfi_yexpect(lfi_ydoc *d, yaml_node_t *n, yaml_node_type_t t, const char *what,
                      lf_error *err)
{
	if (n->type == t)
		return LF_OK;
	char f[96];
	found(n, f, sizeof f);
	const char *want = t == YAML_MAPPING_NODE ? "a mapping"
	                 : t == YAML_SEQUENCE_NODE ? "a list" : "a single value";
	return lfi_yfail(err, d, n, "%s must be %s, got %s", what, want, f);
}

yaml_node_t *lfi_yget(lfi_ydoc *d, yaml_node_t *map, const char *key)
{
	if (!map || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		const char *k = lfi_yscalar(lfi_ynode(d, p->key));
		if (k && strcmp(k, key) == 0)
			return lfi_ynode(d, p->value);
	}
	return NULL;
}

lf_status lfi_ycheck_keys(lfi_ydoc *d, yaml_node_t *map, const char *what,
                          const char *const *keys, size_t n, lf_error *err)
{
	LF_TRY(lfi_yexpect(d, map, YAML_MAPPING_NODE, what, err));
	for (yaml_node_pair_t *p = map->data.mapping.pairs.start;
	     p < map->data.mapping.pairs.top; p++) {
		yaml_node_t *kn = lfi_ynode(d, p->key);
		const char *k = lfi_yscalar(kn);
		if (!k)
			return lfi_yfail(err, d, kn, "%s keys must be plain names, got %s", what,
			                 lfi_ykind(kn));
		bool known = false;
		for (size_t i = 0; i < n && !known; i++)
			known = strcmp(k, keys[i]) == 0;
		if (!known) {
			char f[96];
			found(kn, f, sizeof f);
			const char *s = lf_did_you_mean(k, keys, n);
			if (s)
				return lfi_yfail(err, d, kn, "unknown key %s in %s (did you mean \"%s\"?)",
				                 f, what, s);
			lfi_buf b;
			lfi_buf_init(&b);
			for (size_t i = 0; i < n; i++)
				lfi_buf_printf(&b, "%s%s", i ? ", " : "", keys[i]);
			lf_status st = lfi_yfail(err, d, kn, "unknown key %s in %s (expected one of: %s)",
			                         f, what, b.data ? b.data : "");
			lfi_buf_release(&b);
			return st;
		}
		for (yaml_node_pair_t *q = map->data.mapping.pairs.start; q < p; q++) {
			const char *k2 = lfi_yscalar(lfi_ynode(d, q->key));
			if (k2 && strcmp(k, k2) == 0) {
				lf_pos first = lfi_ypos(d, lfi_ynode(d, q->key));
				return lfi_yfail(err, d, kn, "duplicate key \"%s\" in %s (first at line %d)",
				                 k, what, first.line);
			}
		}
	}
	return LF_OK;
}

lf_status lfi_ycheck_schema(lfi_ydoc *d, yaml_node_t *map, const lfi_schema *s, const char *what,
                            lf_error *err)
{
	const char *keys[64];
	size_t n = s->n < LF_ARRAY_LEN(keys) ? s->n : LF_ARRAY_LEN(keys);
	for (size_t i = 0; i < n; i++)
		keys[i] = s->keys[i].key;
	return lfi_ycheck_keys(d, map, what ? what : s->what, keys, n, err);
}

lf_status lfi_yrequire(lfi_ydoc *d, yaml_node_t *map, const char *key, const char *what,
                       yaml_node_t **out, lf_error *err)
{
	*out = lfi_yget(d, map, key);
	if (!*out)
		return lfi_yfail(err, d, map, "%s needs \"%s\"", what, key);
	return LF_OK;
}

static lf_status scalar(lfi_ydoc *d, yaml_node_t *n, const char *what, const char *expected,
                        const char **out, lf_error *err)
{
	const char *s = lfi_yscalar(n);
	if (!s || !*s || strlen(s) != n->data.scalar.length)
		return lfi_yfail(err, d, n, "%s must be %s, got %s", what, expected,
		                 n->type == YAML_SCALAR_NODE && n->data.scalar.length
		                        ? "a value with a NUL byte" : lfi_ykind(n));
	*out = s;
	return LF_OK;
}

lf_status lfi_ystr(lfi_ydoc *d, yaml_node_t *n, const char *what, const char **out,
                   lf_error *err)
{
	return scalar(d, n, what, "a string", out, err);
}

lf_status lfi_yint(lfi_ydoc *d, yaml_node_t *n, const char *what, int64_t lo, int64_t hi,
                   int64_t *out, lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "a whole number", &s, err));
	found(n, f, sizeof f);
	lfi_int_parse pr = lfi_parse_int_ex(s, out);
	/* digits but too many of them: say which range is allowed */
	if (pr == LF_INT_RANGE)
		return lfi_yfail(err, d, n, "%s must be between %lld and %lld, got %s", what,
		                 (long long)lo, (long long)hi, f);
	if (pr != LF_INT_OK) {
		if (strpbrk(s, "_,") && strpbrk(s, "0123456789"))
			return lfi_yfail(err, d, n, "%s must be a whole number, digits grouped in "
			                 "threes (16_384 or 16,384), got %s", what, f);
		return lfi_yfail(err, d, n, "%s must be a whole number, got %s", what, f);
	}
	if (*out < lo || *out > hi)
		return lfi_yfail(err, d, n, "%s must be between %lld and %lld, got %s", what,
		                 (long long)lo, (long long)hi, f);
	return LF_OK;
}

lf_status lfi_ydouble(lfi_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                      double *out, lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "a number", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_double(s, out))
		return lfi_yfail(err, d, n, "%s must be a number, got %s", what, f);
	if (*out < lo || *out > hi)
		return lfi_yfail(err, d, n, "%s must be between %g and %g, got %s", what, lo, hi, f);
	return LF_OK;
}

lf_status lfi_ygbps(lfi_ydoc *d, yaml_node_t *n, const char *what, int *out, lf_error *err)
{
	const char *s;
	char f[96];
	double g;
	LF_TRY(scalar(d, n, what, "a speed with its unit (e.g. 400G, 1.6T)", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_gbps(s, &g))
		return lfi_yfail(err, d, n,
		                 "%s must be a speed with its unit (e.g. 400G, 1.6T), got %s",
		                 what, f);
	if (g < 1 || g > 1e6 || g != floor(g))
		return lfi_yfail(err, d, n, "%s must be a whole number of Gb/s from 1G to 1000T, got %s",
		                 what, f);
	*out = (int)g;
	return LF_OK;
}

lf_status lfi_ylength(lfi_ydoc *d, yaml_node_t *n, const char *what, double *out,
                      lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "a length with its unit (e.g. 30m, 2km)", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_length_m(s, out))
		return lfi_yfail(err, d, n, "%s must be a length with its unit (e.g. 30m, 2km), got %s",
		                 what, f);
	if (*out <= 0 || *out > 100000)
		return lfi_yfail(err, d, n, "%s must be more than 0 m and at most 100 km, got %s",
		                 what, f);
	return LF_OK;
}

lf_status lfi_ymonth(lfi_ydoc *d, yaml_node_t *n, const char *what, int *out, lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "a month as YYYY-MM", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_month(s, out))
		return lfi_yfail(err, d, n, "%s must be a month as YYYY-MM (e.g. 2026-03), got %s",
		                 what, f);
	return LF_OK;
}

lf_status lfi_yratio(lfi_ydoc *d, yaml_node_t *n, const char *what, double *out,
                     lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "a ratio such as 1:1 or 3:1", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_ratio(s, out))
		return lfi_yfail(err, d, n, "%s must be a ratio such as 1:1 or 3:1, got %s", what, f);
	if (*out < 1 || *out > 64)
		return lfi_yfail(err, d, n, "%s must be >= 1 (1:1 is non-blocking) and <= 64, got %s",
		                 what, f);
	return LF_OK;
}

lf_status lfi_ybytes(lfi_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                     double *out, lf_error *err)
{
	const char *s;
	char f[96], a[32], b[32];
	LF_TRY(scalar(d, n, what, "a size with its unit (e.g. 8B, 4MiB, 1GiB)", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_bytes(s, out))
		return lfi_yfail(err, d, n, "%s must be a size with its unit (B, KB, MB, GB, KiB, MiB, "
		                 "GiB, TiB; e.g. 8B, 4MiB, 1GiB), got %s", what, f);
	if (*out < lo || *out > hi) {
		lfi_format_bytes(lo, a, sizeof a);
		lfi_format_bytes(hi, b, sizeof b);
		return lfi_yfail(err, d, n, "%s must be between %s and %s, got %s", what, a, b, f);
	}
	return LF_OK;
}

lf_status lfi_yseconds(lfi_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                       double *out, lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "a duration with its unit (e.g. 5us, 1.2ms, 0.8s)", &s, err));
	found(n, f, sizeof f);
	if (!lfi_parse_seconds(s, out))
		return lfi_yfail(err, d, n, "%s must be a duration with its unit (ns, us, ms, s, min; "
		                 "e.g. 5us, 1.2ms, 0.8s), got %s", what, f);
	if (*out < lo || *out > hi)
		return lfi_yfail(err, d, n, "%s must be between %g s and %g s, got %s", what, lo, hi, f);
	return LF_OK;
}

lf_status lfi_ybool(lfi_ydoc *d, yaml_node_t *n, const char *what, bool *out, lf_error *err)
{
	static const char *const names[] = { "false", "true", "no", "yes", "off", "on" };
	int i;
	LF_TRY(lfi_yenum(d, n, what, names, LF_ARRAY_LEN(names), &i, err));
	*out = i % 2 == 1;
	return LF_OK;
}

lf_status lfi_yenum(lfi_ydoc *d, yaml_node_t *n, const char *what,
                    const char *const *names, size_t n_names, int *out, lf_error *err)
{
	const char *s;
	char f[96];
	LF_TRY(scalar(d, n, what, "one of the listed names", &s, err));
	for (size_t i = 0; i < n_names; i++)
		if (strcmp(s, names[i]) == 0) {
			*out = (int)i;
			return LF_OK;
		}
	found(n, f, sizeof f);
	lfi_buf b;
	lfi_buf_init(&b);
	for (size_t i = 0; i < n_names; i++)
		lfi_buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
	const char *s2 = lf_did_you_mean(s, names, n_names);
	lf_status st;
	if (s2)
		st = lfi_yfail(err, d, n, "%s must be one of %s, got %s (did you mean \"%s\"?)", what,
		               b.data ? b.data : "", f, s2);
	else
		st = lfi_yfail(err, d, n, "%s must be one of %s, got %s", what,
		               b.data ? b.data : "", f);
	lfi_buf_release(&b);
	return st;
}
