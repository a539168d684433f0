/* scalr-effects.c — the objective per parameter value over a set of trials. */
#include "config.h"

#include "scalr-effects.h"

#include <math.h>
#include <string.h>

void
scalr_effect_free (ScalrEffect *e)
{
  if (e == NULL)
    return;
  for (guint i = 0; i < e->levels->len; i++)
    g_free (g_array_index (e->levels, ScalrEffectLevel, i).value);
  g_array_unref (e->levels);
  g_free (e->key);
  g_free (e);
}

static gboolean
as_number (const char *s, double *out)
{
  if (s == NULL || *s == '\0')
    return FALSE;
  char *end = NULL;
  double v = g_ascii_strtod (s, &end);
  if (*end != '\0' || !isfinite (v))
    return FALSE;
  *out = v;
  return TRUE;
}

static int
cmp_numeric (gconstpointer a, gconstpointer b)
{
  double x = 0, y = 0;
  as_number (((const ScalrEffectLevel *) a)->value, &x);
  as_number (((const ScalrEffectLevel *) b)->value, &y);
  return x < y ? -1 : x > y;
}

static int
cmp_text (gconstpointer a, gconstpointer b)
{
  return strcmp (((const ScalrEffectLevel *) a)->value, ((const ScalrEffectLevel *) b)->value);
}

/* The levels of key @k: one per distinct value, with the objective's summary. */
static ScalrEffect *
effect_of (guint n_trials, guint n_keys, guint k, const char *key, const char *const *values,
           const double *objective, const double *lo, const double *hi)
{
  ScalrEffect *e = g_new0 (ScalrEffect, 1);
  e->key = g_strdup (key);
  e->levels = g_array_new (FALSE, TRUE, sizeof (ScalrEffectLevel));
  e->numeric = TRUE;
  for (guint t = 0; t < n_trials; t++)
    {
      const char *v = values[(gsize) t * n_keys + k];
      if (v == NULL)
        continue;
      double x;
      e->numeric &= as_number (v, &x);
      guint l = 0;
      while (l < e->levels->len && strcmp (g_array_index (e->levels, ScalrEffectLevel, l).value, v) != 0)
        l++;
      if (l == e->levels->len)
        {
          ScalrEffectLevel level = { g_strdup (v), 0, 0, 0, INFINITY, -INFINITY };
          g_array_append_val (e->levels, level);
        }
    }
  for (guint l = 0; l < e->levels->len; l++)
    {
      ScalrEffectLevel *lv = &g_array_index (e->levels, ScalrEffectLevel, l);
      double sum = 0, sq = 0;
      gint last = -1;
      for (guint t = 0; t < n_trials; t++)
        {
          const char *v = values[(gsize) t * n_keys + k];
          if (v == NULL || strcmp (v, lv->value) != 0 || !isfinite (objective[t]))
            continue;
          lv->n++;
          sum += objective[t];
          lv->lo = MIN (lv->lo, objective[t]);
          lv->hi = MAX (lv->hi, objective[t]);
          last = (gint) t;
        }
      lv->mean = lv->n ? sum / lv->n : NAN;
      for (guint t = 0; t < n_trials && lv->n > 1; t++)
        {
          const char *v = values[(gsize) t * n_keys + k];
          if (v && strcmp (v, lv->value) == 0 && isfinite (objective[t]))
            sq += (objective[t] - lv->mean) * (objective[t] - lv->mean);
        }
      lv->sd = lv->n > 1 ? sqrt (sq / (lv->n - 1)) : NAN;
      if (lv->n == 1 && lo && hi && isfinite (lo[last]) && isfinite (hi[last]))
        {
          lv->lo = lo[last];
          lv->hi = hi[last];
        }
      if (lv->n == 0)
        lv->lo = lv->hi = NAN;
    }
  g_array_sort (e->levels, e->numeric ? cmp_numeric : cmp_text);
  double mn = INFINITY, mx = -INFINITY;
  for (guint l = 0; l < e->levels->len; l++)
    {
      double m = g_array_index (e->levels, ScalrEffectLevel, l).mean;
      if (isfinite (m))
        {
          mn = MIN (mn, m);
          mx = MAX (mx, m);
        }
    }
  e->spread = mx >= mn ? mx - mn : 0;
  return e;
}

static int
cmp_spread (gconstpointer a, gconstpointer b)
{
  const ScalrEffect *x = *(ScalrEffect **) a, *y = *(ScalrEffect **) b;
  return x->spread > y->spread ? -1 : x->spread < y->spread;
}

GPtrArray *
scalr_effects_compute (guint n_trials, guint n_keys, const char *const *keys, const char *const *values,
                       const double *objective, const double *lo, const double *hi)
{
  g_return_val_if_fail (n_keys == 0 || keys != NULL, NULL);
  g_return_val_if_fail (n_trials == 0 || (values != NULL && objective != NULL), NULL);
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_effect_free);
  for (guint k = 0; k < n_keys; k++)
    {
      ScalrEffect *e = effect_of (n_trials, n_keys, k, keys[k], values, objective, lo, hi);
      if (e->levels->len < 2)
        scalr_effect_free (e);
      else
        g_ptr_array_add (out, e);
    }
  /* g_ptr_array_sort is stable (GLib ≥ 2.32): ties keep key order. */
  g_ptr_array_sort (out, cmp_spread);
  return out;
}
