/*
 * supply_glpk.c — solving the model with GLPK: loading, the simplex
 * settings, warm starts, branch-and-bound, column generation.
 */
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply_model.h"

static int wrap_bounds(double lo, double hi)
{
	bool l = isfinite(lo), h = isfinite(hi);
	if (l && h)
		return fabs(hi - lo) < 1e-12 ? GLP_FX : GLP_DB;
	if (l)
		return GLP_LO;
	if (h)
		return GLP_UP;
	return GLP_FR;
}

/* The model as a GLPK problem (columns and rows in build order). */
static glp_prob *load_prob(const model *m)
{
	glp_prob *lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MIN);
	int nrow = (int)m->rlo.len, ncol = (int)m->lb.len;
	if (nrow)
		glp_add_rows(lp, nrow);
	if (ncol)
		glp_add_cols(lp, ncol);
	for (int i = 1; i <= nrow; i++) {
		double lo = *LF_VEC_AT(&m->rlo, double, (size_t)i - 1);
		double hi = *LF_VEC_AT(&m->rhi, double, (size_t)i - 1);
		glp_set_row_bnds(lp, i, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0,
		                 isfinite(hi) ? hi : 0);
	}
	for (int j = 1; j <= ncol; j++) {
		double lo = *LF_VEC_AT(&m->lb, double, (size_t)j - 1);
		double hi = *LF_VEC_AT(&m->ub, double, (size_t)j - 1);
		glp_set_col_bnds(lp, j, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0,
		                 isfinite(hi) ? hi : 0);
		glp_set_obj_coef(lp, j, *LF_VEC_AT(&m->cost, double, (size_t)j - 1));
		int kind = *LF_VEC_AT(&m->ckind, int, (size_t)j - 1);
		if (kind != GLP_CV)
			glp_set_col_kind(lp, j, kind);
	}
	size_t ne = m->ia.len;
	int *ia = malloc((ne + 1) * sizeof *ia), *ja = malloc((ne + 1) * sizeof *ja);
	double *ar = malloc((ne + 1) * sizeof *ar);
	if (!ia || !ja || !ar) {
		free(ia);
		free(ja);
		free(ar);
		glp_delete_prob(lp);
		return NULL;
	}
	memcpy(ia + 1, m->ia.data, ne * sizeof *ia);
	memcpy(ja + 1, m->ja.data, ne * sizeof *ja);
	memcpy(ar + 1, m->ar.data, ne * sizeof *ar);
	glp_load_matrix(lp, (int)ne, ia, ja, ar);
	free(ia);
	free(ja);
	free(ar);
	return lp;
}

/*
 * The LP.  Measured on bench/bench_supply.c (bench/README.md): GLPK's
 * default (presolve, primal, the advanced initial basis) takes ~4,100
 * iterations; Bixby's crash basis (glp_cpx_basis) and the dual simplex
 * (GLP_DUALP: dual, primal if the dual fails) take ~620, 2-4x less time.
 * warm: lp already holds an optimal basis of a problem differing only in
 * bounds (the reservation re-solves): that basis is still dual feasible, so
 * the dual simplex starts from it.  A MIP's root relaxation keeps the old
 * settings (presolve + primal): the vertex they reach is integral more often,
 * and on the benchmark's MIP branch-and-bound then takes 1.5 s instead of
 * 5.4 s from the dual's vertex; the answers stay those of before.  Any
 * failure falls back to the old settings (presolve + primal from scratch,
 * then primal without presolve).  it_lim > 0: at most that many dual
 * simplex iterations from a warm basis (a MIP's forcing re-solve: most take
 * 40-600 iterations, but one on the benchmark stalled for 37,909, 54 s,
 * where the cold root takes 3,726), then the cold path.
 */
static int lp_solve(glp_prob *lp, bool warm, bool mip, int it_lim)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.presolve = GLP_OFF;
	sm.meth = GLP_DUALP;
	int rc;
	if (warm || !mip) {
		if (!warm)
			glp_cpx_basis(lp);
		if (warm && it_lim > 0) {
			sm.meth = GLP_DUAL;
			sm.it_lim = it_lim;
		}
		rc = glp_simplex(lp, &sm);
		if (rc == 0 && glp_get_status(lp) == GLP_OPT)
			return 0;
		sm.it_lim = INT_MAX;
	}
	sm.meth = GLP_PRIMAL;
	sm.presolve = GLP_ON;
	if (!warm && !mip)
		glp_std_basis(lp);
	rc = glp_simplex(lp, &sm);
	if (rc == GLP_ENOPFS || rc == GLP_ENODFS || (rc == 0 && glp_get_status(lp) != GLP_OPT)) {
		sm.presolve = GLP_OFF;
		glp_std_basis(lp);
		rc = glp_simplex(lp, &sm);
	}
	return rc;
}

/* Branch-and-bound: track the global bound (the best open node's), which
 * glp_get_obj_val after glp_intopt does not give (that is the root LP's). */
typedef struct mip_track {
	double bound;
	int have;
} mip_track;

static void mip_cb(glp_tree *tree, void *info)
{
	mip_track *t = info;
	int r = glp_ios_reason(tree);
	if (r != GLP_ISELECT && r != GLP_IBINGO && r != GLP_IPREPRO)
		return;
	int best = glp_ios_best_node(tree);
	if (best) {
		t->bound = glp_ios_node_bound(tree, best);
		t->have = 1;
	}
}

/* m and from have the same constraint matrix (warm starts across scenarios) */
static bool same_matrix(const model *m, const model *from)
{
	size_t ne = m->ia.len;
	return from->ia.len == ne && !memcmp(m->ia.data, from->ia.data, ne * sizeof(int)) &&
	       !memcmp(m->ja.data, from->ja.data, ne * sizeof(int)) &&
	       !memcmp(m->ar.data, from->ar.data, ne * sizeof(double));
}

/* Solve m.  from: NULL, or a solved model with the same rows and columns
 * whose GLPK problem is copied with its basis and re-optimised from it:
 * an LP's (the reservation re-solves: only the bounds of one column
 * differ), or a MIP's root relaxation kept with keep_root (the forcing
 * re-solves of a per-stage choice: some yes/no columns fixed, so
 * continuous; the root basis stays dual feasible, the dual simplex restarts
 * from it, and branch-and-bound goes on from that root as from a cold
 * one).  An LP keeps its GLPK problem in m->lp (for later warm starts). */
lf_status sup_solve(model *m, double time_limit_s, const model *from, lf_error *err)
{
	glp_term_out(GLP_OFF);
	int nrow = (int)m->rlo.len, ncol = (int)m->lb.len;
	m->rows = nrow;
	m->cols = ncol;
	glp_prob *lp;
	const glp_prob *base = !from ? NULL : from->lp ? from->lp : from->root;
	bool warm = base && from->rows == nrow && from->cols == ncol && same_matrix(m, from);
	if (warm) {
		lp = glp_create_prob();
		glp_copy_prob(lp, (glp_prob *)base, GLP_OFF);
		for (int j = 1; j <= ncol; j++) {
			double lo = *LF_VEC_AT(&m->lb, double, (size_t)j - 1);
			double hi = *LF_VEC_AT(&m->ub, double, (size_t)j - 1);
			double olo = *LF_VEC_AT(&from->lb, double, (size_t)j - 1);
			double ohi = *LF_VEC_AT(&from->ub, double, (size_t)j - 1);
			int kind = *LF_VEC_AT(&m->ckind, int, (size_t)j - 1);
			bool kd = kind != *LF_VEC_AT(&from->ckind, int, (size_t)j - 1);
			if (kd)
				glp_set_col_kind(lp, j, kind);
			if (kd || lo != olo || hi != ohi)
				glp_set_col_bnds(lp, j, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0,
				                 isfinite(hi) ? hi : 0);
			double c = *LF_VEC_AT(&m->cost, double, (size_t)j - 1);
			if (c != *LF_VEC_AT(&from->cost, double, (size_t)j - 1))
				glp_set_obj_coef(lp, j, c);
		}
		for (int i = 1; i <= nrow; i++) {
			double lo = *LF_VEC_AT(&m->rlo, double, (size_t)i - 1);
			double hi = *LF_VEC_AT(&m->rhi, double, (size_t)i - 1);
			if (lo != *LF_VEC_AT(&from->rlo, double, (size_t)i - 1) ||
			    hi != *LF_VEC_AT(&from->rhi, double, (size_t)i - 1))
				glp_set_row_bnds(lp, i, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0,
				                 isfinite(hi) ? hi : 0);
		}
	} else {
		lp = load_prob(m);
		if (!lp)
			return lfi_oom(err);
	}
	m->val = calloc((size_t)ncol + 1, sizeof(double));
	m->cdual = calloc((size_t)ncol + 1, sizeof(double));
	m->dval = calloc((size_t)ncol + 1, sizeof(double));
	m->rdual = calloc((size_t)nrow + 1, sizeof(double));
	if (!m->val || !m->cdual || !m->rdual || !m->dval) {
		glp_delete_prob(lp);
		return lfi_oom(err);
	}
	/* warm from a MIP's root: at most half the root's iterations */
	int it0 = glp_get_it_cnt(lp);
	int rc = lp_solve(lp, warm, m->n_int > 0,
	                  warm && base == from->root ? 1 + from->root_iters / 2 : 0);
	if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
		int status = glp_get_status(lp);
		glp_delete_prob(lp);
		return lfi_fail(err, LF_ESOLVER, NULL, 0, 0, "GLPK simplex failed (code %d, status %d)",
		                rc, status);
	}
	m->optimal = 1;
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	if (m->n_int && m->keep_root) {
		m->root = glp_create_prob();
		glp_copy_prob(m->root, lp, GLP_OFF);
		m->root_iters = glp_get_it_cnt(lp) - it0;
	}
	if (m->n_int) {
		glp_iocp io;
		glp_init_iocp(&io);
		io.msg_lev = GLP_MSG_OFF;
		io.tm_lim = (int)(time_limit_s * 1000);
		io.mip_gap = 1e-9;
		io.presolve = GLP_OFF;
		mip_track trk = { 0, 0 };
		io.cb_func = mip_cb;
		io.cb_info = &trk;
		rc = glp_intopt(lp, &io);
		int ms = glp_mip_status(lp);
		if (ms != GLP_OPT && ms != GLP_FEAS) {
			glp_delete_prob(lp);
			return lfi_fail(err, LF_ESOLVER, NULL, 0, 0, "GLPK branch-and-bound found no "
			                "integer solution (code %d, status %d)%s", rc, ms,
			                rc == GLP_ETMLIM ? ": time limit; raise solver.time_limit" : "");
		}
		m->optimal = ms == GLP_OPT;
		/* relative to the objective as reported (penalty constant included) */
		double bound = trk.have ? trk.bound : glp_get_obj_val(lp), best = glp_mip_obj_val(lp);
		double full = fabs(best + m->constant);
		m->gap = m->optimal ? 0 : fabs(best - bound) / (full > 1 ? full : 1);
		/* primal values: the MIP's.  Duals: the LP with the yes/no decisions
		 * (minimum orders, price breaks, optional reservations) fixed and
		 * quantities continuous again. */
		for (int j = 1; j <= ncol; j++)
			m->val[j] = glp_mip_col_val(lp, j);
		m->obj = glp_mip_obj_val(lp) + m->constant;
		for (int j = 1; j <= ncol; j++) {
			int kind = glp_get_col_kind(lp, j);
			if (kind == GLP_CV)
				continue;
			glp_set_col_kind(lp, j, GLP_CV);
			if (kind == GLP_BV) {
				double v = round(m->val[j]);
				glp_set_col_bnds(lp, j, GLP_FX, v, v);
			}
		}
		rc = glp_simplex(lp, &sm);
		if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
			glp_delete_prob(lp);
			return lfi_fail(err, LF_ESOLVER, NULL, 0, 0, "GLPK: the LP with the yes/no "
			                "decisions fixed failed (code %d)", rc);
		}
	} else {
		for (int j = 1; j <= ncol; j++)
			m->val[j] = glp_get_col_prim(lp, j);
		m->obj = glp_get_obj_val(lp) + m->constant;
	}
	for (int j = 1; j <= ncol; j++) {
		m->dval[j] = glp_get_col_prim(lp, j);
		m->cdual[j] = glp_get_col_dual(lp, j);
	}
	for (int i = 1; i <= nrow; i++)
		m->rdual[i] = glp_get_row_dual(lp, i);
	if (m->n_int)
		glp_delete_prob(lp);
	else
		m->lp = lp;
	return LF_OK;
}

/*
 * Column generation for a large LP whose optimum uses few columns (the
 * extensive form: ten copies of 2,000 offers x 36 months): solve M
 * restricted to the columns keep marks (and every column not at a zero lower
 * bound in the starting basis), then price every other column with the row
 * duals pi,
 *     d_j = c_j - sum_i a_ij pi_i,
 * add those with d_j < 0 and re-solve (the primal simplex from the last
 * basis, still primal feasible), until none prices out: then the restricted
 * optimum, with every other column at 0, is the full LP's optimum (its
 * columns at a lower bound of 0 with d_j >= 0).  start: a primal feasible
 * basis of M (1-based row and column statuses).  Fills M's solution as
 * sup_solve() does; returns false (and leaves M unsolved) when GLPK fails, so
 * the caller can solve M whole.
 */
bool sup_solve_colgen(model *M, uint8_t *keep, const int *rstat0, const int *cstat0)
{
	int nrow = (int)M->rlo.len, ncol = (int)M->lb.len;
	size_t ne = M->ia.len;
	const int *ia = M->ia.data, *ja = M->ja.data;
	const double *ar = M->ar.data;
	/* the matrix by column, for pricing and for adding columns */
	int *cp = calloc((size_t)ncol + 2, sizeof *cp), *ri = malloc((ne + 1) * sizeof *ri);
	double *cv = malloc((ne + 1) * sizeof *cv), *pi = malloc(((size_t)nrow + 1) * sizeof *pi);
	int *sub = calloc((size_t)ncol + 1, sizeof *sub), *full = malloc(((size_t)ncol + 1) * sizeof *full);
	int *nb = malloc(((size_t)ncol + 1) * sizeof *nb);
	glp_prob *lp = NULL;
	bool ok = false;
	if (!cp || !ri || !cv || !pi || !sub || !full || !nb)
		goto done;
	for (size_t e = 0; e < ne; e++)
		cp[ja[e] + 1]++;
	for (int j = 1; j <= ncol + 1; j++)
		cp[j] += cp[j - 1];
	for (size_t e = 0; e < ne; e++) {
		int k = cp[ja[e]]++;
		ri[k] = ia[e];
		cv[k] = ar[e];
	}
	for (int j = ncol; j >= 1; j--)
		cp[j] = cp[j - 1];
	cp[0] = 0;                /* column j's entries: cp[j] .. cp[j+1]-1 */
	lp = glp_create_prob();
	glp_set_obj_dir(lp, GLP_MIN);
	glp_add_rows(lp, nrow);
	for (int i = 1; i <= nrow; i++) {
		double lo = *LF_VEC_AT(&M->rlo, double, (size_t)i - 1);
		double hi = *LF_VEC_AT(&M->rhi, double, (size_t)i - 1);
		glp_set_row_bnds(lp, i, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0, isfinite(hi) ? hi : 0);
		glp_set_row_stat(lp, i, rstat0[i]);
	}
	int ns = 0;
	for (int round = 0;; round++) {
		int add = 0;
		if (round == 0) {
			for (int j = 1; j <= ncol; j++)
				if (keep[j - 1] || *LF_VEC_AT(&M->lb, double, (size_t)j - 1) != 0 ||
				    cstat0[j] == GLP_BS || cstat0[j] == GLP_NU)
					nb[add++] = j;
		} else {
			for (int i = 1; i <= nrow; i++)
				pi[i] = glp_get_row_dual(lp, i);
			for (int j = 1; j <= ncol; j++) {
				if (sub[j])
					continue;
				double c = *LF_VEC_AT(&M->cost, double, (size_t)j - 1), d = c;
				for (int k = cp[j]; k < cp[j + 1]; k++)
					d -= cv[k] * pi[ri[k]];
				if (d < -1e-9 * (1 + fabs(c)) && *LF_VEC_AT(&M->ub, double, (size_t)j - 1) > 0)
					nb[add++] = j;
			}
			if (!add)
				break;
		}
		int first = glp_add_cols(lp, add);
		for (int q = 0; q < add; q++) {
			int j = nb[q], c = first + q;
			sub[j] = c;
			full[c] = j;
			double lo = *LF_VEC_AT(&M->lb, double, (size_t)j - 1);
			double hi = *LF_VEC_AT(&M->ub, double, (size_t)j - 1);
			glp_set_col_bnds(lp, c, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0, isfinite(hi) ? hi : 0);
			glp_set_obj_coef(lp, c, *LF_VEC_AT(&M->cost, double, (size_t)j - 1));
			glp_set_mat_col(lp, c, cp[j + 1] - cp[j], ri + cp[j] - 1, cv + cp[j] - 1);
			if (round == 0)
				glp_set_col_stat(lp, c, cstat0[j]);
		}
		ns += add;
		glp_smcp sm;
		glp_init_smcp(&sm);
		sm.msg_lev = GLP_MSG_OFF;
		sm.meth = GLP_PRIMAL;
		int rc = glp_simplex(lp, &sm);
		if (rc != 0 || glp_get_status(lp) != GLP_OPT)
			goto done;
	}
	M->rows = nrow;
	M->cols = ncol;
	M->val = calloc((size_t)ncol + 1, sizeof(double));
	M->cdual = calloc((size_t)ncol + 1, sizeof(double));
	M->dval = calloc((size_t)ncol + 1, sizeof(double));
	M->rdual = calloc((size_t)nrow + 1, sizeof(double));
	if (!M->val || !M->cdual || !M->dval || !M->rdual)
		goto done;
	for (int j = 1; j <= ncol; j++) {
		double c = *LF_VEC_AT(&M->cost, double, (size_t)j - 1), d = c;
		if (sub[j]) {
			M->val[j] = M->dval[j] = glp_get_col_prim(lp, sub[j]);
			M->cdual[j] = glp_get_col_dual(lp, sub[j]);
		} else {
			for (int k = cp[j]; k < cp[j + 1]; k++)
				d -= cv[k] * pi[ri[k]];
			M->cdual[j] = d;
		}
	}
	for (int i = 1; i <= nrow; i++)
		M->rdual[i] = glp_get_row_dual(lp, i);
	M->obj = glp_get_obj_val(lp) + M->constant;
	M->optimal = 1;
	ok = true;
done:
	if (!ok) {
		free(M->val);
		free(M->cdual);
		free(M->dval);
		free(M->rdual);
		M->val = M->cdual = M->dval = M->rdual = NULL;
	}
	if (lp)
		glp_delete_prob(lp);
	free(cp);
	free(ri);
	free(cv);
	free(pi);
	free(sub);
	free(full);
	free(nb);
	return ok;
}
