/* scalr-cli-sweep.c — `scalr sweep`: parses the grid, runs it through core's sweep (one run
 * per point, sharing the split, the generator and the baseline models where they do not
 * change, stored as one group) and prints lift against the swept values. */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "scalr-cli-common.h"
#include "scalr-config.h"
#include "scalr-lift-table.h"
#include "scalr-pipeline.h"
#include "scalr-stats.h"
#include "scalr-sweep.h"

/* The start-up estimate: every point's config for a small grid, the base config for each
 * point of a large one. */
static gboolean
check_estimate (const char *path, ScalrConfig *base, const ScalrGrid *grid, gboolean yes)
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

/* The CI level stored with the first point's lifts (NAN when no point has any). */
static double
stored_level (ScalrStore *store, GPtrArray *points)
{
  for (guint r = 0; r < points->len; r++)
    {
      gint64 id = ((const ScalrSweepPoint *) g_ptr_array_index (points, r))->run_id;
      g_autoptr (GArray) lifts = id > 0 ? scalr_store_get_lifts (store, id, NULL) : NULL;
      if (lifts && lifts->len > 0)
        return g_array_index (lifts, ScalrLiftRow, 0).level;
    }
  return NAN;
}

static void
on_point (const ScalrSweepPoint *pt, guint64 n_points, gpointer data)
{
  int *status = data;
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
  g_autofree char *db = NULL, *config = NULL, *metric = NULL, *segment = NULL;
  g_auto (GStrv) grids = NULL, sets = NULL;
  gboolean json = FALSE, yes = FALSE;
  int k = 20, threads = 0;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "config", 'c', 0, G_OPTION_ARG_FILENAME, &config, "Base config (default: the built-in defaults)", "FILE" },
    { "set", 's', 0, G_OPTION_ARG_STRING_ARRAY, &sets, "Override one key of the base config (repeatable)", "GROUP.KEY=VALUE" },
    { "grid", 'g', 0, G_OPTION_ARG_STRING_ARRAY, &grids, "Values of one key (repeatable: the grid is their product; LIST keys separate values by ';')", "GROUP.KEY=V1,V2,…" },
    { "metric", 0, 0, G_OPTION_ARG_STRING, &metric, "Metric of the printed lifts (default recall)", "METRIC" },
    { "k", 0, 0, G_OPTION_ARG_INT, &k, "K of the printed lifts (default 20)", "K" },
    { "segment", 0, 0, G_OPTION_ARG_STRING, &segment, "Segment of the printed lifts: all, sparse, warm (default sparse)", "SEGMENT" },
    { "threads", 0, 0, G_OPTION_ARG_INT, &threads, "Sampler threads", "N" },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: one object per grid point with its run_id, values and lifts", NULL },
    { "yes", 'y', 0, G_OPTION_ARG_NONE, &yes, "Start even when the estimate is past the threshold (15 min or 2 GiB)", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- one run per grid point; lift against the swept values");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_option_context_set_description (ctx,
    "The paper's \"more synthetic data\" ablation:\n"
    "  scalr sweep --config data/movielens-comedy-drama.ini --grid sampler.samples_per_event=0,1,2,4,8\n"
    "Runs share the split, the fitted generator and the baseline models where their keys do not change.\n");
  if (!cli_parse (ctx, &argc, &argv, "sweep"))
    return EXIT_USAGE;
  if (grids == NULL || grids[0] == NULL || argc > 1)
    {
      g_printerr ("scalr sweep: expected at least one --grid GROUP.KEY=V1,V2,…\nTry 'scalr sweep --help'.\n");
      return EXIT_USAGE;
    }
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
  ScalrSweepOptions options = { .threads = (guint) MAX (threads, 0), .busy_func = cli_report_busy,
                                .point_func = on_point, .point_data = &status };
  g_autoptr (GPtrArray) points = scalr_sweep_run (path, base, grid, &options, progress, NULL, NULL, &error);
  cli_progress_done ();
  if (points == NULL)
    return cli_fail ("sweep", error);

  g_autoptr (ScalrStore) store = cli_open_store (path, SCALR_STORE_OPEN_DEFAULT);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  if (!json)
    {
      g_autofree char *ci = scalr_stats_ci_label (stored_level (store, points));
      g_print ("%s@%d lift, %s users, against the model's own baseline and the strongest baseline (%s, Holm p)\n",
               met, k, seg, ci);
    }
  guint n_axes = scalr_grid_get_n_axes (grid);
  for (guint r = 0; r < points->len; r++)
    {
      const ScalrSweepPoint *pt = g_ptr_array_index (points, r);
      gint64 run_id = pt->run_id;
      g_autoptr (GArray) lifts = run_id > 0 ? scalr_store_get_lifts (store, run_id, NULL) : NULL;
      g_autoptr (GString) values = g_string_new (NULL);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "run_id");
      json_builder_add_int_value (b, run_id);
      json_builder_set_member_name (b, "values");
      json_builder_begin_object (b);
      for (guint g = 0; g < n_axes; g++)
        {
          const char *key = strchr (pt->keys[g], '.') + 1;
          json_builder_set_member_name (b, key);
          json_builder_add_string_value (b, pt->values[g]);
          g_string_append_printf (values, "%s%s=%s", g ? " " : "", key, pt->values[g]);
        }
      json_builder_end_object (b);
      json_builder_set_member_name (b, "lifts");
      json_builder_begin_array (b);
      if (!json)
        g_print ("run %-4" G_GINT64_FORMAT " %s\n", run_id, values->str);
      for (guint i = 0; lifts && i < lifts->len; i++)
        {
          const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, i);
          if (g_strcmp0 (l->metric, met) != 0 || g_strcmp0 (l->segment, seg) != 0 || l->k != (guint) k
              || g_strcmp0 (l->reference, "own") != 0)
            continue;
          const ScalrLiftRow *best = scalr_lifts_find ((const ScalrLiftRow *) lifts->data, lifts->len, l->model, seg, met,
                                                       (guint) k, "strongest");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, l->model);
          /* The stored rows as they are: undefined numbers are null, with the reason in note. */
          const ScalrLiftRow *pair[2] = { l, best };
          const char *names[2] = { "own", "strongest" };
          for (guint q = 0; q < 2; q++)
            if (pair[q])
              {
                json_builder_set_member_name (b, names[q]);
                JsonNode *node = json_node_init_object (json_node_alloc (), cli_lift_json (pair[q]));
                json_builder_add_value (b, node);
              }
          json_builder_end_object (b);
          if (!json)
            g_print ("    %-8s own %s [%s, %s] p %s   vs best (%s) %s [%s, %s] p %s\n", l->model,
                     cli_format_number ("%+6.1f%%", 100 * l->lift), cli_format_number ("%+6.1f", 100 * l->ci_low),
                     cli_format_number ("%+6.1f", 100 * l->ci_high), cli_format_number ("%.3g", l->p_holm),
                     best ? best->baseline_model : "—", cli_format_number ("%+6.1f%%", best ? 100 * best->lift : NAN),
                     cli_format_number ("%+6.1f", best ? 100 * best->ci_low : NAN),
                     cli_format_number ("%+6.1f", best ? 100 * best->ci_high : NAN),
                     cli_format_number ("%.3g", best ? best->p_holm : NAN));
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  if (json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      cli_print_json (root);
    }
  return status;
}
