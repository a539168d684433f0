/* scalr-presets.h — named configurations shipped as config files (the .ini files of data/presets): what
 * the workbench's Presets menu lists and applies. A preset is about the method, not the data:
 * applying one keeps the current [dataset] group and sets every other key to the preset's
 * value (the default where the preset says nothing). */
#pragma once

#include "scalr-config.h"

G_BEGIN_DECLS

typedef struct {
  char *id;        /* the file name without ".ini": "sparse-users" */
  char *title;     /* "Sparse users" */
  char *summary;   /* the file's first comment line, without "# " (may be empty) */
  char *path;
} ScalrPreset;

void       scalr_preset_free (ScalrPreset *preset);
/* The folder of the shipped presets: the source tree's data/presets when it exists (a build
 * run in place), else the installed one (owned). */
char      *scalr_presets_default_dir (void) G_GNUC_WARN_UNUSED_RESULT;
/* The *.ini files of @dir, by id. On error (a folder that cannot be read) returns NULL and
 * sets @error; files are not parsed here. */
GPtrArray *scalr_presets_list (const char *dir, GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* @current with the preset at @path applied (see above), as a new config. On error (the file
 * is not a valid config) returns NULL and sets @error naming the file and line. */
ScalrConfig *scalr_preset_apply (const ScalrConfig *current, const char *path, GError **error)
  G_GNUC_WARN_UNUSED_RESULT;

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrPreset, scalr_preset_free)

G_END_DECLS
