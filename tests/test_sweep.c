/* test_sweep.c — compare and sweep (src/explore/sweep.c): --vary expansion into
 * points, bad --vary expressions, rows equal to individual plan and sim runs
 * of the same points (workload axes too), and the Pareto front on a
 * hand-made set. */
#include <math.h>

#include "testutil.h"

/* The 1-SU DGX H100 example with placeholders for the swept values. */
static const char *spec_fmt =
	"name: sweep-test\n"
	"cluster:\n"
	"  server: dgx-h100\n"
	"  servers: %s\n"
	"  su_size: 32\n"
	"fabric:\n"
	"  kind: rail-optimized\n"
	"  tier_count: 2\n"
	"  tiers:\n"
	"    - {name: leaf, switch: qm9700, oversubscription: \"%s\", distance: 30m}\n"
	"    - {name: spine, switch: qm9700, distance: 50m}\n"
	"optics:\n"
	"  policy: cheapest\n"
	"  allow: [MMA4Z00-NS, MMA4Z00-NS-FLT]\n";

static char *spec_text(const char *servers, const char *ratio)
{
	static char buf[2048];
	snprintf(buf, sizeof buf, spec_fmt, servers, ratio);
	return buf;
}

static lf_sweep *new_sweep(const char *text, lf_error *err)
{
	lf_sweep *sw = NULL;
	assert_int_equal(lf_sweep_new(&sw, err), LF_OK);
	assert_int_equal(lf_sweep_add_catalog(sw, LF_DATADIR, err), LF_OK);
	assert_int_equal(lf_sweep_add_spec_buffer(sw, "spec.yaml", text, strlen(text), err), LF_OK);
	return sw;
}

static void add_vary_ok(lf_sweep *sw, const char *expr)
{
	lf_error err = { 0 };
	lf_status st = lf_sweep_add_vary(sw, expr, &err);
	if (st != LF_OK)
		fail_msg("--vary %s: %s", expr, err.msg);
}

static void test_expansion(void **state)
{
	(void)state;
	lf_error err = { 0 };
	lf_sweep *sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "cluster.servers=8,16,32");
	add_vary_ok(sw, "fabric.tiers[0].oversubscription=1:1, 3:1");
	add_vary_ok(sw, "fabric.planes=1,2");   /* not in the spec: added per point */
	assert_int_equal(lf_sweep_n_points(sw), 12);
	assert_int_equal(lf_sweep_n_axes(sw), 3);
	assert_string_equal(lf_sweep_axis_path(sw, 1), "fabric.tiers[0].oversubscription");
	/* the last axis varies fastest */
	const char *expect[12][3] = {
		{ "8", "1:1", "1" }, { "8", "1:1", "2" }, { "8", "3:1", "1" }, { "8", "3:1", "2" },
		{ "16", "1:1", "1" }, { "16", "1:1", "2" }, { "16", "3:1", "1" }, { "16", "3:1", "2" },
		{ "32", "1:1", "1" }, { "32", "1:1", "2" }, { "32", "3:1", "1" }, { "32", "3:1", "2" },
	};
	for (size_t i = 0; i < 12; i++) {
		for (size_t a = 0; a < 3; a++)
			assert_string_equal(lf_sweep_point_value(sw, i, a), expect[i][a]);
		assert_string_equal(lf_sweep_point_spec(sw, i), "spec.yaml");
		/* the edited document parses to the point's values */
		char *y = NULL;
		size_t len = 0;
		assert_int_equal(lf_sweep_point_yaml(sw, i, &y, &len, &err), LF_OK);
		lf_spec *sp = NULL;
		assert_int_equal(lf_spec_load_buffer("p.yaml", y, len, NULL, &sp, &err), LF_OK);
		assert_int_equal(sp->servers, atoi(expect[i][0]));
		assert_true(sp->tier[0].oversubscription == (expect[i][1][0] == '1' ? 1.0 : 3.0));
		assert_int_equal(sp->planes, atoi(expect[i][2]));
		/* untouched values stay */
		assert_string_equal(sp->tier[1].switch_id, "qm9700");
		assert_int_equal(sp->n_allow, 2);
		lf_spec_free(sp);
		free(y);
	}
	assert_null(lf_sweep_point_value(sw, 12, 0));
	lf_sweep_free(sw);

	/* a missing section on the way is created */
	sw = new_sweep("cluster: {server: dgx-h100, servers: 4}\n"
	               "fabric: {tiers: [{switch: qm9700}]}\n", &err);
	add_vary_ok(sw, "optics.policy=cheapest,lowest-power");
	char *y = NULL;
	size_t len = 0;
	assert_int_equal(lf_sweep_point_yaml(sw, 1, &y, &len, &err), LF_OK);
	lf_spec *sp = NULL;
	assert_int_equal(lf_spec_load_buffer("p.yaml", y, len, NULL, &sp, &err), LF_OK);
	assert_int_equal(sp->policy, LF_POLICY_POWER);
	lf_spec_free(sp);
	free(y);
	lf_sweep_free(sw);
}

static void test_bad_vary(void **state)
{
	(void)state;
	static const struct { const char *expr, *msg; } bad[] = {
		{ "fabric.plane=1,2", "unknown path: fabric has no key \"plane\" (did you mean \"planes\"?)" },
		{ "fabrik.planes=1", "the spec has no key \"fabrik\" (did you mean \"fabric\"?)" },
		{ "fabric.tiers[0].sped=1", "keys there: name, switch, link_speed" },
		{ "fabric.tiers[2].link_speed=800G", "index 2 is past the end of fabric.tiers, which has 2 entries" },
		{ "fabric.planes=", "no values" },
		{ "fabric.planes", "expected PATH=V1,V2" },
		{ "=1,2", "empty path" },
		{ "fabric.planes=1,,2", "value 2 is empty" },
		{ "fabric.planes=1,1", "value \"1\" is given twice" },
		{ "fabric.tiers=1", "names a list; a sweep sets single values" },
		{ "fabric=1", "names a mapping" },
		{ "fabric..planes=1", "expected a key at character 8" },
		{ "fabric.tiers[x].switch=a", "expected a list index such as [0]" },
		{ "fabric.tiers[-1].switch=a", "expected a list index such as [0]" },
		{ "fabric.planes[0]=1", "\"planes\" is a single value, nothing lies below it" },
		{ "fabric.kind[0]=1", "is not a list, [0] cannot index it" },
		{ "cluster.server.id=1", "is a single value" },
		{ "fabric.planes.=1", "ends with '.'" },
		{ "stages[0].name=a", "the spec has no \"stages\" list" },
	};
	lf_error err = { 0 };
	lf_sweep *sw = new_sweep(spec_text("32", "1:1"), &err);
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		memset(&err, 0, sizeof err);
		lf_status st = lf_sweep_add_vary(sw, bad[i].expr, &err);
		if (st != LF_EINPUT || !strstr(err.msg, bad[i].msg))
			fail_msg("--vary %s: status %d, message \"%s\", expected \"%s\"", bad[i].expr, st,
			         err.msg, bad[i].msg);
	}
	assert_int_equal(lf_sweep_n_axes(sw), 0);
	add_vary_ok(sw, "fabric.planes=1,2");
	assert_int_equal(lf_sweep_add_vary(sw, "fabric.planes=3", &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "varied twice"));
	/* objectives */
	assert_int_equal(lf_sweep_add_objective(sw, "capex:min", &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "did you mean \"capex_usd\"?"));
	assert_int_equal(lf_sweep_add_objective(sw, "capex_usd:low", &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "min or max"));
	assert_int_equal(lf_sweep_add_objective(sw, "capex_usd", &err), LF_OK);
	assert_int_equal(lf_sweep_add_objective(sw, "capex_usd:max", &err), LF_EINPUT);
	/* a spec added after the axis is checked against it too */
	const char *no_tiers2 = "cluster: {server: dgx-h100, servers: 4}\n"
	                        "fabric: {tiers: [{switch: qm9700}]}\n";
	lf_sweep_free(sw);
	sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "fabric.tiers[1].switch=qm9700,sn5600");
	assert_int_equal(lf_sweep_add_spec_buffer(sw, "b.yaml", no_tiers2, strlen(no_tiers2), &err),
	                 LF_EINPUT);
	assert_non_null(strstr(err.msg, "index 1 is past the end"));
	lf_sweep_free(sw);
}

/* Every row equals a plan built on its own from the same values. */
static void test_rows_equal_plan(void **state)
{
	(void)state;
	lf_error err = { 0 };
	lf_sweep *sw = new_sweep(spec_text("32", "1:1"), &err);
	const char *servers[] = { "8", "16", "32", "0", "4096" };
	const char *ratios[] = { "1:1", "2:1", "3:1", "0.5:1" };
	add_vary_ok(sw, "cluster.servers=8,16,32,0,4096");
	add_vary_ok(sw, "fabric.tiers[0].oversubscription=1:1,2:1,3:1,0.5:1");
	size_t n = lf_sweep_n_points(sw);
	assert_int_equal(n, 20);
	lf_sweep_row *rows = calloc(n, sizeof *rows);
	assert_int_equal(lf_sweep_run(sw, rows, NULL, NULL, &err), LF_OK);
	size_t ok = 0, invalid = 0, infeasible = 0;
	for (size_t i = 0; i < n; i++) {
		const lf_sweep_row *r = &rows[i];
		assert_int_equal(r->index, i);
		tplan t = tplan_make(NULL, 1, spec_text(servers[i / 4], ratios[i % 4]));
		/* where it stopped: parse/resolve (no plan attempted) or the plan */
		int spec_stage = t.st == LF_EINPUT && (!t.spec || !t.spec->server ||
		                                      !t.spec->final_servers);
		if (spec_stage) {
			/* rejected by the parser or resolver: invalid, with its message */
			assert_int_equal(r->status, LF_POINT_INVALID);
			assert_non_null(strstr(r->reason, t.err.msg));
			assert_true(isnan(r->v[LF_COL_CAPEX_USD]));
			invalid++;
		} else if (t.st == LF_EINPUT) {
			assert_int_equal(r->status, LF_POINT_INFEASIBLE);
			assert_non_null(strstr(r->reason, t.err.msg));
			assert_non_null(strstr(r->reason, "plan: "));
			infeasible++;
		} else {
			assert_lf_ok(t);
			assert_int_equal(r->status, LF_POINT_OK);
			assert_string_equal(r->reason, "");
			const lf_bom *b = &t.plan->bom;
			assert_true(r->v[LF_COL_GPUS] == (double)t.plan->gpus);
			assert_true(r->v[LF_COL_SERVERS] == (double)t.plan->servers);
			assert_true(r->v[LF_COL_SWITCHES] == (double)b->switches);
			assert_true(r->v[LF_COL_LINKS] == (double)b->links);
			assert_true(r->v[LF_COL_MODULES] == (double)b->modules);
			assert_true(r->v[LF_COL_POWER_TYP_W] == b->power_typ_w);
			assert_true(r->v[LF_COL_POWER_MAX_W] == b->power_max_w);
			assert_true(r->v[LF_COL_CAPEX_USD] == b->capex_usd);
			assert_true(r->v[LF_COL_XCVR_PER_GPU] ==
			            (double)b->modules / (double)t.plan->gpus);
			assert_true(isnan(r->v[LF_COL_BUSBW_GBS]));
			ok++;
		}
		tplan_free(&t);
	}
	/* 3 sizes x 3 ratios plan; servers 0 and ratio 0.5 are rejected by the
	 * parser; 4,096 servers do not fit 2 tiers */
	assert_int_equal(ok, 9);
	assert_int_equal(invalid, 8);
	assert_int_equal(infeasible, 3);
	/* the CSV: a header, one line per point, the columns of a plan-only sweep */
	lf_sweep_pareto(sw, rows, n);
	char *csv = NULL;
	assert_int_equal(lf_sweep_render(sw, rows, n, LF_FMT_CSV, &csv, &err), LF_OK);
	assert_non_null(strstr(csv, "point,spec,cluster.servers,fabric.tiers[0].oversubscription,"
	                            "status,reason,gpus,servers,switches,links,modules,power_typ_w,"
	                            "power_max_w,capex_usd,xcvr_per_gpu,pareto\n"));
	size_t lines = 0;
	for (const char *p = csv; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, n + 1);
	free(csv);
	char *json = NULL;
	assert_int_equal(lf_sweep_render(sw, rows, n, LF_FMT_JSON, &json, &err), LF_OK);
	assert_non_null(strstr(json, "\"status\": \"infeasible\""));
	free(json);
	char *html = NULL;
	assert_int_equal(lf_sweep_render_html(sw, rows, n, &html, &err), LF_OK);
	assert_non_null(strstr(html, "<svg"));
	assert_non_null(strstr(html, "class=\"front\""));
	assert_null(strstr(html, "<script"));
	free(html);
	free(rows);
	lf_sweep_free(sw);
}

/* A sweep with a workload: busBW equals lf_workload_simulate on the same plan. */
static void test_rows_equal_sim(void **state)
{
	(void)state;
	static const char *wl_text =
		"name: ar\njob: {gpus: all}\nsim: {routing: ecmp, seed: 3, efficiency: 0.96, "
		"latency: 5us}\ncollectives:\n  - {type: all-reduce, sweep: {from: 1MiB, to: 256MiB, "
		"factor: 16}}\n";
	FILE *f = fopen("build/asan/test_sweep_wl.yaml", "w");
	assert_non_null(f);
	fputs(wl_text, f);
	fclose(f);
	lf_error err = { 0 };
	lf_sweep *sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "cluster.servers=8,32");
	add_vary_ok(sw, "fabric.tiers[0].oversubscription=1:1,3:1");
	assert_int_equal(lf_sweep_set_workload(sw, "build/asan/test_sweep_wl.yaml", &err), LF_OK);
	assert_true(lf_sweep_has_column(sw, LF_COL_BUSBW_GBS));
	assert_false(lf_sweep_has_column(sw, LF_COL_STEP_S));
	size_t n = lf_sweep_n_points(sw);
	lf_sweep_row *rows = calloc(n, sizeof *rows);
	assert_int_equal(lf_sweep_run(sw, rows, NULL, NULL, &err), LF_OK);
	lf_workload *wl = NULL;
	assert_int_equal(lf_workload_load_buffer("wl.yaml", wl_text, strlen(wl_text), &wl, &err),
	                 LF_OK);
	const char *servers[] = { "8", "32" }, *ratios[] = { "1:1", "3:1" };
	for (size_t i = 0; i < n; i++) {
		tplan t = tplan_make(NULL, 1, spec_text(servers[i / 2], ratios[i % 2]));
		assert_lf_ok(t);
		lf_sim_report *rep = NULL;
		assert_int_equal(lf_workload_simulate(t.plan, wl, &wl->sim, NULL, NULL, &rep, &err), LF_OK);
		const lf_sim_row *last = &rep->rows[rep->n_rows - 1];
		assert_true(last->r.bytes == 256.0 * 1024 * 1024);
		assert_int_equal(rows[i].status, LF_POINT_OK);
		assert_true(rows[i].v[LF_COL_BUSBW_GBS] == last->r.busbw_gbs);
		assert_true(rows[i].v[LF_COL_TIME_US] == last->r.time_us);
		assert_true(rows[i].v[LF_COL_CAPEX_USD] == t.plan->bom.capex_usd);
		lf_sim_report_free(rep);
		tplan_free(&t);
	}
	/* a workload bigger than a point's cluster: that point is infeasible */
	lf_sweep_free(sw);
	sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "cluster.servers=2,32");
	static const char *big = "name: big\njob: {gpus: 128}\ncollectives:\n"
	                         "  - {type: all-reduce, bytes: 1MiB}\n";
	f = fopen("build/asan/test_sweep_big.yaml", "w");
	assert_non_null(f);
	fputs(big, f);
	fclose(f);
	assert_int_equal(lf_sweep_set_workload(sw, "build/asan/test_sweep_big.yaml", &err), LF_OK);
	assert_int_equal(lf_sweep_run(sw, rows, NULL, NULL, &err), LF_OK);
	assert_int_equal(rows[0].status, LF_POINT_INFEASIBLE);
	assert_non_null(strstr(rows[0].reason, "sim: "));
	assert_int_equal(rows[1].status, LF_POINT_OK);
	/* a training step: its memory per GPU is a column, and a point whose
	 * GPU cannot hold it is infeasible with its figures kept (70B at TP 8,
	 * no recomputation: ~115 GiB, over the H100's 80, within the B200's 180) */
	lf_sweep_free(sw);
	sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "cluster.server=dgx-h100,dgx-b200");
	static const char *step = "name: step\njob: {gpus: 32}\ntraining:\n"
		"  model: {layers: 80, hidden: 8192, heads: 64, kv_heads: 8, ffn_hidden: 28672,"
		" mlp: swiglu, vocab: 128256, seq_len: 8192, global_batch: 64}\n"
		"  parallel: {tp: 8}\n  optimizer: {zero: 1}\n";
	f = fopen("build/asan/test_sweep_step.yaml", "w");
	assert_non_null(f);
	fputs(step, f);
	fclose(f);
	assert_int_equal(lf_sweep_set_workload(sw, "build/asan/test_sweep_step.yaml", &err), LF_OK);
	assert_true(lf_sweep_has_column(sw, LF_COL_MEMORY_GIB));
	assert_false(lf_sweep_has_column(sw, LF_COL_BUSBW_GBS));
	assert_int_equal(lf_sweep_run(sw, rows, NULL, NULL, &err), LF_OK);
	assert_int_equal(rows[0].status, LF_POINT_INFEASIBLE);
	assert_non_null(strstr(rows[0].reason, "sim: the step needs "));
	assert_non_null(strstr(rows[0].reason, "GiB per GPU, more than the GPU's 80 GiB"));
	assert_int_equal(rows[1].status, LF_POINT_OK);
	assert_true(rows[0].v[LF_COL_MEMORY_GIB] > 80 && rows[0].v[LF_COL_MEMORY_GIB] < 180);
	assert_true(rows[1].v[LF_COL_MEMORY_GIB] == rows[0].v[LF_COL_MEMORY_GIB]);
	assert_true(rows[0].v[LF_COL_STEP_S] > rows[1].v[LF_COL_STEP_S]);
	lf_workload_free(wl);
	free(rows);
	lf_sweep_free(sw);
	remove("build/asan/test_sweep_wl.yaml");
	remove("build/asan/test_sweep_big.yaml");
	remove("build/asan/test_sweep_step.yaml");
}

/* Workload axes (workload.PATH): each point's workload is the file with its
 * values set, so a row's step equals lf_workload_simulate of that workload,
 * written by hand, on the same plan; a layout the step cannot run is
 * infeasible, a value the parser rejects invalid, an unknown key an error
 * (checked when the workload is set, after the axis), and workload axes
 * without a workload an error. */
static const char *step_fmt =
	"name: step\njob: {gpus: 96}\ntraining:\n"
	"  model: {layers: 32, hidden: 4096, heads: 32, ffn_hidden: 11008, mlp: swiglu,"
	" vocab: 32000, seq_len: 4096, global_batch: 384}\n"
	"  parallel: {%s}\n  compute: {recompute: %s}\n  optimizer: {zero: 1}\n";

static void test_workload_axes(void **state)
{
	(void)state;
	char wl_text[1024];
	snprintf(wl_text, sizeof wl_text, step_fmt, "pp: 1", "selective");
	FILE *f = fopen("build/asan/test_sweep_axes.yaml", "w");
	assert_non_null(f);
	fputs(wl_text, f);
	fclose(f);
	lf_error err = { 0 };
	lf_sweep *sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "workload.training.parallel.tp=1,2,3,8");
	add_vary_ok(sw, "workload.training.parallel.pp=1,2");
	add_vary_ok(sw, "workload.training.compute.recompute=selective,some");
	/* no workload yet: evaluating a point is an error */
	assert_null(lf_sweep_workload(sw));
	lf_sweep_row row;
	assert_int_equal(lf_sweep_eval(sw, 0, &row, &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "varies the workload, but the sweep has none"));
	assert_int_equal(lf_sweep_set_workload(sw, "build/asan/test_sweep_axes.yaml", &err), LF_OK);
	assert_string_equal(lf_sweep_workload(sw), "build/asan/test_sweep_axes.yaml");
	size_t n = lf_sweep_n_points(sw);
	assert_int_equal(n, 16);
	char *y = NULL;
	size_t len = 0;
	assert_int_equal(lf_sweep_point_workload_yaml(sw, 6, &y, &len, &err), LF_OK);
	assert_non_null(strstr(y, "tp: 2"));   /* point 6: tp 2, pp 2, selective */
	assert_non_null(strstr(y, "pp: 2"));
	free(y);
	/* the spec is not edited by workload axes */
	assert_int_equal(lf_sweep_point_yaml(sw, 6, &y, &len, &err), LF_OK);
	assert_null(strstr(y, "tp:"));
	free(y);
	lf_sweep_row *rows = calloc(n, sizeof *rows);
	assert_int_equal(lf_sweep_run(sw, rows, NULL, NULL, &err), LF_OK);
	tplan t = tplan_make(NULL, 1, spec_text("32", "1:1"));
	assert_lf_ok(t);
	const char *tps[] = { "1", "2", "3", "8" }, *pps[] = { "1", "2" };
	int ok = 0;
	for (size_t i = 0; i < n; i++) {
		const char *tp = tps[i / 4], *pp = pps[i / 2 % 2];
		if (i % 2) {
			assert_int_equal(rows[i].status, LF_POINT_INVALID);
			assert_non_null(strstr(rows[i].reason, "workload: compute recompute must be one of"));
			continue;
		}
		if (strcmp(tp, "3") == 0) {
			assert_int_equal(rows[i].status, LF_POINT_INFEASIBLE);
			if (!strstr(rows[i].reason, "sim: tp = 3 must divide the model's 32 attention heads"))
				fail_msg("point %zu: %s", i, rows[i].reason);
			continue;
		}
		char par[64], text[1024];
		snprintf(par, sizeof par, "tp: %s, pp: %s", tp, pp);
		snprintf(text, sizeof text, step_fmt, par, "selective");
		lf_workload *wl = NULL;
		assert_int_equal(lf_workload_load_buffer("wl.yaml", text, strlen(text), &wl, &err),
		                 LF_OK);
		lf_sim_report *rep = NULL;
		assert_int_equal(lf_workload_simulate(t.plan, wl, &wl->sim, NULL, NULL, &rep, &err),
		                 LF_OK);
		assert_int_equal(rows[i].status, LF_POINT_OK);
		assert_true(rows[i].v[LF_COL_STEP_S] == rep->step.step_s);
		assert_true(rows[i].v[LF_COL_MEMORY_GIB] == rep->step.mem.total_b / (1 << 30));
		assert_int_equal(rep->step.tp, atoi(tp));
		ok++;
		lf_sim_report_free(rep);
		lf_workload_free(wl);
	}
	assert_int_equal(ok, 6);
	/* different layouts, different steps: TP 8 against TP 1 at PP 1 */
	assert_true(rows[12].v[LF_COL_STEP_S] != rows[0].v[LF_COL_STEP_S]);
	tplan_free(&t);
	free(rows);
	lf_sweep_free(sw);
	/* an unknown workload key, given before the workload: an error when it is set */
	sw = new_sweep(spec_text("32", "1:1"), &err);
	add_vary_ok(sw, "workload.training.parallel.tpp=1,2");
	assert_int_equal(lf_sweep_set_workload(sw, "build/asan/test_sweep_axes.yaml", &err),
	                 LF_EINPUT);
	assert_non_null(strstr(err.msg, "unknown path: workload.training.parallel has no key "
	                       "\"tpp\" (did you mean \"tp\"?)"));
	lf_sweep_free(sw);
	/* ... and after it, at once; the whole workload or a section is no value */
	sw = new_sweep(spec_text("32", "1:1"), &err);
	assert_int_equal(lf_sweep_set_workload(sw, "build/asan/test_sweep_axes.yaml", &err), LF_OK);
	assert_int_equal(lf_sweep_add_vary(sw, "workload.training.modle.layers=1", &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "did you mean \"model\""));
	assert_int_equal(lf_sweep_add_vary(sw, "workload=1", &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "names the whole workload"));
	assert_int_equal(lf_sweep_add_vary(sw, "workload.training.model=1", &err), LF_EINPUT);
	assert_non_null(strstr(err.msg, "names a mapping"));
	/* a key the workload leaves out is added */
	add_vary_ok(sw, "workload.training.model.micro_batch=1,2");
	assert_int_equal(lf_sweep_point_workload_yaml(sw, 1, &y, &len, &err), LF_OK);
	assert_non_null(strstr(y, "micro_batch: 2"));
	free(y);
	lf_sweep_free(sw);
	/* the same from memory: a sweep file's workload axes against a workload
	 * given as text; a bad path names the file, line and column */
	sw = new_sweep(spec_text("32", "1:1"), &err);
	assert_int_equal(lf_sweep_set_workload_buffer(sw, "wl.yaml", wl_text, strlen(wl_text), &err),
	                 LF_OK);
	static const char *file = "vary:\n  workload.training.parallel.tp: [1, 2]\n";
	assert_int_equal(lf_sweep_load_buffer(sw, "s.yaml", file, strlen(file), &err), LF_OK);
	assert_int_equal(lf_sweep_n_points(sw), 2);
	assert_int_equal(lf_sweep_point_workload_yaml(sw, 1, &y, &len, &err), LF_OK);
	assert_non_null(strstr(y, "tp: 2"));
	free(y);
	static const char *bad = "vary:\n  workload.training.paralel.tp: [1, 2]\n";
	assert_int_equal(lf_sweep_load_buffer(sw, "s.yaml", bad, strlen(bad), &err), LF_EINPUT);
	char b[1024];
	lf_error_format(&err, b, sizeof b);
	assert_non_null(strstr(b, "s.yaml:2:3: "));
	assert_non_null(strstr(b, "did you mean \"parallel\""));
	lf_sweep_free(sw);
	remove("build/asan/test_sweep_axes.yaml");
}

static lf_sweep_row mk(int status, double capex, double busbw, double power)
{
	lf_sweep_row r;
	memset(&r, 0, sizeof r);
	r.status = status;
	for (int c = 0; c < LF_COL_COUNT; c++)
		r.v[c] = NAN;
	r.v[LF_COL_CAPEX_USD] = capex;
	r.v[LF_COL_BUSBW_GBS] = busbw;
	r.v[LF_COL_POWER_TYP_W] = power;
	return r;
}

/* The front of a hand-made set, solved by hand. */
static void test_pareto_hand(void **state)
{
	(void)state;
	lf_sweep_row r[] = {
		mk(LF_POINT_OK, 1, 10, 5),          /* 0 front: cheapest with 10 */
		mk(LF_POINT_OK, 2, 20, 5),          /* 1 front: best busbw at 2 */
		mk(LF_POINT_OK, 2, 15, 1),          /* 2 dominated by 1 (2 objectives) */
		mk(LF_POINT_OK, 3, 20, 5),          /* 3 dominated by 1 */
		mk(LF_POINT_OK, 1, 10, 9),          /* 4 equal to 0 on both: front too */
		mk(LF_POINT_INFEASIBLE, 0, 100, 0), /* 5 never on the front... */
		mk(LF_POINT_OK, 0.5, NAN, 5),       /* 6 not computed: not on it */
		mk(LF_POINT_OK, 0.5, 5, 5),         /* 7 front: cheapest of all */
		mk(LF_POINT_OK, 4, 30, 5),          /* 8 front: best busbw */
		mk(LF_POINT_OK, 0.5, 4, 5),         /* 9 dominated by 7 */
	};
	size_t n = sizeof r / sizeof r[0];
	lf_objective two[] = { { LF_COL_CAPEX_USD, 0 }, { LF_COL_BUSBW_GBS, 1 } };
	lf_pareto_mark(r, n, two, 2);
	int want2[] = { 1, 1, 0, 0, 1, 0, 0, 1, 1, 0 };
	for (size_t i = 0; i < n; i++)
		if (r[i].pareto != want2[i])
			fail_msg("2 objectives, row %zu: pareto %d, expected %d", i, r[i].pareto, want2[i]);
	/* ...and does not dominate anyone: 5 beats all, yet 8 stays */
	/* a third objective (power, min) rescues 2 (least power), and splits 0 and 4 */
	lf_objective three[] = { { LF_COL_CAPEX_USD, 0 }, { LF_COL_BUSBW_GBS, 1 },
	                         { LF_COL_POWER_TYP_W, 0 } };
	lf_pareto_mark(r, n, three, 3);
	int want3[] = { 1, 1, 1, 0, 0, 0, 0, 1, 1, 0 };
	for (size_t i = 0; i < n; i++)
		if (r[i].pareto != want3[i])
			fail_msg("3 objectives, row %zu: pareto %d, expected %d", i, r[i].pareto, want3[i]);
	/* flipping a direction: max capex, max busbw -> 8 alone (4, 30) */
	lf_objective flip[] = { { LF_COL_CAPEX_USD, 1 }, { LF_COL_BUSBW_GBS, 1 } };
	lf_pareto_mark(r, n, flip, 2);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r[i].pareto, i == 8);
	/* no objectives: nothing is marked; no rows: nothing happens */
	lf_pareto_mark(r, n, NULL, 0);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(r[i].pareto, 0);
	lf_pareto_mark(NULL, 0, two, 2);
}

static void test_compare(void **state)
{
	(void)state;
	lf_error err = { 0 };
	lf_sweep *sw = new_sweep(spec_text("16", "1:1"), &err);
	const char *b = spec_text("32", "3:1");
	assert_int_equal(lf_sweep_add_spec_buffer(sw, "b.yaml", b, strlen(b), &err), LF_OK);
	assert_int_equal(lf_sweep_n_points(sw), 2);
	assert_string_equal(lf_sweep_point_spec(sw, 1), "b.yaml");
	lf_sweep_row rows[2];
	assert_int_equal(lf_sweep_run(sw, rows, NULL, NULL, &err), LF_OK);
	lf_sweep_pareto(sw, rows, 2);
	char *csv = NULL;
	assert_int_equal(lf_compare_render(sw, rows, 2, LF_FMT_CSV, &csv, &err), LF_OK);
	assert_non_null(strstr(csv, "metric,spec.yaml,b.yaml,delta b.yaml\n"));
	char line[256];
	snprintf(line, sizeof line, "\ngpus,128,256,128\n");
	assert_non_null(strstr(csv, line));
	free(csv);
	char *json = NULL;
	assert_int_equal(lf_compare_render(sw, rows, 2, LF_FMT_JSON, &json, &err), LF_OK);
	assert_non_null(strstr(json, "\"deltas\""));
	free(json);
	lf_sweep_free(sw);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_expansion),
		cmocka_unit_test(test_bad_vary),
		cmocka_unit_test(test_rows_equal_plan),
		cmocka_unit_test(test_rows_equal_sim),
		cmocka_unit_test(test_workload_axes),
		cmocka_unit_test(test_pareto_hand),
		cmocka_unit_test(test_compare),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
