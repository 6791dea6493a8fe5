/*
 * test_sim.c — the flow-level engine against closed forms (DESIGN.md,
 * "Collectives"): on a non-blocking fabric, ring all-reduce takes
 * T = 2(N-1)·α + 2(N-1)/N · S/B, whatever the routing.
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

static double ring_time(const lf_plan *pl, lf_route route, size_t n, double bytes,
                        int stride, double alpha_us)
{
	lf_sim_config cfg = { .route = route, .seed = 7, .efficiency = 1.0, .latency_us = alpha_us };
	lf_sim *s = NULL;
	assert_int_equal(lf_sim_new(pl, &cfg, &s, NULL), LF_OK);
	int64_t *g = calloc(n, sizeof *g);
	for (size_t i = 0; i < n; i++)
		g[i] = lf_sim_gpu(s, (int64_t)(i * (size_t)stride) % pl->servers, 0);
	lf_error err;
	assert_int_equal(lf_sim_ring_allreduce(s, g, n, bytes, &err), LF_OK);
	double t = 0;
	if (lf_sim_run(s, &t, &err) != LF_OK)
		fail_msg("%s", err.msg);
	free(g);
	lf_sim_free(s);
	return t;
}

static void check_ring(const char *spec, const size_t *ns, size_t nn)
{
	tplan t = tplan_make(cat, 0, spec);
	assert_lf_ok(t);
	const double B = 400e9 / 8, alpha = 5;
	static const double sizes[] = { 1024, 1 << 20, 1 << 30, 8.0 * (1 << 30) };
	for (size_t a = 0; a < nn; a++)
		for (size_t k = 0; k < 4; k++)
			for (int r = 0; r < 2; r++) {
				size_t n = ns[a];
				if ((int64_t)n > t.plan->servers)
					continue;
				double want = 2.0 * (double)(n - 1) * alpha * 1e-6 +
				              2.0 * (double)(n - 1) / (double)n * sizes[k] / B;
				double got = ring_time(t.plan, r ? LF_ROUTE_ECMP : LF_ROUTE_SPRAY, n, sizes[k],
				                       n > 1 ? 1 : 1, alpha);
				if (fabs(got - want) > 0.01 * want)
					fail_msg("ring N=%zu S=%g %s: %g s, formula %g s", n, sizes[k],
					         r ? "ecmp" : "spray", got, want);
			}
	tplan_free(&t);
}

static void test_ring_two_tier(void **state)
{
	(void)state;
	static const size_t ns[] = { 2, 3, 8, 33, 64 };
	check_ring("cluster: {server: s8, servers: 64, su_size: 32}\n"
	           "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n", ns, 5);
}

static void test_ring_three_tier(void **state)
{
	(void)state;
	/* sw8: 16 ports at 400G; SU of 8 servers; pods of 1 SU; rings cross cores */
	static const size_t ns[] = { 2, 9, 40, 128 };
	check_ring("cluster: {server: s8, servers: 128}\n"
	           "fabric: {tier_count: 3, pod_size: 1, tiers: [{switch: sw8, distance: 30m}]}\n",
	           ns, 4);
}

static void test_nvlink_ring(void **state)
{
	(void)state;
	/* 8 GPUs of one server: B = 3,600 Gb/s NVLink per GPU */
	tplan t = tplan_make(cat, 0,
	                     "cluster: {server: s8, servers: 2}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: sw, distance: 30m}]}\n");
	assert_lf_ok(t);
	lf_sim_config cfg = { .route = LF_ROUTE_SPRAY, .efficiency = 1.0, .latency_us = 2 };
	lf_sim *s;
	assert_int_equal(lf_sim_new(t.plan, &cfg, &s, NULL), LF_OK);
	int64_t g[8];
	for (int i = 0; i < 8; i++)
		g[i] = lf_sim_gpu(s, 0, i);
	double bytes = 1 << 30, time;
	assert_int_equal(lf_sim_ring_allreduce(s, g, 8, bytes, NULL), LF_OK);
	assert_int_equal(lf_sim_run(s, &time, NULL), LF_OK);
	double want = 14 * 2e-6 + 14.0 / 8 * bytes / (3600e9 / 8);
	assert_float_equal(time, want, want * 1e-6);
	assert_true(lf_sim_events(s) >= 2 * 8 * 14);
	lf_sim_free(s);
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ring_two_tier),
		cmocka_unit_test(test_ring_three_tier),
		cmocka_unit_test(test_nvlink_ring),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
