/* scalr-compare-page-private.h — what the Compare page's files share (scalr-compare-page.c:
 * loading, groups, the run list, the selection; scalr-compare-view.c: the charts, the table,
 * the caption and the report). */
#pragma once

#include "scalr-compare-page.h"

#include "scalr-run-results.h"
#include "scalr-run-set.h"

G_BEGIN_DECLS

struct _ScalrComparePage {
  GtkWidget parent_instance;

  /* template */
  GtkWidget *stack, *empty_page, *flap, *group_dropdown, *selection_label, *select_all_button, *select_none_button;
  GtkWidget *run_list, *controls, *flap_toggle, *segment_dropdown, *metric_dropdown, *k_dropdown, *k_label;
  GtkWidget *reference_dropdown, *key_dropdown, *report_button, *caption, *charts, *table, *table_caption;

  char           *db_path;
  GCancellable   *cancellable;
  gboolean        loading;
  gboolean        have_loaded;   /* the first load picks the latest group */
  GPtrArray      *runs;          /* ScalrRunResults*, finished, by id ascending */
  GPtrArray      *groups;        /* ScalrGroupInfo* */
  GPtrArray      *views;         /* ScalrRunGroupView*, newest first (borrow groups) */
  gint64          group_id;      /* the group shown; 0: runs picked by hand */
  GHashTable     *selected;      /* gint64* run ids of the selection */
  GHashTable     *picked;        /* gint64*: the hand-picked selection, kept across groups */

  /* What the selection shows (rebuilt by _scalr_compare_page_rebuild). */
  GPtrArray      *sel;           /* ScalrRunResults* (borrowed), the selected runs by id */
  GPtrArray      *models;        /* char*: the models of the selected runs */
  GArray         *k_values;      /* guint */
  GPtrArray      *keys;          /* char*: keys that differ between the selected runs */
  char           *key;           /* the key the charts run along (NULL: none) */
  ScalrRunSet    *set;           /* of sel */
  ScalrRunSeries *series;        /* along key */
  GListStore     *rows;          /* the table's rows */
  GtkColumnViewColumn *value_column;   /* borrowed from the table */
  GtkNativeDialog *chooser;      /* the report's file chooser while open */
  guint           reports_going;
  gboolean        updating;
};

/* scalr-compare-page.c */
void     _scalr_compare_page_rebuild       (ScalrComparePage *self);
/* What the selectors pick (FALSE when nothing). */
gboolean _scalr_compare_page_get_choice    (ScalrComparePage *self, const char **segment, const char **metric,
                                            guint *k, const char **reference);

/* scalr-compare-view.c */
void     _scalr_compare_page_setup_table   (ScalrComparePage *self);
/* Charts, table and caption for self->sel along self->key. */
void     _scalr_compare_page_fill_view     (ScalrComparePage *self);
void     _scalr_compare_page_install_view_actions (GtkWidgetClass *widget_class);

G_END_DECLS
