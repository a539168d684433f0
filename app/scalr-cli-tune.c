/* scalr-cli-tune.c — `scalr tune`: arguments, Ctrl+C as cancel, and printing; the search,
 * the selection and the stored run are core's (scalr-search.h). */
#include "config.h"

#include <glib-unix.h>
#include <math.h>
#include <signal.h>
#include <stdio.h>

#include "scalr-cli-common.h"
#include "scalr-search.h"

typedef struct {
  const char          *db;
  const ScalrTuneSpec *spec;
  guint                threads;
  ScalrProgress       *progress;
  GCancellable        *cancellable;
  gint64               run_id;
  GError              *error;
  gboolean             ok;
  GMainLoop           *loop;
} TuneJob;

static gpointer
tune_thread (gpointer data)
{
  TuneJob *job = data;
  job->ok = scalr_tune_run (job->db, job->spec, job->threads, cli_report_busy, job->progress, job->cancellable,
                            &job->run_id, &job->error);
  g_main_loop_quit (job->loop);
  return NULL;
}

static gboolean
on_interrupt (gpointer data)
{
  TuneJob *job = data;
  g_printerr ("\nscalr tune: cancelling …\n");
  g_cancellable_cancel (job->cancellable);
  return G_SOURCE_CONTINUE;
}

static double
number (JsonObject *o, const char *name)
{
  return o && json_object_has_member (o, name) && !json_object_get_null_member (o, name)
         ? json_object_get_double_member (o, name) : NAN;
}

/* Trials, the selection (validation next to test: the optimism of the search), wall time. */
void
cli_print_tuning (JsonObject *run)
{
  JsonObject *t = json_object_get_object_member (run, "tuning");
  JsonArray *trials = json_object_get_array_member (t, "trials");
  JsonObject *shared = json_object_get_object_member (t, "shared");
  g_print ("run %" G_GINT64_FORMAT ": tuned %s for %s users, %u trials in %.1f s (%s)\n",
           json_object_get_int_member (run, "run_id"), json_object_get_string_member (t, "objective"),
           json_object_get_string_member (t, "segment"), json_array_get_length (trials), number (t, "wall_seconds"),
           json_object_get_boolean_member (t, "default_space") ? "default space" : "[tune] space");
  g_print ("  shared: %" G_GINT64_FORMAT " generator fits, %" G_GINT64_FORMAT " sampler runs, %" G_GINT64_FORMAT
           " baseline and %" G_GINT64_FORMAT " augmented model fits\n",
           json_object_get_int_member (shared, "generator_fits"), json_object_get_int_member (shared, "sampler_runs"),
           json_object_get_int_member (shared, "baseline_fits"), json_object_get_int_member (shared, "augmented_fits"));
  g_print ("  the objective on validation and test users: at the base config (trial 0) and as selected; the search's gain\n"
           "  on validation next to its gain on test users is its optimism\n");
  g_print ("  %-8s %-9s %5s %9s %9s %9s %9s %9s %9s  params\n", "model", "variant", "trial", "def.val", "def.test", "sel.val",
           "sel.test", "gain val", "gain test");
  JsonObject *sel = json_object_get_object_member (t, "selected");
  g_autoptr (GList) models = json_object_get_members (sel);
  for (GList *l = models; l; l = l->next)
    {
      JsonObject *m = json_object_get_object_member (sel, l->data);
      const char *variants[] = { "baseline", "augmented" };
      for (guint v = 0; v < 2; v++)
        {
          JsonObject *s = json_object_get_object_member (m, variants[v]);
          g_autoptr (GString) params = g_string_new (NULL);
          JsonObject *p = json_object_has_member (s, "params") ? json_object_get_object_member (s, "params") : NULL;
          g_autoptr (GList) keys = p ? json_object_get_members (p) : NULL;
          for (GList *k = keys; k; k = k->next)
            g_string_append_printf (params, "%s%s=%s", params->len ? " " : "", (const char *) k->data,
                                    json_object_get_string_member (p, k->data));
          JsonObject *d = json_object_get_object_member (s, "default");
          double va = number (s, "validation"), te = number (s, "test");
          double dva = number (d, "validation"), dte = number (d, "test");
          g_print ("  %-8s %-9s %5" G_GINT64_FORMAT " %9.4f %9.4f %9.4f %9.4f %+8.1f%% %+8.1f%%  %s\n", (const char *) l->data,
                   variants[v], json_object_get_int_member (s, "trial"), dva, dte, va, te, 100 * (va / dva - 1),
                   100 * (te / dte - 1), params->str);
        }
    }
}

void
cli_print_replicates (JsonObject *run)
{
  JsonObject *r = json_object_get_object_member (run, "replicates");
  JsonArray *rows = json_object_get_array_member (r, "rows");
  g_print ("  replicates: %" G_GINT64_FORMAT " splits; recall@20 lift per model (mean ± sd over replicates, "
           "replicates whose CI is above / below 0)\n", json_object_get_int_member (r, "replicates"));
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      if (g_strcmp0 (json_object_get_string_member (row, "metric"), "recall") != 0
          || json_object_get_int_member (row, "k") != 20 || g_strcmp0 (json_object_get_string_member (row, "segment"), "all") == 0)
        continue;
      g_print ("    %-6s %-8s vs %-9s %+6.1f%% ± %4.1f  (CI above 0: %" G_GINT64_FORMAT ", below: %" G_GINT64_FORMAT
               ", of %" G_GINT64_FORMAT ")\n",
               json_object_get_string_member (row, "segment"), json_object_get_string_member (row, "model"),
               json_object_get_string_member (row, "reference"), 100 * number (row, "mean_lift"),
               100 * number (row, "sd_lift"), json_object_get_int_member (row, "ci_above_zero"),
               json_object_get_int_member (row, "ci_below_zero"), json_object_get_int_member (row, "defined"));
    }
}

int
cmd_tune (int argc, char **argv)
{
  g_autofree char *db = NULL, *config = NULL, *threads_text = NULL;
  g_auto (GStrv) sets = NULL;
  gboolean json = FALSE, yes = FALSE;
  int trials = 0, replicates = 0;
  guint threads = 0;
  double budget = 0;
  gint64 seed = -1;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Config file, optionally with a [tune] group (default: the built-in defaults)", "FILE" },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override one key of the base config (repeatable)", "GROUP.KEY=VALUE" },
    { "trials", 0, 0, G_OPTION_ARG_INT, &trials, "Trials (default: [tune] trials, 24)", "N" },
    { "time-budget", 0, 0, G_OPTION_ARG_DOUBLE, &budget, "Start no trial after S seconds", "S" },
    { "seed", 0, 0, G_OPTION_ARG_INT64, &seed, "Seed of the search (default: [tune] seed, 42)", "S" },
    { "replicates", 0, 0, G_OPTION_ARG_INT, &replicates, "Repeat the whole search on N splits (sets eval.replicates)", "N" },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &threads_text, CLI_THREADS_HELP, "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print {\"run_id\": N, \"tuning\": …}", NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Start even when the estimate is past the threshold (15 min or 2 GiB)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- choose settings on validation users, evaluate the choice once on test users");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "Seeded random search over [generator], [sampler] and [downstream] keys. Every downstream model's\n"
    "baseline and augmented variants get the same trials over the same model keys; generator and sampler\n"
    "keys matter only to augmented variants. Trials are scored on validation users; the selection is\n"
    "evaluated once on test users and stored as a run (scalr show RUN --json has \"tuning\").\n\n"
    "[tune] group (all optional):\n"
    "  objective = recall@20        segment = sparse        trials = 24        seed = 42\n"
    "  downstream.ials.reg = 0.01..100 log      downstream.ials.factors = 16,32,64\n"
    "Without dimensions the space is the tunable keys of 'scalr config' that apply.\n"
    "Ctrl+C cancels (a run already created is marked cancelled).\n");
  if (!cli_parse (ctx, &argc, &argv, "tune"))
    return EXIT_USAGE;
  if (argc > 1 || trials < 0 || budget < 0 || replicates < 0)
    {
      g_printerr ("scalr tune: unexpected argument '%s'\nTry 'scalr tune --help'.\n", argc > 1 ? argv[1] : "(a negative number)");
      return EXIT_USAGE;
    }
  if (!cli_threads ("tune", threads_text, &threads))
    return EXIT_USAGE;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrTuneSpec) spec = scalr_tune_spec_new_from_file (config, (const char *const *) sets, &error);
  if (spec == NULL)
    return cli_fail ("tune", error);
  scalr_tune_spec_set_trials (spec, (guint) trials);
  scalr_tune_spec_set_time_budget (spec, budget);
  if (seed >= 0)
    scalr_tune_spec_set_seed (spec, (guint64) seed);
  if (replicates > 0)
    {
      g_autofree char *v = g_strdup_printf ("%d", replicates);
      if (!scalr_config_set ((ScalrConfig *) scalr_tune_spec_get_config (spec), "eval", "replicates", v, &error))
        {
          g_printerr ("scalr tune: --replicates %d: %s\nTry 'scalr tune --help'.\n", replicates, error->message);
          return EXIT_USAGE;
        }
    }
  g_autofree char *path = db ? g_strdup (db) : scalr_store_default_path ();
  /* Each trial costs about a run without storing (shared stages make it less). */
  ScalrConfig *one[] = { (ScalrConfig *) scalr_tune_spec_get_config (spec), NULL };
  if (!cli_check_estimate ("tune", path, one, scalr_tune_spec_get_trials (spec), yes))
    return EXIT_USAGE;
  g_autoptr (ScalrProgress) progress = cli_progress_new ();
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  TuneJob job = { path, spec, threads, progress, cancellable, 0, NULL, FALSE, loop };
  guint sig = g_unix_signal_add (SIGINT, on_interrupt, &job);
  GThread *thread = g_thread_new ("scalr-tune", tune_thread, &job);
  g_main_loop_run (loop);
  g_thread_join (thread);
  g_source_remove (sig);
  cli_progress_done ();
  if (!job.ok)
    {
      if (job.run_id > 0)
        g_printerr ("scalr tune: run %" G_GINT64_FORMAT " %s\n", job.run_id,
                    g_error_matches (job.error, G_IO_ERROR, G_IO_ERROR_CANCELLED) ? "cancelled" : "failed");
      int rc = cli_fail ("tune", job.error);
      g_clear_error (&job.error);
      return rc;
    }
  g_autoptr (ScalrStore) store = cli_open_store (path, SCALR_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (JsonNode) node = cli_run_json (store, job.run_id, &error);
  if (node == NULL)
    return cli_fail ("tune", error);
  JsonObject *o = json_node_get_object (node);
  if (json)
    {
      /* {"run_id": N, "tuning": …, "replicates": …, "lifts": … } */
      cli_print_json (node);
      return EXIT_OK;
    }
  cli_print_tuning (o);
  if (json_object_has_member (o, "replicates"))
    cli_print_replicates (o);
  return EXIT_OK;
}
