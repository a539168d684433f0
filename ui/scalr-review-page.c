/* scalr-review-page.c — one run under review.
 *
 * Loading: show_run copies its inputs into a GTask that opens its own store connection and
 * reads everything the page shows (ScalrRunResults) and builds the charts; the main thread
 * then only fills widgets. The user lens rebuilds the run's split once per run (also in a
 * thread) and keeps it, so picking another user is instant. A new run or dispose cancels
 * whatever is still loading, and results of a cancelled load are dropped. */
#include "config.h"

#include "scalr-review-page.h"

#include <math.h>
#include <stdlib.h>

#include "scalr-chart-view.h"
#include "scalr-charts.h"
#include "scalr-config.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-pipeline.h"
#include "scalr-report.h"
#include "scalr-resources.h"
#include "scalr-run-results.h"
#include "scalr-split.h"
#include "scalr-store.h"

/* Rows a lens list shows before "… and N more". */
#define LENS_MAX_ROWS 250

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

/* ---- the lens data of a run ----------------------------------------------------------- */

typedef struct {
  char    *model, *variant;
  guint    max_k, n_users;
  guint32 *users;   /* ascending */
  guint32 *items;   /* n_users × max_k */
} LensRecs;

typedef struct {
  gint64                run_id;
  ScalrDomains         *domains;
  ScalrSplit           *split;    /* borrows domains: freed first */
  ScalrSyntheticEvents *synthetic;
  GPtrArray            *recs;     /* LensRecs* */
  GArray               *users;    /* guint32: users offered, sorted by id */
  guint                 default_index;
} LensData;

static void
lens_recs_free (LensRecs *r)
{
  g_free (r->model);
  g_free (r->variant);
  g_free (r->users);
  g_free (r->items);
  g_free (r);
}

static void
lens_data_free (LensData *d)
{
  if (d == NULL)
    return;
  g_clear_pointer (&d->split, scalr_split_free);
  g_clear_pointer (&d->domains, scalr_domains_free);
  g_clear_pointer (&d->synthetic, scalr_synthetic_events_free);
  g_clear_pointer (&d->recs, g_ptr_array_unref);
  g_clear_pointer (&d->users, g_array_unref);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensData, lens_data_free)

/* ---- the page ------------------------------------------------------------------------- */

struct _ScalrReviewPage {
  GtkWidget parent_instance;

  /* template */
  GtkWidget *toast_overlay, *stack, *spinner, *loading_label, *error_page;
  GtkWidget *title_label, *status_label, *subtitle_label, *config_label;
  GtkWidget *view_stack, *cards, *chart_grid;
  GtkWidget *rank_view, *activity_view, *buckets_view, *reliability_view, *forest_view;
  GtkWidget *segment_dropdown, *metric_dropdown, *k_dropdown, *k_label;
  GtkWidget *table_search, *metric_table, *table_caption;
  GtkWidget *user_dropdown, *lens_model_dropdown, *lens_spinner, *lens_status;
  GtkWidget *source_heading, *synthetic_heading, *test_heading;
  GtkWidget *source_list, *synthetic_list, *test_list;

  char            *db_path;        /* owned */
  gint64           run_id;
  GCancellable    *cancellable;    /* of the current run's loads */
  gboolean         loaded;
  ScalrRunResults *results;        /* owned, NULL until loaded */
  LensData        *lens;           /* owned, NULL until the lens loaded */
  gboolean         lens_loading;
  GListStore      *metric_store;   /* ScalrMetricItem */
  GtkCustomFilter *metric_filter;
  GPtrArray       *segment_ids, *metric_ids;   /* char*: what the dropdowns show */
  GArray          *k_values;       /* guint */
  GtkWidget       *last_chart;     /* borrowed: the chart last clicked or focused */
  gboolean         updating;       /* dropdowns being refilled: ignore their signals */
};

G_DEFINE_FINAL_TYPE (ScalrReviewPage, scalr_review_page, GTK_TYPE_WIDGET)

/* gtk_list_box_remove_all is GTK 4.12; Debian 12 has 4.8. */
static void
list_box_clear (GtkWidget *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void lens_start (ScalrReviewPage *self);

/* ---- loading a run -------------------------------------------------------------------- */

typedef struct {
  char  *db_path;
  gint64 run_id;
} LoadInput;

typedef struct {
  ScalrRunResults *results;
  ScalrPlot       *rank, *activity, *buckets, *reliability;
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
  if (results->diag)
    {
      r->rank = scalr_charts_rank_frequency (results->diag);
      r->activity = scalr_charts_activity (results->diag);
      r->buckets = scalr_charts_buckets (results->diag);
      r->reliability = scalr_charts_reliability (results->diag);
    }
  g_task_return_pointer (task, r, (GDestroyNotify) load_result_free);
}

static char *
fmt_count (guint64 n)
{
  g_autofree char *raw = g_strdup_printf ("%" G_GUINT64_FORMAT, n);
  GString *s = g_string_new (NULL);
  gsize len = strlen (raw);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, raw[i]);
    }
  return g_string_free (s, FALSE);
}

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

static void
fill_cards (ScalrReviewPage *self)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (self->cards)) != NULL)
    gtk_flow_box_remove (GTK_FLOW_BOX (self->cards), child);
  const ScalrDiagnostics *d = self->results->diag;
  if (d == NULL)
    {
      add_card (self, "Synthetic events", "–", "no diagnostics stored", NULL);
      return;
    }
  g_autofree char *events = fmt_count (d->events);
  g_autofree char *users = fmt_count (d->users);
  g_autofree char *ev_detail = g_strdup_printf ("for %s users", users);
  add_card (self, "Synthetic events", events, ev_detail, "Unique synthetic (user, item) pairs after sampling and filters");
  g_autofree char *cov = g_strdup_printf ("%.1f%%", 100 * d->coverage);
  g_autofree char *cov_d = g_strdup_printf ("real %.1f%%", 100 * d->real_coverage);
  add_card (self, "Catalogue coverage", cov, cov_d, "Share of target items with at least one synthetic (real training) event");
  g_autofree char *gini = g_strdup_printf ("%.3f", d->gini);
  g_autofree char *gini_d = g_strdup_printf ("real %.3f", d->real_gini);
  add_card (self, "Gini", gini, gini_d, "Concentration of events over items (0 = equal, 1 = one item)");
  g_autofree char *jsd = g_strdup_printf ("%.4f", d->jsd);
  add_card (self, "Item JSD", jsd, "synthetic vs real items", "Jensen–Shannon divergence of the item distributions (base 2, 0..1)");
  g_autofree char *bjsd = g_strdup_printf ("%.4f", d->bucket_jsd);
  add_card (self, "Bucket JSD", bjsd, "popularity-bucket shares", "Jensen–Shannon divergence of the popularity-bucket shares");
  g_autofree char *prec = g_strdup_printf ("%.4f", d->all.precision);
  g_autofree char *prec_d = g_strdup_printf ("sparse users %.4f", d->sparse.precision);
  add_card (self, "Precision vs held-out", prec, prec_d, "Synthetic pairs that are held-out test events of the same user");
  g_autofree char *rec = g_strdup_printf ("%.4f", d->all.recall);
  g_autofree char *rec_d = g_strdup_printf ("sparse users %.4f", d->sparse.recall);
  add_card (self, "Recall vs held-out", rec, rec_d, "Held-out test events the synthetic events found");
  g_autofree char *hit = g_strdup_printf ("%.1f%%", 100 * d->all.hit_rate);
  g_autofree char *hit_d = g_strdup_printf ("sparse users %.1f%%", 100 * d->sparse.hit_rate);
  add_card (self, "Hit rate vs held-out", hit, hit_d, "Users with at least one synthetic event among their test events");
  g_autofree char *ece = d->n_calibration ? g_strdup_printf ("%.2g", d->ece) : g_strdup ("–");
  add_card (self, "Calibration ECE", ece, d->n_calibration ? "on validation users" : "not measured",
            "Expected calibration error of the generator's probabilities");
  g_autofree char *tau = isfinite (d->temperature) && d->temperature > 0 ? g_strdup_printf ("%.3g", d->temperature)
                                                                         : g_strdup ("–");
  g_autofree char *ll = g_strdup_printf ("validation log-lik %.3f", d->valid_log_lik);
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

static void
update_forest (ScalrReviewPage *self)
{
  if (self->results == NULL || self->updating)
    return;
  const char *segment = selected_id (self->segment_dropdown, self->segment_ids);
  const char *metric = selected_id (self->metric_dropdown, self->metric_ids);
  gboolean pointwise = metric && (g_strcmp0 (metric, "ne") == 0 || g_strcmp0 (metric, "auc") == 0);
  gtk_widget_set_sensitive (self->k_dropdown, !pointwise);
  gtk_widget_set_sensitive (self->k_label, !pointwise);
  guint ki = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->k_dropdown));
  guint k = pointwise || ki >= self->k_values->len ? 0 : g_array_index (self->k_values, guint, ki);
  ScalrPlot *plot = segment && metric ? scalr_run_results_forest (self->results, segment, metric, k) : NULL;
  scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->forest_view), plot);
}

static void
on_forest_choice (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self)
{
  update_forest (self);
}

static void
fill_forest_controls (ScalrReviewPage *self)
{
  const ScalrRunResults *r = self->results;
  self->updating = TRUE;
  g_ptr_array_set_size (self->segment_ids, 0);
  g_ptr_array_set_size (self->metric_ids, 0);
  g_array_set_size (self->k_values, 0);
  static const struct { const char *id, *label; } segments[] = {
    { "all", "All tested users" }, { "sparse", "Sparse users" }, { "warm", "Warm users" },
  };
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
    if (scalr_run_results_has_segment (r, segments[s].id))
      {
        g_ptr_array_add (self->segment_ids, g_strdup (segments[s].id));
        g_ptr_array_add (labels, (gpointer) segments[s].label);
      }
  g_ptr_array_add (labels, NULL);
  set_dropdown_strings (self->segment_dropdown, (const char *const *) labels->pdata, 0);

  static const char *metrics[] = { "recall", "ndcg", "hit", "mrr", "precision", "ne", "auc" };
  g_autoptr (GPtrArray) mlabels = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < G_N_ELEMENTS (metrics); m++)
    {
      gboolean present = FALSE;
      for (guint i = 0; i < r->lifts->len && !present; i++)
        present = g_strcmp0 (g_array_index (r->lifts, ScalrLiftRow, i).metric, metrics[m]) == 0;
      if (!present)
        continue;
      g_ptr_array_add (self->metric_ids, g_strdup (metrics[m]));
      g_ptr_array_add (mlabels, scalr_metric_label (metrics[m], 0));
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
  update_forest (self);
}

static void
fill_table (ScalrReviewPage *self)
{
  g_list_store_remove_all (self->metric_store);
  const ScalrRunResults *r = self->results;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < r->metrics->len; i++)
    g_ptr_array_add (items, scalr_metric_item_new (&g_array_index (r->metrics, ScalrMetricRow, i)));
  g_list_store_splice (self->metric_store, 0, 0, items->pdata, items->len);
  g_autofree char *cap = g_strdup_printf ("%u metric values (click a column header to sort). Rank metrics rank all "
                                          "target items, excluding each user's real training positives — not "
                                          "the synthetic ones. NE: lower is better.", r->metrics->len);
  gtk_label_set_text (GTK_LABEL (self->table_caption), cap);
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
  g_autofree char *cfg = g_strjoinv ("  ·  ", short_lines);
  g_autofree char *tip = g_strjoinv ("\n", lines);
  gtk_label_set_text (GTK_LABEL (self->config_label), cfg);
  gtk_widget_set_tooltip_text (self->config_label, tip);
}

static void
clear_lens (ScalrReviewPage *self)
{
  g_clear_pointer (&self->lens, lens_data_free);
  self->lens_loading = FALSE;
  gtk_spinner_stop (GTK_SPINNER (self->lens_spinner));
  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->user_dropdown), NULL);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->lens_model_dropdown), NULL);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->user_dropdown, FALSE);
  gtk_widget_set_sensitive (self->lens_model_dropdown, FALSE);
  GtkWidget *lists[] = { self->source_list, self->synthetic_list, self->test_list };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    list_box_clear (lists[i]);
  gtk_label_set_text (GTK_LABEL (self->source_heading), "Source history");
  gtk_label_set_text (GTK_LABEL (self->synthetic_heading), "Synthetic target items");
  gtk_label_set_text (GTK_LABEL (self->test_heading), "Held-out test items");
  gtk_label_set_text (GTK_LABEL (self->lens_status), "");
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
  g_clear_pointer (&self->results, scalr_run_results_free);
  self->results = g_steal_pointer (&r->results);
  const char *no_diag = "No diagnostics stored for this run";
  struct { GtkWidget *view; ScalrPlot **plot; const char *empty; } charts[] = {
    { self->rank_view, &r->rank, no_diag },
    { self->activity_view, &r->activity, no_diag },
    { self->buckets_view, &r->buckets, "No popularity buckets (sampler.align_buckets = 0)" },
    { self->reliability_view, &r->reliability, "Calibration was not measured for this generator" },
  };
  for (guint i = 0; i < G_N_ELEMENTS (charts); i++)
    {
      scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (charts[i].view), charts[i].empty);
      scalr_chart_view_set_plot (SCALR_CHART_VIEW (charts[i].view), g_steal_pointer (charts[i].plot));
    }
  load_result_free (r);
  fill_header (self);
  fill_cards (self);
  fill_forest_controls (self);
  fill_table (self);
  gboolean finished = self->results->info->status == SCALR_RUN_FINISHED;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-report", finished);
  self->loaded = TRUE;
  gtk_spinner_stop (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "content");
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack)), "lens") == 0)
    lens_start (self);
}

void
scalr_review_page_show_run (ScalrReviewPage *self, const char *db_path, gint64 run_id)
{
  g_return_if_fail (SCALR_IS_REVIEW_PAGE (self));
  g_return_if_fail (db_path != NULL && run_id > 0);
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  self->run_id = run_id;
  self->loaded = FALSE;
  self->last_chart = NULL;
  g_clear_pointer (&self->results, scalr_run_results_free);
  clear_lens (self);
  GtkWidget *views[] = { self->rank_view, self->activity_view, self->buckets_view, self->reliability_view, self->forest_view };
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    scalr_chart_view_set_plot (SCALR_CHART_VIEW (views[i]), NULL);
  g_list_store_remove_all (self->metric_store);
  g_autofree char *msg = g_strdup_printf ("Loading run %" G_GINT64_FORMAT "…", run_id);
  gtk_label_set_text (GTK_LABEL (self->loading_label), msg);
  gtk_spinner_start (GTK_SPINNER (self->spinner));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");

  LoadInput *in = g_new0 (LoadInput, 1);
  in->db_path = g_strdup (db_path);
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
  return self->loaded;
}

guint
scalr_review_page_get_n_charts (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), 0);
  GtkWidget *views[] = { self->rank_view, self->activity_view, self->buckets_view, self->reliability_view, self->forest_view };
  guint n = 0;
  for (guint i = 0; i < G_N_ELEMENTS (views); i++)
    n += scalr_chart_view_get_plot (SCALR_CHART_VIEW (views[i])) != NULL;
  return n;
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
        return "–";
      g_snprintf (buf, len, "%u", it->k);
      return buf;
    default:
      if (!isfinite (it->value))
        return "–";
      g_snprintf (buf, len, "%.4f", it->value);
      return buf;
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

static void
setup_table (ScalrReviewPage *self)
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

/* ---- user lens ------------------------------------------------------------------------ */

typedef struct {
  char  *db_path;
  char  *config;
  gint64 run_id;
} LensInput;

static void
lens_input_free (LensInput *in)
{
  g_free (in->db_path);
  g_free (in->config);
  g_free (in);
}

static void
collect_recs (const char *model, const char *variant, guint max_k, const guint32 *users, guint n_users,
              const guint32 *items, const float *scores, gpointer data)
{
  GPtrArray *recs = data;
  LensRecs *r = g_new0 (LensRecs, 1);
  r->model = g_strdup (model);
  r->variant = g_strdup (variant);
  r->max_k = max_k;
  r->n_users = n_users;
  r->users = g_memdup2 (users, sizeof (guint32) * n_users);
  r->items = g_memdup2 (items, sizeof (guint32) * (gsize) n_users * max_k);
  g_ptr_array_add (recs, r);
}

/* Index of @u's first synthetic pair (events are sorted by user), or ev->n. */
static guint64
synthetic_first (const ScalrSyntheticEvents *ev, guint32 u)
{
  guint64 lo = 0, hi = ev->n;
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      if (ev->user[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

/* The synthetic pair (u, item), or -1. */
static gint64
synthetic_find (const ScalrSyntheticEvents *ev, guint32 u, guint32 item)
{
  for (guint64 k = synthetic_first (ev, u); k < ev->n && ev->user[k] == u; k++)
    if (ev->item[k] == item)
      return (gint64) k;
  return -1;
}

static int
cmp_user_names (gconstpointer a, gconstpointer b, gpointer data)
{
  ScalrIdMap *names = data;
  const char *x = scalr_id_map_get_name (names, *(const guint32 *) a);
  const char *y = scalr_id_map_get_name (names, *(const guint32 *) b);
  char *ex = NULL, *ey = NULL;
  gint64 nx = g_ascii_strtoll (x, &ex, 10), ny = g_ascii_strtoll (y, &ey, 10);
  if (*x && *y && *ex == '\0' && *ey == '\0')
    return nx < ny ? -1 : nx > ny;
  return g_strcmp0 (x, y);
}

static void
lens_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  LensInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  if (store == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (ScalrConfig) config = scalr_config_new_from_data (in->config, -1, "stored config", &error);
  if (config == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (LensData) d = g_new0 (LensData, 1);
  d->run_id = in->run_id;
  if (!scalr_pipeline_rebuild_split (store, config, &d->domains, &d->split, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;
  d->synthetic = scalr_store_get_synthetic (store, in->run_id, &error);
  if (d->synthetic == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->recs = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_recs_free);
  if (!scalr_store_foreach_recs (store, in->run_id, collect_recs, d->recs, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Users offered: those with source events or test events, by id. */
  const guint8 *flags = scalr_split_get_user_flags (d->split);
  guint n_users = scalr_split_get_n_users (d->split);
  d->users = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint32 u = 0; u < n_users; u++)
    if (flags[u] & (SCALR_USER_HAS_SOURCE | SCALR_USER_TESTED))
      g_array_append_val (d->users, u);
  ScalrIdMap *names = scalr_dataset_get_users (scalr_domains_get_dataset (d->domains));
  g_array_sort_with_data (d->users, cmp_user_names, names);
  /* Start with the first tested user whose synthetic events hit a test event: the lens at
   * its most telling. */
  const ScalrCsr *test = scalr_split_get_test (d->split);
  d->default_index = 0;
  gboolean found = FALSE;
  for (guint i = 0; i < d->users->len && !found; i++)
    {
      guint32 u = g_array_index (d->users, guint32, i);
      for (guint64 k = test->indptr[u]; k < test->indptr[u + 1] && !found; k++)
        if (synthetic_find (d->synthetic, u, test->indices[k]) >= 0)
          {
            d->default_index = i;
            found = TRUE;
          }
    }
  g_task_return_pointer (task, g_steal_pointer (&d), (GDestroyNotify) lens_data_free);
}

static char *
item_categories (ScalrDataset *dataset, ScalrId item)
{
  guint n = 0;
  const guint32 *cats = scalr_dataset_get_item_categories (dataset, item, &n);
  ScalrIdMap *names = scalr_dataset_get_categories (dataset);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    {
      if (i)
        g_string_append (s, ", ");
      g_string_append (s, scalr_id_map_get_name (names, cats[i]));
    }
  return g_string_free (s, FALSE);
}

static GtkWidget *
lens_row (ScalrDataset *dataset, ScalrId item, const char *suffix, const char *suffix_tooltip, gboolean hit)
{
  GtkWidget *row = adw_action_row_new ();
  const char *title = scalr_dataset_get_item_title (dataset, item);
  g_autofree char *fallback = NULL;
  if (title == NULL)
    title = fallback = g_strdup_printf ("item %s", scalr_id_map_get_name (scalr_dataset_get_items (dataset), item));
  g_autofree char *esc = g_markup_escape_text (title, -1);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), TRUE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), esc);
  g_autofree char *cats = item_categories (dataset, item);
  if (cats[0])
    {
      g_autofree char *ecats = g_markup_escape_text (cats, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), ecats);
    }
  gtk_widget_set_tooltip_text (row, title);
  if (suffix)
    {
      GtkWidget *label = gtk_label_new (suffix);
      gtk_widget_add_css_class (label, "numeric");
      gtk_widget_add_css_class (label, "dim-label");
      gtk_widget_add_css_class (label, "caption");
      gtk_label_set_xalign (GTK_LABEL (label), 1);
      gtk_label_set_justify (GTK_LABEL (label), GTK_JUSTIFY_RIGHT);
      if (suffix_tooltip)
        gtk_widget_set_tooltip_text (label, suffix_tooltip);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), label);
    }
  if (hit)
    {
      GtkWidget *icon = gtk_image_new_from_icon_name ("emblem-ok-symbolic");
      gtk_widget_add_css_class (icon, "success");
      gtk_widget_set_tooltip_text (icon, "Hit: a held-out test item the synthetic events contain");
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
    }
  return row;
}

static void
lens_more_row (GtkWidget *list, guint more)
{
  g_autofree char *text = g_strdup_printf ("… and %u more", more);
  GtkWidget *label = gtk_label_new (text);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 8);
  gtk_widget_set_margin_bottom (label, 8);
  gtk_list_box_append (GTK_LIST_BOX (list), label);
}

static void
lens_placeholder (GtkWidget *list, const char *text)
{
  GtkWidget *label = gtk_label_new (text);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_set_margin_top (label, 18);
  gtk_widget_set_margin_bottom (label, 18);
  gtk_widget_set_margin_start (label, 12);
  gtk_widget_set_margin_end (label, 12);
  gtk_list_box_set_placeholder (GTK_LIST_BOX (list), label);
}

/* The 1-based rank of @item in @u's list of @recs, 0 when absent. */
static guint
rec_rank (const LensRecs *recs, guint32 u, guint32 item)
{
  if (recs == NULL)
    return 0;
  guint lo = 0, hi = recs->n_users;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (recs->users[mid] < u)
        lo = mid + 1;
      else
        hi = mid;
    }
  if (lo >= recs->n_users || recs->users[lo] != u)
    return 0;
  const guint32 *list = recs->items + (gsize) lo * recs->max_k;
  for (guint r = 0; r < recs->max_k; r++)
    if (list[r] == item)
      return r + 1;
  return 0;
}

static const LensRecs *
lens_find_recs (ScalrReviewPage *self, const char *variant)
{
  GListModel *m = gtk_drop_down_get_model (GTK_DROP_DOWN (self->lens_model_dropdown));
  guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lens_model_dropdown));
  if (m == NULL || sel >= g_list_model_get_n_items (m))
    return NULL;
  const char *model = gtk_string_list_get_string (GTK_STRING_LIST (m), sel);
  for (guint i = 0; i < self->lens->recs->len; i++)
    {
      const LensRecs *r = g_ptr_array_index (self->lens->recs, i);
      if (g_strcmp0 (r->model, model) == 0 && g_strcmp0 (r->variant, variant) == 0)
        return r;
    }
  return NULL;
}

typedef struct {
  guint32 item;
  double  key;
  guint64 index;
} LensEntry;

static int
cmp_entry_desc (gconstpointer a, gconstpointer b)
{
  const LensEntry *x = a, *y = b;
  if (x->key != y->key)
    return x->key > y->key ? -1 : 1;
  return x->item < y->item ? -1 : x->item > y->item;
}

static void
show_user (ScalrReviewPage *self)
{
  if (self->lens == NULL || self->updating)
    return;
  GtkWidget *lists[] = { self->source_list, self->synthetic_list, self->test_list };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    list_box_clear (lists[i]);
  guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->user_dropdown));
  if (sel >= self->lens->users->len)
    return;
  guint32 u = g_array_index (self->lens->users, guint32, sel);
  LensData *d = self->lens;
  ScalrDataset *dataset = scalr_domains_get_dataset (d->domains);
  const ScalrDomain *src = scalr_domains_get_source (d->domains), *tgt = scalr_domains_get_target (d->domains);
  const ScalrCsr *source = scalr_split_get_source (d->split), *test = scalr_split_get_test (d->split);
  const ScalrCsr *train = scalr_split_get_train (d->split);
  const ScalrSyntheticEvents *ev = d->synthetic;
  const guint8 flags = scalr_split_get_user_flags (d->split)[u];

  /* Source history, latest first (by timestamp when the data has them). */
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (LensEntry));
  for (guint64 k = source->indptr[u]; k < source->indptr[u + 1]; k++)
    {
      LensEntry e = { source->indices[k], src->timestamps ? src->timestamps[k] : 0, k };
      g_array_append_val (entries, e);
    }
  g_array_sort (entries, cmp_entry_desc);
  for (guint i = 0; i < MIN (entries->len, LENS_MAX_ROWS); i++)
    {
      const LensEntry *e = &g_array_index (entries, LensEntry, i);
      g_autofree char *rating = source->values ? g_strdup_printf ("★ %.1f", source->values[e->index]) : NULL;
      gtk_list_box_append (GTK_LIST_BOX (self->source_list),
                           lens_row (dataset, src->items[e->item], rating, "the user's rating", FALSE));
    }
  if (entries->len > LENS_MAX_ROWS)
    lens_more_row (self->source_list, entries->len - LENS_MAX_ROWS);
  g_autofree char *sh = g_strdup_printf ("Source history · %u event%s", entries->len, entries->len == 1 ? "" : "s");
  gtk_label_set_text (GTK_LABEL (self->source_heading), sh);

  /* Synthetic target items by probability. */
  const LensRecs *aug = lens_find_recs (self, "augmented");
  const LensRecs *base = lens_find_recs (self, "baseline");
  g_array_set_size (entries, 0);
  for (guint64 k = synthetic_first (ev, u); k < ev->n && ev->user[k] == u; k++)
    {
      LensEntry e = { ev->item[k], ev->prob[k], k };
      g_array_append_val (entries, e);
    }
  g_array_sort (entries, cmp_entry_desc);
  guint syn_hits = 0;
  for (guint i = 0; i < entries->len; i++)
    {
      const LensEntry *e = &g_array_index (entries, LensEntry, i);
      gboolean hit = FALSE;
      for (guint64 k = test->indptr[u]; k < test->indptr[u + 1] && !hit; k++)
        hit = test->indices[k] == e->item;
      syn_hits += hit;
      if (i >= LENS_MAX_ROWS)
        continue;
      g_autofree char *suffix = g_strdup_printf ("p %.3g\nw %.3g%s", ev->prob[e->index], ev->weight[e->index],
                                                 ev->count[e->index] > 1 ? " ×" : "");
      if (ev->count[e->index] > 1)
        {
          g_free (suffix);
          suffix = g_strdup_printf ("p %.3g\nw %.3g · %u draws", ev->prob[e->index], ev->weight[e->index], ev->count[e->index]);
        }
      gtk_list_box_append (GTK_LIST_BOX (self->synthetic_list),
                           lens_row (dataset, tgt->items[e->item], suffix,
                                     "p: the generator's probability; w: the training weight", hit));
    }
  if (entries->len > LENS_MAX_ROWS)
    lens_more_row (self->synthetic_list, entries->len - LENS_MAX_ROWS);
  g_autofree char *syh = g_strdup_printf ("Synthetic target items · %u", entries->len);
  gtk_label_set_text (GTK_LABEL (self->synthetic_heading), syh);

  /* Held-out test items: hit when also synthetic; rank in the model's top-K lists. */
  guint n_test = 0;
  for (guint64 k = test->indptr[u]; k < test->indptr[u + 1]; k++, n_test++)
    {
      guint32 item = test->indices[k];
      gint64 s = synthetic_find (ev, u, item);
      guint ra = rec_rank (aug, u, item), rb = rec_rank (base, u, item);
      GString *suffix = g_string_new (NULL);
      if (s >= 0)
        g_string_append_printf (suffix, "synthetic p %.3g", ev->prob[s]);
      else
        g_string_append (suffix, "not synthetic");
      if (aug || base)
        {
          g_string_append_c (suffix, '\n');
          if (rb)
            g_string_append_printf (suffix, "baseline #%u", rb);
          else
            g_string_append (suffix, "baseline –");
          if (ra)
            g_string_append_printf (suffix, " · augmented #%u", ra);
          else
            g_string_append (suffix, " · augmented –");
        }
      g_autofree char *text = g_string_free (suffix, FALSE);
      if (n_test < LENS_MAX_ROWS)
        gtk_list_box_append (GTK_LIST_BOX (self->test_list),
                             lens_row (dataset, tgt->items[item], text,
                                       "#r: rank in the model's top-K list (baseline / augmented); – not in it",
                                       s >= 0));
    }
  if (n_test > LENS_MAX_ROWS)
    lens_more_row (self->test_list, n_test - LENS_MAX_ROWS);
  g_autofree char *th = g_strdup_printf ("Held-out test items · %u · %u hit%s", n_test, syn_hits, syn_hits == 1 ? "" : "s");
  gtk_label_set_text (GTK_LABEL (self->test_heading), th);

  lens_placeholder (self->source_list, "No source-domain events");
  lens_placeholder (self->synthetic_list, "No synthetic events for this user");
  lens_placeholder (self->test_list, (flags & SCALR_USER_TESTED) ? "No test events" : "Not a tested user (too few target events)");

  guint64 n_train = train->indptr[u + 1] - train->indptr[u];
  g_autofree char *n_train_s = fmt_count (n_train);
  g_autofree char *status = g_strdup_printf ("%s%s%s user · %s real target training event%s",
                                             (flags & SCALR_USER_COLD) ? "cold " : (flags & SCALR_USER_SPARSE) ? "sparse " : "",
                                             (flags & SCALR_USER_OVERLAP) ? "overlap" : "",
                                             (flags & SCALR_USER_TESTED) ? ", tested" : "", n_train_s,
                                             n_train == 1 ? "" : "s");
  gtk_label_set_text (GTK_LABEL (self->lens_status), status);
}

static void
on_user_selected (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self)
{
  show_user (self);
}

static void
lens_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (source);
  g_autoptr (GError) error = NULL;
  LensData *d = g_task_propagate_pointer (G_TASK (res), &error);
  if (d == NULL && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      lens_data_free (d);
      return;
    }
  self->lens_loading = FALSE;
  gtk_spinner_stop (GTK_SPINNER (self->lens_spinner));
  if (d == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("The split could not be rebuilt: %s", error->message);
      gtk_label_set_text (GTK_LABEL (self->lens_status), msg);
      return;
    }
  self->lens = d;
  ScalrIdMap *names = scalr_dataset_get_users (scalr_domains_get_dataset (d->domains));
  g_autoptr (GtkStringList) users = gtk_string_list_new (NULL);
  for (guint i = 0; i < d->users->len; i++)
    gtk_string_list_append (users, scalr_id_map_get_name (names, g_array_index (d->users, guint32, i)));
  g_autoptr (GtkStringList) models = gtk_string_list_new (NULL);
  guint aug_index = 0;
  for (guint i = 0; i < d->recs->len; i++)
    {
      const LensRecs *r = g_ptr_array_index (d->recs, i);
      if (g_strcmp0 (r->variant, "augmented") != 0)
        continue;
      if (self->results && self->results->models->len > 0
          && g_strcmp0 (r->model, g_ptr_array_index (self->results->models, self->results->models->len - 1)) == 0)
        aug_index = g_list_model_get_n_items (G_LIST_MODEL (models));
      gtk_string_list_append (models, r->model);
    }
  self->updating = TRUE;
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->lens_model_dropdown), G_LIST_MODEL (models));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->lens_model_dropdown), aug_index);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->user_dropdown), G_LIST_MODEL (users));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->user_dropdown), d->default_index);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->user_dropdown, d->users->len > 0);
  gtk_widget_set_sensitive (self->lens_model_dropdown, g_list_model_get_n_items (G_LIST_MODEL (models)) > 0);
  show_user (self);
}

static void
lens_start (ScalrReviewPage *self)
{
  if (self->results == NULL || self->lens || self->lens_loading)
    return;
  if (self->results->info->status != SCALR_RUN_FINISHED)
    {
      gtk_label_set_text (GTK_LABEL (self->lens_status), "The run did not finish: there is nothing to look at per user.");
      return;
    }
  self->lens_loading = TRUE;
  gtk_spinner_start (GTK_SPINNER (self->lens_spinner));
  gtk_label_set_text (GTK_LABEL (self->lens_status), "Rebuilding the run's split…");
  LensInput *in = g_new0 (LensInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->config = g_strdup (self->results->info->config);
  in->run_id = self->run_id;
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, lens_done, NULL);
  g_task_set_source_tag (task, lens_start);
  g_task_set_task_data (task, in, (GDestroyNotify) lens_input_free);
  g_task_run_in_thread (task, lens_worker);
}

static void
on_view_changed (GObject *stack, GParamSpec *pspec, ScalrReviewPage *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack)), "lens") == 0)
    lens_start (self);
}

/* ---- actions -------------------------------------------------------------------------- */

static GtkWidget *
current_chart (ScalrReviewPage *self)
{
  const char *view = adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack));
  if (g_strcmp0 (view, "lifts") == 0)
    return self->forest_view;
  if (self->last_chart && self->last_chart != self->forest_view)
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
  self->last_chart = NULL;
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_REVIEW_PAGE);
  G_OBJECT_CLASS (scalr_review_page_parent_class)->dispose (object);
}

static void
scalr_review_page_finalize (GObject *object)
{
  ScalrReviewPage *self = SCALR_REVIEW_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->results, scalr_run_results_free);
  g_clear_pointer (&self->lens, lens_data_free);
  g_clear_object (&self->metric_store);
  g_clear_object (&self->metric_filter);
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
  CHILD (stack);
  CHILD (spinner);
  CHILD (loading_label);
  CHILD (error_page);
  CHILD (title_label);
  CHILD (status_label);
  CHILD (subtitle_label);
  CHILD (config_label);
  CHILD (view_stack);
  CHILD (cards);
  CHILD (chart_grid);
  CHILD (rank_view);
  CHILD (activity_view);
  CHILD (buckets_view);
  CHILD (reliability_view);
  CHILD (forest_view);
  CHILD (segment_dropdown);
  CHILD (metric_dropdown);
  CHILD (k_dropdown);
  CHILD (k_label);
  CHILD (table_search);
  CHILD (metric_table);
  CHILD (table_caption);
  CHILD (user_dropdown);
  CHILD (lens_model_dropdown);
  CHILD (lens_spinner);
  CHILD (lens_status);
  CHILD (source_heading);
  CHILD (synthetic_heading);
  CHILD (test_heading);
  CHILD (source_list);
  CHILD (synthetic_list);
  CHILD (test_list);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "review.present", NULL, present_action);
  gtk_widget_class_install_action (widget_class, "review.export-report", NULL, export_report_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F11, 0, "review.present", NULL);
  gtk_widget_class_set_css_name (widget_class, "reviewpage");
}

static void
scalr_review_page_init (ScalrReviewPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->segment_ids = g_ptr_array_new_with_free_func (g_free);
  self->metric_ids = g_ptr_array_new_with_free_func (g_free);
  self->k_values = g_array_new (FALSE, FALSE, sizeof (guint));
  setup_table (self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "review.export-report", FALSE);

  GtkWidget *views[] = { self->rank_view, self->activity_view, self->buckets_view, self->reliability_view, self->forest_view };
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

  /* Searching the user list by id. */
  GtkExpression *expr = gtk_property_expression_new (GTK_TYPE_STRING_OBJECT, NULL, "string");
  gtk_drop_down_set_expression (GTK_DROP_DOWN (self->user_dropdown), expr);
  gtk_expression_unref (expr);

  g_signal_connect (self->segment_dropdown, "notify::selected", G_CALLBACK (on_forest_choice), self);
  g_signal_connect (self->metric_dropdown, "notify::selected", G_CALLBACK (on_forest_choice), self);
  g_signal_connect (self->k_dropdown, "notify::selected", G_CALLBACK (on_forest_choice), self);
  g_signal_connect (self->user_dropdown, "notify::selected", G_CALLBACK (on_user_selected), self);
  g_signal_connect (self->lens_model_dropdown, "notify::selected", G_CALLBACK (on_user_selected), self);
  g_signal_connect (self->view_stack, "notify::visible-child-name", G_CALLBACK (on_view_changed), self);
}

GtkWidget *
scalr_review_page_new (void)
{
  return g_object_new (SCALR_TYPE_REVIEW_PAGE, NULL);
}
