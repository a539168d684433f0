/* scalr-compare-chart.h — one model's lifts over a set of runs against one config key: the
 * chart the Compare page shows per model and the comparison report prints (one builder for
 * both, so the page and the PDF say the same). */
#pragma once

#include "scalr-plot.h"
#include "scalr-run-results.h"
#include "scalr-run-set.h"

G_BEGIN_DECLS

/* @runs: ScalrRunResults* in the order of @set; @series: @set's series along @key (lines
 * join only runs equal in every other key). The lift of @model against @reference ("own" or
 * "strongest") in @segment × @metric@@k, flipped for lower-is-better metrics, with its CI band
 * at the stored level. @title NULL: the model's name. Returns a new plot (never NULL). */
ScalrPlot *scalr_compare_chart_new (const char *title, GPtrArray *runs, const ScalrRunSet *set,
                                    const ScalrRunSeries *series, const char *key, const char *model,
                                    const char *segment, const char *metric, guint k,
                                    const char *reference) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
