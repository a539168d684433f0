/* scalr-cli-runs.c — `scalr run`, `scalr runs`, `scalr show`, `scalr export`. */
#include "config.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalr-cli-common.h"
#include "scalr-config.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-dist.h"
#include "scalr-pipeline.h"
#include "scalr-run-data.h"
#include "scalr-run-results.h"
#include "scalr-stats.h"

/* Builds the config from --config and --set. Prints the error, sets @status (1, or 2 for a
 * malformed --set) and returns NULL on failure. */
static ScalrConfig *
config_from_args (const char *cmd, const char *path, char **sets, int *status)
{
  g_autoptr (GError) error = NULL;
  ScalrConfig *c = path_config (path, sets, &error);
  if (c == NULL)
    *status = cli_fail (cmd, error);
  return c;
}

JsonNode *
cli_run_json (ScalrStore *store, gint64 run_id, GError **error)
{
  return scalr_run_to_json (store, run_id, error);
}

static const char *
format_p (double p, char *buf, gsize len)
{
  if (!isfinite (p))
    return "—";
  if (p < 0.001)
    g_snprintf (buf, len, "<0.001");
  else
    g_snprintf (buf, len, "%.3f", p);
  return buf;
}

/* The K of the metric tables: the core's headline K of the rows' cut-offs. */
static gint64
headline_k (JsonArray *metrics)
{
  g_autoptr (GArray) ks = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint k = 0; k < json_array_get_length (metrics); k++)
    {
      guint v = (guint) json_object_get_int_member (json_array_get_object_element (metrics, k), "k");
      g_array_append_val (ks, v);
    }
  guint k = scalr_headline_k ((const guint *) ks->data, ks->len);
  return k > 0 ? (gint64) k : -1;
}

static double
find_metric (JsonArray *metrics, const char *model, const char *variant, const char *segment,
             const char *metric, gint64 k)
{
  for (guint i = 0; i < json_array_get_length (metrics); i++)
    {
      JsonObject *m = json_array_get_object_element (metrics, i);
      if (json_object_get_int_member (m, "k") == k && g_strcmp0 (json_object_get_string_member (m, "model"), model) == 0
          && g_strcmp0 (json_object_get_string_member (m, "variant"), variant) == 0
          && g_strcmp0 (json_object_get_string_member (m, "segment"), segment) == 0
          && g_strcmp0 (json_object_get_string_member (m, "metric"), metric) == 0)
        return scalr_json_get_number (m, "value");
    }
  return NAN;
}

/* The evaluation's warnings (what the experiment cannot support), on stdout in the text
 * view or on stderr after a run. */
static void
print_warnings (JsonObject *o, gboolean to_stderr)
{
  JsonObject *down = json_object_has_member (o, "downstream") ? json_object_get_object_member (o, "downstream") : NULL;
  JsonArray *w = down && json_object_has_member (down, "warnings") ? json_object_get_array_member (down, "warnings") : NULL;
  for (guint k = 0; w && k < json_array_get_length (w); k++)
    {
      if (to_stderr)
        g_printerr ("scalr run: warning: %s\n", json_array_get_string_element (w, k));
      else
        g_print ("  warning: %s\n", json_array_get_string_element (w, k));
    }
}

/* The readable table: per segment, per model, baseline vs augmented at the headline K and
 * the lifts against the model's own and the strongest baseline. */
static void
print_eval_text (JsonObject *o)
{
  if (!json_object_has_member (o, "metrics"))
    return;
  JsonArray *metrics = json_object_get_array_member (o, "metrics");
  JsonArray *lifts = json_object_get_array_member (o, "lifts");
  if (json_array_get_length (metrics) == 0)
    return;
  gint64 k = headline_k (metrics);
  g_autoptr (GPtrArray) models = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (metrics); i++)
    {
      const char *m = json_object_get_string_member (json_array_get_object_element (metrics, i), "model");
      gboolean seen = FALSE;
      for (guint j = 0; j < models->len && !seen; j++)
        seen = g_strcmp0 (g_ptr_array_index (models, j), m) == 0;
      if (!seen)
        g_ptr_array_add (models, (gpointer) m);
    }
  const char *segments[] = { "all", "sparse", "warm" };
  const char *shown[] = { "recall", "ndcg" };
  /* The CI level as stored with the lifts. */
  double level = lifts && json_array_get_length (lifts) > 0
                 ? scalr_json_get_number (json_array_get_object_element (lifts, 0), "level") : NAN;
  g_autofree char *ci = scalr_stats_ci_label (level);
  for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
    {
      g_print ("\n  %s users — Recall@%" G_GINT64_FORMAT " and NDCG@%" G_GINT64_FORMAT ": baseline → augmented, lift [%s] p(t) p(Wilcoxon) p(Holm)\n",
               segments[s], k, k, ci);
      for (guint mi = 0; mi < G_N_ELEMENTS (shown); mi++)
        for (guint j = 0; j < models->len; j++)
          {
            const char *model = g_ptr_array_index (models, j);
            double base = find_metric (metrics, model, "baseline", segments[s], shown[mi], k);
            double aug = find_metric (metrics, model, "augmented", segments[s], shown[mi], k);
            g_print ("    %-9s %-6s %s → %s", model, shown[mi], cli_format_number ("%.4f", base),
                     cli_format_number ("%.4f", aug));
            g_autoptr (GString) notes = g_string_new (NULL);
            for (guint l = 0; lifts && l < json_array_get_length (lifts); l++)
              {
                JsonObject *x = json_array_get_object_element (lifts, l);
                if (json_object_get_int_member (x, "k") != k
                    || g_strcmp0 (json_object_get_string_member (x, "model"), model) != 0
                    || g_strcmp0 (json_object_get_string_member (x, "segment"), segments[s]) != 0
                    || g_strcmp0 (json_object_get_string_member (x, "metric"), shown[mi]) != 0)
                  continue;
                char b1[16], b2[16], b3[16];
                gboolean strongest = g_strcmp0 (json_object_get_string_member (x, "reference"), "strongest") == 0;
                gboolean also = json_object_get_boolean_member_with_default (x, "also_strongest", FALSE);
                g_print ("  %s%s %s [%s, %s] %s %s %s", strongest ? "vs best " : also ? "own = best " : "own ",
                         strongest ? json_object_get_string_member (x, "baseline_model") : "",
                         cli_format_number ("%+6.1f%%", 100 * scalr_json_get_number (x, "lift")),
                         cli_format_number ("%+.1f", 100 * scalr_json_get_number (x, "ci_low")),
                         cli_format_number ("%+.1f", 100 * scalr_json_get_number (x, "ci_high")),
                         format_p (scalr_json_get_number (x, "p_t"), b1, sizeof b1),
                         format_p (scalr_json_get_number (x, "p_wilcoxon"), b2, sizeof b2),
                         format_p (scalr_json_get_number (x, "p_holm"), b3, sizeof b3));
                const char *note = json_object_get_string_member_with_default (x, "note", NULL);
                if (note)
                  g_string_append_printf (notes, "      %s: %s\n", strongest ? "vs best" : "own", note);
              }
            g_print ("\n%s", notes->str);
          }
    }
  g_print ("\n  NE and AUC (all users, Platt-scaled on validation): ");
  for (guint j = 0; j < models->len; j++)
    {
      const char *model = g_ptr_array_index (models, j);
      g_print ("%s%s NE %s→%s AUC %s→%s", j ? "; " : "", model,
               cli_format_number ("%.4f", find_metric (metrics, model, "baseline", "all", "ne", 0)),
               cli_format_number ("%.4f", find_metric (metrics, model, "augmented", "all", "ne", 0)),
               cli_format_number ("%.4f", find_metric (metrics, model, "baseline", "all", "auc", 0)),
               cli_format_number ("%.4f", find_metric (metrics, model, "augmented", "all", "auc", 0)));
    }
  g_print ("\n");
  print_warnings (o, FALSE);
}

static gint64
member_int (JsonObject *o, const char *name)
{
  return o && json_object_has_member (o, name) ? json_object_get_int_member (o, name) : 0;
}

static void
print_run_text (JsonNode *node)
{
  JsonObject *o = json_node_get_object (node);
  g_print ("run %" G_GINT64_FORMAT "  %s  (dataset %s, %s)\n", member_int (o, "run_id"),
           json_object_get_string_member (o, "status"), cli_safe (json_object_get_string_member (o, "dataset")),
           json_object_get_string_member (o, "code_version"));
  const char *run_name = json_object_get_string_member (o, "name");
  if (run_name)
    g_print ("  name      %s\n", cli_safe (run_name));
  const char *err = json_object_get_string_member (o, "error");
  if (err)
    g_print ("  error: %s\n", cli_safe (err));
  if (g_strcmp0 (json_object_get_string_member (o, "status"), "finished") == 0)
    g_print ("  checksum  %s\n", g_strcmp0 (json_object_get_string_member (o, "checksum"), "verified") == 0
             ? "verified" : "none (stored before schema 6): cannot be verified");
  JsonObject *cfg = json_object_get_object_member (o, "config");
  JsonObject *gen = json_object_has_member (o, "generator") ? json_object_get_object_member (o, "generator") : NULL;
  if (cfg && json_object_has_member (cfg, "dataset"))
    {
      JsonObject *ds = json_object_get_object_member (cfg, "dataset");
      JsonObject *sm = json_object_get_object_member (cfg, "sampler");
      g_print ("  domains   %s → %s\n", cli_safe (json_object_get_string_member (ds, "source")),
               cli_safe (json_object_get_string_member (ds, "target")));
      g_print ("  sampler   %s, K=%s, ratio=%s, k=%s, λ=%s (%s), align=%s, targets=%s\n",
               json_object_get_string_member (sm, "strategy"), json_object_get_string_member (sm, "samples_per_event"),
               json_object_get_string_member (sm, "user_ratio"), json_object_get_string_member (sm, "k"),
               json_object_get_string_member (sm, "weight"), json_object_get_string_member (sm, "weight_mode"),
               json_object_get_string_member (sm, "align"), json_object_get_string_member (sm, "targets"));
    }
  if (gen)
    {
      double ll = scalr_json_get_number (gen, "valid_log_lik");
      g_autofree char *lls = isfinite (ll) ? g_strdup_printf ("%.4f", ll) : g_strdup ("undefined (no validation events)");
      const char *status = json_object_has_member (gen, "temperature_status")
                           ? json_object_get_string_member (gen, "temperature_status")
                           : json_object_get_boolean_member (gen, "temperature_fitted") ? "fitted" : "fixed";
      g_print ("  generator %s, τ = %.4g (%s), validation log-likelihood %s\n",
               json_object_get_string_member (gen, "model"), scalr_json_get_number (gen, "temperature"), status, lls);
    }
  JsonObject *smp = json_object_has_member (o, "sampler") ? json_object_get_object_member (o, "sampler") : NULL;
  if (smp && json_object_has_member (smp, "temperature_status"))
    {
      JsonObject *au = json_object_has_member (smp, "temperature_auto") ? json_object_get_object_member (smp, "temperature_auto") : NULL;
      g_autofree char *detail = au ? g_strdup_printf ("; best hit rate %.4f over %s validation users",
                                                      scalr_json_get_number (au, "best_hit_rate"),
                                                      cli_count ((guint64) member_int (au, "users"))) : g_strdup ("");
      g_print ("  sampler   τ = %.4g (%s%s)\n", scalr_json_get_number (smp, "temperature"),
               json_object_get_string_member (smp, "temperature_status"), detail);
    }
  JsonObject *sp = json_object_has_member (o, "split") ? json_object_get_object_member (o, "split") : NULL;
  if (sp)
    g_print ("  split     train %s, valid %s, test %s, dropped %s events; %s test users, %s validation users "
             "(%s sparse), %s sparse in all\n",
             cli_count ((guint64) member_int (sp, "train_events")), cli_count ((guint64) member_int (sp, "valid_events")),
             cli_count ((guint64) member_int (sp, "test_events")), cli_count ((guint64) member_int (sp, "dropped_events")),
             cli_count ((guint64) member_int (sp, "tested_users")), cli_count ((guint64) member_int (sp, "valid_users")),
             cli_count ((guint64) member_int (sp, "valid_sparse_users")), cli_count ((guint64) member_int (sp, "sparse_users")));
  JsonObject *sy = json_object_has_member (o, "synthetic") ? json_object_get_object_member (o, "synthetic") : NULL;
  if (sy)
    {
      g_print ("  synthetic %s events (%s draws) for %s users\n", cli_count ((guint64) member_int (sy, "events")),
               cli_count ((guint64) member_int (sy, "draws")), cli_count ((guint64) member_int (sy, "users")));
      g_print ("            coverage %.1f%% (real %.1f%%), Gini %.3f (real %.3f), JSD %.4f, bucket JSD %.4f\n",
               100 * scalr_json_get_number (sy, "coverage"), 100 * scalr_json_get_number (sy, "real_coverage"),
               scalr_json_get_number (sy, "gini"), scalr_json_get_number (sy, "real_gini"), scalr_json_get_number (sy, "jsd"),
               scalr_json_get_number (sy, "bucket_jsd"));
      const char *groups[] = { "all", "sparse" };
      for (guint g = 0; g < 2; g++)
        {
          JsonObject *m = json_object_has_member (sy, groups[g]) ? json_object_get_object_member (sy, groups[g]) : NULL;
          if (m)
            g_print ("            vs held-out test (%-6s users %5s): precision %.4f, recall %.4f, hit rate %.3f\n",
                     groups[g], cli_count ((guint64) member_int (m, "users")), scalr_json_get_number (m, "precision"),
                     scalr_json_get_number (m, "recall"), scalr_json_get_number (m, "hit_rate"));
        }
      JsonObject *cal = json_object_has_member (sy, "calibration") ? json_object_get_object_member (sy, "calibration") : NULL;
      if (cal && isfinite (scalr_json_get_number (cal, "ece")))
        g_print ("            calibration ECE %.3g (top %" G_GINT64_FORMAT " items of each validation user, equal-count bins)\n",
                 scalr_json_get_number (cal, "ece"), member_int (cal, "top_n"));
      else if (cal)
        g_print ("            calibration undefined (no validation events)\n");
    }
  if (json_object_has_member (o, "alignment"))
    {
      JsonObject *al = json_object_get_object_member (o, "alignment");
      g_print ("  alignment bucket JSD %.4f → %.4f; item JSD %.4f → %.4f\n", scalr_json_get_number (al, "bucket_jsd_before"),
               sy ? scalr_json_get_number (sy, "bucket_jsd") : NAN, scalr_json_get_number (al, "jsd_before"), scalr_json_get_number (al, "jsd_after"));
    }
  print_eval_text (o);
  if (json_object_has_member (o, "tuning"))
    cli_print_tuning (o);
  if (json_object_has_member (o, "replicates"))
    cli_print_replicates (o);
  if (json_object_has_member (o, "timings"))
    {
      JsonObject *t = json_object_get_object_member (o, "timings");
      g_autoptr (GList) members = json_object_get_members (t);
      g_print ("  timings  ");
      for (GList *l = members; l; l = l->next)
        g_print (" %s %.2fs", (char *) l->data, json_object_get_double_member (t, l->data));
      g_print ("\n");
    }
}

/* Prints run @run_id as JSON or as the readable view; the exit status. */
static int
print_run (ScalrStore *store, gint64 run_id, gboolean json, const char *command)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonNode) node = scalr_run_to_json (store, run_id, &error);
  if (node == NULL)
    return cli_fail (command, error);
  JsonObject *o = json_node_get_object (node);
  if (g_strcmp0 (json_object_get_string_member (o, "status"), "finished") == 0)
    cli_note_unverified (command, run_id,
                         g_strcmp0 (json_object_get_string_member (o, "checksum"), "verified") == 0);
  if (json)
    cli_print_json (node);
  else
    print_run_text (node);
  if (json && g_strcmp0 (command, "run") == 0)   /* the text view lists them itself */
    print_warnings (json_node_get_object (node), TRUE);
  return EXIT_OK;
}

int
cmd_run (int argc, char **argv)
{
  g_autofree char *db = NULL, *config = NULL, *name = NULL, *threads_text = NULL;
  g_auto (GStrv) sets = NULL;
  gboolean json = FALSE, yes = FALSE;
  guint threads = 0;
  int replicates = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Config file (default: the built-in defaults)", "FILE" },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override one key (repeatable)", "GROUP.KEY=VALUE" },
    { "name", 'n', 0, G_OPTION_ARG_STRING, &name, "A name for the run", "NAME" },
    { "replicates", 0, 0, G_OPTION_ARG_INT, &replicates, "Repeat on N splits from derived seeds (sets eval.replicates)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &threads_text, CLI_THREADS_HELP, "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print the run as JSON (run_id at the top level)", NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Start even when the estimate is past the threshold (15 min or 2 GiB)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- run SCALR: split, generate, sample, diagnose, store");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Examples:\n"
    "  scalr run --config data/movielens-comedy-drama.ini\n"
    "  scalr run --set generator.model=ridge --set sampler.strategy=per_user\n"
    "Keys, defaults and ranges: scalr config\n");
  if (!cli_parse (ctx, &argc, &argv, "run"))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr ("scalr run: unexpected argument '%s'\nTry 'scalr run --help'.\n", argv[1]);
      return EXIT_USAGE;
    }
  if (!cli_threads ("run", threads_text, &threads))
    return EXIT_USAGE;
  int status = EXIT_ERROR;
  g_autoptr (ScalrConfig) c = config_from_args ("run", config, sets, &status);
  if (c == NULL)
    return status;
  if (replicates != 0)
    {
      g_autofree char *v = g_strdup_printf ("%d", replicates);
      g_autoptr (GError) rerr = NULL;
      if (!scalr_config_set (c, "eval", "replicates", v, &rerr))
        {
          g_printerr ("scalr run: --replicates %d: %s\nTry 'scalr run --help'.\n", replicates, rerr->message);
          return EXIT_USAGE;
        }
    }
  g_autofree char *path = db ? g_strdup (db) : scalr_store_default_path ();
  ScalrConfig *one[] = { c, NULL };
  if (!cli_check_estimate ("run", path, one, 1, yes))
    return EXIT_USAGE;
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (path, c, name);
  scalr_pipeline_set_threads (p, threads);
  scalr_pipeline_set_busy_func (p, cli_report_busy, NULL);
  g_autoptr (ScalrProgress) progress = cli_progress_new ();
  g_autoptr (GError) error = NULL;
  gint64 run_id = 0;
  gboolean ok = scalr_pipeline_run (p, progress, NULL, &run_id, &error);
  cli_progress_done ();
  if (!scalr_dist_is_root ())   /* under mpirun rank 0 prints */
    return ok ? EXIT_OK : EXIT_ERROR;
  if (!ok)
    {
      if (run_id > 0)
        g_printerr ("scalr run: run %" G_GINT64_FORMAT " failed\n", run_id);
      return cli_fail ("run", error);
    }
  g_autoptr (ScalrStore) store = cli_open_store (path, SCALR_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return EXIT_ERROR;
  return print_run (store, run_id, json, "run");
}

int
cmd_show (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE, config_only = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: run_id, status, config, split, generator, sampler, synthetic …", NULL },
    { "config", 0, 0, G_OPTION_ARG_NONE, &config_only, "Print only the resolved config (a reusable config file)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN - show a run: config, split, synthetic events and diagnostics");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse (ctx, &argc, &argv, "show"))
    return EXIT_USAGE;
  gint64 run_id;
  if (!cli_run_id_arg ("show", argc, argv, &run_id))
    return EXIT_USAGE;
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  if (config_only)
    {
      g_autoptr (ScalrRunInfo) r = scalr_store_load_run (store, run_id, &error);
      if (r == NULL)
        return cli_fail ("show", error);
      g_print ("%s", r->config);
      return EXIT_OK;
    }
  return print_run (store, run_id, json, "show");
}

int
cmd_runs (int argc, char **argv)
{
  g_autofree char *db = NULL;
  gboolean json = FALSE;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- list the runs in the store");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse (ctx, &argc, &argv, "runs"))
    return EXIT_USAGE;
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (store, &error);
  if (runs == NULL)
    return cli_fail ("runs", error);
  if (json)
    {
      g_autoptr (JsonArray) arr = json_array_new ();
      for (guint k = 0; k < runs->len; k++)
        json_array_add_object_element (arr, scalr_run_info_to_json (g_ptr_array_index (runs, k)));
      g_autoptr (JsonNode) root = json_node_new (JSON_NODE_ARRAY);
      json_node_set_array (root, arr);
      cli_print_json (root);
      return EXIT_OK;
    }
  if (runs->len == 0)
    {
      g_print ("no runs in %s; start one with: scalr run --config data/movielens-comedy-drama.ini\n",
               scalr_store_get_path (store));
      return EXIT_OK;
    }
  g_print ("%-5s %-12s %-20s %-20s %s\n", "run", "status", "dataset", "created", "name");
  for (guint k = 0; k < runs->len; k++)
    {
      ScalrRunInfo *r = g_ptr_array_index (runs, k);
      g_print ("%-5" G_GINT64_FORMAT " %-12s %-20s %-20.19s %s\n", r->id, scalr_run_status_to_string (r->status),
               cli_safe (r->dataset), r->created_at, cli_safe (r->name));
    }
  return EXIT_OK;
}

