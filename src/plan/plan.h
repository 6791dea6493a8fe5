/*
 * plan.h — the plan's internals shared by spec.c, topo.c, media.c,
 * bom.c, layout.c and plan.c (layer src/plan; docs/design.md).
 */
#ifndef LF_PLAN_H
#define LF_PLAN_H

#include "core.h"

/* LF_ELIMIT when the spec's build-out is over the work budget
 * (lf_limits.work, 3 units a GPU; src/sim/budget.c lists every unit). */
lf_status lfi_plan_budget(const lf_spec *spec, lf_error *err) LF_MUST;

lf_status lfi_topo_build(lf_plan *plan, lf_error *err) LF_MUST;
lf_status lfi_media_choose(lf_plan *plan, lf_error *err) LF_MUST;
/* BOM of the links and nodes deployed by stage `stage` (cumulative). */
lf_status lfi_bom_build(const lf_plan *plan, int stage, lf_bom *bom, lf_error *err) LF_MUST;
lf_status lfi_bom_diff(const lf_bom *now, const lf_bom *before, lf_bom *delta,
                       lf_error *err) LF_MUST;
void lfi_bom_release(lf_bom *bom);
/* The spec's keys (spec.c) and its layout: section's (layout.c), as trees. */
extern const lfi_schema lfi_spec_schema;
extern const lfi_schema lfi_layout_schema;
/* The spec's `layout:` mapping (layout.c). */
lf_status lfi_layout_parse(lfi_ydoc *d, yaml_node_t *m, lf_layout_spec *out, lf_error *err) LF_MUST;

#endif
