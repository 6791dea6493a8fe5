/*
 * training.c — one training step of a transformer on the planned fabric:
 * the step's computation from the model, its communication simulated with
 * the flow-level engine, and the step time they add up to.
 *
 * Ranks and groups (Megatron-LM order, TP innermost): rank
 *     r = t + TP·(p + PP·d),   t < TP, p < PP, d < DP,
 * so a TP group is TP consecutive ranks (inside one server when TP divides
 * the GPUs per server: NVLink), the stages of a pipeline sit on consecutive
 * servers, and a DP group holds the ranks with the same (t, p): the same
 * local GPU index on every server, i.e. one rail.  An EP group is EP
 * consecutive DP ranks of the same (t, p) (EP divides DP).
 *
 * Computation.  Model FLOPs per token, forward + backward (PaLM, Chowdhery
 * et al. 2022, App. B; the 6·N term is Kaplan et al. 2020's C ≈ 6N per
 * token, also used by Narayanan et al. 2021, "Efficient Large-Scale
 * Language Model Training on GPU Clusters Using Megatron-LM", SC'21):
 *     F = 6·N + 12·L·h·s       (N active parameters, L layers, h hidden, s sequence)
 * Full activation recomputation adds one forward: F = 8·N + 16·L·h·s.
 * A step processes T = global_batch · s tokens; per GPU F·T / (TP·PP·DP).
 * Compute time = that / (peak · efficiency), or the measured step_compute.
 * Pipeline (1F1B, Narayanan et al. 2021 sec. 2.2): m = global_batch /
 * (micro_batch · DP) micro-batches; the critical path crosses m + PP − 1
 * micro-batch slots, so compute with the bubble = compute · (m + PP − 1)/m
 * (a measured step_compute is taken to include the bubble).
 *
 * Communication per micro-batch slot (on the critical path, not overlapped):
 *   TP  Megatron tensor parallelism: 2 all-reduces in the forward pass of
 *       each layer (after attention and after the MLP) and 2 in the
 *       backward (Shoeybi et al. 2019, sec. 3), +2 with recomputation; each
 *       of b·s·h activations (b micro-batch) over the TP group.  L/PP
 *       layers per stage.  (Sequence parallelism replaces each by a
 *       reduce-scatter + all-gather moving the same bytes.)
 *   PP  one activation forward and one gradient backward between adjacent
 *       stages, b·s·h/TP elements per TP rank (scatter/gather across the TP
 *       ranks, Narayanan et al. 2021 sec. 4.1).
 *   EP  per MoE layer (every layer when EP > 1): dispatch + combine
 *       all-to-all forward and again backward, b·s·h·top_k/TP elements
 *       per rank.
 * Per step:
 *   DP  one gradient all-reduce of N/(TP·PP) elements at the gradient
 *       precision over each DP group (or a reduce-scatter then an
 *       all-gather of the same array: the distributed optimizer).  A share
 *       `overlap` of it hides behind backward compute, at most the
 *       backward's 2/3 of the step's compute.
 *
 * Simulation.  Each kind (TP, PP, EP, DP) is simulated once with every
 * group of that kind communicating at the same time on the fabric (every
 * TP group's all-reduce, every pipeline boundary's transfer, every DP
 * group's reduction), so contention between groups of one kind, ECMP
 * collisions and failed links are in the figures; kinds are timed apart
 * (contention between kinds is left out: an optimistic assumption).
 *     slot = compute/m + (L/PP)·(n_tp·T_tp + n_ep·T_ep) + 2·T_pp
 *     step = (m + PP − 1)·slot + T_dp − hidden
 *     exposed communication = step − compute with the bubble
 *     tokens/s = T / step;  MFU = F·T/(TP·PP·DP) / (step · peak)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* ------------------------------------------------------------------ parsing */

static const struct prec { const char *name; int bytes; } precs[] = {
	{ "bf16", 2 }, { "fp16", 2 }, { "fp8", 1 }, { "fp32", 4 },
};

static lf_status y_prec(lf_ydoc *d, yaml_node_t *n, const char *what, const char **name,
                        int *bytes, lf_error *err)
{
	const char *names[LF_ARRAY_LEN(precs)];
	for (size_t k = 0; k < LF_ARRAY_LEN(precs); k++)
		names[k] = precs[k].name;
	int i;
	LF_TRY(lf_yenum(d, n, what, names, LF_ARRAY_LEN(names), &i, err));
	*name = precs[i].name;
	*bytes = precs[i].bytes;
	return LF_OK;
}

/* "70B", "405e9", "1.8T", "70_000_000_000": a parameter count. */
static lf_status y_params(lf_ydoc *d, yaml_node_t *n, const char *what, double *out,
                          lf_error *err)
{
	const char *s;
	LF_TRY(lf_ystr(d, n, what, &s, err));
	char buf[64];
	size_t k = 0;
	for (const char *p = s; *p && k + 1 < sizeof buf; p++)
		if (*p != '_' && *p != ',')
			buf[k++] = *p;
	buf[k] = 0;
	double mult = 1;
	if (k && strchr("KMBT", buf[k - 1])) {
		mult = buf[k - 1] == 'K' ? 1e3 : buf[k - 1] == 'M' ? 1e6 : buf[k - 1] == 'B' ? 1e9 : 1e12;
		buf[--k] = 0;
	}
	double v;
	if (strlen(s) >= sizeof buf || !lf_parse_double(buf, &v))
		return lf_yfail(err, d, n, "%s must be a parameter count such as 70B, 405e9 or 1.8T "
		                "(K, M, B = billion, T), got \"%.60s\"", what, s);
	v *= mult;
	if (!(v >= 1e3 && v <= 1e15))
		return lf_yfail(err, d, n, "%s must be between 1K and 1000T, got \"%.60s\"", what, s);
	*out = v;
	return LF_OK;
}

static lf_status y_pos_int(lf_ydoc *d, yaml_node_t *m, const char *key, const char *what,
                           bool required, int64_t hi, int64_t *out, lf_error *err)
{
	yaml_node_t *n = lf_yget(d, m, key);
	if (!n) {
		if (required)
			return lf_yfail(err, d, m, "%s needs \"%s\"", what, key);
		return LF_OK;
	}
	char w[96];
	snprintf(w, sizeof w, "%s %s", what, key);
	return lf_yint(d, n, w, 1, hi, out, err);
}

static lf_status parse_model(lf_training *t, lf_ydoc *d, yaml_node_t *m, lf_error *err)
{
	static const char *const keys[] = { "parameters", "active_parameters", "layers", "hidden",
	                                    "seq_len", "micro_batch", "global_batch", "precision",
	                                    "grad_precision", "top_k" };
	LF_TRY(lf_ycheck_keys(d, m, "model", keys, LF_ARRAY_LEN(keys), err));
	yaml_node_t *n;
	LF_TRY(lf_yrequire(d, m, "parameters", "model", &n, err));
	LF_TRY(y_params(d, n, "model parameters", &t->parameters, err));
	t->active_parameters = t->parameters;
	if ((n = lf_yget(d, m, "active_parameters"))) {
		LF_TRY(y_params(d, n, "model active_parameters", &t->active_parameters, err));
		if (t->active_parameters > t->parameters)
			return lf_yfail(err, d, n, "model active_parameters must be at most parameters");
	}
	LF_TRY(y_pos_int(d, m, "layers", "model", true, 100000, &t->layers, err));
	LF_TRY(y_pos_int(d, m, "hidden", "model", true, 1 << 24, &t->hidden, err));
	LF_TRY(y_pos_int(d, m, "seq_len", "model", true, 1 << 26, &t->seq_len, err));
	LF_TRY(y_pos_int(d, m, "micro_batch", "model", false, 1 << 20, &t->micro_batch, err));
	LF_TRY(y_pos_int(d, m, "global_batch", "model", true, 1 << 30, &t->global_batch, err));
	t->pos_global_batch = lf_ypos(d, lf_yget(d, m, "global_batch"));
	if ((n = lf_yget(d, m, "precision")))
		LF_TRY(y_prec(d, n, "model precision", &t->precision, &t->act_bytes, err));
	const char *gp;
	t->grad_bytes = t->act_bytes;
	if ((n = lf_yget(d, m, "grad_precision")))
		LF_TRY(y_prec(d, n, "model grad_precision", &gp, &t->grad_bytes, err));
	int64_t k;
	if ((n = lf_yget(d, m, "top_k"))) {
		LF_TRY(lf_yint(d, n, "model top_k", 1, 64, &k, err));
		t->top_k = (int)k;
	}
	return LF_OK;
}

static lf_status parse_parallel(lf_training *t, lf_ydoc *d, yaml_node_t *m, lf_error *err)
{
	static const char *const keys[] = { "tp", "pp", "dp", "ep" };
	LF_TRY(lf_ycheck_keys(d, m, "parallel", keys, LF_ARRAY_LEN(keys), err));
	t->pos_parallel = lf_ypos(d, m);
	const int64_t hi = INT64_C(1) << 30;
	LF_TRY(y_pos_int(d, m, "tp", "parallel", false, 4096, &t->tp, err));
	LF_TRY(y_pos_int(d, m, "pp", "parallel", false, 4096, &t->pp, err));
	LF_TRY(y_pos_int(d, m, "dp", "parallel", false, hi, &t->dp, err));
	LF_TRY(y_pos_int(d, m, "ep", "parallel", false, 4096, &t->ep, err));
	return LF_OK;
}

static lf_status parse_compute(lf_training *t, lf_ydoc *d, yaml_node_t *m, lf_error *err)
{
	static const char *const keys[] = { "gpu_tflops", "efficiency", "step_compute",
	                                    "recompute" };
	LF_TRY(lf_ycheck_keys(d, m, "compute", keys, LF_ARRAY_LEN(keys), err));
	yaml_node_t *n, *e = lf_yget(d, m, "efficiency"), *sc = lf_yget(d, m, "step_compute");
	if (e && sc)
		return lf_yfail(err, d, sc, "compute: give either efficiency (with gpu_tflops) or a "
		                "measured step_compute, not both");
	if ((n = lf_yget(d, m, "gpu_tflops"))) {
		t->pos_tflops = lf_ypos(d, n);
		LF_TRY(lf_ydouble(d, n, "compute gpu_tflops", 0.001, 1e6, &t->gpu_tflops, err));
	}
	if (e)
		LF_TRY(lf_ydouble(d, e, "compute efficiency", 0.001, 1, &t->efficiency, err));
	if (sc)
		LF_TRY(lf_yseconds(d, sc, "compute step_compute", 1e-6, 1e6, &t->step_compute_s, err));
	if ((n = lf_yget(d, m, "recompute"))) {
		bool b;
		LF_TRY(lf_ybool(d, n, "compute recompute", &b, err));
		t->recompute = b;
	}
	return LF_OK;
}

lf_status lf_training_parse(lf_training *t, lf_ydoc *d, yaml_node_t *m, lf_arena *arena,
                            lf_error *err)
{
	(void)arena;
	static const char *const keys[] = { "model", "parallel", "compute", "overlap",
	                                    "dp_collective" };
	LF_TRY(lf_ycheck_keys(d, m, "training", keys, LF_ARRAY_LEN(keys), err));
	memset(t, 0, sizeof *t);
	t->pos = lf_ypos(d, m);
	t->pos_parallel = t->pos_tflops = t->pos;
	/* defaults: each stated in docs/sim.md */
	t->micro_batch = 1;
	t->precision = "bf16";
	t->act_bytes = t->grad_bytes = 2;
	t->tp = t->pp = t->ep = 1;
	t->top_k = 2;
	t->efficiency = 0.4;     /* assumption: Llama 3 405B reached 38-43% BF16 MFU (Meta 2024) */
	t->overlap = 0;
	t->dp_mode = LF_DP_ALLREDUCE;
	yaml_node_t *n;
	LF_TRY(lf_yrequire(d, m, "model", "training", &n, err));
	LF_TRY(parse_model(t, d, n, err));
	if ((n = lf_yget(d, m, "parallel")))
		LF_TRY(parse_parallel(t, d, n, err));
	if ((n = lf_yget(d, m, "compute")))
		LF_TRY(parse_compute(t, d, n, err));
	if ((n = lf_yget(d, m, "overlap")))
		LF_TRY(lf_ydouble(d, n, "training overlap", 0, 1, &t->overlap, err));
	if ((n = lf_yget(d, m, "dp_collective"))) {
		static const char *const modes[] = { "all-reduce", "reduce-scatter+all-gather" };
		int i;
		LF_TRY(lf_yenum(d, n, "training dp_collective", modes, LF_ARRAY_LEN(modes), &i, err));
		t->dp_mode = (lf_dp_mode)i;
	}
	return LF_OK;
}

/* --------------------------------------------------------------- derivation */

static lf_status tfail(lf_error *err, const char *file, lf_pos p, const char *fmt, ...)
	LF_PRINTF(4, 5);
static lf_status tfail(lf_error *err, const char *file, lf_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lf_failv(err, LF_EINPUT, p.file ? p.file : file, p.line, p.col, fmt, ap);
	va_end(ap);
	return LF_EINPUT;
}

lf_status lf_training_derive(const lf_training *t, const char *file, int64_t gpus,
                             double catalog_tflops, lf_step *s, lf_error *err)
{
	memset(s, 0, sizeof *s);
	int64_t tp = t->tp > 0 ? t->tp : 1, pp = t->pp > 0 ? t->pp : 1, ep = t->ep > 0 ? t->ep : 1;
	if (gpus % (tp * pp) != 0)
		return tfail(err, file, t->pos_parallel, "tp x pp = %lld must divide the job's %lld "
		             "GPUs", (long long)(tp * pp), (long long)gpus);
	int64_t dp = t->dp > 0 ? t->dp : gpus / (tp * pp);
	if (tp * pp * dp != gpus)
		return tfail(err, file, t->pos_parallel, "tp x pp x dp = %lld x %lld x %lld = %lld "
		             "must equal the job's %lld GPUs (set job gpus, or leave dp out)",
		             (long long)tp, (long long)pp, (long long)dp, (long long)(tp * pp * dp),
		             (long long)gpus);
	if (t->layers % pp != 0)
		return tfail(err, file, t->pos_parallel, "pp = %lld must divide the model's %lld "
		             "layers", (long long)pp, (long long)t->layers);
	if (dp % ep != 0)
		return tfail(err, file, t->pos_parallel, "ep = %lld must divide dp = %lld",
		             (long long)ep, (long long)dp);
	int64_t mb = t->micro_batch > 0 ? t->micro_batch : 1;
	if (t->global_batch % (mb * dp) != 0)
		return tfail(err, file, t->pos_global_batch, "global_batch = %lld must be a multiple "
		             "of micro_batch x dp = %lld x %lld = %lld", (long long)t->global_batch,
		             (long long)mb, (long long)dp, (long long)(mb * dp));
	double peak = t->gpu_tflops > 0 ? t->gpu_tflops : catalog_tflops;
	if (peak <= 0 && t->step_compute_s <= 0)
		return tfail(err, file, t->pos_tflops, "compute needs gpu_tflops (the catalog "
		             "server has no gpu_tflops) or a measured step_compute");
	s->gpus = gpus;
	s->tp = tp;
	s->pp = pp;
	s->dp = dp;
	s->ep = ep;
	s->micro_batches = t->global_batch / (mb * dp);
	double m = (double)s->micro_batches;
	double L = (double)t->layers, h = (double)t->hidden, sl = (double)t->seq_len;
	s->tokens = (double)t->global_batch * sl;
	/* PaLM App. B: 6N + 12·L·h·s per token; recomputation adds a forward (1/3) */
	double f = 6 * t->active_parameters + 12 * L * h * sl;
	s->flops_per_token = t->recompute ? f * 8 / 6 : f;
	s->flops_per_gpu = s->flops_per_token * s->tokens / (double)(tp * pp * dp);
	s->gpu_tflops = peak;
	s->slots = m + (double)pp - 1;
	if (t->step_compute_s > 0) {
		s->pipeline_compute_s = t->step_compute_s;
		s->compute_s = t->step_compute_s * m / s->slots;
	} else {
		s->compute_s = s->flops_per_gpu / (peak * 1e12 * t->efficiency);
		s->pipeline_compute_s = s->compute_s * s->slots / m;
	}
	double act = (double)mb * sl * h * t->act_bytes;
	double lps = L / (double)pp;
	if (tp > 1) {
		s->tp_bytes = act;
		s->tp_count = (int64_t)lps * (t->recompute ? 6 : 4);
		s->tp_groups = pp * dp;
	}
	if (pp > 1) {
		s->pp_bytes = act / (double)tp;
		s->pp_count = 2;
		s->pp_pairs = (pp - 1) * tp * dp;
	}
	if (ep > 1) {
		s->ep_bytes = act * t->top_k / (double)tp;
		s->ep_count = (int64_t)lps * (t->recompute ? 6 : 4);
		s->ep_groups = tp * pp * (dp / ep);
	}
	if (dp > 1) {
		s->dp_bytes = t->parameters / (double)(tp * pp) * t->grad_bytes;
		s->dp_groups = tp * pp;
	}
	return LF_OK;
}

void lf_step_finish(const lf_training *t, lf_step *s)
{
	double lps = (double)t->layers / (double)s->pp;
	(void)lps;
	s->tp_exposed_s = s->slots * (double)s->tp_count * s->tp_s;
	s->pp_exposed_s = s->slots * (double)s->pp_count * s->pp_s;
	s->ep_exposed_s = s->slots * (double)s->ep_count * s->ep_s;
	/* the hidden share of DP: at most the backward's 2/3 of the compute */
	double hide = t->overlap * s->dp_s, window = s->pipeline_compute_s * 2 / 3;
	s->dp_hidden_s = hide < window ? hide : window;
	s->dp_exposed_s = s->dp_s - s->dp_hidden_s;
	s->comm_exposed_s = s->tp_exposed_s + s->pp_exposed_s + s->ep_exposed_s + s->dp_exposed_s;
	s->step_s = s->pipeline_compute_s + s->comm_exposed_s;
	s->tokens_per_s = s->step_s > 0 ? s->tokens / s->step_s : 0;
	s->mfu = s->step_s > 0 && s->gpu_tflops > 0
	                 ? s->flops_per_gpu / (s->step_s * s->gpu_tflops * 1e12) : 0;
}

/* --------------------------------------------------------------- simulation */

#define TOP_PER_RUN 256

typedef struct kind_run {
	double time_s;
	size_t n_top;
	lf_link_use *top;         /* up to TOP_PER_RUN busiest links of the run */
} kind_run;

static int64_t rank_of(const lf_step *s, int64_t t, int64_t p, int64_t d)
{
	return t + s->tp * (p + s->pp * d);
}

/* Simulate every group of one kind at once; *time_s when the last finished. */
static lf_status run_kind(const lf_plan *pl, const lf_sim_config *cfg, const lf_training *tr,
                          const lf_step *s, const int64_t *g, int kind, kind_run *out,
                          lf_sim_report *r, lf_error *err)
{
	lf_sim *sim = NULL;
	LF_TRY(lf_sim_new(pl, cfg, &sim, err));
	int64_t *grp = malloc((size_t)(s->gpus + 1) * sizeof *grp);
	lf_status st = grp ? LF_OK : lf_oom(err);
	uint32_t ph;
	switch (kind) {
	case 0:   /* TP: one all-reduce per (p, d) */
		for (int64_t d = 0; st == LF_OK && d < s->dp; d++)
			for (int64_t p = 0; st == LF_OK && p < s->pp; p++) {
				for (int64_t t = 0; t < s->tp; t++)
					grp[t] = g[rank_of(s, t, p, d)];
				st = lf_sim_add_collective(sim, LF_COLL_ALLREDUCE, LF_ALGO_AUTO, grp,
				                           (size_t)s->tp, s->tp_bytes, NULL, 0, &ph, err);
			}
		break;
	case 1:   /* PP: stage p -> p+1 for every (t, d) */
		for (int64_t d = 0; st == LF_OK && d < s->dp; d++)
			for (int64_t p = 0; st == LF_OK && p + 1 < s->pp; p++)
				for (int64_t t = 0; st == LF_OK && t < s->tp; t++)
					st = lf_sim_add_transfer(sim, g[rank_of(s, t, p, d)],
					                         g[rank_of(s, t, p + 1, d)], s->pp_bytes, NULL, 0,
					                         &ph, err);
		break;
	case 2:   /* EP: all-to-all over ep consecutive DP ranks of each (t, p) */
		for (int64_t d0 = 0; st == LF_OK && d0 < s->dp; d0 += s->ep)
			for (int64_t p = 0; st == LF_OK && p < s->pp; p++)
				for (int64_t t = 0; st == LF_OK && t < s->tp; t++) {
					for (int64_t k = 0; k < s->ep; k++)
						grp[k] = g[rank_of(s, t, p, d0 + k)];
					st = lf_sim_add_collective(sim, LF_COLL_ALLTOALL, LF_ALGO_AUTO, grp,
					                           (size_t)s->ep, s->ep_bytes, NULL, 0, &ph, err);
				}
		break;
	default:  /* DP: the gradient reduction of each (t, p) over all d */
		for (int64_t p = 0; st == LF_OK && p < s->pp; p++)
			for (int64_t t = 0; st == LF_OK && t < s->tp; t++) {
				for (int64_t d = 0; d < s->dp; d++)
					grp[d] = g[rank_of(s, t, p, d)];
				if (tr->dp_mode == LF_DP_ALLREDUCE) {
					st = lf_sim_add_collective(sim, LF_COLL_ALLREDUCE, LF_ALGO_AUTO, grp,
					                           (size_t)s->dp, s->dp_bytes, NULL, 0, &ph, err);
				} else {
					uint32_t rs;
					st = lf_sim_add_collective(sim, LF_COLL_REDUCESCATTER, LF_ALGO_AUTO, grp,
					                           (size_t)s->dp, s->dp_bytes, NULL, 0, &rs, err);
					if (st == LF_OK)
						st = lf_sim_add_collective(sim, LF_COLL_ALLGATHER, LF_ALGO_AUTO, grp,
						                           (size_t)s->dp, s->dp_bytes, &rs, 1, &ph,
						                           err);
				}
			}
		break;
	}
	free(grp);
	double t = 0;
	if (st == LF_OK)
		st = lf_sim_run(sim, &t, err);
	if (st == LF_OK) {
		out->time_s = t;
		out->top = malloc(TOP_PER_RUN * sizeof *out->top);
		if (!out->top)
			st = lf_oom(err);
		else
			out->n_top = lf_sim_top_links(sim, out->top, TOP_PER_RUN);
		r->events += lf_sim_events(sim);
		r->flows += lf_sim_flows(sim);
	}
	lf_sim_free(sim);
	return st;
}

/* The busiest links over the whole step.  A link busy for u·T of a run
 * (utilization u over the run's T) that happens `mult` times a step is busy
 * u·T·mult of the step; summed over the kinds and divided by the step time.
 * Links outside a run's TOP_PER_RUN busiest are left out of that run's sum. */
typedef struct step_link { uint32_t link; int up; double busy_s, bytes, best; int kind; } step_link;

static lf_status step_links(const lf_step *s, const kind_run *runs, const char *const *names,
                            lf_sim_report *r, lf_error *err)
{
	double mult[4] = { s->slots * (double)s->tp_count, s->slots * (double)s->pp_count,
	                   s->slots * (double)s->ep_count, 1 };
	lf_vec v;
	lf_vec_init(&v, sizeof(step_link));
	for (int k = 0; k < 4; k++)
		for (size_t i = 0; i < runs[k].n_top; i++) {
			const lf_link_use *u = &runs[k].top[i];
			double busy = u->utilization * runs[k].time_s * mult[k];
			step_link *e = NULL;
			for (size_t j = 0; j < v.len && !e; j++) {
				step_link *c = LF_VEC_AT(&v, step_link, j);
				if (c->link == u->link && c->up == u->up)
					e = c;
			}
			if (!e) {
				if (!(e = lf_vec_push(&v))) {
					lf_vec_release(&v);
					return lf_oom(err);
				}
				e->link = u->link;
				e->up = u->up;
				e->kind = k;
			}
			e->busy_s += busy;
			e->bytes += u->bytes * mult[k];
			if (busy > e->best) {
				e->best = busy;
				e->kind = k;
			}
		}
	r->n_top = 0;
	for (size_t j = 0; j < v.len; j++) {
		const step_link *c = LF_VEC_AT(&v, step_link, j);
		lf_link_use u = { c->link, c->up, c->bytes, s->step_s > 0 ? c->busy_s / s->step_s : 0 };
		size_t pos = r->n_top < 8 ? r->n_top : 8;
		while (pos > 0 && r->top[pos - 1].utilization < u.utilization)
			pos--;
		if (pos >= 8)
			continue;
		size_t last = r->n_top < 8 ? r->n_top : 7;
		memmove(&r->top[pos + 1], &r->top[pos], (last - pos) * sizeof r->top[0]);
		memmove(&r->top_during[pos + 1], &r->top_during[pos],
		        (last - pos) * sizeof r->top_during[0]);
		r->top[pos] = u;
		r->top_during[pos] = names[c->kind];
		if (r->n_top < 8)
			r->n_top++;
	}
	lf_vec_release(&v);
	return LF_OK;
}

lf_status lf_training_run(const lf_plan *pl, const lf_workload *wl, const lf_sim_config *cfg0,
                          const int64_t *g, size_t n, lf_sim_progress_fn progress, void *ctx,
                          lf_sim_report *r, lf_error *err)
{
	const lf_training *tr = &wl->training;
	lf_step *s = &r->step;
	LF_TRY(lf_training_derive(tr, wl->file, (int64_t)n, pl->spec->server->gpu_tflops, s, err));
	r->has_step = 1;
	int G = pl->spec->server->gpus;
	if (s->tp > G || G % s->tp != 0) {
		size_t len = strlen(r->notes);
		snprintf(r->notes + len, sizeof r->notes - len,
		         "%stp = %lld does not fit the %d GPUs of a server: tensor-parallel "
		         "all-reduces cross the network", len ? "; " : "", (long long)s->tp, G);
	}
	lf_sim_config cfg = *cfg0;
	_Alignas(max_align_t) unsigned char pc[LF_PROG_CTX_SIZE];
	lf_sim_progress_setup(&cfg, progress, ctx, pc);
	static const char *const names[] = { "tp", "pp", "ep", "dp" };
	static const char *const whats[] = { "training step: tensor-parallel all-reduce",
	                                     "training step: pipeline transfers",
	                                     "training step: expert all-to-all",
	                                     "training step: data-parallel gradients" };
	bool active[4] = { s->tp > 1, s->pp > 1, s->ep > 1, s->dp > 1 };
	size_t n_items = 0, item = 0;
	for (int k = 0; k < 4; k++)
		n_items += active[k];
	kind_run runs[4];
	memset(runs, 0, sizeof runs);
	lf_status st = LF_OK;
	for (int k = 0; k < 4 && st == LF_OK; k++) {
		if (!active[k])
			continue;
		if (progress) {
			lf_sim_progress *p = lf_sim_progress_of(pc);
			p->item = item++;
			p->n_items = n_items;
			p->what = whats[k];
		}
		st = run_kind(pl, &cfg, tr, s, g, k, &runs[k], r, err);
	}
	if (st == LF_OK) {
		s->tp_s = runs[0].time_s;
		s->pp_s = runs[1].time_s;
		s->ep_s = runs[2].time_s;
		s->dp_s = runs[3].time_s;
		lf_step_finish(tr, s);
		st = step_links(s, runs, names, r, err);
	}
	for (int k = 0; k < 4; k++)
		free(runs[k].top);
	return st;
}
