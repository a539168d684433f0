/* scalr-review-lens.c — the Review page's user lens: one user's source history, synthetic
 * target items and held-out test items. The run's split is rebuilt once per run in a GTask
 * thread and kept, so picking another user is instant. */
#include "config.h"

#include "scalr-review-page-private.h"

#include "scalr-config.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-export.h"
#include "scalr-pipeline.h"
#include "scalr-split.h"
#include "scalr-store.h"

/* Rows a lens list shows before "… and N more". */
#define LENS_MAX_ROWS 250

/* ---- the lens data of a run ----------------------------------------------------------- */

typedef struct {
  char    *model, *variant;
  guint    max_k, n_users;
  guint32 *users;   /* ascending */
  guint32 *items;   /* n_users × max_k */
} LensRecs;

struct _LensData {
  gint64                run_id;
  ScalrDomains         *domains;
  ScalrSplit           *split;    /* holds domains too */
  ScalrSyntheticEvents *synthetic;
  GPtrArray            *recs;     /* LensRecs* */
  GArray               *users;    /* guint32: users offered, sorted by id */
  guint                 default_index;
};

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
  g_free (d);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LensData, _scalr_review_lens_data_free)

/* gtk_list_box_remove_all is GTK 4.12; Debian 12 has 4.8. */
static void
list_box_clear (GtkWidget *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

void
_scalr_review_page_clear_lens (ScalrReviewPage *self)
{
  g_clear_pointer (&self->lens, _scalr_review_lens_data_free);
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

/* ---- user lens ------------------------------------------------------------------------ */

typedef struct {
  char  *db_path;
  gint64 run_id;
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
  /* The split as the run trained and evaluated on it (rebuilt and checked by the core). */
  g_autoptr (ScalrRunInfo) run = scalr_store_load_run (store, in->run_id, &error);
  g_autoptr (LensData) d = g_new0 (LensData, 1);
  d->run_id = in->run_id;
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
  g_task_return_pointer (task, g_steal_pointer (&d), (GDestroyNotify) _scalr_review_lens_data_free);
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

/* The source history of user @u, latest first (by timestamp when the data has them). */
static void
show_source (ScalrReviewPage *self, guint32 u)
{
  LensData *d = self->lens;
  ScalrDataset *dataset = scalr_domains_get_dataset (d->domains);
  const ScalrDomain *src = scalr_domains_get_source (d->domains);
  const ScalrCsr *source = scalr_split_get_source (d->split);
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
}

/* The synthetic target items of user @u by probability; returns how many are test events. */
static guint
show_synthetic (ScalrReviewPage *self, guint32 u)
{
  LensData *d = self->lens;
  ScalrDataset *dataset = scalr_domains_get_dataset (d->domains);
  const ScalrDomain *tgt = scalr_domains_get_target (d->domains);
  const ScalrCsr *test = scalr_split_get_test (d->split);
  const ScalrSyntheticEvents *ev = d->synthetic;
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (LensEntry));
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
      g_autofree char *suffix = ev->count[e->index] > 1
        ? g_strdup_printf ("p %.3g\nw %.3g · %u draws", ev->prob[e->index], ev->weight[e->index], ev->count[e->index])
        : g_strdup_printf ("p %.3g\nw %.3g", ev->prob[e->index], ev->weight[e->index]);
      gtk_list_box_append (GTK_LIST_BOX (self->synthetic_list),
                           lens_row (dataset, tgt->items[e->item], suffix,
                                     "p: the generator's probability; w: the training weight", hit));
    }
  if (entries->len > LENS_MAX_ROWS)
    lens_more_row (self->synthetic_list, entries->len - LENS_MAX_ROWS);
  g_autofree char *syh = g_strdup_printf ("Synthetic target items · %u", entries->len);
  gtk_label_set_text (GTK_LABEL (self->synthetic_heading), syh);
  return syn_hits;
}

/* What the row of a held-out test item says: synthetic or not, its ranks in the top-K lists. */
static char *
test_item_text (const LensData *d, const LensRecs *aug, const LensRecs *base, guint32 u, guint32 item,
                gint64 *synthetic_index)
{
  const ScalrSyntheticEvents *ev = d->synthetic;
  gint64 s = synthetic_find (ev, u, item);
  *synthetic_index = s;
  guint ra = rec_rank (aug, u, item), rb = rec_rank (base, u, item);
  GString *text = g_string_new (NULL);
  if (s >= 0)
    g_string_append_printf (text, "synthetic p %.3g", ev->prob[s]);
  else
    g_string_append (text, "not synthetic");
  if (aug || base)
    {
      g_string_append_c (text, '\n');
      if (rb)
        g_string_append_printf (text, "baseline #%u", rb);
      else
        g_string_append (text, "baseline –");
      if (ra)
        g_string_append_printf (text, " · augmented #%u", ra);
      else
        g_string_append (text, " · augmented –");
    }
  return g_string_free (text, FALSE);
}

/* The held-out test items of user @u: a hit when also synthetic. */
static void
show_test (ScalrReviewPage *self, guint32 u, guint syn_hits)
{
  LensData *d = self->lens;
  ScalrDataset *dataset = scalr_domains_get_dataset (d->domains);
  const ScalrDomain *tgt = scalr_domains_get_target (d->domains);
  const ScalrCsr *test = scalr_split_get_test (d->split);
  const LensRecs *aug = lens_find_recs (self, "augmented");
  const LensRecs *base = lens_find_recs (self, "baseline");
  guint n_test = 0;
  for (guint64 k = test->indptr[u]; k < test->indptr[u + 1]; k++, n_test++)
    {
      guint32 item = test->indices[k];
      gint64 s;
      g_autofree char *text = test_item_text (d, aug, base, u, item, &s);
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
  const ScalrCsr *train = scalr_split_get_train (self->lens->split);
  const guint8 flags = scalr_split_get_user_flags (self->lens->split)[u];
  show_source (self, u);
  show_test (self, u, show_synthetic (self, u));
  lens_placeholder (self->source_list, "No source-domain events");
  lens_placeholder (self->synthetic_list, "No synthetic events for this user");
  lens_placeholder (self->test_list, (flags & SCALR_USER_TESTED) ? "No test events" : "Not a tested user (too few target events)");

  guint64 n_train = train->indptr[u + 1] - train->indptr[u];
  g_autofree char *n_train_s = _scalr_review_fmt_count (n_train);
  g_autofree char *status = g_strdup_printf ("%s%s%s user · %s real target training event%s",
                                             (flags & SCALR_USER_COLD) ? "cold " : (flags & SCALR_USER_SPARSE) ? "sparse " : "",
                                             (flags & SCALR_USER_OVERLAP) ? "overlap" : "",
                                             (flags & SCALR_USER_TESTED) ? ", tested" : "", n_train_s,
                                             n_train == 1 ? "" : "s");
  gtk_label_set_text (GTK_LABEL (self->lens_status), status);
}

void
_scalr_review_page_on_user_selected (GObject *dropdown, GParamSpec *pspec, ScalrReviewPage *self)
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
