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
lf_status lfi_fail(lf_error *err, lf_status st, const char *file, int line, int col,
                   const char *fmt, ...) LF_PRINTF(6, 7);
/* Append formatted text to a fixed buffer of cap bytes (full: unchanged). */
void lfi_notes_vadd(char *buf, size_t cap, const char *fmt, va_list ap);
lf_status lfi_failv(lf_error *err, lf_status st, const char *file, int line, int col,
                    const char *fmt, va_list ap);
lf_status lfi_oom(lf_error *err);

/* ---- growable string buffer (git's strbuf, in small) */
typedef struct lfi_buf {
	char *data;
	size_t len, cap;
	bool failed;              /* an allocation failed; data is unusable */
} lfi_buf;

void lfi_buf_init(lfi_buf *b);
void lfi_buf_release(lfi_buf *b);
void lfi_buf_add(lfi_buf *b, const char *s, size_t n);
void lfi_buf_puts(lfi_buf *b, const char *s);
void lfi_buf_printf(lfi_buf *b, const char *fmt, ...) LF_PRINTF(2, 3);
/* Hand the buffer's string to the caller (or fail with LF_ENOMEM). */
lf_status lfi_buf_finish(lfi_buf *b, char **out, lf_error *err) LF_MUST;

/* ---- dynamic array of fixed-size elements */
typedef struct lfi_vec {
	void *data;
	size_t len, cap, elem;
} lfi_vec;

void lfi_vec_init(lfi_vec *v, size_t elem);
void lfi_vec_release(lfi_vec *v);
/* Append one zeroed element; returns it, or NULL when out of memory. */
void *lfi_vec_push(lfi_vec *v);
bool lfi_vec_reserve(lfi_vec *v, size_t n);
#define LF_VEC_AT(v, type, i) (&((type *)(v)->data)[i])

/* ---- arena for strings and small objects that live as long as their owner */
typedef struct lfi_arena_block lfi_arena_block;
typedef struct lfi_arena { lfi_arena_block *head; } lfi_arena;

void *lfi_arena_alloc(lfi_arena *a, size_t n);      /* zeroed, 16-aligned */
char *lfi_arena_strdup(lfi_arena *a, const char *s);
void lfi_arena_release(lfi_arena *a);

/* ---- misc */
size_t lfi_edit_distance(const char *a, const char *b);
bool lfi_glob_match(const char *pat, const char *s);   /* '*' and '?' */
char *lfi_read_file(const char *path, size_t *len, lf_error *err);
/* calloc, asking the kernel for huge pages when the block is big (a
 * simulator's per-channel arrays: fewer page faults on first touch) */
void *lfi_calloc_big(size_t n, size_t size);
/* splitmix64's finaliser: a seed gives the same picks on every machine
 * (inline: ECMP routing hashes every hop) */
static inline uint64_t lfi_hash64(uint64_t x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}
/* LF_ELIMIT when `work` units are over lf_limits.work: "<what> is about N
 * work units ..., over the limit of M; ... --max-work" at file:line:col. */
lf_status lfi_work_check(double work, const char *what, const char *file, int line, int col,
                         lf_error *err) LF_MUST;

/* ---- units */
/* "400G", "1.6T", "800Gb/s", "100 Gbps" -> gigabits per second */
bool lfi_parse_gbps(const char *s, double *gbps);
/* "30m", "2km", "500 m", "1.5m" -> metres */
bool lfi_parse_length_m(const char *s, double *m);
/* "2026-03" -> months since year 0 (year*12 + month-1) */
bool lfi_parse_month(const char *s, int *months);
void lfi_format_month(int months, char *buf, size_t n);
/* "3:1", "1:1", "3" -> 3 */
bool lfi_parse_ratio(const char *s, double *r);
bool lfi_parse_int(const char *s, int64_t *v);
/* lfi_parse_int saying why it failed: not a whole number (or bad grouping
 * such as 1_27), or one outside int64. */
typedef enum lfi_int_parse { LF_INT_OK, LF_INT_FORMAT, LF_INT_RANGE } lfi_int_parse;
lfi_int_parse lfi_parse_int_ex(const char *s, int64_t *v);
bool lfi_parse_double(const char *s, double *v);
/* Speed for humans: 400 -> "400G", 1600 -> "1.6T" */
void lfi_format_gbps(double gbps, char *buf, size_t n);
/* Durations for humans: hours as "12.5 min" / "3.20 h" / "2.1 d" ("-" when
 * none); seconds as "0" / "3.4 us" / "1.25 ms" / "2.500 s".  Return buf. */
const char *lfi_format_hours(double h, char *buf, size_t n);
const char *lfi_format_seconds(double s, char *buf, size_t n);
/* Counts for humans: 1234567 -> "1,234,567".  Returns buf. */
const char *lfi_fmt_count(uint64_t v, char *buf, size_t n);
/* "8B", "4MiB", "1.5 GB" -> bytes.  Decimal KB/MB/GB/TB (10^3k) and binary
 * KiB/MiB/GiB/TiB (2^10k); the unit is required. */
bool lfi_parse_bytes(const char *s, double *bytes);
/* "5us", "5µs", "1.2ms", "0.8s", "2min", "250ns" -> seconds; the unit is required. */
bool lfi_parse_seconds(const char *s, double *seconds);
/* Bytes for humans: 8 -> "8 B", 1048576 -> "1 MiB", 3e9 -> "2.79 GiB" */
void lfi_format_bytes(double bytes, char *buf, size_t n);

/* ---- YAML documents with positions (yamldoc.c)
 *
 * A thin layer over libyaml's document API.  Each accessor checks the node
 * type and reports "file:line:col: <what> must be <expected>, got <found>".
 */
typedef struct lfi_ydoc {
	yaml_document_t doc;
	const char *file;         /* borrowed: must outlive the document */
	bool loaded;
} lfi_ydoc;

lf_status lfi_ydoc_load(lfi_ydoc *d, const char *file, const char *data, size_t len,
                        lf_error *err) LF_MUST;
void lfi_ydoc_release(lfi_ydoc *d);
yaml_node_t *lfi_ydoc_root(lfi_ydoc *d);
yaml_node_t *lfi_ynode(lfi_ydoc *d, int id);
lf_pos lfi_ypos(const lfi_ydoc *d, const yaml_node_t *n);
const char *lfi_ykind(const yaml_node_t *n);          /* "a mapping", "a list", ... */
lf_status lfi_yfail(lf_error *err, const lfi_ydoc *d, const yaml_node_t *n,
                    const char *fmt, ...) LF_PRINTF(4, 5);

/* A YAML format's keys as a tree: the one key list a parser checks a
 * mapping against (lfi_ycheck_schema) and that other code walks (sweep's
 * paths).  child NULL: a scalar (or, with list, a list of scalars). */
typedef struct lfi_schema lfi_schema;
typedef struct lfi_schema_key {
	const char *key;
	const lfi_schema *child;
	int list;
} lfi_schema_key;
struct lfi_schema {
	const char *what;         /* "fabric", "cluster", ... */
	size_t n;
	const lfi_schema_key *keys;
};
/* lfi_ycheck_keys against the schema's keys; `what` (NULL: s->what) names
 * the mapping in errors. */
lf_status lfi_ycheck_schema(lfi_ydoc *d, yaml_node_t *map, const lfi_schema *s, const char *what,
                            lf_error *err) LF_MUST;

/* Check that every key of mapping `map` is in `keys`; an unknown key is an
 * error with a did-you-mean.  `what` names the mapping ("spec", "tier"). */
lf_status lfi_ycheck_keys(lfi_ydoc *d, yaml_node_t *map, const char *what,
                          const char *const *keys, size_t n, lf_error *err) LF_MUST;
yaml_node_t *lfi_yget(lfi_ydoc *d, yaml_node_t *map, const char *key);
lf_status lfi_yexpect(lfi_ydoc *d, yaml_node_t *n, yaml_node_type_t t, const char *what,
                      lf_error *err) LF_MUST;
lf_status lfi_yrequire(lfi_ydoc *d, yaml_node_t *map, const char *key, const char *what,
                       yaml_node_t **out, lf_error *err) LF_MUST;
const char *lfi_yscalar(const yaml_node_t *n);

lf_status lfi_ystr(lfi_ydoc *d, yaml_node_t *n, const char *what, const char **out,
                   lf_error *err) LF_MUST;
lf_status lfi_yint(lfi_ydoc *d, yaml_node_t *n, const char *what, int64_t lo, int64_t hi,
                   int64_t *out, lf_error *err) LF_MUST;
lf_status lfi_ydouble(lfi_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                      double *out, lf_error *err) LF_MUST;
lf_status lfi_ygbps(lfi_ydoc *d, yaml_node_t *n, const char *what, int *out, lf_error *err) LF_MUST;
lf_status lfi_ylength(lfi_ydoc *d, yaml_node_t *n, const char *what, double *out,
                      lf_error *err) LF_MUST;
lf_status lfi_ymonth(lfi_ydoc *d, yaml_node_t *n, const char *what, int *out, lf_error *err) LF_MUST;
lf_status lfi_yratio(lfi_ydoc *d, yaml_node_t *n, const char *what, double *out,
                     lf_error *err) LF_MUST;
lf_status lfi_ybool(lfi_ydoc *d, yaml_node_t *n, const char *what, bool *out, lf_error *err) LF_MUST;
/* A byte size (lfi_parse_bytes) in [lo, hi]; a duration (lfi_parse_seconds) in [lo, hi]. */
lf_status lfi_ybytes(lfi_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                     double *out, lf_error *err) LF_MUST;
lf_status lfi_yseconds(lfi_ydoc *d, yaml_node_t *n, const char *what, double lo, double hi,
                       double *out, lf_error *err) LF_MUST;
/* One of `names`; the index goes to *out. */
lf_status lfi_yenum(lfi_ydoc *d, yaml_node_t *n, const char *what,
                    const char *const *names, size_t n_names, int *out, lf_error *err) LF_MUST;

#define LF_TRY(expr) do { lf_status st_ = (expr); if (st_ != LF_OK) return st_; } while (0)

/* ---- names of the catalog's enums, for every renderer */
const char *lfi_laser_name(lf_laser l);
const char *lfi_medium_name(lf_medium m);
const char *lfi_optic_kind_name(lf_optic_kind k);
/* "switch", "transceiver", "cable", "fibre", "laser-source" */
const char *lfi_bom_cat_name(lf_bom_cat c);
const char *lfi_level_name(int level);   /* "server-leaf", "leaf-spine", ... */
/* The tier spec that builds tier t (1: leaves; link level t ends on it): the
 * spec's t-th, or its last when it lists fewer tiers than the fabric has. */
const lf_tier_spec *lfi_tier_spec(const lf_spec *sp, int t);

/* A double as a count, saturated at UINT64_MAX (NaN too). */
static inline uint64_t lfi_sat_u64(double w)
{
	return !(w < 1.8e19) ? UINT64_MAX : w > 0 ? (uint64_t)w : 0;
}

#endif
