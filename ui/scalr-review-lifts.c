/* scalr-review-lifts.c — the Review page's lift table: for the segment, metric and K the
 * selectors pick, each model against the strongest real-only model and against its own
 * baseline, with baseline, augmented, Δ, the lift and its interval at the run's level, the
 * paired t and Wilcoxon p-values and the Holm-adjusted p. Copy puts the rows shown on the
 * clipboard, Export writes the run's whole lift table (TSV, or CSV for .csv) — both in the
 * format of `scalr export --lifts`, from the same core function. */
#include "config.h"

#include "scalr-review-page-private.h"

#include <math.h>
#include <string.h>

#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-export.h"
#include "scalr-output.h"
#include "scalr-store.h"
#include "scalr-stats.h"

/* ---- one row ----------------------------------------------------------------------- */

#define SCALR_TYPE_LIFT_ITEM (scalr_lift_item_get_type ())
G_DECLARE_FINAL_TYPE (ScalrLiftItem, scalr_lift_item, SCALR, LIFT_ITEM, GObject)

struct _ScalrLiftItem {
  GObject      parent_instance;
  ScalrLiftRow row;   /* strings borrowed from the page's results (they outlive the items) */
};

G_DEFINE_FINAL_TYPE (ScalrLiftItem, scalr_lift_item, G_TYPE_OBJECT)

static void
scalr_lift_item_class_init (ScalrLiftItemClass *klass)
{
}

static void
scalr_lift_item_init (ScalrLiftItem *self)
{
}

enum { COL_MODEL, COL_AGAINST, COL_BASE, COL_AUG, COL_DELTA, COL_LIFT, COL_CI, COL_PT, COL_PW, COL_HOLM, COL_USERS, N_COLS };

static const char *const col_titles[N_COLS] = {
  "Model", "Against", "Baseline", "Augmented", "Δ", "Lift", "CI", "p (t)", "p (Wilcoxon)", "p (Holm)", "Users",
};

static char *
cell_text (const ScalrLiftRow *l, guint col)
{
  switch (col)
    {
    case COL_MODEL: return g_strdup (l->model);
    case COL_AGAINST:
      if (g_strcmp0 (l->reference, "strongest") == 0)
        return g_strdup_printf ("strongest: %s", l->baseline_model);
      return l->also_strongest ? g_strdup_printf ("own = strongest (%s)", l->baseline_model)
                               : g_strdup_printf ("own (%s)", l->baseline_model);
    case COL_BASE: return scalr_format_metric (l->base_mean);
    case COL_AUG: return scalr_format_metric (l->aug_mean);
    case COL_DELTA:
      {
        double d = l->aug_mean - l->base_mean;
        g_autofree char *v = scalr_format_metric (fabs (d));
        return isfinite (d) ? g_strdup_printf ("%s%s", d < 0 ? "-" : "+", v) : g_strdup (SCALR_FORMAT_MISSING);
      }
    case COL_LIFT: return scalr_format_lift (l->lift);
    case COL_CI: return scalr_format_lift_ci (l->ci_low, l->ci_high);
    case COL_PT: return scalr_format_p (l->p_t);
    case COL_PW: return scalr_format_p (l->p_wilcoxon);
    case COL_HOLM:
      {
        g_autofree char *p = scalr_format_p (l->p_holm);
        gboolean sig = isfinite (l->p_holm) && l->p_holm < SCALR_SIGNIFICANCE_LEVEL;
        return g_strdup_printf ("%s%s", p, sig ? " ✱" : "");
      }
    default: return scalr_format_count (l->n_users);
    }
}

static void
cell_setup (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = col >= COL_BASE;
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static void
cell_bind (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  ScalrLiftItem *it = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  g_autofree char *text = cell_text (&it->row, col);
  gtk_label_set_text (GTK_LABEL (label), text);
  gboolean sig = isfinite (it->row.p_holm) && it->row.p_holm < SCALR_SIGNIFICANCE_LEVEL;
  const char *cls = it->row.lift >= 0 ? "success" : "error";
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  if (sig && (col == COL_LIFT || col == COL_HOLM))
    gtk_widget_add_css_class (label, cls);
}

void
_scalr_review_page_setup_lift_table (ScalrReviewPage *self)
{
  GtkColumnView *view = GTK_COLUMN_VIEW (self->lift_table);
  for (guint c = 0; c < N_COLS; c++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      g_signal_connect (f, "setup", G_CALLBACK (cell_setup), GUINT_TO_POINTER (c));
      g_signal_connect (f, "bind", G_CALLBACK (cell_bind), GUINT_TO_POINTER (c));
      GtkColumnViewColumn *col = gtk_column_view_column_new (col_titles[c], f);
      gtk_column_view_column_set_expand (col, c == COL_AGAINST);
      gtk_column_view_append_column (view, col);
      g_object_unref (col);
    }
  self->lift_store = g_list_store_new (SCALR_TYPE_LIFT_ITEM);
  GtkNoSelection *sel = gtk_no_selection_new (G_LIST_MODEL (g_object_ref (self->lift_store)));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (sel));
  g_object_unref (sel);
}

void
_scalr_review_page_fill_lift_table (ScalrReviewPage *self)
{
  g_list_store_remove_all (self->lift_store);
  const char *segment, *metric;
  guint k;
  if (self->results == NULL || !_scalr_review_page_get_selection (self, &segment, &metric, &k))
    {
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.copy-lifts", FALSE);
      return;
    }
  const ScalrLiftRow *rows = (const ScalrLiftRow *) self->results->lifts->data;
  guint n = self->results->lifts->len;
  /* The strongest-baseline rows first (the honest reading), then the own-baseline ones. */
  const char *refs[] = { "strongest", "own" };
  for (guint r = 0; r < G_N_ELEMENTS (refs); r++)
    {
      g_autoptr (GPtrArray) sel = scalr_lifts_select (rows, n, segment, metric, k, refs[r]);
      for (guint i = 0; i < sel->len; i++)
        {
          /* An own row that is also the strongest baseline's is listed once, with the
           * strongest ones. */
          const ScalrLiftRow *l = g_ptr_array_index (sel, i);
          if (r == 1 && l->also_strongest)
            continue;
          ScalrLiftItem *it = g_object_new (SCALR_TYPE_LIFT_ITEM, NULL);
          it->row = *(const ScalrLiftRow *) g_ptr_array_index (sel, i);
          g_list_store_append (self->lift_store, it);
          g_object_unref (it);
        }
    }
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->lift_store));
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.copy-lifts", shown > 0);
  g_autofree char *level = scalr_stats_ci_label (scalr_run_results_level (self->results));
  g_autofree char *cap = g_strdup_printf (
    "%u rows. Δ = augmented − baseline; lift = augmented / baseline − 1. %s: paired bootstrap over users, "
    "not adjusted for multiple comparisons; ✱ and colour: significant after Holm's adjustment over the run's whole "
    "grid (p < 0.05), so a CI that excludes 0 may still not be significant. The strongest baseline is the best "
    "real-only model of the segment; the own baseline flatters for cold users.", shown, level);
  gtk_label_set_text (GTK_LABEL (self->lift_caption), cap);
}

/* ---- copy ---------------------------------------------------------------------------- */

char *
scalr_review_page_dup_shown_lifts (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), NULL);
  GListModel *m = G_LIST_MODEL (self->lift_store);
  guint n = g_list_model_get_n_items (m);
  g_autoptr (GArray) rows = g_array_sized_new (FALSE, FALSE, sizeof (ScalrLiftRow), n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (ScalrLiftItem) it = g_list_model_get_item (m, i);
      g_array_append_val (rows, it->row);
    }
  return scalr_export_lifts_text ((const ScalrLiftRow *) rows->data, rows->len, SCALR_TABLE_TSV);
}

static void
copy_lifts_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (widget);
  g_autofree char *text = scalr_review_page_dup_shown_lifts (self);
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay),
                               adw_toast_new ("Lift rows copied (tab-separated, as scalr export --lifts)"));
}

/* ---- export -------------------------------------------------------------------------- */

typedef struct {
  char  *db_path, *path;
  gint64 run_id;
} LiftExport;

static void
lift_export_free (LiftExport *e)
{
  g_free (e->db_path);
  g_free (e->path);
  g_free (e);
}

static void
export_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LiftExport *e = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (e->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GArray) lifts = store ? scalr_store_load_lifts (store, e->run_id, &error) : NULL;
  if (lifts == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autofree char *text = scalr_export_lifts_text ((const ScalrLiftRow *) lifts->data, lifts->len,
                                                    scalr_table_format_for_path (e->path));
  if (!scalr_output_write_file (e->path, text, strlen (text), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_int (task, lifts->len);
}

static void
export_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (source);
  LiftExport *e = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  gssize n = g_task_propagate_int (G_TASK (res), &error);
  self->exports_going--;
  if (n < 0)
    {
      g_autofree char *msg = g_strdup_printf ("The lifts could not be exported: %s", error->message);
      gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", msg);
      return;
    }
  g_autofree char *base = g_path_get_basename (e->path);
  g_autofree char *msg = g_strdup_printf ("%zd lift rows written to %s", n, base);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (self->toast_overlay), adw_toast_new (msg));
}

void
scalr_review_page_export_lifts (ScalrReviewPage *self, const char *path)
{
  g_return_if_fail (SCALR_IS_REVIEW_PAGE (self));
  g_return_if_fail (path != NULL);
  if (self->results == NULL)
    return;
  LiftExport *e = g_new0 (LiftExport, 1);
  e->db_path = g_strdup (self->db_path);
  e->path = g_strdup (path);
  e->run_id = self->results->info->id;
  self->exports_going++;
  g_autoptr (GTask) task = g_task_new (self, NULL, export_done, NULL);
  g_task_set_task_data (task, e, (GDestroyNotify) lift_export_free);
  g_task_run_in_thread (task, export_worker);
}

gboolean
scalr_review_page_is_exporting (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), FALSE);
  return self->exports_going > 0;
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, ScalrReviewPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path)
        scalr_review_page_export_lifts (self, path);
    }
  g_clear_object (&self->lifts_chooser);
}

static void
export_lifts_action (GtkWidget *widget, const char *action, GVariant *param)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (widget);
  if (self->results == NULL || self->lifts_chooser)
    return;
  GtkRoot *root = gtk_widget_get_root (widget);
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new ("Export Lifts", GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                               GTK_FILE_CHOOSER_ACTION_SAVE, "_Export", "_Cancel");
  g_autofree char *name = g_strdup_printf ("run-%" G_GINT64_FORMAT "-lifts.tsv", self->results->info->id);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  self->lifts_chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), self);
  gtk_native_dialog_show (self->lifts_chooser);
}

void
_scalr_review_page_install_lift_actions (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "review.copy-lifts", NULL, copy_lifts_action);
  gtk_widget_class_install_action (widget_class, "review.export-lifts", NULL, export_lifts_action);
}
