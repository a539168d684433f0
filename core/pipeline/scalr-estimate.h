/* scalr-estimate.h — what a run will cost, before it starts: time and store growth from the
 * dataset's size and the config (iALS factors and iterations, BPR epochs, EASE's catalogue,
 * itemknn neighbours, negatives, bootstrap, synthetic events), so hopeless settings are
 * caught at start-up. The CLI prints it and asks for --yes past a threshold; the GUI asks for
 * a confirmation from the same numbers. */
#pragma once

#include "scalr-config.h"
#include "scalr-store.h"

G_BEGIN_DECLS

/* Past either, starting asks for a confirmation. */
#define SCALR_ESTIMATE_CONFIRM_SECONDS (15.0 * 60.0)
#define SCALR_ESTIMATE_CONFIRM_BYTES   ((guint64) 2 << 30)

typedef struct {
  double  seconds;        /* rough wall time on this machine (all cores) */
  guint64 store_bytes;    /* what the run(s) add to the store */
  guint   n_runs;
  char   *slowest;        /* owned: the costliest part, e.g. "ials (k = 1024, 10 iterations)" */
} ScalrEstimate;

void scalr_estimate_clear (ScalrEstimate *estimate);

/* Estimates @n_runs runs of @config (a sweep: its points; each point costs like @config) on
 * the config's dataset, from the stored sizes (the events are not loaded). On error (no
 * such dataset, a store error) returns FALSE and sets @error; @out is then cleared. */
gboolean scalr_estimate_run (ScalrStore *store, const ScalrConfig *config, guint n_runs, ScalrEstimate *out,
                             GError **error);
/* Whether @estimate is past SCALR_ESTIMATE_CONFIRM_SECONDS or _BYTES. */
gboolean scalr_estimate_needs_confirmation (const ScalrEstimate *estimate);
/* "about 2 h 10 min and 4.1 GB in the store for 1,000 runs (most of it: …)" (owned). */
char    *scalr_estimate_describe (const ScalrEstimate *estimate) G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ScalrEstimate, scalr_estimate_clear)

G_END_DECLS
