/* scalr-sweep.h — a sweep: one stored run per point of a grid over config keys, the runs
 * sharing a pipeline cache (the split, a generator, the baselines where their keys do not
 * change) and stored as one group of the store. `scalr sweep` and the workbench's Explore
 * page both run it; it may run in any thread. */
#pragma once

#include <gio/gio.h>

#include "scalr-config.h"
#include "scalr-pipeline.h"
#include "scalr-progress.h"

G_BEGIN_DECLS

typedef struct _ScalrGrid ScalrGrid;

/* At most this many points (the grid is the product of its axes' values). */
#define SCALR_GRID_MAX_POINTS 10000

/* Parses grid specs "group.key=v1,v2,…" (values split at ';' for LIST keys, each checked
 * against its parameter), one axis each. On error (a bad spec, a key twice, more than
 * SCALR_GRID_MAX_POINTS points) returns NULL and sets @error (SCALR_CONFIG_ERROR). */
ScalrGrid   *scalr_grid_new              (const char *const *specs, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void         scalr_grid_free             (ScalrGrid *grid);
guint64      scalr_grid_get_n_points     (const ScalrGrid *grid);
guint        scalr_grid_get_n_axes       (const ScalrGrid *grid);
/* "group.key" of axis @axis (borrowed). */
const char  *scalr_grid_get_key          (const ScalrGrid *grid, guint axis);
/* The axes' keys joined with ',' (what the store's group records; owned). */
char        *scalr_grid_dup_keys         (const ScalrGrid *grid) G_GNUC_WARN_UNUSED_RESULT;
/* The values of point @index, one per axis (the last axis varies fastest; owned). */
GStrv        scalr_grid_dup_point_values (const ScalrGrid *grid, guint64 index) G_GNUC_WARN_UNUSED_RESULT;
/* @base with the values of point @index (owned). */
ScalrConfig *scalr_grid_dup_point_config (const ScalrGrid *grid, const ScalrConfig *base, guint64 index)
  G_GNUC_WARN_UNUSED_RESULT;

typedef struct {
  guint64 index;
  gint64  run_id;    /* 0 when the run could not be created */
  GStrv   keys;      /* "group.key" per axis (owned) */
  GStrv   values;    /* the point's value per axis (owned) */
  char   *error;     /* why the run failed, or NULL (owned) */
  double  seconds;   /* wall time of the point */
} ScalrSweepPoint;

void         scalr_sweep_point_free      (ScalrSweepPoint *point);

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
 * "user_ratio=2"), all in one new group of kind "sweep" recording the grid's keys
 * (*out_group_id, optional). Progress: stage "sweep" with the point's fraction, then each
 * run's own stages. A failed point is recorded, not fatal. Returns the points in grid order
 * (ScalrSweepPoint*, owned). On error — the store or the group cannot be created, or
 * cancellation (G_IO_ERROR_CANCELLED; the run going is left cancelled, the finished ones
 * stay) — returns NULL and sets @error. */
GPtrArray   *scalr_sweep_run             (const char              *db_path,
                                          const ScalrConfig       *base,
                                          const ScalrGrid         *grid,
                                          const ScalrSweepOptions *options,
                                          ScalrProgress           *progress,
                                          GCancellable            *cancellable,
                                          gint64                  *out_group_id,
                                          GError                 **error) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrGrid, scalr_grid_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrSweepPoint, scalr_sweep_point_free)

G_END_DECLS
