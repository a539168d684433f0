/* test-damage.c — a store whose run was altered under SQLite's feet (a flipped bit, a
 * truncated blob, an id out of range, a value that cannot be; SQLite's integrity check still
 * says ok): `scalr export`, `show` and `report` say "run 1 is damaged: …" with exit status 1
 * and never crash, the store API says SCALR_STORE_ERROR_DAMAGED, and the store's other run
 * still exports byte for byte as before. Each damage is tried twice: on a run with its
 * checksums (they catch it first) and with them removed, as a run stored before schema 6 has
 * none (the validators must catch it). */
#include "config.h"

#include <math.h>
#include <sqlite3.h>
#include <sys/wait.h>

#include "scalr-store.h"
#include "test-util.h"

typedef struct {
  int   status;
  char *out, *err;
} Result;

static Result
run_argv (const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH;
  g_ptr_array_add (argv, (gpointer) cli);
  for (guint k = 0; args[k]; k++)
    g_ptr_array_add (argv, (gpointer) args[k]);
  g_ptr_array_add (argv, NULL);
  Result r = { 0 };
  g_autoptr (GError) error = NULL;
  int wait = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (wait) ? WEXITSTATUS (wait) : 128 + WTERMSIG (wait);
  return r;
}

#define RUN(...) run_argv ((const char *const[]) { __VA_ARGS__, NULL })

static void
expect (Result *r, int status, const char *in_err)
{
  if (r->status != status || (in_err && strstr (r->err, in_err) == NULL))
    g_error ("expected exit %d with '%s', got %d: %s", status, in_err ? in_err : "", r->status, r->err);
  g_free (r->out);
  g_free (r->err);
}

static char *dir, *pristine;
static gboolean have_report;

static void
exec_sql (const char *db, const char *sql)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  char *msg = NULL;
  if (sqlite3_exec (c, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  g_assert_cmpint (sqlite3_changes (c), >=, 0);
  sqlite3_close (c);
}

static void
assert_integrity_ok (const char *db)
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

typedef enum { FLIP_BIT, SET_U32, SET_INF64, TRUNCATE } BlobOp;

/* Alters the blob @column of the one row of @table matching @where: flips bit @arg of byte
 * @offset, writes the little-endian u32 @arg or a double +∞ at @offset, or cuts @offset bytes
 * off its end. */
static void
damage_blob (const char *db, const char *table, const char *column, const char *where, BlobOp op,
             gsize offset, guint32 arg)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  g_autofree char *sel = g_strdup_printf ("SELECT %s FROM %s WHERE %s", column, table, where);
  sqlite3_stmt *st = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (c, sel, -1, &st, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_ROW);
  gsize len = (gsize) sqlite3_column_bytes (st, 0);
  g_autofree guint8 *b = g_memdup2 (sqlite3_column_blob (st, 0), len);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);   /* exactly one row */
  sqlite3_finalize (st);
  switch (op)
    {
    case FLIP_BIT:
      g_assert_cmpuint (offset, <, len);
      b[offset] ^= (guint8) (1u << arg);
      break;
    case SET_U32:
      g_assert_cmpuint (offset + 4, <=, len);
      {
        guint32 le = GUINT32_TO_LE (arg);
        memcpy (b + offset, &le, 4);
      }
      break;
    case SET_INF64:
      g_assert_cmpuint (offset + 8, <=, len);
      {
        double inf = INFINITY;
        memcpy (b + offset, &inf, 8);
      }
      break;
    case TRUNCATE:
      g_assert_cmpuint (offset, <=, len);
      len -= offset;
      break;
    }
  g_autofree char *upd = g_strdup_printf ("UPDATE %s SET %s = ? WHERE %s", table, column, where);
  g_assert_cmpint (sqlite3_prepare_v2 (c, upd, -1, &st, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (st, 1, b, (int) len, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (st), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (c), ==, 1);
  sqlite3_finalize (st);
  sqlite3_close (c);
}

/* The five exports of a run into DIR/PREFIX-*.tsv; their contents concatenated (owned). */
static char *
export_all (const char *db, const char *run, const char *prefix, int status, const char *in_err)
{
  g_autofree char *syn = g_strdup_printf ("%s/%s-synthetic.tsv", dir, prefix);
  g_autofree char *recs = g_strdup_printf ("%s/%s-recs.tsv", dir, prefix);
  g_autofree char *pu = g_strdup_printf ("%s/%s-per-user.tsv", dir, prefix);
  g_autofree char *met = g_strdup_printf ("%s/%s-metrics.tsv", dir, prefix);
  g_autofree char *lifts = g_strdup_printf ("%s/%s-lifts.tsv", dir, prefix);
  Result r = RUN ("export", "--db", db, run, "--synthetic", syn, "--recs", recs, "--per-user", pu, "--metrics", met,
                  "--lifts", lifts);
  expect (&r, status, in_err);
  if (status != 0)
    return NULL;
  GString *all = g_string_new (NULL);
  const char *files[] = { syn, recs, pu, met, lifts };
  for (guint k = 0; k < G_N_ELEMENTS (files); k++)
    {
      g_autofree char *text = NULL;
      g_assert_true (g_file_get_contents (files[k], &text, NULL, NULL));
      g_string_append (all, text);
    }
  return g_string_free (all, FALSE);
}

static char *bystander;   /* run 2's exports from the pristine store */

typedef struct {
  const char *name;
  const char *table, *column, *where;   /* a blob to alter, or NULL: @sql */
  BlobOp      op;
  gsize       offset;
  guint32     arg;
  const char *sql;                      /* run instead of a blob change when table is NULL */
  const char *sealed_says;              /* in the message with the checksums */
  const char *unsealed_says;            /* in the message without them */
} Damage;

#define SYN "run_id = 1 AND chunk = 0"
#define PU  "run_id = 1 AND model = 'pop' AND variant = 'augmented' AND metric = 'recall' AND k = 20"
#define RECS "run_id = 1 AND model = 'pop' AND variant = 'baseline'"

static const Damage damages[] = {
  { "synthetic-item", "run_synthetic_chunks", "items", SYN, SET_U32, 4 * 4, 0x7fffffff, NULL,
    "the checksum of its synthetic events no longer matches", "synthetic event 5 names target item 2147483647" },
  { "synthetic-user", "run_synthetic_chunks", "users", SYN, SET_U32, 4 * 2, 4000000000u, NULL,
    "the checksum of its synthetic events", "synthetic event 3 names user 4000000000; the dataset has 671 users" },
  { "synthetic-prob-bit", "run_synthetic_chunks", "probs", SYN, FLIP_BIT, 3, 6, NULL,
    "the checksum of its synthetic events", "synthetic event 1 has probability" },
  { "synthetic-weight", "run_synthetic_chunks", "weights", SYN, SET_U32, 0, 0x7fc00000, NULL,
    "the checksum of its synthetic events", "synthetic event 1 has weight nan" },
  { "synthetic-count", "run_synthetic_chunks", "counts", SYN, SET_U32, 0, 0, NULL,
    "the checksum of its synthetic events", "synthetic event 1 was drawn 0 times" },
  { "synthetic-truncated", "run_synthetic_chunks", "users", SYN, TRUNCATE, 4, 0, NULL,
    "the checksum of its synthetic events", "bytes of users for" },
  { "synthetic-chunk-gone", NULL, NULL, NULL, 0, 0, 0, "UPDATE run_synthetic_chunks SET chunk = 7 WHERE " SYN,
    "the checksum of its synthetic events", "its synthetic events are missing a part" },
  { "per-user-inf", "run_user_metrics", "vals", PU, SET_INF64, 8 * 3, 0, NULL,
    "the checksum of its per-user values", "per-user values of pop (augmented) recall@20 hold inf at position 4" },
  { "per-user-user", "run_user_metrics", "users", PU, SET_U32, 0, 99999, NULL,
    "the checksum of its per-user values", "name user 99999 at position 1" },
  { "per-user-bit", "run_user_metrics", "users", PU, FLIP_BIT, 4 * 10, 0, NULL,
    "the checksum of its per-user values", "recall@20" },
  { "per-user-truncated", "run_user_metrics", "vals", PU, TRUNCATE, 8, 0, NULL,
    "the checksum of its per-user values", "bytes of users and" },
  { "per-user-type", NULL, NULL, NULL, 0, 0, 0, "UPDATE run_user_metrics SET vals = 'text' WHERE " PU,
    "the checksum of its per-user values", "recall@20 hold" },
  { "recs-item", "run_recs", "items", RECS, SET_U32, 4 * 7, 0x40000000, NULL,
    "the checksum of its top-K lists", "top-K lists of pop (baseline) name target item 1073741824 in list 1; the run has" },
  { "recs-score", "run_recs", "scores", RECS, SET_U32, 0, 0x7f800000, NULL,
    "the checksum of its top-K lists", "the score inf" },
  { "recs-user", "run_recs", "users", RECS, SET_U32, 4, 0, NULL,
    "the checksum of its top-K lists", "top-K lists of pop (baseline)" },
  { "recs-truncated", "run_recs", "scores", RECS, TRUNCATE, 1, 0, NULL,
    "the checksum of its top-K lists", "bytes of users" },
  { "metric-value", NULL, NULL, NULL, 0, 0, 0,
    "UPDATE run_metrics SET value = 'x' WHERE run_id = 1 AND model = 'pop' AND metric = 'recall' AND segment = 'all' "
    "AND variant = 'baseline'", "the checksum of its metrics", "is not a finite number" },
  { "metric-users", NULL, NULL, NULL, 0, 0, 0,
    "UPDATE run_metrics SET n_users = n_users + 1 WHERE run_id = 1 AND segment = 'sparse' AND metric = 'ndcg'",
    "the checksum of its metrics", "sparse users" },
  { "lift-p", NULL, NULL, NULL, 0, 0, 0, "UPDATE run_lifts SET p_holm = 7 WHERE run_id = 1 AND metric = 'recall'",
    "the checksum of its lifts", "has a p-value of 7" },
  { "lift-segment", NULL, NULL, NULL, 0, 0, 0,
    "UPDATE run_lifts SET segment = 'alm' WHERE run_id = 1 AND metric = 'ndcg' AND segment = 'all'",
    "the checksum of its lifts", "unknown segment, metric or reference" },
  { "diagnostics-member", NULL, NULL, NULL, 0, 0, 0,
    "UPDATE run_artifacts SET data = CAST(replace(CAST(data AS TEXT), '\"draws\"', '\"drawz\"') AS BLOB) "
    "WHERE run_id = 1 AND kind = 'diagnostics'",
    "the checksum of its diagnostics, summaries and split", "Diagnostics: member 'draws' is missing" },
  { "diagnostics-count", NULL, NULL, NULL, 0, 0, 0,
    "UPDATE run_artifacts SET data = CAST(replace(CAST(data AS TEXT), '\"events\":', '\"events\":1') AS BLOB) "
    "WHERE run_id = 1 AND kind = 'diagnostics'",
    "the checksum of its diagnostics", "its diagnostics count 1" },
  { "summary-parse", "run_artifacts", "data", "run_id = 1 AND kind = 'summary' AND name = 'run'", FLIP_BIT, 0, 2, NULL,
    "the checksum of its diagnostics", "its summary/run document does not parse" },
  { "summary-type", NULL, NULL, NULL, 0, 0, 0,
    "UPDATE run_artifacts SET data = CAST(replace(CAST(data AS TEXT), '\"temperature_fitted\":true', "
    "'\"temperature_fitted\":\"yes\"') AS BLOB) WHERE run_id = 1 AND kind = 'summary' AND name = 'run'",
    "the checksum of its diagnostics", "ill-typed member 'temperature_fitted'" },
  { "split-assignment", "run_artifacts", "data", "run_id = 1 AND kind = 'split'", SET_U32, 100, 0x09090909, NULL,
    "the checksum of its diagnostics", "puts target event 101 in part 9" },
  { "config", NULL, NULL, NULL, 0, 0, 0, "UPDATE runs SET config = replace(config, 'seed=42', 'seed=43') WHERE id = 1",
    "the checksum of its config", NULL },
  { "checksum-record", NULL, NULL, NULL, 0, 0, 0, "UPDATE run_checksums SET n_target_items = 5 WHERE run_id = 1",
    "its checksum record no longer matches itself", NULL },
};

/* export, show (text and JSON) and report of run 1 all say it is damaged; the API too. */
static void
expect_damaged (const char *db, const char *says)
{
  g_autofree char *what = g_strdup_printf ("run 1 is damaged: ");
  g_autofree char *tail = export_all (db, "1", "damaged", 1, what);
  Result r = RUN ("export", "--db", db, "1", "--metrics", "/dev/null");
  expect (&r, 1, says);
  r = RUN ("show", "--db", db, "1");
  expect (&r, 1, says);
  r = RUN ("show", "--db", db, "1", "--json");
  expect (&r, 1, says);
  if (have_report)
    {
      g_autofree char *pdf = g_build_filename (dir, "damaged.pdf", NULL);
      r = RUN ("report", "--db", db, "1", "--out", pdf);
      expect (&r, 1, says);
      g_assert_false (g_file_test (pdf, G_FILE_TEST_EXISTS));
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  g_assert_false (scalr_store_check_run (s, 1, NULL, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_DAMAGED, "run 1 is damaged: ", says,
                              "; the other runs are not affected");
  /* The other run is fine. */
  g_clear_error (&error);
  ScalrRunCheck check;
  g_assert_true (scalr_store_check_run (s, 2, &check, &error));
  g_assert_no_error (error);
}

static void
test_damage (gconstpointer data)
{
  const Damage *d = data;
  for (int sealed = 1; sealed >= 0; sealed--)
    {
      if (!sealed && d->unsealed_says == NULL)
        continue;   /* only a checksum can tell */
      g_autofree char *db = g_strdup_printf ("%s/%s-%d.db", dir, d->name, sealed);
      g_autofree char *bytes = NULL;
      gsize len;
      g_assert_true (g_file_get_contents (pristine, &bytes, &len, NULL));
      g_assert_true (g_file_set_contents (db, bytes, (gssize) len, NULL));
      if (!sealed)
        exec_sql (db, "DELETE FROM run_checksums WHERE run_id = 1");
      if (d->table)
        damage_blob (db, d->table, d->column, d->where, d->op, d->offset, d->arg);
      else
        exec_sql (db, d->sql);
      assert_integrity_ok (db);   /* SQLite cannot see it */
      expect_damaged (db, sealed ? d->sealed_says : d->unsealed_says);
      g_autofree char *again = export_all (db, "2", "bystander", 0, NULL);
      g_assert_cmpstr (again, ==, bystander);
      test_rm_rf (db);
    }
}

/* A finished run carries its checksums and shows them verified; one stored before them
 * loads with a note. */
static void
test_verified (void)
{
  Result r = RUN ("show", "--db", pristine, "1");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "  checksum  verified\n"));
  g_assert_null (strstr (r.err, "note:"));
  expect (&r, 0, NULL);
  r = RUN ("show", "--db", pristine, "1", "--json");
  g_assert_nonnull (strstr (r.out, "\"checksum\" : \"verified\""));
  expect (&r, 0, NULL);
  g_autofree char *db = g_build_filename (dir, "old.db", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (pristine, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (db, bytes, (gssize) len, NULL));
  exec_sql (db, "DELETE FROM run_checksums WHERE run_id = 2");
  g_autofree char *old = export_all (db, "2", "old", 0, NULL);
  g_assert_cmpstr (old, ==, bystander);
  r = RUN ("export", "--db", db, "2", "--metrics", "/dev/null");
  expect (&r, 0, "note: run 2 has no checksum (stored before schema 6)");
  r = RUN ("show", "--db", db, "2", "--json");
  g_assert_nonnull (strstr (r.out, "\"checksum\" : \"none\""));
  expect (&r, 0, "cannot be verified");
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_assert_no_error (error);
  ScalrRunCheck check;
  g_assert_true (scalr_store_check_run (s, 2, &check, &error));
  g_assert_false (check.has_checksum);
  g_assert_true (scalr_store_check_run (s, 1, &check, &error));
  g_assert_true (check.has_checksum);
  g_assert_cmpuint (check.n_users, ==, 671);   /* MovieLens ml-latest-small as shipped */
  g_assert_false (scalr_store_check_run (s, 3, &check, &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  test_rm_rf (db);
}

/* A write to a finished run records its checksums again (in the same transaction); a run
 * marked otherwise loses them. */
static void
test_reseal (void)
{
  g_autofree char *db = g_build_filename (dir, "reseal.db", NULL);
  g_autofree char *bytes = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (pristine, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (db, bytes, (gssize) len, NULL));
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  ScalrRunCheck check;
  g_assert_true (scalr_store_check_run (s, 1, &check, &error));
  g_autoptr (GBytes) doc = g_bytes_new_static ("{\"later\": 1}", 12);
  g_assert_true (scalr_store_put_artifact (s, 1, "note", "later", "application/json", doc, &error));
  g_assert_no_error (error);
  g_clear_pointer (&s, scalr_store_close);
  s = scalr_store_open (db, SCALR_STORE_OPEN_READ_ONLY, &error);
  g_assert_true (scalr_store_check_run (s, 1, &check, &error));
  g_assert_no_error (error);
  g_assert_true (check.has_checksum);
  g_clear_pointer (&s, scalr_store_close);
  /* Not JSON as its content type says: damaged, named. */
  exec_sql (db, "UPDATE run_artifacts SET data = CAST('[1,' AS BLOB) WHERE run_id = 1 AND kind = 'note'");
  exec_sql (db, "DELETE FROM run_checksums WHERE run_id = 1");
  s = scalr_store_open (db, 0, &error);
  g_assert_false (scalr_store_check_run (s, 1, &check, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_DAMAGED, "its note/later document does not parse");
  g_clear_error (&error);
  g_assert_true (scalr_store_finish_run (s, 2, SCALR_RUN_FAILED, "for the test", &error));
  g_assert_true (scalr_store_check_run (s, 2, &check, &error));
  g_assert_false (check.has_checksum);
  g_clear_pointer (&s, scalr_store_close);
  test_rm_rf (db);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir_new ();
  pristine = g_build_filename (dir, "pristine.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = RUN ("import", "--db", pristine, "--name", "movielens-small", "--events", ratings, "--items", movies);
  expect (&r, 0, NULL);
  for (int k = 0; k < 2; k++)
    {
      r = RUN ("run", "--db", pristine, "--set", "downstream.models=pop", "--set", "eval.k=10,20",
               "--set", "eval.bootstrap=50", "--set", k ? "sampler.samples_per_event=2" : "sampler.samples_per_event=1");
      expect (&r, 0, NULL);
    }
  exec_sql (pristine, "PRAGMA wal_checkpoint(TRUNCATE)");   /* the file alone is the store: copies are whole */
  r = RUN ("report", "--help");
  have_report = r.status == 0;
  expect (&r, r.status, NULL);
  bystander = export_all (pristine, "2", "before", 0, NULL);
  g_test_add_func ("/scalr/damage/verified", test_verified);
  g_test_add_func ("/scalr/damage/reseal", test_reseal);
  for (guint k = 0; k < G_N_ELEMENTS (damages); k++)
    {
      g_autofree char *path = g_strdup_printf ("/scalr/damage/%s", damages[k].name);
      g_test_add_data_func (path, &damages[k], test_damage);
    }
  int status = g_test_run ();
  test_rm_rf (dir);
  g_free (dir);
  g_free (pristine);
  g_free (bystander);
  return status;
}
