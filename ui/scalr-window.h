/* scalr-window.h — the main window of the workbench: header bar with the primary actions,
 * an error banner, toasts, and a sidebar of pages (Datasets, Configure, Runs, Review,
 * Compare, Explore) that folds away on a narrow window. Closing it while a run or a search
 * goes asks first. */
#pragma once

#include <adwaita.h>

#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_TYPE_WINDOW (scalr_window_get_type ())
G_DECLARE_FINAL_TYPE (ScalrWindow, scalr_window, SCALR, WINDOW, AdwApplicationWindow)

/* @app may be NULL (tests); @db_path: the store; @dataset: the dataset to show first (may
 * be NULL). */
ScalrWindow *scalr_window_new (AdwApplication *app, const char *db_path, const char *dataset);
/* Shows an error banner (no modal dialog); the same as activating win.show-error. */
void         scalr_window_show_error (ScalrWindow *self, const char *message);
/* The banner's text, or NULL when it is hidden (for tests). */
const char  *scalr_window_get_error (ScalrWindow *self);
/* Shows a toast. */
void         scalr_window_show_toast (ScalrWindow *self, const char *message);
/* Shows @toast (taking the floating reference), e.g. one with an Undo button. */
void         scalr_window_add_toast  (ScalrWindow *self, AdwToast *toast);
/* The runs changed (a run ended, one was renamed or deleted): every page reads them again. */
void         scalr_window_refresh_runs (ScalrWindow *self);
/* TRUE once the store has been read by every page (for tests). */
gboolean     scalr_window_is_loaded (ScalrWindow *self);
const char  *scalr_window_get_db_path (ScalrWindow *self);

/* Test hooks: the pages (borrowed) and switching between them by name ("datasets",
 * "configure", "runs", "review", "compare", "explore"). */
GtkWidget   *scalr_window_get_datasets_page  (ScalrWindow *self);
GtkWidget   *scalr_window_get_configure_page (ScalrWindow *self);
GtkWidget   *scalr_window_get_runs_page      (ScalrWindow *self);
GtkWidget   *scalr_window_get_review_page    (ScalrWindow *self);
GtkWidget   *scalr_window_get_compare_page   (ScalrWindow *self);
GtkWidget   *scalr_window_get_explore_page   (ScalrWindow *self);
/* Whether the sidebar is folded away (a narrow window). */
gboolean     scalr_window_is_folded          (ScalrWindow *self);
/* The "quit during a run?" question while it is shown (an AdwMessageDialog), else NULL. */
GtkWidget   *scalr_window_get_quit_dialog    (ScalrWindow *self);
void         scalr_window_show_page          (ScalrWindow *self, const char *name);
const char  *scalr_window_get_visible_page   (ScalrWindow *self);
/* TRUE while win.run estimates the cost of the run it was asked to start (it starts when
 * that is done, or asks first when the estimate is large). */
gboolean     scalr_window_is_starting        (ScalrWindow *self);
/* Shows a run on the Review page (and switches to it). */
void         scalr_window_show_run           (ScalrWindow *self, gint64 run_id);

G_END_DECLS
