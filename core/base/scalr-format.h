/* scalr-format.h — the one number formatter, in two registers:
 *
 * - for machines (exports, run JSON): an undefined number (NaN, ±∞) is never written as 0 or
 *   as "nan": it is NA in TSV and null in JSON. A defined one is written with the fewest
 *   digits that read back as the same double, so an export holds exactly what the store holds.
 * - for people (the GUI's tables, tooltips, cards and headlines, and the report): every
 *   function returns a newly allocated string; NaN and ±∞ become SCALR_FORMAT_MISSING ("–",
 *   an en dash), so the same value reads the same everywhere.
 *
 * No locale: the decimal point is always '.'. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* ---- for machines ------------------------------------------------------------------ */

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

/* ---- for people -------------------------------------------------------------------- */

#define SCALR_FORMAT_MISSING "–"

/* 100004 → "100,004". */
char *scalr_format_count    (guint64 n) G_GNUC_WARN_UNUSED_RESULT;
/* A metric value (Recall, NDCG, precision …): 4 decimals, "0.1821". */
char *scalr_format_metric   (double value) G_GNUC_WARN_UNUSED_RESULT;
/* A relative lift (0.123 = +12.3 %), signed, one decimal: "+12.3%", "-4.0%", "+0.0%"
 * (never "-0.0%"). */
char *scalr_format_lift     (double lift) G_GNUC_WARN_UNUSED_RESULT;
/* A lift's interval in percent, signed, one decimal: "[+1.2, +33.0]"; "–" when either end
 * is missing. */
char *scalr_format_lift_ci  (double lo, double hi) G_GNUC_WARN_UNUSED_RESULT;
/* A share (0.706 = 70.6 %) with @decimals decimals (0…6): "70.6%". */
char *scalr_format_percent  (double fraction, int decimals) G_GNUC_WARN_UNUSED_RESULT;
/* A p-value: "< 0.001" below 0.001, else three significant digits ("0.0486", "0.5", "1"). */
char *scalr_format_p        (double p) G_GNUC_WARN_UNUSED_RESULT;
/* A quantity on a fixed scale with @decimals decimals (0…9): Gini 0.650, "0.0568". */
char *scalr_format_fixed    (double value, int decimals) G_GNUC_WARN_UNUSED_RESULT;
/* Any other quantity with @digits significant digits (1…9), no exponent between 1e-4 and
 * 1e6: "0.03", "500", "1.5e-05". */
char *scalr_format_value    (double value, int digits) G_GNUC_WARN_UNUSED_RESULT;
/* A duration: "0.4 s", "12 s", "3 min 05 s", "2 h 03 min"; negative → "–". */
char *scalr_format_duration (double seconds) G_GNUC_WARN_UNUSED_RESULT;
/* A confidence level 0.95 → "95%", 0.999 → "99.9%". */
char *scalr_format_level    (double level) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
