/*
 * cli.c — the command-line skeleton of the tools (cli.h): dispatch on the
 * verb table, the runner every verb goes through, and the helpers both
 * tools share (exit codes, atomic output, limits, -o never onto an input,
 * the bundled catalog's path, progress lines).
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

/* $LIGHTFAB_CATALOG if set; else PREFIX/share/lightfab/catalog next to an
 * installed binary (PREFIX/bin/lightfab), found from the binary's own path so
 * that a staged install (DESTDIR) or a moved prefix works; else the path
 * compiled in (LF_DATADIR: the source tree's data/catalog for an in-tree
 * build, the prefix's for `make install`). */
const char *cli_catalog_dir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("LIGHTFAB_CATALOG");
	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX);
	if (n > 0) {
		buf[n] = 0;
		char *slash = strrchr(buf, '/');
		if (slash && slash - buf >= 4 && !strncmp(slash - 4, "/bin", 4)) {
			struct stat st;
			strcpy(slash - 4, "/share/lightfab/catalog");
			if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return buf;
		}
	}
	return LF_DATADIR;
}

int cli_exit_code(lf_status st)
{
	switch (st) {
	case LF_OK: return 0;
	case LF_EINPUT: return 1;
	case LF_ELIMIT: return 1;
	case LF_EIO: return 3;
	default: return 4;
	}
}

int cli_report(const char *prog, const lf_error *err)
{
	char buf[2048];
	fprintf(stderr, "%s: %s\n", prog, lf_error_format(err, buf, sizeof buf));
	return cli_exit_code(err->status);
}

/* Standard output, flushed; a failed write (a full disk, /dev/full, a closed
 * pipe) is said and exits 3. */
static int write_stdout(const char *prog, const char *s)
{
	errno = 0;
	fputs(s, stdout);
	if (fflush(stdout) == 0 && !ferror(stdout))
		return 0;
	fprintf(stderr, "%s: cannot write to standard output: %s\n", prog,
	        strerror(errno ? errno : EIO));
	return 3;
}

int cli_stdout_sink(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

int cli_write(const char *prog, const char *path, const char *s)
{
	if (!path)
		return write_stdout(prog, s);
	lf_error err = { 0 };
	return lf_write_file_atomic(path, s, strlen(s), &err) == LF_OK ? 0 : cli_report(prog, &err);
}

long long cli_num(const cli_ctx *c, const char *name, const char *s, long long lo,
                  long long hi)
{
	char *e;
	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (errno || *e || e == s || v < lo || v > hi) {
		fprintf(stderr, "%s %s: --%s must be a whole number in %lld..%lld, got \"%s\"\n",
		        c->prog, c->verb, name, lo, hi, s);
		return -1;
	}
	return v;
}

/* ------------------------------------------------------------ limits */

/* A size for --max-input: bytes, or with K/M/G (KiB, MiB, GiB) after it. */
static int parse_size_opt(const char *s, unsigned long long *out)
{
	char *e;
	errno = 0;
	unsigned long long v = strtoull(s, &e, 10);
	unsigned shift = 0;
	if (e == s || errno || *s == '-')
		return -1;
	if (*e == 'K' || *e == 'k')
		shift = 10;
	else if (*e == 'M')
		shift = 20;
	else if (*e == 'G')
		shift = 30;
	if (shift) {
		e++;
		if (!strcmp(e, "iB") || !strcmp(e, "B"))
			e += strlen(e);
	}
	if (*e || v == 0 || v > (1ull << 40) >> shift)
		return -1;
	*out = v << shift;
	return 0;
}

/* --max-input SIZE and --max-work N (also as --opt=VALUE), every verb's:
 * taken out of argv (argc is updated) into lf_limits_set. */
int cli_limits(int *argc, char **argv, const char *prog, int verbose)
{
	lf_limits lim = lf_limits_get();
	int k = 1;
	for (int i = 1; i < *argc; i++) {
		const char *a = argv[i], *v = NULL;
		int is_input = !strncmp(a, "--max-input", 11) && (!a[11] || a[11] == '=');
		int is_work = !strncmp(a, "--max-work", 10) && (!a[10] || a[10] == '=');
		if (!strcmp(a, "--")) {
			while (i < *argc)
				argv[k++] = argv[i++];
			break;
		}
		if (!is_input && !is_work) {
			argv[k++] = argv[i];
			continue;
		}
		const char *eq = strchr(a, '=');
		v = eq ? eq + 1 : i + 1 < *argc ? argv[++i] : NULL;
		unsigned long long x = 0;
		char *e = NULL;
		int bad = !v;
		if (!bad && is_input)
			bad = parse_size_opt(v, &x) != 0;
		else if (!bad) {
			errno = 0;
			x = strtoull(v, &e, 10);
			bad = errno || e == v || *e || *v == '-' || x == 0;
		}
		if (bad) {
			if (verbose)
				fprintf(stderr, is_input
				        ? "%s: --max-input must be a size such as 64M, 512MiB or 2G (1 byte .. "
				          "1 TiB), got \"%s\"\n"
				        : "%s: --max-work must be a whole number of work units >= 1, got "
				          "\"%s\"\n", prog, v ? v : "nothing");
			return 2;
		}
		if (is_input)
			lim.input_bytes = x;
		else
			lim.work = x;
	}
	argv[k] = NULL;
	*argc = k;
	lf_limits_set(&lim);
	return -1;
}

/* ------------------------------------------------- -o never onto an input */

static int same_file(const struct stat *a, const char *path)
{
	struct stat b;
	return stat(path, &b) == 0 && a->st_dev == b.st_dev && a->st_ino == b.st_ino;
}

/* Refuse (2) when `out` is the same file (device and inode, so through
 * links too) as one of the inputs, or as a file in an input directory (a
 * catalog directory). */
int cli_refuse_overwrite(const char *prog, const char *verb, const char *out,
                         const char *const *in, size_t n, int verbose)
{
	struct stat so;
	if (!out || stat(out, &so) != 0 || !S_ISREG(so.st_mode))
		return -1;   /* a new file, or a device such as /dev/stdout */
	for (size_t i = 0; i < n; i++) {
		struct stat si;
		if (!in[i] || stat(in[i], &si) != 0)
			continue;
		const char *hit = NULL;
		char path[4096];
		if (S_ISDIR(si.st_mode)) {
			DIR *d = opendir(in[i]);
			struct dirent *de;
			while (d && !hit && (de = readdir(d))) {
				snprintf(path, sizeof path, "%s/%s", in[i], de->d_name);
				if (de->d_name[0] != '.' && same_file(&so, path))
					hit = path;
			}
			if (d)
				closedir(d);
		} else if (si.st_dev == so.st_dev && si.st_ino == so.st_ino) {
			hit = in[i];
		}
		if (hit) {
			if (verbose)
				fprintf(stderr, "%s %s: the output %s is the input %s; refusing to "
				        "overwrite an input (write the output to another file)\n", prog, verb,
				        out, hit);
			return 2;
		}
	}
	return -1;
}

/* ------------------------------------------------------------ progress */

void cli_progress_sim(void *ctx, const lf_sim_progress *p)
{
	cli_progress *ps = ctx;
	double t = lf_wall_now();
	if (t - ps->start < 1 || t - ps->last < 0.2)
		return;
	ps->last = t;
	ps->shown = 1;
	fprintf(stderr, "\r\033[Ksim %zu/%zu %s: %.3g ms simulated, %llu/%llu flows, %llu events, "
	        "%.0f s", p->item + 1, p->n_items, p->what ? p->what : "", p->sim_time_s * 1e3,
	        (unsigned long long)p->flows_done, (unsigned long long)p->flows_total,
	        (unsigned long long)p->events, t - ps->start);
	fflush(stderr);
}

void cli_progress_sweep(void *ctx, size_t done, size_t total)
{
	cli_progress *p = ctx;
	double t = lf_wall_now();
	if (done < total && t - p->last < 0.2)
		return;
	p->last = t;
	p->shown = 1;
	double el = t - p->start;
	fprintf(stderr, "\r\033[Ksweep: %zu/%zu points (%.0f%%), %.1f s", done, total,
	        total ? 100.0 * (double)done / (double)total : 100.0, el);
	if (done && done < total)
		fprintf(stderr, ", ~%.0f s left", el / (double)done * (double)(total - done));
	fflush(stderr);
}

void cli_progress_end(cli_progress *p)
{
	if (p->shown)
		fputs("\r\033[K", stderr);
}

/* ------------------------------------------------------------ the runner */

void cli_input(cli_ctx *c, const char *path)
{
	if (path && c->n_inputs < CLI_MAX_INPUTS)
		c->inputs[c->n_inputs++] = path;
}

static lf_load_opts load_opts(const cli_ctx *c, const char *spec_path)
{
	return (lf_load_opts){ .default_catalog = c->no_default ? NULL : cli_catalog_dir(),
	                       .catalogs = c->catalogs, .n_catalogs = (size_t)c->n_catalogs,
	                       .spec_path = spec_path };
}

lf_status cli_catalog(cli_ctx *c, lf_catalog **out)
{
	lf_spec *none = NULL;
	lf_load_opts lo = load_opts(c, NULL);
	return lf_load(&lo, out, &none, &c->err);
}

lf_status cli_plan(cli_ctx *c, const char *spec_path, lf_plan **out)
{
	*out = NULL;
	if (c->n_plans == CLI_MAX_PLANS) {
		c->err = (lf_error){ .status = LF_EINPUT };
		snprintf(c->err.msg, sizeof c->err.msg, "at most %d specs", CLI_MAX_PLANS);
		return LF_EINPUT;
	}
	int k = c->n_plans++;
	lf_load_opts lo = load_opts(c, spec_path);
	lf_status st = lf_load_plan(&lo, &c->cat[k], &c->spec[k], &c->plan[k], &c->err);
	*out = c->plan[k];
	return st;
}

/* The shared options, then the verb's own, as one getopt_long table. */
enum { O_JSON = 256, O_CSV, O_TABLE, O_DOT, O_CATALOG, O_NODEF, O_QUIET };

static int build_opts(const cli_verb *v, struct option *opts, size_t cap)
{
	static const struct option fmt[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "table", no_argument, NULL, O_TABLE },
	};
	size_t n = 0;
	if (v->flags & CLI_FORMATS)
		for (size_t i = 0; i < CLI_LEN(fmt); i++)
			opts[n++] = fmt[i];
	if (v->flags & CLI_DOT)
		opts[n++] = (struct option){ "dot", no_argument, NULL, O_DOT };
	if (v->flags & CLI_OUTPUT)
		opts[n++] = (struct option){ "output", required_argument, NULL, 'o' };
	if (v->flags & CLI_QUIET)
		opts[n++] = (struct option){ "quiet", no_argument, NULL, O_QUIET };
	for (const struct option *o = v->opts; o && o->name && n + 4 < cap; o++)
		opts[n++] = *o;
	opts[n++] = (struct option){ "catalog", required_argument, NULL, O_CATALOG };
	opts[n++] = (struct option){ "no-default-catalog", no_argument, NULL, O_NODEF };
	opts[n++] = (struct option){ "help", no_argument, NULL, 'h' };
	opts[n] = (struct option){ 0 };
	return (int)n;
}

static int parse(cli_ctx *c, const cli_verb *v, int argc, char **argv)
{
	struct option opts[64];
	build_opts(v, opts, CLI_LEN(opts));
	const char *shortopts = v->flags & CLI_OUTPUT ? "ho:" : "h";
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, shortopts, opts, NULL)) != -1) {
		switch (o) {
		case O_JSON: c->fmt = LF_FMT_JSON; break;
		case O_CSV: c->fmt = LF_FMT_CSV; break;
		case O_TABLE: c->fmt = LF_FMT_TABLE; break;
		case O_DOT: c->fmt = LF_FMT_DOT; break;
		case 'o': c->out_path = optarg; break;
		case O_QUIET: c->quiet = 1; break;
		case O_CATALOG:
			if (c->n_catalogs == CLI_MAX_CATALOGS) {
				fprintf(stderr, "%s: at most %d --catalog options\n", c->prog,
				        CLI_MAX_CATALOGS);
				return 2;
			}
			c->catalogs[c->n_catalogs++] = optarg;
			break;
		case O_NODEF: c->no_default = 1; break;
		case 'h': v->usage(stdout, c->prog); return 0;
		default: {
			int rc = o >= CLI_OPT && v->opt ? v->opt(c, o, optarg) : (v->usage(stderr, c->prog), 2);
			if (rc)
				return rc;
		}
		}
	}
	c->args = argv + optind;
	c->n_args = argc - optind;
	if (c->n_args < v->min_args || (v->max_args >= 0 && c->n_args > v->max_args)) {
		fprintf(stderr, "%s %s: expected %s, got %d argument(s)\ntry: %s %s --help\n", c->prog,
		        v->name, v->args, c->n_args, c->prog, v->name);
		return 2;
	}
	return -1;
}

/* -o (and every other output) never onto an input: the catalogs (the
 * bundled one unless --no-default-catalog), the arguments and the files the
 * verb's options name. */
static int check_outputs(cli_ctx *c)
{
	const char *in[CLI_MAX_CATALOGS + CLI_MAX_INPUTS + 1];
	size_t n = 0;
	in[n++] = c->no_default ? NULL : cli_catalog_dir();
	for (int i = 0; i < c->n_catalogs; i++)
		in[n++] = c->catalogs[i];
	for (int i = 0; i < c->n_args && n < CLI_LEN(in); i++)
		in[n++] = c->args[i];
	for (size_t i = 0; i < c->n_inputs && n < CLI_LEN(in); i++)
		in[n++] = c->inputs[i];
	int rc = cli_refuse_overwrite(c->prog, c->verb, c->out_path, in, n, 1);
	for (size_t i = 0; rc < 0 && i < c->n_outputs; i++)
		rc = cli_refuse_overwrite(c->prog, c->verb, c->outputs[i], in, n, 1);
	return rc;
}

static int run_verb(const cli_verb *v, int argc, char **argv, const char *prog)
{
	cli_ctx c = { .prog = prog, .verb = v->name, .fmt = LF_FMT_TABLE };
	int rc = parse(&c, v, argc, argv);
	if (rc < 0)
		rc = check_outputs(&c);
	if (rc < 0) {
		int st = v->run(&c);
		if (st < 0)
			rc = -st;
		else if (st != LF_OK)
			rc = cli_report(prog, &c.err);
		else
			rc = c.text ? cli_write(prog, c.out_path, c.text) : 0;
	}
	free(c.text);
	for (int i = 0; i < c.n_plans; i++) {
		lf_plan_free(c.plan[i]);
		lf_spec_free(c.spec[i]);
		lf_catalog_free(c.cat[i]);
	}
	return rc;
}

static const cli_verb *find(const cli_verb *verbs, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(verbs[i].name, name))
			return &verbs[i];
	return NULL;
}

void cli_list_verbs(FILE *f, const cli_verb *verbs, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(f, "  %-9s%s %s\n              %s\n", verbs[i].name,
		        strlen(verbs[i].name) > 9 ? " " : "", verbs[i].summary, verbs[i].example);
}

int cli_main(const cli_verb *verbs, size_t n, cli_usage_fn usage, int argc, char **argv,
             const char *prog)
{
	if (argc < 2) {
		usage(stderr, prog, verbs, n);
		return 2;
	}
	int rc = cli_limits(&argc, argv, prog, 1);
	if (rc >= 0)
		return rc;
	if (argc < 2) {
		usage(stderr, prog, verbs, n);
		return 2;
	}
	const char *name = argv[1];
	if (!strcmp(name, "-h") || !strcmp(name, "--help")) {
		usage(stdout, prog, verbs, n);
		return 0;
	}
	if (!strcmp(name, "--version") || !strcmp(name, "version")) {
		printf("%s %s\n", prog, LF_VERSION);
		return 0;
	}
	if (!strcmp(name, "help")) {
		const cli_verb *v = argc > 2 ? find(verbs, n, argv[2]) : NULL;
		if (v)
			v->usage(stdout, prog);
		else
			usage(stdout, prog, verbs, n);
		return 0;
	}
	const cli_verb *v = find(verbs, n, name);
	if (!v) {
		const char *names[32];
		size_t k = 0;
		for (size_t i = 0; i < n && k < CLI_LEN(names); i++)
			names[k++] = verbs[i].name;
		const char *near = lf_did_you_mean(name, names, k);
		fprintf(stderr, "%s: unknown verb \"%s\"%s%s%s\ntry: %s --help\n", prog, name,
		        near ? " (did you mean \"" : "", near ? near : "", near ? "\"?)" : "", prog);
		return 2;
	}
	if (v->flags & CLI_OWN_ARGV)
		return v->main(argc - 1, argv + 1, prog);
	return run_verb(v, argc - 1, argv + 1, prog);
}
