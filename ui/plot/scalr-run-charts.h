/* scalr-run-charts.h — the charts of one run's results (loaded by the core's
 * scalr-run-results.h): Cairo only, shared by the review page and the report. */
#pragma once

#include "scalr-plot.h"
#include "scalr-run-results.h"

G_BEGIN_DECLS

/* The lift forest plot of a segment × metric × K: per model a row against its own baseline
 * and one against the strongest baseline of the segment; significant when p_holm < 0.05.
 * For NE (lower is better) the rows show the reduction, so right is better everywhere.
 * NULL when the run has no such lifts. */
ScalrPlot *scalr_run_charts_forest (const ScalrRunResults *results, const char *segment,
                                    const char *metric, guint k) G_GNUC_WARN_UNUSED_RESULT;

/* Every chart of the run, in report order: rank–frequency, activity, popularity buckets,
 * reliability (those the diagnostics allow), then the lift forests at the headline K for
 * Recall on all users and on sparse users (when measured). Returns ScalrPlot* (owned, freed
 * with the array); *out_ids (optional) gets a NULL-terminated file-name-safe id per chart
 * ("rank-frequency", "activity", "buckets", "reliability", "lift-all", "lift-sparse"). */
GPtrArray *scalr_run_charts_all    (const ScalrRunResults *results, GStrv *out_ids)
  G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
