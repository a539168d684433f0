/* scalr-export.c — a finished run's data as TSV files with the original ids. */
#include "config.h"

#include "scalr-export.h"

#include <errno.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-eval.h"
#include "scalr-format.h"
#include "scalr-idmap.h"
#include "scalr-output.h"
#include "scalr-pipeline.h"
#include "scalr-run-data.h"

G_DEFINE_QUARK (scalr-export-error-quark, scalr_export_error)

ScalrSplit *
scalr_run_rebuild_split (ScalrStore *store, const ScalrRunInfo *run, ScalrRunCheck *out_check, GError **error)
{
  g_return_val_if_fail (store != NULL && run != NULL, NULL);
  if (run->status != SCALR_RUN_FINISHED)
    {
      g_set_error (error, SCALR_EXPORT_ERROR, SCALR_EXPORT_ERROR_NOT_FINISHED,
                   "run %" G_GINT64_FORMAT " is %s, not finished: it has no results to read", run->id,
                   scalr_run_status_to_string (run->status));
      return NULL;
    }
  /* Everything stored of the run checked (and its checksum) before the expensive rebuild. */
  ScalrRunCheck check;
  if (!scalr_store_check_run (store, run->id, &check, error))
    return NULL;
  g_autoptr (ScalrConfig) c = scalr_run_dup_config (run, error);
  if (c == NULL)
    return NULL;
  g_autoptr (ScalrDomains) domains = NULL;
  g_autoptr (ScalrSplit) split = NULL;
  if (!scalr_pipeline_rebuild_split (store, c, &domains, &split, error))
    return NULL;
  g_autoptr (GBytes) stored = scalr_store_load_artifact (store, run->id, "split", "assignment", error);
  if (stored == NULL)
    return NULL;
  /* The run's ids index the rebuilt split: the same users, target items and assignment of
   * every target event. */
  const ScalrDomain *tgt = scalr_domains_get_target (domains);
  gsize len;
  const guint8 *assignment = g_bytes_get_data (stored, &len);
  if (len != tgt->matrix->nnz || memcmp (assignment, scalr_split_get_assignment (split), len) != 0
      || check.n_users != scalr_split_get_n_users (split) || check.n_target_items != tgt->n_items)
    {
      g_set_error (error, SCALR_EXPORT_ERROR, SCALR_EXPORT_ERROR_SPLIT_CHANGED,
                   "the split rebuilt from run %" G_GINT64_FORMAT "'s config differs from the stored one; "
                   "was it made by another code version (%s)?", run->id,
                   run->code_version ? run->code_version : "unknown");
      return NULL;
    }
  if (out_check)
    *out_check = check;
  return g_steal_pointer (&split);
}

struct _ScalrExport {
  ScalrStore    *store;          /* borrowed */
  ScalrRunInfo  *run;
  ScalrRunCheck  check;          /* the run's ranges, and whether its checksum was verified */
  ScalrSplit    *split;
  ScalrIdMap    *users, *items;  /* borrowed from the split's dataset */
  const ScalrId *target_items;   /* target-local → dataset item */
};

ScalrExport *
scalr_export_open (ScalrStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_autoptr (ScalrExport) e = g_new0 (ScalrExport, 1);
  e->store = store;
  if ((e->run = scalr_store_load_run (store, run_id, error)) == NULL
      || (e->split = scalr_run_rebuild_split (store, e->run, &e->check, error)) == NULL)
    return NULL;
  ScalrDomains *domains = scalr_split_get_domains (e->split);
  ScalrDataset *d = scalr_domains_get_dataset (domains);
  e->users = scalr_dataset_get_users (d);
  e->items = scalr_dataset_get_items (d);
  e->target_items = scalr_domains_get_target (domains)->items;
  return g_steal_pointer (&e);
}

void
scalr_export_free (ScalrExport *e)
{
  if (e == NULL)
    return;
  g_clear_pointer (&e->run, scalr_run_info_free);
  g_clear_pointer (&e->split, scalr_split_free);
  g_free (e);
}

const ScalrRunInfo *scalr_export_get_run (ScalrExport *e) { return e->run; }
const ScalrRunCheck *scalr_export_get_check (ScalrExport *e) { return &e->check; }
ScalrSplit *scalr_export_get_split (ScalrExport *e) { return e->split; }

/* ---- writing rows ----------------------------------------------------------------- */

/* One file being written: rows are formatted into @row and appended to the output. */
typedef struct {
  ScalrOutput *out;
  GString     *row;
  guint64      n;
} Table;

static gboolean
table_open (Table *t, const char *path, const char *header, GError **error)
{
  t->n = 0;
  t->out = scalr_output_open (path, error);
  if (t->out == NULL)
    return FALSE;
  t->row = g_string_new (NULL);
  scalr_output_write (t->out, header, strlen (header));
  return TRUE;
}

/* Ends the row in t->row and writes it. */
static void
table_end_row (Table *t)
{
  g_string_append_c (t->row, '\n');
  scalr_output_write (t->out, t->row->str, t->row->len);
  g_string_truncate (t->row, 0);
  t->n++;
}

/* Closes (with @ok) or abandons the file; returns whether it was written. */
static gboolean
table_close (Table *t, gboolean ok, guint64 *n_rows, GError **error)
{
  g_string_free (t->row, TRUE);
  if (!ok)
    {
      scalr_output_abort (t->out);
      return FALSE;
    }
  if (!scalr_output_close (t->out, error))
    return FALSE;
  if (n_rows)
    *n_rows = t->n;
  return TRUE;
}

static void
field (Table *t, const char *text)
{
  if (t->row->len > 0)
    g_string_append_c (t->row, '\t');
  scalr_format_tsv_field (t->row, text);
}

static void
number (Table *t, double v)
{
  g_string_append_c (t->row, '\t');
  scalr_format_tsv_number (t->row, v);
}

static void
number_f (Table *t, float v)
{
  g_string_append_c (t->row, '\t');
  scalr_format_tsv_float (t->row, v);
}

static void
uint_field (Table *t, guint64 v)
{
  g_string_append_printf (t->row, "%s%" G_GUINT64_FORMAT, t->row->len > 0 ? "\t" : "", v);
}

static const char *
user_name (ScalrExport *e, guint32 u)
{
  return scalr_id_map_get_name (e->users, u);
}

static const char *
item_name (ScalrExport *e, guint32 target_item)
{
  return scalr_id_map_get_name (e->items, e->target_items[target_item]);
}

/* ---- the files -------------------------------------------------------------------- */

gboolean
scalr_export_synthetic (ScalrExport *e, const char *path, guint64 *n_rows, GError **error)
{
  g_autoptr (ScalrSyntheticEvents) ev = scalr_store_load_synthetic (e->store, e->run->id, error);
  Table t;
  if (ev == NULL || !table_open (&t, path, "user\titem\tprobability\tweight\tcount\n", error))
    return FALSE;
  for (guint64 k = 0; k < ev->n; k++)
    {
      field (&t, user_name (e, ev->user[k]));
      field (&t, item_name (e, ev->item[k]));
      number_f (&t, ev->prob[k]);
      number_f (&t, ev->weight[k]);
      uint_field (&t, ev->count[k]);
      table_end_row (&t);
    }
  return table_close (&t, TRUE, n_rows, error);
}

static gboolean
write_part (ScalrExport *e, const ScalrCsr *m, const char *path, guint64 *n_rows, GError **error)
{
  Table t;
  if (!table_open (&t, path, "user\titem\trating\n", error))
    return FALSE;
  for (guint u = 0; u < m->n_rows; u++)
    for (guint64 k = m->indptr[u]; k < m->indptr[u + 1]; k++)
      {
        field (&t, user_name (e, u));
        field (&t, item_name (e, m->indices[k]));
        number_f (&t, m->values ? m->values[k] : 1.0f);
        table_end_row (&t);
      }
  return table_close (&t, TRUE, n_rows, error);
}

gboolean
scalr_export_split (ScalrExport *e, const char *dir, guint64 *n_rows, GError **error)
{
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int errsv = errno;
      g_set_error (error, SCALR_EXPORT_ERROR, SCALR_EXPORT_ERROR_DIRECTORY,
                   "%s: cannot create the directory: %s", dir, g_strerror (errsv));
      return FALSE;
    }
  const char *names[] = { "train.tsv", "valid.tsv", "test.tsv" };
  const ScalrCsr *parts[] = { scalr_split_get_train (e->split), scalr_split_get_valid (e->split),
                              scalr_split_get_test (e->split) };
  guint64 total = 0;
  for (guint p = 0; p < G_N_ELEMENTS (parts); p++)
    {
      g_autofree char *path = g_build_filename (dir, names[p], NULL);
      guint64 n;
      if (!write_part (e, parts[p], path, &n, error))
        return FALSE;
      total += n;
    }
  g_autofree char *path = g_build_filename (dir, "sparse_users.tsv", NULL);
  Table t;
  if (!table_open (&t, path, "user\n", error))
    return FALSE;
  const guint8 *flags = scalr_split_get_user_flags (e->split);
  for (guint u = 0; u < scalr_split_get_n_users (e->split); u++)
    if (flags[u] & SCALR_USER_SPARSE)
      {
        field (&t, user_name (e, u));
        table_end_row (&t);
      }
  if (n_rows)
    *n_rows = total;
  return table_close (&t, TRUE, NULL, error);
}

gboolean
scalr_export_metrics (ScalrExport *e, const char *path, guint64 *n_rows, GError **error)
{
  g_autoptr (GArray) rows = scalr_store_load_metrics (e->store, e->run->id, error);
  Table t;
  if (rows == NULL || !table_open (&t, path, "model\tvariant\tsegment\tmetric\tk\tvalue\tn_users\n", error))
    return FALSE;
  for (guint k = 0; k < rows->len; k++)
    {
      const ScalrMetricRow *m = &g_array_index (rows, ScalrMetricRow, k);
      field (&t, m->model);
      field (&t, m->variant);
      field (&t, m->segment);
      field (&t, m->metric);
      uint_field (&t, m->k);
      number (&t, m->value);
      uint_field (&t, m->n_users);
      table_end_row (&t);
    }
  return table_close (&t, TRUE, n_rows, error);
}

/* ---- the lift table (also the workbench's copy and export of its selection) ---- */

ScalrTableFormat
scalr_table_format_for_path (const char *path)
{
  gsize n = path ? strlen (path) : 0;
  return n >= 4 && g_ascii_strcasecmp (path + n - 4, ".csv") == 0 ? SCALR_TABLE_CSV : SCALR_TABLE_TSV;
}

/* One field of a lift table: TSV as every export (scalr_format_tsv_field), CSV quoted when it
 * holds a comma, quote or line break. */
static void
lift_field (GString *s, const char *text, ScalrTableFormat format)
{
  text = text ? text : "";
  if (format == SCALR_TABLE_CSV)
    {
      if (strpbrk (text, ",\"\n\r") == NULL)
        {
          g_string_append (s, text);
          return;
        }
      g_string_append_c (s, '"');
      for (const char *p = text; *p; p++)
        {
          if (*p == '"')
            g_string_append_c (s, '"');
          g_string_append_c (s, *p);
        }
      g_string_append_c (s, '"');
      return;
    }
  scalr_format_tsv_field (s, text);
}

char *
scalr_export_lifts_text (const ScalrLiftRow *rows, guint n, ScalrTableFormat format)
{
  static const char *const header[] = {
    "model", "segment", "metric", "k", "reference", "baseline_model", "base_mean", "aug_mean",
    "lift", "ci_low", "ci_high", "p_t", "p_wilcoxon", "p_holm", "n_users", "level", "also_strongest", "note",
  };
  char sep = format == SCALR_TABLE_CSV ? ',' : '\t';
  GString *s = g_string_new (NULL);
  for (guint c = 0; c < G_N_ELEMENTS (header); c++)
    {
      if (c)
        g_string_append_c (s, sep);
      g_string_append (s, header[c]);
    }
  g_string_append_c (s, '\n');
  for (guint i = 0; i < n; i++)
    {
      const ScalrLiftRow *l = &rows[i];
      const char *text[] = { l->model, l->segment, l->metric };
      for (guint c = 0; c < G_N_ELEMENTS (text); c++)
        {
          lift_field (s, text[c], format);
          g_string_append_c (s, sep);
        }
      g_string_append_printf (s, "%u%c", l->k, sep);
      lift_field (s, l->reference, format);
      g_string_append_c (s, sep);
      lift_field (s, l->baseline_model, format);
      const double v[] = { l->base_mean, l->aug_mean, l->lift, l->ci_low, l->ci_high, l->p_t, l->p_wilcoxon, l->p_holm };
      for (guint q = 0; q < G_N_ELEMENTS (v); q++)
        {
          g_string_append_c (s, sep);
          scalr_format_tsv_number (s, v[q]);
        }
      g_string_append_printf (s, "%c%u%c", sep, l->n_users, sep);
      scalr_format_tsv_number (s, l->level);
      g_string_append_printf (s, "%c%d%c", sep, l->also_strongest ? 1 : 0, sep);
      lift_field (s, l->note, format);
      g_string_append_c (s, '\n');
    }
  return g_string_free (s, FALSE);
}

gboolean
scalr_export_lifts (ScalrExport *e, const char *path, guint64 *n_rows, GError **error)
{
  g_autoptr (GArray) rows = scalr_store_load_lifts (e->store, e->run->id, error);
  if (rows == NULL)
    return FALSE;
  g_autofree char *text = scalr_export_lifts_text ((const ScalrLiftRow *) rows->data, rows->len,
                                                   scalr_table_format_for_path (path));
  if (!scalr_output_write_file (path, text, strlen (text), error))
    return FALSE;
  if (n_rows)
    *n_rows = rows->len;
  return TRUE;
}

static void
recs_cb (const char *model, const char *variant, guint max_k, const guint32 *users, guint n_users,
         const guint32 *items, const float *scores, gpointer data)
{
  gpointer *ctx = data;
  ScalrExport *e = ctx[0];
  Table *t = ctx[1];
  for (guint u = 0; u < n_users; u++)
    for (guint r = 0; r < max_k; r++)
      {
        guint32 item = items[(gsize) u * max_k + r];
        if (item == G_MAXUINT32)
          break;
        field (t, user_name (e, users[u]));
        field (t, variant);
        field (t, model);
        uint_field (t, r + 1);
        field (t, item_name (e, item));
        number_f (t, scores[(gsize) u * max_k + r]);
        table_end_row (t);
      }
}

gboolean
scalr_export_recs (ScalrExport *e, const char *path, guint64 *n_rows, GError **error)
{
  Table t;
  if (!table_open (&t, path, "user\tvariant\tmodel\trank\titem\tscore\n", error))
    return FALSE;
  gpointer ctx[] = { e, &t };
  gboolean ok = scalr_store_foreach_recs (e->store, e->run->id, recs_cb, ctx, error);
  return table_close (&t, ok, n_rows, error);
}

static void
per_user_cb (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
             const double *values, guint n, gpointer data)
{
  gpointer *ctx = data;
  ScalrExport *e = ctx[0];
  Table *t = ctx[1];
  const guint8 *flags = scalr_split_get_user_flags (e->split);
  for (guint i = 0; i < n; i++)
    {
      field (t, user_name (e, users[i]));
      field (t, scalr_segment_to_string ((flags[users[i]] & SCALR_USER_SPARSE) ? SCALR_SEGMENT_SPARSE
                                                                             : SCALR_SEGMENT_WARM));
      field (t, model);
      field (t, variant);
      field (t, metric);
      uint_field (t, k);
      number (t, values[i]);
      table_end_row (t);
    }
}

gboolean
scalr_export_per_user (ScalrExport *e, const char *path, guint64 *n_rows, GError **error)
{
  Table t;
  if (!table_open (&t, path, "user\tsegment\tmodel\tvariant\tmetric\tk\tvalue\n", error))
    return FALSE;
  gpointer ctx[] = { e, &t };
  gboolean ok = scalr_store_foreach_user_metrics (e->store, e->run->id, per_user_cb, ctx, error);
  return table_close (&t, ok, n_rows, error);
}
