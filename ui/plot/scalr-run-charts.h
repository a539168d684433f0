/* scalr-run-charts.h — the charts of one run's results (loaded by the core's
 * scalr-run-results.h): Cairo only, shared by the review page and the report. */
#pragma once

#include "scalr-plot.h"
#include "scalr-run-results.h"

G_BEGIN_DECLS

/* The lift forest plot of a segment × metric × K against @reference ("strongest": the
 * strongest real-only model of the segment; "own": each model's own baseline), one row per
 * model; significant when p_holm < 0.05; intervals at the stored level, said to be
 * unadjusted. For NE (lower is better) the rows show the reduction, so right is better
 * everywhere. NULL when the run has no such lifts. */
ScalrPlot *scalr_run_charts_forest (const ScalrRunResults *results, const char *segment,
                                    const char *metric, guint k, const char *reference)
  G_GNUC_WARN_UNUSED_RESULT;

/* Every chart of the run, in report order: rank–frequency, activity, popularity buckets,
 * reliability, category mix (those the diagnostics allow), then the lift forests at the
 * headline K for Recall on sparse users and on all users (when measured), each against the
 * strongest baseline and then the own one. Returns ScalrPlot* (owned, freed with the
 * array); *out_ids (optional) gets a NULL-terminated file-name-safe id per chart
 * ("rank-frequency", "activity", "buckets", "reliability", "categories", "lift-sparse",
 * "lift-sparse-own", "lift-all", "lift-all-own"). */
GPtrArray *scalr_run_charts_all    (const ScalrRunResults *results, GStrv *out_ids)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
