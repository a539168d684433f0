/* scalr-text.h — user-supplied text made safe to show: cut to a length, control characters
 * and invalid UTF-8 escaped, so a 10 MB value or a name with terminal escapes can neither
 * flood a message nor drive the terminal. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longest user value quoted whole in a message (bytes). */
#define SCALR_TEXT_MESSAGE_MAX 80

/* @text with control characters (C0, DEL, C1) shown as \n, \t, \r or \xNN and invalid UTF-8
 * bytes as \xNN; printable text (also non-ASCII) is kept. NULL gives "". Never fails. */
char *scalr_text_escape  (const char *text) G_GNUC_WARN_UNUSED_RESULT;
/* scalr_text_escape() of at most @max bytes of @text (cut at a character boundary), with
 * "… (N bytes)" appended when cut. For quoting user values in messages. Never fails. */
char *scalr_text_shorten (const char *text, gsize max) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
