/* scalr-configure-rows.c — one row per parameter, built from the parameter tables.
 *
 * A readable title with the key and its help as the subtitle; a combo row for a choice
 * (the dataset name chooses among the store's datasets), toggles for a list of choices
 * (downstream models), a switch for a boolean, a spin button for a plain integer, an entry
 * for the rest. Every edit is checked with scalr_param_check as it is typed; a valid value
 * goes straight into the page's ScalrConfig, an invalid one marks the row (the "error"
 * class, the message as its subtitle) and leaves the config at the last valid value. A dot
 * and a reset button show where a value differs from its default. Parameters of another
 * model (generator.smoothing for cooc …) are hidden; those of another sampler strategy stay
 * visible but insensitive. */
#include "config.h"

#include "scalr-configure-page-private.h"

#include <string.h>

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

void
_scalr_param_row_free (gpointer data)
{
  ParamRow *r = data;
  g_clear_pointer (&r->toggles, g_ptr_array_unref);
  g_free (r->allowed);
  g_free (r->haystack);
  g_free (r->error);
  g_free (r);
}

static ScalrConfigurePage *
page_of (ParamRow *r)
{
  return SCALR_CONFIGURE_PAGE (gtk_widget_get_ancestor (r->row, SCALR_TYPE_CONFIGURE_PAGE));
}

static gboolean
is_dataset_name (const ScalrParam *p)
{
  return strcmp (p->group, "dataset") == 0 && strcmp (p->key, "name") == 0;
}

static gboolean
is_plain_int (const ScalrParam *p)
{
  return p->type == SCALR_PARAM_INT && p->choices == NULL;
}

static char *
subtitle_of (const ScalrParam *p)
{
  return g_strdup_printf ("%s.%s — %s", p->group, p->key, p->help);
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
      g_autofree char *sub = subtitle_of (r->param);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), sub);
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
  if (!scalr_param_check (p, value, &error) || !scalr_config_set (self->config, p->group, p->key, value, &error))
    {
      set_row_error (r, error->message);
      _scalr_configure_page_refresh_rows (self);
      return;
    }
  set_row_error (r, NULL);
  _scalr_configure_page_changed (self, p->group, p->key);
}

static void
on_editable_changed (GtkEditable *editable, ParamRow *r)
{
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (editable)));
  field_changed (page_of (r), r, text);
}

static void
on_switch_active (GtkSwitch *sw, GParamSpec *pspec, ParamRow *r)
{
  field_changed (page_of (r), r, gtk_switch_get_active (sw) ? "true" : "false");
}

static void
on_combo_selected (AdwComboRow *combo, GParamSpec *pspec, ParamRow *r)
{
  GtkStringObject *item = adw_combo_row_get_selected_item (combo);
  ScalrConfigurePage *self = page_of (r);
  if (item && self && !self->updating)
    field_changed (self, r, gtk_string_object_get_string (item));
}

static void
on_toggle (GtkToggleButton *button, ParamRow *r)
{
  ScalrConfigurePage *self = page_of (r);
  if (self == NULL || self->updating)
    return;
  g_autoptr (GString) list = g_string_new (NULL);
  for (guint k = 0; k < r->toggles->len; k++)
    {
      GtkToggleButton *t = g_ptr_array_index (r->toggles, k);
      if (gtk_toggle_button_get_active (t))
        g_string_append_printf (list, "%s%s", list->len ? "," : "", (const char *) g_object_get_data (G_OBJECT (t), "choice"));
    }
  field_changed (self, r, list->str);
}

static void
on_reset_row (GtkButton *button, ParamRow *r)
{
  ScalrConfigurePage *self = page_of (r);
  scalr_configure_page_set_value (self, r->param->group, r->param->key, r->param->def, NULL);
}

/* Sets a field from the config without triggering a check. */
void
_scalr_configure_page_load_field (ScalrConfigurePage *self, ParamRow *r)
{
  const ScalrParam *p = r->param;
  const char *value = scalr_config_get (self->config, p->group, p->key);
  if (is_dataset_name (p))
    _scalr_configure_page_fill_datasets (self);
  else if (p->type == SCALR_PARAM_CHOICE)
    {
      g_auto (GStrv) choices = g_strsplit (p->choices, "|", -1);
      for (guint k = 0; choices[k]; k++)
        if (g_strcmp0 (choices[k], value) == 0)
          adw_combo_row_set_selected (ADW_COMBO_ROW (r->row), k);
    }
  else if (r->toggles)
    {
      g_auto (GStrv) on = scalr_config_get_list (self->config, p->group, p->key);
      for (guint k = 0; k < r->toggles->len; k++)
        {
          GtkToggleButton *t = g_ptr_array_index (r->toggles, k);
          gtk_toggle_button_set_active (t, g_strv_contains ((const char *const *) on, g_object_get_data (G_OBJECT (t), "choice")));
        }
    }
  else if (p->type == SCALR_PARAM_BOOL)
    gtk_switch_set_active (GTK_SWITCH (r->editor), g_strcmp0 (value, "true") == 0);
  else if (is_plain_int (p))
    gtk_spin_button_set_value (GTK_SPIN_BUTTON (r->editor), g_ascii_strtod (value, NULL));
  else
    gtk_editable_set_text (GTK_EDITABLE (r->editor), value);
  set_row_error (r, NULL);
}

void
_scalr_configure_page_load_all_fields (ScalrConfigurePage *self)
{
  self->updating = TRUE;
  for (guint k = 0; k < self->rows->len; k++)
    _scalr_configure_page_load_field (self, g_ptr_array_index (self->rows, k));
  self->updating = FALSE;
  _scalr_configure_page_changed (self, NULL, NULL);
}

ParamRow *
_scalr_configure_page_find_row (ScalrConfigurePage *self, const char *group, const char *key)
{
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      if (g_strcmp0 (r->param->group, group) == 0 && g_strcmp0 (r->param->key, key) == 0)
        return r;
    }
  return NULL;
}

/* The dataset row lists the store's datasets, and the config's name when the store has no
 * such dataset (marked). */
void
_scalr_configure_page_fill_datasets (ScalrConfigurePage *self)
{
  ParamRow *r = _scalr_configure_page_find_row (self, "dataset", "name");
  if (r == NULL)
    return;
  const char *name = scalr_config_get (self->config, "dataset", "name");
  g_autoptr (GtkStringList) list = gtk_string_list_new (NULL);
  guint pos = G_MAXUINT, n = 0;
  for (guint k = 0; self->datasets && self->datasets[k]; k++, n++)
    {
      gtk_string_list_append (list, self->datasets[k]);
      if (g_strcmp0 (self->datasets[k], name) == 0)
        pos = n;
    }
  if (pos == G_MAXUINT)
    {
      gtk_string_list_append (list, name);
      pos = n;
    }
  gboolean was = self->updating;
  self->updating = TRUE;
  adw_combo_row_set_model (ADW_COMBO_ROW (r->row), G_LIST_MODEL (list));
  adw_combo_row_set_selected (ADW_COMBO_ROW (r->row), pos);
  self->updating = was;
  gboolean missing = self->datasets && !g_strv_contains ((const char *const *) self->datasets, name);
  if (r->error == NULL)
    {
      g_autofree char *sub = missing ? g_strdup_printf ("dataset.name — ‘%s’ is not in the store: import it on the "
                                                        "Datasets page or choose another", name)
                                     : subtitle_of (r->param);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), sub);
    }
}

static void
add_suffix_markers (ParamRow *r)
{
  r->changed = gtk_label_new ("●");
  gtk_widget_add_css_class (r->changed, "accent");
  gtk_widget_set_tooltip_text (r->changed, "Changed from the default");
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->changed), GTK_ACCESSIBLE_PROPERTY_LABEL, "Changed from the default", -1);
  r->reset = gtk_button_new_from_icon_name ("edit-undo-symbolic");
  gtk_widget_add_css_class (r->reset, "flat");
  gtk_widget_set_valign (r->reset, GTK_ALIGN_CENTER);
  g_autofree char *tip = g_strdup_printf ("Back to the default (%s)", r->param->def);
  gtk_widget_set_tooltip_text (r->reset, tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->reset), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
  g_signal_connect (r->reset, "clicked", G_CALLBACK (on_reset_row), r);
  adw_action_row_add_suffix (ADW_ACTION_ROW (r->row), r->changed);
  adw_action_row_add_suffix (ADW_ACTION_ROW (r->row), r->reset);
}

static void
build_toggles (ParamRow *r)
{
  r->toggles = g_ptr_array_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 0);
  gtk_widget_add_css_class (box, "linked");
  gtk_widget_set_valign (box, GTK_ALIGN_CENTER);
  g_auto (GStrv) choices = g_strsplit (r->param->choices, "|", -1);
  for (guint k = 0; choices[k]; k++)
    {
      GtkWidget *t = gtk_toggle_button_new_with_label (choices[k]);
      g_object_set_data_full (G_OBJECT (t), "choice", g_strdup (choices[k]), g_free);
      g_signal_connect (t, "toggled", G_CALLBACK (on_toggle), r);
      gtk_box_append (GTK_BOX (box), t);
      g_ptr_array_add (r->toggles, t);
    }
  adw_action_row_add_suffix (ADW_ACTION_ROW (r->row), box);
}

static void
build_editor (ParamRow *r)
{
  const ScalrParam *p = r->param;
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
      gboolean wide = p->type == SCALR_PARAM_RULE || p->type == SCALR_PARAM_LIST || p->type == SCALR_PARAM_STRING
                      || p->type == SCALR_PARAM_INT_LIST;
      /* Narrow minimum, natural width for the value: rows stay usable on a small window. */
      gtk_editable_set_width_chars (GTK_EDITABLE (r->editor), wide ? 14 : 8);
      gtk_editable_set_max_width_chars (GTK_EDITABLE (r->editor), wide ? 32 : 10);
    }
  gtk_widget_set_valign (r->editor, GTK_ALIGN_CENTER);
  g_autofree char *title = scalr_param_dup_title (p);
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->editor), GTK_ACCESSIBLE_PROPERTY_LABEL, title, -1);
  adw_action_row_add_suffix (ADW_ACTION_ROW (r->row), r->editor);
}

static ParamRow *
build_row (const ScalrParam *p)
{
  ParamRow *r = g_new0 (ParamRow, 1);
  r->param = p;
  r->allowed = scalr_param_describe_allowed (p);
  if (p->type == SCALR_PARAM_CHOICE || is_dataset_name (p))
    {
      r->row = adw_combo_row_new ();
      if (p->choices)
        {
          g_auto (GStrv) choices = g_strsplit (p->choices, "|", -1);
          g_autoptr (GtkStringList) model = gtk_string_list_new ((const char *const *) choices);
          adw_combo_row_set_model (ADW_COMBO_ROW (r->row), G_LIST_MODEL (model));
        }
    }
  else
    r->row = adw_action_row_new ();
  g_autofree char *title = scalr_param_dup_title (p);
  g_autofree char *subtitle = subtitle_of (p);
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (r->row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (r->row), title);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), subtitle);
  adw_action_row_set_subtitle_lines (ADW_ACTION_ROW (r->row), 2);
  add_suffix_markers (r);
  if (p->type == SCALR_PARAM_LIST && p->choices)
    build_toggles (r);
  else if (!ADW_IS_COMBO_ROW (r->row))
    build_editor (r);
  g_autofree char *tip = g_strdup_printf ("%s.%s — %s\nAllowed: %s\nDefault: %s", p->group, p->key, p->help,
                                          r->allowed, p->def);
  gtk_widget_set_tooltip_text (r->row, tip);
  g_autofree char *hay = g_strdup_printf ("%s %s.%s %s", title, p->group, p->key, p->help);
  r->haystack = g_utf8_casefold (hay, -1);
  return r;
}

static void
connect_row (ParamRow *r)
{
  if (ADW_IS_COMBO_ROW (r->row))
    g_signal_connect (r->row, "notify::selected", G_CALLBACK (on_combo_selected), r);
  else if (r->param->type == SCALR_PARAM_BOOL)
    g_signal_connect (r->editor, "notify::active", G_CALLBACK (on_switch_active), r);
  else if (r->editor)
    g_signal_connect (r->editor, "changed", G_CALLBACK (on_editable_changed), r);
}

void
_scalr_configure_page_build_forms (ScalrConfigurePage *self)
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
      g_ptr_array_add (self->groups, group);
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
            g_ptr_array_add (self->groups, group);
          }
        ParamRow *r = build_row (p);
        r->group = group;
        adw_preferences_group_add (ADW_PREFERENCES_GROUP (group), r->row);
        g_ptr_array_add (self->rows, r);
      }
  _scalr_configure_page_load_all_fields (self);
  for (guint k = 0; k < self->rows->len; k++)
    connect_row (g_ptr_array_index (self->rows, k));
}

static gboolean
matches (const ParamRow *r, GStrv words)
{
  for (guint w = 0; words && words[w]; w++)
    if (words[w][0] && strstr (r->haystack, words[w]) == NULL)
      return FALSE;
  return TRUE;
}

static void
update_status (ScalrConfigurePage *self)
{
  guint n_bad = 0, n_changed = 0;
  const char *first = NULL;
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      gboolean applies = scalr_config_param_applies (self->config, r->param);
      if (r->error && applies)
        {
          n_bad++;
          first = first ? first : r->error;
        }
      n_changed += applies && !scalr_config_is_default (self->config, r->param->group, r->param->key);
    }
  g_autofree char *text = NULL;
  if (n_bad == 0)
    text = g_strdup_printf ("All values valid · %u changed from the defaults · %s: %s → %s",
                            n_changed, scalr_config_get (self->config, "dataset", "name"),
                            scalr_config_get (self->config, "dataset", "source"),
                            scalr_config_get (self->config, "dataset", "target"));
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

void
_scalr_configure_page_refresh_rows (ScalrConfigurePage *self)
{
  const char *query = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *fold = g_utf8_casefold (query ? query : "", -1);
  g_auto (GStrv) words = g_strsplit_set (fold, " \t", -1);
  g_autoptr (GHashTable) shown = g_hash_table_new (NULL, NULL);
  for (guint k = 0; k < self->rows->len; k++)
    {
      ParamRow *r = g_ptr_array_index (self->rows, k);
      const char *sel = scalr_param_get_selector (r->param);
      gboolean applies = scalr_config_param_applies (self->config, r->param);
      gboolean by_strategy = g_strcmp0 (sel, "strategy") == 0;
      gboolean visible = (applies || by_strategy) && matches (r, words);
      gtk_widget_set_visible (r->row, visible);
      gtk_widget_set_sensitive (r->row, applies);
      if (by_strategy && !applies && r->error == NULL)
        {
          g_autofree char *sub = g_strdup_printf ("%s.%s — only for strategy %s", r->param->group, r->param->key,
                                                  r->param->model);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), sub);
        }
      else if (by_strategy && r->error == NULL)
        {
          g_autofree char *sub = subtitle_of (r->param);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (r->row), sub);
        }
      gboolean changed = !scalr_config_is_default (self->config, r->param->group, r->param->key);
      gtk_widget_set_visible (r->changed, changed);
      gtk_widget_set_visible (r->reset, changed);
      if (visible)
        g_hash_table_add (shown, r->group);
    }
  for (guint g = 0; g < self->groups->len; g++)
    {
      GtkWidget *group = g_ptr_array_index (self->groups, g);
      gtk_widget_set_visible (group, g_hash_table_contains (shown, group));
    }
  gtk_widget_set_visible (self->no_match, g_hash_table_size (shown) == 0);
  update_status (self);
}
