/*
 * links.c — what a run leaves on the links: each flow's path in words
 * (record_paths, --fct) and the busiest links with their utilisation.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine.h"

/* ------------------------------------------------------------- flow paths */

static void node_name(const lf_sim *s, uint32_t node, lfi_buf *b)
{
	static const char *const tier[] = { "server", "leaf", "spine", "core" };
	const lf_node *n = &s->pl->nodes[node];
	lfi_buf_printf(b, "%s %u", n->tier < 4 ? tier[n->tier] : "node", n->index);
	if (s->P > 1 && n->tier > 0)
		lfi_buf_printf(b, ".p%d", n->plane);
}

/* Hop order: ups by rising level, then downs by falling level. */
static int chan_rank(const lf_sim *s, uint32_t ch)
{
	if (ch < s->nvl_base) {
		int lv = s->pl->links[ch / 2].level;
		return ch % 2 ? 10 - lv : lv;
	}
	if (ch < s->trunk_base)
		return (ch - s->nvl_base) % 2 ? 10 : 0;
	int lv = ch < s->pod_trunk_base ? 2 : 3;
	return (ch - s->trunk_base) % 2 ? 10 - lv : lv;
}

static void chan_name(const lf_sim *s, uint32_t ch, lfi_buf *b)
{
	const lf_plan *pl = s->pl;
	if (ch < s->nvl_base) {
		const lf_link *l = &pl->links[ch / 2];
		node_name(s, ch % 2 ? l->b : l->a, b);
		lfi_buf_puts(b, ">");
		node_name(s, ch % 2 ? l->a : l->b, b);
	} else if (ch < s->trunk_base) {
		lfi_buf_printf(b, "gpu %zu nvlink %s", (ch - s->nvl_base) / 2,
		               (ch - s->nvl_base) % 2 ? "in" : "out");
	} else if (ch < s->pod_trunk_base) {
		uint32_t leaf = s->trunk_leaf[(ch - s->trunk_base) / 2];
		if ((ch - s->trunk_base) % 2 == 0) {
			node_name(s, leaf, b);
			lfi_buf_puts(b, ">spines");
		} else {
			lfi_buf_puts(b, "spines>");
			node_name(s, leaf, b);
		}
	} else if (ch < s->nowhere) {
		size_t i = (ch - s->pod_trunk_base) / 2;
		size_t pods = pl->pods ? (size_t)pl->pods : 1;
		if ((ch - s->pod_trunk_base) % 2 == 0)
			lfi_buf_printf(b, "pod %zu spines>cores", i % pods);
		else
			lfi_buf_printf(b, "cores>pod %zu spines", i % pods);
		if (s->P > 1)
			lfi_buf_printf(b, ".p%zu", i / pods);
	} else {
		lfi_buf_puts(b, "no path");
	}
}

void lf_sim_flow_path(const lf_sim *s, uint32_t id, lfi_buf *out)
{
	const sflow *f = LF_VEC_AT(&s->flows, sflow, id);
	const uint32_t *p = (const uint32_t *)s->paths.data + f->path_off;
	/* a stable insertion sort of a few channels by hop order */
	uint32_t small[64], *o = f->path_len <= 64 ? small : malloc(f->path_len * sizeof *o);
	if (!o) {
		out->failed = true;
		return;
	}
	for (uint32_t i = 0; i < f->path_len; i++) {
		uint32_t c = p[i], j = i;
		while (j > 0 && chan_rank(s, o[j - 1]) > chan_rank(s, c)) {
			o[j] = o[j - 1];
			j--;
		}
		o[j] = c;
	}
	for (uint32_t i = 0; i < f->path_len; i++) {
		if (i)
			lfi_buf_puts(out, ";");
		chan_name(s, o[i], out);
	}
	if (o != small)
		free(o);
}

/* ------------------------------------------------------------ utilization */

static double link_dir_bytes(const lf_sim *s, uint32_t li, int dir)
{
	const lf_plan *pl = s->pl;
	const lf_link *l = &pl->links[li];
	double b = s->chan_bytes[2 * (size_t)li + (size_t)dir];
	if (l->level == 2)   /* leaf trunk shares */
		b += s->chan_bytes[s->leaf_trunk[l->a] + (size_t)dir] / s->up_n[l->a];
	if (l->level == 3) {
		const lf_node *sp = &pl->nodes[l->a];
		size_t pt = s->pod_trunk_base + 2 * ((size_t)sp->plane * (size_t)pl->pods + sp->group);
		b += s->chan_bytes[pt + (size_t)dir] /
		     ((double)pod_spines(s, sp->group) * s->up_n[l->a]);
	}
	return b;
}

size_t lf_sim_top_links(const lf_sim *s, lf_link_use *out, size_t k)
{
	size_t n = 0;
	double T = s->end > 0 ? s->end : 1;
	for (uint32_t li = 0; li < s->pl->n_links; li++)
		for (int dir = 0; dir < 2; dir++) {
			double cap = link_bytes_per_s(&s->pl->links[li], s->cfg.efficiency);
			double b = link_dir_bytes(s, li, dir);
			if (b <= 0)
				continue;
			lf_link_use u = { li, dir == 0, b, b / (cap * T) };
			/* insertion into the top k, highest first; ties by link id */
			size_t pos = n < k ? n : k;
			while (pos > 0 && out[pos - 1].utilization < u.utilization)
				pos--;
			if (pos >= k)
				continue;
			size_t last = n < k ? n : k - 1;
			memmove(&out[pos + 1], &out[pos], (last - pos) * sizeof *out);
			out[pos] = u;
			if (n < k)
				n++;
		}
	return n;
}
