/* scalr-alias.c — Vose's alias method. */
#include "config.h"

#include "scalr-alias.h"

double
scalr_alias_build (const double *w, guint n, float *prob, guint32 *alias)
{
  g_autofree double *scaled = g_new (double, MAX (n, 1));
  g_autofree guint32 *small = g_new (guint32, MAX (n, 1));
  g_autofree guint32 *large = g_new (guint32, MAX (n, 1));
  return scalr_alias_build_with (w, n, prob, alias, scaled, small, large);
}

double
scalr_alias_build_with (const double *w, guint n, float *prob, guint32 *alias, double *scaled,
                        guint32 *small, guint32 *large)
{
  double total = 0.0;
  for (guint k = 0; k < n; k++)
    total += w[k];
  if (n == 0)
    return 0.0;
  if (total <= 0.0)
    {
      for (guint k = 0; k < n; k++)
        {
          prob[k] = 1.0f;
          alias[k] = k;
        }
      return 0.0;
    }
  guint ns = 0, nl = 0;
  for (guint k = 0; k < n; k++)
    {
      scaled[k] = w[k] * n / total;
      if (scaled[k] < 1.0)
        small[ns++] = k;
      else
        large[nl++] = k;
    }
  while (ns > 0 && nl > 0)
    {
      guint32 s = small[--ns], l = large[--nl];
      prob[s] = (float) scaled[s];
      alias[s] = l;
      scaled[l] = (scaled[l] + scaled[s]) - 1.0;
      if (scaled[l] < 1.0)
        small[ns++] = l;
      else
        large[nl++] = l;
    }
  /* What is left holds (up to rounding) exactly 1. */
  while (nl > 0)
    {
      guint32 l = large[--nl];
      prob[l] = 1.0f;
      alias[l] = l;
    }
  while (ns > 0)
    {
      guint32 s = small[--ns];
      prob[s] = 1.0f;
      alias[s] = s;
    }
  return total;
}
