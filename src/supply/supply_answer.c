/*
 * supply_answer.c — reading a solved model into an lf_supply_answer:
 * orders, flows, stage readiness, what binds and why.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply_model.h"

void sup_answer_release(lf_supply_answer *a)
{
	free(a->orders);
	free(a->flows);
	free(a->uses);
	free(a->stages);
	free(a->bindings);
	free(a->resv);
	free(a->spares);
	free(a->choices);
	free(a->projects);
	free(a->laser_shares);
}

static int vidx(const model *m, int i, int c, int t)
{
	int maxcand = 1;
	for (int k = 0; k < m->p->n_lv; k++)
		maxcand = m->p->lv[k].n_cand > maxcand ? m->p->lv[k].n_cand : maxcand;
	return m->v[((size_t)i * (size_t)maxcand + (size_t)c) * (size_t)m->p->T + (size_t)t];
}

static int cidx(const model *m, int k, int i, int t)
{
	return m->C[((size_t)k * LV_MAX + (size_t)i) * (size_t)m->p->T + (size_t)t];
}

/* ------------------------------------------------------------- reading */

static double V(const model *m, int col)
{
	return col ? m->val[col] : 0;
}

/* first period with all levels of stage k served; -1 if never */
int sup_stage_ready(const model *m, int k)
{
	const problem *p = m->p;
	int ready = 0;
	for (int i = 0; i < p->n_lv; i++) {
		double L = p->st[k].L[i];
		if (L <= 0)
			continue;
		int t = 0;
		while (t < p->T && V(m, cidx(m, k, i, t)) < L - 1e-6 * (1 + L))
			t++;
		if (t == p->T)
			return -1;
		ready = t > ready ? t : ready;
	}
	return ready;
}

/* Stage entry k is part of the answer (its option is the chosen one). */
bool sup_chosen(const model *m, int k)
{
	return !m->p->per_stage || V(m, m->y[k]) > 0.5;
}

/* The ready period of stage g (the entry of its chosen option). */
int sup_group_ready(const model *m, int g)
{
	for (int j = 0; j < m->p->n_opt; j++)
		if (sup_chosen(m, g * m->p->n_opt + j))
			return sup_stage_ready(m, g * m->p->n_opt + j);
	return -1;
}

double sup_objective_without_tie(const model *m)
{
	/* the tie-break on stock is not a cost: take it out */
	double tie = 0;
	for (size_t k = 0; k < m->p->n_sku; k++)
		for (int t = 0; t < m->p->T; t++) {
			tie += TIE_HOLD * V(m, m->inv[k * (size_t)m->p->T + (size_t)t]);
			if (t < m->p->spare_need)
				tie += TIE_HOLD * V(m, m->spS[k * (size_t)m->p->T + (size_t)t]);
		}
	return m->obj - tie;
}

typedef struct earliest {
	int period;
	const char *sku, *supplier;
	int lead;
} earliest;

/* Earliest period any module of family f at end e of level i can be there. */
static earliest earliest_end(const problem *p, int i, int f, int e)
{
	earliest best = { p->T, NULL, NULL, 0 };
	const level_t *L = &p->lv[i];
	const sup_scenario *s = p->s;
	for (int c = 0; c < L->n_cand; c++) {
		if (L->cand[c].fam != f || L->cand[c].end != e)
			continue;
		int k = L->cand[c].sku;
		if (p->sku[k].stock > 0 && best.period > 0)
			best = (earliest){ 0, p->sku[k].o->id, "stock", 0 };
		for (size_t o = 0; o < s->offers.len; o++) {
			if (p->offer_sku[o] != k)
				continue;
			const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
			for (int md = 0; md <= of->n_exp; md++) {
				int lead = sup_offer_lead(p, o, md);
				if (lead < best.period)
					best = (earliest){ lead, p->sku[k].o->id,
					                   LF_VEC_AT(&s->suppliers, sup_supplier,
					                             (size_t)of->supplier)->name, lead };
			}
		}
		for (size_t r = 0; r < s->resv.len; r++) {
			const sup_resv *rv = LF_VEC_AT(&s->resv, sup_resv, r);
			if (p->resv_sku[r] == k && rv->from < best.period)
				best = (earliest){ rv->from, p->sku[k].o->id, rv->name, 0 };
		}
	}
	return best;
}

/* Earliest period a whole link of level i can exist (both ends, one family). */
static earliest earliest_level(const problem *p, int i)
{
	earliest best = { p->T, NULL, NULL, 0 };
	for (int f = 0; f < p->lv[i].n_fam; f++) {
		earliest a = earliest_end(p, i, f, 0), b = earliest_end(p, i, f, 1);
		earliest x = a.period >= b.period ? a : b;
		if (x.period < best.period)
			best = x;
	}
	return best;
}

static const char *row_name(const problem *p, const rowinfo *ri, char *buf, size_t n,
                            const char **kind)
{
	const sup_scenario *s = p->s;
	switch (ri->kind) {
	case R_POOL: {
		const sup_pool *pool = LF_VEC_AT(&s->pools, sup_pool, (size_t)ri->ref);
		*kind = "laser-pool";
		snprintf(buf, n, "%s (%s lasers)", pool->name, lfi_laser_name(pool->laser));
		break;
	}
	case R_SUPPLIER:
		*kind = "supplier";
		snprintf(buf, n, "%s", LF_VEC_AT(&s->suppliers, sup_supplier, (size_t)ri->ref)->name);
		break;
	case R_OFFER_CAP: {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, (size_t)ri->ref);
		*kind = "sku-capacity";
		snprintf(buf, n, "%s %s", LF_VEC_AT(&s->suppliers, sup_supplier,
		                                    (size_t)of->supplier)->name, of->sku);
		break;
	}
	case R_RESV:
		*kind = "reservation";
		snprintf(buf, n, "%s", LF_VEC_AT(&s->resv, sup_resv, (size_t)ri->ref)->name);
		break;
	default:
		*kind = "other";
		buf[0] = 0;
	}
	return buf;
}

static lf_status push(lfi_vec *v, const void *elem, lf_error *err)
{
	void *d = lfi_vec_push(v);
	if (!d)
		return lfi_oom(err);
	memcpy(d, elem, v->elem);
	return LF_OK;
}

static int cmp_order(const void *a, const void *b)
{
	const lf_supply_order *x = a, *y = b;
	int c = strcmp(x->supplier, y->supplier);
	if (c)
		return c;
	if ((c = strcmp(x->sku, y->sku)))
		return c;
	if (x->arrives != y->arrives)
		return x->arrives - y->arrives;
	return strcmp(x->mode, y->mode);
}

static lf_status read_bindings(const model *m, lfi_vec *out, lf_error *err)
{
	const problem *p = m->p;
	double *act = calloc((size_t)m->rows + 1, sizeof *act);
	if (!act)
		return lfi_oom(err);
	for (size_t e = 0; e < m->ia.len; e++) {
		int i = *LF_VEC_AT(&m->ia, int, e), j = *LF_VEC_AT(&m->ja, int, e);
		act[i] += *LF_VEC_AT(&m->ar, double, e) * m->val[j];
	}
	for (int i = 1; i <= m->rows; i++) {
		const rowinfo *ri = LF_VEC_AT(&m->rinfo, rowinfo, (size_t)i - 1);
		if (ri->kind == R_OTHER || ri->kind == R_FREE)
			continue;
		double shadow = -m->rdual[i];
		if (shadow < 0.005)
			continue;
		lf_supply_binding b = { 0 };
		row_name(p, ri, b.name, sizeof b.name, &b.kind);
		b.period = ri->period;
		b.capacity = *LF_VEC_AT(&m->rhi, double, (size_t)i - 1);
		b.shadow_usd = shadow;
		b.used = act[i];
		if (ri->kind == R_RESV) {
			const sup_resv *rv = LF_VEC_AT(&p->s->resv, sup_resv, (size_t)ri->ref);
			b.capacity = rv->quantity * V(m, m->sign[ri->ref]);
			b.used = V(m, m->taken[(size_t)ri->ref * (size_t)p->T + (size_t)ri->period]);
		}
		if (push(out, &b, err) != LF_OK) {
			free(act);
			return LF_ENOMEM;
		}
	}
	free(act);
	/* offer capacities held as column bounds (one order mode) */
	const sup_scenario *s = p->s;
	for (size_t o = 0; o < s->offers.len; o++) {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
		if (!of->cap.set || m->nmode[o] != 1)
			continue;
		int lead = p->offer_lead[o];
		for (int t = 0; t + lead < p->T; t++) {
			int c = m->x[m->xbase[o] + t];
			double ub = lfi_sup_cap_at(&of->cap, t + lead);
			double shadow = c ? -m->cdual[c] : 0;
			if (!c || shadow < 0.005 || m->dval[c] < ub - 1e-6)
				continue;
			lf_supply_binding b = { 0 };
			b.kind = "sku-capacity";
			snprintf(b.name, sizeof b.name, "%s %s", LF_VEC_AT(&s->suppliers, sup_supplier,
			         (size_t)of->supplier)->name, of->sku);
			b.period = t + lead;
			b.used = V(m, c);
			b.capacity = ub;
			b.shadow_usd = shadow;
			LF_TRY(push(out, &b, err));
		}
	}
	return LF_OK;
}

static int cmp_binding(const void *a, const void *b)
{
	const lf_supply_binding *x = a, *y = b;
	int c = strcmp(x->kind, y->kind);
	if (c)
		return c;
	if ((c = strcmp(x->name, y->name)))
		return c;
	return x->period - y->period;
}

/* Why stage k is late or unserved, and what would fix it. */
static void explain(const model *m, int k, lf_supply_stage *st, const lfi_vec *bind,
                    const lf_supply_answer *a)
{
	const problem *p = m->p;
	const stage_t *S = &p->st[k];
	char *w = st->why;
	size_t n = sizeof st->why, off = 0;
	char lab[32], lab2[32];
#define W(...) do { if (off < n) off += (size_t)snprintf(w + off, n - off, __VA_ARGS__); } while (0)
	int d = S->need_by < p->T ? S->need_by : p->T - 1;
	lf_supply_period_label(p->s->pub.period, p->s->pub.start_month, d, lab, sizeof lab);
	if (st->unmet > 1e-6)
		W("%.0f of %.0f links still unserved at the end of the horizon. ", st->unmet,
		  st->links);
	else
		W("%.0f of %.0f links missing at need-by %s. ", st->short_at_need_by, st->links, lab);
	bool lead_binds = false;
	for (int i = 0; i < p->n_lv; i++) {
		if (S->L[i] <= 0)
			continue;
		if (!p->lv[i].n_fam) {
			W("%s: no SKU on offer fits both ends; add a supplier of %s and %s or allow "
			  "substitutes. ", lfi_level_name(p->lv[i].level), p->lv[i].planned[0]->id,
			  p->lv[i].planned[1]->id);
			continue;
		}
		earliest e = earliest_level(p, i);
		if (e.period > S->need_by) {
			lead_binds = true;
			lf_supply_period_label(p->s->pub.period, p->s->pub.start_month,
			                       e.period < p->T ? e.period : p->T - 1, lab2, sizeof lab2);
			W("Lead time binds on %s: the first compatible module can arrive %s (%s via %s); "
			  "fix: stock on hand, an expedite, or a supplier with a lead time of at most %d "
			  "period%s. ", lfi_level_name(p->lv[i].level), lab2, e.sku ? e.sku : "-",
			  e.supplier ? e.supplier : "-", S->need_by, S->need_by == 1 ? "" : "s");
		}
	}
	/* the capacities that bind up to the ready date (or the horizon end) */
	int until = st->ready >= 0 ? st->ready : p->T - 1;
	const lf_supply_binding *top[3] = { NULL, NULL, NULL };
	double topv[3] = { 0, 0, 0 };
	for (size_t i = 0; i < bind->len; i++) {
		const lf_supply_binding *b = LF_VEC_AT(bind, lf_supply_binding, i);
		if (b->period > until || !strcmp(b->kind, "lead-time"))
			continue;
		bool dup = false;
		for (int j = 0; j < 3; j++)
			if (top[j] && !strcmp(top[j]->name, b->name)) {
				dup = true;
				if (b->shadow_usd > topv[j])
					topv[j] = b->shadow_usd;
			}
		if (dup)
			continue;
		for (int j = 0; j < 3; j++)
			if (!top[j] || b->shadow_usd > topv[j]) {
				for (int q = 2; q > j; q--) {
					top[q] = top[q - 1];
					topv[q] = topv[q - 1];
				}
				top[j] = b;
				topv[j] = b->shadow_usd;
				break;
			}
	}
	if (top[0]) {
		W("Binding: ");
		for (int j = 0; j < 3 && top[j]; j++)
			W("%s%s %s (up to $%.0f per unit per period)", j ? ", " : "", top[j]->kind,
			  top[j]->name, topv[j]);
		W(". ");
		/* size a fix for the first: the missing modules spread over the
		 * periods it binds before need-by */
		const lf_supply_binding *b = top[0];
		int first = p->T, cnt = 0;
		for (size_t i = 0; i < bind->len; i++) {
			const lf_supply_binding *x = LF_VEC_AT(bind, lf_supply_binding, i);
			if (strcmp(x->name, b->name) || x->period > S->need_by)
				continue;
			first = x->period < first ? x->period : first;
			cnt++;
		}
		double modules = 0;
		int lasers = 0;
		for (int i = 0; i < p->n_lv; i++) {
			if (p->lv[i].opt != S->opt)
				continue;
			double frac = st->links > 0 ? (st->unmet > 1e-6 ? st->unmet : st->short_at_need_by) /
			                              st->links : 0;
			modules += frac * S->L[i] * (S->rho[i][0] + S->rho[i][1]);
			for (int e = 0; e < 2; e++) {
				const lf_optic *o = p->lv[i].planned[e];
				lasers = o && o->lasers > lasers ? o->lasers : lasers;
			}
		}
		if (cnt > 0 && !strcmp(b->kind, "laser-pool"))
			W("Fix: about %.0f more lasers per period in %s from %s to need-by (%.0f modules "
			  "missing, up to %d lasers each), a reservation, or SKUs on another laser. ",
			  ceil(modules * lasers / cnt), b->name,
			  (lf_supply_period_label(p->s->pub.period, p->s->pub.start_month, first, lab2,
			                          sizeof lab2), lab2), modules, lasers);
		else if (cnt > 0)
			W("Fix: about %.0f more modules per period at %s from %s to need-by, or a "
			  "reservation. ", ceil(modules / cnt), b->name,
			  (lf_supply_period_label(p->s->pub.period, p->s->pub.start_month, first, lab2,
			                          sizeof lab2), lab2));
		else
			W("Fix: more capacity at %s, or a reservation. ", b->name);
	} else if (!lead_binds) {
		W("No capacity binds: the lateness penalty is lower than what serving earlier would "
		  "cost; raise demand.lateness to buy earlier. ");
	}
	(void)a;
#undef W
}

lf_status sup_fill_answer(model *m, lf_supply_answer *a, lf_error *err)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	lfi_vec orders, flows, uses, stages, bind, resv, spares;
	lfi_vec_init(&orders, sizeof(lf_supply_order));
	lfi_vec_init(&flows, sizeof(lf_supply_flow));
	lfi_vec_init(&uses, sizeof(lf_supply_use));
	lfi_vec_init(&stages, sizeof(lf_supply_stage));
	lfi_vec_init(&bind, sizeof(lf_supply_binding));
	lfi_vec_init(&resv, sizeof(lf_supply_resv_use));
	lfi_vec_init(&spares, sizeof(lf_supply_spare));
	lf_status st = LF_OK;
#define CK(x) do { if ((st = (x)) != LF_OK) goto out; } while (0)
	/* orders and purchase cost */
	for (size_t o = 0; o < s->offers.len; o++) {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
		double base = p->offer_price[o], seg_cost = 0, qty_all = 0;
		if (of->n_seg > 1)
			for (int j = 0; j < of->n_seg; j++) {
				seg_cost += of->seg_usd[j] * V(m, m->q[o * SUP_MAX_SEG + (size_t)j]);
				qty_all += V(m, m->q[o * SUP_MAX_SEG + (size_t)j]);
			}
		double avg = of->n_seg > 1 && qty_all > EPS ? seg_cost / qty_all : base;
		for (int md = 0; md < m->nmode[o]; md++) {
			int lead = sup_offer_lead(p, o, md);
			double prem = md ? of->exp[md - 1].premium_frac * base + of->exp[md - 1].premium_usd
			                 : 0;
			for (int t = 0; t + lead < T; t++) {
				double q = V(m, m->x[m->xbase[o] + md * T + t]);
				if (q < EPS)
					continue;
				lf_supply_order ord = {
					LF_VEC_AT(&s->suppliers, sup_supplier, (size_t)of->supplier)->name,
					p->sku[p->offer_sku[o]].o->id, md ? "expedite" : "standard", t, t + lead,
					q, avg + prem };
				CK(push(&orders, &ord, err));
				a->purchase_usd += q * (avg + prem);
				a->expedite_premium_usd += q * prem;
			}
		}
	}
	for (size_t r = 0; r < s->resv.len; r++) {
		const sup_resv *rv = LF_VEC_AT(&s->resv, sup_resv, r);
		lf_supply_resv_use u = { 0 };
		u.name = rv->name;
		u.supplier = LF_VEC_AT(&s->suppliers, sup_supplier, (size_t)rv->supplier)->name;
		u.sku = rv->sku;
		u.fraction = V(m, m->sign[r]);
		u.reserved = u.fraction * rv->quantity * (rv->to - rv->from + 1);
		for (int t = rv->from; t <= rv->to; t++) {
			double q = V(m, m->taken[r * (size_t)T + (size_t)t]);
			u.taken += q;
			if (q < EPS)
				continue;
			lf_supply_order ord = { u.supplier, rv->sku, "reservation", -1, t, q, rv->price_usd };
			CK(push(&orders, &ord, err));
		}
		u.cost_usd = rv->price_usd * (rv->take_or_pay * u.reserved +
		                              (1 - rv->take_or_pay) * u.taken);
		a->reservation_usd += u.cost_usd;
		CK(push(&resv, &u, err));
	}
	if (orders.len)
		qsort(orders.data, orders.len, sizeof(lf_supply_order), cmp_order);
	/* flows and holding */
	for (size_t k = 0; k < p->n_sku; k++) {
		for (int t = 0; t < T; t++) {
			lf_supply_flow f = { p->sku[k].o->id, t, 0, 0, V(m, m->inv[k * (size_t)T + (size_t)t]) };
			for (size_t o = 0; o < s->offers.len; o++) {
				if (p->offer_sku[o] != (int)k)
					continue;
				for (int md = 0; md < m->nmode[o]; md++) {
					int tp = t - sup_offer_lead(p, o, md);
					if (tp >= 0)
						f.delivered += V(m, m->x[m->xbase[o] + md * T + tp]);
				}
			}
			for (size_t r = 0; r < s->resv.len; r++)
				if (p->resv_sku[r] == (int)k)
					f.delivered += V(m, m->taken[r * (size_t)T + (size_t)t]);
			for (int i = 0; i < p->n_lv; i++)
				for (int c = 0; c < p->lv[i].n_cand; c++)
					if (p->lv[i].cand[c].sku == (int)k)
						f.used += V(m, vidx(m, i, c, t));
			f.used += V(m, m->spu[k * (size_t)T + (size_t)t]);
			a->holding_usd += s->holding * p->sku[k].o->price_usd * f.stock;
			if (f.delivered > EPS || f.used > EPS || f.stock > EPS)
				CK(push(&flows, &f, err));
		}
	}
	/* module use per level, end and SKU */
	for (int i = 0; i < p->n_lv; i++) {
		const level_t *L = &p->lv[i];
		for (int c = 0; c < L->n_cand; c++) {
			double tot = 0;
			for (int t = 0; t < T; t++)
				tot += V(m, vidx(m, i, c, t));
			if (tot < EPS)
				continue;
			const lf_optic *o = p->sku[L->cand[c].sku].o;
			static const char *const tier[] = { "server", "leaf", "spine", "core" };
			int e = L->cand[c].end;
			lf_supply_use u = { L->level, e || L->level > 1 ? LF_END_SWITCH : LF_END_SERVER,
			                    tier[L->level - 1 + e], o->id, tot,
			                    L->planned[e] && !strcmp(o->id, L->planned[e]->id) };
			CK(push(&uses, &u, err));
		}
	}
	CK(read_bindings(m, &bind, err));
	/* stages */
	a->ready = 0;
	for (int k = 0; k < p->n_st; k++) {
		const stage_t *S = &p->st[k];
		if (!S->name || !sup_chosen(m, k))
			continue;
		a->option_usd += S->extra;
		lf_supply_stage sg = { 0 };
		sg.name = S->name;
		sg.project = p->portfolio ? p->s->pub.options[S->opt].name : NULL;
		sg.gpus = S->gpus;
		sg.need_by = S->need_by;
		sg.ready = sup_stage_ready(m, k);
		for (int i = 0; i < p->n_lv; i++) {
			double L = S->L[i];
			if (L <= 0)
				continue;
			sg.links += L;
			if (S->need_by < T)
				sg.short_at_need_by += L - V(m, cidx(m, k, i, S->need_by));
			double un = L - V(m, cidx(m, k, i, T - 1));
			sg.unmet += un > EPS ? un : 0;
			for (int t = S->need_by; t < T; t++)
				a->lateness_usd += S->pen * (L - V(m, cidx(m, k, i, t)));
			a->unmet_usd += S->unmet * (un > EPS ? un : 0);
		}
		if (sg.short_at_need_by < 1e-6)
			sg.short_at_need_by = 0;
		sg.slip = sg.ready < 0 ? T - S->need_by
		                       : (sg.ready > S->need_by ? sg.ready - S->need_by : 0);
		sg.penalty_usd = 0;
		for (int i = 0; i < p->n_lv; i++) {
			double L = S->L[i];
			if (L <= 0)
				continue;
			for (int t = S->need_by; t < T; t++)
				sg.penalty_usd += S->pen * (L - V(m, cidx(m, k, i, t)));
			double un = L - V(m, cidx(m, k, i, T - 1));
			sg.penalty_usd += S->unmet * (un > EPS ? un : 0);
		}
		if (a->ready >= 0)
			a->ready = sg.ready < 0 ? -1 : (sg.ready > a->ready ? sg.ready : a->ready);
		if (sg.slip > 0 || sg.unmet > EPS)
			explain(m, k, &sg, &bind, a);
		CK(push(&stages, &sg, err));
	}
	/* spares */
	for (size_t k = 0; k < p->n_sku; k++) {
		double N = p->spare[k];
		if (N <= 0)
			continue;
		lf_supply_spare sp = { p->sku[k].o->id, N, p->spare_need, -1, 0, 0, 0 };
		for (int t = 0; t < T && sp.ready < 0; t++)
			if (V(m, m->spS[k * (size_t)T + (size_t)t]) >= N - 1e-6 * (1 + N))
				sp.ready = t;
		if (p->spare_need < T) {
			double sh = N - V(m, m->spS[k * (size_t)T + (size_t)p->spare_need]);
			sp.short_at_need_by = sh > EPS ? sh : 0;
		}
		double un = N - V(m, m->spS[k * (size_t)T + (size_t)T - 1]);
		sp.unmet = un > EPS ? un : 0;
		double late = 0;
		for (int t = p->spare_need; t < T; t++)
			late += p->spare_pen * (N - V(m, m->spS[k * (size_t)T + (size_t)t]));
		a->lateness_usd += late;
		a->unmet_usd += p->unmet * sp.unmet;
		sp.penalty_usd = late + p->unmet * sp.unmet;
		CK(push(&spares, &sp, err));
	}
	if (bind.len)
		qsort(bind.data, bind.len, sizeof(lf_supply_binding), cmp_binding);
	a->spend_usd = a->purchase_usd + a->reservation_usd + a->holding_usd;
	a->objective_usd = a->spend_usd + a->lateness_usd + a->unmet_usd + a->option_usd;
	a->optimal = m->optimal;
	a->mip_gap = m->gap;
	a->rows = m->rows;
	a->cols = m->cols;
	a->int_cols = m->n_int;
	a->integer = m->n_int > 0;
	if (!m->optimal)
		sup_note(a, "the MIP stopped at the time limit with a gap of %.3g%%: the answer is "
		     "feasible, not proven optimal. ", 100 * m->gap);
out:
	if (st != LF_OK) {
		lfi_vec_release(&orders);
		lfi_vec_release(&flows);
		lfi_vec_release(&uses);
		lfi_vec_release(&stages);
		lfi_vec_release(&bind);
		lfi_vec_release(&resv);
		lfi_vec_release(&spares);
		return st;
	}
	a->orders = orders.data;
	a->n_orders = orders.len;
	a->flows = flows.data;
	a->n_flows = flows.len;
	a->uses = uses.data;
	a->n_uses = uses.len;
	a->stages = stages.data;
	a->n_stages = stages.len;
	a->bindings = bind.data;
	a->n_bindings = bind.len;
	a->resv = resv.data;
	a->n_resv = resv.len;
	a->spares = spares.data;
	a->n_spares = spares.len;
	return LF_OK;
#undef CK
}

/* projects: each project's readiness and penalties, and the lasers of
 * each type in the modules it deploys per period. */
lf_status sup_fill_projects(const model *m, lf_supply_answer *a, lf_error *err)
{
	const problem *p = m->p;
	const int T = p->T, n = p->n_opt;
	a->projects = calloc((size_t)n, sizeof *a->projects);
	double *las = calloc((size_t)(LF_LASER_DML + 1) * (size_t)n * (size_t)T + 1, sizeof *las);
	if (!a->projects || !las) {
		free(las);
		return lfi_oom(err);
	}
	a->n_projects = (size_t)n;
	for (int j = 0; j < n; j++)
		a->projects[j].name = p->s->pub.options[j].name;
	for (int k = 0; k < p->n_st; k++) {
		const stage_t *S = &p->st[k];
		if (!S->name)
			continue;
		lf_supply_project *pr = &a->projects[S->opt];
		pr->gpus += S->gpus;
		double links = 0;
		for (int i = 0; i < p->n_lv; i++)
			links += S->L[i];
		for (int i = 0; i < p->n_lv; i++) {
			double L = S->L[i];
			if (L <= 0)
				continue;
			for (int t = S->need_by; t < T; t++) {
				double sh = L - V(m, cidx(m, k, i, t));
				pr->lateness_usd += S->pen * sh;
				pr->gpu_periods_late += sh / links * (double)S->gpus;
			}
			double un = L - V(m, cidx(m, k, i, T - 1));
			pr->unmet_usd += S->unmet * (un > EPS ? un : 0);
		}
		int r = sup_stage_ready(m, k);
		if (r < 0 || r > S->need_by)
			pr->late_stages++;
		if (pr->ready >= 0)
			pr->ready = r < 0 ? -1 : (r > pr->ready ? r : pr->ready);
	}
	for (int i = 0; i < p->n_lv; i++)
		for (int c = 0; c < p->lv[i].n_cand; c++) {
			const lf_optic *o = p->sku[p->lv[i].cand[c].sku].o;
			if (o->laser <= LF_LASER_NONE || o->laser > LF_LASER_DML)
				continue;
			for (int t = 0; t < T; t++)
				las[((size_t)o->laser * (size_t)n + (size_t)p->lv[i].opt) * (size_t)T +
				    (size_t)t] += V(m, vidx(m, i, c, t)) * o->lasers;
		}
	lfi_vec v;
	lfi_vec_init(&v, sizeof(lf_supply_laser_share));
	lf_status st = LF_OK;
	for (int l = 1; l <= LF_LASER_DML && st == LF_OK; l++)
		for (int t = 0; t < T && st == LF_OK; t++)
			for (int j = 0; j < n && st == LF_OK; j++) {
				double x = las[((size_t)l * (size_t)n + (size_t)j) * (size_t)T + (size_t)t];
				if (x < EPS)
					continue;
				lf_supply_laser_share sh = { lfi_laser_name((lf_laser)l),
				                             a->projects[j].name, t, x };
				st = push(&v, &sh, err);
			}
	free(las);
	if (st != LF_OK) {
		lfi_vec_release(&v);
		return st;
	}
	a->laser_shares = v.data;
	a->n_laser_shares = v.len;
	return LF_OK;
}

/* "ready 2026-04" for a period, "never" for -1 */
