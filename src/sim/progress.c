/*
 * progress.c — the engine's progress callback, tagged with which simulation
 * of a workload is running (item i of n, what), for workload.c, training.c
 * and traffic.c.
 */
#include "workload.h"

static void forward(void *ctx, double t, uint64_t events, uint64_t done, uint64_t total)
{
	lfi_sim_prog *pc = ctx;
	pc->p.sim_time_s = t;
	pc->p.events = events;
	pc->p.flows_done = done;
	pc->p.flows_total = total;
	pc->fn(pc->ctx, &pc->p);
}

void lfi_sim_progress_setup(lf_sim_config *c, lf_sim_progress_fn fn, void *ctx, lfi_sim_prog *pc)
{
	c->progress = NULL;
	c->progress_ctx = NULL;
	if (!fn)
		return;
	pc->fn = fn;
	pc->ctx = ctx;
	c->progress = forward;
	c->progress_ctx = pc;
}
