/* scalr-cli-export.c — `scalr export`: a run's synthetic events, split, top-K
 * recommendations, metrics, lifts and per-user metric vectors as TSV with original ids. */
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
#include "scalr-output.h"
#include "scalr-lift-table.h"
#include "scalr-pipeline.h"

static gboolean
write_file (const char *path, GString *s, GError **error)
{
  return scalr_output_write_file (path, s->str, s->len, error);
}

/* Tab and newline cannot appear inside a TSV field: they become spaces. */
static void
append_field (GString *s, const char *text)
{
  for (const char *p = text; *p; p++)
    g_string_append_c (s, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static gboolean
write_metrics (ScalrStore *store, gint64 run_id, const char *path, GError **error)
{
  g_autoptr (GArray) rows = scalr_store_get_metrics (store, run_id, error);
  if (rows == NULL)
    return FALSE;
  g_autoptr (GString) s = g_string_new ("model\tvariant\tsegment\tmetric\tk\tvalue\tn_users\n");
  for (guint k = 0; k < rows->len; k++)
    {
      const ScalrMetricRow *m = &g_array_index (rows, ScalrMetricRow, k);
      g_string_append_printf (s, "%s\t%s\t%s\t%s\t%u\t", m->model, m->variant, m->segment, m->metric, m->k);
      cli_append_number (s, m->value);
      g_string_append_printf (s, "\t%u\n", m->n_users);
    }
  if (!write_file (path, s, error))
    return FALSE;
  g_printerr ("wrote %u metrics to %s\n", rows->len, path);
  return TRUE;
}

static gboolean
write_lifts (ScalrStore *store, gint64 run_id, const char *path, GError **error)
{
  g_autoptr (GArray) rows = scalr_store_get_lifts (store, run_id, error);
  if (rows == NULL)
    return FALSE;
  g_autofree char *text = scalr_lift_table_to_text ((const ScalrLiftRow *) rows->data, rows->len,
                                                    scalr_table_format_for_path (path));
  if (!scalr_output_write_file (path, text, strlen (text), error))
    return FALSE;
  g_printerr ("wrote %u lifts to %s\n", rows->len, path);
  return TRUE;
}

typedef struct {
  GString       *s;
  ScalrIdMap    *users, *items;
  const ScalrId *target_items;   /* target-local → dataset item */
  guint64        rows;
} RecsCtx;

static void
write_recs_cb (const char *model, const char *variant, guint max_k, const guint32 *users, guint n_users,
               const guint32 *items, const float *scores, gpointer data)
{
  RecsCtx *ctx = data;
  for (guint u = 0; u < n_users; u++)
    for (guint r = 0; r < max_k; r++)
      {
        guint32 item = items[(gsize) u * max_k + r];
        if (item == G_MAXUINT32)
          break;
        append_field (ctx->s, scalr_id_map_get_name (ctx->users, users[u]));
        g_string_append_printf (ctx->s, "\t%s\t%s\t%u\t", variant, model, r + 1);
        append_field (ctx->s, scalr_id_map_get_name (ctx->items, ctx->target_items[item]));
        g_string_append_printf (ctx->s, "\t%.6g\n", scores[(gsize) u * max_k + r]);
        ctx->rows++;
      }
}

typedef struct {
  GString      *s;
  ScalrIdMap   *users;
  const guint8 *flags;
  guint64       rows;
} PerUserCtx;

static void
write_per_user_cb (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
                   const double *values, guint n, gpointer data)
{
  PerUserCtx *ctx = data;
  for (guint i = 0; i < n; i++)
    {
      append_field (ctx->s, scalr_id_map_get_name (ctx->users, users[i]));
      g_string_append_printf (ctx->s, "\t%s\t%s\t%s\t%s\t%u\t", (ctx->flags[users[i]] & SCALR_USER_SPARSE) ? "sparse" : "warm",
                              model, variant, metric, k);
      cli_append_number (ctx->s, values[i]);
      g_string_append_c (ctx->s, '\n');
      ctx->rows++;
    }
}

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
    { "lifts", 0, 0, G_OPTION_ARG_FILENAME, &lifts, "Write the lifts against the own and the strongest baseline (TSV, CSV when FILE ends in .csv; undefined values NA, the reason in note)", "FILE" },
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
  if (synthetic == NULL && split_dir == NULL && recs == NULL && metrics == NULL && lifts == NULL && per_user == NULL)
    {
      g_printerr ("scalr export: nothing to export; give --synthetic, --split, --recs, --metrics, --lifts or --per-user\n");
      return EXIT_USAGE;
    }
  g_autoptr (ScalrStore) store = cli_open_store (db, SCALR_STORE_OPEN_READER);
  if (store == NULL)
    return EXIT_ERROR;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrRunInfo) r = scalr_store_get_run (store, run_id, &error);
  if (r == NULL)
    return cli_fail ("export", error);
  if (r->status != SCALR_RUN_FINISHED)
    {
      g_printerr ("scalr export: run %" G_GINT64_FORMAT " is %s, not finished; nothing to export\n",
                  run_id, scalr_run_status_to_string (r->status));
      return EXIT_ERROR;
    }
  g_autoptr (ScalrConfig) c = scalr_config_new_from_data (r->config, -1, "stored config", &error);
  if (c == NULL)
    return cli_fail ("export", error);
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  if (!scalr_pipeline_rebuild_split (store, c, &domains, &split, &error))
    return cli_fail ("export", error);
  /* The rebuilt split must be the stored one. */
  g_autoptr (GBytes) stored = scalr_store_get_artifact (store, run_id, "split", "assignment", &error);
  if (stored == NULL)
    return cli_fail ("export", error);
  const ScalrDomain *tgt = scalr_domains_get_target (domains);
  gsize len;
  const guint8 *assign = g_bytes_get_data (stored, &len);
  if (len != tgt->matrix->nnz || memcmp (assign, scalr_split_get_assignment (split), len) != 0)
    {
      g_printerr ("scalr export: the split rebuilt from run %" G_GINT64_FORMAT "'s config differs from the stored one; "
                  "was it made by another code version (%s)?\n", run_id, r->code_version);
      return EXIT_ERROR;
    }
  ScalrDataset *d = scalr_domains_get_dataset (domains);
  ScalrIdMap *users = scalr_dataset_get_users (d), *items = scalr_dataset_get_items (d);

  if (synthetic)
    {
      g_autoptr (ScalrSyntheticEvents) ev = scalr_store_get_synthetic (store, run_id, &error);
      if (ev == NULL)
        return cli_fail ("export", error);
      g_autoptr (GString) s = g_string_new ("user\titem\tprobability\tweight\tcount\n");
      for (guint64 k = 0; k < ev->n; k++)
        {
          append_field (s, scalr_id_map_get_name (users, ev->user[k]));
          g_string_append_c (s, '\t');
          append_field (s, scalr_id_map_get_name (items, tgt->items[ev->item[k]]));
          g_string_append_printf (s, "\t%.6g\t%.6g\t%u\n", ev->prob[k], ev->weight[k], ev->count[k]);
        }
      if (!write_file (synthetic, s, &error))
        return cli_fail ("export", error);
      g_printerr ("wrote %s synthetic events to %s\n", cli_count (ev->n), synthetic);
    }
  if (split_dir)
    {
      if (g_mkdir_with_parents (split_dir, 0755) != 0)
        {
          int errsv = errno;
          g_printerr ("scalr export: %s: cannot create the directory: %s\n", split_dir, g_strerror (errsv));
          return EXIT_ERROR;
        }
      const char *names[] = { "train.tsv", "valid.tsv", "test.tsv" };
      const ScalrCsr *parts[] = { scalr_split_get_train (split), scalr_split_get_valid (split), scalr_split_get_test (split) };
      for (guint p = 0; p < 3; p++)
        {
          g_autoptr (GString) s = g_string_new ("user\titem\trating\n");
          const ScalrCsr *m = parts[p];
          for (guint u = 0; u < m->n_rows; u++)
            for (guint64 k = m->indptr[u]; k < m->indptr[u + 1]; k++)
              {
                append_field (s, scalr_id_map_get_name (users, u));
                g_string_append_c (s, '\t');
                append_field (s, scalr_id_map_get_name (items, tgt->items[m->indices[k]]));
                g_string_append_printf (s, "\t%g\n", m->values ? m->values[k] : 1.0f);
              }
          g_autofree char *path = g_build_filename (split_dir, names[p], NULL);
          if (!write_file (path, s, &error))
            return cli_fail ("export", error);
        }
      g_autoptr (GString) s = g_string_new ("user\n");
      const guint8 *flags = scalr_split_get_user_flags (split);
      for (guint u = 0; u < scalr_split_get_n_users (split); u++)
        if (flags[u] & SCALR_USER_SPARSE)
          {
            append_field (s, scalr_id_map_get_name (users, u));
            g_string_append_c (s, '\n');
          }
      g_autofree char *path = g_build_filename (split_dir, "sparse_users.tsv", NULL);
      if (!write_file (path, s, &error))
        return cli_fail ("export", error);
      g_printerr ("wrote train.tsv, valid.tsv, test.tsv and sparse_users.tsv to %s\n", split_dir);
    }
  if (metrics && !write_metrics (store, run_id, metrics, &error))
    return cli_fail ("export", error);
  if (lifts && !write_lifts (store, run_id, lifts, &error))
    return cli_fail ("export", error);
  if (recs)
    {
      RecsCtx rc = { g_string_new ("user\tvariant\tmodel\trank\titem\tscore\n"), users, items, tgt->items, 0 };
      if (!scalr_store_foreach_recs (store, run_id, write_recs_cb, &rc, &error)
          || !write_file (recs, rc.s, &error))
        {
          g_string_free (rc.s, TRUE);
          return cli_fail ("export", error);
        }
      g_printerr ("wrote %s recommendations to %s\n", cli_count (rc.rows), recs);
      g_string_free (rc.s, TRUE);
    }
  if (per_user)
    {
      PerUserCtx pc = { g_string_new ("user\tsegment\tmodel\tvariant\tmetric\tk\tvalue\n"), users,
                         scalr_split_get_user_flags (split), 0 };
      if (!scalr_store_foreach_user_metrics (store, run_id, write_per_user_cb, &pc, &error)
          || !write_file (per_user, pc.s, &error))
        {
          g_string_free (pc.s, TRUE);
          return cli_fail ("export", error);
        }
      g_printerr ("wrote %s per-user values to %s\n", cli_count (pc.rows), per_user);
      g_string_free (pc.s, TRUE);
    }
  return EXIT_OK;
}
