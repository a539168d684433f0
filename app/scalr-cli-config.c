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
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  const char *group = NULL;
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        g_autofree char *allowed = scalr_param_describe_allowed (p);
        if (json)
          {
            json_builder_begin_object (b);
            json_builder_set_member_name (b, "key");
            g_autofree char *full = g_strdup_printf ("%s.%s", p->group, p->key);
            json_builder_add_string_value (b, full);
            json_builder_set_member_name (b, "default");
            json_builder_add_string_value (b, p->def);
            json_builder_set_member_name (b, "allowed");
            json_builder_add_string_value (b, allowed);
            json_builder_set_member_name (b, "model");
            json_builder_add_string_value (b, p->model);
            json_builder_set_member_name (b, "help");
            json_builder_add_string_value (b, p->help);
            json_builder_end_object (b);
            continue;
          }
        if (group == NULL || g_strcmp0 (group, p->group) != 0)
          {
            g_print ("%s[%s]\n", group ? "\n" : "", p->group);
            group = p->group;
          }
        g_print ("  %-22s = %-26s %s%s%s\n      %s\n", p->key, p->def, allowed, p->model ? "; for model " : "",
                 p->model ? p->model : "", p->help);
      }
  json_builder_end_array (b);
  if (json)
    {
      g_autoptr (JsonNode) root = json_builder_get_root (b);
      cli_print_json (root);
    }
  return EXIT_OK;
}
