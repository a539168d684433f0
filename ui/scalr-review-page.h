/* scalr-review-page.h — one run under review: synthetic-vs-real diagnostics (cards and
 * charts), the lift forest plot beside a sortable metric table, and a user lens (one
 * user's source history, synthetic target items and held-out test items). The store is
 * read in GTask threads; the main thread only updates widgets. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCALR_TYPE_REVIEW_PAGE (scalr_review_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrReviewPage, scalr_review_page, SCALR, REVIEW_PAGE, GtkWidget)

GtkWidget *scalr_review_page_new          (void);
/* Loads run @run_id of the store at @db_path in a worker thread (cancelling a load in
 * progress); until then the page shows "loading", on error an error state. */
void       scalr_review_page_show_run     (ScalrReviewPage *page, const char *db_path, gint64 run_id);
/* Reads the store's finished runs for the run switcher (in a thread); with no run shown yet,
 * shows the latest. Call again when runs were added or deleted. */
void       scalr_review_page_set_store    (ScalrReviewPage *page, const char *db_path);
/* The run shown or loading (0: none). "run-loaded" (run id) is emitted when it is shown. */
gint64     scalr_review_page_get_run_id   (ScalrReviewPage *page);
/* TRUE once the last run asked for has been shown (or failed to load). */
gboolean   scalr_review_page_is_loaded    (ScalrReviewPage *page);
/* The rows of the lift table shown (the selectors' segment, metric and K), in the format of
 * `scalr export --lifts` — what Copy puts on the clipboard (owned). */
char      *scalr_review_page_dup_shown_lifts (ScalrReviewPage *page) G_GNUC_WARN_UNUSED_RESULT;
/* Writes the run's whole lift table to @path in a thread (TSV; CSV for .csv): the same bytes
 * as `scalr export RUN --lifts PATH`. Errors go to the window banner. */
void       scalr_review_page_export_lifts (ScalrReviewPage *page, const char *path);
gboolean   scalr_review_page_is_exporting (ScalrReviewPage *page);
/* The user lens: loaded, and the users its table shows (after the search). */
gboolean   scalr_review_page_is_lens_loaded   (ScalrReviewPage *page);
guint      scalr_review_page_get_lens_n_users (ScalrReviewPage *page);
/* Chart views showing a chart (not their empty state). */
guint      scalr_review_page_get_n_charts (ScalrReviewPage *page);

G_END_DECLS
