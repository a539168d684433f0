/* scalr-datasets-page.h — the Datasets page: the store's datasets, importing one (a form
 * with a preview and column roles), and the statistics of the selected one for a
 * source/target rule pair (cards, per-domain table, a two-set diagram of the users, activity
 * histograms, categories with their event counts). */
#pragma once

#include <adwaita.h>

#include "scalr-import.h"

G_BEGIN_DECLS

#define SCALR_TYPE_DATASETS_PAGE (scalr_datasets_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrDatasetsPage, scalr_datasets_page, SCALR, DATASETS_PAGE, AdwBin)

GtkWidget  *scalr_datasets_page_new        (void);
/* Reads the datasets of @db_path (in a thread) and selects @select (or the first). */
void        scalr_datasets_page_set_store  (ScalrDatasetsPage *page, const char *db_path, const char *select);
/* The source/target rules the statistics use (recomputed in a thread when they change). */
void        scalr_datasets_page_set_rules  (ScalrDatasetsPage *page, const char *source, const char *target);
/* Opens the import form. */
void        scalr_datasets_page_open_import_dialog (ScalrDatasetsPage *page);
/* Imports in a thread (what the form's Import button calls): scalr_import_dataset, then
 * scalr_store_add_dataset. @options is copied. Errors (with file and line) go to the window
 * banner and leave the store as it was; on success the list is read again and the new
 * dataset selected. Returns FALSE (and does nothing) while another import runs. */
gboolean    scalr_datasets_page_import     (ScalrDatasetsPage *page, const ScalrImportOptions *options);
/* TRUE while the list, an import or the statistics are being computed. */
gboolean    scalr_datasets_page_is_busy    (ScalrDatasetsPage *page);
guint       scalr_datasets_page_get_n_datasets (ScalrDatasetsPage *page);
/* What is wrong with @name for a new dataset, in the import form's words ("The store already
 * has a dataset named …"), or NULL when it is free (owned). */
char       *scalr_datasets_page_dup_name_problem (ScalrDatasetsPage *page, const char *name) G_GNUC_WARN_UNUSED_RESULT;
/* The names of the store's datasets, in list order (owned). */
GStrv       scalr_datasets_page_dup_names  (ScalrDatasetsPage *page) G_GNUC_WARN_UNUSED_RESULT;
/* The selected dataset's name, or NULL. */
const char *scalr_datasets_page_get_selected (ScalrDatasetsPage *page);
/* Events shown on the statistics cards (0 while none are shown). */
guint64     scalr_datasets_page_get_shown_events (ScalrDatasetsPage *page);
/* The text of the events card ("100,004"; "–" while none is shown). */
const char *scalr_datasets_page_get_events_text (ScalrDatasetsPage *page);

G_END_DECLS
