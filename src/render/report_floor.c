/*
 * report_floor.c — the report's "Floor" section, for a spec with a
 * `layout:` (src/plan/layout.c): a floor plan (one rectangle per rack, coloured
 * by role, the first SU outlined, the rack's power over its budget in the
 * tooltip), the rack power against the budget (the racks of the highest
 * power, and how many are over), and the orderable cable lengths per link
 * level (a histogram).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "svg.h"

#define CELL 14          /* px per rack position */
#define ROW_GAP 10       /* px between rows (the aisle) */
#define MAX_BARS 24

static const char *const role_fill[] = { "#2196f3", "#4caf50", "#ff9800" };
static const char *const role_name[] = { "compute", "network", "spine/core" };

static void floor_svg(lfi_buf *b, const lf_layout *ly)
{
	int w = (int)ly->cols * CELL + 20, h = (int)ly->rows * (CELL + ROW_GAP) + 40;
	lfi_buf_printf(b, "<figure class=\"chart\"><figcaption>Floor plan: %zu racks in %u rows "
	               "(SU 1 outlined)</figcaption>\n<svg class=\"floor\" xmlns=\"http://www.w3.org/"
	               "2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\">\n",
	               ly->n_racks, ly->rows, w, h, w < 900 ? w : 900, h < 900 ? h : 900);
	for (size_t r = 0; r < ly->n_racks; r++) {
		const lf_rack *k = &ly->racks[r];
		char id[16];
		lf_layout_rack_id(ly, (uint32_t)r, id, sizeof id);
		bool su1 = k->su == 0 && k->role != LF_RACK_SPINE;
		bool over = k->power_w > ly->eff.power_budget_w + 1e-6;
		lfi_buf_printf(b, "<rect class=\"rack %s%s\" x=\"%u\" y=\"%u\" width=\"%d\" height=\"%d\" "
		               "fill=\"%s\" stroke=\"%s\" stroke-width=\"%d\"><title>%s %s, %u devices, "
		               "%.1f of %.1f kW</title></rect>\n",
		               k->role == LF_RACK_COMPUTE ? "compute" : k->role == LF_RACK_NETWORK
		                                                          ? "network" : "spine",
		              over ? " over" : "", 10 + k->col * CELL, 10 + k->row * (CELL + ROW_GAP),
		              CELL - 2, CELL - 2, role_fill[k->role], over ? "#d32f2f" : su1 ? "#000"
		                                                                               : "none",
		              over || su1 ? 2 : 0, id, role_name[k->role], k->devices,
		              k->power_w / 1000, ly->eff.power_budget_w / 1000);
	}
	int y = (int)ly->rows * (CELL + ROW_GAP) + 22;
	for (int i = 0; i < 3; i++)
		lfi_buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/>"
		               "<text x=\"%d\" y=\"%d\" font-size=\"11\">%s</text>\n", 10 + i * 110, y - 9,
		               role_fill[i], 24 + i * 110, y, role_name[i]);
	lfi_buf_puts(b, "</svg></figure>\n");
}

static int cmp_power(const void *a, const void *b)
{
	const lf_rack *x = *(const lf_rack *const *)a, *y = *(const lf_rack *const *)b;
	return x->power_w < y->power_w ? 1 : x->power_w > y->power_w ? -1 : 0;
}

static lf_status power_bars(lfi_buf *b, const lf_layout *ly, lf_error *err)
{
	const lf_rack **by = malloc((ly->n_racks ? ly->n_racks : 1) * sizeof *by);
	if (!by)
		return lfi_oom(err);
	size_t over = 0;
	for (size_t r = 0; r < ly->n_racks; r++) {
		by[r] = &ly->racks[r];
		over += ly->racks[r].power_w > ly->eff.power_budget_w + 1e-6;
	}
	qsort(by, ly->n_racks, sizeof *by, cmp_power);
	size_t n = ly->n_racks < MAX_BARS ? ly->n_racks : MAX_BARS;
	lfi_svg_bar bars[MAX_BARS + 1];
	char labels[MAX_BARS + 1][48];
	bars[0] = (lfi_svg_bar){ "budget per rack", ly->eff.power_budget_w / 1000 };
	for (size_t i = 0; i < n; i++) {
		char id[16];
		lf_layout_rack_id(ly, (uint32_t)(by[i] - ly->racks), id, sizeof id);
		snprintf(labels[i], sizeof labels[i], "%s (%s)", id, role_name[by[i]->role]);
		bars[i + 1] = (lfi_svg_bar){ labels[i], by[i]->power_w / 1000 };
	}
	free(by);
	char title[160];
	snprintf(title, sizeof title, "Rack power at maximum, the %zu highest of %zu racks; %zu over "
	         "the budget", n, ly->n_racks, over);
	lfi_svg_hbars(b, title, bars, n + 1, "%.1f kW");
	return LF_OK;
}

static void length_bars(lfi_buf *b, const lf_plan *pl, const lf_layout *ly, int level)
{
	double len[MAX_BARS];
	uint64_t cnt[MAX_BARS];
	size_t n = lf_layout_lengths(pl, ly, level, len, cnt, MAX_BARS);
	lfi_svg_bar bars[MAX_BARS];
	char labels[MAX_BARS][24];
	for (size_t k = 0; k < n; k++) {
		snprintf(labels[k], sizeof labels[k], "%g m", len[k]);
		bars[k] = (lfi_svg_bar){ labels[k], (double)cnt[k] };
	}
	char title[128];
	snprintf(title, sizeof title, "%s cables per orderable length (routes up to %.1f m)",
	         lfi_level_name(level), ly->max_routed_m[level]);
	lfi_svg_hbars(b, title, bars, n, "#");
}

lf_status lfi_report_floor(lfi_buf *b, const lf_plan *pl, lf_error *err)
{
	const lf_layout *ly = pl->layout;
	if (!ly)
		return LF_OK;
	lfi_buf_puts(b, "<section id=\"floor\"><h2>Floor</h2>\n<p class=\"sub\">");
	char *sum = NULL;
	lf_status st = lf_layout_render(pl, ly, &sum, err);
	if (st == LF_OK) {
		/* the summary's first two lines: the floor and the rack power */
		char *nl = strchr(sum + 1, '\n');
		nl = nl ? strchr(nl + 1, '\n') : NULL;
		if (nl)
			*nl = 0;
		lfi_html_esc(b, sum + 1);
		lfi_buf_puts(b, "</p>\n");
		floor_svg(b, ly);
		st = power_bars(b, ly, err);
	}
	for (int lv = 1; st == LF_OK && lv <= pl->tiers; lv++)
		length_bars(b, pl, ly, lv);
	if (st == LF_OK)
		lfi_buf_puts(b, "</section>\n");
	free(sum);
	return st;
}
