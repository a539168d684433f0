/* scalr-store-runs.c — runs in the store: their rows and status, and what they leave:
 * artifacts, timings, synthetic events. */
#include "config.h"

#include <string.h>
#include <unistd.h>

#include "scalr-store-private.h"
#include "scalr-version.h"

#define CHUNK_EVENTS 65536

gboolean
scalr_store_put_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name,
                          const char *content_type, GBytes *data, GError **error)
{
  /* One transaction with the run's new checksums when it is sealed (unless the caller has one). */
  gboolean own = sqlite3_get_autocommit (_scalr_store_get_db (store));
  if (own && !_scalr_store_begin (store, error))
    return FALSE;
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_artifacts (run_id, kind, name, content_type, data) VALUES (?,?,?,?,?)", error);
  int rc = SQLITE_ERROR;
  if (st != NULL)
    {
      gsize len;
      const void *p = g_bytes_get_data (data, &len);
      sqlite3_bind_int64 (st, 1, run_id);
      sqlite3_bind_text (st, 2, kind, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st, 3, name, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (st, 4, content_type, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob64 (st, 5, len ? p : "", len, SQLITE_STATIC);
      rc = sqlite3_step (st);
      if (rc != SQLITE_DONE)
        _scalr_store_set_error (store, rc, "writing a run artifact", error);
    }
  if (rc != SQLITE_DONE || !_scalr_store_results_changed (store, run_id, error))
    {
      if (own)
        _scalr_store_rollback (store);
      return FALSE;
    }
  return own ? _scalr_store_commit (store, error) : TRUE;
}

GBytes *
scalr_store_load_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name, GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_verify_part (store, run_id, SCALR_RUN_PART_ARTIFACTS, error)
      || !_scalr_store_run_shape (store, run_id, &shape, error))
    return NULL;
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT data, content_type FROM run_artifacts WHERE run_id = ? AND kind = ? AND name = ?", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  sqlite3_bind_text (st, 2, kind, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    {
      g_autoptr (GBytes) b = g_bytes_new (sqlite3_column_blob (st, 0), (gsize) sqlite3_column_bytes (st, 0));
      g_autofree char *what = g_strdup_printf ("the content type of its %s/%s", kind, name);
      if (!_scalr_check_text (store, run_id, st, 1, FALSE, what, error)
          || !_scalr_check_artifact (store, run_id, kind, name, (const char *) sqlite3_column_text (st, 1), b,
                                     &shape, error))
        return NULL;
      return g_steal_pointer (&b);
    }
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
  if (!_scalr_store_results_changed (store, run_id, error))
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  return _scalr_store_commit (store, error);
}

/* Reads the chunks into @cols (users, items, probs, weights, counts): numbered 0, 1, … in
 * order, every one but the last full. */
static gboolean
read_synthetic_chunks (ScalrStore *store, gint64 run_id, GArray *cols[5], GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT chunk, n_events, users, items, probs, weights, counts FROM run_synthetic_chunks WHERE run_id = ? "
    "ORDER BY chunk", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  int rc;
  gint64 expect = 0, last_n = CHUNK_EVENTS;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      gint64 chunk = sqlite3_column_int64 (st, 0), n = sqlite3_column_int64 (st, 1);
      if (chunk != expect || last_n != CHUNK_EVENTS)
        return _scalr_store_damaged (store, run_id, error, "its synthetic events are missing a part (chunk %"
                                     G_GINT64_FORMAT ")", last_n != CHUNK_EVENTS ? expect - 1 : expect);
      if (n <= 0 || n > CHUNK_EVENTS)
        return _scalr_store_damaged (store, run_id, error, "chunk %" G_GINT64_FORMAT " of its synthetic events "
                                     "records %" G_GINT64_FORMAT " events", chunk, n);
      static const char *const names[] = { "users", "items", "probabilities", "weights", "counts" };
      for (int k = 0; k < 5; k++)
        {
          if (sqlite3_column_type (st, k + 2) != SQLITE_BLOB || sqlite3_column_bytes (st, k + 2) != n * 4)
            return _scalr_store_damaged (store, run_id, error, "chunk %" G_GINT64_FORMAT " of its synthetic events "
                                         "holds %d bytes of %s for %" G_GINT64_FORMAT " events", chunk,
                                         sqlite3_column_bytes (st, k + 2), names[k], n);
          g_array_append_vals (cols[k], sqlite3_column_blob (st, k + 2), (guint) n);
        }
      expect++;
      last_n = n;
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "reading synthetic events", error);
      return FALSE;
    }
  return TRUE;
}

ScalrSyntheticEvents *
scalr_store_load_synthetic (ScalrStore *store, gint64 run_id, GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_verify_part (store, run_id, SCALR_RUN_PART_SYNTHETIC, error)
      || !_scalr_store_run_shape (store, run_id, &shape, error))
    return NULL;
  if (!_scalr_store_exec (store, "BEGIN", error))
    return NULL;
  g_autoptr (GArray) u = g_array_new (FALSE, FALSE, 4), i = g_array_new (FALSE, FALSE, 4);
  g_autoptr (GArray) p = g_array_new (FALSE, FALSE, 4), w = g_array_new (FALSE, FALSE, 4);
  g_autoptr (GArray) c = g_array_new (FALSE, FALSE, 4);
  GArray *cols[] = { u, i, p, w, c };
  gboolean ok = read_synthetic_chunks (store, run_id, cols, error);
  _scalr_store_rollback (store);   /* end the read transaction */
  if (!ok)
    return NULL;
  g_autoptr (ScalrSyntheticEvents) ev = scalr_synthetic_events_new (u->len);
  if (u->len > 0)   /* a run without synthetic events has NULL arrays */
    {
      memcpy (ev->user, u->data, u->len * 4);
      memcpy (ev->item, i->data, u->len * 4);
      memcpy (ev->prob, p->data, u->len * 4);
      memcpy (ev->weight, w->data, u->len * 4);
      memcpy (ev->count, c->data, u->len * 4);
    }
  if (!_scalr_check_synthetic (store, run_id, ev, &shape, error))
    return NULL;
  guint64 draws = 0;
  for (guint k = 0; k < u->len; k++)
    draws += ev->count[k];
  ev->draws = draws;
  return g_steal_pointer (&ev);
}

const char *
scalr_run_status_to_string (ScalrRunStatus status)
{
  static const char *const names[] = { "pending", "running", "finished", "failed", "cancelled", "interrupted" };
  g_return_val_if_fail ((guint) status < G_N_ELEMENTS (names), "unknown");
  return names[status];
}

static ScalrRunStatus
run_status_from_string (const char *s)
{
  for (ScalrRunStatus st = SCALR_RUN_PENDING; st <= SCALR_RUN_INTERRUPTED; st++)
    if (g_strcmp0 (s, scalr_run_status_to_string (st)) == 0)
      return st;
  return SCALR_RUN_FAILED;
}

/* ---- runs ------------------------------------------------------------------------- */

static char *
now_iso8601 (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  return g_date_time_format_iso8601 (now);
}

/* Inserts the run row inside the open transaction and takes its liveness lock. */
static gboolean
insert_run (ScalrStore *store, gint64 dataset_id, const char *name, const char *config,
            guint64 seed, const char *fingerprint, gint64 *out_id, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "INSERT INTO runs (dataset_id, name, status, config, seed, fingerprint, code_version, "
    "created_at, pid, host) VALUES (?, ?, 'running', ?, ?, ?, ?, ?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  g_autofree char *stamp = now_iso8601 ();
  sqlite3_bind_int64 (st, 1, dataset_id);
  sqlite3_bind_text (st, 2, name, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, config, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (st, 4, (sqlite3_int64) seed);
  sqlite3_bind_text (st, 5, fingerprint, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 6, SCALR_CODE_VERSION, -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 7, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (st, 8, (sqlite3_int64) getpid ());
  sqlite3_bind_text (st, 9, g_get_host_name (), -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "creating a run", error);
      return FALSE;
    }
  *out_id = sqlite3_last_insert_rowid (_scalr_store_get_db (store));
  return _scalr_store_liveness_take (store, *out_id, error);
}

gboolean
scalr_store_create_run (ScalrStore *store, gint64 dataset_id, const char *name, const char *config,
                        guint64 seed, const char *fingerprint, gint64 *out_id, GError **error)
{
  /* The lock is taken before the row is committed: no other connection ever sees the run
   * running without its lock held. */
  gint64 id = 0;
  if (!_scalr_store_liveness_open (store, error) || !_scalr_store_begin (store, error))
    return FALSE;
  if (!insert_run (store, dataset_id, name, config, seed, fingerprint, &id, error))
    {
      _scalr_store_rollback (store);
      if (id > 0)
        _scalr_store_liveness_release (store, id);
      return FALSE;
    }
  if (!_scalr_store_commit (store, error))
    {
      _scalr_store_liveness_release (store, id);
      return FALSE;
    }
  if (out_id)
    *out_id = id;
  return TRUE;
}

/* Marks the run; a finished run is sealed (its checksums computed) in the same transaction,
 * any other status drops a seal it had. */
static gboolean
finish_run_locked (ScalrStore *store, gint64 run_id, ScalrRunStatus status, const char *error_message,
                   GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "UPDATE runs SET status = ?, finished_at = ?, error = ? WHERE id = ?", error);
  if (st == NULL)
    return FALSE;
  g_autofree char *stamp = now_iso8601 ();
  sqlite3_bind_text (st, 1, scalr_run_status_to_string (status), -1, SQLITE_STATIC);
  sqlite3_bind_text (st, 2, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 3, error_message, -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (st, 4, run_id);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "finishing a run", error);
      return FALSE;
    }
  if (sqlite3_changes (_scalr_store_get_db (store)) == 0)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                   "%s: no run %" G_GINT64_FORMAT, scalr_store_get_path (store), run_id);
      return FALSE;
    }
  _scalr_store_forget_run (store, run_id);
  if (status == SCALR_RUN_FINISHED)
    return _scalr_store_seal_run (store, run_id, error);
  g_autoptr (sqlite3_stmt) del = _scalr_store_prepare (store, "DELETE FROM run_checksums WHERE run_id = ?", error);
  if (del == NULL)
    return FALSE;
  sqlite3_bind_int64 (del, 1, run_id);
  rc = sqlite3_step (del);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "finishing a run", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_store_finish_run (ScalrStore *store, gint64 run_id, ScalrRunStatus status,
                        const char *error_message, GError **error)
{
  if (!_scalr_store_begin (store, error))
    return FALSE;
  if (!finish_run_locked (store, run_id, status, error_message, error))
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  if (!_scalr_store_commit (store, error))
    return FALSE;
  /* After the row says how it ended (committed): a check between the two sees a live run. */
  _scalr_store_liveness_release (store, run_id);
  return TRUE;
}

gboolean
scalr_store_add_timing (ScalrStore *store, gint64 run_id, const char *stage, double seconds, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_timings (run_id, stage, seconds) VALUES (?, ?, ?)", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  sqlite3_bind_text (st, 2, stage, -1, SQLITE_TRANSIENT);
  sqlite3_bind_double (st, 3, seconds);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "recording a timing", error);
      return FALSE;
    }
  return TRUE;
}

static char *
col_dup (sqlite3_stmt *st, int col)
{
  const unsigned char *t = sqlite3_column_text (st, col);
  return t ? g_strdup ((const char *) t) : NULL;
}

static ScalrRunInfo *
run_from_row (sqlite3_stmt *st)
{
  ScalrRunInfo *r = g_new0 (ScalrRunInfo, 1);
  r->id = sqlite3_column_int64 (st, 0);
  r->dataset_id = sqlite3_column_int64 (st, 1);
  r->dataset = col_dup (st, 2);
  r->name = col_dup (st, 3);
  g_autofree char *status = col_dup (st, 4);
  r->status = run_status_from_string (status);
  r->config = col_dup (st, 5);
  r->seed = (guint64) sqlite3_column_int64 (st, 6);
  r->fingerprint = col_dup (st, 7);
  r->code_version = col_dup (st, 8);
  r->created_at = col_dup (st, 9);
  r->finished_at = col_dup (st, 10);
  r->error = col_dup (st, 11);
  r->group_id = sqlite3_column_int64 (st, 12);
  r->note = col_dup (st, 13);
  r->tags = col_dup (st, 14);
  r->trashed = sqlite3_column_type (st, 15) != SQLITE_NULL;
  return r;
}

#define RUN_COLUMNS "r.id, r.dataset_id, d.name, r.name, r.status, r.config, r.seed, r.fingerprint, " \
                    "r.code_version, r.created_at, r.finished_at, r.error, r.group_id, r.note, r.tags, " \
                    "r.trashed_at"

GPtrArray *
scalr_store_list_runs (ScalrStore *store, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT " RUN_COLUMNS " FROM runs r JOIN datasets d ON d.id = r.dataset_id "
    "WHERE r.trashed_at IS NULL ORDER BY r.id", error);
  if (st == NULL)
    return NULL;
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_run_info_free);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (runs, run_from_row (st));
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "listing runs", error);
      return NULL;
    }
  return g_steal_pointer (&runs);
}

ScalrRunInfo *
scalr_store_load_run (ScalrStore *store, gint64 run_id, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT " RUN_COLUMNS " FROM runs r JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return run_from_row (st);
  if (rc == SQLITE_DONE)
    g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                 "%s: no run %" G_GINT64_FORMAT, scalr_store_get_path (store), run_id);
  else
    _scalr_store_set_error (store, rc, "reading a run", error);
  return NULL;
}

void
scalr_run_info_free (ScalrRunInfo *r)
{
  if (r == NULL)
    return;
  g_free (r->dataset);
  g_free (r->name);
  g_free (r->config);
  g_free (r->fingerprint);
  g_free (r->code_version);
  g_free (r->created_at);
  g_free (r->finished_at);
  g_free (r->error);
  g_free (r->note);
  g_free (r->tags);
  g_free (r);
}
