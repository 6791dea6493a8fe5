/*
 * emit_dot.c — the topology as a Graphviz graph, built with libcgraph and
 * written as DOT.
 *
 * Small fabrics (at most SMALL_SWITCHES switches) draw every switch; larger
 * ones are aggregated so the picture stays readable at 100,000 links: one
 * box per SU of servers, per SU of leaves, per pod of spines and per core
 * group, each plane apart, with edges labelled "<links> x <speed>".
 */
#include <graphviz/cgraph.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core.h"
#include "render.h"

#define SMALL_SWITCHES LF_TOPO_EACH_MAX

typedef struct count_rec {
	Agrec_t h;
	uint64_t n;
} count_rec;

static int put_str(void *chan, const char *s)
{
	lfi_buf_puts(chan, s);
	return 0;
}

static int no_flush(void *chan)
{
	(void)chan;
	return 0;
}

static void node_name(const lf_plan *pl, const lf_node *n, bool each, char *buf, size_t len)
{
	static const char *const tier[] = { "servers", "leaf", "spine", "core" };
	const char *grp = n->tier == 0 ? "SU" : n->tier == 1 ? "SU" : n->tier == 2 ? "pod" : "group";
	if (n->tier == 0)
		snprintf(buf, len, "servers SU%u", n->group);
	else if (each && pl->planes > 1)
		snprintf(buf, len, "%s p%u.%u", tier[n->tier], (unsigned)n->plane, n->index);
	else if (each)
		snprintf(buf, len, "%s %u", tier[n->tier], n->index);
	else if (pl->planes > 1)
		snprintf(buf, len, "%s p%u %s%u", tier[n->tier], (unsigned)n->plane, grp, n->group);
	else
		snprintf(buf, len, "%s %s%u", tier[n->tier], grp, n->group);
}

/* The topology graph (see the top of the file): every switch when there are
 * at most `each_max`, else aggregated; built with `disc` (NULL: cgraph's
 * default).  The caller closes it with agclose().  Shared with report.c,
 * which lays it out with libgvc. */
lf_status lfi_topo_graph(const lf_plan *pl, uint64_t each_max, Agdisc_t *disc, Agraph_t **out,
                         lf_error *err)
{
	*out = NULL;
	uint64_t switches = 0;
	for (size_t i = 0; i < pl->n_nodes; i++)
		switches += pl->nodes[i].kind == LF_NODE_SWITCH;
	bool each = switches <= each_max;

	Agraph_t *g = agopen((char *)pl->name, Agstrictdirected, disc);
	if (!g)
		return lfi_oom(err);
	agattr(g, AGRAPH, "rankdir", "BT");
	agattr(g, AGNODE, "shape", "box");
	agattr(g, AGNODE, "label", "");
	agattr(g, AGEDGE, "label", "");
	agattr(g, AGEDGE, "dir", "none");

	Agnode_t **gn = calloc(pl->n_nodes, sizeof *gn);
	if (!gn) {
		agclose(g);
		return lfi_oom(err);
	}
	char name[128];
	for (size_t i = 0; i < pl->n_nodes; i++) {
		node_name(pl, &pl->nodes[i], each, name, sizeof name);
		gn[i] = agnode(g, name, TRUE);
		count_rec *r = agbindrec(gn[i], "lf", sizeof(count_rec), FALSE);
		if (r)
			r->n++;
	}
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		Agedge_t *e = agedge(g, gn[l->a], gn[l->b], NULL, TRUE);
		count_rec *r = e ? agbindrec(e, "lf", sizeof(count_rec), FALSE) : NULL;
		if (r)
			r->n++;
	}
	/* labels: "<name>\n<count> x <model>" and "<links> x <speed>" */
	for (size_t i = 0; i < pl->n_nodes; i++) {
		const lf_node *n = &pl->nodes[i];
		count_rec *r = (count_rec *)aggetrec(gn[i], "lf", FALSE);
		if (!r || !r->n)
			continue;
		const char *model;
		if (n->tier == 0) {
			model = pl->spec->server->id;
		} else {
			model = lfi_tier_spec(pl->spec, n->tier)->sw->id;
		}
		char label[256];
		snprintf(label, sizeof label, "%s\n%llu x %s", agnameof(gn[i]),
		         (unsigned long long)r->n, model);
		agsafeset(gn[i], "label", label, "");
		r->n = 0;   /* label once */
		if (n->tier == 0)
			agsafeset(gn[i], "style", "rounded", "");
	}
	for (size_t i = 0; i < pl->n_links; i++) {
		const lf_link *l = &pl->links[i];
		Agedge_t *e = agedge(g, gn[l->a], gn[l->b], NULL, FALSE);
		count_rec *r = e ? (count_rec *)aggetrec(e, "lf", FALSE) : NULL;
		if (!r || !r->n)
			continue;
		char label[64], sp[16];
		lfi_format_gbps(l->gbps, sp, sizeof sp);
		snprintf(label, sizeof label, "%llu x %s", (unsigned long long)r->n, sp);
		agsafeset(e, "label", label, "");
		r->n = 0;
	}
	free(gn);
	*out = g;
	return LF_OK;
}

lf_status lfi_emit_dot(const lf_plan *pl, char **out, lf_error *err)
{
	lfi_buf b;
	lfi_buf_init(&b);
	Agiodisc_t io = { AgIoDisc.afread, put_str, no_flush };
	Agdisc_t disc = { &AgMemDisc, &AgIdDisc, &io };
	Agraph_t *g;
	LF_TRY(lfi_topo_graph(pl, SMALL_SWITCHES, &disc, &g, err));
	int rc = agwrite(g, &b);
	agclose(g);
	if (rc != 0) {
		lfi_buf_release(&b);
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "graphviz could not write the graph");
	}
	return lfi_buf_finish(&b, out, err);
}
