/* scalr-split-private.h — for tests only: what the split does not offer callers. */
#pragma once

#include "scalr-split.h"

G_BEGIN_DECLS

/* Replaces the test matrix (same shape; the split takes @test). The honesty test uses it to
 * change test users' held-out events and check that nothing fitted or selected moves. */
void _scalr_split_replace_test (ScalrSplit *split, ScalrCsr *test);

G_END_DECLS
