/* scalr-explore-page.c — sweeps (and searches) started from the workbench.
 *
 * A sweep starts from the Configure page's configuration and the keys and values typed here
 * (each checked as it is typed, the cost estimated in a thread). It runs in a GTask thread
 * through core's sweep (scalr-sweep.h), which stores its runs as one group; progress comes
 * back through a ScalrProgressRelay (one coalesced idle source), each finished point as one
 * idle callback, so the main loop never waits and the trials appear as they finish. Cancel
 * stops after the run going (kept, marked cancelled). The results are drawn by
 * scalr-explore-results.c. */
#include "config.h"

#include "scalr-explore-page-private.h"

#include <math.h>

#include "scalr-chart-view.h"
#include "scalr-estimate.h"
#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-run-set.h"
#include "scalr-resources.h"
#include "scalr-store.h"
#include "scalr-search.h"
#include "scalr-tuning.h"
#include "scalr-window.h"

G_DEFINE_FINAL_TYPE (ScalrExplorePage, scalr_explore_page, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_RUNNING, N_PROPS };
static GParamSpec *props[N_PROPS];
enum { SIGNAL_RUNS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- the cost ---------------------------------------------------------------------------- */

typedef struct {
  char        *db_path;
  ScalrConfig *config;
  guint        n_runs;
  ScalrEstimate estimate;
} EstimateInput;

static void
estimate_input_free (EstimateInput *in)
{
  g_free (in->db_path);
  scalr_config_free (in->config);
  scalr_estimate_clear (&in->estimate);
  g_free (in);
}

static void
estimate_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  EstimateInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_READ_ONLY, &error);
  if (store == NULL || !scalr_estimate_run (store, in->config, in->n_runs, &in->estimate, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
estimate_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (source);
  EstimateInput *in = g_task_get_task_data (G_TASK (res));
  gboolean ok = g_task_propagate_boolean (G_TASK (res), NULL);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))) || self->disposed)
    return;
  g_clear_object (&self->estimate_cancellable);
  g_clear_pointer (&self->estimate_text, g_free);
  self->estimate_confirm = ok && scalr_estimate_needs_confirmation (&in->estimate);
  if (ok)
    self->estimate_text = scalr_estimate_describe (&in->estimate);
  self->estimate_runs = in->n_runs;
  _scalr_explore_page_update_form (self);
}

static gboolean
estimate_start (gpointer data)
{
  ScalrExplorePage *self = data;
  self->estimate_timeout = 0;
  g_autoptr (ScalrGrid) grid = _scalr_explore_page_form_grid (self, NULL);
  if (grid == NULL || self->db_path == NULL || self->base == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->estimate_cancellable);
  g_clear_object (&self->estimate_cancellable);
  self->estimate_cancellable = g_cancellable_new ();
  EstimateInput *in = g_new0 (EstimateInput, 1);
  in->db_path = g_strdup (self->db_path);
  /* Each point costs about what the last one does (the largest values last, usually). */
  in->config = scalr_grid_dup_point_config (grid, self->base, scalr_grid_get_n_points (grid) - 1);
  in->n_runs = (guint) scalr_grid_get_n_points (grid);
  g_autoptr (GTask) task = g_task_new (self, self->estimate_cancellable, estimate_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) estimate_input_free);
  g_task_run_in_thread (task, estimate_worker);
  return G_SOURCE_REMOVE;
}

/* ---- the form ---------------------------------------------------------------------------- */

void
_scalr_explore_page_update_form (ScalrExplorePage *self)
{
  if (self->disposed)
    return;
  gboolean running = self->cancellable != NULL;
  gboolean search = gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->search_toggle));
  gtk_stack_set_visible_child_name (GTK_STACK (self->mode_stack), search ? "search" : "sweep");
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrGrid) grid = search ? NULL : _scalr_explore_page_form_grid (self, &error);
  gboolean ok = self->base && self->db_path && (search || grid != NULL);
  if (!search)
    {
      g_autofree char *text = NULL;
      if (grid == NULL)
        text = g_strdup (error ? error->message : "");
      else
        {
          guint64 n = scalr_grid_get_n_points (grid);
          /* The estimate names the number of runs itself (one of another grid is not shown). */
          text = self->estimate_text && self->estimate_runs == n
                   ? g_strdup_printf ("Estimate: %s", self->estimate_text)
                   : g_strdup_printf ("%" G_GUINT64_FORMAT " run%s", n, n == 1 ? "" : "s");
        }
      gtk_label_set_text (GTK_LABEL (self->sweep_summary), text);
      if (grid == NULL && self->axes->len > 0 && error && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT))
        gtk_widget_add_css_class (self->sweep_summary, "error");
      else
        gtk_widget_remove_css_class (self->sweep_summary, "error");
      /* Estimated only while the page is shown (it loads the dataset in a thread). */
      if (grid && !running && gtk_widget_get_mapped (GTK_WIDGET (self)))
        {
          g_clear_handle_id (&self->estimate_timeout, g_source_remove);
          self->estimate_timeout = g_timeout_add (400, estimate_start, self);
        }
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "explore.start", ok && !running);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "explore.cancel", running);
  gtk_widget_set_sensitive (self->mode_stack, !running);
  gtk_widget_set_sensitive (self->sweep_toggle, !running);
  gtk_widget_set_sensitive (self->search_toggle, !running);
}

static void
on_mode (GtkToggleButton *button, ScalrExplorePage *self)
{
  _scalr_explore_page_update_form (self);
}

void
scalr_explore_page_set_base_config (ScalrExplorePage *self, const ScalrConfig *config)
{
  g_return_if_fail (SCALR_IS_EXPLORE_PAGE (self));
  g_clear_pointer (&self->base, scalr_config_free);
  self->base = config ? scalr_config_copy (config) : NULL;
  if (self->base)
    {
      g_autofree char *name = scalr_run_name_for_config (self->base);
      g_autofree char *text = g_strdup_printf ("From the Configure page's settings (%s on %s), with the keys below "
                                               "changed.", name, scalr_config_get (self->base, "dataset", "name"));
      gtk_label_set_text (GTK_LABEL (self->base_label), text);
    }
  _scalr_explore_page_update_form (self);
}

void
scalr_explore_page_set_store (ScalrExplorePage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_EXPLORE_PAGE (self));
  char *path = g_strdup (db_path);
  g_free (self->db_path);
  self->db_path = path;
  _scalr_explore_page_update_form (self);
}

gboolean
scalr_explore_page_is_running (ScalrExplorePage *self)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), FALSE);
  return self->cancellable != NULL;
}

void
scalr_explore_page_cancel (ScalrExplorePage *self)
{
  g_return_if_fail (SCALR_IS_EXPLORE_PAGE (self));
  if (self->cancellable)
    {
      g_cancellable_cancel (self->cancellable);
      gtk_label_set_text (GTK_LABEL (self->progress_label), "Cancelling… the run going is kept, marked cancelled");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "explore.cancel", FALSE);
    }
}

gint64
scalr_explore_page_get_group (ScalrExplorePage *self)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), 0);
  return self->group_id;
}

/* ---- running a sweep --------------------------------------------------------------------- */

typedef struct {
  char          *db_path;
  ScalrConfig   *base;
  ScalrGrid     *grid;
  ScalrProgress *progress;
  GWeakRef       page;       /* for the per-point idles */
  gint64         group_id;
} SweepInput;

static void
sweep_input_free (SweepInput *in)
{
  g_free (in->db_path);
  scalr_config_free (in->base);
  scalr_grid_free (in->grid);
  scalr_progress_free (in->progress);
  g_weak_ref_clear (&in->page);
  g_free (in);
}

typedef struct {
  GWeakRef     *page;
  ExploreTrial *trial;
} TrialIdle;

static gboolean
trial_idle (gpointer data)
{
  TrialIdle *t = data;
  g_autoptr (ScalrExplorePage) self = g_weak_ref_get (t->page);
  if (self && !self->disposed)
    {
      self->n_done++;
      _scalr_explore_page_add_trial (self, g_steal_pointer (&t->trial));
      g_signal_emit (self, signals[SIGNAL_RUNS_CHANGED], 0);   /* the run appears on the Runs page */
    }
  g_clear_pointer (&t->trial, _scalr_explore_trial_free);
  g_free (t);
  return G_SOURCE_REMOVE;
}

/* The sweep's thread, after each point: its headline lift read back, handed to the main
 * thread in one idle. */
static void
on_point_done (const ScalrSweepPoint *pt, guint64 n_points, gpointer data)
{
  SweepInput *in = data;
  ExploreTrial *t = g_new0 (ExploreTrial, 1);
  t->index = pt->index;
  t->run_id = pt->run_id;
  t->values = g_strdupv (pt->values);
  t->error = g_strdup (pt->error);
  t->seconds = pt->seconds;
  t->objective = t->lo = t->hi = NAN;
  g_autoptr (ScalrStore) store = pt->error ? NULL : scalr_store_open (in->db_path, SCALR_STORE_OPEN_READ_ONLY, NULL);
  g_autoptr (GArray) lifts = store ? scalr_store_load_lifts (store, pt->run_id, NULL) : NULL;
  ScalrHeadline h;
  if (lifts && scalr_lifts_find_headline ((const ScalrLiftRow *) lifts->data, lifts->len, &h))
    {
      const ScalrLiftRow *l = h.strongest;
      t->objective = l->lift;
      t->lo = l->ci_low;
      t->hi = l->ci_high;
      t->detail = g_strdup_printf ("%s vs %s", l->model, l->baseline_model);
      /* A run repeated on several splits ([eval] replicates): the replicates' mean and range
       * instead of one split's interval. */
      g_autoptr (GPtrArray) reps = scalr_replicate_rows_load (store, pt->run_id, NULL);
      const ScalrReplicateRow *r = scalr_replicate_rows_find (reps, l->model, l->segment, l->metric, l->k, "strongest");
      if (r == NULL)
        r = scalr_replicate_rows_find (reps, l->model, l->segment, l->metric, l->k, l->reference);
      if (r && r->defined > 1 && isfinite (r->mean))
        {
          t->objective = r->mean;
          t->lo = r->min;
          t->hi = r->max;
          g_free (t->detail);
          t->detail = g_strdup_printf ("%s vs %s, mean of %u replicates", l->model, l->baseline_model, r->defined);
        }
    }
  TrialIdle *idle = g_new0 (TrialIdle, 1);
  idle->page = &in->page;
  idle->trial = t;
  /* At the default priority, as the GTask's own callback: an idle below redraws would wait
   * while a spinner keeps the frame clock busy. */
  g_idle_add_full (G_PRIORITY_DEFAULT, trial_idle, idle, NULL);
}

static void
sweep_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SweepInput *in = data;
  g_autoptr (GError) error = NULL;
  ScalrSweepOptions o = { .point_func = on_point_done, .point_data = in };
  g_autoptr (GPtrArray) points = scalr_sweep_run (in->db_path, in->base, in->grid, &o, in->progress, cancellable,
                                                  &in->group_id, &error);
  if (points == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, points->len);
}

static void
stop_ticking (ScalrExplorePage *self)
{
  scalr_progress_relay_detach (self->relay);
  g_clear_pointer (&self->relay, scalr_progress_relay_unref);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_object (&self->cancellable);
}

void
_scalr_explore_page_work_ended (ScalrExplorePage *self)
{
  stop_ticking (self);
  if (self->disposed)
    return;
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), FALSE);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  g_signal_emit (self, signals[SIGNAL_RUNS_CHANGED], 0);
  _scalr_explore_page_update_form (self);
}

void
_scalr_explore_page_toast (ScalrExplorePage *self, const char *title, const char *page)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!SCALR_IS_WINDOW (root))
    return;
  AdwToast *toast = adw_toast_new (title);
  if (page)
    {
      adw_toast_set_button_label (toast, g_strcmp0 (page, "compare") == 0 ? "_Compare" : "_Review");
      adw_toast_set_action_name (toast, "win.show-page");
      adw_toast_set_action_target_value (toast, g_variant_new_string (page));
    }
  scalr_window_add_toast (SCALR_WINDOW (root), toast);
}

/* After the last point's idle: the per-point idles run before this one (FIFO, same priority). */
static gboolean
finish_idle (gpointer data)
{
  g_autoptr (GTask) task = data;
  ScalrExplorePage *self = g_task_get_source_object (task);
  SweepInput *in = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;
  gssize n = g_task_propagate_int (task, &error);
  _scalr_explore_page_work_ended (self);
  if (self->disposed)
    return G_SOURCE_REMOVE;
  self->group_id = in->group_id;
  g_autofree char *msg = n >= 0 ? NULL : g_strdup (error->message);
  _scalr_explore_page_results_done (self, FALSE, msg);
  g_autofree char *title = n >= 0 ? g_strdup_printf ("Sweep done: %zd runs in group #%" G_GINT64_FORMAT, n, in->group_id)
                                  : g_strdup_printf ("Sweep stopped: %s", error->message);
  _scalr_explore_page_toast (self, title, in->group_id > 0 ? "compare" : NULL);
  return G_SOURCE_REMOVE;
}

static void
sweep_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_idle_add_full (G_PRIORITY_DEFAULT, finish_idle, g_object_ref (res), NULL);
}

/* Main thread (from the relay): the sweep's and its runs' stages. */
static void
on_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  ScalrExplorePage *self = data;
  if (g_strcmp0 (stage, "sweep") == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->progress_label), message);
      return;
    }
  g_autofree char *text = g_strdup_printf ("%s: %s", stage ? stage : "run", message ? message : "");
  gtk_label_set_text (GTK_LABEL (self->stage_label), text);
  /* Within a point: its stages' part of the point's share. */
  double per = self->n_points ? 1.0 / self->n_points : 1;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 CLAMP ((self->n_done + 0.95 * CLAMP (fraction, 0, 1) * 0.5) * per, 0, 1));
}

static gboolean
on_tick (gpointer data)
{
  ScalrExplorePage *self = data;
  double s = g_timer_elapsed (self->timer, NULL);
  g_autofree char *elapsed = scalr_format_duration (s);
  g_autofree char *text = NULL;
  /* A sweep knows its finished points; a search its trials' fraction. */
  double done = self->n_points && self->n_done ? (double) self->n_done / self->n_points : self->fraction;
  if (done > 0.02 && done < 1)
    {
      g_autofree char *left = scalr_format_duration (s / done * (1 - done));
      text = g_strdup_printf ("%s · about %s left", elapsed, left);
    }
  else
    text = g_strdup (elapsed);
  gtk_label_set_text (GTK_LABEL (self->eta_label), text);
  return G_SOURCE_CONTINUE;
}

void
_scalr_explore_page_work_started (ScalrExplorePage *self, const char *title, guint64 n_points)
{
  self->cancellable = g_cancellable_new ();
  self->n_points = n_points;
  self->n_done = 0;
  self->fraction = 0;
  gtk_label_set_text (GTK_LABEL (self->progress_label), title);
  gtk_label_set_text (GTK_LABEL (self->stage_label), "");
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), TRUE);
  g_clear_pointer (&self->timer, g_timer_destroy);
  self->timer = g_timer_new ();
  self->tick_id = g_timeout_add (500, on_tick, self);
  on_tick (self);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  _scalr_explore_page_update_form (self);
}

static gboolean
start_sweep (ScalrExplorePage *self, ScalrGrid *grid, GError **error)
{
  if (self->cancellable)
    {
      scalr_grid_free (grid);
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "A sweep is going: wait for it or cancel it");
      return FALSE;
    }
  SweepInput *in = g_new0 (SweepInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->base = scalr_config_copy (self->base);
  in->grid = grid;
  g_weak_ref_init (&in->page, self);
  self->relay = scalr_progress_relay_new (on_progress, self);
  in->progress = scalr_progress_relay_new_progress (self->relay);
  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();
  for (guint a = 0; a < scalr_grid_get_n_axes (grid); a++)
    g_strv_builder_add (keys, scalr_grid_get_key (grid, a));
  g_auto (GStrv) k = g_strv_builder_end (keys);
  _scalr_explore_page_reset_results (self, (const char *const *) k, "Sparse users: best vs strongest", TRUE);
  g_autofree char *title = g_strdup_printf ("Starting %" G_GUINT64_FORMAT " runs…", scalr_grid_get_n_points (grid));
  _scalr_explore_page_work_started (self, title, scalr_grid_get_n_points (grid));
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, sweep_done, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, in, (GDestroyNotify) sweep_input_free);
  g_task_run_in_thread (task, sweep_worker);
  return TRUE;
}

gboolean
scalr_explore_page_start_sweep (ScalrExplorePage *self, const char *const *specs, GError **error)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), FALSE);
  if (self->base == NULL || self->db_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "No store or configuration to start from");
      return FALSE;
    }
  ScalrGrid *grid = specs ? scalr_grid_new (specs, error) : _scalr_explore_page_form_grid (self, error);
  return grid != NULL && start_sweep (self, grid, error);
}

static void
on_confirm (AdwMessageDialog *dialog, const char *response, ScalrExplorePage *self)
{
  if (g_strcmp0 (response, "start") != 0)
    return;
  g_autoptr (GError) error = NULL;
  if (!scalr_explore_page_start_sweep (self, NULL, &error))
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", error->message);
}

static void
start_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (widget);
  g_autoptr (GError) error = NULL;
  if (gtk_toggle_button_get_active (GTK_TOGGLE_BUTTON (self->search_toggle)))
    {
      if (!scalr_explore_page_start_search (self, 0, &error))
        gtk_widget_activate_action (widget, "win.show-error", "s", error->message);
      return;
    }
  GtkRoot *root = gtk_widget_get_root (widget);
  if (self->estimate_confirm && GTK_IS_WINDOW (root))
    {
      /* Past the estimate's threshold: ask first (the numbers are scalr-estimate's). */
      GtkWidget *dialog = adw_message_dialog_new (GTK_WINDOW (root), "Start a Long Sweep?", NULL);
      adw_message_dialog_format_body (ADW_MESSAGE_DIALOG (dialog), "This sweep needs %s. It runs in the background "
                                      "and can be cancelled; its finished runs are kept.", self->estimate_text);
      adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog), "cancel", "_Cancel", "start", "_Start Anyway", NULL);
      adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "start", ADW_RESPONSE_DESTRUCTIVE);
      adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
      g_signal_connect (dialog, "response", G_CALLBACK (on_confirm), self);
      gtk_window_present (GTK_WINDOW (dialog));
      return;
    }
  if (!scalr_explore_page_start_sweep (self, NULL, &error))
    gtk_widget_activate_action (widget, "win.show-error", "s", error->message);
}

static void
cancel_action (GtkWidget *widget, const char *action, GVariant *param)
{
  scalr_explore_page_cancel (SCALR_EXPLORE_PAGE (widget));
}

/* ---- life cycle ----------------------------------------------------------------------- */

static void
scalr_explore_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (object);
  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scalr_explore_page_dispose (GObject *object)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (object);
  if (!self->disposed)
    _scalr_explore_page_disconnect_axes (self);
  self->disposed = TRUE;
  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_cancellable_cancel (self->estimate_cancellable);
  g_clear_handle_id (&self->estimate_timeout, g_source_remove);
  scalr_progress_relay_detach (self->relay);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_EXPLORE_PAGE);
  G_OBJECT_CLASS (scalr_explore_page_parent_class)->dispose (object);
}

static void
scalr_explore_page_finalize (GObject *object)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->estimate_cancellable);
  g_clear_pointer (&self->relay, scalr_progress_relay_unref);
  g_clear_pointer (&self->timer, g_timer_destroy);
  g_clear_pointer (&self->axes, g_ptr_array_unref);
  g_clear_pointer (&self->trials, g_ptr_array_unref);
  g_clear_object (&self->trial_store);
  g_clear_pointer (&self->base, scalr_config_free);
  g_strfreev (self->keys);
  g_free (self->objective_title);
  g_free (self->estimate_text);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_explore_page_parent_class)->finalize (object);
}

static void
scalr_explore_page_class_init (ScalrExplorePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GResource *bundle = scalr_get_resource ();   /* links the resource bundle in */
  (void) bundle;
  g_type_ensure (SCALR_TYPE_CHART_VIEW);
  object_class->get_property = scalr_explore_page_get_property;
  object_class->dispose = scalr_explore_page_dispose;
  object_class->finalize = scalr_explore_page_finalize;
  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /* Runs were added to the store (a sweep or a search ended). */
  signals[SIGNAL_RUNS_CHANGED] = g_signal_new ("runs-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-explore-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, ScalrExplorePage, name)
  CHILD (scroller);
  CHILD (base_label);
  CHILD (sweep_toggle);
  CHILD (search_toggle);
  CHILD (mode_stack);
  CHILD (axis_list);
  CHILD (add_axis_button);
  CHILD (sweep_summary);
  CHILD (search_group);
  CHILD (trials_spin);
  CHILD (objective_row);
  CHILD (budget_spin);
  CHILD (space_row);
  CHILD (cancel_button);
  CHILD (start_button);
  CHILD (progress_revealer);
  CHILD (spinner);
  CHILD (progress_label);
  CHILD (eta_label);
  CHILD (progress_bar);
  CHILD (stage_label);
  CHILD (results_caption);
  CHILD (trials_scroller);
  CHILD (trials_table);
  CHILD (parallel_view);
  CHILD (effects_box);
  CHILD (selection_caption);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "explore.start", NULL, start_action);
  gtk_widget_class_install_action (widget_class, "explore.cancel", NULL, cancel_action);
  gtk_widget_class_set_css_name (widget_class, "explorepage");
}

static void
scalr_explore_page_init (ScalrExplorePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->axes = g_ptr_array_new_with_free_func (_scalr_explore_axis_row_free);
  self->trials = g_ptr_array_new_with_free_func ((GDestroyNotify) _scalr_explore_trial_free);
  _scalr_explore_page_setup_results (self);
  _scalr_explore_page_setup_axes (self);
  g_signal_connect (self, "map", G_CALLBACK (_scalr_explore_page_update_form), NULL);
  g_signal_connect (self->sweep_toggle, "toggled", G_CALLBACK (on_mode), self);
  g_signal_connect (self->search_toggle, "toggled", G_CALLBACK (on_mode), self);
  const char *objectives[] = { "Recall@20 · sparse", "NDCG@20 · sparse", "Recall@20 · all users", NULL };
  g_autoptr (GtkStringList) model = gtk_string_list_new (objectives);
  adw_combo_row_set_model (ADW_COMBO_ROW (self->objective_row), G_LIST_MODEL (model));
  _scalr_explore_page_update_form (self);
}

GtkWidget *
scalr_explore_page_new (void)
{
  return g_object_new (SCALR_TYPE_EXPLORE_PAGE, NULL);
}
