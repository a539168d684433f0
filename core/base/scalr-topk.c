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

/* Pushes every s[i] with index i (salted when @salted) into @t, skipping whole blocks of
 * SCAN_BLOCK values below the weakest kept key once the heap is full: the block test is a
 * branch-free comparison the compiler vectorises, and after the first few hundred values
 * almost every block of a ranking fails it. Equal to pushing every value (a value below the
 * weakest kept key, NaN or -inf is never kept; ties at the threshold go through the push). */
#define SCAN_BLOCK 32

SCALR_VECTOR_CLONES static void
push_scores (ScalrTopK *t, const float *s, guint n, gboolean salted, guint32 salt)
{
  float thr = -INFINITY;
  for (guint i0 = 0; i0 < n; i0 += SCAN_BLOCK)
    {
      guint end = MIN (i0 + SCAN_BLOCK, n);
      if (end - i0 == SCAN_BLOCK && t->len == t->k)
        {
          const float *b = s + i0;
          int any = 0;
          for (int j = 0; j < SCAN_BLOCK; j++)   /* a fixed trip count: vectorised */
            any |= b[j] >= thr;
          if (!any)
            continue;
        }
      for (guint32 i = i0; i < end; i++)
        scalr_top_k_push (t, s[i], salted ? salt_mix (i, salt) : i);
      if (t->len == t->k && t->k > 0)
        thr = (float) t->heap[0].key;   /* exact: every key came from a float */
    }
}

guint
scalr_top_k (const float *s, guint n, guint k, guint32 *out)
{
  ScalrKeyed local[128];
  g_autofree ScalrKeyed *owned = k > G_N_ELEMENTS (local) ? g_new (ScalrKeyed, k) : NULL;
  ScalrTopK t;
  scalr_top_k_init (&t, owned ? owned : local, k);
  push_scores (&t, s, n, FALSE, 0);
  guint got = scalr_top_k_finish (&t);
  for (guint a = 0; a < got; a++)
    out[a] = t.heap[a].index;
  return got;
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
  ScalrKeyed local[128];
  g_autofree ScalrKeyed *owned = k > G_N_ELEMENTS (local) ? g_new (ScalrKeyed, k) : NULL;
  ScalrTopK t;
  scalr_top_k_init (&t, owned ? owned : local, k);
  push_scores (&t, s, n, TRUE, salt);
  guint got = scalr_top_k_finish (&t);
  guint32 inv = salt_mul_inverse ();
  for (guint a = 0; a < got; a++)
    {
      guint32 x = t.heap[a].index;
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
