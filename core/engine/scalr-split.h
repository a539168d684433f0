/* scalr-split.h — the evaluation protocol's split of the target domain (docs/ARCHITECTURE.md).
 *
 * Per user with at least `min_target_events` target events, a test and a validation
 * fraction of their target events are held out — at random (seeded, one RNG stream per user)
 * or the latest by timestamp (temporal). Users with fewer events keep everything in training
 * and are not tested. Sparse-user simulation: `sparse_fraction` of the tested overlap users
 * keep at most `sparse_keep` target training events (0 = cold); their test events stay, the
 * rest of their target history (dropped training and validation events) is used by nothing.
 * Source events are all training. Nothing a generator or a model is trained on (source,
 * target train) contains a validation or test event.
 *
 * Validation users (`valid_users` > 0): a share of the users who hold out events becomes
 * validation users, chosen within the sparse and the warm users separately (so both groups
 * carry the same sparse-user simulation, sparse validation users included); their held-out
 * events are the validation matrix, and they are not tested. Everything that selects or fits
 * a nuisance parameter reads the validation matrix only, so it never sees a test user's
 * held-out events. The older protocol — `valid_fraction` > 0: a validation share of every
 * tested user's own events, none for sparse users — is kept so that stored runs rebuild the
 * split they were run with; the two cannot be combined. */
#pragma once

#include "scalr-types.h"
#include "scalr-config.h"
#include "scalr-csr.h"

G_BEGIN_DECLS

#define SCALR_SPLIT_ERROR (scalr_split_error_quark ())
GQuark scalr_split_error_quark (void);

typedef enum {
  SCALR_SPLIT_ERROR_INVALID,     /* options out of range (e.g. test + valid fractions ≥ 1) */
  SCALR_SPLIT_ERROR_NO_TEST,     /* no user qualifies for testing */
} ScalrSplitError;

/* [split]: the protocol's keys (protocol, fractions, sparse simulation, seed). */
extern const ScalrParam scalr_split_params[];

typedef enum {
  SCALR_SPLIT_RANDOM,
  SCALR_SPLIT_TEMPORAL,
} ScalrSplitProtocol;

typedef struct {
  ScalrSplitProtocol protocol;
  double   test_fraction;      /* of each tested user's target events; at least 1 event */
  double   valid_fraction;     /* ditto (0 = no validation events) */
  guint    min_target_events;  /* users with fewer are not tested */
  double   sparse_fraction;    /* of tested overlap users */
  guint    sparse_keep;        /* training events a sparse user keeps (0 = cold) */
  guint64  seed;
  double   valid_users;        /* share of the held-out users made validation users (0: none) */
} ScalrSplitOptions;

/* The parameter table's defaults. */
#define SCALR_SPLIT_OPTIONS_INIT { SCALR_SPLIT_RANDOM, 0.2, 0.0, 5, 0.3, 0, 42, 0.25 }

/* Per-user flags. */
enum {
  SCALR_USER_HAS_SOURCE = 1 << 0,   /* at least one source event */
  SCALR_USER_OVERLAP    = 1 << 1,   /* source events and (before the split) target events */
  SCALR_USER_TESTED     = 1 << 2,   /* has test events */
  SCALR_USER_SPARSE     = 1 << 3,   /* a simulated sparse user */
  SCALR_USER_COLD       = 1 << 4,   /* no target training events after the split */
  SCALR_USER_VALIDATION = 1 << 5,   /* a validation user: held-out events are validation targets */
};

typedef struct _ScalrSplit ScalrSplit;

/* Splits the target events of @domains (NULL @options: SCALR_SPLIT_OPTIONS_INIT). The split
 * holds a reference to @domains: callers may drop theirs in any order.
 * A tested user of n target events holds out max(1, round(test_fraction·n)) test and
 * (valid_fraction > 0) max(1, round(valid_fraction·n)) validation events, always keeping one
 * training event (validation shrinks first). Random: a partial Fisher–Yates on the user's
 * SCALR_STREAM_SPLIT stream; temporal: the latest by (timestamp, item) are test, the next
 * latest validation. Sparse users: round(sparse_fraction · #tested overlap users) of them, those
 * with the smallest first draw of their SCALR_STREAM_SPARSE stream; they keep sparse_keep
 * training events (random: a subset drawn from that stream; temporal: the earliest).
 * Validation users: within the sparse and within the other held-out users separately,
 * round(valid_users · n) of them with the smallest first draw of their SCALR_STREAM_VALID_USERS
 * stream; their test share becomes validation events. With valid_users = 0 the split is
 * exactly the one of the older protocol.
 * On error (SCALR_SPLIT_ERROR_INVALID naming the option and its range, or
 * SCALR_SPLIT_ERROR_NO_TEST) returns NULL and sets @error. */
ScalrSplit     *scalr_split_new          (ScalrDomains            *domains,
                                          const ScalrSplitOptions *options,
                                          GError                 **error) G_GNUC_WARN_UNUSED_RESULT;
void            scalr_split_free         (ScalrSplit *split);
ScalrDomains   *scalr_split_get_domains  (ScalrSplit *split);   /* borrowed from the split */
const ScalrSplitOptions *scalr_split_get_options (ScalrSplit *split);
guint           scalr_split_get_n_users  (ScalrSplit *split);
guint           scalr_split_get_n_target_items (ScalrSplit *split);
guint           scalr_split_get_n_source_items (ScalrSplit *split);
/* users × source items: every source event (borrowed from the domains). */
const ScalrCsr *scalr_split_get_source   (ScalrSplit *split);
/* users × target items; values are the ratings. */
const ScalrCsr *scalr_split_get_train    (ScalrSplit *split);
const ScalrCsr *scalr_split_get_valid    (ScalrSplit *split);
const ScalrCsr *scalr_split_get_test     (ScalrSplit *split);
/* n_users flags (SCALR_USER_*). */
const guint8   *scalr_split_get_user_flags (ScalrSplit *split);

/* Counts, for reports. tested_users are test users (validation users are counted apart;
 * sparse_users and cold_users count both). */
typedef struct {
  guint64 train_events, valid_events, test_events, dropped_events;
  guint   users, source_users, overlap_users, tested_users, sparse_users, cold_users;
  guint   valid_users, valid_sparse_users;
} ScalrSplitCounts;
void            scalr_split_get_counts   (ScalrSplit *split, ScalrSplitCounts *out);

/* For each target event of the domains (in the target matrix's order) its part:
 * 0 train, 1 valid, 2 test, 3 dropped by the sparse simulation. n = target nnz. */
const guint8   *scalr_split_get_assignment (ScalrSplit *split);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrSplit, scalr_split_free)

G_END_DECLS
