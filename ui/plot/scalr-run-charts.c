/* scalr-run-charts.c — the charts of one run's results. */
#include "config.h"

#include "scalr-run-charts.h"

#include <math.h>

#include "scalr-charts.h"
#include "scalr-stats.h"

/* "all tested users", "sparse users" … for a title; an unknown name as it is (owned). */
static char *
segment_words (const char *segment)
{
  ScalrSegment s;
  return scalr_segment_from_string (segment, &s) ? g_utf8_strdown (scalr_segment_get_label (s), -1)
                                                 : g_strdup (segment);
}

ScalrPlot *
scalr_run_charts_forest (const ScalrRunResults *r, const char *segment, const char *metric, guint k,
                         const char *reference)
{
  g_return_val_if_fail (r != NULL && segment != NULL && metric != NULL && reference != NULL, NULL);
  gboolean flip = !scalr_metric_name_higher_is_better (metric);
  gboolean strongest = g_strcmp0 (reference, "strongest") == 0;
  g_autoptr (GArray) rows = g_array_new (FALSE, TRUE, sizeof (ScalrForestRow));
  g_autoptr (GPtrArray) labels = g_ptr_array_new_with_free_func (g_free);
  for (guint m = 0; m < r->models->len; m++)
    {
      const char *model = g_ptr_array_index (r->models, m);
      const ScalrLiftRow *l = scalr_run_results_lift (r, model, segment, metric, k, reference);
      if (l == NULL)
        continue;
      /* One row per comparison: an own row may also be the strongest baseline's. */
      char *label = l->also_strongest ? g_strdup_printf ("%s (own = the strongest)", model)
                    : strongest && g_strcmp0 (l->baseline_model, model) != 0
                      ? g_strdup_printf ("%s (vs %s)", model, l->baseline_model)
                    : g_strdup (model);
      g_ptr_array_add (labels, label);
      ScalrForestRow row = {
        .label = label,
        .lift = flip ? -l->lift : l->lift,
        .lo = flip ? -l->ci_high : l->ci_low,
        .hi = flip ? -l->ci_low : l->ci_high,
        .p = l->p_holm,
        .significant = isfinite (l->p_holm) && l->p_holm < SCALR_SIGNIFICANCE_LEVEL,
        .level = l->level,
      };
      g_array_append_val (rows, row);
    }
  if (rows->len == 0)
    return NULL;
  g_autofree char *mlabel = scalr_metric_label (metric, k);
  g_autofree char *words = segment_words (segment);
  const char *against = strongest ? "against the strongest real-only model" : "against each model's own baseline";
  g_autofree char *title = flip ? g_strdup_printf ("%s reduction, %s, %s (right is better)", mlabel, words, against)
                                : g_strdup_printf ("%s lift, %s, %s", mlabel, words, against);
  ScalrPlot *plot = scalr_charts_forest (title, (const ScalrForestRow *) rows->data, rows->len);
  g_autofree char *ci = scalr_stats_ci_label (scalr_run_results_level (r));
  /* Short enough for two lines of a half-width chart. */
  g_autofree char *sub = g_strdup_printf ("augmented vs baseline, with its paired-bootstrap %s (not adjusted "
                                          "for multiple comparisons) · filled: significant after Holm (p < 0.05)%s",
                                          ci, strongest ? "" : " · flatters cold users (their own baseline is "
                                                               "near random)");
  scalr_plot_set_subtitle (plot, sub);
  return plot;
}

GPtrArray *
scalr_run_charts_all (const ScalrRunResults *r, GStrv *out_ids)
{
  g_return_val_if_fail (r != NULL, NULL);
  GPtrArray *plots = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_plot_free);
  g_autoptr (GStrvBuilder) ids = g_strv_builder_new ();
  if (r->diag)
    {
      g_ptr_array_add (plots, scalr_charts_rank_frequency (r->diag));
      g_strv_builder_add (ids, "rank-frequency");
      g_ptr_array_add (plots, scalr_charts_activity (r->diag));
      g_strv_builder_add (ids, "activity");
      ScalrPlot *p = scalr_charts_buckets (r->diag);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, "buckets");
        }
      p = scalr_charts_reliability (r->diag);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, "reliability");
        }
    }
  if (r->diag)
    {
      ScalrPlot *p = scalr_charts_category_mix (r->diag);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, "categories");
        }
    }
  /* The honest reading first: sparse users against the strongest real-only model. */
  static const struct { ScalrSegment segment; const char *reference, *id; } forests[] = {
    { SCALR_SEGMENT_SPARSE, "strongest", "lift-sparse" }, { SCALR_SEGMENT_SPARSE, "own", "lift-sparse-own" },
    { SCALR_SEGMENT_ALL, "strongest", "lift-all" }, { SCALR_SEGMENT_ALL, "own", "lift-all-own" },
  };
  for (guint f = 0; f < G_N_ELEMENTS (forests) && r->headline_k > 0; f++)
    {
      ScalrPlot *p = scalr_run_charts_forest (r, scalr_segment_to_string (forests[f].segment),
                                              scalr_metric_to_string (SCALR_METRIC_RECALL), r->headline_k,
                                              forests[f].reference);
      if (p)
        {
          g_ptr_array_add (plots, p);
          g_strv_builder_add (ids, forests[f].id);
        }
    }
  if (out_ids)
    *out_ids = g_strv_builder_end (ids);
  return plots;
}
