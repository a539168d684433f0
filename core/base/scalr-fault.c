/* scalr-fault.c — fault injection points (see scalr-fault.h). */
#include "config.h"

#include "scalr-fault.h"

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "scalr-dist.h"

G_DEFINE_QUARK (scalr-fault-error-quark, scalr_fault_error)

/* SCALR_FAULT when it applies to this rank, else NULL. */
static const char *
wanted (void)
{
  static const char *value;
  static gsize once;
  if (g_once_init_enter (&once))
    {
      value = g_getenv ("SCALR_FAULT");
      g_once_init_leave (&once, 1);
    }
  const char *rank = g_getenv ("SCALR_FAULT_RANK");
  if (value != NULL && rank != NULL && (guint) strtoul (rank, NULL, 10) != scalr_dist_rank ())
    return NULL;
  return value;
}

void
scalr_fault_point (const char *name)
{
  const char *w = wanted ();
  if (w != NULL && strcmp (w, name) == 0)
    raise (SIGKILL);
}

gboolean
scalr_fault_error (const char *name, GError **error)
{
  const char *w = wanted ();
  if (w == NULL || !g_str_has_prefix (w, "error:") || strcmp (w + 6, name) != 0)
    return TRUE;
  g_set_error (error, SCALR_FAULT_ERROR, SCALR_FAULT_ERROR_INJECTED, "injected fault at %s", name);
  return FALSE;
}
