/* scalr-sampler-auto.c — `sampler.temperature = auto`: the sampler's τ chosen on validation
 * users by what sampling is for, hitting the items a user goes on to interact with.
 *
 * For each τ of a fixed grid the sampler draws, as configured (strategy, budget, filters),
 * for the validation users it would target (with source events and validation events; all
 * validation users with source events when the targeted ones have none), SCALR_AUTO_REPEATS
 * times with seeds of their own. The criterion is the hit rate of the draws: synthetic pairs
 * that are validation events / synthetic pairs. Maximum likelihood is not used: it rewards
 * spreading mass over the tail (a linear model's scores give held-out items low probabilities)
 * and picks a flat τ whose draws are near random. The hit rate alone would pick the sharpest
 * τ (deterministic top-k, the paper's worst ablation), so the rule is the one-standard-error
 * rule: the largest τ whose hit rate is within one binomial standard error of the best one —
 * the most diverse draws that are not measurably worse. Nothing here reads a test user. */
#include "config.h"

#include "scalr-sampler.h"

#include <math.h>
#include <string.h>

#include "scalr-rng.h"

static const double auto_grid[SCALR_AUTO_TAUS] = { 0.01, 0.02, 0.03, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0 };

gboolean
scalr_sampler_temperature_matters (const ScalrGenerator *gen, const ScalrSamplerOptions *o)
{
  return o->strategy == SCALR_SAMPLE_PER_USER
         || (o->strategy == SCALR_SAMPLE_PER_EVENT && gen->klass->item_draw == NULL && o->samples_per_event > 0);
}

static gboolean
in_row (const ScalrCsr *m, guint32 u, guint32 item)
{
  guint64 lo = m->indptr[u], hi = m->indptr[u + 1];
  while (lo < hi)
    {
      guint64 mid = lo + (hi - lo) / 2;
      if (m->indices[mid] < item)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo < m->indptr[u + 1] && m->indices[lo] == item;
}

/* The validation users the criterion reads (owned mask, n_users) and their number. */
static guint8 *
auto_users (ScalrSplit *split, const ScalrSamplerOptions *o, guint *n_out, gboolean *fallback)
{
  const ScalrCsr *valid = scalr_split_get_valid (split);
  const guint8 *flags = scalr_split_get_user_flags (split);
  guint n_users = scalr_split_get_n_users (split);
  guint8 *mask = g_new0 (guint8, MAX (n_users, 1));
  *fallback = FALSE;
  for (guint pass = 0; pass < 2; pass++)
    {
      guint n = 0;
      for (guint u = 0; u < n_users; u++)
        {
          guint8 f = flags[u];
          gboolean targeted = o->targets == SCALR_TARGETS_SPARSE ? (f & SCALR_USER_SPARSE) != 0
                              : o->targets == SCALR_TARGETS_COLD ? (f & SCALR_USER_COLD) != 0 : TRUE;
          mask[u] = (f & SCALR_USER_HAS_SOURCE) && scalr_csr_row_len (valid, u) > 0 && (targeted || pass == 1);
          n += mask[u];
        }
      *n_out = n;
      if (n > 0 || o->targets == SCALR_TARGETS_ALL)
        return mask;
      *fallback = TRUE;
    }
  return mask;
}

gboolean
scalr_sampler_choose_temperature (ScalrGenerator *gen, ScalrSplit *split, const ScalrSamplerOptions *options,
                                  ScalrSamplerAuto *out, GCancellable *cancellable, GError **error)
{
  memset (out, 0, sizeof *out);
  out->temperature = 1.0;
  out->best_hit_rate = NAN;
  for (guint t = 0; t < SCALR_AUTO_TAUS; t++)
    {
      out->taus[t] = auto_grid[t];
      out->hit_rate[t] = NAN;
    }
  if (!scalr_sampler_temperature_matters (gen, options))
    {
      out->status = SCALR_AUTO_NOT_USED;
      return TRUE;
    }
  gboolean fallback;
  g_autofree guint8 *mask = auto_users (split, options, &out->users, &fallback);
  if (out->users == 0)
    {
      out->status = SCALR_AUTO_NO_VALIDATION;
      return TRUE;
    }
  const ScalrCsr *valid = scalr_split_get_valid (split);
  ScalrSamplerOptions o = *options;
  o.only_users = mask;
  o.targets = SCALR_TARGETS_ALL;   /* the mask already holds the targeted users */
  o.align = SCALR_ALIGN_NONE;
  o.max_per_user = options->max_per_user;
  for (guint t = 0; t < SCALR_AUTO_TAUS; t++)
    {
      guint64 hits = 0, pairs = 0;
      o.temperature = auto_grid[t];
      for (guint r = 0; r < SCALR_AUTO_REPEATS; r++)
        {
          ScalrRng rng;
          scalr_rng_init (&rng, options->seed, SCALR_STREAM_SAMPLER_TUNE, r);
          o.seed = scalr_rng_next (&rng);
          g_autoptr (ScalrSyntheticEvents) ev = scalr_sampler_run (gen, split, &o, NULL, NULL, cancellable, error);
          if (ev == NULL)
            return FALSE;
          for (guint64 k = 0; k < ev->n; k++)
            hits += in_row (valid, ev->user[k], ev->item[k]);
          pairs += ev->n;
        }
      out->pairs[t] = pairs;
      out->hits[t] = hits;
      out->hit_rate[t] = pairs ? (double) hits / (double) pairs : NAN;
    }
  /* The best hit rate, then the largest τ within one standard error of it. */
  gint best = -1;
  for (guint t = 0; t < SCALR_AUTO_TAUS; t++)
    if (isfinite (out->hit_rate[t]) && (best < 0 || out->hit_rate[t] > out->hit_rate[best]))
      best = (gint) t;
  if (best < 0)
    {
      out->status = SCALR_AUTO_NO_VALIDATION;
      return TRUE;
    }
  double p = out->hit_rate[best];
  double se = sqrt (p * (1.0 - p) / (double) out->pairs[best]);
  guint chosen = (guint) best;
  for (guint t = (guint) best + 1; t < SCALR_AUTO_TAUS; t++)
    if (isfinite (out->hit_rate[t]) && out->hit_rate[t] >= p - se)
      chosen = t;
  out->status = fallback ? SCALR_AUTO_CHOSEN_ALL_USERS : SCALR_AUTO_CHOSEN;
  out->best_hit_rate = p;
  out->chosen = chosen;
  out->temperature = auto_grid[chosen];
  return TRUE;
}

const char *
scalr_sampler_auto_status_to_string (ScalrSamplerAutoStatus status)
{
  switch (status)
    {
    case SCALR_AUTO_FIXED:            return "fixed";
    case SCALR_AUTO_NOT_USED:         return "not used by this strategy";
    case SCALR_AUTO_NO_VALIDATION:    return "undefined: no validation user with source and validation events (τ = 1 used)";
    case SCALR_AUTO_CHOSEN:           return "chosen on validation users";
    case SCALR_AUTO_CHOSEN_ALL_USERS: return "chosen on all validation users (none of the targeted users has validation events)";
    default:                          return "unknown";
    }
}
