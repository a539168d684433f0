/* scalr-runs-page.c — the runs of the store: a searchable, filterable list with the honest
 * headline lift of each run (sparse users, the best augmented model against the strongest
 * real-only model; its own-baseline lift beside it).
 *
 * Reading the runs and running the pipeline happen in GTask threads with their own store
 * connections and their own copies of the inputs; widgets are touched on the main thread
 * only. Running is in scalr-runs-progress.c, rename/delete/export in scalr-runs-manage.c. */
#include "config.h"

#include "scalr-runs-page-private.h"

#include <math.h>

#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-run-set.h"

G_DEFINE_FINAL_TYPE (ScalrRunsPage, scalr_runs_page, ADW_TYPE_BIN)

GParamSpec *_scalr_runs_page_props[RUNS_N_PROPS];
guint       _scalr_runs_page_signals[RUNS_N_SIGNALS];

void
_scalr_runs_page_show_error (ScalrRunsPage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", message);
}

/* ---- reading the runs ----------------------------------------------------------- */

static ScalrRunItem *
item_for_run (ScalrStore *store, const ScalrRunInfo *r, GPtrArray *groups)
{
  const char *group = NULL;
  for (guint g = 0; g < groups->len && r->group_id > 0; g++)
    {
      const ScalrGroupInfo *gi = g_ptr_array_index (groups, g);
      if (gi->id == r->group_id)
        group = scalr_group_kind_to_string (gi->kind);
    }
  g_autofree char *group_label = group ? g_strdup_printf ("%s #%" G_GINT64_FORMAT, group, r->group_id) : NULL;
  g_autofree char *lift = NULL, *own = NULL, *detail = NULL;
  if (r->status == SCALR_RUN_FINISHED)
    {
      g_autoptr (GArray) lifts = scalr_store_load_lifts (store, r->id, NULL);
      ScalrHeadline h;
      if (lifts && scalr_lifts_find_headline ((const ScalrLiftRow *) lifts->data, lifts->len, &h))
        {
          g_autofree char *one_lift = scalr_lift_format (h.strongest);
          lift = g_strdup_printf ("%s %s", h.strongest->model, one_lift);
          own = h.own ? scalr_lift_format_short (h.own) : NULL;
          detail = scalr_headline_describe (&h);
        }
    }
  return scalr_run_item_new (r, group_label, lift, own, detail);
}

static void
refresh_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  const char *db_path = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GPtrArray) runs = store ? scalr_store_list_runs (store, &error) : NULL;
  g_autoptr (GPtrArray) groups = runs ? scalr_store_list_groups (store, &error) : NULL;
  if (groups == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  GPtrArray *items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint k = runs->len; k-- > 0;)   /* newest first */
    {
      if (g_cancellable_is_cancelled (cancellable))
        break;
      g_ptr_array_add (items, item_for_run (store, g_ptr_array_index (runs, k), groups));
    }
  g_task_return_pointer (task, items, (GDestroyNotify) g_ptr_array_unref);
}

static void
update_view (ScalrRunsPage *self)
{
  guint all = g_list_model_get_n_items (G_LIST_MODEL (self->runs));
  guint shown = g_list_model_get_n_items (G_LIST_MODEL (self->filtered));
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), all == 0 ? "empty" : shown == 0 ? "no-match" : "list");
  g_autofree char *count = shown == all ? g_strdup_printf ("%u run%s", all, all == 1 ? "" : "s")
                                        : g_strdup_printf ("%u of %u", shown, all);
  gtk_label_set_text (GTK_LABEL (self->count_label), count);
}

static void
refresh_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (source);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) items = g_task_propagate_pointer (G_TASK (res), &error);
  g_clear_object (&self->refresh_cancellable);
  if (self->disposed)
    return;
  if (items == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_autofree char *msg = g_strdup_printf ("Could not read the runs: %s", error->message);
          _scalr_runs_page_show_error (self, msg);
        }
    }
  else
    {
      gint64 selected = scalr_runs_page_get_selected_run_id (self);
      g_list_store_splice (self->runs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->runs)),
                           items->pdata, items->len);
      GListModel *shown = G_LIST_MODEL (self->filtered);
      for (guint k = 0; k < g_list_model_get_n_items (shown); k++)
        {
          g_autoptr (ScalrRunItem) item = g_list_model_get_item (shown, k);
          if (scalr_run_item_get_id (item) == selected)
            gtk_single_selection_set_selected (self->selection, k);
        }
      update_view (self);
    }
  g_object_notify_by_pspec (G_OBJECT (self), _scalr_runs_page_props[RUNS_PROP_RUNNING]);
  _scalr_runs_page_update_toolbar (self);
  if (self->refresh_again)
    {
      self->refresh_again = FALSE;
      scalr_runs_page_refresh (self);
    }
}

void
scalr_runs_page_refresh (ScalrRunsPage *self)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  if (self->db_path == NULL)
    return;
  if (self->refresh_cancellable)
    {
      self->refresh_again = TRUE;
      return;
    }
  self->refresh_cancellable = g_cancellable_new ();
  g_autoptr (GTask) task = g_task_new (self, self->refresh_cancellable, refresh_done, NULL);
  g_task_set_task_data (task, g_strdup (self->db_path), g_free);
  g_task_run_in_thread (task, refresh_worker);
}

gboolean
scalr_runs_page_is_refreshing (ScalrRunsPage *self)
{
  return self->refresh_cancellable != NULL || self->refresh_again || self->ops_going > 0;
}

void
scalr_runs_page_set_store (ScalrRunsPage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  gboolean first = self->db_path == NULL || g_strcmp0 (self->db_path, db_path) != 0;
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  if (first)
    _scalr_runs_page_purge_stale_trash (self);
  scalr_runs_page_refresh (self);
}

const char *
scalr_runs_page_get_store (ScalrRunsPage *self)
{
  return self->db_path;
}

GListModel *
scalr_runs_page_get_model (ScalrRunsPage *self)
{
  return G_LIST_MODEL (self->runs);
}

GListModel *
scalr_runs_page_get_shown (ScalrRunsPage *self)
{
  return G_LIST_MODEL (self->filtered);
}

ScalrRunItem *
_scalr_runs_page_dup_selected (ScalrRunsPage *self)
{
  ScalrRunItem *item = gtk_single_selection_get_selected_item (self->selection);
  return item ? g_object_ref (item) : NULL;
}

gint64
scalr_runs_page_get_selected_run_id (ScalrRunsPage *self)
{
  ScalrRunItem *item = gtk_single_selection_get_selected_item (self->selection);
  return item ? scalr_run_item_get_id (item) : 0;
}

gint64
scalr_runs_page_get_selected_finished_run_id (ScalrRunsPage *self)
{
  ScalrRunItem *item = gtk_single_selection_get_selected_item (self->selection);
  return item && scalr_run_item_get_status (item) == SCALR_RUN_FINISHED ? scalr_run_item_get_id (item) : 0;
}

void
scalr_runs_page_select_run (ScalrRunsPage *self, gint64 run_id)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  GListModel *shown = G_LIST_MODEL (self->filtered);
  for (guint k = 0; k < g_list_model_get_n_items (shown); k++)
    {
      g_autoptr (ScalrRunItem) item = g_list_model_get_item (shown, k);
      if (scalr_run_item_get_id (item) == run_id)
        {
          gtk_single_selection_set_selected (self->selection, k);
          return;
        }
    }
  gtk_single_selection_set_selected (self->selection, GTK_INVALID_LIST_POSITION);
}

void
_scalr_runs_page_update_toolbar (ScalrRunsPage *self)
{
  g_autoptr (ScalrRunItem) item = _scalr_runs_page_dup_selected (self);
  ScalrRunStatus st = item ? scalr_run_item_get_status (item) : SCALR_RUN_PENDING;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.edit", item != NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "runs.delete",
                                 item != NULL && st != SCALR_RUN_RUNNING && st != SCALR_RUN_PENDING);
}

static void
on_selected (GObject *selection, GParamSpec *pspec, ScalrRunsPage *self)
{
  _scalr_runs_page_update_toolbar (self);
  g_object_notify_by_pspec (G_OBJECT (self), _scalr_runs_page_props[RUNS_PROP_SELECTED_RUN]);
}

/* ---- search and filter ---------------------------------------------------------------- */

static gboolean
run_filter (gpointer object, gpointer data)
{
  ScalrRunsPage *self = data;
  ScalrRunItem *item = object;
  ScalrRunStatus st = scalr_run_item_get_status (item);
  switch (gtk_drop_down_get_selected (GTK_DROP_DOWN (self->status_dropdown)))
    {
    case 1: if (st != SCALR_RUN_FINISHED) return FALSE; break;
    case 2: if (st != SCALR_RUN_FAILED) return FALSE; break;
    case 3: if (st != SCALR_RUN_CANCELLED && st != SCALR_RUN_INTERRUPTED) return FALSE; break;
    case 4: if (st != SCALR_RUN_RUNNING && st != SCALR_RUN_PENDING) return FALSE; break;
    default: break;
    }
  return scalr_run_info_matches (scalr_run_item_get_info (item),
                                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
}

static void
on_filter_changed (ScalrRunsPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_view (self);
}

void
scalr_runs_page_set_search (ScalrRunsPage *self, const char *text)
{
  g_return_if_fail (SCALR_IS_RUNS_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), text ? text : "");
  on_filter_changed (self);
}

/* ---- the list --------------------------------------------------------------------- */

enum { COL_ID, COL_NAME, COL_STATUS, COL_GROUP, COL_DATASET, COL_CREATED, COL_DURATION, COL_LIFT, COL_OWN, N_COLS };

static void
setup_cell (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gboolean right = col == COL_ID || col == COL_DURATION;
  gtk_label_set_xalign (GTK_LABEL (label), right ? 1 : 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  if (col == COL_ID || col == COL_LIFT || col == COL_OWN || col == COL_CREATED || col == COL_DURATION)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static const char *const status_classes[] = { "accent", "success", "error", "warning" };

static char *
name_cell (ScalrRunItem *item, char **tip)
{
  const ScalrRunInfo *info = scalr_run_item_get_info (item);
  const char *name = info->name && info->name[0] ? info->name : SCALR_FORMAT_MISSING;
  g_autoptr (GString) t = g_string_new (name);
  if (info->tags)
    g_string_append_printf (t, "\nTags: %s", info->tags);
  if (info->note)
    g_string_append_printf (t, "\nNote: %s", info->note);
  *tip = g_string_free (g_steal_pointer (&t), FALSE);
  if (info->tags)
    return g_strdup_printf ("%s  [%s]", name, info->tags);
  return g_strdup (name);
}

static void
bind_cell (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  ScalrRunItem *item = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  g_autofree char *text = NULL, *owned_tip = NULL;
  const char *tip = NULL;
  for (guint k = 0; k < G_N_ELEMENTS (status_classes); k++)
    gtk_widget_remove_css_class (label, status_classes[k]);
  switch (col)
    {
    case COL_ID:
      text = g_strdup_printf ("%" G_GINT64_FORMAT, scalr_run_item_get_id (item));
      break;
    case COL_NAME:
      text = name_cell (item, &owned_tip);
      tip = owned_tip;
      break;
    case COL_STATUS:
      {
        ScalrRunStatus st = scalr_run_item_get_status (item);
        text = g_strdup (scalr_run_status_to_string (st));
        const char *cls = st == SCALR_RUN_FINISHED ? "success"
                        : st == SCALR_RUN_FAILED ? "error"
                        : st == SCALR_RUN_RUNNING || st == SCALR_RUN_PENDING ? "accent" : "warning";
        gtk_widget_add_css_class (label, cls);
        tip = scalr_run_item_get_error (item);
        break;
      }
    case COL_GROUP:
      text = g_strdup (scalr_run_item_get_group_label (item) ? scalr_run_item_get_group_label (item) : SCALR_FORMAT_MISSING);
      break;
    case COL_DATASET:
      text = g_strdup (scalr_run_item_get_dataset (item));
      break;
    case COL_CREATED:
      text = scalr_run_item_format_created (item);
      break;
    case COL_DURATION:
      text = scalr_run_item_format_duration (item);
      break;
    case COL_LIFT:
      text = g_strdup (scalr_run_item_get_lift_text (item));
      tip = scalr_run_item_get_lift_detail (item);
      break;
    case COL_OWN:
      text = g_strdup (scalr_run_item_get_own_text (item));
      tip = "The same model against its own real-only baseline: flatters for cold users, where a "
            "personalised baseline is near random.";
      break;
    default:
      g_assert_not_reached ();
    }
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_set_tooltip_text (label, tip ? tip : NULL);
}

static void
add_column (ScalrRunsPage *self, guint col, const char *title, gboolean expand, int fixed_width)
{
  GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
  g_signal_connect (f, "setup", G_CALLBACK (setup_cell), GUINT_TO_POINTER (col));
  g_signal_connect (f, "bind", G_CALLBACK (bind_cell), GUINT_TO_POINTER (col));
  GtkColumnViewColumn *c = gtk_column_view_column_new (title, f);
  gtk_column_view_column_set_expand (c, expand);
  gtk_column_view_column_set_resizable (c, TRUE);
  if (fixed_width > 0)
    gtk_column_view_column_set_fixed_width (c, fixed_width);
  gtk_column_view_append_column (GTK_COLUMN_VIEW (self->column_view), c);
  g_object_unref (c);
}

static void
on_activate (GtkColumnView *view, guint position, ScalrRunsPage *self)
{
  g_autoptr (ScalrRunItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);
  if (item == NULL)
    return;
  ScalrRunStatus st = scalr_run_item_get_status (item);
  if (st == SCALR_RUN_FINISHED)
    g_signal_emit (self, _scalr_runs_page_signals[RUNS_SIGNAL_RUN_ACTIVATED], 0, scalr_run_item_get_id (item));
  else if (scalr_run_item_get_error (item))
    {
      g_autofree char *msg = g_strdup_printf ("Run %" G_GINT64_FORMAT " %s: %s", scalr_run_item_get_id (item),
                                              scalr_run_status_to_string (st), scalr_run_item_get_error (item));
      _scalr_runs_page_show_error (self, msg);
    }
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
scalr_runs_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (object);
  switch (prop_id)
    {
    case RUNS_PROP_RUNNING:
      g_value_set_boolean (value, self->run_cancellable != NULL);
      break;
    case RUNS_PROP_SELECTED_RUN:
      g_value_set_int64 (value, scalr_runs_page_get_selected_run_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
scalr_runs_page_dispose (GObject *object)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (object);
  self->disposed = TRUE;
  if (self->refresh_cancellable)
    g_cancellable_cancel (self->refresh_cancellable);
  if (self->edit_dialog)
    gtk_window_destroy (GTK_WINDOW (self->edit_dialog));
  _scalr_runs_page_stop_progress (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_RUNS_PAGE);
  G_OBJECT_CLASS (scalr_runs_page_parent_class)->dispose (object);
}

static void
scalr_runs_page_finalize (GObject *object)
{
  ScalrRunsPage *self = SCALR_RUNS_PAGE (object);
  g_clear_object (&self->runs);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->selection);
  g_clear_object (&self->refresh_cancellable);
  _scalr_runs_page_free_progress (self);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_runs_page_parent_class)->finalize (object);
}

static void
scalr_runs_page_class_init (ScalrRunsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->get_property = scalr_runs_page_get_property;
  object_class->dispose = scalr_runs_page_dispose;
  object_class->finalize = scalr_runs_page_finalize;
  _scalr_runs_page_props[RUNS_PROP_RUNNING] = g_param_spec_boolean ("running", NULL, NULL, FALSE,
                                                                    G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  _scalr_runs_page_props[RUNS_PROP_SELECTED_RUN] = g_param_spec_int64 ("selected-run", NULL, NULL, 0, G_MAXINT64, 0,
                                                                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, RUNS_N_PROPS, _scalr_runs_page_props);
  /* (run id — 0 when the run was never created, ScalrRunStatus, error message or NULL) */
  _scalr_runs_page_signals[RUNS_SIGNAL_RUN_FINISHED] =
    g_signal_new ("run-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_INT64, G_TYPE_INT, G_TYPE_STRING);
  /* A finished run was activated in the list. */
  _scalr_runs_page_signals[RUNS_SIGNAL_RUN_ACTIVATED] =
    g_signal_new ("run-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_INT64);
  /* A run was renamed, tagged, deleted or restored here. */
  _scalr_runs_page_signals[RUNS_SIGNAL_RUNS_CHANGED] =
    g_signal_new ("runs-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-runs-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, ScalrRunsPage, name)
  CHILD (progress_revealer);
  CHILD (spinner);
  CHILD (progress_title);
  CHILD (elapsed_label);
  CHILD (cancel_button);
  CHILD (stage_grid);
  CHILD (stack);
  CHILD (column_view);
  CHILD (toolbar);
  CHILD (search_entry);
  CHILD (status_dropdown);
  CHILD (count_label);
#undef CHILD
  _scalr_runs_page_install_manage_actions (widget_class);
  _scalr_runs_page_install_progress_actions (widget_class);
}

static void
scalr_runs_page_init (ScalrRunsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->runs = g_list_store_new (SCALR_TYPE_RUN_ITEM);
  self->filter = gtk_custom_filter_new (run_filter, self, NULL);
  self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->runs)),
                                              GTK_FILTER (g_object_ref (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_single_selection_set_autoselect (self->selection, FALSE);
  gtk_single_selection_set_can_unselect (self->selection, TRUE);
  gtk_column_view_set_model (GTK_COLUMN_VIEW (self->column_view), GTK_SELECTION_MODEL (self->selection));
  /* The headline right after the name: on a narrow window it is what stays in view. */
  add_column (self, COL_ID, "#", FALSE, 48);
  add_column (self, COL_NAME, "Name", TRUE, 170);
  add_column (self, COL_STATUS, "Status", FALSE, 86);
  add_column (self, COL_LIFT, "Sparse users: best vs strongest baseline", TRUE, 290);
  add_column (self, COL_OWN, "vs own baseline", TRUE, 230);
  add_column (self, COL_DURATION, "Took", FALSE, 72);
  add_column (self, COL_GROUP, "Group", FALSE, 90);
  add_column (self, COL_CREATED, "Started", FALSE, 128);
  add_column (self, COL_DATASET, "Dataset", FALSE, 120);
  g_signal_connect (self->column_view, "activate", G_CALLBACK (on_activate), self);
  g_signal_connect (self->selection, "notify::selected", G_CALLBACK (on_selected), self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->status_dropdown, "notify::selected", G_CALLBACK (on_filter_changed), self);
  _scalr_runs_page_init_progress (self);
  _scalr_runs_page_update_toolbar (self);
  update_view (self);
}

GtkWidget *
scalr_runs_page_new (void)
{
  return g_object_new (SCALR_TYPE_RUNS_PAGE, NULL);
}
