/* scalr-charts.h — the workbench's charts, built from prepared results.
 *
 * Each builder turns results the core already computed (ScalrDiagnostics, lifts) into a
 * ScalrPlot ready to draw: titles, axes with units, series in the conventional colours (real
 * data blue, synthetic vermillion), hover texts with exact values. Builders copy what they
 * need; the inputs may be freed afterwards. */
#pragma once

#include "scalr-plot.h"
#include "scalr-effects.h"
#include "scalr-run-set.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

/* Item rank–frequency, log–log: events per item against item rank, real vs synthetic.
 * Never NULL (an empty chart when there are no curves). */
ScalrPlot *scalr_charts_rank_frequency (const ScalrDiagnostics *diag) G_GNUC_WARN_UNUSED_RESULT;

/* User activity histograms: users per activity bin [2^b, 2^(b+1)) on a log2 axis, real vs
 * synthetic. Never NULL. */
ScalrPlot *scalr_charts_activity (const ScalrDiagnostics *diag) G_GNUC_WARN_UNUSED_RESULT;

/* Popularity-bucket shares in percent, grouped bars (bucket 1 = head … B = tail), real vs
 * synthetic. NULL when n_buckets = 0. */
ScalrPlot *scalr_charts_buckets (const ScalrDiagnostics *diag) G_GNUC_WARN_UNUSED_RESULT;

/* Category mix: the share of target events per item category (the 8 with most real
 * events), grouped bars real vs synthetic. NULL without a category mix (no item metadata). */
ScalrPlot *scalr_charts_category_mix (const ScalrDiagnostics *diag) G_GNUC_WARN_UNUSED_RESULT;

/* The colour of a downstream model, the same on every chart and in both themes (pop black,
 * itemknn orange, ials green, bpr purple, ease blue; others sky, vermillion or yellow). */
ScalrPlotColor scalr_charts_model_color (const char *model);

/* Reliability diagram: observed frequency against mean predicted probability per
 * calibration bin (empty bins skipped), with the diagonal and each bin's count.
 * NULL when n_calibration = 0. */
ScalrPlot *scalr_charts_reliability (const ScalrDiagnostics *diag) G_GNUC_WARN_UNUSED_RESULT;

/* Lift forest plot: one row per entry, top to bottom (lifts as fractions, drawn in percent
 * on the x axis "lift (%)"), a reference line at 0, significant rows filled and coloured by
 * sign. @title may be NULL ("Lift over baseline"). */
ScalrPlot *scalr_charts_forest (const char *title, const ScalrForestRow *rows, guint n)
  G_GNUC_WARN_UNUSED_RESULT;

/* Sweep: lift (fraction, drawn in percent) against a swept parameter @param, as a line with
 * points and its CI band at @level (lo/hi may hold NaN where there is no interval), a
 * reference line at 0; @log_x for parameters swept over orders of magnitude (x > 0). @title
 * may be NULL. */
ScalrPlot *scalr_charts_sweep (const char *title, const char *param, guint n, const double *x,
                               const double *lift, const double *lo, const double *hi,
                               double level, gboolean log_x) G_GNUC_WARN_UNUSED_RESULT;

/* One model's lifts over a set of runs drawn against one config key (Compare's small
 * multiples, the sweep report). Lines join only the runs a ScalrRunSeries puts on a line
 * (equal in every other key), each with its CI band; the other runs are unconnected grey
 * points. The x axis is ordinal: one tick per distinct value of the key, at the value
 * itself ("0.5", "1", "2", "4"; integers stay integers). Arrays are per run index of the
 * series' set. */
typedef struct {
  const ScalrRunSeries *series;
  const char *const    *values;      /* the key's value per run (NULL: none) */
  const char *const    *run_labels;  /* "Run 12" per run */
  const double         *lift, *lo, *hi;   /* fractions; NaN where the run has no such lift */
  double                level;       /* of the intervals (NaN: unknown, "CI") */
} ScalrSweepData;

ScalrPlot *scalr_charts_sweep_model (const char *title, const char *subtitle, const char *param,
                                     const char *model, const ScalrSweepData *data) G_GNUC_WARN_UNUSED_RESULT;
/* Parallel coordinates of trials: an axis per key (numbers scaled from their lowest to their
 * highest value, log when they span over a decade; other values in text order) and one for
 * the objective, a line per trial coloured by the objective's third. @values: n_trials ×
 * n_keys strings row by row (NULL: none); @objective: one per trial (NaN: left out); @lift:
 * the objective is a relative lift (shown in percent) rather than a metric value. */
ScalrPlot *scalr_charts_parallel (const char *title, guint n_keys, const char *const *keys, guint n_trials,
                                  const char *const *values, const double *objective,
                                  const char *objective_label, gboolean lift) G_GNUC_WARN_UNUSED_RESULT;
/* One parameter's effect (scalr-effects.h): the objective's mean per value with its range
 * as a bar; ordinal ticks at the values. */
ScalrPlot *scalr_charts_effect (const ScalrEffect *effect, const char *objective_label, gboolean lift)
  G_GNUC_WARN_UNUSED_RESULT;

/* The distinct values of the series' key in axis order (numeric order when they are all
 * numbers, else text order), NULL-terminated (owned). */
GStrv      scalr_charts_sweep_categories (const ScalrSweepData *data) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
