/*
 * emit_util.c — what every renderer shares: the JSON dump, the CSV field
 * quoting and a training step's rows per kind of communication, so each
 * output format is written one way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"

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

size_t lf_step_comm_rows(const lf_sim_report *r, lf_comm_row *out)
{
	const lf_step *s = &r->step;
	const lf_training *t = r->training;
	bool sp = t && t->sequence_parallel;
	const char *dpn = !t || t->zero == LF_ZERO_0 ? "dp all-reduce"
	                : t->zero == LF_ZERO_3 ? "dp gather+rs/layer" : "dp rs+ag (zero)";
	lf_comm_row rows[] = {
		{ "tp", sp ? "tp rs+ag (sp)" : "tp all-reduce", s->tp_bytes, s->tp_count,
		  s->tp_groups, s->tp_s, s->tp_exposed_s, "/slot" },
		{ "pp", "pp send/recv", s->pp_bytes, s->pp_count, s->pp_pairs, s->pp_s,
		  s->pp_exposed_s, "/slot" },
		{ "cp", "cp ring kv", s->cp_bytes, s->cp_count, s->cp_groups, s->cp_s,
		  s->cp_exposed_s, "/slot" },
		{ "ep", "ep all-to-all", s->ep_bytes, s->ep_count, s->ep_groups, s->ep_s,
		  s->ep_exposed_s, "/slot" },
		{ "dp", dpn, s->dp_buckets > 0 ? s->dp_bytes / s->dp_buckets : 0,
		  (int64_t)ceil(s->dp_buckets), s->dp_groups, s->dp_bucket_s, s->dp_exposed_s,
		  t && t->zero == LF_ZERO_3 ? "/mb" : "/step" },
	};
	size_t n = 0;
	for (size_t i = 0; i < LF_ARRAY_LEN(rows); i++)
		if (rows[i].groups)
			out[n++] = rows[i];
	return n;
}
