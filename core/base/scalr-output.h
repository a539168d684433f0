/* scalr-output.h — every file written for the user (exports, reports, charts, configs).
 *
 * One way to write an output: a regular file (or a new path) is written to a temporary file
 * in the same directory and renamed over the target when complete, so a failure never leaves
 * a half-written file; a symlink is resolved first, so the link stays and its target is
 * replaced. Anything that is not a regular file (a character device such as /dev/null, a FIFO)
 * is written through, never replaced. Every open, write, flush and close error is reported
 * with the user's path (never the temporary file's name), and the temporary file is removed. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCALR_OUTPUT_ERROR (scalr_output_error_quark ())
GQuark scalr_output_error_quark (void);

typedef enum {
  SCALR_OUTPUT_ERROR_FAILED,        /* cannot open or write (permissions, I/O error, …) */
  SCALR_OUTPUT_ERROR_FULL,          /* disk full or file size limit (ENOSPC, EFBIG, EDQUOT) */
  SCALR_OUTPUT_ERROR_NOT_WRITABLE,  /* a directory, a socket, a missing folder */
} ScalrOutputError;

typedef struct _ScalrOutput ScalrOutput;

/* Opens @path for writing. On error returns NULL and sets @error; nothing is created. */
ScalrOutput *scalr_output_open   (const char *path, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Appends bytes / formatted text. A write error is kept and reported by
 * scalr_output_close(); later appends do nothing. */
void         scalr_output_write  (ScalrOutput *out, const void *data, gsize len);
void         scalr_output_printf (ScalrOutput *out, const char *format, ...) G_GNUC_PRINTF (2, 3);
/* TRUE while no write has failed. */
gboolean     scalr_output_ok     (const ScalrOutput *out);
/* The path as the user gave it (borrowed). */
const char  *scalr_output_get_path (const ScalrOutput *out);
/* Flushes, closes and (for a regular file) renames the result over the target, then frees
 * @out. On error returns FALSE and sets @error (the first error of any write); the target is
 * unchanged (a regular file) and the temporary file is removed. */
gboolean     scalr_output_close  (ScalrOutput *out, GError **error);
/* Abandons @out: the target is unchanged and the temporary file removed. NULL is allowed. */
void         scalr_output_abort  (ScalrOutput *out);

/* Writes @len bytes to @path through a ScalrOutput. On error returns FALSE and sets @error;
 * the target is unchanged. */
gboolean     scalr_output_write_file (const char *path, const void *data, gsize len, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrOutput, scalr_output_abort)

G_END_DECLS
