/*
 * emit_sim.c — a `lightfab sim` report as an nccl-tests-style table, JSON
 * (jansson) or CSV.  Every number comes from the lf_sim_report; nothing is
 * recomputed here but unit conversions.
 *
 * Table: per collective entry, the nccl-tests columns (size, count, type,
 * redop, root, time (us), algbw, busbw; out-of-place only, no #wrong) and
 * the average bus bandwidth; for a training step the model's figures, one
 * row per kind of communication and the step summary; then the busiest
 * links.
 *
 * JSON (fields may be added, these stay; docs/sim.md):
 *   { "name", "workload",
 *     "job": { "gpus", "servers", "sus", "placement", "per_domain" when set },
 *     "sim": { "routing", "seed", "efficiency", "latency_us", "hop_latency_us", "chunk_bytes",
 *              "failed_random", "failed_listed" },
 *     "collectives": [ { "type", "algorithm", "communicator", "groups", "ranks",
 *                        "dtype", "size_bytes", "count", "time_us", "algbw_gbs",
 *                        "busbw_gbs", "flows", "events", "top_links": [link] } ],
 *     "training": null | { "model": {...}, "parallel": {...}, "compute": {...},
 *                  "comm": { "tp"|"pp"|"ep"|"dp": { "bytes", "count", "groups",
 *                            "time_s", "exposed_s" } },
 *                  "step_s", "compute_s", "pipeline_compute_s", "comm_exposed_s",
 *                  "dp_hidden_s", "tokens_per_s", "mfu", "top_links": [link] },
 *     "traffic": null | { "pattern", "source", "flows", "bytes", "last_us",
 *                 "ideal_last_us", "fct_us": { "p50", "p99", "max", "mean" },
 *                 "slowdown": { "p50", "p99", "max" }, "top_links": [link] },
 *     "events", "flows", "wall_s", "notes" }
 *   sim also holds "max_flow_rate_gbps", "spray_efficiency" and "fluid_ideal"
 *   (spray with neither: the fluid ideal).
 *   link = { "level", "plane", "lower", "upper", "direction", "utilization",
 *            "bytes", "during" (training only) }
 *   where "lower"/"upper" name the nodes ("leaf 3", "spine 1", "server 12").
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "render.h"
#include "workload.h"

static const char *tier_name(int tier)
{
	static const char *const n[] = { "server", "leaf", "spine", "core" };
	return tier >= 0 && tier < 4 ? n[tier] : "?";
}

typedef struct link_desc {
	char lower[48], upper[48];
	const char *level, *dir;
	int plane;
} link_desc;

static void describe(const lf_plan *pl, const lf_link_use *u, link_desc *d)
{
	memset(d, 0, sizeof *d);
	d->level = "?";
	d->dir = u->up ? "up" : "down";
	if (!pl || u->link >= pl->n_links) {
		snprintf(d->lower, sizeof d->lower, "?");
		snprintf(d->upper, sizeof d->upper, "?");
		return;
	}
	const lf_link *l = &pl->links[u->link];
	const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
	d->level = lfi_level_name(l->level);
	d->plane = l->plane;
	snprintf(d->lower, sizeof d->lower, "%s %u", tier_name(a->tier), a->index);
	snprintf(d->upper, sizeof d->upper, "%s %u", tier_name(b->tier), b->index);
}

static const char *redop(lf_coll c)
{
	return c == LF_COLL_ALLREDUCE || c == LF_COLL_REDUCESCATTER ? "sum" : "none";
}

static int root(lf_coll c)
{
	return c == LF_COLL_BROADCAST ? 0 : -1;
}

/* ------------------------------------------------------------------- table */

static void top_table(lfi_buf *b, const lf_sim_report *r, const lf_link_use *top, size_t n,
                      const char *const *during)
{
	if (!n)
		return;
	lfi_buf_printf(b, "#  %-11s %5s  %-12s %-12s %-4s %7s %12s%s\n", "level", "plane", "lower",
	               "upper", "dir", "util", "bytes", during ? "  during" : "");
	for (size_t i = 0; i < n; i++) {
		link_desc d;
		char bb[32];
		describe(r->plan, &top[i], &d);
		lfi_format_bytes(top[i].bytes, bb, sizeof bb);
		lfi_buf_printf(b, "#  %-11s %5d  %-12s %-12s %-4s %6.1f%% %12s", d.level, d.plane,
		               d.lower, d.upper, d.dir, 100 * top[i].utilization, bb);
		if (during)
			lfi_buf_printf(b, "  %s", during[i] ? during[i] : "");
		lfi_buf_puts(b, "\n");
	}
}

static void header(lfi_buf *b, const lf_sim_report *r)
{
	const lf_sim_config *c = &r->cfg;
	char chunk[32] = "none";
	if (c->chunk_bytes > 0)
		lfi_format_bytes(c->chunk_bytes, chunk, sizeof chunk);
	lfi_buf_printf(b, "# lightfab sim: %s, workload %s\n", r->name ? r->name : "",
	               r->workload ? r->workload : "");
	lfi_buf_printf(b, "# job: %lld GPUs on %lld servers in %d SU(s), %s",
	               (long long)r->job_gpus, (long long)r->job_servers, r->job_sus,
	               lfi_placement_name(r->placement));
	if (r->per_domain > 0)
		lfi_buf_printf(b, ", %lld GPUs per NVLink domain", (long long)r->per_domain);
	lfi_buf_printf(b, "\n");
	char lat[48];
	if (c->latency_us < 0)
		snprintf(lat, sizeof lat, "NCCL model");
	else
		snprintf(lat, sizeof lat, "%g us per step", c->latency_us);
	lfi_buf_printf(b, "# routing %s, seed %llu, efficiency %.3g, latency %s + %g us per "
	               "switch, protocol %s, chunk %s, failed links %d random + %zu listed\n",
	               lf_route_name(c->route), (unsigned long long)c->seed,
	               c->efficiency > 0 ? c->efficiency : 1.0, lat, c->hop_latency_us,
	               lf_nccl_proto_name(c->proto), chunk, c->failed_count, c->n_failed);
}

static void coll_table(lfi_buf *b, const lf_sim_report *r, const lf_workload *wl_unused)
{
	(void)wl_unused;
	size_t i = 0;
	while (i < r->n_rows) {
		size_t e = r->rows[i].entry, j = i;
		while (j < r->n_rows && r->rows[j].entry == e)
			j++;
		const lf_sim_row *f = &r->rows[i];
		lfi_buf_printf(b, "#\n# %s, communicator %s: %zu group(s) of %zu ranks\n",
		               lf_coll_name(f->r.coll), lfi_comm_name(f->comm), f->groups, f->r.ranks);
		lfi_buf_printf(b, "#\n# %10s  %12s  %8s  %6s  %6s  %10s  %7s  %7s  %-14s %-6s\n", "size",
		               "count", "type", "redop", "root", "time", "algbw", "busbw", "algorithm",
		               "proto");
		lfi_buf_printf(b, "# %10s  %12s  %8s  %6s  %6s  %10s  %7s  %7s\n", "(B)", "(elements)",
		               "", "", "", "(us)", "(GB/s)", "(GB/s)");
		double sum = 0;
		for (size_t k = i; k < j; k++) {
			const lf_sim_row *w = &r->rows[k];
			int tb = w->dtype_bytes > 0 ? w->dtype_bytes : 4;
			lfi_buf_printf(b, "  %10.0f  %12.0f  %8s  %6s  %6d  %10.2f  %7.2f  %7.2f  %-14s %-6s\n",
			               w->r.bytes, floor(w->r.bytes / tb), w->dtype ? w->dtype : "float",
			               redop(w->r.coll), root(w->r.coll), w->r.time_us, w->r.algbw_gbs,
			               w->r.busbw_gbs, lf_algo_name(w->r.algo),
			               w->r.proto ? lf_nccl_proto_name(w->r.proto) : "ideal");
			sum += w->r.busbw_gbs;
		}
		lfi_buf_printf(b, "# Avg bus bandwidth    : %g\n", sum / (double)(j - i));
		for (size_t k = i; k < j; k++)
			if (r->rows[k].r.note[0] && (k == i || strcmp(r->rows[k].r.note,
			                                              r->rows[k - 1].r.note))) {
				lfi_buf_printf(b, "# note: %s\n", r->rows[k].r.note);
			}
		const lf_sim_row *last = &r->rows[j - 1];
		if (last->r.n_top) {
			char sz[32];
			lfi_format_bytes(last->r.bytes, sz, sizeof sz);
			lfi_buf_printf(b, "# busiest links at %s:\n", sz);
			top_table(b, r, last->r.top, last->r.n_top, NULL);
		}
		i = j;
	}
}

/* "selective (core_attn, mlp)", "full", "none" */
static void recompute_desc(const lf_training *t, char *buf, size_t n)
{
	size_t k = (size_t)snprintf(buf, n, "%s", lfi_recompute_name(t->recompute));
	if (t->recompute == LF_RECOMPUTE_FULL && t->recompute_layers > 0)
		snprintf(buf + k, n - k, " (%lld layers of each chunk)", (long long)t->recompute_layers);
	unsigned rm = lf_training_recomputed(t);
	const char *sep = " (";
	for (size_t i = 0; i < lfi_rc_module_names.n && k < n; i++)
		if (rm & (1u << i)) {
			k += (size_t)snprintf(buf + k, n - k, "%s%s", sep, lfi_rc_module_names.v[i]);
			sep = ", ";
		}
	if (rm && k < n)
		snprintf(buf + k, n - k, ")");
}

/* The step's memory per GPU, and whether it fits the GPU's. */
static void memory_lines(lfi_buf *b, const lf_step *s)
{
	const lf_step_memory *m = &s->mem;
	char tot[32], cap[32], w[32], g[32], o[32], a[32], lg[32];
	lfi_format_bytes(m->total_b, tot, sizeof tot);
	lfi_format_bytes(m->weights_b, w, sizeof w);
	lfi_format_bytes(m->grads_b, g, sizeof g);
	lfi_format_bytes(m->optimizer_b, o, sizeof o);
	lfi_format_bytes(m->activations_b, a, sizeof a);
	lfi_format_bytes(m->logits_b, lg, sizeof lg);
	char fl[48];
	if (m->inflight == 1)
		snprintf(fl, sizeof fl, "one micro-batch");
	else
		snprintf(fl, sizeof fl, "%.3g micro-batches' worth", m->inflight);
	lfi_buf_printf(b, "# memory per GPU %s (stage %lld of %lld): weights %s, gradients %s, "
	               "optimizer %s, activations %s (%s in flight), logits %s\n", tot,
	               (long long)m->stage, (long long)s->pp, w, g, o, a, fl, lg);
	if (m->capacity_b <= 0)
		return;
	lfi_format_bytes(m->capacity_b, cap, sizeof cap);
	if (m->total_b > m->capacity_b)
		lfi_buf_printf(b, "# DOES NOT FIT: %s needed of the GPU's %s (before the CUDA context, "
		               "communication buffers and fragmentation)\n", tot, cap);
	else
		lfi_buf_printf(b, "# fits: %.0f%% of the GPU's %s (before the CUDA context, "
		               "communication buffers and fragmentation)\n",
		               100 * m->total_b / m->capacity_b, cap);
}

static void step_table(lfi_buf *b, const lf_sim_report *r)
{
	const lf_step *s = &r->step;
	const lf_training *t = r->training;
	char a[32], c[32];
	lfi_buf_printf(b, "#\n# training step: tp %lld x cp %lld x pp %lld x dp %lld (ep %lld, "
	               "virtual stages %lld) = %lld GPUs, %lld micro-batches\n", (long long)s->tp,
	               (long long)s->cp, (long long)s->pp, (long long)s->dp, (long long)s->ep,
	               (long long)s->vs, (long long)s->gpus, (long long)s->micro_batches);
	lfi_buf_printf(b, "# %.4g parameters (%.4g active), %.4g tokens/step, %.4g model FLOPs/token "
	               "(%.4g executed), %g TFLOPS peak\n", t ? t->parameters : 0,
	               t ? t->active_parameters : 0, s->tokens, s->flops_per_token,
	               s->hw_flops_per_token, s->gpu_tflops);
	if (s->gemm_share > 0)
		lfi_buf_printf(b, "# tensor cores at %.3g of peak: GEMM ceiling %.3g (microbenchmark) x "
		               "%.3g sustained in training\n", s->gemm_share * s->sustained_share,
		               s->gemm_share, s->sustained_share);
	if (t) {
		char mods[160];
		recompute_desc(t, mods, sizeof mods);
		lfi_buf_printf(b, "# recompute %s, sequence parallel %s, zero %s", mods,
		               t->sequence_parallel ? "on" : "off", lfi_zero_name(t->zero));
		if (t->offload_layers > 0)
			lfi_buf_printf(b, ", %lld layers' activations offloaded to host memory",
			               (long long)t->offload_layers);
		if (t->layout)
			lfi_buf_printf(b, ", pipeline layout %s", t->layout);
		if (t->precision && strcmp(t->precision, "fp8") == 0)
			lfi_buf_printf(b, ", attention in %s", t->fp8_attention ? "FP8" : "BF16");
		if (t->dp_blocking && s->dp > 1)
			lfi_buf_puts(b, ", dp traffic not overlapped");
		lfi_buf_puts(b, "\n");
		if (t->experts > 0) {
			static const char *const disp[] = { "NCCL all-to-all", "DeepEP", "HybridEP" };
			lfi_buf_printf(b, "# moe: %lld experts, top-%d", (long long)t->experts, t->top_k);
			if (t->node_limit > 0)
				lfi_buf_printf(b, " on at most %lld domains", (long long)t->node_limit);
			if (s->ep > 1)
				lfi_buf_printf(b, ", %s dispatch: %.3g copies a token%s", disp[t->dispatcher],
				               s->ep_copies, t->ep_overlap ? ", all-to-alls overlapped "
				               "(combined 1F1B)" : "");
			lfi_buf_puts(b, "\n");
		}
	}
	lfi_buf_printf(b, "# one micro-batch on the busiest stage: forward %s, backward %s\n",
	               lfi_format_seconds(s->mb_fwd_s, a, sizeof a),
	               lfi_format_seconds(s->mb_bwd_s, c, sizeof c));
	memory_lines(b, s);
	lfi_buf_puts(b, "#\n");
	lfi_buf_printf(b, "  %-20s %12s %10s %8s %12s %12s\n", "communication", "size", "count",
	               "groups", "one op", "exposed");
	lfi_comm_row rows[5];
	size_t n = lfi_step_comm_rows(r, rows);
	for (size_t i = 0; i < n; i++) {
		char sz[32], cnt[32];
		lfi_format_bytes(rows[i].bytes, sz, sizeof sz);
		snprintf(cnt, sizeof cnt, "%lld%s", (long long)rows[i].count, rows[i].per);
		lfi_buf_printf(b, "  %-20s %12s %10s %8lld %12s %12s\n", rows[i].name, sz, cnt,
		               (long long)rows[i].groups, lfi_format_seconds(rows[i].one_s, a, sizeof a),
		               lfi_format_seconds(rows[i].exposed_s, c, sizeof c));
	}
	if (s->dp_hidden_s > 0)
		lfi_buf_printf(b, "  (%s of %s of dp traffic hidden behind compute)\n",
		               lfi_format_seconds(s->dp_hidden_s, a, sizeof a),
		               lfi_format_seconds(s->dp_s, c, sizeof c));
	double st = s->step_s > 0 ? 100 / s->step_s : 0;
	lfi_buf_printf(b, "#\n  %-24s %s\n", "step time", lfi_format_seconds(s->step_s, a, sizeof a));
	lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "  compute", lfi_format_seconds(s->compute_s, a,
	              sizeof a), st * s->compute_s);
	lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "    gemm", lfi_format_seconds(s->gemm_s, a,
	              sizeof a), st * s->gemm_s);
	lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "    attention", lfi_format_seconds(s->attn_s,
	              a, sizeof a), st * s->attn_s);
	lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "    memory-bound", lfi_format_seconds(s->elem_s,
	              a, sizeof a), st * s->elem_s);
	lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "    optimizer",
	               lfi_format_seconds(s->optimizer_s, a, sizeof a), st * s->optimizer_s);
	if (s->offload_s > 0)
		lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "    offload stall",
		               lfi_format_seconds(s->offload_s, a, sizeof a), st * s->offload_s);
	lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", "  pipeline bubble",
	               lfi_format_seconds(s->bubble_s, a, sizeof a), st * s->bubble_s);
	for (size_t i = 0; i < n; i++) {
		char lab[40];
		snprintf(lab, sizeof lab, "  %s exposed", rows[i].key);
		lfi_buf_printf(b, "  %-24s %-12s %5.1f%%\n", lab,
		               lfi_format_seconds(rows[i].exposed_s, a, sizeof a), st * rows[i].exposed_s);
	}
	lfi_buf_printf(b, "  %-24s %.0f\n", "tokens/s", s->tokens_per_s);
	if (s->mfu > 0) {
		lfi_buf_printf(b, "  %-24s %.1f%% (%.1f TFLOPS per GPU)\n", "MFU", 100 * s->mfu,
		               s->mfu * s->gpu_tflops);
		lfi_buf_printf(b, "  %-24s %.1f%% (recomputation counted)\n", "HFU", 100 * s->hfu);
	}
	if (r->n_top) {
		lfi_buf_puts(b, "# busiest links:\n");
		top_table(b, r, r->top, r->n_top, r->top_during);
	}
}

/* Spraying with no loss model is the fluid ideal: say so wherever its
 * numbers appear. */
static bool fluid_ideal(const lf_sim_config *c)
{
	return c->route == LF_ROUTE_SPRAY && !(c->max_flow_rate > 0) &&
	       !(c->spray_efficiency > 0 && c->spray_efficiency < 1);
}

static const char *traffic_pattern(const lf_traffic_result *t)
{
	return t->kind == LF_TRAFFIC_LIST ? (t->source ? "file" : "list")
	                                  : lf_traffic_kind_name(t->kind);
}

static void traffic_table(lfi_buf *b, const lf_sim_report *r)
{
	const lf_traffic_result *t = &r->traffic;
	char a[32], c[32], d[32], e[32], n[32], by[32];
	lfi_format_bytes(t->bytes, by, sizeof by);
	lfi_buf_printf(b, "#\n# traffic: %s%s%s, %s flows, %s in all\n", traffic_pattern(t),
	               t->source ? " " : "", t->source ? t->source : "",
	               lfi_fmt_count(t->flows, n, sizeof n), by);
	if (fluid_ideal(&r->cfg))
		lfi_buf_puts(b, "# spray here is the fluid ideal (every flow split evenly over every "
		               "equal-cost path, no reordering or loss); sim.spray_efficiency or "
		               "max_flow_rate model what packet spraying loses\n");
	lfi_buf_printf(b, "#\n  %-22s %s\n", "last flow finished",
	               lfi_format_seconds(t->last_s, a, sizeof a));
	lfi_buf_printf(b, "  %-22s %s\n", "every flow alone",
	               lfi_format_seconds(t->ideal_last_s, a, sizeof a));
	lfi_buf_printf(b, "#\n  %-22s %12s %12s %12s %12s\n", "", "p50", "p99", "max", "mean");
	lfi_buf_printf(b, "  %-22s %12s %12s %12s %12s\n", "flow completion time",
	               lfi_format_seconds(t->fct_p50_s, a, sizeof a),
	               lfi_format_seconds(t->fct_p99_s, c, sizeof c),
	               lfi_format_seconds(t->fct_max_s, d, sizeof d),
	               lfi_format_seconds(t->fct_mean_s, e, sizeof e));
	lfi_buf_printf(b, "  %-22s %12.3f %12.3f %12.3f\n", "slowdown (FCT / alone)",
	               t->slowdown_p50, t->slowdown_p99, t->slowdown_max);
	if (t->n_top) {
		lfi_buf_puts(b, "# busiest links:\n");
		top_table(b, r, t->top, t->n_top, NULL);
	}
}

static lf_status render_table(const lf_sim_report *r, char **out, lf_error *err)
{
	lfi_buf b;
	lfi_buf_init(&b);
	header(&b, r);
	if (r->has_step)
		step_table(&b, r);
	else if (r->has_traffic)
		traffic_table(&b, r);
	else
		coll_table(&b, r, NULL);
	lfi_buf_printf(&b, "# %llu flows, %llu events, %.2f s wall\n", (unsigned long long)r->flows,
	               (unsigned long long)r->events, r->wall_s);
	if (r->notes[0])
		lfi_buf_printf(&b, "# notes: %s\n", r->notes);
	return lfi_buf_finish(&b, out, err);
}

/* -------------------------------------------------------------------- JSON */

static json_t *links_json(const lf_sim_report *r, const lf_link_use *top, size_t n,
                          const char *const *during)
{
	json_t *a = json_array();
	for (size_t i = 0; a && i < n; i++) {
		link_desc d;
		describe(r->plan, &top[i], &d);
		json_t *o = json_pack("{s:s, s:i, s:s, s:s, s:s, s:f, s:f}", "level", d.level,
		                      "plane", d.plane, "lower", d.lower, "upper", d.upper,
		                      "direction", d.dir, "utilization", top[i].utilization, "bytes",
		                      top[i].bytes);
		if (o && during)
			json_object_set_new(o, "during", json_string(during[i] ? during[i] : ""));
		json_array_append_new(a, o);
	}
	return a;
}

static json_t *step_json(const lf_sim_report *r, const lf_training *t)
{
	const lf_step *s = &r->step;
	json_t *comm = json_object();
	lfi_comm_row rows[5];
	size_t n = lfi_step_comm_rows(r, rows);
	for (size_t i = 0; comm && i < n; i++)
		json_object_set_new(comm, rows[i].key,
		                    json_pack("{s:f, s:I, s:I, s:f, s:f}", "bytes", rows[i].bytes,
		                              "count", (json_int_t)rows[i].count, "groups",
		                              (json_int_t)rows[i].groups, "time_s", rows[i].one_s,
		                              "exposed_s", rows[i].exposed_s));
	json_t *model = json_pack("{s:f, s:f, s:I, s:I, s:I, s:I, s:I, s:I, s:s, s:I, s:I, s:I, "
	                          "s:s, s:I, s:i, s:s, s:I, s:f}",
	                          "parameters", t->parameters, "active_parameters",
	                          t->active_parameters, "layers", (json_int_t)t->layers, "hidden",
	                          (json_int_t)t->hidden, "heads", (json_int_t)t->heads,
	                          "kv_heads", (json_int_t)t->kv_heads, "ffn_hidden",
	                          (json_int_t)t->ffn_hidden, "vocab", (json_int_t)t->vocab, "mlp",
	                          t->gated ? "swiglu" : "gelu", "seq_len", (json_int_t)t->seq_len,
	                          "micro_batch", (json_int_t)t->micro_batch, "global_batch",
	                          (json_int_t)t->global_batch, "precision",
	                          t->precision ? t->precision : "bf16", "experts",
	                          (json_int_t)t->experts, "top_k", t->top_k, "dispatcher",
	                          lfi_dispatch_name(t->dispatcher), "attention_window",
	                          (json_int_t)t->attention_window, "window_share",
	                          t->attention_window ? t->window_share : 0.0);
	json_t *par = json_pack("{s:I, s:I, s:I, s:I, s:I, s:I, s:b, s:b, s:b, s:b, s:I, s:s?, "
	                        "s:f}", "tp",
	                        (json_int_t)s->tp, "cp", (json_int_t)s->cp, "pp", (json_int_t)s->pp,
	                        "dp", (json_int_t)s->dp, "ep", (json_int_t)s->ep, "virtual_stages",
	                        (json_int_t)s->vs, "sequence_parallel", t->sequence_parallel,
	                        "pp_comm_overlap", s->vs > 1 && !t->pp_blocking, "ep_comm_overlap",
	                        s->ep > 1 && t->ep_overlap, "dp_comm_overlap",
	                        s->dp > 1 && !t->dp_blocking, "micro_batches",
	                        (json_int_t)s->micro_batches, "layout", t->layout,
	                        "stage_layers", s->stage_layers);
	json_t *cmp = json_pack("{s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:s, s:f, s:f, s:f, s:f, "
	                        "s:f, s:f, s:f}",
	                        "tokens_per_step", s->tokens, "flops_per_token", s->flops_per_token,
	                        "hw_flops_per_token", s->hw_flops_per_token, "flops_per_gpu",
	                        s->flops_per_gpu, "gpu_tflops", s->gpu_tflops, "gemm_share",
	                        s->gemm_share, "sustained_share", s->sustained_share, "recompute",
	                        lfi_recompute_name(t->recompute), "slots", s->slots,
	                        "micro_batch_fwd_s", s->mb_fwd_s, "micro_batch_bwd_s", s->mb_bwd_s,
	                        "gemm_s", s->gemm_s, "attention_s", s->attn_s, "memory_bound_s",
	                        s->elem_s, "optimizer_s", s->optimizer_s);
	json_t *mods = json_array();
	unsigned rm = lf_training_recomputed(t);
	for (size_t i = 0; mods && i < lfi_rc_module_names.n; i++)
		if (rm & (1u << i))
			json_array_append_new(mods, json_string(lfi_rc_module_names.v[i]));
	if (cmp) {
		json_object_set_new(cmp, "recompute_modules", mods);
		json_object_set_new(cmp, "offload_layers", json_integer((json_int_t)t->offload_layers));
		json_object_set_new(cmp, "recompute_layers",
		                    json_integer((json_int_t)t->recompute_layers));
		json_object_set_new(cmp, "offload_s", json_real(s->offload_s));
		json_object_set_new(cmp, "attention", json_string(lfi_attention_name(t)));
		json_object_set_new(cmp, "loss", json_string(lfi_loss_name(t->loss_impl)));
	} else {
		json_decref(mods);
	}
	json_t *o = json_pack("{s:o, s:o, s:o, s:o, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, "
	                      "s:f, s:s}",
	                      "model", model, "parallel", par, "compute", cmp, "comm", comm,
	                      "step_s", s->step_s, "compute_s", s->compute_s, "bubble_s",
	                      s->bubble_s, "pipeline_compute_s", s->pipeline_compute_s,
	                      "comm_exposed_s", s->comm_exposed_s, "dp_s", s->dp_s, "dp_hidden_s",
	                      s->dp_hidden_s, "tokens_per_s", s->tokens_per_s, "mfu", s->mfu,
	                      "hfu", s->hfu, "zero", lfi_zero_name(t->zero));
	const lf_step_memory *mm = &s->mem;
	json_t *mem = json_pack("{s:I, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f, s:f}", "stage",
	                        (json_int_t)mm->stage, "weights_bytes", mm->weights_b,
	                        "gradients_bytes", mm->grads_b, "optimizer_bytes", mm->optimizer_b,
	                        "activations_bytes", mm->activations_b, "in_flight", mm->inflight,
	                        "logits_bytes", mm->logits_b, "offloaded_bytes", mm->offloaded_b,
	                        "total_bytes", mm->total_b, "capacity_bytes", mm->capacity_b);
	if (mem && mm->capacity_b > 0)
		json_object_set_new(mem, "fits", json_boolean(mm->total_b <= mm->capacity_b));
	if (o) {
		json_object_set_new(o, "memory", mem);
		json_object_set_new(o, "top_links", links_json(r, r->top, r->n_top, r->top_during));
	} else {
		json_decref(mem);
	}
	return o;
}

static json_t *traffic_json(const lf_sim_report *r)
{
	const lf_traffic_result *t = &r->traffic;
	json_t *o = json_pack("{s:s, s:s?, s:I, s:f, s:f, s:f, s:{s:f, s:f, s:f, s:f}, "
	                      "s:{s:f, s:f, s:f}}",
	                      "pattern", traffic_pattern(t), "source", t->source, "flows",
	                      (json_int_t)t->flows, "bytes", t->bytes, "last_us", t->last_s * 1e6,
	                      "ideal_last_us", t->ideal_last_s * 1e6, "fct_us", "p50",
	                      t->fct_p50_s * 1e6, "p99", t->fct_p99_s * 1e6, "max",
	                      t->fct_max_s * 1e6, "mean", t->fct_mean_s * 1e6, "slowdown", "p50",
	                      t->slowdown_p50, "p99", t->slowdown_p99, "max", t->slowdown_max);
	if (o)
		json_object_set_new(o, "top_links", links_json(r, t->top, t->n_top, NULL));
	return o;
}

static lf_status render_json(const lf_sim_report *r, const lf_training *t, char **out,
                             lf_error *err)
{
	const lf_sim_config *c = &r->cfg;
	json_t *colls = json_array();
	for (size_t i = 0; colls && i < r->n_rows; i++) {
		const lf_sim_row *w = &r->rows[i];
		int tb = w->dtype_bytes > 0 ? w->dtype_bytes : 4;
		json_t *o = json_pack("{s:s, s:s, s:s, s:f, s:I, s:s, s:s, s:I, s:I, s:s, s:f, s:f, "
		                      "s:f, s:f, s:f, s:I, s:I}",
		                      "type", lf_coll_name(w->r.coll), "algorithm",
		                      lf_algo_name(w->r.algo), "protocol",
		                      w->r.proto ? lf_nccl_proto_name(w->r.proto) : "ideal",
		                      "latency_us", w->r.latency_us, "channels",
		                      (json_int_t)w->r.channels, "note", w->r.note,
		                      "communicator", lfi_comm_name(w->comm),
		                      "groups", (json_int_t)w->groups, "ranks", (json_int_t)w->r.ranks,
		                      "dtype", w->dtype ? w->dtype : "float", "size_bytes", w->r.bytes,
		                      "count", floor(w->r.bytes / tb), "time_us", w->r.time_us,
		                      "algbw_gbs", w->r.algbw_gbs, "busbw_gbs", w->r.busbw_gbs,
		                      "flows", (json_int_t)w->r.flows, "events",
		                      (json_int_t)w->r.events);
		if (o)
			json_object_set_new(o, "top_links", links_json(r, w->r.top, w->r.n_top, NULL));
		json_array_append_new(colls, o);
	}
	json_t *root = json_pack(
		"{s:s, s:s, s:{s:I, s:I, s:i, s:s}, s:{s:s, s:I, s:f, s:f, s:f, s:i, s:I}, s:o, "
		"s:o, s:I, s:I, s:f, s:s}",
		"name", r->name ? r->name : "", "workload", r->workload ? r->workload : "", "job",
		"gpus", (json_int_t)r->job_gpus, "servers", (json_int_t)r->job_servers, "sus",
		r->job_sus, "placement", lfi_placement_name(r->placement), "sim", "routing",
		lf_route_name(c->route), "seed", (json_int_t)c->seed, "efficiency",
		c->efficiency > 0 ? c->efficiency : 1.0, "latency_us", c->latency_us, "chunk_bytes",
		c->chunk_bytes, "failed_random", c->failed_count, "failed_listed",
		(json_int_t)c->n_failed, "collectives", colls, "training",
		r->has_step && t ? step_json(r, t) : json_null(), "events", (json_int_t)r->events,
		"flows", (json_int_t)r->flows, "wall_s", r->wall_s, "notes", r->notes);
	if (root) {
		json_t *sim = json_object_get(root, "sim");
		json_object_set_new(sim, "hop_latency_us", json_real(c->hop_latency_us));
		json_object_set_new(sim, "max_flow_rate_gbps", json_real(c->max_flow_rate * 8 / 1e9));
		json_object_set_new(sim, "spray_efficiency",
		                    json_real(c->spray_efficiency > 0 ? c->spray_efficiency : 1.0));
		json_object_set_new(sim, "fluid_ideal", json_boolean(fluid_ideal(c)));
		if (r->per_domain > 0)
			json_object_set_new(json_object_get(root, "job"), "per_domain",
			                    json_integer((json_int_t)r->per_domain));
		json_object_set_new(root, "traffic", r->has_traffic ? traffic_json(r) : json_null());
	}
	return lfi_emit_json_dump(root, JSON_PRESERVE_ORDER, out, err);
}

/* --------------------------------------------------------------------- CSV */

static lf_status render_csv(const lf_sim_report *r, char **out, lf_error *err)
{
	lfi_buf b;
	lfi_buf_init(&b);
	if (r->has_traffic) {
		const lf_traffic_result *t = &r->traffic;
		lfi_buf_puts(&b, "pattern,flows,bytes,last_us,ideal_last_us,fct_p50_us,fct_p99_us,"
		                "fct_max_us,fct_mean_us,slowdown_p50,slowdown_p99,slowdown_max\n");
		lfi_buf_printf(&b, "%s,%llu,%.0f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f,%.4f\n",
		               traffic_pattern(t), (unsigned long long)t->flows, t->bytes,
		               t->last_s * 1e6, t->ideal_last_s * 1e6, t->fct_p50_s * 1e6,
		               t->fct_p99_s * 1e6, t->fct_max_s * 1e6, t->fct_mean_s * 1e6,
		               t->slowdown_p50, t->slowdown_p99, t->slowdown_max);
		return lfi_buf_finish(&b, out, err);
	}
	if (!r->has_step) {
		lfi_buf_puts(&b, "type,algorithm,protocol,communicator,groups,ranks,dtype,size_bytes,"
		                "count,time_us,algbw_gbs,busbw_gbs,flows,events\n");
		for (size_t i = 0; i < r->n_rows; i++) {
			const lf_sim_row *w = &r->rows[i];
			int tb = w->dtype_bytes > 0 ? w->dtype_bytes : 4;
			lfi_buf_printf(&b, "%s,%s,%s,%s,%zu,%zu,%s,%.0f,%.0f,%.3f,%.4f,%.4f,%llu,%llu\n",
			               lf_coll_name(w->r.coll), lf_algo_name(w->r.algo),
			               w->r.proto ? lf_nccl_proto_name(w->r.proto) : "ideal",
			               lfi_comm_name(w->comm), w->groups, w->r.ranks,
			               w->dtype ? w->dtype : "float", w->r.bytes, floor(w->r.bytes / tb),
			               w->r.time_us, w->r.algbw_gbs, w->r.busbw_gbs,
			               (unsigned long long)w->r.flows, (unsigned long long)w->r.events);
		}
		return lfi_buf_finish(&b, out, err);
	}
	const lf_step *s = &r->step;
	lfi_buf_puts(&b, "item,bytes,count,groups,time_s,exposed_s\n");
	lfi_comm_row rows[5];
	size_t n = lfi_step_comm_rows(r, rows);
	for (size_t i = 0; i < n; i++)
		lfi_buf_printf(&b, "%s,%.0f,%lld,%lld,%.9g,%.9g\n", rows[i].key, rows[i].bytes,
		               (long long)rows[i].count, (long long)rows[i].groups, rows[i].one_s,
		               rows[i].exposed_s);
	lfi_buf_printf(&b, "compute,,,,%.9g,\n", s->compute_s);
	lfi_buf_printf(&b, "bubble,,,,%.9g,\n", s->bubble_s);
	lfi_buf_printf(&b, "step,,,,%.9g,%.9g\n", s->step_s, s->comm_exposed_s);
	return lfi_buf_finish(&b, out, err);
}

lf_status lf_sim_report_fct_csv(const lf_sim_report *r, char **out, lf_error *err)
{
	*out = NULL;
	if (!r->has_traffic)
		return lfi_fail(err, LF_EINPUT, r->workload, 0, 0, "per-flow completion times need a "
		                "workload with traffic: (flows, a CSV file or a generator); this one "
		                "has %s", r->has_step ? "a training step" : "collectives");
	lfi_buf b;
	lfi_buf_init(&b);
	lfi_buf_puts(&b, "src,dst,bytes,start_us,finish_us,fct_us,ideal_us,slowdown,path\n");
	for (size_t i = 0; i < r->n_flow_records; i++) {
		const lf_flow_record *f = &r->flow_records[i];
		double fct = f->finish_s - f->start_s;
		lfi_buf_printf(&b, "%lld,%lld,%.0f,%.4f,%.4f,%.4f,%.4f,%.4f,", (long long)f->src,
		               (long long)f->dst, f->bytes, f->start_s * 1e6, f->finish_s * 1e6,
		               fct * 1e6, f->ideal_s * 1e6, f->ideal_s > 0 ? fct / f->ideal_s : 1);
		if (r->paths && f->path_len) {
			char *p = strndup(r->paths + f->path_off, f->path_len);
			if (!p) {
				lfi_buf_release(&b);
				return lfi_oom(err);
			}
			lfi_emit_csv_field(&b, p);
			free(p);
		}
		lfi_buf_puts(&b, "\n");
	}
	return lfi_buf_finish(&b, out, err);
}

lf_status lf_sim_report_render(const lf_sim_report *r, lf_format fmt, char **out,
                               lf_error *err)
{
	*out = NULL;
	switch (fmt) {
	case LF_FMT_TABLE: return render_table(r, out, err);
	case LF_FMT_JSON: return render_json(r, r->training, out, err);
	case LF_FMT_CSV: return render_csv(r, out, err);
	default:
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
		                "sim results render as a table, JSON or CSV");
	}
}
