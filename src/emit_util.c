/*
 * emit_util.c — what every renderer shares: the JSON dump and the CSV
 * field quoting, so each output format is written one way.
 */
#include <stdlib.h>
#include <string.h>

#include "emit.h"

lf_status lf_emit_json_dump(json_t *o, size_t flags, char **out, lf_error *err)
{
	if (!o)
		return lf_oom(err);
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10) | flags);
	json_decref(o);
	if (!s)
		return lf_oom(err);
	/* json_dumps allocates with malloc: hand it over with a newline */
	lf_buf b;
	lf_buf_init(&b);
	lf_buf_puts(&b, s);
	lf_buf_puts(&b, "\n");
	free(s);
	return lf_buf_finish(&b, out, err);
}

void lf_emit_csv_field(lf_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		lf_buf_puts(b, s);
		return;
	}
	lf_buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			lf_buf_add(b, "\"", 1);   /* a quote is doubled */
		lf_buf_add(b, s, 1);
	}
	lf_buf_puts(b, "\"");
}
