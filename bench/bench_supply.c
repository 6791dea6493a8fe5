/*
 * bench_supply — solve time of `lightfab source` at the size:
 * 100 SKUs x 20 suppliers x 36 monthly periods x 10 stages.
 *
 *   build/bench_supply [-i]      (-i: integer orders, a MIP; default LP)
 *   build/bench_supply -p        choose: per-stage over 3 options (EML-only,
 *                                SiPh-only, any BENCH part) x 6 stages: a MIP
 *                                of 18 yes/no choices, continuous orders,
 *                                plus the 12 re-solves pricing the choices
 *                                (BENCH_NOPRICE=1: without them)
 *   BENCH_STOCH=1 build/bench_supply   uncertainty: 10 supply scenarios (EML
 *                                and CW pool capacities), commit: 3; the
 *                                extensive form (an LP) + the wait-and-see
 *                                and mean-value re-solves;
 *                                BENCH_STOCH=tight: supplier caps too (binding)
 *   BENCH_NOVALUE=1 build/bench_supply   one solve: no reservation re-solves
 *   BENCH_JSON=FILE build/bench_supply   also write the answer as JSON (to diff
 *                                        two builds: same orders, same objective)
 *
 * Generated, through the public API only:
 *   - a catalog of 100 800G DR4 transceivers that fit the ends of a
 *     16,384-GPU B300 fabric on Q3400 (50 flat-top single-port server
 *     modules, 50 finned twin-port switch modules; EML or SiPh, prices
 *     and lasers varying), added to the bundled catalog;
 *   - a spec of that fabric in 10 stages, 3 months apart;
 *   - a scenario: 36 months, 20 suppliers each selling every SKU (2,000
 *     offers, leads 2-5 months, capacities), an EML and a CW laser pool per
 *     supplier, 2 reservations (valued: 2 extra solves), stock of 2 SKUs.
 * Prints the model size and the time of lf_supply_solve (build + GLPK +
 * reading the answer + reservation re-solves) and of the whole run.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "lightfab.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

static double now(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static char *cat_text(void)
{
	size_t cap = 1 << 20, n = 0;
	char *b = malloc(cap);
	n += (size_t)snprintf(b + n, cap - n, "transceivers:\n");
	for (int i = 0; i < 100; i++) {
		int server = i < 50, siph = i % 2;
		n += (size_t)snprintf(b + n, cap - n,
			"  - id: BENCH-%03d\n    name: bench part %d\n    vendor: bench\n"
			"    form_factor: osfp\n    standard: \"800GBASE-DR4\"\n    link_speed: 800G\n"
			"    links: %d\n    lanes: %d\n    lane_speed: 200G\n    medium: smf\n"
			"    connector: \"MPO-12/APC\"\n    fibres_per_link: 8\n    reach: 500m\n"
			"    laser: %s\n    lasers: %d\n    fits: %s\n    power_w: {typ: 16, max: 18}\n"
			"    price_usd: %d\n    lead_time_weeks: 12\n    source: \"[U] bench\"\n",
			i, i, server ? 1 : 2, server ? 4 : 8, siph ? "siph-cw" : "eml",
			server ? (siph ? 1 : 4) : (siph ? 4 : 8), server ? "server" : "switch",
			(server ? 1200 : 2200) + (i % 17) * 15);
	}
	return b;
}

static const char *SPEC =
	"name: bench-b300-10-stages\n"
	"cluster: {server: dgx-b300, gpus: 16384, su_size: 64}\n"
	"fabric:\n"
	"  kind: rail-optimized\n"
	"  tier_count: auto\n"
	"  tiers:\n"
	"    - {name: leaf, switch: q3400, link_speed: 800G, oversubscription: 1:1, distance: 30m}\n"
	"    - {name: spine, switch: q3400, link_speed: 800G, distance: 100m}\n"
	"optics: {policy: cheapest, allow: [\"BENCH-*\"]}\n"
	"stages:\n";

static char *scenario_text(int integer, int per_stage)
{
	size_t cap = 1 << 22, n = 0;
	char *b = malloc(cap);
	n += (size_t)snprintf(b + n, cap - n,
		"name: bench\nhorizon: {start: 2026-01, periods: 36}\n"
		"demand: {lateness: {per_gpu_period: 2000}}\nsubstitution: %s\n%ssuppliers:\n",
		per_stage ? "spec" : "any",
		per_stage ? "options: [{name: eml, spec: a.yaml}, {name: siph, spec: b.yaml},\n"
		            "          {name: any, spec: c.yaml}]\nchoose: per-stage\n"
		            "option_costs: {equipment: true, energy: {usd_per_kwh: 0.08, period: 3y}}\n"
		          : "");
	for (int s = 0; s < 20; s++) {
		n += (size_t)snprintf(b + n, cap - n, "  - name: sup%02d\n    skus:\n", s);
		for (int i = 0; i < 100; i++)
			n += (size_t)snprintf(b + n, cap - n,
				"      - {sku: BENCH-%03d, price: %d, lead_time: %d, capacity: %d}\n", i,
				(i < 50 ? 1200 : 2200) + ((i * 7 + s * 13) % 23) * 10, 2 + (i + s) % 4,
				300 + ((i * 31 + s * 17) % 500));
	}
	n += (size_t)snprintf(b + n, cap - n, "laser_pools:\n");
	for (int s = 0; s < 20; s++)
		n += (size_t)snprintf(b + n, cap - n,
			"  - {name: eml%02d, laser: eml, suppliers: [sup%02d], capacity: %d}\n"
			"  - {name: cw%02d, laser: cw, suppliers: [sup%02d], capacity: %d}\n",
			s, s, 20000 + s * 1000, s, s, 6000 + s * 500);
	n += (size_t)snprintf(b + n, cap - n,
		"reservations:\n"
		"  - {supplier: sup00, sku: BENCH-050, quantity: 2000, from: 2026-04, to: 2026-12, price: 2300}\n"
		"  - {supplier: sup01, sku: BENCH-001, quantity: 1000, from: 2026-04, to: 2026-09, price: 1250,\n"
		"     optional: true}\n"
		"inventory: [{sku: BENCH-000, quantity: 500}, {sku: BENCH-051, quantity: 500}]\n"
		"solver: {integer: %s, time_limit: 60s, value_reservations: %s, price_choices: %s}\n",
		integer ? "true" : "false", getenv("BENCH_NOVALUE") ? "false" : "true",
		getenv("BENCH_NOPRICE") ? "false" : "true");
	const char *stoch = getenv("BENCH_STOCH");
	if (stoch) {
		/* 10 supply scenarios: every EML pool at 40% to 130% of its forecast,
		 * the CW pools of the first 10 suppliers at 50% to 140% (the issue's
		 * case); BENCH_STOCH=tight: every supplier capped at 40 to 400
		 * modules a month, EML pools at 1% to 19%, CW at 1% to 19% (binding:
		 * stages late in the lean scenarios) */
		int tight = !strcmp(stoch, "tight");
		n += (size_t)snprintf(b + n, cap - n, "uncertainty:\n  commit: 3\n  scenarios:\n");
		for (int u = 0; u < 10; u++) {
			n += (size_t)snprintf(b + n, cap - n, "    - name: u%d\n      probability: 0.1\n"
			                      "      overrides:\n", u);
			if (tight) {
				n += (size_t)snprintf(b + n, cap - n, "        suppliers:\n");
				for (int s = 0; s < 20; s++)
					n += (size_t)snprintf(b + n, cap - n, "          sup%02d: %d\n", s,
					                      40 + 40 * u);
			}
			n += (size_t)snprintf(b + n, cap - n, "        pools:\n");
			for (int s = 0; s < 20; s++)
				n += (size_t)snprintf(b + n, cap - n, "          eml%02d: %d\n", s,
				                      (20000 + s * 1000) * (tight ? 1 + 2 * u : 40 + 10 * u) / 100);
			for (int s = 0; s < (tight ? 20 : 10); s++)
				n += (size_t)snprintf(b + n, cap - n, "          cw%02d: %d\n", s,
				                      (6000 + s * 500) * (tight ? 1 + 2 * u : 50 + 10 * u) / 100);
		}
	}
	return b;
}

/* The spec text: SPEC with optics allow `allow` and `stages` stages. */
static void spec_text_of(char *buf, size_t cap, const char *allow, int stages)
{
	size_t n = (size_t)snprintf(buf, cap, "%s", SPEC);
	char *al = strstr(buf, "[\"BENCH-*\"]");
	snprintf(al, cap - (size_t)(al - buf), "[%s]}\nstages:\n", allow);
	n = strlen(buf);
	for (int k = 1; k <= stages; k++)
		n += (size_t)snprintf(buf + n, cap - n, "  - {name: s%d, need_by: %04d-%02d, gpus: %d}\n",
		                      k, 2026 + (3 + 3 * k) / 12, (3 + 3 * k) % 12 + 1,
		                      k < stages ? k * 1536 : 16384);
}

int main(int argc, char **argv)
{
	int integer = argc > 1 && !strcmp(argv[1], "-i");
	int per_stage = argc > 1 && !strcmp(argv[1], "-p");
	double t0 = now();
	lf_error err = { 0 };
	char eb[2048];
	lf_catalog *cat;
	lf_spec *spec = NULL, *ospec[3] = { NULL, NULL, NULL };
	lf_plan *plan = NULL, *oplan[3] = { NULL, NULL, NULL };
	lf_supply_scenario *sc = NULL;
	lf_supply_result *r = NULL;
	char *ct = cat_text(), spec_text[4096];
	size_t n = (size_t)snprintf(spec_text, sizeof spec_text, "%s", SPEC);
	for (int k = 1; k <= 10; k++)
		n += (size_t)snprintf(spec_text + n, sizeof spec_text - n,
		                      "  - {name: s%d, need_by: %04d-%02d, gpus: %d}\n", k,
		                      2026 + (3 + 3 * k) / 12, (3 + 3 * k) % 12 + 1,
		                      k < 10 ? k * 1536 : 16384);
	lf_status st = lf_catalog_new(&cat, &err);
	if (st == LF_OK)
		st = lf_catalog_load_path(cat, LF_DATADIR, &err);
	if (st == LF_OK)
		st = lf_catalog_load_buffer(cat, "bench-catalog.yaml", ct, strlen(ct), &err);
	if (st == LF_OK)
		st = lf_spec_load_buffer("bench-spec.yaml", spec_text, strlen(spec_text), cat, &spec,
		                         &err);
	/* per-stage: three options of 6 stages each, on EML-only, SiPh-only and
	 * any BENCH parts (odd BENCH parts are SiPh) */
	static const char *const allow[3] = {
		"\"BENCH-000\", \"BENCH-002\", \"BENCH-004\", \"BENCH-050\", \"BENCH-052\"",
		"\"BENCH-001\", \"BENCH-003\", \"BENCH-005\", \"BENCH-051\", \"BENCH-053\"",
		"\"BENCH-*\"" };
	for (int o = 0; per_stage && o < 3 && st == LF_OK; o++) {
		char ot[4096];
		spec_text_of(ot, sizeof ot, allow[o], 6);
		st = lf_spec_load_buffer("bench-spec.yaml", ot, strlen(ot), cat, &ospec[o], &err);
	}
	if (st == LF_OK)
		st = lf_catalog_finish(cat, &err);
	if (st == LF_OK)
		st = lf_spec_resolve(spec, cat, &err);
	if (st == LF_OK)
		st = lf_plan_build(spec, cat, &plan, &err);
	for (int o = 0; per_stage && o < 3 && st == LF_OK; o++) {
		st = lf_spec_resolve(ospec[o], cat, &err);
		if (st == LF_OK)
			st = lf_plan_build(ospec[o], cat, &oplan[o], &err);
	}
	char *stx = scenario_text(integer, per_stage);
	if (st == LF_OK)
		st = lf_supply_scenario_load_buffer("bench-scenario.yaml", stx, strlen(stx), &sc, &err);
	double t1 = now();
	if (st == LF_OK) {
		const lf_plan *pl = plan;
		if (per_stage)
			st = lf_supply_solve(sc, (const lf_plan *const *)oplan, NULL, 3, &r, &err);
		else
			st = lf_supply_solve(sc, &pl, NULL, 1, &r, &err);
	}
	double t2 = now();
	int rc = 0;
	if (st != LF_OK) {
		fprintf(stderr, "bench_supply: %s\n", lf_error_format(&err, eb, sizeof eb));
		rc = 1;
	} else {
		const lf_supply_answer *a = &r->answers[0];
		int late = 0;
		for (size_t k = 0; k < a->n_stages; k++)
			late += a->stages[k].slip > 0;
		if (r->stochastic)
			printf("stochastic: %zu scenarios, expected $%.0f, EVPI $%.0f, VSS %s$%.0f\n",
			       r->n_answers, r->expected_usd, r->evpi_usd,
			       r->vss_usd > 1e300 ? "unbounded " : "", r->vss_usd > 1e300 ? 0 : r->vss_usd);
		printf("%s: 100 SKUs x 20 suppliers x 36 months x %zu stages\n",
		       per_stage ? "per-stage MIP (3 options)" : integer ? "MIP (integer orders)" : "LP",
		       a->n_stages);
		for (size_t k = 0; k < a->n_choices; k++)
			printf("  %s on %s\n", a->choices[k].stage,
			       a->option_names[a->choices[k].option]);
		if (per_stage)
			printf("  MIP gap %.3g%%, time limit 60 s per MIP solve\n", 100 * a->mip_gap);
		printf("  model: %d rows, %d columns (%d integer); %zu orders, %zu binding, %d stages "
		       "late; objective $%.0f%s\n", a->rows, a->cols, a->int_cols, a->n_orders,
		       a->n_bindings, late, a->objective_usd, a->optimal ? "" : " (not proven optimal)");
		const char *jp = getenv("BENCH_JSON");
		char *js = NULL;
		if (jp && lf_supply_result_render(r, LF_FMT_JSON, &js, &err) == LF_OK) {
			FILE *f = fopen(jp, "w");
			if (f) {
				fputs(js, f);
				fclose(f);
			}
		}
		free(js);
		printf("  solve (%s): %.3f s; setup (catalog, plan, scenario): %.3f s\n",
		       per_stage ? (getenv("BENCH_NOPRICE") ? "the MIP" : "MIP + 12 forced re-solves")
		       : getenv("BENCH_NOVALUE") ? "1 solve" : "3 solves: answer + 2 reservation values",
		       t2 - t1, t1 - t0);
	}
	lf_supply_result_free(r);
	lf_supply_scenario_free(sc);
	lf_plan_free(plan);
	lf_spec_free(spec);
	for (int o = 0; o < 3; o++) {
		lf_plan_free(oplan[o]);
		lf_spec_free(ospec[o]);
	}
	lf_catalog_free(cat);
	free(ct);
	free(stx);
	return rc;
}
