/* test_catalog.c — the bundled hardware catalog (every YAML file of data/catalog): it
 * loads, its key figures match their cited sources, every entry is sourced,
 * every transceiver connector has a patch cord, and the parts the planner
 * pairs (twin-port switch module <-> single-port NIC module, EML <-> SiPh
 * substitutes) really pair. */
#include "testutil.h"

#include <strings.h>

static lf_catalog *load_bundled(void)
{
	lf_catalog *cat = NULL;
	lf_error err;
	memset(&err, 0, sizeof err);
	lf_status st = lf_catalog_new(&cat, &err);
	if (st == LF_OK)
		st = lf_catalog_load_path(cat, LF_DATADIR, &err);
	if (st == LF_OK)
		st = lf_catalog_finish(cat, &err);
	if (st != LF_OK) {
		char b[2048];
		lf_catalog_free(cat);
		fail_msg("bundled catalog: %s", lf_error_format(&err, b, sizeof b));
	}
	return cat;
}

static int has_speed(const lf_switch *sw, int gbps)
{
	for (int i = 0; i < sw->n_port_speeds; i++)
		if (sw->port_speeds[i] == gbps)
			return 1;
	return 0;
}

/* "[P]", "[S]" or "[U]" somewhere in a non-empty citation */
static int tagged(const char *s)
{
	return s && *s && (strstr(s, "[P]") || strstr(s, "[S]") || strstr(s, "[U]"));
}

static const lf_optic *optic(const lf_catalog *cat, const char *id)
{
	const lf_optic *o = lf_catalog_optic(cat, id);
	if (!o)
		fail_msg("catalog has no optic \"%s\"", id);
	return o;
}

static void test_switch_figures(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();

	/* QM9700: 32 twin-port OSFP cages of 800G = 64 x 400G NDR [P] */
	const lf_switch *qm = lf_catalog_switch(cat, "qm9700");
	assert_non_null(qm);
	assert_int_equal(qm->cages, 32);
	assert_int_equal(qm->cage_gbps, 800);
	assert_string_equal(qm->form_factor, "osfp");
	assert_true(has_speed(qm, 400));
	assert_int_equal(qm->cages * (qm->cage_gbps / 400), 64);
	/* 747 W typ with passive cables; 1,720 W max with 32 Class 8 (17 W)
	 * modules [P], of which the catalog keeps the switch's own share:
	 * the planner adds module power itself */
	assert_true(qm->power_typ_w == 747 && qm->power_max_w == 1720 - 32 * 17);
	assert_non_null(strstr(qm->source, "QM97X0PUB"));

	/* Q3400: 144 x 800G XDR ports in 72 1.6T twin-port cages */
	const lf_switch *q = lf_catalog_switch(cat, "q3400");
	assert_non_null(q);
	assert_int_equal(q->cages, 72);
	assert_int_equal(q->cage_gbps, 1600);
	assert_true(has_speed(q, 800));
	assert_int_equal(q->cages * (q->cage_gbps / 800), 144);

	/* SN5600: 64 OSFP x 800G, split to 400G/200G/100G [P] */
	const lf_switch *sn = lf_catalog_switch(cat, "sn5600");
	assert_non_null(sn);
	assert_int_equal(sn->cages, 64);
	assert_int_equal(sn->cage_gbps, 800);
	assert_true(has_speed(sn, 800) && has_speed(sn, 400) && has_speed(sn, 200) &&
	            has_speed(sn, 100));
	assert_non_null(strstr(sn->source, "sn5000"));

	/* TH5 class in OSFP and QSFP-DD800 (51.2T), TH6 class 64 x 1.6T (102.4T) */
	const lf_switch *t5o = lf_catalog_switch(cat, "generic-th5-osfp");
	const lf_switch *t5q = lf_catalog_switch(cat, "generic-th5-qsfpdd");
	const lf_switch *t6 = lf_catalog_switch(cat, "generic-th6-osfp");
	assert_non_null(t5o);
	assert_non_null(t5q);
	assert_non_null(t6);
	assert_int_equal(t5o->cages * t5o->cage_gbps, 51200);
	assert_int_equal(t5q->cages * t5q->cage_gbps, 51200);
	assert_string_equal(t5q->form_factor, "qsfp-dd");
	assert_int_equal(t6->cages, 64);
	assert_int_equal(t6->cages * t6->cage_gbps, 102400);
	assert_true(has_speed(t6, 1600) && has_speed(t6, 800) && has_speed(t6, 400));

	/* every switch: power, price, lead time, FIT present */
	for (size_t i = 0; i < lf_catalog_n_switches(cat); i++) {
		const lf_switch *s = lf_catalog_switch_at(cat, i);
		if (!(s->power_typ_w > 0 && s->power_max_w >= s->power_typ_w && s->price_usd > 0 &&
		      s->fit > 0 && s->lead_time_weeks > 0))
			fail_msg("switch %s lacks power / price / FIT / lead time", s->id);
	}
	lf_catalog_free(cat);
}

static void test_server_figures(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();

	const lf_server *h = lf_catalog_server(cat, "dgx-h100");
	assert_non_null(h);
	assert_int_equal(h->gpus, 8);
	assert_int_equal(h->nic_ports, 8);
	assert_int_equal(h->port_gbps, 400);
	assert_int_equal(h->cages, 4);
	assert_int_equal(h->cage_gbps, 800);
	assert_string_equal(h->nic->id, "connectx-7");

	/* DGX B200: 4 OSFP ports for 8 single-port ConnectX-7 at 400G; 14.3 kW max [P] */
	const lf_server *b2 = lf_catalog_server(cat, "dgx-b200");
	assert_non_null(b2);
	assert_int_equal(b2->nic_ports, 8);
	assert_int_equal(b2->cages, 4);
	assert_true(b2->power_w == 14300);
	assert_non_null(strstr(b2->source, "dgxb200-user-guide"));

	/* B300: 8 x ConnectX-8 at 800G */
	const lf_server *b3 = lf_catalog_server(cat, "dgx-b300");
	assert_non_null(b3);
	assert_int_equal(b3->nic_ports, 8);
	assert_int_equal(b3->port_gbps, 800);
	assert_string_equal(b3->nic->id, "connectx-8");
	assert_int_equal(b3->nic->max_gbps, 800);

	/* GB200 NVL72 compute tray: 4 GPUs, NVLink domain of 72 */
	const lf_server *gb = lf_catalog_server(cat, "gb200-nvl72-tray");
	assert_non_null(gb);
	assert_int_equal(gb->gpus, 4);
	assert_int_equal(gb->nvlink_domain_gpus, 72);
	assert_int_equal(gb->nic_ports, 4);
	lf_catalog_free(cat);
}

static void test_optic_figures(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();

	/* NVIDIA 800G twin-port 2xSR4: 15 W typ, 17 W max [P] */
	const lf_optic *sr = optic(cat, "MMA4Z00-NS");
	assert_true(sr->power_typ_w == 15 && sr->power_max_w == 17);
	assert_int_equal(sr->link_gbps, 400);
	assert_int_equal(sr->links, 2);
	assert_int_equal(sr->lanes, 8);
	assert_int_equal(sr->fits, LF_FITS_SWITCH);
	assert_non_null(strstr(sr->source, "800GMMA4Z00NS"));
	assert_int_equal(optic(cat, "MMA4Z00-NS-FLT")->fits, LF_FITS_SERVER);

	/* MMS4X00-NM 2xDR4 500 m: 17 W in all configurations [P] */
	const lf_optic *nm = optic(cat, "MMS4X00-NM");
	assert_true(nm->power_typ_w == 17 && nm->power_max_w == 17);
	assert_true(nm->reach_m == 500);
	assert_string_equal(nm->standard, "400GBASE-DR4");
	assert_int_equal(nm->medium, LF_MEDIUM_SMF);
	assert_non_null(strstr(nm->source, "mms4x00nm800g500m"));
	assert_non_null(strstr(nm->source, "[P]"));

	/* 400G single-port NIC modules: 8 / 9 W (SR4) and 9 / 9 W (DR4) [P] */
	const lf_optic *ns400 = optic(cat, "MMA4Z00-NS400");
	assert_true(ns400->power_typ_w == 8 && ns400->power_max_w == 9);
	assert_int_equal(ns400->links, 1);
	const lf_optic *q112 = optic(cat, "MMA1Z00-NS400");
	assert_string_equal(q112->form_factor, "qsfp112");
	const lf_optic *dr400 = optic(cat, "MMS4X00-NS400");
	assert_true(dr400->power_typ_w == 9 && dr400->reach_m == 100);

	/* copper splitter: one 800G twin-port end, two 400G OSFP legs [P] */
	const lf_optic *sp = optic(cat, "MCP7Y00-N003");
	assert_int_equal(sp->kind, LF_OPTIC_DAC);
	assert_int_equal(sp->links, 2);
	assert_int_equal(sp->legs, 2);
	assert_true(sp->reach_m == 3);
	assert_int_equal(sp->medium, LF_MEDIUM_COPPER);

	/* LACC splitter: 1.5 W at the 800G end + 2 x 0.6 W [P] */
	const lf_optic *acc = optic(cat, "MCA7J60-N005");
	assert_int_equal(acc->kind, LF_OPTIC_ACC);
	assert_true(acc->power_typ_w > 2.69 && acc->power_typ_w < 2.71);
	lf_catalog_free(cat);
}

/* The planner pairs ends by standard + medium + connector. */
static void assert_pairs(const lf_catalog *cat, const char *a, const char *b)
{
	const lf_optic *x = optic(cat, a), *y = optic(cat, b);
	if (strcasecmp(x->standard, y->standard) != 0 || x->medium != y->medium ||
	    strcasecmp(x->connector, y->connector) != 0 || x->link_gbps != y->link_gbps)
		fail_msg("%s and %s do not pair (%s/%s vs %s/%s)", a, b, x->standard, x->connector,
		         y->standard, y->connector);
}

static void test_pairs_and_substitutes(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();
	/* twin-port switch module <-> single-port NIC module */
	assert_pairs(cat, "MMS4X00-NM", "MMS4X00-NS400");
	assert_pairs(cat, "MMA4Z00-NS", "MMA4Z00-NS400");
	assert_pairs(cat, "MMA4Z00-NS", "MMA1Z00-NS400");
	assert_pairs(cat, "MMS4A00-XM", "MMS4A20");
	assert_int_equal(optic(cat, "MMS4A00-XM")->links, 2);
	assert_int_equal(optic(cat, "MMS4A00-XM")->link_gbps, 800);
	assert_int_equal(optic(cat, "MMS4A20")->links, 1);
	assert_int_equal(optic(cat, "MMS4A20")->fits, LF_FITS_SERVER);
	/* QSFP-DD800 and OSFP twin-port DR4 interoperate per link */
	assert_pairs(cat, "GEN-QDD-800G-2DR4-SIPH", "MMS4X00-NM");
	assert_pairs(cat, "MMS4X50-NM", "GEN-QDD-800G-2FR4");

	/* EML and SiPh variants of the same DR-class part: same shape, other laser */
	static const char *const subs[][2] = {
		{ "GEN-OSFP-800G-2DR4-EML", "GEN-OSFP-800G-2DR4-SIPH" },
		{ "GEN-OSFP-800G-2DR4-EML-RHS", "GEN-OSFP-800G-2DR4-SIPH-RHS" },
		{ "GEN-OSFP-800G-DR8-EML", "GEN-OSFP-800G-DR8-SIPH" },
		{ "GEN-QDD-800G-2DR4-EML", "GEN-QDD-800G-2DR4-SIPH" },
		{ "GEN-OSFP-1.6T-2DR4-EML", "GEN-OSFP-1.6T-2DR4-SIPH" },
		{ "GEN-OSFP-1.6T-DR8-EML", "GEN-OSFP-1.6T-DR8-SIPH" },
		{ "GEN-OSFP-800G-DR4-RHS-EML", "GEN-OSFP-800G-DR4-RHS-SIPH" },
		{ "GEN-OSFP-400G-DR4-RHS-EML", "GEN-OSFP-400G-DR4-RHS-SIPH" },
	};
	for (size_t i = 0; i < sizeof subs / sizeof subs[0]; i++) {
		const lf_optic *e = optic(cat, subs[i][0]), *s = optic(cat, subs[i][1]);
		assert_pairs(cat, subs[i][0], subs[i][1]);
		if (e->laser != LF_LASER_EML || s->laser != LF_LASER_SIPH_CW)
			fail_msg("%s / %s: expected EML / SiPh+CW", e->id, s->id);
		if (strcmp(e->form_factor, s->form_factor) != 0 || e->links != s->links ||
		    e->fits != s->fits || e->reach_m != s->reach_m)
			fail_msg("%s / %s are not drop-in substitutes", e->id, s->id);
		if (!(s->lasers < e->lasers))
			fail_msg("%s: a SiPh part should need fewer lasers than %s", s->id, e->id);
	}
	lf_catalog_free(cat);
}

static void test_every_connector_has_fibre(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();
	size_t nx = 0;
	for (size_t i = 0; i < lf_catalog_n_optics(cat); i++) {
		const lf_optic *o = lf_catalog_optic_at(cat, i);
		if (o->kind != LF_OPTIC_TRANSCEIVER)
			continue;
		nx++;
		int found = 0;
		for (size_t k = 0; k < lf_catalog_n_fibres(cat) && !found; k++) {
			const lf_fibre *f = lf_catalog_fibre_at(cat, k);
			found = f->medium == o->medium && strcasecmp(f->connector, o->connector) == 0;
		}
		if (!found)
			fail_msg("transceiver %s: no fibre for %s %s", o->id,
			         o->medium == LF_MEDIUM_MMF ? "mmf" : "smf", o->connector);
	}
	assert_true(nx >= 40);
	lf_catalog_free(cat);
}

static void test_every_entry_sourced(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();
	for (size_t i = 0; i < lf_catalog_n_optics(cat); i++) {
		const lf_optic *o = lf_catalog_optic_at(cat, i);
		if (!tagged(o->source))
			fail_msg("optic %s: source lacks a [P]/[S]/[U] tag", o->id);
		/* figures the planner, reliability and supply models use */
		if (!(o->power_max_w >= o->power_typ_w && o->power_typ_w > 0 && o->fit > 0 &&
		      o->price_usd > 0 && o->lead_time_weeks > 0 &&
		      (o->reach_m > 0 || o->kind == LF_OPTIC_ELS)))
			fail_msg("optic %s lacks power / FIT / price / lead time / reach", o->id);
		if (o->kind == LF_OPTIC_TRANSCEIVER) {
			if (o->laser == LF_LASER_NONE || o->lasers <= 0 || o->fibres_per_link <= 0)
				fail_msg("transceiver %s lacks laser type / count / fibres", o->id);
		} else if (o->kind == LF_OPTIC_AOC || o->kind == LF_OPTIC_ELS) {
			if (o->laser == LF_LASER_NONE || o->lasers <= 0)
				fail_msg("AOC / laser source %s lacks laser type / count", o->id);
		} else if (o->laser != LF_LASER_NONE) {
			fail_msg("copper cable %s has a laser", o->id);
		}
	}
	for (size_t i = 0; i < lf_catalog_n_fibres(cat); i++) {
		const lf_fibre *f = lf_catalog_fibre_at(cat, i);
		if (!tagged(f->source) || !(f->price_usd > 0))
			fail_msg("fibre %s: untagged source or no price", f->id);
	}
	for (size_t i = 0; i < lf_catalog_n_switches(cat); i++) {
		const lf_switch *s = lf_catalog_switch_at(cat, i);
		if (!tagged(s->source))
			fail_msg("switch %s: source lacks a [P]/[S]/[U] tag", s->id);
	}
	for (size_t i = 0; i < lf_catalog_n_servers(cat); i++) {
		const lf_server *s = lf_catalog_server_at(cat, i);
		if (!tagged(s->source) || !tagged(s->nic->source))
			fail_msg("server %s (nic %s): source lacks a [P]/[S]/[U] tag", s->id,
			         s->nic->id);
	}
	lf_catalog_free(cat);
}

/* A file is loaded once by its real path: the spec's catalog: and --catalog
 * may name the same file (issue 15: that was a "duplicate id"). */
static void test_load_once(void **state)
{
	(void)state;
	lf_catalog *cat = NULL;
	lf_error err;
	assert_int_equal(lf_catalog_new(&cat, &err), LF_OK);
	assert_int_equal(lf_catalog_load_path(cat, LF_DATADIR, &err), LF_OK);
	size_t n = lf_catalog_n_optics(cat);
	assert_int_equal(lf_catalog_load_path(cat, LF_DATADIR "/../catalog/optics-100g-lane.yaml",
	                                      &err), LF_OK);
	assert_int_equal(lf_catalog_load_path(cat, LF_DATADIR, &err), LF_OK);
	assert_int_equal(lf_catalog_n_optics(cat), n);
	/* the same ids from another file are still duplicates */
	assert_int_equal(lf_catalog_load_buffer(cat, "other.yaml",
	                                        "switches:\n  - {id: qm9700, cages: 1, cage_speed: 800G,"
	                                        " form_factor: osfp, port_speeds: [400G], source: t}\n",
	                                        strlen("switches:\n  - {id: qm9700, cages: 1, cage_speed:"
	                                               " 800G, form_factor: osfp, port_speeds: [400G],"
	                                               " source: t}\n"), &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "duplicate id \"qm9700\""));
	lf_catalog_free(cat);
}

/* A transceiver whose connector has no fibre entry: the plan says so in its
 * notes instead of counting patch cords at $0 silently. */
static void test_missing_fibre_noted(void **state)
{
	(void)state;
	static const char *const cat =
		"transceivers:\n"
		"  - {id: TEST-2X400-MPO24, form_factor: osfp, standard: TEST-SR4, link_speed: 400G,\n"
		"     links: 2, lanes: 8, lane_speed: 100G, medium: mmf, connector: MPO-24,\n"
		"     fibres_per_link: 8, reach: 100m, laser: vcsel, protocols: [ib], source: t}\n";
	tplan t = tplan_make(cat, 1,
	                     "cluster: {server: dgx-h100, servers: 32, su_size: 32}\n"
	                     "fabric: {tiers: [{switch: qm9700, distance: 30m},"
	                     " {switch: qm9700, distance: 50m}]}\n"
	                     "optics: {allow: [TEST-2X400-MPO24]}\n");
	assert_lf_ok(t);
	assert_null(t.plan->media[1].fibre);
	assert_non_null(strstr(t.plan->notes, "server-leaf links: no catalog fibre has connector "
	                                      "\"MPO-24\" (mmf) of \"TEST-2X400-MPO24\""));
	tplan_free(&t);
}

/* The laser-count rule over the whole bundled catalog: EML, DML and VCSEL
 * parts have one laser per lane (an AOC: per lane at each end, so twice);
 * a SiPh part states how many lanes one CW laser feeds, and its count is
 * lanes / lanes_per_laser rounded up; parts without lasers have none.
 * (Issue 15: GEN-OSFP-800G-DR4-RHS-SIPH said 1 where its own note gave 2.) */
static void test_laser_rule(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();
	size_t siph = 0, direct = 0;
	for (size_t i = 0; i < lf_catalog_n_optics(cat); i++) {
		const lf_optic *o = lf_catalog_optic_at(cat, i);
		int want;
		if (o->kind == LF_OPTIC_ELS)
			continue;   /* laser sources: the co-packaged rule below */
		switch (o->laser) {
		case LF_LASER_NONE:
			want = 0;
			break;
		case LF_LASER_SIPH_CW:
			if (o->lanes_per_laser <= 0)
				fail_msg("%s: a siph-cw part must state lanes_per_laser", o->id);
			want = (o->lanes + o->lanes_per_laser - 1) / o->lanes_per_laser;
			siph++;
			break;
		default:
			if (o->lanes_per_laser)
				fail_msg("%s: lanes_per_laser on a one-laser-per-lane part", o->id);
			want = o->lanes * (o->kind == LF_OPTIC_TRANSCEIVER ? 1 : 2);
			direct++;
		}
		if (o->lasers != want)
			fail_msg("%s (%s, %d lanes): %d lasers, the rule gives %d", o->id,
			         (const char *[]){ "none", "vcsel", "eml", "siph-cw", "dml" }[o->laser], o->lanes, o->lasers, want);
	}
	assert_true(siph >= 10 && direct >= 30);
	assert_int_equal(optic(cat, "GEN-OSFP-800G-DR4-RHS-SIPH")->lasers, 2);
	assert_int_equal(optic(cat, "GEN-OSFP-400G-DR4-RHS-SIPH")->lasers, 1);
	assert_int_equal(optic(cat, "GEN-OSFP-1.6T-2DR4-SIPH")->lasers, 4);
	assert_int_equal(optic(cat, "MMS4X00-NM")->lasers, 8);
	/* co-packaged switches: one CW laser per 800G port (NVIDIA: 2 instead
	 * of 8 per 1.6T port, [S] hardwareluxx, switches.yaml), all of them in
	 * the switch's external laser sources: laser_sources x lasers = ports */
	size_t cpo = 0;
	for (size_t i = 0; i < lf_catalog_n_switches(cat); i++) {
		const lf_switch *s = lf_catalog_switch_at(cat, i);
		if (!s->cpo_port)
			continue;
		cpo++;
		assert_non_null(s->els);
		assert_int_equal(s->els->laser, LF_LASER_SIPH_CW);
		assert_int_equal(s->cpo_port->lasers, 0);
		if ((int64_t)s->els_per_switch * s->els->lasers != (int64_t)s->cages * s->cage_gbps / 800)
			fail_msg("%s: %d laser sources x %d lasers for %d x %dG ports", s->id,
			         s->els_per_switch, s->els->lasers, s->cages, s->cage_gbps);
	}
	assert_int_equal(cpo, 3);
	/* Q3450-LD: 18 light source modules for 144 x 800G ([S] Lambda/NVIDIA) */
	const lf_switch *q = lf_catalog_switch(cat, "q3450-ld");
	assert_non_null(q);
	assert_int_equal(q->els_per_switch, 18);
	assert_int_equal(q->cages, 144);
	assert_int_equal(q->els_per_switch * q->els->lasers, 144);
	lf_catalog_free(cat);
}

/* Form-factor tokens are lower case and from the known set. */
static void test_form_factor_tokens(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();
	static const char *const ok[] = { "osfp", "qsfp-dd", "qsfp112" };
	const char *seen[512];
	size_t n = 0;
	for (size_t i = 0; i < lf_catalog_n_optics(cat) && n + 2 < 512; i++) {
		if (lf_catalog_optic_at(cat, i)->kind == LF_OPTIC_ELS)
			continue;   /* a laser source plugs into no cage */
		seen[n++] = lf_catalog_optic_at(cat, i)->form_factor;
		seen[n++] = lf_catalog_optic_at(cat, i)->form_factor_b
		                    ? lf_catalog_optic_at(cat, i)->form_factor_b
		                    : "osfp";
	}
	for (size_t i = 0; i < lf_catalog_n_switches(cat) && n < 512; i++)
		if (!lf_catalog_switch_at(cat, i)->cpo_port)   /* co-packaged: "cpo", no cages */
			seen[n++] = lf_catalog_switch_at(cat, i)->form_factor;
	for (size_t i = 0; i < lf_catalog_n_servers(cat) && n < 512; i++)
		seen[n++] = lf_catalog_server_at(cat, i)->form_factor;
	for (size_t i = 0; i < n; i++) {
		int good = 0;
		for (size_t k = 0; k < 3; k++)
			good |= strcmp(seen[i], ok[k]) == 0;
		if (!good)
			fail_msg("form factor \"%s\" is not one of osfp, qsfp-dd, qsfp112", seen[i]);
	}
	lf_catalog_free(cat);
}

/* The bundled parts plan real fabrics end to end. */
static void test_plans_with_bundled_parts(void **state)
{
	(void)state;
	/* B300 on Quantum-X800 at 800G: 1.6T twin-port at the switch, 800G
	 * single-port DR4 on ConnectX-8 */
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-b300, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: q3400, link_speed: 800G,"
	                     " distance: 50m}, {switch: q3400, distance: 300m}]}\n"
	                     "optics: {allow: [MMS4A00-XM, MMS4A20]}\n");
	assert_lf_ok(t);
	assert_int_equal(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "MMS4A20", LF_END_SERVER), 512);
	assert_true(bom_count(&t.plan->bom, LF_BOM_TRANSCEIVER, "MMS4A00-XM", LF_END_SWITCH) > 0);
	tplan_free(&t);

	/* GB200 trays on SN5600 in-rack: the 800G -> 2 x 400G splitter DAC */
	t = tplan_make(NULL, 1,
	               "cluster: {server: gb200-nvl72-tray, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: sn5600, link_speed: 400G,"
	               " reach: copper}, {switch: sn5600, distance: 50m}]}\n"
	               "optics: {prefer_copper: true}\n");
	assert_lf_ok(t);
	assert_non_null(t.plan->media[1].cable);
	assert_int_equal(t.plan->media[1].cable->legs, 2);
	tplan_free(&t);

	/* HGX with QSFP112 NICs on a QSFP-DD800 TH5 box over 300 m: DR4 both ends */
	t = tplan_make(NULL, 1,
	               "cluster: {server: hgx-b200-qsfp112, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: generic-th5-qsfpdd, link_speed: 400G,"
	               " distance: 300m}, {switch: generic-th5-qsfpdd, link_speed: 800G,"
	               " distance: 2km}]}\n");
	assert_lf_ok(t);
	assert_string_equal(t.plan->media[1].lower->standard, "400GBASE-DR4");
	assert_string_equal(t.plan->media[1].lower->form_factor, "qsfp112");
	assert_string_equal(t.plan->media[2].lower->standard, "800GBASE-DR8-2");
	assert_non_null(t.plan->media[1].fibre);
	assert_non_null(t.plan->media[2].fibre);
	tplan_free(&t);
}

/* A part's protocols as a mask (0 = not stated = both). */
static unsigned proto_of(const lf_optic *o)
{
	return o && o->protocols ? o->protocols : LF_PROTO_ANY;
}

/* Every part chosen for every level of the plan runs `proto`. */
static void assert_media_run(const lf_plan *pl, unsigned proto)
{
	for (int l = 1; l <= pl->tiers; l++) {
		const lf_media *m = &pl->media[l];
		if (m->cable) {
			assert_true(proto_of(m->cable) & proto);
		} else {
			assert_true(proto_of(m->lower) & proto);
			assert_true(proto_of(m->upper) & proto);
		}
	}
}

/* InfiniBand and Ethernet parts stay on their own switches and NICs. */
static void test_protocols(void **state)
{
	(void)state;
	lf_catalog *cat = load_bundled();
	assert_int_equal(lf_catalog_switch(cat, "qm9700")->protocols, LF_PROTO_IB);
	assert_int_equal(lf_catalog_switch(cat, "q3400")->protocols, LF_PROTO_IB);
	assert_int_equal(lf_catalog_switch(cat, "sn5600")->protocols, LF_PROTO_ETH);
	assert_int_equal(lf_catalog_switch(cat, "generic-th6-osfp")->protocols, LF_PROTO_ETH);
	assert_int_equal(lf_catalog_server(cat, "dgx-b200")->nic->protocols, LF_PROTO_ANY);
	/* ConnectX-8: IB at 1 x 800G, Ethernet at 2 x 400G (modes per speed) */
	const lf_nic *cx8 = lf_catalog_server(cat, "dgx-b300")->nic;
	assert_int_equal(cx8->protocols, LF_PROTO_ANY);
	assert_int_equal(cx8->n_modes, 3);
	assert_int_equal(cx8->modes[0].gbps, 800);
	assert_int_equal(cx8->modes[0].protocols, LF_PROTO_IB);
	assert_int_equal(cx8->modes[1].gbps, 400);
	assert_int_equal(cx8->modes[1].ports, 2);
	assert_int_equal(cx8->modes[1].protocols, LF_PROTO_ETH);
	assert_int_equal(lf_catalog_optic(cat, "MMS4A00-XM")->protocols, LF_PROTO_IB);
	assert_int_equal(lf_catalog_optic(cat, "MMS4B10-XM")->protocols, LF_PROTO_ETH);
	assert_int_equal(lf_catalog_optic(cat, "MMS4X00-NS")->protocols, LF_PROTO_ANY);
	assert_int_equal(lf_catalog_optic(cat, "GEN-OSFP-800G-2DR4-EML")->protocols, 0);   /* not stated */
	assert_int_equal(lf_catalog_optic(cat, "GEN-OSFP-800G-2DR4-LPO")->drive, LF_DRIVE_LPO);
	assert_int_equal(lf_catalog_optic(cat, "MMS4B10-XM")->drive, LF_DRIVE_LRO);
	assert_int_equal(lf_catalog_switch(cat, "sn5600")->linear_drive, 0);
	assert_int_equal(lf_catalog_switch(cat, "generic-th5-osfp")->linear_drive,
	                 LF_DRIVE_BIT(LF_DRIVE_LPO) | LF_DRIVE_BIT(LF_DRIVE_LRO));
	lf_catalog_free(cat);

	/* Ethernet: DGX B200 on SN5600, every distance: nothing IB-only */
	static const char *const dists[] = { "2m", "30m", "300m", "2km" };
	static const char *const leaf_dists[] = { "2m", "30m", "100m", "300m" };
	for (size_t i = 0; i < sizeof dists / sizeof dists[0]; i++) {
		char spec[512];
		snprintf(spec, sizeof spec,
		         "cluster: {server: dgx-b200, servers: 64, su_size: 32}\n"
		         "fabric: {tier_count: 2, tiers: [{switch: sn5600, distance: %s},"
		         " {switch: sn5600, link_speed: 800G, distance: %s}]}\n", leaf_dists[i], dists[i]);
		tplan t = tplan_make(NULL, 1, spec);
		assert_lf_ok(t);
		assert_media_run(t.plan, LF_PROTO_ETH);
		tplan_free(&t);
	}
	/* 1.6T switches offered the IB XDR module and the Ethernet one of the
	 * same 800GBASE-DR4 family (and a generic NIC-side part that runs both):
	 * the Ethernet switches take the Ethernet one, the IB switches the IB one */
	static const char *const sw[] = { "generic-th6-osfp", "q3400" };
	static const char *const want[] = { "MMS4B10-XM", "MMS4A00-XM" };
	for (int k = 0; k < 2; k++) {
		char spec[512];
		snprintf(spec, sizeof spec,
		         "cluster: {server: t-srv-800, servers: 64, su_size: 32}\n"
		         "fabric: {tier_count: 2, tiers: [{switch: %s, link_speed: 800G,"
		         " distance: 30m}, {switch: %s, distance: 300m}]}\n"
		         "optics: {allow: [MMS4A00-XM, MMS4B10-XM, GEN-OSFP-800G-DR4-RHS-EML]}\n",
		         sw[k], sw[k]);
		tplan t = tplan_make("nics:\n"
		                     "  - {id: t-nic-800, max_speed: 800G, protocols: [ib, eth],"
		                     " source: t}\n"
		                     "servers:\n"
		                     "  - {id: t-srv-800, gpus: 8, nic: t-nic-800, nic_ports: 8,"
		                     " port_speed: 800G, cages: 8, cage_speed: 800G,"
		                     " form_factor: osfp, source: t}\n", 1, spec);
		assert_lf_ok(t);
		assert_string_equal(t.plan->media[1].lower->id, "GEN-OSFP-800G-DR4-RHS-EML");
		assert_string_equal(t.plan->media[1].upper->id, want[k]);
		assert_string_equal(t.plan->media[2].lower->id, want[k]);
		assert_string_equal(t.plan->media[2].upper->id, want[k]);
		tplan_free(&t);
	}

	/* InfiniBand: DGX H100 on QM9700, spine links at 300 m: no LPO (Ethernet) */
	tplan t = tplan_make(NULL, 1,
	                     "cluster: {server: dgx-h100, servers: 64, su_size: 32}\n"
	                     "fabric: {tier_count: 2, tiers: [{switch: qm9700, distance: 30m},"
	                     " {switch: qm9700, distance: 300m}]}\n");
	assert_lf_ok(t);
	assert_media_run(t.plan, LF_PROTO_IB);
	assert_true(strstr(t.plan->media[2].upper->id, "LPO") == NULL);
	tplan_free(&t);

	/* IB links take only parts that list ib: at 300 m the cheaper generic
	 * SiPh 2xDR4 (protocols not stated) loses to NVIDIA's MMS4X00-NM, unless
	 * the user allows it by name */
	t = tplan_make(NULL, 1,
	               "cluster: {server: dgx-h100, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: qm9700, distance: 30m},"
	               " {switch: qm9700, distance: 300m}]}\n");
	assert_lf_ok(t);
	for (int lv = 1; lv <= 2; lv++) {
		assert_true(t.plan->media[lv].lower->protocols & LF_PROTO_IB);
		assert_true(t.plan->media[lv].upper->protocols & LF_PROTO_IB);
	}
	assert_string_equal(t.plan->media[2].lower->id, "MMS4X00-NM");
	tplan_free(&t);
	t = tplan_make(NULL, 1,
	               "cluster: {server: dgx-h100, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: qm9700, distance: 30m},"
	               " {switch: qm9700, distance: 300m}]}\n"
	               "optics: {allow: [\"MMA4Z00-NS*\", GEN-OSFP-800G-2DR4-SIPH]}\n");
	assert_lf_ok(t);
	assert_string_equal(t.plan->media[2].lower->id, "GEN-OSFP-800G-2DR4-SIPH");
	tplan_free(&t);

	/* linear optics only where the switch declares it: SN5600 (not
	 * declared) gets retimed parts, a Tomahawk-5-class box takes LPO */
	static const char *const lsw[] = { "sn5600", "generic-th5-osfp" };
	for (int k = 0; k < 2; k++) {
		char spec[512];
		snprintf(spec, sizeof spec,
		         "cluster: {server: dgx-b200, servers: 64, su_size: 32}\n"
		         "fabric: {tier_count: 2, tiers: [{switch: %s, distance: 30m},"
		         " {switch: %s, distance: 50m}]}\n", lsw[k], lsw[k]);
		t = tplan_make(NULL, 1, spec);
		assert_lf_ok(t);
		assert_int_equal(t.plan->media[1].lower->drive, LF_DRIVE_RETIMED);   /* server end */
		assert_int_equal(t.plan->media[2].lower->drive, k ? LF_DRIVE_LPO : LF_DRIVE_RETIMED);
		tplan_free(&t);
	}

	/* only Ethernet parts reach: the no-medium error names protocols */
	t = tplan_make(NULL, 1,
	               "cluster: {server: dgx-h100, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: qm9700, distance: 30m},"
	               " {switch: qm9700, distance: 300m}]}\n"
	               "optics: {allow: [\"MMA4Z00-NS*\", \"*-LPO\"]}\n");
	assert_int_equal(t.st, LF_EINPUT);
	assert_non_null(strstr(t.err.msg, "no catalog medium fits the leaf-spine links"));
	assert_non_null(strstr(t.err.msg, "protocols: the link runs ib"));
	assert_non_null(strstr(t.err.msg, "linear drive: parts that fit"));
	tplan_free(&t);

	/* boxes with no protocol in common: ConnectX-8 at 1 x 800G (IB XDR only)
	 * on an Ethernet switch; the message names the NIC's modes, not optics */
	t = tplan_make(NULL, 1,
	               "cluster: {server: dgx-b300, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: sn5600, link_speed: 800G,"
	               " distance: 30m}, {switch: sn5600, distance: 50m}]}\n");
	assert_int_equal(t.st, LF_EINPUT);
	assert_non_null(strstr(t.err.msg, "no protocol in common on the server-leaf links: dgx-b300 "
	                                  "(nic connectx-8 as 1 x 800G) runs ib, sn5600 runs eth"));
	assert_non_null(strstr(t.err.msg, "2 x 400G eth"));
	assert_null(strstr(t.err.msg, "add a transceiver"));
	tplan_free(&t);

	/* a user catalog: unknown entries default to both, lists are parsed */
	t = tplan_make("switches:\n"
	               "  - {id: t-eth, cages: 32, cage_speed: 800G, form_factor: osfp,"
	               " port_speeds: [400G], protocols: [eth], source: t}\n"
	               "  - {id: t-both, cages: 32, cage_speed: 800G, form_factor: osfp,"
	               " port_speeds: [400G], protocols: [eth, ib], source: t}\n", 1,
	               "cluster: {server: dgx-h100, servers: 64, su_size: 32}\n"
	               "fabric: {tier_count: 2, tiers: [{switch: t-eth, distance: 30m},"
	               " {switch: t-both, distance: 50m}]}\n");
	assert_lf_ok(t);
	assert_int_equal(lf_catalog_switch(t.cat, "t-both")->protocols, LF_PROTO_ANY);
	assert_media_run(t.plan, LF_PROTO_ETH);
	tplan_free(&t);
	t = tplan_make("switches:\n"
	               "  - {id: t-none, cages: 32, cage_speed: 800G, form_factor: osfp,"
	               " port_speeds: [400G], protocols: [], source: t}\n", 1,
	               "cluster: {server: dgx-h100, servers: 64, su_size: 32}\n"
	               "fabric: {tiers: [{switch: t-none}]}\n");
	assert_int_equal(t.st, LF_EINPUT);
	assert_non_null(strstr(t.err.msg, "protocols must list at least one of ib, eth"));
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_switch_figures),
		cmocka_unit_test(test_laser_rule),
		cmocka_unit_test(test_load_once),
		cmocka_unit_test(test_missing_fibre_noted),
		cmocka_unit_test(test_server_figures),
		cmocka_unit_test(test_optic_figures),
		cmocka_unit_test(test_pairs_and_substitutes),
		cmocka_unit_test(test_every_connector_has_fibre),
		cmocka_unit_test(test_every_entry_sourced),
		cmocka_unit_test(test_form_factor_tokens),
		cmocka_unit_test(test_plans_with_bundled_parts),
		cmocka_unit_test(test_protocols),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
