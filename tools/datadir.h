/*
 * datadir.h — where the CLI and the MPI driver find the bundled catalog:
 * $LIGHTFAB_CATALOG if set; else PREFIX/share/lightfab/catalog next to an
 * installed binary (PREFIX/bin/lightfab), found from the binary's own path so
 * a staged install (DESTDIR) or a moved prefix works; else the path compiled
 * in (LF_DATADIR: the source tree's data/catalog for an in-tree build, the
 * prefix's for `make install`).  Static functions only.
 */
#ifndef LF_DATADIR_H
#define LF_DATADIR_H

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifndef LF_DATADIR
#define LF_DATADIR "data/catalog"
#endif

static const char *lf_cli_catalog_dir(void)
{
	static char buf[PATH_MAX + 64];
	const char *env = getenv("LIGHTFAB_CATALOG");
	if (env && *env)
		return env;
	ssize_t n = readlink("/proc/self/exe", buf, PATH_MAX);
	if (n > 0) {
		buf[n] = 0;
		char *slash = strrchr(buf, '/');
		if (slash && slash - buf >= 4 && !strncmp(slash - 4, "/bin", 4)) {
			struct stat st;
			strcpy(slash - 4, "/share/lightfab/catalog");
			if (stat(buf, &st) == 0 && S_ISDIR(st.st_mode))
				return buf;
		}
	}
	return LF_DATADIR;
}

#endif
