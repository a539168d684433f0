/* scalr-export.h — a finished run's data as TSV files with the original ids: the one
 * implementation behind `scalr export` and the workbench's Export.
 *
 * Opening a run rebuilds its split from the stored config and checks it against the
 * assignment stored with the run, so what is exported is what the run trained and evaluated
 * on. Every file goes through ScalrOutput (a failed write leaves the target as it was);
 * undefined numbers are NA; tab and newline inside a name become spaces. Columns:
 *
 *   synthetic   user item probability weight count
 *   split/      train.tsv valid.tsv test.tsv (user item rating), sparse_users.tsv (user)
 *   recs        user variant model rank item score
 *   metrics     model variant segment metric k value n_users
 *   lifts       model segment metric k reference baseline_model base_mean aug_mean lift
 *               ci_low ci_high p_t p_wilcoxon p_holm n_users level also_strongest note
 *               (CSV instead of TSV when the path ends in .csv)
 *   per-user    user segment model variant metric k value */
#pragma once

#include "scalr-split.h"
#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_EXPORT_ERROR (scalr_export_error_quark ())
GQuark scalr_export_error_quark (void);

typedef enum {
  SCALR_EXPORT_ERROR_NOT_FINISHED,   /* the run is running, failed, cancelled … */
  SCALR_EXPORT_ERROR_SPLIT_CHANGED,  /* the rebuilt split is not the stored one */
  SCALR_EXPORT_ERROR_DIRECTORY,      /* the split directory cannot be made */
} ScalrExportError;

/* Rebuilds the split of finished run @run (its stored config; the dataset from @store), after
 * checking everything stored of the run (scalr_store_check_run; @out_check, optional, gets
 * its result), and only when the rebuilt split is the stored one: the same users, target
 * items and assignment of every target event, so the run's ids index it. The split holds its
 * domains. On error returns NULL and sets @error: SCALR_EXPORT_ERROR_NOT_FINISHED, a damaged
 * run (SCALR_STORE_ERROR_DAMAGED naming what), _SPLIT_CHANGED (naming the run and the code
 * version that made it), or the store's and the config's errors. */
ScalrSplit  *scalr_run_rebuild_split (ScalrStore *store, const ScalrRunInfo *run, ScalrRunCheck *out_check,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

typedef struct _ScalrExport ScalrExport;

/* Opens run @run_id of @store (borrowed: it must outlive the export) for export. On error
 * returns NULL and sets @error (no such run, SCALR_STORE_ERROR_NOT_FOUND; otherwise as
 * scalr_run_rebuild_split). */
ScalrExport        *scalr_export_open      (ScalrStore *store, gint64 run_id, GError **error)
  G_GNUC_WARN_UNUSED_RESULT;
void                scalr_export_free      (ScalrExport *export);
const ScalrRunInfo *scalr_export_get_run   (ScalrExport *export);
/* The run's ranges and whether its checksum was verified (FALSE: stored before schema 6). */
const ScalrRunCheck *scalr_export_get_check (ScalrExport *export);
ScalrSplit         *scalr_export_get_split (ScalrExport *export);

/* Each writes one file (the split: four files into @dir, made if missing) and sets
 * *@n_rows (optional) to the data rows written. On error returns FALSE and sets @error (the
 * store's, SCALR_OUTPUT_ERROR naming the path, or SCALR_EXPORT_ERROR_DIRECTORY); a file that
 * could not be written whole is left as it was. */
gboolean scalr_export_synthetic (ScalrExport *export, const char *path, guint64 *n_rows, GError **error);
gboolean scalr_export_split     (ScalrExport *export, const char *dir, guint64 *n_rows, GError **error);
gboolean scalr_export_recs      (ScalrExport *export, const char *path, guint64 *n_rows, GError **error);
gboolean scalr_export_metrics   (ScalrExport *export, const char *path, guint64 *n_rows, GError **error);
gboolean scalr_export_lifts     (ScalrExport *export, const char *path, guint64 *n_rows, GError **error);
gboolean scalr_export_per_user  (ScalrExport *export, const char *path, guint64 *n_rows, GError **error);

typedef enum {
  SCALR_TABLE_TSV,
  SCALR_TABLE_CSV,
} ScalrTableFormat;

/* ".csv" (any case) → CSV, anything else → TSV. */
ScalrTableFormat scalr_table_format_for_path (const char *path);

/* The lift table of @n rows as scalr_export_lifts writes it: the header line, then one line
 * per row in the given order (the CI level, also_strongest as 0/1, the note of an undefined
 * value); numbers as scalr_format_tsv_number (NA when undefined); TSV fields have tabs and
 * line breaks replaced by spaces, CSV fields are quoted when they hold a comma, quote or line
 * break. The workbench's copy and export of a selection of rows call it too, so they read
 * as `scalr export --lifts`. No failure (owned). */
char            *scalr_export_lifts_text (const ScalrLiftRow *rows, guint n, ScalrTableFormat format)
  G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrExport, scalr_export_free)

G_END_DECLS
