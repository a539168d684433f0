/* scalr-fault.h — fault injection for the crash tests: when the environment variable
 * SCALR_FAULT names a point, the process kills itself (SIGKILL) on reaching it, exactly
 * like a crash or a power cut there. Points: "import-write" (halfway through writing a
 * dataset's events), "stage:NAME" (entering a pipeline stage), "eval-write" (halfway
 * through writing a run's metrics). SCALR_FAULT="error:stage:NAME" instead makes the end
 * of that stage fail with an error (scalr_fault_error). Under MPI, SCALR_FAULT_RANK=R
 * limits either to rank R. Costs one cached getenv per call otherwise. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SCALR_FAULT_ERROR (scalr_fault_error_quark ())
GQuark scalr_fault_error_quark (void);

typedef enum {
  SCALR_FAULT_ERROR_INJECTED,   /* SCALR_FAULT asked for this error */
} ScalrFaultError;

void     scalr_fault_point (const char *name);
/* Returns FALSE and sets SCALR_FAULT_ERROR_INJECTED ("injected fault at NAME") when
 * SCALR_FAULT is "error:NAME" (on this rank); TRUE otherwise. */
gboolean scalr_fault_error (const char *name, GError **error);

G_END_DECLS
