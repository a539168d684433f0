/* scalr-cli-config.c — `scalr config`: every config key with its type, default, allowed
 * values and help, from the parameter tables (what the Configure page shows). */
#include "config.h"

#include "scalr-cli-common.h"
#include "scalr-config.h"

int
cmd_config (int argc, char **argv)
{
  gboolean json = FALSE, defaults = FALSE;
  GOptionEntry entries[] = {
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, "Print JSON: one object per key", NULL },
    { "defaults", 0, 0, G_OPTION_ARG_NONE, &defaults, "Print the default config as a config file", NULL },
    { NULL }
  };
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- the config keys: type, default, allowed values, help");
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!cli_parse (ctx, &argc, &argv, "config"))
    return EXIT_USAGE;
  if (argc > 1)
    {
      g_printerr ("scalr config: unexpected argument '%s'\nTry 'scalr config --help'.\n", argv[1]);
      return EXIT_USAGE;
    }
  if (defaults)
    {
      g_autoptr (ScalrConfig) c = scalr_config_new ();
      g_autofree char *text = scalr_config_to_data (c);
      g_print ("%s", text);
      return EXIT_OK;
    }
  if (json)
    {
      g_autoptr (JsonNode) root = scalr_config_describe_json ();
      cli_print_json (root);
    }
  else
    {
      g_autofree char *text = scalr_config_describe ();
      g_print ("%s", text);
    }
  return EXIT_OK;
}
