/* test-store.c — the SQLite experiment store: round trips, atomicity and every failure. */
#include "config.h"

#include "scalr-registry.h"

#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include "scalr-dataset.h"
#include "scalr-dataset-private.h"
#include "scalr-idmap.h"
#include "scalr-import.h"
#include "scalr-store.h"
#include "test-util.h"

typedef struct {
  char *dir;
  char *db;
} Fixture;

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "store.db", NULL);
}

static void
teardown (Fixture *f, gconstpointer data)
{
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static ScalrDataset *
movielens (void)
{
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("ml");
  scalr_import_options_add_events (o, ratings, NULL);
  o->items_path = g_strdup (movies);
  g_autoptr (GError) error = NULL;
  ScalrDataset *d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  return d;
}

/* A dataset of @n events on @n / 3 users, with duplicates, built directly. */
static ScalrDataset *
synthetic (const char *name, guint n)
{
  g_autoptr (ScalrDatasetBuilder) b = _scalr_dataset_builder_new ();
  ScalrIdMap *users = _scalr_dataset_builder_get_users (b);
  ScalrIdMap *items = _scalr_dataset_builder_get_items (b);
  for (guint k = 0; k < n; k++)
    {
      char u[32], i[32];
      int lu = g_snprintf (u, sizeof u, "user-%u", k / 3);
      /* A user's third event repeats its first item: a duplicate. */
      int li = g_snprintf (i, sizeof i, "item-%u", ((k / 3) * 7u + (k % 3 == 2 ? 0 : k % 3)) % 5000u);
      ScalrId uid = scalr_id_map_intern (users, u, (gsize) lu, NULL);
      ScalrId iid = scalr_id_map_intern (items, i, (gsize) li, NULL);
      _scalr_dataset_builder_add (b, uid, iid, 0, (float) (k % 5 + 1), (double) k);
    }
  g_autoptr (GError) error = NULL;
  ScalrDataset *d = _scalr_dataset_builder_finish (g_steal_pointer (&b), name, &error);
  g_assert_no_error (error);
  return d;
}

static gint64
count_rows (const char *db, const char *table)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open_v2 (db, &c, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM %s", table);
  sqlite3_stmt *st = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (c, sql, -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  gint64 n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (c);
  return n;
}

static void
raw_exec (const char *db, const char *sql)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  char *err = NULL;
  if (sqlite3_exec (c, sql, NULL, NULL, &err) != SQLITE_OK)
    g_error ("%s: %s", sql, err);
  sqlite3_close (c);
}

static void
test_open_and_schema (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_store_get_schema_version (s), ==, SCALR_STORE_SCHEMA_VERSION);
  g_clear_pointer (&s, scalr_store_close);
  sqlite3 *c = NULL;
  sqlite3_open (f->db, &c);
  sqlite3_stmt *st = NULL;
  sqlite3_prepare_v2 (c, "PRAGMA journal_mode", -1, &st, NULL);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (st, 0), ==, "wal");
  sqlite3_finalize (st);
  sqlite3_prepare_v2 (c, "PRAGMA user_version", -1, &st, NULL);
  sqlite3_step (st);
  g_assert_cmpint (sqlite3_column_int (st, 0), ==, SCALR_STORE_SCHEMA_VERSION);
  sqlite3_finalize (st);
  sqlite3_close (c);
  /* Reopening an up-to-date store changes nothing. */
  s = scalr_store_open (f->db, 0, &error);
  g_assert_no_error (error);
}

static void
test_dataset_round_trip (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = movielens ();
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  gint64 id = 0;
  g_assert_true (scalr_store_add_dataset (s, d, "ratings.tsv", "movies.tsv", "tsv", &id, &error));
  g_assert_no_error (error);
  g_assert_cmpint (id, >, 0);

  g_autoptr (GPtrArray) list = scalr_store_list_datasets (s, &error);
  g_assert_cmpuint (list->len, ==, 1);
  ScalrDatasetInfo *info = g_ptr_array_index (list, 0);
  g_assert_cmpstr (info->name, ==, "ml");
  g_assert_cmpuint (info->n_events, ==, 100004);
  g_assert_cmpuint (info->n_users, ==, 671);
  g_assert_cmpuint (info->n_items, ==, 9066);
  g_assert_true (info->has_item_metadata);
  g_assert_cmpstr (info->fingerprint, ==, scalr_dataset_get_fingerprint (d));

  /* Close and reopen: the stored copy is the dataset, without the source files. */
  g_clear_pointer (&s, scalr_store_close);
  s = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDataset) back = scalr_store_load_dataset (s, "ml", NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scalr_dataset_get_fingerprint (back), ==, scalr_dataset_get_fingerprint (d));
  g_assert_cmpuint (scalr_dataset_get_n_events (back), ==, 100004);
  g_assert_cmpstr (scalr_dataset_get_item_title (back, 5), ==, scalr_dataset_get_item_title (d, 5));
  ScalrEvents a, b;
  scalr_dataset_get_events (d, &a);
  scalr_dataset_get_events (back, &b);
  g_assert_cmpmem (a.item, a.n_events * 4, b.item, b.n_events * 4);
  g_assert_cmpmem (a.timestamp, a.n_events * 8, b.timestamp, b.n_events * 8);

  /* A second dataset of the same name is refused and nothing is written. */
  g_assert_false (scalr_store_add_dataset (s, d, "x", NULL, "tsv", NULL, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_EXISTS, "'ml' exists already");
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->db, "datasets"), ==, 1);

  g_autoptr (ScalrDataset) missing = scalr_store_load_dataset (s, "nope", NULL, &error);
  g_assert_null (missing);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "'nope'");
}

static void
test_duplicates_and_names (Fixture *f, gconstpointer data)
{
  /* Names with quotes, semicolons and non-ASCII round-trip through bound parameters. */
  const char *name = "it's; DROP TABLE datasets; -- «ç»";
  g_autoptr (ScalrDataset) d = synthetic (name, 200000);
  g_assert_cmpuint (scalr_dataset_get_n_duplicates (d), >, 0);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_assert_true (scalr_store_add_dataset (s, d, "gen", NULL, "tsv", NULL, &error));
  g_autoptr (ScalrDataset) back = scalr_store_load_dataset (s, name, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (scalr_dataset_get_name (back), ==, name);
  g_assert_cmpuint (scalr_dataset_get_n_duplicates (back), ==, scalr_dataset_get_n_duplicates (d));
  g_assert_cmpstr (scalr_dataset_get_fingerprint (back), ==, scalr_dataset_get_fingerprint (d));
  g_assert_cmpint (count_rows (f->db, "dataset_event_chunks"), ==, (gint64) (scalr_dataset_get_n_events (d) + 65535) / 65536);
}

/* A failure in the middle of the write (here a trigger aborting the second chunk of
 * events) leaves the store exactly as it was. */
static void
test_atomic_import (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDataset) small = synthetic ("small", 30);
  g_assert_true (scalr_store_add_dataset (s, small, "a", NULL, "tsv", NULL, &error));
  raw_exec (f->db, "CREATE TRIGGER fail_chunk BEFORE INSERT ON dataset_event_chunks "
                   "WHEN NEW.chunk = 1 BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");
  g_autoptr (ScalrDataset) big = synthetic ("big", 300000);
  g_assert_false (scalr_store_add_dataset (s, big, "b", NULL, "tsv", NULL, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_FAILED, "writing events", "injected failure");
  g_clear_error (&error);
  g_assert_cmpint (count_rows (f->db, "datasets"), ==, 1);
  g_assert_cmpint (count_rows (f->db, "dataset_items"), ==, scalr_dataset_get_n_items (small));
  g_assert_cmpint (count_rows (f->db, "dataset_event_chunks"), ==, 1);
  g_autoptr (ScalrDataset) back = scalr_store_load_dataset (s, "small", NULL, &error);
  g_assert_no_error (error);
}

static void
test_damaged_events (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDataset) d = synthetic ("d", 1000);
  g_assert_true (scalr_store_add_dataset (s, d, "a", NULL, "tsv", NULL, &error));
  /* Flip one rating byte: the fingerprint check catches it. */
  raw_exec (f->db, "UPDATE dataset_event_chunks SET ratings = x'0000A040' || substr(ratings, 5)");
  g_autoptr (ScalrDataset) back = scalr_store_load_dataset (s, "d", NULL, &error);
  g_assert_null (back);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_CORRUPT, "'d' is damaged", "fingerprint");
  g_clear_error (&error);
  /* A truncated blob is caught before any use. */
  raw_exec (f->db, "UPDATE dataset_event_chunks SET items = substr(items, 1, 8)");
  back = scalr_store_load_dataset (s, "d", NULL, &error);
  g_assert_null (back);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_CORRUPT, "do not match");
}

static void
test_not_a_database (Fixture *f, gconstpointer data)
{
  const char *junk = "user\titem\nthis is not sqlite at all, but long enough to have a header ........................................\n";
  g_autofree char *path = test_write_file (f->dir, "junk.db", junk, -1);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (path, 0, &error);
  g_assert_null (s);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_DATABASE, "junk.db", "not an SQLite database");
  g_autofree char *after = NULL;
  g_file_get_contents (path, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, junk);
}

static void
test_too_new (Fixture *f, gconstpointer data)
{
  raw_exec (f->db, "PRAGMA user_version = 99; CREATE TABLE future (x);");
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_assert_null (s);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_TOO_NEW, "schema version 99", "not changed");
  g_assert_cmpint (count_rows (f->db, "future"), ==, 0);
  g_assert_cmpint (count_rows (f->db, "sqlite_master"), ==, 1);   /* no tables were added */
}

static void
test_locked (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_assert_no_error (error);
  scalr_store_set_busy_timeout (s, 200);
  /* Another connection holds the write lock. */
  sqlite3 *other = NULL;
  g_assert_cmpint (sqlite3_open (f->db, &other), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_autoptr (ScalrDataset) d = synthetic ("d", 100);
  gint64 t0 = g_get_monotonic_time ();
  g_assert_false (scalr_store_add_dataset (s, d, "a", NULL, "tsv", NULL, &error));
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, 150000);   /* it waited */
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_LOCKED, "store.db", "locked by another process");
  g_clear_error (&error);
  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  g_assert_cmpint (count_rows (f->db, "datasets"), ==, 0);
  /* Released: the same write succeeds. */
  g_assert_true (scalr_store_add_dataset (s, d, "a", NULL, "tsv", NULL, &error));
  g_assert_no_error (error);
}

static void
test_read_only (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_clear_pointer (&s, scalr_store_close);
  g_autoptr (ScalrDataset) d = synthetic ("d", 100);
  /* Opened read-only (what a file the OS will not let us write gives): writes fail
   * with a message, nothing changes. */
  s = scalr_store_open (f->db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (scalr_store_add_dataset (s, d, "a", NULL, "tsv", NULL, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_READ_ONLY, "store.db", "read-only");
  g_clear_error (&error);
  g_clear_pointer (&s, scalr_store_close);
  g_assert_cmpint (count_rows (f->db, "datasets"), ==, 0);
  if (geteuid () != 0)
    {
      /* Without root, file permissions give the same. */
      g_chmod (f->db, 0444);
      s = scalr_store_open (f->db, 0, &error);
      if (s != NULL)
        {
          g_assert_false (scalr_store_add_dataset (s, d, "a", NULL, "tsv", NULL, &error));
          g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_READ_ONLY);
        }
      g_chmod (f->db, 0644);
    }
  /* A store in a directory that cannot be made. */
  g_autofree char *bad = g_build_filename (f->db, "sub", "x.db", NULL);   /* below a file */
  g_autoptr (ScalrStore) s2 = scalr_store_open (bad, 0, &error);
  g_assert_null (s2);
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_IO, "x.db", "cannot create the directory");
}

static void
test_runs_and_interrupted (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDataset) d = synthetic ("d", 100);
  gint64 ds;
  g_assert_true (scalr_store_add_dataset (s, d, "a", NULL, "tsv", &ds, &error));
  gint64 done, dead, live;
  g_assert_true (scalr_store_create_run (s, ds, "one", "[split]\nseed=1\n", 1, scalr_dataset_get_fingerprint (d), &done, &error));
  g_assert_true (scalr_store_add_timing (s, done, "generate", 1.25, &error));
  g_assert_true (scalr_store_finish_run (s, done, SCALR_RUN_FINISHED, NULL, &error));
  g_assert_true (scalr_store_create_run (s, ds, "two", "x", 2, "fp", &dead, &error));
  /* "three" is made by a second connection of this process that stays open. */
  g_autoptr (ScalrStore) other = scalr_store_open (f->db, 0, &error);
  g_assert_true (scalr_store_create_run (other, ds, "three", "x", 3, "fp", &live, &error));
  g_assert_no_error (error);
  g_clear_pointer (&s, scalr_store_close);

  /* "two" was left running by a connection that closed; its row still names a live pid
   * (ours), which does not make it alive. */
  s = scalr_store_open (f->db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_store_get_n_marked_interrupted (s), ==, 1);
  g_autoptr (ScalrRunInfo) r2 = scalr_store_load_run (s, dead, &error);
  g_assert_cmpint (r2->status, ==, SCALR_RUN_INTERRUPTED);
  g_assert_nonnull (r2->finished_at);
  g_autoptr (ScalrRunInfo) r3 = scalr_store_load_run (s, live, &error);
  g_assert_cmpint (r3->status, ==, SCALR_RUN_RUNNING);   /* its connection holds the lock */
  g_autoptr (ScalrRunInfo) r1 = scalr_store_load_run (s, done, &error);
  g_assert_cmpint (r1->status, ==, SCALR_RUN_FINISHED);
  g_assert_cmpstr (r1->config, ==, "[split]\nseed=1\n");
  g_assert_cmpuint (r1->seed, ==, 1);
  g_assert_cmpstr (r1->dataset, ==, "d");
  g_assert_true (strlen (r1->code_version) > 0);
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (s, &error);
  g_assert_cmpuint (runs->len, ==, 3);
  /* Finished, its lock is released; reopening leaves it as it ended. */
  g_assert_true (scalr_store_finish_run (other, live, SCALR_RUN_FINISHED, NULL, &error));
  g_clear_pointer (&other, scalr_store_close);
  g_autoptr (ScalrStore) again = scalr_store_open (f->db, 0, &error);
  g_assert_cmpuint (scalr_store_get_n_marked_interrupted (again), ==, 0);
  g_autoptr (ScalrRunInfo) r3b = scalr_store_load_run (again, live, &error);
  g_assert_cmpint (r3b->status, ==, SCALR_RUN_FINISHED);
  g_clear_pointer (&again, scalr_store_close);

  g_autoptr (ScalrRunInfo) none = scalr_store_load_run (s, 999, &error);
  g_assert_null (none);
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_false (scalr_store_finish_run (s, 999, SCALR_RUN_FAILED, "x", &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* A dataset with runs cannot be deleted; one without can. */
  g_assert_false (scalr_store_delete_dataset (s, "d", &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_EXISTS, "3 runs");
  g_clear_error (&error);
  g_autoptr (ScalrDataset) e = synthetic ("e", 10);
  g_assert_true (scalr_store_add_dataset (s, e, "a", NULL, "tsv", NULL, &error));
  g_assert_true (scalr_store_delete_dataset (s, "e", &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->db, "dataset_items"), ==, scalr_dataset_get_n_items (d));   /* cascade */
}

/* A child process that creates a run on @db (dataset @ds) and, with @hold, keeps it running
 * (blocked reading @wait_fd) until it is killed; without, it exits at once, the run left
 * running (as a crash does). Writes one byte to @ready once the run exists. Returns the
 * child's pid. */
static pid_t
spawn_runner (const char *db, gint64 ds, gboolean hold, int ready, int wait_fd)
{
  pid_t pid = fork ();
  g_assert_cmpint (pid, >=, 0);
  if (pid > 0)
    return pid;
  GError *error = NULL;
  ScalrStore *s = scalr_store_open (db, 0, &error);
  gint64 id = 0;
  gboolean ok = s && scalr_store_create_run (s, ds, "child", "x", 1, "fp", &id, &error);
  char byte = ok ? 'r' : 'e';
  if (write (ready, &byte, 1) != 1 || !ok)
    _exit (3);
  if (hold)
    while (read (wait_fd, &byte, 1) > 0)
      ;
  _exit (0);   /* no finish_run, no close: the kernel drops the lock with the process */
}

static ScalrRunStatus
run_status (const char *db, gint64 run_id, guint *n_marked)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  *n_marked = scalr_store_get_n_marked_interrupted (s);
  g_autoptr (ScalrRunInfo) r = scalr_store_load_run (s, run_id, &error);
  g_assert_no_error (error);
  return r->status;
}

/* Liveness that a reused pid cannot fool: a run whose process died is interrupted even when
 * its row names a pid that is alive (here: the test's own, as after pid reuse); a run whose
 * process lives stays running even when its row names a dead pid (another pid namespace). */
static void
test_pid_reuse (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (f->db, 0, &error);
  g_autoptr (ScalrDataset) d = synthetic ("d", 30);
  gint64 ds;
  g_assert_true (scalr_store_add_dataset (s, d, "a", NULL, "tsv", &ds, &error));
  g_clear_pointer (&s, scalr_store_close);

  /* A process that died with its run running; its pid is then "reused" by a live process. */
  int ready[2], hold[2];
  g_assert_cmpint (pipe (ready), ==, 0);
  g_assert_cmpint (pipe (hold), ==, 0);
  pid_t child = spawn_runner (f->db, ds, FALSE, ready[1], hold[0]);
  char byte = 0;
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'r');
  int status;
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_true (WIFEXITED (status) && WEXITSTATUS (status) == 0);
  g_autofree char *reuse = g_strdup_printf ("UPDATE runs SET pid = %d WHERE name = 'child'", (int) getpid ());
  raw_exec (f->db, reuse);
  guint marked;
  g_assert_cmpint (run_status (f->db, 1, &marked), ==, SCALR_RUN_INTERRUPTED);
  g_assert_cmpuint (marked, ==, 1);

  /* A process that lives, its run held; its row names a pid that does not exist here. */
  child = spawn_runner (f->db, ds, TRUE, ready[1], hold[0]);
  g_assert_cmpint (read (ready[0], &byte, 1), ==, 1);
  g_assert_cmpint (byte, ==, 'r');
  g_autofree char *pid_max = NULL;
  g_assert_true (g_file_get_contents ("/proc/sys/kernel/pid_max", &pid_max, NULL, NULL));
  g_autofree char *gone = g_strdup_printf ("UPDATE runs SET pid = %" G_GINT64_FORMAT " WHERE id = 2",
                                           g_ascii_strtoll (pid_max, NULL, 10) + 1);
  raw_exec (f->db, gone);
  g_assert_cmpint (run_status (f->db, 2, &marked), ==, SCALR_RUN_RUNNING);
  g_assert_cmpuint (marked, ==, 0);
  /* It ends without finishing (killed): the next open marks it. */
  kill (child, SIGKILL);
  g_assert_cmpint (waitpid (child, &status, 0), ==, child);
  g_assert_cmpint (run_status (f->db, 2, &marked), ==, SCALR_RUN_INTERRUPTED);
  g_assert_cmpuint (marked, ==, 1);
  close (ready[0]);
  close (ready[1]);
  close (hold[0]);
  close (hold[1]);
}

static gpointer
open_and_list (gpointer path)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (path, 0, &error);
  if (s == NULL)
    return g_strdup (error->message);
  g_autoptr (GPtrArray) list = scalr_store_list_datasets (s, &error);
  return list ? NULL : g_strdup (error->message);
}

/* Several connections opening one new store at once (the GUI's loaders do): switching a new
 * file to WAL answers BUSY without the busy handler, and must be retried, not reported. */
static void
test_concurrent_open (Fixture *f, gconstpointer data)
{
  for (guint rep = 0; rep < 40; rep++)
    {
      g_autofree char *path = g_strdup_printf ("%s/race-%u.db", f->dir, rep);
      GThread *t[4];
      for (guint k = 0; k < 4; k++)
        t[k] = g_thread_new ("open", open_and_list, path);
      for (guint k = 0; k < 4; k++)
        {
          g_autofree char *err = g_thread_join (t[k]);
          g_assert_cmpstr (err, ==, NULL);
        }
    }
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
#define ADD(path, fn) g_test_add (path, Fixture, NULL, setup, fn, teardown)
  ADD ("/scalr/store/open-and-schema", test_open_and_schema);
  ADD ("/scalr/store/dataset-round-trip", test_dataset_round_trip);
  ADD ("/scalr/store/duplicates-and-names", test_duplicates_and_names);
  ADD ("/scalr/store/atomic-import", test_atomic_import);
  ADD ("/scalr/store/damaged-events", test_damaged_events);
  ADD ("/scalr/store/not-a-database", test_not_a_database);
  ADD ("/scalr/store/too-new", test_too_new);
  ADD ("/scalr/store/locked", test_locked);
  ADD ("/scalr/store/read-only", test_read_only);
  ADD ("/scalr/store/runs-and-interrupted", test_runs_and_interrupted);
  ADD ("/scalr/store/pid-reuse", test_pid_reuse);
  ADD ("/scalr/store/concurrent-open", test_concurrent_open);
  return g_test_run ();
}
