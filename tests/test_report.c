/*
 * test_report.c — the HTML report and the server's life cycle.
 *
 * The report's cards carry the plan's numbers (checked against the lf_plan
 * the JSON is rendered from), sections without input are left out, user
 * text is escaped everywhere (the spec's name goes into the title, the
 * heading, attributes and the Graphviz drawing), nothing is fetched (no
 * scripts, no src/href, no url()), the topology is drawn per switch for a
 * small fabric and aggregated for a 16k-GPU one.  lf_serve_start binds a
 * free loopback port and refuses a bad address or a taken port.
 */
#include "testutil.h"
#include "svg.h"

static tplan plan_file(const char *path)
{
	tplan t;
	memset(&t, 0, sizeof t);
	t.st = lf_plan_from_files(LF_DATADIR, path, &t.cat, &t.spec, &t.plan, &t.err);
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

	lf_buf b;
	lf_buf_init(&b);
	lf_html_esc(&b, "a<b>&\"c'd");
	assert_string_equal(b.data, "a&lt;b&gt;&amp;&quot;c&#39;d");
	lf_buf_release(&b);
	char c[32];
	assert_string_equal(lf_fmt_count(1234567, c, sizeof c), "1,234,567");
	assert_string_equal(lf_fmt_count(999, c, sizeof c), "999");
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
	assert_non_null(strstr(err.msg, "IPv4 address"));
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
		cmocka_unit_test(test_serve_lifecycle),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
