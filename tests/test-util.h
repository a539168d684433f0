/* test-util.h — helpers shared by the GLib test programs. */
#pragma once

#include <glib.h>
#include <glib/gstdio.h>
#include <string.h>

/* A fresh temporary directory for one test; removed by test_tmpdir_free. */
static inline char *
test_tmpdir_new (void)
{
  g_autoptr (GError) error = NULL;
  char *dir = g_dir_make_tmp ("scalr-test-XXXXXX", &error);
  g_assert_no_error (error);
  return dir;
}

static inline void
test_rm_rf (const char *path)
{
  if (g_file_test (path, G_FILE_TEST_IS_DIR) && !g_file_test (path, G_FILE_TEST_IS_SYMLINK))
    {
      GDir *d = g_dir_open (path, 0, NULL);
      const char *name;
      while (d && (name = g_dir_read_name (d)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);
          test_rm_rf (child);
        }
      if (d)
        g_dir_close (d);
      g_rmdir (path);
    }
  else
    g_unlink (path);
}

/* Writes @len bytes (or strlen when len < 0) to DIR/NAME and returns the path. */
static inline char *
test_write_file (const char *dir, const char *name, const char *data, gssize len)
{
  char *path = g_build_filename (dir, name, NULL);
  g_autoptr (GError) error = NULL;
  g_file_set_contents (path, data, len < 0 ? (gssize) strlen (data) : len, &error);
  g_assert_no_error (error);
  return path;
}

/* The shipped MovieLens files. */
static inline char *
test_movielens_path (const char *file)
{
  return g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", file, NULL);
}

#ifdef SCALR_TEST_WITH_STORE
#include "scalr-import.h"
#include "scalr-store.h"

/* Imports the shipped MovieLens (ratings and movies) as "movielens-small" into the store at
 * @db, made if missing; the test fails on any error. */
static inline void
test_store_add_movielens (const char *db)
{
  g_autofree char *ratings = test_movielens_path ("ratings.tsv");
  g_autofree char *movies = test_movielens_path ("movies.tsv");
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup ("movielens-small");
  scalr_import_options_add_events (o, ratings, NULL);
  o->items_path = g_strdup (movies);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrDataset) d = scalr_import_dataset (o, NULL, NULL, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrStore) s = scalr_store_open (db, 0, &error);
  g_assert_no_error (error);
  g_assert_true (scalr_store_add_dataset (s, d, "ratings.tsv", "movies.tsv", "tsv", NULL, &error));
  g_assert_no_error (error);
}
#endif

/* Asserts that @error is set, in @domain with @code, and that its message contains
 * every one of the NULL-terminated substrings. */
#define test_assert_error_contains(error, domain, code, ...) \
  G_STMT_START { \
    g_assert_error ((error), (domain), (code)); \
    const char *const _subs[] = { __VA_ARGS__, NULL }; \
    for (guint _k = 0; _subs[_k]; _k++) \
      if (strstr ((error)->message, _subs[_k]) == NULL) \
        g_error ("message '%s' lacks '%s'", (error)->message, _subs[_k]); \
  } G_STMT_END
