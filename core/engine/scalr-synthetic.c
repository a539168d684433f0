/* scalr-synthetic.c — synthetic events and the synthetic-vs-real diagnostics.
 *
 * Definitions (n = target items, "real" = the split's target training events, "synthetic" =
 * unique synthetic (user, item) pairs — draws of one pair count once):
 *
 * - coverage: distinct items among synthetic pairs / n; real_coverage likewise for train.
 * - Gini over ALL n target items (zero counts included), counts sorted ascending x_(1..n):
 *   G = Σ_i (2i − n − 1)·x_(i) / (n·Σx); 0 when n = 0 or Σx = 0. Synthetic counts are the
 *   synthetic pairs per item, real counts the training events per item.
 * - jsd: Jensen–Shannon divergence, base 2 (0..1), of the two item distributions (counts
 *   normalised), with 0·log 0 = 0.
 * - Rank–frequency: counts sorted descending, positive ones only; up to SCALR_CURVE_POINTS
 *   log-spaced ranks r_k = round (m^(k/(P−1))), k = 0..P−1 (all ranks when m ≤ P), always
 *   rank 1 and the last rank m, duplicates dropped.
 * - Activity: users with c ≥ 1 pairs (events) go to bin min (23, ⌊log2 c⌋).
 * - Popularity buckets: see scalr_popularity_buckets. Shares are the fractions of real
 *   training events / synthetic pairs on each bucket's items; bucket_jsd is the JSD of the two
 *   share vectors.
 * - Category mix: per category, the real training events and synthetic pairs on items of that
 *   category (an item with several categories counts for each), each normalised by its sum
 *   over all categories; the SCALR_MAX_CATEGORIES categories with most real events are kept,
 *   by real share descending (ties by name).
 * - Held-out match, per group — all: TESTED users with ≥ 1 synthetic pair; sparse: those that
 *   are also SPARSE: synthetic = their pairs, held_out = their test events, hits = pairs that
 *   are test events; precision = hits/synthetic, recall = hits/held_out, hit_rate = users with
 *   ≥ 1 hit / users (each 0 when its denominator is 0).
 *
 * Everything is linear in events + items + users, except the sorts of the item counts. */
#include "config.h"

#include "scalr-synthetic.h"
#include "scalr-synthetic-private.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-topk.h"

#define ACTIVITY_BINS 24

G_STATIC_ASSERT (G_N_ELEMENTS (((ScalrDiagnostics *) NULL)->activity) == ACTIVITY_BINS);
G_STATIC_ASSERT (SCALR_MAX_BUCKETS <= 256);   /* bucket ids are guint8 */

G_DEFINE_QUARK (scalr-synthetic-error-quark, scalr_synthetic_error)

/* ------------------------------------------------------------------------------------------
 * Events */

ScalrSyntheticEvents *
scalr_synthetic_events_new (guint64 n)
{
  ScalrSyntheticEvents *e = g_new0 (ScalrSyntheticEvents, 1);
  e->n = n;
  e->user = g_new0 (guint32, n);
  e->item = g_new0 (guint32, n);
  e->prob = g_new0 (float, n);
  e->weight = g_new0 (float, n);
  e->count = g_new0 (guint32, n);
  return e;
}

void
scalr_synthetic_events_free (ScalrSyntheticEvents *e)
{
  if (e == NULL)
    return;
  g_free (e->user);
  g_free (e->item);
  g_free (e->prob);
  g_free (e->weight);
  g_free (e->count);
  g_free (e);
}

void
scalr_synthetic_events_truncate (ScalrSyntheticEvents *e, guint64 n)
{
  g_return_if_fail (e != NULL);
  g_return_if_fail (n <= e->n);
  if (n == e->n)
    return;
  guint64 removed = 0;
  for (guint64 k = n; k < e->n; k++)
    removed += e->count[k];
  e->draws -= MIN (removed, e->draws);
  e->n = n;
  e->user = g_renew (guint32, e->user, n);
  e->item = g_renew (guint32, e->item, n);
  e->prob = g_renew (float, e->prob, n);
  e->weight = g_renew (float, e->weight, n);
  e->count = g_renew (guint32, e->count, n);
}

gboolean
scalr_synthetic_events_is_valid (const ScalrSyntheticEvents *e, guint n_users, guint n_items)
{
  g_return_val_if_fail (e != NULL, FALSE);
  if (e->n > 0 && (!e->user || !e->item || !e->prob || !e->weight || !e->count))
    return FALSE;
  for (guint64 k = 0; k < e->n; k++)
    {
      if (e->user[k] >= n_users || e->item[k] >= n_items)
        return FALSE;
      if (k > 0 && (e->user[k] < e->user[k - 1]
                    || (e->user[k] == e->user[k - 1] && e->item[k] <= e->item[k - 1])))
        return FALSE;
    }
  return TRUE;
}

/* ------------------------------------------------------------------------------------------
 * Helpers */

/* Gini of counts sorted ascending. */
static double
gini_sorted (const double *x, gsize n)
{
  double sum = 0.0, acc = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      sum += x[i];
      acc += (2.0 * (double) (i + 1) - (double) n - 1.0) * x[i];
    }
  if (n == 0 || sum <= 0.0)
    return 0.0;
  return acc / ((double) n * sum);
}

double
scalr_gini (const double *counts, gsize n)
{
  g_return_val_if_fail (counts != NULL || n == 0, 0.0);
  if (n == 0)
    return 0.0;
  g_autofree double *x = g_memdup2 (counts, n * sizeof (double));
  qsort (x, n, sizeof (double), scalr_cmp_double);
  return gini_sorted (x, n);
}

double
scalr_jsd (const double *p, const double *q, gsize n)
{
  g_return_val_if_fail ((p != NULL && q != NULL) || n == 0, 0.0);
  double sp = 0.0, sq = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      sp += p[i];
      sq += q[i];
    }
  if (sp <= 0.0 && sq <= 0.0)
    return 0.0;
  if (sp <= 0.0 || sq <= 0.0)
    return 1.0;
  double kl_p = 0.0, kl_q = 0.0;
  for (gsize i = 0; i < n; i++)
    {
      double a = p[i] / sp, b = q[i] / sq, m = 0.5 * (a + b);
      if (a > 0.0)
        kl_p += a * log2 (a / m);
      if (b > 0.0)
        kl_q += b * log2 (b / m);
    }
  return CLAMP (0.5 * (kl_p + kl_q), 0.0, 1.0);
}

guint
_scalr_rank_frequency (const double *asc, gsize n,
                       double rank[SCALR_CURVE_POINTS], double count[SCALR_CURVE_POINTS])
{
  gsize m = 0;   /* positive counts: the last m of the ascending array */
  while (m < n && asc[n - 1 - m] > 0.0)
    m++;
  guint out = 0;
  if (m <= SCALR_CURVE_POINTS)
    {
      for (gsize r = 1; r <= m; r++, out++)
        {
          rank[out] = (double) r;
          count[out] = asc[n - r];
        }
      return out;
    }
  gsize last = 0;
  for (guint k = 0; k < SCALR_CURVE_POINTS; k++)
    {
      gsize r;
      if (k == SCALR_CURVE_POINTS - 1)
        r = m;
      else
        r = (gsize) llround (exp (log ((double) m) * (double) k / (SCALR_CURVE_POINTS - 1)));
      r = CLAMP (r, 1, m);
      if (r <= last)
        continue;
      rank[out] = (double) r;
      count[out] = asc[n - r];
      out++;
      last = r;
    }
  return out;
}

guint64
_scalr_sorted_intersection (const guint32 *a, gsize na, const guint32 *b, gsize nb)
{
  guint64 hits = 0;
  gsize i = 0, j = 0;
  while (i < na && j < nb)
    {
      if (a[i] < b[j])
        i++;
      else if (a[i] > b[j])
        j++;
      else
        {
          hits++;
          i++;
          j++;
        }
    }
  return hits;
}

static guint
activity_bin (guint64 c)
{
  g_assert (c > 0);
  return MIN ((guint) g_bit_storage (c) - 1, ACTIVITY_BINS - 1);
}

typedef struct {
  guint64 count;
  guint32 item;
} ItemCount;

static int
cmp_item_count (const void *a, const void *b)
{
  const ItemCount *x = a, *y = b;
  if (x->count != y->count)
    return x->count > y->count ? -1 : 1;
  return x->item < y->item ? -1 : (x->item > y->item);
}

/* Bucket of each of @n_items items with training @counts (see scalr_popularity_buckets). */
static guint8 *
buckets_of_counts (const guint64 *counts, guint n_items, guint n_buckets)
{
  guint8 *bucket = g_new (guint8, MAX (n_items, 1));
  g_autofree ItemCount *order = g_new (ItemCount, MAX (n_items, 1));
  guint64 total = 0;
  for (guint i = 0; i < n_items; i++)
    {
      order[i].count = counts[i];
      order[i].item = i;
      total += counts[i];
    }
  qsort (order, n_items, sizeof (ItemCount), cmp_item_count);
  guint64 before = 0;
  for (guint k = 0; k < n_items; k++)
    {
      guint b = n_buckets - 1;
      if (order[k].count > 0)
        b = MIN (n_buckets - 1, (guint) ((n_buckets * before) / total));
      bucket[order[k].item] = (guint8) b;
      before += order[k].count;
    }
  return bucket;
}

guint8 *
scalr_popularity_buckets (const ScalrCsr *train, guint n_buckets)
{
  g_return_val_if_fail (train != NULL, NULL);
  g_return_val_if_fail (n_buckets >= 1 && n_buckets <= SCALR_MAX_BUCKETS, NULL);
  g_autofree guint64 *counts = scalr_csr_col_counts (train);
  return buckets_of_counts (counts, train->n_cols, n_buckets);
}

/* ------------------------------------------------------------------------------------------
 * Diagnostics */

ScalrDiagnostics *
_scalr_diagnostics_alloc (void)
{
  ScalrDiagnostics *d = g_new0 (ScalrDiagnostics, 1);
  d->category_names = g_ptr_array_new_with_free_func (g_free);
  d->category_share = g_array_new (FALSE, TRUE, sizeof (double));
  d->real_category_share = g_array_new (FALSE, TRUE, sizeof (double));
  return d;
}

void
scalr_diagnostics_free (ScalrDiagnostics *d)
{
  if (d == NULL)
    return;
  g_clear_pointer (&d->category_names, g_ptr_array_unref);
  g_clear_pointer (&d->category_share, g_array_unref);
  g_clear_pointer (&d->real_category_share, g_array_unref);
  g_free (d);
}

static void
held_out_finish (ScalrHeldOutMatch *m, guint users_hit)
{
  m->precision = m->synthetic ? (double) m->hits / (double) m->synthetic : 0.0;
  m->recall = m->held_out ? (double) m->hits / (double) m->held_out : 0.0;
  m->hit_rate = m->users ? (double) users_hit / (double) m->users : 0.0;
}

typedef struct {
  guint64     real, syn;
  const char *name;   /* borrowed */
} CategoryCount;

static int
cmp_category (const void *a, const void *b)
{
  const CategoryCount *x = a, *y = b;
  if (x->real != y->real)
    return x->real > y->real ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static void
category_mix (ScalrDiagnostics *d, const ScalrCsr *ic, const char *const *names,
              const guint64 *real_items, const guint64 *syn_items)
{
  guint n_cats = ic->n_cols;
  g_autofree CategoryCount *cc = g_new0 (CategoryCount, MAX (n_cats, 1));
  for (guint i = 0; i < ic->n_rows; i++)
    for (guint64 k = ic->indptr[i]; k < ic->indptr[i + 1]; k++)
      {
        cc[ic->indices[k]].real += real_items[i];
        cc[ic->indices[k]].syn += syn_items[i];
      }
  guint64 tot_real = 0, tot_syn = 0;
  guint kept = 0;
  for (guint c = 0; c < n_cats; c++)
    {
      tot_real += cc[c].real;
      tot_syn += cc[c].syn;
      if (cc[c].real > 0 || cc[c].syn > 0)
        {
          cc[kept] = cc[c];
          cc[kept].name = names[c];
          kept++;
        }
    }
  qsort (cc, kept, sizeof (CategoryCount), cmp_category);
  for (guint k = 0; k < MIN (kept, SCALR_MAX_CATEGORIES); k++)
    {
      double rs = tot_real ? (double) cc[k].real / (double) tot_real : 0.0;
      double ss = tot_syn ? (double) cc[k].syn / (double) tot_syn : 0.0;
      g_ptr_array_add (d->category_names, g_strdup (cc[k].name));
      g_array_append_val (d->real_category_share, rs);
      g_array_append_val (d->category_share, ss);
    }
}

/* One pass over the synthetic pairs, a user's run at a time: per-item counts (into
 * @syn_items), activity, and the held-out match of tested (and sparse) users. */
static void
synthetic_pass (ScalrDiagnostics *d, const ScalrDiagnosticsInput *in, guint64 *syn_items)
{
  const ScalrSyntheticEvents *ev = in->events;
  const ScalrCsr *test = in->test;
  guint users_hit[2] = { 0, 0 };
  for (guint64 k = 0; k < ev->n;)
    {
      guint32 u = ev->user[k];
      guint64 start = k;
      for (; k < ev->n && ev->user[k] == u; k++)
        syn_items[ev->item[k]]++;
      guint64 len = k - start;
      d->users++;
      d->activity[activity_bin (len)]++;

      guint64 n_test = test ? scalr_csr_row_len (test, u) : 0;
      gboolean tested = in->user_flags ? (in->user_flags[u] & SCALR_USER_TESTED) != 0 : n_test > 0;
      gboolean sparse = in->user_flags ? (in->user_flags[u] & SCALR_USER_SPARSE) != 0 : FALSE;
      if (!tested)
        continue;
      guint64 hits = n_test ? _scalr_sorted_intersection (ev->item + start, len,
                                                          test->indices + test->indptr[u], n_test) : 0;
      for (int g = 0; g < (sparse ? 2 : 1); g++)
        {
          ScalrHeldOutMatch *m = g == 0 ? &d->all : &d->sparse;
          m->users++;
          m->synthetic += len;
          m->held_out += n_test;
          m->hits += hits;
          users_hit[g] += hits > 0;
        }
    }
  held_out_finish (&d->all, users_hit[0]);
  held_out_finish (&d->sparse, users_hit[1]);
}

/* Coverage, JSD, Gini and the rank–frequency curves of the two item distributions. */
static void
item_distributions (ScalrDiagnostics *d, const guint64 *syn_items, const guint64 *real_items, guint n_items)
{
  g_autofree double *syn_x = g_new (double, MAX (n_items, 1));
  g_autofree double *real_x = g_new (double, MAX (n_items, 1));
  guint syn_distinct = 0, real_distinct = 0;
  for (guint i = 0; i < n_items; i++)
    {
      syn_x[i] = (double) syn_items[i];
      real_x[i] = (double) real_items[i];
      syn_distinct += syn_items[i] > 0;
      real_distinct += real_items[i] > 0;
    }
  d->coverage = n_items ? (double) syn_distinct / n_items : 0.0;
  d->real_coverage = n_items ? (double) real_distinct / n_items : 0.0;
  d->jsd = scalr_jsd (syn_x, real_x, n_items);
  qsort (syn_x, n_items, sizeof (double), scalr_cmp_double);
  qsort (real_x, n_items, sizeof (double), scalr_cmp_double);
  d->gini = gini_sorted (syn_x, n_items);
  d->real_gini = gini_sorted (real_x, n_items);
  d->n_curve = _scalr_rank_frequency (syn_x, n_items, d->curve_rank, d->curve_count);
  d->n_real_curve = _scalr_rank_frequency (real_x, n_items, d->real_curve_rank, d->real_curve_count);
}

/* The shares of real training events and synthetic pairs per popularity bucket. */
static void
bucket_shares (ScalrDiagnostics *d, const guint64 *syn_items, const guint64 *real_items, guint n_items,
               guint n_buckets, guint64 n_real, guint64 n_syn)
{
  d->n_buckets = n_buckets;
  if (n_buckets == 0)
    return;
  g_autofree guint8 *bucket = buckets_of_counts (real_items, n_items, n_buckets);
  guint64 real_b[SCALR_MAX_BUCKETS] = { 0 }, syn_b[SCALR_MAX_BUCKETS] = { 0 };
  for (guint i = 0; i < n_items; i++)
    {
      real_b[bucket[i]] += real_items[i];
      syn_b[bucket[i]] += syn_items[i];
    }
  for (guint b = 0; b < n_buckets; b++)
    {
      d->real_bucket_share[b] = n_real ? (double) real_b[b] / (double) n_real : 0.0;
      d->bucket_share[b] = n_syn ? (double) syn_b[b] / (double) n_syn : 0.0;
    }
  d->bucket_jsd = scalr_jsd (d->bucket_share, d->real_bucket_share, n_buckets);
}

ScalrDiagnostics *
_scalr_diagnostics_compute (const ScalrDiagnosticsInput *in)
{
  g_return_val_if_fail (in != NULL && in->events != NULL && in->train != NULL, NULL);
  const ScalrSyntheticEvents *ev = in->events;
  const ScalrCsr *train = in->train, *test = in->test;
  guint n_users = train->n_rows, n_items = train->n_cols;
  g_return_val_if_fail (test == NULL || (test->n_rows == n_users && test->n_cols == n_items), NULL);
  g_return_val_if_fail (in->n_buckets <= SCALR_MAX_BUCKETS, NULL);
  g_return_val_if_fail (in->item_categories == NULL
                        || (in->item_categories->n_rows == n_items && in->category_names != NULL), NULL);
  g_return_val_if_fail (scalr_synthetic_events_is_valid (ev, n_users, n_items), NULL);

  ScalrDiagnostics *d = _scalr_diagnostics_alloc ();
  d->events = ev->n;
  d->draws = ev->draws;
  d->real_events = train->nnz;
  d->target_items = n_items;
  g_autofree guint64 *syn_items = g_new0 (guint64, MAX (n_items, 1));
  synthetic_pass (d, in, syn_items);
  for (guint u = 0; u < n_users; u++)
    {
      guint64 len = scalr_csr_row_len (train, u);
      if (len > 0)
        {
          d->real_users++;
          d->real_activity[activity_bin (len)]++;
        }
    }
  g_autofree guint64 *real_items = scalr_csr_col_counts (train);
  item_distributions (d, syn_items, real_items, n_items);
  bucket_shares (d, syn_items, real_items, n_items, in->n_buckets, train->nnz, ev->n);
  if (in->item_categories)
    category_mix (d, in->item_categories, in->category_names, real_items, syn_items);
  return d;
}

/* Target items × categories of @domains' dataset, or NULL without item metadata;
 * *names_out gets the category names (borrowed strings). */
static ScalrCsr *
target_item_categories (ScalrDomains *domains, const char ***names_out)
{
  ScalrDataset *dataset = scalr_domains_get_dataset (domains);
  const ScalrDomain *target = scalr_domains_get_target (domains);
  *names_out = NULL;
  if (dataset == NULL || !scalr_dataset_has_item_metadata (dataset))
    return NULL;
  ScalrIdMap *cats = scalr_dataset_get_categories (dataset);
  guint n_cats = scalr_id_map_get_size (cats);
  guint64 nnz = 0;
  for (guint i = 0; i < target->n_items; i++)
    {
      guint nc;
      scalr_dataset_get_item_categories (dataset, target->items[i], &nc);
      nnz += nc;
    }
  ScalrCsr *m = scalr_csr_new (target->n_items, n_cats, nnz, FALSE);
  guint64 k = 0;
  for (guint i = 0; i < target->n_items; i++)
    {
      guint nc;
      const guint32 *ic = scalr_dataset_get_item_categories (dataset, target->items[i], &nc);
      for (guint c = 0; c < nc; c++)
        m->indices[k++] = ic[c];
      m->indptr[i + 1] = k;
    }
  const char **names = g_new (const char *, MAX (n_cats, 1));
  for (guint c = 0; c < n_cats; c++)
    names[c] = scalr_id_map_get_name (cats, c);
  *names_out = names;
  return m;
}

ScalrDiagnostics *
scalr_diagnostics_new (const ScalrSyntheticEvents *events, ScalrSplit *split, guint n_buckets)
{
  g_return_val_if_fail (events != NULL && split != NULL, NULL);
  g_autofree const char **names = NULL;
  g_autoptr (ScalrCsr) item_categories = target_item_categories (scalr_split_get_domains (split), &names);
  ScalrDiagnosticsInput in = {
    .events = events,
    .train = scalr_split_get_train (split),
    .test = scalr_split_get_test (split),
    .user_flags = scalr_split_get_user_flags (split),
    .item_categories = item_categories,
    .category_names = names,
    .n_buckets = n_buckets,
  };
  return _scalr_diagnostics_compute (&in);
}
