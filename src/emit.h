/* emit.h — renderers of a plan, one per format; lf_plan_render dispatches. */
#ifndef LF_EMIT_H
#define LF_EMIT_H
#include <jansson.h>

#include "internal.h"

/* Shared by every renderer (emit_util.c).  lf_emit_json_dump takes `o`
 * (NULL: out of memory), prints it indented with 10-digit reals plus
 * `flags` (e.g. JSON_PRESERVE_ORDER), newline-terminated, into *out. */
lf_status lf_emit_json_dump(json_t *o, size_t flags, char **out, lf_error *err);
/* One CSV field, quoted (RFC 4180) when it holds a comma, quote or newline. */
void lf_emit_csv_field(lf_buf *b, const char *s);

/* The kinds of communication of a training step that it has, in table
 * order (tp, pp, cp, ep, dp): what every sim renderer and the HTML report
 * print per kind.  Returns how many (at most 5). */
typedef struct lf_comm_row {
	const char *key, *name;   /* "tp", "tp rs+ag (sp)" */
	double bytes;             /* one op */
	int64_t count, groups;    /* ops per `per`; groups (or pairs) at once */
	double one_s, exposed_s;  /* one op simulated; exposed per step */
	const char *per;          /* "/slot", "/step", "/mb" */
} lf_comm_row;
size_t lf_step_comm_rows(const lf_sim_report *r, lf_comm_row *out);

lf_status lf_emit_json(const lf_plan *pl, char **out, lf_error *err);
lf_status lf_emit_table(const lf_plan *pl, char **out, lf_error *err);
lf_status lf_emit_csv(const lf_plan *pl, char **out, lf_error *err);
lf_status lf_emit_dot(const lf_plan *pl, char **out, lf_error *err);

/* The topology as a cgraph graph (emit_dot.c); `lightfab plan --dot` writes
 * it, the HTML report lays it out with libgvc.  Every switch is a node when
 * there are at most `each_max` (LF_TOPO_EACH_MAX for --dot), else one node
 * per SU / pod / core group per tier and plane. */
#define LF_TOPO_EACH_MAX 48
struct Agraph_s;
struct Agdisc_s;
lf_status lf_topo_graph(const lf_plan *pl, uint64_t each_max, struct Agdisc_s *disc,
                        struct Agraph_s **out, lf_error *err);
#endif
