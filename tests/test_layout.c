/*
 * test_layout.c — the floor layout and the cabling schedule.
 *
 *  - DGX H100 SuperPOD, 4 SUs (RA-11333-001): 1,024 server-leaf + 1,024
 *    leaf-spine links, one schedule row each; every port used at most once
 *    (by the plan's graph and by the names in the schedule); every length
 *    an orderable length of the part family and at least the routed path.
 *  - Closed forms of the routing (src/plan/layout.c) for the first server-leaf
 *    and the first leaf-spine link of that floor.
 *  - Power budget: warn mode builds and says so; rack counts and power.
 *  - No layout: section: the default is derived and stated.
 */
#include <math.h>
#include <stdbool.h>
#include <unistd.h>

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

static int split(char *line, char **f, int max)
{
	int n = 0;
	for (char *p = line, *q; n < max && p; p = q) {
		q = strchr(p, ',');
		if (q)
			*q++ = 0;
		f[n++] = p;
	}
	return n;
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
	const lf_layout *ly = pl->layout;
	assert_non_null(ly);
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
	t.st = lf_cabling_write(pl, ly, &(lf_cabling_opts){ LF_CABLING_CSV, -1, 0 }, mem_sink, &m, &t.err);
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
		assert_int_equal(split(line, f, 32), 27);
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
	t.st = lf_cabling_write(pl, ly, &(lf_cabling_opts){ LF_CABLING_UFM_P2P, -1, 0 }, mem_sink, &m, &t.err);
	assert_lf_ok(t);
	assert_true(strncmp(m.data, "A-Node Name,A-Type,A-Port,Z-Node Name,Z-Type,Z-Port\n"
	                    "su1-srv01,Host,OSFP1P1,su1-leaf1,Switch,1/1\n", 95) == 0);
	free(m.data);
	tplan_free(&t);
}

static void test_power_warn(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, SPEC_4SU "layout: {power_budget: 30kW, servers_per_rack: 4,"
	                                       " over_budget: warn}\n");
	assert_lf_ok(t);
	const lf_layout *ly = t.plan->layout;
	assert_non_null(ly);
	assert_non_null(strstr(ly->notes, "warning: 32 rack(s) over the 30.0 kW power budget"));
	/* the same as an error, and a budget that bounds servers per rack */
	tplan_free(&t);
	t = tplan_make(NULL, 1, SPEC_4SU "layout: {power_budget: 30kW}\n");
	assert_lf_ok(t);
	ly = t.plan->layout;
	assert_int_equal(ly->eff.servers_per_rack, 2);   /* floor(30 / 10.2) */
	assert_int_equal(ly->n_racks, 4 * (16 + 1) + 1);
	tplan_free(&t);
}

static void test_default_layout(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, SPEC_4SU);
	assert_lf_ok(t);
	assert_int_equal(t.spec->layout.given, 0);
	assert_null(t.plan->layout);
	t.st = lf_plan_use_layout(t.plan, &t.err);
	assert_lf_ok(t);
	const lf_layout *ly = t.plan->layout;
	assert_non_null(ly);
	assert_non_null(strstr(ly->notes, "layout not given, derived from the SU structure"));
	assert_int_equal(ly->eff.servers_per_rack, 4);
	assert_int_equal(ly->eff.racks_per_row, 9);
	tplan_free(&t);
}

/* Device heights come from the catalog (rack_units) unless the layout gives
 * them: DGX B200 (10U) under SN5600 (2U) leaves and spines of a 4U copy of
 * it.  A compute rack stacks its servers from U1 every 10U, a network rack
 * its leaves from the top every 2U, a spine rack its spines every 4U; the
 * layout's switch_units sets every tier. */
static void test_device_heights(void **state)
{
	(void)state;
	static const char *const tall =
		"switches:\n"
		"  - {id: test-4u, cages: 64, cage_speed: 800G, form_factor: osfp,\n"
		"     port_speeds: [800G, 400G], power_w: 1148, rack_units: 4, protocols: [eth],\n"
		"     source: test}\n";
#define HEIGHTS_SPEC(extra)                                                                  \
	"name: heights\n"                                                                   \
	"cluster: {server: dgx-b200, servers: 16, su_size: 8}\n"                             \
	"fabric:\n"                                                                         \
	"  kind: rail-optimized\n"                                                          \
	"  tier_count: 2\n"                                                                 \
	"  tiers:\n"                                                                        \
	"    - {name: leaf, switch: sn5600, link_speed: 400G, oversubscription: 1:1}\n"      \
	"    - {name: spine, switch: test-4u, link_speed: 400G}\n"                           \
	"layout: {power_budget: 60kW, servers_per_rack: 4" extra "}\n"
	static const char *const spec = HEIGHTS_SPEC("");
	tplan t = tplan_make(tall, 1, spec);
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	const lf_layout *ly = pl->layout;
	assert_non_null(ly);
	assert_int_equal(ly->units[0], 10);
	assert_int_equal(ly->units[1], 2);
	assert_int_equal(ly->units[2], 4);
	assert_int_equal(ly->eff.server_units, 10);
	assert_non_null(strstr(ly->notes, "10U servers, switches 2U sn5600 / 4U test-4u"));
	size_t srv = 0, leaf = 0, spine = 0;
	for (size_t i = 0; i < pl->n_nodes; i++) {
		const lf_node *n = &pl->nodes[i];
		int u = ly->node_u[i], h = ly->units[n->tier];
		if (n->kind == LF_NODE_SERVER) {
			assert_int_equal((u - 1) % 10, 0);
			assert_true(u + h - 1 <= 40);   /* 4 servers of 10U */
			srv++;
		} else if (n->tier == 1) {
			assert_int_equal((48 - u + 1) % 2, 0);
			leaf++;
		} else if (n->tier == 2) {
			assert_int_equal((48 - u + 1) % 4, 0);
			spine++;
		}
		assert_true(u >= 1 && u + h - 1 <= 48);
	}
	assert_true(srv == 16 && leaf > 0 && spine > 0);
	/* the layout's switch_units sets every tier */
	tplan t1 = tplan_make(tall, 1, HEIGHTS_SPEC(", switch_units: 1"));
	assert_lf_ok(t1);
	const lf_layout *l1 = t1.plan->layout;
	assert_int_equal(l1->units[1], 1);
	assert_int_equal(l1->units[2], 1);
	assert_non_null(strstr(l1->notes, "10U servers"));
	assert_int_equal(l1->units[0], 10);
	tplan_free(&t1);
	tplan_free(&t);
}

/* NetBox import forms (netbox/dcim/forms/bulk_import.py; the field lists of
 * reference layout-cabling.md §3 for Cable, Interface, Device and Rack; Site,
 * Manufacturer, DeviceRole and DeviceType as read in NetBox's source). */
static const char *const nb_site[] = { "name", "slug", "status", "region", "group", "tenant",
	"facility", "time_zone", "description", "physical_address", "shipping_address",
	"latitude", "longitude", "comments", "tags", NULL };
static const char *const nb_maker[] = { "name", "slug", "description", "tags", NULL };
static const char *const nb_role[] = { "name", "slug", "color", "vm_role", "config_template",
	"description", "tags", NULL };
static const char *const nb_dtype[] = { "manufacturer", "default_platform", "model", "slug",
	"part_number", "u_height", "exclude_from_utilization", "is_full_depth", "subdevice_role",
	"airflow", "description", "weight", "weight_unit", "comments", "tags", NULL };
static const char *const nb_rack[] = { "site", "location", "name", "facility_id", "tenant",
	"status", "role", "form_factor", "serial", "asset_tag", "width", "u_height", "desc_units",
	"outer_width", "outer_height", "outer_depth", "outer_unit", "mounting_depth", "airflow",
	"weight", "max_weight", "weight_unit", "description", "comments", "tags", NULL };
static const char *const nb_device[] = { "name", "role", "tenant", "manufacturer", "device_type",
	"platform", "serial", "asset_tag", "status", "site", "location", "rack", "position", "face",
	"airflow", "tags", NULL };
static const char *const nb_iface[] = { "device", "name", "label", "parent", "bridge", "lag",
	"type", "speed", "duplex", "enabled", "mark_connected", "wwn", "vdcs", "mtu", "mgmt_only",
	"description", "poe_mode", "poe_type", "mode", "vlan_group", "untagged_vlan", "tagged_vlans",
	"qinq_svlan", "vrf", "tx_power", "owner", "tags", NULL };
static const char *const nb_cable[] = { "side_a_site", "side_a_device", "side_a_power_panel",
	"side_a_type", "side_a_name", "side_b_site", "side_b_device", "side_b_power_panel",
	"side_b_type", "side_b_name", "type", "status", "profile", "tenant", "bundle", "label",
	"color", "length", "length_unit", "description", "owner", "comments", "tags", NULL };
static const char *const nb_iface_types[] = { "400gbase-x-osfp", "400gbase-x-osfp-rhs",
	"400gbase-x-qsfp112", "400gbase-x-qsfpdd", "800gbase-x-osfp", "800gbase-x-qsfpdd",
	"1.6tbase-x-osfp1600", "1.6tbase-x-osfp1600-rhs", "1.6tbase-x-qsfpdd1600", NULL };
static const char *const nb_cable_types[] = { "dac-active", "dac-passive", "mmf", "mmf-om1",
	"mmf-om2", "mmf-om3", "mmf-om4", "mmf-om5", "smf", "smf-os1", "smf-os2", "aoc", NULL };
static const char *const nb_cable_status[] = { "connected", "planned", "decommissioning", NULL };
static const char *const nb_units[] = { "km", "m", "cm", "mi", "ft", "in", NULL };

static bool in_list(const char *const *l, const char *s)
{
	for (; *l; l++)
		if (strcmp(*l, s) == 0)
			return true;
	return false;
}

static bool is_slug(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!((*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') || *s == '-' || *s == '_'))
			return false;
	return true;
}

/* Split a CSV line without quotes into fields (in place). */
/* Read `file` of `dir`; check its header against `form`; return the rows
 * (without the header) and the header's fields. */
static size_t check_file(const char *dir, const char *file, const char *const *form,
                         char ***rows_out, char *hdr[32], int *nh)
{
	char path[512];
	snprintf(path, sizeof path, "%s/%s", dir, file);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	char **rows = NULL;
	size_t n = 0, cap = 0;
	char buf[1024];
	bool first = true;
	static char header[1024];
	while (fgets(buf, sizeof buf, f)) {
		buf[strcspn(buf, "\n")] = 0;
		if (first) {
			snprintf(header, sizeof header, "%s", buf);
			*nh = split(header, hdr, 32);
			for (int i = 0; i < *nh; i++)
				if (!in_list(form, hdr[i]))
					fail_msg("%s: column \"%s\" is not a NetBox import field", file, hdr[i]);
			first = false;
			continue;
		}
		if (n == cap) {
			cap = cap ? 2 * cap : 64;
			rows = realloc(rows, cap * sizeof *rows);
		}
		rows[n++] = strdup(buf);
	}
	fclose(f);
	*rows_out = rows;
	return n;
}

static int col(char **hdr, int nh, const char *name)
{
	for (int i = 0; i < nh; i++)
		if (strcmp(hdr[i], name) == 0)
			return i;
	fail_msg("no column %s", name);
	return -1;
}

static void free_rows(char **rows, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(rows[i]);
	free(rows);
}

static void test_netbox(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, spec_layout);
	assert_lf_ok(t);
	const lf_layout *ly = t.plan->layout;
	assert_non_null(ly);
	char dir[] = "/tmp/lf-netbox-XXXXXX";
	assert_non_null(mkdtemp(dir));
	t.st = lf_netbox_write(t.plan, ly, dir, &t.err);
	assert_lf_ok(t);
	static const struct { const char *file; const char *const *form; size_t rows; } files[] = {
		{ "01-sites.csv", nb_site, 1 },
		{ "02-manufacturers.csv", nb_maker, 1 },
		{ "03-device-roles.csv", nb_role, 3 },
		{ "04-device-types.csv", nb_dtype, 2 },
		{ "05-racks.csv", nb_rack, 37 },
		{ "06-devices.csv", nb_device, 128 + 32 + 16 },
		{ "07-interfaces.csv", nb_iface, 128 * 8 + 48 * 64 },
		{ "08-cables.csv", nb_cable, 2048 },
	};
	for (size_t k = 0; k < sizeof files / sizeof files[0]; k++) {
		char **rows, *hdr[32], *f[32];
		int nh;
		size_t n = check_file(dir, files[k].file, files[k].form, &rows, hdr, &nh);
		assert_int_equal(n, files[k].rows);
		for (size_t i = 0; i < n; i++) {
			assert_int_equal(split(rows[i], f, 32), nh);
			for (int c = 0; c < nh; c++)
				if (strcmp(hdr[c], "slug") == 0 && !is_slug(f[c]))
					fail_msg("%s: \"%s\" is not a slug", files[k].file, f[c]);
			if (k == 6)
				assert_true(in_list(nb_iface_types, f[col(hdr, nh, "type")]));
			if (k == 7) {
				assert_true(in_list(nb_cable_types, f[col(hdr, nh, "type")]));
				assert_true(in_list(nb_cable_status, f[col(hdr, nh, "status")]));
				assert_true(in_list(nb_units, f[col(hdr, nh, "length_unit")]));
				assert_string_equal(f[col(hdr, nh, "side_a_type")], "dcim.interface");
				assert_string_equal(f[col(hdr, nh, "type")], "mmf-om4");
			}
		}
		free_rows(rows, n);
		char path[512];
		snprintf(path, sizeof path, "%s/%s", dir, files[k].file);
		remove(path);
	}
	rmdir(dir);
	tplan_free(&t);
}

/* An honest media mix from the geometry: fat-tree DGX H100 SUs of 4 servers
 * with the SU's leaf on top of their rack (network_racks: shared), spines a
 * row away.  Routes (slack 0.3 m per end, bend 0.2 m): a server at U1, U9,
 * U17, U25 (centres 0.1778, 0.5334, 0.889, 1.2446 m) to the leaf at U48
 * (2.1114 m) is 2.7336, 2.378, 2.0224, 1.6668 m.  Each server cage's two
 * links go to one leaf cage, so a twin-port straight cable fits: the top
 * server gets the 2 m DAC, the other three the 5 m ACC (3 m ordered), and
 * the leaf-spine links, 5.6 m and more, optics. */
static void test_media_mix(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1,
		"name: geo\n"
		"cluster: {server: dgx-h100, servers: 8, su_size: 4}\n"
		"fabric:\n"
		"  kind: fat-tree\n"
		"  tiers: [{switch: qm9700}, {switch: qm9700}]\n"
		"optics: {allow: [MCP4Y10-N002, MCA4J80-N005, MMA4Z00-NS, MMA4Z00-NS-FLT]}\n"
		"layout: {power_budget: 45kW, network_racks: shared, spine_row: end, aisle: 3m,\n"
		"         slack: 30cm, bend: 20cm}\n");
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	const lf_layout *ly = pl->layout;
	assert_non_null(ly);
	size_t dac = 0, acc = 0, optics = 0;
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		const lf_media *m = lf_layout_link_media(pl, ly, i);
		double x = ly->routed_m[i];
		assert_true(ly->length_m[i] >= x);
		if (l->level == 1) {
			/* both ends in one rack */
			assert_int_equal(ly->node_rack[l->a], ly->node_rack[l->b]);
			assert_non_null(m->cable);
			uint16_t u = ly->node_u[l->a];
			double expect = u == 1 ? 2.7336 : u == 9 ? 2.378 : u == 17 ? 2.0224 : 1.6668;
			assert_true(fabs(x - expect) < 1e-3);
			if (x <= 2) {
				assert_string_equal(m->cable->id, "MCP4Y10-N002");
				assert_true(fabs(ly->length_m[i] - 2) < 1e-9);
				dac++;
			} else {
				assert_string_equal(m->cable->id, "MCA4J80-N005");
				assert_true(fabs(ly->length_m[i] - 3) < 1e-9);
				acc++;
			}
		} else {
			assert_true(x > 5);
			assert_null(m->cable);
			assert_string_equal(m->lower->id, "MMA4Z00-NS");
			optics++;
		}
	}
	assert_int_equal(dac, 2 * 8);        /* the top server of each of 2 SUs */
	assert_int_equal(acc, 2 * 3 * 8);
	assert_int_equal(optics, 64);
	/* the BOM: one cable per server cage, per orderable length (DAC 2 m,
	 * ACC 3 m), one patch cord per leaf-spine link */
	uint64_t dac_cables = 0, acc_cables = 0, cords = 0;
	for (size_t k = 0; k < pl->bom.n_lines; k++) {
		const lf_bom_line *l = &pl->bom.lines[k];
		if (l->cat == LF_BOM_FIBRE)
			cords += l->count;
		if (l->cat != LF_BOM_CABLE)
			continue;
		if (!strcmp(l->sku, "MCP4Y10-N002")) {
			assert_true(fabs(l->length_m - 2) < 1e-9);
			dac_cables += l->count;
		} else {
			assert_string_equal(l->sku, "MCA4J80-N005");
			assert_true(fabs(l->length_m - 3) < 1e-9);
			acc_cables += l->count;
		}
	}
	assert_int_equal(dac_cables, 2 * 4);
	assert_int_equal(acc_cables, 2 * 3 * 4);
	assert_int_equal(cords, 64);
	assert_int_equal(pl->bom.cables, 2 * 4 + 2 * 3 * 4 + 64);
	tplan_free(&t);
}

/* Cables of the schedule per (part, length) -- distinct physical `cable`
 * ids, a twin-port DAC's two rows being one cable -- into parts[]/lens[]/
 * counts[] (rows[]: rows per key); returns how many keys. */
#define MAXKEY 64
static size_t schedule_cables(char *csv, char parts[][64], double *lens, uint64_t *counts,
                              uint64_t *rows)
{
	size_t nk = 0, nid = 0, cap = 1024;
	char **ids = malloc(cap * sizeof *ids);   /* "key cable-id" */
	char *save = NULL;
	char *line = strtok_r(csv, "\n", &save);   /* header */
	assert_non_null(line);
	assert_non_null(strstr(line, ",part,"));
	while ((line = strtok_r(NULL, "\n", &save))) {
		char *f[32];
		assert_int_equal(split(line, f, 32), 27);
		double len = atof(f[25]);
		size_t k = 0;
		while (k < nk && !(strcmp(parts[k], f[19]) == 0 && fabs(lens[k] - len) < 1e-6))
			k++;
		if (k == nk) {
			assert_true(nk < MAXKEY);
			snprintf(parts[nk], 64, "%s", f[19]);
			lens[nk] = len;
			rows[nk] = 0;
			counts[nk++] = 0;
		}
		rows[k]++;
		if (nid == cap)
			ids = realloc(ids, (cap *= 2) * sizeof *ids);
		ids[nid] = malloc(32);
		snprintf(ids[nid++], 32, "%03zu %s", k, f[0]);
	}
	qsort(ids, nid, sizeof *ids, cmp_str);
	for (size_t i = 0; i < nid; i++) {
		if (!i || strcmp(ids[i - 1], ids[i]) != 0)
			counts[atoi(ids[i])]++;
	}
	for (size_t i = 0; i < nid; i++)
		free(ids[i]);
	free(ids);
	return nk;
}

/* The BOM's cable and patch-cord lines equal the cabling schedule's cables
 * per part and orderable length: the whole plan, and each stage's increment
 * against the rows that stage adds (--cabling-stage).  A twin-port DAC
 * priced per length from the catalog's price_by_length. */
static void test_bom_equals_schedule(void **state)
{
	(void)state;
	tplan t = tplan_make(
		"cables:\n"
		"  - id: TEST-DAC-2X400\n"
		"    kind: dac\n"
		"    form_factor: osfp\n"
		"    link_speed: 400G\n"
		"    links: 2\n"
		"    lanes: 8\n"
		"    lane_speed: 100G\n"
		"    reach: 2m\n"
		"    laser: none\n"
		"    power_w: 0.1\n"
		"    price_usd: 250\n"
		"    price_by_length: {1m: 180, 1.5m: 200, 2m: 215}\n"
		"    protocols: [ib, eth]\n"
		"    source: \"test: a copy of MCP4Y10-N002 with prices per length\"\n",
		1,
		"name: geo\n"
		"cluster: {server: dgx-h100, servers: 16, su_size: 4}\n"
		"fabric:\n"
		"  kind: fat-tree\n"
		"  tiers: [{switch: qm9700}, {switch: qm9700}]\n"
		"optics: {allow: [TEST-DAC-2X400, MCA4J80-N005, MMA4Z00-NS, MMA4Z00-NS-FLT]}\n"
		"stages:\n"
		"  - {name: s1, need_by: 2026-03, servers: 8}\n"
		"  - {name: s2, need_by: 2026-06, servers: 16}\n"
		"layout: {power_budget: 45kW, network_racks: shared, spine_row: end, aisle: 3m,\n"
		"         slack: 30cm, bend: 20cm}\n");
	assert_lf_ok(t);
	const lf_plan *pl = t.plan;
	assert_non_null(pl->layout);
	assert_int_equal(pl->n_stages, 2);
	uint64_t dac = 0;
	for (int k = -1; k < 2; k++) {
		const lf_bom *bom = k < 0 ? &pl->bom : &pl->stages[k].delta;
		membuf m = { 0 };
		t.st = lf_cabling_write(pl, pl->layout, &(lf_cabling_opts){ LF_CABLING_CSV, k, 0 },
		                        mem_sink, &m, &t.err);
		assert_lf_ok(t);
		char parts[MAXKEY][64];
		double lens[MAXKEY];
		uint64_t counts[MAXKEY], rows[MAXKEY], total = 0;
		size_t nk = schedule_cables(m.data, parts, lens, counts, rows);
		size_t lines = 0;
		for (size_t i = 0; i < bom->n_lines; i++) {
			const lf_bom_line *l = &bom->lines[i];
			if (l->cat != LF_BOM_CABLE && l->cat != LF_BOM_FIBRE)
				continue;
			lines++;
			size_t j = 0;
			while (j < nk && !(strcmp(parts[j], l->sku) == 0 &&
			                   fabs(lens[j] - l->length_m) < 1e-6))
				j++;
			assert_true(j < nk);
			assert_int_equal(counts[j], l->count);
			total += l->count;
			if (!strcmp(l->sku, "TEST-DAC-2X400")) {
				/* the 2 m price of price_by_length, not price_usd */
				assert_true(fabs(l->length_m - 2) < 1e-9);
				assert_true(fabs(l->unit_price_usd - 215) < 1e-9);
				assert_int_equal(rows[j], 2 * l->count);   /* both links of a cage */
				if (k < 0)
					dac = l->count;
			}
		}
		assert_int_equal(lines, nk);
		assert_int_equal(total, bom->cables);
		free(m.data);
	}
	/* the top server of each of 4 SUs: one twin DAC per server cage */
	assert_int_equal(dac, 4 * 4);
	/* the increments add up to the whole */
	assert_int_equal(pl->stages[0].delta.cables + pl->stages[1].delta.cables, pl->bom.cables);
	assert_true(pl->stages[0].delta.cables > 0 && pl->stages[1].delta.cables > 0);
	tplan_free(&t);
}

/* The report's floor section: one rack rectangle per rack (37), coloured
 * by role, none over the 41 kW budget, a length histogram per level. */
static void test_report_floor(void **state)
{
	(void)state;
	tplan t = tplan_make(NULL, 1, spec_layout);
	assert_lf_ok(t);
	lf_report_input in = { .plan = t.plan, .fragment = 1, .no_topology = 1 };
	char *html = NULL;
	t.st = lf_report_render(&in, &html, &t.err);
	assert_lf_ok(t);
	assert_non_null(strstr(html, "<section id=\"floor\">"));
	size_t racks = 0, compute = 0, network = 0, spine = 0;
	for (const char *p = html; (p = strstr(p, "<rect class=\"rack ")); p++) {
		racks++;
		p += strlen("<rect class=\"rack ");
		compute += strncmp(p, "compute", 7) == 0;
		network += strncmp(p, "network", 7) == 0;
		spine += strncmp(p, "spine", 5) == 0;
	}
	assert_int_equal(racks, 37);
	assert_int_equal(compute, 32);
	assert_int_equal(network, 4);
	assert_int_equal(spine, 1);
	assert_null(strstr(html, "rack compute over"));
	assert_non_null(strstr(html, "the 24 highest of 37 racks; 0 over the budget"));
	assert_non_null(strstr(html, "server-leaf cables per orderable length"));
	assert_non_null(strstr(html, "leaf-spine cables per orderable length"));
	free(html);
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_h100_4su),
		cmocka_unit_test(test_power_warn),
		cmocka_unit_test(test_default_layout),
		cmocka_unit_test(test_device_heights),
		cmocka_unit_test(test_netbox),
		cmocka_unit_test(test_media_mix),
		cmocka_unit_test(test_bom_equals_schedule),
		cmocka_unit_test(test_report_floor),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
