/* test-runs.c — working with many runs: the number formatter, managing runs in the store
 * (names, notes, tags, groups, the trash and its undo, the migration to schema 5), which runs a
 * line may join (equal in every key but one), groups as Compare lists them, the headline
 * lift and the lift table as text. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>
#include <sqlite3.h>

#include "scalr-dataset.h"
#include "scalr-dataset-private.h"
#include "scalr-effects.h"
#include "scalr-export.h"
#include "scalr-format.h"
#include "scalr-idmap.h"
#include "scalr-lift-table.h"
#include "scalr-run-set.h"
#include "scalr-import.h"
#include "scalr-store.h"
#include "scalr-search.h"
#include "test-util.h"

/* ---- the formatter ------------------------------------------------------------------- */

#define ASSERT_FMT(expr, expected) \
  G_STMT_START { g_autofree char *s_ = (expr); g_assert_cmpstr (s_, ==, (expected)); } G_STMT_END

static void
test_format (void)
{
  ASSERT_FMT (scalr_format_count (0), "0");
  ASSERT_FMT (scalr_format_count (999), "999");
  ASSERT_FMT (scalr_format_count (1000), "1,000");
  ASSERT_FMT (scalr_format_count (100004), "100,004");
  ASSERT_FMT (scalr_format_count (1234567890), "1,234,567,890");
  ASSERT_FMT (scalr_format_metric (0.18214), "0.1821");
  ASSERT_FMT (scalr_format_metric (0.18215001), "0.1822");
  ASSERT_FMT (scalr_format_metric (NAN), "–");
  ASSERT_FMT (scalr_format_lift (0.123), "+12.3%");
  ASSERT_FMT (scalr_format_lift (-0.04), "-4.0%");
  ASSERT_FMT (scalr_format_lift (-0.0004), "+0.0%");   /* never "-0.0%" */
  ASSERT_FMT (scalr_format_lift (1.76), "+176.0%");
  ASSERT_FMT (scalr_format_lift (INFINITY), "–");
  ASSERT_FMT (scalr_format_lift_ci (0.012, 0.33), "[+1.2, +33.0]");
  ASSERT_FMT (scalr_format_lift_ci (-0.084, 0.006), "[-8.4, +0.6]");
  ASSERT_FMT (scalr_format_lift_ci (NAN, 0.3), "–");
  ASSERT_FMT (scalr_format_percent (0.706, 1), "70.6%");
  ASSERT_FMT (scalr_format_percent (0.0744, 1), "7.4%");
  ASSERT_FMT (scalr_format_percent (1, 0), "100%");
  ASSERT_FMT (scalr_format_percent (-0.00001, 1), "0.0%");
  ASSERT_FMT (scalr_format_p (0.0486), "0.0486");
  ASSERT_FMT (scalr_format_p (0.5), "0.5");
  ASSERT_FMT (scalr_format_p (1), "1");
  ASSERT_FMT (scalr_format_p (0.00123456), "0.00123");
  ASSERT_FMT (scalr_format_p (0.000999), "< 0.001");
  ASSERT_FMT (scalr_format_p (NAN), "–");
  ASSERT_FMT (scalr_format_value (0.03, 3), "0.03");
  ASSERT_FMT (scalr_format_value (500, 3), "500");
  ASSERT_FMT (scalr_format_value (0.000015, 3), "1.5e-05");
  ASSERT_FMT (scalr_format_value (2.5e7, 2), "2.5e+07");
  ASSERT_FMT (scalr_format_value (0, 3), "0");
  ASSERT_FMT (scalr_format_fixed (0.65, 3), "0.650");
  ASSERT_FMT (scalr_format_fixed (-0.0001, 3), "0.000");
  ASSERT_FMT (scalr_format_fixed (NAN, 3), "–");
  ASSERT_FMT (scalr_format_duration (0.44), "0.4 s");
  ASSERT_FMT (scalr_format_duration (12.4), "12 s");
  ASSERT_FMT (scalr_format_duration (185), "3 min 05 s");
  ASSERT_FMT (scalr_format_duration (7380), "2 h 03 min");
  ASSERT_FMT (scalr_format_duration (-1), "–");
  ASSERT_FMT (scalr_format_level (0.95), "95%");
  ASSERT_FMT (scalr_format_level (0.999), "99.9%");
}

/* ---- the store: managing runs ---------------------------------------------------------- */

typedef struct {
  char       *dir, *db;
  ScalrStore *store;
  gint64      dataset_id;
} Fixture;

static ScalrDataset *
tiny_dataset (void)
{
  /* Four users (ids 0…3: the per-user vectors below name users 1 and 3), one item. */
  g_autoptr (ScalrDatasetBuilder) b = _scalr_dataset_builder_new ();
  ScalrId i = scalr_id_map_intern (_scalr_dataset_builder_get_items (b), "i", 1, NULL);
  const char *names[] = { "u0", "u1", "u2", "u3" };
  for (guint k = 0; k < G_N_ELEMENTS (names); k++)
    {
      ScalrId u = scalr_id_map_intern (_scalr_dataset_builder_get_users (b), names[k], 2, NULL);
      _scalr_dataset_builder_add (b, u, i, 0, 1.0f, 0.0);
    }
  g_autoptr (GError) error = NULL;
  ScalrDataset *d = _scalr_dataset_builder_finish (g_steal_pointer (&b), "tiny", &error);
  g_assert_no_error (error);
  return d;
}

static void
setup (Fixture *f, gconstpointer data)
{
  f->dir = test_tmpdir_new ();
  f->db = g_build_filename (f->dir, "store.db", NULL);
  g_autoptr (GError) error = NULL;
  f->store = scalr_store_open (f->db, 0, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrDataset) d = tiny_dataset ();
  g_assert_true (scalr_store_add_dataset (f->store, d, "a", NULL, "tsv", &f->dataset_id, &error));
}

static void
teardown (Fixture *f, gconstpointer data)
{
  scalr_store_close (f->store);
  test_rm_rf (f->dir);
  g_free (f->dir);
  g_free (f->db);
}

static gint64
add_run (Fixture *f, const char *name, const char *config, ScalrRunStatus status)
{
  gint64 id = 0;
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_store_create_run (f->store, f->dataset_id, name, config, 1, "fp", &id, &error));
  if (status != SCALR_RUN_RUNNING)
    g_assert_true (scalr_store_finish_run (f->store, id, status, NULL, &error));
  g_assert_no_error (error);
  return id;
}

static gint64
count (Fixture *f, const char *table)
{
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open_v2 (f->db, &c, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
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
test_manage (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 a = add_run (f, "first", "[x]\nk=1\n", SCALR_RUN_FINISHED);
  gint64 b = add_run (f, NULL, "[x]\nk=2\n", SCALR_RUN_FINISHED);
  gint64 live = add_run (f, "going", "[x]\nk=1\n", SCALR_RUN_RUNNING);

  /* Rename (trimmed; empty clears), note, tags (normalised). */
  g_assert_true (scalr_store_rename_run (f->store, a, "  cooc baseline ", &error));
  g_assert_true (scalr_store_set_run_note (f->store, a, "τ from the paper", &error));
  g_assert_true (scalr_store_set_run_tags (f->store, a, "Paper, cold;; paper ,", &error));
  g_assert_true (scalr_store_rename_run (f->store, b, "   ", &error));
  g_assert_no_error (error);
  g_autoptr (ScalrRunInfo) ra = scalr_store_load_run (f->store, a, &error);
  g_assert_cmpstr (ra->name, ==, "cooc baseline");
  g_assert_cmpstr (ra->note, ==, "τ from the paper");
  g_assert_cmpstr (ra->tags, ==, "Paper,cold");
  g_assert_false (ra->trashed);
  g_assert_cmpint (ra->group_id, ==, 0);
  g_autoptr (ScalrRunInfo) rb = scalr_store_load_run (f->store, b, &error);
  g_assert_null (rb->name);
  g_assert_null (rb->note);
  g_assert_null (rb->tags);
  g_assert_true (scalr_store_set_run_note (f->store, a, "", &error));
  g_clear_pointer (&ra, scalr_run_info_free);
  ra = scalr_store_load_run (f->store, a, &error);
  g_assert_null (ra->note);

  /* Unknown runs. */
  g_assert_false (scalr_store_rename_run (f->store, 999, "x", &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "no run 999");
  g_clear_error (&error);
  g_assert_false (scalr_store_set_run_tags (f->store, 999, "x", &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* The same config again: both runs, newest first. */
  g_autoptr (GArray) same = scalr_store_find_runs_by_config (f->store, "[x]\nk=1\n", &error);
  g_assert_cmpuint (same->len, ==, 2);
  g_assert_cmpint (g_array_index (same, gint64, 0), ==, live);
  g_assert_cmpint (g_array_index (same, gint64, 1), ==, a);

  /* Trash hides, restore brings back, a running run cannot be trashed. */
  g_assert_true (scalr_store_trash_run (f->store, a, &error));
  g_autoptr (GPtrArray) l1 = scalr_store_list_runs (f->store, &error);
  g_assert_cmpuint (l1->len, ==, 2);
  g_autoptr (ScalrRunInfo) ta = scalr_store_load_run (f->store, a, &error);
  g_assert_true (ta->trashed);
  g_autoptr (GArray) same2 = scalr_store_find_runs_by_config (f->store, "[x]\nk=1\n", &error);
  g_assert_cmpuint (same2->len, ==, 1);
  g_assert_true (scalr_store_restore_run (f->store, a, &error));
  g_autoptr (GPtrArray) l2 = scalr_store_list_runs (f->store, &error);
  g_assert_cmpuint (l2->len, ==, 3);
  g_assert_false (scalr_store_trash_run (f->store, live, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_RUNNING, "still running");
  g_clear_error (&error);

  /* Purge deletes a trashed run and what it stored; a run that is not trashed stays. */
  g_autoptr (GBytes) blob = g_bytes_new_static ("{}", 2);
  g_assert_true (scalr_store_put_artifact (f->store, b, "summary", "run", "application/json", blob, &error));
  g_assert_true (scalr_store_add_timing (f->store, b, "split", 0.5, &error));
  g_assert_false (scalr_store_purge_run (f->store, b, &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (scalr_store_trash_run (f->store, b, &error));
  g_assert_true (scalr_store_purge_run (f->store, b, &error));
  g_assert_no_error (error);
  g_assert_cmpint (count (f, "run_artifacts"), ==, 0);
  g_assert_cmpint (count (f, "run_timings"), ==, 0);
  g_assert_cmpint (count (f, "runs"), ==, 2);
  g_assert_true (scalr_store_trash_run (f->store, a, &error));
  guint n = 7;
  /* Trashed a moment ago: not older than an hour. */
  g_assert_true (scalr_store_purge_trashed (f->store, 3600, &n, &error));
  g_assert_cmpuint (n, ==, 0);
  g_assert_cmpint (count (f, "runs"), ==, 2);
  g_assert_true (scalr_store_purge_trashed (f->store, 0, &n, &error));
  g_assert_cmpuint (n, ==, 1);
  g_assert_cmpint (count (f, "runs"), ==, 1);
}

static void
test_groups (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  gint64 g1 = 0, g2 = 0;
  g_assert_true (scalr_store_create_group (f->store, SCALR_GROUP_SWEEP, NULL, "sampler.user_ratio", &g1, &error));
  g_assert_true (scalr_store_create_group (f->store, SCALR_GROUP_MANUAL, "picked", NULL, &g2, &error));
  gint64 r1 = add_run (f, "a", "[s]\nr=1\n", SCALR_RUN_FINISHED);
  gint64 r2 = add_run (f, "b", "[s]\nr=2\n", SCALR_RUN_FINISHED);
  gint64 r3 = add_run (f, "c", "[s]\nr=3\n", SCALR_RUN_FAILED);
  gint64 r4 = add_run (f, "d", "[s]\nr=4\n", SCALR_RUN_FINISHED);
  g_assert_true (scalr_store_set_run_group (f->store, r1, g1, &error));
  g_assert_true (scalr_store_set_run_group (f->store, r2, g1, &error));
  g_assert_true (scalr_store_set_run_group (f->store, r3, g1, &error));
  g_assert_true (scalr_store_set_run_group (f->store, r4, g2, &error));
  g_assert_false (scalr_store_set_run_group (f->store, r4, 77, &error));
  test_assert_error_contains (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND, "no run group 77");
  g_clear_error (&error);
  g_assert_false (scalr_store_set_run_group (f->store, 999, g1, &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_true (scalr_store_rename_group (f->store, g1, "ratio", &error));

  g_autoptr (ScalrGroupInfo) gi = scalr_store_load_group (f->store, g1, &error);
  g_assert_cmpint (gi->kind, ==, SCALR_GROUP_SWEEP);
  g_assert_cmpstr (gi->name, ==, "ratio");
  g_assert_cmpstr (gi->keys, ==, "sampler.user_ratio");
  g_assert_nonnull (gi->created_at);
  g_autoptr (ScalrRunInfo) i1 = scalr_store_load_run (f->store, r1, &error);
  g_assert_cmpint (i1->group_id, ==, g1);

  /* As Compare lists them: the hand-picked set holds the newest run, so it comes first;
   * the failed run is left out of the sweep. */
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (f->store, &error);
  g_autoptr (GPtrArray) groups = scalr_store_list_groups (f->store, &error);
  g_assert_cmpuint (groups->len, ==, 2);
  g_autoptr (GPtrArray) views = scalr_run_groups_collect (runs, groups);
  g_assert_cmpuint (views->len, ==, 2);
  const ScalrRunGroupView *v0 = g_ptr_array_index (views, 0), *v1 = g_ptr_array_index (views, 1);
  g_assert_cmpint (v0->group->id, ==, g2);
  g_assert_cmpstr (v0->label, ==, "Hand-picked: picked · 1 run");
  g_assert_cmpint (v1->group->id, ==, g1);
  g_assert_cmpuint (v1->run_ids->len, ==, 2);
  g_assert_cmpint (g_array_index (v1->run_ids, gint64, 0), ==, r1);
  g_assert_cmpint (g_array_index (v1->run_ids, gint64, 1), ==, r2);
  g_assert_cmpint (v1->newest, ==, r2);
  g_assert_cmpstr (v1->label, ==, "Sweep over sampler.user_ratio: ratio · 2 runs");

  /* Purging a run leaves the group; the group no longer lists it. */
  g_assert_true (scalr_store_trash_run (f->store, r4, &error));
  g_assert_true (scalr_store_purge_run (f->store, r4, &error));
  g_autoptr (GPtrArray) runs2 = scalr_store_list_runs (f->store, &error);
  g_autoptr (GPtrArray) views2 = scalr_run_groups_collect (runs2, groups);
  g_assert_cmpuint (views2->len, ==, 1);

  ScalrGroupKind k;
  g_assert_true (scalr_group_kind_from_string ("replicates", &k));
  g_assert_cmpint (k, ==, SCALR_GROUP_REPLICATES);
  g_assert_false (scalr_group_kind_from_string ("Sweep", &k));
}

/* A store of schema version 3 (before run management, schema 5) upgrades: its runs keep everything
 * and get no group, note, tags; nothing is trashed. */
static void
test_migrate_v3 (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "v3.db", NULL);
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (db, &c), ==, SQLITE_OK);
  const char *v3 =
    "CREATE TABLE datasets (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE, created_at TEXT NOT NULL,"
    " events_source TEXT NOT NULL, items_source TEXT, format TEXT NOT NULL, fingerprint TEXT NOT NULL,"
    " n_events INTEGER NOT NULL, n_users INTEGER NOT NULL, n_items INTEGER NOT NULL, n_duplicates INTEGER NOT NULL,"
    " has_rating INTEGER NOT NULL, has_timestamp INTEGER NOT NULL, has_item_metadata INTEGER NOT NULL,"
    " users BLOB NOT NULL, domains BLOB NOT NULL, categories BLOB NOT NULL);"
    "CREATE TABLE runs (id INTEGER PRIMARY KEY, dataset_id INTEGER NOT NULL REFERENCES datasets(id), name TEXT,"
    " status TEXT NOT NULL, config TEXT NOT NULL, seed INTEGER NOT NULL, fingerprint TEXT NOT NULL,"
    " code_version TEXT NOT NULL, created_at TEXT NOT NULL, finished_at TEXT, error TEXT, pid INTEGER, host TEXT);"
    "CREATE TABLE run_lifts (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model TEXT NOT NULL,"
    " segment TEXT NOT NULL, metric TEXT NOT NULL, k INTEGER NOT NULL, reference TEXT NOT NULL, baseline_model TEXT NOT NULL,"
    " base_mean REAL, aug_mean REAL, lift REAL, ci_low REAL, ci_high REAL, p_t REAL, p_wilcoxon REAL, p_holm REAL,"
    " n_users INTEGER NOT NULL, PRIMARY KEY (run_id, model, segment, metric, k, reference)) WITHOUT ROWID;"
    "CREATE TABLE run_user_metrics (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model TEXT NOT NULL,"
    " variant TEXT NOT NULL, metric TEXT NOT NULL, k INTEGER NOT NULL, users BLOB NOT NULL, vals BLOB NOT NULL,"
    " PRIMARY KEY (run_id, model, variant, metric, k)) WITHOUT ROWID;"
    "CREATE TABLE run_recs (run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE, model TEXT NOT NULL,"
    " variant TEXT NOT NULL, max_k INTEGER NOT NULL, users BLOB NOT NULL, items BLOB NOT NULL, scores BLOB NOT NULL,"
    " PRIMARY KEY (run_id, model, variant)) WITHOUT ROWID;"
    "INSERT INTO datasets VALUES (1,'d','2026-01-01T00:00:00Z','a',NULL,'tsv','fp',1,1,1,0,1,1,0,x'',x'',x'');"
    "INSERT INTO runs VALUES (1,1,'old','finished','[x]\nk=1\n',1,'fp','v','2026-01-01T10:00:00Z',"
    " '2026-01-01T10:03:05Z',NULL,1,'h');"
    "PRAGMA user_version = 3;";
  g_assert_cmpint (sqlite3_exec (c, v3, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpint (scalr_store_get_schema_version (s), ==, SCALR_STORE_SCHEMA_VERSION);
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (s, &error);
  g_assert_cmpuint (runs->len, ==, 1);
  const ScalrRunInfo *r = g_ptr_array_index (runs, 0);
  g_assert_cmpstr (r->name, ==, "old");
  g_assert_cmpint (r->status, ==, SCALR_RUN_FINISHED);
  g_assert_cmpint (r->group_id, ==, 0);
  g_assert_null (r->tags);
  g_assert_false (r->trashed);
  g_assert_cmpfloat (scalr_run_info_get_duration (r), ==, 185.0);
  g_assert_true (scalr_store_set_run_tags (s, 1, "kept", &error));
  g_clear_pointer (&s, scalr_store_close);
  test_rm_rf (dir);
}

static void
test_tags_and_duration (void)
{
  ASSERT_FMT (scalr_run_tags_normalize ("  a , b;A;; c "), "a,b,c");
  g_assert_null (scalr_run_tags_normalize (" ,; "));
  g_assert_null (scalr_run_tags_normalize (NULL));
  /* 70 bytes cut to 64 at a character boundary: 31 two-byte characters and one more byte
   * would split a character, so 31 characters (62 bytes) remain. */
  g_autoptr (GString) longtag = g_string_new ("x");
  for (guint i = 0; i < 35; i++)
    g_string_append (longtag, "é");
  g_autofree char *cut = scalr_run_tags_normalize (longtag->str);
  g_assert_cmpuint (strlen (cut), ==, 63);
  g_assert_true (g_utf8_validate (cut, -1, NULL));
  ScalrRunInfo info = { .created_at = (char *) "2026-01-01T10:00:00Z", .finished_at = (char *) "2026-01-01T10:00:04.5Z" };
  g_assert_cmpfloat (scalr_run_info_get_duration (&info), ==, 4.5);
  info.finished_at = NULL;
  g_assert_true (isnan (scalr_run_info_get_duration (&info)));
}

/* ---- run sets: which runs a line may join ----------------------------------------------- */

static ScalrRunInfo *
info_new (gint64 id, const char *config)
{
  ScalrRunInfo *r = g_new0 (ScalrRunInfo, 1);
  r->id = id;
  r->config = g_strdup (config);
  r->status = SCALR_RUN_FINISHED;
  return r;
}

static const char *
cfg (const char *gen, const char *strategy, const char *ratio)
{
  static char buf[4][128];
  static guint which;
  char *b = buf[which++ % 4];
  g_snprintf (b, 128, "[generator]\nmodel=%s\n[sampler]\nstrategy=%s\nuser_ratio=%s\n", gen, strategy, ratio);
  return b;
}

static void
test_series (void)
{
  /* A sweep of embmap over user_ratio 0.5, 1, 2, 4 (run 4's value repeated by run 7), a cooc
   * per_event run at 0.5 (five keys differ: never on the line), and a cooc per_event run at 2
   * (equal to run 5 but for the ratio: a second line). */
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_run_info_free);
  g_ptr_array_add (runs, info_new (1, cfg ("embmap", "per_user", "1")));
  g_ptr_array_add (runs, info_new (2, cfg ("embmap", "per_user", "0.5")));
  g_ptr_array_add (runs, info_new (3, cfg ("embmap", "per_user", "4")));
  g_ptr_array_add (runs, info_new (4, cfg ("embmap", "per_user", "2")));
  g_ptr_array_add (runs, info_new (5, cfg ("cooc", "per_event", "0.5")));
  g_ptr_array_add (runs, info_new (6, cfg ("cooc", "per_event", "2")));
  g_ptr_array_add (runs, info_new (7, cfg ("embmap", "per_user", "2")));
  g_ptr_array_add (runs, info_new (8, "not a key file ["));
  g_autoptr (ScalrRunSet) set = scalr_run_set_new ((const ScalrRunInfo *const *) runs->pdata, runs->len);
  g_assert_cmpuint (scalr_run_set_get_n (set), ==, 8);
  g_assert_cmpstr (scalr_run_set_get_value (set, 1, "sampler.user_ratio"), ==, "0.5");
  g_assert_null (scalr_run_set_get_value (set, 7, "sampler.user_ratio"));
  g_autoptr (GPtrArray) keys = scalr_run_set_dup_differing_keys (set);
  g_assert_cmpuint (keys->len, ==, 3);
  g_assert_cmpstr (g_ptr_array_index (keys, 0), ==, "generator.model");
  g_assert_cmpstr (g_ptr_array_index (keys, 1), ==, "sampler.strategy");
  g_assert_cmpstr (g_ptr_array_index (keys, 2), ==, "sampler.user_ratio");
  g_assert_true (scalr_run_set_equal_except (set, 0, 1, "sampler.user_ratio"));
  g_assert_false (scalr_run_set_equal_except (set, 0, 4, "sampler.user_ratio"));
  g_assert_true (scalr_run_set_equal_except (set, 3, 6, NULL));
  g_assert_false (scalr_run_set_equal_except (set, 7, 0, NULL));

  g_autoptr (ScalrRunSeries) s = scalr_run_set_series (set, "sampler.user_ratio");
  g_assert_false (s->numeric);   /* run 8 has no value */
  g_assert_cmpuint (s->lines->len, ==, 2);
  /* Line 1: runs 2 (0.5), 1 (1), 7 (2, newer than 4), 3 (4) — by text order without numbers;
   * line 2: runs 5 and 6. Loose: run 4 (an older duplicate of 7) and run 8. */
  GArray *l0 = g_ptr_array_index (s->lines, 0), *l1 = g_ptr_array_index (s->lines, 1);
  g_assert_cmpuint (l0->len, ==, 4);
  guint expect0[] = { 1, 0, 6, 2 };
  for (guint i = 0; i < 4; i++)
    g_assert_cmpuint (g_array_index (l0, guint, i), ==, expect0[i]);
  g_assert_cmpuint (l1->len, ==, 2);
  g_assert_cmpuint (g_array_index (l1, guint, 0), ==, 4);
  g_assert_cmpuint (g_array_index (l1, guint, 1), ==, 5);
  g_assert_cmpuint (s->loose->len, ==, 2);
  g_assert_cmpuint (g_array_index (s->loose, guint, 0), ==, 3);
  g_assert_cmpuint (g_array_index (s->loose, guint, 1), ==, 7);
  g_assert_cmpuint (scalr_run_series_n_connected (s), ==, 6);

  /* Without the unparsed run the key is numeric: ticks at the actual values, and along
   * generator.model nothing is connected but cooc/embmap pairs equal in all else. */
  g_ptr_array_set_size (runs, 7);
  g_autoptr (ScalrRunSet) set2 = scalr_run_set_new ((const ScalrRunInfo *const *) runs->pdata, runs->len);
  g_autoptr (ScalrRunSeries) s2 = scalr_run_set_series (set2, "sampler.user_ratio");
  g_assert_true (s2->numeric);
  g_assert_false (s2->integer);
  g_assert_cmpuint (s2->ticks->len, ==, 4);
  double ticks[] = { 0.5, 1, 2, 4 };
  for (guint i = 0; i < 4; i++)
    g_assert_cmpfloat (g_array_index (s2->ticks, double, i), ==, ticks[i]);
  g_assert_cmpfloat (s2->x[2], ==, 4);
  g_autoptr (ScalrRunSeries) s3 = scalr_run_set_series (set2, "generator.model");
  g_assert_cmpuint (s3->lines->len, ==, 0);   /* the model never changes alone */
  g_assert_cmpuint (s3->loose->len, ==, 7);

  g_autofree char *key = scalr_run_set_pick_key (set2, NULL);
  g_assert_cmpstr (key, ==, "sampler.user_ratio");
  g_autofree char *key2 = scalr_run_set_pick_key (set2, "split.seed, generator.model");
  g_assert_cmpstr (key2, ==, "generator.model");
  g_autoptr (ScalrRunSet) one = scalr_run_set_new ((const ScalrRunInfo *const *) runs->pdata, 1);
  g_assert_null (scalr_run_set_pick_key (one, NULL));
}

static void
test_names_and_search (void)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autofree char *n1 = scalr_run_name_for_config (c);
  g_assert_cmpstr (n1, ==, "cooc · per_event ×1");
  g_assert_true (scalr_config_set (c, "generator", "model", "embmap", NULL));
  g_assert_true (scalr_config_set (c, "sampler", "strategy", "per_user", NULL));
  g_assert_true (scalr_config_set (c, "sampler", "user_ratio", "2", NULL));
  g_assert_true (scalr_config_set (c, "sampler", "targets", "sparse", NULL));
  g_autofree char *n2 = scalr_run_name_for_config (c);
  g_assert_cmpstr (n2, ==, "embmap · per_user ×2 · sparse users");
  g_assert_true (scalr_config_set (c, "sampler", "strategy", "topk", NULL));
  g_assert_true (scalr_config_set (c, "sampler", "targets", "all", NULL));
  g_assert_true (scalr_config_set (c, "sampler", "align", "popularity", NULL));
  g_autofree char *n3 = scalr_run_name_for_config (c);
  g_assert_cmpstr (n3, ==, "embmap · top-1 · aligned by popularity");

  ScalrRunInfo r = { .id = 12, .name = (char *) "Cold start", .dataset = (char *) "movielens-small",
                     .status = SCALR_RUN_CANCELLED, .tags = (char *) "paper,τ",
                     .config = (char *) "[generator]\nmodel=ridge\n[sampler]\nstrategy=per_user\n" };
  g_assert_true (scalr_run_info_matches (&r, NULL));
  g_assert_true (scalr_run_info_matches (&r, "  "));
  g_assert_true (scalr_run_info_matches (&r, "#12"));
  g_assert_true (scalr_run_info_matches (&r, "COLD ridge"));
  g_assert_true (scalr_run_info_matches (&r, "cancelled Τ"));   /* case folded */
  g_assert_true (scalr_run_info_matches (&r, "per_user movielens"));
  g_assert_false (scalr_run_info_matches (&r, "cold cooc"));
  g_assert_false (scalr_run_info_matches (&r, "#13"));
}

/* ---- lifts: the headline and the table ------------------------------------------------- */

static ScalrLiftRow
lift (const char *model, const char *segment, guint k, const char *reference, const char *baseline,
      double base, double aug, double lo, double hi, double p_holm)
{
  return (ScalrLiftRow) {
    .model = (char *) model, .segment = (char *) segment, .metric = (char *) "recall", .k = k,
    .reference = (char *) reference, .baseline_model = (char *) baseline, .base_mean = base, .aug_mean = aug,
    .lift = aug / base - 1, .ci_low = lo, .ci_high = hi, .p_t = 0.01, .p_wilcoxon = 0.02, .p_holm = p_holm,
    .n_users = 200, .level = NAN,
  };
}

static void
test_headline (void)
{
  /* pop is the strongest baseline for sparse users (0.186); ease augmented is best (0.250);
   * against its own baseline (0.100) ease gains +150%, against pop +34.4%. The K nearest 20
   * of {10, 50, 20} is 20. */
  ScalrLiftRow rows[] = {
    lift ("pop", "sparse", 20, "own", "pop", 0.186, 0.180, -0.06, 0.03, 1),
    lift ("pop", "sparse", 20, "strongest", "pop", 0.186, 0.180, -0.06, 0.03, 1),
    lift ("ease", "sparse", 20, "own", "ease", 0.100, 0.250, 1.0, 2.0, 0.0001),
    lift ("ease", "sparse", 20, "strongest", "pop", 0.186, 0.250, 0.2, 0.5, 0.004),
    lift ("ease", "sparse", 10, "strongest", "pop", 0.1, 0.5, 0.2, 0.5, 0.004),
    lift ("ease", "sparse", 50, "strongest", "pop", 0.1, 0.5, 0.2, 0.5, 0.004),
    lift ("ease", "all", 20, "strongest", "ease", 0.3, 0.9, 0.2, 0.5, 0.004),
  };
  ScalrHeadline h;
  g_assert_true (scalr_lifts_find_headline (rows, G_N_ELEMENTS (rows), &h));
  g_assert_true (h.strongest == &rows[3]);
  g_assert_true (h.own == &rows[2]);
  g_assert_cmpstr (h.segment, ==, "sparse");
  g_assert_cmpuint (h.k, ==, 20);
  g_autofree char *text = scalr_headline_format (&h);
  g_assert_cmpstr (text, ==, "ease +34.4% [+20.0, +50.0] vs pop · own +150.0%");
  g_autofree char *own = scalr_lift_format (h.own);
  g_assert_cmpstr (own, ==, "+150.0% [+100.0, +200.0] vs ease");
  ScalrLiftRow no_ci = rows[0];
  no_ci.ci_low = NAN;
  g_autofree char *bare = scalr_lift_format (&no_ci);
  g_assert_cmpstr (bare, ==, "-3.2% vs pop");
  g_autofree char *shorter = scalr_lift_format_short (h.own);
  g_assert_cmpstr (shorter, ==, "+150.0% [+100.0, +200.0]");
  g_autofree char *shortest = scalr_lift_format_short (&no_ci);
  g_assert_cmpstr (shortest, ==, "-3.2%");
  rows[3].level = 0.9;
  g_autofree char *desc = scalr_headline_describe (&h);
  g_assert_nonnull (strstr (desc, "sparse users, Recall@20: ease"));
  g_assert_nonnull (strstr (desc, "0.1860"));
  g_assert_nonnull (strstr (desc, "90 % CI"));
  g_assert_nonnull (strstr (desc, "not adjusted"));
  g_assert_nonnull (strstr (desc, "Holm-adjusted p 0.004"));

  rows[3].level = NAN;

  /* One row per comparison: an own row whose baseline is also the strongest answers both
   * references, and the headline says the baselines coincide. */
  ScalrLiftRow one = lift ("pop", "sparse", 20, "own", "pop", 0.186, 0.200, -0.01, 0.2, 0.3);
  one.also_strongest = TRUE;
  g_assert_true (scalr_lifts_find_headline (&one, 1, &h));
  g_assert_true (h.strongest == &one && h.own == &one);
  g_autofree char *t1 = scalr_headline_format (&h);
  g_assert_cmpstr (t1, ==, "pop +7.5% [-1.0, +20.0] vs pop");
  one.note = (char *) "p undefined: all changes zero";
  g_autofree char *d1 = scalr_headline_describe (&h);
  g_assert_nonnull (strstr (d1, " p undefined: all changes zero."));
  g_assert_nonnull (strstr (d1, "also the model's own baseline"));
  g_assert_true (scalr_lifts_find (&one, 1, "pop", "sparse", "recall", 20, "strongest") == &one);

  /* Without a sparse segment the headline falls back to all users; a model that is its own
   * strongest baseline gets no "own" part. */
  g_assert_true (scalr_lifts_find_headline (&rows[6], 1, &h));
  g_assert_cmpstr (h.segment, ==, "all");
  g_assert_null (h.own);
  g_autofree char *t2 = scalr_headline_format (&h);
  g_assert_cmpstr (t2, ==, "ease +200.0% [+20.0, +50.0] vs ease");
  /* Only own-baseline rows, or NaN lifts: no headline. */
  g_assert_false (scalr_lifts_find_headline (&rows[2], 1, &h));
  g_assert_null (h.strongest);
  ScalrLiftRow nan_row = lift ("ease", "sparse", 20, "strongest", "pop", 0, 0, NAN, NAN, NAN);
  g_assert_false (scalr_lifts_find_headline (&nan_row, 1, &h));
  g_assert_cmpuint (scalr_lifts_headline_k (rows, G_N_ELEMENTS (rows), "ndcg"), ==, 0);

  g_autoptr (GPtrArray) sel = scalr_lifts_select (rows, G_N_ELEMENTS (rows), "sparse", "recall", 20, "strongest");
  g_assert_cmpuint (sel->len, ==, 2);
  g_assert_true (g_ptr_array_index (sel, 1) == &rows[3]);
  g_autoptr (GPtrArray) both = scalr_lifts_select (rows, G_N_ELEMENTS (rows), "sparse", "recall", 20, NULL);
  g_assert_cmpuint (both->len, ==, 4);
  g_assert_true (scalr_lifts_find (rows, G_N_ELEMENTS (rows), "ease", "sparse", "recall", 10, "strongest") == &rows[4]);
  g_assert_null (scalr_lifts_find (rows, G_N_ELEMENTS (rows), "ease", "warm", "recall", 10, "strongest"));
}

/* Per-user changes joined from the stored per-user vectors (little-endian uint32 users and
 * float32 values as stores before schema 4 kept them, written here by hand, the run without
 * checksums as before schema 6): user 3 has 0.5 → 0.75, user 1 0.25 → 0 (and no
 * other metric or K leaks in). */
static void
test_user_deltas (Fixture *f, gconstpointer data)
{
  gint64 run = add_run (f, "r", "[x]\nk=1\n", SCALR_RUN_FINISHED);
  sqlite3 *c = NULL;
  g_assert_cmpint (sqlite3_open (f->db, &c), ==, SQLITE_OK);
  g_autofree char *sql = g_strdup_printf (
    "INSERT INTO run_user_metrics (run_id, model, variant, metric, k, users, vals) VALUES (%1$" G_GINT64_FORMAT ", 'ease', 'baseline', 'recall', 20, "
    "  x'0100000003000000', x'0000803E0000003F');"
    "INSERT INTO run_user_metrics (run_id, model, variant, metric, k, users, vals) VALUES (%1$" G_GINT64_FORMAT ", 'ease', 'augmented', 'recall', 20, "
    "  x'0100000003000000', x'000000000000403F');"
    "INSERT INTO run_user_metrics (run_id, model, variant, metric, k, users, vals) VALUES (%1$" G_GINT64_FORMAT ", 'ease', 'augmented', 'recall', 10, "
    "  x'0100000003000000', x'0000803F0000803F');"
    "INSERT INTO run_user_metrics (run_id, model, variant, metric, k, users, vals) VALUES (%1$" G_GINT64_FORMAT ", 'pop', 'baseline', 'ndcg', 20, "
    "  x'0100000003000000', x'0000803F0000803F');"
    /* As a run finished before schema 6: no checksums to hold the rows to. */
    "DELETE FROM run_checksums WHERE run_id = %1$" G_GINT64_FORMAT ";", run);
  g_assert_cmpint (sqlite3_exec (c, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (GHashTable) d = scalr_lifts_load_user_deltas (f->store, run, "recall", 20, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_hash_table_size (d), ==, 1);
  GArray *ease = g_hash_table_lookup (d, "ease");
  g_assert_cmpuint (ease->len, ==, 2);
  const ScalrUserDelta *u1 = scalr_user_deltas_find (ease, 1), *u3 = scalr_user_deltas_find (ease, 3);
  g_assert_true (u1 == &g_array_index (ease, ScalrUserDelta, 0));
  g_assert_cmpfloat (u1->base, ==, 0.25f);
  g_assert_cmpfloat (u1->aug, ==, 0.0f);
  g_assert_cmpfloat (u3->base, ==, 0.5f);
  g_assert_cmpfloat (u3->aug, ==, 0.75f);
  g_assert_null (scalr_user_deltas_find (ease, 2));
  g_assert_null (scalr_user_deltas_find (NULL, 1));
  g_autoptr (GHashTable) none = scalr_lifts_load_user_deltas (f->store, run, "mrr", 20, &error);
  g_assert_cmpuint (g_hash_table_size (none), ==, 0);
}

static void
test_lift_table_text (void)
{
  ScalrLiftRow rows[] = {
    lift ("ease", "sparse", 20, "strongest", "pop", 0.2, 0.25, 0.1, 0.4, 0.004),
    lift ("a,b\"c", "sparse", 20, "own", "x\ty", 0.2, 0.25, NAN, 0.4, NAN),
  };
  rows[0].level = 0.95;
  rows[1].also_strongest = TRUE;
  rows[1].note = (char *) "CI undefined: one user, \"a\"\tb";
  g_autofree char *tsv = scalr_export_lifts_text (rows, 2, SCALR_TABLE_TSV);
  g_assert_cmpstr (tsv, ==,
    "model\tsegment\tmetric\tk\treference\tbaseline_model\tbase_mean\taug_mean\tlift\tci_low\tci_high\tp_t\t"
    "p_wilcoxon\tp_holm\tn_users\tlevel\talso_strongest\tnote\n"
    "ease\tsparse\trecall\t20\tstrongest\tpop\t0.2\t0.25\t0.25\t0.1\t0.4\t0.01\t0.02\t0.004\t200\t0.95\t0\t\n"
    "a,b\"c\tsparse\trecall\t20\town\tx y\t0.2\t0.25\t0.25\tNA\t0.4\t0.01\t0.02\tNA\t200\tNA\t1\t"
    "CI undefined: one user, \"a\" b\n");
  g_autofree char *csv = scalr_export_lifts_text (&rows[1], 1, SCALR_TABLE_CSV);
  g_assert_cmpstr (csv, ==,
    "model,segment,metric,k,reference,baseline_model,base_mean,aug_mean,lift,ci_low,ci_high,p_t,"
    "p_wilcoxon,p_holm,n_users,level,also_strongest,note\n"
    "\"a,b\"\"c\",sparse,recall,20,own,x\ty,0.2,0.25,0.25,NA,0.4,0.01,0.02,NA,200,NA,1,"
    "\"CI undefined: one user, \"\"a\"\"\tb\"\n");
  /* Exact numbers: the shortest decimal that reads back as the same double. */
  rows[0].lift = 0.1 + 0.2;
  rows[0].base_mean = 1e-7;
  g_autofree char *exact = scalr_export_lifts_text (rows, 1, SCALR_TABLE_TSV);
  g_assert_nonnull (strstr (exact, "\t1e-07\t0.25\t0.30000000000000004\t"));
  g_autofree char *empty = scalr_export_lifts_text (NULL, 0, SCALR_TABLE_TSV);
  g_assert_true (g_str_has_prefix (empty, "model\t") && g_str_has_suffix (empty, "\tnote\n"));
  g_assert_cmpint (scalr_table_format_for_path ("a/b.CSV"), ==, SCALR_TABLE_CSV);
  g_assert_cmpint (scalr_table_format_for_path ("lifts.tsv"), ==, SCALR_TABLE_TSV);
  g_assert_cmpint (scalr_table_format_for_path ("csv"), ==, SCALR_TABLE_TSV);
}

/* ---- which settings matter -------------------------------------------------------------- */

/* Four trials: a = 1, 1, 2, 2 and b = x, y, x, y with objectives 1, 2, 3, 5. For a the
 * level means are 1.5 and 4 (spread 2.5), for b 2 and 3.5 (spread 1.5); c takes one value
 * and is left out; d has 10 and 9 (numeric order: 9 first), and NULL where it does not
 * apply. */
static void
test_effects (void)
{
  const char *keys[] = { "a", "b", "c", "d" };
  const char *values[] = {
    "1", "x", "k", "10",
    "1", "y", "k", "9",
    "2", "x", "k", NULL,
    "2", "y", "k", "10",
  };
  double obj[] = { 1, 2, 3, 5 };
  double lo[] = { 0.5, 1, 2, 4 }, hi[] = { 1.5, 3, 4, 6 };
  g_autoptr (GPtrArray) e = scalr_effects_compute (4, 4, keys, values, obj, lo, hi);
  g_assert_cmpuint (e->len, ==, 3);
  const ScalrEffect *a = g_ptr_array_index (e, 0), *b = g_ptr_array_index (e, 1), *d = g_ptr_array_index (e, 2);
  g_assert_cmpstr (a->key, ==, "a");
  g_assert_cmpfloat (a->spread, ==, 2.5);
  g_assert_true (a->numeric);
  const ScalrEffectLevel *a1 = &g_array_index (a->levels, ScalrEffectLevel, 0);
  g_assert_cmpstr (a1->value, ==, "1");
  g_assert_cmpuint (a1->n, ==, 2);
  g_assert_cmpfloat (a1->mean, ==, 1.5);
  /* sample sd of (1, 2): /usr/bin/python3 -c 'import statistics; print(statistics.stdev([1,2]))' → 0.7071067811865476 */
  g_assert_cmpfloat_with_epsilon (a1->sd, 0.7071067811865476, 1e-12);
  g_assert_cmpfloat (a1->lo, ==, 1);
  g_assert_cmpfloat (a1->hi, ==, 2);
  g_assert_cmpstr (b->key, ==, "b");
  g_assert_false (b->numeric);
  g_assert_cmpfloat (b->spread, ==, 1.5);
  g_assert_cmpstr (d->key, ==, "d");
  /* d: 9 (trial 1 alone: its own interval 1..3) then 10 (trials 0 and 3: mean 3). */
  const ScalrEffectLevel *d9 = &g_array_index (d->levels, ScalrEffectLevel, 0);
  const ScalrEffectLevel *d10 = &g_array_index (d->levels, ScalrEffectLevel, 1);
  g_assert_cmpstr (d9->value, ==, "9");
  g_assert_cmpuint (d9->n, ==, 1);
  g_assert_cmpfloat (d9->lo, ==, 1);
  g_assert_cmpfloat (d9->hi, ==, 3);
  g_assert_true (isnan (d9->sd));
  g_assert_cmpfloat (d10->mean, ==, 3);
  g_assert_cmpfloat (d->spread, ==, 1);
  /* A failed trial (NaN) counts for nothing; no trials, no effects. */
  double obj2[] = { NAN, 2, 3, 5 };
  g_autoptr (GPtrArray) e2 = scalr_effects_compute (4, 4, keys, values, obj2, NULL, NULL);
  /* d: 9 → 2, 10 → 5 (spread 3); a: 1 → 2, 2 → 4 (spread 2); b: x → 3, y → 3.5. */
  const ScalrEffect *a2 = g_ptr_array_index (e2, 1);
  g_assert_cmpstr (((const ScalrEffect *) g_ptr_array_index (e2, 0))->key, ==, "d");
  g_assert_cmpstr (a2->key, ==, "a");
  g_assert_cmpfloat (a2->spread, ==, 2);
  g_assert_cmpuint (g_array_index (a2->levels, ScalrEffectLevel, 0).n, ==, 1);
  g_assert_cmpfloat (g_array_index (a2->levels, ScalrEffectLevel, 0).lo, ==, 2);   /* no intervals given */
  g_autoptr (GPtrArray) e3 = scalr_effects_compute (0, 4, keys, NULL, NULL, NULL, NULL);
  g_assert_cmpuint (e3->len, ==, 0);
}

/* ---- sweeps ------------------------------------------------------------------------------ */

static void
test_grid (void)
{
  g_autoptr (GError) error = NULL;
  const char *specs[] = { "sampler.user_ratio=0.5,1", "generator.model=cooc,ridge,popularity", NULL };
  g_autoptr (ScalrGrid) g = scalr_grid_new (specs, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (scalr_grid_get_n_points (g), ==, 6);
  g_assert_cmpuint (scalr_grid_get_n_axes (g), ==, 2);
  g_assert_cmpstr (scalr_grid_get_key (g, 1), ==, "generator.model");
  g_autofree char *keys = scalr_grid_dup_keys (g);
  g_assert_cmpstr (keys, ==, "sampler.user_ratio,generator.model");
  /* The last axis varies fastest: point 4 = (1, ridge). */
  g_auto (GStrv) v4 = scalr_grid_dup_point_values (g, 4);
  g_assert_cmpstr (v4[0], ==, "1");
  g_assert_cmpstr (v4[1], ==, "ridge");
  g_autoptr (ScalrConfig) base = scalr_config_new ();
  g_autoptr (ScalrConfig) c2 = scalr_grid_dup_point_config (g, base, 2);
  g_assert_cmpstr (scalr_config_get (c2, "sampler", "user_ratio"), ==, "0.5");
  g_assert_cmpstr (scalr_config_get (c2, "generator", "model"), ==, "popularity");
  g_assert_cmpstr (scalr_config_get (base, "generator", "model"), ==, "cooc");   /* untouched */
  /* Errors: a bad value, a key twice, no axis, too many points. */
  const char *bad[] = { "sampler.user_ratio=1,x", NULL };
  g_assert_null (scalr_grid_new (bad, &error));
  g_assert_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE);
  g_clear_error (&error);
  const char *twice[] = { "sampler.user_ratio=1", "sampler.user_ratio=2", NULL };
  g_assert_null (scalr_grid_new (twice, &error));
  test_assert_error_contains (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "twice");
  g_clear_error (&error);
  const char *empty[] = { NULL };
  g_assert_null (scalr_grid_new (empty, &error));
  g_assert_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC);
  g_clear_error (&error);
  g_autoptr (GString) many = g_string_new ("sampler.seed=0");
  for (guint i = 1; i < 200; i++)
    g_string_append_printf (many, ",%u", i);
  const char *big[] = { many->str, many->str + 0, NULL };
  g_autofree char *other = g_strdup_printf ("split.seed=%s", strchr (many->str, '=') + 1);
  big[1] = other;
  g_assert_null (scalr_grid_new (big, &error));   /* 200 × 200 = 40,000 points */
  test_assert_error_contains (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "10,000");
}

typedef struct {
  guint   calls;
  guint64 n;
  GCancellable *cancel_after_first;
} PointLog;

static void
on_point (const ScalrSweepPoint *pt, guint64 n_points, gpointer data)
{
  PointLog *log = data;
  g_assert_cmpuint (pt->index, ==, log->calls);
  log->calls++;
  log->n = n_points;
  if (log->cancel_after_first)
    g_cancellable_cancel (log->cancel_after_first);
}

/* A sweep of two points on MovieLens: two runs named by their values in one new group that
 * records the key; cancelling after the first point stops the sweep (the first run stays). */
static void
test_sweep_run (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autoptr (GError) error = NULL;
  {
    g_autofree char *ratings = test_movielens_path ("ratings.tsv");
    g_autofree char *movies = test_movielens_path ("movies.tsv");
    g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
    o->name = g_strdup ("movielens-small");
    scalr_import_options_add_events (o, ratings, NULL);
    o->items_path = g_strdup (movies);
    g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
    g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
    g_assert_true (scalr_store_add_dataset (s, d, "ratings.tsv", "movies.tsv", "tsv", NULL, &error));
  }
  g_autoptr (ScalrConfig) base = scalr_config_new ();
  const char *quick[] = { "downstream.models=pop", "eval.bootstrap=20", "eval.k=20", NULL };
  for (guint i = 0; quick[i]; i++)
    g_assert_true (scalr_config_set_assignment (base, quick[i], &error));
  const char *specs[] = { "sampler.samples_per_event=0,1", NULL };
  g_autoptr (ScalrGrid) grid = scalr_grid_new (specs, &error);
  PointLog log = { 0 };
  ScalrSweepOptions o = { .group_name = "more events", .point_func = on_point, .point_data = &log };
  gint64 group = 0;
  g_autoptr (GPtrArray) points = scalr_sweep_run (db, base, grid, &o, NULL, NULL, &group, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (points->len, ==, 2);
  g_assert_cmpuint (log.calls, ==, 2);
  g_assert_cmpuint (log.n, ==, 2);
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_autoptr (ScalrGroupInfo) gi = scalr_store_load_group (s, group, &error);
  g_assert_cmpint (gi->kind, ==, SCALR_GROUP_SWEEP);
  g_assert_cmpstr (gi->name, ==, "more events");
  g_assert_cmpstr (gi->keys, ==, "sampler.samples_per_event");
  for (guint i = 0; i < 2; i++)
    {
      const ScalrSweepPoint *pt = g_ptr_array_index (points, i);
      g_assert_null (pt->error);
      g_assert_cmpstr (pt->keys[0], ==, "sampler.samples_per_event");
      g_autoptr (ScalrRunInfo) r = scalr_store_load_run (s, pt->run_id, &error);
      g_autofree char *want = g_strdup_printf ("samples_per_event=%u", i);
      g_assert_cmpstr (r->name, ==, want);
      g_assert_cmpint (r->group_id, ==, group);
      g_assert_cmpint (r->status, ==, SCALR_RUN_FINISHED);
    }
  /* Cancelled after the first point: an error, the first run kept, in its own group. */
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  PointLog log2 = { .cancel_after_first = cancel };
  ScalrSweepOptions o2 = { .point_func = on_point, .point_data = &log2 };
  gint64 group2 = 0;
  g_autoptr (GPtrArray) none = scalr_sweep_run (db, base, grid, &o2, NULL, cancel, &group2, &error);
  g_assert_null (none);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_assert_cmpuint (log2.calls, ==, 1);
  g_assert_cmpint (group2, >, group);
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (s, NULL);
  g_assert_cmpuint (runs->len, ==, 3);

  /* Filing a finished run is not a change to its results: renamed, tagged, annotated, moved
   * out of its group, trashed and restored, it still verifies against its checksums; purged,
   * it and its checksums are gone. */
  gint64 filed = ((const ScalrSweepPoint *) g_ptr_array_index (points, 0))->run_id;
  ScalrRunCheck chk;
  g_assert_true (scalr_store_check_run (s, filed, &chk, &error));
  g_assert_true (chk.has_checksum);
  g_assert_true (scalr_store_rename_run (s, filed, "no synthetic events", &error));
  g_assert_true (scalr_store_set_run_tags (s, filed, "control", &error));
  g_assert_true (scalr_store_set_run_note (s, filed, "the baseline point", &error));
  g_assert_true (scalr_store_set_run_group (s, filed, 0, &error));
  g_assert_true (scalr_store_trash_run (s, filed, &error));
  g_assert_true (scalr_store_restore_run (s, filed, &error));
  g_assert_no_error (error);
  g_clear_pointer (&s, scalr_store_close);
  s = scalr_store_open (db, 0, &error);   /* a fresh connection checks again */
  g_assert_true (scalr_store_check_run (s, filed, &chk, &error));
  g_assert_no_error (error);
  g_assert_true (chk.has_checksum);
  g_assert_true (scalr_store_trash_run (s, filed, &error));
  g_assert_true (scalr_store_purge_run (s, filed, &error));
  g_assert_false (scalr_store_check_run (s, filed, &chk, &error));
  g_assert_error (error, SCALR_STORE_ERROR, SCALR_STORE_ERROR_NOT_FOUND);
  g_clear_error (&error);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/runs/format", test_format);
  g_test_add ("/scalr/runs/manage", Fixture, NULL, setup, test_manage, teardown);
  g_test_add ("/scalr/runs/groups", Fixture, NULL, setup, test_groups, teardown);
  g_test_add_func ("/scalr/runs/migrate-v3", test_migrate_v3);
  g_test_add_func ("/scalr/runs/tags-and-duration", test_tags_and_duration);
  g_test_add_func ("/scalr/runs/series", test_series);
  g_test_add_func ("/scalr/runs/names-and-search", test_names_and_search);
  g_test_add_func ("/scalr/runs/headline", test_headline);
  g_test_add_func ("/scalr/runs/lift-table-text", test_lift_table_text);
  g_test_add ("/scalr/runs/user-deltas", Fixture, NULL, setup, test_user_deltas, teardown);
  g_test_add_func ("/scalr/runs/effects", test_effects);
  g_test_add_func ("/scalr/runs/grid", test_grid);
  g_test_add_func ("/scalr/runs/sweep-run", test_sweep_run);
  return g_test_run ();
}
