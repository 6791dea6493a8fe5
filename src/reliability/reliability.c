/*
 * reliability.c — `lightfab reliability`: what breaks, how often a job is
 * interrupted, how much goodput checkpointing leaves, how many spares.
 *
 * Rates.  Every part has a constant failure rate λ in FIT (failures per
 * 10^9 device-hours); failures are independent Poisson processes.  A part's
 * FIT comes from, in this order:
 *   1. the params file's `sku:` entry for its SKU (the user's override),
 *   2. the catalog entry's `fit:` when non-zero,
 *   3. the params file's class default (`fit:` section),
 *   4. the built-in class default below (each cites its source or says it
 *      is an assumption: public per-module FIT data is a known gap).
 * Each item reports which of the four it used and the citation.
 *
 * Cluster failures.  Parts are counted from the plan's BOM (switches,
 * transceivers by SKU, cables, fibre patch cords) plus one NIC per
 * scale-out port and the servers themselves (FIT 0 by default: GPU and host
 * failures are not the network).  Expected failures per day =
 * Σ count·FIT·24/10^9; per month uses 365.25/12 days.
 *
 * The job.  A job of N GPUs runs on ceil(N / GPUs per server) servers taken
 * in SU order.  Its paths hold:
 *   - its servers' NICs and their server-leaf links: the module or cable at
 *     each end (counted per cage, like the BOM) and the fibre;
 *   - the leaves those links reach;
 *   - when the job spans more than one SU: every uplink of those leaves
 *     (modules, cables, fibres) and the spines they reach (striping makes
 *     that every spine of the pods involved).  Inside one SU traffic stays
 *     on the leaves (rail-optimized: cross-rail traffic goes over NVLink);
 *   - when it spans more than one pod (3 tiers): every uplink of those
 *     spines and the cores they reach (assumption: a pod-spanning job's
 *     collectives touch every core of the groups above its spines).
 * Any failure of a part on the paths interrupts the job (a series system:
 * λ_job = Σ λ_i, MTTF = 1/λ_job), except for redundancy:
 *   - Planes.  With P >= 2 planes, a part whose links all lie in one plane
 *     (a switch, a link's fibre, a module or cable whose cage carries one
 *     plane only) is not in series: the job survives it at reduced
 *     bandwidth on the other planes.  It is interrupted only when a second
 *     plane loses a part while the first is under repair (repair_time R):
 *         λ_overlap = R · Σ_p λ_p · Σ_{q≠p} λ_q = R · ((Σ_p λ_p)^2 − Σ_p λ_p^2)
 *     (first order in λR; conservative: it treats any two failures in two
 *     planes as fatal even when they hit different servers).  A module
 *     whose cage carries two planes, and the NIC, stay in series.
 *   - Dual-homing (fabric dual_homed, one plane).  Each NIC port's links
 *     go to the two leaves of a pair: the redundancy groups are the two
 *     homes instead of planes.  A leaf, its cages and the fibres and modules
 *     of links that carry one home are covered by the other home; the same
 *     overlap rate applies over the two homes.  Spines and above, the NIC
 *     and a server module whose cage carries both homes stay in series.
 *     With P >= 2 planes the planes are the groups (dual-homing is then
 *     not credited again: conservative).
 *   - Link flaps (params link_flap, per link) on series links interrupt the
 *     job; flaps of one-plane links are transient and covered by the other
 *     planes.  Flaps need no spares.
 *
 * Checkpointing (Young 1974, Daly 2006).  With checkpoint time δ, restart
 * time R and job MTTF M: Young's interval τ = √(2δM); Daly's higher-order
 * interval τ = √(2δM)·(1 + √(δ/2M)/3 + (δ/2M)/9) − δ for δ < 2M, else M.
 * Goodput (useful fraction of wall time) with exponential failures:
 *     G(τ) = τ / (M·e^(R/M)·(e^((τ+δ)/M) − 1))
 *
 * Spares.  Failures of one SKU over the replenishment lead time L are
 * Poisson with mean μ = count·λ·L; the stock is the least k with
 * P(X <= k) >= fill_rate (the Poisson quantile).
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media.h"
#include "reliability.h"


/* ------------------------------------------------------------ closed forms */

double lf_poisson_cdf(int64_t k, double mean)
{
	if (k < 0)
		return 0;
	if (mean <= 0)
		return 1;
	/* sum the terms in log space so e^-mean cannot underflow */
	double sum = 0, lt = -mean;
	for (int64_t i = 0; i <= k; i++) {
		if (i > 0)
			lt += log(mean) - log((double)i);
		sum += exp(lt);
		if (i > mean && exp(lt) < 1e-18 * sum)
			break;
	}
	return sum > 1 ? 1 : sum;
}

int64_t lf_poisson_quantile(double mean, double p)
{
	if (mean <= 0 || p <= 0)
		return 0;
	if (p >= 1)
		p = 1 - 1e-12;
	if (mean > 1e6) {
		/* normal approximation with continuity correction; the sum would be slow */
		double lo = 0, hi = 40;   /* bisection for the standard normal quantile */
		for (int i = 0; i < 200; i++) {
			double z = (lo + hi) / 2 - 20;
			if (0.5 * erfc(-z / sqrt(2)) < p)
				lo = (lo + hi) / 2;
			else
				hi = (lo + hi) / 2;
		}
		double z = (lo + hi) / 2 - 20;
		return (int64_t)ceil(mean + z * sqrt(mean) - 0.5);
	}
	double sum = 0, lt = -mean;
	for (int64_t k = 0;; k++) {
		if (k > 0)
			lt += log(mean) - log((double)k);
		sum += exp(lt);
		if (sum >= p - 1e-12)
			return k;
		if (k > mean + 50 * sqrt(mean) + 50)
			return k;   /* p within rounding of 1 */
	}
}

double lf_young_interval(double checkpoint, double mttf)
{
	return sqrt(2 * checkpoint * mttf);
}

double lf_daly_interval(double checkpoint, double mttf)
{
	if (checkpoint >= 2 * mttf)
		return mttf;
	double x = checkpoint / (2 * mttf);
	return sqrt(2 * checkpoint * mttf) * (1 + sqrt(x) / 3 + x / 9) - checkpoint;
}

double lf_checkpoint_goodput(double tau, double checkpoint, double restart, double mttf)
{
	if (mttf <= 0 || tau <= 0)
		return 0;
	double wall = mttf * exp(restart / mttf) * expm1((tau + checkpoint) / mttf);
	return wall > 0 ? tau / wall : 0;
}

/* ------------------------------------------------------------------ classes */

const char *lf_rel_class_name(lf_rel_class c)
{
	static const char *const n[] = {
		"transceiver-vcsel", "transceiver-eml", "transceiver-siph-cw", "transceiver-dml",
		"transceiver-other", "aoc", "dac", "acc", "aec", "fibre", "switch", "nic", "server"
	};
	return (unsigned)c < LF_ARRAY_LEN(n) ? n[c] : "?";
}

static lf_rel_class optic_class(const lf_optic *o)
{
	switch (o->kind) {
	case LF_OPTIC_AOC: return LF_RC_AOC;
	case LF_OPTIC_DAC: return LF_RC_DAC;
	case LF_OPTIC_ACC: return LF_RC_ACC;
	case LF_OPTIC_AEC: return LF_RC_AEC;
	case LF_OPTIC_TRANSCEIVER: break;
	case LF_OPTIC_ELS: break;   /* CW lasers: the siph-cw class */
	}
	switch (o->laser) {
	case LF_LASER_VCSEL: return LF_RC_XCVR_VCSEL;
	case LF_LASER_EML: return LF_RC_XCVR_EML;
	case LF_LASER_SIPH_CW: return LF_RC_XCVR_SIPH_CW;
	case LF_LASER_DML: return LF_RC_XCVR_DML;
	case LF_LASER_NONE: break;
	}
	return LF_RC_XCVR_OTHER;
}

/* ------------------------------------------------------------------- result */

typedef struct rel_impl {
	lf_reliability pub;
	lfi_arena arena;
} rel_impl;

void lf_reliability_free(lf_reliability *r)
{
	if (!r)
		return;
	rel_impl *ri = (rel_impl *)r;
	free(r->items);
	lfi_arena_release(&ri->arena);
	free(ri);
}

static void note(lf_reliability *r, const char *fmt, ...) LF_PRINTF(2, 3);
static void note(lf_reliability *r, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lfi_notes_vadd(r->notes, sizeof r->notes, fmt, ap);
	va_end(ap);
}

/* Find or add the item for (cls, sku). */
static lf_rel_item *item_for(lfi_vec *v, lf_rel_class cls, const char *sku, const char *name)
{
	for (size_t i = 0; i < v->len; i++) {
		lf_rel_item *it = LF_VEC_AT(v, lf_rel_item, i);
		if (it->cls == cls && strcmp(it->sku, sku) == 0)
			return it;
	}
	lf_rel_item *it = lfi_vec_push(v);
	if (it) {
		it->cls = cls;
		it->sku = sku;
		it->name = name ? name : sku;
	}
	return it;
}

/* The FIT of one item, following the order at the top of this file. */
static lf_status resolve_rate(rel_impl *ri, const lf_reliability_params *p, lf_rel_item *it,
                              double catalog_fit, const lf_pos *cat_pos, lf_error *err)
{
	it->lead_time_h = p->lead_time_h;
	for (size_t i = 0; i < p->n_sku; i++) {
		const lf_rel_sku_rate *s = &p->sku[i];
		if (strcmp(s->sku, it->sku) != 0)
			continue;
		if (s->lead_time_h > 0)
			it->lead_time_h = s->lead_time_h;
		if (s->has_fit) {
			it->fit = s->rate.fit;
			it->fit_from = "params sku";
			it->fit_source = s->rate.source;
			return LF_OK;
		}
	}
	if (catalog_fit > 0) {
		char buf[700];
		snprintf(buf, sizeof buf, "catalog %s:%d (%s)", cat_pos && cat_pos->file
		         ? cat_pos->file : "?", cat_pos ? cat_pos->line : 0, it->sku);
		it->fit = catalog_fit;
		it->fit_from = "catalog";
		it->fit_source = lfi_arena_strdup(&ri->arena, buf);
		return it->fit_source ? LF_OK : lfi_oom(err);
	}
	it->fit = p->class_fit[it->cls].fit;
	it->fit_from = p->class_from_file[it->cls] ? "params class" : "default";
	it->fit_source = p->class_fit[it->cls].source;
	return LF_OK;
}

/* Which SKU serves each end of a level's links, and its class. */
typedef struct level_parts {
	const lf_optic *lower, *upper, *cable;   /* cable: counted at cable_end */
	int cable_upper;                         /* the cable's single connector is at the upper end */
	const lf_fibre *fibre;
} level_parts;

static int cmp_item(const void *a, const void *b)
{
	const lf_rel_item *x = a, *y = b;
	if (x->cls != y->cls)
		return (int)x->cls - (int)y->cls;
	return strcmp(x->sku, y->sku);
}

/* Redundancy groups: the planes when there are 2 or more, else the two
 * homes of a dual-homed fabric, else none (everything in series). */
static int n_domains(const lf_plan *pl)
{
	return pl->planes >= 2 ? pl->planes : pl->spec->dual_homed ? 2 : 1;
}

/* The group a link belongs to: its plane, or (dual-homed, one plane) the
 * home of its leaf (leaf pairs are indices 2g, 2g+1), or -2 (series). */
static int32_t link_domain(const lf_plan *pl, const lf_link *l)
{
	if (pl->planes >= 2)
		return l->plane;
	if (!pl->spec->dual_homed || l->level > 2)
		return -2;
	const lf_node *leaf = &pl->nodes[l->level == 1 ? l->b : l->a];
	return (int32_t)(leaf->index % 2);
}

/* Group of each cage: -1 unused, -2 several groups, else the group. */
static int32_t *cage_planes(const lf_plan *pl)
{
	int32_t *cp = malloc((size_t)(pl->n_cages ? pl->n_cages : 1) * sizeof *cp);
	if (!cp)
		return NULL;
	for (uint32_t c = 0; c < pl->n_cages; c++)
		cp[c] = -1;
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
		uint32_t cs[2] = { a->cage_base + lf_node_cage(a, l->a_port),
		                   b->cage_base + lf_node_cage(b, l->b_port) };
		int32_t dom = link_domain(pl, l);
		for (int k = 0; k < 2; k++) {
			if (cp[cs[k]] == -1)
				cp[cs[k]] = dom;
			else if (cp[cs[k]] != dom)
				cp[cs[k]] = -2;
		}
	}
	return cp;
}

typedef struct job_acc {
	double series_h;          /* Σ λ of series parts, per hour */
	double *plane_h;          /* Σ λ per group of one-group parts */
	int planes;               /* redundancy groups (n_domains) */
} job_acc;

/* Add `n` parts of item `it` on the job's paths, in plane `plane` (-2 or
 * -1: in series). */
static void job_add(lf_reliability *r, job_acc *ja, lf_rel_item *it, uint64_t n, int plane)
{
	if (!n)
		return;
	double lam = (double)n * it->fit / 1e9;
	it->job_count += n;
	if (ja->planes >= 2 && plane >= 0) {
		it->job_redundant += n;
		ja->plane_h[plane] += lam;
	} else {
		ja->series_h += lam;
		r->job_class_per_day[it->cls] += lam * 24;
	}
}

lf_status lf_reliability_compute(const lf_plan *pl, const lf_reliability_params *p,
                                 int64_t job_gpus, lf_reliability **out, lf_error *err)
{
	*out = NULL;
	const lf_spec *sp = pl->spec;
	const lf_server *srv = sp->server;
	if (job_gpus <= 0)
		job_gpus = pl->gpus;
	if (job_gpus > pl->gpus)
		return lfi_fail(err, LF_EINPUT, sp->file, 0, 0,
		                "a job of %lld GPUs does not fit \"%s\", which has %lld GPUs",
		                (long long)job_gpus, pl->name, (long long)pl->gpus);
	rel_impl *ri = calloc(1, sizeof *ri);
	if (!ri)
		return lfi_oom(err);
	lf_reliability *r = &ri->pub;
	r->impl_ = ri;
	r->name = pl->name;
	r->cluster_gpus = pl->gpus;
	r->job_gpus = job_gpus;
	r->job_servers = (job_gpus + srv->gpus - 1) / srv->gpus;
	r->planes = pl->planes;
	r->tiers = pl->tiers;
	r->checkpoint_h = p->checkpoint_h;
	r->restart_h = p->restart_h;
	r->repair_h = p->repair_h;
	r->lead_time_h = p->lead_time_h;
	r->fill_rate = p->fill_rate;
	r->horizon_h = p->horizon_h;
	r->params_file = p->file;

	lfi_vec items;
	lfi_vec_init(&items, sizeof(lf_rel_item));
	lf_status st = LF_OK;
	uint8_t *on = NULL, *cmark = NULL;
	int32_t *cplane = NULL;
	job_acc ja = { 0, NULL, n_domains(pl) };
	/* the parts of each medium the links run on (lfi_media_table: a link
	 * level's, or on a floor layout a media variant's) and their items:
	 * lower, upper, cable, fibre */
	size_t n_med;
	const lf_media *med = lfi_media_table(pl, &n_med);
	if (n_med > LF_LAYOUT_MAX_VAR)
		n_med = LF_LAYOUT_MAX_VAR;
	level_parts lp[LF_LAYOUT_MAX_VAR];
	lf_rel_item *lit[LF_LAYOUT_MAX_VAR][4];
	memset(lp, 0, sizeof lp);
	memset(lit, 0, sizeof lit);

	/* cluster items, from the BOM */
	for (size_t i = 0; i < pl->bom.n_lines && st == LF_OK; i++) {
		const lf_bom_line *l = &pl->bom.lines[i];
		lf_rel_item *it = NULL;
		if (l->cat == LF_BOM_SWITCH) {
			it = item_for(&items, LF_RC_SWITCH, l->sku, l->name);
		} else if (l->cat == LF_BOM_FIBRE) {
			it = item_for(&items, LF_RC_FIBRE, l->sku, l->name);
		} else {
			const lf_optic *o = lf_catalog_optic(pl->cat, l->sku);
			if (!o) {
				st = lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "BOM SKU %s not in the catalog",
				              l->sku);
				break;
			}
			it = item_for(&items, optic_class(o), l->sku, l->name);
		}
		if (!it) {
			st = lfi_oom(err);
			break;
		}
		it->count += l->count;
	}
	/* NICs (one per scale-out port), servers, and any part of the media or
	   tiers the BOM did not list: every push happens before pointers are kept */
	if (st == LF_OK) {
		lf_rel_item *nic = item_for(&items, LF_RC_NIC, srv->nic->id, srv->nic->name);
		if (nic)
			nic->count = (uint64_t)pl->servers * (uint64_t)srv->nic_ports;
		lf_rel_item *sv = nic ? item_for(&items, LF_RC_SERVER, srv->id, srv->name) : NULL;
		if (sv)
			sv->count = (uint64_t)pl->servers;
		for (size_t mi = 0; sv && mi < n_med; mi++) {
			const lf_media *m = &med[mi];
			if (!m->gbps)
				continue;
			const lf_optic *o[3] = { m->lower, m->upper, m->cable };
			for (int k = 0; k < 3 && sv; k++)
				if (o[k] && !o[k]->co_packaged)   /* a CPO port is part of its switch */
					sv = item_for(&items, optic_class(o[k]), o[k]->id, o[k]->name);
			if (sv && !m->cable && m->fibre)
				sv = item_for(&items, LF_RC_FIBRE, m->fibre->id, m->fibre->name);
			const lf_switch *sw = lfi_tier_spec(sp, m->level)->sw;
			if (sv)
				sv = item_for(&items, LF_RC_SWITCH, sw->id, sw->name);
		}
		if (!sv)
			st = lfi_oom(err);
	}
	/* rates of everything not resolved yet */
	for (size_t i = 0; i < items.len && st == LF_OK; i++) {
		lf_rel_item *it = LF_VEC_AT(&items, lf_rel_item, i);
		if (it->fit_from)
			continue;
		double cfit = 0;
		const lf_pos *cpos = NULL;
		const lf_optic *o;
		const lf_switch *sw;
		if (it->cls == LF_RC_NIC) {
			cfit = srv->nic->fit;
			cpos = &srv->nic->pos;
		} else if (it->cls == LF_RC_SERVER) {
			cfit = srv->fit;
			cpos = &srv->pos;
		} else if (it->cls == LF_RC_SWITCH && (sw = lf_catalog_switch(pl->cat, it->sku))) {
			cfit = sw->fit;
			cpos = &sw->pos;
		} else if (it->cls != LF_RC_FIBRE && (o = lf_catalog_optic(pl->cat, it->sku))) {
			cfit = o->fit;
			cpos = &o->pos;
		}
		st = resolve_rate(ri, p, it, cfit, cpos, err);
	}
	if (st != LF_OK)
		goto fail;
	/* the items of each medium (the vector no longer grows) */
	for (size_t mi = 0; mi < n_med; mi++) {
		const lf_media *m = &med[mi];
		if (!m->gbps)
			continue;
		lp[mi].lower = m->lower;
		lp[mi].upper = m->upper;
		lp[mi].cable = m->cable;
		lp[mi].cable_upper = m->cable_reversed;
		lp[mi].fibre = m->cable ? NULL : m->fibre;
		const lf_optic *o[3] = { m->lower, m->upper, m->cable };
		for (int k = 0; k < 3; k++)
			if (o[k] && !o[k]->co_packaged)
				lit[mi][k] = item_for(&items, optic_class(o[k]), o[k]->id, o[k]->name);
		if (lp[mi].fibre)
			lit[mi][3] = item_for(&items, LF_RC_FIBRE, lp[mi].fibre->id, lp[mi].fibre->name);
	}

	/* the job's paths */
	on = calloc(pl->n_nodes ? pl->n_nodes : 1, 1);
	cmark = calloc(pl->n_cages ? pl->n_cages : 1, 1);
	cplane = cage_planes(pl);
	ja.plane_h = calloc((size_t)ja.planes, sizeof *ja.plane_h);
	if (!on || !cmark || !cplane || !ja.plane_h) {
		st = lfi_oom(err);
		goto fail;
	}
	{
		int64_t last_su = -1, last_pod = -1;
		for (size_t i = 0; i < pl->n_nodes; i++) {
			const lf_node *n = &pl->nodes[i];
			if (n->kind != LF_NODE_SERVER || (int64_t)n->index >= r->job_servers)
				continue;
			on[i] = 1;
			if ((int64_t)n->group != last_su) {
				r->job_sus++;
				last_su = n->group;
			}
			int64_t pod = pl->tiers == 3 ? (int64_t)n->group / pl->pod_sus : 0;
			if (pod != last_pod) {
				r->job_pods++;
				last_pod = pod;
			}
		}
	}
	r->job_uses_spines = r->job_sus > 1 && pl->tiers >= 2;
	r->job_uses_cores = r->job_pods > 1 && pl->tiers >= 3;
	{
		lf_rel_item *nic = item_for(&items, LF_RC_NIC, srv->nic->id, NULL);
		lf_rel_item *sv = item_for(&items, LF_RC_SERVER, srv->id, NULL);
		job_add(r, &ja, nic, (uint64_t)r->job_servers * (uint64_t)srv->nic_ports, -1);
		job_add(r, &ja, sv, (uint64_t)r->job_servers, -1);
	}
	uint64_t series_links = 0;
	for (int lv = 1; lv <= pl->tiers; lv++) {
		if (lv == 2 && !r->job_uses_spines)
			break;
		if (lv == 3 && !r->job_uses_cores)
			break;
		uint8_t upper_mark = (uint8_t)(lv + 1);   /* nodes reached at this level */
		for (size_t i = 0; i < pl->n_links; i++) {
			const lf_link *l = &pl->links[i];
			if (l->level != lv || !on[l->a])
				continue;
			/* servers are marked 1, leaves 2, spines 3, cores 4 */
			if (on[l->a] != (uint8_t)lv)
				continue;
			if (!on[l->b]) {
				on[l->b] = upper_mark;
				if (lv == 1)
					r->job_leaves++;
				else if (lv == 2)
					r->job_spines++;
				else
					r->job_cores++;
			}
			const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
			uint32_t ca = a->cage_base + lf_node_cage(a, l->a_port);
			uint32_t cb = b->cage_base + lf_node_cage(b, l->b_port);
			int pa = cplane[ca], pb = cplane[cb];
			size_t mi = lfi_media_of(pl, i);   /* the link's medium, < n_med */
			if (lp[mi].cable) {
				uint32_t c = lp[mi].cable_upper ? cb : ca;
				if (!cmark[c]) {
					cmark[c] = 1;
					/* every link of the cable passes its single-connector cage */
					job_add(r, &ja, lit[mi][2], 1, cplane[c]);
				}
			} else {
				if (!cmark[ca]) {
					cmark[ca] = 1;
					if (lit[mi][0])   /* NULL: a co-packaged port, in its switch */
						job_add(r, &ja, lit[mi][0], 1, pa);
				}
				if (!cmark[cb]) {
					cmark[cb] = 1;
					if (lit[mi][1])
						job_add(r, &ja, lit[mi][1], 1, pb);
				}
				if (lit[mi][3])
					job_add(r, &ja, lit[mi][3], 1, link_domain(pl, l));
			}
			if (ja.planes < 2 || link_domain(pl, l) < 0)
				series_links++;
		}
	}
	/* switches on the paths */
	{
		lf_rel_item *swi[LF_MAX_TIERS + 1] = { 0 };
		for (int t = 1; t <= pl->tiers; t++) {
			swi[t] = item_for(&items, LF_RC_SWITCH, lfi_tier_spec(sp, t)->sw->id, NULL);
		}
		for (size_t i = 0; i < pl->n_nodes; i++) {
			const lf_node *n = &pl->nodes[i];
			if (n->kind == LF_NODE_SWITCH && on[i])
				job_add(r, &ja, swi[n->tier], 1,
				        pl->planes >= 2 ? (int)n->plane
				        : pl->spec->dual_homed && n->tier == 1 ? (int)(n->index % 2) : -1);
		}
	}
	/* cluster totals, spares */
	for (size_t i = 0; i < items.len; i++) {
		lf_rel_item *it = LF_VEC_AT(&items, lf_rel_item, i);
		it->failures_per_day = (double)it->count * it->fit * 24 / 1e9;
		it->failures_per_month = it->failures_per_day * DAYS_PER_MONTH;
		it->lead_time_mean = (double)it->count * it->fit * it->lead_time_h / 1e9;
		it->spares = lf_poisson_quantile(it->lead_time_mean, p->fill_rate);
		r->class_count[it->cls] += it->count;
		r->class_failures_per_day[it->cls] += it->failures_per_day;
		r->failures_per_day += it->failures_per_day;
		if (it->cls != LF_RC_SERVER)
			r->network_failures_per_day += it->failures_per_day;
		r->spares_total += it->spares;
	}
	r->failures_per_month = r->failures_per_day * DAYS_PER_MONTH;
	r->flaps_per_day = (double)pl->bom.links * p->link_flap.fit * 24 / 1e9;

	/* the job's interruption rate */
	{
		double sum = 0, sq = 0;
		for (int k = 0; k < ja.planes; k++) {
			sum += ja.plane_h[k];
			sq += ja.plane_h[k] * ja.plane_h[k];
		}
		r->job_series_per_h = ja.series_h;
		r->job_plane_failures_per_h = sum;
		r->job_plane_overlap_per_h = p->repair_h * (sum * sum - sq);
		r->job_flaps_per_h = (double)series_links * p->link_flap.fit / 1e9;
		double lam = r->job_series_per_h + r->job_plane_overlap_per_h + r->job_flaps_per_h;
		r->job_interrupts_per_day = lam * 24;
		r->job_interrupts_horizon = lam * p->horizon_h;
		r->job_mttf_h = lam > 0 ? 1 / lam : 0;
	}
	/* checkpointing */
	if (r->job_mttf_h > 0) {
		double M = r->job_mttf_h, d = p->checkpoint_h, R = p->restart_h;
		r->ckpt_young_h = lf_young_interval(d, M);
		r->ckpt_daly_h = lf_daly_interval(d, M);
		r->goodput_young = lf_checkpoint_goodput(r->ckpt_young_h, d, R, M);
		r->goodput_daly = lf_checkpoint_goodput(r->ckpt_daly_h, d, R, M);
	} else {
		r->goodput_young = r->goodput_daly = 1;
		note(r, "Nothing on the job's paths can fail (every rate is 0): no checkpoints "
		        "needed. ");
	}

	/* notes a user should know */
	if (pl->planes >= 2)
		note(r, "%d planes: one-plane parts (switches, fibres, modules and cables whose cage "
		        "carries one plane) are covered by the other planes; the job stops only when "
		        "two planes are down within the %.3g h repair time. ", pl->planes, p->repair_h);
	else if (pl->spec->dual_homed)
		note(r, "dual-homed: a leaf and the parts of links to one leaf of a pair are covered "
		        "by the other leaf; the job stops only when both homes are down within the "
		        "%.3g h repair time. Spines, the NIC and server modules carrying both homes are "
		        "in series. ", p->repair_h);
	else
		note(r, "1 plane: every part on the job's paths is in series. ");
	for (int lv = 1; lv <= pl->tiers; lv++)
		if ((pl->media[lv].upper && pl->media[lv].upper->co_packaged) ||
		    (pl->media[lv].lower && pl->media[lv].lower->co_packaged)) {
			note(r, "co-packaged switches: their ports are part of the switch (its FIT); their "
			        "external laser sources are counted for failures and spares but not on the "
			        "job's paths (a hot-swappable source is replaced in service; whether its "
			        "ports run on while it is out is not published). ");
			break;
		}
	if (!r->job_uses_spines && pl->tiers >= 2)
		note(r, "The job fits in one SU: leaf uplinks and spines are not on its paths. ");
	else if (pl->tiers == 3 && !r->job_uses_cores)
		note(r, "The job fits in one pod: spine uplinks and cores are not on its paths. ");
	for (size_t i = 0; i < p->n_sku; i++) {
		bool used = false;
		for (size_t k = 0; k < items.len && !used; k++)
			used = strcmp(LF_VEC_AT(&items, lf_rel_item, k)->sku, p->sku[i].sku) == 0;
		if (!used)
			note(r, "params sku \"%s\" (%s:%d) is not in this plan. ", p->sku[i].sku,
			     p->file ? p->file : "params", p->sku[i].rate.pos.line);
	}
	qsort(items.data, items.len, sizeof(lf_rel_item), cmp_item);
	r->items = items.data;
	r->n_items = items.len;
	free(on);
	free(cmark);
	free(cplane);
	free(ja.plane_h);
	*out = r;
	return LF_OK;
fail:
	free(on);
	free(cmark);
	free(cplane);
	free(ja.plane_h);
	lfi_vec_release(&items);
	lfi_arena_release(&ri->arena);
	free(ri);
	return st;
}
