/*
 * cli_sweep.c — the command line of `lightfab sweep` and `lightfab compare`,
 * shared by the CLI (tools/lightfab.c) and the MPI driver
 * (tools/lightfab_mpi.c), so that both read the same command line into the
 * same lf_sweep and write the same bytes (cli.h).
 */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

void cli_sweep_usage(FILE *f, int compare, const char *tool)
{
	if (compare) {
		fprintf(f,
		"usage: %s compare [options] A.yaml B.yaml [C.yaml ...]\n"
		"\n"
		"Plans each spec (and, when given, simulates the workload, rates reliability and\n"
		"sources the optics) and puts the key figures side by side: GPUs, switches,\n"
		"links, modules, power, capex, transceivers per GPU, busBW or step time,\n"
		"interruptions per day, ready date; each with its difference against the first\n"
		"spec.  A spec that cannot be planned keeps its column with the reason.\n"
		"\n", tool);
	} else {
		fprintf(f,
		"usage: %s sweep [options] SPEC.yaml --vary PATH=V1,V2,... [--vary ...]\n"
		"       %s sweep [options] --sweep SWEEP.yaml [SPEC.yaml]\n"
		"\n"
		"Evaluates every combination of the --vary values (the cartesian product, the\n"
		"last --vary varying fastest): each point is the spec with those values set,\n"
		"planned and, when given, simulated (--workload), rated (--reliability) and\n"
		"sourced (--supply).  One row per point in point order; a point the spec\n"
		"rejects is kept as \"invalid\", one that cannot be planned, simulated or\n"
		"sourced as \"infeasible\", each with the reason.  The pareto column marks the\n"
		"points no other point beats on every objective.\n"
		"\n"
		"PATH names a spec value: keys separated by dots, list indices 0-based in\n"
		"brackets (fabric.tiers[1].link_speed is the spine tier's); workload.PATH a\n"
		"value of the --workload (workload.training.parallel.tp: a layout search).\n"
		"Values are YAML scalars separated by commas.  An unknown path, an empty list\n"
		"or a malformed expression is an error; docs/sweep.md has the details and a\n"
		"sweep file.\n"
		"\n"
		"options:\n"
		"  --vary PATH=V1,V2,...  a parameter and its values (repeatable)\n"
		"  --sweep F        a sweep file: spec, vary, objectives, workload, supply,\n"
		"                   reliability (docs/sweep.md)\n", tool, tool);
	}
	fprintf(f,
	"  --objective COL[:min|:max]  a Pareto objective (repeatable); default capex_usd:min,\n"
	"                   power_typ_w:min, and busbw_gbs:max or step_s:min (workload),\n"
	"                   interrupts_per_day:min (reliability), ready:min (supply)\n"
	"  --workload W     simulate this workload (`lightfab sim SPEC W`) on each point\n"
	"  --supply S       source each point under this scenario (`lightfab source S SPEC`)\n"
	"  --reliability    reliability columns with the built-in parameters\n"
	"  --reliability-params F  the same, with these parameters\n"
	"  --job-gpus N     job size for the reliability columns (default: the cluster)\n"
	"  --table          readable table (default)\n"
	"  --json           JSON\n"
	"  --csv            CSV, one row per point%s\n"
	"  --html F         also write an HTML page: the Pareto chart and the table\n"
	"  -o, --output F   write to F instead of stdout (atomically)\n"
	"  --quiet          no progress line (it is shown on a terminal only)\n"
	"  --catalog PATH   add a catalog file or directory (repeatable)\n"
	"  --no-default-catalog  do not load the bundled catalog\n"
	"\n"
	"columns: gpus servers switches links modules power_typ_w power_max_w capex_usd\n"
	"  xcvr_per_gpu; busbw_gbs time_us (collectives: the largest size of the first) or\n"
	"  step_s tokens_per_s memory_gib (training); interrupts_per_day job_mttf_h\n"
	"  goodput; ready max_slip supply_usd\n"
	"\n"
	"examples:\n", compare ? " (compare: metrics down, specs across)" : "");
	if (compare)
		fprintf(f,
		"  %s compare examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml\n"
		"  %s compare --csv --reliability examples/b300-800g-eml.yaml \\\n"
		"      examples/b300-q3400-staged.yaml\n", tool, tool);
	else
		fprintf(f,
		"  %s sweep examples/dgx-h100-4su.yaml --vary fabric.planes=1,2 \\\n"
		"      --vary fabric.tiers[0].oversubscription=1:1,3:1\n"
		"  %s sweep --csv --sweep examples/sweep-h100-rails.yaml\n"
		"  mpirun -np 2 build/lightfab-mpi sweep --csv --sweep examples/sweep-h100-rails.yaml\n",
		tool, tool);
}

int cli_sweep_parse(int argc, char **argv, int compare, const char *prog, int verbose,
                    lf_sweep **out, cli_sweep_opts *o)
{
	enum { O_JSON = 256, O_CSV, O_TABLE, O_CATALOG, O_NODEF, O_VARY, O_SWEEP, O_OBJ,
	       O_WORKLOAD, O_SUPPLY, O_REL, O_PARAMS, O_JOB, O_HTML, O_QUIET };
	static const struct option opts[] = {
		{ "json", no_argument, NULL, O_JSON },
		{ "csv", no_argument, NULL, O_CSV },
		{ "table", no_argument, NULL, O_TABLE },
		{ "output", required_argument, NULL, 'o' },
		{ "vary", required_argument, NULL, O_VARY },
		{ "sweep", required_argument, NULL, O_SWEEP },
		{ "objective", required_argument, NULL, O_OBJ },
		{ "workload", required_argument, NULL, O_WORKLOAD },
		{ "supply", required_argument, NULL, O_SUPPLY },
		{ "reliability", no_argument, NULL, O_REL },
		{ "reliability-params", required_argument, NULL, O_PARAMS },
		{ "job-gpus", required_argument, NULL, O_JOB },
		{ "html", required_argument, NULL, O_HTML },
		{ "quiet", no_argument, NULL, O_QUIET },
		{ "catalog", required_argument, NULL, O_CATALOG },
		{ "no-default-catalog", no_argument, NULL, O_NODEF },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *verb = compare ? "compare" : "sweep";
	const char *vary[256], *objs[LF_COL_COUNT], *cats[64];
	int n_vary = 0, n_obj = 0, n_cat = 0, no_def = 0, want_rel = 0;
	const char *sweep_file = NULL, *workload = NULL, *supply = NULL, *params = NULL;
	long long job = 0;
	memset(o, 0, sizeof *o);
	o->fmt = LF_FMT_TABLE;
	o->compare = compare;
	*out = NULL;
	int c;
	optind = 1;
	opterr = verbose;
	while ((c = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
		switch (c) {
		case O_JSON: o->fmt = LF_FMT_JSON; break;
		case O_CSV: o->fmt = LF_FMT_CSV; break;
		case O_TABLE: o->fmt = LF_FMT_TABLE; break;
		case 'o': o->out_path = optarg; break;
		case O_HTML: o->html_path = optarg; break;
		case O_QUIET: o->quiet = 1; break;
		case O_VARY:
		case O_SWEEP:
			if (compare) {
				if (verbose)
					fprintf(stderr, "%s compare: --%s belongs to `lightfab sweep`\n", prog,
					        c == O_VARY ? "vary" : "sweep");
				return 2;
			}
			if (c == O_SWEEP)
				sweep_file = optarg;
			else if (n_vary < 256)
				vary[n_vary++] = optarg;
			break;
		case O_OBJ:
			if (n_obj == LF_COL_COUNT) {
				if (verbose)
					fprintf(stderr, "%s %s: at most %d --objective\n", prog, verb, LF_COL_COUNT);
				return 2;
			}
			objs[n_obj++] = optarg;
			break;
		case O_WORKLOAD: workload = optarg; break;
		case O_SUPPLY: supply = optarg; break;
		case O_REL: want_rel = 1; break;
		case O_PARAMS: want_rel = 1; params = optarg; break;
		case O_JOB: {
			char *e;
			job = strtoll(optarg, &e, 10);
			if (*e || e == optarg || job < 1) {
				if (verbose)
					fprintf(stderr, "%s %s: --job-gpus must be a whole number >= 1, got \"%s\"\n",
					        prog, verb, optarg);
				return 2;
			}
			want_rel = 1;
			break;
		}
		case O_CATALOG:
			if (n_cat == 64) {
				if (verbose)
					fprintf(stderr, "%s: at most 64 --catalog options\n", prog);
				return 2;
			}
			cats[n_cat++] = optarg;
			break;
		case O_NODEF: no_def = 1; break;
		case 'h':
			if (verbose)
				cli_sweep_usage(stdout, compare, prog);
			return 0;
		default:
			if (verbose)
				cli_sweep_usage(stderr, compare, prog);
			return 2;
		}
	}
	int n_spec = argc - optind;
	if (compare && n_spec < 2) {
		if (verbose)
			fprintf(stderr, "%s compare: expected at least two specs, got %d\n"
			        "try: lightfab compare --help\n", prog, n_spec);
		return 2;
	}
	if (!compare && (n_spec > 1 || (n_spec == 0 && !sweep_file))) {
		if (verbose)
			fprintf(stderr, "%s sweep: expected one SPEC.yaml (or --sweep FILE naming it), "
			        "got %d argument(s)\ntry: lightfab sweep --help\n", prog, n_spec);
		return 2;
	}
	if (!compare && !sweep_file && n_vary == 0) {
		if (verbose)
			fprintf(stderr, "%s sweep: nothing to vary: give --vary PATH=V1,V2,... or "
			        "--sweep FILE\ntry: lightfab sweep --help\n", prog);
		return 2;
	}
	{
		const char *in[64 + 8 + 256];
		size_t n_in = 0;
		in[n_in++] = no_def ? NULL : cli_catalog_dir();
		in[n_in++] = sweep_file;
		in[n_in++] = workload;
		in[n_in++] = supply;
		in[n_in++] = params;
		for (int i = 0; i < n_cat; i++)
			in[n_in++] = cats[i];
		for (int i = optind; i < argc && n_in < CLI_LEN(in); i++)
			in[n_in++] = argv[i];
		int rc = cli_refuse_overwrite(prog, verb, o->out_path, in, n_in, verbose);
		if (rc < 0)
			rc = cli_refuse_overwrite(prog, verb, o->html_path, in, n_in, verbose);
		if (rc >= 0)
			return rc;
	}
	lf_error err = { 0 };
	lf_sweep *sw = NULL;
	lf_status st = lf_sweep_new(&sw, &err);
	if (st == LF_OK && !no_def)
		st = lf_sweep_add_catalog(sw, cli_catalog_dir(), &err);
	for (int i = 0; st == LF_OK && i < n_cat; i++)
		st = lf_sweep_add_catalog(sw, cats[i], &err);
	/* specs first, so that every axis is checked against them */
	for (int i = optind; st == LF_OK && i < argc; i++)
		st = lf_sweep_add_spec(sw, argv[i], &err);
	if (st == LF_OK && sweep_file)
		st = lf_sweep_load_file(sw, sweep_file, &err);
	if (st == LF_OK && lf_sweep_n_points(sw) == 0 && sweep_file && n_spec == 0) {
		if (verbose)
			fprintf(stderr, "%s sweep: %s names no spec: add spec: to it or give "
			        "SPEC.yaml\n", prog, sweep_file);
		lf_sweep_free(sw);
		return 2;
	}
	for (int i = 0; st == LF_OK && i < n_vary; i++)
		st = lf_sweep_add_vary(sw, vary[i], &err);
	for (int i = 0; st == LF_OK && i < n_obj; i++)
		st = lf_sweep_add_objective(sw, objs[i], &err);
	if (st == LF_OK && workload)
		st = lf_sweep_set_workload(sw, workload, &err);
	if (st == LF_OK && supply)
		st = lf_sweep_set_supply(sw, supply, &err);
	if (st == LF_OK && want_rel)
		st = lf_sweep_set_reliability(sw, params, job, &err);
	/* an objective must be a column the sweep outputs */
	lf_objective ob[LF_COL_COUNT];
	size_t k = st == LF_OK ? lf_sweep_objectives(sw, ob, LF_COL_COUNT) : 0;
	for (size_t i = 0; i < k; i++)
		if (!lf_sweep_has_column(sw, ob[i].col)) {
			if (verbose)
				fprintf(stderr, "%s %s: objective %s needs its input (%s)\n", prog, verb,
				        lf_col_name(ob[i].col),
				        ob[i].col <= LF_COL_MEMORY_GIB ? "--workload, with collectives for "
				        "busbw_gbs/time_us or a training step for step_s/tokens_per_s/"
				        "memory_gib"
				        : ob[i].col <= LF_COL_GOODPUT ? "--reliability" : "--supply");
			lf_sweep_free(sw);
			return 2;
		}
	if (st != LF_OK) {
		int rc = verbose ? cli_report(prog, &err) : cli_exit_code(st);
		lf_sweep_free(sw);
		return rc;
	}
	/* the work budget: 1,000 units a point (a usage error: the axes are options) */
	size_t np = lf_sweep_n_points(sw);
	uint64_t max_points = lf_limits_get().work / 1000;
	if (np > max_points) {
		if (verbose)
			fprintf(stderr, "%s %s: %s%zu points, over the limit of %llu (1,000 work units a "
			        "point, --max-work %llu); vary fewer values or raise --max-work\n", prog,
			        verb, np == SIZE_MAX ? "more than " : "", np,
			        (unsigned long long)max_points,
			        (unsigned long long)lf_limits_get().work);
		lf_sweep_free(sw);
		return 2;
	}
	*out = sw;
	return -1;
}

int cli_sweep_output(const char *prog, const lf_sweep *sw, lf_sweep_row *rows, size_t n,
                     const cli_sweep_opts *o)
{
	lf_error err = { 0 };
	char *text = NULL, *html = NULL;
	lf_sweep_pareto(sw, rows, n);
	lf_status st = o->compare ? lf_compare_render(sw, rows, n, o->fmt, &text, &err)
	                          : lf_sweep_render(sw, rows, n, o->fmt, &text, &err);
	if (st == LF_OK && o->html_path)
		st = lf_sweep_render_html(sw, rows, n, &html, &err);
	int rc = st == LF_OK ? 0 : cli_report(prog, &err);
	if (rc == 0 && html)
		rc = cli_write(prog, o->html_path, html);
	if (rc == 0)
		rc = cli_write(prog, o->out_path, text);
	free(text);
	free(html);
	return rc;
}

/* `lightfab sweep` / `compare`: parse, evaluate every point here, output. */
int cli_sweep_main(int argc, char **argv, const char *prog, int compare)
{
	lf_sweep *sw = NULL;
	cli_sweep_opts o;
	int rc = cli_sweep_parse(argc, argv, compare, prog, 1, &sw, &o);
	if (rc >= 0)
		return rc;
	size_t n = lf_sweep_n_points(sw);
	lf_sweep_row *rows = calloc(n ? n : 1, sizeof *rows);
	lf_error err = { 0 };
	cli_progress ps = { .start = lf_wall_now() };
	int tty = !o.quiet && isatty(STDERR_FILENO);
	lf_status st = rows ? lf_sweep_run(sw, rows, tty ? cli_progress_sweep : NULL, &ps, &err)
	                    : LF_ENOMEM;
	cli_progress_end(&ps);
	if (!rows)
		fprintf(stderr, "%s: out of memory for %zu rows\n", prog, n);
	rc = !rows ? 4 : st == LF_OK ? cli_sweep_output(prog, sw, rows, n, &o) : cli_report(prog, &err);
	free(rows);
	lf_sweep_free(sw);
	return rc;
}
