/* test_supply.c — `lightfab source`: hand-solved small scenarios on a
 * 1-SU DGX H100 fabric (256 GPUs, one stage needed by 2026-03), spares from
 * lightfab reliability on the same plan, a property test over generated
 * scenarios (with and without those spares), and bad scenarios with
 * file:line:col.
 *
 * The plan: server-leaf 256 links, 128 MMA4Z00-NS-FLT at the servers and
 * 128 MMA4Z00-NS at the leaves; leaf-spine 256 links, 128 + 128
 * MMA4Z00-NS.  So 128 FLT + 384 NS, 512 modules of 8 VCSEL lasers each. */
#include "testutil.h"
#include "supply_model.h"

#include <math.h>

static const char *SPEC =
	"name: t1su\n"
	"cluster: {server: dgx-h100, servers: 32, su_size: 32}\n"
	"fabric:\n"
	"  kind: rail-optimized\n"
	"  tier_count: 2\n"
	"  tiers:\n"
	"    - {name: leaf, switch: qm9700, oversubscription: 1:1, distance: 30m}\n"
	"    - {name: spine, switch: qm9700, distance: 50m}\n"
	"optics: {policy: cheapest, allow: [MMA4Z00-NS, MMA4Z00-NS-FLT]}\n"
	"stages: [{name: s1, need_by: 2026-03, gpus: 256}]\n";

/* A substitute for MMA4Z00-NS (same standard, connector, medium; DML). */
static const char *ALT =
	"transceivers:\n"
	"  - id: TEST-2SR4-ALT\n"
	"    name: test twin SR4\n"
	"    vendor: test\n"
	"    form_factor: osfp\n"
	"    standard: \"400GBASE-SR4\"\n"
	"    link_speed: 400G\n"
	"    links: 2\n"
	"    lanes: 8\n"
	"    lane_speed: 100G\n"
	"    medium: mmf\n"
	"    connector: \"MPO-12/APC\"\n"
	"    fibres_per_link: 8\n"
	"    reach: 50m\n"
	"    laser: dml\n"
	"    lasers: 8\n"
	"    fits: switch\n"
	"    power_w: {typ: 15, max: 17}\n"
	"    price_usd: 1100\n"
	"    lead_time_weeks: 4\n"
	"    protocols: [ib, eth]\n"   /* InfiniBand links take only parts listing ib */
	"    source: \"[U] test part\"\n";

typedef struct run {
	tplan t;
	lf_supply_scenario *sc;
	lf_supply_result *r;
	lf_error err;
	lf_status st;
} run;

static run solve_text(const char *catalog, const char *scenario)
{
	run x;
	memset(&x, 0, sizeof x);
	x.t = tplan_make(catalog, 1, SPEC);
	assert_lf_ok(x.t);
	x.st = lf_supply_scenario_load_buffer("scn.yaml", scenario, strlen(scenario), &x.sc, &x.err);
	if (x.st == LF_OK) {
		const lf_plan *pl = x.t.plan;
		x.st = lf_supply_solve(x.sc, &pl, NULL, 1, &x.r, &x.err);
	}
	return x;
}

static void run_free(run *x)
{
	lf_supply_result_free(x->r);
	lf_supply_scenario_free(x->sc);
	tplan_free(&x->t);
}

#define assert_run_ok(x)                                                         \
	do {                                                                     \
		if ((x).st != LF_OK) {                                           \
			char b_[2048];                                           \
			fail_msg("%s", lf_error_format(&(x).err, b_, sizeof b_)); \
		}                                                                \
	} while (0)

static const lf_supply_order *find_order(const lf_supply_answer *a, const char *sku, int placed,
                                         const char *mode)
{
	for (size_t i = 0; i < a->n_orders; i++)
		if (!strcmp(a->orders[i].sku, sku) && a->orders[i].placed == placed &&
		    !strcmp(a->orders[i].mode, mode))
			return &a->orders[i];
	return NULL;
}

static double sku_total(const lf_supply_answer *a, const char *sku)
{
	double q = 0;
	for (size_t i = 0; i < a->n_orders; i++)
		if (!strcmp(a->orders[i].sku, sku))
			q += a->orders[i].quantity;
	return q;
}

#define HORIZON "horizon: {start: 2026-01, periods: 6}\n"

/* Every transceiver SKU of BOM b is ordered exactly as many times as b
 * lists it, and nothing else is ordered. */
static void orders_match_bom(const lf_supply_answer *a, const lf_bom *b)
{
	double listed = 0;
	for (size_t i = 0; i < b->n_lines; i++) {
		const lf_bom_line *l = &b->lines[i];
		if (l->cat != LF_BOM_TRANSCEIVER)
			continue;
		double n = 0;
		for (size_t k = 0; k < b->n_lines; k++)
			if (b->lines[k].cat == LF_BOM_TRANSCEIVER && !strcmp(b->lines[k].sku, l->sku))
				n += (double)b->lines[k].count;
		if (fabs(sku_total(a, l->sku) - n) > 1e-6)
			fail_msg("%s: ordered %g, the BOM lists %g", l->sku, sku_total(a, l->sku), n);
		listed += (double)l->count;
	}
	double ordered = 0;
	for (size_t i = 0; i < a->n_orders; i++)
		ordered += a->orders[i].quantity;
	assert_true(fabs(ordered - listed) < 1e-6);
}

/* A floor that gives one link level two media (FLOOR_MIX_SPEC: of 128
 * server-leaf links 64 on ACC cables, 64 on optics, 32 FLT + 32 NS; leaf-
 * spine 64 + 64 NS).  lightfab source orders the floor's
 * BOM (160 NS, 32 FLT), not the level's one medium over every link (192 NS,
 * 64 FLT, as it did), says how many links are on cable, and the plan's BOM
 * without a floor is still ordered as listed. */
static void floor_media(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, FLOOR_MIX_SPEC);
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_non_null(pl->layout);
	/* the floor's media: server-leaf on a cable and on optics */
	uint64_t cable = 0, optic = 0;
	for (size_t k = 0; k < pl->layout->n_var; k++) {
		const lf_media *m = &pl->layout->var[k];
		if (m->level == 1)
			*(m->cable ? &cable : &optic) += pl->bom.links_var[k];
	}
	assert_int_equal(cable, 64);
	assert_int_equal(optic, 64);
	assert_int_equal(pl->bom.links_level[1], 128);
	const char *scn = HORIZON
		"substitution: none\n"
		"suppliers:\n"
		"  - name: a\n"
		"    skus:\n"
		"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 1}\n"
		"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 1}\n";
	lf_supply_scenario *sc = NULL;
	lf_supply_result *r = NULL;
	lf_error err;
	assert_int_equal(lf_supply_scenario_load_buffer("scn.yaml", scn, strlen(scn), &sc, &err),
	                 LF_OK);
	assert_int_equal(lf_supply_solve(sc, &pl, NULL, 1, &r, &err), LF_OK);
	const lf_supply_answer *a = &r->answers[0];
	assert_true(fabs(sku_total(a, "MMA4Z00-NS") - 160) < 1e-6);
	assert_true(fabs(sku_total(a, "MMA4Z00-NS-FLT") - 32) < 1e-6);
	orders_match_bom(a, &pl->bom);
	assert_non_null(strstr(a->notes, "64 server-leaf links use cable MCA4J80-N005"));
	lf_supply_result_free(r);
	tplan_free(&t);

	/* without a floor: every level one medium, ordered as its BOM lists */
	run x = solve_text(NULL, HORIZON
		"substitution: none\n"
		"suppliers:\n"
		"  - name: a\n"
		"    skus:\n"
		"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 1}\n"
		"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 1}\n");
	assert_run_ok(x);
	assert_null(x.t.plan->layout);
	orders_match_bom(&x.r->answers[0], &x.t.plan->bom);
	run_free(&x);
	lf_supply_scenario_free(sc);
}

/* One supplier, its two SKUs (the plan's own), leads 1 and 2: each order is
 * placed as late as it can be and arrives in the need-by month. */
static void one_supplier(void **state)
{
	(void)state;
	run x = solve_text(NULL, HORIZON
		"demand: {lateness: {per_link_period: 10000}}\n"
		"substitution: none\n"
		"suppliers:\n"
		"  - name: a\n"
		"    skus:\n"
		"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 1}\n"
		"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 2}\n");
	assert_run_ok(x);
	const lf_supply_answer *a = &x.r->answers[0];
	assert_int_equal(a->n_orders, 2);
	const lf_supply_order *o = find_order(a, "MMA4Z00-NS", 0, "standard");
	assert_non_null(o);
	assert_int_equal(o->arrives, 2);
	assert_true(fabs(o->quantity - 384) < 1e-6);
	o = find_order(a, "MMA4Z00-NS-FLT", 1, "standard");
	assert_non_null(o);
	assert_int_equal(o->arrives, 2);
	assert_true(fabs(o->quantity - 128) < 1e-6);
	assert_int_equal(a->stages[0].need_by, 2);
	assert_int_equal(a->stages[0].ready, 2);
	assert_int_equal(a->stages[0].slip, 0);
	assert_true(fabs(a->purchase_usd - 512000) < 1e-3);
	assert_true(fabs(a->objective_usd - 512000) < 1e-3);
	run_free(&x);
}

#define POOL_SCENARIO(extra)                                                      \
	HORIZON                                                                   \
	"demand: {lateness: {per_link_period: 10000}}\n"                            \
	"substitution: none\n"                                                    \
	"suppliers:\n"                                                            \
	"  - name: a\n"                                                           \
	"    skus:\n"                                                             \
	"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"              \
	"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 0}\n"                  \
	"laser_pools: [{name: v, laser: vcsel, suppliers: [a], capacity: 1024}]\n" \
	extra

/* 1,024 VCSEL lasers a period shared by both SKUs (8 each): 128 modules a
 * period, 384 by need-by (period 2) of 512: one period late, 128 links
 * short, lateness 128 x $10,000. */
static void laser_pool_shared(void **state)
{
	(void)state;
	run x = solve_text(NULL, POOL_SCENARIO(""));
	assert_run_ok(x);
	const lf_supply_answer *a = &x.r->answers[0];
	assert_int_equal(a->stages[0].ready, 3);
	assert_int_equal(a->stages[0].slip, 1);
	assert_true(fabs(a->stages[0].short_at_need_by - 128) < 1e-6);
	assert_true(fabs(a->lateness_usd - 1280000) < 1e-3);
	assert_true(fabs(a->purchase_usd - 512000) < 1e-3);
	for (int t = 0; t < 6; t++) {
		double mods = 0;
		for (size_t i = 0; i < a->n_orders; i++)
			if (a->orders[i].arrives == t)
				mods += a->orders[i].quantity;
		assert_true(mods <= 128 + 1e-6);
		assert_true(t > 3 || fabs(mods - 128) < 1e-6);
	}
	/* the pool binds, with a positive shadow price, and the stage says so */
	int pool = 0;
	for (size_t i = 0; i < a->n_bindings; i++)
		if (!strcmp(a->bindings[i].kind, "laser-pool") && a->bindings[i].shadow_usd > 0)
			pool++;
	assert_true(pool >= 1);
	assert_non_null(strstr(a->stages[0].why, "laser-pool v"));
	run_free(&x);
}

/* Co-packaged optics: the B300 XDR SU on Q3450-LD (tests/test_plan.c,
 * test_cpo) needs no switch-side modules but 12 x 18 = 216 external laser
 * sources of 8 CW lasers, plus 576 SiPh DR4 server modules of 2 CW lasers:
 * 1,728 + 1,152 = 2,880 lasers from a CW pool of 1,000 a period.  With a
 * lead of 1, arrivals start in period 1, so by need-by (period 2) at most
 * 2,000 lasers arrive: the SU is ready in period 3, and no period's
 * arrivals use more than 1,000 lasers. */
static void cpo_laser_sources(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-b300, servers: 72, su_size: 72}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: q3450-ld, distance: 30m},"
	                     " {switch: q3450-ld, distance: 100m}]}\n"
	                     "optics: {allow: [GEN-OSFP-800G-DR4-RHS-SIPH]}\n"
	                     "stages: [{name: s1, need_by: 2026-03, gpus: 576}]\n");
	assert_lf_ok(t);
	static const char *const scn =
		HORIZON
		"demand: {lateness: {per_link_period: 10000}}\n"
		"substitution: none\n"
		"suppliers:\n"
		"  - name: cw\n"
		"    skus:\n"
		"      - {sku: GEN-OSFP-800G-DR4-RHS-SIPH, price: 1250, lead_time: 1}\n"
		"      - {sku: NVIDIA-ELS-8CW, price: 1500, lead_time: 1}\n"
		"laser_pools: [{name: cw, laser: siph-cw, suppliers: [cw], capacity: 1000}]\n";
	lf_supply_scenario *sc = NULL;
	lf_supply_result *r = NULL;
	lf_error err;
	assert_int_equal(lf_supply_scenario_load_buffer("scn.yaml", scn, strlen(scn), &sc, &err), LF_OK);
	const lf_plan *pl = t.plan;
	lf_status st = lf_supply_solve(sc, &pl, NULL, 1, &r, &err);
	if (st != LF_OK) {
		char b[2048];
		fail_msg("%s", lf_error_format(&err, b, sizeof b));
	}
	const lf_supply_answer *a = &r->answers[0];
	assert_true(fabs(sku_total(a, "NVIDIA-ELS-8CW") - 216) < 1e-6);
	assert_true(fabs(sku_total(a, "GEN-OSFP-800G-DR4-RHS-SIPH") - 576) < 1e-6);
	assert_int_equal(a->stages[0].ready, 3);
	for (int p = 0; p < 6; p++) {
		double lasers = 0;
		for (size_t i = 0; i < a->n_orders; i++)
			if (a->orders[i].arrives == p)
				lasers += a->orders[i].quantity *
				          (strcmp(a->orders[i].sku, "NVIDIA-ELS-8CW") ? 2 : 8);
		assert_true(lasers <= 1000 + 1e-6);
	}
	lf_supply_result_free(r);
	lf_supply_scenario_free(sc);

	/* no one sells the laser sources: the links at the co-packaged switches
	 * stay unserved, and a note says why */
	static const char *const scn2 =
		HORIZON
		"demand: {lateness: {per_link_period: 10000}}\n"
		"substitution: none\n"
		"suppliers:\n"
		"  - name: cw\n"
		"    skus:\n"
		"      - {sku: GEN-OSFP-800G-DR4-RHS-SIPH, price: 1250, lead_time: 1}\n";
	assert_int_equal(lf_supply_scenario_load_buffer("scn.yaml", scn2, strlen(scn2), &sc, &err), LF_OK);
	assert_int_equal(lf_supply_solve(sc, &pl, NULL, 1, &r, &err), LF_OK);
	a = &r->answers[0];
	assert_int_equal(a->stages[0].ready, -1);
	assert_true(fabs(a->stages[0].unmet - 1152) < 1e-6);
	assert_non_null(strstr(a->notes, "co-packaged q3450-ld needs laser source modules"));
	lf_supply_result_free(r);
	lf_supply_scenario_free(sc);
	tplan_free(&t);
}

/* The same pool plus 128 reserved NS modules a period in periods 0-2
 * (take-or-pay): 768 modules by need-by, on time.  Reserved units are paid
 * anyway, so every NS comes from the reservation and the pool makes the
 * FLT.  Worth: the $1,280,000 of lateness it removes. */
static void reservation_changes(void **state)
{
	(void)state;
	run x = solve_text(NULL, POOL_SCENARIO(
		"reservations: [{name: r, supplier: a, sku: MMA4Z00-NS, quantity: 128,\n"
		"                from: 2026-01, to: 2026-03, price: 1000}]\n"));
	assert_run_ok(x);
	const lf_supply_answer *a = &x.r->answers[0];
	assert_int_equal(a->stages[0].ready, 2);
	assert_int_equal(a->stages[0].slip, 0);
	assert_int_equal(a->n_resv, 1);
	assert_true(fabs(a->resv[0].reserved - 384) < 1e-6);
	assert_true(fabs(a->resv[0].taken - 384) < 1e-6);
	assert_true(fabs(sku_total(a, "MMA4Z00-NS-FLT") - 128) < 1e-6);
	assert_true(fabs(a->reservation_usd - 384000) < 1e-3);
	assert_true(fabs(a->purchase_usd - 128000) < 1e-3);
	assert_true(a->resv[0].valued);
	assert_true(fabs(a->resv[0].value_usd - 1280000) < 1e-3);
	assert_non_null(strstr(a->resv[0].effect, "s1 ready 2026-04 instead of 2026-03"));
	run_free(&x);
}

#define SUBST_SCENARIO(mode)                                                    \
	HORIZON                                                                 \
	"demand: {lateness: {per_link_period: 10000}}\n"                          \
	mode                                                                    \
	"suppliers:\n"                                                          \
	"  - name: a\n"                                                         \
	"    skus:\n"                                                           \
	"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"            \
	"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 3}\n"                \
	"  - name: b\n"                                                         \
	"    skus: [{sku: TEST-2SR4-ALT, price: 1100, lead_time: 1}]\n"

/* NS arrives a period after need-by; the compatible substitute arrives in
 * time.  Without substitution the stage slips one period; with it, it is
 * on time and every NS is the substitute. */
static void substitution_rescues(void **state)
{
	(void)state;
	run x = solve_text(ALT, SUBST_SCENARIO("substitution: none\n"));
	assert_run_ok(x);
	assert_int_equal(x.r->answers[0].stages[0].slip, 1);
	assert_non_null(strstr(x.r->answers[0].stages[0].why, "Lead time binds"));
	run_free(&x);

	x = solve_text(ALT, SUBST_SCENARIO("substitutions: [{use: TEST-2SR4-ALT, for: MMA4Z00-NS}]\n"));
	assert_run_ok(x);
	const lf_supply_answer *a = &x.r->answers[0];
	assert_int_equal(a->stages[0].slip, 0);
	assert_true(a->stages[0].ready <= 2);
	assert_true(fabs(sku_total(a, "TEST-2SR4-ALT") - 384) < 1e-6);
	assert_true(fabs(sku_total(a, "MMA4Z00-NS")) < 1e-6);
	assert_true(fabs(a->purchase_usd - (128 * 1000 + 384 * 1100)) < 1e-3);
	run_free(&x);
}

/* Nobody can make NS: the stage is never complete, and says by how much
 * and why; this is an answer, not an error. */
static void infeasible_stage(void **state)
{
	(void)state;
	run x = solve_text(NULL, HORIZON
		"demand: {lateness: {per_link_period: 10000}, unmet_per_link: 1000}\n"
		"substitution: none\n"
		"suppliers:\n"
		"  - name: a\n"
		"    skus:\n"
		"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
		"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 0, capacity: 32}\n");
	assert_run_ok(x);
	const lf_supply_stage *s = &x.r->answers[0].stages[0];
	/* 32 NS a period over 6 periods = 192 of 384: 192 links served of 512
	 * (server-leaf needs 0.5 NS per link, leaf-spine 1) */
	assert_int_equal(s->ready, -1);
	assert_true(s->unmet > 0);
	assert_non_null(strstr(s->why, "unserved at the end of the horizon"));
	assert_non_null(strstr(s->why, "sku-capacity a MMA4Z00-NS"));
	run_free(&x);
}

/* Spares from lightfab reliability on the same plan: the one-supplier
 * scenario, plus each transceiver SKU's spares (Poisson quantile) as extra
 * demand for exactly that SKU, needed by the stage's need-by (period 2).
 * Each order grows by exactly the computed count and still arrives in
 * period 2; the extra cost is $1,000 a spare; nothing is late. */
static void reliability_spares(void **state)
{
	(void)state;
	static const char *SCN = HORIZON
		"demand: {lateness: {per_link_period: 10000}}\n"
		"substitution: none\n"
		"suppliers:\n"
		"  - name: a\n"
		"    skus:\n"
		"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 1}\n"
		"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 2}\n";
	/* a fill rate and lead time that give a few spares of each SKU */
	static const char *PARAMS = "lead_time: 90d\nfill_rate: 0.999\n";
	tplan t = tplan_make(NULL, 1, SPEC);
	assert_lf_ok(t);
	lf_error err;
	lf_reliability_params *params = NULL;
	lf_status st = lf_reliability_params_load_buffer("rel.yaml", PARAMS, strlen(PARAMS),
	                                                 &params, &err);
	if (st != LF_OK) {
		char b[2048];
		fail_msg("%s", lf_error_format(&err, b, sizeof b));
	}
	lf_reliability *rel = NULL;
	assert_int_equal(lf_reliability_compute(t.plan, params, 0, &rel, &err), LF_OK);
	int64_t sp_ns = -1, sp_flt = -1;
	for (size_t i = 0; i < rel->n_items; i++) {
		if (rel->items[i].sku && !strcmp(rel->items[i].sku, "MMA4Z00-NS"))
			sp_ns = rel->items[i].spares;
		if (rel->items[i].sku && !strcmp(rel->items[i].sku, "MMA4Z00-NS-FLT"))
			sp_flt = rel->items[i].spares;
	}
	assert_true(sp_ns > 0);
	assert_true(sp_flt > 0);

	lf_supply_scenario *sc = NULL;
	lf_supply_result *r = NULL;
	assert_int_equal(lf_supply_scenario_load_buffer("scn.yaml", SCN, strlen(SCN), &sc, &err), LF_OK);
	const lf_plan *pl = t.plan;
	const lf_reliability *rl = rel;
	st = lf_supply_solve_spares(sc, &pl, &rl, NULL, 1, &r, &err);
	if (st != LF_OK) {
		char b[2048];
		fail_msg("%s", lf_error_format(&err, b, sizeof b));
	}
	const lf_supply_answer *a = &r->answers[0];
	assert_int_equal(a->n_orders, 2);
	const lf_supply_order *o = find_order(a, "MMA4Z00-NS", 0, "standard");
	assert_non_null(o);
	assert_int_equal(o->arrives, 2);
	assert_true(fabs(o->quantity - (double)(384 + sp_ns)) < 1e-6);
	o = find_order(a, "MMA4Z00-NS-FLT", 1, "standard");
	assert_non_null(o);
	assert_int_equal(o->arrives, 2);
	assert_true(fabs(o->quantity - (double)(128 + sp_flt)) < 1e-6);
	assert_int_equal(a->stages[0].slip, 0);
	assert_true(fabs(a->purchase_usd - 1000.0 * (double)(512 + sp_ns + sp_flt)) < 1e-3);
	assert_true(fabs(a->objective_usd - a->purchase_usd) < 1e-3);
	assert_int_equal(a->n_spares, 2);
	for (size_t i = 0; i < a->n_spares; i++) {
		const lf_supply_spare *x = &a->spares[i];
		assert_true(fabs(x->quantity - (double)(!strcmp(x->sku, "MMA4Z00-NS") ? sp_ns
		                                                                      : sp_flt)) < 1e-9);
		assert_int_equal(x->need_by, 2);
		assert_int_equal(x->ready, 2);
		assert_true(x->short_at_need_by == 0 && x->unmet == 0 && x->penalty_usd == 0);
	}
	/* the spares are deployed to the shelf: delivered = used per SKU */
	double got = 0, used = 0;
	for (size_t i = 0; i < a->n_flows; i++) {
		got += a->flows[i].delivered;
		used += a->flows[i].used;
	}
	assert_true(fabs(got - (double)(512 + sp_ns + sp_flt)) < 1e-6);
	assert_true(fabs(used - got) < 1e-6);
	char *text = NULL;
	assert_int_equal(lf_supply_result_render(r, LF_FMT_JSON, &text, &err), LF_OK);
	assert_non_null(strstr(text, "\"spares\": ["));
	free(text);
	assert_int_equal(lf_supply_result_render(r, LF_FMT_CSV, &text, &err), LF_OK);
	assert_non_null(strstr(text, "\nspare,"));
	free(text);
	assert_int_equal(lf_supply_result_render(r, LF_FMT_TABLE, &text, &err), LF_OK);
	assert_non_null(strstr(text, "spares (lightfab reliability)"));
	free(text);
	/* the same spares with uncertainty: (one scenario, nothing overridden:
	 * the stochastic plan is the deterministic one, spares included; a
	 * lean second scenario with no capacity costs more, never less) */
	double det = a->objective_usd, det_purchase = a->purchase_usd;
	for (int lean = 0; lean < 2; lean++) {
		char stext[2048];
		snprintf(stext, sizeof stext, "%slaser_pools: [{name: vc, laser: vcsel, capacity: 100000}]\n"
		         "uncertainty:\n  commit: 1\n  scenarios:\n%s", SCN,
		         lean ? "    - {name: one, probability: 0.5}\n"
		                "    - {name: lean, probability: 0.5, overrides: {pools: {vc: 0}}}\n"
		              : "    - {name: one, probability: 1}\n");
		lf_supply_scenario *su = NULL;
		lf_supply_result *ru = NULL;
		assert_int_equal(lf_supply_scenario_load_buffer("scn.yaml", stext, strlen(stext), &su,
		                                                &err), LF_OK);
		st = lf_supply_solve_spares(su, &pl, &rl, NULL, 1, &ru, &err);
		if (st != LF_OK) {
			char b[2048];
			fail_msg("%s", lf_error_format(&err, b, sizeof b));
		}
		assert_true(ru->stochastic);
		assert_int_equal(ru->answers[0].n_spares, 2);
		if (!lean) {
			assert_true(fabs(ru->expected_usd - det) < 1e-6 * det);
			assert_true(fabs(ru->answers[0].purchase_usd - det_purchase) < 1e-3);
		} else {
			assert_true(ru->expected_usd > det * (1 + 1e-6));
		}
		lf_supply_result_free(ru);
		lf_supply_scenario_free(su);
	}
	lf_supply_result_free(r);
	lf_supply_scenario_free(sc);
	lf_reliability_free(rel);
	lf_reliability_params_free(params);
	tplan_free(&t);
}

/* ---- property test: generated scenarios */

static uint64_t rng(uint64_t *s)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return *s >> 33;
}

static void properties(void **state)
{
	(void)state;
	tplan t = tplan_make(ALT, 1, SPEC);
	assert_lf_ok(t);
	/* 10 more scenarios also take the plan's spares from lightfab
	 * reliability (99.9% fill over 90 days) */
	static const char *RP = "lead_time: 90d\nfill_rate: 0.999\n";
	lf_reliability_params *rp = NULL;
	lf_reliability *rel = NULL;
	lf_error rerr;
	assert_int_equal(lf_reliability_params_load_buffer("rel.yaml", RP, strlen(RP), &rp, &rerr),
	                 LF_OK);
	assert_int_equal(lf_reliability_compute(t.plan, rp, 0, &rel, &rerr), LF_OK);
	uint64_t seed = 42;
	for (int iter = 0; iter < 35; iter++) {
		char sc[2048];
		int cap_ns = 40 + (int)(rng(&seed) % 200), cap_alt = (int)(rng(&seed) % 150);
		int pool = 512 + (int)(rng(&seed) % 3000), periods = 4 + (int)(rng(&seed) % 6);
		int lead_ns = (int)(rng(&seed) % 3), lead_alt = (int)(rng(&seed) % 3);
		int integer = (int)(rng(&seed) % 2);
		snprintf(sc, sizeof sc,
		         "horizon: {start: 2026-01, periods: %d}\n"
		         "demand: {lateness: {per_link_period: %d}}\n"
		         "suppliers:\n"
		         "  - name: a\n"
		         "    skus:\n"
		         "      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
		         "      - {sku: MMA4Z00-NS, price: [{from: 0, usd: 1000}, {from: 200, usd: 900}],\n"
		         "         lead_time: %d, capacity: %d, expedite: {lead_time: 0, premium: 20%%}}\n"
		         "  - name: b\n"
		         "    skus: [{sku: TEST-2SR4-ALT, price: 1100, lead_time: %d, capacity: %d,\n"
		         "            min_order: 20}]\n"
		         "laser_pools: [{laser: vcsel, suppliers: [a], capacity: %d}]\n"
		         "reservations: [{supplier: a, sku: MMA4Z00-NS, quantity: 30, price: 1050,\n"
		         "                take_or_pay: 50%%, optional: true}]\n"
		         "solver: {integer: %s, value_reservations: false}\n",
		         periods, 50 + (int)(rng(&seed) % 500), lead_ns, cap_ns, lead_alt, cap_alt, pool,
		         integer ? "true" : "false");
		lf_supply_scenario *s = NULL;
		lf_supply_result *r = NULL;
		lf_error err;
		assert_int_equal(lf_supply_scenario_load_buffer("gen.yaml", sc, strlen(sc), &s, &err), LF_OK);
		const lf_plan *pl = t.plan;
		const lf_reliability *rl = rel;
		int spares = iter >= 25;   /* the first 25: as before, without */
		lf_status st = lf_supply_solve_spares(s, &pl, spares ? &rl : NULL, NULL, 1, &r, &err);
		if (st != LF_OK) {
			char b[2048];
			fail_msg("%s\n%s", lf_error_format(&err, b, sizeof b), sc);
		}
		const lf_supply_answer *a = &r->answers[0];
		/* cost is the sum of its parts */
		double purchase = 0;
		for (size_t i = 0; i < a->n_orders; i++)
			if (strcmp(a->orders[i].mode, "reservation"))
				purchase += a->orders[i].quantity * a->orders[i].unit_usd;
		assert_true(fabs(purchase - a->purchase_usd) < 1e-6 * (1 + purchase));
		assert_true(fabs(a->spend_usd - (a->purchase_usd + a->reservation_usd +
		                                  a->holding_usd)) < 1e-6 * (1 + a->spend_usd));
		assert_true(fabs(a->objective_usd - (a->spend_usd + a->lateness_usd + a->unmet_usd)) <
		            1e-6 * (1 + a->objective_usd));
		/* no period exceeds a capacity */
		for (int p = 0; p < periods; p++) {
			double ns = 0, alt = 0, lasers = 0;
			for (size_t i = 0; i < a->n_orders; i++) {
				const lf_supply_order *o = &a->orders[i];
				if (o->arrives != p || !strcmp(o->mode, "reservation"))
					continue;
				if (!strcmp(o->sku, "MMA4Z00-NS"))
					ns += o->quantity;
				if (!strcmp(o->sku, "TEST-2SR4-ALT"))
					alt += o->quantity;
				if (!strcmp(o->supplier, "a"))
					lasers += 8 * o->quantity;
				if (!strcmp(o->sku, "TEST-2SR4-ALT"))
					assert_true(o->quantity >= 20 - 1e-6);   /* minimum order */
			}
			assert_true(ns <= cap_ns + 1e-6);
			assert_true(alt <= cap_alt + 1e-6);
			assert_true(lasers <= pool + 1e-6);
		}
		/* delivered >= deployed per SKU; deployed modules cover each link
		 * class when the stage is complete (128 FLT, 384 at switch ends) */
		for (size_t i = 0; i < a->n_flows; i++)
			assert_true(a->flows[i].stock >= -1e-6);
		/* penalties are the stages' plus the spares' */
		double pen = 0, shelf = 0;
		for (size_t i = 0; i < a->n_stages; i++)
			pen += a->stages[i].penalty_usd;
		for (size_t i = 0; i < a->n_spares; i++) {
			pen += a->spares[i].penalty_usd;
			shelf += a->spares[i].quantity - a->spares[i].unmet;
			assert_true(a->spares[i].unmet <= a->spares[i].short_at_need_by + 1e-6);
		}
		assert_int_equal(a->n_spares, spares ? 2 : 0);
		assert_true(fabs(pen - (a->lateness_usd + a->unmet_usd)) < 1e-6 * (1 + pen));
		if (a->stages[0].ready >= 0) {
			double server = 0, sw = 0;
			for (size_t i = 0; i < a->n_uses; i++)
				*(a->uses[i].end == LF_END_SERVER ? &server : &sw) += a->uses[i].modules;
			assert_true(server >= 128 - 1e-6);
			assert_true(sw >= 384 - 1e-6);
			double got = 0;
			for (size_t i = 0; i < a->n_flows; i++)
				got += a->flows[i].delivered;
			assert_true(got >= 512 + shelf - 1e-6);
		}
		char *text = NULL;
		for (int f = 0; f < 3; f++) {
			lf_format fm = f == 0 ? LF_FMT_TABLE : f == 1 ? LF_FMT_JSON : LF_FMT_CSV;
			assert_int_equal(lf_supply_result_render(r, fm, &text, &err), LF_OK);
			free(text);
		}
		lf_supply_result_free(r);
		lf_supply_scenario_free(s);
	}
	lf_reliability_free(rel);
	lf_reliability_params_free(rp);
	tplan_free(&t);
}


/* ---- choose: per-stage is exact: the MIP's choice and cost equal brute
 * force over every option-per-stage assignment, each solved with the
 * options fixed (an LP), on generated scenarios of 2-3 stages x 2-3
 * options; an assignment of one option for every stage costs what
 * sourcing that option alone does (the side-by-side path). */

static char *opt_spec(int stages, const char *over, const char *allow)
{
	char *b = malloc(2048);
	snprintf(b, 2048,
	         "name: opt\n"
	         "cluster: {server: dgx-h100, servers: %d, su_size: 32}\n"
	         "fabric:\n"
	         "  kind: rail-optimized\n"
	         "  tier_count: 2\n"
	         "  tiers:\n"
	         "    - {name: leaf, switch: qm9700, oversubscription: \"%s\", distance: 30m}\n"
	         "    - {name: spine, switch: qm9700, distance: 50m}\n"
	         "optics: {policy: cheapest, allow: [%s]}\n"
	         "stages: [{name: s1, need_by: 2026-03, gpus: 256}, {name: s2, need_by: 2026-05, "
	         "gpus: 512}%s]\n",
	         32 * stages, over, allow,
	         stages == 3 ? ", {name: s3, need_by: 2026-07, gpus: 768}" : "");
	return b;
}

static void per_stage_exact(void **state)
{
	(void)state;
	static const char *const allow[3] = { "MMA4Z00-NS, MMA4Z00-NS-FLT",
	                                      "MMA4Z00-NS-FLT, TEST-2SR4-ALT",
	                                      "MMA4Z00-NS, MMA4Z00-NS-FLT" };
	static const char *const over[3] = { "1:1", "1:1", "2:1" };
	static const char *const oname[3] = { "ns", "alt", "ns-2to1" };
	tplan tp[2][3];
	for (int ns = 2; ns <= 3; ns++)
		for (int j = 0; j < 3; j++) {
			char *spec = opt_spec(ns, over[j], allow[j]);
			tp[ns - 2][j] = tplan_make(ALT, 1, spec);
			free(spec);
			assert_lf_ok(tp[ns - 2][j]);
			assert_int_equal(tp[ns - 2][j].plan->n_stages, (size_t)ns);
		}
	uint64_t seed = 7;
	int mixed = 0, crossed = 0;
	for (int iter = 0; iter < 24; iter++) {
		int nst = 2 + (int)(rng(&seed) % 2), nop = 2 + (int)(rng(&seed) % 2);
		int periods = 8 + (int)(rng(&seed) % 3);
		int costs = (int)(rng(&seed) % 2), incompat = nop == 3 && rng(&seed) % 3 == 0;
		/* every fourth with integer orders: the forcing re-solves are then
		 * branch-and-bound warm from the MIP's root relaxation */
		int integer = iter % 4 == 3;
		char sc[4096];
		int n = snprintf(sc, sizeof sc, "horizon: {start: 2026-01, periods: %d}\noptions:\n",
		                 periods);
		for (int j = 0; j < nop; j++)
			n += snprintf(sc + n, sizeof sc - (size_t)n, "  - {name: %s, spec: x.yaml%s}\n",
			              oname[j], incompat && j == 1 ? ", incompatible: [ns-2to1]" : "");
		n += snprintf(sc + n, sizeof sc - (size_t)n,
		              "choose: per-stage\n"
		              "demand: {lateness: {%s: %d}}\n"
		              "substitution: none\n"
		              "suppliers:\n"
		              "  - name: a\n"
		              "    skus:\n"
		              "      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
		              "      - {sku: MMA4Z00-NS, price: %d, lead_time: %d, capacity: %d}\n"
		              "  - name: b\n"
		              "    skus: [{sku: TEST-2SR4-ALT, price: %d, lead_time: %d, capacity: %d}]\n"
		              "laser_pools: [{laser: vcsel, suppliers: [a], capacity: %d}]\n"
		              "solver: {integer: %s, value_reservations: false}\n",
		              iter % 2 ? "per_gpu_period" : "per_link_period",
		              100 + (int)(rng(&seed) % 400), 800 + (int)(rng(&seed) % 600),
		              (int)(rng(&seed) % 3), 100 + (int)(rng(&seed) % 400),
		              800 + (int)(rng(&seed) % 600), (int)(rng(&seed) % 4),
		              50 + (int)(rng(&seed) % 400), 1000 + (int)(rng(&seed) % 3000),
		              integer ? "true" : "false");
		if (costs)
			n += snprintf(sc + n, sizeof sc - (size_t)n,
			              "option_costs: {equipment: true, energy: {usd_per_kwh: 0.1, "
			              "period: 3y}}\n");
		lf_supply_scenario *s = NULL;
		lf_supply_result *r = NULL;
		lf_error err;
		char eb[2048];
		if (lf_supply_scenario_load_buffer("gen.yaml", sc, strlen(sc), &s, &err) != LF_OK)
			fail_msg("%s\n%s", lf_error_format(&err, eb, sizeof eb), sc);
		const lf_plan *pl[3];
		for (int j = 0; j < nop; j++)
			pl[j] = tp[nst - 2][j].plan;
		if (lf_supply_solve(s, pl, NULL, (size_t)nop, &r, &err) != LF_OK)
			fail_msg("%s\n%s", lf_error_format(&err, eb, sizeof eb), sc);
		const lf_supply_answer *a = &r->answers[0];
		assert_int_equal(r->n_answers, 1);
		assert_int_equal(a->n_choices, (size_t)nst);
		assert_true(a->optimal);
		/* brute force: every assignment as an LP */
		int total = 1, best_code = -1;
		for (int g = 0; g < nst; g++)
			total *= nop;
		double obj[27], best = HUGE_VAL;
		for (int code = 0; code < total; code++) {
			int as[3], c = code, has1 = 0, has2 = 0;
			for (int g = 0; g < nst; g++) {
				as[g] = c % nop;
				c /= nop;
				has1 |= as[g] == 1;
				has2 |= as[g] == 2;
			}
			obj[code] = HUGE_VAL;
			if (incompat && has1 && has2)
				continue;          /* alt and ns-2to1 may not share the build-out */
			int ic = -1;
			if (lfi_sup_solve_assigned(s, pl, (size_t)nop, as, &obj[code], &ic, &err) != LF_OK)
				fail_msg("%s\n%s", lf_error_format(&err, eb, sizeof eb), sc);
			if (!integer)
				assert_int_equal(ic, 0);     /* fixed options: an LP */
			if (obj[code] < best) {
				best = obj[code];
				best_code = code;
			}
			/* one option throughout = that option sourced alone */
			bool same = true;
			for (int g = 1; g < nst; g++)
				same &= as[g] == as[0];
			if (same && !costs && !integer) {
				lf_supply_scenario *s1 = NULL;
				lf_supply_result *r1 = NULL;
				char sc1[4096];
				const char *body = strstr(sc, "demand:");
				snprintf(sc1, sizeof sc1, "horizon: {start: 2026-01, periods: %d}\n%s",
				         periods, body);
				assert_int_equal(lf_supply_scenario_load_buffer("one.yaml", sc1, strlen(sc1), &s1,
				                                                &err), LF_OK);
				assert_int_equal(lf_supply_solve(s1, &pl[as[0]], NULL, 1, &r1, &err), LF_OK);
				double o1 = r1->answers[0].objective_usd;
				if (fabs(o1 - obj[code]) > 1e-6 * (1 + o1))
					fail_msg("option %s alone: %.2f, assigned throughout: %.2f\n%s",
					         oname[as[0]], o1, obj[code], sc);
				crossed++;
				lf_supply_result_free(r1);
				lf_supply_scenario_free(s1);
			}
		}
		(void)best_code;
		if (fabs(a->objective_usd - best) > 1e-6 * (1 + best))
			fail_msg("per-stage MIP %.2f, brute force %.2f\n%s", a->objective_usd, best, sc);
		/* the choice is an optimal assignment, and forcing option j at
		 * stage g costs the best assignment with it there minus the optimum */
		int code = 0, mul = 1, first = a->choices[0].option, mix = 0;
		for (int g = 0; g < nst; g++) {
			code += a->choices[g].option * mul;
			mul *= nop;
			mix |= a->choices[g].option != first;
		}
		mixed += mix;
		assert_true(fabs(obj[code] - best) <= 1e-6 * (1 + best));
		for (int g = 0; g < nst; g++)
			for (int j = 0; j < nop; j++) {
				double bj = HUGE_VAL;
				for (int c2 = 0; c2 < total; c2++) {
					int x = c2;
					for (int h = 0; h < g; h++)
						x /= nop;
					if (x % nop == j && obj[c2] < bj)
						bj = obj[c2];
				}
				double f = a->choices[g].force_usd[j];
				if (j == a->choices[g].option)
					assert_true(f == 0);
				else if (fabs(f - (bj - best)) > 1e-6 * (1 + best))
					fail_msg("stage %d forced to %s: %.2f, brute force %.2f\n%s", g, oname[j],
					         f, bj - best, sc);
			}
		char *text = NULL;
		for (int fm = 0; fm < 3; fm++) {
			assert_int_equal(lf_supply_result_render(r, fm == 0 ? LF_FMT_TABLE : fm == 1 ? LF_FMT_JSON
			                                                                    : LF_FMT_CSV,
			                                  &text, &err), LF_OK);
			free(text);
		}
		lf_supply_result_free(r);
		lf_supply_scenario_free(s);
	}
	/* not vacuous: some optima mix options, some cross-checks ran */
	fprintf(stderr, "per-stage: %d mixed optima, %d cross-checks\n", mixed, crossed);
	assert_true(mixed >= 3);
	assert_true(crossed >= 10);
	for (int k = 0; k < 2; k++)
		for (int j = 0; j < 3; j++)
			tplan_free(&tp[k][j]);
}


/* ---- break-even (--sweep-capacity) on the bundled dual-track example: at
 * every point the sweep's option per stage is the best of the 8
 * option-per-stage assignments, each solved with the options fixed
 * (lfi_sup_solve_assigned) on the scenario with the pool's capacity written
 * in, and its flips are where that brute-force argmin changes.  The example
 * as bundled (integer orders) over 1,500..4,000 CW lasers a month (below
 * ~1,300 its MIP meets the 30 s time limit); its LP (integer: false) over
 * 0..4,000, where every stage flips: stage-3 to 1.6T at 1,000, stage-2 at
 * 1,500, stage-1 at 2,500. */

static char *read_text(const char *path)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	char *b = calloc(1, 1 << 16);
	size_t n = fread(b, 1, (1 << 16) - 1, f);
	fclose(f);
	assert_true(n > 0 && n < (1 << 16) - 1);
	return b;
}

/* text with `from` replaced by `to` (once; it must occur) */
static char *replaced(const char *text, const char *from, const char *to)
{
	const char *at = strstr(text, from);
	assert_non_null(at);
	size_t n = strlen(text) + strlen(to) + 1;
	char *b = malloc(n);
	snprintf(b, n, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
	return b;
}

/* The brute-force optimum of the scenario `text` (path's) with the pool at
 * `capacity`: the best of the 8 option-per-stage assignments, its objective
 * in *best and the runner-up's in *second. */
static void brute_force(const char *path, const char *text, const char *pool_line,
                        const lf_plan *const *pl, double capacity, int as_best[3], double *best,
                        double *second)
{
	char cap[96], eb[2048];
	lf_error err;
	snprintf(cap, sizeof cap, "capacity: %.0f}", capacity);
	char *tk = replaced(text, pool_line, cap);
	lf_supply_scenario *sk = NULL;
	assert_int_equal(lf_supply_scenario_load_buffer(path, tk, strlen(tk), &sk, &err), LF_OK);
	*best = *second = HUGE_VAL;
	for (int code = 0; code < 8; code++) {
		int as[3] = { code & 1, (code >> 1) & 1, (code >> 2) & 1 }, ic = -1;
		double obj;
		if (lfi_sup_solve_assigned(sk, pl, 2, as, &obj, &ic, &err) != LF_OK)
			fail_msg("%s", lf_error_format(&err, eb, sizeof eb));
		if (obj < *best) {
			*second = *best;
			*best = obj;
			memcpy(as_best, as, sizeof as);
		} else if (obj < *second) {
			*second = obj;
		}
	}
	lf_supply_scenario_free(sk);
	free(tk);
}

/* the sweep's progress callback: the solves, and done <= total each time */
static void count_solves(void *ctx, size_t done, size_t total)
{
	size_t *n = ctx;
	assert_true(done == *n + 1 && done <= total);
	*n = done;
}

static void sweep_breakeven(void **state)
{
	(void)state;
	const char *path = "examples/supply-dual-track.yaml";
	const char *pool_line = "capacity: 500,\n     ramp: [{from: 2026-07, capacity: 4000}]}";
	char *orig = read_text(path);
	tplan tp[2];
	lf_supply_scenario *s0 = NULL;
	lf_error err;
	char eb[2048];
	assert_int_equal(lf_supply_scenario_load(path, &s0, &err), LF_OK);
	assert_int_equal(s0->n_options, 2);
	assert_true(s0->joint);
	const lf_plan *pl[2];
	for (int j = 0; j < 2; j++) {
		memset(&tp[j], 0, sizeof tp[j]);
		tp[j].st = lf_load_plan(&(lf_load_opts){ .default_catalog = LF_DATADIR,
		                                        .spec_path = s0->options[j].spec_path },
		                        &tp[j].cat, &tp[j].spec, &tp[j].plan, &tp[j].err);
		assert_lf_ok(tp[j]);
		pl[j] = tp[j].plan;
	}
	static const struct {
		int lp;
		double from, to;
		int steps;
		const char *flips;   /* stage:option@capacity, by stage */
		const char *words;   /* the first flip bisected */
	} v[] = {
		{ 0, 1500, 4000, 6, "stage-1:1.6t@2500",
		  "stage-1 goes 1.6t (from 800g) once cw-sipho >= 2176 lasers/month" },
		{ 1, 0, 4000, 9, "stage-1:1.6t@2500 stage-2:1.6t@1500 stage-3:1.6t@1000",
		  "stage-1 goes 1.6t (from 800g) once cw-sipho >= " },
	};
	for (size_t vi = 0; vi < LF_ARRAY_LEN(v); vi++) {
		char *text = v[vi].lp ? replaced(orig, "integer: true", "integer: false") : strdup(orig);
		lf_supply_scenario *s = NULL;
		lf_supply_sweep *sw = NULL;
		size_t solves = 0;
		if (lf_supply_scenario_load_buffer(path, text, strlen(text), &s, &err) != LF_OK ||
		    lf_supply_sweep_capacity(s, pl, NULL, 2, "cw-sipho", v[vi].from, v[vi].to,
		                             v[vi].steps, count_solves, &solves, &sw, &err) != LF_OK)
			fail_msg("%s", lf_error_format(&err, eb, sizeof eb));
		assert_int_equal(sw->n_points, (size_t)v[vi].steps);
		assert_int_equal(sw->n_stages, 3);
		/* every point solved, and some bisection solves after them */
		assert_true(solves > sw->n_points);
		int best_as[16][3];
		for (size_t k = 0; k < sw->n_points; k++) {
			double best, second;
			brute_force(path, text, pool_line, pl, sw->capacity[k], best_as[k], &best, &second);
			/* the optimum is unique here, so the argmin is the choice */
			assert_true(second - best > 1);
			if (fabs(sw->objective_usd[k] - best) > 1e-6 * best)
				fail_msg("%s at %.0f: sweep %.2f, brute force %.2f", v[vi].lp ? "LP" : "MIP",
				         sw->capacity[k], sw->objective_usd[k], best);
			assert_true(sw->mip_gap[k] == 0);
			for (int g = 0; g < 3; g++)
				assert_int_equal(sw->choice[k * 3 + g], best_as[k][g]);
		}
		/* the flips: where the brute-force argmin changes */
		char got[256] = "", want[256] = "";
		size_t off = 0;
		for (size_t i = 0; i < sw->n_flips; i++)
			off += (size_t)snprintf(got + off, sizeof got - off, "%s%s:%s@%.0f", i ? " " : "",
			                        sw->stage[sw->flip[i].stage],
			                        sw->option_names[sw->flip[i].to], sw->flip[i].capacity);
		off = 0;
		for (int g = 0; g < 3; g++)
			for (size_t k = 1; k < sw->n_points; k++)
				if (best_as[k][g] != best_as[k - 1][g])
					off += (size_t)snprintf(want + off, sizeof want - off, "%s%s:%s@%.0f",
					                        off ? " " : "", sw->stage[g],
					                        s->options[best_as[k][g]].name, sw->capacity[k]);
		assert_string_equal(got, want);
		assert_string_equal(got, v[vi].flips);
		/* bisected to a whole laser: the brute-force argmin of the stage is
		 * still the old option one laser below the break-even, the new one
		 * at it */
		for (size_t i = 0; i < sw->n_flips; i++) {
			const lf_supply_flip *f = &sw->flip[i];
			assert_true(f->exact);
			assert_true(f->first_new - f->last_old == 1);
			assert_true(f->first_new > f->capacity - (sw->capacity[1] - sw->capacity[0]));
			assert_true(f->first_new <= f->capacity);
			int a_old[3], a_new[3];
			double b0, r0, b1, r1;
			brute_force(path, text, pool_line, pl, f->last_old, a_old, &b0, &r0);
			brute_force(path, text, pool_line, pl, f->first_new, a_new, &b1, &r1);
			assert_int_equal(a_old[f->stage], f->from);
			assert_int_equal(a_new[f->stage], f->to);
		}
		assert_non_null(strstr(sw->flips, v[vi].words));
		/* and in the report: a flip line at each, the table's points */
		lf_supply_result *r = NULL;
		assert_int_equal(lf_supply_solve(s, pl, NULL, 2, &r, &err), LF_OK);
		lf_report_input in = { .plan = pl[1], .supply = r, .supply_sweep = sw,
		                       .no_topology = 1, .fragment = 1 };
		char *html = NULL;
		assert_int_equal(lf_report_render(&in, &html, &err), LF_OK);
		for (size_t i = 0; i < sw->n_flips; i++) {
			char m[64];
			snprintf(m, sizeof m, "class=\"flip\" data-x=\"%.10g\"", sw->flip[i].capacity);
			assert_non_null(strstr(html, m));
		}
		size_t rows = 0;
		for (const char *q = html; (q = strstr(q, "<tr data-capacity=")); q++)
			rows++;
		assert_int_equal(rows, sw->n_points);
		assert_non_null(strstr(html, "id=\"supply-choices-0\""));
		free(html);
		lf_supply_result_free(r);
		lf_supply_sweep_free(sw);
		lf_supply_scenario_free(s);
		free(text);
	}
	lf_supply_scenario_free(s0);
	for (int j = 0; j < 2; j++)
		tplan_free(&tp[j]);
	free(orig);
}


/* choose: per-stage with options whose stages differ: file:line:col of
 * the option; unknown names in incompatible:; a single option. */
static void per_stage_bad(void **state)
{
	(void)state;
	char *a = opt_spec(2, "1:1", "MMA4Z00-NS, MMA4Z00-NS-FLT");
	char *b = opt_spec(3, "1:1", "MMA4Z00-NS, MMA4Z00-NS-FLT");
	char *c = opt_spec(2, "1:1", "MMA4Z00-NS, MMA4Z00-NS-FLT");
	char *at = strstr(c, "need_by: 2026-05");
	memcpy(at, "need_by: 2026-06", 16);
	tplan ta = tplan_make(ALT, 1, a), tb = tplan_make(ALT, 1, b), tc = tplan_make(ALT, 1, c);
	assert_lf_ok(ta);
	assert_lf_ok(tb);
	assert_lf_ok(tc);
	static const char *SC =
		"horizon: {start: 2026-01, periods: 8}\n"
		"options:\n"
		"  - {name: a, spec: a.yaml}\n"
		"  - {name: b, spec: b.yaml}\n"
		"choose: per-stage\n"
		"suppliers: [{name: s, skus: [{sku: MMA4Z00-NS, lead_time: 0}]}]\n";
	lf_supply_scenario *s = NULL;
	lf_supply_result *r = NULL;
	lf_error err;
	char eb[2048];
	assert_int_equal(lf_supply_scenario_load_buffer("ps.yaml", SC, strlen(SC), &s, &err), LF_OK);
	const lf_plan *p1[2] = { ta.plan, tb.plan };
	assert_int_equal(lf_supply_solve(s, p1, NULL, 2, &r, &err), LF_EINPUT);
	lf_error_format(&err, eb, sizeof eb);
	if (!strstr(eb, "ps.yaml:4:5:") || !strstr(eb, "option \"b\" has 3 stages, option \"a\" 2"))
		fail_msg("%s", eb);
	const lf_plan *p2[2] = { ta.plan, tc.plan };
	assert_int_equal(lf_supply_solve(s, p2, NULL, 2, &r, &err), LF_EINPUT);
	lf_error_format(&err, eb, sizeof eb);
	if (!strstr(eb, "ps.yaml:4:5:") || !strstr(eb, "is needed by 2026-06") ||
	    !strstr(eb, "by 2026-05"))
		fail_msg("%s", eb);
	/* one spec given for the two options */
	assert_int_equal(lf_supply_solve(s, p1, NULL, 1, &r, &err), LF_EINPUT);
	lf_error_format(&err, eb, sizeof eb);
	if (!strstr(eb, "ps.yaml:5:9:") || !strstr(eb, "sources the scenario's 2 options"))
		fail_msg("%s", eb);
	lf_supply_scenario_free(s);
	static const struct { const char *text, *where, *what; } bad[] = {
		{ "horizon: {start: 2026-01, periods: 8}\noptions: [{name: a, spec: a.yaml}]\n"
		  "choose: per-stage\nsuppliers: []\n", "x.yaml:3:9:", "at least two specs" },
		{ "horizon: {start: 2026-01, periods: 8}\noptions:\n  - {name: a, spec: a.yaml, "
		  "incompatible: [bb]}\n  - {name: b, spec: b.yaml}\nchoose: per-stage\n"
		  "suppliers: []\n", "x.yaml:3:44:", "unknown option \"bb\"" },
		{ "horizon: {start: 2026-01, periods: 8}\noptions:\n  - {name: a, spec: a.yaml}\n"
		  "  - {name: b, spec: b.yaml}\nchoose: per-stage\noption_costs: {energy: "
		  "{usd_per_kwh: 0.1, period: 3 weeks}}\nsuppliers: []\n", "x.yaml:6:51:",
		  "energy period must be a duration" },
		{ "horizon: {start: 2026-01, periods: 8}\noptions:\n  - {name: a, spec: a.yaml}\n"
		  "  - {name: b, spec: b.yaml}\nchoose: per-stages\nsuppliers: []\n",
		  "x.yaml:5:9:", "per-stage" },
		{ "horizon: {start: 2026-01, periods: 8}\nspec: a.yaml\n"
		  "projects: [{name: a, spec: a.yaml}]\nsuppliers: []\n",
		  "x.yaml:3:11:", "give projects: or spec:/options:, not both" },
		{ "horizon: {start: 2026-01, periods: 8}\nprojects:\n  - {name: a, spec: a.yaml}\n"
		  "  - {name: a, spec: b.yaml}\nsuppliers: []\n",
		  "x.yaml:4:12:", "project \"a\" is given twice" },
		{ "horizon: {start: 2026-01, periods: 8}\nprojects:\n  - {name: a, spec: a.yaml, "
		  "priority: -1}\nsuppliers: []\n", "x.yaml:3:39:", "priority" },
		{ "horizon: {start: 2026-01, periods: 8}\nprojects:\n  - {name: a, spec: a.yaml, "
		  "lateness: {}}\nsuppliers: []\n", "x.yaml:3:39:",
		  "one of per_gpu_period or per_link_period" },
	};
	for (size_t i = 0; i < LF_ARRAY_LEN(bad); i++) {
		s = NULL;
		assert_int_equal(lf_supply_scenario_load_buffer("x.yaml", bad[i].text, strlen(bad[i].text), &s,
		                                                &err), LF_EINPUT);
		lf_error_format(&err, eb, sizeof eb);
		if (!strstr(eb, bad[i].where) || !strstr(eb, bad[i].what))
			fail_msg("expected \"%s\" and \"%s\" in: %s", bad[i].where, bad[i].what, eb);
	}
	tplan_free(&ta);
	tplan_free(&tb);
	tplan_free(&tc);
	free(a);
	free(b);
	free(c);
}


/* ---- projects: a portfolio sourced together.  Two copies of the 1-SU
 * plan (512 modules of 8 VCSEL lasers each, needed by 2026-03). */

static lf_supply_result *solve_scn(const char *text, const lf_plan *const *pl, size_t n,
                                   lf_supply_scenario **sc)
{
	lf_error err;
	char eb[2048];
	lf_supply_result *r = NULL;
	if (lf_supply_scenario_load_buffer("pf.yaml", text, strlen(text), sc, &err) != LF_OK ||
	    lf_supply_solve(*sc, pl, NULL, n, &r, &err) != LF_OK)
		fail_msg("%s\n%s", lf_error_format(&err, eb, sizeof eb), text);
	return r;
}

#define PF_SUPPLY                                                                        \
	"suppliers:\n"                                                                   \
	"  - name: a\n"                                                                  \
	"    skus:\n"                                                                    \
	"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"                     \
	"      - {sku: MMA4Z00-NS, price: 1000, lead_time: %d}\n"                       \
	"solver: {integer: false, value_reservations: false}\n"

/* With supply that does not bind, a portfolio costs what its projects cost
 * sourced alone, each under its own lateness. */
static void portfolio_unconstrained(void **state)
{
	(void)state;
	tplan t = tplan_make(ALT, 1, SPEC);
	assert_lf_ok(t);
	const lf_plan *pl[3] = { t.plan, t.plan, t.plan };
	static const int late[3] = { 1000, 3000, 500 }, lead[2] = { 0, 3 };
	for (int li = 0; li < 2; li++) {
		char text[4096];
		int n = snprintf(text, sizeof text, "horizon: {start: 2026-01, periods: 6}\n"
		                 "projects:\n");
		for (int j = 0; j < 3; j++)
			n += snprintf(text + n, sizeof text - (size_t)n,
			              "  - {name: p%d, spec: x.yaml, lateness: {per_gpu_period: %d}}\n", j,
			              late[j]);
		snprintf(text + n, sizeof text - (size_t)n, PF_SUPPLY, lead[li]);
		lf_supply_scenario *sc;
		lf_supply_result *r = solve_scn(text, pl, 3, &sc);
		const lf_supply_answer *a = &r->answers[0];
		assert_int_equal(a->n_projects, 3);
		assert_int_equal(a->n_stages, 3);
		double sum = 0, late_sum = 0;
		for (int j = 0; j < 3; j++) {
			char one[4096];
			int m = snprintf(one, sizeof one, "horizon: {start: 2026-01, periods: 6}\n"
			                 "demand: {lateness: {per_gpu_period: %d}}\n", late[j]);
			snprintf(one + m, sizeof one - (size_t)m, PF_SUPPLY, lead[li]);
			lf_supply_scenario *s1;
			lf_supply_result *r1 = solve_scn(one, pl, 1, &s1);
			sum += r1->answers[0].objective_usd;
			late_sum += r1->answers[0].lateness_usd;
			/* each project's own lateness is what it has alone */
			assert_true(fabs(a->projects[j].lateness_usd - r1->answers[0].lateness_usd) <=
			            1e-6 * (1 + r1->answers[0].lateness_usd));
			lf_supply_result_free(r1);
			lf_supply_scenario_free(s1);
		}
		if (fabs(a->objective_usd - sum) > 1e-6 * sum)
			fail_msg("portfolio %.2f, sum alone %.2f", a->objective_usd, sum);
		if (li == 1)
			assert_true(late_sum > 0);   /* lead 3 > need-by: every project is late */
		char *text_out = NULL;
		lf_error err;
		for (int fm = 0; fm < 3; fm++) {
			assert_int_equal(lf_supply_result_render(r, fm == 0 ? LF_FMT_TABLE : fm == 1 ? LF_FMT_JSON
			                                                                    : LF_FMT_CSV,
			                                  &text_out, &err), LF_OK);
			free(text_out);
		}
		lf_supply_result_free(r);
		lf_supply_scenario_free(sc);
	}
	tplan_free(&t);
}

/* A binding VCSEL pool (2,000 lasers a month; the two projects need 8,192
 * by 2026-03): raising p0's lateness weight moves lasers to it and never
 * raises its own lateness. */
static void portfolio_priority(void **state)
{
	(void)state;
	tplan t = tplan_make(ALT, 1, SPEC);
	assert_lf_ok(t);
	const lf_plan *pl[2] = { t.plan, t.plan };
	double prev_late = HUGE_VAL, prev_lasers = -1, first_late = -1;
	static const int w0[] = { 500, 1000, 1900, 2100, 4000, 8000 };
	for (size_t wi = 0; wi < LF_ARRAY_LEN(w0); wi++) {
		char text[4096];
		snprintf(text, sizeof text,
		         "horizon: {start: 2026-01, periods: 6}\n"
		         "projects:\n"
		         "  - {name: p0, spec: x.yaml, lateness: {per_gpu_period: %d}}\n"
		         "  - {name: p1, spec: x.yaml, lateness: {per_gpu_period: 2000}}\n"
		         "suppliers:\n"
		         "  - name: a\n"
		         "    skus:\n"
		         "      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
		         "      - {sku: MMA4Z00-NS, price: 1000, lead_time: 0}\n"
		         "laser_pools: [{laser: vcsel, capacity: 2000}]\n"
		         "solver: {integer: false, value_reservations: false}\n", w0[wi]);
		lf_supply_scenario *sc;
		lf_supply_result *r = solve_scn(text, pl, 2, &sc);
		const lf_supply_answer *a = &r->answers[0];
		double late0 = a->projects[0].gpu_periods_late, late1 = a->projects[1].gpu_periods_late;
		double lasers0 = 0;
		for (size_t i = 0; i < a->n_laser_shares; i++)
			if (!strcmp(a->laser_shares[i].project, "p0") && a->laser_shares[i].period <= 2)
				lasers0 += a->laser_shares[i].lasers;
		assert_true(late0 + late1 > 0);                 /* the pool binds */
		assert_true(late0 <= prev_late + 1e-6);         /* never raises its own lateness */
		assert_true(lasers0 >= prev_lasers - 1e-6);     /* supply moves to it */
		if (w0[wi] < 2000)
			assert_true(late0 >= late1 - 1e-6);
		if (w0[wi] > 2000)
			assert_true(late0 <= late1 + 1e-6);
		prev_late = late0;
		prev_lasers = lasers0;
		if (first_late < 0)
			first_late = late0;
		lf_supply_result_free(r);
		lf_supply_scenario_free(sc);
	}
	/* from the lowest to the highest weight, p0 is strictly less late */
	assert_true(prev_late < first_late - 1);
	tplan_free(&t);
}


/* ---- uncertainty: a two-stage stochastic plan.  The 1-SU plan (512
 * modules of 8 VCSEL lasers, needed by 2026-03), a VCSEL pool of 500 or
 * 4,000 lasers a month (even odds) and an optional reservation of NS
 * modules outside the pool: whether to sign it is the first stage. */

/* The first answer's objective of a scenario text solved on the ALT plan. */
static double objective_of(const char *text)
{
	run x = solve_text(ALT, text);
	assert_run_ok(x);
	double o = x.r->answers[0].objective_usd;
	run_free(&x);
	return o;
}

static double resv_objective(int pool, double qty, uint64_t late)
{
	char text[2048];
	snprintf(text, sizeof text,
	         "horizon: {start: 2026-01, periods: 6}\n"
	         "demand: {lateness: {per_gpu_period: %llu}}\n"
	         "suppliers:\n"
	         "  - name: a\n"
	         "    skus:\n"
	         "      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
	         "      - {sku: MMA4Z00-NS, price: 1000, lead_time: 1}\n"
	         "laser_pools: [{name: vc, laser: vcsel, suppliers: [a], capacity: %d}]\n"
	         "reservations: [{name: r, supplier: a, sku: MMA4Z00-NS, quantity: %.6f,\n"
	         "                from: 2026-01, to: 2026-03, price: 1100, take_or_pay: 100%%}]\n"
	         "solver: {integer: false, value_reservations: false}\n",
	         (unsigned long long)late, pool, qty);
	return objective_of(text);
}

static void stochastic_first_stage(void **state)
{
	(void)state;
	for (int late = 200; late <= 2000; late += 900) {
		char text[2048];
		snprintf(text, sizeof text,
		         "horizon: {start: 2026-01, periods: 6}\n"
		         "demand: {lateness: {per_gpu_period: %d}}\n"
		         "suppliers:\n"
		         "  - name: a\n"
		         "    skus:\n"
		         "      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
		         "      - {sku: MMA4Z00-NS, price: 1000, lead_time: 1}\n"
		         "laser_pools: [{name: vc, laser: vcsel, suppliers: [a], capacity: 2000}]\n"
		         "reservations: [{name: r, supplier: a, sku: MMA4Z00-NS, quantity: 200,\n"
		         "                from: 2026-01, to: 2026-03, price: 1100, take_or_pay: 100%%,\n"
		         "                optional: true}]\n"
		         "solver: {integer: false, value_reservations: false}\n"
		         "uncertainty:\n"
		         "  commit: 0\n"
		         "  scenarios:\n"
		         "    - {name: short, probability: 0.5, overrides: {pools: {vc: 500}}}\n"
		         "    - {name: ample, probability: 0.5, overrides: {pools: {vc: 4000}}}\n", late);
		run x = solve_text(ALT, text);
		assert_run_ok(x);
		const lf_supply_result *r = x.r;
		assert_true(r->stochastic);
		assert_int_equal(r->n_answers, 2);
		double rp = r->expected_usd, g = r->answers[0].resv[0].fraction;
		/* the signature is shared */
		assert_true(fabs(g - r->answers[1].resv[0].fraction) < 1e-9);
		/* the stochastic first stage, evaluated per scenario, costs RP */
		double eg = 0.5 * resv_objective(500, 200 * g, (uint64_t)late) +
		            0.5 * resv_objective(4000, 200 * g, (uint64_t)late);
		if (fabs(eg - rp) > 1e-6 * rp)
			fail_msg("RP %.2f, its first stage evaluated %.2f", rp, eg);
		/* no first stage on a grid is cheaper */
		for (int k = 0; k <= 10; k++) {
			double e = 0.5 * resv_objective(500, 20.0 * k, (uint64_t)late) +
			           0.5 * resv_objective(4000, 20.0 * k, (uint64_t)late);
			if (e < rp - 1e-6 * rp)
				fail_msg("signing %d%% costs %.2f < stochastic %.2f", 10 * k, e, rp);
		}
		assert_true(r->evpi_usd >= -1e-6 * rp);
		assert_true(r->vss_usd >= -1e-6 * rp);
		char *t = NULL;
		lf_error err;
		for (int fm = 0; fm < 3; fm++) {
			assert_int_equal(lf_supply_result_render(x.r, fm == 0 ? LF_FMT_TABLE : fm == 1 ? LF_FMT_JSON
			                                                                       : LF_FMT_CSV,
			                                  &t, &err), LF_OK);
			free(t);
		}
		run_free(&x);
	}
}

/* Lead-time and price overrides.  With commit: 0 and no optional
 * reservation nothing is shared, so the stochastic plan is each scenario
 * solved alone: its expected cost is the probability-weighted sum of the
 * deterministic costs of the scenario with the overridden prices and leads
 * written into the suppliers (and EVPI is 0). */
static double lead_price_objective(int price, int lead)
{
	char text[1024];
	snprintf(text, sizeof text,
	         "horizon: {start: 2026-01, periods: 6}\n"
	         "demand: {lateness: {per_gpu_period: 500}}\n"
	         "suppliers:\n"
	         "  - name: a\n"
	         "    skus:\n"
	         "      - {sku: MMA4Z00-NS-FLT, price: %d, lead_time: %d}\n"
	         "      - {sku: MMA4Z00-NS, price: %d, lead_time: %d}\n"
	         "laser_pools: [{name: vc, laser: vcsel, suppliers: [a], capacity: 3000}]\n"
	         "solver: {integer: false, value_reservations: false}\n",
	         price, lead, price, lead);
	return objective_of(text);
}

static void stochastic_lead_price(void **state)
{
	(void)state;
	const char *text =
		"horizon: {start: 2026-01, periods: 6}\n"
		"demand: {lateness: {per_gpu_period: 500}}\n"
		"suppliers:\n"
		"  - name: a\n"
		"    skus:\n"
		"      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 1}\n"
		"      - {sku: MMA4Z00-NS, price: 1000, lead_time: 1}\n"
		"laser_pools: [{name: vc, laser: vcsel, suppliers: [a], capacity: 3000}]\n"
		"solver: {integer: false, value_reservations: false}\n"
		"uncertainty:\n"
		"  commit: 0\n"
		"  scenarios:\n"
		"    - {name: base, probability: 0.5}\n"
		"    - {name: dear, probability: 0.3, overrides: {prices: {a: 150%}}}\n"
		"    - {name: slow, probability: 0.2, overrides: {lead_times: {a: 3}, prices: {a: 120%}}}\n";
	run x = solve_text(ALT, text);
	assert_run_ok(x);
	const lf_supply_result *r = x.r;
	assert_int_equal(r->n_answers, 3);
	double base = lead_price_objective(1000, 1), dear = lead_price_objective(1500, 1),
	       slow = lead_price_objective(1200, 3);
	/* the overrides change the cost: the test can fail */
	assert_true(dear > base * 1.2 && slow > base);
	double want[3] = { base, dear, slow };
	for (int u = 0; u < 3; u++)
		if (fabs(r->answers[u].objective_usd - want[u]) > 1e-6 * want[u])
			fail_msg("scenario %d: %.2f, written-in scenario %.2f", u,
			         r->answers[u].objective_usd, want[u]);
	double e = 0.5 * base + 0.3 * dear + 0.2 * slow;
	assert_true(fabs(r->expected_usd - e) < 1e-6 * e);
	assert_true(fabs(r->evpi_usd) < 1e-6 * e);
	run_free(&x);
}

/* VSS >= 0 and EVPI >= 0 on generated cases (2-3 scenarios, commit 0-3) */
static void stochastic_properties(void **state)
{
	(void)state;
	uint64_t seed = 11;
	for (int iter = 0; iter < 12; iter++) {
		int nu = 2 + (int)(rng(&seed) % 2), commit = (int)(rng(&seed) % 4);
		char text[4096];
		int n = snprintf(text, sizeof text,
		                 "horizon: {start: 2026-01, periods: 6}\n"
		                 "demand: {lateness: {per_link_period: %d}}\n"
		                 "suppliers:\n"
		                 "  - name: a\n"
		                 "    capacity: %d\n"
		                 "    skus:\n"
		                 "      - {sku: MMA4Z00-NS-FLT, price: 1000, lead_time: 0}\n"
		                 "      - {sku: MMA4Z00-NS, price: 1000, lead_time: %d}\n"
		                 "  - name: b\n"
		                 "    skus: [{sku: TEST-2SR4-ALT, price: 1150, lead_time: 0}]\n"
		                 "laser_pools: [{name: vc, laser: vcsel, suppliers: [a], capacity: %d},\n"
		                 "              {name: dm, laser: dml, capacity: %d}]\n"
		                 "reservations: [{name: r, supplier: a, sku: MMA4Z00-NS, quantity: 60,\n"
		                 "                price: 1080, take_or_pay: 50%%, optional: true}]\n"
		                 "solver: {integer: false, value_reservations: false}\n"
		                 "uncertainty:\n  commit: %d\n  scenarios:\n",
		                 20 + (int)(rng(&seed) % 300), 200 + (int)(rng(&seed) % 400),
		                 (int)(rng(&seed) % 2), 800 + (int)(rng(&seed) % 3000),
		                 (int)(rng(&seed) % 2000), commit);
		double left = 1;
		for (int u = 0; u < nu; u++) {
			double pr = u + 1 < nu ? 0.1 + 0.8 * (double)(rng(&seed) % 100) / 100 * left / 2
			                       : left;
			left -= pr;
			n += snprintf(text + n, sizeof text - (size_t)n,
			              "    - {name: s%d, probability: %.17g, overrides: {pools: {vc: %d, "
			              "dm: %d}, suppliers: {a: %d}}}\n", u, pr,
			              (int)(rng(&seed) % 4000), (int)(rng(&seed) % 2000),
			              100 + (int)(rng(&seed) % 500));
		}
		run x = solve_text(ALT, text);
		if (x.st != LF_OK) {
			char b[2048];
			fail_msg("%s\n%s", lf_error_format(&x.err, b, sizeof b), text);
		}
		const lf_supply_result *r = x.r;
		double tol = 1e-6 * (1 + fabs(r->expected_usd));
		if (r->evpi_usd < -tol || r->vss_usd < -tol)
			fail_msg("EVPI %.2f, VSS %.2f\n%s", r->evpi_usd, r->vss_usd, text);
		double e = 0;
		for (size_t u = 0; u < r->n_answers; u++)
			e += r->answers[u].probability * r->answers[u].objective_usd;
		assert_true(fabs(e - r->expected_usd) <= tol);
		run_free(&x);
	}
}

/* ---- bad scenarios: file:line:col and what was expected */

static void expect_error(const char *scenario, const char *where, const char *text)
{
	run x = solve_text(ALT, scenario);
	assert_int_equal(x.st, LF_EINPUT);
	char b[2048];
	lf_error_format(&x.err, b, sizeof b);
	if (!strstr(b, where) || !strstr(b, text))
		fail_msg("expected \"%s\" and \"%s\" in: %s", where, text, b);
	run_free(&x);
}

static void bad_scenarios(void **state)
{
	(void)state;
	expect_error(HORIZON "suppliers:\n  - name: a\n    skus:\n"
	             "      - {sku: MMA4Z00-NX, price: 1000, lead_time: 0}\n",
	             "scn.yaml:5:15:", "unknown SKU \"MMA4Z00-NX\": not in the catalog; did you "
	             "mean \"MMA4Z00-NS\"?");
	expect_error(HORIZON "suppliers:\n  - name: a\n    skus:\n"
	             "      - {sku: MMA4Z00-NS, capacity: -5}\n",
	             "scn.yaml:5:37:", "SKU capacity must be between 0 and");
	expect_error(HORIZON "suppliers:\n  - name: a\n    skus:\n"
	             "      - {sku: MMA4Z00-NS, lead_time: 30w}\n",
	             "scn.yaml:5:38:", "beyond the horizon of 6 periods");
	/* catalog lead time (MMA4Z00-NS: 8 weeks = 2 months) beyond a 2-month horizon */
	expect_error("horizon: {start: 2026-01, periods: 2}\nsuppliers:\n  - name: a\n"
	             "    skus: [{sku: MMA4Z00-NS}]\n",
	             "scn.yaml:4:18:", "catalog: 8 weeks = 2 periods) is beyond the horizon");
	expect_error(HORIZON "substitutions:\n"
	             "  - {use: TEST-2SR4-ALT, for: MMA4Z00-NS}\n"
	             "  - {use: MMA4Z00-NS, for: MMA4Z00-NS-FLT}\n"
	             "  - {use: MMA4Z00-NS-FLT, for: TEST-2SR4-ALT}\n"
	             "suppliers: []\n",
	             "scn.yaml:3:5:", "cyclic substitution: TEST-2SR4-ALT -> MMA4Z00-NS -> "
	             "MMA4Z00-NS-FLT -> TEST-2SR4-ALT");
	expect_error(HORIZON "suplliers: []\n", "scn.yaml:2:1:", "did you mean \"suppliers\"");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "laser_pools: [{name: vc, laser: vcsel, capacity: 10}]\n"
	             "uncertainty:\n  commit: 1\n  scenarios:\n"
	             "    - {name: x, probability: 0.5}\n    - {name: y, probability: 0.4}\n",
	             "scn.yaml:7:5:", "probabilities must sum to 1, got 0.9");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "laser_pools: [{name: vc, laser: vcsel, capacity: 10}]\n"
	             "uncertainty:\n  commit: 1\n  scenarios:\n"
	             "    - {name: x, probability: 1, overrides: {pools: {vcc: 5}}}\n",
	             "scn.yaml:7:53:", "unknown laser pool \"vcc\"; did you mean \"vc\"?");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "uncertainty:\n  commit: 1\n  scenarios:\n"
	             "    - {name: x, probability: 1, overrides: {suppliers: {b: 5}}}\n",
	             "scn.yaml:6:57:", "unknown supplier \"b\"");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "uncertainty:\n  commit: 1\n  scenarios:\n"
	             "    - {name: x, probability: 1, overrides: {lead_times: {b: 2}}}\n",
	             "scn.yaml:6:58:", "unknown supplier \"b\"");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "uncertainty:\n  commit: 1\n  scenarios:\n"
	             "    - {name: x, probability: 1, overrides: {lead_times: {a: 9}}}\n",
	             "scn.yaml:6:61:", "beyond the horizon of 6 periods");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "uncertainty:\n  commit: 1\n  scenarios:\n"
	             "    - {name: x, probability: 1, overrides: {prices: {a: cheap}}}\n",
	             "scn.yaml:6:57:", "price factor override");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "uncertainty:\n  commit: 7\n  scenarios: [{name: x, probability: 1}]\n",
	             "scn.yaml:4:11:", "commit 7 is beyond the horizon of 6 periods");
	expect_error(HORIZON "suppliers: [{name: a, skus: []}]\n"
	             "reservations: [{supplier: b, sku: MMA4Z00-NS, quantity: 1, price: 1}]\n",
	             "scn.yaml:3:27:", "unknown supplier \"b\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_supplier),
		cmocka_unit_test(floor_media),
		cmocka_unit_test(laser_pool_shared),
		cmocka_unit_test(cpo_laser_sources),
		cmocka_unit_test(reservation_changes),
		cmocka_unit_test(substitution_rescues),
		cmocka_unit_test(infeasible_stage),
		cmocka_unit_test(reliability_spares),
		cmocka_unit_test(properties),
		cmocka_unit_test(per_stage_exact),
		cmocka_unit_test(per_stage_bad),
		cmocka_unit_test(sweep_breakeven),
		cmocka_unit_test(portfolio_unconstrained),
		cmocka_unit_test(portfolio_priority),
		cmocka_unit_test(stochastic_first_stage),
		cmocka_unit_test(stochastic_properties),
		cmocka_unit_test(stochastic_lead_price),
		cmocka_unit_test(bad_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
