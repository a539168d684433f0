/* scalr-sweep.c — a sweep (`scalr sweep`, the workbench's Explore page): one stored run per
 * point of a grid over config keys, sharing the split, the generator and the baseline models
 * through a pipeline cache where their keys do not change, the runs stored as one group of
 * the store; and the lifts of every point against the swept values. */
#include "config.h"

#include "scalr-search-private.h"
#include "scalr-format.h"

#include <math.h>
#include <string.h>

#include "scalr-dist.h"
#include "scalr-lift-table.h"
#include "scalr-store.h"

typedef struct {
  char  *group, *key;
  char  *dotted;   /* "group.key" */
  GStrv  values;
} GridAxis;

struct _ScalrGrid {
  GridAxis *axes;
  guint     n_axes;
  guint64   n_points;
};

void
scalr_grid_free (ScalrGrid *grid)
{
  if (grid == NULL)
    return;
  for (guint a = 0; a < grid->n_axes; a++)
    {
      g_free (grid->axes[a].group);
      g_free (grid->axes[a].key);
      g_free (grid->axes[a].dotted);
      g_strfreev (grid->axes[a].values);
    }
  g_free (grid->axes);
  g_free (grid);
}

ScalrGrid *
scalr_grid_new (const char *const *specs, GError **error)
{
  g_autoptr (ScalrGrid) grid = g_new0 (ScalrGrid, 1);
  grid->n_axes = specs ? g_strv_length ((GStrv) specs) : 0;
  if (grid->n_axes == 0)
    {
      g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC, "no grid: expected at least one GROUP.KEY=V1,V2,…");
      return NULL;
    }
  grid->axes = g_new0 (GridAxis, grid->n_axes);
  grid->n_points = 1;
  for (guint a = 0; a < grid->n_axes; a++)
    {
      GridAxis *ax = &grid->axes[a];
      if (!scalr_config_parse_grid (specs[a], &ax->group, &ax->key, &ax->values, error))
        return NULL;
      for (guint b = 0; b < a; b++)
        if (strcmp (grid->axes[b].group, ax->group) == 0 && strcmp (grid->axes[b].key, ax->key) == 0)
          {
            g_set_error (error, SCALR_SEARCH_ERROR, SCALR_SEARCH_ERROR_SPEC,
                         "the grid names %s.%s twice; give all its values in one axis", ax->group, ax->key);
            return NULL;
          }
      ax->dotted = g_strdup_printf ("%s.%s", ax->group, ax->key);
      grid->n_points *= g_strv_length (ax->values);
      if (grid->n_points > SCALR_GRID_MAX_POINTS)
        {
          g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE,
                       "the grid has more than 10,000 points; sweep fewer values");
          return NULL;
        }
    }
  return g_steal_pointer (&grid);
}

guint64
scalr_grid_get_n_points (const ScalrGrid *grid)
{
  return grid->n_points;
}

guint
scalr_grid_get_n_axes (const ScalrGrid *grid)
{
  return grid->n_axes;
}

const char *
scalr_grid_get_key (const ScalrGrid *grid, guint axis)
{
  g_return_val_if_fail (axis < grid->n_axes, NULL);
  return grid->axes[axis].dotted;
}

char *
scalr_grid_dup_keys (const ScalrGrid *grid)
{
  GString *s = g_string_new (NULL);
  for (guint a = 0; a < grid->n_axes; a++)
    g_string_append_printf (s, "%s%s", a ? "," : "", grid->axes[a].dotted);
  return g_string_free (s, FALSE);
}

void
scalr_sweep_point_free (ScalrSweepPoint *pt)
{
  if (pt == NULL)
    return;
  g_strfreev (pt->keys);
  g_strfreev (pt->values);
  g_free (pt->error);
  g_free (pt);
}

/* Point @index of the grid (the last axis varies fastest). */
static ScalrSweepPoint *
grid_point (const ScalrGrid *grid, guint64 index)
{
  ScalrSweepPoint *pt = g_new0 (ScalrSweepPoint, 1);
  pt->index = index;
  pt->keys = g_new0 (char *, grid->n_axes + 1);
  pt->values = g_new0 (char *, grid->n_axes + 1);
  for (gint a = (gint) grid->n_axes - 1; a >= 0; a--)
    {
      const GridAxis *ax = &grid->axes[a];
      guint n = g_strv_length (ax->values);
      pt->keys[a] = g_strdup (ax->dotted);
      pt->values[a] = g_strdup (ax->values[index % n]);
      index /= n;
    }
  return pt;
}

GStrv
scalr_grid_dup_point_values (const ScalrGrid *grid, guint64 index)
{
  g_return_val_if_fail (index < grid->n_points, NULL);
  g_autoptr (ScalrSweepPoint) pt = grid_point (grid, index);
  return g_steal_pointer (&pt->values);
}

ScalrConfig *
scalr_grid_dup_point_config (const ScalrGrid *grid, const ScalrConfig *base, guint64 index)
{
  ScalrConfig *c = scalr_config_copy (base);
  g_autoptr (ScalrSweepPoint) pt = grid_point (grid, index);
  for (guint a = 0; a < grid->n_axes; a++)
    {
      gboolean ok = scalr_config_set (c, grid->axes[a].group, grid->axes[a].key, pt->values[a], NULL);
      g_assert (ok);   /* checked by scalr_config_parse_grid */
    }
  return c;
}

/* "user_ratio=2 temperature=0.03": what the run of a point is called (the keys without their
 * group, so that the names stay short and differ where the points do). */
static char *
point_name (const ScalrGrid *grid, const ScalrSweepPoint *pt)
{
  GString *s = g_string_new (NULL);
  for (guint a = 0; a < grid->n_axes; a++)
    g_string_append_printf (s, "%s%s=%s", a ? " " : "", grid->axes[a].key, pt->values[a]);
  return g_string_free (s, FALSE);
}

/* The sweep's group, on rank 0 (the only writer); the other ranks learn its id. */
static gboolean
create_group (const char *db_path, const ScalrGrid *grid, const char *name, gint64 *out_id, GError **error)
{
  g_autoptr (GError) local = NULL;
  *out_id = 0;
  if (scalr_dist_is_root ())
    {
      g_autoptr (ScalrStore) store = scalr_store_open (db_path, SCALR_STORE_OPEN_DEFAULT, &local);
      g_autofree char *keys = scalr_grid_dup_keys (grid);
      if (store)
        scalr_store_create_group (store, SCALR_GROUP_SWEEP, name, keys, out_id, &local);
    }
  if (!scalr_dist_agree (&local))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  scalr_dist_bcast (out_id, sizeof *out_id, 0);
  return TRUE;
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
      ScalrSweepPoint *pt = grid_point (grid, i);
      g_ptr_array_add (points, pt);
      g_autoptr (ScalrConfig) c = scalr_grid_dup_point_config (grid, base, i);
      g_autofree char *name = point_name (grid, pt);
      scalr_progress_update (progress, "sweep", (double) i / grid->n_points, "point %" G_GUINT64_FORMAT " of %"
                             G_GUINT64_FORMAT ": %s", i + 1, grid->n_points, name);
      g_autoptr (ScalrPipeline) p = scalr_pipeline_new (db_path, c, name);
      scalr_pipeline_set_threads (p, o->threads);
      scalr_pipeline_set_busy_func (p, o->busy_func, o->busy_data);
      scalr_pipeline_set_cache (p, cache);
      scalr_pipeline_set_group (p, group_id);
      g_autoptr (GError) run_error = NULL;
      gint64 t0 = g_get_monotonic_time ();
      gboolean ok = scalr_pipeline_run (p, progress, cancellable, &pt->run_id, &run_error);
      pt->seconds = (double) (g_get_monotonic_time () - t0) / G_USEC_PER_SEC;
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

/* The stored row as it is: undefined numbers are null, with the reason in note. */
static void
lift_json (JsonBuilder *b, const char *name, const ScalrLiftRow *l)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_object (b);
  const char *strings[][2] = { { "model", l->model }, { "segment", l->segment }, { "metric", l->metric },
                               { "reference", l->reference }, { "baseline_model", l->baseline_model } };
  for (guint k = 0; k < G_N_ELEMENTS (strings); k++)
    {
      json_builder_set_member_name (b, strings[k][0]);
      json_builder_add_string_value (b, strings[k][1]);
    }
  json_builder_set_member_name (b, "k");
  json_builder_add_int_value (b, l->k);
  json_builder_set_member_name (b, "also_strongest");
  json_builder_add_boolean_value (b, l->also_strongest);
  const struct { const char *name; double v; } numbers[] = {
    { "base_mean", l->base_mean }, { "aug_mean", l->aug_mean }, { "lift", l->lift }, { "ci_low", l->ci_low },
    { "ci_high", l->ci_high }, { "level", l->level }, { "p_t", l->p_t }, { "p_wilcoxon", l->p_wilcoxon },
    { "p_holm", l->p_holm },
  };
  for (guint k = 0; k < G_N_ELEMENTS (numbers); k++)
    scalr_format_json_member_number (b, numbers[k].name, numbers[k].v);
  json_builder_set_member_name (b, "n_users");
  json_builder_add_int_value (b, l->n_users);
  json_builder_set_member_name (b, "note");
  if (l->note)
    json_builder_add_string_value (b, l->note);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
}

JsonNode *
scalr_sweep_results_json (ScalrStore *store, GPtrArray *points, const char *metric, guint k, const char *segment,
                          GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint r = 0; r < points->len; r++)
    {
      const ScalrSweepPoint *pt = g_ptr_array_index (points, r);
      g_autoptr (GArray) lifts = NULL;
      if (pt->run_id > 0 && pt->error == NULL && (lifts = scalr_store_load_lifts (store, pt->run_id, error)) == NULL)
        return NULL;
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "run_id");
      json_builder_add_int_value (b, pt->run_id);
      json_builder_set_member_name (b, "values");
      json_builder_begin_object (b);
      for (guint a = 0; pt->keys[a]; a++)
        {
          /* the key without its group, as before (unique within a grid in practice) */
          const char *dot = strchr (pt->keys[a], '.');
          json_builder_set_member_name (b, dot ? dot + 1 : pt->keys[a]);
          json_builder_add_string_value (b, pt->values[a]);
        }
      json_builder_end_object (b);
      if (pt->error)
        {
          json_builder_set_member_name (b, "error");
          json_builder_add_string_value (b, pt->error);
        }
      json_builder_set_member_name (b, "lifts");
      json_builder_begin_array (b);
      for (guint i = 0; lifts && i < lifts->len; i++)
        {
          const ScalrLiftRow *l = &g_array_index (lifts, ScalrLiftRow, i);
          if (g_strcmp0 (l->metric, metric) != 0 || g_strcmp0 (l->segment, segment) != 0 || l->k != k
              || g_strcmp0 (l->reference, "own") != 0)
            continue;
          const ScalrLiftRow *best = scalr_lifts_find ((const ScalrLiftRow *) lifts->data, lifts->len, l->model, segment,
                                                       metric, k, "strongest");
          json_builder_begin_object (b);
          json_builder_set_member_name (b, "model");
          json_builder_add_string_value (b, l->model);
          lift_json (b, "own", l);
          if (best)
            lift_json (b, "strongest", best);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  return json_builder_get_root (b);
}
