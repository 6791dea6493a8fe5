/*
 * fuzz_spec.c — libFuzzer target for the spec parser.
 *
 * Each input is parsed as a spec (lf_spec_load_buffer); when it parses, it
 * is resolved against the bundled catalog (loaded once from LF_DATADIR) and,
 * when it resolves and is small enough to plan in milliseconds, planned and
 * rendered as JSON.  The spec's own `catalog:` list is parsed but not
 * loaded (cat = NULL), so an input cannot make the target read files.
 *
 *   make fuzz                    # builds build/fuzz/fuzz_spec, short run
 *   build/fuzz/fuzz_spec -dict=fuzz/yaml.dict fuzz/corpus/spec
 */
#include <stdio.h>
#include <stdlib.h>

#include "lightfab.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

/* An input asking for more than this is parsed and resolved, not planned. */
#define MAX_PLAN_SERVERS 100000
#define MAX_PLAN_PORTS 400000  /* servers x rails x planes */

static lf_catalog *cat;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	lf_error err = { 0 };
	const char *dir = getenv("LIGHTFAB_CATALOG");
	if (!dir || !*dir)
		dir = LF_DATADIR;
	if (lf_catalog_new(&cat, &err) != LF_OK || lf_catalog_load_path(cat, dir, &err) != LF_OK ||
	    lf_catalog_finish(cat, &err) != LF_OK) {
		char buf[2048];
		fprintf(stderr, "fuzz_spec: cannot load catalog %s: %s\n", dir,
		        lf_error_format(&err, buf, sizeof buf));
		abort();
	}
	return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	lf_error err = { 0 };
	lf_spec *spec = NULL;
	if (lf_spec_load_buffer("fuzz.yaml", (const char *)data, size, NULL, &spec, &err) != LF_OK)
		goto out;
	if (lf_spec_resolve(spec, cat, &err) != LF_OK)
		goto out;
	int64_t ports = spec->final_servers * (spec->server ? spec->server->nic_ports : 1) *
	                spec->planes;
	if (spec->servers > MAX_PLAN_SERVERS || spec->final_servers > MAX_PLAN_SERVERS ||
	    ports > MAX_PLAN_PORTS)
		goto out;
	lf_plan *plan = NULL;
	if (lf_plan_build(spec, cat, &plan, &err) == LF_OK) {
		char *json = NULL;
		if (lf_plan_render(plan, LF_FMT_JSON, &json, &err) == LF_OK)
			free(json);
	}
	lf_plan_free(plan);
out:
	/* every failure must say where (or at least what) */
	if (err.status != LF_OK && !err.msg[0])
		abort();
	lf_spec_free(spec);
	return 0;
}
