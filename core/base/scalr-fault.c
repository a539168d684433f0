/* scalr-fault.c — fault injection points (see scalr-fault.h). */
#include "config.h"

#include "scalr-fault.h"

#include <signal.h>
#include <string.h>

void
scalr_fault_point (const char *name)
{
  static const char *wanted;
  static gsize once;
  if (g_once_init_enter (&once))
    {
      wanted = g_getenv ("SCALR_FAULT");
      g_once_init_leave (&once, 1);
    }
  if (wanted != NULL && strcmp (wanted, name) == 0)
    raise (SIGKILL);
}
