/* scalr-datasets-stats.c — the Datasets page's statistics of the selected dataset for the
 * source/target rules: computed in a GTask thread (its own store connection; a loaded
 * ScalrDataset is shared by reference), then shown as cards, the per-domain table, the
 * activity chart and the category chips that edit the rules. */
#include "config.h"

#include "scalr-datasets-page-private.h"

#include "scalr-format.h"

#include <math.h>
#include <string.h>

#include "scalr-chart-view.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-plot.h"
#include "scalr-store.h"

typedef struct {
  char    *name;
  guint64  events;
} CatCount;

static void
cat_count_clear (gpointer data)
{
  g_free (((CatCount *) data)->name);
}

/* ---- statistics ------------------------------------------------------------------- */

typedef struct {
  char         *db_path;
  char         *name;
  ScalrDataset *dataset;   /* may be NULL: load it */
  char         *source, *target;
  guint         serial;
} StatsInput;

typedef struct {
  ScalrDataset      *dataset;
  ScalrDatasetInfo  *info;
  ScalrDatasetStats *stats;
  char              *domain_error;
  GArray            *categories;   /* CatCount, most events first */
} StatsOutput;

static void
stats_input_free (StatsInput *in)
{
  g_free (in->db_path);
  g_free (in->name);
  g_clear_pointer (&in->dataset, scalr_dataset_unref);
  g_free (in->source);
  g_free (in->target);
  g_free (in);
}

static void
stats_output_free (StatsOutput *out)
{
  g_clear_pointer (&out->dataset, scalr_dataset_unref);
  g_clear_pointer (&out->info, scalr_dataset_info_free);
  g_clear_pointer (&out->stats, scalr_dataset_stats_free);
  g_free (out->domain_error);
  g_clear_pointer (&out->categories, g_array_unref);
  g_free (out);
}

static int
compare_cat (gconstpointer a, gconstpointer b)
{
  const CatCount *x = a, *y = b;
  if (x->events != y->events)
    return x->events < y->events ? 1 : -1;
  return g_strcmp0 (x->name, y->name);
}

static GArray *
count_categories (ScalrDataset *d)
{
  GArray *out = g_array_new (FALSE, TRUE, sizeof (CatCount));
  g_array_set_clear_func (out, cat_count_clear);
  ScalrIdMap *cats = scalr_dataset_get_categories (d);
  guint n_cats = cats ? scalr_id_map_get_size (cats) : 0;
  if (n_cats == 0 || !scalr_dataset_has_item_metadata (d))
    return out;
  /* Per item first (items are far fewer than events), then per category. */
  guint n_items = scalr_dataset_get_n_items (d);
  g_autofree guint64 *per_item = g_new0 (guint64, MAX (n_items, 1));
  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  for (guint64 k = 0; k < ev.n_events; k++)
    per_item[ev.item[k]]++;
  g_autofree guint64 *per_cat = g_new0 (guint64, n_cats);
  for (guint i = 0; i < n_items; i++)
    {
      guint n = 0;
      const guint32 *c = scalr_dataset_get_item_categories (d, i, &n);
      for (guint k = 0; k < n; k++)
        if (c[k] < n_cats)
          per_cat[c[k]] += per_item[i];
    }
  for (guint k = 0; k < n_cats; k++)
    {
      CatCount cc = { g_strdup (scalr_id_map_get_name (cats, k)), per_cat[k] };
      g_array_append_val (out, cc);
    }
  g_array_sort (out, compare_cat);
  return out;
}

static void
stats_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  StatsInput *in = data;
  g_autoptr (GError) error = NULL;
  StatsOutput *out = g_new0 (StatsOutput, 1);
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  if (store)
    out->info = scalr_store_load_dataset_info (store, in->name, &error);
  if (out->info && in->dataset)
    out->dataset = scalr_dataset_ref (in->dataset);
  else if (out->info)
    out->dataset = scalr_store_load_dataset (store, in->name, cancellable, &error);
  if (out->dataset == NULL)
    {
      stats_output_free (out);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autoptr (ScalrDomains) domains = NULL;
  if (in->source && *in->source && in->target && *in->target)
    {
      ScalrDomainsOptions opt = SCALR_DOMAINS_OPTIONS_INIT;
      domains = scalr_domains_new (out->dataset, in->source, in->target, &opt, &error);
      if (domains == NULL)
        out->domain_error = g_strdup (error->message);
    }
  out->stats = scalr_dataset_stats_new (out->dataset, domains);
  out->categories = count_categories (out->dataset);
  g_task_return_pointer (task, out, (GDestroyNotify) stats_output_free);
}

/* ---- cards, table, chart ------------------------------------------------------- */

static void
set_card (ScalrDatasetsPage *self, guint k, const char *value, const char *caption)
{
  gtk_label_set_text (GTK_LABEL (self->card_value[k]), value);
  gtk_label_set_text (GTK_LABEL (self->card_caption[k]), caption);
}

static GtkWidget *
table_label (const char *text, gboolean number, const char *css)
{
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), number ? 1 : 0);
  if (number)
    gtk_widget_add_css_class (l, "numeric");
  if (css)
    gtk_widget_add_css_class (l, css);
  return l;
}

/* One domain's row; the rule (shown in the entries above) is the name's tooltip. */
static void
table_row (GtkGrid *grid, int row, const char *name, const ScalrDomainStats *s, const char *css)
{
  g_autofree char *ev = scalr_format_count (s->events);
  g_autofree char *us = scalr_format_count (s->users);
  g_autofree char *it = scalr_format_count (s->items);
  g_autofree char *de = scalr_format_fixed (s->density, 4);
  g_autofree char *med = scalr_format_fixed (s->user_activity[3], 0);
  g_autofree char *p90 = scalr_format_fixed (s->user_activity[5], 0);
  g_autofree char *pop = scalr_format_fixed (s->item_popularity[3], 0);
  const char *cells[] = { name, ev, us, it, de, med, p90, pop };
  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    {
      GtkWidget *l = table_label (cells[c], c >= 1, c == 0 ? css : NULL);
      if (c == 0)
        {
          g_autofree char *tip = g_strdup_printf ("Rule: %s", s->rule ? s->rule : "every event");
          gtk_widget_set_tooltip_text (l, tip);
          gtk_widget_set_hexpand (l, TRUE);
        }
      gtk_grid_attach (grid, l, (int) c, row, 1, 1);
    }
}

static void
fill_table (ScalrDatasetsPage *self, const ScalrDatasetStats *st)
{
  GtkGrid *grid = GTK_GRID (self->domain_table);
  _scalr_datasets_remove_all_children (self->domain_table);
  /* Short heads, so the table fits a narrow window; the tooltips say what they count. */
  static const struct { const char *head, *tip; } heads[] = {
    { "Domain", "The domain's rule is its name's tooltip" }, { "Events", NULL }, { "Users", NULL }, { "Items", NULL },
    { "Density", "Events / (users × items)" }, { "Median / user", "Median events per user" },
    { "p90 / user", "90th percentile of events per user" }, { "Median / item", "Median events per item" },
  };
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    {
      GtkWidget *l = table_label (heads[c].head, c >= 1, "dim-label");
      if (heads[c].tip)
        gtk_widget_set_tooltip_text (l, heads[c].tip);
      gtk_grid_attach (grid, l, (int) c, 0, 1, 1);
    }
  table_row (grid, 1, "All", &st->all, NULL);
  if (st->has_domains)
    {
      table_row (grid, 2, "Source", &st->source, "source-label");
      table_row (grid, 3, "Target", &st->target, "target-label");
      g_autofree char *ov = scalr_format_count (st->overlap_users);
      g_autofree char *so = scalr_format_count (st->source_only_users);
      g_autofree char *to = scalr_format_count (st->target_only_users);
      g_autofree char *text = g_strdup_printf ("%s users have events in both domains (overlap) · %s only in the source · "
                                               "%s only in the target.  Before the threshold and k-core filters of the run.",
                                               ov, so, to);
      GtkWidget *l = table_label (text, FALSE, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_widget_set_margin_top (l, 6);
      gtk_grid_attach (grid, l, 0, 4, (int) G_N_ELEMENTS (heads), 1);
    }
}

static guint
add_activity_series (ScalrPlot *plot, const char *name, ScalrPlotColor color, const guint64 *hist,
                     int first, int last)
{
  guint n = (guint) (last - first + 1);
  double edges[SCALR_ACTIVITY_BINS + 1], counts[SCALR_ACTIVITY_BINS];
  g_autoptr (GPtrArray) hover = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i <= n; i++)
    edges[i] = ldexp (1.0, first + (int) i);
  for (guint i = 0; i < n; i++)
    {
      guint b = (guint) first + i;
      counts[i] = (double) hist[b];
      g_autofree char *lo = scalr_format_count ((guint64) edges[i]);
      g_autofree char *hi = scalr_format_count ((guint64) edges[i + 1] - 1);
      g_autofree char *c = scalr_format_count (hist[b]);
      g_ptr_array_add (hover, b == 0 ? g_strdup_printf ("1 event: %s %s users", name, c)
                                     : g_strdup_printf ("%s–%s events: %s %s users", lo, hi, name, c));
    }
  guint s = scalr_plot_add_steps (plot, name, color, n, edges, counts);
  scalr_plot_series_set_hover_texts (plot, s, (const char *const *) hover->pdata);
  return s;
}

static ScalrPlot *
activity_plot (const ScalrDatasetStats *st)
{
  ScalrPlot *plot = scalr_plot_new ("User activity");
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "events per user", NULL, SCALR_AXIS_LOG2);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "users", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_Y, 0, NAN);
  const guint64 *a = st->has_domains ? st->source.activity_hist : st->all.activity_hist;
  const guint64 *b = st->has_domains ? st->target.activity_hist : NULL;
  int first = -1, last = -1;
  for (int k = 0; k < SCALR_ACTIVITY_BINS; k++)
    if (a[k] || (b && b[k]))
      {
        first = first < 0 ? k : first;
        last = k;
      }
  scalr_plot_set_subtitle (plot, st->has_domains ? "users per activity bin [2ᵏ, 2ᵏ⁺¹), source vs target domain"
                                                 : "users per activity bin [2ᵏ, 2ᵏ⁺¹), all events");
  if (first < 0)
    return plot;
  if (b)
    {
      guint s = add_activity_series (plot, "source", SCALR_PLOT_COLOR_BLUE, a, first, last);
      scalr_plot_series_set_fill (plot, s, 0.16);
      add_activity_series (plot, "target", SCALR_PLOT_COLOR_VERMILLION, b, first, last);
    }
  else
    {
      guint s = add_activity_series (plot, "all", SCALR_PLOT_COLOR_BLUE, a, first, last);
      scalr_plot_series_set_fill (plot, s, 0.16);
    }
  return plot;
}

static void
append_category (ScalrDatasetsPage *self, const char *name, gboolean exclude)
{
  GtkWidget *entry = self->focus_rule ? self->focus_rule : self->source_entry;
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (entry))));
  g_autofree char *result = NULL;
  if (!g_str_has_prefix (text, "category:") || text[strlen ("category:")] == '\0')
    result = g_strdup_printf ("category:%s%s", exclude ? "!" : "", name);
  else if (exclude)
    result = g_strdup_printf ("%s,!%s", text, name);
  else
    {
      /* "A|B" alternatives live in the first term: category:Comedy,!Drama + Romance →
       * category:Comedy|Romance,!Drama. */
      const char *body = text + strlen ("category:");
      const char *comma = strchr (body, ',');
      gsize first_len = comma ? (gsize) (comma - body) : strlen (body);
      if (body[0] == '!')
        result = g_strdup_printf ("category:%s,%s", name, body);
      else
        result = g_strdup_printf ("category:%.*s|%s%s", (int) first_len, body, name, comma ? comma : "");
    }
  gtk_editable_set_text (GTK_EDITABLE (entry), result);
  gtk_widget_grab_focus (entry);
  gtk_editable_set_position (GTK_EDITABLE (entry), -1);
}

static void
on_category_pressed (GtkGestureClick *gesture, int n_press, double x, double y, ScalrDatasetsPage *self)
{
  self->click_state = gtk_event_controller_get_current_event_state (GTK_EVENT_CONTROLLER (gesture));
}

static void
on_category_clicked (GtkButton *button, ScalrDatasetsPage *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "category");
  append_category (self, name, (self->click_state & GDK_CONTROL_MASK) != 0);
  self->click_state = 0;
}

static void
fill_categories (ScalrDatasetsPage *self, GArray *cats)
{
  _scalr_datasets_remove_all_children (self->category_box);
  for (guint k = 0; k < cats->len; k++)
    {
      const CatCount *c = &g_array_index (cats, CatCount, k);
      g_autofree char *n = scalr_format_count (c->events);
      g_autofree char *markup_name = g_markup_escape_text (c->name, -1);
      g_autofree char *markup = g_strdup_printf ("%s <span alpha=\"60%%\">%s</span>", markup_name, n);
      GtkWidget *label = gtk_label_new (NULL);
      gtk_label_set_markup (GTK_LABEL (label), markup);
      GtkWidget *button = gtk_button_new ();
      gtk_button_set_child (GTK_BUTTON (button), label);
      gtk_widget_add_css_class (button, "category-chip");
      g_autofree char *tip = g_strdup_printf ("%s: %s events. Click: add to the focused rule; Ctrl+click: exclude it", c->name, n);
      gtk_widget_set_tooltip_text (button, tip);
      g_object_set_data_full (G_OBJECT (button), "category", g_strdup (c->name), g_free);
      GtkGesture *press = gtk_gesture_click_new ();
      gtk_event_controller_set_propagation_phase (GTK_EVENT_CONTROLLER (press), GTK_PHASE_CAPTURE);
      g_signal_connect (press, "pressed", G_CALLBACK (on_category_pressed), self);
      gtk_widget_add_controller (button, GTK_EVENT_CONTROLLER (press));
      g_signal_connect (button, "clicked", G_CALLBACK (on_category_clicked), self);
      gtk_flow_box_append (GTK_FLOW_BOX (self->category_box), button);
    }
  gtk_widget_set_visible (self->categories_hint, cats->len > 0);
  if (cats->len == 0)
    {
      GtkWidget *l = gtk_label_new ("This dataset has no item categories (import an items file to use category rules).");
      gtk_widget_add_css_class (l, "dim-label");
      gtk_flow_box_append (GTK_FLOW_BOX (self->category_box), l);
    }
}

void
_scalr_datasets_page_clear_details (ScalrDatasetsPage *self)
{
  self->shown_events = 0;
  for (guint k = 0; k < 4; k++)
    gtk_label_set_text (GTK_LABEL (self->card_value[k]), "–");
}

static void
stats_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrDatasetsPage *self = SCALR_DATASETS_PAGE (source);
  g_autoptr (GError) error = NULL;
  StatsOutput *out = g_task_propagate_pointer (G_TASK (res), &error);
  StatsInput *in = g_task_get_task_data (G_TASK (res));
  if (self->disposed || in->serial != self->stats_serial)
    {
      if (out)
        stats_output_free (out);
      return;
    }
  g_clear_object (&self->stats_cancellable);
  if (out == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf ("Could not load dataset ‘%s’: %s", in->name, error->message);
          _scalr_datasets_page_show_error (self, msg);
          _scalr_datasets_page_clear_details (self);
        }
      return;
    }
  if (self->dataset != out->dataset)
    {
      g_clear_pointer (&self->dataset, scalr_dataset_unref);
      self->dataset = scalr_dataset_ref (out->dataset);
    }
  const ScalrDatasetStats *st = out->stats;
  const ScalrDatasetInfo *info = out->info;
  gtk_label_set_text (GTK_LABEL (self->title_label), info->name);
  g_autofree char *dup = scalr_format_count (info->n_duplicates);
  g_autofree char *when = NULL;
  g_autoptr (GDateTime) utc = info->created_at ? g_date_time_new_from_iso8601 (info->created_at, NULL) : NULL;
  if (utc)
    {
      g_autoptr (GDateTime) local = g_date_time_to_local (utc);
      when = g_date_time_format (local, "%Y-%m-%d %H:%M");
    }
  g_autofree char *sub = g_strdup_printf ("%s%s%s · %s · imported %s · %s duplicates merged · fingerprint %.12s…",
                                          info->events_source ? info->events_source : "?",
                                          info->items_source ? " + " : "", info->items_source ? info->items_source : "",
                                          info->format ? info->format : "?", when ? when : (info->created_at ? info->created_at : "?"),
                                          dup, info->fingerprint ? info->fingerprint : "");
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), sub);
  g_autofree char *ev = scalr_format_count (st->all.events);
  g_autofree char *us = scalr_format_count (st->all.users);
  g_autofree char *it = scalr_format_count (st->all.items);
  g_autofree char *ca = scalr_format_count (st->n_categories);
  g_autofree char *ev_cap = g_strdup_printf ("events%s", st->has_ratings ? " (rated)" : "");
  set_card (self, 0, ev, ev_cap);
  set_card (self, 1, us, "users");
  set_card (self, 2, it, "items");
  set_card (self, 3, ca, st->n_categories ? "item categories" : "categories (no items file)");
  self->shown_events = st->all.events;

  if (out->domain_error)
    {
      gtk_label_set_text (GTK_LABEL (self->rule_error), out->domain_error);
      gtk_widget_set_visible (self->rule_error, TRUE);
    }
  else
    gtk_widget_set_visible (self->rule_error, FALSE);
  gtk_widget_set_sensitive (self->use_button, out->domain_error == NULL && st->has_domains);
  fill_table (self, st);
  _scalr_datasets_page_prepare_venn (self, st);
  gtk_widget_queue_draw (self->venn);
  scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->activity_chart), activity_plot (st));
  fill_categories (self, out->categories);
  stats_output_free (out);
}

void
_scalr_datasets_page_load_stats (ScalrDatasetsPage *self)
{
  if (self->selected == NULL || self->db_path == NULL)
    return;
  if (self->stats_cancellable)
    g_cancellable_cancel (self->stats_cancellable);
  g_clear_object (&self->stats_cancellable);
  self->stats_cancellable = g_cancellable_new ();
  StatsInput *in = g_new0 (StatsInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->name = g_strdup (self->selected);
  in->dataset = self->dataset ? scalr_dataset_ref (self->dataset) : NULL;
  in->source = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_entry))));
  in->target = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
  in->serial = ++self->stats_serial;
  g_autoptr (GTask) task = g_task_new (self, self->stats_cancellable, stats_done, NULL);
  g_task_set_check_cancellable (task, FALSE);
  g_task_set_task_data (task, in, (GDestroyNotify) stats_input_free);
  g_task_run_in_thread (task, stats_worker);
}
