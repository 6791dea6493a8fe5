/*
 * load.c — the one loader: catalogs, the spec, the catalog finished, the
 * spec resolved (and, with lf_load_plan, the plan), in the order the library
 * needs them; with no spec, the catalog alone, finished.  The CLI, serve, sweep and the tests all load through it.
 *
 * Order: the bundled catalog, then each --catalog path, then a catalog
 * given as text, then the spec (which loads the catalog files it names,
 * relative to itself), then lf_catalog_finish and lf_spec_resolve.  With a
 * shared (already finished) catalog the spec is parsed without one and
 * resolved against it; a spec naming catalog files is then refused at its
 * catalog: key, so that no path from a request is ever opened.
 */
#include <string.h>

#include "plan.h"

lf_status lf_load(const lf_load_opts *o, lf_catalog **cat, lf_spec **spec, lf_error *err)
{
	*cat = NULL;
	*spec = NULL;
	lf_status st = LF_OK;
	if (!o->shared) {
		st = lf_catalog_new(cat, err);
		if (st == LF_OK && o->default_catalog)
			st = lf_catalog_load_path(*cat, o->default_catalog, err);
		for (size_t i = 0; st == LF_OK && i < o->n_catalogs; i++)
			st = lf_catalog_load_path(*cat, o->catalogs[i], err);
		if (st == LF_OK && o->catalog_text)
			st = lf_catalog_load_buffer(*cat, o->catalog_name ? o->catalog_name : "catalog.yaml",
			                            o->catalog_text, strlen(o->catalog_text), err);
	}
	if (st != LF_OK)
		return st;
	if (!o->spec_path && !o->spec_text)
		return o->shared ? LF_OK : lf_catalog_finish(*cat, err);   /* the catalog alone */
	if (o->spec_path)
		st = lf_spec_load(o->spec_path, *cat, spec, err);
	else
		st = lf_spec_load_buffer(o->spec_name ? o->spec_name : "spec.yaml", o->spec_text,
		                         o->spec_len, *cat, spec, err);
	if (st == LF_OK && o->shared && (*spec)->n_catalogs)
		return lfi_fail(err, LF_EINPUT, (*spec)->file, (*spec)->pos_catalog.line,
		                (*spec)->pos_catalog.col,
		                "this front end does not load catalog files named by a spec; start it "
		                "with --catalog PATH and leave \"catalog:\" out");
	if (st == LF_OK && !o->shared)
		st = lf_catalog_finish(*cat, err);
	if (st == LF_OK)
		st = lf_spec_resolve(*spec, o->shared ? o->shared : *cat, err);
	return st;
}

lf_status lf_load_plan(const lf_load_opts *o, lf_catalog **cat, lf_spec **spec,
                       lf_plan **plan, lf_error *err)
{
	*plan = NULL;
	lf_status st = lf_load(o, cat, spec, err);
	if (st == LF_OK)
		st = lf_plan_build(*spec, o->shared ? o->shared : *cat, plan, err);
	return st;
}
