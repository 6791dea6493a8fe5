/*
 * fuzz_workload.c — libFuzzer target for the workload parser (`lightfab sim`
 * input: job, sim settings, collectives or a training step).
 *
 * Each input is parsed with lf_workload_load_buffer (through yamldoc.c's
 * pre-pass: nesting depth, alias expansion against the work budget); when
 * it parses, it runs on a small planned fabric (examples' 1-SU DGX H100
 * spec, 256 GPUs, planned once) under a work budget of 3,000 units and a
 * cancel hook that stops any run after 0.25 s of wall time, so an input can
 * neither allocate nor run for long: what it asks beyond that must be
 * refused with a message (LF_ELIMIT), never run.
 *
 *   make fuzz
 *   build/fuzz/fuzz_workload -dict=fuzz/yaml.dict fuzz/corpus/workload
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "lightfab.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

static lf_catalog *cat;
static lf_spec *spec;
static lf_plan *plan;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char spec_yaml[] =
	"name: fuzz-1su\n"
	"cluster: {server: dgx-h100, servers: 32, su_size: 32}\n"
	"fabric:\n"
	"  kind: rail-optimized\n"
	"  tier_count: 2\n"
	"  tiers:\n"
	"    - {name: leaf, switch: qm9700, oversubscription: 1:1, distance: 30m}\n"
	"    - {name: spine, switch: qm9700, distance: 50m}\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	lf_error err = { 0 };
	const char *dir = getenv("LIGHTFAB_CATALOG");
	if (!dir || !*dir)
		dir = LF_DATADIR;
	lf_limits lim = { .work = 3000 };
	lf_limits_set(&lim);
	if (lf_catalog_new(&cat, &err) != LF_OK || lf_catalog_load_path(cat, dir, &err) != LF_OK ||
	    lf_catalog_finish(cat, &err) != LF_OK ||
	    lf_spec_load_buffer("fuzz-spec.yaml", spec_yaml, sizeof spec_yaml - 1, cat, &spec,
	                        &err) != LF_OK ||
	    lf_spec_resolve(spec, cat, &err) != LF_OK || lf_plan_build(spec, cat, &plan, &err) != LF_OK) {
		char buf[2048];
		fprintf(stderr, "fuzz_workload: cannot plan the fuzzing fabric: %s\n",
		        lf_error_format(&err, buf, sizeof buf));
		abort();
	}
	return 0;
}

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static int too_long(void *ctx)
{
	return now() > *(const double *)ctx;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lf_error err = { 0 };
	lf_workload *wl = NULL;
	lf_sim_report *rep = NULL;
	if (lf_workload_load_buffer("fuzz.yaml", (const char *)data, size, &wl, &err) == LF_OK) {
		double deadline = now() + 0.25;
		lf_sim_config cfg = wl->sim;
		cfg.cancel = too_long;
		cfg.cancel_ctx = &deadline;
		if (lf_workload_simulate(plan, wl, &cfg, NULL, NULL, &rep, &err) == LF_OK) {
			char *text = NULL;
			if (lf_sim_report_render(rep, LF_FMT_JSON, &text, &err) == LF_OK)
				free(text);
		}
	}
	/* every failure must say what; none may be an internal error */
	if (err.status != LF_OK && (!err.msg[0] || err.status == LF_EINTERNAL)) {
		fprintf(stderr, "fuzz_workload: %s: %s\n", lf_strerror(err.status), err.msg);
		abort();
	}
	lf_sim_report_free(rep);
	lf_workload_free(wl);
	return 0;
}
