/*
 * report_sim.c — the report's simulation section: busBW against message
 * size with the link-rate bound, the training step's breakdown, a traffic
 * matrix's FCTs, the busiest links (report.c assembles the document).
 */
#include <graphviz/cgraph.h>
#include <graphviz/gvc.h>
#include <graphviz/gvplugin.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "workload.h"
#include "svg.h"

/* ------------------------------------------------------------ simulation */

static const char *tier_str(int tier)
{
	static const char *const n[] = { "server", "leaf", "spine", "core" };
	return tier >= 0 && tier < 4 ? n[tier] : "?";
}

/* Busiest links, named as `lightfab sim` names them ("leaf 3", "spine 1"). */
static void links_table(lfi_buf *b, const lf_plan *pl, const lf_link_use *top, size_t n,
                        const char *const *during, const char *id)
{
	if (!n)
		return;
	lfi_buf_printf(b, "<table class=\"t\" id=\"%s\"><tr><th>level</th><th class=\"n\">plane</th>"
	               "<th>lower</th><th>upper</th><th>direction</th><th class=\"n\">utilization</th>"
	               "<th class=\"n\">bytes</th>%s</tr>\n", id, during ? "<th>during</th>" : "");
	for (size_t i = 0; i < n; i++) {
		char lo[48] = "?", up[48] = "?", bb[32];
		const char *level = "?";
		int plane = 0;
		if (top[i].link < pl->n_links) {
			const lf_link *l = &pl->links[top[i].link];
			const lf_node *a = &pl->nodes[l->a], *c = &pl->nodes[l->b];
			level = lfi_level_name(l->level);
			plane = l->plane;
			snprintf(lo, sizeof lo, "%s %u", tier_str(a->tier), a->index);
			snprintf(up, sizeof up, "%s %u", tier_str(c->tier), c->index);
		}
		lfi_format_bytes(top[i].bytes, bb, sizeof bb);
		lfi_buf_printf(b, "<tr data-utilization=\"%.10g\" data-bytes=\"%.10g\">",
		               top[i].utilization, top[i].bytes);
		lfi_report_td_text(b, level);
		lfi_buf_printf(b, "<td class=\"n\">%d</td>", plane);
		lfi_report_td_text(b, lo);
		lfi_report_td_text(b, up);
		lfi_report_td_text(b, top[i].up ? "up" : "down");
		lfi_buf_printf(b, "<td class=\"n\">%.1f%%</td><td class=\"n\">%s</td>",
		               100 * top[i].utilization, bb);
		if (during)
			lfi_report_td_text(b, during[i] ? during[i] : "");
		lfi_buf_puts(b, "</tr>\n");
	}
	lfi_buf_puts(b, "</table>\n");
}

/* The bus bandwidth the hardware allows a communicator, GB/s (nccl-tests:
 * busBW approaches the bottleneck's speed whatever the rank count).  Inside
 * one server: a GPU's NVLink; across servers: the scale-out NICs of the
 * communicator's ranks on one server (G x b for whole servers, b for one
 * GPU per server), times the efficiency the simulator applies. */
static double busbw_bound(const lf_plan *pl, const lf_sim_row *w, double eff, char *label,
                          size_t n)
{
	const lf_server *sv = pl->spec->server;
	int g = sv->gpus > 0 ? sv->gpus : 1;
	size_t per_server = w->comm == LF_COMM_RAIL ? 1 : w->r.ranks < (size_t)g ? w->r.ranks
	                                                                         : (size_t)g;
	int spans = w->comm == LF_COMM_RAIL ? w->r.ranks > 1
	            : w->comm == LF_COMM_ALL ? w->r.ranks > (size_t)g : 0;
	char rate[16];
	if (!spans) {
		if (sv->nvlink_gbps <= 0)
			return 0;
		lfi_format_gbps(sv->nvlink_gbps, rate, sizeof rate);
		double v = sv->nvlink_gbps / 8 * eff;
		snprintf(label, n, "NVLink bound: %s per GPU x %.3g = %.1f GB/s", rate, eff, v);
		return v;
	}
	double nic_gbps = (double)sv->nic_ports * sv->port_gbps / g;
	lfi_format_gbps(nic_gbps, rate, sizeof rate);
	double v = (double)per_server * nic_gbps / 8 * eff;
	snprintf(label, n, "link-rate bound: %zu x %s x %.3g = %.1f GB/s", per_server, rate, eff, v);
	return v;
}

static const char *redop_str(lf_coll c)
{
	return c == LF_COLL_ALLREDUCE || c == LF_COLL_REDUCESCATTER ? "sum" : "none";
}

static lf_status sim_collectives(lfi_buf *b, const lf_sim_report *r, lf_error *err)
{
	const lf_plan *pl = r->plan;
	double eff = r->cfg.efficiency > 0 ? r->cfg.efficiency : 1.0;
	/* entries are consecutive runs of rows */
	size_t n_series = 0;
	for (size_t i = 0; i < r->n_rows; i++)
		if (!i || r->rows[i].entry != r->rows[i - 1].entry)
			n_series++;
	lfi_svg_series *ser = calloc(n_series + 1, sizeof *ser);
	lfi_svg_hline *bnd = calloc(n_series + 1, sizeof *bnd);
	char (*labels)[160] = calloc(n_series + 1, sizeof *labels);
	char (*blabels)[160] = calloc(n_series + 1, sizeof *blabels);
	double *xs = calloc(r->n_rows + 1, sizeof *xs), *ys = calloc(r->n_rows + 1, sizeof *ys);
	if (!ser || !bnd || !labels || !blabels || !xs || !ys) {
		free(ser), free(bnd), free(labels), free(blabels), free(xs), free(ys);
		return lfi_oom(err);
	}
	size_t k = 0, n_bnd = 0;
	for (size_t i = 0; i < r->n_rows; k++) {
		size_t j = i;
		while (j < r->n_rows && r->rows[j].entry == r->rows[i].entry) {
			xs[j] = r->rows[j].r.bytes;
			ys[j] = r->rows[j].r.busbw_gbs;
			j++;
		}
		const lf_sim_row *f = &r->rows[i];
		snprintf(labels[k], sizeof labels[k], "%s (%s), %s: %zu x %zu ranks",
		         lf_coll_name(f->r.coll), lf_algo_name(f->r.algo), lfi_comm_name(f->comm),
		         f->groups, f->r.ranks);
		ser[k] = (lfi_svg_series){ labels[k], j - i, xs + i, ys + i };
		char bl[160];
		double v = busbw_bound(pl, f, eff, bl, sizeof bl);
		int seen = v <= 0;
		for (size_t q = 0; q < n_bnd && !seen; q++)
			seen = fabs(bnd[q].y - v) < 1e-9 * v;
		if (!seen) {
			snprintf(blabels[n_bnd], sizeof blabels[n_bnd], "%s", bl);
			bnd[n_bnd] = (lfi_svg_hline){ blabels[n_bnd], v };
			n_bnd++;
		}
		i = j;
	}
	lfi_svg_lines(b, "Bus bandwidth versus message size (GB/s)", "busBW (GB/s)", ser, n_series,
	              bnd, n_bnd);
	free(ser), free(bnd), free(labels), free(blabels), free(xs), free(ys);

	/* the nccl-tests table, one per entry */
	for (size_t i = 0; i < r->n_rows;) {
		size_t j = i;
		while (j < r->n_rows && r->rows[j].entry == r->rows[i].entry)
			j++;
		const lf_sim_row *f = &r->rows[i];
		lfi_buf_printf(b, "<h3>%s, algorithm %s, communicator %s: %zu group(s) of %zu ranks</h3>\n",
		               lf_coll_name(f->r.coll), lf_algo_name(f->r.algo), lfi_comm_name(f->comm),
		               f->groups, f->r.ranks);
		lfi_buf_printf(b, "<table class=\"t sim-coll\" data-entry=\"%zu\"><tr>"
		               "<th class=\"n\">size (B)</th><th class=\"n\">count (elements)</th>"
		               "<th>type</th><th>redop</th><th class=\"n\">root</th>"
		               "<th class=\"n\">time (us)</th><th class=\"n\">algbw (GB/s)</th>"
		               "<th class=\"n\">busbw (GB/s)</th></tr>\n", f->entry);
		double sum = 0;
		for (size_t q = i; q < j; q++) {
			const lf_sim_row *w = &r->rows[q];
			int tb = w->dtype_bytes > 0 ? w->dtype_bytes : 4;
			const char *dt = w->dtype ? w->dtype : "float";
			lfi_buf_printf(b, "<tr data-size=\"%.10g\" data-time-us=\"%.10g\" data-algbw=\"%.10g\" "
			               "data-busbw=\"%.10g\"><td class=\"n\">%.0f</td><td class=\"n\">%.0f</td>",
			               w->r.bytes, w->r.time_us, w->r.algbw_gbs, w->r.busbw_gbs, w->r.bytes,
			               floor(w->r.bytes / tb));
			lfi_report_td_text(b, dt);
			lfi_buf_printf(b, "<td>%s</td><td class=\"n\">%d</td><td class=\"n\">%.2f</td>"
			               "<td class=\"n\">%.2f</td><td class=\"n\">%.2f</td></tr>\n",
			               redop_str(w->r.coll), w->r.coll == LF_COLL_BROADCAST ? 0 : -1,
			               w->r.time_us, w->r.algbw_gbs, w->r.busbw_gbs);
			sum += w->r.busbw_gbs;
		}
		lfi_buf_printf(b, "</table>\n<p class=\"notes\">Average bus bandwidth: %g GB/s.",
		               sum / (double)(j - i));
		const lf_sim_row *last = &r->rows[j - 1];
		if (last->r.n_top) {
			char sz[32];
			lfi_format_bytes(last->r.bytes, sz, sizeof sz);
			lfi_buf_printf(b, " Busiest links at %s:</p>\n", sz);
			char id[48];
			snprintf(id, sizeof id, "sim-links-%zu", f->entry);
			links_table(b, pl, last->r.top, last->r.n_top, NULL, id);
		} else {
			lfi_buf_puts(b, "</p>\n");
		}
		i = j;
	}
	return LF_OK;
}

static void sim_step(lfi_buf *b, const lf_sim_report *r)
{
	const lf_step *s = &r->step;
	char v[64];
	lfi_buf_printf(b, "<p class=\"sub\">Training step: TP %lld &times; PP %lld &times; DP %lld "
	               "(EP %lld) = %lld GPUs, %lld micro-batches, %.4g tokens per step.</p>\n"
	               "<div class=\"cards\">\n", (long long)s->tp, (long long)s->pp,
	               (long long)s->dp, (long long)s->ep, (long long)s->gpus,
	               (long long)s->micro_batches, s->tokens);
	lfi_report_card_real(b, "step_s", "step time", lfi_format_seconds(s->step_s, v, sizeof v), s->step_s);
	lfi_report_card_real(b, "pipeline_compute_s", "compute (with bubble)",
	          lfi_format_seconds(s->pipeline_compute_s, v, sizeof v), s->pipeline_compute_s);
	lfi_report_card_real(b, "comm_exposed_s", "communication exposed",
	          lfi_format_seconds(s->comm_exposed_s, v, sizeof v), s->comm_exposed_s);
	snprintf(v, sizeof v, "%.0f", s->tokens_per_s);
	lfi_report_card_real(b, "tokens_per_s", "tokens / s", v, s->tokens_per_s);
	snprintf(v, sizeof v, "%.1f%%", 100 * s->mfu);
	lfi_report_card_real(b, "mfu", "MFU", v, s->mfu);
	snprintf(v, sizeof v, "%.1f%%", 100 * s->hfu);
	lfi_report_card_real(b, "hfu", "HFU (recomputation counted)", v, s->hfu);
	char cap[32];
	lfi_format_bytes(s->mem.total_b, v, sizeof v);
	if (s->mem.capacity_b > 0) {
		lfi_format_bytes(s->mem.capacity_b, cap, sizeof cap);
		size_t k = strlen(v);
		snprintf(v + k, sizeof v - k, " of %s%s", cap,
		         s->mem.total_b > s->mem.capacity_b ? ": does not fit" : "");
	}
	lfi_report_card_real(b, "memory_bytes", "memory per GPU", v, s->mem.total_b);
	lfi_buf_puts(b, "</div>\n");

	/* the step is compute, the bubble and each kind's exposed time */
	lfi_svg_bar parts[7] = { { "compute", s->compute_s }, { "pipeline bubble", s->bubble_s } };
	size_t np = 2;
	if (s->tp_groups)
		parts[np++] = (lfi_svg_bar){ "TP, exposed", s->tp_exposed_s };
	if (s->pp_pairs)
		parts[np++] = (lfi_svg_bar){ "PP send/recv, exposed", s->pp_exposed_s };
	if (s->cp_groups)
		parts[np++] = (lfi_svg_bar){ r->training && r->training->cp_allgather
		                                     ? "CP all-gather, exposed"
		                                     : "CP ring attention, exposed",
		                             s->cp_exposed_s };
	if (s->ep_groups)
		parts[np++] = (lfi_svg_bar){ "EP all-to-all, exposed", s->ep_exposed_s };
	if (s->dp_groups)
		parts[np++] = (lfi_svg_bar){ "DP gradients, exposed", s->dp_exposed_s };
	lfi_svg_stack(b, "Step time breakdown, seconds", parts, np, "%.4f s");

	/* the memory of one GPU, against the GPU's */
	const lf_step_memory *mm = &s->mem;
	const double gib = 1024.0 * 1024 * 1024;
	lfi_svg_bar mem[5] = {
		{ "weights", mm->weights_b / gib }, { "gradients", mm->grads_b / gib },
		{ "optimizer state", mm->optimizer_b / gib },
		{ "activations in flight", mm->activations_b / gib },
		{ "logits", mm->logits_b / gib },
	};
	char title[160];
	if (mm->capacity_b > 0)
		snprintf(title, sizeof title, "Memory per GPU (stage %lld), GiB: %.1f of %.0f%s",
		         (long long)mm->stage, mm->total_b / gib, mm->capacity_b / gib,
		         mm->total_b > mm->capacity_b ? ", does not fit" : "");
	else
		snprintf(title, sizeof title, "Memory per GPU (stage %lld), GiB: %.1f",
		         (long long)mm->stage, mm->total_b / gib);
	lfi_svg_stack(b, title, mem, mm->logits_b > 0 ? 5 : 4, "%.2f GiB");

	lfi_comm_row k[5];
	size_t nk = lfi_step_comm_rows(r, k);
	lfi_svg_bar comm[5];
	for (size_t i = 0; i < nk; i++)
		comm[i] = (lfi_svg_bar){ k[i].name, k[i].exposed_s };
	if (nk)
		lfi_svg_hbars(b, "Exposed communication per kind, seconds", comm, nk, "%.4f s");
	lfi_buf_puts(b, "<table class=\"t\" id=\"sim-step-comm\"><tr><th>communication</th>"
	               "<th class=\"n\">size</th><th class=\"n\">count</th>"
	               "<th class=\"n\">groups</th><th class=\"n\">one operation</th>"
	               "<th class=\"n\">exposed per step</th></tr>\n");
	for (size_t i = 0; i < nk; i++) {
		char sz[32], a[32], c[32];
		lfi_format_bytes(k[i].bytes, sz, sizeof sz);
		lfi_buf_printf(b, "<tr data-kind=\"%s\" data-time-s=\"%.10g\" data-exposed-s=\"%.10g\">"
		               "<td>%s</td><td class=\"n\">%s</td><td class=\"n\">%lld%s</td>"
		               "<td class=\"n\">%lld</td><td class=\"n\">%s</td><td class=\"n\">%s</td>"
		               "</tr>\n", k[i].key, k[i].one_s, k[i].exposed_s, k[i].name, sz,
		               (long long)k[i].count, k[i].per, (long long)k[i].groups,
		               lfi_format_seconds(k[i].one_s, a, sizeof a),
		               lfi_format_seconds(k[i].exposed_s, c, sizeof c));
	}
	lfi_buf_puts(b, "</table>\n");
	if (s->dp_hidden_s > 0)
		lfi_buf_printf(b, "<p class=\"notes\">%s of the DP traffic is hidden behind compute "
		               "(gradient buckets reduced as the backward frees them).</p>\n",
		               lfi_format_seconds(s->dp_hidden_s, v, sizeof v));
	if (r->n_top) {
		lfi_buf_puts(b, "<p class=\"notes\">Busiest links over the step (busy time / step):</p>\n");
		links_table(b, r->plan, r->top, r->n_top, r->top_during, "sim-step-links");
	}
}

/* A traffic matrix: last flow, FCT percentiles, slowdown (docs/sim.md). */
static void sim_traffic(lfi_buf *b, const lf_sim_report *r)
{
	const lf_traffic_result *t = &r->traffic;
	char v[64];
	lfi_buf_printf(b, "<p class=\"sub\">Traffic: %s, %llu flows.%s</p>\n<div class=\"cards\">\n",
	               t->kind == LF_TRAFFIC_LIST ? (t->source ? "a CSV file" : "a list")
	                                         : lf_traffic_kind_name(t->kind),
	              (unsigned long long)t->flows,
	              r->cfg.route == LF_ROUTE_SPRAY && !(r->cfg.max_flow_rate > 0) &&
	              !(r->cfg.spray_efficiency > 0 && r->cfg.spray_efficiency < 1)
	              ? " Spray here is the fluid ideal (no reordering or loss)." : "");
	lfi_report_card_real(b, "last_s", "last flow finished", lfi_format_seconds(t->last_s, v, sizeof v),
	          t->last_s);
	lfi_report_card_real(b, "ideal_last_s", "every flow alone",
	          lfi_format_seconds(t->ideal_last_s, v, sizeof v), t->ideal_last_s);
	lfi_report_card_real(b, "fct_p50_s", "FCT p50", lfi_format_seconds(t->fct_p50_s, v, sizeof v),
	          t->fct_p50_s);
	lfi_report_card_real(b, "fct_p99_s", "FCT p99", lfi_format_seconds(t->fct_p99_s, v, sizeof v),
	          t->fct_p99_s);
	snprintf(v, sizeof v, "%.3f", t->slowdown_p99);
	lfi_report_card_real(b, "slowdown_p99", "slowdown p99", v, t->slowdown_p99);
	lfi_buf_puts(b, "</div>\n");
	links_table(b, r->plan, t->top, t->n_top, NULL, "sim-traffic-links");
}

lf_status lfi_report_sim_section(lfi_buf *b, const lf_sim_report *r, lf_error *err)
{
	const lf_sim_config *c = &r->cfg;
	lfi_buf_puts(b, "<section id=\"simulation\"><h2>Simulation</h2>\n<p class=\"sub\">Workload ");
	lfi_html_esc(b, r->workload ? r->workload : "");
	lfi_buf_printf(b, ": job of %lld GPUs on %lld servers in %d SU(s), %s; routing %s, seed %llu, "
	               "efficiency %.3g, latency %g us, failed links %d random + %zu listed.</p>\n",
	               (long long)r->job_gpus, (long long)r->job_servers, r->job_sus,
	               lfi_placement_name(r->placement), lf_route_name(c->route),
	               (unsigned long long)c->seed, c->efficiency > 0 ? c->efficiency : 1.0,
	               c->latency_us, c->failed_count, c->n_failed);
	lf_status st = LF_OK;
	if (r->has_step)
		sim_step(b, r);
	else if (r->has_traffic)
		sim_traffic(b, r);
	else if (r->n_rows)
		st = sim_collectives(b, r, err);
	if (st != LF_OK)
		return st;
	lfi_buf_printf(b, "<p class=\"notes\">%llu flows, %llu events.", (unsigned long long)r->flows,
	               (unsigned long long)r->events);
	if (r->notes[0]) {
		lfi_buf_puts(b, " ");
		lfi_html_esc(b, r->notes);
	}
	lfi_buf_puts(b, " The same numbers as <code>lightfab sim --json</code>.</p></section>\n");
	return LF_OK;
}
