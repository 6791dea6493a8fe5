/*
 * training.c — one training step of a transformer on the planned fabric
 * (over 800 lines: the training: parser, the step's derivation and its
 * simulation share the parallel layout's types; compute.c has the GEMMs):
 * the `training:` section of a workload, the step's work from the model's
 * shapes (compute.c), its traffic simulated in one run of the flow engine,
 * and the step they add up to.
 *
 * Ranks (Megatron-LM's default order "tp-cp-ep-dp-pp",
 * megatron/core/parallel_state.py, TP innermost, PP outermost):
 *     r = t + TP·(c + CP·(d + DP·p)),  t < TP, c < CP, d < DP, p < PP,
 * or, with `order: tp-cp-pp-dp` (Llama 3, sec. 3.3.2), r = t + TP·(c +
 * CP·(p + PP·d)); so a TP group is TP consecutive ranks (one server:
 * NVLink, when TP divides the GPUs per server), a CP ring the ranks with
 * the same (t, p, d), a DP group the ranks with the same (t, c, p), and an
 * EP group EP ranks of one stage in expert order (below).
 *
 * FLOPs.  Model FLOPs per token = 3 × the forward of every layer
 * (2 per weight + 4·s·h for attention scores and values) + 6·V·h for the
 * output layer: 6·N + 12·L·h·s + 6·V·h for a dense GPT, as Narayanan et
 * al. 2021 (eq. 3 without recomputation) and Megatron-LM count.  Executed
 * (HFU) FLOPs add the recomputed forward: every layer's (full) or the
 * attention core's, 4·s·h per layer (selective).
 *
 * Compute.  One micro-batch's forward and backward on the busiest pipeline
 * stage (a middle one, the last with the output layer, or an uneven
 * first/last stage) from compute.c; per step m = global_batch /
 * (micro_batch·DP) of them plus the optimizer.  The 1F1B bubble is
 * (PP − 1)/V micro-batch slots with V virtual stages (Narayanan et al.
 * 2021 §2.2).  `efficiency` or `step_compute` pin the total instead.
 *
 * Communication per micro-batch slot (critical path):
 *   TP  4 ops per layer (2 forward, 2 backward; +2 with full recompute) of
 *       b·s·h/CP activations: all-reduce, or reduce-scatter + all-gather
 *       with sequence parallelism (Korthikanti et al. 2022); with
 *       tp_comm_overlap only what exceeds the slot's GEMM time shows.
 *   PP  2·V transfers of b·s·h/(CP·TP) per TP rank (Narayanan et al. 2021
 *       §4.1 scatter/gather).
 *   CP  ring attention: per layer CP − 1 steps forward, 2(CP − 1) backward,
 *       each one chunk's K and V to the next rank, hidden behind a block of
 *       attention; only the excess shows.  cp_comm: all-gather (Llama 3):
 *       per layer an all-gather of K and V forward, a reduce-scatter of dK
 *       and dV backward, exposed.
 *   EP  4 all-to-alls per MoE layer (dispatch, combine; forward, backward)
 *       of b·s·h·copies·capacity/TP per rank, copies as the dispatcher
 *       sends them (ep_copies: top_k for NCCL's all-to-all, distinct
 *       destinations for DeepEP and HybridEP, at their own rates); an EP
 *       group is EP ranks of a stage in Megatron-LM's expert order (expert
 *       TP innermost); with ep_comm_overlap (combined 1F1B) each MoE layer
 *       pair's all-to-alls run beside four phases of compute
 *       (lf_step_finish).
 * DP, once per step: the stage's gradients in buckets (Megatron-LM's 40M
 * parameters).  Bucket j is ready at (j+1)/n of the last micro-batch's
 * backward on the first stage (which finishes last); buckets queue on the
 * DP group and what runs past that backward is exposed (bucket_exposed).
 * Interleaved (V > 1), the first stage's cool-down runs the last backward
 * of each chunk pp chunk-steps apart, the last layers' chunk first
 * (Megatron-LM's interleaved schedule starts a chunk's reduction when its
 * last backward ends), so the gradients come ready over ((V-1)·pp + 1)/V
 * backwards, not one; the parameter gathers likewise before the first
 * forward of each chunk in the next step's warm-up.
 * ZeRO-0 all-reduces; ZeRO-1/2 reduce-scatter, then all-gather the
 * parameters (at the model's precision: half the bytes of FP32
 * gradients) the same way behind the next forward; ZeRO-3/FSDP gather each
 * layer's parameters before its forward and backward and reduce-scatter its
 * gradients, every micro-batch, prefetched behind the previous layer.
 *
 * Simulation.  One op of every kind — every TP group's collective, every
 * stage boundary's transfer, every CP ring step, every EP all-to-all,
 * every DP group's bucket — starts together in one lf_sim, so the kinds
 * contend where they share links (and with ECMP collisions and failed
 * links); each kind's time is its slowest op (lf_sim_phase_times).
 * Collectives use LF_ALGO_AUTO (NCCL's tuner).
 *
 *     step = compute + bubble + Σ kinds' exposed time
 *     tokens/s = global_batch·s / step; MFU, HFU = FLOPs per GPU / (step · peak)
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "compute.h"
#include "sim.h"
#include "workload.h"

/* ------------------------------------------------------------------ schema */

/* The training section's keys as a tree: the one list the parsers below
 * check and that sweep's workload paths are checked against
 * (src/explore/sweep_path.c). */
#define K(name) { name, NULL, 0 }
static const lfi_schema_key model_keys[] = {
	K("parameters"), K("layers"), K("hidden"), K("heads"), K("kv_heads"), K("head_dim"),
	K("ffn_hidden"), K("mlp"), K("vocab"), K("seq_len"), K("q_lora_rank"),
	K("kv_lora_rank"), K("rope_head_dim"), K("v_head_dim"), K("micro_batch"),
	K("global_batch"), K("precision"), K("grad_precision"), K("attention_window"),
	K("window_share"),
};
static const lfi_schema model_s = { "model", LF_ARRAY_LEN(model_keys), model_keys };
static const lfi_schema_key moe_keys[] = {
	K("experts"), K("top_k"), K("capacity_factor"), K("ffn_hidden"), K("shared_experts"),
	K("dense_layers"), K("node_limit"), K("dispatcher"),
};
static const lfi_schema moe_s = { "moe", LF_ARRAY_LEN(moe_keys), moe_keys };
static const lfi_schema_key parallel_keys[] = {
	K("tp"), K("pp"), K("dp"), K("cp"), K("ep"), K("expert_tp"), K("virtual_stages"),
	K("first_stage_layers"), K("last_stage_layers"), K("sequence_parallel"),
	K("tp_comm_overlap"), K("ep_comm_overlap"), K("pp_comm_overlap"), K("dp_comm_overlap"),
	K("cp_comm"),
	K("order"), K("layout"),
};
static const lfi_schema parallel_s = { "parallel", LF_ARRAY_LEN(parallel_keys), parallel_keys };
static const lfi_schema_key compute_keys[] = {
	K("gpu_tflops"), K("efficiency"), K("step_compute"), K("recompute"),
	{ "recompute_modules", NULL, 1 }, K("recompute_layers"), K("offload_layers"),
	K("attention"), K("loss"),
};
static const lfi_schema compute_s = { "compute", LF_ARRAY_LEN(compute_keys), compute_keys };
static const lfi_schema_key optimizer_keys[] = { K("zero"), K("bucket") };
static const lfi_schema optimizer_s = { "optimizer", LF_ARRAY_LEN(optimizer_keys),
	                                    optimizer_keys };
#undef K
static const lfi_schema_key training_keys[] = {
	{ "model", &model_s, 0 }, { "moe", &moe_s, 0 }, { "parallel", &parallel_s, 0 },
	{ "compute", &compute_s, 0 }, { "optimizer", &optimizer_s, 0 },
};
const lfi_schema lfi_training_schema = { "training", LF_ARRAY_LEN(training_keys),
	                                     training_keys };

/* ------------------------------------------------------------------ parsing */

static const struct prec { const char *name; int bytes; } precs[] = {
	{ "bf16", 2 }, { "fp16", 2 }, { "fp8", 1 }, { "fp32", 4 },
};

static lf_status y_prec(lfi_ydoc *d, yaml_node_t *n, const char *what, const char **name,
                        int *bytes, lf_error *err)
{
	const char *names[LF_ARRAY_LEN(precs)];
	for (size_t k = 0; k < LF_ARRAY_LEN(precs); k++)
		names[k] = precs[k].name;
	int i;
	LF_TRY(lfi_yenum(d, n, what, names, LF_ARRAY_LEN(names), &i, err));
	*name = precs[i].name;
	*bytes = precs[i].bytes;
	return LF_OK;
}

/* "70B", "405e9", "1.8T", "70_000_000_000": a parameter count. */
static lf_status y_params(lfi_ydoc *d, yaml_node_t *n, const char *what, double *out,
                          lf_error *err)
{
	const char *s;
	LF_TRY(lfi_ystr(d, n, what, &s, err));
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
	if (strlen(s) >= sizeof buf || !lfi_parse_double(buf, &v))
		return lfi_yfail(err, d, n, "%s must be a parameter count such as 70B, 405e9 or 1.8T "
		                 "(K, M, B = billion, T), got \"%.60s\"", what, s);
	v *= mult;
	if (!(v >= 1e3 && v <= 1e15))
		return lfi_yfail(err, d, n, "%s must be between 1K and 1000T, got \"%.60s\"", what, s);
	*out = v;
	return LF_OK;
}

static lf_status y_pos_int(lfi_ydoc *d, yaml_node_t *m, const char *key, const char *what,
                           bool required, int64_t hi, int64_t *out, lf_error *err)
{
	yaml_node_t *n = lfi_yget(d, m, key);
	if (!n) {
		if (required)
			return lfi_yfail(err, d, m, "%s needs \"%s\"", what, key);
		return LF_OK;
	}
	char w[96];
	snprintf(w, sizeof w, "%s %s", what, key);
	return lfi_yint(d, n, w, 1, hi, out, err);
}

/* An optional key of map m into *out, left as is when absent: true/false
 * (names NULL), or one of two names (*out = 1 for the second). */
static lf_status y_flag(lfi_ydoc *d, yaml_node_t *m, const char *key, const char *what,
                        const char *const *names, int *out, lf_error *err)
{
	yaml_node_t *n = lfi_yget(d, m, key);
	if (!n)
		return LF_OK;
	char w[96];
	snprintf(w, sizeof w, "%s %s", what, key);
	bool b;
	int i;
	if (names)
		LF_TRY(lfi_yenum(d, n, w, names, 2, &i, err));
	else
		LF_TRY(lfi_ybool(d, n, w, &b, err));
	*out = names ? i == 1 : b;
	return LF_OK;
}

static lf_status y_count(lfi_ydoc *d, yaml_node_t *m, const char *key, const char *what,
                         int64_t lo, int64_t hi, int64_t *out, lf_pos *pos, lf_error *err)
{
	yaml_node_t *n = lfi_yget(d, m, key);
	if (!n)
		return LF_OK;
	if (pos)
		*pos = lfi_ypos(d, n);
	char w[96];
	snprintf(w, sizeof w, "%s %s", what, key);
	return lfi_yint(d, n, w, lo, hi, out, err);
}

static lf_status parse_model(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &model_s, NULL, err));
	yaml_node_t *n;
	if ((n = lfi_yget(d, m, "parameters"))) {
		t->pos_params = lfi_ypos(d, n);
		LF_TRY(y_params(d, n, "model parameters", &t->given_parameters, err));
	}
	LF_TRY(y_pos_int(d, m, "layers", "model", true, 100000, &t->layers, err));
	t->pos_layers = lfi_ypos(d, lfi_yget(d, m, "layers"));
	LF_TRY(y_pos_int(d, m, "hidden", "model", true, 1 << 24, &t->hidden, err));
	LF_TRY(y_count(d, m, "heads", "model", 1, 1 << 20, &t->heads, &t->pos_heads, err));
	LF_TRY(y_count(d, m, "kv_heads", "model", 1, 1 << 20, &t->kv_heads, NULL, err));
	LF_TRY(y_count(d, m, "head_dim", "model", 1, 1 << 16, &t->head_dim, NULL, err));
	LF_TRY(y_count(d, m, "ffn_hidden", "model", 1, 1 << 26, &t->ffn_hidden, NULL, err));
	LF_TRY(y_count(d, m, "vocab", "model", 0, 1 << 26, &t->vocab, NULL, err));
	LF_TRY(y_count(d, m, "q_lora_rank", "model", 1, 1 << 24, &t->q_lora_rank, NULL, err));
	LF_TRY(y_count(d, m, "kv_lora_rank", "model", 1, 1 << 24, &t->kv_lora_rank, NULL, err));
	LF_TRY(y_count(d, m, "rope_head_dim", "model", 1, 1 << 16, &t->rope_head_dim, NULL, err));
	LF_TRY(y_count(d, m, "v_head_dim", "model", 1, 1 << 16, &t->v_head_dim, NULL, err));
	LF_TRY(y_count(d, m, "attention_window", "model", 1, 1 << 30, &t->attention_window, NULL,
	               err));
	if ((n = lfi_yget(d, m, "window_share"))) {
		if (!t->attention_window)
			return lfi_yfail(err, d, n, "model window_share needs attention_window (the "
			                 "window's length in tokens)");
		LF_TRY(lfi_ydouble(d, n, "model window_share", 0, 1, &t->window_share, err));
	} else if (t->attention_window) {
		t->window_share = 1;
	}
	if ((t->q_lora_rank || t->rope_head_dim || t->v_head_dim) && !t->kv_lora_rank) {
		const char *k = t->q_lora_rank ? "q_lora_rank" : t->rope_head_dim ? "rope_head_dim"
		                                                                 : "v_head_dim";
		return lfi_yfail(err, d, lfi_yget(d, m, k), "model %s is part of multi-head latent "
		                 "attention: give kv_lora_rank too", k);
	}
	if ((n = lfi_yget(d, m, "mlp"))) {
		static const char *const kinds[] = { "gelu", "swiglu" };
		int i;
		LF_TRY(lfi_yenum(d, n, "model mlp", kinds, LF_ARRAY_LEN(kinds), &i, err));
		t->gated = i == 1;
	}
	if (t->heads && !t->head_dim && t->hidden % t->heads)
		return lfi_yfail(err, d, lfi_yget(d, m, "heads"), "model heads = %lld must divide "
		                 "hidden = %lld (or give head_dim)", (long long)t->heads,
		                 (long long)t->hidden);
	if (t->kv_heads && (!t->heads ? t->hidden / 128 : t->heads) % t->kv_heads)
		return lfi_yfail(err, d, lfi_yget(d, m, "kv_heads"), "model kv_heads = %lld must "
		                 "divide heads", (long long)t->kv_heads);
	LF_TRY(y_pos_int(d, m, "seq_len", "model", true, 1 << 26, &t->seq_len, err));
	LF_TRY(y_pos_int(d, m, "micro_batch", "model", false, 1 << 20, &t->micro_batch, err));
	LF_TRY(y_pos_int(d, m, "global_batch", "model", true, 1 << 30, &t->global_batch, err));
	t->pos_global_batch = lfi_ypos(d, lfi_yget(d, m, "global_batch"));
	if ((n = lfi_yget(d, m, "precision")))
		LF_TRY(y_prec(d, n, "model precision", &t->precision, &t->act_bytes, err));
	/* activations stay 16-bit under FP8 GEMMs (Transformer Engine) */
	if (t->act_bytes < 2)
		t->act_bytes = 2;
	const char *gp;
	t->grad_bytes = t->act_bytes;
	if ((n = lfi_yget(d, m, "grad_precision")))
		LF_TRY(y_prec(d, n, "model grad_precision", &gp, &t->grad_bytes, err));
	return LF_OK;
}

static lf_status parse_moe(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &moe_s, NULL, err));
	LF_TRY(y_pos_int(d, m, "experts", "moe", true, 1 << 20, &t->experts, err));
	t->pos_experts = lfi_ypos(d, lfi_yget(d, m, "experts"));
	int64_t k = 2;
	LF_TRY(y_count(d, m, "top_k", "moe", 1, 1024, &k, NULL, err));
	if (k > t->experts)
		return lfi_yfail(err, d, lfi_yget(d, m, "top_k"), "moe top_k = %lld must be at most "
		                 "experts = %lld", (long long)k, (long long)t->experts);
	t->top_k = (int)k;
	yaml_node_t *n;
	if ((n = lfi_yget(d, m, "capacity_factor")))
		LF_TRY(lfi_ydouble(d, n, "moe capacity_factor", 1, 64, &t->capacity_factor, err));
	LF_TRY(y_count(d, m, "ffn_hidden", "moe", 1, 1 << 26, &t->moe_ffn_hidden, NULL, err));
	LF_TRY(y_count(d, m, "shared_experts", "moe", 0, 1024, &t->shared_experts, NULL, err));
	LF_TRY(y_count(d, m, "dense_layers", "moe", 0, 100000, &t->dense_layers, NULL, err));
	LF_TRY(y_count(d, m, "node_limit", "moe", 1, 1 << 20, &t->node_limit, NULL, err));
	if ((n = lfi_yget(d, m, "dispatcher"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "moe dispatcher", lfi_dispatch_names.v, lfi_dispatch_names.n,
		                 &i, err));
		t->dispatcher = (lf_dispatch)i;
	}
	if (t->dense_layers >= t->layers)
		return lfi_yfail(err, d, lfi_yget(d, m, "dense_layers"), "moe dense_layers = %lld "
		                 "leaves no MoE layer of the model's %lld", (long long)t->dense_layers,
		                 (long long)t->layers);
	return LF_OK;
}

/* One pass of Megatron-LM's unrolling of a layout string: groups "(...)*n"
 * (not nested; commas dropped), or single characters "x*n".  false, with
 * *why, when the syntax is broken. */
static bool unroll(const char *s, bool groups, lfi_buf *o, const char **why)
{
	for (const char *p = s; *p;) {
		const char *body = p, *end = p + 1;
		if (groups && *p == ',') {
			p++;
			continue;
		}
		if (groups && *p == ')') {
			*why = "\")\" without its \"(\"";
			return false;
		}
		if (groups && *p == '(') {
			body = p + 1;
			end = strchr(body, ')');
			if (!end || end == body || memchr(body, '(', (size_t)(end - body))) {
				*why = "\"(\" needs a non-empty group closed by \")\" (not nested)";
				return false;
			}
			if (end[1] != '*') {
				*why = "a group \"(...)\" needs \"*N\" after it";
				return false;
			}
			end++;
		} else if (!groups && *p == '*') {
			*why = "\"*\" needs a layer letter or a group before it";
			return false;
		}
		long reps = 1;
		const char *next = end;
		if (*end == '*' && (groups ? *p == '(' : true)) {
			char *e;
			reps = strtol(end + 1, &e, 10);
			if (e == end + 1 || reps < 1 || reps > 100000) {
				*why = "\"*\" needs a repeat count from 1 to 100000";
				return false;
			}
			next = e;
		}
		if (groups && *p == '(')
			end--;                      /* the group's body ends before ")" */
		for (long r = 0; r < reps && !o->failed; r++)
			lfi_buf_add(o, body, (size_t)(end - body));
		if (o->len > 1000000) {
			*why = "it unrolls to over 1,000,000 characters";
			return false;
		}
		p = next;
	}
	lfi_buf_add(o, "", 1);
	return true;
}

/* Megatron-LM's pipeline layout (megatron/core/transformer/
 * pipeline_parallel_layer_layout.py): chunks split by '|'; 'E' the
 * embedding, 't' a transformer layer, 'm' a multi-token-prediction layer,
 * 'L' the loss; "(...)*n" and "x*n" repeat; commas are cosmetic.  pp x
 * virtual_stages chunks, chunk c on stage c mod pp, 'E' opening the first
 * and 'L' closing the last, the 't's the model's layers.  Per stage its
 * layers and MTP layers, into the arena. */
static lf_status parse_layout(lf_training *t, lfi_ydoc *d, yaml_node_t *n, lfi_arena *arena,
                              lf_error *err)
{
	const char *s, *why = NULL;
	LF_TRY(lfi_ystr(d, n, "parallel layout", &s, err));
	lfi_buf a, b;
	lfi_buf_init(&a);
	lfi_buf_init(&b);
	bool ok = unroll(s, true, &a, &why) && !a.failed && unroll(a.data, false, &b, &why);
	lf_status st = LF_OK;
	if (a.failed || b.failed)
		st = lfi_oom(err);
	else if (!ok)
		st = lfi_yfail(err, d, n, "parallel layout \"%.80s\": %s (Megatron-LM's syntax, e.g. "
		               "\"Et|(tt|)*30mL\")", s, why);
	int64_t pp = t->pp > 0 ? t->pp : 1, vs = t->virtual_stages > 0 ? t->virtual_stages : 1;
	int64_t chunks = 1, layers = 0;
	for (const char *p = st == LF_OK ? b.data : ""; *p && st == LF_OK; p++) {
		if (*p == '|')
			chunks++;
		else if (*p == 't')
			layers++;
		else if (!strchr("EmL", *p))
			st = lfi_yfail(err, d, n, "parallel layout: unknown layer letter '%c' (E the "
			               "embedding, t a transformer layer, m a multi-token-prediction "
			               "layer, L the loss; | between chunks)", *p);
	}
	if (st == LF_OK && chunks != pp * vs)
		st = lfi_yfail(err, d, n, "parallel layout has %lld chunks, but pp x virtual_stages "
		               "= %lld x %lld = %lld", (long long)chunks, (long long)pp, (long long)vs,
		               (long long)(pp * vs));
	if (st == LF_OK && layers != t->layers)
		st = lfi_yfail(err, d, n, "parallel layout has %lld transformer layers ('t'), but the "
		               "model has layers: %lld", (long long)layers, (long long)t->layers);
	size_t len = st == LF_OK ? strlen(b.data) : 0;
	if (st == LF_OK && (b.data[0] != 'E' || strchr(b.data + 1, 'E') ||
	                    b.data[len - 1] != 'L' || strchr(b.data, 'L') != b.data + len - 1))
		st = lfi_yfail(err, d, n, "parallel layout: 'E' (the embedding) must open the first "
		               "chunk and 'L' (the loss) close the last, once each");
	if (st == LF_OK) {
		t->layout_layers = lfi_arena_alloc(arena, (size_t)pp * sizeof *t->layout_layers);
		t->layout_mtp = lfi_arena_alloc(arena, (size_t)pp * sizeof *t->layout_mtp);
		t->layout = lfi_arena_strdup(arena, s);
		t->layout_stages = pp;
		if (!t->layout_layers || !t->layout_mtp || !t->layout)
			st = lfi_oom(err);
	}
	int64_t c = 0;
	for (const char *p = st == LF_OK ? b.data : ""; *p; p++) {
		if (*p == '|')
			c++;
		else if (*p == 't')
			t->layout_layers[c % pp]++;
		else if (*p == 'm')
			t->layout_mtp[c % pp]++;
	}
	lfi_buf_release(&a);
	lfi_buf_release(&b);
	return st;
}

static lf_status parse_parallel(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lfi_arena *arena,
                                lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &parallel_s, NULL, err));
	t->pos_parallel = lfi_ypos(d, m);
	const int64_t hi = INT64_C(1) << 30;
	LF_TRY(y_pos_int(d, m, "tp", "parallel", false, 4096, &t->tp, err));
	LF_TRY(y_pos_int(d, m, "pp", "parallel", false, 4096, &t->pp, err));
	LF_TRY(y_pos_int(d, m, "dp", "parallel", false, hi, &t->dp, err));
	LF_TRY(y_pos_int(d, m, "cp", "parallel", false, 4096, &t->cp, err));
	LF_TRY(y_pos_int(d, m, "ep", "parallel", false, 4096, &t->ep, err));
	t->pos_ep = lfi_ypos(d, lfi_yget(d, m, "ep") ? lfi_yget(d, m, "ep") : m);
	LF_TRY(y_pos_int(d, m, "expert_tp", "parallel", false, 4096, &t->expert_tp, err));
	LF_TRY(y_pos_int(d, m, "virtual_stages", "parallel", false, 1024, &t->virtual_stages,
	                 err));
	LF_TRY(y_count(d, m, "first_stage_layers", "parallel", 1, 100000, &t->first_stage_layers,
	               NULL, err));
	LF_TRY(y_count(d, m, "last_stage_layers", "parallel", 1, 100000, &t->last_stage_layers,
	               NULL, err));
	static const char *const orders[] = { "tp-cp-dp-pp", "tp-cp-pp-dp" };
	static const char *const cp_kinds[] = { "ring", "all-gather" };
	LF_TRY(y_flag(d, m, "sequence_parallel", "parallel", NULL, &t->sequence_parallel, err));
	LF_TRY(y_flag(d, m, "order", "parallel", orders, &t->pp_inner, err));
	LF_TRY(y_flag(d, m, "tp_comm_overlap", "parallel", NULL, &t->tp_overlap, err));
	LF_TRY(y_flag(d, m, "cp_comm", "parallel", cp_kinds, &t->cp_allgather, err));
	int pp_overlap = 1;
	LF_TRY(y_flag(d, m, "pp_comm_overlap", "parallel", NULL, &pp_overlap, err));
	t->pp_blocking = !pp_overlap;
	int dp_overlap = 1;
	LF_TRY(y_flag(d, m, "dp_comm_overlap", "parallel", NULL, &dp_overlap, err));
	t->dp_blocking = !dp_overlap;
	LF_TRY(y_flag(d, m, "ep_comm_overlap", "parallel", NULL, &t->ep_overlap, err));
	yaml_node_t *n = lfi_yget(d, m, "layout");
	if (n && (t->first_stage_layers || t->last_stage_layers))
		return lfi_yfail(err, d, n, "parallel layout places every layer: leave out "
		                 "first_stage_layers and last_stage_layers");
	return n ? parse_layout(t, d, n, arena, err) : LF_OK;
}

/* recompute_modules: [core_attn, mla_up_proj, ...] (Megatron-LM's names);
 * selective recomputation, which `recompute` may say or leave out. */
static lf_status parse_recompute_modules(lf_training *t, lfi_ydoc *d, yaml_node_t *n,
                                         yaml_node_t *rc, lf_error *err)
{
	if (rc && t->recompute != LF_RECOMPUTE_SELECTIVE)
		return lfi_yfail(err, d, n, "compute recompute_modules needs recompute: selective "
		                 "(or no recompute key), got recompute: %s",
		                 lfi_recompute_name(t->recompute));
	LF_TRY(lfi_yexpect(d, n, YAML_SEQUENCE_NODE, "compute recompute_modules", err));
	t->recompute = LF_RECOMPUTE_SELECTIVE;
	t->recompute_modules = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		int i;
		LF_TRY(lfi_yenum(d, lfi_ynode(d, *it), "compute recompute_modules item",
		                 lfi_rc_module_names.v, lfi_rc_module_names.n, &i, err));
		t->recompute_modules |= 1u << i;
	}
	if (!t->recompute_modules)
		return lfi_yfail(err, d, n, "compute recompute_modules is empty: name the modules "
		                 "(core_attn, mla_up_proj, mlp, moe_act, layernorm, shared_experts, "
		                 "moe), or set recompute: none");
	return LF_OK;
}

static lf_status parse_compute(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &compute_s, NULL, err));
	yaml_node_t *n, *e = lfi_yget(d, m, "efficiency"), *sc = lfi_yget(d, m, "step_compute");
	if (e && sc)
		return lfi_yfail(err, d, sc, "compute: give either efficiency (with gpu_tflops) or a "
		                 "measured step_compute, not both");
	if ((n = lfi_yget(d, m, "gpu_tflops"))) {
		t->pos_tflops = lfi_ypos(d, n);
		LF_TRY(lfi_ydouble(d, n, "compute gpu_tflops", 0.001, 1e6, &t->gpu_tflops, err));
	}
	if (e)
		LF_TRY(lfi_ydouble(d, e, "compute efficiency", 0.001, 1, &t->efficiency, err));
	if (sc)
		LF_TRY(lfi_yseconds(d, sc, "compute step_compute", 1e-6, 1e6, &t->step_compute_s, err));
	if ((n = lfi_yget(d, m, "recompute"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "compute recompute", lfi_recompute_names.v,
		                 lfi_recompute_names.n, &i, err));
		t->recompute = (lf_recompute)i;
		if (t->recompute == LF_RECOMPUTE_FULL && t->ep_overlap)
			return lfi_yfail(err, d, n, "compute recompute: full cannot run with parallel "
			                 "ep_comm_overlap (Megatron-LM's combined 1F1B schedule "
			                 "refuses full recomputation): use selective");
	}
	if ((n = lfi_yget(d, m, "recompute_modules")))
		LF_TRY(parse_recompute_modules(t, d, n, lfi_yget(d, m, "recompute"), err));
	if ((n = lfi_yget(d, m, "recompute_layers"))) {
		if (t->recompute != LF_RECOMPUTE_FULL)
			return lfi_yfail(err, d, n, "compute recompute_layers (layers of each model chunk "
			                 "recomputed in full) needs recompute: full");
		LF_TRY(lfi_yint(d, n, "compute recompute_layers", 1, 100000, &t->recompute_layers,
		                err));
	}
	if ((n = lfi_yget(d, m, "offload_layers"))) {
		t->pos_offload = lfi_ypos(d, n);
		LF_TRY(lfi_yint(d, n, "compute offload_layers", 0, 100000, &t->offload_layers, err));
	}
	if ((n = lfi_yget(d, m, "attention"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "compute attention", lfi_attention_names.v,
		                 lfi_attention_names.n, &i, err));
		t->unfused_attention = i == 1;
		t->fp8_attention = i == 2;
		if (t->fp8_attention && strcmp(t->precision, "fp8") != 0)
			return lfi_yfail(err, d, n, "compute attention fp8 (flash attention in FP8) "
			                 "needs model precision: fp8");
	}
	if ((n = lfi_yget(d, m, "loss"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "compute loss", lfi_loss_names.v, lfi_loss_names.n, &i, err));
		t->loss_impl = i;
	}
	return LF_OK;
}

static lf_status parse_optimizer(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_ycheck_schema(d, m, &optimizer_s, NULL, err));
	yaml_node_t *n;
	if ((n = lfi_yget(d, m, "zero"))) {
		int i;
		LF_TRY(lfi_yenum(d, n, "optimizer zero", lfi_zero_names.v, lfi_zero_names.n, &i,
		                 err));
		t->zero = i > LF_ZERO_3 ? LF_ZERO_3 : (lf_zero)i;   /* fsdp: ZeRO-3 */
	}
	if ((n = lfi_yget(d, m, "bucket")))
		LF_TRY(y_params(d, n, "optimizer bucket", &t->bucket_params, err));
	return LF_OK;
}

lf_status lfi_training_parse(lf_training *t, lfi_ydoc *d, yaml_node_t *m, lfi_arena *arena,
                             lf_error *err)
{
	(void)arena;
	LF_TRY(lfi_ycheck_schema(d, m, &lfi_training_schema, NULL, err));
	memset(t, 0, sizeof *t);
	t->pos = lfi_ypos(d, m);
	t->pos_parallel = t->pos_tflops = t->pos_ep = t->pos;
	/* defaults: each stated in docs/sim.md */
	t->micro_batch = 1;
	t->precision = "bf16";
	t->act_bytes = t->grad_bytes = 2;
	t->tp = t->pp = t->cp = t->ep = t->virtual_stages = 1;
	t->top_k = 1;
	t->recompute = LF_RECOMPUTE_NONE;
	t->zero = LF_ZERO_0;
	t->bucket_params = 40e6;  /* Megatron-LM DDP default bucket: 40M parameters */
	yaml_node_t *n;
	LF_TRY(lfi_yrequire(d, m, "model", "training", &n, err));
	LF_TRY(parse_model(t, d, n, err));
	if ((n = lfi_yget(d, m, "moe")))
		LF_TRY(parse_moe(t, d, n, err));
	if ((n = lfi_yget(d, m, "parallel")))
		LF_TRY(parse_parallel(t, d, n, arena, err));
	if ((n = lfi_yget(d, m, "compute")))
		LF_TRY(parse_compute(t, d, n, err));
	if ((n = lfi_yget(d, m, "optimizer")))
		LF_TRY(parse_optimizer(t, d, n, err));
	/* the model's size from its shapes */
	cm_params(t, &t->parameters, &t->active_parameters, &t->expert_parameters);
	if (t->given_parameters > 0 && fabs(t->given_parameters / t->parameters - 1) > 0.1)
		return lfi_yfail(err, d, lfi_yget(d, lfi_yget(d, m, "model"), "parameters"),
		                 "model parameters is %.4gB but the shapes (layers, hidden, heads, "
		                 "kv_heads, ffn_hidden, mlp, vocab, moe) give %.4gB: check them "
		                 "(parameters is a cross-check only)", t->given_parameters / 1e9,
		                 t->parameters / 1e9);
	return LF_OK;
}

/* --------------------------------------------------------------- derivation */

static lf_status tfail(lf_error *err, const char *file, lf_pos p, const char *fmt, ...)
	LF_PRINTF(4, 5);
static lf_status tfail(lf_error *err, const char *file, lf_pos p, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lfi_failv(err, LF_EINPUT, p.file ? p.file : file, p.line, p.col, fmt, ap);
	va_end(ap);
	return LF_EINPUT;
}

/* The 16-bit peak over the FP8 one: the catalog's, or 1/2 (the tensor
 * cores' ratio on Hopper and Blackwell, NVIDIA's datasheets).  A pinned
 * gpu_tflops is the peak at the step's precision, so an FP8 step's 16-bit
 * work (the output layer, the attention core) runs at this share of it. */
static double fp8_to_16(const lf_server *sv)
{
	return sv->gpu_tflops > 0 && sv->gpu_fp8_tflops > 0 ? sv->gpu_tflops / sv->gpu_fp8_tflops
	                                                   : 0.5;
}

/* The GPU at a GEMM precision. */
static cm_gpu gpu_of(bool fp8, const lf_server *sv, double peak_tflops)
{
	cm_gpu g = { peak_tflops * 1e12, fp8 ? sv->gemm_share_fp8 : sv->gemm_share,
	             sv->hbm_gbs * 1e9, sv->gpu_sms, fp8 ? 1 : 2, sv->sustained_share };
	return g;
}

/* Exposed time of a reduction in n buckets of tau seconds each, the j-th
 * ready at (j+1)/n of a window w of compute (backward of the last
 * micro-batch, layers finishing at an even pace): the buckets queue on
 * the DP group, and what runs past the window is exposed. */
static double bucket_exposed(double n, double tau, double w)
{
	if (n <= 0 || tau <= 0)
		return 0;
	double nb = ceil(n);
	double per = tau * n / nb, f = 0;
	for (double j = 0; j < nb; j++) {
		double ready = (j + 1) / nb * w;
		f = (f > ready ? f : ready) + per;
	}
	return f > w ? f - w : 0;
}

/* One micro-batch of a stage with wd dense and wm MoE layers (and the
 * vocabulary layer if vocab), and its share of the step's compute. */
static void stage_compute(lf_step *s, const cm_times *cd, const cm_times *cmo,
                          const cm_times *cv, double wd, double wm, double vocab, double m)
{
	s->mb_fwd_s = wd * cd->fwd_s + wm * cmo->fwd_s + vocab * cv->fwd_s;
	s->mb_bwd_s = wd * cd->bwd_s + wm * cmo->bwd_s + vocab * cv->bwd_s;
	s->gemm_s = m * (wd * cd->gemm_s + wm * cmo->gemm_s + vocab * cv->gemm_s);
	s->attn_s = m * (wd * cd->attn_s + wm * cmo->attn_s);
	s->elem_s = m * (wd * cd->elem_s + wm * cmo->elem_s + vocab * cv->elem_s);
}

/* A transfer of tr seconds each way behind a micro-batch's forward and
 * backward: the excess lengthens them (and *per_step, over m of them). */
static void offload_stall(double tr, double m, double *fwd, double *bwd, double *per_step)
{
	double f = fmax(0, tr - *fwd), b = fmax(0, tr - *bwd);
	*fwd += f;
	*bwd += b;
	*per_step = m * (f + b);
}

/* A layer's times with a share f of the stage's layers recomputed in full
 * (full) and the rest not (none). */
static cm_times blend(const cm_times *none, const cm_times *full, double f)
{
	cm_times c;
	c.fwd_s = (1 - f) * none->fwd_s + f * full->fwd_s;
	c.bwd_s = (1 - f) * none->bwd_s + f * full->bwd_s;
	c.gemm_s = (1 - f) * none->gemm_s + f * full->gemm_s;
	c.attn_s = (1 - f) * none->attn_s + f * full->attn_s;
	c.elem_s = (1 - f) * none->elem_s + f * full->elem_s;
	c.attn_fwd_s = (1 - f) * none->attn_fwd_s + f * full->attn_fwd_s;
	c.cast_fwd_s = (1 - f) * none->cast_fwd_s + f * full->cast_fwd_s;
	c.wgrad_s = (1 - f) * none->wgrad_s + f * full->wgrad_s;
	c.exp_fwd_s = (1 - f) * none->exp_fwd_s + f * full->exp_fwd_s;
	c.exp_bwd_s = (1 - f) * none->exp_bwd_s + f * full->exp_bwd_s;
	c.exp_wgrad_s = (1 - f) * none->exp_wgrad_s + f * full->exp_wgrad_s;
	return c;
}

/* The step's compute from the stage's slot: m slots and the bubble. */
static void stage_totals(lf_step *s)
{
	double slot = s->mb_fwd_s + s->mb_bwd_s, m = (double)s->micro_batches;
	s->compute_s = m * slot + s->optimizer_s;
	s->bubble_s = (double)(s->pp - 1) / (double)s->vs * slot;
	s->pipeline_compute_s = s->compute_s + s->bubble_s;
}

/* The global rank of TP rank t, CP rank c, stage p, DP rank d: ranks
 * ordered tp-cp-dp-pp (Megatron-LM's default) or tp-cp-pp-dp (Llama 3). */
static int64_t rank_of(const lf_step *s, int64_t t, int64_t c, int64_t p, int64_t d)
{
	if (s->pp_inner)
		return t + s->tp * (c + s->cp * (p + s->pp * d));
	return t + s->tp * (c + s->cp * (d + s->dp * p));
}

/* The global rank of EP rank e of the expert-parallel group (et, ed) on
 * stage p: a stage's ranks in order q = t + TP·(c + CP·d) are laid out as
 * q = et + ETP·(e + EP·ed) (Megatron-LM's expert rank order, expert TP
 * innermost). */
static int64_t ep_rank(const lf_step *s, int64_t p, int64_t ed, int64_t et, int64_t e)
{
	int64_t q = et + s->etp * (e + s->ep * ed);
	return rank_of(s, q % s->tp, q / s->tp % s->cp, p, q / (s->tp * s->cp));
}

/* HybridEP's all-to-all inside an NVLink domain, of the NVLink rate: 8
 * B200, 16 SMs, 4,096 tokens of 7,168, top-8, through the Torch API: 535.94
 * GB/s dispatch (BF16) and 530.86 combine of NVLink 5's 900 (deepseek-ai/
 * DeepEP Hybrid-EP_Implementation.md @07eea0c; DeepEP's own kernels 494
 * and 420 with 24 SMs) */
#define FLEX_NVL_SHARE (533.4 / 900)

/* The chance that none of k experts drawn without replacement from b
 * falls among b - a given ones: C(a, k) / C(b, k). */
static double none_of(double a, double b, int k)
{
	double p = 1;
	for (int i = 0; i < k && p > 0; i++)
		p *= a - i > 0 ? (a - i) / (b - i) : 0;
	return p;
}

/* Copies of a token an expert-parallel all-to-all sends, per routed token.
 * NCCL's all-to-all (Megatron-LM's alltoall dispatcher): one a chosen
 * expert, top_k.  DeepEP and HybridEP send a token once to each GPU that
 * holds one of its experts inside an NVLink domain (DeepEP's
 * get_dispatch_layout: is_token_in_rank) and once to each domain across
 * domains, forwarded over NVLink there: the expected number of distinct
 * destinations among top_k experts drawn from E spread evenly over them,
 * u·(1 - C(E - E/u, k) / C(E, k)), with node-limited routing (node_limit
 * M) drawn from the experts of M domains.  The domains are those the
 * first EP group's ranks fall in, ranks placed in order (domain_gpus a
 * domain). */
static double ep_copies(const lf_training *t, const lf_step *s, int64_t domain_gpus,
                        int64_t *domains)
{
	int k = t->top_k;
	*domains = 0;
	if (t->dispatcher == LF_DISPATCH_ALLTOALL)
		return k;
	int64_t prev = -1, units = 1;
	for (int64_t e = 0; e < s->ep; e++) {
		int64_t r = ep_rank(s, 0, 0, 0, e);
		int64_t dom = domain_gpus > 0 ? r / domain_gpus : r;
		if (e > 0 && dom != prev)
			units++;   /* ranks in order: a new domain at each change */
		prev = dom;
	}
	*domains = units;
	double u = (double)units, E = (double)t->experts;
	if (units == 1) {
		u = (double)s->ep;   /* one domain: a copy per destination GPU */
	} else if (t->node_limit > 0 && t->node_limit < units) {
		E *= (double)t->node_limit / u;
		u = (double)t->node_limit;
	}
	return u * (1 - none_of(E - E / u, E, k));
}

lf_status lf_training_derive(const lf_training *t, const char *file, int64_t gpus,
                             const lf_server *sv, lf_step *s, lf_error *err)
{
	memset(s, 0, sizeof *s);
	int64_t tp = t->tp > 0 ? t->tp : 1, pp = t->pp > 0 ? t->pp : 1;
	int64_t cp = t->cp > 0 ? t->cp : 1, ep = t->ep > 0 ? t->ep : 1;
	int64_t vs = t->virtual_stages > 0 ? t->virtual_stages : 1;
	int64_t mp = tp * cp * pp;
	if (gpus % mp != 0)
		return tfail(err, file, t->pos_parallel, "tp x cp x pp = %lld x %lld x %lld = %lld "
		             "must divide the job's %lld GPUs", (long long)tp, (long long)cp,
		             (long long)pp, (long long)mp, (long long)gpus);
	int64_t dp = t->dp > 0 ? t->dp : gpus / mp;
	if (mp * dp != gpus)
		return tfail(err, file, t->pos_parallel, "tp x cp x pp x dp = %lld x %lld x %lld x "
		             "%lld = %lld must equal the job's %lld GPUs (set job gpus, or leave dp "
		             "out)", (long long)tp, (long long)cp, (long long)pp, (long long)dp,
		             (long long)(mp * dp), (long long)gpus);
	int64_t etp = t->expert_tp > 0 ? t->expert_tp : tp;
	if ((tp * cp * dp) % (ep * etp) != 0)
		return tfail(err, file, t->pos_ep, "ep x expert_tp = %lld x %lld = %lld must divide "
		             "a pipeline stage's tp x cp x dp = %lld x %lld x %lld = %lld ranks (the "
		             "expert layers are laid over them)", (long long)ep, (long long)etp,
		             (long long)(ep * etp), (long long)tp, (long long)cp, (long long)dp,
		             (long long)(tp * cp * dp));
	if (ep > 1 && t->experts <= 0)
		return tfail(err, file, t->pos_ep, "ep = %lld needs an MoE model (moe: {experts: "
		             "N, ...})", (long long)ep);
	if (t->experts > 0 && t->experts % ep != 0)
		return tfail(err, file, t->pos_experts, "moe experts = %lld is not divisible by "
		             "ep = %lld", (long long)t->experts, (long long)ep);
	int64_t heads = t->heads > 0 ? t->heads : (t->hidden / 128 > 0 ? t->hidden / 128 : 1);
	if (heads % tp != 0)
		return tfail(err, file, t->heads > 0 ? t->pos_heads : t->pos_parallel,
		             "tp = %lld must divide the model's %lld attention heads%s", (long long)tp,
		             (long long)heads, t->heads > 0 ? "" : " (hidden / 128: set heads)");
	if (t->kv_heads > 0 && t->kv_heads % tp != 0 && tp % t->kv_heads != 0)
		return tfail(err, file, t->pos_parallel, "tp = %lld and kv_heads = %lld: one must "
		             "divide the other", (long long)tp, (long long)t->kv_heads);
	/* uneven first and last stages (Megatron-LM --decoder-first/last-pipeline-
	 * num-layers; Llama 3 drops a layer from each to balance the embedding
	 * and the output layer): the other stages split the rest evenly */
	int64_t nf = t->first_stage_layers > 0, nl = t->last_stage_layers > 0;
	int64_t rest = t->layers - t->first_stage_layers - t->last_stage_layers;
	if (t->layout && t->layout_stages != pp)
		return tfail(err, file, t->pos_parallel, "parallel layout places %lld stages, but pp "
		             "= %lld", (long long)t->layout_stages, (long long)pp);
	/* a layout places every layer (checked when read) */
	if (!t->layout && nf + nl && pp < nf + nl + 1)
		return tfail(err, file, t->pos_parallel, "first_stage_layers and last_stage_layers "
		             "need pp of at least %lld (got %lld)", (long long)(nf + nl + 1),
		             (long long)pp);
	if (!t->layout && (rest < 1 || rest % ((pp - nf - nl) * vs) != 0)) {
		if (nf + nl)
			return tfail(err, file, t->pos_layers, "layers = %lld minus the first and last "
			             "stages' %lld leaves %lld, not divisible by the other %lld stages x "
			             "virtual_stages %lld", (long long)t->layers,
			             (long long)(t->first_stage_layers + t->last_stage_layers),
			             (long long)rest, (long long)(pp - nf - nl), (long long)vs);
		return tfail(err, file, t->pos_layers, "layers = %lld is not divisible by pp x "
		             "virtual_stages = %lld x %lld = %lld", (long long)t->layers,
		             (long long)pp, (long long)vs, (long long)(pp * vs));
	}
	if (t->seq_len % (2 * cp) != 0 && cp > 1)
		return tfail(err, file, t->pos_parallel, "seq_len = %lld must be a multiple of 2 x "
		             "cp = %lld (load-balanced context parallelism)", (long long)t->seq_len,
		             (long long)(2 * cp));
	int64_t mb = t->micro_batch > 0 ? t->micro_batch : 1;
	if (t->global_batch % (mb * dp) != 0)
		return tfail(err, file, t->pos_global_batch, "global_batch = %lld is not divisible "
		             "by dp x micro_batch = %lld x %lld = %lld", (long long)t->global_batch,
		             (long long)dp, (long long)mb, (long long)(mb * dp));
	if (t->offload_layers > 0 && t->recompute == LF_RECOMPUTE_FULL)
		return tfail(err, file, t->pos_offload, "compute offload_layers with recompute: full: "
		             "the layers keep only their inputs, there is nothing to offload (use "
		             "one or the other)");
	if (t->offload_layers > 0 && !(sv->host_link_gbs > 0))
		return tfail(err, file, t->pos_offload, "compute offload_layers needs the GPU's link "
		             "to host memory (catalog server \"%s\": host_link_gbs)", sv->id);
	bool fp8 = t->precision && strcmp(t->precision, "fp8") == 0;
	double peak = t->gpu_tflops > 0 ? t->gpu_tflops
	                                : (fp8 ? sv->gpu_fp8_tflops : sv->gpu_tflops);
	if (peak <= 0 && t->step_compute_s <= 0)
		return tfail(err, file, t->pos_tflops, "compute needs gpu_tflops (the catalog "
		             "server \"%s\" has no %s peak) or a measured step_compute", sv->id,
		             fp8 ? "gpu_fp8_tflops" : "gpu_tflops");
	if (t->efficiency <= 0 && t->step_compute_s <= 0 && (sv->hbm_gbs <= 0 || sv->gpu_sms <= 0))
		return tfail(err, file, t->pos_tflops, "the compute model needs the GPU's memory "
		             "bandwidth and SM count (catalog server \"%s\": hbm_gbs, gpu_sms), or "
		             "set compute efficiency or step_compute", sv->id);
	s->gpus = gpus;
	s->tp = tp;
	s->pp = pp;
	s->dp = dp;
	s->cp = cp;
	s->ep = ep;
	s->etp = etp;
	s->pp_inner = t->pp_inner;
	s->vs = vs;
	s->micro_batches = t->global_batch / (mb * dp);
	double m = (double)s->micro_batches;
	double L = (double)t->layers, h = (double)t->hidden, sl = (double)t->seq_len;
	double V = (double)t->vocab;
	s->tokens = (double)t->global_batch * sl;

	/* FLOPs per token: 3x each layer's forward (backward is 2x) + the
	 * vocabulary layer (Narayanan et al. 2021 eq. 3 without recompute;
	 * Megatron-LM's num_floating_point_operations) */
	double Lm = t->experts > 0 ? L - (double)t->dense_layers : 0, Ld = L - Lm;
	double fd = cm_layer_fwd_flops(t, 0), fm = t->experts > 0 ? cm_layer_fwd_flops(t, 1) : 0;
	double fwd = Ld * fd + Lm * fm;
	/* multi-token-prediction layers (layout 'm'): a layer of the model's
	 * kind and its own output head each */
	double mtp = 0;
	for (int64_t i = 0; t->layout && i < pp; i++)
		mtp += (double)t->layout_mtp[i];
	s->flops_per_token = 3 * fwd + 6 * V * h + mtp * (3 * (Lm > 0 ? fm : fd) + 6 * V * h);
	double extra = Ld * cm_recompute_flops(t, 0) +
	               (t->experts > 0 ? Lm * cm_recompute_flops(t, 1) : 0);
	s->hw_flops_per_token = s->flops_per_token + extra;
	s->flops_per_gpu = s->flops_per_token * s->tokens / (double)gpus;
	s->gpu_tflops = peak;

	/* compute of one micro-batch on the busiest stage: its share of the
	 * layers (the MoE share evenly spread) and the vocabulary layer (the
	 * last stage) */
	cm_gpu g = gpu_of(fp8, sv, peak);
	/* Megatron-LM's output layer is its own ColumnParallelLinear, not
	 * Transformer Engine's: a 16-bit GEMM in FP8 runs too
	 * (megatron/core/models/gpt/gpt_model.py; an FP8 head came in May
	 * 2026, opt-in, MXFP8 only) */
	cm_gpu gv = fp8 ? gpu_of(false, sv, peak * fp8_to_16(sv)) : g;
	/* the attention core: 16-bit unless the step runs it in FP8 */
	const cm_gpu *ga = t->fp8_attention ? &g : &gv;
	s->gemm_share = cm_gemm_share(&g);
	s->sustained_share = cm_sustained(&g);
	cm_times cd = { 0 }, cmo = { 0 }, cv = { 0 };
	cm_layer(&g, ga, t, 0, &cd);
	if (t->experts > 0)
		cm_layer(&g, ga, t, 1, &cmo);
	cm_vocab(&gv, t, &cv);
	/* full recomputation of some layers only: the others timed without */
	cm_times cdn = cd, cmon = cmo;
	if (t->recompute == LF_RECOMPUTE_FULL && t->recompute_layers > 0) {
		lf_training tn = *t;
		tn.recompute = LF_RECOMPUTE_NONE;
		cm_layer(&g, ga, &tn, 0, &cdn);
		if (t->experts > 0)
			cm_layer(&g, ga, &tn, 1, &cmon);
	}
	/* the busiest stage: a middle one, or the first, or the last with the
	 * vocabulary layer */
	double mid = t->layout ? 0 : (double)rest / (double)(pp - nf - nl);
	double fl = nf ? (double)t->first_stage_layers : mid;
	double ll = nl ? (double)t->last_stage_layers : mid;
	/* the stages: the first, a middle one and the last, or with a layout
	 * every stage, each with its layers (MTP layers too) and the output
	 * heads it runs (the last stage's; one per MTP layer) */
	cm_stage *stg = calloc((size_t)(t->layout ? pp : 3), sizeof *stg);
	if (!stg)
		return lfi_oom(err);
	size_t ns = 0;
	if (t->layout) {
		for (int64_t i = 0; i < pp; i++)
			stg[ns++] = (cm_stage){ i, (double)(t->layout_layers[i] + t->layout_mtp[i]),
			                        (double)((i == 0) + (i == pp - 1)),
			                        (double)((i == pp - 1) + t->layout_mtp[i]) };
	} else {
		stg[ns++] = (cm_stage){ 0, pp == 1 ? L : fl, pp == 1 ? 2 : 1, pp == 1 };
		if (pp > 1)
			stg[ns++] = (cm_stage){ pp - 1, ll, 1, 1 };
		if (pp > 2)
			stg[ns++] = (cm_stage){ 1, mid, 0, 0 };
	}
	/* the busiest stage by compute (ties: the first found), and the one with
	 * the most layers */
	double lps = 0, vocab = 0, best = -1, lmax = 0, vmax = 0;
	for (size_t i = 0; i < ns; i++) {
		double f = cm_full_share(t, stg[i].layers);
		cm_times bd = blend(&cdn, &cd, f), bm = blend(&cmon, &cmo, f);
		double c = stg[i].layers * (Ld / L * (bd.fwd_s + bd.bwd_s) +
		                            Lm / L * (bm.fwd_s + bm.bwd_s)) +
		           stg[i].logits * (cv.fwd_s + cv.bwd_s);
		if (c > best) {
			best = c;
			lps = stg[i].layers;
			vocab = stg[i].logits;
		}
		if (stg[i].layers > lmax) {
			lmax = stg[i].layers;
			vmax = stg[i].logits;
		}
	}
	s->stage_layers = lps;
	double fsel = cm_full_share(t, lps), falt = 0;
	cm_times bd = blend(&cdn, &cd, fsel), bm = blend(&cmon, &cmo, fsel);
	stage_compute(s, &bd, &bm, &cv, Ld / L * lps, Lm / L * lps, vocab, m);
	/* the stage with the most layers, when it is not the busiest by
	 * compute: its TP, CP and EP operations, one set per layer, may make
	 * its slot the longer (lf_step_finish keeps the longer).  Without a
	 * layout it is never the last: with the most layers and the output
	 * layer that one would be the busiest. */
	s->alt_layers = 0;
	if (pp > 1 && lmax > lps) {
		lf_step a = *s;
		a.stage_layers = lmax;
		falt = cm_full_share(t, lmax);
		cm_times ad = blend(&cdn, &cd, falt), am = blend(&cmon, &cmo, falt);
		stage_compute(&a, &ad, &am, &cv, Ld / L * lmax, Lm / L * lmax, vmax, m);
		s->alt_layers = lmax;
		s->alt_mb_fwd_s = a.mb_fwd_s;
		s->alt_mb_bwd_s = a.mb_bwd_s;
		s->alt_gemm_s = a.gemm_s;
		s->alt_attn_s = a.attn_s;
		s->alt_elem_s = a.elem_s;
	}
	double attn_fwd_layer = Ld / L * cd.attn_fwd_s + Lm / L * cmo.attn_fwd_s;
	/* combined 1F1B (Megatron-LM's fine-grained schedule,
	 * TransformerLayerSchedulePlan.run in megatron/core/models/common/
	 * model_chunk_schedule_plan.py, with the weight gradients delayed as
	 * Megatron-Bridge runs it): per layer pair, one
	 * micro-batch's forward beside another's backward, each all-to-all on
	 * the communication stream beside one node on the compute stream —
	 * the backward's combine beside the previous layer's attention weight
	 * gradients and this forward's attention; the forward's dispatch
	 * beside the backward's experts (data gradients); the backward's
	 * dispatch beside the experts' weight gradients and the forward's
	 * experts; the forward's combine beside the next layer's attention
	 * backward (data gradients) */
	double aw = cmo.wgrad_s - cmo.exp_wgrad_s;
	s->ep_phase_s[0] = aw + cmo.fwd_s - cmo.exp_fwd_s;
	s->ep_phase_s[1] = cmo.exp_bwd_s - cmo.exp_wgrad_s;
	s->ep_phase_s[2] = cmo.exp_wgrad_s + cmo.exp_fwd_s;
	s->ep_phase_s[3] = cmo.bwd_s - cmo.exp_bwd_s - aw;
	s->ep_sm_share = cm_a2a_sm_share(&g);
	/* optimizer (Adam, mixed precision): ~28 bytes per local parameter
	 * (FP32 master, m, v read and written, the gradient read, the 16-bit
	 * copy written), streamed */
	double dense_local = (t->parameters - t->expert_parameters) / (double)(tp * pp);
	double expert_local = t->expert_parameters / (double)(etp * pp * ep);
	/* an expert's data-parallel replicas */
	double edp = (double)(tp * cp * dp) / (double)(ep * etp);
	double opt_params = t->zero >= LF_ZERO_1 ? dense_local / (double)dp + expert_local / edp
	                                         : dense_local + expert_local;
	s->optimizer_s = cm_stream_s(&g, opt_params * 28);
	if (t->step_compute_s > 0 || t->efficiency > 0) {
		/* a pinned figure replaces the shape model, in proportion */
		double hw = s->hw_flops_per_token * s->tokens / (double)gpus;
		double total = t->step_compute_s > 0
		                       ? t->step_compute_s * m / (m + (double)(pp - 1) / (double)vs)
		                       : hw / (peak * 1e12 * t->efficiency);
		double k = total / (m * (s->mb_fwd_s + s->mb_bwd_s) + s->optimizer_s);
		s->gemm_share = s->sustained_share = 0;   /* not the shape model's */
		s->mb_fwd_s *= k;
		s->mb_bwd_s *= k;
		s->gemm_s *= k;
		s->attn_s *= k;
		s->elem_s *= k;
		s->alt_mb_fwd_s *= k;
		s->alt_mb_bwd_s *= k;
		s->alt_gemm_s *= k;
		s->alt_attn_s *= k;
		s->alt_elem_s *= k;
		s->optimizer_s *= k;
		attn_fwd_layer *= k;
		for (int i = 0; i < 4; i++)
			s->ep_phase_s[i] *= k;
	}
	s->slots = m + (double)(pp - 1) / (double)vs;
	cm_memory(t, s, stg, ns, sv->hbm_gb, &s->mem);
	free(stg);
	if (t->offload_layers > 0) {
		/* each micro-batch's offloaded activations go to host memory during
		 * its forward and come back during its backward: what outlasts
		 * the pass stalls it */
		double bw = sv->host_link_gbs * 1e9;
		offload_stall(fmin((double)t->offload_layers, lps) * s->mem.act_layer_b / bw, m,
		              &s->mb_fwd_s, &s->mb_bwd_s, &s->offload_s);
		if (s->alt_layers > 0)
			offload_stall(fmin((double)t->offload_layers, s->alt_layers) *
			                      s->mem.act_layer_b / bw, m, &s->alt_mb_fwd_s,
			              &s->alt_mb_bwd_s, &s->alt_offload_s);
	}
	stage_totals(s);
	s->attn_fwd_s = attn_fwd_layer;

	/* messages */
	double tok = (double)mb * sl / (double)cp;        /* tokens per rank per micro-batch */
	double act = tok * h * t->act_bytes;
	/* the forward and the backward of each layer, and the recomputed
	 * share's second forward */
	double ops = 2 + fsel, alt_ops = 2 + falt;
	if (tp > 1) {
		s->tp_bytes = act;
		s->tp_count = llround(lps * 2 * ops);
		s->alt_tp_count = llround(s->alt_layers * 2 * alt_ops);
		s->tp_groups = cp * pp * dp;
	}
	if (pp > 1) {
		s->pp_bytes = act / (double)tp;
		s->pp_count = 2 * vs;
		s->pp_pairs = (pp - 1) * tp * cp * dp;
	}
	if (cp > 1) {
		double a = (double)heads, kv = t->kv_heads > 0 ? (double)t->kv_heads : a;
		/* ring attention (Liu et al. 2023; Megatron-LM context parallelism):
		 * cp - 1 steps per layer, each passing one chunk's K and V to the next
		 * rank while the current block's attention computes; backward passes
		 * K, V and then dK, dV: twice the steps */
		double dqk, dv;
		cm_head_dims(t, &dqk, &dv);
		s->cp_bytes = (double)mb * sl / (double)cp * kv * (dqk + dv) / (double)tp *
		              t->act_bytes;
		s->cp_count = llround(lps * (double)(cp - 1) * (ops + 1));
		s->alt_cp_count = llround(s->alt_layers * (double)(cp - 1) * (alt_ops + 1));
		s->cp_groups = tp * pp * dp;
		if (t->cp_allgather) {
			/* Llama 3 (sec. 3.3.2): K and V of the whole sequence
			 * all-gathered before each layer's attention (the gathered
			 * size), dK and dV reduce-scattered after its backward; the
			 * forward's gather again with full recompute */
			s->cp_bytes *= (double)cp;
			s->cp_count = llround(lps * ops);
			s->alt_cp_count = llround(s->alt_layers * alt_ops);
		}
	}
	if (ep > 1) {
		double cf = t->capacity_factor > 0 ? t->capacity_factor : 1;
		/* a token's copies, as its dispatcher sends them (ep_copies) */
		int64_t dg = sv->gpus > 0 ? lfi_servers_per_domain(sv) * sv->gpus : 0, doms;
		double copies = ep_copies(t, s, dg, &doms);
		s->ep_copies = copies;
		/* DeepEP and HybridEP run at their own rates, not NCCL's: across
		 * domains at the NICs' line rate (DeepEP, EP 64 on 400G CX7: 51
		 * and 50 GB/s dispatch / combine, docs/legacy.md), not NCCL's
		 * all-to-all share; inside one at FLEX_NVL_SHARE of NVLink, not
		 * NCCL's NVLink share */
		s->ep_rate_scale = doms > 1 ? nccl_a2a_net_eff()
		                 : doms == 1 ? nccl_nvlink_share(sv->gpu_arch) / FLEX_NVL_SHARE : 1;
		/* recomputing the MoE layer dispatches and combines again */
		bool moe_rc = lf_training_recomputed(t) & LF_RC_MOE;
		s->ep_bytes = act * copies * cf / (double)tp;
		s->ep_layer_ops = moe_rc ? 6 : 4;
		s->ep_count = llround(ceil(Lm / L * lps) * 2 * (moe_rc ? 3 : ops));
		s->alt_ep_count = llround(ceil(Lm / L * s->alt_layers) * 2 * (moe_rc ? 3 : alt_ops));
		s->ep_groups = pp * (tp * cp * dp) / ep;
	}
	if (dp > 1) {
		/* gradients of the stage's parameters: dense ones over DP, expert
		 * ones over their DP / EP replicas, counted as the bytes that move
		 * as much per rank in a ring over DP: (1 - 1/edp) / (1 - 1/dp) */
		double eshare = edp > 1 ? (1 - 1 / edp) / (1 - 1 / (double)dp) : 0;
		double grads = dense_local + expert_local * eshare;
		s->dp_bytes = grads * t->grad_bytes;
		s->dp_groups = tp * cp * pp;
		if (t->zero == LF_ZERO_3) {
			/* one layer's parameters gathered before its forward and
			 * backward, its gradients reduce-scattered after the backward,
			 * every micro-batch */
			s->dp_buckets = lps;
			s->dp_count = 3;
		} else {
			s->dp_buckets = grads / t->bucket_params;
			if (s->dp_buckets < 1)
				s->dp_buckets = 1;
			s->dp_count = t->zero >= LF_ZERO_1 ? 2 : 1;
		}
	}
	return LF_OK;
}

static void swap_d(double *a, double *b)
{
	double x = *a;
	*a = *b;
	*b = x;
}

static void swap_i(int64_t *a, int64_t *b)
{
	int64_t x = *a;
	*a = *b;
	*b = x;
}

/* Make the alternative stage the step's, and the step's the alternative. */
static void swap_stage(lf_step *s)
{
	swap_d(&s->stage_layers, &s->alt_layers);
	swap_d(&s->mb_fwd_s, &s->alt_mb_fwd_s);
	swap_d(&s->mb_bwd_s, &s->alt_mb_bwd_s);
	swap_d(&s->gemm_s, &s->alt_gemm_s);
	swap_d(&s->attn_s, &s->alt_attn_s);
	swap_d(&s->elem_s, &s->alt_elem_s);
	swap_d(&s->offload_s, &s->alt_offload_s);
	swap_i(&s->tp_count, &s->alt_tp_count);
	swap_i(&s->ep_count, &s->alt_ep_count);
	swap_i(&s->cp_count, &s->alt_cp_count);
	stage_totals(s);
}

static void finish_stage(const lf_training *t, lf_step *s);

void lf_step_finish(const lf_training *t, lf_step *s)
{
	finish_stage(t, s);
	if (s->alt_layers > 0) {
		lf_step a = *s;
		swap_stage(&a);
		finish_stage(t, &a);
		if (a.step_s > s->step_s)
			*s = a;
	}
}

static void finish_stage(const lf_training *t, lf_step *s)
{
	double slot = s->mb_fwd_s + s->mb_bwd_s, m = (double)s->micro_batches;
	double lps = s->stage_layers;
	s->tp_exposed_s = s->slots * (double)s->tp_count * s->tp_s;
	if (t->tp_overlap && m > 0) {
		/* hidden behind the micro-batch's GEMMs, which it splits into chunks */
		double over = (double)s->tp_count * s->tp_s - s->gemm_s / m;
		s->tp_exposed_s = over > 0 ? s->slots * over : 0;
	}
	s->pp_exposed_s = s->slots * (double)s->pp_count * s->pp_s;
	if (s->vs > 1 && !t->pp_blocking) {
		/* interleaved 1F1B with overlapped transfers (Megatron-LM's
		 * overlap_p2p_comm, on with virtual stages; Llama 3 sec. 3.3.2,
		 * asynchronous point-to-point): in the steady state a forward and
		 * a backward chunk run between one pair's send and its wait, so
		 * each pair (one activation forward, one gradient back, opposite
		 * directions) shows only what exceeds that chunk pair's compute */
		double pair = slot / (double)s->vs, pairs = (double)s->pp_count / 2;
		s->pp_exposed_s = s->slots * pairs * fmax(0, s->pp_s - pair);
	}
	s->ep_exposed_s = s->slots * (double)s->ep_count * s->ep_s;
	if (t->ep_overlap && m > 0 && s->ep_layer_ops > 0) {
		/* combined 1F1B (Megatron-LM --overlap-moe-expert-parallel-comm):
		 * in the steady state a micro-batch's forward runs beside another's
		 * backward, each one's all-to-alls behind the other's compute, so a
		 * paired slot shows only what exceeds the slot's compute.  Unpaired:
		 * the warm-up forwards and cool-down backwards (first stage, in
		 * micro-batches: 2(pp - 1) + (V - 1)·pp chunks of 1/V with V > 1,
		 * pp - 1 without interleaving, one without a pipeline) and the
		 * bubble's slots. */
		double pp = (double)s->pp, vs = (double)s->vs;
		double u = s->pp <= 1 ? 1 : s->vs > 1 ? (2 * (pp - 1) + (vs - 1) * pp) / vs : pp - 1;
		double paired = m > u ? m - u : 0, c = (double)s->ep_count * s->ep_s;
		/* each of a layer pair's all-to-alls beside its phase's compute
		 * (ep_phase_s), which runs on the SMs the all-to-all leaves
		 * (ep_sm_share) while it lasts: a phase takes the all-to-all's
		 * time, or the compute's stretched by that share of it.  The MoE
		 * layer's recomputed forward dispatches and combines again in the
		 * backward's two data-gradient phases. */
		double layers = (double)s->ep_count / (double)s->ep_layer_ops, pair = 0;
		for (int i = 0; i < 4; i++) {
			double n = s->ep_layer_ops > 4 && (i == 1 || i == 3) ? 2 : 1, a = n * s->ep_s;
			pair += fmax(a - s->ep_phase_s[i], a * s->ep_sm_share);
		}
		s->ep_exposed_s = (s->slots - paired) * c + paired * layers * pair;
	}
	/* ring attention: each step hides behind one block of the attention (a
	 * forward block a/cp, a backward block 2.5 a/cp over its two steps) */
	s->cp_exposed_s = 0;
	if (s->cp_count && t->cp_allgather) {
		/* "exposed in the critical path" (Llama 3, sec. 3.3.2) */
		s->cp_exposed_s = s->slots * (double)s->cp_count * s->cp_s;
	} else if (s->cp_count) {
		double cp = (double)s->cp, a = s->attn_fwd_s;
		double n_f = (double)s->cp_count - 2 * lps * (cp - 1);    /* forward steps */
		double ef = fmax(0, s->cp_s - a / cp), eb = fmax(0, s->cp_s - 1.25 * a / cp);
		s->cp_exposed_s = s->slots * (n_f * ef + 2 * lps * (cp - 1) * eb);
	}
	s->dp_exposed_s = s->dp_hidden_s = s->dp_s = 0;
	double tau = s->dp_bucket_s;
	if (s->dp_groups && tau > 0) {
		if (t->zero == LF_ZERO_3) {
			/* per layer per micro-batch: gather before the forward, gather
			 * and reduce-scatter during the backward, prefetched behind the
			 * previous layer's compute; the first gather is exposed */
			double lf = s->mb_fwd_s / lps, lb = s->mb_bwd_s / lps;
			double ef = tau > lf ? tau - lf : 0, eb = 2 * tau > lb ? 2 * tau - lb : 0;
			s->dp_exposed_s = s->slots * lps * (ef + eb) + tau;
			s->dp_s = 3 * tau * lps * m;
		} else {
			/* reduce (all-reduce or reduce-scatter) behind the last
			 * micro-batch's backward on the first stage, which finishes
			 * last; ZeRO-1/2 gather the parameters behind the next forward */
			double vs = (double)s->vs, span = vs > 1 ? ((vs - 1) * (double)s->pp + 1) / vs : 1;
			s->dp_exposed_s = bucket_exposed(s->dp_buckets, tau, s->mb_bwd_s * span);
			s->dp_s = tau * s->dp_buckets;
			if (t->zero >= LF_ZERO_1) {
				/* the parameters gathered at their own precision: a
				 * bucket of gradients reduced in FP32 gathers back in
				 * half the bytes (time scaled by bytes) */
				double ag = t->grad_bytes > 0 && t->act_bytes > 0
				                    ? tau * t->act_bytes / t->grad_bytes : tau;
				s->dp_exposed_s += bucket_exposed(s->dp_buckets, ag, s->mb_fwd_s * span);
				s->dp_s += ag * s->dp_buckets;
			}
		}
		if (t->dp_blocking)   /* dp_comm_overlap: false */
			s->dp_exposed_s = s->dp_s;
		s->dp_hidden_s = s->dp_s - s->dp_exposed_s > 0 ? s->dp_s - s->dp_exposed_s : 0;
	}
	s->comm_exposed_s = s->tp_exposed_s + s->pp_exposed_s + s->ep_exposed_s + s->cp_exposed_s +
	                    s->dp_exposed_s;
	s->step_s = s->pipeline_compute_s + s->comm_exposed_s;
	s->tokens_per_s = s->step_s > 0 ? s->tokens / s->step_s : 0;
	double peak = s->step_s * s->gpu_tflops * 1e12;
	s->mfu = peak > 0 ? s->flops_per_gpu / peak : 0;
	s->hfu = peak > 0 ? s->hw_flops_per_token * s->tokens / (double)s->gpus / peak : 0;
}

/* --------------------------------------------------------------- simulation */

enum { K_TP, K_PP, K_CP, K_EP, K_DP, N_KINDS };
static const char *const kind_names[N_KINDS] = { "tp", "pp", "cp", "ep", "dp" };


typedef struct kind_phases { lfi_vec ph; } kind_phases;   /* uint32_t phase ids */

static lf_status add_phase(kind_phases *k, uint32_t ph, lf_error *err)
{
	uint32_t *p = lfi_vec_push(&k->ph);
	if (!p)
		return lfi_oom(err);
	*p = ph;
	return LF_OK;
}

/* One op of every kind, every group at once, in one simulation: TP, PP,
 * CP, EP and DP traffic contend wherever they share a link. */
static lf_status build_step(lf_sim *sim, const lf_training *tr, const lf_step *s,
                            const int64_t *g, kind_phases *kp, lf_error *err)
{
	int64_t n = s->tp > s->dp ? s->tp : s->dp;
	if (s->cp > n)
		n = s->cp;
	if (s->ep > n)
		n = s->ep;
	int64_t *grp = malloc((size_t)(n + 1) * sizeof *grp);
	if (!grp)
		return lfi_oom(err);
	lf_status st = LF_OK;
	uint32_t ph, rs;
	for (int64_t d = 0; d < s->dp && st == LF_OK; d++)
		for (int64_t p = 0; p < s->pp && st == LF_OK; p++)
			for (int64_t c = 0; c < s->cp && st == LF_OK; c++) {
				if (s->tp_groups) {
					for (int64_t t = 0; t < s->tp; t++)
						grp[t] = g[rank_of(s, t, c, p, d)];
					if (tr->sequence_parallel) {
						st = lf_sim_add_collective(sim, LF_COLL_REDUCESCATTER, LF_ALGO_AUTO,
						                           grp, (size_t)s->tp, s->tp_bytes, NULL, 0,
						                           &rs, err);
						if (st == LF_OK)
							st = lf_sim_add_collective(sim, LF_COLL_ALLGATHER, LF_ALGO_AUTO,
							                           grp, (size_t)s->tp, s->tp_bytes, &rs, 1,
							                           &ph, err);
					} else {
						st = lf_sim_add_collective(sim, LF_COLL_ALLREDUCE, LF_ALGO_AUTO, grp,
						                           (size_t)s->tp, s->tp_bytes, NULL, 0, &ph,
						                           err);
					}
					if (st == LF_OK)
						st = add_phase(&kp[K_TP], ph, err);
				}
				for (int64_t t = 0; s->pp_pairs && p + 1 < s->pp && t < s->tp && st == LF_OK;
				     t++) {
					st = lf_sim_add_transfer(sim, g[rank_of(s, t, c, p, d)],
					                         g[rank_of(s, t, c, p + 1, d)], s->pp_bytes, NULL,
					                         0, &ph, err);
					if (st == LF_OK)
						st = add_phase(&kp[K_PP], ph, err);
				}
			}
	/* CP: one ring-attention step, every rank to the next of its (t, p, d)
	 * ring, or the all-gather of K and V over those ranks */
	for (int64_t d = 0; s->cp_groups && tr->cp_allgather && d < s->dp && st == LF_OK; d++)
		for (int64_t p = 0; p < s->pp && st == LF_OK; p++)
			for (int64_t t = 0; t < s->tp && st == LF_OK; t++) {
				for (int64_t c = 0; c < s->cp; c++)
					grp[c] = g[rank_of(s, t, c, p, d)];
				st = lf_sim_add_collective(sim, LF_COLL_ALLGATHER, LF_ALGO_AUTO, grp,
				                           (size_t)s->cp, s->cp_bytes, NULL, 0, &ph, err);
				if (st == LF_OK)
					st = add_phase(&kp[K_CP], ph, err);
			}
	for (int64_t d = 0; s->cp_groups && !tr->cp_allgather && d < s->dp && st == LF_OK; d++)
		for (int64_t p = 0; p < s->pp && st == LF_OK; p++)
			for (int64_t t = 0; t < s->tp && st == LF_OK; t++)
				for (int64_t c = 0; c < s->cp && st == LF_OK; c++) {
					st = lf_sim_add_transfer(sim, g[rank_of(s, t, c, p, d)],
					                         g[rank_of(s, t, (c + 1) % s->cp, p, d)],
					                         s->cp_bytes, NULL, 0, &ph, err);
					if (st == LF_OK)
						st = add_phase(&kp[K_CP], ph, err);
				}
	/* EP: all-to-all over the ranks of an expert-parallel group (ep_rank):
	 * the EP ranks with the same (et, ed), ETP apart (with expert_tp = tp,
	 * EP consecutive DP ranks of each (t, c)). */
	int64_t per_stage = s->tp * s->cp * s->dp;
	for (int64_t p = 0; s->ep_groups && p < s->pp && st == LF_OK; p++)
		for (int64_t ed = 0; ed < per_stage / (s->ep * s->etp) && st == LF_OK; ed++)
			for (int64_t et = 0; et < s->etp && st == LF_OK; et++) {
				for (int64_t e = 0; e < s->ep; e++)
					grp[e] = g[ep_rank(s, p, ed, et, e)];
				st = lf_sim_add_collective(sim, LF_COLL_ALLTOALL, LF_ALGO_AUTO, grp,
				                           (size_t)s->ep, s->ep_bytes * s->ep_rate_scale,
				                           NULL, 0, &ph, err);
				if (st == LF_OK)
					st = add_phase(&kp[K_EP], ph, err);
			}
	/* DP: one bucket on every DP group (ZeRO-3: one layer's parameters) */
	double bucket = s->dp_buckets > 0 ? s->dp_bytes / s->dp_buckets : 0;
	lf_coll dc = tr->zero == LF_ZERO_0 ? LF_COLL_ALLREDUCE
	           : tr->zero == LF_ZERO_3 ? LF_COLL_ALLGATHER : LF_COLL_REDUCESCATTER;
	for (int64_t p = 0; s->dp_groups && p < s->pp && st == LF_OK; p++)
		for (int64_t c = 0; c < s->cp && st == LF_OK; c++)
			for (int64_t t = 0; t < s->tp && st == LF_OK; t++) {
				for (int64_t d = 0; d < s->dp; d++)
					grp[d] = g[rank_of(s, t, c, p, d)];
				st = lf_sim_add_collective(sim, dc, LF_ALGO_AUTO, grp, (size_t)s->dp, bucket,
				                           NULL, 0, &ph, err);
				if (st == LF_OK)
					st = add_phase(&kp[K_DP], ph, err);
			}
	free(grp);
	return st;
}

/* The longest op of a kind (all started at 0). */
static double kind_time(const lf_sim *sim, const kind_phases *k)
{
	double worst = 0;
	for (size_t i = 0; i < k->ph.len; i++) {
		double a, b;
		lf_sim_phase_times(sim, *LF_VEC_AT(&k->ph, uint32_t, i), &a, &b);
		if (b > worst)
			worst = b;
	}
	return worst;
}

/* The busiest links over the step: a link's utilization over the one
 * simulated op of every kind, scaled by how often the op repeats in a step
 * against how long the step is, attributed to the kind whose op lasted
 * longest among those crossing it (approximation: the simulation does not
 * tell which kind's flows used a link). */
static void step_links(const lf_step *s, const lf_sim *sim, double sim_t, lf_sim_report *r)
{
	lf_link_use top[8];
	size_t n = lf_sim_top_links(sim, top, 8);
	/* the step repeats this window about busy_s / sim_t times */
	double reps[N_KINDS] = { s->slots * (double)s->tp_count, s->slots * (double)s->pp_count,
	                         s->slots * (double)s->cp_count, s->slots * (double)s->ep_count,
	                         s->dp_buckets * (double)(s->dp_count ? s->dp_count : 1) };
	double times[N_KINDS] = { s->tp_s, s->pp_s, s->cp_s, s->ep_s, s->dp_bucket_s };
	int longest = 0;
	for (int k = 1; k < N_KINDS; k++)
		if (times[k] > times[longest])
			longest = k;
	r->n_top = n;
	for (size_t i = 0; i < n; i++) {
		double busy = top[i].utilization * sim_t * reps[longest];
		r->top[i] = top[i];
		r->top[i].bytes *= reps[longest];
		r->top[i].utilization = s->step_s > 0 ? fmin(1, busy / s->step_s) : 0;
		r->top_during[i] = kind_names[longest];
	}
}

lf_status lfi_training_run(const lf_plan *pl, const lf_workload *wl, const lf_sim_config *cfg0,
                           const int64_t *g, size_t n, lf_sim_progress_fn progress, void *ctx,
                           lf_sim_report *r, lf_error *err)
{
	const lf_training *tr = &wl->training;
	lf_step *s = &r->step;
	LF_TRY(lf_training_derive(tr, wl->file, (int64_t)n, pl->spec->server, s, err));
	r->has_step = 1;
	int G = pl->spec->server->gpus;
	if (s->tp > G || G % s->tp != 0) {
		size_t len = strlen(r->notes);
		snprintf(r->notes + len, sizeof r->notes - len,
		         "%stp = %lld does not fit the %d GPUs of a server: tensor-parallel "
		         "traffic crosses the network", len ? "; " : "", (long long)s->tp, G);
	}
	if (s->mem.capacity_b > 0 && s->mem.total_b > s->mem.capacity_b) {
		size_t len = strlen(r->notes);
		snprintf(r->notes + len, sizeof r->notes - len,
		         "%sthe step needs %.1f GiB per GPU (stage %lld), more than the GPU's %.0f GiB: "
		         "recompute (recompute_modules, full), offload_layers, more tp or pp, or a "
		         "smaller micro_batch", len ? "; " : "", s->mem.total_b / (1 << 30),
		         (long long)s->mem.stage, s->mem.capacity_b / (1 << 30));
	}
	lf_sim_config cfg = *cfg0;
	lfi_sim_prog pc = { 0 };
	lfi_sim_progress_setup(&cfg, progress, ctx, &pc);
	if (progress) {
		lf_sim_progress *p = &pc.p;
		p->item = 0;
		p->n_items = 1;
		p->what = "training step: tp, pp, cp, ep and dp traffic together";
	}
	kind_phases kp[N_KINDS];
	for (int k = 0; k < N_KINDS; k++)
		lfi_vec_init(&kp[k].ph, sizeof(uint32_t));
	lf_sim *sim = NULL;
	lf_status st = lf_sim_new(pl, &cfg, &sim, err);
	if (st == LF_OK)
		st = build_step(sim, tr, s, g, kp, err);
	double t = 0;
	if (st == LF_OK && (s->tp_groups || s->pp_pairs || s->cp_groups || s->ep_groups ||
	                    s->dp_groups))
		st = lf_sim_run(sim, &t, err);
	if (st == LF_OK) {
		s->tp_s = kind_time(sim, &kp[K_TP]);
		s->pp_s = kind_time(sim, &kp[K_PP]);
		s->cp_s = kind_time(sim, &kp[K_CP]);
		s->ep_s = kind_time(sim, &kp[K_EP]);
		s->dp_bucket_s = kind_time(sim, &kp[K_DP]);
		lf_step_finish(tr, s);
		r->events += lf_sim_events(sim);
		r->flows += lf_sim_flows(sim);
		if (t > 0)
			step_links(s, sim, t, r);
	}
	lf_sim_free(sim);
	for (int k = 0; k < N_KINDS; k++)
		lfi_vec_release(&kp[k].ph);
	return st;
}
