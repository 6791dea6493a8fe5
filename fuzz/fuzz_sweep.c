/*
 * fuzz_sweep.c — libFuzzer target for the sweep file (`lightfab sweep
 * --sweep FILE`: spec, vary, objectives, workload, supply, reliability,
 * job_gpus) and the --vary paths it holds.
 *
 * Each input is loaded with lf_sweep_load_buffer into a sweep that already
 * has a base spec (the examples' 1-SU DGX H100, from memory) and a small
 * training workload (from memory), so the file's `vary` paths are checked
 * against both documents: spec paths against the spec's schema and
 * document, `workload.*` paths against the workload's.  When it loads, the
 * first points' spec and workload texts are built (each point's documents
 * edited and emitted by libyaml), as `lightfab sweep` does before parsing
 * them; nothing is planned or simulated (fuzz_spec and fuzz_workload do
 * that).  The input is named /nonexistent-lightfab-fuzz/sweep.yaml, so its
 * relative paths (spec:, workload:, supply:) resolve into a directory that
 * does not exist, and inputs holding a '/' are skipped: the target reads no
 * file.  Every failure must carry a message; LF_EINTERNAL aborts.
 *
 *   make fuzz
 *   build/fuzz/fuzz_sweep -dict=fuzz/yaml.dict fuzz/corpus/sweep
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lightfab.h"

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

static const char workload_yaml[] =
	"name: fuzz-step\n"
	"job: {gpus: 64}\n"
	"sim: {routing: spray}\n"
	"training:\n"
	"  model: {layers: 8, hidden: 1024, heads: 8, seq_len: 1024, global_batch: 64}\n"
	"  parallel: {tp: 2, pp: 2}\n"
	"  compute: {recompute: selective, recompute_modules: [core_attn]}\n"
	"  optimizer: {zero: 1}\n";

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

/* A failure must say what went wrong, and never be an internal error. */
static void check(lf_status st, const lf_error *err)
{
	if (st == LF_OK)
		return;
	if (st == LF_EINTERNAL || !err->msg[0]) {
		fprintf(stderr, "fuzz_sweep: status %d, message \"%s\"\n", (int)st, err->msg);
		abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (memchr(data, '/', size))
		return 0;   /* no absolute or parent paths: nothing is read */
	lf_sweep *sw = NULL;
	lf_error err = { 0 };
	if (lf_sweep_new(&sw, &err) != LF_OK)
		abort();
	if (lf_sweep_add_spec_buffer(sw, "spec.yaml", spec_yaml, sizeof spec_yaml - 1, &err) !=
	        LF_OK ||
	    lf_sweep_set_workload_buffer(sw, "workload.yaml", workload_yaml,
	                                 sizeof workload_yaml - 1, &err) != LF_OK) {
		fprintf(stderr, "fuzz_sweep: the built-in inputs fail: %s\n", err.msg);
		abort();
	}
	lf_status st = lf_sweep_load_buffer(sw, "/nonexistent-lightfab-fuzz/sweep.yaml",
	                                    (const char *)data, size, &err);
	check(st, &err);
	if (st == LF_OK) {
		size_t n = lf_sweep_n_points(sw);
		for (size_t i = 0; i < n && i < 8; i++) {
			char *text = NULL;
			size_t len = 0;
			lf_error e = { 0 };
			check(lf_sweep_point_yaml(sw, i, &text, &len, &e), &e);
			free(text);
			text = NULL;
			e = (lf_error){ 0 };
			st = lf_sweep_point_workload_yaml(sw, i, &text, &len, &e);
			/* the file may replace the workload: then it is the file's */
			check(st, &e);
			free(text);
			for (size_t a = 0; a < lf_sweep_n_axes(sw); a++)
				if (!lf_sweep_point_value(sw, i, a))
					abort();
		}
	}
	lf_sweep_free(sw);
	return 0;
}
