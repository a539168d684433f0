/* fuzz-items.c — the items file (titles, years, categories) beside a fixed small events file. */
#include "fuzz-events.h"

static const char events_text[] =
  "userId\tmovieId\trating\ttimestamp\n"
  "1\t1\t4\t10\n"
  "1\t2\t3.5\t11\n"
  "2\t31\t5\t12\n"
  "2\t1\t2\t13\n"
  "3\tu\t1\t14\n";

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  /* The items file's format is detected by its extension: .tsv or .csv by the input's
   * size, one import per run (each import allocates a 4 MiB read buffer, slow under ASan). */
  g_autofree char *events = fuzz_write_file ("events.tsv", events_text, sizeof events_text - 1);
  g_autofree char *items = fuzz_write_file (size % 2 ? "items.csv" : "items.tsv", data, size);
  fuzz_import (events, items, SCALR_FORMAT_TSV, NULL, NULL);
  return 0;
}
