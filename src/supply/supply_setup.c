/*
 * supply_setup.c — the problem of one solve: the SKUs that may serve each
 * link level end (substitution), the stages of every option, penalties.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply_model.h"

/* A note on an answer (what a user should know), appended; a full buffer
 * keeps what it has. */
void sup_note(lf_supply_answer *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	lfi_notes_vadd(a->notes, sizeof a->notes, fmt, ap);
	va_end(ap);
}

/* ------------------------------------------------------------ the problem */






void sup_problem_release(problem *p)
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
		return lfi_oom(err);
	for (size_t i = 0; i < n; i++)
		c[i] = lf_catalog_optic_at(cat, i)->id;
	const char *dym = lf_did_you_mean(id, c, n);
	lf_status st = lfi_fail(err, LF_EINPUT, p->s->pub.file, pos.line, pos.col,
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
		return lfi_fail(err, LF_EINPUT, p->s->pub.file, pos.line, pos.col,
		                "SKU \"%s\" is a cable (%s): lightfab source plans transceivers and "
		                "laser sources only",
		                id, lfi_optic_kind_name(o->kind));
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
	const lf_optic *els = lfi_tier_spec(sp, L->level)->sw->els;
	return els ? sku_index(p, els->id) : -1;
}

/* The media of option j's links, one slot each: every link level's medium,
 * or, on a floor layout, the media variants its links were given, merged by
 * level and parts (a substitute must reach the longest route of the slot):
 * at most LF_LAYOUT_MAX_VAR slots; returns how many. */
typedef struct slot {
	const lf_media *m;
	uint32_t vars;            /* the variants merged (0: the whole level) */
	double distance_m;
} slot;

static int media_slots(const lf_plan *pl, slot *out)
{
	int n = 0;
	size_t nm;
	const lf_media *tab = lfi_media_table(pl, &nm);
	for (size_t k = 0; k < nm && k < LF_LAYOUT_MAX_VAR; k++) {
		const lf_media *m = &tab[k];
		if (!m->lower && !m->cable)
			continue;
		if (!pl->layout) {
			out[n++] = (slot){ m, 0, 0 };
			continue;
		}
		int i = 0;
		while (i < n && !(out[i].m->level == m->level && out[i].m->lower == m->lower &&
		                  out[i].m->upper == m->upper && out[i].m->cable == m->cable))
			i++;
		if (i == n)
			out[n++] = (slot){ m, 0, 0 };
		out[i].vars |= 1u << k;
		if (m->distance_m > out[i].distance_m)
			out[i].distance_m = m->distance_m;
	}
	return n;
}

/* The links of a slot in BOM b (level lvl, or its floor variants vars) and,
 * with cg, the cages they occupy at the lower and upper end. */
static double slot_links(const lf_bom *b, int lvl, uint32_t vars, double *cg)
{
	double nl = (double)b->links_level[lvl], c[2] = { (double)b->cages_lower[lvl],
	                                                  (double)b->cages_upper[lvl] };
	if (vars) {
		nl = c[0] = c[1] = 0;
		for (int v = 0; v < LF_LAYOUT_MAX_VAR; v++)
			if (vars & (1u << v)) {
				nl += (double)b->links_var[v];
				c[0] += (double)b->cages_var[v][0];
				c[1] += (double)b->cages_var[v][1];
			}
	}
	if (cg) {
		cg[0] = c[0];
		cg[1] = c[1];
	}
	return nl;
}

/* The link media of option j's plan and the scenario SKUs that can serve
 * them (appended to p->lv). */
static lf_status setup_levels(problem *p, int j, const lf_plan *pl, lf_supply_answer *a,
                              lf_error *err)
{
	const sup_scenario *s = p->s;
	const char *tag = p->n_opt > 1 ? s->pub.options[j].name : NULL;
	slot sl[LF_LAYOUT_MAX_VAR];
	int nsl = media_slots(pl, sl);
	for (int si = 0; si < nsl; si++) {
		const lf_media *m = sl[si].m;
		int lvl = m->level;
		if (m->cable) {
			sup_note(a, "%s%s%.0f %s links use cable %s: not sourced here. ", tag ? tag : "",
			     tag ? ": " : "", slot_links(&pl->bom, lvl, sl[si].vars, NULL),
			     lfi_level_name(lvl), m->cable->id);
			continue;
		}
		if (p->n_lv == LV_MAX)
			return lfi_fail(err, LF_EINPUT, s->pub.file, 0, 0, "too many link levels");
		level_t *L = &p->lv[p->n_lv];
		L->level = lvl;
		L->opt = j;
		L->vars = sl[si].vars;
		if (!lfi_media_level_ends(pl, lvl, &L->ends[0], &L->ends[1], &L->gbps, &L->distance_m))
			continue;
		if (sl[si].vars)
			L->distance_m = sl[si].distance_m;
		L->planned[0] = m->lower;
		L->planned[1] = m->upper;
		if (m->upper->co_packaged && m->upper == L->ends[1].cpo) {
			/* the plan's part at a co-packaged upper end: its laser source */
			const lf_switch *sw = lfi_tier_spec(pl->spec, lvl)->sw;
			if (sw->els)
				L->planned[1] = sw->els;
		}
		L->cand = calloc(2 * p->n_sku + 1, sizeof *L->cand);
		if (!L->cand)
			return lfi_oom(err);
		p->n_lv++;
		/* families: representative = first candidate SKU of the family */
		int fam_rep[64];
		int fam_ends[64];
		int nf = 0;
		for (size_t k = 0; k < p->n_sku; k++) {
			const lf_optic *o = p->sku[k].o;
			if (!lfi_media_xcvr_ok(o, L->gbps, L->distance_m))
				continue;
			for (int e = 0; e < 2; e++) {
				if (!lfi_media_end_fits(o, &L->ends[e]))
					continue;
				bool ok = s->subst == SUB_ANY ||
				          (s->subst == SUB_SPEC && lfi_media_allowed(pl->spec, o->id)) ||
				          (s->subst == SUB_NONE && L->planned[e] &&
				           !strcmp(o->id, L->planned[e]->id)) ||
				          (s->subst == SUB_RULES && rule_allows(s, L->planned[e], o->id));
				if (!ok)
					continue;
				int f = 0;
				while (f < nf && !lfi_media_same_family(p->sku[fam_rep[f]].o, o, L->ends[0].proto))
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
			sup_note(a, "%s%s%s: co-packaged %s needs laser source modules, and no offer, "
			         "reservation or stock in the scenario is one: its links stay unserved. ",
			         tag ? tag : "", tag ? ": " : "", lfi_level_name(lvl), L->ends[1].what);
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
			sup_note(a, "%s%s%s: no SKU in the scenario can serve both ends (%s %s on %s, %s on %s): "
			     "every stage needing it stays unserved. ", tag ? tag : "", tag ? ": " : "",
			     lfi_level_name(lvl), m->lower->standard, m->lower->form_factor,
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
			int d = lfi_sup_month_period(s, r->need_by);
			if (d < 0) {
				char lab[32];
				lfi_format_month(r->need_by, lab, sizeof lab);
				if (!j)
					sup_note(a, "stage %s is needed by %s, before the horizon starts: counted "
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
				sup_note(a, "the spec has no stages: the whole BOM is needed by the last "
				     "period. ");
		}
		S->extra = p->per_stage ? increment_cost(s, b) : 0;
		double links = 0;
		for (int i = 0; i < p->n_lv; i++) {
			if (p->lv[i].opt != j)
				continue;
			const level_t *L = &p->lv[i];
			int lvl = L->level;
			double cg[2], nl = slot_links(b, lvl, L->vars, cg);
			if (nl <= 0)
				continue;
			S->L[i] = nl * (1 + s->spares);
			/* a co-packaged end: no module; an upper one: its switches' ELS
			 * (a co-packaged tier's links are all of one medium) */
			S->rho[i][0] = L->ends[0].cpo ? 0 : cg[0] / nl;
			S->rho[i][1] = L->ends[1].cpo ? (double)b->els_level[lvl] / nl : cg[1] / nl;
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

lf_status sup_setup(problem *p, const sup_scenario *s, const lf_plan *const *pls, int n_opt,
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
		return lfi_oom(err);
	for (size_t i = 0; i < no; i++) {
		const sup_offer *o = LF_VEC_AT(&s->offers, sup_offer, i);
		LF_TRY(add_sku(p, o->sku, o->sku_pos, &p->offer_sku[i], err));
		const lf_optic *op = p->sku[p->offer_sku[i]].o;
		int lead = o->lead;
		if (lead < 0) {
			lead = lfi_sup_weeks_periods(s, op->lead_time_weeks);
			if (lead >= p->T)
				return lfi_fail(err, LF_EINPUT, s->pub.file, o->sku_pos.line, o->sku_pos.col,
				                "lead time of %s (catalog: %d weeks = %d period%s) is beyond "
				                "the horizon of %d period%s: nothing ordered could arrive; "
				                "give this supplier's lead_time or lengthen the horizon",
				                op->id, op->lead_time_weeks, lead, lead == 1 ? "" : "s", p->T,
				                p->T == 1 ? "" : "s");
		}
		p->offer_lead[i] = lead;
		p->offer_price[i] = o->n_seg ? o->seg_usd[0]
		                            : op->price_usd * (o->price_factor > 0 ? o->price_factor : 1);
		for (int e = 0; e < o->n_exp; e++)
			if (o->exp[e].lead > lead)
				return lfi_fail(err, LF_EINPUT, s->pub.file, o->exp[e].pos.line,
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
			return lfi_fail(err, LF_EINPUT, s->pub.file, op->pos.line, op->pos.col,
			                "choose: per-stage: option \"%s\" has %d stage%s, option \"%s\" "
			                "%d: every option must list the same stages (count and need-by "
			                "dates)", op->name, nq, nq == 1 ? "" : "s",
			                s->pub.options[0].name, ns);
		for (int k = 0; k < ns && pl->n_stages; k++)
			if (q->stages[k].need_by != pl->stages[k].need_by) {
				char l1[32], l2[32];
				lfi_format_month(q->stages[k].need_by, l1, sizeof l1);
				lfi_format_month(pl->stages[k].need_by, l2, sizeof l2);
				return lfi_fail(err, LF_EINPUT, s->pub.file, op->pos.line, op->pos.col,
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
		return lfi_oom(err);
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
		sup_note(a, "spares from lightfab reliability (fill rate %.3g, lead time %.0f h): %.0f "
		     "transceivers, extra demand per SKU needed by %s. ", rel->fill_rate,
		     rel->lead_time_h, spares_total, lab);
		if (spares_other > 0)
			sup_note(a, "%.0f other spares (cables, switches, NICs) are not sourced here. ",
			     spares_other);
	}
	return LF_OK;
}
