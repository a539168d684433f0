/* fuzz-config-check.h — the invariant of the config targets: a config writes a text that
 * loads again into the same config (the resolved config a run is stored with must load). */
#pragma once

#include "config.h"

#include <string.h>

#include "scalr-config.h"

#include "fuzz-common.h"

static inline void
fuzz_check_config_roundtrip (const ScalrConfig *c)
{
  g_autofree char *text = scalr_config_to_data (c);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrConfig) again = scalr_config_new_from_data (text, -1, "roundtrip.ini", &error);
  fuzz_check (again != NULL, "the written config does not load: %s\n--- text ---\n%s",
              error ? error->message : "(no error)", text);
  g_autofree char *text2 = scalr_config_to_data (again);
  fuzz_check (strcmp (text, text2) == 0, "the config changes on a round trip\n--- first ---\n%s\n--- second ---\n%s",
              text, text2);
  /* Every key has a value the typed getters accept. */
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        const char *v = scalr_config_get (again, p->group, p->key);
        fuzz_check (v != NULL && strcmp (v, scalr_config_get (c, p->group, p->key)) == 0, "[%s] %s", p->group, p->key);
        g_autoptr (GError) check = NULL;
        fuzz_check (scalr_param_check (p, v, &check), "[%s] %s = '%s' stored but refused: %s", p->group, p->key, v,
                    check->message);
        if (p->type == SCALR_PARAM_LIST)
          g_strfreev (scalr_config_get_list (again, p->group, p->key));
      }
}
