/* scalr-lift-table.c — finding and selecting lift rows, the headline, per-user changes. */
#include "config.h"

#include "scalr-lift-table.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-format.h"
#include "scalr-stats.h"

guint
scalr_headline_k (const guint *ks, guint n)
{
  guint best = 0;
  for (guint j = 0; j < n; j++)
    {
      guint k = ks[j];
      if (k == 0)
        continue;
      guint d = (guint) abs ((int) k - SCALR_HEADLINE_K), bd = (guint) abs ((int) best - SCALR_HEADLINE_K);
      if (best == 0 || d < bd || (d == bd && k < best))
        best = k;
    }
  return best;
}

const ScalrLiftRow *
scalr_lifts_find (const ScalrLiftRow *rows, guint n, const char *model, const char *segment,
                  const char *metric, guint k, const char *reference)
{
  for (guint i = 0; i < n; i++)
    {
      const ScalrLiftRow *l = &rows[i];
      if (l->k == k && g_strcmp0 (l->model, model) == 0 && g_strcmp0 (l->segment, segment) == 0
          && g_strcmp0 (l->metric, metric) == 0 && scalr_lift_row_is_reference (l, reference))
        return l;
    }
  return NULL;
}

GPtrArray *
scalr_lifts_select (const ScalrLiftRow *rows, guint n, const char *segment, const char *metric, guint k,
                    const char *reference)
{
  GPtrArray *out = g_ptr_array_new ();
  for (guint i = 0; i < n; i++)
    {
      const ScalrLiftRow *l = &rows[i];
      if ((segment && g_strcmp0 (l->segment, segment) != 0) || (metric && g_strcmp0 (l->metric, metric) != 0))
        continue;
      if (l->k != 0 && l->k != k)
        continue;
      if (reference && !scalr_lift_row_is_reference (l, reference))
        continue;
      g_ptr_array_add (out, (gpointer) l);
    }
  return out;
}

guint
scalr_lifts_headline_k (const ScalrLiftRow *rows, guint n, const char *metric)
{
  g_autoptr (GArray) ks = g_array_new (FALSE, FALSE, sizeof (guint));
  for (guint i = 0; i < n; i++)
    if (g_strcmp0 (rows[i].metric, metric) == 0)
      g_array_append_val (ks, rows[i].k);
  return scalr_headline_k ((const guint *) ks->data, ks->len);
}

gboolean
scalr_lifts_find_headline (const ScalrLiftRow *rows, guint n, ScalrHeadline *out)
{
  g_return_val_if_fail (out != NULL, FALSE);
  memset (out, 0, sizeof *out);
  static const char *const segments[] = { "sparse", "all" };
  guint k = scalr_lifts_headline_k (rows, n, "recall");
  if (k == 0)
    return FALSE;
  for (guint s = 0; s < G_N_ELEMENTS (segments); s++)
    {
      const ScalrLiftRow *best = NULL;
      for (guint i = 0; i < n; i++)
        {
          const ScalrLiftRow *l = &rows[i];
          if (l->k != k || g_strcmp0 (l->segment, segments[s]) != 0 || g_strcmp0 (l->metric, "recall") != 0
              || !scalr_lift_row_is_reference (l, "strongest") || !isfinite (l->lift) || !isfinite (l->aug_mean))
            continue;
          if (best == NULL || l->aug_mean > best->aug_mean)
            best = l;
        }
      if (best == NULL)
        continue;
      out->strongest = best;
      out->own = scalr_lifts_find (rows, n, best->model, segments[s], "recall", k, "own");
      out->segment = segments[s];
      out->k = k;
      return TRUE;
    }
  return FALSE;
}

char *
scalr_lift_format_short (const ScalrLiftRow *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  g_autofree char *lift = scalr_format_lift (l->lift);
  if (!isfinite (l->ci_low) || !isfinite (l->ci_high))
    return g_steal_pointer (&lift);
  g_autofree char *ci = scalr_format_lift_ci (l->ci_low, l->ci_high);
  return g_strdup_printf ("%s %s", lift, ci);
}

char *
scalr_lift_format (const ScalrLiftRow *l)
{
  g_return_val_if_fail (l != NULL, NULL);
  g_autofree char *lift = scalr_format_lift (l->lift);
  if (!isfinite (l->ci_low) || !isfinite (l->ci_high))
    return g_strdup_printf ("%s vs %s", lift, l->baseline_model);
  g_autofree char *ci = scalr_format_lift_ci (l->ci_low, l->ci_high);
  return g_strdup_printf ("%s %s vs %s", lift, ci, l->baseline_model);
}

char *
scalr_headline_format (const ScalrHeadline *h)
{
  g_return_val_if_fail (h != NULL && h->strongest != NULL, NULL);
  const ScalrLiftRow *l = h->strongest;
  g_autofree char *one = scalr_lift_format (l);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s %s", l->model, one);
  if (h->own && g_strcmp0 (h->own->baseline_model, l->baseline_model) != 0)
    {
      g_autofree char *own = scalr_format_lift (h->own->lift);
      g_string_append_printf (s, " · own %s", own);
    }
  return g_string_free (s, FALSE);
}

char *
scalr_headline_describe (const ScalrHeadline *h)
{
  g_return_val_if_fail (h != NULL && h->strongest != NULL, NULL);
  const ScalrLiftRow *l = h->strongest;
  g_autofree char *base = scalr_format_metric (l->base_mean);
  g_autofree char *aug = scalr_format_metric (l->aug_mean);
  g_autofree char *lev = scalr_stats_ci_label (l->level);
  g_autofree char *p = scalr_format_p (l->p_holm);
  g_autofree char *users = scalr_format_count (l->n_users);
  GString *s = g_string_new (NULL);
  g_string_append_printf (s, "%s users, Recall@%u: %s trained with synthetic events (%s) against the strongest "
                          "real-only model, %s (%s); %s by paired bootstrap (not adjusted for multiple "
                          "comparisons); Holm-adjusted p %s; %s users.",
                          h->segment, h->k, l->model, aug, l->baseline_model, base, lev, p, users);
  if (l->note)
    g_string_append_printf (s, " %s.", l->note);
  if (h->own == l)
    g_string_append (s, " It is also the model's own baseline.");
  else if (h->own)
    {
      g_autofree char *own = scalr_format_lift (h->own->lift);
      g_autofree char *own_base = scalr_format_metric (h->own->base_mean);
      g_string_append_printf (s, " Against its own baseline (%s, %s): %s.", h->own->baseline_model, own_base, own);
    }
  return g_string_free (s, FALSE);
}

/* ---- per-user changes ------------------------------------------------------------------ */

typedef struct {
  const char *metric;
  guint       k;
  GHashTable *by_model;   /* model → GHashTable user → ScalrUserDelta* (while collecting) */
} DeltaCtx;

static void
collect_user_metric (const char *model, const char *variant, const char *metric, guint k, const guint32 *users,
                     const double *values, guint n, gpointer data)
{
  DeltaCtx *ctx = data;
  gboolean base = g_strcmp0 (variant, "baseline") == 0, aug = g_strcmp0 (variant, "augmented") == 0;
  if (k != ctx->k || g_strcmp0 (metric, ctx->metric) != 0 || !(base || aug))
    return;
  GHashTable *users_of = g_hash_table_lookup (ctx->by_model, model);
  if (users_of == NULL)
    {
      users_of = g_hash_table_new_full (NULL, NULL, NULL, g_free);
      g_hash_table_insert (ctx->by_model, g_strdup (model), users_of);
    }
  for (guint i = 0; i < n; i++)
    {
      ScalrUserDelta *d = g_hash_table_lookup (users_of, GUINT_TO_POINTER (users[i]));
      if (d == NULL)
        {
          d = g_new (ScalrUserDelta, 1);
          d->user = users[i];
          d->base = d->aug = NAN;
          g_hash_table_insert (users_of, GUINT_TO_POINTER (users[i]), d);
        }
      if (base)
        d->base = values[i];
      else
        d->aug = values[i];
    }
}

static int
cmp_delta_user (gconstpointer a, gconstpointer b)
{
  guint32 x = ((const ScalrUserDelta *) a)->user, y = ((const ScalrUserDelta *) b)->user;
  return x < y ? -1 : x > y;
}

GHashTable *
scalr_lifts_load_user_deltas (ScalrStore *store, gint64 run_id, const char *metric, guint k, GError **error)
{
  g_return_val_if_fail (store != NULL && metric != NULL, NULL);
  DeltaCtx ctx = { metric, k, g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                     (GDestroyNotify) g_hash_table_unref) };
  if (!scalr_store_foreach_user_metrics (store, run_id, collect_user_metric, &ctx, error))
    {
      g_hash_table_unref (ctx.by_model);
      return NULL;
    }
  GHashTable *out = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_array_unref);
  GHashTableIter it;
  gpointer model, users_of;
  g_hash_table_iter_init (&it, ctx.by_model);
  while (g_hash_table_iter_next (&it, &model, &users_of))
    {
      GArray *arr = g_array_sized_new (FALSE, FALSE, sizeof (ScalrUserDelta), g_hash_table_size (users_of));
      GHashTableIter u;
      gpointer d;
      g_hash_table_iter_init (&u, users_of);
      while (g_hash_table_iter_next (&u, NULL, &d))
        g_array_append_vals (arr, d, 1);
      g_array_sort (arr, cmp_delta_user);
      g_hash_table_insert (out, g_strdup (model), arr);
    }
  g_hash_table_unref (ctx.by_model);
  return out;
}

const ScalrUserDelta *
scalr_user_deltas_find (GArray *deltas, guint32 user)
{
  if (deltas == NULL)
    return NULL;
  guint lo = 0, hi = deltas->len;
  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      guint32 u = g_array_index (deltas, ScalrUserDelta, mid).user;
      if (u == user)
        return &g_array_index (deltas, ScalrUserDelta, mid);
      if (u < user)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}
