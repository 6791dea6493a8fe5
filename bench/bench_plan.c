/*
 * bench_plan — planning time and peak memory of `lightfab plan`, through the
 * public API only.
 *
 *   build/bench_plan [-n REPS] [-t SECONDS] [-q] SPEC.yaml...
 *
 * Each spec runs in its own child process (fork), so each peak RSS
 * (getrusage ru_maxrss of the child) is that size's own and not the high
 * water mark of an earlier, larger run.  In the child, at least REPS times
 * and until SECONDS have passed (at most 1000 times; small specs get many
 * repetitions, so their sub-millisecond times are as steady as the large):
 *
 *   load   lf_catalog_new + the bundled catalog (LIGHTFAB_CATALOG or
 *          LF_DATADIR) + lf_spec_load (and the catalog files the spec names)
 *          + lf_catalog_finish + lf_spec_resolve
 *   build  lf_plan_build: sizing, nodes, links, media, BOM
 *   json   lf_plan_render(LF_FMT_JSON)
 *   dot    lf_plan_render(LF_FMT_DOT), the most expensive renderer (it walks
 *          every link through libcgraph); not part of "total"
 *
 * Every phase is timed with clock_gettime(CLOCK_MONOTONIC); the table shows
 * the minimum and the median over the repetitions.  "total" is load + build +
 * json of one repetition (what `lightfab plan --json` does in-process); the
 * first repetition is also shown on its own: it runs on a cold heap (every
 * page of the plan faulted in fresh), as the CLI does.
 * Afterwards: time per GPU and peak RSS relative to the smallest spec of the
 * same run ("growing no worse than linearly" means the per-GPU ratios stay
 * at or below ~1 as the size grows).
 *
 * Exit status: 0 when every spec planned, 1 when one failed, 2 bad usage.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "lightfab.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

#define MAX_REPS 1000
#define MAX_SPECS 64

enum { PH_LOAD, PH_BUILD, PH_JSON, PH_TOTAL, PH_DOT, N_PH };

/* What a child sends back through its pipe. */
typedef struct result {
	int ok;
	char name[128];
	char err[1200];
	int64_t gpus, servers;
	uint64_t nodes, links, switches, modules;
	int tiers, planes;
	size_t json_bytes;
	size_t plan_bytes;          /* nodes + links arrays of one plan */
	int reps;
	double min_s[N_PH], med_s[N_PH];
	double first_s[N_PH];       /* the first repetition: cold heap, fresh page faults */
	long maxrss_kb;             /* peak RSS of the child */
	long rss_before_kb;         /* ru_maxrss when the child started */
} result;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static long maxrss_kb(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_maxrss;   /* kilobytes on Linux */
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

static void fail_msg(result *r, const char *what, const lf_error *err)
{
	char buf[1100];
	snprintf(r->err, sizeof r->err, "%s: %s", what, lf_error_format(err, buf, sizeof buf));
}

static lf_status load(const char *spec_path, lf_catalog **cat, lf_spec **spec, lf_error *err)
{
	*spec = NULL;
	lf_status st = lf_catalog_new(cat, err);
	if (st != LF_OK)
		return st;
	const char *def = getenv("LIGHTFAB_CATALOG");
	st = lf_catalog_load_path(*cat, def && *def ? def : LF_DATADIR, err);
	if (st == LF_OK)
		st = lf_spec_load(spec_path, *cat, spec, err);
	if (st == LF_OK)
		st = lf_catalog_finish(*cat, err);
	if (st == LF_OK)
		st = lf_spec_resolve(*spec, *cat, err);
	return st;
}

/* Runs in the child: REPS x (load, build, render JSON), then peak RSS. */
static void run_one(const char *path, int reps, double min_secs, result *r)
{
	static double t[N_PH][MAX_REPS];
	memset(r, 0, sizeof *r);
	r->rss_before_kb = maxrss_kb();
	snprintf(r->name, sizeof r->name, "%s", path);
	double start = now_s();
	int i;
	for (i = 0; i < MAX_REPS && (i < reps || now_s() - start < min_secs); i++) {
		lf_error err = { 0 };
		lf_catalog *cat = NULL;
		lf_spec *spec = NULL;
		lf_plan *plan = NULL;
		char *json = NULL;
		double t0 = now_s();
		lf_status st = load(path, &cat, &spec, &err);
		double t1 = now_s();
		if (st != LF_OK) {
			fail_msg(r, "load", &err);
			lf_spec_free(spec);
			lf_catalog_free(cat);
			return;
		}
		st = lf_plan_build(spec, cat, &plan, &err);
		double t2 = now_s();
		if (st != LF_OK) {
			fail_msg(r, "lf_plan_build", &err);
			lf_spec_free(spec);
			lf_catalog_free(cat);
			return;
		}
		st = lf_plan_render(plan, LF_FMT_JSON, &json, &err);
		double t3 = now_s();
		if (st != LF_OK) {
			fail_msg(r, "lf_plan_render", &err);
			lf_plan_free(plan);
			lf_spec_free(spec);
			lf_catalog_free(cat);
			return;
		}
		t[PH_LOAD][i] = t1 - t0;
		t[PH_BUILD][i] = t2 - t1;
		t[PH_JSON][i] = t3 - t2;
		t[PH_TOTAL][i] = t3 - t0;
		char *dot = NULL;
		st = lf_plan_render(plan, LF_FMT_DOT, &dot, &err);
		t[PH_DOT][i] = now_s() - t3;
		free(dot);
		if (st != LF_OK) {
			fail_msg(r, "lf_plan_render(dot)", &err);
			free(json);
			lf_plan_free(plan);
			lf_spec_free(spec);
			lf_catalog_free(cat);
			return;
		}
		if (i == 0) {
			snprintf(r->name, sizeof r->name, "%s", plan->name);
			r->gpus = plan->gpus;
			r->servers = plan->servers;
			r->nodes = plan->n_nodes;
			r->links = plan->n_links;
			r->switches = plan->bom.switches;
			r->modules = plan->bom.modules;
			r->tiers = plan->tiers;
			r->planes = plan->planes;
			r->json_bytes = strlen(json);
			r->plan_bytes = plan->n_nodes * sizeof *plan->nodes +
			                plan->n_links * sizeof *plan->links;
		}
		free(json);
		lf_plan_free(plan);
		lf_spec_free(spec);
		lf_catalog_free(cat);
	}
	reps = r->reps = i;
	for (int p = 0; p < N_PH; p++) {
		r->first_s[p] = t[p][0];
		qsort(t[p], (size_t)reps, sizeof t[p][0], cmp_double);
		r->min_s[p] = t[p][0];
		r->med_s[p] = reps % 2 ? t[p][reps / 2] : (t[p][reps / 2 - 1] + t[p][reps / 2]) / 2;
	}
	r->maxrss_kb = maxrss_kb();
	r->ok = 1;
}

static int run_child(const char *path, int reps, double min_secs, result *r)
{
	int fd[2];
	if (pipe(fd) != 0) {
		perror("bench_plan: pipe");
		return -1;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench_plan: fork");
		return -1;
	}
	if (pid == 0) {
		close(fd[0]);
		static result res;
		run_one(path, reps, min_secs, &res);
		const char *p = (const char *)&res;
		size_t left = sizeof res;
		while (left) {
			ssize_t w = write(fd[1], p, left);
			if (w < 0 && errno == EINTR)
				continue;
			if (w <= 0)
				_exit(3);
			p += w;
			left -= (size_t)w;
		}
		_exit(res.ok ? 0 : 1);
	}
	close(fd[1]);
	memset(r, 0, sizeof *r);
	char *p = (char *)r;
	size_t got = 0;
	while (got < sizeof *r) {
		ssize_t n = read(fd[0], p + got, sizeof *r - got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		got += (size_t)n;
	}
	close(fd[0]);
	int status = 0;
	struct rusage ru;
	while (wait4(pid, &status, 0, &ru) < 0 && errno == EINTR)
		;
	if (got != sizeof *r) {
		snprintf(r->name, sizeof r->name, "%s", path);
		snprintf(r->err, sizeof r->err, "child died (%s %d) before reporting",
		         WIFSIGNALED(status) ? "signal" : "exit status",
		         WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
		r->ok = 0;
	}
	if (ru.ru_maxrss > r->maxrss_kb)
		r->maxrss_kb = ru.ru_maxrss;
	return r->ok ? 0 : -1;
}

static void usage(FILE *f)
{
	fprintf(f, "usage: bench_plan [-n REPS] [-t SECONDS] [-q] SPEC.yaml...\n"
	           "  -n REPS     at least REPS repetitions per spec (default 11, at most %d)\n"
	           "  -t SECONDS  and repeat until SECONDS have passed (default 1)\n"
	           "  -q          no progress lines on stderr\n", MAX_REPS);
}

static double mib(double bytes)
{
	return bytes / (1024.0 * 1024.0);
}

int main(int argc, char **argv)
{
	int reps = 11, quiet = 0, o;
	double min_secs = 1.0;
	while ((o = getopt(argc, argv, "n:t:qh")) != -1) {
		switch (o) {
		case 'n': reps = atoi(optarg); break;
		case 't': min_secs = atof(optarg); break;
		case 'q': quiet = 1; break;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	int n = argc - optind;
	if (n < 1 || n > MAX_SPECS || reps < 1 || reps > MAX_REPS || !(min_secs >= 0)) {
		usage(stderr);
		return 2;
	}
	static result res[MAX_SPECS];
	int failed = 0;
	for (int i = 0; i < n; i++) {
		if (!quiet)
			fprintf(stderr, "bench_plan: %s (%d reps)...\n", argv[optind + i], reps);
		if (run_child(argv[optind + i], reps, min_secs, &res[i]) != 0) {
			fprintf(stderr, "bench_plan: %s: %s\n", argv[optind + i], res[i].err);
			failed++;
		}
	}

	printf("lightfab %s, each spec in its own process, at least %d repetitions and %g s\n\n",
	       LF_VERSION, reps, min_secs);
	printf("%-20s %8s %8s %9s %9s %9s %9s %10s %5s\n", "spec", "GPUs", "tiers/P", "nodes",
	       "links", "plan MiB", "JSON KiB", "peak RSS", "reps");
	for (int i = 0; i < n; i++) {
		const result *r = &res[i];
		if (!r->ok) {
			printf("%-20s FAILED: %s\n", r->name, r->err);
			continue;
		}
		char tp[16];
		snprintf(tp, sizeof tp, "%d/%d", r->tiers, r->planes);
		printf("%-20s %8lld %8s %9llu %9llu %9.2f %9.1f %6.1f MiB %5d\n", r->name,
		       (long long)r->gpus, tp, (unsigned long long)r->nodes,
		       (unsigned long long)r->links, mib((double)r->plan_bytes),
		       (double)r->json_bytes / 1024.0, r->maxrss_kb / 1024.0, r->reps);
	}
	printf("\ntimes in ms, min / median (total = load + build + json); 1st = the first "
	       "repetition (cold: fresh pages)\n");
	printf("%-20s %17s %17s %17s %17s %17s %10s\n", "spec", "load", "build", "json", "total",
	       "dot", "1st total");
	for (int i = 0; i < n; i++) {
		const result *r = &res[i];
		if (!r->ok)
			continue;
		printf("%-20s", r->name);
		for (int p = 0; p < N_PH; p++)
			printf(" %8.2f/%8.2f", r->min_s[p] * 1e3, r->med_s[p] * 1e3);
		printf(" %10.2f\n", r->first_s[PH_TOTAL] * 1e3);
	}

	/* scaling against the smallest successful spec of this run */
	int base = -1;
	for (int i = 0; i < n; i++)
		if (res[i].ok && res[i].gpus > 0 && (base < 0 || res[i].gpus < res[base].gpus))
			base = i;
	if (base >= 0) {
		const result *b = &res[base];
		printf("\nscaling against %s (%lld GPUs), per-GPU ratio (x / size x) <= 1 means "
		       "no worse than linear\n", b->name, (long long)b->gpus);
		printf("%-20s %7s %17s %13s %13s %8s %8s %8s\n", "spec", "size x",
		       "build us/GPU", "build x", "build/GPU x", "total x", "RSS x", "RSS/GPU");
		printf("%-20s %7s %17s %13s %13s %8s %8s %8s\n", "", "", "min / med", "min / med",
		       "min / med", "med", "", "");
		for (int i = 0; i < n; i++) {
			const result *r = &res[i];
			if (!r->ok)
				continue;
			double sx = (double)r->gpus / (double)b->gpus;
			double bmin = r->min_s[PH_BUILD] / b->min_s[PH_BUILD];
			double bmed = r->med_s[PH_BUILD] / b->med_s[PH_BUILD];
			double tx = r->med_s[PH_TOTAL] / b->med_s[PH_TOTAL];
			double mx = (double)r->maxrss_kb / (double)b->maxrss_kb;
			printf("%-20s %7.0f %8.3f/%8.3f %6.1f/%6.1f %6.2f/%6.2f %8.1f %8.2f %8.2f\n",
			       r->name, sx, r->min_s[PH_BUILD] * 1e6 / (double)r->gpus,
			       r->med_s[PH_BUILD] * 1e6 / (double)r->gpus, bmin, bmed, bmin / sx,
			       bmed / sx, tx, mx, mx / sx);
		}
	}

	/* the target, for every spec of at least 131,072 GPUs: judged on
	 * the slower of the median and the cold first repetition */
	for (int i = 0; i < n; i++) {
		const result *r = &res[i];
		if (!r->ok || r->gpus < 131072)
			continue;
		double t = r->med_s[PH_TOTAL] > r->first_s[PH_TOTAL] ? r->med_s[PH_TOTAL]
		                                                      : r->first_s[PH_TOTAL];
		int t_ok = t < 0.5, m_ok = r->maxrss_kb < 1024L * 1024L;
		printf("\ntarget for %s (%lld GPUs): load+build+json %.1f ms (slower of median and "
		       "cold 1st) %s 500 ms, peak RSS %.1f MiB %s 1024 MiB: %s\n", r->name,
		       (long long)r->gpus, t * 1e3, t_ok ? "<" : ">=", r->maxrss_kb / 1024.0,
		       m_ok ? "<" : ">=", t_ok && m_ok ? "met" : "MISSED");
	}
	return failed ? 1 : 0;
}
