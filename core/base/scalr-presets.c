/* scalr-presets.c — the shipped presets. */
#include "config.h"

#include "scalr-presets.h"

#include <string.h>

void
scalr_preset_free (ScalrPreset *p)
{
  if (p == NULL)
    return;
  g_free (p->id);
  g_free (p->title);
  g_free (p->summary);
  g_free (p->path);
  g_free (p);
}

char *
scalr_presets_default_dir (void)
{
  char *dir = g_build_filename (SCALR_SOURCE_DATADIR, "presets", NULL);
  if (g_file_test (dir, G_FILE_TEST_IS_DIR))
    return dir;
  g_free (dir);
  return g_build_filename (SCALR_DATADIR, "presets", NULL);
}

static char *
title_from_id (const char *id)
{
  char *t = g_strdelimit (g_strdup (id), "-_", ' ');
  if (t[0])
    t[0] = g_ascii_toupper (t[0]);
  return t;
}

static char *
first_comment (const char *path)
{
  g_autofree char *text = NULL;
  if (!g_file_get_contents (path, &text, NULL, NULL))
    return g_strdup ("");
  for (char *line = text; line && *line;)
    {
      char *nl = strchr (line, '\n');
      if (nl)
        *nl = '\0';
      g_strstrip (line);
      if (line[0] == '#')
        return g_strstrip (g_strdup (line + 1));
      if (line[0] != '\0')
        break;
      line = nl ? nl + 1 : NULL;
    }
  return g_strdup ("");
}

static int
cmp_preset (gconstpointer a, gconstpointer b)
{
  return strcmp ((*(ScalrPreset **) a)->id, (*(ScalrPreset **) b)->id);
}

GPtrArray *
scalr_presets_list (const char *dir, GError **error)
{
  g_return_val_if_fail (dir != NULL, NULL);
  g_autoptr (GDir) d = g_dir_open (dir, 0, error);
  if (d == NULL)
    return NULL;
  GPtrArray *out = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_preset_free);
  const char *name;
  while ((name = g_dir_read_name (d)) != NULL)
    {
      if (!g_str_has_suffix (name, ".ini") || strlen (name) <= 4)
        continue;
      ScalrPreset *p = g_new0 (ScalrPreset, 1);
      p->id = g_strndup (name, strlen (name) - 4);
      p->title = title_from_id (p->id);
      p->path = g_build_filename (dir, name, NULL);
      p->summary = first_comment (p->path);
      g_ptr_array_add (out, p);
    }
  g_ptr_array_sort (out, cmp_preset);
  return out;
}

ScalrConfig *
scalr_preset_apply (const ScalrConfig *current, const char *path, GError **error)
{
  g_return_val_if_fail (current != NULL && path != NULL, NULL);
  g_autoptr (ScalrConfig) preset = scalr_config_new_from_file (path, error);
  if (preset == NULL)
    return NULL;
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      if (strcmp (p->group, "dataset") == 0)
        scalr_config_set (preset, p->group, p->key, scalr_config_get (current, p->group, p->key), NULL);
  return g_steal_pointer (&preset);
}
