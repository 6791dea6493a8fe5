/*
 * lightfab.h — the one public header of liblightfab.
 *
 * lightfab plans, simulates and sources the optical interconnect of AI GPU
 * clusters.  Data flow (see DESIGN.md):
 *
 *   catalog + spec  ->  topo (nodes, ports, links)  ->  media (SKU per link)
 *                   ->  bom (counts, power, capex)  ->  emit (table/JSON/CSV/DOT)
 *
 * Conventions, the same for every entry point:
 *   - Every fallible function returns lf_status and, on failure, fills the
 *     lf_error the caller passed (may be NULL).  User-input errors carry the
 *     file, line and column (1-based) of the offending YAML node.
 *   - The library never prints and never exits.  Renderers return a string
 *     the caller owns (free() it).
 *   - Ownership: an object returned through an `**out` parameter belongs to
 *     the caller and is released with its lf_<type>_free().  Pointers found
 *     inside a result (names, SKUs, catalog entries) stay valid until the
 *     object that owns them is freed: a plan borrows from its spec and
 *     catalog, so free the plan first.
 *   - No global state: objects are independent and may live in several
 *     threads as long as each object is used by one thread at a time.
 */
#ifndef LIGHTFAB_H
#define LIGHTFAB_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define LF_VERSION "0.1.0"

/* ------------------------------------------------------------------ errors */

typedef enum lf_status {
	LF_OK = 0,
	LF_EINPUT,    /* bad user input: spec, catalog, command-line value */
	LF_ENOMEM,    /* allocation failed */
	LF_EIO,       /* file could not be read or written */
	LF_ESOLVER,   /* LP/MIP solver failure */
	LF_EINTERNAL  /* a bug: an invariant of the library did not hold */
} lf_status;

typedef struct lf_error {
	lf_status status;
	char file[512];  /* "" when the error is not tied to a file */
	int line, col;   /* 1-based; 0 when unknown */
	char msg[1024];  /* what was expected, what was found */
} lf_error;

const char *lf_strerror(lf_status st);
/* "file:line:col: msg" (or the parts that are known) into buf; returns buf. */
char *lf_error_format(const lf_error *err, char *buf, size_t n);

/* Write `len` bytes to `path` atomically: a temporary file in the same
 * directory, renamed over `path` on success, removed on failure. */
lf_status lf_write_file_atomic(const char *path, const char *data, size_t len,
                               lf_error *err);

/* ----------------------------------------------------------------- catalog */

typedef enum lf_medium { LF_MEDIUM_MMF, LF_MEDIUM_SMF, LF_MEDIUM_COPPER } lf_medium;

typedef enum lf_laser {
	LF_LASER_NONE, LF_LASER_VCSEL, LF_LASER_EML, LF_LASER_SIPH_CW, LF_LASER_DML
} lf_laser;

typedef enum lf_optic_kind {
	LF_OPTIC_TRANSCEIVER, /* one module per cage, fibre between ends */
	LF_OPTIC_DAC,         /* passive copper */
	LF_OPTIC_ACC,         /* linear active copper */
	LF_OPTIC_AEC,         /* retimed active copper */
	LF_OPTIC_AOC          /* active optical cable, optics built in */
} lf_optic_kind;

typedef enum lf_fit_end { LF_FITS_ANY, LF_FITS_SWITCH, LF_FITS_SERVER } lf_fit_end;

/* Where a catalog entry was defined (for error messages). */
typedef struct lf_pos { const char *file; int line, col; } lf_pos;

typedef struct lf_nic {
	const char *id, *name, *source;
	int max_gbps;
	double power_w, fit, price_usd;
	lf_pos pos;
} lf_nic;

typedef struct lf_server {
	const char *id, *name, *source;
	const char *gpu_model;
	int gpus;                 /* GPUs per server (or compute tray) */
	const lf_nic *nic;        /* scale-out NIC */
	int nic_ports;            /* scale-out ports = rails */
	int port_gbps;            /* speed of one scale-out port */
	int cages;                /* scale-out cages on the server */
	int cage_gbps;            /* bandwidth of one cage */
	const char *form_factor;  /* "osfp", "qsfp112", ... */
	int nvlink_domain_gpus;   /* GPUs in one NVLink domain */
	double nvlink_gbps;       /* per GPU, each direction */
	double gpu_tflops;        /* dense BF16 peak per GPU */
	double power_w, price_usd, fit;
	lf_pos pos;
} lf_server;

typedef struct lf_switch {
	const char *id, *name, *source;
	const char *asic;
	int cages;                /* front-panel cages */
	int cage_gbps;            /* bandwidth of one cage */
	const char *form_factor;
	int n_port_speeds;
	int port_speeds[8];       /* logical port speeds a cage can be split into */
	double power_typ_w, power_max_w, fit, price_usd;
	int lead_time_weeks;
	lf_pos pos;
} lf_switch;

typedef struct lf_optic {
	const char *id, *name, *source;
	lf_optic_kind kind;
	const char *form_factor;  /* cage it plugs into (end A for cables) */
	const char *standard;     /* per-link optical standard; ends must match */
	int link_gbps;            /* speed of each link the part carries */
	int links;                /* links per module (twin-port: 2), or per cable */
	int lanes, lane_gbps;
	lf_medium medium;
	const char *connector;    /* per link, e.g. "MPO-12/APC", "LC duplex" */
	int fibres_per_link;      /* strands a link needs (SR4/DR4: 8, FR4: 2) */
	double reach_m;
	lf_laser laser;
	int lasers;               /* lasers per module */
	lf_fit_end fits;          /* finned (switch) / flat-top (server) / any */
	/* cables only: end B is `legs` connectors of `links / legs` links each */
	int legs;
	const char *form_factor_b;
	double power_typ_w, power_max_w; /* per module or per cable */
	double fit, price_usd;
	int lead_time_weeks;
	lf_pos pos;
} lf_optic;

typedef struct lf_fibre {
	const char *id, *name, *source;
	lf_medium medium;
	const char *connector;
	double price_usd;         /* per patch cord */
	lf_pos pos;
} lf_fibre;

typedef struct lf_catalog lf_catalog;

lf_status lf_catalog_new(lf_catalog **out, lf_error *err);
/* Load one YAML file, or every *.yaml file of a directory (sorted). */
lf_status lf_catalog_load_path(lf_catalog *cat, const char *path, lf_error *err);
lf_status lf_catalog_load_buffer(lf_catalog *cat, const char *name,
                                 const char *data, size_t len, lf_error *err);
/* Resolve references between entries; after this the catalog is read-only. */
lf_status lf_catalog_finish(lf_catalog *cat, lf_error *err);
void lf_catalog_free(lf_catalog *cat);

const lf_server *lf_catalog_server(const lf_catalog *cat, const char *id);
const lf_switch *lf_catalog_switch(const lf_catalog *cat, const char *id);
const lf_optic *lf_catalog_optic(const lf_catalog *cat, const char *id);
size_t lf_catalog_n_optics(const lf_catalog *cat);
const lf_optic *lf_catalog_optic_at(const lf_catalog *cat, size_t i);
size_t lf_catalog_n_fibres(const lf_catalog *cat);
const lf_fibre *lf_catalog_fibre_at(const lf_catalog *cat, size_t i);
size_t lf_catalog_n_servers(const lf_catalog *cat);
const lf_server *lf_catalog_server_at(const lf_catalog *cat, size_t i);
size_t lf_catalog_n_switches(const lf_catalog *cat);
const lf_switch *lf_catalog_switch_at(const lf_catalog *cat, size_t i);

/* -------------------------------------------------------------------- spec */

#define LF_MAX_TIERS 3
#define LF_MAX_STAGES 64
#define LF_MAX_LIST 64

typedef enum lf_fabric_kind { LF_FABRIC_RAIL, LF_FABRIC_FATTREE } lf_fabric_kind;
typedef enum lf_policy { LF_POLICY_CHEAPEST, LF_POLICY_POWER, LF_POLICY_AVAILABLE } lf_policy;
typedef enum lf_spare { LF_SPARE_EMPTY, LF_SPARE_CABLED } lf_spare;

typedef struct lf_tier_spec {
	const char *name;         /* "leaf", "spine", "core" by default */
	const char *switch_id;
	const lf_switch *sw;      /* resolved against the catalog */
	int link_gbps;            /* speed of the links into this tier from below; 0 = default */
	double oversubscription;  /* down:up bandwidth of this tier's switches; 1 = non-blocking */
	double distance_m;        /* length of the links below this tier */
	lf_pos pos;
} lf_tier_spec;

typedef struct lf_stage_spec {
	const char *name;
	int need_by;              /* months since year 0: year*12 + (month-1) */
	int64_t servers;          /* cumulative servers deployed by this stage */
	lf_pos pos;
} lf_stage_spec;

typedef struct lf_spec {
	const char *file;         /* path the spec was read from */
	const char *name;
	int64_t servers;          /* servers deployed (the plan) */
	int64_t final_servers;    /* build-out the spines are sized for */
	const char *server_id;
	const lf_server *server;
	int su_servers;           /* server slots per scalable unit; 0 = automatic */
	lf_spare spare_slots;
	lf_fabric_kind kind;
	int rails_per_leaf;       /* 0 = default (rail: 1, fat-tree: all) */
	int planes;
	int tiers;                /* 2, 3, or 0 = automatic */
	int n_tier_specs;
	lf_tier_spec tier[LF_MAX_TIERS];
	int pod_sus;              /* SUs per pod in 3 tiers; 0 = as many as fit */
	lf_policy policy;
	int prefer_copper;        /* copper where reach allows, whatever the policy */
	int n_allow, n_deny;
	const char *allow[LF_MAX_LIST], *deny[LF_MAX_LIST];
	int n_stages;
	lf_stage_spec stage[LF_MAX_STAGES];
	int n_catalogs;           /* extra catalog paths, relative to the spec */
	const char *catalog[LF_MAX_LIST];
	lf_pos pos_servers, pos_su, pos_fabric, pos_policy;
} lf_spec;

/* Parse a spec.  Extra catalog files the spec names are loaded into `cat`
 * (which must not be finished yet); lf_spec_resolve then checks the
 * references once the catalog is finished. */
lf_status lf_spec_load(const char *path, lf_catalog *cat, lf_spec **out, lf_error *err);
lf_status lf_spec_load_buffer(const char *name, const char *data, size_t len,
                              lf_catalog *cat, lf_spec **out, lf_error *err);
lf_status lf_spec_resolve(lf_spec *spec, const lf_catalog *cat, lf_error *err);
void lf_spec_free(lf_spec *spec);

/* ---------------------------------------------------------------- topology */

typedef enum lf_node_kind { LF_NODE_SERVER, LF_NODE_SLOT, LF_NODE_SWITCH } lf_node_kind;

/* A node: a server, a cabled spare slot, or a switch.  tier 0 = server,
 * 1 = leaf, 2 = spine, 3 = core.  Ports are numbered 0..n_ports-1; port p
 * sits in cage lf_node_cage(plan, node, p). */
typedef struct lf_node {
	uint8_t kind, tier;
	uint16_t plane;           /* switches: their plane; servers: 0 */
	uint16_t stage;           /* first stage the node is deployed in */
	uint32_t group;           /* SU (servers, leaves), pod (spines), core group (cores) */
	uint32_t index;           /* index within (tier, plane) */
	uint32_t n_ports, ports_used;
	uint32_t n_cages;         /* cages in use (<= the switch's cages) */
	uint32_t down_cages;      /* cages [0, down_cages) hold downlink ports */
	uint16_t down_ppc, up_ppc;/* logical ports per cage, down and up */
	uint32_t cage_base;       /* index of this node's first cage in the plan */
} lf_node;

/* A link: one logical point-to-point connection at one speed.  `a` is the
 * lower end (server or lower tier), `b` the upper end. */
typedef struct lf_link {
	uint32_t a, b;
	uint32_t a_port, b_port;
	uint16_t level;           /* 1: server-leaf, 2: leaf-spine, 3: spine-core */
	uint16_t plane;
	uint16_t stage;           /* first stage the link is deployed in */
	uint32_t gbps;
} lf_link;

/* ------------------------------------------------------------------- media */

typedef struct lf_media {
	int level;
	int gbps;
	double distance_m;
	const lf_optic *lower;    /* transceiver at the lower end (NULL for a cable) */
	const lf_optic *upper;    /* transceiver at the upper end */
	const lf_optic *cable;    /* DAC/ACC/AEC/AOC, or NULL */
	int cable_reversed;       /* cable end A sits at the upper end */
	const lf_fibre *fibre;    /* patch cord per optical link, may be NULL */
	int lower_ppc, upper_ppc; /* logical ports per cage at each end */
	char why[256];            /* how the choice was made */
} lf_media;

/* --------------------------------------------------------------------- bom */

typedef enum lf_bom_cat {
	LF_BOM_SWITCH, LF_BOM_TRANSCEIVER, LF_BOM_CABLE, LF_BOM_FIBRE
} lf_bom_cat;
typedef enum lf_end { LF_END_NONE, LF_END_SWITCH, LF_END_SERVER } lf_end;

typedef struct lf_bom_line {
	lf_bom_cat cat;
	const char *sku, *name;
	lf_end end;
	int level;                /* link level it serves (0 for switches) */
	int links_per_module;
	uint64_t count;
	double unit_price_usd, unit_power_typ_w, unit_power_max_w;
} lf_bom_line;

typedef struct lf_bom {
	size_t n_lines;
	lf_bom_line *lines;
	uint64_t switches, links, cables, fibres, modules;
	uint64_t modules_switch_end, modules_server_end;
	uint64_t links_level[LF_MAX_TIERS + 1];
	/* cages occupied per link level at its lower and upper end: one module
	 * (or, for a cable, one connector) each */
	uint64_t cages_lower[LF_MAX_TIERS + 1], cages_upper[LF_MAX_TIERS + 1];
	double power_typ_w, power_max_w, capex_usd;
	double power_typ_cat_w[4], power_max_cat_w[4], capex_cat_usd[4];
} lf_bom;

/* -------------------------------------------------------------------- plan */

typedef struct lf_tier_result {
	const char *name;
	int tier, plane;
	uint64_t switches;
	const char *switch_model;
	uint64_t links_down, links_up;
	int link_gbps, up_link_gbps;
	uint32_t ports_down, ports_up;      /* per switch, provisioned */
	double oversubscription;            /* down:up bandwidth, from the links */
} lf_tier_result;

typedef struct lf_stage_result {
	const char *name;
	int need_by;
	int64_t servers, gpus;
	lf_bom bom;        /* cumulative, deployed by this stage */
	lf_bom delta;      /* added by this stage */
} lf_stage_result;

typedef struct lf_plan {
	const lf_spec *spec;
	const lf_catalog *cat;
	const char *name;
	int64_t gpus, servers, slots;
	int tiers, planes;
	int su_servers, sus, pod_sus, pods;
	int rails_per_leaf, leaves_per_su;
	/* topology */
	size_t n_nodes, n_links;
	lf_node *nodes;
	lf_link *links;
	uint32_t n_cages;
	/* per (tier, plane) summaries, tier-major */
	size_t n_tier_results;
	lf_tier_result *tier_results;
	lf_media media[LF_MAX_TIERS + 1];   /* index = link level */
	lf_bom bom;
	size_t n_stages;
	lf_stage_result *stages;
	char notes[1024];                   /* decisions a user should know */
} lf_plan;

/* Build the fabric and the bill of materials.  spec must be resolved. */
lf_status lf_plan_build(const lf_spec *spec, const lf_catalog *cat, lf_plan **out,
                        lf_error *err);
void lf_plan_free(lf_plan *plan);
uint32_t lf_node_cage(const lf_node *n, uint32_t port);

/* Convenience: load catalog dir + spec, finish, resolve, plan.  `*cat_out`
 * and `*spec_out` receive the objects the plan borrows from. */
lf_status lf_plan_from_files(const char *catalog_dir, const char *spec_path,
                             lf_catalog **cat_out, lf_spec **spec_out,
                             lf_plan **plan_out, lf_error *err);

/* ------------------------------------------------------------------- emit */

typedef enum lf_format { LF_FMT_TABLE, LF_FMT_JSON, LF_FMT_CSV, LF_FMT_DOT } lf_format;

/* Render a plan; *out is a NUL-terminated string the caller frees. */
lf_status lf_plan_render(const lf_plan *plan, lf_format fmt, char **out, lf_error *err);


/* ------------------------------------------------------------- reliability */
/*
 * `lightfab reliability`: failures per day by component class, the
 * interruption rate and MTTF of a job of N GPUs on the plan's fabric,
 * goodput with optimally spaced checkpoints (Young/Daly), and spares per SKU
 * (Poisson quantile over the replenishment lead time).  Rates are FIT:
 * failures per 10^9 device-hours.  The model is described at the top of
 * src/reliability.c and in docs/reliability.md.
 *
 * Ownership: lf_reliability_params_* objects and lf_reliability results own
 * their memory; free them with their _free().  A result borrows from its
 * plan (SKU ids, names): free it before the plan.
 */
typedef enum lf_rel_class {
	LF_RC_XCVR_VCSEL, LF_RC_XCVR_EML, LF_RC_XCVR_SIPH_CW, LF_RC_XCVR_DML,
	LF_RC_XCVR_OTHER,         /* transceiver with no laser type in the catalog */
	LF_RC_AOC, LF_RC_DAC, LF_RC_ACC, LF_RC_AEC,
	LF_RC_FIBRE,              /* patch cord / trunk per optical link */
	LF_RC_SWITCH, LF_RC_NIC,
	LF_RC_SERVER,             /* excluded by default (FIT 0): not the network */
	LF_RC_COUNT
} lf_rel_class;

/* "transceiver-eml", "dac", "switch", ... */
const char *lf_rel_class_name(lf_rel_class c);

typedef struct lf_rel_rate {
	double fit;               /* failures per 1e9 device-hours */
	const char *source;       /* citation, or "assumption: ..." */
	lf_pos pos;               /* where a params file set it; pos.file NULL = built in */
} lf_rel_rate;

typedef struct lf_rel_sku_rate {
	const char *sku;
	int has_fit;              /* 0: only the lead time is overridden */
	lf_rel_rate rate;
	double lead_time_h;       /* 0: the global lead time */
} lf_rel_sku_rate;

typedef struct lf_reliability_params {
	const char *file;                  /* NULL: built-in defaults only */
	lf_rel_rate class_fit[LF_RC_COUNT];
	int class_from_file[LF_RC_COUNT];  /* set by the params file (else built in) */
	size_t n_sku;
	lf_rel_sku_rate *sku;              /* per-SKU overrides */
	lf_rel_rate link_flap;             /* flaps per 1e9 link-hours (0: not modelled) */
	double checkpoint_h;               /* time to write one checkpoint */
	double restart_h;                  /* time to restart from the last checkpoint */
	double repair_h;                   /* time to restore a failed plane component */
	double lead_time_h;                /* spares replenishment lead time */
	double fill_rate;                  /* P(lead-time failures <= stock), in (0, 1) */
	double horizon_h;                  /* job duration for expected interruptions */
	void *impl_;                       /* owned memory; do not touch */
} lf_reliability_params;

/* Built-in defaults (path NULL) overridden by the YAML file at `path`. */
lf_status lf_reliability_params_load(const char *path, lf_reliability_params **out,
                                     lf_error *err);
lf_status lf_reliability_params_load_buffer(const char *name, const char *data, size_t len,
                                            lf_reliability_params **out, lf_error *err);
void lf_reliability_params_free(lf_reliability_params *p);

/* One SKU (or the NIC / server model) of the cluster. */
typedef struct lf_rel_item {
	const char *sku, *name;
	lf_rel_class cls;
	uint64_t count;           /* in the cluster */
	uint64_t job_count;       /* on the job's paths */
	uint64_t job_redundant;   /* of job_count: confined to one plane, covered by the others */
	double fit;
	const char *fit_from;     /* "params sku", "catalog", "params class", "default" */
	const char *fit_source;   /* the citation behind the figure */
	double failures_per_day, failures_per_month;
	double lead_time_h;
	double lead_time_mean;    /* expected failures over the lead time */
	int64_t spares;           /* Poisson quantile at the fill rate */
} lf_rel_item;

typedef struct lf_reliability {
	const char *name;
	int64_t cluster_gpus, job_gpus, job_servers;
	int planes, tiers;
	int job_sus, job_pods;          /* SUs and pods the job's servers occupy */
	int job_uses_spines, job_uses_cores;
	uint64_t job_leaves, job_spines, job_cores;
	size_t n_items;
	lf_rel_item *items;             /* sorted by class, then SKU */
	uint64_t class_count[LF_RC_COUNT];
	double class_failures_per_day[LF_RC_COUNT];
	double failures_per_day, failures_per_month;       /* every class */
	double network_failures_per_day;                   /* every class but servers */
	double flaps_per_day;                              /* every link of the cluster */
	/* the job: interruption rate = series + two planes down at once + flaps */
	double job_class_per_day[LF_RC_COUNT];  /* interruptions from series parts, per class */
	double job_series_per_h;
	double job_plane_failures_per_h;        /* failures of one-plane parts (not interruptions) */
	double job_plane_overlap_per_h;         /* two planes down within the repair time */
	double job_flaps_per_h;
	double job_interrupts_per_day, job_mttf_h;   /* mttf 0 when nothing can fail */
	double job_interrupts_horizon;
	/* checkpointing, all in hours */
	double ckpt_young_h, ckpt_daly_h;
	double goodput_daly, goodput_young;     /* useful fraction of wall-clock time */
	int64_t spares_total;
	/* the parameters used */
	double checkpoint_h, restart_h, repair_h, lead_time_h, fill_rate, horizon_h;
	const char *params_file;
	char notes[2048];
	void *impl_;
} lf_reliability;

/* job_gpus <= 0: the whole cluster.  The job takes ceil(job_gpus / GPUs per
 * server) servers in SU order. */
lf_status lf_reliability_compute(const lf_plan *plan, const lf_reliability_params *params,
                                 int64_t job_gpus, lf_reliability **out, lf_error *err);
void lf_reliability_free(lf_reliability *r);
/* LF_FMT_TABLE, LF_FMT_JSON or LF_FMT_CSV. */
lf_status lf_reliability_render(const lf_reliability *r, lf_format fmt, char **out,
                                lf_error *err);
/* Two results side by side (compare mode): the same job on two specs. */
lf_status lf_reliability_render_compare(const lf_reliability *a, const lf_reliability *b,
                                        lf_format fmt, char **out, lf_error *err);

/* Closed forms the model is built from, public so they can be checked. */
double lf_poisson_cdf(int64_t k, double mean);            /* P(X <= k) */
int64_t lf_poisson_quantile(double mean, double p);       /* least k with P(X <= k) >= p */
double lf_young_interval(double checkpoint, double mttf); /* sqrt(2 d M) */
double lf_daly_interval(double checkpoint, double mttf);  /* Daly 2006, higher order */
/* Fraction of wall-clock time doing useful work with checkpoint interval
 * tau (Daly 2006, exponential failures): tau / (M e^(R/M) (e^((tau+d)/M) - 1)). */
double lf_checkpoint_goodput(double tau, double checkpoint, double restart, double mttf);

#ifdef __cplusplus
}
#endif
#endif
