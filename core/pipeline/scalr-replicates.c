/* scalr-replicates.c — `[eval] replicates = N`: the same experiment on N splits from derived
 * seeds, and per lift row the replicates' lifts and their summary (how results are reported:
 * "5 seeds"). */
#include "config.h"

#include "scalr-pipeline.h"
#include "scalr-format.h"

#include <math.h>

#include "scalr-eval.h"
#include "scalr-rng.h"

/* The seeds a replicate derives; every other key stays. */
static const char *const replicate_seeds[][2] = {
  { "split", "seed" }, { "sampler", "seed" }, { "downstream", "seed" }, { "eval", "seed" },
};

ScalrConfig *
scalr_replicate_config (const ScalrConfig *base, guint r)
{
  ScalrConfig *c = scalr_config_copy (base);
  if (r == 0)
    return c;
  for (guint k = 0; k < G_N_ELEMENTS (replicate_seeds); k++)
    {
      guint64 x = (guint64) scalr_config_get_int (base, replicate_seeds[k][0], replicate_seeds[k][1])
                  ^ ((guint64) r * 0x9E3779B97F4A7C15ull);
      guint64 seed = scalr_splitmix64 (&x) & ((G_GUINT64_CONSTANT (1) << 53) - 1);   /* the key's range */
      g_autofree char *v = g_strdup_printf ("%" G_GUINT64_FORMAT, seed);
      gboolean ok = scalr_config_set (c, replicate_seeds[k][0], replicate_seeds[k][1], v, NULL);
      g_assert (ok);
    }
  return c;
}

static const ScalrLift *
find_row (const ScalrEvalResult *res, const ScalrLift *like)
{
  for (guint i = 0; i < res->lifts->len; i++)
    {
      const ScalrLift *l = &g_array_index (res->lifts, ScalrLift, i);
      if (l->segment == like->segment && l->metric == like->metric && l->k == like->k
          && l->strongest == like->strongest && g_strcmp0 (l->model, like->model) == 0)
        return l;
    }
  return NULL;
}

/* One row: the replicates' lifts and their mean, sample standard deviation, range and how
 * many intervals lie above / below 0. */
static void
row_json (JsonBuilder *b, GPtrArray *results, const ScalrLift *row)
{
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b, row->model);
  json_builder_set_member_name (b, "segment");
  json_builder_add_string_value (b, scalr_segment_to_string (row->segment));
  json_builder_set_member_name (b, "metric");
  json_builder_add_string_value (b, scalr_metric_to_string (row->metric));
  json_builder_set_member_name (b, "k");
  json_builder_add_int_value (b, row->k);
  json_builder_set_member_name (b, "reference");
  json_builder_add_string_value (b, row->strongest ? "strongest" : "own");
  double sum = 0, sumsq = 0, lo = INFINITY, hi = -INFINITY;
  guint defined = 0, above = 0, below = 0;
  json_builder_set_member_name (b, "lifts");
  json_builder_begin_array (b);
  for (guint r = 0; r < results->len; r++)
    {
      const ScalrLift *l = find_row (g_ptr_array_index (results, r), row);
      json_builder_begin_object (b);
      scalr_format_json_member_number (b, "lift", l ? l->lift : NAN);
      scalr_format_json_member_number (b, "ci_low", l ? l->ci_low : NAN);
      scalr_format_json_member_number (b, "ci_high", l ? l->ci_high : NAN);
      scalr_format_json_member_number (b, "p_holm", l ? l->p_holm : NAN);
      json_builder_set_member_name (b, "baseline_model");
      json_builder_add_string_value (b, l ? l->baseline_model : NULL);
      json_builder_end_object (b);
      if (l == NULL || !isfinite (l->lift))
        continue;
      defined++;
      sum += l->lift;
      sumsq += l->lift * l->lift;
      lo = MIN (lo, l->lift);
      hi = MAX (hi, l->lift);
      above += isfinite (l->ci_low) && l->ci_low > 0;
      below += isfinite (l->ci_high) && l->ci_high < 0;
    }
  json_builder_end_array (b);
  double mean = defined ? sum / defined : NAN;
  double var = defined > 1 ? (sumsq - defined * mean * mean) / (defined - 1) : NAN;
  scalr_format_json_member_number (b, "mean_lift", mean);
  scalr_format_json_member_number (b, "sd_lift", defined > 1 ? sqrt (MAX (var, 0.0)) : NAN);
  scalr_format_json_member_number (b, "min_lift", defined ? lo : NAN);
  scalr_format_json_member_number (b, "max_lift", defined ? hi : NAN);
  json_builder_set_member_name (b, "ci_above_zero");
  json_builder_add_int_value (b, above);
  json_builder_set_member_name (b, "ci_below_zero");
  json_builder_add_int_value (b, below);
  json_builder_set_member_name (b, "defined");
  json_builder_add_int_value (b, defined);
  json_builder_end_object (b);
}

JsonNode *
scalr_replicates_json (GPtrArray *results, const guint64 *split_seeds)
{
  g_return_val_if_fail (results != NULL && results->len > 0, NULL);
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "replicates");
  json_builder_add_int_value (b, results->len);
  json_builder_set_member_name (b, "split_seeds");
  json_builder_begin_array (b);
  for (guint r = 0; r < results->len; r++)
    json_builder_add_int_value (b, (gint64) split_seeds[r]);
  json_builder_end_array (b);
  json_builder_set_member_name (b, "rows");
  json_builder_begin_array (b);
  const ScalrEvalResult *first = g_ptr_array_index (results, 0);
  for (guint i = 0; i < first->lifts->len; i++)
    row_json (b, results, &g_array_index (first->lifts, ScalrLift, i));
  json_builder_end_array (b);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}
