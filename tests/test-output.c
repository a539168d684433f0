/* test-output.c — the one way outputs are written (core/scalr-output.h): atomic replace of a
 * regular file, write-through to devices and FIFOs, symlinks kept, every error reported with
 * the user's path and no temporary file left behind. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "scalr-output.h"
#include "test-util.h"

/* The number of entries of @dir (a leftover temporary file would show). */
static guint
n_entries (const char *dir)
{
  GDir *d = g_dir_open (dir, 0, NULL);
  g_assert_nonnull (d);
  guint n = 0;
  while (g_dir_read_name (d))
    n++;
  g_dir_close (d);
  return n;
}

static char *
contents (const char *path)
{
  char *text = NULL;
  g_autoptr (GError) error = NULL;
  g_assert_true (g_file_get_contents (path, &text, NULL, &error));
  return text;
}

/* No message may name the temporary file (".NAME.XXXXXX"). */
static void
assert_no_temporary_name (const GError *error, const char *base)
{
  g_autofree char *tmp_prefix = g_strdup_printf (".%s.", base);
  if (strstr (error->message, tmp_prefix))
    g_error ("message names the temporary file: %s", error->message);
}

static void
test_regular (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *path = g_build_filename (dir, "out.tsv", NULL);
  g_autoptr (GError) error = NULL;

  /* A new file. */
  g_assert_true (scalr_output_write_file (path, "a\tb\n", 4, &error));
  g_assert_no_error (error);
  g_autofree char *t1 = contents (path);
  g_assert_cmpstr (t1, ==, "a\tb\n");

  /* Replacing keeps the file's permissions. */
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  ScalrOutput *out = scalr_output_open (path, &error);
  g_assert_no_error (error);
  for (guint k = 0; k < 100000; k++)   /* past the buffer: several real writes */
    scalr_output_printf (out, "%u\n", k);
  g_assert_true (scalr_output_ok (out));
  /* Until closed, the old contents stay. */
  g_autofree char *t2 = contents (path);
  g_assert_cmpstr (t2, ==, "a\tb\n");
  g_assert_true (scalr_output_close (out, &error));
  g_assert_no_error (error);
  g_autofree char *t3 = contents (path);
  g_assert_cmpuint (strlen (t3), ==, 588890);   /* Σ digits+1 over 0…99999 */
  g_assert_true (g_str_has_suffix (t3, "99998\n99999\n"));
  struct stat st;
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  g_assert_cmpuint (n_entries (dir), ==, 1);

  /* Abandoned: the target is unchanged and nothing is left beside it. */
  out = scalr_output_open (path, &error);
  g_assert_no_error (error);
  scalr_output_printf (out, "half");
  scalr_output_abort (out);
  g_autofree char *t4 = contents (path);
  g_assert_cmpstr (t4, ==, t3);
  g_assert_cmpuint (n_entries (dir), ==, 1);
  test_rm_rf (dir);
}

static void
test_dev_null (void)
{
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_output_write_file ("/dev/null", "x\n", 2, &error));
  g_assert_no_error (error);
  struct stat st;
  g_assert_cmpint (lstat ("/dev/null", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));   /* still the device, not a regular file */
}

static void
test_dev_full (void)
{
  if (!g_file_test ("/dev/full", G_FILE_TEST_EXISTS))
    {
      g_test_skip ("no /dev/full");
      return;
    }
  g_autoptr (GError) error = NULL;
  g_assert_false (scalr_output_write_file ("/dev/full", "x\n", 2, &error));
  test_assert_error_contains (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_FULL, "/dev/full", "disk full");
  struct stat st;
  g_assert_cmpint (lstat ("/dev/full", &st), ==, 0);
  g_assert_true (S_ISCHR (st.st_mode));
}

static gpointer
read_fifo (gpointer data)
{
  char *text = NULL;
  g_file_get_contents (data, &text, NULL, NULL);
  return text;
}

static void
test_fifo (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *fifo = g_build_filename (dir, "pipe", NULL);
  g_assert_cmpint (mkfifo (fifo, 0600), ==, 0);
  GThread *reader = g_thread_new ("reader", read_fifo, fifo);
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_output_write_file (fifo, "through the pipe\n", 17, &error));
  g_assert_no_error (error);
  g_autofree char *got = g_thread_join (reader);
  g_assert_cmpstr (got, ==, "through the pipe\n");
  struct stat st;
  g_assert_cmpint (lstat (fifo, &st), ==, 0);
  g_assert_true (S_ISFIFO (st.st_mode));   /* still the FIFO */
  g_assert_cmpuint (n_entries (dir), ==, 1);
  test_rm_rf (dir);
}

static void
test_symlink (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *sub = g_build_filename (dir, "real", NULL);
  g_assert_cmpint (g_mkdir (sub, 0755), ==, 0);
  g_autofree char *target = test_write_file (sub, "data.tsv", "old\n", -1);
  /* A relative link, and a link to that link. */
  g_autofree char *link = g_build_filename (dir, "link.tsv", NULL);
  g_autofree char *link2 = g_build_filename (dir, "link2.tsv", NULL);
  g_assert_cmpint (symlink ("real/data.tsv", link), ==, 0);
  g_assert_cmpint (symlink (link, link2), ==, 0);
  g_autoptr (GError) error = NULL;
  g_assert_true (scalr_output_write_file (link2, "new\n", 4, &error));
  g_assert_no_error (error);
  struct stat st;
  g_assert_cmpint (lstat (link, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_assert_cmpint (lstat (link2, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_autofree char *t = contents (target);
  g_assert_cmpstr (t, ==, "new\n");
  /* The temporary file was made beside the target, and is gone. */
  g_assert_cmpuint (n_entries (sub), ==, 1);

  /* A dangling link: its target is created, the link stays. */
  g_autofree char *dangling = g_build_filename (dir, "dangling.tsv", NULL);
  g_assert_cmpint (symlink ("real/new.tsv", dangling), ==, 0);
  g_assert_true (scalr_output_write_file (dangling, "made\n", 5, &error));
  g_assert_no_error (error);
  g_assert_cmpint (lstat (dangling, &st), ==, 0);
  g_assert_true (S_ISLNK (st.st_mode));
  g_autofree char *made = g_build_filename (sub, "new.tsv", NULL);
  g_autofree char *t2 = contents (made);
  g_assert_cmpstr (t2, ==, "made\n");

  /* A loop is an error naming the path. */
  g_autofree char *loop = g_build_filename (dir, "loop", NULL);
  g_assert_cmpint (symlink ("loop", loop), ==, 0);
  g_assert_false (scalr_output_write_file (loop, "x", 1, &error));
  test_assert_error_contains (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_FAILED, loop);
  test_rm_rf (dir);
}

static void
test_not_writable (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autoptr (GError) error = NULL;

  /* A directory as the target. */
  g_assert_false (scalr_output_write_file (dir, "x", 1, &error));
  test_assert_error_contains (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE, dir, "is a directory");
  g_clear_error (&error);

  /* A missing folder. */
  g_autofree char *missing = g_build_filename (dir, "no-such-dir", "x.tsv", NULL);
  g_assert_false (scalr_output_write_file (missing, "x", 1, &error));
  test_assert_error_contains (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE, missing, "does not exist");
  g_clear_error (&error);

  /* An empty name. */
  g_assert_false (scalr_output_write_file ("", "x", 1, &error));
  test_assert_error_contains (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE, "empty file name");
  g_clear_error (&error);

  /* An unwritable directory. Root writes through a mode of 0500, so then a folder no one
   * may create files in (/proc) stands in. */
  g_autofree char *ro = g_build_filename (dir, "ro", NULL);
  g_assert_cmpint (g_mkdir (ro, 0500), ==, 0);
  g_autofree char *in_ro = g_build_filename (access (ro, W_OK) == 0 ? "/proc" : ro, "x.tsv", NULL);
  g_assert_false (scalr_output_write_file (in_ro, "x", 1, &error));
  g_assert_true (error->domain == SCALR_OUTPUT_ERROR);
  if (strstr (error->message, in_ro) == NULL)
    g_error ("message does not name %s: %s", in_ro, error->message);
  assert_no_temporary_name (error, "x.tsv");
  g_clear_error (&error);
  g_assert_cmpuint (n_entries (ro), ==, 0);
  g_chmod (ro, 0700);
  test_rm_rf (dir);
}

/* A file size limit: the write fails with EFBIG, reported as disk full or file size limit;
 * the old file stays and the temporary file is removed. */
static void
test_file_size_limit (void)
{
  g_autofree char *dir = test_tmpdir_new ();
  g_autofree char *path = test_write_file (dir, "big.tsv", "old\n", -1);
  struct rlimit old;
  g_assert_cmpint (getrlimit (RLIMIT_FSIZE, &old), ==, 0);
  struct rlimit small = { 64 * 1024, old.rlim_max };
  void (*prev) (int) = signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &small), ==, 0);
  ScalrOutput *out = scalr_output_open (path, NULL);
  g_assert_nonnull (out);
  for (guint k = 0; k < 200000; k++)
    scalr_output_printf (out, "line %u\n", k);
  g_autoptr (GError) error = NULL;
  gboolean ok = scalr_output_close (out, &error);
  setrlimit (RLIMIT_FSIZE, &old);
  signal (SIGXFSZ, prev);
  g_assert_false (ok);
  test_assert_error_contains (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_FULL, path,
                              "disk full or file size limit");
  assert_no_temporary_name (error, "big.tsv");
  g_autofree char *t = contents (path);
  g_assert_cmpstr (t, ==, "old\n");
  g_assert_cmpuint (n_entries (dir), ==, 1);
  test_rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/scalr/output/regular", test_regular);
  g_test_add_func ("/scalr/output/dev-null", test_dev_null);
  g_test_add_func ("/scalr/output/dev-full", test_dev_full);
  g_test_add_func ("/scalr/output/fifo", test_fifo);
  g_test_add_func ("/scalr/output/symlink", test_symlink);
  g_test_add_func ("/scalr/output/not-writable", test_not_writable);
  g_test_add_func ("/scalr/output/file-size-limit", test_file_size_limit);
  return g_test_run ();
}
