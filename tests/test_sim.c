/*
 * test_sim.c — the flow-level simulator against closed forms (docs/design.md,
 * "Collectives"; nccl-tests definitions in ../shared/reference):
 *  - ring all-reduce T = 2(N-1)a + 2(N-1)/N S/B, reduce-scatter and
 *    all-gather T = (N-1)a + (N-1)/N S/B, on non-blocking fabrics, with
 *    spraying and ECMP, 2 and 3 tiers, N from 2 to 256 here (to 4,096 in
 *    bench/, release build) and S from 1 KiB to 8 GiB, within 1%;
 *  - hierarchical all-reduce = NVLink RS + per-rail ring + NVLink AG;
 *  - permutation traffic: spraying within 2% of ideal; ECMP finishes when
 *    its most loaded link has carried its load; 3:1 leaves give 3x;
 *  - a failed uplink under spraying: the survivors share the load;
 *  - streamed pairwise all-to-all = the flows built up front;
 *  - pairwise all-to-all in rounds without events (exact_a2a = -1, the
 *    default above 256 ranks) = the event-driven engine where its closed
 *    form is exact (contention-free rounds), within its stated error at
 *    256 ranks (src/sim/sim.c), and the same bytes on every link;
 *  - traffic flows with release times against max-min solved by hand, with
 *    and without a per-flow rate cap; spray efficiency stretches the ideal.
 */
#include <math.h>

#include "testutil.h"
#include "sim.h"

static const char *const cat =
	"nics: [{id: nic, max_speed: 400G, source: test}]\n"
	"servers:\n"
	"  - {id: s8, gpus: 8, nic: nic, nic_ports: 8, port_speed: 400G, cages: 4,\n"
	"     cage_speed: 800G, form_factor: osfp, nvlink_speed: 3600G, source: test}\n"
	"switches:\n"
	"  - {id: sw, cages: 32, cage_speed: 800G, form_factor: osfp, port_speeds: [400G],\n"
	"     source: test}\n"
	"  - {id: sw8, cages: 8, cage_speed: 800G, form_factor: osfp, port_speeds: [400G],\n"
	"     source: test}\n"
	"transceivers:\n"
	"  - {id: t, form_factor: osfp, standard: S, link_speed: 400G, links: 2, lanes: 8,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 8, reach: 500m,\n"
	"     laser: eml, source: test}\n";

static const double B = 400e9 / 8;      /* bytes/s of a 400G link */
/* bytes/s of NVLink per GPU each way: 3600G at NCCL's Hopper per-link
 * figure, 20.6 of a link's 25 GB/s (nccl/src/graph/topo.h SM90_NVLINK_BW:
 * 18 links x 20.6 = 370.8 GB/s) */
static const double NVL = 3600e9 / 8 * 20.6 / 25;

static lf_coll_result run(const lf_plan *pl, lf_route route, lf_coll coll, lf_algo algo,
                          const int64_t *g, size_t n, double bytes, double alpha_us)
{
	lf_sim_config cfg = { .route = route, .seed = 7, .efficiency = 1.0, .latency_us = alpha_us };
	lf_coll_result r;
	lf_error err;
	if (lf_sim_collective(pl, &cfg, coll, algo, g, n, bytes, &r, &err) != LF_OK)
		fail_msg("%s", err.msg);
	return r;
}

/* GPU 0 of servers 0..n-1: one rank per server, all on rail 0 */
/* GPUs 0, stride, 2 stride, ... (n of them) */
static int64_t *gpus_every(size_t n, int64_t stride)
{
	int64_t *g = calloc(n, sizeof *g);
	for (size_t i = 0; i < n; i++)
		g[i] = (int64_t)i * stride;
	return g;
}

static int64_t *rail0(size_t n)
{
	return gpus_every(n, 8);
}

/* 64 servers of 8 GPUs on 3 tiers, one SU of 16 per pod */
static tplan pods_of_16(void)
{
	return tplan_make(cat, 0,
	                  "cluster: {server: s8, servers: 64, su_size: 16}\n"
	                  "fabric: {tier_count: 3, pod_size: 1, tiers: [{switch: sw, distance: 30m}]}\n");
}

static void check_rings(const char *spec, const size_t *ns, size_t nn)
{
	tplan t = tplan_make(cat, 0, spec);
	assert_lf_ok(t);
	const double alpha = 5;
	static const double sizes[] = { 1024, 1 << 20, 1 << 30, 8.0 * (1 << 30) };
	static const lf_coll colls[] = { LF_COLL_ALLREDUCE, LF_COLL_REDUCESCATTER, LF_COLL_ALLGATHER };
	for (size_t a = 0; a < nn; a++) {
		size_t n = ns[a];
		int64_t *g = rail0(n);
		for (size_t k = 0; k < 4; k++)
			for (size_t c = 0; c < 3; c++)
				for (int r = 0; r < 2; r++) {
					double steps = c == 0 ? 2.0 * (double)(n - 1) : (double)(n - 1);
					double want = steps * alpha * 1e-6 + steps / (double)n * sizes[k] / B;
					lf_coll_result res = run(t.plan, r ? LF_ROUTE_ECMP : LF_ROUTE_SPRAY,
					                         colls[c], LF_ALGO_RING, g, n, sizes[k], alpha);
					double got = res.time_us * 1e-6;
					if (fabs(got - want) > 0.01 * want)
						fail_msg("coll %zu N=%zu S=%g %s: %g s, formula %g s", c, n, sizes[k],
						         r ? "ecmp" : "spray", got, want);
					/* nccl-tests busBW from the formula's time; with negligible
					 * latency it is the link rate */
					double bus = sizes[k] / want * lf_busbw_factor(colls[c], n) / 1e9;
					assert_true(fabs(res.busbw_gbs - bus) < 0.01 * bus);
					if (sizes[k] > (1 << 30) && n >= 8 && n <= 64)
						assert_true(fabs(res.busbw_gbs - B / 1e9) < 0.01 * B / 1e9);
				}
		free(g);
	}
	tplan_free(&t);
}

static void test_rings_two_tier(void **state)
{
	(void)state;
	static const size_t ns[] = { 2, 3, 8, 33, 64 };
	check_rings("cluster: {server: s8, servers: 64, su_size: 32}\n"
	            "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n", ns, 5);
}

static void test_rings_three_tier(void **state)
{
	(void)state;
	/* sw: 64 ports; SU of 32 servers, pods of 1 SU: rings cross the cores */
	static const size_t ns[] = { 2, 9, 40, 256 };
	check_rings("cluster: {server: s8, servers: 256, su_size: 32}\n"
	            "fabric: {tier_count: 3, pod_size: 1, tiers: [{switch: sw, distance: 30m}]}\n",
	            ns, 4);
}

static void test_rings_4096(void **state)
{
	(void)state;
	/* 4,096 servers, 3 tiers of 64-port switches (pods of 4 SUs): rings of
	 * 1,024 and 4,096 ranks on rail 0 */
	static const size_t ns[] = { 1024, 4096 };
	check_rings("cluster: {server: s8, servers: 4096, su_size: 32}\n"
	            "fabric: {tier_count: 3, tiers: [{switch: sw, distance: 30m}]}\n", ns, 2);
}

static void test_hierarchical(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	for (size_t servers = 2; servers <= 64; servers *= 4) {
		size_t n = servers * 8;
		int64_t *g = calloc(n, sizeof *g);
		for (size_t i = 0; i < n; i++)
			g[i] = (int64_t)i;
		double S = 1 << 30, a = 3e-6;
		lf_coll_result r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLREDUCE, LF_ALGO_HIER, g, n, S, 3);
		assert_int_equal(r.algo, LF_ALGO_HIER);
		double nvl = 7 * (a + S / 8 / NVL);                       /* RS (and AG) over 8 GPUs */
		double net = 2.0 * (double)(servers - 1) * (a + S / 8 / (double)servers / B);
		double want = 2 * nvl + net;
		assert_float_equal(r.time_us * 1e-6, want, want * 0.01);
		/* staged phases do not overlap: busBW stays below G x NIC rate */
		assert_true(r.busbw_gbs < 8 * B / 1e9);
		free(g);
	}
	tplan_free(&t);
}

static void test_rail_rings(void **state)
{
	(void)state;
	/* whole servers: 8 rings of S/8, server-to-server hops on one rail each,
	 * NIC-bound (NVLink carries 7 ring hops per GPU at 450/7 > 50 GB/s):
	 * T = 2(N-1) (a + S/(8 N B)); busBW -> 8 x 50 GB/s */
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	static const size_t servers[] = { 2, 4, 8, 32, 64 };
	for (size_t k = 0; k < 5; k++) {
		size_t n = servers[k] * 8;
		int64_t *g = calloc(n, sizeof *g);
		for (size_t i = 0; i < n; i++)
			g[i] = (int64_t)i;
		double S = 8.0 * (1 << 30), a = 2e-6;
		for (int r = 0; r < 2; r++) {
			lf_coll_result res = run(t.plan, r ? LF_ROUTE_ECMP : LF_ROUTE_SPRAY,
			                         LF_COLL_ALLREDUCE, LF_ALGO_RING, g, n, S, 2);
			assert_int_equal(res.algo, LF_ALGO_RING);
			double want = 2.0 * (double)(n - 1) * (a + S / 8 / (double)n / B);
			assert_float_equal(res.time_us * 1e-6, want, want * 0.01);
			double bus = S / want * 2.0 * (double)(n - 1) / (double)n / 1e9;
			assert_float_equal(res.busbw_gbs, bus, bus * 0.01);
			if (servers[k] <= 8 && res.busbw_gbs <= 0.97 * 8 * B / 1e9)
				fail_msg("servers %zu route %d: busbw %g GB/s", servers[k], r, res.busbw_gbs);
		}
		free(g);
	}
	tplan_free(&t);
}

static void test_tree_and_alltoall(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 32, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	int64_t *g = rail0(32);
	double S = 256.0 * (1 << 20);
	/* all-to-all on one leaf: each NIC sends (N-1)/N S, fair shared */
	for (int pw = 0; pw < 2; pw++) {
		lf_coll_result r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLTOALL,
		                       pw ? LF_ALGO_PAIRWISE : LF_ALGO_DIRECT, g, 32, S, 0);
		double want = 31.0 / 32 * S / B;
		assert_float_equal(r.time_us * 1e-6, want, want * 0.01);
		assert_int_equal(r.flows, 32 * 31);
	}
	/* double binary tree, 2 ranks: each tree sends S/2 up and S/2 down, the
	 * two trees in opposite directions: S/B in all */
	lf_coll_result r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLREDUCE, LF_ALGO_TREE, g, 2, S, 0);
	assert_float_equal(r.time_us * 1e-6, S / B, S / B * 0.01);
	/* larger trees are slower than the ring's bandwidth bound but finish */
	r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLREDUCE, LF_ALGO_TREE, g, 32, S, 0);
	assert_true(r.time_us * 1e-6 >= 2 * 31.0 / 32 * S / B * 0.999);
	free(g);
	tplan_free(&t);
}

/* Permutation: GPU r of server i sends S to GPU r of server i+32 (the other SU). */
static double permutation(const lf_plan *pl, lf_route route, lf_coll_result *res, int failed)
{
	lf_sim_config cfg = { .route = route, .seed = 11, .efficiency = 1.0, .failed_count = failed };
	lf_sim *s;
	assert_int_equal(lf_sim_new(pl, &cfg, &s, NULL), LF_OK);
	int64_t n = pl->servers;
	for (int64_t i = 0; i < n; i++)
		for (int r = 0; r < 8; r++) {
			uint32_t ph;
			assert_int_equal(lf_sim_add_transfer(s, i * 8 + r, ((i + n / 2) % n) * 8 + r,
			                                     64.0 * (1 << 20), NULL, 0, &ph, NULL),
			                 LF_OK);
		}
	double t;
	lf_error err;
	if (lf_sim_run(s, &t, &err) != LF_OK)
		fail_msg("%s", err.msg);
	res->n_top = lf_sim_top_links(s, res->top, 8);
	lf_sim_free(s);
	return t;
}

static void test_ecmp_vs_spray(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	double S = 64.0 * (1 << 20), ideal = S / B;
	lf_coll_result rs, re;
	double ts = permutation(t.plan, LF_ROUTE_SPRAY, &rs, 0);
	double te = permutation(t.plan, LF_ROUTE_ECMP, &re, 0);
	assert_true(fabs(ts - ideal) <= 0.02 * ideal);
	assert_true(te > 1.5 * ideal);    /* hash collisions on leaf uplinks */
	/* ECMP finishes exactly when its most loaded link has carried its bytes */
	assert_true(re.n_top > 0);
	assert_float_equal(te, re.top[0].bytes / B, te * 1e-6);
	assert_true(re.top[0].bytes >= 2 * S);
	/* adaptive (least-loaded at start) balances a simultaneous permutation */
	lf_coll_result ra;
	double ta = permutation(t.plan, LF_ROUTE_ADAPTIVE, &ra, 0);
	assert_true(fabs(ta - ideal) <= 0.02 * ideal);
	tplan_free(&t);

	/* 3:1 leaves: 48 servers per SU, 16 uplinks per leaf: 3x the ideal */
	t = tplan_make(cat, 0,
	               "cluster: {server: s8, servers: 96}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: sw, oversubscription: 3:1,"
	               " distance: 30m}, {switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(t.plan->su_servers, 48);
	ts = permutation(t.plan, LF_ROUTE_SPRAY, &rs, 0);
	assert_float_equal(ts, 3 * ideal, 3 * ideal * 0.01);
	/* a failed leaf-spine link: its leaf's 48 flows share 15 uplinks */
	ts = permutation(t.plan, LF_ROUTE_SPRAY, &rs, 1);
	assert_float_equal(ts, 48.0 / 15 * ideal, 48.0 / 15 * ideal * 0.01);
	tplan_free(&t);
}

static void test_nvlink_ring(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 2}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	int64_t g[8];
	for (int i = 0; i < 8; i++)
		g[i] = i;
	double bytes = 1 << 30;
	lf_coll_result r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, 8, bytes, 2);
	double want = 14 * 2e-6 + 14.0 / 8 * bytes / NVL;
	assert_float_equal(r.time_us * 1e-6, want, want * 1e-6);
	/* chunking pipelines the ring: 4 MiB pieces still give the same
	 * bandwidth term, plus latency per piece */
	lf_sim_config cfg = { .route = LF_ROUTE_SPRAY, .efficiency = 1.0, .chunk_bytes = 1 << 24 };
	lf_coll_result rc;
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, 8, bytes,
	                                   &rc, NULL), LF_OK);
	assert_float_equal(rc.time_us, 14.0 / 8 * bytes / NVL * 1e6, 1e-3);
	assert_true(rc.flows == 14 * 8 * 8);
	tplan_free(&t);
}

static void test_folded_rings_match_exact(void **state)
{
	(void)state;
	/* 3 tiers, pods of one SU: a 256-rank ring crosses leaves, spines and
	 * cores; with ECMP some connections collide.  Folded (256 flows) and
	 * exact (2 x 255 x 256 flows) agree. */
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 256, su_size: 32}\n"
	                     "fabric: {tier_count: 3, pod_size: 1, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	size_t n = 256;
	int64_t *g = calloc(n, sizeof *g);
	for (size_t i = 0; i < n; i++)
		g[i] = (int64_t)((i * 37) % n) * 8;   /* a scattered ring order */
	for (int r = 0; r < 2; r++) {
		lf_sim_config cfg = { .route = r ? LF_ROUTE_ECMP : LF_ROUTE_SPRAY, .seed = 3,
		                      .efficiency = 1.0, .latency_us = 2 };
		lf_coll_result folded, exact;
		assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, n,
		                                   64.0 * (1 << 20), &folded, NULL), LF_OK);
		cfg.exact_rings = 1;
		assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, n,
		                                   64.0 * (1 << 20), &exact, NULL), LF_OK);
		assert_int_equal(folded.flows, n);
		assert_int_equal(exact.flows, 2 * (n - 1) * n);
		print_message("ring 256 %s: folded %.1f us, exact %.1f us\n", r ? "ecmp" : "spray",
		              folded.time_us, exact.time_us);
		assert_float_equal(folded.time_us, exact.time_us, exact.time_us * 0.01);
	}
	free(g);
	tplan_free(&t);
}

/* The pairwise all-to-all streamed round by round (memory ~ n flows) gives
 * the same times as the n(n-1) flows built up front. */
static void test_stream_matches_unstreamed(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 64, su_size: 16}\n"
	                     "fabric: {tier_count: 3, pod_size: 1, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	size_t ns[] = { 2, 3, 17, 64 };
	for (size_t a = 0; a < LF_ARRAY_LEN(ns); a++) {
		size_t n = ns[a];
		int64_t *g = calloc(n, sizeof *g);
		for (size_t i = 0; i < n; i++)
			g[i] = (int64_t)((i * 13) % 64) * 8 + (int64_t)(i % 3);
		for (int r = 0; r < 3; r++) {
			lf_sim_config cfg = { .route = (lf_route)r, .seed = 5, .efficiency = 1.0,
			                      .latency_us = 2, .hop_latency_us = 0.3 };
			lf_coll_result st, un;
			assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE,
			                                   g, n, 16.0 * (1 << 20), &st, NULL), LF_OK);
			cfg.no_stream = 1;
			assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE,
			                                   g, n, 16.0 * (1 << 20), &un, NULL), LF_OK);
			assert_int_equal(st.flows, n * (n - 1));
			assert_int_equal(un.flows, n * (n - 1));
			if (fabs(st.time_us - un.time_us) > 1e-9 * un.time_us)
				fail_msg("a2a n=%zu route %d: streamed %.9f us, unstreamed %.9f us", n, r,
				         st.time_us, un.time_us);
			assert_float_equal(st.top[0].bytes, un.top[0].bytes, 1e-6 * un.top[0].bytes);
		}
		free(g);
	}
	tplan_free(&t);
}

/* Pairwise all-to-all in rounds (src/sim/sim.c, "Pairwise all-to-all above
 * 256 ranks").  GPU 0 of 16 servers under one leaf: every round is a
 * permutation of distinct leaf ports, so with or without events the
 * all-to-all takes (n-1)(alpha + S/n/B), to rounding. */
static void test_a2a_rounds_closed_form(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0, "cluster: {server: s8, servers: 16}\n"
	                             "fabric: {tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	size_t n = 16;
	int64_t *g = rail0(n);
	double S = 1 << 30, alpha = 3, want = (double)(n - 1) * (alpha * 1e-6 + S / (double)n / B);
	for (int r = 0; r < 3; r++)
		for (int ex = -1; ex <= 1; ex += 2) {
			lf_sim_config cfg = { .route = (lf_route)r, .seed = 3, .efficiency = 1.0,
			                      .latency_us = alpha, .exact_a2a = ex };
			lf_coll_result res;
			lf_error err;
			if (lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE, g, n, S, &res,
			                      &err) != LF_OK)
				fail_msg("%s", err.msg);
			if (fabs(res.time_us * 1e-6 - want) > 1e-9 * want)
				fail_msg("route %d exact_a2a %d: %.9f s, closed form %.9f s", r, ex,
				         res.time_us * 1e-6, want);
			assert_int_equal(res.flows, n * (n - 1));
			assert_true((strstr(res.note, "rounds without events") != NULL) == (ex < 0));
		}
	free(g);
	tplan_free(&t);
}

/* 256 ranks (the 8 GPUs of 32 servers) on 3 tiers: the rounds without
 * events against the event-driven engine.  The error src/sim/sim.c states:
 * ECMP and spraying within 8 % and 5 % from 128 ranks on (measured here:
 * ECMP -2.5 %, spray -3.8 %).  Every link carries the same bytes. */
static void test_a2a_rounds_vs_events(void **state)
{
	(void)state;
	tplan t = pods_of_16();
	assert_lf_ok(t);
	size_t n = 256;
	int64_t *g = gpus_every(n, 1);
	static const struct { lf_route r; double lo, hi; } cases[] = {
		{ LF_ROUTE_ECMP, -0.08, 0.08 }, { LF_ROUTE_SPRAY, -0.05, 0.05 },
	};
	for (size_t c = 0; c < LF_ARRAY_LEN(cases); c++) {
		lf_coll_result ev, ph;
		lf_sim_config cfg = { .route = cases[c].r, .seed = 1, .efficiency = 0.96,
		                      .latency_us = 2, .exact_a2a = 0 };
		assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE, g, n,
		                                   1 << 30, &ev, NULL), LF_OK);
		cfg.exact_a2a = -1;
		assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE, g, n,
		                                   1 << 30, &ph, NULL), LF_OK);
		/* routing on a second thread changes nothing, bit for bit */
		for (int th = 1; th <= 2; th++) {
			lf_coll_result one;
			cfg.threads = th;
			assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE,
			                                   g, n, 1 << 30, &one, NULL), LF_OK);
			assert_memory_equal(&one.time_us, &ph.time_us, sizeof ph.time_us);
			assert_memory_equal(&one.top[0].bytes, &ph.top[0].bytes, sizeof ph.top[0].bytes);
		}
		cfg.threads = 0;
		double e = ph.time_us / ev.time_us - 1;
		print_message("a2a 256 ranks, route %d: events %.3f us, rounds %.3f us (%+.2f %%)\n",
		              cases[c].r, ev.time_us, ph.time_us, 100 * e);
		if (e < cases[c].lo || e > cases[c].hi)
			fail_msg("route %d: rounds %.3f us vs events %.3f us: %+.2f %%, outside [%g, %g] %%",
			         cases[c].r, ph.time_us, ev.time_us, 100 * e, 100 * cases[c].lo,
			         100 * cases[c].hi);
		assert_int_equal(ph.flows, ev.flows);
		assert_true(strstr(ev.note, "rounds without events") == NULL);
		assert_float_equal(ph.top[0].bytes, ev.top[0].bytes, 1e-9 * ev.top[0].bytes);
	}
	free(g);
	tplan_free(&t);
}

/* cancel after `*ctx` polls */
static int cancel_after(void *ctx)
{
	int *left = ctx;
	return --*left < 0;
}

/* The all-to-all in rounds stops cleanly on a cancel (the router thread
 * joined, nothing leaked under ASan) and on a failed link that leaves
 * flows no path, with one thread and two. */
static void test_a2a_rounds_stop(void **state)
{
	(void)state;
	tplan t = pods_of_16();
	assert_lf_ok(t);
	size_t n = 300;
	int64_t *g = gpus_every(n, 1);
	for (int th = 1; th <= 2; th++) {
		int left = 40;
		lf_sim_config cfg = { .route = LF_ROUTE_ECMP, .seed = 1, .efficiency = 1, .latency_us = 2,
		                      .exact_a2a = -1, .threads = th, .cancel = cancel_after,
		                      .cancel_ctx = &left };
		lf_coll_result res;
		lf_error err;
		assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE, g, n,
		                                   1 << 20, &res, &err), LF_ELIMIT);
		assert_non_null(strstr(err.msg, "cancelled"));
		/* GPU 0's only link (rail 0 of server 0) down: no path from it */
		lf_failed_link down = { .level = 1, .plane = 0, .lower = 0, .upper = 0 };
		cfg = (lf_sim_config){ .route = LF_ROUTE_ECMP, .seed = 1, .efficiency = 1,
		                       .latency_us = 2, .exact_a2a = -1, .threads = th, .n_failed = 1,
		                       .failed = &down };
		assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLTOALL, LF_ALGO_PAIRWISE, g, n,
		                                   1 << 20, &res, &err), LF_EINPUT);
		assert_non_null(strstr(err.msg, "never finished"));
	}
	free(g);
	tplan_free(&t);
}

/* Max-min by hand, on one leaf (spray, no latency), S bytes per flow unless
 * said, servers 0..4, GPU 0 of each (rail 0):
 *   A: 0->2, B: 1->2, C: 3->2 share 2's downlink: B/3 each;
 *   D: 1->4, 3S, shares 1's uplink with B: it gets B - B/3 = 2B/3.
 * A, B, C finish at 3S/B; by then D has sent 2S and its last S goes at
 * B: it finishes at 4S/B.  A flow E: 0->5 released at 3S/B (when A left
 * 0's uplink) runs alone: S/B later. */
static void test_traffic_maxmin_by_hand(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 32, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	const double S = 8.0 * (1 << 20), T = S / B;
	for (int cap = 0; cap < 2; cap++) {
		/* cap: every flow at most B/2: D runs at B/2 (its cap, below 2B/3),
		 * finishing its 3S at 6S/B; E alone: 2S/B */
		lf_sim_config cfg = { .route = LF_ROUTE_SPRAY, .efficiency = 1.0,
		                      .max_flow_rate = cap ? B / 2 : 0 };
		lf_sim *s;
		assert_int_equal(lf_sim_new(t.plan, &cfg, &s, NULL), LF_OK);
		static const int src[] = { 0, 1, 3, 1, 0 }, dst[] = { 2, 2, 2, 4, 5 };
		double bytes[] = { S, S, S, 3 * S, S }, start[] = { 0, 0, 0, 0, 3 * T };
		for (uint32_t i = 0; i < 5; i++) {
			uint32_t id;
			assert_int_equal(lf_sim_add_flow_at(s, src[i] * 8, dst[i] * 8, bytes[i], start[i],
			                                    &id, NULL), LF_OK);
			assert_int_equal(id, i);
		}
		double end;
		assert_int_equal(lf_sim_run(s, &end, NULL), LF_OK);
		double want[] = { 3 * T, 3 * T, 3 * T, cap ? 6 * T : 4 * T, cap ? 5 * T : 4 * T };
		for (uint32_t i = 0; i < 5; i++)
			if (fabs(lf_sim_flow_finish_s(s, i) - want[i]) > 1e-9 * want[i])
				fail_msg("cap %d flow %u: finished at %.9g s, by hand %.9g s", cap, i,
				         lf_sim_flow_finish_s(s, i), want[i]);
		/* alone: the NIC rate, or the cap */
		assert_float_equal(lf_sim_flow_alone_rate(s, 3), cap ? B / 2 : B, 1e-6);
		lf_sim_free(s);
	}
	tplan_free(&t);
}

/* A partial last pod (final build-out, pods of 4 SUs over 10 SUs: 4 + 4 +
 * 2) has spines sized by its own leaves, 2 instead of 4, each taking two
 * core groups.  Spraying runs over the pods' trunks: the last pod's 8
 * servers sending to 8 servers of the first pod each get their NIC's rate,
 * because the pod's trunk (2 spines x 4 uplinks) carries 8 NICs' worth.
 * Routing flows through named spines (ECMP) is refused, with the reason. */
static void test_partial_last_pod(void **state)
{
	(void)state;
	static const char *const cat1 =
	        "nics: [{id: nic, max_speed: 400G, source: test}]\n"
	        "servers:\n"
	        "  - {id: s1, gpus: 1, nic: nic, nic_ports: 1, port_speed: 400G, cages: 1,\n"
	        "     cage_speed: 400G, form_factor: osfp, nvlink_speed: 3600G, source: test}\n"
	        "switches:\n"
	        "  - {id: sw8, cages: 8, cage_speed: 400G, form_factor: osfp, port_speeds: [400G],\n"
	        "     source: test}\n"
	        "transceivers:\n"
	        "  - {id: t, form_factor: osfp, standard: S, link_speed: 400G, links: 1, lanes: 4,\n"
	        "     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 8,\n"
	        "     reach: 500m, laser: eml, source: test}\n";
	tplan t = tplan_make(cat1, 0, "cluster: {server: s1, servers: 40, su_size: 4}\n"
	                              "fabric: {tier_count: 3, tiers: [{switch: sw8, distance: 30m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(t.plan->pods, 3);
	int last_spines = 0;
	for (size_t i = 0; i < t.plan->n_nodes; i++) {
		const lf_node *n = &t.plan->nodes[i];
		last_spines += n->kind == LF_NODE_SWITCH && n->tier == 2 && n->group == 2;
	}
	assert_int_equal(last_spines, 2);
	const double S = 8.0 * (1 << 20);
	lf_sim_config cfg = { .route = LF_ROUTE_SPRAY, .efficiency = 1.0 };
	lf_sim *s;
	lf_error err;
	assert_int_equal(lf_sim_new(t.plan, &cfg, &s, &err), LF_OK);
	for (uint32_t i = 0; i < 8; i++) {
		uint32_t id;
		assert_int_equal(lf_sim_add_flow_at(s, 32 + i, i, S, 0, &id, NULL), LF_OK);
	}
	double end;
	assert_int_equal(lf_sim_run(s, &end, NULL), LF_OK);
	for (uint32_t i = 0; i < 8; i++)
		assert_float_equal(lf_sim_flow_finish_s(s, i), S / B, 1e-9 * S / B);
	lf_sim_free(s);
	/* per-flow routing follows each core group to the spine it meets in
	 * the other pod: a flow from the last pod, alone, at its NIC's rate
	 * under every routing, in both directions */
	static const lf_route routes[] = { LF_ROUTE_ECMP, LF_ROUTE_ADAPTIVE, LF_ROUTE_FTREE };
	for (size_t r = 0; r < LF_ARRAY_LEN(routes); r++)
		for (uint32_t i = 0; i < 8; i++)
			for (int back = 0; back < 2; back++) {
				cfg.route = routes[r];
				cfg.seed = 1 + i;
				assert_int_equal(lf_sim_new(t.plan, &cfg, &s, &err), LF_OK);
				uint32_t id;
				assert_int_equal(lf_sim_add_flow_at(s, back ? i : 32 + i, back ? 32 + i : i,
				                                    S, 0, &id, NULL), LF_OK);
				assert_int_equal(lf_sim_run(s, &end, NULL), LF_OK);
				assert_float_equal(lf_sim_flow_finish_s(s, id), S / B, 1e-9 * S / B);
				lf_sim_free(s);
			}
	/* around failed links it does not: refused, with the reason */
	cfg.route = LF_ROUTE_ECMP;
	cfg.failed_count = 1;
	assert_int_equal(lf_sim_new(t.plan, &cfg, &s, &err), LF_EINPUT);
	char b[1024];
	lf_error_format(&err, b, sizeof b);
	assert_non_null(strstr(b, "the last pod has 2 spines per plane and the others 4"));
	assert_non_null(strstr(b, "routing around failed links needs equal pods"));
	tplan_free(&t);
}

/* The fluid spray is the ideal; spray_efficiency e stretches it by 1/e. */
static void test_spray_efficiency(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	double S = 4.0 * (1 << 20);
	for (int k = 0; k < 2; k++) {
		lf_sim_config cfg = { .route = LF_ROUTE_SPRAY, .efficiency = 1.0,
		                      .spray_efficiency = k ? 0.65 : 0 };
		lf_sim *s;
		assert_int_equal(lf_sim_new(t.plan, &cfg, &s, NULL), LF_OK);
		for (int64_t i = 0; i < 64; i++) {
			uint32_t id;
			assert_int_equal(lf_sim_add_flow_at(s, i * 8, ((i + 32) % 64) * 8, S, 0, &id, NULL),
			                 LF_OK);
		}
		double end;
		assert_int_equal(lf_sim_run(s, &end, NULL), LF_OK);
		double want = S / B / (k ? 0.65 : 1);
		assert_float_equal(end, want, want * 1e-9);
		lf_sim_free(s);
	}
	tplan_free(&t);
}

/* A spec of tests/validation/ planned with the bundled catalog. */
typedef struct vplan { lf_catalog *cat; lf_spec *spec; lf_plan *plan; } vplan;

static vplan vplan_load(const char *name)
{
	vplan v = { 0 };
	char path[256];
	lf_error e;
	snprintf(path, sizeof path, "tests/validation/%s.yaml", name);
	assert_int_equal(lf_catalog_new(&v.cat, NULL), LF_OK);
	assert_int_equal(lf_catalog_load_path(v.cat, LF_DATADIR, NULL), LF_OK);
	/* the spec's own catalog parts (a100-parts.yaml) join before finishing */
	assert_int_equal(lf_spec_load(path, v.cat, &v.spec, &e), LF_OK);
	assert_int_equal(lf_catalog_finish(v.cat, NULL), LF_OK);
	assert_int_equal(lf_spec_resolve(v.spec, v.cat, &e), LF_OK);
	assert_int_equal(lf_plan_build(v.spec, v.cat, &v.plan, &e), LF_OK);
	return v;
}

static void vplan_free(vplan *v)
{
	lf_plan_free(v->plan);
	lf_spec_free(v->spec);
	lf_catalog_free(v->cat);
}

/* Published nccl-tests all-reduce busBW against lightfab's defaults (NCCL
 * latency model, the fabric's own routing, efficiency 0.96): the rows of
 * docs/sim.md's validation table, on the specs in tests/validation/.  The
 * bound is the target (10%, 5% from 1 GiB) except for the rows the table
 * lists as misses, which are pinned near their documented error so that a
 * change that moves them shows up. */
static void test_validation_h100(void **state)
{
	(void)state;
	static const struct row {
		const char *spec;
		int nvls_tree;           /* 1: forced (the GTC24 scan); 2: ring forced; 0: auto */
		double mib, published, bound;
	} v[] = {
		/* one node, ring: the maintainers' ~370 GB/s for 8 H100 over NVLink
		 * (nccl-tests #212), and 230-250 for 8 A100 (nccl-busbw.md [S]) */
		{ "h100-1", 2, 8192, 370, .05 }, { "a100-1", 0, 8192, 240, .05 },
		/* Azure ND H100 v5, one node, NVLS */
		{ "h100-1", 0, 64, 361.8, .10 }, { "h100-1", 0, 512, 438.5, .10 },
		{ "h100-1", 0, 1024, 466.4, .05 }, { "h100-1", 0, 8192, 478.9, .05 },
		/* Azure ND H200 v5, one node (the same NVLink 4 node) */
		{ "h100-1", 0, 64, 368.1, .10 }, { "h100-1", 0, 512, 442.7, .10 },
		{ "h100-1", 0, 1024, 467.6, .05 }, { "h100-1", 0, 8192, 480.0, .05 },
		/* nccl-tests #309 (user report), 2 nodes: a miss, +8.8% */
		{ "h100-2", 0, 8192, 470, .09 },
		/* nccl-tests #309 (user report) and GTC25 S72583 (no SHARP): 4 nodes */
		{ "h100-4", 0, 8192, 365.84, .05 }, { "h100-4", 0, 8192, 370, .05 },
		/* CoreWeave H100 InfiniBand, 8 nodes */
		{ "h100-8", 0, 512, 356.0, .10 }, { "h100-8", 0, 1024, 365.9, .05 },
		{ "h100-8", 0, 2048, 380.7, .05 }, { "h100-8", 0, 8192, 386.6, .05 },
		/* GTC24 S62129 NVLSTree scan */
		{ "h100-4", 1, 64, 230, .10 }, { "h100-4", 1, 512, 338, .10 },
		{ "h100-4", 1, 1024, 350, .05 }, { "h100-4", 1, 8192, 368, .05 },
		{ "h100-128", 1, 64, 125, .10 }, { "h100-128", 1, 512, 300, .10 },
		{ "h100-128", 1, 1024, 333, .05 }, { "h100-128", 1, 8192, 368, .05 },
		{ "h100-1024", 1, 64, 105, .10 },
		{ "h100-1024", 1, 512, 255, .14 },   /* miss: +12.7% */
		{ "h100-1024", 1, 1024, 305, .09 },  /* miss: +7.8% */
		{ "h100-1024", 1, 8192, 368, .05 },
		/* CoreWeave GB200 NVL72, one rack */
		{ "gb200-1", 0, 512, 586, .10 }, { "gb200-1", 0, 1024, 681, .05 },
		{ "gb200-1", 0, 2048, 758, .05 }, { "gb200-1", 0, 8192, 835, .05 },
	};
	for (size_t k = 0; k < LF_ARRAY_LEN(v); k++) {
		vplan vp = vplan_load(v[k].spec);
		const lf_plan *pl = vp.plan;
		lf_error e;
		size_t n = (size_t)(pl->servers * pl->spec->server->gpus);
		int64_t *g = calloc(n, sizeof *g);
		for (size_t i = 0; i < n; i++)
			g[i] = (int64_t)i;
		lf_sim_config cfg = { .route = LF_ROUTE_DEFAULT, .seed = 1, .efficiency = 0.96,
		                      .latency_us = -1 };
		lf_coll_result r;
		lf_algo algo = v[k].nvls_tree == 1 ? LF_ALGO_NVLS_TREE
		             : v[k].nvls_tree == 2 ? LF_ALGO_RING : LF_ALGO_AUTO;
		assert_int_equal(lf_sim_collective(pl, &cfg, LF_COLL_ALLREDUCE, algo, g, n,
		                                   v[k].mib * 1048576.0, &r, &e), LF_OK);
		double err = (r.busbw_gbs - v[k].published) / v[k].published;
		print_message("%-10s %6.0f MiB %-9s %-6s: busBW %6.1f GB/s, published %6.1f: %+5.1f%%\n",
		              v[k].spec, v[k].mib, lf_algo_name(r.algo), lf_nccl_proto_name(r.proto),
		              r.busbw_gbs, v[k].published, 100 * err);
		if (fabs(err) >= v[k].bound)
			fail_msg("%s %g MiB: %+.1f%% (bound %.0f%%)", v[k].spec, v[k].mib, 100 * err,
			         100 * v[k].bound);
		free(g);
		vplan_free(&vp);
	}
}

/* NCCL's tuner (tuning.cc v2.30.7-1) by hand for 4 DGX H100 nodes (32
 * ranks, 16 channels, 8 x 50 GB/s NICs, 450 GB/s NVLink): Ring Simple
 * latency 8.4 + 56 x max(3.4, 3 x 1) + 6 x 14 = 282.8 us, bandwidth
 * 16 x 25 x 32/62; Tree Simple 8.4 + 2 (7 x 4 + 2 x 14) = 120.4 us at
 * min(400 x 0.92, 16 x 36) / 2; NVLS Tree 25 + 4 x 20.9 = 108.6 us at
 * 16 x min(28.1 x 0.85 x 15/16 x 2, 25, 45.5) x 32/62; 1 GiB picks NVLS
 * Tree, 1 KiB Tree LL (6.8 + 2 (7 x 0.6 + 2 x 5) = 35.2 us). */
static void test_nccl_tuner(void **state)
{
	(void)state;
	nccl_shape c = { .n_ranks = 32, .n_nodes = 4, .ppn = 8, .uniform = true,
	                 .arch = LF_ARCH_HOPPER, .nvlink = true, .nvswitch = true, .nvls = true,
	                 .nvlink_gbs = 450, .net_gbs = 400, .net_eff_gbs = 384, .nics = 8,
	                 .channels = 16, .nvls_channels = 16, .domain_ranks = 8 };
	nccl_table t;
	nccl_tune(&c, LF_COLL_ALLREDUCE, &t);
	assert_float_equal(t.lat[NC_RING][NC_SIMPLE], 282.8, 1e-6);
	assert_float_equal(t.bw[NC_RING][NC_SIMPLE], 400.0 * 32 / 62, 1e-3);
	assert_float_equal(t.lat[NC_TREE][NC_SIMPLE], 120.4, 1e-6);
	assert_float_equal(t.bw[NC_TREE][NC_SIMPLE], 368.0 / 2, 1e-3);
	assert_float_equal(t.lat[NC_NVLS_TREE][NC_SIMPLE], 108.6, 1e-6);
	assert_float_equal(t.bw[NC_NVLS_TREE][NC_SIMPLE], 400.0 * 32 / 62, 1e-3);
	/* NVLS alone does not cross nodes without SHARP; NVLS and CollNet have
	 * Simple only; PAT is for one GPU per node */
	assert_true(t.bw[NC_NVLS][NC_SIMPLE] == 0);
	assert_true(t.bw[NC_NVLS_TREE][NC_LL] == 0);
	assert_true(t.bw[NC_COLLNET_DIRECT][NC_SIMPLE] == 0);
	int p = -1;
	assert_int_equal(nccl_pick(&c, LF_COLL_ALLREDUCE, 1 << 30, -1, -1, &p), NC_NVLS_TREE);
	assert_int_equal(p, NC_SIMPLE);
	assert_int_equal(nccl_pick(&c, LF_COLL_ALLREDUCE, 1024, -1, -1, &p), NC_TREE);
	assert_int_equal(p, NC_LL);
	assert_float_equal(t.lat[NC_TREE][NC_LL], 35.2, 1e-6);
	/* Ring Simple's plateau: x1.4 on the latency of a multi-node all-reduce */
	double tm = nccl_tuner_time_us(&c, &t, LF_COLL_ALLREDUCE, NC_RING, NC_SIMPLE, 1 << 30);
	assert_float_equal(tm, 282.8 * 1.4 + (1 << 30) / (1000 * 400.0 * 32 / 62), 1e-3);
	/* with SHARP: CollNet Direct and multi-node NVLS run */
	c.collnet = true;
	nccl_tune(&c, LF_COLL_ALLREDUCE, &t);
	assert_true(t.bw[NC_NVLS][NC_SIMPLE] > 0 && t.bw[NC_COLLNET_DIRECT][NC_SIMPLE] > 0);
	/* one GPU per node: PAT for all-gather, 8 + log2(4) x 14/3.5 + 4 x 2.8 */
	nccl_shape one = c;
	one.n_ranks = 4;
	one.ppn = 1;
	one.nics = 1;
	nccl_tune(&one, LF_COLL_ALLGATHER, &t);
	assert_float_equal(t.lat[NC_PAT][NC_SIMPLE], 8 + 2 * 14 / 3.5 + 4 * 2.8, 1e-6);
}

/* All-to-all cannot aggregate NICs (nccl-tests #267, #130, maintainer):
 * the network share of each GPU's buffer, (n-G)/n, crosses its own NIC, so
 * the fabric bounds busBW at (n-1)/(n-G) x one NIC (~N/(N-1) x one NIC for
 * N nodes), falling to one NIC's rate as nodes are added.  With a fixed
 * latency the simulation gives that bound; with NCCL's model, NCCL's
 * measured share of it: 48 GB/s on 4 DGX H100 (GTC25 S72583). */
static void test_alltoall_nic_bound(void **state)
{
	(void)state;
	vplan vp = vplan_load("h100-16");
	const lf_plan *pl = vp.plan;
	lf_error e;
	int64_t g[128];
	for (int i = 0; i < 128; i++)
		g[i] = i;
	for (int nccl = 0; nccl < 2; nccl++) {
		lf_sim_config cfg = { .route = LF_ROUTE_DEFAULT, .seed = 1, .efficiency = 0.96,
		                      .latency_us = nccl ? -1 : 0 };
		double share = nccl ? nccl_a2a_net_eff() : 1, prev = 1e9;
		for (size_t nodes = 2; nodes <= 16; nodes *= 2) {
			size_t n = nodes * 8;
			lf_coll_result r;
			assert_int_equal(lf_sim_collective(pl, &cfg, LF_COLL_ALLTOALL, LF_ALGO_AUTO, g,
			                                   n, 1 << 30, &r, &e), LF_OK);
			double want = ((double)n - 1) / ((double)n - 8) * 48 * share;
			assert_float_equal(r.busbw_gbs, want, want * 0.02);
			if (nccl && nodes == 4)
				assert_float_equal(r.busbw_gbs, 48, 48 * 0.02);
			assert_true(r.busbw_gbs < prev);
			prev = r.busbw_gbs;
		}
		assert_true(prev < 1.1 * 48 * share);
	}
	vplan_free(&vp);
}

/* Every collective with nccl-tests' busBW definitions, 8 GiB over 8 DGX H100
 * (64 ranks, 8 x 400G NICs at 0.96 per node): all-gather, reduce-scatter,
 * broadcast and reduce run one ring or chain per NIC and reach the node's
 * NICs, 8 x 48 GB/s; all-to-all (n-1)/(n-G) x one NIC at NCCL's all-to-all
 * share (48/62, nccl_a2a_net_eff); send-recv, each rank to the next, one NIC. */
static void test_every_collective(void **state)
{
	(void)state;
	static const struct { lf_coll c; double want, tol; } v[] = {
		{ LF_COLL_ALLGATHER, 384, .03 }, { LF_COLL_REDUCESCATTER, 384, .03 },
		{ LF_COLL_BROADCAST, 384, .05 }, { LF_COLL_REDUCE, 384, .05 },
		{ LF_COLL_ALLTOALL, 63.0 / 56 * 48 * 48 / 62, .02 }, { LF_COLL_SENDRECV, 48, .02 },
	};
	vplan vp = vplan_load("h100-8");
	int64_t g[64];
	for (int i = 0; i < 64; i++)
		g[i] = i;
	lf_sim_config cfg = { .route = LF_ROUTE_DEFAULT, .seed = 1, .efficiency = 0.96,
	                      .latency_us = -1 };
	for (size_t k = 0; k < LF_ARRAY_LEN(v); k++) {
		lf_coll_result r;
		lf_error e;
		assert_int_equal(lf_sim_collective(vp.plan, &cfg, v[k].c, LF_ALGO_AUTO, g, 64,
		                                   8.0 * (1 << 30), &r, &e), LF_OK);
		print_message("%-14s %-9s busBW %6.1f GB/s (bound %.1f)\n", lf_coll_name(v[k].c),
		              lf_algo_name(r.algo), r.busbw_gbs, v[k].want);
		assert_float_equal(r.busbw_gbs, v[k].want, v[k].want * v[k].tol);
	}
	vplan_free(&vp);
}

/* A data-parallel group beside tensor parallelism: every 2nd GPU (TP 2) or
 * every 4th (TP 4) of 8 DGX H100, 4 or 2 GPUs per server.  NCCL runs a ring
 * per NIC of those GPUs, so the reduce-scatter reaches their NICs: busBW
 * 4 x 48 and 2 x 48 GB/s at 8 GiB (not one NIC's 48, a single ring). */
static void test_strided_groups(void **state)
{
	(void)state;
	vplan vp = vplan_load("h100-8");
	lf_sim_config cfg = { .route = LF_ROUTE_DEFAULT, .seed = 1, .efficiency = 0.96,
	                      .latency_us = -1 };
	for (int stride = 2; stride <= 4; stride *= 2) {
		int64_t g[32];
		size_t n = 64 / (size_t)stride;
		for (size_t i = 0; i < n; i++)
			g[i] = (int64_t)i * stride;
		lf_coll_result r;
		lf_error e;
		assert_int_equal(lf_sim_collective(vp.plan, &cfg, LF_COLL_REDUCESCATTER, LF_ALGO_AUTO,
		                                   g, n, 8.0 * (1 << 30), &r, &e), LF_OK);
		double want = 8.0 / stride * 48;
		assert_float_equal(r.busbw_gbs, want, want * 0.04);
	}
	vplan_free(&vp);
}

/* `channels` acts: a ring on 4 of a node's 8 NICs halves the large-message
 * busBW; NVLS runs its own channels and says so. */
static void test_channels_act(void **state)
{
	(void)state;
	vplan vp = vplan_load("h100-8");
	int64_t g[64];
	for (int i = 0; i < 64; i++)
		g[i] = i;
	lf_sim_config cfg = { .route = LF_ROUTE_DEFAULT, .seed = 1, .efficiency = 0.96,
	                      .latency_us = -1 };
	lf_coll_result all, four, nv;
	lf_error e;
	assert_int_equal(lf_sim_collective(vp.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, 64,
	                                   8.0 * (1 << 30), &all, &e), LF_OK);
	cfg.channels = 4;
	assert_int_equal(lf_sim_collective(vp.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, 64,
	                                   8.0 * (1 << 30), &four, &e), LF_OK);
	assert_float_equal(four.busbw_gbs, all.busbw_gbs / 2, all.busbw_gbs * 0.03);
	assert_int_equal(four.channels, 4);
	assert_int_equal(lf_sim_collective(vp.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_NVLS_TREE, g,
	                                   64, 8.0 * (1 << 30), &nv, &e), LF_OK);
	assert_true(nv.busbw_gbs > 0.9 * all.busbw_gbs);
	assert_non_null(strstr(nv.note, "channels is not used by nvls-tree"));
	vplan_free(&vp);
}

/* What the hardware cannot run is refused, naming the part; options the
 * algorithm does not use are noted. */
static void test_nccl_refusals(void **state)
{
	(void)state;
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 4, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	int64_t g[32];
	for (int i = 0; i < 32; i++)
		g[i] = i;
	lf_sim_config cfg = { .route = LF_ROUTE_DEFAULT, .efficiency = 0.96, .latency_us = -1 };
	lf_coll_result r;
	lf_error e;
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_NVLS, g, 8,
	                                   1e9, &r, &e), LF_EINPUT);
	assert_non_null(strstr(e.msg, "server s8"));
	assert_non_null(strstr(e.msg, "NVSwitch"));
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_COLLNET_DIRECT,
	                                   g, 32, 1e9, &r, &e), LF_EINPUT);
	assert_non_null(strstr(e.msg, "switch sw has no SHARP"));
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLGATHER, LF_ALGO_PAT, g, 32, 1e9,
	                                   &r, &e), LF_EINPUT);
	assert_non_null(strstr(e.msg, "PAT needs one GPU per node"));
	/* no NVSwitch: auto never picks NVLS; a tree over 4 nodes */
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_AUTO, g, 32,
	                                   1e9, &r, &e), LF_OK);
	assert_true(r.algo == LF_ALGO_RING || r.algo == LF_ALGO_TREE);
	/* a forced protocol the algorithm does not run, and a chunk, are noted */
	cfg.proto = LF_NCCL_LL;
	cfg.chunk_bytes = 1 << 20;
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_TREE, g, 32,
	                                   1e9, &r, &e), LF_OK);
	assert_int_equal(r.proto, LF_NCCL_LL);
	assert_non_null(strstr(r.note, "chunk is not used by tree"));
	/* one GPU per node: PAT all-gather runs, with its own latency */
	int64_t one[4] = { 0, 8, 16, 24 };
	cfg.proto = LF_NCCL_AUTO;
	cfg.chunk_bytes = 0;
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLGATHER, LF_ALGO_PAT, one, 4,
	                                   1e9, &r, &e), LF_OK);
	assert_int_equal(r.algo, LF_ALGO_PAT);
	assert_float_equal(r.latency_us, 8 + 2 * 14 / 3.5 + 4 * 2.8, 1e-6);
	/* PAT moves (n-1)/n S per rank at 0.75 of 400G x 0.96 (one NIC each) */
	double want = r.latency_us * 1e-6 + 3.0 / 4 * 1e9 / (0.75 * 0.96 * B);
	assert_float_equal(r.time_us * 1e-6, want, want * 0.02);
	tplan_free(&t);
}

static void test_nvl72_domain(void **state)
{
	(void)state;
	/* 4-GPU trays in a 72-GPU NVLink domain: a ring over the 72 GPUs of
	 * the first 18 trays stays on NVLink, one over 72 GPUs of 18 racks does not */
	tplan t = tplan_make(
		"nics: [{id: n, max_speed: 400G, source: t}]\n"
		"servers:\n"
		"  - {id: tray, gpus: 4, nic: n, nic_ports: 4, port_speed: 400G, cages: 4,\n"
		"     cage_speed: 400G, form_factor: osfp, nvlink_speed: 7200G,\n"
		"     nvlink_domain_gpus: 72, source: t}\n"
		"switches: [{id: sw, cages: 32, cage_speed: 800G, form_factor: osfp,\n"
		"            port_speeds: [400G], source: t}]\n"
		"transceivers:\n"
		"  - {id: a, form_factor: osfp, standard: S, link_speed: 400G, links: 1, lanes: 4,\n"
		"     lane_speed: 100G, medium: smf, connector: M, fibres_per_link: 8, reach: 500m,\n"
		"     laser: eml, source: t}\n"
		"  - {id: b, form_factor: osfp, standard: S, link_speed: 400G, links: 2, lanes: 8,\n"
		"     lane_speed: 100G, medium: smf, connector: M, fibres_per_link: 8, reach: 500m,\n"
		"     laser: eml, source: t}\n", 0,
		"cluster: {server: tray, servers: 1296, su_size: 18}\n"
		"fabric: {tier_count: auto, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	int64_t g[72];
	for (int i = 0; i < 72; i++)
		g[i] = i;
	double S = 1 << 30;
	lf_coll_result r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLGATHER, LF_ALGO_RING, g, 72, S, 0);
	/* the tray's arch is the default (Hopper): NVLink at 20.6 of 25 */
	assert_float_equal(r.time_us * 1e-6, 71.0 / 72 * S / (7200e9 / 8 * 20.6 / 25), 1e-6);
	for (int i = 0; i < 72; i++)
		g[i] = (int64_t)i * 18 * 4;   /* GPU 0 of the first tray of 72 racks */
	r = run(t.plan, LF_ROUTE_SPRAY, LF_COLL_ALLGATHER, LF_ALGO_RING, g, 72, S, 0);
	assert_float_equal(r.time_us * 1e-6, 71.0 / 72 * S / B, 1e-5);
	tplan_free(&t);
}

static void test_hop_latency(void **state)
{
	(void)state;
	/* two ranks in different SUs: 3 switches per step (leaf, spine, leaf);
	 * T = 2 (a + 3 h) + S/B */
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	int64_t g[2] = { 0, 32 * 8 };
	lf_sim_config cfg = { .route = LF_ROUTE_SPRAY, .efficiency = 1.0, .latency_us = 2,
	                      .hop_latency_us = 0.5 };
	lf_coll_result r;
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, 2, 1e6,
	                                   &r, NULL), LF_OK);
	assert_float_equal(r.time_us, 2 * (2 + 3 * 0.5) + 1e6 / B * 1e6, 1e-6);
	/* under one leaf: 1 switch */
	g[1] = 8;
	assert_int_equal(lf_sim_collective(t.plan, &cfg, LF_COLL_ALLREDUCE, LF_ALGO_RING, g, 2, 1e6,
	                                   &r, NULL), LF_OK);
	assert_float_equal(r.time_us, 2 * (2 + 0.5) + 1e6 / B * 1e6, 1e-6);
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rings_two_tier),
		cmocka_unit_test(test_rings_three_tier),
		cmocka_unit_test(test_rings_4096),
		cmocka_unit_test(test_hierarchical),
		cmocka_unit_test(test_rail_rings),
		cmocka_unit_test(test_tree_and_alltoall),
		cmocka_unit_test(test_ecmp_vs_spray),
		cmocka_unit_test(test_nvlink_ring),
		cmocka_unit_test(test_folded_rings_match_exact),
		cmocka_unit_test(test_validation_h100),
		cmocka_unit_test(test_nvl72_domain),
		cmocka_unit_test(test_hop_latency),
		cmocka_unit_test(test_nccl_tuner),
		cmocka_unit_test(test_nccl_refusals),
		cmocka_unit_test(test_alltoall_nic_bound),
		cmocka_unit_test(test_channels_act),
		cmocka_unit_test(test_every_collective),
		cmocka_unit_test(test_strided_groups),
		cmocka_unit_test(test_stream_matches_unstreamed),
		cmocka_unit_test(test_a2a_rounds_closed_form),
		cmocka_unit_test(test_a2a_rounds_vs_events),
		cmocka_unit_test(test_a2a_rounds_stop),
		cmocka_unit_test(test_traffic_maxmin_by_hand),
		cmocka_unit_test(test_spray_efficiency),
		cmocka_unit_test(test_partial_last_pod),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
