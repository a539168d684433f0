/* scalr-plot-layout.c — the chart layout (margins, axis ticks and labels, titles) and the
 * drawing of the grid, the axes and the titles. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-plot-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Layout                                                                                   */

void
_scalr_plot_layout_clear (Layout *L)
{
  for (guint i = 0; i < 2; i++)
    {
      g_clear_pointer (&L->sub_lines[i], g_free);
      g_clear_pointer (&L->title_lines[i], g_free);
    }
  for (guint a = 0; a < 2; a++)
    for (guint i = 0; i < L->ax[a].n_ticks; i++)
      g_clear_pointer (&L->ax[a].labels[i], g_free);
}

double
_scalr_plot_map_t (const Layout *L, guint a, double t)
{
  const AxisLayout *ax = &L->ax[a];
  double f = (t - ax->tlo) / (ax->thi - ax->tlo);
  if (a == SCALR_PLOT_AXIS_X)
    return L->left + f * (L->right - L->left);
  return L->bottom - f * (L->bottom - L->top);
}

/* Pixel of data value v on axis a (NaN when unmappable). */
double
_scalr_plot_map_v (const Layout *L, guint a, double v)
{
  double t = L->ax[a].categorical ? v : scalr_axis_transform (L->ax[a].scale, v);
  if (!isfinite (t))
    return NAN;
  return _scalr_plot_map_t (L, a, t);
}

static void
include (double *lo, double *hi, double v, ScalrAxisScale scale)
{
  if (!isfinite (v) || (scale != SCALR_AXIS_LINEAR && v <= 0))
    return;
  *lo = MIN (*lo, v);
  *hi = MAX (*hi, v);
}

static void
data_range (const ScalrPlot *plot, guint a, double *lo_out, double *hi_out)
{
  ScalrAxisScale scale = plot->axes[a].scale;
  double lo = INFINITY, hi = -INFINITY;
  for (guint i = 0; i < plot->series->len; i++)
    {
      const Series *s = _scalr_plot_get_series (plot, i);
      for (guint k = 0; k < s->n; k++)
        {
          if (a == SCALR_PLOT_AXIS_X)
            {
              if (s->kind == SCALR_SERIES_BARS)
                continue;
              include (&lo, &hi, s->x[k], scale);
              if (s->kind == SCALR_SERIES_STEPS)
                include (&lo, &hi, s->x[k + 1], scale);
            }
          else
            {
              include (&lo, &hi, s->y[k], scale);
              if (s->kind == SCALR_SERIES_BAND)
                include (&lo, &hi, s->y2[k], scale);
              if ((s->kind == SCALR_SERIES_BARS || s->kind == SCALR_SERIES_STEPS)
                  && scale == SCALR_AXIS_LINEAR)
                include (&lo, &hi, 0, scale);
            }
        }
    }
  for (guint i = 0; i < plot->refs->len; i++)
    {
      const Reference *r = &g_array_index (plot->refs, Reference, i);
      if (r->axis == a)
        include (&lo, &hi, r->value, scale);
    }
  if (a == SCALR_PLOT_AXIS_X && plot->rows)
    {
      include (&lo, &hi, 0, scale);
      for (guint i = 0; i < plot->n_rows; i++)
        {
          include (&lo, &hi, plot->rows[i].lift, scale);
          include (&lo, &hi, plot->rows[i].lo, scale);
          include (&lo, &hi, plot->rows[i].hi, scale);
        }
    }
  if (isfinite (plot->axes[a].lo))
    lo = plot->axes[a].lo;
  if (isfinite (plot->axes[a].hi))
    hi = plot->axes[a].hi;
  if (!(lo <= hi) || !isfinite (lo) || !isfinite (hi))
    {
      lo = scale == SCALR_AXIS_LINEAR ? 0 : 1;
      hi = scale == SCALR_AXIS_LINEAR ? 1 : 10;
    }
  *lo_out = lo;
  *hi_out = hi;
}

/* Fills the ticks of axis a for about @target ticks (without labels). */
static void
axis_ticks (const ScalrPlot *plot, Layout *L, guint a, guint target)
{
  AxisLayout *ax = &L->ax[a];
  for (guint i = 0; i < ax->n_ticks; i++)
    g_clear_pointer (&ax->labels[i], g_free);
  ax->n_ticks = 0;
  ax->n_minor = 0;
  ax->step = 0;
  ax->scale = plot->axes[a].scale;
  ax->categorical = FALSE;

  if (a == SCALR_PLOT_AXIS_X && plot->categories && !plot->rows)
    {
      ax->categorical = TRUE;
      ax->scale = SCALR_AXIS_LINEAR;
      ax->tlo = -0.5;
      ax->thi = plot->categories->len - 0.5;
      ax->n_ticks = MIN (plot->categories->len, SCALR_AXIS_MAX_TICKS);
      for (guint i = 0; i < ax->n_ticks; i++)
        {
          ax->ticks[i] = i;
          ax->labels[i] = g_strdup (g_ptr_array_index (plot->categories, i));
        }
      return;
    }
  if (a == SCALR_PLOT_AXIS_Y && plot->rows)
    {
      ax->categorical = TRUE;
      ax->scale = SCALR_AXIS_LINEAR;
      ax->tlo = -0.5;
      ax->thi = MAX (plot->n_rows, 1) - 0.5;
      return;   /* rows are labelled by the forest drawing */
    }

  double lo, hi;
  data_range (plot, a, &lo, &hi);
  gboolean fixed_lo = isfinite (plot->axes[a].lo), fixed_hi = isfinite (plot->axes[a].hi);
  const char *unit = plot->axes[a].unit;
  if (ax->scale == SCALR_AXIS_LINEAR)
    {
      scalr_axis_nice_ticks (lo, hi, target, ax->ticks, &ax->n_ticks, &ax->step);
      /* Loose labelling (the end ticks enclose the data) unless that wastes more than a
       * fifth of the axis at an end: then the data range plus a 4% margin there. */
      double tlo = fixed_lo ? lo : ax->ticks[0];
      double thi = fixed_hi ? hi : ax->ticks[ax->n_ticks - 1];
      double span = thi - tlo, margin = (hi - lo) * 0.04;
      if (!fixed_lo && lo - tlo > span * 0.2 && margin > 0)
        tlo = lo - margin;
      if (!fixed_hi && thi - hi > span * 0.2 && margin > 0)
        thi = hi + margin;
      if (thi <= tlo)
        thi = tlo + 1;
      ax->tlo = tlo;
      ax->thi = thi;
      /* Drop ticks outside a fixed range. */
      guint k = 0;
      for (guint i = 0; i < ax->n_ticks; i++)
        if (ax->ticks[i] >= tlo - ax->step * 1e-6 && ax->ticks[i] <= thi + ax->step * 1e-6)
          ax->ticks[k++] = ax->ticks[i];
      ax->n_ticks = k;
    }
  else
    {
      /* Whole decades (powers) enclosing the data, unless that wastes more than 15%
       * of the axis at an end: then the data range with a small margin (attempt 0), falling
       * back to the enclosing powers when fewer than two labels would remain (attempt 1). */
      double dlo = scalr_axis_transform (ax->scale, lo), dhi = scalr_axis_transform (ax->scale, hi);
      for (guint attempt = 0; attempt < 2; attempt++)
        {
          scalr_axis_log_ticks (ax->scale, lo, hi, target, ax->ticks, &ax->n_ticks);
          /* The powers next to the data (not the possibly coarser tick stride). */
          double elo = floor (dlo + 1e-9), ehi = ceil (dhi - 1e-9);
          if (ehi <= elo)
            ehi = elo + 1;
          double span = ehi - elo, margin = MAX (dhi - dlo, 0.3) * 0.04;
          double tlo = elo, thi = ehi;
          if (fixed_lo)
            tlo = dlo;
          else if (attempt == 0 && dlo - elo > span * 0.15)
            tlo = dlo - margin;
          if (fixed_hi)
            thi = dhi;
          else if (attempt == 0 && ehi - dhi > span * 0.15)
            thi = dhi + margin;
          if (thi <= tlo)
            thi = tlo + 1;
          ax->tlo = tlo;
          ax->thi = thi;
          guint k = 0;
          for (guint i = 0; i < ax->n_ticks; i++)
            {
              double t = scalr_axis_transform (ax->scale, ax->ticks[i]);
              if (t >= tlo - 1e-9 && t <= thi + 1e-9)
                ax->ticks[k++] = ax->ticks[i];
            }
          ax->n_ticks = k;
          /* Labelled 2·10^k and 5·10^k when the axis spans few decades. */
          if (ax->scale == SCALR_AXIS_LOG10 && thi - tlo <= 3.01
              && (k < 2 || ax->ticks[1] / ax->ticks[0] <= 10.0001))
            {
              double minor[SCALR_AXIS_MAX_TICKS];
              guint n_minor = 0;
              if (scalr_axis_log_minor_ticks (pow (10, tlo), pow (10, thi), FALSE, minor, &n_minor)
                  && ax->n_ticks + n_minor <= SCALR_AXIS_MAX_TICKS)
                {
                  /* Merge, ascending. */
                  double all[SCALR_AXIS_MAX_TICKS];
                  guint i = 0, j = 0, m = 0;
                  while (i < ax->n_ticks || j < n_minor)
                    {
                      if (j >= n_minor || (i < ax->n_ticks && ax->ticks[i] < minor[j]))
                        all[m++] = ax->ticks[i++];
                      else
                        all[m++] = minor[j++];
                    }
                  memcpy (ax->ticks, all, sizeof (double) * m);
                  ax->n_ticks = m;
                }
            }
          if (ax->n_ticks >= 2 || fixed_lo || fixed_hi)
            break;
        }
      double tlo = ax->tlo, thi = ax->thi;
      if (ax->scale == SCALR_AXIS_LOG10)
        scalr_axis_log_minor_ticks (pow (10, tlo), pow (10, thi), TRUE, ax->minor, &ax->n_minor);
    }
  for (guint i = 0; i < ax->n_ticks; i++)
    ax->labels[i] = scalr_axis_format_tick (ax->scale, ax->ticks[i], ax->step, unit);
}

static gboolean
is_decade (double v)
{
  double t = log10 (v);
  return fabs (t - round (t)) < 1e-9;
}

/* Decides which labels show on axis a without colliding: all when they fit; else on a log
 * axis the decades only; else every k-th label. Needs the plot area set. */
static void
axis_thin (cairo_t *cr, Layout *L, guint a)
{
  AxisLayout *ax = &L->ax[a];
  double size[SCALR_AXIS_MAX_TICKS], pos[SCALR_AXIS_MAX_TICKS];
  double min_gap = a == SCALR_PLOT_AXIS_X ? L->fs * 0.9 : L->fs * 0.35;
  double line_h = L->ascent + L->descent;
  for (guint i = 0; i < ax->n_ticks; i++)
    {
      size[i] = a == SCALR_PLOT_AXIS_X ? _scalr_plot_text_width (cr, ax->labels[i]) : line_h;
      pos[i] = _scalr_plot_map_v (L, a, ax->ticks[i]);
    }
  gboolean log_minor_present = FALSE;
  if (ax->scale == SCALR_AXIS_LOG10)
    for (guint i = 0; i < ax->n_ticks; i++)
      log_minor_present |= !is_decade (ax->ticks[i]);

  for (guint pass = 0; pass < 2 + ax->n_ticks; pass++)
    {
      /* pass 0: everything; pass 1: decades only (log10 with minors); pass ≥ 1: stride. */
      guint stride = 1;
      gboolean decades_only = FALSE;
      if (log_minor_present)
        {
          decades_only = pass >= 1;
          stride = pass >= 1 ? pass : 1;
        }
      else
        stride = pass + 1;
      double last_end = -INFINITY;
      gboolean fits = TRUE;
      guint idx = 0;
      for (guint i = 0; i < ax->n_ticks; i++)
        {
          ax->show[i] = FALSE;
          if (decades_only && !is_decade (ax->ticks[i]))
            continue;
          gboolean take = (idx++ % stride) == 0;
          if (!take)
            continue;
          if (!isfinite (pos[i]))
            continue;
          /* Screen order is ascending for x, descending for y. */
          double start = a == SCALR_PLOT_AXIS_X ? pos[i] - size[i] / 2 : -(pos[i]) - size[i] / 2;
          if (start < last_end + min_gap)
            {
              fits = FALSE;
              break;
            }
          last_end = start + size[i];
          ax->show[i] = TRUE;
        }
      if (fits)
        break;
    }
  ax->label_w = 0;
  for (guint i = 0; i < ax->n_ticks; i++)
    if (ax->show[i])
      ax->label_w = MAX (ax->label_w, _scalr_plot_text_width (cr, ax->labels[i]));
}

static char *
axis_title (const Axis *a)
{
  if (!a->label)
    return NULL;
  if (a->unit && *a->unit && strcmp (a->unit, "%") != 0)
    return g_strdup_printf ("%s (%s)", a->label, a->unit);
  return g_strdup (a->label);
}

/* Word-wraps @text, in the current font, into at most two lines of @max_w (the second
 * shortened with "…" if it still does not fit); a "·" separator never starts or ends a
 * line. Returns the number of lines set in @lines (owned strings). */
static guint
wrap_two_lines (cairo_t *cr, const char *text, double max_w, char *lines[2])
{
  for (guint i = 0; i < 2; i++)
    g_clear_pointer (&lines[i], g_free);
  if (_scalr_plot_text_width (cr, text) <= max_w)
    {
      lines[0] = g_strdup (text);
      return 1;
    }
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GString *line = g_string_new (NULL);
  guint i = 0;
  for (; words[i]; i++)
    {
      if (!*words[i])
        continue;
      g_autofree char *cand = line->len ? g_strconcat (line->str, " ", words[i], NULL)
                                        : g_strdup (words[i]);
      if (line->len && _scalr_plot_text_width (cr, cand) > max_w)
        break;
      g_string_assign (line, cand);
    }
  /* Trim a dangling separator. */
  g_strchomp (line->str);
  line->len = strlen (line->str);
  if (g_str_has_suffix (line->str, "·"))
    {
      g_string_truncate (line, line->len - strlen ("·"));
      g_strchomp (line->str);
    }
  lines[0] = g_string_free (line, FALSE);
  GString *rest = g_string_new (NULL);
  for (; words[i]; i++)
    {
      if (!*words[i] || (rest->len == 0 && strcmp (words[i], "·") == 0))
        continue;
      if (rest->len)
        g_string_append_c (rest, ' ');
      g_string_append (rest, words[i]);
    }
  guint n = 1;
  if (rest->len)
    {
      lines[1] = _scalr_plot_fit_text (cr, rest->str, max_w);
      n = 2;
    }
  g_string_free (rest, TRUE);
  return n;
}

static void
wrap_subtitle (cairo_t *cr, const char *text, double max_w, Layout *L)
{
  _scalr_plot_set_font (cr, L->fs, FALSE);
  L->n_sub_lines = wrap_two_lines (cr, text, max_w, L->sub_lines);
}

static void
layout_pass (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  const Axis *xa = &plot->axes[SCALR_PLOT_AXIS_X];
  const Axis *ya = &plot->axes[SCALR_PLOT_AXIS_Y];
  double fs = L->fs, pad = L->pad, gap = L->gap;
  double line_h = L->ascent + L->descent;

  /* Top: title, subtitle, legend row. */
  double y = pad;
  L->title_base = L->subtitle_base = 0;
  if (plot->title && *plot->title)
    {
      /* A long title wraps to a second line (a projector's large type). */
      _scalr_plot_set_font (cr, fs * TITLE_SCALE, TRUE);
      L->n_title_lines = wrap_two_lines (cr, plot->title, L->w - 2 * pad, L->title_lines);
      _scalr_plot_set_font (cr, fs, FALSE);
      y += fs * TITLE_SCALE * 0.95;
      L->title_base = y;
      y += fs * TITLE_SCALE * 0.3 + (L->n_title_lines - 1) * fs * TITLE_SCALE * 1.2;
    }
  if (plot->subtitle && *plot->subtitle)
    {
      wrap_subtitle (cr, plot->subtitle, L->w - 2 * pad, L);
      y += fs * 0.35 + L->ascent * 0.95;
      L->subtitle_base = y;
      y += L->descent + (L->n_sub_lines - 1) * line_h * 1.15;
    }
  y += fs * 0.9;
  if (L->legend_row && L->n_legend > 0)
    {
      L->leg_lines = _scalr_plot_legend_row_lines (cr, plot, L, L->w - 2 * pad);
      L->leg_y = y - fs * 0.4;
      y += L->leg_lines * L->leg_row_h + fs * 0.4;
    }
  /* Room for the top y tick label's upper half. */
  L->top = y + (plot->rows ? 0 : line_h * 0.5);

  /* Bottom: x tick labels, x title. */
  g_autofree char *xt = axis_title (xa);
  L->bottom = L->h - pad - gap - line_h;
  if (xt)
    L->bottom -= line_h * 1.1 + gap * 0.5;
  L->xtitle_base = L->h - pad - L->descent;

  /* Left: y title, y tick labels (or forest row labels). */
  g_autofree char *yt = axis_title (ya);
  double y_title_w = yt && !plot->rows ? line_h * 1.1 + gap : 0;
  L->ytitle_x = pad + L->ascent;
  if (plot->rows)
    {
      double maxw = 0;
      for (guint r = 0; r < plot->n_rows; r++)
        {
          _scalr_plot_set_font (cr, fs, plot->rows[r].significant);
          maxw = MAX (maxw, _scalr_plot_text_width (cr, plot->rows[r].label));
        }
      L->forest_label_w = MIN (maxw, L->w * 0.4);
      L->left = pad + L->forest_label_w + gap * 1.5;
      _scalr_plot_set_font (cr, fs, FALSE);
    }
  else
    {
      /* Y ticks for the current height estimate. */
      guint target = (guint) CLAMP ((L->bottom - L->top) / (fs * 3.2), 2, 10);
      axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, target);
      double maxw = 0;
      for (guint i = 0; i < L->ax[1].n_ticks; i++)
        maxw = MAX (maxw, _scalr_plot_text_width (cr, L->ax[1].labels[i]));
      L->left = pad + y_title_w + maxw + gap;
    }

  /* Right: a value column for forest plots when it fits, else a padding. */
  L->right = L->w - pad;
  L->forest_values = FALSE;
  if (plot->rows)
    {
      /* The full value (lift, interval, p) when it fits, else the lift alone. */
      for (guint pass = 0; pass < 2 && !L->forest_values; pass++)
        {
          double vw = 0;
          for (guint r = 0; r < plot->n_rows; r++)
            {
              g_autofree char *v = _scalr_plot_format_forest_value (&plot->rows[r], pass == 0);
              _scalr_plot_set_font (cr, fs, plot->rows[r].significant);
              vw = MAX (vw, _scalr_plot_text_width (cr, v));
            }
          _scalr_plot_set_font (cr, fs, FALSE);
          if (L->right - L->left - vw - gap * 1.5 >= L->w * (pass == 0 ? 0.35 : 0.3))
            {
              L->forest_values = TRUE;
              L->forest_short = pass == 1;
              L->right -= vw + gap * 1.5;
            }
        }
      axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, 2);
      /* Rows no taller than about three lines of text; the axis follows the last row. */
      double max_h = MAX (plot->n_rows, 1) * line_h * 4.2;
      if (L->bottom - L->top > max_h)
        {
          double shift = L->bottom - L->top - max_h;
          L->bottom -= shift;
          L->xtitle_base -= shift;
        }
    }

  L->ok = L->right - L->left > 20 && L->bottom - L->top > 20;
  if (!L->ok)
    return;

  /* X ticks: the largest count whose labels do not collide. */
  /* Log axes offer every power and let axis_thin drop what collides. */
  guint target = plot->axes[0].scale == SCALR_AXIS_LINEAR
                   ? (guint) CLAMP ((L->right - L->left) / (fs * 4.5), 2, 12)
                   : (guint) CLAMP ((L->right - L->left) / (fs * 2.5), 2, 30);
  for (;; target--)
    {
      axis_ticks (plot, L, SCALR_PLOT_AXIS_X, target);
      AxisLayout *ax = &L->ax[0];
      double total = 0;
      for (guint i = 0; i < ax->n_ticks; i++)
        total += _scalr_plot_text_width (cr, ax->labels[i]) + fs * 1.2;
      if (total <= L->right - L->left || target <= 2 || ax->categorical
          || ax->scale != SCALR_AXIS_LINEAR)
        break;
    }
  axis_thin (cr, L, SCALR_PLOT_AXIS_X);
  /* Keep the last x label inside the page: pull the right edge in if it would overflow. */
  AxisLayout *xl = &L->ax[0];
  for (guint i = xl->n_ticks; i-- > 0;)
    if (xl->show[i])
      {
        double end = _scalr_plot_map_v (L, 0, xl->ticks[i])
                     + _scalr_plot_text_width (cr, xl->labels[i]) / 2;
        if (end > L->w - pad * 0.5)
          {
            L->right -= end - (L->w - pad * 0.5);
            axis_thin (cr, L, SCALR_PLOT_AXIS_X);
          }
        break;
      }
  if (!plot->rows)
    {
      guint ytarget = (guint) CLAMP ((L->bottom - L->top) / (fs * 3.2), 2, 10);
      axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, ytarget);
      axis_thin (cr, L, SCALR_PLOT_AXIS_Y);
    }
}

/* Computes the layout of @plot at this size; @cr only measures text. */
void
_scalr_plot_layout_compute (const ScalrPlot *plot, cairo_t *cr, double w, double h,
                            const ScalrPlotStyle *style, Layout *L)
{
  memset (L, 0, sizeof *L);
  L->w = w;
  L->h = h;
  L->fs = BASE_FONT_PX * style->font_scale;
  L->lw = MAX (2.0, 2.0 * style->font_scale);
  L->pad = L->fs;
  L->gap = L->fs * 0.6;
  L->forest = plot->rows != NULL;
  _scalr_plot_set_font (cr, L->fs, FALSE);
  cairo_font_extents_t fe;
  cairo_font_extents (cr, &fe);
  L->ascent = fe.ascent;
  L->descent = fe.descent;

  L->n_legend = _scalr_plot_legend_count (plot);
  if (L->n_legend)
    {
      cairo_save (cr);
      _scalr_plot_set_font (cr, L->fs, FALSE);
      L->leg_row_h = (L->ascent + L->descent) * 1.35;
      cairo_restore (cr);
    }
  /* Forest plots keep their legend in a row above the rows (rows fill the whole area). */
  L->legend_row = plot->rows != NULL && L->n_legend > 0;
  layout_pass (plot, cr, L);
  /* The y labels depend on the height, the left margin on the y labels: settle once more. */
  if (L->ok)
    layout_pass (plot, cr, L);
  if (L->ok && L->n_legend)
    {
      gboolean was_row = L->legend_row;
      _scalr_plot_layout_legend (cr, plot, L);
      if (L->legend_row && !was_row)
        {
          layout_pass (plot, cr, L);
          if (L->ok)
            _scalr_plot_layout_legend (cr, plot, L);
        }
    }
  _scalr_plot_set_font (cr, L->fs, FALSE);
}

double
scalr_plot_get_natural_height (const ScalrPlot *plot, double width, const ScalrPlotStyle *style)
{
  g_return_val_if_fail (plot != NULL && width > 0, 0);
  if (style == NULL)
    style = _scalr_plot_default_style ();
  if (plot->rows == NULL)
    return round (width * 0.625);
  /* Lay the rows out on a very tall canvas: the area is capped to the rows, so the content
   * ends where the x axis title does; then rows get about three lines each. */
  cairo_t *cr = _scalr_plot_scratch_cr (style);
  Layout L;
  _scalr_plot_layout_compute (plot, cr, width, 20000, style, &L);
  double line_h = L.ascent + L.descent;
  double used = L.xtitle_base + L.descent + L.pad;
  double rows_h = L.bottom - L.top;
  double want = MAX (plot->n_rows, 1) * line_h * 2.8;
  double h = used - MAX (rows_h - want, 0);
  _scalr_plot_layout_clear (&L);
  cairo_destroy (cr);
  return ceil (MAX (h, width * 0.25));
}

/* A measuring context with the same font options as drawing. */
cairo_t *
_scalr_plot_scratch_cr (const ScalrPlotStyle *style)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, 1, 1);
  cairo_t *cr = cairo_create (s);
  cairo_surface_destroy (s);
  _scalr_plot_prepare_cr (cr, style);
  return cr;
}

/* ---------------------------------------------------------------------------------------- */
/* Grid, axes and titles                                                                    */

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
  g_autofree char *xt = axis_title (&plot->axes[0]);
  if (xt)
    {
      g_autofree char *fit = _scalr_plot_fit_text (cr, xt, L->w - 2 * L->pad);
      double cx = (L->left + L->right) / 2;
      double tw = _scalr_plot_text_width (cr, fit);
      cx = CLAMP (cx, L->pad + tw / 2, L->w - L->pad - tw / 2);
      _scalr_plot_show_text (cr, fit, cx, L->xtitle_base, ALIGN_CENTER);
    }
  g_autofree char *yt = axis_title (&plot->axes[1]);
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
