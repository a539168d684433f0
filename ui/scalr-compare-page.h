/* scalr-compare-page.h — runs side by side as the store groups them (a sweep, a search,
 * replicates, or runs picked by hand; the latest group first): a small chart per model
 * along one config key, where lines join only runs equal in every other key and the others
 * stand as unconnected points; a table with a row per run and model (the lift against the
 * strongest baseline, its Holm p, the lift against the own baseline); a PDF of it all. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SCALR_TYPE_COMPARE_PAGE (scalr_compare_page_get_type ())
G_DECLARE_FINAL_TYPE (ScalrComparePage, scalr_compare_page, SCALR, COMPARE_PAGE, GtkWidget)

GtkWidget *scalr_compare_page_new       (void);
/* Reads the finished runs and the groups of the store at @db_path in a worker thread
 * (again whenever the page is shown, keeping what is shown). */
void       scalr_compare_page_set_store (ScalrComparePage *page, const char *db_path);
/* TRUE once the runs were read and nothing is being read. */
gboolean   scalr_compare_page_is_loaded (ScalrComparePage *page);
/* Shows group @group_id of the store with all its finished runs selected (0: the runs
 * picked by hand). The group shown, 0 for hand-picked runs. */
void       scalr_compare_page_show_group (ScalrComparePage *page, gint64 group_id);
gint64     scalr_compare_page_get_group  (ScalrComparePage *page);
/* Picks runs by hand (what ticking them does) and shows them. */
void       scalr_compare_page_pick_runs  (ScalrComparePage *page, const gint64 *ids, guint n);
/* The key the charts run along ("sampler.user_ratio"; NULL: none) and the runs the lines
 * join (owned array of gint64). */
const char *scalr_compare_page_get_key   (ScalrComparePage *page);
GArray    *scalr_compare_page_dup_connected (ScalrComparePage *page) G_GNUC_WARN_UNUSED_RESULT;
guint      scalr_compare_page_get_n_charts (ScalrComparePage *page);
/* Writes the comparison of the selected runs as a PDF to @path in a thread; errors go to
 * the window banner. */
void       scalr_compare_page_write_report (ScalrComparePage *page, const char *path);
gboolean   scalr_compare_page_is_writing (ScalrComparePage *page);

G_END_DECLS
