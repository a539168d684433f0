/* test-cli.c — the `scalr` command end to end: exit codes, messages, JSON, no partial state. */
#include "config.h"

#include "scalr-registry.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>
#include <unistd.h>

#include "test-util.h"

typedef struct {
  int   status;
  char *out;
  char *err;
} Result;

static void
result_clear (Result *r)
{
  g_free (r->out);
  g_free (r->err);
}

/* Runs scalr with the arguments, and @var=@value in its environment when @var is set. */
static Result
run_scalr_va (const char *var, const char *value, const char *first, va_list ap)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH;
  g_ptr_array_add (argv, (gpointer) cli);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  g_ptr_array_add (argv, NULL);
  Result r = { 0 };
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "SCALR_BUSY_TIMEOUT_MS", "200", TRUE);
  if (var)
    env = g_environ_setenv (env, var, value, TRUE);
  int wait = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (wait) ? WEXITSTATUS (wait) : 128 + WTERMSIG (wait);
  return r;
}

/* Runs scalr with the NULL-terminated arguments. */
static Result
run_scalr (const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  Result r = run_scalr_va (NULL, NULL, first, ap);
  va_end (ap);
  return r;
}

static Result
run_scalr_env (const char *var, const char *value, const char *first, ...)
{
  va_list ap;
  va_start (ap, first);
  Result r = run_scalr_va (var, value, first, ap);
  va_end (ap);
  return r;
}

static JsonObject *
parse_object (JsonParser *p, const char *text)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (json_parser_load_from_data (p, text, -1, &error));
  return json_node_get_object (json_parser_get_root (p));
}

static void
assert_fails (Result *r, int status, const char *msg1, const char *msg2)
{
  if (r->status != status || strstr (r->err, msg1) == NULL || (msg2 && strstr (r->err, msg2) == NULL))
    g_error ("expected exit %d with '%s' / '%s', got %d: %s", status, msg1, msg2 ? msg2 : "", r->status, r->err);
}

static gint64
n_datasets (const char *db)
{
  sqlite3 *c = NULL;
  sqlite3_open_v2 (db, &c, SQLITE_OPEN_READONLY, NULL);
  sqlite3_stmt *st = NULL;
  g_assert_cmpint (sqlite3_prepare_v2 (c, "SELECT count(*) FROM datasets", -1, &st, NULL), ==, SQLITE_OK);
  sqlite3_step (st);
  gint64 n = sqlite3_column_int64 (st, 0);
  sqlite3_finalize (st);
  sqlite3_close (c);
  return n;
}

static void
test_help (void)
{
  Result r = run_scalr ("--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "import"));
  g_assert_nonnull (strstr (r.out, "stats"));
  result_clear (&r);
  r = run_scalr ("import", "--help", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "--events"));
  result_clear (&r);
  /* The config keys, from the parameter tables. */
  r = run_scalr ("config", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "samples_per_event"));
  g_assert_nonnull (strstr (r.out, "an integer in 0…1000"));
  result_clear (&r);
  r = run_scalr ("config", "--defaults", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "[sampler]\nstrategy=per_event\n"));
  result_clear (&r);
  r = run_scalr ("frobnicate", NULL);
  assert_fails (&r, 2, "unknown command 'frobnicate'", NULL);
  result_clear (&r);
  r = run_scalr ("import", "--db", "/tmp/x.db", NULL);
  assert_fails (&r, 2, "--events FILE is required", NULL);
  result_clear (&r);
  r = run_scalr ("import", "--bogus", NULL);
  assert_fails (&r, 2, "--bogus", "Try 'scalr import --help'");
  result_clear (&r);
}

static void
test_movielens (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = run_scalr ("import", "--db", db, "--name", "movielens-small", "--events", ratings,
                        "--items", movies, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o = parse_object (p, r.out);
  g_assert_cmpint (json_object_get_int_member (o, "events"), ==, 100004);
  g_assert_cmpint (json_object_get_int_member (o, "users"), ==, 671);
  g_assert_cmpint (json_object_get_int_member (o, "items"), ==, 9066);
  result_clear (&r);

  r = run_scalr ("datasets", "--db", db, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p2 = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p2, r.out, -1, NULL));
  JsonArray *arr = json_node_get_array (json_parser_get_root (p2));
  g_assert_cmpuint (json_array_get_length (arr), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_array_get_object_element (arr, 0), "events"), ==, 100004);
  result_clear (&r);
  /* One dataset by name: scripts (run-workbench) test for it by the exit status. */
  r = run_scalr ("datasets", "--db", db, "movielens-small", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "movielens-small"));
  result_clear (&r);
  r = run_scalr ("datasets", "--db", db, "movielens-large", NULL);
  assert_fails (&r, 1, "no dataset 'movielens-large'", NULL);
  result_clear (&r);
  r = run_scalr ("datasets", "--db", db, "a", "b", NULL);
  assert_fails (&r, 2, "one dataset name at most", NULL);
  result_clear (&r);

  r = run_scalr ("stats", "--db", db, "movielens-small", "--source", "category:Comedy,!Drama",
                 "--target", "category:Drama,!Comedy", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p3 = json_parser_new ();
  o = parse_object (p3, r.out);
  g_assert_cmpint (json_object_get_int_member (o, "overlap_users"), ==, 668);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "source"), "events"), ==, 27595);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "target"), "events"), ==, 34321);
  result_clear (&r);

  /* The shipped example config gives the same domains. */
  g_autofree char *config = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-comedy-drama.ini", NULL);
  r = run_scalr ("stats", "--db", db, "--config", config, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p4 = json_parser_new ();
  o = parse_object (p4, r.out);
  g_assert_cmpint (json_object_get_int_member (o, "overlap_users"), ==, 668);
  result_clear (&r);

  /* Text output is readable. */
  r = run_scalr ("stats", "--db", db, "--config", config, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "27,595"));
  g_assert_nonnull (strstr (r.out, "overlap users: 668"));
  result_clear (&r);

  /* Domain errors. */
  r = run_scalr ("stats", "--db", db, "movielens-small", "--source", "category:Comdy",
                 "--target", "category:Drama", NULL);
  assert_fails (&r, 1, "unknown category 'Comdy'", "Comedy");
  result_clear (&r);
  r = run_scalr ("stats", "--db", db, "movielens-small", "--source", "category:Drama,!Drama",
                 "--target", "category:Comedy", NULL);
  assert_fails (&r, 1, "selects no events", NULL);
  result_clear (&r);
  r = run_scalr ("stats", "--db", db, "movielens-small", "--source", "category:Comedy",
                 "--target", "category:Drama", NULL);
  assert_fails (&r, 1, "share", "exclusive");
  result_clear (&r);
  r = run_scalr ("stats", "--db", db, "nope", NULL);
  assert_fails (&r, 1, "no dataset named 'nope'", NULL);
  result_clear (&r);
  r = run_scalr ("stats", "--db", db, "movielens-small", "--source", "category:Comedy", NULL);
  assert_fails (&r, 2, "both --source and --target", NULL);
  result_clear (&r);
  /* The same name twice. */
  r = run_scalr ("import", "--db", db, "--name", "movielens-small", "--events", ratings, NULL);
  assert_fails (&r, 1, "exists already", NULL);
  result_clear (&r);
  g_assert_cmpint (n_datasets (db), ==, 1);
  test_rm_rf (dir);
}

static void
test_bad_files (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ok = test_write_file (dir, "ok.tsv", "user\titem\nu\ti\n", -1);
  Result r = run_scalr ("import", "--db", db, "--name", "ok", "--events", ok, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);

  static const char nul[] = "user\titem\nu\t\0\n";
  struct { const char *file; const char *text; gssize len; const char *m1, *m2; } cases[] = {
    { "empty.tsv", "", 0, "empty.tsv", "empty file" },
    { "header.tsv", "user\titem\trating\n", -1, "header.tsv", "header only" },
    { "cols.tsv", "user\titem\trating\nu\ti\n", -1, "cols.tsv:2:", "expected 3" },
    { "nan.tsv", "user\titem\trating\nu\ti\tnan\n", -1, "nan.tsv:2:", "not a finite number" },
    { "text.tsv", "user\titem\ttimestamp\nu\ti\tyesterday\n", -1, "text.tsv:2:", "timestamp 'yesterday'" },
    { "nul.tsv", nul, sizeof nul - 1, "nul.tsv:2:", "NUL byte" },
    { "utf8.tsv", "user\titem\nu\ti\xc3\x28\n", -1, "utf8.tsv:2:", "item id is not valid UTF-8" },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      g_autofree char *path = test_write_file (dir, cases[k].file, cases[k].text, cases[k].len);
      r = run_scalr ("import", "--db", db, "--name", cases[k].file, "--events", path, NULL);
      assert_fails (&r, 1, cases[k].m1, cases[k].m2);
      result_clear (&r);
    }
  g_autofree char *missing = g_build_filename (dir, "missing.tsv", NULL);
  r = run_scalr ("import", "--db", db, "--events", missing, NULL);
  assert_fails (&r, 1, "missing.tsv", "cannot open");
  result_clear (&r);
  /* Line over 1 MiB. */
  g_autoptr (GString) s = g_string_new ("user\titem\nu\t");
  for (guint k = 0; k < (1u << 20) + 10; k++)
    g_string_append_c (s, 'x');
  g_string_append_c (s, '\n');
  g_autofree char *longp = test_write_file (dir, "long.tsv", s->str, (gssize) s->len);
  r = run_scalr ("import", "--db", db, "--events", longp, NULL);
  assert_fails (&r, 1, "long.tsv:2:", "1 MiB");
  result_clear (&r);
  /* Nothing of the failed imports reached the store. */
  g_assert_cmpint (n_datasets (db), ==, 1);

  /* Two files whose users never meet: no overlap users. */
  g_autofree char *a = test_write_file (dir, "books.tsv", "user\titem\nu1\tb\n", -1);
  g_autofree char *b = test_write_file (dir, "films.tsv", "user\titem\nu2\tf\n", -1);
  r = run_scalr ("import", "--db", db, "--name", "two", "--events", a, "--events", b, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run_scalr ("stats", "--db", db, "two", "--source", "domain:books", "--target", "domain:films", NULL);
  assert_fails (&r, 1, "no user has events in both", NULL);
  result_clear (&r);
  test_rm_rf (dir);
}

static void
test_bad_store (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *ok = test_write_file (dir, "ok.tsv", "user\titem\nu\ti\n", -1);
  const char *junk_text = "this is a text file, not a database; it is long enough to fill an SQLite header block ....\n";
  g_autofree char *junk = test_write_file (dir, "junk.db", junk_text, -1);
  Result r = run_scalr ("import", "--db", junk, "--events", ok, NULL);
  assert_fails (&r, 1, "junk.db", "not an SQLite database");
  result_clear (&r);
  g_autofree char *after = NULL;
  g_file_get_contents (junk, &after, NULL, NULL);
  g_assert_cmpstr (after, ==, junk_text);

  /* Locked by another writer: the CLI waits (200 ms here), then says so. */
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  r = run_scalr ("import", "--db", db, "--name", "first", "--events", ok, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  sqlite3 *other = NULL;
  sqlite3_open (db, &other);
  g_assert_cmpint (sqlite3_exec (other, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  r = run_scalr ("import", "--db", db, "--name", "second", "--events", ok, NULL);
  assert_fails (&r, 1, "locked by another process", NULL);
  result_clear (&r);
  sqlite3_exec (other, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_close (other);
  g_assert_cmpint (n_datasets (db), ==, 1);

  if (geteuid () != 0)
    {
      g_chmod (db, 0444);
      r = run_scalr ("import", "--db", db, "--name", "third", "--events", ok, NULL);
      g_assert_cmpint (r.status, ==, 1);
      result_clear (&r);
      g_chmod (db, 0644);
    }
  test_rm_rf (dir);
}

static void
test_run_show_export (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autofree char *config = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-comedy-drama.ini", NULL);
  Result r = run_scalr ("import", "--db", db, "--name", "movielens-small", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);

  r = run_scalr ("run", "--db", db, "--config", config, "--set", "sampler.samples_per_event=2",
                 "--set", "downstream.models=pop,ease", "--set", "eval.bootstrap=50", "--json", NULL);
  if (r.status != 0)
    g_error ("scalr run failed: %s", r.err);
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o = parse_object (p, r.out);
  gint64 id = json_object_get_int_member (o, "run_id");
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "finished");
  result_clear (&r);

  g_autofree char *ids = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  r = run_scalr ("show", "--db", db, ids, "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p2 = json_parser_new ();
  o = parse_object (p2, r.out);
  g_assert_cmpint (json_object_get_int_member (o, "run_id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "finished");
  JsonObject *cfg = json_object_get_object_member (o, "config");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (cfg, "sampler"), "samples_per_event"), ==, "2");
  JsonObject *split = json_object_get_object_member (o, "split");
  g_assert_cmpint (json_object_get_int_member (split, "train_events") + json_object_get_int_member (split, "valid_events")
                   + json_object_get_int_member (split, "test_events") + json_object_get_int_member (split, "dropped_events"), ==, 34321);
  JsonObject *syn = json_object_get_object_member (o, "synthetic");
  const char *keys[] = { "events", "users", "coverage", "gini", "jsd", "precision", "recall" };
  for (guint k = 0; k < G_N_ELEMENTS (keys); k++)
    g_assert_true (json_object_has_member (syn, keys[k]));
  /* Metrics and lifts rows carry the documented keys. */
  JsonArray *metrics = json_object_get_array_member (o, "metrics");
  JsonArray *lifts = json_object_get_array_member (o, "lifts");
  g_assert_cmpuint (json_array_get_length (metrics), ==, 2 * 2 * 3 * 20);   /* 2 models × 2 variants × 3 segments */
  /* One row per comparison: 2 own rows and 1 against the strongest (the other model). */
  g_assert_cmpuint (json_array_get_length (lifts), ==, (2 + 1) * 3 * 17);
  const char *mkeys[] = { "model", "variant", "segment", "metric", "k", "value" };
  for (guint k = 0; k < G_N_ELEMENTS (mkeys); k++)
    g_assert_true (json_object_has_member (json_array_get_object_element (metrics, 0), mkeys[k]));
  const char *lkeys[] = { "model", "segment", "metric", "k", "lift", "ci_low", "ci_high", "p_t", "p_wilcoxon", "p_holm", "reference",
                          "level", "also_strongest", "note" };
  for (guint k = 0; k < G_N_ELEMENTS (lkeys); k++)
    g_assert_true (json_object_has_member (json_array_get_object_element (lifts, 0), lkeys[k]));
  gint64 n_events = json_object_get_int_member (syn, "events");
  g_assert_cmpint (n_events, >, 0);
  result_clear (&r);

  /* Text views. */
  r = run_scalr ("show", "--db", db, ids, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "coverage"));
  result_clear (&r);
  r = run_scalr ("runs", "--db", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "finished"));
  result_clear (&r);

  /* Exports with original ids and header rows. */
  g_autofree char *syn_path = g_build_filename (dir, "syn.tsv", NULL);
  g_autofree char *split_dir = g_build_filename (dir, "split", NULL);
  r = run_scalr ("export", "--db", db, ids, "--synthetic", syn_path, "--split", split_dir, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (syn_path, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "user\titem\tprobability\tweight\tcount\n"));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_assert_cmpint (g_strv_length (lines) - 2, ==, n_events);   /* header and the final empty line */
  const char *parts[] = { "train.tsv", "valid.tsv", "test.tsv", "sparse_users.tsv" };
  guint total = 0;
  for (guint k = 0; k < G_N_ELEMENTS (parts); k++)
    {
      g_autofree char *path = g_build_filename (split_dir, parts[k], NULL);
      g_autofree char *t = NULL;
      g_assert_true (g_file_get_contents (path, &t, NULL, NULL));
      g_assert_true (g_str_has_prefix (t, "user"));
      g_auto (GStrv) l = g_strsplit (t, "\n", -1);
      if (k < 3)
        total += g_strv_length (l) - 2;
    }
  g_assert_cmpuint (total, ==, (guint) (json_object_get_int_member (split, "train_events")
                                         + json_object_get_int_member (split, "valid_events")
                                         + json_object_get_int_member (split, "test_events")));

  /* Evaluation exports: headers and row counts match the run. */
  g_autofree char *recs = g_build_filename (dir, "recs.tsv", NULL);
  g_autofree char *mets = g_build_filename (dir, "metrics.tsv", NULL);
  g_autofree char *lfts = g_build_filename (dir, "lifts.tsv", NULL);
  g_autofree char *pusr = g_build_filename (dir, "per-user.tsv", NULL);
  r = run_scalr ("export", "--db", db, ids, "--recs", recs, "--metrics", mets, "--lifts", lfts, "--per-user", pusr, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  struct { const char *path, *header; guint rows; } ex[] = {
    { mets, "model\tvariant\tsegment\tmetric\tk\tvalue\tn_users\n", 2 * 2 * 3 * 20 },
    { lfts, "model\tsegment\tmetric\tk\treference\tbaseline_model\t", (2 + 1) * 3 * 17 },
    { recs, "user\tvariant\tmodel\trank\titem\tscore\n", 0 },
    { pusr, "user\tsegment\tmodel\tvariant\tmetric\tk\tvalue\n", 0 },
  };
  for (guint k = 0; k < G_N_ELEMENTS (ex); k++)
    {
      g_autofree char *t = NULL;
      g_assert_true (g_file_get_contents (ex[k].path, &t, NULL, NULL));
      g_assert_true (g_str_has_prefix (t, ex[k].header));
      g_auto (GStrv) l = g_strsplit (t, "\n", -1);
      if (ex[k].rows)
        g_assert_cmpuint (g_strv_length (l) - 2, ==, ex[k].rows);
      else
        g_assert_cmpuint (g_strv_length (l), >, 1000);
    }

  /* Bad configs and arguments. */
  r = run_scalr ("run", "--db", db, "--set", "sampler.samples_per_event=lots", NULL);
  assert_fails (&r, 1, "samples_per_event = 'lots'", "expected an integer in 0…1000");
  result_clear (&r);
  r = run_scalr ("run", "--db", db, "--set", "sampler.colour=red", NULL);
  assert_fails (&r, 1, "unknown key 'colour'", "samples_per_event");
  result_clear (&r);
  g_autofree char *bad = test_write_file (dir, "bad.ini", "[dataset]\nname=movielens-small\n\n[generator]\nmodel=magic\n", -1);
  r = run_scalr ("run", "--db", db, "--config", bad, NULL);
  assert_fails (&r, 1, "bad.ini:5:", "one of cooc, ridge, popularity");
  result_clear (&r);
  /* Thread counts: --threads and SCALR_THREADS are checked before anything runs. */
  r = run_scalr ("run", "--db", db, "--threads", "0", NULL);
  assert_fails (&r, 2, "scalr run: --threads: '0' is not a thread count", "1…256");
  result_clear (&r);
  r = run_scalr ("sweep", "--db", db, "--grid", "sampler.k=1", "--threads", "many", NULL);
  assert_fails (&r, 2, "scalr sweep: --threads: 'many' is not a thread count", "1…256");
  result_clear (&r);
  r = run_scalr_env ("SCALR_THREADS", "-2", "run", "--db", db, NULL);
  assert_fails (&r, 2, "scalr run: SCALR_THREADS: '-2' is not a thread count", "1…256");
  result_clear (&r);
  r = run_scalr ("show", "--db", db, "99", NULL);
  assert_fails (&r, 1, "no run 99", NULL);
  result_clear (&r);
  r = run_scalr ("show", "--db", db, "x", NULL);
  assert_fails (&r, 2, "'x' is not a valid run id", NULL);
  result_clear (&r);
  r = run_scalr ("export", "--db", db, ids, NULL);
  assert_fails (&r, 2, "nothing to export", NULL);
  result_clear (&r);
  /* A sweep: one run per grid point, JSON with the values and lifts of each. */
  r = run_scalr ("sweep", "--db", db, "--grid", "sampler.samples_per_event=0,2", "--set", "downstream.models=pop",
                 "--set", "eval.bootstrap=20", "--json", NULL);
  if (r.status != 0)
    g_error ("scalr sweep failed: %s", r.err);
  g_autoptr (JsonParser) p3 = json_parser_new ();
  g_assert_true (json_parser_load_from_data (p3, r.out, -1, NULL));
  JsonArray *points = json_node_get_array (json_parser_get_root (p3));
  g_assert_cmpuint (json_array_get_length (points), ==, 2);
  JsonObject *pt = json_array_get_object_element (points, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (pt, "values"), "samples_per_event"), ==, "2");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (pt, "lifts")), ==, 1);
  /* K = 0 draws nothing: the augmented model is the baseline, lift exactly 0. */
  JsonObject *zero = json_array_get_object_element (json_object_get_array_member (json_array_get_object_element (points, 0), "lifts"), 0);
  JsonObject *own0 = json_object_get_object_member (zero, "own");
  g_assert_cmpfloat (json_object_get_double_member (own0, "lift"), ==, 0.0);
  /* … and its p-values are undefined (every paired difference is 0): null with the reason,
   * not p = 1. pop is the only model, so its own baseline is also the strongest. */
  g_assert_true (json_object_get_null_member (own0, "p_t"));
  g_assert_true (json_object_get_null_member (own0, "p_wilcoxon"));
  g_assert_true (json_object_get_null_member (own0, "p_holm"));
  g_assert_nonnull (strstr (json_object_get_string_member (own0, "note"), "every paired difference is 0"));
  g_assert_true (json_object_get_boolean_member (own0, "also_strongest"));
  g_assert_true (json_object_has_member (zero, "strongest"));
  result_clear (&r);
  r = run_scalr ("sweep", "--db", db, "--grid", "sampler.samples_per_event=1,x", NULL);
  assert_fails (&r, 1, "--grid 'sampler.samples_per_event=1,x'", "expected an integer");
  result_clear (&r);
  r = run_scalr ("sweep", "--db", db, "--grid", "sampler.nope=1", NULL);
  assert_fails (&r, 1, "no key [sampler] nope", NULL);
  result_clear (&r);
  r = run_scalr ("sweep", "--db", db, NULL);
  assert_fails (&r, 2, "at least one --grid", NULL);
  result_clear (&r);

  /* A failed run is recorded as failed and cannot be exported. */
  r = run_scalr ("run", "--db", db, "--set", "dataset.target=category:Drama,!Drama", NULL);
  assert_fails (&r, 1, "run 4 failed", "selects no events");
  result_clear (&r);
  r = run_scalr ("export", "--db", db, "4", "--synthetic", syn_path, NULL);
  assert_fails (&r, 1, "is failed, not finished", NULL);
  result_clear (&r);
  test_rm_rf (dir);
}

/* An experiment that cannot support a statistic says so: one tested user finishes with
 * undefined (null, NA, "—") intervals and p-values, the reason in each row's note and
 * warnings in the run — never [+nan, +nan] in silence, nor 0 or 1 in their place. */
static void
test_one_user (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  /* The tiny data of test-tiny.h: with the temporal split and at least 4 target events only
   * z is tested. */
  g_autofree char *events = test_write_file (dir, "ev.csv",
    "user,item,rating,timestamp,domain\n"
    "u1,a,5,1,S\nu1,p,4,1,T\nu1,q,3,2,T\nu2,a,5,1,S\nu2,b,4,1,S\nu2,p,3,1,T\nu2,r,2,2,T\n"
    "u3,b,5,1,S\nu3,q,4,1,T\nu4,a,3,1,S\nu4,p,3,1,T\nu5,b,2,1,S\nu5,c,2,1,S\n"
    "z,p,1,1,T\nz,q,2,2,T\nz,r,3,3,T\nz,s,4,4,T\n", -1);
  Result r = run_scalr ("import", "--db", db, "--name", "tiny", "--events", events, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run_scalr ("run", "--db", db, "--json", "--set", "dataset.name=tiny", "--set", "dataset.source=domain:S",
                 "--set", "dataset.target=domain:T", "--set", "split.min_target_events=4", "--set", "split.protocol=temporal",
                 "--set", "split.valid_fraction=0", "--set", "downstream.models=pop", "--set", "eval.k=2",
                 "--set", "eval.bootstrap=10", "--set", "eval.level=0.9", NULL);
  if (r.status != 0)
    g_error ("scalr run failed: %s", r.err);
  g_assert_nonnull (strstr (r.err, "warning: the experiment has 1 tested user"));
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o = parse_object (p, r.out);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "finished");
  JsonArray *warnings = json_object_get_array_member (json_object_get_object_member (o, "downstream"), "warnings");
  g_assert_cmpuint (json_array_get_length (warnings), >=, 2);
  g_assert_nonnull (strstr (json_array_get_string_element (warnings, 0), "1 tested user"));
  JsonArray *lifts = json_object_get_array_member (o, "lifts");
  g_assert_cmpuint (json_array_get_length (lifts), >, 0);
  for (guint k = 0; k < json_array_get_length (lifts); k++)
    {
      JsonObject *l = json_array_get_object_element (lifts, k);
      g_assert_cmpstr (json_object_get_string_member (l, "segment"), !=, "sparse");   /* no sparse users: no rows */
      const char *undefined[] = { "ci_low", "ci_high", "p_t", "p_wilcoxon", "p_holm" };
      for (guint q = 0; q < G_N_ELEMENTS (undefined); q++)
        g_assert_true (json_object_get_null_member (l, undefined[q]));
      g_assert_nonnull (json_object_get_string_member (l, "note"));
      g_assert_cmpfloat (json_object_get_double_member (l, "level"), ==, 0.9);
    }
  /* No validation events: τ is not fitted, the log-likelihood and the ECE are undefined
   * (null, with the reason), never 0. */
  JsonObject *gen = json_object_get_object_member (o, "generator");
  g_assert_false (json_object_get_boolean_member (gen, "temperature_fitted"));
  g_assert_true (json_object_get_null_member (gen, "valid_log_lik"));
  g_assert_nonnull (strstr (json_object_get_string_member (gen, "temperature_status"), "no validation events"));
  JsonObject *cal = json_object_get_object_member (json_object_get_object_member (o, "synthetic"), "calibration");
  g_assert_true (json_object_get_null_member (cal, "ece"));
  g_assert_true (json_object_get_null_member (cal, "valid_log_lik"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (cal, "bins")), ==, 0);
  result_clear (&r);
  /* The text view and the TSV say the same. */
  r = run_scalr ("show", "--db", db, "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "lift [90 % CI]"));
  g_assert_nonnull (strstr (r.out, "[—, —]"));
  g_assert_nonnull (strstr (r.out, "CI undefined: fewer than 2 users"));
  g_assert_nonnull (strstr (r.out, "warning: the experiment has 1 tested user"));
  g_assert_nonnull (strstr (r.out, "τ = 1 (undefined: no validation events (τ = 1 used)), "
                                    "validation log-likelihood undefined (no validation events)\n"));
  g_assert_nonnull (strstr (r.out, "calibration undefined (no validation events)"));
  g_assert_null (strstr (r.out, "ECE 0"));
  g_assert_null (strstr (r.out, "nan"));
  result_clear (&r);
  g_autofree char *tsv = g_build_filename (dir, "lifts.tsv", NULL);
  r = run_scalr ("export", "--db", db, "1", "--lifts", tsv, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (tsv, &text, NULL, NULL));
  g_auto (GStrv) lines = g_strsplit (text, "\n", -1);
  g_auto (GStrv) cols = g_strsplit (lines[1], "\t", -1);
  g_assert_cmpuint (g_strv_length (cols), ==, 18);
  g_assert_cmpstr (cols[9], ==, "NA");    /* ci_low */
  g_assert_cmpstr (cols[13], ==, "NA");   /* p_holm */
  g_assert_cmpstr (cols[15], ==, "0.9");  /* level */
  g_assert_nonnull (strstr (cols[17], "undefined"));
  g_assert_null (strstr (text, "nan"));
  test_rm_rf (dir);
}

/* scalr tune: {"run_id": N, "tuning": …} with the trials and the selection (validation and
 * test scores), the same in show --json, replicates; bad arguments and a split without
 * validation users. */
static void
test_tune (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autofree char *config = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-comedy-drama.ini", NULL);
  Result r = run_scalr ("import", "--db", db, "--name", "movielens-small", "--events", ratings, "--items", movies, NULL);
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  r = run_scalr ("tune", "--db", db, "--config", config, "--set", "downstream.models=pop,itemknn", "--set",
                 "eval.bootstrap=20", "--trials", "2", "--replicates", "2", "--json", NULL);
  if (r.status != 0)
    g_error ("scalr tune failed: %s", r.err);
  g_autoptr (JsonParser) p = json_parser_new ();
  JsonObject *o = parse_object (p, r.out);
  gint64 id = json_object_get_int_member (o, "run_id");
  g_assert_cmpint (id, ==, 1);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "finished");
  JsonObject *t = json_object_get_object_member (o, "tuning");
  g_assert_cmpstr (json_object_get_string_member (t, "objective"), ==, "recall@20");
  g_assert_cmpstr (json_object_get_string_member (t, "segment"), ==, "sparse");
  JsonArray *trials = json_object_get_array_member (t, "trials");
  g_assert_cmpuint (json_array_get_length (trials), ==, 2);
  JsonObject *t1 = json_array_get_object_element (trials, 1);
  g_assert_true (json_object_has_member (json_object_get_object_member (t1, "params"), "downstream.itemknn.neighbors"));
  JsonObject *sel = json_object_get_object_member (json_object_get_object_member (t, "selected"), "itemknn");
  for (guint v = 0; v < 2; v++)
    {
      JsonObject *s = json_object_get_object_member (sel, v ? "augmented" : "baseline");
      gint64 trial = json_object_get_int_member (s, "trial");
      g_assert_cmpint (trial, >=, 0);
      g_assert_cmpint (trial, <, 2);
      /* The selection's validation score is its trial's, and the best of the trials. */
      JsonObject *tv = json_object_get_object_member (json_object_get_object_member (
                         json_array_get_object_element (trials, (guint) trial), "validation"), "itemknn");
      double val = json_object_get_double_member (s, "validation");
      g_assert_cmpfloat (val, ==, json_object_get_double_member (tv, v ? "augmented" : "baseline"));
      for (guint k = 0; k < 2; k++)
        g_assert_cmpfloat (val, >=, json_object_get_double_member (json_object_get_object_member (json_object_get_object_member (
                             json_array_get_object_element (trials, k), "validation"), "itemknn"), v ? "augmented" : "baseline"));
      double test = json_object_get_double_member (s, "test");
      g_assert_cmpfloat (test, >, 0.0);
      g_assert_cmpfloat (test, <, 1.0);
    }
  /* The selection's baseline params hold only its own keys. */
  JsonObject *bp = json_object_get_object_member (json_object_get_object_member (sel, "baseline"), "params");
  g_assert_false (json_object_has_member (bp, "generator.smoothing"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (o, "lifts")), >, 0);
  JsonObject *reps = json_object_get_object_member (o, "replicates");
  g_assert_cmpint (json_object_get_int_member (reps, "replicates"), ==, 2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (t, "replicate_selections")), ==, 1);
  result_clear (&r);
  r = run_scalr ("show", "--db", db, "1", "--json", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonParser) p2 = json_parser_new ();
  JsonObject *o2 = parse_object (p2, r.out);
  g_assert_true (json_object_has_member (o2, "tuning"));
  result_clear (&r);
  r = run_scalr ("show", "--db", db, "1", NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.out, "tuned recall@20 for sparse users, 2 trials"));
  g_assert_nonnull (strstr (r.out, "replicates: 2 splits"));
  result_clear (&r);

  r = run_scalr ("tune", "--db", db, "--trials", "-1", NULL);
  assert_fails (&r, 2, "Try 'scalr tune --help'", NULL);
  result_clear (&r);
  r = run_scalr ("tune", "--db", db, "--config", config, "--set", "split.valid_users=0", "--trials", "1", NULL);
  assert_fails (&r, 1, "no sparse validation user has held-out events", "valid_users > 0");
  result_clear (&r);
  g_autofree char *bad = g_build_filename (dir, "bad.ini", NULL);
  g_assert_true (g_file_set_contents (bad, "[tune]\nsampler.weight = 2..1\n", -1, NULL));
  r = run_scalr ("tune", "--db", db, "--config", bad, NULL);
  assert_fails (&r, 1, "bad.ini:2: [tune] sampler.weight = '2..1': expected lo < hi", NULL);
  result_clear (&r);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/cli/help", test_help);
  g_test_add_func ("/scalr/cli/movielens", test_movielens);
  g_test_add_func ("/scalr/cli/bad-files", test_bad_files);
  g_test_add_func ("/scalr/cli/bad-store", test_bad_store);
  g_test_add_func ("/scalr/cli/run-show-export", test_run_show_export);
  g_test_add_func ("/scalr/cli/one-user", test_one_user);
  g_test_add_func ("/scalr/cli/tune", test_tune);
  return g_test_run ();
}
