/* scalr-compare-view.c — what the Compare page shows for the selected runs: one small chart
 * per model along the chosen key (lines only between runs equal in every other key; the
 * others as unconnected points), a table with a row per run and model (every column
 * visible: the lift against the strongest baseline, its Holm p, the lift against the own
 * baseline, the means), a caption that says what is joined and why, and a PDF of it all. */
#include "config.h"

#include "scalr-compare-page-private.h"

#include <math.h>

#include "scalr-chart-view.h"
#include "scalr-charts.h"
#include "scalr-compare-chart.h"
#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-report.h"
#include "scalr-stats.h"
#include "scalr-store.h"

/* ---- a row of the table ----------------------------------------------------------------- */

#define SCALR_TYPE_COMPARE_ROW (scalr_compare_row_get_type ())
G_DECLARE_FINAL_TYPE (ScalrCompareRow, scalr_compare_row, SCALR, COMPARE_ROW, GObject)

struct _ScalrCompareRow {
  GObject                parent_instance;
  const ScalrRunResults *run;        /* borrowed: the page drops its rows before its results */
  char                  *model, *value;
  const ScalrLiftRow    *strongest, *own;   /* borrowed from run; may be NULL */
  double                 x;          /* the key's value as a number (NaN: not one) */
};

G_DEFINE_FINAL_TYPE (ScalrCompareRow, scalr_compare_row, G_TYPE_OBJECT)

static void
scalr_compare_row_finalize (GObject *object)
{
  ScalrCompareRow *self = SCALR_COMPARE_ROW (object);
  g_free (self->model);
  g_free (self->value);
  G_OBJECT_CLASS (scalr_compare_row_parent_class)->finalize (object);
}

static void
scalr_compare_row_class_init (ScalrCompareRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scalr_compare_row_finalize;
}

static void
scalr_compare_row_init (ScalrCompareRow *self)
{
}

enum { COL_RUN, COL_VALUE, COL_MODEL, COL_STRONGEST, COL_HOLM, COL_OWN, COL_MEANS, COL_USERS, N_COLS };

static char *
row_text (const ScalrCompareRow *r, guint col)
{
  switch (col)
    {
    case COL_RUN: return g_strdup_printf ("Run %" G_GINT64_FORMAT, r->run->info->id);
    case COL_VALUE: return g_strdup (r->value ? r->value : SCALR_FORMAT_MISSING);
    case COL_MODEL: return g_strdup (r->model);
    case COL_STRONGEST: return r->strongest ? scalr_lift_format (r->strongest) : g_strdup (SCALR_FORMAT_MISSING);
    case COL_HOLM:
      {
        if (r->strongest == NULL)
          return g_strdup (SCALR_FORMAT_MISSING);
        g_autofree char *p = scalr_format_p (r->strongest->p_holm);
        gboolean sig = isfinite (r->strongest->p_holm) && r->strongest->p_holm < SCALR_SIGNIFICANCE_LEVEL;
        return g_strdup_printf ("%s%s", p, sig ? " ✱" : "");
      }
    case COL_OWN: return r->own ? scalr_lift_format_short (r->own) : g_strdup (SCALR_FORMAT_MISSING);
    case COL_MEANS:
      {
        if (r->strongest == NULL)
          return g_strdup (SCALR_FORMAT_MISSING);
        g_autofree char *b = scalr_format_metric (r->strongest->base_mean);
        g_autofree char *a = scalr_format_metric (r->strongest->aug_mean);
        return g_strdup_printf ("%s → %s", b, a);
      }
    default: return r->strongest ? scalr_format_count (r->strongest->n_users) : g_strdup (SCALR_FORMAT_MISSING);
    }
}

static void
cell_setup (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = col >= COL_STRONGEST;
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  gtk_label_set_ellipsize (GTK_LABEL (label), col == COL_RUN ? PANGO_ELLIPSIZE_END : PANGO_ELLIPSIZE_NONE);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static void
cell_bind (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  ScalrCompareRow *r = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  g_autofree char *text = row_text (r, col);
  gtk_label_set_text (GTK_LABEL (label), text);
  g_autofree char *title = col == COL_RUN ? scalr_run_results_dup_title (r->run) : NULL;
  gtk_widget_set_tooltip_text (label, title);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  const ScalrLiftRow *l = col == COL_OWN ? r->own : r->strongest;
  if ((col == COL_STRONGEST || col == COL_HOLM || col == COL_OWN) && l && isfinite (l->p_holm)
      && l->p_holm < SCALR_SIGNIFICANCE_LEVEL)
    gtk_widget_add_css_class (label, l->lift >= 0 ? "success" : "error");
}

static double
lift_key (const ScalrLiftRow *l)
{
  return l && isfinite (l->lift) ? l->lift : -INFINITY;
}

static int
row_compare (gconstpointer a, gconstpointer b, gpointer data)
{
  const ScalrCompareRow *x = a, *y = b;
  switch (GPOINTER_TO_UINT (data))
    {
    case COL_RUN: return x->run->info->id < y->run->info->id ? -1 : x->run->info->id > y->run->info->id;
    case COL_VALUE:
      if (isfinite (x->x) && isfinite (y->x))
        return x->x < y->x ? -1 : x->x > y->x;
      return g_strcmp0 (x->value, y->value);
    case COL_MODEL: return g_strcmp0 (x->model, y->model);
    case COL_OWN:
      return lift_key (x->own) < lift_key (y->own) ? -1 : lift_key (x->own) > lift_key (y->own);
    default:
      return lift_key (x->strongest) < lift_key (y->strongest) ? -1 : lift_key (x->strongest) > lift_key (y->strongest);
    }
}

void
_scalr_compare_page_setup_table (ScalrComparePage *self)
{
  static const char *titles[N_COLS] = {
    "Run", "Value", "Model", "Lift vs strongest baseline", "p (Holm)", "Lift vs own baseline", "Baseline → augmented", "Users",
  };
  GtkColumnView *view = GTK_COLUMN_VIEW (self->table);
  for (guint c = 0; c < N_COLS; c++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      g_signal_connect (f, "setup", G_CALLBACK (cell_setup), GUINT_TO_POINTER (c));
      g_signal_connect (f, "bind", G_CALLBACK (cell_bind), GUINT_TO_POINTER (c));
      GtkColumnViewColumn *col = gtk_column_view_column_new (titles[c], f);
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (row_compare, GUINT_TO_POINTER (c), NULL));
      gtk_column_view_column_set_sorter (col, sorter);
      g_object_unref (sorter);
      gtk_column_view_column_set_resizable (col, TRUE);
      gtk_column_view_append_column (view, col);
      if (c == COL_VALUE)
        self->value_column = col;   /* its title is the key */
      g_object_unref (col);
    }
  self->rows = g_list_store_new (SCALR_TYPE_COMPARE_ROW);
  GtkSortListModel *sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->rows)),
                                                      g_object_ref (gtk_column_view_get_sorter (view)));
  GtkNoSelection *sel = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (sel));
  g_object_unref (sel);
}

static void
fill_table (ScalrComparePage *self, const char *segment, const char *metric, guint k)
{
  g_list_store_remove_all (self->rows);
  gtk_column_view_column_set_title (self->value_column, self->key ? strchr (self->key, '.') + 1 : "Value");
  for (guint i = 0; i < self->sel->len; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (self->sel, i);
      for (guint m = 0; m < r->models->len; m++)
        {
          ScalrCompareRow *row = g_object_new (SCALR_TYPE_COMPARE_ROW, NULL);
          row->run = r;
          row->model = g_strdup (g_ptr_array_index (r->models, m));
          row->value = self->key ? g_strdup (scalr_run_set_get_value (self->set, i, self->key)) : NULL;
          row->x = self->series && self->series->numeric ? self->series->x[i] : NAN;
          row->strongest = scalr_run_results_lift (r, row->model, segment, metric, k, "strongest");
          row->own = scalr_run_results_lift (r, row->model, segment, metric, k, "own");
          g_list_store_append (self->rows, row);
          g_object_unref (row);
        }
    }
}

/* ---- charts ---------------------------------------------------------------------------- */

static void
clear_charts (ScalrComparePage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->charts)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->charts), child);
}

static ScalrPlot *
model_chart (ScalrComparePage *self, const char *model, const char *segment, const char *metric, guint k,
             const char *reference)
{
  return scalr_compare_chart_new (NULL, self->sel, self->set, self->series, self->key, model, segment, metric, k,
                                  reference);
}

static void
fill_charts (ScalrComparePage *self, const char *segment, const char *metric, guint k, const char *reference)
{
  clear_charts (self);
  if (self->series == NULL || self->sel->len < 2)
    return;
  for (guint m = 0; m < self->models->len; m++)
    {
      GtkWidget *view = scalr_chart_view_new ();
      gtk_widget_set_size_request (view, 280, 340);
      scalr_chart_view_set_plot (SCALR_CHART_VIEW (view),
                                 model_chart (self, g_ptr_array_index (self->models, m), segment, metric, k, reference));
      gtk_flow_box_append (GTK_FLOW_BOX (self->charts), view);
    }
}

/* What the charts join and what they do not, and why. */
static void
fill_caption (ScalrComparePage *self)
{
  GString *cap = g_string_new (NULL);
  if (self->sel->len < 2)
    g_string_append (cap, "Select two or more runs to compare them.");
  else if (self->key == NULL)
    g_string_append (cap, "The selected runs have the same configuration: nothing to draw them against.");
  else
    {
      guint joined = scalr_run_series_n_connected (self->series);
      guint loose = self->series->loose->len;
      g_string_append_printf (cap, "Along %s: ", self->key);
      if (joined)
        g_string_append_printf (cap, "lines join %u run%s that differ in %s only", joined, joined == 1 ? "" : "s",
                                self->key);
      else
        g_string_append_printf (cap, "no two runs differ in %s alone, so nothing is joined", self->key);
      if (loose)
        g_string_append_printf (cap, "; %u other run%s differ%s in other keys too and stand%s as grey points",
                                loose, loose == 1 ? "" : "s", loose == 1 ? "s" : "", loose == 1 ? "s" : "");
      g_string_append (cap, ".");
      if (self->keys->len > 1)
        {
          g_string_append (cap, " Keys that differ between the selected runs: ");
          for (guint i = 0; i < self->keys->len && i < 8; i++)
            g_string_append_printf (cap, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (self->keys, i));
          g_string_append (cap, self->keys->len > 8 ? ", …" : ".");
        }
    }
  g_autofree char *text = g_string_free (cap, FALSE);
  gtk_label_set_text (GTK_LABEL (self->caption), text);
  gboolean warn = self->series && self->series->loose->len > 0;
  if (warn)
    gtk_widget_add_css_class (self->caption, "warning");
  else
    gtk_widget_remove_css_class (self->caption, "warning");
}

void
_scalr_compare_page_fill_view (ScalrComparePage *self)
{
  const char *segment, *metric, *reference;
  guint k;
  if (!_scalr_compare_page_get_choice (self, &segment, &metric, &k, &reference))
    return;
  fill_caption (self);
  fill_charts (self, segment, metric, k, reference);
  fill_table (self, segment, metric, k);
  g_autofree char *mlabel = scalr_metric_label (metric, k);
  double level = NAN;
  for (guint i = 0; i < self->sel->len && !isfinite (level); i++)
    level = scalr_run_results_level (g_ptr_array_index (self->sel, i));
  g_autofree char *ci = scalr_stats_ci_label (level);
  g_autofree char *cap = g_strdup_printf ("%s, %s users. Lift = augmented / baseline − 1 with its %s (paired bootstrap, "
                                          "not adjusted for multiple comparisons); ✱ and colour: significant after Holm's "
                                          "adjustment within each run. The strongest baseline is the best real-only model "
                                          "of the segment; the own baseline flatters for cold users. Click a header to sort.",
                                          mlabel, segment, ci);
  gtk_label_set_text (GTK_LABEL (self->table_caption), cap);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "compare.report", self->sel->len > 0);
}

/* ---- the report -------------------------------------------------------------------------- */

typedef struct {
  char              *db_path, *path, *key, *segment, *metric, *reference;
  guint              k;
  GArray            *run_ids;
} ReportInput;

static void
report_input_free (ReportInput *in)
{
  g_free (in->db_path);
  g_free (in->path);
  g_free (in->key);
  g_free (in->segment);
  g_free (in->metric);
  g_free (in->reference);
  g_array_unref (in->run_ids);
  g_free (in);
}

static void
report_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ReportInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  ScalrCompareReport opts = { .key = in->key, .segment = in->segment, .metric = in->metric, .k = in->k,
                              .reference = in->reference };
  guint pages = 0;
  if (store == NULL || !scalr_report_write_compare (store, (const gint64 *) in->run_ids->data, in->run_ids->len,
                                                    &opts, in->path, &pages, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, pages);
}

static void
report_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (source);
  ReportInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gssize pages = g_task_propagate_int (G_TASK (res), &error);
  self->reports_going--;
  if (pages < 0)
    {
      g_autofree char *msg = g_strdup_printf ("The comparison report could not be written: %s", error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", msg);
      return;
    }
  g_autofree char *base = g_path_get_basename (in->path);
  g_autofree char *msg = g_strdup_printf ("Report written: %s (%zd pages)", base, pages);
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", msg);
}

void
scalr_compare_page_write_report (ScalrComparePage *self, const char *path)
{
  g_return_if_fail (SCALR_IS_COMPARE_PAGE (self));
  const char *segment, *metric, *reference;
  guint k;
  if (self->sel->len == 0 || !_scalr_compare_page_get_choice (self, &segment, &metric, &k, &reference))
    return;
  ReportInput *in = g_new0 (ReportInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->path = g_strdup (path);
  in->key = g_strdup (self->key);
  in->segment = g_strdup (segment);
  in->metric = g_strdup (metric);
  in->reference = g_strdup (reference);
  in->k = k;
  in->run_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint i = 0; i < self->sel->len; i++)
    g_array_append_val (in->run_ids, ((const ScalrRunResults *) g_ptr_array_index (self->sel, i))->info->id);
  self->reports_going++;
  g_autoptr (GTask) task = g_task_new (self, NULL, report_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) report_input_free);
  g_task_run_in_thread (task, report_worker);
}

gboolean
scalr_compare_page_is_writing (ScalrComparePage *self)
{
  return self->reports_going > 0;
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, ScalrComparePage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path)
        scalr_compare_page_write_report (self, path);
    }
  g_clear_object (&self->chooser);
}

static void
report_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (widget);
  if (self->chooser || self->sel->len == 0)
    return;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new ("Save Comparison Report", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, "_Save", "_Cancel");
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "comparison.pdf");
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->chooser);
}

void
_scalr_compare_page_install_view_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "compare.report", NULL, report_action);
}
