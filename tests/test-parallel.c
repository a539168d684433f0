/* test-parallel.c — the parallel-for (every index once, the static assignment, per-thread
 * state finished in thread order, errors, cancellation, nesting, progress), the thread
 * policy (push/pop, SCALR_THREADS, parsing) and OpenBLAS's count around regions and calls
 * (capped by OPENBLAS_NUM_THREADS). */
#include "config.h"

#include <cblas.h>

#include "scalr-blas.h"
#include "scalr-parallel.h"
#include "test-util.h"

typedef struct {
  guint64  n;
  gint    *hits;        /* n: times index was visited */
  guint   *thread_of;   /* n: the logical thread that visited it */
  guint64  fail_chunk;  /* G_MAXUINT64: none */
  guint64  fail_chunk2;
  guint64  chunk;
  GCancellable *cancel_at_chunk_of;   /* cancelled when chunk cancel_chunk runs */
  guint64  cancel_chunk;
  /* states */
  gint     inits;       /* atomic */
  GArray  *finished;    /* guint: thread order of thread_finish */
  guint64  last_done;
  guint    progress_calls;
  GThread *caller;
  gboolean progress_off_caller;
} Probe;

typedef struct {
  guint   thread;
  guint64 visited;
} State;

static gpointer
probe_init (guint thread, gpointer data)
{
  Probe *p = data;
  g_atomic_int_inc (&p->inits);
  State *s = g_new0 (State, 1);
  s->thread = thread;
  return s;
}

static void
probe_finish (gpointer state, guint thread, gpointer data)
{
  Probe *p = data;
  State *s = state;
  g_assert_cmpuint (s->thread, ==, thread);
  g_array_append_val (p->finished, thread);
  g_free (s);
}

static void
probe_progress (guint64 done, guint64 n, gpointer data)
{
  Probe *p = data;
  g_assert_cmpuint (done, >=, p->last_done);
  g_assert_cmpuint (done, <=, n);
  p->last_done = done;
  p->progress_calls++;
  if (g_thread_self () != p->caller)
    p->progress_off_caller = TRUE;
}

static gboolean
probe_func (guint64 begin, guint64 end, guint thread, gpointer state, gpointer data, GError **error)
{
  Probe *p = data;
  State *s = state;
  g_assert_cmpuint (s->thread, ==, thread);
  g_assert_cmpuint (begin % p->chunk, ==, 0);
  g_assert_cmpuint (end, <=, p->n);
  g_assert_true (end == p->n || end - begin == p->chunk);
  guint64 c = begin / p->chunk;
  if (p->cancel_at_chunk_of && c == p->cancel_chunk)
    g_cancellable_cancel (p->cancel_at_chunk_of);
  if (c == p->fail_chunk || c == p->fail_chunk2)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "chunk %" G_GUINT64_FORMAT " failed", c);
      return FALSE;
    }
  for (guint64 i = begin; i < end; i++)
    {
      g_atomic_int_inc (&p->hits[i]);
      p->thread_of[i] = thread;
    }
  s->visited += end - begin;
  return TRUE;
}

static void
probe_init_struct (Probe *p, guint64 n, guint64 chunk)
{
  memset (p, 0, sizeof *p);
  p->n = n;
  p->chunk = chunk;
  p->hits = g_new0 (gint, MAX (n, 1));
  p->thread_of = g_new0 (guint, MAX (n, 1));
  p->fail_chunk = p->fail_chunk2 = G_MAXUINT64;
  p->finished = g_array_new (FALSE, FALSE, sizeof (guint));
  p->caller = g_thread_self ();
}

static void
probe_clear (Probe *p)
{
  g_free (p->hits);
  g_free (p->thread_of);
  g_array_unref (p->finished);
}

static ScalrParallelOptions
probe_options (guint threads, guint64 chunk, ScalrParallelSchedule schedule)
{
  return (ScalrParallelOptions) { .n_threads = threads, .chunk = chunk, .schedule = schedule,
                                  .thread_init = probe_init, .thread_finish = probe_finish,
                                  .progress = probe_progress };
}

/* Every index once, for sizes around the chunk boundaries, thread counts above and below the
 * number of chunks, both schedules; STATIC gives chunk c to thread c mod T; the states are
 * made once per logical thread and finished in order 0…T−1; T = min(threads, chunks). */
static void
test_every_index_once (void)
{
  const guint64 sizes[] = { 0, 1, 6, 7, 8, 1000 };
  const guint64 chunks[] = { 1, 3, 7, 64 };
  const guint threads[] = { 1, 2, 3, 7 };
  for (guint a = 0; a < G_N_ELEMENTS (sizes); a++)
    for (guint b = 0; b < G_N_ELEMENTS (chunks); b++)
      for (guint c = 0; c < G_N_ELEMENTS (threads); c++)
        for (int sched = 0; sched < 2; sched++)
          {
            Probe p;
            probe_init_struct (&p, sizes[a], chunks[b]);
            ScalrParallelOptions o = probe_options (threads[c], chunks[b], sched);
            g_autoptr (GError) error = NULL;
            g_assert_true (scalr_parallel_for (p.n, probe_func, &p, &o, &error));
            g_assert_no_error (error);
            guint64 n_chunks = (p.n + p.chunk - 1) / p.chunk;
            guint expect_t = (guint) MAX (1, MIN (threads[c], n_chunks));
            g_assert_cmpint (p.inits, ==, (gint) expect_t);
            g_assert_cmpuint (p.finished->len, ==, expect_t);
            for (guint t = 0; t < expect_t; t++)
              g_assert_cmpuint (g_array_index (p.finished, guint, t), ==, t);
            for (guint64 i = 0; i < p.n; i++)
              {
                g_assert_cmpint (p.hits[i], ==, 1);
                if (sched == SCALR_PARALLEL_STATIC)
                  g_assert_cmpuint (p.thread_of[i], ==, (i / p.chunk) % expect_t);
              }
            if (p.n > 0)
              g_assert_cmpuint (p.last_done, >, 0);
            g_assert_false (p.progress_off_caller);
            probe_clear (&p);
          }
}

/* The first failing chunk's error; later chunks are not started (one thread: in order). */
static void
test_error (void)
{
  Probe p;
  probe_init_struct (&p, 100, 10);
  p.fail_chunk = 5;
  p.fail_chunk2 = 8;
  ScalrParallelOptions o = probe_options (1, 10, SCALR_PARALLEL_STATIC);
  g_autoptr (GError) error = NULL;
  g_assert_false (scalr_parallel_for (p.n, probe_func, &p, &o, &error));
  test_assert_error_contains (error, G_IO_ERROR, G_IO_ERROR_FAILED, "chunk 5 failed");
  for (guint64 i = 0; i < 100; i++)
    g_assert_cmpint (p.hits[i], ==, i < 50 ? 1 : 0);
  g_assert_cmpuint (p.finished->len, ==, 1);
  probe_clear (&p);

  /* Several threads: one of the two errors, never both; every state finished. */
  for (guint t = 2; t <= 4; t++)
    {
      probe_init_struct (&p, 100, 10);
      p.fail_chunk = 5;
      p.fail_chunk2 = 8;
      o = probe_options (t, 10, t % 2 ? SCALR_PARALLEL_DYNAMIC : SCALR_PARALLEL_STATIC);
      g_autoptr (GError) e2 = NULL;
      g_assert_false (scalr_parallel_for (p.n, probe_func, &p, &o, &e2));
      g_assert_error (e2, G_IO_ERROR, G_IO_ERROR_FAILED);
      g_assert_true (strstr (e2->message, "chunk 5") || strstr (e2->message, "chunk 8"));
      g_assert_cmpuint (p.finished->len, ==, t);
      for (guint64 i = 50; i < 60; i++)
        g_assert_cmpint (p.hits[i], ==, 0);
      probe_clear (&p);
    }
}

static void
test_cancel (void)
{
  /* Cancelled before: nothing runs, not even a state. */
  Probe p;
  probe_init_struct (&p, 100, 10);
  g_autoptr (GCancellable) c = g_cancellable_new ();
  g_cancellable_cancel (c);
  ScalrParallelOptions o = probe_options (2, 10, SCALR_PARALLEL_DYNAMIC);
  o.cancellable = c;
  g_autoptr (GError) error = NULL;
  g_assert_false (scalr_parallel_for (p.n, probe_func, &p, &o, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (p.inits, ==, 0);
  probe_clear (&p);

  /* Cancelled while chunk 3 runs (one thread, in order): chunks 0…3 done, the rest skipped. */
  probe_init_struct (&p, 100, 10);
  g_autoptr (GCancellable) c2 = g_cancellable_new ();
  p.cancel_at_chunk_of = c2;
  p.cancel_chunk = 3;
  o = probe_options (1, 10, SCALR_PARALLEL_STATIC);
  o.cancellable = c2;
  g_autoptr (GError) e2 = NULL;
  g_assert_false (scalr_parallel_for (p.n, probe_func, &p, &o, &e2));
  g_assert_error (e2, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  for (guint64 i = 0; i < 100; i++)
    g_assert_cmpint (p.hits[i], ==, i < 40 ? 1 : 0);
  g_assert_cmpuint (p.finished->len, ==, 1);
  probe_clear (&p);

  /* Cancelled during the last chunk: every chunk ran, so it succeeds. */
  probe_init_struct (&p, 100, 10);
  g_autoptr (GCancellable) c3 = g_cancellable_new ();
  p.cancel_at_chunk_of = c3;
  p.cancel_chunk = 9;
  o = probe_options (1, 10, SCALR_PARALLEL_STATIC);
  o.cancellable = c3;
  g_autoptr (GError) e3 = NULL;
  g_assert_true (scalr_parallel_for (p.n, probe_func, &p, &o, &e3));
  g_assert_no_error (e3);
  probe_clear (&p);
}

/* ---- nesting and the policy ----------------------------------------------------------- */

typedef struct {
  gint     nested_multi;    /* atomic: a nested region ran on more than one OS thread */
  gint     policy_not_one;  /* atomic */
  gint     blas_not_one;    /* atomic */
  gint     not_in_region;   /* atomic */
} NestProbe;

typedef struct {
  GMutex   lock;
  GThread *seen[4];
  guint    n_seen;
} ThreadSet;

static gboolean
inner_func (guint64 begin, guint64 end, guint thread, gpointer state, gpointer data, GError **error)
{
  ThreadSet *ts = data;
  g_mutex_lock (&ts->lock);
  GThread *self = g_thread_self ();
  gboolean known = FALSE;
  for (guint k = 0; k < ts->n_seen; k++)
    known = known || ts->seen[k] == self;
  if (!known && ts->n_seen < G_N_ELEMENTS (ts->seen))
    ts->seen[ts->n_seen++] = self;
  g_mutex_unlock (&ts->lock);
  return TRUE;
}

static gboolean
outer_func (guint64 begin, guint64 end, guint thread, gpointer state, gpointer data, GError **error)
{
  NestProbe *np = data;
  if (scalr_parallel_get_threads () != 1 || scalr_parallel_resolve_threads (0) != 1)
    g_atomic_int_inc (&np->policy_not_one);
  if (openblas_get_num_threads () != 1)
    g_atomic_int_inc (&np->blas_not_one);
  if (!scalr_parallel_in_region ())
    g_atomic_int_inc (&np->not_in_region);
  ThreadSet ts = { 0 };
  g_mutex_init (&ts.lock);
  ScalrParallelOptions o = { .n_threads = 4, .chunk = 1 };
  g_assert_true (scalr_parallel_for (16, inner_func, &ts, &o, NULL));
  if (ts.n_seen != 1)
    g_atomic_int_inc (&np->nested_multi);
  g_mutex_clear (&ts.lock);
  /* A BLAS call inside a region leaves OpenBLAS at 1. */
  float a = 2, b = 3, c = 0;
  g_assert_true (scalr_sgemm (FALSE, FALSE, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1, NULL));
  g_assert_cmpfloat (c, ==, 6.0f);
  if (openblas_get_num_threads () != 1)
    g_atomic_int_inc (&np->blas_not_one);
  return TRUE;
}

/* Inside a region: the policy says 1, nested loops stay on their thread, OpenBLAS runs one
 * thread; after it, OpenBLAS has its count back. */
static void
test_nested_and_blas (void)
{
  openblas_set_num_threads (2);
  NestProbe np = { 0 };
  ScalrParallelOptions o = { .n_threads = 3, .chunk = 1, .schedule = SCALR_PARALLEL_STATIC };
  g_assert_true (scalr_parallel_for (9, outer_func, &np, &o, NULL));
  g_assert_cmpint (np.policy_not_one, ==, 0);
  g_assert_cmpint (np.blas_not_one, ==, 0);
  g_assert_cmpint (np.not_in_region, ==, 0);
  g_assert_cmpint (np.nested_multi, ==, 0);
  g_assert_false (scalr_parallel_in_region ());
  g_assert_cmpint (openblas_get_num_threads (), ==, 2);
}

static gboolean
one_chunk_func (guint64 begin, guint64 end, guint thread, gpointer state, gpointer data, GError **error)
{
  int *seen = data;
  seen[0] = openblas_get_num_threads ();
  seen[1] = scalr_parallel_in_region ();
  seen[2] = (int) scalr_parallel_get_threads ();
  return TRUE;
}

/* A region with one chunk runs on one thread and is still a region: OpenBLAS at 1 inside
 * (a chunk's BLAS result must not depend on how many chunks there are), back after. */
static void
test_one_chunk_region (void)
{
  openblas_set_num_threads (2);
  guint prev = scalr_parallel_push_threads (2);
  int seen[3] = { -1, -1, -1 };
  ScalrParallelOptions o = { .chunk = 10 };
  g_assert_true (scalr_parallel_for (5, one_chunk_func, seen, &o, NULL));
  g_assert_cmpint (seen[0], ==, 1);
  g_assert_cmpint (seen[1], ==, TRUE);
  g_assert_cmpint (seen[2], ==, 1);
  g_assert_cmpint (openblas_get_num_threads (), ==, 2);
  g_assert_false (scalr_parallel_in_region ());
  scalr_parallel_pop_threads (prev);
  openblas_set_num_threads (1);
}

/* OPENBLAS_NUM_THREADS as this process's cap (scripts/test --tsan sets it to 1). */
static int
env_blas_cap (int want)
{
  const char *env = g_getenv ("OPENBLAS_NUM_THREADS");
  guint cap = 0;
  return env && scalr_parallel_parse_threads ("", env, &cap, NULL) ? MIN (want, (int) cap) : want;
}

/* A BLAS call outside regions runs with the policy's count and restores the one before. */
static void
test_blas_around_calls (void)
{
  openblas_set_num_threads (1);
  guint prev = scalr_parallel_push_threads (2);
  guint before = scalr_parallel_blas_begin ();
  g_assert_cmpuint (before, ==, 1);
  g_assert_cmpint (openblas_get_num_threads (), ==, env_blas_cap (2));
  scalr_parallel_blas_end (before);
  g_assert_cmpint (openblas_get_num_threads (), ==, 1);
  float a = 2, b = 3, c = 0;
  g_assert_true (scalr_sgemm (FALSE, FALSE, 1, 1, 1, 1.0f, &a, 1, &b, 1, 0.0f, &c, 1, NULL));
  g_assert_cmpint (openblas_get_num_threads (), ==, 1);
  scalr_parallel_pop_threads (prev);
}

static gpointer
threads_in_new_thread (gpointer data)
{
  return GUINT_TO_POINTER (scalr_parallel_get_threads ());
}

static void
test_push_pop (void)
{
  guint base = scalr_parallel_get_threads ();
  g_assert_cmpuint (base, >=, 1);
  guint prev = scalr_parallel_push_threads (3);
  g_assert_cmpuint (prev, ==, 0);
  g_assert_cmpuint (scalr_parallel_get_threads (), ==, 3);
  g_assert_cmpuint (scalr_parallel_resolve_threads (0), ==, 3);
  g_assert_cmpuint (scalr_parallel_resolve_threads (5), ==, 5);
  g_assert_cmpuint (scalr_parallel_resolve_threads (100000), ==, SCALR_PARALLEL_MAX_THREADS);
  guint prev2 = scalr_parallel_push_threads (1);
  g_assert_cmpuint (prev2, ==, 3);
  g_assert_cmpuint (scalr_parallel_get_threads (), ==, 1);
  scalr_parallel_pop_threads (prev2);
  g_assert_cmpuint (scalr_parallel_get_threads (), ==, 3);
  scalr_parallel_pop_threads (prev);
  g_assert_cmpuint (scalr_parallel_get_threads (), ==, base);

  /* The count is the calling thread's: another thread does not see it. */
  scalr_parallel_push_threads (5);
  GThread *th = g_thread_new ("other", threads_in_new_thread, NULL);
  guint other = GPOINTER_TO_UINT (g_thread_join (th));
  g_assert_cmpuint (other, ==, base);
  scalr_parallel_pop_threads (0);
}

static void
test_parse (void)
{
  guint n = 0;
  g_assert_true (scalr_parallel_parse_threads ("--threads", "1", &n, NULL));
  g_assert_cmpuint (n, ==, 1);
  g_assert_true (scalr_parallel_parse_threads ("--threads", "256", &n, NULL));
  g_assert_cmpuint (n, ==, 256);
  const char *bad[] = { "0", "257", "-1", "abc", "", "2x", " 2" };
  for (guint k = 0; k < G_N_ELEMENTS (bad); k++)
    {
      g_autoptr (GError) error = NULL;
      g_assert_false (scalr_parallel_parse_threads ("--threads", bad[k], &n, &error));
      g_autofree char *quoted = g_strdup_printf ("'%s'", bad[k]);
      test_assert_error_contains (error, SCALR_PARALLEL_ERROR, SCALR_PARALLEL_ERROR_BAD_COUNT,
                                  "--threads", quoted, "1…256");
    }
}

/* SCALR_THREADS (read once per process, so in a subprocess). */
static void
test_environment (void)
{
  if (g_test_subprocess ())
    {
      const char *value = g_getenv ("SCALR_TEST_THREADS_VALUE");
      g_setenv ("SCALR_THREADS", value, TRUE);
      g_autoptr (GError) error = NULL;
      gboolean ok = scalr_parallel_check_environment (&error);
      g_print ("ok=%d threads=%u%s%s\n", ok, scalr_parallel_get_threads (), error ? " " : "",
               error ? error->message : "");
      return;
    }
  g_setenv ("SCALR_TEST_THREADS_VALUE", "3", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("ok=1 threads=3\n");
  g_setenv ("SCALR_TEST_THREADS_VALUE", "many", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_autofree char *expect = g_strdup_printf ("ok=0 threads=%u SCALR_THREADS: 'many' is not a thread count*",
                                             CLAMP (g_get_num_processors (), 1, 256));
  g_test_trap_assert_stdout (expect);
  g_unsetenv ("SCALR_TEST_THREADS_VALUE");
}

/* OPENBLAS_NUM_THREADS caps the policy's count for OpenBLAS (read once, so in a
 * subprocess); a value that is not a count caps nothing. */
static void
test_blas_cap (void)
{
  if (g_test_subprocess ())
    {
      g_setenv ("OPENBLAS_NUM_THREADS", g_getenv ("SCALR_TEST_BLAS_CAP"), TRUE);
      openblas_set_num_threads (1);
      guint prev = scalr_parallel_push_threads (2);
      guint before = scalr_parallel_blas_begin ();
      g_print ("blas=%d\n", openblas_get_num_threads ());
      scalr_parallel_blas_end (before);
      g_print ("after=%d\n", openblas_get_num_threads ());
      scalr_parallel_pop_threads (prev);
      return;
    }
  g_setenv ("SCALR_TEST_BLAS_CAP", "1", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("blas=1\nafter=1\n");
  g_setenv ("SCALR_TEST_BLAS_CAP", "all", TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("blas=2\nafter=1\n");
  g_unsetenv ("SCALR_TEST_BLAS_CAP");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  /* First: it sets environment variables, which is only safe before any thread exists. */
  g_test_add_func ("/scalr/parallel/environment", test_environment);
  g_test_add_func ("/scalr/parallel/every-index-once", test_every_index_once);
  g_test_add_func ("/scalr/parallel/error", test_error);
  g_test_add_func ("/scalr/parallel/cancel", test_cancel);
  g_test_add_func ("/scalr/parallel/nested-and-blas", test_nested_and_blas);
  g_test_add_func ("/scalr/parallel/blas-around-calls", test_blas_around_calls);
  g_test_add_func ("/scalr/parallel/blas-cap", test_blas_cap);
  g_test_add_func ("/scalr/parallel/one-chunk-region", test_one_chunk_region);
  g_test_add_func ("/scalr/parallel/push-pop", test_push_pop);
  g_test_add_func ("/scalr/parallel/parse", test_parse);
  return g_test_run ();
}
