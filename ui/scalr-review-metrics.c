/* scalr-review-metrics.c — the Review page's diagnostics cards and charts, the two lift
 * forest plots (against the strongest real-only model, against each model's own baseline)
 * with their segment/metric/K selectors, and the sortable, searchable metric table. Numbers
 * go through the one formatter (scalr-format.h). */
#include "config.h"

#include "scalr-review-page-private.h"

#include <math.h>

#include "scalr-chart-view.h"
#include "scalr-charts.h"
#include "scalr-format.h"

/* ---- one row of the metric table ------------------------------------------------------ */

#define SCALR_TYPE_METRIC_ITEM (scalr_metric_item_get_type ())
G_DECLARE_FINAL_TYPE (ScalrMetricItem, scalr_metric_item, SCALR, METRIC_ITEM, GObject)

struct _ScalrMetricItem {
  GObject parent_instance;
  char   *model, *variant, *segment, *metric, *label, *haystack;
  guint   k;
  double  value;
};

G_DEFINE_FINAL_TYPE (ScalrMetricItem, scalr_metric_item, G_TYPE_OBJECT)

static void
scalr_metric_item_finalize (GObject *object)
{
  ScalrMetricItem *self = SCALR_METRIC_ITEM (object);
  g_free (self->model);
  g_free (self->variant);
  g_free (self->segment);
  g_free (self->metric);
  g_free (self->label);
  g_free (self->haystack);
  G_OBJECT_CLASS (scalr_metric_item_parent_class)->finalize (object);
}

static void
scalr_metric_item_class_init (ScalrMetricItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scalr_metric_item_finalize;
}

static void
scalr_metric_item_init (ScalrMetricItem *self)
{
}

static ScalrMetricItem *
scalr_metric_item_new (const ScalrMetricRow *row)
{
  ScalrMetricItem *self = g_object_new (SCALR_TYPE_METRIC_ITEM, NULL);
  self->model = g_strdup (row->model);
  self->variant = g_strdup (row->variant);
  self->segment = g_strdup (row->segment);
  self->metric = g_strdup (row->metric);
  self->label = scalr_metric_label (row->metric, 0);
  self->k = row->k;
  self->value = row->value;
  g_autofree char *hay = g_strdup_printf ("%s %s %s %s %s k%u @%u", row->model, row->variant, row->segment,
                                          row->metric, self->label, row->k, row->k);
  self->haystack = g_utf8_strdown (hay, -1);
  return self;
}

enum { COL_MODEL, COL_VARIANT, COL_SEGMENT, COL_METRIC, COL_K, COL_VALUE, N_COLS };

/* ---- cards and lift forest ------------------------------------------------------------ */

static void
add_card (ScalrReviewPage *self, const char *caption, const char *value, const char *detail, const char *tooltip)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_add_css_class (box, "card");
  gtk_widget_add_css_class (box, "scalr-stat-card");
  GtkWidget *cap = gtk_label_new (caption);
  gtk_label_set_xalign (GTK_LABEL (cap), 0);
  gtk_widget_add_css_class (cap, "stat-label");
  gtk_widget_add_css_class (cap, "caption-heading");
  GtkWidget *val = gtk_label_new (value);
  gtk_label_set_xalign (GTK_LABEL (val), 0);
  gtk_widget_add_css_class (val, "stat-value");
  GtkWidget *det = gtk_label_new (detail);
  gtk_label_set_xalign (GTK_LABEL (det), 0);
  gtk_label_set_ellipsize (GTK_LABEL (det), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (det, "caption");
  gtk_widget_add_css_class (det, "dim-label");
  gtk_box_append (GTK_BOX (box), cap);
  gtk_box_append (GTK_BOX (box), val);
  gtk_box_append (GTK_BOX (box), det);
  if (tooltip)
    gtk_widget_set_tooltip_text (box, tooltip);
  gtk_flow_box_append (GTK_FLOW_BOX (self->cards), box);
}

void
_scalr_review_page_fill_cards (ScalrReviewPage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->cards)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->cards), child);
  const ScalrDiagnostics *d = self->results->diag;
  if (d == NULL)
    {
      add_card (self, "Synthetic events", SCALR_FORMAT_MISSING, "no diagnostics stored", NULL);
      return;
    }
  g_autofree char *events = scalr_format_count (d->events);
  g_autofree char *users = scalr_format_count (d->users);
  g_autofree char *ev_detail = g_strdup_printf ("for %s users", users);
  add_card (self, "Synthetic events", events, ev_detail, "Unique synthetic (user, item) pairs after sampling and filters");
  g_autofree char *cov = scalr_format_percent (d->coverage, 1);
  g_autofree char *rcov = scalr_format_percent (d->real_coverage, 1);
  g_autofree char *cov_d = g_strdup_printf ("real %s", rcov);
  add_card (self, "Catalogue coverage", cov, cov_d, "Share of target items with at least one synthetic (real training) event");
  g_autofree char *gini = scalr_format_fixed (d->gini, 3);
  g_autofree char *rgini = scalr_format_fixed (d->real_gini, 3);
  g_autofree char *gini_d = g_strdup_printf ("real %s", rgini);
  add_card (self, "Gini", gini, gini_d, "Concentration of events over items (0 = equal, 1 = one item)");
  g_autofree char *jsd = scalr_format_metric (d->jsd);
  add_card (self, "Item JSD", jsd, "synthetic vs real items", "Jensen–Shannon divergence of the item distributions (base 2, 0..1)");
  g_autofree char *bjsd = scalr_format_metric (d->bucket_jsd);
  add_card (self, "Bucket JSD", bjsd, "popularity-bucket shares", "Jensen–Shannon divergence of the popularity-bucket shares");
  g_autofree char *prec = scalr_format_metric (d->all.precision);
  g_autofree char *sprec = scalr_format_metric (d->sparse.precision);
  g_autofree char *prec_d = g_strdup_printf ("sparse users %s", sprec);
  add_card (self, "Precision vs held-out", prec, prec_d, "Synthetic pairs that are held-out test events of the same user");
  g_autofree char *rec = scalr_format_metric (d->all.recall);
  g_autofree char *srec = scalr_format_metric (d->sparse.recall);
  g_autofree char *rec_d = g_strdup_printf ("sparse users %s", srec);
  add_card (self, "Recall vs held-out", rec, rec_d, "Held-out test events the synthetic events found");
  g_autofree char *hit = scalr_format_percent (d->all.hit_rate, 1);
  g_autofree char *shit = scalr_format_percent (d->sparse.hit_rate, 1);
  g_autofree char *hit_d = g_strdup_printf ("sparse users %s", shit);
  add_card (self, "Hit rate vs held-out", hit, hit_d, "Users with at least one synthetic event among their test events");
  gboolean measured = d->n_calibration && isfinite (d->ece);
  g_autofree char *ece = measured ? scalr_format_value (d->ece, 2) : g_strdup (SCALR_FORMAT_MISSING);
  g_autofree char *ece_d = measured ? g_strdup_printf ("top %u items of validation users", d->calib_top_n)
                                    : g_strdup ("undefined: no validation events");
  add_card (self, "Calibration ECE", ece, ece_d,
            "Expected calibration error of the generator's probabilities over each validation user's most probable items (equal-count bins)");
  g_autofree char *tau = isfinite (d->temperature) && d->temperature > 0 ? scalr_format_value (d->temperature, 3)
                                                                         : g_strdup (SCALR_FORMAT_MISSING);
  g_autofree char *llv = scalr_format_value (d->valid_log_lik, 4);
  g_autofree char *ll = isfinite (d->valid_log_lik) ? g_strdup_printf ("validation log-lik %s", llv)
                                                     : g_strdup ("log-lik undefined: no validation events");
  add_card (self, "Temperature τ", tau, ll, "Softmax temperature of the generator (fitted when temperature = auto)");
}

/* Dropdown models from a list of labels. */
static void
set_dropdown_strings (GtkWidget *dropdown, const char *const *labels, guint selected)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (labels);
  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (list));
  if (selected < g_list_model_get_n_items (G_LIST_MODEL (list)))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
}

static const char *
selected_id (GtkWidget *dropdown, GPtrArray *ids)
{
  guint i = gtk_drop_down_get_selected (GTK_DROP_DOWN (dropdown));
  return ids && i < ids->len ? g_ptr_array_index (ids, i) : NULL;
}

gboolean
_scalr_review_page_get_selection (ScalrReviewPage *self, const char **segment, const char **metric, guint *k)
{
  *segment = selected_id (self->segment_dropdown, self->segment_ids);
  *metric = selected_id (self->metric_dropdown, self->metric_ids);
  gboolean pointwise = *metric && (g_strcmp0 (*metric, "ne") == 0 || g_strcmp0 (*metric, "auc") == 0);
  guint ki = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->k_dropdown));
  *k = pointwise || ki >= self->k_values->len ? 0 : g_array_index (self->k_values, guint, ki);
  gtk_widget_set_sensitive (self->k_dropdown, !pointwise && self->k_values->len > 0);
  gtk_widget_set_sensitive (self->k_label, !pointwise);
  return *segment != NULL && *metric != NULL;
}

static void
set_forest (ScalrReviewPage *self, GtkWidget *view, const char *segment, const char *metric, guint k,
            const char *reference)
{
  ScalrPlot *plot = scalr_run_charts_forest (self->results, segment, metric, k, reference);
  scalr_chart_view_set_plot (SCALR_CHART_VIEW (view), plot);
  /* Rows are a line or two each: the chart is as tall as its rows need. */
  guint rows = self->results->models->len;
  /* At least 460 px wide: two panels side by side only when both have room for their labels
   * and values (else they reflow to one column). */
  gtk_widget_set_size_request (view, 460, (int) CLAMP (150 + 48 * rows, 260, 560));
}

static void
update_forest (ScalrReviewPage *self)
{
  if (self->results == NULL || self->updating)
    return;
  const char *segment, *metric;
  guint k;
  if (!_scalr_review_page_get_selection (self, &segment, &metric, &k))
    {
      scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->forest_view), NULL);
      scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->forest_own_view), NULL);
    }
  else
    {
      set_forest (self, self->forest_view, segment, metric, k, "strongest");
      set_forest (self, self->forest_own_view, segment, metric, k, "own");
    }
  _scalr_review_page_fill_lift_table (self);
}

void
_scalr_review_page_on_forest_choice (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self)
{
  update_forest (self);
}

void
_scalr_review_page_fill_forest_controls (ScalrReviewPage *self)
{
  const ScalrRunResults *r = self->results;
  self->updating = TRUE;
  g_ptr_array_set_size (self->segment_ids, 0);
  g_ptr_array_set_size (self->metric_ids, 0);
  g_array_set_size (self->k_values, 0);
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  for (ScalrSegment s = 0; s < SCALR_N_SEGMENTS; s++)
    if (scalr_run_results_has_segment (r, scalr_segment_to_string (s)))
      {
        g_ptr_array_add (self->segment_ids, g_strdup (scalr_segment_to_string (s)));
        g_ptr_array_add (labels, (gpointer) scalr_segment_get_label (s));
      }
  g_ptr_array_add (labels, NULL);
  /* The honest default: sparse users, when the run has them. */
  guint spos = 0;
  for (guint i = 0; i < self->segment_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->segment_ids, i), "sparse") == 0)
      spos = i;
  set_dropdown_strings (self->segment_dropdown, (const char *const *) labels->pdata, spos);

  g_autoptr (GPtrArray) mlabels = g_ptr_array_new_with_free_func (g_free);
  for (ScalrMetric m = 0; m < SCALR_N_METRICS; m++)
    {
      const char *name = scalr_metric_to_string (m);
      gboolean present = FALSE;
      for (guint i = 0; i < r->lifts->len && !present; i++)
        present = g_strcmp0 (g_array_index (r->lifts, ScalrLiftRow, i).metric, name) == 0;
      if (!present)
        continue;
      g_ptr_array_add (self->metric_ids, g_strdup (name));
      g_ptr_array_add (mlabels, g_strdup (scalr_metric_get_label (m)));
    }
  g_ptr_array_add (mlabels, NULL);
  set_dropdown_strings (self->metric_dropdown, (const char *const *) mlabels->pdata, 0);

  g_autoptr (GPtrArray) klabels = g_ptr_array_new_with_free_func (g_free);
  guint kpos = 0;
  for (guint j = 0; j < r->ks->len; j++)
    {
      guint k = g_array_index (r->ks, guint, j);
      g_array_append_val (self->k_values, k);
      g_ptr_array_add (klabels, g_strdup_printf ("%u", k));
      if (k == r->headline_k)
        kpos = j;
    }
  g_ptr_array_add (klabels, NULL);
  set_dropdown_strings (self->k_dropdown, (const char *const *) klabels->pdata, kpos);
  gboolean any = self->segment_ids->len > 0 && self->metric_ids->len > 0;
  gtk_widget_set_sensitive (self->segment_dropdown, any);
  gtk_widget_set_sensitive (self->metric_dropdown, any);
  gtk_widget_set_sensitive (self->k_dropdown, any);
  self->updating = FALSE;
  scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (self->forest_view),
                                   "No lifts: this run has no downstream evaluation");
  scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (self->forest_own_view),
                                   "No lifts: this run has no downstream evaluation");
  update_forest (self);
}

void
_scalr_review_page_fill_table (ScalrReviewPage *self)
{
  g_list_store_remove_all (self->metric_store);
  const ScalrRunResults *r = self->results;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < r->metrics->len; i++)
    g_ptr_array_add (items, scalr_metric_item_new (&g_array_index (r->metrics, ScalrMetricRow, i)));
  g_list_store_splice (self->metric_store, 0, 0, items->pdata, items->len);
  g_autoptr (GString) cap = g_string_new (NULL);
  g_string_append_printf (cap, "%u metric values (click a column header to sort). Rank metrics rank all target items, "
                               "excluding each user's real training positives — not the synthetic ones. NE (pooled "
                               "over each segment's pairs): lower is better. — marks an undefined value.",
                          r->metrics->len);
  /* What the evaluation could not support, as stored with the run. */
  for (guint i = 0; r->warnings && r->warnings[i]; i++)
    g_string_append_printf (cap, "\n⚠ %s", r->warnings[i]);
  gtk_label_set_text (GTK_LABEL (self->table_caption), cap->str);
}

/* ---- metric table --------------------------------------------------------------------- */

static const char *
item_text (ScalrMetricItem *it, guint col, char *buf, gsize len)
{
  switch (col)
    {
    case COL_MODEL: return it->model;
    case COL_VARIANT: return it->variant;
    case COL_SEGMENT: return it->segment;
    case COL_METRIC: return it->label;
    case COL_K:
      if (it->k == 0)
        return SCALR_FORMAT_MISSING;
      g_snprintf (buf, len, "%u", it->k);
      return buf;
    default:
      {
        g_autofree char *v = scalr_format_metric (it->value);
        g_strlcpy (buf, v, len);
        return buf;
      }
    }
}

static void
cell_setup (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean numeric = col == COL_K || col == COL_VALUE;
  gtk_label_set_xalign (GTK_LABEL (label), numeric ? 1.0f : 0.0f);
  if (numeric)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static void
cell_bind (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  ScalrMetricItem *it = gtk_list_item_get_item (li);
  char buf[32];
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (li)), item_text (it, GPOINTER_TO_UINT (data), buf, sizeof buf));
}

static int
cell_compare (gconstpointer a, gconstpointer b, gpointer data)
{
  const ScalrMetricItem *x = a, *y = b;
  switch (GPOINTER_TO_UINT (data))
    {
    case COL_MODEL: return g_strcmp0 (x->model, y->model);
    case COL_VARIANT: return g_strcmp0 (x->variant, y->variant);
    case COL_SEGMENT: return g_strcmp0 (x->segment, y->segment);
    case COL_METRIC: return g_strcmp0 (x->label, y->label);
    case COL_K: return x->k < y->k ? -1 : x->k > y->k;
    default:
      /* NaN last. */
      if (!isfinite (x->value) || !isfinite (y->value))
        return isfinite (x->value) ? -1 : isfinite (y->value) ? 1 : 0;
      return x->value < y->value ? -1 : x->value > y->value;
    }
}

static gboolean
metric_filter_func (gpointer item, gpointer data)
{
  ScalrReviewPage *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->table_search));
  if (text == NULL || text[0] == '\0')
    return TRUE;
  g_autofree char *low = g_utf8_strdown (text, -1);
  g_auto (GStrv) tokens = g_strsplit_set (low, " \t", -1);
  ScalrMetricItem *it = item;
  for (guint i = 0; tokens[i]; i++)
    if (tokens[i][0] && strstr (it->haystack, tokens[i]) == NULL)
      return FALSE;
  return TRUE;
}

static void
on_table_search (GtkSearchEntry *entry, ScalrReviewPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->metric_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

void
_scalr_review_page_setup_table (ScalrReviewPage *self)
{
  static const char *titles[N_COLS] = { "Model", "Variant", "Users", "Metric", "K", "Value" };
  GtkColumnView *view = GTK_COLUMN_VIEW (self->metric_table);
  for (guint c = 0; c < N_COLS; c++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      g_signal_connect (f, "setup", G_CALLBACK (cell_setup), GUINT_TO_POINTER (c));
      g_signal_connect (f, "bind", G_CALLBACK (cell_bind), GUINT_TO_POINTER (c));
      GtkColumnViewColumn *col = gtk_column_view_column_new (titles[c], f);
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (cell_compare, GUINT_TO_POINTER (c), NULL));
      gtk_column_view_column_set_sorter (col, sorter);
      g_object_unref (sorter);
      gtk_column_view_column_set_expand (col, c == COL_VALUE || c == COL_MODEL);
      gtk_column_view_append_column (view, col);
      g_object_unref (col);
    }
  self->metric_store = g_list_store_new (SCALR_TYPE_METRIC_ITEM);
  self->metric_filter = gtk_custom_filter_new (metric_filter_func, self, NULL);
  GtkFilterListModel *filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->metric_store)),
                                                            GTK_FILTER (g_object_ref (self->metric_filter)));
  GtkSorter *sorter = gtk_column_view_get_sorter (view);
  GtkSortListModel *sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered), g_object_ref (sorter));
  GtkNoSelection *sel = gtk_no_selection_new (G_LIST_MODEL (sorted));
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (sel));
  g_object_unref (sel);
  g_signal_connect (self->table_search, "search-changed", G_CALLBACK (on_table_search), self);
}
