/* scalr-progress.h — thread-safe progress reporting (stage, fraction, message).
 *
 * Workers call scalr_progress_update() from any thread; the callback runs in the calling
 * thread, so a GUI coalesces it into the main loop itself (the core knows no widget). */
#pragma once

#include "scalr-types.h"

G_BEGIN_DECLS

typedef void (*ScalrProgressFunc) (const char *stage,
                                   double      fraction,
                                   const char *message,
                                   gpointer    user_data);

ScalrProgress *scalr_progress_new    (ScalrProgressFunc func,
                                      gpointer          user_data,
                                      GDestroyNotify    destroy) G_GNUC_WARN_UNUSED_RESULT;
void           scalr_progress_free   (ScalrProgress *progress);
/* @progress may be NULL (no-op). Calls closer than 50 ms apart are dropped unless the
 * stage changes or @fraction reaches 1. */
void           scalr_progress_update (ScalrProgress *progress,
                                      const char    *stage,
                                      double         fraction,
                                      const char    *format,
                                      ...) G_GNUC_PRINTF (4, 5);
/* The last values reported (copies), for pollers. */
void           scalr_progress_get    (ScalrProgress *progress,
                                      char         **stage,
                                      double        *fraction,
                                      char         **message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrProgress, scalr_progress_free)

G_END_DECLS
