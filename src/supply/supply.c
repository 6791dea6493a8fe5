/*
 * supply.c — `lightfab source`: orders, deliveries and stage readiness under
 * supply limits, as an LP/MIP solved with GLPK.
 *
 * Demand.  Each deployment stage s of the plan (or the whole BOM when the
 * spec has none) adds, per optical link level l, L[s,l] links and occupies
 * cages_lower and cages_upper cages at the two ends (lf_bom): one module
 * each.  rho[s,l,e] = cages_e / links is the modules per link at end e;
 * spares (a fraction) scale the links.  Cable-served levels (DAC/ACC/AEC/
 * AOC) are not sourced here (a note says so).
 * Co-packaged switches (catalog co_packaged:): a level end at one takes no
 * module (rho = 0), except that the external laser source modules of the
 * switches of tier l are that level's upper-end demand, rho = ELS / links
 * (lf_bom.els_level), served only by the switch's own ELS SKU and counted
 * in every family of the level; their CW lasers load the siph-cw laser
 * pools like any module's (laser-pool below).
 * Spares from `lightfab reliability` (lf_supply_solve_spares): N[k] modules
 * of transceiver SKU k (exactly that SKU, no substitutes) set aside from
 * stock by the first stage's need-by d0:
 *     S[k,t] = S[k,t-1] + u[k,t] <= N[k],  u[k,t] drawn in the inventory balance
 * with lateness spare_pen (the dearest stage's per-link penalty) per spare
 * short per period from d0 and `unmet` per spare never set aside.
 *
 * Substitution.  Any catalog transceiver may serve an end when src/media.h
 * says it fits (form factor, ppc, fits, speed, reach) and the scenario
 * allows it (substitution: any | spec (the spec's allow/deny) | none (the
 * plan's own SKUs) | rules (the plan's SKUs and what `use: A, for: B` rules
 * reach from them)) and someone sells it (an offer, a reservation, stock).
 * The two ends of a link must share standard, connector and medium, and run
 * the same ones of the protocols both boxes run (src/media.h): an
 * equivalence relation, so the compatible pairs of a level are the products
 * of the per-end candidates within one family.  The model keeps pairs
 * consistent per family instead of enumerating pairs:
 *     w[s,l,g,t]  links of stage s, level l deployed in period t on family g
 *     v[l,e,k,t]  modules of SKU k (of family g) deployed at end e:
 *     sum_{k in g} v[l,e,k,t] = sum_s rho[s,l,e] w[s,l,g,t]          (family)
 *     C[s,l,t] = C[s,l,t-1] + sum_g w[s,l,g,t],  0 <= C <= L[s,l]     (cumulative)
 *
 * Supply.  x[o,m,t]: modules of offer o (supplier, SKU) ordered in period t
 * in mode m (standard or an expedite option), arriving at t + lead_m (only
 * orders that arrive inside the horizon exist).  Per arrival period:
 *     sum_m x[o,m,t-lead_m] <= capacity of o                   (sku-capacity)
 *     sum_{o of s} ...      <= capacity of supplier s           (supplier)
 *     sum_{o of the pool's suppliers, laser type of the pool} lasers_k x <= pool  (laser-pool)
 * Production, and so laser use, is counted in the arrival period.
 * Reservations: capacity held for the buyer at an agreed price, outside the
 * open-market capacities above (which are what is left for a spot buyer):
 * taken[r,t] <= quantity * sign_r in its window; sign_r = 1, or a decision
 * in [0,1] ({0,1} in a MIP) when optional.  Take-or-pay: the fraction tp of
 * reserved units is paid whether taken or not.
 * Inventory per SKU: I[k,t] = I[k,t-1] + arrivals + taken - sum_{l,e} v[l,e,k,t] >= 0,
 * I[k,-1] = stock on hand.
 *
 * Objective (minimise): purchase (incremental volume breaks need binaries)
 * + expedite premiums + reservation cost + holding + lateness, where
 * lateness = sum_s pen_s sum_{l, t >= need_by_s} (L[s,l] - C[s,l,t]) and
 * links never served cost `unmet` each on top.  pen_s is per link-period,
 * or per GPU-period spread over the stage's links (a stage fully late by one
 * period costs pen * its GPUs).  A 0.01 $ per module-period tie-break on
 * stock makes orders arrive as late as they can without changing anything
 * else; it is not reported as cost.  Minimum orders (x = 0 or >= min) and
 * lots (x = lot * n) are integer; orders are integer when solver.integer.
 *
 * Per-stage choice (choose: per-stage, docs/source.md): the stages of every
 * option are in the model (stage entries grp * n_opt + opt, link levels
 * tagged with their option); y[s,j] in {0,1}, sum_j y[s,j] = 1,
 * C[s,j,l,T-1] <= L y[s,j], incompatible options never in two stages, and
 * the stage's penalty constant plus option_costs move onto y, so an option
 * not chosen costs nothing.  With one option it is the model above.
 *
 * Shadow prices come from the LP: for a MIP, the integer decisions are fixed
 * at their optimum and the LP re-solved.  Everything is deterministic: the
 * model is built in a fixed order and GLPK's simplex and branch-and-bound are
 * deterministic (unless the MIP time limit stops the search; a note says so).
 */
#include <glpk.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "media.h"
#include "supply.h"

#define EPS 1e-6
#define TIE_HOLD 0.01
#define LV_MAX (LF_MAX_TIERS * SUP_MAX_OPT)   /* link levels over all options */

/* --------------------------------------------------------- result memory */

typedef struct res_impl {
	lf_supply_result pub;
	lf_arena arena;
} res_impl;

static void answer_release(lf_supply_answer *a)
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

void lf_supply_free(lf_supply_result *r)
{
	if (!r)
		return;
	res_impl *ri = (res_impl *)r->impl_;
	for (size_t i = 0; i < r->n_answers; i++)
		answer_release(&r->answers[i]);
	free(r->answers);
	lf_arena_release(&ri->arena);
	free(ri);
}

static void note(lf_supply_answer *a, const char *fmt, ...) LF_PRINTF(2, 3);
static void note(lf_supply_answer *a, const char *fmt, ...)
{
	size_t n = strlen(a->notes);
	if (n + 1 >= sizeof a->notes)
		return;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(a->notes + n, sizeof a->notes - n, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ the problem */

typedef struct sku_t {
	const lf_optic *o;
	double stock;
} sku_t;

typedef struct cand_t {
	int sku;                  /* index into skus */
	int fam;                  /* family index within the level */
	int end;                  /* 0 lower, 1 upper */
} cand_t;

typedef struct level_t {
	int level;
	int opt;                  /* the option (plan) it belongs to */
	lf_media_end ends[2];
	int gbps;
	double distance_m;
	const lf_optic *planned[2];
	int n_cand;
	cand_t *cand;
	int n_fam;                /* usable families (both ends have a candidate) */
} level_t;

/* A stage built from one option: with choose: per-stage there is one per
 * (stage, option), and the MIP picks one option per stage (grp). */
typedef struct stage_t {
	const char *name;
	int64_t gpus;
	int need_by;              /* period, clamped to >= 0 */
	int grp, opt;             /* stage index, option index */
	double L[LV_MAX];         /* links incl. spares per level slot; 0 when none */
	double rho[LV_MAX][2];    /* modules per link at each end */
	double pen;               /* per link-period */
	double unmet;             /* per link never served */
	double extra;             /* option_costs: equipment + energy of the increment */
} stage_t;

typedef struct problem {
	const sup_scenario *s;
	const lf_plan *pl;        /* the first option's: the catalog */
	int n_opt;                /* > 1 only with choose: per-stage */
	int n_grp;                /* stages (per option) */
	bool per_stage;
	bool portfolio;           /* projects: every option's stages, each its own penalty */
	int T;
	size_t n_sku;
	sku_t *sku;
	int *offer_sku;           /* offer -> sku index */
	int *offer_lead;          /* standard lead, periods */
	double *offer_price;      /* base (first segment or catalog) */
	int *resv_sku;
	int n_lv;
	level_t lv[LV_MAX];
	int n_st;
	stage_t *st;
	double unmet;             /* per link */
	double bigm;
	double *spare;            /* per sku: spares from lightfab reliability */
	int spare_need;           /* period they are needed by */
	double spare_pen;         /* per spare-period short from spare_need */
} problem;

static void problem_release(problem *p)
{
	free(p->sku);
	free(p->offer_sku);
	free(p->offer_lead);
	free(p->offer_price);
	free(p->resv_sku);
	free(p->spare);
	for (int i = 0; i < p->n_lv; i++)
		free(p->lv[i].cand);
	free(p->st);
}

static int sku_index(const problem *p, const char *id)
{
	for (size_t i = 0; i < p->n_sku; i++)
		if (!strcmp(p->sku[i].o->id, id))
			return (int)i;
	return -1;
}

static lf_status unknown_sku(const problem *p, const char *id, lf_pos pos, lf_error *err)
{
	const lf_catalog *cat = p->pl->cat;
	size_t n = lf_catalog_n_optics(cat);
	const char **c = malloc((n ? n : 1) * sizeof *c);
	if (!c)
		return lf_oom(err);
	for (size_t i = 0; i < n; i++)
		c[i] = lf_catalog_optic_at(cat, i)->id;
	const char *dym = lf_did_you_mean(id, c, n);
	lf_status st = lf_fail(err, LF_EINPUT, p->s->pub.file, pos.line, pos.col,
	                       "unknown SKU \"%s\": not in the catalog%s%s%s", id,
	                       dym ? "; did you mean \"" : "", dym ? dym : "", dym ? "\"?" : "");
	free(c);
	return st;
}

/* Register a SKU named by the scenario (validated against the catalog). */
static lf_status add_sku(problem *p, const char *id, lf_pos pos, int *out, lf_error *err)
{
	int k = sku_index(p, id);
	if (k >= 0) {
		*out = k;
		return LF_OK;
	}
	const lf_optic *o = lf_catalog_optic(p->pl->cat, id);
	if (!o)
		return unknown_sku(p, id, pos, err);
	if (o->kind != LF_OPTIC_TRANSCEIVER && o->kind != LF_OPTIC_ELS)
		return lf_fail(err, LF_EINPUT, p->s->pub.file, pos.line, pos.col,
		               "SKU \"%s\" is a cable (%s): lightfab source plans transceivers and "
		               "laser sources only",
		               id, lf_optic_kind_name(o->kind));
	p->sku[p->n_sku].o = o;
	*out = (int)p->n_sku++;
	return LF_OK;
}

static bool rule_allows(const sup_scenario *s, const lf_optic *planned, const char *id)
{
	if (!planned)
		return false;
	if (!strcmp(planned->id, id))
		return true;
	/* closure backwards from the planned SKU: X is allowed when a rule
	 * `use: X, for: Y` has Y allowed (no cycles: checked at load) */
	size_t nr = s->rules.len;
	const char *set[128];
	size_t n = 0;
	set[n++] = planned->id;
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < nr && n < 128; j++) {
			const sup_rule *r = LF_VEC_AT(&s->rules, sup_rule, j);
			if (strcmp(r->for_, set[i]))
				continue;
			bool have = false;
			for (size_t k = 0; k < n; k++)
				have |= !strcmp(set[k], r->use);
			if (!have)
				set[n++] = r->use;
		}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(set[i], id))
			return true;
	return false;
}

/* Co-packaged ends of level L: mark them served in every family (a level
 * with both ends co-packaged gets the one family it needs) and return the
 * SKU index of the upper switch's laser source, or -1 (no co-packaged upper
 * end, or no scenario sells its ELS: its links stay unserved). */
static int cpo_end(const problem *p, const level_t *L, int *fam_ends, int *nf)
{
	bool c0 = L->ends[0].cpo != NULL, c1 = L->ends[1].cpo != NULL;
	if (!c0 && !c1)
		return -1;
	if (c0 && c1 && *nf == 0)
		fam_ends[(*nf)++] = 0;
	for (int f = 0; f < *nf; f++)
		fam_ends[f] |= (c0 ? 1 : 0) | (c1 ? 2 : 0);
	if (!c1)
		return -1;
	const lf_spec *sp = p->pl->spec;
	int ti = L->level - 1 < sp->n_tier_specs ? L->level - 1 : sp->n_tier_specs - 1;
	const lf_optic *els = sp->tier[ti].sw->els;
	return els ? sku_index(p, els->id) : -1;
}

/* The link levels of option j's plan and the scenario SKUs that can serve
 * them (appended to p->lv). */
static lf_status setup_levels(problem *p, int j, const lf_plan *pl, lf_supply_answer *a,
                              lf_error *err)
{
	const sup_scenario *s = p->s;
	const char *tag = p->n_opt > 1 ? s->pub.options[j].name : NULL;
	for (int lvl = 1; lvl <= pl->tiers; lvl++) {
		const lf_media *m = &pl->media[lvl];
		if (!m->lower && !m->cable)
			continue;
		if (m->cable) {
			note(a, "%s%s%s links use cable %s: not sourced here. ", tag ? tag : "",
			     tag ? ": " : "", lf_level_name(lvl), m->cable->id);
			continue;
		}
		if (p->n_lv == LV_MAX)
			return lf_fail(err, LF_EINPUT, s->pub.file, 0, 0, "too many link levels");
		level_t *L = &p->lv[p->n_lv];
		L->level = lvl;
		L->opt = j;
		if (!lf_media_level_ends(pl, lvl, &L->ends[0], &L->ends[1], &L->gbps, &L->distance_m))
			continue;
		L->planned[0] = m->lower;
		L->planned[1] = m->upper;
		if (m->upper->co_packaged && m->upper == L->ends[1].cpo) {
			/* the plan's part at a co-packaged upper end: its laser source */
			int ti = lvl - 1 < pl->spec->n_tier_specs ? lvl - 1 : pl->spec->n_tier_specs - 1;
			if (pl->spec->tier[ti].sw->els)
				L->planned[1] = pl->spec->tier[ti].sw->els;
		}
		L->cand = calloc(2 * p->n_sku + 1, sizeof *L->cand);
		if (!L->cand)
			return lf_oom(err);
		p->n_lv++;
		/* families: representative = first candidate SKU of the family */
		int fam_rep[64];
		int fam_ends[64];
		int nf = 0;
		for (size_t k = 0; k < p->n_sku; k++) {
			const lf_optic *o = p->sku[k].o;
			if (!lf_media_xcvr_ok(o, L->gbps, L->distance_m))
				continue;
			for (int e = 0; e < 2; e++) {
				if (!lf_media_end_fits(o, &L->ends[e]))
					continue;
				bool ok = s->subst == SUB_ANY ||
				          (s->subst == SUB_SPEC && lf_media_allowed(pl->spec, o->id)) ||
				          (s->subst == SUB_NONE && L->planned[e] &&
				           !strcmp(o->id, L->planned[e]->id)) ||
				          (s->subst == SUB_RULES && rule_allows(s, L->planned[e], o->id));
				if (!ok)
					continue;
				int f = 0;
				while (f < nf && !lf_media_same_family(p->sku[fam_rep[f]].o, o, L->ends[0].proto))
					f++;
				if (f == nf) {
					if (nf == 64)
						continue;
					fam_rep[nf] = (int)k;
					fam_ends[nf++] = 0;
				}
				fam_ends[f] |= 1 << e;
				L->cand[L->n_cand++] = (cand_t){ (int)k, f, e };
			}
		}
		/* co-packaged ends need no module: every family has them; an upper
		 * one is served by its switch's laser sources, if sold (cpo_end) */
		int el = cpo_end(p, L, fam_ends, &nf);
		for (int f = 0; el >= 0 && f < nf; f++)
			L->cand[L->n_cand++] = (cand_t){ el, f, 1 };
		if (L->ends[1].cpo && el < 0)
			note(a, "%s%s%s: co-packaged %s needs laser source modules, and no offer, "
			     "reservation or stock in the scenario is one: its links stay unserved. ",
			     tag ? tag : "", tag ? ": " : "", lf_level_name(lvl), L->ends[1].what);
		/* keep families with both ends; renumber */
		int map[64];
		for (int f = 0; f < nf; f++)
			map[f] = fam_ends[f] == 3 ? L->n_fam++ : -1;
		int nc = 0;
		for (int c = 0; c < L->n_cand; c++)
			if (map[L->cand[c].fam] >= 0) {
				L->cand[nc] = L->cand[c];
				L->cand[nc++].fam = map[L->cand[c].fam];
			}
		L->n_cand = nc;
		if (!L->n_fam)
			note(a, "%s%s%s: no SKU in the scenario can serve both ends (%s %s on %s, %s on %s): "
			     "every stage needing it stays unserved. ", tag ? tag : "", tag ? ": " : "",
			     lf_level_name(lvl), m->lower->standard, m->lower->form_factor,
			     L->ends[0].what, m->upper->form_factor, L->ends[1].what);
	}
	return LF_OK;
}

/* Equipment (non-optics capex) and energy of a stage increment, as
 * option_costs asks: what one option costs beyond its optics. */
static double increment_cost(const sup_scenario *s, const lf_bom *b)
{
	double usd = 0;
	if (s->equipment)
		usd += b->capex_usd - b->capex_cat_usd[LF_BOM_TRANSCEIVER];
	usd += b->power_typ_w / 1000 * s->energy_hours * s->usd_per_kwh;
	return usd;
}

/* The stages of option j's plan (entries grp * n_opt + j); returns the
 * dearest per-link penalty. */
static double setup_stages(problem *p, int j, const lf_plan *pl, lf_supply_answer *a,
                           double *total_mod)
{
	const sup_scenario *s = p->s;
	int ns = pl->n_stages ? (int)pl->n_stages : 1;   /* <= p->n_grp */
	double maxpen = 0;
	/* a portfolio's project may have its own lateness, and a priority that
	 * weighs its lateness and unmet links */
	bool per_link = s->pen_per_link;
	double pen_link = s->pen_link, pen_gpu = s->pen_gpu, w = 1;
	if (p->portfolio) {
		w = s->proj_priority[j];
		if (s->proj_pen[j] >= 0) {
			per_link = s->proj_per_link[j];
			*(per_link ? &pen_link : &pen_gpu) = s->proj_pen[j];
		}
	}
	for (int k = 0; k < ns; k++) {
		stage_t *S = &p->st[k * p->n_opt + j];
		S->grp = k;
		S->opt = j;
		const lf_bom *b;
		if (pl->n_stages) {
			const lf_stage_result *r = &pl->stages[k];
			b = &r->delta;
			S->name = r->name;
			S->gpus = r->gpus - (k ? pl->stages[k - 1].gpus : 0);
			int d = lf_sup_month_period(s, r->need_by);
			if (d < 0) {
				char lab[32];
				lf_format_month(r->need_by, lab, sizeof lab);
				if (!j)
					note(a, "stage %s is needed by %s, before the horizon starts: counted "
					     "as needed in the first period. ", r->name, lab);
				d = 0;
			}
			S->need_by = d;
		} else {
			b = &pl->bom;
			S->name = pl->name;
			S->gpus = pl->gpus;
			S->need_by = p->T - 1;
			if (!j)
				note(a, "the spec has no stages: the whole BOM is needed by the last "
				     "period. ");
		}
		S->extra = p->per_stage ? increment_cost(s, b) : 0;
		double links = 0;
		for (int i = 0; i < p->n_lv; i++) {
			if (p->lv[i].opt != j)
				continue;
			int lvl = p->lv[i].level;
			double nl = (double)b->links_level[lvl];
			if (nl <= 0)
				continue;
			S->L[i] = nl * (1 + s->spares);
			/* a co-packaged end: no module; an upper one: its switches' ELS */
			const level_t *L = &p->lv[i];
			S->rho[i][0] = L->ends[0].cpo ? 0 : (double)b->cages_lower[lvl] / nl;
			S->rho[i][1] = L->ends[1].cpo ? (double)b->els_level[lvl] / nl
			                              : (double)b->cages_upper[lvl] / nl;
			links += S->L[i];
			*total_mod += S->L[i] * (S->rho[i][0] + S->rho[i][1]);
		}
		if (per_link)
			S->pen = w * pen_link;
		else
			S->pen = links > 0 ? w * pen_gpu * (double)S->gpus / links : 0;
		maxpen = S->pen > maxpen ? S->pen : maxpen;
	}
	/* never served: the option's own dearest per-link lateness over the
	 * horizon (so an option costs what it does when sourced alone) */
	for (int k = 0; k < ns; k++)
		p->st[k * p->n_opt + j].unmet = s->unmet_link >= 0 ? w * s->unmet_link
		                                                   : maxpen * p->T;
	return maxpen;
}

static lf_status setup(problem *p, const sup_scenario *s, const lf_plan *const *pls, int n_opt,
                       const lf_reliability *rel, lf_supply_answer *a, lf_error *err)
{
	memset(p, 0, sizeof *p);
	const lf_plan *pl = pls[0];
	p->s = s;
	p->pl = pl;
	p->n_opt = n_opt;
	p->per_stage = s->per_stage && n_opt > 1;
	p->portfolio = s->portfolio;
	p->T = s->pub.periods;
	size_t no = s->offers.len, nr = s->resv.len, nk = s->stock.len;
	size_t ni = rel ? rel->n_items : 0;
	p->sku = calloc(no + nr + nk + ni + 1, sizeof *p->sku);
	p->spare = calloc(no + nr + nk + ni + 1, sizeof *p->spare);
	p->offer_sku = calloc(no + 1, sizeof(int));
	p->offer_lead = calloc(no + 1, sizeof(int));
	p->offer_price = calloc(no + 1, sizeof(double));
	p->resv_sku = calloc(nr + 1, sizeof(int));
	if (!p->sku || !p->offer_sku || !p->offer_lead || !p->offer_price || !p->resv_sku ||
	    !p->spare)
		return lf_oom(err);
	for (size_t i = 0; i < no; i++) {
		const sup_offer *o = LF_VEC_AT(&s->offers, sup_offer, i);
		LF_TRY(add_sku(p, o->sku, o->sku_pos, &p->offer_sku[i], err));
		const lf_optic *op = p->sku[p->offer_sku[i]].o;
		int lead = o->lead;
		if (lead < 0) {
			lead = lf_sup_weeks_periods(s, op->lead_time_weeks);
			if (lead >= p->T)
				return lf_fail(err, LF_EINPUT, s->pub.file, o->sku_pos.line, o->sku_pos.col,
				               "lead time of %s (catalog: %d weeks = %d period%s) is beyond "
				               "the horizon of %d period%s: nothing ordered could arrive; "
				               "give this supplier's lead_time or lengthen the horizon",
				               op->id, op->lead_time_weeks, lead, lead == 1 ? "" : "s", p->T,
				               p->T == 1 ? "" : "s");
		}
		p->offer_lead[i] = lead;
		p->offer_price[i] = o->n_seg ? o->seg_usd[0] : op->price_usd;
		for (int e = 0; e < o->n_exp; e++)
			if (o->exp[e].lead > lead)
				return lf_fail(err, LF_EINPUT, s->pub.file, o->exp[e].pos.line,
				               o->exp[e].pos.col, "expedite lead time (%d periods) must be "
				               "shorter than the standard lead time (%d)", o->exp[e].lead,
				               lead);
	}
	for (size_t i = 0; i < nr; i++) {
		const sup_resv *r = LF_VEC_AT(&s->resv, sup_resv, i);
		LF_TRY(add_sku(p, r->sku, r->sku_pos, &p->resv_sku[i], err));
	}
	for (size_t i = 0; i < nk; i++) {
		const sup_stock *k = LF_VEC_AT(&s->stock, sup_stock, i);
		int idx;
		LF_TRY(add_sku(p, k->sku, k->sku_pos, &idx, err));
		p->sku[idx].stock += k->quantity;
	}
	/* spares per transceiver SKU from lightfab reliability (cables and the
	 * rest are not sourced here) */
	double spares_total = 0, spares_other = 0;
	for (size_t i = 0; i < ni; i++) {
		const lf_rel_item *it = &rel->items[i];
		if (it->spares <= 0)
			continue;
		const lf_optic *o = it->sku ? lf_catalog_optic(pl->cat, it->sku) : NULL;
		if (it->cls > LF_RC_XCVR_OTHER || !o || o->kind != LF_OPTIC_TRANSCEIVER) {
			spares_other += (double)it->spares;
			continue;
		}
		int idx;
		LF_TRY(add_sku(p, o->id, (lf_pos){ 0 }, &idx, err));
		p->spare[idx] += (double)it->spares;
		spares_total += (double)it->spares;
	}
	for (size_t i = 0; i < s->rules.len; i++) {
		const sup_rule *r = LF_VEC_AT(&s->rules, sup_rule, i);
		if (!lf_catalog_optic(pl->cat, r->use))
			return unknown_sku(p, r->use, r->pos, err);
		if (!lf_catalog_optic(pl->cat, r->for_))
			return unknown_sku(p, r->for_, r->pos, err);
	}

	for (int j = 0; j < p->n_opt; j++)
		LF_TRY(setup_levels(p, j, pls[j], a, err));
	int ns = pl->n_stages ? (int)pl->n_stages : 1;
	for (int j = 1; j < p->n_opt && p->portfolio; j++) {
		/* projects: stage lists of their own; n_grp is the longest */
		int nq = pls[j]->n_stages ? (int)pls[j]->n_stages : 1;
		ns = nq > ns ? nq : ns;
	}
	for (int j = 1; j < p->n_opt && p->per_stage; j++) {
		/* choose: per-stage: every option has the same stages */
		const lf_plan *q = pls[j];
		int nq = q->n_stages ? (int)q->n_stages : 1;
		const lf_supply_option *op = &s->pub.options[j < (int)s->pub.n_options ? j : 0];
		if (nq != ns)
			return lf_fail(err, LF_EINPUT, s->pub.file, op->pos.line, op->pos.col,
			               "choose: per-stage: option \"%s\" has %d stage%s, option \"%s\" "
			               "%d: every option must list the same stages (count and need-by "
			               "dates)", op->name, nq, nq == 1 ? "" : "s",
			               s->pub.options[0].name, ns);
		for (int k = 0; k < ns && pl->n_stages; k++)
			if (q->stages[k].need_by != pl->stages[k].need_by) {
				char l1[32], l2[32];
				lf_format_month(q->stages[k].need_by, l1, sizeof l1);
				lf_format_month(pl->stages[k].need_by, l2, sizeof l2);
				return lf_fail(err, LF_EINPUT, s->pub.file, op->pos.line, op->pos.col,
				               "choose: per-stage: stage %d of option \"%s\" (%s) is needed "
				               "by %s, of option \"%s\" (%s) by %s: every option must list "
				               "the same stages (count and need-by dates)", k + 1, op->name,
				               q->stages[k].name, l1, s->pub.options[0].name,
				               pl->stages[k].name, l2);
			}
	}
	p->n_grp = ns;
	p->st = calloc((size_t)ns * (size_t)p->n_opt, sizeof *p->st);
	if (!p->st)
		return lf_oom(err);
	p->n_st = ns * p->n_opt;
	double total_mod = 0, maxpen = 0;
	for (int j = 0; j < p->n_opt; j++) {
		double mp = setup_stages(p, j, pls[j], a, &total_mod);
		maxpen = mp > maxpen ? mp : maxpen;
	}
	p->unmet = s->unmet_link >= 0 ? s->unmet_link : maxpen * p->T;
	p->bigm = total_mod + 1;
	for (size_t k = 0; k < p->n_sku; k++)
		p->bigm += p->sku[k].stock + p->spare[k];
	if (rel) {
		/* needed with the first stage; a spare short costs what a link of
		 * the dearest stage does */
		p->spare_need = p->st[0].need_by;
		p->spare_pen = maxpen;
		char lab[32];
		lf_supply_period_label(s->pub.period, s->pub.start_month,
		                       p->spare_need < p->T ? p->spare_need : p->T - 1, lab, sizeof lab);
		note(a, "spares from lightfab reliability (fill rate %.3g, lead time %.0f h): %.0f "
		     "transceivers, extra demand per SKU needed by %s. ", rel->fill_rate,
		     rel->lead_time_h, spares_total, lab);
		if (spares_other > 0)
			note(a, "%.0f other spares (cables, switches, NICs) are not sourced here. ",
			     spares_other);
	}
	return LF_OK;
}

/* ---------------------------------------------------------------- model */

enum row_kind { R_FREE, R_OFFER_CAP, R_SUPPLIER, R_POOL, R_RESV, R_OTHER };

typedef struct rowinfo {
	uint8_t kind;
	int ref, period;
} rowinfo;

typedef struct model {
	const problem *p;
	int disabled_resv;        /* -1: none */
	const int *assign;        /* per stage: the option it must use, -1 free; NULL: all free */
	lf_vec lb, ub, cost, ctype, ckind;   /* columns, 1-based after load */
	lf_vec rlo, rhi, rtype;
	lf_vec rinfo;
	lf_vec ia, ja, ar;
	/* column indices (0 = none) */
	int *x;                   /* [offer][mode][t] */
	int *nmode;
	int *xbase;               /* first index in x of offer o */
	int *q;                   /* [offer][seg] */
	int *taken;               /* [resv][t] */
	int *sign;                /* [resv] */
	int *inv;                 /* [sku][t] */
	int *v;                   /* [level][cand][t] */
	int *w;                   /* [stage][level][fam][t], fam up to maxfam */
	int *C;                   /* [stage][level][t] */
	int *spu, *spS;           /* [sku][t]: spares set aside in t, cumulative */
	int *y;                   /* [stage entry]: built from this option (per-stage) */
	int maxfam;
	double constant;
	int n_int;
	/* solution */
	double *val;              /* per column, 1-based */
	double *dval;             /* the LP the duals come from */
	double *rdual;            /* per row */
	double *cdual;
	double obj;
	int optimal;
	double gap;
	int rows, cols;
	glp_prob *lp;             /* an LP's solved problem (warm starts); NULL for a MIP */
} model;

static int add_col(model *m, double lb, double ub, double cost, int kind)
{
	double *a = lf_vec_push(&m->lb), *b = lf_vec_push(&m->ub), *c = lf_vec_push(&m->cost);
	int *k = lf_vec_push(&m->ckind);
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

static int add_row(model *m, double lo, double hi, int kind, int ref, int period)
{
	double *a = lf_vec_push(&m->rlo), *b = lf_vec_push(&m->rhi);
	rowinfo *ri = lf_vec_push(&m->rinfo);
	if (!a || !b || !ri)
		return -1;
	*a = lo;
	*b = hi;
	ri->kind = (uint8_t)kind;
	ri->ref = ref;
	ri->period = period;
	return (int)m->rlo.len;
}

static bool add_nz(model *m, int row, int col, double v)
{
	if (!col || !row)
		return true;
	int *i = lf_vec_push(&m->ia), *j = lf_vec_push(&m->ja);
	double *a = lf_vec_push(&m->ar);
	if (!i || !j || !a)
		return false;
	*i = row;
	*j = col;
	*a = v;
	return true;
}

static void model_release(model *m)
{
	lf_vec_release(&m->lb);
	lf_vec_release(&m->ub);
	lf_vec_release(&m->cost);
	lf_vec_release(&m->ckind);
	lf_vec_release(&m->rlo);
	lf_vec_release(&m->rhi);
	lf_vec_release(&m->rinfo);
	lf_vec_release(&m->ia);
	lf_vec_release(&m->ja);
	lf_vec_release(&m->ar);
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
	m->lp = NULL;
}

#define XI(m, o, md, t) ((m)->xbase[o] + (md) * T + (t))
#define ADD_NZ(r, c, v) do { if (!add_nz(m, (r), (c), (v))) goto oom; } while (0)
#define COL(var, ...) do { if (((var) = add_col(m, __VA_ARGS__)) < 0) goto oom; } while (0)
#define ROW(var, ...) do { if (((var) = add_row(m, __VA_ARGS__)) < 0) goto oom; } while (0)

static int offer_lead(const problem *p, size_t o, int md)
{
	const sup_offer *of = LF_VEC_AT(&p->s->offers, sup_offer, o);
	return md == 0 ? p->offer_lead[o] : of->exp[md - 1].lead;
}

static lf_status build(model *m, const problem *p, int disabled_resv, const int *assign,
                       lf_error *err)
{
	memset(m, 0, sizeof *m);
	m->p = p;
	m->disabled_resv = disabled_resv;
	m->assign = assign;
	lf_vec_init(&m->lb, sizeof(double));
	lf_vec_init(&m->ub, sizeof(double));
	lf_vec_init(&m->cost, sizeof(double));
	lf_vec_init(&m->ckind, sizeof(int));
	lf_vec_init(&m->rlo, sizeof(double));
	lf_vec_init(&m->rhi, sizeof(double));
	lf_vec_init(&m->rinfo, sizeof(rowinfo));
	lf_vec_init(&m->ia, sizeof(int));
	lf_vec_init(&m->ja, sizeof(int));
	lf_vec_init(&m->ar, sizeof(double));
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
	int r;

	/* ---- orders */
	for (size_t o = 0; o < no; o++) {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
		double base = p->offer_price[o];
		bool segs = of->n_seg > 1;
		for (int md = 0; md < m->nmode[o]; md++) {
			int lead = offer_lead(p, o, md);
			double prem = md ? of->exp[md - 1].premium_frac * base + of->exp[md - 1].premium_usd
			                 : 0;
			for (int t = 0; t + lead < T; t++) {
				double ub = HUGE_VAL;
				if (of->cap.set && m->nmode[o] == 1)
					ub = lf_sup_cap_at(&of->cap, t + lead);
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
					double cap = of->cap.set ? lf_sup_cap_at(&of->cap, t + lead) : p->bigm;
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
	/* capacity rows per arrival period */
	for (size_t o = 0; o < no; o++) {
		const sup_offer *of = LF_VEC_AT(&s->offers, sup_offer, o);
		if (!of->cap.set || m->nmode[o] == 1)
			continue;
		for (int t = 0; t < T; t++) {
			ROW(r, -HUGE_VAL, lf_sup_cap_at(&of->cap, t), R_OFFER_CAP, (int)o, t);
			for (int md = 0; md < m->nmode[o]; md++) {
				int tp = t - offer_lead(p, o, md);
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
			ROW(r, -HUGE_VAL, lf_sup_cap_at(&sp->cap, t), R_SUPPLIER, (int)si, t);
			for (size_t o = 0; o < no; o++) {
				if (LF_VEC_AT(&s->offers, sup_offer, o)->supplier != (int)si)
					continue;
				for (int md = 0; md < m->nmode[o]; md++) {
					int tp = t - offer_lead(p, o, md);
					if (tp >= 0)
						ADD_NZ(r, m->x[XI(m, o, md, tp)], 1);
				}
			}
		}
	}
	for (size_t pi = 0; pi < s->pools.len; pi++) {
		const sup_pool *pool = LF_VEC_AT(&s->pools, sup_pool, pi);
		for (int t = 0; t < T; t++) {
			ROW(r, -HUGE_VAL, lf_sup_cap_at(&pool->cap, t), R_POOL, (int)pi, t);
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
					int tp = t - offer_lead(p, o, md);
					if (tp >= 0)
						ADD_NZ(r, m->x[XI(m, o, md, tp)], op->lasers);
				}
			}
		}
	}

	/* ---- reservations */
	for (size_t ri = 0; ri < nr; ri++) {
		const sup_resv *rv = LF_VEC_AT(&s->resv, sup_resv, ri);
		double len = rv->to - rv->from + 1;
		bool off = (int)ri == disabled_resv;
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

	/* ---- per-stage choice: y[stage, option] in {0,1}, one option per stage;
	 * the stage's links are served only from the chosen option, and its
	 * lateness + unmet penalty (a constant when there is one option) and
	 * option_costs move onto y: pen * (L y - C) instead of pen * (L - C). */
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
				int a = assign ? assign[g] : -1;
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

	/* ---- demand: cumulative links, families, module use */
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

	/* ---- spares (lightfab reliability): S[k,t] = S[k,t-1] + u[k,t] <= N_k,
	 * u drawn from stock; short from need-by and unmet as for links */
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

	/* ---- inventory balance per SKU and period */
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
					int tp = t - offer_lead(p, o, md);
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
	return LF_OK;
oom:
	model_release(m);
	return lf_oom(err);
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
 * then primal without presolve).
 */
static int lp_solve(glp_prob *lp, bool warm, bool mip)
{
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
	sm.meth = GLP_DUALP;
	int rc;
	if (warm || !mip) {
		if (!warm)
			glp_cpx_basis(lp);
		rc = glp_simplex(lp, &sm);
		if (rc == 0 && glp_get_status(lp) == GLP_OPT)
			return 0;
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

/* Solve m.  from: NULL, or a solved model with the same rows and columns
 * (the reservation re-solves: only the bounds of one column differ) whose
 * GLPK problem is copied with its basis and re-optimised from it.  An LP
 * keeps its GLPK problem in m->lp (for later warm starts). */
static lf_status solve(model *m, double time_limit_s, const model *from, lf_error *err)
{
	glp_term_out(GLP_OFF);
	int nrow = (int)m->rlo.len, ncol = (int)m->lb.len;
	m->rows = nrow;
	m->cols = ncol;
	glp_prob *lp;
	bool warm = from && from->lp && from->rows == nrow && from->cols == ncol && !m->n_int;
	if (warm) {
		lp = glp_create_prob();
		glp_copy_prob(lp, from->lp, GLP_OFF);
		for (int j = 1; j <= ncol; j++) {
			double lo = *LF_VEC_AT(&m->lb, double, (size_t)j - 1);
			double hi = *LF_VEC_AT(&m->ub, double, (size_t)j - 1);
			double olo = *LF_VEC_AT(&from->lb, double, (size_t)j - 1);
			double ohi = *LF_VEC_AT(&from->ub, double, (size_t)j - 1);
			if (lo != olo || hi != ohi)
				glp_set_col_bnds(lp, j, wrap_bounds(lo, hi), isfinite(lo) ? lo : 0,
				                 isfinite(hi) ? hi : 0);
		}
	} else {
		lp = load_prob(m);
		if (!lp)
			return lf_oom(err);
	}
	m->val = calloc((size_t)ncol + 1, sizeof(double));
	m->cdual = calloc((size_t)ncol + 1, sizeof(double));
	m->dval = calloc((size_t)ncol + 1, sizeof(double));
	m->rdual = calloc((size_t)nrow + 1, sizeof(double));
	if (!m->val || !m->cdual || !m->rdual || !m->dval) {
		glp_delete_prob(lp);
		return lf_oom(err);
	}
	int rc = lp_solve(lp, warm, m->n_int > 0);
	if (rc != 0 || glp_get_status(lp) != GLP_OPT) {
		int status = glp_get_status(lp);
		glp_delete_prob(lp);
		return lf_fail(err, LF_ESOLVER, NULL, 0, 0, "GLPK simplex failed (code %d, status %d)",
		               rc, status);
	}
	m->optimal = 1;
	glp_smcp sm;
	glp_init_smcp(&sm);
	sm.msg_lev = GLP_MSG_OFF;
	sm.presolve = GLP_OFF;
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
			return lf_fail(err, LF_ESOLVER, NULL, 0, 0, "GLPK branch-and-bound found no "
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
			return lf_fail(err, LF_ESOLVER, NULL, 0, 0, "GLPK: the LP with the yes/no "
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

/* ------------------------------------------------------------- reading */

static double V(const model *m, int col)
{
	return col ? m->val[col] : 0;
}

/* first period with all levels of stage k served; -1 if never */
static int stage_ready(const model *m, int k)
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
static bool chosen(const model *m, int k)
{
	return !m->p->per_stage || V(m, m->y[k]) > 0.5;
}

/* The ready period of stage g (the entry of its chosen option). */
static int group_ready(const model *m, int g)
{
	for (int j = 0; j < m->p->n_opt; j++)
		if (chosen(m, g * m->p->n_opt + j))
			return stage_ready(m, g * m->p->n_opt + j);
	return -1;
}

static double objective_without_tie(const model *m)
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
				int lead = offer_lead(p, o, md);
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
		snprintf(buf, n, "%s (%s lasers)", pool->name, lf_laser_name(pool->laser));
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

static lf_status push(lf_vec *v, const void *elem, lf_error *err)
{
	void *d = lf_vec_push(v);
	if (!d)
		return lf_oom(err);
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

static lf_status read_bindings(const model *m, lf_vec *out, lf_error *err)
{
	const problem *p = m->p;
	double *act = calloc((size_t)m->rows + 1, sizeof *act);
	if (!act)
		return lf_oom(err);
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
			double ub = lf_sup_cap_at(&of->cap, t + lead);
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
static void explain(const model *m, int k, lf_supply_stage *st, const lf_vec *bind,
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
			  "substitutes. ", lf_level_name(p->lv[i].level), p->lv[i].planned[0]->id,
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
			  "period%s. ", lf_level_name(p->lv[i].level), lab2, e.sku ? e.sku : "-",
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

static lf_status fill_answer(model *m, lf_supply_answer *a, lf_error *err)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	lf_vec orders, flows, uses, stages, bind, resv, spares;
	lf_vec_init(&orders, sizeof(lf_supply_order));
	lf_vec_init(&flows, sizeof(lf_supply_flow));
	lf_vec_init(&uses, sizeof(lf_supply_use));
	lf_vec_init(&stages, sizeof(lf_supply_stage));
	lf_vec_init(&bind, sizeof(lf_supply_binding));
	lf_vec_init(&resv, sizeof(lf_supply_resv_use));
	lf_vec_init(&spares, sizeof(lf_supply_spare));
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
			int lead = offer_lead(p, o, md);
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
					int tp = t - offer_lead(p, o, md);
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
		if (!S->name || !chosen(m, k))
			continue;
		a->option_usd += S->extra;
		lf_supply_stage sg = { 0 };
		sg.name = S->name;
		sg.project = p->portfolio ? p->s->pub.options[S->opt].name : NULL;
		sg.gpus = S->gpus;
		sg.need_by = S->need_by;
		sg.ready = stage_ready(m, k);
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
		note(a, "the MIP stopped at the time limit with a gap of %.3g%%: the answer is "
		     "feasible, not proven optimal. ", 100 * m->gap);
out:
	if (st != LF_OK) {
		lf_vec_release(&orders);
		lf_vec_release(&flows);
		lf_vec_release(&uses);
		lf_vec_release(&stages);
		lf_vec_release(&bind);
		lf_vec_release(&resv);
		lf_vec_release(&spares);
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
static lf_status fill_projects(const model *m, lf_supply_answer *a, lf_error *err)
{
	const problem *p = m->p;
	const int T = p->T, n = p->n_opt;
	a->projects = calloc((size_t)n, sizeof *a->projects);
	double *las = calloc((size_t)(LF_LASER_DML + 1) * (size_t)n * (size_t)T + 1, sizeof *las);
	if (!a->projects || !las) {
		free(las);
		return lf_oom(err);
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
		int r = stage_ready(m, k);
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
	lf_vec v;
	lf_vec_init(&v, sizeof(lf_supply_laser_share));
	lf_status st = LF_OK;
	for (int l = 1; l <= LF_LASER_DML && st == LF_OK; l++)
		for (int t = 0; t < T && st == LF_OK; t++)
			for (int j = 0; j < n && st == LF_OK; j++) {
				double x = las[((size_t)l * (size_t)n + (size_t)j) * (size_t)T + (size_t)t];
				if (x < EPS)
					continue;
				lf_supply_laser_share sh = { lf_laser_name((lf_laser)l),
				                             a->projects[j].name, t, x };
				st = push(&v, &sh, err);
			}
	free(las);
	if (st != LF_OK) {
		lf_vec_release(&v);
		return st;
	}
	a->laser_shares = v.data;
	a->n_laser_shares = v.len;
	return LF_OK;
}

/* "ready 2026-04" for a period, "never" for -1 */
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
		return lf_oom(err);
	}
	a->n_choices = (size_t)p->n_grp;
	double base = objective_without_tie(m);
	lf_status st = LF_OK;
	for (int g = 0; g < p->n_grp && st == LF_OK; g++) {
		lf_supply_choice *ch = &a->choices[g];
		int cj = 0;
		while (cj < n - 1 && !chosen(m, g * n + cj))
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
			for (int h = 0; h < p->n_grp; h++)
				assign[h] = h == g ? j : -1;
			model m2;
			lf_supply_answer b;
			memset(&b, 0, sizeof b);
			st = build(&m2, p, -1, assign, err);
			if (st != LF_OK)
				break;
			st = solve(&m2, s->time_limit_s, NULL, err);
			if (st == LF_ESOLVER) {
				ch->force_usd[j] = HUGE_VAL;
				W("%s: no feasible plan. ", a->option_names[j]);
				st = LF_OK;
				model_release(&m2);
				continue;
			}
			if (st == LF_OK)
				st = fill_answer(&m2, &b, err);
			if (st == LF_OK) {
				ch->force_usd[j] = objective_without_tie(&m2) - base;
				char l1[32], l2[32];
				ready_label(s, group_ready(m, g), l1, sizeof l1);
				ready_label(s, group_ready(&m2, g), l2, sizeof l2);
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
			answer_release(&b);
			model_release(&m2);
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
	lf_status st = setup(&p, s, pls, n_opt, rel, a, err);
	model m;
	if (st == LF_OK)
		st = build(&m, &p, -1, NULL, err);
	else {
		problem_release(&p);
		return st;
	}
	if (st != LF_OK) {
		problem_release(&p);
		return st;
	}
	st = solve(&m, s->time_limit_s, NULL, err);
	if (st == LF_OK)
		st = fill_answer(&m, a, err);
	/* what each reservation is worth: the same problem without it */
	if (st == LF_OK && s->value_resv && s->resv.len <= 8) {
		double base = objective_without_tie(&m);
		for (size_t r = 0; r < s->resv.len && st == LF_OK; r++) {
			model m2;
			st = build(&m2, &p, (int)r, NULL, err);
			if (st != LF_OK)
				break;
			st = solve(&m2, s->time_limit_s, &m, err);
			if (st == LF_OK) {
				lf_supply_resv_use *u = &a->resv[r];
				u->valued = 1;
				u->value_usd = objective_without_tie(&m2) - base;
				size_t off = 0;
				/* per stage (per-stage: its chosen option; projects: every
				 * project's stages) */
				int ng = p.portfolio ? p.n_st : p.n_grp;
				for (int g = 0; g < ng && off < sizeof u->effect; g++) {
					if (p.portfolio && !p.st[g].name)
						continue;
					int r1 = p.portfolio ? stage_ready(&m, g) : group_ready(&m, g);
					int r2 = p.portfolio ? stage_ready(&m2, g) : group_ready(&m2, g);
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
			model_release(&m2);
		}
	}
	if (st == LF_OK && p.per_stage)
		st = price_choices(&p, &m, names, s->price_choices, a, err);
	if (st == LF_OK && p.portfolio)
		st = fill_projects(&m, a, err);
	model_release(&m);
	problem_release(&p);
	a->solve_s = lf_wall_now() - t0;
	return st;
}

static lf_status solve_stochastic(const sup_scenario *s, const lf_plan *pl,
                                  lf_supply_result *r, lf_error *err);

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
		return lf_fail(err, LF_EINPUT, sc->file, 0, 0, "no plan to source: give a spec "
		               "(spec: in the scenario, or on the command line)");
	res_impl *ri = calloc(1, sizeof *ri);
	if (!ri)
		return lf_oom(err);
	lf_supply_result *r = &ri->pub;
	r->impl_ = ri;
	r->scenario = sc->name;
	r->period = sc->period;
	r->start_month = sc->start_month;
	r->periods = sc->periods;
	r->answers = calloc(n_plans, sizeof *r->answers);
	if (!r->answers) {
		free(ri);
		return lf_oom(err);
	}
	lf_status st = LF_OK;
	const sup_scenario *s = SUP(sc);
	if (s->n_unc) {
		if (n_plans != 1 || spares)
			st = lf_fail(err, LF_EINPUT, sc->file, s->unc_pos.line, s->unc_pos.col,
			             "uncertainty: sources one spec without spares from lightfab "
			             "reliability; got %zu spec%s%s", n_plans, n_plans == 1 ? "" : "s",
			             spares ? " and spares" : "");
		else
			st = solve_stochastic(s, plans[0], r, err);
	} else if (s->per_stage || s->portfolio) {
		/* one answer: every option is a candidate for every stage, or every
		 * project is sourced together */
		r->n_answers = 1;
		if (n_plans != sc->n_options)
			st = lf_fail(err, LF_EINPUT, sc->file, s->choose_pos.line, s->choose_pos.col,
			             "%s sources the scenario's %zu %s together; got %zu spec%s (give no "
			             "SPEC.yaml or --option)", s->portfolio ? "projects:" : "choose: per-stage",
			             sc->n_options, s->portfolio ? "projects" : "options", n_plans,
			             n_plans == 1 ? "" : "s");
		else if (spares)
			st = lf_fail(err, LF_EINPUT, sc->file, s->choose_pos.line, s->choose_pos.col,
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
		lf_supply_free(r);
		return st;
	}
	*out = r;
	return LF_OK;
}

/* choose: per-stage with every stage's option fixed (assign[g]): the model
 * is then an LP (with solver.integer false and no yes/no decisions); its
 * objective, as reported.  For tests: brute force over assignments. */
lf_status lf_sup_solve_assigned(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                size_t n_plans, const int *assign, double *objective,
                                int *int_cols, lf_error *err)
{
	const sup_scenario *s = SUP(sc);
	lf_supply_answer a;
	memset(&a, 0, sizeof a);
	problem p;
	lf_status st = setup(&p, s, plans, (int)n_plans, NULL, &a, err);
	model m;
	if (st == LF_OK && (st = build(&m, &p, -1, assign, err)) == LF_OK) {
		st = solve(&m, s->time_limit_s, NULL, err);
		if (st == LF_OK)
			st = fill_answer(&m, &a, err);
		*objective = a.objective_usd;
		*int_cols = m.n_int;
		model_release(&m);
	}
	answer_release(&a);
	problem_release(&p);
	return st;
}

/* ------------------------------------------------- break-even sweep */

void lf_supply_sweep_free(lf_supply_sweep *sw)
{
	if (!sw)
		return;
	free(sw->capacity);
	free(sw->objective_usd);
	free(sw->ready);
	free(sw->stage);
	free(sw->choice);
	free(sw);
}

lf_status lf_supply_sweep_capacity(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                   const char *const *names, size_t n_plans, const char *pool,
                                   double from, double to, int steps, lf_supply_sweep **out,
                                   lf_error *err)
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
		return lf_fail(err, LF_EINPUT, sc->file, 0, 0, "--sweep-capacity: no laser pool "
		               "\"%s\" in the scenario%s%s%s", pool, dym ? "; did you mean \"" : "",
		               dym ? dym : "", dym ? "\"?" : "");
	}
	if (!(from >= 0) || !(to >= from) || steps < 2 || steps > 1000)
		return lf_fail(err, LF_EINPUT, NULL, 0, 0, "--sweep-capacity: expected 0 <= FROM <= TO "
		               "and 2 to 1000 steps, got %g..%g in %d", from, to, steps);
	lf_supply_sweep *sw = calloc(1, sizeof *sw);
	/* a shallow copy of the scenario whose pools array is our own */
	sup_scenario cp = *s;
	cp.pools.data = malloc(s->pools.len * sizeof(sup_pool));
	if (!sw || !cp.pools.data) {
		free(sw);
		free(cp.pools.data);
		return lf_oom(err);
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
	sw->ready = calloc((size_t)steps, sizeof(int));
	lf_status st = sw->capacity && sw->objective_usd && sw->ready ? LF_OK : lf_oom(err);
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
		sw->ready[k] = a->ready;
		if (a->n_choices && !sw->choice) {
			sw->n_stages = a->n_choices;
			sw->stage = calloc(a->n_choices, sizeof *sw->stage);
			sw->choice = calloc(a->n_choices * (size_t)steps, sizeof(int));
			if (!sw->stage || !sw->choice)
				st = lf_oom(err);
			for (size_t g = 0; g < a->n_choices && st == LF_OK; g++)
				sw->stage[g] = a->choices[g].stage;
			sw->n_option_names = a->n_option_names;
			for (size_t j = 0; j < a->n_option_names; j++)
				sw->option_names[j] = a->option_names[j];
		}
		for (size_t g = 0; g < sw->n_stages && st == LF_OK; g++)
			sw->choice[(size_t)k * sw->n_stages + g] = a->choices[g].option;
		lf_supply_free(r);
	}
	free(cp.pools.data);
	if (st != LF_OK) {
		lf_supply_sweep_free(sw);
		return st;
	}
	/* where each stage's choice flips */
	size_t off = 0;
	for (size_t g = 0; g < sw->n_stages; g++)
		for (size_t k = 1; k < sw->n_points; k++) {
			int a0 = sw->choice[(k - 1) * sw->n_stages + g], a1 = sw->choice[k * sw->n_stages + g];
			if (a0 == a1 || off >= sizeof sw->flips)
				continue;
			off += (size_t)snprintf(sw->flips + off, sizeof sw->flips - off,
			                        "%s%s goes %s (from %s) once %s >= %.0f lasers/%s",
			                        off ? "; " : "", sw->stage[g], sw->option_names[a1],
			                        sw->option_names[a0], sw->pool, sw->capacity[k],
			                        sw->period == LF_PERIOD_MONTH ? "month" : "week");
		}
	if (!off && sw->n_stages)
		snprintf(sw->flips, sizeof sw->flips, "no stage changes option over %s = %.0f..%.0f",
		         sw->pool, from, to);
	*out = sw;
	return LF_OK;
}

/* ------------------------------------------- two-stage stochastic supply */

/* A shallow copy of s with its own pools and suppliers arrays and uncertainty
 * scenario u's capacity overrides (u NULL: the probability-weighted mean of
 * every overridden capacity; a scenario that does not override one counts
 * its base capacity). */
static lf_status unc_copy(const sup_scenario *s, const sup_unc *u, sup_scenario *cp,
                          lf_error *err)
{
	*cp = *s;
	cp->pub.impl_ = cp;
	cp->n_unc = 0;
	cp->value_resv = false;
	cp->pools.data = malloc(s->pools.len * sizeof(sup_pool) + 1);
	cp->suppliers.data = malloc(s->suppliers.len * sizeof(sup_supplier) + 1);
	if (!cp->pools.data || !cp->suppliers.data) {
		free(cp->pools.data);
		free(cp->suppliers.data);
		return lf_oom(err);
	}
	memcpy(cp->pools.data, s->pools.data, s->pools.len * sizeof(sup_pool));
	memcpy(cp->suppliers.data, s->suppliers.data, s->suppliers.len * sizeof(sup_supplier));
	for (int k = 0; k < s->n_unc; k++) {
		const sup_unc *x = &s->unc[k];
		if (u && x != u)
			continue;
		for (int i = 0; i < x->n_ovr; i++) {
			sup_cap *c = x->ovr[i].supplier
			             ? &LF_VEC_AT(&cp->suppliers, sup_supplier, (size_t)x->ovr[i].ref)->cap
			             : &LF_VEC_AT(&cp->pools, sup_pool, (size_t)x->ovr[i].ref)->cap;
			const sup_cap *c0 = x->ovr[i].supplier
			             ? &LF_VEC_AT(&s->suppliers, sup_supplier, (size_t)x->ovr[i].ref)->cap
			             : &LF_VEC_AT(&s->pools, sup_pool, (size_t)x->ovr[i].ref)->cap;
			if (u) {
				c->base = x->ovr[i].cap;
			} else if (c->n_steps >= 0) {
				/* mean: sum over scenarios of p x (override or base) */
				double mean = 0;
				for (int q = 0; q < s->n_unc; q++) {
					double v = c0->set ? c0->base : 0;
					for (int r = 0; r < s->unc[q].n_ovr; r++)
						if (s->unc[q].ovr[r].supplier == x->ovr[i].supplier &&
						    s->unc[q].ovr[r].ref == x->ovr[i].ref)
							v = s->unc[q].ovr[r].cap;
					mean += s->unc[q].prob * v;
				}
				c->base = mean;
			}
			c->set = true;
			c->n_steps = 0;
		}
	}
	return LF_OK;
}

/* first-stage columns of a model: orders placed and call-offs in periods
 * < commit, reservation signatures */
static void first_stage_cols(const model *m, int commit, int *cols, int *n)
{
	const problem *p = m->p;
	const sup_scenario *s = p->s;
	const int T = p->T;
	*n = 0;
	for (size_t o = 0; o < s->offers.len; o++)
		for (int md = 0; md < m->nmode[o]; md++)
			for (int t = 0; t < commit && t < T; t++)
				if (m->x[XI(m, o, md, t)])
					cols[(*n)++] = m->x[XI(m, o, md, t)];
	for (size_t r = 0; r < s->resv.len; r++) {
		cols[(*n)++] = m->sign[r];
		for (int t = 0; t < commit && t < T; t++)
			if (m->taken[r * (size_t)T + (size_t)t])
				cols[(*n)++] = m->taken[r * (size_t)T + (size_t)t];
	}
}

typedef struct stoch {
	int nu;
	sup_scenario cp[SUP_MAX_UNC];
	problem p[SUP_MAX_UNC];
	model m[SUP_MAX_UNC];
	int built;
} stoch;

static void stoch_release(stoch *x)
{
	for (int u = 0; u < x->built; u++) {
		model_release(&x->m[u]);
		problem_release(&x->p[u]);
	}
	for (int u = 0; u < x->nu; u++) {
		free(x->cp[u].pools.data);
		free(x->cp[u].suppliers.data);
	}
}

/* The extensive form: every scenario's model side by side, costs times its
 * probability, first-stage columns equal across scenarios; fix (NULL, or
 * per column of one scenario's model, NAN = free) fixes first-stage columns.
 * Fills answers[u] (when given) and the expected objective. */
static lf_status extensive(const sup_scenario *s, const lf_plan *pl, const double *fix,
                           lf_supply_answer *answers, double *expected, lf_error *err)
{
	stoch *x = calloc(1, sizeof *x);
	if (!x)
		return lf_oom(err);
	lf_status st = LF_OK;
	for (int u = 0; u < s->n_unc && st == LF_OK; u++) {
		st = unc_copy(s, &s->unc[u], &x->cp[u], err);
		if (st == LF_OK)
			x->nu = u + 1;        /* copies to free */
		lf_supply_answer tmp;
		memset(&tmp, 0, sizeof tmp);
		if (st == LF_OK)
			st = setup(&x->p[u], &x->cp[u], &pl, 1, NULL, answers ? &answers[u] : &tmp, err);
		if (st == LF_OK && (st = build(&x->m[u], &x->p[u], -1, NULL, err)) == LF_OK)
			x->built = u + 1;
		else
			problem_release(&x->p[u]);   /* x is zeroed: safe when setup never ran */
	}
	model M;
	memset(&M, 0, sizeof M);
	lf_vec_init(&M.lb, sizeof(double));
	lf_vec_init(&M.ub, sizeof(double));
	lf_vec_init(&M.cost, sizeof(double));
	lf_vec_init(&M.ckind, sizeof(int));
	lf_vec_init(&M.rlo, sizeof(double));
	lf_vec_init(&M.rhi, sizeof(double));
	lf_vec_init(&M.rinfo, sizeof(rowinfo));
	lf_vec_init(&M.ia, sizeof(int));
	lf_vec_init(&M.ja, sizeof(int));
	lf_vec_init(&M.ar, sizeof(double));
	int offc[SUP_MAX_UNC], offr[SUP_MAX_UNC];
	int *fc = NULL, nfc = 0;
	for (int u = 0; u < x->built && st == LF_OK; u++) {
		const model *m = &x->m[u];
		double pr = s->unc[u].prob;
		offc[u] = (int)M.lb.len;
		offr[u] = (int)M.rlo.len;
		for (size_t j = 0; j < m->lb.len && st == LF_OK; j++) {
			double lo = *LF_VEC_AT(&m->lb, double, j), hi = *LF_VEC_AT(&m->ub, double, j);
			if (add_col(&M, lo, hi, pr * *LF_VEC_AT(&m->cost, double, j),
			            *LF_VEC_AT(&m->ckind, int, j)) < 0)
				st = lf_oom(err);
		}
		for (size_t i = 0; i < m->rlo.len && st == LF_OK; i++) {
			const rowinfo *ri = LF_VEC_AT(&m->rinfo, rowinfo, i);
			if (add_row(&M, *LF_VEC_AT(&m->rlo, double, i), *LF_VEC_AT(&m->rhi, double, i),
			            ri->kind, ri->ref, ri->period) < 0)
				st = lf_oom(err);
		}
		for (size_t e = 0; e < m->ia.len && st == LF_OK; e++)
			if (!add_nz(&M, *LF_VEC_AT(&m->ia, int, e) + offr[u],
			            *LF_VEC_AT(&m->ja, int, e) + offc[u], *LF_VEC_AT(&m->ar, double, e)))
				st = lf_oom(err);
		M.constant += pr * m->constant;
	}
	if (st == LF_OK) {
		fc = malloc((x->m[0].lb.len + 1) * sizeof *fc);
		if (!fc)
			st = lf_oom(err);
		else
			first_stage_cols(&x->m[0], s->commit, fc, &nfc);
	}
	/* nonanticipativity: scenario u's first-stage columns equal scenario 0's */
	for (int u = 1; u < x->built && st == LF_OK; u++)
		for (int i = 0; i < nfc && st == LF_OK; i++) {
			int r = add_row(&M, 0, 0, R_OTHER, u, -1);
			if (r < 0 || !add_nz(&M, r, fc[i] + offc[u], 1) || !add_nz(&M, r, fc[i] + offc[0], -1))
				st = lf_oom(err);
		}
	if (st == LF_OK && fix)
		for (int i = 0; i < nfc; i++) {
			double v = fix[fc[i]];
			if (isnan(v))
				continue;
			*LF_VEC_AT(&M.lb, double, (size_t)fc[i] + (size_t)offc[0] - 1) = v;
			*LF_VEC_AT(&M.ub, double, (size_t)fc[i] + (size_t)offc[0] - 1) = v;
		}
	for (size_t j = 0; j < M.ckind.len; j++)
		M.n_int += *LF_VEC_AT(&M.ckind, int, j) != GLP_CV;
	if (st == LF_OK)
		st = solve(&M, s->time_limit_s, NULL, err);
	/* each scenario's part of the solution, its duals per unit of probability */
	*expected = 0;
	for (int u = 0; u < x->built && st == LF_OK; u++) {
		model *m = &x->m[u];
		double pr = s->unc[u].prob > 0 ? s->unc[u].prob : 1;
		m->rows = (int)m->rlo.len;
		m->cols = (int)m->lb.len;
		m->val = calloc((size_t)m->cols + 1, sizeof(double));
		m->dval = calloc((size_t)m->cols + 1, sizeof(double));
		m->cdual = calloc((size_t)m->cols + 1, sizeof(double));
		m->rdual = calloc((size_t)m->rows + 1, sizeof(double));
		if (!m->val || !m->dval || !m->cdual || !m->rdual) {
			st = lf_oom(err);
			break;
		}
		for (int j = 1; j <= m->cols; j++) {
			m->val[j] = M.val[j + offc[u]];
			m->dval[j] = M.dval[j + offc[u]];
			m->cdual[j] = M.cdual[j + offc[u]] / pr;
		}
		for (int i = 1; i <= m->rows; i++)
			m->rdual[i] = M.rdual[i + offr[u]] / pr;
		m->optimal = M.optimal;
		m->gap = M.gap;
		m->n_int = M.n_int;
		lf_supply_answer tmp, *a = answers ? &answers[u] : &tmp;
		if (!answers)
			memset(&tmp, 0, sizeof tmp);
		st = fill_answer(m, a, err);
		if (st == LF_OK) {
			a->name = s->unc[u].name;
			a->spec_name = pl->name;
			a->probability = s->unc[u].prob;
			a->rows = M.rows;
			a->cols = M.cols;
			*expected += s->unc[u].prob * a->objective_usd;
		}
		if (!answers)
			answer_release(&tmp);
	}
	free(fc);
	model_release(&M);
	stoch_release(x);
	free(x);
	return st;
}

/* A deterministic solve of scenario copy cp: its objective as reported and,
 * when vals is given, its column values (malloc'd, 1-based). */
static lf_status det_solve(const sup_scenario *cp, const lf_plan *pl, double *objective,
                           double **vals, double *signed_frac, lf_error *err)
{
	lf_supply_answer a;
	memset(&a, 0, sizeof a);
	problem p;
	lf_status st = setup(&p, cp, &pl, 1, NULL, &a, err);
	model m;
	if (st == LF_OK && (st = build(&m, &p, -1, NULL, err)) == LF_OK) {
		st = solve(&m, cp->time_limit_s, NULL, err);
		if (st == LF_OK)
			st = fill_answer(&m, &a, err);
		*objective = a.objective_usd;
		for (size_t r = 0; st == LF_OK && signed_frac && r < a.n_resv; r++)
			signed_frac[r] = a.resv[r].fraction;
		if (st == LF_OK && vals) {
			*vals = malloc(((size_t)m.cols + 1) * sizeof(double));
			if (!*vals)
				st = lf_oom(err);
			else {
				memcpy(*vals, m.val, ((size_t)m.cols + 1) * sizeof(double));
				/* free all but the first stage */
				int *fc = malloc(((size_t)m.cols + 1) * sizeof(int)), nfc = 0;
				if (!fc)
					st = lf_oom(err);
				else {
					first_stage_cols(&m, cp->commit, fc, &nfc);
					double *keep = malloc(((size_t)m.cols + 1) * sizeof(double));
					if (keep) {
						for (int j = 0; j <= m.cols; j++)
							keep[j] = NAN;
						for (int i = 0; i < nfc; i++)
							keep[fc[i]] = (*vals)[fc[i]];
						free(*vals);
						*vals = keep;
					} else {
						st = lf_oom(err);
					}
					free(fc);
				}
			}
		}
		model_release(&m);
	}
	answer_release(&a);
	problem_release(&p);
	return st;
}

/* uncertainty: the stochastic plan (answers per scenario), its expected
 * cost, the wait-and-see cost (EVPI) and the mean-value plan's (VSS). */
static lf_status solve_stochastic(const sup_scenario *s, const lf_plan *pl,
                                  lf_supply_result *r, lf_error *err)
{
	double t0 = lf_wall_now();
	r->stochastic = 1;
	r->commit = s->commit;
	free(r->answers);
	r->answers = calloc((size_t)s->n_unc, sizeof *r->answers);
	if (!r->answers)
		return lf_oom(err);
	r->n_answers = (size_t)s->n_unc;
	lf_status st = extensive(s, pl, NULL, r->answers, &r->expected_usd, err);
	/* wait and see: each scenario solved knowing it */
	r->wait_and_see_usd = 0;
	for (int u = 0; u < s->n_unc && st == LF_OK; u++) {
		sup_scenario cp;
		st = unc_copy(s, &s->unc[u], &cp, err);
		double o = 0;
		if (st == LF_OK)
			st = det_solve(&cp, pl, &o, NULL, NULL, err);
		r->wait_and_see_usd += s->unc[u].prob * o;
		free(cp.pools.data);
		free(cp.suppliers.data);
	}
	/* the mean-value plan's first stage, evaluated in every scenario */
	if (st == LF_OK) {
		sup_scenario cp;
		double *fix = NULL, o;
		double *frac = calloc(s->resv.len + 1, sizeof *frac);
		st = frac ? unc_copy(s, NULL, &cp, err) : lf_oom(err);
		if (st == LF_OK)
			st = det_solve(&cp, pl, &o, &fix, frac, err);
		size_t off = 0;
		for (size_t k = 0; st == LF_OK && k < s->resv.len && off < sizeof r->stochastic_note;
		     k++)
			off += (size_t)snprintf(r->stochastic_note + off, sizeof r->stochastic_note - off,
			                        "%s%s signed %.0f%% (mean-value plan: %.0f%%)",
			                        k ? "; " : "", LF_VEC_AT(&s->resv, sup_resv, k)->name,
			                        100 * r->answers[0].resv[k].fraction, 100 * frac[k]);
		free(frac);
		free(cp.pools.data);
		free(cp.suppliers.data);
		if (st == LF_OK) {
			lf_error e2 = { 0 };
			lf_status s2 = extensive(s, pl, fix, NULL, &r->eev_usd, &e2);
			if (s2 == LF_ESOLVER)
				r->eev_usd = HUGE_VAL;   /* infeasible in some scenario */
			else
				st = s2;
		}
		free(fix);
	}
	r->vss_usd = r->eev_usd - r->expected_usd;
	r->evpi_usd = r->expected_usd - r->wait_and_see_usd;
	if (st == LF_OK && r->n_answers)
		r->answers[0].solve_s = lf_wall_now() - t0;
	return st;
}
