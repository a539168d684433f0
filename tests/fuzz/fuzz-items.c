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
  g_autofree char *events = fuzz_write_file ("events.tsv", events_text, sizeof events_text - 1);
  g_autofree char *items = fuzz_write_file ("items.tsv", data, size);
  g_autofree char *items_csv = fuzz_write_file ("items.csv", data, size);
  fuzz_import (events, items, SCALR_FORMAT_TSV, NULL, NULL);
  fuzz_import (events, items_csv, SCALR_FORMAT_TSV, NULL, NULL);
  return 0;
}
