/* scalr-compare-page.c — finished runs side by side, and sweeps.
 *
 * set_store (and showing the page again) reads every finished run's results in a GTask
 * thread with its own store connection; the main thread keeps them and rebuilds the table
 * and the sweep chart from them when the selection or a dropdown changes. */
#include "config.h"

#include "scalr-compare-page.h"

#include <math.h>

#include "scalr-chart-view.h"
#include "scalr-charts.h"
#include "scalr-resources.h"
#include "scalr-run-results.h"
#include "scalr-stats.h"
#include "scalr-store.h"

/* Runs preselected on the first load (the latest ones). */
#define DEFAULT_SELECTED 8

struct _ScalrComparePage {
  GtkWidget parent_instance;

  GtkWidget *stack, *empty_page, *run_list, *select_all_button, *select_none_button, *refresh_button;
  GtkWidget *segment_dropdown, *metric_dropdown, *k_dropdown, *k_label, *reference_dropdown;
  GtkWidget *table_grid, *sweep_key_dropdown, *sweep_model_dropdown, *sweep_caption, *sweep_view;

  char         *db_path;
  GCancellable *cancellable;
  GPtrArray    *runs;         /* ScalrRunResults*, by run id ascending */
  GHashTable   *selected;     /* run ids (gint64*) selected; survives reloads */
  gboolean      have_loaded;  /* the first load applies the default selection */
  GPtrArray    *checks;       /* GtkCheckButton*, parallel to runs (borrowed) */
  GPtrArray    *models;       /* char*: the union of the runs' models */
  GPtrArray    *sweep_keys;   /* char* "group.key" differing between the selected runs */
  GArray       *k_values;     /* guint */
  gboolean      updating;
};

G_DEFINE_FINAL_TYPE (ScalrComparePage, scalr_compare_page, GTK_TYPE_WIDGET)

/* gtk_list_box_remove_all is GTK 4.12; Debian 12 has 4.8. */
static void
list_box_clear (GtkWidget *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static const struct { const char *id, *label; } segments[] = {
  { "all", "All tested users" }, { "sparse", "Sparse users" }, { "warm", "Warm users" },
};
static const char *const metric_ids[] = { "recall", "ndcg", "hit", "mrr", "precision", "ne", "auc" };

static void rebuild (ScalrComparePage *self);

/* ---- loading -------------------------------------------------------------------------- */

static void
load_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *db_path = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (GPtrArray) list = scalr_store_list_runs (store, &error);
  if (list == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_run_results_free);
  for (guint i = 0; i < list->len; i++)
    {
      ScalrRunInfo *info = g_ptr_array_index (list, i);
      if (info->status != SCALR_RUN_FINISHED)
        continue;
      if (g_task_return_error_if_cancelled (task))
        return;
      ScalrRunResults *r = scalr_run_results_load (store, info->id, TRUE, &error);
      if (r == NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (runs, r);
    }
  g_task_return_pointer (task, g_steal_pointer (&runs), (GDestroyNotify) g_ptr_array_unref);
}

static void
on_check_toggled (GtkCheckButton *check, ScalrComparePage *self)
{
  if (self->updating)
    return;
  gint64 id = GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "run-id"));
  if (gtk_check_button_get_active (check))
    g_hash_table_add (self->selected, g_memdup2 (&id, sizeof id));
  else
    g_hash_table_remove (self->selected, &id);
  rebuild (self);
}

static gboolean
is_selected (ScalrComparePage *self, const ScalrRunResults *r)
{
  return g_hash_table_contains (self->selected, &r->info->id);
}

static void
fill_run_list (ScalrComparePage *self)
{
  list_box_clear (self->run_list);
  g_ptr_array_set_size (self->checks, 0);
  self->updating = TRUE;
  for (guint i = self->runs->len; i-- > 0;)   /* newest first */
    {
      const ScalrRunResults *r = g_ptr_array_index (self->runs, i);
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = scalr_run_results_dup_title (r);
      g_autofree char *etitle = g_markup_escape_text (title, -1);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), TRUE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), etitle);
      g_autofree char *gen = scalr_run_results_dup_config (r, "generator", "model");
      g_autofree char *strategy = scalr_run_results_dup_config (r, "sampler", "strategy");
      g_autofree char *created = g_strndup (r->info->created_at ? r->info->created_at : "", 16);
      for (char *p = created; *p; p++)
        if (*p == 'T')
          *p = ' ';
      g_autofree char *sub = g_strdup_printf ("%s · %s · %s\n%s", r->info->dataset, gen ? gen : "?",
                                              strategy ? strategy : "?", created);
      g_autofree char *esub = g_markup_escape_text (sub, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), esub);
      GtkWidget *check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (check), "run-id", GSIZE_TO_POINTER ((gsize) r->info->id));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), is_selected (self, r));
      g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (self->run_list), row);
      g_ptr_array_add (self->checks, check);
    }
  self->updating = FALSE;
}

static void
set_dropdown_strings (GtkWidget *dropdown, const char *const *labels, guint selected)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (labels);
  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (list));
  if (selected < g_list_model_get_n_items (G_LIST_MODEL (list)))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
}

static void
fill_k_and_models (ScalrComparePage *self)
{
  guint old_k = 0;
  guint ki = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->k_dropdown));
  if (ki < self->k_values->len)
    old_k = g_array_index (self->k_values, guint, ki);
  g_array_set_size (self->k_values, 0);
  g_ptr_array_set_size (self->models, 0);
  guint headline = 0;
  for (guint i = 0; i < self->runs->len; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (self->runs, i);
      if (headline == 0)
        headline = r->headline_k;
      for (guint j = 0; j < r->ks->len; j++)
        {
          guint k = g_array_index (r->ks, guint, j);
          gboolean seen = FALSE;
          for (guint x = 0; x < self->k_values->len && !seen; x++)
            seen = g_array_index (self->k_values, guint, x) == k;
          if (!seen)
            g_array_append_val (self->k_values, k);
        }
      for (guint m = 0; m < r->models->len; m++)
        {
          const char *model = g_ptr_array_index (r->models, m);
          gboolean seen = FALSE;
          for (guint x = 0; x < self->models->len && !seen; x++)
            seen = g_strcmp0 (g_ptr_array_index (self->models, x), model) == 0;
          if (!seen)
            g_ptr_array_add (self->models, g_strdup (model));
        }
    }
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint pos = 0;
  for (guint x = 0; x < self->k_values->len; x++)
    {
      guint k = g_array_index (self->k_values, guint, x);
      g_ptr_array_add (labels, g_strdup_printf ("%u", k));
      if (k == (old_k ? old_k : headline))
        pos = x;
    }
  g_ptr_array_add (labels, NULL);
  set_dropdown_strings (self->k_dropdown, (const char *const *) labels->pdata, pos);

  guint msel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sweep_model_dropdown));
  g_autoptr (GPtrArray) mlabels = g_ptr_array_new ();
  g_ptr_array_add (mlabels, (gpointer) "All models");
  for (guint m = 0; m < self->models->len; m++)
    g_ptr_array_add (mlabels, g_ptr_array_index (self->models, m));
  g_ptr_array_add (mlabels, NULL);
  set_dropdown_strings (self->sweep_model_dropdown, (const char *const *) mlabels->pdata,
                        msel <= self->models->len ? msel : 0);
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (source);
  g_autoptr (GError) error = NULL;
  GPtrArray *runs = g_task_propagate_pointer (G_TASK (res), &error);
  if (runs == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "The runs could not be read");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      g_ptr_array_unref (runs);
      return;
    }
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = runs;
  if (!self->have_loaded)
    {
      for (guint i = runs->len > DEFAULT_SELECTED ? runs->len - DEFAULT_SELECTED : 0; i < runs->len; i++)
        {
          const ScalrRunResults *r = g_ptr_array_index (runs, i);
          g_hash_table_add (self->selected, g_memdup2 (&r->info->id, sizeof (gint64)));
        }
      self->have_loaded = TRUE;
    }
  if (runs->len == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "No finished runs yet");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
        "Runs that finished appear here to be compared side by side; runs that differ in one config key form a sweep.");
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  self->updating = TRUE;
  fill_run_list (self);
  fill_k_and_models (self);
  self->updating = FALSE;
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "content");
  rebuild (self);
}

static void
reload (ScalrComparePage *self)
{
  if (self->db_path == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, load_done, NULL);
  g_task_set_source_tag (task, reload);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, load_worker);
}

void
scalr_compare_page_set_store (ScalrComparePage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_COMPARE_PAGE (self));
  g_return_if_fail (db_path != NULL);
  if (g_strcmp0 (self->db_path, db_path) != 0)
    {
      g_hash_table_remove_all (self->selected);
      self->have_loaded = FALSE;
    }
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  reload (self);
}

/* ---- the side-by-side table ----------------------------------------------------------- */

static const char *
dropdown_id (GtkWidget *dropdown, guint n, const char *(*get) (guint))
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));
  return i < n ? get (i) : NULL;
}

static const char *
segment_at (guint i)
{
  return segments[i].id;
}

static const char *
metric_at (guint i)
{
  return metric_ids[i];
}

static GtkWidget *
grid_label (const char *text, gboolean numeric, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), numeric ? 1.0f : 0.0f);
  gtk_label_set_justify (GTK_LABEL (l), numeric ? GTK_JUSTIFY_RIGHT : GTK_JUSTIFY_LEFT);
  if (numeric)
    gtk_widget_add_css_class (l, "numeric");
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

static char *
pct (double v)
{
  return scalr_format_printf ("%+.1f%%", 100 * v);
}

/* The CI level stored with the first selected run that has lifts. */
static double
selection_level (GArray *sel);

/* The selected runs, sorted by the swept key's value when there is one. */
typedef struct {
  const ScalrRunResults *r;
  double                 x;
  char                  *value;
} SelRun;

static int
cmp_selrun (gconstpointer a, gconstpointer b)
{
  const SelRun *x = a, *y = b;
  if (isfinite (x->x) && isfinite (y->x) && x->x != y->x)
    return x->x < y->x ? -1 : 1;
  return x->r->info->id < y->r->info->id ? -1 : x->r->info->id > y->r->info->id;
}

static void
selrun_clear (SelRun *s)
{
  g_free (s->value);
}

static char *
config_value (const ScalrRunResults *r, const char *dotted)
{
  const char *dot = strchr (dotted, '.');
  if (dot == NULL)
    return NULL;
  g_autofree char *group = g_strndup (dotted, (gsize) (dot - dotted));
  return scalr_run_results_dup_config (r, group, dot + 1);
}

static gboolean
parse_number (const char *s, double *out)
{
  if (s == NULL || s[0] == '\0')
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (*end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

/* Config keys whose values differ between the selected runs, numeric ones first. */
static void
find_sweep_keys (ScalrComparePage *self, GArray *sel)
{
  g_ptr_array_set_size (self->sweep_keys, 0);
  if (sel->len < 2)
    return;
  g_autoptr (GPtrArray) numeric = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) other = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; i < sel->len; i++)
    {
      const ScalrRunResults *r = g_array_index (sel, SelRun, i).r;
      g_auto (GStrv) groups = g_key_file_get_groups (r->config, NULL);
      for (guint g = 0; groups[g]; g++)
        {
          g_auto (GStrv) keys = g_key_file_get_keys (r->config, groups[g], NULL, NULL);
          for (guint k = 0; keys && keys[k]; k++)
            {
              char *dotted = g_strdup_printf ("%s.%s", groups[g], keys[k]);
              if (!g_hash_table_add (seen, dotted))
                continue;
              gboolean differs = FALSE, all_numeric = TRUE;
              g_autofree char *first = config_value (g_array_index (sel, SelRun, 0).r, dotted);
              for (guint j = 0; j < sel->len; j++)
                {
                  g_autofree char *v = config_value (g_array_index (sel, SelRun, j).r, dotted);
                  double x;
                  differs |= g_strcmp0 (v, first) != 0;
                  all_numeric &= parse_number (v, &x);
                }
              if (differs)
                g_ptr_array_add (all_numeric ? numeric : other, g_strdup (dotted));
            }
        }
    }
  for (guint i = 0; i < numeric->len; i++)
    g_ptr_array_add (self->sweep_keys, g_strdup (g_ptr_array_index (numeric, i)));
  for (guint i = 0; i < other->len; i++)
    g_ptr_array_add (self->sweep_keys, g_strdup (g_ptr_array_index (other, i)));
}

static void
fill_table (ScalrComparePage *self, GArray *sel, const char *segment, const char *metric, guint k,
            const char *reference, const char *sweep_key)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->table_grid)) != NULL)
    gtk_grid_remove (GTK_GRID (self->table_grid), child);
  GtkGrid *grid = GTK_GRID (self->table_grid);
  if (sel->len == 0)
    {
      gtk_grid_attach (grid, grid_label ("Select runs on the left to compare them.", FALSE, "dim-label"), 0, 0, 1, 1);
      return;
    }
  g_autofree char *mlabel = scalr_metric_label (metric, k);
  gtk_grid_attach (grid, grid_label (mlabel, FALSE, "heading"), 0, 0, 1, 1);
  /* Runs are rows (a sweep has many), models columns (a handful). */
  for (guint m = 0; m < self->models->len; m++)
    gtk_grid_attach (grid, grid_label (g_ptr_array_index (self->models, m), TRUE, "heading"), (int) m + 1, 0, 1, 1);
  for (guint c = 0; c < sel->len; c++)
    {
      const SelRun *s = &g_array_index (sel, SelRun, c);
      const ScalrRunResults *r = s->r;
      g_autofree char *title = scalr_run_results_dup_title (r);
      g_autofree char *head = sweep_key && s->value ? g_strdup_printf ("%s\n%s = %s", title, strchr (sweep_key, '.') + 1, s->value)
                                                    : g_strdup (title);
      GtkWidget *rl = grid_label (head, FALSE, NULL);
      gtk_grid_attach (grid, rl, 0, (int) c + 1, 1, 1);
      for (guint m = 0; m < self->models->len; m++)
        {
          const char *model = g_ptr_array_index (self->models, m);
          const ScalrLiftRow *l = scalr_run_results_lift (r, model, segment, metric, k, reference);
          GtkWidget *cell;
          if (l)
            {
              g_autofree char *lift = pct (l->lift), *lo = pct (l->ci_low), *hi = pct (l->ci_high);
              gboolean sig = isfinite (l->p_holm) && l->p_holm < SCALR_SIGNIFICANCE_LEVEL;
              gboolean good = scalr_metric_is_higher_better (metric) ? l->lift > 0 : l->lift < 0;
              g_autofree char *vs = g_strcmp0 (reference, "strongest") == 0
                ? g_strdup_printf (" (vs %s)", l->baseline_model) : g_strdup ("");
              g_autofree char *base = scalr_format_printf ("%.4f", l->base_mean);
              g_autofree char *aug = scalr_format_printf ("%.4f", l->aug_mean);
              g_autofree char *text = g_strdup_printf ("%s [%s, %s]%s\n%s → %s%s", lift, lo, hi, sig ? " ✱" : "",
                                                       base, aug, vs);
              cell = grid_label (text, TRUE, sig ? (good ? "success" : "error") : NULL);
              g_autofree char *ci = scalr_stats_ci_label (l->level);
              g_autofree char *pt = scalr_format_printf ("%.3g", l->p_t);
              g_autofree char *pw = scalr_format_printf ("%.3g", l->p_wilcoxon);
              g_autofree char *ph = scalr_format_printf ("%.3g", l->p_holm);
              g_autofree char *tip = g_strdup_printf ("%s, %s users: baseline %s %s, augmented %s; lift %s "
                                                      "(%s %s to %s); p(t) %s, p(Wilcoxon) %s, p(Holm) %s%s%s%s",
                                                      model, segment, l->baseline_model, base, aug,
                                                      lift, ci, lo, hi, pt, pw, ph, sig ? " — significant" : "",
                                                      l->note ? "; " : "", l->note ? l->note : "");
              gtk_widget_set_tooltip_text (cell, tip);
            }
          else
            {
              double b = scalr_run_results_metric (r, model, "baseline", segment, metric, k);
              double a = scalr_run_results_metric (r, model, "augmented", segment, metric, k);
              g_autofree char *bs = scalr_format_printf ("%.4f", b), *as = scalr_format_printf ("%.4f", a);
              g_autofree char *text = isfinite (b) || isfinite (a) ? g_strdup_printf ("%s → %s", bs, as) : g_strdup ("—");
              cell = grid_label (text, TRUE, "dim-label");
            }
          gtk_grid_attach (grid, cell, (int) m + 1, (int) c + 1, 1, 1);
        }
    }
  g_autofree char *ci = scalr_stats_ci_label (selection_level (sel));
  g_autofree char *note_text = g_strdup_printf ("Lift with its %s, then baseline → augmented; ✱ and colour: significant "
                                                "(Holm-adjusted p < 0.05); — where a value is undefined. Hover a cell "
                                                "for the p-values.", ci);
  GtkWidget *note = grid_label (note_text, FALSE, "dim-label");
  gtk_widget_add_css_class (note, "caption");
  gtk_label_set_wrap (GTK_LABEL (note), TRUE);
  gtk_grid_attach (grid, note, 0, (int) sel->len + 1, (int) self->models->len + 1, 1);
}

/* ---- the sweep chart ------------------------------------------------------------------ */

static double
selection_level (GArray *sel)
{
  for (guint i = 0; i < sel->len; i++)
    {
      double level = scalr_run_results_level (g_array_index (sel, SelRun, i).r);
      if (isfinite (level))
        return level;
    }
  return NAN;
}

static void
fill_sweep (ScalrComparePage *self, GArray *sel, const char *segment, const char *metric, guint k,
            const char *reference, const char *key)
{
  ScalrChartView *view = SCALR_CHART_VIEW (self->sweep_view);
  gtk_label_set_text (GTK_LABEL (self->sweep_caption), "");
  if (sel->len < 2)
    {
      scalr_chart_view_set_empty_text (view, "Select two or more runs that differ in a config key");
      scalr_chart_view_set_plot (view, NULL);
      return;
    }
  if (key == NULL)
    {
      scalr_chart_view_set_empty_text (view, "The selected runs have the same config");
      scalr_chart_view_set_plot (view, NULL);
      return;
    }
  for (guint i = 0; i < sel->len; i++)
    if (!isfinite (g_array_index (sel, SelRun, i).x))
      {
        g_autofree char *t = g_strdup_printf ("%s is not numeric: compare its values in the table above", key);
        scalr_chart_view_set_empty_text (view, t);
        scalr_chart_view_set_plot (view, NULL);
        return;
      }
  /* Which models to draw. */
  g_autoptr (GPtrArray) models = g_ptr_array_new ();
  guint msel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sweep_model_dropdown));
  for (guint m = 0; m < self->models->len; m++)
    if (msel == 0 || msel == m + 1)
      g_ptr_array_add (models, g_ptr_array_index (self->models, m));
  guint n = sel->len;
  g_autofree double *x = g_new (double, n);
  g_autofree double *lift = g_new (double, (gsize) n * MAX (models->len, 1));
  g_autofree double *lo = g_new (double, (gsize) n * MAX (models->len, 1));
  g_autofree double *hi = g_new (double, (gsize) n * MAX (models->len, 1));
  double xmin = INFINITY, xmax = -INFINITY;
  gboolean duplicates = FALSE;
  for (guint i = 0; i < n; i++)
    {
      x[i] = g_array_index (sel, SelRun, i).x;
      xmin = MIN (xmin, x[i]);
      xmax = MAX (xmax, x[i]);
      if (i > 0 && x[i] == x[i - 1])
        duplicates = TRUE;
    }
  for (guint m = 0; m < models->len; m++)
    for (guint i = 0; i < n; i++)
      {
        const ScalrLiftRow *l = scalr_run_results_lift (g_array_index (sel, SelRun, i).r, g_ptr_array_index (models, m),
                                                        segment, metric, k, reference);
        lift[m * n + i] = l ? l->lift : NAN;
        lo[m * n + i] = l ? l->ci_low : NAN;
        hi[m * n + i] = l ? l->ci_high : NAN;
      }
  gboolean log_x = xmin > 0 && xmax / xmin > 10;
  const char *param = strchr (key, '.') + 1;
  g_autofree char *mlabel = scalr_metric_label (metric, k);
  g_autofree char *title = g_strdup_printf ("%s lift against %s (%s, %s baseline)", mlabel, param,
                                            g_strcmp0 (segment, "all") == 0 ? "all tested users"
                                            : g_strcmp0 (segment, "sparse") == 0 ? "sparse users" : "warm users",
                                            g_strcmp0 (reference, "own") == 0 ? "own" : "strongest");
  scalr_chart_view_set_plot (view, scalr_charts_sweep_models (title, param, (const char *const *) models->pdata, models->len,
                                                               n, x, lift, lo, hi, selection_level (sel), log_x));
  GString *cap = g_string_new (NULL);
  if (self->sweep_keys->len > 1)
    {
      g_string_append (cap, "Other keys differ too: ");
      guint shown = 0;
      for (guint i = 0; i < self->sweep_keys->len && shown < 4; i++)
        if (g_strcmp0 (g_ptr_array_index (self->sweep_keys, i), key) != 0)
          g_string_append_printf (cap, "%s%s", shown++ ? ", " : "", (char *) g_ptr_array_index (self->sweep_keys, i));
      if (self->sweep_keys->len - 1 > shown)
        g_string_append (cap, ", …");
      g_string_append (cap, ". ");
    }
  if (duplicates)
    g_string_append (cap, "Several runs share a value. ");
  if (log_x)
    g_string_append (cap, "Log x axis (values span more than a decade).");
  g_autofree char *text = g_string_free (cap, FALSE);
  gtk_label_set_text (GTK_LABEL (self->sweep_caption), text);
  gtk_widget_set_tooltip_text (self->sweep_caption, text);
}

static void
rebuild (ScalrComparePage *self)
{
  if (self->runs == NULL || self->updating)
    return;
  const char *segment = dropdown_id (self->segment_dropdown, G_N_ELEMENTS (segments), segment_at);
  const char *metric = dropdown_id (self->metric_dropdown, G_N_ELEMENTS (metric_ids), metric_at);
  if (segment == NULL || metric == NULL)
    return;
  gboolean pointwise = g_strcmp0 (metric, "ne") == 0 || g_strcmp0 (metric, "auc") == 0;
  gtk_widget_set_sensitive (self->k_dropdown, !pointwise);
  gtk_widget_set_sensitive (self->k_label, !pointwise);
  guint ki = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->k_dropdown));
  guint k = pointwise || ki >= self->k_values->len ? 0 : g_array_index (self->k_values, guint, ki);
  const char *reference = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->reference_dropdown)) == 1 ? "strongest" : "own";

  g_autoptr (GArray) sel = g_array_new (FALSE, FALSE, sizeof (SelRun));
  g_array_set_clear_func (sel, (GDestroyNotify) selrun_clear);
  for (guint i = 0; i < self->runs->len; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (self->runs, i);
      if (is_selected (self, r))
        {
          SelRun s = { r, NAN, NULL };
          g_array_append_val (sel, s);
        }
    }
  /* Sweep keys, keeping the chosen one when it still differs. */
  g_autofree char *old_key = NULL;
  guint kpos = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->sweep_key_dropdown));
  if (kpos < self->sweep_keys->len)
    old_key = g_strdup (g_ptr_array_index (self->sweep_keys, kpos));
  find_sweep_keys (self, sel);
  guint new_pos = 0;
  for (guint i = 0; i < self->sweep_keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->sweep_keys, i), old_key) == 0)
      new_pos = i;
  self->updating = TRUE;
  g_ptr_array_add (self->sweep_keys, NULL);
  set_dropdown_strings (self->sweep_key_dropdown, (const char *const *) self->sweep_keys->pdata, new_pos);
  g_ptr_array_set_size (self->sweep_keys, self->sweep_keys->len - 1);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->sweep_key_dropdown, self->sweep_keys->len > 0);
  const char *key = new_pos < self->sweep_keys->len ? g_ptr_array_index (self->sweep_keys, new_pos) : NULL;
  for (guint i = 0; key && i < sel->len; i++)
    {
      SelRun *s = &g_array_index (sel, SelRun, i);
      s->value = config_value (s->r, key);
      if (!parse_number (s->value, &s->x))
        s->x = NAN;
    }
  g_array_sort (sel, cmp_selrun);
  fill_table (self, sel, segment, metric, k, reference, key);
  fill_sweep (self, sel, segment, metric, k, reference, key);
}

static void
on_choice (GObject *dropdown, GParamSpec *pspec, ScalrComparePage *self)
{
  rebuild (self);
}

static void
set_all (ScalrComparePage *self, gboolean on)
{
  g_hash_table_remove_all (self->selected);
  if (on && self->runs)
    for (guint i = 0; i < self->runs->len; i++)
      {
        const ScalrRunResults *r = g_ptr_array_index (self->runs, i);
        g_hash_table_add (self->selected, g_memdup2 (&r->info->id, sizeof (gint64)));
      }
  self->updating = TRUE;
  for (guint i = 0; i < self->checks->len; i++)
    gtk_check_button_set_active (g_ptr_array_index (self->checks, i), on);
  self->updating = FALSE;
  rebuild (self);
}

static void
on_select_all (GtkButton *b, ScalrComparePage *self)
{
  set_all (self, TRUE);
}

static void
on_select_none (GtkButton *b, ScalrComparePage *self)
{
  set_all (self, FALSE);
}

static void
on_refresh (GtkButton *b, ScalrComparePage *self)
{
  reload (self);
}

static void
on_map (GtkWidget *widget, ScalrComparePage *self)
{
  /* New runs may have finished since: read again (the selection is kept). */
  if (self->runs)
    reload (self);
}

static void
present_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (widget);
  scalr_chart_view_present (SCALR_CHART_VIEW (self->sweep_view));
}

static void
scalr_compare_page_dispose (GObject *object)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (object);
  g_cancellable_cancel (self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_COMPARE_PAGE);
  G_OBJECT_CLASS (scalr_compare_page_parent_class)->dispose (object);
}

static void
scalr_compare_page_finalize (GObject *object)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->sweep_keys, g_ptr_array_unref);
  g_clear_pointer (&self->k_values, g_array_unref);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_compare_page_parent_class)->finalize (object);
}

static void
scalr_compare_page_class_init (ScalrComparePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GResource *bundle = scalr_get_resource ();   /* links the resource bundle in */
  (void) bundle;
  g_type_ensure (SCALR_TYPE_CHART_VIEW);
  object_class->dispose = scalr_compare_page_dispose;
  object_class->finalize = scalr_compare_page_finalize;
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-compare-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, ScalrComparePage, name)
  CHILD (stack);
  CHILD (empty_page);
  CHILD (run_list);
  CHILD (select_all_button);
  CHILD (select_none_button);
  CHILD (refresh_button);
  CHILD (segment_dropdown);
  CHILD (metric_dropdown);
  CHILD (k_dropdown);
  CHILD (k_label);
  CHILD (reference_dropdown);
  CHILD (table_grid);
  CHILD (sweep_key_dropdown);
  CHILD (sweep_model_dropdown);
  CHILD (sweep_caption);
  CHILD (sweep_view);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "compare.present", NULL, present_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "compare.present", NULL);
  gtk_widget_class_set_css_name (widget_class, "comparepage");
}

static void
scalr_compare_page_init (ScalrComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->selected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->checks = g_ptr_array_new ();
  self->models = g_ptr_array_new_with_free_func (g_free);
  self->sweep_keys = g_ptr_array_new_with_free_func (g_free);
  self->k_values = g_array_new (FALSE, FALSE, sizeof (guint));

  g_autoptr (GPtrArray) seg = g_ptr_array_new ();
  for (guint i = 0; i < G_N_ELEMENTS (segments); i++)
    g_ptr_array_add (seg, (gpointer) segments[i].label);
  g_ptr_array_add (seg, NULL);
  set_dropdown_strings (self->segment_dropdown, (const char *const *) seg->pdata, 0);
  g_autoptr (GPtrArray) met = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < G_N_ELEMENTS (metric_ids); i++)
    g_ptr_array_add (met, scalr_metric_label (metric_ids[i], 0));
  g_ptr_array_add (met, NULL);
  set_dropdown_strings (self->metric_dropdown, (const char *const *) met->pdata, 0);
  const char *refs[] = { "Own baseline", "Strongest baseline", NULL };
  set_dropdown_strings (self->reference_dropdown, refs, 0);
  scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (self->sweep_view), "Select two or more runs that differ in a config key");

  GtkWidget *drops[] = { self->segment_dropdown, self->metric_dropdown, self->k_dropdown, self->reference_dropdown,
                         self->sweep_key_dropdown, self->sweep_model_dropdown };
  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    g_signal_connect (drops[i], "notify::selected", G_CALLBACK (on_choice), self);
  g_signal_connect (self->select_all_button, "clicked", G_CALLBACK (on_select_all), self);
  g_signal_connect (self->select_none_button, "clicked", G_CALLBACK (on_select_none), self);
  g_signal_connect (self->refresh_button, "clicked", G_CALLBACK (on_refresh), self);
  g_signal_connect (self, "map", G_CALLBACK (on_map), self);
}

GtkWidget *
scalr_compare_page_new (void)
{
  return g_object_new (SCALR_TYPE_COMPARE_PAGE, NULL);
}
