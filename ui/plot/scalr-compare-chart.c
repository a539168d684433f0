/* scalr-compare-chart.c — one model's lifts over a set of runs against one config key. */
#include "config.h"

#include "scalr-compare-chart.h"

#include <math.h>
#include <string.h>

#include "scalr-charts.h"
#include "scalr-stats.h"

ScalrPlot *
scalr_compare_chart_new (const char *title, GPtrArray *runs, const ScalrRunSet *set, const ScalrRunSeries *series,
                         const char *key, const char *model, const char *segment, const char *metric, guint k,
                         const char *reference)
{
  g_return_val_if_fail (runs && set && series && key && model && segment && metric && reference, NULL);
  guint n = runs->len;
  g_autofree double *lift = g_new (double, MAX (n, 1)), *lo = g_new (double, MAX (n, 1)), *hi = g_new (double, MAX (n, 1));
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) values = g_ptr_array_new ();
  gboolean flip = !scalr_metric_name_higher_is_better (metric);
  double level = NAN;
  for (guint i = 0; i < n; i++)
    {
      const ScalrRunResults *r = g_ptr_array_index (runs, i);
      const ScalrLiftRow *l = scalr_run_results_lift (r, model, segment, metric, k, reference);
      lift[i] = l ? (flip ? -l->lift : l->lift) : NAN;
      lo[i] = l ? (flip ? -l->ci_high : l->ci_low) : NAN;
      hi[i] = l ? (flip ? -l->ci_low : l->ci_high) : NAN;
      g_ptr_array_add (labels, g_strdup_printf ("Run %" G_GINT64_FORMAT, r->info->id));
      g_ptr_array_add (values, (gpointer) scalr_run_set_get_value (set, i, key));
      if (l && !isfinite (level))
        level = l->level;
    }
  ScalrSweepData d = {
    .series = series, .values = (const char *const *) values->pdata,
    .run_labels = (const char *const *) labels->pdata, .lift = lift, .lo = lo, .hi = hi, .level = level,
  };
  g_autofree char *ml = scalr_metric_label (metric, k);
  g_autofree char *ci = scalr_stats_ci_label (level);
  /* Short, so it stays whole on a narrow window; the page's caption says what is joined. */
  g_autofree char *sub = g_strdup_printf ("%s %s vs the %s baseline, %s users · band: %s, unadjusted",
                                          ml, flip ? "reduction" : "lift",
                                          strcmp (reference, "own") == 0 ? "own" : "strongest", segment, ci);
  const char *dot = strchr (key, '.');
  return scalr_charts_sweep_model (title ? title : model, sub, dot ? dot + 1 : key, model, &d);
}
