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
	x.st = lf_supply_load_buffer("scn.yaml", scenario, strlen(scenario), &x.sc, &x.err);
	if (x.st == LF_OK) {
		const lf_plan *pl = x.t.plan;
		x.st = lf_supply_solve(x.sc, &pl, NULL, 1, &x.r, &x.err);
	}
	return x;
}

static void run_free(run *x)
{
	lf_supply_free(x->r);
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
	assert_int_equal(lf_supply_load_buffer("scn.yaml", SCN, strlen(SCN), &sc, &err), LF_OK);
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
	assert_int_equal(lf_supply_render(r, LF_FMT_JSON, &text, &err), LF_OK);
	assert_non_null(strstr(text, "\"spares\": ["));
	free(text);
	assert_int_equal(lf_supply_render(r, LF_FMT_CSV, &text, &err), LF_OK);
	assert_non_null(strstr(text, "\nspare,"));
	free(text);
	assert_int_equal(lf_supply_render(r, LF_FMT_TABLE, &text, &err), LF_OK);
	assert_non_null(strstr(text, "spares (lightfab reliability)"));
	free(text);
	lf_supply_free(r);
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
		assert_int_equal(lf_supply_load_buffer("gen.yaml", sc, strlen(sc), &s, &err), LF_OK);
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
			assert_int_equal(lf_supply_render(r, fm, &text, &err), LF_OK);
			free(text);
		}
		lf_supply_free(r);
		lf_supply_scenario_free(s);
	}
	lf_reliability_free(rel);
	lf_reliability_params_free(rp);
	tplan_free(&t);
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
	             "reservations: [{supplier: b, sku: MMA4Z00-NS, quantity: 1, price: 1}]\n",
	             "scn.yaml:3:27:", "unknown supplier \"b\"");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(one_supplier),
		cmocka_unit_test(laser_pool_shared),
		cmocka_unit_test(reservation_changes),
		cmocka_unit_test(substitution_rescues),
		cmocka_unit_test(infeasible_stage),
		cmocka_unit_test(reliability_spares),
		cmocka_unit_test(properties),
		cmocka_unit_test(bad_scenarios),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
