/* scalr-eval-pointwise.c — the pointwise pieces of the evaluation: negative sampling, a
 * user's AUC, log loss under Platt scaling, NE, and catalogue coverage (scalr-eval.h). */
#include "config.h"

#include <math.h>
#include <string.h>

#include "scalr-eval.h"
#include "scalr-eval-private.h"

guint
scalr_eval_sample_negatives (ScalrRng *rng, const ScalrCsr *train, const ScalrCsr *valid, const ScalrCsr *test,
                             guint u, guint n_items, guint count, guint32 *out)
{
  g_autofree guint64 *known = g_new0 (guint64, n_items / 64 + 1);
  guint64 n_known = _scalr_eval_mark_known (train, valid, test, u, known);
  return _scalr_eval_sample_negatives_known (rng, known, n_known, n_items, count, out);
}

guint64
_scalr_eval_mark_known (const ScalrCsr *train, const ScalrCsr *valid, const ScalrCsr *test, guint u, guint64 *known)
{
  const ScalrCsr *rows[3] = { train, valid, test };
  guint64 n = 0;
  for (guint r = 0; r < 3; r++)
    for (guint64 k = rows[r]->indptr[u]; k < rows[r]->indptr[u + 1]; k++, n++)
      known[rows[r]->indices[k] >> 6] |= G_GUINT64_CONSTANT (1) << (rows[r]->indices[k] & 63);
  return n;
}

guint
_scalr_eval_sample_negatives_known (ScalrRng *rng, const guint64 *known, guint64 n_known, guint n_items, guint count,
                                    guint32 *out)
{
  if (n_known >= n_items)
    return 0;
  guint got = 0;
  for (guint64 tries = 0; got < count && tries < (guint64) count * 20; tries++)
    {
      guint32 i = scalr_rng_below (rng, n_items);
      if (known[i >> 6] & (G_GUINT64_CONSTANT (1) << (i & 63)))
        continue;
      out[got++] = i;
    }
  return got;
}

double
scalr_eval_auc (const float *s, const guint8 *y, guint n)
{
  double pairs = 0, good = 0;
  for (guint a = 0; a < n; a++)
    if (y[a])
      for (guint b = 0; b < n; b++)
        if (!y[b])
          {
            pairs++;
            good += s[a] > s[b] ? 1.0 : s[a] == s[b] ? 0.5 : 0.0;
          }
  return pairs > 0 ? good / pairs : NAN;
}

double
scalr_eval_log_loss (const float *s, const guint8 *y, guint n, double a, double b, guint *n_pos)
{
  double loss = 0;
  guint pos = 0;
  for (guint q = 0; q < n; q++)
    {
      double p = 1.0 / (1.0 + exp (-(a * s[q] + b)));
      p = CLAMP (p, 1e-12, 1 - 1e-12);
      loss += y[q] ? -log (p) : -log1p (-p);
      pos += y[q] != 0;
    }
  if (n_pos)
    *n_pos = pos;
  return loss;
}

double
scalr_eval_ne (double loss, double positives, double pairs)
{
  if (!(pairs > 0))
    return NAN;
  double p = positives / pairs;
  if (p <= 0 || p >= 1)
    return NAN;
  double h = -(p * log (p) + (1 - p) * log1p (-p));
  return loss / pairs / h;
}

double
scalr_eval_coverage (const guint32 *top, guint n_users, guint max_k, guint k, const guint8 *segment_of,
                     ScalrSegment segment, guint n_items)
{
  if (n_items == 0)
    return 0;
  g_autofree guint8 *seen = g_new0 (guint8, n_items);
  guint distinct = 0;
  for (guint u = 0; u < n_users; u++)
    if (segment == SCALR_SEGMENT_ALL || segment_of[u] == segment)
      for (guint r = 0; r < k && r < max_k; r++)
        {
          guint32 it = top[(gsize) u * max_k + r];
          if (it < n_items && !seen[it])
            {
              seen[it] = 1;
              distinct++;
            }
        }
  return (double) distinct / n_items;
}
