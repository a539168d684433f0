/* fuzz-common.h — what every fuzz target shares: the libFuzzer entry points, a private
 * scratch directory (in /dev/shm when there is one, so importing a file costs no disk I/O),
 * and input files written into it.
 *
 * Targets are built two ways (tests/fuzz/meson.build): with clang and -fsanitize=fuzzer,
 * libFuzzer calls the entry points; in the normal build fuzz-driver.c calls them over the
 * corpus and the regressions. Targets must free everything they allocate per input
 * (LeakSanitizer is on); fixtures made once in LLVMFuzzerInitialize stay reachable. */
#pragma once

#include "scalr-registry.h"
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);
int LLVMFuzzerInitialize (int *argc, char ***argv);

static char *fuzz_dir;   /* owned: this process's scratch directory */

static void
fuzz_remove_dir (void)
{
  if (fuzz_dir == NULL)
    return;
  GDir *d = g_dir_open (fuzz_dir, 0, NULL);
  const char *name;
  while (d && (name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *child = g_build_filename (fuzz_dir, name, NULL);
      g_unlink (child);
    }
  if (d)
    g_dir_close (d);
  g_rmdir (fuzz_dir);
  g_clear_pointer (&fuzz_dir, g_free);
}

/* Criticals and warnings are bugs here: make them abort so the fuzzer reports them. The
 * scratch directory lives under $SCALR_FUZZ_TMPDIR, else /dev/shm, else the temp dir. */
static inline void
fuzz_init (void)
{
  g_log_set_always_fatal (G_LOG_FATAL_MASK | G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);
  scalr_registry_init ();
  if (fuzz_dir != NULL)
    return;
  const char *base = g_getenv ("SCALR_FUZZ_TMPDIR");
  if (base == NULL || !g_file_test (base, G_FILE_TEST_IS_DIR))
    base = g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR) && access ("/dev/shm", W_OK) == 0
             ? "/dev/shm" : g_get_tmp_dir ();
  char *tmpl = g_build_filename (base, "scalr-fuzz-XXXXXX", NULL);
  if (g_mkdtemp (tmpl) == NULL)
    {
      fprintf (stderr, "fuzz: cannot create a directory in %s: %s\n", base, g_strerror (errno));
      abort ();
    }
  fuzz_dir = tmpl;
  atexit (fuzz_remove_dir);
}

/* Writes @size bytes to NAME in the scratch directory and returns its path (owned). */
static inline char *
fuzz_write_file (const char *name, const void *data, size_t size)
{
  char *path = g_build_filename (fuzz_dir, name, NULL);
  int fd = open (path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      fprintf (stderr, "fuzz: cannot write %s: %s\n", path, g_strerror (errno));
      abort ();
    }
  const char *p = data;
  while (size > 0)
    {
      ssize_t w = write (fd, p, size);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        {
          fprintf (stderr, "fuzz: cannot write %s: %s\n", path, g_strerror (errno));
          abort ();
        }
      p += w;
      size -= (size_t) w;
    }
  close (fd);
  return path;
}

/* The input as a NUL-terminated string (text after an embedded NUL is dropped: the
 * command line and key files cannot carry one either). Owned. */
static inline char *
fuzz_strdup (const uint8_t *data, size_t size)
{
  return g_strndup ((const char *) data, size);
}

/* Aborts with a message: an invariant of the parser under test does not hold. */
#define fuzz_check(cond, ...) \
  G_STMT_START { \
    if (!(cond)) \
      { \
        fprintf (stderr, "fuzz: invariant failed: %s: ", #cond); \
        fprintf (stderr, __VA_ARGS__); \
        fputc ('\n', stderr); \
        abort (); \
      } \
  } G_STMT_END
