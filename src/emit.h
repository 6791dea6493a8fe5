/* emit.h — renderers of a plan, one per format; lf_plan_render dispatches. */
#ifndef LF_EMIT_H
#define LF_EMIT_H
#include "lightfab.h"
lf_status lf_emit_json(const lf_plan *pl, char **out, lf_error *err);
lf_status lf_emit_table(const lf_plan *pl, char **out, lf_error *err);
lf_status lf_emit_csv(const lf_plan *pl, char **out, lf_error *err);
lf_status lf_emit_dot(const lf_plan *pl, char **out, lf_error *err);
#endif
