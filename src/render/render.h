/* render.h — the render layer (src/render): renderers of a plan, one per format; lf_plan_render dispatches. */
#ifndef LF_RENDER_H
#define LF_RENDER_H
#include <jansson.h>
#include <stdio.h>

#include "core.h"

/* Shared by every renderer (emit_util.c).  lfi_emit_json_dump takes `o`
 * (NULL: out of memory), prints it indented with 10-digit reals plus
 * `flags` (e.g. JSON_PRESERVE_ORDER), newline-terminated, into *out. */
lf_status lfi_emit_json_dump(json_t *o, size_t flags, char **out, lf_error *err) LF_MUST;
/* One CSV field, quoted (RFC 4180) when it holds a comma, quote or newline. */
void lfi_emit_csv_field(lfi_buf *b, const char *s);

/* A file written in chunks and renamed into place on success (emit_cabling.c):
 * open, write through lfi_stream_sink (an lf_sink_fn), then close with the
 * status of the writing, which removes the temporary file on failure. */
typedef struct lfi_stream { FILE *f; char *tmp; const char *path; } lfi_stream;
lf_status lfi_stream_open(lfi_stream *s, const char *path, lf_error *err) LF_MUST;
int lfi_stream_sink(void *ctx, const char *data, size_t len);
lf_status lfi_stream_close(lfi_stream *s, lf_status st, lf_error *err) LF_MUST;

/* Port names of the cabling schedule and NetBox: a server's "OSFP1P1"
 * (cage 1, lane 1), a switch's "1/1" (emit_cabling.c). */
void lfi_cabling_port_name(const lf_plan *pl, uint32_t node, uint32_t port, char *buf, size_t n);
/* Fast row writing for a million cables (emit_cabling.c): per-node strings
 * made once, numbers and port names appended without printf. */
typedef struct node_desc {
	char csv[64];     /* "row,rack,u,device," */
	char lab[16];     /* "A01-U01-" */
	char dev[40];
	uint8_t csv_len, lab_len, dev_len, server;
} node_desc;
node_desc *lfi_cab_nodes(const lf_plan *pl, const lf_layout *ly);   /* free() it */
void lfi_cab_server_ff(const lf_plan *pl, char *ff, size_t n);      /* "OSFP" */
void lfi_cab_put_u(lfi_buf *b, uint32_t v);
void lfi_cab_put_m(lfi_buf *b, double m, bool trim);   /* 2 decimals; trim: drop zeros */
/* a server's "OSFP1P2" or a switch's "1<sep>2" */
void lfi_cab_put_port(lfi_buf *b, const lf_plan *pl, const char *ff, uint32_t node, uint32_t port,
                      char sep);
/* NetBox cable type slug of a link level's media (emit_netbox.c). */
const char *lfi_netbox_cable_type(const lf_media *m);
/* The kinds of communication of a training step that it has, in table
 * order (tp, pp, cp, ep, dp): what every sim renderer and the HTML report
 * print per kind.  Returns how many (at most 5). */
typedef struct lfi_comm_row {
	const char *key, *name;   /* "tp", "tp rs+ag (sp)" */
	double bytes;             /* one op */
	int64_t count, groups;    /* ops per `per`; groups (or pairs) at once */
	double one_s, exposed_s;  /* one op simulated; exposed per step */
	const char *per;          /* "/slot", "/step", "/mb" */
} lfi_comm_row;
size_t lfi_step_comm_rows(const lf_sim_report *r, lfi_comm_row *out);

lf_status lfi_emit_json(const lf_plan *pl, char **out, lf_error *err) LF_MUST;
lf_status lfi_emit_table(const lf_plan *pl, char **out, lf_error *err) LF_MUST;
lf_status lfi_emit_csv(const lf_plan *pl, char **out, lf_error *err) LF_MUST;
lf_status lfi_emit_dot(const lf_plan *pl, char **out, lf_error *err) LF_MUST;

/* The topology as a cgraph graph (emit_dot.c); `lightfab plan --dot` writes
 * it, the HTML report lays it out with libgvc.  Every switch is a node when
 * there are at most `each_max` (LF_TOPO_EACH_MAX for --dot), else one node
 * per SU / pod / core group per tier and plane. */
#define LF_TOPO_EACH_MAX 48
struct Agraph_s;
struct Agdisc_s;
lf_status lfi_topo_graph(const lf_plan *pl, uint64_t each_max, struct Agdisc_s *disc,
                         struct Agraph_s **out, lf_error *err) LF_MUST;
/* A supply period's label, or "never" for -1 (emit_supply.c). */
const char *lfi_emit_period(const lf_supply_result *r, int period, char *buf, size_t n);

/* ---- the HTML report's parts shared by report.c, report_sim.c and
 * report_supply.c */
void lfi_report_card(lfi_buf *b, const char *key, const char *label, const char *shown, const char *raw);
void lfi_report_card_real(lfi_buf *b, const char *key, const char *label, const char *shown, double v);
void lfi_report_money(char *buf, size_t n, double usd);
void lfi_report_td_text(lfi_buf *b, const char *s);
void lfi_report_td_count(lfi_buf *b, uint64_t v);
lf_status lfi_report_sim_section(lfi_buf *b, const lf_sim_report *r, lf_error *err);
/* sw: NULL, or the break-even sweep of the same scenario (its subsection) */
lf_status lfi_report_supply_section(lfi_buf *b, const lf_supply_result *r,
                                    const lf_supply_sweep *sw, lf_error *err);

#endif
