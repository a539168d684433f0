/* scalr-text.c — escaping and shortening user text for messages and listings. */
#include "config.h"

#include "scalr-text.h"

#include <string.h>

/* Appends @len bytes of @text to @s, escaped. */
static void
append_escaped (GString *s, const char *text, gsize len)
{
  const char *p = text, *end = text + len;
  while (p < end)
    {
      gunichar c = g_utf8_get_char_validated (p, end - p);
      if (c == (gunichar) -1 || c == (gunichar) -2)
        {
          g_string_append_printf (s, "\\x%02x", (guchar) *p);
          p++;
          continue;
        }
      const char *next = g_utf8_next_char (p);
      if (c == '\n')
        g_string_append (s, "\\n");
      else if (c == '\t')
        g_string_append (s, "\\t");
      else if (c == '\r')
        g_string_append (s, "\\r");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (s, "\\x%02x", c);
      else if (c >= 0x80 && c < 0xa0)
        g_string_append_printf (s, "\\u%04x", c);
      else
        g_string_append_len (s, p, next - p);
      p = next;
    }
}

char *
scalr_text_escape (const char *text)
{
  if (text == NULL)
    return g_strdup ("");
  GString *s = g_string_sized_new (strlen (text) + 8);
  append_escaped (s, text, strlen (text));
  return g_string_free (s, FALSE);
}

char *
scalr_text_shorten (const char *text, gsize max)
{
  if (text == NULL)
    return g_strdup ("");
  gsize len = strlen (text);
  if (len <= max)
    return scalr_text_escape (text);
  /* Back up to the start of a UTF-8 character. */
  gsize cut = max;
  while (cut > 0 && ((guchar) text[cut] & 0xc0) == 0x80)
    cut--;
  GString *s = g_string_sized_new (cut + 32);
  append_escaped (s, text, cut);
  g_string_append_printf (s, "… (%" G_GSIZE_FORMAT " bytes)", len);
  return g_string_free (s, FALSE);
}
