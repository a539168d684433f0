/* fuzz-config.c — the config file parser: scalr_config_new_from_data, then the round trip
 * through scalr_config_to_data must load again and give the same text. */
#include "fuzz-config-check.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) c = scalr_config_new_from_data ((const char *) data, (gssize) size, "fuzz.ini", &error);
  if (c == NULL)
    {
      fuzz_check (error != NULL && error->domain == SCALR_CONFIG_ERROR, "load failed without a config error");
      return 0;
    }
  fuzz_check (error == NULL, "load succeeded with an error set");
  fuzz_check_config_roundtrip (c);
  g_autoptr (ScalrConfig) copy = scalr_config_copy (c);
  g_autofree char *a = scalr_config_to_data (c), *b = scalr_config_to_data (copy);
  fuzz_check (strcmp (a, b) == 0, "a copy differs");
  return 0;
}
