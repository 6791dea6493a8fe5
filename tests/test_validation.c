/*
 * test_validation.c — the training-step validation rows of docs/sim.md
 * ("Validation"): every row of tests/validation/rows.tsv is planned and
 * simulated as `lightfab sim SPEC ROW.yaml` does, and the model's TFLOPS
 * per GPU must stay at the pinned figure (within 0.5%), so a change that
 * moves any row against its published figure shows here; and the memory
 * the model gives each GPU must fit its HBM (the runs ran).  After an
 * intended change: tests/validation/table.sh --pin, and update the table in
 * docs/sim.md from tests/validation/table.sh.
 */
#include <math.h>

#include "testutil.h"

#define DIR "tests/validation/"

typedef struct row {
	char name[64], spec[96], metric[8];
	double published, pinned;
} row;

static size_t read_rows(row *rows, size_t max)
{
	FILE *f = fopen(DIR "rows.tsv", "r");
	assert_non_null(f);
	char line[512];
	size_t n = 0;
	while (fgets(line, sizeof line, f) && n < max) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		row *r = &rows[n];
		if (sscanf(line, "%63[^\t]\t%95[^\t]\t%lf\t%7[^\t]\t%lf", r->name, r->spec,
		           &r->published, r->metric, &r->pinned) != 5)
			fail_msg("rows.tsv: cannot read \"%s\"", line);
		n++;
	}
	fclose(f);
	return n;
}

static void plan_spec(const char *spec, tplan *t)
{
	memset(t, 0, sizeof *t);
	char path[320];
	if ((size_t)snprintf(path, sizeof path, DIR "%s", spec) >= sizeof path)
		fail_msg("spec path too long: %s", spec);
	t->st = lf_catalog_new(&t->cat, &t->err);
	if (t->st == LF_OK)
		t->st = lf_catalog_load_path(t->cat, LF_DATADIR, &t->err);
	if (t->st == LF_OK)
		t->st = lf_spec_load(path, t->cat, &t->spec, &t->err);
	if (t->st == LF_OK)
		t->st = lf_catalog_finish(t->cat, &t->err);
	if (t->st == LF_OK)
		t->st = lf_spec_resolve(t->spec, t->cat, &t->err);
	if (t->st == LF_OK)
		t->st = lf_plan_build(t->spec, t->cat, &t->plan, &t->err);
}

static void test_rows(void **state)
{
	(void)state;
	row rows[64];
	size_t n = read_rows(rows, 64);
	assert_true(n >= 23);
	tplan t = { 0 };
	const char *planned = "";
	for (size_t i = 0; i < n; i++) {
		const row *r = &rows[i];
		if (strcmp(planned, r->spec) != 0) {
			tplan_free(&t);
			plan_spec(r->spec, &t);
			assert_lf_ok(t);
			planned = r->spec;
		}
		char path[320], b[2048];
		if ((size_t)snprintf(path, sizeof path, DIR "%s.yaml", r->name) >= sizeof path)
			fail_msg("row name too long: %s", r->name);
		lf_workload *wl = NULL;
		lf_sim_report *rep = NULL;
		lf_error err = { 0 };
		if (lf_workload_load(path, &wl, &err) != LF_OK ||
		    lf_workload_simulate(t.plan, wl, &wl->sim, NULL, NULL, &rep, &err) != LF_OK)
			fail_msg("%s: %s", r->name, lf_error_format(&err, b, sizeof b));
		const lf_step *s = &rep->step;
		double v = strcmp(r->metric, "tok") == 0 ? s->tokens_per_s / (double)s->gpus
		         : (strcmp(r->metric, "hfu") == 0 ? s->hfu : s->mfu) * s->gpu_tflops;
		if (fabs(v / r->pinned - 1) > 0.005)
			fail_msg("%s: %.1f per GPU, pinned %.1f (published %.1f)", r->name, v,
			         r->pinned, r->published);
		/* the step adds up: compute, bubble, each kind's exposed time */
		double sum = s->compute_s + s->bubble_s + s->tp_exposed_s + s->pp_exposed_s +
		             s->cp_exposed_s + s->ep_exposed_s + s->dp_exposed_s;
		if (fabs(sum / s->step_s - 1) > 1e-9)
			fail_msg("%s: parts %.9g s, step %.9g s", r->name, sum, s->step_s);
		/* every published run ran: its memory must fit the GPU's (the
		 * rows say the recomputation and offloading their recipes use) */
		if (!(s->mem.capacity_b > 0) || s->mem.total_b > s->mem.capacity_b)
			fail_msg("%s: %.1f GiB per GPU of %.1f GiB", r->name, s->mem.total_b / (1 << 30),
			         s->mem.capacity_b / (1 << 30));
		lf_sim_report_free(rep);
		lf_workload_free(wl);
	}
	tplan_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rows),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
