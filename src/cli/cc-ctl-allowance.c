/* cc-ctl-allowance.c — Campaign's API allowance under `status`: the
 * calls made today (UTC), the limits, and what waits for the next day. */
#include "config.h"

#include <glib/gi18n.h>

#include "cc-ctl.h"

/* Manager1's properties: the proxy is made without them (most commands
 * never read one), so they are fetched here in one call. */
static GVariant *
get_manager_properties (CcCtl   *ctl,
                        GError **error)
{
  g_autoptr(GVariant) reply = NULL;
  GVariant *properties = NULL;

  reply = g_dbus_proxy_call_sync (G_DBUS_PROXY (ctl->manager), "org.freedesktop.DBus.Properties.GetAll",
                                  g_variant_new ("(s)", "io.github.campaignconnector.Manager1"),
                                  G_DBUS_CALL_FLAGS_NONE, -1, NULL, error);
  if (reply != NULL)
    g_variant_get (reply, "(@a{sv})", &properties);
  return properties;
}

static guint64
lookup_count (GVariant   *properties,
              const char *name)
{
  g_autoptr(GVariant) value = g_variant_lookup_value (properties, name, NULL);

  if (value == NULL)
    return 0;
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT32))
    return g_variant_get_uint32 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_UINT64))
    return g_variant_get_uint64 (value);
  if (g_variant_is_of_type (value, G_VARIANT_TYPE_INT64))
    return (guint64) MAX (0, g_variant_get_int64 (value));
  return 0;
}

/* "01:00": the local time of @usec. */
static char *
format_clock (gint64 usec)
{
  g_autoptr(GDateTime) when = g_date_time_new_from_unix_local (usec / G_USEC_PER_SEC);

  return when != NULL ? g_date_time_format (when, "%H:%M") : g_strdup ("?");
}

void
cc_ctl_print_allowance (CcCtl *ctl)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) properties = get_manager_properties (ctl, &error);
  g_autofree char *today = NULL;
  g_autofree char *budget = NULL;
  g_autofree char *cap = NULL;
  gint64 waiting_until;

  /* An older engine: the table says all it knows. */
  if (properties == NULL)
    return;

  today = cc_ctl_format_count (lookup_count (properties, "CampaignCallsToday"));
  budget = cc_ctl_format_count (lookup_count (properties, "CampaignDailyBudget"));
  cap = cc_ctl_format_count (lookup_count (properties, "CampaignMaxCallsPerSecond"));
  waiting_until = (gint64) lookup_count (properties, "CampaignWaitingUntil");

  g_print ("\n");
  if (lookup_count (properties, "CampaignDailyBudget") > 0)
    g_print (_("Campaign API calls today (UTC): %s of %s\n"), today, budget);
  else
    g_print (_("Campaign API calls today (UTC): %s (no daily budget)\n"), today);
  if (lookup_count (properties, "CampaignMaxCallsPerSecond") > 0)
    g_print (_("Campaign API calls per second: at most %s\n"), cap);
  else
    g_print (_("Campaign API calls per second: no cap\n"));
  if (waiting_until > 0)
    {
      g_autofree char *at = format_clock (waiting_until);

      g_print (_("Today’s allowance is used up: workflows that call Campaign wait until %s "
                 "(midnight UTC).\n"), at);
    }
}
