/* scalr-import.h — reading event files (and an optional items file) into a ScalrDataset.
 *
 * Formats: TSV, CSV (quoted fields), RecBole atomic .inter (auto-detected; a header row is
 * required). Columns are found by name or 1-based position. Events of several files can be
 * combined, each file giving a domain label to its events (the "two files" way of defining
 * domains). Nothing is written anywhere: the importer returns a dataset or an error. */
#pragma once

#include <gio/gio.h>

#include "scalr-reader.h"
#include "scalr-types.h"

G_BEGIN_DECLS

typedef struct {
  char *path;    /* owned */
  char *label;   /* owned: domain label for this file's events when it has no domain column */
} ScalrEventFile;

typedef struct {
  char        *name;          /* dataset name (owned) */
  GPtrArray   *event_files;   /* ScalrEventFile* (owned) */
  char        *items_path;    /* optional (owned) */
  ScalrFormat  format;        /* of the event files; AUTO by extension or content */
  /* Column of each field in the event files: a header name or a 1-based position;
   * NULL chooses by common names (user_id/userId/user…, item_id/movieId/item…,
   * rating, timestamp, domain). */
  char        *user_column;
  char        *item_column;
  char        *rating_column;
  char        *timestamp_column;
  char        *domain_column;
  /* Items file columns (id, title, categories), the same way. */
  char        *items_id_column;
  char        *items_title_column;
  char        *items_categories_column;
} ScalrImportOptions;

ScalrImportOptions *scalr_import_options_new  (void) G_GNUC_WARN_UNUSED_RESULT;
void                scalr_import_options_free (ScalrImportOptions *options);
/* Adds an events file; @label may be NULL (then the file's base name without extension is
 * used when more than one file is given). */
void                scalr_import_options_add_events (ScalrImportOptions *options,
                                                     const char         *path,
                                                     const char         *label);

/* The dataset name an import takes by default: @path's base name without its last extension
 * ("ratings.tsv" → "ratings"). Owned. No failure. */
char         *scalr_import_default_name (const char *path) G_GNUC_WARN_UNUSED_RESULT;

/* Reads the files. On error returns NULL and sets @error (in SCALR_READER_ERROR or
 * SCALR_DATASET_ERROR, or G_IO_ERROR_CANCELLED) with the file and line; nothing else is
 * changed. @progress and @cancellable may be NULL. */
ScalrDataset *scalr_import_dataset (const ScalrImportOptions *options,
                                    ScalrProgress            *progress,
                                    GCancellable             *cancellable,
                                    GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

/* The fields of an events file. */
typedef enum {
  SCALR_COLUMN_USER,
  SCALR_COLUMN_ITEM,
  SCALR_COLUMN_RATING,
  SCALR_COLUMN_TIMESTAMP,
  SCALR_COLUMN_DOMAIN,
  SCALR_N_COLUMN_ROLES
} ScalrColumnRole;

/* "user", "item", "rating", "timestamp", "domain". */
const char   *scalr_column_role_to_string (ScalrColumnRole role);
/* The column the importer takes for each role when the options name none: the first of the
 * role's usual names (user_id, userId, user, …; compared without a RecBole ":type" suffix,
 * case-insensitively) that the @n @header names hold. @columns gets a column index per role,
 * -1 where none matches. The import form's preview calls this, so it shows what the import
 * does. No failure. */
void          scalr_import_guess_columns  (const char *const *header, guint n,
                                           int columns[SCALR_N_COLUMN_ROLES]);

/* Statistics of the last import that are not part of the dataset. */
typedef struct {
  guint64 lines;                 /* data lines read over all event files */
  guint64 items_file_unmatched;  /* items file rows whose id has no events */
  guint64 items_without_meta;    /* items with events but no row in the items file */
} ScalrImportReport;

ScalrDataset *scalr_import_dataset_full (const ScalrImportOptions *options,
                                         ScalrProgress            *progress,
                                         GCancellable             *cancellable,
                                         ScalrImportReport        *report,
                                         GError                  **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrImportOptions, scalr_import_options_free)

G_END_DECLS
