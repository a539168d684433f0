/* scalr-datasets-venn.c — the Datasets page's two-set diagram of the source and target
 * users (areas proportional to the counts) with an overlap bar under it (source only, both,
 * target only as proportional segments: readable even when the two sets nearly coincide);
 * prepared when the statistics arrive, drawn with cairo in the charts' palette. */
#include "config.h"

#include "scalr-datasets-page-private.h"

#include "scalr-format.h"

#include <math.h>

#include "scalr-plot.h"

/* Area of the lens of two circles (radii a, b) at distance d. */
static double
lens_area (double a, double b, double d)
{
  if (d >= a + b)
    return 0;
  if (d <= fabs (a - b))
    return G_PI * MIN (a, b) * MIN (a, b);
  double x = (d * d + a * a - b * b) / (2 * d * a);
  double y = (d * d + b * b - a * a) / (2 * d * b);
  double k = (-d + a + b) * (d + a - b) * (d - a + b) * (d + a + b);
  return a * a * acos (CLAMP (x, -1, 1)) + b * b * acos (CLAMP (y, -1, 1)) - 0.5 * sqrt (MAX (k, 0));
}

/* Radii with areas proportional to the user counts, the distance by bisection so the lens
 * area is proportional to the overlap. */
void
_scalr_datasets_page_prepare_venn (ScalrDatasetsPage *self, const ScalrDatasetStats *st)
{
  self->venn_valid = st->has_domains && (st->source.users + st->target.users) > 0;
  if (!self->venn_valid)
    return;
  self->venn_source = st->source.users;
  self->venn_target = st->target.users;
  self->venn_overlap = st->overlap_users;
  double m = MAX (st->source.users, st->target.users);
  double a = sqrt (st->source.users / m), b = sqrt (st->target.users / m);
  double want = G_PI * st->overlap_users / m;
  double lo = fabs (a - b), hi = a + b;
  if (st->overlap_users == 0)
    self->venn_d = hi * 1.08;
  else if (st->overlap_users >= MIN (st->source.users, st->target.users))
    self->venn_d = lo;
  else
    {
      for (int it = 0; it < 60; it++)
        {
          double mid = 0.5 * (lo + hi);
          if (lens_area (a, b, mid) > want)
            lo = mid;
          else
            hi = mid;
        }
      self->venn_d = 0.5 * (lo + hi);
    }
  self->venn_rs = a;
  self->venn_rt = b;
}

static void
draw_text (cairo_t *cr, PangoLayout *layout, const char *markup, double x, double y, double align)
{
  pango_layout_set_markup (layout, markup, -1);
  int w, h;
  pango_layout_get_pixel_size (layout, &w, &h);
  cairo_move_to (cr, x - align * w, y - h / 2.0);
  pango_cairo_show_layout (cr, layout);
}

/* Where the two circles stand (pixels), and their colours. */
typedef struct {
  double cx, cx2, cy, ra, rb;
  double cs[3], ct[3];   /* source and target colour */
  GdkRGBA fg;
} Venn;

static void
venn_circles (cairo_t *cr, const Venn *v)
{
  cairo_set_line_width (cr, 2);
  cairo_arc (cr, v->cx, v->cy, v->ra, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, v->cs[0], v->cs[1], v->cs[2], 0.30);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, v->cs[0], v->cs[1], v->cs[2], 1.0);
  cairo_stroke (cr);
  cairo_arc (cr, v->cx2, v->cy, v->rb, 0, 2 * G_PI);
  cairo_set_source_rgba (cr, v->ct[0], v->ct[1], v->ct[2], 0.30);
  cairo_fill_preserve (cr);
  cairo_set_source_rgba (cr, v->ct[0], v->ct[1], v->ct[2], 1.0);
  /* Dashed, so both outlines stay visible when the two sets nearly coincide. */
  const double dash[] = { 6, 4 };
  cairo_set_dash (cr, dash, 2, 0);
  cairo_stroke (cr);
  cairo_set_dash (cr, NULL, 0, 0);
}

/* The three counts: the overlap in the lens, each "only" inside its crescent when it is wide
 * enough, else outside. */
static void
venn_counts (ScalrDatasetsPage *self, cairo_t *cr, PangoLayout *layout, const Venn *v)
{
  double cx = v->cx, cx2 = v->cx2, cy = v->cy, ra = v->ra, rb = v->rb;
  g_autofree char *so = scalr_format_count (self->venn_source - MIN (self->venn_overlap, self->venn_source));
  g_autofree char *to = scalr_format_count (self->venn_target - MIN (self->venn_overlap, self->venn_target));
  g_autofree char *ov = scalr_format_count (self->venn_overlap);
  cairo_set_source_rgba (cr, v->fg.red, v->fg.green, v->fg.blue, 1.0);
  double lens_l = cx2 - rb, lens_r = cx + ra;
  double ox = self->venn_overlap ? 0.5 * (MAX (lens_l, cx - ra) + MIN (lens_r, cx2 + rb)) : 0.5 * (cx + ra + cx2 - rb);
  g_autofree char *ovm = g_strdup_printf ("<b>%s</b>\n<small>in both</small>", ov);
  pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
  draw_text (cr, layout, ovm, ox, cy, 0.5);
  double crescent_l = MAX (0, (cx2 - rb) - (cx - ra));
  g_autofree char *som = g_strdup_printf ("<b>%s</b>\n<small>source only</small>", so);
  if (crescent_l > 70)
    draw_text (cr, layout, som, 0.5 * ((cx - ra) + (cx2 - rb)), cy, 0.5);
  else
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_RIGHT);
      draw_text (cr, layout, som, cx - ra - 8, cy, 1.0);
    }
  double crescent_r = MAX (0, (cx2 + rb) - (cx + ra));
  g_autofree char *tom = g_strdup_printf ("<b>%s</b>\n<small>target only</small>", to);
  if (crescent_r > 70)
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      draw_text (cr, layout, tom, 0.5 * ((cx + ra) + (cx2 + rb)), cy, 0.5);
    }
  else
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
      draw_text (cr, layout, tom, cx2 + rb + 8, cy, 0.0);
    }
}

/* The overlap bar at @by: source only | both | target only, widths proportional to the users
 * (readable when the two sets nearly coincide and the circles do not tell them apart). */
static void
venn_bar (ScalrDatasetsPage *self, cairo_t *cr, PangoLayout *layout, const Venn *v, const ScalrPlotStyle *style,
          double bx, double bw, double by)
{
  double only_s = self->venn_source - MIN (self->venn_overlap, self->venn_source);
  double only_t = self->venn_target - MIN (self->venn_overlap, self->venn_target);
  double total = only_s + self->venn_overlap + only_t, bh = 14;
  const ScalrRgb *both = &style->series[SCALR_PLOT_COLOR_PURPLE];
  const double cb[3] = { both->r, both->g, both->b };
  const double *colors[3] = { v->cs, cb, v->ct };
  double parts[3] = { only_s, (double) self->venn_overlap, only_t };
  const char *names[3] = { "source only", "both", "target only" };
  double x0 = bx;
  for (guint k = 0; k < 3 && total > 0; k++)
    {
      double w = bw * parts[k] / total;
      if (w <= 0)
        continue;
      cairo_rectangle (cr, x0, by, MAX (w, 1), bh);
      cairo_set_source_rgba (cr, colors[k][0], colors[k][1], colors[k][2], 0.85);
      cairo_fill (cr);
      g_autofree char *n = scalr_format_count ((guint64) parts[k]);
      /* A non-empty part never reads "0%". */
      double share = parts[k] / total;
      g_autofree char *pct = share > 0 && share < 0.005 ? g_strdup ("&lt; 1%") : scalr_format_percent (share, 0);   /* markup */
      g_autofree char *lbl = g_strdup_printf ("<small>%s %s (%s)</small>", names[k], n, pct);
      pango_layout_set_markup (layout, lbl, -1);
      int lw, lh;
      pango_layout_get_pixel_size (layout, &lw, &lh);
      /* Labels under the bar: left-aligned at the first segment, right at the last, centred
       * for the middle one. */
      double align = k == 0 ? 0.0 : k == 2 ? 1.0 : 0.5;
      double lx = k == 0 ? bx : k == 2 ? bx + bw : x0 + w / 2;
      cairo_set_source_rgba (cr, v->fg.red, v->fg.green, v->fg.blue, 0.85);
      if (k != 1 || w > lw || (parts[0] / total < 0.2 && parts[2] / total < 0.2))
        draw_text (cr, layout, lbl, lx, by + bh + 2 + lh / 2.0, align);
      x0 += w;
    }
}

/* The legend: a swatch and the total per domain, centred at @ly. */
static void
venn_legend (ScalrDatasetsPage *self, cairo_t *cr, PangoLayout *layout, const Venn *v, int width, double ly)
{
  g_autofree char *st = scalr_format_count (self->venn_source);
  g_autofree char *tt = scalr_format_count (self->venn_target);
  g_autofree char *sl = g_strdup_printf ("Source users  <b>%s</b>", st);
  g_autofree char *tl = g_strdup_printf ("Target users  <b>%s</b>", tt);
  pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
  pango_layout_set_markup (layout, sl, -1);
  int w1, h1;
  pango_layout_get_pixel_size (layout, &w1, &h1);
  pango_layout_set_markup (layout, tl, -1);
  int w2, h2;
  pango_layout_get_pixel_size (layout, &w2, &h2);
  double total = 18 + w1 + 28 + 18 + w2;
  double x = width / 2.0 - total / 2.0;
  const double *colors[] = { v->cs, v->ct };
  const char *labels[] = { sl, tl };
  const int widths[] = { w1, w2 };
  for (guint k = 0; k < 2; k++)
    {
      cairo_rectangle (cr, x, ly - 6, 12, 12);
      cairo_set_source_rgba (cr, colors[k][0], colors[k][1], colors[k][2], 1.0);
      cairo_fill (cr);
      cairo_set_source_rgba (cr, v->fg.red, v->fg.green, v->fg.blue, 1.0);
      draw_text (cr, layout, labels[k], x + 18, ly, 0.0);
      x += 18 + widths[k] + 28;
    }
}

void
_scalr_datasets_page_venn_draw (GtkDrawingArea *area, cairo_t *cr, int width, int height, gpointer data)
{
  ScalrDatasetsPage *self = data;
  Venn v;
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (area)), &v.fg);
  G_GNUC_END_IGNORE_DEPRECATIONS
  g_autoptr (PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (area), NULL);
  if (!self->venn_valid)
    {
      cairo_set_source_rgba (cr, v.fg.red, v.fg.green, v.fg.blue, 0.55);
      draw_text (cr, layout, "Enter a source and a target rule to see their users", width / 2.0, height / 2.0, 0.5);
      return;
    }
  /* The charts' palette (Okabe–Ito; lighter in dark mode): source blue, target vermillion. */
  ScalrPlotStyle style;
  scalr_plot_style_init (&style, adw_style_manager_get_dark (adw_style_manager_get_default ()), 1.0);
  const ScalrRgb *src = &style.series[SCALR_PLOT_COLOR_BLUE], *tgt = &style.series[SCALR_PLOT_COLOR_VERMILLION];
  v.cs[0] = src->r, v.cs[1] = src->g, v.cs[2] = src->b;
  v.ct[0] = tgt->r, v.ct[1] = tgt->g, v.ct[2] = tgt->b;
  double margin = 16, legend = 46, bar = 44;
  double a = self->venn_rs, b = self->venn_rt, d = self->venn_d;
  double extent_x = a + d + b, extent_y = 2 * MAX (a, b);
  double scale = MIN ((width - 2 * margin - 80) / extent_x, (height - 2 * margin - legend - bar) / extent_y);
  if (scale <= 0)
    return;
  v.ra = a * scale;
  v.rb = b * scale;
  v.cx = width / 2.0 - (extent_x * scale) / 2.0 + v.ra;
  v.cy = margin + MAX (v.ra, v.rb);
  v.cx2 = v.cx + d * scale;
  venn_circles (cr, &v);
  venn_counts (self, cr, layout, &v);
  venn_bar (self, cr, layout, &v, &style, margin, width - 2 * margin, height - legend - bar + 8);
  venn_legend (self, cr, layout, &v, width, height - legend / 2.0);
}
