/*
 * cli.h — the command-line skeleton shared by `lightfab` (tools/lightfab.c)
 * and `lightfab-mpi` (tools/lightfab_mpi.c); tools/cli.c and
 * tools/cli_sweep.c implement it.
 *
 * A verb is a row of a table (cli_verb): its name, the help text, what it
 * takes as arguments, which shared options apply (formats, -o), its own
 * options and the one function that calls the library.  cli_main()
 * dispatches on that table (with did-you-mean for an unknown verb, `help
 * VERB`, --version, --max-input/--max-work); cli_run() parses the shared
 * options and the verb's own, checks the arguments, refuses an -o that is an
 * input, calls the verb, writes its text atomically, reports an error as
 * "lightfab: file:line:col: message", frees what it loaded and maps the
 * status to the exit code:
 *   0 ok, 1 bad input or over a limit, 2 bad usage, 3 I/O error, 4 internal.
 */
#ifndef LF_CLI_H
#define LF_CLI_H

#include <getopt.h>
#include <stdio.h>

#include "lightfab.h"

#define CLI_LEN(a) (sizeof(a) / sizeof((a)[0]))
#define CLI_MAX_CATALOGS 64
#define CLI_MAX_INPUTS 96
#define CLI_MAX_PLANS 16

/* shared options a verb takes (cli_verb.flags) */
enum {
	CLI_FORMATS = 1 << 0,     /* --table (default), --json, --csv */
	CLI_DOT = 1 << 1,         /* --dot too */
	CLI_OUTPUT = 1 << 2,      /* -o, --output F */
	CLI_QUIET = 1 << 3,       /* --quiet: no progress line */
	CLI_OWN_ARGV = 1 << 4,    /* the verb parses its whole command line (sweep) */
};

/* a verb's own options use values from CLI_OPT up */
enum { CLI_OPT = 512 };

typedef struct cli_ctx {
	const char *prog, *verb;
	const char *catalogs[CLI_MAX_CATALOGS];
	int n_catalogs, no_default;
	lf_format fmt;
	const char *out_path;
	int quiet;
	char **args;              /* the verb's arguments (after the options) */
	int n_args;
	const char *inputs[CLI_MAX_INPUTS];   /* other input files: -o may not be one */
	size_t n_inputs;
	const char *outputs[4];   /* other output files (--fct, --cabling): nor these */
	size_t n_outputs;
	char *text;               /* what the verb writes to -o or stdout (freed) */
	lf_catalog *cat[CLI_MAX_PLANS];       /* what cli_plan loaded (freed) */
	lf_spec *spec[CLI_MAX_PLANS];
	lf_plan *plan[CLI_MAX_PLANS];
	int n_plans;
	lf_error err;
} cli_ctx;

typedef struct cli_verb {
	const char *name;
	const char *summary;      /* the main help's lines about it, and an example */
	const char *example;
	void (*usage)(FILE *f, const char *prog);
	unsigned flags;
	int min_args, max_args;   /* max -1: any number */
	const char *args;         /* for "expected ARGS, got N argument(s)" */
	const struct option *opts;   /* the verb's own (val >= CLI_OPT), { 0 } ended */
	/* one of its options: 0 to go on, else an exit status (after a message) */
	int (*opt)(cli_ctx *c, int o, const char *arg);
	/* the work: sets c->text (or writes nothing); an lf_status, or a
	 * negative exit status -N for a usage problem found late (said) */
	int (*run)(cli_ctx *c);
	/* CLI_OWN_ARGV: the whole command line instead of opt/run */
	int (*main)(int argc, char **argv, const char *prog);
} cli_verb;

/* usage: the main help, given the table (cli_list_verbs prints its part) */
typedef void (*cli_usage_fn)(FILE *f, const char *prog, const cli_verb *verbs, size_t n);
int cli_main(const cli_verb *verbs, size_t n, cli_usage_fn usage, int argc, char **argv,
             const char *prog);
/* "  name      summary\n              example\n" for every verb of the table */
void cli_list_verbs(FILE *f, const cli_verb *verbs, size_t n);

/* Load and plan a spec with the command line's catalogs (lf_load_plan); the
 * runner frees it.  On failure the error is in c->err. */
lf_status cli_plan(cli_ctx *c, const char *spec_path, lf_plan **out);
/* The command line's catalogs alone, finished (serve); the caller frees it. */
lf_status cli_catalog(cli_ctx *c, lf_catalog **out);
/* Another input file, which -o may not overwrite. */
void cli_input(cli_ctx *c, const char *path);

/* A whole number in [lo, hi] from an option, or -1 after a message. */
long long cli_num(const cli_ctx *c, const char *name, const char *s, long long lo,
                  long long hi);
/* Write to path (atomically) or, when path is NULL, to stdout; the exit status. */
int cli_write(const char *prog, const char *path, const char *s);
/* A streaming writer's sink onto stdout (lf_cabling_write): 0, or -1. */
int cli_stdout_sink(void *ctx, const char *data, size_t len);
/* "prog: file:line:col: message" on stderr; the exit status of err->status. */
int cli_report(const char *prog, const lf_error *err);
int cli_exit_code(lf_status st);
/* The bundled catalog: LIGHTFAB_CATALOG, the install's, or the build's. */
const char *cli_catalog_dir(void);

/* --max-input / --max-work, taken out of argv: -1 to go on, else 2 (said
 * when verbose). */
int cli_limits(int *argc, char **argv, const char *prog, int verbose);
/* -o onto an input: 2 after a message (when verbose), else -1. */
int cli_refuse_overwrite(const char *prog, const char *verb, const char *out,
                         const char *const *in, size_t n, int verbose);

/* A progress line on stderr (on a terminal, once a run has taken a second). */
typedef struct cli_progress {
	double start, last;
	int shown;
} cli_progress;
void cli_progress_sim(void *ctx, const lf_sim_progress *p);
void cli_progress_sweep(void *ctx, size_t done, size_t total);
void cli_progress_end(cli_progress *p);

/* ---- sweep and compare (tools/cli_sweep.c), shared with lightfab-mpi */
typedef struct cli_sweep_opts {
	lf_format fmt;
	const char *out_path, *html_path;
	int quiet;
	int compare;
} cli_sweep_opts;

void cli_sweep_usage(FILE *f, int compare, const char *prog);
/* The command line into a new sweep: -1 to go on, else the exit status
 * (0 after --help).  verbose: print messages (MPI: rank 0 only). */
int cli_sweep_parse(int argc, char **argv, int compare, const char *prog, int verbose,
                    lf_sweep **out, cli_sweep_opts *o);
/* Pareto, render, write: the same bytes from every front end. */
int cli_sweep_output(const char *prog, const lf_sweep *sw, lf_sweep_row *rows, size_t n,
                     const cli_sweep_opts *o);
/* The serial `sweep` (compare 0) or `compare` verb: its exit status. */
int cli_sweep_main(int argc, char **argv, const char *prog, int compare);

#endif
