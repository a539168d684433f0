/* scalr-plot-legend.c — the legend: its entries, where it goes (a box in the emptiest corner
 * of the plot area, or rows above it) and its drawing. */
#include "config.h"

#include <math.h>

#include "scalr-plot-private.h"

guint
_scalr_plot_legend_count (const ScalrPlot *plot)
{
  guint n = plot->markers->len;
  for (guint i = 0; i < plot->series->len; i++)
    if (_scalr_plot_get_series (plot, i)->name)
      n++;
  return n;
}

static const char *
legend_name (const ScalrPlot *plot, guint k)
{
  for (guint i = 0; i < plot->series->len; i++)
    if (_scalr_plot_get_series (plot, i)->name && k-- == 0)
      return _scalr_plot_get_series (plot, i)->name;
  return g_array_index (plot->markers, LegendMarker, k).name;
}

/* Counts series items (vertices, bar rectangles, histogram tops, forest rows) inside the
 * rectangle: how much data a legend box there would hide. */
static guint
data_in_rect (const ScalrPlot *plot, const Layout *L, double x0, double y0, double x1, double y1)
{
  guint hits = 0;
  double m = L->fs * 0.3;
  x0 -= m;
  y0 -= m;
  x1 += m;
  y1 += m;
#define INSIDE(px, py) ((px) >= x0 && (px) <= x1 && (py) >= y0 && (py) <= y1)
  guint n_bar_series = 0, bar_index = 0;
  for (guint i = 0; i < plot->series->len; i++)
    n_bar_series += _scalr_plot_get_series (plot, i)->kind == SCALR_SERIES_BARS;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = _scalr_plot_get_series (plot, i);
      switch (s->kind)
        {
        case SCALR_SERIES_LINE:
        case SCALR_SERIES_POINTS:
        case SCALR_SERIES_BAND:
          for (guint k = 0; k < s->n; k++)
            {
              double px = _scalr_plot_map_v (L, 0, s->x[k]);
              if (INSIDE (px, _scalr_plot_map_v (L, 1, s->y[k])))
                hits++;
              if (s->kind == SCALR_SERIES_BAND && INSIDE (px, _scalr_plot_map_v (L, 1, s->y2[k])))
                hits++;
              /* Segments that cross the box count too (a line, and both edges of a band):
               * sample them every few pixels. */
              for (guint edge = 0; edge < (s->kind == SCALR_SERIES_BAND ? 2u : 1u); edge++)
                {
                  if (k + 1 >= s->n || s->kind == SCALR_SERIES_POINTS)
                    break;
                  const double *ys = edge ? s->y2 : s->y;
                  double py = _scalr_plot_map_v (L, 1, ys[k]);
                  double qx = _scalr_plot_map_v (L, 0, s->x[k + 1]);
                  double qy = _scalr_plot_map_v (L, 1, ys[k + 1]);
                  if (!isfinite (px) || !isfinite (py) || !isfinite (qx) || !isfinite (qy))
                    continue;
                  guint steps = (guint) MIN (2000, hypot (qx - px, qy - py) / 4) + 1;
                  for (guint j = 1; j < steps; j++)
                    {
                      double f = j / (double) steps;
                      if (INSIDE (px + f * (qx - px), py + f * (qy - py)))
                        {
                          hits++;
                          break;
                        }
                    }
                }
            }
          break;
        case SCALR_SERIES_BARS:
          {
            double gw = 0.8 / MAX (n_bar_series, 1);
            for (guint k = 0; k < s->n; k++)
              {
                double bx0 = _scalr_plot_map_t (L, 0, k - 0.4 + bar_index * gw);
                double bx1 = _scalr_plot_map_t (L, 0, k - 0.4 + (bar_index + 1) * gw);
                double top = _scalr_plot_map_v (L, 1, s->y[k]);
                if (isfinite (top) && bx1 >= x0 && bx0 <= x1 && top <= y1 && L->bottom >= y0)
                  hits += 3;
              }
            bar_index++;
          }
          break;
        case SCALR_SERIES_STEPS:
          for (guint k = 0; k < s->n; k++)
            {
              double py = _scalr_plot_map_v (L, 1, s->y[k]);
              double a = _scalr_plot_map_v (L, 0, s->x[k]);
              double b = _scalr_plot_map_v (L, 0, s->x[k + 1]);
              if (isfinite (py) && py >= y0 && py <= y1 && b >= x0 && a <= x1)
                hits++;
              else if (isfinite (py) && py < y0 && b >= x0 && a <= x1 && s->y[k] > 0)
                hits++;   /* the bin rises through the box */
            }
          break;
        }
    }
  for (guint r = 0; r < plot->n_rows; r++)
    {
      double py = _scalr_plot_forest_row_y (L, plot, r);
      const ForestRow *row = &plot->rows[r];
      double a = _scalr_plot_map_v (L, 0, isfinite (row->lo) ? row->lo : row->lift);
      double b = _scalr_plot_map_v (L, 0, isfinite (row->hi) ? row->hi : row->lift);
      if (py >= y0 && py <= y1 && b >= x0 && a <= x1)
        hits++;
    }
#undef INSIDE
  return hits;
}

/* Width of legend entry k in a legend row, including the space after it. */
static double
legend_entry_w (cairo_t *cr, const ScalrPlot *plot, const Layout *L, guint k)
{
  return L->leg_swatch + L->fs * 0.5 + _scalr_plot_text_width (cr, legend_name (plot, k))
         + L->fs * 1.2;
}

/* Rows a legend row needs when wrapped at @avail. */
guint
_scalr_plot_legend_row_lines (cairo_t *cr, const ScalrPlot *plot, const Layout *L, double avail)
{
  guint lines = 1;
  double x = 0;
  for (guint k = 0; k < L->n_legend; k++)
    {
      double ew = legend_entry_w (cr, plot, L, k);
      if (x > 0 && x + ew - L->fs * 1.2 > avail)
        {
          lines++;
          x = 0;
        }
      x += ew;
    }
  return lines;
}

void
_scalr_plot_layout_legend (cairo_t *cr, const ScalrPlot *plot, Layout *L)
{
  L->n_legend = _scalr_plot_legend_count (plot);
  if (L->n_legend == 0)
    return;
  _scalr_plot_set_font (cr, L->fs, FALSE);
  L->leg_row_h = (L->ascent + L->descent) * 1.35;
  L->leg_swatch = L->fs * 1.7;
  double max_w = 0, total_w = 0;
  for (guint k = 0; k < L->n_legend; k++)
    {
      double tw = _scalr_plot_text_width (cr, legend_name (plot, k));
      max_w = MAX (max_w, tw);
      total_w += L->leg_swatch + L->fs * 0.5 + tw + L->fs * 1.2;
    }
  double inner = L->fs * 0.6;
  if (L->legend_row)
    {
      /* One line right-aligned over the plot when it fits, else wrapped from the margin
       * (leg_y was set by layout_pass). */
      total_w -= L->fs * 1.2;
      L->leg_w = MIN (total_w, L->w - 2 * L->pad);
      L->leg_h = L->leg_lines * L->leg_row_h;
      L->leg_x = L->leg_lines == 1 ? MAX (L->pad, L->right - total_w) : L->pad;
      return;
    }
  L->leg_w = inner * 2 + L->leg_swatch + L->fs * 0.5 + max_w;
  L->leg_h = inner * 2 + L->n_legend * L->leg_row_h;
  double inset = L->fs * 0.6;
  /* Corners in order of preference: top right, top left, bottom right, bottom left. */
  double xs[4] = { L->right - inset - L->leg_w, L->left + inset, L->right - inset - L->leg_w,
                   L->left + inset };
  double ys[4] = { L->top + inset, L->top + inset, L->bottom - inset - L->leg_h,
                   L->bottom - inset - L->leg_h };
  guint best = 0, best_hits = G_MAXUINT;
  for (guint c = 0; c < 4; c++)
    {
      guint hits = data_in_rect (plot, L, xs[c], ys[c], xs[c] + L->leg_w, ys[c] + L->leg_h);
      if (hits < best_hits)
        {
          best_hits = hits;
          best = c;
        }
    }
  L->leg_x = xs[best];
  L->leg_y = ys[best];
  /* Covering data everywhere: ask for a legend row above the plot instead (wrapped when it
   * is wider than the plot). */
  if (best_hits > 0)
    L->legend_row = TRUE;
}

void
_scalr_plot_draw_legend (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                         const ScalrPlotStyle *style)
{
  if (L->n_legend == 0)
    return;
  _scalr_plot_set_font (cr, L->fs, FALSE);
  double x = L->leg_x, y = L->leg_y;
  if (!L->legend_row)
    {
      cairo_rectangle (cr, x + 0.5, y + 0.5, L->leg_w, L->leg_h);
      _scalr_plot_set_rgba (cr, style->background, 0.92);
      cairo_fill_preserve (cr);
      _scalr_plot_set_rgb (cr, style->grid);
      cairo_set_line_width (cr, 1);
      cairo_stroke (cr);
      x += L->fs * 0.6;
      y += L->fs * 0.6;
    }
  guint k = 0;
  for (guint i = 0; i < plot->series->len + plot->markers->len; i++)
    {
      const Series *s = i < plot->series->len ? _scalr_plot_get_series (plot, i) : NULL;
      const LegendMarker *m = s ? NULL
                                : &g_array_index (plot->markers, LegendMarker,
                                                  i - plot->series->len);
      if (s && !s->name)
        continue;
      const char *name = s ? s->name : m->name;
      ScalrRgb c = _scalr_plot_series_rgb (style, s ? s->color : m->color);
      double cy = y + L->leg_row_h / 2, sw = L->leg_swatch;
      if (s && (s->kind == SCALR_SERIES_LINE || s->kind == SCALR_SERIES_STEPS))
        {
          _scalr_plot_set_rgb (cr, c);
          cairo_set_line_width (cr, L->lw);
          _scalr_plot_set_dash (cr, s->dashed, L->lw);
          cairo_move_to (cr, x, cy);
          cairo_line_to (cr, x + sw, cy);
          cairo_stroke (cr);
          _scalr_plot_set_dash (cr, FALSE, 0);
        }
      else if (s && s->kind == SCALR_SERIES_POINTS)
        {
          _scalr_plot_set_rgb (cr, c);
          cairo_arc (cr, x + sw / 2, cy, _scalr_plot_marker_radius (L), 0, 2 * G_PI);
          cairo_fill (cr);
        }
      else if (s)   /* bars, band: a filled box */
        {
          double bh = L->fs * 0.75;
          cairo_rectangle (cr, x + sw * 0.15, cy - bh / 2, sw * 0.7, bh);
          _scalr_plot_set_rgba (cr, c,
                                s->kind == SCALR_SERIES_BAND ? MAX (s->fill, 0.15) * 1.3 : 1.0);
          cairo_fill (cr);
        }
      else
        {
          double half = L->fs * 0.38;
          cairo_rectangle (cr, x + sw / 2 - half, cy - half, 2 * half, 2 * half);
          _scalr_plot_set_rgb (cr, m->filled ? c : style->background);
          cairo_fill_preserve (cr);
          _scalr_plot_set_rgb (cr, c);
          cairo_set_line_width (cr, L->lw * 0.9);
          cairo_stroke (cr);
        }
      _scalr_plot_set_rgb (cr, style->foreground);
      _scalr_plot_show_text (cr, name, x + sw + L->fs * 0.5, cy + (L->ascent - L->descent) / 2,
                             ALIGN_LEFT);
      if (L->legend_row)
        {
          x += legend_entry_w (cr, plot, L, k);
          if (k + 1 < L->n_legend
              && x + legend_entry_w (cr, plot, L, k + 1) - L->fs * 1.2 > L->w - L->pad)
            {
              x = L->leg_x;
              y += L->leg_row_h;
            }
        }
      else
        y += L->leg_row_h;
      k++;
    }
  g_assert (k == L->n_legend);
}
