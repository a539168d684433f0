/* scalr-run-results.h — everything the review and compare pages and the report show about one
 * run, read from the store in one go (so a worker thread can load it and the main thread only
 * reads). The headline choice and the lookups of lift rows are scalr-lift-table.h; the charts
 * built from it are ui/plot/scalr-run-charts.h. */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-config.h"
#include "scalr-eval.h"
#include "scalr-lift-table.h"
#include "scalr-store.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

#define SCALR_RUN_RESULTS_ERROR (scalr_run_results_error_quark ())
GQuark scalr_run_results_error_quark (void);

typedef enum {
  SCALR_RUN_RESULTS_ERROR_NOT_FINISHED,   /* the run has no results (running, failed …) */
} ScalrRunResultsError;

/* Read-only once loaded; every field is owned. */
typedef struct {
  ScalrRunInfo     *info;
  ScalrRunCheck     check;      /* its ranges, and whether its checksum was verified */
  ScalrConfig      *config;     /* the resolved config of the run (scalr_run_dup_config) */
  ScalrDiagnostics *diag;       /* NULL when the run stored no diagnostics */
  JsonObject       *summary;    /* "summary"/"run": split, generator, sampler … (NULL: none) */
  GArray           *metrics;    /* ScalrMetricRow */
  GArray           *lifts;      /* ScalrLiftRow */
  GPtrArray        *models;     /* char*: downstream models in the order of the config */
  GArray           *ks;         /* guint: the cut-offs K > 0, ascending */
  guint             headline_k; /* the K nearest 20 (0 when there are no rank metrics) */
  GStrv             warnings;   /* what the evaluation could not support, and why (never NULL) */
} ScalrRunResults;

/* Loads run @run_id after checking everything stored of it (scalr_store_check_run). With
 * @require_finished, a run that is not finished is an error (SCALR_RUN_RESULTS_ERROR_NOT_FINISHED
 * naming the run and its status). On error (also: no such run, SCALR_STORE_ERROR_NOT_FOUND; a
 * damaged run, SCALR_STORE_ERROR_DAMAGED; a stored config or document that does not parse,
 * SCALR_CONFIG_ERROR, SCALR_RUN_DATA_ERROR or SCALR_SYNTHETIC_ERROR) returns NULL and sets
 * @error. */
ScalrRunResults *scalr_run_results_load (ScalrStore *store, gint64 run_id, gboolean require_finished,
                                         GError **error) G_GNUC_WARN_UNUSED_RESULT;
void             scalr_run_results_free (ScalrRunResults *results);

/* A config value (owned; NULL when no table has the key). */
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

/* Holm-adjusted p below this marks a lift significant. */
#define SCALR_SIGNIFICANCE_LEVEL 0.05

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrRunResults, scalr_run_results_free)

G_END_DECLS
