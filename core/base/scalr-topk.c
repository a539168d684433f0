/* scalr-topk.c — partial top-k selection. */
#include "config.h"

#include "scalr-topk.h"

#include <math.h>

/* a ranks before b: larger value, then lower index. */
static inline gboolean
before (const float *s, guint32 a, guint32 b)
{
  return s[a] > s[b] || (s[a] == s[b] && a < b);
}

guint
scalr_top_k (const float *s, guint n, guint k, guint32 *out)
{
  /* out[0..h) is a min-heap under `before`: out[0] is the weakest kept. */
  guint h = 0;
  if (k == 0)
    return 0;
  for (guint32 i = 0; i < n; i++)
    {
      if (!isfinite (s[i]))
        continue;
      if (h < k)
        {
          guint c = h++;
          while (c > 0 && before (s, out[(c - 1) / 2], i))
            {
              out[c] = out[(c - 1) / 2];
              c = (c - 1) / 2;
            }
          out[c] = i;
          continue;
        }
      if (!before (s, i, out[0]))
        continue;
      guint c = 0;
      for (;;)
        {
          guint l = 2 * c + 1, r = l + 1, m = c;
          guint32 mv = i;
          if (l < h && before (s, mv, out[l]))
            m = l, mv = out[l];
          if (r < h && before (s, mv, out[r]))
            m = r;
          if (m == c)
            break;
          out[c] = out[m];
          c = m;
        }
      out[c] = i;
    }
  /* Pop the heap from the back: ascending weakness → the array ends best first. */
  for (guint end = h; end > 1; end--)
    {
      guint32 last = out[end - 1];
      out[end - 1] = out[0];
      guint c = 0, n2 = end - 1;
      for (;;)
        {
          guint l = 2 * c + 1, r = l + 1, m = c;
          guint32 mv = last;
          if (l < n2 && before (s, mv, out[l]))
            m = l, mv = out[l];
          if (r < n2 && before (s, mv, out[r]))
            m = r;
          if (m == c)
            break;
          out[c] = out[m];
          c = m;
        }
      out[c] = last;
    }
  return h;
}

static gint
cmp_key_desc (gconstpointer a, gconstpointer b, gpointer data)
{
  const double *keys = data;
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  if (keys[x] != keys[y])
    return keys[x] > keys[y] ? -1 : 1;
  return x < y ? -1 : (x > y);
}

void
scalr_argsort_desc (const double *keys, guint n, guint32 *out)
{
  for (guint i = 0; i < n; i++)
    out[i] = i;
  g_qsort_with_data (out, (gint) n, sizeof (guint32), cmp_key_desc, (gpointer) keys);
}
