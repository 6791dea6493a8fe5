/*
 * supply_model.h — `lightfab source`: orders, deliveries and stage readiness
 * under supply limits, as an LP/MIP solved with GLPK.  The model's internal
 * types, shared by the files of src/supply/ (never by supply_scenario.c, the
 * parser below them):
 *   supply_setup.c   the problem: SKUs, link levels and candidates, stages
 *   supply_build.c   the LP/MIP, one function per constraint family
 *   supply_glpk.c    GLPK: loading, the simplex settings, warm starts, MIP,
 *                    column generation
 *   supply_answer.c  reading a solution: orders, stages, what binds, why
 *   supply_stoch.c   uncertainty: the two-stage stochastic program
 *   supply.c         the entry points: solve, spares, per-stage pricing,
 *                    the capacity sweep
 *
 * Demand.  Each deployment stage s of the plan (or the whole BOM when the
 * spec has none) adds, per optical link level l, L[s,l] links and occupies
 * cages_lower and cages_upper cages at the two ends (lf_bom): one module
 * each.  rho[s,l,e] = cages_e / links is the modules per link at end e;
 * spares (a fraction) scale the links.  Cable-served levels (DAC/ACC/AEC/
 * AOC) are not sourced here (a note says so).
 * Co-packaged switches (catalog co_packaged:): a level end at one takes no
 * module (rho = 0), except that the external laser source modules of the
 * switches of tier l are that level's upper-end demand, rho = ELS / links
 * (lf_bom.els_level), served only by the switch's own ELS SKU and counted
 * in every family of the level; their CW lasers load the siph-cw laser
 * pools like any module's (laser-pool below).
 * Spares from `lightfab reliability` (lf_supply_solve_spares): N[k] modules
 * of transceiver SKU k (exactly that SKU, no substitutes) set aside from
 * stock by the first stage's need-by d0:
 *     S[k,t] = S[k,t-1] + u[k,t] <= N[k],  u[k,t] drawn in the inventory balance
 * with lateness spare_pen (the dearest stage's per-link penalty) per spare
 * short per period from d0 and `unmet` per spare never set aside.
 *
 * Substitution.  Any catalog transceiver may serve an end when src/plan/media.h
 * says it fits (form factor, ppc, fits, speed, reach) and the scenario
 * allows it (substitution: any | spec (the spec's allow/deny) | none (the
 * plan's own SKUs) | rules (the plan's SKUs and what `use: A, for: B` rules
 * reach from them)) and someone sells it (an offer, a reservation, stock).
 * The two ends of a link must share standard, connector and medium, and run
 * the same ones of the protocols both boxes run (src/plan/media.h): an
 * equivalence relation, so the compatible pairs of a level are the products
 * of the per-end candidates within one family.  The model keeps pairs
 * consistent per family instead of enumerating pairs:
 *     w[s,l,g,t]  links of stage s, level l deployed in period t on family g
 *     v[l,e,k,t]  modules of SKU k (of family g) deployed at end e:
 *     sum_{k in g} v[l,e,k,t] = sum_s rho[s,l,e] w[s,l,g,t]          (family)
 *     C[s,l,t] = C[s,l,t-1] + sum_g w[s,l,g,t],  0 <= C <= L[s,l]     (cumulative)
 *
 * Supply.  x[o,m,t]: modules of offer o (supplier, SKU) ordered in period t
 * in mode m (standard or an expedite option), arriving at t + lead_m (only
 * orders that arrive inside the horizon exist).  Per arrival period:
 *     sum_m x[o,m,t-lead_m] <= capacity of o                   (sku-capacity)
 *     sum_{o of s} ...      <= capacity of supplier s           (supplier)
 *     sum_{o of the pool's suppliers, laser type of the pool} lasers_k x <= pool  (laser-pool)
 * Production, and so laser use, is counted in the arrival period.
 * Reservations: capacity held for the buyer at an agreed price, outside the
 * open-market capacities above (which are what is left for a spot buyer):
 * taken[r,t] <= quantity * sign_r in its window; sign_r = 1, or a decision
 * in [0,1] ({0,1} in a MIP) when optional.  Take-or-pay: the fraction tp of
 * reserved units is paid whether taken or not.
 * Inventory per SKU: I[k,t] = I[k,t-1] + arrivals + taken - sum_{l,e} v[l,e,k,t] >= 0,
 * I[k,-1] = stock on hand.
 *
 * Objective (minimise): purchase (incremental volume breaks need binaries)
 * + expedite premiums + reservation cost + holding + lateness, where
 * lateness = sum_s pen_s sum_{l, t >= need_by_s} (L[s,l] - C[s,l,t]) and
 * links never served cost `unmet` each on top.  pen_s is per link-period,
 * or per GPU-period spread over the stage's links (a stage fully late by one
 * period costs pen * its GPUs).  A 0.01 $ per module-period tie-break on
 * stock makes orders arrive as late as they can without changing anything
 * else; it is not reported as cost.  Minimum orders (x = 0 or >= min) and
 * lots (x = lot * n) are integer; orders are integer when solver.integer.
 *
 * Per-stage choice (choose: per-stage, docs/source.md): the stages of every
 * option are in the model (stage entries grp * n_opt + opt, link levels
 * tagged with their option); y[s,j] in {0,1}, sum_j y[s,j] = 1,
 * C[s,j,l,T-1] <= L y[s,j], incompatible options never in two stages, and
 * the stage's penalty constant plus option_costs move onto y, so an option
 * not chosen costs nothing.  With one option it is the model above.
 *
 * Shadow prices come from the LP: for a MIP, the integer decisions are fixed
 * at their optimum and the LP re-solved.  Everything is deterministic: the
 * model is built in a fixed order and GLPK's simplex and branch-and-bound are
 * deterministic (unless the MIP time limit stops the search; a note says so).
 */
#ifndef LF_SUPPLY_MODEL_H
#define LF_SUPPLY_MODEL_H

#include <glpk.h>

#include "media.h"
#include "supply.h"

#define EPS 1e-6
#define TIE_HOLD 0.01
/* link media over all options: a level each, or on a floor layout a
 * variant each (setup_levels) */
#define LV_MAX (LF_LAYOUT_MAX_VAR * SUP_MAX_OPT)

typedef struct sku_t {
	const lf_optic *o;
	double stock;
} sku_t;

typedef struct cand_t {
	int sku;                  /* index into skus */
	int fam;                  /* family index within the level */
	int end;                  /* 0 lower, 1 upper */
} cand_t;

typedef struct level_t {
	int level;
	uint32_t vars;            /* floor variants it serves (lf_layout.var), 0: every link */
	int opt;                  /* the option (plan) it belongs to */
	lfi_media_end ends[2];
	int gbps;
	double distance_m;
	const lf_optic *planned[2];
	int n_cand;
	cand_t *cand;
	int n_fam;                /* usable families (both ends have a candidate) */
} level_t;

/* A stage built from one option: with choose: per-stage there is one per
 * (stage, option), and the MIP picks one option per stage (grp). */
typedef struct stage_t {
	const char *name;
	int64_t gpus;
	int need_by;              /* period, clamped to >= 0 */
	int grp, opt;             /* stage index, option index */
	double L[LV_MAX];         /* links incl. spares per level slot; 0 when none */
	double rho[LV_MAX][2];    /* modules per link at each end */
	double pen;               /* per link-period */
	double unmet;             /* per link never served */
	double extra;             /* option_costs: equipment + energy of the increment */
} stage_t;

typedef struct problem {
	const sup_scenario *s;
	const lf_plan *pl;        /* the first option's: the catalog */
	int n_opt;                /* > 1 only with choose: per-stage */
	int n_grp;                /* stages (per option) */
	bool per_stage;
	bool portfolio;           /* projects: every option's stages, each its own penalty */
	int T;
	size_t n_sku;
	sku_t *sku;
	int *offer_sku;           /* offer -> sku index */
	int *offer_lead;          /* standard lead, periods */
	double *offer_price;      /* base (first segment or catalog) */
	int *resv_sku;
	int n_lv;
	level_t lv[LV_MAX];
	int n_st;
	stage_t *st;
	double unmet;             /* per link */
	double bigm;
	double *spare;            /* per sku: spares from lightfab reliability */
	int spare_need;           /* period they are needed by */
	double spare_pen;         /* per spare-period short from spare_need */
} problem;

enum row_kind { R_FREE, R_OFFER_CAP, R_SUPPLIER, R_POOL, R_RESV, R_OTHER };

typedef struct rowinfo {
	uint8_t kind;
	int ref, period;
} rowinfo;

typedef struct model {
	const problem *p;
	int disabled_resv;        /* -1: none */
	const int *assign;        /* per stage: the option it must use, -1 free; NULL: all free */
	lfi_vec lb, ub, cost, ctype, ckind;   /* columns, 1-based after load */
	lfi_vec rlo, rhi, rtype;
	lfi_vec rinfo;
	lfi_vec ia, ja, ar;
	/* column indices (0 = none) */
	int *x;                   /* [offer][mode][t] */
	int *nmode;
	int *xbase;               /* first index in x of offer o */
	int *q;                   /* [offer][seg] */
	int *taken;               /* [resv][t] */
	int *sign;                /* [resv] */
	int *inv;                 /* [sku][t] */
	int *v;                   /* [level][cand][t] */
	int *w;                   /* [stage][level][fam][t], fam up to maxfam */
	int *C;                   /* [stage][level][t] */
	int *spu, *spS;           /* [sku][t]: spares set aside in t, cumulative */
	int *y;                   /* [stage entry]: built from this option (per-stage) */
	int maxfam;
	double constant;
	int n_int;
	/* solution */
	double *val;              /* per column, 1-based */
	double *dval;             /* the LP the duals come from */
	double *rdual;            /* per row */
	double *cdual;
	double obj;
	int optimal;
	double gap;
	int rows, cols;
	glp_prob *lp;             /* an LP's solved problem (warm starts); NULL for a MIP */
	bool keep_root;           /* set before sup_solve: keep a MIP's root LP in `root` */
	glp_prob *root;           /* a MIP's root relaxation at its optimal basis (warm
	                           * starts of the forcing re-solves) */
	int root_iters;           /* simplex iterations the root took */
} model;

/* the column of order x[o, mode md, period t] (T: the periods, in scope) */
#define XI(m, o, md, t) ((m)->xbase[o] + (md) * T + (t))

/* result memory (supply.c) */
void sup_answer_release(lf_supply_answer *a);
void sup_note(lf_supply_answer *a, const char *fmt, ...) LF_PRINTF(2, 3);

/* the problem (supply_setup.c) */
void sup_problem_release(problem *p);
lf_status sup_setup(problem *p, const sup_scenario *s, const lf_plan *const *pls, int n_opt,
                    const lf_reliability *rel, lf_supply_answer *a, lf_error *err) LF_MUST;

/* the model (supply_build.c) */
int sup_add_col(model *m, double lb, double ub, double cost, int kind);
bool sup_add_nz(model *m, int row, int col, double v);
int sup_add_row(model *m, double lo, double hi, int kind, int ref, int period);
lf_status sup_build(model *m, const problem *p, int disabled_resv, const int *assign,
                    lf_error *err) LF_MUST;
void sup_model_release(model *m);
int sup_offer_lead(const problem *p, size_t o, int md);

/* GLPK (supply_glpk.c) */
lf_status sup_solve(model *m, double time_limit_s, const model *from, lf_error *err) LF_MUST;
bool sup_solve_colgen(model *M, uint8_t *keep, const int *rstat0, const int *cstat0);

/* reading a solution (supply_answer.c) */
lf_status sup_fill_answer(model *m, lf_supply_answer *a, lf_error *err) LF_MUST;
lf_status sup_fill_projects(const model *m, lf_supply_answer *a, lf_error *err) LF_MUST;
int sup_group_ready(const model *m, int g);
double sup_objective_without_tie(const model *m);
int sup_stage_ready(const model *m, int k);
bool sup_chosen(const model *m, int k);

/* uncertainty (supply_stoch.c) */
lf_status sup_solve_stochastic(const sup_scenario *s, const lf_plan *pl,
                               const lf_reliability *rel, lf_supply_result *r,
                               lf_error *err) LF_MUST;

/* choose: per-stage with each stage's option fixed (supply.c; tests). */
lf_status lfi_sup_solve_assigned(const lf_supply_scenario *sc, const lf_plan *const *plans,
                                 size_t n_plans, const int *assign, double *objective,
                                 int *int_cols, lf_error *err);


#endif
