/* scalr-run-results.h — everything the review page and the report show about one run, read
 * from the store in one go (so a worker thread can load it and the main thread only reads),
 * and the charts built from it.
 *
 * Cairo only (no GTK): the GUI's review and compare pages and the CLI's report share it. */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-plot.h"
#include "scalr-store.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

#define SCALR_RUN_RESULTS_ERROR (scalr_run_results_error_quark ())
GQuark scalr_run_results_error_quark (void);

typedef enum {
  SCALR_RUN_RESULTS_ERROR_NOT_FINISHED,   /* the run has no results (running, failed …) */
  SCALR_RUN_RESULTS_ERROR_INVALID,        /* a stored document that does not parse */
} ScalrRunResultsError;

/* Read-only once loaded; every field is owned. */
typedef struct {
  ScalrRunInfo     *info;
  GKeyFile         *config;     /* the resolved config of the run */
  ScalrDiagnostics *diag;       /* NULL when the run stored no diagnostics */
  JsonObject       *summary;    /* "summary"/"run": split, generator, sampler … (NULL: none) */
  GArray           *metrics;    /* ScalrMetricRow */
  GArray           *lifts;      /* ScalrLiftRow */
  GPtrArray        *models;     /* char*: downstream models in the order of the config */
  GArray           *ks;         /* guint: the cut-offs K > 0, ascending */
  guint             headline_k; /* the K nearest 20 (0 when there are no rank metrics) */
  GStrv             warnings;   /* what the evaluation could not support, and why (never NULL) */
} ScalrRunResults;

/* Loads run @run_id. With @require_finished, a run that is not finished is an error
 * (SCALR_RUN_RESULTS_ERROR_NOT_FINISHED naming the run and its status). On error (also: no
 * such run, SCALR_STORE_ERROR_NOT_FOUND) returns NULL and sets @error. */
ScalrRunResults *scalr_run_results_load (ScalrStore *store, gint64 run_id, gboolean require_finished,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;
void             scalr_run_results_free (ScalrRunResults *results);

/* A config value (owned; NULL when the key is absent). */
char            *scalr_run_results_dup_config (const ScalrRunResults *results, const char *group,
                                               const char *key) G_GNUC_WARN_UNUSED_RESULT;
/* "Run 3 · name" (owned). */
char            *scalr_run_results_dup_title  (const ScalrRunResults *results) G_GNUC_WARN_UNUSED_RESULT;
/* Short lines describing the key config (domains, generator, sampler, split, models),
 * NULL-terminated, owned. */
GStrv            scalr_run_results_config_lines (const ScalrRunResults *results) G_GNUC_WARN_UNUSED_RESULT;

/* The value of one metric row, NaN when absent. */
double           scalr_run_results_metric (const ScalrRunResults *results, const char *model,
                                           const char *variant, const char *segment,
                                           const char *metric, guint k);
/* The lift row against @reference ("own" or "strongest"), NULL when absent; for
 * "strongest", the own row when the model's own baseline is the strongest. */
const ScalrLiftRow *scalr_run_results_lift (const ScalrRunResults *results, const char *model,
                                            const char *segment, const char *metric, guint k,
                                            const char *reference);
/* The confidence level stored with the run's lifts (NAN when it has none). */
double           scalr_run_results_level (const ScalrRunResults *results);
/* Does the run have lifts for this segment? */
gboolean         scalr_run_results_has_segment (const ScalrRunResults *results, const char *segment);

/* "Recall@20", "NDCG@10", "NE", "AUC" (owned). */
char            *scalr_metric_label (const char *metric, guint k) G_GNUC_WARN_UNUSED_RESULT;
/* FALSE for metrics where lower is better (NE). */
gboolean         scalr_metric_is_higher_better (const char *metric);
/* Holm-adjusted p below this marks a lift significant. */
#define SCALR_SIGNIFICANCE_LEVEL 0.05

/* The lift forest plot of a segment × metric × K against @reference ("strongest": the
 * strongest real-only model of the segment; "own": each model's own baseline), one row per
 * model; significant when p_holm < 0.05; intervals at the stored level, said to be
 * unadjusted. For NE (lower is better) the rows show the reduction, so right is better
 * everywhere. NULL when the run has no such lifts. */
ScalrPlot       *scalr_run_results_forest (const ScalrRunResults *results, const char *segment,
                                           const char *metric, guint k, const char *reference)
  G_GNUC_WARN_UNUSED_RESULT;

/* Every chart of the run, in report order: rank–frequency, activity, popularity buckets,
 * reliability, category mix (those the diagnostics allow), then the lift forests at the
 * headline K for Recall on sparse users and on all users (when measured), each against the
 * strongest baseline and then the own one. Returns ScalrPlot* (owned, freed with the
 * array); *out_ids (optional) gets a NULL-terminated file-name-safe id per chart
 * ("rank-frequency", "activity", "buckets", "reliability", "categories", "lift-sparse",
 * "lift-sparse-own", "lift-all", "lift-all-own"). */
GPtrArray       *scalr_run_results_charts (const ScalrRunResults *results, GStrv *out_ids)
  G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrRunResults, scalr_run_results_free)

G_END_DECLS
