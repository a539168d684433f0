/* fuzz-tsv.c — the reader in TSV mode and the importer's per-line checks on one events file
 * (without and with the fixed items file, columns by name and by position). */
#include "fuzz-events.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  fuzz_events (data, size, SCALR_FORMAT_TSV, "events.tsv");
  return 0;
}
