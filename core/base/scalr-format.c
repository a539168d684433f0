/* scalr-format.c — numbers and text fields for outputs. */
#include "config.h"

#include "scalr-format.h"

#include <math.h>

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
