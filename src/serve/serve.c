/*
 * serve.c — `lightfab serve`: the web UI and its JSON API on libmicrohttpd.
 *
 * Routes (see lightfab.h): GET / (the page), GET /api/examples/NAME,
 * POST /api/plan | /api/reliability | /api/report.  Every answer comes from
 * the same library calls as the CLI (lf_spec_load_buffer, lf_plan_build,
 * lf_plan_render, lf_reliability_compute, lf_report_render), so the page
 * and the API show the numbers `lightfab plan --json` prints.  POST
 * /api/report also takes an optional "workload" (YAML text) in its JSON
 * body: the Simulation section, run by lf_workload_simulate as `lightfab sim`
 * runs it (errors name "workload.yaml:line:col"; the page does not send one
 * yet, API clients can).
 *
 * Threads: one per connection (MHD_USE_THREAD_PER_CONNECTION) behind an
 * internal accept thread, at most max_connections of them.  Work (parse,
 * plan, render) is capped at max_jobs at once by a counter under a mutex;
 * a request waits up to work_wait_ms for a slot, then gets 503.  Requests
 * share only the finished catalog, which is read-only.
 *
 * Stopping (lf_serve_stop, on SIGINT/SIGTERM): the listening socket is
 * closed (MHD_quiesce_daemon), new requests on open connections and those
 * waiting for a slot get 503, a running simulation is cancelled (503), and
 * every other request in flight finishes and is answered before the
 * daemon stops.
 *
 * Hardening:
 *   - the body is collected up to body_limit; a Content-Length over it is
 *     refused with 413 before the body is read, a chunked body that grows
 *     past it is drained and answered 413;
 *   - MHD_OPTION_CONNECTION_TIMEOUT closes idle (and trickling-header)
 *     connections; MHD_OPTION_CONNECTION_MEMORY_LIMIT bounds the header and
 *     read buffers of each connection;
 *   - nothing is served from the filesystem: the page and the examples are
 *     strings compiled in (serve_assets.c), routes are exact matches, and a
 *     posted spec may not name catalog files (lf_spec_load_buffer is given
 *     no catalog, so it opens none; the request is then refused);
 *   - bound to 127.0.0.1 unless the caller asks for another address;
 *   - DNS rebinding: the Host header must name this server (127.0.0.1,
 *     localhost, [::1] or the bound address, on its port, or an
 *     allow_hosts entry), else 403; a POST whose Origin is not such a host
 *     gets 403, so another site's page can neither read answers nor post;
 *     frame-ancestors 'none' and X-Frame-Options: DENY forbid framing;
 *   - Content-Length that is not a number, or given twice with different
 *     values, or with Transfer-Encoding, is refused with 400 before the body;
 *   - limits (lf_limits): YAML nesting, alias expansion and the work
 *     budget (413 before the work), and time_limit_s of wall time for a
 *     request's simulation, cancelled cooperatively (503 with the reason).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <jansson.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core.h"
#include "serve.h"
#include "svg.h"

struct lf_serve {
	struct MHD_Daemon *daemon;
	lf_serve_config cfg;
	int port;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	unsigned busy;            /* work slots taken */
	unsigned active;          /* requests between their headers and completed() */
	bool stopping;            /* lf_serve_stop has begun */
	char bound[64];           /* the bound address as a Host names it */
};

/* Per request: the body so far. */
typedef struct request {
	lfi_buf body;
	bool too_large;
	bool answered;            /* a response was queued before the body came */
} request;

typedef enum route { R_NONE, R_PAGE, R_EXAMPLE, R_PLAN, R_RELIABILITY, R_REPORT } route;

/* ------------------------------------------------------------- responses */

static enum MHD_Result reply_allow(struct MHD_Connection *c, unsigned code, const char *type,
                                   const char *data, size_t len, const char *allow)
{
	struct MHD_Response *r =
		MHD_create_response_from_buffer(len, (void *)data, MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, MHD_HTTP_HEADER_CONTENT_TYPE, type);
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, MHD_HTTP_HEADER_CACHE_CONTROL, "no-store");
	/* the page loads nothing from elsewhere; say so to the browser */
	MHD_add_response_header(r, "Content-Security-Policy",
	                        "default-src 'none'; script-src 'unsafe-inline'; "
	                        "style-src 'unsafe-inline'; connect-src 'self'; img-src data:; "
	                        "frame-ancestors 'none'");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	if (allow)
		MHD_add_response_header(r, MHD_HTTP_HEADER_ALLOW, allow);
	enum MHD_Result ret = MHD_queue_response(c, code, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result reply(struct MHD_Connection *c, unsigned code, const char *type,
                             const char *data, size_t len)
{
	return reply_allow(c, code, type, data, len, NULL);
}

/* {"error": {"message", "line", "column", "text"}}; line/column null when
 * unknown; `allow`: the Allow header of a 405 */
static enum MHD_Result reply_error_allow(struct MHD_Connection *c, unsigned code,
                                         const char *msg, int line, int col, const char *text,
                                         const char *allow)
{
	json_t *e = json_object();
	json_t *o = json_object();
	char *s = NULL;
	if (e && o) {
		json_object_set_new(e, "message", json_string(msg));
		json_object_set_new(e, "line", line > 0 ? json_integer(line) : json_null());
		json_object_set_new(e, "column", col > 0 ? json_integer(col) : json_null());
		json_object_set_new(e, "text", json_string(text ? text : msg));
		json_object_set_new(o, "status", json_integer(code));
		json_object_set(o, "error", e);
		s = json_dumps(o, JSON_COMPACT);
	}
	json_decref(e);
	json_decref(o);
	enum MHD_Result ret;
	if (s)
		ret = reply_allow(c, code, "application/json", s, strlen(s), allow);
	else
		ret = reply(c, 500, "application/json", "{\"error\":{\"message\":\"out of memory\"}}",
		            37);
	free(s);
	return ret;
}

static enum MHD_Result reply_error(struct MHD_Connection *c, unsigned code, const char *msg,
                                   int line, int col, const char *text)
{
	return reply_error_allow(c, code, msg, line, col, text, NULL);
}

static enum MHD_Result reply_lf_error(struct MHD_Connection *c, const lf_error *err)
{
	char text[2048];
	lf_error_format(err, text, sizeof text);
	unsigned code = err->status == LF_EINPUT ? MHD_HTTP_BAD_REQUEST
	              : err->status == LF_ELIMIT ? MHD_HTTP_CONTENT_TOO_LARGE
	              : err->status == LF_ENOMEM ? MHD_HTTP_SERVICE_UNAVAILABLE
	                                         : MHD_HTTP_INTERNAL_SERVER_ERROR;
	return reply_error(c, code, err->msg[0] ? err->msg : lf_strerror(err->status), err->line,
	                   err->col, text);
}

/* ------------------------------------------------------------- work slots */

static bool work_enter(lf_serve *s)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += s->cfg.work_wait_ms / 1000;
	until.tv_nsec += (long)(s->cfg.work_wait_ms % 1000) * 1000000L;
	if (until.tv_nsec >= 1000000000L) {
		until.tv_sec++;
		until.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&s->mu);
	int rc = 0;
	while (s->busy >= s->cfg.max_jobs && rc != ETIMEDOUT && !s->stopping)
		rc = pthread_cond_timedwait(&s->cv, &s->mu, &until);
	bool ok = s->busy < s->cfg.max_jobs && !s->stopping;
	if (ok)
		s->busy++;
	pthread_mutex_unlock(&s->mu);
	return ok;
}

static void work_leave(lf_serve *s)
{
	pthread_mutex_lock(&s->mu);
	s->busy--;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
}

/* ------------------------------------------------------------------ work */

typedef struct post {
	const char *spec;         /* borrowed from the body or the JSON */
	size_t spec_len;
	const char *params;       /* reliability params YAML, or NULL */
	int64_t job_gpus;
	bool reliability;         /* /api/report: add the reliability section */
	const char *workload;     /* /api/report: workload YAML to simulate, or NULL */
} post;

/* The simulation's cancel hook: the request's deadline, or the server stopping. */
typedef struct cancel_ctx {
	lf_serve *s;
	double deadline;
	int why;                  /* 1: time limit, 2: stopping */
} cancel_ctx;

static int cancel_check(void *ctx)
{
	cancel_ctx *cc = ctx;
	pthread_mutex_lock(&cc->s->mu);
	bool stop = cc->s->stopping;
	pthread_mutex_unlock(&cc->s->mu);
	cc->why = stop ? 2 : lf_wall_now() > cc->deadline ? 1 : 0;
	return cc->why;
}

static lf_status compute(lf_serve *s, route rt, const post *p, cancel_ctx *cc, char **out,
                         const char **type, lf_error *err)
{
	lf_spec *spec = NULL;
	lf_plan *plan = NULL;
	lf_reliability_params *params = NULL;
	lf_reliability *rel = NULL;
	lf_workload *wl = NULL;
	lf_sim_report *sim = NULL;
	/* the server's catalog: a spec naming catalog files opens none of them */
	lf_catalog *no_cat = NULL;
	lf_load_opts lo = { .spec_text = p->spec, .spec_len = p->spec_len, .shared = s->cfg.cat };
	lf_status st = lf_load_plan(&lo, &no_cat, &spec, &plan, err);
	bool want_rel = rt == R_RELIABILITY || (rt == R_REPORT && p->reliability);
	if (st == LF_OK && want_rel) {
		st = p->params ? lf_reliability_params_load_buffer("params.yaml", p->params,
		                                                    strlen(p->params), &params, err)
		               : lf_reliability_params_load(NULL, &params, err);
		if (st == LF_OK)
			st = lf_reliability_compute(plan, params, p->job_gpus, &rel, err);
	}
	/* the report's Simulation section: what `lightfab sim` runs; errors
	 * name "workload.yaml:line:col" */
	if (st == LF_OK && rt == R_REPORT && p->workload) {
		st = lf_workload_load_buffer("workload.yaml", p->workload, strlen(p->workload), &wl,
		                             err);
		if (st == LF_OK) {
			wl->sim.cancel = cancel_check;
			wl->sim.cancel_ctx = cc;
			st = lf_workload_simulate(plan, wl, &wl->sim, NULL, NULL, &sim, err);
		}
	}
	if (st == LF_OK) {
		if (rt == R_PLAN) {
			*type = "application/json";
			st = lf_plan_render(plan, LF_FMT_JSON, out, err);
		} else if (rt == R_RELIABILITY) {
			*type = "application/json";
			st = lf_reliability_render(rel, LF_FMT_JSON, out, err);
		} else {
			*type = "text/html; charset=utf-8";
			lf_report_input in = { .plan = plan, .reliability = rel, .sim = sim,
			                       .fragment = 1 };
			st = lf_report_render(&in, out, err);
		}
	}
	lf_sim_report_free(sim);
	lf_workload_free(wl);
	lf_reliability_free(rel);
	lf_reliability_params_free(params);
	lf_plan_free(plan);
	lf_spec_free(spec);
	return st;
}

static bool is_json(struct MHD_Connection *c)
{
	const char *t = MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                            MHD_HTTP_HEADER_CONTENT_TYPE);
	return t && !strncasecmp(t, "application/json", 16);
}

static enum MHD_Result handle_post(lf_serve *s, struct MHD_Connection *c, route rt, request *rq)
{
	post p = { .spec = rq->body.data ? rq->body.data : "", .spec_len = rq->body.len };
	json_t *j = NULL;
	if (rq->body.failed)
		return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory", 0, 0, NULL);
	if (is_json(c)) {
		json_error_t je;
		j = json_loadb(p.spec, p.spec_len, JSON_REJECT_DUPLICATES, &je);
		if (!j) {
			char msg[300];
			snprintf(msg, sizeof msg, "request body is not valid JSON: %s", je.text);
			return reply_error(c, MHD_HTTP_BAD_REQUEST, msg, je.line, je.column, NULL);
		}
		json_t *sp = json_object_get(j, "spec");
		json_t *pa = json_object_get(j, "params");
		json_t *jg = json_object_get(j, "job_gpus");
		json_t *re = json_object_get(j, "reliability");
		json_t *wk = json_object_get(j, "workload");
		const char *bad = !json_is_object(j) ? "the JSON body must be an object {\"spec\": \"...\"}"
		                : !json_is_string(sp) ? "\"spec\" must be a string holding the spec YAML"
		                : pa && !json_is_null(pa) && !json_is_string(pa)
		                    ? "\"params\" must be a string holding the params YAML"
		                : jg && !json_is_null(jg) && (!json_is_integer(jg) || json_integer_value(jg) < 1)
		                    ? "\"job_gpus\" must be a whole number >= 1"
		                : re && !json_is_boolean(re) && !json_is_null(re)
		                    ? "\"reliability\" must be true or false"
		                : wk && !json_is_null(wk) && !json_is_string(wk)
		                    ? "\"workload\" must be a string holding the workload YAML"
		                : NULL;
		if (bad) {
			json_decref(j);
			return reply_error(c, MHD_HTTP_BAD_REQUEST, bad, 0, 0, NULL);
		}
		p.spec = json_string_value(sp);
		p.spec_len = json_string_length(sp);
		p.params = json_is_string(pa) ? json_string_value(pa) : NULL;
		p.job_gpus = json_is_integer(jg) ? (int64_t)json_integer_value(jg) : 0;
		p.reliability = json_is_true(re);
		p.workload = json_is_string(wk) ? json_string_value(wk) : NULL;
	}
	if (!work_enter(s)) {
		json_decref(j);
		return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, s->stopping
		                   ? "the server is stopping; the request was not run"
		                   : "the server is busy (all work slots taken); try again", 0, 0, NULL);
	}
	lf_error err = { 0 };
	char *out = NULL;
	const char *type = "application/json";
	cancel_ctx cc = { s, lf_wall_now() + s->cfg.time_limit_s, 0 };
	lf_status st = compute(s, rt, &p, &cc, &out, &type, &err);
	work_leave(s);
	json_decref(j);
	char msg[200];
	if (st != LF_OK && cc.why) {
		snprintf(msg, sizeof msg, cc.why == 2
		         ? "the server is stopping: the simulation was cancelled"
		         : "the request ran longer than the time limit of %u s (serve --time-limit) "
		           "and was cancelled", s->cfg.time_limit_s);
		free(out);
		return reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, msg, 0, 0, NULL);
	}
	enum MHD_Result ret = st == LF_OK ? reply(c, MHD_HTTP_OK, type, out, strlen(out))
	                                  : reply_lf_error(c, &err);
	free(out);
	return ret;
}

/* ---------------------------------------------------------------- routing */

static route find_route(const char *url, bool *post_only)
{
	*post_only = false;
	if (!strcmp(url, "/") || !strcmp(url, "/index.html"))
		return R_PAGE;
	if (!strncmp(url, "/api/examples/", 14))
		return R_EXAMPLE;
	*post_only = true;
	if (!strcmp(url, "/api/plan"))
		return R_PLAN;
	if (!strcmp(url, "/api/reliability"))
		return R_RELIABILITY;
	if (!strcmp(url, "/api/report"))
		return R_REPORT;
	return R_NONE;
}

/* ------------------------------------------------------- request checks */

/* Does `h` ("name", "name:port", "[v6]:port") name this server?  With the
 * port, it must be ours; without, ours must be 80. */
static bool host_ok(const lf_serve *s, const char *h, size_t len)
{
	for (size_t i = 0; i < s->cfg.n_allow_hosts; i++)
		if (strlen(s->cfg.allow_hosts[i]) == len && !strncasecmp(h, s->cfg.allow_hosts[i], len))
			return true;
	size_t name_len = len;
	int port = 80;
	const char *colon = NULL;
	if (len && h[0] == '[') {
		const char *rb = memchr(h, ']', len);
		if (!rb)
			return false;
		name_len = (size_t)(rb - h) + 1;
		if (name_len < len) {
			if (h[name_len] != ':')
				return false;
			colon = h + name_len;
		}
	} else {
		colon = memchr(h, ':', len);
		if (colon)
			name_len = (size_t)(colon - h);
	}
	if (colon) {
		const char *d = colon + 1, *end = h + len;
		if (d == end || end - d > 5)
			return false;
		port = 0;
		for (; d < end; d++) {
			if (*d < '0' || *d > '9')
				return false;
			port = port * 10 + (*d - '0');
		}
	}
	if (port != s->port)
		return false;
	const char *names[] = { "127.0.0.1", "localhost", "[::1]", s->bound };
	for (size_t i = 0; i < LF_ARRAY_LEN(names); i++)
		if (strlen(names[i]) == name_len && !strncasecmp(h, names[i], name_len))
			return true;
	for (size_t i = 0; i < s->cfg.n_allow_hosts; i++)
		if (strlen(s->cfg.allow_hosts[i]) == name_len &&
		    !strncasecmp(h, s->cfg.allow_hosts[i], name_len))
			return true;
	return false;
}

typedef struct cl_scan {
	int n;
	bool bad, conflict;
	unsigned long long value;
} cl_scan;

static enum MHD_Result scan_cl(void *cls, enum MHD_ValueKind kind, const char *key,
                               const char *value)
{
	(void)kind;
	cl_scan *sc = cls;
	if (strcasecmp(key, MHD_HTTP_HEADER_CONTENT_LENGTH))
		return MHD_YES;
	const char *v = value ? value : "";
	while (*v == ' ' || *v == '\t')
		v++;
	size_t nd = strspn(v, "0123456789");
	const char *t = v + nd;
	while (*t == ' ' || *t == '\t')
		t++;
	unsigned long long x = 0;
	if (!nd || nd > 18 || *t)
		sc->bad = true;
	else
		x = strtoull(v, NULL, 10);
	if (sc->n++ && x != sc->value)
		sc->conflict = true;
	sc->value = x;
	return MHD_YES;
}

/* 0 when the request may go on, else the status to answer with *msg. */
static unsigned check_request(lf_serve *s, struct MHD_Connection *c, bool is_post,
                              const char **msg)
{
	const char *host = MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_HOST);
	if (host && !host_ok(s, host, strlen(host)))
		return *msg = "this server does not answer to that Host name (DNS rebinding "
		              "guard; add it with serve --allow-host)", MHD_HTTP_FORBIDDEN;
	const char *origin = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Origin");
	if (is_post && origin && (strncasecmp(origin, "http://", 7) ||
	                          !host_ok(s, origin + 7, strlen(origin + 7))))
		return *msg = "requests from another site's page are refused (Origin is not this "
		              "server)", MHD_HTTP_FORBIDDEN;
	cl_scan sc = { 0 };
	MHD_get_connection_values(c, MHD_HEADER_KIND, scan_cl, &sc);
	if (sc.bad)
		return *msg = "Content-Length must be a number of bytes", MHD_HTTP_BAD_REQUEST;
	if (sc.conflict)
		return *msg = "conflicting Content-Length headers", MHD_HTTP_BAD_REQUEST;
	if (sc.n && MHD_lookup_connection_value(c, MHD_HEADER_KIND,
	                                        MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return *msg = "Content-Length together with Transfer-Encoding", MHD_HTTP_BAD_REQUEST;
	if (sc.n && sc.value > s->cfg.body_limit)
		return *msg = "request body too large", MHD_HTTP_CONTENT_TOO_LARGE;
	return 0;
}

static enum MHD_Result handle(void *cls, struct MHD_Connection *c, const char *url,
                              const char *method, const char *version,
                              const char *upload_data, size_t *upload_data_size,
                              void **con_cls)
{
	(void)version;
	lf_serve *s = cls;
	request *rq = *con_cls;
	bool post_only;
	route rt = find_route(url, &post_only);
	bool is_post = !strcmp(method, MHD_HTTP_METHOD_POST);
	bool is_get = !strcmp(method, MHD_HTTP_METHOD_GET) || !strcmp(method, MHD_HTTP_METHOD_HEAD);
	const char *msg0 = NULL;

	if (!rq) {   /* first call: headers only */
		rq = calloc(1, sizeof *rq);
		if (!rq)
			return MHD_NO;
		lfi_buf_init(&rq->body);
		*con_cls = rq;
		pthread_mutex_lock(&s->mu);
		s->active++;
		bool stopping = s->stopping;
		pthread_mutex_unlock(&s->mu);
		unsigned code = check_request(s, c, is_post, &msg0);
		const char *msg = msg0;
		if (code) {
		} else if (stopping) {
			code = MHD_HTTP_SERVICE_UNAVAILABLE, msg = "the server is stopping";
		} else if (rt == R_NONE) {
			code = MHD_HTTP_NOT_FOUND, msg = "no such route";
		} else if (post_only ? !is_post : !is_get) {
			code = MHD_HTTP_METHOD_NOT_ALLOWED, msg = post_only ? "use POST" : "use GET";
		}
		if (code) {
			/* answered before the body is read; MHD closes the connection */
			rq->answered = true;
			char text[160];
			snprintf(text, sizeof text, "%s (limit %zu bytes)", msg, s->cfg.body_limit);
			return reply_error_allow(c, code, msg, 0, 0,
			                         code == MHD_HTTP_CONTENT_TOO_LARGE ? text : NULL,
			                         code != MHD_HTTP_METHOD_NOT_ALLOWED ? NULL
			                         : post_only ? "POST" : "GET, HEAD");
		}
		return MHD_YES;
	}
	if (*upload_data_size) {
		if (!rq->answered && !rq->too_large) {
			if (rq->body.len + *upload_data_size > s->cfg.body_limit)
				rq->too_large = true;
			else
				lfi_buf_add(&rq->body, upload_data, *upload_data_size);
		}
		*upload_data_size = 0;
		return MHD_YES;
	}
	if (rq->answered)
		return MHD_YES;
	if (rq->too_large) {
		char text[160];
		snprintf(text, sizeof text, "request body too large (limit %zu bytes)",
		         s->cfg.body_limit);
		return reply_error(c, MHD_HTTP_CONTENT_TOO_LARGE, "request body too large", 0, 0, text);
	}
	if (rt == R_PAGE) {
		lfi_buf page;
		lfi_buf_init(&page);
		lfi_buf_puts(&page, lfi_serve_page_head());
		lfi_buf_puts(&page, lfi_report_css());
		lfi_buf_puts(&page, lfi_serve_page_tail());
		enum MHD_Result ret = page.failed
			? reply_error(c, MHD_HTTP_SERVICE_UNAVAILABLE, "out of memory", 0, 0, NULL)
			: reply(c, MHD_HTTP_OK, "text/html; charset=utf-8", page.data, page.len);
		lfi_buf_release(&page);
		return ret;
	}
	if (rt == R_EXAMPLE) {
		const char *text = lfi_serve_example(url + 14);
		if (!text)
			return reply_error(c, MHD_HTTP_NOT_FOUND, "no such example", 0, 0, NULL);
		return reply(c, MHD_HTTP_OK, "text/yaml; charset=utf-8", text, strlen(text));
	}
	return handle_post(s, c, rt, rq);
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
	(void)c, (void)toe;
	lf_serve *s = cls;
	request *rq = *con_cls;
	if (!rq)
		return;
	lfi_buf_release(&rq->body);
	free(rq);
	*con_cls = NULL;
	pthread_mutex_lock(&s->mu);
	bool idle = --s->active == 0;
	pthread_cond_broadcast(&s->cv);
	pthread_mutex_unlock(&s->mu);
#ifdef __GLIBC__
	/* idle: give the freed memory of every thread's arena back to the
	 * system, so RSS returns to its resting level after a burst */
	if (idle)
		malloc_trim(0);
#else
	(void)idle;
#endif
}

/* ------------------------------------------------------------------ entry */

lf_status lf_serve_start(const lf_serve_config *cfg, lf_serve **out, lf_error *err)
{
	*out = NULL;
	if (!cfg || !cfg->cat)
		return lfi_fail(err, LF_EINTERNAL, NULL, 0, 0, "lf_serve_start: no catalog");
	if (cfg->port < 0 || cfg->port > 65535)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0, "port must be in 0..65535, got %d",
		                cfg->port);
	struct sockaddr_in addr = { .sin_family = AF_INET, .sin_port = htons((uint16_t)cfg->port) };
	struct sockaddr_in6 addr6 = { .sin6_family = AF_INET6,
	                              .sin6_port = htons((uint16_t)cfg->port) };
	const char *host = cfg->address ? cfg->address : "127.0.0.1";
	bool v6 = strchr(host, ':') != NULL;
	if (v6 ? inet_pton(AF_INET6, host, &addr6.sin6_addr) != 1
	       : inet_pton(AF_INET, host, &addr.sin_addr) != 1)
		return lfi_fail(err, LF_EINPUT, NULL, 0, 0,
		                "address must be an IPv4 or IPv6 address such as 127.0.0.1 or ::1, got "
		                "\"%s\"", host);
	lf_serve *s = calloc(1, sizeof *s);
	if (!s)
		return lfi_oom(err);
	s->cfg = *cfg;
	snprintf(s->bound, sizeof s->bound, v6 ? "[%s]" : "%s", host);
	if (!s->cfg.body_limit)
		s->cfg.body_limit = 1u << 20;
	if (!s->cfg.timeout_s)
		s->cfg.timeout_s = 10;
	if (!s->cfg.max_connections)
		s->cfg.max_connections = 64;
	if (!s->cfg.max_jobs)
		s->cfg.max_jobs = 4;
	if (!s->cfg.time_limit_s)
		s->cfg.time_limit_s = 30;
	if (!s->cfg.work_wait_ms)
		s->cfg.work_wait_ms = 10000;
	pthread_mutex_init(&s->mu, NULL);
	pthread_cond_init(&s->cv, NULL);
	s->daemon = MHD_start_daemon(
		MHD_USE_THREAD_PER_CONNECTION | MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC |
		(v6 ? MHD_USE_IPv6 : 0), 0, NULL, NULL,
		handle, s,
		MHD_OPTION_SOCK_ADDR, v6 ? (struct sockaddr *)&addr6 : (struct sockaddr *)&addr,
		MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)s->cfg.timeout_s,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)(128 * 1024),
		MHD_OPTION_CONNECTION_LIMIT, (unsigned int)s->cfg.max_connections,
		MHD_OPTION_NOTIFY_COMPLETED, completed, s,
		MHD_OPTION_END);
	if (!s->daemon) {
		int e = errno;
		pthread_cond_destroy(&s->cv);
		pthread_mutex_destroy(&s->mu);
		free(s);
		return lfi_fail(err, LF_EIO, NULL, 0, 0, "cannot listen on %s:%d: %s", host, cfg->port,
		                e ? strerror(e) : "libmicrohttpd could not start");
	}
	const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
	s->port = info && info->port ? info->port : cfg->port;
	*out = s;
	return LF_OK;
}

int lf_serve_port(const lf_serve *s)
{
	return s ? s->port : 0;
}

void lf_serve_stop(lf_serve *s)
{
	if (!s)
		return;
	/* no new connections; new requests and those waiting for a slot get 503,
	 * simulations are cancelled (503); the rest finish and are answered */
	MHD_socket ls = MHD_quiesce_daemon(s->daemon);
	if (ls != MHD_INVALID_SOCKET)
		close(ls);
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_sec += 60;
	pthread_mutex_lock(&s->mu);
	s->stopping = true;
	pthread_cond_broadcast(&s->cv);
	int rc = 0;
	while (s->active && rc != ETIMEDOUT)
		rc = pthread_cond_timedwait(&s->cv, &s->mu, &until);
	pthread_mutex_unlock(&s->mu);
	MHD_stop_daemon(s->daemon);   /* joins the connection threads */
	pthread_cond_destroy(&s->cv);
	pthread_mutex_destroy(&s->mu);
	free(s);
}
