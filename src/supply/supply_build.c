/*
 * supply_build.c — the LP/MIP of supply_model.h, built column by column
 * and row by row (one function per constraint family, each opened by its
 * formula).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply_model.h"

/* ---------------------------------------------------------------- model */




int sup_add_col(model *m, double lb, double ub, double cost, int kind)
{
	double *a = lfi_vec_push(&m->lb), *b = lfi_vec_push(&m->ub), *c = lfi_vec_push(&m->cost);
	int *k = lfi_vec_push(&m->ckind);
	if (!a || !b || !c || !k)
		return -1;
	*a = lb;
	*b = ub;
	*c = cost;
	*k = kind;
	if (kind != GLP_CV)
		m->n_int++;
	return (int)m->lb.len;    /* 1-based */
}

int sup_add_row(model *m, double lo, double hi, int kind, int ref, int period)
{
	double *a = lfi_vec_push(&m->rlo), *b = lfi_vec_push(&m->rhi);
	rowinfo *ri = lfi_vec_push(&m->rinfo);
	if (!a || !b || !ri)
		return -1;
	*a = lo;
	*b = hi;
	ri->kind = (uint8_t)kind;
	ri->ref = ref;
	ri->period = period;
	return (int)m->rlo.len;
}

bool sup_add_nz(model *m, int row, int col, double v)
{
	if (!col || !row)
		return true;
	int *i = lfi_vec_push(&m->ia), *j = lfi_vec_push(&m->ja);
	double *a = lfi_vec_push(&m->ar);
	if (!i || !j || !a)
		return false;
	*i = row;
	*j = col;
	*a = v;
	return true;
}

void sup_model_release(model *m)
{
	lfi_vec_release(&m->lb);
	lfi_vec_release(&m->ub);
	lfi_vec_release(&m->cost);
	lfi_vec_release(&m->ckind);
	lfi_vec_release(&m->rlo);
	lfi_vec_release(&m->rhi);
	lfi_vec_release(&m->rinfo);
	lfi_vec_release(&m->ia);
	lfi_vec_release(&m->ja);
	lfi_vec_release(&m->ar);
	free(m->x);
	free(m->nmode);
	free(m->xbase);
	free(m->q);
	free(m->taken);
	free(m->sign);
	free(m->inv);
	free(m->v);
	free(m->w);
	free(m->C);
	free(m->spu);
	free(m->spS);
	free(m->y);
	free(m->val);
	free(m->dval);
	free(m->rdual);
	free(m->cdual);
	if (m->lp)
		glp_delete_prob(m->lp);
	if (m->root)
		glp_delete_prob(m->root);
	m->lp = m->root = NULL;
}

#define ADD_NZ(r, c, v) do { if (!sup_add_nz(m, (r), (c), (v))) goto oom; } while (0)
#define COL(var, ...) do { if (((var) = sup_add_col(m, __VA_ARGS__)) < 0) goto oom; } while (0)
#define ROW(var, ...) do { if (((var) = sup_add_row(m, __VA_ARGS__)) < 0) goto oom; } while (0)

/* the most candidates of any link level (the v[] stride) */
static int max_cand(const problem *p)
{
	int maxcand = 1;
	for (int i = 0; i < p->n_lv; i++)
		maxcand = p->lv[i].n_cand > maxcand ? p->lv[i].n_cand : maxcand;
	return maxcand;
}

int sup_offer_lead(const problem *p, size_t o, int md)
{
	const sup_offer *of = LF_VEC_AT(&p->s->offers, sup_offer, o);
	return md == 0 ? p->offer_lead[o] : of->exp[md - 1].lead;
}

/* Orders: x[o,m,t] >= 0, modules of offer o ordered in period t in mode m
 * (standard or an expedite), arriving at t + lead_m < T, costing
 *     price_o x + premium_m x
 * with, where the offer says so,
 *     x = lot * n, n integer                               (lot)
 *     min * b <= x <= bigM * b, b in {0,1}                  (min_order)
 *     sum_t,m x = sum_j q_j, 0 <= q_j <= width_j,
 *     q_j <= width_j z_j, q_{j-1} >= width_{j-1} z_j, z_j <= z_{j-1}
 *                                                           (volume breaks)
 * and q_j costing seg_usd[j] instead of the price. */
static bool build_orders(model *m)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	size_t no = s->offers.len;
	for (size_t o = 0; o < no; o++) {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
		double base = p->offer_price[o];
		bool segs = of->n_seg > 1;
		for (int md = 0; md < m->nmode[o]; md++) {
			int lead = sup_offer_lead(p, o, md);
			double prem = md ? of->exp[md - 1].premium_frac * base + of->exp[md - 1].premium_usd
			                 : 0;
			for (int t = 0; t + lead < T; t++) {
				double ub = HUGE_VAL;
				if (of->cap.set && m->nmode[o] == 1)
					ub = lfi_sup_cap_at(&of->cap, t + lead);
				int kind = s->integer && !of->lot ? GLP_IV : GLP_CV;
				int c;
				COL(c, 0, ub, (segs ? 0 : base) + prem, kind);
				m->x[XI(m, o, md, t)] = c;
				if (of->lot) {
					int n, rr;
					COL(n, 0, HUGE_VAL, 0, GLP_IV);
					ROW(rr, 0, 0, R_OTHER, (int)o, t);
					ADD_NZ(rr, c, 1);
					ADD_NZ(rr, n, -of->lot);
				}
				if (of->min_order > 0) {
					int y, r1, r2;
					double cap = of->cap.set ? lfi_sup_cap_at(&of->cap, t + lead) : p->bigm;
					if (cap < of->min_order) {
						/* cannot meet the minimum in this period: no order */
						*LF_VEC_AT(&m->ub, double, (size_t)c - 1) = 0;
						continue;
					}
					COL(y, 0, 1, 0, GLP_BV);
					ROW(r1, -HUGE_VAL, 0, R_OTHER, (int)o, t);
					ADD_NZ(r1, c, 1);
					ADD_NZ(r1, y, -cap);
					ROW(r2, 0, HUGE_VAL, R_OTHER, (int)o, t);
					ADD_NZ(r2, c, 1);
					ADD_NZ(r2, y, -of->min_order);
				}
			}
		}
		if (segs) {
			/* incremental breaks: q_j <= width_j z_j, q_{j-1} >= width_{j-1} z_j */
			int rs;
			ROW(rs, 0, 0, R_OTHER, (int)o, -1);
			for (int md = 0; md < m->nmode[o]; md++)
				for (int t = 0; t < T; t++)
					ADD_NZ(rs, m->x[XI(m, o, md, t)], 1);
			int prevz = 0;
			for (int j = 0; j < of->n_seg; j++) {
				double width = j + 1 < of->n_seg ? of->seg_from[j + 1] - of->seg_from[j]
				                                 : p->bigm;
				int qc;
				COL(qc, 0, width, of->seg_usd[j], GLP_CV);
				m->q[o * SUP_MAX_SEG + (size_t)j] = qc;
				ADD_NZ(rs, qc, -1);
				if (j == 0)
					continue;
				int z, r1, r2;
				COL(z, 0, 1, 0, GLP_BV);
				ROW(r1, -HUGE_VAL, 0, R_OTHER, (int)o, -1);
				ADD_NZ(r1, qc, 1);
				ADD_NZ(r1, z, -width);
				ROW(r2, 0, HUGE_VAL, R_OTHER, (int)o, -1);
				ADD_NZ(r2, m->q[o * SUP_MAX_SEG + (size_t)j - 1], 1);
				ADD_NZ(r2, z, -(of->seg_from[j] - of->seg_from[j - 1]));
				if (prevz) {
					int r3;   /* z_j <= z_{j-1} */
					ROW(r3, -HUGE_VAL, 0, R_OTHER, (int)o, -1);
					ADD_NZ(r3, z, 1);
					ADD_NZ(r3, prevz, -1);
				}
				prevz = z;
			}
		}
	}
	return true;
oom:
	return false;
}

/* Capacities per arrival period t:
 *     sum_m x[o,m,t-lead_m]                                  <= cap_o(t)   (sku-capacity)
 *     sum_{o of supplier s} sum_m x[o,m,t-lead_m]            <= cap_s(t)   (supplier)
 *     sum_{o in pool P, laser of P} lasers_o sum_m x[...]    <= cap_P(t)   (laser-pool) */
static bool build_capacity(model *m)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	size_t no = s->offers.len;
	int r;
	for (size_t o = 0; o < no; o++) {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
		if (!of->cap.set || m->nmode[o] == 1)
			continue;
		for (int t = 0; t < T; t++) {
			ROW(r, -HUGE_VAL, lfi_sup_cap_at(&of->cap, t), R_OFFER_CAP, (int)o, t);
			for (int md = 0; md < m->nmode[o]; md++) {
				int tp = t - sup_offer_lead(p, o, md);
				if (tp >= 0)
					ADD_NZ(r, m->x[XI(m, o, md, tp)], 1);
			}
		}
	}
	for (size_t si = 0; si < s->suppliers.len; si++) {
		const sup_supplier *sp = LF_VEC_AT(&s->suppliers, sup_supplier, si);
		if (!sp->cap.set)
			continue;
		for (int t = 0; t < T; t++) {
			ROW(r, -HUGE_VAL, lfi_sup_cap_at(&sp->cap, t), R_SUPPLIER, (int)si, t);
			for (size_t o = 0; o < no; o++) {
				if (LF_VEC_AT(&s->offers, sup_offer, o)->supplier != (int)si)
					continue;
				for (int md = 0; md < m->nmode[o]; md++) {
					int tp = t - sup_offer_lead(p, o, md);
					if (tp >= 0)
						ADD_NZ(r, m->x[XI(m, o, md, tp)], 1);
				}
			}
		}
	}
	for (size_t pi = 0; pi < s->pools.len; pi++) {
		const sup_pool *pool = LF_VEC_AT(&s->pools, sup_pool, pi);
		for (int t = 0; t < T; t++) {
			ROW(r, -HUGE_VAL, lfi_sup_cap_at(&pool->cap, t), R_POOL, (int)pi, t);
			for (size_t o = 0; o < no; o++) {
				const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
				const lf_optic *op = p->sku[p->offer_sku[o]].o;
				if (op->laser != pool->laser)
					continue;
				bool in = pool->n_sup == 0;
				for (int k = 0; k < pool->n_sup; k++)
					in |= pool->sup[k] == of->supplier;
				if (!in)
					continue;
				for (int md = 0; md < m->nmode[o]; md++) {
					int tp = t - sup_offer_lead(p, o, md);
					if (tp >= 0)
						ADD_NZ(r, m->x[XI(m, o, md, tp)], op->lasers);
				}
			}
		}
	}
	return true;
oom:
	return false;
}

/* Reservations r (quantity Q per period in [from, to], price u, take-or-pay tp):
 *     taken[r,t] <= Q sign_r,   sign_r = 1, or in [0,1] ({0,1} in a MIP) when optional
 *     cost: u tp Q (to - from + 1) sign_r + u (1 - tp) sum_t taken[r,t] */
static bool build_reservations(model *m)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	size_t nr = s->resv.len;
	int r;
	for (size_t ri = 0; ri < nr; ri++) {
		const sup_resv *rv = LF_VEC_AT(&s->resv, sup_resv, ri);
		double len = rv->to - rv->from + 1;
		bool off = (int)ri == m->disabled_resv;
		int sg;
		if (rv->optional && !off) {
			COL(sg, 0, 1, rv->price_usd * rv->take_or_pay * rv->quantity * len,
			    s->integer ? GLP_BV : GLP_CV);
		} else {
			double fixv = off ? 0 : 1;
			COL(sg, fixv, fixv, rv->price_usd * rv->take_or_pay * rv->quantity * len, GLP_CV);
		}
		m->sign[ri] = sg;
		for (int t = rv->from; t <= rv->to; t++) {
			int c;
			COL(c, 0, HUGE_VAL, rv->price_usd * (1 - rv->take_or_pay), GLP_CV);
			m->taken[ri * (size_t)T + (size_t)t] = c;
			ROW(r, -HUGE_VAL, 0, R_RESV, (int)ri, t);
			ADD_NZ(r, c, 1);
			ADD_NZ(r, sg, -rv->quantity);
		}
	}
	return true;
oom:
	return false;
}

/* Per-stage choice (choose: per-stage): y[g,j] in {0,1} for stage g built
 * from option j (fixed when assign says so),
 *     sum_j y[g,j] = 1,
 *     y[g,i] + y[h,j] <= 1   for incompatible options i, j and stages g != h,
 * y[g,j] costing option j's stage penalty constant and option_costs (an
 * option not chosen costs nothing); C[g,j,l,T-1] <= L y[g,j] is in
 * build_demand. */
static bool build_choice(model *m)
{
	const problem *p = m->p;
	const int T = p->T;
	int r;
	if (p->per_stage) {
		for (int g = 0; g < p->n_grp; g++) {
			int rs;
			ROW(rs, 1, 1, R_OTHER, g, -1);
			for (int j = 0; j < p->n_opt; j++) {
				int k = g * p->n_opt + j;
				const stage_t *S = &p->st[k];
				double c = S->extra;
				for (int i = 0; i < p->n_lv; i++)
					c += S->L[i] * (S->pen * (T - (S->need_by < T ? S->need_by : T)) +
					                S->unmet);
				int a = m->assign ? m->assign[g] : -1;
				if (a >= 0)
					COL(m->y[k], a == j, a == j, c, GLP_CV);
				else
					COL(m->y[k], 0, 1, c, GLP_BV);
				ADD_NZ(rs, m->y[k], 1);
			}
		}
		/* incompatible options never share the build-out */
		for (int g = 0; g < p->n_grp; g++)
			for (int h = 0; h < p->n_grp; h++)
				for (int i = 0; i < p->n_opt; i++)
					for (int j = i + 1; j < p->n_opt; j++) {
						if (g == h || !p->s->incompatible[i][j])
							continue;
						ROW(r, -HUGE_VAL, 1, R_OTHER, g, -1);
						ADD_NZ(r, m->y[g * p->n_opt + i], 1);
						ADD_NZ(r, m->y[h * p->n_opt + j], 1);
					}
	}
	return true;
oom:
	return false;
}

/* Demand per stage s, link level l, period t:
 *     C[s,l,t] = C[s,l,t-1] + sum_g w[s,l,g,t],  0 <= C <= L[s,l]   (cumulative)
 *     C[s,l,T-1] <= L[s,l] y[s]                                    (per-stage choice)
 *     sum_{k in family g} v[l,e,k,t] = sum_s rho[s,l,e] w[s,l,g,t] (family, each end e)
 * lateness pen_s (L[s,l] - C[s,l,t]) for t >= need_by_s, unmet links at the
 * horizon's end: the constant is taken out and -pen_s per C column left. */
static bool build_demand(model *m)
{
	const problem *p = m->p;
	const int T = p->T;
	int maxcand = max_cand(p);
	int r;
	for (int k = 0; k < p->n_st; k++) {
		const stage_t *S = &p->st[k];
		for (int i = 0; i < p->n_lv; i++) {
			const level_t *L = &p->lv[i];
			double Ls = S->L[i];
			if (Ls <= 0)
				continue;
			int prev = 0;
			for (int t = 0; t < T; t++) {
				double c = 0;
				if (t >= S->need_by)
					c -= S->pen;
				if (t == T - 1)
					c -= S->unmet;
				int cc;
				COL(cc, 0, Ls, c, GLP_CV);
				m->C[((size_t)k * LV_MAX + (size_t)i) * (size_t)T + (size_t)t] = cc;
				if (t >= S->need_by && !p->per_stage)
					m->constant += S->pen * Ls;
				if (t == T - 1 && !p->per_stage)
					m->constant += S->unmet * Ls;
				ROW(r, 0, 0, R_OTHER, k, t);
				ADD_NZ(r, cc, 1);
				if (prev)
					ADD_NZ(r, prev, -1);
				for (int f = 0; f < L->n_fam; f++) {
					int wc;
					COL(wc, 0, HUGE_VAL, 0, GLP_CV);
					m->w[(((size_t)k * LV_MAX + (size_t)i) * (size_t)m->maxfam +
					      (size_t)f) * (size_t)T + (size_t)t] = wc;
					ADD_NZ(r, wc, -1);
				}
				prev = cc;
			}
			if (p->per_stage) {
				/* C is cumulative: served links <= L y at the horizon end */
				ROW(r, -HUGE_VAL, 0, R_OTHER, k, T - 1);
				ADD_NZ(r, prev, 1);
				ADD_NZ(r, m->y[k], -Ls);
			}
		}
	}
	for (int i = 0; i < p->n_lv; i++) {
		const level_t *L = &p->lv[i];
		for (int c = 0; c < L->n_cand; c++)
			for (int t = 0; t < T; t++) {
				int vc;
				COL(vc, 0, HUGE_VAL, 0, GLP_CV);
				m->v[((size_t)i * (size_t)maxcand + (size_t)c) * (size_t)T + (size_t)t] = vc;
			}
		for (int f = 0; f < L->n_fam; f++)
			for (int e = 0; e < 2; e++)
				for (int t = 0; t < T; t++) {
					ROW(r, 0, 0, R_OTHER, i, t);
					for (int c = 0; c < L->n_cand; c++)
						if (L->cand[c].fam == f && L->cand[c].end == e)
							ADD_NZ(r, m->v[((size_t)i * (size_t)maxcand + (size_t)c) *
							               (size_t)T + (size_t)t], 1);
					for (int k = 0; k < p->n_st; k++) {
						const stage_t *S = &p->st[k];
						if (S->L[i] <= 0)
							continue;
						ADD_NZ(r, m->w[(((size_t)k * LV_MAX + (size_t)i) *
						                (size_t)m->maxfam + (size_t)f) * (size_t)T +
						               (size_t)t], -S->rho[i][e]);
					}
				}
	}
	return true;
oom:
	return false;
}

/* Spares (lightfab reliability): S[k,t] = S[k,t-1] + u[k,t] <= N_k,
 * u drawn from stock; short from need-by and unmet as for links */
static bool build_spares(model *m)
{
	const problem *p = m->p;
	const int T = p->T;
	size_t nk = p->n_sku;
	int r;
	for (size_t kk = 0; kk < nk; kk++) {
		double N = p->spare[kk];
		if (N <= 0)
			continue;
		int prev = 0;
		for (int t = 0; t < T; t++) {
			double c = 0;
			if (t >= p->spare_need)
				c -= p->spare_pen;
			if (t == T - 1)
				c -= p->unmet;
			m->constant -= c * N;
			if (t < p->spare_need)
				c += TIE_HOLD;    /* set aside as late as they can be, like stock */
			int uc, sc;
			COL(uc, 0, HUGE_VAL, 0, GLP_CV);
			COL(sc, 0, N, c, GLP_CV);
			m->spu[kk * (size_t)T + (size_t)t] = uc;
			m->spS[kk * (size_t)T + (size_t)t] = sc;
			ROW(r, 0, 0, R_OTHER, (int)kk, t);
			ADD_NZ(r, sc, 1);
			if (prev)
				ADD_NZ(r, prev, -1);
			ADD_NZ(r, uc, -1);
			prev = sc;
		}
	}
	return true;
oom:
	return false;
}

/* Inventory per SKU k and period t:
 *     I[k,t] = I[k,t-1] + sum_{o of k, m} x[o,m,t-lead_m] + sum_{r of k} taken[r,t]
 *              - u[k,t] - sum_{l,e} v[l,e,k,t],   I[k,-1] = stock on hand, I >= 0
 * I costing holding x price + the 0.01 $ tie-break per module-period. */
static bool build_inventory(model *m)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	size_t no = s->offers.len, nr = s->resv.len, nk = p->n_sku;
	int maxcand = max_cand(p);
	int r;
	for (size_t kk = 0; kk < nk; kk++) {
		const lf_optic *op = p->sku[kk].o;
		int prev = 0;
		for (int t = 0; t < T; t++) {
			int ic;
			COL(ic, 0, HUGE_VAL, s->holding * op->price_usd + TIE_HOLD, GLP_CV);
			m->inv[kk * (size_t)T + (size_t)t] = ic;
			double rhs = t == 0 ? p->sku[kk].stock : 0;
			ROW(r, rhs, rhs, R_OTHER, (int)kk, t);
			ADD_NZ(r, ic, 1);
			if (prev)
				ADD_NZ(r, prev, -1);
			prev = ic;
			for (size_t o = 0; o < no; o++) {
				if (p->offer_sku[o] != (int)kk)
					continue;
				for (int md = 0; md < m->nmode[o]; md++) {
					int tp = t - sup_offer_lead(p, o, md);
					if (tp >= 0)
						ADD_NZ(r, m->x[XI(m, o, md, tp)], -1);
				}
			}
			for (size_t ri = 0; ri < nr; ri++)
				if (p->resv_sku[ri] == (int)kk)
					ADD_NZ(r, m->taken[ri * (size_t)T + (size_t)t], -1);
			ADD_NZ(r, m->spu[kk * (size_t)T + (size_t)t], 1);
			for (int i = 0; i < p->n_lv; i++)
				for (int c = 0; c < p->lv[i].n_cand; c++)
					if (p->lv[i].cand[c].sku == (int)kk)
						ADD_NZ(r, m->v[((size_t)i * (size_t)maxcand + (size_t)c) *
						               (size_t)T + (size_t)t], 1);
		}
	}
	return true;
oom:
	return false;
}

lf_status sup_build(model *m, const problem *p, int disabled_resv, const int *assign,
                    lf_error *err)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->disabled_resv = disabled_resv;
	m->assign = assign;
	lfi_vec_init(&m->lb, sizeof(double));
	lfi_vec_init(&m->ub, sizeof(double));
	lfi_vec_init(&m->cost, sizeof(double));
	lfi_vec_init(&m->ckind, sizeof(int));
	lfi_vec_init(&m->rlo, sizeof(double));
	lfi_vec_init(&m->rhi, sizeof(double));
	lfi_vec_init(&m->rinfo, sizeof(rowinfo));
	lfi_vec_init(&m->ia, sizeof(int));
	lfi_vec_init(&m->ja, sizeof(int));
	lfi_vec_init(&m->ar, sizeof(double));
	const sup_scenario *s = p->s;
	const int T = p->T;
	size_t no = s->offers.len, nr = s->resv.len, nk = p->n_sku;
	m->nmode = calloc(no + 1, sizeof(int));
	m->xbase = calloc(no + 1, sizeof(int));
	size_t nx = 0;
	for (size_t o = 0; o < no; o++) {
		m->xbase[o] = (int)nx;
		m->nmode[o] = 1 + LF_VEC_AT(&s->offers, sup_offer, o)->n_exp;
		nx += (size_t)m->nmode[o] * (size_t)T;
	}
	m->maxfam = 1;
	for (int i = 0; i < p->n_lv; i++)
		m->maxfam = p->lv[i].n_fam > m->maxfam ? p->lv[i].n_fam : m->maxfam;
	int maxcand = 1;
	for (int i = 0; i < p->n_lv; i++)
		maxcand = p->lv[i].n_cand > maxcand ? p->lv[i].n_cand : maxcand;
	m->x = calloc(nx + 1, sizeof(int));
	m->q = calloc(no * SUP_MAX_SEG + 1, sizeof(int));
	m->taken = calloc(nr * (size_t)T + 1, sizeof(int));
	m->sign = calloc(nr + 1, sizeof(int));
	m->inv = calloc(nk * (size_t)T + 1, sizeof(int));
	m->v = calloc((size_t)(p->n_lv ? p->n_lv : 1) * (size_t)maxcand * (size_t)T + 1, sizeof(int));
	m->w = calloc((size_t)p->n_st * LV_MAX * (size_t)m->maxfam * (size_t)T + 1,
	              sizeof(int));
	m->C = calloc((size_t)p->n_st * LV_MAX * (size_t)T + 1, sizeof(int));
	m->y = calloc((size_t)p->n_st + 1, sizeof(int));
	m->spu = calloc(nk * (size_t)T + 1, sizeof(int));
	m->spS = calloc(nk * (size_t)T + 1, sizeof(int));
	if (!m->nmode || !m->xbase || !m->x || !m->q || !m->taken || !m->sign || !m->inv ||
	    !m->v || !m->w || !m->C || !m->spu || !m->spS || !m->y)
		goto oom;
	if (!build_orders(m) ||
	    !build_capacity(m) ||
	    !build_reservations(m) ||
	    !build_choice(m) ||
	    !build_demand(m) ||
	    !build_spares(m) ||
	    !build_inventory(m))
		goto oom;
	return LF_OK;
oom:
	sup_model_release(m);
	return lfi_oom(err);
}
