/* scalr-lift-table.h — a run's lift rows as people read them: finding and selecting rows by
 * segment, metric and K, the headline every page and the report lead with, and a model's
 * per-user changes. (The lift table as a file — `scalr export --lifts`, the workbench's copy
 * and export — is core/pipeline/scalr-export.h's scalr_export_lifts_text.)
 *
 * The headline is the honest default (README, "Read the strongest-baseline column"): sparse
 * users (all tested users when the run has no sparse segment), Recall at the K nearest
 * SCALR_HEADLINE_K, the model whose augmented variant scores highest, against the strongest
 * real-only model of the segment; its lift against its own baseline comes second. */
#pragma once

#include "scalr-store.h"

G_BEGIN_DECLS

/* The headline: results are read first at the cut-off nearest SCALR_HEADLINE_K. */
#define SCALR_HEADLINE_K 20
/* Of @n cut-offs, the K > 0 nearest SCALR_HEADLINE_K (the smaller on a tie); 0 when none. */
guint            scalr_headline_k    (const guint *ks, guint n);

/* The row for (model, segment, metric, k, reference) or NULL; an own row that is also the
 * strongest baseline answers "strongest" too (scalr_lift_row_is_reference). */
const ScalrLiftRow *scalr_lifts_find (const ScalrLiftRow *rows, guint n, const char *model,
                                      const char *segment, const char *metric, guint k,
                                      const char *reference);
/* The rows of one segment × metric × K (k ignored for k = 0 metrics such as NE), in stored
 * order; @reference NULL keeps both references. Returns borrowed pointers into @rows. */
GPtrArray       *scalr_lifts_select (const ScalrLiftRow *rows, guint n, const char *segment,
                                     const char *metric, guint k, const char *reference)
  G_GNUC_WARN_UNUSED_RESULT;
/* Of the cut-offs the rows have for @metric, the headline one (scalr_headline_k); 0 when
 * none. */
guint            scalr_lifts_headline_k (const ScalrLiftRow *rows, guint n, const char *metric);

typedef struct {
  const ScalrLiftRow *strongest;   /* the headline row (borrowed) */
  const ScalrLiftRow *own;         /* the same model against its own baseline (== strongest when its
                                    * own baseline is the strongest); may be NULL */
  const char         *segment;     /* "sparse" or "all" (static) */
  guint               k;
} ScalrHeadline;

/* Finds the headline of a run's lifts. FALSE (and *out zeroed) when there is no Recall lift
 * against the strongest baseline with a finite value. */
gboolean         scalr_lifts_find_headline (const ScalrLiftRow *rows, guint n, ScalrHeadline *out);
/* One lift for people: "+43.2% [+18.7, +72.4] vs pop" (owned). */
char            *scalr_lift_format         (const ScalrLiftRow *row) G_GNUC_WARN_UNUSED_RESULT;
/* The same without the baseline: "+43.2% [+18.7, +72.4]" (owned). */
char            *scalr_lift_format_short   (const ScalrLiftRow *row) G_GNUC_WARN_UNUSED_RESULT;
/* "ease +43.2% [+18.7, +72.4] vs pop · own +166.0%" (owned). */
char            *scalr_headline_format     (const ScalrHeadline *headline) G_GNUC_WARN_UNUSED_RESULT;
/* One sentence saying what the headline measures, with the means, the row's CI level, the
 * Holm p and the note of an undefined value, for a tooltip or the report (owned). */
char            *scalr_headline_describe   (const ScalrHeadline *headline) G_GNUC_WARN_UNUSED_RESULT;

/* One user's value of a metric under the baseline and the augmented variant of a model. */
typedef struct {
  guint32 user;
  double  base, aug;   /* NaN when the variant has no value for the user */
} ScalrUserDelta;

/* The per-user change of @metric@@k (augmented − baseline) for every model of run @run_id,
 * from the stored per-user vectors: a table model name (char*) → GArray of ScalrUserDelta
 * sorted by user (owned). An empty table when the run stored none. On error returns NULL and
 * sets @error. */
GHashTable      *scalr_lifts_load_user_deltas (ScalrStore *store, gint64 run_id, const char *metric, guint k,
                                               GError **error) G_GNUC_WARN_UNUSED_RESULT;
/* The entry of @user in @deltas (sorted by user), or NULL. */
const ScalrUserDelta *scalr_user_deltas_find (GArray *deltas, guint32 user);

G_END_DECLS
