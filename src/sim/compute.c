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
 *     QKV          T × (heads + 2·kv_heads)·d/TP × h
 *     attention    flash-attention style (Dao 2022): QKᵀ and PV per head,
 *                  never written to memory, causal (half the tiles);
 *                  backward 2.5× the forward (it recomputes QKᵀ and P)
 *     projection   T × h × h/TP
 *     MLP          T × f·(2 if gated)/TP × h, then T × h × f/TP; MoE: the
 *                  T·top_k·capacity tokens split over the rank's E/EP
 *                  experts, plus shared experts as a dense MLP
 *     vocabulary   T × V/TP × h on the last stage, and the loss
 * Backward of a GEMM is two GEMMs (dX = dY·Wᵀ: m × k × n; dW = Xᵀ·dY:
 * k × n × m).  Memory-bound work (2 layer norms, 2 residual adds with
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

static const struct tile { double m, n, eff; } tiles[] = {
	{ 256, 128, 1.0 }, { 128, 128, 1.0 }, { 128, 64, 0.7 }, { 64, 64, 0.5 },
};

double cm_gemm_s(const cm_gpu *g, double batch, double m, double n, double k)
{
	if (batch <= 0 || m <= 0 || n <= 0 || k <= 0)
		return 0;
	double share = g->gemm_share > 0 ? g->gemm_share : DEFAULT_SHARE;
	int sms = g->sms > 0 ? g->sms : 1;
	double per_sm = g->peak_flops * share / sms;
	double mem = g->hbm_bytes_s > 0 ? (m * k + k * n + m * n) * g->elem_bytes * batch /
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

double cm_stream_s(const cm_gpu *g, double bytes)
{
	return g->hbm_bytes_s > 0 ? bytes / (g->hbm_bytes_s * HBM_SHARE) : 0;
}

/* Forward and backward of one GEMM (m x n x k), added to *c. */
static void gemm_fb(const cm_gpu *g, double batch, double m, double n, double k, cm_times *c)
{
	double f = cm_gemm_s(g, batch, m, n, k);
	double b = cm_gemm_s(g, batch, m, k, n) + cm_gemm_s(g, batch, k, n, m);
	c->fwd_s += f;
	c->bwd_s += b;
	c->gemm_s += f + b;
}

static double d_or(int64_t v, double dflt)
{
	return v > 0 ? (double)v : dflt;
}

/* Head count: given, or h / 128 (the common head size). */
static double heads_of(const lf_training *t)
{
	double h = (double)t->hidden;
	return t->heads > 0 ? (double)t->heads : fmax(1, floor(h / 128));
}

/* Head size: given, or h / heads. */
static double head_dim_of(const lf_training *t)
{
	return t->head_dim > 0 ? (double)t->head_dim : (double)t->hidden / heads_of(t);
}

double cm_layer_fwd_flops(const lf_training *t, int moe)
{
	double h = (double)t->hidden, s = (double)t->seq_len;
	double a = heads_of(t), dh = head_dim_of(t), kv = d_or(t->kv_heads, a);
	double f = d_or(t->ffn_hidden, 4 * h), gm = t->gated ? 3 : 2;
	double attn_w = h * (a + 2 * kv) * dh + a * dh * h;
	double mlp_w;
	if (moe) {
		double fe = d_or(t->moe_ffn_hidden, f);
		mlp_w = gm * h * fe * ((double)t->top_k + (double)t->shared_experts) +
		        h * (double)t->experts;
	} else {
		mlp_w = gm * h * f;
	}
	/* 2 FLOPs per weight per token; attention scores + values 2·2·s·(a·d) */
	return 2 * (attn_w + mlp_w) + 4 * s * a * dh;
}

void cm_layer(const cm_gpu *g, const lf_training *t, int moe, cm_times *out)
{
	cm_times c = { 0 };
	double tp = (double)(t->tp > 0 ? t->tp : 1), cp = (double)(t->cp > 0 ? t->cp : 1);
	double ep = (double)(t->ep > 0 ? t->ep : 1);
	double h = (double)t->hidden, s = (double)t->seq_len, b = (double)t->micro_batch;
	double a = heads_of(t), dh = head_dim_of(t), kv = d_or(t->kv_heads, a);
	double f = d_or(t->ffn_hidden, 4 * h), gm = t->gated ? 2 : 1;
	double T = b * s / cp;
	double ab = 2;   /* memory-bound work runs on 16-bit activations */

	gemm_fb(g, 1, T, (a + 2 * kv) * dh / tp, h, &c);          /* QKV */
	double hb = b * a / tp;
	if (t->unfused_attention) {
		/* QKᵀ written out in full, a fused scale-mask-softmax and a dropout
		 * each reading and writing the s/CP × s scores (+ a 1-byte mask),
		 * then PV; backward: twice the GEMMs and the memory passes */
		double sc = hb * (s / cp) * s;
		double q = cm_gemm_s(g, hb, s / cp, s, dh), v = cm_gemm_s(g, hb, s / cp, dh, s);
		double mem = cm_stream_s(g, sc * (4 * ab + 1));
		c.attn_fwd_s = q + v + mem;
		c.fwd_s += c.attn_fwd_s;
		c.bwd_s += 2 * c.attn_fwd_s;
		c.attn_s += 3 * c.attn_fwd_s;
	} else {
		/* flash attention, causal: each of a/TP heads, s/CP queries against
		 * s keys, half the tiles masked out; two GEMM-shaped products */
		double af = 2 * cm_gemm_s(g, hb, s / cp, s / 2, dh);
		double io = cm_stream_s(g, 4 * T * a / tp * dh * ab);  /* Q, K, V, O */
		c.attn_fwd_s = af + io;
		c.fwd_s += c.attn_fwd_s;
		c.bwd_s += 2.5 * c.attn_fwd_s;
		c.attn_s += 3.5 * c.attn_fwd_s;
	}
	gemm_fb(g, 1, T, h, a * dh / tp, &c);                      /* projection */
	double elem = 11 * h / (t->sequence_parallel ? tp : 1);    /* norms, residuals */
	if (moe) {
		double E = (double)t->experts, fe = d_or(t->moe_ffn_hidden, f);
		double cf = t->capacity_factor > 0 ? t->capacity_factor : 1;
		double local = E / ep > 1 ? E / ep : 1;
		double tok = T * (double)t->top_k * cf / local;         /* per local expert */
		gemm_fb(g, 1, T, E, h, &c);                             /* router */
		gemm_fb(g, local, tok, gm * fe / tp, h, &c);
		gemm_fb(g, local, tok, h, fe / tp, &c);
		if (t->shared_experts > 0) {
			double fs = fe * (double)t->shared_experts;
			gemm_fb(g, 1, T, gm * fs / tp, h, &c);
			gemm_fb(g, 1, T, h, fs / tp, &c);
			elem += (gm + 1) * fs / tp;
		}
		elem += (gm + 1) * fe / tp * (double)t->top_k * cf;     /* activation */
		elem += 4 * h * (double)t->top_k;                      /* permute, unpermute */
	} else {
		gemm_fb(g, 1, T, gm * f / tp, h, &c);                  /* MLP up (and gate) */
		gemm_fb(g, 1, T, h, f / tp, &c);                       /* MLP down */
		elem += (gm + 1) * f / tp;                             /* activation */
	}
	double ef = cm_stream_s(g, T * elem * ab);
	c.fwd_s += ef;
	c.bwd_s += 2 * ef;
	c.elem_s += 3 * ef;
	if (t->recompute == LF_RECOMPUTE_FULL) {
		c.bwd_s += c.fwd_s;
		c.gemm_s += c.fwd_s - c.attn_fwd_s - ef;
		c.attn_s += c.attn_fwd_s;
		c.elem_s += ef;
	} else if (t->recompute == LF_RECOMPUTE_SELECTIVE) {
		c.bwd_s += c.attn_fwd_s;
		c.attn_s += c.attn_fwd_s;
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
		gemm_fb(g, 1, T, V / tp, h, &c);
		/* the loss reads and writes the logits in FP32: 3 passes of 4 bytes */
		double e = cm_stream_s(g, T * V / tp * 12);
		c.fwd_s += e / 2;
		c.bwd_s += e / 2;
		c.elem_s += e;
	}
	*out = c;
}

void cm_params(const lf_training *t, double *total, double *active, double *experts)
{
	double h = (double)t->hidden;
	double a = heads_of(t), dh = head_dim_of(t), kv = d_or(t->kv_heads, a);
	double f = d_or(t->ffn_hidden, 4 * h), gm = t->gated ? 3 : 2;
	double attn = h * (a + 2 * kv) * dh + a * dh * h;
	double L = (double)t->layers, Ld = t->experts > 0 ? (double)t->dense_layers : L;
	double emb = (double)t->vocab * h;
	double dense = Ld * (attn + gm * h * f);
	double moe_all = 0, moe_act = 0;
	if (t->experts > 0) {
		double fe = d_or(t->moe_ffn_hidden, f), Lm = L - Ld;
		double router = h * (double)t->experts;
		moe_all = Lm * (attn + router + gm * h * fe *
		                                    ((double)t->experts + (double)t->shared_experts));
		moe_act = Lm * (attn + router + gm * h * fe *
		                                    ((double)t->top_k + (double)t->shared_experts));
	}
	*total = dense + moe_all + emb;
	*active = dense + moe_act + emb;
	*experts = t->experts > 0 ? (L - Ld) * gm * h * d_or(t->moe_ffn_hidden, f) *
	                                    (double)t->experts : 0;
}
