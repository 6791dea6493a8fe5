/*
 * workload.h — the sim layer's workload internals shared by workload.c,
 * training.c, traffic.c and budget.c, and the names the renderers print
 * (layer src/sim; docs/design.md).
 */
#ifndef LF_WORKLOAD_H
#define LF_WORKLOAD_H

#include "core.h"

/* ---- the workload's keys as a tree (workload.c; its training and traffic
 * sections: training.c, traffic.c), for the parsers and sweep's paths */
extern const lfi_schema lfi_workload_schema, lfi_training_schema, lfi_traffic_schema;

/* ---- the work budget (budget.c): LF_ELIMIT before work over lf_limits.work;
 * `n`: the job's GPUs (lf_workload_gpus) */
lf_status lfi_workload_budget(const lf_plan *pl, const lf_workload *wl, const lf_sim_config *cfg,
                              size_t n, lf_error *err) LF_MUST;

/* ---- training.c */
lf_status lfi_training_parse(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lfi_arena *arena,
                             lf_error *err) LF_MUST;
lf_status lfi_training_run(const lf_plan *plan, const lf_workload *wl, const lf_sim_config *cfg,
                           const int64_t *gpus, size_t n, lf_sim_progress_fn progress,
                           void *ctx, lf_sim_report *r, lf_error *err) LF_MUST;
/* ---- traffic.c: the `traffic:` section (flows of a list or CSV file go to
 * `flows`); its expansion over a job of n ranks, G GPUs per server, into
 * rank-resolved flows (src_gpu = dst_gpu = -1), errors at file:line:col. */
lf_status lfi_traffic_parse(lf_traffic *t, lfi_ydoc *d, yaml_node_t *n, lfi_arena *arena,
                            lfi_vec *flows, lf_error *err) LF_MUST;
lf_status lfi_traffic_expand(const lf_traffic *t, const lf_traffic_flow *list, size_t n_list,
                             int64_t n, int G, lfi_vec *out, lf_error *err) LF_MUST;
lf_status lfi_traffic_run(const lf_plan *plan, const lf_workload *wl, const lf_sim_config *cfg,
                          const int64_t *gpus, size_t n, lf_sim_progress_fn progress,
                          void *ctx, lf_sim_report *r, lfi_vec *records, lfi_buf *paths,
                          lf_error *err) LF_MUST;
/* ---- progress.c: route cfg's engine progress to fn (NULL: none) through
 * pc, which must outlive the simulation; pc->p says which item is running. */
typedef struct lfi_sim_prog {
	lf_sim_progress_fn fn;
	void *ctx;
	lf_sim_progress p;
} lfi_sim_prog;
void lfi_sim_progress_setup(lf_sim_config *cfg, lf_sim_progress_fn fn, void *ctx, lfi_sim_prog *pc);

/* ---- names.c: the names of the format's enums, in enum order */
typedef struct lfi_names {
	const char *const *v;
	size_t n;
} lfi_names;
extern const lfi_names lfi_coll_names, lfi_algo_names, lfi_route_names, lfi_proto_names,
       lfi_comm_names, lfi_place_names, lfi_dispatch_names, lfi_recompute_names,
       lfi_rc_module_names, lfi_zero_names, lfi_attention_names, lfi_loss_names;
const char *lfi_comm_name(lf_comm c);
const char *lfi_placement_name(lf_placement p);
const char *lfi_dispatch_name(lf_dispatch d);
const char *lfi_recompute_name(lf_recompute r);
const char *lfi_zero_name(lf_zero z);
const char *lfi_loss_name(int impl);
const char *lfi_attention_name(const lf_training *t);

#endif
