/* scalr-cli-sweep.c — `scalr sweep`: arguments and printing; the grid, the runs (stored as
 * one group) and the collected lifts are core's (scalr-search.h). */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalr-cli-common.h"
#include "scalr-config.h"
#include "scalr-search.h"
#include "scalr-dist.h"
#include "scalr-stats.h"

static double
member_number (JsonObject *o, const char *name)
{
  return o && json_object_has_member (o, name) && !json_object_get_null_member (o, name)
         ? json_object_get_double_member (o, name) : NAN;
}

/* The text table of scalr_sweep_results_json. */
static void
print_text (JsonNode *root, const char *metric, int k, const char *segment)
{
  JsonArray *points = json_node_get_array (root);
  /* The CI's level as stored with the rows. */
  double level = NAN;
  for (guint r = 0; r < json_array_get_length (points) && isnan (level); r++)
    {
      JsonArray *lifts = json_object_get_array_member (json_array_get_object_element (points, r), "lifts");
      if (json_array_get_length (lifts) > 0)
        level = member_number (json_object_get_object_member (json_array_get_object_element (lifts, 0), "own"), "level");
    }
  g_autofree char *ci = scalr_stats_ci_label (level);
  g_print ("%s@%d lift, %s users, against the model's own baseline and the strongest baseline (%s, Holm p)\n",
           metric, k, segment, ci);
  for (guint r = 0; r < json_array_get_length (points); r++)
    {
      JsonObject *pt = json_array_get_object_element (points, r);
      JsonObject *values = json_object_get_object_member (pt, "values");
      g_autoptr (GString) v = g_string_new (NULL);
      g_autoptr (GList) keys = json_object_get_members (values);
      for (GList *l = keys; l; l = l->next)
        g_string_append_printf (v, "%s%s=%s", v->len ? " " : "", (const char *) l->data,
                                json_object_get_string_member (values, l->data));
      g_print ("run %-4" G_GINT64_FORMAT " %s%s%s\n", json_object_get_int_member (pt, "run_id"), v->str,
               json_object_has_member (pt, "error") ? "  failed: " : "",
               json_object_has_member (pt, "error") ? json_object_get_string_member (pt, "error") : "");
      JsonArray *lifts = json_object_get_array_member (pt, "lifts");
      for (guint i = 0; i < json_array_get_length (lifts); i++)
        {
          JsonObject *l = json_array_get_object_element (lifts, i);
          JsonObject *own = json_object_get_object_member (l, "own");
          JsonObject *best = json_object_has_member (l, "strongest") ? json_object_get_object_member (l, "strongest") : NULL;
          g_print ("    %-8s own %s [%s, %s] p %s   vs best (%s) %s [%s, %s] p %s\n",
                   json_object_get_string_member (l, "model"),
                   cli_format_number ("%+6.1f%%", 100 * member_number (own, "lift")),
                   cli_format_number ("%+6.1f", 100 * member_number (own, "ci_low")),
                   cli_format_number ("%+6.1f", 100 * member_number (own, "ci_high")),
                   cli_format_number ("%.3g", member_number (own, "p_holm")),
                   best ? json_object_get_string_member (best, "baseline_model") : "—",
                   cli_format_number ("%+6.1f%%", 100 * member_number (best, "lift")),
                   cli_format_number ("%+6.1f", 100 * member_number (best, "ci_low")),
                   cli_format_number ("%+6.1f", 100 * member_number (best, "ci_high")),
                   cli_format_number ("%.3g", member_number (best, "p_holm")));
        }
    }
}

/* The start-up estimate: every point's config for a small grid, the base config for each
 * point of a large one. */
static gboolean
check_estimate (const char *path, const ScalrConfig *base, const ScalrGrid *grid, gboolean yes)
{
  guint64 points = scalr_grid_get_n_points (grid);
  g_autoptr (GPtrArray) configs = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_config_free);
  for (guint64 pt = 0; pt < points && points <= 256; pt++)
    g_ptr_array_add (configs, scalr_grid_dup_point_config (grid, base, pt));
  if (configs->len == 0)
    g_ptr_array_add (configs, scalr_config_copy (base));
  g_ptr_array_add (configs, NULL);
  gboolean ok = cli_check_estimate ("sweep", path, (ScalrConfig *const *) configs->pdata, (guint) points, yes);
  g_ptr_array_set_size (configs, configs->len - 1);
  return ok;
}

/* After each point: which run it made, and why it failed. */
static void
on_point (const ScalrSweepPoint *pt, guint64 n_points, gpointer data)
{
  int *status = data;
  if (!scalr_dist_is_root ())
    return;
  cli_progress_done ();
  g_autofree char *values = g_strjoinv (" ", pt->values);
  g_printerr ("scalr sweep: point %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " (%s): run %" G_GINT64_FORMAT "\n",
              pt->index + 1, n_points, values, pt->run_id);
  if (pt->error)
    {
      g_printerr ("scalr sweep: run %" G_GINT64_FORMAT " failed: %s\n", pt->run_id, pt->error);
      *status = EXIT_ERROR;
    }
}

int
cmd_sweep (int argc, char **argv)
{
  g_autofree char *db = NULL, *config = NULL, *metric = NULL, *segment = NULL, *threads_text = NULL;
  g_auto (GStrv) grids = NULL, sets = NULL;
  gboolean json = FALSE, yes = FALSE;
  int k = 20;
  guint threads = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Base config (default: the built-in defaults)", "FILE" },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override one key of the base config (repeatable)", "GROUP.KEY=VALUE" },
    { "grid", 'g', 0, G_OPTION_ARG_STRING_ARRAY, &grids, "Values of one key (repeatable: the grid is their product; LIST keys separate values by ';')", "GROUP.KEY=V1,V2,…" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric, "Metric of the printed lifts (default recall)", "METRIC" },
    { "k", 0, 0, G_OPTION_ARG_INT, &k, "K of the printed lifts (default 20)", "K" },
    { "segment", 0, 0, G_OPTION_ARG_STRING, &segment, "Segment of the printed lifts: all, sparse, warm (default sparse)", "SEGMENT" },
    { "threads", 0, 0, G_OPTION_ARG_STRING, &threads_text, CLI_THREADS_HELP, "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: one object per grid point with its run_id, values and lifts", NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Start even when the estimate is past the threshold (15 min or 2 GiB)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- one run per grid point; lift against the swept values");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "The paper's \"more synthetic data\" ablation:\n"
    "  scalr sweep --config data/movielens-comedy-drama.ini --grid sampler.samples_per_event=0,1,2,4,8\n"
    "Runs share the split, the fitted generator and the baseline models where their keys do not change.\n"
    "A sweep reports every point on the test users: to choose settings, use scalr tune (validation users).\n");
  if (!cli_parse (ctx, &argc, &argv, "sweep"))
    return EXIT_USAGE;
  if (grids == NULL || grids[0] == NULL || argc > 1)
    {
      g_printerr ("scalr sweep: expected at least one --grid GROUP.KEY=V1,V2,…\nTry 'scalr sweep --help'.\n");
      return EXIT_USAGE;
    }
  if (!cli_threads ("sweep", threads_text, &threads))
    return EXIT_USAGE;
  const char *met = metric ? metric : "recall", *seg = segment ? segment : "sparse";
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) base = path_config (config, sets, &error);
  if (base == NULL)
    return cli_fail ("sweep", error);
  g_autoptr (ScalrGrid) grid = scalr_grid_new ((const char *const *) grids, &error);
  if (grid == NULL)
    return cli_fail ("sweep", error);

  g_autofree char *path = db ? g_strdup (db) : scalr_store_default_path ();
  if (!check_estimate (path, base, grid, yes))
    return EXIT_USAGE;
  g_autoptr (ScalrProgress) progress = cli_progress_new ();
  int status = EXIT_OK;
  ScalrSweepOptions options = { .threads = threads, .busy_func = cli_report_busy,
                                .point_func = on_point, .point_data = &status };
  gint64 group_id = 0;
  g_autoptr (GPtrArray) points = scalr_sweep_run (path, base, grid, &options, progress, NULL, &group_id, &error);
  cli_progress_done ();
  if (points == NULL)
    return cli_fail ("sweep", error);
  if (scalr_dist_is_root ())
    g_printerr ("scalr sweep: the runs are group %" G_GINT64_FORMAT " of the store\n", group_id);

  if (!scalr_dist_is_root ())   /* under mpirun rank 0 prints */
    return status;
  g_autoptr (ScalrStore) store = cli_open_store (path, SCALR_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (JsonNode) root = scalr_sweep_results_json (store, points, met, (guint) k, seg, &error);
  if (root == NULL)
    return cli_fail ("sweep", error);
  if (json)
    cli_print_json (root);
  else
    print_text (root, met, k, seg);
  return status;
}
