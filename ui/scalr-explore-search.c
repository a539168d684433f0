/* scalr-explore-search.c — a search (scalr tune) started from the Explore page, and a tuned
 * run's trials read back.
 *
 * The search is core's scalr_tune_run (scalr-search.h), started in a GTask thread: progress
 * ("trial 3 of 24") through the page's coalesced relay, the ETA from the trials' fraction,
 * Cancel through the GCancellable. The search scores its trials inside one process and
 * stores them once, at the end, as the run's "tuning" artifact: the table fills when it ends
 * (read back through core's scalr-tuning.h). */
#include "config.h"

#include "scalr-explore-page-private.h"

#include <math.h>

#include "scalr-format.h"
#include "scalr-store.h"
#include "scalr-tuning.h"
#include "scalr-window.h"

#include "scalr-search.h"

/* ---- a tuned run's trials ----------------------------------------------------------------- */

typedef struct {
  char   *db_path;
  gint64  run_id;
} ShowInput;

static void
show_input_free (ShowInput *in)
{
  g_free (in->db_path);
  g_free (in);
}

static void
show_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ShowInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_READ_ONLY, &error);
  ScalrTuning *t = store ? scalr_tuning_load (store, in->run_id, &error) : NULL;
  if (t == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, t, (GDestroyNotify) scalr_tuning_free);
}

/* "Recall@20" from "recall@20". */
static char *
objective_label (const char *objective)
{
  static const struct { const char *id, *label; } names[] = {
    { "recall", "Recall" }, { "ndcg", "NDCG" }, { "hit", "HitRate" }, { "mrr", "MRR" }, { "precision", "Precision" },
  };
  const char *at = strchr (objective, '@');
  g_autofree char *id = at ? g_strndup (objective, (gsize) (at - objective)) : g_strdup (objective);
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_ascii_strcasecmp (id, names[i].id) == 0)
      return g_strdup_printf ("%s%s", names[i].label, at ? at : "");
  return g_strdup (objective);
}

/* What the selection says: validation beside test, the default beside both. */
static char *
selection_text (const ScalrTuning *t, gint m, gint64 run_id)
{
  const ScalrTuningChoice *aug = &t->selected[2 * m + 1], *base = &t->selected[2 * m];
  g_autofree char *obj = objective_label (t->objective);
  g_autofree char *v = scalr_format_metric (aug->validation), *te = scalr_format_metric (aug->test);
  g_autofree char *dv = scalr_format_metric (aug->default_validation), *dt = scalr_format_metric (aug->default_test);
  g_autofree char *bv = scalr_format_metric (base->validation), *bt = scalr_format_metric (base->test);
  return g_strdup_printf ("Selected for %s with synthetic events: trial %d, %s %s on validation users (the default "
                          "configuration: %s); confirmed once on test users: %s (default: %s). Its real-only "
                          "baseline, tuned on the same trials: %s on validation, %s on test. The gap between the "
                          "validation and test scores is the search's optimism; only the test scores are an "
                          "estimate, and they were read once, after the choice. Stored as run %" G_GINT64_FORMAT ".",
                          t->models[m], aug->trial + 1, obj, v, dv, te, dt, bv, bt, run_id);
}

static void
show_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (source);
  gint64 run_id = GPOINTER_TO_SIZE (data);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrTuning) t = g_task_propagate_pointer (G_TASK (res), &error);
  if (self->disposed)
    return;
  if (t == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT " has no search to show: %s", run_id, error->message);
      gtk_label_set_text (GTK_LABEL (self->results_caption), msg);
      return;
    }
  gint m = scalr_tuning_best_model (t);
  g_autofree char *obj = objective_label (t->objective);
  g_autofree char *title = m >= 0 ? g_strdup_printf ("%s on validation (%s, %s users)", obj, t->models[m], t->segment)
                                  : g_strdup_printf ("%s on validation", obj);
  /* Only the keys that can move the shown model's augmented score: the generator's and the
   * sampler's, and its own downstream keys (another model's keys would show noise as an
   * effect). */
  g_autoptr (GArray) kept = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr (GStrvBuilder) kb = g_strv_builder_new ();
  g_autofree char *own = m >= 0 ? g_strdup_printf ("downstream.%s.", t->models[m]) : NULL;
  for (guint k = 0; t->keys[k]; k++)
    if (!g_str_has_prefix (t->keys[k], "downstream.") || (own && g_str_has_prefix (t->keys[k], own)))
      {
        g_array_append_val (kept, k);
        g_strv_builder_add (kb, t->keys[k]);
      }
  g_auto (GStrv) keys = g_strv_builder_end (kb);
  _scalr_explore_page_reset_results (self, (const char *const *) keys, title, FALSE);
  self->n_points = t->trials->len;
  for (guint i = 0; i < t->trials->len; i++)
    {
      const ScalrTuningTrial *tr = g_ptr_array_index (t->trials, i);
      ExploreTrial *e = g_new0 (ExploreTrial, 1);
      e->index = tr->index;
      e->values = g_new0 (char *, kept->len + 1);
      /* A trial without a value ends its list there (read as missing from then on). */
      for (guint k = 0; k < kept->len && tr->values[g_array_index (kept, guint, k)]; k++)
        e->values[k] = g_strdup (tr->values[g_array_index (kept, guint, k)]);
      e->seconds = tr->seconds;
      e->objective = m >= 0 ? tr->validation[2 * m + 1] : NAN;
      e->lo = e->hi = NAN;
      _scalr_explore_page_add_trial (self, e);
    }
  self->search_run_id = run_id;
  g_autofree char *sel = m >= 0 ? selection_text (t, m, run_id)
                                : g_strdup ("No selection has a score on validation users.");
  _scalr_explore_page_set_selection (self, sel);
  _scalr_explore_page_results_done (self, TRUE, NULL);
}

void
scalr_explore_page_show_tuning (ScalrExplorePage *self, gint64 run_id)
{
  g_return_if_fail (SCALR_IS_EXPLORE_PAGE (self));
  if (self->db_path == NULL)
    return;
  ShowInput *in = g_new0 (ShowInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->run_id = run_id;
  g_autoptr (GTask) task = g_task_new (self, NULL, show_done, GSIZE_TO_POINTER (run_id));
  g_task_set_task_data (task, in, (GDestroyNotify) show_input_free);
  g_task_run_in_thread (task, show_worker);
}

/* ---- starting a search -------------------------------------------------------------------- */

typedef struct {
  char          *db_path;
  char          *spec_text;   /* the base config and its [tune] group */
  double         budget;
  ScalrProgress *progress;
  gint64         run_id;
} SearchInput;

static void
search_input_free (SearchInput *in)
{
  g_free (in->db_path);
  g_free (in->spec_text);
  scalr_progress_free (in->progress);
  g_free (in);
}

static void
search_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  SearchInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrTuneSpec) spec = scalr_tune_spec_new_from_data (in->spec_text, "the Explore page's search", &error);
  gboolean ok = spec != NULL;
  if (spec)
    {
      scalr_tune_spec_set_time_budget (spec, in->budget);
      ok = scalr_tune_run (in->db_path, spec, 0, NULL, in->progress, cancellable, &in->run_id, &error);
    }
  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
on_search_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  ScalrExplorePage *self = data;
  if (g_strcmp0 (stage, "tune") == 0)
    {
      gtk_label_set_text (GTK_LABEL (self->progress_label), message);
      self->fraction = CLAMP (fraction, 0, 1);
      gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar), 0.9 * self->fraction);
      return;
    }
  g_autofree char *text = g_strdup_printf ("%s: %s", stage ? stage : "run", message ? message : "");
  gtk_label_set_text (GTK_LABEL (self->stage_label), text);
}

static void
search_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrExplorePage *self = SCALR_EXPLORE_PAGE (source);
  SearchInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gboolean ok = g_task_propagate_boolean (G_TASK (res), &error);
  _scalr_explore_page_work_ended (self);
  if (self->disposed)
    return;
  if (ok)
    scalr_explore_page_show_tuning (self, in->run_id);
  else
    _scalr_explore_page_results_done (self, TRUE, error->message);
  g_autofree char *title = ok ? g_strdup_printf ("Search done: run %" G_GINT64_FORMAT, in->run_id)
                              : g_strdup_printf ("Search stopped: %s", error->message);
  _scalr_explore_page_toast (self, title, ok ? "review" : NULL);
}

/* The objective row's choice as [tune] lines. */
static const char *
objective_lines (ScalrExplorePage *self)
{
  static const char *const lines[] = {
    "objective = recall@20\nsegment = sparse\n",
    "objective = ndcg@20\nsegment = sparse\n",
    "objective = recall@20\nsegment = all\n",
  };
  guint i = adw_combo_row_get_selected (ADW_COMBO_ROW (self->objective_row));
  return lines[MIN (i, G_N_ELEMENTS (lines) - 1)];
}

gboolean
scalr_explore_page_start_search (ScalrExplorePage *self, guint trials, GError **error)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), FALSE);
  if (self->base == NULL || self->db_path == NULL)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_NOT_INITIALIZED, "No store or configuration to start from");
      return FALSE;
    }
  if (self->cancellable)
    {
      g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_BUSY, "A sweep or search is going: wait for it or cancel it");
      return FALSE;
    }
  SearchInput *in = g_new0 (SearchInput, 1);
  in->db_path = g_strdup (self->db_path);
  g_autofree char *config = scalr_config_to_data (self->base);
  if (trials == 0)
    trials = (guint) gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->trials_spin));
  in->spec_text = g_strdup_printf ("%s\n[tune]\n%strials = %u\n", config, objective_lines (self), trials);
  in->budget = gtk_spin_button_get_value (GTK_SPIN_BUTTON (self->budget_spin));
  self->relay = scalr_progress_relay_new (on_search_progress, self);
  in->progress = scalr_progress_relay_new_progress (self->relay);
  g_autofree char *title = g_strdup_printf ("Searching %u trials on validation users…", trials);
  _scalr_explore_page_work_started (self, title, trials);
  _scalr_explore_page_reset_results (self, NULL, NULL, FALSE);
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, search_done, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, in, (GDestroyNotify) search_input_free);
  g_task_run_in_thread (task, search_worker);
  return TRUE;
}
