/* scalr-compare-page.h — finished runs side by side: metrics and lifts of a chosen
 * segment × metric × K per model and run, and a sweep view plotting lift against the config
 * key in which the selected runs differ (a line with its CI band per model, at the stored level). */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCALR_TYPE_COMPARE_PAGE (scalr_compare_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrComparePage, scalr_compare_page, SCALR, COMPARE_PAGE, GtkWidget)

GtkWidget *scalr_compare_page_new       (void);
/* Reads the finished runs of the store at @db_path in a worker thread (again whenever the
 * page is shown, keeping the selection). */
void       scalr_compare_page_set_store (ScalrComparePage *page, const char *db_path);

G_END_DECLS
