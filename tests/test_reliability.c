/*
 * test_reliability.c — the reliability model against closed forms and
 * published tables:
 *
 *  - a series system of k identical parts: MTTF = 1 / (k λ);
 *  - Poisson CDF and quantiles against table values (e.g. mean 2:
 *    P(X <= 4) = 0.947347; mean 10 at 0.95 -> 15);
 *  - Young/Daly on a worked example: checkpoint 5 min, MTTF 24 h ->
 *    Young √(2·5 min·24 h) = 120 min, Daly 116.69 min; goodput at 120 min
 *    with a 10 min restart 0.912577 (Daly 2006, eq. for exponential failures,
 *    worked by hand);
 *  - failures per day = Σ count·FIT·24/10^9 on a small plan;
 *  - redundancy credit with 2 planes: one-plane parts leave the series sum
 *    and come back only as two planes down within the repair time;
 *  - dual-homing: the two leaves of a pair are the redundancy groups, so
 *    no leaf is a single point of failure (the same overlap closed form);
 *  - the params file: rates as FIT or AFR, per-SKU overrides and the order
 *    sku > catalog > params class > built-in; bad input with file:line:col.
 */
#include <math.h>

#include "testutil.h"

static const char *const catalog =
	"nics:\n"
	"  - {id: nic, max_speed: 800G, source: test}\n"
	"  - {id: nic-fit, max_speed: 800G, fit: 123, source: test}\n"
	"servers:\n"
	"  - {id: s8x400, gpus: 8, nic: nic, nic_ports: 8, port_speed: 400G, cages: 4,\n"
	"     cage_speed: 800G, form_factor: osfp, source: test}\n"
	"  - {id: s8x800, gpus: 8, nic: nic, nic_ports: 8, port_speed: 800G, cages: 8,\n"
	"     cage_speed: 800G, form_factor: osfp, source: test}\n"
	"  - {id: s8x800c2, gpus: 8, nic: nic, nic_ports: 8, port_speed: 800G, cages: 16,\n"
	"     cage_speed: 400G, form_factor: osfp, source: test}\n"
	"  - {id: s8fit, gpus: 8, nic: nic-fit, nic_ports: 8, port_speed: 400G, cages: 4,\n"
	"     cage_speed: 800G, form_factor: osfp, source: test}\n"
	"switches:\n"
	"  - {id: sw16, cages: 16, cage_speed: 800G, form_factor: osfp,\n"
	"     port_speeds: [800G, 400G], power_w: 300, price_usd: 5000, source: test}\n"
	"transceivers:\n"
	"  - {id: t1x800, form_factor: osfp, standard: S800, link_speed: 800G, links: 1, lanes: 8,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 16, reach: 500m,\n"
	"     laser: siph-cw, lasers: 2, power_w: 16, price_usd: 800, source: test}\n"
	"  - {id: t2x400, form_factor: osfp, standard: S400, link_speed: 400G, links: 2, lanes: 8,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 8, reach: 500m,\n"
	"     laser: eml, lasers: 8, power_w: 16, price_usd: 800, fit: 77, source: test}\n"
	"  - {id: t1x400, form_factor: osfp, standard: S400, link_speed: 400G, links: 1, lanes: 4,\n"
	"     lane_speed: 100G, medium: smf, connector: MPO, fibres_per_link: 8, reach: 500m,\n"
	"     laser: eml, lasers: 4, power_w: 9, price_usd: 500, source: test}\n"
	"fibres:\n"
	"  - {id: fib, medium: smf, connector: MPO, price_usd: 20, source: test}\n";

static const char *const spec_2t =
	"name: two-tier\n"
	"cluster: {server: s8x400, servers: 16, su_size: 8}\n"
	"fabric:\n"
	"  kind: rail-optimized\n"
	"  tier_count: 2\n"
	"  tiers:\n"
	"    - {switch: sw16, distance: 30m}\n"
	"    - {switch: sw16, distance: 50m}\n";

/* Only switches fail: every other class at 0, and the catalog's own figure
   for t2x400 (which beats a class default) overridden per SKU. */
static const char *const only_switch =
	"fit: {transceiver: 0, aoc: 0, dac: 0, acc: 0, aec: 0, fibre: 0, switch: 1000,\n"
	"      nic: 0, server: 0}\n"
	"sku: {t2x400: 0}\n";

static lf_reliability_params *params_text(const char *text)
{
	lf_reliability_params *p = NULL;
	lf_error err = { 0 };
	lf_status st = lf_reliability_params_load_buffer("params.yaml", text, strlen(text), &p,
	                                                 &err);
	if (st != LF_OK) {
		char b[2048];
		fail_msg("%s", lf_error_format(&err, b, sizeof b));
	}
	return p;
}

static lf_reliability *compute(const tplan *t, const lf_reliability_params *p, int64_t gpus)
{
	lf_reliability *r = NULL;
	lf_error err = { 0 };
	if (lf_reliability_compute(t->plan, p, gpus, &r, &err) != LF_OK) {
		char b[2048];
		fail_msg("%s", lf_error_format(&err, b, sizeof b));
	}
	return r;
}

static const lf_rel_item *item(const lf_reliability *r, const char *sku)
{
	for (size_t i = 0; i < r->n_items; i++)
		if (strcmp(r->items[i].sku, sku) == 0)
			return &r->items[i];
	fail_msg("no item %s", sku);
	return NULL;
}

static void assert_close(double got, double want, double rel)
{
	if (fabs(got - want) > rel * fabs(want) + 1e-15)
		fail_msg("got %.10g, want %.10g", got, want);
}

/* ------------------------------------------------------------ closed forms */

static void test_poisson_table(void **state)
{
	(void)state;
	/* cumulative Poisson tables (e.g. any statistics handbook) */
	assert_close(lf_poisson_cdf(4, 2), 0.947347, 1e-6);
	assert_close(lf_poisson_cdf(2, 1), 0.919699, 1e-6);
	assert_close(lf_poisson_cdf(8, 5), 0.931906, 1e-6);
	assert_close(lf_poisson_cdf(14, 10), 0.916542, 1e-6);
	assert_close(lf_poisson_cdf(15, 10), 0.951260, 1e-6);
	assert_close(lf_poisson_cdf(0, 3), exp(-3), 1e-12);
	assert_close(lf_poisson_cdf(-1, 3), 0, 0);
	/* quantiles: least k with P(X <= k) >= p */
	assert_int_equal(lf_poisson_quantile(10, 0.95), 15);
	assert_int_equal(lf_poisson_quantile(2, 0.95), 5);
	assert_int_equal(lf_poisson_quantile(2, 0.947), 4);
	assert_int_equal(lf_poisson_quantile(5, 0.99), 11);
	assert_int_equal(lf_poisson_quantile(0, 0.95), 0);
	assert_int_equal(lf_poisson_quantile(0.01, 0.95), 0);
	/* large means: the sum does not underflow and agrees with the normal
	   approximation, 1e4 + 1.645·100 ≈ 10165 */
	int64_t q = lf_poisson_quantile(1e4, 0.95);
	assert_true(q >= 10163 && q <= 10167);
	assert_true(llabs(lf_poisson_quantile(2e6, 0.95) - (int64_t)(2e6 + 1.6449 * sqrt(2e6))) < 5);
}

static void test_young_daly(void **state)
{
	(void)state;
	double d = 5.0 / 60, M = 24, R = 10.0 / 60;
	/* Young: sqrt(2 · 5 min · 24 h) = sqrt(2 · 5 · 1440) min = 120 min */
	assert_close(lf_young_interval(d, M), 2.0, 1e-12);
	/* Daly: 120 min · (1 + sqrt(5/2880)/3 + (5/2880)/9) − 5 min = 116.6898 min */
	assert_close(lf_daly_interval(d, M) * 60, 116.6898, 1e-5);
	assert_close(lf_daly_interval(50, 10), 10, 0);   /* δ >= 2M: τ = M */
	/* goodput at τ = 120 min: 120 / (1440 · e^(10/1440) · (e^(125/1440) − 1)) */
	assert_close(lf_checkpoint_goodput(2.0, d, R, M), 0.912577, 1e-5);
	/* first-order waste δ/τ + (τ/2 + R)/M is close for δ, τ << M */
	double first = 1 - (d / 2.0 + (1.0 + R) / M);
	assert_true(fabs(lf_checkpoint_goodput(2.0, d, R, M) - first) < 0.005);
	/* Daly's interval is at least as good as Young's */
	assert_true(lf_checkpoint_goodput(lf_daly_interval(d, M), d, R, M) >=
	            lf_checkpoint_goodput(2.0, d, R, M) - 1e-12);
}

/* ------------------------------------------------------------------- model */

static void test_series_k_identical(void **state)
{
	(void)state;
	tplan t = tplan_make(catalog, 0, spec_2t);
	assert_lf_ok(t);
	lf_reliability_params *p = params_text(only_switch);
	lf_reliability *r = compute(&t, p, 0);
	/* the whole cluster spans both SUs: every leaf and spine is in series */
	uint64_t k = t.plan->bom.switches;
	assert_true(k >= 3);
	assert_int_equal(r->job_leaves + r->job_spines, k);
	double lam = (double)k * 1000 / 1e9;
	assert_close(r->job_mttf_h, 1 / lam, 1e-12);
	assert_close(r->job_interrupts_per_day, 24 * lam, 1e-12);
	assert_close(r->job_interrupts_horizon, 30 * 24 * lam, 1e-12);
	assert_close(r->ckpt_young_h, sqrt(2 * (5.0 / 60) / lam), 1e-12);
	lf_reliability_free(r);

	/* 3 GPUs: one server, its 8 NICs are the k parts */
	lf_reliability_params_free(p);
	p = params_text("fit: {transceiver: 0, fibre: 0, switch: 0, nic: 2500}\n"
	                "sku: {t2x400: 0}\n");
	r = compute(&t, p, 3);
	assert_int_equal(r->job_servers, 1);
	assert_int_equal(r->job_sus, 1);
	assert_false(r->job_uses_spines);
	assert_int_equal(r->job_spines, 0);
	assert_int_equal(item(r, "nic")->job_count, 8);
	assert_close(r->job_mttf_h, 1e9 / (8 * 2500.0), 1e-12);
	lf_reliability_free(r);
	lf_reliability_params_free(p);
	tplan_free(&t);
}

/* A floor that gives server-leaf links two media (FLOOR_MIX_SPEC): of the
 * 128 server-leaf links 64 run on ACC cables (32 cables) and 64 on optics.
 * A job on the whole cluster, one plane, has every module, cable and patch
 * cord on its paths, each once: the per-link medium decides what a link
 * passes, not its level's default (which put 192 + 64 modules and no cable
 * on the job's paths, more modules than the cluster has). */
static void test_floor_media(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, FLOOR_MIX_SPEC);
	assert_lf_ok(t);
	lf_reliability_params *p = params_text("fit: {fibre: 10}\n");
	lf_reliability *r = compute(&t, p, 0);
	assert_int_equal(r->planes, 1);
	assert_int_equal(item(r, "MMA4Z00-NS")->count, 160);
	assert_int_equal(item(r, "MMA4Z00-NS-FLT")->count, 32);
	assert_int_equal(item(r, "MCA4J80-N005")->count, 32);
	for (size_t i = 0; i < r->n_items; i++) {
		const lf_rel_item *it = &r->items[i];
		if (it->cls == LF_RC_NIC || it->cls == LF_RC_SERVER || it->cls == LF_RC_SWITCH)
			continue;
		if (it->job_count != it->count)
			fail_msg("%s: %llu on the job's paths, %llu in the cluster", it->sku,
			         (unsigned long long)it->job_count, (unsigned long long)it->count);
	}
	lf_reliability_free(r);
	lf_reliability_params_free(p);
	tplan_free(&t);
}

static void test_failures_per_day(void **state)
{
	(void)state;
	tplan t = tplan_make(catalog, 0, spec_2t);
	assert_lf_ok(t);
	lf_reliability_params *p = params_text("fit: {switch: 4000, nic: 500, fibre: 10}\n");
	lf_reliability *r = compute(&t, p, 0);
	/* Σ count·FIT·24/1e9 over the BOM plus NICs, by hand */
	const lf_bom *b = &t.plan->bom;
	double want = 0;
	for (size_t i = 0; i < b->n_lines; i++) {
		const lf_bom_line *l = &b->lines[i];
		double fit = l->cat == LF_BOM_SWITCH ? 4000
		           : l->cat == LF_BOM_FIBRE ? 10
		           : strcmp(l->sku, "t2x400") == 0 ? 77 : -1;
		assert_true(fit >= 0);
		want += (double)l->count * fit * 24 / 1e9;
	}
	want += 16.0 * 8 * 500 * 24 / 1e9;
	assert_close(r->failures_per_day, want, 1e-12);
	assert_close(r->failures_per_month, want * 365.25 / 12, 1e-12);
	assert_close(r->network_failures_per_day, want, 1e-12);
	/* sources: the catalog's fit for t2x400, params class for the rest */
	assert_string_equal(item(r, "t2x400")->fit_from, "catalog");
	assert_close(item(r, "t2x400")->fit, 77, 0);
	assert_string_equal(item(r, "sw16")->fit_from, "params class");
	assert_string_equal(item(r, "s8x400")->fit_from, "default");
	assert_close(item(r, "s8x400")->fit, 0, 0);
	/* one-plane job of the whole cluster: everything in series */
	assert_close(r->job_interrupts_per_day, want, 1e-12);
	/* spares: Poisson quantile over 14 days */
	const lf_rel_item *sw = item(r, "sw16");
	assert_close(sw->lead_time_mean, (double)sw->count * 4000 * 14 * 24 / 1e9, 1e-12);
	assert_int_equal(sw->spares, lf_poisson_quantile(sw->lead_time_mean, 0.95));
	lf_reliability_free(r);
	lf_reliability_params_free(p);
	tplan_free(&t);
}

static void test_two_planes(void **state)
{
	(void)state;
	const char *fmt =
		"name: planes\n"
		"cluster: {server: s8x800, servers: 16, su_size: 8}\n"
		"fabric:\n"
		"  kind: rail-optimized\n"
		"  tier_count: 2\n"
		"  planes: %d\n"
		"  tiers:\n"
		"    - {switch: sw16, distance: 30m}\n"
		"    - {switch: sw16, distance: 50m}\n";
	char s1[1024], s2[1024];
	snprintf(s1, sizeof s1, fmt, 1);
	snprintf(s2, sizeof s2, fmt, 2);
	tplan t1 = tplan_make(catalog, 0, s1), t2 = tplan_make(catalog, 0, s2);
	assert_lf_ok(t1);
	assert_lf_ok(t2);
	assert_int_equal(t2.plan->planes, 2);

	/* switches only: with 2 planes none is in series */
	lf_reliability_params *p = params_text(only_switch);
	lf_reliability *r1 = compute(&t1, p, 0), *r2 = compute(&t2, p, 0);
	double sum = (double)t2.plan->bom.switches * 1000 / 1e9;
	assert_close(r2->job_series_per_h, 0, 0);
	assert_close(r2->job_plane_failures_per_h, sum, 1e-12);
	/* two planes of λ/2 each: R · ((λ)^2 − 2 (λ/2)^2) = R λ^2 / 2, R = 4 h */
	assert_close(r2->job_plane_overlap_per_h, 4 * sum * sum / 2, 1e-9);
	assert_close(r2->job_interrupts_per_day, 24 * 4 * sum * sum / 2, 1e-9);
	assert_true(r2->job_interrupts_per_day < 1e-3 * r1->job_interrupts_per_day);
	assert_int_equal(item(r2, "sw16")->job_redundant, item(r2, "sw16")->job_count);
	lf_reliability_free(r1);
	lf_reliability_free(r2);
	lf_reliability_params_free(p);

	/* modules too: a server cage carries both planes of its port, so the
	   server-end modules stay in series; leaf and spine cages are one-plane */
	p = params_text("fit: {transceiver: 0, fibre: 0, switch: 0, nic: 0}\n"
	                "sku: {t2x400: {fit: 100, source: test override}}\n");
	r2 = compute(&t2, p, 0);
	const lf_rel_item *m = item(r2, "t2x400");
	assert_string_equal(m->fit_from, "params sku");
	assert_string_equal(m->fit_source, "test override");
	assert_int_equal(m->job_count, m->count);
	assert_int_equal(m->job_count - m->job_redundant, 16 * 8);
	assert_close(r2->job_series_per_h, 16 * 8 * 100 / 1e9, 1e-12);
	assert_close(r2->job_class_per_day[LF_RC_XCVR_EML], 24 * 16 * 8 * 100 / 1e9, 1e-12);
	lf_reliability_free(r2);
	lf_reliability_params_free(p);
	tplan_free(&t1);
	tplan_free(&t2);
}

/* Dual-homed, one plane: each 800G port as 2 x 400G to a leaf pair.  A job
 * of 8 servers (one SU) sits on 8 rails x 2 = 16 leaves, 8 per home; with
 * switches only failing, none is in series (no single point of failure at
 * the ToR), and the job stops only when both homes are down within R:
 * R ((λ)^2 - 2 (λ/2)^2) = R λ^2 / 2 with λ = 16 x 1000 FIT. */
static void test_dual_homed(void **state)
{
	(void)state;
	const char *fmt =
		"name: dual\n"
		"cluster: {server: s8x800, servers: 16, su_size: 8}\n"
		"fabric: {dual_homed: %s, tier_count: 2,"
		" tiers: [{switch: sw16, distance: 30m}, {switch: sw16, distance: 50m}]}\n";
	char s1[512], s2[512];
	snprintf(s1, sizeof s1, fmt, "false");
	snprintf(s2, sizeof s2, fmt, "true");
	tplan t1 = tplan_make(catalog, 0, s1), t2 = tplan_make(catalog, 0, s2);
	assert_lf_ok(t1);
	assert_lf_ok(t2);
	lf_reliability_params *p = params_text(only_switch);
	lf_reliability *r1 = compute(&t1, p, 64), *r2 = compute(&t2, p, 64);
	assert_int_equal(r1->job_leaves, 8);
	assert_int_equal(r2->job_leaves, 16);
	assert_close(r1->job_series_per_h, 8 * 1000 / 1e9, 1e-12);   /* every leaf a SPOF */
	assert_close(r2->job_series_per_h, 0, 0);
	double lam = 16 * 1000 / 1e9;
	assert_close(r2->job_plane_failures_per_h, lam, 1e-12);
	assert_close(r2->job_plane_overlap_per_h, 4 * lam * lam / 2, 1e-9);
	assert_int_equal(item(r2, "sw16")->job_redundant, 16);
	lf_reliability_free(r1);
	lf_reliability_free(r2);
	lf_reliability_params_free(p);
	tplan_free(&t1);
	tplan_free(&t2);

	/* Only server modules fail (1,000 FIT each).  One 800G cage per port:
	 * its twin module carries both homes, so the 64 x 8 = 512 job modules are
	 * in series.  Each port over two 400G cages (Alibaba HPN's two ToRs): a
	 * module per home, all 1,024 covered by the other home. */
	p = params_text("fit: {transceiver: 0, aoc: 0, dac: 0, acc: 0, aec: 0, fibre: 0, switch: 0,\n"
	                "      nic: 0, server: 0}\nsku: {t2x400: 1000, t1x400: 1000}\n");
	char s3[512];
	const char *at = strstr(s2, "s8x800");
	snprintf(s3, sizeof s3, "%.*ss8x800c2%s", (int)(at - s2), s2, at + strlen("s8x800"));
	t1 = tplan_make(catalog, 0, s2);
	assert_lf_ok(t1);
	tplan t3 = tplan_make(catalog, 0, s3);
	assert_lf_ok(t3);
	assert_int_equal(t3.plan->bom.modules_server_end, 16 * 16);
	r1 = compute(&t1, p, 64);
	lf_reliability *r3 = compute(&t3, p, 64);
	assert_close(r1->job_series_per_h, 8 * 8 * 1000 / 1e9, 1e-12);
	assert_close(r3->job_series_per_h, 0, 0);
	assert_int_equal(item(r3, "t1x400")->job_redundant, 8 * 16);
	lf_reliability_free(r1);
	lf_reliability_free(r3);
	lf_reliability_params_free(p);
	tplan_free(&t1);
	tplan_free(&t3);
}

static void test_rates_and_render(void **state)
{
	(void)state;
	const char *spec =
		"name: fitcat\n"
		"cluster: {server: s8fit, servers: 8}\n"
		"fabric:\n"
		"  kind: rail-optimized\n"
		"  tier_count: 2\n"
		"  tiers:\n"
		"    - {switch: sw16, distance: 30m}\n"
		"    - {switch: sw16, distance: 50m}\n";
	tplan t = tplan_make(catalog, 0, spec);
	assert_lf_ok(t);
	lf_reliability_params *p = params_text(
		"# AFR and FIT forms\n"
		"fit:\n"
		"  transceiver: {eml: {afr: 0.5%, source: my fleet}, vcsel: 300 FIT}\n"
		"  switch: {fit: 2000}\n"
		"sku:\n"
		"  sw16: {lead_time: 4w}\n"
		"  nowhere: 5\n"
		"checkpoint_time: 90s\n"
		"restart_time: 0s\n"
		"fill_rate: 99%\n"
		"job_duration: 54d\n");
	assert_close(p->class_fit[LF_RC_XCVR_EML].fit, -log1p(-0.005) / 8766 * 1e9, 1e-12);
	assert_close(p->class_fit[LF_RC_XCVR_EML].fit, 571.816, 1e-5);
	assert_string_equal(p->class_fit[LF_RC_XCVR_EML].source, "my fleet");
	assert_close(p->class_fit[LF_RC_XCVR_VCSEL].fit, 300, 0);
	assert_close(p->checkpoint_h, 90.0 / 3600, 1e-12);
	assert_close(p->fill_rate, 0.99, 1e-12);
	lf_reliability *r = compute(&t, p, 0);
	/* catalog fit beats the params class; the catalog NIC figure is used */
	assert_string_equal(item(r, "t2x400")->fit_from, "catalog");
	assert_string_equal(item(r, "nic-fit")->fit_from, "catalog");
	assert_close(item(r, "nic-fit")->fit, 123, 0);
	assert_close(item(r, "sw16")->lead_time_h, 4 * 168, 0);
	assert_close(item(r, "t2x400")->lead_time_h, 14 * 24, 0);
	assert_non_null(strstr(r->notes, "\"nowhere\""));
	/* one SU: leaves only */
	assert_false(r->job_uses_spines);
	assert_int_equal(r->job_spines, 0);

	char *s = NULL;
	lf_error err = { 0 };
	assert_int_equal(lf_reliability_render(r, LF_FMT_JSON, &s, &err), LF_OK);
	assert_non_null(strstr(s, "\"interruptions_per_day\""));
	assert_non_null(strstr(s, "\"spares\""));
	free(s);
	assert_int_equal(lf_reliability_render(r, LF_FMT_CSV, &s, &err), LF_OK);
	assert_int_equal(strncmp(s, "spec,sku,class,count,", 21), 0);
	free(s);
	assert_int_equal(lf_reliability_render(r, LF_FMT_TABLE, &s, &err), LF_OK);
	assert_non_null(strstr(s, "Young interval"));
	free(s);
	assert_int_equal(lf_reliability_render_compare(r, r, LF_FMT_TABLE, &s, &err), LF_OK);
	assert_non_null(strstr(s, "job MTTF"));
	free(s);
	assert_int_equal(lf_reliability_render(r, LF_FMT_DOT, &s, &err), LF_EINPUT);

	/* a job larger than the cluster */
	lf_reliability *r2 = NULL;
	assert_int_equal(lf_reliability_compute(t.plan, p, 65, &r2, &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "does not fit"));
	assert_null(r2);
	lf_reliability_free(r);
	lf_reliability_params_free(p);
	tplan_free(&t);
}

/* ---------------------------------------------------------------- bad input */

static void expect_bad(const char *text, const char *where, const char *msg)
{
	lf_reliability_params *p = NULL;
	lf_error err = { 0 };
	lf_status st = lf_reliability_params_load_buffer("params.yaml", text, strlen(text), &p,
	                                                 &err);
	char b[2048];
	lf_error_format(&err, b, sizeof b);
	if (st != LF_EINPUT || !p == 0)
		fail_msg("expected LF_EINPUT for:\n%s\ngot %d: %s", text, (int)st, b);
	if (strncmp(b, where, strlen(where)) != 0 || !strstr(b, msg))
		fail_msg("expected %s ... %s\ngot %s", where, msg, b);
}

static void test_bad_params(void **state)
{
	(void)state;
	expect_bad("checkpoint_tme: 5min\n", "params.yaml:1:1: ",
	           "unknown key \"checkpoint_tme\" in reliability parameters (did you mean "
	           "\"checkpoint_time\"?)");
	expect_bad("checkpoint_time: 5\n", "params.yaml:1:18: ",
	           "checkpoint_time must be a duration with its unit (e.g. 90s, 5min, 24h, 14d, "
	           "2w), got \"5\"");
	expect_bad("lead_time: 0d\n", "params.yaml:1:12: ", "lead_time must be more than 0");
	expect_bad("fill_rate: 1.5\n", "params.yaml:1:12: ",
	           "fill_rate must be a probability above 0 and below 1");
	expect_bad("fit:\n  transceiver: {vcsl: 300}\n", "params.yaml:2:17: ",
	           "unknown key \"vcsl\" in fit transceiver (by laser type) (did you mean "
	           "\"vcsel\"?)");
	expect_bad("fit:\n  switch: -5\n", "params.yaml:2:11: ",
	           "fit switch must be between 0 and 1e9 FIT, got \"-5\"");
	expect_bad("fit:\n  switch: lots\n", "params.yaml:2:11: ",
	           "fit switch must be a FIT figure (e.g. 250) or an annual failure rate");
	expect_bad("fit:\n  nic: 120%\n", "params.yaml:2:8: ",
	           "an annual failure rate must be >= 0% and below 100%");
	expect_bad("fit:\n  swich: 5\n", "params.yaml:2:3: ", "(did you mean \"switch\"?)");
	expect_bad("sku:\n  a: {fit: 5, afr: 1%}\n", "params.yaml:2:20: ",
	           "sku a: give either fit or afr, not both");
	expect_bad("sku:\n  a: 5\n  a: 6\n", "params.yaml:3:3: ", "duplicate sku \"a\"");
	expect_bad("sku:\n  a: {source: x}\n", "params.yaml:2:6: ",
	           "sku a needs \"fit\", \"afr\" or \"lead_time\"");
	expect_bad("fit: {nic: {afr: 5}}\n", "params.yaml:1:18: ",
	           "fit nic afr must be a percentage");
	expect_bad("fit: [1, 2]\n", "params.yaml:1:6: ", "fit must be a mapping");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_poisson_table),
		cmocka_unit_test(test_young_daly),
		cmocka_unit_test(test_series_k_identical),
		cmocka_unit_test(test_floor_media),
		cmocka_unit_test(test_failures_per_day),
		cmocka_unit_test(test_two_planes),
		cmocka_unit_test(test_dual_homed),
		cmocka_unit_test(test_rates_and_render),
		cmocka_unit_test(test_bad_params),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
