/*
 * compute.c — how long a transformer layer's work takes on one GPU, from
 * its shapes: every GEMM of the layer timed on a roofline of tensor-core
 * peak against memory bandwidth, with tile and wave quantization.
 *
 * A GEMM C[m×n] = A[m×k]·B[k×n] (2·m·n·k FLOPs) runs as tiles of C, one
 * tile per SM at a time (NVIDIA, "Matrix Multiplication Background User's
 * Guide", DU-09799-001: tile and wave quantization):
 *     tiles = ⌈m/Tm⌉·⌈n/Tn⌉ · batch,   waves = ⌈tiles / SMs⌉
 *     compute = waves · 2·Tm·Tn·k / (peak · share · e_tile / SMs)
 *     memory  = (m·k + k·n + m·n) · bytes · batch / (HBM · HBM_SHARE)
 *     time    = KERNEL_S + max(compute, memory)
 * over the tile shapes below, the fastest (cuBLAS picks its tile by shape).
 * `share` is the best-shape GEMM throughput measured on that GPU (catalog
 * gemm_share), so a large square GEMM comes out at share·peak and smaller
 * or thin ones lose to partial tiles, partial waves, memory and the fixed
 * kernel time.
 *
 * Calibration (shared/reference/sim-validation.md section 4): KERNEL_S,
 * HBM_SHARE and the small-tile efficiencies were fitted once, by least
 * squares over a small grid, to the 21 published points (H100 BF16 XLA
 * table, A100 FP16 and H100 FP8 cuBLASLt on Azure), with each GPU's
 * gemm_share from its catalog entry.  The model is within 10% of 19 of
 * them; the misses are A100 2048³ (−13.7%: 256 tiles of 128² on 108 SMs
 * make 3 waves; cuBLAS finds a better split) and A100 802816×192×768
 * (+18.6%, a thin memory-bound shape).  tests/test_workload.c
 * (test_gemm_section4) checks every point.
 *
 * Layer (Megatron-LM, Shoeybi et al. 2019), per rank of a TP×CP group, for
 * b sequences of s tokens: T = b·s/CP tokens, d = h/heads:
 *     QKV          T × (heads + 2·kv_heads)·d/TP × h; MLA (DeepSeek-V3):
 *                  the down projections T × q_lora_rank × h and
 *                  T × (kv_lora_rank + rope) × h on every TP rank, the up
 *                  projections split by heads
 *     attention    flash-attention style (Dao 2022): QKᵀ and PV per head,
 *                  never written to memory, causal (half the tiles), at
 *                  the measured flash-attention share of the GEMM ceiling
 *                  (ATTN_FWD, ATTN_BWD); backward 2.5× the forward's FLOPs
 *                  (it recomputes QKᵀ and P); Q, K, V, O streamed
 *     projection   T × h × heads·d_v/TP
 *     MLP          T × f·(2 if gated)/TP × h, then T × h × f/TP; MoE: the
 *                  routed tokens over the rank's E/EP experts at 1/ETP of
 *                  their width, plus shared experts as a dense MLP
 *     vocabulary   T × V/TP × h on the last stage, and the loss in FP32
 * Backward of a GEMM is two GEMMs (dX = dY·Wᵀ: m × k × n; dW = Xᵀ·dY:
 * k × n × m, accumulated into FP32 main gradients).  With tp_comm_overlap
 * the dense block's GEMMs run as Transformer Engine's userbuffers split
 * them (UB_*).  Memory-bound work (2 layer norms, 2 residual adds with
 * dropout, the activation function, MoE token permutation) streams its
 * bytes at HBM · HBM_SHARE: forward 11·h activations per token (÷TP with
 * sequence parallelism, else every TP rank repeats it) + 2 or 3 of f/TP,
 * backward twice that.  Recomputation adds the layer's forward (full) or
 * the attention core's forward (selective) to the backward.
 */
#include <math.h>

#include "compute.h"

#define KERNEL_S 5e-6        /* fixed time per GEMM kernel (fit, section 4) */
#define HBM_SHARE 0.6        /* of HBM bandwidth a memory-bound kernel gets (fit) */
#define DEFAULT_SHARE 0.8    /* gemm_share when the catalog has none [U] */

/* Flash attention's throughput against the GPU's GEMM ceiling (peak ·
 * gemm_share): FlashAttention-3 paper (Shah et al. 2024, arXiv 2407.08608,
 * figures for H100 SXM5, head size 128, sequence 4k; transcribed [S]),
 * cuDNN's kernel: causal forward 518 TFLOPS (causal FLOPs counted at half),
 * = 0.652 of H100's 794.5 best-shape BF16 GEMM; backward (2.5 × the forward
 * FLOPs) 499 TFLOPS non-causal, × 518/609 (the causal / non-causal ratio
 * of the forward) = 415 TFLOPS = 0.522 causal.  One figure per pass for
 * every GPU: the kernels' share of the GEMM ceiling, not a per-row fit. */
#define ATTN_FWD 0.652
#define ATTN_BWD 0.522

/* Tensor-parallel communication overlapped with the GEMMs (Transformer
 * Engine userbuffers, the defaults of initialize_ub in
 * transformer_engine/pytorch/module/base.py): an all-gather overlapped by
 * ring exchange splits its GEMM into TP pieces of T/TP rows (copy engine,
 * no SMs taken); a pipelined reduce-scatter splits it into 4 pieces and a
 * bulk overlap runs beside it, each on 16 SMs taken from the GEMM. */
#define UB_SMS 16
#define UB_SPLITS 4

/* FP8 GEMMs take FP8 operands, and Transformer Engine quantizes each one
 * from the 16-bit tensor its producer wrote (transformer_engine/pytorch/
 * module/linear.py, grouped_linear.py: the input forward, the output
 * gradient backward): a memory-bound kernel reading 2 bytes and writing
 * the FP8 copy twice — row-wise for the GEMM, column-wise (transposed) for
 * the weight gradient — 4 bytes an element.  Where the producer writes FP8
 * itself the cast is fused and costs nothing extra: Megatron-LM's
 * TELayerNormColumnParallelLinear (QKV, the dense MLP's first GEMM, MLA's
 * up projections) quantizes in the norm kernel.  Every other FP8 operand
 * pays it: the output projection's and the second MLP GEMM's inputs (the
 * attention core and the activation write 16 bits), the routed and
 * shared experts' inputs (the permutation and the MoE layer's own norm
 * write 16 bits), MLA's down projections, and every output gradient. */
#define CAST_BYTES 4

typedef enum cast { CAST_NONE, CAST_DY, CAST_BOTH } cast;

static const struct tile { double m, n, eff; } tiles[] = {
	{ 256, 128, 1.0 }, { 128, 128, 1.0 }, { 128, 64, 0.7 }, { 64, 64, 0.5 },
};

double cm_gemm_share(const cm_gpu *g)
{
	return g->gemm_share > 0 ? g->gemm_share : DEFAULT_SHARE;
}

double cm_sustained(const cm_gpu *g)
{
	return g->sustained > 0 ? g->sustained : 1;
}

/* c_bytes: bytes of each element of C read and written (0: written once
 * at the input precision) */
static double gemm_time(const cm_gpu *g, double batch, double m, double n, double k,
                        double c_bytes)
{
	if (batch <= 0 || m <= 0 || n <= 0 || k <= 0)
		return 0;
	double share = cm_gemm_share(g) * cm_sustained(g);
	int sms = g->sms > 0 ? g->sms : 1;
	double per_sm = g->peak_flops * share / sms;
	double cb = c_bytes > 0 ? c_bytes : g->elem_bytes;
	double mem = g->hbm_bytes_s > 0 ? ((m * k + k * n) * g->elem_bytes + m * n * cb) * batch /
	                                           (g->hbm_bytes_s * HBM_SHARE)
	                                : 0;
	double best = INFINITY;
	for (size_t i = 0; i < LF_ARRAY_LEN(tiles); i++) {
		const struct tile *tl = &tiles[i];
		double n_tiles = ceil(m / tl->m) * ceil(n / tl->n) * batch;
		double waves = g->sms > 0 ? ceil(n_tiles / sms) : n_tiles;
		double c = waves * 2 * tl->m * tl->n * k / (per_sm * tl->eff);
		double t = KERNEL_S + (c > mem ? c : mem);
		if (t < best)
			best = t;
	}
	return best;
}

double cm_gemm_s(const cm_gpu *g, double batch, double m, double n, double k)
{
	return gemm_time(g, batch, m, n, k, 0);
}

double cm_stream_s(const cm_gpu *g, double bytes)
{
	return g->hbm_bytes_s > 0 ? bytes / (g->hbm_bytes_s * HBM_SHARE) : 0;
}

/* An all-to-all's kernels run on SMs of their own: Megatron-LM's DeepEP
 * dispatcher takes 20 (moe_deepep_num_sms, megatron/core/transformer/
 * transformer_config.py), as DeepSeek-V3 dedicated 20 of the H800's 132
 * to its all-to-alls (arXiv 2412.19437 sec. 3.2.1); HybridEP's default is
 * 16-24 and NCCL's channel count is not stated: 20 for all. */
#define A2A_SMS 20

double cm_a2a_sm_share(const cm_gpu *g)
{
	return g->sms > A2A_SMS ? (double)A2A_SMS / g->sms : 0;
}

/* How a GEMM shares the GPU with overlapped TP communication. */
typedef enum ub { UB_NONE, UB_RING, UB_PIPE, UB_BULK } ub;

static double gemm_ub(const cm_gpu *g, double m, double n, double k, double c_bytes, ub o,
                      double tp)
{
	cm_gpu r = *g;
	if ((o == UB_PIPE || o == UB_BULK) && g->sms > UB_SMS) {
		r.sms = g->sms - UB_SMS;
		r.peak_flops = g->peak_flops * r.sms / g->sms;
	}
	switch (o) {
	case UB_RING:
		return tp * gemm_time(g, 1, m / tp, n, k, c_bytes);
	case UB_PIPE:
		return UB_SPLITS * gemm_time(&r, 1, m / UB_SPLITS, n, k, c_bytes);
	case UB_BULK:
		return gemm_time(&r, 1, m, n, k, c_bytes);
	default:
		return gemm_time(g, 1, m, n, k, c_bytes);
	}
}

/* The FP8 casts of one GEMM's operands (CAST_BYTES): x elements of its
 * input forward (CAST_BOTH), dy of its output gradient backward. */
static void fp8_casts(const cm_gpu *g, cast q, double x, double dy, cm_times *c)
{
	if (g->elem_bytes != 1 || q == CAST_NONE)
		return;
	double f = q == CAST_BOTH ? cm_stream_s(g, x * CAST_BYTES) : 0;
	double b = cm_stream_s(g, dy * CAST_BYTES);
	c->fwd_s += f;
	c->bwd_s += b;
	c->elem_s += f + b;
	c->cast_fwd_s += f;
}

/* Forward and backward of one GEMM (m x n x k), added to *c.  Backward:
 * dX = dY·Wᵀ (m x k x n) and dW = Xᵀ·dY (k x n x m), dW accumulated into
 * the FP32 main gradient (Megatron-LM's gradient-accumulation fusion: C
 * read and written in FP32, 8 bytes an element). */
static void gemm_fb(const cm_gpu *g, double batch, double m, double n, double k, cast q,
                    cm_times *c)
{
	double f = cm_gemm_s(g, batch, m, n, k);
	double w = gemm_time(g, batch, k, n, m, 8);
	double b = cm_gemm_s(g, batch, m, k, n) + w;
	c->fwd_s += f;
	c->bwd_s += b;
	c->gemm_s += f + b;
	c->wgrad_s += w;
	fp8_casts(g, q, batch * m * k, batch * m * n, c);
}

/* A tensor-parallel linear layer of the dense block, with the overlap its
 * three GEMMs get under tp_comm_overlap (column-parallel: forward by ring
 * exchange, dgrad and wgrad bulk; row-parallel: forward pipelined, dgrad
 * by ring exchange, wgrad plain). */
static void linear(const cm_gpu *g, const lf_training *t, double m, double n, double k,
                   bool row, cast q, cm_times *c)
{
	double tp = (double)(t->tp > 0 ? t->tp : 1);
	/* with sequence parallelism a column-parallel GEMM's input and a
	 * row-parallel one's output gradient are cast split by sequence,
	 * before they are gathered */
	double sp = t->sequence_parallel ? tp : 1;
	fp8_casts(g, q, m * k / (row ? 1 : sp), m * n / (row ? sp : 1), c);
	if (!t->tp_overlap || tp <= 1) {
		gemm_fb(g, 1, m, n, k, CAST_NONE, c);
		return;
	}
	double f = gemm_ub(g, m, n, k, 0, row ? UB_PIPE : UB_RING, tp);
	double w = gemm_ub(g, k, n, m, 8, row ? UB_NONE : UB_BULK, tp);
	double b = gemm_ub(g, m, k, n, 0, row ? UB_RING : UB_BULK, tp) + w;
	c->fwd_s += f;
	c->bwd_s += b;
	c->gemm_s += f + b;
	c->wgrad_s += w;
}

double cm_or(int64_t v, double dflt)
{
	return v > 0 ? (double)v : dflt;
}

/* The forward of a recomputable module (LF_RC_*): its GEMMs and its
 * memory-bound work (FP8 casts included). */
typedef struct part { double gemm, elem; } part;

/* What the forward added to c since `before`, as a part. */
static part since(const cm_times *before, const cm_times *c)
{
	double casts = c->cast_fwd_s - before->cast_fwd_s;
	part p = { c->fwd_s - before->fwd_s - casts, casts };
	return p;
}

/* The recomputed module's forward added to the backward. */
static void recompute(cm_times *c, part p)
{
	c->bwd_s += p.gemm + p.elem;
	c->gemm_s += p.gemm;
	c->elem_s += p.elem;
}

/* A recomputed part of the experts node: in the backward and in its
 * share of it (exp_bwd_s). */
static void recompute_experts(cm_times *c, part p)
{
	recompute(c, p);
	c->exp_bwd_s += p.gemm + p.elem;
}

/* Head count: given, or h / 128 (the common head size). */
double cm_heads(const lf_training *t)
{
	double h = (double)t->hidden;
	return t->heads > 0 ? (double)t->heads : fmax(1, floor(h / 128));
}

/* Head size: given, or h / heads. */
static double head_dim_of(const lf_training *t)
{
	return t->head_dim > 0 ? (double)t->head_dim : (double)t->hidden / cm_heads(t);
}

void cm_head_dims(const lf_training *t, double *qk, double *v)
{
	double dh = head_dim_of(t);
	*qk = t->kv_lora_rank > 0 ? dh + (double)t->rope_head_dim : dh;
	*v = t->kv_lora_rank > 0 && t->v_head_dim > 0 ? (double)t->v_head_dim : dh;
}

/* Weights of the attention block.  MLA (DeepSeek-V3, Megatron-LM's
 * MLASelfAttention): queries h -> q_lora_rank -> heads·(head_dim + rope)
 * (or straight from h without q_lora_rank), keys and values h ->
 * kv_lora_rank + rope -> heads·(head_dim + v_head_dim), output heads·v ->
 * h.  Otherwise Q, K, V (grouped-query heads) and the output. */
static double attn_weights(const lf_training *t)
{
	double h = (double)t->hidden, a = cm_heads(t), dh = head_dim_of(t);
	if (t->kv_lora_rank > 0) {
		double qk, v, qr = (double)t->q_lora_rank, kvr = (double)t->kv_lora_rank;
		cm_head_dims(t, &qk, &v);
		return (qr > 0 ? h * qr + qr * a * qk : h * a * qk) +
		       h * (kvr + (double)t->rope_head_dim) + kvr * a * (dh + v) + a * v * h;
	}
	double kv = cm_or(t->kv_heads, a);
	return h * (a + 2 * kv) * dh + a * dh * h;
}

/* Keys a query attends, averaged over the layers: non-causal as the model
 * FLOPs count them (the whole sequence; with a window, the window), or as
 * flash attention computes them, causal (s/2 on average; in a window of w,
 * w - w²/2s: the band, less its triangle at the start). */
static double attn_keys(const lf_training *t, bool causal)
{
	double s = (double)t->seq_len, w = (double)t->attention_window, sh = t->window_share;
	double full = causal ? s / 2 : s;
	if (w <= 0 || w >= s || sh <= 0)
		return full;
	double band = causal ? w - w * w / (2 * s) : w;
	return sh * band + (1 - sh) * full;
}

double cm_attn_core_flops(const lf_training *t)
{
	double qk, v;
	cm_head_dims(t, &qk, &v);
	return 2 * attn_keys(t, false) * cm_heads(t) * (qk + v);
}

double cm_layer_fwd_flops(const lf_training *t, int moe)
{
	double h = (double)t->hidden;
	double f = cm_or(t->ffn_hidden, 4 * h), gm = t->gated ? 3 : 2;
	double attn_w = attn_weights(t);
	double mlp_w;
	if (moe) {
		double fe = cm_or(t->moe_ffn_hidden, f);
		mlp_w = gm * h * fe * ((double)t->top_k + (double)t->shared_experts) +
		        h * (double)t->experts;
	} else {
		mlp_w = gm * h * f;
	}
	/* 2 FLOPs per weight per token; attention scores + values 2·2·s·(a·d) */
	return 2 * (attn_w + mlp_w) + cm_attn_core_flops(t);
}

unsigned lf_training_recomputed(const lf_training *t)
{
	if (t->recompute != LF_RECOMPUTE_SELECTIVE)
		return 0;
	return t->recompute_modules ? t->recompute_modules : LF_RC_CORE_ATTN;
}

double cm_full_share(const lf_training *t, double layers)
{
	if (t->recompute != LF_RECOMPUTE_FULL)
		return 0;
	if (t->recompute_layers <= 0 || layers <= 0)
		return 1;
	double vs = t->virtual_stages > 0 ? (double)t->virtual_stages : 1;
	return fmin(1, (double)t->recompute_layers * vs / layers);
}

double cm_recompute_flops(const lf_training *t, int moe)
{
	if (t->recompute == LF_RECOMPUTE_FULL)
		return cm_layer_fwd_flops(t, moe) *
		       cm_full_share(t, (double)t->layers / (double)(t->pp > 0 ? t->pp : 1));
	unsigned rm = lf_training_recomputed(t);
	double h = (double)t->hidden, a = cm_heads(t), dh = head_dim_of(t);
	double f = cm_or(t->ffn_hidden, 4 * h), gm = t->gated ? 3 : 2;
	double fe = cm_or(t->moe_ffn_hidden, f), x = 0;
	if (rm & LF_RC_CORE_ATTN)
		x += cm_attn_core_flops(t);
	if ((rm & LF_RC_MLA_UP) && t->kv_lora_rank > 0) {
		double qk, dv, qr = (double)t->q_lora_rank;
		cm_head_dims(t, &qk, &dv);
		x += 2 * ((qr > 0 ? qr : h) * a * qk + (double)t->kv_lora_rank * a * (dh + dv));
	}
	if (!moe && (rm & LF_RC_MLP))
		x += 2 * gm * h * f;
	if (moe && (rm & LF_RC_MOE))
		x += 2 * (h * (double)t->experts +
		          gm * h * fe * ((double)t->top_k + (double)t->shared_experts));
	else if (moe && (rm & LF_RC_SHARED))
		x += 2 * gm * h * fe * (double)t->shared_experts;
	return x;
}

void cm_layer(const cm_gpu *g, const cm_gpu *ga, const lf_training *t, int moe,
              cm_times *out)
{
	cm_times c = { 0 };
	double tp = (double)(t->tp > 0 ? t->tp : 1), cp = (double)(t->cp > 0 ? t->cp : 1);
	double ep = (double)(t->ep > 0 ? t->ep : 1);
	double h = (double)t->hidden, s = (double)t->seq_len, b = (double)t->micro_batch;
	double a = cm_heads(t), dh = head_dim_of(t), kv = cm_or(t->kv_heads, a);
	double f = cm_or(t->ffn_hidden, 4 * h), gm = t->gated ? 2 : 1;
	double T = b * s / cp;
	double ab = 2;   /* memory-bound work runs on 16-bit activations */

	double qk, dv;
	cm_head_dims(t, &qk, &dv);
	/* the forward of each recomputable module (LF_RC_*) */
	part mla_up = { 0 }, mlp = { 0 }, moe_all = { 0 }, shared = { 0 }, act = { 0 }, norms;
	cm_times at;
	if (t->kv_lora_rank > 0) {
		/* MLA: the down projections are replicated on every TP rank
		 * (Megatron-LM: parallel_mode "duplicated"), the up projections
		 * split by heads */
		double qr = (double)t->q_lora_rank, kvr = (double)t->kv_lora_rank;
		if (qr > 0) {
			gemm_fb(g, 1, T, qr, h, CAST_BOTH, &c);
			at = c;
			linear(g, t, T, a * qk / tp, qr, false, CAST_DY, &c);
		} else {
			at = c;
			linear(g, t, T, a * qk / tp, h, false, CAST_BOTH, &c);
		}
		part q = since(&at, &c);
		gemm_fb(g, 1, T, kvr + (double)t->rope_head_dim, h, CAST_BOTH, &c);
		at = c;
		linear(g, t, T, a * (dh + dv) / tp, kvr, false, CAST_DY, &c);
		mla_up = since(&at, &c);
		mla_up.gemm += q.gemm;
		mla_up.elem += q.elem;
	} else {
		linear(g, t, T, (a + 2 * kv) * dh / tp, h, false, CAST_DY, &c);  /* QKV */
	}
	double hb = b * a / tp;
	if (t->unfused_attention) {
		/* QKᵀ written out in full, a fused scale-mask-softmax and a dropout
		 * each reading and writing the s/CP × s scores (+ a 1-byte mask),
		 * then PV; backward: twice the GEMMs and the memory passes */
		double sc = hb * (s / cp) * s;
		double q = cm_gemm_s(ga, hb, s / cp, s, dh), v = cm_gemm_s(ga, hb, s / cp, dh, s);
		double mem = cm_stream_s(g, sc * (4 * ab + 1));
		c.attn_fwd_s = q + v + mem;
		c.fwd_s += c.attn_fwd_s;
		c.bwd_s += 2 * c.attn_fwd_s;
		c.attn_s += 3 * c.attn_fwd_s;
	} else {
		/* flash attention, causal: each of a/TP heads, s/CP queries against
		 * s keys, half the tiles masked out (with a sliding window, the band
		 * of w keys before each query); two GEMM-shaped products whose
		 * scores stay on chip (no memory term), at the attention kernels'
		 * share of the GEMM ceiling (ATTN_FWD, ATTN_BWD) at the attention's
		 * precision — 16-bit in FP8 training too: Transformer Engine runs
		 * DotProductAttention in FP8 only with fp8_dot_product_attention,
		 * off by default in Megatron-LM and Megatron-Bridge
		 * (training/mixed_precision.py) and in the performance configs of
		 * the validation rows' releases; Q, K, V, O read or written once
		 * forward, twice backward; backward 2.5 × the forward's FLOPs (it
		 * recomputes QKᵀ and P) */
		cm_gpu on_chip = *ga;
		on_chip.hbm_bytes_s = 0;
		double keys = attn_keys(t, true);   /* s/2, or the window's band */
		double af = cm_gemm_s(&on_chip, hb, s / cp, keys, qk) +
		            cm_gemm_s(&on_chip, hb, s / cp, keys, dv);
		double io = cm_stream_s(g, 2 * T * a / tp * (qk + dv) * ab);
		c.attn_fwd_s = af / ATTN_FWD + io;
		double ab_s = 2.5 * af / ATTN_BWD + 2 * io;
		c.fwd_s += c.attn_fwd_s;
		c.bwd_s += ab_s;
		c.attn_s += c.attn_fwd_s + ab_s;
	}
	linear(g, t, T, h, a * dv / tp, true, CAST_BOTH, &c);     /* projection */
	double elem = 11 * h / (t->sequence_parallel ? tp : 1);    /* norms, residuals */
	/* of which the two norms: each reads and writes h */
	norms.gemm = 0;
	norms.elem = cm_stream_s(g, T * 4 * h / (t->sequence_parallel ? tp : 1) * ab);
	at = c;
	if (moe) {
		double E = (double)t->experts, fe = cm_or(t->moe_ffn_hidden, f);
		double cf = t->capacity_factor > 0 ? t->capacity_factor : 1;
		double local = E / ep > 1 ? E / ep : 1;
		/* expert TP etp: a rank's experts take etp/tp of its TP group's
		 * routed tokens at 1/etp of the width (etp = tp: each TP rank a
		 * slice of every token; etp = 1: whole experts, its own tokens) */
		double etp = (double)(t->expert_tp > 0 ? t->expert_tp : t->tp > 0 ? t->tp : 1);
		double tok = T * (double)t->top_k * cf / local * etp / tp;  /* per local expert */
		gemm_fb(g, 1, T, E, h, CAST_NONE, &c);                  /* router */
		cm_times ex = c;
		gemm_fb(g, local, tok, gm * fe / etp, h, CAST_BOTH, &c);
		gemm_fb(g, local, tok, h, fe / etp, CAST_BOTH, &c);
		double sh_act = 0;
		if (t->shared_experts > 0) {
			double fs = fe * (double)t->shared_experts;
			cm_times sh = c;
			gemm_fb(g, 1, T, gm * fs / tp, h, CAST_BOTH, &c);
			gemm_fb(g, 1, T, h, fs / tp, CAST_BOTH, &c);
			shared = since(&sh, &c);
			sh_act = cm_stream_s(g, T * (gm + 1) * fs / tp * ab);
			shared.elem += sh_act;
			elem += (gm + 1) * fs / tp;
		}
		double ae = (gm + 1) * fe / tp * (double)t->top_k * cf;   /* activation */
		act.elem = cm_stream_s(g, T * ae * ab);
		elem += ae;
		/* permute and unpermute every routed copy: each rank its own
		 * tokens (sequence parallel, expert TP 1), or the TP group's
		 * gathered tokens on every rank */
		double pe = 4 * h * (double)t->top_k * (t->sequence_parallel ? etp / tp : 1);
		elem += pe;
		/* the experts' memory-bound work: activation, shared experts'
		 * activation, permutation */
		double xe = act.elem + sh_act + cm_stream_s(g, T * pe * ab);
		moe_all = since(&at, &c);
		moe_all.elem += xe;
		/* the experts node: its GEMMs and casts, and its memory-bound
		 * work (forward once, backward twice, as ef below) */
		c.exp_fwd_s = c.fwd_s - ex.fwd_s + xe;
		c.exp_bwd_s = c.bwd_s - ex.bwd_s + 2 * xe;
		c.exp_wgrad_s = c.wgrad_s - ex.wgrad_s;
	} else {
		linear(g, t, T, gm * f / tp, h, false, CAST_DY, &c);   /* MLP up (and gate) */
		linear(g, t, T, h, f / tp, true, CAST_BOTH, &c);       /* MLP down */
		elem += (gm + 1) * f / tp;                             /* activation */
		mlp = since(&at, &c);
		mlp.elem += cm_stream_s(g, T * (gm + 1) * f / tp * ab);
	}
	double ef = cm_stream_s(g, T * elem * ab);
	c.fwd_s += ef;
	c.bwd_s += 2 * ef;
	c.elem_s += 3 * ef;
	if (t->recompute == LF_RECOMPUTE_FULL) {
		c.exp_bwd_s += c.exp_fwd_s;
		c.bwd_s += c.fwd_s;
		c.gemm_s += c.fwd_s - c.attn_fwd_s - ef - c.cast_fwd_s;
		c.attn_s += c.attn_fwd_s;
		c.elem_s += ef + c.cast_fwd_s;
	} else if (t->recompute == LF_RECOMPUTE_SELECTIVE) {
		unsigned rm = lf_training_recomputed(t);
		if (rm & LF_RC_CORE_ATTN) {
			c.bwd_s += c.attn_fwd_s;
			c.attn_s += c.attn_fwd_s;
		}
		if (rm & LF_RC_MLA_UP)
			recompute(&c, mla_up);
		if (rm & LF_RC_LAYERNORM)
			recompute(&c, norms);
		if (moe && (rm & LF_RC_MOE)) {
			recompute_experts(&c, moe_all);
		} else {
			if (!moe && (rm & LF_RC_MLP))
				recompute(&c, mlp);
			if (rm & LF_RC_MOE_ACT)
				recompute_experts(&c, act);
			if (rm & LF_RC_SHARED)
				recompute_experts(&c, shared);
		}
	}
	*out = c;
}

void cm_vocab(const cm_gpu *g, const lf_training *t, cm_times *out)
{
	cm_times c = { 0 };
	double tp = (double)(t->tp > 0 ? t->tp : 1), cp = (double)(t->cp > 0 ? t->cp : 1);
	double T = (double)t->micro_batch * (double)t->seq_len / cp;
	double V = (double)t->vocab, h = (double)t->hidden;
	if (V > 0) {
		gemm_fb(g, 1, T, V / tp, h, CAST_NONE, &c);
		/* the loss over the logits in FP32, as Megatron-LM's vocab-parallel
		 * cross entropy runs it (megatron/core/tensor_parallel/
		 * cross_entropy.py, one kernel per line): forward the cast to FP32
		 * (2 + 4 bytes per logit), max (4), subtract (8), exp (8), sum (4),
		 * normalize (8) = 38 bytes; backward the scale by the output
		 * gradient (8) and the cast back (6) = 14.  `loss: native`, its
		 * jit-fused kernels (megatron/core/fusions/fused_cross_entropy.py):
		 * max with the FP32 cast (2 + 4), the shifted exp and its sum (4 +
		 * 8), normalize (8) = 26 forward; the gradient, cast back, in one
		 * (4 + 2) = 6 backward.  `loss: te`, Transformer Engine's Triton
		 * kernels (transformer_engine/pytorch/triton/cross_entropy.py): the
		 * online softmax's max and sum (2), then the loss with the gradient
		 * written in place (2 + 2) = 6 forward; its scale by the output
		 * gradient (2 + 2) = 4 backward */
		static const double fwd_b[] = { 38, 26, 6 }, bwd_b[] = { 14, 6, 4 };
		int k = t->loss_impl >= 0 && t->loss_impl <= 2 ? t->loss_impl : 0;
		double ef = cm_stream_s(g, T * V / tp * fwd_b[k]);
		double eb = cm_stream_s(g, T * V / tp * bwd_b[k]);
		c.fwd_s += ef;
		c.bwd_s += eb;
		c.elem_s += ef + eb;
	}
	*out = c;
}

void cm_layer_params(const lf_training *t, int moe, double *dense, double *experts)
{
	double h = (double)t->hidden;
	double f = cm_or(t->ffn_hidden, 4 * h), gm = t->gated ? 3 : 2;
	double attn = attn_weights(t);
	if (!moe) {
		*dense = attn + gm * h * f;
		*experts = 0;
		return;
	}
	double fe = cm_or(t->moe_ffn_hidden, f);
	*dense = attn + h * (double)t->experts + gm * h * fe * (double)t->shared_experts;
	*experts = gm * h * fe * (double)t->experts;
}

void cm_params(const lf_training *t, double *total, double *active, double *experts)
{
	double L = (double)t->layers, Ld = t->experts > 0 ? (double)t->dense_layers : L;
	double emb = (double)t->vocab * (double)t->hidden;
	double dd, de, md = 0, me = 0;
	cm_layer_params(t, 0, &dd, &de);
	if (t->experts > 0)
		cm_layer_params(t, 1, &md, &me);
	double Lm = L - Ld;
	double per_expert = t->experts > 0 ? me / (double)t->experts : 0;
	*total = Ld * dd + Lm * (md + me) + emb;
	*active = Ld * dd + Lm * (md + per_expert * (double)t->top_k) + emb;
	*experts = Lm * me;
}
