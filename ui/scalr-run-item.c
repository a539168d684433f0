/* scalr-run-item.c — a run of the store for GListModels. */
#include "config.h"

#include "scalr-run-item.h"

struct _ScalrRunItem {
  GObject        parent_instance;
  gint64         id;
  char          *name;
  ScalrRunStatus status;
  char          *dataset;
  char          *generator;
  char          *created;
  char          *lift_text;
  char          *lift_detail;
  char          *error;
};

G_DEFINE_FINAL_TYPE (ScalrRunItem, scalr_run_item, G_TYPE_OBJECT)

static void
scalr_run_item_finalize (GObject *object)
{
  ScalrRunItem *self = SCALR_RUN_ITEM (object);
  g_free (self->name);
  g_free (self->dataset);
  g_free (self->generator);
  g_free (self->created);
  g_free (self->lift_text);
  g_free (self->lift_detail);
  g_free (self->error);
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
scalr_run_item_new (const ScalrRunInfo *info, const char *generator, const char *lift_text,
                    const char *lift_detail)
{
  g_return_val_if_fail (info != NULL, NULL);
  ScalrRunItem *self = g_object_new (SCALR_TYPE_RUN_ITEM, NULL);
  self->id = info->id;
  self->name = g_strdup (info->name);
  self->status = info->status;
  self->dataset = g_strdup (info->dataset);
  self->generator = g_strdup (generator);
  self->created = g_strdup (info->created_at);
  self->lift_text = g_strdup (lift_text ? lift_text : "–");
  self->lift_detail = g_strdup (lift_detail);
  self->error = g_strdup (info->error);
  return self;
}

gint64
scalr_run_item_get_id (ScalrRunItem *self)
{
  return self->id;
}

const char *
scalr_run_item_get_name (ScalrRunItem *self)
{
  return self->name;
}

ScalrRunStatus
scalr_run_item_get_status (ScalrRunItem *self)
{
  return self->status;
}

const char *
scalr_run_item_get_dataset (ScalrRunItem *self)
{
  return self->dataset;
}

const char *
scalr_run_item_get_generator (ScalrRunItem *self)
{
  return self->generator;
}

const char *
scalr_run_item_get_created (ScalrRunItem *self)
{
  return self->created;
}

char *
scalr_run_item_format_created (ScalrRunItem *self)
{
  if (self->created == NULL)
    return g_strdup ("–");
  g_autoptr (GDateTime) utc = g_date_time_new_from_iso8601 (self->created, NULL);
  if (utc == NULL)
    return g_strdup (self->created);
  g_autoptr (GDateTime) local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%Y-%m-%d %H:%M");
}

const char *
scalr_run_item_get_lift_text (ScalrRunItem *self)
{
  return self->lift_text;
}

const char *
scalr_run_item_get_lift_detail (ScalrRunItem *self)
{
  return self->lift_detail;
}

const char *
scalr_run_item_get_error (ScalrRunItem *self)
{
  return self->error;
}
