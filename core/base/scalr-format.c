/* scalr-format.c — numbers and text fields for outputs. */
#include "config.h"

#include "scalr-format.h"

#include <math.h>

void
scalr_format_tsv_number (GString *s, double v)
{
  if (!isfinite (v))
    {
      g_string_append (s, "NA");
      return;
    }
  /* g_ascii_formatd: a '.' whatever the locale (the GUI runs in the user's). */
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
  for (int digits = 6; digits <= 17; digits++)
    {
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (s, buf);
}

void
scalr_format_tsv_float (GString *s, float v)
{
  if (!isfinite (v))
    {
      g_string_append (s, "NA");
      return;
    }
  char buf[G_ASCII_DTOSTR_BUF_SIZE], fmt[8];
  for (int digits = 6; digits <= 9; digits++)
    {
      g_snprintf (fmt, sizeof fmt, "%%.%dg", digits);
      g_ascii_formatd (buf, sizeof buf, fmt, v);
      if ((float) g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (s, buf);
}

void
scalr_format_tsv_field (GString *s, const char *text)
{
  for (const char *p = text ? text : ""; *p; p++)
    g_string_append_c (s, (*p == '\t' || *p == '\n' || *p == '\r') ? ' ' : *p);
}

void
scalr_format_json_number (JsonObject *o, const char *member, double v)
{
  if (isfinite (v))
    json_object_set_double_member (o, member, v);
  else
    json_object_set_null_member (o, member);
}
