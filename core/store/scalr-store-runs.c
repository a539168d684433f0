/* scalr-store-runs.c — what a run leaves in the store: artifacts, timings, synthetic events. */
#include "config.h"

#include <string.h>

#include "scalr-store-private.h"

#define CHUNK_EVENTS 65536

gboolean
scalr_store_put_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name,
                          const char *content_type, GBytes *data, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_artifacts (run_id, kind, name, content_type, data) VALUES (?,?,?,?,?)", error);
  if (st == NULL)
    return FALSE;
  gsize len;
  const void *p = g_bytes_get_data (data, &len);
  sqlite3_bind_int64 (st, 1, run_id);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 4, content_type, -1, SQLITE_TRANSIENT);
  sqlite3_bind_blob64 (st, 5, len ? p : "", len, SQLITE_STATIC);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "writing a run artifact", error);
      return FALSE;
    }
  return TRUE;
}

GBytes *
scalr_store_load_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT data FROM run_artifacts WHERE run_id = ? AND kind = ? AND name = ?", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return g_bytes_new (sqlite3_column_blob (st, 0), (gsize) sqlite3_column_bytes (st, 0));
  if (rc == SQLITE_DONE)
    g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                 "%s: run %" G_GINT64_FORMAT " has no %s '%s'", scalr_store_get_path (store), run_id, kind, name);
  else
    _scalr_store_set_error (store, rc, "reading a run artifact", error);
  return NULL;
}

gboolean
scalr_store_load_timings (ScalrStore *store, gint64 run_id, GPtrArray **stages, GArray **seconds, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT stage, seconds FROM run_timings WHERE run_id = ? ORDER BY CASE stage "
    "WHEN 'load' THEN 0 WHEN 'split' THEN 1 WHEN 'generator' THEN 2 WHEN 'calibration' THEN 3 "
    "WHEN 'sampler' THEN 4 WHEN 'align' THEN 5 WHEN 'diagnostics' THEN 6 WHEN 'store' THEN 7 "
    "WHEN 'downstream' THEN 8 WHEN 'results' THEN 9 ELSE 100 END, stage", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GArray) secs = g_array_new (FALSE, FALSE, sizeof (double));
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      g_ptr_array_add (names, g_strdup ((const char *) sqlite3_column_text (st, 0)));
      double s = sqlite3_column_double (st, 1);
      g_array_append_val (secs, s);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading timings", error);
      return FALSE;
    }
  *stages = g_steal_pointer (&names);
  *seconds = g_steal_pointer (&secs);
  return TRUE;
}

gboolean
scalr_store_put_synthetic (ScalrStore *store, gint64 run_id, const ScalrSyntheticEvents *ev, GError **error)
{
  if (!_scalr_store_begin (store, error))
    return FALSE;
  g_autoptr (sqlite3_stmt) del = _scalr_store_prepare (store, "DELETE FROM run_synthetic_chunks WHERE run_id = ?", error);
  g_autoptr (sqlite3_stmt) ins = del ? _scalr_store_prepare (store,
    "INSERT INTO run_synthetic_chunks (run_id, chunk, n_events, users, items, probs, weights, counts) "
    "VALUES (?,?,?,?,?,?,?,?)", error) : NULL;
  if (ins == NULL)
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (del, 1, run_id);
  int rc = sqlite3_step (del);
  for (guint64 start = 0, c = 0; rc == SQLITE_DONE && start < ev->n; start += CHUNK_EVENTS, c++)
    {
      guint64 n = MIN ((guint64) CHUNK_EVENTS, ev->n - start);
      sqlite3_reset (ins);
      sqlite3_bind_int64 (ins, 1, run_id);
      sqlite3_bind_int64 (ins, 2, (sqlite3_int64) c);
      sqlite3_bind_int64 (ins, 3, (sqlite3_int64) n);
      sqlite3_bind_blob64 (ins, 4, ev->user + start, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (ins, 5, ev->item + start, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (ins, 6, ev->prob + start, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (ins, 7, ev->weight + start, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (ins, 8, ev->count + start, n * 4, SQLITE_STATIC);
      rc = sqlite3_step (ins);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "writing synthetic events", error);
      _scalr_store_rollback (store);
      return FALSE;
    }
  return _scalr_store_commit (store, error);
}

ScalrSyntheticEvents *
scalr_store_load_synthetic (ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT n_events, users, items, probs, weights, counts FROM run_synthetic_chunks WHERE run_id = ? ORDER BY chunk", error);
  if (st == NULL)
    return NULL;
  if (!_scalr_store_exec (store, "BEGIN", error))
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (GArray) u = g_array_new (FALSE, FALSE, 4), i = g_array_new (FALSE, FALSE, 4);
  g_autoptr (GArray) p = g_array_new (FALSE, FALSE, 4), w = g_array_new (FALSE, FALSE, 4);
  g_autoptr (GArray) c = g_array_new (FALSE, FALSE, 4);
  GArray *cols[] = { u, i, p, w, c };
  int rc;
  gboolean ok = TRUE;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 n = sqlite3_column_int64 (st, 0);
      for (int k = 0; k < 5 && ok; k++)
        {
          if (n <= 0 || sqlite3_column_bytes (st, k + 1) != n * 4)
            ok = FALSE;
          else
            g_array_append_vals (cols[k], sqlite3_column_blob (st, k + 1), (guint) n);
        }
      if (!ok)
        break;
    }
  _scalr_store_rollback (store);
  if (rc != SQLITE_DONE && rc != SQLITE_ROW)
    {
      _scalr_store_set_error (store, rc, "reading synthetic events", error);
      return NULL;
    }
  if (!ok)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_CORRUPT,
                   "%s: the synthetic events of run %" G_GINT64_FORMAT " are damaged",
                   scalr_store_get_path (store), run_id);
      return NULL;
    }
  ScalrSyntheticEvents *ev = scalr_synthetic_events_new (u->len);
  if (u->len > 0)   /* a run without synthetic events has NULL arrays */
    {
      memcpy (ev->user, u->data, u->len * 4);
      memcpy (ev->item, i->data, u->len * 4);
      memcpy (ev->prob, p->data, u->len * 4);
      memcpy (ev->weight, w->data, u->len * 4);
      memcpy (ev->count, c->data, u->len * 4);
    }
  guint64 draws = 0;
  for (guint k = 0; k < u->len; k++)
    draws += ev->count[k];
  ev->draws = draws;
  return ev;
}
