/*
 * supply.c — `lightfab source`: the entry points (lf_supply_solve, with
 * spares, per-stage choice pricing, the capacity sweep) and the result
 * memory.  The model: supply_model.h.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply_model.h"

/* --------------------------------------------------------- result memory */

typedef struct res_impl {
	lf_supply_result pub;
	lfi_arena arena;
} res_impl;

void lf_supply_result_free(lf_supply_result *r)
{
	if (!r)
		return;
	res_impl *ri = (res_impl *)r->impl_;
	for (size_t i = 0; i < r->n_answers; i++)
		sup_answer_release(&r->answers[i]);
	free(r->answers);
	lfi_arena_release(&ri->arena);
	free(ri);
}


static void ready_label(const sup_scenario *s, int r, char *buf, size_t n)
{
	if (r >= 0)
		lf_supply_period_label(s->pub.period, s->pub.start_month, r, buf, n);
	else
		snprintf(buf, n, "never");
}

/* The dearest capacity binding up to period `until`. */
static const lf_supply_binding *top_binding(const lf_supply_answer *a, int until)
{
	const lf_supply_binding *top = NULL;
	for (size_t i = 0; i < a->n_bindings; i++) {
		const lf_supply_binding *bd = &a->bindings[i];
		if (bd->period <= until && (!top || bd->shadow_usd > top->shadow_usd))
			top = bd;
	}
	return top;
}

/* choose: per-stage: per stage, the chosen option and the cost of forcing
 * each other one there (the rest free: a re-solve of the MIP). */
static lf_status price_choices(const problem *p, const model *m, const char *const *names,
                               bool force, lf_supply_answer *a, lf_error *err)
{
	const sup_scenario *s = p->s;
	int n = p->n_opt;
	a->n_option_names = (size_t)n;
	for (int j = 0; j < n; j++)
		a->option_names[j] = names && names[j] ? names[j] : s->pub.options[j].name;
	a->choices = calloc((size_t)p->n_grp, sizeof *a->choices);
	int *assign = malloc((size_t)p->n_grp * sizeof *assign);
	if (!a->choices || !assign) {
		free(assign);
		return lfi_oom(err);
	}
	a->n_choices = (size_t)p->n_grp;
	double base = sup_objective_without_tie(m);
	lf_status st = LF_OK;
	for (int g = 0; g < p->n_grp && st == LF_OK; g++) {
		lf_supply_choice *ch = &a->choices[g];
		int cj = 0;
		while (cj < n - 1 && !sup_chosen(m, g * n + cj))
			cj++;
		const stage_t *S = &p->st[g * n + cj];
		ch->stage = S->name;
		ch->option = cj;
		ch->option_usd = S->extra;
		size_t off = 0;
#define W(...) do { if (off < sizeof ch->why) off += (size_t)snprintf(ch->why + off, \
	sizeof ch->why - off, __VA_ARGS__); } while (0)
		if (!force) {
			for (int j = 0; j < n; j++)
				ch->force_usd[j] = j == cj ? 0 : NAN;
			W("Not priced (solver.price_choices: false). ");
		}
		for (int j = 0; j < n && st == LF_OK && force; j++) {
			if (j == cj)
				continue;
			model m2;
			lf_supply_answer b;
			memset(&b, 0, sizeof b);
			/* First every other stage kept on its option: when that costs
			 * the optimum (a tie), it is the forced optimum (which lies
			 * between the two); an LP when the choices are the only yes/no
			 * decisions.  Else the other stages free: the MIP, warm from
			 * the root relaxation (m.keep_root). */
			bool tie = false;
			for (int h = 0; h < p->n_grp; h++) {
				int ch2 = 0;
				while (ch2 < n - 1 && !sup_chosen(m, h * n + ch2))
					ch2++;
				assign[h] = h == g ? j : ch2;
			}
			st = sup_build(&m2, p, -1, assign, err);
			if (st != LF_OK)
				break;
			if (!m2.n_int) {
				st = sup_solve(&m2, s->time_limit_s, m, err);
				tie = st == LF_OK && sup_objective_without_tie(&m2) - base <=
				                     1e-9 * (1 + fabs(base));
				if (st == LF_ESOLVER)
					st = LF_OK;
			}
			if (!tie && st == LF_OK) {
				sup_model_release(&m2);
				for (int h = 0; h < p->n_grp; h++)
					assign[h] = h == g ? j : -1;
				st = sup_build(&m2, p, -1, assign, err);
				if (st != LF_OK)
					break;
				st = sup_solve(&m2, s->time_limit_s, m, err);
			}
			if (st == LF_ESOLVER) {
				ch->force_usd[j] = HUGE_VAL;
				W("%s: no feasible plan. ", a->option_names[j]);
				st = LF_OK;
				sup_model_release(&m2);
				continue;
			}
			if (st == LF_OK)
				st = sup_fill_answer(&m2, &b, err);
			if (st == LF_OK) {
				ch->force_usd[j] = sup_objective_without_tie(&m2) - base;
				char l1[32], l2[32];
				ready_label(s, sup_group_ready(m, g), l1, sizeof l1);
				ready_label(s, sup_group_ready(&m2, g), l2, sizeof l2);
				W("%s instead: %+.0f USD (spend %+.0f, lateness and unmet %+.0f, equipment "
				  "and energy %+.0f; ready %s instead of %s", a->option_names[j],
				  ch->force_usd[j], b.spend_usd - a->spend_usd,
				  b.lateness_usd + b.unmet_usd - a->lateness_usd - a->unmet_usd,
				  b.option_usd - a->option_usd, l2, l1);
				const lf_supply_binding *tb = top_binding(&b, S->need_by);
				if (tb)
					W("; there %s %s binds, up to $%.0f per unit", tb->kind, tb->name,
					  tb->shadow_usd);
				W("). ");
			}
			sup_answer_release(&b);
			sup_model_release(&m2);
		}
		const lf_supply_binding *top = top_binding(a, S->need_by);
		if (top)
			W("Binds by need-by: %s %s (up to $%.0f per unit). ", top->kind, top->name,
			  top->shadow_usd);
		else
			W("No capacity binds by need-by. ");
#undef W
	}
	free(assign);
	return st;
}

static lf_status solve_one(const sup_scenario *s, const lf_plan *const *pls, int n_opt,
                           const lf_reliability *rel, const char *name,
                           const char *const *names, lf_supply_answer *a, lf_error *err)
{
	double t0 = lf_wall_now();
	a->probability = 1;
	a->name = name ? name : pls[0]->name;
	a->spec_name = pls[0]->name;
	problem p;
	lf_status st = sup_setup(&p, s, pls, n_opt, rel, a, err);
	model m;
	if (st == LF_OK)
		st = sup_build(&m, &p, -1, NULL, err);
	else {
		sup_problem_release(&p);
		return st;
	}
	if (st != LF_OK) {
		sup_problem_release(&p);
		return st;
	}
	m.keep_root = p.per_stage && s->price_choices;
	st = sup_solve(&m, s->time_limit_s, NULL, err);
	if (st == LF_OK)
		st = sup_fill_answer(&m, a, err);
	/* what each reservation is worth: the same problem without it */
	if (st == LF_OK && s->value_resv && s->resv.len <= 8) {
		double base = sup_objective_without_tie(&m);
		for (size_t r = 0; r < s->resv.len && st == LF_OK; r++) {
			model m2;
			st = sup_build(&m2, &p, (int)r, NULL, err);
			if (st != LF_OK)
				break;
			st = sup_solve(&m2, s->time_limit_s, &m, err);
			if (st == LF_OK) {
				lf_supply_resv_use *u = &a->resv[r];
				u->valued = 1;
				u->value_usd = sup_objective_without_tie(&m2) - base;
				size_t off = 0;
				/* per stage (per-stage: its chosen option; projects: every
				 * project's stages) */
				int ng = p.portfolio ? p.n_st : p.n_grp;
				for (int g = 0; g < ng && off < sizeof u->effect; g++) {
					if (p.portfolio && !p.st[g].name)
						continue;
					int r1 = p.portfolio ? sup_stage_ready(&m, g) : sup_group_ready(&m, g);
					int r2 = p.portfolio ? sup_stage_ready(&m2, g) : sup_group_ready(&m2, g);
					if (r1 == r2)
						continue;
					char l1[32], l2[32];
					ready_label(s, r1, l1, sizeof l1);
					ready_label(s, r2, l2, sizeof l2);
					off += (size_t)snprintf(u->effect + off, sizeof u->effect - off,
					                        "%s%s%s%s ready %s instead of %s", off ? "; " : "",
					                        p.portfolio ? s->pub.options[p.st[g].opt].name : "",
					                        p.portfolio ? "/" : "",
					                        p.st[p.portfolio ? g : g * p.n_opt].name, l2, l1);
				}
				if (!off)
					snprintf(u->effect, sizeof u->effect, "same ready dates");
			}
			sup_model_release(&m2);
		}
	}
	if (st == LF_OK && p.per_stage)
		st = price_choices(&p, &m, names, s->price_choices, a, err);
	if (st == LF_OK && p.portfolio)
		st = sup_fill_projects(&m, a, err);
	sup_model_release(&m);
	sup_problem_release(&p);
	a->solve_s = lf_wall_now() - t0;
	return st;
}


lf_status lf_supply_solve(const lf_supply_scenario *sc, const lf_plan *const *plans,
                          const char *const *names, size_t n_plans, lf_supply_result **out,
                          lf_error *err)
{
	return lf_supply_solve_spares(sc, plans, NULL, names, n_plans, out, err);
}

lf_status lf_supply_solve_spares(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                 const lf_reliability *const *spares,
                                 const char *const *names, size_t n_plans,
                                 lf_supply_result **out, lf_error *err)
{
	*out = NULL;
	if (!n_plans)
		return lfi_fail(err, LF_EINPUT, sc->file, 0, 0, "no plan to source: give a spec "
		                "(spec: in the scenario, or on the command line)");
	res_impl *ri = calloc(1, sizeof *ri);
	if (!ri)
		return lfi_oom(err);
	lf_supply_result *r = &ri->pub;
	r->impl_ = ri;
	r->scenario = sc->name;
	r->period = sc->period;
	r->start_month = sc->start_month;
	r->periods = sc->periods;
	r->answers = calloc(n_plans, sizeof *r->answers);
	if (!r->answers) {
		free(ri);
		return lfi_oom(err);
	}
	lf_status st = LF_OK;
	const sup_scenario *s = SUP(sc);
	if (s->n_unc) {
		if (n_plans != 1)
			st = lfi_fail(err, LF_EINPUT, sc->file, s->unc_pos.line, s->unc_pos.col,
			              "uncertainty: sources one spec; got %zu specs", n_plans);
		else
			st = sup_solve_stochastic(s, plans[0], spares ? spares[0] : NULL, r, err);
	} else if (s->per_stage || s->portfolio) {
		/* one answer: every option is a candidate for every stage, or every
		 * project is sourced together */
		r->n_answers = 1;
		if (n_plans != sc->n_options)
			st = lfi_fail(err, LF_EINPUT, sc->file, s->choose_pos.line, s->choose_pos.col,
			              "%s sources the scenario's %zu %s together; got %zu spec%s (give no "
			              "SPEC.yaml or --option)", s->portfolio ? "projects:" : "choose: per-stage",
			              sc->n_options, s->portfolio ? "projects" : "options", n_plans,
			              n_plans == 1 ? "" : "s");
		else if (spares)
			st = lfi_fail(err, LF_EINPUT, sc->file, s->choose_pos.line, s->choose_pos.col,
			              "spares from lightfab reliability are not supported with %s (use "
			              "demand.spares)", s->portfolio ? "projects:" : "choose: per-stage");
		else
			st = solve_one(s, plans, (int)n_plans, NULL,
			               s->portfolio ? "portfolio" : "per-stage", names, &r->answers[0], err);
	}
	for (size_t i = 0; i < n_plans && st == LF_OK && !s->per_stage && !s->portfolio && !s->n_unc;
	     i++) {
		r->n_answers = i + 1;
		st = solve_one(s, &plans[i], 1, spares ? spares[i] : NULL, names ? names[i] : NULL,
		               NULL, &r->answers[i], err);
	}
	if (st != LF_OK) {
		lf_supply_result_free(r);
		return st;
	}
	*out = r;
	return LF_OK;
}

/* choose: per-stage with every stage's option fixed (assign[g]): the model
 * is then an LP (with solver.integer false and no yes/no decisions); its
 * objective, as reported.  For tests: brute force over assignments. */
lf_status lfi_sup_solve_assigned(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                 size_t n_plans, const int *assign, double *objective,
                                 int *int_cols, lf_error *err)
{
	const sup_scenario *s = SUP(sc);
	lf_supply_answer a;
	memset(&a, 0, sizeof a);
	problem p;
	lf_status st = sup_setup(&p, s, plans, (int)n_plans, NULL, &a, err);
	model m;
	if (st == LF_OK && (st = sup_build(&m, &p, -1, assign, err)) == LF_OK) {
		st = sup_solve(&m, s->time_limit_s, NULL, err);
		if (st == LF_OK)
			st = sup_fill_answer(&m, &a, err);
		*objective = a.objective_usd;
		*int_cols = m.n_int;
		sup_model_release(&m);
	}
	sup_answer_release(&a);
	sup_problem_release(&p);
	return st;
}

/* ------------------------------------------------- break-even sweep */

void lf_supply_sweep_free(lf_supply_sweep *sw)
{
	if (!sw)
		return;
	free(sw->capacity);
	free(sw->objective_usd);
	free(sw->mip_gap);
	free(sw->ready);
	free(sw->flip);
	free(sw->stage);
	free(sw->choice);
	free(sw);
}

/* The bisection's solves, kept so that flips of several stages in one
 * interval share them: capacity, proven, the option of each stage. */
typedef struct bisect_memo {
	size_t n, cap, stages;
	double *capacity;
	bool *proven;
	int *choice;              /* [solve * stages + stage] */
	void (*progress)(void *ctx, size_t done, size_t total);
	void *ctx;
	size_t done, total;       /* solves, points included */
} bisect_memo;

static lf_status memo_solve(bisect_memo *m, sup_scenario *cp, sup_pool *pp,
                            const lf_plan *const *plans, const char *const *names,
                            size_t n_plans, double capacity, size_t *at, lf_error *err)
{
	for (size_t i = 0; i < m->n; i++)
		if (m->capacity[i] == capacity) {
			*at = i;
			return LF_OK;
		}
	if (m->n == m->cap) {
		size_t c = m->cap ? 2 * m->cap : 16;
		double *nc = realloc(m->capacity, c * sizeof *nc);
		if (nc)
			m->capacity = nc;
		bool *np = realloc(m->proven, c * sizeof *np);
		if (np)
			m->proven = np;
		int *ch = realloc(m->choice, c * m->stages * sizeof *ch);
		if (ch)
			m->choice = ch;
		if (!nc || !np || !ch)
			return lfi_oom(err);
		m->cap = c;
	}
	pp->cap.base = capacity;
	lf_supply_result *r = NULL;
	LF_TRY(lf_supply_solve(&cp->pub, plans, names, n_plans, &r, err));
	const lf_supply_answer *a = &r->answers[0];
	size_t i = m->n++;
	m->capacity[i] = capacity;
	m->proven[i] = a->mip_gap <= 0 && a->n_choices == m->stages;
	for (size_t g = 0; g < m->stages; g++)
		m->choice[i * m->stages + g] = m->proven[i] ? a->choices[g].option : -1;
	lf_supply_result_free(r);
	m->done++;
	if (m->progress)
		m->progress(m->ctx, m->done, m->done > m->total ? m->done : m->total);
	*at = i;
	return LF_OK;
}

/* Bisect a flip between the sampled points around it, to a whole laser:
 * each midpoint re-solved (or taken from the memo), on the old option or
 * not.  Stops at the first solve the MIP does not prove (the bracket
 * stays). */
static lf_status bisect_flip(bisect_memo *m, sup_scenario *cp, sup_pool *pp,
                             const lf_plan *const *plans, const char *const *names,
                             size_t n_plans, lf_supply_flip *f, bool proven, lf_error *err)
{
	double lo = f->last_old, hi = f->first_new;
	while (proven && hi - lo > 1) {
		double mid = floor((lo + hi) / 2);
		if (mid <= lo)
			mid = lo + 1;
		size_t at = 0;
		LF_TRY(memo_solve(m, cp, pp, plans, names, n_plans, mid, &at, err));
		proven = m->proven[at];
		if (proven && m->choice[at * m->stages + f->stage] == f->from)
			lo = mid;
		else if (proven)
			hi = mid;
	}
	f->last_old = lo;
	f->first_new = hi;
	f->exact = proven && hi - lo <= 1;
	return LF_OK;
}

lf_status lf_supply_sweep_capacity(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                   const char *const *names, size_t n_plans, const char *pool,
                                   double from, double to, int steps,
                                   void (*progress)(void *ctx, size_t done, size_t total),
                                   void *ctx, lf_supply_sweep **out, lf_error *err)
{
	*out = NULL;
	const sup_scenario *s = SUP(sc);
	size_t pi = 0;
	while (pi < s->pools.len && strcmp(LF_VEC_AT(&s->pools, sup_pool, pi)->name, pool))
		pi++;
	if (pi == s->pools.len) {
		const char *c[64];
		size_t n = 0;
		for (size_t i = 0; i < s->pools.len && n < 64; i++)
			c[n++] = LF_VEC_AT(&s->pools, sup_pool, i)->name;
		const char *dym = lf_did_you_mean(pool, c, n);
		return lfi_fail(err, LF_EINPUT, sc->file, 0, 0, "--sweep-capacity: no laser pool "
		                "\"%s\" in the scenario%s%s%s", pool, dym ? "; did you mean \"" : "",
		                dym ? dym : "", dym ? "\"?" : "");
	}
	if (!(from >= 0) || !(to >= from) || steps < 2 || steps > 1000)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "--sweep-capacity: expected 0 <= FROM <= TO "
		                "and 2 to 1000 steps, got %g..%g in %d", from, to, steps);
	lf_supply_sweep *sw = calloc(1, sizeof *sw);
	/* a shallow copy of the scenario whose pools array is our own */
	sup_scenario cp = *s;
	cp.pools.data = malloc(s->pools.len * sizeof(sup_pool));
	if (!sw || !cp.pools.data) {
		free(sw);
		free(cp.pools.data);
		return lfi_oom(err);
	}
	memcpy(cp.pools.data, s->pools.data, s->pools.len * sizeof(sup_pool));
	cp.pub.impl_ = &cp;
	cp.value_resv = false;
	cp.price_choices = false;
	sup_pool *pp = LF_VEC_AT(&cp.pools, sup_pool, pi);
	pp->cap.set = true;
	pp->cap.n_steps = 0;
	sw->scenario = sc->name;
	sw->pool = LF_VEC_AT(&s->pools, sup_pool, pi)->name;
	sw->period = sc->period;
	sw->start_month = sc->start_month;
	sw->n_points = (size_t)steps;
	sw->capacity = calloc((size_t)steps, sizeof(double));
	sw->objective_usd = calloc((size_t)steps, sizeof(double));
	sw->mip_gap = calloc((size_t)steps, sizeof(double));
	sw->ready = calloc((size_t)steps, sizeof(int));
	lf_status st = sw->capacity && sw->objective_usd && sw->mip_gap && sw->ready ? LF_OK
	                                                                           : lfi_oom(err);
	for (int k = 0; k < steps && st == LF_OK; k++) {
		double cap = from + (to - from) * k / (steps - 1);
		pp->cap.base = cap;
		lf_supply_result *r = NULL;
		st = lf_supply_solve(&cp.pub, plans, names, n_plans, &r, err);
		if (st != LF_OK)
			break;
		const lf_supply_answer *a = &r->answers[0];
		sw->capacity[k] = cap;
		sw->objective_usd[k] = a->objective_usd;
		sw->mip_gap[k] = a->mip_gap;
		sw->ready[k] = a->ready;
		if (a->n_choices && !sw->choice) {
			sw->n_stages = a->n_choices;
			sw->stage = calloc(a->n_choices, sizeof *sw->stage);
			sw->choice = calloc(a->n_choices * (size_t)steps, sizeof(int));
			if (!sw->stage || !sw->choice)
				st = lfi_oom(err);
			for (size_t g = 0; g < a->n_choices && st == LF_OK; g++)
				sw->stage[g] = a->choices[g].stage;
			sw->n_option_names = a->n_option_names;
			for (size_t j = 0; j < a->n_option_names; j++)
				sw->option_names[j] = a->option_names[j];
		}
		for (size_t g = 0; g < sw->n_stages && st == LF_OK; g++)
			sw->choice[(size_t)k * sw->n_stages + g] = a->choices[g].option;
		lf_supply_result_free(r);
		if (progress)
			progress(ctx, (size_t)k + 1, (size_t)steps);
	}
	/* where each stage's choice flips, bisected between the points */
	if (st == LF_OK && sw->n_stages) {
		sw->flip = calloc(sw->n_stages * sw->n_points, sizeof *sw->flip);
		if (!sw->flip)
			st = lfi_oom(err);
	}
	bisect_memo memo = { .stages = sw->n_stages, .progress = progress, .ctx = ctx,
	                     .done = (size_t)steps, .total = (size_t)steps };
	/* the bisections' solves at most: log2 of each flip's interval */
	for (size_t g = 0; g < sw->n_stages && st == LF_OK; g++)
		for (size_t k = 1; k < sw->n_points; k++)
			if (sw->choice[(k - 1) * sw->n_stages + g] != sw->choice[k * sw->n_stages + g])
				memo.total += (size_t)ceil(log2(fmax(2, sw->capacity[k] -
				                                         sw->capacity[k - 1])));
	for (size_t g = 0; g < sw->n_stages && st == LF_OK; g++)
		for (size_t k = 1; k < sw->n_points && st == LF_OK; k++) {
			int a0 = sw->choice[(k - 1) * sw->n_stages + g], a1 = sw->choice[k * sw->n_stages + g];
			if (a0 == a1)
				continue;
			lf_supply_flip *f = &sw->flip[sw->n_flips++];
			*f = (lf_supply_flip){ g, a0, a1, sw->capacity[k], sw->capacity[k - 1],
			                       sw->capacity[k], 0 };
			st = bisect_flip(&memo, &cp, pp, plans, names, n_plans, f,
			                 sw->mip_gap[k - 1] <= 0 && sw->mip_gap[k] <= 0, err);
		}
	free(memo.capacity);
	free(memo.proven);
	free(memo.choice);
	free(cp.pools.data);
	if (st != LF_OK) {
		lf_supply_sweep_free(sw);
		return st;
	}
	size_t off = 0;
	const char *per = sw->period == LF_PERIOD_MONTH ? "month" : "week";
	for (size_t i = 0; i < sw->n_flips && off < sizeof sw->flips; i++) {
		const lf_supply_flip *f = &sw->flip[i];
		const char *g = sw->stage[f->stage], *o1 = sw->option_names[f->to],
		           *o0 = sw->option_names[f->from];
		if (f->exact)
			off += (size_t)snprintf(sw->flips + off, sizeof sw->flips - off,
			                        "%s%s goes %s (from %s) once %s >= %.0f lasers/%s",
			                        off ? "; " : "", g, o1, o0, sw->pool, f->first_new, per);
		else
			off += (size_t)snprintf(sw->flips + off, sizeof sw->flips - off,
			                        "%s%s goes %s (from %s) between %s = %.0f and %.0f "
			                        "lasers/%s (a MIP there not proven)", off ? "; " : "", g,
			                        o1, o0, sw->pool, f->last_old, f->first_new, per);
	}
	if (!off && sw->n_stages)
		snprintf(sw->flips, sizeof sw->flips, "no stage changes option over %s = %.0f..%.0f",
		         sw->pool, from, to);
	*out = sw;
	return LF_OK;
}
