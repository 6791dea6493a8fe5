/*
 * layout.c — the floor: every server and switch at a row / rack / U, and a
 * routed length for every link, rounded up to an orderable length.
 * (Over 800 lines: the layout: parser, its derived defaults, placement and
 * routing read one geometry; the renderers are in src/render/.)
 *
 *   layout:
 *     rack: {units: 48, width: 60cm, depth: 120cm}
 *     power_budget: 41kW            # per rack; bounds servers per rack
 *     over_budget: error            # or warn
 *     servers_per_rack: 4
 *     server_units: 8               # U per server; switch_units: U per switch
 *     racks_per_row: 9              # default: one SU (compute + network racks) per row
 *     aisle: 1.2m                   # row_pitch (centre to centre) = depth + aisle
 *     network_racks: middle         # leaf racks in the middle or at the end of the SU,
 *                                   # or shared: leaves on top of its middle compute rack
 *     spine_row: middle             # spine/core rows among the SU rows, or at the end
 *     tray_height: 30cm             # overhead tray above the rack tops
 *     slack: 50cm                   # per cable end
 *     bend: 30cm                    # per cable
 *
 * Defaults, stated in the layout's notes when taken: 48U racks 600 x 1200
 * mm (common EIA-310 sizes, reference layout-cabling.md §2), 4 servers per
 * rack as in the DGX SuperPOD H100/B200 rows (§1) unless a power budget
 * bounds them, a budget of servers_per_rack x the server's power, 8U
 * servers (DGX H100, §1) and 1U switches (QM9700), 1.2 m aisles (§2, [S]),
 * leaf racks in the middle of their SU (H100 SU: 4 compute racks either
 * side of the leaf rack, §1 [S]), one SU per row, spine rows in the middle.
 *
 * Floor: an SU is its compute racks (servers_per_rack servers each, from
 * U1 up) and its network racks (the SU's leaves of every plane, from the
 * top down), laid along a row; an SU that does not fit the rest of a row
 * starts the next one.  Spines (2 tiers: all; 3 tiers: per pod) fill rows
 * of their own, in the middle of the rows they serve; cores fill rows in
 * the middle of the floor.  Switch racks hold as many switches as U and
 * the power budget allow.  No standard Manhattan-routing formula was
 * found (§2), so the routing is this documented one:
 *
 *   same rack:   |z_a - z_b| + 2 slack + bend
 *   otherwise:   (H - z_a) + (H - z_b) + 2 tray + |dx| + |dy| + 2 slack + bend
 *
 * z = device centre height, H = rack height, dx along the row (rack
 * widths), dy across rows (row pitch): the tray runs along the rows and a
 * cross tray joins them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "media.h"

#define U_M 0.04445              /* 1U = 44.45 mm, EIA-310 */

/* ------------------------------------------------------------------ parsing */

/* The layout: section's keys (the spec's schema includes it, spec.c). */
static const lfi_schema_key rack_keys[] = {
	{ "units", NULL, 0 }, { "width", NULL, 0 }, { "depth", NULL, 0 },
};
static const lfi_schema rack_s = { "layout rack", LF_ARRAY_LEN(rack_keys), rack_keys };
static const lfi_schema_key layout_keys[] = {
	{ "rack", &rack_s, 0 }, { "power_budget", NULL, 0 }, { "over_budget", NULL, 0 },
	{ "servers_per_rack", NULL, 0 }, { "server_units", NULL, 0 }, { "switch_units", NULL, 0 },
	{ "racks_per_row", NULL, 0 }, { "aisle", NULL, 0 }, { "row_pitch", NULL, 0 },
	{ "network_racks", NULL, 0 }, { "spine_row", NULL, 0 }, { "tray_height", NULL, 0 },
	{ "slack", NULL, 0 }, { "bend", NULL, 0 },
};
const lfi_schema lfi_layout_schema = { "layout", LF_ARRAY_LEN(layout_keys), layout_keys };

lf_status lfi_layout_parse(lfi_ydoc *d, yaml_node_t *m, lf_layout_spec *o, lf_error *err)
{
	static const char *const pos_names[] = { "middle", "end", "shared" };
	LF_TRY(lfi_yexpect(d, m, YAML_MAPPING_NODE, "layout", err));
	LF_TRY(lfi_ycheck_schema(d, m, &lfi_layout_schema, NULL, err));
	memset(o, 0, sizeof *o);
	o->given = 1;
	o->pos = lfi_ypos(d, m);
	yaml_node_t *n;
	int64_t v;
	if ((n = lfi_yget(d, m, "rack"))) {
		LF_TRY(lfi_ycheck_schema(d, n, &rack_s, NULL, err));
		yaml_node_t *x;
		if ((x = lfi_yget(d, n, "units"))) {
			LF_TRY(lfi_yint(d, x, "layout rack units", 4, 60, &v, err));
			o->rack_units = (int)v;
		}
		if ((x = lfi_yget(d, n, "width")))
			LF_TRY(lfi_ylength(d, x, "layout rack width", &o->rack_width_m, err));
		if ((x = lfi_yget(d, n, "depth")))
			LF_TRY(lfi_ylength(d, x, "layout rack depth", &o->rack_depth_m, err));
		if (o->rack_width_m > 3 || o->rack_depth_m > 3)
			return lfi_yfail(err, d, n, "layout rack width and depth must be at most 3 m");
	}
	if ((n = lfi_yget(d, m, "power_budget"))) {
		const char *s = lfi_yscalar(n);
		char *end = NULL;
		double kw = s ? strtod(s, &end) : 0;
		if (!s || end == s || (strcmp(end, "kW") && strcmp(end, " kW")) || !(kw > 0) ||
		    kw > 2000)
			return lfi_yfail(err, d, n, "layout power_budget must be a rack power like 41kW "
			                 "(more than 0, at most 2000kW), got %s%s%s", s ? "\"" : "",
			                 s ? s : lfi_ykind(n), s ? "\"" : "");
		o->power_budget_w = kw * 1000;
		o->pos_power = lfi_ypos(d, n);
	}
	if ((n = lfi_yget(d, m, "over_budget"))) {
		static const char *const ob[] = { "error", "warn" };
		LF_TRY(lfi_yenum(d, n, "layout over_budget", ob, 2, &o->over_budget_warn, err));
	}
	if ((n = lfi_yget(d, m, "servers_per_rack"))) {
		LF_TRY(lfi_yint(d, n, "layout servers_per_rack", 1, 64, &v, err));
		o->servers_per_rack = (int)v;
		o->pos_spr = lfi_ypos(d, n);
	}
	if ((n = lfi_yget(d, m, "server_units"))) {
		LF_TRY(lfi_yint(d, n, "layout server_units", 1, 60, &v, err));
		o->server_units = (int)v;
	}
	if ((n = lfi_yget(d, m, "switch_units"))) {
		LF_TRY(lfi_yint(d, n, "layout switch_units", 1, 60, &v, err));
		o->switch_units = (int)v;
	}
	if ((n = lfi_yget(d, m, "racks_per_row"))) {
		LF_TRY(lfi_yint(d, n, "layout racks_per_row", 1, 1000, &v, err));
		o->racks_per_row = (int)v;
	}
	if ((n = lfi_yget(d, m, "aisle")))
		LF_TRY(lfi_ylength(d, n, "layout aisle", &o->aisle_m, err));
	if ((n = lfi_yget(d, m, "row_pitch")))
		LF_TRY(lfi_ylength(d, n, "layout row_pitch", &o->row_pitch_m, err));
	if ((n = lfi_yget(d, m, "network_racks"))) {
		int e;
		LF_TRY(lfi_yenum(d, n, "layout network_racks", pos_names, 3, &e, err));
		o->network_racks = (lf_netrack)e;
	}
	if ((n = lfi_yget(d, m, "spine_row"))) {
		int e;
		LF_TRY(lfi_yenum(d, n, "layout spine_row", pos_names, 2, &e, err));
		o->spine_row = (lf_netrack)e;
	}
	if ((n = lfi_yget(d, m, "tray_height")))
		LF_TRY(lfi_ylength(d, n, "layout tray_height", &o->tray_height_m, err));
	if ((n = lfi_yget(d, m, "slack")))
		LF_TRY(lfi_ylength(d, n, "layout slack", &o->slack_m, err));
	if ((n = lfi_yget(d, m, "bend")))
		LF_TRY(lfi_ylength(d, n, "layout bend", &o->bend_m, err));
	if (o->tray_height_m > 10 || o->slack_m > 10 || o->bend_m > 10)
		return lfi_yfail(err, d, m, "layout tray_height, slack and bend must be at most 10 m");
	if (o->aisle_m > 20 || o->row_pitch_m > 30)
		return lfi_yfail(err, d, m, "layout aisle must be at most 20 m and row_pitch 30 m");
	return LF_OK;
}

/* ------------------------------------------------------- orderable lengths */

/* Standard lengths per part family (reference layout-cabling.md §2):
 * passive DAC 0.5-3 m in 0.5 m steps (MCP4Y10 0.5/1/1.5/2, MCP7Y00 1-3 m
 * [P]); linear active copper 3/4/5 m [P]; AEC 3-7 m [S]; AOC 3, 5, 10, 15,
 * 20, 30 m (MFS1S50 ladder [P]) and 50, 100 m ("3 to ~100 m" [P]); MPO
 * patch cords, MM and SM, 3, 5, 7, 10, 15, 20, 30, 50 m (MFP7E10/MFP7E30
 * [S]) and 1, 2 m below them [U].  Single-mode beyond 50 m: a trunk cut
 * to length, rounded up to the next 10 m [U]. */
static const double dac_len[] = { 0.5, 1, 1.5, 2, 2.5, 3 };
static const double acc_len[] = { 3, 4, 5 };
static const double aec_len[] = { 3, 4, 5, 6, 7 };
static const double aoc_len[] = { 3, 5, 10, 15, 20, 30, 50, 100 };
static const double fibre_len[] = { 1, 2, 3, 5, 7, 10, 15, 20, 30, 50 };

static double ladder(const double *l, size_t n, double x, double reach)
{
	for (size_t i = 0; i < n; i++)
		if (l[i] + 1e-9 >= x)
			return l[i] <= reach + 1e-9 ? l[i] : -1;
	return -1;
}

double lf_layout_order_length(const lf_media *m, double x)
{
	const lf_optic *c = m->cable;
	if (c) {
		switch (c->kind) {
		case LF_OPTIC_DAC: return ladder(dac_len, LF_ARRAY_LEN(dac_len), x, c->reach_m);
		case LF_OPTIC_ACC: return ladder(acc_len, LF_ARRAY_LEN(acc_len), x, c->reach_m);
		case LF_OPTIC_AEC: return ladder(aec_len, LF_ARRAY_LEN(aec_len), x, c->reach_m);
		default: return ladder(aoc_len, LF_ARRAY_LEN(aoc_len), x, c->reach_m);
		}
	}
	if (!m->lower || !m->upper)
		return -1;
	double reach = fmin(m->lower->reach_m, m->upper->reach_m);
	double r = ladder(fibre_len, LF_ARRAY_LEN(fibre_len), x, reach);
	if (r < 0 && m->lower->medium == LF_MEDIUM_SMF && x <= reach + 1e-9)
		r = fmin(ceil(x / 10 - 1e-9) * 10, reach);
	return r;
}

const lf_media *lf_layout_link_media(const lf_plan *pl, const lf_layout *ly, size_t i)
{
	return ly ? &ly->var[ly->link_var[i]] : &pl->media[pl->links[i].level];
}

/* ------------------------------------------------------------------- names */

void lf_layout_node_name(const lf_plan *pl, uint32_t i, char *buf, size_t n)
{
	const lf_node *nd = &pl->nodes[i];
	char pp[16] = "";
	if (pl->planes > 1 && nd->kind == LF_NODE_SWITCH)
		snprintf(pp, sizeof pp, "p%u-", (unsigned)nd->plane + 1);
	switch (nd->tier) {
	case 0:
		snprintf(buf, n, "su%u-srv%02u", nd->group + 1, nd->index % (uint32_t)pl->su_servers + 1);
		break;
	case 1:
		snprintf(buf, n, "%ssu%u-leaf%u", pp, nd->group + 1,
		         nd->index % (uint32_t)pl->leaves_per_su + 1);
		break;
	case 2:
		if (pl->tiers == 3)
			snprintf(buf, n, "%spod%u-spine%02u", pp, nd->group + 1,
			         nd->index % (uint32_t)(pl->tier_results[pl->planes].switches /
			                                (uint64_t)pl->pods) + 1);
		else
			snprintf(buf, n, "%sspine%02u", pp, nd->index + 1);
		break;
	default:
		snprintf(buf, n, "%score%02u", pp, nd->index + 1);
	}
}

void lf_layout_rack_id(const lf_layout *ly, uint32_t r, char *buf, size_t n)
{
	char row[8];
	size_t k = 0;
	uint32_t x = ly->racks[r].row;
	char tmp[8];
	do {
		tmp[k++] = (char)('A' + x % 26);
		x = x / 26;
	} while (x-- > 0 && k < sizeof tmp - 1);
	for (size_t i = 0; i < k; i++)
		row[i] = tmp[k - 1 - i];
	row[k] = 0;
	snprintf(buf, n, "%s%02u", row, ly->racks[r].col + 1);
}

/* --------------------------------------------------------------- placement */

typedef struct floor_ctx {
	lf_layout *ly;
	lfi_vec racks;
	uint32_t row, col, rpr;   /* next free position, racks per row */
} floor_ctx;

static lf_status add_rack(floor_ctx *f, lf_rack_role role, uint32_t su, uint32_t *out,
                          lf_error *err)
{
	if (f->col >= f->rpr) {
		f->row++;
		f->col = 0;
	}
	lf_rack *r = lfi_vec_push(&f->racks);
	if (!r)
		return lfi_oom(err);
	r->row = f->row;
	r->col = f->col++;
	r->role = (uint8_t)role;
	r->su = su;
	*out = (uint32_t)(f->racks.len - 1);
	return LF_OK;
}

static void new_row(floor_ctx *f)
{
	if (f->col) {
		f->row++;
		f->col = 0;
	}
}

/* Racks for `count` switches of `per_rack` each, on rows of their own;
 * first rack index to *first. */
static lf_status switch_rows(floor_ctx *f, uint64_t count, uint32_t per_rack, uint32_t *first,
                             lf_error *err)
{
	new_row(f);
	uint64_t racks = (count + per_rack - 1) / per_rack;
	for (uint64_t k = 0; k < racks; k++) {
		uint32_t r = 0;
		LF_TRY(add_rack(f, LF_RACK_SPINE, 0, &r, err));
		if (k == 0)
			*first = r;
	}
	new_row(f);
	return LF_OK;
}

typedef struct geo {
	int U, spr, srv_u, cr, nr, per_net, per_sw;
	uint32_t *su_first;       /* per SU: first compute rack; network racks follow the SU map */
	uint32_t *su_net;         /* per SU: first network rack */
	uint32_t *pod_spine;      /* per pod: first spine rack (2 tiers: one pod) */
	uint32_t core_first;
	uint64_t spines_per_pod_plane, cores_plane;
} geo;

/* Compute rack k of SU s (network racks sit among them). */
static uint32_t compute_rack(const geo *g, const lf_layout_spec *e, int64_t s, int k)
{
	int net_at = e->network_racks == LF_NETRACK_MIDDLE ? g->cr / 2 : g->cr;
	return g->su_first[s] + (uint32_t)k + (k >= net_at ? (uint32_t)g->nr : 0);
}

static lf_status lay_sus(floor_ctx *f, geo *g, const lf_plan *pl, int64_t su0, int64_t su1,
                         lf_error *err)
{
	const lf_layout_spec *e = &f->ly->eff;
	for (int64_t s = su0; s < su1; s++) {
		uint32_t need = (uint32_t)(g->cr + g->nr);
		if (f->col && f->col + need > f->rpr)
			new_row(f);
		int net_at = e->network_racks == LF_NETRACK_MIDDLE ? g->cr / 2 : g->cr;
		bool first_compute = true;
		for (int k = 0; k < g->cr + g->nr; k++) {
			uint32_t r = 0;
			bool net = k >= net_at && k < net_at + g->nr;
			LF_TRY(add_rack(f, net ? LF_RACK_NETWORK : LF_RACK_COMPUTE, (uint32_t)s, &r, err));
			if (net && k == net_at)
				g->su_net[s] = r;
			if (!net && first_compute) {
				g->su_first[s] = r;
				first_compute = false;
			}
		}
		if (e->network_racks == LF_NETRACK_SHARED)
			g->su_net[s] = compute_rack(g, e, s, g->cr / 2);
	}
	(void)pl;
	return LF_OK;
}

static double switch_power(const lf_switch *sw)
{
	return sw->power_max_w > 0 ? sw->power_max_w : sw->power_typ_w;
}

static lf_status defaults(lf_layout *ly, const lf_plan *pl, geo *g, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	const lf_layout_spec *in = &sp->layout;
	lf_layout_spec *e = &ly->eff;
	*e = *in;
	char said[768] = "";
	size_t k = 0;
#define SAY(...) (k += (size_t)snprintf(said + k, k < sizeof said ? sizeof said - k : 0, __VA_ARGS__))
	if (!e->rack_units) {
		e->rack_units = 48;
		SAY("48U");
	}
	if (!e->rack_width_m)
		e->rack_width_m = 0.6;
	if (!e->rack_depth_m)
		e->rack_depth_m = 1.2;
	if (!in->rack_width_m || !in->rack_depth_m)
		SAY("%s%gx%gmm racks", k ? " " : "", e->rack_width_m * 1000, e->rack_depth_m * 1000);
	/* device heights: the layout's, else the catalog's rack_units, else 8U
	 * servers and 1U switches */
	if (!e->server_units) {
		e->server_units = sp->server->rack_units ? sp->server->rack_units : 8;
		SAY(", %dU servers", e->server_units);
	}
	ly->units[0] = e->server_units;
	const lf_switch *tsw[LF_MAX_TIERS + 1] = { 0 };
	bool uneven = false;
	for (int t = 1; t <= LF_MAX_TIERS; t++) {
		tsw[t] = lfi_tier_spec(sp, t)->sw;
		ly->units[t] = e->switch_units ? e->switch_units
		                               : tsw[t]->rack_units ? tsw[t]->rack_units : 1;
		uneven = uneven || (t <= pl->tiers && ly->units[t] != ly->units[1]);
	}
	if (!e->switch_units) {
		e->switch_units = ly->units[1];
		if (!uneven)
			SAY(", %dU switches", ly->units[1]);
		for (int t = 1; uneven && t <= pl->tiers; t++)
			SAY("%s%dU %s", t == 1 ? ", switches " : " / ", ly->units[t], tsw[t]->id);
	}
	double srv_w = sp->server->power_w;
	int fit_u = e->rack_units / e->server_units;
	if (!e->servers_per_rack) {
		if (e->power_budget_w > 0 && srv_w > 0) {
			e->servers_per_rack = (int)floor(e->power_budget_w / srv_w + 1e-9);
			if (e->servers_per_rack < 1)
				return lfi_fail(err, LF_EINPUT, sp->file, in->pos_power.line, in->pos_power.col,
				                "layout power_budget %.1f kW is below the %.1f kW of one %s",
				                e->power_budget_w / 1000, srv_w / 1000, sp->server->id);
		} else {
			e->servers_per_rack = 4;
		}
		if (e->servers_per_rack > fit_u)
			e->servers_per_rack = fit_u;
		SAY(", %d servers per rack", e->servers_per_rack);
	}
	if (e->servers_per_rack * e->server_units > e->rack_units)
		return lfi_fail(err, LF_EINPUT, sp->file, in->pos_spr.line, in->pos_spr.col,
		                "layout servers_per_rack: %d servers of %dU do not fit a %dU rack",
		                e->servers_per_rack, e->server_units, e->rack_units);
	if (!(e->power_budget_w > 0)) {
		e->power_budget_w = e->servers_per_rack * srv_w;
		if (!(e->power_budget_w > 0))
			e->power_budget_w = 1e9;
		SAY(", a %.1f kW budget per rack (servers_per_rack x %s)", e->power_budget_w / 1000,
		    sp->server->id);
	}
	if (!e->aisle_m) {
		e->aisle_m = 1.2;
		SAY(", 1.2 m aisles");
	}
	if (!e->row_pitch_m)
		e->row_pitch_m = e->rack_depth_m + e->aisle_m;
	if (e->row_pitch_m < e->rack_depth_m)
		return lfi_fail(err, LF_EINPUT, sp->file, in->pos.line, in->pos.col,
		                "layout row_pitch (%g m) is less than the rack depth (%g m)",
		                e->row_pitch_m, e->rack_depth_m);
	if (!e->tray_height_m)
		e->tray_height_m = 0.3;
	if (!e->slack_m)
		e->slack_m = 0.5;
	if (!e->bend_m)
		e->bend_m = 0.3;
	if (!in->tray_height_m || !in->slack_m || !in->bend_m)
		SAY(", tray %g m above the racks, %g m slack per end, %g m bend allowance",
		    e->tray_height_m, e->slack_m, e->bend_m);
	/* per SU */
	g->U = e->rack_units;
	g->spr = e->servers_per_rack;
	g->srv_u = e->server_units;
	g->cr = (pl->su_servers + g->spr - 1) / g->spr;
	const lf_switch *leaf = sp->tier[0].sw;
	int by_u = g->U / ly->units[1];   /* leaves in a network rack */
	int by_w = (int)floor(e->power_budget_w / switch_power(leaf) + 1e-9);
	g->per_net = by_u < by_w ? by_u : by_w;
	if (g->per_net < 1)
		return lfi_fail(err, LF_EINPUT, sp->file, in->pos_power.line, in->pos_power.col,
		                "layout power_budget %.1f kW is below the %.1f kW of one %s",
		                e->power_budget_w / 1000, switch_power(leaf) / 1000, leaf->id);
	int leaves = pl->leaves_per_su * pl->planes;
	g->nr = (leaves + g->per_net - 1) / g->per_net;
	if (e->network_racks == LF_NETRACK_SHARED) {
		/* the SU's leaves on top of its middle compute rack */
		int used = g->spr * g->srv_u, need = leaves * ly->units[1];
		if (used + need > g->U)
			return lfi_fail(err, LF_EINPUT, sp->file, in->pos.line, in->pos.col,
			                "layout network_racks: shared needs %dU for %d servers and %dU for "
			                "the SU's %d leaves in one %dU rack", used, g->spr, need, leaves,
			                g->U);
		g->nr = 0;
		g->per_net = leaves;
	}
	if (!e->racks_per_row) {
		e->racks_per_row = g->cr + g->nr;
		SAY(", one SU per row (%d compute + %d network racks)", g->cr, g->nr);
	}
	if (!in->given || k) {
		size_t nl = strlen(ly->notes);
		snprintf(ly->notes + nl, sizeof ly->notes - nl, "layout %s: %s%s. ",
		         in->given ? "defaults" : "not given, derived from the SU structure",
		         said[0] == ',' ? said + 2 : said,
		         !in->given ? ", leaf racks mid-row, spine rows mid-floor" : "");
	}
#undef SAY
	return LF_OK;
}

static lf_status place_floor(lf_layout *ly, const lf_plan *pl, geo *g, lf_error *err)
{
	const lf_layout_spec *e = &ly->eff;
	floor_ctx f = { .ly = ly, .rpr = (uint32_t)e->racks_per_row };
	lfi_vec_init(&f.racks, sizeof(lf_rack));
	int pods = pl->tiers == 3 ? pl->pods : 1;
	int64_t sus = pl->sus;
	int64_t pod_sus = pl->tiers == 3 ? pl->pod_sus : sus;
	uint64_t spines_plane = pl->tier_results[pl->planes].switches;
	g->spines_per_pod_plane = spines_plane / (uint64_t)pods;
	g->cores_plane = pl->tiers == 3 ? pl->tier_results[2 * pl->planes].switches : 0;
	const lf_switch *ssw = pl->spec->tier[pl->spec->n_tier_specs > 1 ? 1 : 0].sw;
	int by_w = (int)floor(e->power_budget_w / switch_power(ssw) + 1e-9);
	/* spine and core rows: as many of the tallest as fit */
	int sw_u = ly->units[2];
	for (int t = 3; t <= pl->tiers; t++)
		sw_u = ly->units[t] > sw_u ? ly->units[t] : sw_u;
	g->per_sw = g->U / sw_u < by_w ? g->U / sw_u : by_w;
	if (g->per_sw < 1)
		return lfi_fail(err, LF_EINPUT, pl->spec->file, e->pos_power.line, e->pos_power.col,
		                "layout power_budget %.1f kW is below the %.1f kW of one %s",
		                e->power_budget_w / 1000, switch_power(ssw) / 1000, ssw->id);
	g->su_first = calloc((size_t)sus, sizeof *g->su_first);
	g->su_net = calloc((size_t)sus, sizeof *g->su_net);
	g->pod_spine = calloc((size_t)pods, sizeof *g->pod_spine);
	lf_status st = (!g->su_first || !g->su_net || !g->pod_spine) ? lfi_oom(err) : LF_OK;
	for (int p = 0; st == LF_OK && p < pods; p++) {
		if (pl->tiers == 3 && p == (e->spine_row == LF_NETRACK_MIDDLE ? pods / 2 : pods))
			st = switch_rows(&f, g->cores_plane * (uint64_t)pl->planes, (uint32_t)g->per_sw,
			                 &g->core_first, err);
		int64_t a = p * pod_sus, b = a + pod_sus < sus ? a + pod_sus : sus;
		int64_t mid = e->spine_row == LF_NETRACK_MIDDLE ? a + (b - a) / 2 : b;
		if (st == LF_OK)
			st = lay_sus(&f, g, pl, a, mid, err);
		if (st == LF_OK)
			st = switch_rows(&f, g->spines_per_pod_plane * (uint64_t)pl->planes,
			                 (uint32_t)g->per_sw, &g->pod_spine[p], err);
		if (st == LF_OK)
			st = lay_sus(&f, g, pl, mid, b, err);
	}
	if (st == LF_OK && pl->tiers == 3 && e->spine_row == LF_NETRACK_END)
		st = switch_rows(&f, g->cores_plane * (uint64_t)pl->planes, (uint32_t)g->per_sw,
		                 &g->core_first, err);
	if (st != LF_OK) {
		lfi_vec_release(&f.racks);
		return st;
	}
	ly->racks = f.racks.data;
	ly->n_racks = f.racks.len;
	for (size_t r = 0; r < ly->n_racks; r++) {
		if (ly->racks[r].row + 1 > ly->rows)
			ly->rows = ly->racks[r].row + 1;
		if (ly->racks[r].col + 1 > ly->cols)
			ly->cols = ly->racks[r].col + 1;
	}
	return LF_OK;
}

static void place_node(lf_layout *ly, const lf_plan *pl, const geo *g, uint32_t i)
{
	const lf_node *n = &pl->nodes[i];
	const lf_layout_spec *e = &ly->eff;
	uint32_t rack;
	int u;
	if (n->tier == 0) {
		int64_t s = n->group, q = n->index % (uint32_t)pl->su_servers;
		rack = compute_rack(g, e, s, (int)(q / g->spr));
		u = 1 + (int)(q % g->spr) * g->srv_u;
	} else {
		uint64_t k;
		if (n->tier == 1) {
			k = (uint64_t)n->plane * (uint64_t)pl->leaves_per_su +
			    n->index % (uint32_t)pl->leaves_per_su;
			rack = g->su_net[n->group];
		} else if (n->tier == 2) {
			k = (uint64_t)n->plane * g->spines_per_pod_plane +
			    n->index % g->spines_per_pod_plane;
			rack = g->pod_spine[pl->tiers == 3 ? n->group : 0];
		} else {
			k = (uint64_t)n->plane * g->cores_plane + n->index;
			rack = g->core_first;
		}
		int per = n->tier == 1 ? g->per_net : g->per_sw;
		rack += (uint32_t)(k / (uint64_t)per);
		u = g->U - (int)(k % (uint64_t)per + 1) * ly->units[n->tier] + 1;
	}
	ly->node_rack[i] = rack;
	ly->node_u[i] = (uint16_t)u;
	lf_rack *r = &ly->racks[rack];
	r->devices++;
	if (n->kind == LF_NODE_SERVER)
		r->power_w += pl->spec->server->power_w;
	else if (n->kind == LF_NODE_SWITCH)
		r->power_w += switch_power(lfi_tier_spec(pl->spec, n->tier)->sw);
}

static double routed(const lf_layout *ly, const geo *g, uint32_t a, uint32_t b, int ua, int ub)
{
	const lf_layout_spec *e = &ly->eff;
	const lf_rack *ra = &ly->racks[ly->node_rack[a]], *rb = &ly->racks[ly->node_rack[b]];
	double za = (ly->node_u[a] - 1 + ua / 2.0) * U_M, zb = (ly->node_u[b] - 1 + ub / 2.0) * U_M;
	double ends = 2 * e->slack_m + e->bend_m;
	if (ra == rb)
		return fabs(za - zb) + ends;
	double h = g->U * U_M;
	double dx = fabs((double)ra->col - (double)rb->col) * e->rack_width_m;
	double dy = fabs((double)ra->row - (double)rb->row) * e->row_pitch_m;
	return (h - za) + (h - zb) + 2 * e->tray_height_m + dx + dy + ends;
}

static double part_reach(const lf_media *m)
{
	if (m->cable)
		return m->cable->reach_m;
	if (m->lower && m->upper)
		return fmin(m->lower->reach_m, m->upper->reach_m);
	return 0;
}

static double longest_reach(const lf_catalog *cat, int gbps)
{
	double best = 0;
	for (size_t i = 0; i < lf_catalog_n_optics(cat); i++) {
		const lf_optic *o = lf_catalog_optic_at(cat, i);
		if ((int)o->link_gbps == gbps && o->reach_m > best)
			best = o->reach_m;
	}
	return best;
}

static lf_status check_power(lf_layout *ly, const lf_plan *pl, lf_error *err)
{
	const lf_layout_spec *e = &ly->eff;
	size_t over = 0, worst = 0;
	for (size_t r = 0; r < ly->n_racks; r++)
		if (ly->racks[r].power_w > e->power_budget_w + 1e-6) {
			if (!over || ly->racks[r].power_w > ly->racks[worst].power_w)
				worst = r;
			over++;
		}
	if (!over)
		return LF_OK;
	char id[16];
	lf_layout_rack_id(ly, (uint32_t)worst, id, sizeof id);
	const lf_pos *pos = e->pos_power.line ? &e->pos_power : e->pos_spr.line ? &e->pos_spr : &e->pos;
	if (!e->over_budget_warn)
		return lfi_fail(err, LF_EINPUT, pl->spec->file, pos->line, pos->col,
		                "%zu rack(s) over the %.1f kW power budget, e.g. rack %s draws %.1f kW "
		                "(%u devices at maximum power); lower servers_per_rack, raise "
		                "power_budget, or set over_budget: warn", over,
		                e->power_budget_w / 1000, id, ly->racks[worst].power_w / 1000,
		                ly->racks[worst].devices);
	size_t nl = strlen(ly->notes);
	snprintf(ly->notes + nl, sizeof ly->notes - nl,
	         "warning: %zu rack(s) over the %.1f kW power budget (worst: %s at %.1f kW). ", over,
	         e->power_budget_w / 1000, id, ly->racks[worst].power_w / 1000);
	return LF_OK;
}

void lf_layout_free(lf_layout *ly)
{
	if (!ly)
		return;
	free(ly->racks);
	free(ly->node_rack);
	free(ly->node_u);
	free(ly->routed_m);
	free(ly->length_m);
	free(ly->link_var);
	free(ly->cable_of);
	free(ly);
}

static lf_status link_fail(const lf_plan *pl, const lf_layout *ly, size_t i, double x,
                           const lf_media *m, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	const lf_link *l = &pl->links[i];
	const lf_pos *pos = ly->eff.given ? &ly->eff.pos : &sp->pos_fabric;
	char an[64], bn[64], g1[16], part[160];
	lf_layout_node_name(pl, l->a, an, sizeof an);
	lf_layout_node_name(pl, l->b, bn, sizeof bn);
	lfi_format_gbps(l->gbps, g1, sizeof g1);
	if (m)
		snprintf(part, sizeof part, "the reach of its part %s (%g m, the tier's distance "
		         "chose it)", m->cable ? m->cable->id : m->lower ? m->lower->id : "(none)",
		         part_reach(m));
	else
		snprintf(part, sizeof part, "the reach of every part that fits the link");
	return lfi_fail(err, LF_EINPUT, sp->file, pos->line, pos->col,
	                "%s link %zu (%s port %u -> %s port %u) is routed over %.1f m, beyond %s; "
	                "the longest reach of any %s part in the catalog is %g m",
	                lfi_level_name(l->level), i + 1, an, l->a_port + 1, bn, l->b_port + 1, x, part,
	                g1, longest_reach(pl->cat, (int)l->gbps));
}

/* Reaches of the parts a level could use, ascending: the per-link choice
 * only changes where a part's reach ends. */
static size_t reach_keys(const lf_plan *pl, int gbps, double *keys, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < lf_catalog_n_optics(pl->cat); i++) {
		const lf_optic *o = lf_catalog_optic_at(pl->cat, i);
		if ((int)o->link_gbps != gbps || !lfi_media_allowed(pl->spec, o->id))
			continue;
		bool seen = false;
		for (size_t k = 0; k < n; k++)
			seen = seen || fabs(keys[k] - o->reach_m) < 1e-9;
		if (!seen && n < max)
			keys[n++] = o->reach_m;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && keys[j - 1] > keys[j]; j--) {
			double t = keys[j];
			keys[j] = keys[j - 1];
			keys[j - 1] = t;
		}
	return n;
}

/* The variant of `level` for distance key `d` (0: the level's own medium). */
static int variant(lf_layout *ly, const lf_plan *pl, int level, double d, double *vkey,
                   lf_error *err)
{
	for (size_t v = 0; v < ly->n_var; v++)
		if (ly->var[v].level == level && fabs(vkey[v] - d) < 1e-9)
			return (int)v;
	if (ly->n_var >= LF_LAYOUT_MAX_VAR) {
		lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "more than %d media variants", LF_LAYOUT_MAX_VAR);
		return -2;
	}
	lf_media m;
	if (d <= 0) {
		m = pl->media[level];
	} else {
		lf_error e2;
		if (lfi_media_for_distance(pl, level, d, &m, &e2) != LF_OK)
			return -1;
	}
	vkey[ly->n_var] = d;
	ly->var[ly->n_var] = m;
	return (int)ly->n_var++;
}

/* Routes, then per group of cages wired together (one module or cable
 * serves a cage, so a group shares one medium) the medium for its longest
 * route, the orderable length of every link and the physical cable of each
 * link (bom.c counts them per part and length). */
static lf_status route_links(lf_layout *ly, const lf_plan *pl, const geo *g, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		int ua = ly->units[pl->nodes[l->a].tier], ub = ly->units[pl->nodes[l->b].tier];
		double x = routed(ly, g, l->a, l->b, ua, ub);
		ly->routed_m[i] = (float)x;
		if (x > ly->max_routed_m[l->level])
			ly->max_routed_m[l->level] = x;
	}
	uint32_t nc = pl->n_cages ? pl->n_cages : 1;
	uint32_t *parent = malloc(nc * sizeof *parent);
	float *cmax = calloc(nc, sizeof *cmax);
	uint32_t *first = malloc(nc * sizeof *first);
	size_t nl = pl->n_links ? pl->n_links : 1;
	ly->link_var = malloc(nl * sizeof *ly->link_var);
	ly->cable_of = malloc(nl * sizeof *ly->cable_of);
	lf_status st = (!parent || !cmax || !first || !ly->link_var || !ly->cable_of) ? lfi_oom(err)
	                                                                             : LF_OK;
	for (uint32_t c = 0; st == LF_OK && c < nc; c++) {
		parent[c] = c;
		first[c] = UINT32_MAX;
	}
	for (size_t i = 0; st == LF_OK && i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
		uint32_t ra = lfi_uf_find(parent, a->cage_base + lf_node_cage(a, l->a_port));
		uint32_t rb = lfi_uf_find(parent, b->cage_base + lf_node_cage(b, l->b_port));
		if (ra != rb)
			parent[ra] = rb;
	}
	for (size_t i = 0; st == LF_OK && i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		const lf_node *a = &pl->nodes[l->a];
		uint32_t r = lfi_uf_find(parent, a->cage_base + lf_node_cage(a, l->a_port));
		if (ly->routed_m[i] > cmax[r])
			cmax[r] = ly->routed_m[i];
	}
	double keys[LF_MAX_TIERS + 1][64], vkey[LF_LAYOUT_MAX_VAR];
	size_t nkeys[LF_MAX_TIERS + 1] = { 0 };
	bool fixed[LF_MAX_TIERS + 1];
	for (int lv = 1; lv <= pl->tiers; lv++) {
		fixed[lv] = lfi_tier_spec(sp, lv)->distance_m > 0;
		nkeys[lv] = reach_keys(pl, pl->media[lv].gbps, keys[lv], 64);
	}
	int last_var[LF_MAX_TIERS + 1][64];
	memset(last_var, 0xff, sizeof last_var);
	for (size_t i = 0; st == LF_OK && i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		const lf_node *a = &pl->nodes[l->a];
		uint32_t r = lfi_uf_find(parent, a->cage_base + lf_node_cage(a, l->a_port));
		double x = ly->routed_m[i], xc = cmax[r];
		int v = -1;
		if (fixed[l->level]) {
			v = variant(ly, pl, l->level, 0, vkey, err);
		} else {
			for (size_t k = 0; k < nkeys[l->level] && v < 0; k++) {
				if (keys[l->level][k] + 1e-9 < xc)
					continue;
				if (last_var[l->level][k] >= 0) {
					v = last_var[l->level][k];
					break;
				}
				v = variant(ly, pl, l->level, keys[l->level][k], vkey, err);
				if (v == -2)
					break;
				if (v >= 0)
					last_var[l->level][k] = v;
			}
		}
		if (v == -2) {
			st = LF_EINTERNAL;
			break;
		}
		if (v < 0) {
			st = link_fail(pl, ly, i, xc, NULL, err);
			break;
		}
		const lf_media *m = &ly->var[v];
		double len = lf_layout_order_length(m, m->cable ? xc : x);
		if (len < 0) {
			st = link_fail(pl, ly, i, m->cable ? xc : x, m, err);
			break;
		}
		ly->link_var[i] = (uint8_t)v;
		ly->length_m[i] = (float)len;
		ly->var_links[v]++;
		if (m->cable && first[r] == UINT32_MAX)
			first[r] = (uint32_t)i;
		ly->cable_of[i] = m->cable ? first[r] : (uint32_t)i;
	}
	free(parent);
	free(cmax);
	free(first);
	return st;
}

lf_status lf_layout_build(const lf_plan *pl, lf_layout **out, lf_error *err)
{
	*out = NULL;
	lf_layout *ly = calloc(1, sizeof *ly);
	if (!ly)
		return lfi_oom(err);
	geo g = { 0 };
	lf_status st = defaults(ly, pl, &g, err);
	if (st == LF_OK)
		st = place_floor(ly, pl, &g, err);
	if (st == LF_OK) {
		ly->node_rack = malloc(pl->n_nodes * sizeof *ly->node_rack);
		ly->node_u = malloc(pl->n_nodes * sizeof *ly->node_u);
		ly->routed_m = malloc((pl->n_links ? pl->n_links : 1) * sizeof *ly->routed_m);
		ly->length_m = malloc((pl->n_links ? pl->n_links : 1) * sizeof *ly->length_m);
		if (!ly->node_rack || !ly->node_u || !ly->routed_m || !ly->length_m)
			st = lfi_oom(err);
	}
	if (st == LF_OK) {
		for (size_t i = 0; i < pl->n_nodes; i++)
			place_node(ly, pl, &g, (uint32_t)i);
		st = check_power(ly, pl, err);
	}
	if (st == LF_OK)
		st = route_links(ly, pl, &g, err);
	free(g.su_first);
	free(g.su_net);
	free(g.pod_spine);
	if (st != LF_OK) {
		lf_layout_free(ly);
		return st;
	}
	*out = ly;
	return LF_OK;
}

/* ------------------------------------------------------------------ summary */

static void media_name(const lf_media *m, char *buf, size_t n)
{
	if (m->cable)
		snprintf(buf, n, "%s (%s)", m->cable->id, lfi_optic_kind_name(m->cable->kind));
	else if (m->lower && m->upper)
		snprintf(buf, n, "%s + %s%s%s", m->lower->id, m->upper->id, m->fibre ? " over " : "",
		         m->fibre ? m->fibre->id : "");
	else
		snprintf(buf, n, "-");
}

size_t lf_layout_lengths(const lf_plan *pl, const lf_layout *ly, int level, double *len,
                         uint64_t *cnt, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < pl->n_links; i++) {
		if (pl->links[i].level != level)
			continue;
		double x = ly->length_m[i];
		size_t k = 0;
		while (k < n && fabs(len[k] - x) > 1e-6)
			k++;
		if (k == n && n < max) {
			len[n] = x;
			cnt[n++] = 0;
		}
		if (k < n)
			cnt[k]++;
	}
	for (size_t i = 1; i < n; i++)
		for (size_t j = i; j > 0 && len[j - 1] > len[j]; j--) {
			double t = len[j];
			uint64_t u = cnt[j];
			len[j] = len[j - 1];
			cnt[j] = cnt[j - 1];
			len[j - 1] = t;
			cnt[j - 1] = u;
		}
	return n;
}

lf_status lf_layout_render(const lf_plan *pl, const lf_layout *ly, char **out, lf_error *err)
{
	lfi_buf b;
	lfi_buf_init(&b);
	const lf_layout_spec *e = &ly->eff;
	size_t roles[3] = { 0 }, worst = 0;
	double sum = 0;
	for (size_t r = 0; r < ly->n_racks; r++) {
		roles[ly->racks[r].role]++;
		sum += ly->racks[r].power_w;
		if (ly->racks[r].power_w > ly->racks[worst].power_w)
			worst = r;
	}
	char id[16] = "-";
	if (ly->n_racks)
		lf_layout_rack_id(ly, (uint32_t)worst, id, sizeof id);
	lfi_buf_printf(&b, "\nfloor: %zu racks in %u rows (%zu compute, %zu network, %zu spine/core), "
	               "%dU, %.0fx%.0f mm, row pitch %.2f m\n", ly->n_racks, ly->rows, roles[0],
	               roles[1], roles[2], e->rack_units, e->rack_width_m * 1000,
	               e->rack_depth_m * 1000, e->row_pitch_m);
	lfi_buf_printf(&b, "rack power (max): highest %.1f kW (rack %s), mean %.1f kW, budget %.1f kW "
	               "per rack\n", ly->n_racks ? ly->racks[worst].power_w / 1000 : 0, id,
	               ly->n_racks ? sum / (double)ly->n_racks / 1000 : 0, e->power_budget_w / 1000);
	lfi_buf_puts(&b, "media per link (by each link's routed length; a tier's distance fixes one):\n");
	for (size_t v = 0; v < ly->n_var; v++) {
		char nm[256], c[32];
		media_name(&ly->var[v], nm, sizeof nm);
		lfi_buf_printf(&b, "  %-12s %10s links  %s\n", lfi_level_name(ly->var[v].level),
		               lfi_fmt_count(ly->var_links[v], c, sizeof c), nm);
	}
	lfi_buf_puts(&b, "orderable lengths per level (length: links):\n");
	for (int lv = 1; lv <= pl->tiers; lv++) {
		double len[64];
		uint64_t cnt[64];
		size_t n = lf_layout_lengths(pl, ly, lv, len, cnt, 64);
		lfi_buf_printf(&b, "  %-12s routed up to %.1f m:", lfi_level_name(lv), ly->max_routed_m[lv]);
		for (size_t k = 0; k < n; k++) {
			char c[32];
			lfi_buf_printf(&b, "%s %g m: %s", k ? "," : "", len[k],
			               lfi_fmt_count(cnt[k], c, sizeof c));
		}
		lfi_buf_puts(&b, "\n");
	}
	if (ly->notes[0])
		lfi_buf_printf(&b, "notes: %s\n", ly->notes);
	return lfi_buf_finish(&b, out, err);
}
