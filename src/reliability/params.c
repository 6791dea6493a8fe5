/*
 * params.c — the reliability parameters: the built-in class rates (each
 * with its source or marked an assumption) and the params file's parser
 * (fit: class defaults, sku: overrides, durations, fill rate), errors at
 * file:line:col.  The model that uses them is in reliability.c.
 */
#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "reliability.h"

/* Built-in class defaults.  Keep in step with examples/reliability.yaml. */
static const struct builtin_rate {
	lf_rel_class cls;
	double fit;
	const char *source;
} builtin[] = {
	{ LF_RC_XCVR_VCSEL, 300, "assumption: no public per-module FIT for 400G/800G VCSEL "
	  "modules (catalog-facts.md sec. 4 gap); 300 FIT = 0.26%/yr" },
	{ LF_RC_XCVR_EML, 250, "assumption: no public per-module FIT for EML modules; 250 FIT "
	  "= 0.22%/yr, within the 50-500 FIT per component a vendor blog quotes [U] and far "
	  "below 1991 telecom laser modules, 3,000-12,000 FIT [P] (Unger & Spencer, Opt. Eng. "
	  "30(6), doi 10.1117/12.55864)" },
	{ LF_RC_XCVR_SIPH_CW, 200, "assumption: SiPh + CW laser, fewer lasers per module than "
	  "EML (catalog-facts.md sec. 5); no public FIT" },
	{ LF_RC_XCVR_DML, 250, "assumption: as EML; no public FIT" },
	{ LF_RC_XCVR_OTHER, 300, "assumption: laser type unknown, the highest transceiver class" },
	{ LF_RC_AOC, 500, "assumption: optics at both ends of one part (about two modules' "
	  "worth of VCSEL optics); no public FIT" },
	{ LF_RC_DAC, 20, "assumption: passive copper, connector and handling failures only" },
	{ LF_RC_ACC, 50, "assumption: linear redriver in the cable head" },
	{ LF_RC_AEC, 100, "assumption: retimer DSP in each cable head" },
	{ LF_RC_FIBRE, 0, "not modelled by default: patch-cord faults (contamination, bends) "
	  "have no public rate; set one to include them" },
	{ LF_RC_SWITCH, 4000, "assumption: MTBF 250,000 h for a 1U data-centre switch, a common "
	  "datasheet order of magnitude; no primary figure for these models" },
	{ LF_RC_NIC, 500, "assumption: 0.44%/yr per NIC; no public per-NIC FIT" },
	{ LF_RC_SERVER, 0, "excluded by default: GPU/host failures are outside the network "
	  "model (Meta's Llama 3 run: GPU 148 and HBM3 72 of 419 interruptions)" },
};

/* ------------------------------------------------------------------- params */

typedef struct params_impl {
	lf_reliability_params pub;
	lfi_arena arena;
	lfi_vec sku;                /* lf_rel_sku_rate */
} params_impl;

static void params_defaults(lf_reliability_params *p)
{
	for (size_t i = 0; i < LF_ARRAY_LEN(builtin); i++) {
		p->class_fit[builtin[i].cls].fit = builtin[i].fit;
		p->class_fit[builtin[i].cls].source = builtin[i].source;
	}
	p->link_flap.fit = 0;
	p->link_flap.source = "not modelled by default: no public per-link flap rate";
	p->checkpoint_h = 5.0 / 60;    /* assumption */
	p->restart_h = 10.0 / 60;      /* assumption */
	p->repair_h = 4;               /* assumption */
	p->lead_time_h = 14 * 24;      /* assumption */
	p->fill_rate = 0.95;
	p->horizon_h = 30 * 24;
}

void lf_reliability_params_free(lf_reliability_params *p)
{
	if (!p)
		return;
	params_impl *pi = (params_impl *)p;
	lfi_vec_release(&pi->sku);
	lfi_arena_release(&pi->arena);
	free(pi);
}

/* "5min", "24h", "2w", "90s", "1.5d" -> hours */
static bool parse_duration_h(const char *s, double *h)
{
	char *e;
	while (isspace((unsigned char)*s))
		s++;
	if (!isdigit((unsigned char)*s) && *s != '.')
		return false;
	double v = strtod(s, &e);
	if (e == s || !isfinite(v) || v < 0)
		return false;
	while (isspace((unsigned char)*e))
		e++;
	static const struct { const char *u; double h; } units[] = {
		{ "s", 1.0 / 3600 }, { "sec", 1.0 / 3600 }, { "min", 1.0 / 60 }, { "m", 1.0 / 60 },
		{ "h", 1 }, { "hr", 1 }, { "hours", 1 }, { "d", 24 }, { "days", 24 },
		{ "w", 168 }, { "weeks", 168 }, { "y", HOURS_PER_YEAR }, { "years", HOURS_PER_YEAR },
	};
	for (size_t i = 0; i < LF_ARRAY_LEN(units); i++)
		if (strcmp(e, units[i].u) == 0) {
			*h = v * units[i].h;
			return true;
		}
	return false;
}

static lf_status y_duration(lfi_ydoc *d, yaml_node_t *n, const char *what, bool zero_ok,
                            double *out, lf_error *err)
{
	const char *s;
	LF_TRY(lfi_ystr(d, n, what, &s, err));
	double h;
	if (!parse_duration_h(s, &h))
		return lfi_yfail(err, d, n, "%s must be a duration with its unit (e.g. 90s, 5min, "
		                 "24h, 14d, 2w), got \"%.60s\"", what, s);
	if ((!zero_ok && h <= 0) || h > 100 * HOURS_PER_YEAR)
		return lfi_yfail(err, d, n, "%s must be %s and at most 100 years, got \"%.60s\"",
		                 what, zero_ok ? ">= 0" : "more than 0", s);
	*out = h;
	return LF_OK;
}

/* A rate: 250 (FIT), "250 FIT", or "0.5%" (annual failure rate). */
static lf_status y_rate_scalar(lfi_ydoc *d, yaml_node_t *n, const char *what, double *fit,
                               lf_error *err)
{
	const char *s;
	LF_TRY(lfi_ystr(d, n, what, &s, err));
	size_t len = strlen(s);
	char buf[64];
	if (len >= sizeof buf)
		return lfi_yfail(err, d, n, "%s must be a FIT figure (e.g. 250) or an annual "
		                 "failure rate (e.g. 0.5%%), got a %zu-character value", what, len);
	memcpy(buf, s, len + 1);
	while (len && isspace((unsigned char)buf[len - 1]))
		buf[--len] = 0;
	bool afr = false;
	if (len && buf[len - 1] == '%') {
		afr = true;
		buf[--len] = 0;
	} else if (len > 3 && strcasecmp(buf + len - 3, "fit") == 0) {
		len -= 3;
		buf[len] = 0;
	}
	double v;
	if (!lfi_parse_double(buf, &v))
		return lfi_yfail(err, d, n, "%s must be a FIT figure (e.g. 250) or an annual failure "
		                 "rate (e.g. 0.5%%), got \"%.60s\"", what, s);
	if (afr) {
		if (v < 0 || v >= 100)
			return lfi_yfail(err, d, n, "%s: an annual failure rate must be >= 0%% and "
			                 "below 100%%, got \"%.60s\"", what, s);
		/* exponential: P(fail within a year) = 1 - e^(-λ·year) */
		v = -log1p(-v / 100) / HOURS_PER_YEAR * 1e9;
	} else if (v < 0 || v > 1e9) {
		return lfi_yfail(err, d, n, "%s must be between 0 and 1e9 FIT, got \"%.60s\"", what, s);
	}
	*fit = v;
	return LF_OK;
}

/* A rate as a scalar, or {fit: X | afr: Y%, source: "..."}. */
static lf_status y_rate(params_impl *pi, lfi_ydoc *d, yaml_node_t *n, const char *what,
                        lf_rel_rate *out, lf_error *err)
{
	out->pos = lfi_ypos(d, n);
	out->source = NULL;
	if (n->type != YAML_MAPPING_NODE)
		return y_rate_scalar(d, n, what, &out->fit, err);
	static const char *const keys[] = { "fit", "afr", "source" };
	LF_TRY(lfi_ycheck_keys(d, n, what, keys, LF_ARRAY_LEN(keys), err));
	yaml_node_t *f = lfi_yget(d, n, "fit"), *a = lfi_yget(d, n, "afr"), *s;
	if (f && a)
		return lfi_yfail(err, d, a, "%s: give either fit or afr, not both", what);
	if (!f && !a)
		return lfi_yfail(err, d, n, "%s needs \"fit\" (failures per 1e9 h) or \"afr\" "
		                 "(annual failure rate, e.g. 0.5%%)", what);
	if (f) {
		LF_TRY(y_rate_scalar(d, f, what, &out->fit, err));
	} else {
		const char *v = lfi_yscalar(a);
		if (v && !strchr(v, '%'))
			return lfi_yfail(err, d, a, "%s afr must be a percentage (e.g. 0.5%%), got "
			                 "\"%.60s\"", what, v);
		LF_TRY(y_rate_scalar(d, a, what, &out->fit, err));
	}
	if ((s = lfi_yget(d, n, "source"))) {
		const char *v;
		LF_TRY(lfi_ystr(d, s, "source", &v, err));
		out->source = lfi_arena_strdup(&pi->arena, v);
		if (!out->source)
			return lfi_oom(err);
	}
	return LF_OK;
}

static lf_status set_class(params_impl *pi, lfi_ydoc *d, yaml_node_t *n, lf_rel_class c,
                           const char *what, lf_error *err)
{
	lf_rel_rate r;
	LF_TRY(y_rate(pi, d, n, what, &r, err));
	if (!r.source) {
		char buf[600];
		snprintf(buf, sizeof buf, "params file %s:%d", d->file, r.pos.line);
		r.source = lfi_arena_strdup(&pi->arena, buf);
		if (!r.source)
			return lfi_oom(err);
	}
	pi->pub.class_fit[c] = r;
	pi->pub.class_from_file[c] = 1;
	return LF_OK;
}

static lf_status parse_fit(params_impl *pi, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	static const char *const keys[] = { "transceiver", "aoc", "dac", "acc", "aec", "fibre",
	                                    "switch", "nic", "server" };
	static const lf_rel_class cls[] = { LF_RC_XCVR_OTHER, LF_RC_AOC, LF_RC_DAC, LF_RC_ACC,
	                                    LF_RC_AEC, LF_RC_FIBRE, LF_RC_SWITCH, LF_RC_NIC,
	                                    LF_RC_SERVER };
	LF_TRY(lfi_ycheck_keys(d, m, "fit", keys, LF_ARRAY_LEN(keys), err));
	for (size_t i = 1; i < LF_ARRAY_LEN(keys); i++) {
		yaml_node_t *n = lfi_yget(d, m, keys[i]);
		char what[64];
		snprintf(what, sizeof what, "fit %s", keys[i]);
		if (n)
			LF_TRY(set_class(pi, d, n, cls[i], what, err));
	}
	yaml_node_t *t = lfi_yget(d, m, "transceiver");
	if (!t)
		return LF_OK;
	/* one figure for every laser type, or one per laser type */
	if (t->type != YAML_MAPPING_NODE || lfi_yget(d, t, "fit") || lfi_yget(d, t, "afr")) {
		for (int c = LF_RC_XCVR_VCSEL; c <= LF_RC_XCVR_OTHER; c++)
			LF_TRY(set_class(pi, d, t, (lf_rel_class)c, "fit transceiver", err));
		return LF_OK;
	}
	static const char *const lasers[] = { "vcsel", "eml", "siph-cw", "dml", "other" };
	LF_TRY(lfi_ycheck_keys(d, t, "fit transceiver (by laser type)", lasers,
	                       LF_ARRAY_LEN(lasers), err));
	for (size_t i = 0; i < LF_ARRAY_LEN(lasers); i++) {
		yaml_node_t *n = lfi_yget(d, t, lasers[i]);
		char what[64];
		snprintf(what, sizeof what, "fit transceiver %s", lasers[i]);
		if (n)
			LF_TRY(set_class(pi, d, n, (lf_rel_class)(LF_RC_XCVR_VCSEL + (int)i), what, err));
	}
	return LF_OK;
}

static lf_status parse_sku(params_impl *pi, lfi_ydoc *d, yaml_node_t *m, lf_error *err)
{
	LF_TRY(lfi_yexpect(d, m, YAML_MAPPING_NODE, "sku", err));
	for (yaml_node_pair_t *p = m->data.mapping.pairs.start; p < m->data.mapping.pairs.top;
	     p++) {
		yaml_node_t *kn = lfi_ynode(d, p->key), *vn = lfi_ynode(d, p->value);
		const char *id;
		LF_TRY(lfi_ystr(d, kn, "sku id", &id, err));
		for (size_t i = 0; i < pi->sku.len; i++)
			if (strcmp(LF_VEC_AT(&pi->sku, lf_rel_sku_rate, i)->sku, id) == 0) {
				lf_pos first = LF_VEC_AT(&pi->sku, lf_rel_sku_rate, i)->rate.pos;
				return lfi_yfail(err, d, kn, "duplicate sku \"%s\" (first at line %d)", id,
				                 first.line);
			}
		lf_rel_sku_rate *r = lfi_vec_push(&pi->sku);
		if (!r)
			return lfi_oom(err);
		r->sku = lfi_arena_strdup(&pi->arena, id);
		if (!r->sku)
			return lfi_oom(err);
		r->rate.pos = lfi_ypos(d, kn);
		char what[128];
		snprintf(what, sizeof what, "sku %.64s", id);
		if (vn->type != YAML_MAPPING_NODE) {
			LF_TRY(y_rate(pi, d, vn, what, &r->rate, err));
			r->has_fit = 1;
		} else {
			static const char *const keys[] = { "fit", "afr", "source", "lead_time" };
			LF_TRY(lfi_ycheck_keys(d, vn, what, keys, LF_ARRAY_LEN(keys), err));
			yaml_node_t *lt = lfi_yget(d, vn, "lead_time");
			if (lt) {
				char w2[160];
				snprintf(w2, sizeof w2, "%s lead_time", what);
				LF_TRY(y_duration(d, lt, w2, false, &r->lead_time_h, err));
			}
			if (lfi_yget(d, vn, "fit") || lfi_yget(d, vn, "afr")) {
				/* y_rate re-checks the keys; hide lead_time from it */
				yaml_node_t *f = lfi_yget(d, vn, "fit") ? lfi_yget(d, vn, "fit")
				                                      : lfi_yget(d, vn, "afr");
				lf_rel_rate rr = { 0 };
				if (lfi_yget(d, vn, "fit") && lfi_yget(d, vn, "afr"))
					return lfi_yfail(err, d, lfi_yget(d, vn, "afr"),
					                 "%s: give either fit or afr, not both", what);
				LF_TRY(y_rate_scalar(d, f, what, &rr.fit, err));
				rr.pos = lfi_ypos(d, vn);
				yaml_node_t *s = lfi_yget(d, vn, "source");
				if (s) {
					const char *v;
					LF_TRY(lfi_ystr(d, s, "source", &v, err));
					rr.source = lfi_arena_strdup(&pi->arena, v);
					if (!rr.source)
						return lfi_oom(err);
				}
				r->rate = rr;
				r->has_fit = 1;
			} else if (!lt) {
				return lfi_yfail(err, d, vn, "%s needs \"fit\", \"afr\" or \"lead_time\"",
				                 what);
			}
		}
		if (r->has_fit && !r->rate.source) {
			char buf[600];
			snprintf(buf, sizeof buf, "params file %s:%d", d->file, r->rate.pos.line);
			r->rate.source = lfi_arena_strdup(&pi->arena, buf);
			if (!r->rate.source)
				return lfi_oom(err);
		}
	}
	return LF_OK;
}

static lf_status parse_params(params_impl *pi, lfi_ydoc *d, lf_error *err)
{
	static const char *const keys[] = { "fit", "sku", "link_flap", "checkpoint_time",
	                                    "restart_time", "repair_time", "lead_time",
	                                    "fill_rate", "job_duration" };
	lf_reliability_params *p = &pi->pub;
	yaml_node_t *root = lfi_ydoc_root(d), *n;
	LF_TRY(lfi_ycheck_keys(d, root, "reliability parameters", keys, LF_ARRAY_LEN(keys), err));
	if ((n = lfi_yget(d, root, "fit")))
		LF_TRY(parse_fit(pi, d, n, err));
	if ((n = lfi_yget(d, root, "sku")))
		LF_TRY(parse_sku(pi, d, n, err));
	if ((n = lfi_yget(d, root, "link_flap"))) {
		LF_TRY(y_rate(pi, d, n, "link_flap", &p->link_flap, err));
		if (!p->link_flap.source)
			p->link_flap.source = "params file";
	}
	if ((n = lfi_yget(d, root, "checkpoint_time")))
		LF_TRY(y_duration(d, n, "checkpoint_time", false, &p->checkpoint_h, err));
	if ((n = lfi_yget(d, root, "restart_time")))
		LF_TRY(y_duration(d, n, "restart_time", true, &p->restart_h, err));
	if ((n = lfi_yget(d, root, "repair_time")))
		LF_TRY(y_duration(d, n, "repair_time", false, &p->repair_h, err));
	if ((n = lfi_yget(d, root, "lead_time")))
		LF_TRY(y_duration(d, n, "lead_time", false, &p->lead_time_h, err));
	if ((n = lfi_yget(d, root, "job_duration")))
		LF_TRY(y_duration(d, n, "job_duration", false, &p->horizon_h, err));
	if ((n = lfi_yget(d, root, "fill_rate"))) {
		const char *s;
		LF_TRY(lfi_ystr(d, n, "fill_rate", &s, err));
		char buf[64];
		snprintf(buf, sizeof buf, "%s", s);
		size_t len = strlen(buf);
		double scale = 1;
		if (len && buf[len - 1] == '%') {
			buf[len - 1] = 0;
			scale = 100;
		}
		double v;
		if (!lfi_parse_double(buf, &v) || v / scale <= 0 || v / scale >= 1)
			return lfi_yfail(err, d, n, "fill_rate must be a probability above 0 and below 1 "
			                 "(e.g. 0.95 or 95%%), got \"%.60s\"", s);
		p->fill_rate = v / scale;
	}
	return LF_OK;
}

lf_status lf_reliability_params_load_buffer(const char *name, const char *data, size_t len,
                                            lf_reliability_params **out, lf_error *err)
{
	*out = NULL;
	params_impl *pi = calloc(1, sizeof *pi);
	if (!pi)
		return lfi_oom(err);
	lfi_vec_init(&pi->sku, sizeof(lf_rel_sku_rate));
	pi->pub.impl_ = pi;
	params_defaults(&pi->pub);
	lf_status st = LF_OK;
	if (data) {
		const char *file = lfi_arena_strdup(&pi->arena, name ? name : "params");
		if (!file) {
			lf_reliability_params_free(&pi->pub);
			return lfi_oom(err);
		}
		pi->pub.file = file;
		lfi_ydoc d;
		st = lfi_ydoc_load(&d, file, data, len, err);
		if (st == LF_OK) {
			st = parse_params(pi, &d, err);
			lfi_ydoc_release(&d);
		}
	}
	if (st != LF_OK) {
		lf_reliability_params_free(&pi->pub);
		return st;
	}
	pi->pub.sku = pi->sku.data;
	pi->pub.n_sku = pi->sku.len;
	*out = &pi->pub;
	return LF_OK;
}

lf_status lf_reliability_params_load(const char *path, lf_reliability_params **out,
                                     lf_error *err)
{
	if (!path)
		return lf_reliability_params_load_buffer(NULL, NULL, 0, out, err);
	size_t len;
	char *data = lfi_read_file(path, &len, err);
	if (!data) {
		*out = NULL;
		return LF_EIO;
	}
	lf_status st = lf_reliability_params_load_buffer(path, data, len, out, err);
	free(data);
	return st;
}
