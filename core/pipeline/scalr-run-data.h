/* scalr-run-data.h — what a stored run holds, read back the one way every front end reads it:
 * its config, its JSON documents, and the JSON view of the whole run (`scalr show --json`).
 *
 * Numbers in JSON: an undefined one (NaN, ±∞) is null, never 0 (scalr-format.h); reading,
 * null and an absent member are NaN (scalr_json_get_number). */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-config.h"
#include "scalr-store.h"

G_BEGIN_DECLS

#define SCALR_RUN_DATA_ERROR (scalr_run_data_error_quark ())
GQuark scalr_run_data_error_quark (void);

typedef enum {
  SCALR_RUN_DATA_ERROR_INVALID,   /* a stored config or document that does not parse */
} ScalrRunDataError;

/* The run's stored (fully resolved) config, checked by the config module. On error returns
 * NULL and sets @error (the config's error, prefixed with the run). */
ScalrConfig *scalr_run_dup_config   (const ScalrRunInfo *run, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The stored JSON document @kind/@name of run @run_id (owned), or NULL with no error when the
 * run has none. On error (a document that does not parse: SCALR_RUN_DATA_ERROR_INVALID naming
 * the run and the document; store errors) returns NULL and sets @error. */
JsonNode    *scalr_run_load_document (ScalrStore *store, gint64 run_id, const char *kind, const char *name,
                                      GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* group → key → value text, every key of @config in table order. No failure. */
JsonNode    *scalr_config_to_json    (const ScalrConfig *config) G_GNUC_WARN_UNUSED_RESULT;
/* One stored row: every column, null for undefined numbers; lifts with their CI level,
 * also_strongest and note (null when none). No failure. */
JsonObject  *scalr_metric_row_to_json (const ScalrMetricRow *row) G_GNUC_WARN_UNUSED_RESULT;
JsonObject  *scalr_lift_row_to_json   (const ScalrLiftRow *row) G_GNUC_WARN_UNUSED_RESULT;

/* A run's row (run_id, name, status, dataset, fingerprint, seed, code_version, created_at,
 * finished_at, error, group_id, note, tags; null when unset) and a dataset's (id, name, events, users, items, duplicates_merged,
 * created_at, events_source, items_source, fingerprint), for listings. No failure. */
JsonObject  *scalr_run_info_to_json     (const ScalrRunInfo *run) G_GNUC_WARN_UNUSED_RESULT;
JsonObject  *scalr_dataset_info_to_json (const ScalrDatasetInfo *dataset) G_GNUC_WARN_UNUSED_RESULT;

/* The JSON view of run @run_id, after checking everything stored of it
 * (scalr_store_check_run): run_id, name, status, dataset, fingerprint, seed, code_version,
 * created_at, finished_at, error; checksum ("verified", or "none": not finished, or finished
 * before schema 6); config (scalr_config_to_json); timings (stage → seconds); the members of
 * the stored run summary (split, generator, sampler, alignment …); synthetic (the stored
 * diagnostics, through scalr_diagnostics_from_json/_to_json: undefined numbers null);
 * downstream (the models summary); tuning and replicates (what scalr tune and replicated runs
 * store); metrics and lifts (arrays of rows). On error returns NULL and sets @error: no such
 * run (SCALR_STORE_ERROR_NOT_FOUND), a damaged run (SCALR_STORE_ERROR_DAMAGED), a config or
 * document that does not parse, store errors. */
JsonNode    *scalr_run_to_json       (ScalrStore *store, gint64 run_id, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* The number @member of @object: NaN when absent, null or not a number. No failure. */
double       scalr_json_get_number   (JsonObject *object, const char *member);

G_END_DECLS
