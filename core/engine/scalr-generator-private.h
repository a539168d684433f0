/* scalr-generator-private.h — what the generator module shares with the tests and the
 * benchmarks (the NumPy reference fits τ on the same users). */
#pragma once

#include "scalr-generator.h"

G_BEGIN_DECLS

/* The validation users of the temperature fit and the calibration: with source events and
 * validation events; at most @max, a seeded choice (split seed), in the order the fit uses
 * before it sorts them. Returns a new GArray of guint32; never fails. */
GArray *_scalr_generator_validation_users (ScalrSplit *split, guint max) G_GNUC_WARN_UNUSED_RESULT;

G_END_DECLS
