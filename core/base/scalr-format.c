/* scalr-format.c — numbers and text fields for outputs, and numbers for people. */
#include "config.h"

#include "scalr-format.h"

#include <math.h>
#include <string.h>

/* The shortest "%.Ng" (N = 6…@max_digits) of @v that reads back as @v (as a float when
 * @as_float), or NA. g_ascii_formatd: a '.' whatever the locale (the GUI runs in the user's). */
static void
append_shortest (GString *s, double v, int max_digits, gboolean as_float)
{
  if (!isfinite (v))
    {
      g_string_append (s, "NA");
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
  for (int digits = 6; digits <= max_digits; digits++)
    {
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      double back = g_ascii_strtod (buf, NULL);
      if (as_float ? (float) back == (float) v : back == v)
        break;
    }
  g_string_append (s, buf);
}

void
scalr_format_tsv_number (GString *s, double v)
{
  append_shortest (s, v, 17, FALSE);
}

void
scalr_format_tsv_float (GString *s, float v)
{
  append_shortest (s, v, 9, TRUE);
}

void
scalr_format_tsv_field (GString *s, const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    g_string_append_c (s, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

void
scalr_format_json_add_number (JsonBuilder *b, double v)
{
  if (isfinite (v))
    json_builder_add_double_value (b, v);
  else
    json_builder_add_null_value (b);
}

void
scalr_format_json_member_number (JsonBuilder *b, const char *member, double v)
{
  json_builder_set_member_name (b, member);
  scalr_format_json_add_number (b, v);
}

void
scalr_format_json_number (JsonObject *o, const char *member, double v)
{
  if (isfinite (v))
    json_object_set_double_member (o, member, v);
  else
    json_object_set_null_member (o, member);
}

/* ---- for people ---- */

char *
scalr_format_count (guint64 n)
{
  char digits[32];
  g_snprintf (digits, sizeof digits, "%" G_GUINT64_FORMAT, n);
  gsize len = strlen (digits);
  GString *s = g_string_sized_new (len + len / 3 + 1);
  for (gsize i = 0; i < len; i++)
    {
      if (i > 0 && (len - i) % 3 == 0)
        g_string_append_c (s, ',');
      g_string_append_c (s, digits[i]);
    }
  return g_string_free (s, FALSE);
}

/* printf with '.' as the decimal point whatever the locale. */
static char *
ascii_printf (const char *format, double v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];
  g_ascii_formatd (buf, sizeof buf, format, v);
  return g_strdup (buf);
}

/* "%+.1f" of @v without "-0.0". */
static char *
signed_one_decimal (double v)
{
  double r = round (v * 10) / 10;
  if (r == 0)
    r = 0;   /* -0.0 → +0.0 */
  g_autofree char *num = ascii_printf ("%.1f", fabs (r));
  return g_strdup_printf ("%c%s", r < 0 ? '-' : '+', num);
}

char *
scalr_format_metric (double value)
{
  if (!isfinite (value))
    return g_strdup (SCALR_FORMAT_MISSING);
  return ascii_printf ("%.4f", value);
}

char *
scalr_format_lift (double lift)
{
  if (!isfinite (lift))
    return g_strdup (SCALR_FORMAT_MISSING);
  g_autofree char *s = signed_one_decimal (100 * lift);
  return g_strdup_printf ("%s%%", s);
}

char *
scalr_format_lift_ci (double lo, double hi)
{
  if (!isfinite (lo) || !isfinite (hi))
    return g_strdup (SCALR_FORMAT_MISSING);
  g_autofree char *a = signed_one_decimal (100 * lo);
  g_autofree char *b = signed_one_decimal (100 * hi);
  return g_strdup_printf ("[%s, %s]", a, b);
}

char *
scalr_format_percent (double fraction, int decimals)
{
  if (!isfinite (fraction))
    return g_strdup (SCALR_FORMAT_MISSING);
  decimals = CLAMP (decimals, 0, 6);
  char format[8];
  g_snprintf (format, sizeof format, "%%.%df", decimals);
  double v = 100 * fraction;
  if (fabs (v) < 0.5 * pow (10, -decimals))
    v = 0;
  g_autofree char *num = ascii_printf (format, v);
  return g_strdup_printf ("%s%%", num);
}

char *
scalr_format_fixed (double value, int decimals)
{
  if (!isfinite (value))
    return g_strdup (SCALR_FORMAT_MISSING);
  char format[8];
  g_snprintf (format, sizeof format, "%%.%df", CLAMP (decimals, 0, 9));
  if (fabs (value) < 0.5 * pow (10, -CLAMP (decimals, 0, 9)))
    value = 0;   /* no "-0.000" */
  return ascii_printf (format, value);
}

char *
scalr_format_value (double value, int digits)
{
  if (!isfinite (value))
    return g_strdup (SCALR_FORMAT_MISSING);
  digits = CLAMP (digits, 1, 9);
  double a = fabs (value);
  char format[8];
  if (a != 0 && (a < 1e-4 || a >= 1e6))
    {
      g_snprintf (format, sizeof format, "%%.%de", digits - 1);
      g_autofree char *s = ascii_printf (format, value);
      /* Trim the mantissa's trailing zeros ("1.50e-05" → "1.5e-05"). */
      char *e = strchr (s, 'e');
      g_autofree char *mant = g_strndup (s, (gsize) (e - s));
      if (strchr (mant, '.'))
        {
          gsize n = strlen (mant);
          while (n > 0 && mant[n - 1] == '0')
            mant[--n] = '\0';
          if (n > 0 && mant[n - 1] == '.')
            mant[--n] = '\0';
        }
      return g_strdup_printf ("%s%s", mant, e);
    }
  g_snprintf (format, sizeof format, "%%.%dg", digits);
  return ascii_printf (format, value);
}

char *
scalr_format_p (double p)
{
  if (!isfinite (p))
    return g_strdup (SCALR_FORMAT_MISSING);
  if (p < 0.001)
    return g_strdup ("< 0.001");
  return scalr_format_value (p, 3);
}

char *
scalr_format_duration (double seconds)
{
  if (!isfinite (seconds) || seconds < 0)
    return g_strdup (SCALR_FORMAT_MISSING);
  if (seconds < 9.95)
    {
      g_autofree char *num = ascii_printf ("%.1f", seconds);
      return g_strdup_printf ("%s s", num);
    }
  guint64 s = (guint64) llround (seconds);
  if (s < 60)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " s", s);
  if (s < 3600)
    return g_strdup_printf ("%" G_GUINT64_FORMAT " min %02" G_GUINT64_FORMAT " s", s / 60, s % 60);
  guint64 m = (s + 30) / 60;
  return g_strdup_printf ("%" G_GUINT64_FORMAT " h %02" G_GUINT64_FORMAT " min", m / 60, m % 60);
}

char *
scalr_format_level (double level)
{
  if (!isfinite (level))
    return g_strdup (SCALR_FORMAT_MISSING);
  g_autofree char *num = scalr_format_value (100 * level, 3);
  return g_strdup_printf ("%s%%", num);
}
