/* scalr-plot-forest.c — forest plots: one row per segment with its lift, confidence interval
 * and p-value. */
#include "config.h"

#include <math.h>

#include "scalr-plot-private.h"

#include "scalr-format.h"

double
_scalr_plot_forest_row_y (const Layout *L, const ScalrPlot *plot, double row)
{
  return L->top + (row + 0.5) / MAX (plot->n_rows, 1) * (L->bottom - L->top);
}

char *
_scalr_plot_format_forest_value (const ForestRow *r, gboolean full)
{
  g_autofree char *lift = scalr_format_lift (r->lift / 100);
  if (!full)
    return g_steal_pointer (&lift);
  GString *s = g_string_new (lift);
  if (isfinite (r->lo) && isfinite (r->hi))
    {
      g_autofree char *ci = scalr_format_lift_ci (r->lo / 100, r->hi / 100);
      g_string_append_printf (s, " %s", ci);
    }
  if (isfinite (r->p))
    {
      g_autofree char *p = scalr_format_p (r->p);
      g_string_append_printf (s, "  p %s", p);
    }
  return g_string_free (s, FALSE);
}

void
_scalr_plot_draw_forest (cairo_t *cr, const ScalrPlot *plot, const Layout *L,
                         const ScalrPlotStyle *style)
{
  double row_h = (L->bottom - L->top) / MAX (plot->n_rows, 1);
  /* Zebra rows from the label column to the value column. */
  _scalr_plot_set_rgb (cr, style->panel);
  for (guint r = 1; r < plot->n_rows; r += 2)
    cairo_rectangle (cr, L->pad * 0.5, L->top + r * row_h, L->w - L->pad, row_h);
  cairo_fill (cr);
  _scalr_plot_draw_grid (cr, plot, L, style);
  _scalr_plot_draw_axis_lines (cr, plot, L, style);
  /* Reference line at 0. */
  double zx = _scalr_plot_map_v (L, 0, 0);
  _scalr_plot_set_rgb (cr, style->muted);
  cairo_set_line_width (cr, 1.5);
  _scalr_plot_set_dash (cr, TRUE, 1.5);
  cairo_move_to (cr, zx, L->top);
  cairo_line_to (cr, zx, L->bottom);
  cairo_stroke (cr);
  _scalr_plot_set_dash (cr, FALSE, 0);

  double cap = MIN (row_h * 0.25, L->fs * 0.45);
  double half = MIN (row_h * 0.3, L->fs * 0.42);
  for (guint r = 0; r < plot->n_rows; r++)
    {
      const ForestRow *row = &plot->rows[r];
      double y = _scalr_plot_forest_row_y (L, plot, r);
      ScalrRgb c = !row->significant ? style->muted
                   : row->lift >= 0  ? style->series[SCALR_PLOT_COLOR_BLUE]
                                     : style->series[SCALR_PLOT_COLOR_VERMILLION];
      _scalr_plot_set_rgb (cr, c);
      cairo_set_line_width (cr, L->lw);
      if (isfinite (row->lo) && isfinite (row->hi))
        {
          double a = _scalr_plot_map_v (L, 0, row->lo), b = _scalr_plot_map_v (L, 0, row->hi);
          cairo_move_to (cr, a, y);
          cairo_line_to (cr, b, y);
          cairo_move_to (cr, a, y - cap);
          cairo_line_to (cr, a, y + cap);
          cairo_move_to (cr, b, y - cap);
          cairo_line_to (cr, b, y + cap);
          cairo_stroke (cr);
        }
      if (isfinite (row->lift))
        {
          double x = _scalr_plot_map_v (L, 0, row->lift);
          cairo_rectangle (cr, x - half, y - half, 2 * half, 2 * half);
          if (row->significant)
            cairo_fill (cr);
          else
            {
              cairo_path_t *p = cairo_copy_path (cr);
              _scalr_plot_set_rgb (cr, style->background);
              cairo_fill (cr);
              cairo_append_path (cr, p);
              cairo_path_destroy (p);
              _scalr_plot_set_rgb (cr, c);
              cairo_set_line_width (cr, L->lw * 0.9);
              cairo_stroke (cr);
            }
        }
      /* Row label (bold when significant), value column. */
      double base = y + (L->ascent - L->descent) / 2;
      _scalr_plot_set_font (cr, L->fs, row->significant);
      _scalr_plot_set_rgb (cr, style->foreground);
      g_autofree char *label = _scalr_plot_fit_text (cr, row->label, L->forest_label_w);
      _scalr_plot_show_text (cr, label, L->left - L->gap * 1.5, base, ALIGN_RIGHT);
      if (L->forest_values)
        {
          g_autofree char *v = _scalr_plot_format_forest_value (row, !L->forest_short);
          _scalr_plot_set_rgb (cr, row->significant ? style->foreground : style->muted);
          _scalr_plot_show_text (cr, v, L->right + L->gap * 1.5, base, ALIGN_LEFT);
        }
      _scalr_plot_set_font (cr, L->fs, FALSE);
    }
}
