/* scalr-dataset-stats.c — descriptive statistics of datasets and domains. */
#include "config.h"

#include "scalr-dataset-stats.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-topk.h"

const double scalr_quantile_levels[SCALR_N_QUANTILES] = { 0.0, 0.10, 0.25, 0.50, 0.75, 0.90, 1.0 };
static const char *const quantile_names[SCALR_N_QUANTILES] = { "min", "p10", "p25", "median", "p75", "p90", "max" };

/* Quantiles of the non-zero counts. */
static void
quantiles_of_counts (const guint64 *counts, gsize n, double out[SCALR_N_QUANTILES])
{
  g_autofree double *v = g_new (double, MAX (n, 1));
  gsize m = 0;
  for (gsize i = 0; i < n; i++)
    if (counts[i] > 0)
      v[m++] = (double) counts[i];
  qsort (v, m, sizeof (double), scalr_cmp_double);
  for (int q = 0; q < SCALR_N_QUANTILES; q++)
    out[q] = scalr_quantile_sorted (v, m, scalr_quantile_levels[q]);
}

static gint
cmp_category (gconstpointer a, gconstpointer b)
{
  const ScalrCategoryCount *x = a, *y = b;
  if (x->events != y->events)
    return x->events > y->events ? -1 : 1;
  return g_strcmp0 (x->name, y->name);
}

static void
category_count_clear (ScalrCategoryCount *c)
{
  g_free (c->name);
}

/* Fills @s from per-user and per-item counts and per-category event counts. */
static void
domain_stats_fill (ScalrDomainStats *s, const char *name, const char *rule,
                   const guint64 *user_counts, guint n_users, const guint64 *item_counts, guint n_items,
                   const guint64 *cat_counts, ScalrIdMap *cats)
{
  s->name = g_strdup (name);
  s->rule = g_strdup (rule);
  for (guint u = 0; u < n_users; u++)
    {
      s->events += user_counts[u];
      if (user_counts[u] > 0)
        {
          s->users++;
          guint b = (guint) g_bit_storage (user_counts[u]) - 1;
          s->activity_hist[MIN (b, SCALR_ACTIVITY_BINS - 1)]++;
        }
    }
  for (guint i = 0; i < n_items; i++)
    s->items += item_counts[i] > 0;
  s->density = s->users && s->items ? (double) s->events / ((double) s->users * (double) s->items) : 0.0;
  quantiles_of_counts (user_counts, n_users, s->user_activity);
  quantiles_of_counts (item_counts, n_items, s->item_popularity);
  s->top_categories = g_array_new (FALSE, FALSE, sizeof (ScalrCategoryCount));
  g_array_set_clear_func (s->top_categories, (GDestroyNotify) category_count_clear);
  guint n_cats = cats ? scalr_id_map_get_size (cats) : 0;
  for (guint c = 0; c < n_cats; c++)
    if (cat_counts[c] > 0)
      {
        ScalrCategoryCount cc = { g_strdup (scalr_id_map_get_name (cats, c)), cat_counts[c] };
        g_array_append_val (s->top_categories, cc);
      }
  g_array_sort (s->top_categories, cmp_category);
  if (s->top_categories->len > 10)
    g_array_set_size (s->top_categories, 10);
}

static void
domain_stats_clear (ScalrDomainStats *s)
{
  g_clear_pointer (&s->name, g_free);
  g_clear_pointer (&s->rule, g_free);
  g_clear_pointer (&s->top_categories, g_array_unref);
}

static void
domain_stats_free (ScalrDomainStats *s)
{
  domain_stats_clear (s);
  g_free (s);
}

static void
add_categories (ScalrDataset *d, ScalrId item, guint64 *cat_counts, guint64 by)
{
  guint nc;
  const guint32 *ic = scalr_dataset_get_item_categories (d, item, &nc);
  for (guint c = 0; c < nc; c++)
    cat_counts[ic[c]] += by;
}

static void
stats_of_domain (ScalrDomainStats *s, ScalrDataset *d, const char *name, const ScalrDomain *dom)
{
  const ScalrCsr *m = dom->matrix;
  guint n_cats = scalr_id_map_get_size (scalr_dataset_get_categories (d));
  g_autofree guint64 *uc = g_new (guint64, MAX (m->n_rows, 1));
  for (guint u = 0; u < m->n_rows; u++)
    uc[u] = scalr_csr_row_len (m, u);
  g_autofree guint64 *ic = scalr_csr_col_counts (m);
  g_autofree guint64 *cc = g_new0 (guint64, MAX (n_cats, 1));
  for (guint i = 0; i < m->n_cols; i++)
    add_categories (d, dom->items[i], cc, ic[i]);
  domain_stats_fill (s, name, dom->rule, uc, m->n_rows, ic, m->n_cols, cc, scalr_dataset_get_categories (d));
}

ScalrDatasetStats *
scalr_dataset_stats_new (ScalrDataset *d, ScalrDomains *domains)
{
  ScalrDatasetStats *st = g_new0 (ScalrDatasetStats, 1);
  st->dataset = g_strdup (scalr_dataset_get_name (d));
  st->fingerprint = g_strdup (scalr_dataset_get_fingerprint (d));
  st->duplicates = scalr_dataset_get_n_duplicates (d);
  st->has_ratings = scalr_dataset_has_ratings (d);
  st->has_timestamps = scalr_dataset_has_timestamps (d);
  ScalrIdMap *cats = scalr_dataset_get_categories (d);
  ScalrIdMap *labels = scalr_dataset_get_domains (d);
  st->n_categories = scalr_id_map_get_size (cats);

  ScalrEvents ev;
  scalr_dataset_get_events (d, &ev);
  guint n_users = scalr_dataset_get_n_users (d);
  guint n_items = scalr_dataset_get_n_items (d);
  guint n_labels = scalr_id_map_get_size (labels);
  gboolean labelled = n_labels > 1 || (n_labels == 1 && scalr_id_map_get_name (labels, 0)[0] != '\0');
  guint n_groups = 1 + (labelled ? n_labels : 0);
  guint n_cats = MAX (st->n_categories, 1);
  /* Group 0 is the whole dataset; group 1 + l is label l. */
  g_autofree guint64 *uc = g_new0 (guint64, (gsize) n_groups * MAX (n_users, 1));
  g_autofree guint64 *ic = g_new0 (guint64, (gsize) n_groups * MAX (n_items, 1));
  g_autofree guint64 *cc = g_new0 (guint64, (gsize) n_groups * n_cats);
  for (guint u = 0; u < n_users; u++)
    for (guint64 e = ev.user_ptr[u]; e < ev.user_ptr[u + 1]; e++)
      {
        guint g2 = labelled ? 1 + ev.domain[e] : 0;
        for (guint g = 0; g <= g2; g += MAX (g2, 1))
          {
            uc[(gsize) g * n_users + u]++;
            ic[(gsize) g * n_items + ev.item[e]]++;
          }
      }
  for (guint g = 0; g < n_groups; g++)
    for (guint i = 0; i < n_items; i++)
      if (ic[(gsize) g * n_items + i])
        add_categories (d, i, cc + (gsize) g * n_cats, ic[(gsize) g * n_items + i]);
  domain_stats_fill (&st->all, "all", "all", uc, n_users, ic, n_items, cc, cats);
  st->labels = g_ptr_array_new_with_free_func ((GDestroyNotify) domain_stats_free);
  for (guint l = 0; labelled && l < n_labels; l++)
    {
      ScalrDomainStats *s = g_new0 (ScalrDomainStats, 1);
      const char *label = scalr_id_map_get_name (labels, l);
      g_autofree char *rule = g_strdup_printf ("domain:%s", label);
      gsize g = 1 + l;
      domain_stats_fill (s, label, rule, uc + g * n_users, n_users, ic + g * n_items, n_items,
                         cc + g * n_cats, cats);
      g_ptr_array_add (st->labels, s);
    }

  if (domains)
    {
      const ScalrDomain *src = scalr_domains_get_source (domains);
      const ScalrDomain *tgt = scalr_domains_get_target (domains);
      st->has_domains = TRUE;
      stats_of_domain (&st->source, d, "source", src);
      stats_of_domain (&st->target, d, "target", tgt);
      st->overlap_users = scalr_domains_get_n_overlap (domains);
      st->filtered_events = scalr_domains_get_n_filtered (domains);
      for (guint u = 0; u < src->matrix->n_rows; u++)
        {
          gboolean s = scalr_csr_row_len (src->matrix, u) > 0;
          gboolean t = scalr_csr_row_len (tgt->matrix, u) > 0;
          st->source_only_users += s && !t;
          st->target_only_users += t && !s;
        }
    }
  return st;
}

void
scalr_dataset_stats_free (ScalrDatasetStats *st)
{
  if (st == NULL)
    return;
  g_free (st->dataset);
  g_free (st->fingerprint);
  domain_stats_clear (&st->all);
  g_ptr_array_unref (st->labels);
  domain_stats_clear (&st->source);
  domain_stats_clear (&st->target);
  g_free (st);
}

static void
add_quantiles (JsonBuilder *b, const char *key, const double q[SCALR_N_QUANTILES])
{
  json_builder_set_member_name (b, key);
  json_builder_begin_object (b);
  for (int k = 0; k < SCALR_N_QUANTILES; k++)
    {
      json_builder_set_member_name (b, quantile_names[k]);
      json_builder_add_double_value (b, isnan (q[k]) ? 0.0 : q[k]);
    }
  json_builder_end_object (b);
}

static void
add_domain (JsonBuilder *b, const ScalrDomainStats *s)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "name");
  json_builder_add_string_value (b, s->name);
  if (s->rule)
    {
      json_builder_set_member_name (b, "rule");
      json_builder_add_string_value (b, s->rule);
    }
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, (gint64) s->events);
  json_builder_set_member_name (b, "users");
  json_builder_add_int_value (b, s->users);
  json_builder_set_member_name (b, "items");
  json_builder_add_int_value (b, s->items);
  json_builder_set_member_name (b, "density");
  json_builder_add_double_value (b, s->density);
  add_quantiles (b, "user_activity", s->user_activity);
  add_quantiles (b, "item_popularity", s->item_popularity);
  json_builder_set_member_name (b, "activity_histogram");
  json_builder_begin_array (b);
  guint last = 0;
  for (guint k = 0; k < SCALR_ACTIVITY_BINS; k++)
    if (s->activity_hist[k])
      last = k + 1;
  for (guint k = 0; k < last; k++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "from");
      json_builder_add_int_value (b, (gint64) 1 << k);
      json_builder_set_member_name (b, "to");
      json_builder_add_int_value (b, ((gint64) 2 << k) - 1);
      json_builder_set_member_name (b, "users");
      json_builder_add_int_value (b, (gint64) s->activity_hist[k]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "top_categories");
  json_builder_begin_array (b);
  for (guint k = 0; s->top_categories && k < s->top_categories->len; k++)
    {
      const ScalrCategoryCount *c = &g_array_index (s->top_categories, ScalrCategoryCount, k);
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, c->name);
      json_builder_set_member_name (b, "events");
      json_builder_add_int_value (b, (gint64) c->events);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);
}

JsonNode *
scalr_dataset_stats_to_json (const ScalrDatasetStats *st)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "dataset");
  json_builder_add_string_value (b, st->dataset);
  json_builder_set_member_name (b, "fingerprint");
  json_builder_add_string_value (b, st->fingerprint);
  json_builder_set_member_name (b, "events");
  json_builder_add_int_value (b, (gint64) st->all.events);
  json_builder_set_member_name (b, "users");
  json_builder_add_int_value (b, st->all.users);
  json_builder_set_member_name (b, "items");
  json_builder_add_int_value (b, st->all.items);
  json_builder_set_member_name (b, "duplicates_merged");
  json_builder_add_int_value (b, (gint64) st->duplicates);
  json_builder_set_member_name (b, "categories");
  json_builder_add_int_value (b, st->n_categories);
  json_builder_set_member_name (b, "has_ratings");
  json_builder_add_boolean_value (b, st->has_ratings);
  json_builder_set_member_name (b, "has_timestamps");
  json_builder_add_boolean_value (b, st->has_timestamps);
  json_builder_set_member_name (b, "all");
  add_domain (b, &st->all);
  json_builder_set_member_name (b, "domain_labels");
  json_builder_begin_array (b);
  for (guint k = 0; k < st->labels->len; k++)
    add_domain (b, g_ptr_array_index (st->labels, k));
  json_builder_end_array (b);
  if (st->has_domains)
    {
      json_builder_set_member_name (b, "source");
      add_domain (b, &st->source);
      json_builder_set_member_name (b, "target");
      add_domain (b, &st->target);
      json_builder_set_member_name (b, "overlap_users");
      json_builder_add_int_value (b, st->overlap_users);
      json_builder_set_member_name (b, "source_only_users");
      json_builder_add_int_value (b, st->source_only_users);
      json_builder_set_member_name (b, "target_only_users");
      json_builder_add_int_value (b, st->target_only_users);
      json_builder_set_member_name (b, "filtered_events");
      json_builder_add_int_value (b, (gint64) st->filtered_events);
    }
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
