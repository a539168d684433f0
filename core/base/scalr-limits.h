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

/* @a × @b, saturating at G_MAXUINT64 (estimates never wrap). */
static inline guint64
scalr_limits_mul (guint64 a, guint64 b)
{
  return a != 0 && b > G_MAXUINT64 / a ? G_MAXUINT64 : a * b;
}

/* @a + @b, saturating. */
static inline guint64
scalr_limits_add (guint64 a, guint64 b)
{
  return b > G_MAXUINT64 - a ? G_MAXUINT64 : a + b;
}

/* Bytes the process may plan to use. */
guint64  scalr_limits_memory_budget (void);
/* Returns FALSE and sets @error ("WHAT needs X GiB, more than the Y GiB budget; HINT")
 * when @bytes exceed the budget. @hint may be NULL (the caller adds its own). */
gboolean scalr_limits_check_memory  (const char *what, guint64 bytes, const char *hint, GError **error);
/* g_try_malloc0 of @n × @size bytes after checking them against the budget: a refusal or a
 * failed allocation is an error naming @what and @hint, never an abort. */
gpointer scalr_limits_alloc0        (const char *what, guint64 n, gsize size, const char *hint, GError **error);

G_END_DECLS
