/* scalr-plot-axis.c — nice ticks and tick labels. */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-plot-axis.h"

#define MINUS_SIGN "\xe2\x88\x92"   /* U+2212 */

double
scalr_axis_nice_number (double x, gboolean round)
{
  if (!(x > 0) || !isfinite (x))
    return 0;
  double e = floor (log10 (x));
  double f = x / pow (10, e);
  double nf;
  if (round)
    nf = f < 1.5 ? 1 : f < 3 ? 2 : f < 7 ? 5 : 10;
  else
    nf = f <= 1 + 1e-12 ? 1 : f <= 2 + 1e-12 ? 2 : f <= 5 + 1e-12 ? 5 : 10;
  return nf * pow (10, e);
}

/* k·m·10^e, computed so that decimal steps come out correctly rounded (3·0.2 = 0.6). */
static double
scaled (double k, double m, int e)
{
  if (e >= 0)
    return k * m * pow (10, e);
  return (k * m) / pow (10, -e);
}

gboolean
scalr_axis_nice_ticks (double lo, double hi, guint max_ticks, double *ticks, guint *n,
                       double *step)
{
  g_return_val_if_fail (ticks != NULL && n != NULL, FALSE);
  *n = 0;
  if (step)
    *step = 0;
  if (!isfinite (lo) || !isfinite (hi))
    return FALSE;
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  if (hi - lo <= 1e-12 * MAX (fabs (lo), fabs (hi)) || hi == lo)
    {
      if (lo == 0)
        hi = 1;
      else
        {
          double d = fabs (lo) * 0.1;
          lo -= d;
          hi += d;
        }
    }
  max_ticks = CLAMP (max_ticks, 2, 30);
  double range = scalr_axis_nice_number (hi - lo, FALSE);
  double d = scalr_axis_nice_number (range / (max_ticks - 1), TRUE);
  /* Split d into mantissa·10^e so ticks are exact decimal multiples. */
  int e = (int) floor (log10 (d) + 1e-9);
  double m = round (d / pow (10, e));
  d = scaled (1, m, e);
  double k0 = floor (lo / d + 1e-9);
  double k1 = ceil (hi / d - 1e-9);
  guint count = (guint) (k1 - k0) + 1;
  if (count > SCALR_AXIS_MAX_TICKS)
    count = SCALR_AXIS_MAX_TICKS;
  for (guint i = 0; i < count; i++)
    {
      double v = scaled (k0 + i, m, e);
      if (fabs (v) < d * 1e-9)
        v = 0;
      ticks[i] = v;
    }
  *n = count;
  if (step)
    *step = d;
  return TRUE;
}

gboolean
scalr_axis_log_ticks (ScalrAxisScale scale, double lo, double hi, guint max_ticks,
                      double *ticks, guint *n)
{
  g_return_val_if_fail (ticks != NULL && n != NULL, FALSE);
  *n = 0;
  if (scale == SCALR_AXIS_LINEAR || !(lo > 0) || !(hi > 0) || !isfinite (lo) || !isfinite (hi))
    return FALSE;
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  double base = scale == SCALR_AXIS_LOG2 ? 2 : 10;
  double tlo = scalr_axis_transform (scale, lo), thi = scalr_axis_transform (scale, hi);
  int e0 = (int) floor (tlo + 1e-9);
  int e1 = (int) ceil (thi - 1e-9);
  if (e1 <= e0)
    e1 = e0 + 1;
  max_ticks = CLAMP (max_ticks, 2, SCALR_AXIS_MAX_TICKS);
  int k = 1;
  while ((e1 - e0) / k + 1 > (int) max_ticks && k < 1000)
    k++;
  /* Ticks at multiples of k, enclosing [e0, e1]. */
  int s0 = (int) floor ((double) e0 / k) * k;
  int s1 = (int) ceil ((double) e1 / k) * k;
  guint count = 0;
  for (int e = s0; e <= s1 && count < SCALR_AXIS_MAX_TICKS; e += k)
    ticks[count++] = e >= 0 ? pow (base, e) : 1.0 / pow (base, -e);
  *n = count;
  return TRUE;
}

gboolean
scalr_axis_log_minor_ticks (double lo, double hi, gboolean all, double *ticks, guint *n)
{
  g_return_val_if_fail (ticks != NULL && n != NULL, FALSE);
  *n = 0;
  if (!(lo > 0) || !(hi > 0) || !isfinite (lo) || !isfinite (hi))
    return FALSE;
  if (lo > hi)
    {
      double t = lo;
      lo = hi;
      hi = t;
    }
  static const double all_m[] = { 2, 3, 4, 5, 6, 7, 8, 9 };
  static const double some_m[] = { 2, 5 };
  const double *ms = all ? all_m : some_m;
  guint n_m = all ? G_N_ELEMENTS (all_m) : G_N_ELEMENTS (some_m);
  int e0 = (int) floor (log10 (lo)), e1 = (int) ceil (log10 (hi));
  guint count = 0;
  for (int e = e0; e <= e1; e++)
    for (guint j = 0; j < n_m; j++)
      {
        double v = scaled (1, ms[j], e);
        if (v < lo * (1 - 1e-9) || v > hi * (1 + 1e-9))
          continue;
        if (count == SCALR_AXIS_MAX_TICKS)
          return FALSE;
        ticks[count++] = v;
      }
  *n = count;
  return TRUE;
}

/* Copies @num (an optional '-', digits, optional ".fraction" or "e…") into a new string
 * with commas between thousands of the integer part and a true minus sign in front. */
static char *
group_thousands (const char *num)
{
  GString *out = g_string_new (NULL);
  const char *p = num;
  if (*p == '-')
    {
      g_string_append (out, MINUS_SIGN);
      p++;
    }
  gsize int_len = strspn (p, "0123456789");
  for (gsize i = 0; i < int_len; i++)
    {
      if (i > 0 && (int_len - i) % 3 == 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, p[i]);
    }
  p += int_len;
  g_string_append (out, p);   /* fraction or exponent ("e-4" keeps its ASCII hyphen) */
  return g_string_free (out, FALSE);
}

/* Drops trailing zeros of a fraction ("2.500" → "2.5", "3.0" → "3"). */
static void
strip_fraction_zeros (char *s)
{
  char *dot = strchr (s, '.');
  if (!dot)
    return;
  char *end = s + strlen (s);
  while (end > dot + 1 && end[-1] == '0')
    *--end = '\0';
  if (end == dot + 1)
    *dot = '\0';
}

/* "2.5e-4": mantissa with @dec decimals (trailing zeros dropped), exponent without padding. */
static char *
format_e (double value, int dec)
{
  double a = fabs (value);
  int e = (int) floor (log10 (a) + 1e-12);
  double m = value / pow (10, e);
  char buf[64];
  g_snprintf (buf, sizeof buf, "%.*f", CLAMP (dec, 0, 12), m);
  if (fabs (g_ascii_strtod (buf, NULL)) >= 10)   /* 9.96 → "10.0": renormalise */
    {
      e++;
      m = value / pow (10, e);
      g_snprintf (buf, sizeof buf, "%.*f", CLAMP (dec, 0, 12), m);
    }
  strip_fraction_zeros (buf);
  char full[96];
  g_snprintf (full, sizeof full, "%se%d", buf, e);
  return group_thousands (full);
}

char *
scalr_axis_format_number (double value, double step)
{
  if (isnan (value))
    return g_strdup ("n/a");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : MINUS_SIGN "∞");
  step = fabs (step);
  if (value == 0 || (step > 0 && fabs (value) < step * 1e-9))
    return g_strdup ("0");
  if (step > 0 && step < 1e-3)
    {
      int e = (int) floor (log10 (fabs (value)) + 1e-12);
      int se = (int) floor (log10 (step) + 1e-12);
      return format_e (value, MAX (0, e - se + 1));
    }
  if (fabs (value) >= 1e15)
    return format_e (value, 3);
  int dec = 0;
  if (step > 0 && step < 1)
    {
      dec = (int) ceil (-log10 (step) - 1e-9);
      while (dec < 12)
        {
          double s = step * pow (10, dec);
          if (fabs (s - round (s)) < 1e-6 * MAX (1, s))
            break;
          dec++;
        }
    }
  char buf[64];
  g_snprintf (buf, sizeof buf, "%.*f", dec, value);
  return group_thousands (buf);
}

char *
scalr_axis_format_exact (double value)
{
  if (isnan (value))
    return g_strdup ("n/a");
  if (isinf (value))
    return g_strdup (value > 0 ? "∞" : MINUS_SIGN "∞");
  char buf[64];
  double a = fabs (value);
  if (value == floor (value) && a < 1e15)
    {
      g_snprintf (buf, sizeof buf, "%.0f", value);
      return group_thousands (buf);
    }
  if (a >= 1e-3 && a < 1e15)
    {
      int e = (int) floor (log10 (a));
      int dec = MAX (0, 5 - e);
      g_snprintf (buf, sizeof buf, "%.*f", dec, value);
      strip_fraction_zeros (buf);
      return group_thousands (buf);
    }
  return format_e (value, 5);
}

static void
append_superscript (GString *s, int e)
{
  static const char *const digits[] = {
    "\xe2\x81\xb0", "\xc2\xb9", "\xc2\xb2", "\xc2\xb3", "\xe2\x81\xb4",
    "\xe2\x81\xb5", "\xe2\x81\xb6", "\xe2\x81\xb7", "\xe2\x81\xb8", "\xe2\x81\xb9",
  };
  char buf[16];
  g_snprintf (buf, sizeof buf, "%d", ABS (e));
  if (e < 0)
    g_string_append (s, "\xe2\x81\xbb");   /* U+207B superscript minus */
  for (const char *p = buf; *p; p++)
    g_string_append (s, digits[*p - '0']);
}

static char *
format_power (const char *base, int e)
{
  GString *s = g_string_new (base);
  append_superscript (s, e);
  return g_string_free (s, FALSE);
}

static char *
format_log_value (ScalrAxisScale scale, double value)
{
  if (!(value > 0) || !isfinite (value))
    return scalr_axis_format_exact (value);
  double t = scalr_axis_transform (scale, value);
  int e = (int) round (t);
  gboolean power = fabs (t - e) < 1e-9;
  if (scale == SCALR_AXIS_LOG2)
    {
      if (power && value >= 1e5)
        return format_power ("2", e);
      return scalr_axis_format_exact (value);
    }
  if (power)
    {
      if (e > 5 || e < -3)
        return format_power ("10", e);
      char buf[32];
      g_snprintf (buf, sizeof buf, "%.*f", e < 0 ? -e : 0, value);
      return group_thousands (buf);
    }
  int de = (int) floor (t + 1e-9);
  if (de > 4 || de < -3)
    {
      double m = value / pow (10, de);
      g_autofree char *ms = scalr_axis_format_exact (round (m * 1000) / 1000);
      g_autofree char *pw = format_power ("10", de);
      return g_strdup_printf ("%s×%s", ms, pw);
    }
  return scalr_axis_format_exact (round (value / pow (10, de - 6)) * pow (10, de - 6));
}

char *
scalr_axis_format_tick (ScalrAxisScale scale, double value, double step, const char *unit)
{
  char *label = scale == SCALR_AXIS_LINEAR ? scalr_axis_format_number (value, step)
                                           : format_log_value (scale, value);
  if (unit && strcmp (unit, "%") == 0)
    {
      char *with = g_strconcat (label, "%", NULL);
      g_free (label);
      label = with;
    }
  return label;
}

double
scalr_axis_transform (ScalrAxisScale scale, double value)
{
  switch (scale)
    {
    case SCALR_AXIS_LOG10:
      return value > 0 ? log10 (value) : NAN;
    case SCALR_AXIS_LOG2:
      return value > 0 ? log2 (value) : NAN;
    case SCALR_AXIS_LINEAR:
    default:
      return value;
    }
}

double
scalr_axis_untransform (ScalrAxisScale scale, double t)
{
  switch (scale)
    {
    case SCALR_AXIS_LOG10:
      return pow (10, t);
    case SCALR_AXIS_LOG2:
      return exp2 (t);
    case SCALR_AXIS_LINEAR:
    default:
      return t;
    }
}
