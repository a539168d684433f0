/* scalr-plot-draw.c — drawing the series (bands, bars, steps, lines, points, annotations) and
 * scalr_plot_draw, which paints a whole chart. */
#include "config.h"

#include <math.h>

#include "scalr-plot-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Drawing                                                                                  */

static void
draw_band (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c)
{
  /* Contiguous runs of finite points. */
  guint k = 0;
  while (k < s->n)
    {
      guint start = k;
      while (k < s->n && isfinite (_scalr_plot_map_v (L, 0, s->x[k]))
             && isfinite (_scalr_plot_map_v (L, 1, s->y[k]))
             && isfinite (_scalr_plot_map_v (L, 1, s->y2[k])))
        k++;
      if (k - start >= 2)
        {
          for (guint i = start; i < k; i++)
            cairo_line_to (cr, _scalr_plot_map_v (L, 0, s->x[i]),
                           _scalr_plot_map_v (L, 1, s->y2[i]));
          for (guint i = k; i-- > start;)
            cairo_line_to (cr, _scalr_plot_map_v (L, 0, s->x[i]),
                           _scalr_plot_map_v (L, 1, s->y[i]));
          cairo_close_path (cr);
          _scalr_plot_set_rgba (cr, c, s->fill);
          cairo_fill (cr);
        }
      k++;
    }
}

static void
draw_line (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c)
{
  gboolean pen = FALSE;
  for (guint k = 0; k < s->n; k++)
    {
      double px = _scalr_plot_map_v (L, 0, s->x[k]), py = _scalr_plot_map_v (L, 1, s->y[k]);
      if (!isfinite (px) || !isfinite (py))
        {
          pen = FALSE;
          continue;
        }
      if (pen)
        cairo_line_to (cr, px, py);
      else
        cairo_move_to (cr, px, py);
      pen = TRUE;
    }
  _scalr_plot_set_rgb (cr, c);
  cairo_set_line_width (cr, L->lw);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  _scalr_plot_set_dash (cr, s->dashed, L->lw);
  cairo_stroke (cr);
  _scalr_plot_set_dash (cr, FALSE, 0);
}

double
_scalr_plot_marker_radius (const Layout *L)
{
  return MAX (3.5, L->fs * 0.32);
}

static void
draw_points (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c,
             const ScalrPlotStyle *style)
{
  double r = _scalr_plot_marker_radius (L);
  for (guint k = 0; k < s->n; k++)
    {
      double px = _scalr_plot_map_v (L, 0, s->x[k]), py = _scalr_plot_map_v (L, 1, s->y[k]);
      if (!isfinite (px) || !isfinite (py))
        continue;
      cairo_new_sub_path (cr);
      cairo_arc (cr, px, py, r, 0, 2 * G_PI);
    }
  _scalr_plot_set_rgb (cr, c);
  cairo_fill_preserve (cr);
  _scalr_plot_set_rgb (cr, style->background);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
}

void
_scalr_plot_bar_geometry (const Layout *L, guint n_bar_series, guint bar_index, guint k,
                          double *x0, double *x1)
{
  double gw = 0.8 / MAX (n_bar_series, 1);
  double a = _scalr_plot_map_t (L, 0, k - 0.4 + bar_index * gw);
  double b = _scalr_plot_map_t (L, 0, k - 0.4 + (bar_index + 1) * gw);
  double inset = MIN (1.0, (b - a) * 0.1);
  *x0 = a + inset;
  *x1 = b - inset;
}

double
_scalr_plot_bar_base (const Layout *L)
{
  if (L->ax[1].scale == SCALR_AXIS_LINEAR && L->ax[1].tlo <= 0 && L->ax[1].thi >= 0)
    return _scalr_plot_map_t (L, 1, 0);
  return L->bottom;
}

static void
draw_bars (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c, guint n_bar_series,
           guint bar_index)
{
  double base = _scalr_plot_bar_base (L);
  for (guint k = 0; k < s->n; k++)
    {
      double top = _scalr_plot_map_v (L, 1, s->y[k]);
      if (!isfinite (top))
        continue;
      double x0, x1;
      _scalr_plot_bar_geometry (L, n_bar_series, bar_index, k, &x0, &x1);
      cairo_rectangle (cr, x0, MIN (top, base), x1 - x0, fabs (base - top));
    }
  _scalr_plot_set_rgb (cr, c);
  cairo_fill (cr);
}

static void
draw_steps (cairo_t *cr, const Layout *L, const Series *s, ScalrRgb c)
{
  double base = _scalr_plot_bar_base (L);
  gboolean pen = FALSE;
  double first_x = NAN, last_x = NAN;
  for (guint k = 0; k < s->n; k++)
    {
      double a = _scalr_plot_map_v (L, 0, s->x[k]), b = _scalr_plot_map_v (L, 0, s->x[k + 1]);
      double py = _scalr_plot_map_v (L, 1, s->y[k]);
      if (!isfinite (py))
        py = base;
      if (!isfinite (a) || !isfinite (b))
        continue;
      if (!pen)
        {
          cairo_move_to (cr, a, base);
          first_x = a;
          pen = TRUE;
        }
      cairo_line_to (cr, a, py);
      cairo_line_to (cr, b, py);
      last_x = b;
    }
  if (!pen)
    return;
  cairo_line_to (cr, last_x, base);
  if (s->fill > 0)
    {
      cairo_path_t *path = cairo_copy_path (cr);
      cairo_close_path (cr);
      _scalr_plot_set_rgba (cr, c, s->fill);
      cairo_fill (cr);
      cairo_append_path (cr, path);
      cairo_path_destroy (path);
    }
  (void) first_x;
  _scalr_plot_set_rgb (cr, c);
  cairo_set_line_width (cr, L->lw);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_MITER);
  _scalr_plot_set_dash (cr, s->dashed, L->lw);
  cairo_stroke (cr);
  _scalr_plot_set_dash (cr, FALSE, 0);
}

static void
draw_annotations (cairo_t *cr, const Layout *L, const Series *s, const ScalrPlotStyle *style,
                  GArray *placed)
{
  if (!s->notes || (s->kind != SCALR_SERIES_LINE && s->kind != SCALR_SERIES_POINTS))
    return;
  _scalr_plot_set_font (cr, L->fs * 0.8, FALSE);
  _scalr_plot_set_rgb (cr, style->muted);
  double h = (L->ascent + L->descent) * 0.8;
  for (guint k = 0; k < s->n; k++)
    {
      if (!s->notes[k] || !*s->notes[k])
        continue;
      double px = _scalr_plot_map_v (L, 0, s->x[k]), py = _scalr_plot_map_v (L, 1, s->y[k]);
      if (!isfinite (px) || !isfinite (py))
        continue;
      double w = _scalr_plot_text_width (cr, s->notes[k]);
      /* Above the point, or below when there is no room above. */
      double r = _scalr_plot_marker_radius (L) + L->fs * 0.3;
      double cand_y[2] = { py - r - h, py + r };
      for (guint c = 0; c < 2; c++)
        {
          double x0 = px - w / 2, y0 = cand_y[c], x1 = px + w / 2, y1 = y0 + h;
          if (x0 < L->left || x1 > L->right || y0 < L->top || y1 > L->bottom)
            continue;
          gboolean clash = FALSE;
          for (guint i = 0; i < placed->len && !clash; i += 4)
            {
              double *q = &g_array_index (placed, double, i);
              clash = !(x1 + 2 < q[0] || x0 > q[2] + 2 || y1 < q[1] || y0 > q[3]);
            }
          if (clash)
            continue;
          double rect[4] = { x0, y0, x1, y1 };
          g_array_append_vals (placed, rect, 4);
          /* A halo in the background colour keeps the label readable over lines. */
          cairo_move_to (cr, x0, y0 + h * 0.78);
          cairo_text_path (cr, s->notes[k]);
          _scalr_plot_set_rgb (cr, style->background);
          cairo_set_line_width (cr, MAX (3.0, L->fs * 0.25));
          cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
          cairo_stroke (cr);
          _scalr_plot_set_rgb (cr, style->muted);
          cairo_move_to (cr, x0, y0 + h * 0.78);
          cairo_show_text (cr, s->notes[k]);
          break;
        }
    }
  _scalr_plot_set_font (cr, L->fs, FALSE);
}

/* Reference lines, under the data. */
static void
draw_references (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  _scalr_plot_set_rgb (cr, style->muted);
  cairo_set_line_width (cr, 1.5);
  _scalr_plot_set_dash (cr, TRUE, 1.5);
  for (guint i = 0; i < plot->refs->len; i++)
    {
      const Reference *r = &g_array_index (plot->refs, Reference, i);
      double p = _scalr_plot_map_v (L, r->axis, r->value);
      if (!isfinite (p))
        continue;
      if (r->axis == SCALR_PLOT_AXIS_X)
        {
          cairo_move_to (cr, p, L->top);
          cairo_line_to (cr, p, L->bottom);
        }
      else
        {
          cairo_move_to (cr, L->left, p);
          cairo_line_to (cr, L->right, p);
        }
      cairo_stroke (cr);
    }
  _scalr_plot_set_dash (cr, FALSE, 0);
}

/* The series, clipped to the plot area: areas first, then bars, outlines, lines, markers. */
static void
draw_series (cairo_t *cr, const ScalrPlot *plot, const Layout *L, const ScalrPlotStyle *style)
{
  cairo_save (cr);
  double m = L->lw;
  cairo_rectangle (cr, L->left - m, L->top - m, L->right - L->left + 2 * m, L->bottom - L->top + 2 * m);
  cairo_clip (cr);
  guint n_bar_series = 0, bar_index = 0;
  for (guint i = 0; i < plot->series->len; i++)
    n_bar_series += _scalr_plot_get_series (plot, i)->kind == SCALR_SERIES_BARS;
  static const ScalrSeriesKind order[] = {
    SCALR_SERIES_BAND, SCALR_SERIES_BARS, SCALR_SERIES_STEPS, SCALR_SERIES_LINE, SCALR_SERIES_POINTS,
  };
  for (guint o = 0; o < G_N_ELEMENTS (order); o++)
    for (guint i = 0; i < plot->series->len; i++)
      {
        const Series *s = _scalr_plot_get_series (plot, i);
        if (s->kind != order[o])
          continue;
        ScalrRgb c = _scalr_plot_series_rgb (style, s->color);
        switch (s->kind)
          {
          case SCALR_SERIES_BAND:
            draw_band (cr, L, s, c);
            break;
          case SCALR_SERIES_BARS:
            draw_bars (cr, L, s, c, n_bar_series, bar_index++);
            break;
          case SCALR_SERIES_STEPS:
            draw_steps (cr, L, s, c);
            break;
          case SCALR_SERIES_LINE:
            draw_line (cr, L, s, c);
            break;
          case SCALR_SERIES_POINTS:
            draw_points (cr, L, s, c, style);
            break;
          }
      }
  cairo_restore (cr);
}

void
scalr_plot_draw (const ScalrPlot *plot, cairo_t *cr, double width, double height,
                 const ScalrPlotStyle *style)
{
  g_return_if_fail (plot != NULL && cr != NULL);
  if (!style)
    style = _scalr_plot_default_style ();
  cairo_save (cr);
  _scalr_plot_prepare_cr (cr, style);
  cairo_rectangle (cr, 0, 0, width, height);
  cairo_clip (cr);
  _scalr_plot_set_rgb (cr, style->background);
  cairo_paint (cr);

  Layout L;
  _scalr_plot_layout_compute (plot, cr, width, height, style, &L);
  _scalr_plot_draw_titles (cr, plot, &L, style);
  if (!L.ok)
    {
      _scalr_plot_layout_clear (&L);
      cairo_restore (cr);
      return;
    }

  if (plot->rows)
    _scalr_plot_draw_forest (cr, plot, &L, style);
  else
    {
      _scalr_plot_draw_grid (cr, plot, &L, style);
      _scalr_plot_draw_axis_lines (cr, plot, &L, style);
      draw_references (cr, plot, &L, style);
      draw_series (cr, plot, &L, style);
      g_autoptr (GArray) placed = g_array_new (FALSE, FALSE, sizeof (double));
      for (guint i = 0; i < plot->series->len; i++)
        draw_annotations (cr, &L, _scalr_plot_get_series (plot, i), style, placed);
    }
  _scalr_plot_draw_axes (cr, plot, &L, style);
  _scalr_plot_draw_legend (cr, plot, &L, style);
  _scalr_plot_layout_clear (&L);
  cairo_restore (cr);
}
