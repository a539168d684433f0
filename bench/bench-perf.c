/* bench-perf.c — the heavy stages on planted data, at 1 and N threads, with the matrices
 * written for the NumPy/SciPy reference (bench/reference_perf.py; bench/run-perf-bench.sh runs
 * both and prints the ratios):
 *
 *   bench-perf --events planted/events.tsv [--source domain:source --target domain:target]
 *              [--data-dir DIR] [--threads 2] [--reps 3] [--stage-reps 1] [--bpr-epochs 3]
 *              [--skip-ease] [--only PARTS]
 *
 * On the default split (SCALR_SPLIT_OPTIONS_INIT) of the imported events:
 *   (a) the co-occurrence counts C = SᵀT alone (_scalr_cooc_counts_new), best of --reps, at 1
 *       and N threads, checked identical;
 *   (b) the whole cooc fit (counts, weights, alias tables: the class's fit), best of --reps;
 *   (c) the generator stage as `scalr run` does it (scalr_generator_fit with temperature=auto:
 *       the fit and τ by maximum likelihood on 2,000 validation users), best of --stage-reps
 *       per thread count, τ checked identical;
 *   (d) BPR on the augmented matrix (real training events + the default sampler's synthetic
 *       events, as scalr-eval.c weighs them), 64 factors: setup (epochs = 0) and --bpr-epochs
 *       epochs, each the best of two, so an epoch is the difference over the epochs; the parallel schedule
 *       (bpr.blocks 16, lowered as the recommender does) at 1 and N threads (checked identical)
 *       and the sequential BPR (P = 1) on one thread;
 *   (e) EASE (λ 500) on the same matrix, every target item: the float path (auto) and the
 *       double path at N threads, max |B_float − B_double| / max |B_double|;
 *   (f) sgemm and dgemm at 2048³ on N threads (the peaks the float path trades on).
 * Data for the reference (little-endian): {source,train,valid,aug}_indptr.bin (int64),
 * *_indices.bin (int32), aug_values.bin (float32), valid_users.bin (int32: the τ fit's users,
 * ascending), meta.json; figures in c_figures.json. */
#include "config.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "generators/scalr-gen-cooc-private.h"
#include "recommenders/scalr-bpr-private.h"
#include "recommenders/scalr-recommenders-private.h"
#include "scalr-blas.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-generator-private.h"
#include "scalr-import.h"
#include "scalr-parallel.h"
#include "scalr-topk.h"
#include "scalr-registry.h"
#include "scalr-sampler.h"
#include "scalr-split.h"

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

/* CPU seconds of the whole process (all threads): for the one-thread runs, the figure that
 * other work on a shared machine disturbs least. */
static double
cpu_now (void)
{
  struct timespec ts;
  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &ts);
  return ts.tv_sec + ts.tv_nsec / 1e9;
}

G_GNUC_NORETURN static void
die (const char *what, const GError *error)
{
  g_printerr ("bench-perf: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* ---- output ------------------------------------------------------------------------------ */

static void
write_raw (const char *dir, const char *name, const void *data, gsize len)
{
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_file_set_contents (path, data, (gssize) len, &error))
    die ("write", error);
}

static void
write_csr (const char *dir, const char *prefix, const ScalrCsr *m)
{
  g_autofree char *ip = g_strconcat (prefix, "_indptr.bin", NULL);
  g_autofree char *ix = g_strconcat (prefix, "_indices.bin", NULL);
  write_raw (dir, ip, m->indptr, ((gsize) m->n_rows + 1) * sizeof (guint64));
  write_raw (dir, ix, m->indices, m->nnz * sizeof (guint32));
  if (m->values)
    {
      g_autofree char *iv = g_strconcat (prefix, "_values.bin", NULL);
      write_raw (dir, iv, m->values, m->nnz * sizeof (float));
    }
}

static JsonBuilder *figures;

static void
fig (const char *name, double value)
{
  json_builder_set_member_name (figures, name);
  json_builder_add_double_value (figures, value);
}

static void
fig_int (const char *name, gint64 value)
{
  json_builder_set_member_name (figures, name);
  json_builder_add_int_value (figures, value);
}

static void
write_json (const char *dir, const char *name, JsonBuilder *b)
{
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  g_autoptr (JsonGenerator) gen = json_generator_new ();
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  if (!json_generator_to_file (gen, path, &error))
    die ("write json", error);
}

/* ---- (a, b) cooc ----------------------------------------------------------------------------- */

static ScalrCoocCounts *
time_counts (ScalrSplit *split, guint threads, int reps, double *best, double *best_cpu)
{
  const ScalrCsr *S = scalr_split_get_source (split), *T = scalr_split_get_train (split);
  ScalrCoocCounts *keep = NULL;
  *best = *best_cpu = G_MAXDOUBLE;
  for (int r = 0; r < reps; r++)
    {
      g_autoptr (GError) error = NULL;
      double t0 = now (), c0 = cpu_now ();
      ScalrCoocCounts *c = _scalr_cooc_counts_new (S, T, threads, 36, NULL, &error);
      *best = MIN (*best, now () - t0);
      *best_cpu = MIN (*best_cpu, cpu_now () - c0);
      if (c == NULL)
        die ("cooc counts", error);
      if (keep)
        _scalr_cooc_counts_free (c);
      else
        keep = c;
    }
  return keep;
}

static gboolean
counts_equal (const ScalrCoocCounts *a, const ScalrCoocCounts *b)
{
  return a->nnz == b->nnz && memcmp (a->ptr, b->ptr, (a->n_rows + 1) * sizeof (guint64)) == 0
         && memcmp (a->idx, b->idx, a->nnz * 4) == 0 && memcmp (a->count, b->count, a->nnz * 4) == 0;
}

static double
time_cooc_fit (ScalrSplit *split, const ScalrConfig *c, guint threads, int reps, double *best_cpu)
{
  const ScalrGeneratorClass *k = scalr_generator_lookup ("cooc");
  double best = G_MAXDOUBLE;
  *best_cpu = G_MAXDOUBLE;
  guint before = scalr_parallel_push_threads (threads);
  for (int r = 0; r < reps; r++)
    {
      g_autoptr (GError) error = NULL;
      double t0 = now (), c0 = cpu_now ();
      gpointer model = k->fit (split, c, NULL, NULL, &error);
      best = MIN (best, now () - t0);
      *best_cpu = MIN (*best_cpu, cpu_now () - c0);
      if (model == NULL)
        die ("cooc fit", error);
      k->free_model (model);
    }
  scalr_parallel_pop_threads (before);
  return best;
}

/* The best of @reps fits; returns the last. */
static ScalrGenerator *
time_generator_stage (ScalrSplit *split, const ScalrConfig *c, guint threads, int reps, double *seconds)
{
  ScalrGenerator *g = NULL;
  *seconds = G_MAXDOUBLE;
  guint before = scalr_parallel_push_threads (threads);
  for (int r = 0; r < reps; r++)
    {
      g_autoptr (GError) error = NULL;
      g_clear_pointer (&g, scalr_generator_free);
      double t0 = now ();
      g = scalr_generator_fit (split, c, NULL, NULL, &error);
      *seconds = MIN (*seconds, now () - t0);
      if (g == NULL)
        die ("generator", error);
    }
  scalr_parallel_pop_threads (before);
  return g;
}

/* ---- (d) BPR ----------------------------------------------------------------------------- */

typedef struct {
  double setup, epoch;
  float *V;   /* item factors after the epochs, for the identity check */
} BprTime;

static BprTime
time_bpr (const ScalrCsr *m, guint blocks, guint threads, guint epochs)
{
  BprTime bt = { G_MAXDOUBLE, G_MAXDOUBLE, NULL };
  /* Setup alone (epochs = 0) and with the epochs, each the best of two. */
  for (guint pass = 0; pass < 4; pass++)
    {
      ScalrBprOptions o = SCALR_BPR_OPTIONS_INIT;
      o.epochs = pass < 2 ? 0 : epochs;
      o.blocks = blocks;
      o.n_threads = threads;
      o.seed = 42;
      g_autofree float *U = NULL, *V = NULL, *B = NULL;
      g_autoptr (GError) error = NULL;
      double t0 = now ();
      if (!_scalr_bpr_fit (m, &o, &U, &V, &B, NULL, NULL, &error))
        die ("bpr", error);
      double t = now () - t0;
      if (pass < 2)
        bt.setup = MIN (bt.setup, t);
      else
        {
          bt.epoch = MIN (bt.epoch, (t - bt.setup) / epochs);
          g_free (bt.V);
          bt.V = g_steal_pointer (&V);
        }
    }
  return bt;
}

/* ---- (e) EASE, (f) peaks -------------------------------------------------------------------- */

static gpointer
time_ease (const ScalrCsr *m, ScalrEasePrecision precision, double *seconds)
{
  ScalrEaseOptions o = { .l2 = 500, .max_items = 100000, .precision = precision };
  g_autoptr (GError) error = NULL;
  double t0 = now ();
  gpointer e = _scalr_ease_fit (m, &o, NULL, NULL, &error);
  *seconds = now () - t0;
  if (e == NULL)
    die ("ease", error);
  return e;
}

static double
gemm_rate (gboolean single, gsize n)
{
  gsize nn = n * n;
  double best = 0;
  if (single)
    {
      g_autofree float *a = g_new (float, nn), *c = g_new0 (float, nn);
      for (gsize x = 0; x < nn; x++)
        a[x] = (float) ((x * 2654435761u) % 1000) / 1000.0f;
      for (int r = 0; r < 3; r++)
        {
          double t0 = now ();
          scalr_sgemm (FALSE, FALSE, n, n, n, 1.0f, a, n, a, n, 0.0f, c, n, NULL);
          best = MAX (best, 2.0 * n * nn / (now () - t0) / 1e9);
        }
    }
  else
    {
      g_autofree double *a = g_new (double, nn), *c = g_new0 (double, nn);
      for (gsize x = 0; x < nn; x++)
        a[x] = (double) ((x * 2654435761u) % 1000) / 1000.0;
      for (int r = 0; r < 3; r++)
        {
          double t0 = now ();
          scalr_dgemm (FALSE, FALSE, n, n, n, 1.0, a, n, a, n, 0.0, c, n, NULL);
          best = MAX (best, 2.0 * n * nn / (now () - t0) / 1e9);
        }
    }
  return best;
}

/* ---- main ------------------------------------------------------------------------------- */

static ScalrSplit *
load_split (const char *events, const char *source, const char *target, ScalrDataset **d, ScalrDomains **dom)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, events, NULL);
  *d = scalr_import_dataset (o, NULL, NULL, &error);
  if (*d == NULL)
    die ("import", error);
  ScalrDomainsOptions dopt = SCALR_DOMAINS_OPTIONS_INIT;
  *dom = scalr_domains_new (*d, source, target, &dopt, &error);
  if (*dom == NULL)
    die ("domains", error);
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  ScalrSplit *split = scalr_split_new (*dom, &so, &error);
  if (split == NULL)
    die ("split", error);
  return split;
}

/* The augmented matrix of the default run: train + the default sampler's synthetic events. */
static ScalrCsr *
augmented_matrix (ScalrSplit *split, ScalrGenerator *gen, const ScalrConfig *c)
{
  g_autoptr (GError) error = NULL;
  ScalrSamplerOptions so;
  if (!scalr_sampler_options_from_config (c, &so, &error))
    die ("sampler options", error);
  g_autoptr (ScalrSyntheticEvents) syn = scalr_sampler_run (gen, split, &so, NULL, NULL, NULL, &error);
  if (syn == NULL)
    die ("sampler", error);
  return scalr_eval_weighted_matrix (split, syn, SCALR_VARIANT_AUGMENTED);
}

static void
run_cooc (ScalrSplit *split, const ScalrConfig *c, guint threads, int reps)
{
  double t1, tn, cpu1, cpun;
  g_autoptr (ScalrCoocCounts) c1 = time_counts (split, 1, reps, &t1, &cpu1);
  g_autoptr (ScalrCoocCounts) cn = time_counts (split, threads, reps, &tn, &cpun);
  gboolean same = counts_equal (c1, cn);
  guint64 total = 0;
  for (guint64 k = 0; k < c1->nnz; k++)
    total += c1->count[k];
  g_print ("(a) cooc counts C = SᵀT: %" G_GUINT64_FORMAT " pairs (Σ counts %" G_GUINT64_FORMAT "): 1 thread %.4f s "
           "(CPU %.4f s), %u threads %.4f s; identical: %s\n", c1->nnz, total, t1, cpu1, threads, tn, same ? "yes" : "NO");
  if (!same)
    exit (1);
  fig ("cooc_counts_1t_s", t1);
  fig ("cooc_counts_1t_cpu_s", cpu1);
  fig ("cooc_counts_nt_s", tn);
  fig_int ("cooc_nnz", (gint64) c1->nnz);
  fig_int ("cooc_count_sum", (gint64) total);
  double fcpu1, fcpun;
  double f1 = time_cooc_fit (split, c, 1, reps, &fcpu1), fn = time_cooc_fit (split, c, threads, reps, &fcpun);
  g_print ("(b) cooc fit (counts, weights, alias tables): 1 thread %.4f s (CPU %.4f s), %u threads %.4f s\n",
           f1, fcpu1, threads, fn);
  fig ("cooc_fit_1t_s", f1);
  fig ("cooc_fit_1t_cpu_s", fcpu1);
  fig ("cooc_fit_nt_s", fn);
}

/* (c): the generator stage at 1 and N threads; writes the matrices the reference needs. */
static ScalrGenerator *
run_generator (ScalrSplit *split, const ScalrConfig *c, guint threads, int reps, const char *data_dir)
{
  double g1, gn;
  g_autoptr (ScalrGenerator) gen1 = time_generator_stage (split, c, 1, reps, &g1);
  g_autoptr (ScalrGenerator) gen = time_generator_stage (split, c, threads, reps, &gn);
  gboolean same_tau = memcmp (&gen1->temperature, &gen->temperature, sizeof (double)) == 0;
  g_print ("(c) generator stage (cooc fit + τ on validation): 1 thread %.3f s, %u threads %.3f s; τ = %.6f "
           "(identical: %s), validation log-likelihood %.6f\n", g1, threads, gn, gen->temperature,
           same_tau ? "yes" : "NO", gen->valid_log_lik);
  if (!same_tau)
    exit (1);
  fig ("generator_1t_s", g1);
  fig ("generator_nt_s", gn);
  fig ("tau", gen->temperature);
  fig ("valid_log_lik", gen->valid_log_lik);
  g_autoptr (GArray) vu = _scalr_generator_validation_users (split, 2000);
  g_array_sort (vu, scalr_cmp_u32);   /* ascending, as the fit uses them */
  write_csr (data_dir, "source", scalr_split_get_source (split));
  write_csr (data_dir, "train", scalr_split_get_train (split));
  write_csr (data_dir, "valid", scalr_split_get_valid (split));
  write_raw (data_dir, "valid_users.bin", vu->data, vu->len * sizeof (guint32));
  return g_steal_pointer (&gen);
}

/* (d): BPR's parallel schedule at 1 and N threads (checked identical) and sequential BPR. */
static void
run_bpr (const ScalrCsr *aug, guint threads, guint epochs)
{
  guint P = _scalr_bpr_effective_blocks (aug, SCALR_BPR_DEFAULT_BLOCKS);
  BprTime b1 = time_bpr (aug, P, 1, epochs), bn = time_bpr (aug, P, threads, epochs);
  BprTime bs = time_bpr (aug, 1, 1, epochs);
  gboolean same = memcmp (b1.V, bn.V, (gsize) aug->n_cols * 64 * sizeof (float)) == 0;
  g_print ("(d) bpr on %u × %u, %" G_GUINT64_FORMAT " events, k 64: setup %.3f s; epoch: sequential %.3f s, "
           "%u blocks 1 thread %.3f s, %u threads %.3f s (identical: %s)\n", aug->n_rows, aug->n_cols, aug->nnz,
           bn.setup, bs.epoch, P, b1.epoch, threads, bn.epoch, same ? "yes" : "NO");
  if (!same)
    exit (1);
  fig_int ("aug_nnz", (gint64) aug->nnz);
  fig_int ("bpr_blocks", P);
  fig ("bpr_setup_s", bn.setup);
  fig ("bpr_epoch_seq_s", bs.epoch);
  fig ("bpr_epoch_blocks_1t_s", b1.epoch);
  fig ("bpr_epoch_nt_s", bn.epoch);
  g_free (b1.V);
  g_free (bn.V);
  g_free (bs.V);
}

/* (e): EASE, the float path (auto) and the double path, at N threads. */
static void
run_ease (const ScalrCsr *aug, guint threads)
{
  guint before = scalr_parallel_push_threads (threads);
  double tf, td, rcond, resid;
  gpointer ef = time_ease (aug, SCALR_EASE_PRECISION_AUTO, &tf);
  gpointer ed = time_ease (aug, SCALR_EASE_PRECISION_DOUBLE, &td);
  scalr_parallel_pop_threads (before);
  gboolean single = _scalr_ease_get_precision (ef, &rcond, &resid);
  guint ni;
  const float *Bf = _scalr_ease_get_weights (ef, &ni), *Bd = _scalr_ease_get_weights (ed, NULL);
  double bmax = 0, diff = 0, sum100 = 0;
  for (gsize k = 0; k < (gsize) ni * ni; k++)
    {
      bmax = MAX (bmax, fabs (Bd[k]));
      diff = MAX (diff, fabs ((double) Bf[k] - Bd[k]));
      if (k < (gsize) MIN (100u, ni) * ni)
        sum100 += fabs (Bd[k]);
    }
  g_print ("(e) ease on %u items, %u threads: %s path %.2f s (1/κ₁ ≈ %.3g, residual %.2g), double %.2f s; "
           "max |B_f − B_d| / max |B_d| = %.2g\n", ni, threads, single ? "float" : "double (fallback)", tf,
           rcond, resid, td, diff / bmax);
  fig ("ease_auto_s", tf);
  fig ("ease_double_s", td);
  fig ("ease_float_used", single);
  fig ("ease_rcond", rcond);
  fig ("ease_rel_diff", diff / bmax);
  fig ("ease_B_first100_sum_abs", sum100);
  fig_int ("ease_items", ni);
  scalr_ease_recommender.free_model (ef);
  scalr_ease_recommender.free_model (ed);
}

/* (f) */
static void
run_gemm (guint threads)
{
  guint before = scalr_parallel_push_threads (threads);
  double sg = gemm_rate (TRUE, 2048), dg = gemm_rate (FALSE, 2048);
  scalr_parallel_pop_threads (before);
  g_print ("(f) %u threads: sgemm 2048³ %.1f GFLOP/s, dgemm 2048³ %.1f GFLOP/s (ratio %.2f)\n", threads, sg, dg, sg / dg);
  fig ("sgemm_gflops", sg);
  fig ("dgemm_gflops", dg);
}

static void
write_meta (const char *data_dir, ScalrSplit *split, const ScalrConfig *c)
{
  const ScalrCsr *S = scalr_split_get_source (split), *T = scalr_split_get_train (split);
  g_autoptr (JsonBuilder) meta = json_builder_new ();
  json_builder_begin_object (meta);
  const char *names[] = { "users", "source_items", "target_items" };
  const guint values[] = { S->n_rows, S->n_cols, T->n_cols };
  for (guint k = 0; k < 3; k++)
    {
      json_builder_set_member_name (meta, names[k]);
      json_builder_add_int_value (meta, values[k]);
    }
  json_builder_set_member_name (meta, "smoothing");
  json_builder_add_double_value (meta, scalr_config_get_double (c, "generator", "smoothing"));
  json_builder_set_member_name (meta, "beta");
  json_builder_add_double_value (meta, scalr_config_get_double (c, "generator", "beta"));
  json_builder_end_object (meta);
  write_json (data_dir, "meta.json", meta);
}

int
main (int argc, char **argv)
{
  g_autofree char *events = NULL, *source = NULL, *target = NULL, *data_dir = NULL;
  int threads_arg = 2, reps = 3, stage_reps = 1, bpr_epochs = 3;
  gboolean skip_ease = FALSE;
  g_autofree char *only = NULL;
  GOptionEntry entries[] = {
    { "only", 0, 0, G_OPTION_ARG_STRING, &only, "Run only these parts (comma-separated: cooc,generator,bpr,ease,gemm; for profiling)", "LIST" },
    { "events", 0, 0, G_OPTION_ARG_FILENAME, &events, "Planted events file (with a domain column)", "FILE" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Source rule (default domain:source)", "RULE" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "Target rule (default domain:target)", "RULE" },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, "Where the matrices and figures go (default $BENCH_DIR/perf)", "DIR" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads_arg, "N: the multi-threaded runs (default 2)", "N" },
    { "reps", 0, 0, G_OPTION_ARG_INT, &reps, "Best of this many runs for the cooc build (default 3)", "N" },
    { "stage-reps", 0, 0, G_OPTION_ARG_INT, &stage_reps, "Best of this many generator stages (default 1)", "N" },
    { "bpr-epochs", 0, 0, G_OPTION_ARG_INT, &bpr_epochs, "BPR epochs timed (default 3)", "N" },
    { "skip-ease", 0, 0, G_OPTION_ARG_NONE, &skip_ease, "Skip EASE", NULL },
    { NULL }
  };
  setlocale (LC_ALL, "");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- the heavy stages at 1 and N threads");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || events == NULL || threads_arg < 1 || reps < 1 || stage_reps < 1 || bpr_epochs < 1)
    {
      g_printerr ("bench-perf: %s\n", error ? error->message : "--events FILE is required; counts are ≥ 1");
      return 2;
    }
  scalr_registry_init ();
  guint threads = (guint) threads_arg;
  if (data_dir == NULL)
    data_dir = g_build_filename (g_getenv ("BENCH_DIR") ? g_getenv ("BENCH_DIR") : g_get_tmp_dir (), "perf", NULL);
  g_mkdir_with_parents (data_dir, 0755);
  g_autoptr (ScalrDataset) d = NULL;
  g_autoptr (ScalrDomains) dom = NULL;
  ScalrSplit *split = load_split (events, source ? source : "domain:source", target ? target : "domain:target", &d, &dom);
  const ScalrCsr *S = scalr_split_get_source (split), *T = scalr_split_get_train (split);
  g_print ("data: %u users, %u source items, %u target items, %" G_GUINT64_FORMAT " source events, %" G_GUINT64_FORMAT
           " target training events\n", S->n_rows, S->n_cols, T->n_cols, S->nnz, T->nnz);
  figures = json_builder_new ();
  json_builder_begin_object (figures);
  fig_int ("threads", threads);
  fig_int ("users", S->n_rows);
  fig_int ("source_items", S->n_cols);
  fig_int ("target_items", T->n_cols);

  g_auto (GStrv) parts = only ? g_strsplit (only, ",", -1) : NULL;
#define WANT(part) (parts == NULL || g_strv_contains ((const char *const *) parts, part))
  g_autoptr (ScalrConfig) c = scalr_config_new ();   /* the defaults: cooc, τ auto, per_event K = 1 */
  if (WANT ("cooc"))
    run_cooc (split, c, threads, reps);
  if (parts && !WANT ("generator") && !WANT ("bpr") && !WANT ("ease") && !WANT ("gemm"))
    {
      scalr_split_free (split);
      return 0;
    }

  ScalrGenerator *gen = run_generator (split, c, threads, stage_reps, data_dir);
  g_autoptr (ScalrCsr) aug = augmented_matrix (split, gen, c);
  write_csr (data_dir, "aug", aug);
  scalr_generator_free (gen);
  if (WANT ("bpr"))
    run_bpr (aug, threads, (guint) bpr_epochs);
  if (WANT ("ease") && !skip_ease)
    run_ease (aug, threads);
  if (WANT ("gemm"))
    run_gemm (threads);
  json_builder_end_object (figures);
  write_json (data_dir, "c_figures.json", figures);
  g_clear_object (&figures);
  write_meta (data_dir, split, c);
  g_print ("data and figures: %s\n", data_dir);
  scalr_split_free (split);
  return 0;
}
