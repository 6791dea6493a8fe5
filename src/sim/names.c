/*
 * names.c — the workload format's names of collectives, algorithms,
 * protocols, routings, communicators, placements, MoE dispatchers and the
 * training step's recompute, recomputed modules, ZeRO stage, attention and
 * loss kernels: what the parsers accept (workload.c, training.c) and what
 * every renderer prints, in enum (or bit) order.
 */
#include "workload.h"

#define NAMES(id, ...)                                                  \
	static const char *const id##_v[] = { __VA_ARGS__ };            \
	const lfi_names lfi_##id##_names = { id##_v, LF_ARRAY_LEN(id##_v) }

NAMES(coll, "all-reduce", "reduce-scatter", "all-gather", "all-to-all", "broadcast", "send-recv",
      "reduce");
NAMES(algo, "auto", "ring", "tree", "hierarchical", "direct", "pairwise", "nvls", "nvls-tree",
      "collnet-direct", "collnet-chain", "pat");
NAMES(route, "ecmp", "spray", "adaptive", "ftree", "default");
NAMES(proto, "auto", "LL", "LL128", "Simple");
NAMES(comm, "all", "rail", "node");
NAMES(place, "packed", "scattered");
NAMES(dispatch, "alltoall", "deepep", "hybridep");
NAMES(recompute, "none", "selective", "full");
/* LF_RC_* bits: name i is bit 1 << i */
NAMES(rc_module, "core_attn", "mla_up_proj", "mlp", "moe_act", "layernorm", "shared_experts",
      "moe");
/* lf_zero, then "fsdp": the parser's other name of ZeRO-3 */
NAMES(zero, "0", "1", "2", "3", "fsdp");
NAMES(attention, "flash", "unfused", "fp8");
/* lf_training.loss_impl */
NAMES(loss, "unfused", "native", "te");

static const char *name(const lfi_names *t, unsigned i)
{
	return i < t->n ? t->v[i] : "?";
}

const char *lf_coll_name(lf_coll c) { return name(&lfi_coll_names, (unsigned)c); }
const char *lf_algo_name(lf_algo a) { return name(&lfi_algo_names, (unsigned)a); }
const char *lf_route_name(lf_route r) { return name(&lfi_route_names, (unsigned)r); }
const char *lf_nccl_proto_name(lf_nccl_proto p) { return name(&lfi_proto_names, (unsigned)p); }
const char *lfi_comm_name(lf_comm c) { return name(&lfi_comm_names, (unsigned)c); }
const char *lfi_placement_name(lf_placement p) { return name(&lfi_place_names, (unsigned)p); }
const char *lfi_dispatch_name(lf_dispatch d) { return name(&lfi_dispatch_names, (unsigned)d); }
const char *lfi_recompute_name(lf_recompute r) { return name(&lfi_recompute_names, (unsigned)r); }
const char *lfi_zero_name(lf_zero z) { return name(&lfi_zero_names, (unsigned)z); }
const char *lfi_loss_name(int impl) { return name(&lfi_loss_names, (unsigned)impl); }

const char *lfi_attention_name(const lf_training *t)
{
	return name(&lfi_attention_names, t->fp8_attention ? 2u : t->unfused_attention ? 1u : 0u);
}
