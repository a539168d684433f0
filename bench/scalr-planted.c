/* scalr-planted.c — a planted cross-domain interaction generator for benchmarks and tests.
 *
 * Model (every draw is seeded; the output is a function of the flags only, not of the
 * thread count):
 *   - each user u has a latent vector x_u ~ N(0, I/D), shared by both domains, an activity
 *     weight a_u ~ LogNormal(0, σ²) (skewed: a few heavy users, many light ones) and a kind:
 *     active in both domains (with probability --overlap), else source-only or target-only
 *     (target-only with probability --target-share);
 *   - each item i (separate source and target item sets) has a latent vector y_i ~ N(0, I),
 *     so that <x_u, y_i> ~ N(0, 1), a popularity weight ∝ rank_i^-α (ranks are a random
 *     permutation of the ids) and a category G<k>: the nearest of --categories random
 *     centroids, so that categories mean something in the latent space;
 *   - an event draws a user ∝ a_u, a domain (by the user's kind; Bernoulli(--target-share)
 *     for users of both domains), then an item with probability ∝ pop_i · exp(β <x_u, y_i>),
 *     sampled by importance resampling: --candidates items are drawn from the popularity
 *     alias table and one of them is kept with probability ∝ exp(β <x_u, y_i>) (exact as
 *     the candidate count grows; 32 is plenty for benchmark data);
 *   - the rating is round(2.5 + 0.9 <x_u, y_i> + N(0, 0.75²)) clamped to 1..5, so ratings
 *     correlate with affinity; timestamps increase with the event index.
 *
 * Output (in --out-dir): events.{tsv,csv,inter} with user_id, item_id, rating, timestamp,
 * domain (`source` / `target`); items.{tsv,csv,inter} with item_id, title, genres
 * (`G3|Source`: the latent category and the domain as a category, so both
 * `domain:source` / `domain:target` and `category:Source` / `category:Target` rules work);
 * planted.json with the parameters and what was written. Files are written under a
 * temporary name and renamed when complete. */
#include "config.h"

#include "scalr-registry.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "scalr-parallel.h"

#define CHUNK_EVENTS (1u << 20)
#define T0 1262304000.0   /* 2010-01-01 UTC */

/* ---- random numbers: splitmix64 seeding, xoshiro256** streams ---------------------- */

typedef struct {
  guint64 s[4];
} Rng;

static inline guint64
splitmix64 (guint64 *x)
{
  guint64 z = (*x += 0x9E3779B97F4A7C15ull);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
  return z ^ (z >> 31);
}

/* Stream @stream of seed @seed: independent streams for the model and for each chunk. */
static void
rng_init (Rng *r, guint64 seed, guint64 stream)
{
  guint64 x = seed ^ (stream * 0xD1B54A32D192ED03ull);
  for (int k = 0; k < 4; k++)
    r->s[k] = splitmix64 (&x);
}

static inline guint64
rotl (guint64 x, int k)
{
  return (x << k) | (x >> (64 - k));
}

static inline guint64
rng_next (Rng *r)
{
  guint64 *s = r->s;
  guint64 result = rotl (s[1] * 5, 7) * 9;
  guint64 t = s[1] << 17;
  s[2] ^= s[0];
  s[3] ^= s[1];
  s[1] ^= s[2];
  s[0] ^= s[3];
  s[2] ^= t;
  s[3] = rotl (s[3], 45);
  return result;
}

/* Uniform in [0, 1) with 53 random bits. */
static inline double
rng_uniform (Rng *r)
{
  return (double) (rng_next (r) >> 11) * 0x1.0p-53;
}

/* Uniform integer in [0, n) (Lemire's multiply-shift; the bias is below 2^-32 for n < 2^32). */
static inline guint32
rng_below (Rng *r, guint32 n)
{
  return (guint32) (((rng_next (r) >> 32) * (guint64) n) >> 32);
}

static inline double
rng_normal (Rng *r)
{
  /* Box–Muller; one of the pair is enough here. */
  double u1 = 1.0 - rng_uniform (r);   /* (0, 1] */
  double u2 = rng_uniform (r);
  return sqrt (-2.0 * log (u1)) * cos (2.0 * G_PI * u2);
}

/* ---- alias tables (Vose) ---------------------------------------------------------- */

typedef struct {
  guint32  n;
  float   *prob;    /* owned: acceptance probability of column k */
  guint32 *alias;   /* owned: the other outcome of column k */
} Alias;

static void
alias_init (Alias *a, const double *w, guint32 n)
{
  a->n = n;
  a->prob = g_new (float, n);
  a->alias = g_new (guint32, n);
  double total = 0;
  for (guint32 k = 0; k < n; k++)
    total += w[k];
  g_autofree double *p = g_new (double, n);
  g_autofree guint32 *small = g_new (guint32, n);
  g_autofree guint32 *large = g_new (guint32, n);
  guint32 ns = 0, nl = 0;
  for (guint32 k = 0; k < n; k++)
    {
      p[k] = w[k] * n / total;
      if (p[k] < 1.0)
        small[ns++] = k;
      else
        large[nl++] = k;
    }
  while (ns > 0 && nl > 0)
    {
      guint32 s = small[--ns], l = large[--nl];
      a->prob[s] = (float) p[s];
      a->alias[s] = l;
      p[l] = (p[l] + p[s]) - 1.0;
      if (p[l] < 1.0)
        small[ns++] = l;
      else
        large[nl++] = l;
    }
  while (nl > 0)
    {
      guint32 l = large[--nl];
      a->prob[l] = 1.0f;
      a->alias[l] = l;
    }
  while (ns > 0)   /* rounding leftovers */
    {
      guint32 s = small[--ns];
      a->prob[s] = 1.0f;
      a->alias[s] = s;
    }
}

static void
alias_clear (Alias *a)
{
  g_clear_pointer (&a->prob, g_free);
  g_clear_pointer (&a->alias, g_free);
}

static inline guint32
alias_draw (const Alias *a, Rng *r)
{
  guint64 x = rng_next (r);
  guint32 k = (guint32) (((x >> 32) * (guint64) a->n) >> 32);
  float u = (float) (x & 0xffffff) * 0x1.0p-24f;
  return u < a->prob[k] ? k : a->alias[k];
}

/* ---- the model -------------------------------------------------------------------- */

enum { KIND_BOTH, KIND_SOURCE, KIND_TARGET };
enum { DOM_SOURCE, DOM_TARGET };

typedef struct {
  /* parameters */
  guint64  n_users;
  guint64  n_items[2];
  guint64  n_events;
  double   target_share;
  guint    factors;
  double   alpha;
  double   beta;
  guint    candidates;
  double   activity_sigma;
  double   overlap;
  guint    n_categories;
  guint64  seed;
  char     sep;
  /* model */
  float   *user_vec;       /* owned, n_users × factors */
  guint8  *user_kind;      /* owned, n_users */
  Alias    user_alias;     /* by activity */
  float   *item_vec[2];    /* owned, n_items × factors */
  guint32 *item_cat[2];    /* owned */
  Alias    item_alias[2];  /* by popularity */
} Model;

typedef struct {
  const Model *m;
  guint64      chunk;
  guint64      first;
  guint64      n;
  char        *buf;        /* owned: the chunk's lines */
  gsize        len;
  guint64      n_domain[2];
  guint64      ratings[6];
  double       affinity_sum;
} Chunk;

static void
model_clear (Model *m)
{
  g_free (m->user_vec);
  g_free (m->user_kind);
  alias_clear (&m->user_alias);
  for (int d = 0; d < 2; d++)
    {
      g_free (m->item_vec[d]);
      g_free (m->item_cat[d]);
      alias_clear (&m->item_alias[d]);
    }
}

static void
model_build (Model *m)
{
  Rng r;
  rng_init (&r, m->seed, 0);
  guint D = m->factors;
  double user_sd = 1.0 / sqrt ((double) D);

  m->user_vec = g_new (float, m->n_users * D);
  m->user_kind = g_new (guint8, m->n_users);
  g_autofree double *activity = g_new (double, m->n_users);
  for (guint64 u = 0; u < m->n_users; u++)
    {
      for (guint k = 0; k < D; k++)
        m->user_vec[u * D + k] = (float) (user_sd * rng_normal (&r));
      activity[u] = exp (m->activity_sigma * rng_normal (&r));
      double x = rng_uniform (&r);
      if (x < m->overlap)
        m->user_kind[u] = KIND_BOTH;
      else
        m->user_kind[u] = rng_uniform (&r) < m->target_share ? KIND_TARGET : KIND_SOURCE;
    }
  alias_init (&m->user_alias, activity, (guint32) m->n_users);

  g_autofree double *centroids = g_new (double, (gsize) m->n_categories * D);
  for (guint c = 0; c < m->n_categories * D; c++)
    centroids[c] = rng_normal (&r);

  for (int d = 0; d < 2; d++)
    {
      guint64 n = m->n_items[d];
      m->item_vec[d] = g_new (float, n * D);
      m->item_cat[d] = g_new (guint32, n);
      for (guint64 i = 0; i < n; i++)
        {
          float *y = m->item_vec[d] + i * D;
          for (guint k = 0; k < D; k++)
            y[k] = (float) rng_normal (&r);
          double best = -INFINITY;
          for (guint c = 0; c < m->n_categories; c++)
            {
              double s = 0;
              for (guint k = 0; k < D; k++)
                s += y[k] * centroids[c * D + k];
              if (s > best)
                {
                  best = s;
                  m->item_cat[d][i] = c;
                }
            }
        }
      /* Popularity ∝ rank^-alpha with ranks a random permutation of the ids. */
      g_autofree guint32 *rank = g_new (guint32, n);
      for (guint64 i = 0; i < n; i++)
        rank[i] = (guint32) i;
      for (guint64 i = n - 1; i > 0; i--)
        {
          guint32 j = rng_below (&r, (guint32) (i + 1));
          guint32 t = rank[i];
          rank[i] = rank[j];
          rank[j] = t;
        }
      g_autofree double *pop = g_new (double, n);
      for (guint64 i = 0; i < n; i++)
        pop[i] = pow ((double) rank[i] + 1.0, -m->alpha);
      alias_init (&m->item_alias[d], pop, (guint32) n);
    }
}

/* ---- writing lines ---------------------------------------------------------------- */

static inline char *
put_u64 (char *p, guint64 v)
{
  char tmp[24];
  int n = 0;
  do
    {
      tmp[n++] = (char) ('0' + v % 10);
      v /= 10;
    }
  while (v);
  while (n)
    *p++ = tmp[--n];
  return p;
}

static inline char *
put_str (char *p, const char *s, gsize len)
{
  memcpy (p, s, len);
  return p + len;
}

static gpointer
chunk_run (gpointer data)
{
  Chunk *c = data;
  const Model *m = c->m;
  guint D = m->factors;
  guint K = m->candidates;
  Rng r;
  rng_init (&r, m->seed, c->chunk + 1);

  /* The longest line: u + 20 digits, s + 10 digits, 1 digit, 20 digits, "target", separators. */
  enum { MAX_LINE = 96 };
  c->buf = g_malloc (c->n * MAX_LINE + 1);
  char *p = c->buf;
  g_autofree guint32 *cand = g_new (guint32, K);
  g_autofree float *score = g_new (float, K);
  g_autofree double *cum = g_new (double, K);
  const char sep = m->sep;

  for (guint64 e = c->first; e < c->first + c->n; e++)
    {
      guint32 u = alias_draw (&m->user_alias, &r);
      int dom;
      switch (m->user_kind[u])
        {
        case KIND_SOURCE: dom = DOM_SOURCE; break;
        case KIND_TARGET: dom = DOM_TARGET; break;
        default: dom = rng_uniform (&r) < m->target_share ? DOM_TARGET : DOM_SOURCE; break;
        }
      const float *x = m->user_vec + (gsize) u * D;
      const float *Y = m->item_vec[dom];
      float best = -INFINITY;
      for (guint k = 0; k < K; k++)
        {
          guint32 i = alias_draw (&m->item_alias[dom], &r);
          const float *y = Y + (gsize) i * D;
          float s = 0.0f;
          for (guint q = 0; q < D; q++)
            s += x[q] * y[q];
          cand[k] = i;
          score[k] = s;
          best = MAX (best, s);
        }
      double total = 0;
      for (guint k = 0; k < K; k++)
        {
          total += exp (m->beta * (double) (score[k] - best));
          cum[k] = total;
        }
      double pick = rng_uniform (&r) * total;
      guint k = 0;
      while (k + 1 < K && cum[k] <= pick)
        k++;
      guint32 item = cand[k];
      double affinity = score[k];
      long rating = lround (2.5 + 0.9 * affinity + 0.75 * rng_normal (&r));
      rating = CLAMP (rating, 1, 5);
      guint64 ts = (guint64) T0 + 2 * e + (rng_next (&r) >> 63);

      *p++ = 'u';
      p = put_u64 (p, u);
      *p++ = sep;
      *p++ = dom == DOM_SOURCE ? 's' : 't';
      p = put_u64 (p, item);
      *p++ = sep;
      *p++ = (char) ('0' + rating);
      *p++ = sep;
      p = put_u64 (p, ts);
      *p++ = sep;
      p = dom == DOM_SOURCE ? put_str (p, "source", 6) : put_str (p, "target", 6);
      *p++ = '\n';

      c->n_domain[dom]++;
      c->ratings[rating]++;
      c->affinity_sum += affinity;
    }
  c->len = (gsize) (p - c->buf);
  return NULL;
}

static gboolean
run_chunks (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  Chunk *batch = data;
  for (guint64 k = first; k < last; k++)
    chunk_run (&batch[k]);
  return TRUE;
}


/* ---- options ---------------------------------------------------------------------- */

static guint64 opt_users = 100000;
static guint64 opt_source_items = 20000;
static guint64 opt_target_items = 10000;
static guint64 opt_events = 1000000;
static double opt_target_share = 0.45;
static int opt_factors = 16;
static double opt_alpha = 1.0;
static double opt_beta = 2.0;
static int opt_candidates = 32;
static double opt_activity_sigma = 1.0;
static double opt_overlap = 0.6;
static int opt_categories = 20;
static gint64 opt_seed = 42;
static char *opt_out_dir = NULL;
static char *opt_format = NULL;
static int opt_threads = 0;
static gboolean opt_quiet = FALSE;

/* Counts with an optional k/M/G suffix (powers of ten): 20M = 20000000. */
static gboolean
parse_count (const char *name, const char *value, gpointer data, GError **error)
{
  guint64 *out;
  if (g_str_equal (name, "--users") || g_str_equal (name, "-u"))
    out = &opt_users;
  else if (g_str_equal (name, "--source-items") || g_str_equal (name, "-j"))
    out = &opt_source_items;
  else if (g_str_equal (name, "--target-items") || g_str_equal (name, "-i"))
    out = &opt_target_items;
  else
    out = &opt_events;
  char *end = NULL;
  errno = 0;
  double v = g_ascii_strtod (value, &end);
  double mult = 1;
  if (end && *end)
    {
      switch (*end)
        {
        case 'k': case 'K': mult = 1e3; break;
        case 'm': case 'M': mult = 1e6; break;
        case 'g': case 'G': mult = 1e9; break;
        default: mult = 0; break;
        }
      if (mult != 0 && end[1] != '\0')
        mult = 0;
    }
  v *= mult;
  if (end == value || errno != 0 || mult == 0 || !(v >= 1) || v > 4e9 || v != floor (v))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "%s %s: expected a positive whole count such as 1000, 200k or 20M (at most 4G)",
                   name, value);
      return FALSE;
    }
  *out = (guint64) v;
  return TRUE;
}

static const GOptionEntry entries[] = {
  { "users", 'u', 0, G_OPTION_ARG_CALLBACK, (gpointer) parse_count, "Number of users (default 100k)", "N" },
  { "source-items", 'j', 0, G_OPTION_ARG_CALLBACK, (gpointer) parse_count, "Source-domain items (default 20k)", "J" },
  { "target-items", 'i', 0, G_OPTION_ARG_CALLBACK, (gpointer) parse_count, "Target-domain items (default 10k)", "I" },
  { "events", 'n', 0, G_OPTION_ARG_CALLBACK, (gpointer) parse_count, "Events, source + target (default 1M; suffixes k, M, G)", "N" },
  { "target-share", 0, 0, G_OPTION_ARG_DOUBLE, &opt_target_share, "Share of target-domain events (default 0.45)", "F" },
  { "factors", 'd', 0, G_OPTION_ARG_INT, &opt_factors, "Latent dimensions (default 16)", "D" },
  { "alpha", 'a', 0, G_OPTION_ARG_DOUBLE, &opt_alpha, "Popularity exponent: pop ~ rank^-alpha (default 1.0, Zipf)", "A" },
  { "beta", 'b', 0, G_OPTION_ARG_DOUBLE, &opt_beta, "Affinity strength: p ~ pop*exp(beta*<u,v>) (default 2)", "B" },
  { "candidates", 0, 0, G_OPTION_ARG_INT, &opt_candidates, "Popularity candidates per event for importance resampling (default 32)", "K" },
  { "activity-sigma", 0, 0, G_OPTION_ARG_DOUBLE, &opt_activity_sigma, "Log-normal sigma of user activity (default 1.0)", "S" },
  { "overlap", 0, 0, G_OPTION_ARG_DOUBLE, &opt_overlap, "Share of users active in both domains (default 0.6)", "F" },
  { "categories", 0, 0, G_OPTION_ARG_INT, &opt_categories, "Item categories G0..G(C-1) (default 20)", "C" },
  { "seed", 's', 0, G_OPTION_ARG_INT64, &opt_seed, "Random seed (default 42)", "S" },
  { "out-dir", 'o', 0, G_OPTION_ARG_FILENAME, &opt_out_dir, "Output directory (created if needed; default .)", "DIR" },
  { "format", 'f', 0, G_OPTION_ARG_STRING, &opt_format, "tsv (default), csv or inter (RecBole)", "FORMAT" },
  { "threads", 't', 0, G_OPTION_ARG_INT, &opt_threads, "Worker threads (default: all processors; the output does not depend on it)", "T" },
  { "quiet", 'q', 0, G_OPTION_ARG_NONE, &opt_quiet, "No progress on stderr", NULL },
  G_OPTION_ENTRY_NULL
};

static gboolean
check_options (GError **error)
{
#define BAD(...) G_STMT_START { g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, __VA_ARGS__); return FALSE; } G_STMT_END
  if (opt_users > G_MAXUINT32 - 2 || opt_source_items > G_MAXUINT32 - 2 || opt_target_items > G_MAXUINT32 - 2)
    BAD ("--users, --source-items and --target-items must be below 2^32");
  if (!(opt_target_share >= 0 && opt_target_share <= 1))
    BAD ("--target-share %g: expected a share in [0, 1]", opt_target_share);
  if (opt_factors < 1 || opt_factors > 1024)
    BAD ("--factors %d: expected 1..1024", opt_factors);
  if (!(opt_alpha >= 0 && opt_alpha <= 10))
    BAD ("--alpha %g: expected 0..10", opt_alpha);
  if (!(opt_beta >= 0 && opt_beta <= 50))
    BAD ("--beta %g: expected 0..50", opt_beta);
  if (opt_candidates < 1 || opt_candidates > 4096)
    BAD ("--candidates %d: expected 1..4096", opt_candidates);
  if (!(opt_activity_sigma >= 0 && opt_activity_sigma <= 5))
    BAD ("--activity-sigma %g: expected 0..5", opt_activity_sigma);
  if (!(opt_overlap >= 0 && opt_overlap <= 1))
    BAD ("--overlap %g: expected a share in [0, 1]", opt_overlap);
  if (opt_categories < 1 || opt_categories > 100000)
    BAD ("--categories %d: expected 1..100000", opt_categories);
  if (opt_seed < 0)
    BAD ("--seed %" G_GINT64_FORMAT ": expected a non-negative integer", opt_seed);
  if (opt_threads < 0 || opt_threads > 256)
    BAD ("--threads %d: expected 0 (all processors) .. 256", opt_threads);
  return TRUE;
#undef BAD
}

/* ---- output files ----------------------------------------------------------------- */

typedef struct {
  char *path;       /* owned: final name */
  char *tmp_path;   /* owned: written, then renamed */
  FILE *fp;
} OutFile;

static gboolean
out_open (OutFile *f, const char *dir, const char *name, GError **error)
{
  f->path = g_build_filename (dir, name, NULL);
  f->tmp_path = g_strconcat (f->path, ".part", NULL);
  f->fp = g_fopen (f->tmp_path, "wb");
  if (f->fp == NULL)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "%s: cannot create: %s", f->tmp_path, g_strerror (errsv));
      return FALSE;
    }
  setvbuf (f->fp, NULL, _IOFBF, 1 << 20);
  return TRUE;
}

static gboolean
out_write (OutFile *f, const void *data, gsize len, GError **error)
{
  if (len > 0 && fwrite (data, 1, len, f->fp) != len)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "%s: write failed: %s", f->tmp_path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static gboolean
out_close (OutFile *f, GError **error)
{
  FILE *fp = g_steal_pointer (&f->fp);
  if (fclose (fp) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "%s: write failed: %s", f->tmp_path, g_strerror (errsv));
      return FALSE;
    }
  if (g_rename (f->tmp_path, f->path) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "%s: cannot rename to %s: %s", f->tmp_path, f->path, g_strerror (errsv));
      return FALSE;
    }
  return TRUE;
}

static void
out_clear (OutFile *f)
{
  if (f->fp)
    {
      fclose (f->fp);
      g_unlink (f->tmp_path);
    }
  g_clear_pointer (&f->path, g_free);
  g_clear_pointer (&f->tmp_path, g_free);
}

static gboolean
write_items (const Model *m, const char *dir, const char *ext, GError **error)
{
  g_autofree char *name = g_strconcat ("items.", ext, NULL);
  OutFile f = { 0 };
  gboolean ok = out_open (&f, dir, name, error);
  const char sep = m->sep;
  if (ok)
    {
      g_autoptr (GString) s = g_string_sized_new (1 << 20);
      if (g_str_equal (ext, "inter"))
        g_string_append (s, "item_id:token\ttitle:token_seq\tgenres:token_seq\n");
      else
        g_string_append_printf (s, "item_id%ctitle%cgenres\n", sep, sep);
      /* RecBole token_seq columns are separated by spaces, the others by '|'. */
      const char *cat_sep = g_str_equal (ext, "inter") ? " " : "|";
      for (int d = 0; d < 2 && ok; d++)
        for (guint64 i = 0; i < m->n_items[d] && ok; i++)
          {
            char prefix = d == DOM_SOURCE ? 's' : 't';
            g_string_append_printf (s, "%c%" G_GUINT64_FORMAT "%c%s item %" G_GUINT64_FORMAT "%cG%u%s%s\n",
                                    prefix, i, sep, d == DOM_SOURCE ? "Source" : "Target", i, sep,
                                    m->item_cat[d][i], cat_sep, d == DOM_SOURCE ? "Source" : "Target");
            if (s->len > (1 << 20) - 256)
              {
                ok = out_write (&f, s->str, s->len, error);
                g_string_truncate (s, 0);
              }
          }
      ok = ok && out_write (&f, s->str, s->len, error) && out_close (&f, error);
    }
  out_clear (&f);
  return ok;
}

static gboolean
write_json (const Model *m, const char *dir, const char *ext, const char *events_path,
            const char *items_path, const guint64 n_domain[2], const guint64 ratings[6],
            double mean_affinity, double seconds, GError **error)
{
  g_autoptr (JsonBuilder) b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "generator");
  json_builder_add_string_value (b, "scalr-planted");
  json_builder_set_member_name (b, "version");
  json_builder_add_string_value (b, PACKAGE_VERSION);
  json_builder_set_member_name (b, "model");
  json_builder_add_string_value (b,
    "user x ~ N(0, I/D) shared by both domains; activity ~ LogNormal(0, sigma^2); item y ~ N(0, I); "
    "pop ~ rank^-alpha; p(item | user, domain) ~ pop * exp(beta <x, y>) by importance resampling over "
    "'candidates' popularity draws; rating = clamp(round(2.5 + 0.9 <x, y> + N(0, 0.75^2)), 1, 5)");
  json_builder_set_member_name (b, "parameters");
  json_builder_begin_object (b);
#define INT_MEMBER(name, v) json_builder_set_member_name (b, name); json_builder_add_int_value (b, (gint64) (v))
#define DBL_MEMBER(name, v) json_builder_set_member_name (b, name); json_builder_add_double_value (b, (v))
  INT_MEMBER ("users", m->n_users);
  INT_MEMBER ("source_items", m->n_items[DOM_SOURCE]);
  INT_MEMBER ("target_items", m->n_items[DOM_TARGET]);
  INT_MEMBER ("events", m->n_events);
  DBL_MEMBER ("target_share", m->target_share);
  INT_MEMBER ("factors", m->factors);
  DBL_MEMBER ("alpha", m->alpha);
  DBL_MEMBER ("beta", m->beta);
  INT_MEMBER ("candidates", m->candidates);
  DBL_MEMBER ("activity_sigma", m->activity_sigma);
  DBL_MEMBER ("overlap", m->overlap);
  INT_MEMBER ("categories", m->n_categories);
  INT_MEMBER ("seed", m->seed);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, ext);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "files");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "events");
  g_autofree char *ev_base = g_path_get_basename (events_path);
  json_builder_add_string_value (b, ev_base);
  json_builder_set_member_name (b, "items");
  g_autofree char *it_base = g_path_get_basename (items_path);
  json_builder_add_string_value (b, it_base);
  json_builder_end_object (b);

  json_builder_set_member_name (b, "rules");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "source");
  json_builder_add_string_value (b, "domain:source");
  json_builder_set_member_name (b, "target");
  json_builder_add_string_value (b, "domain:target");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "written");
  json_builder_begin_object (b);
  INT_MEMBER ("source_events", n_domain[DOM_SOURCE]);
  INT_MEMBER ("target_events", n_domain[DOM_TARGET]);
  json_builder_set_member_name (b, "rating_counts");
  json_builder_begin_array (b);
  for (int r = 1; r <= 5; r++)
    json_builder_add_int_value (b, (gint64) ratings[r]);
  json_builder_end_array (b);
  DBL_MEMBER ("mean_affinity", mean_affinity);
  DBL_MEMBER ("seconds", seconds);
  json_builder_end_object (b);
  json_builder_end_object (b);
#undef INT_MEMBER
#undef DBL_MEMBER

  g_autoptr (JsonGenerator) gen = json_generator_new ();
  g_autoptr (JsonNode) root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  g_autofree char *path = g_build_filename (dir, "planted.json", NULL);
  return json_generator_to_file (gen, path, error);
}

static gboolean
generate (GError **error)
{
  const char *ext = opt_format ? opt_format : "tsv";
  if (!g_str_equal (ext, "tsv") && !g_str_equal (ext, "csv") && !g_str_equal (ext, "inter"))
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   "--format %s: expected tsv, csv or inter", ext);
      return FALSE;
    }
  const char *dir = opt_out_dir ? opt_out_dir : ".";
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int errsv = errno;
      g_set_error (error, G_FILE_ERROR, g_file_error_from_errno (errsv),
                   "%s: cannot create the directory: %s", dir, g_strerror (errsv));
      return FALSE;
    }

  Model m = {
    .n_users = opt_users,
    .n_items = { opt_source_items, opt_target_items },
    .n_events = opt_events,
    .target_share = opt_target_share,
    .factors = (guint) opt_factors,
    .alpha = opt_alpha,
    .beta = opt_beta,
    .candidates = (guint) opt_candidates,
    .activity_sigma = opt_activity_sigma,
    .overlap = opt_overlap,
    .n_categories = (guint) opt_categories,
    .seed = (guint64) opt_seed,
    .sep = g_str_equal (ext, "csv") ? ',' : '\t',
  };
  gint64 t_start = g_get_monotonic_time ();
  if (!opt_quiet)
    g_printerr ("scalr-planted: building the model (%" G_GUINT64_FORMAT " users, %" G_GUINT64_FORMAT
                " + %" G_GUINT64_FORMAT " items, D = %u)\n",
                m.n_users, m.n_items[0], m.n_items[1], m.factors);
  model_build (&m);

  gboolean ok = write_items (&m, dir, ext, error);
  g_autofree char *events_name = g_strconcat ("events.", ext, NULL);
  g_autofree char *items_path = g_strconcat (dir, G_DIR_SEPARATOR_S, "items.", ext, NULL);
  OutFile f = { 0 };
  ok = ok && out_open (&f, dir, events_name, error);
  if (ok)
    {
      char header[128];
      if (g_str_equal (ext, "inter"))
        g_snprintf (header, sizeof header, "user_id:token\titem_id:token\trating:float\ttimestamp:float\tdomain:token\n");
      else
        g_snprintf (header, sizeof header, "user_id%citem_id%crating%ctimestamp%cdomain\n",
                    m.sep, m.sep, m.sep, m.sep);
      ok = out_write (&f, header, strlen (header), error);
    }

  guint n_threads = opt_threads > 0 ? (guint) opt_threads : MAX (g_get_num_processors (), 1);
  guint64 n_chunks = (m.n_events + CHUNK_EVENTS - 1) / CHUNK_EVENTS;
  guint64 n_domain[2] = { 0, 0 }, ratings[6] = { 0 };
  double affinity_sum = 0;
  g_autofree Chunk *batch = g_new0 (Chunk, n_threads);
  ScalrParallelOptions po = { .n_threads = n_threads, .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC };
  for (guint64 c0 = 0; c0 < n_chunks && ok; c0 += n_threads)
    {
      guint nb = (guint) MIN ((guint64) n_threads, n_chunks - c0);
      for (guint t = 0; t < nb; t++)
        {
          Chunk *c = &batch[t];
          memset (c, 0, sizeof *c);
          c->m = &m;
          c->chunk = c0 + t;
          c->first = c->chunk * CHUNK_EVENTS;
          c->n = MIN ((guint64) CHUNK_EVENTS, m.n_events - c->first);
        }
      /* A batch of chunks on the threads; each chunk has its own stream and buffer. */
      scalr_parallel_for (nb, run_chunks, batch, &po, NULL);
      for (guint t = 0; t < nb; t++)
        {
          Chunk *c = &batch[t];
          ok = ok && out_write (&f, c->buf, c->len, error);
          g_clear_pointer (&c->buf, g_free);
          for (int d = 0; d < 2; d++)
            n_domain[d] += c->n_domain[d];
          for (int r = 0; r < 6; r++)
            ratings[r] += c->ratings[r];
          affinity_sum += c->affinity_sum;
        }
      if (!opt_quiet)
        {
          guint64 done = MIN ((c0 + nb) * CHUNK_EVENTS, m.n_events);
          double secs = (double) (g_get_monotonic_time () - t_start) / 1e6;
          g_printerr ("\rscalr-planted: %" G_GUINT64_FORMAT " / %" G_GUINT64_FORMAT " events (%.0f%%), %.1f s",
                      done, m.n_events, 100.0 * (double) done / (double) m.n_events, secs);
        }
    }
  if (!opt_quiet)
    g_printerr ("\n");
  ok = ok && out_close (&f, error);
  double seconds = (double) (g_get_monotonic_time () - t_start) / 1e6;
  ok = ok && write_json (&m, dir, ext, f.path, items_path, n_domain, ratings,
                         affinity_sum / (double) MAX (m.n_events, 1), seconds, error);
  if (ok && !opt_quiet)
    g_printerr ("scalr-planted: wrote %s (%" G_GUINT64_FORMAT " source + %" G_GUINT64_FORMAT
                " target events), %s and planted.json in %.1f s\n",
                f.path, n_domain[0], n_domain[1], items_path, seconds);
  out_clear (&f);
  model_clear (&m);
  return ok;
}

int
main (int argc, char **argv)
{
  scalr_registry_init ();
  g_autoptr (GOptionContext) ctx = g_option_context_new ("- planted cross-domain interaction data");
  g_option_context_set_summary (ctx,
    "Writes events.FORMAT (user_id, item_id, rating, timestamp, domain), items.FORMAT\n"
    "(item_id, title, genres) and planted.json into --out-dir. Users share latent factors\n"
    "across the source and target domains; item popularity follows a power law.\n"
    "Import with: scalr import --events DIR/events.tsv --items DIR/items.tsv;\n"
    "domains: --source domain:source --target domain:target.");
  g_option_context_add_main_entries (ctx, entries, NULL);
  g_autoptr (GError) error = NULL;
  if (!g_option_context_parse (ctx, &argc, &argv, &error) || !check_options (&error) || !generate (&error))
    {
      g_printerr ("scalr-planted: %s\n", error->message);
      return 1;
    }
  g_free (opt_out_dir);
  g_free (opt_format);
  return 0;
}
