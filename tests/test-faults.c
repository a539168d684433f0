/* test-faults.c — the store under faults: processes killed at several points, two writers
 * at once, a file size limit, a store from schema v1. A finished run must never be lost or
 * changed, the store must pass PRAGMA integrity_check, killed runs are marked interrupted. */
#include "config.h"

#include "scalr-registry.h"

#include <signal.h>
#include <string.h>
#include <sqlite3.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scalr-store.h"
#include "test-util.h"

typedef struct {
  int   status;     /* exit status, or 128 + signal */
  char *out, *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

static glong fsize_limit;
static const char *memory_limit_mb;   /* SCALR_MEMORY_LIMIT_MB for the next spawn, or NULL */

static void
limit_file_size (gpointer data)
{
  if (fsize_limit > 0)
    {
      struct rlimit rl = { (rlim_t) fsize_limit, (rlim_t) fsize_limit };
      setrlimit (RLIMIT_FSIZE, &rl);
    }
}

/* Runs scalr with @fault (may be NULL) in SCALR_FAULT and the NULL-terminated arguments. */
static Result
scalr (const char *fault, const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_ptr_array_add (argv, (gpointer) (g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH));
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) env = g_get_environ ();
  if (fault)
    env = g_environ_setenv (env, "SCALR_FAULT", fault, TRUE);
  env = g_environ_setenv (env, "SCALR_BUSY_TIMEOUT_MS", "20000", TRUE);
  if (memory_limit_mb)
    env = g_environ_setenv (env, "SCALR_MEMORY_LIMIT_MB", memory_limit_mb, TRUE);
  Result r = { 0 };
  int wait = 0;
  g_autoptr (GError) error = NULL;
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, limit_file_size, NULL, &r.out, &r.err, &wait, &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (wait) ? WEXITSTATUS (wait) : 128 + WTERMSIG (wait);
  return r;
}

static char *
query_text (const char *db, const char *sql)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open_v2 (db, &c, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  sqlite3_stmt *st = NULL;
  if (sqlite3_prepare_v2 (c, sql, -1, &st, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (c));
  GString *s = g_string_new (NULL);
  while (sqlite3_step (st) == SQLITE_ROW)
    for (int k = 0; k < sqlite3_column_count (st); k++)
      {
        const void *b = sqlite3_column_blob (st, k);
        int n = sqlite3_column_bytes (st, k);
        g_autofree char *hex = g_compute_checksum_for_data (G_CHECKSUM_SHA256, b ? b : (const void *) "", (gsize) n);
        g_string_append_printf (s, "%s%s", hex, k + 1 < sqlite3_column_count (st) ? "|" : "\n");
      }
  sqlite3_finalize (st);
  sqlite3_close (c);
  return g_string_free (s, FALSE);
}

/* Everything stored for run @id, as one digest line per table. */
static char *
run_digest (const char *db, gint64 id)
{
  const char *tables[] = { "run_timings", "run_artifacts", "run_synthetic_chunks", "run_metrics", "run_lifts",
                           "run_user_metrics", "run_recs" };
  GString *s = g_string_new (NULL);
  g_autofree char *head_sql = g_strdup_printf ("SELECT status, config, seed, fingerprint, finished_at FROM runs WHERE id = %" G_GINT64_FORMAT, id);
  g_autofree char *head = query_text (db, head_sql);
  g_string_append (s, head);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT * FROM %s WHERE run_id = %" G_GINT64_FORMAT " ORDER BY 1,2,3", tables[t], id);
      g_autofree char *rows = query_text (db, sql);
      g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA256, rows, -1);
      g_string_append_printf (s, "%s %s\n", tables[t], digest);
    }
  return g_string_free (s, FALSE);
}

static void
assert_integrity (const char *db)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2 (c, "PRAGMA integrity_check", -1, &st, NULL);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (st, 0), ==, "ok");
  sqlite3_finalize (st);
  sqlite3_close (c);
}

static gint64
last_run (const char *db)
{
  g_autofree char *t = query_text (db, "SELECT 1");
  sqlite3 *c = NULL;
  sqlite3_open_v2 (db, &c, SQLITE_OPEN_READONLY, NULL);
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2 (c, "SELECT coalesce(max(id), 0) FROM runs", -1, &st, NULL);
  sqlite3_step (st);
  gint64 id = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (c);
  return id;
}

static void
test_kill_points (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  const char *small[] = { "--set", "downstream.models=pop", "--set", "eval.bootstrap=20", NULL };

  /* A killed import leaves no dataset and an intact store. */
  Result r = scalr ("import-write", "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 128 + SIGKILL);
  result_clear (&r);
  assert_integrity (db);
  g_autofree char *none = query_text (db, "SELECT count(*) FROM datasets");
  g_autofree char *zero = query_text (db, "SELECT 0");
  g_assert_cmpstr (none, ==, zero);
  r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);

  /* A finished run, to be kept intact through everything that follows. */
  r = scalr (NULL, "run", "--db", db, "--set", "dataset.name=ml", small[0], small[1], small[2], small[3], NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  gint64 finished = last_run (db);
  g_autofree char *before = run_digest (db, finished);

  const char *points[] = { "stage:generator", "stage:sampler", "stage:downstream", "eval-write" };
  for (guint k = 0; k < G_N_ELEMENTS (points); k++)
    {
      g_test_message ("kill at %s", points[k]);
      r = scalr (points[k], "run", "--db", db, "--set", "dataset.name=ml", small[0], small[1], small[2], small[3], NULL);
      g_assert_cmpint (r.status, ==, 128 + SIGKILL);
      result_clear (&r);
      gint64 killed = last_run (db);
      g_assert_cmpint (killed, >, finished);
      assert_integrity (db);
      /* The next open marks it interrupted. */
      g_autoptr (GError) error = NULL;
      g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (scalr_store_get_n_marked_interrupted (s), ==, 1);
      g_autoptr (ScalrRunInfo) info = scalr_store_load_run (s, killed, &error);
      g_assert_cmpint (info->status, ==, SCALR_RUN_INTERRUPTED);
      g_clear_pointer (&s, scalr_store_close);
      /* The finished run is identical. */
      g_autofree char *after = run_digest (db, finished);
      g_assert_cmpstr (after, ==, before);
      /* A killed metrics transaction left no metric rows for its run. */
      if (g_str_equal (points[k], "eval-write"))
        {
          g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM run_metrics WHERE run_id = %" G_GINT64_FORMAT, killed);
          g_autofree char *n = query_text (db, sql);
          g_assert_cmpstr (n, ==, zero);
        }
    }
  /* And a fresh run succeeds. */
  r = scalr (NULL, "run", "--db", db, "--set", "dataset.name=ml", small[0], small[1], small[2], small[3], NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  test_rm_rf (dir);
}

static void
test_two_writers (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  /* Two runs at once through two processes. */
  const char *cli = g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH;
  const char *argv[] = { cli, "run", "--db", db, "--set", "dataset.name=ml", "--set", "downstream.models=pop",
                         "--set", "eval.bootstrap=20", NULL };
  GPid pids[2];
  for (guint k = 0; k < 2; k++)
    {
      g_autoptr (GError) error = NULL;
      g_spawn_async (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                     &pids[k], &error);
      g_assert_no_error (error);
    }
  for (guint k = 0; k < 2; k++)
    {
      int status = 0;
      g_assert_cmpint (waitpid (pids[k], &status, 0), ==, pids[k]);
      g_assert_true (WIFEXITED (status));
      g_assert_cmpint (WEXITSTATUS (status), ==, 0);
    }
  g_autofree char *finished = query_text (db, "SELECT count(*) FROM runs WHERE status = 'finished'");
  g_autofree char *two = query_text (db, "SELECT 2");
  g_assert_cmpstr (finished, ==, two);
  assert_integrity (db);

  /* A writer that waits for a lock says so, then goes on. */
  sqlite3 *holder = NULL;
  sqlite3_open (db, &holder);
  g_assert_cmpint (sqlite3_exec (holder, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_autoptr (GError) error = NULL;
  const char *iargv[] = { cli, "import", "--db", db, "--name", "again", "--events", ratings, NULL };
  GPid pid;
  int err_fd;
  g_spawn_async_with_pipes (NULL, (char **) iargv, NULL, G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL,
                            &pid, NULL, NULL, &err_fd, &error);
  g_assert_no_error (error);
  g_usleep (2500000);   /* longer than the one second after which a waiting writer reports */
  sqlite3_exec (holder, "COMMIT", NULL, NULL, NULL);
  sqlite3_close (holder);
  int status = 0;
  waitpid (pid, &status, 0);
  char buf[4096] = { 0 };
  ssize_t n = read (err_fd, buf, sizeof buf - 1);
  close (err_fd);
  g_assert_cmpint (n, >, 0);
  g_assert_nonnull (strstr (buf, "locked by another process; waiting"));
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  test_rm_rf (dir);
}

static void
test_file_size_limit (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autofree char *small = test_write_file (dir, "small.tsv", "user\titem\nu\ti\n", -1);
  Result r = scalr (NULL, "import", "--db", db, "--name", "small", "--events", small, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  /* With files limited to 300 KB, the MovieLens import (about 2 MB) cannot be written. */
  fsize_limit = 300 * 1024;
  r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  fsize_limit = 0;
  g_assert_cmpint (r.status, ==, 1);
  g_assert_nonnull (strstr (r.err, "disk full or file size limit"));
  result_clear (&r);
  assert_integrity (db);
  g_autofree char *names = query_text (db, "SELECT count(*) FROM datasets");
  g_autofree char *one = query_text (db, "SELECT 1");
  g_assert_cmpstr (names, ==, one);
  /* Without the limit it goes through. */
  r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  test_rm_rf (dir);
}

/* A store of schema version 1 (datasets and runs only) upgrades without loss. */
static void
test_upgrade_from_v1 (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  Result r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_autofree char *fp = query_text (db, "SELECT fingerprint, n_events FROM datasets");
  /* Make it a version-1 store: the tables later versions added go, user_version = 1. */
  sqlite3 *c = NULL;
  sqlite3_open (db, &c);
  g_assert_cmpint (sqlite3_exec (c, "DROP TABLE run_synthetic_chunks; DROP TABLE run_metrics; DROP TABLE run_lifts; "
                                    "DROP TABLE run_user_metrics; DROP TABLE run_recs; DROP TABLE run_checksums; DROP INDEX runs_group; "
                                    "ALTER TABLE runs DROP COLUMN trashed_at; ALTER TABLE runs DROP COLUMN tags; "
                                    "ALTER TABLE runs DROP COLUMN note; ALTER TABLE runs DROP COLUMN group_id; "
                                    "DROP TABLE run_groups; PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_store_get_schema_version (s), ==, SCALR_STORE_SCHEMA_VERSION);
  g_clear_pointer (&s, scalr_store_close);
  g_autofree char *fp2 = query_text (db, "SELECT fingerprint, n_events FROM datasets");
  g_assert_cmpstr (fp, ==, fp2);
  assert_integrity (db);
  /* The upgraded store takes a full run. */
  r = scalr (NULL, "stats", "--db", db, "ml", NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  test_rm_rf (dir);
}

typedef struct {
  GArray *users, *values;
} PerUser;

static void
collect_per_user (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
                  const double *values, guint n, gpointer data)
{
  PerUser *pu = data;
  if (g_strcmp0 (model, "pop") || g_strcmp0 (variant, "augmented") || g_strcmp0 (metric, "recall") || k != 20)
    return;
  g_array_append_vals (pu->users, users, n);
  g_array_append_vals (pu->values, values, n);
}

/* Rewrites a store of the current schema as schema 3 wrote it: per-user values as float32 blobs, lifts
 * without level, also_strongest and note. */
static void
downgrade_to_v3 (const char *db)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  sqlite3_stmt *rd = NULL, *wr = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (c, "SELECT run_id, model, variant, metric, k, vals FROM run_user_metrics", -1, &rd, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (c, "UPDATE run_user_metrics SET vals = ? WHERE run_id = ? AND model = ? AND variant = ? "
                                          "AND metric = ? AND k = ?", -1, &wr, NULL), ==, SQLITE_OK);
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr (GPtrArray) blobs = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  while (sqlite3_step (rd) == SQLITE_ROW)
    {
      char **key = g_new0 (char *, 6);
      for (int q = 0; q < 5; q++)
        key[q] = g_strdup ((const char *) sqlite3_column_text (rd, q));
      g_ptr_array_add (rows, key);
      gsize n = (gsize) sqlite3_column_bytes (rd, 5) / 8;
      const double *d = sqlite3_column_blob (rd, 5);
      float *f = g_new (float, MAX (n, 1));
      for (gsize i = 0; i < n; i++)
        {
          double v;
          memcpy (&v, d + i, sizeof v);
          f[i] = (float) v;
        }
      g_ptr_array_add (blobs, g_bytes_new_take (f, n * 4));
    }
  sqlite3_finalize (rd);
  for (guint r = 0; r < rows->len; r++)
    {
      char **key = g_ptr_array_index (rows, r);
      gsize len;
      gconstpointer data = g_bytes_get_data (g_ptr_array_index (blobs, r), &len);
      sqlite3_reset (wr);
      sqlite3_bind_blob (wr, 1, data, (int) len, SQLITE_STATIC);
      sqlite3_bind_int64 (wr, 2, g_ascii_strtoll (key[0], NULL, 10));
      for (int q = 1; q < 4; q++)
        sqlite3_bind_text (wr, q + 2, key[q], -1, SQLITE_STATIC);
      sqlite3_bind_int (wr, 6, (int) g_ascii_strtoll (key[4], NULL, 10));
      g_assert_cmpint (sqlite3_step (wr), ==, SQLITE_DONE);
    }
  sqlite3_finalize (wr);
  /* Schema 5's run management undone first: runs rebuilt as schema 4 had it (a column with a
   * foreign key cannot be dropped), its groups gone. */
  g_assert_cmpint (sqlite3_exec (c, "PRAGMA foreign_keys = OFF;"
                                    "CREATE TABLE runs_v4 (id INTEGER PRIMARY KEY, dataset_id INTEGER NOT NULL REFERENCES datasets(id),"
                                    " name TEXT, status TEXT NOT NULL CHECK (status IN ('pending','running','finished','failed',"
                                    "'cancelled','interrupted')), config TEXT NOT NULL, seed INTEGER NOT NULL, fingerprint TEXT NOT NULL,"
                                    " code_version TEXT NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, error TEXT, pid INTEGER,"
                                    " host TEXT);"
                                    "INSERT INTO runs_v4 SELECT id, dataset_id, name, status, config, seed, fingerprint, code_version,"
                                    " created_at, finished_at, error, pid, host FROM runs;"
                                    "DROP TABLE runs; ALTER TABLE runs_v4 RENAME TO runs;"
                                    "CREATE INDEX runs_dataset ON runs(dataset_id); DROP TABLE run_groups;", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (c, "ALTER TABLE run_user_metrics DROP COLUMN value_type; "
                                    "ALTER TABLE run_lifts DROP COLUMN level; ALTER TABLE run_lifts DROP COLUMN also_strongest; "
                                    "ALTER TABLE run_lifts DROP COLUMN note; DROP TABLE run_checksums; PRAGMA user_version = 3;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (c);
}

/* A store of schema 3 (per-user values as float32, lifts without their CI level) upgrades
 * to the current schema without losing the finished run: its values read back widened from float, its lifts
 * get the level of the run's config, and show and export work on it. */
static void
test_upgrade_from_v3 (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = scalr (NULL, "run", "--db", db, "--set", "dataset.name=ml", "--set", "downstream.models=pop", "--set", "eval.k=20",
             "--set", "eval.bootstrap=20", "--set", "eval.level=0.8", NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_autoptr (GError) error = NULL;
  PerUser before = { g_array_new (FALSE, FALSE, 4), g_array_new (FALSE, FALSE, 8) };
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_true (scalr_store_foreach_user_metrics (s, 1, collect_per_user, &before, &error));
  g_clear_pointer (&s, scalr_store_close);
  g_assert_cmpuint (before.values->len, >, 100);

  downgrade_to_v3 (db);
  s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_store_get_schema_version (s), ==, SCALR_STORE_SCHEMA_VERSION);
  PerUser after = { g_array_new (FALSE, FALSE, 4), g_array_new (FALSE, FALSE, 8) };
  g_assert_true (scalr_store_foreach_user_metrics (s, 1, collect_per_user, &after, &error));
  g_assert_cmpuint (after.values->len, ==, before.values->len);
  g_assert_cmpmem (after.users->data, after.users->len * 4, before.users->data, before.users->len * 4);
  for (guint i = 0; i < after.values->len; i++)
    g_assert_cmpfloat (g_array_index (after.values, double, i), ==, (double) (float) g_array_index (before.values, double, i));
  g_autoptr (GArray) lifts = scalr_store_load_lifts (s, 1, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (lifts->len, >, 0);
  for (guint i = 0; i < lifts->len; i++)
    {
      const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, i);
      g_assert_cmpfloat (l->level, ==, 0.8);
      g_assert_false (l->also_strongest);
      g_assert_null (l->note);
    }
  g_clear_pointer (&s, scalr_store_close);
  assert_integrity (db);
  r = scalr (NULL, "show", "--db", db, "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "lift [80 % CI]"));
  /* Stored before checksums: it loads, and says it cannot be verified. */
  g_assert_nonnull (strstr (r.out, "checksum  none (stored before schema 6): cannot be verified"));
  g_assert_nonnull (strstr (r.err, "note: run 1 has no checksum (stored before schema 6)"));
  result_clear (&r);
  g_autofree char *pu = g_build_filename (dir, "pu.tsv", NULL);
  r = scalr (NULL, "export", "--db", db, "1", "--per-user", pu, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_array_unref (before.users);
  g_array_unref (before.values);
  g_array_unref (after.users);
  g_array_unref (after.values);
  test_rm_rf (dir);
}

/* Whether @table of the store at @db was declared WITHOUT ROWID. */
static gboolean
without_rowid (const char *db, const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT instr (sql, 'WITHOUT ROWID') > 0 FROM sqlite_master "
                                          "WHERE type = 'table' AND name = '%s'", table);
  g_autofree char *got = query_text (db, sql);
  g_autofree char *yes = query_text (db, "SELECT 1");
  g_autofree char *no = query_text (db, "SELECT 0");
  g_assert_true (g_str_equal (got, yes) || g_str_equal (got, no));
  return g_str_equal (got, yes);
}

/* A store of schema 7 (per-user vectors and top-K lists in WITHOUT ROWID tables) upgrades to
 * rowid tables with the same rows: the finished run's checksums still hold, its vectors read
 * back the same, and a new store starts with 64 KiB pages. */
static void
test_upgrade_from_v7 (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = scalr (NULL, "run", "--db", db, "--set", "dataset.name=ml", "--set", "downstream.models=pop", "--set", "eval.k=20",
             "--set", "eval.bootstrap=20", NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_assert_false (without_rowid (db, "run_recs"));
  g_autoptr (GError) error = NULL;
  PerUser before = { g_array_new (FALSE, FALSE, 4), g_array_new (FALSE, FALSE, 8) };
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_true (scalr_store_foreach_user_metrics (s, 1, collect_per_user, &before, &error));
  g_clear_pointer (&s, scalr_store_close);

  g_autofree char *page = query_text (db, "PRAGMA page_size");
  g_autofree char *big = query_text (db, "SELECT 65536");
  g_assert_cmpstr (page, ==, big);
  sqlite3 *c;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (c,
    "CREATE TABLE um7 (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model TEXT NOT NULL,"
    " variant TEXT NOT NULL, metric TEXT NOT NULL, k INTEGER NOT NULL, users BLOB NOT NULL, vals BLOB NOT NULL,"
    " value_type TEXT NOT NULL DEFAULT 'float32' CHECK (value_type IN ('float32','float64')),"
    " PRIMARY KEY (run_id, model, variant, metric, k)) WITHOUT ROWID;"
    "INSERT INTO um7 SELECT * FROM run_user_metrics; DROP TABLE run_user_metrics; ALTER TABLE um7 RENAME TO run_user_metrics;"
    "CREATE TABLE recs7 (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model TEXT NOT NULL,"
    " variant TEXT NOT NULL, max_k INTEGER NOT NULL, users BLOB NOT NULL, items BLOB NOT NULL, scores BLOB NOT NULL,"
    " PRIMARY KEY (run_id, model, variant)) WITHOUT ROWID;"
    "INSERT INTO recs7 SELECT * FROM run_recs; DROP TABLE run_recs; ALTER TABLE recs7 RENAME TO run_recs;"
    "PRAGMA user_version = 7;", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (c);
  g_assert_true (without_rowid (db, "run_recs"));
  g_assert_true (without_rowid (db, "run_user_metrics"));

  s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_store_get_schema_version (s), ==, SCALR_STORE_SCHEMA_VERSION);
  ScalrRunCheck check;
  g_assert_true (scalr_store_check_run (s, 1, &check, &error));
  g_assert_no_error (error);
  g_assert_true (check.has_checksum);
  PerUser after = { g_array_new (FALSE, FALSE, 4), g_array_new (FALSE, FALSE, 8) };
  g_assert_true (scalr_store_foreach_user_metrics (s, 1, collect_per_user, &after, &error));
  g_assert_cmpmem (after.users->data, after.users->len * 4, before.users->data, before.users->len * 4);
  g_assert_cmpmem (after.values->data, after.values->len * 8, before.values->data, before.values->len * 8);
  g_clear_pointer (&s, scalr_store_close);
  g_assert_false (without_rowid (db, "run_recs"));
  g_assert_false (without_rowid (db, "run_user_metrics"));
  assert_integrity (db);
  r = scalr (NULL, "show", "--db", db, "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.err, "damaged"));
  result_clear (&r);
  g_array_unref (before.users);
  g_array_unref (before.values);
  g_array_unref (after.users);
  g_array_unref (after.values);
  test_rm_rf (dir);
}

/* Sizes beyond memory are errors that name the limit, and the run is marked failed. */
static void
test_memory_limits (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = scalr (NULL, "import", "--db", db, "--name", "ml", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  struct { const char *limit, *set1, *set2, *msg; } cases[] = {
    { "60", "generator.model=popularity", "sampler.samples_per_event=1000", "the sampler needs" },
    { "1", "generator.model=cooc", "sampler.samples_per_event=1", "cooc's co-occurrence table needs" },
    { "2", "generator.model=popularity", "eval.k=10,1000", "the evaluation needs" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      memory_limit_mb = cases[k].limit;
      r = scalr (NULL, "run", "--db", db, "--set", "dataset.name=ml", "--set", cases[k].set1, "--set", cases[k].set2,
                 "--set", "downstream.models=pop,ease", NULL);
      memory_limit_mb = NULL;
      g_assert_cmpint (r.status, ==, 1);
      if (strstr (r.err, cases[k].msg) == NULL || strstr (r.err, "memory budget") == NULL)
        g_error ("expected '%s': %s", cases[k].msg, r.err);
      result_clear (&r);
    }
  g_autofree char *failed = query_text (db, "SELECT count(*) FROM runs WHERE status = 'failed'");
  g_autofree char *three = query_text (db, "SELECT 3");
  g_assert_cmpstr (failed, ==, three);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/faults/kill-points", test_kill_points);
  g_test_add_func ("/scalr/faults/two-writers", test_two_writers);
  g_test_add_func ("/scalr/faults/file-size-limit", test_file_size_limit);
  g_test_add_func ("/scalr/faults/upgrade-from-v1", test_upgrade_from_v1);
  g_test_add_func ("/scalr/faults/upgrade-from-v3", test_upgrade_from_v3);
  g_test_add_func ("/scalr/faults/upgrade-from-v7", test_upgrade_from_v7);
  g_test_add_func ("/scalr/faults/memory-limits", test_memory_limits);
  return g_test_run ();
}
