/* test-sampler.c — the sampler on the hand-checked tiny split (test-tiny.h): strategies,
 * filters, targets, weights and the report's counts; determinism across thread counts and
 * bucket-wise alignment on MovieLens. */
#include "config.h"

#include "scalr-registry.h"

#include <math.h>

#include "scalr-sampler.h"
#include "scalr-synthetic.h"
#include "scalr-topk.h"
#include "test-tiny.h"

/* Sampler options from a config with [sampler] key/value pairs (NULL-ended). */
static void
sampler_options (ScalrSamplerOptions *o, ...)
{
  g_autoptr (ScalrConfig) c = scalr_config_new ();
  g_autoptr (GError) error = NULL;
  va_list ap;
  va_start (ap, o);
  const char *key;
  while ((key = va_arg (ap, const char *)) != NULL)
    {
      scalr_config_set (c, "sampler", key, va_arg (ap, const char *), &error);
      g_assert_no_error (error);
    }
  va_end (ap);
  g_assert_true (scalr_sampler_options_from_config (c, o, &error));
  g_assert_no_error (error);
  o->n_threads = 1;
}

static ScalrSyntheticEvents *
run (ScalrGenerator *g, ScalrSplit *split, const ScalrSamplerOptions *o, ScalrSamplerReport *rep)
{
  g_autoptr (GError) error = NULL;
  ScalrSyntheticEvents *ev = scalr_sampler_run (g, split, o, rep, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ev);
  g_assert_true (scalr_synthetic_events_is_valid (ev, scalr_split_get_n_users (split),
                                                  scalr_split_get_n_target_items (split)));
  guint64 sum = 0;
  for (guint64 k = 0; k < ev->n; k++)
    {
      g_assert_cmpuint (ev->count[k], >=, 1);
      sum += ev->count[k];
    }
  g_assert_cmpuint (ev->draws, ==, sum);
  if (rep)
    {
      /* Every draw is either kept (merged into a pair) or counted by one filter, unless a
       * cap removed whole pairs (counted in pairs, not draws). */
      if (rep->capped == 0)
        g_assert_cmpuint (sum, ==, rep->draws - rep->seen - rep->below_min_prob - rep->below_support);
      g_assert_cmpuint (rep->aligned_out, ==, 0);
    }
  return ev;
}

/* The pair (u, i), or -1. */
static gint64
find (const ScalrSyntheticEvents *ev, guint32 u, guint32 i)
{
  for (guint64 k = 0; k < ev->n; k++)
    if (ev->user[k] == u && ev->item[k] == i)
      return (gint64) k;
  return -1;
}

static guint
user_pairs (const ScalrSyntheticEvents *ev, guint32 u)
{
  guint n = 0;
  for (guint64 k = 0; k < ev->n; k++)
    n += ev->user[k] == u;
  return n;
}

static guint64
user_draws (const ScalrSyntheticEvents *ev, guint32 u)
{
  guint64 n = 0;
  for (guint64 k = 0; k < ev->n; k++)
    n += ev->user[k] == u ? ev->count[k] : 0;
  return n;
}

static gboolean
in_row (const ScalrCsr *m, guint u, guint32 i)
{
  for (guint64 k = m->indptr[u]; k < m->indptr[u + 1]; k++)
    if (m->indices[k] == i)
      return TRUE;
  return FALSE;
}

/* P(i|j) for α = 1 (test-tiny.h): rows a, b, c. */
static const double P1[3][N_TINY_ITEMS] = {
  { 31 / 54., 12 / 54., 11 / 54., 0 },
  { 13 / 36., 12 / 36., 11 / 36., 0 },
  { 4 / 9., 3 / 9., 2 / 9., 0 },
};

static void
test_per_event (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  const ScalrCsr *train = scalr_split_get_train (t.split);

  /* K = 3, no filters: 3 draws per source event, 7 source events of 5 users with source
   * events (z has none and gets nothing). */
  ScalrSamplerOptions o;
  sampler_options (&o, "samples_per_event", "3", "exclude_seen", "false", NULL);
  g_assert_cmpint (o.strategy, ==, SCALR_SAMPLE_PER_EVENT);
  g_assert_cmpuint (o.samples_per_event, ==, 3);
  g_assert_false (o.exclude_seen);
  ScalrSamplerReport rep;
  g_autoptr (ScalrSyntheticEvents) ev = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.draws, ==, 21);
  g_assert_cmpuint (rep.users, ==, 5);
  g_assert_cmpuint (rep.seen + rep.below_min_prob + rep.below_support + rep.capped, ==, 0);
  g_assert_cmpuint (ev->draws, ==, 21);
  const guint want_draws[N_TINY_USERS] = { 3, 6, 3, 3, 6, 0 };
  for (guint u = 0; u < N_TINY_USERS; u++)
    g_assert_cmpuint (user_draws (ev, u), ==, want_draws[u]);
  for (guint64 k = 0; k < ev->n; k++)
    {
      g_assert_cmpuint (ev->item[k], !=, TS);   /* probability 0 */
      guint32 u = ev->user[k], i = ev->item[k];
      /* A user with one source item j: the pair's probability is P(i|j); u2 (a, b) and
       * u5 (b, c): one of its source items' P(i|j). */
      if (u == U1 || u == U4)
        g_assert_cmpfloat_with_epsilon (ev->prob[k], P1[SA][i], 1e-6);
      else if (u == U3)
        g_assert_cmpfloat_with_epsilon (ev->prob[k], P1[SB][i], 1e-6);
      else if (u == U2)
        g_assert_true (fabs (ev->prob[k] - P1[SA][i]) < 1e-6 || fabs (ev->prob[k] - P1[SB][i]) < 1e-6);
      else
        g_assert_true (fabs (ev->prob[k] - P1[SB][i]) < 1e-6 || fabs (ev->prob[k] - P1[SC][i]) < 1e-6);
      /* Constant weight λ = 1 times the count. */
      g_assert_cmpfloat (ev->weight[k], ==, (float) ev->count[k]);
    }

  /* One stream per user, SCALR_STREAM_SAMPLER indexed by the user: replaying the draws
   * (source events in order, K each) gives exactly the merged counts. */
  for (guint u = 0; u < UZ; u++)
    {
      ScalrRng rng;
      scalr_rng_init (&rng, o.seed, SCALR_STREAM_SAMPLER, u);
      guint want[N_TINY_ITEMS] = { 0 };
      const ScalrCsr *S = scalr_split_get_source (t.split);
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        for (guint d = 0; d < 3; d++)
          {
            guint32 item;
            float prob;
            g->klass->item_draw (g->model, S->indices[a], &rng, &item, &prob);
            want[item]++;
          }
      for (guint i = 0; i < N_TINY_ITEMS; i++)
        {
          gint64 at = find (ev, u, i);
          g_assert_cmpuint (at >= 0 ? ev->count[at] : 0, ==, want[i]);
        }
    }

  /* exclude_seen drops training items: K = 50 makes seen items certain to be drawn. */
  sampler_options (&o, "samples_per_event", "50", "exclude_seen", "true", NULL);
  g_autoptr (ScalrSyntheticEvents) ev2 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.draws, ==, 350);
  g_assert_cmpuint (rep.seen, >, 0);
  for (guint64 k = 0; k < ev2->n; k++)
    g_assert_false (in_row (train, ev2->user[k], ev2->item[k]));
  /* u1 has trained on p and q: only r remains; u5 has no training events: nothing seen. */
  g_assert_cmpuint (user_pairs (ev2, U1), ==, 1);
  g_assert_cmpint (find (ev2, U1, TR), >=, 0);
  g_assert_cmpuint (user_draws (ev2, U5), ==, 100);
  /* The seen count is exactly the draws of training items: u5 loses none. */
  guint64 kept_u1 = user_draws (ev2, U1);
  g_assert_cmpuint (kept_u1, <, 50);
  /* With the same seed and K, the unfiltered run gives the same draws; the filter only
   * removes. */
  sampler_options (&o, "samples_per_event", "50", "exclude_seen", "false", NULL);
  ScalrSamplerReport rep_all;
  g_autoptr (ScalrSyntheticEvents) ev3 = run (g, t.split, &o, &rep_all);
  guint64 seen_draws = 0;
  for (guint64 k = 0; k < ev3->n; k++)
    if (in_row (train, ev3->user[k], ev3->item[k]))
      seen_draws += ev3->count[k];
    else
      {
        gint64 at = find (ev2, ev3->user[k], ev3->item[k]);
        g_assert_cmpint (at, >=, 0);
        g_assert_cmpuint (ev2->count[at], ==, ev3->count[k]);
      }
  g_assert_cmpuint (seen_draws, ==, rep.seen);

  /* samples_per_event = 0: no events, no draws. */
  sampler_options (&o, "samples_per_event", "0", NULL);
  g_autoptr (ScalrSyntheticEvents) none = run (g, t.split, &o, &rep);
  g_assert_cmpuint (none->n, ==, 0);
  g_assert_cmpuint (none->draws, ==, 0);
  g_assert_cmpuint (rep.draws, ==, 0);
  tiny_close (&t);
}

static void
test_filters (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  ScalrSamplerOptions o;
  ScalrSamplerReport rep;

  /* min_prob 0.25: a's q (12/54) and r (11/54) and c's r (2/9) fail; b's items (≥ 11/36)
   * and the rest pass. */
  sampler_options (&o, "samples_per_event", "40", "exclude_seen", "false", "min_prob", "0.25", NULL);
  g_autoptr (ScalrSyntheticEvents) ev = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.below_min_prob, >, 0);
  g_assert_cmpuint (rep.below_support, ==, 0);
  for (guint64 k = 0; k < ev->n; k++)
    g_assert_cmpfloat (ev->prob[k], >=, 0.25f);
  g_assert_cmpuint (user_pairs (ev, U1), ==, 1);
  g_assert_cmpint (find (ev, U1, TP), >=, 0);
  g_assert_cmpuint (user_pairs (ev, U4), ==, 1);
  g_assert_cmpuint (user_draws (ev, U3), ==, 40);   /* b: every item ≥ 11/36 */
  g_assert_cmpuint (user_pairs (ev, U3), ==, 3);
  /* Drops of u1 + u4 (a) and of u2, u5's c-draws of r; the total matches the report. */
  guint64 kept = 0;
  for (guint64 k = 0; k < ev->n; k++)
    kept += ev->count[k];
  g_assert_cmpuint (rep.below_min_prob, ==, 280 - kept);

  /* min_support 2: only C[a,p] = 3 reaches it; c (no co-occurrences) never does. */
  sampler_options (&o, "samples_per_event", "40", "exclude_seen", "false", "min_support", "2", NULL);
  g_autoptr (ScalrSyntheticEvents) ev2 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.below_support, >, 0);
  g_assert_cmpuint (rep.below_min_prob, ==, 0);
  for (guint64 k = 0; k < ev2->n; k++)
    g_assert_cmpuint (ev2->item[k], ==, TP);
  g_assert_cmpuint (user_pairs (ev2, U3), ==, 0);
  g_assert_cmpuint (user_pairs (ev2, U5), ==, 0);
  g_assert_cmpuint (user_pairs (ev2, U1), ==, 1);
  g_assert_cmpuint (user_pairs (ev2, U2), ==, 1);
  /* u2's p comes from a only (b's draws of p have support 1). */
  g_assert_cmpfloat_with_epsilon (ev2->prob[find (ev2, U2, TP)], 31 / 54., 1e-6);

  /* max_per_user keeps the most probable: u2 draws p, q, r from a and b with the largest
   * probabilities p 31/54, q 12/36, r 11/36: cap 1 keeps p, cap 2 p and q. */
  sampler_options (&o, "samples_per_event", "40", "exclude_seen", "false", "max_per_user", "2", NULL);
  g_autoptr (ScalrSyntheticEvents) ev3 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (user_pairs (ev3, U2), ==, 2);
  g_assert_cmpint (find (ev3, U2, TP), >=, 0);
  g_assert_cmpint (find (ev3, U2, TQ), >=, 0);
  g_assert_cmpfloat_with_epsilon (ev3->prob[find (ev3, U2, TQ)], 1 / 3., 1e-6);
  /* u1 (a): p 31/54, q 12/54, r 11/54: p and q. */
  g_assert_cmpint (find (ev3, U1, TP), >=, 0);
  g_assert_cmpint (find (ev3, U1, TQ), >=, 0);
  g_assert_cmpint (find (ev3, U1, TR), <, 0);
  /* Every user with source events drew all of p, q, r (40 draws each): one capped each. */
  g_assert_cmpuint (rep.capped, ==, 5);
  for (guint u = 0; u < N_TINY_USERS; u++)
    g_assert_cmpuint (user_pairs (ev3, u), <=, 2);
  /* The counts travel with their items: u2's p count is the uncapped run's. */
  sampler_options (&o, "samples_per_event", "40", "exclude_seen", "false", NULL);
  g_autoptr (ScalrSyntheticEvents) ev4 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (ev3->count[find (ev3, U2, TP)], ==, ev4->count[find (ev4, U2, TP)]);
  g_assert_cmpuint (ev3->count[find (ev3, U2, TQ)], ==, ev4->count[find (ev4, U2, TQ)]);
  /* With β = 1 and α = 0, P(·|a) = (9, 4, 6, 0)/19: the second most probable item is r, not
   * the next id. */
  {
    g_autoptr (ScalrConfig) cb = gen_config ("cooc", "1", "smoothing", "0", "beta", "1", NULL);
    g_autoptr (ScalrGenerator) gb = gen_fit (t.split, cb);
    sampler_options (&o, "samples_per_event", "40", "exclude_seen", "false", "max_per_user", "2", NULL);
    g_autoptr (ScalrSyntheticEvents) evb = run (gb, t.split, &o, &rep);
    g_assert_cmpuint (user_pairs (evb, U1), ==, 2);
    g_assert_cmpint (find (evb, U1, TP), >=, 0);
    g_assert_cmpint (find (evb, U1, TR), >=, 0);
    g_assert_cmpfloat_with_epsilon (evb->prob[find (evb, U1, TR)], 6 / 19., 1e-6);
  }
  sampler_options (&o, "samples_per_event", "40", "exclude_seen", "false", "max_per_user", "1", NULL);
  g_autoptr (ScalrSyntheticEvents) ev5 = run (g, t.split, &o, &rep);
  for (guint u = 0; u < UZ; u++)
    {
      g_assert_cmpuint (user_pairs (ev5, u), ==, 1);
      g_assert_cmpint (find (ev5, u, TP), >=, 0);   /* p is the most probable for everyone */
    }

  /* Weights: λ × count, or λ × p × count. */
  sampler_options (&o, "samples_per_event", "5", "exclude_seen", "false", "weight", "2.5", NULL);
  g_autoptr (ScalrSyntheticEvents) w1 = run (g, t.split, &o, &rep);
  for (guint64 k = 0; k < w1->n; k++)
    g_assert_cmpfloat_with_epsilon (w1->weight[k], 2.5 * w1->count[k], 1e-6);
  sampler_options (&o, "samples_per_event", "5", "exclude_seen", "false", "weight", "2.5",
                   "weight_mode", "probability", NULL);
  g_assert_cmpint (o.weight_mode, ==, SCALR_WEIGHT_PROBABILITY);
  g_autoptr (ScalrSyntheticEvents) w2 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (w2->n, ==, w1->n);
  for (guint64 k = 0; k < w2->n; k++)
    {
      g_assert_cmpfloat_with_epsilon (w2->weight[k], 2.5 * w2->prob[k] * w2->count[k], 1e-6);
      g_assert_cmpfloat (w2->weight[k], <, w1->weight[k]);
    }
  tiny_close (&t);
}

static void check_movielens_targets (guint keep);

static void
test_targets (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  ScalrSamplerOptions o;
  ScalrSamplerReport rep;
  /* Cold: u5 (source events, no training events); sparse: nobody in the tiny split. */
  sampler_options (&o, "samples_per_event", "2", "targets", "cold", NULL);
  g_assert_cmpint (o.targets, ==, SCALR_TARGETS_COLD);
  g_autoptr (ScalrSyntheticEvents) cold = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.users, ==, 1);
  g_assert_cmpuint (rep.draws, ==, 4);
  g_assert_cmpuint (cold->draws, ==, 4);
  for (guint64 k = 0; k < cold->n; k++)
    g_assert_cmpuint (cold->user[k], ==, U5);
  sampler_options (&o, "samples_per_event", "2", "targets", "sparse", NULL);
  g_autoptr (ScalrSyntheticEvents) sparse = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.users, ==, 0);
  g_assert_cmpuint (sparse->n, ==, 0);
  tiny_close (&t);

  /* MovieLens with 30% sparse users, cold (keep 0) or keeping 2 training events. */
  for (guint keep = 0; keep <= 2; keep += 2)
    check_movielens_targets (keep);
}

static void
check_movielens_targets (guint keep)
{
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  so.sparse_keep = keep;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrSplit) split = scalr_split_new (movielens (), &so, &error);
  g_assert_no_error (error);
  ScalrSamplerOptions o;
  ScalrSamplerReport rep;
  g_autoptr (ScalrConfig) c2 = gen_config ("cooc", "1", NULL);
  g_autoptr (ScalrGenerator) g2 = gen_fit (split, c2);
  const guint8 *f = scalr_split_get_user_flags (split);
  const ScalrCsr *S = scalr_split_get_source (split);
  guint n_users = scalr_split_get_n_users (split);
  const struct { const char *name; guint8 flag; } cases[] = {
    { "all", SCALR_USER_HAS_SOURCE }, { "sparse", SCALR_USER_SPARSE }, { "cold", SCALR_USER_COLD },
  };
  for (guint k = 0; k < G_N_ELEMENTS (cases); k++)
    {
      sampler_options (&o, "samples_per_event", "1", "targets", cases[k].name, NULL);
      g_autoptr (ScalrSyntheticEvents) ev = run (g2, split, &o, &rep);
      g_autofree gboolean *has = g_new0 (gboolean, n_users);
      for (guint64 e = 0; e < ev->n; e++)
        {
          g_assert_true (f[ev->user[e]] & cases[k].flag);
          g_assert_true (f[ev->user[e]] & SCALR_USER_HAS_SOURCE);
          has[ev->user[e]] = TRUE;
        }
      guint want = 0;
      guint64 source_events = 0;
      for (guint u = 0; u < n_users; u++)
        if ((f[u] & cases[k].flag) && (f[u] & SCALR_USER_HAS_SOURCE))
          {
            want++;
            source_events += scalr_csr_row_len (S, u);
          }
      if (keep == 0 || k < 2)
        g_assert_cmpuint (want, >, 10);
      g_assert_cmpuint (rep.users, ==, want);
      g_assert_cmpuint (rep.draws, ==, source_events);
      /* Cold users have nothing to exclude, so every one of them has events. */
      if (k == 2 || (k == 1 && keep == 0))
        for (guint u = 0; u < n_users; u++)
          if ((f[u] & cases[k].flag) && (f[u] & SCALR_USER_HAS_SOURCE))
            g_assert_true (has[u]);
      g_test_message ("sparse_keep=%u, targets=%s: %u users, %" G_GUINT64_FORMAT " pairs", keep, cases[k].name, want, ev->n);
    }
}

static void
test_topk (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  ScalrSamplerOptions o;
  ScalrSamplerReport rep;
  /* k = 1 without exclusion: the argmax of every source event is p (a: 31/54, b: 13/36,
   * c: 4/9); u2 and u5 have two source events each. */
  sampler_options (&o, "strategy", "topk", "k", "1", "exclude_seen", "false", NULL);
  g_autoptr (ScalrSyntheticEvents) ev = run (g, t.split, &o, &rep);
  g_assert_cmpuint (ev->n, ==, 5);
  g_assert_cmpuint (rep.draws, ==, 7);
  const guint counts[5] = { 1, 2, 1, 1, 2 };
  const double probs[5] = { 31 / 54., 31 / 54., 13 / 36., 31 / 54., 4 / 9. };
  for (guint u = 0; u < 5; u++)
    {
      gint64 at = find (ev, u, TP);
      g_assert_cmpint (at, >=, 0);
      g_assert_cmpuint (ev->count[at], ==, counts[u]);
      g_assert_cmpfloat_with_epsilon (ev->prob[at], probs[u], 1e-6);
    }
  /* With exclusion, the best unseen item per source event:
   *   u1 (seen p q):  a → r          u2 (seen p r): a → q, b → q (count 2)
   *   u3 (seen q):    b → p          u4 (seen p):   a → q
   *   u5 (nothing):   b → p, c → p (count 2)
   * considered candidates: u1 3, u2 2+2, u3 1, u4 2, u5 1+1 = 12; seen 2+2+0+1+0 = 5. */
  sampler_options (&o, "strategy", "topk", "k", "1", "exclude_seen", "true", "seed", "1", NULL);
  g_autoptr (ScalrSyntheticEvents) ex = run (g, t.split, &o, &rep);
  g_assert_cmpuint (ex->n, ==, 5);
  g_assert_cmpint (find (ex, U1, TR), >=, 0);
  g_assert_cmpint (find (ex, U2, TQ), >=, 0);
  g_assert_cmpuint (ex->count[find (ex, U2, TQ)], ==, 2);
  g_assert_cmpfloat_with_epsilon (ex->prob[find (ex, U2, TQ)], 1 / 3., 1e-6);
  g_assert_cmpint (find (ex, U3, TP), >=, 0);
  g_assert_cmpint (find (ex, U4, TQ), >=, 0);
  g_assert_cmpuint (ex->count[find (ex, U5, TP)], ==, 2);
  g_assert_cmpuint (rep.draws, ==, 12);
  g_assert_cmpuint (rep.seen, ==, 5);
  /* Deterministic: another seed, the same events. */
  sampler_options (&o, "strategy", "topk", "k", "1", "exclude_seen", "true", "seed", "99", NULL);
  g_autoptr (ScalrSyntheticEvents) ex2 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (ex2->n, ==, ex->n);
  g_assert_cmpmem (ex2->item, ex->n * 4, ex->item, ex->n * 4);
  g_assert_cmpmem (ex2->user, ex->n * 4, ex->user, ex->n * 4);
  /* k = 2 without exclusion: a → p, q; b → p, q (q 12/36 beats r 11/36); c → p, q. */
  sampler_options (&o, "strategy", "topk", "k", "2", "exclude_seen", "false", NULL);
  g_autoptr (ScalrSyntheticEvents) k2 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (k2->n, ==, 10);
  for (guint64 e = 0; e < k2->n; e++)
    g_assert_cmpuint (k2->item[e], <=, TQ);
  /* k larger than the candidates: every item of positive probability, never s. */
  sampler_options (&o, "strategy", "topk", "k", "10", "exclude_seen", "false", NULL);
  g_autoptr (ScalrSyntheticEvents) k10 = run (g, t.split, &o, &rep);
  g_assert_cmpuint (k10->n, ==, 15);
  for (guint64 e = 0; e < k10->n; e++)
    g_assert_cmpuint (k10->item[e], !=, TS);
  tiny_close (&t);
}

static void
test_per_user (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", "smoothing", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  const ScalrCsr *train = scalr_split_get_train (t.split);
  const guint n_source[N_TINY_USERS] = { 1, 2, 1, 1, 2, 0 };
  /* Unseen items of positive probability (s has none): u1 {r}, u2 {q}, u3 {p, r},
   * u4 {q, r}, u5 {p, q, r}. */
  const guint available[N_TINY_USERS] = { 1, 1, 2, 2, 3, 0 };
  const double ratios[] = { 0.4, 0.5, 1.0, 2.0, 3.0 };
  for (guint r = 0; r < G_N_ELEMENTS (ratios); r++)
    for (guint seed = 0; seed < 20; seed++)
      {
        ScalrSamplerOptions o;
        g_autofree char *ratio = g_strdup_printf ("%g", ratios[r]);
        g_autofree char *s = g_strdup_printf ("%u", seed);
        sampler_options (&o, "strategy", "per_user", "user_ratio", ratio, "seed", s, NULL);
        ScalrSamplerReport rep;
        g_autoptr (ScalrSyntheticEvents) ev = run (g, t.split, &o, &rep);
        g_assert_cmpuint (rep.users, ==, 5);
        for (guint u = 0; u < N_TINY_USERS; u++)
          {
            guint budget = (guint) floor (ratios[r] * n_source[u] + 0.5);
            g_assert_cmpuint (user_pairs (ev, u), ==, MIN (budget, available[u]));
          }
        for (guint64 k = 0; k < ev->n; k++)
          {
            g_assert_cmpuint (ev->count[k], ==, 1);   /* without replacement */
            g_assert_false (in_row (train, ev->user[k], ev->item[k]));
            g_assert_cmpuint (ev->item[k], !=, TS);
          }
      }
  /* Without exclusion, u5 at ratio 2 gets 3 items; u1 at ratio 3 gets p, q, r. */
  ScalrSamplerOptions o;
  sampler_options (&o, "strategy", "per_user", "user_ratio", "3", "exclude_seen", "false", NULL);
  ScalrSamplerReport rep;
  g_autoptr (ScalrSyntheticEvents) ev = run (g, t.split, &o, &rep);
  g_assert_cmpuint (user_pairs (ev, U1), ==, 3);
  g_assert_cmpuint (user_pairs (ev, U5), ==, 3);
  /* The probability of a pair is P(i|u): u1's p is 31/54. */
  g_assert_cmpfloat_with_epsilon (ev->prob[find (ev, U1, TP)], 31 / 54., 1e-6);
  g_assert_cmpfloat_with_epsilon (ev->prob[find (ev, U5, TP)], 29 / 72., 1e-6);

  /* Gumbel-top-1 draws from P(·|u): u1's single item at ratio 1 without exclusion is p,
   * q, r with frequencies 31/54, 12/54, 11/54 over seeds (2000 seeds: 5σ ≈ 0.055). */
  guint hits[N_TINY_ITEMS] = { 0 };
  const guint n_seeds = 2000;
  for (guint seed = 0; seed < n_seeds; seed++)
    {
      g_autofree char *s = g_strdup_printf ("%u", seed);
      sampler_options (&o, "strategy", "per_user", "user_ratio", "1", "exclude_seen", "false", "targets", "all",
                       "seed", s, NULL);
      g_autoptr (ScalrSyntheticEvents) one = run (g, t.split, &o, NULL);
      for (guint i = 0; i < N_TINY_ITEMS; i++)
        hits[i] += find (one, U1, i) >= 0;
    }
  g_assert_cmpuint (hits[TS], ==, 0);
  for (guint i = 0; i < 3; i++)
    {
      double pi = P1[SA][i], f = (double) hits[i] / n_seeds;
      g_assert_cmpfloat (fabs (f - pi), <, 5 * sqrt (pi * (1 - pi) / n_seeds));
    }

  /* The sampler's temperature: τ = 0.05 draws from P^20 (p always: (12/31)^20 < 1e-8);
   * τ = 100 from P^0.01, nearly uniform over p, q, r: p's share about 1/3, not 31/54. */
  const char *temps[] = { "0.05", "100" };
  for (guint k = 0; k < 2; k++)
    {
      guint hit_p = 0, n = 400;
      for (guint seed = 0; seed < n; seed++)
        {
          g_autofree char *sd = g_strdup_printf ("%u", seed);
          sampler_options (&o, "strategy", "per_user", "user_ratio", "1", "exclude_seen", "false", "temperature",
                           temps[k], "seed", sd, NULL);
          g_autoptr (ScalrSyntheticEvents) one = run (g, t.split, &o, NULL);
          g_assert_cmpuint (user_pairs (one, U1), ==, 1);
          hit_p += find (one, U1, TP) >= 0;
        }
      if (k == 0)
        g_assert_cmpuint (hit_p, ==, n);
      else
        g_assert_cmpfloat (fabs ((double) hit_p / n - 0.3356), <, 5 * sqrt (0.3356 * 0.6644 / n));
    }

  /* Budget "match": drawn from the real training activities (1, 2 or 3 here). */
  sampler_options (&o, "strategy", "per_user", "user_budget", "match", "exclude_seen", "false", NULL);
  g_autoptr (ScalrSyntheticEvents) m = run (g, t.split, &o, &rep);
  for (guint u = 0; u < UZ; u++)
    {
      g_assert_cmpuint (user_pairs (m, u), >=, 1);
      g_assert_cmpuint (user_pairs (m, u), <=, 3);
    }
  /* The activities of users with training events are 2, 2, 1, 1, 3: over seeds, u5 (three
   * items of positive probability, nothing excluded) gets 1, 2, 3 items with frequencies
   * .4, .4, .2 (500 seeds: 5σ ≤ 0.11). */
  guint sizes[4] = { 0 };
  for (guint seed = 0; seed < 500; seed++)
    {
      g_autofree char *sd = g_strdup_printf ("%u", seed);
      sampler_options (&o, "strategy", "per_user", "user_budget", "match", "exclude_seen", "false", "targets", "cold",
                       "seed", sd, NULL);
      g_autoptr (ScalrSyntheticEvents) one = run (g, t.split, &o, NULL);
      sizes[user_pairs (one, U5)]++;
    }
  g_assert_cmpuint (sizes[0], ==, 0);
  const double share[4] = { 0, 0.4, 0.4, 0.2 };
  for (guint k = 1; k < 4; k++)
    g_assert_cmpfloat (fabs (sizes[k] / 500.0 - share[k]), <, 5 * sqrt (share[k] * (1 - share[k]) / 500));
  tiny_close (&t);
}

/* Generators without per-source-item distributions: per_event draws K × |S_u| from P(·|u),
 * topk takes the k best per user. */
static void
test_user_level_generator (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("ridge", "1", "l2", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  ScalrSamplerOptions o;
  ScalrSamplerReport rep;
  sampler_options (&o, "samples_per_event", "4", "exclude_seen", "false", NULL);
  g_autoptr (ScalrSyntheticEvents) ev = run (g, t.split, &o, &rep);
  g_assert_cmpuint (rep.draws, ==, 28);
  g_assert_cmpuint (ev->draws, ==, 28);
  g_assert_cmpuint (user_draws (ev, U2), ==, 8);
  /* topk k = 1: u1's best score is p (W_a = (8, 2, 2, 0)/11); with exclusion r's and q's
   * tie at 2/11 and q (the smaller id) wins. min_support does not apply to user-level
   * draws. */
  sampler_options (&o, "strategy", "topk", "k", "1", "exclude_seen", "false", "min_support", "5", NULL);
  g_autoptr (ScalrSyntheticEvents) top = run (g, t.split, &o, &rep);
  g_assert_cmpuint (user_pairs (top, U1), ==, 1);
  g_assert_cmpint (find (top, U1, TP), >=, 0);
  g_assert_cmpuint (rep.below_support, ==, 0);
  sampler_options (&o, "strategy", "topk", "k", "1", NULL);
  g_autoptr (ScalrSyntheticEvents) top2 = run (g, t.split, &o, &rep);
  g_assert_cmpint (find (top2, U4, TQ), >=, 0);
  g_assert_cmpint (find (top2, U1, TR), >=, 0);   /* u1 has seen p and q */
  tiny_close (&t);
}

/* User-level topk on MovieLens: exactly the k most probable unseen items of each user
 * (ties by item id), computed here by sorting. */
static gint
cmp_prob_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const float *p = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  if (p[x] != p[y])
    return p[x] > p[y] ? -1 : 1;
  return x < y ? -1 : (x > y);
}

static void
test_topk_user_level_movielens (void)
{
  g_autoptr (ScalrSplit) split = movielens_split ();
  g_autoptr (ScalrConfig) c = gen_config ("ridge", "1", "max_source_items", "200", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (split, c);
  const ScalrCsr *train = scalr_split_get_train (split), *S = scalr_split_get_source (split);
  guint n_items = g->n_items;
  ScalrSamplerOptions o;
  sampler_options (&o, "strategy", "topk", "k", "25", NULL);
  g_autoptr (ScalrSyntheticEvents) ev = run (g, split, &o, NULL);
  g_autofree float *p = g_new (float, n_items);
  g_autofree guint32 *order = g_new (guint32, n_items);
  guint64 at = 0;
  guint checked = 0;
  for (guint u = 0; u < scalr_split_get_n_users (split); u++)
    {
      if (scalr_csr_row_len (S, u) == 0)
        continue;
      scalr_generator_probabilities (g, &u, 1, p);
      guint n = 0;
      for (guint i = 0; i < n_items; i++)
        if (!in_row (train, u, i))
          order[n++] = i;
      g_qsort_with_data (order, (gint) n, sizeof (guint32), cmp_prob_desc, p);
      n = MIN (n, 25);
      /* The sampler scores users in batches (another sgemm blocking than one user alone), so
       * probabilities agree to float rounding: near-ties at the k-th place may swap. Every
       * item taken is unseen and at least as probable as the k-th best, up to rounding. */
      float kth = p[order[n - 1]];
      guint same = 0;
      qsort (order, n, sizeof (guint32), scalr_cmp_u32);
      for (guint k = 0; k < n; k++, at++)
        {
          g_assert_cmpuint (at, <, ev->n);
          g_assert_cmpuint (ev->user[at], ==, u);
          g_assert_false (in_row (train, u, ev->item[at]));
          g_assert_cmpfloat (p[ev->item[at]], >=, kth * (1 - 1e-5f));
          g_assert_cmpfloat_with_epsilon (ev->prob[at], p[ev->item[at]], 1e-5 * p[ev->item[at]]);
          same += bsearch (&ev->item[at], order, n, sizeof (guint32), scalr_cmp_u32) != NULL;
        }
      g_assert_cmpuint (same, >=, n - 1);
      checked++;
    }
  g_assert_cmpuint (at, ==, ev->n);
  g_assert_cmpuint (checked, >, 600);
}

/* ---- MovieLens: determinism and alignment --------------------------------------------- */

static void
assert_same_events (const ScalrSyntheticEvents *a, const ScalrSyntheticEvents *b)
{
  g_assert_cmpuint (a->n, ==, b->n);
  g_assert_cmpuint (a->draws, ==, b->draws);
  g_assert_cmpmem (a->user, a->n * sizeof (guint32), b->user, b->n * sizeof (guint32));
  g_assert_cmpmem (a->item, a->n * sizeof (guint32), b->item, b->n * sizeof (guint32));
  g_assert_cmpmem (a->count, a->n * sizeof (guint32), b->count, b->n * sizeof (guint32));
  g_assert_cmpmem (a->prob, a->n * sizeof (float), b->prob, b->n * sizeof (float));
  g_assert_cmpmem (a->weight, a->n * sizeof (float), b->weight, b->n * sizeof (float));
}

static void
assert_same_report (const ScalrSamplerReport *a, const ScalrSamplerReport *b)
{
  g_assert_cmpuint (a->draws, ==, b->draws);
  g_assert_cmpuint (a->below_min_prob, ==, b->below_min_prob);
  g_assert_cmpuint (a->below_support, ==, b->below_support);
  g_assert_cmpuint (a->seen, ==, b->seen);
  g_assert_cmpuint (a->capped, ==, b->capped);
  g_assert_cmpuint (a->aligned_out, ==, b->aligned_out);
  g_assert_cmpuint (a->users, ==, b->users);
}

static gboolean
same_events (const ScalrSyntheticEvents *a, const ScalrSyntheticEvents *b)
{
  return a->n == b->n && memcmp (a->user, b->user, a->n * 4) == 0 && memcmp (a->item, b->item, a->n * 4) == 0
         && memcmp (a->count, b->count, a->n * 4) == 0;
}

static void
check_determinism (ScalrGenerator *g, ScalrSplit *split, const char *strategy)
{
  ScalrSamplerOptions o;
  sampler_options (&o, "strategy", strategy, "samples_per_event", "2", "user_ratio", "1.5", "seed", "11", NULL);
  ScalrSamplerReport r1, r2, r7;
  g_autoptr (ScalrSyntheticEvents) e1 = run (g, split, &o, &r1);
  o.n_threads = 2;
  g_autoptr (ScalrSyntheticEvents) e2 = run (g, split, &o, &r2);
  o.n_threads = 7;
  g_autoptr (ScalrSyntheticEvents) e7 = run (g, split, &o, &r7);
  o.n_threads = 0;   /* the thread policy */
  g_autoptr (ScalrSyntheticEvents) e0 = run (g, split, &o, NULL);
  g_assert_cmpuint (e1->n, >, 1000);
  assert_same_events (e1, e2);
  assert_same_events (e1, e7);
  assert_same_events (e1, e0);
  assert_same_report (&r1, &r2);
  assert_same_report (&r1, &r7);
  o.seed = 12;
  g_autoptr (ScalrSyntheticEvents) other = run (g, split, &o, NULL);
  g_assert_false (same_events (e1, other));
  g_test_message ("%s %s: %" G_GUINT64_FORMAT " pairs from %" G_GUINT64_FORMAT " draws", g->klass->name, strategy,
                  e1->n, r1.draws);
}

static void
test_determinism (void)
{
  g_autoptr (ScalrSplit) split = movielens_split ();
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "0.8", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (split, c);
  check_determinism (g, split, "per_event");
  check_determinism (g, split, "per_user");
  g_autoptr (ScalrConfig) cr = gen_config ("ridge", "1", "max_source_items", "200", NULL);
  g_autoptr (ScalrGenerator) gr = gen_fit (split, cr);
  check_determinism (gr, split, "per_user");
  check_determinism (gr, split, "per_event");
}

/* Shares of @n_buckets buckets of the real training events and of the synthetic pairs. */
static double
bucket_jsd (const ScalrSyntheticEvents *ev, const ScalrCsr *train, const guint8 *bucket, guint n_buckets)
{
  g_autofree double *real = g_new0 (double, n_buckets);
  g_autofree double *syn = g_new0 (double, n_buckets);
  for (guint64 k = 0; k < train->nnz; k++)
    real[bucket[train->indices[k]]] += 1;
  for (guint64 k = 0; k < ev->n; k++)
    syn[bucket[ev->item[k]]] += 1;
  return scalr_jsd (real, syn, n_buckets);
}

/* Every event of @sub is in @ev with the same values. Both are sorted by (user, item). */
static void
assert_subset (const ScalrSyntheticEvents *sub, const ScalrSyntheticEvents *ev)
{
  guint64 at = 0;
  for (guint64 k = 0; k < sub->n; k++)
    {
      while (at < ev->n && (ev->user[at] < sub->user[k] || (ev->user[at] == sub->user[k] && ev->item[at] < sub->item[k])))
        at++;
      g_assert_cmpuint (at, <, ev->n);
      g_assert_cmpuint (ev->user[at], ==, sub->user[k]);
      g_assert_cmpuint (ev->item[at], ==, sub->item[k]);
      g_assert_cmpfloat (ev->prob[at], ==, sub->prob[k]);
      g_assert_cmpfloat (ev->weight[at], ==, sub->weight[k]);
      g_assert_cmpuint (ev->count[at], ==, sub->count[k]);
    }
}

static void
test_align (void)
{
  g_autoptr (ScalrSplit) split = movielens_split ();
  const ScalrCsr *train = scalr_split_get_train (split);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (split, c);
  ScalrSamplerOptions o;
  sampler_options (&o, "samples_per_event", "1", "align", "popularity", "align_buckets", "5", NULL);
  g_assert_cmpint (o.align, ==, SCALR_ALIGN_POPULARITY);
  ScalrSamplerReport rep;
  g_autoptr (ScalrSyntheticEvents) ev = run (g, split, &o, &rep);

  /* Popularity buckets. */
  g_autofree guint8 *bucket = scalr_popularity_buckets (train, 5);
  double before = bucket_jsd (ev, train, bucket, 5);
  ScalrSamplerReport arep = rep;
  g_autoptr (ScalrSyntheticEvents) al = scalr_sampler_align (ev, split, &o, &arep);
  g_assert_true (scalr_synthetic_events_is_valid (al, scalr_split_get_n_users (split), scalr_split_get_n_target_items (split)));
  double after = bucket_jsd (al, train, bucket, 5);
  g_test_message ("popularity buckets: JSD %.6f before, %.6f after alignment (%" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT " pairs)",
                  before, after, ev->n, al->n);
  g_assert_cmpfloat (before, >, 0.001);
  g_assert_cmpfloat (after, <, before);
  g_assert_cmpfloat (after, <, 0.01);   /* shares match up to the binomial noise of the thinning */
  g_assert_cmpuint (al->n, <, ev->n);
  g_assert_cmpuint (al->n, >, 0);
  g_assert_cmpuint (arep.aligned_out, ==, ev->n - al->n);
  g_assert_cmpuint (arep.draws, ==, rep.draws);
  assert_subset (al, ev);
  guint64 sum = 0;
  for (guint64 k = 0; k < al->n; k++)
    sum += al->count[k];
  g_assert_cmpuint (al->draws, ==, sum);
  /* The most under-represented bucket keeps every pair. */
  double real[5] = { 0 }, syn[5] = { 0 }, kept[5] = { 0 };
  for (guint64 k = 0; k < train->nnz; k++)
    real[bucket[train->indices[k]]] += 1;
  for (guint64 k = 0; k < ev->n; k++)
    syn[bucket[ev->item[k]]] += 1;
  for (guint64 k = 0; k < al->n; k++)
    kept[bucket[al->item[k]]] += 1;
  guint best = 0;
  for (guint b = 1; b < 5; b++)
    if (syn[b] > 0 && real[b] / syn[b] > real[best] / syn[best])
      best = b;
  g_assert_cmpfloat (kept[best], ==, syn[best]);
  /* Each bucket is thinned with keep_b = (r_b / s_b) / max_b' (r_b' / s_b') (shares r of the
   * real training events, s of the synthetic pairs): kept_b ~ Binomial (s_b, keep_b),
   * within 5 standard deviations. */
  double keep[5];
  for (guint b = 0; b < 5; b++)
    {
      g_assert_cmpfloat (syn[b], >, 0);
      keep[b] = ((real[b] / (double) train->nnz) / (syn[b] / (double) ev->n))
                / ((real[best] / (double) train->nnz) / (syn[best] / (double) ev->n));
      double mean = syn[b] * keep[b], sd = sqrt (syn[b] * keep[b] * (1 - keep[b]));
      if (fabs (kept[b] - mean) > 5 * sd + 1e-9)
        g_error ("bucket %u: kept %.0f of %.0f, expected %.1f ± %.1f", b, kept[b], syn[b], mean, 5 * sd);
    }
  /* One stream per user (SCALR_STREAM_ALIGN, indexed by the user), one uniform per pair in
   * order: replaying it gives exactly the kept pairs. */
  {
    guint64 w = 0;
    ScalrRng rng;
    for (guint64 k = 0; k < ev->n; k++)
      {
        if (k == 0 || ev->user[k] != ev->user[k - 1])
          scalr_rng_init (&rng, o.seed, SCALR_STREAM_ALIGN, ev->user[k]);
        if (scalr_rng_uniform (&rng) >= keep[bucket[ev->item[k]]])
          continue;
        g_assert_cmpuint (w, <, al->n);
        g_assert_cmpuint (al->user[w], ==, ev->user[k]);
        g_assert_cmpuint (al->item[w], ==, ev->item[k]);
        w++;
      }
    g_assert_cmpuint (w, ==, al->n);
  }
  /* Deterministic for a seed; NULL report is fine. */
  g_autoptr (ScalrSyntheticEvents) al2 = scalr_sampler_align (ev, split, &o, NULL);
  assert_same_events (al, al2);

  /* Category buckets: the first category of each target item. */
  o.align = SCALR_ALIGN_CATEGORY;
  ScalrDomains *dom = scalr_split_get_domains (split);
  ScalrDataset *d = scalr_domains_get_dataset (dom);
  const ScalrDomain *tgt = scalr_domains_get_target (dom);
  g_autofree guint8 *cat = g_new (guint8, tgt->n_items);
  guint n_cat = 0;
  for (guint i = 0; i < tgt->n_items; i++)
    {
      guint nc = 0;
      const guint32 *cats = scalr_dataset_get_item_categories (d, tgt->items[i], &nc);
      g_assert_cmpuint (nc, >, 0);
      g_assert_cmpuint (cats[0], <, 255);
      cat[i] = (guint8) cats[0];
      n_cat = MAX (n_cat, cats[0] + 1u);
    }
  double cbefore = bucket_jsd (ev, train, cat, n_cat);
  g_autoptr (ScalrSyntheticEvents) cal = scalr_sampler_align (ev, split, &o, NULL);
  double cafter = bucket_jsd (cal, train, cat, n_cat);
  g_test_message ("first categories (%u): JSD %.6f before, %.6f after alignment (%" G_GUINT64_FORMAT " → %" G_GUINT64_FORMAT " pairs)",
                  n_cat, cbefore, cafter, ev->n, cal->n);
  g_assert_cmpfloat (cafter, <, cbefore);
  assert_subset (cal, ev);
  /* Alignment by category does not fix the popularity buckets by construction, and vice
   * versa: the two are different partitions. */
  g_assert_false (same_events (cal, al));

  /* align = none: an unchanged copy. */
  o.align = SCALR_ALIGN_NONE;
  ScalrSamplerReport nrep = { 0 };
  g_autoptr (ScalrSyntheticEvents) same = scalr_sampler_align (ev, split, &o, &nrep);
  assert_same_events (same, ev);
  g_assert_cmpuint (nrep.aligned_out, ==, 0);

  /* Nothing to align: an empty set stays empty. */
  g_autoptr (ScalrSyntheticEvents) empty = scalr_synthetic_events_new (0);
  o.align = SCALR_ALIGN_POPULARITY;
  g_autoptr (ScalrSyntheticEvents) aempty = scalr_sampler_align (empty, split, &o, NULL);
  g_assert_cmpuint (aempty->n, ==, 0);
}

static void
test_cancel (void)
{
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (t.split, c);
  ScalrSamplerOptions o;
  sampler_options (&o, NULL);
  g_autoptr (GCancellable) cancel = g_cancellable_new ();
  g_cancellable_cancel (cancel);
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrSyntheticEvents) ev = scalr_sampler_run (g, t.split, &o, NULL, NULL, cancel, &error);
  g_assert_null (ev);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  tiny_close (&t);
}

/* sampler.temperature = auto on MovieLens validation users: the rule (largest τ within one
 * standard error of the best hit rate), the hit rates against a direct count, and the cases
 * where nothing is chosen. */
static void
test_auto_temperature (void)
{
  ScalrSplitOptions so = SCALR_SPLIT_OPTIONS_INIT;
  g_autoptr (GError) error = NULL;
  g_autoptr (ScalrSplit) split = scalr_split_new (movielens (), &so, &error);
  g_assert_no_error (error);
  g_autoptr (ScalrConfig) c = gen_config ("cooc", "1", NULL);
  g_autoptr (ScalrGenerator) g = gen_fit (split, c);
  ScalrSamplerOptions o;
  sampler_options (&o, "strategy", "per_user", "targets", "sparse", NULL);
  ScalrSamplerAuto a;
  g_assert_true (scalr_sampler_choose_temperature (g, split, &o, &a, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (a.status, ==, SCALR_AUTO_CHOSEN);
  /* The targeted validation users: sparse, with source and validation events. */
  const guint8 *f = scalr_split_get_user_flags (split);
  const ScalrCsr *valid = scalr_split_get_valid (split);
  guint want = 0;
  for (guint u = 0; u < valid->n_rows; u++)
    want += (f[u] & SCALR_USER_SPARSE) && (f[u] & SCALR_USER_HAS_SOURCE) && scalr_csr_row_len (valid, u) > 0;
  g_assert_cmpuint (a.users, ==, want);
  g_assert_cmpuint (want, >, 20);
  guint best = 0;
  for (guint t = 0; t < SCALR_AUTO_TAUS; t++)
    {
      g_assert_cmpuint (a.pairs[t], >, 0);
      g_assert_cmpfloat (a.hit_rate[t], ==, (double) a.hits[t] / (double) a.pairs[t]);
      if (a.hit_rate[t] > a.hit_rate[best])
        best = t;
    }
  double se = sqrt (a.hit_rate[best] * (1 - a.hit_rate[best]) / (double) a.pairs[best]);
  g_assert_cmpfloat (a.best_hit_rate, ==, a.hit_rate[best]);
  g_assert_cmpuint (a.chosen, >=, best);
  g_assert_cmpfloat (a.hit_rate[a.chosen], >=, a.hit_rate[best] - se);
  for (guint t = a.chosen + 1; t < SCALR_AUTO_TAUS; t++)
    g_assert_cmpfloat (a.hit_rate[t], <, a.hit_rate[best] - se);
  g_assert_cmpfloat (a.temperature, ==, a.taus[a.chosen]);
  /* Sharp draws hit more often than τ = 1 here. */
  g_assert_cmpfloat (a.hit_rate[best], >, a.hit_rate[SCALR_AUTO_TAUS - 1]);
  g_test_message ("auto τ = %g (best hit rate %.4f at τ = %g, %u users)", a.temperature, a.hit_rate[best],
                  a.taus[best], a.users);

  /* topk and per_event from cooc's per-item distributions do not use τ. */
  sampler_options (&o, "strategy", "topk", NULL);
  g_assert_true (scalr_sampler_choose_temperature (g, split, &o, &a, NULL, &error));
  g_assert_cmpint (a.status, ==, SCALR_AUTO_NOT_USED);
  g_assert_cmpfloat (a.temperature, ==, 1.0);
  sampler_options (&o, NULL);
  g_assert_true (scalr_sampler_choose_temperature (g, split, &o, &a, NULL, &error));
  g_assert_cmpint (a.status, ==, SCALR_AUTO_NOT_USED);

  /* No validation events (the tiny split): undefined, τ = 1. */
  Tiny t;
  tiny_open (&t);
  g_autoptr (ScalrGenerator) gt = gen_fit (t.split, c);
  sampler_options (&o, "strategy", "per_user", NULL);
  g_assert_true (scalr_sampler_choose_temperature (gt, t.split, &o, &a, NULL, &error));
  g_assert_cmpint (a.status, ==, SCALR_AUTO_NO_VALIDATION);
  g_assert_cmpfloat (a.temperature, ==, 1.0);
  g_assert_true (isnan (a.best_hit_rate));
  tiny_close (&t);
}

static void
test_options (void)
{
  /* The defaults of [sampler] as options. */
  ScalrSamplerOptions o;
  sampler_options (&o, NULL);
  g_assert_cmpint (o.strategy, ==, SCALR_SAMPLE_PER_EVENT);
  g_assert_cmpuint (o.samples_per_event, ==, 1);
  g_assert_cmpint (o.budget, ==, SCALR_BUDGET_RATIO);
  g_assert_cmpfloat (o.user_ratio, ==, 0.5);
  g_assert_cmpuint (o.k, ==, 1);
  g_assert_true (isnan (o.temperature));   /* auto */
  g_assert_cmpfloat (o.min_prob, ==, 0.0);
  g_assert_cmpuint (o.min_support, ==, 0);
  g_assert_true (o.exclude_seen);
  g_assert_cmpuint (o.max_per_user, ==, 0);
  g_assert_cmpint (o.targets, ==, SCALR_TARGETS_ALL);
  g_assert_cmpint (o.align, ==, SCALR_ALIGN_NONE);
  g_assert_cmpuint (o.align_buckets, ==, 5);
  g_assert_cmpfloat (o.weight, ==, 1.0);
  g_assert_cmpint (o.weight_mode, ==, SCALR_WEIGHT_CONSTANT);
  g_assert_cmpuint (o.seed, ==, 42);
  sampler_options (&o, "strategy", "topk", "user_budget", "match", "targets", "sparse", "align", "category",
                   "seed", "9007199254740991", "temperature", "0.5", NULL);
  g_assert_cmpint (o.strategy, ==, SCALR_SAMPLE_TOPK);
  g_assert_cmpint (o.budget, ==, SCALR_BUDGET_MATCH);
  g_assert_cmpint (o.targets, ==, SCALR_TARGETS_SPARSE);
  g_assert_cmpint (o.align, ==, SCALR_ALIGN_CATEGORY);
  g_assert_cmpuint (o.seed, ==, G_GUINT64_CONSTANT (9007199254740991));
  g_assert_cmpfloat (o.temperature, ==, 0.5);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  scalr_registry_init ();
  g_test_add_func ("/scalr/sampler/options", test_options);
  g_test_add_func ("/scalr/sampler/per-event", test_per_event);
  g_test_add_func ("/scalr/sampler/filters", test_filters);
  g_test_add_func ("/scalr/sampler/targets", test_targets);
  g_test_add_func ("/scalr/sampler/topk", test_topk);
  g_test_add_func ("/scalr/sampler/per-user", test_per_user);
  g_test_add_func ("/scalr/sampler/user-level-generator", test_user_level_generator);
  g_test_add_func ("/scalr/sampler/cancel", test_cancel);
  g_test_add_func ("/scalr/sampler/topk-user-level", test_topk_user_level_movielens);
  g_test_add_func ("/scalr/sampler/determinism", test_determinism);
  g_test_add_func ("/scalr/sampler/align", test_align);
  g_test_add_func ("/scalr/sampler/auto-temperature", test_auto_temperature);
  int rc = g_test_run ();
  movielens_free ();
  return rc;
}
