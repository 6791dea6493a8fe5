/*
 * emit_reliability.c — a reliability result as a table, JSON (jansson) or
 * CSV, alone or two side by side (compare mode).  Every number comes from
 * the lf_reliability the model filled; nothing is recomputed here.
 *
 * JSON (fields may be added, these stay):
 *   { "name", "cluster_gpus",
 *     "job": { "gpus", "servers", "sus", "pods", "leaves", "spines", "cores",
 *              "planes", "interruptions_per_day", "mttf_h" (null: nothing fails),
 *              "interruptions_over_duration", "duration_h",
 *              "series_per_h", "plane_overlap_per_h", "flaps_per_h",
 *              "by_class_per_day": { class: number } },
 *     "checkpoint": { "checkpoint_h", "restart_h", "young_interval_h",
 *                     "daly_interval_h", "goodput_daly", "goodput_young" },
 *     "failures": { "per_day", "per_month", "network_per_day", "flaps_per_day",
 *                   "by_class": [ { "class", "count", "per_day", "per_month" } ] },
 *     "items": [ { "sku", "name", "class", "count", "job_count", "job_redundant",
 *                  "fit", "fit_from", "fit_source", "failures_per_day",
 *                  "failures_per_month", "lead_time_h", "lead_time_mean", "spares" } ],
 *     "spares": [ { "sku", "count" } ],   -- extra demand for `lightfab source`
 *     "params": { ... }, "notes" }
 * Compare mode: { "a": <that object>, "b": <that object> }.
 */
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "render.h"

/* ------------------------------------------------------------------- JSON */

static json_t *num_or_null(double v)
{
	return v > 0 && isfinite(v) ? json_real(v) : json_null();
}

static json_t *rel_json(const lf_reliability *r)
{
	json_t *o = json_object();
	if (!o)
		return NULL;
	json_object_set_new(o, "name", json_string(r->name));
	json_object_set_new(o, "cluster_gpus", json_integer(r->cluster_gpus));
	json_t *bc = json_object();
	for (int c = 0; c < LF_RC_COUNT; c++)
		if (r->job_class_per_day[c] > 0)
			json_object_set_new(bc, lf_rel_class_name((lf_rel_class)c),
			                    json_real(r->job_class_per_day[c]));
	json_t *job = json_pack("{s:I, s:I, s:i, s:i, s:I, s:I, s:I, s:i, s:f, s:o, s:f, s:f, "
	                        "s:f, s:f, s:f, s:o}",
	                        "gpus", (json_int_t)r->job_gpus, "servers",
	                        (json_int_t)r->job_servers, "sus", r->job_sus, "pods", r->job_pods,
	                        "leaves", (json_int_t)r->job_leaves, "spines",
	                        (json_int_t)r->job_spines, "cores", (json_int_t)r->job_cores,
	                        "planes", r->planes, "interruptions_per_day",
	                        r->job_interrupts_per_day, "mttf_h", num_or_null(r->job_mttf_h),
	                        "interruptions_over_duration", r->job_interrupts_horizon,
	                        "duration_h", r->horizon_h, "series_per_h", r->job_series_per_h,
	                        "plane_overlap_per_h", r->job_plane_overlap_per_h, "flaps_per_h",
	                        r->job_flaps_per_h, "by_class_per_day", bc);
	json_object_set_new(o, "job", job);
	json_object_set_new(o, "checkpoint",
	                    json_pack("{s:f, s:f, s:o, s:o, s:f, s:f}", "checkpoint_h",
	                              r->checkpoint_h, "restart_h", r->restart_h,
	                              "young_interval_h", num_or_null(r->ckpt_young_h),
	                              "daly_interval_h", num_or_null(r->ckpt_daly_h),
	                              "goodput_daly", r->goodput_daly, "goodput_young",
	                              r->goodput_young));
	json_t *cls = json_array();
	for (int c = 0; c < LF_RC_COUNT; c++)
		if (r->class_count[c])
			json_array_append_new(cls, json_pack("{s:s, s:I, s:f, s:f}", "class",
			                      lf_rel_class_name((lf_rel_class)c), "count",
			                      (json_int_t)r->class_count[c], "per_day",
			                      r->class_failures_per_day[c], "per_month",
			                      r->class_failures_per_day[c] * 365.25 / 12));
	json_object_set_new(o, "failures",
	                    json_pack("{s:f, s:f, s:f, s:f, s:o}", "per_day", r->failures_per_day,
	                              "per_month", r->failures_per_month, "network_per_day",
	                              r->network_failures_per_day, "flaps_per_day",
	                              r->flaps_per_day, "by_class", cls));
	json_t *items = json_array(), *spares = json_array();
	for (size_t i = 0; i < r->n_items; i++) {
		const lf_rel_item *it = &r->items[i];
		json_array_append_new(items,
		    json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:f, s:s, s:s, s:f, s:f, s:f, s:f, s:I}",
		              "sku", it->sku, "name", it->name, "class", lf_rel_class_name(it->cls),
		              "count", (json_int_t)it->count, "job_count", (json_int_t)it->job_count,
		              "job_redundant", (json_int_t)it->job_redundant, "fit", it->fit,
		              "fit_from", it->fit_from, "fit_source",
		              it->fit_source ? it->fit_source : "", "failures_per_day",
		              it->failures_per_day, "failures_per_month", it->failures_per_month,
		              "lead_time_h", it->lead_time_h, "lead_time_mean", it->lead_time_mean,
		              "spares", (json_int_t)it->spares));
		if (it->spares > 0)
			json_array_append_new(spares, json_pack("{s:s, s:I}", "sku", it->sku, "count",
			                                        (json_int_t)it->spares));
	}
	json_object_set_new(o, "items", items);
	json_object_set_new(o, "spares", spares);
	json_object_set_new(o, "spares_total", json_integer(r->spares_total));
	json_object_set_new(o, "params",
	                    json_pack("{s:s?, s:f, s:f, s:f, s:f, s:f, s:f}", "file",
	                              r->params_file, "checkpoint_h", r->checkpoint_h, "restart_h",
	                              r->restart_h, "repair_h", r->repair_h, "lead_time_h",
	                              r->lead_time_h, "fill_rate", r->fill_rate, "job_duration_h",
	                              r->horizon_h));
	json_object_set_new(o, "notes", json_string(r->notes));
	return o;
}

/* -------------------------------------------------------------------- CSV */

static const char csv_head[] =
	"spec,sku,class,count,job_count,job_redundant,fit,fit_from,failures_per_day,"
	"failures_per_month,lead_time_h,lead_time_mean,spares,fit_source\n";

static void csv_rows(lfi_buf *b, const lf_reliability *r)
{
	for (size_t i = 0; i < r->n_items; i++) {
		const lf_rel_item *it = &r->items[i];
		lfi_emit_csv_field(b, r->name);
		lfi_buf_puts(b, ",");
		lfi_emit_csv_field(b, it->sku);
		lfi_buf_printf(b, ",%s,%llu,%llu,%llu,%.6g,%s,%.6g,%.6g,%.6g,%.6g,%lld,",
		               lf_rel_class_name(it->cls), (unsigned long long)it->count,
		               (unsigned long long)it->job_count, (unsigned long long)it->job_redundant,
		               it->fit, it->fit_from, it->failures_per_day, it->failures_per_month,
		               it->lead_time_h, it->lead_time_mean, (long long)it->spares);
		lfi_emit_csv_field(b, it->fit_source ? it->fit_source : "");
		lfi_buf_puts(b, "\n");
	}
}

/* ------------------------------------------------------------------ table */

static void table(lfi_buf *b, const lf_reliability *r)
{
	char t1[32], t2[32], t3[32];
	lfi_buf_printf(b, "lightfab reliability: %s\n", r->name);
	lfi_buf_printf(b, "  params: %s; FIT = failures per 1e9 device-hours\n\n",
	               r->params_file ? r->params_file : "built-in defaults");
	lfi_buf_printf(b, "  %-20s %-26s %9s %8s %-12s %9s %9s %8s %7s\n", "class", "sku", "count",
	               "FIT", "from", "fail/day", "fail/mo", "on job", "spares");
	for (size_t i = 0; i < r->n_items; i++) {
		const lf_rel_item *it = &r->items[i];
		lfi_buf_printf(b, "  %-20s %-26s %9llu %8.0f %-12s %9.4f %9.3f %8llu %7lld\n",
		               lf_rel_class_name(it->cls), it->sku, (unsigned long long)it->count,
		               it->fit, it->fit_from, it->failures_per_day, it->failures_per_month,
		               (unsigned long long)it->job_count, (long long)it->spares);
	}
	lfi_buf_printf(b, "  %-20s %-26s %9s %8s %-12s %9.4f %9.3f %8s %7lld\n", "total", "", "",
	               "", "", r->failures_per_day, r->failures_per_month, "",
	               (long long)r->spares_total);
	lfi_buf_printf(b, "  network (all but servers): %.3f failures/day, %.1f per month",
	               r->network_failures_per_day, r->network_failures_per_day * 365.25 / 12);
	if (r->flaps_per_day > 0)
		lfi_buf_printf(b, "; link flaps %.3f/day", r->flaps_per_day);
	lfi_buf_printf(b, "\n  spares: Poisson quantile at a %.3g fill rate over the lead time (%s "
	               "unless a SKU sets its own)\n\n", r->fill_rate, lfi_format_hours(r->lead_time_h, t1, sizeof t1));

	lfi_buf_printf(b, "  job of %lld GPUs: %lld servers in %d SU(s)", (long long)r->job_gpus,
	               (long long)r->job_servers, r->job_sus);
	if (r->tiers == 3)
		lfi_buf_printf(b, ", %d pod(s)", r->job_pods);
	lfi_buf_printf(b, "; on its paths %llu leaves, %llu spines, %llu cores; %d plane%s\n",
	               (unsigned long long)r->job_leaves, (unsigned long long)r->job_spines,
	               (unsigned long long)r->job_cores, r->planes, r->planes == 1 ? "" : "s");
	lfi_buf_printf(b, "    interruptions   %.4f per day (series %.4f, two planes down %.2g, "
	               "flaps %.4f)\n", r->job_interrupts_per_day, r->job_series_per_h * 24,
	               r->job_plane_overlap_per_h * 24, r->job_flaps_per_h * 24);
	lfi_buf_printf(b, "    MTTF            %s\n", lfi_format_hours(r->job_mttf_h, t1, sizeof t1));
	lfi_buf_printf(b, "    expected over %s: %.2f interruptions\n",
	               lfi_format_hours(r->horizon_h, t2, sizeof t2), r->job_interrupts_horizon);
	if (r->job_plane_failures_per_h > 0)
		lfi_buf_printf(b, "    one-plane failures absorbed by the other planes: %.4f per day\n",
		               r->job_plane_failures_per_h * 24);
	lfi_buf_puts(b, "    by class (interruptions per day):");
	for (int c = 0; c < LF_RC_COUNT; c++)
		if (r->job_class_per_day[c] > 0)
			lfi_buf_printf(b, " %s %.4f;", lf_rel_class_name((lf_rel_class)c),
			               r->job_class_per_day[c]);
	lfi_buf_puts(b, "\n");
	lfi_buf_printf(b, "  checkpointing (checkpoint %s, restart %s)\n",
	               lfi_format_hours(r->checkpoint_h, t1, sizeof t1), lfi_format_hours(r->restart_h, t2, sizeof t2));
	lfi_buf_printf(b, "    Young interval %s, Daly interval %s, goodput %.2f%% (Daly), "
	               "%.2f%% (Young)\n", lfi_format_hours(r->ckpt_young_h, t1, sizeof t1),
	               lfi_format_hours(r->ckpt_daly_h, t3, sizeof t3), 100 * r->goodput_daly,
	               100 * r->goodput_young);
	lfi_buf_puts(b, "\n  rate sources\n");
	for (size_t i = 0; i < r->n_items; i++) {
		const lf_rel_item *it = &r->items[i];
		bool dup = false;
		for (size_t k = 0; k < i && !dup; k++)
			dup = r->items[k].fit_source == it->fit_source;
		if (!dup && it->count)
			lfi_buf_printf(b, "    %s (%s): %s\n", it->sku, it->fit_from,
			               it->fit_source ? it->fit_source : "");
	}
	if (r->notes[0])
		lfi_buf_printf(b, "\n  notes: %s\n", r->notes);
}

static void compare_table(lfi_buf *b, const lf_reliability *x, const lf_reliability *y)
{
	char t1[32], t2[32];
	lfi_buf_printf(b, "lightfab reliability: %s vs %s (job of %lld vs %lld GPUs)\n\n", x->name,
	               y->name, (long long)x->job_gpus, (long long)y->job_gpus);
	lfi_buf_printf(b, "  %-40s %16s %16s\n", "", "A", "B");
	lfi_buf_printf(b, "  %-40s %16.24s %16.24s\n", "spec", x->name, y->name);
	lfi_buf_printf(b, "  %-40s %16lld %16lld\n", "cluster GPUs", (long long)x->cluster_gpus,
	               (long long)y->cluster_gpus);
	lfi_buf_printf(b, "  %-40s %16d %16d\n", "planes", x->planes, y->planes);
	lfi_buf_printf(b, "  %-40s %16.4f %16.4f\n", "cluster failures per day",
	               x->failures_per_day, y->failures_per_day);
	lfi_buf_printf(b, "  %-40s %16.2f %16.2f\n", "cluster failures per month",
	               x->failures_per_month, y->failures_per_month);
	for (int c = 0; c < LF_RC_COUNT; c++)
		if (x->class_count[c] || y->class_count[c]) {
			char lab[64];
			snprintf(lab, sizeof lab, "  %s per day", lf_rel_class_name((lf_rel_class)c));
			lfi_buf_printf(b, "  %-40s %16.4f %16.4f\n", lab, x->class_failures_per_day[c],
			               y->class_failures_per_day[c]);
		}
	lfi_buf_printf(b, "  %-40s %16.4f %16.4f\n", "job interruptions per day",
	               x->job_interrupts_per_day, y->job_interrupts_per_day);
	lfi_buf_printf(b, "  %-40s %16s %16s\n", "job MTTF", lfi_format_hours(x->job_mttf_h, t1, sizeof t1),
	               lfi_format_hours(y->job_mttf_h, t2, sizeof t2));
	lfi_buf_printf(b, "  %-40s %16.2f %16.2f\n", "interruptions over the job duration",
	               x->job_interrupts_horizon, y->job_interrupts_horizon);
	lfi_buf_printf(b, "  %-40s %16s %16s\n", "Daly checkpoint interval",
	               lfi_format_hours(x->ckpt_daly_h, t1, sizeof t1), lfi_format_hours(y->ckpt_daly_h, t2, sizeof t2));
	lfi_buf_printf(b, "  %-40s %15.2f%% %15.2f%%\n", "goodput", 100 * x->goodput_daly,
	               100 * y->goodput_daly);
	lfi_buf_printf(b, "  %-40s %16lld %16lld\n", "spares (all SKUs)", (long long)x->spares_total,
	               (long long)y->spares_total);
	lfi_buf_puts(b, "\n  A: ");
	lfi_buf_puts(b, x->notes);
	lfi_buf_puts(b, "\n  B: ");
	lfi_buf_puts(b, y->notes);
	lfi_buf_puts(b, "\n");
}

lf_status lf_reliability_render(const lf_reliability *r, lf_format fmt, char **out,
                                lf_error *err)
{
	lfi_buf b;
	switch (fmt) {
	case LF_FMT_JSON:
		return lfi_emit_json_dump(rel_json(r), 0, out, err);
	case LF_FMT_CSV:
		lfi_buf_init(&b);
		lfi_buf_puts(&b, csv_head);
		csv_rows(&b, r);
		return lfi_buf_finish(&b, out, err);
	case LF_FMT_TABLE:
		lfi_buf_init(&b);
		table(&b, r);
		return lfi_buf_finish(&b, out, err);
	case LF_FMT_DOT:
		break;
	}
	return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
	                "reliability output is a table, JSON or CSV (not DOT)");
}

lf_status lf_reliability_render_compare(const lf_reliability *a, const lf_reliability *b2,
                                        lf_format fmt, char **out, lf_error *err)
{
	lfi_buf b;
	switch (fmt) {
	case LF_FMT_JSON: {
		json_t *o = json_object(), *x = rel_json(a), *y = rel_json(b2);
		if (!o || !x || !y) {
			json_decref(o);
			json_decref(x);
			json_decref(y);
			return lfi_oom(err);
		}
		json_object_set_new(o, "a", x);
		json_object_set_new(o, "b", y);
		return lfi_emit_json_dump(o, 0, out, err);
	}
	case LF_FMT_CSV:
		lfi_buf_init(&b);
		lfi_buf_puts(&b, csv_head);
		csv_rows(&b, a);
		csv_rows(&b, b2);
		return lfi_buf_finish(&b, out, err);
	case LF_FMT_TABLE:
		lfi_buf_init(&b);
		compare_table(&b, a, b2);
		return lfi_buf_finish(&b, out, err);
	case LF_FMT_DOT:
		break;
	}
	return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
	                "reliability output is a table, JSON or CSV (not DOT)");
}
