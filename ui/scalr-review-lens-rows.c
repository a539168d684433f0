/* scalr-review-lens-rows.c — one user under the lens: the source history, the real target
 * training events, the synthetic target items with their probabilities, the chosen model's
 * top-K lists with and without synthetic events side by side (hits marked), and the
 * held-out test items with their ranks in both lists. */
#include "config.h"

#include "scalr-review-lens-private.h"

#include "scalr-format.h"

/* Rows a lens list shows before "… and N more". */
#define LENS_MAX_ROWS 250

/* gtk_list_box_remove_all is GTK 4.12; Debian 12 has 4.8. */
static void
list_box_clear (GtkWidget *list)
{
  GtkWidget *child;
  while ((child = gtk_widget_get_first_child (list)) != NULL)
    gtk_list_box_remove (GTK_LIST_BOX (list), child);
}

void
_scalr_review_lens_clear_lists (ScalrReviewPage *self)
{
  GtkWidget *lists[] = { self->source_list, self->train_list, self->synthetic_list, self->recs_list, self->test_list };
  for (guint i = 0; i < G_N_ELEMENTS (lists); i++)
    list_box_clear (lists[i]);
  gtk_label_set_text (GTK_LABEL (self->source_heading), "Source history");
  gtk_label_set_text (GTK_LABEL (self->train_heading), "Real target training events");
  gtk_label_set_text (GTK_LABEL (self->synthetic_heading), "Synthetic target items");
  gtk_label_set_text (GTK_LABEL (self->recs_heading), "Top-K: baseline vs augmented");
  gtk_label_set_text (GTK_LABEL (self->test_heading), "Held-out test items");
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

static gboolean
in_test (const ScalrCsr *test, guint32 u, guint32 item)
{
  for (guint64 k = test->indptr[u]; k < test->indptr[u + 1]; k++)
    if (test->indices[k] == item)
      return TRUE;
  return FALSE;
}

static char *
item_title (ScalrDataset *dataset, ScalrId item)
{
  const char *title = scalr_dataset_get_item_title (dataset, item);
  if (title)
    return g_strdup (title);
  return g_strdup_printf ("item %s", scalr_id_map_get_name (scalr_dataset_get_items (dataset), item));
}

static char *
item_categories (ScalrDataset *dataset, ScalrId item)
{
  guint n = 0;
  const guint32 *cats = scalr_dataset_get_item_categories (dataset, item, &n);
  ScalrIdMap *names = scalr_dataset_get_categories (dataset);
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < n; i++)
    g_string_append_printf (s, "%s%s", i ? ", " : "", scalr_id_map_get_name (names, cats[i]));
  return g_string_free (s, FALSE);
}

static GtkWidget *
lens_row (ScalrDataset *dataset, ScalrId item, const char *suffix, const char *suffix_tooltip, gboolean hit)
{
  GtkWidget *row = adw_action_row_new ();
  g_autofree char *title = item_title (dataset, item);
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
      gtk_widget_set_tooltip_text (icon, "Hit: one of the user's held-out test items");
      gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "hit", -1);
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

/* The row of @u in @recs' lists (its max_k items), or NULL. */
static const guint32 *
recs_of (const LensRecs *recs, guint32 u)
{
  if (recs == NULL)
    return NULL;
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
    return NULL;
  return recs->items + (gsize) lo * recs->max_k;
}

/* The 1-based rank of @item in @u's list of @recs, 0 when absent. */
static guint
rec_rank (const LensRecs *recs, guint32 u, guint32 item)
{
  const guint32 *list = recs_of (recs, u);
  for (guint r = 0; list && r < recs->max_k; r++)
    if (list[r] == item)
      return r + 1;
  return 0;
}

static const LensRecs *
lens_find_recs (ScalrReviewPage *self, const char *variant)
{
  const char *model = _scalr_review_lens_model (self);
  for (guint i = 0; model && i < self->lens->recs->len; i++)
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

/* Events of @u in @m (source or training), latest first when there are timestamps. */
static guint
fill_events (GtkWidget *list, ScalrDataset *dataset, const ScalrCsr *m, const ScalrDomain *dom, guint32 u,
             const ScalrCsr *test)
{
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (LensEntry));
  for (guint64 k = m->indptr[u]; k < m->indptr[u + 1]; k++)
    {
      LensEntry e = { m->indices[k], dom->timestamps ? dom->timestamps[k] : 0, k };
      g_array_append_val (entries, e);
    }
  g_array_sort (entries, cmp_entry_desc);
  for (guint i = 0; i < MIN (entries->len, LENS_MAX_ROWS); i++)
    {
      const LensEntry *e = &g_array_index (entries, LensEntry, i);
      g_autofree char *rating = m->values ? g_strdup_printf ("★ %.1f", m->values[e->index]) : NULL;
      gtk_list_box_append (GTK_LIST_BOX (list), lens_row (dataset, dom->items[e->item], rating, "the user's rating", FALSE));
    }
  if (entries->len > LENS_MAX_ROWS)
    lens_more_row (list, entries->len - LENS_MAX_ROWS);
  return entries->len;
}

static guint
fill_synthetic (ScalrReviewPage *self, ScalrDataset *dataset, const ScalrDomain *tgt, guint32 u, const ScalrCsr *test,
                guint *hits)
{
  const ScalrSyntheticEvents *ev = self->lens->synthetic;
  g_autoptr (GArray) entries = g_array_new (FALSE, FALSE, sizeof (LensEntry));
  for (guint64 k = synthetic_first (ev, u); k < ev->n && ev->user[k] == u; k++)
    {
      LensEntry e = { ev->item[k], ev->prob[k], k };
      g_array_append_val (entries, e);
    }
  g_array_sort (entries, cmp_entry_desc);
  *hits = 0;
  for (guint i = 0; i < entries->len; i++)
    {
      const LensEntry *e = &g_array_index (entries, LensEntry, i);
      gboolean hit = in_test (test, u, e->item);
      *hits += hit;
      if (i >= LENS_MAX_ROWS)
        continue;
      g_autofree char *p = scalr_format_value (ev->prob[e->index], 3);
      g_autofree char *w = scalr_format_value (ev->weight[e->index], 3);
      g_autofree char *suffix = ev->count[e->index] > 1
                                  ? g_strdup_printf ("p %s\nw %s · %u draws", p, w, ev->count[e->index])
                                  : g_strdup_printf ("p %s\nw %s", p, w);
      gtk_list_box_append (GTK_LIST_BOX (self->synthetic_list),
                           lens_row (dataset, tgt->items[e->item], suffix,
                                     "p: the generator's probability; w: the training weight", hit));
    }
  if (entries->len > LENS_MAX_ROWS)
    lens_more_row (self->synthetic_list, entries->len - LENS_MAX_ROWS);
  return entries->len;
}

static GtkWidget *
rec_cell (ScalrDataset *dataset, const ScalrDomain *tgt, guint32 item, gboolean hit)
{
  g_autofree char *title = item == G_MAXUINT32 ? g_strdup (SCALR_FORMAT_MISSING) : item_title (dataset, tgt->items[item]);
  g_autofree char *text = g_strdup_printf ("%s%s", hit ? "✓ " : "", title);
  GtkWidget *l = gtk_label_new (text);
  gtk_label_set_xalign (GTK_LABEL (l), 0);
  gtk_label_set_ellipsize (GTK_LABEL (l), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (l, TRUE);
  gtk_widget_set_tooltip_text (l, title);
  if (hit)
    gtk_widget_add_css_class (l, "success");
  return l;
}

/* The chosen model's top-K with and without synthetic events, rank by rank. */
static void
fill_recs (ScalrReviewPage *self, ScalrDataset *dataset, const ScalrDomain *tgt, guint32 u, const ScalrCsr *test)
{
  const LensRecs *base = lens_find_recs (self, "baseline"), *aug = lens_find_recs (self, "augmented");
  const guint32 *lb = recs_of (base, u), *la = recs_of (aug, u);
  guint k = MIN (base ? base->max_k : 0, aug ? aug->max_k : 0);
  if (lb == NULL || la == NULL)
    k = 0;
  guint hb = 0, ha = 0;
  for (guint r = 0; r < k; r++)
    {
      gboolean hit_b = lb[r] != G_MAXUINT32 && in_test (test, u, lb[r]);
      gboolean hit_a = la[r] != G_MAXUINT32 && in_test (test, u, la[r]);
      hb += hit_b;
      ha += hit_a;
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 8);
      gtk_widget_set_margin_start (box, 10);
      gtk_widget_set_margin_end (box, 10);
      gtk_widget_set_margin_top (box, 6);
      gtk_widget_set_margin_bottom (box, 6);
      g_autofree char *rank = g_strdup_printf ("%u", r + 1);
      GtkWidget *rl = gtk_label_new (rank);
      gtk_label_set_width_chars (GTK_LABEL (rl), 3);
      gtk_widget_add_css_class (rl, "dim-label");
      gtk_widget_add_css_class (rl, "numeric");
      gtk_box_append (GTK_BOX (box), rl);
      gtk_box_append (GTK_BOX (box), rec_cell (dataset, tgt, lb[r], hit_b));
      gtk_box_append (GTK_BOX (box), rec_cell (dataset, tgt, la[r], hit_a));
      gtk_box_set_homogeneous (GTK_BOX (box), FALSE);
      gtk_list_box_append (GTK_LIST_BOX (self->recs_list), box);
    }
  g_autofree char *h = k ? g_strdup_printf ("Top-%u of %s: baseline (%u hit%s) | augmented (%u hit%s)", k,
                                            _scalr_review_lens_model (self), hb, hb == 1 ? "" : "s", ha, ha == 1 ? "" : "s")
                         : g_strdup ("Top-K: baseline vs augmented");
  gtk_label_set_text (GTK_LABEL (self->recs_heading), h);
  lens_placeholder (self->recs_list, "No top-K lists stored for this user and model");
}

static guint
fill_test (ScalrReviewPage *self, ScalrDataset *dataset, const ScalrDomain *tgt, guint32 u, const ScalrCsr *test)
{
  const ScalrSyntheticEvents *ev = self->lens->synthetic;
  const LensRecs *aug = lens_find_recs (self, "augmented"), *base = lens_find_recs (self, "baseline");
  guint n_test = 0;
  for (guint64 k = test->indptr[u]; k < test->indptr[u + 1]; k++, n_test++)
    {
      guint32 item = test->indices[k];
      gint64 s = synthetic_find (ev, u, item);
      guint ra = rec_rank (aug, u, item), rb = rec_rank (base, u, item);
      g_autofree char *p = s >= 0 ? scalr_format_value (ev->prob[s], 3) : NULL;
      g_autofree char *b = rb ? g_strdup_printf ("#%u", rb) : g_strdup (SCALR_FORMAT_MISSING);
      g_autofree char *a = ra ? g_strdup_printf ("#%u", ra) : g_strdup (SCALR_FORMAT_MISSING);
      g_autofree char *text = g_strdup_printf ("%s%s\nbaseline %s · augmented %s", s >= 0 ? "synthetic p " : "not synthetic",
                                               p ? p : "", b, a);
      if (n_test < LENS_MAX_ROWS)
        gtk_list_box_append (GTK_LIST_BOX (self->test_list),
                             lens_row (dataset, tgt->items[item], text,
                                       "#r: rank in the model's top-K list (baseline / augmented); – not in it", s >= 0));
    }
  if (n_test > LENS_MAX_ROWS)
    lens_more_row (self->test_list, n_test - LENS_MAX_ROWS);
  return n_test;
}

void
_scalr_review_lens_show_user (ScalrReviewPage *self)
{
  _scalr_review_lens_clear_lists (self);
  gboolean ok = FALSE;
  guint32 u = _scalr_review_lens_selected_user (self, &ok);
  if (self->lens == NULL || !ok)
    return;
  LensData *d = self->lens;
  ScalrDataset *dataset = scalr_domains_get_dataset (d->domains);
  const ScalrDomain *src = scalr_domains_get_source (d->domains), *tgt = scalr_domains_get_target (d->domains);
  const ScalrCsr *test = scalr_split_get_test (d->split);
  const guint8 flags = scalr_split_get_user_flags (d->split)[u];

  guint n_src = fill_events (self->source_list, dataset, scalr_split_get_source (d->split), src, u, test);
  g_autofree char *sh = g_strdup_printf ("Source history · %u event%s", n_src, n_src == 1 ? "" : "s");
  gtk_label_set_text (GTK_LABEL (self->source_heading), sh);
  guint n_train = fill_events (self->train_list, dataset, scalr_split_get_train (d->split), tgt, u, test);
  g_autofree char *trh = g_strdup_printf ("Real target training events · %u", n_train);
  gtk_label_set_text (GTK_LABEL (self->train_heading), trh);
  guint hits = 0;
  guint n_syn = fill_synthetic (self, dataset, tgt, u, test, &hits);
  g_autofree char *syh = g_strdup_printf ("Synthetic target items · %u · %u hit%s", n_syn, hits, hits == 1 ? "" : "s");
  gtk_label_set_text (GTK_LABEL (self->synthetic_heading), syh);
  fill_recs (self, dataset, tgt, u, test);
  guint n_test = fill_test (self, dataset, tgt, u, test);
  g_autofree char *th = g_strdup_printf ("Held-out test items · %u", n_test);
  gtk_label_set_text (GTK_LABEL (self->test_heading), th);

  lens_placeholder (self->source_list, "No source-domain events");
  lens_placeholder (self->train_list, (flags & SCALR_USER_COLD) ? "None: a cold user (the sparse-user simulation kept none)"
                                                               : "No real target training events");
  lens_placeholder (self->synthetic_list, "No synthetic events for this user");
  lens_placeholder (self->test_list, (flags & SCALR_USER_TESTED) ? "No test events"
                                     : (flags & SCALR_USER_VALIDATION) ? "None: a validation user (its held-out events "
                                                                         "choose settings; it is not measured)"
                                     : "Not a tested user (too few target events)");
  ScalrIdMap *names = scalr_dataset_get_users (dataset);
  g_autofree char *status = g_strdup_printf ("User %s: %s%s, %s. Rank metrics exclude the user's real training "
                                             "positives from the ranking, not the synthetic ones.",
                                             scalr_id_map_get_name (names, u),
                                             (flags & SCALR_USER_COLD) ? "cold" : (flags & SCALR_USER_SPARSE) ? "sparse" : "warm",
                                             (flags & SCALR_USER_OVERLAP) ? " overlap user" : " user",
                                             (flags & SCALR_USER_TESTED) ? "tested"
                                             : (flags & SCALR_USER_VALIDATION) ? "a validation user (not tested)"
                                             : "not tested");
  gtk_label_set_text (GTK_LABEL (self->lens_status), status);
}
