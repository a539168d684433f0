/* scalr-charts.c — chart builders for diagnostics and lifts. */
#include "config.h"

#include "scalr-charts.h"

#include <math.h>
#include <string.h>

#include "scalr-format.h"
#include "scalr-stats.h"   /* scalr_stats_ci_label */

static char *
fmt (double v)
{
  return scalr_axis_format_exact (v);
}

/* Sets @texts (n owned strings) as the hover texts of @series and frees them. */
static void
take_hover (ScalrPlot *plot, guint series, GPtrArray *texts)
{
  g_ptr_array_add (texts, NULL);
  scalr_plot_series_set_hover_texts (plot, series, (const char *const *) texts->pdata);
}

ScalrPlot *
scalr_charts_rank_frequency (const ScalrDiagnostics *diag)
{
  g_return_val_if_fail (diag != NULL, NULL);
  ScalrPlot *plot = scalr_plot_new ("Item popularity: rank–frequency");
  g_autofree char *rg = scalr_format_fixed (diag->real_gini, 3), *sg = scalr_format_fixed (diag->gini, 3);
  g_autofree char *jsd = scalr_format_metric (diag->jsd);
  g_autofree char *rc = scalr_format_percent (diag->real_coverage, 1), *sc = scalr_format_percent (diag->coverage, 1);
  g_autofree char *sub = g_strdup_printf ("Gini: real %s, synthetic %s  ·  JSD %s  ·  catalogue coverage: real %s, "
                                          "synthetic %s", rg, sg, jsd, rc, sc);
  scalr_plot_set_subtitle (plot, sub);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "item rank", NULL, SCALR_AXIS_LOG10);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "events per item", NULL, SCALR_AXIS_LOG10);
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_X, "rank");
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_Y, "events");
  guint nr = MIN (diag->n_real_curve, SCALR_CURVE_POINTS);
  guint ns = MIN (diag->n_curve, SCALR_CURVE_POINTS);
  scalr_plot_add_line (plot, "real", SCALR_PLOT_COLOR_REAL, nr, diag->real_curve_rank,
                       diag->real_curve_count);
  scalr_plot_add_line (plot, "synthetic", SCALR_PLOT_COLOR_SYNTHETIC, ns, diag->curve_rank,
                       diag->curve_count);
  return plot;
}

ScalrPlot *
scalr_charts_activity (const ScalrDiagnostics *diag)
{
  g_return_val_if_fail (diag != NULL, NULL);
  ScalrPlot *plot = scalr_plot_new ("User activity");
  g_autofree char *ru = fmt (diag->real_users);
  g_autofree char *su = fmt (diag->users);
  g_autofree char *sub = g_strdup_printf ("users per activity bin (events per user in "
                                          "[2ᵏ, 2ᵏ⁺¹))  ·  users: real %s, synthetic %s",
                                          ru, su);
  scalr_plot_set_subtitle (plot, sub);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "events per user", NULL, SCALR_AXIS_LOG2);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "users", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_Y, 0, NAN);

  const guint nb = G_N_ELEMENTS (diag->activity);
  int first = -1, last = -1;
  for (guint b = 0; b < nb; b++)
    if (diag->activity[b] || diag->real_activity[b])
      {
        if (first < 0)
          first = (int) b;
        last = (int) b;
      }
  if (first < 0)
    return plot;
  guint n = (guint) (last - first + 1);
  double edges[25], real[24], syn[24];
  g_autoptr (GPtrArray) real_hover = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) syn_hover = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i <= n; i++)
    edges[i] = ldexp (1.0, first + (int) i);
  for (guint i = 0; i < n; i++)
    {
      guint b = (guint) first + i;
      real[i] = (double) diag->real_activity[b];
      syn[i] = (double) diag->activity[b];
      g_autofree char *lo = fmt (edges[i]);
      g_autofree char *hi = fmt (edges[i + 1] - 1);
      g_autofree char *bin = b == 0 ? g_strdup ("1 event")
                                    : g_strdup_printf ("%s–%s events", lo, hi);
      g_autofree char *rv = fmt (real[i]);
      g_autofree char *sv = fmt (syn[i]);
      g_ptr_array_add (real_hover, g_strdup_printf ("%s: real %s users", bin, rv));
      g_ptr_array_add (syn_hover, g_strdup_printf ("%s: synthetic %s users", bin, sv));
    }
  guint r = scalr_plot_add_steps (plot, "real", SCALR_PLOT_COLOR_REAL, n, edges, real);
  guint s = scalr_plot_add_steps (plot, "synthetic", SCALR_PLOT_COLOR_SYNTHETIC, n, edges, syn);
  /* Real filled lightly, synthetic as an outline on top: overlapping fills turn muddy. */
  scalr_plot_series_set_fill (plot, r, 0.16);
  take_hover (plot, r, real_hover);
  take_hover (plot, s, syn_hover);
  return plot;
}

ScalrPlot *
scalr_charts_buckets (const ScalrDiagnostics *diag)
{
  g_return_val_if_fail (diag != NULL, NULL);
  guint n = MIN (diag->n_buckets, SCALR_MAX_BUCKETS);
  if (n == 0)
    return NULL;
  ScalrPlot *plot = scalr_plot_new ("Popularity buckets");
  g_autofree char *bjsd = scalr_format_metric (diag->bucket_jsd);
  g_autofree char *sub = g_strdup_printf ("share of events per item-popularity bucket  ·  bucket JSD %s", bjsd);
  scalr_plot_set_subtitle (plot, sub);
  g_autofree char *xl = g_strdup_printf ("popularity bucket (1 = head … %u = tail)", n);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, xl, NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "share of events", "%", SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_Y, 0, NAN);
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_X, "bucket");
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_Y, "of events");
  char labels[SCALR_MAX_BUCKETS][8];
  const char *lp[SCALR_MAX_BUCKETS];
  double real[SCALR_MAX_BUCKETS], syn[SCALR_MAX_BUCKETS];
  for (guint b = 0; b < n; b++)
    {
      g_snprintf (labels[b], sizeof labels[b], "%u", b + 1);
      lp[b] = labels[b];
      real[b] = diag->real_bucket_share[b] * 100;
      syn[b] = diag->bucket_share[b] * 100;
    }
  scalr_plot_set_categories (plot, n, lp);
  scalr_plot_add_bars (plot, "real", SCALR_PLOT_COLOR_REAL, n, real);
  scalr_plot_add_bars (plot, "synthetic", SCALR_PLOT_COLOR_SYNTHETIC, n, syn);
  return plot;
}

ScalrPlot *
scalr_charts_category_mix (const ScalrDiagnostics *diag)
{
  g_return_val_if_fail (diag != NULL, NULL);
  guint n = diag->category_names ? MIN (diag->category_names->len, 8) : 0;
  if (n == 0 || diag->category_share == NULL || diag->real_category_share == NULL
      || diag->category_share->len < n || diag->real_category_share->len < n)
    return NULL;
  ScalrPlot *plot = scalr_plot_new ("Category mix");
  g_autofree char *sub = g_strdup_printf ("share of target events per item category, real vs synthetic  ·  "
                                          "the %u categories with most real events (an item may have several)", n);
  scalr_plot_set_subtitle (plot, sub);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "category", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "share of events", "%", SCALR_AXIS_LINEAR);
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_Y, 0, NAN);
  scalr_plot_set_axis_hover_name (plot, SCALR_PLOT_AXIS_Y, "of events");
  g_autofree double *real = g_new (double, n);
  g_autofree double *syn = g_new (double, n);
  for (guint c = 0; c < n; c++)
    {
      real[c] = g_array_index (diag->real_category_share, double, c) * 100;
      syn[c] = g_array_index (diag->category_share, double, c) * 100;
    }
  scalr_plot_set_categories (plot, n, (const char *const *) diag->category_names->pdata);
  scalr_plot_add_bars (plot, "real", SCALR_PLOT_COLOR_REAL, n, real);
  scalr_plot_add_bars (plot, "synthetic", SCALR_PLOT_COLOR_SYNTHETIC, n, syn);
  return plot;
}

ScalrPlotColor
scalr_charts_model_color (const char *model)
{
  /* One colour per model everywhere (every page, both themes, the report). */
  static const struct { const char *model; ScalrPlotColor color; } fixed[] = {
    { "pop", SCALR_PLOT_COLOR_BLACK }, { "itemknn", SCALR_PLOT_COLOR_ORANGE },
    { "ials", SCALR_PLOT_COLOR_GREEN }, { "bpr", SCALR_PLOT_COLOR_PURPLE },
    { "ease", SCALR_PLOT_COLOR_BLUE },
  };
  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    if (g_strcmp0 (fixed[i].model, model) == 0)
      return fixed[i].color;
  static const ScalrPlotColor others[] = { SCALR_PLOT_COLOR_SKY, SCALR_PLOT_COLOR_VERMILLION, SCALR_PLOT_COLOR_YELLOW };
  return others[g_str_hash (model ? model : "") % G_N_ELEMENTS (others)];
}

ScalrPlot *
scalr_charts_reliability (const ScalrDiagnostics *diag)
{
  g_return_val_if_fail (diag != NULL, NULL);
  if (diag->n_calibration == 0)
    return NULL;
  ScalrPlot *plot = scalr_plot_new ("Calibration: reliability diagram");
  GString *sub = g_string_new (NULL);
  g_autofree char *ece = scalr_format_value (diag->ece, 2);
  g_string_append_printf (sub, "generator probabilities on validation users (top %u items each, equal-count bins)  ·  ECE\u00a0%s",
                          diag->calib_top_n, ece);
  if (diag->temperature > 0)
    {
      g_autofree char *tau = scalr_format_value (diag->temperature, 3);
      g_string_append_printf (sub, "  ·  τ\u00a0=\u00a0%s", tau);   /* never split across lines */
    }
  scalr_plot_set_subtitle (plot, sub->str);
  g_string_free (sub, TRUE);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "mean predicted probability", NULL,
                       SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "observed frequency", NULL, SCALR_AXIS_LINEAR);

  guint nb = MIN (diag->n_calibration, SCALR_CALIBRATION_BINS);
  double x[SCALR_CALIBRATION_BINS], y[SCALR_CALIBRATION_BINS], lo[SCALR_CALIBRATION_BINS], up[SCALR_CALIBRATION_BINS];
  double top = 0;
  gboolean intervals = TRUE;
  g_autoptr (GPtrArray) hover = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) notes = g_ptr_array_new_with_free_func (g_free);
  guint n = 0;
  for (guint b = 0; b < nb; b++)
    {
      if (diag->calib_count[b] == 0 || !isfinite (diag->calib_pred[b])
          || !isfinite (diag->calib_obs[b]))
        continue;
      x[n] = diag->calib_pred[b];
      y[n] = diag->calib_obs[b];
      lo[n] = diag->calib_low[b];
      up[n] = diag->calib_high[b];
      /* Runs stored before the intervals (and hand-made diagnostics) have none. */
      gboolean has = isfinite (lo[n]) && isfinite (up[n]) && lo[n] <= y[n] && y[n] <= up[n] && lo[n] < up[n];
      intervals = intervals && has;
      top = MAX (top, MAX (x[n], intervals ? up[n] : y[n]));
      g_autofree char *c = fmt ((double) diag->calib_count[b]);
      g_autofree char *p = fmt (x[n]);
      g_autofree char *o = fmt (y[n]);
      g_autofree char *l = fmt (lo[n]), *h = fmt (up[n]);
      g_ptr_array_add (hover, has
                              ? g_strdup_printf ("bin %u: predicted %s, observed %s [95%% %s, %s] (%s pairs)",
                                                 b + 1, p, o, l, h, c)
                              : g_strdup_printf ("bin %u: predicted %s, observed %s (%s pairs)", b + 1, p, o, c));
      g_ptr_array_add (notes, g_strdup_printf ("n=%s", c));
      n++;
    }
  /* The same range on both axes, so the diagonal is at 45°. */
  double ticks[SCALR_AXIS_MAX_TICKS];
  guint nt = 0;
  scalr_axis_nice_ticks (0, top > 0 ? top : 1, 5, ticks, &nt, NULL);
  double hi = ticks[nt - 1];
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_X, 0, hi);
  scalr_plot_set_axis_range (plot, SCALR_PLOT_AXIS_Y, 0, hi);
  double dx[2] = { 0, hi }, dy[2] = { 0, hi };
  guint diag_line = scalr_plot_add_line (plot, "perfectly calibrated", SCALR_PLOT_COLOR_NEUTRAL,
                                         2, dx, dy);
  scalr_plot_series_set_dashed (plot, diag_line, TRUE);
  const char *no_hover[2] = { "perfect calibration: observed = predicted",
                              "perfect calibration: observed = predicted" };
  scalr_plot_series_set_hover_texts (plot, diag_line, no_hover);
  if (intervals && n > 1)
    scalr_plot_add_band (plot, "Wilson 95 % interval", SCALR_PLOT_COLOR_BLUE, n, x, lo, up);
  guint line = scalr_plot_add_line (plot, NULL, SCALR_PLOT_COLOR_BLUE, n, x, y);
  guint pts = scalr_plot_add_points (plot, "generator (per bin)", SCALR_PLOT_COLOR_BLUE, n, x, y);
  g_ptr_array_add (hover, NULL);
  g_ptr_array_add (notes, NULL);
  scalr_plot_series_set_hover_texts (plot, line, (const char *const *) hover->pdata);
  scalr_plot_series_set_hover_texts (plot, pts, (const char *const *) hover->pdata);
  scalr_plot_series_set_annotations (plot, pts, (const char *const *) notes->pdata);
  return plot;
}

ScalrPlot *
scalr_charts_forest (const char *title, const ScalrForestRow *rows, guint n)
{
  g_return_val_if_fail (n == 0 || rows != NULL, NULL);
  ScalrPlot *plot = scalr_plot_new (title ? title : "Lift over baseline");
  g_autofree char *ci = scalr_stats_ci_label (n ? rows[0].level : NAN);
  g_autofree char *subtitle = g_strdup_printf ("relative lift with paired-bootstrap %s; filled markers: significant", ci);
  scalr_plot_set_subtitle (plot, subtitle);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, "lift (%)", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_forest (plot, n, rows);
  gboolean gain = FALSE, loss = FALSE, ns = FALSE;
  for (guint i = 0; i < n; i++)
    {
      if (!rows[i].significant)
        ns = TRUE;
      else if (rows[i].lift >= 0)
        gain = TRUE;
      else
        loss = TRUE;
    }
  if (gain)
    scalr_plot_add_legend_marker (plot, "significant gain", SCALR_PLOT_COLOR_BLUE, TRUE);
  if (loss)
    scalr_plot_add_legend_marker (plot, "significant loss", SCALR_PLOT_COLOR_VERMILLION, TRUE);
  if (ns)
    scalr_plot_add_legend_marker (plot, "not significant", SCALR_PLOT_COLOR_NEUTRAL, FALSE);
  return plot;
}

ScalrPlot *
scalr_charts_sweep (const char *title, const char *param, guint n, const double *x,
                    const double *lift, const double *lo, const double *hi, double level, gboolean log_x)
{
  g_return_val_if_fail (param != NULL, NULL);
  g_return_val_if_fail (n == 0 || (x && lift && lo && hi), NULL);
  g_autofree char *t = title ? g_strdup (title) : g_strdup_printf ("Lift against %s", param);
  ScalrPlot *plot = scalr_plot_new (t);
  g_autofree char *ci = scalr_stats_ci_label (level);
  g_autofree char *subtitle = g_strdup_printf ("relative lift with paired-bootstrap %s band", ci);
  scalr_plot_set_subtitle (plot, subtitle);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, param, NULL,
                       log_x ? SCALR_AXIS_LOG10 : SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "lift (%)", NULL, SCALR_AXIS_LINEAR);
  scalr_plot_add_reference (plot, SCALR_PLOT_AXIS_Y, 0);
  g_autofree double *l = g_new (double, MAX (n, 1));
  g_autofree double *a = g_new (double, MAX (n, 1));
  g_autofree double *b = g_new (double, MAX (n, 1));
  g_autoptr (GPtrArray) hover = g_ptr_array_new_with_free_func (g_free);
  for (guint i = 0; i < n; i++)
    {
      l[i] = lift[i] * 100;
      a[i] = lo[i] * 100;
      b[i] = hi[i] * 100;
      g_autofree char *xv = fmt (x[i]);
      g_autofree char *lv = fmt (round (l[i] * 100) / 100);
      GString *s = g_string_new (NULL);
      g_string_append_printf (s, "%s %s: lift %s%s%%", param, xv, l[i] > 0 ? "+" : "", lv);
      if (isfinite (a[i]) && isfinite (b[i]))
        {
          g_autofree char *av = fmt (round (a[i] * 100) / 100);
          g_autofree char *bv = fmt (round (b[i] * 100) / 100);
          g_string_append_printf (s, " (%s %s%% to %s%%)", ci, av, bv);
        }
      g_ptr_array_add (hover, g_string_free (s, FALSE));
    }
  g_ptr_array_add (hover, NULL);
  scalr_plot_add_band (plot, ci, SCALR_PLOT_COLOR_BLUE, n, x, a, b);
  guint line = scalr_plot_add_line (plot, "lift", SCALR_PLOT_COLOR_BLUE, n, x, l);
  guint pts = scalr_plot_add_points (plot, NULL, SCALR_PLOT_COLOR_BLUE, n, x, l);
  scalr_plot_series_set_hover_texts (plot, line, (const char *const *) hover->pdata);
  scalr_plot_series_set_hover_texts (plot, pts, (const char *const *) hover->pdata);
  return plot;
}

/* ---- lifts over a set of runs ------------------------------------------------------------ */

typedef struct {
  const char *value;
  double      x;
} SweepValue;

static int
cmp_sweep_value (gconstpointer a, gconstpointer b)
{
  const SweepValue *x = a, *y = b;
  if (isfinite (x->x) && isfinite (y->x) && x->x != y->x)
    return x->x < y->x ? -1 : 1;
  return g_strcmp0 (x->value, y->value);
}

GStrv
scalr_charts_sweep_categories (const ScalrSweepData *d)
{
  guint n = d->series->n_runs;
  g_autoptr (GArray) vals = g_array_new (FALSE, FALSE, sizeof (SweepValue));
  for (guint i = 0; i < n; i++)
    {
      const char *v = d->values[i] ? d->values[i] : SCALR_FORMAT_MISSING;
      gboolean seen = FALSE;
      for (guint j = 0; j < vals->len && !seen; j++)
        seen = strcmp (g_array_index (vals, SweepValue, j).value, v) == 0;
      if (!seen)
        {
          SweepValue sv = { v, d->series->numeric ? d->series->x[i] : NAN };
          g_array_append_val (vals, sv);
        }
    }
  g_array_sort (vals, cmp_sweep_value);
  g_autoptr (GStrvBuilder) b = g_strv_builder_new ();
  for (guint j = 0; j < vals->len; j++)
    g_strv_builder_add (b, g_array_index (vals, SweepValue, j).value);
  return g_strv_builder_end (b);
}

static guint
category_of (GStrv cats, const char *value)
{
  const char *v = value ? value : SCALR_FORMAT_MISSING;
  for (guint c = 0; cats[c]; c++)
    if (strcmp (cats[c], v) == 0)
      return c;
  return 0;
}

static char *
sweep_hover (const ScalrSweepData *d, const char *param, const char *model, guint i)
{
  g_autofree char *lift = scalr_format_lift (d->lift[i]);
  g_autofree char *ci = scalr_format_lift_ci (d->lo[i], d->hi[i]);
  g_autofree char *level = scalr_stats_ci_label (d->level);
  return g_strdup_printf ("%s · %s = %s: %s %s %s (%s, not adjusted)", d->run_labels[i], param,
                          d->values[i] ? d->values[i] : SCALR_FORMAT_MISSING, model, lift, ci, level);
}

ScalrPlot *
scalr_charts_sweep_model (const char *title, const char *subtitle, const char *param, const char *model,
                          const ScalrSweepData *d)
{
  g_return_val_if_fail (d != NULL && d->series != NULL && param != NULL && model != NULL, NULL);
  ScalrPlot *plot = scalr_plot_new (title ? title : model);
  if (subtitle)
    scalr_plot_set_subtitle (plot, subtitle);
  g_auto (GStrv) cats = scalr_charts_sweep_categories (d);
  scalr_plot_set_categories (plot, g_strv_length (cats), (const char *const *) cats);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_X, param, NULL, SCALR_AXIS_LINEAR);
  scalr_plot_set_axis (plot, SCALR_PLOT_AXIS_Y, "lift", "%", SCALR_AXIS_LINEAR);
  scalr_plot_add_reference (plot, SCALR_PLOT_AXIS_Y, 0);
  ScalrPlotColor color = scalr_charts_model_color (model);
  for (guint l = 0; l < d->series->lines->len; l++)
    {
      GArray *line = g_ptr_array_index (d->series->lines, l);
      g_autofree double *x = g_new (double, line->len), *y = g_new (double, line->len);
      g_autofree double *a = g_new (double, line->len), *b = g_new (double, line->len);
      g_autoptr (GPtrArray) hover = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < line->len; j++)
        {
          guint i = g_array_index (line, guint, j);
          x[j] = category_of (cats, d->values[i]);
          y[j] = 100 * d->lift[i];
          a[j] = 100 * d->lo[i];
          b[j] = 100 * d->hi[i];
          g_ptr_array_add (hover, sweep_hover (d, param, model, i));
        }
      g_ptr_array_add (hover, NULL);
      guint band = scalr_plot_add_band (plot, NULL, color, line->len, x, a, b);
      scalr_plot_series_set_fill (plot, band, 0.16);
      scalr_plot_series_set_hover_texts (plot, band, (const char *const *) hover->pdata);
      g_autofree char *name = d->series->lines->len == 1 ? g_strdup ("joined runs (only this key differs)")
                                                          : g_strdup_printf ("joined runs, set %u", l + 1);
      guint s = scalr_plot_add_line (plot, name, color, line->len, x, y);
      if (l > 0)
        scalr_plot_series_set_dashed (plot, s, TRUE);
      guint pts = scalr_plot_add_points (plot, NULL, color, line->len, x, y);
      scalr_plot_series_set_hover_texts (plot, s, (const char *const *) hover->pdata);
      scalr_plot_series_set_hover_texts (plot, pts, (const char *const *) hover->pdata);
    }
  guint nl = d->series->loose->len;
  if (nl > 0)
    {
      g_autofree double *x = g_new (double, nl), *y = g_new (double, nl);
      g_autoptr (GPtrArray) hover = g_ptr_array_new_with_free_func (g_free);
      for (guint j = 0; j < nl; j++)
        {
          guint i = g_array_index (d->series->loose, guint, j);
          x[j] = category_of (cats, d->values[i]);
          y[j] = 100 * d->lift[i];
          g_autofree char *h = sweep_hover (d, param, model, i);
          g_ptr_array_add (hover, g_strdup_printf ("%s (not joined: other keys differ too)", h));
        }
      g_ptr_array_add (hover, NULL);
      guint pts = scalr_plot_add_points (plot, "other runs (differ in other keys)", SCALR_PLOT_COLOR_NEUTRAL, nl, x, y);
      scalr_plot_series_set_hover_texts (plot, pts, (const char *const *) hover->pdata);
    }
  return plot;
}
