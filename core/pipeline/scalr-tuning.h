/* scalr-tuning.h — reading what a tuned or replicated run stored beside its lifts, for the
 * workbench's Explore page (and anyone else who reads a search's trials):
 *
 * - artifact summary/"tuning" (written by `scalr tune`): the search space, every trial's
 *   values and validation scores per model and variant, and per model and variant the
 *   selected trial with its validation score, its test confirmation and the default's two
 *   scores;
 * - artifact summary/"replicates" (written by a run with [eval] replicates > 1): per lift row
 *   the replicates' lifts and their mean, standard deviation and range.
 *
 * Documents are read leniently in what they add (unknown members are ignored) and strictly
 * in what they must hold (a member of the wrong type is an error naming it). Undefined numbers
 * are JSON null and read as NaN. */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_TUNING_ERROR (scalr_tuning_error_quark ())
GQuark scalr_tuning_error_quark (void);

typedef enum {
  SCALR_TUNING_ERROR_FORMAT,   /* the document is not what `scalr tune` writes (member named) */
} ScalrTuningError;

typedef struct {
  guint   index;        /* trial 0 is the base configuration */
  GStrv   values;       /* one per key of the space (NULL: the trial has none) */
  double  seconds;
  double *validation;   /* n_models × 2: model m's baseline at 2m, augmented at 2m + 1 */
} ScalrTuningTrial;

typedef struct {
  gint    trial;        /* the selected trial, -1: none */
  double  validation, test;                  /* the selection's scores */
  double  default_validation, default_test;  /* trial 0's (the base configuration's) */
} ScalrTuningChoice;

typedef struct {
  char              *objective;   /* "recall@20" */
  char              *segment;     /* "sparse", "warm", "all" */
  guint              trials_requested;
  double             wall_seconds;
  GStrv              keys;        /* the space: "group.key" per dimension */
  GStrv              models;      /* the downstream models, in stored order */
  GPtrArray         *trials;      /* ScalrTuningTrial*, by index */
  ScalrTuningChoice *selected;    /* n_models × 2, as ScalrTuningTrial.validation */
} ScalrTuning;

/* Parses a "tuning" document. On error (not an object, a required member missing or of the
 * wrong type) returns NULL and sets @error (SCALR_TUNING_ERROR_FORMAT, naming the member). */
ScalrTuning *scalr_tuning_new_from_json (JsonNode *root, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The tuning of run @run_id. On error returns NULL and sets @error: a run that was not tuned
 * has no such artifact (SCALR_STORE_ERROR_NOT_FOUND); a document that does not parse is
 * a damaged run (SCALR_STORE_ERROR_DAMAGED); one that is not a tuning as above. */
ScalrTuning *scalr_tuning_load          (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_tuning_free          (ScalrTuning *tuning);
guint        scalr_tuning_get_n_models  (const ScalrTuning *tuning);
/* The index of @model, or -1. */
gint         scalr_tuning_find_model    (const ScalrTuning *tuning, const char *model);
/* The model whose augmented selection scored best on validation (the one whose config the
 * stored run has), or -1 when no selection has a finite score. */
gint         scalr_tuning_best_model    (const ScalrTuning *tuning);

typedef struct {
  char    *model, *segment, *metric, *reference;
  guint    k;
  GArray  *lifts;            /* double, one per replicate (NaN: undefined) */
  double   mean, sd, min, max;
  guint    defined;          /* replicates with a finite lift */
  guint    ci_above_zero, ci_below_zero;
} ScalrReplicateRow;

void         scalr_replicate_row_free   (ScalrReplicateRow *row);
/* Parses a "replicates" document into its rows (ScalrReplicateRow*, owned). On error returns
 * NULL and sets @error (SCALR_TUNING_ERROR_FORMAT). */
GPtrArray   *scalr_replicate_rows_new_from_json (JsonNode *root, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The replicate rows of run @run_id; a run without replicates has no such artifact
 * (NULL, SCALR_STORE_ERROR_NOT_FOUND). */
GPtrArray   *scalr_replicate_rows_load  (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The row of (model, segment, metric, k, reference), or NULL. */
const ScalrReplicateRow *scalr_replicate_rows_find (GPtrArray *rows, const char *model, const char *segment,
                                                    const char *metric, guint k, const char *reference);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrTuning, scalr_tuning_free)

G_END_DECLS
