/* scalr-cli-common.h — shared bits of the `scalr` command-line entry point: store opening,
 * progress on a terminal, JSON and number printing. Presentation only; logic is in core. */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "scalr-config.h"
#include "scalr-estimate.h"
#include "scalr-progress.h"
#include "scalr-store.h"

G_BEGIN_DECLS

/* Exit codes. */
enum { EXIT_OK = 0, EXIT_ERROR = 1, EXIT_USAGE = 2 };

typedef int (*ScalrCommandFunc) (int argc, char **argv);

typedef struct {
  const char       *name;
  const char       *summary;
  ScalrCommandFunc  func;
  /* Under mpirun, TRUE: rank 0 alone runs the command (the others wait and exit with its
   * status); FALSE: every rank runs it (commands that run pipelines: run, sweep). */
  gboolean          root_only;
} ScalrCommand;

/* Opens @db (or the default store). Prints the error and returns NULL on failure. */
ScalrStore    *cli_open_store     (const char *db, ScalrStoreFlags flags);
/* Says on stderr that a store is locked by another process and we wait (a ScalrStoreBusyFunc). */
void           cli_report_busy    (const char *path, double waited, gpointer data);
/* A progress reporter that draws on stderr when it is a terminal, else NULL. */
ScalrProgress *cli_progress_new   (void);
/* Ends the progress line, if one was drawn. */
void           cli_progress_done  (void);
void           cli_print_json     (JsonNode *node);
/* "12,345" (a thread-local rotating buffer; valid for a few calls). */
const char    *cli_count          (guint64 n);
/* User text (a name, a value) with control characters escaped, for printing (a rotating
 * buffer; valid for a few calls). */
const char    *cli_safe           (const char *text);
/* Text: printf @format (one double conversion) or "—" (a thread-local rotating buffer). */
const char    *cli_format_number  (const char *format, double value);
/* A lift row as JSON (scalr_lift_row_to_json; undefined numbers are null: scalr-format.h). */
JsonObject    *cli_lift_json      (const ScalrLiftRow *lift);
/* Prints "scalr CMD: MESSAGE" (control characters escaped) on stderr and returns EXIT_ERROR,
 * or EXIT_USAGE for a malformed --set/--grid. */
int            cli_fail           (const char *command, const GError *error);
/* For a finished run without a checksum (@has_checksum FALSE: stored before schema 6): says
 * on stderr, for @command, that its results load but cannot be verified. */
void           cli_note_unverified (const char *command, gint64 run_id, gboolean has_checksum);
/* Parses @argc/@argv with @entries; on failure prints the error with the usage hint. */
gboolean       cli_parse          (GOptionContext *ctx, int *argc, char ***argv, const char *command);

/* Estimates the runs of @configs (NULL-terminated; one per run) on the store at @db, prints
 * the estimate when the work is large, and returns TRUE when it may start: below the
 * threshold, or @yes. Prints why not otherwise. A store or dataset that cannot be read is no
 * reason to stop here (the run reports it). */
gboolean       cli_check_estimate (const char *command, const char *db, ScalrConfig *const *configs, guint n_runs,
                                   gboolean yes);

/* The --threads option's text (NULL: not given, *out = 0: the policy) and SCALR_THREADS,
 * checked: on a bad value prints it with the usage hint and returns FALSE (exit 2). */
gboolean       cli_threads        (const char *command, const char *text, guint *out);
/* The help line of --threads. */
#define CLI_THREADS_HELP "Threads of every stage (default: $SCALR_THREADS, else one per processor)"

/* A run id argument: a positive integer that fits 64 bits. */
gboolean       cli_parse_run_id   (const char *text, gint64 *out);
/* The one RUN argument of @command (argv[1]); prints why not and returns FALSE otherwise. */
gboolean       cli_run_id_arg     (const char *command, int argc, char **argv, gint64 *out);
/* The config of --config FILE (or the defaults) with --set overrides; NULL with @error. */
ScalrConfig   *path_config        (const char *path, char **sets, GError **error);

/* The JSON of a stored run (what `scalr show --json` prints); NULL with @error. */
JsonNode      *cli_run_json       (ScalrStore *store, gint64 run_id, GError **error);

/* A tuned run's trials and selection (validation next to test), and a replicated run's
 * summary (Recall@20 rows by default): text for `scalr show` and `scalr tune`. */
void           cli_print_tuning     (JsonObject *run);
void           cli_print_replicates (JsonObject *run);

int cmd_import   (int argc, char **argv);
int cmd_tune     (int argc, char **argv);
int cmd_sweep    (int argc, char **argv);
int cmd_config   (int argc, char **argv);
int cmd_datasets (int argc, char **argv);
int cmd_stats    (int argc, char **argv);
int cmd_run      (int argc, char **argv);
int cmd_runs     (int argc, char **argv);
int cmd_show     (int argc, char **argv);
int cmd_export   (int argc, char **argv);
int cmd_report   (int argc, char **argv);   /* built with the GUI libraries only */

G_END_DECLS
