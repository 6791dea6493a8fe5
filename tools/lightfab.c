/*
 * lightfab — the command-line front end.  Argument parsing and verbs only:
 * every number comes from liblightfab.  Output goes to stdout or, with -o,
 * to a file written atomically (nothing is left behind on failure).
 *
 * Exit status: 0 ok, 1 bad input (spec, catalog), 2 bad usage, 3 I/O error,
 * 4 internal error.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "lightfab.h"
#include "sweep_cli.h"

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
	"  report    one self-contained HTML file: summary cards, BOM, charts, the\n"
	"            topology drawn by Graphviz, failures and spares with --reliability.\n"
	"              lightfab report -o report.html examples/dgx-h100-4su.yaml\n"
	"  serve     local web UI (spec editor + the report) and a JSON API, on 127.0.0.1.\n"
	"              lightfab serve --port 8080\n"
	"  sim       collective times (nccl-tests table: size, time, algBW, busBW) or a\n"
	"            training step (step time, exposed communication, tokens/s, busiest\n"
	"            links) simulated flow by flow on the planned fabric.\n"
	"              lightfab sim examples/dgx-h100-4su.yaml examples/workload-llama70b.yaml\n"
	"  source    what optics to order, from whom, in which month, under laser-pool,\n"
	"            supplier and lead-time limits; stage ready dates and slips; what\n"
	"            binds; fabric options side by side (GLPK LP/MIP).\n"
	"              lightfab source examples/supply-eml-shortage.yaml\n"
	"  compare   key figures of several specs side by side (capex, power, busBW or\n"
	"            step time, interruptions, ready date) with deltas against the first.\n"
	"              lightfab compare examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml\n"
	"  sweep     every combination of --vary values, each point planned (and simulated,\n"
	"            sourced, rated when given), one row per point, the Pareto front;\n"
	"            build/lightfab-mpi runs it over MPI ranks.\n"
	"              lightfab sweep SPEC.yaml --vary fabric.planes=1,2\n"
	"  help      help on a verb: lightfab help plan\n"
	"\n"
	"options for every verb:\n"
	"  --catalog PATH   add a catalog file or directory of your own (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog (%s)\n"
	"  --max-input SIZE largest input file read (default 64M; K, M, G suffixes); a\n"
	"                   stream or device is read up to it, then refused\n"
	"  --max-work N     work budget of the run (default 8000000 units: simulated\n"
	"                   flows, e.g. N(N-1) per size for an all-to-all of N GPUs, and\n"
	"                   1000 per sweep point, 1 per YAML node, aliases expanded)\n"
	"  -h, --help       help on the verb\n"
	"  --version        print the version\n"
	"\n"
	"Limits: YAML nested more than 64 deep is refused before it is parsed.  -o never\n"
	"overwrites an input (same file: exit 2).\n"
	"\n"
	"exit status: 0 ok, 1 bad input (or over a limit), 2 bad usage, 3 i/o error,\n"
	"4 internal error\n",
	LF_VERSION, lf_cli_catalog_dir());
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
	"  --json           JSON (fields: docs/json.md), with stage BOMs\n"
	"  --csv            the BOM as CSV, one row per line item (scope: total or stage)\n"
	"  --dot            the topology as Graphviz DOT (aggregated for large fabrics)\n"
	"  --cabling FILE   the cabling schedule, one row per cable: label, both ends\n"
	"                   (row, rack, U, device, port, cage/lane), part, medium,\n"
	"                   fibre, connector, orderable and routed length (FILE - for\n"
	"                   stdout, then the plan itself goes to -o or nowhere); the\n"
	"                   floor comes from the spec's layout: section, or a default\n"
	"                   derived from the SU structure (stated on stderr)\n"
	"  --cabling-format F  csv (default), ufm-p2p (UFM Cable Validation Tool P2P\n"
	"                   columns) or dot (point-to-point Graphviz topology)\n"
	"  --netbox DIR     NetBox bulk-import CSVs into DIR (created if missing):\n"
	"                   01-sites ... 08-cables.csv, to import in that order\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab plan examples/dgx-h100-4su.yaml\n"
	"  lightfab plan --json -o plan.json examples/dgx-h100-4su.yaml\n"
	"  lightfab plan --dot examples/dgx-h100-4su.yaml | dot -Tsvg > fabric.svg\n"
	"  lightfab plan --cabling cables.csv examples/dgx-h100-4su-layout.yaml\n"
	"  lightfab plan --netbox netbox/ examples/dgx-h100-4su-layout.yaml\n");
}

static int stdout_sink(void *ctx, const char *data, size_t len)
{
	(void)ctx;
	return fwrite(data, 1, len, stdout) == len ? 0 : -1;
}

/* The layout of a plan (when the spec has one or the cabling schedule is
 * asked for), its notes on stderr, and the schedule. */
static lf_status plan_layout(const lf_plan *plan, const char *cabling, lf_cabling_format cfmt,
                             const char *netbox, char **summary, lf_error *err)
{
	*summary = NULL;
	if (!cabling && !netbox && !plan->spec->layout.given)
		return LF_OK;
	lf_layout *ly = NULL;
	lf_status st = lf_layout_build(plan, &ly, err);
	if (st == LF_OK && ly->notes[0])
		fprintf(stderr, "%s: note: %s\n", prog, ly->notes);
	if (st == LF_OK)
		st = lf_layout_render(plan, ly, summary, err);
	if (st == LF_OK && cabling) {
		if (!strcmp(cabling, "-")) {
			st = lf_cabling_write(plan, ly, cfmt, stdout_sink, NULL, err);
			if (st == LF_OK && fflush(stdout) != 0) {
				*err = (lf_error){ .status = LF_EIO, .msg = "cannot write to stdout" };
				st = LF_EIO;
			}
		} else {
			st = lf_cabling_write_file(plan, ly, cfmt, cabling, err);
		}
	}
	if (st == LF_OK && netbox) {
		if (mkdir(netbox, 0777) != 0 && errno != EEXIST) {
			*err = (lf_error){ .status = LF_EIO };
			snprintf(err->file, sizeof err->file, "%s", netbox);
			snprintf(err->msg, sizeof err->msg, "cannot create directory: %s", strerror(errno));
			st = LF_EIO;
		} else {
			st = lf_netbox_write(plan, ly, netbox, err);
		}
	}
	lf_layout_free(ly);
	return st;
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

static void usage_source(FILE *f)
{
	fprintf(f,
	"usage: lightfab source [options] SCENARIO.yaml [SPEC.yaml]\n"
	"\n"
	"Plans the spec (the scenario's spec: or options:, or SPEC.yaml, or each\n"
	"--option) and sources its optics under the scenario: suppliers with prices,\n"
	"volume breaks, lead times, capacities, minimum orders and expedites; laser\n"
	"pools; reservations; stock; substitution rules.  Demand is what each\n"
	"deployment stage adds, per optical link level, served by any compatible\n"
	"transceiver pair.  Solved with GLPK (LP, or MIP for integer orders, minimum\n"
	"orders and price breaks).  Reports orders by supplier, SKU and period,\n"
	"deliveries, the date each stage is complete and its slip, cost by part,\n"
	"reservation use and worth, and the binding constraints with shadow prices.\n"
	"A stage that cannot be met is reported with why and what would fix it.\n"
	"With `choose: per-stage` and options: in the scenario, each stage is built\n"
	"from one option, chosen by the MIP with the orders; the output gives the\n"
	"choice per stage and what forcing each other option there would cost.\n"
	"\n"
	"options:\n"
	"  --option [NAME=]SPEC  a fabric option (repeatable): solve each, side by side\n"
	"  --reliability    add spares per transceiver SKU from `lightfab reliability` on\n"
	"                   the same plan (built-in parameters) as demand for that SKU,\n"
	"                   needed by the first stage's need-by\n"
	"  --reliability-params F  the same, with these reliability parameters (fill\n"
	"                   rate, replenishment lead time, FIT overrides)\n"
	"  --sweep-capacity POOL=FROM..TO  break-even: re-solve with laser pool POOL at\n"
	"                   each capacity from FROM to TO (lasers per period, every\n"
	"                   period); a table of objective, ready date and each stage's\n"
	"                   option (choose: per-stage), and where a stage's choice flips\n"
	"  --steps N        points of --sweep-capacity (default 11)\n"
	"  --table          readable table (default)\n"
	"  --json           JSON (documented in docs/source.md)\n"
	"  --csv            orders, stages and cost parts as CSV rows\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab source examples/supply-eml-shortage.yaml\n"
	"  lightfab source --json examples/supply-eml-shortage.yaml\n"
	"  lightfab source --reliability examples/supply-eml-shortage.yaml\n"
	"  lightfab source examples/supply-dual-track.yaml   # 800G or 1.6T per stage\n"
	"  lightfab source --sweep-capacity cw-sipho=0..4000 examples/supply-dual-track.yaml\n"
	"  lightfab source --option 800g=examples/b300-800g-eml.yaml \\\n"
	"                  --option 1.6t=examples/b300-1.6t.yaml examples/supply-eml-shortage.yaml\n");
}

static int exit_code(lf_status st)
{
	switch (st) {
	case LF_OK: return 0;
	case LF_EINPUT: return 1;
	case LF_ELIMIT: return 1;
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

/* --catalog PATH: 0, or 2 (bad usage) when there are too many */
static int add_catalog(common *c, const char *path)
{
	if (c->n_catalogs == (int)(sizeof c->catalogs / sizeof c->catalogs[0])) {
		fprintf(stderr, "%s: at most %zu --catalog options\n", prog,
		        sizeof c->catalogs / sizeof c->catalogs[0]);
		return 2;
	}
	c->catalogs[c->n_catalogs++] = path;
	return 0;
}

/* -o onto an input: 2 after a message, else -1.  The catalogs (the bundled
 * one unless --no-default-catalog) count as inputs, with `extra`. */
static int check_output(const common *c, const char *verb, const char *out,
                        const char *const *extra, size_t n_extra)
{
	const char *in[64 + 16];
	size_t n = 0;
	in[n++] = c->no_default ? NULL : lf_cli_catalog_dir();
	for (int i = 0; i < c->n_catalogs; i++)
		in[n++] = c->catalogs[i];
	for (size_t i = 0; i < n_extra && n < LF_ARRAY_LEN_CLI(in); i++)
		in[n++] = extra[i];
	return refuse_overwrite(prog, verb, out, in, n, 1);
}

/* Load the catalogs and the spec, then resolve: the order the library wants. */
static lf_status load_inputs(const common *c, const char *spec_path, lf_catalog **cat,
                             lf_spec **spec, lf_error *err)
{
	*spec = NULL;
	lf_status st = lf_catalog_new(cat, err);
	if (st != LF_OK)
		return st;
	if (!c->no_default)
		st = lf_catalog_load_path(*cat, lf_cli_catalog_dir(), err);
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
	if (!path)
		return write_stdout(prog, s);
	lf_status st = lf_write_file_atomic(path, s, strlen(s), err);
	return st == LF_OK ? 0 : report(err);
}

static int cmd_plan(int argc, char **argv)
{
	enum { O_JSON = 256, O_CSV, O_DOT, O_TABLE, O_CATALOG, O_NODEF, O_CABLING, O_CFMT,
	       O_NETBOX };
	static const struct option opts[] = {
		{ "cabling", required_argument, NULL, O_CABLING },
		{ "cabling-format", required_argument, NULL, O_CFMT },
		{ "netbox", required_argument, NULL, O_NETBOX },
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
	const char *out_path = NULL, *cabling = NULL, *netbox = NULL;
	lf_cabling_format cfmt = LF_CABLING_CSV;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (o) {
		case O_CABLING: cabling = optarg; break;
		case O_NETBOX: netbox = optarg; break;
		case O_CFMT:
			if (!strcmp(optarg, "csv")) {
				cfmt = LF_CABLING_CSV;
			} else if (!strcmp(optarg, "ufm-p2p")) {
				cfmt = LF_CABLING_UFM_P2P;
			} else if (!strcmp(optarg, "dot")) {
				cfmt = LF_CABLING_DOT;
			} else {
				fprintf(stderr, "%s plan: --cabling-format must be csv, ufm-p2p or dot, "
				        "got \"%s\"\n", prog, optarg);
				return 2;
			}
			break;
		case O_JSON: fmt = LF_FMT_JSON; break;
		case O_CSV: fmt = LF_FMT_CSV; break;
		case O_DOT: fmt = LF_FMT_DOT; break;
		case O_TABLE: fmt = LF_FMT_TABLE; break;
		case 'o': out_path = optarg; break;
		case O_CATALOG:
			if (add_catalog(&c, optarg))
				return 2;
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
	const char *in_plan[] = { argv[optind] };
	int rc0 = check_output(&c, "plan", out_path, in_plan, 1);
	if (rc0 < 0 && cabling && strcmp(cabling, "-"))
		rc0 = check_output(&c, "plan", cabling, in_plan, 1);   /* --cabling is an -o too */
	if (rc0 >= 0)
		return rc0;
	lf_error err = { 0 };
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	char *text = NULL;
	int rc;
	lf_status st = load_inputs(&c, argv[optind], &cat, &spec, &err);
	if (st == LF_OK)
		st = lf_plan_build(spec, cat, &plan, &err);
	char *summary = NULL;
	if (st == LF_OK)
		st = plan_layout(plan, cabling, cfmt, netbox, &summary, &err);
	int plan_out = !(cabling && !strcmp(cabling, "-")) || out_path;
	if (st == LF_OK && plan_out)
		st = lf_plan_render(plan, fmt, &text, &err);
	if (st == LF_OK && plan_out && summary && fmt == LF_FMT_TABLE) {
		/* the table goes on with the floor: racks, power, media mix, lengths */
		size_t n1 = strlen(text), n2 = strlen(summary);
		char *both = realloc(text, n1 + n2 + 1);
		if (both) {
			memcpy(both + n1, summary, n2 + 1);
			text = both;
		}
	}
	free(summary);
	rc = st != LF_OK ? report(&err) : plan_out ? write_out(out_path, text, &err) : 0;
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
			if (add_catalog(&c, optarg))
				return 2;
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
	const char *in_rel[] = { argv[optind], params_path, other };
	int rc0 = check_output(&c, "reliability", out_path, in_rel, 3);
	if (rc0 >= 0)
		return rc0;
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

static void usage_report(FILE *f)
{
	fprintf(f,
	"usage: lightfab report [options] SPEC.yaml\n"
	"\n"
	"Writes one self-contained HTML file (no scripts, nothing fetched; prints well)\n"
	"with the plan's summary cards (GPUs, switches, links, modules, power, capex,\n"
	"GPU:transceiver ratio), fabric tiers and media, the topology drawn with\n"
	"Graphviz (aggregated per SU / pod for large fabrics), the BOM table and charts\n"
	"(modules by SKU, power and capex by category, capex per stage).  The numbers\n"
	"are the ones `lightfab plan --json` prints.  Sections whose inputs are not\n"
	"given are left out.\n"
	"\n"
	"options:\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --reliability    add failures per day by class and spares per SKU\n"
	"  --reliability-params F  the same, with these reliability parameters\n"
	"  --job-gpus N     job size for the reliability section (default: whole cluster)\n"
	"  --no-topology    leave out the Graphviz drawing\n"
	"  --workload W     add a Simulation section: `lightfab sim SPEC W` as charts and\n"
	"                   tables (busBW vs message size with the link-rate bound, or the\n"
	"                   training step's breakdown and busiest links)\n"
	"  --supply S       add a Sourcing section: `lightfab source S SPEC` (stage\n"
	"                   readiness Gantt, orders by supplier and period, cost, what binds)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab report -o report.html examples/dgx-h100-4su.yaml\n"
	"  lightfab report --reliability-params examples/llama3-reliability.yaml \\\n"
	"      -o llama3.html examples/llama3-16k.yaml\n"
	"  lightfab report --workload examples/workload-allreduce-sweep.yaml \\\n"
	"      -o sweep.html examples/dgx-h100-4su.yaml\n"
	"  lightfab report --supply examples/supply-eml-shortage.yaml \\\n"
	"      -o eml.html examples/b300-800g-eml.yaml\n");
}

static void usage_serve(FILE *f)
{
	fprintf(f,
	"usage: lightfab serve [options]\n"
	"\n"
	"Serves a local web page with a spec editor and the report's sections, which\n"
	"follow the spec as you edit it, and a JSON API over the same library calls:\n"
	"  GET  /                   the page\n"
	"  POST /api/plan           body: spec YAML (or JSON {\"spec\": \"...\"}) -> plan JSON\n"
	"  POST /api/reliability    -> reliability JSON ({\"params\": YAML, \"job_gpus\": N})\n"
	"  POST /api/report         -> the report's HTML fragment\n"
	"Errors come back as {\"error\": {\"message\", \"line\", \"column\"}}.  Binds\n"
	"127.0.0.1 unless --address says otherwise.  Answers only requests whose Host\n"
	"is this server (127.0.0.1, localhost, [::1] or the bound address, on its port;\n"
	"DNS rebinding guard) and POSTs whose Origin, if any, is too; pages may not frame\n"
	"it.  On SIGINT/SIGTERM it stops accepting, answers every request in flight\n"
	"(a running simulation is cancelled with 503), then exits.\n"
	"\n"
	"options:\n"
	"  --port N         TCP port (default 8080; 0 picks a free one, printed)\n"
	"  --address A      IPv4 or IPv6 address to bind (default 127.0.0.1; other than\n"
	"                   127.x or ::1 warns)\n"
	"  --allow-host H   also answer to Host H (a name, or name:port; repeatable),\n"
	"                   e.g. behind a reverse proxy\n"
	"  --body-limit N   request body limit in bytes (default 1048576)\n"
	"  --timeout S      idle connection timeout in seconds (default 10)\n"
	"  --max-jobs N     requests computed at once (default 4; more wait, then 503)\n"
	"  --max-work N     work budget of one request (default 8000000 units; over it:\n"
	"                   413 before the work, see lightfab --help)\n"
	"  --time-limit S   wall time of one request's simulation (default 30; over it\n"
	"                   the simulation is cancelled and the answer is 503)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab serve --port 8080      then open http://127.0.0.1:8080/?example=dgx-h100-4su\n"
	"  curl --data-binary @examples/dgx-h100-4su.yaml http://127.0.0.1:8080/api/plan\n");
}

/* A whole number in [lo, hi] from an option, or -1 (after a message). */
static long long num_opt(const char *verb, const char *name, const char *s, long long lo,
                         long long hi)
{
	char *e;
	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (errno || *e || e == s || v < lo || v > hi) {
		fprintf(stderr, "%s %s: --%s must be a whole number in %lld..%lld, got \"%s\"\n", prog,
		        verb, name, lo, hi, s);
		return -1;
	}
	return v;
}

static int cmd_report(int argc, char **argv)
{
	enum { O_CATALOG = 256, O_NODEF, O_REL, O_PARAMS, O_JOB, O_NOTOPO, O_WORKLOAD, O_SUPPLY };
	static const struct option opts[] = {
		{ "output", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "reliability", no_argument, NULL, O_REL },
		{ "reliability-params", required_argument, NULL, O_PARAMS },
		{ "job-gpus", required_argument, NULL, O_JOB },
		{ "no-topology", no_argument, NULL, O_NOTOPO },
		{ "workload", required_argument, NULL, O_WORKLOAD },
		{ "supply", required_argument, NULL, O_SUPPLY },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	common c = { .n_catalogs = 0 };
	const char *out_path = NULL, *params_path = NULL, *workload_path = NULL,
	           *supply_path = NULL;
	int want_rel = 0, no_topo = 0;
	int64_t job_gpus = 0;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (o) {
		case 'o': out_path = optarg; break;
		case O_REL: want_rel = 1; break;
		case O_PARAMS: want_rel = 1; params_path = optarg; break;
		case O_NOTOPO: no_topo = 1; break;
		case O_JOB:
			if ((job_gpus = num_opt("report", "job-gpus", optarg, 1, INT64_MAX)) < 0)
				return 2;
			break;
		case O_WORKLOAD: workload_path = optarg; break;
		case O_SUPPLY: supply_path = optarg; break;
		case O_CATALOG:
			if (add_catalog(&c, optarg))
				return 2;
			break;
		case O_NODEF: c.no_default = 1; break;
		case 'h': usage_report(stdout); return 0;
		default: usage_report(stderr); return 2;
		}
	}
	if (optind != argc - 1) {
		fprintf(stderr, "%s report: expected one SPEC.yaml, got %d argument(s)\n"
		        "try: lightfab report --help\n", prog, argc - optind);
		return 2;
	}
	const char *in_rep[] = { argv[optind], params_path, workload_path, supply_path };
	int rc0 = check_output(&c, "report", out_path, in_rep, 4);
	if (rc0 >= 0)
		return rc0;
	lf_error err = { 0 };
	lf_reliability_params *params = NULL;
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	lf_reliability *rel = NULL;
	lf_workload *wl = NULL;
	lf_sim_report *sim = NULL;
	lf_supply_scenario *sc = NULL;
	lf_supply_result *sup = NULL;
	char *html = NULL;
	lf_status st = LF_OK;
	if (want_rel)
		st = lf_reliability_params_load(params_path, &params, &err);
	if (st == LF_OK && workload_path)
		st = lf_workload_load(workload_path, &wl, &err);
	if (st == LF_OK && supply_path)
		st = lf_supply_load(supply_path, &sc, &err);
	if (st == LF_OK)
		st = load_inputs(&c, argv[optind], &cat, &spec, &err);
	if (st == LF_OK)
		st = lf_plan_build(spec, cat, &plan, &err);
	if (st == LF_OK && want_rel)
		st = lf_reliability_compute(plan, params, job_gpus, &rel, &err);
	/* the same calls as `lightfab sim SPEC W` and `lightfab source S SPEC` */
	if (st == LF_OK && wl)
		st = lf_workload_run(plan, wl, &wl->sim, NULL, NULL, &sim, &err);
	if (st == LF_OK && sc) {
		const lf_plan *plans[1] = { plan };
		st = lf_supply_solve(sc, plans, NULL, 1, &sup, &err);
	}
	if (st == LF_OK) {
		lf_report_input in = { .plan = plan, .reliability = rel, .sim = sim, .supply = sup,
		                       .no_topology = no_topo };
		st = lf_report_render(&in, &html, &err);
	}
	int rc = st == LF_OK ? write_out(out_path, html, &err) : report(&err);
	free(html);
	lf_supply_free(sup);
	lf_supply_scenario_free(sc);
	lf_sim_report_free(sim);
	lf_workload_free(wl);
	lf_reliability_free(rel);
	lf_plan_free(plan);
	lf_spec_free(spec);
	lf_catalog_free(cat);
	lf_reliability_params_free(params);
	return rc;
}

static int cmd_serve(int argc, char **argv)
{
	enum { O_CATALOG = 256, O_NODEF, O_PORT, O_ADDR, O_BODY, O_TIMEOUT, O_JOBS, O_TLIMIT,
	       O_ALLOW };
	static const struct option opts[] = {
		{ "port", required_argument, NULL, O_PORT },
		{ "address", required_argument, NULL, O_ADDR },
		{ "body-limit", required_argument, NULL, O_BODY },
		{ "timeout", required_argument, NULL, O_TIMEOUT },
		{ "max-jobs", required_argument, NULL, O_JOBS },
		{ "time-limit", required_argument, NULL, O_TLIMIT },
		{ "allow-host", required_argument, NULL, O_ALLOW },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	common c = { .n_catalogs = 0 };
	lf_serve_config cfg = { .port = 8080 };
	const char *allow[32];
	size_t n_allow = 0;
	long long v;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (o) {
		case O_PORT:
			if ((v = num_opt("serve", "port", optarg, 0, 65535)) < 0)
				return 2;
			cfg.port = (int)v;
			break;
		case O_ADDR: cfg.address = optarg; break;
		case O_BODY:
			if ((v = num_opt("serve", "body-limit", optarg, 1, 1LL << 30)) < 0)
				return 2;
			cfg.body_limit = (size_t)v;
			break;
		case O_TIMEOUT:
			if ((v = num_opt("serve", "timeout", optarg, 1, 3600)) < 0)
				return 2;
			cfg.timeout_s = (unsigned)v;
			break;
		case O_JOBS:
			if ((v = num_opt("serve", "max-jobs", optarg, 1, 1024)) < 0)
				return 2;
			cfg.max_jobs = (unsigned)v;
			break;
		case O_TLIMIT:
			if ((v = num_opt("serve", "time-limit", optarg, 1, 86400)) < 0)
				return 2;
			cfg.time_limit_s = (unsigned)v;
			break;
		case O_ALLOW:
			if (n_allow == LF_ARRAY_LEN_CLI(allow)) {
				fprintf(stderr, "%s serve: at most %zu --allow-host\n", prog, n_allow);
				return 2;
			}
			allow[n_allow++] = optarg;
			break;
		case O_CATALOG:
			if (add_catalog(&c, optarg))
				return 2;
			break;
		case O_NODEF: c.no_default = 1; break;
		case 'h': usage_serve(stdout); return 0;
		default: usage_serve(stderr); return 2;
		}
	}
	if (optind != argc) {
		fprintf(stderr, "%s serve: takes no SPEC (specs are posted to it), got %d argument(s)\n"
		        "try: lightfab serve --help\n", prog, argc - optind);
		return 2;
	}
	cfg.allow_hosts = allow;
	cfg.n_allow_hosts = n_allow;
	if (cfg.address && strncmp(cfg.address, "127.", 4) && strcmp(cfg.address, "::1"))
		fprintf(stderr, "%s serve: warning: binding %s, not loopback: anyone who can reach "
		        "this address can use the server (no authentication, no TLS)\n", prog,
		        cfg.address);
	lf_error err = { 0 };
	lf_catalog *cat = NULL;
	lf_status st = lf_catalog_new(&cat, &err);
	if (st == LF_OK && !c.no_default)
		st = lf_catalog_load_path(cat, lf_cli_catalog_dir(), &err);
	for (int i = 0; st == LF_OK && i < c.n_catalogs; i++)
		st = lf_catalog_load_path(cat, c.catalogs[i], &err);
	if (st == LF_OK)
		st = lf_catalog_finish(cat, &err);
	if (st != LF_OK) {
		int rc = report(&err);
		lf_catalog_free(cat);
		return rc;
	}
	/* the server's threads inherit this mask; only sigwait below sees the signals */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	cfg.cat = cat;
	lf_serve *srv = NULL;
	st = lf_serve_start(&cfg, &srv, &err);
	if (st != LF_OK) {
		int rc = st == LF_EINPUT ? (report(&err), 2) : report(&err);
		lf_catalog_free(cat);
		return rc;
	}
	int v6 = cfg.address && strchr(cfg.address, ':');
	printf("lightfab serve: http://%s%s%s:%d/ (Ctrl-C to stop)\n", v6 ? "[" : "",
	       cfg.address ? cfg.address : "127.0.0.1", v6 ? "]" : "", lf_serve_port(srv));
	fflush(stdout);
	int sig = 0;
	sigwait(&set, &sig);
	fprintf(stderr, "%s serve: %s, stopping\n", prog, sig == SIGINT ? "SIGINT" : "SIGTERM");
	lf_serve_stop(srv);
	lf_catalog_free(cat);
	return 0;
}

static void usage_sim(FILE *f)
{
	fprintf(f,
	"usage: lightfab sim [options] SPEC.yaml WORKLOAD.yaml\n"
	"\n"
	"Plans the fabric of SPEC.yaml, then simulates WORKLOAD.yaml on it flow by flow\n"
	"(max-min fair sharing of every link, NVLink inside a server): either a list of\n"
	"collectives, one size or an nccl-tests-like sweep (8 B .. 8 GiB), printed as\n"
	"nccl-tests prints them (size, count, type, time in us, algbw, busbw in GB/s), or\n"
	"a training step derived from the model's shapes (layers, hidden, heads, MLP,\n"
	"vocabulary, MoE experts) and its layout (TP, CP, PP with virtual stages, DP,\n"
	"EP; recompute, sequence parallelism, ZeRO/FSDP): every GEMM timed on a roofline\n"
	"of the GPU, all TP/PP/CP/EP/DP traffic of the step in one simulation, and the\n"
	"step broken down into compute, pipeline bubble and each kind's exposed\n"
	"communication, with tokens/s, MFU, HFU and the busiest links (example:\n"
	"lightfab sim examples/dgx-h100-4su.yaml examples/workload-llama70b.yaml); or a\n"
	"traffic matrix (flows listed, from a CSV file, or generated: permutation,\n"
	"all-to-all, incast, shift, random): last flow, flow completion time percentiles\n"
	"and slowdown against each flow alone.\n"
	"Collectives run as NCCL runs them: `algorithm: auto` is NCCL's tuner (v2.30.7\n"
	"tables) picking ring, tree, nvls, nvls-tree, collnet-direct/chain or pat and the\n"
	"LL, LL128 or Simple protocol per size; each row shows the choice.  The\n"
	"workload format and the model's assumptions are in docs/sim.md.\n"
	"\n"
	"options:\n"
	"  --table          nccl-tests-style table (default)\n"
	"  --json           JSON (a stable object, see docs/sim.md)\n"
	"  --csv            one row per size (collectives) or per kind of traffic (training)\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --routing R      default (the fabric's own: adaptive routing, i.e. spray, on\n"
	"                   InfiniBand and Spectrum-X, ECMP on other Ethernet), ecmp (hash\n"
	"                   each connection onto one path), spray (split every flow over all\n"
	"                   equal-cost paths), adaptive (least-loaded path at flow start) or\n"
	"                   ftree (the subnet manager's static up/down tables, D-mod-K);\n"
	"                   overrides the workload's sim.routing.   e.g. --routing ftree\n"
	"  --seed N         seed of the ECMP hash and of random link failures (default:\n"
	"                   the workload's sim.seed, else 1).      e.g. --seed 7\n"
	"  --failed-links N fail N links of the fabric picked at random (seeded), on top of\n"
	"                   the links the workload lists.         e.g. --failed-links 4\n"
	"  --gpus N         size of the job (overrides the workload's job.gpus). e.g. --gpus 256\n"
	"  --quiet          no progress line (it is shown on a terminal for runs over 1 s)\n"
	"  --fct F.csv      traffic workloads: write one row per flow to F.csv (src, dst,\n"
	"                   bytes, start_us, finish_us, fct_us, ideal_us, slowdown, path:\n"
	"                   the links it used).        e.g. --fct fct.csv\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"examples:\n"
	"  lightfab sim examples/dgx-h100-4su.yaml examples/workload-allreduce-sweep.yaml\n"
	"  lightfab sim --fct fct.csv examples/dgx-h100-4su.yaml examples/workload-permutation.yaml\n"
	"  lightfab sim --routing spray --json -o sweep.json examples/dgx-h100-4su.yaml \\\n"
	"      examples/workload-allreduce-sweep.yaml\n"
	"  lightfab sim --failed-links 8 examples/dgx-h100-4su.yaml examples/workload-llama70b.yaml\n");
}

/* The progress line: on a terminal only, once the run has taken a second. */
typedef struct progress_state {
	double start, last;
	int shown;
} progress_state;

static void on_progress(void *ctx, const lf_sim_progress *p)
{
	progress_state *ps = ctx;
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

static int cmd_sim(int argc, char **argv)
{
	enum { O_JSON = 256, O_CSV, O_TABLE, O_CATALOG, O_NODEF, O_ROUTING, O_SEED, O_FAILED,
	       O_GPUS, O_QUIET, O_FCT };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "table", no_argument, NULL, O_TABLE },
		{ "output", required_argument, NULL, 'o' },
		{ "routing", required_argument, NULL, O_ROUTING },
		{ "seed", required_argument, NULL, O_SEED },
		{ "failed-links", required_argument, NULL, O_FAILED },
		{ "gpus", required_argument, NULL, O_GPUS },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "fct", required_argument, NULL, O_FCT },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	common c = { .n_catalogs = 0 };
	lf_format fmt = LF_FMT_TABLE;
	const char *out_path = NULL, *fct_path = NULL;
	int route = -1, quiet = 0;
	long long seed = -1, failed = -1, gpus = -1;
	int o;
	optind = 1;
	while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (o) {
		case O_JSON: fmt = LF_FMT_JSON; break;
		case O_CSV: fmt = LF_FMT_CSV; break;
		case O_TABLE: fmt = LF_FMT_TABLE; break;
		case 'o': out_path = optarg; break;
		case O_ROUTING:
			if (!strcmp(optarg, "ecmp")) route = LF_ROUTE_ECMP;
			else if (!strcmp(optarg, "spray")) route = LF_ROUTE_SPRAY;
			else if (!strcmp(optarg, "adaptive")) route = LF_ROUTE_ADAPTIVE;
			else if (!strcmp(optarg, "ftree")) route = LF_ROUTE_FTREE;
			else if (!strcmp(optarg, "default")) route = LF_ROUTE_DEFAULT;
			else {
				fprintf(stderr, "%s sim: --routing must be ecmp, spray, adaptive, ftree or default, got "
				        "\"%s\"\n", prog, optarg);
				return 2;
			}
			break;
		case O_SEED:
			if ((seed = num_opt("sim", "seed", optarg, 0, 1LL << 62)) < 0)
				return 2;
			break;
		case O_FAILED:
			if ((failed = num_opt("sim", "failed-links", optarg, 0, 1000000)) < 0)
				return 2;
			break;
		case O_GPUS:
			if ((gpus = num_opt("sim", "gpus", optarg, 1, 1LL << 40)) < 0)
				return 2;
			break;
		case O_QUIET: quiet = 1; break;
		case O_FCT: fct_path = optarg; break;
		case O_CATALOG:
			if (add_catalog(&c, optarg))
				return 2;
			break;
		case O_NODEF: c.no_default = 1; break;
		case 'h': usage_sim(stdout); return 0;
		default: usage_sim(stderr); return 2;
		}
	}
	if (optind != argc - 2) {
		fprintf(stderr, "%s sim: expected SPEC.yaml and WORKLOAD.yaml, got %d argument(s)\n"
		        "try: lightfab sim --help\n", prog, argc - optind);
		return 2;
	}
	const char *in_sim[] = { argv[optind], argv[optind + 1] };
	int rc0 = check_output(&c, "sim", out_path, in_sim, 2);
	if (rc0 >= 0)
		return rc0;
	lf_error err = { 0 };
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	lf_workload *wl = NULL;
	lf_sim_report *rep = NULL;
	char *text = NULL, *fct = NULL;
	progress_state ps = { .start = lf_wall_now() };
	lf_status st = lf_workload_load(argv[optind + 1], &wl, &err);
	if (st == LF_OK && fct_path && !wl->has_traffic) {
		fprintf(stderr, "%s sim: --fct writes the flows of a traffic: workload; %s has %s\n",
		        prog, wl->file, wl->has_training ? "a training step" : "collectives");
		lf_workload_free(wl);
		return 2;
	}
	if (st == LF_OK)
		st = load_inputs(&c, argv[optind], &cat, &spec, &err);
	if (st == LF_OK)
		st = lf_plan_build(spec, cat, &plan, &err);
	if (st == LF_OK) {
		lf_sim_config cfg = wl->sim;
		if (route >= 0)
			cfg.route = (lf_route)route;
		if (seed >= 0)
			cfg.seed = (uint64_t)seed;
		if (failed >= 0)
			cfg.failed_count = (int)failed;
		if (gpus > 0)
			wl->gpus = gpus;
		cfg.record_paths = fct_path != NULL;
		int tty = !quiet && isatty(STDERR_FILENO);
		st = lf_workload_run(plan, wl, &cfg, tty ? on_progress : NULL, &ps, &rep, &err);
		if (ps.shown)
			fprintf(stderr, "\r\033[K");
	}
	if (st == LF_OK)
		st = lf_sim_report_render(rep, fmt, &text, &err);
	if (st == LF_OK && fct_path)
		st = lf_sim_report_fct_csv(rep, &fct, &err);
	int rc = st == LF_OK && fct_path ? write_out(fct_path, fct, &err) : 0;
	if (rc == 0)
		rc = st == LF_OK ? write_out(out_path, text, &err) : report(&err);
	free(text);
	free(fct);
	lf_sim_report_free(rep);
	lf_workload_free(wl);
	lf_plan_free(plan);
	lf_spec_free(spec);
	lf_catalog_free(cat);
	return rc;
}

#define MAX_OPTIONS 16

static int cmd_source(int argc, char **argv)
{
	enum { O_JSON = 256, O_CSV, O_TABLE, O_CATALOG, O_NODEF, O_OPTION, O_REL, O_PARAMS,
	       O_SWEEPCAP, O_STEPS };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "table", no_argument, NULL, O_TABLE },
		{ "output", required_argument, NULL, 'o' },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "option", required_argument, NULL, O_OPTION },
		{ "reliability", no_argument, NULL, O_REL },
		{ "reliability-params", required_argument, NULL, O_PARAMS },
		{ "sweep-capacity", required_argument, NULL, O_SWEEPCAP },
		{ "steps", required_argument, NULL, O_STEPS },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	common c = { .n_catalogs = 0 };
	lf_format fmt = LF_FMT_TABLE;
	const char *out_path = NULL, *params_path = NULL;
	const char *opt_name[MAX_OPTIONS], *opt_path[MAX_OPTIONS];
	char *opt_buf[MAX_OPTIONS] = { NULL };
	int n_opt = 0, o, rc = 0, want_rel = 0, steps = 11;
	char sweep_pool[128] = "";
	double sweep_from = 0, sweep_to = 0;
	optind = 1;
	while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (o) {
		case O_JSON: fmt = LF_FMT_JSON; break;
		case O_CSV: fmt = LF_FMT_CSV; break;
		case O_TABLE: fmt = LF_FMT_TABLE; break;
		case 'o': out_path = optarg; break;
		case O_REL: want_rel = 1; break;
		case O_PARAMS: want_rel = 1; params_path = optarg; break;
		case O_SWEEPCAP: {
			/* POOL=FROM..TO */
			const char *eq = strrchr(optarg, '='), *dots = eq ? strstr(eq, "..") : NULL;
			char *e1 = NULL, *e2 = NULL;
			char num[64];
			if (eq && dots && (size_t)(dots - eq) <= sizeof num &&
			    (size_t)(eq - optarg) < sizeof sweep_pool) {
				/* "0..4000": strtod would read "0." */
				memcpy(num, eq + 1, (size_t)(dots - eq - 1));
				num[dots - eq - 1] = 0;
				sweep_from = strtod(num, &e1);
				if (*e1 || e1 == num)
					e1 = NULL;
				sweep_to = strtod(dots + 2, &e2);
				if (e2 == dots + 2)
					e2 = NULL;
			}
			if (!eq || !dots || eq == optarg || !e1 || !e2 || *e2 ||
			    (size_t)(eq - optarg) >= sizeof sweep_pool) {
				fprintf(stderr, "%s source: --sweep-capacity expects POOL=FROM..TO (e.g. "
				        "cw=2000..12000), got \"%s\"\n", prog, optarg);
				rc = 2;
				goto done;
			}
			memcpy(sweep_pool, optarg, (size_t)(eq - optarg));
			sweep_pool[eq - optarg] = 0;
			break;
		}
		case O_STEPS: steps = atoi(optarg); break;
		case O_OPTION: {
			if (n_opt == MAX_OPTIONS) {
				fprintf(stderr, "%s source: at most %d --option\n", prog, MAX_OPTIONS);
				rc = 2;
				goto done;
			}
			char *eq = strchr(optarg, '=');
			opt_name[n_opt] = NULL;
			opt_path[n_opt] = optarg;
			if (eq) {
				opt_buf[n_opt] = strndup(optarg, (size_t)(eq - optarg));
				opt_name[n_opt] = opt_buf[n_opt];
				opt_path[n_opt] = eq + 1;
			}
			n_opt++;
			break;
		}
		case O_CATALOG:
			if ((rc = add_catalog(&c, optarg)))
				goto done;
			break;
		case O_NODEF: c.no_default = 1; break;
		case 'h': usage_source(stdout); goto done;
		default: usage_source(stderr); rc = 2; goto done;
		}
	}
	if (argc - optind < 1 || argc - optind > 2 || (argc - optind == 2 && n_opt)) {
		fprintf(stderr, "%s source: expected SCENARIO.yaml [SPEC.yaml] (or --option "
		        "instead of SPEC.yaml), got %d argument(s)\ntry: lightfab source --help\n",
		        prog, argc - optind);
		rc = 2;
		goto done;
	}
	lf_error err = { 0 };
	lf_supply_scenario *sc = NULL;
	lf_status st = lf_supply_load(argv[optind], &sc, &err);
	if (st == LF_OK && argc - optind == 2) {
		opt_name[0] = NULL;
		opt_path[0] = argv[optind + 1];
		n_opt = 1;
	}
	if (st == LF_OK && !n_opt) {
		for (size_t i = 0; i < sc->n_options && n_opt < MAX_OPTIONS; i++) {
			opt_name[n_opt] = sc->options[i].name;
			opt_path[n_opt++] = sc->options[i].spec_path;
		}
		if (!n_opt) {
			fprintf(stderr, "%s source: the scenario names no spec: give SPEC.yaml, "
			        "--option, or spec: in %s\n", prog, argv[optind]);
			lf_supply_scenario_free(sc);
			rc = 2;
			goto done;
		}
	}
	if (st == LF_OK) {
		const char *in_src[MAX_OPTIONS + 2] = { argv[optind], params_path };
		for (int i = 0; i < n_opt; i++)
			in_src[2 + i] = opt_path[i];
		int rc0 = check_output(&c, "source", out_path, in_src, (size_t)n_opt + 2);
		if (rc0 >= 0) {
			lf_supply_scenario_free(sc);
			rc = rc0;
			goto done;
		}
	}
	lf_catalog *cat[MAX_OPTIONS] = { NULL };
	lf_spec *spec[MAX_OPTIONS] = { NULL };
	lf_plan *plan[MAX_OPTIONS] = { NULL };
	lf_supply_result *res = NULL;
	lf_reliability_params *params = NULL;
	lf_reliability *rel[MAX_OPTIONS] = { NULL };
	char *text = NULL;
	if (st == LF_OK && want_rel)
		st = lf_reliability_params_load(params_path, &params, &err);
	for (int i = 0; st == LF_OK && i < n_opt; i++) {
		st = load_inputs(&c, opt_path[i], &cat[i], &spec[i], &err);
		if (st == LF_OK)
			st = lf_plan_build(spec[i], cat[i], &plan[i], &err);
		/* spares per SKU on the same plan, as `lightfab reliability` computes them */
		if (st == LF_OK && want_rel)
			st = lf_reliability_compute(plan[i], params, 0, &rel[i], &err);
	}
	lf_supply_sweep *sweep = NULL;
	if (st == LF_OK && sweep_pool[0]) {
		/* break-even: re-solve over the pool's capacity */
		st = lf_supply_sweep_capacity(sc, (const lf_plan *const *)plan, opt_name,
		                              (size_t)n_opt, sweep_pool, sweep_from, sweep_to, steps,
		                              &sweep, &err);
		if (st == LF_OK)
			st = lf_supply_sweep_render(sweep, fmt, &text, &err);
	} else if (st == LF_OK) {
		st = lf_supply_solve_spares(sc, (const lf_plan *const *)plan,
		                            want_rel ? (const lf_reliability *const *)rel : NULL,
		                            opt_name, (size_t)n_opt, &res, &err);
		if (st == LF_OK)
			st = lf_supply_render(res, fmt, &text, &err);
	}
	rc = st == LF_OK ? write_out(out_path, text, &err) : report(&err);
	free(text);
	lf_supply_free(res);
	lf_supply_sweep_free(sweep);
	for (int i = 0; i < MAX_OPTIONS; i++) {
		lf_reliability_free(rel[i]);
		lf_plan_free(plan[i]);
		lf_spec_free(spec[i]);
		lf_catalog_free(cat[i]);
	}
	lf_supply_scenario_free(sc);
	lf_reliability_params_free(params);
done:
	for (int i = 0; i < MAX_OPTIONS; i++)
		free(opt_buf[i]);
	return rc;
}

/* sweep and compare: the shared options (sweep_cli.h), serial evaluation */
static int cmd_sweep(int argc, char **argv, int compare)
{
	lf_sweep *sw = NULL;
	sweep_opts o;
	int rc = sweep_parse(argc, argv, compare, prog, 1, &sw, &o);
	if (rc >= 0)
		return rc;
	size_t n = lf_sweep_n_points(sw);
	lf_sweep_row *rows = calloc(n ? n : 1, sizeof *rows);
	lf_error err = { 0 };
	sweep_progress ps = { .start = lf_wall_now() };
	int tty = !o.quiet && isatty(STDERR_FILENO);
	lf_status st = rows ? lf_sweep_run(sw, rows, tty ? sweep_on_progress : NULL, &ps, &err)
	                    : LF_ENOMEM;
	sweep_progress_end(&ps);
	if (!rows)
		fprintf(stderr, "%s: out of memory for %zu rows\n", prog, n);
	rc = !rows ? 4 : st == LF_OK ? sweep_output(prog, sw, rows, n, &o) : report(&err);
	free(rows);
	lf_sweep_free(sw);
	return rc;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage_main(stderr);
		return 2;
	}
	int rc = limits_parse(&argc, argv, prog, 1);
	if (rc >= 0)
		return rc;
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
		else if (argc > 2 && !strcmp(argv[2], "source"))
			usage_source(stdout);
		else if (argc > 2 && !strcmp(argv[2], "report"))
			usage_report(stdout);
		else if (argc > 2 && !strcmp(argv[2], "serve"))
			usage_serve(stdout);
		else if (argc > 2 && !strcmp(argv[2], "sim"))
			usage_sim(stdout);
		else if (argc > 2 && !strcmp(argv[2], "sweep"))
			sweep_usage(stdout, 0, prog);
		else if (argc > 2 && !strcmp(argv[2], "compare"))
			sweep_usage(stdout, 1, prog);
		else
			usage_main(stdout);
		return 0;
	}
	if (!strcmp(verb, "plan"))
		return cmd_plan(argc - 1, argv + 1);
	if (!strcmp(verb, "reliability"))
		return cmd_reliability(argc - 1, argv + 1);
	if (!strcmp(verb, "source"))
		return cmd_source(argc - 1, argv + 1);
	if (!strcmp(verb, "report"))
		return cmd_report(argc - 1, argv + 1);
	if (!strcmp(verb, "serve"))
		return cmd_serve(argc - 1, argv + 1);
	if (!strcmp(verb, "sim"))
		return cmd_sim(argc - 1, argv + 1);
	if (!strcmp(verb, "sweep"))
		return cmd_sweep(argc - 1, argv + 1, 0);
	if (!strcmp(verb, "compare"))
		return cmd_sweep(argc - 1, argv + 1, 1);
	fprintf(stderr, "%s: unknown verb \"%s\"\ntry: lightfab --help\n", prog, verb);
	return 2;
}
