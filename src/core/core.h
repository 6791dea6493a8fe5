/*
 * core.h — the core layer (src/core), shared by all of liblightfab: errors, the string buffer,
 * the dynamic array, the string arena, unit parsing and the YAML document
 * reader every parser uses.  Nothing here is public API.
 */
#ifndef LF_CORE_H
#define LF_CORE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <yaml.h>

#include "lightfab.h"

#define LF_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define LF_PRINTF(f, a) __attribute__((format(printf, f, a)))
/* a fallible internal function: its status must be looked at */
#define LF_MUST __attribute__((warn_unused_result))

/* ---- errors: set status + position + message; returns the status */
lf_status lf_fail(lf_error *err, lf_status st, const char *file, int line, int col,
                  const char *fmt, ...) LF_PRINTF(6, 7);
lf_status lf_failv(lf_error *err, lf_status st, const char *file, int line, int col,
                   const char *fmt, va_list ap);
lf_status lf_oom(lf_error *err);

/* ---- growable string buffer (git's strbuf, in small) */
typedef struct lf_buf {
	char *data;
	size_t len, cap;
	bool failed;              /* an allocation failed; data is unusable */
} lf_buf;

void lf_buf_init(lf_buf *b);
void lf_buf_release(lf_buf *b);
void lf_buf_add(lf_buf *b, const char *s, size_t n);
void lf_buf_puts(lf_buf *b, const char *s);
void lf_buf_printf(lf_buf *b, const char *fmt, ...) LF_PRINTF(2, 3);
/* Hand the buffer's string to the caller (or fail with LF_ENOMEM). */
lf_status lf_buf_finish(lf_buf *b, char **out, lf_error *err) LF_MUST;

/* ---- dynamic array of fixed-size elements */
typedef struct lf_vec {
	void *data;
	size_t len, cap, elem;
} lf_vec;

void lf_vec_init(lf_vec *v, size_t elem);
void lf_vec_release(lf_vec *v);
/* Append one zeroed element; returns it, or NULL when out of memory. */
void *lf_vec_push(lf_vec *v);
bool lf_vec_reserve(lf_vec *v, size_t n);
#define LF_VEC_AT(v, type, i) (&((type *)(v)->data)[i])

/* ---- arena for strings and small objects that live as long as their owner */
typedef struct lf_arena_block lf_arena_block;
typedef struct lf_arena { lf_arena_block *head; } lf_arena;

void *lf_arena_alloc(lf_arena *a, size_t n);      /* zeroed, 16-aligned */
char *lf_arena_strdup(lf_arena *a, const char *s);
void lf_arena_release(lf_arena *a);

/* ---- misc */
size_t lf_edit_distance(const char *a, const char *b);
bool lf_glob_match(const char *pat, const char *s);   /* '*' and '?' */
char *lf_read_file(const char *path, size_t *len, lf_error *err);
uint64_t lf_hash64(uint64_t x);
/* LF_ELIMIT when `work` units are over lf_limits.work: "<what> is about N
 * work units ..., over the limit of M; ... --max-work" at file:line:col. */
lf_status lf_work_check(double work, const char *what, const char *file, int line, int col,
                        lf_error *err) LF_MUST;

/* ---- units */
/* "400G", "1.6T", "800Gb/s", "100 Gbps" -> gigabits per second */
bool lf_parse_gbps(const char *s, double *gbps);
/* "30m", "2km", "500 m", "1.5m" -> metres */
bool lf_parse_length_m(const char *s, double *m);
/* "2026-03" -> months since year 0 (year*12 + month-1) */
bool lf_parse_month(const char *s, int *months);
void lf_format_month(int months, char *buf, size_t n);
/* "3:1", "1:1", "3" -> 3 */
bool lf_parse_ratio(const char *s, double *r);
bool lf_parse_int(const char *s, int64_t *v);
/* lf_parse_int saying why it failed: not a whole number (or bad grouping
 * such as 1_27), or one outside int64. */
typedef enum lf_int_parse { LF_INT_OK, LF_INT_FORMAT, LF_INT_RANGE } lf_int_parse;
lf_int_parse lf_parse_int_ex(const char *s, int64_t *v);
bool lf_parse_double(const char *s, double *v);
/* Speed for humans: 400 -> "400G", 1600 -> "1.6T" */
void lf_format_gbps(double gbps, char *buf, size_t n);
/* Durations for humans: hours as "12.5 min" / "3.20 h" / "2.1 d" ("-" when
 * none); seconds as "0" / "3.4 us" / "1.25 ms" / "2.500 s".  Return buf. */
const char *lf_format_hours(double h, char *buf, size_t n);
const char *lf_format_seconds(double s, char *buf, size_t n);
/* Counts for humans: 1234567 -> "1,234,567".  Returns buf. */
const char *lf_fmt_count(uint64_t v, char *buf, size_t n);
/* "8B", "4MiB", "1.5 GB" -> bytes.  Decimal KB/MB/GB/TB (10^3k) and binary
 * KiB/MiB/GiB/TiB (2^10k); the unit is required. */
bool lf_parse_bytes(const char *s, double *bytes);
/* "5us", "5µs", "1.2ms", "0.8s", "2min", "250ns" -> seconds; the unit is required. */
bool lf_parse_seconds(const char *s, double *seconds);
/* Bytes for humans: 8 -> "8 B", 1048576 -> "1 MiB", 3e9 -> "2.79 GiB" */
void lf_format_bytes(double bytes, char *buf, size_t n);

/* ---- YAML documents with positions (yamldoc.c)
 *
 * A thin layer over libyaml's document API.  Each accessor checks the node
 * type and reports "file:line:col: <what> must be <expected>, got <found>".
 */
typedef struct lf_ydoc {
	yaml_document_t doc;
	const char *file;         /* borrowed: must outlive the document */
	bool loaded;
} lf_ydoc;

lf_status lf_ydoc_load(lf_ydoc *d, const char *file, const char *data, size_t len,
                       lf_error *err) LF_MUST;
void lf_ydoc_release(lf_ydoc *d);
yaml_node_t *lf_ydoc_root(lf_ydoc *d);
yaml_node_t *lf_ynode(lf_ydoc *d, int id);
lf_pos lf_ypos(const lf_ydoc *d, const yaml_node_t *n);
const char *lf_ykind(const yaml_node_t *n);          /* "a mapping", "a list", ... */
lf_status lf_yfail(lf_error *err, const lf_ydoc *d, const yaml_node_t *n,
                   const char *fmt, ...) LF_PRINTF(4, 5);

/* A YAML format's keys as a tree: the one key list a parser checks a
 * mapping against (lf_ycheck_schema) and that other code walks (sweep's
 * paths).  child NULL: a scalar (or, with list, a list of scalars). */
typedef struct lf_schema lf_schema;
typedef struct lf_schema_key {
	const char *key;
	const lf_schema *child;
	int list;
} lf_schema_key;
struct lf_schema {
	const char *what;         /* "fabric", "cluster", ... */
	size_t n;
	const lf_schema_key *keys;
};
/* lf_ycheck_keys against the schema's keys; `what` (NULL: s->what) names
 * the mapping in errors. */
lf_status lf_ycheck_schema(lf_ydoc *d, yaml_node_t *map, const lf_schema *s, const char *what,
                           lf_error *err) LF_MUST;

/* Check that every key of mapping `map` is in `keys`; an unknown key is an
 * error with a did-you-mean.  `what` names the mapping ("spec", "tier"). */
lf_status lf_ycheck_keys(lf_ydoc *d, yaml_node_t *map, const char *what,
                         const char *const *keys, size_t n, lf_error *err) LF_MUST;
yaml_node_t *lf_yget(lf_ydoc *d, yaml_node_t *map, const char *key);
lf_status lf_yexpect(lf_ydoc *d, yaml_node_t *n, yaml_node_type_t t, const char *what,
                     lf_error *err) LF_MUST;
lf_status lf_yrequire(lf_ydoc *d, yaml_node_t *map, const char *key, const char *what,
                      yaml_node_t **out, lf_error *err) LF_MUST;
const char *lf_yscalar(const yaml_node_t *n);

lf_status lf_ystr(lf_ydoc *d, yaml_node_t *n, const char *what, const char **out,
                  lf_error *err) LF_MUST;
lf_status lf_yint(lf_ydoc *d, yaml_node_t *n, const char *what, int64_t lo, int64_t hi,
                  int64_t *out, lf_error *err) LF_MUST;
lf_status lf_ydouble(lf_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                     double *out, lf_error *err) LF_MUST;
lf_status lf_ygbps(lf_ydoc *d, yaml_node_t *n, const char *what, int *out, lf_error *err) LF_MUST;
lf_status lf_ylength(lf_ydoc *d, yaml_node_t *n, const char *what, double *out,
                     lf_error *err) LF_MUST;
lf_status lf_ymonth(lf_ydoc *d, yaml_node_t *n, const char *what, int *out, lf_error *err) LF_MUST;
lf_status lf_yratio(lf_ydoc *d, yaml_node_t *n, const char *what, double *out,
                    lf_error *err) LF_MUST;
lf_status lf_ybool(lf_ydoc *d, yaml_node_t *n, const char *what, bool *out, lf_error *err) LF_MUST;
/* A byte size (lf_parse_bytes) in [lo, hi]; a duration (lf_parse_seconds) in [lo, hi]. */
lf_status lf_ybytes(lf_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                    double *out, lf_error *err) LF_MUST;
lf_status lf_yseconds(lf_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                      double *out, lf_error *err) LF_MUST;
/* One of `names`; the index goes to *out. */
lf_status lf_yenum(lf_ydoc *d, yaml_node_t *n, const char *what,
                   const char *const *names, size_t n_names, int *out, lf_error *err) LF_MUST;

#define LF_TRY(expr) do { lf_status st_ = (expr); if (st_ != LF_OK) return st_; } while (0)

/* ---- names of the catalog's enums, for every renderer */
const char *lf_laser_name(lf_laser l);
const char *lf_medium_name(lf_medium m);
const char *lf_optic_kind_name(lf_optic_kind k);
/* "switch", "transceiver", "cable", "fibre", "laser-source" */
const char *lf_bom_cat_name(lf_bom_cat c);
const char *lf_level_name(int level);   /* "server-leaf", "leaf-spine", ... */

/* A double as a count, saturated at UINT64_MAX (NaN too). */
static inline uint64_t lf_sat_u64(double w)
{
	return !(w < 1.8e19) ? UINT64_MAX : w > 0 ? (uint64_t)w : 0;
}

#endif
