/* scalr-eval-dist.c — the evaluation's per-user results of MPI ranks put together. */
#include "config.h"

#include <string.h>

#include "scalr-dist.h"
#include "scalr-eval-private.h"

/* A rank's entries are its block of [0, n_users + n_valid_users) (test users, then
 * validation users); its part of the test users (@valid FALSE) or of the validation users. */
static void
part_of (const ScalrEvalResult *res, guint rank, gboolean valid, guint64 *lo, guint64 *hi)
{
  guint64 a, b, n = res->n_users;
  scalr_dist_block_of (n + res->n_valid_users, SCALR_EVAL_BATCH, rank, &a, &b);
  if (valid)
    {
      *lo = MAX (a, n) - n;
      *hi = MAX (b, n) - n;
    }
  else
    {
      *lo = MIN (a, n);
      *hi = MIN (b, n);
    }
}

/* Rows of @data (@row_bytes each, indexed by test or validation user) from their ranks to all. */
static void
share_rows (const ScalrEvalResult *res, gpointer data, gsize row_bytes, gboolean valid)
{
  for (guint r = 0; r < scalr_dist_size (); r++)
    {
      guint64 lo, hi;
      part_of (res, r, valid, &lo, &hi);
      scalr_dist_bcast ((char *) data + lo * row_bytes, (hi - lo) * row_bytes, r);
    }
}

/* Per-user arrays (GArray of @width-byte elements) from their ranks to all. */
static void
share_arrays (const ScalrEvalResult *res, GPtrArray *arrays, gsize width, gboolean valid)
{
  for (guint r = 0; r < scalr_dist_size (); r++)
    {
      guint64 lo, hi;
      part_of (res, r, valid, &lo, &hi);
      g_autofree guint32 *lens = g_new0 (guint32, MAX (hi - lo, 1));
      guint64 bytes = 0;
      if (r == scalr_dist_rank ())
        for (guint64 u = lo; u < hi; u++)
          {
            lens[u - lo] = ((GArray *) g_ptr_array_index (arrays, u))->len;
            bytes += lens[u - lo] * width;
          }
      scalr_dist_bcast (lens, (hi - lo) * sizeof (guint32), r);
      scalr_dist_bcast (&bytes, sizeof bytes, r);
      g_autofree char *data = g_malloc (MAX (bytes, 1));
      guint64 at = 0;
      if (r == scalr_dist_rank ())
        for (guint64 u = lo; u < hi; u++)
          {
            GArray *a = g_ptr_array_index (arrays, u);
            memcpy (data + at, a->data, a->len * width);
            at += a->len * width;
          }
      scalr_dist_bcast (data, bytes, r);
      if (r == scalr_dist_rank ())
        continue;
      at = 0;
      for (guint64 u = lo; u < hi; u++)
        {
          GArray *a = g_ptr_array_index (arrays, u);
          g_array_set_size (a, 0);
          g_array_append_vals (a, data + at, lens[u - lo]);
          at += lens[u - lo] * width;
        }
    }
}

gboolean
_scalr_eval_share_users (const ScalrEvalResult *res, ScalrModelEval *me, GPtrArray *const pointwise[4],
                         GError **error)
{
  if (scalr_dist_size () == 1)
    return TRUE;
  if (!scalr_dist_agree (error))
    return FALSE;
  for (guint mt = 0; mt < SCALR_N_RANK_METRICS; mt++)
    for (guint ki = 0; ki < res->n_ks; ki++)
      {
        if (me->values[mt][ki] != NULL)
          share_rows (res, me->values[mt][ki], sizeof me->values[mt][ki][0], FALSE);
        if (me->valid_values[mt][ki] != NULL)
          share_rows (res, me->valid_values[mt][ki], sizeof me->valid_values[mt][ki][0], TRUE);
      }
  share_rows (res, me->top_items, res->max_k * sizeof me->top_items[0], FALSE);
  share_rows (res, me->top_scores, res->max_k * sizeof me->top_scores[0], FALSE);
  for (guint p = 0; p < 4; p++)
    share_arrays (res, pointwise[p], p % 2 == 0 ? sizeof (float) : sizeof (guint8), p >= 2);
  return TRUE;
}
