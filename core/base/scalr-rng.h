/* scalr-rng.h — small, fast, seedable random streams (xoshiro256** seeded by splitmix64).
 *
 * One stream per (seed, purpose, user) makes results independent of thread count and
 * order: scalr_rng_init (&rng, seed, SCALR_STREAM_SPLIT, user). */
#pragma once

#include <glib.h>
#include <math.h>

G_BEGIN_DECLS

typedef struct {
  guint64 s[4];
} ScalrRng;

/* Purposes, so that two uses of one seed never share a stream. */
enum {
  SCALR_STREAM_SPLIT = 1,
  SCALR_STREAM_SPARSE = 2,
  SCALR_STREAM_SAMPLER = 3,
  SCALR_STREAM_ALIGN = 4,
  SCALR_STREAM_BUDGET = 5,
  SCALR_STREAM_MODEL = 6,
  SCALR_STREAM_EVAL = 7,
  SCALR_STREAM_BOOTSTRAP = 8,
  SCALR_STREAM_VALID_USERS = 9,
  SCALR_STREAM_TUNE = 10,
  SCALR_STREAM_SAMPLER_TUNE = 11,
  SCALR_STREAM_EVAL_TIES = 12,    /* per user: the order of tied scores in its ranking */
};

static inline guint64
scalr_splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

static inline void
scalr_rng_init (ScalrRng *rng, guint64 seed, guint64 purpose, guint64 index)
{
  guint64 x = seed ^ (purpose * 0xD1B54A32D192ED03ull);
  x = scalr_splitmix64 (&x) ^ (index * 0x8CB92BA72F3D8DD7ull);
  for (int k = 0; k < 4; k++)
    rng->s[k] = scalr_splitmix64 (&x);
}

static inline guint64
scalr_rng_next (ScalrRng *rng)
{
  guint64 *s = rng->s;
  guint64 r = s[1] * 5;
  r = ((r << 7) | (r >> 57)) * 9;
  guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = (s[3] << 45) | (s[3] >> 19);
  return r;
}

/* Uniform in [0, 1). */
static inline double
scalr_rng_uniform (ScalrRng *rng)
{
  return (double) (scalr_rng_next (rng) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n), n > 0 (Lemire's multiply-shift; bias < 2^-32 for n < 2^32). */
static inline guint32
scalr_rng_below (ScalrRng *rng, guint32 n)
{
  return (guint32) (((scalr_rng_next (rng) >> 32) * (guint64) n) >> 32);
}

/* Standard Gumbel. */
static inline double
scalr_rng_gumbel (ScalrRng *rng)
{
  double u = scalr_rng_uniform (rng);
  return -log (-log (u + 0x1.0p-60));
}

G_END_DECLS
