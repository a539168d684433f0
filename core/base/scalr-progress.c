/* scalr-progress.c — thread-safe progress reporting. */
#include "config.h"

#include "scalr-progress.h"

struct _ScalrProgress {
  GMutex            lock;
  ScalrProgressFunc func;
  gpointer          user_data;
  GDestroyNotify    destroy;
  char             *stage;     /* owned, under lock */
  char             *message;   /* owned, under lock */
  double            fraction;
  gint64            last_call; /* monotonic µs of the last callback */
};

ScalrProgress *
scalr_progress_new (ScalrProgressFunc func, gpointer user_data, GDestroyNotify destroy)
{
  ScalrProgress *self = g_new0 (ScalrProgress, 1);
  g_mutex_init (&self->lock);
  self->func = func;
  self->user_data = user_data;
  self->destroy = destroy;
  return self;
}

void
scalr_progress_free (ScalrProgress *self)
{
  if (self == NULL)
    return;
  if (self->destroy)
    self->destroy (self->user_data);
  g_free (self->stage);
  g_free (self->message);
  g_mutex_clear (&self->lock);
  g_free (self);
}

void
scalr_progress_update (ScalrProgress *self, const char *stage, double fraction, const char *format, ...)
{
  if (self == NULL)
    return;
  va_list args;
  va_start (args, format);
  g_autofree char *message = g_strdup_vprintf (format, args);
  va_end (args);
  fraction = CLAMP (fraction, 0.0, 1.0);

  gint64 now = g_get_monotonic_time ();
  gboolean call;
  g_mutex_lock (&self->lock);
  call = g_strcmp0 (stage, self->stage) != 0 || fraction >= 1.0 || now - self->last_call >= 50000;
  g_free (self->stage);
  self->stage = g_strdup (stage);
  g_free (self->message);
  self->message = g_strdup (message);
  self->fraction = fraction;
  if (call)
    self->last_call = now;
  g_mutex_unlock (&self->lock);

  if (call && self->func)
    self->func (stage, fraction, message, self->user_data);
}

void
scalr_progress_get (ScalrProgress *self, char **stage, double *fraction, char **message)
{
  g_mutex_lock (&self->lock);
  if (stage)
    *stage = g_strdup (self->stage);
  if (fraction)
    *fraction = self->fraction;
  if (message)
    *message = g_strdup (self->message);
  g_mutex_unlock (&self->lock);
}

typedef struct {
  ScalrProgress *parent;   /* borrowed */
  char          *stage;
  double         from, span;
} Part;

static void
part_forward (const char *stage, double fraction, const char *message, gpointer data)
{
  Part *p = data;
  scalr_progress_update (p->parent, p->stage, p->from + p->span * fraction, "%s", message);
}

static void
part_free (gpointer data)
{
  Part *p = data;
  g_free (p->stage);
  g_free (p);
}

ScalrProgress *
scalr_progress_new_part (ScalrProgress *parent, const char *stage, double from, double span)
{
  if (parent == NULL)
    return scalr_progress_new (NULL, NULL, NULL);
  Part *p = g_new0 (Part, 1);
  p->parent = parent;
  p->stage = g_strdup (stage);
  p->from = from;
  p->span = span;
  return scalr_progress_new (part_forward, p, part_free);
}
