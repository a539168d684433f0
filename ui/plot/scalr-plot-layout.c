/* scalr-plot-layout.c — the chart layout: margins, axis ticks and labels, titles (drawn by
 * scalr-plot-frame.c), a chart's natural height. */
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

/* Categorical axes: the x categories (labelled), or the forest's rows (labelled by the
 * forest drawing). Returns FALSE when axis @a is not categorical. */
static gboolean
categorical_ticks (const ScalrPlot *plot, AxisLayout *ax, guint a)
{
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
      return TRUE;
    }
  if (a == SCALR_PLOT_AXIS_Y && plot->rows)
    {
      ax->categorical = TRUE;
      ax->scale = SCALR_AXIS_LINEAR;
      ax->tlo = -0.5;
      ax->thi = MAX (plot->n_rows, 1) - 0.5;
      return TRUE;
    }
  return FALSE;
}

/* A linear axis over [lo, hi]: loose labelling (the end ticks enclose the data) unless that
 * wastes more than a fifth of the axis at an end: then the data range plus a 4% margin there.
 * A fixed end is kept as it is. */
static void
linear_ticks (AxisLayout *ax, double lo, double hi, gboolean fixed_lo, gboolean fixed_hi, guint target)
{
  scalr_axis_nice_ticks (lo, hi, target, ax->ticks, &ax->n_ticks, &ax->step);
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

/* Adds the labelled 2·10^k and 5·10^k ticks to a log axis that spans few decades (when they
 * fit), merged in ascending order. */
static void
add_log_minor_labels (AxisLayout *ax)
{
  double minor[SCALR_AXIS_MAX_TICKS];
  guint n_minor = 0;
  if (!scalr_axis_log_minor_ticks (pow (10, ax->tlo), pow (10, ax->thi), FALSE, minor, &n_minor)
      || ax->n_ticks + n_minor > SCALR_AXIS_MAX_TICKS)
    return;
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

/* A log axis over [lo, hi]: whole decades (powers) enclosing the data, unless that wastes
 * more than 15% of the axis at an end: then the data range with a small margin (attempt 0),
 * falling back to the enclosing powers when fewer than two labels would remain (attempt 1). */
static void
log_ticks (AxisLayout *ax, double lo, double hi, gboolean fixed_lo, gboolean fixed_hi, guint target)
{
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
      if (ax->scale == SCALR_AXIS_LOG10 && thi - tlo <= 3.01
          && (k < 2 || ax->ticks[1] / ax->ticks[0] <= 10.0001))
        add_log_minor_labels (ax);
      if (ax->n_ticks >= 2 || fixed_lo || fixed_hi)
        break;
    }
  if (ax->scale == SCALR_AXIS_LOG10)
    scalr_axis_log_minor_ticks (pow (10, ax->tlo), pow (10, ax->thi), TRUE, ax->minor, &ax->n_minor);
}

/* Fills the ticks of axis a for about @target ticks, with their labels. */
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
  if (categorical_ticks (plot, ax, a))
    return;
  double lo, hi;
  data_range (plot, a, &lo, &hi);
  gboolean fixed_lo = isfinite (plot->axes[a].lo), fixed_hi = isfinite (plot->axes[a].hi);
  if (ax->scale == SCALR_AXIS_LINEAR)
    {
      /* At least two labelled values inside the range: a coarse step on a short axis can
       * leave one (a lone "0%" says nothing about the scale). */
      for (guint t = target; t < target + 8; t++)
        {
          linear_ticks (ax, lo, hi, fixed_lo, fixed_hi, t);
          if (ax->n_ticks >= 2)
            break;
        }
    }
  else
    log_ticks (ax, lo, hi, fixed_lo, fixed_hi, target);
  for (guint i = 0; i < ax->n_ticks; i++)
    ax->labels[i] = scalr_axis_format_tick (ax->scale, ax->ticks[i], ax->step, plot->axes[a].unit);
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

char *
_scalr_plot_axis_title (const Axis *a)
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

/* Top: title, subtitle, legend row; sets L->top. */
static void
layout_top (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  double fs = L->fs, pad = L->pad, line_h = L->ascent + L->descent;
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
}

/* The widest of the forest's row labels (@mode 0) or value texts (1: full, 2: the lift only),
 * each in its weight. */
static double
forest_text_width (const ScalrPlot *plot, cairo_t *cr, double fs, guint mode)
{
  double maxw = 0;
  for (guint r = 0; r < plot->n_rows; r++)
    {
      g_autofree char *v = mode ? _scalr_plot_format_forest_value (&plot->rows[r], mode == 1) : NULL;
      _scalr_plot_set_font (cr, fs, plot->rows[r].significant);
      maxw = MAX (maxw, _scalr_plot_text_width (cr, mode ? v : plot->rows[r].label));
    }
  _scalr_plot_set_font (cr, fs, FALSE);
  return maxw;
}

/* Left: y title and y tick labels, or the forest's row labels; sets L->left. */
static void
layout_left (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  double fs = L->fs, pad = L->pad, gap = L->gap, line_h = L->ascent + L->descent;
  g_autofree char *yt = _scalr_plot_axis_title (&plot->axes[SCALR_PLOT_AXIS_Y]);
  double y_title_w = yt && !plot->rows ? line_h * 1.1 + gap : 0;
  L->ytitle_x = pad + L->ascent;
  if (plot->rows)
    {
      L->forest_label_w = MIN (forest_text_width (plot, cr, fs, 0), L->w * 0.4);
      L->left = pad + L->forest_label_w + gap * 1.5;
      return;
    }
  /* Y ticks for the current height estimate. */
  guint target = (guint) CLAMP ((L->bottom - L->top) / (fs * 3.2), 2, 10);
  axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, target);
  double maxw = 0;
  for (guint i = 0; i < L->ax[1].n_ticks; i++)
    maxw = MAX (maxw, _scalr_plot_text_width (cr, L->ax[1].labels[i]));
  L->left = pad + y_title_w + maxw + gap;
}

/* Right, for forest plots: a value column when it fits — the full value (lift, interval, p),
 * else the lift alone —; rows no taller than about three lines of text (the axis follows the
 * last row). */
static void
layout_forest_right (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  double gap = L->gap, line_h = L->ascent + L->descent;
  for (guint mode = 1; mode <= 2 && !L->forest_values; mode++)
    {
      double vw = forest_text_width (plot, cr, L->fs, mode);
      if (L->right - L->left - vw - gap * 1.5 >= L->w * (mode == 1 ? 0.35 : 0.3))
        {
          L->forest_values = TRUE;
          L->forest_short = mode == 2;
          L->right -= vw + gap * 1.5;
        }
    }
  axis_ticks (plot, L, SCALR_PLOT_AXIS_Y, 2);
  double max_h = MAX (plot->n_rows, 1) * line_h * 4.2;
  if (L->bottom - L->top > max_h)
    {
      double shift = L->bottom - L->top - max_h;
      L->bottom -= shift;
      L->xtitle_base -= shift;
    }
}

/* X ticks: the largest count whose labels do not collide (log axes offer every power and let
 * axis_thin drop what collides); the right edge pulled in when the last label would overflow. */
static void
layout_x_ticks (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  double fs = L->fs, pad = L->pad;
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
  AxisLayout *xl = &L->ax[0];
  for (guint i = xl->n_ticks; i-- > 0;)
    if (xl->show[i])
      {
        double end = _scalr_plot_map_v (L, 0, xl->ticks[i]) + _scalr_plot_text_width (cr, xl->labels[i]) / 2;
        if (end > L->w - pad * 0.5)
          {
            L->right -= end - (L->w - pad * 0.5);
            axis_thin (cr, L, SCALR_PLOT_AXIS_X);
          }
        break;
      }
}

static void
layout_pass (const ScalrPlot *plot, cairo_t *cr, Layout *L)
{
  double pad = L->pad, gap = L->gap, line_h = L->ascent + L->descent;
  layout_top (plot, cr, L);
  /* Bottom: x tick labels, x title. */
  g_autofree char *xt = _scalr_plot_axis_title (&plot->axes[SCALR_PLOT_AXIS_X]);
  L->bottom = L->h - pad - gap - line_h;
  if (xt)
    L->bottom -= line_h * 1.1 + gap * 0.5;
  L->xtitle_base = L->h - pad - L->descent;
  layout_left (plot, cr, L);
  L->right = L->w - pad;
  L->forest_values = L->forest_short = FALSE;
  if (plot->rows)
    layout_forest_right (plot, cr, L);
  L->ok = L->right - L->left > 20 && L->bottom - L->top > 20;
  if (!L->ok)
    return;
  layout_x_ticks (plot, cr, L);
  if (!plot->rows)
    {
      guint ytarget = (guint) CLAMP ((L->bottom - L->top) / (L->fs * 3.2), 2, 10);
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
