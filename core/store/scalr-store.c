/* scalr-store.c — opening, migrating and error handling of the experiment store; run liveness
 * (the rows of runs are in scalr-store-runs.c). */
#ifndef _GNU_SOURCE
#define _GNU_SOURCE   /* F_OFD_SETLK */
#endif
#include "config.h"

#include "scalr-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/statvfs.h>
#include <sys/types.h>
#include <unistd.h>

G_DEFINE_QUARK (scalr-store-error-quark, scalr_store_error)

struct _ScalrStore {
  sqlite3 *db;
  char    *path;
  int      schema_version;
  guint    n_marked_interrupted;
  int      busy_timeout_ms;
  gboolean read_only;
  gint64   busy_since;      /* µs, when the current wait began */
  gboolean busy_reported;
  ScalrStoreBusyFunc busy_func;
  gpointer busy_data;
  GHashTable *runs;         /* gint64* run id → ScalrRunCache* */
  int      lock_fd;         /* the run liveness file (-1 until a run is created or checked) */
  GArray  *held;            /* gint64: runs whose liveness lock this connection holds */
};

/* Waits for another process's lock with a growing sleep; after a second of waiting, says
 * so once through the busy callback; gives up after the timeout (SQLITE_BUSY). */
static int
busy_handler (void *data, int count)
{
  ScalrStore *self = data;
  gint64 now = g_get_monotonic_time ();
  if (count == 0)
    {
      self->busy_since = now;
      self->busy_reported = FALSE;
    }
  gint64 waited = now - self->busy_since;
  if (waited >= (gint64) self->busy_timeout_ms * 1000)
    return 0;
  if (!self->busy_reported && waited >= 1000000 && self->busy_func)
    {
      self->busy_reported = TRUE;
      self->busy_func (self->path, waited / 1e6, self->busy_data);
    }
  g_usleep ((gulong) MIN (2000 + 2000 * (gint64) count, 50000));
  return 1;
}

void
scalr_store_set_busy_func (ScalrStore *self, ScalrStoreBusyFunc func, gpointer data)
{
  self->busy_func = func;
  self->busy_data = data;
}

/* Migration k takes the schema from version k to k + 1. Never edit a released step:
 * add a new one. */
static const char *const migrations[] = {
  /* 0 → 1: datasets with their events, runs with their timings, and generic artifacts. */
  "CREATE TABLE datasets ("
  "  id INTEGER PRIMARY KEY,"
  "  name TEXT NOT NULL UNIQUE,"
  "  created_at TEXT NOT NULL,"
  "  events_source TEXT NOT NULL,"
  "  items_source TEXT,"
  "  format TEXT NOT NULL,"
  "  fingerprint TEXT NOT NULL,"
  "  n_events INTEGER NOT NULL,"
  "  n_users INTEGER NOT NULL,"
  "  n_items INTEGER NOT NULL,"
  "  n_duplicates INTEGER NOT NULL,"
  "  has_rating INTEGER NOT NULL,"
  "  has_timestamp INTEGER NOT NULL,"
  "  has_item_metadata INTEGER NOT NULL,"
  "  users BLOB NOT NULL,"          /* user names, NUL-separated, in dense-id order */
  "  domains BLOB NOT NULL,"        /* domain labels, the same way */
  "  categories BLOB NOT NULL"      /* category names, the same way */
  ");"
  "CREATE TABLE dataset_items ("
  "  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,"
  "  iid INTEGER NOT NULL,"
  "  name TEXT NOT NULL,"
  "  title TEXT,"
  "  categories BLOB,"              /* little-endian uint32 category ids */
  "  PRIMARY KEY (dataset_id, iid)"
  ") WITHOUT ROWID;"
  "CREATE TABLE dataset_event_chunks ("
  "  dataset_id INTEGER NOT NULL REFERENCES datasets(id) ON DELETE CASCADE,"
  "  chunk INTEGER NOT NULL,"
  "  n_events INTEGER NOT NULL,"
  "  users BLOB NOT NULL,"          /* little-endian arrays of n_events values */
  "  items BLOB NOT NULL,"
  "  domains BLOB NOT NULL,"
  "  ratings BLOB NOT NULL,"
  "  timestamps BLOB NOT NULL,"
  "  PRIMARY KEY (dataset_id, chunk)"
  ");"
  "CREATE TABLE runs ("
  "  id INTEGER PRIMARY KEY,"
  "  dataset_id INTEGER NOT NULL REFERENCES datasets(id),"
  "  name TEXT,"
  "  status TEXT NOT NULL CHECK (status IN ('pending','running','finished','failed','cancelled','interrupted')),"
  "  config TEXT NOT NULL,"
  "  seed INTEGER NOT NULL,"
  "  fingerprint TEXT NOT NULL,"
  "  code_version TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  finished_at TEXT,"
  "  error TEXT,"
  "  pid INTEGER,"
  "  host TEXT"
  ");"
  "CREATE INDEX runs_dataset ON runs(dataset_id);"
  "CREATE TABLE run_timings ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  stage TEXT NOT NULL,"
  "  seconds REAL NOT NULL,"
  "  PRIMARY KEY (run_id, stage)"
  ") WITHOUT ROWID;"
  "CREATE TABLE run_artifacts ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  kind TEXT NOT NULL,"
  "  name TEXT NOT NULL,"
  "  content_type TEXT NOT NULL,"
  "  data BLOB NOT NULL,"
  "  PRIMARY KEY (run_id, kind, name)"
  ") WITHOUT ROWID;",
  /* 1 → 2: synthetic events of a run, as little-endian blob chunks. */
  "CREATE TABLE run_synthetic_chunks ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  chunk INTEGER NOT NULL,"
  "  n_events INTEGER NOT NULL,"
  "  users BLOB NOT NULL,"
  "  items BLOB NOT NULL,"
  "  probs BLOB NOT NULL,"
  "  weights BLOB NOT NULL,"
  "  counts BLOB NOT NULL,"
  "  PRIMARY KEY (run_id, chunk)"
  ");",
  /* 2 → 3: downstream evaluation — aggregate metrics, lifts, per-user vectors, top-K lists. */
  "CREATE TABLE run_metrics ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL, variant TEXT NOT NULL, segment TEXT NOT NULL,"
  "  metric TEXT NOT NULL, k INTEGER NOT NULL,"
  "  value REAL, n_users INTEGER NOT NULL,"
  "  PRIMARY KEY (run_id, model, variant, segment, metric, k)"
  ") WITHOUT ROWID;"
  "CREATE TABLE run_lifts ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL, segment TEXT NOT NULL, metric TEXT NOT NULL, k INTEGER NOT NULL,"
  "  reference TEXT NOT NULL CHECK (reference IN ('own','strongest')),"
  "  baseline_model TEXT NOT NULL,"
  "  base_mean REAL, aug_mean REAL, lift REAL, ci_low REAL, ci_high REAL,"
  "  p_t REAL, p_wilcoxon REAL, p_holm REAL, n_users INTEGER NOT NULL,"
  "  PRIMARY KEY (run_id, model, segment, metric, k, reference)"
  ") WITHOUT ROWID;"
  "CREATE TABLE run_user_metrics ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL, variant TEXT NOT NULL, metric TEXT NOT NULL, k INTEGER NOT NULL,"
  "  users BLOB NOT NULL, vals BLOB NOT NULL,"   /* little-endian uint32 users, float32 values */
  "  PRIMARY KEY (run_id, model, variant, metric, k)"
  ") WITHOUT ROWID;"
  "CREATE TABLE run_recs ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL, variant TEXT NOT NULL, max_k INTEGER NOT NULL,"
  "  users BLOB NOT NULL, items BLOB NOT NULL, scores BLOB NOT NULL,"
  "  PRIMARY KEY (run_id, model, variant)"
  ") WITHOUT ROWID;",
  /* 3 → 4: per-user values in double (older rows stay float32 and are read as such), and
   * each lift row's CI level, whether its own baseline is also the strongest, and the
   * reason a statistic is undefined. Older lift rows have no level: it is read from their
   * run's config. */
  "ALTER TABLE run_user_metrics ADD COLUMN value_type TEXT NOT NULL DEFAULT 'float32'"
  "  CHECK (value_type IN ('float32','float64'));"
  "ALTER TABLE run_lifts ADD COLUMN level REAL;"
  "ALTER TABLE run_lifts ADD COLUMN also_strongest INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE run_lifts ADD COLUMN note TEXT;",
  /* 4 → 5: validation users. Runs stored before [split] valid_users existed were split by
   * the older protocol (valid_fraction of every tested user's events, no validation users):
   * their stored configs say so explicitly, so that they rebuild exactly the split they were
   * run with now that valid_users defaults to a share of the users. */
  "UPDATE runs SET config = replace (config, '[split]' || char (10),"
  "                                  '[split]' || char (10) || 'valid_users=0' || char (10))"
  " WHERE instr (config, 'valid_users=') = 0;",
  /* 5 → 6: a checksum per part of a finished run's results (hex SHA-256), over the run's
   * ranges recorded beside them; `sha256` covers the ranges and every part's checksum. Runs
   * finished before have none: they load with a note that they cannot be verified. A later
   * migration that rewrites a finished run's rows must record its checksums again. */
  "CREATE TABLE run_checksums ("
  "  run_id INTEGER PRIMARY KEY REFERENCES runs(id) ON DELETE CASCADE,"
  "  n_users INTEGER NOT NULL, n_target_items INTEGER NOT NULL, n_target_events INTEGER NOT NULL,"
  "  run TEXT NOT NULL, synthetic TEXT NOT NULL, artifacts TEXT NOT NULL, metrics TEXT NOT NULL,"
  "  lifts TEXT NOT NULL, user_metrics TEXT NOT NULL, recs TEXT NOT NULL,"
  "  sha256 TEXT NOT NULL"
  ");",
  /* 6 → 7: managing runs — groups (sweeps, searches, replicates, hand-picked sets), notes,
   * tags, and a trash for deletes that can be undone. None of it is a run's results: the
   * checksums of migration 5 → 6 do not cover these columns and tables, and editing them
   * leaves a finished run's checksums valid. */
  "CREATE TABLE run_groups ("
  "  id INTEGER PRIMARY KEY,"
  "  kind TEXT NOT NULL CHECK (kind IN ('sweep','tune','replicates','manual')),"
  "  name TEXT,"
  "  keys TEXT,"
  "  created_at TEXT NOT NULL"
  ");"
  "ALTER TABLE runs ADD COLUMN group_id INTEGER REFERENCES run_groups(id) ON DELETE SET NULL;"
  "ALTER TABLE runs ADD COLUMN note TEXT;"
  "ALTER TABLE runs ADD COLUMN tags TEXT;"
  "ALTER TABLE runs ADD COLUMN trashed_at TEXT;"
  "CREATE INDEX runs_group ON runs(group_id);",
  /* 7 → 8: the per-user vectors and top-K lists in rowid tables (their primary keys become
   * unique indexes): a WITHOUT ROWID table keeps a row whole in its key's b-tree, and
   * inserting rows of tens of megabytes there took 2.5 times as long (20M events: 1.4 GB of
   * top-K lists and 0.7 GB of vectors per run). The same rows, so the checksums stay valid. */
  "CREATE TABLE run_user_metrics_8 ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL, variant TEXT NOT NULL, metric TEXT NOT NULL, k INTEGER NOT NULL,"
  "  users BLOB NOT NULL, vals BLOB NOT NULL,"
  "  value_type TEXT NOT NULL DEFAULT 'float32' CHECK (value_type IN ('float32','float64')),"
  "  PRIMARY KEY (run_id, model, variant, metric, k)"
  ");"
  "INSERT INTO run_user_metrics_8 (run_id, model, variant, metric, k, users, vals, value_type)"
  "  SELECT run_id, model, variant, metric, k, users, vals, value_type FROM run_user_metrics;"
  "DROP TABLE run_user_metrics;"
  "ALTER TABLE run_user_metrics_8 RENAME TO run_user_metrics;"
  "CREATE TABLE run_recs_8 ("
  "  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,"
  "  model TEXT NOT NULL, variant TEXT NOT NULL, max_k INTEGER NOT NULL,"
  "  users BLOB NOT NULL, items BLOB NOT NULL, scores BLOB NOT NULL,"
  "  PRIMARY KEY (run_id, model, variant)"
  ");"
  "INSERT INTO run_recs_8 (run_id, model, variant, max_k, users, items, scores)"
  "  SELECT run_id, model, variant, max_k, users, items, scores FROM run_recs;"
  "DROP TABLE run_recs;"
  "ALTER TABLE run_recs_8 RENAME TO run_recs;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == SCALR_STORE_SCHEMA_VERSION);

sqlite3 *_scalr_store_get_db (ScalrStore *self) { return self->db; }

ScalrRunCache *
_scalr_store_run_cache (ScalrStore *self, gint64 run_id)
{
  ScalrRunCache *c = g_hash_table_lookup (self->runs, &run_id);
  if (c == NULL)
    {
      c = g_new0 (ScalrRunCache, 1);
      g_hash_table_insert (self->runs, g_memdup2 (&run_id, sizeof run_id), c);
    }
  return c;
}

void
_scalr_store_forget_run (ScalrStore *self, gint64 run_id)
{
  g_hash_table_remove (self->runs, &run_id);
}

void
_scalr_store_forget_all_runs (ScalrStore *self)
{
  g_hash_table_remove_all (self->runs);
}
const char *scalr_store_get_path (ScalrStore *self) { return self->path; }
int scalr_store_get_schema_version (ScalrStore *self) { return self->schema_version; }
guint scalr_store_get_n_marked_interrupted (ScalrStore *self) { return self->n_marked_interrupted; }

void
scalr_store_set_busy_timeout (ScalrStore *self, int ms)
{
  self->busy_timeout_ms = ms;
}

/* Whether a failed write is explained by a file size limit or a (nearly) full disk: SQLite
 * does not keep the write's errno (EFBIG, ENOSPC) when the failure surfaces at COMMIT. */
static gboolean
out_of_space (const char *path)
{
  struct rlimit rl;
  if (getrlimit (RLIMIT_FSIZE, &rl) == 0 && rl.rlim_cur != RLIM_INFINITY)
    return TRUE;
  g_autofree char *dir = g_path_get_dirname (path);
  struct statvfs vfs;
  return statvfs (dir, &vfs) == 0 && (guint64) vfs.f_bavail * vfs.f_frsize < (16u << 20);
}

void
_scalr_store_set_error (ScalrStore *self, int rc, const char *what, GError **error)
{
  int code;
  const char *msg = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);
  switch (rc & 0xff)
    {
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_LOCKED,
                   "%s: %s: the store is locked by another process (waited %.1f s); "
                   "try again when it has finished", self->path, what, self->busy_timeout_ms / 1000.0);
      return;
    case SQLITE_READONLY:
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_READ_ONLY,
                   "%s: %s: the store is read-only (%s); expected a writable file and directory",
                   self->path, what, msg);
      return;
    case SQLITE_NOTADB:
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_DATABASE,
                   "%s: not an SQLite database; expected a store made by scalr (or a new file name)",
                   self->path);
      return;
    case SQLITE_CORRUPT:
      code = SCALR_STORE_ERROR_CORRUPT;
      break;
    case SQLITE_FULL:
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_FULL,
                   "%s: %s: disk full or file size limit reached (%s); nothing was written",
                   self->path, what, msg);
      return;
    case SQLITE_IOERR:
      {
        /* A write past a file size limit or onto a full disk shows up as an I/O error. */
        int sys = self->db ? sqlite3_system_errno (self->db) : 0;
        if (sys == EFBIG || sys == ENOSPC || sys == EDQUOT || (rc == SQLITE_IOERR_WRITE && out_of_space (self->path)))
          {
            g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_FULL,
                         "%s: %s: disk full or file size limit reached (%s); nothing was written",
                         self->path, what, sys ? g_strerror (sys) : "a write failed");
            return;
          }
        code = SCALR_STORE_ERROR_IO;
        break;
      }
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      code = SCALR_STORE_ERROR_IO;
      break;
    default:
      code = SCALR_STORE_ERROR_FAILED;
      break;
    }
  g_set_error (error, SCALR_STORE_ERROR, code, "%s: %s: %s", self->path, what, msg);
}

sqlite3_stmt *
_scalr_store_prepare (ScalrStore *self, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc = sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      _scalr_store_set_error (self, rc, "preparing a statement", error);
      return NULL;
    }
  return stmt;
}

gboolean
_scalr_store_exec (ScalrStore *self, const char *sql, GError **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _scalr_store_set_error (self, rc, "writing", error);
      return FALSE;
    }
  return TRUE;
}

gboolean
_scalr_store_begin (ScalrStore *self, GError **error)
{
  /* IMMEDIATE takes the write lock now, so a busy store fails before any work. */
  return _scalr_store_exec (self, "BEGIN IMMEDIATE", error);
}

gboolean
_scalr_store_commit (ScalrStore *self, GError **error)
{
  int rc = sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  if (rc != SQLITE_OK)
    {
      _scalr_store_set_error (self, rc, "committing", error);
      _scalr_store_rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
_scalr_store_rollback (ScalrStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  _scalr_store_forget_all_runs (self);   /* what the transaction cached may be gone with it */
}

char *
scalr_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "scalr-workbench", "scalr.db", NULL);
}

static gboolean
read_user_version (ScalrStore *self, int *out, GError **error)
{
  g_autoptr (sqlite3_stmt) st = _scalr_store_prepare (self, "PRAGMA user_version", error);
  if (st == NULL)
    return FALSE;
  int rc = sqlite3_step (st);
  if (rc != SQLITE_ROW)
    {
      _scalr_store_set_error (self, rc, "reading the schema version", error);
      return FALSE;
    }
  *out = sqlite3_column_int (st, 0);
  return TRUE;
}

static gboolean
migrate (ScalrStore *self, GError **error)
{
  int version;
  if (!read_user_version (self, &version, error))
    return FALSE;
  if (version > SCALR_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_TOO_NEW,
                   "%s: the store has schema version %d, newer than this program's %d; "
                   "use a newer scalr (the store was not changed)",
                   self->path, version, SCALR_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (version == SCALR_STORE_SCHEMA_VERSION)
    {
      self->schema_version = version;
      return TRUE;
    }
  if (self->read_only)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_READ_ONLY,
                   "%s: the store needs an upgrade from schema %d to %d but is opened read-only",
                   self->path, version, SCALR_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  if (!_scalr_store_begin (self, error))
    return FALSE;
  /* Re-read inside the write lock: another process may have migrated meanwhile. */
  if (!read_user_version (self, &version, error))
    {
      _scalr_store_rollback (self);
      return FALSE;
    }
  for (int v = version; v < SCALR_STORE_SCHEMA_VERSION; v++)
    {
      g_autofree char *step = g_strdup_printf ("%s; PRAGMA user_version = %d;", migrations[v], v + 1);
      int rc = sqlite3_exec (self->db, step, NULL, NULL, NULL);
      if (rc != SQLITE_OK)
        {
          g_autofree char *what = g_strdup_printf ("migrating the schema from %d to %d", v, v + 1);
          _scalr_store_set_error (self, rc, what, error);
          _scalr_store_rollback (self);
          return FALSE;
        }
    }
  if (!_scalr_store_commit (self, error))
    return FALSE;
  self->schema_version = SCALR_STORE_SCHEMA_VERSION;
  return TRUE;
}

/* ---- run liveness -------------------------------------------------------------------
 *
 * A run is alive while the connection that created it holds a write lock on byte `run id` of
 * the file STORE-runs.lock: an open-file-description lock (F_OFD_SETLK), taken before the
 * run's row is committed and released after the row says it finished; the kernel releases it
 * when the process dies, whatever becomes of its pid. So a run left `running` whose byte
 * nobody holds is dead — a reused pid (or a pid namespace) cannot make it look alive. Lock
 * files are as available as SQLite's own (it locks the database with fcntl too). Where OFD
 * locks do not exist, process-wide fcntl locks are used and this process's own runs count
 * as alive (such locks are not visible to their owner). */

#ifdef F_OFD_SETLK
#define LOCK_SET F_OFD_SETLK
#define LOCK_GET F_OFD_GETLK
#else
#define LOCK_SET F_SETLK
#define LOCK_GET F_GETLK
#endif

gboolean
_scalr_store_liveness_open (ScalrStore *self, GError **error)
{
  if (self->lock_fd >= 0)
    return TRUE;
  g_autofree char *path = g_strconcat (self->path, "-runs.lock", NULL);
  self->lock_fd = open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (self->lock_fd < 0)
    {
      int errsv = errno;
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_IO,
                   "%s: cannot open the run lock file: %s", path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static gboolean
liveness_lock (ScalrStore *self, gint64 run_id, short type, GError **error)
{
  struct flock fl = { 0 };
  fl.l_type = type;
  fl.l_whence = SEEK_SET;
  fl.l_start = (off_t) run_id;
  fl.l_len = 1;
  if (fcntl (self->lock_fd, LOCK_SET, &fl) == 0)
    return TRUE;
  int errsv = errno;
  g_set_error (error, SCALR_STORE_ERROR, errsv == EAGAIN || errsv == EACCES ? SCALR_STORE_ERROR_LOCKED : SCALR_STORE_ERROR_IO,
               "%s: cannot %s the lock of run %" G_GINT64_FORMAT ": %s", self->path,
               type == F_UNLCK ? "release" : "take", run_id, g_strerror (errsv));
  return FALSE;
}

/* Whether some connection holds run @run_id's lock; on a failed probe TRUE (alive: never
 * mark a run interrupted on a doubt). */
static gboolean
liveness_held (ScalrStore *self, gint64 run_id, gint64 pid)
{
  struct flock fl = { 0 };
  fl.l_type = F_WRLCK;
  fl.l_whence = SEEK_SET;
  fl.l_start = (off_t) run_id;
  fl.l_len = 1;
  if (fcntl (self->lock_fd, LOCK_GET, &fl) != 0)
    return TRUE;
#ifndef F_OFD_SETLK
  if (pid == (gint64) getpid ())
    return TRUE;
#endif
  return fl.l_type != F_UNLCK;
}

gboolean
_scalr_store_liveness_take (ScalrStore *self, gint64 run_id, GError **error)
{
  if (!liveness_lock (self, run_id, F_WRLCK, error))
    return FALSE;
  if (self->held == NULL)
    self->held = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_array_append_val (self->held, run_id);
  return TRUE;
}

void
_scalr_store_liveness_release (ScalrStore *self, gint64 run_id)
{
  for (guint k = 0; self->held && k < self->held->len; k++)
    if (g_array_index (self->held, gint64, k) == run_id)
      {
        liveness_lock (self, run_id, F_UNLCK, NULL);
        g_array_remove_index_fast (self->held, k);
        return;
      }
}

/* Marks runs left `running` by a process of this host that has died. */
static gboolean
mark_interrupted (ScalrStore *self, GError **error)
{
  if (self->read_only)
    return TRUE;
  g_autoptr (sqlite3_stmt) sel = _scalr_store_prepare (self,
    "SELECT id, pid, host FROM runs WHERE status IN ('running','pending')", error);
  if (sel == NULL)
    return FALSE;
  g_autoptr (GArray) dead = g_array_new (FALSE, FALSE, sizeof (gint64));
  const char *host = g_get_host_name ();
  int rc;
  while ((rc = sqlite3_step (sel)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (sel, 0);
      gint64 pid = sqlite3_column_int64 (sel, 1);
      const char *run_host = (const char *) sqlite3_column_text (sel, 2);
      if (g_strcmp0 (run_host, host) != 0)
        continue;   /* another machine's run: we cannot tell */
      if (self->lock_fd < 0 && !_scalr_store_liveness_open (self, NULL))
        break;      /* no lock file to ask: mark nothing */
      if (!liveness_held (self, id, pid))
        g_array_append_val (dead, id);
    }
  if (rc != SQLITE_DONE)
    {
      _scalr_store_set_error (self, rc, "reading runs", error);
      return FALSE;
    }
  if (dead->len == 0)
    return TRUE;
  if (!_scalr_store_begin (self, error))
    return FALSE;
  g_autoptr (sqlite3_stmt) up = _scalr_store_prepare (self,
    "UPDATE runs SET status = 'interrupted', finished_at = ?, "
    "error = 'the process running it stopped before it finished' "
    "WHERE id = ? AND status IN ('running','pending')", error);
  if (up == NULL)
    {
      _scalr_store_rollback (self);
      return FALSE;
    }
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *stamp = g_date_time_format_iso8601 (now);
  for (guint k = 0; k < dead->len; k++)
    {
      sqlite3_reset (up);
      sqlite3_bind_text (up, 1, stamp, -1, SQLITE_TRANSIENT);
      sqlite3_bind_int64 (up, 2, g_array_index (dead, gint64, k));
      rc = sqlite3_step (up);
      if (rc != SQLITE_DONE)
        {
          _scalr_store_set_error (self, rc, "marking interrupted runs", error);
          _scalr_store_rollback (self);
          return FALSE;
        }
      self->n_marked_interrupted += (guint) sqlite3_changes (self->db);
    }
  return _scalr_store_commit (self, error);
}

/* A path SQLite would not treat as the store file the user meant. */
static gboolean
check_path (const char *path, GError **error)
{
  if (path[0] == '\0' || strcmp (path, ":memory:") == 0)
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_IO,
                   "'%s': not a store file name; SQLite would use a temporary database that vanishes "
                   "when the program ends; expected a path such as scalr.db", path);
      return FALSE;
    }
  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_IO,
                   "%s: is a directory; expected a store file (e.g. %s/scalr.db)", path, path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
writable (const char *path)
{
  g_autofree char *dir = g_path_get_dirname (path);
  return access (path, W_OK) == 0 && access (dir, W_OK) == 0;
}

static int
open_db (ScalrStore *self, const char *path)
{
  if (!self->read_only)
    return sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  /* Reading a WAL store needs its -shm file, which a read-only folder cannot hold. With no
   * -wal file no other connection has the store open: read it as immutable. */
  g_autofree char *dir = g_path_get_dirname (path);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  if (access (dir, W_OK) != 0 && !g_file_test (wal, G_FILE_TEST_EXISTS))
    {
      g_autofree char *escaped = g_uri_escape_string (path, "/", FALSE);
      g_autofree char *uri = g_strdup_printf ("file:%s?immutable=1", escaped);
      return sqlite3_open_v2 (uri, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
    }
  return sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, NULL);
}

ScalrStore *
scalr_store_open (const char *path, ScalrStoreFlags flags, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  if (!check_path (path, error))
    return NULL;
  g_autoptr (ScalrStore) self = g_new0 (ScalrStore, 1);
  self->path = g_strdup (path);
  self->runs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  self->lock_fd = -1;
  self->read_only = (flags & SCALR_STORE_OPEN_READ_ONLY) != 0
                    || ((flags & SCALR_STORE_OPEN_READER) && g_file_test (path, G_FILE_TEST_EXISTS) && !writable (path));
  self->busy_timeout_ms = 10000;
  const char *busy = g_getenv ("SCALR_BUSY_TIMEOUT_MS");   /* tests and impatient users */
  if (busy && g_ascii_strtoll (busy, NULL, 10) > 0)
    self->busy_timeout_ms = (int) MIN (g_ascii_strtoll (busy, NULL, 10), G_MAXINT);

  if (!self->read_only)
    {
      g_autofree char *dir = g_path_get_dirname (path);
      if (g_mkdir_with_parents (dir, 0700) != 0)
        {
          int errsv = errno;
          g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_IO,
                       "%s: cannot create the directory: %s", path, g_strerror (errsv));
          return NULL;
        }
    }
  else if (!g_file_test (path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_IO,
                   "%s: no store there; expected a store made by scalr import (or give --db)", path);
      return NULL;
    }
  int rc = open_db (self, path);
  if (rc != SQLITE_OK)
    {
      _scalr_store_set_error (self, rc, "opening", error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 1);
  sqlite3_busy_handler (self->db, busy_handler, self);

  /* The first read tells an SQLite file from anything else. */
  int version;
  if (!read_user_version (self, &version, error))
    return NULL;
  /* A new store gets 64 KiB pages (before WAL mode fixes the size): a run's results are a few
   * blobs of up to a few hundred megabytes, written and checksummed whole; 4 KiB pages took
   * twice as long to insert them. */
  if (!self->read_only && version == 0 && !_scalr_store_exec (self, "PRAGMA page_size = 65536;", error))
    return NULL;
  if (!self->read_only)
    {
      g_autoptr (sqlite3_stmt) wal = _scalr_store_prepare (self, "PRAGMA journal_mode = WAL", error);
      if (wal == NULL)
        return NULL;
      /* Switching a new file to WAL needs it to itself; SQLite answers BUSY at once (no busy
       * handler) when another connection opens the same new store at that moment: retry. */
      gint64 start = g_get_monotonic_time ();
      for (guint attempt = 0;; attempt++)
        {
          rc = sqlite3_step (wal);
          if (rc == SQLITE_ROW)
            break;
          gboolean locked = (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED;
          if (locked && g_get_monotonic_time () - start < (gint64) self->busy_timeout_ms * 1000)
            {
              sqlite3_reset (wal);
              g_usleep (MIN (1000 + 2000 * attempt, 50000));
              continue;
            }
          _scalr_store_set_error (self, rc, "switching to WAL mode", error);
          return NULL;
        }
    }
  if (!_scalr_store_exec (self, "PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL;", error))
    return NULL;
  if (!migrate (self, error) || !mark_interrupted (self, error))
    return NULL;
  return g_steal_pointer (&self);
}

void
scalr_store_close (ScalrStore *self)
{
  if (self == NULL)
    return;
  if (self->db)
    sqlite3_close_v2 (self->db);
  g_clear_pointer (&self->runs, g_hash_table_unref);
  if (self->lock_fd >= 0)
    close (self->lock_fd);   /* releases the locks of runs left unfinished */
  g_clear_pointer (&self->held, g_array_unref);
  g_free (self->path);
  g_free (self);
}
