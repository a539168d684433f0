/* scalr-datasets-page.c — the store's datasets, importing, and the statistics of one.
 *
 * Listing, importing and computing statistics run in GTask threads with their own store
 * connections and copies of their inputs (a loaded ScalrDataset is immutable and
 * reference-counted, so a worker may share it); import progress comes back through a
 * ScalrProgressRelay. Widgets are touched on the main thread only.
 *
 * This file: listing, selecting, the rules, the import thread and the GObject. The
 * statistics are in scalr-datasets-stats.c, the two-set diagram in scalr-datasets-venn.c,
 * the import form in scalr-datasets-import.c. */
#include "config.h"

#include "scalr-datasets-page-private.h"

#include "scalr-format.h"

#include <string.h>

#include "scalr-chart-view.h"
#include "scalr-store.h"

G_DEFINE_FINAL_TYPE (ScalrDatasetsPage, scalr_datasets_page, ADW_TYPE_BIN)

enum { SIGNAL_DATASET_SELECTED, SIGNAL_RULES_APPLIED, SIGNAL_DATASETS_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

/* ---- helpers ---------------------------------------------------------------------- */

/* 100004 → "100,004". */
void
_scalr_datasets_page_show_error (ScalrDatasetsPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", message);
}

static void
toast (ScalrDatasetsPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.toast", "s", message);
}

void
_scalr_datasets_remove_all_children (GtkWidget *parent)
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
  g_autofree char *ev = scalr_format_count (info->n_events);
  g_autofree char *us = scalr_format_count (info->n_users);
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
      _scalr_datasets_page_show_error (self, msg);
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "The store could not be read");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  g_clear_pointer (&self->infos, g_ptr_array_unref);
  self->infos = list;
  self->selecting = TRUE;
  _scalr_datasets_remove_all_children (self->dataset_list);
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
  g_signal_emit (self, signals[SIGNAL_DATASETS_CHANGED], 0);
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
    _scalr_datasets_page_load_stats (self);
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
  _scalr_datasets_page_clear_details (self);
  gtk_label_set_text (GTK_LABEL (self->title_label), name);
  gtk_label_set_text (GTK_LABEL (self->subtitle_label), "Loading…");
  _scalr_datasets_page_load_stats (self);
  g_signal_emit (self, signals[SIGNAL_DATASET_SELECTED], 0, name);
}

static gboolean
on_rules_timeout (gpointer data)
{
  ScalrDatasetsPage *self = data;
  self->rules_timeout = 0;
  _scalr_datasets_page_load_stats (self);
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
  _scalr_datasets_page_load_stats (self);
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
  g_autofree char *ev = scalr_format_count (scalr_dataset_get_n_events (d));
  g_autofree char *us = scalr_format_count (scalr_dataset_get_n_users (d));
  g_autofree char *it = scalr_format_count (scalr_dataset_get_n_items (d));
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
      _scalr_datasets_page_show_error (self, msg);
      return;
    }
  g_autofree char *msg = g_strdup_printf ("Imported ‘%s’: %s", in->options->name, summary);
  toast (self, msg);
  g_free (self->pending_select);
  self->pending_select = g_strdup (in->options->name);
  refresh_list (self);
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

/* ---- public getters --------------------------------------------------------------- */

gboolean
scalr_datasets_page_is_busy (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), FALSE);
  return self->list_cancellable != NULL || self->stats_cancellable != NULL || self->importing
         || self->rules_timeout != 0;
}

GStrv
scalr_datasets_page_dup_names (ScalrDatasetsPage *self)
{
  g_return_val_if_fail (SCALR_IS_DATASETS_PAGE (self), NULL);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (guint k = 0; self->infos && k < self->infos->len; k++)
    g_strv_builder_add (b, ((const ScalrDatasetInfo *) g_ptr_array_index (self->infos, k))->name);
  return g_strv_builder_end (b);
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
  /* the list of datasets was read (at start, after an import) */
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
      gtk_flow_box_append (GTK_FLOW_BOX (self->cards_box), card);
    }
  gtk_drawing_area_set_draw_func (GTK_DRAWING_AREA (self->venn), _scalr_datasets_page_venn_draw, self, NULL);
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
