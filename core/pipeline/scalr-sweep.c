/* scalr-sweep.c — a grid over config keys, one stored run per point, as one store group. */
#include "config.h"

#include "scalr-sweep.h"

#include <string.h>

typedef struct {
  char *group, *key, *dotted;
  GStrv values;
} Axis;

struct _ScalrGrid {
  GArray  *axes;   /* Axis */
  guint64  n_points;
};

static void
axis_clear (Axis *a)
{
  g_free (a->group);
  g_free (a->key);
  g_free (a->dotted);
  g_strfreev (a->values);
}

ScalrGrid *
scalr_grid_new (const char *const *specs, GError **error)
{
  g_return_val_if_fail (specs != NULL, NULL);
  g_autoptr (GArray) axes = g_array_new (FALSE, TRUE, sizeof (Axis));
  g_array_set_clear_func (axes, (GDestroyNotify) axis_clear);
  guint64 points = 1;
  for (guint i = 0; specs[i]; i++)
    {
      Axis a = { 0 };
      if (!scalr_config_parse_grid (specs[i], &a.group, &a.key, &a.values, error))
        return NULL;
      for (guint j = 0; j < axes->len; j++)
        {
          const Axis *b = &g_array_index (axes, Axis, j);
          if (strcmp (b->group, a.group) == 0 && strcmp (b->key, a.key) == 0)
            {
              g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_USAGE,
                           "the grid names %s.%s twice; give all its values in one axis", a.group, a.key);
              axis_clear (&a);
              return NULL;
            }
        }
      points *= g_strv_length (a.values);
      a.dotted = g_strdup_printf ("%s.%s", a.group, a.key);
      g_array_append_val (axes, a);
      if (points > SCALR_GRID_MAX_POINTS)
        {
          g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                       "the grid has more than %s points; sweep fewer values", "10,000");
          return NULL;
        }
    }
  if (axes->len == 0)
    {
      g_set_error_literal (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_USAGE,
                           "the grid has no axis: give at least one GROUP.KEY=V1,V2,…");
      return NULL;
    }
  ScalrGrid *grid = g_new0 (ScalrGrid, 1);
  grid->axes = g_steal_pointer (&axes);
  grid->n_points = points;
  return grid;
}

void
scalr_grid_free (ScalrGrid *grid)
{
  if (grid == NULL)
    return;
  g_array_unref (grid->axes);
  g_free (grid);
}

guint64
scalr_grid_get_n_points (const ScalrGrid *grid)
{
  return grid->n_points;
}

guint
scalr_grid_get_n_axes (const ScalrGrid *grid)
{
  return grid->axes->len;
}

const char *
scalr_grid_get_key (const ScalrGrid *grid, guint axis)
{
  g_return_val_if_fail (axis < grid->axes->len, NULL);
  return g_array_index (grid->axes, Axis, axis).dotted;
}

char *
scalr_grid_dup_keys (const ScalrGrid *grid)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < grid->axes->len; i++)
    {
      g_string_append_printf (s, "%s%s", i ? "," : "", g_array_index (grid->axes, Axis, i).dotted);
    }
  return g_string_free (s, FALSE);
}

GStrv
scalr_grid_dup_point_values (const ScalrGrid *grid, guint64 index)
{
  g_return_val_if_fail (index < grid->n_points, NULL);
  guint n = grid->axes->len;
  GStrv values = g_new0 (char *, n + 1);
  /* The last axis varies fastest. */
  for (guint i = n; i-- > 0;)
    {
      const Axis *a = &g_array_index (grid->axes, Axis, i);
      guint len = g_strv_length (a->values);
      values[i] = g_strdup (a->values[index % len]);
      index /= len;
    }
  return values;
}

ScalrConfig *
scalr_grid_dup_point_config (const ScalrGrid *grid, const ScalrConfig *base, guint64 index)
{
  g_return_val_if_fail (grid != NULL && base != NULL, NULL);
  g_auto (GStrv) values = scalr_grid_dup_point_values (grid, index);
  ScalrConfig *c = scalr_config_copy (base);
  for (guint i = 0; i < grid->axes->len; i++)
    {
      const Axis *a = &g_array_index (grid->axes, Axis, i);
      scalr_config_set (c, a->group, a->key, values[i], NULL);   /* checked when parsed */
    }
  return c;
}

void
scalr_sweep_point_free (ScalrSweepPoint *point)
{
  if (point == NULL)
    return;
  g_strfreev (point->keys);
  g_strfreev (point->values);
  g_free (point->error);
  g_free (point);
}

/* "user_ratio=2 temperature=0.03": what a run of the point is called. */
static char *
point_name (const ScalrGrid *grid, const char *const *values)
{
  GString *s = g_string_new (NULL);
  for (guint i = 0; i < grid->axes->len; i++)
    g_string_append_printf (s, "%s%s=%s", i ? " " : "", g_array_index (grid->axes, Axis, i).key, values[i]);
  return g_string_free (s, FALSE);
}

static gboolean
create_group (const char *db_path, const ScalrGrid *grid, const char *name, gint64 *out_id, GError **error)
{
  g_autoptr (ScalrStore) store = scalr_store_open (db_path, SCALR_STORE_OPEN_DEFAULT, error);
  if (store == NULL)
    return FALSE;
  g_autofree char *keys = scalr_grid_dup_keys (grid);
  return scalr_store_create_group (store, SCALR_GROUP_SWEEP, name, keys, out_id, error);
}

GPtrArray *
scalr_sweep_run (const char *db_path, const ScalrConfig *base, const ScalrGrid *grid, const ScalrSweepOptions *options,
                 ScalrProgress *progress, GCancellable *cancellable, gint64 *out_group_id, GError **error)
{
  g_return_val_if_fail (db_path != NULL && base != NULL && grid != NULL, NULL);
  static const ScalrSweepOptions none = { 0 };
  const ScalrSweepOptions *o = options ? options : &none;
  gint64 group_id = 0;
  if (!create_group (db_path, grid, o->group_name, &group_id, error))
    return NULL;
  if (out_group_id)
    *out_group_id = group_id;
  g_autoptr (GPtrArray) points = g_ptr_array_new_with_free_func ((GDestroyNotify) scalr_sweep_point_free);
  g_autoptr (ScalrPipelineCache) cache = scalr_pipeline_cache_new ();
  for (guint64 i = 0; i < grid->n_points; i++)
    {
      ScalrSweepPoint *pt = g_new0 (ScalrSweepPoint, 1);
      pt->index = i;
      pt->values = scalr_grid_dup_point_values (grid, i);
      pt->keys = g_new0 (char *, grid->axes->len + 1);
      for (guint a = 0; a < grid->axes->len; a++)
        pt->keys[a] = g_strdup (g_array_index (grid->axes, Axis, a).dotted);
      g_ptr_array_add (points, pt);
      g_autofree char *name = point_name (grid, (const char *const *) pt->values);
      scalr_progress_update (progress, "sweep", (double) i / grid->n_points, "point %" G_GUINT64_FORMAT " of %"
                             G_GUINT64_FORMAT ": %s", i + 1, grid->n_points, name);
      g_autoptr (ScalrConfig) c = scalr_grid_dup_point_config (grid, base, i);
      g_autoptr (ScalrPipeline) p = scalr_pipeline_new (db_path, c, name);
      scalr_pipeline_set_threads (p, o->threads);
      scalr_pipeline_set_busy_func (p, o->busy_func, o->busy_data);
      scalr_pipeline_set_cache (p, cache);
      scalr_pipeline_set_group (p, group_id);
      g_autoptr (GError) run_error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      gboolean ok = scalr_pipeline_run (p, progress, cancellable, &pt->run_id, &run_error);
      pt->seconds = (g_get_monotonic_time () - t0) / 1e6;
      if (!ok)
        pt->error = g_strdup (run_error->message);
      if (o->point_func)
        o->point_func (pt, grid->n_points, o->point_data);
      if (g_error_matches (run_error, G_IO_ERROR, G_IO_ERROR_CANCELLED) || g_cancellable_is_cancelled (cancellable))
        {
          g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "the sweep was cancelled");
          return NULL;
        }
    }
  scalr_progress_update (progress, "sweep", 1.0, "%" G_GUINT64_FORMAT " points done", grid->n_points);
  return g_steal_pointer (&points);
}
