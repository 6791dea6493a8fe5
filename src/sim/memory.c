/*
 * memory.c — the memory one GPU needs in a training step, at its peak,
 * on the pipeline stage that needs the most: the model state its ZeRO
 * stage leaves it and the activations its schedule keeps in flight.
 *
 * Model state, per parameter of the stage on this rank (the stage's
 * layers / TP, routed experts / (EP · expert TP), the embedding on the
 * first stage and the output layer on the last, each V·h/TP):
 *     weights     2 bytes (16-bit; ZeRO-3: a 1/DP shard, plus the two
 *                 layers gathered at a time, the current and the prefetched)
 *     gradients   grad_precision (Megatron-LM's FP32 main gradients: 4);
 *                 ZeRO-2/3 a 1/DP shard
 *     optimizer   Adam's FP32 master copy and two moments, 12 bytes (8 when
 *                 the model itself is FP32); ZeRO-1 and up a 1/DP shard
 * with DP the data-parallel replicas of the parameter (dense: DP · CP,
 * Megatron-LM's distributed optimizer shards over both; experts: their
 * replicas, TP · CP · DP / (EP · expert TP)).
 *
 * Activations saved for the backward, per token of a rank (b·s/CP tokens a
 * micro-batch), per layer, counted tensor by tensor as Korthikanti et al.
 * 2022 ("Reducing Activation Recomputation in Large Transformer Models",
 * sec. 4.1) do, with flash attention (no s × s scores: the softmax's
 * statistics, 4 bytes a head) and without dropout (modern recipes set it
 * to 0; a dropout mask would add 1 byte an element; `attention: unfused`
 * keeps the s × s scores too, Korthikanti et al.'s 5·a·s²·b/t):
 *     attention  the norm's input and output (h each), Q, K, V (a·d_qk +
 *                kv·(d_qk + d_v), per TP rank), the attention output (a·d_v),
 *                the second norm's input (h); MLA: the two latents, before
 *                and after their norms
 *     MLP        its input (h), the first GEMM's output (f, 2f gated), the
 *                activation's output (f)
 *     MoE        the router's input (h) and its FP32 scores (E); per routed
 *                copy the expert's input and output (h each), its first
 *                GEMM's output and its activation; shared experts as an MLP
 * h-sized tensors are split by TP with sequence parallelism (else every TP
 * rank holds them whole); the others by TP.  16-bit, except that in FP8
 * runs a GEMM's saved input is its FP8 copy (Transformer Engine keeps the
 * quantized tensor for the weight gradient): 1 byte.  For GPT-3's shapes
 * (f = 4h, a·d = h, 16-bit) this is 32·h per token with sequence
 * parallelism over TP: Korthikanti et al.'s 34·s·b·h/t less their two
 * dropout masks.  Selective recomputation (the attention core) saves no
 * memory here: flash attention never stores what it recomputes.  Full
 * recomputation keeps each recomputed layer's input (h; recompute_layers
 * of each chunk, or all) and one layer's activations while it is
 * recomputed.
 *
 * Micro-batches in flight on stage i of PP (Megatron-LM's 1F1B warm-up,
 * megatron/core/pipeline_parallel/schedules.py): PP − i, at most m; with V
 * virtual stages, (PP − i − 1)·2 + (V − 1)·PP + 1 model chunks of 1/V of the
 * stage's layers (at most m·V).  The last stage also holds one
 * micro-batch's logits and their FP32 softmax (V/TP per token, 2 + 4
 * bytes).
 */
#include <math.h>
#include <string.h>

#include "compute.h"

/* Bytes saved for the backward per token of one layer on one rank. */
static double layer_act(const lf_training *t, int moe)
{
	double tp = cm_or(t->tp, 1), sp = t->sequence_parallel ? tp : 1;
	double h = (double)t->hidden;
	double a = cm_heads(t);
	double kv = cm_or(t->kv_heads, a), f = cm_or(t->ffn_hidden, 4 * h), gm = t->gated ? 2 : 1;
	bool fp8 = t->precision && strcmp(t->precision, "fp8") == 0;
	double ab = 2, ai = fp8 ? 1 : 2;
	unsigned rm = lf_training_recomputed(t);
	/* a norm's output is the next GEMM's input: gone when the norms are
	 * recomputed */
	double norm_out = rm & LF_RC_LAYERNORM ? 0 : h * ai / sp;
	double qk, dv;
	cm_head_dims(t, &qk, &dv);
	double x = h * ab / sp + norm_out;             /* the norm's input and output */
	if (t->kv_lora_rank > 0) {
		double lat = (double)(t->q_lora_rank + t->kv_lora_rank + t->rope_head_dim);
		x += lat * (ab + ai);
		if (!(rm & LF_RC_MLA_UP))
			x += a / tp * (2 * qk + dv) * ab;
	} else {
		/* KV heads split by TP, or each rank one when TP exceeds them */
		x += (a / tp * qk + fmax(kv / tp, 1) * (qk + dv)) * ab;
	}
	/* the attention output (the projection's input in 16 bits) and the
	 * softmax statistics; recomputing the core keeps neither, but a
	 * 16-bit projection still holds its input */
	if (!(rm & LF_RC_CORE_ATTN))
		x += a / tp * (dv * ab + 4);
	else if (!fp8)
		x += a / tp * dv * ab;
	/* unfused attention writes the scores: their softmax (16-bit), the
	 * dropout mask (1 byte) and output (16-bit) for each of s keys, a·s/TP a
	 * token (Korthikanti et al.'s 5·a·s/h term), unless recomputed */
	if (t->unfused_attention && !(rm & LF_RC_CORE_ATTN))
		x += a / tp * (double)t->seq_len * 5;
	if (fp8)
		x += a / tp * dv * ai;                 /* the projection's FP8 input */
	x += h * ab / sp;                              /* the second norm's input */
	if (!moe)
		return x + norm_out + (rm & LF_RC_MLP ? 0 : (gm * ab + ai) * f / tp);
	double E = (double)t->experts, fe = cm_or(t->moe_ffn_hidden, f);
	double cf = t->capacity_factor > 0 ? t->capacity_factor : 1;
	double etp = cm_or(t->expert_tp, tp);
	x += rm & LF_RC_LAYERNORM ? 0 : h * ab / sp;   /* the router's input */
	if (rm & LF_RC_MOE)
		return x;
	x += E * 4 / sp;                               /* the router's scores */
	double copies = (double)t->top_k * cf * etp / tp;
	x += copies * (h * (ai + ab) + (gm * ab + (rm & LF_RC_MOE_ACT ? 0 : ai)) * fe / etp);
	if (t->shared_experts > 0 && !(rm & LF_RC_SHARED)) {
		double fs = fe * (double)t->shared_experts;
		x += (fp8 ? h * ai / sp : 0) + (gm * ab + ai) * fs / tp;
	}
	return x;
}

/* Micro-batches in flight on stage i, in the stage's layers' worth. */
static double in_flight(int64_t pp, int64_t vs, int64_t m, int64_t i)
{
	if (pp == 1)
		return 1;
	if (vs == 1)
		return fmin((double)(pp - i), (double)m);
	double chunks = (double)((pp - i - 1) * 2 + (vs - 1) * pp + 1);
	return fmin(chunks, (double)(m * vs)) / (double)vs;
}

/* One stage (the MoE share of its layers spread evenly). */
static void stage_memory(const lf_training *t, const lf_step *s, const cm_stage *st,
                         lf_step_memory *o)
{
	double tp = (double)s->tp, L = (double)t->layers, layers = st->layers;
	double Lm = t->experts > 0 ? L - (double)t->dense_layers : 0, Ld = L - Lm;
	double dd, de, md = 0, me = 0;
	cm_layer_params(t, 0, &dd, &de);
	if (t->experts > 0)
		cm_layer_params(t, 1, &md, &me);
	double h = (double)t->hidden, V = (double)t->vocab;
	double pd = layers * (Ld / L * dd + Lm / L * md) / tp + st->ends * V * h / tp;
	double pe = layers * Lm / L * me / (double)(s->ep * s->etp);
	double ddp = (double)(s->dp * s->cp);
	double edp = (double)(s->tp * s->cp * s->dp) / (double)(s->ep * s->etp);
	double shard = pd / ddp + pe / edp, whole = pd + pe;
	memset(o, 0, sizeof *o);
	o->stage = st->index;
	o->weights_b = 2 * (t->zero == LF_ZERO_3 ? shard : whole);
	if (t->zero == LF_ZERO_3 && layers > 0)
		o->weights_b += 2 * 2 * (pd + pe) / layers;
	o->grads_b = (double)t->grad_bytes * (t->zero >= LF_ZERO_2 ? shard : whole);
	o->optimizer_b = (t->act_bytes == 4 ? 8 : 12) * (t->zero >= LF_ZERO_1 ? shard : whole);

	double T = cm_or(t->micro_batch, 1) * (double)t->seq_len / (double)s->cp;
	double per_layer = Ld / L * layer_act(t, 0) + Lm / L * (t->experts > 0 ? layer_act(t, 1) : 0);
	o->act_layer_b = T * per_layer;
	o->inflight = in_flight(s->pp, s->vs, s->micro_batches, st->index);
	if (t->recompute == LF_RECOMPUTE_FULL) {
		/* recomputed layers keep their input; the others all they save */
		double sp = t->sequence_parallel ? tp : 1;
		double rc = cm_full_share(t, layers) * layers;
		o->activations_b = o->inflight * (rc * T * h * 2 / sp + (layers - rc) * o->act_layer_b) +
		                   (rc > 0 ? o->act_layer_b : 0);
	} else {
		/* offloaded layers wait in host memory; one layer's worth stages
		 * the transfers */
		double off = fmin((double)t->offload_layers, layers);
		o->offloaded_b = off * o->act_layer_b;
		o->activations_b = o->inflight * (layers - off) * o->act_layer_b +
		                   (off > 0 ? o->act_layer_b : 0);
	}
	o->logits_b = st->logits * T * V / tp * (2 + 4);
	o->total_b = o->weights_b + o->grads_b + o->optimizer_b + o->activations_b + o->logits_b;
}

void cm_memory(const lf_training *t, const lf_step *s, const cm_stage *stages, size_t n,
               double hbm_gb, lf_step_memory *out)
{
	lf_step_memory best, m;
	memset(&best, 0, sizeof best);
	for (size_t i = 0; i < n; i++) {
		stage_memory(t, s, &stages[i], &m);
		if (i == 0 || m.total_b > best.total_b)
			best = m;
	}
	best.capacity_b = hbm_gb * 1024 * 1024 * 1024;
	*out = best;
}
