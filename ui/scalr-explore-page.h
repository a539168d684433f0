/* scalr-explore-page.h — exploring configurations: start a sweep (keys and values from the
 * parameter tables) or a search, watch its trials arrive with progress, ETA and Cancel, and
 * read them (a parallel-coordinates chart, a per-parameter effect view, the selected
 * configuration's validation score beside its test confirmation). The work runs in a GTask
 * thread; progress comes back through one coalesced idle source. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCALR_TYPE_EXPLORE_PAGE (scalr_explore_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrExplorePage, scalr_explore_page, SCALR, EXPLORE_PAGE, GtkWidget)

GtkWidget *scalr_explore_page_new        (void);
void       scalr_explore_page_set_store  (ScalrExplorePage *page, const char *db_path);
/* TRUE while a sweep or a search goes ("running" notifies). */
gboolean   scalr_explore_page_is_running (ScalrExplorePage *page);
/* Asks the sweep or search to stop (its runs end cancelled). */
void       scalr_explore_page_cancel     (ScalrExplorePage *page);

G_END_DECLS
