/*
 * fuzz_supply.c — libFuzzer target for the supply scenario parser
 * (`lightfab source`: suppliers, pools, reservations, options, choose:
 * per-stage, option_costs, projects).
 *
 * Each input is parsed as a scenario (lf_supply_scenario_load_buffer) and freed.
 * Nothing is solved: a solve needs plans, and its time depends on the
 * model's size, not on parsing.  Spec paths in options:/projects: are
 * stored, never opened.
 *
 *   make fuzz                    # builds build/fuzz/fuzz_supply, short run
 *   build/fuzz/fuzz_supply -dict=fuzz/yaml.dict fuzz/corpus/supply
 */
#include <stdio.h>
#include <stdlib.h>

#include "lightfab.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lf_error err = { 0 };
	lf_supply_scenario *sc = NULL;
	if (lf_supply_scenario_load_buffer("fuzz.yaml", (const char *)data, size, &sc, &err) == LF_OK) {
		char lab[32];
		lf_supply_period_label(sc->period, sc->start_month, sc->periods - 1, lab, sizeof lab);
		lf_supply_scenario_free(sc);
	} else {
		char b[2048];
		lf_error_format(&err, b, sizeof b);
	}
	return 0;
}
