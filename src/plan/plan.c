/*
 * plan.c — `lightfab plan`: spec + catalog -> topology -> media -> BOM,
 * for the whole cluster and for each deployment stage (cumulative BOM and
 * the increment over the stage before; the increments add up to the whole).
 * A spec with a layout: is placed and routed here (src/plan/layout.c) and its
 * BOMs counted per link medium and orderable length.
 */
#include <stdlib.h>
#include <string.h>

#include "plan.h"

lf_status lfi_plan_budget(const lf_spec *spec, lf_error *err)
{
	int64_t servers = spec->final_servers > spec->servers ? spec->final_servers : spec->servers;
	double w = 3.0 * (double)servers * (double)spec->server->gpus;
	return lfi_work_check(w, "the fabric's build-out", spec->file, spec->pos_servers.line,
	                      spec->pos_servers.col, err);
}

static void release_boms(lf_plan *pl);

void lf_plan_free(lf_plan *pl)
{
	if (!pl)
		return;
	free(pl->nodes);
	free(pl->links);
	free(pl->tier_results);
	release_boms(pl);
	lf_layout_free(pl->layout);
	free(pl);
}

static void release_boms(lf_plan *pl)
{
	lfi_bom_release(&pl->bom);
	for (size_t i = 0; i < pl->n_stages; i++) {
		lfi_bom_release(&pl->stages[i].bom);
		lfi_bom_release(&pl->stages[i].delta);
	}
	free(pl->stages);
	pl->stages = NULL;
	pl->n_stages = 0;
}

static lf_status build_stages(lf_plan *pl, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	if (!sp->n_stages)
		return LF_OK;
	pl->stages = calloc((size_t)sp->n_stages, sizeof *pl->stages);
	if (!pl->stages)
		return lfi_oom(err);
	pl->n_stages = (size_t)sp->n_stages;
	for (int k = 0; k < sp->n_stages; k++) {
		lf_stage_result *r = &pl->stages[k];
		r->name = sp->stage[k].name;
		r->need_by = sp->stage[k].need_by;
		r->servers = sp->stage[k].servers;
		r->gpus = r->servers * sp->server->gpus;
		LF_TRY(lfi_bom_build(pl, k, &r->bom, err));
		LF_TRY(lfi_bom_diff(&r->bom, k ? &pl->stages[k - 1].bom : NULL, &r->delta, err));
	}
	return LF_OK;
}

static lf_status count_boms(lf_plan *pl, lf_error *err)
{
	LF_TRY(lfi_bom_build(pl, -1, &pl->bom, err));
	return build_stages(pl, err);
}

lf_status lf_plan_use_layout(lf_plan *pl, lf_error *err)
{
	if (pl->layout)
		return LF_OK;
	LF_TRY(lf_layout_build(pl, &pl->layout, err));
	release_boms(pl);
	return count_boms(pl, err);
}

lf_status lf_plan_build(const lf_spec *spec, const lf_catalog *cat, lf_plan **out,
                        lf_error *err)
{
	*out = NULL;
	if (!spec->server)
		return lfi_fail(err, LF_EINTERNAL, spec->file, 0, 0,
		                "spec not resolved: call lf_spec_resolve first");
	LF_TRY(lfi_plan_budget(spec, err));
	lf_plan *pl = calloc(1, sizeof *pl);
	if (!pl)
		return lfi_oom(err);
	pl->spec = spec;
	pl->cat = cat;
	pl->name = spec->name;
	lf_status st = lfi_topo_build(pl, err);
	if (st == LF_OK)
		st = lfi_media_choose(pl, err);
	if (st == LF_OK && spec->layout.given)
		st = lf_layout_build(pl, &pl->layout, err);
	if (st == LF_OK)
		st = count_boms(pl, err);
	if (st != LF_OK) {
		lf_plan_free(pl);
		return st;
	}
	*out = pl;
	return LF_OK;
}
