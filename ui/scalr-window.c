/* scalr-window.c — the main window: header bar, error banner, toasts, a sidebar of pages that
 * folds away on narrow windows (AdwLeaflet).
 *
 * The window wires the pages together: the Datasets page's selection and "Use in
 * Configure" feed the Configure page's [dataset] group (and its rules feed the Datasets
 * page's statistics); win.run starts the Configure page's config on the Runs page; a
 * finished run raises a toast whose button shows it on the Review page. Every page reads
 * the store in its own worker threads. The actions and quitting are in
 * scalr-window-actions.c. */
#include "config.h"

#include "scalr-window-private.h"

#include "scalr-compare-page.h"
#include "scalr-configure-page.h"
#include "scalr-datasets-page.h"
#include "scalr-explore-page.h"
#include "scalr-resources.h"
#include "scalr-review-page.h"
#include "scalr-runs-page.h"

G_DEFINE_FINAL_TYPE (ScalrWindow, scalr_window, ADW_TYPE_APPLICATION_WINDOW)

/* ---- banner and toasts ---------------------------------------------------------- */

static void
on_banner_response (GtkInfoBar *bar, int response, ScalrWindow *self)
{
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), FALSE);
}

void
scalr_window_show_error (ScalrWindow *self, const char *message)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  gtk_label_set_text (GTK_LABEL (self->banner_label), message);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), TRUE);
}

const char *
scalr_window_get_error (ScalrWindow *self)
{
  g_return_val_if_fail (SCALR_IS_WINDOW (self), NULL);
  if (!gtk_revealer_get_reveal_child (GTK_REVEALER (self->banner_revealer)))
    return NULL;
  return gtk_label_get_text (GTK_LABEL (self->banner_label));
}

void
scalr_window_show_toast (ScalrWindow *self, const char *message)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), adw_toast_new (message));
}

void
scalr_window_add_toast (ScalrWindow *self, AdwToast *toast)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
}

/* ---- pages and the sidebar ----------------------------------------------------------- */

void
scalr_window_show_page (ScalrWindow *self, const char *name)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), name) == NULL)
    return;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
  /* Folded, the page replaces the sidebar. */
  if (adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet)))
    adw_leaflet_set_visible_child_name (ADW_LEAFLET (self->leaflet), "content");
}

const char *
scalr_window_get_visible_page (ScalrWindow *self)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
}

static void
on_sidebar_activated (GtkListBox *box, GtkListBoxRow *row, ScalrWindow *self)
{
  if (self->syncing_sidebar)
    return;
  scalr_window_show_page (self, g_object_get_data (G_OBJECT (row), "page"));
}

static void
on_visible_page (GtkStack *stack, GParamSpec *pspec, ScalrWindow *self)
{
  const char *name = gtk_stack_get_visible_child_name (stack);
  self->syncing_sidebar = TRUE;
  for (GtkWidget *row = gtk_widget_get_first_child (self->sidebar); row; row = gtk_widget_get_next_sibling (row))
    if (GTK_IS_LIST_BOX_ROW (row) && g_strcmp0 (g_object_get_data (G_OBJECT (row), "page"), name) == 0)
      gtk_list_box_select_row (GTK_LIST_BOX (self->sidebar), GTK_LIST_BOX_ROW (row));
  self->syncing_sidebar = FALSE;
  _scalr_window_update_actions (self);
}

static void
on_back (GtkButton *button, ScalrWindow *self)
{
  adw_leaflet_navigate (ADW_LEAFLET (self->leaflet), ADW_NAVIGATION_DIRECTION_BACK);
}

/* One row per page of the stack, with its icon and the Alt+N shortcut in the tooltip. */
static void
build_sidebar (ScalrWindow *self)
{
  GListModel *pages = G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (self->stack)));
  for (guint k = 0; k < g_list_model_get_n_items (pages); k++)
    {
      GtkStackPage *page = g_list_model_get_item (pages, k);
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
      gtk_box_append (GTK_BOX (box), gtk_image_new_from_icon_name (gtk_stack_page_get_icon_name (page)));
      GtkWidget *label = gtk_label_new (gtk_stack_page_get_title (page));
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_box_append (GTK_BOX (box), label);
      GtkWidget *row = gtk_list_box_row_new ();
      gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
      g_object_set_data_full (G_OBJECT (row), "page", g_strdup (gtk_stack_page_get_name (page)), g_free);
      g_autofree char *tip = g_strdup_printf ("%s (Alt+%u)", gtk_stack_page_get_title (page), k + 1);
      gtk_widget_set_tooltip_text (row, tip);
      gtk_list_box_append (GTK_LIST_BOX (self->sidebar), row);
      g_object_unref (page);
    }
  g_object_unref (pages);
  g_signal_connect (self->sidebar, "row-activated", G_CALLBACK (on_sidebar_activated), self);
  g_signal_connect (self->stack, "notify::visible-child-name", G_CALLBACK (on_visible_page), self);
  g_signal_connect (self->back_button, "clicked", G_CALLBACK (on_back), self);
  on_visible_page (GTK_STACK (self->stack), NULL, self);
}

GtkWidget *
scalr_window_get_datasets_page (ScalrWindow *self)
{
  return self->datasets_page;
}

GtkWidget *
scalr_window_get_configure_page (ScalrWindow *self)
{
  return self->configure_page;
}

GtkWidget *
scalr_window_get_runs_page (ScalrWindow *self)
{
  return self->runs_page;
}

GtkWidget *
scalr_window_get_review_page (ScalrWindow *self)
{
  return self->review_page;
}

GtkWidget *
scalr_window_get_compare_page (ScalrWindow *self)
{
  return self->compare_page;
}

GtkWidget *
scalr_window_get_explore_page (ScalrWindow *self)
{
  return self->explore_page;
}

gboolean
scalr_window_is_folded (ScalrWindow *self)
{
  return adw_leaflet_get_folded (ADW_LEAFLET (self->leaflet));
}

const char *
scalr_window_get_db_path (ScalrWindow *self)
{
  return self->db_path;
}

gboolean
scalr_window_is_loaded (ScalrWindow *self)
{
  g_return_val_if_fail (SCALR_IS_WINDOW (self), FALSE);
  return !scalr_datasets_page_is_busy (SCALR_DATASETS_PAGE (self->datasets_page))
         && !scalr_runs_page_is_refreshing (SCALR_RUNS_PAGE (self->runs_page));
}

void
scalr_window_show_run (ScalrWindow *self, gint64 run_id)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  self->review_run_id = run_id;
  scalr_review_page_show_run (SCALR_REVIEW_PAGE (self->review_page), self->db_path, run_id);
  scalr_window_show_page (self, "review");
  _scalr_window_update_actions (self);
}

/* ---- wiring the pages --------------------------------------------------------------- */

static void
on_running_changed (GObject *page, GParamSpec *pspec, ScalrWindow *self)
{
  _scalr_window_update_actions (self);
  if (!_scalr_window_is_working (self))
    _scalr_window_work_stopped (self);
}

static void
on_run_finished (ScalrRunsPage *page, gint64 run_id, int status, const char *message, ScalrWindow *self)
{
  if (status == SCALR_RUN_FINISHED)
    {
      g_autofree char *title = g_strdup_printf ("Run %" G_GINT64_FORMAT " finished", run_id);
      AdwToast *toast = adw_toast_new (title);
      adw_toast_set_button_label (toast, "_Review");
      adw_toast_set_action_name (toast, "win.show-run");
      adw_toast_set_action_target_value (toast, g_variant_new_int64 (run_id));
      adw_toast_set_timeout (toast, 10);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), toast);
    }
  else if (status == SCALR_RUN_CANCELLED)
    {
      g_autofree char *title = g_strdup_printf ("Run %" G_GINT64_FORMAT " cancelled", run_id);
      scalr_window_show_toast (self, title);
    }
  else
    {
      g_autofree char *msg = run_id ? g_strdup_printf ("Run %" G_GINT64_FORMAT " failed: %s", run_id, message)
                                    : g_strdup_printf ("The run could not start: %s", message);
      scalr_window_show_error (self, msg);
    }
  scalr_window_refresh_runs (self);
}

void
scalr_window_refresh_runs (ScalrWindow *self)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  scalr_runs_page_refresh (SCALR_RUNS_PAGE (self->runs_page));
  scalr_compare_page_set_store (SCALR_COMPARE_PAGE (self->compare_page), self->db_path);
  scalr_review_page_set_store (SCALR_REVIEW_PAGE (self->review_page), self->db_path);
}

static void
on_run_list_activated (ScalrRunsPage *page, gint64 run_id, ScalrWindow *self)
{
  scalr_window_show_run (self, run_id);
}

static void
on_runs_changed (ScalrRunsPage *page, ScalrWindow *self)
{
  /* Renamed, deleted or restored on the Runs page: the other pages read the runs again. */
  scalr_compare_page_set_store (SCALR_COMPARE_PAGE (self->compare_page), self->db_path);
  scalr_review_page_set_store (SCALR_REVIEW_PAGE (self->review_page), self->db_path);
  _scalr_window_update_actions (self);
}

static void
on_review_loaded (ScalrReviewPage *page, gint64 run_id, ScalrWindow *self)
{
  self->review_run_id = run_id;
  _scalr_window_update_actions (self);
}

static void
on_selection_changed (GObject *page, GParamSpec *pspec, ScalrWindow *self)
{
  _scalr_window_update_actions (self);
}

static void
on_dataset_selected (ScalrDatasetsPage *page, const char *name, ScalrWindow *self)
{
  ScalrConfigurePage *cp = SCALR_CONFIGURE_PAGE (self->configure_page);
  g_autoptr (ScalrConfig) c = scalr_configure_page_dup_config (cp);
  if (g_strcmp0 (scalr_config_get (c, "dataset", "name"), name) != 0)
    scalr_configure_page_set_value (cp, "dataset", "name", name, NULL);
}

static void
on_datasets_changed (ScalrDatasetsPage *page, ScalrWindow *self)
{
  g_auto (GStrv) names = scalr_datasets_page_dup_names (page);
  scalr_configure_page_set_datasets (SCALR_CONFIGURE_PAGE (self->configure_page), (const char *const *) names);
  _scalr_window_update_actions (self);
}

static void
on_rules_applied (ScalrDatasetsPage *page, const char *dataset, const char *source, const char *target,
                  ScalrWindow *self)
{
  ScalrConfigurePage *cp = SCALR_CONFIGURE_PAGE (self->configure_page);
  g_autoptr (GError) error = NULL;
  if ((dataset && !scalr_configure_page_set_value (cp, "dataset", "name", dataset, &error))
      || !scalr_configure_page_set_value (cp, "dataset", "source", source, &error)
      || !scalr_configure_page_set_value (cp, "dataset", "target", target, &error))
    {
      scalr_window_show_error (self, error->message);
      return;
    }
  scalr_window_show_toast (self, "The Configure page now uses this dataset and these rules");
}

static void
on_config_changed (ScalrConfigurePage *page, const char *group, const char *key, ScalrWindow *self)
{
  _scalr_window_update_actions (self);
  g_autoptr (ScalrConfig) c = scalr_configure_page_dup_config (page);
  scalr_explore_page_set_base_config (SCALR_EXPLORE_PAGE (self->explore_page), c);
  if (group != NULL && g_strcmp0 (group, "dataset") != 0)
    return;
  scalr_datasets_page_set_rules (SCALR_DATASETS_PAGE (self->datasets_page),
                                 scalr_config_get (c, "dataset", "source"),
                                 scalr_config_get (c, "dataset", "target"));
}

static void
add_shortcut (GtkShortcutController *ctl, const char *trigger, const char *action, GVariant *args)
{
  GtkShortcut *s = gtk_shortcut_new (gtk_shortcut_trigger_parse_string (trigger), gtk_named_action_new (action));
  if (args)
    gtk_shortcut_set_arguments (s, args);
  gtk_shortcut_controller_add_shortcut (ctl, s);
}

static void
add_shortcuts (ScalrWindow *self)
{
  GtkBuilder *builder = gtk_builder_new_from_resource ("/org/scalr/Workbench/ui/scalr-shortcuts.ui");
  GtkShortcutsWindow *overlay = GTK_SHORTCUTS_WINDOW (gtk_builder_get_object (builder, "help_overlay"));
  gtk_application_window_set_help_overlay (GTK_APPLICATION_WINDOW (self), overlay);
  g_object_unref (builder);

  GtkEventController *ctl = gtk_shortcut_controller_new ();
  gtk_shortcut_controller_set_scope (GTK_SHORTCUT_CONTROLLER (ctl), GTK_SHORTCUT_SCOPE_MANAGED);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), "<Control>o", "win.import", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), "<Control>r", "win.run", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), "<Control>e", "win.export", NULL);
  add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), "<Control>question", "win.show-help-overlay", NULL);
  GListModel *pages = G_LIST_MODEL (gtk_stack_get_pages (GTK_STACK (self->stack)));
  for (guint k = 0; k < g_list_model_get_n_items (pages) && k < 9; k++)
    {
      GtkStackPage *page = g_list_model_get_item (pages, k);
      g_autofree char *trigger = g_strdup_printf ("<Alt>%u", k + 1);
      add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), trigger, "win.show-page",
                    g_variant_new_string (gtk_stack_page_get_name (page)));
      g_object_unref (page);
    }
  g_object_unref (pages);
  gtk_widget_add_controller (GTK_WIDGET (self), ctl);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
scalr_window_dispose (GObject *object)
{
  ScalrWindow *self = SCALR_WINDOW (object);
  if (self->export_chooser)
    gtk_native_dialog_destroy (self->export_chooser);
  g_clear_object (&self->export_chooser);
  if (self->quit_dialog)
    gtk_window_destroy (GTK_WINDOW (self->quit_dialog));
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_WINDOW);
  G_OBJECT_CLASS (scalr_window_parent_class)->dispose (object);
}

static void
scalr_window_finalize (GObject *object)
{
  ScalrWindow *self = SCALR_WINDOW (object);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_window_parent_class)->finalize (object);
}

static void
scalr_window_class_init (ScalrWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  /* Referencing the bundle links its object file (and so its registering constructor)
   * out of the static library. */
  GResource *bundle = scalr_get_resource ();
  (void) bundle;
  object_class->dispose = scalr_window_dispose;
  object_class->finalize = scalr_window_finalize;
  g_type_ensure (SCALR_TYPE_DATASETS_PAGE);
  g_type_ensure (SCALR_TYPE_CONFIGURE_PAGE);
  g_type_ensure (SCALR_TYPE_RUNS_PAGE);
  g_type_ensure (SCALR_TYPE_REVIEW_PAGE);
  g_type_ensure (SCALR_TYPE_COMPARE_PAGE);
  g_type_ensure (SCALR_TYPE_EXPLORE_PAGE);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-window.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, ScalrWindow, name)
  CHILD (toast_overlay);
  CHILD (leaflet);
  CHILD (sidebar);
  CHILD (back_button);
  CHILD (window_title);
  CHILD (banner_revealer);
  CHILD (banner);
  CHILD (banner_label);
  CHILD (stack);
  CHILD (datasets_page);
  CHILD (configure_page);
  CHILD (runs_page);
  CHILD (review_page);
  CHILD (compare_page);
  CHILD (explore_page);
#undef CHILD
}

static void
scalr_window_init (ScalrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  _scalr_window_add_actions (self);
  g_signal_connect (self->banner, "response", G_CALLBACK (on_banner_response), self);
  g_signal_connect (self, "close-request", G_CALLBACK (_scalr_window_on_close_request), self);
  build_sidebar (self);

  g_signal_connect (self->runs_page, "notify::running", G_CALLBACK (on_running_changed), self);
  g_signal_connect (self->runs_page, "notify::selected-run", G_CALLBACK (on_selection_changed), self);
  g_signal_connect (self->runs_page, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (self->runs_page, "run-activated", G_CALLBACK (on_run_list_activated), self);
  g_signal_connect (self->runs_page, "runs-changed", G_CALLBACK (on_runs_changed), self);
  g_signal_connect (self->review_page, "run-loaded", G_CALLBACK (on_review_loaded), self);
  g_signal_connect (self->explore_page, "notify::running", G_CALLBACK (on_running_changed), self);
  g_signal_connect_swapped (self->explore_page, "runs-changed", G_CALLBACK (scalr_window_refresh_runs), self);
  g_signal_connect (self->datasets_page, "dataset-selected", G_CALLBACK (on_dataset_selected), self);
  g_signal_connect (self->datasets_page, "datasets-changed", G_CALLBACK (on_datasets_changed), self);
  g_signal_connect (self->datasets_page, "rules-applied", G_CALLBACK (on_rules_applied), self);
  g_signal_connect (self->configure_page, "changed", G_CALLBACK (on_config_changed), self);
  add_shortcuts (self);
  _scalr_window_update_actions (self);
}

ScalrWindow *
scalr_window_new (AdwApplication *app, const char *db_path, const char *dataset)
{
  ScalrWindow *self = g_object_new (SCALR_TYPE_WINDOW, "application", app, NULL);
  self->db_path = g_strdup (db_path);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), db_path);
  gtk_widget_set_tooltip_text (self->window_title, db_path);
  ScalrConfigurePage *cp = SCALR_CONFIGURE_PAGE (self->configure_page);
  scalr_configure_page_set_store (cp, db_path);
  if (dataset)
    scalr_configure_page_set_value (cp, "dataset", "name", dataset, NULL);
  g_autoptr (ScalrConfig) c = scalr_configure_page_dup_config (cp);
  scalr_datasets_page_set_rules (SCALR_DATASETS_PAGE (self->datasets_page),
                                 scalr_config_get (c, "dataset", "source"), scalr_config_get (c, "dataset", "target"));
  scalr_datasets_page_set_store (SCALR_DATASETS_PAGE (self->datasets_page), db_path, dataset);
  scalr_runs_page_set_store (SCALR_RUNS_PAGE (self->runs_page), db_path);
  scalr_compare_page_set_store (SCALR_COMPARE_PAGE (self->compare_page), db_path);
  scalr_review_page_set_store (SCALR_REVIEW_PAGE (self->review_page), db_path);
  scalr_explore_page_set_store (SCALR_EXPLORE_PAGE (self->explore_page), db_path);
  scalr_explore_page_set_base_config (SCALR_EXPLORE_PAGE (self->explore_page), c);
  return self;
}
