/*
 * test_report.c — the HTML report and the server's life cycle.
 *
 * The report's cards carry the plan's numbers (checked against the lf_plan
 * the JSON is rendered from), sections without input are left out, user
 * text is escaped everywhere (the spec's name goes into the title, the
 * heading, attributes and the Graphviz drawing), nothing is fetched (no
 * scripts, no src/href, no url()), the topology is drawn per switch for a
 * small fabric and aggregated for a 16k-GPU one.  The Simulation section
 * (a sweep: one chart line per collective with one point per size, the
 * link-rate bounds, table rows equal to `sim --json`; a training step: cards
 * and per-kind rows equal to the JSON, the breakdown adding up to the step)
 * and the Sourcing section (one Gantt bar per stage, slips and `never`
 * marked, stages and cost equal to `source --json`) appear only when given.
 * lf_serve_start binds a
 * free loopback port and refuses a bad address or a taken port.
 */
#include <jansson.h>
#include <math.h>

#include "testutil.h"
#include "svg.h"

static tplan plan_file(const char *path)
{
	tplan t;
	memset(&t, 0, sizeof t);
	t.st = lf_load_plan(&(lf_load_opts){ .default_catalog = LF_DATADIR,
	                                                 .spec_path = path }, &t.cat, &t.spec, &t.plan, &t.err);
	return t;
}

static char *render(const lf_plan *pl, const lf_reliability *rel, int fragment, int no_topo)
{
	lf_report_input in = { .plan = pl, .reliability = rel, .fragment = fragment,
	                       .no_topology = no_topo };
	lf_error err = { 0 };
	char *html = NULL;
	lf_status st = lf_report_render(&in, &html, &err);
	if (st != LF_OK)
		fail_msg("lf_report_render: %s", err.msg);
	return html;
}

static size_t count(const char *hay, const char *needle)
{
	size_t n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
		n++;
	return n;
}

static void assert_card(const char *html, const char *key, const char *value)
{
	char want[128];
	snprintf(want, sizeof want, "data-key=\"%s\" data-value=\"%s\"", key, value);
	if (!strstr(html, want))
		fail_msg("report lacks %s", want);
}

static void test_cards_are_the_plan(void **state)
{
	(void)state;
	tplan t = plan_file("examples/dgx-h100-4su.yaml");
	assert_lf_ok(t);
	char *html = render(t.plan, NULL, 0, 0);
	assert_non_null(html);
	assert_true(!strncmp(html, "<!DOCTYPE html>", 15));
	/* the published 4-SU design (NVIDIA RA-11333-001) and the plan's own totals */
	assert_card(html, "gpus", "1016");
	assert_card(html, "switches", "48");
	assert_card(html, "links", "2048");
	assert_card(html, "modules", "2048");
	assert_card(html, "ratio", "1016:2048");
	char v[64];
	snprintf(v, sizeof v, "%.10g", t.plan->bom.capex_usd);
	assert_card(html, "capex_usd", v);
	snprintf(v, sizeof v, "%.10g", t.plan->bom.power_typ_w);
	assert_card(html, "power_typ_w", v);
	/* one BOM row per line of the plan's BOM */
	const char *bom = strstr(html, "id=\"bom-total\"");
	assert_non_null(bom);
	const char *end = strstr(bom, "</table>");
	size_t rows = 0;
	for (const char *p = bom; (p = strstr(p, "<tr data-category=")) && p < end; p++)
		rows++;
	assert_int_equal(rows, t.plan->bom.n_lines);
	free(html);
	tplan_free(&t);
}

static void test_self_contained(void **state)
{
	(void)state;
	tplan t = plan_file("examples/dgx-h100-4su.yaml");
	assert_lf_ok(t);
	char *html = render(t.plan, NULL, 0, 0);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "src="));
	assert_null(strstr(html, "href="));
	assert_null(strstr(html, "url("));
	assert_null(strstr(html, "@import"));
	assert_null(strstr(html, "<!DOCTYPE svg"));   /* Graphviz's prolog is dropped */
	assert_null(strstr(html, "<?xml"));
	assert_non_null(strstr(html, "<svg"));
	free(html);
	tplan_free(&t);
}

static void test_sections_left_out(void **state)
{
	(void)state;
	tplan t = plan_file("examples/dgx-h100-1su.yaml");
	assert_lf_ok(t);
	char *html = render(t.plan, NULL, 1, 1);
	assert_true(!strncmp(html, "<div class=\"lf-report\"", 22));
	assert_null(strstr(html, "<html"));
	assert_null(strstr(html, "id=\"reliability\""));
	assert_null(strstr(html, "id=\"topology\""));
	assert_null(strstr(html, "id=\"stages\""));   /* the spec has no stages */
	assert_null(strstr(html, "id=\"simulation\""));
	assert_null(strstr(html, "id=\"sourcing\""));
	free(html);

	lf_reliability_params *params = NULL;
	lf_reliability *rel = NULL;
	lf_error err = { 0 };
	assert_int_equal(lf_reliability_params_load(NULL, &params, &err), LF_OK);
	assert_int_equal(lf_reliability_compute(t.plan, params, 0, &rel, &err), LF_OK);
	html = render(t.plan, rel, 0, 0);
	assert_non_null(strstr(html, "id=\"reliability\""));
	assert_non_null(strstr(html, "id=\"topology\""));
	char v[64];
	snprintf(v, sizeof v, "%lld", (long long)rel->spares_total);
	assert_card(html, "spares_total", v);
	free(html);
	lf_reliability_free(rel);
	lf_reliability_params_free(params);
	tplan_free(&t);

	tplan s = plan_file("examples/b300-q3400-staged.yaml");
	assert_lf_ok(s);
	html = render(s.plan, NULL, 0, 1);
	assert_non_null(strstr(html, "id=\"stages\""));
	assert_int_equal(count(html, "<tr data-stage="), s.plan->n_stages);
	free(html);
	tplan_free(&s);
}

static void test_escaping(void **state)
{
	(void)state;
	const char *spec =
		"name: \"<script>alert('x')</script> & \\\"q\\\" -->\"\n"
		"cluster: {server: dgx-h100, servers: 32, su_size: 32}\n"
		"fabric:\n"
		"  kind: rail-optimized\n"
		"  tier_count: 2\n"
		"  tiers:\n"
		"    - {name: leaf, switch: qm9700, oversubscription: 1:1, distance: 30m}\n"
		"    - {name: spine, switch: qm9700, distance: 50m}\n";
	tplan t = tplan_make(NULL, 1, spec);
	assert_lf_ok(t);
	char *html = render(t.plan, NULL, 0, 0);
	assert_null(strstr(html, "<script"));
	assert_null(strstr(html, "alert('x')"));
	assert_non_null(strstr(html, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; "
	                             "&quot;q&quot; --&gt;"));
	/* the name appears in no comment (Graphviz puts it in one; they are dropped) */
	assert_null(strstr(html, "<!--"));
	free(html);
	tplan_free(&t);

	lfi_buf b;
	lfi_buf_init(&b);
	lfi_html_esc(&b, "a<b>&\"c'd");
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
	lfi_buf_release(&b);
	char c[32];
	assert_string_equal(lfi_fmt_count(1234567, c, sizeof c), "1,234,567");
	assert_string_equal(lfi_fmt_count(999, c, sizeof c), "999");
}

static void test_topology_aggregated(void **state)
{
	(void)state;
	/* 1 SU: 8 leaves + 4 spines <= 24, every switch drawn, plus the SU's servers */
	tplan t = plan_file("examples/dgx-h100-1su.yaml");
	assert_lf_ok(t);
	char *html = render(t.plan, NULL, 0, 0);
	assert_int_equal(count(html, "class=\"node\""), 12 + 1);
	free(html);
	tplan_free(&t);

	/* 16k GPUs, 3 tiers: one box per SU / pod / core group, not per switch */
	tplan s = plan_file("examples/b300-q3400-staged.yaml");
	assert_lf_ok(s);
	uint64_t switches = s.plan->bom.switches;
	html = render(s.plan, NULL, 0, 0);
	size_t nodes = count(html, "class=\"node\"");
	assert_true(nodes > 3);
	assert_true(nodes < 200);
	assert_true(nodes < switches / 4);
	assert_non_null(strstr(html, " x 800G"));   /* edges carry link counts */
	free(html);
	tplan_free(&s);
}

/* ---------------------------------------------------- simulation section */

static char *render_with(const lf_plan *pl, const lf_sim_report *sim, const lf_supply_result *sup)
{
	lf_report_input in = { .plan = pl, .sim = sim, .supply = sup, .no_topology = 1 };
	lf_error err = { 0 };
	char *html = NULL;
	if (lf_report_render(&in, &html, &err) != LF_OK)
		fail_msg("lf_report_render: %s", err.msg);
	return html;
}

static lf_sim_report *run_workload(const lf_plan *pl, const char *text, lf_workload **wl)
{
	lf_error err = { 0 };
	lf_sim_report *r = NULL;
	if (lf_workload_load_buffer("wl.yaml", text, strlen(text), wl, &err) != LF_OK ||
	    lf_workload_simulate(pl, *wl, &(*wl)->sim, NULL, NULL, &r, &err) != LF_OK) {
		char b[2048];
		fail_msg("%s", lf_error_format(&err, b, sizeof b));
	}
	return r;
}

/* The JSON `lightfab sim --json` prints for this report. */
static json_t *sim_json(const lf_sim_report *r)
{
	char *text = NULL;
	lf_error err = { 0 };
	assert_int_equal(lf_sim_report_render(r, LF_FMT_JSON, &text, &err), LF_OK);
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	assert_non_null(j);
	return j;
}

/* The value of attribute `attr="..."` at or after *p; advances *p past it. */
static double attr_num(const char **p, const char *attr)
{
	char want[64];
	snprintf(want, sizeof want, " %s=\"", attr);
	const char *a = strstr(*p, want);
	if (!a)
		fail_msg("no %s after offset", attr);
	a += strlen(want);
	char *e;
	double v = strtod(a, &e);
	assert_true(*e == '"');
	*p = e;
	return v;
}

static void assert_close(double got, double want, const char *what)
{
	if (fabs(got - want) > 1e-9 * fmax(1, fabs(want)))
		fail_msg("%s: report %.12g, sim --json %.12g", what, got, want);
}

/* Every <svg ...> is closed, and a polyline's points lie inside its viewBox. */
static void assert_svg_well_formed(const char *html)
{
	assert_int_equal(count(html, "<svg "), count(html, "</svg>"));
	for (const char *p = html; (p = strstr(p, "<polyline ")); p++) {
		const char *pts = strstr(p, " points=\"");
		assert_non_null(pts);
		pts += 9;
		const char *end = strchr(pts, '"');
		while (pts < end) {
			char *e;
			double x = strtod(pts, &e);
			assert_true(*e == ',');
			double y = strtod(e + 1, &e);
			assert_true(isfinite(x) && isfinite(y));
			assert_true(x >= 0 && x <= 720 && y >= 0 && y <= 400);
			pts = *e == ' ' ? e + 1 : e;
		}
	}
}

static const char *const sweep_wl =
	"name: small sweep\n"
	"sim: {efficiency: 0.96, latency: 5us}\n"
	"collectives:\n"
	"  - {type: all-reduce, sweep: {from: 1KiB, to: 64MiB, factor: 4}}\n"
	"  - {type: all-gather, communicator: rail, sweep: {from: 64KiB, to: 16MiB, factor: 2}}\n";

static void test_sim_sweep_section(void **state)
{
	(void)state;
	tplan t = plan_file("examples/dgx-h100-1su.yaml");
	assert_lf_ok(t);
	lf_workload *wl = NULL;
	lf_sim_report *r = run_workload(t.plan, sweep_wl, &wl);
	char *html = render_with(t.plan, r, NULL);
	assert_non_null(strstr(html, "<section id=\"simulation\">"));
	assert_null(strstr(html, "id=\"sourcing\""));
	assert_null(strstr(html, "<script"));
	assert_svg_well_formed(html);

	/* one line per collective entry, one point per size of its sweep */
	assert_int_equal(count(html, "<polyline class=\"series\""), wl->n_coll);
	const char *p = html;
	for (size_t e = 0; e < wl->n_coll; e++) {
		p = strstr(p, "<polyline class=\"series\"");
		assert_non_null(p);
		const char *q = p;
		assert_int_equal((size_t)attr_num(&q, "data-points"), wl->coll[e].n_sizes);
		const char *pts = strstr(p, " points=\"") + 9;
		size_t n = 1;
		for (const char *c = pts; *c != '"'; c++)
			n += *c == ' ';
		assert_int_equal(n, wl->coll[e].n_sizes);
		p++;
	}
	assert_int_equal(wl->coll[0].n_sizes, 9);    /* 1 KiB .. 64 MiB by 4 */
	assert_int_equal(wl->coll[1].n_sizes, 9);    /* 64 KiB .. 16 MiB by 2 */
	/* bounds: 8 NICs of 400G per server (all) and one (rail), x 0.96 */
	assert_non_null(strstr(html, "class=\"bound\" data-value=\"384\""));
	assert_non_null(strstr(html, "class=\"bound\" data-value=\"48\""));

	/* every table row equals `lightfab sim --json`, in order */
	json_t *j = sim_json(r);
	json_t *colls = json_object_get(j, "collectives");
	assert_int_equal(json_array_size(colls), r->n_rows);
	assert_int_equal(count(html, "<tr data-size="), r->n_rows);
	p = html;
	for (size_t i = 0; i < json_array_size(colls); i++) {
		json_t *c = json_array_get(colls, i);
		p = strstr(p, "<tr data-size=");
		assert_non_null(p);
		p += 3;
		assert_close(attr_num(&p, "data-size"),
		             json_number_value(json_object_get(c, "size_bytes")), "size");
		assert_close(attr_num(&p, "data-time-us"),
		             json_number_value(json_object_get(c, "time_us")), "time_us");
		assert_close(attr_num(&p, "data-algbw"),
		             json_number_value(json_object_get(c, "algbw_gbs")), "algbw");
		assert_close(attr_num(&p, "data-busbw"),
		             json_number_value(json_object_get(c, "busbw_gbs")), "busbw");
	}
	json_decref(j);
	free(html);
	lf_sim_report_free(r);
	lf_workload_free(wl);
	tplan_free(&t);
}

static const char *const step_wl =
	"name: step\n"
	"job: {gpus: 256}\n"
	"sim: {efficiency: 0.96}\n"
	"training:\n"
	"  model: {layers: 32, hidden: 4096, seq_len: 4096,\n"
	"          micro_batch: 1, global_batch: 64, precision: bf16}\n"
	"  parallel: {tp: 8, pp: 2}\n"
	"  compute: {efficiency: 0.4}\n";

static void test_sim_step_section(void **state)
{
	(void)state;
	tplan t = plan_file("examples/dgx-h100-1su.yaml");
	assert_lf_ok(t);
	lf_workload *wl = NULL;
	lf_sim_report *r = run_workload(t.plan, step_wl, &wl);
	assert_true(r->has_step);
	char *html = render_with(t.plan, r, NULL);
	assert_non_null(strstr(html, "<section id=\"simulation\">"));
	assert_null(strstr(html, "<polyline"));          /* no sweep chart for a step */
	assert_svg_well_formed(html);
	json_t *j = sim_json(r);
	json_t *tr = json_object_get(j, "training");
	char v[64];
	snprintf(v, sizeof v, "%.10g", r->step.step_s);
	assert_card(html, "step_s", v);
	assert_close(json_number_value(json_object_get(tr, "step_s")), r->step.step_s, "step_s");
	const char *keys[] = { "comm_exposed_s", "pipeline_compute_s", "tokens_per_s", "mfu" };
	for (size_t i = 0; i < 4; i++) {
		char want[128];
		snprintf(want, sizeof want, "data-key=\"%s\" data-value=\"", keys[i]);
		const char *p = strstr(html, want);
		assert_non_null(p);
		p += strlen(want) - 13;   /* back onto ' data-value="' */
		assert_close(attr_num(&p, "data-value"),
		             json_number_value(json_object_get(tr, keys[i])), keys[i]);
	}
	/* per-kind rows equal the JSON's comm entries; the breakdown adds up */
	json_t *comm = json_object_get(tr, "comm");
	const char *kinds[] = { "tp", "pp", "dp" };
	double exposed = 0;
	for (size_t i = 0; i < 3; i++) {
		char want[64];
		snprintf(want, sizeof want, "<tr data-kind=\"%s\"", kinds[i]);
		const char *p = strstr(html, want);
		assert_non_null(p);
		json_t *k = json_object_get(comm, kinds[i]);
		assert_close(attr_num(&p, "data-time-s"),
		             json_number_value(json_object_get(k, "time_s")), "time_s");
		double ex = attr_num(&p, "data-exposed-s");
		assert_close(ex, json_number_value(json_object_get(k, "exposed_s")), "exposed_s");
		exposed += ex;
	}
	assert_null(strstr(html, "<tr data-kind=\"ep\""));   /* no experts: no EP row */
	assert_close(r->step.pipeline_compute_s + exposed, r->step.step_s, "breakdown sum");
	assert_int_equal(count(html, "<tr data-utilization="), r->n_top);
	json_decref(j);
	free(html);
	lf_sim_report_free(r);
	lf_workload_free(wl);
	tplan_free(&t);
}

/* ------------------------------------------------------ sourcing section */

static void test_supply_section(void **state)
{
	(void)state;
	tplan t = plan_file("examples/b300-800g-eml.yaml");
	assert_lf_ok(t);
	lf_error err = { 0 };
	lf_supply_scenario *sc = NULL;
	lf_supply_result *res = NULL;
	assert_int_equal(lf_supply_scenario_load("examples/supply-eml-shortage.yaml", &sc, &err), LF_OK);
	const lf_plan *plans[1] = { t.plan };
	assert_int_equal(lf_supply_solve(sc, plans, NULL, 1, &res, &err), LF_OK);
	const lf_supply_answer *a = &res->answers[0];
	char *html = render_with(t.plan, NULL, res);
	assert_non_null(strstr(html, "<section id=\"sourcing\">"));
	assert_null(strstr(html, "id=\"simulation\""));
	assert_svg_well_formed(html);

	/* one Gantt bar per stage: late ones (phase-1, -2 by a month, phase-3
	 * never, docs/source.md) carry a slip segment, `never` an open end */
	assert_int_equal(count(html, "<g class=\"task\""), a->n_stages);
	assert_int_equal(a->n_stages, 3);
	size_t late = 0, never = 0;
	for (size_t k = 0; k < a->n_stages; k++) {
		late += a->stages[k].slip > 0;
		never += a->stages[k].ready < 0;
	}
	assert_int_equal(count(html, "data-late=\"1\""), late);
	assert_int_equal(count(html, "data-open=\"1\""), never);
	assert_int_equal(count(html, "<rect class=\"slip\""), late);
	assert_int_equal(count(html, "<line class=\"due\""), a->n_stages);
	assert_int_equal(late, 3);
	assert_int_equal(never, 1);

	/* stages and costs are those of `lightfab source --json` */
	char *text = NULL;
	assert_int_equal(lf_supply_result_render(res, LF_FMT_JSON, &text, &err), LF_OK);
	json_t *j = json_loads(text, 0, NULL);
	free(text);
	json_t *opt = json_array_get(json_object_get(j, "options"), 0);
	json_t *stages = json_object_get(opt, "stages");
	const char *p = html;
	for (size_t k = 0; k < json_array_size(stages); k++) {
		json_t *s = json_array_get(stages, k);
		p = strstr(p, "<tr data-stage=");
		assert_non_null(p);
		double ready = attr_num(&p, "data-ready");
		double slip = attr_num(&p, "data-slip");
		assert_int_equal((int)slip, json_integer_value(json_object_get(s, "slip_periods")));
		assert_true(json_is_null(json_object_get(s, "ready")) == (ready < 0));
	}
	json_t *cost = json_object_get(opt, "cost");
	char v[64];
	snprintf(v, sizeof v, "%.10g", json_number_value(json_object_get(cost, "spend_usd")));
	assert_card(html, "spend_usd", v);
	snprintf(v, sizeof v, "%.10g", json_number_value(json_object_get(cost, "objective_usd")));
	assert_card(html, "objective_usd", v);
	/* orders: one row per supplier and SKU, adding up to the orders' total */
	double want = 0, got = 0;
	for (size_t i = 0; i < a->n_orders; i++)
		want += a->orders[i].quantity;
	for (p = html; (p = strstr(p, " data-quantity=\"")); p++)
		got += strtod(p + 16, NULL);
	assert_close(got, want, "modules ordered");
	assert_int_equal(count(html, " data-shadow=\""), a->n_bindings);
	assert_true(a->n_bindings > 0);
	json_decref(j);
	free(html);
	lf_supply_result_free(res);
	lf_supply_scenario_free(sc);
	tplan_free(&t);
}

static void test_serve_lifecycle(void **state)
{
	(void)state;
	lf_catalog *cat = NULL;
	lf_error err = { 0 };
	assert_int_equal(lf_catalog_new(&cat, &err), LF_OK);
	assert_int_equal(lf_catalog_load_path(cat, LF_DATADIR, &err), LF_OK);
	assert_int_equal(lf_catalog_finish(cat, &err), LF_OK);

	lf_serve_config cfg = { .port = 0, .cat = cat };
	lf_serve *a = NULL, *b = NULL;
	assert_int_equal(lf_serve_start(&cfg, &a, &err), LF_OK);
	assert_true(lf_serve_port(a) > 0);
	/* a second server is independent; the same port is refused */
	assert_int_equal(lf_serve_start(&cfg, &b, &err), LF_OK);
	assert_int_not_equal(lf_serve_port(a), lf_serve_port(b));
	lf_serve_stop(b);
	lf_serve_config taken = { .port = lf_serve_port(a), .cat = cat };
	lf_serve *c = NULL;
	assert_int_equal(lf_serve_start(&taken, &c, &err), LF_EIO);
	assert_null(c);
	lf_serve_stop(a);

	lf_serve_config bad = { .address = "localhost; rm -rf /", .cat = cat };
	assert_int_equal(lf_serve_start(&bad, &c, &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "IPv4 or IPv6 address"));
	lf_serve_config noport = { .port = 70000, .cat = cat };
	assert_int_equal(lf_serve_start(&noport, &c, &err), LF_EINPUT);
	lf_serve_stop(NULL);
	lf_catalog_free(cat);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cards_are_the_plan),
		cmocka_unit_test(test_self_contained),
		cmocka_unit_test(test_sections_left_out),
		cmocka_unit_test(test_escaping),
		cmocka_unit_test(test_topology_aggregated),
		cmocka_unit_test(test_sim_sweep_section),
		cmocka_unit_test(test_sim_step_section),
		cmocka_unit_test(test_supply_section),
		cmocka_unit_test(test_serve_lifecycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
