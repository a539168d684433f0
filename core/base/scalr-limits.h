/* scalr-limits.h — checking sizes the user asks for against memory before allocating.
 *
 * The budget is 70% of physical memory, or SCALR_MEMORY_LIMIT_MB when set (tests, shared
 * machines). An impossible request is an error that names what asked and what to lower,
 * never an abort. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCALR_LIMITS_ERROR (scalr_limits_error_quark ())
GQuark scalr_limits_error_quark (void);

typedef enum {
  SCALR_LIMITS_ERROR_MEMORY,   /* more memory than the budget */
} ScalrLimitsError;

/* Bytes the process may plan to use. */
guint64  scalr_limits_memory_budget (void);
/* Returns FALSE and sets @error ("WHAT needs X GiB, more than the Y GiB budget; HINT")
 * when @bytes exceed the budget. */
gboolean scalr_limits_check_memory  (const char *what, guint64 bytes, const char *hint, GError **error);

G_END_DECLS
