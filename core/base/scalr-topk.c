/* scalr-topk.c — the keyed top-k heap, orderings and comparators. */
#include "config.h"

#include "scalr-topk.h"
#include "scalr-simd.h"

static inline gboolean
before (const ScalrKeyed *a, const ScalrKeyed *b)
{
  return scalr_keyed_before (a->key, a->index, b->key, b->index);
}

/* Moves @x down from the root of h[0..n) to where it belongs (the weakest at the root). */
static void
sift_down (ScalrKeyed *h, guint n, ScalrKeyed x)
{
  guint c = 0;
  for (;;)
    {
      guint l = 2 * c + 1, r = l + 1, m = c;
      const ScalrKeyed *mv = &x;
      if (l < n && before (mv, &h[l]))
        m = l, mv = &h[l];
      if (r < n && before (mv, &h[r]))
        m = r;
      if (m == c)
        break;
      h[c] = h[m];
      c = m;
    }
  h[c] = x;
}

void
_scalr_top_k_insert (ScalrTopK *t, double key, guint32 index)
{
  ScalrKeyed x = { key, index };
  ScalrKeyed *h = t->heap;
  if (t->len < t->k)
    {
      guint c = t->len++;
      while (c > 0 && before (&h[(c - 1) / 2], &x))
        {
          h[c] = h[(c - 1) / 2];
          c = (c - 1) / 2;
        }
      h[c] = x;
      return;
    }
  sift_down (h, t->len, x);   /* replaces the weakest (the caller checked x beats it) */
}

guint
scalr_top_k_finish (ScalrTopK *t)
{
  /* Pop the weakest to the back, one at a time: the array ends best first. */
  guint n = t->len;
  for (guint end = n; end > 1; end--)
    {
      ScalrKeyed last = t->heap[end - 1];
      t->heap[end - 1] = t->heap[0];
      sift_down (t->heap, end - 1, last);
    }
  t->len = 0;
  return n;
}

/* A bijection of 32-bit integers keyed by @salt, and its inverse: xor, multiply by an odd
 * constant (invertible modulo 2^32), xorshift by 16 (its own inverse). */
#define SALT_MUL 0x9E3779B1u

static inline guint32
salt_mix (guint32 i, guint32 salt)
{
  guint32 x = (i ^ salt) * SALT_MUL;
  return x ^ (x >> 16);
}

/* ---- the top-k of a dense score array -------------------------------------------------
 *
 * A scan that keeps candidates in a buffer instead of a heap: every finite value at or above
 * the threshold is appended; when the buffer is full, a quickselect keeps its k best and the
 * threshold becomes the weakest of them (the k-th best seen so far: a value below it can
 * never be in the top k). Blocks of SCAN_BLOCK values entirely below the threshold are
 * skipped with one branch-free test the compiler vectorises; after the first few hundred
 * values almost every block of a ranking fails it. The k best under the order are unique, so
 * the result is the heap's, entry for entry; appends cost less than sift-downs. */
#define SCAN_BLOCK 32

typedef struct {
  float   key;
  guint32 index;
} Cand;

static inline gboolean
cand_before (Cand a, Cand b)
{
  return a.key > b.key || (a.key == b.key && a.index < b.index);
}

static inline void
cand_swap (Cand *c, guint i, guint j)
{
  Cand t = c[i];
  c[i] = c[j];
  c[j] = t;
}

/* Moves the @k best of c[0..n) to c[0..k), in no particular order (k < n). The order is
 * total on distinct indices, so there are no equal elements. */
static void
select_best (Cand *c, guint n, guint k)
{
  guint lo = 0, hi = n;
  while (hi - lo > 1)
    {
      /* Median of three to the back as the pivot. */
      guint mid = lo + (hi - lo) / 2, last = hi - 1;
      if (cand_before (c[mid], c[lo]))
        cand_swap (c, mid, lo);
      if (cand_before (c[last], c[lo]))
        cand_swap (c, last, lo);
      if (cand_before (c[mid], c[last]))
        cand_swap (c, mid, last);
      Cand p = c[last];
      guint at = lo;
      for (guint i = lo; i < last; i++)
        if (cand_before (c[i], p))
          cand_swap (c, i, at++);
      cand_swap (c, at, last);   /* c[lo..at) before the pivot, c[at] the pivot */
      if (at == k || at + 1 == k)
        return;
      if (at + 1 < k)
        lo = at + 1;
      else
        hi = at;
    }
}

SCALR_VECTOR_CLONES static guint
dense_top_k (const float *s, guint n, guint k, gboolean salted, guint32 salt, guint32 *out)
{
  if (k == 0)
    return 0;
  guint cap = MAX (4 * k, 256);
  Cand local[1024];
  g_autofree Cand *owned = cap > G_N_ELEMENTS (local) ? g_new (Cand, cap) : NULL;
  Cand *c = owned ? owned : local;
  guint m = 0;
  float thr = -INFINITY;
  for (guint i0 = 0; i0 < n; i0 += SCAN_BLOCK)
    {
      guint end = MIN (i0 + SCAN_BLOCK, n);
      if (end - i0 == SCAN_BLOCK)
        {
          const float *b = s + i0;
          int any = 0;
          for (int j = 0; j < SCAN_BLOCK; j++)   /* a fixed trip count: vectorised */
            any |= b[j] >= thr;
          if (!any)
            continue;
        }
      for (guint32 i = i0; i < end; i++)
        if (s[i] >= thr && isfinite (s[i]))
          {
            c[m++] = (Cand) { s[i], salted ? salt_mix (i, salt) : i };
            if (m == cap)
              {
                select_best (c, m, k);
                m = k;
                thr = c[0].key;
                for (guint q = 1; q < k; q++)
                  thr = MIN (thr, c[q].key);
              }
          }
    }
  if (m > k)
    select_best (c, m, k);
  guint got = MIN (m, k);
  /* Best first: insertion sort of the kept ones. */
  for (guint a = 1; a < got; a++)
    {
      Cand x = c[a];
      guint b = a;
      for (; b > 0 && cand_before (x, c[b - 1]); b--)
        c[b] = c[b - 1];
      c[b] = x;
    }
  for (guint a = 0; a < got; a++)
    out[a] = c[a].index;
  return got;
}

guint
scalr_top_k (const float *s, guint n, guint k, guint32 *out)
{
  return dense_top_k (s, n, k, FALSE, 0, out);
}

static guint32
salt_mul_inverse (void)
{
  guint32 inv = SALT_MUL;   /* Newton: each step doubles the correct low bits (3 → 48) */
  for (int it = 0; it < 4; it++)
    inv *= 2u - SALT_MUL * inv;
  return inv;
}

guint
scalr_top_k_salted (const float *s, guint n, guint k, guint32 salt, guint32 *out)
{
  guint got = dense_top_k (s, n, k, TRUE, salt, out);
  guint32 inv = salt_mul_inverse ();
  for (guint a = 0; a < got; a++)
    {
      guint32 x = out[a];
      x ^= x >> 16;
      out[a] = (x * inv) ^ salt;
    }
  return got;
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

int
scalr_cmp_double (const void *a, const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

int
scalr_cmp_u32 (const void *a, const void *b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return (x > y) - (x < y);
}
