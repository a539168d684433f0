/* scalr-parallel.c — the thread policy, the parallel-for and OpenBLAS's thread count. */
#include "config.h"

#include "scalr-parallel.h"

#include <cblas.h>
#include <string.h>

G_DEFINE_QUARK (scalr-parallel-error-quark, scalr_parallel_error)

/* The calling thread's count (0: none) and whether it is inside a region. */
static _Thread_local guint thread_override;
static _Thread_local gboolean thread_in_region;

/* ---- the policy ----------------------------------------------------------------------- */

gboolean
scalr_parallel_parse_threads (const char *what, const char *text, guint *out, GError **error)
{
  guint64 v = 0;
  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 1, SCALR_PARALLEL_MAX_THREADS, &v, NULL))
    {
      g_set_error (error, SCALR_PARALLEL_ERROR, SCALR_PARALLEL_ERROR_BAD_COUNT,
                   "%s: '%s' is not a thread count; expected an integer in 1…%d",
                   what, text ? text : "", SCALR_PARALLEL_MAX_THREADS);
      return FALSE;
    }
  *out = (guint) v;
  return TRUE;
}

gboolean
scalr_parallel_check_environment (GError **error)
{
  const char *env = g_getenv ("SCALR_THREADS");
  guint n;
  return env == NULL || scalr_parallel_parse_threads ("SCALR_THREADS", env, &n, error);
}

/* SCALR_THREADS when valid, else the processors; read once. */
static guint
process_default (void)
{
  static gsize value = 0;
  if (g_once_init_enter (&value))
    {
      guint n = 0;
      const char *env = g_getenv ("SCALR_THREADS");
      if (env == NULL || !scalr_parallel_parse_threads ("SCALR_THREADS", env, &n, NULL))
        n = CLAMP (g_get_num_processors (), 1, SCALR_PARALLEL_MAX_THREADS);
      g_once_init_leave (&value, n);
    }
  return (guint) value;
}

guint
scalr_parallel_get_threads (void)
{
  if (thread_in_region)
    return 1;
  return thread_override ? thread_override : process_default ();
}

guint
scalr_parallel_resolve_threads (guint requested)
{
  if (thread_in_region)
    return 1;
  return requested ? MIN (requested, SCALR_PARALLEL_MAX_THREADS) : scalr_parallel_get_threads ();
}

guint
scalr_parallel_push_threads (guint n_threads)
{
  guint previous = thread_override;
  thread_override = MIN (n_threads, SCALR_PARALLEL_MAX_THREADS);
  return previous;
}

void
scalr_parallel_pop_threads (guint previous)
{
  thread_override = previous;
}

gboolean
scalr_parallel_in_region (void)
{
  return thread_in_region;
}

/* ---- OpenBLAS ----------------------------------------------------------------------- */

static guint
blas_set (guint n)
{
  guint previous = (guint) MAX (openblas_get_num_threads (), 1);
  if (previous != n)
    openblas_set_num_threads ((int) n);
  return previous;
}

/* OPENBLAS_NUM_THREADS when set to a count (the user's cap on OpenBLAS), else no cap; read
 * once. */
static guint
blas_cap (void)
{
  static gsize value = 0;
  if (g_once_init_enter (&value))
    {
      guint n = 0;
      const char *env = g_getenv ("OPENBLAS_NUM_THREADS");
      if (env == NULL || !scalr_parallel_parse_threads ("OPENBLAS_NUM_THREADS", env, &n, NULL))
        n = SCALR_PARALLEL_MAX_THREADS;
      g_once_init_leave (&value, n);
    }
  return (guint) value;
}

guint
scalr_parallel_blas_begin (void)
{
  return blas_set (MIN (scalr_parallel_get_threads (), blas_cap ()));
}

void
scalr_parallel_blas_end (guint previous)
{
  /* Inside a region the count is the region's 1; other threads' calls must not see it move. */
  if (!thread_in_region)
    blas_set (MAX (previous, 1));
}

/* ---- the parallel-for ----------------------------------------------------------------- */

typedef struct {
  guint64                     n, chunk, n_chunks;
  guint                       n_threads;
  ScalrParallelFunc           func;
  gpointer                    data;
  const ScalrParallelOptions *opt;
  guint64                     next;       /* atomic: DYNAMIC's next chunk */
  guint64                     done;       /* atomic: indices done */
  gint                        stop;       /* atomic: an error or cancellation */
  gint                        cancelled;  /* atomic: a chunk was skipped for cancellation */
  GMutex                      lock;       /* guards error, error_chunk */
  GError                     *error;
  guint64                     error_chunk;
  gpointer                   *states;     /* n_threads */
} Region;

typedef struct {
  Region *r;
  guint   thread;
} Worker;

/* Runs logical thread @t's chunks in the calling OS thread; @reporter: report progress. */
static void
run_logical (Region *r, guint t, gboolean reporter)
{
  const ScalrParallelOptions *o = r->opt;
  r->states[t] = o->thread_init ? o->thread_init (t, r->data) : NULL;
  for (guint64 k = 0;; k++)
    {
      guint64 c = o->schedule == SCALR_PARALLEL_STATIC ? t + k * r->n_threads
                                                       : __atomic_fetch_add (&r->next, 1, __ATOMIC_RELAXED);
      if (c >= r->n_chunks || g_atomic_int_get (&r->stop))
        break;
      if (o->cancellable && g_cancellable_is_cancelled (o->cancellable))
        {
          g_atomic_int_set (&r->cancelled, 1);
          g_atomic_int_set (&r->stop, 1);
          break;
        }
      guint64 begin = c * r->chunk, end = MIN (r->n, begin + r->chunk);
      GError *local = NULL;
      if (!r->func (begin, end, t, r->states[t], r->data, &local))
        {
          g_mutex_lock (&r->lock);
          if (r->error == NULL || c < r->error_chunk)
            {
              g_clear_error (&r->error);
              r->error = local;
              r->error_chunk = c;
            }
          else
            g_clear_error (&local);
          g_mutex_unlock (&r->lock);
          g_atomic_int_set (&r->stop, 1);
          break;
        }
      guint64 done = __atomic_add_fetch (&r->done, end - begin, __ATOMIC_RELAXED);
      if (reporter && o->progress)
        o->progress (done, r->n, r->data);
    }
}

static gpointer
worker_main (gpointer data)
{
  Worker *w = data;
  thread_in_region = TRUE;
  run_logical (w->r, w->thread, FALSE);
  return NULL;
}

gboolean
scalr_parallel_for (guint64 n, ScalrParallelFunc func, gpointer data, const ScalrParallelOptions *options,
                    GError **error)
{
  g_return_val_if_fail (func != NULL && options != NULL, FALSE);
  g_return_val_if_fail (options->chunk >= 1, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (options->cancellable && g_cancellable_set_error_if_cancelled (options->cancellable, error))
    return FALSE;
  Region r = { 0 };
  r.n = n;
  r.chunk = options->chunk;
  r.n_chunks = n / r.chunk + (n % r.chunk != 0);
  r.n_threads = (guint) MAX (MIN ((guint64) scalr_parallel_resolve_threads (options->n_threads), r.n_chunks), 1);
  r.func = func;
  r.data = data;
  r.opt = options;
  g_mutex_init (&r.lock);
  r.states = g_new0 (gpointer, r.n_threads);

  /* Even a region that runs on one thread (fewer chunks than threads) is a region: BLAS runs
   * one thread inside it, so what a chunk computes never depends on how many chunks there
   * were (an MPI rank with one batch of users scores them as one process does). */
  gboolean was_in_region = thread_in_region;
  g_autofree Worker *workers = g_new0 (Worker, r.n_threads);
  g_autofree GThread **threads = g_new0 (GThread *, r.n_threads);
  guint blas_before = blas_set (1);
  thread_in_region = TRUE;
  if (r.n_threads > 1)
    {
      for (guint t = 1; t < r.n_threads; t++)
        {
          workers[t] = (Worker) { &r, t };
          threads[t] = g_thread_try_new ("scalr-parallel", worker_main, &workers[t], NULL);
        }
    }
  run_logical (&r, 0, TRUE);
  /* A thread that could not start: its share runs here (the assignment stays the same). */
  for (guint t = 1; t < r.n_threads; t++)
    if (threads[t] == NULL)
      run_logical (&r, t, TRUE);
  for (guint t = 1; t < r.n_threads; t++)
    if (threads[t])
      g_thread_join (threads[t]);
  if (options->progress && r.n_threads > 1)
    options->progress (r.done, r.n, data);
  thread_in_region = was_in_region;
  blas_set (blas_before);
  for (guint t = 0; t < r.n_threads; t++)
    if (options->thread_finish)
      options->thread_finish (r.states[t], t, data);
  g_free (r.states);
  g_mutex_clear (&r.lock);

  if (r.error)
    {
      g_propagate_error (error, r.error);
      return FALSE;
    }
  if (r.cancelled)
    {
      if (!g_cancellable_set_error_if_cancelled (options->cancellable, error))
        g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Operation was cancelled");
      return FALSE;
    }
  return TRUE;
}
