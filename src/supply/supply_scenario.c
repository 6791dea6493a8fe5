/*
 * supply_scenario.c — the parser of a supply scenario (`lightfab source`).
 *
 * The same error rules as the spec: every bad value names the file, line
 * and column, what was expected and what was found; unknown keys get a
 * did-you-mean.  What can be checked without a catalog is checked here
 * (ranges, dates inside the horizon, explicit lead times beyond the horizon,
 * suppliers named by pools and reservations, cycles among substitution
 * rules); SKU ids and catalog lead times are checked by lf_supply_solve,
 * which has the catalog, still with the scenario's positions.
 *
 * One file over 800 lines on purpose: the readers of every section share
 * the parse context (the scenario, the document, its key tables for
 * did-you-mean); split, that context would have to become an interface.
 *
 * Shape (docs/source.md has the full reference):
 *
 *   name: eml-shortage
 *   horizon: {start: 2025-10, periods: 18, period: month}
 *   spec: b300-800g-eml.yaml            # or options: [{name, spec}, ...]
 *   demand: {spares: 2%, lateness: {per_gpu_period: 2000}}
 *   substitution: any                    # any | spec | none
 *   substitutions: [{use: SKU-A, for: SKU-B}]   # rules instead
 *   suppliers:
 *     - name: acme
 *       capacity: 20000                  # optional, all SKUs per period
 *       skus:
 *         - {sku: X, price: 1350, lead_time: 36w, capacity: 5000,
 *            ramp: [{from: 2026-04, capacity: 8000}], min_order: 500, lot: 100,
 *            expedite: {lead_time: 20w, premium: 25%}}
 *   laser_pools: [{name: eml-acme, laser: eml, suppliers: [acme], capacity: 40000}]
 *   reservations: [{name: r1, supplier: acme, sku: X, quantity: 2000,
 *                   from: 2026-01, to: 2026-06, price: 1400, take_or_pay: 100%}]
 *   inventory: [{sku: X, quantity: 500}]
 *   solver: {integer: true, time_limit: 20s, value_reservations: true, holding: 0%}
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "supply.h"

#define DAYS_PER_MONTH 30.436875

/* days since 0000-03-01 of the first day of `month` (months since year 0) */
static int month_day(int month)
{
	int y = month / 12, m = month % 12 + 1;
	y -= m <= 2;
	int era = y / 400, yoe = y - era * 400;
	int doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5;
	int doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe;
}

int lfi_sup_month_period(const sup_scenario *s, int month)
{
	if (s->pub.period == LF_PERIOD_MONTH)
		return month - s->pub.start_month;
	int d = month_day(month) - s->start_day;
	return d >= 0 ? d / 7 : -((-d + 6) / 7);
}

int lfi_sup_weeks_periods(const sup_scenario *s, double weeks)
{
	if (s->pub.period == LF_PERIOD_WEEK)
		return (int)ceil(weeks - 1e-9);
	return (int)ceil(weeks * 7 / DAYS_PER_MONTH - 1e-9);
}

double lfi_sup_cap_at(const sup_cap *c, int period)
{
	double v = c->base;
	for (int i = 0; i < c->n_steps; i++)
		if (period >= c->step_period[i])
			v = c->step_cap[i];
	return v;
}

void lf_supply_period_label(lf_period_kind kind, int start_month, int period, char *buf,
                            size_t n)
{
	if (kind == LF_PERIOD_MONTH) {
		lfi_format_month(start_month + period, buf, n);
		return;
	}
	/* civil date of day `start + 7 period` (Hinnant's algorithm) */
	int z = month_day(start_month) + 7 * period;
	int era = (z >= 0 ? z : z - 146096) / 146097;
	int doe = z - era * 146097;
	int yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int y = yoe + era * 400;
	int doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int mp = (5 * doy + 2) / 153;
	int d = doy - (153 * mp + 2) / 5 + 1;
	int m = mp < 10 ? mp + 3 : mp - 9;
	snprintf(buf, n, "%04d-%02d-%02d", y + (m <= 2), m, d);
}

void lf_supply_scenario_free(lf_supply_scenario *sc)
{
	if (!sc)
		return;
	sup_scenario *s = SUP(sc);
	for (size_t i = 0; i < s->pools.len; i++)
		free(LF_VEC_AT(&s->pools, sup_pool, i)->sup);
	lfi_vec_release(&s->suppliers);
	lfi_vec_release(&s->offers);
	lfi_vec_release(&s->pools);
	lfi_vec_release(&s->resv);
	lfi_vec_release(&s->stock);
	lfi_vec_release(&s->rules);
	lfi_vec_release(&s->options);
	lfi_arena_release(&s->arena);
	free(s);
}

/* ------------------------------------------------------------ small readers */

typedef struct pctx {
	sup_scenario *s;
	lfi_ydoc *d;
	lf_error *err;
} pctx;

static lf_status y_name(pctx *c, yaml_node_t *n, const char *what, const char **out)
{
	const char *v;
	LF_TRY(lfi_ystr(c->d, n, what, &v, c->err));
	if (!*v)
		return lfi_yfail(c->err, c->d, n, "%s must not be empty", what);
	*out = lfi_arena_strdup(&c->s->arena, v);
	return *out ? LF_OK : lfi_oom(c->err);
}

/* A non-negative quantity (modules, lasers, dollars). */
static lf_status y_qty(pctx *c, yaml_node_t *n, const char *what, double *out)
{
	return lfi_ydouble(c->d, n, what, 0, 1e12, out, c->err);
}

/* 25% or 0.25 -> 0.25, within [lo, hi] */
static lf_status y_frac(pctx *c, yaml_node_t *n, const char *what, double lo, double hi,
                        double *out)
{
	const char *s;
	LF_TRY(lfi_ystr(c->d, n, what, &s, c->err));
	char buf[64];
	snprintf(buf, sizeof buf, "%s", s);
	size_t len = strlen(buf);
	double scale = 1, v;
	if (len && buf[len - 1] == '%') {
		buf[len - 1] = 0;
		scale = 100;
	}
	if (!lfi_parse_double(buf, &v))
		return lfi_yfail(c->err, c->d, n, "%s must be a fraction (e.g. 0.25 or 25%%), got "
		                 "\"%.60s\"", what, s);
	v /= scale;
	if (v < lo || v > hi)
		return lfi_yfail(c->err, c->d, n, "%s must be between %g%% and %g%%, got \"%.60s\"",
		                 what, lo * 100, hi * 100, s);
	*out = v;
	return LF_OK;
}

/* A lead time: "36w", "9mo", "9 months", "2 weeks", or a bare number of periods. */
static lf_status y_lead(pctx *c, yaml_node_t *n, const char *what, int *out)
{
	const char *s;
	LF_TRY(lfi_ystr(c->d, n, what, &s, c->err));
	char *e;
	double v = strtod(s, &e);
	if (e == s || !isfinite(v) || v < 0 || v > 520)
		goto bad;
	while (isspace((unsigned char)*e))
		e++;
	if (!*e)
		*out = (int)ceil(v - 1e-9);
	else if (!strcmp(e, "w") || !strcmp(e, "wk") || !strcmp(e, "weeks") || !strcmp(e, "week"))
		*out = lfi_sup_weeks_periods(c->s, v);
	else if (!strcmp(e, "mo") || !strcmp(e, "months") || !strcmp(e, "month"))
		*out = c->s->pub.period == LF_PERIOD_MONTH ? (int)ceil(v - 1e-9)
		                                           : (int)ceil(v * DAYS_PER_MONTH / 7 - 1e-9);
	else
		goto bad;
	if (*out >= c->s->pub.periods)
		return lfi_yfail(c->err, c->d, n, "%s \"%s\" is %d period%s, beyond the horizon of %d "
		                 "period%s: nothing ordered could arrive; lengthen the horizon or "
		                 "shorten the lead time", what, s, *out, *out == 1 ? "" : "s",
		                 c->s->pub.periods, c->s->pub.periods == 1 ? "" : "s");
	return LF_OK;
bad:
	return lfi_yfail(c->err, c->d, n, "%s must be a duration such as 12w, 3mo or a number of "
	                 "periods, got \"%.60s\"", what, s);
}

/* A month inside the horizon -> period */
static lf_status y_period(pctx *c, yaml_node_t *n, const char *what, int *out)
{
	int m;
	LF_TRY(lfi_ymonth(c->d, n, what, &m, c->err));
	int p = lfi_sup_month_period(c->s, m);
	if (p < 0 || p >= c->s->pub.periods) {
		char a[32], b[32];
		lf_supply_period_label(c->s->pub.period, c->s->pub.start_month, 0, a, sizeof a);
		lf_supply_period_label(c->s->pub.period, c->s->pub.start_month,
		                       c->s->pub.periods - 1, b, sizeof b);
		return lfi_yfail(c->err, c->d, n, "%s must fall inside the horizon %s .. %s, got \"%s\"",
		                 what, a, b, lfi_yscalar(n));
	}
	*out = p;
	return LF_OK;
}

static lf_status y_seq(pctx *c, yaml_node_t *n, const char *what)
{
	return lfi_yexpect(c->d, n, YAML_SEQUENCE_NODE, what, c->err);
}

#define FOR_ITEMS(c, n, it)                                                                \
	for (yaml_node_item_t *it##_ = (n)->data.sequence.items.start;                     \
	     it##_ < (n)->data.sequence.items.top; it##_++)                                \
		for (yaml_node_t *it = lfi_ynode((c)->d, *it##_); it; it = NULL)

/* capacity: N plus ramp: [{from: month, capacity: N}] */
static lf_status y_cap(pctx *c, yaml_node_t *map, const char *what, sup_cap *cap)
{
	yaml_node_t *n = lfi_yget(c->d, map, "capacity"), *r = lfi_yget(c->d, map, "ramp");
	if (!n && !r)
		return LF_OK;
	cap->set = true;
	cap->pos = lfi_ypos(c->d, n ? n : r);
	char w[96];
	snprintf(w, sizeof w, "%s capacity", what);
	if (n)
		LF_TRY(y_qty(c, n, w, &cap->base));
	if (!r)
		return LF_OK;
	if (!n)
		cap->base = 0;
	LF_TRY(y_seq(c, r, "ramp"));
	FOR_ITEMS(c, r, it) {
		static const char *const keys[] = { "from", "capacity" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "ramp step", keys, LF_ARRAY_LEN(keys), c->err));
		if (cap->n_steps == SUP_MAX_STEP)
			return lfi_yfail(c->err, c->d, it, "at most %d ramp steps", SUP_MAX_STEP);
		yaml_node_t *f, *v;
		LF_TRY(lfi_yrequire(c->d, it, "from", "ramp step", &f, c->err));
		LF_TRY(lfi_yrequire(c->d, it, "capacity", "ramp step", &v, c->err));
		int p;
		LF_TRY(y_period(c, f, "ramp from", &p));
		if (cap->n_steps && p <= cap->step_period[cap->n_steps - 1])
			return lfi_yfail(c->err, c->d, f, "ramp steps must be in date order");
		cap->step_period[cap->n_steps] = p;
		LF_TRY(y_qty(c, v, w, &cap->step_cap[cap->n_steps]));
		cap->n_steps++;
	}
	return LF_OK;
}

static int find_supplier(const sup_scenario *s, const char *name)
{
	for (size_t i = 0; i < s->suppliers.len; i++)
		if (!strcmp(LF_VEC_AT(&s->suppliers, sup_supplier, i)->name, name))
			return (int)i;
	return -1;
}

static lf_status y_supplier_ref(pctx *c, yaml_node_t *n, int *out)
{
	const char *name;
	LF_TRY(lfi_ystr(c->d, n, "supplier", &name, c->err));
	*out = find_supplier(c->s, name);
	if (*out >= 0)
		return LF_OK;
	const char *cands[256];
	size_t k = 0;
	for (size_t i = 0; i < c->s->suppliers.len && k < 256; i++)
		cands[k++] = LF_VEC_AT(&c->s->suppliers, sup_supplier, i)->name;
	const char *dym = lf_did_you_mean(name, cands, k);
	return lfi_yfail(c->err, c->d, n, "unknown supplier \"%s\"%s%s%s (suppliers: are declared "
	                 "under suppliers:)", name, dym ? "; did you mean \"" : "", dym ? dym : "",
	                 dym ? "\"?" : "");
}

/* ---------------------------------------------------------------- sections */

static lf_status parse_price(pctx *c, yaml_node_t *n, sup_offer *o)
{
	if (n->type == YAML_SCALAR_NODE) {
		o->n_seg = 1;
		o->seg_from[0] = 0;
		return y_qty(c, n, "price", &o->seg_usd[0]);
	}
	LF_TRY(lfi_yexpect(c->d, n, YAML_SEQUENCE_NODE, "price (a number or a list of "
	                   "{from: quantity, usd: price} breaks)", c->err));
	FOR_ITEMS(c, n, it) {
		static const char *const keys[] = { "from", "usd" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "price break", keys, LF_ARRAY_LEN(keys), c->err));
		if (o->n_seg == SUP_MAX_SEG)
			return lfi_yfail(c->err, c->d, it, "at most %d price breaks", SUP_MAX_SEG);
		yaml_node_t *f, *u;
		LF_TRY(lfi_yrequire(c->d, it, "from", "price break", &f, c->err));
		LF_TRY(lfi_yrequire(c->d, it, "usd", "price break", &u, c->err));
		double from;
		LF_TRY(y_qty(c, f, "price break from", &from));
		if (o->n_seg == 0 && from != 0)
			return lfi_yfail(c->err, c->d, f, "the first price break must be from: 0, got %g",
			                 from);
		if (o->n_seg && from <= o->seg_from[o->n_seg - 1])
			return lfi_yfail(c->err, c->d, f, "price breaks must have increasing from: "
			                 "quantities, got %g after %g", from, o->seg_from[o->n_seg - 1]);
		o->seg_from[o->n_seg] = from;
		LF_TRY(y_qty(c, u, "price break usd", &o->seg_usd[o->n_seg]));
		o->n_seg++;
	}
	if (!o->n_seg)
		return lfi_yfail(c->err, c->d, n, "price breaks must not be empty");
	return LF_OK;
}

static lf_status parse_expedite(pctx *c, yaml_node_t *n, sup_offer *o)
{
	static const char *const keys[] = { "lead_time", "premium", "premium_usd" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "expedite", keys, LF_ARRAY_LEN(keys), c->err));
	if (o->n_exp == SUP_MAX_EXP)
		return lfi_yfail(c->err, c->d, n, "at most %d expedite options per SKU", SUP_MAX_EXP);
	sup_expedite *e = &o->exp[o->n_exp];
	e->pos = lfi_ypos(c->d, n);
	yaml_node_t *l, *p;
	LF_TRY(lfi_yrequire(c->d, n, "lead_time", "expedite", &l, c->err));
	LF_TRY(y_lead(c, l, "expedite lead_time", &e->lead));
	if ((p = lfi_yget(c->d, n, "premium")))
		LF_TRY(y_frac(c, p, "expedite premium", 0, 100, &e->premium_frac));
	if ((p = lfi_yget(c->d, n, "premium_usd")))
		LF_TRY(y_qty(c, p, "expedite premium_usd", &e->premium_usd));
	o->n_exp++;
	return LF_OK;
}

static lf_status parse_offer(pctx *c, yaml_node_t *n, int sup)
{
	static const char *const keys[] = { "sku", "price", "lead_time", "capacity", "ramp",
	                                    "min_order", "lot", "expedite" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "supplier sku", keys, LF_ARRAY_LEN(keys), c->err));
	sup_offer *o = lfi_vec_push(&c->s->offers);
	if (!o)
		return lfi_oom(c->err);
	o->supplier = sup;
	o->pos = lfi_ypos(c->d, n);
	o->lead = -1;
	yaml_node_t *v;
	LF_TRY(lfi_yrequire(c->d, n, "sku", "supplier sku", &v, c->err));
	o->sku_pos = lfi_ypos(c->d, v);
	LF_TRY(y_name(c, v, "sku", &o->sku));
	for (size_t i = 0; i + 1 < c->s->offers.len; i++) {
		sup_offer *x = LF_VEC_AT(&c->s->offers, sup_offer, i);
		if (x->supplier == sup && !strcmp(x->sku, o->sku))
			return lfi_yfail(c->err, c->d, v, "SKU \"%s\" listed twice for this supplier "
			                 "(first at line %d)", o->sku, x->sku_pos.line);
	}
	if ((v = lfi_yget(c->d, n, "price")))
		LF_TRY(parse_price(c, v, o));
	if ((v = lfi_yget(c->d, n, "lead_time"))) {
		o->lead_pos = lfi_ypos(c->d, v);
		LF_TRY(y_lead(c, v, "lead_time", &o->lead));
	}
	LF_TRY(y_cap(c, n, "SKU", &o->cap));
	if ((v = lfi_yget(c->d, n, "min_order")))
		LF_TRY(y_qty(c, v, "min_order", &o->min_order));
	if ((v = lfi_yget(c->d, n, "lot"))) {
		int64_t lot;
		LF_TRY(lfi_yint(c->d, v, "lot", 1, 1000000000, &lot, c->err));
		o->lot = lot > 1 ? (double)lot : 0;
	}
	if ((v = lfi_yget(c->d, n, "expedite"))) {
		if (v->type == YAML_SEQUENCE_NODE) {
			FOR_ITEMS(c, v, it)
				LF_TRY(parse_expedite(c, it, o));
		} else {
			LF_TRY(parse_expedite(c, v, o));
		}
	}
	return LF_OK;
}

static lf_status parse_suppliers(pctx *c, yaml_node_t *n)
{
	LF_TRY(y_seq(c, n, "suppliers"));
	/* names first, so pools and reservations can refer to any supplier */
	FOR_ITEMS(c, n, it) {
		static const char *const keys[] = { "name", "capacity", "ramp", "skus" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "supplier", keys, LF_ARRAY_LEN(keys), c->err));
		yaml_node_t *v;
		LF_TRY(lfi_yrequire(c->d, it, "name", "supplier", &v, c->err));
		const char *name;
		LF_TRY(y_name(c, v, "supplier name", &name));
		int dup = find_supplier(c->s, name);
		if (dup >= 0)
			return lfi_yfail(c->err, c->d, v, "supplier \"%s\" declared twice (first at line "
			                 "%d)", name, LF_VEC_AT(&c->s->suppliers, sup_supplier,
			                                        (size_t)dup)->pos.line);
		sup_supplier *s = lfi_vec_push(&c->s->suppliers);
		if (!s)
			return lfi_oom(c->err);
		s->name = name;
		s->pos = lfi_ypos(c->d, it);
		LF_TRY(y_cap(c, it, "supplier", &s->cap));
	}
	int k = 0;
	FOR_ITEMS(c, n, it) {
		yaml_node_t *skus;
		LF_TRY(lfi_yrequire(c->d, it, "skus", "supplier", &skus, c->err));
		LF_TRY(y_seq(c, skus, "skus"));
		FOR_ITEMS(c, skus, o)
			LF_TRY(parse_offer(c, o, k));
		k++;
	}
	return LF_OK;
}

static lf_status parse_pools(pctx *c, yaml_node_t *n)
{
	LF_TRY(y_seq(c, n, "laser_pools"));
	FOR_ITEMS(c, n, it) {
		static const char *const keys[] = { "name", "laser", "suppliers", "capacity", "ramp" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "laser pool", keys, LF_ARRAY_LEN(keys), c->err));
		sup_pool *p = lfi_vec_push(&c->s->pools);
		if (!p)
			return lfi_oom(c->err);
		p->pos = lfi_ypos(c->d, it);
		yaml_node_t *v;
		LF_TRY(lfi_yrequire(c->d, it, "laser", "laser pool", &v, c->err));
		static const char *const lasers[] = { "vcsel", "eml", "siph-cw", "dml", "cw" };
		static const lf_laser lv[] = { LF_LASER_VCSEL, LF_LASER_EML, LF_LASER_SIPH_CW,
		                               LF_LASER_DML, LF_LASER_SIPH_CW };
		int li;
		LF_TRY(lfi_yenum(c->d, v, "laser", lasers, LF_ARRAY_LEN(lasers), &li, c->err));
		p->laser = lv[li];
		if ((v = lfi_yget(c->d, it, "name"))) {
			LF_TRY(y_name(c, v, "laser pool name", &p->name));
		} else {
			char buf[64];
			snprintf(buf, sizeof buf, "%s-%zu", lasers[li], c->s->pools.len);
			if (!(p->name = lfi_arena_strdup(&c->s->arena, buf)))
				return lfi_oom(c->err);
		}
		if ((v = lfi_yget(c->d, it, "suppliers"))) {
			if (v->type == YAML_SCALAR_NODE) {
				p->sup = malloc(sizeof *p->sup);
				if (!p->sup)
					return lfi_oom(c->err);
				LF_TRY(y_supplier_ref(c, v, &p->sup[0]));
				p->n_sup = 1;
			} else {
				LF_TRY(y_seq(c, v, "suppliers"));
				size_t cnt = (size_t)(v->data.sequence.items.top - v->data.sequence.items.start);
				if (!cnt)
					return lfi_yfail(c->err, c->d, v, "suppliers must not be empty (leave it "
					                 "out for a pool every supplier draws on)");
				p->sup = malloc(cnt * sizeof *p->sup);
				if (!p->sup)
					return lfi_oom(c->err);
				FOR_ITEMS(c, v, s)
					LF_TRY(y_supplier_ref(c, s, &p->sup[p->n_sup++]));
			}
		}
		LF_TRY(y_cap(c, it, "laser pool", &p->cap));
		if (!p->cap.set)
			return lfi_yfail(c->err, c->d, it, "laser pool needs a capacity (lasers per period)");
	}
	return LF_OK;
}

static lf_status parse_resv(pctx *c, yaml_node_t *n)
{
	LF_TRY(y_seq(c, n, "reservations"));
	FOR_ITEMS(c, n, it) {
		static const char *const keys[] = { "name", "supplier", "sku", "quantity", "from",
		                                    "to", "price", "take_or_pay", "optional" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "reservation", keys, LF_ARRAY_LEN(keys), c->err));
		sup_resv *r = lfi_vec_push(&c->s->resv);
		if (!r)
			return lfi_oom(c->err);
		r->pos = lfi_ypos(c->d, it);
		r->take_or_pay = 1;
		r->to = c->s->pub.periods - 1;
		yaml_node_t *v;
		LF_TRY(lfi_yrequire(c->d, it, "supplier", "reservation", &v, c->err));
		LF_TRY(y_supplier_ref(c, v, &r->supplier));
		LF_TRY(lfi_yrequire(c->d, it, "sku", "reservation", &v, c->err));
		r->sku_pos = lfi_ypos(c->d, v);
		LF_TRY(y_name(c, v, "sku", &r->sku));
		LF_TRY(lfi_yrequire(c->d, it, "quantity", "reservation", &v, c->err));
		LF_TRY(y_qty(c, v, "reservation quantity (modules per period)", &r->quantity));
		LF_TRY(lfi_yrequire(c->d, it, "price", "reservation", &v, c->err));
		LF_TRY(y_qty(c, v, "reservation price", &r->price_usd));
		if ((v = lfi_yget(c->d, it, "from")))
			LF_TRY(y_period(c, v, "reservation from", &r->from));
		if ((v = lfi_yget(c->d, it, "to")))
			LF_TRY(y_period(c, v, "reservation to", &r->to));
		if (r->to < r->from)
			return lfi_yfail(c->err, c->d, v, "reservation ends before it starts");
		if ((v = lfi_yget(c->d, it, "take_or_pay")))
			LF_TRY(y_frac(c, v, "take_or_pay", 0, 1, &r->take_or_pay));
		if ((v = lfi_yget(c->d, it, "optional")))
			LF_TRY(lfi_ybool(c->d, v, "optional", &r->optional, c->err));
		if ((v = lfi_yget(c->d, it, "name"))) {
			LF_TRY(y_name(c, v, "reservation name", &r->name));
		} else {
			char buf[96];
			snprintf(buf, sizeof buf, "%s:%s", LF_VEC_AT(&c->s->suppliers, sup_supplier,
			                                             (size_t)r->supplier)->name, r->sku);
			if (!(r->name = lfi_arena_strdup(&c->s->arena, buf)))
				return lfi_oom(c->err);
		}
	}
	return LF_OK;
}

static lf_status parse_stock(pctx *c, yaml_node_t *n)
{
	LF_TRY(y_seq(c, n, "inventory"));
	FOR_ITEMS(c, n, it) {
		static const char *const keys[] = { "sku", "quantity" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "inventory entry", keys, LF_ARRAY_LEN(keys), c->err));
		sup_stock *k = lfi_vec_push(&c->s->stock);
		if (!k)
			return lfi_oom(c->err);
		k->pos = lfi_ypos(c->d, it);
		yaml_node_t *v;
		LF_TRY(lfi_yrequire(c->d, it, "sku", "inventory entry", &v, c->err));
		k->sku_pos = lfi_ypos(c->d, v);
		LF_TRY(y_name(c, v, "sku", &k->sku));
		LF_TRY(lfi_yrequire(c->d, it, "quantity", "inventory entry", &v, c->err));
		LF_TRY(y_qty(c, v, "inventory quantity", &k->quantity));
	}
	return LF_OK;
}

/* `use: A, for: B`: A may replace B.  Rules chain (A for B, B for C: A for
 * C), so a cycle would make every SKU on it interchangeable with itself
 * through the others: almost always a typo'd direction.  Reject it. */
static lf_status check_cycles(pctx *c)
{
	/* rule j (use X, for Y) is an edge X -> Y; a cycle through rule i is a
	 * path from its `for` back to its `use`: breadth-first over rules */
	size_t nr = c->s->rules.len;
	if (!nr)
		return LF_OK;
	int *parent = malloc(nr * sizeof *parent), *queue = malloc(nr * sizeof *queue);
	if (!parent || !queue) {
		free(parent);
		free(queue);
		return lfi_oom(c->err);
	}
	lf_status st = LF_OK;
	for (size_t i = 0; i < nr && st == LF_OK; i++) {
		const sup_rule *ri = LF_VEC_AT(&c->s->rules, sup_rule, i);
		for (size_t j = 0; j < nr; j++)
			parent[j] = -2;                      /* unvisited */
		size_t head = 0, tail = 0;
		parent[i] = -1;
		queue[tail++] = (int)i;
		int hit = -1;
		while (head < tail && hit < 0) {
			const sup_rule *rj = LF_VEC_AT(&c->s->rules, sup_rule, (size_t)queue[head]);
			int from = queue[head++];
			if (!strcmp(rj->for_, ri->use)) {
				hit = from;
				break;
			}
			for (size_t k = 0; k < nr; k++)
				if (parent[k] == -2 && !strcmp(LF_VEC_AT(&c->s->rules, sup_rule, k)->use,
				                               rj->for_)) {
					parent[k] = from;
					queue[tail++] = (int)k;
				}
		}
		if (hit < 0)
			continue;
		/* the chain i -> ... -> hit, printed as "A -> B -> ... -> A" */
		int chain[64], n = 0;
		for (int k = hit; k >= 0 && n < 64; k = parent[k])
			chain[n++] = k;
		char buf[512];
		size_t off = (size_t)snprintf(buf, sizeof buf, "%s", ri->use);
		for (int k = n - 1; k >= 0 && off < sizeof buf; k--)
			off += (size_t)snprintf(buf + off, sizeof buf - off, " -> %s",
			                        LF_VEC_AT(&c->s->rules, sup_rule, (size_t)chain[k])->for_);
		st = lfi_fail(c->err, LF_EINPUT, c->d->file, ri->pos.line, ri->pos.col,
		              "cyclic substitution: %s (\"use: A, for: B\" lets A replace B and rules "
		              "chain, so the SKUs on a cycle would replace themselves); drop one rule "
		              "of the cycle", buf);
	}
	free(parent);
	free(queue);
	return st;
}

static lf_status parse_rules(pctx *c, yaml_node_t *n)
{
	LF_TRY(y_seq(c, n, "substitutions"));
	FOR_ITEMS(c, n, it) {
		static const char *const keys[] = { "use", "for" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "substitution rule", keys, LF_ARRAY_LEN(keys), c->err));
		sup_rule *r = lfi_vec_push(&c->s->rules);
		if (!r)
			return lfi_oom(c->err);
		r->pos = lfi_ypos(c->d, it);
		yaml_node_t *v;
		LF_TRY(lfi_yrequire(c->d, it, "use", "substitution rule", &v, c->err));
		LF_TRY(y_name(c, v, "use", &r->use));
		LF_TRY(lfi_yrequire(c->d, it, "for", "substitution rule", &v, c->err));
		LF_TRY(y_name(c, v, "for", &r->for_));
		if (!strcmp(r->use, r->for_))
			return lfi_fail(c->err, LF_EINPUT, c->d->file, r->pos.line, r->pos.col,
			                "cyclic substitution: %s may not replace itself", r->use);
	}
	return check_cycles(c);
}

static lf_status add_option(pctx *c, yaml_node_t *at, const char *name, const char *spec)
{
	lf_supply_option *o = lfi_vec_push(&c->s->options);
	if (!o)
		return lfi_oom(c->err);
	o->pos = lfi_ypos(c->d, at);
	o->name = name;
	/* relative to the scenario's directory */
	const char *slash = strrchr(c->s->pub.file, '/');
	if (spec[0] == '/' || !slash) {
		o->spec_path = spec;
		return LF_OK;
	}
	size_t dl = (size_t)(slash - c->s->pub.file) + 1, sl = strlen(spec);
	char *p = lfi_arena_alloc(&c->s->arena, dl + sl + 1);
	if (!p)
		return lfi_oom(c->err);
	memcpy(p, c->s->pub.file, dl);
	memcpy(p + dl, spec, sl + 1);
	o->spec_path = p;
	return LF_OK;
}

/* {name, spec} of an option or project: a unique name, then add_option. */
static lf_status add_named_spec(pctx *c, yaml_node_t *it, const char *what)
{
	yaml_node_t *v;
	const char *name, *path;
	char w[32];
	LF_TRY(lfi_yrequire(c->d, it, "name", what, &v, c->err));
	snprintf(w, sizeof w, "%s name", what);
	LF_TRY(y_name(c, v, w, &name));
	for (size_t j = 0; j < c->s->options.len; j++)
		if (!strcmp(LF_VEC_AT(&c->s->options, lf_supply_option, j)->name, name))
			return lfi_yfail(c->err, c->d, v, "%s \"%s\" is given twice", what, name);
	LF_TRY(lfi_yrequire(c->d, it, "spec", what, &v, c->err));
	snprintf(w, sizeof w, "%s spec", what);
	LF_TRY(y_name(c, v, w, &path));
	return add_option(c, it, name, path);
}

static lf_status parse_options(pctx *c, yaml_node_t *root)
{
	yaml_node_t *sp = lfi_yget(c->d, root, "spec"), *op = lfi_yget(c->d, root, "options");
	if (sp && op)
		return lfi_yfail(c->err, c->d, op, "give either spec: or options:, not both");
	if (sp) {
		const char *path;
		LF_TRY(y_name(c, sp, "spec", &path));
		return add_option(c, sp, NULL, path);
	}
	if (!op)
		return LF_OK;
	LF_TRY(y_seq(c, op, "options"));
	FOR_ITEMS(c, op, it) {
		static const char *const keys[] = { "name", "spec", "incompatible" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "option", keys, LF_ARRAY_LEN(keys), c->err));
		LF_TRY(add_named_spec(c, it, "option"));
	}
	/* incompatible: [names] once every option is known (symmetric) */
	size_t i = 0;
	FOR_ITEMS(c, op, it) {
		yaml_node_t *v = lfi_yget(c->d, it, "incompatible");
		if (v) {
			if (i >= SUP_MAX_OPT)
				return lfi_yfail(c->err, c->d, v, "at most %d options may be declared "
				                 "incompatible", SUP_MAX_OPT);
			LF_TRY(y_seq(c, v, "incompatible (a list of option names)"));
			FOR_ITEMS(c, v, x) {
				const char *nm;
				LF_TRY(lfi_ystr(c->d, x, "option name", &nm, c->err));
				const char *cands[SUP_MAX_OPT];
				size_t j = 0, n = c->s->options.len < SUP_MAX_OPT ? c->s->options.len
				                                                  : SUP_MAX_OPT;
				for (size_t k = 0; k < n; k++)
					cands[k] = LF_VEC_AT(&c->s->options, lf_supply_option, k)->name;
				while (j < n && strcmp(cands[j], nm))
					j++;
				if (j == n) {
					const char *dym = lf_did_you_mean(nm, cands, n);
					return lfi_yfail(c->err, c->d, x, "unknown option \"%s\"%s%s%s", nm,
					                 dym ? "; did you mean \"" : "", dym ? dym : "",
					                 dym ? "\"?" : "");
				}
				if (j == i)
					return lfi_yfail(c->err, c->d, x, "option \"%s\" cannot be "
					                 "incompatible with itself", nm);
				c->s->incompatible[i][j] = c->s->incompatible[j][i] = 1;
			}
		}
		i++;
	}
	return LF_OK;
}

/* projects: [{name, spec, lateness: {per_gpu_period | per_link_period}, priority}] */
static lf_status parse_projects(pctx *c, yaml_node_t *root)
{
	yaml_node_t *pj = lfi_yget(c->d, root, "projects");
	if (!pj)
		return LF_OK;
	if (lfi_yget(c->d, root, "spec") || lfi_yget(c->d, root, "options"))
		return lfi_yfail(c->err, c->d, pj, "give projects: or spec:/options:, not both (each "
		                 "project names its spec)");
	LF_TRY(y_seq(c, pj, "projects"));
	c->s->portfolio = true;
	size_t i = 0;
	FOR_ITEMS(c, pj, it) {
		static const char *const keys[] = { "name", "spec", "lateness", "priority" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "project", keys, LF_ARRAY_LEN(keys), c->err));
		if (i == SUP_MAX_OPT)
			return lfi_yfail(c->err, c->d, it, "at most %d projects", SUP_MAX_OPT);
		yaml_node_t *v;
		LF_TRY(add_named_spec(c, it, "project"));
		c->s->proj_pen[i] = -1;
		c->s->proj_priority[i] = 1;
		if ((v = lfi_yget(c->d, it, "lateness"))) {
			static const char *const lk[] = { "per_gpu_period", "per_link_period" };
			LF_TRY(lfi_ycheck_keys(c->d, v, "lateness", lk, LF_ARRAY_LEN(lk), c->err));
			yaml_node_t *g = lfi_yget(c->d, v, "per_gpu_period");
			yaml_node_t *l = lfi_yget(c->d, v, "per_link_period");
			if ((g && l) || (!g && !l))
				return lfi_yfail(c->err, c->d, v, "give one of per_gpu_period or "
				                 "per_link_period");
			LF_TRY(y_qty(c, g ? g : l, g ? "per_gpu_period" : "per_link_period",
			             &c->s->proj_pen[i]));
			c->s->proj_per_link[i] = l != NULL;
		}
		if ((v = lfi_yget(c->d, it, "priority")))
			LF_TRY(lfi_ydouble(c->d, v, "priority (a weight on the project's lateness)", 0,
			                   1000, &c->s->proj_priority[i], c->err));
		i++;
	}
	if (!i)
		return lfi_yfail(c->err, c->d, pj, "projects: must list at least one project");
	return LF_OK;
}

/* uncertainty: {commit: N, scenarios: [{name, probability, overrides:
 * {pools: {NAME: cap}, suppliers: {NAME: cap}, lead_times: {SUPPLIER: lead},
 * prices: {SUPPLIER: factor}}}]} (after pools and suppliers) */
static lf_status parse_uncertainty(pctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "commit", "scenarios" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "uncertainty", keys, LF_ARRAY_LEN(keys), c->err));
	sup_scenario *s = c->s;
	s->unc_pos = lfi_ypos(c->d, n);
	yaml_node_t *v, *sv;
	LF_TRY(lfi_yrequire(c->d, n, "commit", "uncertainty", &v, c->err));
	int64_t cm;
	LF_TRY(lfi_yint(c->d, v, "commit (periods whose orders all scenarios share)", 0, 1000000,
	                &cm, c->err));
	if (cm > s->pub.periods)
		return lfi_yfail(c->err, c->d, v, "commit %lld is beyond the horizon of %d periods",
		                 (long long)cm, s->pub.periods);
	s->commit = (int)cm;
	LF_TRY(lfi_yrequire(c->d, n, "scenarios", "uncertainty", &sv, c->err));
	LF_TRY(y_seq(c, sv, "uncertainty scenarios"));
	double total = 0;
	FOR_ITEMS(c, sv, it) {
		static const char *const uk[] = { "name", "probability", "overrides" };
		LF_TRY(lfi_ycheck_keys(c->d, it, "uncertainty scenario", uk, LF_ARRAY_LEN(uk), c->err));
		if (s->n_unc == SUP_MAX_UNC)
			return lfi_yfail(c->err, c->d, it, "at most %d uncertainty scenarios", SUP_MAX_UNC);
		sup_unc *u = &s->unc[s->n_unc++];
		LF_TRY(lfi_yrequire(c->d, it, "name", "uncertainty scenario", &v, c->err));
		LF_TRY(y_name(c, v, "scenario name", &u->name));
		LF_TRY(lfi_yrequire(c->d, it, "probability", "uncertainty scenario", &v, c->err));
		LF_TRY(y_frac(c, v, "probability", 0, 1, &u->prob));
		total += u->prob;
		if (!(v = lfi_yget(c->d, it, "overrides")))
			continue;
		/* in OVR_* order */
		static const char *const ok[] = { "pools", "suppliers", "lead_times", "prices" };
		static const char *const shape[] = { "pools overrides ({name: capacity})",
			"suppliers overrides ({name: capacity})",
			"lead_times overrides ({supplier: lead time})",
			"prices overrides ({supplier: factor, e.g. 120%})" };
		LF_TRY(lfi_ycheck_keys(c->d, v, "overrides", ok, LF_ARRAY_LEN(ok), c->err));
		for (int kind = 0; kind < 4; kind++) {
			yaml_node_t *m = lfi_yget(c->d, v, ok[kind]);
			if (!m)
				continue;
			LF_TRY(lfi_yexpect(c->d, m, YAML_MAPPING_NODE, shape[kind], c->err));
			for (yaml_node_pair_t *pr = m->data.mapping.pairs.start;
			     pr < m->data.mapping.pairs.top; pr++) {
				yaml_node_t *k = lfi_ynode(c->d, pr->key), *x = lfi_ynode(c->d, pr->value);
				const char *nm = lfi_yscalar(k);
				const lfi_vec *vec = kind ? &s->suppliers : &s->pools;
				const char *cands[256];
				size_t nc = 0, j = 0;
				for (; j < vec->len; j++) {
					const char *cn = kind ? LF_VEC_AT(vec, sup_supplier, j)->name
					                      : LF_VEC_AT(vec, sup_pool, j)->name;
					if (nc < 256)
						cands[nc++] = cn;
					if (nm && !strcmp(cn, nm))
						break;
				}
				if (!nm || j == vec->len) {
					const char *dym = nm ? lf_did_you_mean(nm, cands, nc) : NULL;
					return lfi_yfail(c->err, c->d, k, "override names unknown %s \"%s\"%s%s%s",
					                 kind ? "supplier" : "laser pool", nm ? nm : "",
					                 dym ? "; did you mean \"" : "", dym ? dym : "",
					                 dym ? "\"?" : "");
				}
				if (u->n_ovr == SUP_MAX_OVR)
					return lfi_yfail(c->err, c->d, k, "at most %d overrides per scenario",
					                 SUP_MAX_OVR);
				u->ovr[u->n_ovr].kind = kind;
				u->ovr[u->n_ovr].ref = (int)j;
				double *val = &u->ovr[u->n_ovr].value;
				if (kind == OVR_LEAD) {
					int lead;
					LF_TRY(y_lead(c, x, "lead time override", &lead));
					*val = lead;
				} else if (kind == OVR_PRICE) {
					LF_TRY(y_frac(c, x, "price factor override", 0, 100, val));
				} else {
					LF_TRY(y_qty(c, x, "capacity override", val));
				}
				u->n_ovr++;
			}
		}
	}
	if (!s->n_unc)
		return lfi_yfail(c->err, c->d, sv, "uncertainty scenarios must list at least one");
	if (fabs(total - 1) > 1e-6)
		return lfi_yfail(c->err, c->d, sv, "scenario probabilities must sum to 1, got %.6g",
		                 total);
	return LF_OK;
}

/* option_costs: {equipment: true, energy: {usd_per_kwh: 0.08, period: 36mo}} */
static lf_status parse_option_costs(pctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "equipment", "energy" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "option_costs", keys, LF_ARRAY_LEN(keys), c->err));
	yaml_node_t *v;
	if ((v = lfi_yget(c->d, n, "equipment")))
		LF_TRY(lfi_ybool(c->d, v, "equipment", &c->s->equipment, c->err));
	if ((v = lfi_yget(c->d, n, "energy"))) {
		static const char *const ek[] = { "usd_per_kwh", "period" };
		LF_TRY(lfi_ycheck_keys(c->d, v, "energy", ek, LF_ARRAY_LEN(ek), c->err));
		yaml_node_t *x;
		LF_TRY(lfi_yrequire(c->d, v, "usd_per_kwh", "energy", &x, c->err));
		LF_TRY(lfi_ydouble(c->d, x, "usd_per_kwh", 0, 100, &c->s->usd_per_kwh, c->err));
		LF_TRY(lfi_yrequire(c->d, v, "period", "energy", &x, c->err));
		const char *str;
		LF_TRY(lfi_ystr(c->d, x, "energy period", &str, c->err));
		char *e;
		double q = strtod(str, &e);
		double hours = !strcmp(e, "y") || !strcmp(e, "years") ? q * 8766
		             : !strcmp(e, "mo") || !strcmp(e, "months") ? q * 8766 / 12
		             : !strcmp(e, "h") ? q : -1;
		if (e == str || !(q > 0) || hours <= 0 || hours > 50 * 8766)
			return lfi_yfail(c->err, c->d, x, "energy period must be a duration such as 3y, "
			                 "36mo or 26000h (at most 50 years), got \"%.60s\"", str);
		c->s->energy_hours = hours;
	}
	return LF_OK;
}

static lf_status parse_demand(pctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "spares", "lateness", "unmet_per_link" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "demand", keys, LF_ARRAY_LEN(keys), c->err));
	yaml_node_t *v;
	if ((v = lfi_yget(c->d, n, "spares")))
		LF_TRY(y_frac(c, v, "spares", 0, 1, &c->s->spares));
	if ((v = lfi_yget(c->d, n, "unmet_per_link")))
		LF_TRY(y_qty(c, v, "unmet_per_link", &c->s->unmet_link));
	if ((v = lfi_yget(c->d, n, "lateness"))) {
		static const char *const lk[] = { "per_gpu_period", "per_link_period" };
		LF_TRY(lfi_ycheck_keys(c->d, v, "lateness", lk, LF_ARRAY_LEN(lk), c->err));
		yaml_node_t *g = lfi_yget(c->d, v, "per_gpu_period"), *l = lfi_yget(c->d, v,
		                                                                    "per_link_period");
		if (g && l)
			return lfi_yfail(c->err, c->d, l, "give per_gpu_period or per_link_period, not "
			                 "both");
		if (g)
			LF_TRY(y_qty(c, g, "per_gpu_period", &c->s->pen_gpu));
		if (l) {
			LF_TRY(y_qty(c, l, "per_link_period", &c->s->pen_link));
			c->s->pen_per_link = true;
		}
	}
	return LF_OK;
}

static lf_status parse_solver(pctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "integer", "time_limit", "value_reservations",
	                                    "holding", "price_choices" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "solver", keys, LF_ARRAY_LEN(keys), c->err));
	yaml_node_t *v;
	if ((v = lfi_yget(c->d, n, "integer")))
		LF_TRY(lfi_ybool(c->d, v, "integer", &c->s->integer, c->err));
	if ((v = lfi_yget(c->d, n, "price_choices")))
		LF_TRY(lfi_ybool(c->d, v, "price_choices", &c->s->price_choices, c->err));
	if ((v = lfi_yget(c->d, n, "value_reservations")))
		LF_TRY(lfi_ybool(c->d, v, "value_reservations", &c->s->value_resv, c->err));
	if ((v = lfi_yget(c->d, n, "holding")))
		LF_TRY(y_frac(c, v, "holding (per period, of the unit price)", 0, 1, &c->s->holding));
	if ((v = lfi_yget(c->d, n, "time_limit"))) {
		const char *s;
		LF_TRY(lfi_ystr(c->d, v, "time_limit", &s, c->err));
		char *e;
		double t = strtod(s, &e);
		if (e == s || !(t > 0) || t > 86400 || (*e && strcmp(e, "s")))
			return lfi_yfail(c->err, c->d, v, "time_limit must be seconds, e.g. 20s, got "
			                 "\"%.60s\"", s);
		c->s->time_limit_s = t;
	}
	return LF_OK;
}

static lf_status parse_horizon(pctx *c, yaml_node_t *n)
{
	static const char *const keys[] = { "start", "periods", "period" };
	LF_TRY(lfi_ycheck_keys(c->d, n, "horizon", keys, LF_ARRAY_LEN(keys), c->err));
	yaml_node_t *v;
	LF_TRY(lfi_yrequire(c->d, n, "start", "horizon", &v, c->err));
	LF_TRY(lfi_ymonth(c->d, v, "horizon start", &c->s->pub.start_month, c->err));
	if ((v = lfi_yget(c->d, n, "period"))) {
		static const char *const kinds[] = { "month", "week" };
		int k;
		LF_TRY(lfi_yenum(c->d, v, "period", kinds, 2, &k, c->err));
		c->s->pub.period = (lf_period_kind)k;
	}
	c->s->start_day = month_day(c->s->pub.start_month);
	LF_TRY(lfi_yrequire(c->d, n, "periods", "horizon", &v, c->err));
	int64_t p;
	LF_TRY(lfi_yint(c->d, v, "horizon periods", 1, 520, &p, c->err));
	c->s->pub.periods = (int)p;
	return LF_OK;
}

static lf_status parse_scenario(pctx *c)
{
	static const char *const keys[] = { "name", "horizon", "spec", "options", "projects",
	                                    "choose",
	                                    "option_costs", "demand",
	                                    "substitution", "substitutions", "suppliers",
	                                    "laser_pools", "reservations", "inventory", "solver",
	                                    "uncertainty" };
	yaml_node_t *root = lfi_ydoc_root(c->d), *v;
	LF_TRY(lfi_ycheck_keys(c->d, root, "supply scenario", keys, LF_ARRAY_LEN(keys), c->err));
	if ((v = lfi_yget(c->d, root, "name")))
		LF_TRY(y_name(c, v, "name", &c->s->pub.name));
	LF_TRY(lfi_yrequire(c->d, root, "horizon", "supply scenario", &v, c->err));
	LF_TRY(parse_horizon(c, v));
	LF_TRY(parse_options(c, root));
	LF_TRY(parse_projects(c, root));
	if ((v = lfi_yget(c->d, root, "choose"))) {
		if (c->s->portfolio)
			return lfi_yfail(c->err, c->d, v, "choose: applies to options:, not to projects:");
		static const char *const modes[] = { "side-by-side", "per-stage" };
		int m;
		LF_TRY(lfi_yenum(c->d, v, "choose", modes, 2, &m, c->err));
		c->s->per_stage = m == 1;
		c->s->choose_pos = lfi_ypos(c->d, v);
		if (c->s->per_stage && c->s->options.len < 2)
			return lfi_yfail(c->err, c->d, v, "choose: per-stage needs options: with at least "
			                 "two specs");
		if (c->s->options.len > SUP_MAX_OPT && c->s->per_stage)
			return lfi_yfail(c->err, c->d, v, "choose: per-stage takes at most %d options, "
			                 "got %zu", SUP_MAX_OPT, c->s->options.len);
	}
	if ((v = lfi_yget(c->d, root, "option_costs")))
		LF_TRY(parse_option_costs(c, v));
	if ((v = lfi_yget(c->d, root, "demand")))
		LF_TRY(parse_demand(c, v));
	if ((v = lfi_yget(c->d, root, "substitution"))) {
		static const char *const modes[] = { "any", "spec", "none" };
		int m;
		LF_TRY(lfi_yenum(c->d, v, "substitution", modes, 3, &m, c->err));
		c->s->subst = (sup_subst)m;
	}
	if ((v = lfi_yget(c->d, root, "substitutions"))) {
		if (lfi_yget(c->d, root, "substitution"))
			return lfi_yfail(c->err, c->d, v, "give substitution: (any, spec, none) or "
			                 "substitutions: (rules), not both");
		LF_TRY(parse_rules(c, v));
		c->s->subst = SUB_RULES;
	}
	LF_TRY(lfi_yrequire(c->d, root, "suppliers", "supply scenario", &v, c->err));
	LF_TRY(parse_suppliers(c, v));
	if ((v = lfi_yget(c->d, root, "laser_pools")))
		LF_TRY(parse_pools(c, v));
	if ((v = lfi_yget(c->d, root, "reservations")))
		LF_TRY(parse_resv(c, v));
	if ((v = lfi_yget(c->d, root, "inventory")))
		LF_TRY(parse_stock(c, v));
	if ((v = lfi_yget(c->d, root, "solver")))
		LF_TRY(parse_solver(c, v));
	if ((v = lfi_yget(c->d, root, "uncertainty"))) {
		if (c->s->per_stage || c->s->portfolio)
			return lfi_yfail(c->err, c->d, v, "uncertainty: is not supported with choose: "
			                 "per-stage or projects:");
		LF_TRY(parse_uncertainty(c, v));
	}
	return LF_OK;
}

lf_status lf_supply_scenario_load_buffer(const char *name, const char *data, size_t len,
                                         lf_supply_scenario **out, lf_error *err)
{
	*out = NULL;
	sup_scenario *s = calloc(1, sizeof *s);
	if (!s)
		return lfi_oom(err);
	s->pub.impl_ = s;
	lfi_vec_init(&s->suppliers, sizeof(sup_supplier));
	lfi_vec_init(&s->offers, sizeof(sup_offer));
	lfi_vec_init(&s->pools, sizeof(sup_pool));
	lfi_vec_init(&s->resv, sizeof(sup_resv));
	lfi_vec_init(&s->stock, sizeof(sup_stock));
	lfi_vec_init(&s->rules, sizeof(sup_rule));
	lfi_vec_init(&s->options, sizeof(lf_supply_option));
	s->pen_gpu = 2000;        /* assumption, see docs/source.md */
	s->unmet_link = -1;
	s->integer = true;
	s->time_limit_s = 20;
	s->value_resv = true;
	s->price_choices = true;
	s->pub.file = lfi_arena_strdup(&s->arena, name ? name : "scenario");
	if (!s->pub.file) {
		free(s);
		return lfi_oom(err);
	}
	s->pub.name = "supply";
	lfi_ydoc d;
	lf_status st = lfi_ydoc_load(&d, s->pub.file, data, len, err);
	if (st == LF_OK) {
		pctx c = { s, &d, err };
		st = parse_scenario(&c);
		lfi_ydoc_release(&d);
	}
	if (st != LF_OK) {
		lf_supply_scenario_free(&s->pub);
		return st;
	}
	s->pub.options = s->options.data;
	s->pub.n_options = s->options.len;
	s->pub.joint = s->per_stage || s->portfolio;
	*out = &s->pub;
	return LF_OK;
}

lf_status lf_supply_scenario_load(const char *path, lf_supply_scenario **out, lf_error *err)
{
	size_t len;
	char *data = lfi_read_file(path, &len, err);
	if (!data) {
		*out = NULL;
		return LF_EIO;
	}
	lf_status st = lf_supply_scenario_load_buffer(path, data, len, out, err);
	free(data);
	return st;
}
