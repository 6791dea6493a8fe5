/*
 * catalog.c — the hardware catalog: servers, NICs, switches, transceivers,
 * cables and fibre patch cords, read from YAML files.
 * (Over 800 lines: the field readers, the six entry loaders and the finish
 * share one private reader; split apart, the readers would become thirty
 * internal functions with one user each.)
 *
 * A catalog file is a mapping with any of the sections
 *     nics: servers: switches: transceivers: cables: fibres: laser_sources:
 * each a list of entries with an `id` and a `source:` citing where the
 * figures come from (a figure from elsewhere may be cited in `sources:`,
 * a mapping from field name to citation).  NICs, switches, transceivers
 * and cables may list the link `protocols:` they run (ib, eth; left out:
 * both).  Several files may be loaded
 * (the bundled data/catalog/ plus a user's own); an id defined twice, in
 * one file or across files, is an error naming both places.  After all
 * files are loaded, lf_catalog_finish() resolves references (a server's
 * NIC) and checks each entry's internal consistency (lanes x lane rate =
 * links x link rate, a cage split into whole ports, ...).
 *
 * Co-packaged optics: a switch with a `co_packaged:` block has optical
 * engines in its package instead of cages for pluggables.  Each port is
 * described as a transceiver of its own (lf_switch.cpo_port: the standard,
 * connector, medium and reach of the engine, co_packaged = 1, form factor
 * "cpo", no price: it is part of the switch) so the far end pairs with it by
 * the usual rules, and its CW light comes from `laser_sources` modules of a
 * `laser_sources:` entry (lf_switch.els, an lf_optic of kind LF_OPTIC_ELS in
 * the optics list so that `lightfab source` can buy it and count its lasers).
 */
#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "core.h"
#include "media.h"

struct lf_catalog {
	lfi_arena arena;
	lfi_vec nics, servers, switches, optics, fibres;   /* vectors of pointers */
	bool finished;
	/* names of unresolved server -> nic references, kept for finish() */
	lfi_vec nic_refs;                                   /* const char * per server */
	lfi_vec loaded;     /* real paths of the files loaded (const char *, in arena) */
	lfi_vec els_refs;   /* els_ref: co-packaged switches' laser sources, for finish() */
};

typedef struct nic_ref { const char *id; lf_pos pos; } nic_ref;
typedef struct els_ref { lf_switch *sw; const char *id; lf_pos pos; } els_ref;

lf_status lf_catalog_new(lf_catalog **out, lf_error *err)
{
	lf_catalog *c = calloc(1, sizeof *c);
	if (!c)
		return lfi_oom(err);
	lfi_vec_init(&c->nics, sizeof(void *));
	lfi_vec_init(&c->servers, sizeof(void *));
	lfi_vec_init(&c->switches, sizeof(void *));
	lfi_vec_init(&c->optics, sizeof(void *));
	lfi_vec_init(&c->fibres, sizeof(void *));
	lfi_vec_init(&c->nic_refs, sizeof(nic_ref));
	lfi_vec_init(&c->loaded, sizeof(char *));
	lfi_vec_init(&c->els_refs, sizeof(els_ref));
	*out = c;
	return LF_OK;
}

void lf_catalog_free(lf_catalog *c)
{
	if (!c)
		return;
	lfi_vec_release(&c->nics);
	lfi_vec_release(&c->servers);
	lfi_vec_release(&c->switches);
	lfi_vec_release(&c->optics);
	lfi_vec_release(&c->fibres);
	lfi_vec_release(&c->nic_refs);
	lfi_vec_release(&c->loaded);
	lfi_vec_release(&c->els_refs);
	lfi_arena_release(&c->arena);
	free(c);
}

/* Every entry type starts with id, name, source (see lightfab.h), so a
 * lookup can treat them alike. */
typedef struct entry_head { const char *id, *name, *source; } entry_head;

static void *find_id(const lfi_vec *v, const char *id)
{
	for (size_t i = 0; i < v->len; i++) {
		entry_head *e = *LF_VEC_AT(v, entry_head *, i);
		if (strcmp(e->id, id) == 0)
			return e;
	}
	return NULL;
}

const lf_server *lf_catalog_server(const lf_catalog *c, const char *id)
{
	return find_id(&c->servers, id);
}
const lf_switch *lf_catalog_switch(const lf_catalog *c, const char *id)
{
	return find_id(&c->switches, id);
}
const lf_optic *lf_catalog_optic(const lf_catalog *c, const char *id)
{
	return find_id(&c->optics, id);
}
size_t lf_catalog_n_optics(const lf_catalog *c) { return c->optics.len; }
const lf_optic *lf_catalog_optic_at(const lf_catalog *c, size_t i)
{
	return *LF_VEC_AT(&c->optics, lf_optic *, i);
}
size_t lf_catalog_n_fibres(const lf_catalog *c) { return c->fibres.len; }
const lf_fibre *lf_catalog_fibre_at(const lf_catalog *c, size_t i)
{
	return *LF_VEC_AT(&c->fibres, lf_fibre *, i);
}
size_t lf_catalog_n_servers(const lf_catalog *c) { return c->servers.len; }
const lf_server *lf_catalog_server_at(const lf_catalog *c, size_t i)
{
	return *LF_VEC_AT(&c->servers, lf_server *, i);
}
size_t lf_catalog_n_switches(const lf_catalog *c) { return c->switches.len; }
const lf_switch *lf_catalog_switch_at(const lf_catalog *c, size_t i)
{
	return *LF_VEC_AT(&c->switches, lf_switch *, i);
}

/* NIC modes and protocol names (declared in media.h; here, below both media.c
 * and topo.c, so that those two do not call each other) */
const char *lfi_media_proto_name(unsigned proto)
{
	static const char *const names[] = { "none", "ib", "eth", "ib+eth" };
	return names[proto & LF_PROTO_ANY];
}

unsigned lfi_media_nic_proto(const lf_nic *nic, int gbps, int links_per_port)
{
	if (!nic->n_modes)
		return lfi_media_protocols(nic->protocols);
	unsigned m = 0;
	for (int i = 0; i < nic->n_modes; i++)
		if (nic->modes[i].gbps == gbps && nic->modes[i].ports == links_per_port)
			m |= lfi_media_protocols(nic->modes[i].protocols);
	return m;
}

void lfi_media_nic_modes(const lf_nic *nic, char *buf, size_t n)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < nic->n_modes && len < n; i++) {
		char g[16];
		lfi_format_gbps(nic->modes[i].gbps, g, sizeof g);
		len += (size_t)snprintf(buf + len, n - len, "%s%d x %s %s", i ? ", " : "",
		                        nic->modes[i].ports, g,
		                        lfi_media_proto_name(lfi_media_protocols(nic->modes[i].protocols)));
	}
}

/* ------------------------------------------------------------ field readers */

typedef struct reader {
	lf_catalog *cat;
	lfi_ydoc *d;
	yaml_node_t *map;
	const char *what;          /* "switch \"qm9700\"" for messages */
	lf_error *err;
} reader;

/* The node of `key`, with "<entry> <key>" in `what` for messages.  A
 * missing required key is an error; a missing optional one gives NULL and
 * leaves the output untouched (its default). */
static lf_status field(reader *r, const char *key, bool required, yaml_node_t **n, char *what,
                       size_t len)
{
	*n = lfi_yget(r->d, r->map, key);
	snprintf(what, len, "%s %s", r->what, key);
	if (!*n && required)
		return lfi_yfail(r->err, r->d, r->map, "%s needs \"%s\"", r->what, key);
	return LF_OK;
}

static lf_status r_str(reader *r, const char *key, bool required, const char **out)
{
	yaml_node_t *n;
	char what[160];
	const char *s;
	LF_TRY(field(r, key, required, &n, what, sizeof what));
	if (!n) {
		*out = NULL;
		return LF_OK;
	}
	LF_TRY(lfi_ystr(r->d, n, what, &s, r->err));
	*out = lfi_arena_strdup(&r->cat->arena, s);
	return *out ? LF_OK : lfi_oom(r->err);
}

static lf_status r_int(reader *r, const char *key, bool required, int64_t lo, int64_t hi,
                       int *out)
{
	yaml_node_t *n;
	char what[160];
	int64_t v;
	LF_TRY(field(r, key, required, &n, what, sizeof what));
	if (!n)
		return LF_OK;
	LF_TRY(lfi_yint(r->d, n, what, lo, hi, &v, r->err));
	*out = (int)v;
	return LF_OK;
}

static lf_status r_num(reader *r, const char *key, bool required, double lo, double hi,
                       double *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, key, required, &n, what, sizeof what));
	return n ? lfi_ydouble(r->d, n, what, lo, hi, out, r->err) : LF_OK;
}

static lf_status r_gbps(reader *r, const char *key, bool required, int *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, key, required, &n, what, sizeof what));
	return n ? lfi_ygbps(r->d, n, what, out, r->err) : LF_OK;
}

static lf_status r_enum(reader *r, const char *key, bool required, const char *const *names,
                        size_t n_names, int *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, key, required, &n, what, sizeof what));
	return n ? lfi_yenum(r->d, n, what, names, n_names, out, r->err) : LF_OK;
}

static lf_status r_bool(reader *r, const char *key, bool *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, key, false, &n, what, sizeof what));
	return n ? lfi_ybool(r->d, n, what, out, r->err) : LF_OK;
}

/* power_w: 15   or   power_w: {typ: 15, max: 17} */
static lf_status r_power(reader *r, const char *key, double *typ, double *max)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, key, false, &n, what, sizeof what));
	if (!n)
		return LF_OK;
	if (n->type == YAML_SCALAR_NODE) {
		LF_TRY(lfi_ydouble(r->d, n, what, 0, 1e6, typ, r->err));
		*max = *typ;
		return LF_OK;
	}
	static const char *const keys[] = { "typ", "max" };
	LF_TRY(lfi_ycheck_keys(r->d, n, what, keys, 2, r->err));
	yaml_node_t *t = lfi_yget(r->d, n, "typ"), *m = lfi_yget(r->d, n, "max");
	if (!t || !m)
		return lfi_yfail(r->err, r->d, n, "%s needs both \"typ\" and \"max\"", what);
	LF_TRY(lfi_ydouble(r->d, t, what, 0, 1e6, typ, r->err));
	LF_TRY(lfi_ydouble(r->d, m, what, 0, 1e6, max, r->err));
	if (*max < *typ)
		return lfi_yfail(r->err, r->d, m, "%s max (%g W) is below typ (%g W)", what, *max, *typ);
	return LF_OK;
}

static lf_status r_length(reader *r, const char *key, bool required, double *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, key, required, &n, what, sizeof what));
	return n ? lfi_ylength(r->d, n, what, out, r->err) : LF_OK;
}

/* sources: {field: citation}; only checked for shape */
static lf_status r_sources(reader *r)
{
	yaml_node_t *n = lfi_yget(r->d, r->map, "sources");
	if (!n)
		return LF_OK;
	char what[160];
	snprintf(what, sizeof what, "%s sources", r->what);
	LF_TRY(lfi_yexpect(r->d, n, YAML_MAPPING_NODE, what, r->err));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		const char *s;
		LF_TRY(lfi_ystr(r->d, lfi_ynode(r->d, p->value), what, &s, r->err));
	}
	return LF_OK;
}

/* price_by_length: {1m: 85, 2.5m: 110}: prices of the part per orderable
 * length, lengths ascending and distinct. */
static lf_status r_length_prices(reader *r, lf_length_prices *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, "price_by_length", false, &n, what, sizeof what));
	if (!n)
		return LF_OK;
	LF_TRY(lfi_yexpect(r->d, n, YAML_MAPPING_NODE, what, r->err));
	for (yaml_node_pair_t *p = n->data.mapping.pairs.start; p < n->data.mapping.pairs.top; p++) {
		yaml_node_t *k = lfi_ynode(r->d, p->key), *v = lfi_ynode(r->d, p->value);
		if (out->n >= LF_MAX_LENGTH_PRICES)
			return lfi_yfail(r->err, r->d, k, "%s: at most %d lengths", what,
			                 LF_MAX_LENGTH_PRICES);
		double len, usd;
		LF_TRY(lfi_ylength(r->d, k, what, &len, r->err));
		if (!(len > 0) || len > 10000)
			return lfi_yfail(r->err, r->d, k, "%s: a length must be more than 0 and at most "
			                 "10 km, got %g m", what, len);
		if (out->n && len <= out->length_m[out->n - 1])
			return lfi_yfail(r->err, r->d, k, "%s: lengths must ascend, got %g m after %g m",
			                 what, len, out->length_m[out->n - 1]);
		LF_TRY(lfi_ydouble(r->d, v, what, 0, 1e9, &usd, r->err));
		out->length_m[out->n] = len;
		out->usd[out->n++] = usd;
	}
	return LF_OK;
}

double lf_length_price(const lf_length_prices *p, double base, double length_m)
{
	for (int i = 0; i < p->n; i++)
		if (fabs(p->length_m[i] - length_m) < 0.005)
			return p->usd[i];
	return base;
}

/* protocols: [ib, eth]: a non-empty list of link protocols into a mask
 * (LF_PROTO_*); a missing key leaves 0, "not stated" = both. */
static const char *const protocol_names[] = { "ib", "eth" };

static lf_status r_protocols(reader *r, unsigned *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, "protocols", false, &n, what, sizeof what));
	if (!n)
		return LF_OK;
	LF_TRY(lfi_yexpect(r->d, n, YAML_SEQUENCE_NODE, what, r->err));
	unsigned m = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *item = lfi_ynode(r->d, *it);
		/* the long names are too far from ib/eth for the edit-distance guess */
		static const char *const long_names[] = { "infiniband", "ethernet" };
		const char *sv = lfi_yscalar(item);
		for (size_t k = 0; sv && k < LF_ARRAY_LEN(long_names); k++)
			if (strcasecmp(sv, long_names[k]) == 0 ||
			    (strcasecmp(sv, protocol_names[k]) == 0 && strcmp(sv, protocol_names[k]))) {
				return lfi_yfail(r->err, r->d, item, "%s must be one of ib, eth, got "
				                 "\"%.40s\" (did you mean \"%s\"?)", what, sv,
				                 protocol_names[k]);
			}
		int v;
		LF_TRY(lfi_yenum(r->d, item, what, protocol_names, LF_ARRAY_LEN(protocol_names), &v,
		                 r->err));
		m |= 1u << v;
	}
	if (!m)
		return lfi_yfail(r->err, r->d, n, "%s must list at least one of ib, eth "
		                 "(leave it out when both)", what);
	*out = m;
	return LF_OK;
}

/* drive: retimed | lpo | lro (a transceiver); linear_drive: [lpo, lro] (a
 * switch whose SerDes can drive linear optics; left out: none) */
static const char *const drive_names[] = { "retimed", "lpo", "lro" };

static lf_status r_linear_drive(reader *r, unsigned *out)
{
	yaml_node_t *n;
	char what[160];
	LF_TRY(field(r, "linear_drive", false, &n, what, sizeof what));
	if (!n)
		return LF_OK;
	LF_TRY(lfi_yexpect(r->d, n, YAML_SEQUENCE_NODE, what, r->err));
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		int v;
		LF_TRY(lfi_yenum(r->d, lfi_ynode(r->d, *it), what, drive_names + 1, 2, &v, r->err));
		*out |= LF_DRIVE_BIT(v + 1);
	}
	return LF_OK;
}

/* A cage form factor.  Names are free (a user may have a new cage), but one
 * a small edit away from a known name is a typo: an error with the guess. */
/* a and b differ only by two adjacent letters swapped */
static bool swapped(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n != strlen(b))
		return false;
	for (size_t i = 0; i + 1 < n; i++)
		if (a[i] != b[i])
			return a[i] == b[i + 1] && a[i + 1] == b[i] && strcmp(a + i + 2, b + i + 2) == 0;
	return false;
}

static lf_status r_form_factor(reader *r, const char *key, bool required, const char **out)
{
	static const char *const known[] = { "osfp", "osfp224", "osfp-xd", "qsfp-dd", "qsfp-dd800",
	                                     "qsfp112", "qsfp56", "qsfp28", "qsfp", "sfp-dd",
	                                     "sfp112", "sfp56", "sfp28", "sfp" };
	LF_TRY(r_str(r, key, required, out));
	if (!*out)
		return LF_OK;
	/* a typo: one edit from a known name ("qsfp-d", "osfp2"), or two letters
	 * swapped ("ospf"); "osfp-rhs" or "qsfp-dd1600" are new names, not typos */
	const char *guess = NULL;
	size_t len = strlen(*out), best = 3;
	for (size_t i = 0; i < LF_ARRAY_LEN(known); i++) {
		if (strcasecmp(*out, known[i]) == 0)
			return LF_OK;
		size_t kl = strlen(known[i]), d = lfi_edit_distance(*out, known[i]);
		if (d == 2 && !swapped(*out, known[i]))
			continue;
		if ((len > kl ? len - kl : kl - len) <= 1 && d < best) {
			best = d;
			guess = known[i];
		}
	}
	if (guess)
		return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, key),
		                 "%s %s \"%s\" is not a known cage (did you mean \"%s\"?); known: osfp, "
		                 "osfp224, osfp-xd, qsfp-dd, qsfp-dd800, qsfp112, qsfp56, qsfp28, qsfp, "
		                 "sfp-dd, sfp112, sfp56, sfp28, sfp", r->what, key, *out, guess);
	return LF_OK;
}

/* Register an id; a duplicate names both places. */
static lf_status check_dup(reader *r, const lfi_vec *v, const char *id, size_t pos_offset)
{
	entry_head *old = find_id(v, id);
	if (!old)
		return LF_OK;
	const lf_pos *p = (const lf_pos *)((const char *)old + pos_offset);
	return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "id"),
	                 "duplicate id \"%s\" (first defined at %s:%d:%d)", id, p->file, p->line,
	                 p->col);
}

/* The common head of an entry: its position, id (no duplicate in `v`),
 * name and source; `entry` starts with an entry_head and has its lf_pos
 * at pos_offset. */
static lf_status read_head(reader *r, const char *file, const lfi_vec *v, size_t pos_offset,
                           void *entry)
{
	entry_head *h = entry;
	lf_pos *pos = (lf_pos *)((char *)entry + pos_offset);
	*pos = lfi_ypos(r->d, r->map);
	pos->file = file;
	LF_TRY(r_str(r, "id", true, &h->id));
	LF_TRY(check_dup(r, v, h->id, pos_offset));
	LF_TRY(r_str(r, "name", false, &h->name));
	LF_TRY(r_str(r, "source", true, &h->source));
	return r_sources(r);
}

/* Add a finished entry to `v` (its name defaults to its id). */
static lf_status push_entry(reader *r, lfi_vec *v, void *entry)
{
	entry_head *h = entry;
	if (!h->name)
		h->name = h->id;
	void **slot = lfi_vec_push(v);
	if (!slot)
		return lfi_oom(r->err);
	*slot = entry;
	return LF_OK;
}

static const char *const medium_names[] = { "mmf", "smf", "copper" };
static const char *const laser_names[] = { "none", "vcsel", "eml", "siph-cw", "dml" };
static const char *const fits_names[] = { "any", "switch", "server" };
static const char *const cable_kinds[] = { "transceiver", "dac", "acc", "aec", "aoc" };

#define COMMON_KEYS "id", "name", "source", "sources", "notes", "vendor"

/* modes: [{speed: 800G, ports: 1, protocols: [ib]}, {speed: 400G, ports: 2,
 * protocols: [eth]}]: how one NIC port may run.  The NIC's `protocols`, when
 * left out, become those of all its modes. */
static lf_status r_nic_modes(reader *r, lf_nic *e)
{
	yaml_node_t *n = lfi_yget(r->d, r->map, "modes");
	if (!n)
		return LF_OK;
	char what[200];
	snprintf(what, sizeof what, "%s modes", r->what);
	LF_TRY(lfi_yexpect(r->d, n, YAML_SEQUENCE_NODE, what, r->err));
	unsigned all = 0;
	for (yaml_node_item_t *it = n->data.sequence.items.start; it < n->data.sequence.items.top;
	     it++) {
		yaml_node_t *m = lfi_ynode(r->d, *it);
		if (e->n_modes == LF_MAX_NIC_MODES)
			return lfi_yfail(r->err, r->d, m, "%s: at most %d modes", what, LF_MAX_NIC_MODES);
		static const char *const keys[] = { "speed", "ports", "protocols" };
		LF_TRY(lfi_yexpect(r->d, m, YAML_MAPPING_NODE, "nic mode", r->err));
		LF_TRY(lfi_ycheck_keys(r->d, m, "nic mode", keys, LF_ARRAY_LEN(keys), r->err));
		char mwhat[220];
		snprintf(mwhat, sizeof mwhat, "%s mode", r->what);
		reader mr = { r->cat, r->d, m, mwhat, r->err };
		lf_nic_mode *md = &e->modes[e->n_modes];
		md->ports = 1;
		LF_TRY(r_gbps(&mr, "speed", true, &md->gbps));
		LF_TRY(r_int(&mr, "ports", false, 1, 16, &md->ports));
		LF_TRY(r_protocols(&mr, &md->protocols));
		if ((int64_t)md->gbps * md->ports > e->max_gbps)
			return lfi_yfail(r->err, r->d, m, "%s: %d x %dG exceeds its max_speed of %dG", mwhat,
			                 md->ports, md->gbps, e->max_gbps);
		all |= md->protocols ? md->protocols : LF_PROTO_ANY;
		e->n_modes++;
	}
	if (!e->n_modes)
		return lfi_yfail(r->err, r->d, n, "%s must list at least one mode (or be left out)",
		                 what);
	if (!e->protocols)
		e->protocols = all;
	return LF_OK;
}

static lf_status load_nic(reader *r, const char *file)
{
	static const char *const keys[] = { COMMON_KEYS, "max_speed", "power_w", "fit",
	                                    "price_usd", "protocols", "modes" };
	LF_TRY(lfi_ycheck_keys(r->d, r->map, "nic", keys, LF_ARRAY_LEN(keys), r->err));
	lf_nic *e = lfi_arena_alloc(&r->cat->arena, sizeof *e);
	if (!e)
		return lfi_oom(r->err);
	LF_TRY(read_head(r, file, &r->cat->nics, offsetof(lf_nic, pos), e));
	LF_TRY(r_gbps(r, "max_speed", true, &e->max_gbps));
	double pmax = 0;
	LF_TRY(r_power(r, "power_w", &e->power_w, &pmax));
	LF_TRY(r_num(r, "fit", false, 0, 1e9, &e->fit));
	LF_TRY(r_num(r, "price_usd", false, 0, 1e9, &e->price_usd));
	LF_TRY(r_protocols(r, &e->protocols));
	LF_TRY(r_nic_modes(r, e));
	return push_entry(r, &r->cat->nics, e);
}

static lf_status load_server(reader *r, const char *file)
{
	static const char *const keys[] = {
		COMMON_KEYS, "gpu", "gpus", "nic", "nic_ports", "port_speed", "cages",
		"cage_speed", "form_factor", "nvlink_domain_gpus", "nvlink_speed",
		"gpu_tflops", "power_w", "price_usd", "fit", "gpu_arch", "nvswitch", "cpu",
		"gpu_fp8_tflops", "gemm_share", "gemm_share_fp8", "sustained_share", "hbm_gbs",
		"hbm_gb", "host_link_gbs", "gpu_sms", "rack_units"
	};
	LF_TRY(lfi_ycheck_keys(r->d, r->map, "server", keys, LF_ARRAY_LEN(keys), r->err));
	lf_server *e = lfi_arena_alloc(&r->cat->arena, sizeof *e);
	if (!e)
		return lfi_oom(r->err);
	LF_TRY(read_head(r, file, &r->cat->servers, offsetof(lf_server, pos), e));
	LF_TRY(r_str(r, "gpu", false, &e->gpu_model));
	LF_TRY(r_int(r, "gpus", true, 1, 1024, &e->gpus));
	nic_ref nr;   /* pushed with the server: nic_refs[i] belongs to servers[i] */
	LF_TRY(r_str(r, "nic", true, &nr.id));
	nr.pos = lfi_ypos(r->d, lfi_yget(r->d, r->map, "nic"));
	nr.pos.file = file;
	LF_TRY(r_int(r, "nic_ports", true, 1, 1024, &e->nic_ports));
	LF_TRY(r_gbps(r, "port_speed", true, &e->port_gbps));
	LF_TRY(r_int(r, "cages", true, 1, 1024, &e->cages));
	LF_TRY(r_gbps(r, "cage_speed", true, &e->cage_gbps));
	LF_TRY(r_form_factor(r, "form_factor", true, &e->form_factor));
	e->nvlink_domain_gpus = e->gpus;
	LF_TRY(r_int(r, "nvlink_domain_gpus", false, 1, 1 << 20, &e->nvlink_domain_gpus));
	int nvl = 0;
	LF_TRY(r_gbps(r, "nvlink_speed", false, &nvl));
	e->nvlink_gbps = nvl;
	LF_TRY(r_num(r, "gpu_tflops", false, 0, 1e7, &e->gpu_tflops));
	/* NCCL's tuning constants are per GPU generation (src/sim/nccl.c) */
	static const char *const archs[] = { "volta", "ampere", "hopper", "blackwell" };
	int arch = LF_ARCH_HOPPER;
	LF_TRY(r_enum(r, "gpu_arch", false, archs, LF_ARRAY_LEN(archs), &arch));
	e->gpu_arch = (lf_gpu_arch)arch;
	bool nvs = false;
	LF_TRY(r_bool(r, "nvswitch", &nvs));
	e->nvswitch = nvs;
	static const char *const cpus[] = { "intel", "amd", "arm" };
	int cpu = 0;
	LF_TRY(r_enum(r, "cpu", false, cpus, LF_ARRAY_LEN(cpus), &cpu));
	e->cpu_amd = cpu == 1;
	LF_TRY(r_num(r, "gpu_fp8_tflops", false, 0, 1e7, &e->gpu_fp8_tflops));
	LF_TRY(r_num(r, "gemm_share", false, 0.01, 1, &e->gemm_share));
	LF_TRY(r_num(r, "gemm_share_fp8", false, 0.01, 1, &e->gemm_share_fp8));
	LF_TRY(r_num(r, "sustained_share", false, 0.01, 1, &e->sustained_share));
	LF_TRY(r_num(r, "hbm_gbs", false, 0, 1e6, &e->hbm_gbs));
	LF_TRY(r_num(r, "hbm_gb", false, 0, 1e5, &e->hbm_gb));
	LF_TRY(r_num(r, "host_link_gbs", false, 0, 1e5, &e->host_link_gbs));
	LF_TRY(r_int(r, "gpu_sms", false, 1, 100000, &e->gpu_sms));
	double pmax = 0;
	LF_TRY(r_power(r, "power_w", &e->power_w, &pmax));
	LF_TRY(r_num(r, "price_usd", false, 0, 1e12, &e->price_usd));
	LF_TRY(r_int(r, "rack_units", false, 1, 60, &e->rack_units));
	LF_TRY(r_num(r, "fit", false, 0, 1e9, &e->fit));
	if (!e->name)
		e->name = e->id;
	/* ports must fit the cages: each cage carries whole ports, or each port
	 * spans whole cages (a NIC port over several cages) */
	if ((e->cage_gbps % e->port_gbps != 0 && e->port_gbps % e->cage_gbps != 0) ||
	    (int64_t)e->cages * e->cage_gbps < (int64_t)e->nic_ports * e->port_gbps)
		return lfi_yfail(r->err, r->d, r->map,
		                 "server \"%s\": %d ports of %dG do not fit %d cages of %dG (a cage "
		                 "holds whole ports, or a port spans whole cages)", e->id,
		                 e->nic_ports, e->port_gbps, e->cages, e->cage_gbps);
	nic_ref *ref = lfi_vec_push(&r->cat->nic_refs);
	if (!ref)
		return lfi_oom(r->err);
	*ref = nr;
	void **slot = lfi_vec_push(&r->cat->servers);
	if (!slot) {
		r->cat->nic_refs.len--;
		return lfi_oom(r->err);
	}
	*slot = e;
	return LF_OK;
}

/* co_packaged: {standard, connector, medium, fibres_per_link, reach,
 * port_power_w, laser_source, laser_sources}: the switch's ports are optical
 * engines (see the top of this file).  The port is one link at cage_speed. */
static lf_status r_co_packaged(reader *r, lf_switch *e, yaml_node_t *n, const char *file)
{
	static const char *const keys[] = { "standard", "connector", "medium", "fibres_per_link",
	                                    "reach", "port_power_w", "laser_source",
	                                    "laser_sources" };
	char what[200];
	snprintf(what, sizeof what, "%s co_packaged", r->what);
	LF_TRY(lfi_yexpect(r->d, n, YAML_MAPPING_NODE, what, r->err));
	LF_TRY(lfi_ycheck_keys(r->d, n, what, keys, LF_ARRAY_LEN(keys), r->err));
	reader cr = { r->cat, r->d, n, what, r->err };
	lf_optic *o = lfi_arena_alloc(&r->cat->arena, sizeof *o);
	if (!o)
		return lfi_oom(r->err);
	char buf[300];
	snprintf(buf, sizeof buf, "%s-cpo-port", e->id);
	o->id = lfi_arena_strdup(&r->cat->arena, buf);
	snprintf(buf, sizeof buf, "%s co-packaged port", e->id);
	o->name = lfi_arena_strdup(&r->cat->arena, buf);
	if (!o->id || !o->name)
		return lfi_oom(r->err);
	o->source = e->source;
	o->pos = lfi_ypos(r->d, n);
	o->pos.file = file;
	o->kind = LF_OPTIC_TRANSCEIVER;
	o->co_packaged = 1;
	o->form_factor = "cpo";
	o->link_gbps = e->cage_gbps;
	o->links = 1;
	o->fits = LF_FITS_SWITCH;
	o->laser = LF_LASER_SIPH_CW;   /* modulators fed by the external CW lasers */
	o->legs = 1;
	o->protocols = e->protocols;
	LF_TRY(r_str(&cr, "standard", true, &o->standard));
	LF_TRY(r_str(&cr, "connector", true, &o->connector));
	int v = 0;
	LF_TRY(r_enum(&cr, "medium", true, medium_names, 2, &v));
	o->medium = (lf_medium)v;
	LF_TRY(r_int(&cr, "fibres_per_link", true, 1, 64, &o->fibres_per_link));
	LF_TRY(r_length(&cr, "reach", true, &o->reach_m));
	double pmax = 0;
	LF_TRY(r_power(&cr, "port_power_w", &o->power_typ_w, &pmax));
	o->power_max_w = pmax;
	els_ref ref = { e, NULL, lfi_ypos(r->d, n) };
	ref.pos.file = file;
	LF_TRY(r_str(&cr, "laser_source", true, &ref.id));
	ref.pos = lfi_ypos(r->d, lfi_yget(r->d, n, "laser_source"));
	ref.pos.file = file;
	LF_TRY(r_int(&cr, "laser_sources", true, 1, 4096, &e->els_per_switch));
	els_ref *slot = lfi_vec_push(&r->cat->els_refs);
	if (!slot)
		return lfi_oom(r->err);
	*slot = ref;
	e->cpo_port = o;
	return LF_OK;
}

static lf_status load_switch(reader *r, const char *file)
{
	static const char *const keys[] = {
		COMMON_KEYS, "asic", "cages", "cage_speed", "form_factor", "port_speeds",
		"power_w", "fit", "price_usd", "lead_time_weeks", "capacity", "protocols", "sharp",
		"linear_drive", "co_packaged", "rack_units"
	};
	LF_TRY(lfi_ycheck_keys(r->d, r->map, "switch", keys, LF_ARRAY_LEN(keys), r->err));
	yaml_node_t *cpo = lfi_yget(r->d, r->map, "co_packaged");
	lf_switch *e = lfi_arena_alloc(&r->cat->arena, sizeof *e);
	if (!e)
		return lfi_oom(r->err);
	LF_TRY(read_head(r, file, &r->cat->switches, offsetof(lf_switch, pos), e));
	LF_TRY(r_str(r, "asic", false, &e->asic));
	LF_TRY(r_int(r, "cages", true, 1, 4096, &e->cages));
	LF_TRY(r_gbps(r, "cage_speed", true, &e->cage_gbps));
	if (cpo && lfi_yget(r->d, r->map, "form_factor"))
		return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "form_factor"),
		                 "switch \"%s\" is co_packaged: its ports are optical engines, not cages "
		                 "for pluggables; leave form_factor out", e->id);
	if (cpo)
		e->form_factor = "cpo";
	else
		LF_TRY(r_form_factor(r, "form_factor", true, &e->form_factor));
	int cap = 0;
	LF_TRY(r_gbps(r, "capacity", false, &cap));
	if (cap && (int64_t)e->cages * e->cage_gbps > cap)
		return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "capacity"),
		                 "switch \"%s\": %d cages x %dG exceed its capacity of %dG", e->id,
		                 e->cages, e->cage_gbps, cap);
	yaml_node_t *ps;
	LF_TRY(lfi_yrequire(r->d, r->map, "port_speeds", "switch", &ps, r->err));
	LF_TRY(lfi_yexpect(r->d, ps, YAML_SEQUENCE_NODE, "switch port_speeds", r->err));
	for (yaml_node_item_t *it = ps->data.sequence.items.start; it < ps->data.sequence.items.top;
	     it++) {
		yaml_node_t *n = lfi_ynode(r->d, *it);
		if (e->n_port_speeds == (int)LF_ARRAY_LEN(e->port_speeds))
			return lfi_yfail(r->err, r->d, n, "switch port_speeds: at most %zu speeds",
			                 LF_ARRAY_LEN(e->port_speeds));
		int g;
		LF_TRY(lfi_ygbps(r->d, n, "switch port speed", &g, r->err));
		if (e->cage_gbps % g != 0)
			return lfi_yfail(r->err, r->d, n,
			                 "switch port speed %dG does not split a %dG cage into whole ports",
			                 g, e->cage_gbps);
		e->port_speeds[e->n_port_speeds++] = g;
	}
	if (!e->n_port_speeds)
		return lfi_yfail(r->err, r->d, ps, "switch port_speeds must list at least one speed");
	LF_TRY(r_power(r, "power_w", &e->power_typ_w, &e->power_max_w));
	LF_TRY(r_num(r, "fit", false, 0, 1e9, &e->fit));
	LF_TRY(r_num(r, "price_usd", false, 0, 1e9, &e->price_usd));
	LF_TRY(r_int(r, "lead_time_weeks", false, 0, 520, &e->lead_time_weeks));
	LF_TRY(r_int(r, "rack_units", false, 1, 60, &e->rack_units));
	LF_TRY(r_protocols(r, &e->protocols));
	bool sharp = false;
	LF_TRY(r_bool(r, "sharp", &sharp));
	e->sharp = sharp;
	LF_TRY(r_linear_drive(r, &e->linear_drive));
	if (cpo && e->linear_drive)
		return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "linear_drive"),
		                 "switch \"%s\" is co_packaged: it takes no pluggable optics, linear or "
		                 "not; leave linear_drive out", e->id);
	if (cpo)
		LF_TRY(r_co_packaged(r, e, cpo, file));
	return push_entry(r, &r->cat->switches, e);
}

/* Lasers per module.  Directly modulated and EML parts have one laser per
 * optical lane (an AOC: at both ends); a SiPh part's CW lasers each feed
 * `lanes_per_laser` lanes, which must be stated to derive the count.  A
 * missing `lasers` is derived.  A stated one must agree where the entry
 * itself states the rule (siph-cw with lanes_per_laser, laser: none); an
 * EML/VCSEL/DML count is taken as given, since `lanes` are host lanes and a
 * gearbox part has fewer optical lanes (the bundled catalog is held to one
 * laser per lane by tests/test_catalog.c). */
static lf_status check_lasers(reader *r, lf_optic *e, bool cable)
{
	yaml_node_t *lpl = lfi_yget(r->d, r->map, "lanes_per_laser");
	if (lpl && e->laser != LF_LASER_SIPH_CW)
		return lfi_yfail(r->err, r->d, lpl, "%s: lanes_per_laser is for siph-cw parts (one CW "
		                 "laser feeding several lanes); laser %s is one laser per lane",
		                 r->what, laser_names[e->laser]);
	int want = -1;
	const char *rule = "";
	if (e->laser == LF_LASER_NONE) {
		want = 0;
		rule = "a part without lasers";
	} else if (e->laser == LF_LASER_SIPH_CW) {
		if (e->lanes_per_laser) {
			want = (e->lanes + e->lanes_per_laser - 1) / e->lanes_per_laser;
			rule = "siph-cw: lanes / lanes_per_laser";
		}
	} else {
		want = e->lanes * (cable ? 2 : 1);
		rule = cable ? "one laser per lane at each end" : "one laser per lane";
	}
	if (e->lasers < 0) {
		if (want < 0)
			return lfi_yfail(r->err, r->d, r->map, "%s needs \"lasers\" or \"lanes_per_laser\" "
			                 "(lanes one CW laser feeds)", r->what);
		e->lasers = want;
	} else if (want >= 0 && e->lasers != want &&
	           (e->laser == LF_LASER_NONE || e->laser == LF_LASER_SIPH_CW)) {
		return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "lasers"),
		                 "%s lasers must be %d (%s, %d lanes), got %d", r->what, want, rule,
		                 e->lanes, e->lasers);
	}
	return LF_OK;
}

static lf_status load_optic(reader *r, const char *file, bool cable)
{
	static const char *const tkeys[] = {
		COMMON_KEYS, "form_factor", "standard", "link_speed", "links", "lanes",
		"lane_speed", "medium", "connector", "fibres_per_link", "reach", "laser",
		"lasers", "lanes_per_laser", "fits", "power_w", "fit", "price_usd",
		"lead_time_weeks", "protocols", "drive"
	};
	static const char *const ckeys[] = {
		COMMON_KEYS, "kind", "form_factor", "form_factor_b", "link_speed", "links",
		"legs", "lanes", "lane_speed", "reach", "laser", "lasers", "lanes_per_laser", "power_w", "fit",
		"price_usd", "lead_time_weeks", "standard", "protocols", "price_by_length"
	};
	if (cable)
		LF_TRY(lfi_ycheck_keys(r->d, r->map, "cable", ckeys, LF_ARRAY_LEN(ckeys), r->err));
	else
		LF_TRY(lfi_ycheck_keys(r->d, r->map, "transceiver", tkeys, LF_ARRAY_LEN(tkeys), r->err));
	lf_optic *e = lfi_arena_alloc(&r->cat->arena, sizeof *e);
	if (!e)
		return lfi_oom(r->err);
	LF_TRY(read_head(r, file, &r->cat->optics, offsetof(lf_optic, pos), e));
	LF_TRY(r_form_factor(r, "form_factor", true, &e->form_factor));
	LF_TRY(r_gbps(r, "link_speed", true, &e->link_gbps));
	e->links = 1;
	LF_TRY(r_int(r, "links", false, 1, 64, &e->links));
	LF_TRY(r_int(r, "lanes", true, 1, 64, &e->lanes));
	LF_TRY(r_gbps(r, "lane_speed", true, &e->lane_gbps));
	LF_TRY(r_length(r, "reach", true, &e->reach_m));
	int v = 0;
	LF_TRY(r_enum(r, "laser", !cable, laser_names, LF_ARRAY_LEN(laser_names), &v));
	e->laser = (lf_laser)v;
	e->lasers = -1;
	LF_TRY(r_int(r, "lasers", false, 0, 64, &e->lasers));
	LF_TRY(r_int(r, "lanes_per_laser", false, 1, 64, &e->lanes_per_laser));
	LF_TRY(r_power(r, "power_w", &e->power_typ_w, &e->power_max_w));
	LF_TRY(r_num(r, "fit", false, 0, 1e9, &e->fit));
	LF_TRY(r_num(r, "price_usd", false, 0, 1e9, &e->price_usd));
	LF_TRY(r_int(r, "lead_time_weeks", false, 0, 520, &e->lead_time_weeks));
	LF_TRY(r_str(r, "standard", false, &e->standard));
	LF_TRY(r_protocols(r, &e->protocols));
	if (!cable) {
		v = 0;
		LF_TRY(r_enum(r, "drive", false, drive_names, LF_ARRAY_LEN(drive_names), &v));
		e->drive = (lf_drive)v;
	}
	if (cable) {
		v = 0;
		LF_TRY(r_enum(r, "kind", true, cable_kinds, LF_ARRAY_LEN(cable_kinds), &v));
		if (v == LF_OPTIC_TRANSCEIVER)
			return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "kind"),
			                 "cable kind must be dac, acc, aec or aoc, got \"transceiver\" "
			                 "(transceivers go in the transceivers: section)");
		e->kind = (lf_optic_kind)v;
		LF_TRY(r_length_prices(r, &e->prices));
		e->medium = e->kind == LF_OPTIC_AOC ? LF_MEDIUM_MMF : LF_MEDIUM_COPPER;
		e->legs = 1;
		LF_TRY(r_int(r, "legs", false, 1, 16, &e->legs));
		LF_TRY(r_form_factor(r, "form_factor_b", false, &e->form_factor_b));
		if (!e->form_factor_b)
			e->form_factor_b = e->form_factor;
		if (e->links % e->legs != 0)
			return lfi_yfail(r->err, r->d, r->map,
			                 "cable \"%s\": %d links cannot be split evenly over %d legs",
			                 e->id, e->links, e->legs);
		e->fits = LF_FITS_ANY;
	} else {
		e->kind = LF_OPTIC_TRANSCEIVER;
		LF_TRY(r_str(r, "standard", true, &e->standard));
		v = 0;
		LF_TRY(r_enum(r, "medium", true, medium_names, LF_ARRAY_LEN(medium_names), &v));
		e->medium = (lf_medium)v;
		if (e->medium == LF_MEDIUM_COPPER)
			return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "medium"),
			                 "transceiver medium must be mmf or smf, got \"copper\" "
			                 "(copper parts go in the cables: section)");
		LF_TRY(r_str(r, "connector", true, &e->connector));
		LF_TRY(r_int(r, "fibres_per_link", true, 1, 64, &e->fibres_per_link));
		v = 0;
		LF_TRY(r_enum(r, "fits", false, fits_names, LF_ARRAY_LEN(fits_names), &v));
		e->fits = (lf_fit_end)v;
		e->legs = 1;
	}
	LF_TRY(check_lasers(r, e, cable));
	if ((int64_t)e->lanes * e->lane_gbps != (int64_t)e->links * e->link_gbps)
		return lfi_yfail(r->err, r->d, r->map,
		                 "%s \"%s\": %d lanes x %dG do not equal %d links x %dG",
		                 cable ? "cable" : "transceiver", e->id, e->lanes, e->lane_gbps,
		                 e->links, e->link_gbps);
	return push_entry(r, &r->cat->optics, e);
}

static lf_status load_fibre(reader *r, const char *file)
{
	static const char *const keys[] = { COMMON_KEYS, "medium", "connector", "price_usd",
	                                    "price_by_length" };
	LF_TRY(lfi_ycheck_keys(r->d, r->map, "fibre", keys, LF_ARRAY_LEN(keys), r->err));
	lf_fibre *e = lfi_arena_alloc(&r->cat->arena, sizeof *e);
	if (!e)
		return lfi_oom(r->err);
	LF_TRY(read_head(r, file, &r->cat->fibres, offsetof(lf_fibre, pos), e));
	int v = 0;
	LF_TRY(r_enum(r, "medium", true, medium_names, 2, &v));
	e->medium = (lf_medium)v;
	LF_TRY(r_str(r, "connector", true, &e->connector));
	LF_TRY(r_num(r, "price_usd", false, 0, 1e9, &e->price_usd));
	LF_TRY(r_length_prices(r, &e->prices));
	return push_entry(r, &r->cat->fibres, e);
}

/* laser_sources: an external laser source module (ELS) of co-packaged
 * switches: `lasers` CW lasers in one hot-swappable module.  Kept in the
 * optics list (kind LF_OPTIC_ELS, no link) so supply and reliability see it. */
static lf_status load_els(reader *r, const char *file)
{
	static const char *const keys[] = { COMMON_KEYS, "laser", "lasers", "power_w", "fit",
	                                    "price_usd", "lead_time_weeks" };
	LF_TRY(lfi_ycheck_keys(r->d, r->map, "laser source", keys, LF_ARRAY_LEN(keys), r->err));
	lf_optic *e = lfi_arena_alloc(&r->cat->arena, sizeof *e);
	if (!e)
		return lfi_oom(r->err);
	LF_TRY(read_head(r, file, &r->cat->optics, offsetof(lf_optic, pos), e));
	e->kind = LF_OPTIC_ELS;
	e->form_factor = "els";
	e->standard = "";
	e->connector = "";
	e->legs = 1;
	int v = LF_LASER_SIPH_CW;
	LF_TRY(r_enum(r, "laser", false, laser_names, LF_ARRAY_LEN(laser_names), &v));
	if (v != LF_LASER_SIPH_CW)
		return lfi_yfail(r->err, r->d, lfi_yget(r->d, r->map, "laser"),
		                 "%s laser must be siph-cw (continuous-wave lasers feeding silicon "
		                 "photonics modulators), got \"%s\"", r->what, laser_names[v]);
	e->laser = LF_LASER_SIPH_CW;
	LF_TRY(r_int(r, "lasers", true, 1, 1024, &e->lasers));
	LF_TRY(r_power(r, "power_w", &e->power_typ_w, &e->power_max_w));
	LF_TRY(r_num(r, "fit", false, 0, 1e9, &e->fit));
	LF_TRY(r_num(r, "price_usd", false, 0, 1e9, &e->price_usd));
	LF_TRY(r_int(r, "lead_time_weeks", false, 0, 520, &e->lead_time_weeks));
	return push_entry(r, &r->cat->optics, e);
}

typedef lf_status (*load_fn)(reader *, const char *);
static lf_status load_transceiver(reader *r, const char *f) { return load_optic(r, f, false); }
static lf_status load_cable(reader *r, const char *f) { return load_optic(r, f, true); }

static const struct section {
	const char *key, *what;
	load_fn load;
} sections[] = {
	{ "nics", "nic", load_nic },
	{ "servers", "server", load_server },
	{ "switches", "switch", load_switch },
	{ "transceivers", "transceiver", load_transceiver },
	{ "cables", "cable", load_cable },
	{ "fibres", "fibre", load_fibre },
	{ "laser_sources", "laser source", load_els },
};

lf_status lf_catalog_load_buffer(lf_catalog *cat, const char *name, const char *data,
                                 size_t len, lf_error *err)
{
	if (cat->finished)
		return lfi_fail(err, LF_EINTERNAL, name, 0, 0, "catalog already finished");
	const char *file = lfi_arena_strdup(&cat->arena, name);
	if (!file)
		return lfi_oom(err);
	lfi_ydoc d;
	LF_TRY(lfi_ydoc_load(&d, file, data, len, err));
	yaml_node_t *root = lfi_ydoc_root(&d);
	const char *keys[LF_ARRAY_LEN(sections)];
	for (size_t i = 0; i < LF_ARRAY_LEN(sections); i++)
		keys[i] = sections[i].key;
	lf_status st = lfi_ycheck_keys(&d, root, "catalog file", keys, LF_ARRAY_LEN(keys), err);
	for (size_t s = 0; st == LF_OK && s < LF_ARRAY_LEN(sections); s++) {
		yaml_node_t *list = lfi_yget(&d, root, sections[s].key);
		if (!list)
			continue;
		char what[64];
		snprintf(what, sizeof what, "catalog section %s", sections[s].key);
		st = lfi_yexpect(&d, list, YAML_SEQUENCE_NODE, what, err);
		for (yaml_node_item_t *it = list->data.sequence.items.start;
		     st == LF_OK && it < list->data.sequence.items.top; it++) {
			yaml_node_t *item = lfi_ynode(&d, *it);
			char iwhat[200];
			const char *id = lfi_yscalar(lfi_yget(&d, item, "id"));
			snprintf(iwhat, sizeof iwhat, "%s \"%.64s\"", sections[s].what, id ? id : "?");
			reader r = { cat, &d, item, iwhat, err };
			st = lfi_yexpect(&d, item, YAML_MAPPING_NODE, sections[s].what, err);
			if (st == LF_OK)
				st = sections[s].load(&r, file);
		}
	}
	lfi_ydoc_release(&d);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

lf_status lf_catalog_load_path(lf_catalog *cat, const char *path, lf_error *err)
{
	struct stat sb;
	if (stat(path, &sb) != 0)
		return lfi_fail(err, LF_EIO, path, 0, 0, "catalog not found");
	if (!S_ISDIR(sb.st_mode)) {
		/* a file is loaded once, by its real path: the spec's catalog: and
		 * --catalog may name the same one */
		char *real = realpath(path, NULL);
		if (real) {
			for (size_t i = 0; i < cat->loaded.len; i++)
				if (strcmp(*LF_VEC_AT(&cat->loaded, char *, i), real) == 0) {
					free(real);
					return LF_OK;
				}
			char **slot = lfi_vec_push(&cat->loaded);
			char *kept = slot ? lfi_arena_strdup(&cat->arena, real) : NULL;
			free(real);
			if (!kept) {
				if (slot)
					cat->loaded.len--;
				return lfi_oom(err);
			}
			*slot = kept;
		}
		size_t len;
		char *data = lfi_read_file(path, &len, err);
		if (!data)
			return LF_EIO;
		lf_status st = lf_catalog_load_buffer(cat, path, data, len, err);
		free(data);
		return st;
	}
	DIR *dir = opendir(path);
	if (!dir)
		return lfi_fail(err, LF_EIO, path, 0, 0, "cannot open catalog directory");
	lfi_vec names;
	lfi_vec_init(&names, sizeof(char *));
	struct dirent *de;
	lf_status st = LF_OK;
	while ((de = readdir(dir))) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0 || de->d_name[0] == '.')
			continue;
		char **slot = lfi_vec_push(&names);
		size_t plen = strlen(path) + n + 2;
		char *full = slot ? malloc(plen) : NULL;
		if (!full) {
			st = lfi_oom(err);
			break;
		}
		snprintf(full, plen, "%s/%s", path, de->d_name);
		*slot = full;
	}
	closedir(dir);
	if (names.len)   /* names.data is NULL when the directory has no *.yaml */
		qsort(names.data, names.len, sizeof(char *), cmp_str);
	size_t n_files = names.len;
	for (size_t i = 0; i < names.len; i++) {
		char *p = *LF_VEC_AT(&names, char *, i);
		if (st == LF_OK && p)
			st = lf_catalog_load_path(cat, p, err);
		free(p);
	}
	lfi_vec_release(&names);
	if (st == LF_OK && n_files == 0)
		return lfi_fail(err, LF_EINPUT, path, 0, 0, "no *.yaml catalog files in directory");
	return st;
}

lf_status lf_catalog_finish(lf_catalog *cat, lf_error *err)
{
	if (cat->finished)
		return LF_OK;
	for (size_t i = 0; i < cat->servers.len; i++) {
		lf_server *s = *LF_VEC_AT(&cat->servers, lf_server *, i);
		nic_ref *ref = LF_VEC_AT(&cat->nic_refs, nic_ref, i);
		s->nic = find_id(&cat->nics, ref->id);
		if (!s->nic) {
			const char *cands[256];
			size_t n = 0;
			for (size_t k = 0; k < cat->nics.len && n < 256; k++)
				cands[n++] = (*LF_VEC_AT(&cat->nics, lf_nic *, k))->id;
			const char *dym = lf_did_you_mean(ref->id, cands, n);
			return lfi_fail(err, LF_EINPUT, ref->pos.file, ref->pos.line, ref->pos.col,
			                "server \"%s\" names nic \"%s\", which no catalog file defines%s%s%s",
			                s->id, ref->id, dym ? " (did you mean \"" : "", dym ? dym : "",
			                dym ? "\"?)" : "");
		}
		if (s->nic->max_gbps < s->port_gbps)
			return lfi_fail(err, LF_EINPUT, ref->pos.file, ref->pos.line, ref->pos.col,
			                "server \"%s\": nic \"%s\" runs at most %dG, ports are %dG", s->id,
			                s->nic->id, s->nic->max_gbps, s->port_gbps);
	}
	for (size_t i = 0; i < cat->els_refs.len; i++) {
		els_ref *ref = LF_VEC_AT(&cat->els_refs, els_ref, i);
		const lf_optic *o = find_id(&cat->optics, ref->id);
		if (!o || o->kind != LF_OPTIC_ELS) {
			const char *cands[256];
			size_t n = 0;
			for (size_t k = 0; k < cat->optics.len && n < 256; k++) {
				const lf_optic *x = *LF_VEC_AT(&cat->optics, lf_optic *, k);
				if (x->kind == LF_OPTIC_ELS)
					cands[n++] = x->id;
			}
			const char *dym = lf_did_you_mean(ref->id, cands, n);
			return lfi_fail(err, LF_EINPUT, ref->pos.file, ref->pos.line, ref->pos.col,
			                "switch \"%s\" co_packaged laser_source \"%s\" is %s%s%s%s",
			                ref->sw->id, ref->id, o ? "not a laser_sources: entry"
			                                       : "in no catalog laser_sources: section",
			               dym ? " (did you mean \"" : "", dym ? dym : "", dym ? "\"?)" : "");
		}
		ref->sw->els = o;
	}
	cat->finished = true;
	return LF_OK;
}
