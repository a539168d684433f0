/* scalr-cli-export.c — `scalr export`: a run's synthetic events, split, top-K
 * recommendations, metrics, lifts and per-user metric vectors as TSV with original ids
 * (core/pipeline/scalr-export.c writes them; this parses the arguments and says what it
 * wrote). */
#include "config.h"

#include "scalr-cli-common.h"
#include "scalr-export.h"

typedef gboolean (*ExportFunc) (ScalrExport *export, const char *path, guint64 *n_rows, GError **error);

int
cmd_export (int argc, char **argv)
{
  g_autofree char *db = NULL, *synthetic = NULL, *split_dir = NULL, *recs = NULL, *metrics = NULL;
  g_autofree char *lifts = NULL, *per_user = NULL;
  GOptionEntry entries[] = {
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db, "Experiment store (default: the user data directory)", "DB" },
    { "synthetic", 0, 0, G_OPTION_ARG_FILENAME, &synthetic, "Write the synthetic events (TSV: user, item, probability, weight, count)", "FILE" },
    { "split", 0, 0, G_OPTION_ARG_FILENAME, &split_dir, "Write train/valid/test TSVs and the sparse users into DIR", "DIR" },
    { "recs", 0, 0, G_OPTION_ARG_FILENAME, &recs, "Write the top-K lists (TSV: user, variant, model, rank, item, score)", "FILE" },
    { "metrics", 0, 0, G_OPTION_ARG_FILENAME, &metrics, "Write the metrics (TSV: model, variant, segment, metric, k, value, n_users)", "FILE" },
    { "lifts", 0, 0, G_OPTION_ARG_FILENAME, &lifts, "Write the lifts against the own and the strongest baseline (TSV, or CSV for a .csv name; undefined values NA, the reason in note)", "FILE" },
    { "per-user", 0, 0, G_OPTION_ARG_FILENAME, &per_user, "Write the per-user metric vectors (TSV: user, segment, model, variant, metric, k, value)", "FILE" },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("RUN - export a run's data with the original ids");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse (ctx, &argc, &argv, "export"))
    return EXIT_USAGE;
  gint64 run_id;
  if (!cli_run_id_arg ("export", argc, argv, &run_id))
    return EXIT_USAGE;
  const struct { const char *path; ExportFunc func; const char *what; } files[] = {
    { synthetic, scalr_export_synthetic, "synthetic events" },
    { split_dir, scalr_export_split, "split events (train.tsv, valid.tsv, test.tsv and sparse_users.tsv)" },
    { metrics, scalr_export_metrics, "metrics" },
    { lifts, scalr_export_lifts, "lifts" },
    { recs, scalr_export_recs, "recommendations" },
    { per_user, scalr_export_per_user, "per-user values" },
  };
  gboolean any = FALSE;
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    any |= files[f].path != NULL;
  if (!any)
    {
      g_printerr ("scalr export: nothing to export; give --synthetic, --split, --recs, --metrics, --lifts or --per-user\n");
      return EXIT_USAGE;
    }
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrExport) export = scalr_export_open (store, run_id, &error);
  if (export == NULL)
    return cli_fail ("export", error);
  cli_note_unverified ("export", run_id, scalr_export_get_check (export)->has_checksum);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      guint64 n = 0;
      if (files[f].path == NULL)
        continue;
      if (!files[f].func (export, files[f].path, &n, &error))
        return cli_fail ("export", error);
      g_printerr ("wrote %s %s to %s\n", cli_count (n), files[f].what, cli_safe (files[f].path));
    }
  return EXIT_OK;
}
