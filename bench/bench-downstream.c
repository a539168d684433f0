/* bench-downstream.c — the downstream models at MovieLens-20M size, on planted data:
 * one iALS epoch, an EASE fit, and full-ranking evaluation, with the GEMM part of the
 * evaluation as a fraction of this machine's sgemm peak measured in the same run.
 *
 *   bench-downstream [--users 140000] [--items 27000] [--events 20000000] [--seed 42]
 *                    [--data-dir DIR] [--threads 2] [--factors 64] [--ease-items 20000]
 *                    [--eval-users 100000] [--k 50] [--batch 256] [--skip-ease] [--json]
 *
 * Data (deterministic for the flags; not timed as a benchmark): user u draws
 * n_u ~ LogNormal(μ, 1) distinct items (μ set so that Σ n_u ≈ --events; clamped to
 * [3, min(8000, items / 3)]). An item is drawn with probability 0.25 from the global popularity
 * (∝ (rank + 20)^-1.05, ranks a random permutation of the ids; a Vose alias table), else
 * from one of the user's three latent topics (weights Exp(1), normalised), each a
 * popularity-weighted alias table over the items of that topic (50 topics, an item's topic
 * uniform): P(i | u) is a non-negative rank-51 factorisation, so matrix factorisation has
 * signal. Duplicates are redrawn (at most 50·n_u draws). Users with ≥ 5 items hold out
 * round(0.2·n_u) of them, chosen uniformly, as their test row. Rows are sorted.
 *
 * For the NumPy reference (bench/reference_numpy.py) the matrices are written to --data-dir
 * (default $BENCH_DIR/downstream, BENCH_DIR defaulting to ${TMPDIR:-/tmp}/scalr-bench) as
 * raw little-endian arrays: train_indptr.bin, test_indptr.bin (int64, users + 1),
 * train_indices.bin, test_indices.bin (int32), and meta.json with the shapes and the
 * parameters; they are rewritten only when meta.json names other parameters. Each run also
 * writes the iALS factors before and after its epoch (ials_{U,V}{0,1}.bin, float32,
 * rows × factors) so that the reference starts from the same point and evaluates the same
 * scores, and a JSON of its own figures (c_figures.json) with checksums to compare.
 *
 * Timed, in one process, with --threads BLAS threads (OpenBLAS) and worker threads:
 *   (a) one iALS epoch, 64 factors, α 10, λ 0.1, 3 CG steps (_scalr_ials_half for the users,
 *       then for the items; the transpose is timed apart);
 *   (b) _scalr_ease_fit (λ 500) on the train matrix restricted to the --ease-items most
 *       popular items (ties: lower id);
 *   (c) evaluation of the first --eval-users users that have a test row, laid out as
 *       scalr-eval.c does it: --threads workers each take the next batch of --batch users,
 *       score it by _scalr_mf_score (one sgemm, one BLAS thread per worker), mask the train
 *       items to −∞, select with scalr_eval_top_k at K and measure with
 *       scalr_eval_rank_metrics (recall, NDCG); the GEMM part is the workers' sgemm time
 *       over the thread count (its share of the wall time), its rate the flops over that;
 *   (d) the sgemm peak: the best of 2048³, 4096³ and the scoring shape (batch × factors ·
 *       factors × items), three runs each. */
#include "config.h"

#include "scalr-registry.h"

#include <dlfcn.h>
#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "scalr-ials.h"
#include "recommenders/scalr-recommenders-private.h"
#include "scalr-alias.h"
#include "scalr-blas.h"
#include "scalr-csr.h"
#include "scalr-eval.h"
#include "scalr-parallel.h"
#include "scalr-rng.h"
#include "scalr-topk.h"

/* Generator format version: bump when the data model changes so that cached files are
 * rewritten. */
#define GEN_VERSION 1
#define N_TOPICS 50
#define USER_TOPICS 3
#define POP_SHARE 0.25
/* Stream purposes of this generator (distinct from the engine's). */
enum { STREAM_ITEMS = 101, STREAM_USERS = 102 };

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

G_GNUC_NORETURN static void
die (const char *what, const GError *error)
{
  g_printerr ("bench-downstream: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* ---- planted data ----------------------------------------------------------------------- */

typedef struct {
  guint   users, items;
  guint64 events;
  guint64 seed;
} GenParams;

/* Fills @train and @test (users × items). */
static void
generate (const GenParams *gp, ScalrCsr **train_out, ScalrCsr **test_out)
{
  guint I = gp->items, U = gp->users;
  /* Items: popularity by a random rank, a topic each. */
  g_autofree guint32 *rank = g_new (guint32, I);
  for (guint i = 0; i < I; i++)
    rank[i] = i;
  ScalrRng rng;
  scalr_rng_init (&rng, gp->seed, STREAM_ITEMS, 0);
  for (guint i = I; i > 1; i--)
    {
      guint j = scalr_rng_below (&rng, i);
      guint32 t = rank[i - 1];
      rank[i - 1] = rank[j];
      rank[j] = t;
    }
  g_autofree double *pop = g_new (double, I);
  g_autofree guint8 *topic = g_new (guint8, I);
  guint n_in[N_TOPICS] = { 0 };
  for (guint i = 0; i < I; i++)
    {
      pop[i] = pow (rank[i] + 20.0, -1.05);
      topic[i] = (guint8) scalr_rng_below (&rng, N_TOPICS);
      n_in[topic[i]]++;
    }
  g_autofree float *pop_prob = g_new (float, I);
  g_autofree guint32 *pop_alias = g_new (guint32, I);
  scalr_alias_build (pop, I, pop_prob, pop_alias);
  /* Per topic: its items (ids), their weights, an alias table over them. */
  guint32 *t_items[N_TOPICS];
  float *t_prob[N_TOPICS];
  guint32 *t_alias[N_TOPICS];
  for (guint t = 0; t < N_TOPICS; t++)
    {
      t_items[t] = g_new (guint32, MAX (n_in[t], 1));
      t_prob[t] = g_new (float, MAX (n_in[t], 1));
      t_alias[t] = g_new (guint32, MAX (n_in[t], 1));
    }
  {
    guint fill[N_TOPICS] = { 0 };
    for (guint i = 0; i < I; i++)
      t_items[topic[i]][fill[topic[i]]++] = i;
    g_autofree double *w = g_new (double, I);
    for (guint t = 0; t < N_TOPICS; t++)
      {
        for (guint q = 0; q < n_in[t]; q++)
          w[q] = pop[t_items[t][q]];
        scalr_alias_build (w, n_in[t], t_prob[t], t_alias[t]);
      }
  }

  /* Users: activity n_u, then the distinct items. */
  const double sigma = 1.0;
  double mu = log ((double) gp->events / MAX (U, 1)) - 0.5 * sigma * sigma;
  guint max_n = MAX (3u, MIN (8000u, I / 3));
  g_autofree guint32 *want = g_new (guint32, MAX (U, 1));
  guint64 total = 0;
  for (guint u = 0; u < U; u++)
    {
      scalr_rng_init (&rng, gp->seed, STREAM_USERS, u);
      double n = exp (mu + sigma * _scalr_mf_normal (&rng));
      want[u] = (guint32) CLAMP (llround (n), 3, (long long) max_n);
      total += want[u];
    }
  g_autofree guint32 *buf = g_new (guint32, MAX (total, 1));
  g_autofree guint32 *got = g_new (guint32, MAX (U, 1));
  g_autofree guint32 *n_test = g_new (guint32, MAX (U, 1));
  g_autofree guint32 *stamp = g_new0 (guint32, I);
  guint64 off = 0, n_train_total = 0, n_test_total = 0;
  for (guint u = 0; u < U; u++)
    {
      scalr_rng_init (&rng, gp->seed, STREAM_USERS, u);
      (void) _scalr_mf_normal (&rng);   /* the activity draw above */
      guint ut[USER_TOPICS];
      double uw[USER_TOPICS], sum = 0;
      for (guint q = 0; q < USER_TOPICS; q++)
        {
          ut[q] = scalr_rng_below (&rng, N_TOPICS);
          uw[q] = -log (1.0 - scalr_rng_uniform (&rng));
          sum += uw[q];
        }
      guint32 *row = buf + off, n = 0, target = want[u];
      for (guint64 tries = 0; n < target && tries < 50ull * target; tries++)
        {
          guint32 item;
          if (scalr_rng_uniform (&rng) < POP_SHARE)
            item = scalr_alias_draw (pop_prob, pop_alias, I, &rng);
          else
            {
              double x = scalr_rng_uniform (&rng) * sum;
              guint q = 0;
              while (q + 1 < USER_TOPICS && x >= uw[q])
                x -= uw[q++];
              guint t = ut[q];
              if (n_in[t] == 0)
                continue;
              item = t_items[t][scalr_alias_draw (t_prob[t], t_alias[t], n_in[t], &rng)];
            }
          if (stamp[item] == u + 1)
            continue;
          stamp[item] = u + 1;
          row[n++] = item;
        }
      got[u] = n;
      /* Hold out round(0.2 n) uniformly chosen items (a partial Fisher–Yates to the front). */
      guint32 nt = n >= 5 ? (guint32) MAX (1, (n + 2) / 5) : 0;
      for (guint32 q = 0; q < nt; q++)
        {
          guint32 j = q + scalr_rng_below (&rng, n - q);
          guint32 tmp = row[q];
          row[q] = row[j];
          row[j] = tmp;
        }
      n_test[u] = nt;
      qsort (row, nt, sizeof (guint32), scalr_cmp_u32);
      qsort (row + nt, n - nt, sizeof (guint32), scalr_cmp_u32);
      n_test_total += nt;
      n_train_total += n - nt;
      off += want[u];
    }
  for (guint t = 0; t < N_TOPICS; t++)
    {
      g_free (t_items[t]);
      g_free (t_prob[t]);
      g_free (t_alias[t]);
    }
  ScalrCsr *train = scalr_csr_new (U, I, n_train_total, FALSE);
  ScalrCsr *test = scalr_csr_new (U, I, n_test_total, FALSE);
  off = 0;
  for (guint u = 0; u < U; u++)
    {
      const guint32 *row = buf + off;
      guint32 nt = n_test[u], n = got[u];
      memcpy (test->indices + test->indptr[u], row, nt * sizeof (guint32));
      test->indptr[u + 1] = test->indptr[u] + nt;
      memcpy (train->indices + train->indptr[u], row + nt, (n - nt) * sizeof (guint32));
      train->indptr[u + 1] = train->indptr[u] + (n - nt);
      off += want[u];
    }
  g_assert (scalr_csr_is_valid (train) && scalr_csr_is_valid (test));
  *train_out = train;
  *test_out = test;
}

static char *
params_string (const GenParams *gp)
{
  return g_strdup_printf ("gen=%d users=%u items=%u events=%" G_GUINT64_FORMAT " seed=%" G_GUINT64_FORMAT,
                          GEN_VERSION, gp->users, gp->items, gp->events, gp->seed);
}

/* Writes @len bytes to @dir/@name (through a temporary file, renamed when complete). */
static void
write_raw (const char *dir, const char *name, const void *data, gsize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, data, (gssize) len, &error))
    die ("write", error);
}

static gboolean
data_is_current (const char *dir, const char *params)
{
  g_autofree char *path = g_build_filename (dir, "meta.json", NULL);
  g_autoptr (JsonParser) p = json_parser_new ();
  if (!json_parser_load_from_file (p, path, NULL))
    return FALSE;
  JsonNode *root = json_parser_get_root (p);
  if (!JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  const char *have = json_object_get_string_member_with_default (json_node_get_object (root), "params", "");
  return g_str_equal (have, params);
}

static void
write_data (const char *dir, const GenParams *gp, const ScalrCsr *train, const ScalrCsr *test)
{
  g_autofree char *params = params_string (gp);
  if (data_is_current (dir, params))
    {
      g_print ("data: %s holds these parameters already; not rewritten\n", dir);
      return;
    }
  g_autofree char *meta = g_build_filename (dir, "meta.json", NULL);
  g_unlink (meta);
  gsize ip = ((gsize) train->n_rows + 1) * sizeof (guint64);
  write_raw (dir, "train_indptr.bin", train->indptr, ip);
  write_raw (dir, "train_indices.bin", train->indices, train->nnz * sizeof (guint32));
  write_raw (dir, "test_indptr.bin", test->indptr, ip);
  write_raw (dir, "test_indices.bin", test->indices, test->nnz * sizeof (guint32));
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "params");
  json_builder_add_string_value (b, params);
  json_builder_set_member_name (b, "users");
  json_builder_add_int_value (b, train->n_rows);
  json_builder_set_member_name (b, "items");
  json_builder_add_int_value (b, train->n_cols);
  json_builder_set_member_name (b, "train_nnz");
  json_builder_add_int_value (b, (gint64) train->nnz);
  json_builder_set_member_name (b, "test_nnz");
  json_builder_add_int_value (b, (gint64) test->nnz);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "CSR, little-endian: *_indptr.bin int64 (users + 1), *_indices.bin int32 "
                                    "(sorted within rows); every value is 1");
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autoptr (GError) error = NULL;
  if (!json_generator_to_file (gen, meta, &error))
    die ("write meta.json", error);
  g_print ("data: written to %s\n", dir);
}

/* ---- the sgemm peak --------------------------------------------------------------------- */

/* Best of three dense m×k · (n×k)ᵀ or k×n sgemms, in GFLOP/s. */
static double
sgemm_rate (gsize m, gsize k, gsize n, gboolean trans_b)
{
  float *a = g_new (float, m * k), *b = g_new (float, k * n), *c = g_new0 (float, m * n);
  for (gsize x = 0; x < m * k; x++)
    a[x] = (float) ((x * 2654435761u) % 1000) / 1000.0f;
  for (gsize x = 0; x < k * n; x++)
    b[x] = (float) ((x * 40503u) % 1000) / 1000.0f;
  double best = 0;
  for (int rep = 0; rep < 3; rep++)
    {
      double t0 = now ();
      scalr_sgemm (FALSE, trans_b, m, n, k, 1.0f, a, k, b, trans_b ? k : n, 0.0f, c, n, NULL);
      double t = now () - t0;
      best = MAX (best, 2.0 * m * n * k / t / 1e9);
    }
  g_free (a);
  g_free (b);
  g_free (c);
  return best;
}

/* OpenBLAS's kernel name, when the BLAS is OpenBLAS (looked up at run time: reporting
 * only, no BLAS call). */
static const char *
blas_corename (void)
{
  char *(*fn) (void) = (char *(*) (void)) dlsym (RTLD_DEFAULT, "openblas_get_corename");
  return fn ? fn () : "unknown (not OpenBLAS)";
}

/* ---- evaluation ------------------------------------------------------------------------- */

/* As scalr-eval.c's eval_batches: the threads of scalr_parallel_for take the next batch,
 * score it with a single-threaded sgemm (_scalr_mf_score), mask, select and measure it. */
typedef struct {
  const ScalrCsr *train, *test;
  const float    *U, *V;
  const guint32  *users;
  guint           n_users, n_items, factors, k, batch;
  float          *recall, *ndcg;   /* per evaluated user */
  double          gemm_s;          /* the threads' time in sgemm (summed in thread_finish) */
} EvalJob;

typedef struct {
  float   *scores;
  guint32 *top;
  double   gemm_s;                 /* this thread's time in sgemm */
} EvalWorker;

static gpointer
eval_worker_new (guint thread, gpointer data)
{
  EvalJob *job = data;
  EvalWorker *w = g_new0 (EvalWorker, 1);
  w->scores = g_new (float, (gsize) job->batch * job->n_items);
  w->top = g_new (guint32, job->k);
  return w;
}

static void
eval_worker_free (gpointer state, guint thread, gpointer data)
{
  EvalJob *job = data;
  EvalWorker *w = state;
  job->gemm_s += w->gemm_s;
  g_free (w->scores);
  g_free (w->top);
  g_free (w);
}

static gboolean
eval_batches (guint64 first_batch, guint64 last_batch, guint thread, gpointer state, gpointer data, GError **error)
{
  EvalJob *job = data;
  EvalWorker *w = state;
  guint I = job->n_items;
  float *scores = w->scores;
  guint32 *top = w->top;
  double m[SCALR_N_RANK_METRICS][SCALR_MAX_KS];
  guint ks[1] = { job->k };
  for (guint64 b = first_batch; b < last_batch; b++)
    {
      guint first = (guint) b * job->batch;
      guint nb = MIN (job->batch, job->n_users - first);
      double g0 = now ();
      _scalr_mf_score (job->U, job->V, I, job->factors, job->users + first, nb, scores);
      w->gemm_s += now () - g0;
      for (guint r = 0; r < nb; r++)
        {
          guint32 u = job->users[first + r];
          float *row = scores + (gsize) r * I;
          for (guint64 e = job->train->indptr[u]; e < job->train->indptr[u + 1]; e++)
            row[job->train->indices[e]] = -INFINITY;
          guint got = scalr_eval_top_k (row, I, job->k, top);
          scalr_eval_rank_metrics (top, got, job->test->indices + job->test->indptr[u],
                                   (guint) scalr_csr_row_len (job->test, u), ks, 1, m);
          job->recall[first + r] = m[SCALR_METRIC_RECALL][0];
          job->ndcg[first + r] = m[SCALR_METRIC_NDCG][0];
        }
    }
  return TRUE;
}

/* ---- main --------------------------------------------------------------------------------- */

static void
write_floats (const char *dir, const char *name, const float *f, gsize n)
{
  write_raw (dir, name, f, n * sizeof (float));
}

static double
sum_abs (const float *f, gsize n)
{
  double s = 0;
  for (gsize x = 0; x < n; x++)
    s += fabs ((double) f[x]);
  return s;
}

int
main (int argc, char **argv)
{
  scalr_registry_init ();
  int users = 140000, items = 27000, threads = 2, factors = 64, ease_items = 20000;
  int eval_users = 100000, k = 50, batch = 256;
  gint64 events = 20000000, seed = 42;
  double ease_l2 = 500.0;
  g_autofree char *data_dir = NULL;
  gboolean json = FALSE, skip_ease = FALSE;
  GOptionEntry entries[] = {
    { "users", 0, 0, G_OPTION_ARG_INT, &users, "Users (default 140000)", "N" },
    { "items", 0, 0, G_OPTION_ARG_INT, &items, "Items (default 27000)", "N" },
    { "events", 0, 0, G_OPTION_ARG_INT64, &events, "Events before the split, about (default 20000000)", "N" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed (default 42)", "N" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Where the matrices are written for the reference", "DIR" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "BLAS and worker threads (default 2)", "N" },
    { "factors", 0, 0, G_OPTION_ARG_INT, &factors, "iALS factors (default 64)", "K" },
    { "ease-items", 0, 0, G_OPTION_ARG_INT, &ease_items, "EASE: most popular items kept (default 20000)", "N" },
    { "ease-l2", 0, 0, G_OPTION_ARG_DOUBLE, &ease_l2, "EASE: λ (default 500)", "L" },
    { "skip-ease", 0, 0, G_OPTION_ARG_NONE, &skip_ease, "Skip the EASE fit", NULL },
    { "eval-users", 0, 0, G_OPTION_ARG_INT, &eval_users, "Users evaluated (default 100000)", "N" },
    { "k", 0, 0, G_OPTION_ARG_INT, &k, "Cut-off K (default 50)", "K" },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, "Users scored per sgemm (default 256)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the figures as JSON", NULL },
    { NULL }
  };
  setlocale (LC_ALL, "");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- downstream models (iALS, EASE, evaluation) at scale");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    die ("options", error);
  if (users < 1 || items < 10 || events < 1 || threads < 1 || factors < 1 || k < 1 || k > items
      || batch < 1 || eval_users < 1 || ease_items < 10 || ease_l2 <= 0)
    {
      g_printerr ("bench-downstream: invalid option values\n");
      return 2;
    }
  if (data_dir == NULL)
    {
      const char *bd = g_getenv ("BENCH_DIR");
      const char *tmp = g_getenv ("TMPDIR");
      g_autofree char *base = bd ? g_strdup (bd) : g_build_filename (tmp ? tmp : "/tmp", "scalr-bench", NULL);
      data_dir = g_build_filename (base, "downstream", NULL);
    }
  if (g_mkdir_with_parents (data_dir, 0755) != 0)
    {
      g_printerr ("bench-downstream: cannot create %s\n", data_dir);
      return 1;
    }
  scalr_parallel_push_threads ((guint) threads);   /* BLAS and worker threads */
  const char *ct = g_getenv ("OPENBLAS_CORETYPE"), *l2 = g_getenv ("OPENBLAS_L2_SIZE");
  g_print ("BLAS: OpenBLAS kernel %s, %d threads (OPENBLAS_CORETYPE=%s, OPENBLAS_L2_SIZE=%s)\n",
           blas_corename (), threads, ct ? ct : "(unset)", l2 ? l2 : "(unset)");

  /* Data. */
  GenParams gp = { (guint) users, (guint) items, (guint64) events, (guint64) seed };
  double t0 = now ();
  g_autoptr (ScalrCsr) train = NULL;
  g_autoptr (ScalrCsr) test = NULL;
  generate (&gp, &train, &test);
  double t_gen = now () - t0;
  guint n_tested = 0;
  for (guint u = 0; u < train->n_rows; u++)
    n_tested += test->indptr[u + 1] > test->indptr[u];
  g_print ("data: %u users × %u items, %" G_GUINT64_FORMAT " train + %" G_GUINT64_FORMAT " test events "
           "(%u users with a test row), generated in %.1f s\n", train->n_rows, train->n_cols, train->nnz,
           test->nnz, n_tested, t_gen);
  write_data (data_dir, &gp, train, test);

  /* (a) one iALS epoch. */
  ScalrIalsOptions io = SCALR_IALS_OPTIONS_INIT;
  io.factors = (guint) factors;
  io.alpha = 10.0;
  io.reg = 0.1;
  io.cg_steps = 3;
  io.iters = 1;
  io.seed = (guint64) seed;
  io.n_threads = (guint) threads;
  g_autofree float *U = NULL, *V = NULL;
  if (!_scalr_ials_init (train, &io, &U, &V, &error))
    die ("ials init", error);
  gsize nU = (gsize) train->n_rows * factors, nV = (gsize) train->n_cols * factors;
  write_floats (data_dir, "ials_U0.bin", U, nU);
  write_floats (data_dir, "ials_V0.bin", V, nV);
  t0 = now ();
  g_autoptr (ScalrCsr) trainT = scalr_csr_transpose (train);
  double t_transpose = now () - t0;
  t0 = now ();
  if (!_scalr_ials_half (train, V, U, &io, NULL, &error))
    die ("ials users", error);
  double t_users = now () - t0;
  t0 = now ();
  if (!_scalr_ials_half (trainT, U, V, &io, NULL, &error))
    die ("ials items", error);
  double t_items = now () - t0;
  double t_ials = t_users + t_items;
  write_floats (data_dir, "ials_U1.bin", U, nU);
  write_floats (data_dir, "ials_V1.bin", V, nV);
  g_print ("(a) ials epoch (k %d, α 10, λ 0.1, 3 CG steps, %d threads): %.2f s = users %.2f s + items %.2f s "
           "(transpose %.2f s apart)\n", factors, threads, t_ials, t_users, t_items, t_transpose);
  g_clear_pointer (&trainT, scalr_csr_free);

  /* (b) EASE on the most popular items. */
  double t_ease = 0, ease_checksum = 0;
  guint n_ease = MIN ((guint) ease_items, train->n_cols);
  guint64 ease_nnz = 0;
  if (!skip_ease)
    {
      g_autofree guint64 *counts = scalr_csr_col_counts (train);
      g_autofree gint32 *col_of = g_new (gint32, train->n_cols);
      {
        /* Counts descending, ids ascending, by a histogram of the counts: every item above
         * the threshold count thr, then the lowest ids of count thr; columns keep id order. */
        guint64 maxc = 0;
        for (guint i = 0; i < train->n_cols; i++)
          maxc = MAX (maxc, counts[i]);
        g_autofree guint64 *hist = g_new0 (guint64, maxc + 2);
        for (guint i = 0; i < train->n_cols; i++)
          hist[counts[i]]++;
        guint64 above = 0, c = maxc + 1;
        while (c > 0 && above + hist[c - 1] < n_ease)
          above += hist[--c];
        guint64 thr = c > 0 ? c - 1 : 0, room = n_ease - above;
        guint next = 0;
        for (guint i = 0; i < train->n_cols; i++)
          {
            gboolean keep = counts[i] > thr;
            if (!keep && counts[i] == thr && room > 0)
              {
                keep = TRUE;
                room--;
              }
            col_of[i] = keep ? (gint32) next++ : -1;
          }
        g_assert (next == n_ease);
      }
      g_autoptr (ScalrCsr) xe = scalr_csr_new (train->n_rows, n_ease, train->nnz, FALSE);
      guint64 w = 0;
      for (guint u = 0; u < train->n_rows; u++)
        {
          for (guint64 e = train->indptr[u]; e < train->indptr[u + 1]; e++)
            if (col_of[train->indices[e]] >= 0)
              xe->indices[w++] = (guint32) col_of[train->indices[e]];
          xe->indptr[u + 1] = w;
        }
      xe->nnz = ease_nnz = w;
      ScalrEaseOptions eo = { .l2 = ease_l2, .max_items = n_ease, .dense_gram_min_len = 0, .dense_score_min_len = 0 };
      t0 = now ();
      gpointer ease = _scalr_ease_fit (xe, &eo, NULL, NULL, &error);
      t_ease = now () - t0;
      if (ease == NULL)
        die ("ease", error);
      guint ni;
      const float *B = _scalr_ease_get_weights (ease, &ni);
      ease_checksum = sum_abs (B, (gsize) MIN (100u, ni) * ni);
      scalr_ease_recommender.free_model (ease);
      g_print ("(b) ease fit (%u items, %" G_GUINT64_FORMAT " events, λ %g): %.2f s (Σ|B| over the first 100 rows %.6g)\n",
               n_ease, ease_nnz, ease_l2, t_ease, ease_checksum);
    }
  else
    g_print ("(b) ease: skipped\n");

  /* (c) evaluation. */
  guint n_eval = 0;
  g_autofree guint32 *eu = g_new (guint32, MIN ((guint) eval_users, train->n_rows));
  for (guint u = 0; u < train->n_rows && n_eval < (guint) eval_users; u++)
    if (test->indptr[u + 1] > test->indptr[u])
      eu[n_eval++] = u;
  guint I = train->n_cols;
  g_autofree float *recall = g_new (float, MAX (n_eval, 1));
  g_autofree float *ndcg = g_new (float, MAX (n_eval, 1));
  EvalJob job = { train, test, U, V, eu, n_eval, I, (guint) factors, (guint) k, (guint) batch, recall, ndcg, 0 };
  /* As scalr-eval.c: the parallel-for runs one BLAS thread inside each worker. */
  ScalrParallelOptions po = { .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC,
                              .thread_init = eval_worker_new, .thread_finish = eval_worker_free };
  t0 = now ();
  if (!scalr_parallel_for ((n_eval + batch - 1) / batch, eval_batches, &job, &po, &error))
    die ("eval", error);
  double t_eval = now () - t0;
  /* The GEMM part of the wall time: the threads' sgemm time over the thread count. */
  double t_gemm = job.gemm_s / threads;
  double mean_recall = 0, mean_ndcg = 0;
  for (guint r = 0; r < n_eval; r++)
    {
      mean_recall += recall[r];
      mean_ndcg += ndcg[r];
    }
  mean_recall /= MAX (n_eval, 1);
  mean_ndcg /= MAX (n_eval, 1);
  double gemm_gflops = 2.0 * n_eval * (double) I * factors / t_gemm / 1e9;

  /* (d) the peak. */
  double p2048 = sgemm_rate (2048, 2048, 2048, FALSE);
  double p4096 = sgemm_rate (4096, 4096, 4096, FALSE);
  double pshape = sgemm_rate ((gsize) batch, (gsize) factors, I, TRUE);
  double peak = MAX (MAX (p2048, p4096), pshape);
  g_print ("(c) eval of %u users at K=%d (batches of %d, %d workers × 1 BLAS thread): %.2f s = %.0f users/s; GEMM %.2f s "
           "(%.1f GFLOP/s), mask + top-K + metrics %.2f s; recall@%d %.4f, NDCG@%d %.4f\n",
           n_eval, k, batch, threads, t_eval, n_eval / t_eval, t_gemm, gemm_gflops, t_eval - t_gemm,
           k, mean_recall, k, mean_ndcg);
  g_print ("(d) sgemm peak (same run, %d threads): 2048³ %.1f, 4096³ %.1f, scoring shape %d×%d·(%u×%d)ᵀ %.1f "
           "GFLOP/s → peak %.1f; eval GEMM at %.2f of the peak\n", threads, p2048, p4096, batch, factors,
           I, factors, pshape, peak, gemm_gflops / peak);

  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
#define D(key, v) (json_builder_set_member_name (b, key), json_builder_add_double_value (b, v))
#define N(key, v) (json_builder_set_member_name (b, key), json_builder_add_int_value (b, v))
#define S(key, v) (json_builder_set_member_name (b, key), json_builder_add_string_value (b, v))
  S ("side", "C");
  S ("blas_core", blas_corename ());
  S ("openblas_coretype", ct ? ct : "");
  S ("openblas_l2_size", l2 ? l2 : "");
  N ("threads", threads);
  N ("users", train->n_rows);
  N ("items", train->n_cols);
  N ("train_nnz", (gint64) train->nnz);
  N ("test_nnz", (gint64) test->nnz);
  D ("gen_s", t_gen);
  N ("factors", factors);
  D ("ials_epoch_s", t_ials);
  D ("ials_users_s", t_users);
  D ("ials_items_s", t_items);
  D ("transpose_s", t_transpose);
  D ("ials_U_sum_abs", sum_abs (U, nU));
  D ("ials_V_sum_abs", sum_abs (V, nV));
  if (!skip_ease)
    {
      N ("ease_items", n_ease);
      N ("ease_nnz", (gint64) ease_nnz);
      D ("ease_l2", ease_l2);
      D ("ease_fit_s", t_ease);
      D ("ease_B_first100_sum_abs", ease_checksum);
    }
  N ("eval_users", n_eval);
  N ("k", k);
  N ("batch", batch);
  D ("eval_s", t_eval);
  D ("eval_users_per_s", n_eval / t_eval);
  D ("eval_gemm_s", t_gemm);
  D ("eval_gemm_gflops", gemm_gflops);
  D ("eval_rest_s", t_eval - t_gemm);
  D ("recall", mean_recall);
  D ("ndcg", mean_ndcg);
  D ("sgemm_2048_gflops", p2048);
  D ("sgemm_4096_gflops", p4096);
  D ("sgemm_shape_gflops", pshape);
  D ("sgemm_peak_gflops", peak);
  D ("eval_gemm_peak_fraction", gemm_gflops / peak);
#undef D
#undef N
#undef S
  json_builder_end_object (b);
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  g_autofree char *text = json_generator_to_data (gen, NULL);
  write_raw (data_dir, "c_figures.json", text, strlen (text));
  if (json)
    g_print ("%s\n", text);
  return 0;
}
