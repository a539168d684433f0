/* scalr-search.h — series of runs over config keys: `scalr sweep` (a grid, one stored run per
 * point) and `scalr tune` (a seeded random search selected on validation users, then one
 * evaluation of the selection on test users, stored as one run).
 *
 * Tuning is fair and honest by construction:
 * - every trial is one point of the search space; each downstream model's baseline and
 *   augmented variants are scored on the same trials' model keys (the same budget over the
 *   same model space); generator and sampler keys matter only to the augmented variant;
 * - trial 0 is the base config itself, so the default is always a candidate;
 * - a trial is scored on validation users only (test users are not even evaluated); the
 *   selection per model and variant is then evaluated once on test users, and the stored
 *   run shows both scores (the optimism of the search);
 * - trials share what does not change: the split, one generator per distinct generator
 *   config, one sampler run per distinct generator + sampler config, one baseline score per
 *   distinct model config. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "scalr-config.h"
#include "scalr-eval.h"
#include "scalr-pipeline.h"
#include "scalr-progress.h"

G_BEGIN_DECLS

#define SCALR_SEARCH_ERROR (scalr_search_error_quark ())
GQuark scalr_search_error_quark (void);

typedef enum {
  SCALR_SEARCH_ERROR_SPEC,        /* a bad [tune] line or --grid spec (file and line named) */
  SCALR_SEARCH_ERROR_NO_VALIDATION, /* tuning needs validation users */
} ScalrSearchError;

/* ---- sweep ------------------------------------------------------------------------- */

typedef struct _ScalrGrid ScalrGrid;

/* At most this many points (the grid is the product of its axes' values). */
#define SCALR_GRID_MAX_POINTS 10000

/* Parses --grid specs "group.key=v1,v2,…" (values split at ';' for LIST keys, each checked
 * against its parameter), one axis each. On error (a bad spec or value, SCALR_CONFIG_ERROR;
 * no axis or a key twice, SCALR_SEARCH_ERROR_SPEC; more than SCALR_GRID_MAX_POINTS points)
 * returns NULL and sets @error. */
ScalrGrid  *scalr_grid_new          (const char *const *specs, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void        scalr_grid_free         (ScalrGrid *grid);
guint64     scalr_grid_get_n_points (const ScalrGrid *grid);
guint       scalr_grid_get_n_axes   (const ScalrGrid *grid);
/* "group.key" of axis @axis (borrowed). */
const char *scalr_grid_get_key      (const ScalrGrid *grid, guint axis);
/* The axes' keys joined with ',' (what the sweep's store group records; owned). */
char       *scalr_grid_dup_keys     (const ScalrGrid *grid) G_GNUC_WARN_UNUSED_RESULT;
/* The values of point @index, one per axis (the last axis varies fastest; owned). */
GStrv       scalr_grid_dup_point_values (const ScalrGrid *grid, guint64 index) G_GNUC_WARN_UNUSED_RESULT;
/* @base with the values of point @index (owned). */
ScalrConfig *scalr_grid_dup_point_config (const ScalrGrid *grid, const ScalrConfig *base, guint64 index) G_GNUC_WARN_UNUSED_RESULT;

typedef struct {
  guint64 index;     /* in grid order */
  gint64  run_id;    /* 0 when the run could not be created */
  GStrv   keys;      /* "group.key" per axis (owned) */
  GStrv   values;    /* the point's value per axis (owned) */
  char   *error;     /* the failure message, or NULL (owned) */
  double  seconds;   /* wall time of the point */
} ScalrSweepPoint;

/* Called from the sweep's thread after each point (finished or failed). */
typedef void (*ScalrSweepPointFunc) (const ScalrSweepPoint *point, guint64 n_points, gpointer data);

typedef struct {
  guint               threads;       /* as scalr_pipeline_set_threads (0: one per processor) */
  ScalrStoreBusyFunc  busy_func;     /* may be NULL */
  gpointer            busy_data;
  const char         *group_name;    /* the store group's name (NULL: none) */
  ScalrSweepPointFunc point_func;    /* may be NULL */
  gpointer            point_data;
} ScalrSweepOptions;

/* Runs every point of @grid on @base, one stored run each (named by its values, e.g.
 * "user_ratio=2"), sharing a pipeline cache, all in one new store group of kind "sweep"
 * recording the grid's keys (*out_group_id, optional); @options may be NULL. Progress: stage
 * "sweep" with the point's fraction, then each run's own stages. Returns the points in grid
 * order (ScalrSweepPoint*, owned). A failed point is recorded, not fatal. On error — the
 * store or the group cannot be created, or cancellation (G_IO_ERROR_CANCELLED; the run going
 * is left cancelled, the finished ones stay) — returns NULL and sets @error. */
GPtrArray  *scalr_sweep_run         (const char              *db_path,
                                     const ScalrConfig       *base,
                                     const ScalrGrid         *grid,
                                     const ScalrSweepOptions *options,
                                     ScalrProgress           *progress,
                                     GCancellable            *cancellable,
                                     gint64                  *out_group_id,
                                     GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
void        scalr_sweep_point_free  (ScalrSweepPoint *point);

/* The lifts of every point for @metric@@k in @segment, own and strongest baseline: an array
 * of {run_id, values{key: value}, error?, lifts[{model, own{…}, strongest{…}}]} with
 * undefined numbers as null. On a store error returns NULL and sets @error. */
JsonNode   *scalr_sweep_results_json (ScalrStore *store, GPtrArray *points, const char *metric, guint k,
                                      const char *segment, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* ---- tune -------------------------------------------------------------------------- */

typedef struct _ScalrTuneSpec ScalrTuneSpec;

/* Reads a config file with an optional [tune] group: the other groups are the base config
 * (checked as scalr_config_new_from_file does); [tune] holds `objective = METRIC@K`
 * (default recall@20), `segment = sparse|warm|all` (default sparse), `trials = N` (24),
 * `seed = S` (42), `time_budget = SECONDS` (0: none), and search dimensions
 * `group.key = a,b,c` or `group.key = lo..hi [log]` over [generator], [sampler] and
 * [downstream] model keys. Without dimensions the space is the parameter tables' tunable
 * keys that apply to the base config. A NULL @path reads nothing (defaults). On error
 * (with file and line) returns NULL and sets @error. */
ScalrTuneSpec *scalr_tune_spec_new_from_file (const char *path, const char *const *sets,
                                              GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The same from the text of such a file (@name stands for it in messages: "the Explore
 * page"), without overrides. On error returns NULL and sets @error. */
ScalrTuneSpec *scalr_tune_spec_new_from_data (const char *text, const char *name,
                                              GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Command-line overrides (0 / negative: keep the spec's). */
void        scalr_tune_spec_set_trials      (ScalrTuneSpec *spec, guint trials);
void        scalr_tune_spec_set_seed        (ScalrTuneSpec *spec, guint64 seed);
void        scalr_tune_spec_set_time_budget (ScalrTuneSpec *spec, double seconds);
const ScalrConfig *scalr_tune_spec_get_config (const ScalrTuneSpec *spec);
guint       scalr_tune_spec_get_trials      (const ScalrTuneSpec *spec);
void        scalr_tune_spec_free            (ScalrTuneSpec *spec);

/* One search on one split (what the stored run and the replicates do; public for tests):
 * the trials' validation scores and the selection per model and variant. */
typedef struct _ScalrTuneTrials ScalrTuneTrials;
ScalrTuneTrials *scalr_tune_trials_run (const ScalrTuneSpec *spec, ScalrSplit *split, ScalrProgress *progress,
                                        GCancellable *cancellable, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void        scalr_tune_trials_free  (ScalrTuneTrials *trials);
guint       scalr_tune_trials_get_n (const ScalrTuneTrials *trials);
/* The validation score of @model's @variant at trial @t (NAN when undefined). */
double      scalr_tune_trials_get_score (const ScalrTuneTrials *trials, guint t, const char *model, ScalrVariant variant);
/* The selected trial of @model's @variant (-1 when none). */
gint        scalr_tune_trials_get_selected (const ScalrTuneTrials *trials, const char *model, ScalrVariant variant);
/* The full config of trial @t for @model's @variant (owned). */
ScalrConfig *scalr_tune_trials_dup_config (const ScalrTuneTrials *trials, guint t, ScalrVariant variant) G_GNUC_WARN_UNUSED_RESULT;
/* The synthetic events of trial @t (regenerated deterministically; owned). */
ScalrSyntheticEvents *scalr_tune_trials_dup_events (ScalrTuneTrials *trials, guint t, GCancellable *cancellable,
                                                    GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The whole of `scalr tune`: the search on validation users, then one evaluation of the
 * selected configurations on test users, stored as one run (its config: the base with the
 * selection of the augmented model that scored best on validation; artifact "tuning":
 * trials, selection, validation and test scores; with [eval] replicates > 1 the whole
 * search is repeated on each replicate's split and artifact "replicates" holds the
 * per-replicate lifts and their summary). Every stage runs on @threads threads (0: the
 * thread policy, scalr-parallel.h). *out_run_id is set once the run exists. On error
 * returns FALSE and sets @error (G_IO_ERROR_CANCELLED when cancelled). */
gboolean    scalr_tune_run (const char         *db_path,
                            const ScalrTuneSpec *spec,
                            guint               threads,
                            ScalrStoreBusyFunc  busy_func,
                            ScalrProgress      *progress,
                            GCancellable       *cancellable,
                            gint64             *out_run_id,
                            GError            **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrGrid, scalr_grid_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrSweepPoint, scalr_sweep_point_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrTuneSpec, scalr_tune_spec_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrTuneTrials, scalr_tune_trials_free)

G_END_DECLS
