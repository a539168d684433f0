/* scalr-explore-page-private.h — what the Explore page's files share (scalr-explore-page.c:
 * the form, starting and cancelling, progress and ETA, the life cycle;
 * scalr-explore-results.c: the trials as they arrive, the parallel-coordinates chart, the
 * per-parameter effects, a search's selection). */
#pragma once

#include "scalr-explore-page.h"

#include "scalr-config.h"
#include "scalr-progress-relay.h"

G_BEGIN_DECLS

/* One trial (a sweep's point, a search's trial) as the table shows it. */
typedef struct {
  guint64 index;
  gint64  run_id;
  GStrv   values;      /* per key */
  char   *error;       /* NULL: finished */
  double  objective;   /* sweep: the headline lift (sparse users, best model vs strongest); search: the
                        * validation score */
  double  lo, hi;      /* its interval (NaN: none) */
  char   *detail;      /* what the objective is (model, baseline) */
  double  seconds;
  gboolean is_lift;    /* the objective is a lift (a sweep), else a metric value (a search) */
} ExploreTrial;

void _scalr_explore_trial_free (ExploreTrial *trial);

struct _ScalrExplorePage {
  GtkWidget  parent_instance;
  /* template */
  GtkWidget *scroller, *base_label, *sweep_toggle, *search_toggle, *mode_stack, *axis_list, *add_axis_button;
  GtkWidget *sweep_summary, *search_group, *trials_spin, *objective_row, *budget_spin, *space_row;
  GtkWidget *cancel_button, *start_button, *progress_revealer, *spinner, *progress_label, *eta_label;
  GtkWidget *progress_bar, *stage_label, *results_caption, *trials_scroller, *trials_table, *parallel_view;
  GtkWidget *effects_box, *selection_caption;

  char          *db_path;
  ScalrConfig   *base;           /* the Configure page's configuration (owned copy) */
  GPtrArray     *axes;           /* AxisRow* (scalr-explore-axes.c) */
  GCancellable  *cancellable;    /* non-NULL while work goes */
  ScalrProgressRelay *relay;
  GTimer        *timer;
  guint          tick_id;
  guint64        n_points, n_done;
  double         fraction;       /* a search's trials done (its progress), 0…1 */
  gint64         group_id;       /* of the last sweep */
  gint64         search_run_id;  /* of the last search */
  gboolean       disposed;
  GStrv          keys;           /* the keys of the trials shown */
  char          *objective_title; /* what the objective column and the charts' axis say */
  gboolean       objective_is_lift;
  GPtrArray     *trials;         /* ExploreTrial*, in arrival order */
  GListStore    *trial_store;    /* the table's rows */
  guint          estimate_timeout;
  GCancellable  *estimate_cancellable;
  char          *estimate_text;  /* the last estimate of the sweep, or NULL */
  guint64        estimate_runs;  /* … for a grid of this many points */
  gboolean       estimate_confirm;
};

/* Not the header: scalr-sweep.h and core's coming scalr-search.h both declare the grid. */
typedef struct _ScalrGrid ScalrGrid;

/* scalr-explore-axes.c */
void       _scalr_explore_page_setup_axes      (ScalrExplorePage *self);
/* The rows stop calling back (before the widgets go). */
void       _scalr_explore_page_disconnect_axes (ScalrExplorePage *self);
void       _scalr_explore_axis_row_free        (gpointer row);
/* The grid the form describes, or NULL with @error saying what is wrong (G_IO_ERROR_INVALID_ARGUMENT:
 * nothing typed yet). */
ScalrGrid *_scalr_explore_page_form_grid       (ScalrExplorePage *self, GError **error);

/* scalr-explore-page.c: the form follows the state (sensitivity, the summary, the estimate). */
void _scalr_explore_page_update_form  (ScalrExplorePage *self);
/* scalr-explore-page.c: the work's life cycle, for the sweep and the search alike. */
/* Work started (self->relay set by the caller): the cancellable, the progress, the ETA. */
void _scalr_explore_page_work_started (ScalrExplorePage *self, const char *title, guint64 n_points);
/* Work ended: progress hidden, "running" and "runs-changed" notified, the form enabled. */
void _scalr_explore_page_work_ended   (ScalrExplorePage *self);
/* A toast on the window; @page ("compare", "review" or NULL) adds a button to go there. */
void _scalr_explore_page_toast        (ScalrExplorePage *self, const char *title, const char *page);

/* scalr-explore-results.c */
void _scalr_explore_page_setup_results (ScalrExplorePage *self);
/* Starts over with the trials of a new sweep or search over @keys (NULL: none yet); the
 * objective column is titled @objective_title (NULL: kept), a lift when @is_lift (else a
 * metric value). */
void _scalr_explore_page_reset_results (ScalrExplorePage *self, const char *const *keys,
                                        const char *objective_title, gboolean is_lift);
/* A search's selection (validation beside test) under the charts. */
void _scalr_explore_page_set_selection (ScalrExplorePage *self, const char *text);
/* A trial arrived (taken); the table, the charts and the caption follow. */
void _scalr_explore_page_add_trial     (ScalrExplorePage *self, ExploreTrial *trial);
/* The work ended: the caption says what was found and what it means. */
void _scalr_explore_page_results_done  (ScalrExplorePage *self, gboolean search, const char *message);

G_END_DECLS
