/*
 * nccl.c — NCCL's cost model: what `algorithm: auto` picks, and the latency
 * part of a collective's time.
 *
 * 1. The tuner (nccl_tune, nccl_tuner_time_us) is NCCL's own model,
 *    src/graph/tuning.cc of NVIDIA/nccl v2.30.7-1 (master 5067397c): for
 *    each (algorithm, protocol) a bus bandwidth and a latency, with its
 *    per-architecture constants (base latencies, hardware latencies per link
 *    kind NVLink / PCI / NET, per-channel caps, LL caps, NVLS efficiency),
 *    its refinements (Ring LL at half rate, LL128 at 0.92, Tree all-reduce
 *    at 0.92, PAT at 0.75, CollNet Direct's GPU:NIC factor) and its time
 *    t = latency + bytes / bandwidth with the Tree correction factors and
 *    the Ring Simple plateau.  What NCCL reads off its topology search
 *    (channels, per-channel bandwidth inside and between nodes) comes from
 *    the catalog: one channel's share of the NVLink and of the node's NICs.
 *    `auto` takes the (algorithm, protocol) of least time among those the
 *    hardware runs, as NCCL does (NVLS only with NVSwitch on Hopper or
 *    later; NVLS Tree only across nodes; CollNet and multi-node NVLS only
 *    with SHARP switches and `sharp: true`; PAT only with one GPU per node).
 *
 * 2. The latency of the chosen algorithm (nccl_latency_us) is NCCL's
 *    latency formula for it, with one addition for the pipelined
 *    algorithms, which NCCL's tuner leaves out: a tree hop forwards data in
 *    proxy steps (buffer / NCCL_STEPS: 512 KiB for Simple), so the pipeline
 *    fills in depth x (hardware latency + step / per-channel bandwidth).
 *    NVLS adds a start-up that grows with the ranks of the NVLink domain
 *    (fitted on the published single-domain curves, docs/sim.md).  The
 *    bandwidth part is not from this model: the fabric simulation gives it,
 *    with congestion, scaled by the protocol's and the algorithm's
 *    efficiency (nccl_bw_factor).
 */
#include <math.h>

#include "sim.h"

/* tuning.cc L149-155: base latency (us), per algorithm and protocol */
static const double base_lat[NC_NALGO][NC_NPROTO] = {
	{ 6.8, 14.0, 8.4 }, { 6.6, 14.0, 8.4 },   /* Tree, Ring */
	{ 0, 0, 0 }, { 0, 0, 0 },                 /* CollNet Direct, Chain */
	{ 0, 0, 0 }, { 0, 0, 0 },                 /* NVLS, NVLS Tree */
	{ 8.0, 8.0, 8.0 },                        /* PAT */
};

/* tuning.cc L156-176: hardware latency (us) by link kind NVLink, PCI, NET */
static const double hw_lat[3][NC_NALGO][NC_NPROTO] = {
	{ { .6, 1.25, 4.0 }, { .6, 1.9, 3.4 }, { 0, 0, 3.7 }, { 0, 0, 2.8 },
	  { 0, 0, 25 }, { 0, 0, 25 }, { 0, 0, 4.0 } },
	{ { 1.0, 1.9, 4.0 }, { 1.0, 2.5, 5.7 }, { 0, 0, 3.7 }, { 0, 0, 2.8 },
	  { 0, 0, 0 }, { 0, 0, 0 }, { 0, 0, 4.0 } },
	{ { 5.0, 8.5, 14 }, { 2.7, 4.0, 14.0 }, { 0, 0, 31 }, { 0, 0, 30 },
	  { 0, 0, 18 }, { 0, 0, 20.9 }, { 0, 0, 14 } },
};
enum { HW_NVLINK, HW_PCI, HW_NET };

/* tuning.cc: llMaxBws [GPU arch for 1 node | CPU for more][1, 2, >= 3 nodes] */
static const double ll_max_bw[4][3] = {
	{ 39.0, 39.0, 20.4 }, { 87.7, 22.5, 19.0 }, { 141.0, 45.0, 35.0 },
	{ 2 * 141.0, 2 * 45.0, 2 * 35.0 },
};
/* per-channel caps by architecture [volta..blackwell][1, 2, >= 3 nodes] */
static const double ring_ll128_cap[4][3] = {
	{ 20, 20, 20 }, { 20, 20, 20 }, { 36.7, 36.7, 36.7 }, { 40, 40, 40 } };
static const double tree_ll128_cap[4][3] = {
	{ 20, 20, 20 }, { 20, 20, 20 }, { 36.7, 36.7, 29.0 }, { 55.6, 31.67, 20.0 } };
static const double tree_cap[4][3] = {
	{ 26.5, 18.5, 10.0 }, { 24.0, 23.6, 17.8 }, { 38.7, 41.4, 36.0 }, { 70.0, 42.8, 24.0 } };
static const double nvls_tree_cap[4][3] = {
	{ 26.5, 18.5, 10.0 }, { 24.0, 23.6, 17.8 }, { 0, 57.7, 45.5 }, { 0, 96.0, 80.0 } };
/* tuning.cc L139: NVLS efficiency (tuner) */
static const double nvls_eff_tuner[4] = { 0, 0, 0.85, 0.74 };

/* Tree correction factors, 64 B .. 256 MiB by powers of two (tuning.cc) */
static const double tree_corr[NC_NPROTO][24] = {
	{ 1, 1, 1, 1, .9, .8, .7, .7, .7, .7, .6, .5, .4, .4, .5, .6, .7, .8, .9, 1, 1, 1, 1, 1 },
	{ 1, 1, 1, 1, 1, .9, .8, .8, .8, .7, .6, .6, .6, .6, .6, .6, .8, .9, .9, .9, .9, 1, 1, 1 },
	{ .9, .9, .9, .9, .9, .9, .9, .8, .7, .6, .6, .5, .5, .5, .5, .6, .7, .8, .7, .7, .8, .9,
	  .9, .9 },
};

/* What NCCL's NVLS achieves, as a share of the NVLink each way (at
 * nccl_nvlink_share) that the NVLS traffic (S(G+1)/G per GPU for an
 * all-reduce) would need: fitted on the published 8 GiB figures, Azure ND
 * H100 v5 (478.9 GB/s busBW, Hopper) and CoreWeave GB200 NVL72 (835 GB/s,
 * Blackwell); docs/sim.md.  (0.714 and 0.512 of NVLink at 0.96 before
 * NVLink ran at NCCL's per-link figures: the same products.) */
static const double nvls_eff_measured[4] = { 0, 0, 0.714 * 0.96 / (20.6 / 25),
	                                     0.512 * 0.96 / (40.1 / 50) };
/* NVLS start-up per rank of the NVLink domain (us), fitted on the same two
 * curves' 64 MiB..8 GiB points: 25 us (NCCL's NVLS latency) + this x ranks
 * gives 86 us for 8 H100 and 572 us for 72 GB200. */
#define NVLS_US_PER_RANK 7.6

static int log2i(double x)
{
	int l = 0;
	while (x >= 2) {
		x /= 2;
		l++;
	}
	return l;
}

int nccl_tree_depth(double x)
{
	int l = 0;
	double v = 1;
	while (v < x) {
		v *= 2;
		l++;
	}
	return l;
}

bool nccl_supported(const nccl_shape *c, int a, int p, lf_coll coll)
{
	bool ar = coll == LF_COLL_ALLREDUCE;
	bool agrs = coll == LF_COLL_ALLGATHER || coll == LF_COLL_REDUCESCATTER;
	if (c->n_ranks < 2)
		return false;
	if ((a == NC_NVLS || a == NC_NVLS_TREE || a == NC_COLLNET_DIRECT || a == NC_COLLNET_CHAIN ||
	     a == NC_PAT) && p != NC_SIMPLE)
		return false;
	switch (a) {
	case NC_RING: return coll != LF_COLL_ALLTOALL && coll != LF_COLL_SENDRECV;
	case NC_TREE: return ar && c->uniform;
	case NC_NVLS:
		if (!c->nvls || !c->uniform || !(ar || agrs) || c->ppn < 2)
			return false;
		/* across nodes NVLS needs SHARP (NCCL: CollNet must be on), and
		 * all-gather / reduce-scatter across nodes a CollNet that has them */
		return c->n_nodes == 1 || (c->collnet && ar);
	case NC_NVLS_TREE: return ar && c->nvls && c->uniform && c->n_nodes > 1 && c->ppn >= 2;
	case NC_COLLNET_DIRECT: return ar && c->collnet && c->uniform && c->n_nodes > 1 && c->nvswitch;
	case NC_COLLNET_CHAIN: return ar && c->collnet && c->uniform && c->n_nodes > 1;
	case NC_PAT: return agrs && c->n_nodes == c->n_ranks;
	}
	return false;
}

void nccl_tune(const nccl_shape *c, lf_coll coll, nccl_table *t)
{
	int arch = (int)c->arch;
	int i2 = c->n_nodes <= 2 ? c->n_nodes - 1 : 2;
	int i1 = c->n_nodes == 1 ? arch : c->amd_cpu ? 1 : 0;
	double ll_max = ll_max_bw[i1][i2];
	double ppn = (double)c->n_ranks / c->n_nodes;
	double n = (double)c->n_ranks, nodes = c->n_nodes;
	double nsteps = coll == LF_COLL_ALLREDUCE ? 2 * (n - 1) :
	                coll == LF_COLL_REDUCESCATTER || coll == LF_COLL_ALLGATHER ? n - 1 : n;
	double net_ovh = c->amd_cpu ? 2.0 : 1.0;
	int intra_hw = c->nvlink ? HW_NVLINK : HW_PCI;
	for (int a = 0; a < NC_NALGO; a++)
		for (int p = 0; p < NC_NPROTO; p++) {
			t->bw[a][p] = 0;
			t->lat[a][p] = 0;
			if (!nccl_supported(c, a, p, coll))
				continue;
			bool collnet = a == NC_COLLNET_DIRECT || a == NC_COLLNET_CHAIN;
			bool nvls = a == NC_NVLS || a == NC_NVLS_TREE;
			int nch = nvls ? c->nvls_channels : c->channels;
			double bw_intra = c->nvlink_gbs / nch, bw_inter = c->net_gbs / nch;
			double bw = c->n_nodes <= 2 || collnet ? bw_intra : bw_inter;
			if (nvls) {
				if (nch < 2)
					continue;
				double intra = bw_intra * nvls_eff_tuner[arch] * (nch - 1) / nch;
				intra *= coll == LF_COLL_ALLREDUCE ? 2.0 : (ppn - 1) / ppn;
				double inter = bw_inter * (c->n_nodes <= 2 && a == NC_NVLS_TREE ? 2 : 1);
				bw = fmin(intra, inter);
				if (c->n_nodes == 1)
					bw = intra;
				if (a == NC_NVLS_TREE)
					bw = fmin(bw, nvls_tree_cap[arch][i2]);
			}
			double bus = nch * bw;
			if (a == NC_RING && p == NC_LL)
				bus = fmin(ll_max, bus * .5);
			if (a == NC_RING && p == NC_LL128)
				bus = fmin(bus * 0.92, nch * ring_ll128_cap[arch][i2]);
			if (a == NC_TREE && coll == LF_COLL_ALLREDUCE)
				bus = fmin(bus * .92, nch * tree_cap[arch][i2]);
			if (a == NC_TREE && p == NC_LL)
				bus = fmin(bus / 3.8, ll_max);
			if (a == NC_TREE && p == NC_LL128)
				bus = fmin(bus * (c->n_nodes == 1 ? 7.0 / 9.0 : 120.0 / 128.0),
				           nch * tree_ll128_cap[arch][i2]);
			if (a == NC_PAT)
				bus *= .75;
			if (a == NC_COLLNET_DIRECT) {
				double f = ppn / nch;
				f -= (f - 1) / 2;
				if (f > 0)
					bus /= f;
				if (arch >= LF_ARCH_HOPPER)
					bus *= .85;
			}
			/* bus bandwidth to algorithm bandwidth */
			if (!(a != NC_RING && (coll == LF_COLL_ALLGATHER || coll == LF_COLL_REDUCESCATTER)))
				bus *= a == NC_RING || nvls ? n / nsteps : .5;
			t->bw[a][p] = bus;
			double lat = base_lat[a][p];
			double intra_lat = hw_lat[intra_hw][a][p];
			double inter_lat = ppn == 1 ? hw_lat[HW_NET][NC_TREE][p] : hw_lat[HW_NET][a][p];
			int hw = c->n_nodes == 1 ? intra_hw : HW_NET;
			switch (a) {
			case NC_RING:
				if (coll == LF_COLL_BROADCAST || coll == LF_COLL_REDUCE) {
					lat += nsteps * (p == NC_SIMPLE ? hw_lat[hw][NC_TREE][p] : hw_lat[hw][a][p]);
				} else {
					double ovh = c->n_nodes > 1 ? net_ovh * (p == NC_SIMPLE ? 3 : 1) : 0;
					double il = fmax(intra_lat, ovh);
					double ninter = c->n_nodes == 1 ? 0 :
					                coll == LF_COLL_ALLREDUCE ? 2 * (nodes - 1) : nodes - 1;
					lat += (nsteps - ninter) * il + ninter * inter_lat;
				}
				break;
			case NC_TREE:
				lat += 2 * ((ppn - 1) * intra_lat + log2i(nodes) * inter_lat);
				break;
			case NC_COLLNET_DIRECT:
				lat += 2 * (fmin(1, ppn - 1) * intra_lat + (ppn - 1) * 0.4) + inter_lat;
				break;
			case NC_COLLNET_CHAIN:
				lat += 2 * (ppn - 1) * intra_lat + inter_lat;
				break;
			case NC_NVLS:
				lat = intra_lat + (c->n_nodes > 1 ? inter_lat : 0);
				break;
			case NC_NVLS_TREE:
				lat += intra_lat + 2 * log2i(nodes) * inter_lat;
				break;
			case NC_PAT:
				lat += log2i(nodes) * (inter_lat / 3.5) + n * 2.8;
				break;
			}
			t->lat[a][p] = lat;
		}
}

double nccl_tuner_time_us(const nccl_shape *c, const nccl_table *t, lf_coll coll, int a, int p,
                          double bytes)
{
	double bw = t->bw[a][p], lat = t->lat[a][p];
	if (bw <= 0)
		return -1;
	int ls = bytes >= 64 ? log2i(bytes / 64) : -1;
	if (a == NC_TREE && coll == LF_COLL_ALLREDUCE && ls >= 0 && ls < 23)
		bw *= tree_corr[p][ls];
	if (a == NC_RING && p == NC_SIMPLE && c->n_nodes > 1 && coll == LF_COLL_ALLREDUCE &&
	    bytes / ((double)c->channels * c->n_ranks) >= 64)
		lat *= c->arch >= LF_ARCH_AMPERE ? 1.4 : 1.9;
	return lat + bytes / (1000 * bw);
}

/* Proxy step of a protocol (bytes of data per step): buffer / NCCL_STEPS
 * (init.cc: 4 MiB Simple; LL128 120 x 640 x 8 B x 8 steps, 120/128 data;
 * LL 8 lines x 512 threads x 16 B x 8 steps, half data). */
static double step_bytes(int p)
{
	return p == NC_SIMPLE ? 524288.0 : p == NC_LL128 ? 576000.0 : 32768.0;
}

double nccl_latency_us(const nccl_shape *c, lf_coll coll, int a, int p, double bytes)
{
	nccl_table t;
	nccl_tune(c, coll, &t);
	double lat = t.lat[a][p];
	double ppn = (double)c->n_ranks / c->n_nodes;
	int depth = nccl_tree_depth(c->n_nodes);
	int nch = a == NC_NVLS || a == NC_NVLS_TREE ? c->nvls_channels : c->channels;
	/* pipeline fill of a tree hop: one proxy step at one channel's share of
	 * the node's NICs, no larger than the channel's share of the data */
	double step = fmin(step_bytes(p), bytes / (2.0 * nch));
	double fill = c->net_eff_gbs > 0 ? step / (c->net_eff_gbs / nch) / 1e3 : 0;
	double nvls_start = NVLS_US_PER_RANK * fmin(ppn, c->domain_ranks);
	switch (a) {
	case NC_RING:
		if (p == NC_SIMPLE && c->n_nodes > 1 && coll == LF_COLL_ALLREDUCE &&
		    bytes / ((double)c->channels * c->n_ranks) >= 64)
			lat *= c->arch >= LF_ARCH_AMPERE ? 1.4 : 1.9;
		break;
	case NC_TREE:
		lat += 2 * depth * fill;
		break;
	case NC_NVLS:
		lat += nvls_start + (c->n_nodes > 1 ? 2 * fill : 0);
		break;
	case NC_NVLS_TREE:
		lat += nvls_start + 2 * depth * fill;
		break;
	case NC_COLLNET_DIRECT:
	case NC_COLLNET_CHAIN:
		lat += 2 * fill;
		break;
	default:
		break;
	}
	return lat;
}

double nccl_bw_factor(const nccl_shape *c, lf_coll coll, int a, int p)
{
	nccl_table t;
	nccl_tune(c, coll, &t);
	double f = t.bw[a][NC_SIMPLE] > 0 ? t.bw[a][p] / t.bw[a][NC_SIMPLE] : 1;
	if (f <= 0 || f > 1)
		f = 1;
	switch (a) {
	case NC_TREE: return f * 0.92;
	case NC_PAT: return f * 0.75;
	case NC_COLLNET_DIRECT: return c->arch >= LF_ARCH_HOPPER ? 0.85 : 1;
	default: return f;
	}
}

double nccl_nvls_eff(lf_gpu_arch arch)
{
	return nvls_eff_measured[arch];
}

/* NVLink a GPU's transfers reach, as a share of its rate each way: NCCL's
 * own per-link figures (nccl/src/graph/topo.h @5067397c: SM70_NVLINK_BW and
 * SM80_NVLINK_BW 20.0, SM90_NVLINK_BW 20.6, SM100_NVLINK_BW 40.1 GB/s)
 * over a link's 25 GB/s (NVLink 2-4) or 50 GB/s (NVLink 5) each way: 12
 * x 20 = 240 GB/s on A100, 18 x 20.6 = 370.8 on H100. */
double nccl_nvlink_share(lf_gpu_arch arch)
{
	static const double share[4] = { 20.0 / 25, 20.0 / 25, 20.6 / 25, 40.1 / 50 };
	return share[arch];
}

int nccl_pick(const nccl_shape *c, lf_coll coll, double bytes, int force_algo, int force_proto,
              int *proto)
{
	nccl_table t;
	nccl_tune(c, coll, &t);
	int best = -1;
	double best_t = 0;
	for (int a = 0; a < NC_NALGO; a++) {
		if (force_algo >= 0 && a != force_algo)
			continue;
		for (int p = 0; p < NC_NPROTO; p++) {
			if (force_proto >= 0 && p != force_proto)
				continue;
			double tm = nccl_tuner_time_us(c, &t, coll, a, p, bytes);
			if (tm >= 0 && (best < 0 || tm < best_t)) {
				best = a;
				best_t = tm;
				*proto = p;
			}
		}
	}
	return best;
}

/* The share of the link-limited rate NCCL's all-to-all reaches when it
 * crosses the network: GTC25 S72583 (slides 12-13) measured 48 GB/s busBW
 * for NCCL's all-to-all on 4 DGX H100 (8 x 400G), where the NIC bound the
 * maintainers give (busBW = (n - 1)/(n - G) x one NIC's 48 GB/s, nccl-tests
 * #130 and #267) is 62: 48 / 62 = 0.775.  NCCL runs it as point-to-point
 * sends to every peer at once (many connections per NIC, 128 KiB p2p net
 * chunks), which do not pack the NIC as a ring's one stream per channel
 * does.  One published point, one figure for every fabric and GPU. */
double nccl_a2a_net_eff(void)
{
	return 48.0 / 62.0;
}
