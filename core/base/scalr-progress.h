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
/* A progress whose updates move @parent's @stage from @from over @span (a part of a stage:
 * one model of the downstream training); the child's own stage name is ignored, its
 * message passed on. @parent may be NULL (then the child reports nothing). Free it before
 * @parent. Never fails. */
ScalrProgress *scalr_progress_new_part (ScalrProgress *parent, const char *stage, double from,
                                        double span) G_GNUC_WARN_UNUSED_RESULT;
/* The last values reported (copies), for pollers. */
void           scalr_progress_get    (ScalrProgress *progress,
                                      char         **stage,
                                      double        *fraction,
                                      char         **message);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrProgress, scalr_progress_free)

G_END_DECLS
