/*
 * maxmin.c — incremental max-min fair allocation by progressive filling.
 *
 * Model (Bertsekas & Gallager, Data Networks, 6.5.2): every unfrozen flow's
 * rate rises together at "level" λ.  Link l carries frozen load F_l plus
 * λ·W_l, where W_l is the sum of the coefficients of the unfrozen flows on
 * it, so it saturates at λ_l = (c_l − F_l) / W_l.  Take the link with the
 * smallest λ_l, freeze its unfrozen flows at that λ, update F and W of the
 * other links those flows cross, repeat.  λ never decreases, and a link's
 * λ_l only rises as flows on it freeze (at levels <= λ_l), so a binary heap
 * holds each link once; a popped entry whose link's λ_l has risen since
 * goes back in at its current value: O((E + L) log L) for E flow-link
 * entries, with far fewer heap operations than one push per change.
 *
 * Incremental: adding or removing a flow, or changing a capacity, marks its
 * links dirty.  lfi_mmf_solve() re-fills only the connected component of the
 * flow-link graph reachable from dirty links; rates elsewhere cannot
 * change, because max-min rates of a component depend only on its own
 * flows and links.
 *
 * Only what can change is re-filled.  Progressive filling freezes flows in
 * rising order of level, and a flow f only loads its own links, whose
 * levels are all >= f's rate.  So removing f changes no freezing below
 * its rate: every flow slower than f keeps its rate (and every flow at
 * least as fast stays at least as fast).  Adding f is the same read
 * backwards, with f's new rate bounded below by cap/W on its narrowest
 * link.  A solve therefore re-fills only the flows at or above the
 * smallest such level (m->thr) reachable from a dirty link through such
 * flows, with the slower flows' loads fixed on their links.  In contended
 * ECMP traffic most finishing flows are fast and most flows slow, so a
 * finish touches a few flows instead of the whole connected component.
 *
 * Invariants (tested): no link above capacity; every flow has a saturated
 * link on which its rate is the largest (its bottleneck).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "heap.h"
#include "maxmin.h"

typedef struct entry { uint32_t link; uint32_t pos; double coeff; } entry;

/* The flows' entry arrays and the links' flow lists come from this pool:
 * power-of-two blocks carved from 1 MiB chunks, a free list per size.  A
 * 65,536-host fat tree has 524k channels and 131k flows; as many
 * malloc/free pairs took 13 % of its permutation, most of it in freeing. */
#define POOL_CHUNK ((size_t)1 << 20)
typedef struct pool {
	void *free_[40];        /* per log2 size: blocks returned */
	char *cur;              /* the chunk being carved, and what is left of it */
	size_t left;
	lfi_vec chunks;         /* every chunk, freed together */
} pool;

/* blocks this big come from malloc, not from a chunk */
static bool pool_big(size_t bytes)
{
	return bytes > POOL_CHUNK / 8;
}

static unsigned log2_up(size_t n)
{
	unsigned c = 4;   /* 16 bytes: room for the free list's pointer */
	while (((size_t)1 << c) < n)
		c++;
	return c;
}

/* a block of 2^c bytes (big ones straight from malloc), NULL when out of memory */
static void *pool_get(pool *p, unsigned c)
{
	size_t size = (size_t)1 << c;
	if (p->free_[c]) {
		void *b = p->free_[c];
		memcpy(&p->free_[c], b, sizeof(void *));
		return b;
	}
	if (pool_big(size))
		return malloc(size);
	if (p->left < size) {
		void **slot = lfi_vec_push(&p->chunks);
		if (!slot || !(*slot = malloc(POOL_CHUNK))) {
			if (slot)
				p->chunks.len--;
			return NULL;
		}
		p->cur = *slot;
		p->left = POOL_CHUNK;
	}
	void *b = p->cur;
	p->cur += size;
	p->left -= size;
	return b;
}

static void pool_put(pool *p, void *b, unsigned c)
{
	if (!b)
		return;
	if (pool_big((size_t)1 << c)) {
		free(b);
		return;
	}
	memcpy(b, &p->free_[c], sizeof(void *));
	p->free_[c] = b;
}
typedef struct ref { uint32_t flow, k; } ref;      /* flow and its entry index */

typedef struct flow {
	entry *e;
	uint32_t n, cap_e;      /* entries, and room for them in e */
	bool live;
	bool frozen;
	double rate;
	double max_rate;        /* cap on the rate (INFINITY: none) */
	bool fresh;             /* added since the last solve */
	uint32_t seen;          /* BFS epoch */
} flow;

typedef struct link {
	double cap;
	ref *f;                 /* flows crossing it */
	uint32_t n, cap_f;
	bool dirty;
	uint32_t seen;
	double wsum;            /* sum of the coefficients of its live flows */
	/* solve scratch */
	double frozen_load, w;
} link;

struct lfi_mmf {
	link *l;
	size_t n_links;
	flow *f;
	size_t n_flows, cap_flows;
	uint32_t *free_ids;
	size_t n_free;
	uint32_t epoch;
	/* the next solve re-fills only flows whose rate is at least thr (see
	 * the top of the file); fresh: flows added since the last solve */
	double thr;
	lfi_vec fresh;
	/* scratch */
	lfi_vec comp_links, comp_flows, heap, dirty;
	pool pool;
};

lf_status lfi_mmf_new(size_t n_links, const double *capacity, lfi_mmf **out, lf_error *err)
{
	lfi_mmf *m = calloc(1, sizeof *m);
	if (!m || !(m->l = lfi_calloc_big(n_links ? n_links : 1, sizeof *m->l))) {
		free(m);
		return lfi_oom(err);
	}
	m->n_links = n_links;
	for (size_t i = 0; i < n_links; i++)
		m->l[i].cap = capacity[i];
	lfi_vec_init(&m->comp_links, sizeof(uint32_t));
	lfi_vec_init(&m->comp_flows, sizeof(uint32_t));
	lfi_heap_init(&m->heap);   /* a link level (b 0) or a flow reaching its cap (b 1) */
	lfi_vec_init(&m->dirty, sizeof(uint32_t));
	lfi_vec_init(&m->fresh, sizeof(uint32_t));
	lfi_vec_init(&m->pool.chunks, sizeof(void *));
	if (!lfi_vec_reserve(&m->dirty, n_links ? n_links : 1)) {
		lfi_mmf_free(m);
		return lfi_oom(err);
	}
	m->thr = 0;
	*out = m;
	return LF_OK;
}

void lfi_mmf_free(lfi_mmf *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_links; i++)   /* the big ones came from malloc */
		if (pool_big((size_t)m->l[i].cap_f * sizeof(ref)))
			free(m->l[i].f);
	for (size_t i = 0; i < m->n_flows; i++)
		if (pool_big((size_t)m->f[i].cap_e * sizeof(entry)))
			free(m->f[i].e);
	for (size_t i = 0; i < m->pool.chunks.len; i++)
		free(((void **)m->pool.chunks.data)[i]);
	lfi_vec_release(&m->pool.chunks);
	free(m->l);
	free(m->f);
	free(m->free_ids);
	lfi_vec_release(&m->comp_links);
	lfi_vec_release(&m->comp_flows);
	lfi_vec_release(&m->heap);
	lfi_vec_release(&m->dirty);
	lfi_vec_release(&m->fresh);
	free(m);
}

/* m->dirty has room for every link (lfi_mmf_new), and a link is in it at
 * most once: marking cannot fail. */
static void mark_dirty(lfi_mmf *m, uint32_t l)
{
	if (m->l[l].dirty)
		return;
	((uint32_t *)m->dirty.data)[m->dirty.len++] = l;
	m->l[l].dirty = true;
}

lf_status lfi_mmf_add(lfi_mmf *m, const uint32_t *links, const double *coeff, size_t n,
                      uint32_t *id, lf_error *err)
{
	uint32_t fid;
	if (m->n_free) {
		fid = m->free_ids[--m->n_free];
	} else {
		if (m->n_flows == m->cap_flows) {
			size_t cap = m->cap_flows ? m->cap_flows * 2 : 1024;
			flow *nf = realloc(m->f, cap * sizeof *nf);
			uint32_t *ni = realloc(m->free_ids, cap * sizeof *ni);
			if (nf)
				m->f = nf;
			if (ni)
				m->free_ids = ni;
			if (!nf || !ni)
				return lfi_oom(err);
			m->cap_flows = cap;
		}
		fid = (uint32_t)m->n_flows++;
		memset(&m->f[fid], 0, sizeof m->f[fid]);
	}
	flow *f = &m->f[fid];
	entry *e = f->e;          /* a reused id keeps its entry array */
	uint32_t cap_e = f->cap_e;
	memset(f, 0, sizeof *f);
	if (!e || cap_e < n) {
		pool_put(&m->pool, e, log2_up(cap_e * sizeof *e));
		unsigned c = log2_up((n > 8 ? n : 8) * sizeof *e);
		cap_e = (uint32_t)(((size_t)1 << c) / sizeof *e);
		if (!(e = pool_get(&m->pool, c))) {
			f->e = NULL;
			f->cap_e = 0;
			return lfi_oom(err);
		}
	}
	f->e = e;
	f->cap_e = cap_e;
	for (size_t k = 0; k < n; k++) {
		link *l = &m->l[links[k]];
		if (l->n == l->cap_f) {
			uint32_t cap = l->cap_f ? l->cap_f * 2 : 4;
			ref *nr = pool_get(&m->pool, log2_up(cap * sizeof *nr));
			if (!nr)
				return lfi_oom(err);
			if (l->n)
				memcpy(nr, l->f, l->n * sizeof *nr);
			pool_put(&m->pool, l->f, log2_up(l->cap_f * sizeof *nr));
			l->f = nr;
			l->cap_f = cap;
		}
		f->e[k] = (entry){ links[k], l->n, coeff ? coeff[k] : 1.0 };
		l->wsum += f->e[k].coeff;
		l->f[l->n++] = (ref){ fid, (uint32_t)k };
		mark_dirty(m, links[k]);
	}
	f->n = (uint32_t)n;
	f->max_rate = INFINITY;
	f->live = true;
	f->fresh = n > 0;
	uint32_t *fr = n ? lfi_vec_push(&m->fresh) : NULL;
	if (n && !fr)
		return lfi_oom(err);
	if (fr)
		*fr = fid;
	f->rate = n ? 0 : INFINITY;
	*id = fid;
	return LF_OK;
}

void lfi_mmf_remove(lfi_mmf *m, uint32_t id)
{
	flow *f = &m->f[id];
	if (!f->live)
		return;
	if (!f->fresh && f->rate < m->thr)
		m->thr = f->rate;   /* flows slower than it keep their rates */
	f->fresh = false;       /* (a fresh flow is dropped from m->fresh at solve) */
	for (uint32_t k = 0; k < f->n; k++) {
		link *l = &m->l[f->e[k].link];
		l->wsum -= f->e[k].coeff;
		if (l->wsum < 1e-12)
			l->wsum = 0;
		uint32_t pos = f->e[k].pos;
		ref last = l->f[--l->n];
		l->f[pos] = last;
		m->f[last.flow].e[last.k].pos = pos;
		mark_dirty(m, f->e[k].link);
	}
	f->live = false;
	f->n = 0;
	f->rate = 0;
	m->free_ids[m->n_free++] = id;
}

void lfi_mmf_set_max_rate(lfi_mmf *m, uint32_t id, double max_rate)
{
	flow *f = &m->f[id];
	f->max_rate = max_rate > 0 ? max_rate : INFINITY;
	if (f->n)
		mark_dirty(m, f->e[0].link);
	if (!f->fresh)
		m->thr = 0;
}

void lfi_mmf_set_capacity(lfi_mmf *m, uint32_t li, double capacity)
{
	m->l[li].cap = capacity;
	m->thr = 0;
	mark_dirty(m, li);
}

/* A link's saturation level under the current frozen load and weight. */
static double link_key(const link *l)
{
	double key = (l->cap - l->frozen_load) / l->w;
	return key < 0 ? 0 : key;
}

LF_MUST static bool push_link(lfi_mmf *m, uint32_t li)
{
	link *l = &m->l[li];
	if (l->w <= 1e-12)
		return true;
	return lfi_heap_push(&m->heap, (lfi_heap_item){ link_key(l), li, 0 });
}

/* Freeze flow f at `level`: its load becomes fixed on every link it crosses.
 * A link's key (c - F)/W only rises when a flow on it freezes at a level
 * at or below that key, so links are not re-pushed here: a popped entry
 * is a lower bound, checked against the link's current key (below). */
static void freeze(lfi_mmf *m, flow *f, double level)
{
	f->frozen = true;
	f->rate = level;
	for (uint32_t j = 0; j < f->n; j++) {
		link *o = &m->l[f->e[j].link];
		o->frozen_load += level * f->e[j].coeff;
		o->w -= f->e[j].coeff;
		if (o->w < 1e-12)
			o->w = 0;
	}
}

/* Progressive filling over the links in comp_links and flows in comp_flows
 * from `first` on; false when out of memory. */
LF_MUST static bool fill(lfi_mmf *m, size_t first)
{
	size_t nl = m->comp_links.len, nf = m->comp_flows.len - first;
	uint32_t *cl = m->comp_links.data, *cf = (uint32_t *)m->comp_flows.data + first;
	m->heap.len = 0;
	for (size_t i = 0; i < nf; i++) {
		flow *f = &m->f[cf[i]];
		f->frozen = false;
		f->rate = 0;
		/* a capped flow freezes when the level reaches its cap */
		if (isfinite(f->max_rate) &&
		    !lfi_heap_push(&m->heap, (lfi_heap_item){ f->max_rate, cf[i], 1 }))
			return false;
	}
	for (size_t i = 0; i < nl; i++) {
		link *l = &m->l[cl[i]];
		l->frozen_load = 0;
		l->w = 0;
		/* flows of the component rise; the others (slower than the
		 * threshold) keep their rates */
		for (uint32_t k = 0; k < l->n; k++) {
			const flow *f = &m->f[l->f[k].flow];
			double c = f->e[l->f[k].k].coeff;
			if (f->seen == m->epoch)
				l->w += c;
			else
				l->frozen_load += f->rate * c;
		}
		if (!push_link(m, cl[i]))
			return false;
	}
	double level = 0;
	while (m->heap.len) {
		lfi_heap_item it = lfi_heap_pop(&m->heap);
		if (it.b) {
			flow *f = &m->f[it.a];
			if (!f->frozen)
				freeze(m, f, it.key > level ? (level = it.key) : level);
			continue;
		}
		link *l = &m->l[it.a];
		if (l->w <= 1e-12)
			continue;        /* saturated already, or every flow frozen elsewhere */
		double key = link_key(l);
		if (key > it.key) {
			/* its key rose since the push: back in at the current key */
			if (!lfi_heap_push(&m->heap, (lfi_heap_item){ key, it.a, 0 }))
				return false;
			continue;
		}
		if (key > level)
			level = key;
		for (uint32_t k = 0; k < l->n; k++) {
			flow *f = &m->f[l->f[k].flow];
			if (!f->frozen && f->seen == m->epoch)
				freeze(m, f, level);
		}
		l->w = 0;            /* saturated */
	}
	return true;
}

/* A flow re-filled by this solve: new, or at least the threshold (with a
 * relative margin, so float near-ties of a shared bottleneck stay in). */
static bool in_scope(const lfi_mmf *m, const flow *f)
{
	return f->fresh || f->rate >= m->thr * (1 - 1e-9);
}

LF_MUST static bool collect(lfi_mmf *m, uint32_t start)
{
	/* BFS over links and flows from one dirty link */
	m->comp_links.len = 0;
	uint32_t *p = lfi_vec_push(&m->comp_links);
	if (!p)
		return false;
	*p = start;
	m->l[start].seen = m->epoch;
	for (size_t q = 0; q < m->comp_links.len; q++) {
		link *l = &m->l[((uint32_t *)m->comp_links.data)[q]];
		for (uint32_t k = 0; k < l->n; k++) {
			uint32_t fid = l->f[k].flow;
			flow *f = &m->f[fid];
			if (f->seen == m->epoch || !in_scope(m, f))
				continue;
			f->seen = m->epoch;
			if (!(p = lfi_vec_push(&m->comp_flows)))
				return false;
			*p = fid;
			for (uint32_t j = 0; j < f->n; j++) {
				uint32_t o = f->e[j].link;
				if (m->l[o].seen == m->epoch)
					continue;
				m->l[o].seen = m->epoch;
				if (!(p = lfi_vec_push(&m->comp_links)))
					return false;
				*p = o;
			}
		}
	}
	return true;
}

lf_status lfi_mmf_solve(lfi_mmf *m, size_t *n_solved, lf_error *err)
{
	if (n_solved)
		*n_solved = 0;
	m->epoch++;
	/* A new flow's rate is at least cap/W on its narrowest link (W: the
	 * coefficients of every flow there): on its bottleneck it is the
	 * fastest, so cap <= rate x W.  Flows below every such bound, and below
	 * every removed flow's rate, keep their rates. */
	const uint32_t *fr = m->fresh.data;
	for (size_t i = 0; i < m->fresh.len; i++) {
		const flow *f = &m->f[fr[i]];
		if (!f->live || !f->fresh)
			continue;
		double lb = f->max_rate;
		for (uint32_t k = 0; k < f->n; k++) {
			const link *l = &m->l[f->e[k].link];
			double b = l->wsum > 0 ? l->cap / l->wsum : INFINITY;
			if (b < lb)
				lb = b;
		}
		if (lb < m->thr)
			m->thr = lb;
	}
	m->comp_flows.len = 0;
	uint32_t *d = m->dirty.data;
	for (size_t i = 0; i < m->dirty.len; i++) {
		uint32_t li = d[i];
		m->l[li].dirty = false;
		if (m->l[li].seen == m->epoch)
			continue;   /* already in a component filled this round */
		/* comp_flows accumulates over components: it is the changed set */
		size_t first = m->comp_flows.len;
		if (!collect(m, li) || !fill(m, first))
			return lfi_oom(err);
	}
	m->dirty.len = 0;
	for (size_t i = 0; i < m->fresh.len; i++)
		m->f[fr[i]].fresh = false;
	m->fresh.len = 0;
	m->thr = INFINITY;
	if (n_solved)
		*n_solved = m->comp_flows.len;
	return LF_OK;
}

lf_status lfi_mmf_solve_all(lfi_mmf *m, size_t *n_solved, lf_error *err)
{
	m->thr = 0;
	for (size_t i = 0; i < m->n_links; i++)
		mark_dirty(m, (uint32_t)i);
	return lfi_mmf_solve(m, n_solved, err);
}

double lfi_mmf_rate(const lfi_mmf *m, uint32_t id)
{
	return m->f[id].live ? m->f[id].rate : 0;
}

double lfi_mmf_link_load(const lfi_mmf *m, uint32_t li)
{
	const link *l = &m->l[li];
	double s = 0;
	for (uint32_t k = 0; k < l->n; k++) {
		const flow *f = &m->f[l->f[k].flow];
		s += f->rate * f->e[l->f[k].k].coeff;
	}
	return s;
}

const uint32_t *lfi_mmf_changed(const lfi_mmf *m, size_t *n)
{
	*n = m->comp_flows.len;
	return m->comp_flows.data;
}

size_t lfi_mmf_n_flows(const lfi_mmf *m)
{
	return m->n_flows - m->n_free;
}

uint32_t lfi_mmf_flow_len(const lfi_mmf *m, uint32_t id)
{
	return m->f[id].live ? m->f[id].n : 0;
}

void lfi_mmf_flow_entry(const lfi_mmf *m, uint32_t id, uint32_t k, uint32_t *li, double *coeff)
{
	*li = m->f[id].e[k].link;
	*coeff = m->f[id].e[k].coeff;
}
