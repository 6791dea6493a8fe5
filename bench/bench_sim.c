/*
 * bench_sim — speed of the flow-level simulator (issues 4 and 12), through
 * the public API only.
 *
 *   build/bench_sim [-q] [-N] [-b SECONDS] [-m MiB] [-s SUBSTRING]
 *     -N  no naive (full_recompute) baseline
 *     -m  cap each run's address space (an engine that would need more
 *         fails with "out of memory" instead of swapping the machine)
 *     -s  only the scenarios whose name contains SUBSTRING
 *     -b  CPU-time cap on each run (default 60 s; "> cap" when it does not
 *         finish; wall time is capped at 5x)
 *     -t  lf_sim_config.threads (default 0: the library's choice; an older
 *         library without the field ignores it)
 *
 * Scenarios (specs in bench/specs/):
 *   perm-ecmp / perm-spray   a random permutation of 1,024 x 2 MiB flows on
 *                            the 1,024-host 3-tier fat tree (k = 16) at 400G;
 *                            target < 50 ms
 *   perm-ecmp 65,536 hosts   the same on the k = 64 fat tree; target < 1 s
 *   hier-16k                 hierarchical all-reduce of 1 GiB over 16,384
 *                            H100 GPUs, rail-optimized, 3 tiers; target
 *                            < 2 s and < 2 GiB
 *   a2a-1k                   pairwise all-to-all of 1 GiB per rank among
 *                            1,024 GPUs (1,047,552 flows), spraying;
 *                            target < 10 s; and with ECMP at 256 GPUs, and
 *                            with ECMP on 3 tiers (target < 3 s)
 *   a2a-8k                   the same among 8,192 GPUs (67 M flows), spray
 *                            and ECMP; target < 30 s and < 2 GiB each
 *   chunked ring             ring all-reduce of 1 GiB over 64 ranks (GPU 0
 *                            of 64 servers, ECMP, 3 tiers) in 256 KiB chunks:
 *                            2 x 63 steps x 64 ranks x 64 pieces = 516,096
 *                            flows; target < 10 s
 *   ring-N                   exact (unfolded) ring all-reduce over N = 64..512
 *                            ranks: how time grows with flows
 * Each runs in its own child (fork): peak RSS is its own.  Every scenario
 * is also run with full_recompute (every flow re-solved at every event: the
 * naive max-min baseline) in the same run unless -N.
 *
 * Built against an older liblightfab (bench/run_sim_compare.sh), the same
 * file measures the engine before a change: the fields and calls it uses
 * exist there too (LF_TRAFFIC_MAX_FILE marks the newer header).
 */
#include <signal.h>
#include <stdbool.h>
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

typedef struct result {
	int ok;
	double wall_s, sim_s, cpu_s;   /* cpu: user + system of the child */
	uint64_t flows, events;
	long rss_kib;
	char err[512];
} result;

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static lf_status load(const char *spec_path, lf_catalog **cat, lf_spec **spec, lf_plan **plan,
                      lf_error *err)
{
	lf_status st = lf_catalog_new(cat, err);
	if (st == LF_OK)
		st = lf_catalog_load_path(*cat, LF_DATADIR, err);
	if (st == LF_OK)
		st = lf_spec_load(spec_path, *cat, spec, err);
	if (st == LF_OK)
		st = lf_catalog_finish(*cat, err);
	if (st == LF_OK)
		st = lf_spec_resolve(*spec, *cat, err);
	if (st == LF_OK)
		st = lf_plan_build(*spec, *cat, plan, err);
	return st;
}

typedef enum { SC_PERM_ECMP, SC_PERM_SPRAY, SC_HIER, SC_A2A, SC_A2A_ECMP, SC_RING,
               SC_PERM_64K, SC_A2A_ECMP_3T, SC_A2A_8K_SPRAY, SC_A2A_8K_ECMP, SC_TREE } scenario;

static int sim_threads;    /* -t */

static void run(scenario sc, int n_ring, int naive, result *r)
{
	static const char *const specs[] = { "bench/specs/sim-fattree-k16.yaml",
	                                     "bench/specs/sim-fattree-k16.yaml",
	                                     "bench/specs/sim-h100-16k.yaml",
	                                     "bench/specs/sim-h100-1k.yaml",
	                                     "bench/specs/sim-h100-1k.yaml",
	                                     "bench/specs/sim-h100-16k.yaml",
	                                     "bench/specs/sim-fattree-k64.yaml",
	                                     "bench/specs/sim-h100-1k-3t.yaml",
	                                     "bench/specs/sim-h100-8k.yaml",
	                                     "bench/specs/sim-h100-8k.yaml",
	                                     "bench/specs/sim-h100-1k-3t.yaml" };
	lf_catalog *cat = NULL;
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	lf_error err = { 0 };
	if (load(specs[sc], &cat, &spec, &plan, &err) != LF_OK) {
		lf_error_format(&err, r->err, sizeof r->err);
		return;
	}
	bool spray = sc == SC_PERM_SPRAY || sc == SC_HIER || sc == SC_A2A || sc == SC_A2A_8K_SPRAY;
	lf_sim_config cfg = { .route = spray ? LF_ROUTE_SPRAY : LF_ROUTE_ECMP,
	                      .seed = 1, .efficiency = 0.96, .latency_us = 2,
	                      .full_recompute = naive, .exact_rings = sc == SC_RING,
	                      .chunk_bytes = sc == SC_TREE ? 256 << 10 : 0 };
#ifdef LF_SIM_THREADS
	cfg.threads = sim_threads;
#endif
	double t0 = now_s(), sim_s = 0;   /* after the plan is built: the simulation alone */
	lf_status st;
	if (sc == SC_PERM_ECMP || sc == SC_PERM_SPRAY || sc == SC_PERM_64K) {
		lf_sim *s = NULL;
		st = lf_sim_new(plan, &cfg, &s, &err);
		int n = (int)plan->gpus;
		int *perm = malloc((size_t)n * sizeof *perm);
		for (int i = 0; i < n; i++)
			perm[i] = i;
		uint64_t h = 42;   /* Fisher-Yates with a fixed LCG: the same permutation every run */
		for (int i = n - 1; i > 0; i--) {
			h = h * 6364136223846793005ULL + 1442695040888963407ULL;
			int j = (int)((h >> 33) % (uint64_t)(i + 1)), t = perm[i];
			perm[i] = perm[j];
			perm[j] = t;
		}
		for (int i = 0; st == LF_OK && i < n; i++) {
			uint32_t ph;
			if (perm[i] != i)
				st = lf_sim_add_transfer(s, i, perm[i], 2.0 * (1 << 20), NULL, 0, &ph, &err);
		}
		if (st == LF_OK)
			st = lf_sim_run(s, &sim_s, &err);
		r->flows = s ? lf_sim_flows(s) : 0;
		r->events = s ? lf_sim_events(s) : 0;
		free(perm);
		lf_sim_free(s);
	} else {
		size_t n = n_ring ? (size_t)n_ring : (size_t)plan->gpus;
		int64_t *g = malloc(n * sizeof *g);
		for (size_t i = 0; i < n; i++)   /* ring: GPU 0 of each server, else all GPUs */
			g[i] = sc == SC_RING || sc == SC_TREE ? (int64_t)i * 8 : (int64_t)i;
		lf_coll_result res;
		bool a2a = sc == SC_A2A || sc == SC_A2A_ECMP || sc == SC_A2A_ECMP_3T ||
		           sc == SC_A2A_8K_SPRAY || sc == SC_A2A_8K_ECMP;
		lf_coll coll = a2a ? LF_COLL_ALLTOALL : LF_COLL_ALLREDUCE;
		lf_algo algo = a2a ? LF_ALGO_PAIRWISE : sc == SC_HIER ? LF_ALGO_HIER : LF_ALGO_RING;
		st = lf_sim_collective(plan, &cfg, coll, algo, g, n, (double)(1 << 30), &res, &err);
		sim_s = res.time_us * 1e-6;
		r->flows = res.flows;
		r->events = res.events;
		free(g);
	}
	r->wall_s = now_s() - t0;
	r->sim_s = sim_s;
	r->ok = st == LF_OK;
	if (!r->ok)
		lf_error_format(&err, r->err, sizeof r->err);
	lf_plan_free(plan);
	lf_spec_free(spec);
	lf_catalog_free(cat);
}

static long mem_cap_mib;   /* -m: address-space cap of each child (0: none) */

static result in_child(scenario sc, int n_ring, int naive, int cap_s)
{
	result r = { 0 };
	int fd[2];
	if (pipe(fd) != 0)
		return r;
	pid_t pid = fork();
	if (pid == 0) {
		close(fd[0]);
		/* the cap is CPU time (the machine is shared: wall time under load
		 * says little), with a wall-clock backstop at 5x */
		struct rlimit cpu = { (rlim_t)cap_s, (rlim_t)cap_s + 1 };
		setrlimit(RLIMIT_CPU, &cpu);
		alarm((unsigned)cap_s * 5);
		if (mem_cap_mib > 0) {
			struct rlimit rl = { (rlim_t)mem_cap_mib << 20, (rlim_t)mem_cap_mib << 20 };
			setrlimit(RLIMIT_AS, &rl);
		}
		run(sc, n_ring, naive, &r);
		struct rusage ru;
		getrusage(RUSAGE_SELF, &ru);
		r.rss_kib = ru.ru_maxrss;
		r.cpu_s = (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec * 1e-6 +
		          (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec * 1e-6;
		if (write(fd[1], &r, sizeof r) != (ssize_t)sizeof r)
			_exit(1);
		_exit(0);
	}
	close(fd[1]);
	ssize_t got = read(fd[0], &r, sizeof r);
	close(fd[0]);
	int status;
	waitpid(pid, &status, 0);
	if (got != (ssize_t)sizeof r) {
		memset(&r, 0, sizeof r);
		int sig = WIFSIGNALED(status) ? WTERMSIG(status) : 0;
		snprintf(r.err, sizeof r.err, "%s", sig == SIGXCPU ? "over the CPU-time cap"
		                                    : sig == SIGALRM ? "over 5x the cap in wall time"
		                                    : "child failed");
	}
	return r;
}

int main(int argc, char **argv)
{
	int cap = 60, opt, no_naive = 0;
	const char *only = NULL;
	while ((opt = getopt(argc, argv, "b:qNs:m:t:")) != -1)
		if (opt == 'b')
			cap = atoi(optarg);
		else if (opt == 't')
			sim_threads = atoi(optarg);
		else if (opt == 'm')
			mem_cap_mib = atol(optarg);
		else if (opt == 'N')
			no_naive = 1;
		else if (opt == 's')
			only = optarg;
	static const struct { const char *name; scenario sc; int n; double target_s, target_mib; }
	runs[] = {
		{ "perm-ecmp (1,024 x 2 MiB, k=16)", SC_PERM_ECMP, 0, 0.05, 0 },
		{ "perm-spray (1,024 x 2 MiB, k=16)", SC_PERM_SPRAY, 0, 0.05, 0 },
		{ "hier all-reduce 1 GiB, 16,384 GPUs", SC_HIER, 0, 2, 2048 },
		{ "pairwise all-to-all 1 GiB, 1,024 GPUs", SC_A2A, 0, 10, 0 },
		{ "same, ECMP, 256 GPUs", SC_A2A_ECMP, 256, 0, 0 },
		{ "perm-ecmp (65,536 x 2 MiB, k=64)", SC_PERM_64K, 0, 1, 0 },
		{ "pairwise a2a 1 GiB, 1,024 GPUs, 3t ECMP", SC_A2A_ECMP_3T, 0, 3, 0 },
		{ "pairwise a2a 1 GiB, 8,192 GPUs, spray", SC_A2A_8K_SPRAY, 0, 30, 2048 },
		{ "pairwise a2a 1 GiB, 8,192 GPUs, ECMP", SC_A2A_8K_ECMP, 0, 30, 2048 },
		{ "chunked ring AR 1 GiB, 64 ranks, 256 KiB", SC_TREE, 64, 10, 0 },
		{ "exact ring all-reduce, 64 ranks", SC_RING, 64, 0, 0 },
		{ "exact ring all-reduce, 128 ranks", SC_RING, 128, 0, 0 },
		{ "exact ring all-reduce, 256 ranks", SC_RING, 256, 0, 0 },
		{ "exact ring all-reduce, 512 ranks", SC_RING, 512, 0, 0 },
	};
	printf("%-40s %10s %10s %11s %10s %9s %12s %9s %12s %8s %s\n", "scenario", "flows",
	       "events", "sim time", "wall", "cpu", "events/s", "RSS MiB", "naive wall", "speedup",
	       "target");
	int failed = 0;
	for (size_t i = 0; i < sizeof runs / sizeof runs[0]; i++) {
		if (only && !strstr(runs[i].name, only))
			continue;
		result r = in_child(runs[i].sc, runs[i].n, 0, cap);
		result b = { 0 };
		if (!no_naive)
			b = in_child(runs[i].sc, runs[i].n, 1, cap);
		if (!r.ok) {
			printf("%-40s FAILED: %s\n", runs[i].name, r.err);
			failed = 1;
			continue;
		}
		char naive[32], speed[32], target[48] = "";
		if (no_naive) {
			snprintf(naive, sizeof naive, "-");
			snprintf(speed, sizeof speed, "-");
		} else if (b.ok) {
			snprintf(naive, sizeof naive, "%.3f s", b.wall_s);
			snprintf(speed, sizeof speed, "%.1fx", b.wall_s / r.wall_s);
		} else {
			snprintf(naive, sizeof naive, "> %d s", cap);
			snprintf(speed, sizeof speed, "> %.0fx", cap / r.wall_s);
		}
		if (runs[i].target_s > 0 && runs[i].target_mib > 0)
			snprintf(target, sizeof target, "< %g s, < %g MiB: %s", runs[i].target_s,
			         runs[i].target_mib, r.wall_s < runs[i].target_s &&
			         (double)r.rss_kib / 1024 < runs[i].target_mib ? "met" : "MISSED");
		else if (runs[i].target_s > 0)
			snprintf(target, sizeof target, "< %g s: %s", runs[i].target_s,
			         r.wall_s < runs[i].target_s ? "met" : "MISSED");
		printf("%-40s %10llu %10llu %9.3f ms %8.3f s %7.3f s %12.0f %9.1f %12s %8s %s\n",
		       runs[i].name, (unsigned long long)r.flows, (unsigned long long)r.events,
		       r.sim_s * 1e3, r.wall_s, r.cpu_s, (double)r.events / r.wall_s,
		       (double)r.rss_kib / 1024, naive, speed, target);
		fflush(stdout);
	}
	return failed;
}
