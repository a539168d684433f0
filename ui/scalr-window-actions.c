/* scalr-window-actions.c — the window's actions (import, run, export, about, pages), which
 * of them have something to act on, and quitting while work is going: the window asks, and
 * when the user chooses to quit it cancels the work and closes once it stopped (the run is
 * kept, marked cancelled). */
#include "config.h"

#include "scalr-window-private.h"

#include "scalr-configure-page.h"
#include "scalr-datasets-page.h"
#include "scalr-estimate.h"
#include "scalr-explore-page.h"
#include "scalr-runs-page.h"

/* ---- what there is to act on ------------------------------------------------------- */

gboolean
_scalr_window_is_working (ScalrWindow *self)
{
  return scalr_runs_page_is_running (SCALR_RUNS_PAGE (self->runs_page))
         || scalr_explore_page_is_running (SCALR_EXPLORE_PAGE (self->explore_page));
}

gint64
_scalr_window_export_target (ScalrWindow *self)
{
  const char *page = scalr_window_get_visible_page (self);
  ScalrRunsPage *runs = SCALR_RUNS_PAGE (self->runs_page);
  if (g_strcmp0 (page, "review") == 0 && self->review_run_id > 0)
    return self->review_run_id;
  gint64 selected = scalr_runs_page_get_selected_finished_run_id (runs);
  if (selected > 0)
    return selected;
  return self->review_run_id;
}

void
_scalr_window_update_actions (ScalrWindow *self)
{
  GAction *run = g_action_map_lookup_action (G_ACTION_MAP (self), "run");
  GAction *export = g_action_map_lookup_action (G_ACTION_MAP (self), "export");
  if (run == NULL || export == NULL)
    return;
  gboolean have_data = scalr_datasets_page_get_n_datasets (SCALR_DATASETS_PAGE (self->datasets_page)) > 0;
  g_simple_action_set_enabled (G_SIMPLE_ACTION (run), have_data && !self->estimating && !_scalr_window_is_working (self));
  g_simple_action_set_enabled (G_SIMPLE_ACTION (export), _scalr_window_export_target (self) > 0);
}

/* ---- actions -------------------------------------------------------------------- */

static void
import_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  ScalrWindow *self = data;
  scalr_window_show_page (self, "datasets");
  scalr_datasets_page_open_import_dialog (SCALR_DATASETS_PAGE (self->datasets_page));
}

/* Starting a run: its cost is estimated first (a thread reads the dataset's size from the
 * store); past the threshold of scalr-estimate.h the window asks before it starts. */
typedef struct {
  char        *db_path;
  ScalrConfig *config;
  char        *name;
  ScalrEstimate estimate;
} StartRun;

static void
start_run_free (StartRun *s)
{
  g_free (s->db_path);
  scalr_config_free (s->config);
  g_free (s->name);
  scalr_estimate_clear (&s->estimate);
  g_free (s);
}

static void
start_now (ScalrWindow *self, StartRun *s)
{
  g_autoptr (GError) error = NULL;
  if (!scalr_runs_page_start_run (SCALR_RUNS_PAGE (self->runs_page), s->config, s->name, &error))
    {
      scalr_window_show_error (self, error->message);
      return;
    }
  scalr_configure_page_run_started (SCALR_CONFIGURE_PAGE (self->configure_page));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->banner_revealer), FALSE);
  scalr_window_show_page (self, "runs");
}

static void
estimate_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  StartRun *s = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (s->db_path, SCALR_STORE_OPEN_READ_ONLY, &error);
  /* No estimate (a dataset that does not exist …): the run itself says what is wrong. */
  if (store == NULL || !scalr_estimate_run (store, s->config, 1, &s->estimate, &error))
    scalr_estimate_clear (&s->estimate);
  g_task_return_boolean (task, TRUE);
}

static void
on_confirm_response (AdwMessageDialog *dialog, const char *response, ScalrWindow *self)
{
  StartRun *s = g_object_get_data (G_OBJECT (dialog), "start");
  if (g_strcmp0 (response, "start") == 0)
    start_now (self, s);
}

static void
estimate_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrWindow *self = SCALR_WINDOW (source);
  StartRun *s = g_task_get_task_data (G_TASK (res));
  self->estimating = FALSE;
  _scalr_window_update_actions (self);
  if (!scalr_estimate_needs_confirmation (&s->estimate))
    {
      start_now (self, s);
      return;
    }
  g_autofree char *what = scalr_estimate_describe (&s->estimate);
  GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (self), "Start a Long Run?", NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "This run needs %s. It runs in the background "
                                  "and can be cancelled; lower the setting named to make it cheaper.", what);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", "start", "_Start Anyway", NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  /* The dialog keeps the request until it closes. */
  g_object_set_data_full (G_OBJECT (dialog), "start", g_task_get_task_data (G_TASK (res)), NULL);
  g_object_set_data_full (G_OBJECT (dialog), "task", g_object_ref (res), g_object_unref);
  g_signal_connect (dialog, "response", G_CALLBACK (on_confirm_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
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
  if (self->estimating)
    return;
  StartRun *s = g_new0 (StartRun, 1);
  s->db_path = g_strdup (self->db_path);
  s->config = scalr_configure_page_dup_config (cp);
  s->name = scalr_configure_page_dup_run_name (cp);
  self->estimating = TRUE;
  _scalr_window_update_actions (self);
  g_autoptr (GTask) task = g_task_new (self, NULL, estimate_done, NULL);
  g_task_set_task_data (task, s, (GDestroyNotify) start_run_free);
  g_task_run_in_thread (task, estimate_worker);
}

gboolean
scalr_window_is_starting (ScalrWindow *self)
{
  g_return_val_if_fail (SCALR_IS_WINDOW (self), FALSE);
  return self->estimating;
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
  gint64 run_id = _scalr_window_export_target (self);
  if (self->export_chooser || run_id <= 0)
    return;   /* the action is disabled then; a shortcut may still arrive */
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

/* A tuned run's trials and selection on the Explore page. */
static void
show_search_activated (GSimpleAction *action, GVariant *param, gpointer data)
{
  ScalrWindow *self = data;
  scalr_window_show_page (self, "explore");
  scalr_explore_page_show_tuning (SCALR_EXPLORE_PAGE (self->explore_page), g_variant_get_int64 (param));
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
  { "show-search", show_search_activated, "x", NULL, NULL },
  { "about", about_activated, NULL, NULL, NULL },
};

void
_scalr_window_add_actions (ScalrWindow *self)
{
  g_action_map_add_action_entries (G_ACTION_MAP (self), win_actions, G_N_ELEMENTS (win_actions), self);
}

/* ---- quitting ------------------------------------------------------------------------ */

static void
stop_work (ScalrWindow *self)
{
  scalr_runs_page_cancel (SCALR_RUNS_PAGE (self->runs_page));
  scalr_explore_page_cancel (SCALR_EXPLORE_PAGE (self->explore_page));
}

static void
on_quit_response (AdwMessageDialog *dialog, const char *response, ScalrWindow *self)
{
  self->quit_dialog = NULL;
  if (g_strcmp0 (response, "quit") != 0)
    return;
  if (!_scalr_window_is_working (self))
    {
      gtk_window_destroy (GTK_WINDOW (self));
      return;
    }
  self->quit_when_stopped = TRUE;
  scalr_window_show_error (self, "Cancelling before quitting… The run is kept in the store, marked cancelled.");
  gtk_widget_set_sensitive (self->leaflet, FALSE);
  stop_work (self);
}

gboolean
_scalr_window_on_close_request (GtkWindow *window, gpointer data)
{
  ScalrWindow *self = SCALR_WINDOW (window);
  if (!_scalr_window_is_working (self))
    return FALSE;   /* close */
  if (self->quit_when_stopped || self->quit_dialog)
    return TRUE;    /* already asked */
  const char *what = scalr_explore_page_is_running (SCALR_EXPLORE_PAGE (self->explore_page))
                     ? "A sweep or search is going" : "A run is going";
  GtkWidget *dialog = adw_message_dialog_new (window, "Quit and Cancel the Run?", NULL);
  adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog),
                                  "%s. Quitting cancels it: what it finished stays in the store and the run "
                                  "is marked cancelled.", what);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "keep", "_Keep Running", "quit",
                                    "_Cancel Run and Quit", NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "quit", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "keep");
  g_signal_connect (dialog, "response", G_CALLBACK (on_quit_response), self);
  self->quit_dialog = dialog;
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;   /* not yet */
}

static gboolean
destroy_idle (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

void
_scalr_window_work_stopped (ScalrWindow *self)
{
  if (!self->quit_when_stopped || _scalr_window_is_working (self))
    return;
  self->quit_when_stopped = FALSE;
  /* From an idle: the page that reported the end is still in its callback. */
  g_idle_add_full (G_PRIORITY_DEFAULT, destroy_idle, g_object_ref (self), g_object_unref);
}

GtkWidget *
scalr_window_get_quit_dialog (ScalrWindow *self)
{
  g_return_val_if_fail (SCALR_IS_WINDOW (self), NULL);
  return self->quit_dialog;
}
