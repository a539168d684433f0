/* scalr-run-item.c — a run of the store for GListModels. */
#include "config.h"

#include "scalr-run-item.h"

#include "scalr-format.h"

struct _ScalrRunItem {
  GObject       parent_instance;
  ScalrRunInfo *info;
  char         *generator;
  char         *group_label;
  char         *lift_text;
  char         *own_text;
  char         *lift_detail;
};

G_DEFINE_FINAL_TYPE (ScalrRunItem, scalr_run_item, G_TYPE_OBJECT)

static void
scalr_run_item_finalize (GObject *object)
{
  ScalrRunItem *self = SCALR_RUN_ITEM (object);
  scalr_run_info_free (self->info);
  g_free (self->generator);
  g_free (self->group_label);
  g_free (self->lift_text);
  g_free (self->own_text);
  g_free (self->lift_detail);
  G_OBJECT_CLASS (scalr_run_item_parent_class)->finalize (object);
}

static void
scalr_run_item_class_init (ScalrRunItemClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = scalr_run_item_finalize;
}

static void
scalr_run_item_init (ScalrRunItem *self)
{
}

ScalrRunItem *
scalr_run_item_new (const ScalrRunInfo *info, const char *group_label, const char *lift_text,
                    const char *own_text, const char *lift_detail)
{
  g_return_val_if_fail (info != NULL, NULL);
  ScalrRunItem *self = g_object_new (SCALR_TYPE_RUN_ITEM, NULL);
  self->info = scalr_run_info_copy (info);
  g_autoptr (GKeyFile) kf = g_key_file_new ();
  if (info->config && g_key_file_load_from_data (kf, info->config, (gsize) -1, G_KEY_FILE_NONE, NULL))
    self->generator = g_key_file_get_value (kf, "generator", "model", NULL);
  self->group_label = g_strdup (group_label);
  self->lift_text = g_strdup (lift_text ? lift_text : SCALR_FORMAT_MISSING);
  self->own_text = g_strdup (own_text ? own_text : SCALR_FORMAT_MISSING);
  self->lift_detail = g_strdup (lift_detail);
  return self;
}

const ScalrRunInfo *
scalr_run_item_get_info (ScalrRunItem *self)
{
  return self->info;
}

gint64
scalr_run_item_get_id (ScalrRunItem *self)
{
  return self->info->id;
}

const char *
scalr_run_item_get_name (ScalrRunItem *self)
{
  return self->info->name;
}

ScalrRunStatus
scalr_run_item_get_status (ScalrRunItem *self)
{
  return self->info->status;
}

const char *
scalr_run_item_get_dataset (ScalrRunItem *self)
{
  return self->info->dataset;
}

const char *
scalr_run_item_get_generator (ScalrRunItem *self)
{
  return self->generator;
}

const char *
scalr_run_item_get_created (ScalrRunItem *self)
{
  return self->info->created_at;
}

char *
scalr_run_item_format_created (ScalrRunItem *self)
{
  if (self->info->created_at == NULL)
    return g_strdup (SCALR_FORMAT_MISSING);
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (self->info->created_at, NULL);
  if (utc == NULL)
    return g_strdup (self->info->created_at);
  g_autoptr (GDateTime) local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

char *
scalr_run_item_format_duration (ScalrRunItem *self)
{
  return scalr_format_duration (scalr_run_info_get_duration (self->info));
}

const char *
scalr_run_item_get_group_label (ScalrRunItem *self)
{
  return self->group_label;
}

const char *
scalr_run_item_get_lift_text (ScalrRunItem *self)
{
  return self->lift_text;
}

const char *
scalr_run_item_get_own_text (ScalrRunItem *self)
{
  return self->own_text;
}

const char *
scalr_run_item_get_lift_detail (ScalrRunItem *self)
{
  return self->lift_detail;
}

const char *
scalr_run_item_get_error (ScalrRunItem *self)
{
  return self->info->error;
}
