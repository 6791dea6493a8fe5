/*
 * fuzz_training.c — libFuzzer target for the training step of a
 * `lightfab sim` workload, without the flow engine (fuzz_workload.c runs
 * whole workloads on a small fabric under a work budget; this one covers
 * the layout checks and the compute model for any job size).
 *
 * Each input is parsed as a workload (lf_workload_load_buffer).  When it
 * holds a training step, the step is derived (lf_training_derive: the
 * parallel layout checks, the compute model from the shapes) for a job of
 * the workload's size (1,024 GPUs when it names none) on an H100 server
 * described here, so no catalog file is read.  Nothing is simulated: the
 * flow engine has its own tests and benchmarks.
 *
 *   make fuzz                    # builds build/fuzz/fuzz_training, short run
 *   build/fuzz/fuzz_training -dict=fuzz/yaml.dict fuzz/corpus/training
 */
#include <math.h>
#include <stdlib.h>

#include "lightfab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const lf_server h100 = { .id = "h100", .gpus = 8, .gpu_tflops = 989,
	                                .gpu_fp8_tflops = 1979, .gemm_share = 0.803,
	                                .gemm_share_fp8 = 0.709, .hbm_gbs = 3350, .gpu_sms = 132,
	                                .hbm_gb = 80, .host_link_gbs = 64 };
	lf_error err = { 0 };
	lf_workload *wl = NULL;
	if (lf_workload_load_buffer("fuzz.yaml", (const char *)data, size, &wl, &err) == LF_OK &&
	    wl->has_training) {
		int64_t gpus = wl->gpus > 0 && wl->gpus <= (INT64_C(1) << 24) ? wl->gpus : 1024;
		lf_step s;
		if (lf_training_derive(&wl->training, wl->file, gpus, &h100, &s, &err) == LF_OK) {
			/* a finished step is finite and positive */
			s.tp_s = s.pp_s = s.cp_s = s.ep_s = 1e-3;
			s.dp_bucket_s = 1e-2;
			lf_step_finish(&wl->training, &s);
			if (!(s.step_s > 0) || !isfinite(s.step_s) || !isfinite(s.mfu))
				abort();
		}
	}
	/* every failure must say where (or at least what) */
	if (err.status != LF_OK && !err.msg[0])
		abort();
	lf_workload_free(wl);
	return 0;
}
