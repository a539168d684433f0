/* scalr-reader.c — streaming reader of delimited text.
 *
 * The reader keeps a window [pos, end) of the file in a buffer that grows to at most
 * BLOCK + SCALR_READER_MAX_RECORD bytes; a record is located inside the window, and
 * when it runs off the end the unread tail is moved to the front and more is read. */
#include "config.h"

#include "scalr-reader.h"

#include <errno.h>
#include <fcntl.h>
#include <float.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define BLOCK (4u << 20)

G_DEFINE_QUARK (scalr-reader-error-quark, scalr_reader_error)

struct _ScalrReader {
  char       *path;          /* owned; display name */
  int         fd;            /* -1 for in-memory data */
  char       *buf;           /* owned */
  gsize       cap;
  gsize       pos;           /* first unread byte */
  gsize       end;           /* one past the last valid byte */
  gboolean    eof;
  ScalrFormat format;
  gboolean    detected;
  gboolean    started;       /* the start of the text was looked at (byte-order mark) */
  guint64     line;          /* line of the next unread byte, 1-based */
  guint64     record_line;   /* line where the last record started */
  guint64     consumed;      /* bytes consumed before buf[0] */
  guint64     size;
  ScalrField *fields;        /* owned: the last record's fields */
  guint       n_fields;
  guint       fields_cap;
};

const char *
scalr_format_to_string (ScalrFormat format)
{
  switch (format)
    {
    case SCALR_FORMAT_TSV: return "tsv";
    case SCALR_FORMAT_CSV: return "csv";
    case SCALR_FORMAT_INTER: return "inter";
    case SCALR_FORMAT_AUTO:
    default: return "auto";
    }
}

gboolean
scalr_format_from_string (const char *name, ScalrFormat *out_format, GError **error)
{
  static const struct { const char *name; ScalrFormat format; } names[] = {
    { "auto", SCALR_FORMAT_AUTO }, { "tsv", SCALR_FORMAT_TSV },
    { "csv", SCALR_FORMAT_CSV }, { "inter", SCALR_FORMAT_INTER },
  };
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_strcmp0 (name, names[i].name) == 0)
      {
        *out_format = names[i].format;
        return TRUE;
      }
  g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_VALUE,
               "unknown format '%s' (expected tsv, csv, inter or auto)", name ? name : "");
  return FALSE;
}

static ScalrReader *
reader_alloc (const char *display_name, ScalrFormat format)
{
  ScalrReader *self = g_new0 (ScalrReader, 1);
  self->path = g_strdup (display_name);
  self->fd = -1;
  self->format = format;
  self->line = 1;
  self->fields_cap = 8;
  self->fields = g_new (ScalrField, self->fields_cap);
  return self;
}

static ScalrFormat
format_from_extension (const char *path)
{
  if (g_str_has_suffix (path, ".inter"))
    return SCALR_FORMAT_INTER;
  if (g_str_has_suffix (path, ".csv"))
    return SCALR_FORMAT_CSV;
  if (g_str_has_suffix (path, ".tsv") || g_str_has_suffix (path, ".tab"))
    return SCALR_FORMAT_TSV;
  return SCALR_FORMAT_AUTO;
}

ScalrReader *
scalr_reader_new (const char *path, ScalrFormat format, GError **error)
{
  g_return_val_if_fail (path != NULL, NULL);

  int fd = open (path, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      int errsv = errno;
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO,
                   "%s: cannot open: %s", path, g_strerror (errsv));
      return NULL;
    }
  struct stat st;
  if (fstat (fd, &st) != 0 || S_ISDIR (st.st_mode))
    {
      g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO,
                   "%s: not a regular file", path);
      close (fd);
      return NULL;
    }
  ScalrReader *self = reader_alloc (path, format);
  self->fd = fd;
  self->size = (guint64) st.st_size;
  self->cap = BLOCK;
  self->buf = g_malloc (self->cap);
  if (self->format == SCALR_FORMAT_AUTO)
    self->format = format_from_extension (path);
  return self;
}

ScalrReader *
scalr_reader_new_for_data (const char *data, gsize len, const char *display_name, ScalrFormat format)
{
  ScalrReader *self = reader_alloc (display_name ? display_name : "<data>", format);
  self->cap = MAX (len, 1);
  self->buf = g_malloc (self->cap);
  if (len)
    memcpy (self->buf, data, len);
  self->end = len;
  self->size = len;
  self->eof = TRUE;
  if (self->format == SCALR_FORMAT_AUTO)
    self->format = format_from_extension (self->path);
  return self;
}

void
scalr_reader_free (ScalrReader *self)
{
  if (self == NULL)
    return;
  if (self->fd >= 0)
    close (self->fd);
  g_free (self->buf);
  g_free (self->path);
  g_free (self->fields);
  g_free (self);
}

ScalrFormat scalr_reader_get_format (ScalrReader *self) { return self->format; }
guint64 scalr_reader_get_line (ScalrReader *self) { return self->record_line; }
const char *scalr_reader_get_path (ScalrReader *self) { return self->path; }
guint64 scalr_reader_get_offset (ScalrReader *self) { return self->consumed + self->pos; }
guint64 scalr_reader_get_size (ScalrReader *self) { return self->size; }

void
scalr_reader_set_error (ScalrReader *self, GError **error, ScalrReaderError code, const char *format, ...)
{
  va_list args;
  va_start (args, format);
  g_autofree char *msg = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SCALR_READER_ERROR, code, "%s:%" G_GUINT64_FORMAT ": %s",
               self->path, self->record_line, msg);
}

/* Moves the unread tail to the front and reads more. Returns FALSE on a read error. */
static gboolean
reader_fill (ScalrReader *self, GError **error)
{
  if (self->eof)
    return TRUE;
  gsize tail = self->end - self->pos;
  if (self->pos > 0)
    {
      memmove (self->buf, self->buf + self->pos, tail);
      self->consumed += self->pos;
      self->pos = 0;
      self->end = tail;
    }
  if (self->cap - self->end < BLOCK / 2)
    {
      self->cap = self->end + BLOCK;
      self->buf = g_realloc (self->buf, self->cap);
    }
  for (;;)
    {
      ssize_t n = read (self->fd, self->buf + self->end, self->cap - self->end);
      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int errsv = errno;
          g_set_error (error, SCALR_READER_ERROR, SCALR_READER_ERROR_IO,
                       "%s: read error: %s", self->path, g_strerror (errsv));
          return FALSE;
        }
      if (n == 0)
        self->eof = TRUE;
      self->end += (gsize) n;
      return TRUE;
    }
}

static void
detect_format (ScalrReader *self, const char *rec, gsize len)
{
  if (self->format != SCALR_FORMAT_AUTO)
    return;
  if (memchr (rec, '\t', len) != NULL)
    {
      /* RecBole headers are `name:type` for every column. */
      g_autofree char *line = g_strndup (rec, len);
      g_auto (GStrv) cols = g_strsplit (line, "\t", -1);
      gboolean typed = TRUE;
      for (guint i = 0; cols[i]; i++)
        if (strchr (cols[i], ':') == NULL)
          typed = FALSE;
      self->format = typed ? SCALR_FORMAT_INTER : SCALR_FORMAT_TSV;
    }
  else if (memchr (rec, ',', len) != NULL)
    self->format = SCALR_FORMAT_CSV;
  else
    self->format = SCALR_FORMAT_TSV;
}

static inline void
push_field (ScalrReader *self, const char *str, gsize len)
{
  if (G_UNLIKELY (self->n_fields == self->fields_cap))
    {
      self->fields_cap *= 2;
      self->fields = g_renew (ScalrField, self->fields, self->fields_cap);
    }
  self->fields[self->n_fields].str = str;
  self->fields[self->n_fields].len = len;
  self->n_fields++;
}

/* TSV / .inter: one record per line, fields split at tabs, no quoting. */
static gboolean
next_tab_record (ScalrReader *self, gboolean *got, GError **error)
{
  for (;;)
    {
      char *start = self->buf + self->pos;
      gsize avail = self->end - self->pos;
      char *nl = memchr (start, '\n', MIN (avail, (gsize) SCALR_READER_MAX_RECORD + 1));
      if (nl == NULL && avail > SCALR_READER_MAX_RECORD)
        {
          self->record_line = self->line;
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_LINE_TOO_LONG,
                                  "line longer than %u bytes (1 MiB); expected one event per line",
                                  SCALR_READER_MAX_RECORD);
          return FALSE;
        }
      if (nl == NULL && !self->eof)
        {
          if (!reader_fill (self, error))
            return FALSE;
          continue;
        }
      if (avail == 0)
        {
          *got = FALSE;
          return TRUE;
        }
      gsize len = nl ? (gsize) (nl - start) : avail;
      self->pos += len + (nl ? 1 : 0);
      self->record_line = self->line;
      self->line++;
      if (len > SCALR_READER_MAX_RECORD)
        {
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_LINE_TOO_LONG,
                                  "line longer than %u bytes (1 MiB); expected one event per line",
                                  SCALR_READER_MAX_RECORD);
          return FALSE;
        }
      if (len > 0 && start[len - 1] == '\r')
        len--;
      if (memchr (start, '\0', len) != NULL)
        {
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_NUL,
                                  "NUL byte in the text; expected a text file");
          return FALSE;
        }
      if (len == 0)
        continue;   /* blank line */
      char *p = start;
      char *stop = start + len;
      for (;;)
        {
          char *tab = memchr (p, '\t', (gsize) (stop - p));
          if (tab == NULL)
            {
              push_field (self, p, (gsize) (stop - p));
              break;
            }
          push_field (self, p, (gsize) (tab - p));
          p = tab + 1;
        }
      *got = TRUE;
      return TRUE;
    }
}

/* The end of the CSV record at pos: scans (reading more as needed) to the first newline
 * outside quotes, the end of the text or past the record limit. *len gets the record's
 * length, *newlines the newlines inside quotes, *in_quotes whether a quote is still open.
 * On error (a NUL byte, a read error) returns FALSE. */
static gboolean
csv_record_end (ScalrReader *self, gsize *len, guint64 *newlines, gboolean *in_quotes, GError **error)
{
  gsize i = self->pos;
  *newlines = 0;
  *in_quotes = FALSE;
  for (;;)
    {
      if (i >= self->end)
        {
          gsize off = i - self->pos;
          if (self->eof || off > SCALR_READER_MAX_RECORD)
            break;
          if (!reader_fill (self, error))
            return FALSE;
          i = self->pos + off;
          continue;
        }
      char c = self->buf[i];
      if (c == '"')
        *in_quotes = !*in_quotes;
      else if (c == '\n')
        {
          if (!*in_quotes)
            break;
          (*newlines)++;
        }
      else if (c == '\0')
        {
          self->record_line = self->line + *newlines;
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_NUL,
                                  "NUL byte in the text; expected a text file");
          return FALSE;
        }
      i++;
      if (i - self->pos > SCALR_READER_MAX_RECORD)
        break;
    }
  *len = i - self->pos;
  return TRUE;
}

/* A quoted field at @p (the opening quote) up to @stop, unescaped in place ("" → "); *next
 * gets the position after the closing quote. On error (no closing quote) returns FALSE. */
static gboolean
csv_quoted (ScalrReader *self, char *p, char *stop, char **next, GError **error)
{
  char *w = p, *r = p + 1, *field = w;
  for (;;)
    {
      if (r >= stop)
        {
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_QUOTE,
                                  "unterminated quoted field; expected a closing '\"'");
          return FALSE;
        }
      if (*r == '"')
        {
          if (r + 1 < stop && r[1] == '"')
            {
              *w++ = '"';
              r += 2;
              continue;
            }
          r++;
          break;
        }
      *w++ = *r++;
    }
  push_field (self, field, (gsize) (w - field));
  *next = r;
  return TRUE;
}

/* Splits the record [rec, rec + len) at commas outside quotes into the reader's fields. On
 * error (a broken quote) returns FALSE. */
static gboolean
csv_split (ScalrReader *self, char *rec, gsize len, GError **error)
{
  char *p = rec, *stop = rec + len;
  for (;;)
    {
      char *after;
      if (p < stop && *p == '"')
        {
          if (!csv_quoted (self, p, stop, &after, error))
            return FALSE;
          if (after == stop)
            return TRUE;
          if (*after != ',')
            {
              scalr_reader_set_error (self, error, SCALR_READER_ERROR_QUOTE,
                                      "unexpected character after a closing quote; expected ',' or the end of the line");
              return FALSE;
            }
        }
      else
        {
          after = memchr (p, ',', (gsize) (stop - p));
          if (after == NULL)
            {
              push_field (self, p, (gsize) (stop - p));
              return TRUE;
            }
          push_field (self, p, (gsize) (after - p));
        }
      p = after + 1;
      if (p == stop)
        {
          push_field (self, p, 0);
          return TRUE;
        }
    }
}

/* CSV (RFC 4180): quoted fields may hold commas, doubled quotes and newlines. Quoted
 * fields are unescaped in place. Returns with *got = FALSE at the end of the file. */
static gboolean
next_csv_record (ScalrReader *self, gboolean *got, GError **error)
{
  for (;;)
    {
      gsize len;
      guint64 newlines;
      gboolean in_quotes;
      if (!csv_record_end (self, &len, &newlines, &in_quotes, error))
        return FALSE;
      gsize i = self->pos + len;
      self->record_line = self->line;
      if (len > SCALR_READER_MAX_RECORD)
        {
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_LINE_TOO_LONG,
                                  "record longer than %u bytes (1 MiB); expected one event per line",
                                  SCALR_READER_MAX_RECORD);
          return FALSE;
        }
      if (len == 0 && i >= self->end)
        {
          *got = FALSE;
          return TRUE;
        }
      if (in_quotes)
        {
          scalr_reader_set_error (self, error, SCALR_READER_ERROR_QUOTE,
                                  "unterminated quoted field; expected a closing '\"'");
          return FALSE;
        }
      char *rec = self->buf + self->pos;
      self->pos = i + (i < self->end ? 1 : 0);
      self->line += newlines + 1;
      if (len > 0 && rec[len - 1] == '\r')
        len--;
      if (len == 0)
        continue;   /* blank line */
      if (!csv_split (self, rec, len, error))
        return FALSE;
      *got = TRUE;
      return TRUE;
    }
}

/* Skips a UTF-8 byte-order mark (EF BB BF, what spreadsheet programs write) at the very start
 * of the text: it is not part of the first column's name. */
static gboolean
skip_bom (ScalrReader *self, GError **error)
{
  self->started = TRUE;
  while (self->end - self->pos < 3 && !self->eof)
    if (!reader_fill (self, error))
      return FALSE;
  if (self->end - self->pos >= 3 && memcmp (self->buf + self->pos, "\xef\xbb\xbf", 3) == 0)
    self->pos += 3;
  return TRUE;
}

/* Looks at the first non-blank line to choose TSV, .inter or CSV. */
static gboolean
ensure_detected (ScalrReader *self, GError **error)
{
  for (;;)
    {
      gsize avail = self->end - self->pos;
      const char *start = self->buf + self->pos;
      while (avail > 0 && (*start == '\n' || *start == '\r'))
        start++, avail--;
      const char *nl = memchr (start, '\n', avail);
      if (nl == NULL && !self->eof && self->end - self->pos <= SCALR_READER_MAX_RECORD)
        {
          if (!reader_fill (self, error))
            return FALSE;
          continue;
        }
      gsize len = nl ? (gsize) (nl - start) : MIN (avail, (gsize) SCALR_READER_MAX_RECORD);
      detect_format (self, start, len);
      return TRUE;
    }
}

gboolean
scalr_reader_next (ScalrReader *self, const ScalrField **fields, guint *n_fields, GError **error)
{
  g_return_val_if_fail (self != NULL, FALSE);
  self->n_fields = 0;
  *fields = NULL;
  *n_fields = 0;
  gboolean got = FALSE;
  if (!self->started && !skip_bom (self, error))
    return FALSE;
  if (self->format == SCALR_FORMAT_AUTO && !ensure_detected (self, error))
    return FALSE;
  if (self->format == SCALR_FORMAT_CSV)
    {
      if (!next_csv_record (self, &got, error))
        return FALSE;
    }
  else if (!next_tab_record (self, &got, error))
    return FALSE;
  if (got)
    {
      *fields = self->fields;
      *n_fields = self->n_fields;
    }
  return TRUE;
}

/* Exact powers of ten: every one up to 1e22 is a double without rounding. */
static const double pow10_exact[] = {
  1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
  1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
};

/* The common case of scalr_field_to_double: [+-]digits[.digits] with at most 19 digits
 * whose value as an integer m is at most 2^53. Then m and 10^f are exact doubles and one
 * IEEE division rounds m / 10^f correctly, which is what strtod returns (Clinger's fast
 * path). Returns FALSE for anything else, to be parsed by g_ascii_strtod. */
static inline gboolean
parse_simple_decimal (const char *s, gsize len, double *out)
{
#if defined(FLT_EVAL_METHOD) && FLT_EVAL_METHOD == 0
  gsize i = 0;
  gboolean neg = FALSE;
  if (s[0] == '-' || s[0] == '+')
    {
      neg = s[0] == '-';
      i = 1;
    }
  guint64 m = 0;
  guint digits = 0, frac = 0;
  gboolean dot = FALSE;
  for (; i < len; i++)
    {
      guint d = (guint8) s[i] - (guint) '0';
      if (d < 10)
        {
          if (++digits > 19)
            return FALSE;
          m = m * 10 + d;
          frac += dot;
        }
      else if (s[i] == '.' && !dot)
        dot = TRUE;
      else
        return FALSE;
    }
  if (digits == 0 || m > (G_GUINT64_CONSTANT (1) << 53))
    return FALSE;
  double v = (double) m;
  if (frac > 0)
    v /= pow10_exact[frac];   /* frac <= 19 */
  *out = neg ? -v : v;
  return TRUE;
#else
  (void) s;
  (void) len;
  (void) out;
  return FALSE;
#endif
}

gboolean
scalr_field_to_double (const ScalrField *field, double *out)
{
  char tmp[64];
  gsize len = field->len;
  const char *s = field->str;
  while (len > 0 && (*s == ' '))
    s++, len--;
  while (len > 0 && s[len - 1] == ' ')
    len--;
  if (len == 0 || len >= sizeof tmp)
    return FALSE;
  if (parse_simple_decimal (s, len, out))
    return TRUE;
  memcpy (tmp, s, len);
  tmp[len] = '\0';
  char *endp = NULL;
  double v = g_ascii_strtod (tmp, &endp);
  if (endp != tmp + len || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

gboolean
scalr_field_to_int64 (const ScalrField *field, gint64 *out)
{
  const char *s = field->str;
  gsize len = field->len;
  if (len == 0 || len > 19)
    return FALSE;
  gboolean neg = FALSE;
  gsize i = 0;
  if (s[0] == '-')
    {
      neg = TRUE;
      i = 1;
      if (len == 1)
        return FALSE;
    }
  guint64 v = 0;   /* at most 19 digits: no overflow of 64 unsigned bits */
  for (; i < len; i++)
    {
      if (s[i] < '0' || s[i] > '9')
        return FALSE;
      v = v * 10 + (guint64) (s[i] - '0');
    }
  if (v > G_MAXINT64)
    return FALSE;
  *out = neg ? -(gint64) v : (gint64) v;
  return TRUE;
}

gboolean
scalr_field_equal (const ScalrField *field, const char *str)
{
  gsize n = strlen (str);
  return n == field->len && memcmp (field->str, str, n) == 0;
}

char *
scalr_field_dup (const ScalrField *field)
{
  return g_strndup (field->str, field->len);
}
