/* scalr-datasets-page.c — the store's datasets, importing, and the statistics of one.
 *
 * Listing, importing and computing statistics run in GTask threads with their own store
 * connections and copies of their inputs (a loaded ScalrDataset is immutable and
 * reference-counted, so a worker may share it); import progress comes back through a
 * ScalrProgressRelay. Widgets are touched on the main thread only. */
#include "config.h"

#include "scalr-datasets-page.h"

#include <math.h>
#include <string.h>

#include "scalr-chart-view.h"
#include "scalr-dataset.h"
#include "scalr-dataset-stats.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-plot.h"
#include "scalr-progress-relay.h"
#include "scalr-reader.h"
#include "scalr-store.h"

#define PREVIEW_ROWS 10

typedef struct {
  char    *name;
  guint64  events;
} CatCount;

struct _ScalrDatasetsPage {
  AdwBin        parent_instance;
  /* template */
  GtkWidget    *import_revealer, *import_spinner, *import_label, *import_bar;
  GtkWidget    *stack, *empty_page, *dataset_list;
  GtkWidget    *title_label, *subtitle_label, *cards_box;
  GtkWidget    *source_entry, *target_entry, *use_button, *rule_error;
  GtkWidget    *domain_table, *charts_box, *venn, *activity_chart;
  GtkWidget    *categories_hint, *category_box;
  /* cards */
  GtkWidget    *card_value[4], *card_caption[4];

  char         *db_path;
  char         *pending_select;     /* select after the next listing */
  GPtrArray    *infos;              /* ScalrDatasetInfo*, as listed */
  char         *selected;           /* name of the selected dataset */
  ScalrDataset *dataset;            /* loaded selected dataset (NULL until loaded) */
  GCancellable *list_cancellable;   /* non-NULL while listing */
  GCancellable *stats_cancellable;  /* non-NULL while computing statistics */
  guint         stats_serial;
  guint         rules_timeout;
  gboolean      importing;
  gboolean      disposed;
  ScalrProgressRelay *import_relay;
  GtkWidget    *focus_rule;         /* the rule entry categories go to */
  GdkModifierType click_state;      /* modifiers of the last press on a category */
  guint64       shown_events;
  gboolean      selecting;          /* rows are being rebuilt */

  /* two-set diagram, prepared when the statistics arrive */
  gboolean      venn_valid;
  guint         venn_source, venn_target, venn_overlap;
  double        venn_rs, venn_rt, venn_d;   /* radii and centre distance, unit scale */
};

G_DEFINE_FINAL_TYPE (ScalrDatasetsPage, scalr_datasets_page, ADW_TYPE_BIN)

enum { SIGNAL_DATASET_SELECTED, SIGNAL_RULES_APPLIED, SIGNAL_DATASETS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void load_stats (ScalrDatasetsPage *self);

/* ---- helpers ---------------------------------------------------------------------- */

/* 100004 → "100,004". */
static char *
fmt_count (guint64 v)
{
  g_autofree char *digits = g_strdup_printf ("%" G_GUINT64_FORMAT, v);
  GString *s = g_string_new (NULL);
  gsize n = strlen (digits);
  for (gsize k = 0; k < n; k++)
    {
      if (k > 0 && (n - k) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[k]);
    }
  return g_string_free (s, FALSE);
}

static void
show_error (ScalrDatasetsPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", message);
}

static void
toast (ScalrDatasetsPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

static void
remove_all_children (GtkWidget *parent)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (parent)) != NULL)
    {
      if (GTK_IS_FLOW_BOX (parent))
        gtk_flow_box_remove (GTK_FLOW_BOX (parent), child);
      else if (GTK_IS_LIST_BOX (parent))
        gtk_list_box_remove (GTK_LIST_BOX (parent), child);
      else if (GTK_IS_GRID (parent))
        gtk_grid_remove (GTK_GRID (parent), child);
      else
        gtk_widget_unparent (child);
    }
}

static void
cat_count_clear (gpointer data)
{
  g_free (((CatCount *) data)->name);
}

static ScalrImportOptions *
import_options_copy (const ScalrImportOptions *o)
{
  ScalrImportOptions *c = scalr_import_options_new ();
  c->name = g_strdup (o->name);
  for (guint k = 0; o->event_files && k < o->event_files->len; k++)
    {
      const ScalrEventFile *f = g_ptr_array_index (o->event_files, k);
      scalr_import_options_add_events (c, f->path, f->label);
    }
  c->items_path = g_strdup (o->items_path);
  c->format = o->format;
  c->user_column = g_strdup (o->user_column);
  c->item_column = g_strdup (o->item_column);
  c->rating_column = g_strdup (o->rating_column);
  c->timestamp_column = g_strdup (o->timestamp_column);
  c->domain_column = g_strdup (o->domain_column);
  c->items_id_column = g_strdup (o->items_id_column);
  c->items_title_column = g_strdup (o->items_title_column);
  c->items_categories_column = g_strdup (o->items_categories_column);
  return c;
}

/* ---- listing ---------------------------------------------------------------------- */

static void
list_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (data, SCALR_STORE_OPEN_DEFAULT, &error);
  GPtrArray *list = store ? scalr_store_list_datasets (store, &error) : NULL;
  if (list == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, list, (GDestroyNotify) g_ptr_array_unref);
}

static GtkWidget *
dataset_row_new (const ScalrDatasetInfo *info)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  GtkWidget *name = gtk_label_new (info->name);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (name, "heading");
  g_autofree char *ev = fmt_count (info->n_events);
  g_autofree char *us = fmt_count (info->n_users);
  g_autofree char *sub = g_strdup_printf ("%s events · %s users", ev, us);
  GtkWidget *detail = gtk_label_new (sub);
  gtk_label_set_xalign (GTK_LABEL (detail), 0);
  gtk_label_set_ellipsize (GTK_LABEL (detail), PANGO_ELLIPSIZE_END);
  gtk_widget_add_css_class (detail, "dim-label");
  gtk_widget_add_css_class (detail, "caption");
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), detail);
  GtkWidget *row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  g_object_set_data_full (G_OBJECT (row), "dataset-name", g_strdup (info->name), g_free);
  gtk_widget_set_tooltip_text (row, info->events_source);
  return row;
}

static void
list_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrDatasetsPage *self = SCALR_DATASETS_PAGE (source);
  g_autoptr (GError) error = NULL;
  GPtrArray *list = g_task_propagate_pointer (G_TASK (res), &error);
  g_clear_object (&self->list_cancellable);
  if (self->disposed)
    {
      g_clear_pointer (&list, g_ptr_array_unref);
      return;
    }
  if (list == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      g_autofree char *msg = g_strdup_printf ("Could not read the store: %s", error->message);
      show_error (self, msg);
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "The store could not be read");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  self->infos = list;
  self->selecting = TRUE;
  remove_all_children (self->dataset_list);
  GtkListBoxRow *to_select = NULL;
  const char *want = self->pending_select ? self->pending_select : self->selected;
  for (guint k = 0; k < list->len; k++)
    {
      const ScalrDatasetInfo *info = g_ptr_array_index (list, k);
      GtkWidget *row = dataset_row_new (info);
      gtk_list_box_append (GTK_LIST_BOX (self->dataset_list), row);
      if (to_select == NULL || g_strcmp0 (info->name, want) == 0)
        to_select = GTK_LIST_BOX_ROW (row);
    }
  self->selecting = FALSE;
  g_clear_pointer (&self->pending_select, g_free);
  if (list->len == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "No datasets yet");
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "content");
  /* Selecting emits row-selected, which loads the statistics when the name changed. */
  const char *name = g_object_get_data (G_OBJECT (to_select), "dataset-name");
  gboolean same = g_strcmp0 (name, self->selected) == 0;
  gtk_list_box_select_row (GTK_LIST_BOX (self->dataset_list), to_select);
  if (same && self->dataset == NULL && self->stats_cancellable == NULL)
    load_stats (self);
}

static void
refresh_list (ScalrDatasetsPage *self)
{
  if (self->db_path == NULL)
    return;
  if (self->list_cancellable)
    g_cancellable_cancel (self->list_cancellable);
  g_clear_object (&self->list_cancellable);
  self->list_cancellable = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->list_cancellable, list_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, list_worker);
}

void
scalr_datasets_page_set_store (ScalrDatasetsPage *self, const char *db_path, const char *select)
{
  g_return_if_fail (SCALR_IS_DATASETS_PAGE (self));
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  g_free (self->pending_select);
  self->pending_select = g_strdup (select);
  g_clear_pointer (&self->dataset, scalr_dataset_unref);
  g_clear_pointer (&self->selected, g_free);
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "loading");
  refresh_list (self);
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
    out->info = scalr_store_get_dataset_info (store, in->name, &error);
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

/* ---- cards, table, diagram, chart ----------------------------------------------- */

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

static void
table_row (GtkGrid *grid, int row, const char *name, const ScalrDomainStats *s, const char *css)
{
  g_autofree char *ev = fmt_count (s->events);
  g_autofree char *us = fmt_count (s->users);
  g_autofree char *it = fmt_count (s->items);
  g_autofree char *de = g_strdup_printf ("%.4f", s->density);
  g_autofree char *med = g_strdup_printf ("%.0f", s->user_activity[3]);
  g_autofree char *p90 = g_strdup_printf ("%.0f", s->user_activity[5]);
  g_autofree char *pop = g_strdup_printf ("%.0f", s->item_popularity[3]);
  const char *cells[] = { name, s->rule ? s->rule : "every event", ev, us, it, de, med, p90, pop };
  for (guint c = 0; c < G_N_ELEMENTS (cells); c++)
    {
      GtkWidget *l = table_label (cells[c], c >= 2, c == 0 ? css : NULL);
      if (c == 1)
        {
          gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (l), 30);
          gtk_widget_set_hexpand (l, TRUE);
          gtk_widget_set_tooltip_text (l, cells[c]);
          gtk_widget_add_css_class (l, "monospace");
        }
      gtk_grid_attach (grid, l, (int) c, row, 1, 1);
    }
}

static void
fill_table (ScalrDatasetsPage *self, const ScalrDatasetStats *st)
{
  GtkGrid *grid = GTK_GRID (self->domain_table);
  remove_all_children (self->domain_table);
  const char *heads[] = { "Domain", "Rule", "Events", "Users", "Items", "Density",
                          "Median events / user", "p90", "Median events / item" };
  for (guint c = 0; c < G_N_ELEMENTS (heads); c++)
    gtk_grid_attach (grid, table_label (heads[c], c >= 2, "dim-label"), (int) c, 0, 1, 1);
  table_row (grid, 1, "All", &st->all, NULL);
  if (st->has_domains)
    {
      table_row (grid, 2, "Source", &st->source, "source-label");
      table_row (grid, 3, "Target", &st->target, "target-label");
      g_autofree char *ov = fmt_count (st->overlap_users);
      g_autofree char *so = fmt_count (st->source_only_users);
      g_autofree char *to = fmt_count (st->target_only_users);
      g_autofree char *text = g_strdup_printf ("%s users have events in both domains (overlap) · %s only in the source · "
                                               "%s only in the target.  Before the threshold and k-core filters of the run.",
                                               ov, so, to);
      GtkWidget *l = table_label (text, FALSE, "dim-label");
      gtk_label_set_wrap (GTK_LABEL (l), TRUE);
      gtk_widget_set_margin_top (l, 6);
      gtk_grid_attach (grid, l, 0, 4, (int) G_N_ELEMENTS (heads), 1);
    }
}

/* Area of the lens of two circles (radii a, b) at distance d. */
static double
lens_area (double a, double b, double d)
{
  if (d >= a + b)
    return 0;
  if (d <= fabs (a - b))
    return G_PI * MIN (a, b) * MIN (a, b);
  double x = (d * d + a * a - b * b) / (2 * d * a);
  double y = (d * d + b * b - a * a) / (2 * d * b);
  double k = (-d + a + b) * (d + a - b) * (d - a + b) * (d + a + b);
  return a * a * acos (CLAMP (x, -1, 1)) + b * b * acos (CLAMP (y, -1, 1)) - 0.5 * sqrt (MAX (k, 0));
}

/* Radii with areas proportional to the user counts, the distance by bisection so the lens
 * area is proportional to the overlap. */
static void
prepare_venn (ScalrDatasetsPage *self, const ScalrDatasetStats *st)
{
  self->venn_valid = st->has_domains && (st->source.users + st->target.users) > 0;
  if (!self->venn_valid)
    return;
  self->venn_source = st->source.users;
  self->venn_target = st->target.users;
  self->venn_overlap = st->overlap_users;
  double m = MAX (st->source.users, st->target.users);
  double a = sqrt (st->source.users / m), b = sqrt (st->target.users / m);
  double want = G_PI * st->overlap_users / m;
  double lo = fabs (a - b), hi = a + b;
  if (st->overlap_users == 0)
    self->venn_d = hi * 1.08;
  else if (st->overlap_users >= MIN (st->source.users, st->target.users))
    self->venn_d = lo;
  else
    {
      for (int it = 0; it < 60; it++)
        {
          double mid = 0.5 * (lo + hi);
          if (lens_area (a, b, mid) > want)
            lo = mid;
          else
            hi = mid;
        }
      self->venn_d = 0.5 * (lo + hi);
    }
  self->venn_rs = a;
  self->venn_rt = b;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *markup, double x, double y, double align)
{
  pango_layout_set_markup (layout, markup, -1);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

static void
venn_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  ScalrDatasetsPage *self = data;
  GdkRGBA fg;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  if (!self->venn_valid)
    {
      gdk_cairo_set_source_rgba (cr, &fg);
      cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 0.55);
      draw_text (cr, layout, "Enter a source and a target rule to see their users", width / 2.0, height / 2.0, 0.5);
      g_object_unref (layout);
      return;
    }
  /* The charts' palette (Okabe–Ito; lighter in dark mode): source blue, target vermillion. */
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, adw_style_manager_get_dark (adw_style_manager_get_default ()), 1.0);
  const ScalrRgb *src = &style.series[SCALR_PLOT_COLOR_BLUE], *tgt = &style.series[SCALR_PLOT_COLOR_VERMILLION];
  const double cs[3] = { src->r, src->g, src->b }, ct[3] = { tgt->r, tgt->g, tgt->b };
  double margin = 16, legend = 46;
  double a = self->venn_rs, b = self->venn_rt, d = self->venn_d;
  double extent_x = a + d + b, extent_y = 2 * MAX (a, b);
  double scale = MIN ((width - 2 * margin - 80) / extent_x, (height - 2 * margin - legend) / extent_y);
  if (scale <= 0)
    {
      g_object_unref (layout);
      return;
    }
  double ra = a * scale, rb = b * scale;
  double cx = width / 2.0 - (extent_x * scale) / 2.0 + ra;
  double cy = margin + MAX (ra, rb);
  double cx2 = cx + d * scale;

  cairo_set_line_width (cr, 2);
  cairo_arc (cr, cx, cy, ra, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, cs[0], cs[1], cs[2], 0.30);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, cs[0], cs[1], cs[2], 1.0);
  cairo_stroke (cr);
  cairo_arc (cr, cx2, cy, rb, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, ct[0], ct[1], ct[2], 0.30);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, ct[0], ct[1], ct[2], 1.0);
  /* Dashed, so both outlines stay visible when the two sets nearly coincide. */
  const double dash[] = { 6, 4 };
  cairo_set_dash (cr, dash, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);

  g_autofree char *so = fmt_count (self->venn_source - MIN (self->venn_overlap, self->venn_source));
  g_autofree char *to = fmt_count (self->venn_target - MIN (self->venn_overlap, self->venn_target));
  g_autofree char *ov = fmt_count (self->venn_overlap);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 1.0);
  /* Overlap in the lens (or centred between the circles when they do not meet). */
  double lens_l = cx2 - rb, lens_r = cx + ra;
  double ox = self->venn_overlap ? 0.5 * (MAX (lens_l, cx - ra) + MIN (lens_r, cx2 + rb)) : 0.5 * (cx + ra + cx2 - rb);
  g_autofree char *ovm = g_strdup_printf ("<b>%s</b>\n<small>in both</small>", ov);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  draw_text (cr, layout, ovm, ox, cy, 0.5);
  /* Source only: inside the crescent when it is wide enough, else outside on the left. */
  double crescent_l = MAX (0, (cx2 - rb) - (cx - ra));
  g_autofree char *som = g_strdup_printf ("<b>%s</b>\n<small>source only</small>", so);
  if (crescent_l > 70)
    draw_text (cr, layout, som, 0.5 * ((cx - ra) + (cx2 - rb)), cy, 0.5);
  else
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      draw_text (cr, layout, som, cx - ra - 8, cy, 1.0);
    }
  double crescent_r = MAX (0, (cx2 + rb) - (cx + ra));
  g_autofree char *tom = g_strdup_printf ("<b>%s</b>\n<small>target only</small>", to);
  if (crescent_r > 70)
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      draw_text (cr, layout, tom, 0.5 * ((cx + ra) + (cx2 + rb)), cy, 0.5);
    }
  else
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
      draw_text (cr, layout, tom, cx2 + rb + 8, cy, 0.0);
    }
  /* Legend: a swatch and the total per domain. */
  g_autofree char *st = fmt_count (self->venn_source);
  g_autofree char *tt = fmt_count (self->venn_target);
  g_autofree char *sl = g_strdup_printf ("Source users  <b>%s</b>", st);
  g_autofree char *tl = g_strdup_printf ("Target users  <b>%s</b>", tt);
  double ly = height - legend / 2.0;
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  pango_layout_set_markup (layout, sl, -1);
  int w1, h1;
  pango_layout_get_pixel_size (layout, &w1, &h1);
  pango_layout_set_markup (layout, tl, -1);
  int w2, h2;
  pango_layout_get_pixel_size (layout, &w2, &h2);
  double total = 18 + w1 + 28 + 18 + w2;
  double x = width / 2.0 - total / 2.0;
  cairo_rectangle (cr, x, ly - 6, 12, 12);
  cairo_set_source_rgba (cr, cs[0], cs[1], cs[2], 1.0);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 1.0);
  draw_text (cr, layout, sl, x + 18, ly, 0.0);
  x += 18 + w1 + 28;
  cairo_rectangle (cr, x, ly - 6, 12, 12);
  cairo_set_source_rgba (cr, ct[0], ct[1], ct[2], 1.0);
  cairo_fill (cr);
  cairo_set_source_rgba (cr, fg.red, fg.green, fg.blue, 1.0);
  draw_text (cr, layout, tl, x + 18, ly, 0.0);
  g_object_unref (layout);
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
      g_autofree char *lo = fmt_count ((guint64) edges[i]);
      g_autofree char *hi = fmt_count ((guint64) edges[i + 1] - 1);
      g_autofree char *c = fmt_count (hist[b]);
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
  remove_all_children (self->category_box);
  for (guint k = 0; k < cats->len; k++)
    {
      const CatCount *c = &g_array_index (cats, CatCount, k);
      g_autofree char *n = fmt_count (c->events);
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

static void
clear_details (ScalrDatasetsPage *self)
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
          show_error (self, msg);
          clear_details (self);
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
  g_autofree char *dup = fmt_count (info->n_duplicates);
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
  g_autofree char *ev = fmt_count (st->all.events);
  g_autofree char *us = fmt_count (st->all.users);
  g_autofree char *it = fmt_count (st->all.items);
  g_autofree char *ca = fmt_count (st->n_categories);
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
  prepare_venn (self, st);
  gtk_widget_queue_draw (self->venn);
  scalr_chart_view_set_plot (SCALR_CHART_VIEW (self->activity_chart), activity_plot (st));
  fill_categories (self, out->categories);
  stats_output_free (out);
}

static void
load_stats (ScalrDatasetsPage *self)
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

static void
on_row_selected (GtkListBox *box, GtkListBoxRow *row, ScalrDatasetsPage *self)
{
  if (row == NULL || self->selecting)
    return;
  const char *name = g_object_get_data (G_OBJECT (row), "dataset-name");
  if (g_strcmp0 (name, self->selected) == 0 && self->dataset)
    return;
  g_free (self->selected);
  self->selected = g_strdup (name);
  g_clear_pointer (&self->dataset, scalr_dataset_unref);
  clear_details (self);
  gtk_label_set_text (GTK_LABEL (self->title_label), name);
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), "Loading…");
  load_stats (self);
  g_signal_emit (self, signals[SIGNAL_DATASET_SELECTED], 0, name);
}

static gboolean
on_rules_timeout (gpointer data)
{
  ScalrDatasetsPage *self = data;
  self->rules_timeout = 0;
  load_stats (self);
  return G_SOURCE_REMOVE;
}

static void
on_rule_changed (GtkEditable *editable, ScalrDatasetsPage *self)
{
  g_clear_handle_id (&self->rules_timeout, g_source_remove);
  if (self->selected)
    self->rules_timeout = g_timeout_add (350, on_rules_timeout, self);
}

static void
on_rule_activate (GtkEntry *entry, ScalrDatasetsPage *self)
{
  g_clear_handle_id (&self->rules_timeout, g_source_remove);
  load_stats (self);
}

static void
on_rule_focus (GtkEventControllerFocus *focus, ScalrDatasetsPage *self)
{
  self->focus_rule = gtk_event_controller_get_widget (GTK_EVENT_CONTROLLER (focus));
}

static void
on_use_clicked (GtkButton *button, ScalrDatasetsPage *self)
{
  g_autofree char *s = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->source_entry))));
  g_autofree char *t = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->target_entry))));
  g_signal_emit (self, signals[SIGNAL_RULES_APPLIED], 0, self->selected, s, t);
}

void
scalr_datasets_page_set_rules (ScalrDatasetsPage *self, const char *source, const char *target)
{
  g_return_if_fail (SCALR_IS_DATASETS_PAGE (self));
  if (source && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->source_entry)), source) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->source_entry), source);
  if (target && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->target_entry)), target) != 0)
    gtk_editable_set_text (GTK_EDITABLE (self->target_entry), target);
}

/* ---- importing -------------------------------------------------------------------- */

typedef struct {
  char               *db_path;
  ScalrImportOptions *options;
  ScalrProgress      *progress;
} ImportInput;

static void
import_input_free (ImportInput *in)
{
  g_free (in->db_path);
  scalr_import_options_free (in->options);
  scalr_progress_free (in->progress);
  g_free (in);
}

static void
import_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  ImportInput *in = data;
  g_autoptr (GError) error = NULL;
  /* Read everything first; the store is written in one transaction only when the files
   * were read without error: nothing is half-imported. */
  ScalrImportReport report = { 0 };
  g_autoptr (ScalrDataset) d = scalr_import_dataset_full (in->options, in->progress, cancellable, &report, &error);
  if (d == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  scalr_progress_update (in->progress, "store", 0.5, "writing %" G_GUINT64_FORMAT " events to the store",
                         scalr_dataset_get_n_events (d));
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  GString *sources = g_string_new (NULL);
  for (guint k = 0; k < in->options->event_files->len; k++)
    {
      const ScalrEventFile *f = g_ptr_array_index (in->options->event_files, k);
      g_string_append_printf (sources, "%s%s", k ? "," : "", f->path);
    }
  g_autofree char *events_source = g_string_free (sources, FALSE);
  gint64 id = 0;
  if (store == NULL
      || !scalr_store_add_dataset (store, d, events_source, in->options->items_path,
                                   scalr_format_to_string (in->options->format), &id, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_autofree char *ev = fmt_count (scalr_dataset_get_n_events (d));
  g_autofree char *us = fmt_count (scalr_dataset_get_n_users (d));
  g_autofree char *it = fmt_count (scalr_dataset_get_n_items (d));
  g_task_return_pointer (task, g_strdup_printf ("%s events, %s users, %s items", ev, us, it), g_free);
}

static void
on_import_progress (const char *stage, double fraction, const char *message, gpointer data)
{
  ScalrDatasetsPage *self = data;
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->import_bar), CLAMP (fraction, 0, 1));
  g_autofree char *text = g_strdup_printf ("Importing: %s", message ? message : stage);
  gtk_label_set_text (GTK_LABEL (self->import_label), text);
}

static void
import_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrDatasetsPage *self = SCALR_DATASETS_PAGE (source);
  ImportInput *in = g_task_get_task_data (G_TASK (res));
  g_autoptr (GError) error = NULL;
  g_autofree char *summary = g_task_propagate_pointer (G_TASK (res), &error);
  scalr_progress_relay_detach (self->import_relay);
  g_clear_pointer (&self->import_relay, scalr_progress_relay_unref);
  self->importing = FALSE;
  if (self->disposed)
    return;
  gtk_spinner_stop (GTK_SPINNER (self->import_spinner));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->import_revealer), FALSE);
  if (summary == NULL)
    {
      g_autofree char *msg = g_strdup_printf ("Import of ‘%s’ failed; the store is unchanged.\n%s",
                                              in->options->name, error->message);
      show_error (self, msg);
      return;
    }
  g_autofree char *msg = g_strdup_printf ("Imported ‘%s’: %s", in->options->name, summary);
  toast (self, msg);
  g_free (self->pending_select);
  self->pending_select = g_strdup (in->options->name);
  refresh_list (self);
  g_signal_emit (self, signals[SIGNAL_DATASETS_CHANGED], 0);
}

gboolean
scalr_datasets_page_import (ScalrDatasetsPage *self, const ScalrImportOptions *options)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), FALSE);
  g_return_val_if_fail (options != NULL && options->name != NULL, FALSE);
  if (self->importing || self->db_path == NULL)
    return FALSE;
  self->importing = TRUE;
  ImportInput *in = g_new0 (ImportInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->options = import_options_copy (options);
  self->import_relay = scalr_progress_relay_new (on_import_progress, self);
  in->progress = scalr_progress_relay_new_progress (self->import_relay);
  g_autofree char *text = g_strdup_printf ("Importing ‘%s’…", options->name);
  gtk_label_set_text (GTK_LABEL (self->import_label), text);
  gtk_progress_bar_set_fraction (GTK_PROGRESS_BAR (self->import_bar), 0);
  gtk_spinner_start (GTK_SPINNER (self->import_spinner));
  gtk_revealer_set_reveal_child (GTK_REVEALER (self->import_revealer), TRUE);
  g_autoptr (GTask) task = g_task_new (self, NULL, import_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) import_input_free);
  g_task_run_in_thread (task, import_worker);
  return TRUE;
}

/* ---- the import form -------------------------------------------------------------- */

static const char *const roles[] = { "user", "item", "rating", "timestamp", "domain", "ignore", NULL };
enum { ROLE_USER, ROLE_ITEM, ROLE_RATING, ROLE_TIMESTAMP, ROLE_DOMAIN, ROLE_IGNORE };

typedef struct {
  ScalrDatasetsPage *page;          /* owned ref */
  GtkWidget         *window;        /* borrowed */
  GtkWidget         *name_row, *events_row, *items_row, *format_row, *items_clear;
  GtkWidget         *preview_grid, *status_label, *import_button;
  char              *events_path, *items_path;
  GPtrArray         *role_dropdowns;   /* GtkWidget*, borrowed */
  GtkNativeDialog   *chooser;          /* owned while open */
  gboolean           choosing_items;
} ImportForm;

static void
import_form_free (ImportForm *f)
{
  if (f->chooser)
    gtk_native_dialog_destroy (f->chooser);
  g_clear_object (&f->chooser);
  g_object_unref (f->page);
  g_free (f->events_path);
  g_free (f->items_path);
  g_ptr_array_unref (f->role_dropdowns);
  g_free (f);
}

static ScalrFormat
form_format (ImportForm *f)
{
  static const ScalrFormat formats[] = { SCALR_FORMAT_AUTO, SCALR_FORMAT_TSV, SCALR_FORMAT_CSV, SCALR_FORMAT_INTER };
  guint k = adw_combo_row_get_selected (ADW_COMBO_ROW (f->format_row));
  return k < G_N_ELEMENTS (formats) ? formats[k] : SCALR_FORMAT_AUTO;
}

static guint
guess_role (const char *header)
{
  g_autofree char *h = g_ascii_strdown (header, -1);
  char *colon = strrchr (h, ':');
  if (colon)
    *colon = '\0';
  static const char *const users[] = { "user_id", "userid", "user", "uid", "users", NULL };
  static const char *const items[] = { "item_id", "itemid", "movieid", "movie_id", "item", "iid", "product_id", "book_id", NULL };
  static const char *const ratings[] = { "rating", "ratings", "score", NULL };
  static const char *const times[] = { "timestamp", "time", "ts", "date", NULL };
  if (g_strv_contains (users, h))
    return ROLE_USER;
  if (g_strv_contains (items, h))
    return ROLE_ITEM;
  if (g_strv_contains (ratings, h))
    return ROLE_RATING;
  if (g_strv_contains (times, h))
    return ROLE_TIMESTAMP;
  if (g_strcmp0 (h, "domain") == 0)
    return ROLE_DOMAIN;
  return ROLE_IGNORE;
}

static void
form_set_status (ImportForm *f, const char *text, gboolean error)
{
  gtk_label_set_text (GTK_LABEL (f->status_label), text ? text : "");
  gtk_widget_set_visible (f->status_label, text != NULL);
  if (error)
    gtk_widget_add_css_class (f->status_label, "error");
  else
    gtk_widget_remove_css_class (f->status_label, "error");
}

static void
form_update_preview (ImportForm *f)
{
  remove_all_children (f->preview_grid);
  g_ptr_array_set_size (f->role_dropdowns, 0);
  gtk_widget_set_visible (gtk_widget_get_ancestor (f->preview_grid, GTK_TYPE_SCROLLED_WINDOW), f->events_path != NULL);
  if (f->events_path == NULL)
    {
      form_set_status (f, "Choose an events file to see its first rows.", FALSE);
      gtk_widget_set_sensitive (f->import_button, FALSE);
      return;
    }
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrReader) reader = scalr_reader_new (f->events_path, form_format (f), &error);
  const ScalrField *fields;
  guint n_fields = 0, n_cols = 0;
  int row = 0;
  while (reader && row <= PREVIEW_ROWS + 1)
    {
      if (!scalr_reader_next (reader, &fields, &n_fields, &error))
        break;
      if (n_fields == 0)
        break;
      if (row == 0)
        {
          n_cols = n_fields;
          for (guint c = 0; c < n_fields; c++)
            {
              g_autofree char *name = scalr_field_dup (&fields[c]);
              GtkWidget *l = gtk_label_new (name);
              gtk_widget_add_css_class (l, "heading");
              gtk_label_set_xalign (GTK_LABEL (l), 0);
              gtk_grid_attach (GTK_GRID (f->preview_grid), l, (int) c, 0, 1, 1);
              GtkWidget *dd = gtk_drop_down_new_from_strings (roles);
              gtk_drop_down_set_selected (GTK_DROP_DOWN (dd), guess_role (name));
              g_autofree char *tip = g_strdup_printf ("What column %u (%s) holds", c + 1, name);
              gtk_widget_set_tooltip_text (dd, tip);
              gtk_grid_attach (GTK_GRID (f->preview_grid), dd, (int) c, 1, 1, 1);
              g_ptr_array_add (f->role_dropdowns, dd);
            }
          row = 2;
          continue;
        }
      for (guint c = 0; c < MIN (n_fields, n_cols); c++)
        {
          g_autofree char *text = scalr_field_dup (&fields[c]);
          GtkWidget *l = gtk_label_new (text);
          gtk_label_set_xalign (GTK_LABEL (l), 0);
          gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
          gtk_label_set_max_width_chars (GTK_LABEL (l), 24);
          gtk_widget_add_css_class (l, "monospace");
          gtk_grid_attach (GTK_GRID (f->preview_grid), l, (int) c, row, 1, 1);
        }
      row++;
      if (row >= PREVIEW_ROWS + 2)
        break;
    }
  if (error)
    {
      form_set_status (f, error->message, TRUE);
      gtk_widget_set_sensitive (f->import_button, n_cols > 0);
      return;
    }
  g_autofree char *status = g_strdup_printf ("The first %d rows of %s (format: %s). The importer reads all rows and "
                                             "stops at the first bad line, leaving the store unchanged.",
                                             MAX (row - 2, 0), f->events_path,
                                             reader ? scalr_format_to_string (scalr_reader_get_format (reader)) : "?");
  form_set_status (f, status, FALSE);
  gtk_widget_set_sensitive (f->import_button, n_cols > 0);
}

static void
form_set_path (ImportForm *f, gboolean items, const char *path)
{
  if (items)
    {
      g_free (f->items_path);
      f->items_path = g_strdup (path);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (f->items_row), path ? path : "None: category rules need one");
      gtk_widget_set_visible (f->items_clear, path != NULL);
      return;
    }
  g_free (f->events_path);
  f->events_path = g_strdup (path);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->events_row), path ? path : "Required");
  const char *name = gtk_editable_get_text (GTK_EDITABLE (f->name_row));
  if (path && (name == NULL || *name == '\0'))
    {
      g_autofree char *base = g_path_get_basename (path);
      char *dot = strrchr (base, '.');
      if (dot)
        *dot = '\0';
      gtk_editable_set_text (GTK_EDITABLE (f->name_row), base);
    }
  form_update_preview (f);
}

static void
on_form_chooser_response (GtkNativeDialog *dialog, int response, ImportForm *f)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      if (path)
        form_set_path (f, f->choosing_items, path);
    }
  g_clear_object (&f->chooser);
}

static void
form_choose (ImportForm *f, gboolean items)
{
  if (f->chooser)
    return;
  f->choosing_items = items;
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (items ? "Choose an Items File" : "Choose an Events File",
                                                               GTK_WINDOW (f->window), GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               "_Open", "_Cancel");
  g_autoptr (GtkFileFilter) text = gtk_file_filter_new ();
  gtk_file_filter_set_name (text, "Tables (*.tsv, *.csv, *.inter, *.item, *.txt)");
  const char *patterns[] = { "*.tsv", "*.csv", "*.inter", "*.item", "*.txt", "*.dat" };
  for (guint k = 0; k < G_N_ELEMENTS (patterns); k++)
    gtk_file_filter_add_pattern (text, patterns[k]);
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), text);
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  f->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_form_chooser_response), f);
  gtk_native_dialog_show (f->chooser);
}

static void
on_choose_events (GtkButton *b, ImportForm *f)
{
  form_choose (f, FALSE);
}

static void
on_choose_items (GtkButton *b, ImportForm *f)
{
  form_choose (f, TRUE);
}

static void
on_clear_items (GtkButton *b, ImportForm *f)
{
  form_set_path (f, TRUE, NULL);
}

static void
on_use_sample (GtkButton *b, ImportForm *f)
{
  g_autofree char *events = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", "ratings.tsv", NULL);
  g_autofree char *items = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", "movies.tsv", NULL);
  gtk_editable_set_text (GTK_EDITABLE (f->name_row), "movielens-small");
  form_set_path (f, TRUE, items);
  form_set_path (f, FALSE, events);
}

static void
on_format_changed (GObject *row, GParamSpec *pspec, ImportForm *f)
{
  form_update_preview (f);
}

static void
on_form_import (GtkButton *b, ImportForm *f)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (f->name_row))));
  if (*name == '\0')
    {
      form_set_status (f, "Give the dataset a name.", TRUE);
      gtk_widget_grab_focus (f->name_row);
      return;
    }
  if (f->events_path == NULL)
    {
      form_set_status (f, "Choose an events file.", TRUE);
      return;
    }
  int col[ROLE_IGNORE];
  for (guint r = 0; r < ROLE_IGNORE; r++)
    col[r] = 0;
  for (guint c = 0; c < f->role_dropdowns->len; c++)
    {
      guint role = gtk_drop_down_get_selected (GTK_DROP_DOWN (g_ptr_array_index (f->role_dropdowns, c)));
      if (role >= ROLE_IGNORE)
        continue;
      if (col[role])
        {
          g_autofree char *msg = g_strdup_printf ("Columns %d and %u are both marked ‘%s’; choose one.", col[role], c + 1, roles[role]);
          form_set_status (f, msg, TRUE);
          return;
        }
      col[role] = (int) c + 1;
    }
  if (f->role_dropdowns->len && (col[ROLE_USER] == 0 || col[ROLE_ITEM] == 0))
    {
      form_set_status (f, "Mark one column as ‘user’ and one as ‘item’.", TRUE);
      return;
    }
  g_autoptr (ScalrImportOptions) o = scalr_import_options_new ();
  o->name = g_strdup (name);
  scalr_import_options_add_events (o, f->events_path, NULL);
  o->items_path = g_strdup (f->items_path);
  o->format = form_format (f);
  char **targets[] = { &o->user_column, &o->item_column, &o->rating_column, &o->timestamp_column, &o->domain_column };
  for (guint r = 0; r < ROLE_IGNORE; r++)
    if (col[r])
      *targets[r] = g_strdup_printf ("%d", col[r]);
  ScalrDatasetsPage *page = f->page;
  if (!scalr_datasets_page_import (page, o))
    {
      form_set_status (f, "Another import is still running; wait for it to finish.", TRUE);
      return;
    }
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static void
on_form_cancel (GtkButton *b, ImportForm *f)
{
  gtk_window_destroy (GTK_WINDOW (f->window));
}

static GtkWidget *
suffix_button (const char *label, GCallback cb, ImportForm *f)
{
  GtkWidget *b = gtk_button_new_with_mnemonic (label);
  gtk_widget_set_valign (b, GTK_ALIGN_CENTER);
  g_signal_connect (b, "clicked", cb, f);
  return b;
}

void
scalr_datasets_page_open_import_dialog (ScalrDatasetsPage *self)
{
  g_return_if_fail (SCALR_IS_DATASETS_PAGE (self));
  ImportForm *f = g_new0 (ImportForm, 1);
  f->page = g_object_ref (self);
  f->role_dropdowns = g_ptr_array_new ();
  f->window = adw_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), "Import Dataset");
  gtk_window_set_modal (GTK_WINDOW (f->window), TRUE);
  gtk_window_set_transient_for (GTK_WINDOW (f->window), GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))));
  gtk_window_set_default_size (GTK_WINDOW (f->window), 860, 720);
  g_object_set_data_full (G_OBJECT (f->window), "import-form", f, (GDestroyNotify) import_form_free);

  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *header = adw_header_bar_new ();
  adw_header_bar_set_show_end_title_buttons (ADW_HEADER_BAR (header), FALSE);
  adw_header_bar_set_show_start_title_buttons (ADW_HEADER_BAR (header), FALSE);
  GtkWidget *cancel = gtk_button_new_with_mnemonic ("_Cancel");
  g_signal_connect (cancel, "clicked", G_CALLBACK (on_form_cancel), f);
  adw_header_bar_pack_start (ADW_HEADER_BAR (header), cancel);
  f->import_button = gtk_button_new_with_mnemonic ("_Import");
  gtk_widget_add_css_class (f->import_button, "suggested-action");
  gtk_widget_set_sensitive (f->import_button, FALSE);
  g_signal_connect (f->import_button, "clicked", G_CALLBACK (on_form_import), f);
  adw_header_bar_pack_end (ADW_HEADER_BAR (header), f->import_button);
  gtk_box_append (GTK_BOX (box), header);

  GtkWidget *content = gtk_box_new (GTK_ORIENTATION_VERTICAL, 18);
  gtk_widget_set_margin_start (content, 24);
  gtk_widget_set_margin_end (content, 24);
  gtk_widget_set_margin_top (content, 18);
  gtk_widget_set_margin_bottom (content, 24);

  GtkWidget *files = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (files), "Files");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (files),
    "TSV, CSV or RecBole .inter with a header row. The items file (id, title, categories separated by |) enables category rules.");
  f->name_row = adw_entry_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->name_row), "Dataset name");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->name_row);
  f->events_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->events_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->events_row), "Events file");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->events_row), "Required");
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->events_row), suffix_button ("_Choose…", G_CALLBACK (on_choose_events), f));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->events_row);
  f->items_row = adw_action_row_new ();
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (f->items_row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->items_row), "Items file (optional)");
  adw_action_row_set_subtitle (ADW_ACTION_ROW (f->items_row), "None: category rules need one");
  f->items_clear = gtk_button_new_from_icon_name ("edit-clear-symbolic");
  gtk_widget_set_valign (f->items_clear, GTK_ALIGN_CENTER);
  gtk_widget_set_tooltip_text (f->items_clear, "Import without an items file");
  gtk_widget_add_css_class (f->items_clear, "flat");
  gtk_widget_set_visible (f->items_clear, FALSE);
  g_signal_connect (f->items_clear, "clicked", G_CALLBACK (on_clear_items), f);
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->items_row), f->items_clear);
  adw_action_row_add_suffix (ADW_ACTION_ROW (f->items_row), suffix_button ("C_hoose…", G_CALLBACK (on_choose_items), f));
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->items_row);
  f->format_row = adw_combo_row_new ();
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (f->format_row), "Format");
  const char *formats[] = { "Automatic", "TSV", "CSV", "RecBole .inter", NULL };
  g_autoptr (GtkStringList) fmodel = gtk_string_list_new (formats);
  adw_combo_row_set_model (ADW_COMBO_ROW (f->format_row), G_LIST_MODEL (fmodel));
  g_signal_connect (f->format_row, "notify::selected", G_CALLBACK (on_format_changed), f);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), f->format_row);
  g_autofree char *sample = g_build_filename (SCALR_SOURCE_DATADIR, "movielens-small", "ratings.tsv", NULL);
  if (g_file_test (sample, G_FILE_TEST_EXISTS))
    {
      GtkWidget *row = adw_action_row_new ();
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), "Sample data");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), "MovieLens ml-latest-small: 100,004 ratings of 9,066 movies with genres (GroupLens)");
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), suffix_button ("Use _Sample", G_CALLBACK (on_use_sample), f));
      adw_preferences_group_add (ADW_PREFERENCES_GROUP (files), row);
    }
  gtk_box_append (GTK_BOX (content), files);

  GtkWidget *preview = adw_preferences_group_new ();
  adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (preview), "Preview and Columns");
  adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (preview),
    "Choose what each column holds; one user and one item column are required.");
  GtkWidget *frame = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (frame), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (frame), TRUE);
  gtk_widget_add_css_class (frame, "card");
  f->preview_grid = gtk_grid_new ();
  gtk_grid_set_column_spacing (GTK_GRID (f->preview_grid), 18);
  gtk_grid_set_row_spacing (GTK_GRID (f->preview_grid), 4);
  gtk_widget_set_margin_start (f->preview_grid, 12);
  gtk_widget_set_margin_end (f->preview_grid, 12);
  gtk_widget_set_margin_top (f->preview_grid, 10);
  gtk_widget_set_margin_bottom (f->preview_grid, 10);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (frame), f->preview_grid);
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (preview), frame);
  f->status_label = gtk_label_new (NULL);
  gtk_label_set_wrap (GTK_LABEL (f->status_label), TRUE);
  gtk_label_set_xalign (GTK_LABEL (f->status_label), 0);
  gtk_label_set_selectable (GTK_LABEL (f->status_label), TRUE);
  gtk_widget_set_margin_top (f->status_label, 8);
  gtk_widget_add_css_class (f->status_label, "dim-label");
  adw_preferences_group_add (ADW_PREFERENCES_GROUP (preview), f->status_label);
  gtk_box_append (GTK_BOX (content), preview);

  GtkWidget *clamp = adw_clamp_new ();
  adw_clamp_set_maximum_size (ADW_CLAMP (clamp), 900);
  adw_clamp_set_child (ADW_CLAMP (clamp), content);
  GtkWidget *scroll = gtk_scrolled_window_new ();
  gtk_widget_set_vexpand (scroll, TRUE);
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroll), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroll), clamp);
  gtk_box_append (GTK_BOX (box), scroll);
  adw_window_set_content (ADW_WINDOW (f->window), box);
  form_update_preview (f);
  gtk_window_present (GTK_WINDOW (f->window));
}

/* ---- public getters --------------------------------------------------------------- */

gboolean
scalr_datasets_page_is_busy (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), FALSE);
  return self->list_cancellable != NULL || self->stats_cancellable != NULL || self->importing
         || self->rules_timeout != 0;
}

guint
scalr_datasets_page_get_n_datasets (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), 0);
  return self->infos ? self->infos->len : 0;
}

const char *
scalr_datasets_page_get_selected (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), NULL);
  return self->selected;
}

guint64
scalr_datasets_page_get_shown_events (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), 0);
  return self->shown_events;
}

const char *
scalr_datasets_page_get_events_text (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), NULL);
  return gtk_label_get_text (GTK_LABEL (self->card_value[0]));
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
on_dark_changed (GObject *manager, GParamSpec *pspec, ScalrDatasetsPage *self)
{
  gtk_widget_queue_draw (self->venn);
}

static void
scalr_datasets_page_dispose (GObject *object)
{
  ScalrDatasetsPage *self = SCALR_DATASETS_PAGE (object);
  self->disposed = TRUE;
  if (self->list_cancellable)
    g_cancellable_cancel (self->list_cancellable);
  if (self->stats_cancellable)
    g_cancellable_cancel (self->stats_cancellable);
  scalr_progress_relay_detach (self->import_relay);
  g_clear_handle_id (&self->rules_timeout, g_source_remove);
  g_signal_handlers_disconnect_by_func (adw_style_manager_get_default (), on_dark_changed, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_DATASETS_PAGE);
  G_OBJECT_CLASS (scalr_datasets_page_parent_class)->dispose (object);
}

static void
scalr_datasets_page_finalize (GObject *object)
{
  ScalrDatasetsPage *self = SCALR_DATASETS_PAGE (object);
  g_clear_object (&self->list_cancellable);
  g_clear_object (&self->stats_cancellable);
  g_clear_pointer (&self->import_relay, scalr_progress_relay_unref);
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  g_clear_pointer (&self->dataset, scalr_dataset_unref);
  g_free (self->db_path);
  g_free (self->pending_select);
  g_free (self->selected);
  G_OBJECT_CLASS (scalr_datasets_page_parent_class)->finalize (object);
}

static void
scalr_datasets_page_class_init (ScalrDatasetsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = scalr_datasets_page_dispose;
  object_class->finalize = scalr_datasets_page_finalize;
  g_type_ensure (SCALR_TYPE_CHART_VIEW);
  /* (name) a dataset was selected */
  signals[SIGNAL_DATASET_SELECTED] = g_signal_new ("dataset-selected", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                   NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
  /* (dataset, source, target) "Use in Configure" */
  signals[SIGNAL_RULES_APPLIED] = g_signal_new ("rules-applied", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                NULL, NULL, NULL, G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_STRING, G_TYPE_STRING);
  /* an import added a dataset */
  signals[SIGNAL_DATASETS_CHANGED] = g_signal_new ("datasets-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                                   NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-datasets-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, ScalrDatasetsPage, name)
  BIND (import_revealer);
  BIND (import_spinner);
  BIND (import_label);
  BIND (import_bar);
  BIND (stack);
  BIND (empty_page);
  BIND (dataset_list);
  BIND (title_label);
  BIND (subtitle_label);
  BIND (cards_box);
  BIND (source_entry);
  BIND (target_entry);
  BIND (use_button);
  BIND (rule_error);
  BIND (domain_table);
  BIND (charts_box);
  BIND (venn);
  BIND (activity_chart);
  BIND (categories_hint);
  BIND (category_box);
#undef BIND
}

static void
scalr_datasets_page_init (ScalrDatasetsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  for (guint k = 0; k < 4; k++)
    {
      GtkWidget *card = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      gtk_widget_add_css_class (card, "card");
      gtk_widget_add_css_class (card, "stat-card");
      self->card_value[k] = gtk_label_new ("–");
      gtk_widget_add_css_class (self->card_value[k], "stat-value");
      gtk_label_set_xalign (GTK_LABEL (self->card_value[k]), 0);
      self->card_caption[k] = gtk_label_new (NULL);
      gtk_widget_add_css_class (self->card_caption[k], "stat-label");
      gtk_label_set_xalign (GTK_LABEL (self->card_caption[k]), 0);
      gtk_label_set_ellipsize (GTK_LABEL (self->card_caption[k]), PANGO_ELLIPSIZE_END);
      gtk_box_append (GTK_BOX (card), self->card_value[k]);
      gtk_box_append (GTK_BOX (card), self->card_caption[k]);
      gtk_box_append (GTK_BOX (self->cards_box), card);
    }
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->venn), venn_draw, self, NULL);
  scalr_chart_view_set_empty_text (SCALR_CHART_VIEW (self->activity_chart), "Computing…");
  g_signal_connect (self->dataset_list, "row-selected", G_CALLBACK (on_row_selected), self);
  GtkWidget *entries[] = { self->source_entry, self->target_entry };
  for (guint k = 0; k < 2; k++)
    {
      g_signal_connect (entries[k], "changed", G_CALLBACK (on_rule_changed), self);
      g_signal_connect (entries[k], "activate", G_CALLBACK (on_rule_activate), self);
      GtkEventController *focus = gtk_event_controller_focus_new ();
      g_signal_connect (focus, "enter", G_CALLBACK (on_rule_focus), self);
      gtk_widget_add_controller (entries[k], focus);
    }
  g_signal_connect (self->use_button, "clicked", G_CALLBACK (on_use_clicked), self);
  g_signal_connect (adw_style_manager_get_default (), "notify::dark", G_CALLBACK (on_dark_changed), self);
}

GtkWidget *
scalr_datasets_page_new (void)
{
  return g_object_new (SCALR_TYPE_DATASETS_PAGE, NULL);
}
