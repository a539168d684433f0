/* scalr-plot-axis.h — tick positions and tick labels for chart axes.
 *
 * Pure functions (no Cairo): the chart layout calls them, and tests check them against
 * hand-computed values. Linear axes use Heckbert's "nice numbers" (Graphics Gems, 1990,
 * loose labelling: the first and last tick enclose the data); log axes use whole decades
 * (log10) or powers of two (log2). */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  SCALR_AXIS_LINEAR,
  SCALR_AXIS_LOG10,
  SCALR_AXIS_LOG2,
} ScalrAxisScale;

/* Room a caller must give every @ticks buffer below. */
#define SCALR_AXIS_MAX_TICKS 64

/* Heckbert's nice number near @x (> 0): 1, 2, 5 or 10 times a power of ten; rounded to the
 * nearest when @round, else the smallest nice number ≥ x. Returns 0 when x ≤ 0 or not finite. */
double   scalr_axis_nice_number (double x, gboolean round);

/* Linear ticks enclosing [lo, hi] (swapped when lo > hi; a zero-width range is widened) with
 * about @max_ticks ticks (Heckbert's target; 2 ≤ max_ticks ≤ 30, clamped), evenly spaced by a
 * nice step written to *step (may be NULL). Writes at most SCALR_AXIS_MAX_TICKS values.
 * Returns FALSE (and *n = 0) when lo or hi is not finite. */
gboolean scalr_axis_nice_ticks  (double lo, double hi, guint max_ticks,
                                 double *ticks, guint *n, double *step);

/* Log ticks enclosing [lo, hi] (both > 0): powers of the base (10 or 2) from the one at or
 * below lo to the one at or above hi, every k-th power (k ≥ 1, the smallest keeping the count
 * ≤ max_ticks, but at least 2 ticks). Returns FALSE (*n = 0) for a non-positive or
 * non-finite bound or a linear scale. */
gboolean scalr_axis_log_ticks   (ScalrAxisScale scale, double lo, double hi, guint max_ticks,
                                 double *ticks, guint *n);

/* Minor log10 positions inside [lo, hi]: 2·10^k and 5·10^k when @all is FALSE (the label
 * candidates), else every m·10^k for m = 2..9 (grid lines). Returns FALSE when there are more
 * than SCALR_AXIS_MAX_TICKS. */
gboolean scalr_axis_log_minor_ticks (double lo, double hi, gboolean all,
                                     double *ticks, guint *n);

/* A tick label for @value on a linear axis whose ticks are @step apart: as many decimals
 * as the step needs ("0.2", "0.05"), thousands separators ("12,345"), a true minus sign
 * ("−3"), "0" for values within step·1e-9 of zero, and e-notation ("2.5e-4") when the step
 * is below 0.001. Owned string. */
char    *scalr_axis_format_number (double value, double step) G_GNUC_WARN_UNUSED_RESULT;

/* A tick label on an axis of @scale: linear as scalr_axis_format_number; log10 decades as
 * plain numbers from 0.001 to 100,000 and as "10⁶", "10⁻⁴" beyond; log2 powers as integers
 * below 100,000 and "2¹⁷" beyond; other log values as plain numbers. With @unit "%" the
 * label gets a "%" suffix ("20%"); other units go in the axis title, not the ticks. */
char    *scalr_axis_format_tick   (ScalrAxisScale scale, double value, double step,
                                   const char *unit) G_GNUC_WARN_UNUSED_RESULT;

/* An exact value for hover text: integers with thousands separators, other numbers with up
 * to 6 significant digits (trailing zeros dropped); "n/a" for NaN. Owned string. */
char    *scalr_axis_format_exact  (double value) G_GNUC_WARN_UNUSED_RESULT;

/* Maps a data value to axis space (log10 or log2 of it for log scales, NaN for values
 * ≤ 0 there); the inverse is scalr_axis_untransform. */
double   scalr_axis_transform   (ScalrAxisScale scale, double value);
double   scalr_axis_untransform (ScalrAxisScale scale, double t);

G_END_DECLS
