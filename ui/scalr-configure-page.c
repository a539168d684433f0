/* scalr-configure-page.c — the Configure page: forms from the parameter tables (rows in
 * scalr-configure-rows.c), a search over them, presets from data/presets, config files,
 * Reset with an Undo toast, the name of the next run, and a hint when the configuration
 * repeats a run of the store (looked up in a thread). */
#include "config.h"

#include "scalr-configure-page-private.h"

#include <string.h>

#include "scalr-output.h"
#include "scalr-presets.h"
#include "scalr-run-set.h"
#include "scalr-store.h"
#include "scalr-window.h"

G_DEFINE_FINAL_TYPE (ScalrConfigurePage, scalr_configure_page, ADW_TYPE_BIN)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static void
show_error (ScalrConfigurePage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", message);
}

/* ---- "this config repeats run N" ------------------------------------------------------- */

typedef struct {
  char *db_path, *config;
} RepeatInput;

static void
repeat_input_free (RepeatInput *in)
{
  g_free (in->db_path);
  g_free (in->config);
  g_free (in);
}

static void
repeat_worker (GTask *task, gpointer source, gpointer data, GCancellable *cancellable)
{
  RepeatInput *in = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrStore) store = scalr_store_open (in->db_path, SCALR_STORE_OPEN_DEFAULT, &error);
  g_autoptr (GArray) ids = store ? scalr_store_find_runs_by_config (store, in->config, &error) : NULL;
  if (ids == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The newest finished one, else the newest. */
  ScalrRunInfo *best = NULL;
  for (guint k = 0; k < ids->len; k++)
    {
      ScalrRunInfo *r = scalr_store_load_run (store, g_array_index (ids, gint64, k), NULL);
      if (r && best == NULL)
        best = r;
      else if (r && r->status == SCALR_RUN_FINISHED && best->status != SCALR_RUN_FINISHED)
        {
          scalr_run_info_free (best);
          best = r;
        }
      else
        scalr_run_info_free (r);
    }
  g_task_return_pointer (task, best, (GDestroyNotify) scalr_run_info_free);
}

static void
repeat_done (GObject *source, GAsyncResult *res, gpointer data)
{
  g_autoptr (ScalrRunInfo) run = g_task_propagate_pointer (G_TASK (res), NULL);
  if (g_cancellable_is_cancelled (g_task_get_cancellable (G_TASK (res))))
    return;
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (source);
  g_clear_object (&self->repeat_cancellable);
  self->repeat_run_id = run ? run->id : 0;
  gtk_widget_set_visible (self->repeat_row, run != NULL);
  if (run == NULL)
    return;
  g_autofree char *title = g_strdup_printf ("Run %" G_GINT64_FORMAT " used this exact configuration", run->id);
  g_autofree char *when = g_strndup (run->created_at ? run->created_at : "", 16);
  g_strdelimit (when, "T", ' ');
  g_autofree char *sub = g_strdup_printf ("%s%s%s, %s UTC. Runs are deterministic: the same configuration gives "
                                          "the same results; change a seed for a replicate.",
                                          run->name ? run->name : "", run->name ? " · " : "",
                                          scalr_run_status_to_string (run->status), when);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->repeat_row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self->repeat_row), sub);
  gtk_widget_set_visible (self->repeat_button, run->status == SCALR_RUN_FINISHED);
}

static gboolean
repeat_check (gpointer data)
{
  ScalrConfigurePage *self = data;
  self->repeat_timeout = 0;
  if (self->db_path == NULL)
    return G_SOURCE_REMOVE;
  g_cancellable_cancel (self->repeat_cancellable);
  g_clear_object (&self->repeat_cancellable);
  self->repeat_cancellable = g_cancellable_new ();
  RepeatInput *in = g_new0 (RepeatInput, 1);
  in->db_path = g_strdup (self->db_path);
  in->config = scalr_config_to_data (self->config);
  g_autoptr (GTask) task = g_task_new (self, self->repeat_cancellable, repeat_done, NULL);
  g_task_set_task_data (task, in, (GDestroyNotify) repeat_input_free);
  g_task_run_in_thread (task, repeat_worker);
  return G_SOURCE_REMOVE;
}

static void
schedule_repeat_check (ScalrConfigurePage *self)
{
  g_clear_handle_id (&self->repeat_timeout, g_source_remove);
  self->repeat_timeout = g_timeout_add (300, repeat_check, self);
}

static void
on_repeat_review (GtkButton *button, ScalrConfigurePage *self)
{
  if (self->repeat_run_id > 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.show-run", "x", self->repeat_run_id);
}

/* ---- changes --------------------------------------------------------------------------- */

void
_scalr_configure_page_changed (ScalrConfigurePage *self, const char *group, const char *key)
{
  _scalr_configure_page_refresh_rows (self);
  g_autofree char *auto_name = scalr_run_name_for_config (self->config);
  gtk_entry_set_placeholder_text (GTK_ENTRY (self->name_entry), auto_name);
  schedule_repeat_check (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, group, key);
}

/* ---- public ----------------------------------------------------------------------- */

ScalrConfig *
scalr_configure_page_dup_config (ScalrConfigurePage *self)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), NULL);
  return scalr_config_copy (self->config);
}

const char *
scalr_configure_page_get_error (ScalrConfigurePage *self)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), NULL);
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      if (r->error && scalr_config_param_applies (self->config, r->param))
        return r->error;
    }
  return NULL;
}

gboolean
scalr_configure_page_set_value (ScalrConfigurePage *self, const char *group, const char *key,
                                const char *value, GError **error)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), FALSE);
  if (!scalr_config_set (self->config, group, key, value, error))
    return FALSE;
  ParamRow *r = _scalr_configure_page_find_row (self, group, key);
  if (r)
    {
      self->updating = TRUE;
      _scalr_configure_page_load_field (self, r);
      self->updating = FALSE;
    }
  _scalr_configure_page_changed (self, group, key);
  return TRUE;
}

static void
replace_config (ScalrConfigurePage *self, ScalrConfig *config)
{
  scalr_config_free (self->config);
  self->config = config;
  _scalr_configure_page_load_all_fields (self);
}

static void
on_undo_reset (AdwToast *toast, ScalrConfigurePage *self)
{
  ScalrConfig *before = g_object_get_data (G_OBJECT (toast), "config");
  if (before)
    replace_config (self, scalr_config_copy (before));
}

/* Replaces the configuration and offers Undo in a toast. */
static void
replace_with_undo (ScalrConfigurePage *self, ScalrConfig *config, const char *what)
{
  ScalrConfig *before = scalr_config_copy (self->config);
  replace_config (self, config);
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  if (!SCALR_IS_WINDOW (root))
    {
      scalr_config_free (before);
      return;
    }
  AdwToast *toast = adw_toast_new (what);
  adw_toast_set_button_label (toast, "_Undo");
  g_object_set_data_full (G_OBJECT (toast), "config", before, (GDestroyNotify) scalr_config_free);
  g_signal_connect_object (toast, "button-clicked", G_CALLBACK (on_undo_reset), self, 0);
  scalr_window_add_toast (SCALR_WINDOW (root), toast);
}

gboolean
scalr_configure_page_apply_preset (ScalrConfigurePage *self, const char *preset, GError **error)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), FALSE);
  if (g_strcmp0 (preset, "defaults") == 0)
    {
      g_autoptr (ScalrConfig) c = scalr_config_new ();
      for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
        for (const ScalrParam *p = *t; p->group; p++)
          if (strcmp (p->group, "dataset") == 0)
            scalr_config_set (c, "dataset", p->key, scalr_config_get (self->config, "dataset", p->key), NULL);
      replace_with_undo (self, g_steal_pointer (&c), "Reset to the defaults (the dataset is kept)");
      return TRUE;
    }
  for (guint k = 0; self->presets && k < self->presets->len; k++)
    {
      const ScalrPreset *p = g_ptr_array_index (self->presets, k);
      if (g_strcmp0 (p->id, preset) != 0)
        continue;
      ScalrConfig *c = scalr_preset_apply (self->config, p->path, error);
      if (c == NULL)
        return FALSE;
      g_autofree char *msg = g_strdup_printf ("Preset ‘%s’ applied (the dataset is kept)", p->title);
      replace_with_undo (self, c, msg);
      return TRUE;
    }
  g_set_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND, "no preset ‘%s’", preset);
  return FALSE;
}

GPtrArray *
scalr_configure_page_get_presets (ScalrConfigurePage *self)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), NULL);
  return self->presets;
}

gboolean
scalr_configure_page_load_file (ScalrConfigurePage *self, const char *path, GError **error)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), FALSE);
  ScalrConfig *c = scalr_config_new_from_file (path, error);
  if (c == NULL)
    return FALSE;
  replace_config (self, c);
  return TRUE;
}

gboolean
scalr_configure_page_save_file (ScalrConfigurePage *self, const char *path, GError **error)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), FALSE);
  g_autofree char *text = scalr_config_to_data (self->config);
  return scalr_output_write_file (path, text, strlen (text), error);
}

void
scalr_configure_page_set_datasets (ScalrConfigurePage *self, const char *const *names)
{
  g_return_if_fail (SCALR_IS_CONFIGURE_PAGE (self));
  g_strfreev (self->datasets);
  self->datasets = g_strdupv ((char **) names);
  /* The store has datasets and the config names none of them: take the first. */
  const char *name = scalr_config_get (self->config, "dataset", "name");
  if (names && names[0] && !g_strv_contains (names, name))
    scalr_configure_page_set_value (self, "dataset", "name", names[0], NULL);
  else
    _scalr_configure_page_fill_datasets (self);
}

void
scalr_configure_page_set_store (ScalrConfigurePage *self, const char *db_path)
{
  g_return_if_fail (SCALR_IS_CONFIGURE_PAGE (self));
  g_free (self->db_path);
  self->db_path = g_strdup (db_path);
  schedule_repeat_check (self);
}

char *
scalr_configure_page_dup_run_name (ScalrConfigurePage *self)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), NULL);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_entry))));
  return text[0] ? g_steal_pointer (&text) : NULL;
}

void
scalr_configure_page_set_run_name (ScalrConfigurePage *self, const char *name)
{
  g_return_if_fail (SCALR_IS_CONFIGURE_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), name ? name : "");
}

void
scalr_configure_page_run_started (ScalrConfigurePage *self)
{
  g_return_if_fail (SCALR_IS_CONFIGURE_PAGE (self));
  gtk_editable_set_text (GTK_EDITABLE (self->name_entry), "");
  /* The run just started now repeats this configuration. */
  g_clear_handle_id (&self->repeat_timeout, g_source_remove);
  self->repeat_timeout = g_timeout_add (1500, repeat_check, self);
}

gint64
scalr_configure_page_get_repeated_run (ScalrConfigurePage *self)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), 0);
  return gtk_widget_get_visible (self->repeat_row) ? self->repeat_run_id : 0;
}

gboolean
scalr_configure_page_is_checking (ScalrConfigurePage *self)
{
  return self->repeat_timeout != 0 || self->repeat_cancellable != NULL;
}

/* ---- actions ---------------------------------------------------------------------- */

static void
preset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  g_autoptr (GError) error = NULL;
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (widget);
  if (!scalr_configure_page_apply_preset (self, g_variant_get_string (param, NULL), &error))
    {
      g_autofree char *msg = g_strdup_printf ("The preset could not be applied: %s", error->message);
      show_error (self, msg);
    }
}

static void
on_chooser_response (GtkNativeDialog *dialog, int response, ScalrConfigurePage *self)
{
  gboolean save = gtk_file_chooser_get_action (GTK_FILE_CHOOSER (dialog)) == GTK_FILE_CHOOSER_ACTION_SAVE;
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr (GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_autofree char *path = file ? g_file_get_path (file) : NULL;
      g_autoptr (GError) error = NULL;
      if (path && !(save ? scalr_configure_page_save_file (self, path, &error)
                         : scalr_configure_page_load_file (self, path, &error)))
        {
          g_autofree char *msg = g_strdup_printf ("%s: %s", save ? "Could not save the config" : "Could not load the config",
                                                  error->message);
          show_error (self, msg);
        }
    }
  g_clear_object (&self->chooser);
  g_object_unref (self);
}

static void
open_chooser (ScalrConfigurePage *self, gboolean save)
{
  if (self->chooser)
    return;
  GtkWindow *parent = GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self)));
  GtkFileChooserNative *chooser = gtk_file_chooser_native_new (save ? "Save Config" : "Load Config", parent,
                                                               save ? GTK_FILE_CHOOSER_ACTION_SAVE : GTK_FILE_CHOOSER_ACTION_OPEN,
                                                               save ? "_Save" : "_Open", "_Cancel");
  g_autoptr (GtkFileFilter) ini = gtk_file_filter_new ();
  gtk_file_filter_set_name (ini, "Config files (*.ini)");
  gtk_file_filter_add_pattern (ini, "*.ini");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), ini);
  g_autoptr (GtkFileFilter) all = gtk_file_filter_new ();
  gtk_file_filter_set_name (all, "All files");
  gtk_file_filter_add_pattern (all, "*");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), all);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  if (save)
    gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), "scalr-experiment.ini");
  else
    {
      g_autoptr (GFile) dir = g_file_new_for_path (SCALR_SOURCE_DATADIR);
      if (g_file_query_exists (dir, NULL))
        gtk_file_chooser_set_current_folder (GTK_FILE_CHOOSER (chooser), dir, NULL);
    }
  self->chooser = GTK_NATIVE_DIALOG (chooser);
  g_signal_connect (chooser, "response", G_CALLBACK (on_chooser_response), g_object_ref (self));
  gtk_native_dialog_show (self->chooser);
}

static void
load_action (GtkWidget *widget, const char *name, GVariant *param)
{
  open_chooser (SCALR_CONFIGURE_PAGE (widget), FALSE);
}

static void
save_action (GtkWidget *widget, const char *name, GVariant *param)
{
  open_chooser (SCALR_CONFIGURE_PAGE (widget), TRUE);
}

/* Menu labels take mnemonics: "per_event" would lose its underscore. */
static char *
escape_mnemonic (const char *text)
{
  GString *s = g_string_new (NULL);
  for (const char *p = text; *p; p++)
    {
      if (*p == '_')
        g_string_append_c (s, '_');
      g_string_append_c (s, *p);
    }
  return g_string_free (s, FALSE);
}

static void
build_preset_menu (ScalrConfigurePage *self)
{
  g_autofree char *dir = scalr_presets_default_dir ();
  self->presets = scalr_presets_list (dir, NULL);
  g_autoptr (GMenu) menu = g_menu_new ();
  g_autoptr (GMenu) section = g_menu_new ();
  for (guint k = 0; self->presets && k < self->presets->len; k++)
    {
      const ScalrPreset *p = g_ptr_array_index (self->presets, k);
      g_autoptr (ScalrConfig) c = scalr_config_new_from_file (p->path, NULL);
      g_autofree char *summary = c ? scalr_run_name_for_config (c) : g_strdup ("does not load");
      g_autofree char *label = g_strdup_printf ("%s (%s)", p->title, summary);
      g_autofree char *escaped = escape_mnemonic (label);
      g_autoptr (GMenuItem) item = g_menu_item_new (escaped, NULL);
      g_menu_item_set_action_and_target_value (item, "config.preset", g_variant_new_string (p->id));
      g_menu_append_item (section, item);
    }
  g_menu_append_section (menu, "Presets (the dataset is kept)", G_MENU_MODEL (section));
  g_autoptr (GMenu) reset = g_menu_new ();
  g_menu_append (reset, "_Reset to Defaults", "config.preset::defaults");
  g_menu_append_section (menu, NULL, G_MENU_MODEL (reset));
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (self->preset_button), G_MENU_MODEL (menu));
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
scalr_configure_page_dispose (GObject *object)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (object);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  g_cancellable_cancel (self->repeat_cancellable);
  g_clear_handle_id (&self->repeat_timeout, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_CONFIGURE_PAGE);
  G_OBJECT_CLASS (scalr_configure_page_parent_class)->dispose (object);
}

static void
scalr_configure_page_finalize (GObject *object)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (object);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->groups, g_ptr_array_unref);
  g_clear_pointer (&self->presets, g_ptr_array_unref);
  g_clear_pointer (&self->config, scalr_config_free);
  g_clear_object (&self->repeat_cancellable);
  g_strfreev (self->datasets);
  g_free (self->db_path);
  G_OBJECT_CLASS (scalr_configure_page_parent_class)->finalize (object);
}

static void
scalr_configure_page_class_init (ScalrConfigurePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  object_class->dispose = scalr_configure_page_dispose;
  object_class->finalize = scalr_configure_page_finalize;
  /* Emitted after a key changed (group and key), or after a preset or a file replaced
   * the whole configuration (NULL, NULL). */
  signals[SIGNAL_CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                          NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
  gtk_widget_class_set_template_from_resource (widget_class, "/org/scalr/Workbench/ui/scalr-configure-page.ui");
#define CHILD(name) gtk_widget_class_bind_template_child (widget_class, ScalrConfigurePage, name)
  CHILD (prefs);
  CHILD (status_label);
  CHILD (search_entry);
  CHILD (preset_button);
  CHILD (name_entry);
  CHILD (repeat_row);
  CHILD (repeat_button);
  CHILD (no_match);
#undef CHILD
  gtk_widget_class_install_action (widget_class, "config.preset", "s", preset_action);
  gtk_widget_class_install_action (widget_class, "config.load", NULL, load_action);
  gtk_widget_class_install_action (widget_class, "config.save", NULL, save_action);
}

static void
scalr_configure_page_init (ScalrConfigurePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->config = scalr_config_new ();
  self->rows = g_ptr_array_new_with_free_func (_scalr_param_row_free);
  self->groups = g_ptr_array_new ();
  build_preset_menu (self);
  g_signal_connect_swapped (self->search_entry, "search-changed", G_CALLBACK (_scalr_configure_page_refresh_rows), self);
  g_signal_connect (self->repeat_button, "clicked", G_CALLBACK (on_repeat_review), self);
  _scalr_configure_page_build_forms (self);
}

GtkWidget *
scalr_configure_page_new (void)
{
  return g_object_new (SCALR_TYPE_CONFIGURE_PAGE, NULL);
}
