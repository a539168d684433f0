/* scalr-explore-results.c — the Explore page's results as they arrive: a row per trial
 * (its values, its objective with the interval, how long it took), the parallel-coordinates
 * chart from the settings to the objective, the effect of each parameter (the objective's
 * mean per value with its range; core's scalr-effects.h decides which settings matter),
 * and a caption that says what the objective is — a sweep reads test users, so its best
 * point is a choice made on the test users; a search chooses on validation users. */
#include "config.h"

#include "scalr-explore-page-private.h"

#include <math.h>

#include "scalr-chart-view.h"
#include "scalr-charts.h"
#include "scalr-effects.h"
#include "scalr-format.h"

void
_scalr_explore_trial_free (ExploreTrial *t)
{
  if (t == NULL)
    return;
  g_strfreev (t->values);
  g_free (t->error);
  g_free (t->detail);
  g_free (t);
}

/* ---- a row of the table ------------------------------------------------------------------ */

#define SCALR_TYPE_TRIAL_ITEM (scalr_trial_item_get_type ())
G_DECLARE_FINAL_TYPE (ScalrTrialItem, scalr_trial_item, SCALR, TRIAL_ITEM, GObject)

struct _ScalrTrialItem {
  GObject             parent_instance;
  const ExploreTrial *trial;   /* borrowed from the page's trials (cleared together) */
};

G_DEFINE_FINAL_TYPE (ScalrTrialItem, scalr_trial_item, G_TYPE_OBJECT)

static void
scalr_trial_item_class_init (ScalrTrialItemClass *klass)
{
}

static void
scalr_trial_item_init (ScalrTrialItem *self)
{
}

/* Columns: #, run, one per key (added per sweep), objective, interval, took. */
enum { TCOL_INDEX = -1, TCOL_RUN = -2, TCOL_OBJECTIVE = -3, TCOL_CI = -4, TCOL_TOOK = -5 };

static char *
trial_text (const ExploreTrial *t, int col)
{
  switch (col)
    {
    case TCOL_INDEX: return g_strdup_printf ("%" G_GUINT64_FORMAT, t->index + 1);
    case TCOL_RUN: return t->run_id ? g_strdup_printf ("%" G_GINT64_FORMAT, t->run_id) : g_strdup (SCALR_FORMAT_MISSING);
    case TCOL_OBJECTIVE:
      if (t->error)
        return g_strdup ("failed");
      if (!isfinite (t->objective))
        return g_strdup (SCALR_FORMAT_MISSING);
      else
        {
          g_autofree char *v = t->is_lift ? scalr_format_lift (t->objective) : scalr_format_metric (t->objective);
          return g_strdup_printf ("%s%s%s", v, t->detail ? " " : "", t->detail ? t->detail : "");
        }
    case TCOL_CI: return t->is_lift ? scalr_format_lift_ci (t->lo, t->hi) : g_strdup (SCALR_FORMAT_MISSING);
    case TCOL_TOOK: return scalr_format_duration (t->seconds);
    default: return g_strdup (t->values && (guint) col < g_strv_length (t->values) ? t->values[col] : SCALR_FORMAT_MISSING);
    }
}

static void
cell_setup (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  int col = GPOINTER_TO_INT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = col == TCOL_INDEX || col == TCOL_RUN || col == TCOL_CI || col == TCOL_TOOK || col == TCOL_OBJECTIVE;
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static void
cell_bind (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  ScalrTrialItem *it = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  g_autofree char *text = trial_text (it->trial, GPOINTER_TO_INT (data));
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, GPOINTER_TO_INT (data) == TCOL_OBJECTIVE ? it->trial->error : NULL);
}

static void
add_column (ScalrExplorePage *self, int col, const char *title)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  g_signal_connect (f, "setup", G_CALLBACK (cell_setup), GINT_TO_POINTER (col));
  g_signal_connect (f, "bind", G_CALLBACK (cell_bind), GINT_TO_POINTER (col));
  GtkColumnViewColumn *c = gtk_column_view_column_new (title, f);
  gtk_column_view_column_set_resizable (c, TRUE);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->trials_table), c);
  g_object_unref (c);
}

void
_scalr_explore_page_setup_results (ScalrExplorePage *self)
{
  self->trial_store = g_list_store_new (SCALR_TYPE_TRIAL_ITEM);
  GtkNoSelection *sel = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->trial_store)));
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->trials_table), GTK_SELECTION_MODEL (sel));
  g_object_unref (sel);
  scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (self->parallel_view), "The trials appear here as they finish");
  gtk_label_set_text (GTK_LABEL (self->results_caption),
                      "Start a sweep: its runs appear here one by one, then as a group on the Compare page.");
}

void
_scalr_explore_page_reset_results (ScalrExplorePage *self, const char *const *keys, const char *objective_title,
                                   gboolean is_lift)
{
  static const char *const none[] = { NULL };
  keys = keys ? keys : none;
  g_list_store_remove_all (self->trial_store);
  g_ptr_array_set_size (self->trials, 0);
  g_strfreev (self->keys);
  self->keys = g_strdupv ((char **) keys);
  if (objective_title)
    {
      g_free (self->objective_title);
      self->objective_title = g_strdup (objective_title);
    }
  self->objective_is_lift = is_lift;
  /* The table's columns follow the keys. */
  GListModel *cols = gtk_column_view_get_columns (GTK_COLUMN_VIEW (self->trials_table));
  while (g_list_model_get_n_items (cols) > 0)
    {
      g_autoptr (GtkColumnViewColumn) c = g_list_model_get_item (cols, 0);
      gtk_column_view_remove_column (GTK_COLUMN_VIEW (self->trials_table), c);
    }
  add_column (self, TCOL_INDEX, is_lift ? "#" : "Trial");
  if (is_lift)
    add_column (self, TCOL_RUN, "Run");
  for (guint k = 0; keys[k]; k++)
    add_column (self, (int) k, strchr (keys[k], '.') ? strchr (keys[k], '.') + 1 : keys[k]);
  add_column (self, TCOL_OBJECTIVE, self->objective_title ? self->objective_title : "Objective");
  if (is_lift)
    add_column (self, TCOL_CI, "CI or replicates' range");
  add_column (self, TCOL_TOOK, "Took");
  gtk_widget_set_visible (self->trials_scroller, keys[0] != NULL);
  gtk_widget_set_visible (self->parallel_view, TRUE);
  scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->parallel_view), NULL);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->effects_box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->effects_box), child);
  _scalr_explore_page_set_selection (self, NULL);
}

void
_scalr_explore_page_set_selection (ScalrExplorePage *self, const char *text)
{
  gtk_label_set_text (GTK_LABEL (self->selection_caption), text ? text : "");
  gtk_widget_set_visible (self->selection_caption, text != NULL);
}

const char *
scalr_explore_page_get_selection_text (ScalrExplorePage *self)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->selection_caption));
}

/* The trials as parallel arrays for the chart and the effects. */
static void
trials_arrays (ScalrExplorePage *self, GPtrArray *values, GArray *obj, GArray *lo, GArray *hi)
{
  guint n_keys = g_strv_length (self->keys);
  for (guint t = 0; t < self->trials->len; t++)
    {
      const ExploreTrial *tr = g_ptr_array_index (self->trials, t);
      for (guint k = 0; k < n_keys; k++)
        g_ptr_array_add (values, tr->values && k < g_strv_length (tr->values) ? tr->values[k] : NULL);
      double o = tr->error ? NAN : tr->objective;
      g_array_append_val (obj, o);
      g_array_append_val (lo, tr->lo);
      g_array_append_val (hi, tr->hi);
    }
}

static void
fill_charts (ScalrExplorePage *self)
{
  guint n_keys = g_strv_length (self->keys);
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  g_autoptr (GArray) obj = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) lo = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr (GArray) hi = g_array_new (FALSE, FALSE, sizeof (double));
  trials_arrays (self, values, obj, lo, hi);
  const char *label = self->objective_title ? self->objective_title : "objective";
  gboolean lift = self->objective_is_lift;
  if (n_keys == 0)
    return;
  scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->parallel_view),
                             scalr_charts_parallel (NULL, n_keys, (const char *const *) self->keys, self->trials->len,
                                                    (const char *const *) values->pdata, (double *) obj->data, label, lift));
  g_autoptr (GPtrArray) effects = scalr_effects_compute (self->trials->len, n_keys, (const char *const *) self->keys,
                                                         (const char *const *) values->pdata, (double *) obj->data,
                                                         (double *) lo->data, (double *) hi->data);
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->effects_box)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->effects_box), child);
  for (guint e = 0; e < effects->len && e < 6; e++)
    {
      GtkWidget *view = scalr_chart_view_new ();
      gtk_widget_set_size_request (view, 280, 280);
      scalr_chart_view_set_plot (SCALR_CHART_VIEW (view), scalr_charts_effect (g_ptr_array_index (effects, e), label, lift));
      gtk_flow_box_append (GTK_FLOW_BOX (self->effects_box), view);
    }
}

void
_scalr_explore_page_add_trial (ScalrExplorePage *self, ExploreTrial *trial)
{
  trial->is_lift = self->objective_is_lift;
  g_ptr_array_add (self->trials, trial);
  ScalrTrialItem *it = g_object_new (SCALR_TYPE_TRIAL_ITEM, NULL);
  it->trial = trial;
  g_list_store_append (self->trial_store, it);
  g_object_unref (it);
  fill_charts (self);
  if (!self->objective_is_lift)
    return;   /* a search's trials arrive at once, when it ends */
  g_autofree char *cap = g_strdup_printf ("%u of %" G_GUINT64_FORMAT " runs done.", self->trials->len, self->n_points);
  gtk_label_set_text (GTK_LABEL (self->results_caption), cap);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->progress_bar),
                                 self->n_points ? (double) self->trials->len / self->n_points : 0);
}

void
_scalr_explore_page_results_done (ScalrExplorePage *self, gboolean search, const char *message)
{
  guint failed = 0;
  const ExploreTrial *best = NULL;
  for (guint t = 0; t < self->trials->len; t++)
    {
      const ExploreTrial *tr = g_ptr_array_index (self->trials, t);
      failed += tr->error != NULL;
      if (!tr->error && isfinite (tr->objective) && (best == NULL || tr->objective > best->objective))
        best = tr;
    }
  GString *cap = g_string_new (NULL);
  if (message)
    g_string_append_printf (cap, "%s. ", message);
  g_string_append_printf (cap, "%u %s%s", self->trials->len, search ? "trial" : "run",
                          self->trials->len == 1 ? "" : "s");
  if (self->group_id && !search)
    g_string_append_printf (cap, " in group #%" G_GINT64_FORMAT " (Compare shows it)", self->group_id);
  if (search && self->trials->len)
    g_string_append (cap, ", scored on validation users only: the chart and the effects below read no test user");
  if (failed)
    g_string_append_printf (cap, ", %u failed", failed);
  g_string_append (cap, ". ");
  if (best && !search)
    {
      g_autofree char *lift = scalr_format_lift (best->objective);
      g_autofree char *vals = g_strjoinv (", ", best->values);
      g_string_append_printf (cap, "Highest: %s at %s (run %" G_GINT64_FORMAT "). These lifts are measured on the test "
                              "users, so picking the best point here is a choice made on the test users: it "
                              "flatters. For an honest choice, search on validation users (Search) and read its "
                              "test confirmation.", lift, vals, best->run_id);
    }
  g_autofree char *text = g_string_free (cap, FALSE);
  gtk_label_set_text (GTK_LABEL (self->results_caption), text);
}

guint
scalr_explore_page_get_n_trials (ScalrExplorePage *self)
{
  g_return_val_if_fail (SCALR_IS_EXPLORE_PAGE (self), 0);
  return self->trials->len;
}
