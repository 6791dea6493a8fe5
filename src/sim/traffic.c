/*
 * traffic.c — the `traffic:` section of a workload: a traffic matrix of
 * point-to-point flows, given as a list, a CSV file, or a generator.
 *
 *   traffic: {file: perm.csv}                  # CSV: src,dst,bytes[,start_us]
 *   traffic: [{src: 0, dst: 5, bytes: 2MiB, start: 10us}, ...]
 *   traffic: {permutation: {seed: 7}, bytes: 2MiB}
 *   traffic: {all-to-all: {}, bytes: 1MiB}     # every ordered pair, at once
 *   traffic: {incast: 32, bytes: 1MiB}         # ranks 1..32 -> rank 0
 *   traffic: {shift: 1, bytes: 2MiB}           # rank i -> rank i+K mod n
 *   traffic: {random: {flows: 10000, seed: 3}, bytes: 64KiB}
 *
 * Ranks are the job's GPU ranks (workload.c's placement), or `server:gpu`:
 * the job's server s (0-based, in the job's order) and local GPU g, i.e.
 * rank s*G + g.  Ranks are checked against the job when it runs (the job's
 * size is known only then), and every error points at the file, line and
 * column of the offending field.
 *
 * CSV (RFC 4180 without quoting: no field here needs it): a header naming
 * the columns in any order, `src`, `dst`, `bytes` required, `start_us`
 * optional; blank lines and lines starting with '#' are skipped; bytes are
 * a plain number of bytes or a size with its unit (2MiB); start_us a number
 * of microseconds >= 0.  The file is refused above LF_TRAFFIC_MAX_FILE
 * bytes before it is read.  Hand-written rather than libcsv (not in
 * Debian 12's main archive as a -dev package we ship against): four
 * unquoted columns, and the parser must report line:col for every field.
 *
 * Generators are expanded at run time (lfi_traffic_expand), seeded with
 * splitmix64 (lfi_hash64) so a seed gives the same flows on every machine.
 * `permutation` is a random derangement (Sattolo's algorithm: one cycle
 * through every rank, so no rank sends to itself and every rank receives
 * exactly once), the pattern of packet-simulator permutation benchmarks.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "workload.h"
#include "sim.h"

/* The traffic section's keys as a tree: the one list the parser checks and
 * that sweep's workload paths are checked against.  The first N_SOURCES
 * keys are the flows' sources, of which a section gives one. */
#define N_SOURCES 7
static const lfi_schema_key random_keys[] = { { "flows", NULL, 0 }, { "seed", NULL, 0 } };
static const lfi_schema permutation_s = { "traffic permutation", 1, random_keys + 1 };
static const lfi_schema random_s = { "traffic random", 2, random_keys };
static const lfi_schema alltoall_s = { "traffic all-to-all", 0, random_keys };
static const lfi_schema_key traffic_keys[] = {
	{ "file", NULL, 0 }, { "flows", NULL, 1 }, { "permutation", &permutation_s, 0 },
	{ "all-to-all", &alltoall_s, 0 }, { "incast", NULL, 0 }, { "shift", NULL, 0 },
	{ "random", &random_s, 0 }, { "bytes", NULL, 0 }, { "start", NULL, 0 },
};
const lfi_schema lfi_traffic_schema = { "traffic", LF_ARRAY_LEN(traffic_keys), traffic_keys };

static const char *const gen_names[] = { "permutation", "all-to-all", "incast", "shift",
                                         "random" };

const char *lf_traffic_kind_name(lf_traffic_kind k)
{
	static const char *const n[] = { "list", "permutation", "all-to-all", "incast", "shift",
	                                 "random" };
	return (unsigned)k < LF_ARRAY_LEN(n) ? n[k] : "?";
}

/* ----------------------------------------------------------------- ranks */

/* "17" or "3:5" (server:gpu); false when neither. */
static bool parse_rank(const char *s, size_t n, int64_t *rank, int32_t *gpu)
{
	char tmp[48];
	if (n == 0 || n >= sizeof tmp)
		return false;
	memcpy(tmp, s, n);
	tmp[n] = 0;
	char *colon = strchr(tmp, ':');
	int64_t a, b;
	if (!colon) {
		if (!lfi_parse_int(tmp, &a) || a < 0)
			return false;
		*rank = a;
		*gpu = -1;
		return true;
	}
	*colon = 0;
	if (!lfi_parse_int(tmp, &a) || !lfi_parse_int(colon + 1, &b) || a < 0 || b < 0 ||
	    b > INT32_MAX)
		return false;
	*rank = a;
	*gpu = (int32_t)b;
	return true;
}

/* ------------------------------------------------------------------- CSV */

enum { COL_SRC, COL_DST, COL_BYTES, COL_START, N_COLS };
static const char *const col_names[N_COLS] = { "src", "dst", "bytes", "start_us" };

typedef struct field { const char *p; size_t n; int col; } field;

/* Split one line (without its end) into comma-separated, space-trimmed
 * fields; at most `max` (more: *n = max + 1). */
static void split(const char *p, size_t len, field *f, size_t max, size_t *n)
{
	size_t k = 0, i = 0;
	for (;;) {
		size_t start = i;
		while (i < len && p[i] != ',')
			i++;
		size_t a = start, b = i;
		while (a < b && (p[a] == ' ' || p[a] == '\t'))
			a++;
		while (b > a && (p[b - 1] == ' ' || p[b - 1] == '\t'))
			b--;
		if (k < max)
			f[k] = (field){ p + a, b - a, (int)a + 1 };
		k++;
		if (i >= len || k > max)
			break;
		i++;
	}
	*n = k;
}

static lf_status csv_fail(lf_error *err, const char *file, int line, int col,
                          const char *what, const field *f)
{
	return lfi_fail(err, LF_EINPUT, file, line, col, "%s, got \"%.*s\"", what,
	                (int)(f->n > 60 ? 60 : f->n), f->p);
}

lf_status lf_traffic_parse_csv(const char *file, const char *data, size_t len,
                               lf_traffic_flow **out, size_t *n_out, lf_error *err)
{
	*out = NULL;
	*n_out = 0;
	lfi_vec v;
	lfi_vec_init(&v, sizeof(lf_traffic_flow));
	int map[N_COLS + 1];           /* field index -> column, for the header's fields */
	size_t n_hdr = 0;
	bool have_header = false;
	int line = 0;
	lf_status st = LF_OK;
	size_t pos = 0;
	while (pos < len && st == LF_OK) {
		const char *p = data + pos;
		const char *nl = memchr(p, '\n', len - pos);
		size_t l = nl ? (size_t)(nl - p) : len - pos;
		pos += l + (nl ? 1 : 0);
		line++;
		if (l && p[l - 1] == '\r')
			l--;
		if (memchr(p, 0, l)) {
			st = lfi_fail(err, LF_EINPUT, file, line, (int)((const char *)memchr(p, 0, l) - p) + 1,
			              "a CSV traffic file is text, found a NUL byte");
			break;
		}
		size_t blank = 0;
		while (blank < l && (p[blank] == ' ' || p[blank] == '\t'))
			blank++;
		if (blank == l || p[blank] == '#')
			continue;
		field f[N_COLS + 1];
		size_t nf;
		split(p, l, f, N_COLS, &nf);
		if (!have_header) {
			bool seen[N_COLS] = { false };
			if (nf > N_COLS) {
				st = lfi_fail(err, LF_EINPUT, file, line, 1, "the header has more than %d "
				              "columns; expected src,dst,bytes and optionally start_us",
				              N_COLS);
				break;
			}
			for (size_t k = 0; k < nf && st == LF_OK; k++) {
				int c = -1;
				for (int j = 0; j < N_COLS; j++)
					if (strlen(col_names[j]) == f[k].n && !memcmp(col_names[j], f[k].p, f[k].n))
						c = j;
				if (c < 0) {
					char name[64];
					snprintf(name, sizeof name, "%.*s", (int)(f[k].n > 60 ? 60 : f[k].n),
					         f[k].p);
					const char *dym = lf_did_you_mean(name, col_names, N_COLS);
					st = lfi_fail(err, LF_EINPUT, file, line, f[k].col, "unknown column "
					              "\"%s\"%s%s%s; the header names src, dst, bytes and "
					              "optionally start_us", name, dym ? " (did you mean \"" : "",
					              dym ? dym : "", dym ? "\"?)" : "");
				} else if (seen[c]) {
					st = lfi_fail(err, LF_EINPUT, file, line, f[k].col,
					              "duplicate column \"%s\" in the header", col_names[c]);
				} else {
					seen[c] = true;
					map[k] = c;
				}
			}
			for (int j = 0; j < COL_START && st == LF_OK; j++)
				if (!seen[j])
					st = lfi_fail(err, LF_EINPUT, file, line, 1, "the header has no \"%s\" "
					              "column; expected src,dst,bytes and optionally start_us "
					              "(got \"%.*s\")", col_names[j], (int)(l > 80 ? 80 : l), p);
			n_hdr = nf;
			have_header = true;
			continue;
		}
		if (nf != n_hdr) {
			st = lfi_fail(err, LF_EINPUT, file, line, nf > n_hdr ? f[n_hdr].col - 1 : (int)l + 1,
			              "expected %zu fields as in the header, found %s%zu", n_hdr,
			              nf > n_hdr ? "more than " : "", nf > n_hdr ? n_hdr : nf);
			break;
		}
		lf_traffic_flow *t = lfi_vec_push(&v);
		if (!t) {
			st = lfi_oom(err);
			break;
		}
		t->line = (uint32_t)line;
		for (size_t k = 0; k < nf && st == LF_OK; k++) {
			const field *x = &f[k];
			char tmp[64];
			double d;
			switch (map[k]) {
			case COL_SRC:
			case COL_DST: {
				int64_t r;
				int32_t g;
				if (!parse_rank(x->p, x->n, &r, &g)) {
					st = csv_fail(err, file, line, x->col, map[k] == COL_SRC
					              ? "src must be a rank (0, 1, ...) or server:gpu"
					              : "dst must be a rank (0, 1, ...) or server:gpu", x);
					break;
				}
				if (map[k] == COL_SRC) {
					t->src = r;
					t->src_gpu = g;
					t->src_col = (uint16_t)(x->col > 65535 ? 65535 : x->col);
				} else {
					t->dst = r;
					t->dst_gpu = g;
					t->dst_col = (uint16_t)(x->col > 65535 ? 65535 : x->col);
				}
				break;
			}
			case COL_BYTES:
				snprintf(tmp, sizeof tmp, "%.*s", (int)(x->n > 63 ? 63 : x->n), x->p);
				if (x->n >= sizeof tmp ||
				    (!lfi_parse_bytes(tmp, &d) && !lfi_parse_double(tmp, &d)) || !(d > 0) ||
				    d > 1e15)
					st = csv_fail(err, file, line, x->col, "bytes must be a size > 0 and at "
					              "most 1e15 (a number of bytes, or with a unit: 2MiB)", x);
				else
					t->bytes = d;
				break;
			case COL_START:
				snprintf(tmp, sizeof tmp, "%.*s", (int)(x->n > 63 ? 63 : x->n), x->p);
				if (x->n >= sizeof tmp || !lfi_parse_double(tmp, &d) || !(d >= 0) || d > 1e12)
					st = csv_fail(err, file, line, x->col, "start_us must be a number of "
					              "microseconds >= 0", x);
				else
					t->start_s = d * 1e-6;
				break;
			}
		}
	}
	if (st == LF_OK && !have_header)
		st = lfi_fail(err, LF_EINPUT, file, line ? line : 1, 1, "empty traffic file: expected "
		              "the header src,dst,bytes (and optionally start_us), then one flow per "
		              "line");
	else if (st == LF_OK && v.len == 0)
		st = lfi_fail(err, LF_EINPUT, file, line, 1, "the traffic file has a header but no "
		              "flows");
	if (st != LF_OK) {
		lfi_vec_release(&v);
		return st;
	}
	*out = v.data;
	*n_out = v.len;
	return LF_OK;
}

/* A file path relative to the workload's directory. */
static char *resolve_path(lfi_arena *a, const char *base, const char *path)
{
	if (path[0] == '/' || !strchr(base, '/'))
		return lfi_arena_strdup(a, path);
	size_t dir = (size_t)(strrchr(base, '/') - base) + 1;
	char *s = lfi_arena_alloc(a, dir + strlen(path) + 1);
	if (!s)
		return NULL;
	memcpy(s, base, dir);
	strcpy(s + dir, path);
	return s;
}

lf_status lf_traffic_load_csv(const char *path, lf_traffic_flow **out, size_t *n,
                              lf_error *err)
{
	*out = NULL;
	*n = 0;
	struct stat sb;
	if (stat(path, &sb) != 0)
		return lfi_fail(err, LF_EIO, path, 0, 0, "cannot open traffic file: %s",
		                strerror(errno));
	if ((uint64_t)sb.st_size > LF_TRAFFIC_MAX_FILE)
		return lfi_fail(err, LF_EINPUT, path, 0, 0, "traffic file is %llu bytes, over the "
		                "input size limit of %llu bytes (%d MiB): split it or use a generator",
		                (unsigned long long)sb.st_size,
		                (unsigned long long)LF_TRAFFIC_MAX_FILE,
		                (int)(LF_TRAFFIC_MAX_FILE >> 20));
	size_t len;
	char *data = lfi_read_file(path, &len, err);
	if (!data)
		return LF_EIO;
	lf_status st = lf_traffic_parse_csv(path, data, len, out, n, err);
	free(data);
	return st;
}

/* ------------------------------------------------------------------ YAML */

static lf_status yrank(lfi_ydoc *d, yaml_node_t *n, const char *what, int64_t *rank,
                       int32_t *gpu, lf_error *err)
{
	const char *s = lfi_yscalar(n);
	if (!s || !parse_rank(s, strlen(s), rank, gpu))
		return lfi_yfail(err, d, n, "%s must be a rank (0, 1, ...) or server:gpu, got %s%s%s",
		                 what, s ? "\"" : "", s ? s : lfi_ykind(n), s ? "\"" : "");
	return LF_OK;
}

static lf_status parse_list(lf_traffic *t, lfi_ydoc *d, yaml_node_t *seq, lfi_vec *flows,
                            lf_error *err)
{
	static const char *const keys[] = { "src", "dst", "bytes", "start" };
	if (seq->data.sequence.items.start == seq->data.sequence.items.top)
		return lfi_yfail(err, d, seq, "traffic is an empty list: give at least one flow");
	for (yaml_node_item_t *it = seq->data.sequence.items.start; it < seq->data.sequence.items.top;
	     it++) {
		yaml_node_t *e = lfi_ynode(d, *it), *v;
		LF_TRY(lfi_yexpect(d, e, YAML_MAPPING_NODE, "traffic flow", err));
		LF_TRY(lfi_ycheck_keys(d, e, "traffic flow", keys, LF_ARRAY_LEN(keys), err));
		lf_traffic_flow *f = lfi_vec_push(flows);
		if (!f)
			return lfi_oom(err);
		lf_pos p;
		LF_TRY(lfi_yrequire(d, e, "src", "traffic flow", &v, err));
		LF_TRY(yrank(d, v, "src", &f->src, &f->src_gpu, err));
		p = lfi_ypos(d, v);
		f->line = (uint32_t)p.line;
		f->src_col = (uint16_t)p.col;
		LF_TRY(lfi_yrequire(d, e, "dst", "traffic flow", &v, err));
		LF_TRY(yrank(d, v, "dst", &f->dst, &f->dst_gpu, err));
		f->dst_col = (uint16_t)lfi_ypos(d, v).col;
		if (lfi_ypos(d, v).line != (int)f->line)
			f->dst_col = 0;   /* on another line: point at src's */
		LF_TRY(lfi_yrequire(d, e, "bytes", "traffic flow", &v, err));
		LF_TRY(lfi_ybytes(d, v, "traffic flow bytes", 1, 1e15, &f->bytes, err));
		if ((v = lfi_yget(d, e, "start")))
			LF_TRY(lfi_yseconds(d, v, "traffic flow start", 0, 1e6, &f->start_s, err));
	}
	t->kind = LF_TRAFFIC_LIST;
	return LF_OK;
}

lf_status lfi_traffic_parse(lf_traffic *t, lfi_ydoc *d, yaml_node_t *n, lfi_arena *arena,
                            lfi_vec *flows, lf_error *err)
{
	memset(t, 0, sizeof *t);
	t->pos = lfi_ypos(d, n);
	t->file = d->file;
	t->seed = 1;
	if (n->type == YAML_SEQUENCE_NODE)
		return parse_list(t, d, n, flows, err);
	if (n->type != YAML_MAPPING_NODE)
		return lfi_yfail(err, d, n, "traffic must be a list of flows {src, dst, bytes}, "
		                 "{file: FLOWS.csv} or a generator ({permutation: {seed: 1}, bytes: "
		                 "2MiB}), got %s", lfi_ykind(n));
	LF_TRY(lfi_ycheck_schema(d, n, &lfi_traffic_schema, NULL, err));
	const lfi_schema_key *keys = lfi_traffic_schema.keys;
	/* exactly one source */
	yaml_node_t *src = NULL, *v;
	const char *src_key = NULL;
	for (size_t k = 0; k < N_SOURCES; k++)
		if ((v = lfi_yget(d, n, keys[k].key))) {
			if (src)
				return lfi_yfail(err, d, v, "traffic: give one of file, flows, permutation, "
				                 "all-to-all, incast, shift, random; found both %s and %s",
				                 src_key, keys[k].key);
			src = v;
			src_key = keys[k].key;
		}
	if (!src)
		return lfi_yfail(err, d, n, "traffic needs a source: file (CSV), flows (a list), or "
		                 "a generator: permutation, all-to-all, incast, shift, random");
	yaml_node_t *b = lfi_yget(d, n, "bytes"), *s = lfi_yget(d, n, "start");
	bool gen = strcmp(src_key, "file") && strcmp(src_key, "flows");
	if (!gen && (b || s))
		return lfi_yfail(err, d, b ? b : s, "traffic %s gives each flow's bytes and start; "
		                 "bytes and start apply to generators only", src_key);
	if (!strcmp(src_key, "flows")) {
		LF_TRY(lfi_yexpect(d, src, YAML_SEQUENCE_NODE, "traffic flows", err));
		return parse_list(t, d, src, flows, err);
	}
	if (!strcmp(src_key, "file")) {
		const char *path;
		LF_TRY(lfi_ystr(d, src, "traffic file", &path, err));
		char *full = resolve_path(arena, d->file, path);
		if (!full)
			return lfi_oom(err);
		lf_traffic_flow *f = NULL;
		size_t nf = 0;
		lf_status st = lf_traffic_load_csv(full, &f, &nf, err);
		if (st == LF_EIO && err->line == 0) {
			/* say which workload line named the file */
			char msg[sizeof err->msg];
			memcpy(msg, err->msg, sizeof msg);
			return lfi_yfail(err, d, src, "traffic file %.400s: %.500s", full, msg);
		}
		if (st != LF_OK)
			return st;
		if (!lfi_vec_reserve(flows, flows->len + nf)) {
			free(f);
			return lfi_oom(err);
		}
		memcpy((lf_traffic_flow *)flows->data + flows->len, f, nf * sizeof *f);
		flows->len += nf;
		free(f);
		t->kind = LF_TRAFFIC_LIST;
		t->file = full;
		return LF_OK;
	}
	/* a generator */
	for (int k = 0; k < (int)LF_ARRAY_LEN(gen_names); k++)
		if (!strcmp(src_key, gen_names[k]))
			t->kind = (lf_traffic_kind)(k + 1);
	if (!b)
		return lfi_yfail(err, d, n, "traffic %s needs \"bytes\": the size of each flow (e.g. "
		                 "2MiB)", src_key);
	LF_TRY(lfi_ybytes(d, b, "traffic bytes", 1, 1e15, &t->bytes, err));
	if (s)
		LF_TRY(lfi_yseconds(d, s, "traffic start", 0, 1e6, &t->start_s, err));
	t->pos_arg = lfi_ypos(d, src);
	int64_t x;
	switch (t->kind) {
	case LF_TRAFFIC_PERMUTATION:
	case LF_TRAFFIC_ALLTOALL:
	case LF_TRAFFIC_RANDOM: {
		if (src->type != YAML_MAPPING_NODE)
			return lfi_yfail(err, d, src, "traffic %s must be a mapping (%s), got %s", src_key,
			                 t->kind == LF_TRAFFIC_RANDOM ? "{flows: N, seed: S}"
			                 : t->kind == LF_TRAFFIC_PERMUTATION ? "{seed: S}, or {} for seed 1"
			                                                    : "{}",
			                lfi_ykind(src));
		LF_TRY(lfi_ycheck_schema(d, src, t->kind == LF_TRAFFIC_ALLTOALL ? &alltoall_s
		                                 : t->kind == LF_TRAFFIC_PERMUTATION ? &permutation_s
		                                                                     : &random_s,
		                         NULL, err));
		if ((v = lfi_yget(d, src, "seed"))) {
			LF_TRY(lfi_yint(d, v, "traffic seed", 0, INT64_MAX, &x, err));
			t->seed = (uint64_t)x;
		}
		if (t->kind == LF_TRAFFIC_RANDOM) {
			LF_TRY(lfi_yrequire(d, src, "flows", "traffic random", &v, err));
			LF_TRY(lfi_yint(d, v, "traffic random flows", 1, INT64_C(100000000), &t->arg, err));
		}
		return LF_OK;
	}
	case LF_TRAFFIC_INCAST:
		return lfi_yint(d, src, "traffic incast (senders to rank 0)", 1, INT64_C(1) << 40,
		                &t->arg, err);
	case LF_TRAFFIC_SHIFT:
		return lfi_yint(d, src, "traffic shift", 1, INT64_C(1) << 40, &t->arg, err);
	default:
		return lfi_yfail(err, d, src, "traffic: unknown generator %s", src_key);
	}
}

/* ------------------------------------------------------------- expansion */

static lf_status push(lfi_vec *out, int64_t a, int64_t b, double bytes, double start,
                      lf_error *err)
{
	lf_traffic_flow *f = lfi_vec_push(out);
	if (!f)
		return lfi_oom(err);
	f->src = a;
	f->dst = b;
	f->src_gpu = f->dst_gpu = -1;
	f->bytes = bytes;
	f->start_s = start;
	return LF_OK;
}

static lf_status check_rank(const lf_traffic *t, const lf_traffic_flow *f, bool dst, int64_t n,
                            int G, int64_t *rank, lf_error *err)
{
	int64_t r = dst ? f->dst : f->src;
	int32_t g = dst ? f->dst_gpu : f->src_gpu;
	int col = dst && f->dst_col ? f->dst_col : f->src_col;
	const char *what = dst ? "dst" : "src";
	if (g >= 0) {
		int64_t servers = (n + G - 1) / G;
		if (g >= G)
			return lfi_fail(err, LF_EINPUT, t->file, (int)f->line, col, "%s %lld:%d: a server "
			                "has GPUs 0..%d", what, (long long)r, g, G - 1);
		if (r >= servers || r * G + g >= n)
			return lfi_fail(err, LF_EINPUT, t->file, (int)f->line, col, "%s %lld:%d is out of "
			                "range: the job has %lld GPUs on servers 0..%lld", what,
			                (long long)r, g, (long long)n, (long long)servers - 1);
		*rank = r * G + g;
		return LF_OK;
	}
	if (r >= n)
		return lfi_fail(err, LF_EINPUT, t->file, (int)f->line, col, "%s rank %lld is out of "
		                "range: the job has ranks 0..%lld", what, (long long)r,
		                (long long)n - 1);
	*rank = r;
	return LF_OK;
}

lf_status lfi_traffic_expand(const lf_traffic *t, const lf_traffic_flow *list, size_t n_list,
                             int64_t n, int G, lfi_vec *out, lf_error *err)
{
	const char *f = t->file;
	int line = t->pos_arg.line ? t->pos_arg.line : t->pos.line;
	int col = t->pos_arg.line ? t->pos_arg.col : t->pos.col;
	if (t->kind != LF_TRAFFIC_LIST && n < 2)
		return lfi_fail(err, LF_EINPUT, f, line, col, "traffic %s needs at least 2 ranks, the "
		                "job has %lld", lf_traffic_kind_name(t->kind), (long long)n);
	uint64_t h = lfi_hash64(t->seed ^ 0x7a11f1c5ULL);
	switch (t->kind) {
	case LF_TRAFFIC_LIST:
		if (!lfi_vec_reserve(out, n_list))
			return lfi_oom(err);
		for (size_t i = 0; i < n_list; i++) {
			int64_t a, b;
			LF_TRY(check_rank(t, &list[i], false, n, G, &a, err));
			LF_TRY(check_rank(t, &list[i], true, n, G, &b, err));
			if (a == b)
				return lfi_fail(err, LF_EINPUT, t->file, (int)list[i].line,
				                list[i].dst_col ? list[i].dst_col : list[i].src_col,
				                "dst is the same GPU as src (rank %lld): a flow goes between "
				                "two GPUs", (long long)a);
			LF_TRY(push(out, a, b, list[i].bytes, list[i].start_s, err));
		}
		return LF_OK;
	case LF_TRAFFIC_PERMUTATION: {
		int64_t *p = malloc((size_t)n * sizeof *p);
		if (!p)
			return lfi_oom(err);
		for (int64_t i = 0; i < n; i++)
			p[i] = i;
		for (int64_t i = n - 1; i > 0; i--) {   /* Sattolo: j < i */
			h = lfi_hash64(h);
			int64_t j = (int64_t)(h % (uint64_t)i), x = p[i];
			p[i] = p[j];
			p[j] = x;
		}
		lf_status st = lfi_vec_reserve(out, (size_t)n) ? LF_OK : lfi_oom(err);
		for (int64_t i = 0; i < n && st == LF_OK; i++)
			st = push(out, i, p[i], t->bytes, t->start_s, err);
		free(p);
		return st;
	}
	case LF_TRAFFIC_ALLTOALL:
		if ((double)n * (double)(n - 1) > 1e8)
			return lfi_fail(err, LF_EINPUT, f, line, col, "traffic all-to-all over %lld ranks "
			                "is %.3g flows at once, over the 1e8 limit; use a collective "
			                "(type: all-to-all, algorithm: pairwise) instead", (long long)n,
			                (double)n * (double)(n - 1));
		if (!lfi_vec_reserve(out, (size_t)(n * (n - 1))))
			return lfi_oom(err);
		for (int64_t i = 0; i < n; i++)
			for (int64_t k = 1; k < n; k++)
				LF_TRY(push(out, i, (i + k) % n, t->bytes, t->start_s, err));
		return LF_OK;
	case LF_TRAFFIC_INCAST:
		if (t->arg >= n)
			return lfi_fail(err, LF_EINPUT, f, line, col, "traffic incast %lld needs %lld "
			                "ranks (senders 1..%lld to rank 0), the job has %lld",
			                (long long)t->arg, (long long)t->arg + 1, (long long)t->arg,
			                (long long)n);
		for (int64_t i = 1; i <= t->arg; i++)
			LF_TRY(push(out, i, 0, t->bytes, t->start_s, err));
		return LF_OK;
	case LF_TRAFFIC_SHIFT:
		if (t->arg % n == 0)
			return lfi_fail(err, LF_EINPUT, f, line, col, "traffic shift %lld is a multiple of "
			                "the job's %lld ranks: every rank would send to itself",
			                (long long)t->arg, (long long)n);
		if (!lfi_vec_reserve(out, (size_t)n))
			return lfi_oom(err);
		for (int64_t i = 0; i < n; i++)
			LF_TRY(push(out, i, (i + t->arg) % n, t->bytes, t->start_s, err));
		return LF_OK;
	case LF_TRAFFIC_RANDOM:
		if (!lfi_vec_reserve(out, (size_t)t->arg))
			return lfi_oom(err);
		for (int64_t i = 0; i < t->arg; i++) {
			h = lfi_hash64(h);
			int64_t a = (int64_t)(h % (uint64_t)n);
			h = lfi_hash64(h);
			int64_t b = (int64_t)(h % (uint64_t)(n - 1));
			LF_TRY(push(out, a, b >= a ? b + 1 : b, t->bytes, t->start_s, err));
		}
		return LF_OK;
	}
	return LF_OK;
}

/* -------------------------------------------------------------------- run */

static int cmp_double(const void *x, const void *y)
{
	double a = *(const double *)x, b = *(const double *)y;
	return a < b ? -1 : a > b;
}

/* nearest-rank percentile of sorted v[0..n) */
static double pct(const double *v, size_t n, double p)
{
	size_t k = (size_t)ceil(p * (double)n);
	return v[k ? k - 1 : 0];
}

static void summarize(lf_traffic_result *t, const lf_flow_record *rec, size_t n, double *fct,
                      double *slow)
{
	double sum = 0;
	for (size_t i = 0; i < n; i++) {
		fct[i] = rec[i].finish_s - rec[i].start_s;
		slow[i] = rec[i].ideal_s > 0 ? fct[i] / rec[i].ideal_s : 1;
		sum += fct[i];
		t->bytes += rec[i].bytes;
		if (rec[i].finish_s > t->last_s)
			t->last_s = rec[i].finish_s;
		if (rec[i].start_s + rec[i].ideal_s > t->ideal_last_s)
			t->ideal_last_s = rec[i].start_s + rec[i].ideal_s;
	}
	qsort(fct, n, sizeof *fct, cmp_double);
	qsort(slow, n, sizeof *slow, cmp_double);
	t->flows = n;
	t->fct_mean_s = sum / (double)n;
	t->fct_p50_s = pct(fct, n, 0.5);
	t->fct_p99_s = pct(fct, n, 0.99);
	t->fct_max_s = fct[n - 1];
	t->slowdown_p50 = pct(slow, n, 0.5);
	t->slowdown_p99 = pct(slow, n, 0.99);
	t->slowdown_max = slow[n - 1];
}

lf_status lfi_traffic_run(const lf_plan *pl, const lf_workload *wl, const lf_sim_config *cfg0,
                          const int64_t *g, size_t n, lf_sim_progress_fn progress, void *ctx,
                          lf_sim_report *r, lfi_vec *records, lfi_buf *paths, lf_error *err)
{
	const lf_traffic *t = &wl->traffic;
	lfi_vec flows;
	lfi_vec_init(&flows, sizeof(lf_traffic_flow));
	lf_status st = lfi_traffic_expand(t, t->flows, t->n_flows, (int64_t)n,
	                                  pl->spec->server->gpus, &flows, err);
	if (st == LF_OK && flows.len == 0)
		st = lfi_fail(err, LF_EINPUT, t->file, t->pos.line, t->pos.col, "traffic has no flows");
	if (st != LF_OK) {
		lfi_vec_release(&flows);
		return st;
	}
	lf_sim_config cfg = *cfg0;
	lfi_sim_prog pc = { 0 };
	lfi_sim_progress_setup(&cfg, progress, ctx, &pc);
	char what[64];
	snprintf(what, sizeof what, "traffic (%s, %zu flows)", lf_traffic_kind_name(t->kind),
	         flows.len);
	if (progress) {
		lf_sim_progress *p = &pc.p;
		p->item = 0;
		p->n_items = 1;
		p->what = what;
	}
	lf_sim *s = NULL;
	st = lf_sim_new(pl, &cfg, &s, err);
	const lf_traffic_flow *f = flows.data;
	for (size_t i = 0; i < flows.len && st == LF_OK; i++) {
		uint32_t id;
		st = lf_sim_add_flow_at(s, g[f[i].src], g[f[i].dst], f[i].bytes, f[i].start_s, &id, err);
		if (st == LF_OK && id != i)
			st = lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "traffic flow %zu got id %u", i, id);
	}
	double end = 0;
	if (st == LF_OK)
		st = lf_sim_run(s, &end, err);
	if (st == LF_OK && !lfi_vec_reserve(records, flows.len))
		st = lfi_oom(err);
	for (size_t i = 0; i < flows.len && st == LF_OK; i++) {
		lf_flow_record *rec = lfi_vec_push(records);   /* reserved: cannot fail */
		uint32_t id = (uint32_t)i;
		double rate = lf_sim_flow_alone_rate(s, id);
		rec->src = f[i].src;
		rec->dst = f[i].dst;
		rec->bytes = f[i].bytes;
		rec->start_s = f[i].start_s;
		rec->finish_s = lf_sim_flow_finish_s(s, id);
		rec->ideal_s = lf_sim_flow_latency_s(s, id) + (rate > 0 ? f[i].bytes / rate : INFINITY);
		if (cfg.record_paths) {
			rec->path_off = paths->len;
			lf_sim_flow_path(s, id, paths);
			rec->path_len = (uint32_t)(paths->len - rec->path_off);
			if (paths->failed)
				st = lfi_oom(err);
		}
	}
	double *fct = NULL, *slow = NULL;
	if (st == LF_OK) {
		fct = malloc(flows.len * sizeof *fct);
		slow = malloc(flows.len * sizeof *slow);
		if (!fct || !slow)
			st = lfi_oom(err);
	}
	if (st == LF_OK) {
		lf_traffic_result *tr = &r->traffic;
		memset(tr, 0, sizeof *tr);
		tr->kind = t->kind;
		tr->source = t->kind == LF_TRAFFIC_LIST && t->file != wl->file ? t->file : NULL;
		summarize(tr, records->data, records->len, fct, slow);
		tr->n_top = lf_sim_top_links(s, tr->top, LF_ARRAY_LEN(tr->top));
		r->has_traffic = 1;
		r->events = lf_sim_events(s);
		r->flows = lf_sim_flows(s);
	}
	free(fct);
	free(slow);
	lf_sim_free(s);
	lfi_vec_release(&flows);
	return st;
}
