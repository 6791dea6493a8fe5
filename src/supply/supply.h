/*
 * supply.h — the parsed supply scenario, shared by supply_scenario.c (the
 * parser), the model (supply_model.h and the files it lists) and
 * emit_supply.c.  Internal.  Below the model: nothing here calls up.
 */
#ifndef LF_SUPPLY_H
#define LF_SUPPLY_H

#include "core.h"

#define SUP_MAX_SEG 8
#define SUP_MAX_STEP 16
#define SUP_MAX_EXP 4
#define SUP_MAX_OPT LF_SUPPLY_MAX_CHOICE   /* options of a per-stage choice */

/* Capacity per period: `base` from the start, then each step from its period. */
typedef struct sup_cap {
	bool set;
	double base;
	int n_steps;
	int step_period[SUP_MAX_STEP];
	double step_cap[SUP_MAX_STEP];
	lf_pos pos;
} sup_cap;

typedef struct sup_expedite {
	int lead;                 /* periods */
	double premium_frac, premium_usd;
	lf_pos pos;
} sup_expedite;

typedef struct sup_offer {
	int supplier;
	const char *sku;
	lf_pos pos, sku_pos;
	/* incremental volume breaks over the horizon: units beyond seg_from[j]
	 * cost seg_usd[j]; seg_from[0] == 0.  n_seg 0: the catalog price. */
	int n_seg;
	double seg_from[SUP_MAX_SEG], seg_usd[SUP_MAX_SEG];
	int lead;                 /* periods; -1: from the catalog's lead_time_weeks */
	lf_pos lead_pos;
	sup_cap cap;              /* modules per period */
	double min_order, lot;    /* 0: none */
	int n_exp;
	sup_expedite exp[SUP_MAX_EXP];
	double price_factor;      /* uncertainty prices override on the catalog price; 0: 1 */
} sup_offer;

typedef struct sup_supplier {
	const char *name;
	sup_cap cap;              /* all SKUs, modules per period */
	lf_pos pos;
} sup_supplier;

typedef struct sup_pool {
	const char *name;
	lf_laser laser;
	int n_sup;                /* 0: every supplier */
	int *sup;
	sup_cap cap;              /* lasers per period */
	lf_pos pos;
} sup_pool;

typedef struct sup_resv {
	const char *name;
	int supplier;
	const char *sku;
	lf_pos pos, sku_pos;
	double quantity;          /* modules per period */
	int from, to;             /* periods, inclusive */
	double price_usd;         /* per module */
	double take_or_pay;       /* fraction of reserved units paid even if not taken */
	bool optional;            /* the solver decides whether to sign it */
} sup_resv;

typedef struct sup_stock {
	const char *sku;
	double quantity;
	lf_pos pos, sku_pos;
} sup_stock;

typedef struct sup_rule {
	const char *use, *for_;
	lf_pos pos;
} sup_rule;

typedef enum sup_subst { SUB_ANY, SUB_SPEC, SUB_NONE, SUB_RULES } sup_subst;

/* uncertainty: one supply scenario: a probability and overrides: a pool's
 * or a supplier's capacity (lasers or modules per period, every period: the
 * ramp is replaced), a supplier's lead time (periods, every offer of it) or
 * its prices (a factor on every offer's price of it). */
enum { OVR_POOL, OVR_SUPPLIER, OVR_LEAD, OVR_PRICE };
#define SUP_MAX_UNC 16
#define SUP_MAX_OVR 64
typedef struct sup_unc {
	const char *name;
	double prob;
	int n_ovr;
	struct { int kind; int ref; double value; } ovr[SUP_MAX_OVR];   /* kind: OVR_* */
} sup_unc;

typedef struct sup_scenario {
	lf_supply_scenario pub;
	lfi_arena arena;
	lfi_vec suppliers, offers, pools, resv, stock, rules, options;
	sup_subst subst;
	double spares;            /* fraction of modules added to each stage */
	double pen_gpu, pen_link; /* lateness per GPU-period or per link-period */
	bool pen_per_link;
	double unmet_link;        /* per link never served; < 0: default */
	double holding;           /* fraction of unit price per period in stock */
	bool integer;
	double time_limit_s;
	bool value_resv;
	bool price_choices;       /* per-stage: re-solve forcing each other option */
	int start_day;            /* days since 0000-03-01 of period 0 (weeks) */
	/* choose: per-stage: one option per stage, chosen by the MIP */
	bool per_stage;
	lf_pos choose_pos;
	uint8_t incompatible[SUP_MAX_OPT][SUP_MAX_OPT];  /* options i, j may not share the build-out */
	/* projects: a portfolio sourced together (options holds their specs) */
	bool portfolio;
	double proj_pen[SUP_MAX_OPT];     /* lateness per GPU- or link-period; < 0: demand's */
	bool proj_per_link[SUP_MAX_OPT];
	double proj_priority[SUP_MAX_OPT];  /* multiplies the project's lateness and unmet */
	int n_unc;                /* uncertainty: scenarios (0: deterministic) */
	sup_unc unc[SUP_MAX_UNC];
	int commit;               /* periods whose orders and call-offs all scenarios share */
	lf_pos unc_pos;
	bool equipment;           /* option_costs.equipment: non-optics capex of each stage */
	double usd_per_kwh, energy_hours;   /* option_costs.energy */
} sup_scenario;

#define SUP(sc) ((sup_scenario *)(sc)->impl_)

/* Convert a month (months since year 0) to a period index of the scenario. */
int lfi_sup_month_period(const sup_scenario *s, int month);
/* Weeks of lead time -> periods (rounded up). */
int lfi_sup_weeks_periods(const sup_scenario *s, double weeks);
double lfi_sup_cap_at(const sup_cap *c, int period);
#endif
