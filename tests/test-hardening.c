/* test-hardening.c — the CLI against hostile arguments and places: outputs that are devices,
 * FIFOs or full, an empty or directory store path, a read-only folder, run ids past 64 bits,
 * malformed --set, names with terminal escapes, endless configs, and the start-up estimate
 * that asks for --yes. */
#include "config.h"

#include <sys/stat.h>
#include <unistd.h>

#include "test-util.h"

typedef struct {
  int   status;
  char *out, *err;
} Result;

static Result
run_scalr (const char *first, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  const char *cli = g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH;
  g_ptr_array_add (argv, (gpointer) cli);
  va_list ap;
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, (gpointer) a);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  Result r = { 0 };
  g_autoptr (GError) error = NULL;
  int wait = 0;
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &r.out, &r.err, &wait, &error);
  g_assert_no_error (error);
  r.status = WIFEXITED (wait) ? WEXITSTATUS (wait) : 128 + WTERMSIG (wait);
  return r;
}

static void
expect (Result *r, int status, const char *in_err)
{
  if (r->status != status || (in_err && strstr (r->err, in_err) == NULL))
    g_error ("expected exit %d with '%s', got %d: %s", status, in_err ? in_err : "", r->status, r->err);
  g_free (r->out);
  g_free (r->err);
}

static char *dir, *db;

static void
test_store_paths (void)
{
  Result r = run_scalr ("runs", "--db", "", NULL);
  expect (&r, 1, "not a store file name");
  r = run_scalr ("run", "--db", "", NULL);
  expect (&r, 1, "temporary database");
  r = run_scalr ("runs", "--db", dir, NULL);
  expect (&r, 1, "is a directory");
  r = run_scalr ("show", "--db", db, "100000000000000000000", NULL);
  expect (&r, 2, "'100000000000000000000' is not a valid run id");
  r = run_scalr ("show", "--db", db, "1e20", NULL);
  expect (&r, 2, "'1e20' is not a valid run id");
  r = run_scalr ("run", "--db", db, "--set", "sampler.k", NULL);
  expect (&r, 2, "expected GROUP.KEY=VALUE");
  r = run_scalr ("sweep", "--db", db, "--grid", "nonsense", NULL);
  expect (&r, 2, "--grid");
}

static void
test_configs (void)
{
  Result r = run_scalr ("run", "--db", db, "--config", "/dev/zero", NULL);
  expect (&r, 1, "larger than 1024 KiB");
  g_autofree char *bom = test_write_file (dir, "bom.ini", "\xef\xbb\xbf[sampler]\nk=2\n", -1);
  r = run_scalr ("run", "--db", db, "--config", bom, NULL);
  expect (&r, 1, "byte-order mark");
  g_autofree char *dup = test_write_file (dir, "dup.ini", "[downstream]\nmodels=pop,pop\n", -1);
  r = run_scalr ("run", "--db", db, "--config", dup, NULL);
  expect (&r, 1, "'pop' is listed twice");
  r = run_scalr ("stats", "--db", db, "--config", "/dev/zero", NULL);
  expect (&r, 1, "larger than 1024 KiB");
}

/* A run named with a newline and a terminal escape, then listed, shown and exported. */
static void
test_names_and_outputs (void)
{
  const char *name = "evil\n\x1b[2Jname";
  Result r = run_scalr ("run", "--db", db, "--name", name, "--set", "downstream.models=pop", "--set",
                        "eval.bootstrap=10", "--set", "sampler.strategy=topk", NULL);
  expect (&r, 0, NULL);
  r = run_scalr ("runs", "--db", db, NULL);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strchr (r.out, '\x1b'));
  g_assert_nonnull (strstr (r.out, "evil\\n\\x1b[2Jname"));
  expect (&r, 0, NULL);
  r = run_scalr ("show", "--db", db, "1", NULL);
  g_assert_null (strchr (r.out, '\x1b'));
  expect (&r, 0, NULL);

  /* Outputs: /dev/null stays a device, /dev/full fails with the path, a directory is named. */
  r = run_scalr ("export", "--db", db, "1", "--metrics", "/dev/null", NULL);
  expect (&r, 0, NULL);
  struct stat st;
  g_assert_cmpint (lstat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
  if (g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      r = run_scalr ("export", "--db", db, "1", "--lifts", "/dev/full", NULL);
      expect (&r, 1, "/dev/full");
    }
  r = run_scalr ("export", "--db", db, "1", "--metrics", dir, NULL);
  expect (&r, 1, "is a directory");
  /* A symlink stays a symlink; its target gets the export. */
  g_autofree char *target = test_write_file (dir, "target.tsv", "old\n", -1);
  g_autofree char *link = g_build_filename (dir, "link.tsv", NULL);
  g_assert_cmpint (symlink (target, link), ==, 0);
  r = run_scalr ("export", "--db", db, "1", "--metrics", link, NULL);
  expect (&r, 0, NULL);
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_autofree char *text = NULL;
  g_assert_true (g_file_get_contents (target, &text, NULL, NULL));
  g_assert_true (g_str_has_prefix (text, "model\tvariant"));
}

/* Hopeless settings: the estimate is printed and --yes is required. */
static void
test_estimate_confirm (void)
{
  Result r = run_scalr ("run", "--db", db, "--set", "downstream.models=ials", "--set", "downstream.ials.factors=1024",
                        "--set", "downstream.ials.iters=1000", NULL);
  expect (&r, 2, "add --yes");
  r = run_scalr ("run", "--db", db, "--set", "downstream.models=bpr", "--set", "downstream.bpr.epochs=10000",
                 "--set", "downstream.bpr.factors=1024", NULL);
  g_assert_nonnull (strstr (r.err, "estimate: about"));
  g_assert_nonnull (strstr (r.err, "bpr (k = 1024, 10000 epochs)"));
  expect (&r, 2, "--yes");
  /* A large sweep: 10,000 points. */
  g_autoptr (GString) seeds = g_string_new ("split.seed=");
  for (guint k = 1; k <= 1000; k++)
    g_string_append_printf (seeds, "%s%u", k > 1 ? "," : "", k);
  r = run_scalr ("sweep", "--db", db, "--grid", "sampler.samples_per_event=0,1,2,3,4,5,6,7,8,9", "--grid", seeds->str, NULL);
  g_assert_nonnull (strstr (r.err, "for 10000 runs"));
  expect (&r, 2, "add --yes");
  /* Nothing was started. */
  r = run_scalr ("runs", "--db", db, "--json", NULL);
  g_assert_null (strstr (r.out, "\"run_id\" : 2"));
  expect (&r, 0, NULL);
}

/* A read-only folder: listing, showing and exporting still work (as a user without root's
 * override; skipped when there is no way to become one). */
static void
test_read_only_folder (void)
{
  if (geteuid () != 0 || !g_file_test ("/usr/bin/setpriv", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("needs root and setpriv to test as an unprivileged user");
      return;
    }
  g_autofree char *ro = g_build_filename (dir, "ro", NULL);
  g_assert_cmpint (g_mkdir (ro, 0755), ==, 0);
  g_autofree char *copy = g_build_filename (ro, "s.db", NULL);
  g_autofree char *data = NULL;
  gsize len;
  g_assert_true (g_file_get_contents (db, &data, &len, NULL));
  g_assert_true (g_file_set_contents (copy, data, (gssize) len, NULL));
  g_chmod (copy, 0644);
  g_chmod (dir, 0755);
  g_chmod (ro, 0555);
  const char *cli = g_getenv ("SCALR_CLI") ? g_getenv ("SCALR_CLI") : SCALR_CLI_PATH;
  const char *cmds[][4] = { { "runs", NULL }, { "show", "1", NULL }, { "datasets", NULL } };
  for (guint k = 0; k < G_N_ELEMENTS (cmds); k++)
    {
      g_autoptr (GPtrArray) argv = g_ptr_array_new ();
      const char *pre[] = { "/usr/bin/setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", cli };
      for (guint p = 0; p < G_N_ELEMENTS (pre); p++)
        g_ptr_array_add (argv, (gpointer) pre[p]);
      for (guint p = 0; cmds[k][p]; p++)
        g_ptr_array_add (argv, (gpointer) cmds[k][p]);
      g_ptr_array_add (argv, (gpointer) "--db");
      g_ptr_array_add (argv, copy);
      g_ptr_array_add (argv, NULL);
      g_autofree char *out = NULL, *err = NULL;
      int wait = 0;
      g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &wait, NULL);
      if (!WIFEXITED (wait) || WEXITSTATUS (wait) != 0)
        g_error ("scalr %s in a read-only folder failed: %s", cmds[k][0], err);
    }
  g_chmod (ro, 0755);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  dir = test_tmpdir_new ();
  db = g_build_filename (dir, "s.db", NULL);
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  Result r = run_scalr ("import", "--db", db, "--name", "movielens-small", "--events", ratings, "--items", movies, NULL);
  expect (&r, 0, NULL);
  g_test_add_func ("/scalr/hardening/store-paths", test_store_paths);
  g_test_add_func ("/scalr/hardening/configs", test_configs);
  g_test_add_func ("/scalr/hardening/names-and-outputs", test_names_and_outputs);
  g_test_add_func ("/scalr/hardening/estimate-confirm", test_estimate_confirm);
  g_test_add_func ("/scalr/hardening/read-only-folder", test_read_only_folder);
  int status = g_test_run ();
  test_rm_rf (dir);
  g_free (dir);
  g_free (db);
  return status;
}
