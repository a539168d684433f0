/* scalr-sampler.c — synthetic events from a generator: strategies, filters, alignment. */
#include "config.h"

#include "scalr-sampler.h"

#include <math.h>
#include <string.h>

#include "scalr-alias.h"
#include "scalr-limits.h"
#include "scalr-parallel.h"
#include "scalr-dataset.h"
#include "scalr-domains.h"
#include "scalr-progress.h"
#include "scalr-topk.h"

const ScalrParam scalr_sampler_params[] = {
  { "sampler", "strategy", SCALR_PARAM_CHOICE, "per_event", 0, 0, "per_event|per_user|topk",
    "per_event: K draws per source event (the paper); per_user: a budget per user without replacement; topk: deterministic", NULL },
  { "sampler", "samples_per_event", SCALR_PARAM_INT, "1", 0, 1000, NULL,
    "per_event: draws K per source event, with replacement (0: no synthetic events)", "per_event" },
  { "sampler", "user_budget", SCALR_PARAM_CHOICE, "ratio", 0, 0, "ratio|match",
    "per_user: budget = user_ratio × source events, or drawn from the real target activity distribution", "per_user" },
  { "sampler", "user_ratio", SCALR_PARAM_DOUBLE, "0.5", 0, 100, NULL,
    "per_user: synthetic events per source event of the user", "per_user", NULL, "0.25..4 log" },
  { "sampler", "k", SCALR_PARAM_INT, "1", 1, 1000, NULL,
    "topk: items per source event (cooc, popularity) or per user (ridge); 1 = the paper's Top-1 ablation", "topk" },
  { "sampler", "temperature", SCALR_PARAM_DOUBLE, "auto", 0.01, 100, "auto",
    "per_user (and per_event from ridge/embmap/popularity): draw from P^(1/τ), τ < 1 sharper; auto: the largest τ whose hit rate on validation users is within one standard error of the best", NULL },
  { "sampler", "min_prob", SCALR_PARAM_DOUBLE, "0", 0, 1, NULL,
    "Drop synthetic events whose probability is below this", NULL },
  { "sampler", "min_support", SCALR_PARAM_INT, "0", 0, 1000000000, NULL,
    "Drop per-source-event draws whose co-occurrence count C[j,i] is below this (cooc)", NULL },
  { "sampler", "exclude_seen", SCALR_PARAM_BOOL, "true", 0, 0, NULL,
    "Drop items already in the user's real target training set", NULL },
  { "sampler", "max_per_user", SCALR_PARAM_INT, "0", 0, 1000000000, NULL,
    "Keep at most this many synthetic items per user, most probable first (0: no cap)", NULL },
  { "sampler", "targets", SCALR_PARAM_CHOICE, "all", 0, 0, "all|sparse|cold",
    "Which users get synthetic events: all with source events, the simulated sparse users, or users with no target training events", NULL },
  { "sampler", "align", SCALR_PARAM_CHOICE, "none", 0, 0, "none|popularity|category",
    "Bucket-wise downsampling so synthetic shares per popularity bucket (or category) match the real ones", NULL },
  { "sampler", "align_buckets", SCALR_PARAM_INT, "5", 2, SCALR_MAX_BUCKETS, NULL,
    "Popularity buckets (equal real-event mass, head to tail) for alignment and diagnostics", NULL },
  { "sampler", "weight", SCALR_PARAM_DOUBLE, "1", 0, 1000, NULL,
    "Training weight λ of a synthetic event (real events weigh 1)", NULL, NULL, "0.1..1 log" },
  { "sampler", "weight_mode", SCALR_PARAM_CHOICE, "constant", 0, 0, "constant|probability",
    "Weight λ, or λ × the event's probability", NULL },
  { "sampler", "seed", SCALR_PARAM_INT, "42", 0, 9007199254740991.0, NULL,
    "Seed of the sampler (one stream per user)", NULL },
  { NULL }
};

static int
choice_index (const ScalrConfig *c, const char *key, const char *const *names)
{
  const char *v = scalr_config_get (c, "sampler", key);
  for (int k = 0; names[k]; k++)
    if (g_strcmp0 (v, names[k]) == 0)
      return k;
  return -1;
}

gboolean
scalr_sampler_options_from_config (const ScalrConfig *c, ScalrSamplerOptions *o, GError **error)
{
  static const char *const strategies[] = { "per_event", "per_user", "topk", NULL };
  static const char *const budgets[] = { "ratio", "match", NULL };
  static const char *const targets[] = { "all", "sparse", "cold", NULL };
  static const char *const aligns[] = { "none", "popularity", "category", NULL };
  static const char *const weights[] = { "constant", "probability", NULL };
  memset (o, 0, sizeof *o);
  int s = choice_index (c, "strategy", strategies), b = choice_index (c, "user_budget", budgets);
  int t = choice_index (c, "targets", targets), a = choice_index (c, "align", aligns);
  int w = choice_index (c, "weight_mode", weights);
  if (s < 0 || b < 0 || t < 0 || a < 0 || w < 0)
    {
      g_set_error (error, SCALR_CONFIG_ERROR, SCALR_CONFIG_ERROR_BAD_VALUE, "[sampler] holds an unchecked value");
      return FALSE;
    }
  o->strategy = (ScalrSampleStrategy) s;
  o->budget = (ScalrBudgetMode) b;
  o->targets = (ScalrTargets) t;
  o->align = (ScalrAlign) a;
  o->weight_mode = (ScalrWeightMode) w;
  o->samples_per_event = (guint) scalr_config_get_int (c, "sampler", "samples_per_event");
  o->user_ratio = scalr_config_get_double (c, "sampler", "user_ratio");
  o->k = (guint) scalr_config_get_int (c, "sampler", "k");
  o->temperature = scalr_config_get_double (c, "sampler", "temperature");
  o->min_prob = scalr_config_get_double (c, "sampler", "min_prob");
  o->min_support = (guint) scalr_config_get_int (c, "sampler", "min_support");
  o->exclude_seen = scalr_config_get_bool (c, "sampler", "exclude_seen");
  o->max_per_user = (guint) scalr_config_get_int (c, "sampler", "max_per_user");
  o->align_buckets = (guint) scalr_config_get_int (c, "sampler", "align_buckets");
  o->weight = scalr_config_get_double (c, "sampler", "weight");
  o->seed = (guint64) scalr_config_get_int (c, "sampler", "seed");
  return TRUE;
}

/* ---- per-thread state ------------------------------------------------------------- */

typedef struct {
  guint32 item;
  float   prob;
} Draw;

typedef struct {
  guint32 *user, *item, *count;
  float   *prob, *weight;
  guint64  n, cap;
  ScalrSamplerReport rep;
} Chunk;

typedef struct {
  ScalrGenerator            *gen;
  ScalrSplit                *split;
  const ScalrSamplerOptions *opt;
  const guint8              *flags;
  const ScalrCsr            *S, *T;
  guint32                   *pool;      /* real training activities (budget = match) */
  guint                      n_pool;
  guint                      n_users, n_items;
  guint                      chunk_size, n_chunks;
  guint                      end_chunk;   /* chunks [first_chunk, end_chunk) are ours */
  Chunk                     *chunks;
  guint                      first_chunk;
  gboolean                   needs_probs;
  ScalrProgress             *progress;
} Job;

typedef struct {
  Draw    *draws;
  guint64  n_draws, cap_draws;
  guint32 *counts;     /* cap_counts: merged counts of the draws */
  guint64  cap_counts;
  guint32 *batch_src, *batch_item;   /* cap_batch: one user's batched draws */
  float   *batch_prob;
  guint64  cap_batch;
  guint8  *seen;       /* n_items marks */
  float   *probs;      /* batch × n_items */
  float   *keys;       /* n_items */
  float   *aprob;      /* n_items alias tables for per_event on user-level generators */
  guint32 *aalias;
  double  *w;
  guint32 *topk_items;
  float   *topk_probs;
} Scratch;

static void
push_draw (Scratch *s, guint32 item, float prob)
{
  if (s->n_draws == s->cap_draws)
    {
      s->cap_draws = s->cap_draws ? s->cap_draws * 2 : 256;
      s->draws = g_renew (Draw, s->draws, s->cap_draws);
    }
  s->draws[s->n_draws++] = (Draw) { item, prob };
}

static void
chunk_push (Chunk *c, guint32 u, guint32 i, float p, guint32 count, float w)
{
  if (c->n == c->cap)
    {
      c->cap = c->cap ? c->cap * 2 : 1024;
      c->user = g_renew (guint32, c->user, c->cap);
      c->item = g_renew (guint32, c->item, c->cap);
      c->count = g_renew (guint32, c->count, c->cap);
      c->prob = g_renew (float, c->prob, c->cap);
      c->weight = g_renew (float, c->weight, c->cap);
    }
  c->user[c->n] = u;
  c->item[c->n] = i;
  c->prob[c->n] = p;
  c->count[c->n] = count;
  c->weight[c->n] = w;
  c->n++;
}

static gint
cmp_draw_item (gconstpointer a, gconstpointer b)
{
  const Draw *x = a, *y = b;
  return x->item < y->item ? -1 : (x->item > y->item);
}

static gint
cmp_draw_prob_desc (gconstpointer a, gconstpointer b)
{
  const Draw *x = a, *y = b;
  if (x->prob != y->prob)
    return x->prob > y->prob ? -1 : 1;
  return x->item < y->item ? -1 : (x->item > y->item);
}

static gboolean
user_targeted (const Job *job, guint u)
{
  guint8 f = job->flags[u];
  if (!(f & SCALR_USER_HAS_SOURCE) || (job->opt->only_users && !job->opt->only_users[u]))
    return FALSE;
  switch (job->opt->targets)
    {
    case SCALR_TARGETS_SPARSE: return (f & SCALR_USER_SPARSE) != 0;
    case SCALR_TARGETS_COLD:   return (f & SCALR_USER_COLD) != 0;
    case SCALR_TARGETS_ALL:
    default:                   return TRUE;
    }
}

/* Accepts or drops one draw by the filters; counts the drops. */
static inline void
consider (const Job *job, Scratch *s, Chunk *c, guint32 j, gboolean per_item, guint32 item, float prob)
{
  const ScalrSamplerOptions *o = job->opt;
  if (o->exclude_seen && s->seen[item])
    {
      c->rep.seen++;
      return;
    }
  if (prob < o->min_prob)
    {
      c->rep.below_min_prob++;
      return;
    }
  if (per_item && o->min_support > 0 && job->gen->klass->item_support (job->gen->model, j, item) < o->min_support)
    {
      c->rep.below_support++;
      return;
    }
  push_draw (s, item, prob);
}

/* per_event: K draws per source event of @u — a generator's per-source-item draws (batched or
 * one at a time) or, for a user-level generator, draws from the user's P(· | u) @p. */
static void
sample_per_event (Job *job, Scratch *s, Chunk *c, guint32 u, const float *p, ScalrRng *rng)
{
  const ScalrSamplerOptions *o = job->opt;
  const ScalrGeneratorClass *k = job->gen->klass;
  gpointer model = job->gen->model;
  const ScalrCsr *S = job->S;
  if (k->item_draw_batch)
    {
      guint64 n = scalr_csr_row_len (S, u) * o->samples_per_event;
      if (s->cap_batch < n)
        {
          s->cap_batch = MAX (n, 2 * s->cap_batch);
          s->batch_src = g_renew (guint32, s->batch_src, s->cap_batch);
          s->batch_item = g_renew (guint32, s->batch_item, s->cap_batch);
          s->batch_prob = g_renew (float, s->batch_prob, s->cap_batch);
        }
      guint64 w = 0;
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        for (guint d = 0; d < o->samples_per_event; d++)
          s->batch_src[w++] = S->indices[a];
      k->item_draw_batch (model, s->batch_src, (guint) n, rng, s->batch_item, s->batch_prob);
      c->rep.draws += n;
      for (guint64 d = 0; d < n; d++)
        consider (job, s, c, s->batch_src[d], TRUE, s->batch_item[d], s->batch_prob[d]);
    }
  else if (k->item_draw)
    {
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        for (guint d = 0; d < o->samples_per_event; d++)
          {
            guint32 item;
            float prob;
            c->rep.draws++;
            if (k->item_draw (model, S->indices[a], rng, &item, &prob))
              consider (job, s, c, S->indices[a], TRUE, item, prob);
          }
    }
  else
    {
      guint n_items = job->n_items;
      if (o->temperature == 1.0)
        for (guint i = 0; i < n_items; i++)
          s->w[i] = p[i];
      else
        {
          /* P^(1/τ), normalised by the alias table (relative to the largest p). */
          float pmax = 0.0f;
          for (guint i = 0; i < n_items; i++)
            pmax = MAX (pmax, p[i]);
          double inv = 1.0 / o->temperature;
          for (guint i = 0; i < n_items; i++)
            s->w[i] = p[i] > 0.0f ? exp (log ((double) p[i] / pmax) * inv) : 0.0;
        }
      scalr_alias_build (s->w, n_items, s->aprob, s->aalias);
      guint64 n = scalr_csr_row_len (S, u) * o->samples_per_event;
      for (guint64 d = 0; d < n; d++)
        {
          guint32 item = scalr_alias_draw (s->aprob, s->aalias, n_items, rng);
          c->rep.draws++;
          consider (job, s, c, 0, FALSE, item, p[item]);
        }
    }
}

/* per_user: a budget of items without replacement, Gumbel-top-k from P^(1/τ); the filters act
 * on the keys before drawing, so fewer than the budget are drawn when fewer are eligible. */
static void
sample_per_user (Job *job, Scratch *s, Chunk *c, guint32 u, const float *p, ScalrRng *rng)
{
  const ScalrSamplerOptions *o = job->opt;
  guint n_items = job->n_items;
  guint budget;
  if (o->budget == SCALR_BUDGET_MATCH && job->n_pool > 0)
    {
      ScalrRng br;
      scalr_rng_init (&br, o->seed, SCALR_STREAM_BUDGET, u);
      budget = job->pool[scalr_rng_below (&br, job->n_pool)];
    }
  else
    budget = (guint) floor (o->user_ratio * (double) scalr_csr_row_len (job->S, u) + 0.5);
  budget = MIN (budget, n_items);
  if (budget == 0)
    return;
  double inv = 1.0 / o->temperature;
  for (guint i = 0; i < n_items; i++)
    s->keys[i] = (o->exclude_seen && s->seen[i]) || p[i] <= 0.0f || p[i] < o->min_prob
                 ? -INFINITY : (float) (log (p[i]) * inv + scalr_rng_gumbel (rng));
  guint got = scalr_top_k (s->keys, n_items, budget, s->topk_items);
  c->rep.draws += got;
  for (guint a = 0; a < got; a++)
    push_draw (s, s->topk_items[a], p[s->topk_items[a]]);
}

/* topk: deterministic — the k most probable items per source event (generators with
 * per-source-item top-k) or per user. */
static void
sample_topk (Job *job, Scratch *s, Chunk *c, guint32 u, const float *p)
{
  const ScalrSamplerOptions *o = job->opt;
  const ScalrGeneratorClass *k = job->gen->klass;
  guint n_items = job->n_items;
  if (k->item_topk)
    {
      const ScalrCsr *S = job->S;
      guint want = o->k + (o->exclude_seen ? (guint) scalr_csr_row_len (job->T, u) : 0);
      want = MIN (want, n_items);
      for (guint64 a = S->indptr[u]; a < S->indptr[u + 1]; a++)
        {
          guint32 j = S->indices[a];
          guint got = k->item_topk (job->gen->model, j, want, s->topk_items, s->topk_probs);
          guint taken = 0;
          for (guint b = 0; b < got && taken < o->k; b++)
            {
              guint64 before = s->n_draws;
              c->rep.draws++;
              consider (job, s, c, j, TRUE, s->topk_items[b], s->topk_probs[b]);
              taken += s->n_draws > before;
            }
        }
      return;
    }
  for (guint i = 0; i < n_items; i++)
    s->keys[i] = (o->exclude_seen && s->seen[i]) || p[i] < o->min_prob ? -INFINITY : p[i];
  guint got = scalr_top_k (s->keys, n_items, MIN (o->k, n_items), s->topk_items);
  c->rep.draws += got;
  for (guint a = 0; a < got; a++)
    push_draw (s, s->topk_items[a], p[s->topk_items[a]]);
}

/* Merges repeats of an item among the draws: sorted by item, each item once with how many
 * times it was drawn (s->counts) and its largest probability. Returns the number of items. */
static guint64
merge_draws (Scratch *s)
{
  if (s->n_draws <= 32)
    for (guint64 a = 1; a < s->n_draws; a++)   /* insertion sort: most users draw a few items */
      {
        Draw x = s->draws[a];
        guint64 b = a;
        for (; b > 0 && s->draws[b - 1].item > x.item; b--)
          s->draws[b] = s->draws[b - 1];
        s->draws[b] = x;
      }
  else
    qsort (s->draws, s->n_draws, sizeof (Draw), (int (*) (const void *, const void *)) cmp_draw_item);
  if (s->cap_counts < s->n_draws)
    {
      s->cap_counts = s->cap_draws;
      s->counts = g_renew (guint32, s->counts, s->cap_counts);
    }
  guint64 w = 0;
  for (guint64 a = 0; a < s->n_draws; a++)
    {
      if (w > 0 && s->draws[w - 1].item == s->draws[a].item)
        {
          s->counts[w - 1]++;
          s->draws[w - 1].prob = MAX (s->draws[w - 1].prob, s->draws[a].prob);
          continue;
        }
      s->draws[w] = s->draws[a];
      s->counts[w] = 1;
      w++;
    }
  return w;
}

/* Keeps the max_per_user most probable of the @w merged items (in item order, with their
 * counts); returns how many are kept. */
static guint64
cap_per_user (guint64 max, Scratch *s, Chunk *c, guint64 w)
{
  /* Keep the most probable; counts travel with their items via a second merge pass. */
  g_autofree Draw *copy = g_memdup2 (s->draws, w * sizeof (Draw));
  g_autofree guint32 *ccopy = g_memdup2 (s->counts, w * sizeof (guint32));
  qsort (copy, w, sizeof (Draw), (int (*) (const void *, const void *)) cmp_draw_prob_desc);
  /* Mark the kept items, then filter in item order. */
  for (guint64 a = 0; a < max; a++)
    s->seen[copy[a].item] |= 2;
  guint64 kept = 0;
  for (guint64 a = 0; a < w; a++)
    if (s->seen[s->draws[a].item] & 2)
      {
        s->seen[s->draws[a].item] &= (guint8) ~2;
        s->draws[kept] = s->draws[a];
        s->counts[kept] = ccopy[a];
        kept++;
      }
  c->rep.capped += w - kept;
  return kept;
}

static void
sample_user (Job *job, Scratch *s, Chunk *c, guint32 u, const float *p, ScalrRng *rng)
{
  const ScalrSamplerOptions *o = job->opt;
  s->n_draws = 0;
  switch (o->strategy)
    {
    case SCALR_SAMPLE_PER_EVENT:
      sample_per_event (job, s, c, u, p, rng);
      break;
    case SCALR_SAMPLE_PER_USER:
      sample_per_user (job, s, c, u, p, rng);
      break;
    case SCALR_SAMPLE_TOPK:
    default:
      sample_topk (job, s, c, u, p);
      break;
    }
  if (s->n_draws == 0)
    return;
  guint64 w = merge_draws (s);
  if (o->max_per_user > 0 && w > o->max_per_user)
    w = cap_per_user (o->max_per_user, s, c, w);
  for (guint64 a = 0; a < w; a++)
    {
      float p_ui = s->draws[a].prob;
      double weight = o->weight * s->counts[a] * (o->weight_mode == SCALR_WEIGHT_PROBABILITY ? p_ui : 1.0);
      chunk_push (c, u, s->draws[a].item, p_ui, s->counts[a], (float) weight);
    }
}

static void
process_chunk (Job *job, Scratch *s, guint chunk)
{
  Chunk *c = &job->chunks[chunk];
  guint first = chunk * job->chunk_size;
  guint last = MIN (first + job->chunk_size, job->n_users);
  enum { BATCH = 32 };
  guint32 batch[BATCH];
  guint nb = 0;
  for (guint u = first; u <= last; u++)
    {
      if (u < last && user_targeted (job, u))
        batch[nb++] = u;
      if (nb == BATCH || (u == last && nb > 0))
        {
          if (job->needs_probs)
            scalr_generator_probabilities (job->gen, batch, nb, s->probs);
          for (guint b = 0; b < nb; b++)
            {
              guint32 v = batch[b];
              const ScalrCsr *T = job->T;
              for (guint64 a = T->indptr[v]; a < T->indptr[v + 1]; a++)
                s->seen[T->indices[a]] = 1;
              ScalrRng rng;
              scalr_rng_init (&rng, job->opt->seed, SCALR_STREAM_SAMPLER, v);
              c->rep.users++;
              sample_user (job, s, c, v, job->needs_probs ? s->probs + (gsize) b * job->n_items : NULL, &rng);
              for (guint64 a = T->indptr[v]; a < T->indptr[v + 1]; a++)
                s->seen[T->indices[a]] = 0;
            }
          nb = 0;
        }
    }
}

static gpointer
scratch_new (guint thread, gpointer data)
{
  Job *job = data;
  Scratch *s = g_new0 (Scratch, 1);
  guint n = job->n_items;
  s->seen = g_new0 (guint8, MAX (n, 1));
  s->keys = g_new (float, MAX (n, 1));
  s->topk_items = g_new (guint32, MAX (n, 1));
  s->topk_probs = g_new (float, MAX (n, 1));
  if (job->needs_probs)
    {
      s->probs = g_new (float, (gsize) 32 * MAX (n, 1));
      s->aprob = g_new (float, MAX (n, 1));
      s->aalias = g_new (guint32, MAX (n, 1));
      s->w = g_new (double, MAX (n, 1));
    }
  return s;
}

static void
scratch_free (gpointer state, guint thread, gpointer data)
{
  Scratch *s = state;
  g_free (s->draws);
  g_free (s->counts);
  g_free (s->batch_src);
  g_free (s->batch_item);
  g_free (s->batch_prob);
  g_free (s->seen);
  g_free (s->keys);
  g_free (s->topk_items);
  g_free (s->topk_probs);
  g_free (s->probs);
  g_free (s->aprob);
  g_free (s->aalias);
  g_free (s->w);
  g_free (s);
}

/* Chunks [first, last) of this shard's users (counted from first_chunk): each chunk has its own output and every user its own RNG
 * stream, so the result does not depend on which thread samples it. */
static gboolean
sample_chunks (guint64 first, guint64 last, guint thread, gpointer state, gpointer data, GError **error)
{
  Job *job = data;
  for (guint64 c = job->first_chunk + first; c < job->first_chunk + last; c++)
    process_chunk (job, state, (guint) c);
  return TRUE;
}

static void
sample_progress (guint64 done, guint64 n, gpointer data)
{
  Job *job = data;
  scalr_progress_update (job->progress, "sampler", (double) done / MAX (n, 1),
                         "sampled %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT " user blocks", done, n);
}

static void
report_add (ScalrSamplerReport *to, const ScalrSamplerReport *from)
{
  to->draws += from->draws;
  to->below_min_prob += from->below_min_prob;
  to->below_support += from->below_support;
  to->seen += from->seen;
  to->capped += from->capped;
  to->aligned_out += from->aligned_out;
  to->users += from->users;
}

ScalrSyntheticEvents *
scalr_sampler_run (ScalrGenerator *gen, ScalrSplit *split, const ScalrSamplerOptions *opt,
                   ScalrSamplerReport *report, ScalrProgress *progress, GCancellable *cancellable,
                   GError **error)
{
  Job job = { 0 };
  ScalrSamplerOptions resolved;
  if (isnan (opt->temperature))
    {
      resolved = *opt;   /* auto not resolved by the caller: τ = 1 */
      resolved.temperature = 1.0;
      opt = &resolved;
    }
  job.gen = gen;
  job.split = split;
  job.opt = opt;
  job.flags = scalr_split_get_user_flags (split);
  job.S = scalr_split_get_source (split);
  job.T = scalr_split_get_train (split);
  job.n_users = scalr_split_get_n_users (split);
  job.n_items = scalr_split_get_n_target_items (split);
  job.chunk_size = SCALR_SAMPLER_USER_BLOCK;
  job.n_chunks = (job.n_users + job.chunk_size - 1) / job.chunk_size;
  job.chunks = g_new0 (Chunk, MAX (job.n_chunks, 1));
  job.progress = progress;
  const ScalrGeneratorClass *k = gen->klass;
  job.needs_probs = opt->strategy == SCALR_SAMPLE_PER_USER
                    || (opt->strategy == SCALR_SAMPLE_TOPK && k->item_topk == NULL)
                    || (opt->strategy == SCALR_SAMPLE_PER_EVENT && k->item_draw == NULL);
  if (opt->budget == SCALR_BUDGET_MATCH)
    {
      job.pool = g_new (guint32, MAX (job.n_users, 1));
      for (guint u = 0; u < job.n_users; u++)
        if (scalr_csr_row_len (job.T, u) > 0)
          job.pool[job.n_pool++] = (guint32) scalr_csr_row_len (job.T, u);
    }
  if (opt->strategy == SCALR_SAMPLE_PER_EVENT && opt->samples_per_event == 0)
    job.n_chunks = 0;   /* K = 0: no synthetic events (the sweep's reference point) */
  job.end_chunk = job.n_chunks;
  if (opt->user_block)   /* the chunks that hold users [user_begin, user_end) */
    {
      guint end = MIN (opt->user_end, job.n_users), begin = MIN (opt->user_begin, end);
      job.first_chunk = MIN (begin / job.chunk_size, job.n_chunks);
      job.end_chunk = MIN ((end + job.chunk_size - 1) / job.chunk_size, job.n_chunks);
      job.end_chunk = MAX (job.end_chunk, job.first_chunk);
    }

  /* The most events this can make, against memory, before anything is drawn: each pair
   * takes 20 bytes in a chunk and 20 more when the chunks are joined. */
  double per_source = opt->strategy == SCALR_SAMPLE_PER_EVENT ? opt->samples_per_event
                      : opt->strategy == SCALR_SAMPLE_PER_USER ? opt->user_ratio : opt->k;
  double bound = per_source * (double) job.S->nnz;
  if (opt->max_per_user > 0)
    bound = MIN (bound, (double) opt->max_per_user * job.n_users);
  bound = MIN (bound, (double) job.n_users * job.n_items);
  if (!scalr_limits_check_memory ("the sampler", (guint64) (bound * 40.0),
                                  "lower [sampler] samples_per_event, user_ratio or k, or set max_per_user", error))
    {
      g_free (job.pool);
      g_free (job.chunks);
      return NULL;
    }

  ScalrParallelOptions po = { .n_threads = opt->n_threads, .chunk = 1, .schedule = SCALR_PARALLEL_DYNAMIC,
                              .cancellable = cancellable, .thread_init = scratch_new,
                              .thread_finish = scratch_free, .progress = sample_progress };
  gboolean ok = scalr_parallel_for (job.end_chunk - job.first_chunk, sample_chunks, &job, &po, error);
  g_free (job.pool);

  if (!ok)
    {
      for (guint c = 0; c < job.n_chunks; c++)
        {
          g_free (job.chunks[c].user);
          g_free (job.chunks[c].item);
          g_free (job.chunks[c].count);
          g_free (job.chunks[c].prob);
          g_free (job.chunks[c].weight);
        }
      g_free (job.chunks);
      return NULL;
    }
  guint64 total = 0;
  ScalrSamplerReport rep = { 0 };
  for (guint c = 0; c < job.n_chunks; c++)
    {
      total += job.chunks[c].n;
      report_add (&rep, &job.chunks[c].rep);
    }
  ScalrSyntheticEvents *ev = scalr_synthetic_events_new (total);
  guint64 at = 0, draws = 0;
  for (guint c = 0; c < job.n_chunks; c++)
    {
      Chunk *ch = &job.chunks[c];
      if (ch->n)
        {
          memcpy (ev->user + at, ch->user, ch->n * sizeof (guint32));
          memcpy (ev->item + at, ch->item, ch->n * sizeof (guint32));
          memcpy (ev->count + at, ch->count, ch->n * sizeof (guint32));
          memcpy (ev->prob + at, ch->prob, ch->n * sizeof (float));
          memcpy (ev->weight + at, ch->weight, ch->n * sizeof (float));
          for (guint64 a = 0; a < ch->n; a++)
            draws += ch->count[a];
        }
      at += ch->n;
      g_free (ch->user);
      g_free (ch->item);
      g_free (ch->count);
      g_free (ch->prob);
      g_free (ch->weight);
    }
  g_free (job.chunks);
  ev->draws = draws;
  if (report)
    *report = rep;
  return ev;
}

/* The alignment bucket of every target item (owned) and the number of buckets. */
static guint8 *
align_buckets (ScalrSplit *split, const ScalrSamplerOptions *o, guint *n_buckets)
{
  const ScalrCsr *T = scalr_split_get_train (split);
  if (o->align == SCALR_ALIGN_POPULARITY)
    {
      *n_buckets = o->align_buckets;
      return scalr_popularity_buckets (T, o->align_buckets);
    }
  /* Category: the item's first category; items without one share the last bucket. Bucket
   * ids are capped at 255 (rare categories beyond share it too). */
  ScalrDomains *domains = scalr_split_get_domains (split);
  ScalrDataset *d = scalr_domains_get_dataset (domains);
  const ScalrDomain *tgt = scalr_domains_get_target (domains);
  guint8 *b = g_new (guint8, MAX (T->n_cols, 1));
  guint max = 0;
  for (guint i = 0; i < T->n_cols; i++)
    {
      guint nc = 0;
      const guint32 *cats = scalr_dataset_has_item_metadata (d) ? scalr_dataset_get_item_categories (d, tgt->items[i], &nc) : NULL;
      b[i] = (guint8) (nc > 0 ? MIN (cats[0], 254u) : 255u);
      max = MAX (max, b[i]);
    }
  *n_buckets = max + 1;
  return b;
}

ScalrSyntheticEvents *
scalr_sampler_align (const ScalrSyntheticEvents *ev, ScalrSplit *split, const ScalrSamplerOptions *o,
                     ScalrSamplerReport *report)
{
  const ScalrCsr *T = scalr_split_get_train (split);
  if (o->align == SCALR_ALIGN_NONE)
    {
      /* Nothing to align: an unchanged copy (align_buckets has no buckets for it). */
      ScalrSyntheticEvents *copy = scalr_synthetic_events_new (ev->n);
      if (ev->n)
        {
          memcpy (copy->user, ev->user, ev->n * sizeof (guint32));
          memcpy (copy->item, ev->item, ev->n * sizeof (guint32));
          memcpy (copy->count, ev->count, ev->n * sizeof (guint32));
          memcpy (copy->prob, ev->prob, ev->n * sizeof (float));
          memcpy (copy->weight, ev->weight, ev->n * sizeof (float));
        }
      copy->draws = ev->draws;
      return copy;
    }
  guint nb = 0;
  g_autofree guint8 *bucket = align_buckets (split, o, &nb);
  g_autofree double *real = g_new0 (double, nb);
  g_autofree double *syn = g_new0 (double, nb);
  g_autofree double *keep = g_new0 (double, nb);
  for (guint64 k = 0; k < T->nnz; k++)
    real[bucket[T->indices[k]]] += 1.0;
  for (guint64 k = 0; k < ev->n; k++)
    syn[bucket[ev->item[k]]] += 1.0;
  double best = 0.0;
  for (guint b = 0; b < nb; b++)
    if (syn[b] > 0)
      {
        keep[b] = (real[b] / (double) MAX (T->nnz, 1)) / (syn[b] / (double) ev->n);
        best = MAX (best, keep[b]);
      }
  for (guint b = 0; b < nb; b++)
    keep[b] = best > 0 ? keep[b] / best : 0.0;

  ScalrSyntheticEvents *out = scalr_synthetic_events_new (ev->n);
  guint64 w = 0, draws = 0;
  ScalrRng rng = { { 0 } };   /* seeded at each user's first pair */
  guint32 current = G_MAXUINT32;
  for (guint64 k = 0; k < ev->n; k++)
    {
      if (ev->user[k] != current)
        {
          current = ev->user[k];
          scalr_rng_init (&rng, o->seed, SCALR_STREAM_ALIGN, current);
        }
      if (scalr_rng_uniform (&rng) >= keep[bucket[ev->item[k]]])
        continue;
      out->user[w] = ev->user[k];
      out->item[w] = ev->item[k];
      out->prob[w] = ev->prob[k];
      out->weight[w] = ev->weight[k];
      out->count[w] = ev->count[k];
      draws += ev->count[k];
      w++;
    }
  if (report)
    report->aligned_out += ev->n - w;
  scalr_synthetic_events_truncate (out, w);
  out->draws = draws;
  return out;
}
