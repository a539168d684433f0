/* scalr-plot-export.c — writing charts to PNG, SVG and PDF files. */
#include "config.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>

#include "scalr-output.h"
#include "scalr-plot-private.h"

/* ---------------------------------------------------------------------------------------- */
/* Exports                                                                                  */

static cairo_status_t
append_bytes (void *closure, const unsigned char *data, unsigned int length)
{
  g_byte_array_append (closure, data, length);
  return CAIRO_STATUS_SUCCESS;
}

static gboolean
check_size (const char *path, double width, double height, double max, GError **error)
{
  if (!(width >= 1 && height >= 1 && width <= max && height <= max))
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO,
                   "Cannot write chart to “%s”: size %g×%g is outside 1..%g", path, width,
                   height, max);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_cairo (const char *path, cairo_status_t status, GError **error)
{
  if (status == CAIRO_STATUS_SUCCESS)
    return TRUE;
  g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_CAIRO,
               "Cannot write chart to “%s”: %s", path, cairo_status_to_string (status));
  return FALSE;
}

/* Writes the whole file through the one output module (core/scalr-output.h): atomically for
 * a regular file, through for a device or a FIFO; errors name @path. */
static gboolean
write_bytes (const char *path, GByteArray *bytes, GError **error)
{
  g_autoptr (GError) local = NULL;
  if (!scalr_output_write_file (path, bytes->data, bytes->len, &local))
    {
      g_set_error (error, SCALR_PLOT_ERROR, SCALR_PLOT_ERROR_WRITE, "Chart not written: %s", local->message);
      return FALSE;
    }
  return TRUE;
}

gboolean
scalr_plot_save_png (const ScalrPlot *plot, const char *path, int width, int height,
                     const ScalrPlotStyle *style, GError **error)
{
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!check_size (path, width, height, 32767, error))
    return FALSE;
  cairo_surface_t *surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cairo_t *cr = cairo_create (surface);
  scalr_plot_draw (plot, cr, width, height, style);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_write_to_png_stream (surface, append_bytes, bytes);
  cairo_surface_destroy (surface);
  if (!check_cairo (path, status, error))
    return FALSE;
  return write_bytes (path, bytes, error);
}

gboolean
scalr_plot_save_png_fitted (const ScalrPlot *plot, const char *path, int width, GError **error)
{
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);
  ScalrPlotStyle style;
  scalr_plot_style_init_for_width (&style, width);
  double h = scalr_plot_get_natural_height (plot, width, &style);
  return scalr_plot_save_png (plot, path, width, (int) CLAMP (h, 1, 32767), &style, error);
}

gboolean
scalr_plot_save_svg (const ScalrPlot *plot, const char *path, double width, double height,
                     const ScalrPlotStyle *style, GError **error)
{
  g_return_val_if_fail (plot != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  if (!check_size (path, width, height, 1e5, error))
    return FALSE;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_svg_surface_create_for_stream (append_bytes, bytes, width,
                                                                  height);
  cairo_t *cr = cairo_create (surface);
  scalr_plot_draw (plot, cr, width, height, style);
  cairo_status_t status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!check_cairo (path, status, error))
    return FALSE;
  return write_bytes (path, bytes, error);
}

gboolean
scalr_plot_save_pdf (const ScalrPlot *const *plots, guint n, const char *path, double width,
                     double height, const ScalrPlotStyle *style, GError **error)
{
  g_return_val_if_fail (plots != NULL && n >= 1 && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);
  for (guint i = 0; i < n; i++)
    g_return_val_if_fail (plots[i] != NULL, FALSE);
  if (!check_size (path, width, height, 14400, error))
    return FALSE;
  g_autoptr (GByteArray) bytes = g_byte_array_new ();
  cairo_surface_t *surface = cairo_pdf_surface_create_for_stream (append_bytes, bytes, width,
                                                                  height);
  cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_CREATOR, PACKAGE_NAME);
  if (plots[0]->title)
    cairo_pdf_surface_set_metadata (surface, CAIRO_PDF_METADATA_TITLE, plots[0]->title);
  cairo_t *cr = cairo_create (surface);
  cairo_status_t status = CAIRO_STATUS_SUCCESS;
  for (guint i = 0; i < n && status == CAIRO_STATUS_SUCCESS; i++)
    {
      scalr_plot_draw (plots[i], cr, width, height, style);
      cairo_show_page (cr);
      status = cairo_status (cr);
    }
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);
  if (!check_cairo (path, status, error))
    return FALSE;
  return write_bytes (path, bytes, error);
}
