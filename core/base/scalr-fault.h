/* scalr-fault.h — fault injection for the crash tests: when the environment variable
 * SCALR_FAULT names a point, the process kills itself (SIGKILL) on reaching it, exactly
 * like a crash or a power cut there. Points: "import-write" (halfway through writing a
 * dataset's events), "stage:NAME" (entering a pipeline stage), "eval-write" (halfway
 * through writing a run's metrics). Costs one cached getenv per call otherwise. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

void scalr_fault_point (const char *name);

G_END_DECLS
