/* scalr-store-private.h — helpers shared by the store's files. */
#pragma once

#include <sqlite3.h>

#include "scalr-store.h"

G_BEGIN_DECLS

sqlite3  *_scalr_store_get_db (ScalrStore *store);
/* Sets @error from the connection's last error, prefixed with the store path and @what. */
void      _scalr_store_set_error (ScalrStore *store, int rc, const char *what, GError **error);
sqlite3_stmt *_scalr_store_prepare (ScalrStore *store, const char *sql, GError **error);
gboolean  _scalr_store_exec (ScalrStore *store, const char *sql, GError **error);
gboolean  _scalr_store_begin (ScalrStore *store, GError **error);
gboolean  _scalr_store_commit (ScalrStore *store, GError **error);
void      _scalr_store_rollback (ScalrStore *store);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Run liveness (scalr-store.c): the lock on byte `run id` of STORE-runs.lock. open: the lock
 * file, once per connection (FALSE with @error when it cannot be opened); take: run
 * @run_id's lock, held by this connection until release (or close); FALSE with @error
 * (SCALR_STORE_ERROR_LOCKED when another holds it). release: lets a held lock go (nothing
 * when this connection does not hold it). */
gboolean  _scalr_store_liveness_open (ScalrStore *store, GError **error);
gboolean  _scalr_store_liveness_take (ScalrStore *store, gint64 run_id, GError **error);
void      _scalr_store_liveness_release (ScalrStore *store, gint64 run_id);

/* ---- integrity (scalr-store-check.c, scalr-store-seal.c) ---------------------------- */

/* The parts of a run's results, each with its own checksum. */
typedef enum {
  SCALR_RUN_PART_RUN,            /* the run's definition: dataset, config, seed, fingerprint */
  SCALR_RUN_PART_SYNTHETIC,
  SCALR_RUN_PART_ARTIFACTS,      /* diagnostics, summaries, the split assignment, … */
  SCALR_RUN_PART_METRICS,
  SCALR_RUN_PART_LIFTS,
  SCALR_RUN_PART_USER_METRICS,
  SCALR_RUN_PART_RECS,
  SCALR_RUN_N_PARTS
} ScalrRunPart;

/* What this connection already knows of a run (cached: a run's results do not change once
 * finished; a write to the run forgets it). */
typedef struct {
  gboolean      have_shape;
  ScalrRunCheck shape;
  guint         verified;        /* bit per ScalrRunPart: its checksum matched */
} ScalrRunCache;

ScalrRunCache *_scalr_store_run_cache (ScalrStore *store, gint64 run_id);
void      _scalr_store_forget_run (ScalrStore *store, gint64 run_id);
/* What this connection remembers of every run's checks, forgotten (runs were deleted). */
void      _scalr_store_forget_all_runs (ScalrStore *store);

/* Sets @error to SCALR_STORE_ERROR_DAMAGED: "PATH: run N is damaged: WHAT; the other runs
 * are not affected". Returns FALSE. */
gboolean  _scalr_store_damaged (ScalrStore *store, gint64 run_id, GError **error, const char *format, ...)
  G_GNUC_PRINTF (4, 5);

/* The run's ranges: from its checksum record, or (a run without one) derived from what is
 * stored: the dataset's users, the summary's target items (never more than the dataset's
 * items), the stored split assignment's length. */
gboolean  _scalr_store_run_shape (ScalrStore *store, gint64 run_id, ScalrRunCheck *out, GError **error);
/* Checks @part against the run's checksum (once per connection); TRUE for a run without a
 * checksum. */
gboolean  _scalr_store_verify_part (ScalrStore *store, gint64 run_id, ScalrRunPart part, GError **error);
/* Computes and stores the run's checksums; call inside a write transaction. */
gboolean  _scalr_store_seal_run (ScalrStore *store, gint64 run_id, GError **error);
/* After a write to a run's results: forgets what this connection knew of the run and, when
 * the run is sealed, seals it again (inside the caller's transaction). */
gboolean  _scalr_store_results_changed (ScalrStore *store, gint64 run_id, GError **error);

/* Validators: one per kind of stored thing. Each returns FALSE with a DAMAGED error naming
 * the run, the thing and the first fault. */
gboolean  _scalr_check_text (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, int col, gboolean nullable,
                             const char *what, GError **error);
gboolean  _scalr_check_number (ScalrStore *store, gint64 run_id, sqlite3_stmt *st, int col, const char *what,
                               GError **error);
gboolean  _scalr_check_synthetic (ScalrStore *store, gint64 run_id, const ScalrSyntheticEvents *events,
                                  const ScalrRunCheck *shape, GError **error);
gboolean  _scalr_check_users (ScalrStore *store, gint64 run_id, const char *what, const guint32 *users, guint n,
                              const ScalrRunCheck *shape, GError **error);
gboolean  _scalr_check_user_values (ScalrStore *store, gint64 run_id, const char *what, const double *values,
                                    guint n, GError **error);
gboolean  _scalr_check_recs (ScalrStore *store, gint64 run_id, const char *what, guint max_k, guint n_users,
                             const guint32 *items, const float *scores, const ScalrRunCheck *shape, GError **error);
gboolean  _scalr_check_artifact (ScalrStore *store, gint64 run_id, const char *kind, const char *name,
                                 const char *content_type, GBytes *data, const ScalrRunCheck *shape,
                                 GError **error);

G_END_DECLS
