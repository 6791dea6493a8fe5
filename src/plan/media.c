/*
 * media.c — chooses the physical medium of every link level.
 *
 * All links of one level (server-leaf, leaf-spine, spine-core) share the
 * same ends: a cage of a given form factor split into `ppc` logical ports at
 * the link speed, and the same distance.  Candidates:
 *
 *  - a transceiver pair: one module per cage at each end, both of the
 *    link's optical standard (e.g. 400GBASE-SR4), carrying exactly the
 *    cage's ppc links (a twin-port module in a 2x400G cage), fitting the
 *    end (finned top on switches, flat top on servers), reach >= distance;
 *    plus a fibre patch cord per link matching medium and connector;
 *  - a cable (DAC/ACC/AEC/AOC) whose shape matches how the topology wires
 *    cages together.  The cages of a level form connected components (two
 *    cages are joined when a link runs between them); a cable with one
 *    connector carrying n links at one end and `legs` connectors at the
 *    other fits only if every component has exactly that shape.  A server
 *    cage whose two ports go to two different rail leaves therefore never
 *    gets a straight twin cable.
 *
 * The spec's policy ranks candidates: cheapest (cost per link), lowest-power
 * (typical watts per link), most-available (lead time).  Ties break on the
 * other two, then on SKU ids, so the choice is deterministic.  prefer_copper
 * restricts the choice to copper when any copper candidate exists.  Deny
 * patterns win over allow patterns.
 *
 * Protocols (media.h): every candidate must run a protocol that both boxes
 * of the level run, and a pair's two modules the same ones of them.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "media.h"

typedef lfi_media_end end_info;

typedef struct shape {
	bool uniform;
	int lower_cages, upper_cages, links;   /* per component */
} shape;

typedef struct cand {
	const lf_optic *lower, *upper, *cable;
	int reversed;
	const lf_fibre *fibre;
	double cost, power;
	int lead;
	bool copper;
} cand;

bool lfi_media_allowed(const lf_spec *sp, const char *id)
{
	for (int i = 0; i < sp->n_deny; i++)
		if (lfi_glob_match(sp->deny[i], id))
			return false;
	if (!sp->n_allow)
		return true;
	for (int i = 0; i < sp->n_allow; i++)
		if (lfi_glob_match(sp->allow[i], id))
			return true;
	return false;
}

/* An explicit allow pattern matches the id (deny still wins elsewhere). */
static bool allowed_by_name(const lf_spec *sp, const char *id)
{
	for (int i = 0; sp && i < sp->n_allow; i++)
		if (lfi_glob_match(sp->allow[i], id))
			return true;
	return false;
}

/* The part runs one of the end's protocols; on an InfiniBand-only link it
 * lists ib or the user allowed it by name. */
static bool proto_ok(const lf_optic *o, const lfi_media_end *e)
{
	if ((lfi_media_protocols(o->protocols) & e->proto) == 0)
		return false;
	return e->proto != LF_PROTO_IB || (o->protocols & LF_PROTO_IB) ||
	       allowed_by_name(e->spec, o->id);
}

bool lfi_media_end_fits(const lf_optic *o, const lfi_media_end *e)
{
	if (e->cpo || o->co_packaged)   /* only its own port serves a co-packaged end */
		return o == e->cpo && o->links == e->ppc;
	return strcasecmp(o->form_factor, e->ff) == 0 && o->links == e->ppc &&
	       (o->fits == LF_FITS_ANY || o->fits == e->end) && proto_ok(o, e) &&
	       (o->drive == LF_DRIVE_RETIMED || (e->linear & LF_DRIVE_BIT(o->drive)));
}

bool lfi_media_cable_proto_ok(const lf_optic *c, const lfi_media_end *e)
{
	return proto_ok(c, e);
}




bool lfi_media_xcvr_ok(const lf_optic *o, int gbps, double distance_m)
{
	return o->kind == LF_OPTIC_TRANSCEIVER && (int)o->link_gbps == gbps &&
	       o->reach_m >= distance_m;
}

bool lfi_media_same_family(const lf_optic *x, const lf_optic *y, unsigned proto)
{
	return strcasecmp(x->standard, y->standard) == 0 &&
	       strcasecmp(x->connector, y->connector) == 0 && x->medium == y->medium &&
	       (lfi_media_protocols(x->protocols) & proto) ==
	               (lfi_media_protocols(y->protocols) & proto);
}

/* ---- cage components of one level (union-find over global cage ids) */

uint32_t lfi_uf_find(uint32_t *parent, uint32_t x)
{
	while (parent[x] != x) {
		parent[x] = parent[parent[x]];
		x = parent[x];
	}
	return x;
}

static lf_status level_shape(const lf_plan *pl, int level, shape *out, lf_error *err)
{
	memset(out, 0, sizeof *out);
	uint32_t *parent = malloc((size_t)pl->n_cages * sizeof *parent);
	/* per root: lower cages, upper cages, links; 0 = unused cage */
	uint32_t *cnt = calloc((size_t)pl->n_cages * 3, sizeof *cnt);
	uint8_t *side = calloc(pl->n_cages, 1);
	if (!parent || !cnt || !side) {
		free(parent);
		free(cnt);
		free(side);
		return lfi_oom(err);
	}
	for (uint32_t i = 0; i < pl->n_cages; i++)
		parent[i] = i;
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		if (l->level != level)
			continue;
		const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
		uint32_t ca = a->cage_base + lf_node_cage(a, l->a_port);
		uint32_t cb = b->cage_base + lf_node_cage(b, l->b_port);
		side[ca] = 1;
		side[cb] = 2;
		uint32_t ra = lfi_uf_find(parent, ca), rb = lfi_uf_find(parent, cb);
		if (ra != rb)
			parent[ra] = rb;
	}
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		if (l->level != level)
			continue;
		const lf_node *a = &pl->nodes[l->a];
		uint32_t ca = a->cage_base + lf_node_cage(a, l->a_port);
		cnt[lfi_uf_find(parent, ca) * 3 + 2]++;
	}
	for (uint32_t c = 0; c < pl->n_cages; c++)
		if (side[c])
			cnt[lfi_uf_find(parent, c) * 3 + (side[c] - 1)]++;
	out->uniform = true;
	bool first = true;
	for (uint32_t c = 0; c < pl->n_cages; c++) {
		if (!side[c] || lfi_uf_find(parent, c) != c)
			continue;
		int lo = (int)cnt[c * 3], up = (int)cnt[c * 3 + 1], ln = (int)cnt[c * 3 + 2];
		if (first) {
			out->lower_cages = lo;
			out->upper_cages = up;
			out->links = ln;
			first = false;
		} else if (lo != out->lower_cages || up != out->upper_cages || ln != out->links) {
			out->uniform = false;
			break;
		}
	}
	if (first)
		out->uniform = false;
	free(parent);
	free(cnt);
	free(side);
	return LF_OK;
}

/* Does cable `c` (end A: one connector of c->links links; end B: legs
 * connectors) fit the shape with end A at `a` and end B at `b`? */
static bool cable_fits(const lf_optic *c, const end_info *a, const end_info *b, int a_cages,
                       int b_cages, int links)
{
	return a_cages == 1 && b_cages == c->legs && links == c->links &&
	       strcasecmp(c->form_factor, a->ff) == 0 && c->links == a->ppc &&
	       strcasecmp(c->form_factor_b, b->ff) == 0 && c->links / c->legs == b->ppc;
}

static const lf_fibre *find_fibre(const lf_catalog *cat, const lf_optic *o)
{
	for (size_t i = 0; i < lf_catalog_n_fibres(cat); i++) {
		const lf_fibre *f = lf_catalog_fibre_at(cat, i);
		if (f->medium == o->medium && strcasecmp(f->connector, o->connector) == 0)
			return f;
	}
	return NULL;
}

/* <0 when x ranks before y under the policy */
static int cmp_cand(const cand *x, const cand *y, lf_policy pol)
{
	double k[3][2] = {
		{ x->cost, y->cost }, { x->power, y->power }, { (double)x->lead, (double)y->lead }
	};
	static const int order[3][3] = { { 0, 1, 2 }, { 1, 0, 2 }, { 2, 0, 1 } };
	for (int i = 0; i < 3; i++) {
		const double *v = k[order[pol][i]];
		if (fabs(v[0] - v[1]) > 1e-9)
			return v[0] < v[1] ? -1 : 1;
	}
	const char *xa = x->cable ? x->cable->id : x->lower->id;
	const char *ya = y->cable ? y->cable->id : y->lower->id;
	int c = strcmp(xa, ya);
	if (c || x->cable || y->cable)
		return c;
	return strcmp(x->upper->id, y->upper->id);
}

static void consider(cand *best, bool *have, const cand *c, const lf_spec *sp)
{
	if (sp->prefer_copper && *have && best->copper != c->copper) {
		if (c->copper)
			*best = *c;
		return;
	}
	if (!*have || cmp_cand(c, best, sp->policy) < 0)
		*best = *c;
	*have = true;
}

static double default_distance(int level)
{
	static const double d[] = { 0, 30, 50, 500 };
	return d[level];
}

/* The first link of a level describes all of them. */
static const lf_link *level_link(const lf_plan *pl, int level)
{
	for (size_t i = 0; i < pl->n_links; i++)
		if (pl->links[i].level == level)
			return &pl->links[i];
	return NULL;
}

const lf_media *lfi_media_table(const lf_plan *pl, size_t *n)
{
	const lf_layout *ly = pl->layout;
	*n = ly ? ly->n_var : (size_t)pl->tiers + 1;
	return ly ? ly->var : pl->media;
}

size_t lfi_media_of(const lf_plan *pl, size_t link)
{
	const lf_layout *ly = pl->layout;
	return ly ? ly->link_var[link] : (size_t)pl->links[link].level;
}

bool lfi_media_level_ends(const lf_plan *pl, int level, lfi_media_end *lo, lfi_media_end *up,
                          int *gbps, double *distance_m)
{
	const lf_spec *sp = pl->spec;
	const lf_link *l = level_link(pl, level);
	if (!l)
		return false;
	const lf_node *a = &pl->nodes[l->a], *b = &pl->nodes[l->b];
	const lf_tier_spec *ts = lfi_tier_spec(sp, level);
	const lf_switch *upper_sw = ts->sw;
	/* the lower end is a server (level 1) or a switch's uplink cages */
	const lf_switch *lower_sw = level == 1 ? NULL : lfi_tier_spec(sp, level - 1)->sw;
	*lo = (end_info){ lower_sw ? lower_sw->form_factor : sp->server->form_factor,
	                  a->up_ppc,
	                  lower_sw ? LF_FITS_SWITCH : LF_FITS_SERVER,
	                  lower_sw ? lower_sw->id : sp->server->id, 0, 0, 0, sp,
	                  lower_sw ? lower_sw->cpo_port : NULL };
	*up = (end_info){ upper_sw->form_factor, b->down_ppc, LF_FITS_SWITCH, upper_sw->id, 0, 0, 0, sp,
	                  upper_sw->cpo_port };
	/* a server's NIC runs the protocols of the mode that splits each port
	 * into one link per plane at this speed */
	lo->box_proto = level == 1 ? (sp->server->nic ? lfi_media_nic_proto(sp->server->nic,
	                                                                    (int)l->gbps,
	                                                                    pl->planes *
	                                                                    (sp->dual_homed ? 2 : 1))
	                                              : LF_PROTO_ANY)
	                           : lfi_media_protocols(lower_sw->protocols);
	up->box_proto = lfi_media_protocols(upper_sw->protocols);
	lo->proto = up->proto = lo->box_proto & up->box_proto;
	lo->linear = lower_sw ? lower_sw->linear_drive : 0;
	up->linear = upper_sw->linear_drive;
	*gbps = (int)l->gbps;
	*distance_m = ts->distance_m > 0 ? ts->distance_m : default_distance(level);
	return true;
}

#define IGNORE_PROTO 1u    /* search() as if the boxes ran every protocol */
#define IGNORE_LINEAR 2u   /* ... and drove linear optics */

/* The best candidate for the level under the spec's policy; false when none.
 * With proto = LF_PROTO_ANY on both ends it ignores what the boxes run (to
 * tell the user when protocols are what excluded every part). */
static bool search(const lf_plan *pl, const lf_media *m, const end_info *lo_in,
                   const end_info *up_in, const shape *sh, unsigned ignore, cand *out)
{
	const lf_spec *sp = pl->spec;
	const lf_catalog *cat = pl->cat;
	end_info lo = *lo_in, up = *up_in;
	bool ignore_proto = ignore & IGNORE_PROTO;
	if (ignore_proto)
		lo.proto = up.proto = LF_PROTO_ANY;
	if (ignore & IGNORE_LINEAR)
		lo.linear = up.linear = LF_DRIVE_BIT(LF_DRIVE_LPO) | LF_DRIVE_BIT(LF_DRIVE_LRO);
	cand best;
	bool have = false;
	/* a co-packaged end has one candidate, its port (no allow/deny: it is
	 * part of the switch); a cable never reaches it */
	size_t n = lf_catalog_n_optics(cat);
	size_t n_lo = lo.cpo ? 1 : n, n_up = up.cpo ? 1 : n;
	for (size_t i = 0; i < n_lo; i++) {
		const lf_optic *x = lo.cpo ? lo.cpo : lf_catalog_optic_at(cat, i);
		if ((int)x->link_gbps != m->gbps || x->reach_m < m->distance_m ||
		    (!x->co_packaged && !lfi_media_allowed(sp, x->id)))
			continue;
		if (x->kind != LF_OPTIC_TRANSCEIVER) {
			if (!sh->uniform || !lfi_media_cable_proto_ok(x, &lo) || up.cpo)
				continue;
			cand c = { .cable = x, .cost = x->price_usd / x->links,
			           .power = x->power_typ_w / x->links, .lead = x->lead_time_weeks,
			           .copper = x->medium == LF_MEDIUM_COPPER };
			if (cable_fits(x, &lo, &up, sh->lower_cages, sh->upper_cages, sh->links))
				consider(&best, &have, &c, sp);
			c.reversed = 1;
			if (cable_fits(x, &up, &lo, sh->upper_cages, sh->lower_cages, sh->links))
				consider(&best, &have, &c, sp);
			continue;
		}
		if (!lfi_media_end_fits(x, &lo))
			continue;
		for (size_t j = 0; j < n_up; j++) {
			const lf_optic *y = up.cpo ? up.cpo : lf_catalog_optic_at(cat, j);
			if (!lfi_media_xcvr_ok(y, m->gbps, m->distance_m) ||
			    (!y->co_packaged && !lfi_media_allowed(sp, y->id)) ||
			    !lfi_media_end_fits(y, &up) ||
			    !lfi_media_same_family(x, y, ignore_proto ? 0 : lo.proto))
				continue;
			const lf_fibre *f = find_fibre(cat, x);
			cand c = { .lower = x, .upper = y, .fibre = f,
			           .cost = x->price_usd / lo.ppc + y->price_usd / up.ppc +
			                   (f ? f->price_usd : 0),
			           .power = x->power_typ_w / lo.ppc + y->power_typ_w / up.ppc,
			           .lead = x->lead_time_weeks > y->lead_time_weeks ? x->lead_time_weeks
			                                                           : y->lead_time_weeks };
			consider(&best, &have, &c, sp);
		}
	}
	if (have)
		*out = best;
	return have;
}

/* The medium of `level` over `distance` (0: the tier's distance); notes
 * (may be NULL) receives what the user should know. */
static lf_status choose(const lf_plan *pl, int level, double distance, lf_media *m, char *notes,
                        size_t notes_size, lf_error *err)
{
	const lf_spec *sp = pl->spec;
	memset(m, 0, sizeof *m);
	m->level = level;
	end_info lo, up;
	if (!lfi_media_level_ends(pl, level, &lo, &up, &m->gbps, &m->distance_m))
		return LF_OK;
	if (distance > 0)
		m->distance_m = distance;
	const lf_tier_spec *ts = lfi_tier_spec(sp, level);
	m->lower_ppc = lo.ppc;
	m->upper_ppc = up.ppc;
	if (notes && ts->distance_m <= 0 && level <= sp->n_tier_specs) {
		size_t nl = strlen(notes);
		if (nl < notes_size)
			snprintf(notes + nl, notes_size - nl,
			         "%s distance not given: assumed %gm. ", lfi_level_name(level), m->distance_m);
	}
	shape sh;
	LF_TRY(level_shape(pl, level, &sh, err));

	cand best;
	bool have = search(pl, m, &lo, &up, &sh, 0, &best);
	char g[16];
	lfi_format_gbps(m->gbps, g, sizeof g);
	if (!have && !lo.proto) {
		/* the boxes share no protocol: no part can help, say what can */
		const lf_nic *nic = level == 1 ? sp->server->nic : NULL;
		char modes[480] = "", as[64] = "";
		if (nic && nic->n_modes) {
			char nm[200];
			lfi_media_nic_modes(nic, nm, sizeof nm);
			snprintf(modes, sizeof modes, "; nic \"%s\" runs per port %s: set fabric planes "
			         "to a mode the switch runs, or use a switch that runs %s", nic->id, nm,
			         lfi_media_proto_name(lo.box_proto));
			snprintf(as, sizeof as, " as %d x %s", pl->planes, g);
		} else {
			snprintf(modes, sizeof modes, "; use a %s of a protocol both run",
			         level == 1 ? "server or leaf switch" : "switch pair");
		}
		return lfi_fail(err, LF_EINPUT, sp->file, ts->pos.line, ts->pos.col,
		                "no protocol in common on the %s links: %s%s%s%s%s runs %s, %s runs %s%s",
		                lfi_level_name(level), lo.what, nic ? " (nic " : "", nic ? nic->id : "",
		                as, nic ? ")" : "", lfi_media_proto_name(lo.box_proto), up.what,
		                lfi_media_proto_name(up.box_proto), modes);
	}
	if (!have) {
		/* would a part fit if protocols or linear drive did not matter? say so */
		char why[480] = "";
		cand any;
		unsigned cause = 0;
		for (unsigned ig = 1; ig <= 3 && !cause; ig++)
			if (search(pl, m, &lo, &up, &sh, ig, &any))
				cause = ig;
		size_t wl = 0;
		if (cause & IGNORE_PROTO)
			wl += (size_t)snprintf(why, sizeof why,
			         " (protocols: the link runs %s, and every part of that shape that "
			         "fits, e.g. %s, runs another protocol%s or pairs with one that does)",
			         lfi_media_proto_name(lo.proto), any.cable ? any.cable->id : any.lower->id,
			         lo.proto == LF_PROTO_IB ? ", does not list ib (name it in optics allow: to "
			                                   "use it on InfiniBand anyway)," : "");
		if ((cause & IGNORE_LINEAR) && wl < sizeof why)
			snprintf(why + wl, sizeof why - wl,
			         " (linear drive: parts that fit, e.g. %s, are linear optics (LPO/LRO), "
			         "which only a switch listing them in linear_drive can drive)",
			         any.cable ? any.cable->id : any.lower->id);
		return lfi_fail(err, LF_EINPUT, sp->file, ts->pos.line, ts->pos.col,
		                "no catalog medium fits the %s links: %s over %gm between %s %s cages "
		                "(%d link%s per cage) on %s and %s cages (%d per cage) on %s%s%s; add a "
		                "transceiver pair or cable of that shape to the catalog, or relax the "
		                "optics allow/deny lists", lfi_level_name(level), g, m->distance_m,
		                lo.ff, level == 1 ? "server" : "switch", lo.ppc, lo.ppc == 1 ? "" : "s",
		                lo.what, up.ff, up.ppc, up.what,
		                sh.uniform ? "" : " (cages wired to several far cages: no cable fits)",
		                why);
	}
	if (notes && best.lower && !best.fibre) {
		/* a transceiver pair needs a patch cord per link: not silently $0 */
		size_t nl = strlen(notes);
		if (nl < notes_size)
			snprintf(notes + nl, notes_size - nl,
			         "%s links: no catalog fibre has connector \"%s\" (%s) of \"%s\": patch "
			         "cords counted at $0; add a fibres: entry. ", lfi_level_name(level),
			         best.lower->connector, lfi_medium_name(best.lower->medium), best.lower->id);
	}
	m->lower = best.lower;
	m->upper = best.upper;
	m->cable = best.cable;
	m->cable_reversed = best.reversed;
	m->fibre = best.fibre;
	static const char *const pol[] = { "cheapest", "lowest power", "shortest lead time" };
	int wl = snprintf(m->why, sizeof m->why, "%s %s per link over %gm%s; $%.0f, %.2f W typ per "
	                  "link; runs %s", pol[sp->policy], g, m->distance_m,
	                  sp->prefer_copper && best.copper ? " (copper preferred)" : "", best.cost,
	                  best.power, lfi_media_proto_name(lo.proto));
	const lf_nic *nic = sp->server->nic;
	if (level == 1 && nic && nic->n_modes && wl > 0 && (size_t)wl < sizeof m->why)
		wl += snprintf(m->why + wl, sizeof m->why - (size_t)wl, " (nic %s as %d x %s)",
		               nic->id, pl->planes * (sp->dual_homed ? 2 : 1), g);
	if ((lo.cpo || up.cpo) && wl > 0 && (size_t)wl < sizeof m->why)
		snprintf(m->why + wl, sizeof m->why - (size_t)wl, "; co-packaged %s: fibre to the "
		         "switch's optical engine, no module there", lo.cpo && up.cpo ? "at both ends"
		         : lo.cpo ? "at the lower end" : "at the upper end");
	return LF_OK;
}

lf_status lfi_media_for_distance(const lf_plan *pl, int level, double distance_m, lf_media *out,
                                 lf_error *err)
{
	return choose(pl, level, distance_m, out, NULL, 0, err);
}

lf_status lfi_media_choose(lf_plan *pl, lf_error *err)
{
	for (int level = 1; level <= pl->tiers; level++)
		LF_TRY(choose(pl, level, 0, &pl->media[level], pl->notes, sizeof pl->notes, err));
	return LF_OK;
}
