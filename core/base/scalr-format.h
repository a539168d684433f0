/* scalr-format.h — numbers and text fields as every output writes them (exports, run JSON).
 *
 * An undefined number (NaN, ±∞) is never written as 0 or as "nan": it is NA in TSV and null
 * in JSON. A defined one is written with the fewest digits that read back as the same double,
 * so an export holds exactly what the store holds. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Appends @value to @s: the shortest "%.Ng" (N = 6…17, '.' in every locale) that reads back
 * as @value, or "NA". No failure. */
void scalr_format_tsv_number (GString *s, double value);
/* The same for a value stored as a float (probabilities, weights, scores, ratings): the
 * shortest that reads back as the same float (at most 9 digits). No failure. */
void scalr_format_tsv_float  (GString *s, float value);
/* Appends @text as one TSV field: tab, newline and carriage return become spaces (they cannot
 * stand inside a field); NULL appends nothing. No failure. */
void scalr_format_tsv_field  (GString *s, const char *text);
/* Adds @value to @builder (after a member name or in an array), null when it is not finite;
 * the _member form sets the member name first. No failure. */
void scalr_format_json_add_number    (JsonBuilder *builder, double value);
void scalr_format_json_member_number (JsonBuilder *builder, const char *member, double value);
/* Sets @member of @object to @value, or to null when it is not finite. No failure. */
void scalr_format_json_number (JsonObject *object, const char *member, double value);

G_END_DECLS
