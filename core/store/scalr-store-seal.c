/* scalr-store-seal.c — a finished run's checksums: one SHA-256 per part of its results, over
 * the rows as stored (every column with its type and length, in primary-key order), and one
 * over the run's ranges and the parts' checksums. Computed when the run finishes, checked by
 * every getter for the part it reads, once per connection. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "scalr-sha256.h"
#include "scalr-store-private.h"

/* The rows of each part, in a stable order; ?1 is the run id. */
static const struct {
  const char *column;   /* in run_checksums */
  const char *what;     /* in messages */
  const char *sql;
} parts[SCALR_RUN_N_PARTS] = {
  [SCALR_RUN_PART_RUN] = { "run", "its config",
    "SELECT dataset_id, config, seed, fingerprint, code_version FROM runs WHERE id = ?1" },
  [SCALR_RUN_PART_SYNTHETIC] = { "synthetic", "its synthetic events",
    "SELECT chunk, n_events, users, items, probs, weights, counts FROM run_synthetic_chunks "
    "WHERE run_id = ?1 ORDER BY chunk" },
  [SCALR_RUN_PART_ARTIFACTS] = { "artifacts", "its diagnostics, summaries and split",
    "SELECT kind, name, content_type, data FROM run_artifacts WHERE run_id = ?1 ORDER BY kind, name" },
  [SCALR_RUN_PART_METRICS] = { "metrics", "its metrics",
    "SELECT model, variant, segment, metric, k, value, n_users FROM run_metrics WHERE run_id = ?1 "
    "ORDER BY model, variant, segment, metric, k" },
  [SCALR_RUN_PART_LIFTS] = { "lifts", "its lifts",
    "SELECT model, segment, metric, k, reference, baseline_model, base_mean, aug_mean, lift, ci_low, ci_high, "
    "p_t, p_wilcoxon, p_holm, n_users, level, also_strongest, note FROM run_lifts WHERE run_id = ?1 "
    "ORDER BY model, segment, metric, k, reference" },
  [SCALR_RUN_PART_USER_METRICS] = { "user_metrics", "its per-user values",
    "SELECT model, variant, metric, k, users, vals, value_type FROM run_user_metrics WHERE run_id = ?1 "
    "ORDER BY model, variant, metric, k" },
  [SCALR_RUN_PART_RECS] = { "recs", "its top-K lists",
    "SELECT model, variant, max_k, users, items, scores FROM run_recs WHERE run_id = ?1 ORDER BY model, variant" },
};

static void
feed_u64 (ScalrSha256 *sum, guint64 v)
{
  guint64 le = GUINT64_TO_LE (v);
  scalr_sha256_update (sum, &le, sizeof le);
}

/* One column: a type tag, then the value (numbers as their 8 bytes, text and blobs as their
 * length and bytes), so no two different rows feed the same bytes. */
static void
feed_column (ScalrSha256 *sum, sqlite3_stmt *st, int col)
{
  int type = sqlite3_column_type (st, col);
  guchar tag = (guchar) type;
  scalr_sha256_update (sum, &tag, 1);
  switch (type)
    {
    case SQLITE_INTEGER:
      feed_u64 (sum, (guint64) sqlite3_column_int64 (st, col));
      break;
    case SQLITE_FLOAT:
      {
        double d = sqlite3_column_double (st, col);
        guint64 bits;
        memcpy (&bits, &d, sizeof bits);
        feed_u64 (sum, bits);
        break;
      }
    case SQLITE_TEXT:
    case SQLITE_BLOB:
      {
        const void *p = type == SQLITE_TEXT ? (const void *) sqlite3_column_text (st, col) : sqlite3_column_blob (st, col);
        int n = sqlite3_column_bytes (st, col);
        feed_u64 (sum, (guint64) n);
        if (n > 0)
          scalr_sha256_update (sum, p, (gsize) n);
        break;
      }
    default:
      break;
    }
}

/* The hex SHA-256 of a part's rows (owned), NULL with @error set on an SQLite error. */
static char *
part_digest (ScalrStore *store, gint64 run_id, ScalrRunPart part, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store, parts[part].sql, error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_int64 (st, 1, run_id);
  g_autoptr (ScalrSha256) sum = scalr_sha256_new ();
  int rc;
  guint64 rows = 0;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    {
      int n = sqlite3_column_count (st);
      for (int c = 0; c < n; c++)
        feed_column (sum, st, c);
      rows++;
    }
  if (rc != SQLITE_DONE)
    {
      g_autofree char *what = g_strdup_printf ("reading %s of run %" G_GINT64_FORMAT, parts[part].what, run_id);
      _scalr_store_set_error (store, rc, what, error);
      return NULL;
    }
  feed_u64 (sum, rows);
  return scalr_sha256_hex (sum);
}

/* The checksum over the ranges and the parts' checksums. */
static char *
seal_digest (const ScalrRunCheck *shape, char *const digests[SCALR_RUN_N_PARTS])
{
  g_autoptr (ScalrSha256) sum = scalr_sha256_new ();
  static const char tag[] = "scalr run checksums 1";
  scalr_sha256_update (sum, tag, sizeof tag);
  feed_u64 (sum, shape->n_users);
  feed_u64 (sum, shape->n_target_items);
  feed_u64 (sum, shape->n_target_events);
  for (guint p = 0; p < SCALR_RUN_N_PARTS; p++)
    scalr_sha256_update (sum, digests[p], strlen (digests[p]) + 1);
  return scalr_sha256_hex (sum);
}

gboolean
_scalr_store_damaged (ScalrStore *store, gint64 run_id, GError **error, const char *format, ...)
{
  va_list ap;
  va_start (ap, format);
  g_autofree char *what = g_strdup_vprintf (format, ap);
  va_end (ap);
  g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_DAMAGED,
               "%s: run %" G_GINT64_FORMAT " is damaged: %s; the other runs are not affected",
               scalr_store_get_path (store), run_id, what);
  return FALSE;
}

/* The target items the run's summary records (0 when it has no readable summary). */
static guint64
summary_target_items (ScalrStore *store, gint64 run_id)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT data FROM run_artifacts WHERE run_id = ? AND kind = 'summary' AND name = 'run'", NULL);
  if (st == NULL)
    return 0;
  sqlite3_bind_int64 (st, 1, run_id);
  if (sqlite3_step (st) != SQLITE_ROW)
    return 0;
  g_autoptr (JsonParser) parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, sqlite3_column_blob (st, 0), sqlite3_column_bytes (st, 0), NULL))
    return 0;
  JsonNode *root = json_parser_get_root (parser);
  JsonObject *o = root && JSON_NODE_HOLDS_OBJECT (root) ? json_node_get_object (root) : NULL;
  JsonNode *split = o ? json_object_get_member (o, "split") : NULL;
  JsonObject *so = split && JSON_NODE_HOLDS_OBJECT (split) ? json_node_get_object (split) : NULL;
  JsonNode *n = so ? json_object_get_member (so, "target_items") : NULL;
  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return 0;
  gint64 v = json_node_get_int (n);
  return v > 0 ? (guint64) v : 0;
}

/* The ranges from what is stored (a run without a checksum record, and when sealing). */
static gboolean
derive_shape (ScalrStore *store, gint64 run_id, ScalrRunCheck *out, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT d.n_users, d.n_items, (SELECT length(data) FROM run_artifacts a "
    "  WHERE a.run_id = r.id AND a.kind = 'split' AND a.name = 'assignment') "
    "FROM runs r JOIN datasets d ON d.id = r.dataset_id WHERE r.id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                   "%s: no run %" G_GINT64_FORMAT, scalr_store_get_path (store), run_id);
      return FALSE;
    }
  if (rc != SQLITE_ROW)
    {
      _scalr_store_set_error (store, rc, "reading a run", error);
      return FALSE;
    }
  gint64 users = sqlite3_column_int64 (st, 0), items = sqlite3_column_int64 (st, 1);
  gint64 events = sqlite3_column_int64 (st, 2);
  if (users < 0 || users > G_MAXUINT32 || items < 0 || items > G_MAXUINT32 || events < 0)
    return _scalr_store_damaged (store, run_id, error, "its dataset records %" G_GINT64_FORMAT " users and %"
                                 G_GINT64_FORMAT " items", users, items);
  guint64 target = summary_target_items (store, run_id);
  out->n_users = (guint) users;
  out->n_target_items = target > 0 && target <= (guint64) items ? (guint) target : (guint) items;
  out->n_target_events = (guint64) events;
  out->has_checksum = FALSE;
  return TRUE;
}

/* The run's checksum record: FALSE with @error on an SQLite error or a record that is not
 * one; *found says whether there is one. */
static gboolean
read_seal (ScalrStore *store, gint64 run_id, gboolean *found, ScalrRunCheck *shape,
           char *digests[SCALR_RUN_N_PARTS], char **total, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "SELECT n_users, n_target_items, n_target_events, run, synthetic, artifacts, metrics, lifts, "
    "user_metrics, recs, sha256 FROM run_checksums WHERE run_id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  int rc = sqlite3_step (st);
  *found = rc == SQLITE_ROW;
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _scalr_store_set_error (store, rc, "reading a run's checksums", error);
      return FALSE;
    }
  gint64 users = sqlite3_column_int64 (st, 0), items = sqlite3_column_int64 (st, 1);
  gint64 events = sqlite3_column_int64 (st, 2);
  for (int c = 0; c < 3; c++)
    if (sqlite3_column_type (st, c) != SQLITE_INTEGER)
      return _scalr_store_damaged (store, run_id, error, "its checksum record is not readable");
  if (users < 0 || users > G_MAXUINT32 || items < 0 || items > G_MAXUINT32 || events < 0)
    return _scalr_store_damaged (store, run_id, error, "its checksum record holds impossible ranges");
  shape->n_users = (guint) users;
  shape->n_target_items = (guint) items;
  shape->n_target_events = (guint64) events;
  shape->has_checksum = TRUE;
  for (int p = 0; p < SCALR_RUN_N_PARTS + 1; p++)
    {
      const char *t = (const char *) sqlite3_column_text (st, 3 + p);
      if (t == NULL || strlen (t) != 64 || strspn (t, "0123456789abcdef") != 64)
        {
          for (int q = 0; q < p && q < SCALR_RUN_N_PARTS; q++)
            g_clear_pointer (&digests[q], g_free);
          return _scalr_store_damaged (store, run_id, error, "its checksum record is not readable");
        }
      if (p < SCALR_RUN_N_PARTS)
        digests[p] = g_strdup (t);
      else
        *total = g_strdup (t);
    }
  return TRUE;
}

static void
free_digests (char *digests[SCALR_RUN_N_PARTS])
{
  for (guint p = 0; p < SCALR_RUN_N_PARTS; p++)
    g_clear_pointer (&digests[p], g_free);
}

gboolean
_scalr_store_run_shape (ScalrStore *store, gint64 run_id, ScalrRunCheck *out, GError **error)
{
  ScalrRunCache *c = _scalr_store_run_cache (store, run_id);
  if (!c->have_shape)
    {
      char *digests[SCALR_RUN_N_PARTS] = { NULL };
      g_autofree char *total = NULL;
      gboolean found;
      if (!read_seal (store, run_id, &found, &c->shape, digests, &total, error))
        return FALSE;
      if (found)
        {
          g_autofree char *expect = seal_digest (&c->shape, digests);
          free_digests (digests);
          if (strcmp (expect, total) != 0)
            return _scalr_store_damaged (store, run_id, error,
                                         "its checksum record no longer matches itself (altered after the run finished)");
        }
      else if (!derive_shape (store, run_id, &c->shape, error))
        return FALSE;
      c->have_shape = TRUE;
    }
  *out = c->shape;
  return TRUE;
}

gboolean
_scalr_store_verify_part (ScalrStore *store, gint64 run_id, ScalrRunPart part, GError **error)
{
  ScalrRunCheck shape;
  if (!_scalr_store_run_shape (store, run_id, &shape, error))
    return FALSE;
  ScalrRunCache *c = _scalr_store_run_cache (store, run_id);
  if (!shape.has_checksum || (c->verified & (1u << part)))
    return TRUE;
  char *digests[SCALR_RUN_N_PARTS] = { NULL };
  g_autofree char *total = NULL;
  gboolean found;
  ScalrRunCheck again;
  if (!read_seal (store, run_id, &found, &again, digests, &total, error))
    return FALSE;
  g_autofree char *stored = found ? g_strdup (digests[part]) : NULL;
  free_digests (digests);
  if (!found)   /* the record went away since the shape was read: another writer re-ran it */
    return TRUE;
  g_autofree char *now = part_digest (store, run_id, part, error);
  if (now == NULL)
    return FALSE;
  if (strcmp (now, stored) != 0)
    return _scalr_store_damaged (store, run_id, error, "the checksum of %s no longer matches (altered after the "
                                 "run finished)", parts[part].what);
  c->verified |= 1u << part;
  return TRUE;
}

gboolean
_scalr_store_seal_run (ScalrStore *store, gint64 run_id, GError **error)
{
  _scalr_store_forget_run (store, run_id);
  ScalrRunCheck shape;
  if (!derive_shape (store, run_id, &shape, error))
    return FALSE;
  char *digests[SCALR_RUN_N_PARTS] = { NULL };
  gboolean ok = TRUE;
  for (guint p = 0; p < SCALR_RUN_N_PARTS && ok; p++)
    ok = (digests[p] = part_digest (store, run_id, p, error)) != NULL;
  if (!ok)
    {
      free_digests (digests);
      return FALSE;
    }
  g_autofree char *total = seal_digest (&shape, digests);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store,
    "INSERT OR REPLACE INTO run_checksums (run_id, n_users, n_target_items, n_target_events, run, synthetic, "
    "artifacts, metrics, lifts, user_metrics, recs, sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)", error);
  if (st == NULL)
    {
      free_digests (digests);
      return FALSE;
    }
  sqlite3_bind_int64 (st, 1, run_id);
  sqlite3_bind_int64 (st, 2, shape.n_users);
  sqlite3_bind_int64 (st, 3, shape.n_target_items);
  sqlite3_bind_int64 (st, 4, (sqlite3_int64) shape.n_target_events);
  for (guint p = 0; p < SCALR_RUN_N_PARTS; p++)
    sqlite3_bind_text (st, 5 + (int) p, digests[p], -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (st, 5 + SCALR_RUN_N_PARTS, total, -1, SQLITE_TRANSIENT);
  free_digests (digests);
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "recording a run's checksums", error);
      return FALSE;
    }
  /* The digests were just taken from the rows as stored: this connection need not hash them
   * again to read the run, as for a part it verified once (a rollback forgets it). */
  _scalr_store_run_cache (store, run_id)->verified = (1u << SCALR_RUN_N_PARTS) - 1;
  return TRUE;
}

gboolean
_scalr_store_results_changed (ScalrStore *store, gint64 run_id, GError **error)
{
  _scalr_store_forget_run (store, run_id);
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store, "SELECT 1 FROM run_checksums WHERE run_id = ?", error);
  if (st == NULL)
    return FALSE;
  sqlite3_bind_int64 (st, 1, run_id);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_DONE)
    return TRUE;
  if (rc != SQLITE_ROW)
    {
      _scalr_store_set_error (store, rc, "reading a run's checksums", error);
      return FALSE;
    }
  sqlite3_reset (st);
  return _scalr_store_seal_run (store, run_id, error);
}
