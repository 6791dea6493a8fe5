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
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "emit.h"

#define CHUNK (64 * 1024)

typedef struct end_desc {
	char dev[64], port[32], lport[32], rack[16];
	uint32_t row, cage, lane, u;
} end_desc;

static void cage_lane(const lf_node *n, uint32_t port, uint32_t *cage, uint32_t *lane)
{
	*cage = lf_node_cage(n, port) + 1;
	uint32_t dp = n->down_cages * n->down_ppc;
	*lane = (port < dp ? port % n->down_ppc : (port - dp) % n->up_ppc) + 1;
}

void lf_cabling_port_name(const lf_plan *pl, uint32_t node, uint32_t port, char *buf, size_t n)
{
	const lf_node *nd = &pl->nodes[node];
	uint32_t cage, lane;
	cage_lane(nd, port, &cage, &lane);
	if (nd->tier != 0) {
		snprintf(buf, n, "%u/%u", cage, lane);
		return;
	}
	char ff[16];
	const char *f = pl->spec->server->form_factor;
	size_t i = 0;
	for (; f[i] && i < sizeof ff - 1; i++)
		ff[i] = (char)toupper((unsigned char)f[i]);
	ff[i] = 0;
	snprintf(buf, n, "%s%uP%u", ff, cage, lane);
}

static void describe(const lf_plan *pl, const lf_layout *ly, uint32_t node, uint32_t port,
                     end_desc *e)
{
	const lf_node *n = &pl->nodes[node];
	lf_layout_node_name(pl, node, e->dev, sizeof e->dev);
	uint32_t rack = ly->node_rack[node];
	lf_layout_rack_id(ly, rack, e->rack, sizeof e->rack);
	e->row = ly->racks[rack].row + 1;
	e->u = ly->node_u[node];
	cage_lane(n, port, &e->cage, &e->lane);
	lf_cabling_port_name(pl, node, port, e->port, sizeof e->port);
	if (n->tier == 0)
		snprintf(e->lport, sizeof e->lport, "%s", e->port);
	else
		snprintf(e->lport, sizeof e->lport, "%u.%u", e->cage, e->lane);
}

static const char *medium_of(const lf_media *m)
{
	const lf_optic *o = m->cable ? m->cable : m->lower;
	if (!o)
		return "";
	if (m->cable && o->kind == LF_OPTIC_AOC)
		return "aoc";
	return lf_medium_name(o->medium);
}

static void part_of(const lf_media *m, char *buf, size_t n)
{
	if (m->cable)
		snprintf(buf, n, "%s", m->cable->id);
	else if (m->fibre)
		snprintf(buf, n, "%s", m->fibre->id);
	else
		snprintf(buf, n, "%s fibre", m->lower ? lf_medium_name(m->lower->medium) : "?");
}

static void csv_row(lf_buf *b, const lf_plan *pl, const lf_layout *ly, size_t i,
                    const end_desc *a, const end_desc *z)
{
	const lf_link *l = &pl->links[i];
	const lf_media *m = &pl->media[l->level];
	char part[96];
	part_of(m, part, sizeof part);
	const char *stage = pl->spec->n_stages ? pl->spec->stage[l->stage].name : "";
	lf_buf_printf(b, "C%07zu,%s-U%02u-%s/%s-U%02u-%s,", i + 1, a->rack, a->u, a->lport, z->rack,
	              z->u, z->lport);
	lf_emit_csv_field(b, stage);
	lf_buf_printf(b, ",%s,%u,", lf_level_name(l->level), (unsigned)l->plane + 1);
	for (int k = 0; k < 2; k++) {
		const end_desc *e = k ? z : a;
		lf_buf_printf(b, "%u,%s,%u,%s,%s,%u,%u,", e->row, e->rack, e->u, e->dev, e->port,
		              e->cage, e->lane);
	}
	lf_emit_csv_field(b, part);
	lf_buf_puts(b, ",");
	lf_emit_csv_field(b, m->cable ? m->cable->id : m->lower ? m->lower->id : "");
	lf_buf_puts(b, ",");
	lf_emit_csv_field(b, m->cable ? m->cable->id : m->upper ? m->upper->id : "");
	const lf_optic *o = m->cable ? m->cable : m->lower;
	lf_buf_printf(b, ",%s,%s,", medium_of(m), m->fibre ? m->fibre->id : "");
	lf_emit_csv_field(b, o && o->connector ? o->connector : "");
	lf_buf_printf(b, ",%g,%.2f\n", (double)ly->length_m[i], (double)ly->routed_m[i]);
}

lf_status lf_cabling_write(const lf_plan *pl, const lf_layout *ly, lf_cabling_format fmt,
                           lf_sink_fn sink, void *ctx, lf_error *err)
{
	lf_buf b;
	lf_buf_init(&b);
	switch (fmt) {
	case LF_CABLING_CSV:
		lf_buf_puts(&b, "cable,label,stage,level,plane,"
		                "a_row,a_rack,a_u,a_device,a_port,a_cage,a_lane,"
		                "b_row,b_rack,b_u,b_device,b_port,b_cage,b_lane,"
		                "part,a_part,b_part,medium,fibre,connector,length_m,routed_m\n");
		break;
	case LF_CABLING_UFM_P2P:
		lf_buf_puts(&b, "A-Node Name,A-Type,A-Port,Z-Node Name,Z-Type,Z-Port\n");
		break;
	case LF_CABLING_DOT:
		lf_buf_puts(&b, "graph ");
		lf_buf_printf(&b, "\"%s\" {\n", pl->name);
		break;
	}
	lf_status st = LF_OK;
	for (size_t i = 0; i <= pl->n_links && st == LF_OK; i++) {
		if (i == pl->n_links) {
			if (fmt == LF_CABLING_DOT)
				lf_buf_puts(&b, "}\n");
		} else {
			const lf_link *l = &pl->links[i];
			end_desc a, z;
			describe(pl, ly, l->a, l->a_port, &a);
			describe(pl, ly, l->b, l->b_port, &z);
			if (fmt == LF_CABLING_CSV)
				csv_row(&b, pl, ly, i, &a, &z);
			else if (fmt == LF_CABLING_UFM_P2P)
				lf_buf_printf(&b, "%s,%s,%s,%s,Switch,%s\n", a.dev,
				              pl->nodes[l->a].tier == 0 ? "Host" : "Switch", a.port, z.dev,
				              z.port);
			else
				lf_buf_printf(&b, "  \"%s\":\"%s\" -- \"%s\":\"%s\";\n", a.dev, a.port, z.dev,
				              z.port);
		}
		if (b.failed) {
			st = lf_oom(err);
		} else if (b.len >= CHUNK || i == pl->n_links) {
			if (sink(ctx, b.data, b.len) != 0)
				st = lf_fail(err, LF_EIO, NULL, 0, 0, "cannot write the cabling schedule: %s",
				             strerror(errno));
			b.len = 0;
		}
	}
	lf_buf_release(&b);
	return st;
}

/* ---- a file written in chunks, atomically (emit.h) */

lf_status lf_stream_open(lf_stream *s, const char *path, lf_error *err)
{
	memset(s, 0, sizeof *s);
	s->path = path;
	size_t n = strlen(path) + 32;
	s->tmp = malloc(n);
	if (!s->tmp)
		return lf_oom(err);
	snprintf(s->tmp, n, "%s.tmp.%ld", path, (long)getpid());
	s->f = fopen(s->tmp, "wb");
	if (!s->f) {
		lf_fail(err, LF_EIO, path, 0, 0, "cannot write: %s", strerror(errno));
		free(s->tmp);
		s->tmp = NULL;
		return LF_EIO;
	}
	return LF_OK;
}

int lf_stream_sink(void *ctx, const char *data, size_t len)
{
	lf_stream *s = ctx;
	return fwrite(data, 1, len, s->f) == len ? 0 : -1;
}

lf_status lf_stream_close(lf_stream *s, lf_status st, lf_error *err)
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
			st = lf_fail(err, LF_EIO, s->path, 0, 0, "cannot write: %s", strerror(e));
	}
	free(s->tmp);
	s->tmp = NULL;
	return st;
}

lf_status lf_cabling_write_file(const lf_plan *pl, const lf_layout *ly, lf_cabling_format fmt,
                                const char *path, lf_error *err)
{
	lf_stream s;
	LF_TRY(lf_stream_open(&s, path, err));
	return lf_stream_close(&s, lf_cabling_write(pl, ly, fmt, lf_stream_sink, &s, err), err);
}
