/* scalr-review-lens.c — the Review page's user lens: a sortable, searchable table of the
 * run's users (segment, source / training / test events, the change of Recall@K under the
 * chosen model), and for the selected user the lists of scalr-review-lens-rows.c. The run's
 * split, synthetic events, top-K lists and per-user metric changes are read once per run in
 * a GTask thread and kept, so picking another user is instant. */
#include "config.h"

#include "scalr-review-lens-private.h"

#include <math.h>

#include "scalr-config.h"
#include "scalr-format.h"
#include "scalr-lift-table.h"
#include "scalr-export.h"
#include "scalr-pipeline.h"

/* ---- the lens data of a run ----------------------------------------------------------- */

static void
lens_recs_free (LensRecs *r)
{
  g_free (r->model);
  g_free (r->variant);
  g_free (r->users);
  g_free (r->items);
  g_free (r);
}

void
_scalr_review_lens_data_free (LensData *d)
{
  if (d == NULL)
    return;
  g_clear_pointer (&d->split, scalr_split_free);
  g_clear_pointer (&d->domains, scalr_domains_unref);
  g_clear_pointer (&d->synthetic, scalr_synthetic_events_free);
  g_clear_pointer (&d->recs, g_ptr_array_unref);
  g_clear_pointer (&d->users, g_array_unref);
  g_clear_pointer (&d->deltas, g_hash_table_unref);
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensData, _scalr_review_lens_data_free)

/* ---- one user of the table ------------------------------------------------------------- */

#define SCALR_TYPE_LENS_USER (scalr_lens_user_get_type ())
G_DECLARE_FINAL_TYPE (ScalrLensUser, scalr_lens_user, SCALR, LENS_USER, GObject)

struct _ScalrLensUser {
  GObject  parent_instance;
  guint32  user;
  char    *name, *segment, *haystack;
  guint    n_source, n_train, n_test, n_synthetic;
  double   delta;   /* of the chosen model; NaN when untested */
};

G_DEFINE_FINAL_TYPE (ScalrLensUser, scalr_lens_user, G_TYPE_OBJECT)

static void
scalr_lens_user_finalize (GObject *object)
{
  ScalrLensUser *self = SCALR_LENS_USER (object);
  g_free (self->name);
  g_free (self->segment);
  g_free (self->haystack);
  G_OBJECT_CLASS (scalr_lens_user_parent_class)->finalize (object);
}

static void
scalr_lens_user_class_init (ScalrLensUserClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scalr_lens_user_finalize;
}

static void
scalr_lens_user_init (ScalrLensUser *self)
{
}

static const char *
segment_of (guint8 flags)
{
  if (flags & SCALR_USER_VALIDATION)
    return "validation";   /* held out for choosing settings, never measured */
  if (!(flags & SCALR_USER_TESTED))
    return "untested";
  if (flags & SCALR_USER_COLD)
    return "cold";
  return (flags & SCALR_USER_SPARSE) ? "sparse" : "warm";
}

/* ---- columns -------------------------------------------------------------------------- */

enum { UCOL_USER, UCOL_SEGMENT, UCOL_SOURCE, UCOL_TRAIN, UCOL_TEST, UCOL_SYNTHETIC, UCOL_DELTA, N_UCOLS };

static char *
user_cell (const ScalrLensUser *u, guint col)
{
  switch (col)
    {
    case UCOL_USER: return g_strdup (u->name);
    case UCOL_SEGMENT: return g_strdup (u->segment);
    case UCOL_SOURCE: return scalr_format_count (u->n_source);
    case UCOL_TRAIN: return scalr_format_count (u->n_train);
    case UCOL_TEST: return scalr_format_count (u->n_test);
    case UCOL_SYNTHETIC: return scalr_format_count (u->n_synthetic);
    default:
      if (!isfinite (u->delta))
        return g_strdup (SCALR_FORMAT_MISSING);
      g_autofree char *v = scalr_format_metric (fabs (u->delta));
      return g_strdup_printf ("%s%s", u->delta < 0 ? "-" : u->delta > 0 ? "+" : "", v);
    }
}

static double
user_key (const ScalrLensUser *u, guint col)
{
  switch (col)
    {
    case UCOL_SOURCE: return u->n_source;
    case UCOL_TRAIN: return u->n_train;
    case UCOL_TEST: return u->n_test;
    case UCOL_SYNTHETIC: return u->n_synthetic;
    default: return u->delta;
    }
}

static int
user_compare (gconstpointer a, gconstpointer b, gpointer data)
{
  const ScalrLensUser *x = a, *y = b;
  guint col = GPOINTER_TO_UINT (data);
  if (col == UCOL_USER)
    {
      char *ex = NULL, *ey = NULL;
      gint64 nx = g_ascii_strtoll (x->name, &ex, 10), ny = g_ascii_strtoll (y->name, &ey, 10);
      if (*x->name && *y->name && *ex == '\0' && *ey == '\0')
        return nx < ny ? -1 : nx > ny;
      return g_strcmp0 (x->name, y->name);
    }
  if (col == UCOL_SEGMENT)
    return g_strcmp0 (x->segment, y->segment);
  double kx = user_key (x, col), ky = user_key (y, col);
  if (!isfinite (kx) || !isfinite (ky))
    return isfinite (kx) ? -1 : isfinite (ky) ? 1 : 0;   /* missing last */
  return kx < ky ? -1 : kx > ky;
}

static void
ucell_setup (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  GtkWidget *label = gtk_label_new (NULL);
  gtk_label_set_xalign (GTK_LABEL (label), col >= UCOL_SOURCE ? 1.0f : 0.0f);
  if (col >= UCOL_SOURCE)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (li, label);
}

static void
ucell_bind (GtkSignalListItemFactory *f, GtkListItem *li, gpointer data)
{
  guint col = GPOINTER_TO_UINT (data);
  ScalrLensUser *u = gtk_list_item_get_item (li);
  GtkWidget *label = gtk_list_item_get_child (li);
  g_autofree char *text = user_cell (u, col);
  gtk_label_set_text (GTK_LABEL (label), text);
  gtk_widget_remove_css_class (label, "success");
  gtk_widget_remove_css_class (label, "error");
  if (col == UCOL_DELTA && isfinite (u->delta) && u->delta != 0)
    gtk_widget_add_css_class (label, u->delta > 0 ? "success" : "error");
}

static gboolean
user_filter (gpointer item, gpointer data)
{
  ScalrReviewPage *self = data;
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->lens_search));
  if (text == NULL || text[0] == '\0')
    return TRUE;
  g_autofree char *fold = g_utf8_casefold (text, -1);
  g_auto (GStrv) words = g_strsplit_set (fold, " \t", -1);
  ScalrLensUser *u = item;
  for (guint i = 0; words[i]; i++)
    if (words[i][0] && strstr (u->haystack, words[i]) == NULL)
      return FALSE;
  return TRUE;
}

/* The model the lens shows (borrowed; NULL when none). */
const char *
_scalr_review_lens_model (ScalrReviewPage *self)
{
  GListModel *m = gtk_drop_down_get_model (GTK_DROP_DOWN (self->lens_model_dropdown));
  guint sel = gtk_drop_down_get_selected (GTK_DROP_DOWN (self->lens_model_dropdown));
  if (m == NULL || sel >= g_list_model_get_n_items (m))
    return NULL;
  return gtk_string_list_get_string (GTK_STRING_LIST (m), sel);
}

guint32
_scalr_review_lens_selected_user (ScalrReviewPage *self, gboolean *ok)
{
  ScalrLensUser *u = gtk_single_selection_get_selected_item (self->user_selection);
  *ok = u != NULL;
  return u ? u->user : 0;
}

static void
on_user_chosen (GObject *selection, GParamSpec *pspec, ScalrReviewPage *self)
{
  if (!self->updating)
    _scalr_review_lens_show_user (self);
}

static void
on_lens_search (GtkSearchEntry *entry, ScalrReviewPage *self)
{
  gtk_filter_changed (GTK_FILTER (self->user_filter), GTK_FILTER_CHANGE_DIFFERENT);
}

/* The users' ΔRecall for the chosen model (the table keeps its rows). */
static void
update_deltas (ScalrReviewPage *self)
{
  if (self->lens == NULL)
    return;
  GArray *deltas = g_hash_table_lookup (self->lens->deltas, _scalr_review_lens_model (self) ? _scalr_review_lens_model (self) : "");
  GListModel *m = G_LIST_MODEL (self->user_store);
  for (guint i = 0; i < g_list_model_get_n_items (m); i++)
    {
      g_autoptr (ScalrLensUser) u = g_list_model_get_item (m, i);
      const ScalrUserDelta *d = scalr_user_deltas_find (deltas, u->user);
      u->delta = d && isfinite (d->base) && isfinite (d->aug) ? (double) d->aug - d->base : NAN;
    }
  /* Rebind the cells and re-sort. */
  g_list_model_items_changed (m, 0, g_list_model_get_n_items (m), g_list_model_get_n_items (m));
}

static void
on_lens_model (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self)
{
  if (self->updating)
    return;
  self->updating = TRUE;
  update_deltas (self);
  self->updating = FALSE;
  _scalr_review_lens_show_user (self);
}

void
_scalr_review_page_setup_lens (ScalrReviewPage *self)
{
  static const char *titles[N_UCOLS] = { "User", "Segment", "Source", "Training", "Test", "Synthetic", "ΔRecall" };
  GtkColumnView *view = GTK_COLUMN_VIEW (self->user_table);
  for (guint c = 0; c < N_UCOLS; c++)
    {
      GtkListItemFactory *f = gtk_signal_list_item_factory_new ();
      g_signal_connect (f, "setup", G_CALLBACK (ucell_setup), GUINT_TO_POINTER (c));
      g_signal_connect (f, "bind", G_CALLBACK (ucell_bind), GUINT_TO_POINTER (c));
      GtkColumnViewColumn *col = gtk_column_view_column_new (titles[c], f);
      GtkSorter *sorter = GTK_SORTER (gtk_custom_sorter_new (user_compare, GUINT_TO_POINTER (c), NULL));
      gtk_column_view_column_set_sorter (col, sorter);
      g_object_unref (sorter);
      gtk_column_view_column_set_expand (col, c == UCOL_USER);
      gtk_column_view_append_column (view, col);
      g_object_unref (col);
    }
  self->user_store = g_list_store_new (SCALR_TYPE_LENS_USER);
  self->user_filter = gtk_custom_filter_new (user_filter, self, NULL);
  GtkFilterListModel *filtered = gtk_filter_list_model_new (G_LIST_MODEL (g_object_ref (self->user_store)),
                                                            GTK_FILTER (g_object_ref (self->user_filter)));
  GtkSortListModel *sorted = gtk_sort_list_model_new (G_LIST_MODEL (filtered), g_object_ref (gtk_column_view_get_sorter (view)));
  self->user_selection = gtk_single_selection_new (G_LIST_MODEL (sorted));
  gtk_single_selection_set_autoselect (self->user_selection, FALSE);
  gtk_column_view_set_model (view, GTK_SELECTION_MODEL (self->user_selection));
  g_signal_connect (self->user_selection, "notify::selected", G_CALLBACK (on_user_chosen), self);
  g_signal_connect (self->lens_search, "search-changed", G_CALLBACK (on_lens_search), self);
  g_signal_connect (self->lens_model_dropdown, "notify::selected", G_CALLBACK (on_lens_model), self);
}

void
_scalr_review_page_clear_lens (ScalrReviewPage *self)
{
  g_clear_pointer (&self->lens, _scalr_review_lens_data_free);
  self->lens_loading = FALSE;
  gtk_spinner_stop (GTK_SPINNER (self->lens_spinner));
  self->updating = TRUE;
  g_list_store_remove_all (self->user_store);
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->lens_model_dropdown), NULL);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->lens_search, FALSE);
  gtk_widget_set_sensitive (self->lens_model_dropdown, FALSE);
  _scalr_review_lens_clear_lists (self);
  gtk_label_set_text (GTK_LABEL (self->lens_status), "");
}

/* ---- loading ----------------------------------------------------------------------------- */

typedef struct {
  char  *db_path;
  gint64 run_id;
  guint  k;
} LensInput;

static void
lens_input_free (LensInput *in)
{
  g_free (in->db_path);
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
  /* The split as the run trained and evaluated on it (rebuilt and checked by the core). */
  g_autoptr (ScalrRunInfo) run = scalr_store_load_run (store, in->run_id, &error);
  g_autoptr (LensData) d = g_new0 (LensData, 1);
  d->run_id = in->run_id;
  d->k = in->k;
  if (run == NULL || (d->split = scalr_run_rebuild_split (store, run, NULL, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->domains = scalr_domains_ref (scalr_split_get_domains (d->split));
  if (g_task_return_error_if_cancelled (task))
    return;
  d->synthetic = scalr_store_load_synthetic (store, in->run_id, &error);
  if (d->synthetic == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->recs = g_ptr_array_new_with_free_func ((GDestroyNotify) lens_recs_free);
  if (d->synthetic == NULL || !scalr_store_foreach_recs (store, in->run_id, collect_recs, d->recs, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  d->deltas = scalr_lifts_load_user_deltas (store, in->run_id, "recall", in->k, &error);
  if (d->deltas == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* Users offered: those with source events or test events. */
  const guint8 *flags = scalr_split_get_user_flags (d->split);
  guint n_users = scalr_split_get_n_users (d->split);
  d->users = g_array_new (FALSE, FALSE, sizeof (guint32));
  for (guint32 u = 0; u < n_users; u++)
    if (flags[u] & (SCALR_USER_HAS_SOURCE | SCALR_USER_TESTED))
      g_array_append_val (d->users, u);
  g_task_return_pointer (task, g_steal_pointer (&d), (GDestroyNotify) _scalr_review_lens_data_free);
}

static void scroll_to_row (ScalrReviewPage *self, guint row);

static ScalrLensUser *
lens_user_new (LensData *d, guint32 u, guint64 *syn_pos)
{
  const guint8 flags = scalr_split_get_user_flags (d->split)[u];
  const ScalrCsr *source = scalr_split_get_source (d->split), *test = scalr_split_get_test (d->split);
  const ScalrCsr *train = scalr_split_get_train (d->split);
  const ScalrSyntheticEvents *ev = d->synthetic;
  ScalrIdMap *names = scalr_dataset_get_users (scalr_domains_get_dataset (d->domains));
  ScalrLensUser *it = g_object_new (SCALR_TYPE_LENS_USER, NULL);
  it->user = u;
  it->name = g_strdup (scalr_id_map_get_name (names, u));
  it->segment = g_strdup (segment_of (flags));
  it->n_source = (guint) (source->indptr[u + 1] - source->indptr[u]);
  it->n_train = (guint) (train->indptr[u + 1] - train->indptr[u]);
  it->n_test = (guint) (test->indptr[u + 1] - test->indptr[u]);
  /* Synthetic events are sorted by user and so are the users offered. */
  while (*syn_pos < ev->n && ev->user[*syn_pos] < u)
    (*syn_pos)++;
  for (guint64 k = *syn_pos; k < ev->n && ev->user[k] == u; k++)
    it->n_synthetic++;
  it->delta = NAN;
  g_autofree char *hay = g_strdup_printf ("%s %s", it->name, it->segment);
  it->haystack = g_utf8_casefold (hay, -1);
  return it;
}

static void
fill_models (ScalrReviewPage *self, LensData *d)
{
  g_autoptr (GtkStringList) models = gtk_string_list_new (NULL);
  /* Start with the model the headline names. */
  ScalrHeadline h;
  const char *headline = self->results && scalr_lifts_find_headline ((const ScalrLiftRow *) self->results->lifts->data,
                                                                     self->results->lifts->len, &h)
                           ? h.strongest->model : NULL;
  guint pick = 0;
  for (guint i = 0; i < d->recs->len; i++)
    {
      const LensRecs *r = g_ptr_array_index (d->recs, i);
      if (g_strcmp0 (r->variant, "augmented") != 0)
        continue;
      if (g_strcmp0 (r->model, headline) == 0)
        pick = g_list_model_get_n_items (G_LIST_MODEL (models));
      gtk_string_list_append (models, r->model);
    }
  gtk_drop_down_set_model (GTK_DROP_DOWN (self->lens_model_dropdown), G_LIST_MODEL (models));
  gtk_drop_down_set_selected (GTK_DROP_DOWN (self->lens_model_dropdown), pick);
  gtk_widget_set_sensitive (self->lens_model_dropdown, g_list_model_get_n_items (G_LIST_MODEL (models)) > 0);
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
      _scalr_review_lens_data_free (d);
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
  self->updating = TRUE;
  fill_models (self, d);
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 pos = 0;
  for (guint i = 0; i < d->users->len; i++)
    g_ptr_array_add (items, lens_user_new (d, g_array_index (d->users, guint32, i), &pos));
  g_list_store_splice (self->user_store, 0, g_list_model_get_n_items (G_LIST_MODEL (self->user_store)),
                       items->pdata, items->len);
  update_deltas (self);
  /* Start with the tested user whose Recall changed most: the lens at its most telling. */
  GListModel *shown = G_LIST_MODEL (self->user_selection);
  guint best = 0;
  double best_abs = -1;
  for (guint i = 0; i < g_list_model_get_n_items (shown); i++)
    {
      g_autoptr (ScalrLensUser) u = g_list_model_get_item (shown, i);
      if (isfinite (u->delta) && fabs (u->delta) > best_abs)
        {
          best_abs = fabs (u->delta);
          best = i;
        }
    }
  gtk_single_selection_set_selected (self->user_selection, best);
  scroll_to_row (self, best);
  self->updating = FALSE;
  gtk_widget_set_sensitive (self->lens_search, d->users->len > 0);
  _scalr_review_lens_show_user (self);
}

/* Brings row @row of the user table into view once the table has its new rows' height
 * (gtk_column_view_scroll_to is GTK 4.12; the rows are of one height): applied on the next
 * few frames, as the layout settles. */
typedef struct {
  guint row, frames;
} ScrollTo;

static gboolean
scroll_when_laid_out (GtkWidget *view, GdkFrameClock *clock, gpointer data)
{
  ScrollTo *st = data;
  GtkAdjustment *adj = gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (view));
  GListModel *m = G_LIST_MODEL (gtk_column_view_get_model (GTK_COLUMN_VIEW (view)));
  guint n = m ? g_list_model_get_n_items (m) : 0;
  double upper = adj ? gtk_adjustment_get_upper (adj) : 0, page = adj ? gtk_adjustment_get_page_size (adj) : 0;
  if (n > 0 && upper > 0)
    {
      double row_h = upper / n;
      gtk_adjustment_set_value (adj, CLAMP (st->row * row_h - page / 2 + row_h / 2, 0, MAX (upper - page, 0)));
    }
  return ++st->frames < 4 ? G_SOURCE_CONTINUE : G_SOURCE_REMOVE;
}

static void
scroll_to_row (ScalrReviewPage *self, guint row)
{
  ScrollTo *st = g_new0 (ScrollTo, 1);
  st->row = row;
  gtk_widget_add_tick_callback (self->user_table, scroll_when_laid_out, st, g_free);
}

void
_scalr_review_page_lens_start (ScalrReviewPage *self)
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
  in->run_id = self->run_id;
  in->k = self->results->headline_k;
  g_autoptr (GTask) task = g_task_new (self, self->cancellable, lens_done, NULL);
  g_task_set_source_tag (task, _scalr_review_page_lens_start);
  g_task_set_task_data (task, in, (GDestroyNotify) lens_input_free);
  g_task_run_in_thread (task, lens_worker);
}

void
_scalr_review_page_on_view_changed (GObject *stack, GParamSpec *pspec, ScalrReviewPage *self)
{
  if (g_strcmp0 (adw_view_stack_get_visible_child_name (ADW_VIEW_STACK (self->view_stack)), "lens") == 0)
    _scalr_review_page_lens_start (self);
}

gboolean
scalr_review_page_is_lens_loaded (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), FALSE);
  return self->lens != NULL && !self->lens_loading;
}

guint
scalr_review_page_get_lens_n_users (ScalrReviewPage *self)
{
  g_return_val_if_fail (SCALR_IS_REVIEW_PAGE (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (self->user_selection));
}
