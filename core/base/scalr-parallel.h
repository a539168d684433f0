/* scalr-parallel.h — the one thread policy and the one parallel-for.
 *
 * Policy. A stage runs on scalr_parallel_get_threads () threads: the count the calling thread
 * set with scalr_parallel_push_threads (the pipeline does it for its runs: the CLI's
 * --threads N), else the environment variable SCALR_THREADS, else the number of processors;
 * never more than SCALR_PARALLEL_MAX_THREADS. An option struct's `n_threads = 0` means "the
 * policy"; a non-zero value overrides it for that call (tests, benchmarks). Inside a
 * parallel region every count resolves to 1 (no nested threads).
 *
 * Parallel-for. [0, n) is cut into chunks of the caller's size, so the decomposition depends
 * on n and the chunk size only, never on the thread count. STATIC hands chunk c to logical
 * thread c mod T (the same assignment every time for a thread count: for per-thread state
 * that affects results); DYNAMIC hands the next chunk to the next free thread (for work
 * whose result does not depend on who does it). Each logical thread has its own state,
 * made in its thread and finished in the calling thread in thread order 0…T−1 (so a
 * reduction over threads is deterministic for a thread count). The calling thread works as
 * logical thread 0 and reports progress; cancellation is checked before every chunk.
 *
 * OpenBLAS's thread count is process-wide. A region sets it to 1 (workers that call BLAS
 * must not each start BLAS threads; a region that runs on one thread too, so a chunk's BLAS
 * result never depends on the number of chunks) and restores it at the end;
 * every BLAS wrapper in scalr-blas.c sets it to the policy's count around its call
 * (scalr_parallel_blas_begin/end; at most OPENBLAS_NUM_THREADS when that is set) and restores
 * the previous count. Under mpirun every rank keeps one process's policy and OpenBLAS count
 * (OpenBLAS's results depend on its count; scalr-dist.c lets each rank use every processor). */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SCALR_PARALLEL_MAX_THREADS 256

#define SCALR_PARALLEL_ERROR (scalr_parallel_error_quark ())
GQuark scalr_parallel_error_quark (void);

typedef enum {
  SCALR_PARALLEL_ERROR_BAD_COUNT,   /* a thread count that is not an integer in 1…256 */
} ScalrParallelError;

typedef enum {
  SCALR_PARALLEL_DYNAMIC,   /* the next chunk to the next free thread */
  SCALR_PARALLEL_STATIC,    /* chunk c to logical thread c mod T */
} ScalrParallelSchedule;

/* Runs over indices [begin, end) as logical thread @thread with its @state. Returns FALSE
 * with @error set to stop the loop (chunks not yet started are skipped). */
typedef gboolean (*ScalrParallelFunc) (guint64 begin, guint64 end, guint thread, gpointer state,
                                       gpointer data, GError **error);

typedef struct {
  guint                 n_threads;    /* 0: the policy */
  guint64               chunk;        /* indices per chunk, ≥ 1 */
  ScalrParallelSchedule schedule;
  GCancellable         *cancellable;  /* may be NULL */
  /* A logical thread's state, made in its thread before its first chunk (may be NULL). */
  gpointer (*thread_init)   (guint thread, gpointer data);
  /* Called in the calling thread after every thread has ended, in thread order: reduce
   * and free the state here (may be NULL). Called for every logical thread, also on error. */
  void     (*thread_finish) (gpointer state, guint thread, gpointer data);
  /* Called in the calling thread after each chunk it ran and once after the others ended:
   * indices done so far, monotone (may be NULL). */
  void     (*progress)      (guint64 done, guint64 n, gpointer data);
} ScalrParallelOptions;

/* Runs @func over [0, @n) in chunks on up to the policy's (or options->n_threads) threads,
 * never more threads than chunks. On error returns FALSE and sets @error: the error of the
 * lowest-numbered failing chunk, or G_IO_ERROR_CANCELLED when @cancellable was cancelled
 * before every chunk had run; what the chunks that ran wrote stays written. */
gboolean scalr_parallel_for (guint64 n, ScalrParallelFunc func, gpointer data,
                             const ScalrParallelOptions *options, GError **error);

/* The policy's thread count for the calling thread (1 inside a parallel region). */
guint    scalr_parallel_get_threads     (void);
/* @requested when non-zero (at most SCALR_PARALLEL_MAX_THREADS), else the policy; 1 inside
 * a parallel region. */
guint    scalr_parallel_resolve_threads (guint requested);
/* Sets the calling thread's count (0: none, back to SCALR_THREADS or the processors) and
 * returns the previous one, for scalr_parallel_pop_threads. */
guint    scalr_parallel_push_threads    (guint n_threads);
void     scalr_parallel_pop_threads     (guint previous);
/* TRUE in a worker of a parallel region (and in its calling thread while it runs). */
gboolean scalr_parallel_in_region       (void);

/* Parses a thread count ("1"…"256"). On error returns FALSE and sets
 * SCALR_PARALLEL_ERROR_BAD_COUNT with a message naming @what. */
gboolean scalr_parallel_parse_threads   (const char *what, const char *text, guint *out, GError **error);
/* Checks SCALR_THREADS (unset is fine). An invalid value is ignored by the policy (the
 * processors count); the CLI calls this to refuse it instead. On error returns FALSE and
 * sets SCALR_PARALLEL_ERROR_BAD_COUNT. */
gboolean scalr_parallel_check_environment (GError **error);

/* Sets OpenBLAS to the policy's count (1 inside a region; at most OPENBLAS_NUM_THREADS)
 * and returns the count before,
 * for scalr_parallel_blas_end. Used by the BLAS wrappers around every call. */
guint    scalr_parallel_blas_begin      (void);
void     scalr_parallel_blas_end        (guint previous);

G_END_DECLS
