/*
 * supply_stoch.c — uncertainty: the two-stage stochastic program (the
 * extensive form), wait-and-see (EVPI) and the mean-value plan (VSS).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply_model.h"

/* ------------------------------------------- two-stage stochastic supply */

/* Override value of (kind, ref) in scenario q, or dflt when it has none. */
static double ovr_value(const sup_unc *q, int kind, int ref, double dflt)
{
	for (int r = 0; r < q->n_ovr; r++)
		if (q->ovr[r].kind == kind && q->ovr[r].ref == ref)
			return q->ovr[r].value;
	return dflt;
}

/* Whether some scenario overrides (kind, ref); *pr: their probability. */
static bool ovr_any(const sup_scenario *s, int kind, int ref, double *pr)
{
	*pr = 0;
	for (int q = 0; q < s->n_unc; q++)
		if (!isnan(ovr_value(&s->unc[q], kind, ref, NAN)))
			*pr += s->unc[q].prob;
	return *pr > 0;
}

/* A shallow copy of s with its own pools, suppliers and offers arrays and
 * uncertainty scenario u's overrides: capacities, lead times (every offer of
 * the supplier), price factors (every offer price of the supplier).  u NULL:
 * the mean-value scenario: the probability-weighted mean of each overridden
 * value, a scenario that does not override it counting the base (capacity,
 * factor 1, the offer's lead; an offer with the catalog's lead, unknown
 * here, takes the overriding scenarios' mean lead, rounded up). */
static lf_status unc_copy(const sup_scenario *s, const sup_unc *u, sup_scenario *cp,
                          lf_error *err)
{
	*cp = *s;
	cp->pub.impl_ = cp;
	cp->n_unc = 0;
	cp->value_resv = false;
	cp->pools.data = malloc(s->pools.len * sizeof(sup_pool) + 1);
	cp->suppliers.data = malloc(s->suppliers.len * sizeof(sup_supplier) + 1);
	cp->offers.data = malloc(s->offers.len * sizeof(sup_offer) + 1);
	if (!cp->pools.data || !cp->suppliers.data || !cp->offers.data) {
		free(cp->pools.data);
		free(cp->suppliers.data);
		free(cp->offers.data);
		return lfi_oom(err);
	}
	memcpy(cp->pools.data, s->pools.data, s->pools.len * sizeof(sup_pool));
	memcpy(cp->suppliers.data, s->suppliers.data, s->suppliers.len * sizeof(sup_supplier));
	memcpy(cp->offers.data, s->offers.data, s->offers.len * sizeof(sup_offer));
	for (int k = 0; k < s->n_unc; k++) {
		const sup_unc *x = &s->unc[k];
		if (u && x != u)
			continue;
		for (int i = 0; i < x->n_ovr; i++) {
			int kind = x->ovr[i].kind, ref = x->ovr[i].ref;
			if (kind == OVR_POOL || kind == OVR_SUPPLIER) {
				sup_cap *c = kind == OVR_SUPPLIER
				             ? &LF_VEC_AT(&cp->suppliers, sup_supplier, (size_t)ref)->cap
				             : &LF_VEC_AT(&cp->pools, sup_pool, (size_t)ref)->cap;
				const sup_cap *c0 = kind == OVR_SUPPLIER
				             ? &LF_VEC_AT(&s->suppliers, sup_supplier, (size_t)ref)->cap
				             : &LF_VEC_AT(&s->pools, sup_pool, (size_t)ref)->cap;
				double v = x->ovr[i].value;
				if (!u) {
					v = 0;
					for (int q = 0; q < s->n_unc; q++)
						v += s->unc[q].prob *
						     ovr_value(&s->unc[q], kind, ref, c0->set ? c0->base : 0);
				}
				c->base = v;
				c->set = true;
				c->n_steps = 0;
				continue;
			}
			for (size_t o = 0; o < cp->offers.len; o++) {
				sup_offer *of = LF_VEC_AT(&cp->offers, sup_offer, o);
				const sup_offer *o0 = LF_VEC_AT(&s->offers, sup_offer, o);
				if (of->supplier != ref)
					continue;
				if (kind == OVR_PRICE) {
					double f = x->ovr[i].value;
					if (!u) {
						f = 0;
						for (int q = 0; q < s->n_unc; q++)
							f += s->unc[q].prob * ovr_value(&s->unc[q], kind, ref, 1);
					}
					for (int j = 0; j < o0->n_seg; j++)
						of->seg_usd[j] = o0->seg_usd[j] * f;
					of->price_factor = f;
				} else if (u) {
					of->lead = (int)x->ovr[i].value;
				} else {
					double pr, l = 0;
					(void)ovr_any(s, kind, ref, &pr);
					for (int q = 0; q < s->n_unc; q++) {
						double v = ovr_value(&s->unc[q], kind, ref, NAN);
						if (!isnan(v))
							l += s->unc[q].prob * v;
						else if (o0->lead >= 0)
							l += s->unc[q].prob * o0->lead;
					}
					of->lead = (int)ceil((o0->lead >= 0 ? l : l / pr) - 1e-9);
				}
			}
		}
	}
	return LF_OK;
}

/* First-stage keys of a model, in a fixed order (every offer, mode and
 * period < commit; each reservation's signature and call-offs before
 * commit): cols[i] is the column of key i, 0 when the model has none (an
 * order that would arrive after the horizon).  *n: the keys. */
static void first_stage_cols(const model *m, int commit, int *cols, int *n)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	*n = 0;
	for (size_t o = 0; o < s->offers.len; o++)
		for (int md = 0; md < SUP_MAX_EXP + 1; md++)
			for (int t = 0; t < commit && t < T; t++)
				cols[(*n)++] = md < m->nmode[o] ? m->x[XI(m, o, md, t)] : 0;
	for (size_t r = 0; r < s->resv.len; r++) {
		cols[(*n)++] = m->sign[r];
		for (int t = 0; t < commit && t < T; t++)
			cols[(*n)++] = m->taken[r * (size_t)T + (size_t)t];
	}
}

/* the number of first-stage keys */
static size_t first_stage_n(const sup_scenario *s, int T)
{
	int c = s->commit < T ? s->commit : T;
	return s->offers.len * (SUP_MAX_EXP + 1) * (size_t)c + s->resv.len * (1 + (size_t)c) + 1;
}

/* One scenario (or the mean) as its own problem and model. */
typedef struct scen {
	sup_scenario cp;
	bool copied;
	problem p;
	bool set;
	model m;
	bool built;
	int *rstat, *cstat;       /* its optimal basis (an LP), for the extensive form */
	uint8_t *ws;              /* columns off their lower bound in its wait-and-see basis */
} scen;

static void scen_release(scen *c)
{
	if (c->built)
		sup_model_release(&c->m);
	if (c->set)
		sup_problem_release(&c->p);
	if (c->copied) {
		free(c->cp.pools.data);
		free(c->cp.suppliers.data);
		free(c->cp.offers.data);
	}
	free(c->rstat);
	free(c->cstat);
	free(c->ws);
	memset(c, 0, sizeof *c);
}

/* Copy s for uncertainty scenario u (NULL: the mean), set up (with spares
 * from lightfab reliability when rel is given) and build it;
 * setup's notes go to a (NULL: dropped). */
static lf_status scen_build(const sup_scenario *s, const sup_unc *u, const lf_plan *pl,
                            const lf_reliability *rel, lf_supply_answer *a, scen *c,
                            lf_error *err)
{
	lf_status st = unc_copy(s, u, &c->cp, err);
	if (st != LF_OK)
		return st;
	c->copied = true;
	lf_supply_answer tmp;
	memset(&tmp, 0, sizeof tmp);
	st = sup_setup(&c->p, &c->cp, &pl, 1, rel, a ? a : &tmp, err);
	sup_answer_release(&tmp);
	c->set = true;            /* problem_release copes with a partial setup */
	if (st == LF_OK && (st = sup_build(&c->m, &c->p, -1, NULL, err)) == LF_OK)
		c->built = true;
	return st;
}

/* Drop a solved model's solution (its matrix stays for the extensive form). */
static void unsolve(model *m)
{
	free(m->val);
	free(m->dval);
	free(m->cdual);
	free(m->rdual);
	m->val = m->dval = m->cdual = m->rdual = NULL;
	if (m->lp)
		glp_delete_prob(m->lp);
	m->lp = NULL;
}

/* The objective of a solved model as the answer reports it. */
static lf_status reported_objective(model *m, double *obj, double *signed_frac, lf_error *err)
{
	lf_supply_answer a;
	memset(&a, 0, sizeof a);
	lf_status st = sup_fill_answer(m, &a, err);
	*obj = a.objective_usd;
	for (size_t r = 0; st == LF_OK && signed_frac && r < a.n_resv; r++)
		signed_frac[r] = a.resv[r].fraction;
	sup_answer_release(&a);
	return st;
}


/*
 * The extensive form: every scenario's model side by side, costs times its
 * probability, the first-stage columns (first_stage_cols) shared: scenario
 * u's column of a first-stage key is scenario 0's, with cost sum_u p_u c_u
 * (nonanticipativity by construction, no x_u = x_0 rows: half the rows).
 * An LP is solved by column generation (solve_colgen) from the scenarios'
 * bases with the first stage at its lower bounds (no orders, no optional
 * signature: feasible in every scenario, unmet links carry the cost): with
 * the shared columns nonbasic that basis is block diagonal, nonsingular and
 * primal feasible; the columns each scenario's wait-and-see optimum uses
 * seed the restricted problem (bench/README.md).  A MIP is solved whole.
 * Fills answers[u] and the expected objective.
 */
static lf_status extensive(const sup_scenario *s, const lf_plan *pl, scen *sc,
                           lf_supply_answer *answers, double *expected, lf_error *err)
{
	int nu = s->n_unc;
	lf_status st = LF_OK;
	model M;
	memset(&M, 0, sizeof M);
	lfi_vec_init(&M.lb, sizeof(double));
	lfi_vec_init(&M.ub, sizeof(double));
	lfi_vec_init(&M.cost, sizeof(double));
	lfi_vec_init(&M.ckind, sizeof(int));
	lfi_vec_init(&M.rlo, sizeof(double));
	lfi_vec_init(&M.rhi, sizeof(double));
	lfi_vec_init(&M.rinfo, sizeof(rowinfo));
	lfi_vec_init(&M.ia, sizeof(int));
	lfi_vec_init(&M.ja, sizeof(int));
	lfi_vec_init(&M.ar, sizeof(double));
	int offr[SUP_MAX_UNC];
	int *map[SUP_MAX_UNC] = { 0 };     /* scenario column -> extensive column */
	size_t nk = first_stage_n(s, sc[0].p.T);
	int *k0 = malloc(nk * sizeof *k0), *ku = malloc(nk * sizeof *ku), nfc = 0;
	bool basis = true;
	if (!k0 || !ku)
		st = lfi_oom(err);
	else
		first_stage_cols(&sc[0].m, s->commit, k0, &nfc);
	for (int u = 0; u < nu && st == LF_OK; u++) {
		const model *m = &sc[u].m;
		double pr = s->unc[u].prob;
		basis = basis && sc[u].rstat && sc[u].cstat;
		map[u] = calloc(m->lb.len + 1, sizeof *map[u]);
		if (!map[u]) {
			st = lfi_oom(err);
			break;
		}
		if (u > 0) {
			first_stage_cols(m, s->commit, ku, &nfc);
			for (int i = 0; i < nfc; i++)
				if (ku[i] && k0[i])
					map[u][ku[i]] = k0[i];
		}
		for (size_t j = 0; j < m->lb.len && st == LF_OK; j++) {
			double lo = *LF_VEC_AT(&m->lb, double, j), hi = *LF_VEC_AT(&m->ub, double, j);
			double c = pr * *LF_VEC_AT(&m->cost, double, j);
			if (map[u][j + 1]) {
				*LF_VEC_AT(&M.cost, double, (size_t)map[u][j + 1] - 1) += c;
				continue;
			}
			if ((map[u][j + 1] = sup_add_col(&M, lo, hi, c, *LF_VEC_AT(&m->ckind, int, j))) < 0)
				st = lfi_oom(err);
		}
		offr[u] = (int)M.rlo.len;
		for (size_t i = 0; i < m->rlo.len && st == LF_OK; i++) {
			const rowinfo *ri = LF_VEC_AT(&m->rinfo, rowinfo, i);
			if (sup_add_row(&M, *LF_VEC_AT(&m->rlo, double, i), *LF_VEC_AT(&m->rhi, double, i),
			            ri->kind, ri->ref, ri->period) < 0)
				st = lfi_oom(err);
		}
		for (size_t e = 0; e < m->ia.len && st == LF_OK; e++)
			if (!sup_add_nz(&M, *LF_VEC_AT(&m->ia, int, e) + offr[u],
			            map[u][*LF_VEC_AT(&m->ja, int, e)], *LF_VEC_AT(&m->ar, double, e)))
				st = lfi_oom(err);
		M.constant += pr * m->constant;
	}
	/* the starting basis: each scenario's, the shared columns at their lower bound */
	int *rstat = NULL, *cstat = NULL;
	if (basis && st == LF_OK) {
		rstat = malloc((M.rlo.len + 1) * sizeof *rstat);
		cstat = malloc((M.lb.len + 1) * sizeof *cstat);
		if (!rstat || !cstat)
			st = lfi_oom(err);
	}
	if (rstat && cstat) {
		for (int u = 0; u < nu; u++) {
			const model *m = &sc[u].m;
			memcpy(rstat + 1 + offr[u], sc[u].rstat + 1, m->rlo.len * sizeof *rstat);
			for (size_t j = 1; j <= m->lb.len; j++)
				cstat[map[u][j]] = sc[u].cstat[j];
		}
		for (int i = 0; i < nfc; i++)
			if (k0[i]) {
				double lo = *LF_VEC_AT(&M.lb, double, (size_t)k0[i] - 1);
				double hi = *LF_VEC_AT(&M.ub, double, (size_t)k0[i] - 1);
				cstat[k0[i]] = lo == hi ? GLP_NS : GLP_NL;
			}
	}
	bool solved = false;
	if (st == LF_OK && rstat && cstat && !M.n_int) {
		uint8_t *keep = calloc(M.lb.len + 1, 1);
		if (!keep)
			st = lfi_oom(err);
		for (int u = 0; keep && u < nu; u++)
			for (size_t j = 1; sc[u].ws && j <= sc[u].m.lb.len; j++)
				if (sc[u].ws[j])
					keep[map[u][j] - 1] = 1;
		if (keep)
			solved = sup_solve_colgen(&M, keep, rstat, cstat);
		free(keep);
	}
	if (st == LF_OK && !solved)
		st = sup_solve(&M, s->time_limit_s, NULL, err);
	free(rstat);
	free(cstat);
	/* each scenario's part of the solution, its duals per unit of probability */
	*expected = 0;
	for (int u = 0; u < nu && st == LF_OK; u++) {
		model *m = &sc[u].m;
		double pr = s->unc[u].prob > 0 ? s->unc[u].prob : 1;
		unsolve(m);
		m->rows = (int)m->rlo.len;
		m->cols = (int)m->lb.len;
		m->val = calloc((size_t)m->cols + 1, sizeof(double));
		m->dval = calloc((size_t)m->cols + 1, sizeof(double));
		m->cdual = calloc((size_t)m->cols + 1, sizeof(double));
		m->rdual = calloc((size_t)m->rows + 1, sizeof(double));
		if (!m->val || !m->dval || !m->cdual || !m->rdual) {
			st = lfi_oom(err);
			break;
		}
		for (int j = 1; j <= m->cols; j++) {
			m->val[j] = M.val[map[u][j]];
			m->dval[j] = M.dval[map[u][j]];
			m->cdual[j] = M.cdual[map[u][j]] / pr;
		}
		for (int i = 1; i <= m->rows; i++)
			m->rdual[i] = M.rdual[i + offr[u]] / pr;
		m->optimal = M.optimal;
		m->gap = M.gap;
		m->n_int = M.n_int;
		lf_supply_answer *a = &answers[u];
		st = sup_fill_answer(m, a, err);
		if (st == LF_OK) {
			a->name = s->unc[u].name;
			a->spec_name = pl->name;
			a->probability = s->unc[u].prob;
			a->rows = M.rows;
			a->cols = M.cols;
			*expected += s->unc[u].prob * a->objective_usd;
		}
	}
	for (int u = 0; u < nu; u++)
		free(map[u]);
	free(k0);
	free(ku);
	sup_model_release(&M);
	return st;
}

/* The first-stage columns of a solved LP with them fixed at 0 that the
 * optimal basis holds (degenerate, at 0) leave it: each for the auxiliary
 * of a row i with entry i of its row of the basis inverse nonzero, so the
 * basis stays nonsingular, and the point (and its feasibility) unchanged.
 * Then the extensive form can take this basis with its shared first-stage
 * columns nonbasic. */
static void pivot_out_first_stage(model *m, int commit)
{
	glp_prob *lp = m->lp;
	int nrow = glp_get_num_rows(lp), nfc = 0;
	int *fc = malloc(first_stage_n(m->p->s, m->p->T) * sizeof *fc);
	double *rho = malloc(((size_t)nrow + 1) * sizeof *rho);
	if (fc && rho && (glp_bf_exists(lp) || glp_factorize(lp) == 0)) {
		first_stage_cols(m, commit, fc, &nfc);
		for (int q = 0; q < nfc; q++) {
			int j = fc[q];
			if (!j || glp_get_col_stat(lp, j) != GLP_BS)
				continue;
			int k = glp_get_col_bind(lp, j), best = 0;
			for (int i = 1; i <= nrow; i++)
				rho[i] = i == k;
			glp_btran(lp, rho);
			for (int i = 1; i <= nrow; i++)
				if (glp_get_row_stat(lp, i) != GLP_BS && fabs(rho[i]) > 1e-7 &&
				    (!best || fabs(rho[i]) > fabs(rho[best])))
					best = i;
			if (!best)
				continue;
			glp_set_row_stat(lp, best, GLP_BS);
			glp_set_col_stat(lp, j, GLP_NS);
			if (glp_factorize(lp) != 0)
				break;
		}
	}
	free(fc);
	free(rho);
}

/* Scenario c's model with the first stage fixed: at fix's values, by
 * first-stage key (first_stage_cols; NAN: free), or (fix NULL) every
 * first-stage column at its lower bound; solved warm from its own solved
 * model: its reported cost, or HUGE_VAL when that first stage is infeasible
 * in the scenario (or orders what the scenario's leads cannot deliver).
 * basis: keep the optimal basis in c->rstat, c->cstat. */
static lf_status evaluate_fixed(scen *c, int commit, const double *fix, bool basis, double *obj,
                                lf_error *err)
{
	model me;
	lf_status st = sup_build(&me, &c->p, -1, NULL, err);
	if (st != LF_OK)
		return st;
	int *fc = malloc(first_stage_n(c->p.s, c->p.T) * sizeof *fc), nfc = 0;
	if (!fc) {
		sup_model_release(&me);
		return lfi_oom(err);
	}
	first_stage_cols(&me, commit, fc, &nfc);
	bool possible = true;
	for (int i = 0; i < nfc; i++) {
		double v = fix ? fix[i] : NAN;
		if (!fc[i]) {
			possible = possible && !(v > EPS);
			continue;
		}
		if (!fix)
			v = *LF_VEC_AT(&me.lb, double, (size_t)fc[i] - 1);
		if (!isnan(v)) {
			*LF_VEC_AT(&me.lb, double, (size_t)fc[i] - 1) = v;
			*LF_VEC_AT(&me.ub, double, (size_t)fc[i] - 1) = v;
		}
	}
	free(fc);
	if (!possible) {
		*obj = HUGE_VAL;
		sup_model_release(&me);
		return LF_OK;
	}
	lf_error e2 = { 0 };
	st = sup_solve(&me, c->cp.time_limit_s, &c->m, &e2);
	if (st == LF_ESOLVER) {
		*obj = HUGE_VAL;
		st = LF_OK;
	} else if (st == LF_OK) {
		st = reported_objective(&me, obj, NULL, err);
	} else {
		*err = e2;
	}
	if (st == LF_OK && basis && me.lp)
		pivot_out_first_stage(&me, commit);
	if (st == LF_OK && basis && me.lp) {
		c->rstat = malloc(((size_t)me.rows + 1) * sizeof *c->rstat);
		c->cstat = malloc(((size_t)me.cols + 1) * sizeof *c->cstat);
		if (!c->rstat || !c->cstat) {
			st = lfi_oom(err);
		} else {
			for (int i = 1; i <= me.rows; i++)
				c->rstat[i] = glp_get_row_stat(me.lp, i);
			for (int j = 1; j <= me.cols; j++)
				c->cstat[j] = glp_get_col_stat(me.lp, j);
		}
	}
	sup_model_release(&me);
	return st;
}

/*
 * uncertainty: the stochastic plan (answers per scenario), its expected cost,
 * the wait-and-see cost (EVPI) and the mean-value plan's (VSS).  Order: the
 * mean-value LP; per scenario its own LP (wait and see), then warm from it
 * (only bounds differ: the dual simplex restarts from a dual feasible basis)
 * the mean plan's first stage fixed (EEV: with the first stage fixed the
 * scenarios decouple, so the sum of these equals the extensive form's with
 * that first stage) and the first stage at its lower bounds (the extensive
 * form's starting basis); last the extensive form.
 */
lf_status sup_solve_stochastic(const sup_scenario *s, const lf_plan *pl,
                               const lf_reliability *rel, lf_supply_result *r, lf_error *err)
{
	double t0 = lf_wall_now();
	r->stochastic = 1;
	r->commit = s->commit;
	free(r->answers);
	r->answers = calloc((size_t)s->n_unc, sizeof *r->answers);
	scen *sc = calloc((size_t)s->n_unc + 1, sizeof *sc), *mean = sc ? &sc[s->n_unc] : NULL;
	double *frac = calloc(s->resv.len + 1, sizeof *frac), *fix = NULL;
	if (!r->answers || !sc || !frac) {
		free(sc);
		free(frac);
		return lfi_oom(err);
	}
	r->n_answers = (size_t)s->n_unc;
	/* the mean-value plan and its first stage */
	lf_status st = scen_build(s, NULL, pl, rel, NULL, mean, err);
	double o;
	if (st == LF_OK && (st = sup_solve(&mean->m, s->time_limit_s, NULL, err)) == LF_OK)
		st = reported_objective(&mean->m, &o, frac, err);
	if (st == LF_OK) {
		size_t nk = first_stage_n(s, mean->p.T);
		int *fc = malloc(nk * sizeof *fc), nfc = 0;
		fix = malloc(nk * sizeof *fix);
		if (!fc || !fix) {
			st = lfi_oom(err);
		} else {
			first_stage_cols(&mean->m, s->commit, fc, &nfc);
			for (int i = 0; i < nfc; i++)
				fix[i] = fc[i] ? mean->m.val[fc[i]] : 0;
		}
		free(fc);
	}
	/* wait and see, and the mean plan evaluated, per scenario */
	r->wait_and_see_usd = 0;
	r->eev_usd = 0;
	for (int u = 0; u < s->n_unc && st == LF_OK; u++) {
		scen *c = &sc[u];
		st = scen_build(s, &s->unc[u], pl, rel, &r->answers[u], c, err);
		if (st == LF_OK)
			st = sup_solve(&c->m, s->time_limit_s, NULL, err);
		/* its optimal columns seed the extensive form's */
		if (st == LF_OK && c->m.lp && (c->ws = calloc((size_t)c->m.cols + 1, 1)))
			for (int j = 1; j <= c->m.cols; j++)
				c->ws[j] = glp_get_col_stat(c->m.lp, j) != GLP_NL;
		if (st == LF_OK)
			st = reported_objective(&c->m, &o, NULL, err);
		r->wait_and_see_usd += s->unc[u].prob * o;
		if (st == LF_OK && (st = evaluate_fixed(c, s->commit, fix, false, &o, err)) == LF_OK)
			r->eev_usd += s->unc[u].prob * o;
		/* the extensive form's starting point */
		if (st == LF_OK)
			st = evaluate_fixed(c, s->commit, NULL, true, &o, err);
		if (c->built)
			unsolve(&c->m);
	}
	scen_release(mean);
	free(fix);
	if (st == LF_OK)
		st = extensive(s, pl, sc, r->answers, &r->expected_usd, err);
	size_t off = 0;
	for (size_t k = 0; st == LF_OK && k < s->resv.len && off < sizeof r->stochastic_note; k++)
		off += (size_t)snprintf(r->stochastic_note + off, sizeof r->stochastic_note - off,
		                        "%s%s signed %.0f%% (mean-value plan: %.0f%%)",
		                        k ? "; " : "", LF_VEC_AT(&s->resv, sup_resv, k)->name,
		                        100 * r->answers[0].resv[k].fraction, 100 * frac[k]);
	free(frac);
	for (int u = 0; u < s->n_unc; u++)
		scen_release(&sc[u]);
	free(sc);
	r->vss_usd = r->eev_usd - r->expected_usd;
	r->evpi_usd = r->expected_usd - r->wait_and_see_usd;
	if (st == LF_OK && r->n_answers)
		r->answers[0].solve_s = lf_wall_now() - t0;
	return st;
}
