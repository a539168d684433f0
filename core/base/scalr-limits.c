/* scalr-limits.c — memory budget checks. */
#include "config.h"

#include "scalr-limits.h"

#include <unistd.h>

G_DEFINE_QUARK (scalr-limits-error-quark, scalr_limits_error)

guint64
scalr_limits_memory_budget (void)
{
  const char *env = g_getenv ("SCALR_MEMORY_LIMIT_MB");
  if (env && g_ascii_strtoull (env, NULL, 10) > 0)
    return g_ascii_strtoull (env, NULL, 10) << 20;
  long pages = sysconf (_SC_PHYS_PAGES), size = sysconf (_SC_PAGESIZE);
  if (pages <= 0 || size <= 0)
    return G_MAXUINT64;
  return (guint64) pages * (guint64) size / 10 * 7;
}

gboolean
scalr_limits_check_memory (const char *what, guint64 bytes, const char *hint, GError **error)
{
  guint64 budget = scalr_limits_memory_budget ();
  if (bytes <= budget)
    return TRUE;
  g_autofree char *need = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
  g_autofree char *have = g_format_size_full (budget, G_FORMAT_SIZE_IEC_UNITS);
  g_set_error (error, SCALR_LIMITS_ERROR, SCALR_LIMITS_ERROR_MEMORY,
               "%s needs %s, more than the %s memory budget (70%% of this machine's memory, "
               "or SCALR_MEMORY_LIMIT_MB)%s%s", what, need, have, hint ? "; " : "", hint ? hint : "");
  return FALSE;
}

gpointer
scalr_limits_alloc0 (const char *what, guint64 n, gsize size, const char *hint, GError **error)
{
  guint64 bytes = scalr_limits_mul (MAX (n, 1), size);
  if (!scalr_limits_check_memory (what, bytes, hint, error))
    return NULL;
  gpointer p = bytes <= G_MAXSIZE ? g_try_malloc0 ((gsize) bytes) : NULL;
  if (p == NULL)
    {
      g_autofree char *need = g_format_size_full (bytes, G_FORMAT_SIZE_IEC_UNITS);
      g_set_error (error, SCALR_LIMITS_ERROR, SCALR_LIMITS_ERROR_MEMORY,
                   "%s: cannot allocate %s (the system refused); %s", what, need, hint);
    }
  return p;
}
