/* scalr-runs-progress.c — running the pipeline in a worker thread with a progress bar per
 * stage, an elapsed-time clock and Cancel. Progress comes back through a ScalrProgressRelay
 * (one coalesced idle source). */
#include "config.h"

#include "scalr-runs-page-private.h"

#include "scalr-pipeline.h"
#include "scalr-run-set.h"

typedef struct {
  char      *stage;
  GtkWidget *name;
  GtkWidget *bar;
  GtkWidget *message;
} StageRow;

static void
stage_row_free (gpointer data)
{
  StageRow *r = data;
  g_free (r->stage);
  g_free (r);
}

typedef struct {
  char          *db_path;
  ScalrConfig   *config;
  char          *name;
  ScalrProgress *progress;
} RunInput;

typedef struct {
  gint64  run_id;
  GError *error;   /* NULL: finished */
} RunOutput;

static void
run_input_free (RunInput *in)
{
  g_free (in->db_path);
  scalr_config_free (in->config);
  g_free (in->name);
  scalr_progress_free (in->progress);
  g_free (in);
}

static void
run_output_free (RunOutput *out)
{
  g_clear_error (&out->error);
  g_free (out);
}

static void
run_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RunInput *in = data;
  RunOutput *out = g_new0 (RunOutput, 1);
  g_autoptr (ScalrPipeline) p = scalr_pipeline_new (in->db_path, in->config, in->name);
  scalr_pipeline_run (p, in->progress, cancellable, &out->run_id, &out->error);
  g_task_return_pointer (task, out, (GDestroyNotify) run_output_free);
}

static StageRow *
stage_row_get (ScalrRunsPage *self, const char *stage)
{
  for (guint k = 0; k < self->stage_rows->len; k++)
    {
      StageRow *r = g_ptr_array_index (self->stage_rows, k);
      if (g_strcmp0 (r->stage, stage) == 0)
        return r;
    }
  /* A new stage: the earlier ones are done. */
  for (guint k = 0; k < self->stage_rows->len; k++)
    {
      StageRow *r = g_ptr_array_index (self->stage_rows, k);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (r->bar), 1.0);
      gtk_widget_add_css_class (r->name, "dim-label");
    }
  StageRow *r = g_new0 (StageRow, 1);
  r->stage = g_strdup (stage);
  g_autofree char *title = g_strdup (stage);
  title[0] = g_ascii_toupper (title[0]);
  r->name = gtk_label_new (title);
  gtk_label_set_xalign (GTK_LABEL (r->name), 0);
  gtk_label_set_width_chars (GTK_LABEL (r->name), 11);
  r->bar = gtk_progress_bar_new ();
  gtk_widget_set_hexpand (r->bar, TRUE);
  gtk_widget_set_valign (r->bar, GTK_ALIGN_CENTER);
  r->message = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (r->message), 0);
  gtk_label_set_ellipsize (GTK_LABEL (r->message), PANGO_ELLIPSIZE_END);
  /* Ellipsized to fit: narrow windows share the width with the bar. */
  gtk_label_set_width_chars (GTK_LABEL (r->message), 16);
  gtk_label_set_max_width_chars (GTK_LABEL (r->message), 44);
  gtk_widget_set_hexpand (r->message, TRUE);
  gtk_widget_add_css_class (r->message, "dim-label");
  int row = (int) self->stage_rows->len;
  gtk_grid_attach (GTK_GRID (self->stage_grid), r->name, 0, row, 1, 1);
  gtk_grid_attach (GTK_GRID (self->stage_grid), r->bar, 1, row, 1, 1);
  gtk_grid_attach (GTK_GRID (self->stage_grid), r->message, 2, row, 1, 1);
  g_ptr_array_add (self->stage_rows, r);
  return r;
}

static void
clear_stage_rows (ScalrRunsPage *self)
{
  for (guint k = 0; k < self->stage_rows->len; k++)
    {
      StageRow *r = g_ptr_array_index (self->stage_rows, k);
      gtk_grid_remove (GTK_GRID (self->stage_grid), r->name);
      gtk_grid_remove (GTK_GRID (self->stage_grid), r->bar);
      gtk_grid_remove (GTK_GRID (self->stage_grid), r->message);
    }
  g_ptr_array_set_size (self->stage_rows, 0);
}

/* Main thread (from the relay). */
static void
on_run_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  ScalrRunsPage *self = data;
  gboolean first = self->stage_rows->len == 0;
  StageRow *r = stage_row_get (self, stage ? stage : "run");
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (r->bar), CLAMP (fraction, 0.0, 1.0));
  gtk_label_set_text (GTK_LABEL (r->message), message ? message : "");
  gtk_widget_set_tooltip_text (r->message, message);
  /* The store has the run from the first stage on: list it as running. */
  if (first)
    scalr_runs_page_refresh (self);
}

static void
update_elapsed (ScalrRunsPage *self)
{
  double s = self->run_timer ? g_timer_elapsed (self->run_timer, NULL) : 0;
  g_autofree char *text = g_strdup_printf ("%d:%02d", (int) s / 60, (int) s % 60);
  gtk_label_set_text (GTK_LABEL (self->elapsed_label), text);
}

static gboolean
on_tick (gpointer data)
{
  update_elapsed (SCALR_RUNS_PAGE (data));
  return G_SOURCE_CONTINUE;
}

static void
update_cancel (ScalrRunsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.cancel", self->run_cancellable != NULL && !self->cancelling);
}

static void
run_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (source);
  RunOutput *out = g_task_propagate_pointer (G_TASK (res), NULL);
  scalr_progress_relay_detach (self->relay);
  g_clear_pointer (&self->relay, scalr_progress_relay_unref);
  g_clear_object (&self->run_cancellable);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->disposed)
    {
      if (out)
        run_output_free (out);
      return;
    }
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  self->cancelling = FALSE;
  update_cancel (self);
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), FALSE);

  ScalrRunStatus status = SCALR_RUN_FINISHED;
  const char *message = NULL;
  gint64 run_id = out ? out->run_id : 0;
  if (out == NULL || out->error)
    {
      gboolean cancelled = out && g_error_matches (out->error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
      status = cancelled ? SCALR_RUN_CANCELLED : SCALR_RUN_FAILED;
      message = out ? out->error->message : "the run ended without a result";
    }
  if (run_id)
    self->current_run_id = run_id;
  scalr_runs_page_refresh (self);
  g_object_notify_by_pspec (G_OBJECT (self), _scalr_runs_page_props[RUNS_PROP_RUNNING]);
  g_signal_emit (self, _scalr_runs_page_signals[RUNS_SIGNAL_RUN_FINISHED], 0, run_id, (int) status, message);
  if (out)
    run_output_free (out);
}

gboolean
scalr_runs_page_start_run (ScalrRunsPage *self, const ScalrConfig *config, const char *name, GError **error)
{
  g_return_val_if_fail (SCALR_IS_RUNS_PAGE (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);
  if (self->run_cancellable)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY,
                           "A run is going: wait for it or cancel it before starting another");
      return FALSE;
    }
  if (self->db_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "No store is open");
      return FALSE;
    }
  RunInput *in = g_new0 (RunInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->config = scalr_config_copy (config);
  g_autofree char *clean = name ? g_strstrip (g_strdup (name)) : NULL;
  in->name = clean && clean[0] ? g_steal_pointer (&clean) : scalr_run_name_for_config (config);
  self->relay = scalr_progress_relay_new (on_run_progress, self);
  in->progress = scalr_progress_relay_new_progress (self->relay);
  self->run_cancellable = g_cancellable_new ();
  self->current_run_id = 0;
  self->cancelling = FALSE;

  clear_stage_rows (self);
  g_free (self->run_title);
  self->run_title = g_strdup_printf ("Running ‘%s’ on %s: %s → %s", in->name,
                                     scalr_config_get (config, "dataset", "name"),
                                     scalr_config_get (config, "dataset", "source"),
                                     scalr_config_get (config, "dataset", "target"));
  gtk_label_set_text (GTK_LABEL (self->progress_title), self->run_title);
  gtk_widget_set_tooltip_text (self->progress_title, self->run_title);
  gtk_widget_remove_css_class (self->progress_title, "warning");
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), TRUE);
  g_clear_pointer (&self->run_timer, g_timer_destroy);
  self->run_timer = g_timer_new ();
  update_elapsed (self);
  self->tick_id = g_timeout_add (250, on_tick, self);
  update_cancel (self);

  g_autoptr (GTask) task = g_task_new (self, self->run_cancellable, run_done, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, in, (GDestroyNotify) run_input_free);
  g_task_run_in_thread (task, run_worker);
  g_object_notify_by_pspec (G_OBJECT (self), _scalr_runs_page_props[RUNS_PROP_RUNNING]);
  return TRUE;
}

gboolean
scalr_runs_page_is_running (ScalrRunsPage *self)
{
  g_return_val_if_fail (SCALR_IS_RUNS_PAGE (self), FALSE);
  return self->run_cancellable != NULL;
}

void
scalr_runs_page_cancel (ScalrRunsPage *self)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  if (self->run_cancellable == NULL || self->cancelling)
    return;
  self->cancelling = TRUE;
  g_cancellable_cancel (self->run_cancellable);
  g_autofree char *title = g_strdup_printf ("Cancelling… (%s)", self->run_title);
  gtk_label_set_text (GTK_LABEL (self->progress_title), title);
  gtk_widget_add_css_class (self->progress_title, "warning");
  update_cancel (self);
}

gint64
scalr_runs_page_get_current_run_id (ScalrRunsPage *self)
{
  g_return_val_if_fail (SCALR_IS_RUNS_PAGE (self), 0);
  if (self->current_run_id == 0 && self->run_cancellable)
    {
      /* The worker knows the id before it returns; the newest running run in the list
       * is it. */
      GListModel *m = G_LIST_MODEL (self->runs);
      if (g_list_model_get_n_items (m) > 0)
        {
          g_autoptr (ScalrRunItem) item = g_list_model_get_item (m, 0);
          if (scalr_run_item_get_status (item) == SCALR_RUN_RUNNING)
            return scalr_run_item_get_id (item);
        }
    }
  return self->current_run_id;
}

static void
cancel_action (GtkWidget *widget, const char *name, GVariant *param)
{
  scalr_runs_page_cancel (SCALR_RUNS_PAGE (widget));
}

void
_scalr_runs_page_install_progress_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "runs.cancel", NULL, cancel_action);
}

void
_scalr_runs_page_init_progress (ScalrRunsPage *self)
{
  self->stage_rows = g_ptr_array_new_with_free_func (stage_row_free);
  update_cancel (self);
}

void
_scalr_runs_page_stop_progress (ScalrRunsPage *self)
{
  if (self->run_cancellable)
    g_cancellable_cancel (self->run_cancellable);
  scalr_progress_relay_detach (self->relay);
  g_clear_handle_id (&self->tick_id, g_source_remove);
}

void
_scalr_runs_page_free_progress (ScalrRunsPage *self)
{
  g_clear_object (&self->run_cancellable);
  g_clear_pointer (&self->relay, scalr_progress_relay_unref);
  g_clear_pointer (&self->stage_rows, g_ptr_array_unref);
  g_clear_pointer (&self->run_timer, g_timer_destroy);
  g_free (self->run_title);
}
