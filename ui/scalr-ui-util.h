/* scalr-ui-util.h — small widget helpers the pages share. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A GtkDropDown of GtkStringObjects whose button shows the chosen string ellipsized to
 * @max_chars (so a long name does not widen the page) while its list shows them whole. */
void scalr_drop_down_set_short_button (GtkDropDown *dropdown, int max_chars);

G_END_DECLS
