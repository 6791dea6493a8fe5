/*
 * test_maxmin.c — max-min fair allocation against hand-solved cases and,
 * for random flow sets, the incremental solver against a full recompute
 * and the definition (no link above capacity, every flow bottlenecked).
 */
#include <math.h>
#include <stdbool.h>

#include "testutil.h"
#include "maxmin.h"

#define EPS 1e-9

static lfi_mmf *mk(size_t n, const double *cap)
{
	lfi_mmf *m = NULL;
	assert_int_equal(lfi_mmf_new(n, cap, &m, NULL), LF_OK);
	return m;
}

static uint32_t add(lfi_mmf *m, size_t n, const uint32_t *links, const double *coeff)
{
	uint32_t id;
	assert_int_equal(lfi_mmf_add(m, links, coeff, n, &id, NULL), LF_OK);
	return id;
}

static size_t solve(lfi_mmf *m)
{
	size_t n = 0;
	assert_int_equal(lfi_mmf_solve(m, &n, NULL), LF_OK);
	return n;
}

static size_t solve_all(lfi_mmf *m)
{
	size_t n = 0;
	assert_int_equal(lfi_mmf_solve_all(m, &n, NULL), LF_OK);
	return n;
}

static void test_single_link(void **state)
{
	(void)state;
	double cap[] = { 10 };
	lfi_mmf *m = mk(1, cap);
	uint32_t l0[] = { 0 };
	uint32_t a = add(m, 1, l0, NULL), b = add(m, 1, l0, NULL), c = add(m, 1, l0, NULL);
	assert_int_equal(solve(m), 3);
	assert_float_equal(lfi_mmf_rate(m, a), 10.0 / 3, EPS);
	assert_float_equal(lfi_mmf_rate(m, b), 10.0 / 3, EPS);
	lfi_mmf_remove(m, c);
	solve(m);
	assert_float_equal(lfi_mmf_rate(m, a), 5.0, EPS);
	assert_float_equal(lfi_mmf_link_load(m, 0), 10.0, EPS);
	lfi_mmf_free(m);
}

static void test_parking_lot(void **state)
{
	(void)state;
	/* A crosses L0, L1, L2; Bi crosses Li.  Equal capacities: all 1/2.
	 * Capacities 1, 2, 3: A = 1/2 (bottleneck L0), B0 = 1/2, B1 = 3/2, B2 = 5/2. */
	double cap[] = { 1, 2, 3 };
	lfi_mmf *m = mk(3, cap);
	uint32_t all[] = { 0, 1, 2 }, l0[] = { 0 }, l1[] = { 1 }, l2[] = { 2 };
	uint32_t a = add(m, 3, all, NULL);
	uint32_t b0 = add(m, 1, l0, NULL), b1 = add(m, 1, l1, NULL), b2 = add(m, 1, l2, NULL);
	solve(m);
	assert_float_equal(lfi_mmf_rate(m, a), 0.5, EPS);
	assert_float_equal(lfi_mmf_rate(m, b0), 0.5, EPS);
	assert_float_equal(lfi_mmf_rate(m, b1), 1.5, EPS);
	assert_float_equal(lfi_mmf_rate(m, b2), 2.5, EPS);
	/* equal capacities */
	lfi_mmf_set_capacity(m, 1, 1);
	lfi_mmf_set_capacity(m, 2, 1);
	solve(m);
	assert_float_equal(lfi_mmf_rate(m, a), 0.5, EPS);
	assert_float_equal(lfi_mmf_rate(m, b2), 0.5, EPS);
	/* a failed link stops the flows that cross it */
	lfi_mmf_set_capacity(m, 1, 0);
	solve(m);
	assert_float_equal(lfi_mmf_rate(m, a), 0.0, EPS);
	assert_float_equal(lfi_mmf_rate(m, b1), 0.0, EPS);
	assert_float_equal(lfi_mmf_rate(m, b0), 1.0, EPS);
	lfi_mmf_free(m);
}

static void test_shared_bottleneck_unequal_paths(void **state)
{
	(void)state;
	/* f1: {a, c}, f2: {b, c}, f3: {b}; a = 0.5, b = 3, c = 2.
	 * a saturates first (f1 = 0.5); then b and c both at 1.5:
	 * f2 = f3 = 1.5, and c carries 0.5 + 1.5 = 2. */
	double cap[] = { 0.5, 3, 2 };
	lfi_mmf *m = mk(3, cap);
	uint32_t p1[] = { 0, 2 }, p2[] = { 1, 2 }, p3[] = { 1 };
	uint32_t f1 = add(m, 2, p1, NULL), f2 = add(m, 2, p2, NULL), f3 = add(m, 1, p3, NULL);
	solve(m);
	assert_float_equal(lfi_mmf_rate(m, f1), 0.5, EPS);
	assert_float_equal(lfi_mmf_rate(m, f2), 1.5, EPS);
	assert_float_equal(lfi_mmf_rate(m, f3), 1.5, EPS);
	assert_float_equal(lfi_mmf_link_load(m, 2), 2.0, EPS);
	lfi_mmf_free(m);
}

static void test_spraying(void **state)
{
	(void)state;
	/* a flow sprayed over two unit links (1/2 on each) and a flow on the
	 * first only: link 0 carries r1/2 + r2 = 1 at r1 = r2 = 2/3 */
	double cap[] = { 1, 1 };
	lfi_mmf *m = mk(2, cap);
	uint32_t both[] = { 0, 1 }, first[] = { 0 };
	double half[] = { 0.5, 0.5 };
	uint32_t s = add(m, 2, both, half), e = add(m, 1, first, NULL);
	solve(m);
	assert_float_equal(lfi_mmf_rate(m, s), 2.0 / 3, EPS);
	assert_float_equal(lfi_mmf_rate(m, e), 2.0 / 3, EPS);
	assert_float_equal(lfi_mmf_link_load(m, 1), 1.0 / 3, EPS);
	lfi_mmf_free(m);
}

/* the definition: feasible, and every flow has a bottleneck link */
static void check_maxmin(lfi_mmf *m, size_t n_links, const uint32_t (*paths)[4],
                         const uint32_t *len, const uint32_t *ids, const bool *live, size_t nf,
                         const double *cap)
{
	for (size_t l = 0; l < n_links; l++)
		assert_true(lfi_mmf_link_load(m, (uint32_t)l) <= cap[l] * (1 + 1e-9) + 1e-12);
	for (size_t i = 0; i < nf; i++) {
		if (!live[i])
			continue;
		double r = lfi_mmf_rate(m, ids[i]);
		bool bottleneck = false;
		for (uint32_t k = 0; k < len[i] && !bottleneck; k++) {
			uint32_t l = paths[i][k];
			if (fabs(lfi_mmf_link_load(m, l) - cap[l]) > 1e-9 * (1 + cap[l]))
				continue;
			bool max = true;
			for (size_t j = 0; j < nf && max; j++) {
				if (!live[j])
					continue;
				for (uint32_t q = 0; q < len[j]; q++)
					if (paths[j][q] == l && lfi_mmf_rate(m, ids[j]) > r + 1e-9)
						max = false;
			}
			bottleneck = max;
		}
		if (!bottleneck)
			fail_msg("flow %zu (rate %g) has no bottleneck", i, r);
	}
}

static void test_incremental_matches_full(void **state)
{
	(void)state;
	enum { NL = 40, NF = 300 };
	double cap[NL];
	uint64_t seed = 12345;
	for (int l = 0; l < NL; l++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		cap[l] = 1 + (double)(seed >> 40 & 7);
	}
	lfi_mmf *m = mk(NL, cap);
	uint32_t paths[NF][4], len[NF], ids[NF];
	bool live[NF] = { false };
	double rates[NF];
	size_t recomputed = 0;
	for (int i = 0; i < NF; i++) {
		seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
		len[i] = 1 + (uint32_t)(seed >> 33) % 4;
		for (uint32_t k = 0; k < len[i]; k++) {
			seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
			/* flows stay inside one of 4 groups of links most of the time,
			 * so components are small and incremental solving pays */
			uint32_t group = (uint32_t)i % 4;
			paths[i][k] = group * (NL / 4) + (uint32_t)(seed >> 35) % (NL / 4);
			for (uint32_t q = 0; q < k; q++)
				if (paths[i][q] == paths[i][k])
					paths[i][k] = group * (NL / 4) + (paths[i][k] + 1) % (NL / 4);
		}
		ids[i] = add(m, len[i], paths[i], NULL);
		live[i] = true;
		if (i % 7 == 3) {
			int victim = (i * 31) % (i + 1);
			if (live[victim]) {
				lfi_mmf_remove(m, ids[victim]);
				live[victim] = false;
			}
		}
		recomputed += solve(m);
		if (i % 25 == 0)
			check_maxmin(m, NL, (const uint32_t(*)[4])paths, len, ids, live, (size_t)i + 1, cap);
	}
	for (int i = 0; i < NF; i++)
		rates[i] = live[i] ? lfi_mmf_rate(m, ids[i]) : 0;
	solve_all(m);
	for (int i = 0; i < NF; i++)
		if (live[i])
			assert_float_equal(lfi_mmf_rate(m, ids[i]), rates[i], 1e-9);
	check_maxmin(m, NL, (const uint32_t(*)[4])paths, len, ids, live, NF, cap);
	/* flows never leave their group, so each step re-fills about a quarter
	 * of the flows: far fewer than re-solving everything at every step */
	print_message("incremental: %zu flow recomputations (full re-solve each step: %d)\n", recomputed, NF * (NF + 1) / 2);
	assert_true(recomputed < (size_t)NF * (NF + 1) / 2 / 3);
	lfi_mmf_free(m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_single_link),
		cmocka_unit_test(test_parking_lot),
		cmocka_unit_test(test_shared_bottleneck_unequal_paths),
		cmocka_unit_test(test_spraying),
		cmocka_unit_test(test_incremental_matches_full),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
