/* cc-api-allowance.c — the limiter's state as properties (see the header). */
#include "config.h"

#include "cc-api-allowance.h"

/* How often the limiter is looked at: the count of the day moves with
 * every call, and nobody reads it closer than a second. */
#define REFRESH_INTERVAL_S 1

struct _CcApiAllowance
{
  GObject        parent_instance;

  CcRateLimiter *limiter;
  guint          refresh_id;

  /* All kept as guint64, so that one setter serves. */
  guint64        max_calls_per_second;
  guint64        daily_budget;
  guint64        calls_today;
  guint64        waiting_until;
};

enum {
  PROP_0,
  PROP_MAX_CALLS_PER_SECOND,
  PROP_DAILY_BUDGET,
  PROP_CALLS_TODAY,
  PROP_WAITING_UNTIL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (CcApiAllowance, cc_api_allowance, G_TYPE_OBJECT)

/* Sets *@field to @value, notifying @prop when that changes it. */
static void
update_uint64 (CcApiAllowance *self,
               guint64        *field,
               guint64         value,
               guint           prop)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop]);
}

void
cc_api_allowance_refresh (CcApiAllowance *self)
{
  CcRateLimiterState state;

  g_return_if_fail (CC_IS_API_ALLOWANCE (self));

  cc_rate_limiter_get_state (self->limiter, &state);
  g_object_freeze_notify (G_OBJECT (self));
  update_uint64 (self, &self->max_calls_per_second, state.max_per_second,
                 PROP_MAX_CALLS_PER_SECOND);
  update_uint64 (self, &self->daily_budget, state.daily_budget, PROP_DAILY_BUDGET);
  update_uint64 (self, &self->calls_today, state.calls_today, PROP_CALLS_TODAY);
  update_uint64 (self, &self->waiting_until, state.used_up ? (guint64) state.renews_at : 0,
                 PROP_WAITING_UNTIL);
  g_object_thaw_notify (G_OBJECT (self));
}

static gboolean
on_refresh (gpointer user_data)
{
  cc_api_allowance_refresh (user_data);
  return G_SOURCE_CONTINUE;
}

CcApiAllowance *
cc_api_allowance_new (CcRateLimiter *limiter)
{
  CcApiAllowance *self;

  g_return_val_if_fail (CC_IS_RATE_LIMITER (limiter), NULL);

  self = g_object_new (CC_TYPE_API_ALLOWANCE, NULL);
  self->limiter = g_object_ref (limiter);
  cc_api_allowance_refresh (self);
  self->refresh_id = g_timeout_add_seconds (REFRESH_INTERVAL_S, on_refresh, self);
  return self;
}

CcRateLimiter *
cc_api_allowance_get_limiter (CcApiAllowance *self)
{
  g_return_val_if_fail (CC_IS_API_ALLOWANCE (self), NULL);
  return self->limiter;
}

guint
cc_api_allowance_get_max_calls_per_second (CcApiAllowance *self)
{
  g_return_val_if_fail (CC_IS_API_ALLOWANCE (self), 0);
  return (guint) self->max_calls_per_second;
}

guint64
cc_api_allowance_get_daily_budget (CcApiAllowance *self)
{
  g_return_val_if_fail (CC_IS_API_ALLOWANCE (self), 0);
  return self->daily_budget;
}

guint64
cc_api_allowance_get_calls_today (CcApiAllowance *self)
{
  g_return_val_if_fail (CC_IS_API_ALLOWANCE (self), 0);
  return self->calls_today;
}

gint64
cc_api_allowance_get_waiting_until (CcApiAllowance *self)
{
  g_return_val_if_fail (CC_IS_API_ALLOWANCE (self), 0);
  return (gint64) self->waiting_until;
}

static void
cc_api_allowance_dispose (GObject *object)
{
  CcApiAllowance *self = CC_API_ALLOWANCE (object);

  g_clear_handle_id (&self->refresh_id, g_source_remove);

  G_OBJECT_CLASS (cc_api_allowance_parent_class)->dispose (object);
}

static void
cc_api_allowance_finalize (GObject *object)
{
  CcApiAllowance *self = CC_API_ALLOWANCE (object);

  g_clear_object (&self->limiter);

  G_OBJECT_CLASS (cc_api_allowance_parent_class)->finalize (object);
}

static void
cc_api_allowance_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  CcApiAllowance *self = CC_API_ALLOWANCE (object);

  switch (prop_id)
    {
    case PROP_MAX_CALLS_PER_SECOND: g_value_set_uint (value, (guint) self->max_calls_per_second); break;
    case PROP_DAILY_BUDGET: g_value_set_uint64 (value, self->daily_budget); break;
    case PROP_CALLS_TODAY: g_value_set_uint64 (value, self->calls_today); break;
    case PROP_WAITING_UNTIL: g_value_set_int64 (value, (gint64) self->waiting_until); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
cc_api_allowance_class_init (CcApiAllowanceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->dispose = cc_api_allowance_dispose;
  object_class->finalize = cc_api_allowance_finalize;
  object_class->get_property = cc_api_allowance_get_property;

  properties[PROP_MAX_CALLS_PER_SECOND] =
    g_param_spec_uint ("max-calls-per-second", NULL, NULL, 0, G_MAXUINT, 0, flags);
  properties[PROP_DAILY_BUDGET] =
    g_param_spec_uint64 ("daily-budget", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_CALLS_TODAY] =
    g_param_spec_uint64 ("calls-today", NULL, NULL, 0, G_MAXUINT64, 0, flags);
  properties[PROP_WAITING_UNTIL] =
    g_param_spec_int64 ("waiting-until", NULL, NULL, 0, G_MAXINT64, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
cc_api_allowance_init (CcApiAllowance *self)
{
}
