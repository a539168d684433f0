/* fuzz-grid.c — --grid specs (scalr_config_parse_grid): every value of an accepted spec
 * must be accepted by scalr_config_set, and the config must then write and load again. */
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
  g_autofree char *spec = fuzz_strdup (data, size);
  g_autofree char *group = NULL, *key = NULL;
  g_auto (GStrv) values = NULL;
  g_autoptr (GError) error = NULL;
  if (!scalr_config_parse_grid (spec, &group, &key, &values, &error))
    {
      fuzz_check (error != NULL && error->domain == SCALR_CONFIG_ERROR, "refused without a config error");
      fuzz_check (group == NULL && key == NULL && values == NULL, "refused but returned values");
      return 0;
    }
  fuzz_check (error == NULL && group && key && values, "accepted without its parts");
  guint n = g_strv_length (values);
  fuzz_check (n >= 1 && n <= 1000, "%u values", n);
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  for (guint k = 0; values[k]; k++)
    {
      g_autoptr (GError) set_error = NULL;
      fuzz_check (scalr_config_set (c, group, key, values[k], &set_error), "grid value '%s' refused by set: %s",
                  values[k], set_error->message);
      if (k < 8)
        fuzz_check_config_roundtrip (c);
    }
  return 0;
}
