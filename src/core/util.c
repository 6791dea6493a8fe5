/*
 * util.c — the project's one string buffer, dynamic array, arena, error
 * setter, unit parser and atomic file writer.  Every other module uses
 * these instead of ad hoc malloc/sprintf.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core.h"

/* ------------------------------------------------------------------ errors */

const char *lf_strerror(lf_status st)
{
	switch (st) {
	case LF_OK: return "ok";
	case LF_EINPUT: return "invalid input";
	case LF_ENOMEM: return "out of memory";
	case LF_EIO: return "i/o error";
	case LF_ESOLVER: return "solver failure";
	case LF_EINTERNAL: return "internal error";
	case LF_ELIMIT: return "over a limit";
	}
	return "unknown error";
}

lf_status lfi_failv(lf_error *err, lf_status st, const char *file, int line, int col,
                    const char *fmt, va_list ap)
{
	if (!err)
		return st;
	err->status = st;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	err->col = col;
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	return st;
}

lf_status lfi_fail(lf_error *err, lf_status st, const char *file, int line, int col,
                   const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lfi_failv(err, st, file, line, col, fmt, ap);
	va_end(ap);
	return st;
}

lf_status lfi_oom(lf_error *err)
{
	return lfi_fail(err, LF_ENOMEM, NULL, 0, 0, "out of memory");
}

char *lf_error_format(const lf_error *err, char *buf, size_t n)
{
	if (!err->file[0])
		snprintf(buf, n, "%s", err->msg);
	else if (err->line <= 0)
		snprintf(buf, n, "%s: %s", err->file, err->msg);
	else if (err->col <= 0)
		snprintf(buf, n, "%s:%d: %s", err->file, err->line, err->msg);
	else
		snprintf(buf, n, "%s:%d:%d: %s", err->file, err->line, err->col, err->msg);
	return buf;
}

/* ------------------------------------------------------------------ buffer */

void lfi_buf_init(lfi_buf *b)
{
	memset(b, 0, sizeof *b);
}

void lfi_buf_release(lfi_buf *b)
{
	free(b->data);
	lfi_buf_init(b);
}

static bool buf_grow(lfi_buf *b, size_t extra)
{
	if (b->failed)
		return false;
	if (b->len + extra + 1 <= b->cap)
		return true;
	size_t cap = b->cap ? b->cap : 256;
	while (cap < b->len + extra + 1)
		cap *= 2;
	char *p = realloc(b->data, cap);
	if (!p) {
		b->failed = true;
		return false;
	}
	b->data = p;
	b->cap = cap;
	return true;
}

void lfi_buf_add(lfi_buf *b, const char *s, size_t n)
{
	if (!buf_grow(b, n))
		return;
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = 0;
}

void lfi_buf_puts(lfi_buf *b, const char *s)
{
	lfi_buf_add(b, s, strlen(s));
}

void lfi_buf_printf(lfi_buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !buf_grow(b, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

lf_status lfi_buf_finish(lfi_buf *b, char **out, lf_error *err)
{
	if (b->failed || !buf_grow(b, 0)) {
		lfi_buf_release(b);
		return lfi_oom(err);
	}
	*out = b->data;
	lfi_buf_init(b);
	return LF_OK;
}

/* ------------------------------------------------------------------- vector */

void lfi_vec_init(lfi_vec *v, size_t elem)
{
	memset(v, 0, sizeof *v);
	v->elem = elem;
}

void lfi_vec_release(lfi_vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}

bool lfi_vec_reserve(lfi_vec *v, size_t n)
{
	if (n <= v->cap)
		return true;
	size_t cap = v->cap ? v->cap : 16;
	while (cap < n)
		cap *= 2;
	void *p = realloc(v->data, cap * v->elem);
	if (!p)
		return false;
	v->data = p;
	v->cap = cap;
	return true;
}

void *lfi_vec_push(lfi_vec *v)
{
	if (!lfi_vec_reserve(v, v->len + 1))
		return NULL;
	void *p = (char *)v->data + v->len * v->elem;
	memset(p, 0, v->elem);
	v->len++;
	return p;
}

/* -------------------------------------------------------------------- arena */

struct lfi_arena_block {
	lfi_arena_block *next;
	size_t used, cap;
	_Alignas(16) unsigned char mem[];
};

void *lfi_arena_alloc(lfi_arena *a, size_t n)
{
	n = (n + 15) & ~(size_t)15;
	lfi_arena_block *b = a->head;
	if (!b || b->cap - b->used < n) {
		size_t cap = n > 16384 ? n : 16384;
		b = calloc(1, sizeof *b + cap);
		if (!b)
			return NULL;
		b->cap = cap;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->mem + b->used;
	b->used += n;
	return p;
}

char *lfi_arena_strdup(lfi_arena *a, const char *s)
{
	size_t n = strlen(s) + 1;
	char *p = lfi_arena_alloc(a, n);
	if (p)
		memcpy(p, s, n);
	return p;
}

void lfi_arena_release(lfi_arena *a)
{
	lfi_arena_block *b = a->head;
	while (b) {
		lfi_arena_block *next = b->next;
		free(b);
		b = next;
	}
	a->head = NULL;
}

/* --------------------------------------------------------------------- misc */

size_t lfi_edit_distance(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	if (la > 64 || lb > 64)
		return (size_t)-1;
	size_t row[65];
	for (size_t j = 0; j <= lb; j++)
		row[j] = j;
	for (size_t i = 1; i <= la; i++) {
		size_t diag = row[0];
		row[0] = i;
		for (size_t j = 1; j <= lb; j++) {
			size_t up = row[j];
			size_t cost = tolower((unsigned char)a[i - 1]) ==
			              tolower((unsigned char)b[j - 1]) ? 0 : 1;
			size_t best = diag + cost;
			if (row[j] + 1 < best)
				best = row[j] + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

const char *lf_did_you_mean(const char *word, const char *const *cands, size_t n)
{
	const char *best = NULL;
	size_t best_d = (size_t)-1;
	size_t limit = strlen(word) / 3 + 1;
	if (limit > 3)
		limit = 3;
	for (size_t i = 0; i < n; i++) {
		size_t d = lfi_edit_distance(word, cands[i]);
		if (d < best_d) {
			best_d = d;
			best = cands[i];
		}
	}
	return best_d <= limit ? best : NULL;
}

/* Iterative: on a mismatch, only the last '*' is retried one character
 * further, so matching takes O(len(pat) * len(s)) whatever the pattern (the
 * recursive version was exponential in the number of '*': fuzz_spec found
 * "MMA*****************************-FLT" taking minutes). */
bool lfi_glob_match(const char *pat, const char *s)
{
	const char *star = NULL, *resume = NULL;
	while (*s) {
		if (*pat == '*') {
			star = pat++;
			resume = s;
		} else if (*pat && (*pat == '?' ||
		                    tolower((unsigned char)*pat) == tolower((unsigned char)*s))) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++resume;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* ------------------------------------------------------------------ limits */

static lf_limits limits = { LF_LIMIT_INPUT_BYTES, LF_LIMIT_DEPTH, LF_LIMIT_WORK };

void lf_limits_set(const lf_limits *l)
{
	limits.input_bytes = l && l->input_bytes ? l->input_bytes : LF_LIMIT_INPUT_BYTES;
	limits.depth = l && l->depth ? l->depth : LF_LIMIT_DEPTH;
	limits.work = l && l->work ? l->work : LF_LIMIT_WORK;
}

lf_limits lf_limits_get(void)
{
	return limits;
}

lf_status lfi_work_check(double w, const char *what, const char *file, int line, int col,
                         lf_error *err)
{
	uint64_t work = lfi_sat_u64(w);
	if (work <= limits.work)
		return LF_OK;
	char a[32], b[32];
	return lfi_fail(err, LF_ELIMIT, file, line, col,
	                "%s is about %s work units, over the limit of %s; make it smaller or "
	                "raise the limit with --max-work", what,
	                lfi_fmt_count(work, a, sizeof a), lfi_fmt_count(limits.work, b, sizeof b));
}

/* Read a whole input file, at most limits.input_bytes of it: a regular file
 * over the limit is refused before reading, a stream or device (/dev/zero,
 * a pipe) is read up to the limit and then refused. */
char *lfi_read_file(const char *path, size_t *len, lf_error *err)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		lfi_fail(err, LF_EIO, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	char lim[32], got_s[32];
	lfi_format_bytes((double)limits.input_bytes, lim, sizeof lim);
	struct stat sb;
	if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
		fclose(f);
		lfi_fail(err, LF_EIO, path, 0, 0, "cannot read: is a directory, expected a YAML file");
		return NULL;
	}
	if (S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > limits.input_bytes) {
		fclose(f);
		lfi_format_bytes((double)sb.st_size, got_s, sizeof got_s);
		lfi_fail(err, LF_ELIMIT, path, 0, 0, "file is %s, over the input limit of %s (raise "
		         "it with --max-input)", got_s, lim);
		return NULL;
	}
	lfi_buf b;
	lfi_buf_init(&b);
	char chunk[65536];
	size_t n;
	bool over = false;
	while (!b.failed && (n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		if (b.len + n > limits.input_bytes) {
			over = true;
			break;
		}
		lfi_buf_add(&b, chunk, n);
	}
	int bad = ferror(f), e = errno;
	fclose(f);
	if (over) {
		lfi_buf_release(&b);
		lfi_fail(err, LF_ELIMIT, path, 0, 0, "input is longer than the input limit of %s "
		         "(read up to the limit, then stopped; raise it with --max-input)", lim);
		return NULL;
	}
	if (bad) {
		lfi_buf_release(&b);
		lfi_fail(err, LF_EIO, path, 0, 0, "cannot read: %s", strerror(e));
		return NULL;
	}
	char *out;
	size_t got = b.len;
	if (lfi_buf_finish(&b, &out, err) != LF_OK)
		return NULL;
	*len = got;
	return out;
}


/* Not a regular file (a device such as /dev/null or /dev/stdout, a FIFO):
 * write straight to it; renaming over it would replace the device. */
static lf_status write_special(const char *path, const char *data, size_t len, lf_error *err)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		return lfi_fail(err, LF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
	bool ok = fwrite(data, 1, len, f) == len;
	int e = errno;
	ok = (fclose(f) == 0) && ok;
	if (!ok)
		return lfi_fail(err, LF_EIO, path, 0, 0, "cannot write: %s", strerror(e ? e : errno));
	return LF_OK;
}

lf_status lf_write_file_atomic(const char *path, const char *data, size_t len,
                               lf_error *err)
{
	struct stat sb;
	if (stat(path, &sb) == 0 && !S_ISREG(sb.st_mode)) {
		if (S_ISDIR(sb.st_mode))
			return lfi_fail(err, LF_EIO, path, 0, 0, "cannot write: is a directory");
		return write_special(path, data, len, err);
	}
	size_t n = strlen(path) + 32;
	char *tmp = malloc(n);
	if (!tmp)
		return lfi_oom(err);
	snprintf(tmp, n, "%s.tmp.%ld", path, (long)getpid());
	FILE *f = fopen(tmp, "wb");
	if (!f) {
		lfi_fail(err, LF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
		free(tmp);
		return LF_EIO;
	}
	bool ok = fwrite(data, 1, len, f) == len;
	ok = (fclose(f) == 0) && ok;
	if (!ok || rename(tmp, path) != 0) {
		int e = errno;
		remove(tmp);
		free(tmp);
		return lfi_fail(err, LF_EIO, path, 0, 0, "cannot write: %s", strerror(e));
	}
	free(tmp);
	return LF_OK;
}

/* -------------------------------------------------------------------- units */

static const char *skip_ws(const char *s)
{
	while (isspace((unsigned char)*s))
		s++;
	return s;
}

/* Parse a leading finite non-negative number; *end after it. */
static bool leading_number(const char *s, double *v, const char **end)
{
	s = skip_ws(s);
	if (!isdigit((unsigned char)*s) && *s != '.')
		return false;
	char *e;
	errno = 0;
	double x = strtod(s, &e);
	if (e == s || errno || !isfinite(x) || x < 0)
		return false;
	*v = x;
	*end = e;
	return true;
}

/* A number followed by one of `n` units (after optional spaces): value x
 * the unit's multiplier.  Speeds ignore case (400g, 1.6t); bytes do not
 * ("Mb" would be megabits). */
typedef struct unit { const char *name; double mult; } unit;

static bool with_unit(const char *s, const unit *u, size_t n, bool nocase, double *out)
{
	double v;
	const char *e;
	if (!leading_number(s, &v, &e))
		return false;
	e = skip_ws(e);
	for (size_t i = 0; i < n; i++)
		if ((nocase ? strcasecmp(e, u[i].name) : strcmp(e, u[i].name)) == 0) {
			*out = v * u[i].mult;
			return isfinite(*out);
		}
	return false;
}

bool lfi_parse_gbps(const char *s, double *gbps)
{
	static const unit u[] = {
		{ "G", 1 }, { "Gb/s", 1 }, { "Gbps", 1 }, { "GbE", 1 }, { "Gb", 1 },
		{ "T", 1e3 }, { "Tb/s", 1e3 }, { "Tbps", 1e3 }, { "Tb", 1e3 },
		{ "M", 1e-3 }, { "Mb/s", 1e-3 }, { "Mbps", 1e-3 },
	};
	return with_unit(s, u, LF_ARRAY_LEN(u), true, gbps) && *gbps > 0;
}

bool lfi_parse_length_m(const char *s, double *m)
{
	static const unit u[] = { { "m", 1 }, { "km", 1e3 }, { "cm", 1e-2 } };
	return with_unit(s, u, LF_ARRAY_LEN(u), false, m);
}

bool lfi_parse_month(const char *s, int *months)
{
	int y, mo;
	char tail;
	if (strlen(s) != 7 || sscanf(s, "%4d-%2d%c", &y, &mo, &tail) != 2)
		return false;
	for (int i = 0; i < 7; i++)
		if (i == 4 ? s[i] != '-' : !isdigit((unsigned char)s[i]))
			return false;   /* exactly YYYY-MM: no signs, no spaces */
	if (y < 1970 || y > 2200 || mo < 1 || mo > 12)
		return false;
	*months = y * 12 + mo - 1;
	return true;
}

void lfi_format_month(int months, char *buf, size_t n)
{
	snprintf(buf, n, "%04d-%02d", months / 12, months % 12 + 1);
}

bool lfi_parse_ratio(const char *s, double *r)
{
	double a, b;
	const char *e;
	if (!leading_number(s, &a, &e))
		return false;
	e = skip_ws(e);
	if (!*e) {
		*r = a;
		return true;
	}
	if (*e != ':' || !leading_number(e + 1, &b, &e) || *skip_ws(e) || b <= 0)
		return false;
	*r = a / b;
	return true;
}

/* Digits with optional 16_384 / 16,384 grouping (1-3 digits, then groups of
 * exactly 3); no fixed-size copy, so a long number is never cut short. */
lfi_int_parse lfi_parse_int_ex(const char *s, int64_t *v)
{
	s = skip_ws(s);
	bool neg = *s == '-';
	if (*s == '-' || *s == '+')
		s++;
	if (!isdigit((unsigned char)*s))
		return LF_INT_FORMAT;
	bool grouped = false, first = true, over = false;
	size_t run = 0;
	uint64_t x = 0, lim = neg ? (uint64_t)INT64_MAX + 1 : (uint64_t)INT64_MAX;
	for (; *s && !isspace((unsigned char)*s); s++) {
		if (*s == '_' || *s == ',') {
			if (run == 0 || run > 3 || (!first && run != 3))
				return LF_INT_FORMAT;
			grouped = true;
			first = false;
			run = 0;
			continue;
		}
		if (!isdigit((unsigned char)*s))
			return LF_INT_FORMAT;
		unsigned d = (unsigned)(*s - '0');
		if (x > (lim - d) / 10)
			over = true;
		else
			x = x * 10 + d;
		run++;
	}
	if (*skip_ws(s) || (grouped && run != 3))
		return LF_INT_FORMAT;
	if (over)
		return LF_INT_RANGE;
	*v = neg ? (x == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)x) : (int64_t)x;
	return LF_INT_OK;
}

bool lfi_parse_int(const char *s, int64_t *v)
{
	return lfi_parse_int_ex(s, v) == LF_INT_OK;
}

bool lfi_parse_double(const char *s, double *v)
{
	s = skip_ws(s);
	char *e;
	errno = 0;
	double x = strtod(s, &e);
	if (e == s || *skip_ws(e) || errno || !isfinite(x))
		return false;
	*v = x;
	return true;
}

void lfi_format_gbps(double gbps, char *buf, size_t n)
{
	if (gbps >= 1000 && fmod(gbps, 100) == 0)
		snprintf(buf, n, "%gT", gbps / 1000.0);
	else
		snprintf(buf, n, "%gG", gbps);
}

bool lfi_parse_bytes(const char *s, double *bytes)
{
	static const unit u[] = {
		{ "B", 1 }, { "kB", 1e3 }, { "KB", 1e3 }, { "MB", 1e6 }, { "GB", 1e9 }, { "TB", 1e12 },
		{ "KiB", 1024.0 }, { "MiB", 1048576.0 }, { "GiB", 1073741824.0 },
		{ "TiB", 1099511627776.0 },
	};
	return with_unit(s, u, LF_ARRAY_LEN(u), false, bytes);
}

bool lfi_parse_seconds(const char *s, double *seconds)
{
	static const unit u[] = {
		{ "ns", 1e-9 }, { "us", 1e-6 }, { "\xc2\xb5s", 1e-6 }, { "ms", 1e-3 }, { "s", 1 },
		{ "min", 60 }, { "h", 3600 },
	};
	return with_unit(s, u, LF_ARRAY_LEN(u), false, seconds);
}

void lfi_format_bytes(double bytes, char *buf, size_t n)
{
	static const char *const u[] = { "B", "KiB", "MiB", "GiB", "TiB", "PiB" };
	size_t k = 0;
	while (bytes >= 1024 && k + 1 < LF_ARRAY_LEN(u)) {
		bytes /= 1024;
		k++;
	}
	snprintf(buf, n, "%.3g %s", bytes, u[k]);
}

const char *lfi_format_hours(double h, char *buf, size_t n)
{
	if (h <= 0 || !isfinite(h))
		snprintf(buf, n, "-");
	else if (h < 1)
		snprintf(buf, n, "%.1f min", h * 60);
	else if (h < 48)
		snprintf(buf, n, "%.2f h", h);
	else
		snprintf(buf, n, "%.1f d", h / 24);
	return buf;
}

const char *lfi_format_seconds(double s, char *buf, size_t n)
{
	if (s == 0)
		snprintf(buf, n, "0");
	else if (s < 1e-3)
		snprintf(buf, n, "%.1f us", s * 1e6);
	else if (s < 1)
		snprintf(buf, n, "%.2f ms", s * 1e3);
	else
		snprintf(buf, n, "%.3f s", s);
	return buf;
}

const char *lfi_fmt_count(uint64_t v, char *buf, size_t n)
{
	char tmp[32];
	int len = snprintf(tmp, sizeof tmp, "%llu", (unsigned long long)v);
	size_t k = 0;
	for (int i = 0; i < len && k + 2 < n; i++) {
		if (i && (len - i) % 3 == 0)
			buf[k++] = ',';
		buf[k++] = tmp[i];
	}
	buf[k] = 0;
	return buf;
}

/* ------------------------------------------------------------------- names */

const char *lfi_laser_name(lf_laser l)
{
	static const char *const n[] = { "none", "vcsel", "eml", "siph-cw", "dml" };
	return (unsigned)l < LF_ARRAY_LEN(n) ? n[l] : "?";
}

const char *lfi_medium_name(lf_medium m)
{
	static const char *const n[] = { "mmf", "smf", "copper" };
	return (unsigned)m < LF_ARRAY_LEN(n) ? n[m] : "?";
}

const char *lfi_optic_kind_name(lf_optic_kind k)
{
	static const char *const n[] = { "transceiver", "dac", "acc", "aec", "aoc", "laser-source" };
	return (unsigned)k < LF_ARRAY_LEN(n) ? n[k] : "?";
}

const char *lfi_bom_cat_name(lf_bom_cat c)
{
	static const char *const n[] = { "switch", "transceiver", "cable", "fibre", "laser-source" };
	return (unsigned)c < LF_ARRAY_LEN(n) ? n[c] : "?";
}

const char *lfi_level_name(int level)
{
	static const char *const n[] = { "switch", "server-leaf", "leaf-spine", "spine-core" };
	return level >= 0 && level < (int)LF_ARRAY_LEN(n) ? n[level] : "?";
}

const lf_tier_spec *lfi_tier_spec(const lf_spec *sp, int t)
{
	return &sp->tier[t - 1 < sp->n_tier_specs ? t - 1 : sp->n_tier_specs - 1];
}

void lf_free(void *p)
{
	free(p);
}

const char *lf_version(void)
{
	return LF_VERSION;
}

/* The one clock: monotonic seconds, for timings and progress. */
double lf_wall_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

/* Append to a fixed notes buffer of `cap` bytes; a full buffer keeps what
 * it has (the notes of a reliability result or a supply answer). */
void lfi_notes_vadd(char *buf, size_t cap, const char *fmt, va_list ap)
{
	size_t n = strlen(buf);
	if (n + 1 >= cap)
		return;
	vsnprintf(buf + n, cap - n, fmt, ap);
}

void *lfi_calloc_big(size_t n, size_t size)
{
	void *p = calloc(n, size);
#ifdef MADV_HUGEPAGE
	size_t len = n * size, huge = (size_t)2 << 20;
	if (p && len >= 2 * huge) {
		uintptr_t a = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
		uintptr_t e = ((uintptr_t)p + len) & ~(uintptr_t)(huge - 1);
		if (e > a)
			(void)madvise((void *)a, e - a, MADV_HUGEPAGE);   /* a hint: failure is fine */
	}
#endif
	return p;
}
