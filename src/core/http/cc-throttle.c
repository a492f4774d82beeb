/* cc-throttle.c — CcThrottle: a user's back-off, one monotonic time that
 * only moves forward. */
#include "config.h"

#include "cc-throttle.h"

struct _CcThrottle
{
  GObject parent_instance;

  GMutex  lock;
  gint64  held_until;   /* monotonic µs */
};

G_DEFINE_FINAL_TYPE (CcThrottle, cc_throttle, G_TYPE_OBJECT)

static void
cc_throttle_finalize (GObject *object)
{
  g_mutex_clear (&CC_THROTTLE (object)->lock);

  G_OBJECT_CLASS (cc_throttle_parent_class)->finalize (object);
}

static void
cc_throttle_class_init (CcThrottleClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = cc_throttle_finalize;
}

static void
cc_throttle_init (CcThrottle *self)
{
  g_mutex_init (&self->lock);
}

CcThrottle *
cc_throttle_new (void)
{
  return g_object_new (CC_TYPE_THROTTLE, NULL);
}

void
cc_throttle_hold (CcThrottle *self,
                  guint       delay_ms)
{
  gint64 until = g_get_monotonic_time () + (gint64) delay_ms * 1000;

  g_return_if_fail (CC_IS_THROTTLE (self));

  /* Several requests may be told to wait at once: the latest end wins. */
  g_mutex_lock (&self->lock);
  self->held_until = MAX (self->held_until, until);
  g_mutex_unlock (&self->lock);
}

gint64
cc_throttle_get_held_until (CcThrottle *self)
{
  gint64 until;

  g_return_val_if_fail (CC_IS_THROTTLE (self), 0);

  g_mutex_lock (&self->lock);
  until = self->held_until;
  g_mutex_unlock (&self->lock);
  return until;
}

guint
cc_throttle_get_wait_ms (CcThrottle *self)
{
  gint64 left = cc_throttle_get_held_until (self) - g_get_monotonic_time ();

  return left > 0 ? (guint) ((left + 999) / 1000) : 0;
}
