/* scalr-review-lens-private.h — what the user lens's files share (scalr-review-lens.c: the
 * data of a run, the user table; scalr-review-lens-rows.c: one user's lists). */
#pragma once

#include "scalr-review-page-private.h"

#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-idmap.h"
#include "scalr-split.h"
#include "scalr-store.h"

G_BEGIN_DECLS

typedef struct {
  char    *model, *variant;
  guint    max_k, n_users;
  guint32 *users;   /* ascending */
  guint32 *items;   /* n_users × max_k (G_MAXUINT32: none) */
} LensRecs;

struct _LensData {
  gint64                run_id;
  guint                 k;         /* of the per-user Recall change */
  ScalrDomains         *domains;
  ScalrSplit           *split;     /* borrows domains: freed first */
  ScalrSyntheticEvents *synthetic;
  GPtrArray            *recs;      /* LensRecs* */
  GArray               *users;     /* guint32: users offered */
  GHashTable           *deltas;    /* model → GArray of ScalrUserDelta (Recall@k) */
};

/* scalr-review-lens.c */
const char *_scalr_review_lens_model         (ScalrReviewPage *self);
guint32     _scalr_review_lens_selected_user (ScalrReviewPage *self, gboolean *ok);

/* scalr-review-lens-rows.c */
void        _scalr_review_lens_clear_lists   (ScalrReviewPage *self);
/* Fills the lists for the selected user (empties them when none is selected). */
void        _scalr_review_lens_show_user     (ScalrReviewPage *self);

G_END_DECLS
