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

static int
cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : (x > y);
}

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
  qsort (x, n, sizeof (double), cmp_double);
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

static ScalrDiagnostics *
diagnostics_alloc (void)
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

  ScalrDiagnostics *d = diagnostics_alloc ();
  d->events = ev->n;
  d->draws = ev->draws;
  d->real_events = train->nnz;

  /* One pass over the synthetic pairs, a user's run at a time. */
  g_autofree guint64 *syn_items = g_new0 (guint64, MAX (n_items, 1));
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

  for (guint u = 0; u < n_users; u++)
    {
      guint64 len = scalr_csr_row_len (train, u);
      if (len > 0)
        {
          d->real_users++;
          d->real_activity[activity_bin (len)]++;
        }
    }

  /* Item distributions. */
  g_autofree guint64 *real_items = scalr_csr_col_counts (train);
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
  qsort (syn_x, n_items, sizeof (double), cmp_double);
  qsort (real_x, n_items, sizeof (double), cmp_double);
  d->gini = gini_sorted (syn_x, n_items);
  d->real_gini = gini_sorted (real_x, n_items);
  d->n_curve = _scalr_rank_frequency (syn_x, n_items, d->curve_rank, d->curve_count);
  d->n_real_curve = _scalr_rank_frequency (real_x, n_items, d->real_curve_rank, d->real_curve_count);

  /* Popularity buckets. */
  d->n_buckets = in->n_buckets;
  if (in->n_buckets > 0)
    {
      g_autofree guint8 *bucket = buckets_of_counts (real_items, n_items, in->n_buckets);
      guint64 real_b[SCALR_MAX_BUCKETS] = { 0 }, syn_b[SCALR_MAX_BUCKETS] = { 0 };
      for (guint i = 0; i < n_items; i++)
        {
          real_b[bucket[i]] += real_items[i];
          syn_b[bucket[i]] += syn_items[i];
        }
      for (guint b = 0; b < in->n_buckets; b++)
        {
          d->real_bucket_share[b] = train->nnz ? (double) real_b[b] / (double) train->nnz : 0.0;
          d->bucket_share[b] = ev->n ? (double) syn_b[b] / (double) ev->n : 0.0;
        }
      d->bucket_jsd = scalr_jsd (d->bucket_share, d->real_bucket_share, in->n_buckets);
    }

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

/* ------------------------------------------------------------------------------------------
 * JSON */

static void
add_u64 (JsonBuilder *b, const char *name, guint64 v)
{
  json_builder_set_member_name (b, name);
  json_builder_add_int_value (b, (gint64) MIN (v, (guint64) G_MAXINT64));
}

/* JSON has no NaN: an undefined number (ECE or log-likelihood with nothing to compute it
 * on) is null, never 0; readers take null back as NAN. */
static void
add_number (JsonBuilder *b, double v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

static void
add_double (JsonBuilder *b, const char *name, double v)
{
  json_builder_set_member_name (b, name);
  add_number (b, v);
}

static void
add_double_array (JsonBuilder *b, const char *name, const double *v, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint k = 0; k < n; k++)
    add_number (b, v[k]);
  json_builder_end_array (b);
}

static void
add_u64_array (JsonBuilder *b, const char *name, const guint64 *v, guint n)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint k = 0; k < n; k++)
    json_builder_add_int_value (b, (gint64) MIN (v[k], (guint64) G_MAXINT64));
  json_builder_end_array (b);
}

static void
add_match (JsonBuilder *b, const char *name, const ScalrHeldOutMatch *m)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  add_u64 (b, "users", m->users);
  add_u64 (b, "synthetic", m->synthetic);
  add_u64 (b, "held_out", m->held_out);
  add_u64 (b, "hits", m->hits);
  add_double (b, "precision", m->precision);
  add_double (b, "recall", m->recall);
  add_double (b, "hit_rate", m->hit_rate);
  json_builder_end_object (b);
}

JsonNode *
scalr_diagnostics_to_json (const ScalrDiagnostics *d)
{
  g_return_val_if_fail (d != NULL, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  add_u64 (b, "events", d->events);
  add_u64 (b, "draws", d->draws);
  add_u64 (b, "users", d->users);
  add_u64 (b, "real_events", d->real_events);
  add_u64 (b, "real_users", d->real_users);
  add_double (b, "coverage", d->coverage);
  add_double (b, "real_coverage", d->real_coverage);
  add_double (b, "gini", d->gini);
  add_double (b, "real_gini", d->real_gini);
  add_double (b, "jsd", d->jsd);
  add_double (b, "precision", d->all.precision);
  add_double (b, "recall", d->all.recall);
  add_double_array (b, "curve_rank", d->curve_rank, d->n_curve);
  add_double_array (b, "curve_count", d->curve_count, d->n_curve);
  add_double_array (b, "real_curve_rank", d->real_curve_rank, d->n_real_curve);
  add_double_array (b, "real_curve_count", d->real_curve_count, d->n_real_curve);
  add_u64_array (b, "activity", d->activity, ACTIVITY_BINS);
  add_u64_array (b, "real_activity", d->real_activity, ACTIVITY_BINS);
  add_double_array (b, "bucket_share", d->bucket_share, d->n_buckets);
  add_double_array (b, "real_bucket_share", d->real_bucket_share, d->n_buckets);
  add_double (b, "bucket_jsd", d->bucket_jsd);

  json_builder_set_member_name (b, "categories");
  json_builder_begin_array (b);
  for (guint k = 0; d->category_names && k < d->category_names->len; k++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, g_ptr_array_index (d->category_names, k));
      add_double (b, "share", g_array_index (d->category_share, double, k));
      add_double (b, "real_share", g_array_index (d->real_category_share, double, k));
      json_builder_end_object (b);
    }
  json_builder_end_array (b);

  add_match (b, "all", &d->all);
  add_match (b, "sparse", &d->sparse);

  json_builder_set_member_name (b, "calibration");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "bins");
  json_builder_begin_array (b);
  for (guint k = 0; k < MIN (d->n_calibration, SCALR_CALIBRATION_BINS); k++)
    {
      json_builder_begin_object (b);
      add_double (b, "pred", d->calib_pred[k]);
      add_double (b, "obs", d->calib_obs[k]);
      add_double (b, "low", d->calib_low[k]);
      add_double (b, "high", d->calib_high[k]);
      add_u64 (b, "count", d->calib_count[k]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  add_u64 (b, "top_n", d->calib_top_n);
  add_double (b, "ece", d->ece);
  add_double (b, "temperature", d->temperature);
  add_double (b, "valid_log_lik", d->valid_log_lik);
  json_builder_end_object (b);

  json_builder_end_object (b);
  return json_builder_get_root (b);
}

/* Readers: each names the member (with its path, @ctx, e.g. "all.") in the error. */

static JsonNode *
get_member (JsonObject *o, const char *ctx, const char *name, GError **error)
{
  JsonNode *n = json_object_get_member (o, name);
  if (n == NULL)
    g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
                 "Diagnostics: member '%s%s' is missing", ctx, name);
  return n;
}

static gboolean
ill_typed (GError **error, const char *ctx, const char *name, const char *what)
{
  g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
               "Diagnostics: member '%s%s' is not %s", ctx, name, what);
  return FALSE;
}

static gboolean
node_double (JsonNode *n, double *out)
{
  if (JSON_NODE_HOLDS_NULL (n))
    {
      *out = NAN;   /* undefined */
      return TRUE;
    }
  if (!JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  GType t = json_node_get_value_type (n);
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (n);
  return TRUE;
}

static gboolean
node_u64 (JsonNode *n, guint64 max, guint64 *out)
{
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  gint64 v = json_node_get_int (n);
  if (v < 0 || (guint64) v > max)
    return FALSE;
  *out = (guint64) v;
  return TRUE;
}

static gboolean
read_double (JsonObject *o, const char *ctx, const char *name, double *out, GError **error)
{
  JsonNode *n = get_member (o, ctx, name, error);
  if (n == NULL)
    return FALSE;
  if (!node_double (n, out))
    return ill_typed (error, ctx, name, "a number");
  return TRUE;
}

static gboolean
read_u64 (JsonObject *o, const char *ctx, const char *name, guint64 *out, GError **error)
{
  JsonNode *n = get_member (o, ctx, name, error);
  if (n == NULL)
    return FALSE;
  if (!node_u64 (n, G_MAXINT64, out))
    return ill_typed (error, ctx, name, "a non-negative integer");
  return TRUE;
}

static gboolean
read_uint (JsonObject *o, const char *ctx, const char *name, guint *out, GError **error)
{
  guint64 v;
  JsonNode *n = get_member (o, ctx, name, error);
  if (n == NULL)
    return FALSE;
  if (!node_u64 (n, G_MAXUINT, &v))
    return ill_typed (error, ctx, name, "an integer in 0..G_MAXUINT");
  *out = (guint) v;
  return TRUE;
}

static JsonArray *
read_array (JsonObject *o, const char *ctx, const char *name, guint max, GError **error)
{
  JsonNode *n = get_member (o, ctx, name, error);
  if (n == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_ARRAY (n) || json_array_get_length (json_node_get_array (n)) > max)
    {
      g_autofree char *what = g_strdup_printf ("an array of at most %u elements", max);
      ill_typed (error, ctx, name, what);
      return NULL;
    }
  return json_node_get_array (n);
}

static JsonObject *
read_object (JsonObject *o, const char *ctx, const char *name, GError **error)
{
  JsonNode *n = get_member (o, ctx, name, error);
  if (n == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (n))
    {
      ill_typed (error, ctx, name, "an object");
      return NULL;
    }
  return json_node_get_object (n);
}

/* An array of at most @max numbers into @out; *n_out gets its length. */
static gboolean
read_double_array (JsonObject *o, const char *ctx, const char *name, double *out, guint max,
                   guint *n_out, GError **error)
{
  JsonArray *a = read_array (o, ctx, name, max, error);
  if (a == NULL)
    return FALSE;
  guint n = json_array_get_length (a);
  for (guint k = 0; k < n; k++)
    if (!node_double (json_array_get_element (a, k), &out[k]))
      return ill_typed (error, ctx, name, "an array of numbers");
  *n_out = n;
  return TRUE;
}

static gboolean
read_u64_array (JsonObject *o, const char *ctx, const char *name, guint64 *out, guint max,
                guint *n_out, GError **error)
{
  JsonArray *a = read_array (o, ctx, name, max, error);
  if (a == NULL)
    return FALSE;
  guint n = json_array_get_length (a);
  for (guint k = 0; k < n; k++)
    if (!node_u64 (json_array_get_element (a, k), G_MAXINT64, &out[k]))
      return ill_typed (error, ctx, name, "an array of non-negative integers");
  *n_out = n;
  return TRUE;
}

/* Two parallel arrays of the same length. */
static gboolean
read_double_pair (JsonObject *o, const char *name_a, const char *name_b, double *a, double *b,
                  guint max, guint *n_out, GError **error)
{
  guint na, nb;
  if (!read_double_array (o, "", name_a, a, max, &na, error)
      || !read_double_array (o, "", name_b, b, max, &nb, error))
    return FALSE;
  if (na != nb)
    {
      g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
                   "Diagnostics: members '%s' and '%s' differ in length (%u, %u)",
                   name_a, name_b, na, nb);
      return FALSE;
    }
  *n_out = na;
  return TRUE;
}

static gboolean
read_match (JsonObject *root, const char *name, ScalrHeldOutMatch *m, GError **error)
{
  JsonObject *o = read_object (root, "", name, error);
  if (o == NULL)
    return FALSE;
  g_autofree char *ctx = g_strconcat (name, ".", NULL);
  return read_uint (o, ctx, "users", &m->users, error)
         && read_u64 (o, ctx, "synthetic", &m->synthetic, error)
         && read_u64 (o, ctx, "held_out", &m->held_out, error)
         && read_u64 (o, ctx, "hits", &m->hits, error)
         && read_double (o, ctx, "precision", &m->precision, error)
         && read_double (o, ctx, "recall", &m->recall, error)
         && read_double (o, ctx, "hit_rate", &m->hit_rate, error);
}

static gboolean
read_categories (JsonObject *root, ScalrDiagnostics *d, GError **error)
{
  JsonArray *a = read_array (root, "", "categories", G_MAXUINT, error);
  if (a == NULL)
    return FALSE;
  for (guint k = 0; k < json_array_get_length (a); k++)
    {
      g_autofree char *ctx = g_strdup_printf ("categories[%u].", k);
      JsonNode *n = json_array_get_element (a, k);
      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          g_autofree char *elem = g_strdup_printf ("categories[%u]", k);
          return ill_typed (error, "", elem, "an object");
        }
      JsonObject *o = json_node_get_object (n);
      JsonNode *name = get_member (o, ctx, "name", error);
      if (name == NULL)
        return FALSE;
      if (!JSON_NODE_HOLDS_VALUE (name) || json_node_get_value_type (name) != G_TYPE_STRING)
        return ill_typed (error, ctx, "name", "a string");
      double share, real_share;
      if (!read_double (o, ctx, "share", &share, error)
          || !read_double (o, ctx, "real_share", &real_share, error))
        return FALSE;
      g_ptr_array_add (d->category_names, g_strdup (json_node_get_string (name)));
      g_array_append_val (d->category_share, share);
      g_array_append_val (d->real_category_share, real_share);
    }
  return TRUE;
}

static gboolean
read_calibration (JsonObject *root, ScalrDiagnostics *d, GError **error)
{
  JsonObject *o = read_object (root, "", "calibration", error);
  if (o == NULL)
    return FALSE;
  JsonArray *bins = read_array (o, "calibration.", "bins", SCALR_CALIBRATION_BINS, error);
  if (bins == NULL)
    return FALSE;
  d->n_calibration = json_array_get_length (bins);
  for (guint k = 0; k < d->n_calibration; k++)
    {
      g_autofree char *ctx = g_strdup_printf ("calibration.bins[%u].", k);
      JsonNode *n = json_array_get_element (bins, k);
      if (!JSON_NODE_HOLDS_OBJECT (n))
        {
          g_autofree char *elem = g_strdup_printf ("calibration.bins[%u]", k);
          return ill_typed (error, "", elem, "an object");
        }
      JsonObject *bin = json_node_get_object (n);
      if (!read_double (bin, ctx, "pred", &d->calib_pred[k], error)
          || !read_double (bin, ctx, "obs", &d->calib_obs[k], error)
          || !read_u64 (bin, ctx, "count", &d->calib_count[k], error))
        return FALSE;
      /* Optional: runs stored before the top-N diagram have no intervals. */
      d->calib_low[k] = d->calib_high[k] = NAN;
      if (json_object_has_member (bin, "low")
          && (!read_double (bin, ctx, "low", &d->calib_low[k], error)
              || !read_double (bin, ctx, "high", &d->calib_high[k], error)))
        return FALSE;
    }
  guint64 top_n = 0;
  if (json_object_has_member (o, "top_n") && !read_u64 (o, "calibration.", "top_n", &top_n, error))
    return FALSE;
  d->calib_top_n = (guint) MIN (top_n, G_MAXUINT);
  return read_double (o, "calibration.", "ece", &d->ece, error)
         && read_double (o, "calibration.", "temperature", &d->temperature, error)
         && read_double (o, "calibration.", "valid_log_lik", &d->valid_log_lik, error);
}

ScalrDiagnostics *
scalr_diagnostics_from_json (JsonNode *node, GError **error)
{
  g_return_val_if_fail (node != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);
  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, SCALR_SYNTHETIC_ERROR, SCALR_SYNTHETIC_ERROR_INVALID_JSON,
                   "Diagnostics: not a JSON object");
      return NULL;
    }
  JsonObject *o = json_node_get_object (node);
  g_autoptr (ScalrDiagnostics) d = diagnostics_alloc ();
  guint n_act, n_real_act;
  if (!read_u64 (o, "", "events", &d->events, error)
      || !read_u64 (o, "", "draws", &d->draws, error)
      || !read_uint (o, "", "users", &d->users, error)
      || !read_u64 (o, "", "real_events", &d->real_events, error)
      || !read_uint (o, "", "real_users", &d->real_users, error)
      || !read_double (o, "", "coverage", &d->coverage, error)
      || !read_double (o, "", "real_coverage", &d->real_coverage, error)
      || !read_double (o, "", "gini", &d->gini, error)
      || !read_double (o, "", "real_gini", &d->real_gini, error)
      || !read_double (o, "", "jsd", &d->jsd, error)
      || !read_double_pair (o, "curve_rank", "curve_count", d->curve_rank, d->curve_count,
                            SCALR_CURVE_POINTS, &d->n_curve, error)
      || !read_double_pair (o, "real_curve_rank", "real_curve_count", d->real_curve_rank,
                            d->real_curve_count, SCALR_CURVE_POINTS, &d->n_real_curve, error)
      || !read_u64_array (o, "", "activity", d->activity, ACTIVITY_BINS, &n_act, error)
      || !read_u64_array (o, "", "real_activity", d->real_activity, ACTIVITY_BINS, &n_real_act, error)
      || !read_double_pair (o, "bucket_share", "real_bucket_share", d->bucket_share,
                            d->real_bucket_share, SCALR_MAX_BUCKETS, &d->n_buckets, error)
      || !read_double (o, "", "bucket_jsd", &d->bucket_jsd, error)
      || !read_categories (o, d, error)
      || !read_match (o, "all", &d->all, error)
      || !read_match (o, "sparse", &d->sparse, error)
      || !read_calibration (o, d, error))
    return NULL;
  /* Documents stored before undefined numbers were null wrote 0 for them: without reliability
   * bins nothing was measured, and a mean log-likelihood of exactly 0 (every validation event
   * given probability 1) does not happen. */
  if (d->n_calibration == 0)
    {
      d->ece = NAN;
      if (d->valid_log_lik == 0.0)
        d->valid_log_lik = NAN;
    }
  return g_steal_pointer (&d);
}
