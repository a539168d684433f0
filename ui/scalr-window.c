/* scalr-window.c — the main window: header bar, error banner, toasts, sidebar of pages.
 *
 * The window wires the pages together: the Datasets page's selection and "Use in
 * Configure" feed the Configure page's [dataset] group (and its rules feed the Datasets
 * page's statistics); win.run starts the Configure page's config on the Runs page; a
 * finished run raises a toast whose button shows it on the Review page. Every page reads
 * the store in its own worker threads. */
#include "config.h"

#include "scalr-window.h"

#include "scalr-configure-page.h"
#include "scalr-datasets-page.h"
#include "scalr-resources.h"
#include "scalr-runs-page.h"

#if __has_include("scalr-review-page.h")
#include "scalr-review-page.h"
#define HAVE_REVIEW_PAGE 1
#endif
#if __has_include("scalr-compare-page.h")
#include "scalr-compare-page.h"
#define HAVE_COMPARE_PAGE 1
#endif

struct _ScalrWindow {
  AdwApplicationWindow parent_instance;
  GtkWidget *toast_overlay;
  GtkWidget *window_title;
  GtkWidget *banner_revealer;
  GtkWidget *banner;
  GtkWidget *banner_label;
  GtkWidget *stack;
  GtkWidget *datasets_page;
  GtkWidget *configure_page;
  GtkWidget *runs_page;
  GtkWidget *review_page;    /* NULL when not built */
  GtkWidget *compare_page;   /* NULL when not built */
  char      *db_path;
  gint64     review_run_id;
  GtkNativeDialog *export_chooser;   /* owned while open */
  gint64     export_run_id;
};

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

/* ---- pages -------------------------------------------------------------------------- */

void
scalr_window_show_page (ScalrWindow *self, const char *name)
{
  g_return_if_fail (SCALR_IS_WINDOW (self));
  if (gtk_stack_get_child_by_name (GTK_STACK (self->stack), name))
    gtk_stack_set_visible_child_name (GTK_STACK (self->stack), name);
}

const char *
scalr_window_get_visible_page (ScalrWindow *self)
{
  return gtk_stack_get_visible_child_name (GTK_STACK (self->stack));
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
#ifdef HAVE_REVIEW_PAGE
  scalr_review_page_show_run (SCALR_REVIEW_PAGE (self->review_page), self->db_path, run_id);
  scalr_window_show_page (self, "review");
#else
  g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT ": the Review page is not built yet", run_id);
  scalr_window_show_toast (self, msg);
#endif
}

/* ---- actions -------------------------------------------------------------------- */

static void
import_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  ScalrWindow *self = data;
  scalr_window_show_page (self, "datasets");
  scalr_datasets_page_open_import_dialog (SCALR_DATASETS_PAGE (self->datasets_page));
}

static void
run_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  ScalrWindow *self = data;
  ScalrConfigurePage *cp = SCALR_CONFIGURE_PAGE (self->configure_page);
  const char *invalid = scalr_configure_page_get_error (cp);
  if (invalid)
    {
      g_autofree char *msg = g_strdup_printf ("The configuration has an invalid value; fix it on the Configure page first.\n%s", invalid);
      scalr_window_show_error (self, msg);
      scalr_window_show_page (self, "configure");
      return;
    }
  g_autoptr (ScalrConfig) config = scalr_configure_page_dup_config (cp);
  g_autoptr (GError) error = NULL;
  if (!scalr_runs_page_start_run (SCALR_RUNS_PAGE (self->runs_page), config, &error))
    {
      scalr_window_show_error (self, error->message);
      return;
    }
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), FALSE);
  scalr_window_show_page (self, "runs");
}

static void
on_export_response (GtkNativeDialog *dialog, int response, ScalrWindow *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path)
        scalr_runs_page_export_run (SCALR_RUNS_PAGE (self->runs_page), self->export_run_id, path);
    }
  g_clear_object (&self->export_chooser);
}

static void
export_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  ScalrWindow *self = data;
  if (self->export_chooser)
    return;
  const char *page = scalr_window_get_visible_page (self);
  gint64 run_id = 0;
  if (g_strcmp0 (page, "review") == 0)
    run_id = self->review_run_id;
  if (run_id == 0)
    run_id = scalr_runs_page_get_selected_run_id (SCALR_RUNS_PAGE (self->runs_page));
  if (run_id == 0)
    run_id = self->review_run_id;
  if (run_id == 0 && !scalr_runs_page_is_running (SCALR_RUNS_PAGE (self->runs_page)))
    run_id = scalr_runs_page_get_current_run_id (SCALR_RUNS_PAGE (self->runs_page));
  if (run_id == 0)
    {
      scalr_window_show_error (self, "Nothing to export: select a finished run on the Runs page (or review one) first.");
      return;
    }
  self->export_run_id = run_id;
  g_autofree char *title = g_strdup_printf ("Export Run %" G_GINT64_FORMAT, run_id);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (title, GTK_WINDOW (self), GTK_FILE_CHOOSER_ACTION_SAVE,
                                                               "_Export", "_Cancel");
  g_autofree char *name = g_strdup_printf ("run-%" G_GINT64_FORMAT "-synthetic.tsv", run_id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->export_chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_export_response), self);
  gtk_native_dialog_show (self->export_chooser);
}

static void
show_error_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  scalr_window_show_error (SCALR_WINDOW (data), g_variant_get_string (param, NULL));
}

static void
toast_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  scalr_window_show_toast (SCALR_WINDOW (data), g_variant_get_string (param, NULL));
}

static void
show_page_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  scalr_window_show_page (SCALR_WINDOW (data), g_variant_get_string (param, NULL));
}

static void
show_run_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  scalr_window_show_run (SCALR_WINDOW (data), g_variant_get_int64 (param));
}

static void
about_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  ScalrWindow *self = data;
  GtkWidget *about = adw_about_window_new ();
  gtk_window_set_transient_for (GTK_WINDOW (about), GTK_WINDOW (self));
  adw_about_window_set_application_name (ADW_ABOUT_WINDOW (about), "SCALR Workbench");
  adw_about_window_set_application_icon (ADW_ABOUT_WINDOW (about), "applications-science-symbolic");
  adw_about_window_set_version (ADW_ABOUT_WINDOW (about), PACKAGE_VERSION);
  adw_about_window_set_developer_name (ADW_ABOUT_WINDOW (about), "The SCALR Workbench developers");
  adw_about_window_set_comments (ADW_ABOUT_WINDOW (about),
    "A workbench for SCALR — Synthetic Cross-domain Augmentation and Learning for Recommendation: "
    "generate synthetic target-domain events from source-domain behaviour, train recommenders on them, "
    "and see what they change, with honest statistics.");
  adw_about_window_set_license_type (ADW_ABOUT_WINDOW (about), GTK_LICENSE_MIT_X11);
  adw_about_window_add_acknowledgement_section (ADW_ABOUT_WINDOW (about), "The method",
    (const char *[]) { "Wang et al., SCALR: Synthetic Cross-domain Augmentation and Learning for Recommendation, arXiv 2606.00282 (2026)", NULL });
  adw_about_window_add_legal_section (ADW_ABOUT_WINDOW (about), "MovieLens ml-latest-small (sample dataset)",
    "© GroupLens Research, University of Minnesota", GTK_LICENSE_CUSTOM,
    "The sample dataset is GroupLens' MovieLens ml-latest-small. It may be used for research and "
    "redistributed, including transformations, only under the same licence conditions, and must be credited:\n\n"
    "F. Maxwell Harper and Joseph A. Konstan. 2015. The MovieLens Datasets: History and Context. "
    "ACM Transactions on Interactive Intelligent Systems (TiiS) 5(4): 19:1–19:19. "
    "https://doi.org/10.1145/2827872\n\nSee data/movielens-small/README.md.");
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry win_actions[] = {
  { "import", import_activated, NULL, NULL, NULL },
  { "run", run_activated, NULL, NULL, NULL },
  { "export", export_activated, NULL, NULL, NULL },
  { "show-error", show_error_activated, "s", NULL, NULL },
  { "toast", toast_activated, "s", NULL, NULL },
  { "show-page", show_page_activated, "s", NULL, NULL },
  { "show-run", show_run_activated, "x", NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
};

/* ---- wiring the pages --------------------------------------------------------------- */

static void
on_running_changed (GObject *page, GParamSpec *pspec, ScalrWindow *self)
{
  GAction *run = g_action_map_lookup_action (G_ACTION_MAP (self), "run");
  g_simple_action_set_enabled (G_SIMPLE_ACTION (run), !scalr_runs_page_is_running (SCALR_RUNS_PAGE (self->runs_page)));
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
#ifdef HAVE_COMPARE_PAGE
  scalr_compare_page_set_store (SCALR_COMPARE_PAGE (self->compare_page), self->db_path);
#endif
}

static void
on_run_list_activated (ScalrRunsPage *page, gint64 run_id, ScalrWindow *self)
{
  scalr_window_show_run (self, run_id);
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
  if (group != NULL && g_strcmp0 (group, "dataset") != 0)
    return;
  g_autoptr (ScalrConfig) c = scalr_configure_page_dup_config (page);
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

/* ---- GObject ---------------------------------------------------------------------- */

static void
scalr_window_dispose (GObject *object)
{
  ScalrWindow *self = SCALR_WINDOW (object);
  if (self->export_chooser)
    gtk_native_dialog_destroy (self->export_chooser);
  g_clear_object (&self->export_chooser);
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
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-window.ui");
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, stack);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, datasets_page);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, configure_page);
  gtk_widget_class_bind_template_child (widget_class, ScalrWindow, runs_page);
}

G_GNUC_UNUSED static GtkWidget *
placeholder_page (const char *icon, const char *title, const char *description)
{
  GtkWidget *p = adw_status_page_new ();
  adw_status_page_set_icon_name (ADW_STATUS_PAGE (p), icon);
  adw_status_page_set_title (ADW_STATUS_PAGE (p), title);
  adw_status_page_set_description (ADW_STATUS_PAGE (p), description);
  return p;
}

static void
scalr_window_init (ScalrWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
  g_signal_connect (self->banner, "response", G_CALLBACK (on_banner_response), self);

  GtkWidget *review, *compare;
#ifdef HAVE_REVIEW_PAGE
  review = self->review_page = scalr_review_page_new ();
#else
  review = placeholder_page ("x-office-presentation-symbolic", "No run under review",
                             "Open a finished run from the Runs page.");
#endif
  gtk_stack_add_titled (GTK_STACK (self->stack), review, "review", "Review");
#ifdef HAVE_COMPARE_PAGE
  compare = self->compare_page = scalr_compare_page_new ();
#else
  compare = placeholder_page ("view-dual-symbolic", "Compare runs",
                              "Side-by-side comparisons of runs will appear here.");
#endif
  gtk_stack_add_titled (GTK_STACK (self->stack), compare, "compare", "Compare");

  g_signal_connect (self->runs_page, "notify::running", G_CALLBACK (on_running_changed), self);
  g_signal_connect (self->runs_page, "run-finished", G_CALLBACK (on_run_finished), self);
  g_signal_connect (self->runs_page, "run-activated", G_CALLBACK (on_run_list_activated), self);
  g_signal_connect (self->datasets_page, "dataset-selected", G_CALLBACK (on_dataset_selected), self);
  g_signal_connect (self->datasets_page, "rules-applied", G_CALLBACK (on_rules_applied), self);
  g_signal_connect (self->configure_page, "changed", G_CALLBACK (on_config_changed), self);

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
  static const char *const pages[] = { "datasets", "configure", "runs", "review", "compare" };
  for (guint k = 0; k < G_N_ELEMENTS (pages); k++)
    {
      g_autofree char *trigger = g_strdup_printf ("<Alt>%u", k + 1);
      add_shortcut (GTK_SHORTCUT_CONTROLLER (ctl), trigger, "win.show-page", g_variant_new_string (pages[k]));
    }
  gtk_widget_add_controller (GTK_WIDGET (self), ctl);
}

ScalrWindow *
scalr_window_new (AdwApplication *app, const char *db_path, const char *dataset)
{
  ScalrWindow *self = g_object_new (SCALR_TYPE_WINDOW, "application", app, NULL);
  self->db_path = g_strdup (db_path);
  adw_window_title_set_subtitle (ADW_WINDOW_TITLE (self->window_title), db_path);
  ScalrConfigurePage *cp = SCALR_CONFIGURE_PAGE (self->configure_page);
  if (dataset)
    scalr_configure_page_set_value (cp, "dataset", "name", dataset, NULL);
  g_autoptr (ScalrConfig) c = scalr_configure_page_dup_config (cp);
  scalr_datasets_page_set_rules (SCALR_DATASETS_PAGE (self->datasets_page),
                                 scalr_config_get (c, "dataset", "source"), scalr_config_get (c, "dataset", "target"));
  scalr_datasets_page_set_store (SCALR_DATASETS_PAGE (self->datasets_page), db_path, dataset);
  scalr_runs_page_set_store (SCALR_RUNS_PAGE (self->runs_page), db_path);
#ifdef HAVE_COMPARE_PAGE
  scalr_compare_page_set_store (SCALR_COMPARE_PAGE (self->compare_page), db_path);
#endif
  return self;
}
