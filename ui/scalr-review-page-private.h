/* scalr-review-page-private.h — what the Review page's files share: the instance struct
 * and the functions one file calls in another (scalr-review-page.c: loading, header,
 * actions, life cycle; scalr-review-metrics.c: cards, lift forest and metric table;
 * scalr-review-lens.c: the user lens). */
#pragma once

#include "scalr-review-page.h"

#include "scalr-run-results.h"

G_BEGIN_DECLS

/* The lens data of a run (scalr-review-lens.c). */
typedef struct _LensData LensData;

struct _ScalrReviewPage {
  GtkWidget parent_instance;

  /* template */
  GtkWidget *toast_overlay, *stack, *spinner, *loading_label, *error_page;
  GtkWidget *title_label, *status_label, *subtitle_label, *config_label, *run_dropdown;
  GtkWidget *view_stack, *cards, *chart_grid;
  GtkWidget *rank_view, *activity_view, *buckets_view, *reliability_view, *forest_view;
  GtkWidget *segment_dropdown, *metric_dropdown, *k_dropdown, *k_label;
  GtkWidget *table_search, *metric_table, *table_caption;
  GtkWidget *user_dropdown, *lens_model_dropdown, *lens_spinner, *lens_status;
  GtkWidget *source_heading, *synthetic_heading, *test_heading;
  GtkWidget *source_list, *synthetic_list, *test_list;

  char            *db_path;        /* owned */
  gint64           run_id;
  GCancellable    *cancellable;    /* of the current run's loads */
  gboolean         loaded;
  ScalrRunResults *results;        /* owned, NULL until loaded */
  LensData        *lens;           /* owned, NULL until the lens loaded */
  gboolean         lens_loading;
  GListStore      *metric_store;   /* ScalrMetricItem */
  GtkCustomFilter *metric_filter;
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

/* scalr-review-metrics.c */
char *_scalr_review_fmt_count                 (guint64 n);
void  _scalr_review_page_fill_cards           (ScalrReviewPage *self);
void  _scalr_review_page_fill_forest_controls (ScalrReviewPage *self);
void  _scalr_review_page_on_forest_choice     (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self);
void  _scalr_review_page_fill_table           (ScalrReviewPage *self);
void  _scalr_review_page_setup_table          (ScalrReviewPage *self);

/* scalr-review-lens.c */
void  _scalr_review_lens_data_free            (LensData *d);
void  _scalr_review_page_clear_lens           (ScalrReviewPage *self);
/* Rebuilds the run's split in a thread (once per run) when the lens is shown. */
void  _scalr_review_page_lens_start           (ScalrReviewPage *self);
void  _scalr_review_page_on_user_selected     (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self);
void  _scalr_review_page_on_view_changed      (GObject *stack, GParamSpec *pspec, ScalrReviewPage *self);

G_END_DECLS
