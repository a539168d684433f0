/* scalr-plot-hit.c — mapping data to pixels and hit testing: the text shown when hovering a
 * chart. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-plot-private.h"

#include "scalr-format.h"
#include "scalr-stats.h"   /* scalr_stats_ci_label */

gboolean
scalr_plot_map_point (const ScalrPlot *plot, double width, double height,
                      const ScalrPlotStyle *style, double x, double y, double *px, double *py)
{
  g_return_val_if_fail (plot != NULL, FALSE);
  if (!style)
    style = _scalr_plot_default_style ();
  cairo_t *cr = _scalr_plot_scratch_cr (style);
  Layout L;
  _scalr_plot_layout_compute (plot, cr, width, height, style, &L);
  cairo_destroy (cr);
  double ox = _scalr_plot_map_v (&L, 0, x);
  double oy = plot->rows ? _scalr_plot_forest_row_y (&L, plot, y) : _scalr_plot_map_v (&L, 1, y);
  gboolean ok = L.ok && isfinite (ox) && isfinite (oy);
  _scalr_plot_layout_clear (&L);
  if (px)
    *px = ox;
  if (py)
    *py = oy;
  return ok;
}

/* ---------------------------------------------------------------------------------------- */
/* Hover                                                                                    */

static const char *
axis_word (const ScalrPlot *plot, guint a)
{
  const Axis *ax = &plot->axes[a];
  return ax->hover_name ? ax->hover_name : ax->label ? ax->label : (a == 0 ? "x" : "y");
}

static char *
value_text (const ScalrPlot *plot, guint a, double v)
{
  g_autofree char *s = scalr_axis_format_exact (v);
  const char *unit = plot->axes[a].unit;
  if (unit && strcmp (unit, "%") == 0)
    return g_strconcat (s, "%", NULL);
  return g_steal_pointer (&s);
}

/* "<x word> <x>: <series> <y> <y word>" (or "<category>: …"). */
static char *
default_hover (const ScalrPlot *plot, const Series *s, guint k)
{
  GString *t = g_string_new (NULL);
  if (s->kind == SCALR_SERIES_BARS || (plot->categories && !plot->rows))
    {
      guint cat = s->kind == SCALR_SERIES_BARS ? k : (guint) round (s->x[k]);
      if (plot->categories && cat < plot->categories->len)
        g_string_append_printf (t, "%s %s", axis_word (plot, 0),
                                (char *) g_ptr_array_index (plot->categories, cat));
    }
  else if (s->kind == SCALR_SERIES_STEPS)
    {
      g_autofree char *a = scalr_axis_format_exact (s->x[k]);
      g_autofree char *b = scalr_axis_format_exact (s->x[k + 1]);
      g_string_append_printf (t, "%s %s–%s", axis_word (plot, 0), a, b);
    }
  else
    {
      g_autofree char *xv = value_text (plot, 0, s->x[k]);
      g_string_append_printf (t, "%s %s", axis_word (plot, 0), xv);
    }
  g_string_append (t, ":");
  if (s->name)
    g_string_append_printf (t, " %s", s->name);
  const char *yword = axis_word (plot, 1);
  if (s->kind == SCALR_SERIES_BAND)
    {
      g_autofree char *lo = value_text (plot, 1, s->y[k]);
      g_autofree char *hi = value_text (plot, 1, s->y2[k]);
      g_string_append_printf (t, " %s to %s", lo, hi);
    }
  else
    {
      g_autofree char *yv = value_text (plot, 1, s->y[k]);
      g_string_append_printf (t, " %s", yv);
    }
  const char *unit = plot->axes[1].unit;
  if (!(unit && strcmp (unit, "%") == 0) || plot->axes[1].hover_name)
    g_string_append_printf (t, " %s", yword);
  return g_string_free (t, FALSE);
}

static char *
series_hover (const ScalrPlot *plot, const Series *s, guint k)
{
  if (s->hover && s->hover[k] && *s->hover[k])
    return g_strdup (s->hover[k]);
  return default_hover (plot, s, k);
}

static char *
forest_hover (const ForestRow *r)
{
  GString *t = g_string_new (r->label);
  g_autofree char *lift = scalr_format_lift (r->lift / 100);
  g_string_append_printf (t, ": lift %s", lift);
  if (isfinite (r->lo) && isfinite (r->hi))
    {
      g_autofree char *ci = scalr_format_lift_ci (r->lo / 100, r->hi / 100);
      g_autofree char *label = scalr_stats_ci_label (r->level);
      g_string_append_printf (t, " %s (%s, not adjusted for multiple comparisons)", ci, label);
    }
  if (isfinite (r->p))
    {
      g_autofree char *p = scalr_format_p (r->p);
      g_string_append_printf (t, ", Holm-adjusted p %s", p);
    }
  g_string_append (t, r->significant ? ", significant" : ", not significant");
  return g_string_free (t, FALSE);
}

/* The forest row under (x, y): its label, its values column, or its interval. */
static gboolean
hit_forest (const ScalrPlot *plot, const Layout *L, double x, double y, double radius, char **text)
{
  double row_h = (L->bottom - L->top) / MAX (plot->n_rows, 1);
  for (guint r = 0; r < plot->n_rows; r++)
    {
      const ForestRow *row = &plot->rows[r];
      double cy = _scalr_plot_forest_row_y (L, plot, r);
      if (fabs (y - cy) > row_h / 2)
        continue;
      double a = _scalr_plot_map_v (L, 0, isfinite (row->lo) ? row->lo : row->lift);
      double b = _scalr_plot_map_v (L, 0, isfinite (row->hi) ? row->hi : row->lift);
      gboolean on_label = x >= L->pad * 0.5 && x < L->left;
      gboolean on_values = L->forest_values && x > L->right;
      gboolean on_data = isfinite (a) && isfinite (b) && fabs (y - cy) <= radius
                         && x >= MIN (a, b) - radius && x <= MAX (a, b) + radius;
      if (on_label || on_values || on_data)
        {
          *text = forest_hover (row);
          return TRUE;
        }
    }
  return FALSE;
}

/* The vertex of lines and points nearest (x, y) within @radius. */
static const Series *
nearest_vertex (const ScalrPlot *plot, const Layout *L, double x, double y, double radius, guint *k_out)
{
  double best = radius;
  const Series *best_s = NULL;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = _scalr_plot_get_series (plot, i);
      if (s->kind != SCALR_SERIES_LINE && s->kind != SCALR_SERIES_POINTS)
        continue;
      for (guint k = 0; k < s->n; k++)
        {
          double d = hypot (_scalr_plot_map_v (L, 0, s->x[k]) - x, _scalr_plot_map_v (L, 1, s->y[k]) - y);
          if (isfinite (d) && d <= best)
            {
              best = d;
              best_s = s;
              *k_out = k;
            }
        }
    }
  return best_s;
}

/* The bar of @s under (x, y), or -1 (bar_index: which bar series it is of n_bar_series). */
static int
hit_bar (const Layout *L, const Series *s, guint n_bar_series, guint bar_index, double x, double y)
{
  int hit = -1;
  double base = _scalr_plot_bar_base (L);
  for (guint k = 0; k < s->n; k++)
    {
      double x0, x1, top = _scalr_plot_map_v (L, 1, s->y[k]);
      _scalr_plot_bar_geometry (L, n_bar_series, bar_index, k, &x0, &x1);
      double y0 = MIN (top, base) - 3, y1 = MAX (top, base);
      if (x >= x0 && x <= x1 && y >= y0 && y <= y1)
        hit = (int) k;   /* the last drawn wins */
    }
  return hit;
}

/* The histogram bin of @s whose column holds (x, y) (below its top, or just above it), if
 * its top is nearer the pointer than *best; updates *best. -1: none. */
static int
hit_step (const Layout *L, const Series *s, double x, double y, double radius, double *best)
{
  int hit = -1;
  double base = _scalr_plot_bar_base (L);
  for (guint k = 0; k < s->n; k++)
    {
      double a = _scalr_plot_map_v (L, 0, s->x[k]);
      double b = _scalr_plot_map_v (L, 0, s->x[k + 1]);
      double top = _scalr_plot_map_v (L, 1, s->y[k]);
      if (!isfinite (a) || !isfinite (b) || !isfinite (top) || x < a || x >= b
          || y < top - radius || y > MAX (top, base))
        continue;
      double d = fabs (y - top);
      if (d < *best)
        {
          *best = d;
          hit = (int) k;
        }
    }
  return hit;
}

/* The band point of @s nearest (x, y) in x, within the band's span; updates *best. -1: none. */
static int
hit_band (const Layout *L, const Series *s, double x, double y, double radius, double *best)
{
  int hit = -1;
  for (guint k = 0; k < s->n; k++)
    {
      double px = _scalr_plot_map_v (L, 0, s->x[k]);
      double lo = _scalr_plot_map_v (L, 1, s->y[k]);
      double hi = _scalr_plot_map_v (L, 1, s->y2[k]);
      if (!isfinite (px) || !isfinite (lo) || !isfinite (hi))
        continue;
      double dx = fabs (px - x);
      if (dx <= radius * 2 && dx < *best && y >= MIN (lo, hi) - radius && y <= MAX (lo, hi) + radius)
        {
          *best = dx;
          hit = (int) k;
        }
    }
  return hit;
}

/* Bars, histogram bins and bands under the pointer (the last drawn wins). */
static const Series *
hit_area (const ScalrPlot *plot, const Layout *L, double x, double y, double radius, guint *k_out)
{
  guint n_bar_series = 0;
  for (guint i = 0; i < plot->series->len; i++)
    n_bar_series += _scalr_plot_get_series (plot, i)->kind == SCALR_SERIES_BARS;
  guint bar_index = 0;
  double best_band = INFINITY, best_step = INFINITY;
  const Series *best_s = NULL;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = _scalr_plot_get_series (plot, i);
      int k = -1;
      if (s->kind == SCALR_SERIES_BARS)
        k = hit_bar (L, s, n_bar_series, bar_index++, x, y);
      else if (s->kind == SCALR_SERIES_STEPS)
        k = hit_step (L, s, x, y, radius, &best_step);
      else if (s->kind == SCALR_SERIES_BAND && !best_s)
        k = hit_band (L, s, x, y, radius, &best_band);
      if (k >= 0)
        {
          best_s = s;
          *k_out = (guint) k;
        }
    }
  return best_s;
}

gboolean
scalr_plot_hit_test (const ScalrPlot *plot, double width, double height,
                     const ScalrPlotStyle *style, double x, double y, char **text)
{
  g_return_val_if_fail (plot != NULL && text != NULL, FALSE);
  *text = NULL;
  if (!style)
    style = _scalr_plot_default_style ();
  cairo_t *cr = _scalr_plot_scratch_cr (style);
  Layout L;
  _scalr_plot_layout_compute (plot, cr, width, height, style, &L);
  cairo_destroy (cr);
  if (!L.ok)
    {
      _scalr_plot_layout_clear (&L);
      return FALSE;
    }
  double radius = MAX (8.0, L.fs * 0.7);
  if (plot->rows)
    {
      gboolean hit = hit_forest (plot, &L, x, y, radius, text);
      _scalr_plot_layout_clear (&L);
      return hit;
    }
  guint k = 0;
  const Series *s = nearest_vertex (plot, &L, x, y, radius, &k);
  if (!s && x >= L.left && x <= L.right && y >= L.top && y <= L.bottom)
    s = hit_area (plot, &L, x, y, radius, &k);
  _scalr_plot_layout_clear (&L);
  if (!s)
    return FALSE;
  *text = series_hover (plot, s, k);
  return TRUE;
}
