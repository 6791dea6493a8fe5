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
	/* per channel, 16 bytes so a fabric's channels stay in cache: the
	 * round's load W (then W / cap) and the queued view's first start
	 * (then end; +inf: not touched this round); its work done apart */
	typedef struct rchan { double w, fs; } rchan;
	rchan *rc = malloc(s->n_chan * sizeof *rc);
	double *busy = calloc(s->n_chan, sizeof *busy);
	for (size_t c = 0; rc && c < s->n_chan; c++)
		rc[c] = (rchan){ 0, INFINITY };
	uint32_t *off = malloc((n + 1) * sizeof *off);
	/* per rank and view (0 together, 1 queued): its last send done, this round's */
	double *done_at = calloc(4 * n, sizeof *done_at), *start = malloc(2 * n * sizeof *start);
	lfi_vec hops, touched;
	lfi_vec_init(&hops, sizeof(uint32_t));
	lfi_vec_init(&touched, sizeof(uint32_t));
	lf_status st = rc && busy && off && done_at && start ? LF_OK : lfi_oom(err);
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
			    !lfi_vec_reserve(&touched, touched.len + s->path.len)) {
				st = lfi_oom(err);
				break;
			}
			const uint32_t *p = s->path.data;
			const double *c = s->coeff.data;
			/* what spraying loses, as start_flow has it */
			bool nvlink = s->path.len && p[0] >= s->nvl_base && p[0] < s->trunk_base;
			double scale = s->cfg.route == LF_ROUTE_SPRAY && !nvlink && eff > 0 && eff < 1 ?
			               1 / eff : 1;
			double q0 = start[2 * i + 1];
			uint32_t *hp = (uint32_t *)hops.data + hops.len;
			for (size_t j = 0; j < s->path.len; j++) {
				rchan *r = &rc[p[j]];
				if (r->fs == INFINITY)
					((uint32_t *)touched.data)[touched.len++] = p[j];
				r->w += c[j] * scale;
				if (q0 < r->fs)
					r->fs = q0;
				hp[j] = p[j];
			}
			hops.len += s->path.len;
		}
		if (st != LF_OK)
			break;
		off[n] = (uint32_t)hops.len;
		/* close the round per channel: in channel order when most were
		 * touched (streams the arrays), else through the touched list */
		bool scan = touched.len * 4 > s->n_chan;
		size_t m = scan ? s->n_chan : touched.len;
		const uint32_t *th = touched.data;
		for (size_t j = 0; j < m; j++) {
			size_t ch = scan ? j : th[j];
			rchan *r = &rc[ch];
			if (r->fs == INFINITY)
				continue;
			s->chan_bytes[ch] += r->w * each;
			r->w = r->w / s->cap[ch];   /* inf: a failed link, no path */
			r->fs = busy[ch] = maxd(busy[ch], r->fs) + each * r->w;
		}
		const uint32_t *h = hops.data;
		size_t stuck = 0;
		for (size_t i = 0; i < n; i++) {
			double t = floor_s, q = start[2 * i + 1] + floor_s;
			for (uint32_t j = off[i]; j < off[i + 1]; j++) {
				const rchan *r = &rc[h[j]];
				t = maxd(t, each * r->w);
				q = maxd(q, r->fs);
			}
			stuck += !isfinite(t);
			cur[2 * i] = start[2 * i] + t;
			cur[2 * i + 1] = q;
		}
		for (size_t j = 0; j < m; j++) {
			size_t ch = scan ? j : th[j];
			rc[ch] = (rchan){ 0, INFINITY };
		}
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
	free(rc);
	free(busy);
	free(off);
	free(done_at);
	free(start);
	lfi_vec_release(&hops);
	lfi_vec_release(&touched);
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
