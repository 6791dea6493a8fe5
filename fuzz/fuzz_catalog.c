/*
 * fuzz_catalog.c — libFuzzer target for the catalog parser.
 *
 * Each input is loaded alone into an empty catalog.  When it loads, it is
 * loaded again after the bundled catalog files (read once from LF_DATADIR)
 * so that duplicate ids across files and references to bundled entries (a
 * server's nic) are exercised: always when finishing it alone failed (a
 * dangling reference the bundled files may satisfy), else for one input in
 * eight (size % 8 == 0), because parsing the ~100 KB bundled catalog costs
 * ten times more than a typical input.  lf_catalog_finish() runs whenever
 * loading succeeds.
 *
 *   make fuzz
 *   build/fuzz/fuzz_catalog -dict=fuzz/yaml.dict fuzz/corpus/catalog
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "lightfab.h"

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

#define MAX_FILES 64

static struct { char *name, *data; size_t len; } bundled[MAX_FILES];
static size_t n_bundled;

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static int cmp_name(const void *a, const void *b)
{
	return strcmp(((const char *const *)a)[0], ((const char *const *)b)[0]);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	const char *dir = getenv("LIGHTFAB_CATALOG");
	if (!dir || !*dir)
		dir = LF_DATADIR;
	DIR *dp = opendir(dir);
	if (!dp) {
		fprintf(stderr, "fuzz_catalog: cannot open %s\n", dir);
		abort();
	}
	struct dirent *de;
	while ((de = readdir(dp)) && n_bundled < MAX_FILES) {
		size_t n = strlen(de->d_name);
		if (n < 6 || strcmp(de->d_name + n - 5, ".yaml") != 0 || de->d_name[0] == '.')
			continue;
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
		FILE *f = fopen(path, "rb");
		if (!f)
			continue;
		fseek(f, 0, SEEK_END);
		long len = ftell(f);
		rewind(f);
		char *buf = malloc((size_t)len + 1);
		if (!buf || fread(buf, 1, (size_t)len, f) != (size_t)len)
			abort();
		fclose(f);
		bundled[n_bundled].name = strdup(path);
		bundled[n_bundled].data = buf;
		bundled[n_bundled].len = (size_t)len;
		n_bundled++;
	}
	closedir(dp);
	qsort(bundled, n_bundled, sizeof bundled[0], cmp_name);
	return 0;
}

static void check(const lf_error *err)
{
	if (err->status != LF_OK && (!err->msg[0] || err->status == LF_EINTERNAL))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	for (int with_bundled = 0; with_bundled < 2; with_bundled++) {
		lf_error err = { 0 };
		lf_catalog *cat = NULL;
		if (lf_catalog_new(&cat, &err) != LF_OK)
			abort();
		lf_status st = LF_OK;
		for (size_t i = 0; with_bundled && st == LF_OK && i < n_bundled; i++)
			st = lf_catalog_load_buffer(cat, bundled[i].name, bundled[i].data, bundled[i].len,
			                            &err);
		if (st != LF_OK)
			abort();   /* the bundled catalog must load */
		st = lf_catalog_load_buffer(cat, "fuzz.yaml", (const char *)data, size, &err);
		bool again = false;
		if (st == LF_OK) {
			st = lf_catalog_finish(cat, &err);
			again = st != LF_OK || size % 8 == 0;
		}
		if (st == LF_OK) {
			/* read back what was loaded, as the planner would */
			for (size_t i = 0; i < lf_catalog_n_servers(cat); i++)
				if (!lf_catalog_server_at(cat, i)->nic)
					abort();
			for (size_t i = 0; i < lf_catalog_n_optics(cat); i++) {
				const lf_optic *o = lf_catalog_optic_at(cat, i);
				if (lf_catalog_optic(cat, o->id) == NULL)
					abort();
			}
		}
		check(&err);
		lf_catalog_free(cat);
		if (!again)
			break;
	}
	return 0;
}
