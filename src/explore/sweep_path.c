/*
 * sweep_path.c — a sweep's paths (fabric.tiers[1].link_speed, or
 * workload.training.parallel.tp): parsed, and walked in a base spec's or
 * the workload's YAML document, checked against its schema (lfi_spec_schema,
 * the keys spec.c accepts; lfi_workload_schema, workload.c's), to check it
 * or to set a point's value (sweep.c's header has the rules).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "explore.h"
#include "plan.h"
#include "workload.h"

/* ----------------------------------------------------------- path parsing */

lf_status sweep_parse_path(lf_sweep *sw, const char *path, axis *ax, lf_error *err)
{
	lfi_vec v;
	lfi_vec_init(&v, sizeof(seg));
	const char *p = path;
	lf_status st = LF_OK;
	if (!*p)
		st = lfi_fail(err, LF_EINPUT, NULL, 0, 0, "--vary: empty path before '='");
	while (st == LF_OK && *p) {
		size_t k = strcspn(p, ".[");
		if (k == 0) {
			st = lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			              "--vary path \"%s\": expected a key at character %d (paths look like "
			              "fabric.tiers[1].link_speed)", path, (int)(p - path) + 1);
			break;
		}
		for (size_t j = 0; j < k && st == LF_OK; j++)
			if (!(p[j] == '_' || p[j] == '-' || (p[j] >= 'a' && p[j] <= 'z') ||
			      (p[j] >= 'A' && p[j] <= 'Z') || (p[j] >= '0' && p[j] <= '9')))
				st = lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				              "--vary path \"%s\": unexpected '%c' at character %d", path, p[j],
				              (int)(p - path + (long)j) + 1);
		if (st != LF_OK)
			break;
		seg *s = lfi_vec_push(&v);
		char *key = s ? lfi_arena_alloc(&sw->arena, k + 1) : NULL;
		if (!key) {
			st = lfi_oom(err);
			break;
		}
		memcpy(key, p, k);
		s->key = key;
		p += k;
		while (*p == '[') {
			char *e;
			long idx = strtol(p + 1, &e, 10);
			if (e == p + 1 || *e != ']' || idx < 0 || p[1] == '+' || p[1] == '-') {
				st = lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				              "--vary path \"%s\": expected a list index such as [0] at "
				              "character %d", path, (int)(p - path) + 1);
				break;
			}
			s = lfi_vec_push(&v);
			if (!s) {
				st = lfi_oom(err);
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
				st = lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				              "--vary path \"%s\": ends with '.'", path);
		} else if (*p) {
			st = lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			              "--vary path \"%s\": expected '.' or '[' at character %d", path,
			              (int)(p - path) + 1);
		}
	}
	/* workload.X: X in the workload's document */
	seg *first = v.len ? (seg *)v.data : NULL;
	if (st == LF_OK && first && first->key && strcmp(first->key, "workload") == 0) {
		if (v.len == 1 || !first[1].key)
			st = lfi_fail(err, LF_EINPUT, NULL, 0, 0,
			              "--vary path \"%s\" names %s; a sweep sets single values (e.g. "
			              "workload.training.parallel.tp)", path,
			              v.len == 1 ? "the whole workload" : "a list");
		ax->wl = 1;
		memmove(first, first + 1, (v.len - 1) * sizeof(seg));
		v.len--;
	}
	if (st == LF_OK) {
		ax->n_segs = v.len;
		ax->segs = lfi_arena_alloc(&sw->arena, v.len * sizeof(seg) + 1);
		if (!ax->segs)
			st = lfi_oom(err);
		else if (v.len)
			memcpy(ax->segs, v.data, v.len * sizeof(seg));
	}
	lfi_vec_release(&v);
	return st;
}

/* ------------------------------------------------- walking the document */

static void path_prefix(const axis *ax, size_t upto, char *buf, size_t n)
{
	size_t k = 0;
	buf[0] = 0;
	if (ax->wl && upto)
		k = (size_t)snprintf(buf, n, "workload.");
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

/* Walk `ax` in `doc` (the spec's, or the workload's for a workload axis);
 * when `value` is given set the scalar at its end (adding missing keys).
 * Errors name the file and the path. */
lf_status sweep_walk(const axis *ax, yaml_document_t *doc, const char *file,
                      const char *value, lf_error *err)
{
	const lfi_schema *sc = ax->wl ? &lfi_workload_schema : &lfi_spec_schema;
	const char *top = ax->wl ? "the workload" : "the spec";
	int id = 1;               /* root node id */
	const lfi_schema_key *cur = NULL;
	char where[256];
	for (size_t i = 0; i < ax->n_segs; i++) {
		const seg *s = &ax->segs[i];
		yaml_node_t *n = yaml_document_get_node(doc, id);
		path_prefix(ax, i, where, sizeof where);
		if (s->key) {
			if (!sc)
				return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				                "--vary path \"%s\": %s%s is %s, it has no key \"%s\"",
				                ax->path, *where ? "" : top, where,
				                cur && cur->list ? "a list (use [N])" : "a single value",
				                s->key);
			const lfi_schema_key *k = NULL;
			for (size_t j = 0; j < sc->n && !k; j++)
				if (strcmp(sc->keys[j].key, s->key) == 0)
					k = &sc->keys[j];
			if (!k) {
				const char *names[64];
				for (size_t j = 0; j < sc->n; j++)
					names[j] = sc->keys[j].key;
				const char *dym = lf_did_you_mean(s->key, names, sc->n);
				lfi_buf kb;
				lfi_buf_init(&kb);
				for (size_t j = 0; j < sc->n; j++)
					lfi_buf_printf(&kb, "%s%s", j ? ", " : "", names[j]);
				lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				         "--vary path \"%s\": unknown path: %s has no key \"%s\"%s%s%s; keys "
				         "there: %s", ax->path, *where ? where : top, s->key,
				         dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "",
				         kb.data ? kb.data : "");
				lfi_buf_release(&kb);
				return LF_EINPUT;
			}
			if (!n || n->type != YAML_MAPPING_NODE)
				return lfi_fail(err, LF_EINPUT, file, n ? (int)n->start_mark.line + 1 : 0,
				                n ? (int)n->start_mark.column + 1 : 0,
				                "--vary path \"%s\": %s must be a mapping", ax->path,
				                *where ? where : top);
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
					return lfi_fail(err, LF_EINPUT, file, 0, 0,
					                "--vary path \"%s\": %s has no \"%s\" list to index; "
					                "add it to %s first", ax->path, top, s->key, top);
				if (!last && !k->child)
					return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
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
					return lfi_oom(err);
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
				return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
				                "--vary path \"%s\": %s is not a list, [%ld] cannot index it",
				                ax->path, *where ? where : top, s->index);
			long len = (long)(n->data.sequence.items.top - n->data.sequence.items.start);
			if (s->index >= len)
				return lfi_fail(err, LF_EINPUT, file, (int)n->start_mark.line + 1,
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
		return lfi_fail(err, LF_EINPUT, n && file ? file : NULL,
		                n ? (int)n->start_mark.line + 1 : 0, n ? (int)n->start_mark.column + 1 : 0,
		                "--vary path \"%s\" names %s; a sweep sets single values (e.g. %s)",
		                ax->path,
		                !n ? "nothing" : n->type == YAML_SEQUENCE_NODE ? "a list"
		                : n->type == YAML_MAPPING_NODE ? "a mapping" : "a section",
		                ax->wl ? "workload.training.parallel.tp" : "fabric.tiers[1].link_speed");
	if (!value)
		return LF_OK;
	char *v = strdup(value);
	if (!v)
		return lfi_oom(err);
	free(n->data.scalar.value);
	n->data.scalar.value = (yaml_char_t *)v;
	n->data.scalar.length = strlen(v);
	n->data.scalar.style = YAML_ANY_SCALAR_STYLE;
	return LF_OK;
}

/* Check one axis against one base document, a spec's or the workload's
 * (nothing is changed). */
lf_status sweep_check_axis(const axis *ax, const base_spec *b, lf_error *err)
{
	lfi_ydoc d;
	LF_TRY(lfi_ydoc_load(&d, b->name, b->data, b->len, err));
	lf_status st = sweep_walk(ax, &d.doc, b->name, NULL, err);
	lfi_ydoc_release(&d);
	return st;
}
