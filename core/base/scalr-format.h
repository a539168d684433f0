/* scalr-format.h — the one number formatter for people: the GUI's tables, tooltips, cards
 * and headlines, and the report, print numbers through these, so the same value reads the
 * same everywhere. Machine-readable exports (TSV/CSV, the CLI's tables) use
 * scalr_format_append_exact instead.
 *
 * Every function returns a newly allocated string; NaN and ±∞ become SCALR_FORMAT_MISSING
 * ("–", an en dash). No locale: the decimal point is always '.'. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

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

/* For machines, not people (TSV/CSV exports): appends the shortest decimal that reads back as
 * the same double (6 to 17 significant digits: "0.1", "0.30000000000000004", "1e-07"), or "NA"
 * when @value is not finite. No locale. */
void  scalr_format_append_exact (GString *s, double value);

G_END_DECLS
