/* scalr-compare-page.c — runs side by side, as the store groups them: a sweep, a search,
 * replicates, or runs picked by hand. The latest group is shown first.
 *
 * set_store (and showing the page again) reads every finished run's results and the groups
 * in a GTask thread with its own store connection; the main thread keeps them and rebuilds
 * the charts and the table (scalr-compare-view.c) when the selection or a selector changes.
 * Which runs a line may join is core's job (scalr-run-set.h): only runs equal in every key
 * but the one the charts run along. */
#include "config.h"

#include "scalr-compare-page-private.h"

#include "scalr-chart-view.h"
#include "scalr-resources.h"
#include "scalr-store.h"
#include "scalr-ui-util.h"

G_DEFINE_FINAL_TYPE (ScalrComparePage, scalr_compare_page, GTK_TYPE_WIDGET)

/* The segments in the order the selector offers them: the honest default (sparse users)
 * first. */
static const ScalrSegment segment_order[] = { SCALR_SEGMENT_SPARSE, SCALR_SEGMENT_ALL, SCALR_SEGMENT_WARM };
G_STATIC_ASSERT (G_N_ELEMENTS (segment_order) == SCALR_N_SEGMENTS);

/* The metric choices: the core's enum, the metrics that have lifts. */
static guint
n_lift_metrics (void)
{
  guint n = 0;
  for (ScalrMetric m = 0; m < SCALR_N_METRICS; m++)
    n += scalr_metric_has_lifts (m);
  return n;
}

static ScalrMetric
lift_metric_at (guint i)
{
  for (ScalrMetric m = 0; m < SCALR_N_METRICS; m++)
    if (scalr_metric_has_lifts (m) && i-- == 0)
      return m;
  return SCALR_METRIC_RECALL;
}

/* gtk_list_box_remove_all is GTK 4.12; Debian 12 has 4.8. */
static void
list_box_clear (GtkWidget *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

static void
set_dropdown_strings (GtkWidget *dropdown, const char *const *labels, guint selected)
{
  g_autoptr (GtkStringList) list = gtk_string_list_new (labels);
  gtk_drop_down_set_model (GTK_DROP_DOWN (dropdown), G_LIST_MODEL (list));
  if (selected < g_list_model_get_n_items (G_LIST_MODEL (list)))
    gtk_drop_down_set_selected (GTK_DROP_DOWN (dropdown), selected);
}

/* ---- loading -------------------------------------------------------------------------- */

typedef struct {
  GPtrArray *runs, *groups, *views;
} Loaded;

static void
loaded_free (Loaded *l)
{
  g_clear_pointer (&l->views, g_ptr_array_unref);
  g_clear_pointer (&l->groups, g_ptr_array_unref);
  g_clear_pointer (&l->runs, g_ptr_array_unref);
  g_free (l);
}

static void
load_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (data, SCALR_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GPtrArray) list = store ? scalr_store_list_runs (store, &error) : NULL;
  g_autoptr (GPtrArray) groups = list ? scalr_store_list_groups (store, &error) : NULL;
  if (groups == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  Loaded *l = g_new0 (Loaded, 1);
  l->runs = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_run_results_free);
  for (guint i = 0; i < list->len; i++)
    {
      ScalrRunInfo *info = g_ptr_array_index (list, i);
      if (info->status != SCALR_RUN_FINISHED)
        continue;
      if (g_cancellable_is_cancelled (cancellable))
        break;
      ScalrRunResults *r = scalr_run_results_load (store, info->id, TRUE, &error);
      if (r == NULL)
        {
          loaded_free (l);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_ptr_array_add (l->runs, r);
    }
  l->views = scalr_run_groups_collect (list, groups);
  l->groups = g_steal_pointer (&groups);
  g_task_return_pointer (task, l, (GDestroyNotify) loaded_free);
}

static const ScalrRunGroupView *
view_of (ScalrComparePage *self, gint64 group_id)
{
  for (guint v = 0; self->views && v < self->views->len; v++)
    {
      const ScalrRunGroupView *view = g_ptr_array_index (self->views, v);
      if (view->group->id == group_id)
        return view;
    }
  return NULL;
}

static void
select_ids (ScalrComparePage *self, const gint64 *ids, guint n)
{
  g_hash_table_remove_all (self->selected);
  for (guint i = 0; i < n; i++)
    g_hash_table_add (self->selected, g_memdup2 (&ids[i], sizeof (gint64)));
}

static gboolean
listed (ScalrComparePage *self, const ScalrRunResults *r)
{
  if (self->group_id == 0)
    return TRUE;
  return r->info->group_id == self->group_id;
}

static void on_check_toggled (GtkCheckButton *check, ScalrComparePage *self);

static void
fill_run_list (ScalrComparePage *self)
{
  list_box_clear (self->run_list);
  self->updating = TRUE;
  for (guint i = self->runs->len; i-- > 0;)   /* newest first */
    {
      const ScalrRunResults *r = g_ptr_array_index (self->runs, i);
      if (!listed (self, r))
        continue;
      GtkWidget *row = adw_action_row_new ();
      g_autofree char *title = scalr_run_results_dup_title (r);
      g_autofree char *etitle = g_markup_escape_text (title, -1);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), etitle);
      adw_action_row_set_title_lines (ADW_ACTION_ROW (row), 2);
      g_autofree char *gen = scalr_run_results_dup_config (r, "generator", "model");
      g_autofree char *strategy = scalr_run_results_dup_config (r, "sampler", "strategy");
      g_autofree char *sub = g_strdup_printf ("%s · %s · %s", r->info->dataset, gen ? gen : "?", strategy ? strategy : "?");
      g_autofree char *esub = g_markup_escape_text (sub, -1);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), esub);
      gtk_widget_set_tooltip_text (row, title);
      GtkWidget *check = gtk_check_button_new ();
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      g_object_set_data (G_OBJECT (check), "run-id", GSIZE_TO_POINTER ((gsize) r->info->id));
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_hash_table_contains (self->selected, &r->info->id));
      g_signal_connect (check, "toggled", G_CALLBACK (on_check_toggled), self);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      gtk_list_box_append (GTK_LIST_BOX (self->run_list), row);
    }
  self->updating = FALSE;
}

static void
fill_group_dropdown (ScalrComparePage *self)
{
  g_autoptr (GPtrArray) labels = g_ptr_array_new ();
  guint pos = self->views->len;   /* hand-picked */
  for (guint v = 0; v < self->views->len; v++)
    {
      const ScalrRunGroupView *view = g_ptr_array_index (self->views, v);
      g_ptr_array_add (labels, view->label);
      if (view->group->id == self->group_id)
        pos = v;
    }
  g_ptr_array_add (labels, (gpointer) "Runs picked by hand");
  g_ptr_array_add (labels, NULL);
  self->updating = TRUE;
  set_dropdown_strings (self->group_dropdown, (const char *const *) labels->pdata, pos);
  self->updating = FALSE;
}

/* Shows group @group_id (0: runs picked by hand) with every run of a group selected. */
static void
show_group (ScalrComparePage *self, gint64 group_id)
{
  const ScalrRunGroupView *view = group_id ? view_of (self, group_id) : NULL;
  self->group_id = view ? group_id : 0;
  if (view)
    select_ids (self, (const gint64 *) view->run_ids->data, view->run_ids->len);
  else
    {
      g_hash_table_remove_all (self->selected);
      GHashTableIter it;
      gpointer id;
      g_hash_table_iter_init (&it, self->picked);
      while (g_hash_table_iter_next (&it, &id, NULL))
        g_hash_table_add (self->selected, g_memdup2 (id, sizeof (gint64)));
    }
  fill_group_dropdown (self);
  fill_run_list (self);
  gtk_widget_set_visible (self->select_all_button, self->group_id == 0);
  _scalr_compare_page_rebuild (self);
}

static void
load_done (GObject *source, GAsyncResult *res, gpointer data)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (source);
  g_autoptr (GError) error = NULL;
  Loaded *l = g_task_propagate_pointer (G_TASK (res), &error);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    {
      if (l)
        loaded_free (l);
      return;
    }
  self->loading = FALSE;
  if (l == NULL)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "The runs could not be read");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page), error->message);
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  /* The table's rows and the run set borrow the old results: drop them first. */
  g_list_store_remove_all (self->rows);
  g_ptr_array_set_size (self->sel, 0);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  self->runs = g_steal_pointer (&l->runs);
  self->groups = g_steal_pointer (&l->groups);
  self->views = g_steal_pointer (&l->views);
  loaded_free (l);
  if (self->runs->len == 0)
    {
      adw_status_page_set_title (ADW_STATUS_PAGE (self->empty_page), "No finished runs yet");
      adw_status_page_set_description (ADW_STATUS_PAGE (self->empty_page),
        "Finished runs appear here, grouped as they were made: a sweep or a search from the Explore page "
        "(or scalr sweep), or runs you pick. Lines join only runs that differ in one setting.");
      gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "empty");
      return;
    }
  gtk_stack_set_visible_child_name (GTK_STACK (self->stack), "content");
  if (!self->have_loaded)
    {
      /* The latest group first; without groups, the latest run picked. */
      self->have_loaded = TRUE;
      const ScalrRunResults *last = g_ptr_array_index (self->runs, self->runs->len - 1);
      g_hash_table_add (self->picked, g_memdup2 (&last->info->id, sizeof (gint64)));
      show_group (self, self->views->len ? ((const ScalrRunGroupView *) g_ptr_array_index (self->views, 0))->group->id : 0);
      return;
    }
  /* Reloaded: the same group with its runs (new ones included), or the same hand-picked
   * runs; a group that went away falls back to hand-picking. */
  show_group (self, self->group_id);
}

static void
reload (ScalrComparePage *self)
{
  if (self->db_path == NULL)
    return;
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->loading = TRUE;
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
      g_hash_table_remove_all (self->picked);
      self->have_loaded = FALSE;
      self->group_id = 0;
    }
  char *path = g_strdup (db_path);   /* @db_path may be self->db_path */
  g_free (self->db_path);
  self->db_path = path;
  reload (self);
}

/* ---- the selection ----------------------------------------------------------------------- */

static void
on_check_toggled (GtkCheckButton *check, ScalrComparePage *self)
{
  if (self->updating)
    return;
  gint64 id = (gint64) GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (check), "run-id"));
  gboolean on = gtk_check_button_get_active (check);
  GHashTable *sets[] = { self->selected, self->group_id == 0 ? self->picked : NULL };
  for (guint s = 0; s < G_N_ELEMENTS (sets); s++)
    if (sets[s] && on)
      g_hash_table_add (sets[s], g_memdup2 (&id, sizeof id));
    else if (sets[s])
      g_hash_table_remove (sets[s], &id);
  _scalr_compare_page_rebuild (self);
}

static void
set_all (ScalrComparePage *self, gboolean on)
{
  g_hash_table_remove_all (self->selected);
  if (self->group_id == 0)
    g_hash_table_remove_all (self->picked);
  for (guint i = 0; on && self->runs && i < self->runs->len; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (self->runs, i);
      if (!listed (self, r))
        continue;
      g_hash_table_add (self->selected, g_memdup2 (&r->info->id, sizeof (gint64)));
      if (self->group_id == 0)
        g_hash_table_add (self->picked, g_memdup2 (&r->info->id, sizeof (gint64)));
    }
  fill_run_list (self);
  _scalr_compare_page_rebuild (self);
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
on_group_chosen (GObject *dropdown, GParamSpec *pspec, ScalrComparePage *self)
{
  if (self->updating || self->views == NULL)
    return;
  guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->group_dropdown));
  gint64 id = pos < self->views->len ? ((const ScalrRunGroupView *) g_ptr_array_index (self->views, pos))->group->id : 0;
  show_group (self, id);
}

/* ---- selectors ----------------------------------------------------------------------------- */

static int
cmp_run_id (gconstpointer a, gconstpointer b)
{
  const ScalrRunResults *x = *(ScalrRunResults **) a, *y = *(ScalrRunResults **) b;
  return x->info->id < y->info->id ? -1 : x->info->id > y->info->id;
}

static void
collect_models_and_ks (ScalrComparePage *self)
{
  g_ptr_array_set_size (self->models, 0);
  g_array_set_size (self->k_values, 0);
  for (guint i = 0; i < self->sel->len; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (self->sel, i);
      for (guint m = 0; m < r->models->len; m++)
        {
          const char *model = g_ptr_array_index (r->models, m);
          gboolean seen = FALSE;
          for (guint x = 0; x < self->models->len && !seen; x++)
            seen = g_strcmp0 (g_ptr_array_index (self->models, x), model) == 0;
          if (!seen)
            g_ptr_array_add (self->models, g_strdup (model));
        }
      for (guint j = 0; j < r->ks->len; j++)
        {
          guint k = g_array_index (r->ks, guint, j);
          gboolean seen = FALSE;
          for (guint x = 0; x < self->k_values->len && !seen; x++)
            seen = g_array_index (self->k_values, guint, x) == k;
          if (!seen)
            g_array_append_val (self->k_values, k);
        }
    }
}

static void
fill_k_dropdown (ScalrComparePage *self)
{
  guint old = 0, ki = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->k_dropdown));
  GListModel *m = gtk_drop_down_get_model (GTK_DROP_DOWN (self->k_dropdown));
  if (m && ki < g_list_model_get_n_items (m))
    old = (guint) g_ascii_strtoull (gtk_string_list_get_string (GTK_STRING_LIST (m), ki), NULL, 10);
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  guint pos = 0, best = 0;
  for (guint x = 0; x < self->k_values->len; x++)
    {
      guint k = g_array_index (self->k_values, guint, x);
      g_ptr_array_add (labels, g_strdup_printf ("%u", k));
      if (k == old)
        pos = x;
      if (best == 0 || ABS ((int) k - 20) < ABS ((int) best - 20))
        best = k;
    }
  if (old == 0)
    for (guint x = 0; x < self->k_values->len; x++)
      if (g_array_index (self->k_values, guint, x) == best)
        pos = x;
  g_ptr_array_add (labels, NULL);
  set_dropdown_strings (self->k_dropdown, (const char *const *) labels->pdata, pos);
}

static void
fill_key_dropdown (ScalrComparePage *self)
{
  const ScalrRunGroupView *view = self->group_id ? view_of (self, self->group_id) : NULL;
  g_autofree char *old = g_strdup (self->key);
  g_clear_pointer (&self->key, g_free);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  self->keys = scalr_run_set_dup_differing_keys (self->set);
  /* Keep the key chosen before when it still differs, else the group's key, else the one
   * that joins most runs. */
  for (guint i = 0; old && i < self->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->keys, i), old) == 0)
      self->key = g_strdup (old);
  if (self->key == NULL)
    self->key = scalr_run_set_pick_key (self->set, view ? view->group->keys : NULL);
  guint pos = 0;
  for (guint i = 0; i < self->keys->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->keys, i), self->key) == 0)
      pos = i;
  g_ptr_array_add (self->keys, NULL);
  set_dropdown_strings (self->key_dropdown, (const char *const *) self->keys->pdata, pos);
  g_ptr_array_set_size (self->keys, self->keys->len - 1);
  gtk_widget_set_sensitive (self->key_dropdown, self->keys->len > 1);
}

gboolean
_scalr_compare_page_get_choice (ScalrComparePage *self, const char **segment, const char **metric, guint *k,
                                const char **reference)
{
  guint s = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->segment_dropdown));
  guint m = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->metric_dropdown));
  *segment = s < SCALR_N_SEGMENTS ? scalr_segment_to_string (segment_order[s]) : NULL;
  *metric = m < n_lift_metrics () ? scalr_metric_to_string (lift_metric_at (m)) : NULL;
  ScalrMetric id;
  gboolean pointwise = *metric && scalr_metric_from_string (*metric, &id) && scalr_metric_is_pointwise (id);
  guint ki = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->k_dropdown));
  *k = pointwise || ki >= self->k_values->len ? 0 : g_array_index (self->k_values, guint, ki);
  gtk_widget_set_sensitive (self->k_dropdown, !pointwise);
  gtk_widget_set_sensitive (self->k_label, !pointwise);
  *reference = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->reference_dropdown)) == 1 ? "own" : "strongest";
  return *segment && *metric;
}

void
_scalr_compare_page_rebuild (ScalrComparePage *self)
{
  if (self->runs == NULL || self->updating)
    return;
  g_list_store_remove_all (self->rows);
  g_ptr_array_set_size (self->sel, 0);
  for (guint i = 0; i < self->runs->len; i++)
    {
      ScalrRunResults *r = g_ptr_array_index (self->runs, i);
      if (listed (self, r) && g_hash_table_contains (self->selected, &r->info->id))
        g_ptr_array_add (self->sel, r);
    }
  g_ptr_array_sort (self->sel, cmp_run_id);
  g_autoptr (GPtrArray) infos = g_ptr_array_new ();
  for (guint i = 0; i < self->sel->len; i++)
    g_ptr_array_add (infos, ((ScalrRunResults *) g_ptr_array_index (self->sel, i))->info);
  g_clear_pointer (&self->series, scalr_run_series_free);
  g_clear_pointer (&self->set, scalr_run_set_free);
  self->set = scalr_run_set_new ((const ScalrRunInfo *const *) infos->pdata, infos->len);
  self->updating = TRUE;
  collect_models_and_ks (self);
  fill_k_dropdown (self);
  fill_key_dropdown (self);
  self->updating = FALSE;
  if (self->key)
    self->series = scalr_run_set_series (self->set, self->key);
  g_autofree char *count = g_strdup_printf ("%u selected", self->sel->len);
  gtk_label_set_text (GTK_LABEL (self->selection_label), count);
  _scalr_compare_page_fill_view (self);
}

static void
on_choice (GObject *dropdown, GParamSpec *pspec, ScalrComparePage *self)
{
  if (self->updating || self->set == NULL)
    return;
  if (dropdown == G_OBJECT (self->key_dropdown))
    {
      guint pos = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->key_dropdown));
      if (self->keys && pos < self->keys->len)
        {
          g_free (self->key);
          self->key = g_strdup (g_ptr_array_index (self->keys, pos));
          g_clear_pointer (&self->series, scalr_run_series_free);
          self->series = scalr_run_set_series (self->set, self->key);
        }
    }
  _scalr_compare_page_fill_view (self);
}

/* ---- test hooks and queries --------------------------------------------------------------- */

gboolean
scalr_compare_page_is_loaded (ScalrComparePage *self)
{
  g_return_val_if_fail (SCALR_IS_COMPARE_PAGE (self), FALSE);
  return !self->loading && self->runs != NULL;
}

void
scalr_compare_page_show_group (ScalrComparePage *self, gint64 group_id)
{
  g_return_if_fail (SCALR_IS_COMPARE_PAGE (self));
  if (self->runs)
    show_group (self, group_id);
}

gint64
scalr_compare_page_get_group (ScalrComparePage *self)
{
  g_return_val_if_fail (SCALR_IS_COMPARE_PAGE (self), 0);
  return self->group_id;
}

void
scalr_compare_page_pick_runs (ScalrComparePage *self, const gint64 *ids, guint n)
{
  g_return_if_fail (SCALR_IS_COMPARE_PAGE (self));
  g_hash_table_remove_all (self->picked);
  for (guint i = 0; i < n; i++)
    g_hash_table_add (self->picked, g_memdup2 (&ids[i], sizeof (gint64)));
  if (self->runs)
    show_group (self, 0);
}

const char *
scalr_compare_page_get_key (ScalrComparePage *self)
{
  g_return_val_if_fail (SCALR_IS_COMPARE_PAGE (self), NULL);
  return self->key;
}

GArray *
scalr_compare_page_dup_connected (ScalrComparePage *self)
{
  g_return_val_if_fail (SCALR_IS_COMPARE_PAGE (self), NULL);
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  for (guint l = 0; self->series && l < self->series->lines->len; l++)
    {
      GArray *line = g_ptr_array_index (self->series->lines, l);
      for (guint j = 0; j < line->len; j++)
        {
          gint64 id = scalr_run_set_get_id (self->set, g_array_index (line, guint, j));
          g_array_append_val (ids, id);
        }
    }
  return ids;
}

guint
scalr_compare_page_get_n_charts (ScalrComparePage *self)
{
  g_return_val_if_fail (SCALR_IS_COMPARE_PAGE (self), 0);
  guint n = 0;
  for (GtkWidget *c = gtk_widget_get_first_child (self->charts); c; c = gtk_widget_get_next_sibling (c))
    n++;
  return n;
}

/* ---- life cycle -------------------------------------------------------------------------- */

static void
on_map (GtkWidget *widget, ScalrComparePage *self)
{
  /* New runs may have finished since: read again (the selection is kept). */
  if (self->runs)
    reload (self);
}

static void
refresh_action (GtkWidget *widget, const char *action, GVariant *param)
{
  reload (SCALR_COMPARE_PAGE (widget));
}

static void
scalr_compare_page_dispose (GObject *object)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (object);
  g_cancellable_cancel (self->cancellable);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_clear_object (&self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_COMPARE_PAGE);
  G_OBJECT_CLASS (scalr_compare_page_parent_class)->dispose (object);
}

static void
scalr_compare_page_finalize (GObject *object)
{
  ScalrComparePage *self = SCALR_COMPARE_PAGE (object);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->rows);
  g_clear_pointer (&self->series, scalr_run_series_free);
  g_clear_pointer (&self->set, scalr_run_set_free);
  g_clear_pointer (&self->sel, g_ptr_array_unref);
  g_clear_pointer (&self->views, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->runs, g_ptr_array_unref);
  g_clear_pointer (&self->selected, g_hash_table_unref);
  g_clear_pointer (&self->picked, g_hash_table_unref);
  g_clear_pointer (&self->models, g_ptr_array_unref);
  g_clear_pointer (&self->keys, g_ptr_array_unref);
  g_clear_pointer (&self->k_values, g_array_unref);
  g_free (self->key);
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
  CHILD (flap);
  CHILD (group_dropdown);
  CHILD (selection_label);
  CHILD (select_all_button);
  CHILD (select_none_button);
  CHILD (run_list);
  CHILD (controls);
  CHILD (flap_toggle);
  CHILD (segment_dropdown);
  CHILD (metric_dropdown);
  CHILD (k_dropdown);
  CHILD (k_label);
  CHILD (reference_dropdown);
  CHILD (key_dropdown);
  CHILD (report_button);
  CHILD (caption);
  CHILD (charts);
  CHILD (table);
  CHILD (table_caption);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "compare.refresh", NULL, refresh_action);
  _scalr_compare_page_install_view_actions (widget_class);
  gtk_widget_class_set_css_name (widget_class, "comparepage");
}

static void
scalr_compare_page_init (ScalrComparePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->selected = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->picked = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  self->sel = g_ptr_array_new ();
  self->models = g_ptr_array_new_with_free_func (g_free);
  self->k_values = g_array_new (FALSE, FALSE, sizeof (guint));
  _scalr_compare_page_setup_table (self);

  g_autoptr (GPtrArray) seg = g_ptr_array_new ();
  for (guint i = 0; i < SCALR_N_SEGMENTS; i++)
    g_ptr_array_add (seg, (gpointer) scalr_segment_get_label (segment_order[i]));
  g_ptr_array_add (seg, NULL);
  set_dropdown_strings (self->segment_dropdown, (const char *const *) seg->pdata, 0);
  g_autoptr (GPtrArray) met = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n_lift_metrics (); i++)
    g_ptr_array_add (met, g_strdup (scalr_metric_get_label (lift_metric_at (i))));
  g_ptr_array_add (met, NULL);
  set_dropdown_strings (self->metric_dropdown, (const char *const *) met->pdata, 0);
  const char *refs[] = { "Strongest baseline", "Own baseline", NULL };
  set_dropdown_strings (self->reference_dropdown, refs, 0);

  GtkWidget *drops[] = { self->segment_dropdown, self->metric_dropdown, self->k_dropdown, self->reference_dropdown,
                         self->key_dropdown };
  for (guint i = 0; i < G_N_ELEMENTS (drops); i++)
    g_signal_connect (drops[i], "notify::selected", G_CALLBACK (on_choice), self);
  scalr_drop_down_set_short_button (GTK_DROP_DOWN (self->group_dropdown), 24);
  scalr_drop_down_set_short_button (GTK_DROP_DOWN (self->key_dropdown), 18);
  g_signal_connect (self->group_dropdown, "notify::selected", G_CALLBACK (on_group_chosen), self);
  g_signal_connect (self->select_all_button, "clicked", G_CALLBACK (on_select_all), self);
  g_signal_connect (self->select_none_button, "clicked", G_CALLBACK (on_select_none), self);
  g_object_bind_property (self->flap, "reveal-flap", self->flap_toggle, "active", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property (self->flap, "folded", self->flap_toggle, "visible", G_BINDING_SYNC_CREATE);
  g_signal_connect (self, "map", G_CALLBACK (on_map), self);
}

GtkWidget *
scalr_compare_page_new (void)
{
  return g_object_new (SCALR_TYPE_COMPARE_PAGE, NULL);
}
