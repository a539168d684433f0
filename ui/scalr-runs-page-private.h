/* scalr-runs-page-private.h — what the Runs page's files share (scalr-runs-page.c: the list,
 * its columns, search and filter, life cycle; scalr-runs-progress.c: running the pipeline
 * with a progress bar per stage; scalr-runs-manage.c: rename, tags and note, delete with
 * undo, export). */
#pragma once

#include "scalr-runs-page.h"

#include "scalr-progress-relay.h"
#include "scalr-run-item.h"

G_BEGIN_DECLS

struct _ScalrRunsPage {
  AdwBin              parent_instance;
  /* template */
  GtkWidget          *progress_revealer, *spinner, *progress_title, *elapsed_label, *cancel_button;
  GtkWidget          *stage_grid, *stack, *column_view, *search_entry, *status_dropdown, *count_label;
  GtkWidget          *toolbar;

  GListStore         *runs;          /* ScalrRunItem, newest first */
  GtkFilterListModel *filtered;
  GtkCustomFilter    *filter;
  GtkSingleSelection *selection;
  char               *db_path;

  GCancellable       *refresh_cancellable;   /* non-NULL while a refresh runs */
  gboolean            refresh_again;

  GCancellable       *run_cancellable;       /* non-NULL while a run goes */
  ScalrProgressRelay *relay;
  GPtrArray          *stage_rows;            /* StageRow* (scalr-runs-progress.c) */
  GTimer             *run_timer;
  guint               tick_id;
  gint64              current_run_id;
  gboolean            cancelling;
  char               *run_title;
  gboolean            disposed;
  GtkWidget          *edit_dialog;           /* the rename / tags dialog while open */
  guint               ops_going;             /* store writes in threads (scalr-runs-manage.c) */
};

enum { RUNS_PROP_0, RUNS_PROP_RUNNING, RUNS_PROP_SELECTED_RUN, RUNS_N_PROPS };
enum { RUNS_SIGNAL_RUN_FINISHED, RUNS_SIGNAL_RUN_ACTIVATED, RUNS_SIGNAL_RUNS_CHANGED, RUNS_N_SIGNALS };
extern GParamSpec *_scalr_runs_page_props[RUNS_N_PROPS];
extern guint       _scalr_runs_page_signals[RUNS_N_SIGNALS];

/* scalr-runs-page.c */
void          _scalr_runs_page_show_error   (ScalrRunsPage *self, const char *message);
ScalrRunItem *_scalr_runs_page_dup_selected (ScalrRunsPage *self);
void          _scalr_runs_page_update_toolbar (ScalrRunsPage *self);

/* scalr-runs-progress.c */
void          _scalr_runs_page_install_progress_actions (GtkWidgetClass *widget_class);
void          _scalr_runs_page_init_progress (ScalrRunsPage *self);
void          _scalr_runs_page_stop_progress (ScalrRunsPage *self);
void          _scalr_runs_page_free_progress (ScalrRunsPage *self);

/* scalr-runs-manage.c */
void          _scalr_runs_page_install_manage_actions (GtkWidgetClass *widget_class);
/* Deletes the runs a previous session left in the trash (in a thread). */
void          _scalr_runs_page_purge_stale_trash (ScalrRunsPage *self);

G_END_DECLS
