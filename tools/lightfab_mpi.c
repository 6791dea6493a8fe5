/*
 * lightfab-mpi — `lightfab sweep` (and `compare`) over MPI ranks.
 *
 *   mpirun -np N build/lightfab-mpi sweep [the options of lightfab sweep]
 *
 * Every rank parses the same command line into the same lf_sweep
 * (tools/sweep_cli.h), so point i means the same spec on every rank.
 * Dynamic distribution, because points differ widely in cost (a 3-tier
 * 1.6T fabric with a training step against a 1-SU plan): rank 0 hands out
 * point indices one at a time on request; a worker evaluates its point and
 * sends the row back (lf_sweep_row is plain data, sent as bytes), which is
 * also its request for the next index.  Rank 0 evaluates points too, on a
 * second thread that takes indices from the same counter, while its main
 * thread answers requests (MPI_THREAD_FUNNELED: only the main thread calls
 * MPI; it polls with MPI_Iprobe and sleeps 2 ms between polls so as not
 * to take a core from the evaluator).  Rank 0 then stores every row at its
 * point index (a worker holds one point in reserve: see PREFETCH), marks the
 * Pareto front and renders with the code `lightfab
 * sweep` uses: the output is byte-identical to the serial run.
 *
 * A rank that cannot evaluate a point at all (out of memory, unreadable
 * catalog) sends a row with a negative status; rank 0 reports it and exits
 * non-zero.  With one rank, this is `lightfab sweep`.
 */
#include <mpi.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "lightfab.h"
#include "cli.h"

enum { TAG_ASK = 1, TAG_ROW = 2, TAG_POINT = 3 };

/* Requests a worker keeps in flight: with 2 it holds its next point while
 * it evaluates one, so rank 0's answer time never idles it. */
enum { PREFETCH = 2 };

static const char *prog = "lightfab-mpi";

typedef struct shared {
	const lf_sweep *sw;
	lf_sweep_row *rows;
	size_t n;
	pthread_mutex_t mu;
	size_t next;              /* next point to hand out */
	size_t done;
	lf_status fail;           /* first fatal error */
	lf_error err;
} shared;

static int take(shared *s, size_t *i)
{
	pthread_mutex_lock(&s->mu);
	int ok = s->next < s->n && s->fail == LF_OK;
	if (ok)
		*i = s->next++;
	pthread_mutex_unlock(&s->mu);
	return ok;
}

static void finish(shared *s, const lf_sweep_row *row, lf_status st, const lf_error *err)
{
	pthread_mutex_lock(&s->mu);
	if (st != LF_OK) {
		if (s->fail == LF_OK) {
			s->fail = st;
			s->err = *err;
		}
	} else {
		s->rows[row->index] = *row;
	}
	s->done++;
	pthread_mutex_unlock(&s->mu);
}

/* rank 0's own evaluator */
static void *evaluator(void *arg)
{
	shared *s = arg;
	size_t i;
	while (take(s, &i)) {
		lf_sweep_row row;
		lf_error err = { 0 };
		lf_status st = lf_sweep_eval(s->sw, i, &row, &err);
		finish(s, &row, st, &err);
	}
	return NULL;
}

static void nap(void)
{
	struct timespec ts = { 0, 2000000 };   /* 2 ms: workers hold a spare point */
	nanosleep(&ts, NULL);
}

static int master(const lf_sweep *sw, lf_sweep_row *rows, size_t n, int size,
                  const cli_sweep_opts *o)
{
	shared s = { .sw = sw, .rows = rows, .n = n, .fail = LF_OK };
	pthread_mutex_init(&s.mu, NULL);
	pthread_t th;
	int threaded = pthread_create(&th, NULL, evaluator, &s) == 0;
	cli_progress ps = { .start = lf_wall_now() };
	int tty = !o->quiet && isatty(STDERR_FILENO);
	/* each worker keeps PREFETCH requests outstanding (it always holds its
	 * next point while it evaluates one), and each gets a -1 per request
	 * at the end */
	int active = PREFETCH * (size - 1);
	lf_sweep_row row;
	while (active > 0) {
		int flag = 0;
		MPI_Status ms;
		MPI_Iprobe(MPI_ANY_SOURCE, MPI_ANY_TAG, MPI_COMM_WORLD, &flag, &ms);
		if (!flag) {
			if (tty)
				cli_progress_sweep(&ps, s.done, n);
			nap();
			continue;
		}
		if (ms.MPI_TAG == TAG_ROW) {
			MPI_Recv(&row, (int)sizeof row, MPI_BYTE, ms.MPI_SOURCE, TAG_ROW, MPI_COMM_WORLD,
			         MPI_STATUS_IGNORE);
			lf_error err = { 0 };
			lf_status st = LF_OK;
			if (row.status < 0) {
				/* a fatal error on the worker: its message is the reason */
				st = (lf_status)-row.status;
				err.status = st;
				snprintf(err.msg, sizeof err.msg, "rank %d: %s", ms.MPI_SOURCE, row.reason);
			}
			if (row.index >= n) {
				st = LF_EINTERNAL;
				err.status = st;
				snprintf(err.msg, sizeof err.msg, "rank %d sent point %llu of %zu",
				         ms.MPI_SOURCE, (unsigned long long)row.index, n);
			}
			finish(&s, &row, st, &err);
		} else {
			MPI_Recv(NULL, 0, MPI_BYTE, ms.MPI_SOURCE, ms.MPI_TAG, MPI_COMM_WORLD,
			         MPI_STATUS_IGNORE);
		}
		size_t i;
		long long next = take(&s, &i) ? (long long)i : -1;
		MPI_Send(&next, 1, MPI_LONG_LONG, ms.MPI_SOURCE, TAG_POINT, MPI_COMM_WORLD);
		if (next < 0)
			active--;
		if (tty)
			cli_progress_sweep(&ps, s.done, n);
	}
	if (threaded)
		pthread_join(th, NULL);
	else
		evaluator(&s);
	if (tty)
		cli_progress_sweep(&ps, s.done, n);
	cli_progress_end(&ps);
	pthread_mutex_destroy(&s.mu);
	if (s.fail != LF_OK)
		return cli_report(prog, &s.err);
	return cli_sweep_output(prog, sw, rows, n, o);
}

static void worker(const lf_sweep *sw)
{
	long long next;
	int outstanding = PREFETCH;
	for (int i = 0; i < PREFETCH; i++)
		MPI_Send(NULL, 0, MPI_BYTE, 0, TAG_ASK, MPI_COMM_WORLD);
	while (outstanding > 0) {
		MPI_Recv(&next, 1, MPI_LONG_LONG, 0, TAG_POINT, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
		outstanding--;
		if (next < 0)
			continue;   /* drain the answers to the other requests */
		outstanding++;   /* the row below is the next request */
		lf_sweep_row row;
		lf_error err = { 0 };
		lf_status st = lf_sweep_eval(sw, (size_t)next, &row, &err);
		if (st != LF_OK) {
			char buf[2048];
			memset(&row, 0, sizeof row);
			row.index = (uint64_t)next;
			row.status = -(int32_t)st;
			snprintf(row.reason, sizeof row.reason, "%.700s",
			         lf_error_format(&err, buf, sizeof buf));
		}
		MPI_Send(&row, (int)sizeof row, MPI_BYTE, 0, TAG_ROW, MPI_COMM_WORLD);
	}
}

static void usage(FILE *f)
{
	fprintf(f,
	"usage: mpirun -np N %s sweep [options of lightfab sweep]\n"
	"       mpirun -np N %s compare [options of lightfab compare] A.yaml B.yaml ...\n"
	"\n"
	"Runs `lightfab sweep` (or compare) with its points spread over the MPI ranks\n"
	"(rank 0 hands out points on request and evaluates points too); the output is\n"
	"byte-identical to `lightfab sweep`.  `%s sweep --help` lists the options.\n"
	"\n"
	"example:\n"
	"  mpirun -np 2 --oversubscribe %s sweep --csv -o sweep.csv \\\n"
	"      --sweep examples/sweep-h100-rails.yaml\n", prog, prog, prog, prog);
}

int main(int argc, char **argv)
{
	int provided = 0, rank = 0, size = 1;
	MPI_Init_thread(&argc, &argv, MPI_THREAD_FUNNELED, &provided);
	MPI_Comm_rank(MPI_COMM_WORLD, &rank);
	MPI_Comm_size(MPI_COMM_WORLD, &size);
	/* --max-input / --max-work, as for lightfab; every rank the same */
	int rc = cli_limits(&argc, argv, prog, rank == 0);
	if (rc >= 0) {
		MPI_Finalize();
		return rc;
	}
	if (argc < 2 || (strcmp(argv[1], "sweep") && strcmp(argv[1], "compare"))) {
		if (rank == 0)
			usage(argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))
			      ? stdout : stderr);
		rc = argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) ? 0 : 2;
		MPI_Finalize();
		return rc;
	}
	int compare = !strcmp(argv[1], "compare");
	lf_sweep *sw = NULL;
	cli_sweep_opts o;
	/* every rank parses; only rank 0 speaks.  All ranks fail or none do:
	 * the same arguments and files give the same answer. */
	rc = cli_sweep_parse(argc - 1, argv + 1, compare, prog, rank == 0, &sw, &o);
	int ok = rc < 0, all_ok = 0;
	MPI_Allreduce(&ok, &all_ok, 1, MPI_INT, MPI_MIN, MPI_COMM_WORLD);
	if (!all_ok) {
		lf_sweep_free(sw);
		MPI_Finalize();
		return rc < 0 ? 4 : rc;
	}
	size_t n = lf_sweep_n_points(sw);
	if (rank == 0) {
		lf_sweep_row *rows = calloc(n ? n : 1, sizeof *rows);
		if (!rows) {
			fprintf(stderr, "%s: out of memory for %zu rows\n", prog, n);
			MPI_Abort(MPI_COMM_WORLD, 4);
		}
		rc = master(sw, rows, n, size, &o);
		free(rows);
	} else {
		worker(sw);
		rc = 0;
	}
	lf_sweep_free(sw);
	MPI_Finalize();
	return rc;
}
