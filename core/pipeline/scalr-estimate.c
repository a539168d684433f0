/* scalr-estimate.c — a cost model of one run: operation counts per stage at a measured-order
 * rate. Rough by design (within a factor of a few): its job is to tell minutes from days. */
#include "config.h"

#include "scalr-estimate.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"

/* Rates on this machine's two cores, from planted 20M (984k users, 453k ranked, 20,000 target
 * items, 4.86M training events) and planted 100M (4.9M users) end to end
 * (`bench/run-scale-bench.sh build-rel --np 1`, docs/SCALING.md): */
/* the hand-vectorised loops (iALS's CG: 7.2e11 of the flops below in 85 s for both fits) */
#define FLOPS_PER_SECOND 8e9
/* sgemm and LAPACK (EASE's 20,000³ in 53 s; scoring blocks of users) */
#define GEMM_FLOPS_PER_SECOND 1.5e11
/* BPR's scattered SGD updates (both fits' 2.4e11 flops below in 109 s) */
#define SGD_FLOPS_PER_SECOND 2.2e9
/* user × item scores masked and ranked (pop: 9.1e9 per variant in 4.6 s) */
#define RANKED_PER_SECOND 2e9
/* (score, label) pairs: Platt's fit on the validation pairs, NE and AUC of the test pairs */
#define PAIRS_PER_SECOND 5e7
/* the generator's scores of every target item for every validation user (its temperature
 * fit, with the cooc counts): 2.3e9 in 4.6 s at 20M, 1.2e10 in 7.2 s at 100M */
#define CALIBRATED_PER_SECOND 1e9
/* events loaded, split and stored (source and target; 2.1 s at 20M, 13.7 s at 100M) */
#define EVENTS_PER_SECOND 6e6
/* synthetic events drawn (0.5 s for 8.9M at 20M, 3.6 s for 43.5M at 100M) */
#define SAMPLED_PER_SECOND 1.5e7
/* Simple per-step work (bootstrap resamples) per second. */
#define STEPS_PER_SECOND 5e7

void
scalr_estimate_clear (ScalrEstimate *e)
{
  g_clear_pointer (&e->slowest, g_free);
  memset (e, 0, sizeof *e);
}

typedef struct {
  double best;
  char  *what;   /* owned */
} Slowest;

static double
note (Slowest *s, double seconds, char *what)
{
  if (seconds > s->best)
    {
      s->best = seconds;
      g_free (s->what);
      s->what = what;
    }
  else
    g_free (what);
  return seconds;
}

static double
get (const ScalrConfig *c, const char *group, const char *key)
{
  return (double) scalr_config_get_int (c, group, key);
}

/* One training of @model on @nnz events of @users × @items, and ranking every item for
 * the @ranked users who hold out events (test and validation users). */
static double
model_seconds (const ScalrConfig *c, const char *model, double users, double ranked, double items, double nnz,
               Slowest *s)
{
  double fit = 0, rank = ranked * items / RANKED_PER_SECOND;   /* scores masked and ranked */
  if (strcmp (model, "ials") == 0)
    {
      double k = get (c, "downstream", "ials.factors"), it = get (c, "downstream", "ials.iters");
      double cg = get (c, "downstream", "ials.cg_steps");
      fit = it * 2 * (nnz * k * (cg + 2) * 2 + (users + items) * k * k * (cg + 1) * 2) / FLOPS_PER_SECOND;
      rank += ranked * items * k * 2 / GEMM_FLOPS_PER_SECOND;
      note (s, fit + rank, g_strdup_printf ("ials (k = %.0f, %.0f iterations)", k, it));
    }
  else if (strcmp (model, "bpr") == 0)
    {
      double k = get (c, "downstream", "bpr.factors"), ep = get (c, "downstream", "bpr.epochs");
      fit = ep * nnz * k * 10 / SGD_FLOPS_PER_SECOND;
      rank += ranked * items * k * 2 / GEMM_FLOPS_PER_SECOND;
      note (s, fit + rank, g_strdup_printf ("bpr (k = %.0f, %.0f epochs)", k, ep));
    }
  else if (strcmp (model, "ease") == 0)
    {
      fit = items * items * items / GEMM_FLOPS_PER_SECOND + nnz * nnz / MAX (users, 1) / FLOPS_PER_SECOND;
      rank += nnz / MAX (users, 1) * ranked * items * 2 / FLOPS_PER_SECOND;
      note (s, fit + rank, g_strdup_printf ("ease (%.0f items)", items));
    }
  else if (strcmp (model, "itemknn") == 0)
    {
      double nb = MIN (get (c, "downstream", "itemknn.neighbors"), items);
      fit = 2 * nnz * nnz / MAX (users, 1) / FLOPS_PER_SECOND;
      rank += nnz / MAX (users, 1) * ranked * nb * 2 / FLOPS_PER_SECOND;
      note (s, fit + rank, g_strdup_printf ("itemknn (%.0f neighbours)", nb));
    }
  return fit + rank;
}

/* Stage 1: the generator and the synthetic events it leads to. */
static double
generator_seconds (const ScalrConfig *c, double users, double valid_users, double items, double nnz, double src_events,
                   double src_items, double *synthetic, Slowest *s)
{
  const char *gen = scalr_config_get (c, "generator", "model");
  double fit = 0;
  if (strcmp (gen, "ridge") == 0)
    {
      double j = MIN (get (c, "generator", "max_source_items"), src_items);
      fit = j * j * j / 3 + j * j * items + nnz * 64;
      note (s, fit / FLOPS_PER_SECOND, g_strdup_printf ("ridge (%.0f source items)", j));
    }
  else if (strcmp (gen, "embmap") == 0)
    {
      double k = get (c, "generator", "factors"), it = get (c, "generator", "als_iters");
      fit = it * 2 * ((nnz + src_events) * k * 5 * 2 + (2 * users + items + src_items) * k * k * 4 * 2);
      note (s, fit / FLOPS_PER_SECOND, g_strdup_printf ("embmap (k = %.0f, %.0f iterations)", k, it));
    }
  else if (strcmp (gen, "cooc") == 0)
    fit = src_events * nnz / MAX (users, 1) * 4;
  const char *strategy = scalr_config_get (c, "sampler", "strategy");
  if (strcmp (strategy, "per_event") == 0)
    *synthetic = src_events * get (c, "sampler", "samples_per_event");
  else if (strcmp (strategy, "per_user") == 0)
    *synthetic = src_events * scalr_config_get_double (c, "sampler", "user_ratio");
  else
    *synthetic = users * get (c, "sampler", "k");
  /* Scoring every target item for every user with source events, then drawing. */
  double score = strcmp (gen, "ridge") == 0 || strcmp (gen, "embmap") == 0 ? users * items * 64 : 0;
  return (fit + score) / FLOPS_PER_SECOND + valid_users * items / CALIBRATED_PER_SECOND
         + (src_events + nnz) / EVENTS_PER_SECOND + *synthetic / SAMPLED_PER_SECOND;
}

gboolean
scalr_estimate_run (ScalrStore *store, const ScalrConfig *c, guint n_runs, ScalrEstimate *out, GError **error)
{
  g_return_val_if_fail (store != NULL && c != NULL && out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  /* The two domains' sizes (loading the events costs a fraction of the run it guards). */
  g_autoptr (ScalrDataset) d = scalr_store_load_dataset (store, scalr_config_get (c, "dataset", "name"), NULL, error);
  if (d == NULL)
    return FALSE;
  ScalrDomainsOptions opt = SCALR_DOMAINS_OPTIONS_INIT;
  opt.threshold = scalr_config_get_double (c, "dataset", "implicit_threshold");
  opt.kcore = (guint) scalr_config_get_int (c, "dataset", "kcore");
  g_autoptr (ScalrDomains) dom = scalr_domains_new (d, scalr_config_get (c, "dataset", "source"),
                                                    scalr_config_get (c, "dataset", "target"), &opt, error);
  if (dom == NULL)
    return FALSE;
  const ScalrDomain *src = scalr_domains_get_source (dom), *tgt = scalr_domains_get_target (dom);
  double users = tgt->matrix->n_rows, items = tgt->n_items, nnz = (double) tgt->matrix->nnz;
  /* Who the split holds events out for (ranked by every model) and how many events. */
  guint64 min_events = (guint64) scalr_config_get_int (c, "split", "min_target_events");
  double test_fraction = scalr_config_get_double (c, "split", "test_fraction");
  double valid_share = scalr_config_get_double (c, "split", "valid_users");
  double held_share = test_fraction + scalr_config_get_double (c, "split", "valid_fraction");
  double ranked = 0, heldout = 0;
  for (guint u = 0; u < tgt->matrix->n_rows; u++)
    {
      guint64 len = scalr_csr_row_len (tgt->matrix, u);
      if (len >= min_events)
        ranked++, heldout += MAX (1.0, floor ((double) len * held_share));
    }
  double tested = ranked * (1 - valid_share);
  Slowest s = { 0, NULL };
  double synthetic = 0;
  double secs = generator_seconds (c, users, ranked * valid_share, items, nnz, (double) src->matrix->nnz, src->n_items,
                                   &synthetic, &s);
  guint64 bytes = (guint64) (synthetic * 20);   /* user, item, probability, weight, count */
  if (scalr_config_get_bool (c, "downstream", "enabled"))
    {
      g_auto (GStrv) models = scalr_config_get_list (c, "downstream", "models");
      g_auto (GStrv) variants = scalr_config_get_list (c, "downstream", "variants");
      g_auto (GStrv) ks = scalr_config_get_list (c, "eval", "k");
      guint n_var = g_strv_length (variants), n_models = g_strv_length (models), n_ks = g_strv_length (ks);
      double max_k = 0;
      for (guint k = 0; ks[k]; k++)
        max_k = MAX (max_k, g_ascii_strtod (ks[k], NULL));
      for (guint m = 0; models[m]; m++)
        for (guint v = 0; v < n_var; v++)
          secs += model_seconds (c, models[m], users, ranked, items, nnz + (v ? synthetic : 0), &s);
      double negatives = get (c, "eval", "negatives"), boot = get (c, "eval", "bootstrap");
      double pointwise = n_models * n_var * heldout * (1 + negatives);
      double lifts = n_models * 3.0 * (5.0 * n_ks + 3) * 2;
      /* The bootstrap: one Poisson weight per (resample, user), then one product of the
       * resamples × users weights with the users × vectors matrix of per-user values (a vector
       * per model, variant and metric column) — not a pass per lift row. */
      double columns = n_models * n_var * (5.0 * n_ks + 3);
      double bootstrap = boot * tested / STEPS_PER_SECOND + 2.0 * boot * tested * columns / (GEMM_FLOPS_PER_SECOND / 2);
      note (&s, bootstrap, g_strdup_printf ("the bootstrap (%.0f resamples)", boot));
      note (&s, pointwise / PAIRS_PER_SECOND, g_strdup_printf ("NE/AUC with %.0f negatives", negatives));
      secs += pointwise / PAIRS_PER_SECOND + bootstrap;
      /* Stored per model × variant and test user: the top-K items and scores, a user id and
       * a double per metric vector (5 ranking metrics per K, NE, AUC); the lift rows. */
      bytes += (guint64) (n_models * n_var * tested * (max_k * 8 + (5.0 * n_ks + 2) * 12 + 8) + lifts * 200);
    }
  bytes += 64 * 1024;   /* the run's row, config, diagnostics and artefacts */
  out->n_runs = MAX (n_runs, 1);
  /* Replicates repeat everything but storing. */
  out->seconds = secs * out->n_runs * (double) scalr_config_get_int (c, "eval", "replicates");
  out->store_bytes = bytes * out->n_runs;
  out->slowest = s.what;
  return TRUE;
}

gboolean
scalr_estimate_needs_confirmation (const ScalrEstimate *e)
{
  return e->seconds > SCALR_ESTIMATE_CONFIRM_SECONDS || e->store_bytes > SCALR_ESTIMATE_CONFIRM_BYTES;
}

static char *
format_duration (double s)
{
  if (s < 60)
    return g_strdup_printf ("%.0f s", MAX (s, 1));
  if (s < 3600)
    return g_strdup_printf ("%.0f min", s / 60);
  if (s < 86400 * 2)
    return g_strdup_printf ("%.0f h %.0f min", floor (s / 3600), fmod (s, 3600) / 60);
  return g_strdup_printf ("%.0f days", s / 86400);
}

char *
scalr_estimate_describe (const ScalrEstimate *e)
{
  g_autofree char *t = format_duration (e->seconds);
  g_autofree char *b = g_format_size (e->store_bytes);
  g_autofree char *runs = e->n_runs > 1 ? g_strdup_printf (" for %u runs", e->n_runs) : g_strdup ("");
  return g_strdup_printf ("about %s and %s in the store%s (most of the time: %s)", t, b, runs,
                          e->slowest ? e->slowest : "the engine");
}
