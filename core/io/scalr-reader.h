/* scalr-reader.h — streaming reader of delimited text (TSV, CSV with quotes, RecBole .inter).
 *
 * Reads a file in blocks (never the whole file in memory), splits records into fields and
 * rejects what the importer must never see: NUL bytes, records over the 1 MiB limit, broken
 * quotes. A UTF-8 byte-order mark at the start of the text is skipped. Fields point into the
 * reader's buffer and stay valid until the next call. */
#pragma once

#include "scalr-types.h"

G_BEGIN_DECLS

#define SCALR_READER_ERROR (scalr_reader_error_quark ())
GQuark scalr_reader_error_quark (void);

typedef enum {
  SCALR_READER_ERROR_IO,            /* cannot open or read the file */
  SCALR_READER_ERROR_EMPTY,         /* no bytes / no header */
  SCALR_READER_ERROR_LINE_TOO_LONG, /* a record longer than SCALR_READER_MAX_RECORD */
  SCALR_READER_ERROR_NUL,           /* a NUL byte in the text */
  SCALR_READER_ERROR_QUOTE,         /* an unterminated or misplaced quote (CSV) */
  SCALR_READER_ERROR_UTF8,          /* a field that must be text is not valid UTF-8 */
  SCALR_READER_ERROR_COLUMNS,       /* a record with the wrong number of fields */
  SCALR_READER_ERROR_VALUE,         /* a field that does not parse as the expected type */
  SCALR_READER_ERROR_HEADER,        /* a header that lacks a required column */
} ScalrReaderError;

typedef enum {
  SCALR_FORMAT_AUTO = 0,
  SCALR_FORMAT_TSV,
  SCALR_FORMAT_CSV,
  SCALR_FORMAT_INTER,   /* RecBole atomic file: TSV with `name:type` headers */
} ScalrFormat;

#define SCALR_READER_MAX_RECORD (1u << 20)   /* 1 MiB */

typedef struct {
  const char *str;   /* not NUL-terminated; borrowed from the reader */
  gsize       len;
} ScalrField;

const char *scalr_format_to_string (ScalrFormat format);
/* Returns FALSE (and sets @error) for an unknown name. */
gboolean    scalr_format_from_string (const char   *name,
                                      ScalrFormat  *out_format,
                                      GError      **error);

/* Opens @path. On error returns NULL and sets @error. */
ScalrReader *scalr_reader_new          (const char   *path,
                                        ScalrFormat   format,
                                        GError      **error) G_GNUC_WARN_UNUSED_RESULT;
/* Opens an in-memory text (for tests and fuzzing); @display_name is used in messages. */
ScalrReader *scalr_reader_new_for_data (const char   *data,
                                        gsize         len,
                                        const char   *display_name,
                                        ScalrFormat   format) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_reader_free         (ScalrReader  *reader);

/* Reads the next record. Returns TRUE with *n_fields > 0 for a record, TRUE with
 * *n_fields == 0 at the end of the file, FALSE with @error set on bad input. Empty lines
 * are skipped. *fields is owned by the reader. */
gboolean     scalr_reader_next         (ScalrReader        *reader,
                                        const ScalrField  **fields,
                                        guint              *n_fields,
                                        GError            **error);

/* The resolved format (after auto-detection on the first record). */
ScalrFormat  scalr_reader_get_format   (ScalrReader *reader);
/* The 1-based line number where the last record returned starts. */
guint64      scalr_reader_get_line     (ScalrReader *reader);
const char  *scalr_reader_get_path     (ScalrReader *reader);
/* Bytes consumed so far and total size (0 if unknown), for progress. */
guint64      scalr_reader_get_offset   (ScalrReader *reader);
guint64      scalr_reader_get_size     (ScalrReader *reader);

/* Sets @error to "FILE:LINE: MESSAGE" with @code in SCALR_READER_ERROR. */
void         scalr_reader_set_error    (ScalrReader  *reader,
                                        GError      **error,
                                        ScalrReaderError code,
                                        const char   *format,
                                        ...) G_GNUC_PRINTF (4, 5);

/* Field helpers. Each returns FALSE when the field is not of the type; no error is set. */
gboolean     scalr_field_to_double     (const ScalrField *field, double *out);
gboolean     scalr_field_to_int64      (const ScalrField *field, gint64 *out);
gboolean     scalr_field_equal         (const ScalrField *field, const char *str);
char        *scalr_field_dup           (const ScalrField *field) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrReader, scalr_reader_free)

G_END_DECLS
