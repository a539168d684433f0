/* scalr-progress-relay.h — carries ScalrProgress updates from worker threads to the main loop.
 *
 * A worker's ScalrProgress (made by scalr_progress_relay_new_progress) writes each update
 * under a mutex into a short queue (consecutive updates of one stage replace each other) and
 * schedules ONE idle source on the default main context when none is pending; the idle
 * callback hands the queued updates, in order, to @func on the main thread. No stage change
 * is lost, and however fast the worker reports, the main loop sees at most one wake-up per
 * iteration. */
#pragma once

#include <glib.h>

#include "scalr-progress.h"

G_BEGIN_DECLS

typedef struct _ScalrProgressRelay ScalrProgressRelay;

/* Called on the main thread. */
typedef void (*ScalrRelayFunc) (const char *stage, double fraction, const char *message,
                                gpointer user_data);

/* Call on the main thread. @func receives @user_data until scalr_progress_relay_detach. */
ScalrProgressRelay *scalr_progress_relay_new    (ScalrRelayFunc func, gpointer user_data) G_GNUC_WARN_UNUSED_RESULT;
ScalrProgressRelay *scalr_progress_relay_ref    (ScalrProgressRelay *relay);
void                scalr_progress_relay_unref  (ScalrProgressRelay *relay);
/* A core progress object feeding @relay (it holds a reference); give it to the worker. */
ScalrProgress      *scalr_progress_relay_new_progress (ScalrProgressRelay *relay) G_GNUC_WARN_UNUSED_RESULT;
/* Main thread: no more calls of @func (queued updates are dropped). */
void                scalr_progress_relay_detach (ScalrProgressRelay *relay);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrProgressRelay, scalr_progress_relay_unref)

G_END_DECLS
