/* scalr-configure-page.c — forms generated from the config's parameter tables.
 *
 * One AdwPreferencesGroup per config group; one row per parameter: a combo row for a
 * choice, a switch for a boolean, a spin button for a plain integer, an entry for the rest.
 * Every edit is checked with scalr_param_check as it is typed; a valid value goes straight
 * into the page's ScalrConfig, an invalid one marks the row (the "error" class, the message
 * as its subtitle) and leaves the config at the last valid value. Parameters that apply to
 * one model (generator.smoothing for cooc, downstream.ials.* for ials) show only when that
 * model is chosen. */
#include "config.h"

#include "scalr-configure-page.h"

#include <string.h>

#include "scalr-output.h"

typedef struct {
  const ScalrParam *param;   /* static table entry */
  GtkWidget        *row;     /* owned by the group */
  GtkWidget        *editor;  /* entry, spin button or switch; NULL for a combo row */
  char             *allowed; /* owned */
  char             *error;   /* owned; NULL while valid */
} ParamRow;

struct _ScalrConfigurePage {
  AdwBin       parent_instance;
  GtkWidget   *prefs;
  GtkWidget   *status_label;
  ScalrConfig *config;       /* owned */
  GPtrArray   *rows;         /* ParamRow*, table order */
  gboolean     updating;     /* fields are being set from the config */
  GtkNativeDialog *chooser;  /* owned while open */
};

G_DEFINE_FINAL_TYPE (ScalrConfigurePage, scalr_configure_page, ADW_TYPE_BIN)

enum { SIGNAL_CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

static const struct {
  const char *group, *title, *description;
} group_meta[] = {
  { "dataset", "Dataset", "The stored dataset and the rules selecting its source and target domains" },
  { "split", "Split", "Held-out validation and test events, and the simulated sparse (cold-start) users" },
  { "generator", "Generator", "Stage 1: the model estimating P(target item | the user's source events)" },
  { "sampler", "Sampler", "Turning probabilities into synthetic events: strategy, filters, alignment, weights" },
  { "downstream", "Downstream Models", "Stage 2: recommenders trained on real, and real + synthetic, target events" },
  { "eval", "Evaluation", "Ranking metrics at K, pointwise NE and AUC, and the bootstrap of the lifts" },
};

static void
param_row_free (gpointer data)
{
  ParamRow *r = data;
  g_free (r->allowed);
  g_free (r->error);
  g_free (r);
}

static void
show_error (ScalrConfigurePage *self, const char *message)
{
  gtk_widget_activate_action (GTK_WIDGET (self), "win.show-error", "s", message);
}

/* Whether @p applies under the group's model (or models list). */
static gboolean
param_applies (const ScalrConfig *c, const ScalrParam *p)
{
  if (p->model == NULL)
    return TRUE;
  if (scalr_config_lookup_param (p->group, "model"))
    return g_strcmp0 (scalr_config_get (c, p->group, "model"), p->model) == 0;
  if (scalr_config_lookup_param (p->group, "models"))
    {
      g_auto (GStrv) models = scalr_config_get_list (c, p->group, "models");
      return models && g_strv_contains ((const char *const *) models, p->model);
    }
  return TRUE;
}

static void
update_visibility (ScalrConfigurePage *self)
{
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      gtk_widget_set_visible (r->row, param_applies (self->config, r->param));
    }
}

static void
update_status (ScalrConfigurePage *self)
{
  guint n_bad = 0;
  const char *first = NULL;
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      if (r->error && gtk_widget_get_visible (r->row))
        {
          n_bad++;
          first = first ? first : r->error;
        }
    }
  g_autofree char *text = NULL;
  if (n_bad == 0)
    text = g_strdup_printf ("All values valid · %s: %s → %s · %s, %s",
                            scalr_config_get (self->config, "dataset", "name"),
                            scalr_config_get (self->config, "dataset", "source"),
                            scalr_config_get (self->config, "dataset", "target"),
                            scalr_config_get (self->config, "generator", "model"),
                            scalr_config_get (self->config, "sampler", "strategy"));
  else
    text = g_strdup_printf ("%u invalid value%s — %s", n_bad, n_bad == 1 ? "" : "s", first);
  gtk_label_set_text (GTK_LABEL (self->status_label), text);
  gtk_widget_set_tooltip_text (self->status_label, text);
  if (n_bad)
    {
      gtk_widget_add_css_class (self->status_label, "error");
      gtk_widget_remove_css_class (self->status_label, "dim-label");
    }
  else
    {
      gtk_widget_remove_css_class (self->status_label, "error");
      gtk_widget_add_css_class (self->status_label, "dim-label");
    }
}

static void
set_row_error (ParamRow *r, const char *message)
{
  g_free (r->error);
  r->error = g_strdup (message);
  if (message)
    {
      gtk_widget_add_css_class (r->row, "error");
      if (r->editor)
        gtk_widget_add_css_class (r->editor, "error");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), message);
    }
  else
    {
      gtk_widget_remove_css_class (r->row, "error");
      if (r->editor)
        gtk_widget_remove_css_class (r->editor, "error");
      adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), r->param->help);
    }
}

/* A field changed to @value: check, store, mark. */
static void
field_changed (ScalrConfigurePage *self, ParamRow *r, const char *value)
{
  if (self->updating)
    return;
  const ScalrParam *p = r->param;
  g_autoptr (GError) error = NULL;
  if (!scalr_param_check (p, value, &error)
      || !scalr_config_set (self->config, p->group, p->key, value, &error))
    {
      set_row_error (r, error->message);
      update_status (self);
      return;
    }
  set_row_error (r, NULL);
  if (p->model == NULL && (g_strcmp0 (p->key, "model") == 0 || g_strcmp0 (p->key, "models") == 0))
    update_visibility (self);
  update_status (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, p->group, p->key);
}

static void
on_editable_changed (GtkEditable *editable, ParamRow *r)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (gtk_widget_get_ancestor (r->row, SCALR_TYPE_CONFIGURE_PAGE));
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  field_changed (self, r, text);
}

static void
on_switch_active (GtkSwitch *sw, GParamSpec *pspec, ParamRow *r)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (gtk_widget_get_ancestor (r->row, SCALR_TYPE_CONFIGURE_PAGE));
  field_changed (self, r, gtk_switch_get_active (sw) ? "true" : "false");
}

static void
on_combo_selected (AdwComboRow *combo, GParamSpec *pspec, ParamRow *r)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (gtk_widget_get_ancestor (r->row, SCALR_TYPE_CONFIGURE_PAGE));
  GtkStringObject *item = adw_combo_row_get_selected_item (combo);
  if (item)
    field_changed (self, r, gtk_string_object_get_string (item));
}

static gboolean
is_plain_int (const ScalrParam *p)
{
  return p->type == SCALR_PARAM_INT && p->choices == NULL;
}

/* Sets a field from the config without triggering a check. */
static void
load_field (ScalrConfigurePage *self, ParamRow *r)
{
  const ScalrParam *p = r->param;
  const char *value = scalr_config_get (self->config, p->group, p->key);
  if (p->type == SCALR_PARAM_CHOICE)
    {
      g_auto (GStrv) choices = g_strsplit (p->choices, "|", -1);
      for (guint k = 0; choices[k]; k++)
        if (g_strcmp0 (choices[k], value) == 0)
          adw_combo_row_set_selected (ADW_COMBO_ROW (r->row), k);
    }
  else if (p->type == SCALR_PARAM_BOOL)
    gtk_switch_set_active (GTK_SWITCH (r->editor), g_strcmp0 (value, "true") == 0);
  else if (is_plain_int (p))
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (r->editor), g_ascii_strtod (value, NULL));
  else
    gtk_editable_set_text (GTK_EDITABLE (r->editor), value);
  set_row_error (r, NULL);
}

static void
load_all_fields (ScalrConfigurePage *self)
{
  self->updating = TRUE;
  for (guint k = 0; k < self->rows->len; k++)
    load_field (self, g_ptr_array_index (self->rows, k));
  self->updating = FALSE;
  update_visibility (self);
  update_status (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, NULL, NULL);
}

static ParamRow *
find_row (ScalrConfigurePage *self, const char *group, const char *key)
{
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      if (g_strcmp0 (r->param->group, group) == 0 && g_strcmp0 (r->param->key, key) == 0)
        return r;
    }
  return NULL;
}

static ParamRow *
build_row (ScalrConfigurePage *self, const ScalrParam *p)
{
  ParamRow *r = g_new0 (ParamRow, 1);
  r->param = p;
  r->allowed = scalr_param_describe_allowed (p);
  if (p->type == SCALR_PARAM_CHOICE)
    {
      g_auto (GStrv) choices = g_strsplit (p->choices, "|", -1);
      g_autoptr (GtkStringList) model = gtk_string_list_new ((const char *const *) choices);
      r->row = adw_combo_row_new ();
      adw_combo_row_set_model (ADW_COMBO_ROW (r->row), G_LIST_MODEL (model));
    }
  else
    {
      r->row = adw_action_row_new ();
      if (p->type == SCALR_PARAM_BOOL)
        {
          r->editor = gtk_switch_new ();
          adw_action_row_set_activatable_widget (ADW_ACTION_ROW (r->row), r->editor);
        }
      else if (is_plain_int (p))
        {
          GtkAdjustment *adj = gtk_adjustment_new (0, p->min, p->max, 1, 10, 0);
          r->editor = gtk_spin_button_new (adj, 1, 0);
          gtk_editable_set_width_chars (GTK_EDITABLE (r->editor), 8);
        }
      else
        {
          r->editor = gtk_entry_new ();
          gboolean wide = p->type == SCALR_PARAM_RULE || p->type == SCALR_PARAM_LIST
                          || p->type == SCALR_PARAM_STRING || p->type == SCALR_PARAM_INT_LIST;
          gtk_editable_set_width_chars (GTK_EDITABLE (r->editor), wide ? 32 : 10);
        }
      gtk_widget_set_valign (r->editor, GTK_ALIGN_CENTER);
      adw_action_row_add_suffix (ADW_ACTION_ROW (r->row), r->editor);
    }
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (r->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r->row), p->key);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), p->help);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (r->row), 2);
  g_autofree char *tip = g_strdup_printf ("%s.%s — %s\nAllowed: %s\nDefault: %s", p->group, p->key,
                                          p->help, r->allowed, p->def);
  gtk_widget_set_tooltip_text (r->row, tip);
  return r;
}

static void
connect_row (ParamRow *r)
{
  const ScalrParam *p = r->param;
  if (p->type == SCALR_PARAM_CHOICE)
    g_signal_connect (r->row, "notify::selected", G_CALLBACK (on_combo_selected), r);
  else if (p->type == SCALR_PARAM_BOOL)
    g_signal_connect (r->editor, "notify::active", G_CALLBACK (on_switch_active), r);
  else
    g_signal_connect (r->editor, "changed", G_CALLBACK (on_editable_changed), r);
}

static void
build_forms (ScalrConfigurePage *self)
{
  g_autoptr (GHashTable) groups = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint g = 0; g < G_N_ELEMENTS (group_meta); g++)
    {
      GtkWidget *group = adw_preferences_group_new ();
      adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), group_meta[g].title);
      g_autofree char *desc = g_strdup_printf ("[%s] — %s", group_meta[g].group, group_meta[g].description);
      adw_preferences_group_set_description (ADW_PREFERENCES_GROUP (group), desc);
      gtk_box_append (GTK_BOX (self->prefs), group);
      g_hash_table_insert (groups, (gpointer) group_meta[g].group, group);
    }
  for (const ScalrParam *const *t = scalr_config_get_tables (); *t; t++)
    for (const ScalrParam *p = *t; p->group; p++)
      {
        GtkWidget *group = g_hash_table_lookup (groups, p->group);
        if (group == NULL)
          {
            /* A group this page does not know yet: still editable. */
            group = adw_preferences_group_new ();
            adw_preferences_group_set_title (ADW_PREFERENCES_GROUP (group), p->group);
            gtk_box_append (GTK_BOX (self->prefs), group);
            g_hash_table_insert (groups, (gpointer) p->group, group);
          }
        ParamRow *r = build_row (self, p);
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), r->row);
        g_ptr_array_add (self->rows, r);
      }
  load_all_fields (self);
  for (guint k = 0; k < self->rows->len; k++)
    connect_row (g_ptr_array_index (self->rows, k));
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
      if (r->error && gtk_widget_get_visible (r->row))
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
  ParamRow *r = find_row (self, group, key);
  if (r)
    {
      self->updating = TRUE;
      load_field (self, r);
      self->updating = FALSE;
    }
  update_visibility (self);
  update_status (self);
  g_signal_emit (self, signals[SIGNAL_CHANGED], 0, group, key);
  return TRUE;
}

void
scalr_configure_page_apply_preset (ScalrConfigurePage *self, const char *preset)
{
  g_return_if_fail (SCALR_IS_CONFIGURE_PAGE (self));
  static const char *const paper[] = { "generator.model=cooc", "sampler.strategy=per_event",
                                       "sampler.samples_per_event=1", NULL };
  static const char *const top1[] = { "generator.model=cooc", "sampler.strategy=topk", "sampler.k=1", NULL };
  static const char *const quick[] = { "downstream.models=pop,ease", "eval.bootstrap=200", NULL };
  static const char *const none[] = { NULL };
  const char *const *sets = g_strcmp0 (preset, "paper") == 0 ? paper
                          : g_strcmp0 (preset, "top1") == 0 ? top1
                          : g_strcmp0 (preset, "quick") == 0 ? quick
                          : g_strcmp0 (preset, "defaults") == 0 ? none : NULL;
  if (sets == NULL)
    return;
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  /* Keep the dataset group: a preset is about the method, not the data. */
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      if (g_strcmp0 (r->param->group, "dataset") == 0)
        scalr_config_set (c, "dataset", r->param->key,
                          scalr_config_get (self->config, "dataset", r->param->key), NULL);
    }
  for (guint k = 0; sets[k]; k++)
    {
      g_autoptr (GError) error = NULL;
      if (!scalr_config_set_assignment (c, sets[k], &error))
        g_warning ("preset %s: %s", preset, error->message);
    }
  scalr_config_free (self->config);
  self->config = g_steal_pointer (&c);
  load_all_fields (self);
}

gboolean
scalr_configure_page_load_file (ScalrConfigurePage *self, const char *path, GError **error)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), FALSE);
  ScalrConfig *c = scalr_config_new_from_file (path, error);
  if (c == NULL)
    return FALSE;
  scalr_config_free (self->config);
  self->config = c;
  load_all_fields (self);
  return TRUE;
}

gboolean
scalr_configure_page_save_file (ScalrConfigurePage *self, const char *path, GError **error)
{
  g_return_val_if_fail (SCALR_IS_CONFIGURE_PAGE (self), FALSE);
  g_autofree char *text = scalr_config_to_data (self->config);
  return scalr_output_write_file (path, text, strlen (text), error);
}

/* ---- actions ---------------------------------------------------------------------- */

static void
preset_action (GtkWidget *widget, const char *name, GVariant *param)
{
  scalr_configure_page_apply_preset (SCALR_CONFIGURE_PAGE (widget), g_variant_get_string (param, NULL));
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

/* ---- GObject ---------------------------------------------------------------------- */

static void
scalr_configure_page_dispose (GObject *object)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (object);
  if (self->chooser)
    gtk_native_dialog_destroy (self->chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), SCALR_TYPE_CONFIGURE_PAGE);
  G_OBJECT_CLASS (scalr_configure_page_parent_class)->dispose (object);
}

static void
scalr_configure_page_finalize (GObject *object)
{
  ScalrConfigurePage *self = SCALR_CONFIGURE_PAGE (object);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->config, scalr_config_free);
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
  gtk_widget_class_bind_template_child (widget_class, ScalrConfigurePage, prefs);
  gtk_widget_class_bind_template_child (widget_class, ScalrConfigurePage, status_label);
  gtk_widget_class_install_action (widget_class, "config.preset", "s", preset_action);
  gtk_widget_class_install_action (widget_class, "config.load", NULL, load_action);
  gtk_widget_class_install_action (widget_class, "config.save", NULL, save_action);
}

static void
scalr_configure_page_init (ScalrConfigurePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->config = scalr_config_new ();
  self->rows = g_ptr_array_new_with_free_func (param_row_free);
  build_forms (self);
}

GtkWidget *
scalr_configure_page_new (void)
{
  return g_object_new (SCALR_TYPE_CONFIGURE_PAGE, NULL);
}
