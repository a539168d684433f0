/* scalr-runs-page.c — the runs of the store, and running the pipeline in a worker thread.
 *
 * Reading the runs and running the pipeline happen in GTask threads with their own store
 * connections and their own copies of the inputs; progress comes back through a
 * ScalrProgressRelay (one coalesced idle source); widgets are touched on the main thread
 * only. */
#include "config.h"

#include "scalr-runs-page.h"

#include <math.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-output.h"
#include "scalr-pipeline.h"
#include "scalr-progress-relay.h"
#include "scalr-run-item.h"
#include "scalr-charts.h"
#include "scalr-run-results.h"
#include "scalr-stats.h"

typedef struct {
  char      *stage;
  GtkWidget *name;
  GtkWidget *bar;
  GtkWidget *message;
} StageRow;

struct _ScalrRunsPage {
  AdwBin              parent_instance;
  GtkWidget          *progress_revealer;
  GtkWidget          *spinner;
  GtkWidget          *progress_title;
  GtkWidget          *elapsed_label;
  GtkWidget          *cancel_button;
  GtkWidget          *stage_grid;
  GtkWidget          *stack;
  GtkWidget          *column_view;

  GListStore         *runs;          /* ScalrRunItem */
  GtkSingleSelection *selection;
  char               *db_path;

  GCancellable       *refresh_cancellable;   /* non-NULL while a refresh runs */
  gboolean            refresh_again;

  GCancellable       *run_cancellable;       /* non-NULL while a run goes */
  ScalrProgressRelay *relay;
  GPtrArray          *stage_rows;            /* StageRow* */
  GTimer             *run_timer;
  guint               tick_id;
  gint64              current_run_id;
  gboolean            cancelling;
  char               *run_title;
  gboolean            disposed;
};

G_DEFINE_FINAL_TYPE (ScalrRunsPage, scalr_runs_page, ADW_TYPE_BIN)

enum { PROP_0, PROP_RUNNING, N_PROPS };
static GParamSpec *props[N_PROPS];

enum { SIGNAL_RUN_FINISHED, SIGNAL_RUN_ACTIVATED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_error (ScalrRunsPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", message);
}

static void
stage_row_free (gpointer data)
{
  StageRow *r = data;
  g_free (r->stage);
  g_free (r);
}

/* ---- reading the runs ----------------------------------------------------------- */

/* The headline lift: Recall@K (K nearest 20) of the best augmented model against its own
 * baseline, for sparse users (else all users). */
static char *
headline_lift (GArray *lifts, char **detail)
{
  static const char *const segments[] = { "sparse", "all" };
  *detail = NULL;
  for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
    {
      guint best_k = 0;
      for (guint k = 0; k < lifts->len; k++)
        {
          const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, k);
          if (g_strcmp0 (l->segment, segments[s]) || g_strcmp0 (l->metric, "recall") || g_strcmp0 (l->reference, "own"))
            continue;
          if (best_k == 0 || ABS ((int) l->k - 20) < ABS ((int) best_k - 20))
            best_k = l->k;
        }
      if (best_k == 0)
        continue;
      const ScalrLiftRow *best = NULL;
      for (guint k = 0; k < lifts->len; k++)
        {
          const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, k);
          if (g_strcmp0 (l->segment, segments[s]) || g_strcmp0 (l->metric, "recall")
              || g_strcmp0 (l->reference, "own") || l->k != best_k)
            continue;
          if (best == NULL || l->aug_mean > best->aug_mean)
            best = l;
        }
      if (best == NULL || !isfinite (best->lift))
        continue;
      g_autofree char *ci = isfinite (best->ci_low) && isfinite (best->ci_high)
        ? g_strdup_printf (" [%+.1f, %+.1f]", 100 * best->ci_low, 100 * best->ci_high) : g_strdup (" [—]");
      g_autofree char *level = scalr_stats_ci_label (best->level);
      g_autofree char *base = scalr_format_printf ("%.4f", best->base_mean);
      g_autofree char *aug = scalr_format_printf ("%.4f", best->aug_mean);
      g_autofree char *holm = scalr_format_printf ("%.3g", best->p_holm);
      *detail = g_strdup_printf ("%s users, Recall@%u: %s with synthetic events vs its own baseline, "
                                 "%s → %s; %s by paired bootstrap; p (Holm) = %s; %u users%s%s",
                                 segments[s], best_k, best->model, base, aug, level, holm, best->n_users,
                                 best->note ? "; " : "", best->note ? best->note : "");
      return g_strdup_printf ("%s  %+.1f%%%s  (%s, R@%u)", best->model, 100 * best->lift, ci, segments[s], best_k);
    }
  return NULL;
}

static void
refresh_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *db_path = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (GPtrArray) runs = scalr_store_list_runs (store, &error);
  if (runs == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint k = 0; k < runs->len; k++)
    {
      const ScalrRunInfo *r = g_ptr_array_index (runs, k);
      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_autoptr (GKeyFile) kf = g_key_file_new ();
      g_autofree char *generator = NULL;
      if (r->config && g_key_file_load_from_data (kf, r->config, (gsize) -1, G_KEY_FILE_NONE, NULL))
        generator = g_key_file_get_string (kf, "generator", "model", NULL);
      g_autofree char *lift = NULL, *detail = NULL;
      if (r->status == SCALR_RUN_FINISHED)
        {
          g_autoptr (GArray) lifts = scalr_store_get_lifts (store, r->id, NULL);
          if (lifts)
            lift = headline_lift (lifts, &detail);
        }
      g_ptr_array_add (items, scalr_run_item_new (r, generator, lift, detail));
    }
  g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  gint64 ia = scalr_run_item_get_id (*(ScalrRunItem **) a);
  gint64 ib = scalr_run_item_get_id (*(ScalrRunItem **) b);
  return ia < ib ? 1 : ia > ib ? -1 : 0;
}

static void
refresh_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = g_task_propagate_pointer (G_TASK (res), &error);
  g_clear_object (&self->refresh_cancellable);
  if (self->disposed)
    return;
  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf ("Could not read the runs: %s", error->message);
          show_error (self, msg);
        }
    }
  else
    {
      g_ptr_array_sort (items, compare_newest_first);
      gint64 selected = scalr_runs_page_get_selected_run_id (self);
      g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                           items->pdata, items->len);
      for (guint k = 0; k < items->len; k++)
        if (scalr_run_item_get_id (g_ptr_array_index (items, k)) == selected)
          gtk_single_selection_set_selected (self->selection, k);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), items->len ? "list" : "empty");
    }
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      scalr_runs_page_refresh (self);
    }
}

void
scalr_runs_page_refresh (ScalrRunsPage *self)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  if (self->db_path == NULL)
    return;
  if (self->refresh_cancellable)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->refresh_cancellable = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->refresh_cancellable, refresh_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, refresh_worker);
}

gboolean
scalr_runs_page_is_refreshing (ScalrRunsPage *self)
{
  return self->refresh_cancellable != NULL || self->refresh_again;
}

void
scalr_runs_page_set_store (ScalrRunsPage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  scalr_runs_page_refresh (self);
}

GListModel *
scalr_runs_page_get_model (ScalrRunsPage *self)
{
  return G_LIST_MODEL (self->runs);
}

gint64
scalr_runs_page_get_selected_run_id (ScalrRunsPage *self)
{
  ScalrRunItem *item = gtk_single_selection_get_selected_item (self->selection);
  return item ? scalr_run_item_get_id (item) : 0;
}

/* ---- running ---------------------------------------------------------------------- */

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
  gtk_label_set_width_chars (GTK_LABEL (r->message), 44);
  gtk_label_set_max_width_chars (GTK_LABEL (r->message), 44);
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
update_actions (ScalrRunsPage *self)
{
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.cancel",
                                 self->run_cancellable != NULL && !self->cancelling);
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
  update_actions (self);
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
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
  g_signal_emit (self, signals[SIGNAL_RUN_FINISHED], 0, run_id, (int) status, message);
  if (out)
    run_output_free (out);
}

gboolean
scalr_runs_page_start_run (ScalrRunsPage *self, const ScalrConfig *config, GError **error)
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
  in->name = g_strdup_printf ("%s · %s", scalr_config_get (config, "generator", "model"),
                              scalr_config_get (config, "sampler", "strategy"));
  self->relay = scalr_progress_relay_new (on_run_progress, self);
  in->progress = scalr_progress_relay_new_progress (self->relay);
  self->run_cancellable = g_cancellable_new ();
  self->current_run_id = 0;
  self->cancelling = FALSE;

  clear_stage_rows (self);
  g_free (self->run_title);
  self->run_title = g_strdup_printf ("Running on %s: %s → %s, %s, %s",
                                     scalr_config_get (config, "dataset", "name"),
                                     scalr_config_get (config, "dataset", "source"),
                                     scalr_config_get (config, "dataset", "target"),
                                     scalr_config_get (config, "generator", "model"),
                                     scalr_config_get (config, "sampler", "strategy"));
  gtk_label_set_text (GTK_LABEL (self->progress_title), self->run_title);
  gtk_widget_remove_css_class (self->progress_title, "warning");
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->progress_revealer), TRUE);
  g_clear_pointer (&self->run_timer, g_timer_destroy);
  self->run_timer = g_timer_new ();
  update_elapsed (self);
  self->tick_id = g_timeout_add (250, on_tick, self);
  update_actions (self);

  g_autoptr (GTask) task = g_task_new (self, self->run_cancellable, run_done, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, in, (GDestroyNotify) run_input_free);
  g_task_run_in_thread (task, run_worker);
  g_object_notify_by_pspec (G_OBJECT (self), props[PROP_RUNNING]);
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
  update_actions (self);
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

/* ---- export ----------------------------------------------------------------------- */

typedef struct {
  char  *db_path;
  gint64 run_id;
  char  *path;
} ExportInput;

static void
export_input_free (ExportInput *in)
{
  g_free (in->db_path);
  g_free (in->path);
  g_free (in);
}

static void
append_field (GString *s, const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    g_string_append_c (s, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

static char *
metrics_path (const char *path)
{
  const char *dot = strrchr (path, '.');
  const char *slash = strrchr (path, G_DIR_SEPARATOR);
  if (dot && (slash == NULL || dot > slash))
    return g_strdup_printf ("%.*s-metrics%s", (int) (dot - path), path, dot);
  return g_strdup_printf ("%s-metrics.tsv", path);
}

static void
export_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ExportInput *in = data;
  GError *error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  g_autoptr (ScalrRunInfo) run = store ? scalr_store_get_run (store, in->run_id, &error) : NULL;
  if (run == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (run->status != SCALR_RUN_FINISHED)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED, "run %" G_GINT64_FORMAT " is %s, not finished; nothing to export",
                               in->run_id, scalr_run_status_to_string (run->status));
      return;
    }
  g_autoptr (ScalrConfig) c = scalr_config_new_from_data (run->config, -1, "stored config", &error);
  ScalrDomains *domains = NULL;
  ScalrSplit *split = NULL;
  if (c == NULL || !scalr_pipeline_rebuild_split (store, c, &domains, &split, &error))
    {
      g_task_return_error (task, error);
      return;
    }
  g_autoptr (ScalrSyntheticEvents) ev = scalr_store_get_synthetic (store, in->run_id, &error);
  g_autoptr (GArray) metrics = ev ? scalr_store_get_metrics (store, in->run_id, &error) : NULL;
  gboolean ok = metrics != NULL;
  if (ok)
    {
      const ScalrDomain *tgt = scalr_domains_get_target (domains);
      ScalrDataset *d = scalr_domains_get_dataset (domains);
      ScalrIdMap *users = scalr_dataset_get_users (d), *items = scalr_dataset_get_items (d);
      g_autoptr (GString) s = g_string_new ("user\titem\tprobability\tweight\tcount\n");
      for (guint64 k = 0; k < ev->n; k++)
        {
          append_field (s, scalr_id_map_get_name (users, ev->user[k]));
          g_string_append_c (s, '\t');
          append_field (s, scalr_id_map_get_name (items, tgt->items[ev->item[k]]));
          g_string_append_printf (s, "\t%.6g\t%.6g\t%u\n", ev->prob[k], ev->weight[k], ev->count[k]);
        }
      ok = scalr_output_write_file (in->path, s->str, s->len, &error);
      if (ok)
        {
          g_autoptr (GString) m = g_string_new ("model\tvariant\tsegment\tmetric\tk\tvalue\tusers\n");
          for (guint k = 0; k < metrics->len; k++)
            {
              const ScalrMetricRow *r = &g_array_index (metrics, ScalrMetricRow, k);
              g_string_append_printf (m, "%s\t%s\t%s\t%s\t%u\t%.6g\t%u\n", r->model, r->variant, r->segment,
                                      r->metric, r->k, r->value, r->n_users);
            }
          g_autofree char *mp = metrics_path (in->path);
          ok = scalr_output_write_file (mp, m->str, m->len, &error);
        }
    }
  scalr_split_free (split);
  scalr_domains_free (domains);
  if (!ok)
    g_task_return_error (task, error);
  else
    g_task_return_boolean (task, TRUE);
}

static void
export_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (source);
  ExportInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);
  if (self->disposed)
    return;
  if (!ok)
    {
      g_autofree char *msg = g_strdup_printf ("Export of run %" G_GINT64_FORMAT " failed: %s", in->run_id, error->message);
      show_error (self, msg);
      return;
    }
  g_autofree char *base = g_path_get_basename (in->path);
  g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT " exported to %s (and its metrics)", in->run_id, base);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
}

void
scalr_runs_page_export_run (ScalrRunsPage *self, gint64 run_id, const char *path)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  if (self->db_path == NULL)
    return;
  ExportInput *in = g_new0 (ExportInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->run_id = run_id;
  in->path = g_strdup (path);
  g_autoptr (GTask) task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) export_input_free);
  g_task_run_in_thread (task, export_worker);
}

/* ---- the list --------------------------------------------------------------------- */

enum { COL_ID, COL_NAME, COL_STATUS, COL_DATASET, COL_GENERATOR, COL_CREATED, COL_LIFT, N_COLS };

static void
setup_cell (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), col == COL_ID ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (col == COL_ID || col == COL_LIFT || col == COL_CREATED)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static const char *const status_classes[] = { "accent", "success", "error", "warning" };

static void
bind_cell (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  ScalrRunItem *item = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  g_autofree char *text = NULL;
  const char *tip = NULL;
  for (guint k = 0; k < G_N_ELEMENTS (status_classes); k++)
    gtk_widget_remove_css_class (label, status_classes[k]);
  switch (col)
    {
    case COL_ID:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, scalr_run_item_get_id (item));
      break;
    case COL_NAME:
      text = g_strdup (scalr_run_item_get_name (item) ? scalr_run_item_get_name (item) : "–");
      break;
    case COL_STATUS:
      {
        ScalrRunStatus st = scalr_run_item_get_status (item);
        text = g_strdup (scalr_run_status_to_string (st));
        const char *cls = st == SCALR_RUN_FINISHED ? "success"
                        : st == SCALR_RUN_FAILED ? "error"
                        : st == SCALR_RUN_RUNNING || st == SCALR_RUN_PENDING ? "accent" : "warning";
        gtk_widget_add_css_class (label, cls);
        tip = scalr_run_item_get_error (item);
        break;
      }
    case COL_DATASET:
      text = g_strdup (scalr_run_item_get_dataset (item));
      break;
    case COL_GENERATOR:
      text = g_strdup (scalr_run_item_get_generator (item) ? scalr_run_item_get_generator (item) : "–");
      break;
    case COL_CREATED:
      text = scalr_run_item_format_created (item);
      break;
    case COL_LIFT:
      text = g_strdup (scalr_run_item_get_lift_text (item));
      tip = scalr_run_item_get_lift_detail (item);
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, tip ? tip : (col == COL_NAME ? text : NULL));
}

static void
add_column (ScalrRunsPage *self, guint col, const char *title, gboolean expand, int fixed_width)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  g_signal_connect (f, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (col));
  g_signal_connect (f, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (col));
  GtkColumnViewColumn *c = gtk_column_view_column_new (title, f);
  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (c, fixed_width);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->column_view), c);
  g_object_unref (c);
}

static void
on_activate (GtkColumnView *view, guint position, ScalrRunsPage *self)
{
  g_autoptr (ScalrRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->runs), position);
  if (item == NULL)
    return;
  ScalrRunStatus st = scalr_run_item_get_status (item);
  if (st == SCALR_RUN_FINISHED)
    g_signal_emit (self, signals[SIGNAL_RUN_ACTIVATED], 0, scalr_run_item_get_id (item));
  else if (scalr_run_item_get_error (item))
    {
      g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT " %s: %s", scalr_run_item_get_id (item),
                                              scalr_run_status_to_string (st), scalr_run_item_get_error (item));
      show_error (self, msg);
    }
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
scalr_runs_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (object);
  switch (prop_id)
    {
    case PROP_RUNNING:
      g_value_set_boolean (value, self->run_cancellable != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scalr_runs_page_dispose (GObject *object)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (object);
  self->disposed = TRUE;
  if (self->run_cancellable)
    g_cancellable_cancel (self->run_cancellable);
  if (self->refresh_cancellable)
    g_cancellable_cancel (self->refresh_cancellable);
  scalr_progress_relay_detach (self->relay);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_RUNS_PAGE);
  G_OBJECT_CLASS (scalr_runs_page_parent_class)->dispose (object);
}

static void
scalr_runs_page_finalize (GObject *object)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (object);
  g_clear_object (&self->runs);
  g_clear_object (&self->selection);
  g_clear_object (&self->run_cancellable);
  g_clear_object (&self->refresh_cancellable);
  g_clear_pointer (&self->relay, scalr_progress_relay_unref);
  g_clear_pointer (&self->stage_rows, g_ptr_array_unref);
  g_clear_pointer (&self->run_timer, g_timer_destroy);
  g_free (self->db_path);
  g_free (self->run_title);
  G_OBJECT_CLASS (scalr_runs_page_parent_class)->finalize (object);
}

static void
scalr_runs_page_class_init (ScalrRunsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->get_property = scalr_runs_page_get_property;
  object_class->dispose = scalr_runs_page_dispose;
  object_class->finalize = scalr_runs_page_finalize;
  props[PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                              G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, props);
  /* (run id — 0 when the run was never created, ScalrRunStatus, error message or NULL) */
  signals[SIGNAL_RUN_FINISHED] = g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                               NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT, G_TYPE_STRING);
  /* A finished run was activated in the list. */
  signals[SIGNAL_RUN_ACTIVATED] = g_signal_new ("run-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-runs-page.ui");
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, progress_revealer);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, progress_title);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, elapsed_label);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, stage_grid);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, column_view);
  gtk_widget_class_install_action (widget_class, "runs.cancel", NULL, cancel_action);
}

static void
scalr_runs_page_init (ScalrRunsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->runs = g_list_store_new (SCALR_TYPE_RUN_ITEM);
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->runs)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), GTK_SELECTION_MODEL (self->selection));
  self->stage_rows = g_ptr_array_new_with_free_func (stage_row_free);
  add_column (self, COL_ID, "#", FALSE, 56);
  add_column (self, COL_NAME, "Name", TRUE, -1);
  add_column (self, COL_STATUS, "Status", FALSE, 110);
  add_column (self, COL_DATASET, "Dataset", FALSE, 160);
  add_column (self, COL_GENERATOR, "Generator", FALSE, 110);
  add_column (self, COL_CREATED, "Started", FALSE, 150);
  add_column (self, COL_LIFT, "Headline lift (best model vs its own baseline)", FALSE, 420);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_activate), self);
  update_actions (self);
}

GtkWidget *
scalr_runs_page_new (void)
{
  return g_object_new (SCALR_TYPE_RUNS_PAGE, NULL);
}
