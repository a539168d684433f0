/* fuzz-driver.c — runs a fuzz target over files, without libFuzzer: the normal build's
 * test of each target over its seed corpus and its regressions (fast; keeps the targets
 * building and every crash once found fixed). Arguments are files or directories; a
 * directory that does not exist is skipped. Fails when no input was run. */
#include "config.h"

#include <string.h>

#include "fuzz-common.h"

/* Targets that need no setup may leave this out. */
int LLVMFuzzerInitialize (int *argc, char ***argv) __attribute__ ((weak));

static guint
run_file (const char *path)
{
  g_autofree char *data = NULL;
  gsize len = 0;
  g_autoptr (GError) error = NULL;
  if (!g_file_get_contents (path, &data, &len, &error))
    {
      fprintf (stderr, "fuzz-driver: %s\n", error->message);
      exit (1);
    }
  /* A copy of exactly @len bytes, so that ASan sees a read past the input. */
  g_autofree uint8_t *copy = g_memdup2 (data, len);
  LLVMFuzzerTestOneInput (copy, len);
  return 1;
}

static gint
compare_paths (gconstpointer a, gconstpointer b)
{
  return strcmp (*(const char *const *) a, *(const char *const *) b);
}

static guint
run_path (const char *path)
{
  if (!g_file_test (path, G_FILE_TEST_IS_DIR))
    return g_file_test (path, G_FILE_TEST_EXISTS) ? run_file (path) : 0;
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;
  while (dir && (name = g_dir_read_name (dir)) != NULL)
    if (name[0] != '.')
      g_ptr_array_add (names, g_build_filename (path, name, NULL));
  g_ptr_array_sort (names, compare_paths);
  guint n = 0;
  for (guint k = 0; k < names->len; k++)
    {
      const char *file = g_ptr_array_index (names, k);
      if (g_file_test (file, G_FILE_TEST_IS_REGULAR))
        n += run_file (file);
    }
  return n;
}

int
main (int argc, char **argv)
{
  if (LLVMFuzzerInitialize)
    LLVMFuzzerInitialize (&argc, &argv);
  guint n = 0;
  for (int k = 1; k < argc; k++)
    {
      guint m = run_path (argv[k]);
      printf ("%s: %u inputs\n", argv[k], m);
      n += m;
    }
  if (n == 0)
    {
      fprintf (stderr, "fuzz-driver: no inputs found\n");
      return 1;
    }
  printf ("%u inputs run without a crash\n", n);
  return 0;
}
