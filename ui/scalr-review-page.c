/* scalr-review-page.c — one run under review.
 *
 * Loading: show_run copies its inputs into a GTask that opens its own store connection and
 * reads everything the page shows (ScalrRunResults) and builds the charts; the main thread
 * then only fills widgets. The user lens rebuilds the run's split once per run (also in a
 * thread) and keeps it, so picking another user is instant. A new run or dispose cancels
 * whatever is still loading, and results of a cancelled load are dropped.
 *
 * This file: loading, the header, actions and the life cycle. The cards, lift forest and
 * metric table are in scalr-review-metrics.c, the user lens in scalr-review-lens.c. */
#include "config.h"

#include "scalr-review-page-private.h"

#include "scalr-run-data.h"

#include "scalr-chart-view.h"
#include "scalr-charts.h"
#include "scalr-report.h"
#include "scalr-resources.h"
#include "scalr-store.h"
#include "scalr-ui-util.h"

/* ---- the page ------------------------------------------------------------------------- */

G_DEFINE_FINAL_TYPE (ScalrReviewPage, scalr_review_page, GTK_TYPE_WIDGET)

enum { SIGNAL_RUN_LOADED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void select_in_switcher (ScalrReviewPage *self);

/* ---- loading a run -------------------------------------------------------------------- */

typedef struct {
  char  *db_path;
  gint64 run_id;
} LoadInput;

typedef struct {
  ScalrRunResults *results;
  ScalrPlot       *rank, *activity, *buckets, *reliability, *mix;
  gboolean         tuned;   /* the run stored a search's trials (scalr tune) */
} LoadResult;

static void
load_input_free (LoadInput *in)
{
  g_free (in->db_path);
  g_free (in);
}

static void
load_result_free (LoadResult *r)
{
  g_clear_pointer (&r->results, scalr_run_results_free);
  g_clear_pointer (&r->rank, scalr_plot_free);
  g_clear_pointer (&r->activity, scalr_plot_free);
  g_clear_pointer (&r->buckets, scalr_plot_free);
  g_clear_pointer (&r->reliability, scalr_plot_free);
  g_clear_pointer (&r->mix, scalr_plot_free);
  g_free (r);
}

static void
load_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LoadInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  ScalrRunResults *results = scalr_run_results_load (store, in->run_id, FALSE, &error);
  if (results == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    {
      scalr_run_results_free (results);
      return;
    }
  LoadResult *r = g_new0 (LoadResult, 1);
  r->results = results;
  g_autoptr (JsonNode) tuning = scalr_run_load_document (store, in->run_id, "summary", "tuning", NULL);
  r->tuned = tuning != NULL;
  if (results->diag)
    {
      r->rank = scalr_charts_rank_frequency (results->diag);
      r->activity = scalr_charts_activity (results->diag);
      r->buckets = scalr_charts_buckets (results->diag);
      r->reliability = scalr_charts_reliability (results->diag);
      r->mix = scalr_charts_category_mix (results->diag);
    }
  g_task_return_pointer (task, r, (GDestroyNotify) load_result_free);
}

static void
fill_header (ScalrReviewPage *self)
{
  const ScalrRunResults *r = self->results;
  g_autofree char *title = scalr_run_results_dup_title (r);
  gtk_label_set_text (GTK_LABEL (self->title_label), title);
  const char *status = scalr_run_status_to_string (r->info->status);
  gtk_label_set_text (GTK_LABEL (self->status_label), status);
  const char *classes[] = { "success", "error", "warning", "accent" };
  for (guint i = 0; i < G_N_ELEMENTS (classes); i++)
    gtk_widget_remove_css_class (self->status_label, classes[i]);
  gtk_widget_add_css_class (self->status_label,
                            r->info->status == SCALR_RUN_FINISHED ? "success"
                            : r->info->status == SCALR_RUN_FAILED ? "error"
                            : r->info->status == SCALR_RUN_RUNNING ? "accent" : "warning");
  g_autofree char *created = g_strndup (r->info->created_at ? r->info->created_at : "", 16);
  for (char *p = created; *p; p++)
    if (*p == 'T')
      *p = ' ';
  g_autofree char *sub = g_strdup_printf ("Dataset %s · created %s UTC · seed %" G_GUINT64_FORMAT " · code %s%s%s",
                                          r->info->dataset, created, r->info->seed,
                                          r->info->code_version ? r->info->code_version : "?",
                                          r->info->error ? " · error: " : "", r->info->error ? r->info->error : "");
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), sub);
  /* One compact line of the key config (labels dropped); every line in the tooltip. */
  g_auto (GStrv) lines = scalr_run_results_config_lines (r);
  g_autoptr (GStrvBuilder) vals = g_strv_builder_new ();
  for (guint i = 0; lines[i] && i < 3; i++)
    {
      const char *colon = strstr (lines[i], ": ");
      g_strv_builder_add (vals, colon ? colon + 2 : lines[i]);
    }
  g_auto (GStrv) short_lines = g_strv_builder_end (vals);
  g_autofree char *joined = g_strjoinv ("  ·  ", short_lines);
  /* "τ = 0.803" never breaks across lines: non-breaking spaces around the sign. */
  g_auto (GStrv) parts = g_strsplit (joined, " = ", -1);
  g_autofree char *cfg = g_strjoinv ("\u00a0=\u00a0", parts);
  g_autofree char *tip = g_strjoinv ("\n", lines);
  gtk_label_set_text (GTK_LABEL (self->config_label), cfg);
  gtk_widget_set_tooltip_text (self->config_label, tip);
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (source);
  g_autoptr (GError) error = NULL;
  LoadResult *r = g_task_propagate_pointer (G_TASK (res), &error);
  if (r == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;   /* a newer run was asked for (or the page went away) */
      self->loaded = TRUE;
      gtk_spinner_stop (GTK_SPINNER (self->spinner));
      adw_status_page_set_description (ADW_STATUS_PAGE (self->error_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "error");
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      load_result_free (r);
      return;
    }
  g_list_store_remove_all (self->lift_store);   /* its rows borrow the old results' strings */
  g_clear_pointer (&self->results, scalr_run_results_free);
  self->results = g_steal_pointer (&r->results);
  const char *no_diag = "No diagnostics stored for this run";
  struct { GtkWidget *view; ScalrPlot **plot; const char *empty; } charts[] = {
    { self->rank_view, &r->rank, no_diag },
    { self->activity_view, &r->activity, no_diag },
    { self->buckets_view, &r->buckets, "No popularity buckets (sampler.align_buckets = 0)" },
    { self->reliability_view, &r->reliability, "Calibration was not measured for this generator" },
    { self->mix_view, &r->mix, "No category mix (the dataset has no item categories)" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (charts[i].view), charts[i].empty);
      scalr_chart_view_set_plot (SCALR_CHART_VIEW (charts[i].view), g_steal_pointer (charts[i].plot));
    }
  /* A tuned run's trials are on the Explore page. */
  gtk_widget_set_visible (self->search_button, r->tuned);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->search_button), g_variant_new_int64 (self->run_id));
  gtk_actionable_set_action_name (GTK_ACTIONABLE (self->search_button), "win.show-search");
  load_result_free (r);
  fill_header (self);
  _scalr_review_page_fill_cards (self);
  _scalr_review_page_fill_forest_controls (self);
  _scalr_review_page_fill_table (self);
  gboolean finished = self->results->info->status == SCALR_RUN_FINISHED;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-report", finished);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-lifts", self->results->lifts->len > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.present", TRUE);
  self->loaded = TRUE;
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "content");
  _scalr_review_page_reset_scroll (self);
  select_in_switcher (self);
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack)), "lens") == 0)
    _scalr_review_page_lens_start (self);
  g_signal_emit (self, signals[SIGNAL_RUN_LOADED], 0, self->run_id);
}

/* Every scrolled view of the page back to its top (a new run starts at the top). */
static void
reset_scroll_in (GtkWidget *w)
{
  if (GTK_IS_SCROLLED_WINDOW (w))
    {
      GtkAdjustment *v = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (w));
      GtkAdjustment *h = gtk_scrolled_window_get_hadjustment (GTK_SCROLLED_WINDOW (w));
      gtk_adjustment_set_value (v, gtk_adjustment_get_lower (v));
      gtk_adjustment_set_value (h, gtk_adjustment_get_lower (h));
    }
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    reset_scroll_in (c);
}

void
_scalr_review_page_reset_scroll (ScalrReviewPage *self)
{
  reset_scroll_in (self->view_stack);
}

/* ---- the run switcher ------------------------------------------------------------------ */

typedef struct {
  GArray    *ids;      /* gint64, newest first */
  GPtrArray *titles;   /* char* */
} RunList;

static void
run_list_free (RunList *l)
{
  g_array_unref (l->ids);
  g_ptr_array_unref (l->titles);
  g_free (l);
}

static void
list_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (data, SCALR_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GPtrArray) runs = store ? scalr_store_list_runs (store, &error) : NULL;
  if (runs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  RunList *l = g_new0 (RunList, 1);
  l->ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  l->titles = g_ptr_array_new_with_free_func (g_free);
  for (guint k = runs->len; k-- > 0;)
    {
      const ScalrRunInfo *r = g_ptr_array_index (runs, k);
      if (r->status != SCALR_RUN_FINISHED)
        continue;
      g_array_append_val (l->ids, r->id);
      g_ptr_array_add (l->titles, r->name ? g_strdup_printf ("Run %" G_GINT64_FORMAT " · %s", r->id, r->name)
                                          : g_strdup_printf ("Run %" G_GINT64_FORMAT, r->id));
    }
  g_ptr_array_add (l->titles, NULL);
  g_task_return_pointer (task, l, (GDestroyNotify) run_list_free);
}

static void
select_in_switcher (ScalrReviewPage *self)
{
  self->updating = TRUE;
  guint pos = GTK_INVALID_LIST_POSITION;
  for (guint k = 0; self->run_ids && k < self->run_ids->len; k++)
    if (g_array_index (self->run_ids, gint64, k) == self->run_id)
      pos = k;
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->run_dropdown), pos);
  self->updating = FALSE;
}

static void
list_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (source);
  RunList *l = g_task_propagate_pointer (G_TASK (res), NULL);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      if (l)
        run_list_free (l);
      return;
    }
  self->listing = FALSE;
  if (l == NULL)
    return;
  g_clear_pointer (&self->run_ids, g_array_unref);
  self->run_ids = g_array_ref (l->ids);
  g_autoptr (GtkStringList) model = gtk_string_list_new ((const char *const *) l->titles->pdata);
  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->run_dropdown), G_LIST_MODEL (model));
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->run_dropdown, l->ids->len > 1);
  gboolean shown = FALSE;
  for (guint k = 0; k < l->ids->len; k++)
    shown |= g_array_index (l->ids, gint64, k) == self->run_id;
  if (self->run_id == 0 && l->ids->len > 0)
    scalr_review_page_show_run (self, self->db_path, g_array_index (l->ids, gint64, 0));   /* the latest */
  else if (self->run_id != 0 && !shown && self->loaded)
    {
      /* The run under review was deleted. */
      if (l->ids->len > 0)
        scalr_review_page_show_run (self, self->db_path, g_array_index (l->ids, gint64, 0));
      else
        {
          self->run_id = 0;
          gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
        }
    }
  else
    select_in_switcher (self);
  run_list_free (l);
}

void
scalr_review_page_set_store (ScalrReviewPage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_REVIEW_PAGE (self));
  if (g_strcmp0 (self->db_path, db_path) != 0)
    {
      g_free (self->db_path);
      self->db_path = g_strdup (db_path);
    }
  g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  self->listing = TRUE;
  g_autoptr (GTask) task = g_task_new (self, self->list_cancellable, list_done, NULL);
  g_task_set_task_data (task, g_strdup (db_path), g_free);
  g_task_run_in_thread (task, list_worker);
}

gint64
scalr_review_page_get_run_id (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), 0);
  return self->run_id;
}

static void
on_run_switched (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self)
{
  guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->run_dropdown));
  if (self->updating || self->run_ids == NULL || pos >= self->run_ids->len)
    return;
  gint64 id = g_array_index (self->run_ids, gint64, pos);
  if (id != self->run_id)
    scalr_review_page_show_run (self, self->db_path, id);
}

void
scalr_review_page_show_run (ScalrReviewPage *self, const char *db_path, gint64 run_id)
{
  g_return_if_fail (SCALR_IS_REVIEW_PAGE (self));
  g_return_if_fail (db_path != NULL && run_id > 0);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  char *path = g_strdup (db_path);   /* @db_path may be self->db_path */
  g_free (self->db_path);
  self->db_path = path;
  self->run_id = run_id;
  self->loaded = FALSE;
  self->last_chart = NULL;
  g_list_store_remove_all (self->lift_store);
  g_clear_pointer (&self->results, scalr_run_results_free);
  _scalr_review_page_clear_lens (self);
  GtkWidget *views[] = { self->rank_view, self->activity_view, self->buckets_view, self->reliability_view, self->mix_view,
                         self->forest_view, self->forest_own_view };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    scalr_chart_view_set_plot (SCALR_CHART_VIEW (views[i]), NULL);
  g_list_store_remove_all (self->metric_store);
  g_autofree char *msg = g_strdup_printf ("Loading run %" G_GINT64_FORMAT "…", run_id);
  gtk_label_set_text (GTK_LABEL (self->loading_label), msg);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");

  LoadInput *in = g_new0 (LoadInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->run_id = run_id;
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, scalr_review_page_show_run);
  g_task_set_task_data (task, in, (GDestroyNotify) load_input_free);
  g_task_run_in_thread (task, load_worker);
}

gboolean
scalr_review_page_is_loaded (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), FALSE);
  return self->loaded && !self->listing;
}

guint
scalr_review_page_get_n_charts (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), 0);
  GtkWidget *views[] = { self->rank_view, self->activity_view, self->buckets_view, self->reliability_view, self->mix_view,
                         self->forest_view, self->forest_own_view };
  guint n = 0;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    n += scalr_chart_view_get_plot (SCALR_CHART_VIEW (views[i])) != NULL;
  return n;
}

/* ---- actions -------------------------------------------------------------------------- */

static GtkWidget *
current_chart (ScalrReviewPage *self)
{
  const char *view = adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack));
  gboolean forest = self->last_chart == self->forest_view || self->last_chart == self->forest_own_view;
  if (g_strcmp0 (view, "lifts") == 0)
    return forest ? self->last_chart : self->forest_view;
  if (self->last_chart && !forest)
    return self->last_chart;
  return self->rank_view;
}

static void
present_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (widget);
  GtkWidget *chart = current_chart (self);
  if (chart && scalr_chart_view_get_plot (SCALR_CHART_VIEW (chart)))
    scalr_chart_view_present (SCALR_CHART_VIEW (chart));
}

static void
on_chart_pressed (GtkGestureClick *gesture, int n, double x, double y, ScalrReviewPage *self)
{
  self->last_chart = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (gesture));
}

static void
on_chart_focus (GtkEventControllerFocus *ctl, ScalrReviewPage *self)
{
  self->last_chart = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (ctl));
}

typedef struct {
  char             *db_path, *path;
  gint64            run_id;
  ScalrReportFormat format;
} ReportInput;

static void
report_input_free (ReportInput *in)
{
  g_free (in->db_path);
  g_free (in->path);
  g_free (in);
}

static void
report_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ReportInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  guint pages = 0;
  if (store == NULL || !scalr_report_write_full (store, in->run_id, in->path, in->format, NULL, &pages, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, pages);
}

static void
report_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (source);
  ReportInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gssize pages = g_task_propagate_int (G_TASK (res), &error);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-report", TRUE);
  if (pages < 0)
    {
      GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
      if (root)
        gtk_widget_activate_action (GTK_WIDGET (root), "win.show-error", "s", error->message);
      adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), adw_toast_new ("The report could not be written"));
      return;
    }
  g_autofree char *base = g_path_get_basename (in->path);
  g_autofree char *msg = in->format == SCALR_REPORT_PDF
    ? g_strdup_printf ("Report written: %s (%zd pages)", base, pages)
    : g_strdup_printf ("%zd charts written next to %s", pages, base);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), adw_toast_new (msg));
}

static void
report_response (GtkNativeDialog *dialog, int response, ScalrReviewPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT && self->results)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      ReportInput *in = g_new0 (ReportInput, 1);
      in->db_path = g_strdup (self->db_path);
      in->path = g_file_get_path (file);
      in->run_id = self->results->info->id;
      in->format = g_str_has_suffix (in->path, ".png") ? SCALR_REPORT_PNG
                   : g_str_has_suffix (in->path, ".svg") ? SCALR_REPORT_SVG : SCALR_REPORT_PDF;
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-report", FALSE);
      g_autoptr (GTask) task = g_task_new (self, NULL, report_done, NULL);
      g_task_set_task_data (task, in, (GDestroyNotify) report_input_free);
      g_task_run_in_thread (task, report_worker);
    }
  gtk_native_dialog_destroy (dialog);
  g_object_unref (dialog);
  g_object_unref (self);
}

static void
export_report_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (widget);
  if (self->results == NULL)
    return;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *dialog = gtk_file_chooser_native_new ("Save Report", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                              GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  g_autofree char *name = g_strdup_printf ("run-%" G_GINT64_FORMAT "-report.pdf", self->results->info->id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (dialog), name);
  g_signal_connect (dialog, "response", G_CALLBACK (report_response), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

/* ---- life cycle ----------------------------------------------------------------------- */

static void
scalr_review_page_dispose (GObject *object)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (object);
  g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->list_cancellable);
  self->last_chart = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_REVIEW_PAGE);
  G_OBJECT_CLASS (scalr_review_page_parent_class)->dispose (object);
}

static void
scalr_review_page_finalize (GObject *object)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->list_cancellable);
  g_clear_pointer (&self->run_ids, g_array_unref);
  g_clear_pointer (&self->results, scalr_run_results_free);
  g_clear_pointer (&self->lens, _scalr_review_lens_data_free);
  g_clear_object (&self->metric_store);
  g_clear_object (&self->metric_filter);
  g_clear_object (&self->lift_store);
  g_clear_object (&self->user_store);
  g_clear_object (&self->user_filter);
  g_clear_object (&self->user_selection);
  g_clear_pointer (&self->segment_ids, g_ptr_array_unref);
  g_clear_pointer (&self->metric_ids, g_ptr_array_unref);
  g_clear_pointer (&self->k_values, g_array_unref);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_review_page_parent_class)->finalize (object);
}

static void
scalr_review_page_class_init (ScalrReviewPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GResource *bundle = scalr_get_resource ();   /* links the resource bundle in */
  (void) bundle;
  g_type_ensure (SCALR_TYPE_CHART_VIEW);
  object_class->dispose = scalr_review_page_dispose;
  object_class->finalize = scalr_review_page_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-review-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, ScalrReviewPage, name)
  CHILD (toast_overlay);
  CHILD (search_button);
  CHILD (stack);
  CHILD (spinner);
  CHILD (loading_label);
  CHILD (error_page);
  CHILD (title_label);
  CHILD (status_label);
  CHILD (subtitle_label);
  CHILD (config_label);
  CHILD (run_dropdown);
  CHILD (view_stack);
  CHILD (cards);
  CHILD (chart_grid);
  CHILD (rank_view);
  CHILD (activity_view);
  CHILD (buckets_view);
  CHILD (reliability_view);
  CHILD (mix_view);
  CHILD (forest_view);
  CHILD (forest_own_view);
  CHILD (segment_dropdown);
  CHILD (metric_dropdown);
  CHILD (k_dropdown);
  CHILD (k_label);
  CHILD (lift_table);
  CHILD (lift_caption);
  CHILD (copy_lifts_button);
  CHILD (export_lifts_button);
  CHILD (table_search);
  CHILD (metric_table);
  CHILD (table_caption);
  CHILD (lens_search);
  CHILD (lens_model_dropdown);
  CHILD (lens_spinner);
  CHILD (lens_status);
  CHILD (user_table);
  CHILD (lens_lists);
  CHILD (source_heading);
  CHILD (train_heading);
  CHILD (synthetic_heading);
  CHILD (recs_heading);
  CHILD (test_heading);
  CHILD (source_list);
  CHILD (train_list);
  CHILD (synthetic_list);
  CHILD (recs_list);
  CHILD (test_list);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "review.present", NULL, present_action);
  gtk_widget_class_install_action (widget_class, "review.export-report", NULL, export_report_action);
  _scalr_review_page_install_lift_actions (widget_class);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "review.present", NULL);
  gtk_widget_class_set_css_name (widget_class, "reviewpage");
  /* (run id) a run was shown */
  signals[SIGNAL_RUN_LOADED] = g_signal_new ("run-loaded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                             NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
}

static void
scalr_review_page_init (ScalrReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->segment_ids = g_ptr_array_new_with_free_func (g_free);
  self->metric_ids = g_ptr_array_new_with_free_func (g_free);
  self->k_values = g_array_new (FALSE, FALSE, sizeof (guint));
  _scalr_review_page_setup_table (self);
  _scalr_review_page_setup_lift_table (self);
  _scalr_review_page_setup_lens (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-report", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.copy-lifts", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-lifts", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.present", FALSE);

  GtkWidget *views[] = { self->rank_view, self->activity_view, self->buckets_view, self->reliability_view, self->mix_view,
                         self->forest_view, self->forest_own_view };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    {
      GtkGesture *click = gtk_gesture_click_new ();
      gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), 0);
      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (click), GTK_PHASE_CAPTURE);
      g_signal_connect (click, "pressed", G_CALLBACK (on_chart_pressed), self);
      gtk_widget_add_controller (views[i], GTK_EVENT_CONTROLLER (click));
      GtkEventController *focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "enter", G_CALLBACK (on_chart_focus), self);
      gtk_widget_add_controller (views[i], focus);
    }

  g_signal_connect (self->segment_dropdown, "notify::selected", G_CALLBACK (_scalr_review_page_on_forest_choice), self);
  scalr_drop_down_set_short_button (GTK_DROP_DOWN (self->run_dropdown), 10);
  g_signal_connect (self->run_dropdown, "notify::selected", G_CALLBACK (on_run_switched), self);
  g_signal_connect (self->metric_dropdown, "notify::selected", G_CALLBACK (_scalr_review_page_on_forest_choice), self);
  g_signal_connect (self->k_dropdown, "notify::selected", G_CALLBACK (_scalr_review_page_on_forest_choice), self);
  g_signal_connect (self->view_stack, "notify::visible-child-name", G_CALLBACK (_scalr_review_page_on_view_changed), self);
}

GtkWidget *
scalr_review_page_new (void)
{
  return g_object_new (SCALR_TYPE_REVIEW_PAGE, NULL);
}
