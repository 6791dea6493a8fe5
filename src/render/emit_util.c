/*
 * emit_util.c — what every renderer shares: the JSON dump, the CSV field
 * quoting and a training step's rows per kind of communication, so each
 * output format is written one way.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "render.h"
#include "svg.h"

lf_status lfi_emit_json_dump(json_t *o, size_t flags, char **out, lf_error *err)
{
	if (!o)
		return lfi_oom(err);
	char *s = json_dumps(o, JSON_INDENT(2) | JSON_REAL_PRECISION(10) | flags);
	json_decref(o);
	if (!s)
		return lfi_oom(err);
	/* json_dumps allocates with malloc: hand it over with a newline */
	lfi_buf b;
	lfi_buf_init(&b);
	lfi_buf_puts(&b, s);
	lfi_buf_puts(&b, "\n");
	free(s);
	return lfi_buf_finish(&b, out, err);
}

void lfi_emit_csv_field(lfi_buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\n\r")) {
		lfi_buf_puts(b, s);
		return;
	}
	lfi_buf_puts(b, "\"");
	for (; *s; s++) {
		if (*s == '"')
			lfi_buf_add(b, "\"", 1);   /* a quote is doubled */
		lfi_buf_add(b, s, 1);
	}
	lfi_buf_puts(b, "\"");
}

size_t lfi_step_comm_rows(const lf_sim_report *r, lfi_comm_row *out)
{
	const lf_step *s = &r->step;
	const lf_training *t = r->training;
	bool sp = t && t->sequence_parallel;
	const char *dpn = !t || t->zero == LF_ZERO_0 ? "dp all-reduce"
	                : t->zero == LF_ZERO_3 ? "dp gather+rs/layer" : "dp rs+ag (zero)";
	lfi_comm_row rows[] = {
		{ "tp", sp ? "tp rs+ag (sp)" : "tp all-reduce", s->tp_bytes, s->tp_count,
		  s->tp_groups, s->tp_s, s->tp_exposed_s, "/slot" },
		{ "pp", "pp send/recv", s->pp_bytes, s->pp_count, s->pp_pairs, s->pp_s,
		  s->pp_exposed_s, "/slot" },
		{ "cp", t && t->cp_allgather ? "cp all-gather kv" : "cp ring kv", s->cp_bytes,
		  s->cp_count, s->cp_groups, s->cp_s, s->cp_exposed_s, "/slot" },
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

/* ---- the HTML report's cells and cards (report.c, report_sim.c,
 * report_supply.c) */

void lfi_report_card(lfi_buf *b, const char *key, const char *label, const char *shown,
                 const char *raw)
{
	lfi_buf_printf(b, "<div class=\"card\" data-key=\"%s\" data-value=\"%s\"><div class=\"k\">",
	               key, raw);
	lfi_html_esc(b, label);
	lfi_buf_puts(b, "</div><div class=\"v\">");
	lfi_html_esc(b, shown);
	lfi_buf_puts(b, "</div></div>\n");
}

void lfi_report_card_real(lfi_buf *b, const char *key, const char *label, const char *shown, double v)
{
	char raw[40];
	snprintf(raw, sizeof raw, "%.10g", v);
	lfi_report_card(b, key, label, shown, raw);
}

void lfi_report_money(char *buf, size_t n, double usd)
{
	char c[32];
	snprintf(buf, n, "$%s", lfi_fmt_count((uint64_t)llround(usd > 0 ? usd : 0), c, sizeof c));
}

void lfi_report_td_text(lfi_buf *b, const char *s)
{
	lfi_buf_puts(b, "<td>");
	lfi_html_esc(b, s);
	lfi_buf_puts(b, "</td>");
}

void lfi_report_td_count(lfi_buf *b, uint64_t v)
{
	char c[32];
	lfi_buf_printf(b, "<td class=\"n\">%s</td>", lfi_fmt_count(v, c, sizeof c));
}
