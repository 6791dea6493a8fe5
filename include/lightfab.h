/*
 * lightfab.h — the one public header of liblightfab.
 *
 * lightfab plans, simulates and sources the optical interconnect of AI GPU
 * clusters.  Data flow (docs/design.md has the picture):
 *
 *   catalog + spec  ->  topo (nodes, ports, links)  ->  media (SKU per link)
 *                   ->  bom (counts, power, capex)  ->  render (table/JSON/CSV/DOT)
 *   plan + workload ->  sim (collectives, training step, traffic matrices)
 *   plan + params   ->  reliability;   plans + scenario  ->  supply (GLPK)
 *   report (HTML), compare/sweep and serve sit on top of all of them.
 *
 * The sections below follow that order: each uses only the ones above it.
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
 *   - Two kinds of objects.  Handles (lf_catalog, lf_sim, lf_sweep,
 *     lf_serve) are opaque: built with lf_<type>_new or _start, changed and
 *     read through functions.  Inputs and results (lf_spec, lf_plan,
 *     lf_workload, lf_sim_report, lf_reliability, lf_supply_scenario,
 *     lf_supply_result, ...) are structs to read; a member named impl_
 *     holds memory the object owns and is not for the caller.
 *   - Names: lf_<object>_<verb>; every loader has the matching free
 *     (lf_X_load / lf_X_load_buffer -> lf_X_free).  Every lf_ function and
 *     type is declared here and public; the library's internals are lfi_
 *     and declared in the src/<layer>/ headers only.
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
	LF_EINTERNAL, /* a bug: an invariant of the library did not hold */
	LF_ELIMIT     /* over a limit (lf_limits: input size, nesting, work) or cancelled */
} lf_status;

typedef struct lf_error {
	lf_status status;
	char file[512];  /* "" when the error is not tied to a file */
	int line, col;   /* 1-based; 0 when unknown */
	char msg[1024];  /* what was expected, what was found */
} lf_error;

const char *lf_strerror(lf_status st);
/* LF_VERSION of the library actually linked (bindings load it at run time). */
const char *lf_version(void);
/* Free a string the library returned (*out of the render functions); for
 * callers that do not share the library's malloc, such as language
 * bindings.  C callers may use free(). */
void lf_free(void *p);
/* Monotonic wall-clock seconds (CLOCK_MONOTONIC): the one clock of the
 * library and the tools, for timings and progress lines. */
double lf_wall_now(void);
/* The candidate closest to `word` within a small edit distance, or NULL:
 * the "did you mean" of every error message (and of the CLI's verbs). */
const char *lf_did_you_mean(const char *word, const char *const *cands, size_t n);
/* "file:line:col: msg" (or the parts that are known) into buf; returns buf. */
char *lf_error_format(const lf_error *err, char *buf, size_t n);

/* Limits on what one call may read and do, process-wide: set them once at
 * start-up, before any thread calls into the library (lf_limits_set is not
 * synchronised).  A zero field keeps its default.  Going over one is
 * LF_ELIMIT with a message that names the figure, the limit and the option
 * that raises it.
 *   input_bytes   bytes read from one input file (default 64 MiB); a
 *                 stream or device is read up to it, then refused
 *   depth         nesting of YAML collections (default 64), checked on the
 *                 text before libyaml parses it (libyaml is quadratic in it)
 *   work          work units of one verb or request (default 8,000,000),
 *                 estimated before the work: simulated flows (an
 *                 all-to-all of N ranks is N(N-1) per size), 3 per GPU
 *                 planned, 1,000 per sweep point, 1 per YAML node with
 *                 aliases expanded (src/sim/budget.c) */
typedef struct lf_limits {
	uint64_t input_bytes;
	unsigned depth;
	uint64_t work;
} lf_limits;
#define LF_LIMIT_INPUT_BYTES (64ull << 20)
#define LF_LIMIT_DEPTH 64u
#define LF_LIMIT_WORK 8000000ull
void lf_limits_set(const lf_limits *l);
lf_limits lf_limits_get(void);

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
	LF_OPTIC_AOC,         /* active optical cable, optics built in */
	LF_OPTIC_ELS          /* external laser source of a co-packaged-optics switch
	                       * (catalog laser_sources:); carries no link */
} lf_optic_kind;

typedef enum lf_fit_end { LF_FITS_ANY, LF_FITS_SWITCH, LF_FITS_SERVER } lf_fit_end;

/* How a module drives its host's electrical lanes: a DSP/retimer both ways
 * (any host), linear both ways (LPO) or linear receive with a transmit
 * retimer (LRO); the last two only where the host declares it. */
typedef enum lf_drive { LF_DRIVE_RETIMED, LF_DRIVE_LPO, LF_DRIVE_LRO } lf_drive;
#define LF_DRIVE_BIT(d) (1u << ((d) - 1))   /* lf_switch.linear_drive bits */

/* Link protocols, a bitmask (the `protocols:` list of a NIC, switch,
 * transceiver or cable).  0 = not stated in the catalog, which means both:
 * the planner then assumes the part runs InfiniBand and Ethernet. */
#define LF_PROTO_IB  0x1u
#define LF_PROTO_ETH 0x2u
#define LF_PROTO_ANY (LF_PROTO_IB | LF_PROTO_ETH)

/* Where a catalog entry was defined (for error messages). */
typedef struct lf_pos { const char *file; int line, col; } lf_pos;

/* One way a NIC port can run: `ports` logical ports of `gbps` each, with
 * these protocols (ConnectX-8: 1 x 800G XDR IB, or 2 x 400GbE). */
typedef struct lf_nic_mode {
	int gbps, ports;
	unsigned protocols;       /* LF_PROTO_*; 0 = not stated (both) */
} lf_nic_mode;

#define LF_MAX_NIC_MODES 8

typedef struct lf_nic {
	const char *id, *name, *source;
	int max_gbps;
	double power_w, fit, price_usd;
	lf_pos pos;
	unsigned protocols;       /* LF_PROTO_* the ports run; 0 = not stated (both) */
	/* modes per speed; none listed = any split up to max_gbps runs `protocols` */
	int n_modes;
	lf_nic_mode modes[LF_MAX_NIC_MODES];
} lf_nic;

typedef enum lf_gpu_arch {
	LF_ARCH_VOLTA, LF_ARCH_AMPERE, LF_ARCH_HOPPER, LF_ARCH_BLACKWELL
} lf_gpu_arch;

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
	double gpu_fp8_tflops;    /* dense FP8 peak per GPU (0: no FP8 tensor cores) */
	double gemm_share;        /* best-shape BF16 GEMM throughput / BF16 peak (0: unknown) */
	double gemm_share_fp8;    /* the same for FP8 */
	double sustained_share;   /* tensor-core throughput sustained in training /
	                             the microbenchmark ceiling above (0: 1) */
	double hbm_gbs;           /* GPU memory bandwidth, GB/s */
	double hbm_gb;            /* GPU memory as marketed (80 for H100 80GB), taken as GiB:
	                             what nvidia-smi reports (0: unknown) */
	double host_link_gbs;     /* GPU to host memory, GB/s each direction (PCIe, or
	                             NVLink-C2C on Grace trays; 0: unknown) */
	int gpu_sms;              /* streaming multiprocessors per GPU (wave quantization) */
	double power_w, price_usd, fit;
	int rack_units;           /* height in rack units (catalog rack_units; 0: not stated) */
	lf_pos pos;
	lf_gpu_arch gpu_arch;     /* selects NCCL's tuning constants */
	int nvswitch;             /* NVLink through NVSwitch: NVLS runs here */
	int cpu_amd;              /* host CPU is AMD (NCCL's LL and net overheads) */
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
	int rack_units;           /* height in rack units (catalog rack_units; 0: not stated) */
	lf_pos pos;
	unsigned protocols;       /* LF_PROTO_* the switch runs; 0 = not stated (both) */
	int sharp;                /* in-network reduction (SHARP) for NCCL CollNet */
	unsigned linear_drive;    /* LF_DRIVE_* bits: linear optics its SerDes can drive */
	/* co-packaged optics (catalog co_packaged:): each port is an optical
	 * engine in the switch package, described by cpo_port (co_packaged = 1,
	 * form factor "cpo", no price, no lasers); the far end plugs a module of
	 * its standard and connector.  Its CW light comes from `els_per_switch`
	 * external laser source modules `els`.  NULL / 0: pluggable cages. */
	const struct lf_optic *cpo_port;
	const struct lf_optic *els;
	int els_per_switch;
} lf_switch;

/* Prices of a cable or patch-cord family per orderable length (catalog
 * `price_by_length: {1m: 85, 2m: 95}`); a length not listed costs the part's
 * price_usd (lf_length_price). */
#define LF_MAX_LENGTH_PRICES 24
typedef struct lf_length_prices {
	int n;
	double length_m[LF_MAX_LENGTH_PRICES], usd[LF_MAX_LENGTH_PRICES];
} lf_length_prices;
/* The price of `length_m` from `p`, else `base` (length 0: base). */
double lf_length_price(const lf_length_prices *p, double base, double length_m);

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
	int lasers;               /* lasers per module (per cable for an AOC: both ends) */
	int lanes_per_laser;      /* SiPh + CW: lanes one CW laser feeds; 0 = not stated */
	lf_fit_end fits;          /* finned (switch) / flat-top (server) / any */
	/* cables only: end B is `legs` connectors of `links / legs` links each */
	int legs;
	const char *form_factor_b;
	double power_typ_w, power_max_w; /* per module or per cable */
	double fit, price_usd;
	int lead_time_weeks;
	lf_pos pos;
	unsigned protocols;       /* LF_PROTO_* the part works with; 0 = not stated (both) */
	lf_drive drive;           /* retimed, or linear (LPO / LRO) */
	lf_length_prices prices;  /* cables: price per orderable length */
	int co_packaged;          /* a co-packaged switch port (lf_switch.cpo_port): no module */
} lf_optic;

typedef struct lf_fibre {
	const char *id, *name, *source;
	lf_medium medium;
	const char *connector;
	double price_usd;         /* per patch cord */
	lf_length_prices prices;  /* price per orderable length */
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

/* The optional `layout:` section of a spec (src/plan/layout.c): the floor the
 * fabric is built on.  0 / 0.0 = not given: lf_layout_build derives a
 * default from the SU structure and states it in the layout's notes. */
typedef enum lf_netrack { LF_NETRACK_MIDDLE, LF_NETRACK_END, LF_NETRACK_SHARED } lf_netrack;
typedef struct lf_layout_spec {
	int given;                /* the spec has a layout: section */
	int rack_units;           /* U per rack (48) */
	double rack_width_m, rack_depth_m;
	double power_budget_w;    /* per rack */
	int over_budget_warn;     /* a rack over budget: 0 error, 1 warning */
	int servers_per_rack;
	int server_units, switch_units;   /* U per server, per switch (given: every tier) */
	int racks_per_row;        /* 0: one SU per row */
	double aisle_m, row_pitch_m;      /* row pitch: centre to centre */
	lf_netrack network_racks; /* leaf racks in the middle or at the end of an SU, or
	                           * leaves on top of the SU's middle compute rack (shared) */
	lf_netrack spine_row;     /* spine/core row in the middle or after the SU rows */
	double tray_height_m;     /* overhead tray above the rack tops */
	double slack_m;           /* per cable end (service loop) */
	double bend_m;            /* per cable, bends and routing allowance */
	lf_pos pos, pos_power, pos_spr;
} lf_layout_spec;

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
	int dual_homed;           /* each NIC port's links go to two leaves of one plane */
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
	lf_pos pos_servers, pos_su, pos_fabric, pos_policy, pos_catalog;
	lf_layout_spec layout;
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
	LF_BOM_SWITCH, LF_BOM_TRANSCEIVER, LF_BOM_CABLE, LF_BOM_FIBRE,
	LF_BOM_LASER_SOURCE       /* ELS modules of co-packaged-optics switches */
} lf_bom_cat;
#define LF_BOM_CATS 5
typedef enum lf_end { LF_END_NONE, LF_END_SWITCH, LF_END_SERVER } lf_end;

typedef struct lf_bom_line {
	lf_bom_cat cat;
	const char *sku, *name;
	lf_end end;
	int level;                /* link level it serves (0 for switches) */
	int links_per_module;
	double length_m;          /* cables and patch cords counted on a layout: the
	                           * orderable length; 0 otherwise */
	uint64_t count;
	double unit_price_usd, unit_power_typ_w, unit_power_max_w;
	int unit_lasers;          /* lasers per module or cable (catalog `lasers`) */
} lf_bom_line;

/* media variants a floor layout may give a plan's links (lf_layout.var) */
#define LF_LAYOUT_MAX_VAR 32

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
	double power_typ_cat_w[LF_BOM_CATS], power_max_cat_w[LF_BOM_CATS], capex_cat_usd[LF_BOM_CATS];
	uint64_t lasers;          /* Σ count x unit_lasers: the laser demand of the BOM */
	/* external laser source modules of the co-packaged switches of tier t
	 * (the upper end of link level t) */
	uint64_t els_level[LF_MAX_TIERS + 1];
	/* counted on a floor layout (lf_plan.layout): the links of each media
	 * variant (lf_layout.var) and the cages they occupy at their lower and
	 * upper end, one module or cable connector each; all 0 without one */
	uint64_t links_var[LF_LAYOUT_MAX_VAR];
	uint64_t cages_var[LF_LAYOUT_MAX_VAR][2];
} lf_bom;

/* ------------------------------------------------------------ layout types
 *
 * Placement of every node at row / rack / U and a routed length for every
 * link (src/plan/layout.c documents the geometry).  Racks are numbered row-major;
 * rack r sits in row racks[r].row at position racks[r].col of that row.
 */
typedef enum lf_rack_role { LF_RACK_COMPUTE, LF_RACK_NETWORK, LF_RACK_SPINE } lf_rack_role;
typedef struct lf_rack {
	uint32_t row, col;
	uint8_t role;             /* lf_rack_role */
	uint32_t su;              /* compute and network racks: their SU */
	uint32_t devices;
	double power_w;           /* servers and switches at their maximum */
} lf_rack;

typedef struct lf_layout {
	lf_layout_spec eff;       /* the settings used, defaults filled in */
	size_t n_racks;
	lf_rack *racks;
	uint32_t rows, cols;
	uint32_t *node_rack;      /* per node: its rack */
	uint16_t *node_u;         /* per node: its lowest U (1-based) */
	float *routed_m;          /* per link: routed path */
	float *length_m;          /* per link: orderable length of its part family */
	double max_routed_m[LF_MAX_TIERS + 1];   /* per link level */
	/* media per link: a level whose tier gives no distance gets, per group
	 * of cages wired together, the part the level's rules choose for the
	 * group's longest route; a tier's distance overrides (one medium) */
	uint8_t *link_var;        /* per link: index into var */
	size_t n_var;
	lf_media var[LF_LAYOUT_MAX_VAR];
	uint64_t var_links[LF_LAYOUT_MAX_VAR];
	/* per link: the first link of its physical cable (a DAC/ACC/AEC/AOC
	 * carries every link of its cage group; a patch cord one link: itself) */
	uint32_t *cable_of;
	/* U of a device: [0] a server, [t] a switch of tier t (the layout's
	 * server_units / switch_units, else the catalog's rack_units, else 8
	 * and 1) */
	int units[LF_MAX_TIERS + 1];
	char notes[1024];         /* defaults taken, warnings */
} lf_layout;

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
	/* the floor the BOMs were counted on (NULL: no layout; then each level's
	 * one medium, cables without lengths) */
	lf_layout *layout;
} lf_plan;

/* Build the fabric and the bill of materials.  spec must be resolved. */
lf_status lf_plan_build(const lf_spec *spec, const lf_catalog *cat, lf_plan **out,
                        lf_error *err);
void lf_plan_free(lf_plan *plan);
/* Count the plan's BOMs (whole plan and stages) on a floor layout: the
 * spec's layout: (lf_plan_build does this itself) or, without one, the
 * default derived from the SU structure.  Media then follow each link's
 * routed length and cables and patch cords are counted per orderable length.
 * Does nothing when the plan already has its layout. */
lf_status lf_plan_use_layout(lf_plan *plan, lf_error *err);
uint32_t lf_node_cage(const lf_node *n, uint32_t port);

/* The one loader (src/plan/load.c): catalogs, then the spec, then the
 * catalog finished and the spec resolved, in the order the library needs.
 * Used by the CLI, serve, sweep, the bindings' callers and the tests. */
typedef struct lf_load_opts {
	const char *default_catalog;        /* the bundled catalog; NULL: none */
	const char *const *catalogs;        /* more catalog files or directories */
	size_t n_catalogs;
	const char *catalog_text;           /* one more catalog as text (tests) */
	const char *catalog_name;           /* ... and its name in errors */
	const char *spec_path;              /* the spec file, or */
	const char *spec_text;              /* the spec as text: */
	size_t spec_len;
	const char *spec_name;              /* its name in errors */
	/* A finished catalog to resolve against instead of building one (serve:
	 * one catalog for every request).  *cat is then NULL and a spec that
	 * names catalog files is refused at its catalog: key. */
	const lf_catalog *shared;
} lf_load_opts;

/* *cat and *spec are the caller's to free (also after a failure, when set).
 * With neither spec_path nor spec_text: the catalog alone, finished. */
lf_status lf_load(const lf_load_opts *o, lf_catalog **cat, lf_spec **spec, lf_error *err);
/* lf_load, then lf_plan_build: *plan borrows *cat (or o->shared) and *spec. */
lf_status lf_load_plan(const lf_load_opts *o, lf_catalog **cat, lf_spec **spec,
                       lf_plan **plan, lf_error *err);

/* ------------------------------------------------------------------ layout
 * (the types are above lf_plan, which owns its layout) */

/* Place the plan's nodes and route its links.  Errors (file:line:col of the
 * spec's layout): a rack over its power budget (unless over_budget: warn),
 * a link longer than the reach of its level's part. */
lf_status lf_layout_build(const lf_plan *plan, lf_layout **out, lf_error *err);
void lf_layout_free(lf_layout *layout);
/* Round `routed_m` up to an orderable length of the part family of medium
 * `m` (its cable, else its fibre patch cord); -1 when beyond the family's
 * longest length or the part's reach. */
double lf_layout_order_length(const lf_media *m, double routed_m);
/* The medium of link i: its variant, or the level's when there is no layout. */
const lf_media *lf_layout_link_media(const lf_plan *plan, const lf_layout *layout, size_t i);
/* Text summary: floor, rack power against the budget, media mix, length
 * histogram per level, the order list per part and length. */
lf_status lf_layout_render(const lf_plan *plan, const lf_layout *layout, char **out,
                           lf_error *err);
/* Links of `level` per orderable length, ascending: at most `max` lengths
 * into len[] and their link counts into cnt[]; returns how many. */
size_t lf_layout_lengths(const lf_plan *plan, const lf_layout *layout, int level, double *len,
                         uint64_t *cnt, size_t max);
/* Device name of a node ("su1-srv01", "su1-leaf2", "spine03", ...). */
void lf_layout_node_name(const lf_plan *plan, uint32_t node, char *buf, size_t n);
/* TIA-606-style rack id: row letter(s) + 2-digit position ("A01", "AB12"). */
void lf_layout_rack_id(const lf_layout *layout, uint32_t rack, char *buf, size_t n);

/* Cabling schedule, one row per link, streamed through `sink` (which
 * returns 0 on success) in chunks: 131,072 GPUs never build one string.
 * Links of one physical cable (a twin-port DAC, a splitter) share its
 * `cable` id.  `stage` < 0: every link; else the links stage `stage` adds
 * (its work order), or with `built` every link deployed by the end of it
 * (what a validation tool should find then). */
typedef enum lf_cabling_format { LF_CABLING_CSV, LF_CABLING_UFM_P2P, LF_CABLING_DOT }
	lf_cabling_format;
typedef struct lf_cabling_opts {
	lf_cabling_format fmt;
	int stage;                /* -1: every stage */
	int built;                /* with stage: cumulative instead of the increment */
} lf_cabling_opts;
typedef int (*lf_sink_fn)(void *ctx, const char *data, size_t len);
lf_status lf_cabling_write(const lf_plan *plan, const lf_layout *layout,
                           const lf_cabling_opts *opts, lf_sink_fn sink, void *ctx,
                           lf_error *err);
/* The same into `path`, atomically (a temporary file renamed on success). */
lf_status lf_cabling_write_file(const lf_plan *plan, const lf_layout *layout,
                                const lf_cabling_opts *opts, const char *path, lf_error *err);

/* NetBox bulk-import CSVs into directory `dir` (which must exist): sites,
 * manufacturers, device roles, device types, racks, devices, interfaces,
 * cables, numbered in import order (src/render/emit_netbox.c has the columns). */
lf_status lf_netbox_write(const lf_plan *plan, const lf_layout *layout, const char *dir,
                          lf_error *err);

/* ------------------------------------------------------------------- emit */

typedef enum lf_format { LF_FMT_TABLE, LF_FMT_JSON, LF_FMT_CSV, LF_FMT_DOT } lf_format;

/* Render a plan; *out is a NUL-terminated string the caller frees. */
lf_status lf_plan_render(const lf_plan *plan, lf_format fmt, char **out, lf_error *err);


/* --------------------------------------------------------------------- sim
 *
 * `lightfab sim`: flow-level, max-min fair simulation of collectives and
 * training steps on a planned fabric (src/sim/sim.c, src/sim/maxmin.c,
 * src/sim/collective.c).  GPUs are numbered server * gpus_per_server + local.
 */

typedef enum lf_route {
	LF_ROUTE_ECMP,      /* per-flow hash onto one equal-cost path (seeded) */
	LF_ROUTE_SPRAY,     /* even split over every equal-cost path */
	LF_ROUTE_ADAPTIVE,  /* least-loaded path (fewest active flows) at flow start */
	LF_ROUTE_FTREE,     /* deterministic up/down by destination (OpenSM ftree, D-mod-K) */
	LF_ROUTE_DEFAULT    /* what the fabric runs: ftree on InfiniBand, ECMP on Ethernet */
} lf_route;

typedef enum lf_coll {
	LF_COLL_ALLREDUCE, LF_COLL_REDUCESCATTER, LF_COLL_ALLGATHER, LF_COLL_ALLTOALL,
	LF_COLL_BROADCAST, LF_COLL_SENDRECV, LF_COLL_REDUCE
} lf_coll;

typedef enum lf_algo {
	LF_ALGO_AUTO,       /* NCCL's tuner (src/sim/nccl.c) picks among the algorithms the
	                     * hardware runs; all-to-all: direct up to 128 ranks, else
	                     * pairwise */
	LF_ALGO_RING,       /* on whole servers: one ring per rail (channel), as NCCL */
	LF_ALGO_TREE,       /* all-reduce: double binary tree over nodes, chain inside */
	LF_ALGO_HIER,       /* NVLink reduce-scatter, per-rail all-reduce, NVLink all-gather */
	LF_ALGO_DIRECT,     /* all-to-all: every pair at once */
	LF_ALGO_PAIRWISE,   /* all-to-all: N-1 rounds of a shifted permutation */
	LF_ALGO_NVLS,       /* NVLink SHARP inside the NVLink domain (+ SHARP across) */
	LF_ALGO_NVLS_TREE,  /* NVLS inside each node, double binary tree across nodes */
	LF_ALGO_COLLNET_DIRECT, /* in-network reduction (SHARP), every GPU to its NIC */
	LF_ALGO_COLLNET_CHAIN,  /* in-network reduction (SHARP), a chain inside the node */
	LF_ALGO_PAT         /* all-gather / reduce-scatter, one GPU per node (NCCL PAT) */
} lf_algo;

/* NCCL's protocols (how data and flags move): LL 8-byte lines with flags,
 * LL128 128-byte lines, Simple bulk copies with a fence. */
typedef enum lf_nccl_proto {
	LF_NCCL_AUTO, LF_NCCL_LL, LF_NCCL_LL128, LF_NCCL_SIMPLE
} lf_nccl_proto;

typedef struct lf_failed_link {
	int level;          /* 1 server-leaf, 2 leaf-spine, 3 spine-core */
	int plane;
	uint32_t lower, upper; /* index within their tier and plane (lf_node.index) */
} lf_failed_link;

typedef struct lf_sim_config {
	lf_route route;
	uint64_t seed;            /* ECMP hash and random failures */
	double efficiency;        /* usable share of link rate (0 = 1.0; NCCL ~0.96) */
	double latency_us;        /* >= 0: one flat alpha per step (flow start);
	                           * < 0: NCCL's latency model per link kind (src/sim/nccl.c) */
	double hop_latency_us;    /* per switch on the flow's path, added to its start */
	lf_nccl_proto proto;      /* AUTO: the tuner picks; with a flat alpha, AUTO is
	                           * an ideal protocol (full link rate) */
	int channels;             /* NCCL channels (0: NCCL's default for the node) */
	int sharp;                /* allow in-network reduction (CollNet/SHARP) where the
	                           * switches support it */
	double chunk_bytes;       /* pipeline collectives in chunks of this size (0: none) */
	int failed_count;         /* fail this many random links (seeded) */
	size_t n_failed;          /* and these */
	const lf_failed_link *failed;
	/* progress: called now and then with the simulated time and events so
	 * far; NULL for none.  The library never prints. */
	void (*progress)(void *ctx, double sim_time_s, uint64_t events, uint64_t flows_done,
	                 uint64_t flows_total);
	void *progress_ctx;
	/* cooperative cancellation: polled now and then inside the event loop;
	 * non-zero stops the run with LF_ELIMIT ("cancelled").  NULL: never. */
	int (*cancel)(void *ctx);
	void *cancel_ctx;
	/* baseline for benchmarks: re-solve every flow at every event instead of
	 * only the component that changed */
	int full_recompute;
	/* simulate every step of large rings (above 64 ranks) instead of one
	 * flow per rank carrying all steps' bytes after all steps' latency
	 * (exact for symmetric rings; far fewer flows) */
	int exact_rings;
	/* what spraying loses (docs/sim.md); both 0: the fluid ideal */
	double max_flow_rate;     /* bytes/s cap on every flow's rate (0: none) */
	double spray_efficiency;  /* goodput share of a sprayed flow's link use (0 = 1) */
	/* keep each flow's links for lf_sim_flow_path (the --fct path column) */
	int record_paths;
	/* baseline for benchmarks: build every all-to-all flow up front instead
	 * of streaming the pairwise rounds */
	int no_stream;
	/* pairwise all-to-all: 0: over 256 ranks (not with adaptive routing)
	 * in rounds without events, each flow timed by its round's load
	 * (src/sim/sim.c says how close), event by event up to 256; 1: always
	 * event by event; -1: always in rounds */
	int exact_a2a;
	/* threads for the all-to-all in rounds (routing one round while the
	 * previous one is timed): 0: two when the machine has two or more
	 * CPUs, 1: none.  The result is the same bit for bit either way. */
	int threads;
} lf_sim_config;
#define LF_SIM_THREADS 1   /* lf_sim_config has `threads` */

typedef struct lf_link_use {
	uint32_t link;            /* index into plan->links */
	int up;                   /* 1: towards the upper tier */
	double bytes, utilization;/* utilization over the run's duration */
} lf_link_use;

typedef struct lf_coll_result {
	lf_coll coll;
	lf_algo algo;             /* the algorithm used (auto resolved) */
	lf_nccl_proto proto;      /* the protocol used (LF_NCCL_AUTO: ideal, flat alpha) */
	double latency_us;        /* the latency part of time_us (model) */
	int channels;             /* channels the algorithm ran on */
	char note[160];           /* options the algorithm did not use, and why */
	size_t ranks;
	double bytes;             /* nccl-tests size: the whole array */
	double time_us, algbw_gbs, busbw_gbs;   /* GB/s = 1e9 bytes/s */
	uint64_t flows, events;
	double wall_s;            /* how long the simulation took */
	size_t n_top;
	lf_link_use top[8];       /* most utilized links */
} lf_coll_result;

/* nccl-tests bus bandwidth factor for a collective over n ranks. */
double lf_busbw_factor(lf_coll coll, size_t n);

/* Simulate one collective over `gpus` (n ranks in rank order) on the plan.
 * Deterministic for a given config. */
lf_status lf_sim_collective(const lf_plan *plan, const lf_sim_config *cfg, lf_coll coll,
                            lf_algo algo, const int64_t *gpus, size_t n, double bytes,
                            lf_coll_result *out, lf_error *err);

/* A set of flows with dependencies, for workloads beyond one collective
 * (training steps): add collectives as phases that start after others. */
typedef struct lf_sim lf_sim;
lf_status lf_sim_new(const lf_plan *plan, const lf_sim_config *cfg, lf_sim **out,
                     lf_error *err);
void lf_sim_free(lf_sim *s);
/* Add a collective whose flows start once every flow of the phases in
 * `after` has finished; returns its phase id. */
lf_status lf_sim_add_collective(lf_sim *s, lf_coll coll, lf_algo algo, const int64_t *gpus,
                                size_t n, double bytes, const uint32_t *after, size_t n_after,
                                uint32_t *phase, lf_error *err);
/* A point-to-point transfer as a phase of its own. */
lf_status lf_sim_add_transfer(lf_sim *s, int64_t from_gpu, int64_t to_gpu, double bytes,
                              const uint32_t *after, size_t n_after, uint32_t *phase,
                              lf_error *err);
lf_status lf_sim_run(lf_sim *s, double *time_s, lf_error *err);
/* After a run: when a phase started (its first flow) and finished. */
void lf_sim_phase_times(const lf_sim *s, uint32_t phase, double *start_s, double *end_s);
uint64_t lf_sim_events(const lf_sim *s);
uint64_t lf_sim_flows(const lf_sim *s);
/* The k most utilized links of the last run (k <= 8 recommended). */
size_t lf_sim_top_links(const lf_sim *s, lf_link_use *out, size_t k);
int64_t lf_sim_gpu(const lf_sim *s, int64_t server, int gpu);
/* A flow of `bytes` from GPU a to GPU b released at start_s (it moves after
 * the start latency); *id names it for the queries below. */
lf_status lf_sim_add_flow_at(lf_sim *s, int64_t a_gpu, int64_t b_gpu, double bytes,
                             double start_s, uint32_t *id, lf_error *err);
/* After a run: when flow `id` finished, and the rate it would have had alone
 * on the fabric (its narrowest link, after max_flow_rate / spray_efficiency). */
double lf_sim_flow_finish_s(const lf_sim *s, uint32_t id);
double lf_sim_flow_alone_rate(const lf_sim *s, uint32_t id);
/* The start latency of flow `id` (alpha + switches x hop latency), seconds. */
double lf_sim_flow_latency_s(const lf_sim *s, uint32_t id);

/* ----------------------------------------------------------------- traffic
 *
 * A traffic matrix (src/sim/traffic.c; the `traffic:` section of a workload,
 * docs/sim.md): flows between job ranks, from a list, a CSV file or a
 * generator.  Ranks are job GPU ranks, or server:gpu (job server, local GPU).
 */
typedef enum lf_traffic_kind {
	LF_TRAFFIC_LIST, LF_TRAFFIC_PERMUTATION, LF_TRAFFIC_ALLTOALL, LF_TRAFFIC_INCAST,
	LF_TRAFFIC_SHIFT, LF_TRAFFIC_RANDOM
} lf_traffic_kind;

typedef struct lf_traffic_flow {
	int64_t src, dst;         /* ranks; or servers, when src_gpu / dst_gpu >= 0 */
	int32_t src_gpu, dst_gpu; /* -1: src / dst is a rank */
	double bytes, start_s;
	uint32_t line;            /* where it was given (0: generated) */
	uint16_t src_col, dst_col;
} lf_traffic_flow;

typedef struct lf_traffic {
	lf_traffic_kind kind;
	const char *file;         /* the CSV file, or the workload */
	size_t n_flows;           /* LF_TRAFFIC_LIST */
	const lf_traffic_flow *flows;
	double bytes, start_s;    /* generators: each flow's size and release time */
	int64_t arg;              /* incast senders, shift K, random flow count */
	uint64_t seed;            /* permutation, random */
	lf_pos pos, pos_arg;
} lf_traffic;

/* A CSV traffic file over this size is refused before it is read. */
#define LF_TRAFFIC_MAX_FILE (UINT64_C(256) << 20)
/* Parse CSV text (header src,dst,bytes[,start_us]); *flows is malloc'd. */
lf_status lf_traffic_parse_csv(const char *name, const char *data, size_t len,
                               lf_traffic_flow **flows, size_t *n, lf_error *err);
lf_status lf_traffic_load_csv(const char *path, lf_traffic_flow **flows, size_t *n,
                              lf_error *err);
const char *lf_traffic_kind_name(lf_traffic_kind k);

/* ---------------------------------------------------------------- workload
 *
 * What `lightfab sim` runs on a plan (src/sim/workload.c parses the YAML and
 * runs collectives, src/sim/training.c derives and times a training step,
 * src/render/emit_sim.c renders; the format is in docs/sim.md): which GPUs the job
 * uses, the simulation settings, then either collectives to time (one size
 * or an nccl-tests-like sweep) or a training step described by its model.
 *
 * Ownership: an lf_workload and an lf_sim_report own their memory; free
 * them with their _free().  A report borrows from its plan and workload
 * (names, the collective list): free it first.
 */

typedef enum lf_placement {
	LF_PLACE_PACKED,          /* the first servers, in SU order */
	LF_PLACE_SCATTERED        /* servers round-robin over the SUs: one per SU in turn */
} lf_placement;

typedef enum lf_comm {
	LF_COMM_ALL,              /* every rank of the job, in rank order */
	LF_COMM_RAIL,             /* one per rail (same local GPU index), all at once */
	LF_COMM_NODE              /* one per server, all at once */
} lf_comm;

/* One `collectives:` entry; a sweep is expanded into its sizes. */
typedef struct lf_wl_coll {
	lf_coll coll;
	lf_algo algo;
	lf_nccl_proto proto;      /* AUTO: the sim section's protocol */
	lf_comm comm;
	const char *dtype;        /* nccl-tests type name: "float", "bfloat16", ... */
	int dtype_bytes;
	size_t n_sizes;
	const double *sizes;      /* bytes, nccl-tests convention (the whole array) */
	lf_pos pos;
} lf_wl_coll;

typedef enum lf_recompute {
	LF_RECOMPUTE_NONE,
	LF_RECOMPUTE_SELECTIVE,   /* the attention core's forward again in backward */
	LF_RECOMPUTE_FULL         /* every layer's forward again in backward */
} lf_recompute;

/* Modules recomputed with selective recomputation (Megatron-LM's
 * --recompute-modules; default core_attn). */
enum {
	LF_RC_CORE_ATTN = 1,      /* the attention core */
	LF_RC_MLA_UP = 2,         /* MLA's up projections (and RoPE) */
	LF_RC_MLP = 4,            /* the dense MLP */
	LF_RC_MOE_ACT = 8,        /* the experts' activation function */
	LF_RC_LAYERNORM = 16,     /* the two norms */
	LF_RC_SHARED = 32,        /* the shared experts */
	LF_RC_MOE = 64            /* the whole MoE layer, its all-to-alls included */
};

/* The MoE token dispatcher (Megatron-LM's moe_token_dispatcher_type and
 * moe_flex_dispatcher_backend): NCCL's all-to-all sends one copy a chosen
 * expert; DeepEP and HybridEP one a destination GPU inside an NVLink
 * domain, one a destination domain across domains (forwarded over NVLink
 * there). */
typedef enum lf_dispatch { LF_DISPATCH_ALLTOALL, LF_DISPATCH_DEEPEP, LF_DISPATCH_HYBRIDEP } lf_dispatch;

typedef enum lf_zero {
	LF_ZERO_0,                /* gradient all-reduce, replicated optimizer */
	LF_ZERO_1,                /* optimizer sharded: reduce-scatter grads, all-gather params */
	LF_ZERO_2,                /* + gradients sharded (same traffic as ZeRO-1) */
	LF_ZERO_3                 /* + parameters sharded (ZeRO-3, FSDP): all-gather per layer */
} lf_zero;

/* A training step (dense or mixture-of-experts transformer, Megatron-style
 * parallelism).  Batches count sequences.  Shapes drive the compute model
 * (src/sim/compute.c); the model is described at the top of src/sim/training.c. */
typedef struct lf_training {
	double parameters;        /* total, from the shapes */
	double given_parameters;  /* `parameters:` as written (a cross-check), or 0 */
	double expert_parameters; /* of parameters: the routed experts' (sharded over ep) */
	double active_parameters; /* used per token (MoE); = parameters when dense */
	int64_t layers, hidden, heads, kv_heads, head_dim, ffn_hidden, vocab, seq_len;
	int64_t attention_window; /* > 0: sliding-window (banded causal) attention of this many
	                           * tokens on window_share of the layers (Mistral, Gemma,
	                           * GPT-OSS); 0: full causal attention everywhere */
	double window_share;      /* share of the layers with the window (default 1) */
	/* multi-head latent attention (DeepSeek-V2/V3), on when kv_lora_rank > 0:
	 * queries and keys/values through low-rank projections; head_dim is the
	 * query/key width without the rotary part */
	int64_t q_lora_rank, kv_lora_rank, rope_head_dim, v_head_dim;
	int64_t micro_batch, global_batch;
	int gated;                /* gated MLP (SwiGLU): 3 weight matrices instead of 2 */
	int64_t experts;          /* routed experts per MoE layer (0: dense) */
	int64_t moe_ffn_hidden;   /* hidden size of one expert's MLP */
	int64_t shared_experts;   /* always-active experts per MoE layer */
	int64_t dense_layers;     /* leading layers with a dense MLP (MoE models) */
	int top_k;                /* experts per token */
	double capacity_factor;   /* expert capacity / even share (0: dropless) */
	int64_t node_limit;       /* node-limited routing: a token's experts on at most
	                           * this many of the EP group's NVLink domains
	                           * (DeepSeek-V3); 0: no limit */
	int dispatcher;           /* LF_DISPATCH_*: how a token's copies travel */
	const char *precision;    /* "bf16", "fp16", "fp8", "fp32": GEMM inputs */
	int act_bytes;            /* bytes per activation element (TP, PP, CP, EP messages) */
	int grad_bytes;           /* bytes per gradient element (DP reduction) */
	int64_t tp, pp, dp, cp, ep; /* dp 0: the job's GPUs / (tp * cp * pp) */
	int64_t expert_tp;        /* TP of the expert layers (0: = tp); ep x expert_tp
	                           * divides a stage's tp x cp x dp ranks */
	int pp_inner;             /* rank order tp-cp-pp-dp (Llama 3) instead of
	                           * Megatron-LM's default tp-cp-dp-pp */
	int64_t virtual_stages;   /* interleaved 1F1B: model chunks per pipeline stage */
	int64_t first_stage_layers, last_stage_layers; /* 0: an even split */
	/* Megatron-LM's pipeline layout (--pipeline-model-parallel-layout, e.g.
	 * "Et*2|(t*2|)*34,t*3|(t*2|)*3,tL"), or NULL: pp x virtual_stages chunks,
	 * chunk c on stage c mod pp; per stage, its transformer layers ('t') and
	 * multi-token-prediction layers ('m', each with its own output head) */
	const char *layout;
	int64_t *layout_layers, *layout_mtp;
	int64_t layout_stages;    /* entries of layout_layers and layout_mtp (= pp) */
	int sequence_parallel;    /* TP all-reduce -> reduce-scatter + all-gather */
	int tp_overlap;           /* TP communication overlapped with the GEMMs (userbuffers) */
	int cp_allgather;         /* context parallelism by all-gathering K and V before the
	                           * attention (Llama 3), not by ring attention */
	int ep_overlap;           /* EP all-to-alls of one micro-batch hidden behind another's
	                           * compute (Megatron-LM's combined 1F1B) */
	int pp_blocking;          /* interleaved PP transfers block the schedule (default 0:
	                           * overlapped with the next chunk, Megatron-LM's
	                           * overlap_p2p_comm; only with virtual_stages > 1) */
	int dp_blocking;          /* DP reduction after the backward and ZeRO's parameter
	                           * gather before the forward, not overlapped (default 0:
	                           * overlapped, Megatron-LM's overlap_grad_reduce and
	                           * overlap_param_gather) */
	int unfused_attention;    /* scores written to memory (pre-flash-attention kernels) */
	int fp8_attention;        /* flash attention in FP8 (Transformer Engine's
	                           * fp8_dot_product_attention); else 16-bit */
	int loss_impl;            /* cross entropy: 0 Megatron-LM's vocab-parallel kernels
	                           * one by one, 1 "native" (its jit-fused ones), 2 "te"
	                           * (Transformer Engine's Triton kernels) */
	lf_recompute recompute;
	unsigned recompute_modules; /* LF_RC_* bits with selective (0: core_attn) */
	int64_t recompute_layers; /* with full: layers of each model chunk recomputed
	                           * (Megatron-LM --recompute-num-layers, block); 0: all */
	int64_t offload_layers;   /* layers of each stage whose activations wait in host
	                           * memory (Megatron-LM --cpu-offloading-num-layers) */
	lf_zero zero;
	double bucket_params;     /* DP gradient bucket, parameters */
	double gpu_tflops;        /* peak per GPU at `precision`; 0: the catalog's */
	double efficiency;        /* > 0: a constant share of peak instead of the shape model */
	double step_compute_s;    /* > 0: a measured compute time per step, used as is */
	lf_pos pos, pos_parallel, pos_global_batch, pos_tflops, pos_heads, pos_layers;
	lf_pos pos_experts, pos_ep, pos_params, pos_offload;
} lf_training;

typedef struct lf_workload {
	const char *file, *name;
	int64_t gpus;             /* 0: every GPU of the plan */
	lf_placement placement;
	int64_t per_domain;       /* > 0: GPUs the job uses in each NVLink domain (the
	                             domain's first servers; e.g. 64 of an NVL72) */
	lf_sim_config sim;        /* the file's settings over the defaults; no progress */
	size_t n_coll;
	const lf_wl_coll *coll;
	int has_training;
	lf_training training;
	int has_traffic;
	lf_traffic traffic;
	lf_pos pos_gpus, pos_per_domain;
	lf_pos pos_failed;        /* sim.failed_links, when given */
	void *impl_;              /* owned memory; do not touch */
} lf_workload;

lf_status lf_workload_load(const char *path, lf_workload **out, lf_error *err);
lf_status lf_workload_load_buffer(const char *name, const char *data, size_t len,
                                  lf_workload **out, lf_error *err);
void lf_workload_free(lf_workload *wl);

/* The job's GPUs in rank order (*out: malloc'd, the caller frees). */
lf_status lf_workload_gpus(const lf_plan *plan, const lf_workload *wl, int64_t **out,
                           size_t *n, lf_error *err);

/* Memory of one GPU of a training step at its peak, in bytes, on the
 * stage that needs the most (src/sim/memory.c): the model state its ZeRO
 * stage leaves it, and the activations of the micro-batches its pipeline
 * schedule keeps in flight.  Not counted: the CUDA context, NCCL's and
 * cuBLAS's buffers, the allocator's fragmentation (several GiB). */
typedef struct lf_step_memory {
	int64_t stage;            /* the pipeline stage (0: the first) */
	double weights_b;         /* 16-bit parameters (ZeRO-3: a shard + the gathered layers) */
	double grads_b;           /* main gradients at grad_precision (ZeRO-2/3: a shard) */
	double optimizer_b;       /* FP32 master copy and Adam's moments (ZeRO-1+: a shard) */
	double activations_b;     /* saved for backward, every micro-batch in flight */
	double act_layer_b;       /* of which one layer of one micro-batch */
	double inflight;          /* micro-batches in flight, in the stage's layers' worth */
	double logits_b;          /* the output layer's logits and softmax (last stage) */
	double offloaded_b;       /* activations of one micro-batch sent to host memory */
	double total_b;
	double capacity_b;        /* the GPU's (catalog hbm_gb), 0: unknown */
} lf_step_memory;

/* A training step: the model's figures (lf_training_derive), the simulated
 * time of one operation of each kind, and the step they add up to
 * (lf_step_finish).  The model is described at the top of src/sim/training.c. */
typedef struct lf_step {
	int64_t gpus, tp, pp, dp, cp, ep, vs;
	int64_t etp;              /* tensor parallelism of the expert layers */
	int pp_inner;             /* ranks ordered tp-cp-pp-dp, not tp-cp-dp-pp */
	int64_t micro_batches;    /* m = global_batch / (micro_batch * dp) */
	double stage_layers;      /* layers on the slowest pipeline stage (sets the slot) */
	double tokens;            /* per step: global_batch * seq_len */
	double flops_per_token;   /* model FLOPs per token (forward + backward, no recompute) */
	double hw_flops_per_token;/* FLOPs executed per token, recomputation included */
	double flops_per_gpu;     /* model FLOPs per GPU per step */
	double gpu_tflops;        /* peak used */
	double gemm_share;        /* the GEMM ceiling / peak (microbenchmark), and the share of */
	double sustained_share;   /* it sustained in training; both 0 when a pinned efficiency
	                           * or step_compute replaces the shape model */
	/* compute of one micro-batch on that stage (src/sim/compute.c) */
	double mb_fwd_s, mb_bwd_s;    /* backward includes any recomputation */
	double gemm_s, attn_s, elem_s;/* per step, of which: GEMMs, attention core, memory-bound */
	double offload_s;         /* per step, of which: waiting on activation offloading
	                           * (host transfers longer than the pass they hide behind) */
	double attn_fwd_s;        /* one layer's attention core forward (CP hides behind it) */
	/* one MoE layer, one micro-batch: the compute beside each of combined
	 * 1F1B's four all-to-alls (ep_comm_overlap: lf_step_finish), and its
	 * all-to-alls (4; 6 with the MoE recomputed) */
	double ep_phase_s[4];
	int64_t ep_layer_ops;
	double ep_sm_share;       /* of the GPU's SMs an overlapped all-to-all's kernels take */
	double ep_copies;         /* copies of a routed token its dispatcher sends */
	double ep_rate_scale;     /* the EP all-to-all simulated as ep_bytes x this: its
	                           * dispatcher's rate against NCCL's (1: NCCL) */
	/* the stage with the most layers when the busiest by compute has fewer
	 * (its TP, CP and EP operations, one set a layer, may make it the
	 * slower: lf_step_finish takes the longer step and swaps them);
	 * alt_layers 0: none */
	double alt_layers, alt_mb_fwd_s, alt_mb_bwd_s, alt_gemm_s, alt_attn_s, alt_elem_s;
	double alt_offload_s;
	int64_t alt_tp_count, alt_ep_count, alt_cp_count;
	double optimizer_s;       /* optimizer step, once per step */
	double compute_s;         /* per GPU per step, no pipeline bubble */
	double bubble_s;          /* pipeline bubble: (pp - 1) / vs slots */
	double pipeline_compute_s;/* compute_s + bubble_s */
	double slots;             /* m + (pp - 1)/vs: micro-batch slots on the critical path */
	/* messages: size in bytes, count per micro-batch slot (dp: per step) */
	double tp_bytes, pp_bytes, ep_bytes, cp_bytes, dp_bytes;
	int64_t tp_count, pp_count, ep_count, cp_count, dp_count;
	int64_t tp_groups, pp_pairs, ep_groups, cp_groups, dp_groups;
	/* simulated, every group of every kind at once in one simulation: one
	 * TP op, PP transfer, EP all-to-all, CP ring step, DP bucket */
	double tp_s, pp_s, ep_s, cp_s, dp_bucket_s;
	double dp_buckets;        /* DP buckets per pass (ZeRO-3: layers per stage) */
	double dp_s;              /* all DP traffic of the step, end to end */
	/* the step */
	double tp_exposed_s, pp_exposed_s, ep_exposed_s, cp_exposed_s, dp_exposed_s, dp_hidden_s;
	double comm_exposed_s, step_s, tokens_per_s, mfu, hfu;
	lf_step_memory mem;       /* memory per GPU at its peak (src/sim/memory.c) */
} lf_step;

/* The modules recomputed in the backward (LF_RC_* bits): the workload's
 * recompute_modules, or the attention core alone, with selective
 * recomputation; 0 otherwise (full recomputation reruns every module). */
unsigned lf_training_recomputed(const lf_training *t);

/* The figures of a step from the model; `gpus` is the job's size, `server`
 * the catalog's (GPU peaks, memory bandwidth).  Errors point into the
 * workload (pos fields of t). */
lf_status lf_training_derive(const lf_training *t, const char *file, int64_t gpus,
                             const lf_server *server, lf_step *out, lf_error *err);
/* step_s and the exposed times from the simulated tp_s .. dp_s. */
void lf_step_finish(const lf_training *t, lf_step *s);

typedef struct lf_sim_progress {
	size_t item, n_items;     /* simulation `item` (0-based) of n_items */
	const char *what;         /* "all-reduce 1 GiB", "training step" */
	double sim_time_s;
	uint64_t events, flows_done, flows_total;
} lf_sim_progress;
typedef void (*lf_sim_progress_fn)(void *ctx, const lf_sim_progress *p);

/* One simulated size of one collective entry: `groups` communicators of
 * r.ranks ranks each ran at once; r.time_us is the slowest one. */
typedef struct lf_sim_row {
	size_t entry;             /* index into the workload's collectives */
	lf_comm comm;
	size_t groups;
	const char *dtype;        /* nccl-tests type name, for the count column */
	int dtype_bytes;
	lf_coll_result r;
} lf_sim_row;

/* One flow of a traffic run.  FCT = finish_s - start_s; ideal_s is its
 * time alone on the fabric (start latency + bytes / its narrowest link). */
typedef struct lf_flow_record {
	int64_t src, dst;         /* job ranks */
	double bytes, start_s, finish_s, ideal_s;
	size_t path_off;          /* into lf_sim_report.paths (record_paths) */
	uint32_t path_len;
} lf_flow_record;

typedef struct lf_traffic_result {
	lf_traffic_kind kind;
	const char *source;       /* the CSV file, or NULL */
	uint64_t flows;
	double bytes;             /* all flows */
	double last_s;            /* when the last flow finished */
	double ideal_last_s;      /* the latest (start + ideal) over the flows */
	double fct_p50_s, fct_p99_s, fct_max_s, fct_mean_s;
	double slowdown_p50, slowdown_p99, slowdown_max;   /* FCT / ideal */
	size_t n_top;
	lf_link_use top[8];
} lf_traffic_result;

typedef struct lf_sim_report {
	const lf_plan *plan;      /* borrowed: the links the top lists point into */
	const char *name;         /* the plan's */
	const char *workload;     /* the workload file */
	lf_sim_config cfg;        /* what ran (progress cleared) */
	int64_t job_gpus, job_servers;
	int job_sus;
	lf_placement placement;
	int64_t per_domain;       /* the workload's job per_domain (0: every GPU of a domain) */
	size_t n_rows;
	lf_sim_row *rows;
	int has_step;
	lf_step step;
	const lf_training *training; /* the workload's, when has_step */
	size_t n_top;             /* training: the busiest links over the step (busy time / step) */
	lf_link_use top[8];
	const char *top_during[8];/* which kind: "tp", "pp", "ep", "cp", "dp" */
	uint64_t events, flows;
	double wall_s;
	char notes[1024];
	/* traffic: one record per flow, in the traffic's order, and a summary */
	int has_traffic;
	lf_traffic_result traffic;
	size_t n_flow_records;
	const lf_flow_record *flow_records;
	const char *paths;        /* record_paths: the records' path texts */
	void *impl_;
} lf_sim_report;

/* Run the workload on the plan with `cfg` (start from wl->sim; the CLI
 * overrides routing, seed, failures; NULL: wl->sim as it is).  progress may
 * be NULL. */
lf_status lf_workload_simulate(const lf_plan *plan, const lf_workload *wl,
                               const lf_sim_config *cfg, lf_sim_progress_fn progress,
                               void *ctx, lf_sim_report **out, lf_error *err);
void lf_sim_report_free(lf_sim_report *r);
/* LF_FMT_TABLE (nccl-tests style), LF_FMT_JSON or LF_FMT_CSV. */
lf_status lf_sim_report_render(const lf_sim_report *r, lf_format fmt, char **out,
                               lf_error *err);
/* Per-flow CSV of a traffic run: src,dst,bytes,start_us,finish_us,fct_us,
 * ideal_us,slowdown,path (path empty unless the run had record_paths). */
lf_status lf_sim_report_fct_csv(const lf_sim_report *r, char **out, lf_error *err);
const char *lf_coll_name(lf_coll c);     /* "all-reduce", ... */
const char *lf_algo_name(lf_algo a);     /* "auto", "ring", ... */
const char *lf_route_name(lf_route r);   /* "ecmp", "spray", "adaptive" */
const char *lf_nccl_proto_name(lf_nccl_proto p);   /* "auto", "LL", "LL128", "Simple" */

/* ------------------------------------------------------------- reliability */
/*
 * `lightfab reliability`: failures per day by component class, the
 * interruption rate and MTTF of a job of N GPUs on the plan's fabric,
 * goodput with optimally spaced checkpoints (Young/Daly), and spares per SKU
 * (Poisson quantile over the replenishment lead time).  Rates are FIT:
 * failures per 10^9 device-hours.  The model is described at the top of
 * src/reliability/reliability.c and in docs/reliability.md.
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

/* ------------------------------------------------------------------ supply */
/*
 * `lightfab source`: what to order, from whom, in which period, so that each
 * deployment stage of a plan gets its optics; which stage slips and why.
 * The scenario (YAML) holds the horizon, suppliers with the SKUs they sell
 * (price with volume breaks, lead time, capacity, minimum order, lot,
 * expedite options), laser pools, reservations, inventory and substitution
 * rules.  Demand is the plan's stage increments per optical link level,
 * served by any compatible transceiver pair (src/plan/media.h).  The model is a
 * GLPK LP/MIP described at the top of src/supply/supply.c and in docs/source.md.
 *
 * Periods are indices 0..periods-1 from the scenario's start; render them
 * with lf_supply_period_label.
 *
 * Ownership: the scenario and the result own their memory (free with their
 * _free()).  A result borrows SKU ids and names from the plans and the
 * scenario: free it before them.
 */
typedef enum lf_period_kind { LF_PERIOD_MONTH, LF_PERIOD_WEEK } lf_period_kind;

/* A fabric option (dual-track): a spec to plan and source under the
 * scenario.  spec_path is resolved against the scenario's directory. */
typedef struct lf_supply_option {
	const char *name;
	const char *spec_path;
	lf_pos pos;
} lf_supply_option;

typedef struct lf_supply_scenario {
	const char *file;
	const char *name;
	lf_period_kind period;
	int start_month;          /* months since year 0 of the first period's month */
	int periods;
	size_t n_options;         /* from `spec:` or `options:`; may be 0 */
	lf_supply_option *options;
	int joint;                /* choose: per-stage or projects: the options are sourced
	                           * together (lf_supply_solve takes exactly their plans) */
	void *impl_;              /* owned memory; do not touch */
} lf_supply_scenario;

lf_status lf_supply_scenario_load(const char *path, lf_supply_scenario **out, lf_error *err);
lf_status lf_supply_scenario_load_buffer(const char *name, const char *data, size_t len,
                                         lf_supply_scenario **out, lf_error *err);
void lf_supply_scenario_free(lf_supply_scenario *sc);
/* "2026-03" (months) or "2026-03-02" (the first day of a week). */
void lf_supply_period_label(lf_period_kind kind, int start_month, int period, char *buf,
                            size_t n);

typedef struct lf_supply_order {
	const char *supplier, *sku;
	const char *mode;         /* "standard", "expedite", "reservation" */
	int placed, arrives;      /* periods */
	double quantity;          /* modules */
	double unit_usd;          /* average price paid per module (incl. premium) */
} lf_supply_order;

/* Per SKU and period: what arrives, what is deployed, what is left. */
typedef struct lf_supply_flow {
	const char *sku;
	int period;
	double delivered, used, stock;
} lf_supply_flow;

/* Modules of one SKU deployed at one end of one link level. */
typedef struct lf_supply_use {
	int level;
	lf_end end;
	const char *at;           /* the end's tier: "server", "leaf", "spine", "core" */
	const char *sku;
	double modules;
	int planned;              /* the plan's own choice (else a substitute) */
} lf_supply_use;

typedef struct lf_supply_stage {
	const char *name;
	const char *project;      /* projects: the project it belongs to; else NULL */
	int64_t gpus;             /* GPUs the stage adds */
	int need_by;              /* period */
	int ready;                /* first period every link is served; -1: not in the horizon */
	int slip;                 /* periods after need_by (0 on time); horizon end + 1 when never */
	double links;             /* optical links to serve (spares included) */
	double short_at_need_by;  /* links not served by need_by */
	double unmet;             /* links not served by the end of the horizon */
	double penalty_usd;       /* lateness + unmet penalty */
	char why[1024];           /* late or unmet: what binds and what would fix it */
} lf_supply_stage;

/* A constraint at its limit.  shadow_usd: objective saved by one more unit
 * of it (one laser, one module, one period of lead time), from the LP duals
 * (for a MIP: the LP with the integer decisions fixed). */
typedef struct lf_supply_binding {
	const char *kind;         /* "laser-pool", "supplier", "sku-capacity", "reservation", "lead-time" */
	char name[160];
	int period;
	double used, capacity;
	double shadow_usd;
} lf_supply_binding;

typedef struct lf_supply_resv_use {
	const char *name, *supplier, *sku;
	double fraction;          /* of the offered reservation signed (1 unless optional) */
	double reserved, taken;   /* modules over the window */
	double cost_usd;          /* take-or-pay included */
	int valued;               /* value_usd was computed (re-solve without it) */
	double value_usd;         /* objective without it minus with it */
	char effect[256];         /* what changes without it (ready dates) */
} lf_supply_resv_use;

/* Spares of one SKU from `lightfab reliability` (lf_supply_solve_spares):
 * extra demand for exactly that SKU, set aside as stock by need_by. */
typedef struct lf_supply_spare {
	const char *sku;
	double quantity;          /* the reliability result's spares for this SKU */
	int need_by;              /* period: the first stage's need-by */
	int ready;                /* first period all are set aside; -1: not in the horizon */
	double short_at_need_by;  /* not set aside by need_by */
	double unmet;             /* not set aside by the end of the horizon */
	double penalty_usd;       /* lateness + unmet penalty (in lateness_usd, unmet_usd) */
} lf_supply_spare;

/* `projects:` (a portfolio sourced together): each project's penalties
 * (its own lateness weights times its priority) and readiness. */
typedef struct lf_supply_project {
	const char *name;
	int64_t gpus;
	int ready;                /* period its last stage is ready; -1: never */
	int late_stages;
	double gpu_periods_late;  /* sum over stages of GPUs x periods short (pro rata) */
	double lateness_usd, unmet_usd;
} lf_supply_project;

/* Lasers of one type in the modules a project deploys in a period: how a
 * shared laser pool's output is split between projects. */
typedef struct lf_supply_laser_share {
	const char *laser;        /* "eml", "siph-cw", ... */
	const char *project;
	int period;
	double lasers;
} lf_supply_laser_share;

/* `choose: per-stage`: the option a stage is built from, and what forcing
 * each other option at that stage (the rest free) would cost. */
#define LF_SUPPLY_MAX_CHOICE 8
typedef struct lf_supply_choice {
	const char *stage;
	int option;               /* index into lf_supply_answer.option_names */
	double option_usd;        /* its equipment + energy cost (option_costs) */
	/* objective with this stage forced to option j minus the optimum (0 for
	 * the chosen one); infinite when forcing it is infeasible; NaN when not
	 * priced (solver.price_choices: false) */
	double force_usd[LF_SUPPLY_MAX_CHOICE];
	char why[512];            /* what the other options would change, and what binds */
} lf_supply_choice;

typedef struct lf_supply_answer {
	const char *name;         /* option name, or the spec's name */
	const char *spec_name;
	size_t n_orders;
	lf_supply_order *orders;  /* by supplier, SKU, placed, mode */
	size_t n_flows;
	lf_supply_flow *flows;    /* SKU-major, non-zero rows only */
	size_t n_uses;
	lf_supply_use *uses;
	size_t n_stages;
	lf_supply_stage *stages;
	size_t n_bindings;
	lf_supply_binding *bindings;
	size_t n_resv;
	lf_supply_resv_use *resv;
	/* cost: spend = purchase + reservation + holding; objective adds penalties */
	double purchase_usd;      /* incl. expedite premiums */
	double expedite_premium_usd;
	double reservation_usd;   /* reserved units paid, taken or not */
	double holding_usd;
	double spend_usd;
	double lateness_usd, unmet_usd;
	double objective_usd;
	int ready;                /* period the last stage is ready; -1 if one never is */
	int integer;              /* solved as a MIP */
	int optimal;              /* 0: time limit or solver gave a feasible answer only */
	double mip_gap;
	int rows, cols, int_cols;
	double solve_s;
	char notes[2048];
	size_t n_spares;
	struct lf_supply_spare *spares;   /* from lf_supply_solve_spares; by SKU */
	/* choose: per-stage (else 0 and NULL): one answer for all options; the
	 * objective adds option_usd (equipment and energy of the chosen options) */
	size_t n_option_names;
	const char *option_names[LF_SUPPLY_MAX_CHOICE];
	size_t n_choices;
	lf_supply_choice *choices;        /* one per stage */
	double option_usd;
	double probability;       /* uncertainty: this answer's scenario; else 1 */
	/* projects: (else 0 and NULL); stages carry their project */
	size_t n_projects;
	lf_supply_project *projects;
	size_t n_laser_shares;
	lf_supply_laser_share *laser_shares;  /* by laser, period, project; non-zero */
} lf_supply_answer;

typedef struct lf_supply_result {
	const char *scenario;
	lf_period_kind period;
	int start_month, periods;
	size_t n_answers;         /* one per plan given (fabric option), or per
	                           * uncertainty scenario (stochastic) */
	lf_supply_answer *answers;
	/* uncertainty: a two-stage stochastic plan: orders and reservation
	 * call-offs in periods < commit and reservation signatures shared by
	 * all scenarios (docs/source.md) */
	int stochastic, commit;
	double expected_usd;      /* sum of probability x each answer's objective */
	double wait_and_see_usd;  /* the same, each scenario solved knowing it */
	double eev_usd;           /* the mean-value plan's first stage, in every scenario */
	double vss_usd;           /* eev - expected (infinite: mean-value plan infeasible) */
	double evpi_usd;          /* expected - wait_and_see */
	char stochastic_note[512];  /* reservations signed: stochastic vs mean-value plan */
	void *impl_;
} lf_supply_result;

/* Solve the scenario for each plan (plans[i] named names[i], or its spec's
 * name when names or names[i] is NULL).  A late or unservable stage is an
 * answer (see lf_supply_stage.why), not an error. */
lf_status lf_supply_solve(const lf_supply_scenario *sc, const lf_plan *const *plans,
                          const char *const *names, size_t n_plans, lf_supply_result **out,
                          lf_error *err);
/* The same, with spares from `lightfab reliability`: spares[i] is NULL or
 * lf_reliability_compute on plans[i]; each transceiver SKU's spares become
 * extra demand for that SKU (no substitutes), needed by the first stage's
 * need-by, with the stages' lateness and unmet penalties (docs/source.md).
 * Added to the scenario's demand.spares fraction, if any. */
lf_status lf_supply_solve_spares(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                 const lf_reliability *const *spares,
                                 const char *const *names, size_t n_plans,
                                 lf_supply_result **out, lf_error *err);
void lf_supply_result_free(lf_supply_result *r);
/* LF_FMT_TABLE, LF_FMT_JSON or LF_FMT_CSV; several answers side by side. */
lf_status lf_supply_result_render(const lf_supply_result *r, lf_format fmt, char **out,
                                  lf_error *err);

/* Break-even: the scenario re-solved with laser pool `pool` at a constant
 * capacity (lasers per period, every period; its ramp is replaced) of
 * from, from + (to - from) / (steps - 1), ..., to.  Per point: the
 * objective, the MIP gap, the last stage's ready period and (choose:
 * per-stage) the option of each stage; `flip` lists where a stage's choice
 * changes (the first point with the new option), bisected between the two
 * points to a whole laser; `flips` says it in words. */
typedef struct lf_supply_flip {
	size_t stage;             /* index into lf_supply_sweep.stage */
	int from, to;             /* option indices */
	double capacity;          /* the first sampled point on the new option */
	double last_old, first_new; /* bisected: the most capacity solved on the old
	                           * option, the least on another (first_new is the
	                           * break-even when exact) */
	int exact;                /* first_new - last_old <= 1 and every solve proven */
} lf_supply_flip;

typedef struct lf_supply_sweep {
	const char *scenario, *pool;
	lf_period_kind period;
	int start_month;
	size_t n_points;
	double *capacity, *objective_usd;
	double *mip_gap;          /* per point: 0 proven optimal; > 0: the time limit hit */
	int *ready;               /* per point; -1: a stage never ready */
	size_t n_stages;          /* per-stage only; else 0 */
	const char **stage;
	int *choice;              /* [point * n_stages + stage]: option index */
	size_t n_option_names;
	const char *option_names[LF_SUPPLY_MAX_CHOICE];
	size_t n_flips;
	lf_supply_flip *flip;     /* by stage, then capacity */
	char flips[2048];         /* "stage-3 goes 1.6t once cw >= 9,000 lasers/period; ..." */
} lf_supply_sweep;
/* progress (may be NULL) is called after each solve: done of total, where
 * total is the points and then, once they are known, the bisections'
 * solves at most. */
lf_status lf_supply_sweep_capacity(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                   const char *const *names, size_t n_plans, const char *pool,
                                   double from, double to, int steps,
                                   void (*progress)(void *ctx, size_t done, size_t total),
                                   void *ctx, lf_supply_sweep **out, lf_error *err);
void lf_supply_sweep_free(lf_supply_sweep *sw);
/* LF_FMT_TABLE, LF_FMT_JSON or LF_FMT_CSV. */
lf_status lf_supply_sweep_render(const lf_supply_sweep *sw, lf_format fmt, char **out,
                                 lf_error *err);

/* ------------------------------------------------------------------ report */
/*
 * `lightfab report`: one self-contained HTML document (inline CSS, inline
 * SVG charts, the topology laid out by Graphviz; no scripts, nothing
 * fetched), rendered from the same lf_plan / lf_reliability / lf_sim_report
 * / lf_supply_result as the JSON, so the numbers cannot differ.  Sections
 * whose input is NULL are left out.  User text (names, SKUs, notes) is
 * HTML-escaped.  Model: src/render/report.c.
 */
typedef struct lf_report_input {
	const lf_plan *plan;                /* required */
	const lf_reliability *reliability;  /* NULL: no failures / spares section */
	const lf_sim_report *sim;           /* NULL: no simulation section (lf_workload_simulate
	                                     * on this plan) */
	const lf_supply_result *supply;     /* NULL: no sourcing section (lf_supply_solve
	                                     * with this plan, or the scenario's options) */
	const lf_supply_sweep *supply_sweep; /* NULL, or the break-even sweep of the same
	                                      * scenario (lf_supply_sweep_capacity): its
	                                      * chart and table in the sourcing section */
	int fragment;       /* 1: the report's <div> only (the web UI's results panel) */
	int no_topology;    /* 1: leave out the Graphviz drawing */
} lf_report_input;

/* *out: a NUL-terminated HTML string the caller frees. */
lf_status lf_report_render(const lf_report_input *in, char **out, lf_error *err);

/* ------------------------------------------------------- compare and sweep */
/*
 * `lightfab compare` and `lightfab sweep`: evaluate many designs on the same
 * key figures and find the Pareto front (src/explore/sweep.c, docs/sweep.md).
 *
 * A sweep is one or more base specs (compare: several files; sweep: one)
 * times the cartesian product of `vary` axes.  An axis sets one spec value,
 * named by a path (`fabric.tiers[1].link_speed`, `fabric.planes`), or one
 * workload value (`workload.training.parallel.tp`), to each of its values in
 * turn; values are YAML scalars.  The point's document is edited before
 * parsing, so every point goes through the spec's (or the workload's) parser
 * and its errors.  Point i takes base spec i / (product of axis lengths) and,
 * for axis a (the last axis varies fastest), value (i / stride_a) % len_a.
 *
 * Each point is planned and, when their inputs are given, simulated
 * (workload), sourced (supply scenario) and rated (reliability).  A row keeps
 * every point: status LF_POINT_OK, LF_POINT_INVALID (the spec parser or
 * resolver rejected the point's values) or LF_POINT_INFEASIBLE (a valid spec
 * whose plan, simulation or sourcing failed), with the reason.  Rows are plain
 * data (no pointers) so that they can be copied between processes (MPI).
 *
 * Ownership: an lf_sweep owns its axes, documents and loaded inputs; rows are
 * arrays the caller owns.  lf_sweep_eval only reads the sweep: one sweep can
 * evaluate points in several threads at once.
 */
typedef enum lf_point_status {
	LF_POINT_OK, LF_POINT_INVALID, LF_POINT_INFEASIBLE
} lf_point_status;

/* Row columns, in output order.  Which of them a sweep outputs depends on its
 * inputs (lf_sweep_has_column): plan columns always, the others when their
 * input is given.  A value not computed is NAN. */
typedef enum lf_col {
	LF_COL_GPUS, LF_COL_SERVERS, LF_COL_SWITCHES, LF_COL_LINKS, LF_COL_MODULES,
	LF_COL_POWER_TYP_W, LF_COL_POWER_MAX_W, LF_COL_CAPEX_USD, LF_COL_XCVR_PER_GPU,
	/* workload: busBW and time of the largest size of the first collective,
	 * the training step (and its memory per GPU, GiB), or a traffic
	 * matrix's last flow (time_us) */
	LF_COL_BUSBW_GBS, LF_COL_TIME_US, LF_COL_STEP_S, LF_COL_TOKENS_PER_S, LF_COL_MEMORY_GIB,
	/* reliability of a job of the whole cluster (or job_gpus) */
	LF_COL_INTERRUPTS_PER_DAY, LF_COL_JOB_MTTF_H, LF_COL_GOODPUT,
	/* source: period the last stage is ready (-1: never), worst slip, spend */
	LF_COL_READY, LF_COL_MAX_SLIP, LF_COL_SUPPLY_USD,
	LF_COL_COUNT
} lf_col;

const char *lf_col_name(lf_col c);                  /* "capex_usd", ... */
/* Column by name (NULL: none; did-you-mean goes into err). */
lf_status lf_col_parse(const char *name, lf_col *out, lf_error *err);

typedef struct lf_sweep_row {
	uint64_t index;           /* point index */
	int32_t status;           /* lf_point_status */
	int32_t pareto;           /* on the front (set by lf_sweep_pareto) */
	double v[LF_COL_COUNT];
	char reason[768];         /* why invalid or infeasible, "" when ok */
} lf_sweep_row;

typedef struct lf_objective {
	lf_col col;
	int maximize;
} lf_objective;

typedef struct lf_sweep lf_sweep;

/* An empty sweep: add base specs, axes, inputs; then evaluate points. */
lf_status lf_sweep_new(lf_sweep **out, lf_error *err);
void lf_sweep_free(lf_sweep *sw);
/* Catalog files or directories every point loads, in order (the bundled
 * catalog first, as the CLI does). */
lf_status lf_sweep_add_catalog(lf_sweep *sw, const char *path, lf_error *err);
/* A base spec (compare adds several). */
lf_status lf_sweep_add_spec(lf_sweep *sw, const char *path, lf_error *err);
lf_status lf_sweep_add_spec_buffer(lf_sweep *sw, const char *name, const char *data,
                                   size_t len, lf_error *err);
/* "PATH=V1,V2,...": checked against every base spec, or (workload.PATH)
 * against the workload when it is set (unknown path, empty list, bad syntax
 * are errors naming what was expected).  Workload axes need a workload: a
 * point evaluated without one is an LF_EINPUT error. */
lf_status lf_sweep_add_vary(lf_sweep *sw, const char *expr, lf_error *err);
/* "COLUMN:min" or "COLUMN:max" (a bare column: its natural direction). */
lf_status lf_sweep_add_objective(lf_sweep *sw, const char *expr, lf_error *err);
lf_status lf_sweep_set_workload(lf_sweep *sw, const char *path, lf_error *err);
/* The same from memory; `name` names it in errors and resolves its relative
 * paths (a traffic file). */
lf_status lf_sweep_set_workload_buffer(lf_sweep *sw, const char *name, const char *data,
                                       size_t len, lf_error *err);
lf_status lf_sweep_set_supply(lf_sweep *sw, const char *path, lf_error *err);
/* Reliability columns; params_path NULL: built-in defaults; job_gpus <= 0: all. */
lf_status lf_sweep_set_reliability(lf_sweep *sw, const char *params_path, int64_t job_gpus,
                                   lf_error *err);
/* A sweep file: spec (optional, relative to the file; used when no spec was
 * added), vary (mapping PATH: [values]), objectives, workload, supply,
 * reliability (params path or true), job_gpus. */
lf_status lf_sweep_load_file(lf_sweep *sw, const char *path, lf_error *err);
/* The same from memory; `name` names it in errors and is what its relative
 * paths are relative to. */
lf_status lf_sweep_load_buffer(lf_sweep *sw, const char *name, const char *data, size_t len,
                               lf_error *err);

size_t lf_sweep_n_points(const lf_sweep *sw);
size_t lf_sweep_n_axes(const lf_sweep *sw);
const char *lf_sweep_axis_path(const lf_sweep *sw, size_t axis);
/* The workload's name (its file), or NULL when the sweep has none. */
const char *lf_sweep_workload(const lf_sweep *sw);
/* The value point `point` takes on `axis`; its base spec's name. */
const char *lf_sweep_point_value(const lf_sweep *sw, size_t point, size_t axis);
const char *lf_sweep_point_spec(const lf_sweep *sw, size_t point);
int lf_sweep_has_column(const lf_sweep *sw, lf_col c);
/* The YAML text of a point's spec (what the parser sees); caller frees. */
lf_status lf_sweep_point_yaml(const lf_sweep *sw, size_t point, char **out, size_t *len,
                              lf_error *err);
/* The YAML text of a point's workload, with its workload.* values set (an
 * LF_EINPUT error when the sweep has no workload); caller frees. */
lf_status lf_sweep_point_workload_yaml(const lf_sweep *sw, size_t point, char **out,
                                       size_t *len, lf_error *err);

/* Evaluate one point into *row.  Invalid and infeasible points are rows, not
 * errors; an error status means the point could not be evaluated at all
 * (out of memory, an unreadable catalog). */
lf_status lf_sweep_eval(const lf_sweep *sw, size_t point, lf_sweep_row *row, lf_error *err);
/* Every point in order (rows: n_points entries); progress may be NULL. */
lf_status lf_sweep_run(const lf_sweep *sw, lf_sweep_row *rows,
                       void (*progress)(void *ctx, size_t done, size_t total), void *ctx,
                       lf_error *err);

/* Mark rows[i].pareto: status ok, every objective finite, and no other such
 * row at least as good in every objective and better in one. */
void lf_pareto_mark(lf_sweep_row *rows, size_t n, const lf_objective *obj, size_t n_obj);
/* The sweep's objectives (its own, or the defaults for its inputs). */
size_t lf_sweep_objectives(const lf_sweep *sw, lf_objective *out, size_t max);
/* Pareto with the sweep's objectives. */
void lf_sweep_pareto(const lf_sweep *sw, lf_sweep_row *rows, size_t n);

/* A value as the CSV writes it: "" when not computed (NAN), the ready period
 * as the scenario's label ("2026-04") or "never", counts as integers, the
 * rest with 10 significant digits. */
void lf_sweep_format(const lf_sweep *sw, lf_col c, double v, char *buf, size_t n);
/* LF_FMT_TABLE, LF_FMT_JSON or LF_FMT_CSV: one row per point. */
lf_status lf_sweep_render(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                          lf_format fmt, char **out, lf_error *err);
/* Compare: the base specs side by side (metrics down, specs across) with
 * deltas against the first. */
lf_status lf_compare_render(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                            lf_format fmt, char **out, lf_error *err);
/* An HTML page: the Pareto chart (x, y objectives; front highlighted) and the
 * table (src/explore/report_sweep.c). */
lf_status lf_sweep_render_html(const lf_sweep *sw, const lf_sweep_row *rows, size_t n,
                               char **out, lf_error *err);

/* ------------------------------------------------------------------- serve */
/*
 * `lightfab serve`: a local web UI (spec editor + the report's sections) and
 * a JSON API over the same calls, on libmicrohttpd (src/serve/serve.c):
 *   GET  /                  the page (compiled into the library, no files)
 *   GET  /api/examples/NAME a bundled example spec (YAML)
 *   POST /api/plan          body: spec YAML, or JSON {"spec": "..."}; the plan JSON
 *   POST /api/reliability   the same, JSON may add "params" (YAML) and "job_gpus"
 *   POST /api/report        the same (+ "reliability": true); the HTML fragment
 * Errors: {"error": {"message", "line", "column"}} with 400 (bad spec or
 * body, bad or conflicting Content-Length), 403 (a Host that is not this
 * server, a POST from another Origin), 404, 405, 413 (body over the limit,
 * or work over lf_limits.work), 503 (all work slots busy, the request's
 * time limit, the server stopping).
 * Posted specs may not name catalog files: no path from a request is opened.
 * The server runs on its own threads between lf_serve_start and
 * lf_serve_stop; the caller handles signals.
 */
typedef struct lf_serve_config {
	const char *address;        /* IPv4 or IPv6 address to bind; NULL: 127.0.0.1 */
	int port;                   /* 0: any free port (see lf_serve_port) */
	const lf_catalog *cat;      /* finished catalog specs resolve against; borrowed */
	size_t body_limit;          /* request body bytes; 0: 1 MiB */
	unsigned timeout_s;         /* idle connection timeout; 0: 10 s */
	unsigned max_connections;   /* 0: 64 */
	unsigned max_jobs;          /* concurrent plan computations; 0: 4 */
	unsigned work_wait_ms;      /* wait for a work slot before 503; 0: 10000 */
	unsigned time_limit_s;      /* wall time of one request's simulation; 0: 30 */
	/* Host names (with or without ":port") accepted besides 127.0.0.1,
	 * localhost and [::1] on the bound port, and the bound address */
	const char *const *allow_hosts;
	size_t n_allow_hosts;
} lf_serve_config;

typedef struct lf_serve lf_serve;

lf_status lf_serve_start(const lf_serve_config *cfg, lf_serve **out, lf_error *err);
int lf_serve_port(const lf_serve *s);       /* the bound port */
/* Stop accepting, finish the requests in flight, free everything. */
void lf_serve_stop(lf_serve *s);


#ifdef __cplusplus
}
#endif
#endif
