/*
 * test_layout.c — the floor layout and the cabling schedule.
 *
 *  - DGX H100 SuperPOD, 4 SUs (RA-11333-001): 1,024 server-leaf + 1,024
 *    leaf-spine links, one schedule row each; every port used at most once
 *    (by the plan's graph and by the names in the schedule); every length
 *    an orderable length of the part family and at least the routed path.
 *  - Closed forms of the routing (src/layout.c) for the first server-leaf
 *    and the first leaf-spine link of that floor.
 *  - Power budget: warn mode builds and says so; rack counts and power.
 *  - No layout: section: the default is derived and stated.
 */
#include <math.h>
#include <stdbool.h>

#include "testutil.h"

#define SPEC_4SU                                                               \
	"name: h100-4su\n"                                                     \
	"cluster: {server: dgx-h100, servers: 127, su_size: 32, spare_slots: cabled}\n" \
	"fabric:\n"                                                            \
	"  tiers:\n"                                                           \
	"    - {switch: qm9700, link_speed: 400G, distance: 30m}\n"           \
	"    - {switch: qm9700, link_speed: 400G, distance: 50m}\n"           \
	"optics: {allow: [MMA4Z00-NS, MMA4Z00-NS-FLT]}\n"

static const char *const spec_layout = SPEC_4SU
	"layout:\n"
	"  power_budget: 41kW\n"
	"  network_racks: middle\n";

typedef struct membuf { char *data; size_t len, cap; } membuf;

static int mem_sink(void *ctx, const char *d, size_t n)
{
	membuf *m = ctx;
	if (m->len + n + 1 > m->cap) {
		m->cap = (m->len + n + 1) * 2;
		m->data = realloc(m->data, m->cap);
		if (!m->data)
			return -1;
	}
	memcpy(m->data + m->len, d, n);
	m->len += n;
	m->data[m->len] = 0;
	return 0;
}

static bool orderable_fibre(double x)
{
	static const double l[] = { 1, 2, 3, 5, 7, 10, 15, 20, 30, 50 };
	for (size_t i = 0; i < sizeof l / sizeof l[0]; i++)
		if (fabs(l[i] - x) < 1e-6)
			return true;
	return false;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void test_h100_4su(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, spec_layout);
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	lf_layout *ly = NULL;
	t.st = lf_layout_build(pl, &ly, &t.err);
	assert_lf_ok(t);
	assert_int_equal(pl->n_links, 2048);
	/* 4 SUs of 8 compute + 1 leaf rack, and one spine rack: 16 QM9700 at
	 * 1,176 W max fit a 40.8 kW... here 41 kW budget (34 per rack by power) */
	assert_int_equal(ly->n_racks, 4 * 9 + 1);
	assert_int_equal(ly->rows, 5);
	/* every port at most once, against the plan's graph */
	size_t *base = calloc(pl->n_nodes + 1, sizeof *base);
	for (size_t i = 0; i < pl->n_nodes; i++)
		base[i + 1] = base[i] + pl->nodes[i].n_ports;
	uint8_t *used = calloc(base[pl->n_nodes], 1);
	size_t per_level[4] = { 0 };
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		assert_true(l->a_port < pl->nodes[l->a].n_ports);
		assert_true(l->b_port < pl->nodes[l->b].n_ports);
		assert_int_equal(used[base[l->a] + l->a_port]++, 0);
		assert_int_equal(used[base[l->b] + l->b_port]++, 0);
		per_level[l->level]++;
		/* an orderable MPO patch cord at least as long as the route */
		assert_true(ly->length_m[i] >= ly->routed_m[i]);
		assert_true(orderable_fibre(ly->length_m[i]));
	}
	assert_int_equal(per_level[1], 1024);
	assert_int_equal(per_level[2], 1024);
	free(used);
	free(base);
	/* closed forms (U = 44.45 mm, 48U rack H = 2.1336 m, 600 mm racks,
	 * 2.4 m row pitch, 0.3 m tray, 2 x 0.5 m slack, 0.3 m bend):
	 * link 1: su1-srv01 (A01, U1..8, centre 0.1778 m) to su1-leaf1 (A05,
	 * U48, centre 2.1114 m): 1.9558 + 0.0222 + 0.6 + 4 x 0.6 + 1.3 = 6.278 m
	 * -> 7 m.  Link 1025: su1-leaf1 to spine01 (C01, U48): 2 x 0.0222 +
	 * 0.6 + 2.4 + 2 x 2.4 + 1.3 = 9.1444 m -> 10 m. */
	assert_true(fabs(ly->routed_m[0] - 6.278) < 1e-3);
	assert_true(fabs(ly->length_m[0] - 7) < 1e-9);
	assert_true(pl->links[1024].level == 2);
	assert_true(fabs(ly->routed_m[1024] - 9.1444) < 1e-3);
	assert_true(fabs(ly->length_m[1024] - 10) < 1e-9);
	/* rack power: 4 DGX H100 at 10.2 kW = 40.8 kW */
	assert_true(fabs(ly->racks[0].power_w - 40800) < 1e-6);

	/* the schedule: one row per link, every port name at most once */
	membuf m = { 0 };
	t.st = lf_cabling_write(pl, ly, LF_CABLING_CSV, mem_sink, &m, &t.err);
	assert_lf_ok(t);
	size_t lines = 0;
	for (size_t i = 0; i < m.len; i++)
		lines += m.data[i] == '\n';
	assert_int_equal(lines, 2049);
	assert_true(strncmp(m.data, "cable,label,stage,level,plane,a_row,a_rack,a_u,a_device,"
	                    "a_port,", 56) == 0);
	char **ends = calloc(2 * 2048, sizeof *ends);
	size_t ne = 0;
	char *save = NULL;
	char *line = strtok_r(m.data, "\n", &save);   /* header */
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[32];
		int nf = 0;
		for (char *p = line, *q; nf < 32 && p; p = q) {
			q = strchr(p, ',');
			if (q)
				*q++ = 0;
			f[nf++] = p;
		}
		assert_int_equal(nf, 27);
		/* a_device a_port = fields 8, 9; b_device b_port = 15, 16 */
		for (int k = 0; k < 2; k++) {
			char *e = malloc(128);
			snprintf(e, 128, "%s %s", f[8 + 7 * k], f[9 + 7 * k]);
			ends[ne++] = e;
		}
		assert_true(atof(f[25]) >= atof(f[26]));
	}
	assert_int_equal(ne, 4096);
	qsort(ends, ne, sizeof *ends, cmp_str);
	for (size_t i = 0; i < ne; i++) {
		if (i)
			assert_string_not_equal(ends[i - 1], ends[i]);
	}
	for (size_t i = 0; i < ne; i++)
		free(ends[i]);
	free(ends);
	free(m.data);

	/* UFM P2P: its six columns, Host to Switch for server links */
	m = (membuf){ 0 };
	t.st = lf_cabling_write(pl, ly, LF_CABLING_UFM_P2P, mem_sink, &m, &t.err);
	assert_lf_ok(t);
	assert_true(strncmp(m.data, "A-Node Name,A-Type,A-Port,Z-Node Name,Z-Type,Z-Port\n"
	                    "su1-srv01,Host,OSFP1P1,su1-leaf1,Switch,1/1\n", 95) == 0);
	free(m.data);
	lf_layout_free(ly);
	tplan_free(&t);
}

static void test_power_warn(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, SPEC_4SU "layout: {power_budget: 30kW, servers_per_rack: 4,"
	                                       " over_budget: warn}\n");
	assert_lf_ok(t);
	lf_layout *ly = NULL;
	t.st = lf_layout_build(t.plan, &ly, &t.err);
	assert_lf_ok(t);
	assert_non_null(strstr(ly->notes, "warning: 32 rack(s) over the 30.0 kW power budget"));
	lf_layout_free(ly);
	/* the same as an error, and a budget that bounds servers per rack */
	tplan_free(&t);
	t = tplan_make(NULL, 1, SPEC_4SU "layout: {power_budget: 30kW}\n");
	assert_lf_ok(t);
	t.st = lf_layout_build(t.plan, &ly, &t.err);
	assert_lf_ok(t);
	assert_int_equal(ly->eff.servers_per_rack, 2);   /* floor(30 / 10.2) */
	assert_int_equal(ly->n_racks, 4 * (16 + 1) + 1);
	lf_layout_free(ly);
	tplan_free(&t);
}

static void test_default_layout(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, SPEC_4SU);
	assert_lf_ok(t);
	assert_int_equal(t.spec->layout.given, 0);
	lf_layout *ly = NULL;
	t.st = lf_layout_build(t.plan, &ly, &t.err);
	assert_lf_ok(t);
	assert_non_null(strstr(ly->notes, "layout not given, derived from the SU structure"));
	assert_int_equal(ly->eff.servers_per_rack, 4);
	assert_int_equal(ly->eff.racks_per_row, 9);
	lf_layout_free(ly);
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h100_4su),
		cmocka_unit_test(test_power_warn),
		cmocka_unit_test(test_default_layout),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
