/*
 * a2a_rounds.c — the pairwise all-to-all above LF_A2A_PHASES ranks in
 * rounds, without events (sim.c's header: the model, its error against the
 * event engine, what was tried).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"


/* the larger of a and b (inlined; no NaN here, infinities compare) */
static inline double maxd(double a, double b)
{
	return a > b ? a : b;
}

/* The pairwise all-to-all's rounds without events (src/sim/sim.c's header).
 * Rank i starts round k when its own round k-1 send and its round k-1
 * receive (from rank i-k+1) are done, as the event-driven forms have it.
 * Its flow's contention is seen two ways from the round's load W on each
 * channel (the summed coefficients of the round's flows there), each with
 * its own start times:
 *   together: the flow takes each x max over its channels of W / cap, the
 *             round's time if its flows started at once (exact then);
 *   queued:   each channel works through its rounds in turn, round k's W
 *             x each bytes from max(its end of round k-1, the round's first
 *             start there); the flow ends when its last channel is done.
 * The all-to-all takes the mean of the two ends. */
lf_status lfi_sim_add_pairwise_phases(lf_sim *s, const int64_t *g, size_t n, double each,
                                      const uint32_t *deps, size_t n_deps, uint32_t *done,
                                      lf_error *err)
{
	if (n < 2)
		return lfi_sim_add_barrier(s, deps, n_deps, done, err);
	LF_TRY(lfi_sim_a2a_size(n, err));
	for (size_t i = 0; i < n; i++)
		LF_TRY(lfi_sim_gpu_pair(s, g[i], g[(i + 1) % n], err));
	uint32_t id;
	LF_TRY(lfi_sim_add_flow_raw(s, 0, 0, 0, true, deps, n_deps, &id, err));
	uint32_t *slot = malloc(s->n_chan * sizeof *slot);    /* channel -> its slot */
	double *busy = calloc(s->n_chan, sizeof *busy);       /* queued: channel's work done */
	uint32_t *off = malloc((n + 1) * sizeof *off);
	/* per rank and view (0 together, 1 queued): its last send done, this round's */
	double *done_at = calloc(4 * n, sizeof *done_at), *start = malloc(2 * n * sizeof *start);
	lfi_vec hops, touched, load, first;
	lfi_vec_init(&hops, sizeof(uint32_t));
	lfi_vec_init(&touched, sizeof(uint32_t));
	lfi_vec_init(&load, sizeof(double));    /* per slot: W, then W / cap */
	lfi_vec_init(&first, sizeof(double));   /* per slot: queued, first start, then end */
	lf_status st = slot && busy && off && done_at && start ? LF_OK : lfi_oom(err);
	if (slot)
		memset(slot, 0xff, s->n_chan * sizeof *slot);
	double eff = s->cfg.spray_efficiency, lead = INFINITY;
	double floor_s = s->cfg.max_flow_rate > 0 ? each / s->cfg.max_flow_rate : 0;
	double *prev = done_at, *cur = done_at + 2 * n;
	for (size_t k = 1; k < n && st == LF_OK; k++) {
		if (s->cfg.cancel && s->cfg.cancel(s->cfg.cancel_ctx)) {
			st = lfi_fail(err, LF_ELIMIT, NULL, 0, 0, "simulation cancelled");
			break;
		}
		hops.len = touched.len = 0;
		for (size_t i = 0; i < n; i++) {
			sflow *f = LF_VEC_AT(&s->flows, sflow, id);   /* routed as this pair */
			f->a = g[i];
			f->b = g[(i + k) % n];
			size_t from = (i + n - (k - 1)) % n;          /* its round k-1 receive */
			double lat = lfi_sim_latency_s(s, f->a, f->b);
			for (int v = 0; v < 2; v++)
				start[2 * i + v] = (k == 1 ? 0 : maxd(prev[2 * i + v], prev[2 * from + v])) +
				                   lat;
			if (k == 1 && lat < lead)
				lead = lat;
			off[i] = (uint32_t)hops.len;
			if (!lfi_sim_route(s, id) || !lfi_vec_reserve(&hops, hops.len + s->path.len) ||
			    !lfi_vec_reserve(&touched, touched.len + s->path.len) ||
			    !lfi_vec_reserve(&load, touched.len + s->path.len) ||
			    !lfi_vec_reserve(&first, touched.len + s->path.len)) {
				st = lfi_oom(err);
				break;
			}
			const uint32_t *p = s->path.data;
			const double *c = s->coeff.data;
			/* what spraying loses, as start_flow has it */
			bool nvlink = s->path.len && p[0] >= s->nvl_base && p[0] < s->trunk_base;
			double scale = s->cfg.route == LF_ROUTE_SPRAY && !nvlink && eff > 0 && eff < 1 ?
			               1 / eff : 1;
			double *w = load.data, *fs = first.data;
			for (size_t j = 0; j < s->path.len; j++) {
				uint32_t sl = slot[p[j]];
				if (sl == UINT32_MAX) {
					sl = slot[p[j]] = (uint32_t)touched.len;
					w[sl] = 0;
					fs[sl] = start[2 * i + 1];
					((uint32_t *)touched.data)[touched.len++] = p[j];
				}
				w[sl] += c[j] * scale;
				if (start[2 * i + 1] < fs[sl])
					fs[sl] = start[2 * i + 1];
				((uint32_t *)hops.data)[hops.len++] = p[j];
			}
		}
		if (st != LF_OK)
			break;
		off[n] = (uint32_t)hops.len;
		const uint32_t *h = hops.data, *th = touched.data;
		double *w = load.data, *fs = first.data;
		for (size_t j = 0; j < touched.len; j++) {
			s->chan_bytes[th[j]] += w[j] * each;
			w[j] = w[j] / s->cap[th[j]];   /* inf: a failed link, no path */
			fs[j] = busy[th[j]] = maxd(busy[th[j]], fs[j]) + each * w[j];
		}
		size_t stuck = 0;
		for (size_t i = 0; i < n; i++) {
			double t = floor_s, q = start[2 * i + 1] + floor_s;
			for (uint32_t j = off[i]; j < off[i + 1]; j++) {
				uint32_t sl = slot[h[j]];
				t = maxd(t, each * w[sl]);
				q = maxd(q, fs[sl]);
			}
			stuck += !isfinite(t);
			cur[2 * i] = start[2 * i] + t;
			cur[2 * i + 1] = q;
		}
		for (size_t j = 0; j < touched.len; j++)
			slot[th[j]] = UINT32_MAX;
		if (stuck) {
			st = lfi_fail(err, LF_EINPUT, NULL, 0, 0, "%zu flows of round %zu of an "
			              "all-to-all never finished: a failed link left them no path",
			              stuck, k);
			break;
		}
		double *sw = prev;
		prev = cur;
		cur = sw;
	}
	double end[2] = { 0, 0 };
	for (size_t i = 0; i < n && st == LF_OK; i++)
		for (int v = 0; v < 2; v++)
			end[v] = maxd(end[v], prev[2 * i + v]);
	free(slot);
	free(busy);
	free(off);
	free(done_at);
	free(start);
	lfi_vec_release(&hops);
	lfi_vec_release(&touched);
	lfi_vec_release(&load);
	lfi_vec_release(&first);
	sflow *f = LF_VEC_AT(&s->flows, sflow, id);
	f->a = f->b = 0;
	if (st != LF_OK)
		return st;
	f->delay = true;
	f->latency_s = (end[0] + end[1]) / 2;
	f->lead_s = lead;
	/* the n(n-1) flows of the event-driven forms, done by the delay */
	s->extra_flows += (uint64_t)n * (n - 1) - 1;
	s->n_done += (uint64_t)n * (n - 1) - 1;
	*done = id;
	return LF_OK;
}
