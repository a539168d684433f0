/* scalr-runs-page.h — the Runs page: the store's runs (a GListModel of ScalrRunItem), starting
 * a run in a GTask thread with a progress bar per stage, and cancelling it. */
#pragma once

#include <adwaita.h>

#include "scalr-config.h"
#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_TYPE_RUNS_PAGE (scalr_runs_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrRunsPage, scalr_runs_page, SCALR, RUNS_PAGE, AdwBin)

GtkWidget  *scalr_runs_page_new         (void);
/* Sets the store and reads its runs (in a thread). */
void        scalr_runs_page_set_store   (ScalrRunsPage *page, const char *db_path);
/* Reads the runs again (in a thread); the list is replaced when done. */
void        scalr_runs_page_refresh     (ScalrRunsPage *page);
/* TRUE while the runs are being read (or a rename, delete or undo is being written). */
gboolean    scalr_runs_page_is_refreshing (ScalrRunsPage *page);
/* The runs, newest first: a GListModel of ScalrRunItem (borrowed). */
GListModel *scalr_runs_page_get_model   (ScalrRunsPage *page);
/* The runs the search and the status filter leave (borrowed). */
GListModel *scalr_runs_page_get_shown   (ScalrRunsPage *page);
/* Sets the search text (what typing in the search entry does). */
void        scalr_runs_page_set_search  (ScalrRunsPage *page, const char *text);
const char *scalr_runs_page_get_store   (ScalrRunsPage *page);

/* Starts a run of @config (copied) named @name (NULL or blank: a name from the config,
 * scalr_run_name_for_config) in a worker thread. Returns FALSE with @error set when a run
 * is already going or there is no store; nothing starts. "run-finished" is emitted at the
 * end (finished, failed or cancelled). */
gboolean    scalr_runs_page_start_run   (ScalrRunsPage *page, const ScalrConfig *config, const char *name,
                                         GError **error);
gboolean    scalr_runs_page_is_running  (ScalrRunsPage *page);
/* Asks the running run to stop (it ends `cancelled`). */
void        scalr_runs_page_cancel      (ScalrRunsPage *page);
/* The id of the running run once the store created it, else of the last run started
 * here (0: none). */
gint64      scalr_runs_page_get_current_run_id (ScalrRunsPage *page);
/* The run selected in the list (0: none); "selected-run" notifies. */
gint64      scalr_runs_page_get_selected_run_id (ScalrRunsPage *page);
/* The same when it is finished, else 0. */
gint64      scalr_runs_page_get_selected_finished_run_id (ScalrRunsPage *page);
/* Selects run @run_id when the list shows it (else nothing is selected). */
void        scalr_runs_page_select_run  (ScalrRunsPage *page, gint64 run_id);

/* Renames run @run_id and sets its tags and note (as typed), in a thread; "runs-changed"
 * follows. FALSE when there is no store. Errors go to the window banner. */
gboolean    scalr_runs_page_edit_run    (ScalrRunsPage *page, gint64 run_id, const char *name,
                                         const char *tags, const char *note);
/* Moves run @run_id to the store's trash (in a thread) and shows a toast with Undo; the run
 * is purged when the toast goes without Undo. FALSE (nothing happens) for the run that is
 * going or without a store. */
gboolean    scalr_runs_page_delete_run  (ScalrRunsPage *page, gint64 run_id);
/* Brings a trashed run back (what Undo does). */
void        scalr_runs_page_undo_delete (ScalrRunsPage *page, gint64 run_id);

/* Writes a finished run's synthetic events (original ids; TSV) to @path and its metrics to
 * the same name with "-metrics" before the extension, in a thread. Errors go to the window
 * banner; a toast says where the files went. */
void        scalr_runs_page_export_run  (ScalrRunsPage *page, gint64 run_id, const char *path);

G_END_DECLS
