/* scalr-synthetic-dist.c — synthetic events of MPI ranks put together (see scalr-dist.h). */
#include "config.h"

#include <string.h>

#include "scalr-dist.h"
#include "scalr-synthetic.h"

/* One column of every rank's events, concatenated in rank order into @to. */
static void
gather_column (gconstpointer mine, guint64 n, gsize width, gpointer to, guint64 expect)
{
  guint64 total;
  g_autofree gpointer all = scalr_dist_allgatherv (mine, n * width, &total, NULL);
  g_assert (total == expect * width);
  memcpy (to, all, total);
}

ScalrSyntheticEvents *
scalr_synthetic_events_allgather (const ScalrSyntheticEvents *mine)
{
  guint64 n = mine->n, draws = mine->draws;
  scalr_dist_sum_u64 (&n, 1);
  scalr_dist_sum_u64 (&draws, 1);
  ScalrSyntheticEvents *ev = scalr_synthetic_events_new (n);
  gather_column (mine->user, mine->n, sizeof (guint32), ev->user, n);
  gather_column (mine->item, mine->n, sizeof (guint32), ev->item, n);
  gather_column (mine->prob, mine->n, sizeof (float), ev->prob, n);
  gather_column (mine->weight, mine->n, sizeof (float), ev->weight, n);
  gather_column (mine->count, mine->n, sizeof (guint32), ev->count, n);
  ev->draws = draws;
  return ev;
}
