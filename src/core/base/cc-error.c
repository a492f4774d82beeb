/* cc-error.c — the CC_ERROR domain and its D-Bus names. */
#include "cc-error.h"

#include <gio/gio.h>

static const GDBusErrorEntry dbus_errors[] = {
  { CC_ERROR_FAILED, "io.github.campaignconnector.Error.Failed" },
  { CC_ERROR_INVALID_CONFIG, "io.github.campaignconnector.Error.InvalidConfig" },
  { CC_ERROR_NOT_FOUND, "io.github.campaignconnector.Error.NotFound" },
  { CC_ERROR_AUTH_FAILED, "io.github.campaignconnector.Error.AuthFailed" },
  { CC_ERROR_SCHEMA, "io.github.campaignconnector.Error.Schema" },
  { CC_ERROR_TRANSIENT, "io.github.campaignconnector.Error.Transient" },
  { CC_ERROR_REJECTED, "io.github.campaignconnector.Error.Rejected" },
  { CC_ERROR_EXPIRED_CURSOR, "io.github.campaignconnector.Error.ExpiredCursor" },
  { CC_ERROR_BUSY, "io.github.campaignconnector.Error.Busy" },
  { CC_ERROR_NO_SECRET, "io.github.campaignconnector.Error.NoSecret" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (dbus_errors) == CC_ERROR_N_CODES);

GQuark
cc_error_quark (void)
{
  static gsize quark = 0;

  /* Registering the domain with GDBus makes a GError cross the bus with
   * its code intact, in both directions. */
  g_dbus_error_register_error_domain ("cc-error-quark", &quark,
                                      dbus_errors, G_N_ELEMENTS (dbus_errors));
  return (GQuark) quark;
}

const char *
cc_error_dbus_name (CcError code)
{
  g_return_val_if_fail (code < CC_ERROR_N_CODES, NULL);

  return dbus_errors[code].dbus_error_name;
}
