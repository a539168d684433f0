/* bench-engine.c — the SCALR engine at scale: cooc build (time, peak memory), synthetic
 * events sampled per second (1 and 2 threads), and ridge scoring throughput as a fraction
 * of this machine's sgemm peak, measured in the same run.
 *
 *   bench-engine --events planted/events.tsv [--source domain:source --target domain:target]
 *                [--ridge-items 2000] [--score-users 100000] [--json]
 *
 * The dataset is imported first (not timed here; bench-import measures it). */
#include "config.h"

#include "scalr-registry.h"

#include <locale.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <glib.h>
#include <json-glib/json-glib.h>

#include "scalr-blas.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-generator.h"
#include "scalr-import.h"
#include "scalr-pipeline.h"
#include "scalr-sampler.h"
#include "scalr-split.h"

static guint64
rss_field (const char *field)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents ("/proc/self/status", &text, NULL, NULL))
    return 0;
  const char *p = strstr (text, field);
  return p ? g_ascii_strtoull (p + strlen (field), NULL, 10) * 1024 : 0;
}

/* Resets the peak (VmHWM) so that the next phase's peak can be read alone. */
static void
reset_peak (void)
{
  g_file_set_contents ("/proc/self/clear_refs", "5", 1, NULL);
}

static double
now (void)
{
  return g_get_monotonic_time () / 1e6;
}

static void
die (const char *what, GError *error)
{
  g_printerr ("bench-engine: %s: %s\n", what, error ? error->message : "failed");
  exit (1);
}

/* Best of three dense m×k · k×n sgemms, in GFLOP/s. */
static double
sgemm_rate (gsize m, gsize k, gsize n)
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
      scalr_sgemm (FALSE, FALSE, m, n, k, 1.0f, a, k, b, n, 0.0f, c, n, NULL);
      double t = now () - t0;
      best = MAX (best, 2.0 * m * n * k / t / 1e9);
    }
  g_free (a);
  g_free (b);
  g_free (c);
  return best;
}

int
main (int argc, char **argv)
{
  scalr_registry_init ();
  g_autofree char *events = NULL, *source = NULL, *target = NULL;
  int ridge_items = 2000, score_users = 100000;
  gboolean json = FALSE;
  int sampler_reps = 3;
  gboolean no_ridge = FALSE;
  GOptionEntry entries[] = {
    { "sampler-reps", 0, 0, G_OPTION_ARG_INT, &sampler_reps, "Repeat each sampler run N times and report the best (default 3)", "N" },
    { "no-ridge", 0, 0, G_OPTION_ARG_NONE, &no_ridge, "Skip the ridge part (for profiling the sampler)", NULL },
    { "events", 0, 0, G_OPTION_ARG_FILENAME, &events, "Planted events file (with a domain column)", "FILE" },
    { "source", 0, 0, G_OPTION_ARG_STRING, &source, "Source rule (default domain:source)", "RULE" },
    { "target", 0, 0, G_OPTION_ARG_STRING, &target, "Target rule (default domain:target)", "RULE" },
    { "ridge-items", 0, 0, G_OPTION_ARG_INT, &ridge_items, "ridge: source items kept (default 2000)", "N" },
    { "score-users", 0, 0, G_OPTION_ARG_INT, &score_users, "ridge: users scored (default 100000)", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  setlocale (LC_ALL, "");
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- SCALR engine benchmark");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || events == NULL)
    {
      g_printerr ("bench-engine: %s\n", error ? error->message : "--events FILE is required");
      return 2;
    }
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  scalr_import_options_add_events (o, events, NULL);
  double t0 = now ();
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  if (d == NULL)
    die ("import", error);
  double t_import = now () - t0;
  ScalrDomainsOptions dopt = SCALR_DOMAINS_OPTIONS_INIT;
  g_autoptr (ScalrDomains) domains = scalr_domains_new (d, source ? source : "domain:source",
                                                        target ? target : "domain:target", &dopt, &error);
  if (domains == NULL)
    die ("domains", error);
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  g_autoptr (ScalrSplit) split = scalr_split_new (domains, &so, &error);
  if (split == NULL)
    die ("split", error);
  ScalrSplitCounts sc;
  scalr_split_get_counts (split, &sc);
  guint64 n_source = scalr_split_get_source (split)->nnz;
  g_print ("data: %u users, %u source items, %u target items, %" G_GUINT64_FORMAT " source events, "
           "%" G_GUINT64_FORMAT " target training events (import %.1f s)\n",
           scalr_split_get_n_users (split), scalr_split_get_n_source_items (split),
           scalr_split_get_n_target_items (split), n_source, sc.train_events, t_import);

  /* cooc build */
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  scalr_config_set (c, "generator", "model", "cooc", NULL);
  scalr_config_set (c, "generator", "temperature", "1", NULL);
  reset_peak ();
  guint64 rss0 = rss_field ("VmRSS:");
  t0 = now ();
  g_autoptr (ScalrGenerator) cooc = scalr_generator_fit (split, c, NULL, NULL, &error);
  double t_cooc = now () - t0;
  if (cooc == NULL)
    die ("cooc", error);
  guint64 cooc_peak = rss_field ("VmHWM:") - rss0;
  guint64 cooc_rss = rss_field ("VmRSS:") - rss0;
  g_print ("cooc build: %.2f s, peak +%.0f MiB, model %.0f MiB (%.1f B per source event)\n",
           t_cooc, cooc_peak / 1048576.0, cooc_rss / 1048576.0, (double) cooc_rss / n_source);

  /* sampling: per_event K=1, alias draws; one and two threads */
  ScalrSamplerOptions sopt;
  scalr_sampler_options_from_config (c, &sopt, NULL);
  double rates[2];
  for (guint t = 1; t <= 2; t++)
    {
      sopt.n_threads = t;
      ScalrSamplerReport rep;
      double dt = G_MAXDOUBLE;
      g_autoptr (ScalrSyntheticEvents) ev = NULL;
      for (int r = 0; r < MAX (sampler_reps, 1); r++)
        {
          g_clear_pointer (&ev, scalr_synthetic_events_free);
          t0 = now ();
          ev = scalr_sampler_run (cooc, split, &sopt, &rep, NULL, NULL, &error);
          dt = MIN (dt, now () - t0);
          if (ev == NULL)
            die ("sampler", error);
        }
      rates[t - 1] = rep.draws / dt;
      g_print ("sampler per_event K=1, %u thread%s: %" G_GUINT64_FORMAT " draws → %" G_GUINT64_FORMAT
               " pairs in %.2f s = %.2f M draws/s (%.2f M/s per thread)\n", t, t == 1 ? "" : "s",
               rep.draws, ev->n, dt, rates[t - 1] / 1e6, rates[t - 1] / 1e6 / t);
    }

  if (no_ridge)
    return 0;
  /* ridge: fit on a bounded number of source items, then score users in batches */
  scalr_config_set (c, "generator", "model", "ridge", NULL);
  g_autofree char *ri = g_strdup_printf ("%d", ridge_items);
  scalr_config_set (c, "generator", "max_source_items", ri, NULL);
  t0 = now ();
  g_autoptr (ScalrGenerator) ridge = scalr_generator_fit (split, c, NULL, NULL, &error);
  if (ridge == NULL)
    die ("ridge", error);
  double t_ridge = now () - t0;
  guint n_items = scalr_split_get_n_target_items (split);
  guint n_users = MIN ((guint) score_users, scalr_split_get_n_users (split));
  const guint batch = 1024;
  g_autofree float *out = g_new (float, (gsize) batch * n_items);
  g_autofree guint32 *users = g_new (guint32, batch);
  t0 = now ();
  for (guint s = 0; s < n_users; s += batch)
    {
      guint nb = MIN (batch, n_users - s);
      for (guint k = 0; k < nb; k++)
        users[k] = s + k;
      ridge->klass->score (ridge->model, users, nb, out);
    }
  double t_score = now () - t0;
  double flops = 2.0 * n_users * (double) ridge_items * n_items;
  double gflops = flops / t_score / 1e9;
  /* The peak: the best of square sgemms and of the scoring shape itself on dense
   * random data. */
  double peak = MAX (MAX (sgemm_rate (2048, 2048, 2048), sgemm_rate (4096, 4096, 4096)),
                     sgemm_rate (batch, (gsize) ridge_items, n_items));
  g_print ("ridge fit (%d source items × %u target items): %.2f s\n", ridge_items, n_items, t_ridge);
  g_print ("ridge scoring: %u users in %.2f s = %.0f users/s, %.1f GFLOP/s; sgemm peak (same run) "
           "%.1f GFLOP/s; ratio %.2f\n", n_users, t_score, n_users / t_score, gflops, peak, gflops / peak);
  if (json)
    {
      g_autoptr (JsonBuilder) b = json_builder_new ();
      json_builder_begin_object (b);
#define D(k, v) json_builder_set_member_name (b, k); json_builder_add_double_value (b, v)
      D ("cooc_build_s", t_cooc);
      D ("cooc_peak_mib", cooc_peak / 1048576.0);
      D ("sample_draws_per_s_1t", rates[0]);
      D ("sample_draws_per_s_2t", rates[1]);
      D ("ridge_fit_s", t_ridge);
      D ("ridge_score_gflops", gflops);
      D ("sgemm_peak_gflops", peak);
      D ("ridge_peak_ratio", gflops / peak);
#undef D
      json_builder_end_object (b);
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      g_autoptr (JsonGenerator) gen = json_generator_new ();
      json_generator_set_root (gen, root);
      g_autofree char *text = json_generator_to_data (gen, NULL);
      g_print ("%s\n", text);
    }
  g_clear_pointer (&split, scalr_split_free);
  return 0;
}
