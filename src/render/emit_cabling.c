/*
 * emit_cabling.c — the cabling schedule: one row per link, A end (lower:
 * server or lower-tier switch) to B end (upper switch), streamed in 64 KiB
 * chunks so that a million cables never make one string.
 *
 * Ports (the plan's port numbering, topo.c): a server port is named after
 * its cage and lane as the DGX H100 names them, "OSFP1P1" ... "OSFP4P2"
 * (reference layout-cabling.md §3); a switch port is "cage/lane" (1-based),
 * the split-port notation of NVIDIA's UFM Cable Validation Tool (§4).
 *
 * Label (TIA-606 style, §4: cabinet ID, equipment ID, port at both ends):
 *
 *   <rack>-U<uu>-<port>/<rack>-U<uu>-<port>     e.g. A01-U01-OSFP1P1/A05-U48-1.1
 *
 * rack = row letter(s) + 2-digit position in the row, uu = the device's
 * lowest U; a switch port is written cage.lane here so that '/' only joins
 * the two ends.  The same label goes on both ends of the cable.
 *
 * `cable` names the physical cable: the links a twin-port DAC or a splitter
 * carries share it (their rows differ by port and label), a patch cord
 * carries one link.  So the schedule's cables per part and length are the
 * BOM's cable and patch-cord lines (bom.c counts the same floor).
 *
 * Stages: every row names the stage that installs it.  With a stage chosen
 * (lightfab plan --cabling-stage), csv lists the cables that stage adds,
 * its installers' work order; ufm-p2p and dot list every cable deployed by
 * the end of it, the fabric the validation tool should find then.
 *
 * Formats:
 *   csv      every field below (cable, label, stage, ends, part, medium,
 *            fibre, connector, orderable and routed length)
 *   ufm-p2p  A-Node Name, A-Type, A-Port, Z-Node Name, Z-Type, Z-Port:
 *            the P2P columns of the UFM Cable Validation Tool (§4)
 *   dot      "a":"port" -- "b":"port"; one edge per cable, the Graphviz
 *            topology file the validation tools read for Ethernet (§4)
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render.h"

#define CHUNK (64 * 1024)

static void cage_lane(const lf_node *n, uint32_t port, uint32_t *cage, uint32_t *lane)
{
	*cage = lf_node_cage(n, port) + 1;
	uint32_t dp = n->down_cages * n->down_ppc;
	*lane = (port < dp ? port % n->down_ppc : (port - dp) % n->up_ppc) + 1;
}

void lfi_cab_server_ff(const lf_plan *pl, char *ff, size_t n)
{
	const char *f = pl->spec->server->form_factor;
	size_t i = 0;
	for (; f[i] && i < n - 1; i++)
		ff[i] = (char)toupper((unsigned char)f[i]);
	ff[i] = 0;
}

void lfi_cabling_port_name(const lf_plan *pl, uint32_t node, uint32_t port, char *buf, size_t n)
{
	const lf_node *nd = &pl->nodes[node];
	uint32_t cage, lane;
	cage_lane(nd, port, &cage, &lane);
	if (nd->tier != 0) {
		snprintf(buf, n, "%u/%u", cage, lane);
		return;
	}
	char ff[16];
	lfi_cab_server_ff(pl, ff, sizeof ff);
	snprintf(buf, n, "%s%uP%u", ff, cage, lane);
}

/* ---- the writer: per-node and per-level strings are made once, each row
 * only appends them and formats its ports and lengths (a million rows) */


void lfi_cab_put_u(lfi_buf *b, uint32_t v)
{
	char t[12];
	int k = 0;
	do {
		t[k++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	char o[12];
	for (int i = 0; i < k; i++)
		o[i] = t[k - 1 - i];
	lfi_buf_add(b, o, (size_t)k);
}

/* metres with 2 decimals, trailing zeros dropped when `trim` */
void lfi_cab_put_m(lfi_buf *b, double m, bool trim)
{
	uint32_t c = (uint32_t)llround(m * 100);
	lfi_cab_put_u(b, c / 100);
	uint32_t f = c % 100;
	if (trim && !f)
		return;
	char d[3] = { '.', (char)('0' + f / 10), (char)('0' + f % 10) };
	lfi_buf_add(b, d, trim && f % 10 == 0 ? 2 : 3);
}

void lfi_cab_put_port(lfi_buf *b, const lf_plan *pl, const char *ff, uint32_t node, uint32_t port,
                      char sep)
{
	const lf_node *n = &pl->nodes[node];
	uint32_t cage, lane;
	cage_lane(n, port, &cage, &lane);
	if (n->tier == 0) {
		lfi_buf_puts(b, ff);
		lfi_cab_put_u(b, cage);
		lfi_buf_add(b, "P", 1);
	} else {
		lfi_cab_put_u(b, cage);
		lfi_buf_add(b, &sep, 1);
	}
	lfi_cab_put_u(b, lane);
}

/* ",cage,lane" */
static void put_cage_lane(lfi_buf *b, const lf_plan *pl, uint32_t node, uint32_t port)
{
	uint32_t cage, lane;
	cage_lane(&pl->nodes[node], port, &cage, &lane);
	lfi_buf_add(b, ",", 1);
	lfi_cab_put_u(b, cage);
	lfi_buf_add(b, ",", 1);
	lfi_cab_put_u(b, lane);
	lfi_buf_add(b, ",", 1);
}

static const char *medium_of(const lf_media *m)
{
	const lf_optic *o = m->cable ? m->cable : m->lower;
	if (!o)
		return "";
	if (m->cable && o->kind == LF_OPTIC_AOC)
		return "aoc";
	return lfi_medium_name(o->medium);
}

/* "part,a_part,b_part,medium,fibre,connector," of a medium */
static void level_desc(const lf_media *m, lfi_buf *b)
{
	char part[96];
	if (m->cable)
		snprintf(part, sizeof part, "%s", m->cable->id);
	else if (m->fibre)
		snprintf(part, sizeof part, "%s", m->fibre->id);
	else
		snprintf(part, sizeof part, "%s fibre", m->lower ? lfi_medium_name(m->lower->medium) : "?");
	lfi_emit_csv_field(b, part);
	lfi_buf_puts(b, ",");
	lfi_emit_csv_field(b, m->cable ? m->cable->id : m->lower ? m->lower->id : "");
	lfi_buf_puts(b, ",");
	lfi_emit_csv_field(b, m->cable ? m->cable->id : m->upper ? m->upper->id : "");
	const lf_optic *o = m->cable ? m->cable : m->lower;
	lfi_buf_printf(b, ",%s,%s,", medium_of(m), m->fibre ? m->fibre->id : "");
	lfi_emit_csv_field(b, o && o->connector ? o->connector : "");
	lfi_buf_puts(b, ",");
}

static void csv_row(lfi_buf *b, const lf_plan *pl, const lf_layout *ly, size_t i,
                    const node_desc *nd, const char *ff, lfi_buf *lvl, lfi_buf *stage)
{
	const lf_link *l = &pl->links[i];
	const node_desc *a = &nd[l->a], *z = &nd[l->b];
	char id[16];
	int n = snprintf(id, sizeof id, "C%07u,", ly->cable_of[i] + 1);
	lfi_buf_add(b, id, (size_t)n);
	lfi_buf_add(b, a->lab, a->lab_len);
	lfi_cab_put_port(b, pl, ff, l->a, l->a_port, '.');
	lfi_buf_add(b, "/", 1);
	lfi_buf_add(b, z->lab, z->lab_len);
	lfi_cab_put_port(b, pl, ff, l->b, l->b_port, '.');
	lfi_buf_add(b, ",", 1);
	lfi_buf_add(b, stage[l->stage].data, stage[l->stage].len);
	lfi_buf_puts(b, lfi_level_name(l->level));
	lfi_buf_add(b, ",", 1);
	lfi_cab_put_u(b, (uint32_t)l->plane + 1);
	lfi_buf_add(b, ",", 1);
	lfi_buf_add(b, a->csv, a->csv_len);
	lfi_cab_put_port(b, pl, ff, l->a, l->a_port, '/');
	put_cage_lane(b, pl, l->a, l->a_port);
	lfi_buf_add(b, z->csv, z->csv_len);
	lfi_cab_put_port(b, pl, ff, l->b, l->b_port, '/');
	put_cage_lane(b, pl, l->b, l->b_port);
	lfi_buf_add(b, lvl[ly->link_var[i]].data, lvl[ly->link_var[i]].len);
	lfi_cab_put_m(b, ly->length_m[i], true);
	lfi_buf_add(b, ",", 1);
	lfi_cab_put_m(b, ly->routed_m[i], false);
	lfi_buf_add(b, "\n", 1);
}

node_desc *lfi_cab_nodes(const lf_plan *pl, const lf_layout *ly)
{
	node_desc *nd = malloc((pl->n_nodes ? pl->n_nodes : 1) * sizeof *nd);
	if (!nd)
		return NULL;
	for (size_t i = 0; i < pl->n_nodes; i++) {
		node_desc *d = &nd[i];
		char rack[16];
		uint32_t r = ly->node_rack[i];
		lf_layout_rack_id(ly, r, rack, sizeof rack);
		lf_layout_node_name(pl, (uint32_t)i, d->dev, sizeof d->dev);
		int n1 = snprintf(d->csv, sizeof d->csv, "%u,%s,%u,%s,", ly->racks[r].row + 1, rack,
		                  (unsigned)ly->node_u[i], d->dev);
		int n2 = snprintf(d->lab, sizeof d->lab, "%s-U%02u-", rack, (unsigned)ly->node_u[i]);
		d->csv_len = (uint8_t)(n1 < (int)sizeof d->csv ? n1 : (int)sizeof d->csv - 1);
		d->lab_len = (uint8_t)(n2 < (int)sizeof d->lab ? n2 : (int)sizeof d->lab - 1);
		d->dev_len = (uint8_t)strlen(d->dev);
		d->server = pl->nodes[i].tier == 0;
	}
	return nd;
}

lf_status lf_cabling_write(const lf_plan *pl, const lf_layout *ly, const lf_cabling_opts *o,
                           lf_sink_fn sink, void *ctx, lf_error *err)
{
	lf_cabling_format fmt = o->fmt;
	int s0 = o->stage < 0 || o->built ? 0 : o->stage;
	int s1 = o->stage < 0 ? 0xffff : o->stage;
	lfi_buf b, lvl[LF_LAYOUT_MAX_VAR], stage[LF_MAX_STAGES + 1];
	lfi_buf_init(&b);
	for (size_t k = 0; k < ly->n_var; k++) {
		lfi_buf_init(&lvl[k]);
		level_desc(&ly->var[k], &lvl[k]);
	}
	int n_stages = pl->spec->n_stages ? pl->spec->n_stages : 1;
	for (int k = 0; k < n_stages; k++) {
		lfi_buf_init(&stage[k]);
		lfi_emit_csv_field(&stage[k], pl->spec->n_stages ? pl->spec->stage[k].name : "");
		lfi_buf_puts(&stage[k], ",");
	}
	char ff[16];
	lfi_cab_server_ff(pl, ff, sizeof ff);
	node_desc *nd = lfi_cab_nodes(pl, ly);
	switch (fmt) {
	case LF_CABLING_CSV:
		lfi_buf_puts(&b, "cable,label,stage,level,plane,"
		                "a_row,a_rack,a_u,a_device,a_port,a_cage,a_lane,"
		                "b_row,b_rack,b_u,b_device,b_port,b_cage,b_lane,"
		                "part,a_part,b_part,medium,fibre,connector,length_m,routed_m\n");
		break;
	case LF_CABLING_UFM_P2P:
		lfi_buf_puts(&b, "A-Node Name,A-Type,A-Port,Z-Node Name,Z-Type,Z-Port\n");
		break;
	case LF_CABLING_DOT:
		lfi_buf_printf(&b, "graph \"%s\" {\n", pl->name);
		break;
	}
	lf_status st = nd ? LF_OK : lfi_oom(err);
	for (size_t i = 0; i <= pl->n_links && st == LF_OK; i++) {
		if (i == pl->n_links) {
			if (fmt == LF_CABLING_DOT)
				lfi_buf_puts(&b, "}\n");
		} else if (pl->links[i].stage < s0 || pl->links[i].stage > s1) {
			continue;
		} else if (fmt == LF_CABLING_CSV) {
			csv_row(&b, pl, ly, i, nd, ff, lvl, stage);
		} else {
			const lf_link *l = &pl->links[i];
			const node_desc *a = &nd[l->a], *z = &nd[l->b];
			bool dot = fmt == LF_CABLING_DOT;
			lfi_buf_puts(&b, dot ? "  \"" : "");
			lfi_buf_add(&b, a->dev, a->dev_len);
			lfi_buf_puts(&b, dot ? "\":\"" : a->server ? ",Host," : ",Switch,");
			lfi_cab_put_port(&b, pl, ff, l->a, l->a_port, '/');
			lfi_buf_puts(&b, dot ? "\" -- \"" : ",");
			lfi_buf_add(&b, z->dev, z->dev_len);
			lfi_buf_puts(&b, dot ? "\":\"" : ",Switch,");
			lfi_cab_put_port(&b, pl, ff, l->b, l->b_port, '/');
			lfi_buf_puts(&b, dot ? "\";\n" : "\n");
		}
		if (b.failed) {
			st = lfi_oom(err);
		} else if (b.len >= CHUNK || i == pl->n_links) {
			if (sink(ctx, b.data, b.len) != 0)
				st = lfi_fail(err, LF_EIO, NULL, 0, 0, "cannot write the cabling schedule: %s",
				              strerror(errno));
			b.len = 0;
		}
	}
	free(nd);
	lfi_buf_release(&b);
	for (size_t k = 0; k < ly->n_var; k++)
		lfi_buf_release(&lvl[k]);
	for (int k = 0; k < n_stages; k++)
		lfi_buf_release(&stage[k]);
	return st;
}

/* ---- a file written in chunks, atomically (render.h) */

lf_status lfi_stream_open(lfi_stream *s, const char *path, lf_error *err)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	size_t n = strlen(path) + 32;
	s->tmp = malloc(n);
	if (!s->tmp)
		return lfi_oom(err);
	snprintf(s->tmp, n, "%s.tmp.%ld", path, (long)getpid());
	s->f = fopen(s->tmp, "wb");
	if (!s->f) {
		lfi_fail(err, LF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
		free(s->tmp);
		s->tmp = NULL;
		return LF_EIO;
	}
	return LF_OK;
}

int lfi_stream_sink(void *ctx, const char *data, size_t len)
{
	lfi_stream *s = ctx;
	return fwrite(data, 1, len, s->f) == len ? 0 : -1;
}

lf_status lfi_stream_close(lfi_stream *s, lf_status st, lf_error *err)
{
	if (!s->f)
		return st;
	int e = 0;
	if (fclose(s->f) != 0 && st == LF_OK)
		e = errno;
	s->f = NULL;
	if (st == LF_OK && !e && rename(s->tmp, s->path) != 0)
		e = errno;
	if (st != LF_OK || e) {
		remove(s->tmp);
		if (e)
			st = lfi_fail(err, LF_EIO, s->path, 0, 0, "cannot write: %s", strerror(e));
	}
	free(s->tmp);
	s->tmp = NULL;
	return st;
}

lf_status lf_cabling_write_file(const lf_plan *pl, const lf_layout *ly,
                                const lf_cabling_opts *o, const char *path, lf_error *err)
{
	lfi_stream s;
	LF_TRY(lfi_stream_open(&s, path, err));
	return lfi_stream_close(&s, lf_cabling_write(pl, ly, o, lfi_stream_sink, &s, err), err);
}
