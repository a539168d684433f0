/* scalr-store.h — the SQLite experiment store: datasets with their events, and runs.
 *
 * WAL mode, foreign keys, a busy timeout, schema versions by PRAGMA user_version with
 * migrations, prepared statements only, and every multi-row write in one transaction:
 * a write that fails leaves the store as it was. A run is alive while the connection that
 * created it holds its lock (STORE-runs.lock, see scalr-store.c): runs left `running` whose
 * lock nobody holds (the process died, or closed the store without finishing them) are
 * marked `interrupted` when the store is opened read-write. */
#pragma once

#include <gio/gio.h>

#include "scalr-types.h"
#include "scalr-synthetic.h"

G_BEGIN_DECLS

#define SCALR_STORE_ERROR (scalr_store_error_quark ())
GQuark scalr_store_error_quark (void);

typedef enum {
  SCALR_STORE_ERROR_IO,          /* cannot open or create the file */
  SCALR_STORE_ERROR_NOT_DATABASE,/* the file is not an SQLite database */
  SCALR_STORE_ERROR_LOCKED,      /* another process holds the lock past the busy timeout */
  SCALR_STORE_ERROR_READ_ONLY,   /* the file or its directory is not writable */
  SCALR_STORE_ERROR_TOO_NEW,     /* made by a newer version of this program */
  SCALR_STORE_ERROR_CORRUPT,     /* SQLite or a fingerprint check reports damage */
  SCALR_STORE_ERROR_FULL,        /* disk full or file size limit */
  SCALR_STORE_ERROR_NOT_FOUND,   /* no such dataset or run */
  SCALR_STORE_ERROR_EXISTS,      /* a dataset of that name exists */
  SCALR_STORE_ERROR_FAILED,      /* any other SQLite error */
  SCALR_STORE_ERROR_DAMAGED,     /* a run's stored results are invalid or do not match its checksum */
  SCALR_STORE_ERROR_RUNNING,     /* the run is still going: it cannot be deleted */
} ScalrStoreError;

#define SCALR_STORE_SCHEMA_VERSION 8

typedef enum {
  SCALR_STORE_OPEN_DEFAULT   = 0,
  SCALR_STORE_OPEN_READ_ONLY = 1 << 0,
  /* For a command that only reads: read-write when the store and its folder are writable
   * (interrupted runs are marked, an old schema upgraded), read-only otherwise, so a store on
   * a read-only folder or medium can still be listed, shown and exported. */
  SCALR_STORE_OPEN_READER    = 1 << 1,
} ScalrStoreFlags;

typedef enum {
  SCALR_RUN_PENDING,
  SCALR_RUN_RUNNING,
  SCALR_RUN_FINISHED,
  SCALR_RUN_FAILED,
  SCALR_RUN_CANCELLED,
  SCALR_RUN_INTERRUPTED,
} ScalrRunStatus;

const char *scalr_run_status_to_string (ScalrRunStatus status);

typedef struct {
  gint64   id;
  char    *name;
  char    *created_at;     /* ISO 8601 UTC */
  char    *events_source;  /* the event file(s) as given at import */
  char    *items_source;   /* may be NULL */
  char    *format;
  char    *fingerprint;
  guint64  n_events;
  guint    n_users;
  guint    n_items;
  guint64  n_duplicates;
  guint    n_domain_labels;
  gboolean has_item_metadata;
} ScalrDatasetInfo;

typedef struct {
  gint64          id;
  gint64          dataset_id;
  char           *dataset;       /* dataset name */
  char           *name;
  ScalrRunStatus  status;
  char           *config;        /* resolved config (GKeyFile text) */
  guint64         seed;
  char           *fingerprint;   /* of the dataset */
  char           *code_version;
  char           *created_at;
  char           *finished_at;   /* NULL while running */
  char           *error;         /* NULL unless failed */
  gint64          group_id;      /* the sweep, search, replicates or hand-picked set (0: none) */
  char           *note;          /* free text, NULL when none */
  char           *tags;          /* normalised "a,b" (scalr_run_tags_normalize), NULL when none */
  gboolean        trashed;       /* deleted, awaiting undo or purge (listings leave it out) */
} ScalrRunInfo;

/* A set of runs that belong together. */
typedef enum {
  SCALR_GROUP_SWEEP,        /* a grid over config keys (scalr sweep, the Explore page) */
  SCALR_GROUP_TUNE,         /* a search (scalr tune) */
  SCALR_GROUP_REPLICATES,   /* the same config over derived seeds */
  SCALR_GROUP_MANUAL,       /* picked by hand */
} ScalrGroupKind;

typedef struct {
  gint64          id;
  ScalrGroupKind  kind;
  char           *name;
  char           *keys;        /* the swept keys, "group.key,group.key" (NULL: not known) */
  char           *created_at;
} ScalrGroupInfo;

const char *scalr_group_kind_to_string   (ScalrGroupKind kind);
/* FALSE for anything but "sweep", "tune", "replicates", "manual". */
gboolean    scalr_group_kind_from_string (const char *text, ScalrGroupKind *out);
void        scalr_group_info_free        (ScalrGroupInfo *info);
/* Tags as typed ("Baseline,  cold;cold ") → "Baseline,cold": split at ',' and ';', trimmed,
 * empty and repeated ones (ignoring case) dropped, at most 32 tags of 64 bytes each.
 * Returns NULL when none is left. */
char       *scalr_run_tags_normalize     (const char *text) G_GNUC_WARN_UNUSED_RESULT;
/* Seconds from created_at to finished_at; NaN while running or when a stamp is missing. */
double      scalr_run_info_get_duration  (const ScalrRunInfo *info);

void scalr_dataset_info_free (ScalrDatasetInfo *info);
void scalr_run_info_free     (ScalrRunInfo *info);
/* A deep copy (owned). */
ScalrRunInfo *scalr_run_info_copy (const ScalrRunInfo *info) G_GNUC_WARN_UNUSED_RESULT;

/* The default store: $XDG_DATA_HOME/scalr-workbench/scalr.db. Free with g_free. */
char       *scalr_store_default_path (void) G_GNUC_WARN_UNUSED_RESULT;

/* Opens (creating and migrating if needed). An empty path, ":memory:" and a directory are
 * errors (not SQLite's temporary or in-memory database). Read-only, a store whose folder is
 * not writable is opened as immutable when no other process has it open (no -wal file).
 * On error returns NULL and sets @error with the path; the file is not modified. */
ScalrStore *scalr_store_open  (const char *path, ScalrStoreFlags flags, GError **error) G_GNUC_WARN_UNUSED_RESULT;
void        scalr_store_close (ScalrStore *store);
const char *scalr_store_get_path (ScalrStore *store);
int         scalr_store_get_schema_version (ScalrStore *store);
/* Runs marked interrupted when this store was opened. */
guint       scalr_store_get_n_marked_interrupted (ScalrStore *store);
/* How long a write waits for another process's lock before failing (default 10 s). */
void        scalr_store_set_busy_timeout (ScalrStore *store, int milliseconds);
/* Called once per wait, from the waiting thread, after a second of waiting for another
 * process's lock (so a writer that waits says so instead of looking hung). */
typedef void (*ScalrStoreBusyFunc) (const char *path, double waited_seconds, gpointer data);
void        scalr_store_set_busy_func (ScalrStore *store, ScalrStoreBusyFunc func, gpointer data);

/* Datasets. Each returns FALSE/NULL with @error set on failure, the store unchanged. */
gboolean          scalr_store_add_dataset      (ScalrStore   *store,
                                                ScalrDataset *dataset,
                                                const char   *events_source,
                                                const char   *items_source,
                                                const char   *format,
                                                gint64       *out_id,
                                                GError      **error);
GPtrArray        *scalr_store_list_datasets    (ScalrStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;
ScalrDatasetInfo *scalr_store_load_dataset_info (ScalrStore *store, const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Loads the stored events and metadata and checks them against the fingerprint. */
ScalrDataset     *scalr_store_load_dataset     (ScalrStore   *store,
                                                const char   *name,
                                                GCancellable *cancellable,
                                                GError      **error) G_GNUC_WARN_UNUSED_RESULT;
/* Deletes a dataset that no run refers to. */
gboolean          scalr_store_delete_dataset   (ScalrStore *store, const char *name, GError **error);

/* Runs. create_run makes a `running` run and holds its liveness lock until finish_run records
 * how it ended (or this connection closes). On error returns FALSE, sets @error and no run is
 * made. finish_run with SCALR_RUN_FINISHED also records the run's checksums (one transaction:
 * on error the run stays as it was and its lock held); another status drops any it had. */
gboolean      scalr_store_create_run  (ScalrStore *store,
                                       gint64      dataset_id,
                                       const char *name,
                                       const char *config,
                                       guint64     seed,
                                       const char *fingerprint,
                                       gint64     *out_id,
                                       GError    **error);
gboolean      scalr_store_finish_run  (ScalrStore     *store,
                                       gint64          run_id,
                                       ScalrRunStatus  status,
                                       const char     *error_message,
                                       GError        **error);
gboolean      scalr_store_add_timing  (ScalrStore *store,
                                       gint64      run_id,
                                       const char *stage,
                                       double      seconds,
                                       GError    **error);
/* Every run that is not trashed, oldest first (ScalrRunInfo*). */
GPtrArray    *scalr_store_list_runs   (ScalrStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* Stage timings of a run, in the order recorded: stage names (char*) and seconds (double). */
gboolean      scalr_store_load_timings (ScalrStore *store, gint64 run_id, GPtrArray **stages,
                                       GArray **seconds, GError **error);

/* Artifacts of a run (JSON documents, blobs), replaced when written again. Every getter of a
 * run's results below validates what it returns and checks its part's checksum: on damage it
 * returns NULL/FALSE with SCALR_STORE_ERROR_DAMAGED. A write to a finished run records its
 * checksums again, in the same transaction. */
gboolean      scalr_store_put_artifact (ScalrStore *store, gint64 run_id, const char *kind,
                                        const char *name, const char *content_type,
                                        GBytes *data, GError **error);
/* On error (also: no such artifact, SCALR_STORE_ERROR_NOT_FOUND) returns NULL. */
GBytes       *scalr_store_load_artifact (ScalrStore *store, gint64 run_id, const char *kind,
                                        const char *name, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Synthetic events of a run, in one transaction (replacing earlier ones). */
gboolean      scalr_store_put_synthetic (ScalrStore *store, gint64 run_id,
                                         const ScalrSyntheticEvents *events, GError **error);
ScalrSyntheticEvents *scalr_store_load_synthetic (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
ScalrRunInfo *scalr_store_load_run     (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Downstream evaluation of a run (metrics, lifts, per-user vectors, top-K lists), in one
 * transaction. On error returns FALSE, sets @error and the store is unchanged. */
gboolean      scalr_store_put_eval (ScalrStore *store, gint64 run_id, const ScalrEvalResult *result,
                                    GError **error);

typedef struct {
  char   *model, *variant, *segment, *metric;
  guint   k;
  double  value;
  guint   n_users;
} ScalrMetricRow;

typedef struct {
  char    *model, *segment, *metric, *reference, *baseline_model;
  guint    k;
  double   base_mean, aug_mean, lift, ci_low, ci_high, p_t, p_wilcoxon, p_holm;  /* NAN: undefined */
  guint    n_users;
  double   level;            /* of the CI (rows stored before schema 4: their run's [eval] level) */
  gboolean also_strongest;   /* an "own" row whose baseline is also the segment's strongest */
  char    *note;             /* why a statistic is undefined; NULL when none is */
} ScalrLiftRow;

/* Is @row a lift against @reference ("own" or "strongest")? An own row that is also the
 * strongest baseline answers both. */
gboolean      scalr_lift_row_is_reference (const ScalrLiftRow *row, const char *reference);

/* Rows of a run (empty arrays when it has none), in a stable order. */
GArray       *scalr_store_load_metrics (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
GArray       *scalr_store_load_lifts   (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Per-user vectors: calls @func for each (model, variant, metric, k) with its users and values
 * (NAN = undefined for that user). Runs stored before schema 4 kept float32 values: they are
 * widened to double. */
typedef void (*ScalrUserMetricsFunc) (const char *model, const char *variant, const char *metric, guint k,
                                      const guint32 *users, const double *values, guint n, gpointer data);
gboolean      scalr_store_foreach_user_metrics (ScalrStore *store, gint64 run_id, ScalrUserMetricsFunc func,
                                                gpointer data, GError **error);
/* Top-K lists: for each (model, variant), users × max_k items (G_MAXUINT32 = none) and scores. */
typedef void (*ScalrRecsFunc) (const char *model, const char *variant, guint max_k, const guint32 *users,
                               guint n_users, const guint32 *items, const float *scores, gpointer data);
gboolean      scalr_store_foreach_recs (ScalrStore *store, gint64 run_id, ScalrRecsFunc func, gpointer data,
                                        GError **error);

/* Managing runs (scalr-store-manage.c). Each returns FALSE with @error set on failure
 * (SCALR_STORE_ERROR_NOT_FOUND for a run or group that does not exist); nothing changes then. */
gboolean      scalr_store_rename_run   (ScalrStore *store, gint64 run_id, const char *name, GError **error);
/* @note NULL or empty clears it. */
gboolean      scalr_store_set_run_note (ScalrStore *store, gint64 run_id, const char *note, GError **error);
/* @tags as typed; stored normalised (scalr_run_tags_normalize). */
gboolean      scalr_store_set_run_tags (ScalrStore *store, gint64 run_id, const char *tags, GError **error);
/* Hides a run from listings until it is restored or purged. A running run cannot be
 * trashed (SCALR_STORE_ERROR_RUNNING). */
gboolean      scalr_store_trash_run    (ScalrStore *store, gint64 run_id, GError **error);
gboolean      scalr_store_restore_run  (ScalrStore *store, gint64 run_id, GError **error);
/* Deletes trashed run @run_id and everything it stored, for good; a run that is not
 * trashed is not touched (FALSE, SCALR_STORE_ERROR_NOT_FOUND). */
gboolean      scalr_store_purge_run    (ScalrStore *store, gint64 run_id, GError **error);
/* Deletes every run trashed at least @min_age_seconds ago (0: all; *out_n: how many;
 * optional). */
gboolean      scalr_store_purge_trashed (ScalrStore *store, double min_age_seconds, guint *out_n,
                                         GError **error);
/* Runs (not trashed) whose resolved config text is exactly @config, newest first (gint64). */
GArray       *scalr_store_find_runs_by_config (ScalrStore *store, const char *config,
                                               GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Groups. @name and @keys may be NULL. */
gboolean      scalr_store_create_group (ScalrStore *store, ScalrGroupKind kind, const char *name,
                                        const char *keys, gint64 *out_id, GError **error);
/* Every group, oldest first (ScalrGroupInfo*). */
GPtrArray    *scalr_store_list_groups  (ScalrStore *store, GError **error) G_GNUC_WARN_UNUSED_RESULT;
ScalrGroupInfo *scalr_store_load_group  (ScalrStore *store, gint64 group_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;
gboolean      scalr_store_rename_group (ScalrStore *store, gint64 group_id, const char *name, GError **error);
/* Puts run @run_id into group @group_id (0: into none). */
gboolean      scalr_store_set_run_group (ScalrStore *store, gint64 run_id, gint64 group_id, GError **error);

/* ---- integrity of a run's results (scalr-store-check.c, scalr-store-seal.c) ----------------
 *
 * Every blob, row and document read from the store is validated where it is read (sizes that
 * match their counts, ids within the run's ranges, finite values where required, counts that
 * add up); a finished run also carries a SHA-256 checksum per part of its results (its config,
 * synthetic events, artifacts, metrics, lifts, per-user vectors, top-K lists), computed when it
 * finishes and checked by every getter for the part it reads. Either failure is
 * SCALR_STORE_ERROR_DAMAGED: "STORE: run N is damaged: what; the other runs are not affected". */

typedef struct {
  gboolean has_checksum;     /* FALSE: finished before schema 6, or not finished: cannot be verified */
  guint    n_users;          /* user ids are below this (the dataset's users) */
  guint    n_target_items;   /* target item ids are below this */
  guint64  n_target_events;  /* the length of the split assignment (0: none stored) */
} ScalrRunCheck;

/* Verifies everything stored of run @run_id: the checksum of every part (when it has one),
 * every blob, row and document, and that their counts agree (the per-user vectors and top-K
 * lists name the same users, the diagnostics count the stored synthetic events). @out
 * (optional) gets the run's ranges and whether it could be verified. On error (no such run:
 * NOT_FOUND; damage: DAMAGED naming what; SQLite errors) returns FALSE and sets @error. */
gboolean      scalr_store_check_run (ScalrStore *store, gint64 run_id, ScalrRunCheck *out, GError **error);

/* The names before the owned getters were named load_ (GLib: get_ borrows), for code on other
 * branches (the sweep and search orchestration) until it moves to the new names. New code
 * uses load_. */
#define scalr_store_get_dataset_info scalr_store_load_dataset_info
#define scalr_store_get_timings      scalr_store_load_timings
#define scalr_store_get_artifact     scalr_store_load_artifact
#define scalr_store_get_synthetic    scalr_store_load_synthetic
#define scalr_store_get_run          scalr_store_load_run
#define scalr_store_get_metrics      scalr_store_load_metrics
#define scalr_store_get_lifts        scalr_store_load_lifts

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrStore, scalr_store_close)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrGroupInfo, scalr_group_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDatasetInfo, scalr_dataset_info_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrRunInfo, scalr_run_info_free)

G_END_DECLS
