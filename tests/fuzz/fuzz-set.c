/* fuzz-set.c — --set overrides (scalr_config_set_assignment): the whole input as one
 * assignment, then each line as one; a refused assignment changes nothing, an accepted one
 * leaves a config that writes and loads again. */
#include "fuzz-config-check.h"

int
LLVMFuzzerInitialize (int *argc, char ***argv)
{
  fuzz_init ();
  return 0;
}

static void
assign (ScalrConfig *c, const char *assignment)
{
  g_autofree char *before = scalr_config_to_data (c);
  g_autoptr (GError) error = NULL;
  if (!scalr_config_set_assignment (c, assignment, &error))
    {
      fuzz_check (error != NULL && error->domain == SCALR_CONFIG_ERROR, "refused without a config error");
      g_autofree char *after = scalr_config_to_data (c);
      fuzz_check (strcmp (before, after) == 0, "a refused assignment changed the config");
      return;
    }
  fuzz_check (error == NULL, "accepted with an error set");
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = fuzz_strdup (data, size);
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  assign (c, text);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 8);
  for (guint k = 0; lines[k]; k++)
    assign (c, lines[k]);
  fuzz_check_config_roundtrip (c);
  return 0;
}
