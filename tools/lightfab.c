/*
 * lightfab — the command-line front end.  Argument parsing and verbs only:
 * every number comes from liblightfab.  Output goes to stdout or, with -o,
 * to a file written atomically (nothing is left behind on failure).
 *
 * Exit status: 0 ok, 1 bad input (spec, catalog), 2 bad usage, 3 I/O error,
 * 4 internal error.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lightfab.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

static const char *prog = "lightfab";

static void usage_main(FILE *f)
{
	fprintf(f,
	"lightfab %s - plan, simulate and source the optical interconnect of AI GPU clusters\n"
	"\n"
	"usage: lightfab <verb> [options] SPEC.yaml\n"
	"\n"
	"verbs:\n"
	"  plan      the fabric and its bill of materials: switches per tier and plane,\n"
	"            links, cables, fibres, transceivers by SKU at each end, power, capex,\n"
	"            per deployment stage.\n"
	"              lightfab plan examples/dgx-h100-4su.yaml\n"
	"  reliability  failures per day by component class, job interruptions and MTTF,\n"
	"            goodput with Young/Daly checkpointing, spares per SKU; --compare.\n"
	"              lightfab reliability --params examples/reliability.yaml SPEC.yaml\n"
	"  help      help on a verb: lightfab help plan\n"
	"\n"
	"options for every verb:\n"
	"  --catalog PATH   add a catalog file or directory of your own (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog (%s)\n"
	"  -h, --help       help on the verb\n"
	"  --version        print the version\n"
	"\n"
	"exit status: 0 ok, 1 bad input, 2 bad usage, 3 i/o error, 4 internal error\n",
	LF_VERSION, LF_DATADIR);
}

static void usage_plan(FILE *f)
{
	fprintf(f,
	"usage: lightfab plan [options] SPEC.yaml\n"
	"\n"
	"Builds the fabric the spec describes (rail-optimized or fat-tree, 2 or 3 tiers,\n"
	"planes, oversubscription per tier, spines sized for the final build-out) and its\n"
	"bill of materials: switches per tier, links, cables, fibre strands and\n"
	"transceivers by SKU at the switch and server ends, power (typ/max) and capex,\n"
	"for the whole cluster and for what each deployment stage adds.\n"
	"\n"
	"options:\n"
	"  --table          readable table (default)\n"
	"  --json           JSON, the output contract of DESIGN.md plus stage BOMs\n"
	"  --csv            the BOM as CSV, one row per line item (scope: total or stage)\n"
	"  --dot            the topology as Graphviz DOT (aggregated for large fabrics)\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab plan examples/dgx-h100-4su.yaml\n"
	"  lightfab plan --json -o plan.json examples/dgx-h100-4su.yaml\n"
	"  lightfab plan --dot examples/dgx-h100-4su.yaml | dot -Tsvg > fabric.svg\n");
}

static void usage_reliability(FILE *f)
{
	fprintf(f,
	"usage: lightfab reliability [options] SPEC.yaml\n"
	"\n"
	"Plans the fabric, then reports expected failures per day and per month by\n"
	"component class (transceivers by laser type, AOC/DAC/ACC/AEC, switches, NICs),\n"
	"the interruption rate and MTTF of a job of N GPUs (only the parts on its\n"
	"paths; one-plane parts are covered by the other planes), goodput with\n"
	"checkpoints at the Young/Daly interval, and spares per SKU (Poisson quantile\n"
	"at the fill rate over the replenishment lead time).  Rates in FIT come from\n"
	"the params file's sku: overrides, the catalog's fit:, the params file's class\n"
	"defaults, then the built-in defaults; each row says which.\n"
	"\n"
	"options:\n"
	"  --params F       reliability parameters (YAML; see examples/reliability.yaml)\n"
	"  --job-gpus N     size of the job (default: the whole cluster)\n"
	"  --compare S2     the same job on a second spec, side by side\n"
	"  --table          readable table (default)\n"
	"  --json           JSON (the spares list feeds `lightfab source`)\n"
	"  --csv            one row per SKU\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab reliability --params examples/llama3-reliability.yaml examples/llama3-16k.yaml\n"
	"  lightfab reliability --job-gpus 512 --json examples/dgx-h100-4su.yaml\n"
	"  lightfab reliability --compare examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml\n");
}

static int exit_code(lf_status st)
{
	switch (st) {
	case LF_OK: return 0;
	case LF_EINPUT: return 1;
	case LF_EIO: return 3;
	default: return 4;
	}
}

static int report(const lf_error *err)
{
	char buf[2048];
	fprintf(stderr, "%s: %s\n", prog, lf_error_format(err, buf, sizeof buf));
	return exit_code(err->status);
}

typedef struct common {
	const char *catalogs[64];
	int n_catalogs;
	int no_default;
} common;

/* Load the catalogs and the spec, then resolve: the order the library wants. */
static lf_status load_inputs(const common *c, const char *spec_path, lf_catalog **cat,
                             lf_spec **spec, lf_error *err)
{
	*spec = NULL;
	lf_status st = lf_catalog_new(cat, err);
	if (st != LF_OK)
		return st;
	const char *def = getenv("LIGHTFAB_CATALOG");
	if (!c->no_default)
		st = lf_catalog_load_path(*cat, def && *def ? def : LF_DATADIR, err);
	for (int i = 0; st == LF_OK && i < c->n_catalogs; i++)
		st = lf_catalog_load_path(*cat, c->catalogs[i], err);
	if (st == LF_OK)
		st = lf_spec_load(spec_path, *cat, spec, err);
	if (st == LF_OK)
		st = lf_catalog_finish(*cat, err);
	if (st == LF_OK)
		st = lf_spec_resolve(*spec, *cat, err);
	return st;
}

static int write_out(const char *path, const char *s, lf_error *err)
{
	if (!path) {
		fputs(s, stdout);
		return fflush(stdout) == 0 ? 0 : 3;
	}
	lf_status st = lf_write_file_atomic(path, s, strlen(s), err);
	return st == LF_OK ? 0 : report(err);
}

static int cmd_plan(int argc, char **argv)
{
	enum { O_JSON = 256, O_CSV, O_DOT, O_TABLE, O_CATALOG, O_NODEF };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "dot", no_argument, NULL, O_DOT },
		{ "table", no_argument, NULL, O_TABLE },
		{ "output", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	common c = { .n_catalogs = 0 };
	lf_format fmt = LF_FMT_TABLE;
	const char *out_path = NULL;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (o) {
		case O_JSON: fmt = LF_FMT_JSON; break;
		case O_CSV: fmt = LF_FMT_CSV; break;
		case O_DOT: fmt = LF_FMT_DOT; break;
		case O_TABLE: fmt = LF_FMT_TABLE; break;
		case 'o': out_path = optarg; break;
		case O_CATALOG:
			if (c.n_catalogs == 64) {
				fprintf(stderr, "%s: at most 64 --catalog options\n", prog);
				return 2;
			}
			c.catalogs[c.n_catalogs++] = optarg;
			break;
		case O_NODEF: c.no_default = 1; break;
		case 'h': usage_plan(stdout); return 0;
		default: usage_plan(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s plan: expected one SPEC.yaml, got %d argument(s)\n"
		        "try: lightfab plan --help\n", prog, argc - optind);
		return 2;
	}
	lf_error err = { 0 };
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	char *text = NULL;
	int rc;
	lf_status st = load_inputs(&c, argv[optind], &cat, &spec, &err);
	if (st == LF_OK)
		st = lf_plan_build(spec, cat, &plan, &err);
	if (st == LF_OK)
		st = lf_plan_render(plan, fmt, &text, &err);
	rc = st == LF_OK ? write_out(out_path, text, &err) : report(&err);
	free(text);
	lf_plan_free(plan);
	lf_spec_free(spec);
	lf_catalog_free(cat);
	return rc;
}

/* Plan one spec and compute its reliability; the caller frees all four. */
static lf_status reliability_of(const common *c, const char *spec_path,
                                const lf_reliability_params *params, int64_t job_gpus,
                                lf_catalog **cat, lf_spec **spec, lf_plan **plan,
                                lf_reliability **rel, lf_error *err)
{
	*plan = NULL;
	*rel = NULL;
	lf_status st = load_inputs(c, spec_path, cat, spec, err);
	if (st == LF_OK)
		st = lf_plan_build(*spec, *cat, plan, err);
	if (st == LF_OK)
		st = lf_reliability_compute(*plan, params, job_gpus, rel, err);
	return st;
}

static int cmd_reliability(int argc, char **argv)
{
	enum { O_JSON = 256, O_CSV, O_TABLE, O_CATALOG, O_NODEF, O_PARAMS, O_JOB, O_CMP };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "table", no_argument, NULL, O_TABLE },
		{ "output", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "params", required_argument, NULL, O_PARAMS },
		{ "job-gpus", required_argument, NULL, O_JOB },
		{ "compare", required_argument, NULL, O_CMP },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	common c = { .n_catalogs = 0 };
	lf_format fmt = LF_FMT_TABLE;
	const char *out_path = NULL, *params_path = NULL, *other = NULL;
	int64_t job_gpus = 0;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (o) {
		case O_JSON: fmt = LF_FMT_JSON; break;
		case O_CSV: fmt = LF_FMT_CSV; break;
		case O_TABLE: fmt = LF_FMT_TABLE; break;
		case 'o': out_path = optarg; break;
		case O_PARAMS: params_path = optarg; break;
		case O_CMP: other = optarg; break;
		case O_JOB: {
			char *e;
			long long v = strtoll(optarg, &e, 10);
			if (*e || e == optarg || v < 1) {
				fprintf(stderr, "%s reliability: --job-gpus must be a whole number >= 1, "
				        "got \"%s\"\n", prog, optarg);
				return 2;
			}
			job_gpus = v;
			break;
		}
		case O_CATALOG:
			if (c.n_catalogs == 64) {
				fprintf(stderr, "%s: at most 64 --catalog options\n", prog);
				return 2;
			}
			c.catalogs[c.n_catalogs++] = optarg;
			break;
		case O_NODEF: c.no_default = 1; break;
		case 'h': usage_reliability(stdout); return 0;
		default: usage_reliability(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s reliability: expected one SPEC.yaml, got %d argument(s)\n"
		        "try: lightfab reliability --help\n", prog, argc - optind);
		return 2;
	}
	lf_error err = { 0 };
	lf_reliability_params *params = NULL;
	lf_catalog *cat[2] = { NULL, NULL };
	lf_spec *spec[2] = { NULL, NULL };
	lf_plan *plan[2] = { NULL, NULL };
	lf_reliability *rel[2] = { NULL, NULL };
	char *text = NULL;
	lf_status st = lf_reliability_params_load(params_path, &params, &err);
	if (st == LF_OK)
		st = reliability_of(&c, argv[optind], params, job_gpus, &cat[0], &spec[0], &plan[0],
		                    &rel[0], &err);
	/* compare: the same job (the first spec's size) on the second spec */
	if (st == LF_OK && other)
		st = reliability_of(&c, other, params, rel[0]->job_gpus, &cat[1], &spec[1], &plan[1],
		                    &rel[1], &err);
	if (st == LF_OK)
		st = other ? lf_reliability_render_compare(rel[0], rel[1], fmt, &text, &err)
		           : lf_reliability_render(rel[0], fmt, &text, &err);
	int rc = st == LF_OK ? write_out(out_path, text, &err) : report(&err);
	free(text);
	for (int k = 0; k < 2; k++) {
		lf_reliability_free(rel[k]);
		lf_plan_free(plan[k]);
		lf_spec_free(spec[k]);
		lf_catalog_free(cat[k]);
	}
	lf_reliability_params_free(params);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	const char *verb = argv[1];
	if (!strcmp(verb, "-h") || !strcmp(verb, "--help")) {
		usage_main(stdout);
		return 0;
	}
	if (!strcmp(verb, "--version") || !strcmp(verb, "version")) {
		printf("lightfab %s\n", LF_VERSION);
		return 0;
	}
	if (!strcmp(verb, "help")) {
		if (argc > 2 && !strcmp(argv[2], "plan"))
			usage_plan(stdout);
		else if (argc > 2 && !strcmp(argv[2], "reliability"))
			usage_reliability(stdout);
		else
			usage_main(stdout);
		return 0;
	}
	if (!strcmp(verb, "plan"))
		return cmd_plan(argc - 1, argv + 1);
	if (!strcmp(verb, "reliability"))
		return cmd_reliability(argc - 1, argv + 1);
	fprintf(stderr, "%s: unknown verb \"%s\"\ntry: lightfab --help\n", prog, verb);
	return 2;
}
