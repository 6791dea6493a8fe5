/* testutil.h — helpers shared by the cmocka tests: load the bundled catalog
 * (or a catalog given as text) and a spec given as text, build the plan. */
#ifndef LF_TESTUTIL_H
#define LF_TESTUTIL_H
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "lightfab.h"

/* A floor that gives one link level two media (test_supply floor_media,
 * test_reliability test_floor_media): DGX H100 SUs of 4 servers, one server
 * a rack, the SU's leaf in a network rack at the row's end.  Of the 128
 * server-leaf links, the 64 of the two servers nearest the leaf run on ACC
 * cables (32 twin-link cables), the other 64 on twin-port SR4 optics (32
 * MMA4Z00-NS-FLT + 32 MMA4Z00-NS); leaf-spine is optics (64 + 64 NS). */
#define FLOOR_MIX_SPEC                                                                    \
	"name: floor-mix\n"                                                              \
	"cluster: {server: dgx-h100, servers: 16, su_size: 4}\n"                         \
	"fabric: {kind: fat-tree, tiers: [{switch: qm9700}, {switch: qm9700}]}\n"        \
	"optics: {allow: [MCP4Y10-N002, MCA4J80-N005, MMA4Z00-NS, MMA4Z00-NS-FLT]}\n"   \
	"layout: {power_budget: 45kW, servers_per_rack: 1, network_racks: end,\n"        \
	"         spine_row: end, aisle: 3m, slack: 30cm, bend: 20cm}\n"

typedef struct tplan {
	lf_catalog *cat;
	lf_spec *spec;
	lf_plan *plan;
	lf_error err;
	lf_status st;
} tplan;

/* catalog_text NULL: the bundled catalog only; else the bundled one plus it,
 * or (when bundled is 0) that text alone. */
static inline tplan tplan_make(const char *catalog_text, int bundled, const char *spec_text)
{
	tplan t;
	memset(&t, 0, sizeof t);
	lf_load_opts lo = { .default_catalog = bundled ? LF_DATADIR : NULL,
	                    .catalog_text = catalog_text, .catalog_name = "test-catalog.yaml",
	                    .spec_text = spec_text, .spec_len = strlen(spec_text) };
	t.st = lf_load_plan(&lo, &t.cat, &t.spec, &t.plan, &t.err);
	return t;
}

static inline void tplan_free(tplan *t)
{
	lf_plan_free(t->plan);
	lf_spec_free(t->spec);
	lf_catalog_free(t->cat);
	memset(t, 0, sizeof *t);
}

/* Fail the test with the library's message when st is not LF_OK. */
#define assert_lf_ok(t)                                                        \
	do {                                                                   \
		if ((t).st != LF_OK) {                                         \
			char b_[2048];                                         \
			fail_msg("%s", lf_error_format(&(t).err, b_, sizeof b_));  \
		}                                                              \
	} while (0)

static inline const lf_bom_line *bom_find(const lf_bom *b, lf_bom_cat cat, const char *sku,
                                          lf_end end)
{
	for (size_t i = 0; i < b->n_lines; i++)
		if (b->lines[i].cat == cat && b->lines[i].end == end &&
		    strcmp(b->lines[i].sku, sku) == 0)
			return &b->lines[i];
	return NULL;
}

static inline uint64_t bom_count(const lf_bom *b, lf_bom_cat cat, const char *sku, lf_end end)
{
	const lf_bom_line *l = bom_find(b, cat, sku, end);
	return l ? l->count : 0;
}
#endif
