/*
 * compute.h — the compute model of a training step (compute.c): the time of
 * a transformer layer's GEMMs, attention and memory-bound work on one GPU,
 * from the shapes.  Used by training.c.
 */
#ifndef LF_COMPUTE_H
#define LF_COMPUTE_H

#include "core.h"

/* One GPU at the GEMM precision. */
typedef struct cm_gpu {
	double peak_flops;        /* dense tensor-core peak at the GEMM precision */
	double gemm_share;        /* best-shape GEMM throughput / peak */
	double hbm_bytes_s;       /* memory bandwidth */
	int sms;                  /* streaming multiprocessors */
	int elem_bytes;           /* GEMM input element */
	double sustained;         /* of the ceiling sustained in training (0: 1) */
} cm_gpu;

/* Time of `batch` independent m x n x k GEMMs (2·m·n·k FLOPs each). */
double cm_gemm_s(const cm_gpu *g, double batch, double m, double n, double k);

/* v, or dflt when v is 0 (an optional shape). */
double cm_or(int64_t v, double dflt);
/* Attention heads: given, or hidden / 128 (the common head size). */
double cm_heads(const lf_training *t);

/* The GEMM ceiling's share of peak (the catalog's, or the default) and the
 * share of it sustained in training (or 1). */
double cm_gemm_share(const cm_gpu *g);
double cm_sustained(const cm_gpu *g);

/* The share of g's SMs the kernels of an expert-parallel all-to-all take
 * from the compute they overlap. */
double cm_a2a_sm_share(const cm_gpu *g);

/* Time to stream `bytes` through memory (a memory-bound kernel). */
double cm_stream_s(const cm_gpu *g, double bytes);

/* One micro-batch of a stage's layers, and of the vocabulary layer. */
typedef struct cm_times {
	double fwd_s, bwd_s;      /* bwd includes recomputation */
	double gemm_s, attn_s, elem_s; /* forward + backward, by kind */
	double attn_fwd_s;        /* the attention core's forward (CP overlaps it) */
	double cast_fwd_s;        /* FP8 casts of the forward (in elem_s) */
	double wgrad_s;           /* weight-gradient GEMMs (in bwd_s) */
	/* an MoE layer's experts (Megatron-LM's "mlp" node: routed and shared
	 * experts, their activation, permutation), of the layer's; the rest
	 * (attention, norms, router) is its "attn" node */
	double exp_fwd_s, exp_bwd_s, exp_wgrad_s;
} cm_times;

/* One transformer layer (dense or MoE per `moe`) for micro_batch sequences
 * on one rank of a tp x cp group: its GEMMs on g, its attention core on ga
 * (the GPU at the attention's precision: 16-bit unless the step runs it in
 * FP8, compute attention: fp8). */
void cm_layer(const cm_gpu *g, const cm_gpu *ga, const lf_training *t, int moe,
              cm_times *out);
/* The output (vocabulary) layer and its loss for one micro-batch. */
void cm_vocab(const cm_gpu *g, const lf_training *t, cm_times *out);
/* FLOPs per token of one layer's forward, executed on all ranks together
 * (model FLOPs: non-causal attention as counted by Narayanan et al. 2021). */
double cm_layer_fwd_flops(const lf_training *t, int moe);

/* With full recomputation, the share of a stage's `layers` recomputed:
 * recompute_layers of each of its virtual_stages chunks (Megatron-LM's
 * --recompute-num-layers, block method), or all (1); 0 otherwise. */
double cm_full_share(const lf_training *t, double layers);

/* FLOPs per token of one layer's forward run again in its backward: all
 * of it (full recomputation; its recompute_layers share of the model) or
 * the modules selective recomputes. */
double cm_recompute_flops(const lf_training *t, int moe);

/* FLOPs per token of one layer's attention core forward (scores and
 * values, non-causal as counted by Narayanan et al. 2021). */
double cm_attn_core_flops(const lf_training *t);
/* Query/key and value widths of one head (MLA: with the rotary part). */
void cm_head_dims(const lf_training *t, double *qk, double *v);

/* Parameters of one layer (dense or MoE per `moe`): those every rank of
 * its TP group shares (attention, router, shared experts, a dense MLP)
 * and the routed experts'. */
void cm_layer_params(const lf_training *t, int moe, double *dense, double *experts);

/* Parameters of the model from its shapes: total, used per token, and the
 * routed experts' share of the total. */
void cm_params(const lf_training *t, double *total, double *active, double *experts);

/* A pipeline stage for the memory model: its index (0: the first), its
 * layers, the embedding / output matrices it holds (0, 1 or 2) and the
 * output heads whose logits it keeps (the last stage's; MTP layers'). */
typedef struct cm_stage {
	int64_t index;
	double layers, ends, logits;
} cm_stage;

/* Memory of one GPU at its peak (memory.c): of the stages given, the one
 * that needs the most; hbm_gb the GPU's (0: unknown). */
void cm_memory(const lf_training *t, const lf_step *s, const cm_stage *stages, size_t n,
               double hbm_gb, lf_step_memory *out);

#endif
