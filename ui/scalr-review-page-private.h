/* scalr-review-page-private.h — what the Review page's files share: the instance struct
 * and the functions one file calls in another (scalr-review-page.c: loading, header,
 * actions, life cycle; scalr-review-metrics.c: cards, lift forest and metric table;
 * scalr-review-lens.c: the user lens). */
#pragma once

#include "scalr-review-page.h"

#include "scalr-run-charts.h"

G_BEGIN_DECLS

/* The lens data of a run (scalr-review-lens-private.h). */
typedef struct _LensData LensData;

struct _ScalrReviewPage {
  GtkWidget parent_instance;

  /* template */
  GtkWidget *toast_overlay, *stack, *spinner, *loading_label, *error_page;
  GtkWidget *title_label, *status_label, *subtitle_label, *config_label, *run_dropdown, *search_button;
  GtkWidget *view_stack, *cards, *chart_grid;
  GtkWidget *rank_view, *activity_view, *buckets_view, *reliability_view, *mix_view;
  GtkWidget *forest_view, *forest_own_view;
  GtkWidget *segment_dropdown, *metric_dropdown, *k_dropdown, *k_label;
  GtkWidget *lift_table, *lift_caption, *copy_lifts_button, *export_lifts_button;
  GtkWidget *table_search, *metric_table, *table_caption;
  GtkWidget *lens_search, *lens_model_dropdown, *lens_spinner, *lens_status, *user_table, *lens_lists;
  GtkWidget *source_heading, *train_heading, *synthetic_heading, *recs_heading, *test_heading;
  GtkWidget *source_list, *train_list, *synthetic_list, *recs_list, *test_list;

  char            *db_path;        /* owned */
  gint64           run_id;
  GCancellable    *cancellable;    /* of the current run's loads */
  gboolean         loaded;
  ScalrRunResults *results;        /* owned, NULL until loaded */
  LensData        *lens;           /* owned, NULL until the lens loaded */
  gboolean         lens_loading;
  GListStore      *metric_store;   /* ScalrMetricItem */
  GtkCustomFilter *metric_filter;
  GListStore      *lift_store;     /* ScalrLiftItem: the rows the selectors pick */
  GListStore      *user_store;     /* ScalrLensUser: the lens's users */
  GtkCustomFilter *user_filter;
  GtkSingleSelection *user_selection;
  GtkNativeDialog *lifts_chooser;  /* owned while open */
  guint            exports_going;  /* lift exports in threads */
  GPtrArray       *segment_ids, *metric_ids;   /* char*: what the dropdowns show */
  GArray          *k_values;       /* guint */
  GtkWidget       *last_chart;     /* borrowed: the chart last clicked or focused */
  gboolean         updating;       /* dropdowns being refilled: ignore their signals */
  GArray          *run_ids;        /* gint64: the finished runs of the run switcher, newest first */
  GCancellable    *list_cancellable;
  gboolean         listing;
};

/* scalr-review-page.c */
void  _scalr_review_page_reset_scroll         (ScalrReviewPage *self);

/* scalr-review-metrics.c: the cards, the forests and the metric table */
void  _scalr_review_page_fill_cards           (ScalrReviewPage *self);
void  _scalr_review_page_fill_forest_controls (ScalrReviewPage *self);
void  _scalr_review_page_on_forest_choice     (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self);
void  _scalr_review_page_fill_table           (ScalrReviewPage *self);
void  _scalr_review_page_setup_table          (ScalrReviewPage *self);
/* The segment, metric and K the Lifts tab's selectors pick (FALSE when none). */
gboolean _scalr_review_page_get_selection     (ScalrReviewPage *self, const char **segment, const char **metric,
                                               guint *k);

/* scalr-review-lifts.c: the lift table, its copy and its export */
void  _scalr_review_page_setup_lift_table     (ScalrReviewPage *self);
void  _scalr_review_page_fill_lift_table      (ScalrReviewPage *self);
void  _scalr_review_page_install_lift_actions (GtkWidgetClass *widget_class);

/* scalr-review-lens.c */
void  _scalr_review_lens_data_free            (LensData *d);
void  _scalr_review_page_clear_lens           (ScalrReviewPage *self);
/* Rebuilds the run's split in a thread (once per run) when the lens is shown. */
void  _scalr_review_page_lens_start           (ScalrReviewPage *self);
void  _scalr_review_page_setup_lens           (ScalrReviewPage *self);
void  _scalr_review_page_on_view_changed      (GObject *stack, GParamSpec *pspec, ScalrReviewPage *self);

G_END_DECLS
