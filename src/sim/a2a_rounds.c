/*
 * a2a_rounds.c — the pairwise all-to-all above LF_A2A_PHASES ranks in
 * rounds, without events (sim.c's header: the model, its error against the
 * event engine, what was tried).
 *
 * Two stages, pipelined over two threads when lf_sim_config.threads allows:
 * the router routes rounds k+1 .. k+A2A_DEPTH (the flows' channels,
 * coefficients and latencies) while the timer times round k from its
 * load.  The router only reads the fabric and writes its own scratch (the
 * lf_sim's path vectors, which nothing else uses meanwhile); the timer
 * owns the channel state.
 * Each round is computed by the same code in the same order either way, so
 * the result is the same bit for bit with one thread or two.
 */
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine.h"


/* the larger of a and b (inlined; no NaN here, infinities compare) */
static inline double maxd(double a, double b)
{
	return a > b ? a : b;
}

/* one routed round: flow i (rank i to rank i + k) crosses hops[off[i]..
 * off[i+1]) with coefficients coef (spraying's loss folded in), after its
 * start latency lat[i] */
typedef struct round_buf {
	lfi_vec hops, coef;
	uint32_t *off;
	double *lat;
} round_buf;

/* a buffer on cache lines of its own: the router fills one while the
 * timer reads the other (sharing a line made them fight over it) */
typedef struct { _Alignas(64) round_buf b; } round_slot;

/* rounds routed ahead of the timer at most: a few, so that one slow round
 * of either stage does not stall the other */
#define A2A_DEPTH 4

typedef struct router {
	lf_sim *s;
	const int64_t *g;
	size_t n;
	uint32_t id;                 /* the flow record routed as each pair */
	round_slot buf[A2A_DEPTH];   /* round k in buf[k % A2A_DEPTH] */
	/* the hand-off, when threaded: rounds routed and timed so far; stop:
	 * the timer gave up (error or cancel); st: the router's failure */
	_Alignas(64) pthread_mutex_t mu;
	pthread_cond_t cv;
	size_t routed, timed;
	bool stop;
	lf_status st;
} router;

/* route round k into b (false: out of memory) */
static bool route_round(router *r, size_t k, round_buf *b)
{
	lf_sim *s = r->s;
	size_t n = r->n;
	b->hops.len = b->coef.len = 0;
	for (size_t i = 0; i < n; i++) {
		sflow *f = LF_VEC_AT(&s->flows, sflow, r->id);   /* routed as this pair */
		f->a = r->g[i];
		f->b = r->g[(i + k) % n];
		b->lat[i] = lfi_sim_latency_s(s, f->a, f->b);
		b->off[i] = (uint32_t)b->hops.len;
		if (!lfi_sim_route(s, r->id) || !lfi_vec_reserve(&b->hops, b->hops.len + s->path.len) ||
		    !lfi_vec_reserve(&b->coef, b->coef.len + s->path.len))
			return false;
		const uint32_t *p = s->path.data;
		const double *c = s->coeff.data;
		double scale = lfi_sim_spray_loses(s) ? 1 / s->cfg.spray_efficiency : 1;
		uint32_t *hp = (uint32_t *)b->hops.data + b->hops.len;
		double *cp = (double *)b->coef.data + b->coef.len;
		for (size_t j = 0; j < s->path.len; j++) {
			hp[j] = p[j];
			cp[j] = c[j] * scale;
		}
		b->hops.len += s->path.len;
		b->coef.len += s->path.len;
	}
	b->off[n] = (uint32_t)b->hops.len;
	return true;
}

/* the router's thread: rounds 1..n-1, each into a buffer the timer is done with */
static void *router_main(void *arg)
{
	router *r = arg;
	for (size_t k = 1; k < r->n; k++) {
		pthread_mutex_lock(&r->mu);
		while (!r->stop && r->timed + A2A_DEPTH < k)   /* its buffer holds round k - depth */
			pthread_cond_wait(&r->cv, &r->mu);
		bool stop = r->stop;
		pthread_mutex_unlock(&r->mu);
		if (stop)
			break;
		bool ok = route_round(r, k, &r->buf[k % A2A_DEPTH].b);
		pthread_mutex_lock(&r->mu);
		if (ok)
			r->routed = k;
		else
			r->st = LF_ENOMEM;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (!ok)
			break;
	}
	return NULL;
}

/* threaded: wait for round k (false: the router failed) */
static bool await_round(router *r, size_t k)
{
	pthread_mutex_lock(&r->mu);
	while (r->routed < k && r->st == LF_OK)
		pthread_cond_wait(&r->cv, &r->mu);
	bool ok = r->routed >= k;
	pthread_mutex_unlock(&r->mu);
	return ok;
}

static void round_done(router *r, size_t k, bool stop)
{
	pthread_mutex_lock(&r->mu);
	r->timed = k;
	r->stop |= stop;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
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
	router r = { .s = s, .g = g, .n = n, .id = id };
	/* per channel, 16 bytes so a fabric's channels stay in cache: the
	 * round's load W (then W / cap) and the queued view's first start
	 * (then end; +inf: not touched this round); its work done apart */
	typedef struct rchan { double w, fs; } rchan;
	rchan *rc = lfi_calloc_big(s->n_chan, sizeof *rc);
	double *busy = lfi_calloc_big(s->n_chan, sizeof *busy);
	for (size_t c = 0; rc && c < s->n_chan; c++)
		rc[c] = (rchan){ 0, INFINITY };
	/* per rank and view (0 together, 1 queued): its last send done, this round's */
	double *done_at = calloc(4 * n, sizeof *done_at), *start = malloc(2 * n * sizeof *start);
	lfi_vec touched;
	lfi_vec_init(&touched, sizeof(uint32_t));
	bool ok = rc && busy && done_at && start && lfi_vec_reserve(&touched, s->n_chan);
	for (int b = 0; b < A2A_DEPTH; b++) {
		round_buf *rb = &r.buf[b].b;
		lfi_vec_init(&rb->hops, sizeof(uint32_t));
		lfi_vec_init(&rb->coef, sizeof(double));
		rb->off = malloc((n + 1) * sizeof *rb->off);
		rb->lat = malloc(n * sizeof *rb->lat);
		ok = ok && rb->off && rb->lat;
	}
	lf_status st = ok ? LF_OK : lfi_oom(err);
	int threads = s->cfg.threads ? s->cfg.threads : sysconf(_SC_NPROCESSORS_ONLN) > 1 ? 2 : 1;
	bool threaded = false;
	pthread_t tid;
	if (st == LF_OK && threads > 1 && n > 2) {
		pthread_mutex_init(&r.mu, NULL);
		pthread_cond_init(&r.cv, NULL);
		threaded = pthread_create(&tid, NULL, router_main, &r) == 0;
		if (!threaded) {
			pthread_mutex_destroy(&r.mu);
			pthread_cond_destroy(&r.cv);
		}
	}
	double lead = INFINITY;
	double floor_s = s->cfg.max_flow_rate > 0 ? each / s->cfg.max_flow_rate : 0;
	/* the timer reads the engine through locals only: the router keeps
	 * writing its routing scratch in *s, and a shared cache line would
	 * bounce between the two cores on every access */
	size_t n_chan = s->n_chan;
	double *chan_bytes = s->chan_bytes;
	const double *cap = s->cap;
	double *prev = done_at, *cur = done_at + 2 * n;
	for (size_t k = 1; k < n && st == LF_OK; k++) {
		round_buf *b = &r.buf[k % A2A_DEPTH].b;
		if (threaded ? !await_round(&r, k) : !route_round(&r, k, b)) {
			st = lfi_oom(err);
			break;
		}
		touched.len = 0;
		const uint32_t *h = b->hops.data, *off = b->off;
		const double *c = b->coef.data, *lat = b->lat;
		for (size_t i = 0; i < n; i++) {
			size_t from = (i + n - (k - 1)) % n;          /* its round k-1 receive */
			for (int v = 0; v < 2; v++)
				start[2 * i + v] = (k == 1 ? 0 : maxd(prev[2 * i + v], prev[2 * from + v])) +
				                   lat[i];
			if (k == 1 && lat[i] < lead)
				lead = lat[i];
			double q0 = start[2 * i + 1];
			for (uint32_t j = off[i]; j < off[i + 1]; j++) {
				rchan *rq = &rc[h[j]];
				if (rq->fs == INFINITY)
					((uint32_t *)touched.data)[touched.len++] = h[j];
				rq->w += c[j];
				if (q0 < rq->fs)
					rq->fs = q0;
			}
		}
		/* close the round per channel: in channel order when most were
		 * touched (streams the arrays), else through the touched list */
		bool scan = touched.len * 4 > n_chan;
		size_t m = scan ? n_chan : touched.len;
		const uint32_t *th = touched.data;
		for (size_t j = 0; j < m; j++) {
			size_t ch = scan ? j : th[j];
			rchan *rq = &rc[ch];
			if (rq->fs == INFINITY)
				continue;
			chan_bytes[ch] += rq->w * each;
			rq->w = rq->w / cap[ch];   /* inf: a failed link, no path */
			rq->fs = busy[ch] = maxd(busy[ch], rq->fs) + each * rq->w;
		}
		size_t stuck = 0;
		for (size_t i = 0; i < n; i++) {
			double t = floor_s, q = start[2 * i + 1] + floor_s;
			for (uint32_t j = off[i]; j < off[i + 1]; j++) {
				const rchan *rq = &rc[h[j]];
				t = maxd(t, each * rq->w);
				q = maxd(q, rq->fs);
			}
			stuck += !isfinite(t);
			cur[2 * i] = start[2 * i] + t;
			cur[2 * i + 1] = q;
		}
		for (size_t j = 0; j < m; j++) {
			size_t ch = scan ? j : th[j];
			rc[ch] = (rchan){ 0, INFINITY };
		}
		if (!stuck && s->cfg.cancel && s->cfg.cancel(s->cfg.cancel_ctx))
			st = lfi_fail(err, LF_ELIMIT, NULL, 0, 0, "simulation cancelled");
		else if (stuck)
			st = lfi_fail(err, LF_EINPUT, NULL, 0, 0, "%zu flows of round %zu of an "
			              "all-to-all never finished: a failed link left them no path",
			              stuck, k);
		if (threaded)
			round_done(&r, k, st != LF_OK);
		double *sw = prev;
		prev = cur;
		cur = sw;
	}
	if (threaded) {
		round_done(&r, r.timed, true);   /* an early stop: the router may wait */
		pthread_join(tid, NULL);
		pthread_mutex_destroy(&r.mu);
		pthread_cond_destroy(&r.cv);
	}
	double end[2] = { 0, 0 };
	for (size_t i = 0; i < n && st == LF_OK; i++)
		for (int v = 0; v < 2; v++)
			end[v] = maxd(end[v], prev[2 * i + v]);
	free(rc);
	free(busy);
	free(done_at);
	free(start);
	lfi_vec_release(&touched);
	for (int b = 0; b < A2A_DEPTH; b++) {
		lfi_vec_release(&r.buf[b].b.hops);
		lfi_vec_release(&r.buf[b].b.coef);
		free(r.buf[b].b.off);
		free(r.buf[b].b.lat);
	}
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
