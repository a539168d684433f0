/* scalr-output.c — writing a file for the user: atomic replace or write-through. */
#include "config.h"

#include "scalr-output.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <stdarg.h>
#include <sys/stat.h>
#include <unistd.h>

G_DEFINE_QUARK (scalr-output-error-quark, scalr_output_error)

#define FLUSH_AT (256 * 1024)
#define MAX_LINKS 40

struct _ScalrOutput {
  char    *path;      /* owned: as the user gave it (messages) */
  char    *target;    /* owned: @path with symlinks resolved (renamed over) */
  char    *tmp;       /* owned: the temporary file, NULL when writing through */
  int      fd;
  GString *buf;       /* owned: bytes not yet written */
  int      errsv;     /* the first errno of a failed write, 0 while fine */
};

static void
set_errno_error (GError **error, const char *path, int errsv)
{
  if (errsv == ENOSPC || errsv == EFBIG || errsv == EDQUOT)
    g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_FULL,
                 "Cannot write “%s”: disk full or file size limit reached (%s)", path, g_strerror (errsv));
  else if (errsv == EISDIR)
    g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE,
                 "Cannot write “%s”: it is a directory; expected a file name", path);
  else
    g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_FAILED, "Cannot write “%s”: %s", path,
                 g_strerror (errsv));
}

/* @path with every symlink followed (also a dangling one: its target is created). NULL with
 * errno set on a loop or an unreadable link. */
static char *
resolve_links (const char *path)
{
  g_autofree char *cur = g_strdup (path);
  for (guint hops = 0; hops <= MAX_LINKS; hops++)
    {
      struct stat st;
      if (lstat (cur, &st) != 0 || !S_ISLNK (st.st_mode))
        return g_steal_pointer (&cur);
      g_autoptr (GError) local = NULL;
      g_autofree char *link = g_file_read_link (cur, &local);
      if (link == NULL)
        {
          errno = EINVAL;
          return NULL;
        }
      g_autofree char *dir = g_path_get_dirname (cur);
      g_free (cur);
      cur = g_path_is_absolute (link) ? g_steal_pointer (&link) : g_build_filename (dir, link, NULL);
    }
  errno = ELOOP;
  return NULL;
}

static ScalrOutput *
output_new (const char *path, char *target, char *tmp, int fd)
{
  ScalrOutput *out = g_new0 (ScalrOutput, 1);
  out->path = g_strdup (path);
  out->target = target;
  out->tmp = tmp;
  out->fd = fd;
  out->buf = g_string_sized_new (FLUSH_AT + 4096);
  return out;
}

/* The temporary file beside @target, with @target's permissions when it exists. */
static int
open_temporary (const char *path, const char *target, const struct stat *existing, char **out_tmp,
                GError **error)
{
  g_autofree char *dir = g_path_get_dirname (target);
  g_autofree char *base = g_path_get_basename (target);
  g_autofree char *tmp = g_strdup_printf ("%s/.%s.XXXXXX", dir, base);
  int fd = g_mkstemp_full (tmp, O_WRONLY | O_CLOEXEC, 0666);
  if (fd < 0)
    {
      int errsv = errno;
      if (errsv == ENOENT || errsv == ENOTDIR)
        g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE,
                     "Cannot write “%s”: the folder “%s” does not exist", path, dir);
      else if (errsv == EACCES || errsv == EPERM || errsv == EROFS)
        g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_FAILED,
                     "Cannot write “%s”: the folder “%s” is not writable (%s)", path, dir, g_strerror (errsv));
      else
        set_errno_error (error, path, errsv);
      return -1;
    }
  if (existing)
    (void) fchmod (fd, existing->st_mode & 07777);
  *out_tmp = g_steal_pointer (&tmp);
  return fd;
}

ScalrOutput *
scalr_output_open (const char *path, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (path[0] == '\0')
    {
      g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE,
                   "Cannot write to an empty file name; expected a path");
      return NULL;
    }
  g_autofree char *target = resolve_links (path);
  if (target == NULL)
    {
      set_errno_error (error, path, errno);
      return NULL;
    }
  struct stat st;
  gboolean exists = stat (target, &st) == 0;
  if (exists && S_ISDIR (st.st_mode))
    {
      set_errno_error (error, path, EISDIR);
      return NULL;
    }
  if (exists && S_ISSOCK (st.st_mode))
    {
      g_set_error (error, SCALR_OUTPUT_ERROR, SCALR_OUTPUT_ERROR_NOT_WRITABLE,
                   "Cannot write “%s”: it is a socket; expected a file, a device or a FIFO", path);
      return NULL;
    }
  if (exists && !S_ISREG (st.st_mode))
    {
      /* A device or a FIFO: written through (replacing it would break it). */
      int fd = g_open (target, O_WRONLY | O_CLOEXEC | O_NOCTTY, 0);
      if (fd < 0)
        {
          set_errno_error (error, path, errno);
          return NULL;
        }
      return output_new (path, g_steal_pointer (&target), NULL, fd);
    }
  char *tmp = NULL;
  int fd = open_temporary (path, target, exists ? &st : NULL, &tmp, error);
  if (fd < 0)
    return NULL;
  return output_new (path, g_steal_pointer (&target), tmp, fd);
}

static void
flush (ScalrOutput *out)
{
  gsize done = 0;
  while (out->errsv == 0 && done < out->buf->len)
    {
      ssize_t w = write (out->fd, out->buf->str + done, out->buf->len - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0)
        out->errsv = w < 0 ? errno : EIO;
      else
        done += (gsize) w;
    }
  g_string_truncate (out->buf, 0);
}

void
scalr_output_write (ScalrOutput *out, const void *data, gsize len)
{
  g_return_if_fail (out != NULL);
  if (out->errsv != 0)
    return;
  g_string_append_len (out->buf, data, (gssize) len);
  if (out->buf->len >= FLUSH_AT)
    flush (out);
}

void
scalr_output_printf (ScalrOutput *out, const char *format, ...)
{
  g_return_if_fail (out != NULL);
  if (out->errsv != 0)
    return;
  va_list ap;
  va_start (ap, format);
  g_string_append_vprintf (out->buf, format, ap);
  va_end (ap);
  if (out->buf->len >= FLUSH_AT)
    flush (out);
}

gboolean
scalr_output_ok (const ScalrOutput *out)
{
  return out->errsv == 0;
}

const char *
scalr_output_get_path (const ScalrOutput *out)
{
  return out->path;
}

static void
output_free (ScalrOutput *out)
{
  if (out->fd >= 0)
    close (out->fd);
  if (out->tmp)
    g_unlink (out->tmp);
  g_free (out->path);
  g_free (out->target);
  g_free (out->tmp);
  g_string_free (out->buf, TRUE);
  g_free (out);
}

gboolean
scalr_output_close (ScalrOutput *out, GError **error)
{
  g_return_val_if_fail (out != NULL, FALSE);
  flush (out);
  /* A regular file is complete on disk before it replaces the target. */
  if (out->errsv == 0 && out->tmp && fsync (out->fd) != 0 && errno != EINVAL && errno != EROFS)
    out->errsv = errno;
  int fd = out->fd;
  out->fd = -1;
  if (close (fd) != 0 && out->errsv == 0 && errno != EINTR)
    out->errsv = errno;
  if (out->errsv == 0 && out->tmp)
    {
      if (g_rename (out->tmp, out->target) != 0)
        out->errsv = errno;
      else
        g_clear_pointer (&out->tmp, g_free);
    }
  gboolean ok = out->errsv == 0;
  if (!ok)
    set_errno_error (error, out->path, out->errsv);
  output_free (out);
  return ok;
}

void
scalr_output_abort (ScalrOutput *out)
{
  if (out != NULL)
    output_free (out);
}

gboolean
scalr_output_write_file (const char *path, const void *data, gsize len, GError **error)
{
  ScalrOutput *out = scalr_output_open (path, error);
  if (out == NULL)
    return FALSE;
  scalr_output_write (out, data, len);
  return scalr_output_close (out, error);
}
