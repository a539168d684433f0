/* scalr-store-datasets.c — datasets in the store: events as little-endian blob chunks
 * (compact and fast to write), id maps as NUL-separated blobs, items as rows. */
#include "config.h"

#include <string.h>

#include "scalr-dataset-private.h"
#include "scalr-fault.h"
#include "scalr-store-private.h"

#define CHUNK_EVENTS 65536

G_STATIC_ASSERT (G_BYTE_ORDER == G_LITTLE_ENDIAN);   /* blobs are the in-memory arrays */

static void
bind_arena (sqlite3_stmt *st, int col, ScalrIdMap *map)
{
  gsize len;
  const char *arena = scalr_id_map_get_arena (map, &len);
  sqlite3_bind_blob64 (st, col, len ? arena : "", len, SQLITE_STATIC);
}

static gboolean
step_done (ScalrStore *store, sqlite3_stmt *st, const char *what, GError **error)
{
  int rc = sqlite3_step (st);
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, what, error);
      return FALSE;
    }
  return TRUE;
}

/* Fails with SCALR_STORE_ERROR_EXISTS when the store has a dataset named @name. */
static gboolean
check_name_free (ScalrStore *store, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) exists = _scalr_store_prepare (store, "SELECT 1 FROM datasets WHERE name = ?", error);
  if (exists == NULL)
    return FALSE;
  sqlite3_bind_text (exists, 1, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (exists);
  if (rc == SQLITE_ROW)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_EXISTS,
                   "%s: a dataset named '%s' exists already; choose another --name",
                   scalr_store_get_path (store), name);
      return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "looking up the dataset name", error);
      return FALSE;
    }
  return TRUE;
}

/* The datasets row (counts, flags and the id maps' arenas); *out_id gets its id. */
static gboolean
insert_dataset_row (ScalrStore *store, ScalrDataset *d, const char *events_source, const char *items_source,
                    const char *format, gint64 *out_id, GError **error)
{
  g_autoptr (sqlite3_stmt) ins = _scalr_store_prepare (store,
    "INSERT INTO datasets (name, created_at, events_source, items_source, format, fingerprint, "
    "n_events, n_users, n_items, n_duplicates, has_rating, has_timestamp, has_item_metadata, "
    "users, domains, categories) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", error);
  if (ins == NULL)
    return FALSE;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  sqlite3_bind_text (ins, 1, scalr_dataset_get_name (d), -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 2, stamp, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 3, events_source ? events_source : "", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 4, items_source, -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 5, format ? format : "auto", -1, SQLITE_TRANSIENT);
  sqlite3_bind_text (ins, 6, scalr_dataset_get_fingerprint (d), -1, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (ins, 7, (sqlite3_int64) scalr_dataset_get_n_events (d));
  sqlite3_bind_int64 (ins, 8, scalr_dataset_get_n_users (d));
  sqlite3_bind_int64 (ins, 9, scalr_dataset_get_n_items (d));
  sqlite3_bind_int64 (ins, 10, (sqlite3_int64) scalr_dataset_get_n_duplicates (d));
  sqlite3_bind_int (ins, 11, scalr_dataset_has_ratings (d));
  sqlite3_bind_int (ins, 12, scalr_dataset_has_timestamps (d));
  sqlite3_bind_int (ins, 13, scalr_dataset_has_item_metadata (d));
  bind_arena (ins, 14, scalr_dataset_get_users (d));
  bind_arena (ins, 15, scalr_dataset_get_domains (d));
  bind_arena (ins, 16, scalr_dataset_get_categories (d));
  if (!step_done (store, ins, "writing the dataset", error))
    return FALSE;
  *out_id = sqlite3_last_insert_rowid (_scalr_store_get_db (store));
  return TRUE;
}

/* One row per item: its name and, with metadata, its title and category ids. */
static gboolean
write_items (ScalrStore *store, ScalrDataset *d, gint64 id, GError **error)
{
  g_autoptr (sqlite3_stmt) item = _scalr_store_prepare (store,
    "INSERT INTO dataset_items (dataset_id, iid, name, title, categories) VALUES (?,?,?,?,?)", error);
  if (item == NULL)
    return FALSE;
  ScalrIdMap *items = scalr_dataset_get_items (d);
  guint n_items = scalr_dataset_get_n_items (d);
  gboolean meta = scalr_dataset_has_item_metadata (d);
  for (guint i = 0; i < n_items; i++)
    {
      sqlite3_reset (item);
      sqlite3_bind_int64 (item, 1, id);
      sqlite3_bind_int64 (item, 2, i);
      sqlite3_bind_text (item, 3, scalr_id_map_get_name (items, i), -1, SQLITE_STATIC);
      if (meta)
        {
          guint nc;
          const guint32 *cats = scalr_dataset_get_item_categories (d, i, &nc);
          sqlite3_bind_text (item, 4, scalr_dataset_get_item_title (d, i), -1, SQLITE_STATIC);
          sqlite3_bind_blob (item, 5, nc ? (const void *) cats : "", (int) (nc * sizeof (guint32)), SQLITE_STATIC);
        }
      else
        {
          sqlite3_bind_null (item, 4);
          sqlite3_bind_null (item, 5);
        }
      if (!step_done (store, item, "writing items", error))
        return FALSE;
    }
  return TRUE;
}

/* The events in chunks of CHUNK_EVENTS, each column a little-endian blob. */
static gboolean
write_event_chunks (ScalrStore *store, ScalrDataset *d, gint64 id, GError **error)
{
  g_autoptr (sqlite3_stmt) chunk = _scalr_store_prepare (store,
    "INSERT INTO dataset_event_chunks (dataset_id, chunk, n_events, users, items, domains, ratings, timestamps) "
    "VALUES (?,?,?,?,?,?,?,?)", error);
  if (chunk == NULL)
    return FALSE;
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  g_autofree guint32 *users = g_new (guint32, CHUNK_EVENTS);
  guint n_users = scalr_dataset_get_n_users (d);
  guint u = 0;
  for (guint64 start = 0, c = 0; start < ev.n_events; start += CHUNK_EVENTS, c++)
    {
      guint64 n = MIN ((guint64) CHUNK_EVENTS, ev.n_events - start);
      for (guint64 k = 0; k < n; k++)
        {
          while (u < n_users && ev.user_ptr[u + 1] <= start + k)
            u++;
          users[k] = u;
        }
      sqlite3_reset (chunk);
      sqlite3_bind_int64 (chunk, 1, id);
      sqlite3_bind_int64 (chunk, 2, (sqlite3_int64) c);
      sqlite3_bind_int64 (chunk, 3, (sqlite3_int64) n);
      sqlite3_bind_blob64 (chunk, 4, users, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (chunk, 5, ev.item + start, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (chunk, 6, ev.domain + start, n, SQLITE_STATIC);
      sqlite3_bind_blob64 (chunk, 7, ev.rating + start, n * 4, SQLITE_STATIC);
      sqlite3_bind_blob64 (chunk, 8, ev.timestamp + start, n * 8, SQLITE_STATIC);
      if (!step_done (store, chunk, "writing events", error))
        return FALSE;
      if (c == (ev.n_events / CHUNK_EVENTS) / 2)
        scalr_fault_point ("import-write");
    }
  return TRUE;
}

static gboolean
write_dataset (ScalrStore *store, ScalrDataset *d, const char *events_source, const char *items_source,
               const char *format, gint64 *out_id, GError **error)
{
  gint64 id;
  if (!check_name_free (store, scalr_dataset_get_name (d), error)
      || !insert_dataset_row (store, d, events_source, items_source, format, &id, error)
      || !write_items (store, d, id, error)
      || !write_event_chunks (store, d, id, error))
    return FALSE;
  if (out_id)
    *out_id = id;
  return TRUE;
}

gboolean
scalr_store_add_dataset (ScalrStore *store, ScalrDataset *d, const char *events_source,
                         const char *items_source, const char *format, gint64 *out_id, GError **error)
{
  g_return_val_if_fail (store != NULL && d != NULL, FALSE);
  if (!_scalr_store_begin (store, error))
    return FALSE;
  if (!write_dataset (store, d, events_source, items_source, format, out_id, error))
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  return _scalr_store_commit (store, error);
}

#define INFO_COLUMNS "id, name, created_at, events_source, items_source, format, fingerprint, " \
                     "n_events, n_users, n_items, n_duplicates, length(domains) - length(replace(domains, x'00', '')), has_item_metadata"

static ScalrDatasetInfo *
info_from_row (sqlite3_stmt *st)
{
  ScalrDatasetInfo *info = g_new0 (ScalrDatasetInfo, 1);
  info->id = sqlite3_column_int64 (st, 0);
  info->name = g_strdup ((const char *) sqlite3_column_text (st, 1));
  info->created_at = g_strdup ((const char *) sqlite3_column_text (st, 2));
  info->events_source = g_strdup ((const char *) sqlite3_column_text (st, 3));
  info->items_source = g_strdup ((const char *) sqlite3_column_text (st, 4));
  info->format = g_strdup ((const char *) sqlite3_column_text (st, 5));
  info->fingerprint = g_strdup ((const char *) sqlite3_column_text (st, 6));
  info->n_events = (guint64) sqlite3_column_int64 (st, 7);
  info->n_users = (guint) sqlite3_column_int64 (st, 8);
  info->n_items = (guint) sqlite3_column_int64 (st, 9);
  info->n_duplicates = (guint64) sqlite3_column_int64 (st, 10);
  info->n_domain_labels = (guint) sqlite3_column_int64 (st, 11);
  info->has_item_metadata = sqlite3_column_int (st, 12) != 0;
  return info;
}

void
scalr_dataset_info_free (ScalrDatasetInfo *info)
{
  if (info == NULL)
    return;
  g_free (info->name);
  g_free (info->created_at);
  g_free (info->events_source);
  g_free (info->items_source);
  g_free (info->format);
  g_free (info->fingerprint);
  g_free (info);
}

GPtrArray *
scalr_store_list_datasets (ScalrStore *store, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store, "SELECT " INFO_COLUMNS " FROM datasets ORDER BY id", error);
  if (st == NULL)
    return NULL;
  g_autoptr (GPtrArray) out = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_dataset_info_free);
  int rc;
  while ((rc = sqlite3_step (st)) == SQLITE_ROW)
    g_ptr_array_add (out, info_from_row (st));
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (store, rc, "listing datasets", error);
      return NULL;
    }
  return g_steal_pointer (&out);
}

ScalrDatasetInfo *
scalr_store_load_dataset_info (ScalrStore *store, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (store, "SELECT " INFO_COLUMNS " FROM datasets WHERE name = ?", error);
  if (st == NULL)
    return NULL;
  sqlite3_bind_text (st, 1, name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (st);
  if (rc == SQLITE_ROW)
    return info_from_row (st);
  if (rc == SQLITE_DONE)
    g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                 "%s: no dataset named '%s' (scalr datasets lists them)", scalr_store_get_path (store), name);
  else
    _scalr_store_set_error (store, rc, "reading a dataset", error);
  return NULL;
}

static gboolean
corrupt (ScalrStore *store, const char *name, const char *what, GError **error)
{
  g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_CORRUPT,
               "%s: dataset '%s' is damaged: %s", scalr_store_get_path (store), name, what);
  return FALSE;
}

static gboolean
intern_arena (ScalrIdMap *map, const void *blob, int len)
{
  const char *p = blob;
  if (len > 0 && p[len - 1] != '\0')
    return FALSE;
  for (int pos = 0; pos < len;)
    {
      gsize n = strlen (p + pos);
      gboolean added;
      scalr_id_map_intern (map, p + pos, n, &added);
      if (!added)
        return FALSE;
      pos += (int) n + 1;
    }
  return TRUE;
}

/* A dataset being read back: its row's counts and the builder that receives it. */
typedef struct {
  ScalrStore          *store;
  const char          *name;
  gint64               id;
  char                *fingerprint;   /* owned */
  guint64              n_events, n_duplicates;
  guint                n_users, n_items;
  gboolean             has_meta;
  ScalrDatasetBuilder *b;             /* owned */
} Loading;

static void
loading_clear (Loading *l)
{
  g_free (l->fingerprint);
  g_clear_pointer (&l->b, _scalr_dataset_builder_free);
}

/* The datasets row: counts, flags, and the user, label and category lists. */
static gboolean
read_head (Loading *l, GError **error)
{
  g_autoptr (sqlite3_stmt) head = _scalr_store_prepare (l->store,
    "SELECT id, fingerprint, n_events, n_users, n_items, n_duplicates, has_rating, has_timestamp, "
    "has_item_metadata, users, domains, categories FROM datasets WHERE name = ?", error);
  if (head == NULL)
    return FALSE;
  sqlite3_bind_text (head, 1, l->name, -1, SQLITE_TRANSIENT);
  int rc = sqlite3_step (head);
  if (rc != SQLITE_ROW)
    {
      if (rc == SQLITE_DONE)
        g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND,
                     "%s: no dataset named '%s' (scalr datasets lists them)", scalr_store_get_path (l->store), l->name);
      else
        _scalr_store_set_error (l->store, rc, "reading a dataset", error);
      return FALSE;
    }
  l->id = sqlite3_column_int64 (head, 0);
  l->fingerprint = g_strdup ((const char *) sqlite3_column_text (head, 1));
  l->n_events = (guint64) sqlite3_column_int64 (head, 2);
  l->n_users = (guint) sqlite3_column_int64 (head, 3);
  l->n_items = (guint) sqlite3_column_int64 (head, 4);
  l->n_duplicates = (guint64) sqlite3_column_int64 (head, 5);
  l->has_meta = sqlite3_column_int (head, 8);
  l->b = _scalr_dataset_builder_new ();
  _scalr_dataset_builder_set_columns (l->b, sqlite3_column_int (head, 6), sqlite3_column_int (head, 7));
  gboolean ok = intern_arena (_scalr_dataset_builder_get_users (l->b), sqlite3_column_blob (head, 9), sqlite3_column_bytes (head, 9))
             && intern_arena (_scalr_dataset_builder_get_domains (l->b), sqlite3_column_blob (head, 10), sqlite3_column_bytes (head, 10))
             && intern_arena (_scalr_dataset_builder_get_categories (l->b), sqlite3_column_blob (head, 11), sqlite3_column_bytes (head, 11));
  if (!ok || scalr_id_map_get_size (_scalr_dataset_builder_get_users (l->b)) != l->n_users)
    return corrupt (l->store, l->name, "the user or label lists do not match the counts", error);
  return TRUE;
}

/* An item's stored category ids into the builder; FALSE when one is out of range. */
static gboolean
read_item_meta (Loading *l, sqlite3_stmt *items, guint iid)
{
  ScalrIdMap *cats = _scalr_dataset_builder_get_categories (l->b);
  guint n_cats = scalr_id_map_get_size (cats);
  int nbytes = sqlite3_column_bytes (items, 3);
  const guint32 *ids = sqlite3_column_blob (items, 3);
  guint nc = (guint) nbytes / 4;
  g_autofree const char **names = g_new (const char *, nc + 1);
  for (guint c = 0; c < nc; c++)
    {
      guint32 cid;
      memcpy (&cid, ids + c, 4);
      if (cid >= n_cats)
        return FALSE;
      names[c] = scalr_id_map_get_name (cats, cid);
    }
  _scalr_dataset_builder_set_item_meta (l->b, iid, (const char *) sqlite3_column_text (items, 2), names, nc);
  return TRUE;
}

/* The item rows, in id order: the item map and, with metadata, titles and categories. */
static gboolean
read_items (Loading *l, GError **error)
{
  g_autoptr (sqlite3_stmt) items = _scalr_store_prepare (l->store,
    "SELECT iid, name, title, categories FROM dataset_items WHERE dataset_id = ? ORDER BY iid", error);
  if (items == NULL)
    return FALSE;
  sqlite3_bind_int64 (items, 1, l->id);
  ScalrIdMap *item_map = _scalr_dataset_builder_get_items (l->b);
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;
  while (ok && (rc = sqlite3_step (items)) == SQLITE_ROW)
    {
      guint iid = (guint) sqlite3_column_int64 (items, 0);
      const char *iname = (const char *) sqlite3_column_text (items, 1);
      gboolean added;
      ok = iid == scalr_id_map_get_size (item_map) && iname != NULL
           && scalr_id_map_intern (item_map, iname, strlen (iname), &added) == iid && added
           && (!l->has_meta || read_item_meta (l, items, iid));
    }
  if (ok && rc != SQLITE_DONE)
    {
      _scalr_store_set_error (l->store, rc, "reading items", error);
      return FALSE;
    }
  if (!ok || scalr_id_map_get_size (item_map) != l->n_items)
    return corrupt (l->store, l->name, "the item list does not match the counts", error);
  return TRUE;
}

/* One chunk row's events into the builder; FALSE when its blobs or ids are out of shape. */
static gboolean
read_chunk (Loading *l, sqlite3_stmt *chunks, guint n_labels, guint64 *total)
{
  gint64 n = sqlite3_column_int64 (chunks, 0);
  if (n <= 0 || n > CHUNK_EVENTS
      || sqlite3_column_bytes (chunks, 1) != n * 4 || sqlite3_column_bytes (chunks, 2) != n * 4
      || sqlite3_column_bytes (chunks, 3) != n || sqlite3_column_bytes (chunks, 4) != n * 4
      || sqlite3_column_bytes (chunks, 5) != n * 8)
    return FALSE;
  const guint8 *pu = sqlite3_column_blob (chunks, 1), *pi = sqlite3_column_blob (chunks, 2);
  const guint8 *pd = sqlite3_column_blob (chunks, 3), *pr = sqlite3_column_blob (chunks, 4);
  const guint8 *pt = sqlite3_column_blob (chunks, 5);
  for (gint64 k = 0; k < n; k++)
    {
      guint32 u, i;
      float r;
      double t;
      memcpy (&u, pu + 4 * k, 4);
      memcpy (&i, pi + 4 * k, 4);
      memcpy (&r, pr + 4 * k, 4);
      memcpy (&t, pt + 8 * k, 8);
      if (u >= l->n_users || i >= l->n_items || pd[k] >= n_labels)
        return FALSE;
      _scalr_dataset_builder_add (l->b, u, i, pd[k], r, t);
    }
  *total += (guint64) n;
  return TRUE;
}

static gboolean
read_events (Loading *l, GCancellable *cancellable, GError **error)
{
  g_autoptr (sqlite3_stmt) chunks = _scalr_store_prepare (l->store,
    "SELECT n_events, users, items, domains, ratings, timestamps FROM dataset_event_chunks "
    "WHERE dataset_id = ? ORDER BY chunk", error);
  if (chunks == NULL)
    return FALSE;
  sqlite3_bind_int64 (chunks, 1, l->id);
  guint n_labels = scalr_id_map_get_size (_scalr_dataset_builder_get_domains (l->b));
  guint64 total = 0;
  gboolean ok = TRUE;
  int rc = SQLITE_DONE;
  while (ok && (rc = sqlite3_step (chunks)) == SQLITE_ROW)
    {
      ok = read_chunk (l, chunks, n_labels, &total);
      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (ok && rc != SQLITE_DONE)
    {
      _scalr_store_set_error (l->store, rc, "reading events", error);
      return FALSE;
    }
  if (!ok || total != l->n_events)
    return corrupt (l->store, l->name, "the event chunks do not match the counts", error);
  return TRUE;
}

ScalrDataset *
scalr_store_load_dataset (ScalrStore *store, const char *name, GCancellable *cancellable, GError **error)
{
  /* One read transaction: a consistent snapshot even while another process writes. */
  if (!_scalr_store_exec (store, "BEGIN", error))
    return NULL;
  Loading l = { .store = store, .name = name };
  gboolean ok = read_head (&l, error) && read_items (&l, error) && read_events (&l, cancellable, error);
  _scalr_store_rollback (store);   /* end the read transaction */
  if (!ok)
    {
      loading_clear (&l);
      return NULL;
    }
  g_autoptr (ScalrDataset) d = _scalr_dataset_builder_finish (g_steal_pointer (&l.b), name, error);
  gboolean same = d != NULL && g_strcmp0 (scalr_dataset_get_fingerprint (d), l.fingerprint) == 0;
  loading_clear (&l);
  if (d == NULL)
    return NULL;
  if (!same)
    {
      corrupt (store, name, "its events do not match the stored fingerprint", error);
      return NULL;
    }
  _scalr_dataset_set_n_duplicates (d, l.n_duplicates);
  return g_steal_pointer (&d);
}

gboolean
scalr_store_delete_dataset (ScalrStore *store, const char *name, GError **error)
{
  g_autoptr (ScalrDatasetInfo) info = scalr_store_load_dataset_info (store, name, error);
  if (info == NULL)
    return FALSE;
  if (!_scalr_store_begin (store, error))
    return FALSE;
  g_autoptr (sqlite3_stmt) runs = _scalr_store_prepare (store, "SELECT count(*) FROM runs WHERE dataset_id = ?", error);
  if (runs == NULL)
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (runs, 1, info->id);
  if (sqlite3_step (runs) == SQLITE_ROW && sqlite3_column_int64 (runs, 0) > 0)
    {
      _scalr_store_rollback (store);
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_EXISTS,
                   "%s: dataset '%s' has %" G_GINT64_FORMAT " runs; it is kept so they stay reproducible",
                   scalr_store_get_path (store), name, (gint64) sqlite3_column_int64 (runs, 0));
      return FALSE;
    }
  g_autoptr (sqlite3_stmt) del = _scalr_store_prepare (store, "DELETE FROM datasets WHERE id = ?", error);
  if (del == NULL)
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  sqlite3_bind_int64 (del, 1, info->id);
  if (!step_done (store, del, "deleting a dataset", error))
    {
      _scalr_store_rollback (store);
      return FALSE;
    }
  return _scalr_store_commit (store, error);
}
