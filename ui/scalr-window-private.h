/* scalr-window-private.h — what the window's files share (scalr-window.c: pages, sidebar,
 * wiring and life cycle; scalr-window-actions.c: the window actions and quitting). */
#pragma once

#include "scalr-window.h"

G_BEGIN_DECLS

struct _ScalrWindow {
  AdwApplicationWindow parent_instance;
  GtkWidget *toast_overlay;
  GtkWidget *leaflet;
  GtkWidget *sidebar;
  GtkWidget *back_button;
  GtkWidget *window_title;
  GtkWidget *banner_revealer;
  GtkWidget *banner;
  GtkWidget *banner_label;
  GtkWidget *stack;
  GtkWidget *datasets_page;
  GtkWidget *configure_page;
  GtkWidget *runs_page;
  GtkWidget *review_page;
  GtkWidget *compare_page;
  GtkWidget *explore_page;
  char      *db_path;
  gint64     review_run_id;
  GtkNativeDialog *export_chooser;   /* owned while open */
  gint64     export_run_id;
  GtkWidget *quit_dialog;            /* the "quit during a run?" question while it is open */
  gboolean   quit_when_stopped;      /* the user chose to quit: close once the work stopped */
  gboolean   syncing_sidebar;
  gboolean   estimating;             /* win.run is estimating the cost of a run */
};

/* scalr-window-actions.c */
void     _scalr_window_add_actions     (ScalrWindow *self);
/* Enables win.run and win.export for what there is to act on. */
void     _scalr_window_update_actions  (ScalrWindow *self);
/* The run win.export would export (0: none). */
gint64   _scalr_window_export_target   (ScalrWindow *self);
/* close-request: asks first while work is going. */
gboolean _scalr_window_on_close_request (GtkWindow *window, gpointer data);
/* Work stopped (a run or a search ended): close now if the user asked to quit. */
void     _scalr_window_work_stopped    (ScalrWindow *self);
/* TRUE while a run or a search goes. */
gboolean _scalr_window_is_working      (ScalrWindow *self);

G_END_DECLS
