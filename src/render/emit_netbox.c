/*
 * emit_netbox.c — CSV files NetBox's bulk import accepts, one per object
 * type, in the order they must be imported:
 *
 *   01-sites.csv, 02-manufacturers.csv, 03-device-roles.csv,
 *   04-device-types.csv, 05-racks.csv, 06-devices.csv, 07-interfaces.csv,
 *   08-cables.csv
 *
 * Column names are those of NetBox's import forms (netbox/dcim/forms/
 * bulk_import.py, reference layout-cabling.md §3): SiteImportForm name,
 * slug, status; ManufacturerImportForm name, slug; DeviceRoleImportForm
 * name, slug, color; DeviceTypeImportForm manufacturer, model, slug,
 * u_height, is_full_depth; RackImportForm site, name, status, width,
 * u_height, outer_width, outer_depth, outer_unit; DeviceImportForm name,
 * role, manufacturer, device_type, status, site, rack, position, face;
 * InterfaceImportForm device, name, type, speed (kbps); CableImportForm
 * side_a_device, side_a_type, side_a_name, side_b_device, side_b_type,
 * side_b_name, type, status, label, length, length_unit (the columns every
 * NetBox since 4.2 has; *_site came in 4.4).
 *
 * Slugs: interface types "<speed>base-x-<cage>" (400gbase-x-osfp,
 * 800gbase-x-osfp, 400gbase-x-qsfp112, 400gbase-x-qsfpdd, 800gbase-x-qsfpdd,
 * 1.6tbase-x-osfp1600, 1.6tbase-x-qsfpdd1600), "other" for a speed and cage
 * NetBox has no type for; cable types dac-passive (DAC), dac-active
 * (ACC, AEC), aoc, mmf-om3/om4/om5 (from the patch cord's id or name, else
 * mmf), smf-os2.  Everything is imported as status planned.  Interfaces and
 * cables stream (a million rows is fine); each file is written atomically.
 */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "render.h"

#define CHUNK (64 * 1024)

static void slugify(const char *in, char *out, size_t n)
{
	size_t k = 0;
	bool dash = false;
	for (const char *p = in; *p && k + 1 < n; p++) {
		if (isalnum((unsigned char)*p) || *p == '_') {
			if (dash && k)
				out[k++] = '-';
			if (k + 1 < n)
				out[k++] = (char)tolower((unsigned char)*p);
			dash = false;
		} else {
			dash = true;
		}
	}
	out[k] = 0;
}

/* "NVIDIA Quantum-2 QM9700" -> manufacturer "NVIDIA" (the first word). */
static void maker_of(const char *name, char *out, size_t n)
{
	size_t k = 0;
	while (name[k] && name[k] != ' ' && k + 1 < n) {
		out[k] = name[k];
		k++;
	}
	out[k] = 0;
	if (!k)
		snprintf(out, n, "Unknown");
}

static const char *iface_type(int gbps, const char *ff)
{
	static const struct { int g; const char *ff, *slug; } t[] = {
		{ 400, "osfp", "400gbase-x-osfp" },     { 800, "osfp", "800gbase-x-osfp" },
		{ 400, "qsfp112", "400gbase-x-qsfp112" }, { 400, "qsfpdd", "400gbase-x-qsfpdd" },
		{ 800, "qsfpdd", "800gbase-x-qsfpdd" }, { 1600, "osfp", "1.6tbase-x-osfp1600" },
		{ 1600, "qsfpdd", "1.6tbase-x-qsfpdd1600" },
	};
	for (size_t i = 0; i < LF_ARRAY_LEN(t); i++)
		if (t[i].g == gbps && strcasecmp(t[i].ff, ff) == 0)
			return t[i].slug;
	return "other";
}

const char *lfi_netbox_cable_type(const lf_media *m)
{
	if (m->cable) {
		switch (m->cable->kind) {
		case LF_OPTIC_DAC: return "dac-passive";
		case LF_OPTIC_AOC: return "aoc";
		default: return "dac-active";
		}
	}
	if (!m->lower)
		return "";
	if (m->lower->medium == LF_MEDIUM_SMF)
		return "smf-os2";
	static const char *const om[] = { "mmf-om3", "mmf-om4", "mmf-om5" };
	for (int i = 0; m->fibre && i < 3; i++) {
		char tag[4] = { 'O', 'M', (char)('3' + i), 0 };
		if (strcasestr(m->fibre->id, tag) || (m->fibre->name && strcasestr(m->fibre->name, tag)))
			return om[i];
	}
	return "mmf";
}

typedef struct nb {
	const lf_plan *pl;
	const lf_layout *ly;
	node_desc *nd;
	char ff[16];
	const char *dir;
	char site[64];
	lf_error *err;
} nb;

/* Write one file: header, then rows from `row(n, i, buf)` for i < count. */
typedef void (*row_fn)(const nb *n, size_t i, lfi_buf *b);

static lf_status write_csv(const nb *n, const char *name, const char *header, size_t count,
                           row_fn row)
{
	char path[4096];
	snprintf(path, sizeof path, "%s/%s", n->dir, name);
	lfi_stream s;
	LF_TRY(lfi_stream_open(&s, path, n->err));
	lfi_buf b;
	lfi_buf_init(&b);
	lfi_buf_puts(&b, header);
	lfi_buf_puts(&b, "\n");
	lf_status st = LF_OK;
	for (size_t i = 0; i <= count && st == LF_OK; i++) {
		if (i < count)
			row(n, i, &b);
		if (b.failed) {
			st = lfi_oom(n->err);
		} else if (b.len >= CHUNK || i == count) {
			if (lfi_stream_sink(&s, b.data, b.len) != 0)
				st = lfi_fail(n->err, LF_EIO, path, 0, 0, "cannot write");
			b.len = 0;
		}
	}
	lfi_buf_release(&b);
	return lfi_stream_close(&s, st, n->err);
}

/* ---- rows */

static const lf_switch *node_switch(const lf_plan *pl, const lf_node *nd)
{
	return lfi_tier_spec(pl->spec, nd->tier)->sw;
}

static void model_of(const lf_plan *pl, const lf_node *nd, const char **name, const char **id)
{
	if (nd->tier == 0) {
		*name = pl->spec->server->name ? pl->spec->server->name : pl->spec->server->id;
		*id = pl->spec->server->id;
	} else {
		const lf_switch *sw = node_switch(pl, nd);
		*name = sw->name ? sw->name : sw->id;
		*id = sw->id;
	}
}

static void site_row(const nb *n, size_t i, lfi_buf *b)
{
	(void)i;
	lfi_buf_printf(b, "%s,%s,planned\n", n->site, n->site);
}

/* the device types of the plan: the server, then each distinct switch */
static size_t n_models(const lf_plan *pl, const char **names, const char **ids)
{
	size_t k = 0;
	names[k] = pl->spec->server->name ? pl->spec->server->name : pl->spec->server->id;
	ids[k++] = pl->spec->server->id;
	for (int t = 0; t < pl->spec->n_tier_specs; t++) {
		const lf_switch *sw = pl->spec->tier[t].sw;
		bool seen = false;
		for (size_t j = 0; j < k; j++)
			seen = seen || strcmp(ids[j], sw->id) == 0;
		if (!seen) {
			names[k] = sw->name ? sw->name : sw->id;
			ids[k++] = sw->id;
		}
	}
	return k;
}

static void maker_row(const nb *n, size_t i, lfi_buf *b)
{
	const char *names[LF_MAX_TIERS + 1], *ids[LF_MAX_TIERS + 1];
	size_t k = n_models(n->pl, names, ids);
	char m[64], s[64];
	/* one row per distinct manufacturer */
	maker_of(names[i], m, sizeof m);
	for (size_t j = 0; j < i && j < k; j++) {
		char o[64];
		maker_of(names[j], o, sizeof o);
		if (strcmp(o, m) == 0)
			return;
	}
	slugify(m, s, sizeof s);
	lfi_emit_csv_field(b, m);
	lfi_buf_printf(b, ",%s\n", s);
}

static const char *const roles[] = { "compute", "leaf", "spine", "core" };
static const char *const role_colors[] = { "2196f3", "4caf50", "ff9800", "f44336" };

static void role_row(const nb *n, size_t i, lfi_buf *b)
{
	(void)n;
	lfi_buf_printf(b, "%s,%s,%s\n", roles[i], roles[i], role_colors[i]);
}

static void type_row(const nb *n, size_t i, lfi_buf *b)
{
	const char *names[LF_MAX_TIERS + 1], *ids[LF_MAX_TIERS + 1];
	n_models(n->pl, names, ids);
	char m[64], s[96];
	maker_of(names[i], m, sizeof m);
	slugify(ids[i], s, sizeof s);
	/* its height: the server's, or that of the first tier built of the model */
	int t = 0;
	const lf_spec *sp = n->pl->spec;
	for (int k = 0; i > 0 && k < sp->n_tier_specs && !t; k++)
		if (strcmp(sp->tier[k].sw->id, ids[i]) == 0)
			t = k + 1;
	lfi_emit_csv_field(b, m);
	lfi_buf_puts(b, ",");
	lfi_emit_csv_field(b, names[i]);
	lfi_buf_printf(b, ",%s,%d,true\n", s, n->ly->units[t < 4 ? t : 3]);
}

static void rack_row(const nb *n, size_t i, lfi_buf *b)
{
	char id[16];
	lf_layout_rack_id(n->ly, (uint32_t)i, id, sizeof id);
	const lf_layout_spec *e = &n->ly->eff;
	lfi_buf_printf(b, "%s,%s,planned,19,%d,%.0f,%.0f,mm\n", n->site, id, e->rack_units,
	               e->rack_width_m * 1000, e->rack_depth_m * 1000);
}

static void device_row(const nb *n, size_t i, lfi_buf *b)
{
	const lf_plan *pl = n->pl;
	const lf_node *nd = &pl->nodes[i];
	char name[64], rack[16], m[64], s[96];
	const char *mname, *mid;
	lf_layout_node_name(pl, (uint32_t)i, name, sizeof name);
	lf_layout_rack_id(n->ly, n->ly->node_rack[i], rack, sizeof rack);
	model_of(pl, nd, &mname, &mid);
	maker_of(mname, m, sizeof m);
	slugify(mid, s, sizeof s);
	lfi_buf_printf(b, "%s,%s,", name, roles[nd->tier]);
	lfi_emit_csv_field(b, m);
	lfi_buf_puts(b, ",");
	lfi_emit_csv_field(b, mname);
	lfi_buf_printf(b, ",planned,%s,%s,%u,front\n", n->site, rack, (unsigned)n->ly->node_u[i]);
}

static void cable_row(const nb *n, size_t i, lfi_buf *b)
{
	const lf_plan *pl = n->pl;
	const lf_link *l = &pl->links[i];
	const node_desc *a = &n->nd[l->a], *z = &n->nd[l->b];
	lfi_buf_add(b, a->dev, a->dev_len);
	lfi_buf_puts(b, ",dcim.interface,");
	lfi_cab_put_port(b, pl, n->ff, l->a, l->a_port, '/');
	lfi_buf_add(b, ",", 1);
	lfi_buf_add(b, z->dev, z->dev_len);
	lfi_buf_puts(b, ",dcim.interface,");
	lfi_cab_put_port(b, pl, n->ff, l->b, l->b_port, '/');
	lfi_buf_add(b, ",", 1);
	lfi_buf_puts(b, lfi_netbox_cable_type(lf_layout_link_media(pl, n->ly, i)));
	char id[24];
	snprintf(id, sizeof id, ",planned,C%07zu,", i + 1);
	lfi_buf_puts(b, id);
	lfi_cab_put_m(b, n->ly->length_m[i], false);
	lfi_buf_puts(b, ",m\n");
}

/* interfaces: every port of every node, rows numbered over (node, port) */
static lf_status write_interfaces(const nb *n)
{
	const lf_plan *pl = n->pl;
	char path[4096];
	snprintf(path, sizeof path, "%s/07-interfaces.csv", n->dir);
	lfi_stream s;
	LF_TRY(lfi_stream_open(&s, path, n->err));
	lfi_buf b;
	lfi_buf_init(&b);
	lfi_buf_puts(&b, "device,name,type,speed\n");
	/* ",<type>,<kbps>\n" per tier, made once: a server's ports run level 1
	 * links; a switch of tier t runs level t below and level t + 1 above, on
	 * its own cages */
	char down[LF_MAX_TIERS + 1][64], up[LF_MAX_TIERS + 1][64];
	for (int t = 0; t <= pl->tiers; t++) {
		const char *ff = t ? node_switch(pl, &(lf_node){ .tier = (uint8_t)t })->form_factor
		                   : pl->spec->server->form_factor;
		for (int k = 0; k < 2; k++) {
			int level = k ? t + 1 : t;
			char *dst = k ? up[t] : down[t];
			dst[0] = 0;
			if (level >= 1 && level <= pl->tiers)
				snprintf(dst, 64, ",%s,%lld\n", iface_type(pl->media[level].gbps, ff),
				         (long long)pl->media[level].gbps * 1000000);
		}
	}
	lf_status st = LF_OK;
	for (size_t i = 0; i < pl->n_nodes && st == LF_OK; i++) {
		const lf_node *nd = &pl->nodes[i];
		const node_desc *d = &n->nd[i];
		uint32_t dp = nd->down_cages * nd->down_ppc;
		for (uint32_t p = 0; p < nd->n_ports; p++) {
			lfi_buf_add(&b, d->dev, d->dev_len);
			lfi_buf_add(&b, ",", 1);
			lfi_cab_put_port(&b, pl, n->ff, (uint32_t)i, p, '/');
			lfi_buf_puts(&b, nd->tier != 0 && p < dp ? down[nd->tier] : up[nd->tier]);
		}
		if (b.failed)
			st = lfi_oom(n->err);
		else if (b.len >= CHUNK && lfi_stream_sink(&s, b.data, b.len) != 0)
			st = lfi_fail(n->err, LF_EIO, path, 0, 0, "cannot write");
		else if (b.len >= CHUNK)
			b.len = 0;
	}
	if (st == LF_OK && lfi_stream_sink(&s, b.data, b.len) != 0)
		st = lfi_fail(n->err, LF_EIO, path, 0, 0, "cannot write");
	lfi_buf_release(&b);
	return lfi_stream_close(&s, st, n->err);
}

lf_status lf_netbox_write(const lf_plan *pl, const lf_layout *ly, const char *dir,
                          lf_error *err)
{
	nb n = { .pl = pl, .ly = ly, .dir = dir, .err = err };
	n.nd = lfi_cab_nodes(pl, ly);
	if (!n.nd)
		return lfi_oom(err);
	lfi_cab_server_ff(pl, n.ff, sizeof n.ff);
	slugify(pl->name ? pl->name : "cluster", n.site, sizeof n.site);
	const char *names[LF_MAX_TIERS + 1], *ids[LF_MAX_TIERS + 1];
	size_t models = n_models(pl, names, ids);
	lf_status st = write_csv(&n, "01-sites.csv", "name,slug,status", 1, site_row);
	if (st == LF_OK)
		st = write_csv(&n, "02-manufacturers.csv", "name,slug", models, maker_row);
	if (st == LF_OK)
		st = write_csv(&n, "03-device-roles.csv", "name,slug,color", (size_t)pl->tiers + 1,
		               role_row);
	if (st == LF_OK)
		st = write_csv(&n, "04-device-types.csv",
		               "manufacturer,model,slug,u_height,is_full_depth", models, type_row);
	if (st == LF_OK)
		st = write_csv(&n, "05-racks.csv",
		               "site,name,status,width,u_height,outer_width,outer_depth,outer_unit",
		               ly->n_racks, rack_row);
	if (st == LF_OK)
		st = write_csv(&n, "06-devices.csv",
		               "name,role,manufacturer,device_type,status,site,rack,position,face",
		               pl->n_nodes, device_row);
	if (st == LF_OK)
		st = write_interfaces(&n);
	if (st == LF_OK)
		st = write_csv(&n, "08-cables.csv",
		               "side_a_device,side_a_type,side_a_name,side_b_device,side_b_type,"
		               "side_b_name,type,status,label,length,length_unit",
		               pl->n_links, cable_row);
	free(n.nd);
	return st;
}
