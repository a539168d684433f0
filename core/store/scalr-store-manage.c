/* scalr-store-manage.c — managing runs: names, notes, tags, groups, and a trash that makes
 * a delete undoable until it is purged. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-store-private.h"

#define MAX_TAGS 32
#define MAX_TAG_BYTES 64

static const char *const group_kinds[] = { "sweep", "tune", "replicates", "manual" };

const char *
scalr_group_kind_to_string (ScalrGroupKind kind)
{
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (group_kinds), "manual");
  return group_kinds[kind];
}

gboolean
scalr_group_kind_from_string (const char *text, ScalrGroupKind *out)
{
  for (guint k = 0; k < G_N_ELEMENTS (group_kinds); k++)
    if (g_strcmp0 (text, group_kinds[k]) == 0)
      {
        *out = (ScalrGroupKind) k;
        return TRUE;
      }
  return FALSE;
}

void
scalr_group_info_free (ScalrGroupInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->keys);
  g_free (info->created_at);
  g_free (info);
}

char *
scalr_run_tags_normalize (const char *text)
{
  if (text == NULL)
    return NULL;
  g_auto (GStrv) parts = g_strsplit_set (text, ",;", -1);
  g_autoptr (GPtrArray) kept = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; parts[i] && kept->len < MAX_TAGS; i++)
    {
      char *t = g_strstrip (parts[i]);
      if (t[0] == '\0')
        continue;
      if (strlen (t) > MAX_TAG_BYTES)
        {
          const char *end = t + MAX_TAG_BYTES;
          g_utf8_validate (t, MAX_TAG_BYTES, &end);   /* cut at a character boundary */
          t[end - t] = '\0';
          g_strchomp (t);
        }
      char *fold = g_utf8_casefold (t, -1);
      if (!g_hash_table_add (seen, fold))
        continue;
      g_ptr_array_add (kept, g_strdup (t));
    }
  if (kept->len == 0)
    return NULL;
  g_ptr_array_add (kept, NULL);
  return g_strjoinv (",", (char **) kept->pdata);
}

ScalrRunInfo *
scalr_run_info_copy (const ScalrRunInfo *info)
{
  g_return_val_if_fail (info != NULL, NULL);
  ScalrRunInfo *r = g_memdup2 (info, sizeof *info);
  r->dataset = g_strdup (info->dataset);
  r->name = g_strdup (info->name);
  r->config = g_strdup (info->config);
  r->fingerprint = g_strdup (info->fingerprint);
  r->code_version = g_strdup (info->code_version);
  r->created_at = g_strdup (info->created_at);
  r->finished_at = g_strdup (info->finished_at);
  r->error = g_strdup (info->error);
  r->note = g_strdup (info->note);
  r->tags = g_strdup (info->tags);
  return r;
}

double
scalr_run_info_get_duration (const ScalrRunInfo *info)
{
  g_return_val_if_fail (info != NULL, NAN);
  if (info->created_at == NULL || info->finished_at == NULL)
    return NAN;
  g_autoptr (GDateTime) a = g_date_time_new_from_iso8601 (info->created_at, NULL);
  g_autoptr (GDateTime) b = g_date_time_new_from_iso8601 (info->finished_at, NULL);
  if (a == NULL || b == NULL)
    return NAN;
  return g_date_time_difference (b, a) / (double) G_TIME_SPAN_SECOND;
}

/* Runs one UPDATE/DELETE with an int64 id as the last parameter and optional text first;
 * no row changed is SCALR_STORE_ERROR_NOT_FOUND naming @what and the id. */
static gboolean
exec_on_id (ScalrStore *store, const char *sql, const char *text, gboolean bind_text, gint64 id,
            const char *what, const char *noun, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store, sql, error);
  if (st == NULL)
    return FALSE;
  int n = 1;
  if (bind_text)
    {
      if (text)
        sqlite3_bind_text (st, n, text, -1, SQLITE_TRANSIENT);
      else
        sqlite3_bind_null (st, n);
      n++;
    }
  sqlite3_bind_int64 (st, n, id);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, what, error);
      return FALSE;
    }
  if (sqlite3_changes (_scalr_store_get_db (store)) == 0)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                   "%s: no %s %" G_GINT64_FORMAT, scalr_store_get_path (store), noun, id);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_store_rename_run (ScalrStore *store, gint64 run_id, const char *name, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_autofree char *clean = name ? g_strstrip (g_strdup (name)) : NULL;
  return exec_on_id (store, "UPDATE runs SET name = ? WHERE id = ?", clean && clean[0] ? clean : NULL, TRUE,
                     run_id, "renaming a run", "run", error);
}

gboolean
scalr_store_set_run_note (ScalrStore *store, gint64 run_id, const char *note, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return exec_on_id (store, "UPDATE runs SET note = ? WHERE id = ?", note && note[0] ? note : NULL, TRUE,
                     run_id, "writing a run's note", "run", error);
}

gboolean
scalr_store_set_run_tags (ScalrStore *store, gint64 run_id, const char *tags, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_autofree char *norm = scalr_run_tags_normalize (tags);
  return exec_on_id (store, "UPDATE runs SET tags = ? WHERE id = ?", norm, TRUE, run_id,
                     "writing a run's tags", "run", error);
}

gboolean
scalr_store_trash_run (ScalrStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_autoptr (ScalrRunInfo) info = scalr_store_load_run (store, run_id, error);
  if (info == NULL)
    return FALSE;
  if (info->status == SCALR_RUN_RUNNING || info->status == SCALR_RUN_PENDING)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_RUNNING,
                   "run %" G_GINT64_FORMAT " is still %s: cancel it before deleting it", run_id,
                   scalr_run_status_to_string (info->status));
      return FALSE;
    }
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  return exec_on_id (store, "UPDATE runs SET trashed_at = ? WHERE id = ? AND status NOT IN ('running','pending')",
                     stamp, TRUE, run_id, "deleting a run", "run", error);
}

gboolean
scalr_store_restore_run (ScalrStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  return exec_on_id (store, "UPDATE runs SET trashed_at = NULL WHERE id = ?", NULL, FALSE, run_id,
                     "restoring a run", "run", error);
}

gboolean
scalr_store_purge_run (ScalrStore *store, gint64 run_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  /* Every table of a run refers to it ON DELETE CASCADE (its checksums too): one statement
   * removes it all; what this connection remembers of its checks goes with it. */
  if (!exec_on_id (store, "DELETE FROM runs WHERE trashed_at IS NOT NULL AND id = ?", NULL, FALSE, run_id,
                   "deleting a run", "trashed run", error))
    return FALSE;
  _scalr_store_forget_run (store, run_id);
  return TRUE;
}

gboolean
scalr_store_purge_trashed (ScalrStore *store, double min_age_seconds, guint *out_n, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "DELETE FROM runs WHERE trashed_at IS NOT NULL "
    "AND (?1 <= 0 OR julianday (trashed_at) <= julianday ('now') - ?1 / 86400.0)",
    error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_double (st, 1, MAX (min_age_seconds, 0));
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "deleting trashed runs", error);
      return FALSE;
    }
  if (out_n)
    *out_n = (guint) sqlite3_changes (_scalr_store_get_db (store));
  _scalr_store_forget_all_runs (store);
  return TRUE;
}

GArray *
scalr_store_find_runs_by_config (ScalrStore *store, const char *config, GError **error)
{
  g_return_val_if_fail (store != NULL && config != NULL, NULL);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT id FROM runs WHERE config = ? AND trashed_at IS NULL ORDER BY id DESC", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_text (st, 1, config, -1, SQLITE_TRANSIENT);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (st, 0);
      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "looking for runs of a config", error);
      return NULL;
    }
  return g_steal_pointer (&ids);
}

/* ---- groups ---------------------------------------------------------------------------- */

gboolean
scalr_store_create_group (ScalrStore *store, ScalrGroupKind kind, const char *name, const char *keys,
                          gint64 *out_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_return_val_if_fail ((guint) kind < G_N_ELEMENTS (group_kinds), FALSE);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "INSERT INTO run_groups (kind, name, keys, created_at) VALUES (?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  sqlite3_bind_text (st, 1, group_kinds[kind], -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, keys, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 4, stamp, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "creating a run group", error);
      return FALSE;
    }
  if (out_id)
    *out_id = sqlite3_last_insert_rowid (_scalr_store_get_db (store));
  return TRUE;
}

static ScalrGroupInfo *
group_from_row (sqlite3_stmt *st)
{
  ScalrGroupInfo *g = g_new0 (ScalrGroupInfo, 1);
  g->id = sqlite3_column_int64 (st, 0);
  if (!scalr_group_kind_from_string ((const char *) sqlite3_column_text (st, 1), &g->kind))
    g->kind = SCALR_GROUP_MANUAL;
  const char *t;
  g->name = (t = (const char *) sqlite3_column_text (st, 2)) ? g_strdup (t) : NULL;
  g->keys = (t = (const char *) sqlite3_column_text (st, 3)) ? g_strdup (t) : NULL;
  g->created_at = (t = (const char *) sqlite3_column_text (st, 4)) ? g_strdup (t) : NULL;
  return g;
}

GPtrArray *
scalr_store_list_groups (ScalrStore *store, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT id, kind, name, keys, created_at FROM run_groups ORDER BY id", error);
  if (st == NULL)
    return NULL;
  g_autoptr (GPtrArray) groups = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_group_info_free);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (groups, group_from_row (st));
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "listing run groups", error);
      return NULL;
    }
  return g_steal_pointer (&groups);
}

ScalrGroupInfo *
scalr_store_load_group (ScalrStore *store, gint64 group_id, GError **error)
{
  g_return_val_if_fail (store != NULL, NULL);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT id, kind, name, keys, created_at FROM run_groups WHERE id = ?", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, group_id);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return group_from_row (st);
  if (rc == SQLITE_DONE)
    g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                 "%s: no run group %" G_GINT64_FORMAT, scalr_store_get_path (store), group_id);
  else
    _scalr_store_set_error (store, rc, "reading a run group", error);
  return NULL;
}

gboolean
scalr_store_rename_group (ScalrStore *store, gint64 group_id, const char *name, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  g_autofree char *clean = name ? g_strstrip (g_strdup (name)) : NULL;
  return exec_on_id (store, "UPDATE run_groups SET name = ? WHERE id = ?", clean && clean[0] ? clean : NULL, TRUE,
                     group_id, "renaming a run group", "run group", error);
}

gboolean
scalr_store_set_run_group (ScalrStore *store, gint64 run_id, gint64 group_id, GError **error)
{
  g_return_val_if_fail (store != NULL, FALSE);
  if (group_id > 0)
    {
      g_autoptr (ScalrGroupInfo) g = scalr_store_load_group (store, group_id, error);
      if (g == NULL)
        return FALSE;
    }
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store, "UPDATE runs SET group_id = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  if (group_id > 0)
    sqlite3_bind_int64 (st, 1, group_id);
  else
    sqlite3_bind_null (st, 1);
  sqlite3_bind_int64 (st, 2, run_id);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "putting a run into a group", error);
      return FALSE;
    }
  if (sqlite3_changes (_scalr_store_get_db (store)) == 0)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                   "%s: no run %" G_GINT64_FORMAT, scalr_store_get_path (store), run_id);
      return FALSE;
    }
  return TRUE;
}
