/* scalr-synthetic.h — synthetic target-domain events and the synthetic-vs-real diagnostics.
 *
 * ScalrSyntheticEvents holds the sampler's output: unique (user, item) pairs, sorted by user
 * then item, each with the probability the generator gave it and its training weight (draws of
 * the same pair are merged: `count` says how many). Diagnostics compare them with the real
 * target training events of the split, and with the held-out test events of the same users.
 * Everything the GUI charts is computed here, so charts only read. */
#pragma once

#include <json-glib/json-glib.h>

#include "scalr-types.h"
#include "scalr-csr.h"
#include "scalr-split.h"

G_BEGIN_DECLS

#define SCALR_SYNTHETIC_ERROR (scalr_synthetic_error_quark ())
GQuark scalr_synthetic_error_quark (void);

typedef enum {
  SCALR_SYNTHETIC_ERROR_INVALID_JSON,   /* a missing or ill-typed member in diagnostics JSON */
} ScalrSyntheticError;

typedef struct {
  guint64  n;         /* unique (user, item) pairs */
  guint64  draws;     /* events drawn before merging repeats (≥ n) */
  guint32 *user;      /* n, ascending */
  guint32 *item;      /* n, target-domain item ids, ascending within a user */
  float   *prob;      /* n, the generator's probability of the pair */
  float   *weight;    /* n, training weight (λ or λ·p, times count) */
  guint32 *count;     /* n, draws merged into the pair */
} ScalrSyntheticEvents;

/* Room for @n pairs, zero-filled; draws = 0 (the sampler fills everything). */
ScalrSyntheticEvents *scalr_synthetic_events_new  (guint64 n) G_GNUC_WARN_UNUSED_RESULT;
void                  scalr_synthetic_events_free (ScalrSyntheticEvents *events);
/* Shrinks to the first @n pairs (n ≤ events->n); draws drops by the counts of the removed
 * pairs (never below 0). */
void                  scalr_synthetic_events_truncate (ScalrSyntheticEvents *events, guint64 n);
/* Under MPI: every rank's events (each rank's users after the previous rank's) put
 * together on every rank, in rank order — for rank blocks of ascending users, the events of
 * a whole run. A collective: every rank calls it. One process: a copy. Never fails. */
ScalrSyntheticEvents *scalr_synthetic_events_allgather (const ScalrSyntheticEvents *mine) G_GNUC_WARN_UNUSED_RESULT;
/* Checks the order invariant (users ascending, items strictly ascending within a user,
 * ids below the bounds). */
gboolean              scalr_synthetic_events_is_valid (const ScalrSyntheticEvents *events,
                                                       guint n_users, guint n_items);

/* Buckets of target items by real training popularity, most popular first, each holding
 * about 1/n_buckets of the real training events (head … tail): items sorted by training
 * count descending (ties: item id ascending) go to bucket min (B−1, ⌊B·before/total⌋), where
 * `before` is the training events of the items ahead of it. Items without training
 * events fall in the last bucket. 1 ≤ n_buckets ≤ SCALR_MAX_BUCKETS.
 * Returns train->n_cols bucket indices (owned). */
guint8               *scalr_popularity_buckets (const ScalrCsr *train, guint n_buckets) G_GNUC_WARN_UNUSED_RESULT;

#define SCALR_MAX_BUCKETS 20
#define SCALR_CURVE_POINTS 128
#define SCALR_CALIBRATION_BINS 10
#define SCALR_CALIBRATION_TOP_N 50   /* items per validation user in the reliability diagram */
#define SCALR_MAX_CATEGORIES 15   /* categories kept in the category mix */

typedef struct {
  guint   users;        /* users in the group with at least one synthetic event */
  guint64 synthetic;    /* their synthetic pairs */
  guint64 held_out;     /* their test events */
  guint64 hits;         /* synthetic pairs that are test events */
  double  precision;    /* hits / synthetic */
  double  recall;       /* hits / held_out */
  double  hit_rate;     /* share of the users with at least one hit */
} ScalrHeldOutMatch;

typedef struct {
  /* Volumes */
  guint64 events;              /* unique synthetic pairs */
  guint64 draws;
  guint   users;               /* users with synthetic events */
  guint64 real_events;         /* real target training events */
  guint   real_users;
  guint   target_items;        /* items of the target domain (the denominator of coverage;
                                * 0 when read from a version 1 document) */
  /* Item distribution */
  double  coverage;            /* distinct synthetic items / target items */
  double  real_coverage;       /* distinct real training items / target items */
  double  gini;                /* Gini of synthetic item counts over all target items */
  double  real_gini;
  double  jsd;                 /* Jensen–Shannon divergence (base 2, 0..1), synthetic vs real item distribution */
  /* Rank–frequency curves: up to SCALR_CURVE_POINTS (rank, count) points, log-spaced ranks, rank from 1. */
  guint   n_curve, n_real_curve;
  double  curve_rank[SCALR_CURVE_POINTS], curve_count[SCALR_CURVE_POINTS];
  double  real_curve_rank[SCALR_CURVE_POINTS], real_curve_count[SCALR_CURVE_POINTS];
  /* User activity: users with activity in [2^b, 2^(b+1)) */
  guint64 activity[24], real_activity[24];
  /* Popularity buckets (the same bucketing as alignment) */
  guint   n_buckets;
  double  bucket_share[SCALR_MAX_BUCKETS], real_bucket_share[SCALR_MAX_BUCKETS];
  double  bucket_jsd;          /* JSD of the bucket shares */
  /* Category mix (empty without item metadata): names and shares, most real events first */
  GPtrArray *category_names;   /* char* (owned) */
  GArray    *category_share;   /* double, synthetic */
  GArray    *real_category_share;
  /* Synthetic pairs against the held-out test events of the same users */
  ScalrHeldOutMatch all;
  ScalrHeldOutMatch sparse;    /* simulated sparse users */
  /* Calibration of the generator's probabilities on validation users, over each one's
   * calib_top_n most probable items, in bins of equal count with Wilson 95 % intervals (set
   * by the pipeline; n_calibration = 0 when not measured; runs stored before the top-N
   * diagram have calib_top_n = 0 — every item — and NAN intervals) */
  guint   n_calibration;
  guint   calib_top_n;
  double  calib_pred[SCALR_CALIBRATION_BINS], calib_obs[SCALR_CALIBRATION_BINS];
  double  calib_low[SCALR_CALIBRATION_BINS], calib_high[SCALR_CALIBRATION_BINS];
  guint64 calib_count[SCALR_CALIBRATION_BINS];
  double  ece;                 /* NAN when not measured */
  double  temperature;         /* the generator's τ (fitted when temperature=auto) */
  double  valid_log_lik;       /* mean log-likelihood of validation events at τ */
} ScalrDiagnostics;

/* Computes the diagnostics (definitions in scalr-synthetic.c) of @events, which must
 * satisfy scalr_synthetic_events_is_valid for the split's users and target items, against
 * the split's real training and test events. 0 ≤ n_buckets ≤ SCALR_MAX_BUCKETS (0: no
 * bucket shares). The category mix comes from the dataset of the split's domains (target
 * items' categories), when it has item metadata. Calibration fields are left at 0 (the
 * pipeline fills them). */
ScalrDiagnostics *scalr_diagnostics_new  (const ScalrSyntheticEvents *events,
                                          ScalrSplit                 *split,
                                          guint                       n_buckets) G_GNUC_WARN_UNUSED_RESULT;
void              scalr_diagnostics_free (ScalrDiagnostics *diag);
/* The version of the diagnostics JSON this code writes (scalr-diagnostics-json.c says what each
 * version holds). */
#define SCALR_DIAGNOSTICS_VERSION 2

/* Every field, with "version": SCALR_DIAGNOSTICS_VERSION first; numbers that are not finite
 * are null. "precision" and "recall" at the top level repeat all.precision/all.recall (the
 * CLI's JSON contract) and are not read back. No failure. */
JsonNode         *scalr_diagnostics_to_json   (const ScalrDiagnostics *diag) G_GNUC_WARN_UNUSED_RESULT;
/* Reads a document of any version: members a document's version did not have, and the
 * optional ones ("categories", "calibration"), may be absent (then 0, empty or NaN); members
 * this code does not know are ignored; null reads as NaN. On error (a required member
 * missing, an ill-typed member, arrays too long, a version that is not a positive integer)
 * returns NULL and sets @error (SCALR_SYNTHETIC_ERROR_INVALID_JSON, naming the member). */
ScalrDiagnostics *scalr_diagnostics_from_json (JsonNode *node, GError **error) G_GNUC_WARN_UNUSED_RESULT;

/* Helpers, public for tests and other modules. */
/* Gini coefficient of @n non-negative counts (0 = equal, → 1 = concentrated); 0 when
 * n = 0 or every count is 0. */
double            scalr_gini     (const double *counts, gsize n);
/* Jensen–Shannon divergence, base 2, of two non-negative vectors (normalised inside),
 * 0..1; 0 when both are all zeros, 1 when exactly one is. */
double            scalr_jsd      (const double *p, const double *q, gsize n);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrSyntheticEvents, scalr_synthetic_events_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (ScalrDiagnostics, scalr_diagnostics_free)

G_END_DECLS
