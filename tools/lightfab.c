/*
 * lightfab — the command-line front end: the table of verbs below, each
 * with its own options and its library call; tools/cli.c runs them (shared
 * options, loading and planning, -o, errors, exit codes) and tools/help.c
 * holds their help.  Every number comes from liblightfab.  Output goes to
 * stdout or, with -o, to a file written atomically (nothing is left behind
 * on failure).
 *
 * Exit status: 0 ok, 1 bad input (spec, catalog) or over a limit, 2 bad
 * usage, 3 I/O error, 4 internal error.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"
#include "help.h"

/* ------------------------------------------------------------------ plan */

static struct {
	const char *cabling, *netbox, *stage;
	lf_cabling_format cfmt;
} plan_o;

enum { O_CABLING = CLI_OPT, O_CFMT, O_NETBOX, O_CSTAGE };
static const struct option plan_opts[] = {
	{ "cabling", required_argument, NULL, O_CABLING },
	{ "cabling-stage", required_argument, NULL, O_CSTAGE },
	{ "cabling-format", required_argument, NULL, O_CFMT },
	{ "netbox", required_argument, NULL, O_NETBOX },
	{ 0 },
};

static int plan_opt(cli_ctx *c, int o, const char *arg)
{
	switch (o) {
	case O_CABLING:
		plan_o.cabling = arg;
		if (strcmp(arg, "-") && c->n_outputs < CLI_LEN(c->outputs))
			c->outputs[c->n_outputs++] = arg;   /* --cabling is an -o too */
		return 0;
	case O_NETBOX: plan_o.netbox = arg; return 0;
	case O_CSTAGE: plan_o.stage = arg; return 0;
	case O_CFMT:
		if (!strcmp(arg, "csv"))
			plan_o.cfmt = LF_CABLING_CSV;
		else if (!strcmp(arg, "ufm-p2p"))
			plan_o.cfmt = LF_CABLING_UFM_P2P;
		else if (!strcmp(arg, "dot"))
			plan_o.cfmt = LF_CABLING_DOT;
		else {
			fprintf(stderr, "%s plan: --cabling-format must be csv, ufm-p2p or dot, got "
			        "\"%s\"\n", c->prog, arg);
			return 2;
		}
		return 0;
	}
	return 2;
}

/* --cabling-stage NAME: the stage's index into o->stage */
static lf_status cabling_stage(cli_ctx *c, const lf_spec *spec, lf_cabling_opts *o)
{
	o->stage = -1;
	if (!plan_o.stage)
		return LF_OK;
	char names[512] = "";
	size_t n = 0;
	for (int k = 0; k < spec->n_stages; k++) {
		if (!strcmp(spec->stage[k].name, plan_o.stage))
			o->stage = k;
		if (n < sizeof names)
			n += (size_t)snprintf(names + n, sizeof names - n, "%s%s", k ? ", " : "",
			                      spec->stage[k].name);
	}
	if (o->stage >= 0)
		return LF_OK;
	c->err = (lf_error){ .status = LF_EINPUT };
	snprintf(c->err.file, sizeof c->err.file, "%s", spec->file);
	snprintf(c->err.msg, sizeof c->err.msg,
	         "--cabling-stage \"%s\" is not a stage of the spec (%s)", plan_o.stage,
	         spec->n_stages ? names : "it has no stages:");
	return LF_EINPUT;
}

/* The layout of a plan (when the spec has one or the cabling schedule is
 * asked for), its notes on stderr, and the schedule. */
static lf_status plan_layout(cli_ctx *c, lf_plan *plan, char **summary)
{
	lf_error *err = &c->err;
	const char *cabling = plan_o.cabling, *netbox = plan_o.netbox;
	*summary = NULL;
	if (!cabling && !netbox && !plan->spec->layout.given)
		return LF_OK;
	/* csv: the stage's work order; ufm-p2p, dot: the fabric built by its end */
	lf_cabling_opts co = { .fmt = plan_o.cfmt, .built = plan_o.cfmt != LF_CABLING_CSV };
	if (cabling_stage(c, plan->spec, &co) != LF_OK)
		return c->err.status;
	/* the BOM counts the cables of the schedule: on the same floor */
	lf_status st = lf_plan_use_layout(plan, err);
	const lf_layout *ly = plan->layout;
	if (st == LF_OK && ly->notes[0])
		fprintf(stderr, "%s: note: %s\n", c->prog, ly->notes);
	if (st == LF_OK)
		st = lf_layout_render(plan, ly, summary, err);
	if (st == LF_OK && cabling && !strcmp(cabling, "-")) {
		st = lf_cabling_write(plan, ly, &co, cli_stdout_sink, NULL, err);
		if (st == LF_OK && fflush(stdout) != 0) {
			*err = (lf_error){ .status = LF_EIO, .msg = "cannot write to stdout" };
			st = LF_EIO;
		}
	} else if (st == LF_OK && cabling) {
		st = lf_cabling_write_file(plan, ly, &co, cabling, err);
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
	return st;
}

static int plan_run(cli_ctx *c)
{
	lf_plan *plan;
	char *summary = NULL;
	lf_status st = cli_plan(c, c->args[0], &plan);
	if (st == LF_OK)
		st = plan_layout(c, plan, &summary);
	/* --cabling - puts the schedule on stdout: the plan goes to -o or nowhere */
	int plan_out = !(plan_o.cabling && !strcmp(plan_o.cabling, "-")) || c->out_path;
	if (st == LF_OK && plan_out)
		st = lf_plan_render(plan, c->fmt, &c->text, &c->err);
	if (st == LF_OK && plan_out && summary && c->fmt == LF_FMT_TABLE) {
		/* the table goes on with the floor: racks, power, media mix, lengths */
		size_t n1 = strlen(c->text), n2 = strlen(summary);
		char *both = realloc(c->text, n1 + n2 + 1);
		if (both) {
			memcpy(both + n1, summary, n2 + 1);
			c->text = both;
		}
	}
	free(summary);
	return st;
}

/* --sweep-capacity POOL=FROM..TO ("0..4000": strtod alone would read "0.")
 * into pool[128], *from, *to (source and report) */
static int parse_sweep_capacity(const char *arg, char *pool, double *from, double *to)
{
	const char *eq = strrchr(arg, '='), *dots = eq ? strstr(eq, "..") : NULL;
	char num[64], *e1 = NULL, *e2 = NULL;
	if (!eq || !dots || eq == arg || (size_t)(dots - eq) > sizeof num || eq - arg >= 128)
		return -1;
	memcpy(num, eq + 1, (size_t)(dots - eq - 1));
	num[dots - eq - 1] = 0;
	*from = strtod(num, &e1);
	*to = strtod(dots + 2, &e2);
	if (*e1 || e1 == num || e2 == dots + 2 || *e2)
		return -1;
	memcpy(pool, arg, (size_t)(eq - arg));
	pool[eq - arg] = 0;
	return 0;
}

static int sweep_capacity_opt(cli_ctx *c, const char *arg, char *pool, double *from, double *to)
{
	if (parse_sweep_capacity(arg, pool, from, to) == 0)
		return 0;
	fprintf(stderr, "%s %s: --sweep-capacity expects POOL=FROM..TO (e.g. cw=2000..12000), "
	        "got \"%s\"\n", c->prog, c->verb, arg);
	return 2;
}

/* ---------------------------------------------------- reliability, report */

static struct {
	const char *params, *other, *workload, *supply;
	int64_t job_gpus;
	int want_rel, no_topo, steps;
	char pool[128];
	double from, to;
} rel_o = { .steps = 11 };

enum { O_PARAMS = CLI_OPT + 10, O_JOB, O_CMP, O_REL, O_RPARAMS, O_NOTOPO, O_WORKLOAD,
       O_SUPPLY, O_RSWEEPCAP, O_RSTEPS };
static const struct option rel_opts[] = {
	{ "params", required_argument, NULL, O_PARAMS },
	{ "job-gpus", required_argument, NULL, O_JOB },
	{ "compare", required_argument, NULL, O_CMP },
	{ 0 },
};
static const struct option report_opts[] = {
	{ "reliability", no_argument, NULL, O_REL },
	{ "reliability-params", required_argument, NULL, O_RPARAMS },
	{ "job-gpus", required_argument, NULL, O_JOB },
	{ "no-topology", no_argument, NULL, O_NOTOPO },
	{ "workload", required_argument, NULL, O_WORKLOAD },
	{ "supply", required_argument, NULL, O_SUPPLY },
	{ "sweep-capacity", required_argument, NULL, O_RSWEEPCAP },
	{ "steps", required_argument, NULL, O_RSTEPS },
	{ 0 },
};

static int rel_opt(cli_ctx *c, int o, const char *arg)
{
	switch (o) {
	case O_PARAMS: rel_o.params = arg; break;
	case O_CMP: rel_o.other = arg; break;
	case O_REL: rel_o.want_rel = 1; return 0;
	case O_RPARAMS: rel_o.want_rel = 1; rel_o.params = arg; break;
	case O_NOTOPO: rel_o.no_topo = 1; return 0;
	case O_WORKLOAD: rel_o.workload = arg; break;
	case O_SUPPLY: rel_o.supply = arg; break;
	case O_RSWEEPCAP: return sweep_capacity_opt(c, arg, rel_o.pool, &rel_o.from, &rel_o.to);
	case O_RSTEPS: return (rel_o.steps = (int)cli_num(c, "steps", arg, 2, 1000)) < 0 ? 2 : 0;
	case O_JOB:
		rel_o.job_gpus = cli_num(c, "job-gpus", arg, 1, INT64_MAX);
		return rel_o.job_gpus < 0 ? 2 : 0;
	default: return 2;
	}
	cli_input(c, arg);
	return 0;
}

static int reliability_run(cli_ctx *c)
{
	lf_reliability_params *params = NULL;
	lf_plan *plan[2] = { NULL, NULL };
	lf_reliability *rel[2] = { NULL, NULL };
	lf_status st = lf_reliability_params_load(rel_o.params, &params, &c->err);
	if (st == LF_OK)
		st = cli_plan(c, c->args[0], &plan[0]);
	if (st == LF_OK)
		st = lf_reliability_compute(plan[0], params, rel_o.job_gpus, &rel[0], &c->err);
	/* compare: the same job (the first spec's size) on the second spec */
	if (st == LF_OK && rel_o.other)
		st = cli_plan(c, rel_o.other, &plan[1]);
	if (st == LF_OK && rel_o.other)
		st = lf_reliability_compute(plan[1], params, rel[0]->job_gpus, &rel[1], &c->err);
	if (st == LF_OK)
		st = rel_o.other ? lf_reliability_render_compare(rel[0], rel[1], c->fmt, &c->text, &c->err)
		                 : lf_reliability_render(rel[0], c->fmt, &c->text, &c->err);
	lf_reliability_free(rel[0]);
	lf_reliability_free(rel[1]);
	lf_reliability_params_free(params);
	return st;
}

static int report_run(cli_ctx *c)
{
	lf_reliability_params *params = NULL;
	lf_plan *plan = NULL;
	lf_reliability *rel = NULL;
	lf_workload *wl = NULL;
	lf_sim_report *sim = NULL;
	lf_supply_scenario *sc = NULL;
	lf_supply_result *sup = NULL;
	lf_supply_sweep *sweep = NULL;
	lf_plan *opt[CLI_MAX_PLANS] = { NULL };
	const char *names[CLI_MAX_PLANS] = { NULL };
	lf_status st = LF_OK;
	if (rel_o.pool[0] && !rel_o.supply) {
		fprintf(stderr, "%s report: --sweep-capacity needs --supply SCENARIO.yaml\n", c->prog);
		return -2;
	}
	if (rel_o.want_rel)
		st = lf_reliability_params_load(rel_o.params, &params, &c->err);
	if (st == LF_OK && rel_o.workload)
		st = lf_workload_load(rel_o.workload, &wl, &c->err);
	if (st == LF_OK && rel_o.supply)
		st = lf_supply_scenario_load(rel_o.supply, &sc, &c->err);
	if (st == LF_OK)
		st = cli_plan(c, c->args[0], &plan);
	if (st == LF_OK && rel_o.want_rel)
		st = lf_reliability_compute(plan, params, rel_o.job_gpus, &rel, &c->err);
	/* the same calls as `lightfab sim SPEC W` and `lightfab source S SPEC`;
	 * a scenario that sources its options together (choose: per-stage,
	 * projects:) sources them, as `lightfab source S` does */
	if (st == LF_OK && wl)
		st = lf_workload_simulate(plan, wl, &wl->sim, NULL, NULL, &sim, &c->err);
	size_t n = 1;
	const lf_plan *plans[CLI_MAX_PLANS] = { plan };
	if (st == LF_OK && sc && sc->joint) {
		n = sc->n_options < CLI_MAX_PLANS ? sc->n_options : CLI_MAX_PLANS;
		for (size_t i = 0; i < n && st == LF_OK; i++) {
			st = cli_plan(c, sc->options[i].spec_path, &opt[i]);
			plans[i] = opt[i];
			names[i] = sc->options[i].name;
		}
	}
	if (st == LF_OK && sc)
		st = lf_supply_solve(sc, plans, sc->joint ? names : NULL, n, &sup, &c->err);
	if (st == LF_OK && sc && rel_o.pool[0]) {
		cli_progress ps = { .start = lf_wall_now() };
		int tty = !c->quiet && isatty(STDERR_FILENO);
		st = lf_supply_sweep_capacity(sc, plans, sc->joint ? names : NULL, n, rel_o.pool,
		                              rel_o.from, rel_o.to, rel_o.steps,
		                              tty ? cli_progress_sweep : NULL, &ps, &sweep, &c->err);
		cli_progress_end(&ps);
	}
	if (st == LF_OK) {
		lf_report_input in = { .plan = plan, .reliability = rel, .sim = sim, .supply = sup,
		                       .supply_sweep = sweep, .no_topology = rel_o.no_topo };
		st = lf_report_render(&in, &c->text, &c->err);
	}
	lf_supply_sweep_free(sweep);
	lf_supply_result_free(sup);
	lf_supply_scenario_free(sc);
	lf_sim_report_free(sim);
	lf_workload_free(wl);
	lf_reliability_free(rel);
	lf_reliability_params_free(params);
	return st;
}

/* ----------------------------------------------------------------- serve */

static struct {
	lf_serve_config cfg;
	const char *allow[32];
	size_t n_allow;
} serve_o = { .cfg = { .port = 8080 } };

enum { O_PORT = CLI_OPT + 20, O_ADDR, O_BODY, O_TIMEOUT, O_JOBS, O_TLIMIT, O_ALLOW };
static const struct option serve_opts[] = {
	{ "port", required_argument, NULL, O_PORT },
	{ "address", required_argument, NULL, O_ADDR },
	{ "body-limit", required_argument, NULL, O_BODY },
	{ "timeout", required_argument, NULL, O_TIMEOUT },
	{ "max-jobs", required_argument, NULL, O_JOBS },
	{ "time-limit", required_argument, NULL, O_TLIMIT },
	{ "allow-host", required_argument, NULL, O_ALLOW },
	{ 0 },
};

static int serve_opt(cli_ctx *c, int o, const char *arg)
{
	lf_serve_config *cfg = &serve_o.cfg;
	long long v = 0;
	switch (o) {
	case O_ADDR: cfg->address = arg; return 0;
	case O_ALLOW:
		if (serve_o.n_allow == CLI_LEN(serve_o.allow)) {
			fprintf(stderr, "%s serve: at most %zu --allow-host\n", c->prog, serve_o.n_allow);
			return 2;
		}
		serve_o.allow[serve_o.n_allow++] = arg;
		return 0;
	case O_PORT: v = cli_num(c, "port", arg, 0, 65535); cfg->port = (int)v; break;
	case O_BODY: v = cli_num(c, "body-limit", arg, 1, 1LL << 30); cfg->body_limit = (size_t)v; break;
	case O_TIMEOUT: v = cli_num(c, "timeout", arg, 1, 3600); cfg->timeout_s = (unsigned)v; break;
	case O_JOBS: v = cli_num(c, "max-jobs", arg, 1, 1024); cfg->max_jobs = (unsigned)v; break;
	case O_TLIMIT: v = cli_num(c, "time-limit", arg, 1, 86400); cfg->time_limit_s = (unsigned)v; break;
	default: return 2;
	}
	return v < 0 ? 2 : 0;
}

static int serve_run(cli_ctx *c)
{
	lf_serve_config *cfg = &serve_o.cfg;
	cfg->allow_hosts = serve_o.allow;
	cfg->n_allow_hosts = serve_o.n_allow;
	if (cfg->address && strncmp(cfg->address, "127.", 4) && strcmp(cfg->address, "::1"))
		fprintf(stderr, "%s serve: warning: binding %s, not loopback: anyone who can reach "
		        "this address can use the server (no authentication, no TLS)\n", c->prog,
		        cfg->address);
	lf_catalog *cat = NULL;
	lf_status st = cli_catalog(c, &cat);
	/* the server's threads inherit this mask; only sigwait below sees the signals */
	sigset_t set;
	sigemptyset(&set);
	sigaddset(&set, SIGINT);
	sigaddset(&set, SIGTERM);
	pthread_sigmask(SIG_BLOCK, &set, NULL);
	cfg->cat = cat;
	lf_serve *srv = NULL;
	if (st == LF_OK)
		st = lf_serve_start(cfg, &srv, &c->err);
	if (st == LF_OK) {
		int v6 = cfg->address && strchr(cfg->address, ':');
		printf("lightfab serve: http://%s%s%s:%d/ (Ctrl-C to stop)\n", v6 ? "[" : "",
		       cfg->address ? cfg->address : "127.0.0.1", v6 ? "]" : "", lf_serve_port(srv));
		fflush(stdout);
		int sig = 0;
		sigwait(&set, &sig);
		fprintf(stderr, "%s serve: %s, stopping\n", c->prog, sig == SIGINT ? "SIGINT" : "SIGTERM");
		lf_serve_stop(srv);
	}
	lf_catalog_free(cat);
	return st;
}

/* ------------------------------------------------------------------- sim */

static struct {
	const char *fct;
	int route;
	long long seed, failed, gpus, threads;
} sim_o = { .route = -1, .seed = -1, .failed = -1, .gpus = -1, .threads = -1 };

enum { O_ROUTING = CLI_OPT + 30, O_SEED, O_FAILED, O_GPUS, O_FCT, O_THREADS };
static const struct option sim_opts[] = {
	{ "routing", required_argument, NULL, O_ROUTING },
	{ "seed", required_argument, NULL, O_SEED },
	{ "failed-links", required_argument, NULL, O_FAILED },
	{ "gpus", required_argument, NULL, O_GPUS },
	{ "fct", required_argument, NULL, O_FCT },
	{ "threads", required_argument, NULL, O_THREADS },
	{ 0 },
};

static int sim_opt(cli_ctx *c, int o, const char *arg)
{
	switch (o) {
	case O_ROUTING:
		/* the library's names (lf_route_name), in enum order */
		for (int i = 0; strcmp(lf_route_name((lf_route)i), "?"); i++)
			if (!strcmp(arg, lf_route_name((lf_route)i)))
				sim_o.route = i;
		if (sim_o.route >= 0)
			return 0;
		fprintf(stderr, "%s sim: --routing must be ecmp, spray, adaptive, ftree or default, got "
		        "\"%s\"\n", c->prog, arg);
		return 2;
	case O_SEED: return (sim_o.seed = cli_num(c, "seed", arg, 0, 1LL << 62)) < 0 ? 2 : 0;
	case O_FAILED:
		return (sim_o.failed = cli_num(c, "failed-links", arg, 0, 1000000)) < 0 ? 2 : 0;
	case O_GPUS: return (sim_o.gpus = cli_num(c, "gpus", arg, 1, 1LL << 40)) < 0 ? 2 : 0;
	case O_THREADS: return (sim_o.threads = cli_num(c, "threads", arg, 1, 2)) < 0 ? 2 : 0;
	case O_FCT:
		sim_o.fct = arg;
		c->outputs[c->n_outputs++] = arg;
		return 0;
	}
	return 2;
}

static int sim_run(cli_ctx *c)
{
	lf_plan *plan = NULL;
	lf_workload *wl = NULL;
	lf_sim_report *rep = NULL;
	char *fct = NULL;
	int rc = LF_OK;
	cli_progress ps = { .start = lf_wall_now() };
	lf_status st = lf_workload_load(c->args[1], &wl, &c->err);
	if (st == LF_OK && sim_o.fct && !wl->has_traffic) {
		fprintf(stderr, "%s sim: --fct writes the flows of a traffic: workload; %s has %s\n",
		        c->prog, wl->file, wl->has_training ? "a training step" : "collectives");
		lf_workload_free(wl);
		return -2;
	}
	if (st == LF_OK)
		st = cli_plan(c, c->args[0], &plan);
	if (st == LF_OK) {
		lf_sim_config cfg = wl->sim;
		if (sim_o.route >= 0)
			cfg.route = (lf_route)sim_o.route;
		if (sim_o.seed >= 0)
			cfg.seed = (uint64_t)sim_o.seed;
		if (sim_o.failed >= 0)
			cfg.failed_count = (int)sim_o.failed;
		if (sim_o.gpus > 0)
			wl->gpus = sim_o.gpus;
		if (sim_o.threads > 0)
			cfg.threads = (int)sim_o.threads;
		cfg.record_paths = sim_o.fct != NULL;
		int tty = !c->quiet && isatty(STDERR_FILENO);
		st = lf_workload_simulate(plan, wl, &cfg, tty ? cli_progress_sim : NULL, &ps, &rep, &c->err);
		cli_progress_end(&ps);
	}
	if (st == LF_OK)
		st = lf_sim_report_render(rep, c->fmt, &c->text, &c->err);
	if (st == LF_OK && sim_o.fct)
		st = lf_sim_report_fct_csv(rep, &fct, &c->err);
	if (st == LF_OK && sim_o.fct)
		rc = -cli_write(c->prog, sim_o.fct, fct);
	free(fct);
	lf_sim_report_free(rep);
	lf_workload_free(wl);
	return rc ? rc : (int)st;
}

/* ---------------------------------------------------------------- source */

#define MAX_OPTIONS CLI_MAX_PLANS

static struct {
	const char *name[MAX_OPTIONS], *path[MAX_OPTIONS];
	char buf[MAX_OPTIONS][128];
	int n, want_rel, steps;
	const char *params;
	char pool[128];
	double from, to;
} src_o = { .steps = 11 };

enum { O_OPTION = CLI_OPT + 40, O_SREL, O_SPARAMS, O_SWEEPCAP, O_STEPS };
static const struct option source_opts[] = {
	{ "option", required_argument, NULL, O_OPTION },
	{ "reliability", no_argument, NULL, O_SREL },
	{ "reliability-params", required_argument, NULL, O_SPARAMS },
	{ "sweep-capacity", required_argument, NULL, O_SWEEPCAP },
	{ "steps", required_argument, NULL, O_STEPS },
	{ 0 },
};

static int source_opt(cli_ctx *c, int o, const char *arg)
{
	switch (o) {
	case O_SREL: src_o.want_rel = 1; return 0;
	case O_SPARAMS: src_o.want_rel = 1; src_o.params = arg; cli_input(c, arg); return 0;
	case O_STEPS: return (src_o.steps = (int)cli_num(c, "steps", arg, 2, 1000)) < 0 ? 2 : 0;
	case O_SWEEPCAP: return sweep_capacity_opt(c, arg, src_o.pool, &src_o.from, &src_o.to);
	case O_OPTION: {
		if (src_o.n == MAX_OPTIONS) {
			fprintf(stderr, "%s source: at most %d --option\n", c->prog, MAX_OPTIONS);
			return 2;
		}
		const char *eq = strchr(arg, '=');
		int k = src_o.n++;
		src_o.path[k] = eq ? eq + 1 : arg;
		if (eq) {
			snprintf(src_o.buf[k], sizeof src_o.buf[k], "%.*s", (int)(eq - arg), arg);
			src_o.name[k] = src_o.buf[k];
		}
		cli_input(c, src_o.path[k]);
		return 0;
	}
	}
	return 2;
}

static int source_run(cli_ctx *c)
{
	if (c->n_args == 2 && src_o.n) {
		fprintf(stderr, "%s source: give SPEC.yaml or --option, not both\n"
		        "try: lightfab source --help\n", c->prog);
		return -2;
	}
	lf_supply_scenario *sc = NULL;
	lf_status st = lf_supply_scenario_load(c->args[0], &sc, &c->err);
	if (st == LF_OK && c->n_args == 2) {
		src_o.path[0] = c->args[1];
		src_o.n = 1;
	}
	for (size_t i = 0; st == LF_OK && !src_o.n && i < sc->n_options && i < MAX_OPTIONS; i++) {
		src_o.name[i] = sc->options[i].name;
		src_o.path[i] = sc->options[i].spec_path;
		if (i + 1 == sc->n_options || i + 1 == MAX_OPTIONS)
			src_o.n = (int)i + 1;
	}
	if (st == LF_OK && !src_o.n) {
		fprintf(stderr, "%s source: the scenario names no spec: give SPEC.yaml, --option, or "
		        "spec: in %s\n", c->prog, c->args[0]);
		lf_supply_scenario_free(sc);
		return -2;
	}
	/* nor onto a spec the scenario names */
	if (st == LF_OK && cli_refuse_overwrite(c->prog, c->verb, c->out_path, src_o.path,
	                                        (size_t)src_o.n, 1) >= 0) {
		lf_supply_scenario_free(sc);
		return -2;
	}
	lf_plan *plan[MAX_OPTIONS] = { NULL };
	lf_reliability *rel[MAX_OPTIONS] = { NULL };
	lf_reliability_params *params = NULL;
	lf_supply_result *res = NULL;
	lf_supply_sweep *sweep = NULL;
	int n = src_o.n;
	if (st == LF_OK && src_o.want_rel)
		st = lf_reliability_params_load(src_o.params, &params, &c->err);
	for (int i = 0; st == LF_OK && i < n; i++) {
		st = cli_plan(c, src_o.path[i], &plan[i]);
		/* spares per SKU on the same plan, as `lightfab reliability` computes them */
		if (st == LF_OK && src_o.want_rel)
			st = lf_reliability_compute(plan[i], params, 0, &rel[i], &c->err);
	}
	const lf_plan *const *plans = (const lf_plan *const *)plan;
	if (st == LF_OK && src_o.pool[0]) {
		/* break-even: re-solve over the pool's capacity */
		cli_progress ps = { .start = lf_wall_now() };
		int tty = !c->quiet && isatty(STDERR_FILENO);
		st = lf_supply_sweep_capacity(sc, plans, src_o.name, (size_t)n, src_o.pool, src_o.from,
		                              src_o.to, src_o.steps, tty ? cli_progress_sweep : NULL, &ps,
		                              &sweep, &c->err);
		cli_progress_end(&ps);
		if (st == LF_OK)
			st = lf_supply_sweep_render(sweep, c->fmt, &c->text, &c->err);
	} else if (st == LF_OK) {
		st = lf_supply_solve_spares(sc, plans,
		                            src_o.want_rel ? (const lf_reliability *const *)rel : NULL,
		                            src_o.name, (size_t)n, &res, &c->err);
		if (st == LF_OK)
			st = lf_supply_result_render(res, c->fmt, &c->text, &c->err);
	}
	lf_supply_result_free(res);
	lf_supply_sweep_free(sweep);
	for (int i = 0; i < n; i++)
		lf_reliability_free(rel[i]);
	lf_reliability_params_free(params);
	lf_supply_scenario_free(sc);
	return st;
}

/* ------------------------------------------------------- sweep, compare */

static int sweep_verb(int argc, char **argv, const char *prog)
{
	return cli_sweep_main(argc, argv, prog, 0);
}

static int compare_verb(int argc, char **argv, const char *prog)
{
	return cli_sweep_main(argc, argv, prog, 1);
}

/* ------------------------------------------------------------ the verbs */

#define FMT_OUT (CLI_FORMATS | CLI_OUTPUT)
static const cli_verb verbs[] = {
	{ "plan", "the fabric and its bill of materials: switches per tier and plane,\n"
	  "            links, cables, fibres, transceivers by SKU at each end, power, capex,\n"
	  "            per deployment stage.", "lightfab plan examples/dgx-h100-4su.yaml",
	  help_plan, FMT_OUT | CLI_DOT, 1, 1, "one SPEC.yaml", plan_opts, plan_opt, plan_run, NULL },
	{ "reliability", "failures per day by component class, job interruptions and MTTF,\n"
	  "            goodput with Young/Daly checkpointing, spares per SKU; --compare.",
	  "lightfab reliability --params examples/reliability.yaml SPEC.yaml", help_reliability,
	  FMT_OUT, 1, 1, "one SPEC.yaml", rel_opts, rel_opt, reliability_run, NULL },
	{ "report", "one self-contained HTML file: summary cards, BOM, charts, the\n"
	  "            topology drawn by Graphviz, failures and spares with --reliability.",
	  "lightfab report -o report.html examples/dgx-h100-4su.yaml", help_report, CLI_OUTPUT, 1,
	  1, "one SPEC.yaml", report_opts, rel_opt, report_run, NULL },
	{ "serve", "local web UI (spec editor + the report) and a JSON API, on 127.0.0.1.",
	  "lightfab serve --port 8080", help_serve, 0, 0, 0, "no SPEC (specs are posted to it)",
	  serve_opts, serve_opt, serve_run, NULL },
	{ "sim", "collective times (nccl-tests table: size, time, algBW, busBW) or a\n"
	  "            training step (step time, exposed communication, tokens/s, busiest\n"
	  "            links) simulated flow by flow on the planned fabric.",
	  "lightfab sim examples/dgx-h100-4su.yaml examples/workload-llama70b.yaml", help_sim,
	  FMT_OUT | CLI_QUIET, 2, 2, "SPEC.yaml and WORKLOAD.yaml", sim_opts, sim_opt, sim_run,
	  NULL },
	{ "source", "what optics to order, from whom, in which month, under laser-pool,\n"
	  "            supplier and lead-time limits; stage ready dates and slips; what\n"
	  "            binds; fabric options side by side (GLPK LP/MIP).",
	  "lightfab source examples/supply-eml-shortage.yaml", help_source, FMT_OUT, 1, 2,
	  "SCENARIO.yaml [SPEC.yaml] (or --option instead of SPEC.yaml)", source_opts, source_opt,
	  source_run, NULL },
	{ "compare", "key figures of several specs side by side (capex, power, busBW or\n"
	  "            step time, interruptions, ready date) with deltas against the first.",
	  "lightfab compare examples/dgx-h100-1su.yaml examples/dgx-h100-4su.yaml", help_compare,
	  CLI_OWN_ARGV, 0, -1, NULL, NULL, NULL, NULL, compare_verb },
	{ "sweep", "every combination of --vary values, each point planned (and simulated,\n"
	  "            sourced, rated when given), one row per point, the Pareto front;\n"
	  "            build/lightfab-mpi runs it over MPI ranks.",
	  "lightfab sweep SPEC.yaml --vary fabric.planes=1,2", help_sweep, CLI_OWN_ARGV, 0, -1,
	  NULL, NULL, NULL, NULL, sweep_verb },
};

int main(int argc, char **argv)
{
	return cli_main(verbs, CLI_LEN(verbs), help_main, argc, argv, "lightfab");
}
