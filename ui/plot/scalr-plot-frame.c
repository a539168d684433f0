/* scalr-plot-frame.c — a chart's frame as the layout placed it: the grid, the axes with
 * their ticks and titles, the title and subtitle. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-plot-private.h"

void
_scalr_plot_draw_grid (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                       const ScalrPlotStyle *style)
{
  cairo_set_line_width (cr, 1.0);
  /* Minor grid (log10): fainter. */
  for (guint a = 0; a < 2; a++)
    {
      const AxisLayout *ax = &L->ax[a];
      _scalr_plot_set_rgba (cr, style->grid, 0.55);
      for (guint i = 0; i < ax->n_minor; i++)
        {
          double p = _scalr_plot_map_v (L, a, ax->minor[i]);
          if (!isfinite (p))
            continue;
          if (a == 0)
            {
              cairo_move_to (cr, round (p) + 0.5, L->top);
              cairo_line_to (cr, round (p) + 0.5, L->bottom);
            }
          else
            {
              cairo_move_to (cr, L->left, round (p) + 0.5);
              cairo_line_to (cr, L->right, round (p) + 0.5);
            }
        }
      cairo_stroke (cr);
    }
  _scalr_plot_set_rgb (cr, style->grid);
  for (guint a = 0; a < 2; a++)
    {
      const AxisLayout *ax = &L->ax[a];
      if (ax->categorical)
        continue;
      for (guint i = 0; i < ax->n_ticks; i++)
        {
          double p = _scalr_plot_map_v (L, a, ax->ticks[i]);
          if (!isfinite (p))
            continue;
          if (a == 0)
            {
              cairo_move_to (cr, round (p) + 0.5, L->top);
              cairo_line_to (cr, round (p) + 0.5, L->bottom);
            }
          else
            {
              cairo_move_to (cr, L->left, round (p) + 0.5);
              cairo_line_to (cr, L->right, round (p) + 0.5);
            }
        }
    }
  cairo_stroke (cr);
}

/* Axis lines, left and bottom: drawn before the series so data on the edge stays visible. */
void
_scalr_plot_draw_axis_lines (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                             const ScalrPlotStyle *style)
{
  _scalr_plot_set_rgb (cr, style->muted);
  cairo_set_line_width (cr, 1.0);
  if (!plot->rows)
    {
      cairo_move_to (cr, round (L->left) + 0.5, L->top);
      cairo_line_to (cr, round (L->left) + 0.5, L->bottom);
    }
  cairo_move_to (cr, L->left, round (L->bottom) + 0.5);
  cairo_line_to (cr, L->right, round (L->bottom) + 0.5);
  cairo_stroke (cr);
}

void
_scalr_plot_draw_axes (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                       const ScalrPlotStyle *style)
{
  _scalr_plot_set_font (cr, L->fs, FALSE);

  /* Tick marks and labels. */
  double tick = L->fs * 0.3;
  cairo_set_line_width (cr, 1.0);
  _scalr_plot_set_dash (cr, FALSE, 0);
  const AxisLayout *ax = &L->ax[0];
  for (guint i = 0; i < ax->n_ticks; i++)
    {
      double p = _scalr_plot_map_v (L, 0, ax->ticks[i]);
      if (!isfinite (p))
        continue;
      _scalr_plot_set_rgb (cr, style->muted);
      cairo_move_to (cr, round (p) + 0.5, L->bottom);
      cairo_line_to (cr, round (p) + 0.5, L->bottom + tick);
      cairo_stroke (cr);
      if (!ax->show[i])
        continue;
      _scalr_plot_set_rgb (cr, style->foreground);
      _scalr_plot_show_text (cr, ax->labels[i], p, L->bottom + L->gap + L->ascent, ALIGN_CENTER);
    }
  ax = &L->ax[1];
  for (guint i = 0; i < ax->n_ticks && !plot->rows; i++)
    {
      double p = _scalr_plot_map_v (L, 1, ax->ticks[i]);
      if (!isfinite (p))
        continue;
      _scalr_plot_set_rgb (cr, style->muted);
      cairo_move_to (cr, L->left - tick, round (p) + 0.5);
      cairo_line_to (cr, L->left, round (p) + 0.5);
      cairo_stroke (cr);
      if (!ax->show[i])
        continue;
      _scalr_plot_set_rgb (cr, style->foreground);
      _scalr_plot_show_text (cr, ax->labels[i], L->left - L->gap,
                             p + (L->ascent - L->descent) / 2, ALIGN_RIGHT);
    }

  /* Axis titles. */
  _scalr_plot_set_rgb (cr, style->foreground);
  g_autofree char *xt = _scalr_plot_axis_title (&plot->axes[0]);
  if (xt)
    {
      g_autofree char *fit = _scalr_plot_fit_text (cr, xt, L->w - 2 * L->pad);
      double cx = (L->left + L->right) / 2;
      double tw = _scalr_plot_text_width (cr, fit);
      cx = CLAMP (cx, L->pad + tw / 2, L->w - L->pad - tw / 2);
      _scalr_plot_show_text (cr, fit, cx, L->xtitle_base, ALIGN_CENTER);
    }
  g_autofree char *yt = _scalr_plot_axis_title (&plot->axes[1]);
  if (yt && !plot->rows)
    {
      g_autofree char *fit = _scalr_plot_fit_text (cr, yt, L->bottom - L->top + L->pad);
      cairo_save (cr);
      cairo_translate (cr, L->ytitle_x, (L->top + L->bottom) / 2);
      cairo_rotate (cr, -G_PI / 2);
      _scalr_plot_show_text (cr, fit, 0, 0, ALIGN_CENTER);
      cairo_restore (cr);
    }
}

void
_scalr_plot_draw_titles (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                         const ScalrPlotStyle *style)
{
  double max_w = L->w - 2 * L->pad;
  if (L->title_base > 0)
    {
      _scalr_plot_set_font (cr, L->fs * TITLE_SCALE, TRUE);
      _scalr_plot_set_rgb (cr, style->foreground);
      for (guint i = 0; i < L->n_title_lines; i++)
        {
          g_autofree char *t = _scalr_plot_fit_text (cr, L->title_lines[i], max_w);
          _scalr_plot_show_text (cr, t, L->pad, L->title_base + i * L->fs * TITLE_SCALE * 1.2, ALIGN_LEFT);
        }
    }
  if (L->subtitle_base > 0)
    {
      _scalr_plot_set_font (cr, L->fs, FALSE);
      _scalr_plot_set_rgb (cr, style->muted);
      for (guint i = 0; i < L->n_sub_lines; i++)
        {
          g_autofree char *t = _scalr_plot_fit_text (cr, L->sub_lines[i], max_w);
          _scalr_plot_show_text (cr, t, L->pad,
                                 L->subtitle_base + i * (L->ascent + L->descent) * 1.15,
                                 ALIGN_LEFT);
        }
    }
  _scalr_plot_set_font (cr, L->fs, FALSE);
}
