/* scalr-progress-relay.c — worker-thread progress, coalesced into one idle source. */
#include "config.h"

#include "scalr-progress-relay.h"

typedef struct {
  char   *stage;
  double  fraction;
  char   *message;
} RelayEntry;

struct _ScalrProgressRelay {
  gatomicrefcount ref;
  GMutex          mutex;
  GPtrArray      *pending;       /* RelayEntry*, guarded by mutex */
  gboolean        idle_pending;  /* guarded by mutex */
  ScalrRelayFunc  func;          /* main thread only */
  gpointer        user_data;     /* borrowed, main thread only */
};

static void
relay_entry_free (gpointer data)
{
  RelayEntry *e = data;
  g_free (e->stage);
  g_free (e->message);
  g_free (e);
}

ScalrProgressRelay *
scalr_progress_relay_new (ScalrRelayFunc func, gpointer user_data)
{
  ScalrProgressRelay *r = g_new0 (ScalrProgressRelay, 1);
  g_atomic_ref_count_init (&r->ref);
  g_mutex_init (&r->mutex);
  r->pending = g_ptr_array_new_with_free_func (relay_entry_free);
  r->func = func;
  r->user_data = user_data;
  return r;
}

ScalrProgressRelay *
scalr_progress_relay_ref (ScalrProgressRelay *r)
{
  g_atomic_ref_count_inc (&r->ref);
  return r;
}

void
scalr_progress_relay_unref (ScalrProgressRelay *r)
{
  if (r == NULL || !g_atomic_ref_count_dec (&r->ref))
    return;
  g_ptr_array_unref (r->pending);
  g_mutex_clear (&r->mutex);
  g_free (r);
}

static gboolean
relay_flush (gpointer data)
{
  ScalrProgressRelay *r = data;
  g_mutex_lock (&r->mutex);
  GPtrArray *batch = r->pending;
  r->pending = g_ptr_array_new_with_free_func (relay_entry_free);
  r->idle_pending = FALSE;
  g_mutex_unlock (&r->mutex);
  for (guint k = 0; k < batch->len && r->func; k++)
    {
      const RelayEntry *e = g_ptr_array_index (batch, k);
      r->func (e->stage, e->fraction, e->message, r->user_data);
    }
  g_ptr_array_unref (batch);
  return G_SOURCE_REMOVE;
}

/* Runs in the worker thread. */
static void
relay_update (const char *stage, double fraction, const char *message, gpointer data)
{
  ScalrProgressRelay *r = data;
  g_mutex_lock (&r->mutex);
  RelayEntry *last = r->pending->len ? g_ptr_array_index (r->pending, r->pending->len - 1) : NULL;
  if (last && g_strcmp0 (last->stage, stage) == 0)
    {
      last->fraction = fraction;
      g_free (last->message);
      last->message = g_strdup (message);
    }
  else
    {
      RelayEntry *e = g_new0 (RelayEntry, 1);
      e->stage = g_strdup (stage);
      e->fraction = fraction;
      e->message = g_strdup (message);
      g_ptr_array_add (r->pending, e);
    }
  if (!r->idle_pending)
    {
      r->idle_pending = TRUE;
      g_idle_add_full (G_PRIORITY_DEFAULT, relay_flush, scalr_progress_relay_ref (r),
                       (GDestroyNotify) scalr_progress_relay_unref);
    }
  g_mutex_unlock (&r->mutex);
}

ScalrProgress *
scalr_progress_relay_new_progress (ScalrProgressRelay *r)
{
  return scalr_progress_new (relay_update, scalr_progress_relay_ref (r),
                             (GDestroyNotify) scalr_progress_relay_unref);
}

void
scalr_progress_relay_detach (ScalrProgressRelay *r)
{
  if (r == NULL)
    return;
  r->func = NULL;
  r->user_data = NULL;
}
