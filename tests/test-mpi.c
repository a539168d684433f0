/* test-mpi.c — the pipeline under mpirun: the same synthetic events and metrics as one
 * process at -np 2 and -np 3 (uneven shards, oversubscribed), an error on one rank stops
 * every rank with its message printed once and the run marked failed, a killed rank leaves
 * the store as after any killed run, and store-only commands print once. Skipped with the
 * reason when the build has no MPI or mpirun is not installed. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <sys/wait.h>

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

static const char *
cli (void)
{
  return g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH;
}

/* Runs scalr with @args (NULL-terminated), under `mpirun -np @np` when @np > 0, with the
 * extra environment @env (NAME=VALUE pairs, NULL-terminated; may be NULL). */
static Result
run (int np, const char *const *env_extra, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  if (np > 0)
    {
      g_ptr_array_add (argv, g_strdup ("mpirun"));
      g_ptr_array_add (argv, g_strdup ("-np"));
      g_ptr_array_add (argv, g_strdup_printf ("%d", np));
      g_ptr_array_add (argv, g_strdup ("--oversubscribe"));
    }
  g_ptr_array_add (argv, g_strdup (cli ()));
  for (guint k = 0; args[k]; k++)
    g_ptr_array_add (argv, g_strdup (args[k]));
  g_ptr_array_add (argv, NULL);
  g_auto (GStrv) env = g_get_environ ();
  env = g_environ_setenv (env, "OMPI_ALLOW_RUN_AS_ROOT", "1", TRUE);
  env = g_environ_setenv (env, "OMPI_ALLOW_RUN_AS_ROOT_CONFIRM", "1", TRUE);
  /* Waiting ranks yield the processor (the suite runs tests side by side on two cores). */
  env = g_environ_setenv (env, "OMPI_MCA_mpi_yield_when_idle", "1", TRUE);
  /* OpenMPI keeps its start-up allocations until exit: no leak report for them. */
  if (np > 0)
    env = g_environ_setenv (env, "ASAN_OPTIONS", "detect_leaks=0:abort_on_error=1", TRUE);
  for (guint k = 0; env_extra && env_extra[k]; k += 2)
    env = g_environ_setenv (env, env_extra[k], env_extra[k + 1], TRUE);
  Result r = { 0 };
  g_autoptr (GError) error = NULL;
  int wait = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, env, G_SPAWN_SEARCH_PATH, NULL, NULL, &r.out, &r.err, &wait, &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (wait) ? WEXITSTATUS (wait) : 128 + WTERMSIG (wait);
  return r;
}

static gboolean
have_mpi (void)
{
#ifndef SCALR_HAVE_MPI
  g_test_skip ("built without MPI (meson -Dmpi=disabled or OpenMPI not found)");
  return FALSE;
#else
  g_autofree char *mpirun = g_find_program_in_path ("mpirun");
  if (mpirun == NULL)
    {
      g_test_skip ("mpirun not found (Debian: openmpi-bin)");
      return FALSE;
    }
  return TRUE;
#endif
}

/* A store with MovieLens, shared by the tests of this program. */
static char *dir, *db;

static void
import_movielens (void)
{
  if (db != NULL)
    return;
  dir = test_tmpdir_new ();
  db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = run (0, NULL, (const char *[]) { "import", "--db", db, "--name", "movielens-small", "--events", ratings,
                                              "--items", movies, NULL });
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
}

/* The run's settings: every model, kept small so the three runs take seconds. */
#define RUN_ARGS(...) (const char *[]) { "run", "--db", db, "--json", \
  "--set", "dataset.source=category:Comedy,!Drama", "--set", "dataset.target=category:Drama,!Comedy", \
  "--set", "downstream.ials.factors=16", "--set", "downstream.ials.iters=4", "--set", "downstream.bpr.factors=16", "--set", "downstream.bpr.epochs=3", \
  "--set", "eval.bootstrap=100", __VA_ARGS__, NULL }

static JsonNode *
parse (const char *text)
{
  g_autoptr (JsonParser) p = json_parser_new ();
  g_autoptr (GError) error = NULL;
  if (!json_parser_load_from_data (p, text, -1, &error))
    g_error ("not JSON (%s): %.200s", error->message, text);
  return json_node_copy (json_parser_get_root (p));
}

/* Members that differ between two runs of the same config by design (ids, times). */
static gboolean
ignored (const char *name)
{
  static const char *const names[] = { "run_id", "name", "created_at", "finished_at", "timings", "ranks",
                                       "code_version", "group_id", NULL };
  return g_strv_contains (names, name) || g_str_has_suffix (name, "_seconds");
}

/* Asserts that @a and @b are equal, numbers within 1e-6 (absolute, or relative above 1);
 * counts the numbers compared in *n. */
static void
assert_same (JsonNode *a, JsonNode *b, const char *path, guint *n)
{
  if (JSON_NODE_TYPE (a) != JSON_NODE_TYPE (b))
    g_error ("%s: different kinds", path);
  if (JSON_NODE_HOLDS_OBJECT (a))
    {
      JsonObject *oa = json_node_get_object (a), *ob = json_node_get_object (b);
      g_autoptr (GList) members = json_object_get_members (oa);
      g_assert_cmpuint (json_object_get_size (oa), ==, json_object_get_size (ob));
      for (GList *l = members; l; l = l->next)
        if (!ignored (l->data))
          {
            g_autofree char *sub = g_strdup_printf ("%s/%s", path, (const char *) l->data);
            if (!json_object_has_member (ob, l->data))
              g_error ("%s: missing", sub);
            assert_same (json_object_get_member (oa, l->data), json_object_get_member (ob, l->data), sub, n);
          }
    }
  else if (JSON_NODE_HOLDS_ARRAY (a))
    {
      JsonArray *xa = json_node_get_array (a), *xb = json_node_get_array (b);
      g_assert_cmpuint (json_array_get_length (xa), ==, json_array_get_length (xb));
      for (guint k = 0; k < json_array_get_length (xa); k++)
        {
          g_autofree char *sub = g_strdup_printf ("%s[%u]", path, k);
          assert_same (json_array_get_element (xa, k), json_array_get_element (xb, k), sub, n);
        }
    }
  else if (JSON_NODE_HOLDS_VALUE (a) && json_node_get_value_type (a) == G_TYPE_STRING)
    {
      if (g_strcmp0 (json_node_get_string (a), json_node_get_string (b)) != 0)
        g_error ("%s: '%s' vs '%s'", path, json_node_get_string (a), json_node_get_string (b));
    }
  else if (JSON_NODE_HOLDS_VALUE (a))
    {
      double x = json_node_get_double (a), y = json_node_get_double (b);
      if (json_node_get_value_type (a) == G_TYPE_INT64)
        x = (double) json_node_get_int (a), y = (double) json_node_get_int (b);
      if (json_node_get_value_type (a) == G_TYPE_BOOLEAN)
        x = json_node_get_boolean (a), y = json_node_get_boolean (b);
      if (!(fabs (x - y) <= 1e-6 * MAX (1.0, fabs (x))))
        g_error ("%s: %.17g vs %.17g", path, x, y);
      (*n)++;
    }
}

static char *
export_synthetic (gint64 run_id, int np)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  g_autofree char *name = g_strdup_printf ("synthetic-%d.tsv", np);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  Result r = run (0, NULL, (const char *[]) { "export", "--db", db, id, "--synthetic", path, NULL });
  g_assert_cmpint (r.status, ==, 0);
  result_clear (&r);
  char *text = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_identical (void)
{
  if (!have_mpi ())
    return;
  import_movielens ();
  Result one = run (0, NULL, RUN_ARGS ("--set", "generator.model=embmap"));
  if (one.status != 0)
    g_error ("one process: %s", one.err);
  g_autoptr (JsonNode) ref = parse (one.out);
  JsonObject *ro = json_node_get_object (ref);
  g_assert_cmpint (json_object_get_int_member (ro, "ranks"), ==, 1);
  g_autofree char *ref_events = export_synthetic (json_object_get_int_member (ro, "run_id"), 1);
  g_assert_cmpuint (strlen (ref_events), >, 1000);
  for (int np = 2; np <= 3; np++)
    {
      Result r = run (np, NULL, RUN_ARGS ("--set", "generator.model=embmap"));
      if (r.status != 0)
        g_error ("-np %d: %s", np, r.err);
      g_autoptr (JsonNode) got = parse (r.out);   /* one JSON document: rank 0 alone prints */
      JsonObject *go = json_node_get_object (got);
      g_assert_cmpstr (json_object_get_string_member (go, "status"), ==, "finished");
      g_assert_cmpint (json_object_get_int_member (go, "ranks"), ==, np);
      guint n = 0;
      assert_same (ref, got, "", &n);
      g_assert_cmpuint (n, >, 1000);   /* every metric, lift and diagnostic was compared */
      g_autofree char *events = export_synthetic (json_object_get_int_member (go, "run_id"), np);
      g_assert_cmpstr (events, ==, ref_events);
      result_clear (&r);
    }
  result_clear (&one);
}

/* The run's status and error from `scalr show --json`. */
static void
run_status (gint64 run_id, char **status, char **error)
{
  g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, run_id);
  Result r = run (0, NULL, (const char *[]) { "show", "--db", db, id, "--json", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) node = parse (r.out);
  JsonObject *o = json_node_get_object (node);
  *status = g_strdup (json_object_get_string_member (o, "status"));
  *error = g_strdup (json_object_get_string_member (o, "error"));
  result_clear (&r);
}

static guint
count (const char *text, const char *what)
{
  guint n = 0;
  for (const char *p = strstr (text, what); p; p = strstr (p + 1, what))
    n++;
  return n;
}

/* The id of the last run (scalr runs --json lists the newest first or last: take the max). */
static gint64
last_run_id (void)
{
  Result r = run (0, NULL, (const char *[]) { "runs", "--db", db, "--json", NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_autoptr (JsonNode) node = parse (r.out);
  JsonArray *a = json_node_get_array (node);
  gint64 id = 0;
  for (guint k = 0; k < json_array_get_length (a); k++)
    id = MAX (id, json_object_get_int_member (json_array_get_object_element (a, k), "run_id"));
  result_clear (&r);
  return id;
}

static void
test_error_on_one_rank (void)
{
  if (!have_mpi ())
    return;
  import_movielens ();
  /* The sampler fails on rank 2 of 3 only: every rank stops, rank 0 prints the message
   * once and marks the run failed with it. */
  const char *const env[] = { "SCALR_FAULT", "error:stage:sampler", "SCALR_FAULT_RANK", "2", NULL };
  Result r = run (3, env, RUN_ARGS ("--set", "downstream.enabled=false"));
  g_assert_cmpint (r.status, !=, 0);
  if (count (r.err, "rank 2: injected fault at stage:sampler") != 1)
    g_error ("expected the message once, got: %s", r.err);
  g_assert_cmpuint (count (r.err, "injected fault"), ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_autofree char *status = NULL, *message = NULL;
  run_status (last_run_id (), &status, &message);
  g_assert_cmpstr (status, ==, "failed");
  g_assert_nonnull (strstr (message, "rank 2: injected fault at stage:sampler"));
  result_clear (&r);

  /* On rank 0 (the store's writer) the same. */
  const char *const env0[] = { "SCALR_FAULT", "error:stage:generator", "SCALR_FAULT_RANK", "0", NULL };
  r = run (2, env0, RUN_ARGS ("--set", "downstream.enabled=false"));
  g_assert_cmpint (r.status, !=, 0);
  g_assert_cmpuint (count (r.err, "injected fault at stage:generator"), ==, 1);
  g_autofree char *status0 = NULL, *message0 = NULL;
  run_status (last_run_id (), &status0, &message0);
  g_assert_cmpstr (status0, ==, "failed");
  g_assert_nonnull (strstr (message0, "injected fault at stage:generator"));
  result_clear (&r);

  /* Before the run exists (no such dataset): every rank stops with rank 0's message. */
  r = run (2, NULL, (const char *[]) { "run", "--db", db, "--set", "dataset.name=nope", NULL });
  g_assert_cmpint (r.status, !=, 0);
  g_assert_cmpuint (count (r.err, "no dataset named 'nope'"), ==, 1);
  result_clear (&r);
}

static void
test_killed_rank (void)
{
  if (!have_mpi ())
    return;
  import_movielens ();
  gint64 before = last_run_id ();
  /* Rank 1 dies at the diagnostics: the launcher ends the job; the run, left running by
   * rank 0, is interrupted at the next open; earlier runs are untouched. */
  const char *const env[] = { "SCALR_FAULT", "stage:diagnostics", "SCALR_FAULT_RANK", "1", NULL };
  Result r = run (2, env, RUN_ARGS ("--set", "downstream.enabled=false"));
  g_assert_cmpint (r.status, !=, 0);
  result_clear (&r);
  gint64 id = last_run_id ();
  g_assert_cmpint (id, >, before);
  /* mpirun may return while it still ends rank 0: the next open after rank 0 is gone
   * marks the run. */
  g_autofree char *status = NULL, *message = NULL;
  for (guint tries = 0; tries < 200; tries++)
    {
      g_clear_pointer (&status, g_free);
      g_clear_pointer (&message, g_free);
      run_status (id, &status, &message);
      if (g_strcmp0 (status, "running") != 0)
        break;
      g_usleep (100000);
    }
  g_assert_cmpstr (status, ==, "interrupted");
  if (before > 0)
    {
      g_autofree char *s0 = NULL, *m0 = NULL;
      run_status (before, &s0, &m0);
      g_assert_cmpstr (s0, !=, "running");
      g_assert_cmpstr (s0, !=, "interrupted");
    }
}

/* The run ids of a sweep's --json output. */
static GArray *
sweep_run_ids (const char *json)
{
  g_autoptr (JsonNode) node = parse (json);
  JsonArray *a = json_node_get_array (node);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint k = 0; k < json_array_get_length (a); k++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (a, k), "run_id");
      g_array_append_val (ids, id);
    }
  return ids;
}

static void
test_sweep (void)
{
  if (!have_mpi ())
    return;
  import_movielens ();
  /* A sweep's runs under mpirun: each point's events are those of the one-process sweep. */
  const char *const args[] = { "sweep", "--db", db, "--json", "--set", "dataset.source=category:Comedy,!Drama",
                               "--set", "dataset.target=category:Drama,!Comedy", "--set", "downstream.enabled=false",
                               "--grid", "sampler.samples_per_event=1,3", NULL };
  Result one = run (0, NULL, args), two = run (2, NULL, args);
  g_assert_cmpint (one.status, ==, 0);
  if (two.status != 0)
    g_error ("sweep at -np 2: %s", two.err);
  g_autoptr (GArray) a = sweep_run_ids (one.out), b = sweep_run_ids (two.out);
  g_assert_cmpuint (a->len, ==, 2);
  g_assert_cmpuint (b->len, ==, 2);
  for (guint k = 0; k < 2; k++)
    {
      g_autofree char *x = export_synthetic (g_array_index (a, gint64, k), 10 + (int) k);
      g_autofree char *y = export_synthetic (g_array_index (b, gint64, k), 20 + (int) k);
      g_assert_cmpuint (strlen (x), >, 1000);
      g_assert_cmpstr (x, ==, y);
    }
  /* Rank 0 alone made the sweep's group: both runs of the -np 2 sweep are in one, the next
   * after the one-process sweep's. */
  gint64 groups[3];
  const gint64 ids[3] = { g_array_index (a, gint64, 0), g_array_index (b, gint64, 0), g_array_index (b, gint64, 1) };
  for (guint k = 0; k < 3; k++)
    {
      g_autofree char *id = g_strdup_printf ("%" G_GINT64_FORMAT, ids[k]);
      Result show = run (0, NULL, (const char *[]) { "show", "--db", db, "--json", id, NULL });
      g_assert_cmpint (show.status, ==, 0);
      g_autoptr (JsonNode) node = parse (show.out);
      groups[k] = json_object_get_int_member (json_node_get_object (node), "group_id");
      result_clear (&show);
    }
  g_assert_cmpint (groups[0], >, 0);
  g_assert_cmpint (groups[1], ==, groups[0] + 1);
  g_assert_cmpint (groups[2], ==, groups[1]);
  result_clear (&one);
  result_clear (&two);
}

static void
test_store_commands (void)
{
  if (!have_mpi ())
    return;
  import_movielens ();
  /* Rank 0 alone runs a store-only command: one listing, not two. */
  Result r = run (2, NULL, (const char *[]) { "datasets", "--db", db, NULL });
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpuint (count (r.out, "100,004"), ==, 1);
  result_clear (&r);
  /* Its failure is everyone's exit status. */
  r = run (2, NULL, (const char *[]) { "show", "--db", db, "999999", NULL });
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpuint (count (r.err, "999999"), ==, 1);
  result_clear (&r);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scalr/mpi/identical", test_identical);
  g_test_add_func ("/scalr/mpi/error-on-one-rank", test_error_on_one_rank);
  g_test_add_func ("/scalr/mpi/killed-rank", test_killed_rank);
  g_test_add_func ("/scalr/mpi/sweep", test_sweep);
  g_test_add_func ("/scalr/mpi/store-commands", test_store_commands);
  int status = g_test_run ();
  if (dir)
    test_rm_rf (dir);
  g_free (dir);
  g_free (db);
  return status;
}
