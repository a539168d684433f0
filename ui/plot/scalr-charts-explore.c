/* scalr-charts-explore.c — charts of a set of trials (a sweep's points, a search's trials):
 * parallel coordinates from the parameters to the objective, and one parameter's effect. */
#include "config.h"

#include "scalr-charts.h"

#include <math.h>
#include <string.h>

#include "scalr-format.h"

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

typedef struct {
  gboolean numeric, log;
  double   lo, hi;
  GPtrArray *levels;   /* char*: the distinct values (ordinal axes), borrowed strings */
} ParAxis;

/* Where a value sits on its axis, 0 (bottom) … 1 (top); NaN when it has none. */
static double
axis_pos (const ParAxis *a, const char *value, double number)
{
  if (a->numeric)
    {
      if (!isfinite (number))
        return NAN;
      if (a->hi <= a->lo)
        return 0.5;
      return a->log ? (log (number) - log (a->lo)) / (log (a->hi) - log (a->lo)) : (number - a->lo) / (a->hi - a->lo);
    }
  if (value == NULL)
    return NAN;
  for (guint i = 0; i < a->levels->len; i++)
    if (strcmp (g_ptr_array_index (a->levels, i), value) == 0)
      return a->levels->len == 1 ? 0.5 : (double) i / (a->levels->len - 1);
  return NAN;
}

static void
axis_scan (ParAxis *a, guint n_trials, const char *const *col, gsize stride)
{
  a->numeric = TRUE;
  a->lo = INFINITY;
  a->hi = -INFINITY;
  a->levels = g_ptr_array_new ();
  for (guint t = 0; t < n_trials; t++)
    {
      const char *v = col[(gsize) t * stride];
      double x;
      if (v == NULL)
        continue;
      if (as_number (v, &x))
        {
          a->lo = MIN (a->lo, x);
          a->hi = MAX (a->hi, x);
        }
      else
        a->numeric = FALSE;
      gboolean seen = FALSE;
      for (guint i = 0; i < a->levels->len && !seen; i++)
        seen = strcmp (g_ptr_array_index (a->levels, i), v) == 0;
      if (!seen)
        g_ptr_array_add (a->levels, (gpointer) v);
    }
  /* Spans of more than a decade of positive values read on a log scale. */
  a->log = a->numeric && a->lo > 0 && a->hi / a->lo > 10;
  g_ptr_array_sort (a->levels, (GCompareFunc) g_strcmp0);
}

/* The ends of every axis as small labels at its bottom and top. */
static char *
format_objective (double v, gboolean lift)
{
  return lift ? scalr_format_lift (v) : scalr_format_metric (v);
}

static void
add_axis_labels (ScalrPlot *plot, const ParAxis *axes, guint n_axes, gboolean lift, double obj_lo, double obj_hi)
{
  g_autofree double *x = g_new (double, 2 * n_axes), *y = g_new (double, 2 * n_axes);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  for (guint a = 0; a < n_axes; a++)
    {
      x[2 * a] = x[2 * a + 1] = a;
      y[2 * a] = 0;
      y[2 * a + 1] = 1;
      const ParAxis *ax = &axes[a];
      if (a == n_axes - 1)
        {
          g_ptr_array_add (notes, format_objective (obj_lo, lift));
          g_ptr_array_add (notes, format_objective (obj_hi, lift));
        }
      else if (ax->numeric)
        {
          g_ptr_array_add (notes, scalr_format_value (ax->lo, 3));
          g_ptr_array_add (notes, scalr_format_value (ax->hi, 3));
        }
      else
        {
          g_ptr_array_add (notes, g_strdup (ax->levels->len ? g_ptr_array_index (ax->levels, 0) : ""));
          g_ptr_array_add (notes, g_strdup (ax->levels->len ? g_ptr_array_index (ax->levels, ax->levels->len - 1) : ""));
        }
    }
  g_ptr_array_add (notes, NULL);
  guint s = scalr_plot_add_points (plot, NULL, SCALR_PLOT_COLOR_NEUTRAL, 2 * n_axes, x, y);
  scalr_plot_series_set_annotations (plot, s, (const char *const *) notes->pdata);
}

ScalrPlot *
scalr_charts_parallel (const char *title, guint n_keys, const char *const *keys, guint n_trials,
                       const char *const *values, const double *objective, const char *objective_label, gboolean lift)
{
  g_return_val_if_fail (n_keys == 0 || keys != NULL, NULL);
  g_return_val_if_fail (n_trials == 0 || (values != NULL && objective != NULL), NULL);
  ScalrPlot *plot = scalr_plot_new (title ? title : "Trials: settings → objective");
  guint n_axes = n_keys + 1;
  g_autoptr (GPtrArray) cats = g_ptr_array_new ();
  for (guint k = 0; k < n_keys; k++)
    g_ptr_array_add (cats, (gpointer) (strchr (keys[k], '.') ? strchr (keys[k], '.') + 1 : keys[k]));
  g_ptr_array_add (cats, (gpointer) objective_label);
  scalr_plot_set_categories (plot, n_axes, (const char *const *) cats->pdata);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, NULL, NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "each axis, lowest to highest", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_Y, -0.05, 1.05);
  g_autofree ParAxis *axes = g_new0 (ParAxis, n_axes);
  for (guint k = 0; k < n_keys; k++)
    axis_scan (&axes[k], n_trials, values + k, n_keys);
  double olo = INFINITY, ohi = -INFINITY;
  for (guint t = 0; t < n_trials; t++)
    if (isfinite (objective[t]))
      {
        olo = MIN (olo, objective[t]);
        ohi = MAX (ohi, objective[t]);
      }
  axes[n_keys].numeric = TRUE;
  axes[n_keys].lo = olo;
  axes[n_keys].hi = ohi;
  axes[n_keys].levels = g_ptr_array_new ();
  /* The axes' end labels first: a trial's line drawn later wins the hover where they meet. */
  if (n_trials > 0 && isfinite (olo))
    add_axis_labels (plot, axes, n_axes, lift, olo, ohi);
  /* Colour by the objective's third: the best trials stand out. */
  static const struct { const char *name; ScalrPlotColor color; } tiers[] = {
    { "lowest third", SCALR_PLOT_COLOR_VERMILLION }, { "middle third", SCALR_PLOT_COLOR_NEUTRAL },
    { "highest third", SCALR_PLOT_COLOR_BLUE },
  };
  gboolean named[3] = { FALSE, FALSE, FALSE };
  g_autofree double *x = g_new (double, n_axes), *y = g_new (double, n_axes);
  for (guint t = 0; t < n_trials; t++)
    {
      if (!isfinite (objective[t]))
        continue;
      GString *hover = g_string_new (NULL);
      g_string_append_printf (hover, "trial %u:", t + 1);
      for (guint k = 0; k < n_keys; k++)
        {
          const char *v = values[(gsize) t * n_keys + k];
          double num = NAN;
          as_number (v, &num);
          x[k] = k;
          y[k] = axis_pos (&axes[k], v, num);
          g_string_append_printf (hover, " %s=%s", (char *) g_ptr_array_index (cats, k), v ? v : SCALR_FORMAT_MISSING);
        }
      x[n_keys] = n_keys;
      y[n_keys] = axis_pos (&axes[n_keys], NULL, objective[t]);
      g_autofree char *ov = format_objective (objective[t], lift);
      g_string_append_printf (hover, " → %s", ov);
      guint tier = ohi > olo ? (guint) MIN (2, floor (3 * (objective[t] - olo) / (ohi - olo))) : 2;
      guint s = scalr_plot_add_line (plot, named[tier] ? NULL : tiers[tier].name, tiers[tier].color, n_axes, x, y);
      named[tier] = TRUE;
      g_autoptr (GPtrArray) texts = g_ptr_array_new ();
      for (guint a = 0; a < n_axes; a++)
        g_ptr_array_add (texts, hover->str);
      g_ptr_array_add (texts, NULL);
      scalr_plot_series_set_hover_texts (plot, s, (const char *const *) texts->pdata);
      g_string_free (hover, TRUE);
    }
  for (guint a = 0; a < n_axes; a++)
    g_ptr_array_unref (axes[a].levels);
  scalr_plot_set_subtitle (plot, "one line per trial through its settings to its objective; every axis runs from its "
                                 "lowest value (bottom) to its highest (top); log scale for a span over a decade");
  return plot;
}

ScalrPlot *
scalr_charts_effect (const ScalrEffect *effect, const char *objective_label, gboolean lift)
{
  g_return_val_if_fail (effect != NULL, NULL);
  const char *key = strchr (effect->key, '.') ? strchr (effect->key, '.') + 1 : effect->key;
  ScalrPlot *plot = scalr_plot_new (key);
  g_autofree char *spread = lift ? scalr_format_lift (effect->spread) : scalr_format_metric (effect->spread);
  g_autofree char *sub = g_strdup_printf ("%s · mean per value, bar: range · means %s apart", objective_label,
                                          spread);
  scalr_plot_set_subtitle (plot, sub);
  guint n = effect->levels->len;
  g_autoptr (GPtrArray) cats = g_ptr_array_new ();
  for (guint l = 0; l < n; l++)
    g_ptr_array_add (cats, g_array_index (effect->levels, ScalrEffectLevel, l).value);
  scalr_plot_set_categories (plot, n, (const char *const *) cats->pdata);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, key, NULL, SCALR_AXIS_LINEAR);
  /* The objective is named in the subtitle; the axis says only what it is. */
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, lift ? "lift" : "score", lift ? "%" : NULL, SCALR_AXIS_LINEAR);
  if (lift)
    scalr_plot_add_reference (plot, SCALR_PLOT_AXIS_Y, 0);
  double scale = lift ? 100 : 1;
  g_autofree double *x = g_new (double, n), *y = g_new (double, n);
  g_autoptr (GPtrArray) hover = g_ptr_array_new_with_free_func (g_free);
  for (guint l = 0; l < n; l++)
    {
      const ScalrEffectLevel *lv = &g_array_index (effect->levels, ScalrEffectLevel, l);
      x[l] = l;
      y[l] = scale * lv->mean;
      /* The range as a vertical bar. */
      if (isfinite (lv->lo) && isfinite (lv->hi))
        {
          double bx[2] = { l, l }, by[2] = { scale * lv->lo, scale * lv->hi };
          scalr_plot_add_line (plot, l == 0 ? "range" : NULL, SCALR_PLOT_COLOR_NEUTRAL, 2, bx, by);
        }
      g_autofree char *m = format_objective (lv->mean, lift);
      g_autofree char *a = format_objective (lv->lo, lift), *b = format_objective (lv->hi, lift);
      g_ptr_array_add (hover, g_strdup_printf ("%s = %s: mean %s (%s to %s) over %u trial%s", key, lv->value, m, a, b,
                                               lv->n, lv->n == 1 ? "" : "s"));
    }
  g_ptr_array_add (hover, NULL);
  guint s = scalr_plot_add_points (plot, "mean", SCALR_PLOT_COLOR_BLUE, n, x, y);
  scalr_plot_series_set_hover_texts (plot, s, (const char *const *) hover->pdata);
  return plot;
}
