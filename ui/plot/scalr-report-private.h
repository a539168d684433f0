/* scalr-report-private.h — page geometry and drawing helpers shared by the run report
 * (scalr-report.c) and the comparison report (scalr-report-compare.c). */
#pragma once

#include <cairo.h>

#include "scalr-plot.h"

G_BEGIN_DECLS

/* A4 landscape, in points; margins of 15.5 mm. */
#define PAGE_W 842.0
#define PAGE_H 595.0
#define MARGIN 44.0
#define FOOTER_H 22.0

typedef enum { ALIGN_LEFT, ALIGN_RIGHT, ALIGN_CENTER } Align;

#define set_rgb      _scalr_report_set_rgb
#define set_font     _scalr_report_set_font
#define text_width   _scalr_report_text_width
#define draw_text    _scalr_report_draw_text
#define draw_wrapped _scalr_report_draw_wrapped
#define draw_footer  _scalr_report_draw_footer
#define hline        _scalr_report_hline
#define append_bytes _scalr_report_append_bytes

void           set_rgb     (cairo_t *cr, ScalrRgb c);
void           set_font    (cairo_t *cr, double size, gboolean bold);
double         text_width  (cairo_t *cr, const char *s);
/* Draws @s with its baseline at y; shortened with "…" to fit @max_w (≤ 0: no limit). */
void           draw_text   (cairo_t *cr, double x, double y, const char *s, Align align, double max_w);
/* Word-wrapped to @max_w, at most @max_lines lines @line_h apart (the last shortened with "…");
 * returns the last baseline. */
double         draw_wrapped (cairo_t *cr, double x, double y, const char *s, double max_w, double line_h,
                             guint max_lines);
void           draw_footer (cairo_t *cr, const ScalrPlotStyle *style, const char *left, guint page, guint n_pages);
void           hline       (cairo_t *cr, ScalrRgb c, double x0, double x1, double y, double width);
/* A cairo write function appending to a GByteArray. */
cairo_status_t append_bytes (void *closure, const unsigned char *data, unsigned int length);

G_END_DECLS
