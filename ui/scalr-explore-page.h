/* scalr-explore-page.h — exploring configurations: start a sweep (keys and values from the
 * parameter tables) or a search, watch its trials arrive with progress, ETA and Cancel, and
 * read them (a parallel-coordinates chart, a per-parameter effect view, the selected
 * configuration's validation score beside its test confirmation). The work runs in a GTask
 * thread; progress comes back through one coalesced idle source. */
#pragma once

#include <adwaita.h>

#include "scalr-config.h"

G_BEGIN_DECLS

#define SCALR_TYPE_EXPLORE_PAGE (scalr_explore_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrExplorePage, scalr_explore_page, SCALR, EXPLORE_PAGE, GtkWidget)

GtkWidget *scalr_explore_page_new        (void);
void       scalr_explore_page_set_store  (ScalrExplorePage *page, const char *db_path);
/* TRUE while a sweep or a search goes ("running" notifies). */
gboolean   scalr_explore_page_is_running (ScalrExplorePage *page);
/* Asks the sweep or search to stop (its runs end cancelled). */
void       scalr_explore_page_cancel     (ScalrExplorePage *page);
/* The configuration sweeps and searches start from (the Configure page's; copied). */
void       scalr_explore_page_set_base_config (ScalrExplorePage *page, const ScalrConfig *config);
/* Starts a sweep over @specs ("group.key=v1,v2", NULL: the form's). On error (no store or
 * configuration, a bad spec, work already going) returns FALSE and sets @error. */
gboolean   scalr_explore_page_start_sweep (ScalrExplorePage *page, const char *const *specs, GError **error);
/* The store group of the last sweep (0: none yet). */
gint64     scalr_explore_page_get_group  (ScalrExplorePage *page);
/* The trials shown (a sweep's finished points, a search's trials). */
guint      scalr_explore_page_get_n_trials (ScalrExplorePage *page);
/* Starts a search (core's scalr tune) with @trials trials (0: the form's) and the form's
 * objective and budget. On error (no store or configuration, work already going) returns
 * FALSE and sets @error. */
gboolean   scalr_explore_page_start_search (ScalrExplorePage *page, guint trials, GError **error);
/* Shows the trials and the selection of tuned run @run_id (read in a thread; a run without
 * a search says so in the caption). */
void       scalr_explore_page_show_tuning (ScalrExplorePage *page, gint64 run_id);
/* The selection's text ("" when none is shown; borrowed). */
const char *scalr_explore_page_get_selection_text (ScalrExplorePage *page);

G_END_DECLS
